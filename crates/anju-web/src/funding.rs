//! 补贴 — subsidy runs and the money's path on the web (issue 7, parts 1–2): start a run for a
//! street or district and a period, read every line with its explanation (中文/English), and
//! take the steps 申报 → 街道审核 → 区级复核 → 批准 → 拨付 (or 退回修改 with a comment) as buttons
//! shown only to the role whose turn it is; adjustment decisions, infrastructure grants, and the
//! retention and split totals per payer. Every write goes through the same store calls as
//! `anju funding`.
//!
//! Who takes which step (on top of `anju_core::access` and the viewer's area):
//! - 申报: the company serving the compound (its own compounds only), or the administrator;
//! - 街道审核: a street account (`ReviewSubsidies`) for compounds in its street;
//! - 区级复核 and 批准: the housing authority (`ApproveSubsidies`) within its area;
//! - 拨付: finance (`Disburse`);
//! - 退回修改: whoever may take the next forward step from the current status.
//!
//! [`compound_subsidies_html`] is the compound page's fragment: that compound's lines and their
//! explanations.

use crate::page::{Chrome, Refusal, app_refusal, html_error, parse_date_field, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{LineFilter, SubsidyLine};
use anju_core::LineId;
use anju_core::access::{Action as Perm, Role};
use anju_core::funding::{Action, LineStatus, RunPeriod};
use anju_core::{Fen, Lang, RegionLevel};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/funding", get(funding_page))
        .route("/funding/runs", post(start_run))
        .route("/funding/policies", post(assign_policy))
        .route("/funding/infra", post(infra_grant))
        .route("/funding/lines/{id}", get(line_page))
        .route("/funding/lines/{id}/step", post(line_step))
        .route("/funding/lines/{id}/adjust", post(line_adjust))
}

// ---------------------------------------------------------------------------------------------
// Rules: who may do what

// The rules (who may take which step, the area of a run) live in `anju_app::money`.

fn may_run(viewer: &Viewer) -> bool {
    anju_app::money::may_run(viewer.role)
}

// ---------------------------------------------------------------------------------------------
// Views

pub(crate) struct LineRow {
    pub id: i64,
    pub link: String,
    pub street: String,
    pub compound: String,
    pub company: String,
    pub kind: String,
    pub days: String,
    pub amount: String,
    pub retained: String,
    pub approved: String,
    pub payers: String,
    pub status: String,
    pub reason: String,
    pub explanation: Vec<String>,
    pub eligible: bool,
}

fn days(l: &SubsidyLine) -> String {
    match (l.period_start, l.period_end) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "—".to_string(),
    }
}

pub(crate) fn line_row(l: &SubsidyLine, lang: Lang) -> LineRow {
    LineRow {
        id: l.id,
        link: with_lang(&format!("/funding/lines/{}", l.id), lang),
        street: l.street.clone(),
        compound: l.compound.clone(),
        company: l.company.clone().unwrap_or_else(|| "—".to_string()),
        kind: l.kind.label(lang).to_string(),
        days: days(l),
        amount: l.amount.grouped(),
        retained: l.retained.grouped(),
        approved: l.approved.map(Fen::grouped).unwrap_or_else(|| "—".into()),
        payers: l
            .payers
            .iter()
            .map(|p| format!("{} {}", lang.pick(&p.name, &p.name_en), p.amount.grouped()))
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; ")),
        status: l.status.label(lang).to_string(),
        reason: l.reason(lang).unwrap_or("").to_string(),
        explanation: l.explanation(lang).lines().map(str::to_string).collect(),
        eligible: l.eligible,
    }
}

/// Totals per payer over payable lines (the amount that counts: approved once approved), and
/// the retention held.
struct Totals {
    payers: Vec<(String, String)>,
    total: String,
    retained: String,
    lines: usize,
}

fn totals(lines: &[SubsidyLine], lang: Lang) -> Totals {
    let mut by: BTreeMap<String, Fen> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut total = Fen::ZERO;
    let mut retained = Fen::ZERO;
    let mut n = 0;
    for l in lines.iter().filter(|l| l.eligible) {
        n += 1;
        total += l.amount_due();
        retained += l.retained;
        for p in &l.payers {
            let name = lang.pick(&p.name, &p.name_en).to_string();
            if !by.contains_key(&name) {
                order.push(name.clone());
            }
            let e = by.entry(name).or_insert(Fen::ZERO);
            *e += p.amount;
        }
    }
    Totals {
        payers: order
            .into_iter()
            .map(|n| {
                let v = by.get(&n).copied().unwrap_or(Fen::ZERO).grouped();
                (n, v)
            })
            .collect(),
        total: total.grouped(),
        retained: retained.grouped(),
        lines: n,
    }
}

struct RunRow {
    id: i64,
    link: String,
    region: String,
    period: String,
    status: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "funding.html")]
struct FundingPage {
    chrome: Chrome,
    l: Lang,
    /// Which policy applies where (by district or street, from a day).
    policies: Vec<PolicyRow>,
    /// For those who approve subsidies: the shipped policies to choose from (id, title).
    policy_choices: Option<Vec<(String, String)>>,
    today: String,
    may_run: bool,
    /// 第三方测评经费, for those who keep or audit the budget.
    may_see_fees: bool,
    may_grant: bool,
    scope_default: String,
    runs: Vec<RunRow>,
    run: String,
    status: String,
    statuses: Vec<(String, String)>,
    rows: Vec<LineRow>,
    /// Said when more lines are in scope than listed.
    more: Option<String>,
    totals: Totals,
    error: Option<String>,
    form_region: String,
    form_level: String,
    form_period: String,
    /// The compounds the grant form offers, as `名称（街道）` (those in the viewer's scope).
    compound_choices: Vec<String>,
    /// What was typed into the grant form (kept when it is refused).
    infra_compound: String,
    infra_investment: String,
    infra_share: String,
    infra_date: String,
    infra_payer: String,
    infra_note: String,
}

/// The most compounds the grant form's list offers (a name can still be typed).
const COMPOUND_CHOICES_MAX: i64 = 5000;

/// How the grant form names a compound: `名称（街道）`.
fn compound_label(c: &anju_app::model::StoredCompound) -> String {
    format!("{}（{}）", c.compound.name, c.compound.street)
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    run: Option<String>,
    status: Option<String>,
}

/// The most lines `/funding` lists (each with its explanation).
const LIST_MAX: usize = 500;

const STATUSES: [LineStatus; 8] = [
    LineStatus::Draft,
    LineStatus::Applied,
    LineStatus::StreetReviewed,
    LineStatus::DistrictReviewed,
    LineStatus::Approved,
    LineStatus::Disbursed,
    LineStatus::Returned,
    LineStatus::Superseded,
];

async fn funding_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Response {
    match funding_html(
        &state,
        &viewer,
        &q,
        None,
        RunForm::default(),
        &InfraForm::default(),
    )
    .await
    {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn funding_html(
    state: &AppState,
    viewer: &Viewer,
    q: &ListQuery,
    error: Option<String>,
    form: RunForm,
    infra: &InfraForm,
) -> Result<String, WebError> {
    viewer.require(Perm::ViewLedger)?;
    let l = viewer.lang;
    let run_id = q
        .run
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse::<i64>().map_err(|_| {
                WebError::BadRequest(match l {
                    Lang::Zh => format!("测算编号“{s}”不是数字"),
                    Lang::En => format!("run '{s}' is not a number"),
                })
            })
        })
        .transpose()?;
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(LineStatus::from_code);
    // Totals over every line in scope; the page lists the first LIST_MAX with their
    // explanations (the 申报表 download has them all).
    let mut lines = state
        .app
        .subsidy_lines(
            &viewer.principal(),
            LineFilter {
                run_id,
                status,
                without_explanations: true,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?;
    let all_lines = lines.len();
    let line_totals = totals(&lines, l);
    lines.truncate(LIST_MAX);
    state
        .app
        .explain_lines(&mut lines)
        .map_err(|e| WebError::app(e, l))?;
    let mut runs = Vec::new();
    for r in state
        .app
        .subsidy_runs(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?
    {
        runs.push(RunRow {
            id: r.id,
            link: with_lang(&format!("/funding?run={}", r.id), l),
            region: r.region,
            period: r.period,
            status: if r.status == "current" {
                l.pick("有效", "current").to_string()
            } else {
                l.pick("已被重算取代", "superseded").to_string()
            },
            by: r.created_by,
            at: crate::page::beijing_time(r.created_at, l),
        });
    }
    let here = match (&run_id, &status) {
        (Some(r), _) => format!("/funding?run={r}"),
        (None, Some(s)) => format!("/funding?status={}", s.code()),
        _ => "/funding".to_string(),
    };
    let policies = state
        .app
        .funding_policies(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?
        .into_iter()
        .map(|p| PolicyRow {
            region: p.region,
            policy: policy_title(&p.policy_id, l),
            from: p.valid_from.to_string(),
            by: p.created_by,
        })
        .collect();
    let policy_choices = (viewer.role != Role::Auditor
        && anju_core::access::can(viewer.role, Perm::ApproveSubsidies))
    .then(|| {
        anju_policy::SHIPPED
            .iter()
            .map(|(id, _)| (id.to_string(), policy_title(id, l)))
            .collect()
    });
    let may_grant = anju_core::access::can(viewer.role, Perm::ReviewSubsidies);
    // The compounds in the viewer's scope (the scope is a condition of the app's query).
    let compound_choices = if may_grant {
        state
            .app
            .compounds(
                &viewer.principal(),
                anju_app::model::CompoundFilter {
                    limit: Some(COMPOUND_CHOICES_MAX),
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?
            .iter()
            .map(compound_label)
            .collect()
    } else {
        Vec::new()
    };
    let page = FundingPage {
        chrome: Chrome::new(state, viewer, l.pick("补贴测算与拨付", "Subsidies"), &here),
        l,
        policies,
        policy_choices,
        today: state.app.today().to_string(),
        may_run: may_run(viewer),
        may_see_fees: anju_core::access::can(viewer.role, anju_core::access::Action::ProjectBudget),
        may_grant,
        scope_default: viewer.region_name.clone().unwrap_or_default(),
        runs,
        run: run_id.map(|r| r.to_string()).unwrap_or_default(),
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
        statuses: STATUSES
            .iter()
            .map(|s| (s.code().to_string(), s.label(l).to_string()))
            .collect(),
        totals: line_totals,
        rows: lines.iter().map(|x| line_row(x, l)).collect(),
        more: (all_lines > LIST_MAX).then(|| match l {
            Lang::Zh => format!(
                "共 {all_lines} 行，此处列出前 {LIST_MAX} 行（合计按全部行计算）；请按测算编号或状态筛选，或在“报表”下载申报表查看全部。"
            ),
            Lang::En => format!(
                "{all_lines} lines: the first {LIST_MAX} are listed (the totals count every line); filter by run or status, or download the application form under Reports for all of them."
            ),
        }),
        error,
        form_region: form.region.unwrap_or_default(),
        form_level: form.level.unwrap_or_else(|| match viewer.region_level {
            Some(RegionLevel::District) => "district".into(),
            _ => "street".into(),
        }),
        form_period: form.period.unwrap_or_default(),
        compound_choices,
        infra_compound: infra
            .compound
            .clone()
            .or_else(|| infra.compound_id.clone())
            .unwrap_or_default(),
        infra_investment: infra.investment.clone().unwrap_or_default(),
        infra_share: infra.share.clone().unwrap_or_default(),
        infra_date: infra.date.clone().unwrap_or_default(),
        infra_payer: infra.payer.clone().unwrap_or_default(),
        infra_note: infra.note.clone().unwrap_or_default(),
    };
    Ok(page.render()?)
}

#[derive(Debug, Default, Clone, Deserialize)]
struct RunForm {
    csrf: Option<String>,
    level: Option<String>,
    region: Option<String>,
    period: Option<String>,
}

async fn start_run(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<RunForm>,
) -> Response {
    let l = viewer.lang;
    let attempt = async {
        viewer.check_csrf(&headers, f.csrf.as_deref())?;
        let level = match f.level.as_deref() {
            Some("district") => RegionLevel::District,
            _ => RegionLevel::Street,
        };
        let name = f.region.as_deref().unwrap_or("").trim().to_string();
        if name.is_empty() {
            return Ok(Err(l
                .pick(
                    "范围：请填写街道或区县名称",
                    "Scope: name the street or district",
                )
                .to_string()));
        }
        let region = match state
            .app
            .region_named(&viewer.principal(), level, &name)
            .await
        {
            Ok(r) => r,
            Err(anju_app::AppError::Store(e)) if !e.is_user_error() => return Err(e.into()),
            Err(e @ anju_app::AppError::Forbidden { .. }) => return Err(WebError::app(e, l)),
            Err(e) => return Ok(Err(e.message(l))),
        };
        let period = match RunPeriod::parse(f.period.as_deref().unwrap_or("").trim()) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Err(format!(
                    "{}{}",
                    l.pick("期间：", "Period: "),
                    e.message(l)
                )));
            }
        };
        match state
            .app
            .run_subsidies(&viewer.principal(), &region, period)
            .await
        {
            Ok(done) => Ok(Ok(done.run.id)),
            Err(e) => app_outcome(e, l),
        }
    }
    .await;
    match attempt {
        Ok(Ok(id)) => Redirect::to(&with_lang(&format!("/funding?run={id}"), l)).into_response(),
        Ok(Err(msg)) => {
            match funding_html(
                &state,
                &viewer,
                &ListQuery::default(),
                Some(msg),
                f,
                &InfraForm::default(),
            )
            .await
            {
                Ok(h) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
                Err(e) => html_error(&state, &viewer, e),
            }
        }
        Err(e) => html_error(&state, &viewer, e),
    }
}

/// One assignment of a policy to a region, as the page lists it.
pub(crate) struct PolicyRow {
    pub region: String,
    pub policy: String,
    pub from: String,
    pub by: String,
}

/// A shipped policy by its title in the reader's language, with its id.
fn policy_title(id: &str, l: Lang) -> String {
    match anju_policy::shipped_policy(id) {
        Ok(p) => format!("{}（{id}）", l.pick(&p.file.title, &p.file.title_en)),
        Err(_) => id.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct PolicyForm {
    csrf: Option<String>,
    level: Option<String>,
    region: Option<String>,
    policy: Option<String>,
    valid_from: Option<String>,
}

/// Assigns a shipped policy to a district or street from a day (`App::assign_funding_policy`).
async fn assign_policy(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<PolicyForm>,
) -> Response {
    let l = viewer.lang;
    let who = viewer.principal();
    let attempt = async {
        viewer.require(Perm::ApproveSubsidies)?;
        viewer.check_csrf(&headers, f.csrf.as_deref())?;
        let level = match f.level.as_deref() {
            Some("district") => RegionLevel::District,
            _ => RegionLevel::Street,
        };
        let name = f.region.as_deref().unwrap_or("").trim().to_string();
        if name.is_empty() {
            return Ok(Err(l
                .pick(
                    "适用范围：请填写街道或区县名称",
                    "Applies to: name the street or district",
                )
                .to_string()));
        }
        let region = match state.app.region_named(&who, level, &name).await {
            Ok(r) => r,
            Err(anju_app::AppError::Store(e)) if !e.is_user_error() => return Err(e.into()),
            Err(e @ anju_app::AppError::Forbidden { .. }) => return Err(WebError::app(e, l)),
            Err(e) => return Ok(Err(e.message(l))),
        };
        let valid_from = match crate::page::parse_date_field(
            state.app.today(),
            f.valid_from.as_deref().unwrap_or(""),
            "起始日期",
            "applies from",
            l,
        ) {
            Ok(d) => d,
            Err(m) => return Ok(Err(m)),
        };
        match state
            .app
            .assign_funding_policy(
                &who,
                anju_app::policies::PolicyAssignment {
                    region_id: region.id,
                    policy_id: f.policy.clone().unwrap_or_default(),
                    valid_from,
                },
            )
            .await
        {
            Ok(_) => Ok(Ok(())),
            Err(e @ anju_app::AppError::Forbidden { .. }) => Err(WebError::app(e, l)),
            Err(anju_app::AppError::Store(e)) if !e.is_user_error() => Err(e.into()),
            Err(e) => Ok(Err(e.message(l))),
        }
    }
    .await;
    match attempt {
        Ok(Ok(())) => Redirect::to(&with_lang("/funding#policies", l)).into_response(),
        Ok(Err(msg)) => {
            match funding_html(
                &state,
                &viewer,
                &ListQuery::default(),
                Some(msg),
                RunForm::default(),
                &InfraForm::default(),
            )
            .await
            {
                Ok(h) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
                Err(e) => html_error(&state, &viewer, e),
            }
        }
        Err(e) => html_error(&state, &viewer, e),
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
struct InfraForm {
    csrf: Option<String>,
    /// The compound as the form's list names it (`名称（街道）`) or its name alone.
    compound: Option<String>,
    /// The compound's id (API-style clients; the page sends `compound`).
    compound_id: Option<String>,
    /// 企业投入金额（元）.
    investment: Option<String>,
    /// 补助比例（%）.
    share: Option<String>,
    date: Option<String>,
    payer: Option<String>,
    note: Option<String>,
}

/// The compound a grant form names: `名称（街道）` as the list offers it, else the text as a
/// name (or an id); the application layer finds it within the viewer's scope.
async fn find_typed_compound(
    state: &AppState,
    viewer: &Viewer,
    typed: &str,
) -> Result<anju_app::model::StoredCompound, anju_app::AppError> {
    let who = viewer.principal();
    if let Some((name, street)) = typed
        .strip_suffix('）')
        .and_then(|rest| rest.rsplit_once('（'))
        && let Ok(c) = state.app.find_compound(&who, name, Some(street)).await
    {
        return Ok(c);
    }
    state.app.find_compound(&who, typed, None).await
}

async fn infra_grant(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<InfraForm>,
) -> Response {
    let l = viewer.lang;
    let attempt = async {
        viewer.check_csrf(&headers, f.csrf.as_deref())?;
        let typed = f
            .compound
            .as_deref()
            .or(f.compound_id.as_deref())
            .unwrap_or("")
            .trim()
            .to_string();
        if typed.is_empty() {
            return Ok(Err(l
                .pick(
                    "小区：请从列表中选择小区",
                    "Compound: choose one from the list",
                )
                .to_string()));
        }
        let cid = match find_typed_compound(&state, &viewer, &typed).await {
            Ok(c) => c.id,
            Err(e) => return app_outcome(e, l),
        };
        let raw = f.investment.as_deref().unwrap_or("").trim();
        let Ok(investment) = Fen::parse_yuan(raw) else {
            return Ok(Err(match l {
                Lang::Zh => format!("企业投入金额：“{raw}”不正确（例如 16000 或 16,000.50）"),
                Lang::En => {
                    format!("Investment: '{raw}' is not valid (e.g. 16000 or 16,000.50)")
                }
            }));
        };
        let share = match crate::page::count_field(f.share.as_deref(), "补助比例", "Share", l) {
            Ok(Some(n)) => n,
            Ok(None) => {
                return Ok(Err(l
                    .pick("补助比例：请填写（%）", "Share: please fill in (%)")
                    .to_string()));
            }
            Err(crate::page::Refusal::Form(m)) => return Ok(Err(m)),
            Err(crate::page::Refusal::Fail(e)) => return Err(e),
        };
        let on = match parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "日期",
            "Date",
            l,
        ) {
            Ok(d) => d,
            Err(m) => return Ok(Err(m)),
        };
        let grant = anju_app::money::GrantInput {
            compound_id: cid,
            investment,
            share_percent: share,
            on,
            payer: f.payer.clone(),
            note: f.note.clone(),
        };
        match state
            .app
            .grant_infrastructure(&viewer.principal(), grant)
            .await
        {
            Ok(line) => Ok(Ok(line.id)),
            Err(e) => app_outcome(e, l),
        }
    }
    .await;
    match attempt {
        Ok(Ok(id)) => Redirect::to(&with_lang(&format!("/funding/lines/{id}"), l)).into_response(),
        Ok(Err(msg)) => {
            match funding_html(
                &state,
                &viewer,
                &ListQuery::default(),
                Some(msg),
                RunForm::default(),
                &f,
            )
            .await
            {
                Ok(h) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
                Err(e) => html_error(&state, &viewer, e),
            }
        }
        Err(e) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// One line

struct StepRow {
    on: String,
    action: String,
    from: String,
    to: String,
    person: String,
    role: String,
    comment: String,
}

struct AdjustRow {
    on: String,
    old: String,
    new: String,
    reason: String,
    by: String,
}

#[derive(Template)]
#[template(path = "funding_line.html")]
struct LinePage {
    chrome: Chrome,
    l: Lang,
    item: LineRow,
    step_url: String,
    adjust_url: String,
    version: i64,
    policy: String,
    period: String,
    explanation_other: Vec<String>,
    steps: Vec<StepRow>,
    adjustments: Vec<AdjustRow>,
    /// (action code, label, is a return)
    buttons: Vec<(String, String, bool)>,
    /// 审批流程: the policy's chain, the step waited for marked.
    chain_text: String,
    may_adjust: bool,
    error: Option<String>,
}

async fn line_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<LineId>,
) -> Response {
    match line_html(&state, &viewer, id, None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn line_html(
    state: &AppState,
    viewer: &Viewer,
    id: LineId,
    error: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let (line, steps, adjustments) = state
        .app
        .line_history(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let own = viewer.role != Role::Company || line.company_id == viewer.company_id;
    let last = anju_app::money::last_of(&steps);
    let chain = anju_app::money::line_chain(&line, last);
    let chain_text = anju_app::money::chain_text(&chain, line.status, last, l);
    let buttons = if own {
        anju_app::money::offered(viewer.role, &chain, line.status, last)
            .into_iter()
            .map(|a| {
                (
                    a.code().to_string(),
                    a.label(l).to_string(),
                    a == Action::Return,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let status_label = |code: &str| {
        LineStatus::from_code(code)
            .map(|s| s.label(l).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let other = match l {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let page = LinePage {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {} #{}", line.compound, line.kind.label(l), line.id),
            &format!("/funding/lines/{id}"),
        ),
        l,
        version: line.version,
        chain_text,
        policy: line.policy_id.clone().unwrap_or_else(|| "—".into()),
        period: line.period.clone(),
        explanation_other: line
            .explanation(other)
            .lines()
            .map(str::to_string)
            .collect(),
        steps: steps
            .iter()
            .map(|s| StepRow {
                on: s.on.to_string(),
                action: Action::from_code(&s.action)
                    .map(|a| a.label(l).to_string())
                    .unwrap_or_else(|| s.action.clone()),
                from: status_label(&s.from_status),
                to: status_label(&s.to_status),
                person: s.person.clone(),
                role: Role::from_code(&s.role)
                    .map(|r| r.label(l).to_string())
                    .unwrap_or_else(|| s.role.clone()),
                comment: s.comment.clone().unwrap_or_default(),
            })
            .collect(),
        adjustments: adjustments
            .iter()
            .map(|a| AdjustRow {
                on: a.decided_on.to_string(),
                old: a.old.grouped(),
                new: a.new.grouped(),
                reason: a.reason.clone(),
                by: a.decided_by.clone(),
            })
            .collect(),
        buttons,
        may_adjust: anju_core::access::can(viewer.role, Perm::ApproveSubsidies)
            && matches!(line.status, LineStatus::Approved | LineStatus::Disbursed),
        item: line_row(&line, l),
        step_url: with_lang(&format!("/funding/lines/{id}/step"), l),
        adjust_url: with_lang(&format!("/funding/lines/{id}/adjust"), l),
        error,
    };
    Ok(page.render()?)
}

#[derive(Debug, Default, Deserialize)]
struct StepForm {
    csrf: Option<String>,
    action: Option<String>,
    version: Option<String>,
    date: Option<String>,
    comment: Option<String>,
    person: Option<String>,
}

/// A form's outcome: done, refused with a message for the form (422), or an error page.
async fn answer_line(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    r: Result<Result<(), String>, WebError>,
) -> Response {
    match r {
        Ok(Ok(())) => {
            Redirect::to(&with_lang(&format!("/funding/lines/{id}"), viewer.lang)).into_response()
        }
        Ok(Err(msg)) => match line_html(state, viewer, LineId(id), Some(msg)).await {
            Ok(h) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
            Err(e) => html_error(state, viewer, e),
        },
        Err(e) => html_error(state, viewer, e),
    }
}

/// The application layer's answer as a form outcome (`compound::app_refusal`): a refusal the
/// user can fix re-renders the form with its message; a forbidden or missing record is an
/// error page.
fn app_outcome<T>(e: anju_app::AppError, l: Lang) -> Result<Result<T, String>, WebError> {
    match app_refusal(e, l) {
        Refusal::Form(m) => Ok(Err(m)),
        Refusal::Fail(e) => Err(e),
    }
}

async fn line_step(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<LineId>,
    Form(f): Form<StepForm>,
) -> Response {
    let l = viewer.lang;
    let r = async {
        viewer.check_csrf(&headers, f.csrf.as_deref())?;
        let code = f.action.as_deref().unwrap_or("");
        let Some(action) = Action::from_code(code) else {
            return Err(WebError::BadRequest(match l {
                Lang::Zh => format!("办理步骤“{code}”不认识"),
                Lang::En => format!("unknown step '{code}'"),
            }));
        };
        let on = match parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "日期",
            "Date",
            l,
        ) {
            Ok(d) => d,
            Err(m) => return Ok(Err(m)),
        };
        let person = f
            .person
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(&viewer.display_name);
        let version = match anju_app::check::version(f.version.as_deref()) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e.message(l))),
        };
        let step = anju_app::money::LineStepInput {
            version,
            action,
            person: Some(person.to_string()),
            on,
            comment: f.comment.clone(),
        };
        match state.app.subsidy_step(&viewer.principal(), id, step).await {
            Ok(_) => Ok(Ok(())),
            Err(e) => app_outcome(e, l),
        }
    }
    .await;
    answer_line(&state, &viewer, id.get(), r).await
}

#[derive(Debug, Default, Deserialize)]
struct AdjustForm {
    csrf: Option<String>,
    version: Option<String>,
    amount: Option<String>,
    reason: Option<String>,
    date: Option<String>,
}

async fn line_adjust(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<LineId>,
    Form(f): Form<AdjustForm>,
) -> Response {
    let l = viewer.lang;
    let r = async {
        viewer.check_csrf(&headers, f.csrf.as_deref())?;
        viewer.require(Perm::ApproveSubsidies)?;
        let raw = f.amount.as_deref().unwrap_or("").trim();
        let Ok(amount) = Fen::parse_yuan(raw) else {
            return Ok(Err(match l {
                Lang::Zh => format!("调整后金额：“{raw}”不正确（例如 8000 或 8000.50）"),
                Lang::En => format!("New amount: '{raw}' is not valid (e.g. 8000 or 8000.50)"),
            }));
        };
        let on = match parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "日期",
            "Date",
            l,
        ) {
            Ok(d) => d,
            Err(m) => return Ok(Err(m)),
        };
        let version = match anju_app::check::version(f.version.as_deref()) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e.message(l))),
        };
        let reason = f.reason.as_deref().unwrap_or("");
        match state
            .app
            .adjust_subsidy(&viewer.principal(), id, version, amount, reason, on)
            .await
        {
            Ok(_) => Ok(Ok(())),
            Err(e) => app_outcome(e, l),
        }
    }
    .await;
    answer_line(&state, &viewer, id.get(), r).await
}

// ---------------------------------------------------------------------------------------------
// The compound page's fragment

#[derive(Template)]
#[template(path = "funding_compound.html")]
struct CompoundFragment {
    l: Lang,
    rows: Vec<LineRow>,
}

/// One compound's subsidy lines (current ones, every kind) with each amount's explanation, as
/// an HTML fragment (a `<section>`) for the compound page.
pub async fn compound_subsidies_html(
    app: &anju_app::App,
    who: &anju_app::Principal,
    compound_id: i64,
) -> Result<String, WebError> {
    let lang = who.lang;
    let rows = app
        .subsidy_lines(
            who,
            LineFilter {
                compound_id: Some(compound_id),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| WebError::app(e, lang))?
        .iter()
        .map(|x| line_row(x, lang))
        .collect();
    Ok(CompoundFragment { l: lang, rows }.render()?)
}
