//! 红色物业 (issue 19 item 3) through the JSON API: a compound's records (党支部/党小组,
//! 党建指导员, 双向进入、交叉任职, 征询), adding one, and ending one or recording a 征询's
//! rectified suggestions. The rules are `anju_app::party`.

use super::{Out, compound_in_scope, created, id_of, ok, path_id, row, write_guard};
use crate::api::types::ty;
use crate::{AppState, Viewer, WebError};
use anju_app::model::PartyRecord;
use anju_app::party::{PartyChangeInput, PartyRecordInput, PartyRecords};
use anju_core::access::Action;
use anju_core::ids::{CompoundId, PartyRecordId};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/compounds/{id}/party",
            "party",
            "小区的红色物业记录（党支部/党小组、党建指导员、交叉任职、征询），最近的在前",
            Some(A::ViewLedger),
            vec![path_id("小区编号")],
            None,
            ty::<PartyRecords>(),
            Some(get(records_list)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/party",
            "party",
            "新增红色物业记录：党支部/党小组须填党员人数，党建指导员须填派驻单位，征询填合理化建议与已整改条数",
            Some(A::ManageParty),
            vec![path_id("小区编号")],
            Some(ty::<PartyRecordInput>()),
            ty::<PartyRecord>(),
            Some(post(record_add)),
        ),
        row(
            "post",
            "/api/v1/party-records/{id}",
            "party",
            "结束一条记录（ended_on），或更新征询的已整改条数（rectified）；version 必填",
            Some(A::ManageParty),
            vec![path_id("红色物业记录编号")],
            Some(ty::<PartyChangeInput>()),
            ty::<PartyRecord>(),
            Some(post(record_change)),
        ),
    ]
}

async fn records_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    ok(state
        .app
        .party_records(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn record_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageParty)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    // Another street's compound is refused before the body is read.
    compound_in_scope(&state, &viewer, id).await?;
    let b: PartyRecordInput = super::body(&bytes, l)?;
    created(
        state
            .app
            .add_party_record(&viewer.principal(), id, b)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn record_change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageParty)?;
    let l = viewer.lang;
    let id: PartyRecordId = id_of(&id, l)?;
    state
        .app
        .party_record(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let b: PartyChangeInput = super::body(&bytes, l)?;
    ok(state
        .app
        .change_party_record(&viewer.principal(), id, b)
        .await
        .map_err(|e| WebError::app(e, l))?)
}
