//! 任务 — tasks per compound (`/tasks`, overdue highlighted), added by the street and marked
//! done (`/tasks/{id}/done`).
//!
//! The handlers parse the form, call one use case of anju-app and render. Every step is a POST
//! carrying the CSRF token and the version of the record the page showed; the store refuses a
//! stale version with its Chinese conflict message, which the page shows above the form with what
//! was typed kept.

use crate::page::{
    Chrome, Kept, Refusal, form_page, html_error, int_field, parse_date_field, with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{CompoundFilter, TaskFilter};
use anju_core::Lang;
use anju_core::access::{Action, can};
use anju_core::task::TaskStatus;
use anju_core::{CompoundId, TaskId};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::BTreeSet;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(tasks_page).post(add_task))
        .route("/tasks/{id}/done", post(task_done))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct TaskQuery {
    street: Option<String>,
    status: Option<String>,
    overdue: Option<String>,
}

impl TaskQuery {
    fn street(&self) -> Option<String> {
        self.street
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
    fn status(&self) -> Option<TaskStatus> {
        self.status
            .as_deref()
            .and_then(|s| TaskStatus::from_code(s.trim()))
    }
    fn overdue(&self) -> bool {
        self.overdue
            .as_deref()
            .is_some_and(|v| !v.is_empty() && v != "0")
    }
    /// The page's path with these filters (for the language switch and redirects).
    fn path(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.street() {
            parts.push(format!("street={}", crate::page::urlencode(&s)));
        }
        if let Some(s) = self.status() {
            parts.push(format!("status={}", s.code()));
        }
        if self.overdue() {
            parts.push("overdue=1".to_string());
        }
        if parts.is_empty() {
            "/tasks".to_string()
        } else {
            format!("/tasks?{}", parts.join("&"))
        }
    }
}

struct TaskRow {
    id: i64,
    version: i64,
    compound_link: String,
    compound: String,
    street: String,
    community: String,
    title: String,
    detail: String,
    responsible: String,
    deadline: String,
    status: String,
    overdue: bool,
    open: bool,
    done_on: String,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    chrome: Chrome,
    l: Lang,
    rows: Vec<TaskRow>,
    open_count: usize,
    overdue_count: usize,
    streets: Vec<(String, bool)>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    overdue_only: bool,
    can_manage: bool,
    compounds: Vec<(i64, String)>,
    kept: Kept,
    error: Option<String>,
    today: String,
    add_action: String,
    lang_suffix: &'static str,
}

async fn tasks_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TaskQuery>,
) -> Response {
    match tasks_html(&state, &viewer, &q, Kept::default(), None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn tasks_html(
    state: &AppState,
    viewer: &Viewer,
    q: &TaskQuery,
    kept: Kept,
    error: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let today = state.app.today();
    let visible = state
        .app
        .compounds(&viewer.principal(), CompoundFilter::default())
        .await
        .map_err(|e| WebError::app(e, l))?;
    let tasks = state
        .app
        .tasks(
            &viewer.principal(),
            TaskFilter {
                street: q.street(),
                status: q.status(),
                overdue_as_of: q.overdue().then_some(today),
                ..TaskFilter::default()
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?;
    let rows: Vec<TaskRow> = tasks
        .iter()
        .map(|t| TaskRow {
            id: t.id,
            version: t.version,
            compound_link: with_lang(&format!("/compounds/{}", t.compound_id), l),
            compound: t.compound.clone(),
            street: t.street.clone(),
            community: t.community.clone().unwrap_or_default(),
            title: t.title.clone(),
            detail: t.detail.clone().unwrap_or_default(),
            responsible: t.responsible.clone(),
            deadline: t.deadline.to_string(),
            status: t.status.label(l).to_string(),
            overdue: t.overdue(today),
            open: t.status == TaskStatus::Open,
            done_on: t.done_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    let street = q.street().unwrap_or_default();
    let status = q.status().map(TaskStatus::code).unwrap_or("");
    let can_manage = can(viewer.role, Action::ManageTasks);
    let streets: BTreeSet<String> = visible.iter().map(|c| c.compound.street.clone()).collect();
    let mut compounds: Vec<(i64, String)> = if can_manage {
        visible
            .iter()
            .filter(|c| street.is_empty() || c.compound.street == street)
            .map(|c| {
                (
                    c.id,
                    format!("{}（{}）", c.compound.name, c.compound.street),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    compounds.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(TasksPage {
        chrome: Chrome::new(state, viewer, l.pick("任务", "Tasks"), &q.path()),
        l,
        open_count: rows.iter().filter(|r| r.open).count(),
        overdue_count: rows.iter().filter(|r| r.overdue).count(),
        rows,
        streets: streets
            .into_iter()
            .map(|s| {
                let sel = s == street;
                (s, sel)
            })
            .collect(),
        statuses: [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled]
            .into_iter()
            .map(|s| (s.code(), s.label(l), s.code() == status))
            .collect(),
        overdue_only: q.overdue(),
        can_manage,
        compounds,
        kept,
        error,
        today: today.to_string(),
        add_action: with_lang(&q.path(), l),
        lang_suffix: if l == Lang::En { "?lang=en" } else { "" },
    }
    .render()?)
}

async fn add_task(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(q): Query<TaskQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let kept = Kept::new("add", fields);
    if let Err(e) = viewer
        .require(Action::ManageTasks)
        .and_then(|()| viewer.check_csrf(&headers, Some(kept.get("csrf"))))
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let compound_id = int_field(kept.get("compound"), l, "小区", "compound")?;
        // Blank: the application layer asks for it, after the compound's scope.
        let deadline = match kept.get("deadline").trim() {
            "" => None,
            d => Some(
                parse_date_field(state.app.today(), d, "完成时间", "deadline", l)
                    .map_err(Refusal::Form)?,
            ),
        };
        let input = anju_app::tasks::TaskInput {
            compound_id: CompoundId(compound_id),
            title: kept.get("title").to_string(),
            detail: Some(kept.get("detail").to_string()),
            responsible: kept.get("responsible").to_string(),
            deadline,
        };
        state
            .app
            .add_task(&viewer.principal(), input)
            .await
            .map(|_| ())
            .map_err(|e| crate::page::app_refusal(e, l))
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&q.path(), l)).into_response(),
        Err(Refusal::Form(m)) => form_page(
            tasks_html(&state, &viewer, &q, kept, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

async fn task_done(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<TaskId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let kept = Kept::new(&format!("done{id}"), fields);
    if let Err(e) = viewer
        .require(Action::ManageTasks)
        .and_then(|()| viewer.check_csrf(&headers, Some(kept.get("csrf"))))
    {
        return html_error(&state, &viewer, e);
    }
    let q = TaskQuery::default();
    let result: Result<(), Refusal> = async {
        let who = viewer.principal();
        state
            .app
            .task_in_scope(&who, id)
            .await
            .map_err(|e| crate::page::app_refusal(e, l))?;
        let version = anju_app::check::version(Some(kept.get("version")))
            .map_err(|e| crate::page::app_refusal(e, l))?;
        let on = parse_date_field(
            state.app.today(),
            kept.get("date"),
            "完成日期",
            "done on",
            l,
        )
        .map_err(Refusal::Form)?;
        state
            .app
            .set_task_status(&who, id, version, TaskStatus::Done, Some(on))
            .await
            .map(|_| ())
            .map_err(|e| crate::page::app_refusal(e, l))
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang("/tasks", l)).into_response(),
        Err(Refusal::Form(m)) => form_page(
            tasks_html(&state, &viewer, &q, kept, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}
