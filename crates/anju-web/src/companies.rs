//! 物业企业 — the list of property companies and each one's credit file (信用档案): its records
//! and the grade computed by `anju_core::credit::grade` with its explanation, as `anju company
//! show` prints them. A company's own users see only their company.
//!
//! The grade uses the embedded default scheme (`CreditScheme::yantai_default`, seed 001's bands);
//! the CLI's `--scheme FILE` has no web counterpart yet.

use crate::compound::{Chrome, html_error, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_core::Lang;
use anju_core::access::Action;
use anju_core::credit::{CreditRecord, CreditScheme, grade};
use anju_store::{Company, CompanyRecord};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/companies", get(companies_page))
        .route("/companies/{id}", get(company_page))
}

struct CompanyRow {
    link: String,
    name: String,
    code: String,
    compounds: usize,
    records: usize,
    score: String,
    grade: String,
}

#[derive(Template)]
#[template(path = "companies.html")]
struct CompaniesPage {
    chrome: Chrome,
    l: Lang,
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

/// 403 unless the viewer may see this company's file: company users only their own.
fn require_company(viewer: &Viewer, company_id: i64) -> Result<(), WebError> {
    match viewer.company_id {
        Some(own) if own != company_id => Err(WebError::Forbidden(
            viewer
                .lang
                .pick(
                    "无权查看其他物业企业的信用档案",
                    "you may not see another company's credit file",
                )
                .to_string(),
        )),
        _ => viewer.require(Action::ViewLedger),
    }
}

fn records_of(file: &[CompanyRecord]) -> Vec<CreditRecord> {
    file.iter().map(|r| r.record.clone()).collect()
}

async fn companies_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    match companies_html(&state, &viewer).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn companies_html(state: &AppState, viewer: &Viewer) -> Result<String, WebError> {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let store = &state.store;
    let scheme = CreditScheme::yantai_default();
    let as_of = state.app.today();
    let companies: Vec<Company> = store
        .list_companies()
        .await?
        .into_iter()
        .filter(|c| !c.archived)
        .filter(|c| viewer.company_id.is_none_or(|own| own == c.id))
        .collect();
    // Compounds served, counted within what the viewer may see.
    let mut served: HashMap<i64, usize> = HashMap::new();
    for c in store.list_compounds(&viewer.compound_filter()).await? {
        if let Some(id) = c.company_id {
            *served.entry(id).or_default() += 1;
        }
    }
    let mut files: HashMap<i64, Vec<CompanyRecord>> = HashMap::new();
    for r in store.all_company_records().await? {
        files.entry(r.company_id).or_default().push(r);
    }
    let rows = companies
        .into_iter()
        .map(|c| {
            let file = files.remove(&c.id).unwrap_or_default();
            let g = grade(&records_of(&file), &scheme, as_of);
            CompanyRow {
                link: with_lang(&format!("/companies/{}", c.id), l),
                code: c
                    .credit_code
                    .as_ref()
                    .map(|k| k.to_string())
                    .unwrap_or_else(|| "—".into()),
                compounds: served.get(&c.id).copied().unwrap_or(0),
                records: file.len(),
                score: anju_core::money::group_decimal(g.score, 2),
                grade: g.grade,
                name: c.name,
            }
        })
        .collect();
    Ok(CompaniesPage {
        chrome: Chrome::new(state, viewer, l.pick("物业企业", "Companies"), "/companies"),
        l,
        rows,
        scheme: scheme.name.clone(),
        as_of: as_of.to_string(),
    }
    .render()?)
}

async fn company_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    match company_html(&state, &viewer, id).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn company_html(state: &AppState, viewer: &Viewer, id: i64) -> Result<String, WebError> {
    require_company(viewer, id)?;
    let l = viewer.lang;
    let store = &state.store;
    let co = store.get_company(id).await?;
    let file = store.company_records(id).await?;
    let scheme = CreditScheme::yantai_default();
    let as_of = state.app.today();
    let g = grade(&records_of(&file), &scheme, as_of);
    let dash = || "—".to_string();
    let dec = |d: Option<rust_decimal::Decimal>| {
        d.map(|d| anju_core::money::group_decimal(d, 2))
            .unwrap_or_else(dash)
    };
    let records = file
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
    let compounds = store
        .list_compounds(&viewer.scoped(anju_store::CompoundFilter {
            company_id: Some(id),
            ..anju_store::CompoundFilter::default()
        }))
        .await?
        .into_iter()
        // `scoped` keeps a company user's own filter; a region viewer gets both conditions.
        .filter(|c| c.company_id == Some(id))
        .map(|c| {
            (
                with_lang(&format!("/compounds/{}", c.id), l),
                c.compound.name,
                c.compound.street,
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
        grade: g.grade.clone(),
        band: g.band.clone(),
        scheme: g.scheme.clone(),
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
