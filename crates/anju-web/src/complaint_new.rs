//! 登记投诉: a complaint the street or the community takes by telephone, the 12345 hotline or at
//! the counter, entered for one compound of its area (`App::add_complaint`: the deadlines follow
//! the working-day rules, the company sees it at once). Residents complain themselves through
//! the compound's public page (`/p/…`).

use crate::auth::Viewer;
use crate::page::{Chrome, Refusal, app_refusal, html_error, parse_date_field, with_lang};
use crate::{AppState, WebError};
use anju_app::oversight::ComplaintInput;
use anju_core::access::Action;
use anju_core::oversight::ComplaintSource;
use anju_core::{CompoundId, Lang};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/complaints/new", get(new_page).post(new_submit))
}

/// The categories offered (any other may be typed).
const CATEGORIES: [&str; 7] = ["环境卫生", "维修", "收费", "秩序", "安全", "绿化", "其他"];

#[derive(Debug, Default, Clone, Deserialize)]
struct NewForm {
    csrf: Option<String>,
    compound: Option<String>,
    source: Option<String>,
    category: Option<String>,
    text: Option<String>,
    received_on: Option<String>,
    contact: Option<String>,
}

#[derive(Template)]
#[template(path = "complaint_new.html")]
struct NewPage {
    chrome: Chrome,
    l: Lang,
    action: String,
    back: String,
    compounds: Vec<(i64, String)>,
    sources: Vec<(String, String)>,
    categories: Vec<&'static str>,
    kept: NewForm,
    refused: Option<String>,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    kept: NewForm,
    refused: Option<String>,
) -> Response {
    let l = viewer.lang;
    let built = async {
        viewer.require(Action::Patrol)?;
        let compounds = state
            .app
            .compounds(&viewer.principal(), Default::default())
            .await
            .map_err(|e| WebError::app(e, l))?
            .into_iter()
            .map(|c| {
                (
                    c.id,
                    format!("{}（{}）", c.compound.name, c.compound.street),
                )
            })
            .collect();
        let page = NewPage {
            chrome: Chrome::new(
                state,
                viewer,
                l.pick("登记投诉", "Record a complaint"),
                "/complaints/new",
            ),
            l,
            action: with_lang("/complaints/new", l),
            back: with_lang("/complaints", l),
            compounds,
            sources: ComplaintSource::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.label(l).to_string()))
                .collect(),
            categories: CATEGORIES.to_vec(),
            kept: NewForm {
                received_on: kept
                    .received_on
                    .clone()
                    .or_else(|| Some(state.app.today().to_string())),
                ..kept
            },
            refused: refused.clone(),
        };
        Ok::<String, WebError>(page.render()?)
    }
    .await;
    crate::page::form_answer(built, refused.is_some(), state, viewer)
}

async fn new_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    render(&state, &viewer, NewForm::default(), None).await
}

async fn new_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<NewForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = crate::page::action_guard(&viewer, Action::Patrol, &headers, f.csrf.as_deref())
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<i64, Refusal> = async {
        let compound: CompoundId = f
            .compound
            .as_deref()
            .unwrap_or("")
            .trim()
            .parse()
            .map_err(|_| Refusal::Form(l.pick("小区：请选择", "compound: choose one").into()))?;
        let source = ComplaintSource::from_code(f.source.as_deref().unwrap_or(""))
            .ok_or_else(|| Refusal::Form(l.pick("来源：请选择", "source: choose one").into()))?;
        let received_on = parse_date_field(
            state.app.today(),
            f.received_on.as_deref().unwrap_or(""),
            "受理日期",
            "received on",
            l,
        )
        .map_err(Refusal::Form)?;
        let input = ComplaintInput {
            compound_id: compound,
            source,
            category: f.category.clone().unwrap_or_default(),
            text: f.text.clone().unwrap_or_default(),
            received_on,
            contact: f
                .contact
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        };
        let c = state
            .app
            .add_complaint(&viewer.principal(), input, None)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(c.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&with_lang(&format!("/complaints/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => render(&state, &viewer, f, Some(m)).await,
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}
