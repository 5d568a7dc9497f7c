//! 登记物业企业 (`/companies/new`): the housing authority (or the administrator) puts a company
//! on file by name, with its 统一社会信用代码 checked (GB 32100-2015) and a contact
//! (`App::register_company`); a refusal names the field and keeps what was typed.

use crate::auth::Viewer;
use crate::page::{Chrome, Refusal, app_refusal, html_error, with_lang};
use crate::{AppState, WebError};
use anju_app::companies::NewCompany;
use anju_core::Lang;
use anju_core::access::Action;
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/companies/new", get(new_page).post(new_submit))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct CompanyForm {
    csrf: Option<String>,
    name: Option<String>,
    credit_code: Option<String>,
    contact_person: Option<String>,
    phone: Option<String>,
}

#[derive(Template)]
#[template(path = "company_new.html")]
struct NewPage {
    chrome: Chrome,
    l: Lang,
    back: String,
    action: String,
    kept: CompanyForm,
    refused: Option<String>,
}

fn render(
    state: &AppState,
    viewer: &Viewer,
    kept: CompanyForm,
    refused: Option<String>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer.require(Action::ManageCompanies) {
        return html_error(state, viewer, e);
    }
    let page = NewPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("登记物业企业", "Register a company"),
            "/companies/new",
        ),
        l,
        back: with_lang("/companies", l),
        action: with_lang("/companies/new", l),
        kept,
        refused: refused.clone(),
    };
    let html = page.render().map_err(WebError::from);
    crate::page::form_answer(html, refused.is_some(), state, viewer)
}

async fn new_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    render(&state, &viewer, CompanyForm::default(), None)
}

async fn new_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<CompanyForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = crate::page::action_guard(
        &viewer,
        Action::ManageCompanies,
        &headers,
        f.csrf.as_deref(),
    ) {
        return html_error(&state, &viewer, e);
    }
    let new = NewCompany {
        name: f.name.clone().unwrap_or_default(),
        credit_code: f.credit_code.clone(),
        contact_person: f.contact_person.clone(),
        phone: f.phone.clone(),
    };
    match state
        .app
        .register_company(&viewer.principal(), new)
        .await
        .map_err(|e| app_refusal(e, l))
    {
        Ok(c) => Redirect::to(&with_lang(&format!("/companies/{}", c.id), l)).into_response(),
        Err(Refusal::Form(m)) => render(&state, &viewer, f, Some(m)),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}
