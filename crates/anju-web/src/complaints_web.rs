//! Complaints (投诉) in the browser, end to end: the list in the reader's scope (overdue ones
//! first and marked), and one complaint's page with the form its reader may use next — the
//! company 签收 and 答复 (with photos), the street or community records the resident's rating
//! and 办结. Every step is the application layer's (`App::complaint_step`,
//! `App::answer_complaint`); this module parses the forms and renders. Built for a phone: the
//! list is cards, the forms one column.

use crate::auth::Viewer;
use crate::page::{Chrome, Refusal, app_refusal, html_error, parse_date_field, with_lang};
use crate::{AppState, WebError};
use anju_app::model::{Complaint, ComplaintFilter, ComplaintStage, EvidenceDir};
use anju_app::oversight::{AnswerInput, ComplaintStep};
use anju_core::ComplaintId;
use anju_core::Lang;
use anju_core::access::{Action, Role};
use anju_core::oversight::ComplaintStatus;
use askama::Template;
use axum::Router;
use axum::extract::{Extension, Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/complaints", get(list))
        .route("/complaints/{id}", get(show))
        .route("/complaints/{id}/sign", post(sign))
        .route("/complaints/{id}/answer", post(answer))
        .route("/complaints/{id}/rate", post(rate))
        .route("/complaints/{id}/close", post(close))
        .route("/complaints/{id}/verify", post(verify))
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    overdue: Option<String>,
}

struct Card {
    link: String,
    compound: String,
    category: String,
    received: String,
    status: String,
    due: String,
    overdue: bool,
    text: String,
}

#[derive(Template)]
#[template(path = "complaints.html")]
struct ListPage {
    chrome: Chrome,
    overdue_only: bool,
    all_link: String,
    overdue_link: String,
    /// 登记投诉, for the roles that record complaints.
    new_link: Option<String>,
    holidays_link: String,
    sign_overdue: usize,
    answer_overdue: usize,
    cards: Vec<Card>,
}

/// What is due next and by when, in words.
fn due_text(c: &Complaint, l: Lang) -> String {
    match c.status {
        ComplaintStatus::Received => {
            format!("{} {}", l.pick("签收期限", "sign by"), c.sign_deadline)
        }
        ComplaintStatus::Signed => {
            format!("{} {}", l.pick("答复期限", "answer by"), c.answer_deadline)
        }
        ComplaintStatus::Answered => l.pick("待评价、办结", "to rate and close").to_string(),
        ComplaintStatus::Closed => c
            .closed_on
            .map(|d| format!("{} {d}", l.pick("办结于", "closed on")))
            .unwrap_or_default(),
    }
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Response {
    let l = viewer.lang;
    let overdue_only = q.overdue.as_deref().is_some_and(|v| v == "1");
    let today = state.app.today();
    let overview = match state
        .app
        .complaint_overview(
            &viewer.principal(),
            ComplaintFilter::default(),
            today,
            overdue_only,
        )
        .await
    {
        Ok(o) => o,
        Err(e) => return html_error(&state, &viewer, WebError::app(e, l)),
    };
    let mut cards: Vec<(bool, Card)> = overview
        .complaints
        .iter()
        .map(|c| {
            let overdue = c.sign_overdue(today) || c.answer_overdue(today);
            let text: String = c.text.chars().take(60).collect();
            (
                overdue,
                Card {
                    link: with_lang(&format!("/complaints/{}", c.id), l),
                    compound: c.compound.clone(),
                    category: c.category.clone(),
                    received: c.received_on.to_string(),
                    status: c.status.label(l).to_string(),
                    due: due_text(c, l),
                    overdue,
                    text,
                },
            )
        })
        .collect();
    // What needs action first: the overdue ones, then the open ones, then the closed.
    cards.sort_by_key(|(overdue, c)| (!overdue, c.due.is_empty()));
    let page = ListPage {
        chrome: Chrome::new(
            &state,
            &viewer,
            l.pick("投诉处理", "Complaints"),
            if overdue_only {
                "/complaints?overdue=1"
            } else {
                "/complaints"
            },
        ),
        overdue_only,
        all_link: with_lang("/complaints", l),
        overdue_link: with_lang("/complaints?overdue=1", l),
        new_link: viewer
            .require(Action::Patrol)
            .is_ok()
            .then(|| with_lang("/complaints/new", l)),
        holidays_link: with_lang("/complaints/holidays", l),
        sign_overdue: overview.overdue.sign_overdue as usize,
        answer_overdue: overview.overdue.answer_overdue as usize,
        cards: cards.into_iter().map(|(_, c)| c).collect(),
    };
    match page.render() {
        Ok(h) => Html(h).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// One complaint

/// What a form sent back keeps, so a refused step loses nothing typed.
#[derive(Debug, Default, Clone)]
struct Kept {
    date: String,
    text: String,
    rating: String,
    verdict: String,
}

#[derive(Template)]
#[template(path = "complaint.html")]
struct ShowPage {
    chrome: Chrome,
    sign_action: String,
    answer_action: String,
    rate_action: String,
    close_action: String,
    verify_action: String,
    version: i64,
    compound: String,
    compound_link: String,
    facts: Vec<(&'static str, String)>,
    text: String,
    answer: Option<String>,
    files: Vec<(String, String)>,
    error: Option<String>,
    kept: Kept,
    today: String,
    can_sign: bool,
    can_answer: bool,
    can_rate: bool,
    can_close: bool,
    /// 核实, for the street (and above); a finding already made may be revised.
    can_verify: bool,
    verified: bool,
    /// 吹哨: refer it to a department, for those who may.
    refer_link: Option<String>,
    /// Referrals made from it: (link, what).
    referrals: Vec<(String, String)>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: ComplaintId,
    kept: Kept,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    let c = state
        .app
        .complaint_in_scope(&who, id)
        .await
        .map_err(app_err)?;
    let files = state
        .app
        .complaint_evidence(&who, id)
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|(stage, e)| {
            let stage = match stage {
                ComplaintStage::Complaint => l.pick("投诉", "complaint"),
                ComplaintStage::Answer => l.pick("答复", "answer"),
            };
            (
                format!("/evidence/{}?compound={}", e.sha256, c.compound_id),
                format!("{stage}：{}", e.original_name),
            )
        })
        .collect();
    let today = state.app.today();
    let dash = || "—".to_string();
    let date_or = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_else(dash);
    let mut facts = vec![
        (l.pick("状态", "Status"), c.status.label(l).to_string()),
        (l.pick("类别", "Category"), c.category.clone()),
        (l.pick("来源", "Source"), c.source.label(l).to_string()),
        (l.pick("收到日期", "Received"), c.received_on.to_string()),
        (
            l.pick("签收期限", "Sign by"),
            format!(
                "{}{}",
                c.sign_deadline,
                if c.sign_overdue(today) {
                    l.pick("（已逾期）", " (overdue)")
                } else {
                    ""
                }
            ),
        ),
        (l.pick("签收日期", "Signed"), date_or(c.signed_on)),
        (
            l.pick("答复期限", "Answer by"),
            format!(
                "{}{}",
                c.answer_deadline,
                if c.answer_overdue(today) {
                    l.pick("（已逾期）", " (overdue)")
                } else {
                    ""
                }
            ),
        ),
        (l.pick("答复日期", "Answered"), date_or(c.answered_on)),
        (
            l.pick("居民评价", "Resident's rating"),
            c.rating.map(|r| format!("{r} / 5")).unwrap_or_else(dash),
        ),
        (l.pick("办结日期", "Closed"), date_or(c.closed_on)),
        (
            l.pick("物业企业", "Company"),
            c.company.clone().unwrap_or_else(|| {
                l.pick(
                    "无物业企业：由街道、社区处理，需职能部门处理的请吹哨",
                    "no company: the street or community handles it, or refers it",
                )
                .to_string()
            }),
        ),
        (
            l.pick("核实结论", "Verification"),
            match c.verdict {
                Some(v) => format!(
                    "{}（{} {}）{}",
                    v.label(l),
                    date_or(c.verdict_on),
                    c.verdict_by.clone().unwrap_or_default(),
                    c.verdict_note
                        .as_deref()
                        .map(|n| format!("：{n}"))
                        .unwrap_or_default()
                ),
                None => l
                    .pick(
                        "未核实（未核实的投诉不计入企业信用档案）",
                        "not verified (only substantiated complaints count in the credit file)",
                    )
                    .to_string(),
            },
        ),
    ];
    if let Some(contact) = &c.contact {
        facts.push((l.pick("联系方式", "Contact"), contact.clone()));
    }
    let writer = viewer.role != Role::Auditor;
    let company_side = writer && anju_core::access::can(viewer.role, Action::AnswerOrders);
    let street_side = writer && anju_core::access::can(viewer.role, Action::Patrol);
    let page = ShowPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {} #{}", c.compound, l.pick("投诉", "complaint"), c.id),
            &format!("/complaints/{id}"),
        ),
        sign_action: with_lang(&format!("/complaints/{id}/sign"), l),
        answer_action: with_lang(&format!("/complaints/{id}/answer"), l),
        rate_action: with_lang(&format!("/complaints/{id}/rate"), l),
        close_action: with_lang(&format!("/complaints/{id}/close"), l),
        verify_action: with_lang(&format!("/complaints/{id}/verify"), l),
        version: c.version,
        compound: c.compound.clone(),
        compound_link: with_lang(&format!("/compounds/{}", c.compound_id), l),
        facts,
        text: c.text.clone(),
        answer: c.answer.clone(),
        files,
        kept: Kept {
            date: if kept.date.is_empty() {
                today.to_string()
            } else {
                kept.date
            },
            ..kept
        },
        today: today.to_string(),
        can_sign: company_side && c.status == ComplaintStatus::Received,
        can_answer: company_side
            && matches!(
                c.status,
                ComplaintStatus::Received | ComplaintStatus::Signed
            ),
        can_rate: street_side && c.status == ComplaintStatus::Answered && c.rating.is_none(),
        can_close: street_side && c.status == ComplaintStatus::Answered,
        can_verify: writer && anju_core::access::can(viewer.role, Action::VerifyComplaints),
        refer_link: (writer && anju_core::access::can(viewer.role, Action::Refer))
            .then(|| with_lang(&format!("/referrals/new?complaint={id}"), l)),
        referrals: state
            .app
            .referrals(
                &who,
                anju_app::model::ReferralFilter {
                    source: Some((anju_core::referral::ReferralSource::Complaint, id.get())),
                    ..anju_app::model::ReferralFilter::default()
                },
            )
            .await
            .map_err(app_err)?
            .into_iter()
            .map(|r| {
                (
                    with_lang(&format!("/referrals/{}", r.id), l),
                    format!(
                        "{} · {} · {}",
                        r.department,
                        r.referred_on,
                        r.status.label(l)
                    ),
                )
            })
            .collect(),
        verified: c.verdict.is_some(),
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ComplaintId>,
) -> Response {
    match page(&state, &viewer, id, Kept::default(), None).await {
        Ok((status, h)) => (status, Html(h)).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

/// After a step: back to the complaint (303), or its page again with the reason and what was
/// typed.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<(), Refusal>,
    kept: Kept,
) -> Response {
    match result {
        Ok(()) => {
            Redirect::to(&with_lang(&format!("/complaints/{id}"), viewer.lang)).into_response()
        }
        Err(Refusal::Form(m)) => match page(state, viewer, ComplaintId(id), kept, Some(m)).await {
            Ok((status, h)) => (status, Html(h)).into_response(),
            Err(e) => html_error(state, viewer, e),
        },
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct StepForm {
    csrf: Option<String>,
    version: Option<String>,
    date: Option<String>,
    rating: Option<String>,
    verdict: Option<String>,
    note: Option<String>,
}

fn version_of(f: &StepForm, l: Lang) -> Result<i64, Refusal> {
    anju_app::check::version(f.version.as_deref()).map_err(|e| app_refusal(e, l))
}

/// The date a form gives (today when left empty), or the form again naming the field.
fn date_of(
    state: &AppState,
    v: Option<&str>,
    zh: &str,
    en: &str,
    l: Lang,
) -> Result<jiff::civil::Date, Refusal> {
    parse_date_field(state.app.today(), v.unwrap_or(""), zh, en, l).map_err(Refusal::Form)
}

/// Who may take the step, on a complaint they may see: refused (403/404 page) before
/// anything of the form is read.
async fn allowed(
    state: &AppState,
    viewer: &Viewer,
    id: ComplaintId,
    action: Action,
) -> Result<(), WebError> {
    viewer.require(action)?;
    state
        .app
        .complaint_in_scope(&viewer.principal(), id)
        .await
        .map(|_| ())
        .map_err(|e| WebError::app(e, viewer.lang))
}

async fn step(
    state: &AppState,
    viewer: &Viewer,
    id: ComplaintId,
    action: Action,
    headers: &HeaderMap,
    f: StepForm,
    make: impl FnOnce(&StepForm, Lang) -> Result<ComplaintStep, Refusal>,
) -> Response {
    let l = viewer.lang;
    let checked = match allowed(state, viewer, id, action).await {
        Ok(()) => viewer.check_csrf(headers, f.csrf.as_deref()),
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        return html_error(state, viewer, e);
    }
    let kept = Kept {
        date: f.date.clone().unwrap_or_default(),
        rating: f.rating.clone().unwrap_or_default(),
        verdict: f.verdict.clone().unwrap_or_default(),
        text: f.note.clone().unwrap_or_default(),
    };
    let result: Result<(), Refusal> = async {
        let version = version_of(&f, l)?;
        let s = make(&f, l)?;
        state
            .app
            .complaint_step(&viewer.principal(), id, version, s)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    after(state, viewer, id.get(), result, kept).await
}

async fn sign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ComplaintId>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    let on = date_of(
        &state,
        f.date.as_deref(),
        "签收日期",
        "date signed",
        viewer.lang,
    );
    step(
        &state,
        &viewer,
        id,
        Action::AnswerOrders,
        &headers,
        f,
        move |_, _| Ok(ComplaintStep::Sign { on: on? }),
    )
    .await
}

async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ComplaintId>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    let on = date_of(
        &state,
        f.date.as_deref(),
        "办结日期",
        "date closed",
        viewer.lang,
    );
    step(
        &state,
        &viewer,
        id,
        Action::Patrol,
        &headers,
        f,
        move |_, _| Ok(ComplaintStep::Close { on: on? }),
    )
    .await
}

/// 核实: substantiated or unfounded, with what was found.
async fn verify(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ComplaintId>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    let on = date_of(
        &state,
        f.date.as_deref(),
        "核实日期",
        "date verified",
        viewer.lang,
    );
    step(
        &state,
        &viewer,
        id,
        Action::VerifyComplaints,
        &headers,
        f,
        move |f, l| {
            let verdict = f
                .verdict
                .as_deref()
                .and_then(|v| anju_core::oversight::ComplaintVerdict::from_code(v.trim()))
                .ok_or_else(|| {
                    Refusal::Form(
                        l.pick("核实结论：请选择有效或无效", "finding: choose one")
                            .to_string(),
                    )
                })?;
            Ok(ComplaintStep::Verify {
                verdict,
                note: f.note.clone().unwrap_or_default(),
                on: on?,
            })
        },
    )
    .await
}

async fn rate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ComplaintId>,
    headers: HeaderMap,
    Form(f): Form<StepForm>,
) -> Response {
    step(&state, &viewer, id, Action::Patrol, &headers, f, |f, l| {
        let rating = f
            .rating
            .as_deref()
            .map(str::trim)
            .and_then(|r| r.parse::<u32>().ok())
            .ok_or_else(|| {
                Refusal::Form(
                    l.pick("居民评价：请选择 1 到 5 分", "rating: choose 1 to 5")
                        .to_string(),
                )
            })?;
        Ok(ComplaintStep::Rate { rating })
    })
    .await
}

/// The company's 答复: the text, the day, and photos (kept by their hash when the answer is
/// refused, so nothing is uploaded twice).
async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Path(id): Path<ComplaintId>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = allowed(&state, &viewer, id, Action::AnswerOrders).await {
        return html_error(&state, &viewer, e);
    }
    let (fields, files) = match crate::page::read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => {
            return after(
                &state,
                &viewer,
                id.get(),
                Err(Refusal::Form(m)),
                Kept::default(),
            )
            .await;
        }
    };
    let field = |n: &str| crate::page::field(&fields, n);
    if let Err(e) = viewer.check_csrf(&headers, Some(&field("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let kept = Kept {
        date: field("date"),
        text: field("text"),
        ..Kept::default()
    };
    let who = viewer.principal();
    let result: Result<(), Refusal> = async {
        let version = anju_app::check::version(Some(field("version").as_str()))
            .map_err(|e| app_refusal(e, l))?;
        let on = date_of(&state, Some(&field("date")), "答复日期", "date answered", l)?;
        let dir = crate::evidence_dir(ext);
        let mut shas = Vec::new();
        for (_, name, bytes) in &files {
            let e = state
                .app
                .upload_evidence(&who, &dir, name, bytes)
                .await
                .map_err(|e| app_refusal(e, l))?;
            shas.push(e.sha256);
        }
        state
            .app
            .answer_complaint(
                &who,
                id,
                AnswerInput {
                    version,
                    text: field("text"),
                    on,
                    evidence: shas.clone(),
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        if !shas.is_empty() {
            state
                .app
                .attach_complaint_evidence(&who, id, ComplaintStage::Answer, &shas)
                .await
                .map_err(|e| app_refusal(e, l))?;
        }
        Ok(())
    }
    .await;
    after(&state, &viewer, id.get(), result, kept).await
}
