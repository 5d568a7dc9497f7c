//! 考核录入与巡查 — assessment entry on a phone and patrol entry with photos.
//!
//! - `/assessments/new?compound=ID`: the rubric (Erqi's 20 items, anju-policy) as one card per
//!   item, deduction steppers, each item's cap shown, a running total, evidence photos per item;
//!   saved as a draft or submitted. The score is the store's (`create_assessment` scores with the
//!   rubric, as `anju assess new` does): an item never goes below zero.
//! - `/assessments/{id}`: the scorecard and the workflow buttons the viewer's role may use
//!   (submit; 复核 by the district; 申诉 by the compound's company within the window; decision;
//!   定案).
//! - `/patrols/new?compound=ID`, `/patrols/{id}`: findings (environment, facilities, order,
//!   safety) with photos, each optionally a rectification order with a deadline; the company
//!   answers its own orders with evidence; the street closes or reopens; overdue flagged.
//!
//! A third-party evaluator acts under the name of its organisation when the account is linked to
//! one, else under its username (`anju assess assign --evaluator <username>`); it sees and
//! assesses only compounds assigned to it. The assignment is read from the audit log, where
//! `assign_evaluator` records every assignment (append-only, never removed).
//!
//! Every POST checks the role, the compound's scope and the CSRF token before anything is
//! written; a refused form comes back (422) with the field named and what was typed kept.
//! Uploads go through the store's evidence functions (20 MiB, type by magic bytes), stored
//! before the record is tried so a refused form never loses a photo.

use crate::page::{
    BODY_LIMIT, Chrome, MAX_FILES, Refusal, app_refusal, field, html_error, read_multipart,
    render_page, store_uploads, visible_compound, with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{
    Assessment, EvidenceDir, NewFinding, NewPatrol, OrderFilter, Patrol, RectificationOrder,
    StoreError, StoredCompound,
};
use anju_app::oversight::AssessmentStep;
use anju_core::Lang;
use anju_core::access::{Action, Role};
use anju_core::assessment::{AssessmentStatus, Outcome, Period, objection_last_day};
use anju_core::oversight::{FindingCategory, OrderStatus, PatrolKind};
use anju_policy::rubric::{Event, Rubric, SatisfactionRate, Scoring, Survey, Unit};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;

/// The rubric the form offers (Erqi's, shipped with anju-policy).
pub const FORM_RUBRIC: &str = "erqi";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/assessments/new",
            get(assess_new)
                .post(assess_create)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/assessments/{id}", get(assess_show))
        .route("/assessments/{id}/{step}", post(assess_step))
        .route(
            "/patrols/new",
            get(patrol_new)
                .post(patrol_create)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/patrols/{id}", get(patrol_show))
        .route("/patrols/{id}/photo/{sha}", get(patrol_photo))
        .route(
            "/orders/{id}/answer",
            post(order_answer).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/orders/{id}/close", post(order_close))
        .route("/orders/{id}/reopen", post(order_reopen))
}

fn forbidden(l: Lang, zh: String, en: String) -> WebError {
    WebError::Forbidden(l.pick(&zh, &en).to_string())
}

#[derive(Debug, Default, Deserialize)]
struct CompoundQuery {
    compound: Option<i64>,
}

fn need_compound(q: &CompoundQuery, l: Lang) -> Result<i64, WebError> {
    q.compound.ok_or_else(|| {
        WebError::BadRequest(
            l.pick("缺少参数 compound（小区编号）", "missing ?compound=ID")
                .to_string(),
        )
    })
}

fn dec_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Hundredths of a point, for the running total in the browser (exact integers there too).
fn e2(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (d * Decimal::from(100)).round().to_i64().unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Assessments: access

/// The compound, when the viewer may assess it (the app's rule: in scope and, for an
/// evaluator, commissioned).
async fn assess_access(
    state: &AppState,
    viewer: &Viewer,
    compound_id: i64,
) -> Result<StoredCompound, WebError> {
    state
        .app
        .assessable(&viewer.principal(), compound_id)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))
}

fn rubric(l: Lang) -> Result<Rubric, WebError> {
    Rubric::builtin(FORM_RUBRIC).map_err(|e| WebError::BadRequest(e.message(l)))
}

/// The current half-year (Erqi's survey period), as a default for the form.
fn default_period(d: jiff::civil::Date) -> String {
    format!("{}H{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
}

// ---------------------------------------------------------------------------------------------
// Assessments: the form

/// What was typed, kept across a refusal.
#[derive(Debug, Clone, Default)]
struct AssessInput {
    period: String,
    /// `d.{no}.{code}` → count as typed.
    counts: HashMap<String, String>,
    rate: String,
    responses: String,
    satisfied: String,
    /// Photos already stored: (item no, sha256).
    kept: Vec<(u32, String)>,
}

struct DeductionView {
    key: String,
    text: String,
    per: String,
    per_e2: i64,
    unit: String,
    value: String,
    max: Option<u32>,
}

struct ItemView {
    no: u32,
    group: String,
    text: String,
    standard: String,
    points: String,
    points_e2: i64,
    satisfaction: bool,
    deductions: Vec<DeductionView>,
    photos: usize,
}

#[derive(Template)]
#[template(path = "assess_form.html")]
struct AssessForm {
    chrome: Chrome,
    compound_id: i64,
    compound: String,
    street: String,
    rubric_name: String,
    max_total_e2: i64,
    input: AssessInput,
    items: Vec<ItemView>,
    error: Option<String>,
}

fn items_view(r: &Rubric, input: &AssessInput, l: Lang) -> Vec<ItemView> {
    r.items
        .iter()
        .map(|it| ItemView {
            no: it.no,
            group: r
                .group(&it.group)
                .map(|g| g.name(l).to_string())
                .unwrap_or_default(),
            text: it.text(l).to_string(),
            standard: l.pick(&it.standard_zh, &it.standard_en).to_string(),
            points: dec_text(it.points),
            points_e2: e2(it.points),
            satisfaction: it.scoring == Scoring::Satisfaction,
            deductions: it
                .deductions
                .iter()
                .map(|d| {
                    let key = format!("d.{}.{}", it.no, d.code);
                    DeductionView {
                        value: input.counts.get(&key).cloned().unwrap_or_default(),
                        key,
                        text: d.text(l).to_string(),
                        per: dec_text(d.points),
                        per_e2: e2(d.points),
                        unit: match l {
                            Lang::Zh => d.per.zh().to_string(),
                            Lang::En => d.per.en(1).to_string(),
                        },
                        max: (d.per == Unit::Once).then_some(1),
                    }
                })
                .collect(),
            photos: input.kept.iter().filter(|(n, _)| *n == it.no).count(),
        })
        .collect()
}

fn assess_form(
    state: &AppState,
    viewer: &Viewer,
    c: &StoredCompound,
    input: AssessInput,
    error: Option<String>,
) -> Response {
    let l = viewer.lang;
    let r = match rubric(l) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let page = AssessForm {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {}", c.compound.name, l.pick("考核评分", "Assessment")),
            &format!("/assessments/new?compound={}", c.id),
        ),
        compound_id: c.id,
        compound: c.compound.name.clone(),
        street: c.compound.street.clone(),
        rubric_name: r.name(l).to_string(),
        max_total_e2: e2(r.total),
        items: items_view(&r, &input, l),
        input,
        error: error.clone(),
    };
    render_page(
        page,
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
    )
}

async fn assess_new(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CompoundQuery>,
) -> Response {
    let r: Result<Response, WebError> = async {
        viewer.require(Action::Assess)?;
        let id = need_compound(&q, viewer.lang)?;
        let c = assess_access(&state, &viewer, id).await?;
        Ok(assess_form(
            &state,
            &viewer,
            &c,
            AssessInput {
                period: default_period(state.app.today()),
                ..AssessInput::default()
            },
            None,
        ))
    }
    .await;
    r.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

/// The events and survey a form asks for; the error names the item and field.
pub(crate) fn events_of(
    r: &Rubric,
    counts: &HashMap<String, String>,
    l: Lang,
) -> Result<Vec<Event>, String> {
    let mut events = Vec::new();
    for it in &r.items {
        for d in &it.deductions {
            let key = format!("d.{}.{}", it.no, d.code);
            let raw = counts.get(&key).map(|s| s.trim()).unwrap_or("");
            if raw.is_empty() {
                continue;
            }
            let bad = || match l {
                Lang::Zh => format!(
                    "第 {} 项“{}”：扣分次数“{raw}”应为 0 或正整数",
                    it.no,
                    d.text(l)
                ),
                Lang::En => format!(
                    "item {} '{}': the count '{raw}' must be 0 or a whole number",
                    it.no,
                    d.text(l)
                ),
            };
            let n: u32 = raw.parse().map_err(|_| bad())?;
            if d.per == Unit::Once && n > 1 {
                return Err(match l {
                    Lang::Zh => format!(
                        "第 {} 项“{}”：此项只扣一次，次数应为 0 或 1",
                        it.no,
                        d.text(l)
                    ),
                    Lang::En => format!(
                        "item {} '{}': a flat deduction counts at most once (0 or 1)",
                        it.no,
                        d.text(l)
                    ),
                });
            }
            if n > 0 {
                events.push(Event::new(it.no, &d.code, n));
            }
        }
    }
    Ok(events)
}

fn survey_of(
    input: &AssessInput,
    households: Option<u32>,
    l: Lang,
) -> Result<Option<Survey>, String> {
    let rate = input.rate.trim();
    let (resp, sat) = (input.responses.trim(), input.satisfied.trim());
    if !rate.is_empty() {
        return SatisfactionRate::parse(rate)
            .map(|r| Some(Survey::from_rate(r)))
            .map_err(|e| format!("{}：{}", l.pick("满意度", "satisfaction"), e.message(l)));
    }
    if resp.is_empty() && sat.is_empty() {
        return Ok(None);
    }
    let num = |v: &str, zh: &str, en: &str| {
        v.parse::<u32>().map_err(|_| match l {
            Lang::Zh => format!("{zh}：“{v}”应为整数"),
            Lang::En => format!("{en}: '{v}' must be a whole number"),
        })
    };
    let responses = num(resp, "有效问卷数", "valid responses")?;
    let satisfied = num(sat, "满意问卷数", "satisfied responses")?;
    Survey::from_counts(satisfied, responses, households)
        .map(Some)
        .map_err(|e| format!("{}：{}", l.pick("满意度", "satisfaction"), e.message(l)))
}

async fn assess_create(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Query(q): Query<CompoundQuery>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let pre: Result<StoredCompound, WebError> = async {
        viewer.require(Action::Assess)?;
        let id = need_compound(&q, l)?;
        assess_access(&state, &viewer, id).await
    }
    .await;
    let c = match pre {
        Ok(c) => c,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let (fields, files) = match read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => return assess_form(&state, &viewer, &c, AssessInput::default(), Some(m)),
    };
    if let Err(e) = viewer.check_csrf(&headers, Some(&field(&fields, "csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let mut input = AssessInput {
        period: field(&fields, "period"),
        counts: fields
            .iter()
            .filter(|(k, _)| k.starts_with("d."))
            .filter_map(|(k, v)| v.first().map(|v| (k.clone(), v.clone())))
            .collect(),
        rate: field(&fields, "rate"),
        responses: field(&fields, "responses"),
        satisfied: field(&fields, "satisfied"),
        kept: fields
            .get("kept")
            .into_iter()
            .flatten()
            .filter_map(|k| {
                let (no, sha) = k.split_once(':')?;
                Some((no.parse().ok()?, sha.to_string()))
            })
            .collect(),
    };
    let submit = field(&fields, "action") == "submit";
    let result: Result<i64, Refusal> = async {
        // Photos first: a refused form never loses an upload.
        let dir = crate::evidence_dir(ext);
        for (name, sha) in store_uploads(&state, &viewer, &dir, &files).await? {
            let no = name
                .strip_prefix("photo.")
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0);
            if !input.kept.iter().any(|(_, s)| *s == sha) {
                input.kept.push((no, sha));
            }
        }
        let r = rubric(l)?;
        let period = Period::parse(&input.period).ok_or_else(|| {
            Refusal::Form(match l {
                Lang::Zh => format!(
                    "考核周期：“{}”无法识别（应为 2026H1、2026Q3、2026-03 或 2026）",
                    input.period.trim()
                ),
                Lang::En => format!(
                    "period: '{}' is not a period (2026H1, 2026Q3, 2026-03 or 2026)",
                    input.period.trim()
                ),
            })
        })?;
        let events = events_of(&r, &input.counts, l).map_err(Refusal::Form)?;
        let survey = survey_of(&input, c.compound.households, l).map_err(Refusal::Form)?;
        let a = state
            .app
            .create_assessment(
                &viewer.principal(),
                anju_app::oversight::AssessmentInput {
                    compound_id: c.id,
                    period,
                    rubric: r,
                    assessor: None,
                    events,
                    survey,
                    objection_days: None,
                    evidence: input.kept.iter().map(|(_, s)| s.clone()).collect(),
                    submit,
                },
            )
            .await
            .map_err(|e| crate::page::app_refusal(e, l))?;
        Ok(a.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&with_lang(&format!("/assessments/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => assess_form(&state, &viewer, &c, input, Some(m)),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Assessments: the scorecard and the workflow

struct LineView {
    text: String,
    count: u32,
    unit: String,
    amount: String,
}

struct ScoreView {
    no: u32,
    text: String,
    points: String,
    lines: Vec<LineView>,
    capped: bool,
    score: String,
    note: String,
}

/// What the viewer typed into a workflow form, kept across a refusal.
#[derive(Debug, Clone, Default, Deserialize)]
struct StepForm {
    csrf: Option<String>,
    version: Option<String>,
    outcome: Option<String>,
    reason: Option<String>,
    text: Option<String>,
    waived: Option<String>,
}

#[derive(Template)]
#[template(path = "assess_show.html")]
struct AssessShow {
    chrome: Chrome,
    a: Assessment,
    status: String,
    period: String,
    kind: String,
    total: String,
    max_total: String,
    grade: String,
    complete: bool,
    items: Vec<ScoreView>,
    objection_until: String,
    can_submit: bool,
    can_review: bool,
    can_object: bool,
    can_decide: bool,
    can_finalize: bool,
    typed: StepForm,
    error: Option<String>,
}

async fn assess_page(
    state: &AppState,
    viewer: &Viewer,
    a: Assessment,
    typed: StepForm,
    error: Option<String>,
) -> Response {
    let l = viewer.lang;
    let card = &a.scorecard;
    let items = card
        .items
        .iter()
        .map(|it| ScoreView {
            no: it.no,
            text: l.pick(&it.text_zh, &it.text_en).to_string(),
            points: dec_text(it.points),
            lines: it
                .deductions
                .iter()
                .map(|d| LineView {
                    text: l.pick(&d.text_zh, &d.text_en).to_string(),
                    count: d.count,
                    unit: match l {
                        Lang::Zh => d.per.zh().to_string(),
                        Lang::En => d.per.en(d.count).to_string(),
                    },
                    amount: dec_text(d.amount),
                })
                .collect(),
            capped: it.capped,
            score: it.score.map(dec_text).unwrap_or_else(|| "—".into()),
            note: match &it.status {
                anju_policy::rubric::ItemStatus::NotScored {
                    reason_zh,
                    reason_en,
                } => l.pick(reason_zh, reason_en).to_string(),
                _ => it
                    .satisfaction
                    .as_ref()
                    .map(|s| s.rate.percent_text())
                    .unwrap_or_default(),
            },
        })
        .collect();
    let writer = viewer.role != Role::Auditor;
    let own_company = viewer.role == Role::Admin
        || (viewer.company_id.is_some() && viewer.company_id == a.company_id);
    let in_window = a
        .reviewed_on
        .is_some_and(|r| state.app.today() <= objection_last_day(r, a.objection_days));
    let can = |act| writer && anju_core::access::can(viewer.role, act);
    let page = AssessShow {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {} {}", a.compound, l.pick("考核", "assessment"), a.id),
            &format!("/assessments/{}", a.id),
        ),
        status: a.status.label(l).to_string(),
        period: a.period.code(),
        kind: a.assessor_kind.label(l).to_string(),
        total: dec_text(a.score),
        max_total: dec_text(card.max_total),
        grade: card
            .grade
            .as_ref()
            .map(|g| g.name(l).to_string())
            .unwrap_or_else(|| {
                l.pick("未评定（满意度未计分）", "no grade (survey not scored)")
                    .into()
            }),
        complete: card.complete,
        items,
        objection_until: a
            .reviewed_on
            .map(|r| objection_last_day(r, a.objection_days).to_string())
            .unwrap_or_default(),
        can_submit: a.status == AssessmentStatus::Draft && can(Action::Assess),
        can_review: a.status == AssessmentStatus::Submitted && can(Action::ReviewAssessments),
        can_object: a.status == AssessmentStatus::Reviewed
            && in_window
            && can(Action::AnswerOrders)
            && own_company,
        can_decide: a.status == AssessmentStatus::Objected && can(Action::ReviewAssessments),
        can_finalize: a.status == AssessmentStatus::Reviewed && can(Action::ReviewAssessments),
        a,
        typed,
        error: error.clone(),
    };
    render_page(
        page,
        match &error {
            Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
            None => StatusCode::OK,
        },
    )
}

async fn assess_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let r: Result<Response, WebError> = async {
        let a = state
            .app
            .assessment(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?;
        assess_access(&state, &viewer, a.compound_id).await?;
        Ok(assess_page(&state, &viewer, a, StepForm::default(), None).await)
    }
    .await;
    r.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

async fn assess_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step)): Path<(i64, String)>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    let l = viewer.lang;
    let who = viewer.principal();
    let pre: Result<Assessment, WebError> = async {
        if !matches!(
            step.as_str(),
            "submit" | "review" | "decide" | "finalize" | "object"
        ) {
            return Err(WebError::Store(StoreError::NotFound {
                entity: "assessment step",
                id,
            }));
        }
        viewer.require(match step.as_str() {
            "submit" => Action::Assess,
            "object" => Action::AnswerOrders,
            _ => Action::ReviewAssessments,
        })?;
        let a = state
            .app
            .assessment(&who, id)
            .await
            .map_err(|e| WebError::app(e, l))?;
        viewer.check_csrf(&headers, f.csrf.as_deref())?;
        // Only the compound's company objects: refused before anything else is looked at.
        if step == "object" {
            anju_app::App::objector(&who, &a).map_err(|e| WebError::app(e, l))?;
        }
        Ok(a)
    }
    .await;
    let a = match pre {
        Ok(a) => a,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let version = match anju_app::check::version(f.version.as_deref()) {
        Ok(v) => v,
        Err(e) => {
            let m = e.message(l);
            return assess_page(&state, &viewer, a, f, Some(m)).await;
        }
    };
    let on = state.app.today();
    let outcome = match f.outcome.as_deref().map(str::trim) {
        Some("adjusted") => Outcome::Adjusted,
        _ => Outcome::Upheld,
    };
    let reason = f.reason.clone();
    let done = match step.as_str() {
        "submit" => state.app.submit_assessment(&who, id, version, on).await,
        other => {
            let step = match other {
                "review" => AssessmentStep::Review {
                    outcome,
                    reason,
                    events: None,
                },
                "decide" => AssessmentStep::Decide {
                    outcome,
                    reason,
                    events: None,
                },
                "finalize" => AssessmentStep::Finalize {
                    waived: f.waived.as_deref().is_some_and(|v| !v.is_empty()),
                },
                _ => AssessmentStep::Object {
                    text: f.text.clone().unwrap_or_default(),
                },
            };
            state.app.assessment_step(&who, id, version, step, on).await
        }
    };
    match done {
        Ok(_) => Redirect::to(&with_lang(&format!("/assessments/{id}"), l)).into_response(),
        Err(e) => match crate::page::app_refusal(e, l) {
            Refusal::Form(m) => assess_page(&state, &viewer, a, f, Some(m)).await,
            Refusal::Fail(e) => html_error(&state, &viewer, e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Patrols

/// One finding as typed.
#[derive(Debug, Clone, Default)]
struct FindingInput {
    category: String,
    description: String,
    order: bool,
    deadline: String,
    kept: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct PatrolInput {
    kind: String,
    date: String,
    inspector: String,
    note: String,
    findings: Vec<FindingInput>,
}

/// Blank finding blocks the form offers.
const FINDING_SLOTS: usize = 3;

#[derive(Template)]
#[template(path = "patrol_form.html")]
struct PatrolForm {
    chrome: Chrome,
    compound_id: i64,
    compound: String,
    company: String,
    kinds: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
    input: PatrolInput,
    error: Option<String>,
}

fn patrol_form(
    state: &AppState,
    viewer: &Viewer,
    c: &StoredCompound,
    mut input: PatrolInput,
    error: Option<String>,
) -> Response {
    let l = viewer.lang;
    while input.findings.len() < FINDING_SLOTS {
        input.findings.push(FindingInput::default());
    }
    let page = PatrolForm {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {}", c.compound.name, l.pick("巡查记录", "Patrol")),
            &format!("/patrols/new?compound={}", c.id),
        ),
        compound_id: c.id,
        compound: c.compound.name.clone(),
        company: c.compound.company.clone().unwrap_or_default(),
        kinds: PatrolKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(l)))
            .collect(),
        categories: FindingCategory::ALL
            .iter()
            .map(|k| (k.code(), k.label(l)))
            .collect(),
        input,
        error: error.clone(),
    };
    render_page(
        page,
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
    )
}

async fn patrol_new(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CompoundQuery>,
) -> Response {
    let r: Result<Response, WebError> = async {
        viewer.require(Action::Patrol)?;
        let id = need_compound(&q, viewer.lang)?;
        let c = visible_compound(&state, &viewer, id).await?;
        Ok(patrol_form(
            &state,
            &viewer,
            &c,
            PatrolInput {
                kind: PatrolKind::WeeklyPatrol.code().into(),
                date: state.app.today().to_string(),
                inspector: viewer.display_name.clone(),
                ..PatrolInput::default()
            },
            None,
        ))
    }
    .await;
    r.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

fn patrol_input(fields: &HashMap<String, Vec<String>>) -> PatrolInput {
    let mut findings = Vec::new();
    for i in 0..MAX_FILES.max(FINDING_SLOTS) {
        let f = |k: &str| field(fields, &format!("f{i}.{k}"));
        let kept: Vec<String> = fields
            .get(&format!("f{i}.kept"))
            .cloned()
            .unwrap_or_default();
        let present = fields.keys().any(|k| k.starts_with(&format!("f{i}.")));
        if !present {
            continue;
        }
        findings.push(FindingInput {
            category: f("category"),
            description: f("description"),
            order: !f("order").is_empty(),
            deadline: f("deadline"),
            kept,
        });
    }
    PatrolInput {
        kind: field(fields, "kind"),
        date: field(fields, "date"),
        inspector: field(fields, "inspector"),
        note: field(fields, "note"),
        findings,
    }
}

/// The findings to record; blank blocks are skipped, the error names the finding and field.
fn findings_of(
    input: &PatrolInput,
    date: jiff::civil::Date,
    l: Lang,
) -> Result<Vec<NewFinding>, String> {
    let mut out = Vec::new();
    for (i, f) in input.findings.iter().enumerate() {
        let n = i + 1;
        let blank = f.category.trim().is_empty()
            && f.description.trim().is_empty()
            && f.kept.is_empty()
            && !f.order;
        if blank {
            continue;
        }
        let say = |zh: &str, en: &str| match l {
            Lang::Zh => format!("问题 {n}：{zh}"),
            Lang::En => format!("finding {n}: {en}"),
        };
        let category = FindingCategory::from_code(&f.category)
            .ok_or_else(|| say("请选择问题类别", "choose a category"))?;
        if f.description.trim().is_empty() {
            return Err(say("请填写问题描述", "describe the finding"));
        }
        let order_deadline = if f.order {
            let d = f.deadline.trim();
            if d.is_empty() {
                return Err(say(
                    "下达整改通知时须填写整改期限",
                    "an order needs a deadline",
                ));
            }
            let d: jiff::civil::Date = d.parse().map_err(|_| {
                say(
                    &format!("整改期限“{d}”不是有效日期（如 2026-11-30）"),
                    &format!("deadline '{d}' is not a date (like 2026-11-30)"),
                )
            })?;
            if d < date {
                return Err(say(
                    "整改期限不能早于巡查日期",
                    "the deadline cannot be before the patrol date",
                ));
            }
            Some(d)
        } else {
            None
        };
        out.push(NewFinding {
            category,
            description: f.description.trim().to_string(),
            evidence: f.kept.clone(),
            order_deadline,
        });
    }
    Ok(out)
}

async fn patrol_create(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Query(q): Query<CompoundQuery>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let pre: Result<StoredCompound, WebError> = async {
        viewer.require(Action::Patrol)?;
        let id = need_compound(&q, l)?;
        visible_compound(&state, &viewer, id).await
    }
    .await;
    let c = match pre {
        Ok(c) => c,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let (fields, files) = match read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => return patrol_form(&state, &viewer, &c, PatrolInput::default(), Some(m)),
    };
    if let Err(e) = viewer.check_csrf(&headers, Some(&field(&fields, "csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let mut input = patrol_input(&fields);
    let result: Result<i64, Refusal> = async {
        let dir = crate::evidence_dir(ext);
        for (name, sha) in store_uploads(&state, &viewer, &dir, &files).await? {
            let i: usize = name
                .strip_prefix('f')
                .and_then(|r| r.split_once('.'))
                .and_then(|(i, _)| i.parse().ok())
                .unwrap_or(0);
            while input.findings.len() <= i {
                input.findings.push(FindingInput::default());
            }
            if !input.findings[i].kept.contains(&sha) {
                input.findings[i].kept.push(sha);
            }
        }
        let kind = PatrolKind::from_code(&input.kind).ok_or_else(|| {
            Refusal::Form(l.pick("巡查类型：请选择", "patrol kind: choose one").into())
        })?;
        let date =
            crate::page::parse_date_field(state.app.today(), &input.date, "巡查日期", "date", l)
                .map_err(Refusal::Form)?;
        if input.inspector.trim().is_empty() {
            return Err(Refusal::Form(
                l.pick("巡查人：请填写", "inspector: required").into(),
            ));
        }
        let findings = findings_of(&input, date, l).map_err(Refusal::Form)?;
        let p = state
            .app
            .add_patrol(
                &viewer.principal(),
                NewPatrol {
                    compound_id: c.id,
                    kind,
                    date,
                    inspector: input.inspector.clone(),
                    note: Some(input.note.clone()),
                    findings,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(p.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&with_lang(&format!("/patrols/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => patrol_form(&state, &viewer, &c, input, Some(m)),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

struct OrderView {
    o: RectificationOrder,
    status: String,
    overdue: bool,
    can_answer: bool,
    can_close: bool,
    can_reopen: bool,
}

struct FindingView {
    category: String,
    description: String,
    photos: Vec<String>,
    order: Option<OrderView>,
}

#[derive(Template)]
#[template(path = "patrol_show.html")]
struct PatrolShow {
    chrome: Chrome,
    p: Patrol,
    compound: String,
    kind: String,
    findings: Vec<FindingView>,
    /// The order a refused answer was for, and what was typed.
    typed_order: i64,
    typed_text: String,
    error: Option<String>,
}

async fn patrol_page(
    state: &AppState,
    viewer: &Viewer,
    p: Patrol,
    c: &StoredCompound,
    typed: (i64, String),
    error: Option<String>,
) -> Response {
    let l = viewer.lang;
    let orders = match state
        .app
        .orders(
            &viewer.principal(),
            OrderFilter {
                compound_id: Some(p.compound_id),
                ..OrderFilter::default()
            },
        )
        .await
    {
        Ok(o) => o,
        Err(e) => return html_error(state, viewer, WebError::app(e, l)),
    };
    let writer = viewer.role != Role::Auditor;
    let patrols = writer && anju_core::access::can(viewer.role, Action::Patrol);
    let answers = writer && anju_core::access::can(viewer.role, Action::AnswerOrders);
    let day = state.app.today();
    let findings = p
        .findings
        .iter()
        .map(|f| FindingView {
            category: f.category.label(l).to_string(),
            description: f.description.clone(),
            photos: f.evidence.clone(),
            order: f.order_id.and_then(|oid| {
                let o = orders.iter().find(|o| o.id == oid)?.clone();
                let mine = viewer.role == Role::Admin || viewer.company_id == Some(o.company_id);
                Some(OrderView {
                    status: o.status.label(l).to_string(),
                    overdue: o.overdue(day),
                    can_answer: answers && mine && o.status == OrderStatus::Open,
                    can_close: patrols && o.status == OrderStatus::Answered,
                    can_reopen: patrols && o.status != OrderStatus::Open,
                    o,
                })
            }),
        })
        .collect();
    let page = PatrolShow {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {} {}",
                c.compound.name,
                l.pick("巡查", "patrol"),
                p.id
            ),
            &format!("/patrols/{}", p.id),
        ),
        compound: c.compound.name.clone(),
        kind: p.kind.label(l).to_string(),
        findings,
        p,
        typed_order: typed.0,
        typed_text: typed.1,
        error: error.clone(),
    };
    render_page(
        page,
        match &error {
            Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
            None => StatusCode::OK,
        },
    )
}

async fn patrol_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let r: Result<Response, WebError> = async {
        let p = state
            .app
            .patrol(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?;
        let c = visible_compound(&state, &viewer, p.compound_id).await?;
        Ok(patrol_page(&state, &viewer, p, &c, (0, String::new()), None).await)
    }
    .await;
    r.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

/// A photo of a patrol's findings or of the answers to its orders.
async fn patrol_photo(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Path((id, sha)): Path<(i64, String)>,
) -> Response {
    let not_found = || {
        WebError::Store(StoreError::NotFound {
            entity: "evidence",
            id: 0,
        })
    };
    let r: Result<Response, WebError> = async {
        let e = state
            .app
            .patrol_evidence(&viewer.principal(), id, &sha)
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?;
        let bytes = tokio::fs::read(crate::evidence_dir(ext).path_of(&e))
            .await
            .map_err(|_| not_found())?;
        Ok((
            [
                (header::CONTENT_TYPE, e.mime.clone()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    r.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

/// The order, its patrol and compound, when the viewer may see them.
async fn order_context(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(RectificationOrder, Patrol, StoredCompound), WebError> {
    state
        .app
        .order_with_patrol(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))
}

async fn order_answer(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let pre: Result<(RectificationOrder, Patrol, StoredCompound), WebError> = async {
        viewer.require(Action::AnswerOrders)?;
        let (o, p, c) = order_context(&state, &viewer, id).await?;
        if viewer.role != Role::Admin && viewer.company_id != Some(o.company_id) {
            return Err(forbidden(
                l,
                format!("整改通知 {id} 是下达给“{}”的，其他企业不能回复", o.company),
                format!(
                    "order {id} was issued to '{}'; no other company may answer",
                    o.company
                ),
            ));
        }
        Ok((o, p, c))
    }
    .await;
    let (_, p, c) = match pre {
        Ok(x) => x,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let (fields, files) = match read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => return patrol_page(&state, &viewer, p, &c, (id, String::new()), Some(m)).await,
    };
    if let Err(e) = viewer.check_csrf(&headers, Some(&field(&fields, "csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let text = field(&fields, "text");
    let result: Result<(), Refusal> = async {
        if text.trim().is_empty() {
            return Err(Refusal::Form(
                l.pick("整改回复：请填写整改情况", "answer: describe what was done")
                    .into(),
            ));
        }
        let dir = crate::evidence_dir(ext);
        let mut shas: Vec<String> = fields.get("kept").cloned().unwrap_or_default();
        for (_, sha) in store_uploads(&state, &viewer, &dir, &files).await? {
            if !shas.contains(&sha) {
                shas.push(sha);
            }
        }
        let version = anju_app::check::version(Some(field(&fields, "version").as_str()))
            .map_err(|e| app_refusal(e, l))?;
        let answer = anju_app::oversight::AnswerInput {
            version,
            text: text.clone(),
            on: state.app.today(),
            evidence: shas,
        };
        state
            .app
            .answer_order(&viewer.principal(), id, answer)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/patrols/{}", p.id), l)).into_response(),
        Err(Refusal::Form(m)) => patrol_page(&state, &viewer, p, &c, (id, text), Some(m)).await,
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct OrderStepForm {
    csrf: Option<String>,
    version: Option<String>,
    deadline: Option<String>,
}

async fn order_street_step(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    headers: &HeaderMap,
    f: OrderStepForm,
    reopen: bool,
) -> Response {
    let l = viewer.lang;
    let pre: Result<(RectificationOrder, Patrol, StoredCompound), WebError> = async {
        viewer.require(Action::Patrol)?;
        let x = order_context(state, viewer, id).await?;
        viewer.check_csrf(headers, f.csrf.as_deref())?;
        Ok(x)
    }
    .await;
    let (_, p, c) = match pre {
        Ok(x) => x,
        Err(e) => return html_error(state, viewer, e),
    };
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(f.version.as_deref()).map_err(|e| app_refusal(e, l))?;
        if reopen {
            let deadline = match f.deadline.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(d) => Some(d.parse::<jiff::civil::Date>().map_err(|_| {
                    Refusal::Form(match l {
                        Lang::Zh => format!("新的整改期限：“{d}”不是有效日期（如 2026-11-30）"),
                        Lang::En => format!("new deadline: '{d}' is not a date (like 2026-11-30)"),
                    })
                })?),
            };
            state
                .app
                .reopen_order(&viewer.principal(), id, version, deadline)
                .await
                .map_err(|e| app_refusal(e, l))?;
        } else {
            state
                .app
                .close_order(&viewer.principal(), id, version, state.app.today())
                .await
                .map_err(|e| app_refusal(e, l))?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/patrols/{}", p.id), l)).into_response(),
        Err(Refusal::Form(m)) => {
            patrol_page(state, viewer, p, &c, (id, String::new()), Some(m)).await
        }
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

async fn order_close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<OrderStepForm>,
) -> Response {
    order_street_step(&state, &viewer, id, &headers, f, false).await
}

async fn order_reopen(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<OrderStepForm>,
) -> Response {
    order_street_step(&state, &viewer, id, &headers, f, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn form_counts_become_rubric_events_and_bad_counts_name_the_item() {
        let r = Rubric::builtin(FORM_RUBRIC).expect("erqi");
        let ev = events_of(
            &r,
            &counts(&[("d.1.not_filed", "1"), ("d.2.office_lacking", " 0 ")]),
            Lang::Zh,
        )
        .expect("valid");
        assert_eq!(ev, vec![Event::new(1, "not_filed", 1)]);
        let e = events_of(&r, &counts(&[("d.1.not_filed", "-1")]), Lang::Zh).expect_err("neg");
        assert!(e.contains("第 1 项") && e.contains("-1"), "{e}");
        let e = events_of(&r, &counts(&[("d.1.no_contract", "2")]), Lang::Zh).expect_err("once");
        assert!(e.contains("只扣一次"), "{e}");
    }

    #[test]
    fn a_finding_with_an_order_needs_a_deadline_not_before_the_patrol() {
        let date = jiff::civil::date(2026, 11, 20);
        let mut input = PatrolInput::default();
        input.findings.push(FindingInput {
            category: "safety".into(),
            description: "消防通道堵塞".into(),
            order: true,
            deadline: String::new(),
            kept: vec![],
        });
        let e = findings_of(&input, date, Lang::Zh).expect_err("no deadline");
        assert!(e.contains("问题 1") && e.contains("整改期限"), "{e}");
        input.findings[0].deadline = "2026-11-19".into();
        assert!(findings_of(&input, date, Lang::Zh).is_err());
        // The patrol day itself is a valid deadline.
        input.findings[0].deadline = "2026-11-20".into();
        let f = findings_of(&input, date, Lang::Zh).expect("valid");
        assert_eq!(f[0].order_deadline, Some(date));
        // Blank blocks are skipped.
        input.findings.push(FindingInput::default());
        assert_eq!(findings_of(&input, date, Lang::Zh).expect("valid").len(), 1);
    }
}
