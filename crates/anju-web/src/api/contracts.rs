//! Contracts: a compound's contracts, signing, filing (备案) and termination.

use super::{Out, VersionOn, bad_field, body, created, id_of, ok, write_guard};
use crate::{AppState, Viewer, WebError};
use anju_app::path::ContractTerms;
use anju_core::access::Action;
use anju_core::lifecycle::ExitKind;
use anju_core::{CompoundId, ContractId};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::Deserialize;

pub(super) async fn contracts_of(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let id: CompoundId = id_of(&id, viewer.lang)?;
    ok(state
        .app
        .contracts(&viewer.principal(), Some(id))
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?)
}

pub(super) async fn contract_sign(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageContracts)?;
    let l = viewer.lang;
    let c: ContractTerms = body(&bytes, l)?;
    created(
        state
            .app
            .sign_contract(&viewer.principal(), c)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

pub(super) async fn contract_file(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageContracts)?;
    let l = viewer.lang;
    let id: ContractId = id_of(&id, l)?;
    // The scope before the body: another area's contract is 403 whatever was sent.
    state
        .app
        .contract_in_scope(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let v: VersionOn = body(&bytes, l)?;
    let on = v.on.unwrap_or_else(|| state.app.today());
    ok(state
        .app
        .file_contract(&viewer.principal(), id, v.version, on)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = TerminateContract)]
pub(super) struct Terminate {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 终止方式代码
    #[schema(value_type = ExitKind)]
    kind: String,
    /// 终止原因
    reason: String,
    /// 发生日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
}

pub(super) async fn contract_terminate(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageContracts)?;
    let l = viewer.lang;
    let id: ContractId = id_of(&id, l)?;
    state
        .app
        .contract_in_scope(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let t: Terminate = body(&bytes, l)?;
    let kind = ExitKind::from_code(t.kind.trim()).ok_or_else(|| {
        bad_field(
            l,
            "kind",
            format!("终止方式 kind 不认识：“{}”", t.kind),
            format!("unknown kind: '{}'", t.kind),
        )
    })?;
    let on = t.on.unwrap_or_else(|| state.app.today());
    ok(state
        .app
        .terminate_contract(&viewer.principal(), id, t.version, kind, &t.reason, on)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    let id_c = || path_id("小区编号");
    vec![
        row(
            "get",
            "/api/v1/compounds/{id}/contracts",
            "contracts",
            "小区的物业服务合同",
            Some(A::ViewLedger),
            vec![id_c()],
            None,
            list::<anju_app::model::ContractRecord>(),
            Some(get(contracts_of)),
        ),
        row(
            "post",
            "/api/v1/contracts",
            "contracts",
            "签订物业服务合同",
            Some(A::ManageContracts),
            vec![],
            Some(ty::<anju_app::path::ContractTerms>()),
            ty::<anju_app::model::ContractRecord>(),
            Some(post(contract_sign)),
        ),
        row(
            "post",
            "/api/v1/contracts/{id}/file",
            "contracts",
            "合同备案",
            Some(A::ManageContracts),
            vec![path_id("合同编号")],
            Some(ty::<VersionOn>()),
            ty::<anju_app::model::ContractRecord>(),
            Some(post(contract_file)),
        ),
        row(
            "post",
            "/api/v1/contracts/{id}/terminate",
            "contracts",
            "终止合同（解聘、期满、退出）",
            Some(A::ManageContracts),
            vec![path_id("合同编号")],
            Some(ty::<Terminate>()),
            ty::<anju_app::model::ContractRecord>(),
            Some(post(contract_terminate)),
        ),
    ]
}
