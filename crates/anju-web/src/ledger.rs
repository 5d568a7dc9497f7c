//! 台账 — the ledger page: filter (street, community, mode, category, lifecycle stage), search
//! by name or address, sort, paginate, all within the viewer's scope; export exactly what is
//! shown as xlsx; import a ledger file with the same all-or-nothing report as
//! `anju import ledger` (every problem with row, column and reason; nothing written on any
//! problem; a row outside the uploader's scope is a problem). Also the coverage figures and
//! their JSON.

use crate::page::urlencode;
use crate::versioned::VersionedCache;
use crate::{AppState, Viewer, WebError};
use anju_app::ledger::LedgerSource;
use anju_app::model::{CompoundFilter, CompoundSort, PlaceCounts, StoredCompound};
use anju_core::access::Action;
use anju_core::lifecycle::Stage;
use anju_core::stats::{CoverageReport, coverage_of_groups};
use anju_core::{Category, Compound, Lang, ManagementMode};
use anju_sheets::{FileKind, LedgerError, Problem, ReadOptions};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use std::collections::HashMap;

const PAGE_SIZE: usize = 50;

/// The largest ledger file accepted by upload: 20 MiB (a city's 100,000-row ledger as xlsx is
/// about 8 MiB).
pub const LEDGER_UPLOAD_MAX_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(ledger_page))
        .route("/ledger/export.xlsx", get(export_xlsx))
        .route("/ledger/import/problems/{token}", get(problems_csv))
        .route(
            "/ledger/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(LEDGER_UPLOAD_MAX_BYTES + 64 * 1024)),
        )
        .route("/api/v1/stats", get(stats_json))
        .route("/api/v1/compounds", get(compounds_json))
}

#[derive(Debug, Default, Deserialize)]
pub struct LedgerQuery {
    pub street: Option<String>,
    pub community: Option<String>,
    pub mode: Option<String>,
    /// 类别: 1, 2 or 3.
    pub category: Option<String>,
    /// Lifecycle stage code (`census`, `consulted`, … `in_service`).
    pub status: Option<String>,
    pub q: Option<String>,
    /// `region` (default), `name`, `households`, `area`, `built`, `updated`.
    pub sort: Option<String>,
    pub page: Option<usize>,
    pub lang: Option<String>,
}

/// The sorts offered: code, the store's order, labels.
const SORTS: [(&str, CompoundSort, &str, &str); 6] = [
    (
        "region",
        CompoundSort::Region,
        "按街道社区",
        "by street and community",
    ),
    ("name", CompoundSort::Name, "按名称", "by name"),
    (
        "households",
        CompoundSort::HouseholdsDesc,
        "户数从多到少",
        "most households first",
    ),
    (
        "area",
        CompoundSort::AreaDesc,
        "面积从大到小",
        "largest area first",
    ),
    (
        "built",
        CompoundSort::BuiltYear,
        "建成年份从早到晚",
        "oldest first",
    ),
    (
        "updated",
        CompoundSort::UpdatedDesc,
        "最近更新",
        "recently updated",
    ),
];

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
    fn mode(&self, lang: Lang) -> Result<Option<ManagementMode>, WebError> {
        match Self::non_empty(&self.mode) {
            None => Ok(None),
            Some(m) => ManagementMode::from_code(&m).map(Some).ok_or_else(|| {
                WebError::BadRequest(match lang {
                    Lang::Zh => format!("未知的物业管理方式：{m}"),
                    Lang::En => format!("unknown management mode: {m}"),
                })
            }),
        }
    }
    fn category(&self, lang: Lang) -> Result<Option<Category>, WebError> {
        match Self::non_empty(&self.category) {
            None => Ok(None),
            Some(c) => Category::parse_zh(&c).map(Some).ok_or_else(|| {
                WebError::BadRequest(match lang {
                    Lang::Zh => format!("类别：未知的小区类别“{c}”（应为 1、2 或 3）"),
                    Lang::En => format!("category: unknown category '{c}' (1, 2 or 3)"),
                })
            }),
        }
    }
    fn stage(&self, lang: Lang) -> Result<Option<Stage>, WebError> {
        match Self::non_empty(&self.status) {
            None => Ok(None),
            Some(s) => Stage::from_code(&s).map(Some).ok_or_else(|| {
                WebError::BadRequest(match lang {
                    Lang::Zh => format!("状态：未知的工作阶段“{s}”"),
                    Lang::En => format!("status: unknown stage '{s}'"),
                })
            }),
        }
    }
    fn sort(&self, lang: Lang) -> Result<CompoundSort, WebError> {
        match Self::non_empty(&self.sort) {
            None => Ok(CompoundSort::Region),
            Some(s) => SORTS
                .iter()
                .find(|(code, ..)| *code == s)
                .map(|(_, sort, ..)| *sort)
                .ok_or_else(|| {
                    WebError::BadRequest(match lang {
                        Lang::Zh => format!("排序：未知的排序方式“{s}”"),
                        Lang::En => format!("sort: unknown order '{s}'"),
                    })
                }),
        }
    }
}

/// The compounds the query selects within the viewer's scope, in the chosen order. The same
/// function serves the export and the JSON, so an export holds exactly what the page shows
/// (the page reads its 50 rows with the same filter and order: [`query_filter`]).
async fn select(
    state: &AppState,
    viewer: &Viewer,
    q: &LedgerQuery,
) -> Result<Vec<StoredCompound>, WebError> {
    state
        .app
        .compounds(&viewer.principal(), query_filter(viewer, q)?)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))
}

/// The store filter of a query, inside the viewer's scope: every filter of the page (category
/// and stage too) is a condition of the SQL.
fn query_filter(viewer: &Viewer, q: &LedgerQuery) -> Result<CompoundFilter, WebError> {
    let lang = viewer.lang;
    Ok(viewer.scoped(CompoundFilter {
        street: LedgerQuery::non_empty(&q.street),
        community: LedgerQuery::non_empty(&q.community),
        mode: q.mode(lang)?,
        category: q.category(lang)?,
        stage: q.stage(lang)?,
        search: LedgerQuery::non_empty(&q.q),
        sort: q.sort(lang)?,
        ..CompoundFilter::default()
    }))
}

/// What the page shows of a selection besides its rows: the coverage figures and the counts
/// per street × community (which page the region order), summed by the database
/// (`App::ledger_figures_kept`: each street's part kept until something in the street is
/// written), and the streets the filter offers. Kept per query and scope until a figure in the
/// viewer's scope may have moved (`App::figures_version`) or for [`SUMMARY_TTL`], and built
/// once at a time per query and scope, so that the requests arriving together after a write
/// wait for one build instead of each doing it.
struct Summary {
    /// The streets the viewer's street filter offers.
    streets: Vec<String>,
    report: CoverageReport,
    places: PlaceCounts,
    /// Pages already built from this summary, by page number and language.
    pages: std::sync::Mutex<HashMap<(usize, Lang), PageRows>>,
}

/// A page's rows, built once and shared.
type PageRows = std::sync::Arc<Vec<Row>>;

const SUMMARY_TTL: std::time::Duration = std::time::Duration::from_secs(60);
const SUMMARY_MAX: usize = 32;
/// Built pages kept per summary (50 rows each).
const PAGES_KEPT: usize = 16;

static SUMMARIES: std::sync::LazyLock<VersionedCache<std::sync::Arc<Summary>>> =
    std::sync::LazyLock::new(|| VersionedCache::new(SUMMARY_TTL, SUMMARY_MAX));
/// One build at a time per key: the lock of each key being built.
type BuildLocks = HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>;
static BUILDING: std::sync::LazyLock<std::sync::Mutex<BuildLocks>> =
    std::sync::LazyLock::new(Default::default);

fn build_lock(key: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    match BUILDING.lock() {
        Ok(mut locks) => {
            // Locks nobody holds or waits for are dropped, so the map stays small.
            locks.retain(|_, l| std::sync::Arc::strong_count(l) > 1);
            locks.entry(key.to_string()).or_default().clone()
        }
        Err(_) => std::sync::Arc::default(),
    }
}

async fn summary(
    state: &AppState,
    viewer: &Viewer,
    filter: &CompoundFilter,
) -> Result<std::sync::Arc<Summary>, WebError> {
    // The sort is part of the key: the pages kept are in its order.
    let app_err = |e| WebError::app(e, viewer.lang);
    let key = format!("{}|{filter:?}", state.app.database_identity());
    let who = viewer.principal();
    SUMMARIES
        .get_or_build(
            &key,
            &build_lock(&key),
            &viewer.username,
            || async { state.app.figures_version(&who).await.map_err(app_err) },
            || async {
                let figures = state
                    .app
                    .ledger_figures_kept(&who, filter.clone())
                    .await
                    .map_err(app_err)?;
                Ok(std::sync::Arc::new(Summary {
                    streets: offered_streets(state, viewer).await?,
                    report: coverage_of_groups(figures.groups),
                    places: figures.places,
                    pages: std::sync::Mutex::new(HashMap::new()),
                }))
            },
        )
        .await
}

struct Row {
    id: i64,
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
    stage: String,
    company: String,
    owners_body: String,
}

impl Row {
    fn of(s: &StoredCompound, stage: Option<Stage>, lang: Lang) -> Row {
        let c = &s.compound;
        let opt = |v: Option<u32>| {
            v.map(|n| anju_core::money::group_thousands(u64::from(n)))
                .unwrap_or_default()
        };
        Row {
            id: s.id,
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
            stage: stage.map(|s| s.label(lang).to_string()).unwrap_or_default(),
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

/// One `<option>` of a filter.
struct Opt {
    code: String,
    label: String,
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
    modes: Vec<Opt>,
    streets: Vec<(String, bool)>,
    categories: Vec<Opt>,
    statuses: Vec<Opt>,
    sorts: Vec<Opt>,
    cards: Vec<(String, String)>,
    stat_rows: Vec<StatRow>,
    rows: std::sync::Arc<Vec<Row>>,
    page: usize,
    pages: usize,
    total: usize,
    prev_link: Option<String>,
    next_link: Option<String>,
    /// The export of exactly these filters (every page).
    export_link: String,
    /// Shown to roles that may import a ledger.
    import_link: Option<String>,
    add_link: String,
    /// The frame every signed-in page shares (navigation, language, who, sign out).
    chrome: crate::page::Chrome,
}

/// Every fixed text on the page, in the reader's language.
struct Labels {
    title: &'static str,
    ledger: &'static str,
    demo_banner: &'static str,
    all_streets: &'static str,
    all_modes: &'static str,
    all_categories: &'static str,
    all_statuses: &'static str,
    search: &'static str,
    filter: &'static str,
    sort: &'static str,
    export: &'static str,
    import: &'static str,
    add: &'static str,
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
    stage: &'static str,
    company: &'static str,
    owners_body: &'static str,
    prev: &'static str,
    next: &'static str,
    page: &'static str,
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
            all_categories: p("全部类别", "All categories"),
            all_statuses: p("全部工作阶段", "All stages"),
            search: p("小区名称或地址", "Name or address"),
            filter: p("筛选", "Filter"),
            sort: p("排序", "Sort"),
            export: p(
                "导出 Excel（当前筛选的全部页）",
                "Export to Excel (these filters, all pages)",
            ),
            import: p("导入台账", "Import a ledger"),
            add: p("新增小区", "Add a compound"),
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
            stage: p("工作阶段", "Stage"),
            company: p("物业企业", "Company"),
            owners_body: p("业主组织", "Owners' body"),
            prev: p("上一页", "Previous"),
            next: p("下一页", "Next"),
            page: p("页", "page"),
            none_found: p("没有符合条件的小区。", "No compound matches."),
        }
    }
}

/// The query string of the filters (without the page), `k=v&…`.
fn filter_query(q: &LedgerQuery) -> Vec<String> {
    let mut parts = Vec::new();
    for (k, v) in [
        ("street", &q.street),
        ("community", &q.community),
        ("mode", &q.mode),
        ("category", &q.category),
        ("status", &q.status),
        ("q", &q.q),
        ("sort", &q.sort),
    ] {
        if let Some(v) = LedgerQuery::non_empty(v) {
            parts.push(format!("{k}={}", urlencode(&v)));
        }
    }
    parts
}

fn link_to(path: &str, mut parts: Vec<String>, lang: Lang) -> String {
    if lang == Lang::En {
        parts.push("lang=en".to_string());
    }
    if parts.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}

fn link(q: &LedgerQuery, page: usize, lang: Lang) -> String {
    let mut parts = filter_query(q);
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    link_to("/ledger", parts, lang)
}

async fn ledger_page(
    State(state): State<AppState>,
    mut viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Result<Html<String>, WebError> {
    let lang = q.lang();
    viewer.lang = lang;
    let t = Labels::new(lang);
    let filter = query_filter(&viewer, &q)?;
    let summary = summary(&state, &viewer, &filter).await?;
    // Only the streets the viewer may see are offered: from the region tree (not by listing
    // every compound again), or from the company's own compounds.
    let all_streets = summary.streets.clone();
    let report = &summary.report;
    let total = usize::try_from(summary.places.total()).unwrap_or(usize::MAX);
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let cached_rows = summary
        .pages
        .lock()
        .ok()
        .and_then(|p| p.get(&(page, lang)).cloned());
    let rows = match cached_rows {
        Some(rows) => rows,
        None => {
            // The rows shown only, read in the chosen order by SQL (an index walk, or the
            // few street × community places the page falls in): the page costs about the same
            // for a street of 150 compounds and a city of 100,000.
            let shown = state
                .app
                .compounds_placed(
                    &viewer.principal(),
                    CompoundFilter {
                        limit: Some(PAGE_SIZE as i64),
                        offset: Some(((page - 1) * PAGE_SIZE) as i64),
                        ..filter.clone()
                    },
                    &summary.places,
                )
                .await
                .map_err(|e| WebError::app(e, lang))?;
            let stages = state
                .app
                .stages_of(&shown)
                .await
                .map_err(|e| WebError::app(e, lang))?;
            let rows: Vec<Row> = shown
                .iter()
                .map(|s| Row::of(s, stages.get(&s.id).copied(), lang))
                .collect();
            let rows = std::sync::Arc::new(rows);
            // The first pages are the ones people open; a crawl through all of them is not kept.
            if let Ok(mut p) = summary.pages.lock()
                && p.len() < PAGES_KEPT
            {
                p.insert((page, lang), rows.clone());
            }
            rows
        }
    };
    let street = LedgerQuery::non_empty(&q.street).unwrap_or_default();
    let chosen = |v: &Option<String>| LedgerQuery::non_empty(v).unwrap_or_default();
    let (mode, category, status) = (chosen(&q.mode), chosen(&q.category), chosen(&q.status));
    let sort = LedgerQuery::non_empty(&q.sort).unwrap_or_else(|| "region".into());
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
    let opt = |code: &str, label: &str, sel: &str| Opt {
        code: code.to_string(),
        label: label.to_string(),
        selected: code == sel,
    };
    let page_html = LedgerPage {
        lang,
        demo: state.demo,
        community: LedgerQuery::non_empty(&q.community).unwrap_or_default(),
        q: LedgerQuery::non_empty(&q.q).unwrap_or_default(),
        modes: ManagementMode::ALL
            .iter()
            .map(|m| opt(m.code(), m.label(lang), &mode))
            .collect(),
        streets: all_streets
            .into_iter()
            .map(|s| {
                let sel = s == street;
                (s, sel)
            })
            .collect(),
        categories: ["1", "2", "3"]
            .iter()
            .map(|k| {
                let label = match lang {
                    Lang::Zh => format!("{k} 类"),
                    Lang::En => format!("category {k}"),
                };
                opt(k, &label, &category)
            })
            .collect(),
        statuses: Stage::ALL
            .iter()
            .map(|s| opt(s.code(), s.label(lang), &status))
            .collect(),
        sorts: SORTS
            .iter()
            .map(|(code, _, zh, en)| opt(code, lang.pick(zh, en), &sort))
            .collect(),
        cards,
        stat_rows: stat_rows(report),
        rows,
        page,
        pages,
        total,
        prev_link: (page > 1).then(|| link(&q, page - 1, lang)),
        next_link: (page < pages).then(|| link(&q, page + 1, lang)),
        export_link: link_to("/ledger/export.xlsx", filter_query(&q), lang),
        import_link: anju_core::access::can(viewer.role, Action::EditCompounds)
            .then(|| link_to("/ledger/import", Vec::new(), lang)),
        add_link: link_to("/compounds/new", Vec::new(), lang),
        chrome: crate::page::Chrome::new(&state, &viewer, t.ledger, &link(&q, page, Lang::Zh)),
        t,
    }
    .render()?;
    Ok(Html(page_html))
}

/// The street names the street filter offers the viewer, sorted (the app's rule).
async fn offered_streets(state: &AppState, viewer: &Viewer) -> Result<Vec<String>, WebError> {
    state
        .app
        .offered_streets(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, viewer.lang))
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
    mut viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Result<Json<CoverageReport>, WebError> {
    viewer.lang = q.lang();
    let figures = state
        .app
        .ledger_figures(&viewer.principal(), query_filter(&viewer, &q)?, true)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?;
    Ok(Json(coverage_of_groups(figures.groups)))
}

/// A compound of `/api/v1/compounds`: its id and version beside the ledger's fields.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = CompoundRow)]
pub(crate) struct CompoundJson {
    id: i64,
    version: i64,
    #[serde(flatten)]
    compound: Compound,
}

async fn compounds_json(
    State(state): State<AppState>,
    mut viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Result<Json<Vec<CompoundJson>>, WebError> {
    viewer.lang = q.lang();
    let selected = select(&state, &viewer, &q).await?;
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

// ---------------------------------------------------------------------------------------------
// Export

/// `Content-Disposition` for a download: an ASCII fallback name and the real (Chinese) name
/// RFC 5987-encoded, which every current browser prefers.
pub(crate) fn attachment(ascii: &str, name: &str) -> String {
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        urlencode(name)
    )
}

/// The ledger as shown (the same filters, every page) as an xlsx workbook.
async fn export_xlsx(
    State(state): State<AppState>,
    mut viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Result<Response, WebError> {
    viewer.lang = q.lang();
    let selected = select(&state, &viewer, &q).await?;
    let rows: Vec<Compound> = selected.into_iter().map(|s| s.compound).collect();
    let lang = viewer.lang;
    let bytes = tokio::task::spawn_blocking(move || anju_sheets::write_ledger_to_buffer(&rows))
        .await
        .map_err(|e| WebError::BadRequest(format!("导出失败：{e}")))?
        .map_err(|e| WebError::BadRequest(e.render(lang)))?;
    let day = state.app.today();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                attachment(
                    &format!("ledger-{day}.xlsx"),
                    &format!("{}-{day}.xlsx", lang.pick("小区台账", "compound-ledger")),
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Import

/// One line of the import report.
struct ProblemRow {
    row: String,
    column: String,
    value: String,
    reason: String,
}

/// What is imported: the ledger itself, or a fee sheet (收缴表). The page, the upload and the
/// problem list are the same; the words and the use case differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImportKind {
    Ledger,
    Fees,
}

impl ImportKind {
    fn path(self) -> &'static str {
        match self {
            ImportKind::Ledger => "/ledger/import",
            ImportKind::Fees => "/fees/import",
        }
    }
    fn title(self, l: Lang) -> &'static str {
        match self {
            ImportKind::Ledger => l.pick("导入台账", "Import a ledger"),
            ImportKind::Fees => l.pick("导入物业费收缴表", "Import a fee sheet"),
        }
    }
    /// The file, as refusals name it.
    pub(crate) fn file(self, l: Lang) -> &'static str {
        match self {
            ImportKind::Ledger => l.pick("台账文件", "ledger file"),
            ImportKind::Fees => l.pick("收缴表", "fee sheet"),
        }
    }
    fn permission(self) -> Action {
        match self {
            ImportKind::Ledger => Action::EditCompounds,
            ImportKind::Fees => Action::EnterFees,
        }
    }
}

#[derive(Template)]
#[template(path = "ledger_import.html")]
struct ImportPage {
    chrome: crate::page::Chrome,
    kind: ImportKind,
    /// A refusal that is not about rows (wrong kind of file, missing columns …).
    message: Option<String>,
    /// The first [`PROBLEMS_SHOWN`] problems of the file.
    problems: Vec<ProblemRow>,
    /// How many problems the file has in all.
    problems_total: usize,
    /// The full list of problems as a CSV download (when there are any).
    problems_link: Option<String>,
    /// What a successful import did.
    done: Option<String>,
}

pub(crate) fn import_page(
    state: &AppState,
    viewer: &Viewer,
    kind: ImportKind,
    status: StatusCode,
    message: Option<String>,
    problems: &[Problem],
    done: Option<String>,
) -> Response {
    let l = viewer.lang;
    let page = ImportPage {
        chrome: crate::page::Chrome::new(state, viewer, kind.title(l), kind.path()),
        kind,
        message,
        problems_total: problems.len(),
        problems_link: (!problems.is_empty())
            .then(|| keep_problems(viewer, kind, problems))
            .flatten(),
        problems: problems
            .iter()
            .take(PROBLEMS_SHOWN)
            .map(|p| ProblemRow {
                row: p.row.to_string(),
                column: p.column.clone().unwrap_or_default(),
                value: p.value.clone(),
                reason: l.pick(&p.reason_zh, &p.reason_en).to_string(),
            })
            .collect(),
        done,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

/// The import page lists this many problems; the CSV download has them all.
pub(crate) const PROBLEMS_SHOWN: usize = 200;
/// How long the full list of a refused import can be downloaded.
const PROBLEMS_KEPT: std::time::Duration = std::time::Duration::from_secs(60 * 60);
/// At most this many lists are kept (the oldest is dropped).
const PROBLEM_LISTS_MAX: usize = 64;

/// The problem lists of refused imports: token → (the account that uploaded, when, CSV).
type ProblemLists = HashMap<String, (i64, std::time::Instant, ImportKind, Vec<u8>)>;
static PROBLEM_LISTS: std::sync::LazyLock<std::sync::Mutex<ProblemLists>> =
    std::sync::LazyLock::new(Default::default);

/// Every problem as CSV (UTF-8 with a BOM, so that Excel reads the Chinese), in the reader's
/// language.
fn problems_as_csv(problems: &[Problem], l: Lang) -> Vec<u8> {
    let cell = |s: &str| {
        // A cell Excel would take for a formula is written as text.
        let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        format!("\"{}\"", s.replace('"', "\"\""))
    };
    let mut out = String::from("\u{feff}");
    out.push_str(l.pick("行,列,单元格内容,原因\r\n", "Row,Column,Cell,Reason\r\n"));
    for p in problems {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            p.row,
            cell(p.column.as_deref().unwrap_or("")),
            cell(&p.value),
            cell(l.pick(&p.reason_zh, &p.reason_en)),
        ));
    }
    out.into_bytes()
}

/// Keeps the full list for the uploader to download; the link to it.
fn keep_problems(viewer: &Viewer, kind: ImportKind, problems: &[Problem]) -> Option<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).ok()?;
    let token: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let csv = problems_as_csv(problems, viewer.lang);
    let mut lists = PROBLEM_LISTS.lock().ok()?;
    let now = std::time::Instant::now();
    lists.retain(|_, (_, at, _, _)| now.duration_since(*at) < PROBLEMS_KEPT);
    while lists.len() >= PROBLEM_LISTS_MAX {
        let oldest = lists
            .iter()
            .min_by_key(|(_, (_, at, _, _))| *at)
            .map(|(k, _)| k.clone())?;
        lists.remove(&oldest);
    }
    lists.insert(token.clone(), (viewer.user_id, now, kind, csv));
    Some(crate::page::with_lang(
        &format!("/ledger/import/problems/{token}"),
        viewer.lang,
    ))
}

/// `GET /ledger/import/problems/{token}`: the full problem list of one's own refused import
/// (of a ledger or a fee sheet), as CSV; an HTML page when it is unknown, someone else's or
/// expired.
async fn problems_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    let found = PROBLEM_LISTS.lock().ok().and_then(|lists| {
        lists
            .get(&token)
            .filter(|(who, at, _, _)| *who == viewer.user_id && at.elapsed() < PROBLEMS_KEPT)
            .map(|(_, _, kind, csv)| (*kind, csv.clone()))
    });
    match found {
        Some((kind, csv)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    match kind {
                        ImportKind::Ledger => attachment(
                            "import-problems.csv",
                            viewer.lang.pick("台账导入问题清单.csv", "ledger-import-problems.csv"),
                        ),
                        ImportKind::Fees => attachment(
                            "fee-import-problems.csv",
                            viewer.lang.pick("收缴表导入问题清单.csv", "fee-import-problems.csv"),
                        ),
                    },
                ),
            ],
            csv,
        )
            .into_response(),
        None => crate::page::html_message(
            &state,
            &viewer,
            StatusCode::NOT_FOUND,
            viewer
                .lang
                .pick(
                    "这份问题清单已过期或不存在（保留 1 小时）：请重新上传文件，页面会再次列出全部问题。",
                    "This problem list has expired or does not exist (kept for an hour): upload the file again to see every problem.",
                )
                .to_string(),
        ),
    }
}

async fn import_form(State(state): State<AppState>, viewer: Viewer) -> Response {
    blank_import_page(&state, &viewer, ImportKind::Ledger)
}

/// The import page of `kind` with nothing uploaded yet, for whoever may import it.
pub(crate) fn blank_import_page(state: &AppState, viewer: &Viewer, kind: ImportKind) -> Response {
    if let Err(e) = viewer.require(kind.permission()) {
        return crate::page::html_error(state, viewer, e);
    }
    import_page(state, viewer, kind, StatusCode::OK, None, &[], None)
}

/// The kind of an uploaded ledger, from its first bytes (never from the name alone): a ZIP is
/// xlsx, an OLE compound file is xls, text (see [`looks_like_text`]) is CSV.
pub(crate) fn sniff_ledger(name: &str, bytes: &[u8]) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") && matches!(ext, "xlsx" | "xlsm" | "xls") {
        Some(FileKind::Xlsx)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        && matches!(ext, "xls" | "xlsx")
    {
        Some(FileKind::Xls)
    } else if matches!(ext, "csv" | "tsv" | "txt") && looks_like_text(bytes) {
        Some(FileKind::Csv)
    } else {
        None
    }
}

/// Text, not a binary file renamed: UTF-16 with its BOM (Excel's "Unicode text" export), or at
/// most one NUL byte in a hundred (and one more) among the first 64 KiB. A stray NUL inside a cell leaves a CSV
/// a CSV, so the reader names that cell's row and column; a picture or a program, full of NULs,
/// is refused as not a spreadsheet.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let nul = head.iter().filter(|b| **b == 0).count();
    nul <= 1 + head.len() / 100
}

/// Reads the upload: the CSRF field, and the file (name, bytes).
pub(crate) async fn read_upload(
    mut mp: Multipart,
    kind: ImportKind,
    l: Lang,
) -> Result<(Option<String>, Option<(String, Vec<u8>)>), String> {
    let file = kind.file(l);
    let too_big = || match l {
        Lang::Zh => format!(
            "{file}：上传失败，文件过大或传输中断（不超过 {} MiB）",
            LEDGER_UPLOAD_MAX_BYTES / (1024 * 1024)
        ),
        Lang::En => format!(
            "{file}: the upload failed, too large or interrupted (at most {} MiB)",
            LEDGER_UPLOAD_MAX_BYTES / (1024 * 1024)
        ),
    };
    let mut csrf = None;
    let mut upload = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(too_big()),
        };
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| too_big())?;
                if bytes.len() > LEDGER_UPLOAD_MAX_BYTES {
                    return Err(too_big());
                }
                if !name.is_empty() || !bytes.is_empty() {
                    upload = Some((name, bytes.to_vec()));
                }
            }
            "csrf" => csrf = Some(field.text().await.map_err(|_| too_big())?),
            _ => {}
        }
    }
    Ok((csrf, upload))
}

/// The guards and the file of an import upload: the permission, the CSRF field, a file
/// chosen, and its kind judged by content. `Err` is the page to answer with.
pub(crate) async fn receive_upload(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    mp: Multipart,
    kind: ImportKind,
) -> Result<(String, Vec<u8>, FileKind), Response> {
    let l = viewer.lang;
    if let Err(e) = viewer.require(kind.permission()) {
        return Err(crate::page::html_error(state, viewer, e));
    }
    let file = kind.file(l);
    let refuse = |m: String| {
        import_page(
            state,
            viewer,
            kind,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(m),
            &[],
            None,
        )
    };
    let (csrf, upload) = read_upload(mp, kind, l).await.map_err(refuse)?;
    if let Err(e) = viewer.check_csrf(headers, csrf.as_deref()) {
        return Err(crate::page::html_error(state, viewer, e));
    }
    let Some((name, bytes)) = upload else {
        return Err(refuse(match l {
            Lang::Zh => format!("{file}：请选择要导入的文件"),
            Lang::En => format!("{file}: choose a file to import"),
        }));
    };
    let Some(sheet) = sniff_ledger(&name, &bytes) else {
        return Err(refuse(match l {
            Lang::Zh => format!(
                "{file}：“{name}”不是可导入的表格（只接受 .xlsx、.xls、.csv，按文件内容判断）"
            ),
            Lang::En => format!(
                "{file}: '{name}' is not a spreadsheet we import (.xlsx, .xls, .csv, judged by content)"
            ),
        }));
    };
    Ok((name, bytes, sheet))
}

/// `POST /ledger/import`: all or nothing, like `anju import ledger`.
async fn import_upload(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let (name, bytes, kind) =
        match receive_upload(&state, &viewer, &headers, mp, ImportKind::Ledger).await {
            Ok(x) => x,
            Err(page) => return page,
        };
    let refuse = |m: String| {
        import_page(
            &state,
            &viewer,
            ImportKind::Ledger,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(m),
            &[],
            None,
        )
    };
    let imported = state
        .app
        .import_ledger_from(
            &viewer.principal(),
            LedgerSource::Bytes { bytes, kind },
            ReadOptions::now(l),
        )
        .await;
    match imported {
        Ok(Ok(done)) => {
            let s = &done.summary;
            let rows = s.inserted + s.updated + s.unchanged;
            let done = match l {
                Lang::Zh => format!(
                    "已导入“{name}”：{rows} 行，新增 {}，更新 {}，未变 {}。",
                    s.inserted, s.updated, s.unchanged
                ),
                Lang::En => format!(
                    "Imported '{name}': {rows} rows, {} new, {} updated, {} unchanged.",
                    s.inserted, s.updated, s.unchanged
                ),
            };
            import_page(
                &state,
                &viewer,
                ImportKind::Ledger,
                StatusCode::OK,
                None,
                &[],
                Some(done),
            )
        }
        // Every problem of the file, by row and column; nothing was written.
        Ok(Err(LedgerError::Problems(ps))) => import_page(
            &state,
            &viewer,
            ImportKind::Ledger,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(LedgerError::Problems(ps.clone()).to_string()),
            &ps,
            None,
        ),
        Ok(Err(e)) => refuse(e.render(l)),
        Err(e @ anju_app::AppError::Forbidden { .. }) => {
            crate::page::html_error(&state, &viewer, WebError::app(e, l))
        }
        Err(anju_app::AppError::Store(anju_app::model::StoreError::Invalid(m))) => refuse(m),
        Err(e) => WebError::app(e, l).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_recognised_by_content_not_by_name() {
        assert_eq!(
            sniff_ledger("a.xlsx", b"PK\x03\x04rest"),
            Some(FileKind::Xlsx)
        );
        assert_eq!(
            sniff_ledger("u.txt", &[0xFF, 0xFE, 0x0F, 0x5C, 0x00, 0x00]),
            Some(FileKind::Csv)
        );
        assert_eq!(
            sniff_ledger("a.csv", "小区名称,所属街道".as_bytes()),
            Some(FileKind::Csv)
        );
        assert_eq!(sniff_ledger("a.xlsx", b"%PDF-1.4"), None);
        assert_eq!(sniff_ledger("a.csv", b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert_eq!(sniff_ledger("a.exe", b"PK\x03\x04"), None);
    }

    #[test]
    fn the_download_name_is_rfc_5987_encoded() {
        assert_eq!(
            attachment("ledger.xlsx", "小区台账.xlsx"),
            "attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''%E5%B0%8F%E5%8C%BA%E5%8F%B0%E8%B4%A6.xlsx"
        );
    }
}
