//! 考核录入 — assessment entry on a phone.
//!
//! - `/assessments/new?compound=ID`: the rubric (Erqi's 20 items, anju-policy) as one card per
//!   item, deduction steppers, each item's cap shown, a running total, evidence photos per item;
//!   saved as a draft or submitted. The score is the store's (`create_assessment` scores with the
//!   rubric, as `anju assess new` does): an item never goes below zero.
//! - `/assessments/{id}`: the scorecard and the workflow buttons the viewer's role may use
//!   (submit; 复核 by the district; 申诉 by the compound's company within the window; decision;
//!   定案).
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
    BODY_LIMIT, Chrome, CompoundQuery, Refusal, field, html_error, need_compound, read_multipart,
    render_page, store_uploads, with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{Assessment, EvidenceDir, StoreError, StoredCompound};
use anju_app::oversight::AssessmentStep;
use anju_core::Lang;
use anju_core::access::{Action, Role};
use anju_core::assessment::{AssessmentStatus, Outcome, Period, objection_last_day};
use anju_core::party::PartyCount;
use anju_core::{AssessmentId, CompoundId};
use anju_policy::rubric::{CountOrigin, Event, Rubric, SatisfactionRate, Scoring, Survey, Unit};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;

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
}

/// The rubric the form offers (Erqi's, shipped with anju-policy).
pub const FORM_RUBRIC: &str = "erqi";

fn dec_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Hundredths of a point, for the running total in the browser (exact integers there too).
fn e2(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (d * Decimal::from(100)).round().to_i64().unwrap_or(0)
}

/// The compound, when the viewer may assess it (the app's rule: in scope and, for an
/// evaluator, commissioned).
async fn assess_access(
    state: &AppState,
    viewer: &Viewer,
    compound_id: CompoundId,
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

/// `/assessments/new?compound=ID&period=2026Q4` (the period the form opens with; its party
/// items are counted from records for it).
#[derive(Debug, Default, Deserialize)]
struct AssessNewQuery {
    compound: Option<CompoundId>,
    period: Option<String>,
}

/// What was typed, kept across a refusal.
#[derive(Debug, Clone, Default)]
struct AssessInput {
    /// The form showed the party items counted from records (and asks for them).
    party_from_records: bool,
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
    /// Counted from records (红色物业): the records' count and why.
    records: Option<(u32, String)>,
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

/// The party counts from records for a compound and the period typed (none when the period
/// cannot be read or the counting is refused: the form then shows no marks).
async fn party_of(
    state: &AppState,
    viewer: &Viewer,
    compound: i64,
    period: &str,
) -> Vec<PartyCount> {
    let Some(p) = Period::parse(period) else {
        return Vec::new();
    };
    state
        .app
        .party_counts(&viewer.principal(), CompoundId(compound), p.start, p.end)
        .await
        .unwrap_or_default()
}

fn items_view(r: &Rubric, input: &AssessInput, party: &[PartyCount], l: Lang) -> Vec<ItemView> {
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
                        records: party
                            .iter()
                            .find(|p| p.item == it.no && p.code == d.code)
                            .map(|p| (p.count, l.pick(&p.why_zh, &p.why_en).to_string())),
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
    party: &[PartyCount],
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
        items: items_view(&r, &input, party, l),
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
    Query(q): Query<AssessNewQuery>,
) -> Response {
    let r: Result<Response, WebError> = async {
        viewer.require(Action::Assess)?;
        let id = match q.compound {
            Some(id) => id,
            None => need_compound(&CompoundQuery::default(), viewer.lang)?,
        };
        let c = assess_access(&state, &viewer, id).await?;
        let period = q
            .period
            .filter(|p| Period::parse(p).is_some())
            .unwrap_or_else(|| default_period(state.app.today()));
        let party = party_of(&state, &viewer, c.id, &period).await;
        // The party items pre-filled from records (the assessor may type another count).
        let counts = party
            .iter()
            .map(|p| (format!("d.{}.{}", p.item, p.code), p.count.to_string()))
            .collect();
        Ok(assess_form(
            &state,
            &viewer,
            &c,
            AssessInput {
                party_from_records: !party.is_empty(),
                period,
                counts,
                ..AssessInput::default()
            },
            &party,
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
            // A party count typed as 0 is kept: it may differ from the records' count.
            let party = anju_core::party::CODES.contains(&(it.no, d.code.as_str()));
            if n > 0 || party {
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
        Err(m) => return assess_form(&state, &viewer, &c, AssessInput::default(), &[], Some(m)),
    };
    if let Err(e) = viewer.check_csrf(&headers, Some(&field(&fields, "csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let mut input = AssessInput {
        party_from_records: field(&fields, "party_from_records") == "1",
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
                    // The form showed the counts from records (its hidden marker).
                    party_from_records: input.party_from_records,
                },
            )
            .await
            .map_err(|e| crate::page::app_refusal(e, l))?;
        Ok(a.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&with_lang(&format!("/assessments/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => {
            let party = party_of(&state, &viewer, c.id, &input.period).await;
            assess_form(&state, &viewer, &c, input, &party, Some(m))
        }
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

/// How a count taken from records reads on the assessment's page.
fn source_text(s: &anju_policy::rubric::CountSource, l: Lang) -> String {
    let why = l.pick(&s.why_zh, &s.why_en);
    match (s.origin, l) {
        (CountOrigin::Records, Lang::Zh) => format!("据记录：{} 次（{why}）", s.count),
        (CountOrigin::Records, Lang::En) => format!("From records: {} ({why})", s.count),
        (CountOrigin::Typed, Lang::Zh) => {
            format!("手工填写：{} 次（记录计 {} 次：{why}）", s.count, s.records)
        }
        (CountOrigin::Typed, Lang::En) => {
            format!("Typed: {} (records give {}: {why})", s.count, s.records)
        }
    }
}

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
    /// 据记录 / 手工填写 for the counts taken from records.
    sources: Vec<String>,
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
    /// The photos and files, by name, photos as thumbnails.
    files: Vec<crate::page::EvidenceLink>,
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
            sources: card
                .sources
                .iter()
                .filter(|(code, _)| anju_core::party::CODES.contains(&(it.no, code.as_str())))
                .map(|(_, s)| source_text(s, l))
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
    let compound = anju_core::CompoundId(a.compound_id);
    let files = match state
        .app
        .record_files(&viewer.principal(), compound, &a.evidence)
        .await
    {
        Ok(f) => crate::page::evidence_links(&a.evidence, compound, &f),
        Err(e) => return crate::page::html_error(state, viewer, crate::WebError::app(e, l)),
    };
    let page = AssessShow {
        files,
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
    Path(id): Path<AssessmentId>,
) -> Response {
    let r: Result<Response, WebError> = async {
        let a = state
            .app
            .assessment(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?;
        assess_access(&state, &viewer, CompoundId(a.compound_id)).await?;
        Ok(assess_page(&state, &viewer, a, StepForm::default(), None).await)
    }
    .await;
    r.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

async fn assess_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step)): Path<(AssessmentId, String)>,
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
                id: id.get(),
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
}
