//! Tasks (督办) and the dated targets' progress.

use super::{Out, VersionOn, body, created, id_of, ok, write_guard};
use crate::api::types::TargetProgress;
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_app::model::TaskFilter;
use anju_core::TaskId;
use anju_core::access::Action;
use anju_core::task::TaskStatus;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TargetsQuery {
    #[serde(deserialize_with = "params::text")]
    street: Option<String>,
    #[serde(deserialize_with = "params::opt")]
    as_of: Option<jiff::civil::Date>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TasksQuery {
    #[serde(deserialize_with = "params::text")]
    street: Option<String>,
    #[serde(deserialize_with = "params::opt")]
    compound_id: Option<i64>,
    #[serde(deserialize_with = "params::code")]
    status: Option<TaskStatus>,
    #[serde(deserialize_with = "params::flag")]
    overdue: bool,
}

pub(super) async fn tasks_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: TasksQuery = params(raw.as_deref(), l)?;
    let filter = TaskFilter {
        street: q.street,
        compound_id: q.compound_id,
        status: q.status,
        overdue_as_of: q.overdue.then(|| state.app.today()),
        ..TaskFilter::default()
    };
    ok(state
        .app
        .tasks(&viewer.principal(), filter)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

pub(super) async fn task_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageTasks)?;
    let l = viewer.lang;
    let input: anju_app::tasks::TaskInput = body(&bytes, l)?;
    created(
        state
            .app
            .add_task(&viewer.principal(), input)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

pub(super) async fn task_done(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageTasks)?;
    let l = viewer.lang;
    let id: TaskId = id_of(&id, l)?;
    let who = viewer.principal();
    state
        .app
        .task_in_scope(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let v: VersionOn = body(&bytes, l)?;
    ok(state
        .app
        .set_task_status(&who, id, v.version, TaskStatus::Done, v.on)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

pub(super) async fn targets_get(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: TargetsQuery = params(raw.as_deref(), l)?;
    let street = q.street.unwrap_or_default();
    let as_of = q.as_of.unwrap_or_else(|| state.app.today());
    let progress = state
        .app
        .target_progress(&viewer.principal(), &street, as_of)
        .await
        .map_err(|e| WebError::app(e, l))?;
    ok(TargetProgress {
        street,
        as_of,
        targets: progress,
    })
}
