//! The ledger page of the API, one compound, and its path to coverage (lifecycle steps and
//! corrections).

use super::{
    DEFAULT_PER_PAGE, MAX_PER_PAGE, Out, bad, body, compound_in_scope, compound_write, id_of, msg,
    ok, write_guard,
};
use crate::api::types::CompoundPage;
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{CompoundFilter, CompoundSort};
use anju_core::access::Action;
use anju_core::lifecycle::Event;
use anju_core::{CompoundId, StepId};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LedgerQuery {
    #[serde(deserialize_with = "params::text")]
    street: Option<String>,
    #[serde(deserialize_with = "params::text")]
    community: Option<String>,
    #[serde(deserialize_with = "params::text")]
    mode: Option<String>,
    #[serde(deserialize_with = "params::text")]
    q: Option<String>,
    #[serde(deserialize_with = "params::code")]
    sort: Option<CompoundSort>,
    #[serde(deserialize_with = "params::opt")]
    page: Option<i64>,
    #[serde(deserialize_with = "params::opt")]
    per_page: Option<i64>,
}

pub(super) async fn ledger_page(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: LedgerQuery = params(raw.as_deref(), l)?;
    let mode = match q.mode {
        None => None,
        Some(m) => Some(anju_core::ManagementMode::from_code(&m).ok_or_else(|| {
            bad(
                l,
                format!("未知的物业管理方式：{m}"),
                format!("unknown management mode: {m}"),
            )
        })?),
    };
    let sort = q.sort.unwrap_or(CompoundSort::Region);
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if page < 1 {
        return Err(bad(l, "页码 page 应从 1 开始", "page starts at 1"));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(bad(
            l,
            format!("每页条数 per_page 应在 1 到 {MAX_PER_PAGE} 之间"),
            format!("per_page must be 1 to {MAX_PER_PAGE}"),
        ));
    }
    let filter = CompoundFilter {
        street: q.street,
        community: q.community,
        mode,
        search: q.q,
        sort,
        ..CompoundFilter::default()
    };
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, viewer.lang);
    let total = state
        .app
        .count_compounds(&who, filter.clone())
        .await
        .map_err(app_err)?;
    let items = state
        .app
        .compounds(
            &who,
            CompoundFilter {
                limit: Some(per_page),
                offset: Some((page - 1).saturating_mul(per_page)),
                ..filter
            },
        )
        .await
        .map_err(app_err)?;
    ok(CompoundPage {
        total,
        page,
        per_page,
        pages: (total + per_page - 1) / per_page,
        items,
    })
}

pub(super) async fn compound_get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let id = id_of(&id, viewer.lang)?;
    ok(compound_in_scope(&state, &viewer, id).await?)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct CompoundUpdate {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    compound: anju_core::Compound,
    effective_on: Option<jiff::civil::Date>,
}

pub(super) async fn compound_put(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::EditCompounds).await?;
    let l = viewer.lang;
    let u: CompoundUpdate = body(&bytes, l)?;
    let on = u.effective_on.unwrap_or_else(|| state.app.today());
    let updated = state
        .app
        .update_compound(&viewer.principal(), id, u.version, u.compound, on)
        .await
        .map_err(|e| WebError::app(e, l))?;
    ok(updated)
}

pub(super) async fn lifecycle_get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let id: CompoundId = id_of(&id, viewer.lang)?;
    ok(state
        .app
        .lifecycle(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct Advance {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    step: Event,
    on: jiff::civil::Date,
    note: Option<String>,
    #[serde(default)]
    /// 已上传证明材料的 SHA-256（POST /api/v1/evidence 的返回）
    evidence: Vec<String>,
}

pub(super) async fn lifecycle_post(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::AdvanceLifecycle).await?;
    let l = viewer.lang;
    let a: Advance = body(&bytes, l)?;
    let input = anju_app::path::AdvanceInput {
        version: a.version,
        step: a.step,
        on: a.on,
        note: a.note,
        evidence: a.evidence,
    };
    ok(state
        .app
        .advance(&viewer.principal(), id, input)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = StepCorrectionRequest)]
pub(super) struct Correction {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 该步骤实际发生的日期（更正日期时填写；不得晚于今天）；与 void 二者选一
    on: Option<jiff::civil::Date>,
    /// true：撤销该步骤（并未发生）；与 on 二者选一
    #[serde(default)]
    void: bool,
    /// 更正原因（必填，最多 2,000 字）
    reason: Option<String>,
}

/// `POST /api/v1/compounds/{id}/steps/{step}/correction`: scope before the body, as every write.
pub(super) async fn correction_post(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, step)): Path<(String, String)>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::CorrectSteps)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    let step: StepId = id_of(&step, l)?;
    compound_in_scope(&state, &viewer, id).await?;
    let c: Correction = body(&bytes, l)?;
    let on = match (c.on, c.void) {
        (Some(d), false) => Some(d),
        (None, true) => None,
        _ => {
            return Err(WebError::Invalid {
                field: "on".into(),
                message: msg(
                    l,
                    "更正后的日期 on：请给出实际日期（on），或以 void: true 撤销该步骤，二者选一"
                        .into(),
                    "on: give the date it happened (on), or void: true when it did not happen — one of the two".into(),
                ),
            });
        }
    };
    let input = anju_app::path::CorrectionInput {
        version: c.version,
        on,
        reason: c.reason.unwrap_or_default(),
    };
    ok(state
        .app
        .correct_step(&viewer.principal(), id, step, input)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    let id_c = || path_id("小区编号");
    let mut page_params = ledger_filters();
    page_params.extend([
        typed_query("sort", ty::<CompoundSort>(), "排序（默认 region）"),
        query("page", "integer", "页码，从 1 开始"),
        query("per_page", "integer", "每页条数（1–500，默认 50）"),
    ]);
    vec![
        row(
            "get",
            "/api/v1/ledger",
            "compounds",
            "小区台账：筛选、搜索、排序、分页（限管辖范围）",
            Some(A::ViewLedger),
            page_params,
            None,
            ty::<CompoundPage>(),
            Some(get(ledger_page)),
        ),
        row(
            "get",
            "/api/v1/compounds/{id}",
            "compounds",
            "一个小区的台账信息（含版本号）",
            Some(A::ViewLedger),
            vec![id_c()],
            None,
            ty::<StoredCompound>(),
            Some(get(compound_get)),
        ),
        row(
            "put",
            "/api/v1/compounds/{id}",
            "compounds",
            "修改小区台账（须带读取时的版本号）",
            Some(A::EditCompounds),
            vec![id_c()],
            Some(ty::<CompoundUpdate>()),
            ty::<StoredCompound>(),
            Some(put(compound_put)),
        ),
        row(
            "get",
            "/api/v1/compounds/{id}/lifecycle",
            "lifecycle",
            "全覆盖工作步骤：当前阶段与步骤记录",
            Some(A::ViewLedger),
            vec![id_c()],
            None,
            ty::<anju_app::model::Lifecycle>(),
            Some(get(lifecycle_get)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/lifecycle",
            "lifecycle",
            "推进一步（须带步骤版本号）",
            Some(A::AdvanceLifecycle),
            vec![id_c()],
            Some(ty::<Advance>()),
            ty::<anju_app::model::Lifecycle>(),
            Some(post(lifecycle_post)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/steps/{step}/correction",
            "lifecycle",
            "更正一个步骤（更正）：改正日期（on）或撤销（void: true，该步骤并未发生），须带原因与步骤版本号；原记录保留并标为已更正，其后的阶段按规则重算",
            Some(A::CorrectSteps),
            vec![
                id_c(),
                Param {
                    name: "step",
                    place: In::Path,
                    ty: "integer",
                    required: true,
                    zh: "步骤编号（步骤记录的 id）",
                    of: None,
                },
            ],
            Some(ty::<Correction>()),
            ty::<anju_app::model::Lifecycle>(),
            Some(post(correction_post)),
        ),
    ]
}
