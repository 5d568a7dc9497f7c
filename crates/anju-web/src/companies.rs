//! 物业企业 — the list of property companies and each one's credit file (信用档案): its records
//! and its grade with the explanation, as `anju company show` prints them. Both come from the
//! application layer (`App::companies`, `App::company_file`: who sees which company, the grade
//! by the configured scheme, `anju serve --scheme FILE`); this module only lays them out.

use crate::page::{Chrome, html_error, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::companies::CompanyQuery;
use anju_core::CompanyId;
use anju_core::Lang;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/companies", get(companies_page))
        .route("/companies/{id}", get(company_page))
}

struct CompanyRow {
    link: String,
    name: String,
    code: String,
    compounds: u64,
    records: usize,
    score: String,
    grade: String,
}

#[derive(Template)]
#[template(path = "companies.html")]
struct CompaniesPage {
    chrome: Chrome,
    l: Lang,
    /// 登记物业企业, for the roles that register companies.
    new_link: Option<String>,
    rows: Vec<CompanyRow>,
    scheme: String,
    as_of: String,
}

struct RecordRow {
    kind: String,
    date: String,
    period: String,
    score: String,
    points: String,
    complaints: String,
    assessor: String,
    compound: String,
    note: String,
    entered_by: String,
}

#[derive(Template)]
#[template(path = "company.html")]
struct CompanyPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    facts: Vec<(&'static str, String)>,
    score: String,
    grade: String,
    band: String,
    scheme: String,
    as_of: String,
    explanation: Vec<String>,
    records: Vec<RecordRow>,
    compounds: Vec<(String, String, String)>,
}

async fn companies_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    match companies_html(&state, &viewer).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn companies_html(state: &AppState, viewer: &Viewer) -> Result<String, WebError> {
    let l = viewer.lang;
    let list = state
        .app
        .companies(&viewer.principal(), CompanyQuery::default())
        .await
        .map_err(|e| WebError::app(e, l))?;
    let rows = list
        .companies
        .into_iter()
        .map(|c| CompanyRow {
            link: with_lang(&format!("/companies/{}", c.company.id), l),
            code: c
                .company
                .credit_code
                .as_ref()
                .map(|k| k.to_string())
                .unwrap_or_else(|| "—".into()),
            compounds: c.compounds,
            records: c.records,
            score: anju_core::money::group_decimal(c.grade.score, 2),
            grade: c.grade.grade,
            name: c.company.name,
        })
        .collect();
    Ok(CompaniesPage {
        chrome: Chrome::new(state, viewer, l.pick("物业企业", "Companies"), "/companies"),
        l,
        new_link: viewer
            .require(anju_core::access::Action::ManageCompanies)
            .is_ok()
            .then(|| crate::page::with_lang("/companies/new", l)),
        rows,
        scheme: list.scheme,
        as_of: list.as_of.to_string(),
    }
    .render()?)
}

async fn company_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompanyId>,
) -> Response {
    match company_html(&state, &viewer, id).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn company_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompanyId,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let file = state
        .app
        .company_file(&viewer.principal(), id, None)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let (co, g) = (file.company, file.grade);
    let dash = || "—".to_string();
    let dec = |d: Option<rust_decimal::Decimal>| {
        d.map(|d| anju_core::money::group_decimal(d, 2))
            .unwrap_or_else(dash)
    };
    let records = file
        .records
        .iter()
        .rev()
        .map(|r| RecordRow {
            kind: r.record.kind.label(l).to_string(),
            date: r.record.happened_on.to_string(),
            period: r.record.period.clone().unwrap_or_else(dash),
            score: dec(r.record.score),
            points: dec(r.record.points),
            complaints: r
                .record
                .complaints
                .map(|n| n.to_string())
                .unwrap_or_else(dash),
            assessor: r.record.assessor.clone().unwrap_or_else(dash),
            compound: r.record.compound.clone().unwrap_or_else(dash),
            note: r.record.note.clone().unwrap_or_default(),
            entered_by: r.actor.clone(),
        })
        .collect();
    let compounds = file
        .compounds
        .into_iter()
        .map(|c| {
            (
                with_lang(&format!("/compounds/{}", c.id), l),
                c.name,
                c.street,
            )
        })
        .collect();
    let facts = vec![
        (l.pick("企业名称", "Name"), co.name.clone()),
        (
            l.pick("统一社会信用代码", "Credit code"),
            co.credit_code
                .as_ref()
                .map(|k| k.to_string())
                .unwrap_or_else(dash),
        ),
        (
            l.pick("联系人", "Contact"),
            co.contact_person.clone().unwrap_or_else(dash),
        ),
        (
            l.pick("电话", "Phone"),
            co.phone.clone().unwrap_or_else(dash),
        ),
    ];
    Ok(CompanyPage {
        chrome: Chrome::new(state, viewer, co.name.clone(), &format!("/companies/{id}")),
        l,
        name: co.name,
        facts,
        score: anju_core::money::group_decimal(g.score, 2),
        grade: g.grade,
        band: g.band,
        scheme: g.scheme,
        as_of: g.as_of.to_string(),
        explanation: g
            .explanation
            .iter()
            .map(|e| e.text(l).to_string())
            .collect(),
        records,
        compounds,
    }
    .render()?)
}
