//! 公开选聘、任务与目标 — the public selection process (公告 → 报名 → 资格审查 → 入围 → 推荐 →
//! 选定), tasks per compound (overdue highlighted, marked done), and each street's dated
//! targets with their progress computed from the lifecycle (`anju_core::targets::progress`
//! through `App::target_progress`, as `anju targets` prints it).
//!
//! The handlers parse the form, call one use case of anju-app (`App::open_selection`,
//! `App::selection_step`, `App::add_target` …) and render. Every step is a POST carrying the CSRF token and the version of the record the page showed;
//! the store refuses a stale version with its Chinese conflict message, which the page shows
//! above the form with what was typed kept.

use crate::page::{
    Chrome, Refusal, app_refusal, html_error, parse_date_field, street_names, with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{CompoundFilter, Selection, TaskFilter};
use anju_app::selections::{SelectionInput, SelectionStep, SelectionStepInput};
use anju_app::tasks::TargetInput;
use anju_core::Lang;
use anju_core::access::{Action, can};
use anju_core::targets::{TargetKind, TargetStatus};
use anju_core::task::TaskStatus;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::BTreeSet;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/selections", get(selections_page).post(announce))
        .route("/selections/{id}", get(selection_page))
        .route("/selections/{id}/{step}", post(selection_step))
        .route("/tasks", get(tasks_page).post(add_task))
        .route("/tasks/{id}/done", post(task_done))
        .route("/targets", get(targets_page).post(add_target))
}

// ---------------------------------------------------------------------------------------------
// Shared

/// A posted form as name/value pairs (checkbox groups repeat a name).
#[derive(Debug, Default, Clone)]
pub(crate) struct Kept {
    /// Which form the values belong to.
    form: String,
    fields: Vec<(String, String)>,
}

impl Kept {
    fn new(form: &str, fields: Vec<(String, String)>) -> Kept {
        Kept {
            form: form.to_string(),
            fields,
        }
    }
    /// The value typed into `name` of `form`, if that form was the one posted.
    fn val(&self, form: &str, name: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.get(name)
    }
    fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// Whether `value` was chosen for `name` in `form`.
    fn has(&self, form: &str, name: &str, value: &i64) -> bool {
        let v = value.to_string();
        self.form == form && self.all(name).contains(&v.as_str())
    }
}

fn need(l: Lang, zh: &str, en: &str) -> Refusal {
    Refusal::Form(match l {
        Lang::Zh => format!("{zh}：请填写或选择"),
        Lang::En => format!("{en}: please fill in or choose"),
    })
}

/// A date typed into a form: blank is `None` (the application decides what that means).
fn opt_date(v: &str, zh: &str, en: &str, l: Lang) -> Result<Option<jiff::civil::Date>, Refusal> {
    match v.trim() {
        "" => Ok(None),
        d => d.parse().map(Some).map_err(|_| {
            Refusal::Form(match l {
                Lang::Zh => format!("{zh}：“{d}”不是有效日期（应为 2026-11-22 这样的格式）"),
                Lang::En => format!("{en}: '{d}' is not a date (write it like 2026-11-22)"),
            })
        }),
    }
}

fn int_field(v: &str, l: Lang, zh: &str, en: &str) -> Result<i64, Refusal> {
    v.trim().parse().map_err(|_| need(l, zh, en))
}

fn form_page(html: Result<String, WebError>, state: &AppState, viewer: &Viewer) -> Response {
    match html {
        Ok(h) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
        Err(e) => html_error(state, viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Selections

struct SelectionRow {
    link: String,
    title: String,
    street: String,
    announced_on: String,
    deadline: String,
    stage: String,
    registrations: usize,
    compounds: usize,
}

#[derive(Template)]
#[template(path = "selections.html")]
struct SelectionsPage {
    chrome: Chrome,
    l: Lang,
    rows: Vec<SelectionRow>,
    can_manage: bool,
    streets: Vec<String>,
    kept: Kept,
    error: Option<String>,
    today: String,
    action: String,
}

async fn selections_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let html = selections_html(&state, &viewer, Kept::default(), None).await;
    match html {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn selections_html(
    state: &AppState,
    viewer: &Viewer,
    kept: Kept,
    error: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let rows = state
        .app
        .selections(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?
        .into_iter()
        .map(|s| SelectionRow {
            link: with_lang(&format!("/selections/{}", s.id), l),
            stage: l.pick(s.stage.zh(), s.stage.en()).to_string(),
            registrations: s.registrations.len(),
            compounds: s.compounds.len(),
            announced_on: s.announced_on.to_string(),
            deadline: s.deadline.to_string(),
            street: s.street,
            title: s.title,
        })
        .collect();
    Ok(SelectionsPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("公开选聘", "Public selections"),
            "/selections",
        ),
        l,
        rows,
        can_manage: can(viewer.role, Action::ManageContracts),
        streets: street_names(state, viewer).await?,
        kept,
        error,
        today: state.app.today().to_string(),
        action: with_lang("/selections", l),
    }
    .render()?)
}

async fn announce(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let kept = Kept::new("announce", fields);
    if let Err(e) = viewer
        .require(Action::ManageContracts)
        .and_then(|()| viewer.check_csrf(&headers, Some(kept.get("csrf"))))
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<Selection, Refusal> = async {
        let date = |name: &str, zh: &str, en: &str| -> Result<_, Refusal> {
            opt_date(kept.get(name), zh, en, l)
        };
        let input = SelectionInput {
            street: kept.get("street").to_string(),
            title: kept.get("title").to_string(),
            announced_on: date("date", "公告日期", "announced on")?,
            deadline: date("deadline", "报名截止日期", "deadline")?,
        };
        state
            .app
            .open_selection(&viewer.principal(), input)
            .await
            .map_err(|e| app_refusal(e, l))
    }
    .await;
    match result {
        Ok(sel) => Redirect::to(&with_lang(&format!("/selections/{}", sel.id), l)).into_response(),
        Err(Refusal::Form(m)) => form_page(
            selections_html(&state, &viewer, kept, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

struct RegView {
    company_id: i64,
    company: String,
    registered_on: String,
    qualified: String,
    is_qualified: bool,
    shortlisted: bool,
    note: String,
}

struct SelCompoundView {
    compound_id: i64,
    link: String,
    name: String,
    recommended_on: String,
    chosen: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "selection.html")]
struct SelectionPage {
    chrome: Chrome,
    l: Lang,
    version: i64,
    title: String,
    street: String,
    announced_on: String,
    deadline: String,
    stage: String,
    registrations: Vec<RegView>,
    compounds: Vec<SelCompoundView>,
    can_manage: bool,
    all_companies: Vec<(i64, String)>,
    street_compounds: Vec<(i64, String)>,
    shortlist: Vec<(i64, String)>,
    kept: Kept,
    error: Option<String>,
    today: String,
    action_base: String,
    lang_suffix: &'static str,
}

async fn visible_selection(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<Selection, WebError> {
    state
        .app
        .selection(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))
}

async fn selection_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    match selection_html(&state, &viewer, id, Kept::default(), None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn selection_html(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    kept: Kept,
    error: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let sel = visible_selection(state, viewer, id).await?;
    let can_manage = can(viewer.role, Action::ManageContracts);
    let names: std::collections::HashMap<i64, String> = sel
        .registrations
        .iter()
        .map(|r| (r.company_id, r.company.clone()))
        .collect();
    let registrations = sel
        .registrations
        .iter()
        .map(|r| RegView {
            company_id: r.company_id,
            company: r.company.clone(),
            registered_on: r.registered_on.to_string(),
            qualified: match r.qualified {
                None => l.pick("待审查", "not screened"),
                Some(true) => l.pick("合格", "qualified"),
                Some(false) => l.pick("不合格", "not qualified"),
            }
            .to_string(),
            is_qualified: r.qualified == Some(true),
            shortlisted: r.shortlisted,
            note: r.screen_note.clone().unwrap_or_default(),
        })
        .collect();
    let compounds = sel
        .compounds
        .iter()
        .map(|c| SelCompoundView {
            compound_id: c.compound_id,
            link: with_lang(&format!("/compounds/{}", c.compound_id), l),
            name: c.name.clone(),
            recommended_on: c.recommended_on.to_string(),
            chosen: match (c.company_id, c.chosen_on) {
                (Some(co), Some(d)) => format!(
                    "{}（{d}）",
                    names.get(&co).cloned().unwrap_or_else(|| co.to_string())
                ),
                _ => l.pick("待选定", "to choose").to_string(),
            },
            open: c.company_id.is_none(),
        })
        .collect();
    let (all_companies, street_compounds) = if can_manage {
        let cos = state
            .app
            .selectable_companies()
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let cps = state
            .app
            .compounds(
                &viewer.principal(),
                CompoundFilter {
                    street: Some(sel.street.clone()),
                    ..CompoundFilter::default()
                },
            )
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?
            .into_iter()
            .map(|c| (c.id, c.compound.name))
            .collect();
        (cos, cps)
    } else {
        (Vec::new(), Vec::new())
    };
    let shortlist = sel
        .registrations
        .iter()
        .filter(|r| r.shortlisted)
        .map(|r| (r.company_id, r.company.clone()))
        .collect();
    Ok(SelectionPage {
        chrome: Chrome::new(
            state,
            viewer,
            sel.title.clone(),
            &format!("/selections/{id}"),
        ),
        l,
        version: sel.version,
        title: sel.title.clone(),
        street: sel.street.clone(),
        announced_on: sel.announced_on.to_string(),
        deadline: sel.deadline.to_string(),
        stage: l.pick(sel.stage.zh(), sel.stage.en()).to_string(),
        registrations,
        compounds,
        can_manage,
        all_companies,
        street_compounds,
        shortlist,
        kept,
        error,
        today: state.app.today().to_string(),
        action_base: format!("/selections/{id}"),
        lang_suffix: if l == Lang::En { "?lang=en" } else { "" },
    }
    .render()?)
}

async fn selection_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step)): Path<(i64, String)>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let kept = Kept::new(&step, fields);
    if let Err(e) = viewer
        .require(Action::ManageContracts)
        .and_then(|()| viewer.check_csrf(&headers, Some(kept.get("csrf"))))
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let ids = |name: &str| -> Vec<i64> {
            kept.all(name)
                .iter()
                .filter_map(|v| v.trim().parse().ok())
                .collect()
        };
        let step = match step.as_str() {
            "register" => SelectionStep::Register {
                company_id: int_field(kept.get("company"), l, "报名企业", "company")?,
            },
            "screen" => SelectionStep::Screen {
                qualified: ids("qualified"),
                note: Some(kept.get("note").to_string()),
            },
            "shortlist" => SelectionStep::Shortlist {
                companies: ids("companies"),
            },
            "recommend" => SelectionStep::Recommend {
                compound_id: int_field(kept.get("compound"), l, "推荐小区", "compound")?,
            },
            "choose" => SelectionStep::Choose {
                compound_id: int_field(kept.get("compound"), l, "小区", "compound")?,
                company_id: int_field(kept.get("company"), l, "选定企业", "company")?,
            },
            _ => {
                return Err(Refusal::Fail(WebError::BadRequest(format!(
                    "未知的选聘步骤：{step}"
                ))));
            }
        };
        let input = SelectionStepInput {
            version: anju_app::check::version(Some(kept.get("version")))
                .map_err(|e| app_refusal(e, l))?,
            on: opt_date(kept.get("date"), "日期", "date", l)?,
            step,
        };
        state
            .app
            .selection_step(&viewer.principal(), id, input)
            .await
            .map(|_| ())
            .map_err(|e| app_refusal(e, l))
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/selections/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => form_page(
            selection_html(&state, &viewer, id, kept, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Tasks

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
            compound_id,
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
    Path(id): Path<i64>,
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

// ---------------------------------------------------------------------------------------------
// Targets

struct TargetRow {
    label: String,
    kind: String,
    share: u32,
    due: String,
    baseline: String,
    required: u32,
    achieved: u32,
    percent: String,
    achieved_by_due: u32,
    status: String,
    status_code: &'static str,
    overdue: bool,
    missing: Vec<(String, String)>,
    missing_more: usize,
}

struct StreetTargets {
    street: String,
    rows: Vec<TargetRow>,
}

#[derive(Template)]
#[template(path = "targets.html")]
struct TargetsPage {
    chrome: Chrome,
    l: Lang,
    as_of: String,
    streets: Vec<StreetTargets>,
    street_names: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    kept: Kept,
    error: Option<String>,
    action: String,
}

#[derive(Debug, Default, Deserialize)]
struct TargetQuery {
    as_of: Option<String>,
}

async fn targets_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TargetQuery>,
) -> Response {
    let as_of = match q.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => state.app.today(),
        Some(s) => match s.parse() {
            Ok(d) => d,
            Err(_) => {
                return WebError::BadRequest(format!("as_of：“{s}”不是有效日期")).into_response();
            }
        },
    };
    match targets_html(&state, &viewer, as_of, Kept::default(), None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

const MISSING_SHOWN: usize = 20;

async fn targets_html(
    state: &AppState,
    viewer: &Viewer,
    as_of: jiff::civil::Date,
    kept: Kept,
    error: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let names = street_names(state, viewer).await?;
    let mut streets = Vec::new();
    for street in &names {
        let ps = state
            .app
            .target_progress(&viewer.principal(), street, as_of)
            .await
            .map_err(|e| WebError::app(e, l))?;
        if ps.is_empty() {
            continue;
        }
        let rows = ps
            .into_iter()
            .map(|p| {
                let overdue = p.status == TargetStatus::Overdue;
                TargetRow {
                    label: p.target.label.clone(),
                    kind: l.pick(p.target.kind.zh(), p.target.kind.en()).to_string(),
                    share: p.target.share_percent,
                    due: p.target.due.to_string(),
                    baseline: format!("{}（{}）", p.baseline, p.target.baseline_on),
                    required: p.required,
                    achieved: p.achieved,
                    percent: format!("{} %", p.percent),
                    achieved_by_due: p.achieved_by_due,
                    status: l.pick(p.status.zh(), p.status.en()).to_string(),
                    status_code: match p.status {
                        TargetStatus::Met => "met",
                        TargetStatus::OnTrack => "on_track",
                        TargetStatus::MetLate => "met_late",
                        TargetStatus::Overdue => "overdue",
                    },
                    overdue,
                    missing_more: p.missing.len().saturating_sub(MISSING_SHOWN),
                    missing: if overdue {
                        p.missing
                            .iter()
                            .take(MISSING_SHOWN)
                            .map(|(id, n)| (with_lang(&format!("/compounds/{id}"), l), n.clone()))
                            .collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        streets.push(StreetTargets {
            street: street.clone(),
            rows,
        });
    }
    Ok(TargetsPage {
        chrome: Chrome::new(state, viewer, l.pick("目标", "Targets"), "/targets"),
        l,
        as_of: as_of.to_string(),
        streets,
        street_names: names,
        kinds: TargetKind::ALL
            .iter()
            .map(|k| (k.code(), l.pick(k.zh(), k.en())))
            .collect(),
        can_manage: can(viewer.role, Action::ManageTasks),
        kept,
        error,
        action: with_lang("/targets", l),
    }
    .render()?)
}

async fn add_target(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let kept = Kept::new("target", fields);
    if let Err(e) = viewer
        .require(Action::ManageTasks)
        .and_then(|()| viewer.check_csrf(&headers, Some(kept.get("csrf"))))
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let kind = match kept.get("kind").trim() {
            "" => None,
            k => Some(TargetKind::from_code(k).ok_or_else(|| need(l, "目标类型", "kind"))?),
        };
        let share = match kept.get("share").trim() {
            "" => None,
            v => Some(v.parse::<i64>().map_err(|_| {
                Refusal::Form(match l {
                    Lang::Zh => format!("目标比例：“{v}”不是 1 至 100 的整数"),
                    Lang::En => format!("share: '{v}' is not a whole number 1–100"),
                })
            })?),
        };
        let input = TargetInput {
            street: kept.get("street").to_string(),
            kind,
            share,
            due: opt_date(kept.get("due"), "目标期限", "due date", l)?,
            baseline_on: opt_date(kept.get("baseline"), "基数日期", "baseline date", l)?,
            label: Some(kept.get("label").to_string()),
        };
        state
            .app
            .add_target(&viewer.principal(), input)
            .await
            .map(|_| ())
            .map_err(|e| app_refusal(e, l))
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang("/targets", l)).into_response(),
        Err(Refusal::Form(m)) => form_page(
            targets_html(&state, &viewer, state.app.today(), kept, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}
