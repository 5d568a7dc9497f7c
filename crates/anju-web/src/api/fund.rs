//! 专项维修资金 (issue 19 item 4; seed 003 三（一）) through the JSON API: a compound's fund (balance,
//! money in and out, the uses), a deposit or 续筹 by 住建, a use applied for by the street or the
//! community, and each step of a use: the owners' vote that carried it, 住建's approval or
//! rejection, the payment. Every amount is in fen. The rules are `anju_app::fund`.

use super::{Out, compound_write, created, id_of, ok, path_id, row, write_guard};
use crate::api::types::ty;
use crate::{AppState, Viewer, WebError};
use anju_app::fund::{FundDepositInput, FundStepInput, FundStepKind, FundUseInput};
use anju_app::model::{FundAccount, FundEntry, FundUse};
use anju_core::Fen;
use anju_core::access::Action;
use anju_core::ids::{CompoundId, FundUseId, VoteId};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use jiff::civil::Date;
use serde::Deserialize;

/// The row of a step's route: its permission and body are the body type's.
fn step_row<B: StepBody + utoipa::ToSchema + 'static>(
    path: &'static str,
    summary: &'static str,
) -> super::ApiRoute {
    row(
        "post",
        path,
        "fund",
        summary,
        Some(B::ACTION),
        vec![path_id("使用申请编号")],
        Some(ty::<B>()),
        ty::<FundUse>(),
        Some(post(step::<B>)),
    )
}

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/compounds/{id}/fund",
            "fund",
            "小区的专项维修资金：余额（分）、缴存与拨付明细、使用申请及其办理情况（最近的在前）",
            Some(A::ViewLedger),
            vec![path_id("小区编号")],
            None,
            ty::<FundAccount>(),
            Some(get(account)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/fund/deposits",
            "fund",
            "住建部门登记缴存（首期归集/缴存）；续筹须引用通过的“筹集维修资金”表决（vote_id，须经专有部分面积和人数均四分之三以上同意）",
            Some(A::ManageFund),
            vec![path_id("小区编号")],
            Some(ty::<DepositJson>()),
            ty::<FundEntry>(),
            Some(post(deposit)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/fund/uses",
            "fund",
            "街道或社区申请使用维修资金：事项、预算（分）、报价",
            Some(A::RunVotes),
            vec![path_id("小区编号")],
            Some(ty::<UseJson>()),
            ty::<FundUse>(),
            Some(post(apply)),
        ),
        step_row::<VoteStepJson>(
            "/api/v1/fund-uses/{id}/vote",
            "登记通过该使用事项的业主表决（vote_id：已计票、通过、未使用过的“使用维修资金”表决）",
        ),
        step_row::<StepJson>(
            "/api/v1/fund-uses/{id}/approve",
            "住建部门审批：须已有通过的业主表决",
        ),
        step_row::<RejectJson>(
            "/api/v1/fund-uses/{id}/reject",
            "住建部门驳回：理由（reason，必填）",
        ),
        step_row::<PayJson>(
            "/api/v1/fund-uses/{id}/pay",
            "拨付（分；不填为预算金额）：须已审批，不得超过预算和资金余额",
        ),
    ]
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = FundDepositBody)]
pub(super) struct DepositJson {
    /// 金额（分，大于 0）
    #[schema(value_type = i64)]
    amount: Fen,
    /// 缴存日期 YYYY-MM-DD（不得晚于今天）
    on: Date,
    /// 说明
    #[serde(default)]
    note: Option<String>,
    /// 续筹时：通过的“筹集维修资金”表决编号
    #[serde(default)]
    vote_id: Option<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = FundUseBody)]
pub(super) struct UseJson {
    /// 使用事项（如“更换电梯”“屋面防水”）
    title: String,
    /// 预算金额（分，大于 0）
    #[schema(value_type = i64)]
    cost: Fen,
    /// 报价情况
    #[serde(default)]
    quotes: Option<String>,
    /// 申请日期 YYYY-MM-DD（不得晚于今天）
    applied_on: Date,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = FundStepBody)]
pub(super) struct StepJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 办理日期 YYYY-MM-DD（不填为今天；不得晚于今天，不得早于申请日期）
    #[serde(default)]
    on: Option<Date>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = FundVoteStepBody)]
pub(super) struct VoteStepJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 通过的“使用维修资金”表决编号
    vote_id: i64,
    /// 办理日期 YYYY-MM-DD（不填为今天；不得晚于今天，不得早于申请日期）
    #[serde(default)]
    on: Option<Date>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = FundRejectBody)]
pub(super) struct RejectJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 驳回理由
    reason: String,
    /// 办理日期 YYYY-MM-DD（不填为今天；不得晚于今天，不得早于申请日期）
    #[serde(default)]
    on: Option<Date>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = FundPayBody)]
pub(super) struct PayJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 拨付金额（分；不填为预算金额）
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    amount: Option<Fen>,
    /// 拨付日期 YYYY-MM-DD（不填为今天；不得晚于今天，不得早于申请日期）
    #[serde(default)]
    on: Option<Date>,
}

async fn account(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    ok(state
        .app
        .fund_account(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn deposit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::ManageFund).await?;
    let l = viewer.lang;
    let b: DepositJson = super::body(&bytes, l)?;
    created(
        state
            .app
            .deposit_fund(
                &viewer.principal(),
                FundDepositInput {
                    compound_id: id,
                    amount: b.amount,
                    on: b.on,
                    note: b.note,
                    vote_id: b.vote_id.map(VoteId::from),
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::RunVotes).await?;
    let l = viewer.lang;
    let b: UseJson = super::body(&bytes, l)?;
    created(
        state
            .app
            .apply_fund_use(
                &viewer.principal(),
                FundUseInput {
                    compound_id: id,
                    title: b.title,
                    cost: b.cost,
                    quotes: b.quotes,
                    applied_on: b.applied_on,
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

/// A step's body: the permission its step needs and the step it asks for (`on`: today when
/// not given).
trait StepBody: serde::de::DeserializeOwned {
    const ACTION: Action;
    fn input(self, today: Date) -> FundStepInput;
}

impl StepBody for VoteStepJson {
    const ACTION: Action = Action::RunVotes;
    fn input(self, today: Date) -> FundStepInput {
        FundStepInput {
            step: FundStepKind::Vote,
            vote_id: Some(VoteId::from(self.vote_id)),
            on: self.on.unwrap_or(today),
            amount: None,
            reason: None,
            version: self.version,
        }
    }
}

impl StepBody for StepJson {
    const ACTION: Action = Action::ManageFund;
    fn input(self, today: Date) -> FundStepInput {
        FundStepInput {
            step: FundStepKind::Approve,
            vote_id: None,
            on: self.on.unwrap_or(today),
            amount: None,
            reason: None,
            version: self.version,
        }
    }
}

impl StepBody for RejectJson {
    const ACTION: Action = Action::ManageFund;
    fn input(self, today: Date) -> FundStepInput {
        FundStepInput {
            step: FundStepKind::Reject,
            vote_id: None,
            on: self.on.unwrap_or(today),
            amount: None,
            reason: Some(self.reason),
            version: self.version,
        }
    }
}

impl StepBody for PayJson {
    const ACTION: Action = Action::ManageFund;
    fn input(self, today: Date) -> FundStepInput {
        FundStepInput {
            step: FundStepKind::Pay,
            vote_id: None,
            on: self.on.unwrap_or(today),
            amount: self.amount,
            reason: None,
            version: self.version,
        }
    }
}

/// A step of a use: the step's permission and CSRF, the use in the reader's reach (403 before
/// the body is read), then the step as the application layer rules it.
async fn step<B: StepBody>(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, B::ACTION)?;
    let l = viewer.lang;
    let id: FundUseId = id_of(&id, l)?;
    let who = viewer.principal();
    state
        .app
        .fund_use_compound(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let b: B = super::body(&bytes, l)?;
    ok(state
        .app
        .fund_use_step(&who, id, b.input(state.app.today()))
        .await
        .map_err(|e| WebError::app(e, l))?)
}
