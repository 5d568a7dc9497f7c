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

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/tasks",
            "tasks",
            "任务列表（限管辖范围）",
            Some(A::ViewLedger),
            vec![
                query("street", "string", "街道名称"),
                query("compound_id", "integer", "小区编号"),
                typed_query("status", ty::<TaskStatus>(), "任务状态"),
                query("overdue", "string", "true：只列逾期任务"),
            ],
            None,
            list::<anju_app::model::Task>(),
            Some(get(tasks_list)),
        ),
        row(
            "post",
            "/api/v1/tasks",
            "tasks",
            "新建任务",
            Some(A::ManageTasks),
            vec![],
            Some(ty::<anju_app::tasks::TaskInput>()),
            ty::<anju_app::model::Task>(),
            Some(post(task_create)),
        ),
        row(
            "post",
            "/api/v1/tasks/{id}/done",
            "tasks",
            "标记任务完成（须带版本号）",
            Some(A::ManageTasks),
            vec![path_id("任务编号")],
            Some(ty::<VersionOn>()),
            ty::<anju_app::model::Task>(),
            Some(post(task_done)),
        ),
        row(
            "get",
            "/api/v1/targets",
            "targets",
            "一个街道的阶段目标与完成进度",
            Some(A::ViewLedger),
            vec![
                required_query("street", "string", "街道名称"),
                query("as_of", "date", "截至日期（默认今天）"),
            ],
            None,
            ty::<TargetProgress>(),
            Some(get(targets_get)),
        ),
    ]
}
