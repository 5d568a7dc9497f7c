//! 台账 — the ledger page, coverage figures and their JSON.

use crate::{AppState, WebError};
use anju_core::stats::{CoverageReport, coverage};
use anju_core::{Compound, Lang, ManagementMode};
use anju_store::{CompoundFilter, StoredCompound};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

const PAGE_SIZE: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(ledger_page))
        .route("/api/v1/stats", get(stats_json))
        .route("/api/v1/compounds", get(compounds_json))
}

#[derive(Debug, Default, Deserialize)]
pub struct LedgerQuery {
    pub street: Option<String>,
    pub community: Option<String>,
    pub mode: Option<String>,
    pub q: Option<String>,
    pub page: Option<usize>,
    pub lang: Option<String>,
}

impl LedgerQuery {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
    fn non_empty(v: &Option<String>) -> Option<String> {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
    fn mode(&self) -> Result<Option<ManagementMode>, WebError> {
        match Self::non_empty(&self.mode) {
            None => Ok(None),
            Some(m) => ManagementMode::from_code(&m)
                .map(Some)
                .ok_or_else(|| WebError::BadRequest(format!("未知的物业管理方式：{m}"))),
        }
    }
}

/// The compounds the query selects, in the store's order.
async fn select(state: &AppState, q: &LedgerQuery) -> Result<Vec<StoredCompound>, WebError> {
    let mode = q.mode()?;
    let filter = CompoundFilter {
        street: LedgerQuery::non_empty(&q.street),
        community: LedgerQuery::non_empty(&q.community),
        mode,
        search: LedgerQuery::non_empty(&q.q),
        ..CompoundFilter::default()
    };
    Ok(state.store.list_compounds(&filter).await?)
}

struct Row {
    name: String,
    street: String,
    community: String,
    address: String,
    built_year: String,
    area: String,
    buildings: String,
    households: String,
    category: String,
    mode: String,
    company: String,
    owners_body: String,
}

impl Row {
    fn of(c: &Compound, lang: Lang) -> Row {
        let opt = |v: Option<u32>| {
            v.map(|n| anju_core::money::group_thousands(u64::from(n)))
                .unwrap_or_default()
        };
        Row {
            name: c.name.clone(),
            street: c.street.clone(),
            community: c.community.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            built_year: c.built_year.map(|y| y.to_string()).unwrap_or_default(),
            area: c.area.map(|a| a.grouped()).unwrap_or_default(),
            buildings: opt(c.buildings),
            households: opt(c.households),
            category: c
                .category
                .map(|k| k.number().to_string())
                .unwrap_or_default(),
            mode: c.mode.label(lang).to_string(),
            company: c.company.clone().unwrap_or_default(),
            owners_body: lang
                .pick(c.owners_body.zh(), c.owners_body.en())
                .to_string(),
        }
    }
}

struct StatRow {
    street: String,
    community: String,
    compounds: u64,
    households: String,
    area: String,
    with_company: u64,
    basic: u64,
    unmanaged: u64,
    with_committee: u64,
    coverage: String,
}

struct ModeOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    lang: Lang,
    demo: bool,
    t: Labels,
    community: String,
    q: String,
    modes: Vec<ModeOption>,
    streets: Vec<(String, bool)>,
    cards: Vec<(String, String)>,
    stat_rows: Vec<StatRow>,
    rows: Vec<Row>,
    page: usize,
    pages: usize,
    total: usize,
    prev_link: Option<String>,
    next_link: Option<String>,
    other_lang_link: String,
}

/// Every fixed text on the page, in the reader's language.
struct Labels {
    title: &'static str,
    ledger: &'static str,
    demo_banner: &'static str,
    all_streets: &'static str,
    all_modes: &'static str,
    search: &'static str,
    filter: &'static str,
    coverage: &'static str,
    street: &'static str,
    community: &'static str,
    compounds: &'static str,
    households: &'static str,
    area: &'static str,
    with_company: &'static str,
    basic: &'static str,
    unmanaged: &'static str,
    with_committee: &'static str,
    coverage_rate: &'static str,
    name: &'static str,
    address: &'static str,
    built: &'static str,
    buildings: &'static str,
    category: &'static str,
    mode: &'static str,
    company: &'static str,
    owners_body: &'static str,
    prev: &'static str,
    next: &'static str,
    page: &'static str,
    other_lang: &'static str,
    none_found: &'static str,
}

impl Labels {
    fn new(lang: Lang) -> Labels {
        let p = |zh, en| lang.pick(zh, en);
        Labels {
            title: p(
                "安居 · 物业管理全覆盖",
                "Anju · property management for every compound",
            ),
            ledger: p("小区台账", "Compound ledger"),
            demo_banner: p(
                "演示数据：小区名称与属性部分为虚构，仅供演示。",
                "Demo data: names and attributes are partly invented, for demonstration only.",
            ),
            all_streets: p("全部街道", "All streets"),
            all_modes: p("全部管理方式", "All modes"),
            search: p("小区名称或地址", "Name or address"),
            filter: p("筛选", "Filter"),
            coverage: p("覆盖情况", "Coverage"),
            street: p("街道", "Street"),
            community: p("社区", "Community"),
            compounds: p("小区数", "Compounds"),
            households: p("户数", "Households"),
            area: p("建筑面积（㎡）", "Floor area (㎡)"),
            with_company: p("有物业企业", "With a company"),
            basic: p("兜底/后勤", "Basic cover"),
            unmanaged: p("弃管（含自管）", "Unmanaged"),
            with_committee: p("有业主组织", "With owners' body"),
            coverage_rate: p("覆盖率", "Coverage"),
            name: p("小区名称", "Compound"),
            address: p("地址", "Address"),
            built: p("建成年份", "Built"),
            buildings: p("楼栋数", "Buildings"),
            category: p("类别", "Category"),
            mode: p("物业管理方式", "Management mode"),
            company: p("物业企业", "Company"),
            owners_body: p("业主组织", "Owners' body"),
            prev: p("上一页", "Previous"),
            next: p("下一页", "Next"),
            page: p("页", "page"),
            other_lang: p("English", "中文"),
            none_found: p("没有符合条件的小区。", "No compound matches."),
        }
    }
}

fn link(q: &LedgerQuery, page: usize, lang: Lang) -> String {
    let mut parts = Vec::new();
    let enc = |s: &str| urlencode(s);
    for (k, v) in [
        ("street", &q.street),
        ("community", &q.community),
        ("mode", &q.mode),
        ("q", &q.q),
    ] {
        if let Some(v) = LedgerQuery::non_empty(v) {
            parts.push(format!("{k}={}", enc(&v)));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if lang == Lang::En {
        parts.push("lang=en".to_string());
    }
    if parts.is_empty() {
        "/ledger".to_string()
    } else {
        format!("/ledger?{}", parts.join("&"))
    }
}

/// Percent-encodes a query value (UTF-8 bytes outside the unreserved set).
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn ledger_page(
    State(state): State<AppState>,
    Query(q): Query<LedgerQuery>,
) -> Result<Html<String>, WebError> {
    let lang = q.lang();
    let t = Labels::new(lang);
    let selected = select(&state, &q).await?;
    let all_streets: Vec<String> = {
        let mut s: Vec<String> = state
            .store
            .list_compounds(&CompoundFilter::default())
            .await?
            .into_iter()
            .map(|c| c.compound.street)
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let report = coverage(selected.iter().map(|s| &s.compound));
    let total = selected.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let rows = selected
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|s| Row::of(&s.compound, lang))
        .collect();
    let street = LedgerQuery::non_empty(&q.street).unwrap_or_default();
    let mode = LedgerQuery::non_empty(&q.mode).unwrap_or_default();
    let tot = &report.total;
    let cards = vec![
        (t.compounds.to_string(), tot.compounds.to_string()),
        (
            t.households.to_string(),
            anju_core::money::group_thousands(tot.households),
        ),
        (t.with_company.to_string(), tot.with_company.to_string()),
        (t.unmanaged.to_string(), tot.unmanaged.to_string()),
        (t.with_committee.to_string(), tot.with_committee.to_string()),
        (
            t.coverage_rate.to_string(),
            format!("{} %", tot.coverage_percent),
        ),
    ];
    let other = if lang == Lang::En { Lang::Zh } else { Lang::En };
    let page_html = LedgerPage {
        lang,
        demo: state.demo,
        community: LedgerQuery::non_empty(&q.community).unwrap_or_default(),
        q: LedgerQuery::non_empty(&q.q).unwrap_or_default(),
        modes: ManagementMode::ALL
            .iter()
            .map(|m| ModeOption {
                code: m.code(),
                label: m.label(lang),
                selected: m.code() == mode,
            })
            .collect(),
        streets: all_streets
            .into_iter()
            .map(|s| {
                let sel = s == street;
                (s, sel)
            })
            .collect(),
        cards,
        stat_rows: stat_rows(&report),
        rows,
        page,
        pages,
        total,
        prev_link: (page > 1).then(|| link(&q, page - 1, lang)),
        next_link: (page < pages).then(|| link(&q, page + 1, lang)),
        other_lang_link: link(&q, page, other),
        t,
    }
    .render()?;
    Ok(Html(page_html))
}

fn stat_rows(r: &CoverageReport) -> Vec<StatRow> {
    let mut out = Vec::new();
    for s in &r.streets {
        let mk = |street: &str, community: &str, f: &anju_core::stats::Coverage| StatRow {
            street: street.to_string(),
            community: community.to_string(),
            compounds: f.compounds,
            households: anju_core::money::group_thousands(f.households),
            area: f.area().grouped(),
            with_company: f.with_company,
            basic: f.basic,
            unmanaged: f.unmanaged,
            with_committee: f.with_committee,
            coverage: format!("{} %", f.coverage_percent),
        };
        out.push(mk(&s.street, "", &s.figures));
        for c in &s.communities {
            out.push(mk("", &c.community, &c.figures));
        }
    }
    out
}

async fn stats_json(
    State(state): State<AppState>,
    Query(q): Query<LedgerQuery>,
) -> Result<Json<CoverageReport>, WebError> {
    let selected = select(&state, &q).await?;
    Ok(Json(coverage(selected.iter().map(|s| &s.compound))))
}

#[derive(serde::Serialize)]
struct CompoundJson {
    id: i64,
    version: i64,
    #[serde(flatten)]
    compound: Compound,
}

async fn compounds_json(
    State(state): State<AppState>,
    Query(q): Query<LedgerQuery>,
) -> Result<Json<Vec<CompoundJson>>, WebError> {
    let selected = select(&state, &q).await?;
    Ok(Json(
        selected
            .into_iter()
            .map(|s| CompoundJson {
                id: s.id,
                version: s.version,
                compound: s.compound,
            })
            .collect(),
    ))
}
