//! 调度表报送 in the browser: the district sets the day its streets start filing; a street's
//! officer files its sheet for a 1st or a 15th (the sheet is the 调度表 report of its street,
//! frozen with the filing); everyone in scope sees each street's standing — 按期报送, 逾期报送,
//! 逾期未报 — and opens a filing to read the sheet as it was filed. The rules are
//! `anju_app::filings`; this module parses the forms and renders.

use crate::auth::Viewer;
use crate::page::{Chrome, Refusal, app_refusal, html_error, with_lang};
use crate::{AppState, WebError};
use anju_core::access::{Action, Role};
use anju_core::dispatch::Standing;
use anju_core::{Lang, RegionLevel};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dispatch", get(overview))
        .route("/dispatch/file", post(file))
        .route("/dispatch/schedule", post(schedule))
        .route("/dispatch/filings/{id}", get(filing))
}

struct Cell {
    due: String,
    text: String,
    class: &'static str,
    link: Option<String>,
}

struct StreetRow {
    street: String,
    district: String,
    overdue: u32,
    cells: Vec<Cell>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct FileForm {
    csrf: Option<String>,
    due_on: Option<String>,
    note: Option<String>,
    district: Option<String>,
    starts_on: Option<String>,
    version: Option<String>,
}

#[derive(Template)]
#[template(path = "dispatch.html")]
struct OverviewPage {
    chrome: Chrome,
    /// (district id, district, first day, version, may move it).
    schedules: Vec<(i64, String, String, i64, bool)>,
    streets: Vec<StreetRow>,
    /// A street's officer: the days it may file for.
    fileable: Option<Vec<(String, bool)>>,
    /// The district's set-up: (id, name, selected).
    districts: Option<Vec<(String, String, bool)>>,
    report_link: String,
    form: FileForm,
    error: Option<String>,
}

fn cell(due: jiff::civil::Date, s: Standing, id: Option<i64>, l: Lang) -> Cell {
    Cell {
        due: due.to_string(),
        text: s.label(l),
        class: match s {
            Standing::OnTime { .. } => "ok",
            Standing::Late { .. } => "late",
            Standing::Missing { .. } => "missing",
            Standing::Due => "due",
        },
        link: id.map(|id| with_lang(&format!("/dispatch/filings/{id}"), l)),
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    form: FileForm,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    let o = state.app.filing_overview(&who).await.map_err(app_err)?;
    let streets = o
        .streets
        .iter()
        .map(|s| StreetRow {
            street: s.street.clone(),
            district: s.district.clone(),
            overdue: s.overdue,
            cells: s
                .days
                .iter()
                .map(|d| cell(d.due_on, d.standing, d.filing_id, l))
                .collect(),
        })
        .collect();
    let files = viewer.role != Role::Auditor
        && viewer.require(Action::ManageTasks).is_ok()
        && viewer.region_level == Some(RegionLevel::Street);
    let fileable = if files {
        let chosen = form.due_on.clone().unwrap_or_default();
        Some(
            state
                .app
                .fileable_days(&who, None)
                .await
                .map_err(app_err)?
                .into_iter()
                .map(|d| {
                    let s = d.to_string();
                    let sel = s == chosen;
                    (s, sel)
                })
                .collect(),
        )
    } else {
        None
    };
    let may_schedule =
        viewer.role != Role::Auditor && viewer.require(Action::ManageDepartments).is_ok();
    let districts = if may_schedule {
        let chosen = form.district.clone().unwrap_or_default();
        Some(
            state
                .app
                .schedulable_districts(&who)
                .await
                .map_err(app_err)?
                .into_iter()
                .map(|r| {
                    let id = r.id.to_string();
                    let sel = id == chosen;
                    (id, r.name, sel)
                })
                .collect::<Vec<_>>(),
        )
    } else {
        None
    };
    let page = OverviewPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("调度表报送", "Progress sheets"),
            "/dispatch",
        ),
        schedules: o
            .schedules
            .iter()
            .map(|s| {
                let mine = districts
                    .as_ref()
                    .is_some_and(|d| d.iter().any(|(id, ..)| *id == s.district_id.to_string()));
                (
                    s.district_id,
                    s.district.clone(),
                    s.starts_on.to_string(),
                    s.version,
                    mine,
                )
            })
            .collect(),
        streets,
        fileable,
        // A new schedule only for a district without one (a set one is moved on its own line).
        districts: districts.map(|ds| {
            ds.into_iter()
                .filter(|(id, ..)| !o.schedules.iter().any(|p| p.district_id.to_string() == *id))
                .collect()
        }),
        report_link: with_lang("/reports/dispatch", l),
        form,
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

async fn overview(State(state): State<AppState>, viewer: Viewer) -> Response {
    match page(&state, &viewer, FileForm::default(), None).await {
        Ok((s, h)) => (s, Html(h)).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn after(
    state: &AppState,
    viewer: &Viewer,
    result: Result<(), Refusal>,
    form: FileForm,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&with_lang("/dispatch", viewer.lang)).into_response(),
        Err(Refusal::Form(m)) => match page(state, viewer, form, Some(m)).await {
            Ok((s, h)) => (s, Html(h)).into_response(),
            Err(e) => html_error(state, viewer, e),
        },
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

fn date_field(v: Option<&str>, zh: &str, en: &str, l: Lang) -> Result<jiff::civil::Date, Refusal> {
    let v = v.map(str::trim).unwrap_or("");
    v.parse().map_err(|_| {
        Refusal::Form(if v.is_empty() {
            format!("{}：{}", l.pick(zh, en), l.pick("请选择", "choose one"))
        } else {
            format!(
                "{}：{}",
                l.pick(zh, en),
                l.pick(
                    "日期格式不对，应如 2026-12-01",
                    "not a date, write it as 2026-12-01"
                )
            )
        })
    })
}

async fn file(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<FileForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer
        .require(Action::ManageTasks)
        .and_then(|()| viewer.check_csrf(&headers, f.csrf.as_deref()))
    {
        return html_error(&state, &viewer, e);
    }
    let result = async {
        let due = date_field(f.due_on.as_deref(), "报送期次", "filing day", l)?;
        state
            .app
            .file_dispatch(&viewer.principal(), None, due, f.note.as_deref())
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    after(&state, &viewer, result, f).await
}

async fn schedule(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<FileForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer
        .require(Action::ManageDepartments)
        .and_then(|()| viewer.check_csrf(&headers, f.csrf.as_deref()))
    {
        return html_error(&state, &viewer, e);
    }
    let result = async {
        let district = f
            .district
            .as_deref()
            .map(str::trim)
            .and_then(|d| d.parse::<i64>().ok())
            .ok_or_else(|| {
                Refusal::Form(l.pick("区：请选择", "district: choose one").to_string())
            })?;
        let starts = date_field(f.starts_on.as_deref(), "起报日期", "first day", l)?;
        // The version its form showed (0: a district without a schedule).
        let version =
            anju_app::check::version(f.version.as_deref()).map_err(|e| app_refusal(e, l))?;
        state
            .app
            .set_dispatch_schedule(&viewer.principal(), district, starts, version)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    after(&state, &viewer, result, f).await
}

#[derive(Template)]
#[template(path = "dispatch_filing.html")]
struct FilingPage {
    chrome: Chrome,
    street: String,
    due: String,
    standing: String,
    late: bool,
    filed_by: String,
    note: Option<String>,
    headings: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

async fn filing(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let l = viewer.lang;
    let r: Result<String, WebError> = async {
        let f = state
            .app
            .filed_sheet(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, l))?;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let rows = f
            .sheet
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.no.to_string(),
                    opt(&r.community),
                    r.compound.clone(),
                    r.category.map(|c| c.to_string()).unwrap_or_default(),
                    opt(&r.company),
                    r.nature.clone(),
                    r.entry_on.map(|d| d.to_string()).unwrap_or_default(),
                    opt(&r.service),
                    opt(&r.manager),
                    opt(&r.phone),
                    opt(&r.remarks),
                ]
            })
            .collect();
        let page = FilingPage {
            chrome: Chrome::new(
                &state,
                &viewer,
                format!(
                    "{} · {} {}",
                    f.filing.street,
                    anju_reports::DISPATCH_TITLE,
                    f.filing.due_on
                ),
                "/dispatch",
            ),
            street: f.filing.street.clone(),
            due: f.filing.due_on.to_string(),
            standing: f.standing.label(l),
            late: matches!(f.standing, Standing::Late { .. }),
            filed_by: f.filing.filed_by.clone(),
            note: f.filing.note.clone(),
            headings: anju_reports::DISPATCH_HEADINGS.to_vec(),
            rows,
        };
        Ok(page.render()?)
    }
    .await;
    match r {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}
