//! 报表 — every report `anju report list` knows, on the web (issue 7, part 4): a printable page
//! (the same sheets the xlsx holds, as HTML tables; A4, headings repeated on every printed
//! page) and a download button giving the same .xlsx as `anju report NAME --out FILE.xlsx`.
//! The data comes from `anju-reports` (and the subsidy lines for the application form and the
//! disbursement list), the layout from `anju-sheets`, exactly as the CLI builds them.
//!
//! Scope: the viewer's area wins over the form. A street account always gets its own street,
//! a district account its district (a street within it may be chosen); community and company
//! accounts are refused (reports are filed by streets and districts).

use crate::auth::Scope as ViewerScope;
use crate::page::{Chrome, html_error, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_core::access::Action as Perm;
use anju_core::funding::RunPeriod;
use anju_core::{Lang, RegionLevel};
use anju_reports::{DispatchParams, RankRule, RankingParams, Scope, ScoresParams, TaskList};
use anju_sheets::{ReportCell, ReportSheet};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list_page))
        .route("/reports/{name}", get(report_page))
        .route("/reports/{name}/xlsx", get(report_xlsx))
}

/// Every report: (name, zh, en).
fn all_reports() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut v: Vec<_> = anju_reports::REPORTS.to_vec();
    v.push((
        "subsidy-application",
        "物业补贴申报表",
        "subsidy application form",
    ));
    v.push(("disbursement-list", "补贴资金拨付清单", "disbursement list"));
    v
}

/// The form: the same parameters as `anju report`.
#[derive(Debug, Default, Clone, Deserialize)]
struct Params {
    street: Option<String>,
    district: Option<String>,
    period: Option<String>,
    compound: Option<String>,
    owners_share: Option<String>,
    /// The ranking's rule: coverage | bodies | weighted (with `weight`, the share of coverage).
    rank_by: Option<String>,
    weight: Option<String>,
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl Params {
    fn query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("street", &self.street),
            ("district", &self.district),
            ("period", &self.period),
            ("compound", &self.compound),
            ("owners_share", &self.owners_share),
            ("rank_by", &self.rank_by),
            ("weight", &self.weight),
        ] {
            if let Some(v) = clean(v) {
                parts.push(format!("{k}={}", crate::page::urlencode(&v)));
            }
        }
        parts.join("&")
    }
}

/// The report scope after the viewer's area is applied.
fn scope_for(viewer: &Viewer, p: &Params) -> Result<Scope, WebError> {
    let l = viewer.lang;
    let asked = Scope {
        district: clean(&p.district),
        street: clean(&p.street),
    };
    match viewer.scope() {
        ViewerScope::All => Ok(asked),
        ViewerScope::Region(_) => match (viewer.region_level, viewer.region_name.clone()) {
            (Some(RegionLevel::Street), Some(name)) => Ok(Scope {
                district: None,
                street: Some(name),
            }),
            (Some(RegionLevel::District), Some(name)) => Ok(Scope {
                district: Some(name),
                street: asked.street,
            }),
            _ => Err(WebError::Forbidden(
                l.pick(
                    "报表按街道或区县编制，社区账号请向街道索取",
                    "reports are filed by streets and districts: ask your street",
                )
                .to_string(),
            )),
        },
        ViewerScope::Compound(_) => Err(WebError::Forbidden(
            l.pick(
                "报表按街道或区县编制，业主组织账号请向街道索取",
                "reports are filed by streets and districts: ask your street",
            )
            .to_string(),
        )),
        ViewerScope::Company(_) | ViewerScope::Nothing => Err(WebError::Forbidden(
            l.pick(
                "报表按街道或区县编制，物业企业账号无权查看",
                "reports are filed by streets and districts: companies may not read them",
            )
            .to_string(),
        )),
    }
}

/// Why a report could not be built: something the user can fix (shown on the page), or a
/// failure.
enum Problem {
    User(String),
    Fail(WebError),
}

impl From<WebError> for Problem {
    fn from(e: WebError) -> Problem {
        Problem::Fail(e)
    }
}

/// The application layer's refusal as a problem to show on the form; a failure stays one.
fn report_problem(e: anju_app::AppError, l: Lang) -> Problem {
    match e {
        anju_app::AppError::Store(s) if s.is_user_error() => Problem::User(s.message(l)),
        anju_app::AppError::Store(s) => Problem::Fail(WebError::Store(s)),
        e @ anju_app::AppError::Forbidden { .. } => Problem::Fail(WebError::app(e, l)),
        e => Problem::User(e.message(l)),
    }
}

/// The ranking rule the form chose (排名规则, and for a weighted score the share of coverage).
fn rank_rule(p: &Params, l: Lang) -> Result<RankRule, Problem> {
    let by = clean(&p.rank_by).unwrap_or_default();
    let code = if by == "weighted" {
        format!("weighted:{}", clean(&p.weight).unwrap_or_default())
    } else {
        by
    };
    RankRule::parse(&code).ok_or_else(|| {
        user(
            "全覆盖进度权重：请填写 0 至 100 的整数（业主组织组建率占其余部分）",
            "Coverage weight: give a whole number from 0 to 100 (the owners'-body rate takes the rest)",
            l,
        )
    })
}

fn user(zh: &str, en: &str, l: Lang) -> Problem {
    Problem::User(l.pick(zh, en).to_string())
}

use anju_reports::subsidy_sheet_line as sheet_line;

/// The sheets of report `name` for the viewer, as `anju report` builds them.
async fn build_sheets(
    state: &AppState,
    viewer: &Viewer,
    name: &str,
    p: &Params,
) -> Result<Vec<ReportSheet>, Problem> {
    viewer.require(Perm::ViewLedger)?;
    let l = viewer.lang;
    let app = &state.app;
    let who = viewer.principal();
    let scope = scope_for(viewer, p)?;
    let period = clean(&p.period);
    let sheets = match name {
        "dispatch" => {
            let date = match &period {
                Some(s) => Some(s.parse::<jiff::civil::Date>().map_err(|_| {
                    Problem::User(match l {
                        Lang::Zh => format!("期间：“{s}”不是日期（YYYY-MM-DD）"),
                        Lang::En => format!("Period: '{s}' is not a date (YYYY-MM-DD)"),
                    })
                })?),
                None => None,
            };
            app.dispatch_report(
                &who,
                DispatchParams {
                    scope,
                    date,
                    today: app.today(),
                },
            )
            .await
            .map_err(|e| report_problem(e, l))?
            .sheets()
        }
        "tasks-3" | "tasks-4" => {
            let Some(list) = TaskList::from_name(name) else {
                return Err(user("没有这个任务表", "no such task list", l));
            };
            app.tasks_report(&who, scope, list)
                .await
                .map_err(|e| report_problem(e, l))?
                .sheets()
        }
        "coverage" => app
            .coverage_report(&who, scope)
            .await
            .map_err(|e| report_problem(e, l))?
            .sheets(),
        "ranking" => {
            let month = period.unwrap_or_else(|| state.app.today().strftime("%Y-%m").to_string());
            let rule = rank_rule(p, l)?;
            app.ranking_report(&who, RankingParams { scope, month, rule })
                .await
                .map_err(|e| report_problem(e, l))?
                .sheets()
        }
        "scores" => {
            let Some(period) = period else {
                return Err(user(
                    "期间：请填写考核期间（如 2026-H1）",
                    "Period: give the assessment period (e.g. 2026-H1)",
                    l,
                ));
            };
            app.scores_report(&who, ScoresParams { scope, period })
                .await
                .map_err(|e| report_problem(e, l))?
                .sheets()
        }
        "accounts" => {
            let share = match clean(&p.owners_share) {
                None => None,
                Some(s) => Some(s.parse::<rust_decimal::Decimal>().map_err(|_| {
                    Problem::User(match l {
                        Lang::Zh => format!("业主委员会分成比例：“{s}”不是数字"),
                        Lang::En => format!("Owners' share: '{s}' is not a number"),
                    })
                })?),
            };
            app.accounts_report(
                &who,
                scope,
                clean(&p.compound),
                period.unwrap_or_default(),
                share,
            )
            .await
            .map_err(|e| report_problem(e, l))?
            .sheets()
        }
        "subsidy-application" | "disbursement-list" => {
            let region = match (&scope.street, &scope.district) {
                (Some(s), _) => app.region_named(&who, RegionLevel::Street, s).await,
                (None, Some(d)) => app.region_named(&who, RegionLevel::District, d).await,
                (None, None) => {
                    return Err(user(
                        "范围：请填写街道或区县",
                        "Scope: give the street or district",
                        l,
                    ));
                }
            };
            let region = region.map_err(|e| report_problem(e, l))?;
            let Some(period) = period else {
                return Err(user(
                    "期间：请填写期间（如 2023、2023H1、cy2）",
                    "Period: give the period (e.g. 2023, 2023H1, cy2)",
                    l,
                ));
            };
            let period = RunPeriod::parse(&period).map_err(|e| {
                Problem::User(format!("{}{}", l.pick("期间：", "Period: "), e.message(l)))
            })?;
            let disbursement = name == "disbursement-list";
            let lines = app
                .sheet_lines(&who, &region, period, disbursement)
                .await
                .map_err(|e| report_problem(e, l))?;
            let label = period.label(l);
            if disbursement {
                let rows: Vec<_> = lines.iter().map(|x| sheet_line(x, l)).collect();
                vec![anju_sheets::disbursement_sheet(
                    &region.name,
                    &label,
                    &rows,
                    l,
                )]
            } else {
                let rows: Vec<_> = lines.iter().map(|x| sheet_line(x, l)).collect();
                anju_sheets::application_sheets(&region.name, &label, &rows, l)
            }
        }
        other => {
            return Err(Problem::User(match l {
                Lang::Zh => format!("没有名为“{other}”的报表"),
                Lang::En => format!("no report named '{other}'"),
            }));
        }
    };
    Ok(sheets)
}

// ---------------------------------------------------------------------------------------------
// HTML

struct HtmlCell {
    text: String,
    num: bool,
    rowspan: u32,
    colspan: u32,
}

struct HtmlSheet {
    title: String,
    subtitle: String,
    head: Vec<Vec<HtmlCell>>,
    rows: Vec<(bool, Vec<HtmlCell>)>,
    notes: Vec<String>,
}

fn cell_text(c: &ReportCell) -> (String, bool) {
    match c {
        ReportCell::Empty => (String::new(), false),
        ReportCell::Text(s) => (s.clone(), false),
        ReportCell::Int(n) => {
            let g = anju_core::money::group_thousands(n.unsigned_abs());
            (if *n < 0 { format!("-{g}") } else { g }, true)
        }
        ReportCell::Money(f) => (f.grouped(), true),
        ReportCell::Decimal { value, places } => {
            let v = value.round_dp_with_strategy(
                *places,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            );
            (format!("{v:.prec$}", prec = *places as usize), true)
        }
        ReportCell::Date(d) => (d.to_string(), false),
        ReportCell::DateZh(d) => (format!("{}年{}月{}日", d.year(), d.month(), d.day()), false),
    }
}

fn html_sheet(s: &ReportSheet) -> HtmlSheet {
    let n = s.headings.len();
    let mut head = Vec::new();
    if s.groups.is_empty() {
        head.push(
            s.headings
                .iter()
                .map(|h| HtmlCell {
                    text: h.clone(),
                    num: false,
                    rowspan: 1,
                    colspan: 1,
                })
                .collect(),
        );
    } else {
        let mut top = Vec::new();
        let mut second = Vec::new();
        let mut col = 0usize;
        while col < n {
            if let Some(g) = s.groups.iter().find(|g| usize::from(g.first_col) == col) {
                top.push(HtmlCell {
                    text: g.text.clone(),
                    num: false,
                    rowspan: 1,
                    colspan: u32::from(g.last_col - g.first_col) + 1,
                });
                for c in usize::from(g.first_col)..=usize::from(g.last_col).min(n - 1) {
                    second.push(HtmlCell {
                        text: s.headings[c].clone(),
                        num: false,
                        rowspan: 1,
                        colspan: 1,
                    });
                }
                col = usize::from(g.last_col) + 1;
            } else {
                top.push(HtmlCell {
                    text: s.headings[col].clone(),
                    num: false,
                    rowspan: 2,
                    colspan: 1,
                });
                col += 1;
            }
        }
        head.push(top);
        head.push(second);
    }
    let mut rows = Vec::new();
    for (i, r) in s.rows.iter().enumerate() {
        let i = i as u32;
        let mut cells = Vec::new();
        for (c, cell) in r.iter().enumerate() {
            let c16 = c as u16;
            if s.merges
                .iter()
                .any(|m| m.col == c16 && i > m.first_row && i <= m.last_row)
            {
                continue;
            }
            let rowspan = s
                .merges
                .iter()
                .find(|m| m.col == c16 && m.first_row == i)
                .map_or(1, |m| m.last_row - m.first_row + 1);
            let (text, num) = cell_text(cell);
            cells.push(HtmlCell {
                text,
                num,
                rowspan,
                colspan: 1,
            });
        }
        rows.push((s.bold_rows.contains(&i), cells));
    }
    HtmlSheet {
        title: s.title.clone(),
        subtitle: s.subtitle.clone().unwrap_or_default(),
        head,
        rows,
        notes: s.notes.clone(),
    }
}

struct ReportLink {
    link: String,
    name: String,
    label: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ListPage {
    chrome: Chrome,
    l: Lang,
    reports: Vec<ReportLink>,
}

async fn list_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer.require(Perm::ViewLedger) {
        return html_error(&state, &viewer, e);
    }
    let page = ListPage {
        chrome: Chrome::new(&state, &viewer, l.pick("报表", "Reports"), "/reports"),
        l,
        reports: all_reports()
            .into_iter()
            .map(|(n, zh, en)| ReportLink {
                link: with_lang(&format!("/reports/{n}"), l),
                name: n.to_string(),
                label: l.pick(zh, en).to_string(),
            })
            .collect(),
    };
    match page.render() {
        Ok(h) => Html(h).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "report_page.html")]
struct ReportPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    label: String,
    street: String,
    district: String,
    period: String,
    compound: String,
    owners_share: String,
    rank_by: String,
    weight: String,
    street_fixed: bool,
    district_fixed: bool,
    download: String,
    error: Option<String>,
    sheets: Vec<HtmlSheet>,
    landscape: bool,
    period_hint: String,
}

fn period_hint(name: &str, l: Lang) -> String {
    match name {
        "dispatch" => l.pick(
            "报送日期 YYYY-MM-DD（默认最近的1日或15日）",
            "filing date YYYY-MM-DD",
        ),
        "ranking" => l.pick("月份 YYYY-MM", "month YYYY-MM"),
        "scores" => l.pick("考核期间，如 2026-H1", "period, e.g. 2026-H1"),
        "accounts" => l.pick("期间，如 2026-H1 或 2026-03", "period, e.g. 2026-H1"),
        "subsidy-application" | "disbursement-list" => l.pick(
            "期间，如 2023、2023H1、cy2",
            "period, e.g. 2023, 2023H1, cy2",
        ),
        _ => l.pick("（不需要）", "(not used)"),
    }
    .to_string()
}

fn no_such_report(name: &str, l: Lang) -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({
            "code": "not_found",
            "message": match l {
                Lang::Zh => format!("没有名为“{name}”的报表"),
                Lang::En => format!("no report named '{name}'"),
            }
        })),
    )
        .into_response()
}

async fn report_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(name): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    let l = viewer.lang;
    let Some((_, zh, en)) = all_reports().into_iter().find(|(n, _, _)| *n == name) else {
        return no_such_report(&name, l);
    };
    if let Err(e) = viewer.require(Perm::ViewLedger) {
        return html_error(&state, &viewer, e);
    }
    let scope = match scope_for(&viewer, &p) {
        Ok(s) => s,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let (sheets, error, status) = match build_sheets(&state, &viewer, &name, &p).await {
        Ok(s) => (s, None, StatusCode::OK),
        Err(Problem::User(m)) => (Vec::new(), Some(m), StatusCode::UNPROCESSABLE_ENTITY),
        Err(Problem::Fail(e)) => return html_error(&state, &viewer, e),
    };
    let q = Params {
        street: scope.street.clone(),
        district: scope.district.clone(),
        ..p.clone()
    }
    .query();
    let here = if q.is_empty() {
        format!("/reports/{name}")
    } else {
        format!("/reports/{name}?{q}")
    };
    let download = {
        let base = format!("/reports/{name}/xlsx");
        let u = if q.is_empty() {
            base
        } else {
            format!("{base}?{q}")
        };
        with_lang(&u, l)
    };
    let page = ReportPage {
        chrome: Chrome::new(&state, &viewer, l.pick(zh, en), &here),
        l,
        label: l.pick(zh, en).to_string(),
        street: scope.street.clone().unwrap_or_default(),
        district: scope.district.clone().unwrap_or_default(),
        period: clean(&p.period).unwrap_or_default(),
        compound: clean(&p.compound).unwrap_or_default(),
        owners_share: clean(&p.owners_share)
            .unwrap_or_else(|| state.app.config().owners_share().to_string()),
        rank_by: clean(&p.rank_by).unwrap_or_else(|| "coverage".into()),
        weight: clean(&p.weight).unwrap_or_else(|| "70".into()),
        street_fixed: viewer.region_level == Some(RegionLevel::Street)
            && viewer.scope() != ViewerScope::All,
        district_fixed: matches!(
            viewer.region_level,
            Some(RegionLevel::Street | RegionLevel::District)
        ) && viewer.scope() != ViewerScope::All,
        download,
        error,
        landscape: sheets.iter().any(|s| s.landscape),
        sheets: sheets.iter().map(html_sheet).collect(),
        period_hint: period_hint(&name, l),
        name,
    };
    match page.render() {
        Ok(h) => (status, Html(h)).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

async fn report_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(name): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    let l = viewer.lang;
    if !all_reports().iter().any(|(n, _, _)| *n == name) {
        return no_such_report(&name, l);
    }
    let sheets = match build_sheets(&state, &viewer, &name, &p).await {
        Ok(s) => s,
        // A download link answers the file or a page a browser shows, never a JSON body.
        Err(Problem::User(m)) => {
            return crate::page::html_message(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, m);
        }
        Err(Problem::Fail(e)) => return html_error(&state, &viewer, e),
    };
    let bytes =
        match tokio::task::spawn_blocking(move || anju_sheets::write_report_to_buffer(&sheets))
            .await
        {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                return crate::page::html_message(
                    &state,
                    &viewer,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    e.render(l).trim().to_string(),
                );
            }
            Err(e) => {
                return crate::page::html_message(
                    &state,
                    &viewer,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("{}: {e}", l.pick("生成失败", "failed")),
                );
            }
        };
    let date = state.app.today();
    let file = format!("{name}-{date}.xlsx");
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
