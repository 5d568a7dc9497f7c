//! Satisfaction surveys (满意度调查) in the browser: a street or community opens one for a
//! compound (the seed's sampling rule decides how many households must answer), prints the A4
//! sheet of QR codes, issues more links, watches the answers come in, sees the result (and
//! whether it proposes dismissing the company) and closes it. Every step is the application
//! layer's (`App::open_survey`, `issue_survey_links`, `survey_links`, `survey_result`,
//! `close_survey`); this module parses the forms and renders.

use crate::auth::Viewer;
use crate::page::{Chrome, Refusal, app_refusal, html_error, visible_compound, with_lang};
use crate::{AppState, WebError};
use anju_app::model::{SurveyFilter, SurveyRule};
use anju_app::surveys::SurveyInput;
use anju_core::Lang;
use anju_core::access::{Action, Role};
use anju_core::{CompoundId, SurveyId};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(open))
        .route("/surveys/new", get(new_form))
        .route("/surveys/{id}", get(show))
        .route("/surveys/{id}/links", post(more_links))
        .route("/surveys/{id}/close", post(close))
        .route("/surveys/{id}/qr", get(qr_sheet))
}

fn rule_label(r: SurveyRule, l: Lang) -> &'static str {
    match r {
        SurveyRule::Erqi => l.pick(
            "二七区办法（不少于总户数的 10%）",
            "Erqi (at least 10 % of households)",
        ),
        SurveyRule::Daqintala => l.pick(
            "大沁他拉办法（100 户以下不少于 10 户，以上不少于 10%）",
            "Daqintala (up to 100 households at least 10, more: 10 %)",
        ),
    }
}

fn may_manage(viewer: &Viewer) -> bool {
    viewer.role != Role::Auditor && anju_core::access::can(viewer.role, Action::ManageSurveys)
}

// ---------------------------------------------------------------------------------------------
// The list

struct Row {
    link: String,
    compound: String,
    period: String,
    status: String,
}

#[derive(Template)]
#[template(path = "surveys.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let l = viewer.lang;
    let surveys = match state
        .app
        .surveys(&viewer.principal(), SurveyFilter::default())
        .await
    {
        Ok(s) => s,
        Err(e) => return html_error(&state, &viewer, WebError::app(e, l)),
    };
    let rows = surveys
        .into_iter()
        .map(|s| Row {
            link: with_lang(&format!("/surveys/{}", s.id), l),
            compound: s.compound,
            period: s.period,
            status: if s.closed {
                l.pick("已结束", "closed")
            } else {
                l.pick("进行中", "open")
            }
            .to_string(),
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(&state, &viewer, l.pick("满意度调查", "Surveys"), "/surveys"),
        rows,
    };
    match page.render() {
        Ok(h) => Html(h).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Opening one

#[derive(Debug, Default, Clone, Deserialize)]
struct OpenForm {
    csrf: Option<String>,
    compound: Option<String>,
    period: Option<String>,
    rule: Option<String>,
    tokens: Option<String>,
    ends_on: Option<String>,
}

#[derive(Template)]
#[template(path = "survey_new.html")]
struct NewPage {
    chrome: Chrome,
    compound_id: i64,
    compound: String,
    households: String,
    rules: Vec<(&'static str, &'static str, bool)>,
    form: OpenForm,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    compound: Option<i64>,
}

fn default_period(today: jiff::civil::Date) -> String {
    format!(
        "{}{}",
        today.year(),
        if today.month() <= 6 { "H1" } else { "H2" }
    )
}

async fn new_page(
    state: &AppState,
    viewer: &Viewer,
    compound_id: i64,
    form: OpenForm,
    error: Option<String>,
) -> Response {
    let l = viewer.lang;
    let c = match visible_compound(state, viewer, CompoundId(compound_id)).await {
        Ok(c) => c,
        Err(e) => return html_error(state, viewer, e),
    };
    let chosen = form.rule.clone().unwrap_or_else(|| "daqintala".into());
    let rules = [SurveyRule::Daqintala, SurveyRule::Erqi]
        .into_iter()
        .map(|r| (r.code(), rule_label(r, l), r.code() == chosen))
        .collect();
    let form = OpenForm {
        period: Some(
            form.period
                .clone()
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| default_period(state.app.today())),
        ),
        ..form
    };
    let page = NewPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {}",
                c.compound.name,
                l.pick("发起满意度调查", "Open a survey")
            ),
            &format!("/surveys/new?compound={compound_id}"),
        ),
        compound_id,
        compound: c.compound.name.clone(),
        households: c
            .compound
            .households
            .map(|h| h.to_string())
            .unwrap_or_else(|| "—".into()),
        rules,
        form,
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    match page.render() {
        Ok(h) => (status, Html(h)).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NewQuery>,
) -> Response {
    if let Err(e) = viewer.require(Action::ManageSurveys) {
        return html_error(&state, &viewer, e);
    }
    let Some(id) = q.compound else {
        return html_error(
            &state,
            &viewer,
            WebError::BadRequest(
                viewer
                    .lang
                    .pick(
                        "请从小区页面发起调查（缺少小区）",
                        "open a survey from a compound's page (no compound given)",
                    )
                    .to_string(),
            ),
        );
    };
    new_page(&state, &viewer, id, OpenForm::default(), None).await
}

/// A number typed in a field, or the form again naming it.
fn count_of(v: Option<&str>, zh: &str, en: &str, l: Lang) -> Result<Option<u32>, Refusal> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<u32>().map(Some).map_err(|_| {
            Refusal::Form(match l {
                Lang::Zh => format!("{zh}：“{s}”不是整数"),
                Lang::En => format!("{en}: '{s}' is not a whole number"),
            })
        }),
    }
}

async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<OpenForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer.require(Action::ManageSurveys) {
        return html_error(&state, &viewer, e);
    }
    let Some(compound_id) = f
        .compound
        .as_deref()
        .and_then(|c| c.trim().parse::<i64>().ok())
    else {
        return html_error(
            &state,
            &viewer,
            WebError::BadRequest(l.pick("缺少小区", "no compound given").to_string()),
        );
    };
    if let Err(e) = viewer.check_csrf(&headers, f.csrf.as_deref()) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<i64, Refusal> = async {
        let rule = match f.rule.as_deref().map(str::trim) {
            Some("erqi") => SurveyRule::Erqi,
            Some("daqintala") => SurveyRule::Daqintala,
            _ => {
                return Err(Refusal::Form(
                    l.pick("抽样办法：请选择", "sampling rule: choose one")
                        .to_string(),
                ));
            }
        };
        let tokens = count_of(f.tokens.as_deref(), "本次发放份数", "links now", l)?;
        let ends_on = match f
            .ends_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(s.parse::<jiff::civil::Date>().map_err(|_| {
                Refusal::Form(match l {
                    Lang::Zh => format!("截止日期：“{s}”不是有效日期（如 2026-12-31）"),
                    Lang::En => format!("closes on: '{s}' is not a date (like 2026-12-31)"),
                })
            })?),
        };
        let (survey, _) = state
            .app
            .open_survey(
                &viewer.principal(),
                SurveyInput {
                    compound_id,
                    period: f.period.clone().unwrap_or_default(),
                    rule,
                    households: None,
                    tokens,
                    starts_on: None,
                    ends_on,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(survey.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&with_lang(&format!("/surveys/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => new_page(&state, &viewer, compound_id, f, Some(m)).await,
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// One survey

struct LinkRow {
    label: String,
    link: String,
    used: bool,
}

#[derive(Template)]
#[template(path = "survey_show.html")]
struct ShowPage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    facts: Vec<(&'static str, String)>,
    verdict: String,
    dismissal: bool,
    closed: bool,
    manage: bool,
    version: i64,
    links: Vec<LinkRow>,
    links_action: String,
    close_action: String,
    qr_link: String,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: SurveyId,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    let r = state.app.survey_result(&who, id).await.map_err(app_err)?;
    let s = &r.survey;
    let manage = may_manage(viewer);
    let links = if manage {
        state
            .app
            .survey_links(&who, id)
            .await
            .map_err(app_err)?
            .into_iter()
            .enumerate()
            .map(|(i, t)| LinkRow {
                label: t.household.clone().unwrap_or_else(|| match l {
                    Lang::Zh => format!("第 {} 户", i + 1),
                    Lang::En => format!("household {}", i + 1),
                }),
                link: t.link(),
                used: t.used,
            })
            .collect()
    } else {
        Vec::new()
    };
    let facts = vec![
        (l.pick("调查期间", "Period"), s.period.clone()),
        (
            l.pick("抽样办法", "Sampling rule"),
            rule_label(s.rule, l).to_string(),
        ),
        (l.pick("总户数", "Households"), s.households.to_string()),
        (
            l.pick("至少回收", "Answers needed"),
            s.required_sample.to_string(),
        ),
        (l.pick("已发放", "Links issued"), r.issued.to_string()),
        (l.pick("已回收", "Answers"), r.responses.to_string()),
        (l.pick("满意", "Satisfied"), r.satisfied.to_string()),
        (l.pick("不满意", "Dissatisfied"), r.dissatisfied.to_string()),
        (
            l.pick("满意率", "Satisfaction"),
            r.rate_text.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            l.pick("截止日期", "Closes on"),
            s.ends_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
        ),
        (
            l.pick("状态", "Status"),
            if s.closed {
                l.pick("已结束", "closed")
            } else {
                l.pick("进行中", "open")
            }
            .to_string(),
        ),
    ];
    let verdict = if r.valid {
        l.pick(
            "样本已达要求，调查有效",
            "enough answers: the survey is valid",
        )
        .to_string()
    } else {
        r.invalid_reason
            .clone()
            .unwrap_or_else(|| l.pick("样本不足", "not enough answers yet").to_string())
    };
    let page = ShowPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {} {}",
                s.compound,
                l.pick("满意度调查", "survey"),
                s.period
            ),
            &format!("/surveys/{id}"),
        ),
        compound: s.compound.clone(),
        compound_link: with_lang(&format!("/compounds/{}", s.compound_id), l),
        facts,
        verdict,
        dismissal: r.dismissal_triggered,
        closed: s.closed,
        manage,
        version: s.version,
        links,
        links_action: with_lang(&format!("/surveys/{id}/links"), l),
        close_action: with_lang(&format!("/surveys/{id}/close"), l),
        qr_link: with_lang(&format!("/surveys/{id}/qr"), l),
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<SurveyId>) -> Response {
    match page(&state, &viewer, id, None).await {
        Ok((status, h)) => (status, Html(h)).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn after(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<(), Refusal>,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/surveys/{id}"), viewer.lang)).into_response(),
        Err(Refusal::Form(m)) => match page(state, viewer, SurveyId(id), Some(m)).await {
            Ok((status, h)) => (status, Html(h)).into_response(),
            Err(e) => html_error(state, viewer, e),
        },
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct StepForm {
    csrf: Option<String>,
    version: Option<String>,
    count: Option<String>,
}

/// Who may manage the survey, on a compound they may see: refused before the form is read.
async fn allowed(state: &AppState, viewer: &Viewer, id: SurveyId) -> Result<(), WebError> {
    viewer.require(Action::ManageSurveys)?;
    state
        .app
        .survey_in_scope(&viewer.principal(), id)
        .await
        .map(|_| ())
        .map_err(|e| WebError::app(e, viewer.lang))
}

async fn more_links(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<SurveyId>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    let l = viewer.lang;
    let checked = match allowed(&state, &viewer, id).await {
        Ok(()) => viewer.check_csrf(&headers, f.csrf.as_deref()),
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let count =
            count_of(f.count.as_deref(), "再发放份数", "more links", l)?.ok_or_else(|| {
                Refusal::Form(
                    l.pick("再发放份数：请填写", "more links: how many?")
                        .to_string(),
                )
            })?;
        state
            .app
            .issue_survey_links(&viewer.principal(), id, count)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    after(&state, &viewer, id.get(), result).await
}

async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<SurveyId>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    let l = viewer.lang;
    let checked = match allowed(&state, &viewer, id).await {
        Ok(()) => viewer.check_csrf(&headers, f.csrf.as_deref()),
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(f.version.as_deref()).map_err(|e| app_refusal(e, l))?;
        state
            .app
            .close_survey(&viewer.principal(), id, version)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    after(&state, &viewer, id.get(), result).await
}

/// The A4 sheet of the links not yet answered, one QR card per household, to print.
async fn qr_sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<SurveyId>,
    headers: HeaderMap,
) -> Response {
    let l = viewer.lang;
    let who = viewer.principal();
    let r: Result<String, WebError> = async {
        let survey = state
            .app
            .survey_in_scope(&who, id)
            .await
            .map_err(|e| WebError::app(e, l))?;
        let tokens: Vec<_> = state
            .app
            .survey_links(&who, id)
            .await
            .map_err(|e| WebError::app(e, l))?
            .into_iter()
            .filter(|t| !t.used)
            .collect();
        crate::resident::survey_qr_sheet(&survey, &tokens, &crate::resident::origin(&headers), l)
    }
    .await;
    match r {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}
