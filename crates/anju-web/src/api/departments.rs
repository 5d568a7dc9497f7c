//! Departments and referrals (镇街吹哨、部门报到): a district's departments with their duty
//! categories, referrals made to them and each step of a referral, and the departments' figures.
//! The rules are `anju_app::departments`.

use super::{In, Out, Param, created, id_of, ok, path_id, query, row, typed_query, write_guard};
use crate::api::types::{list, ty};
use crate::params::params;
use crate::{AppState, Viewer, WebError};
use anju_app::departments::{DepartmentInput, DepartmentRow, ReferralInput, ReferralStepInput};
use anju_app::model::{Department, Referral, ReferralFilter};
use anju_core::access::Action;
use anju_core::ids::{DepartmentId, ReferralId};
use anju_core::referral::{ReferralStatus, ReferralStep};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::{get, post, put};
use serde::Deserialize;

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    let step_row = |path, summary, action, handler| {
        row(
            "post",
            path,
            "referrals",
            summary,
            Some(action),
            vec![path_id("吹哨事项编号")],
            Some(ty::<StepJson>()),
            ty::<Referral>(),
            Some(handler),
        )
    };
    vec![
        row(
            "get",
            "/api/v1/departments",
            "referrals",
            "职能部门及其职责类别（本区的；全市账号为各区的）",
            Some(A::ViewLedger),
            vec![],
            None,
            list::<Department>(),
            Some(get(departments_list)),
        ),
        row(
            "post",
            "/api/v1/departments",
            "referrals",
            "新增职能部门（区住建部门、管理员）",
            Some(A::ManageDepartments),
            vec![],
            Some(ty::<DepartmentInput>()),
            ty::<Department>(),
            Some(post(department_create)),
        ),
        row(
            "put",
            "/api/v1/departments/{id}",
            "referrals",
            "修改职能部门的名称、职责类别或停用",
            Some(A::ManageDepartments),
            vec![path_id("职能部门编号")],
            Some(ty::<DepartmentUpdate>()),
            ty::<Department>(),
            Some(put(department_update)),
        ),
        row(
            "post",
            "/api/v1/departments/seed",
            "referrals",
            "按山亭区实施方案“四、明确部门职责”为一个区建立职能部门（已有的同名部门保留不动）",
            Some(A::ManageDepartments),
            vec![],
            Some(ty::<SeedJson>()),
            list::<Department>(),
            Some(post(departments_seed)),
        ),
        row(
            "get",
            "/api/v1/departments/figures",
            "referrals",
            "各职能部门的吹哨事项统计：件数、按期办结率、办结天数中位数、退回重办、逾期（督办）",
            Some(A::ViewLedger),
            vec![
                query("from", "date", "吹哨日期起（含）"),
                query("to", "date", "吹哨日期止（含）"),
            ],
            None,
            list::<DepartmentRow>(),
            Some(get(department_figures)),
        ),
        row(
            "get",
            "/api/v1/referrals",
            "referrals",
            "吹哨事项（部门账号只见本部门的；其他账号限管辖范围内的小区）",
            Some(A::ViewLedger),
            vec![
                query("department_id", "integer", "职能部门编号"),
                query("compound_id", "integer", "小区编号"),
                typed_query("status", ty::<ReferralStatus>(), "状态"),
                Param {
                    name: "open",
                    place: In::Query,
                    ty: "boolean",
                    required: false,
                    zh: "只列未办结的",
                    of: None,
                },
            ],
            None,
            list::<Referral>(),
            Some(get(referrals_list)),
        ),
        row(
            "post",
            "/api/v1/referrals",
            "referrals",
            "吹哨：把事项移交职能部门（按工作日计算办理期限）",
            Some(A::Refer),
            vec![],
            Some(ty::<ReferralInput>()),
            ty::<Referral>(),
            Some(post(referral_create)),
        ),
        row(
            "get",
            "/api/v1/referrals/{id}",
            "referrals",
            "一件吹哨事项：各步骤、办结材料、当前账号可办理的步骤",
            Some(A::ViewLedger),
            vec![path_id("吹哨事项编号")],
            None,
            ty::<anju_app::departments::ReferralDetail>(),
            Some(get(referral_show)),
        ),
        step_row(
            "/api/v1/referrals/{id}/acknowledge",
            "报到（部门签收）",
            A::RespondReferrals,
            post(referral_acknowledge),
        ),
        step_row(
            "/api/v1/referrals/{id}/resolve",
            "办结：办理结果（note，必填）与证明材料",
            A::RespondReferrals,
            post(referral_resolve),
        ),
        step_row(
            "/api/v1/referrals/{id}/confirm",
            "确认办结（吹哨的街道或社区）",
            A::Refer,
            post(referral_confirm),
        ),
        step_row(
            "/api/v1/referrals/{id}/return",
            "退回重办：理由（note，必填）",
            A::Refer,
            post(referral_return),
        ),
    ]
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct DepartmentUpdate {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    name: String,
    #[serde(default)]
    duties: Vec<String>,
    /// 是否接收吹哨（false 为停用）
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct SeedJson {
    /// 区（县）的区域编号
    district_id: i64,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = ReferralStepBody)]
pub(super) struct StepJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 发生日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
    /// 办结：办理结果；退回：理由；其他步骤：备注
    #[serde(default)]
    note: Option<String>,
    /// 办结时附的证明材料 SHA-256（POST /api/v1/evidence 的返回）
    #[serde(default)]
    evidence: Vec<String>,
}

#[derive(Deserialize, Default)]
struct FiguresQuery {
    from: Option<jiff::civil::Date>,
    to: Option<jiff::civil::Date>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    department_id: Option<i64>,
    compound_id: Option<i64>,
    status: Option<ReferralStatus>,
    open: Option<bool>,
}

async fn departments_list(State(state): State<AppState>, viewer: Viewer) -> Out {
    viewer.require(Action::ViewLedger)?;
    ok(state
        .app
        .departments(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?)
}

async fn department_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageDepartments)?;
    let l = viewer.lang;
    let d: DepartmentInput = super::body(&bytes, l)?;
    created(
        state
            .app
            .add_department(&viewer.principal(), d)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn department_update(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageDepartments)?;
    let l = viewer.lang;
    let id: DepartmentId = id_of(&id, l)?;
    let who = viewer.principal();
    let before = state
        .app
        .department(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let b: DepartmentUpdate = super::body(&bytes, l)?;
    ok(state
        .app
        .update_department(
            &who,
            id,
            b.version,
            DepartmentInput {
                district_id: before.district_id,
                name: b.name,
                duties: b.duties,
                active: b.active,
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn departments_seed(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageDepartments)?;
    let l = viewer.lang;
    let b: SeedJson = super::body(&bytes, l)?;
    created(
        state
            .app
            .seed_departments(&viewer.principal(), b.district_id)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn department_figures(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: FiguresQuery = params(raw.as_deref(), l)?;
    ok(state
        .app
        .department_figures(&viewer.principal(), q.from, q.to)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn referrals_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: ListQuery = params(raw.as_deref(), l)?;
    ok(state
        .app
        .referrals(
            &viewer.principal(),
            ReferralFilter {
                department_id: q.department_id,
                compound_id: q.compound_id,
                status: q.status,
                open_only: q.open.unwrap_or(false),
                ..ReferralFilter::default()
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn referral_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::Refer)?;
    let l = viewer.lang;
    let r: ReferralInput = super::body(&bytes, l)?;
    created(
        state
            .app
            .refer(&viewer.principal(), r)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn referral_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: ReferralId = id_of(&id, l)?;
    ok(state
        .app
        .referral_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// A step: permission and CSRF, the referral in the reader's reach (403 before the body is
/// read), the body, then the use case.
async fn referral_step(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    bytes: &Bytes,
    step: ReferralStep,
) -> Out {
    let action = match step.side() {
        anju_core::referral::Side::Department => Action::RespondReferrals,
        anju_core::referral::Side::Referrer => Action::Refer,
    };
    write_guard(viewer, headers, action)?;
    let l = viewer.lang;
    let id: ReferralId = id_of(id, l)?;
    let who = viewer.principal();
    state
        .app
        .referral(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let b: StepJson = super::body(bytes, l)?;
    ok(state
        .app
        .referral_step(
            &who,
            id,
            ReferralStepInput {
                step,
                on: b.on.unwrap_or_else(|| state.app.today()),
                note: b.note,
                evidence: b.evidence,
                version: b.version,
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn referral_acknowledge(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    referral_step(
        &state,
        &viewer,
        &headers,
        &id,
        &bytes,
        ReferralStep::Acknowledge,
    )
    .await
}

async fn referral_resolve(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    referral_step(
        &state,
        &viewer,
        &headers,
        &id,
        &bytes,
        ReferralStep::Resolve,
    )
    .await
}

async fn referral_confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    referral_step(
        &state,
        &viewer,
        &headers,
        &id,
        &bytes,
        ReferralStep::Confirm,
    )
    .await
}

async fn referral_return(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    referral_step(&state, &viewer, &headers, &id, &bytes, ReferralStep::Return).await
}
