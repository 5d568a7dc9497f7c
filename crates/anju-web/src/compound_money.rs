//! 物业费收缴 and 收支公示 by hand: the compound's company (or the administrator) enters one
//! month's fees (`App::enter_fee_month`: a month already entered is replaced only when ticked)
//! or one line of the public accounts (`App::add_account_entry`), each on a page of its own
//! beside the figures so far, on a phone too. A refusal names the field and keeps what was
//! typed. The compound page links both for the roles that may enter them.

use crate::page::{Chrome, Refusal, app_refusal, html_error, visible_compound, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{FeeInput, NewAccountEntry};
use anju_core::access::Action;
use anju_core::accounts::EntryKind;
use anju_core::fees::Month;
use anju_core::ids::CompoundId;
use anju_core::{Fen, Lang};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compounds/{id}/fees", get(fees_page).post(fees_submit))
        .route("/compounds/{id}/households", get(households_page))
        .route(
            "/compounds/{id}/accounts",
            get(accounts_page).post(accounts_submit),
        )
}

/// The spending categories offered (any other may be typed).
const CATEGORIES: [&str; 8] = [
    "保洁", "保安", "绿化", "维修", "水电", "电梯", "管理", "其他",
];

#[derive(Debug, Default, Clone, Deserialize)]
struct FeeForm {
    csrf: Option<String>,
    month: Option<String>,
    billed: Option<String>,
    collected: Option<String>,
    replace: Option<String>,
}

struct FeeRow {
    month: String,
    billed: String,
    collected: String,
    rate: String,
    source: String,
}

#[derive(Template)]
#[template(path = "compound_fees.html")]
struct FeesPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    back: String,
    action: String,
    kept: FeeForm,
    refused: Option<String>,
    rows: Vec<FeeRow>,
}

fn money_field(v: Option<&str>, zh: &str, en: &str, l: Lang) -> Result<Fen, Refusal> {
    let s = v.unwrap_or("").trim();
    if s.is_empty() {
        return Err(Refusal::Form(match l {
            Lang::Zh => format!("{zh}：请填写金额（元）"),
            Lang::En => format!("{en}: enter the amount (yuan)"),
        }));
    }
    Fen::parse_yuan(s).map_err(|_| {
        Refusal::Form(match l {
            Lang::Zh => format!("{zh}：“{s}”不是金额（如 12,345.67）"),
            Lang::En => format!("{en}: '{s}' is not an amount (e.g. 12,345.67)"),
        })
    })
}

async fn fees_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    kept: FeeForm,
    refused: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    viewer.require(Action::EnterFees)?;
    let c = visible_compound(state, viewer, id).await?;
    let months = state
        .app
        .fee_months(&who, id, None)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let rows = months
        .iter()
        .rev()
        .map(|m| FeeRow {
            month: m.month.to_string(),
            billed: format!("{} 元", m.billed.grouped()),
            collected: format!("{} 元", m.collected.grouped()),
            rate: anju_core::fees::collection_rate(m.billed, m.collected)
                .map(|r| format!("{:.1}%", r * rust_decimal::Decimal::from(100)))
                .unwrap_or_else(|_| "—".into()),
            source: if m.source == "import" {
                l.pick("收缴表导入", "imported")
            } else {
                l.pick("手工登记", "entered")
            }
            .to_string(),
        })
        .collect();
    let page = FeesPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("登记物业费收缴", "Enter fee collection"),
            &format!("/compounds/{id}/fees"),
        ),
        l,
        name: c.compound.name.clone(),
        back: with_lang(&format!("/compounds/{id}"), l),
        action: with_lang(&format!("/compounds/{id}/fees"), l),
        kept,
        refused,
        rows,
    };
    Ok(page.render()?)
}

async fn fees_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let html = fees_html(&state, &viewer, id, FeeForm::default(), None).await;
    crate::page::form_answer(html, false, &state, &viewer)
}

async fn fees_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<FeeForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = crate::page::form_guard(
        &state,
        &viewer,
        id,
        Action::EnterFees,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let result: Result<(), Refusal> = async {
        let raw = f.month.as_deref().unwrap_or("").trim();
        let month = Month::parse(raw).map_err(|_| {
            Refusal::Form(match l {
                Lang::Zh => format!("月份：“{raw}”不是月份（如 2026-11）"),
                Lang::En => format!("month: '{raw}' is not a month (e.g. 2026-11)"),
            })
        })?;
        let billed = money_field(f.billed.as_deref(), "应收", "billed", l)?;
        let collected = money_field(f.collected.as_deref(), "实收", "collected", l)?;
        let input = FeeInput {
            compound_id: id.get(),
            month,
            billed,
            collected,
        };
        state
            .app
            .enter_fee_month(&viewer.principal(), &input, f.replace.is_some())
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    let to = with_lang(&format!("/compounds/{id}/fees"), l);
    crate::page::form_done(&state, &viewer, result, &to, async |m| {
        fees_html(&state, &viewer, id, f, Some(m)).await
    })
    .await
}

#[derive(Debug, Default, Clone, Deserialize)]
struct AccountForm {
    csrf: Option<String>,
    period: Option<String>,
    kind: Option<String>,
    category: Option<String>,
    amount: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

struct EntryRow {
    kind: String,
    category: String,
    amount: String,
    note: String,
}

#[derive(Template)]
#[template(path = "compound_accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    back: String,
    action: String,
    kept: AccountForm,
    refused: Option<String>,
    kinds: Vec<(String, String)>,
    categories: Vec<&'static str>,
    period: String,
    entries: Vec<EntryRow>,
    income: String,
    spending: String,
    balance: String,
}

async fn accounts_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    period: String,
    kept: AccountForm,
    refused: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    viewer.require(Action::EnterFees)?;
    let c = visible_compound(state, viewer, id).await?;
    let st = state
        .app
        .account_statement(&viewer.principal(), id, &period, None)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let yuan = |f: Fen| format!("{} 元", f.grouped());
    let page = AccountsPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("收支公示记账", "Public accounts"),
            &format!("/compounds/{id}/accounts"),
        ),
        l,
        name: c.compound.name.clone(),
        back: with_lang(&format!("/compounds/{id}"), l),
        action: with_lang(&format!("/compounds/{id}/accounts"), l),
        kept,
        refused,
        kinds: EntryKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.name(l).to_string()))
            .collect(),
        categories: CATEGORIES.to_vec(),
        entries: st
            .entries
            .iter()
            .map(|e| EntryRow {
                kind: e.kind.name(l).to_string(),
                category: e.category.clone().unwrap_or_default(),
                amount: yuan(e.amount),
                note: e.note.clone().unwrap_or_default(),
            })
            .collect(),
        income: yuan(st.totals.income),
        spending: yuan(st.totals.spending),
        balance: yuan(st.totals.balance),
        period,
    };
    Ok(page.render()?)
}

fn this_month(state: &AppState) -> String {
    let t = state.app.today();
    format!("{:04}-{:02}", t.year(), t.month())
}

async fn accounts_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let period = q
        .period
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| this_month(&state));
    let kept = AccountForm {
        period: Some(period.clone()),
        ..AccountForm::default()
    };
    let html = accounts_html(&state, &viewer, id, period, kept, None).await;
    crate::page::form_answer(html, false, &state, &viewer)
}

async fn accounts_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<AccountForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = crate::page::form_guard(
        &state,
        &viewer,
        id,
        Action::EnterFees,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let period = f.period.clone().unwrap_or_default().trim().to_string();
    let result: Result<(), Refusal> = async {
        let kind = EntryKind::from_code(f.kind.as_deref().unwrap_or(""))
            .ok_or_else(|| Refusal::Form(l.pick("类型：请选择", "kind: choose one").to_string()))?;
        let amount = money_field(f.amount.as_deref(), "金额", "amount", l)?;
        let blank = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let entry = NewAccountEntry {
            compound_id: id.get(),
            period: period.clone(),
            kind,
            category: blank(&f.category),
            amount,
            note: blank(&f.note),
        };
        state
            .app
            .add_account_entry(&viewer.principal(), &entry)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(
            &format!(
                "/compounds/{id}/accounts?period={}",
                crate::page::urlencode(&period)
            ),
            l,
        ))
        .into_response(),
        Err(Refusal::Form(m)) => {
            let shown = if period.is_empty() {
                this_month(&state)
            } else {
                period.clone()
            };
            let html = accounts_html(&state, &viewer, id, shown, f, Some(m)).await;
            crate::page::form_page(html, &state, &viewer)
        }
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// 按户收缴明细

#[derive(Debug, Default, Deserialize)]
struct HouseholdQuery {
    /// A period as officials write it: 2026, 2026H2, 2026Q3, 2026-11 or 2026-01..2026-06.
    period: Option<String>,
    /// "all": every household row, not only those in arrears.
    show: Option<String>,
}

struct HouseholdRow {
    household: String,
    month: String,
    billed: String,
    collected: String,
    arrears: String,
    owing: bool,
}

#[derive(Template)]
#[template(path = "compound_households.html")]
struct HouseholdsPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    back: String,
    period: String,
    all: bool,
    households: usize,
    owing_households: usize,
    arrears_total: String,
    rows: Vec<HouseholdRow>,
    may_import: bool,
}

/// `GET /compounds/{id}/households`: the households' fees of a period (only those in arrears
/// unless `show=all`), from per-household fee sheets, with the households counted and the
/// arrears summed.
async fn households_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    Query(q): Query<HouseholdQuery>,
) -> Response {
    match households_html(&state, &viewer, id, &q).await {
        Ok(h) => axum::response::Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn households_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    q: &HouseholdQuery,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let c = visible_compound(state, viewer, id).await?;
    let raw = q.period.as_deref().unwrap_or("").trim().to_string();
    let range = if raw.is_empty() {
        None
    } else {
        Some(
            anju_core::fees::MonthRange::parse(&raw).map_err(|_| {
                WebError::BadRequest(match l {
                    Lang::Zh => format!(
                        "期间：“{raw}”不认识（如 2026、2026H2、2026Q3、2026-11 或 2026-01..2026-06）"
                    ),
                    Lang::En => format!(
                        "period: '{raw}' is not one (e.g. 2026, 2026H2, 2026Q3, 2026-11 or 2026-01..2026-06)"
                    ),
                })
            })?,
        )
    };
    let all = q.show.as_deref() == Some("all");
    let list = state
        .app
        .household_fees(&viewer.principal(), id, range, !all)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let mut households = std::collections::BTreeSet::new();
    let mut owing = std::collections::BTreeSet::new();
    let mut arrears_total = Fen(0);
    for h in &list {
        households.insert(h.household.as_str());
        let a = h.arrears();
        if a.0 > 0 {
            owing.insert(h.household.as_str());
            arrears_total = Fen(arrears_total.0 + a.0);
        }
    }
    let rows = list
        .iter()
        .map(|h| HouseholdRow {
            household: h.household.clone(),
            month: h.month.to_string(),
            billed: format!("{} 元", h.billed.grouped()),
            collected: format!("{} 元", h.collected.grouped()),
            arrears: format!("{} 元", h.arrears().grouped()),
            owing: h.arrears().0 > 0,
        })
        .collect();
    let page = HouseholdsPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("按户收缴明细", "Fees by household"),
            &format!("/compounds/{id}/households"),
        ),
        l,
        name: c.compound.name.clone(),
        back: with_lang(&format!("/compounds/{id}"), l),
        period: raw,
        all,
        households: households.len(),
        owing_households: owing.len(),
        arrears_total: arrears_total.display_yuan(),
        rows,
        may_import: anju_core::access::can(viewer.role, Action::EnterFees),
    };
    Ok(page.render()?)
}
