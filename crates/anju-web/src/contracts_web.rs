//! 合同登记簿 (`/contracts`): every property service contract in the reader's area (a company: its
//! own), newest first, with its compounds, term, fees and where its 备案 stands, as of today or a
//! date the reader picks (the days overdue counted to that date, a filing recorded later not yet
//! made); "仅逾期未备案" keeps the contracts in force whose filing was late or missing on that
//! date. The same list downloads as xlsx. The register is `App::contract_register`, the use case
//! `anju contract list` prints.

use crate::ledger::attachment;
use crate::page::{Chrome, html_error, parse_date_field, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::path::RegisterEntry;
use anju_core::Lang;
use anju_core::access::Action;
use anju_core::contract::FILING_DAYS;
use anju_sheets::{ReportCell, ReportSheet};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;
use serde::Deserialize;

/// Contracts on one page of the register.
const PAGE: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contracts", get(register_page))
        .route("/contracts/xlsx", get(register_xlsx))
}

#[derive(Debug, Default, Deserialize)]
struct RegisterQuery {
    as_of: Option<String>,
    overdue: Option<String>,
    page: Option<usize>,
}

struct Line {
    id: i64,
    compounds: Vec<(String, String)>,
    company: String,
    signer: String,
    signed_on: String,
    entry_on: String,
    term: String,
    level: String,
    fees: String,
    filing: String,
    filing_hot: bool,
    status: String,
}

#[derive(Template)]
#[template(path = "contracts.html")]
struct RegisterPage {
    chrome: Chrome,
    l: Lang,
    as_of: String,
    today: bool,
    overdue: bool,
    total: usize,
    overdue_count: usize,
    lines: Vec<Line>,
    prev: Option<String>,
    next: Option<String>,
    page_note: String,
    xlsx: String,
}

/// The register as of the chosen day, and that day.
async fn register(
    state: &AppState,
    viewer: &Viewer,
    q: &RegisterQuery,
) -> Result<(Vec<RegisterEntry>, Date, bool), WebError> {
    let l = viewer.lang;
    let today = state.app.today();
    let day = parse_date_field(
        today,
        q.as_of.as_deref().unwrap_or(""),
        "截至日期",
        "As of",
        l,
    )
    .map_err(WebError::BadRequest)?;
    let overdue = q.overdue.as_deref().is_some_and(|v| !v.is_empty());
    let list = state
        .app
        .contract_register(&viewer.principal(), day, overdue)
        .await
        .map_err(|e| WebError::app(e, l))?;
    Ok((list, day, overdue))
}

fn fees(e: &RegisterEntry, l: Lang) -> String {
    let f = &e.contract.fees;
    let one = |v: Option<anju_core::Fen>| v.map(|v| v.plain()).unwrap_or_else(|| "—".into());
    match l {
        Lang::Zh => format!("多层 {}，高层 {} 元/㎡·月", one(f.multi), one(f.high)),
        Lang::En => format!(
            "low-rise {}, high-rise {} yuan/㎡/month",
            one(f.multi),
            one(f.high)
        ),
    }
}

fn line(e: &RegisterEntry, day: Date, l: Lang) -> Line {
    let k = &e.contract;
    let filing = k.filing(day);
    Line {
        id: k.id,
        compounds: e
            .compounds
            .iter()
            .map(|(id, name)| (with_lang(&format!("/compounds/{id}"), l), name.clone()))
            .collect(),
        company: k.company.clone(),
        signer: format!(
            "{}{}",
            l.pick(k.signer.zh(), k.signer.en()),
            k.signer_name
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default()
        ),
        signed_on: k.signed_on.to_string(),
        entry_on: k
            .entry_on
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into()),
        term: match l {
            Lang::Zh => format!("{}（至 {}）", k.term.zh(), k.term_last_day()),
            Lang::En => format!("{} (to {})", k.term.en(), k.term_last_day()),
        },
        level: match l {
            Lang::Zh => k.service_level.zh(),
            Lang::En => k.service_level.en(),
        },
        fees: fees(e, l),
        filing: match l {
            Lang::Zh => filing.zh(),
            Lang::En => filing.en(),
        },
        filing_hot: filing.is_overdue(),
        status: k.standing_text(day, l),
    }
}

fn query_string(day: Date, today: Date, overdue: bool, page: Option<usize>, l: Lang) -> String {
    let mut parts = Vec::new();
    if day != today {
        parts.push(format!("as_of={day}"));
    }
    if overdue {
        parts.push("overdue=1".to_string());
    }
    if let Some(p) = page {
        parts.push(format!("page={p}"));
    }
    if l == Lang::En {
        parts.push("lang=en".to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

async fn register_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RegisterQuery>,
) -> Response {
    match register_html(&state, &viewer, &q).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn register_html(
    state: &AppState,
    viewer: &Viewer,
    q: &RegisterQuery,
) -> Result<String, WebError> {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let (list, day, overdue) = register(state, viewer, q).await?;
    let today = state.app.today();
    let total = list.len();
    let overdue_count = list.iter().filter(|e| e.contract.overdue_on(day)).count();
    let pages = total.div_ceil(PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let lines = list
        .iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .map(|e| line(e, day, l))
        .collect();
    let link = |p: usize| {
        format!(
            "/contracts{}",
            query_string(day, today, overdue, Some(p), l)
        )
    };
    let page_note = match l {
        Lang::Zh => format!("第 {page} / {pages} 页"),
        Lang::En => format!("page {page} of {pages}"),
    };
    let p = RegisterPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("合同登记簿", "Contract register"),
            "/contracts",
        ),
        l,
        as_of: day.to_string(),
        today: day == today,
        overdue,
        total,
        overdue_count,
        lines,
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        page_note,
        xlsx: format!(
            "/contracts/xlsx{}",
            query_string(day, today, overdue, None, l)
        ),
    };
    Ok(p.render()?)
}

/// The register as shown (every page) as an xlsx workbook.
async fn register_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RegisterQuery>,
) -> Response {
    match register_book(&state, &viewer, &q).await {
        Ok(r) => r,
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn register_book(
    state: &AppState,
    viewer: &Viewer,
    q: &RegisterQuery,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let (list, day, overdue) = register(state, viewer, q).await?;
    let headings: Vec<String> = [
        ("合同编号", "Contract"),
        ("小区", "Compounds"),
        ("物业企业", "Company"),
        ("签约方", "Signed by"),
        ("签订日期", "Signed"),
        ("进场日期", "Entry"),
        ("服务期限", "Term"),
        ("服务等级", "Service level"),
        ("收费标准", "Fees"),
        ("备案", "Filing"),
        ("状态", "Status"),
    ]
    .iter()
    .map(|(zh, en)| l.pick(zh, en).to_string())
    .collect();
    let rows = list
        .iter()
        .map(|e| {
            let x = line(e, day, l);
            vec![
                ReportCell::Int(x.id),
                ReportCell::Text(
                    x.compounds
                        .iter()
                        .map(|(_, n)| n.as_str())
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
                ReportCell::Text(x.company),
                ReportCell::Text(x.signer),
                ReportCell::Date(e.contract.signed_on),
                match e.contract.entry_on {
                    Some(d) => ReportCell::Date(d),
                    None => ReportCell::Empty,
                },
                ReportCell::Text(x.term),
                ReportCell::Text(x.level),
                ReportCell::Text(x.fees),
                ReportCell::Text(x.filing),
                ReportCell::Text(x.status),
            ]
        })
        .collect();
    let subtitle = match (l, overdue) {
        (Lang::Zh, false) => format!("截至 {day}，共 {} 份合同", list.len()),
        (Lang::Zh, true) => format!(
            "截至 {day}，逾期未备案或逾期备案的履行中合同 {} 份",
            list.len()
        ),
        (Lang::En, false) => format!("As of {day}: {} contracts", list.len()),
        (Lang::En, true) => format!(
            "As of {day}: {} contracts in force filed late or not filed",
            list.len()
        ),
    };
    let sheet = ReportSheet {
        name: l.pick("合同登记簿", "Contracts").to_string(),
        title: l
            .pick("物业服务合同登记簿", "Property service contracts")
            .to_string(),
        subtitle: Some(subtitle),
        groups: Vec::new(),
        widths: vec![8, 28, 24, 16, 12, 12, 22, 10, 30, 36, 22],
        headings,
        rows,
        bold_rows: Vec::new(),
        merges: Vec::new(),
        notes: vec![match l {
            Lang::Zh => format!(
                "注：物业服务企业应自签订合同之日起{FILING_DAYS}日内登记备案（烟台 三（四））；逾期天数计至 {day}。"
            ),
            Lang::En => format!(
                "Note: a contract is to be filed within {FILING_DAYS} days of signing (Yantai 三(四)); days overdue counted to {day}."
            ),
        }],
        landscape: true,
    };
    let bytes = anju_sheets::write_report_to_buffer(&[sheet])
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                attachment(
                    &format!("contracts-{day}.xlsx"),
                    &format!("{}-{day}.xlsx", l.pick("合同登记簿", "contracts")),
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
