//! 预算测算 — `/budget`: what `anju budget project` / `compare` print, as a page and an xlsx,
//! over the compounds in the viewer's area (housing authority, finance, auditor, admin:
//! `Action::ProjectBudget`).
//!
//! The form's text is read by `anju_policy::projection::AssumptionText::parse`, the same
//! function the CLI's flags go through, and the figures come from `projection::project`; this
//! module only lays them out. A refusal names the field and the form keeps what was typed.

use crate::page::{Chrome, html_error, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{CompoundFilter, CompoundSort};
use anju_core::access::Action;
use anju_core::{Fen, Lang};
use anju_policy::PolicyError;
use anju_policy::projection::{AssumptionText, Projection, candidates, project};
use anju_sheets::{ReportCell, ReportSheet};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/budget", get(budget_page))
        .route("/budget/xlsx", get(budget_xlsx))
}

/// The form as typed (every field kept as text, so a refusal shows it again).
#[derive(Debug, Default, Clone, Deserialize)]
struct BudgetQuery {
    #[serde(default)]
    policy: String,
    /// A second policy to compare with (optional).
    #[serde(default)]
    compare: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    start_year: String,
    #[serde(default)]
    years: String,
    #[serde(default)]
    coverage: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    collection_rate: String,
    #[serde(default)]
    satisfaction: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    passed: String,
    #[serde(default)]
    fee: String,
    #[serde(default)]
    term_years: String,
    #[serde(default)]
    sign_date: String,
}

/// A form field's label.
fn label(key: &str, l: Lang) -> &'static str {
    match key {
        "policy" => l.pick("测算政策", "Policy"),
        "compare" => l.pick("比较政策", "Compare with"),
        "street" => l.pick("街道", "Street"),
        "start_year" => l.pick("第一年", "First year"),
        "years" => l.pick("测算年数", "Years"),
        "coverage" => l.pick("覆盖进度", "Coverage schedule"),
        "score" => l.pick("考核评分", "Scores"),
        "collection_rate" => l.pick("物业费收缴率", "Collection rates"),
        "satisfaction" => l.pick("满意度", "Satisfaction"),
        "grade" => l.pick("考核等次", "Grade"),
        "passed" => l.pick("第三方测评达标", "Evaluation passed"),
        "fee" => l.pick("物业费（元/㎡/月）", "Fee (yuan/m²/month)"),
        "term_years" => l.pick("合同期限（年）", "Contract term (years)"),
        "sign_date" => l.pick("签约日（月-日）", "Signing day (MM-DD)"),
        _ => l.pick("输入", "Input"),
    }
}

fn field_error(key: &str, msg: &str, l: Lang) -> String {
    match l {
        Lang::Zh => format!("{}（{key}）：{msg}", label(key, l)),
        Lang::En => format!("{} ({key}): {msg}", label(key, l)),
    }
}

fn policy_error(e: &PolicyError, l: Lang) -> String {
    match e {
        PolicyError::BadInput { key, msg } => field_error(key, msg, l),
        other => other.message(l),
    }
}

fn number<T: std::str::FromStr>(key: &str, raw: &str, l: Lang) -> Result<Option<T>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        field_error(
            key,
            &match l {
                Lang::Zh => format!("“{t}”不是有效的数"),
                Lang::En => format!("'{t}' is not a valid number"),
            },
            l,
        )
    })
}

/// The projections the form asks for (one, or two to compare), with a description of the
/// compounds; `Err` is the message naming the field.
async fn compute(
    state: &AppState,
    viewer: &Viewer,
    q: &BudgetQuery,
) -> Result<Result<(Vec<Projection>, String), String>, WebError> {
    let l = viewer.lang;
    let mut text = AssumptionText::new(state.app.today().year() + 1);
    let parsed = (|| -> Result<(), String> {
        if let Some(y) = number::<i16>("start_year", &q.start_year, l)? {
            text.start_year = y;
        }
        if let Some(n) = number::<u16>("years", &q.years, l)? {
            text.years = n;
        }
        if let Some(n) = number::<u32>("term_years", &q.term_years, l)? {
            text.term_years = n;
        }
        text.fee = number("fee", &q.fee, l)?;
        text.passed = match q.passed.trim() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            other => return Err(field_error("passed", other, l)),
        };
        text.coverage = q.coverage.clone();
        text.score = q.score.clone();
        text.collection_rate = q.collection_rate.clone();
        text.satisfaction = q.satisfaction.clone();
        text.grade = q.grade.clone();
        if !q.sign_date.trim().is_empty() {
            text.sign_date = q.sign_date.trim().to_string();
        }
        Ok(())
    })();
    if let Err(m) = parsed {
        return Ok(Err(m));
    }
    let a = match text.parse(l) {
        Ok(a) => a,
        Err(e) => return Ok(Err(policy_error(&e, l))),
    };
    let mut policies = Vec::new();
    for (key, id) in [("policy", &q.policy), ("compare", &q.compare)] {
        let id = id.trim();
        if id.is_empty() {
            continue;
        }
        match anju_policy::shipped::shipped_policy(id) {
            Ok(p) => policies.push(p),
            Err(e) => return Ok(Err(field_error(key, &e.message(l), l))),
        }
    }
    let street = Some(q.street.trim().to_string()).filter(|s| !s.is_empty());
    let list = state
        .app
        .compounds(
            &viewer.principal(),
            CompoundFilter {
                street: street.clone(),
                sort: CompoundSort::Id,
                ..CompoundFilter::default()
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?;
    let scope = street
        .or_else(|| viewer.region_name.clone())
        .unwrap_or_else(|| l.pick("全部小区", "all compounds").to_string());
    if list.is_empty() {
        return Ok(Err(field_error(
            "street",
            &format!(
                "{}{scope}",
                l.pick(
                    "您的管辖范围内没有这些小区：",
                    "no compounds in your area: "
                )
            ),
            l,
        )));
    }
    let rows: Vec<_> = list.into_iter().map(|c| (Some(c.id), c.compound)).collect();
    let (cands, skipped) = candidates(&rows);
    let mut out = Vec::new();
    for p in &policies {
        match project(p, &cands, skipped, &a, l) {
            Ok(pr) => out.push(pr),
            Err(e) => {
                return Ok(Err(match l {
                    Lang::Zh => format!(
                        "{}（{}）无法测算：{}",
                        p.file.short,
                        p.id(),
                        policy_error(&e, l)
                    ),
                    Lang::En => format!(
                        "{} ({}) cannot be projected: {}",
                        p.file.short_en,
                        p.id(),
                        policy_error(&e, l)
                    ),
                }));
            }
        }
    }
    Ok(Ok((out, scope)))
}

/// A table as the page and the xlsx show it: headings, body rows, the total row.
struct Table {
    headings: Vec<String>,
    rows: Vec<(String, Vec<Fen>)>,
}

/// One policy: year × payer; two: year × policy and the difference.
fn table(prs: &[Projection], l: Lang) -> Table {
    let yuan = l.pick("（元）", " (yuan)");
    if let [pr] = prs {
        let mut headings = vec![l.pick("年度", "Year").to_string()];
        headings.extend(pr.payers.iter().map(|p| format!("{}{yuan}", p.name)));
        headings.push(format!("{}{yuan}", l.pick("合计", "Total")));
        let mut rows: Vec<(String, Vec<Fen>)> = pr
            .years
            .iter()
            .map(|y| {
                let mut v = y.by_payer.clone();
                v.push(y.total);
                (y.year.to_string(), v)
            })
            .collect();
        let mut t = pr.total_by_payer.clone();
        t.push(pr.total);
        rows.push((l.pick("合计", "Total").to_string(), t));
        return Table { headings, rows };
    }
    let mut headings = vec![l.pick("年度", "Year").to_string()];
    headings.extend(prs.iter().map(|p| format!("{}{yuan}", p.policy_short)));
    let base = &prs[0];
    headings.extend(
        prs[1..]
            .iter()
            .map(|p| format!("{} − {}", p.policy_short, base.policy_short)),
    );
    let mut rows: Vec<(String, Vec<Fen>)> = base
        .years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let mut v: Vec<Fen> = prs.iter().map(|p| p.years[i].total).collect();
            v.extend(prs[1..].iter().map(|p| p.years[i].total - y.total));
            (y.year.to_string(), v)
        })
        .collect();
    let mut t: Vec<Fen> = prs.iter().map(|p| p.total).collect();
    t.extend(prs[1..].iter().map(|p| p.total - base.total));
    rows.push((l.pick("合计", "Total").to_string(), t));
    Table { headings, rows }
}

struct ProjectionView {
    title: String,
    assumptions: Vec<String>,
    summary: String,
    after_horizon: Option<String>,
}

fn view(pr: &Projection, l: Lang) -> ProjectionView {
    ProjectionView {
        title: format!("{}（{}）", pr.policy_short, pr.policy),
        assumptions: pr.assumptions.clone(),
        summary: match l {
            Lang::Zh => format!(
                "目标小区（无物业、自管）{} 个，已有物业管理的 {} 个不计；符合条件 {} 个，不符合 {} 个，无法计算 {} 个",
                pr.candidates, pr.managed_skipped, pr.eligible, pr.ineligible, pr.not_computed
            ),
            Lang::En => format!(
                "{} target compounds (no management, self-managed), {} already managed not counted; eligible {}, not eligible {}, not computed {}",
                pr.candidates, pr.managed_skipped, pr.eligible, pr.ineligible, pr.not_computed
            ),
        },
        after_horizon: (pr.after_horizon != Fen::ZERO).then(|| match l {
            Lang::Zh => format!(
                "测算期后同一批合同仍需支付 {} 元",
                pr.after_horizon.grouped()
            ),
            Lang::En => format!(
                "still payable on the same contracts after the last year: {} yuan",
                pr.after_horizon.grouped()
            ),
        }),
    }
}

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    chrome: Chrome,
    l: Lang,
    q: BudgetQuery,
    policies: Vec<(&'static str, String)>,
    streets: Vec<String>,
    error: Option<String>,
    scope: String,
    projections: Vec<ProjectionView>,
    headings: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
    xlsx_link: String,
}

/// The query string of the form, for the xlsx link.
fn query_string(q: &BudgetQuery, l: Lang) -> String {
    let enc = crate::page::urlencode;
    let parts = [
        ("policy", &q.policy),
        ("compare", &q.compare),
        ("street", &q.street),
        ("start_year", &q.start_year),
        ("years", &q.years),
        ("coverage", &q.coverage),
        ("score", &q.score),
        ("collection_rate", &q.collection_rate),
        ("satisfaction", &q.satisfaction),
        ("grade", &q.grade),
        ("passed", &q.passed),
        ("fee", &q.fee),
        ("term_years", &q.term_years),
        ("sign_date", &q.sign_date),
    ];
    let s: Vec<String> = parts
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    with_lang(&format!("/budget/xlsx?{}", s.join("&")), l)
}

async fn budget_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<BudgetQuery>,
) -> Response {
    match page(&state, &viewer, q).await {
        Ok(r) => r,
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn page(state: &AppState, viewer: &Viewer, q: BudgetQuery) -> Result<Response, WebError> {
    viewer.require(Action::ProjectBudget)?;
    let l = viewer.lang;
    let streets = crate::page::street_names(state, viewer).await?;
    let policies = anju_policy::shipped::SHIPPED
        .iter()
        .map(|(id, _)| {
            let name = anju_policy::shipped::shipped_policy(id)
                .map(|p| l.pick(&p.file.short, &p.file.short_en).to_string())
                .unwrap_or_default();
            (*id, name)
        })
        .collect();
    let mut p = BudgetPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("预算测算", "Budget projection"),
            "/budget",
        ),
        l,
        xlsx_link: query_string(&q, l),
        q,
        policies,
        streets,
        error: None,
        scope: String::new(),
        projections: Vec::new(),
        headings: Vec::new(),
        rows: Vec::new(),
    };
    let mut status = StatusCode::OK;
    if !p.q.policy.trim().is_empty() {
        match compute(state, viewer, &p.q).await? {
            Ok((prs, scope)) => {
                let t = table(&prs, l);
                p.headings = t.headings;
                p.rows = t
                    .rows
                    .into_iter()
                    .map(|(y, v)| (y, v.into_iter().map(Fen::grouped).collect()))
                    .collect();
                p.projections = prs.iter().map(|pr| view(pr, l)).collect();
                p.scope = scope;
            }
            Err(m) => {
                p.error = Some(m);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
        }
    }
    Ok((status, Html(p.render()?)).into_response())
}

async fn budget_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<BudgetQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ProjectBudget)?;
    let l = viewer.lang;
    if q.policy.trim().is_empty() {
        return Err(WebError::BadRequest(field_error(
            "policy",
            l.pick("请选择政策", "choose a policy"),
            l,
        )));
    }
    let (prs, scope) = compute(&state, &viewer, &q)
        .await?
        .map_err(WebError::BadRequest)?;
    let t = table(&prs, l);
    let mut notes: Vec<String> = prs
        .iter()
        .flat_map(|pr| {
            let v = view(pr, l);
            std::iter::once(format!("{}：{}", v.title, v.summary))
                .chain(v.assumptions)
                .chain(v.after_horizon)
        })
        .collect();
    notes.insert(0, format!("{}{scope}", l.pick("范围：", "Scope: ")));
    let cols = t.headings.len();
    let sheet = ReportSheet {
        name: l.pick("预算测算", "Budget").to_string(),
        title: format!(
            "{}{}",
            l.pick("预算测算：", "Budget projection: "),
            prs.iter()
                .map(|p| p.policy_short.clone())
                .collect::<Vec<_>>()
                .join(l.pick(" 与 ", " vs "))
        ),
        subtitle: Some(scope),
        groups: Vec::new(),
        headings: t.headings,
        widths: std::iter::once(10)
            .chain(std::iter::repeat_n(18, cols - 1))
            .collect(),
        bold_rows: vec![u32::try_from(t.rows.len().saturating_sub(1)).unwrap_or(0)],
        rows: t
            .rows
            .into_iter()
            .map(|(y, v)| {
                std::iter::once(ReportCell::Text(y))
                    .chain(v.into_iter().map(ReportCell::Money))
                    .collect()
            })
            .collect(),
        merges: Vec::new(),
        notes,
        landscape: false,
    };
    let bytes = anju_sheets::write_report_to_buffer(&[sheet])
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"budget.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
