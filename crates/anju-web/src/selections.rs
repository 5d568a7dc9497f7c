//! 公开选聘 — the public selection process (公告 → 报名 → 资格审查 → 入围 → 推荐 → 选定):
//! `/selections` lists the viewer's selections and announces one (`App::open_selection`),
//! `/selections/{id}` shows one with the steps the viewer may take (`App::selection_step`).
//!
//! The handlers parse the form, call one use case of anju-app and render. Every step is a POST
//! carrying the CSRF token and the version of the record the page showed; the store refuses a
//! stale version with its Chinese conflict message, which the page shows above the form with what
//! was typed kept.

use crate::page::{
    Chrome, Kept, Refusal, app_refusal, form_page, html_error, int_field, opt_date, street_names,
    with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{CompoundFilter, Selection};
use anju_app::selections::{SelectionInput, SelectionStep, SelectionStepInput};
use anju_core::Lang;
use anju_core::SelectionId;
use anju_core::access::{Action, can};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/selections", get(selections_page).post(announce))
        .route("/selections/{id}", get(selection_page))
        .route("/selections/{id}/{step}", post(selection_step))
}

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
    id: SelectionId,
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
    Path(id): Path<SelectionId>,
) -> Response {
    match selection_html(&state, &viewer, id, Kept::default(), None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn selection_html(
    state: &AppState,
    viewer: &Viewer,
    id: SelectionId,
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
    Path((id, step)): Path<(SelectionId, String)>,
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
