//! 工作台 — the page a street office opens every morning: coverage by street and community
//! (compounds, households and area by mode group), progress against each dated target, charts
//! drawn on the server ([`crate::charts`]), and today's alerts grouped by kind.
//!
//! Every figure comes from aggregate queries over the viewer's [`CompoundFilter`]
//! ([`Store::coverage_cells`], [`Store::coverage_over_time`], [`Store::alerts`]) and, for the
//! streets that have targets, [`Store::target_progress`] (anju-core's `targets::progress`): no
//! page loads every compound.
//!
//! **Cache.** The figures come from `App::dashboard_figures`, which keeps them per street and
//! rebuilds only the streets written to since (anju-app `dashboard`). The rendered page is kept
//! per (database, scope, label, language, day) together with `App::figures_version` (a hash
//! of the city's counter and those of the streets in scope, raised when a write that touches
//! the street commits) and reused while that version is unchanged and the
//! entry is younger than [`CACHE_TTL`]. A miss is computed by one request at a time, so a burst
//! after a write does not draw the page fifty times; and a request that waited accepts a page
//! whose build began after it arrived (it holds every write made before the request, the
//! viewer's own included), so under a stream of writes the waiting requests share one build
//! instead of rebuilding in turn, each already stale.
//! [`render_dashboard_uncached`] is the same page without the cache.

use crate::WebError;
use crate::charts::{self, Bar, Series};
use crate::versioned::VersionedCache;
use anju_app::dashboard::DashboardFigures;
use anju_app::model::{AlertGroup, AlertOptions, CompoundFilter, CoverageCell};
use anju_app::{App, Principal};
use anju_core::fees::Month;
use anju_core::money::group_thousands;
use anju_core::targets::TargetKind;
use anju_core::{Area, Lang, ModeGroup};
use askama::Template;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Duration;

/// How many months the coverage-over-time chart shows, ending with the current month.
pub const MONTHS_SHOWN: i32 = 24;

/// Sums for one scope (all, a street, a community), by mode group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sums {
    compounds: u64,
    households: u64,
    area_centi: i64,
    with_body: u64,
    /// company, basic, unmanaged
    groups: [(u64, u64, i64); 3],
}

fn group_index(g: ModeGroup) -> usize {
    match g {
        ModeGroup::Company => 0,
        ModeGroup::Basic => 1,
        ModeGroup::Unmanaged => 2,
    }
}

impl Sums {
    fn add(&mut self, c: &CoverageCell) {
        self.compounds += c.compounds;
        self.households += c.households;
        self.area_centi += c.area_centi;
        self.with_body += c.with_body;
        let g = &mut self.groups[group_index(c.mode.group())];
        g.0 += c.compounds;
        g.1 += c.households;
        g.2 += c.area_centi;
    }
    fn covered(&self) -> u64 {
        self.groups[0].0 + self.groups[1].0
    }
}

/// Sums per street, and per community within each street.
type StreetSums<'a> = BTreeMap<&'a str, (Sums, BTreeMap<&'a str, Sums>)>;

/// The cells summed: the total, each street's and each of its communities', and the compounds
/// per category (未分类, 一类, 二类, 三类). The page and its workbook both read these.
fn sum_cells(cells: &[CoverageCell]) -> (Sums, StreetSums<'_>, [u64; 4]) {
    let mut total = Sums::default();
    let mut streets: StreetSums<'_> = BTreeMap::new();
    let mut categories = [0u64; 4];
    for c in cells {
        total.add(c);
        let s = streets.entry(c.street.as_str()).or_default();
        s.0.add(c);
        s.1.entry(
            c.community
                .as_deref()
                .unwrap_or(anju_core::stats::NO_COMMUNITY),
        )
        .or_default()
        .add(c);
        let k = c.category.map_or(0, usize::from).min(3);
        categories[k] += c.compounds;
    }
    (total, streets, categories)
}

/// One row of the coverage table, formatted.
struct CoverageRow {
    street: String,
    community: String,
    is_street: bool,
    compounds: String,
    households: String,
    area: String,
    /// company, basic, unmanaged: (compounds, "户数 户 · 面积 ㎡")
    groups: Vec<(String, String)>,
    with_body: String,
    coverage: String,
}

fn m2(centi: i64) -> String {
    format!("{} ㎡", Area::from_centi(centi).grouped())
}

fn row(street: &str, community: &str, is_street: bool, s: &Sums, lang: Lang) -> CoverageRow {
    CoverageRow {
        street: street.to_string(),
        community: community.to_string(),
        is_street,
        compounds: group_thousands(s.compounds),
        households: group_thousands(s.households),
        area: m2(s.area_centi),
        groups: s
            .groups
            .iter()
            .map(|(n, h, a)| {
                (
                    group_thousands(*n),
                    format!(
                        "{} {} · {}",
                        group_thousands(*h),
                        lang.pick("户", "hh"),
                        m2(*a)
                    ),
                )
            })
            .collect(),
        with_body: group_thousands(s.with_body),
        coverage: charts::percent_label(s.covered(), s.compounds),
    }
}

struct TargetRow {
    street: String,
    label: String,
    due: String,
    baseline: String,
    required: String,
    achieved: String,
    percent: String,
    status: String,
    /// "met", "on_track", "met_late", "overdue": the CSS class.
    status_class: &'static str,
}

struct AlertItem {
    compound: String,
    street: String,
    what: String,
    link: String,
}

struct AlertBlock {
    code: &'static str,
    label: &'static str,
    total: String,
    shown: usize,
    more: bool,
    items: Vec<AlertItem>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    lang: Lang,
    t: Labels,
    scope: String,
    today: String,
    cards: Vec<(String, String)>,
    rows: Vec<CoverageRow>,
    targets: Vec<TargetRow>,
    chart_time: String,
    chart_streets: String,
    chart_communities: String,
    chart_categories: String,
    alerts: Vec<AlertBlock>,
    alert_total: String,
    /// A company's rectification orders still to answer (all of them, not only the overdue).
    open_orders: Option<Vec<OpenOrder>>,
}

struct OpenOrder {
    link: String,
    compound: String,
    what: String,
    deadline: String,
    overdue: bool,
}

/// Every fixed text on the page, in the reader's language.
struct Labels {
    title: &'static str,
    dashboard: &'static str,
    scope: &'static str,
    as_of: &'static str,
    coverage: &'static str,
    street: &'static str,
    community: &'static str,
    compounds: &'static str,
    households: &'static str,
    area: &'static str,
    company: &'static str,
    basic: &'static str,
    unmanaged: &'static str,
    with_body: &'static str,
    coverage_rate: &'static str,
    targets: &'static str,
    target: &'static str,
    due: &'static str,
    baseline: &'static str,
    required: &'static str,
    achieved: &'static str,
    status: &'static str,
    no_targets: &'static str,
    charts: &'static str,
    alerts: &'static str,
    no_alerts: &'static str,
    more: &'static str,
}

impl Labels {
    fn new(lang: Lang) -> Labels {
        let p = |zh, en| lang.pick(zh, en);
        Labels {
            title: p(
                "安居 · 物业管理全覆盖",
                "Anju · property management for every compound",
            ),
            dashboard: p("工作台", "Dashboard"),
            scope: p("范围", "Scope"),
            as_of: p("截至", "As of"),
            coverage: p("覆盖情况", "Coverage"),
            street: p("街道", "Street"),
            community: p("社区", "Community"),
            compounds: p("小区数", "Compounds"),
            households: p("户数", "Households"),
            area: p("建筑面积", "Floor area"),
            company: p("有物业企业", "With a company"),
            basic: p("兜底/后勤", "Basic cover"),
            unmanaged: p("弃管（含自管）", "Unmanaged"),
            with_body: p("有业主组织", "With owners' body"),
            coverage_rate: p("覆盖率", "Coverage"),
            targets: p("阶段目标进度", "Progress against targets"),
            target: p("目标", "Target"),
            due: p("期限", "Due"),
            baseline: p("基数（无物业小区）", "Baseline (unmanaged)"),
            required: p("需完成", "Required"),
            achieved: p("已完成", "Achieved"),
            status: p("状态", "Status"),
            no_targets: p(
                "本范围内的街道尚未设定阶段目标。",
                "No street in this scope has dated targets.",
            ),
            charts: p("图表", "Charts"),
            alerts: p("今日待办提醒", "Today's alerts"),
            no_alerts: p("今天没有需要处理的提醒。", "Nothing needs action today."),
            more: p("仅列出最早的", "showing the oldest"),
        }
    }
}

fn month_minus(m: Month, n: i32) -> Month {
    let idx = i32::from(m.year) * 12 + i32::from(m.month) - 1 - n;
    Month {
        year: i16::try_from(idx.div_euclid(12)).unwrap_or(m.year),
        month: i8::try_from(idx.rem_euclid(12) + 1).unwrap_or(1),
    }
}

/// How long a cached page may be reused even when no write was seen.
pub const CACHE_TTL: Duration = Duration::from_secs(60);
/// At most this many cached pages (the oldest is dropped).
const CACHE_MAX: usize = 256;

static CACHE: LazyLock<VersionedCache<String>> =
    LazyLock::new(|| VersionedCache::new(CACHE_TTL, CACHE_MAX));
static FILLING: LazyLock<tokio::sync::Mutex<()>> = LazyLock::new(Default::default);

/// `/` and `/dashboard`: the 工作台 of the logged-in viewer, over what their account may see.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/", get(page))
        .route("/dashboard", get(page))
        .route("/dashboard/xlsx", get(figures_xlsx))
}

/// `GET /dashboard/xlsx`: the 工作台's figures as a workbook (coverage by street and
/// community, the targets, today's alerts counted), over the same scope as the page.
async fn figures_xlsx(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    viewer: crate::Viewer,
) -> axum::response::Response {
    match figures_book(&state.app, &viewer.principal()).await {
        Ok(bytes) => {
            let day = state.app.today();
            let l = viewer.lang;
            axum::response::IntoResponse::into_response((
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        crate::ledger::attachment(
                            &format!("dashboard-{day}.xlsx"),
                            &format!("{}-{day}.xlsx", l.pick("工作台数据", "dashboard")),
                        ),
                    ),
                    (
                        axum::http::header::CACHE_CONTROL,
                        "private, no-store".to_string(),
                    ),
                ],
                bytes,
            ))
        }
        Err(e) => crate::page::html_error(&state, &viewer, e),
    }
}

/// A share in percent, one decimal, half-up, as a number for a sheet (the page's words come
/// from the same `anju_core::stats::percent`).
fn percent(part: u64, whole: u64) -> rust_decimal::Decimal {
    anju_core::stats::percent(part, whole)
        .parse()
        .unwrap_or_default()
}

async fn figures_book(app: &App, who: &Principal) -> Result<Vec<u8>, WebError> {
    use anju_sheets::{ReportCell as C, ReportSheet};
    let lang = who.lang;
    let app_err = |e| WebError::app(e, lang);
    let t = Labels::new(lang);
    let today = app.today();
    let cells = app
        .coverage_cells(who, CompoundFilter::default())
        .await
        .map_err(app_err)?;
    let (total, streets, _) = sum_cells(&cells);
    let line = |street: &str, community: &str, s: &Sums| -> Vec<C> {
        vec![
            C::Text(street.to_string()),
            C::Text(community.to_string()),
            C::Int(i64::try_from(s.compounds).unwrap_or(i64::MAX)),
            C::Int(i64::try_from(s.households).unwrap_or(i64::MAX)),
            C::Decimal {
                value: rust_decimal::Decimal::new(s.area_centi, 2),
                places: 2,
            },
            C::Int(i64::try_from(s.groups[0].0).unwrap_or(i64::MAX)),
            C::Int(i64::try_from(s.groups[1].0).unwrap_or(i64::MAX)),
            C::Int(i64::try_from(s.groups[2].0).unwrap_or(i64::MAX)),
            C::Int(i64::try_from(s.with_body).unwrap_or(i64::MAX)),
            C::Decimal {
                value: percent(s.covered(), s.compounds),
                places: 1,
            },
        ]
    };
    let mut rows = vec![line(lang.pick("合计", "Total"), "", &total)];
    let mut bold = vec![0u32];
    for (street, (s, comms)) in &streets {
        bold.push(u32::try_from(rows.len()).unwrap_or(0));
        rows.push(line(street, "", s));
        for (cm, cs) in comms {
            rows.push(line("", cm, cs));
        }
    }
    let subtitle = match lang {
        Lang::Zh => format!("截至 {today}"),
        Lang::En => format!("As of {today}"),
    };
    let coverage = ReportSheet {
        name: lang.pick("覆盖情况", "Coverage").to_string(),
        title: lang
            .pick("物业管理覆盖情况", "Property management coverage")
            .to_string(),
        subtitle: Some(subtitle.clone()),
        groups: Vec::new(),
        headings: vec![
            lang.pick("街道", "Street").to_string(),
            lang.pick("社区", "Community").to_string(),
            t.compounds.to_string(),
            t.households.to_string(),
            lang.pick("建筑面积（㎡）", "Floor area (㎡)").to_string(),
            t.company.to_string(),
            t.basic.to_string(),
            t.unmanaged.to_string(),
            t.with_body.to_string(),
            lang.pick("覆盖率（%）", "Coverage (%)").to_string(),
        ],
        widths: vec![16, 16, 10, 10, 16, 12, 12, 12, 14, 12],
        rows,
        bold_rows: bold,
        merges: Vec::new(),
        notes: vec![
            lang.pick(
                "覆盖率 = (物业企业管理 + 基础物业/兜底) ÷ 小区数。",
                "Coverage = (company + basic service) ÷ compounds.",
            )
            .to_string(),
        ],
        landscape: true,
    };
    let progress = app
        .streets_progress(
            who,
            &streets.keys().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .await
        .map_err(app_err)?;
    let targets = ReportSheet {
        name: lang.pick("阶段目标", "Targets").to_string(),
        title: lang
            .pick("阶段目标进度", "Progress against targets")
            .to_string(),
        subtitle: Some(subtitle.clone()),
        groups: Vec::new(),
        headings: [
            ("街道", "Street"),
            ("目标", "Target"),
            ("期限", "Due"),
            ("基数", "Baseline"),
            ("需完成", "Required"),
            ("已完成", "Achieved"),
            ("完成率（%）", "Achieved (%)"),
            ("状态", "Status"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect(),
        widths: vec![16, 40, 12, 8, 8, 8, 12, 10],
        rows: progress
            .iter()
            .map(|(street, p)| {
                vec![
                    C::Text(street.clone()),
                    C::Text(match lang {
                        Lang::Zh => p.target.label.clone(),
                        Lang::En => format!("{} {} %", p.target.kind.en(), p.target.share_percent),
                    }),
                    C::Date(p.target.due),
                    C::Int(i64::from(p.baseline)),
                    C::Int(i64::from(p.required)),
                    C::Int(i64::from(p.achieved)),
                    C::Decimal {
                        value: percent(u64::from(p.achieved), u64::from(p.baseline)),
                        places: 1,
                    },
                    C::Text(lang.pick(p.status.zh(), p.status.en()).to_string()),
                ]
            })
            .collect(),
        bold_rows: Vec::new(),
        merges: Vec::new(),
        notes: Vec::new(),
        landscape: true,
    };
    let groups: Vec<AlertGroup> = app
        .alerts(who, CompoundFilter::default(), AlertOptions::default())
        .await
        .map_err(app_err)?;
    let alerts = ReportSheet {
        name: lang.pick("待办提醒", "Alerts").to_string(),
        title: lang.pick("今日待办提醒", "Today's alerts").to_string(),
        subtitle: Some(subtitle),
        groups: Vec::new(),
        headings: vec![
            lang.pick("类别", "Kind").to_string(),
            lang.pick("件数", "Count").to_string(),
        ],
        widths: vec![40, 10],
        rows: groups
            .iter()
            .map(|g| {
                vec![
                    C::Text(g.kind.label(lang).to_string()),
                    C::Int(i64::try_from(g.total).unwrap_or(i64::MAX)),
                ]
            })
            .collect(),
        bold_rows: Vec::new(),
        merges: Vec::new(),
        notes: Vec::new(),
        landscape: false,
    };
    anju_sheets::write_report_to_buffer(&[coverage, targets, alerts])
        .map_err(|e| WebError::BadRequest(e.to_string()))
}

async fn page(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    viewer: crate::Viewer,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    // An owners' body works for one compound: its page is the member's 工作台.
    if let Some(id) = viewer.compound_id {
        return Ok(axum::response::Redirect::to(&crate::page::with_lang(
            &format!("/compounds/{id}"),
            viewer.lang,
        ))
        .into_response());
    }
    let label = viewer
        .region_name
        .clone()
        .or_else(|| viewer.company_name.clone())
        .unwrap_or_else(|| viewer.lang.pick("全部", "all").to_string());
    let html = render_dashboard(&state.app, &viewer.principal(), &label).await?;
    // The page is cached per scope: who is signed in, their token and the links their role
    // may open are added per request (the same header as every other page).
    let chrome = crate::page::Chrome::new(
        &state,
        &viewer,
        viewer.lang.pick("工作台", "Dashboard"),
        "/dashboard",
    );
    let header = askama::Template::render(&crate::page::ChromeHeader { chrome: &chrome })?;
    let banner = if state.demo {
        format!(
            "<div class=\"demo\">{}</div>",
            viewer.lang.pick(
                "演示数据：小区名称与属性部分为虚构，仅供演示。",
                "Demo data: names and attributes are partly invented, for demonstration only."
            )
        )
    } else {
        String::new()
    };
    let referrals = referral_panel(&state, &viewer).await?;
    let filings = filing_panel(&state, &viewer).await?;
    let assignments = assignment_panel(&state, &viewer).await?;
    Ok(axum::response::Html(html.replacen(
        "<!--anju:header-->",
        &format!("{header}\n{banner}\n{referrals}\n{filings}\n{assignments}"),
        1,
    ))
    .into_response())
}

/// 吹哨事项 on the 工作台, per request (not cached: a referral is a few rows): a department's
/// officer sees its open referrals, the overdue first; whoever refers or oversees sees the
/// overdue ones in scope (督办). Empty when there is nothing to show.
#[derive(askama::Template)]
#[template(
    ext = "html",
    source = r#"<section class="box" id="{{ id }}">
<h2>{{ title }}</h2>
<p>{{ summary }} · <a href="{{ all_link }}">{{ all_label }}</a></p>
{% if !rows.is_empty() %}<ul>{% for (href, text, late) in rows %}<li{% if *late %} class="hot"{% endif %}><a href="{{ href }}">{{ text }}</a></li>{% endfor %}</ul>{% endif %}
</section>"#
)]
struct ReferralPanel {
    /// `referral-panel`, `filing-panel` or `assignment-panel`.
    id: &'static str,
    title: String,
    summary: String,
    all_link: String,
    all_label: String,
    rows: Vec<(String, String, bool)>,
}

/// 调度表 filings overdue (逾期未报) in scope, per request: the streets that have not filed for
/// a filing day that has passed. Empty when every street is up to date.
async fn filing_panel(state: &crate::AppState, viewer: &crate::Viewer) -> Result<String, WebError> {
    use anju_core::access::Role;
    let l = viewer.lang;
    if matches!(viewer.role, Role::Company | Role::Evaluator) {
        return Ok(String::new());
    }
    let o = state
        .app
        .filing_overview(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?;
    let rows: Vec<(String, String, bool)> = o
        .streets
        .iter()
        .filter(|s| s.overdue > 0)
        .map(|s| {
            let days: Vec<String> = s
                .days
                .iter()
                .filter(|d| d.standing.is_overdue())
                .map(|d| d.due_on.to_string())
                .collect();
            (
                crate::page::with_lang("/dispatch", l),
                format!(
                    "{} · {}{}",
                    s.street,
                    l.pick("逾期未报：", "not filed: "),
                    days.join("、")
                ),
                true,
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(String::new());
    }
    let panel = ReferralPanel {
        id: "filing-panel",
        title: l
            .pick("调度表逾期未报", "Progress sheets not filed")
            .to_string(),
        summary: format!("{} {}", rows.len(), l.pick("个街道", "street(s)")),
        all_link: crate::page::with_lang("/dispatch", l),
        all_label: l.pick("调度表报送", "Progress sheets").to_string(),
        rows,
    };
    Ok(askama::Template::render(&panel)?)
}

/// 交办事项 on the 工作台, per request: the reader's unit's open ones and, for whoever hands
/// them out, those awaiting 销号 or overdue (`App::assignment_watch`). Empty when there are none.
async fn assignment_panel(
    state: &crate::AppState,
    viewer: &crate::Viewer,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let today = state.app.today();
    let w = state
        .app
        .assignment_watch(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?;
    if w.mine.is_empty() && w.others.is_empty() {
        return Ok(String::new());
    }
    let mut all: Vec<&anju_app::model::Assignment> = w.mine.iter().chain(&w.others).collect();
    all.sort_by_key(|a| (!a.overdue(today), a.deadline, a.id));
    let rows = all
        .iter()
        .take(10)
        .map(|a| {
            let late = a.overdue(today);
            (
                crate::page::with_lang(&format!("/organisation/assignments/{}", a.id), l),
                format!(
                    "{} · {} · {}{}",
                    a.text.chars().take(40).collect::<String>(),
                    a.unit_name,
                    a.status.label(l),
                    if late {
                        format!(
                            "{}{}",
                            l.pick("（逾期，期限 ", " (overdue, due "),
                            a.deadline
                        ) + l.pick("）", ")")
                    } else {
                        format!(" · {} {}", l.pick("期限", "due"), a.deadline)
                    }
                ),
                late,
            )
        })
        .collect();
    let panel = ReferralPanel {
        id: "assignment-panel",
        title: l.pick("交办事项", "Assignments").to_string(),
        summary: format!(
            "{} {} · {} {} · {} {}",
            l.pick("本单位待办", "mine"),
            w.mine.len(),
            l.pick("待销号或逾期", "to close or overdue"),
            w.others.len(),
            l.pick("逾期", "overdue"),
            w.overdue
        ),
        all_link: crate::page::with_lang("/organisation", l),
        all_label: l.pick("会议与督办", "Meetings and follow-up").to_string(),
        rows,
    };
    Ok(askama::Template::render(&panel)?)
}

async fn referral_panel(
    state: &crate::AppState,
    viewer: &crate::Viewer,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let today = state.app.today();
    let Some(w) = state
        .app
        .referral_watch(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?
    else {
        return Ok(String::new());
    };
    let (department, open, overdue) = (w.department, w.open, w.overdue);
    if open.is_empty() && !department {
        return Ok(String::new());
    }
    let rows = open
        .iter()
        .take(10)
        .map(|r| {
            let late = r.overdue(today);
            (
                crate::page::with_lang(&format!("/referrals/{}", r.id), l),
                format!(
                    "{} · {} → {} · {} {}{}",
                    r.compound,
                    r.category,
                    r.department,
                    l.pick("期限", "due"),
                    r.deadline,
                    if late {
                        l.pick("（逾期·督办）", " (overdue)")
                    } else {
                        ""
                    }
                ),
                late,
            )
        })
        .collect();
    let panel = ReferralPanel {
        id: "referral-panel",
        title: if department {
            l.pick("本部门的吹哨事项", "Referrals to my department")
                .to_string()
        } else {
            l.pick("逾期吹哨事项（督办）", "Overdue referrals")
                .to_string()
        },
        summary: if department {
            format!(
                "{} {} · {} {}",
                l.pick("在办", "open"),
                open.len(),
                l.pick("逾期", "overdue"),
                overdue
            )
        } else {
            format!("{} {}", l.pick("逾期未办结", "overdue"), overdue)
        },
        all_link: crate::page::with_lang("/referrals", l),
        all_label: l.pick("全部吹哨事项", "All referrals").to_string(),
        rows,
    };
    Ok(askama::Template::render(&panel)?)
}

/// The 工作台 HTML over the compounds the principal may see, as of the application's today,
/// in the principal's language; reused from the cache while nothing was written (see the
/// module doc).
pub async fn render_dashboard(
    app: &App,
    who: &Principal,
    scope_label: &str,
) -> Result<String, WebError> {
    let lang = who.lang;
    let today = app.today();
    let app_err = |e| WebError::app(e, lang);
    let key = format!(
        "{}|{:?}|{scope_label}|{lang:?}|{today}",
        app.database_identity(),
        who.compound_filter()
    );
    CACHE
        .get_or_build(
            &key,
            &FILLING,
            &who.name,
            || async { app.figures_version(who).await.map_err(app_err) },
            || async {
                let (from, to) = months_shown(today);
                let figures = app
                    .dashboard_figures(who, from, to)
                    .await
                    .map_err(app_err)?;
                render_figures(app, who, scope_label, figures).await
            },
        )
        .await
}

/// The months the coverage-over-time chart shows: [`MONTHS_SHOWN`] ending with today's.
fn months_shown(today: Date) -> (Month, Month) {
    let to = Month::of(today);
    (month_minus(to, MONTHS_SHOWN - 1), to)
}

/// The 工作台 HTML computed afresh from the database, without the caches.
pub async fn render_dashboard_uncached(
    app: &App,
    who: &Principal,
    scope_label: &str,
) -> Result<String, WebError> {
    let (from, to) = months_shown(app.today());
    let figures = app
        .dashboard_figures_fresh(who, from, to)
        .await
        .map_err(|e| WebError::app(e, who.lang))?;
    render_figures(app, who, scope_label, figures).await
}

/// The 工作台 HTML over these figures.
async fn render_figures(
    app: &App,
    who: &Principal,
    scope_label: &str,
    figures: DashboardFigures,
) -> Result<String, WebError> {
    let lang = who.lang;
    let today = app.today();
    let app_err = |e| WebError::app(e, lang);
    let t = Labels::new(lang);
    let DashboardFigures {
        cells,
        progress,
        over_time: points,
        alerts: groups,
    } = figures;

    let (total, streets, categories) = sum_cells(&cells);
    let mut rows = vec![row(lang.pick("合计", "Total"), "", true, &total, lang)];
    for (street, (s, comms)) in &streets {
        rows.push(row(street, "", true, s, lang));
        for (cm, cs) in comms {
            rows.push(row("", cm, false, cs, lang));
        }
    }
    let cards = vec![
        (t.compounds.to_string(), group_thousands(total.compounds)),
        (t.households.to_string(), group_thousands(total.households)),
        (t.area.to_string(), m2(total.area_centi)),
        (
            t.coverage_rate.to_string(),
            charts::percent_label(total.covered(), total.compounds),
        ),
        (t.company.to_string(), group_thousands(total.groups[0].0)),
        (t.basic.to_string(), group_thousands(total.groups[1].0)),
        (t.unmanaged.to_string(), group_thousands(total.groups[2].0)),
        (t.with_body.to_string(), group_thousands(total.with_body)),
    ];

    // Targets of the streets in scope.
    let mut targets = Vec::new();
    for (street, p) in &progress {
        let status_class = match p.status {
            anju_core::targets::TargetStatus::Met => "met",
            anju_core::targets::TargetStatus::OnTrack => "on_track",
            anju_core::targets::TargetStatus::MetLate => "met_late",
            anju_core::targets::TargetStatus::Overdue => "overdue",
        };
        targets.push(TargetRow {
            street: street.clone(),
            label: match lang {
                Lang::Zh => p.target.label.clone(),
                Lang::En => format!("{} {} %", p.target.kind.en(), p.target.share_percent),
            },
            due: p.target.due.to_string(),
            baseline: group_thousands(u64::from(p.baseline)),
            required: group_thousands(u64::from(p.required)),
            achieved: group_thousands(u64::from(p.achieved)),
            percent: format!("{} %", p.percent),
            status: lang.pick(p.status.zh(), p.status.en()).to_string(),
            status_class,
        });
    }

    // Coverage over time, with each covered-compounds target as a dashed line: the street's
    // compounds outside the baseline plus the required number (summed over streets).
    let labels: Vec<String> = points.iter().map(|p| p.month.to_string()).collect();
    let mut series = vec![Series {
        name: lang.pick("已覆盖小区", "Covered compounds").to_string(),
        values: points.iter().map(|p| p.covered).collect(),
        dashed: false,
    }];
    let mut target_lines: BTreeMap<(Date, u32), u64> = BTreeMap::new();
    for (street, p) in &progress {
        if p.target.kind != TargetKind::Covered {
            continue;
        }
        let street_total = streets.get(street.as_str()).map_or(0, |s| s.0.compounds);
        let v = street_total.saturating_sub(u64::from(p.baseline)) + u64::from(p.required);
        *target_lines
            .entry((p.target.due, p.target.share_percent))
            .or_default() += v;
    }
    for ((due, share), v) in target_lines {
        series.push(Series {
            name: match lang {
                Lang::Zh => format!("目标 {share}%（{due}）"),
                Lang::En => format!("target {share}% ({due})"),
            },
            values: vec![v; points.len()],
            dashed: true,
        });
    }
    let chart_time = charts::line_chart(
        lang.pick("覆盖小区数（月末）", "Covered compounds (month end)"),
        &labels,
        &series,
        Some(total.compounds),
        lang,
    );

    let group_names = vec![
        t.company.to_string(),
        t.basic.to_string(),
        t.unmanaged.to_string(),
    ];
    let street_rows: Vec<(String, Vec<u64>)> = streets
        .iter()
        .map(|(name, (s, _))| (name.to_string(), s.groups.iter().map(|g| g.0).collect()))
        .collect();
    let chart_streets = charts::stacked_bars(
        lang.pick("各街道小区管理方式", "Compounds by mode, per street"),
        &group_names,
        &street_rows,
        lang,
    );
    // Communities, lowest coverage first (where the work is), at most 30.
    let mut comm_bars: Vec<(u64, u64, Bar)> = streets
        .iter()
        .flat_map(|(street, (_, comms))| {
            let many = streets.len() > 1;
            comms.iter().map(move |(cm, s)| {
                let label = if many {
                    format!("{street}·{cm}")
                } else {
                    cm.to_string()
                };
                (
                    s.covered(),
                    s.compounds,
                    Bar {
                        label,
                        value: s.covered(),
                        whole: Some(s.compounds),
                    },
                )
            })
        })
        .collect();
    comm_bars.sort_by(|a, b| {
        (u128::from(a.0) * u128::from(b.1))
            .cmp(&(u128::from(b.0) * u128::from(a.1)))
            .then_with(|| a.2.label.cmp(&b.2.label))
    });
    let comm_bars: Vec<Bar> = comm_bars.into_iter().take(30).map(|x| x.2).collect();
    let chart_communities = charts::horizontal_bars(
        lang.pick(
            "各社区物业覆盖率（由低到高，最多 30 个）",
            "Coverage by community (lowest first, up to 30)",
        ),
        &comm_bars,
        lang,
    );
    let cat_names = [
        lang.pick("未分类", "Not classified"),
        lang.pick("一类", "Category 1"),
        lang.pick("二类", "Category 2"),
        lang.pick("三类", "Category 3"),
    ];
    let slices: Vec<(String, u64)> = [1, 2, 3, 0]
        .iter()
        .map(|&k| (cat_names[k].to_string(), categories[k]))
        .filter(|(_, n)| *n > 0)
        .collect();
    let chart_categories =
        charts::donut(lang.pick("小区类别", "Compound categories"), &slices, lang);

    // Alerts.
    let alert_total: u64 = groups.iter().map(|g| g.total).sum();
    let alerts = groups
        .iter()
        .map(|g| AlertBlock {
            code: g.kind.code(),
            label: g.kind.label(lang),
            total: group_thousands(g.total),
            shown: g.items.len(),
            more: (g.items.len() as u64) < g.total,
            items: g
                .items
                .iter()
                .map(|a| AlertItem {
                    compound: a.compound.clone(),
                    street: match &a.community {
                        Some(c) => format!("{} · {c}", a.street),
                        None => a.street.clone(),
                    },
                    what: a.what(lang),
                    link: a.link.clone(),
                })
                .collect(),
        })
        .collect();

    // A company answers orders: every open one first, whether or not it is overdue yet.
    let open_orders = if who.role == anju_core::access::Role::Company {
        let mut orders = app
            .orders(
                who,
                anju_app::model::OrderFilter {
                    status: Some(anju_core::oversight::OrderStatus::Open),
                    ..anju_app::model::OrderFilter::default()
                },
            )
            .await
            .map_err(app_err)?;
        orders.sort_by_key(|o| (o.deadline, o.id));
        Some(
            orders
                .into_iter()
                .map(|o| OpenOrder {
                    link: format!("/compounds/{}#patrols", o.compound_id),
                    compound: o.compound,
                    what: format!("{}：{}", o.category.label(lang), o.description),
                    deadline: o.deadline.to_string(),
                    overdue: today > o.deadline,
                })
                .collect(),
        )
    } else {
        None
    };
    let page = DashboardPage {
        open_orders,
        lang,
        t,
        scope: scope_label.to_string(),
        today: today.to_string(),
        cards,
        rows,
        targets,
        chart_time,
        chart_streets,
        chart_communities,
        chart_categories,
        alerts,
        alert_total: group_thousands(alert_total),
    };
    Ok(page.render()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_back_cross_years() {
        let m = |y, mo| Month { year: y, month: mo };
        assert_eq!(month_minus(m(2026, 11), 23), m(2024, 12));
        assert_eq!(month_minus(m(2026, 1), 1), m(2025, 12));
        assert_eq!(month_minus(m(2026, 12), 0), m(2026, 12));
    }
}
