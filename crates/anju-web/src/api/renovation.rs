//! 老旧小区改造 and 核定收费标准 (issue 19 items 4 and 5) through the JSON API: a compound's
//! renovation projects, recording one, one project with its checks (seed 002 六, each naming its
//! clause), its milestones recorded or corrected (with the reason), a household's 三承诺; and a
//! compound's approved fee standards with the contracts charging above them. The rules are
//! `anju_app::renovation`; the questionnaire sheet is imported by `anju renovation import` and the
//! page (a file, not JSON).

use super::{Out, compound_write, created, id_of, ok, path_id, row, write_guard};
use crate::api::types::{list, ty};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{CommitmentsWritten, FeeStandardRecord, RenovationRecord};
use anju_app::renovation::{
    CommitmentInput, FeeStandardInput, FeeStandards, RenovationDateInput, RenovationDetail,
    RenovationInput,
};
use anju_core::access::Action;
use anju_core::contract::Fees;
use anju_core::ids::{CompoundId, RenovationId};
use anju_core::renovation::{Commitments, Milestone};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use jiff::civil::Date;
use serde::Deserialize;

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/compounds/{id}/renovations",
            "renovation",
            "小区的老旧小区改造项目（最近的在前），含手续办理、施工进场、竣工验收日期",
            Some(A::ViewLedger),
            vec![path_id("小区编号")],
            None,
            list::<RenovationRecord>(),
            Some(get(projects_list)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/renovations",
            "renovation",
            "登记改造项目（名称或批次，已发生的节点日期）",
            Some(A::ManageRenovation),
            vec![path_id("小区编号")],
            Some(ty::<StartJson>()),
            ty::<RenovationRecord>(),
            Some(post(project_start)),
        ),
        row(
            "get",
            "/api/v1/renovations/{id}",
            "renovation",
            "一个改造项目：节点日期及其更正、与物业进驻的衔接检查（各注明二七区实施方案条款）、正式进场日与合同期限、三承诺比例与各户",
            Some(A::ViewLedger),
            vec![path_id("改造项目编号")],
            None,
            ty::<RenovationDetail>(),
            Some(get(project_show)),
        ),
        row(
            "post",
            "/api/v1/renovations/{id}/dates",
            "renovation",
            "登记节点日期；已登记的日期须写明更正原因（reason）",
            Some(A::ManageRenovation),
            vec![path_id("改造项目编号")],
            Some(ty::<DateJson>()),
            ty::<RenovationRecord>(),
            Some(post(project_date)),
        ),
        row(
            "post",
            "/api/v1/renovations/{id}/households",
            "renovation",
            "登记一户的三承诺；同一房号再次登记为更新",
            Some(A::ManageRenovation),
            vec![path_id("改造项目编号")],
            Some(ty::<HouseholdJson>()),
            ty::<CommitmentsWritten>(),
            Some(post(project_household)),
        ),
        row(
            "get",
            "/api/v1/compounds/{id}/fee-standards",
            "renovation",
            "小区的核定收费标准（最近的在前，注明现行的一项）及收费高于签订日现行标准的合同",
            Some(A::ViewLedger),
            vec![path_id("小区编号")],
            None,
            ty::<FeeStandards>(),
            Some(get(fees_list)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/fee-standards",
            "renovation",
            "录入发改部门核定的收费标准（分/㎡·月），自核定日期起取代此前的标准",
            Some(A::SetFeeStandards),
            vec![path_id("小区编号")],
            Some(ty::<FeeJson>()),
            ty::<FeeStandardRecord>(),
            Some(post(fees_add)),
        ),
    ]
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = RenovationStartBody)]
pub(super) struct StartJson {
    /// 项目名称或批次
    name: String,
    /// 手续办理日期 YYYY-MM-DD（已发生的才填；不得晚于今天）
    #[serde(default)]
    procedures_on: Option<Date>,
    /// 施工进场日期 YYYY-MM-DD（不得晚于今天）
    #[serde(default)]
    construction_on: Option<Date>,
    /// 竣工验收日期 YYYY-MM-DD（不得晚于今天）
    #[serde(default)]
    acceptance_on: Option<Date>,
    /// 备注
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = RenovationDateBody)]
pub(super) struct DateJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 节点：procedures（手续办理）、construction（施工进场）、acceptance（竣工验收）
    milestone: Milestone,
    /// 日期 YYYY-MM-DD（不得晚于今天）
    on: Date,
    /// 更正原因（更正已登记的日期时必填）
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = RenovationHouseholdBody)]
pub(super) struct HouseholdJson {
    /// 房号，按原样填写（如 3-2-501）
    house: String,
    /// 业主姓名
    #[serde(default)]
    owner: Option<String>,
    /// 承诺拆除各类违建
    demolish: bool,
    /// 承诺缴纳维修资金
    maintenance_fund: bool,
    /// 承诺缴纳物业维修费用
    repair_fees: bool,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = FeeStandardBody)]
pub(super) struct FeeJson {
    /// 核定标准（分/㎡·月）：multi 多层、high 高层，至少一项
    fees: Fees,
    /// 核定文号
    doc_no: String,
    /// 核定日期 YYYY-MM-DD（不得晚于今天）
    approved_on: Date,
    /// 核定部门（如“区发改局”）
    department: String,
    /// 备注
    #[serde(default)]
    note: Option<String>,
}

async fn projects_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    ok(state
        .app
        .renovations(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn project_start(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::ManageRenovation).await?;
    let l = viewer.lang;
    let b: StartJson = super::body(&bytes, l)?;
    created(
        state
            .app
            .start_renovation(
                &viewer.principal(),
                RenovationInput {
                    compound_id: id,
                    name: b.name,
                    procedures_on: b.procedures_on,
                    construction_on: b.construction_on,
                    acceptance_on: b.acceptance_on,
                    note: b.note,
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn project_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: RenovationId = id_of(&id, l)?;
    ok(state
        .app
        .renovation_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// A write to a project: permission and CSRF, the project in the reader's reach (403 before the
/// request body is read); returns its id.
async fn project_in_reach(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
) -> Result<RenovationId, WebError> {
    write_guard(viewer, headers, Action::ManageRenovation)?;
    let l = viewer.lang;
    let id: RenovationId = id_of(id, l)?;
    state
        .app
        .renovation_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    Ok(id)
}

async fn project_date(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = project_in_reach(&state, &viewer, &headers, &id).await?;
    let l = viewer.lang;
    let b: DateJson = super::body(&bytes, l)?;
    ok(state
        .app
        .renovation_date(
            &viewer.principal(),
            id,
            RenovationDateInput {
                milestone: b.milestone,
                on: b.on,
                reason: b.reason,
                version: b.version,
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn project_household(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = project_in_reach(&state, &viewer, &headers, &id).await?;
    let l = viewer.lang;
    let b: HouseholdJson = super::body(&bytes, l)?;
    ok(state
        .app
        .answer_commitments(
            &viewer.principal(),
            id,
            CommitmentInput {
                house: b.house,
                owner: b.owner,
                commitments: Commitments {
                    demolish: b.demolish,
                    maintenance_fund: b.maintenance_fund,
                    repair_fees: b.repair_fees,
                },
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn fees_list(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    ok(state
        .app
        .fee_standards(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn fees_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::SetFeeStandards).await?;
    let l = viewer.lang;
    let b: FeeJson = super::body(&bytes, l)?;
    created(
        state
            .app
            .add_fee_standard(
                &viewer.principal(),
                FeeStandardInput {
                    compound_id: id,
                    fees: b.fees,
                    doc_no: b.doc_no,
                    approved_on: b.approved_on,
                    department: b.department,
                    note: b.note,
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}
