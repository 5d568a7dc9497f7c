//! Oversight: assessments (考核) and their workflow, evaluators' commissions, patrols, rectification
//! orders and complaints.

use super::{Out, VersionOn, bad, bad_field, body, created, id_of, ok, write_guard};
use crate::api::types::EvaluatorJson;
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{AssessmentFilter, ComplaintFilter, OrderFilter};
use anju_app::oversight::{AssessmentStep, ComplaintStep};
use anju_app::oversight::{ComplaintInput, PatrolInput};
use anju_core::Lang;
use anju_core::access::Action;
use anju_core::assessment::Period;
use anju_core::{AssessmentId, ComplaintId, CompoundId, OrderId};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A compound and a status (orders, complaints).
#[derive(Debug, Deserialize)]
#[serde(default, bound = "T: DeserializeOwned")]
struct StatusQuery<T> {
    #[serde(deserialize_with = "params::opt")]
    compound_id: Option<i64>,
    #[serde(deserialize_with = "params::code")]
    status: Option<T>,
}

impl<T> Default for StatusQuery<T> {
    fn default() -> Self {
        StatusQuery {
            compound_id: None,
            status: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AssessmentsQuery {
    #[serde(deserialize_with = "params::opt")]
    compound_id: Option<i64>,
    #[serde(deserialize_with = "params::text")]
    period: Option<String>,
}

fn period_of(s: &str, l: Lang) -> Result<Period, WebError> {
    Period::parse(s).ok_or_else(|| {
        bad_field(
            l,
            "period",
            format!("考核期 period 不认识：“{s}”（例：2026、2026H1、2026Q3、2026-03）"),
            format!("unknown period '{s}' (e.g. 2026, 2026H1, 2026Q3, 2026-03)"),
        )
    })
}

pub(super) async fn assessments_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: AssessmentsQuery = params(raw.as_deref(), l)?;
    let f = AssessmentFilter {
        compound_id: q.compound_id,
        period: q.period,
        ..AssessmentFilter::default()
    };
    ok(state
        .app
        .assessments(&viewer.principal(), f)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

pub(super) async fn assessment_get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: AssessmentId = id_of(&id, l)?;
    ok(state
        .app
        .assessment(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = NewAssessment)]
pub(super) struct NewAssessmentJson {
    compound_id: i64,
    period: String,
    rubric: String,
    #[serde(default)]
    events: Vec<anju_policy::rubric::Event>,
    objection_days: Option<u32>,
    #[serde(default)]
    /// 已上传证明材料的 SHA-256（POST /api/v1/evidence 的返回）
    evidence: Vec<String>,
    /// 党建工作（二七细则第6–9项）据红色物业记录计数；events 中另填的不同计数按手工填写保留
    #[serde(default)]
    party_from_records: bool,
}

pub(super) async fn assessment_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::Assess)?;
    let l = viewer.lang;
    let a: NewAssessmentJson = body(&bytes, l)?;
    let who = viewer.principal();
    state
        .app
        .assessable(&who, CompoundId(a.compound_id))
        .await
        .map_err(|e| WebError::app(e, l))?;
    let period = period_of(&a.period, l)?;
    let rubric = anju_policy::rubric::Rubric::builtin(a.rubric.trim()).map_err(|e| {
        bad(
            l,
            format!("评分细则 rubric：{}", e.message(Lang::Zh)),
            format!("rubric: {}", e.message(Lang::En)),
        )
    })?;
    let input = anju_app::oversight::AssessmentInput {
        compound_id: a.compound_id,
        period,
        rubric,
        assessor: None,
        events: a.events,
        survey: None,
        objection_days: a.objection_days,
        evidence: a.evidence,
        submit: false,
        party_from_records: a.party_from_records,
    };
    created(
        state
            .app
            .create_assessment(&who, input)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

/// 复核 or 申诉处理 as the API takes it.
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = AssessmentReview)]
pub(super) struct ReviewJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 发生日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
    outcome: anju_core::assessment::Outcome,
    reason: Option<String>,
    events: Option<Vec<anju_policy::rubric::Event>>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = AssessmentObjection)]
pub(super) struct ObjectionJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 发生日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
    text: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = AssessmentFinalize)]
pub(super) struct FinalizeJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 发生日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
    #[serde(default)]
    waived: bool,
}

/// A write on one record: the permission and the CSRF header, the record's id, the record in the
/// reader's scope (so another area's record is a 403/404 before its body is read), then the body
/// and the use case. Every versioned step of orders, complaints and assessments goes through it.
async fn scoped_step<I, B, T>(
    viewer: &Viewer,
    headers: &HeaderMap,
    action: Action,
    id: &str,
    bytes: &Bytes,
    scope: impl AsyncFnOnce(I) -> anju_app::Result<()>,
    step: impl AsyncFnOnce(I, B) -> anju_app::Result<T>,
) -> Out
where
    I: std::str::FromStr<Err = anju_core::ids::BadId> + Copy,
    B: DeserializeOwned,
    T: serde::Serialize,
{
    write_guard(viewer, headers, action)?;
    let l = viewer.lang;
    let id: I = id_of(id, l)?;
    scope(id).await.map_err(|e| WebError::app(e, l))?;
    let b: B = body(bytes, l)?;
    ok(step(id, b).await.map_err(|e| WebError::app(e, l))?)
}

/// One step of an assessment's workflow, dated today when the body leaves the date out.
async fn assessment_workflow<B: DeserializeOwned>(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    bytes: &Bytes,
    action: Action,
    step: impl FnOnce(B) -> (i64, Option<jiff::civil::Date>, AssessmentStep),
) -> Out {
    let who = viewer.principal();
    let app = &state.app;
    scoped_step(
        viewer,
        headers,
        action,
        id,
        bytes,
        async |id| app.assessment(&who, id).await.map(drop),
        async |id: AssessmentId, b: B| {
            let (version, on, step) = step(b);
            let on = on.unwrap_or_else(|| app.today());
            app.assessment_step(&who, id, version, step, on).await
        },
    )
    .await
}

pub(super) async fn assessment_review(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    review_or_decide(&state, &viewer, &headers, &id, &bytes, false).await
}

pub(super) async fn assessment_decide(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    review_or_decide(&state, &viewer, &headers, &id, &bytes, true).await
}

/// 复核 (`decide` false) or 申诉处理 (`decide` true): the same body, the same permission.
async fn review_or_decide(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    bytes: &Bytes,
    decide: bool,
) -> Out {
    let step = move |r: ReviewJson| {
        let (outcome, reason, events) = (r.outcome, r.reason, r.events);
        let step = if decide {
            AssessmentStep::Decide {
                outcome,
                reason,
                events,
            }
        } else {
            AssessmentStep::Review {
                outcome,
                reason,
                events,
            }
        };
        (r.version, r.on, step)
    };
    let action = Action::ReviewAssessments;
    assessment_workflow(state, viewer, headers, id, bytes, action, step).await
}

pub(super) async fn assessment_object(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let step = |o: ObjectionJson| (o.version, o.on, AssessmentStep::Object { text: o.text });
    let action = Action::AnswerOrders;
    assessment_workflow(&state, &viewer, &headers, &id, &bytes, action, step).await
}

pub(super) async fn assessment_finalize(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let step = |f: FinalizeJson| {
        let step = AssessmentStep::Finalize { waived: f.waived };
        (f.version, f.on, step)
    };
    let action = Action::ReviewAssessments;
    assessment_workflow(&state, &viewer, &headers, &id, &bytes, action, step).await
}

pub(super) async fn assessment_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let (who, app) = (viewer.principal(), &state.app);
    scoped_step(
        &viewer,
        &headers,
        Action::Assess,
        &id,
        &bytes,
        async |id| app.assessment(&who, id).await.map(drop),
        async |id: AssessmentId, v: VersionOn| {
            let on = v.on.unwrap_or_else(|| app.today());
            app.submit_assessment(&who, id, v.version, on).await
        },
    )
    .await
}

pub(super) async fn patrols_of(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let id: CompoundId = id_of(&id, viewer.lang)?;
    ok(state
        .app
        .patrols(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?)
}

pub(super) async fn patrol_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::Patrol)?;
    let p: PatrolInput = body(&bytes, viewer.lang)?;
    created(
        state
            .app
            .add_patrol(&viewer.principal(), p)
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?,
    )
}

/// A list by compound and status (orders, complaints): the query typed, then the use case.
async fn status_list<S: DeserializeOwned, T: serde::Serialize>(
    viewer: &Viewer,
    raw: Option<&str>,
    list: impl AsyncFnOnce(Option<i64>, Option<S>) -> anju_app::Result<T>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: StatusQuery<S> = params(raw, l)?;
    ok(list(q.compound_id, q.status)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

pub(super) async fn orders_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    let who = viewer.principal();
    status_list(&viewer, raw.as_deref(), async |compound_id, status| {
        let f = OrderFilter {
            compound_id,
            status,
            ..OrderFilter::default()
        };
        state.app.orders(&who, f).await
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = Answer)]
pub(super) struct AnswerJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    text: String,
    /// 发生日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
    #[serde(default)]
    /// 已上传证明材料的 SHA-256（POST /api/v1/evidence 的返回）
    evidence: Vec<String>,
}

fn answer_input(state: &AppState, a: AnswerJson) -> anju_app::oversight::AnswerInput {
    anju_app::oversight::AnswerInput {
        version: a.version,
        text: a.text,
        on: a.on.unwrap_or_else(|| state.app.today()),
        evidence: a.evidence,
    }
}

pub(super) async fn order_answer(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let (who, app) = (viewer.principal(), &state.app);
    scoped_step(
        &viewer,
        &headers,
        Action::AnswerOrders,
        &id,
        &bytes,
        async |id| app.order_in_scope(&who, id).await.map(drop),
        async |id: OrderId, a: AnswerJson| {
            app.answer_order(&who, id, answer_input(&state, a)).await
        },
    )
    .await
}

pub(super) async fn complaints_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    let who = viewer.principal();
    status_list(&viewer, raw.as_deref(), async |compound_id, status| {
        let f = ComplaintFilter {
            compound_id,
            status,
            ..ComplaintFilter::default()
        };
        state.app.complaints(&who, f).await
    })
    .await
}

/// A complaint as the API takes it: `source` by its code (`hotline_12345`, as the CLI).
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = NewComplaint)]
pub(super) struct NewComplaintJson {
    compound_id: anju_core::CompoundId,
    /// 投诉来源代码
    #[schema(value_type = anju_core::oversight::ComplaintSource)]
    source: String,
    category: String,
    text: String,
    received_on: jiff::civil::Date,
    contact: Option<String>,
}

pub(super) async fn complaint_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::Patrol)?;
    let l = viewer.lang;
    let j: NewComplaintJson = body(&bytes, l)?;
    let source = anju_core::oversight::ComplaintSource::from_code(&j.source).ok_or_else(|| {
        bad_field(
            l,
            "source",
            format!(
                "投诉来源 source 不认识：“{}”（resident、hotline_12345、other）",
                j.source
            ),
            format!(
                "unknown source '{}' (resident, hotline_12345, other)",
                j.source
            ),
        )
    })?;
    let c = ComplaintInput {
        compound_id: j.compound_id,
        source,
        category: j.category,
        text: j.text,
        received_on: j.received_on,
        contact: j.contact,
    };
    created(
        state
            .app
            .add_complaint(&viewer.principal(), c, None)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

pub(super) async fn complaint_answer(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let (who, app) = (viewer.principal(), &state.app);
    scoped_step(
        &viewer,
        &headers,
        Action::AnswerOrders,
        &id,
        &bytes,
        async |id| app.complaint_in_scope(&who, id).await.map(drop),
        async |id: ComplaintId, a: AnswerJson| {
            app.answer_complaint(&who, id, answer_input(&state, a))
                .await
        },
    )
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ComplaintRating)]
pub(super) struct RatingJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    rating: u32,
}

/// One step of a complaint (sign, rate, close).
async fn complaint_workflow<B: DeserializeOwned>(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    bytes: &Bytes,
    action: Action,
    step: impl FnOnce(B, jiff::civil::Date) -> (i64, ComplaintStep),
) -> Out {
    let (who, app) = (viewer.principal(), &state.app);
    scoped_step(
        viewer,
        headers,
        action,
        id,
        bytes,
        async |id| app.complaint_in_scope(&who, id).await.map(drop),
        async |id: ComplaintId, b: B| {
            let (version, step) = step(b, app.today());
            app.complaint_step(&who, id, version, step).await
        },
    )
    .await
}

pub(super) async fn complaint_sign(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let step = |v: VersionOn, today| {
        let on = v.on.unwrap_or(today);
        (v.version, ComplaintStep::Sign { on })
    };
    let action = Action::AnswerOrders;
    complaint_workflow(&state, &viewer, &headers, &id, &bytes, action, step).await
}

pub(super) async fn complaint_rate(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let step = |r: RatingJson, _| (r.version, ComplaintStep::Rate { rating: r.rating });
    let action = Action::Patrol;
    complaint_workflow(&state, &viewer, &headers, &id, &bytes, action, step).await
}

pub(super) async fn complaint_close(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let step = |v: VersionOn, today| {
        let on = v.on.unwrap_or(today);
        (v.version, ComplaintStep::Close { on })
    };
    let action = Action::Patrol;
    complaint_workflow(&state, &viewer, &headers, &id, &bytes, action, step).await
}

/// The street's finding on a complaint (核实).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = ComplaintVerification)]
pub(super) struct VerifyJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// substantiated（核实有效）| unfounded（核实无效）
    verdict: anju_core::oversight::ComplaintVerdict,
    /// 核实情况（必填）
    note: String,
    /// 核实日期，默认今天；不得晚于今天
    on: Option<jiff::civil::Date>,
}

pub(super) async fn complaint_verify(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let step = |v: VerifyJson, today| {
        let on = v.on.unwrap_or(today);
        (
            v.version,
            ComplaintStep::Verify {
                verdict: v.verdict,
                note: v.note,
                on,
            },
        )
    };
    let action = Action::VerifyComplaints;
    complaint_workflow(&state, &viewer, &headers, &id, &bytes, action, step).await
}

pub(super) async fn evaluator_commission(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ReviewAssessments)?;
    let l = viewer.lang;
    let e: EvaluatorJson = body(&bytes, l)?;
    state
        .app
        .commission_evaluator(&viewer.principal(), &e.evaluator, CompoundId(e.compound_id))
        .await
        .map_err(|e| WebError::app(e, l))?;
    created(EvaluatorJson {
        evaluator: e.evaluator.trim().to_string(),
        compound_id: e.compound_id,
    })
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    let id_c = || path_id("小区编号");
    vec![
        row(
            "get",
            "/api/v1/assessments",
            "assessments",
            "考核列表（限管辖范围）",
            Some(A::ViewLedger),
            vec![
                query("compound_id", "integer", "小区编号"),
                query("period", "string", "考核期，如 2026Q3"),
            ],
            None,
            list::<anju_app::model::Assessment>(),
            Some(get(assessments_list)),
        ),
        row(
            "post",
            "/api/v1/assessments",
            "assessments",
            "录入考核评分（草稿）",
            Some(A::Assess),
            vec![],
            Some(ty::<NewAssessmentJson>()),
            ty::<anju_app::model::Assessment>(),
            Some(post(assessment_create)),
        ),
        row(
            "get",
            "/api/v1/assessments/{id}",
            "assessments",
            "一次考核及其评分表",
            Some(A::ViewLedger),
            vec![path_id("考核编号")],
            None,
            ty::<anju_app::model::Assessment>(),
            Some(get(assessment_get)),
        ),
        row(
            "post",
            "/api/v1/assessments/{id}/submit",
            "assessments",
            "提交考核（须带版本号）",
            Some(A::Assess),
            vec![path_id("考核编号")],
            Some(ty::<VersionOn>()),
            ty::<anju_app::model::Assessment>(),
            Some(post(assessment_submit)),
        ),
        row(
            "post",
            "/api/v1/assessments/{id}/review",
            "assessments",
            "复核考核：维持或调整（调整须写理由，可附更正的扣分事项）",
            Some(A::ReviewAssessments),
            vec![path_id("考核编号")],
            Some(ty::<ReviewJson>()),
            ty::<anju_app::model::Assessment>(),
            Some(post(assessment_review)),
        ),
        row(
            "post",
            "/api/v1/assessments/{id}/object",
            "assessments",
            "物业企业在申诉期内对考核提出申诉",
            Some(A::AnswerOrders),
            vec![path_id("考核编号")],
            Some(ty::<ObjectionJson>()),
            ty::<anju_app::model::Assessment>(),
            Some(post(assessment_object)),
        ),
        row(
            "post",
            "/api/v1/assessments/{id}/decide",
            "assessments",
            "申诉处理决定：维持或调整，考核随即定案",
            Some(A::ReviewAssessments),
            vec![path_id("考核编号")],
            Some(ty::<ReviewJson>()),
            ty::<anju_app::model::Assessment>(),
            Some(post(assessment_decide)),
        ),
        row(
            "post",
            "/api/v1/assessments/{id}/finalize",
            "assessments",
            "无申诉定案（申诉期满，或企业放弃申诉 waived）",
            Some(A::ReviewAssessments),
            vec![path_id("考核编号")],
            Some(ty::<FinalizeJson>()),
            ty::<anju_app::model::Assessment>(),
            Some(post(assessment_finalize)),
        ),
        row(
            "get",
            "/api/v1/compounds/{id}/patrols",
            "oversight",
            "小区的巡查记录与发现的问题",
            Some(A::ViewLedger),
            vec![id_c()],
            None,
            list::<anju_app::model::Patrol>(),
            Some(get(patrols_of)),
        ),
        row(
            "post",
            "/api/v1/patrols",
            "oversight",
            "录入巡查（问题可附整改期限，生成整改单）",
            Some(A::Patrol),
            vec![],
            Some(ty::<anju_app::oversight::PatrolInput>()),
            ty::<anju_app::model::Patrol>(),
            Some(post(patrol_create)),
        ),
        row(
            "get",
            "/api/v1/orders",
            "oversight",
            "整改单（企业账号只见本企业的）",
            Some(A::ViewLedger),
            vec![
                query("compound_id", "integer", "小区编号"),
                typed_query(
                    "status",
                    ty::<anju_core::oversight::OrderStatus>(),
                    "整改单状态",
                ),
            ],
            None,
            list::<anju_app::model::RectificationOrder>(),
            Some(get(orders_list)),
        ),
        row(
            "post",
            "/api/v1/orders/{id}/answer",
            "oversight",
            "企业答复整改单（须带版本号）",
            Some(A::AnswerOrders),
            vec![path_id("整改单编号")],
            Some(ty::<AnswerJson>()),
            ty::<anju_app::model::RectificationOrder>(),
            Some(post(order_answer)),
        ),
        row(
            "get",
            "/api/v1/complaints",
            "oversight",
            "投诉（企业账号只见本企业的）",
            Some(A::ViewLedger),
            vec![
                query("compound_id", "integer", "小区编号"),
                typed_query(
                    "status",
                    ty::<anju_core::oversight::ComplaintStatus>(),
                    "投诉状态",
                ),
            ],
            None,
            list::<anju_app::model::Complaint>(),
            Some(get(complaints_list)),
        ),
        row(
            "post",
            "/api/v1/complaints",
            "oversight",
            "登记投诉（按工作日计算签收与答复期限）",
            Some(A::Patrol),
            vec![],
            Some(ty::<NewComplaintJson>()),
            ty::<anju_app::model::Complaint>(),
            Some(post(complaint_create)),
        ),
        row(
            "post",
            "/api/v1/complaints/{id}/answer",
            "oversight",
            "企业答复投诉（须带版本号）",
            Some(A::AnswerOrders),
            vec![path_id("投诉编号")],
            Some(ty::<AnswerJson>()),
            ty::<anju_app::model::Complaint>(),
            Some(post(complaint_answer)),
        ),
        row(
            "post",
            "/api/v1/complaints/{id}/sign",
            "oversight",
            "企业签收投诉（须带版本号）",
            Some(A::AnswerOrders),
            vec![path_id("投诉编号")],
            Some(ty::<VersionOn>()),
            ty::<anju_app::model::Complaint>(),
            Some(post(complaint_sign)),
        ),
        row(
            "post",
            "/api/v1/complaints/{id}/rate",
            "oversight",
            "记录居民对答复的评价（1–5 分）",
            Some(A::Patrol),
            vec![path_id("投诉编号")],
            Some(ty::<RatingJson>()),
            ty::<anju_app::model::Complaint>(),
            Some(post(complaint_rate)),
        ),
        row(
            "post",
            "/api/v1/complaints/{id}/close",
            "oversight",
            "办结已答复的投诉",
            Some(A::Patrol),
            vec![path_id("投诉编号")],
            Some(ty::<VersionOn>()),
            ty::<anju_app::model::Complaint>(),
            Some(post(complaint_close)),
        ),
        row(
            "post",
            "/api/v1/complaints/{id}/verify",
            "oversight",
            "街道核实投诉（核实有效才计入企业信用档案；须带版本号）",
            Some(A::VerifyComplaints),
            vec![path_id("投诉编号")],
            Some(ty::<VerifyJson>()),
            ty::<anju_app::model::Complaint>(),
            Some(post(complaint_verify)),
        ),
        row(
            "post",
            "/api/v1/evaluator-assignments",
            "assessments",
            "委托第三方测评机构测评某小区",
            Some(A::ReviewAssessments),
            vec![],
            Some(ty::<EvaluatorJson>()),
            ty::<EvaluatorJson>(),
            Some(post(evaluator_commission)),
        ),
    ]
}
