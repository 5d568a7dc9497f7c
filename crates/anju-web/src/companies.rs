//! 物业企业 — the list of property companies and each one's credit file (信用档案): its records
//! and its grade with the explanation, as `anju company show` prints them. Both come from the
//! application layer (`App::companies`, `App::company_file`: who sees which company, the grade
//! by the configured scheme, `anju serve --scheme FILE`); this module only lays them out.

use crate::page::{Chrome, Refusal, app_refusal, html_error, parse_date_field, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::companies::{CompanyQuery, NewCreditRecord};
use anju_core::CompanyId;
use anju_core::Lang;
use anju_core::access::{Action, can};
use anju_core::credit::RecordKind;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/companies", get(companies_page))
        .route("/companies/{id}", get(company_page))
        .route("/companies/{id}/records", post(add_record))
        .route("/companies/complaint-counts", post(complaint_counts))
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
    /// 投诉件数记入信用档案, for a city-level account that manages companies.
    counts_action: Option<String>,
    counts: CountsForm,
    counts_refused: Option<String>,
    counts_done: Option<String>,
    today: String,
}

/// 投诉件数记入信用档案: the period and the day.
#[derive(Debug, Default, Clone, Deserialize)]
struct CountsForm {
    csrf: Option<String>,
    period: Option<String>,
    date: Option<String>,
}

/// 记入信用档案: what was typed, kept when refused.
#[derive(Debug, Default, Clone, Deserialize)]
struct RecordForm {
    csrf: Option<String>,
    kind: Option<String>,
    date: Option<String>,
    period: Option<String>,
    score: Option<String>,
    points: Option<String>,
    complaints: Option<String>,
    assessor: Option<String>,
    compound: Option<String>,
    note: Option<String>,
}

/// The record form on a company's page.
struct RecordFormView {
    action: String,
    kinds: Vec<(&'static str, &'static str, bool)>,
    compounds: Vec<(i64, String, bool)>,
    kept: RecordForm,
    refused: Option<String>,
    today: String,
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
    record_form: Option<RecordFormView>,
}

async fn companies_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    match companies_html(&state, &viewer, CountsForm::default(), None, None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn companies_html(
    state: &AppState,
    viewer: &Viewer,
    counts: CountsForm,
    counts_refused: Option<String>,
    counts_done: Option<String>,
) -> Result<String, WebError> {
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
        counts_action: state
            .app
            .may_record_complaint_counts(&viewer.principal())
            .is_ok()
            .then(|| with_lang("/companies/complaint-counts", l)),
        counts,
        counts_refused,
        counts_done,
        today: state.app.today().to_string(),
    }
    .render()?)
}

async fn company_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompanyId>,
) -> Response {
    match company_html(&state, &viewer, id, RecordForm::default(), None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn company_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompanyId,
    kept: RecordForm,
    refused: Option<String>,
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
    let today = state.app.today().to_string();
    let record_form = can(viewer.role, Action::ManageCompanies).then(|| {
        let kind = kept.kind.clone().unwrap_or_default();
        let compound = kept.compound.clone().unwrap_or_default();
        RecordFormView {
            action: with_lang(&format!("/companies/{id}/records"), l),
            kinds: RecordKind::ALL
                .iter()
                .map(|k| (k.code(), k.label(l), k.code() == kind))
                .collect(),
            compounds: file
                .compounds
                .iter()
                .map(|c| (c.id, c.name.clone(), c.id.to_string() == compound))
                .collect(),
            kept,
            refused,
            today,
        }
    });
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
        record_form,
    }
    .render()?)
}

/// A decimal typed into a form (empty: none), the error naming the field.
fn decimal_field(
    v: Option<&str>,
    zh: &str,
    en: &str,
    l: Lang,
) -> Result<Option<rust_decimal::Decimal>, Refusal> {
    let raw = v.unwrap_or("").trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        Refusal::Form(match l {
            Lang::Zh => format!("{zh}：“{raw}”不是数字"),
            Lang::En => format!("{en}: '{raw}' is not a number"),
        })
    })
}

fn text_field(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `POST /companies/{id}/records`: 记入信用档案 (`App::add_credit_record`).
async fn add_record(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompanyId>,
    headers: HeaderMap,
    Form(f): Form<RecordForm>,
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
    let result: Result<(), Refusal> = async {
        let kind =
            RecordKind::from_code(f.kind.as_deref().unwrap_or("").trim()).ok_or_else(|| {
                Refusal::Form(
                    l.pick("记录类型：请选择", "kind: please choose")
                        .to_string(),
                )
            })?;
        let happened_on = parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "日期",
            "date",
            l,
        )
        .map_err(Refusal::Form)?;
        let complaints =
            crate::page::count_field(f.complaints.as_deref(), "投诉件数", "complaints", l)?;
        let compound_id = match f
            .compound
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(raw) => Some(raw.parse::<i64>().map_err(|_| {
                Refusal::Form(
                    l.pick("小区：请从列表中选择", "compound: choose from the list")
                        .to_string(),
                )
            })?),
        };
        let new = NewCreditRecord {
            period: text_field(f.period.as_deref()),
            score: decimal_field(f.score.as_deref(), "考核分", "score", l)?,
            points: decimal_field(f.points.as_deref(), "扣分", "points", l)?,
            complaints,
            assessor: text_field(f.assessor.as_deref()),
            compound_id,
            note: text_field(f.note.as_deref()),
            ..NewCreditRecord::new(kind, happened_on)
        };
        state
            .app
            .add_credit_record(&viewer.principal(), id, new)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!(
            "{}#records",
            with_lang(&format!("/companies/{id}"), l)
        ))
        .into_response(),
        Err(Refusal::Form(m)) => crate::page::form_page(
            company_html(&state, &viewer, id, f, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

/// `POST /companies/complaint-counts`: each company's complaints of a period into its credit
/// file (`App::record_complaint_counts`).
async fn complaint_counts(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<CountsForm>,
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
    let result: Result<usize, Refusal> = async {
        let raw = f.period.as_deref().unwrap_or("").trim();
        let period = anju_core::assessment::Period::parse(raw).ok_or_else(|| {
            Refusal::Form(match l {
                Lang::Zh => {
                    format!("统计周期：“{raw}”无法识别（例：2026H1、2026Q3、2026-03、2026）")
                }
                Lang::En => {
                    format!("period: '{raw}' is not one (e.g. 2026H1, 2026Q3, 2026-03, 2026)")
                }
            })
        })?;
        let on = parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "记入日期",
            "date",
            l,
        )
        .map_err(Refusal::Form)?;
        state
            .app
            .record_complaint_counts(&viewer.principal(), &period, on)
            .await
            .map(|r| r.len())
            .map_err(|e| app_refusal(e, l))
    }
    .await;
    let period = f.period.clone().unwrap_or_default();
    match result {
        Ok(n) => {
            let done = match l {
                Lang::Zh => format!(
                    "已将 {period} 的投诉件数记入 {n} 家企业的信用档案（已记过的不重复记入）。"
                ),
                Lang::En => format!(
                    "The complaints of {period} went into {n} companies' files (those already recorded are not recorded twice)."
                ),
            };
            match companies_html(&state, &viewer, CountsForm::default(), None, Some(done)).await {
                Ok(h) => Html(h).into_response(),
                Err(e) => html_error(&state, &viewer, e),
            }
        }
        Err(Refusal::Form(m)) => crate::page::form_page(
            companies_html(&state, &viewer, f, Some(m), None).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}
