//! 镇街吹哨、部门报到 in the browser: the referrals a reader may see (a department's officer:
//! those made to its department; the overdue first, marked 督办), a referral made from a
//! complaint, an order or a compound page (the department suggested from the duty category),
//! one referral's page with the form its reader may use next (报到; 办结 with the result and
//! photos; 确认 or 退回), and the district's departments with their figures (件数, 按期办结率,
//! 办结天数中位数, 退回重办) and, for the district, their set-up. Every rule is the application
//! layer's (`anju_app::departments`); this module parses the forms and renders. Built for a
//! phone: cards and one-column forms.

use crate::auth::Viewer;
use crate::page::{Chrome, Refusal, app_refusal, html_error, parse_date_field, respond, with_lang};
use crate::{AppState, WebError};
use anju_app::departments::{DepartmentInput, ReferralInput, ReferralStepInput};
use anju_app::model::{EvidenceDir, Referral, ReferralFilter};
use anju_core::access::{Action, Role};
use anju_core::ids::{ComplaintId, CompoundId, DepartmentId, OrderId, ReferralId};
use anju_core::referral::{DEFAULT_DEADLINE_DAYS, ReferralSource, ReferralStatus, ReferralStep};
use anju_core::{Lang, RegionLevel};
use askama::Template;
use axum::Router;
use axum::extract::{Extension, Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/referrals", get(list))
        .route("/referrals/new", get(new_form).post(create))
        .route("/referrals/{id}", get(show))
        .route("/referrals/{id}/step", post(step))
        .route("/departments", get(departments).post(department_add))
        .route("/departments/seed", post(departments_seed))
        .route("/departments/{id}", post(department_update))
}

fn render<T: Template>(page: &T, error: bool) -> Result<(StatusCode, String), WebError> {
    let status = if error {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

/// "85.00 %" or "—".
fn rate_text(r: Option<rust_decimal::Decimal>) -> String {
    r.map(anju_core::fees::percent_text)
        .unwrap_or_else(|| "—".to_string())
}

fn days_text(d: Option<rust_decimal::Decimal>, l: Lang) -> String {
    d.map(|d| format!("{} {}", d.normalize(), l.pick("天", "days")))
        .unwrap_or_else(|| "—".to_string())
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    show: Option<String>,
}

struct Card {
    link: String,
    compound: String,
    department: String,
    category: String,
    status: String,
    due: String,
    overdue: bool,
    text: String,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ListPage {
    chrome: Chrome,
    links: Vec<(String, &'static str, bool)>,
    departments_link: String,
    /// A department's own figures, on its officer's list.
    own: Option<Vec<(&'static str, String)>>,
    overdue: usize,
    cards: Vec<Card>,
}

fn due_text(r: &Referral, l: Lang) -> String {
    match r.status {
        ReferralStatus::Referred | ReferralStatus::Acknowledged | ReferralStatus::Returned => {
            format!("{} {}", l.pick("办理期限", "due"), r.deadline)
        }
        ReferralStatus::Resolved => l.pick("待确认办结", "to confirm").to_string(),
        ReferralStatus::Confirmed => r
            .confirmed_on
            .map(|d| format!("{} {d}", l.pick("确认于", "confirmed on")))
            .unwrap_or_default(),
    }
}

fn figure_facts(
    f: &anju_core::referral::DepartmentFigures,
    l: Lang,
) -> Vec<(&'static str, String)> {
    vec![
        (l.pick("吹哨事项", "Referrals"), f.referrals.to_string()),
        (l.pick("已办结", "Resolved"), f.resolved.to_string()),
        (l.pick("按期办结率", "On time"), rate_text(f.on_time_rate)),
        (
            l.pick("办结天数中位数", "Median days"),
            days_text(f.median_days, l),
        ),
        (l.pick("退回重办", "Sent back"), f.reopened.to_string()),
        (l.pick("在办", "Open"), f.open.to_string()),
        (l.pick("逾期（督办）", "Overdue"), f.overdue.to_string()),
    ]
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Response {
    let l = viewer.lang;
    let r: Result<(StatusCode, String), WebError> = async {
        let who = viewer.principal();
        let show = match q.show.as_deref() {
            Some("overdue") => "overdue",
            Some("all") => "all",
            _ => "open",
        };
        let today = state.app.today();
        let mut referrals = state
            .app
            .referrals(
                &who,
                ReferralFilter {
                    open_only: show != "all",
                    ..ReferralFilter::default()
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?;
        let overdue = referrals.iter().filter(|r| r.overdue(today)).count();
        if show == "overdue" {
            referrals.retain(|r| r.overdue(today));
        }
        let mut cards: Vec<Card> = referrals
            .iter()
            .map(|r| Card {
                link: with_lang(&format!("/referrals/{}", r.id), l),
                compound: r.compound.clone(),
                department: r.department.clone(),
                category: r.category.clone(),
                status: r.status.label(l).to_string(),
                due: due_text(r, l),
                overdue: r.overdue(today),
                text: r.text.chars().take(60).collect(),
            })
            .collect();
        cards.sort_by_key(|c| !c.overdue);
        let own = if viewer.role == Role::Department {
            state
                .app
                .department_figures(&who, None, None)
                .await
                .map_err(|e| WebError::app(e, l))?
                .first()
                .map(|row| figure_facts(&row.figures, l))
        } else {
            None
        };
        let links = [
            ("open", l.pick("在办", "Open")),
            ("overdue", l.pick("逾期（督办）", "Overdue")),
            ("all", l.pick("全部", "All")),
        ]
        .into_iter()
        .map(|(k, label)| {
            (
                with_lang(&format!("/referrals?show={k}"), l),
                label,
                k == show,
            )
        })
        .collect();
        let page = ListPage {
            chrome: Chrome::new(
                &state,
                &viewer,
                l.pick("吹哨报到", "Referrals"),
                "/referrals",
            ),
            links,
            departments_link: with_lang("/departments", l),
            own,
            overdue,
            cards,
        };
        render(&page, false)
    }
    .await;
    respond(&state, &viewer, r)
}

// ---------------------------------------------------------------------------------------------
// A new referral

#[derive(Debug, Default, Clone, Deserialize)]
struct NewForm {
    csrf: Option<String>,
    compound: Option<String>,
    complaint: Option<String>,
    order: Option<String>,
    category: Option<String>,
    department: Option<String>,
    text: Option<String>,
    date: Option<String>,
    days: Option<String>,
}

struct DeptOption {
    id: String,
    label: String,
    duties: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "referral_new.html")]
struct NewPage {
    chrome: Chrome,
    action: String,
    compound: String,
    compound_id: String,
    compound_link: String,
    source_label: String,
    complaint: String,
    order: String,
    categories: Vec<(String, bool)>,
    departments: Vec<DeptOption>,
    form: NewForm,
    today: String,
    error: Option<String>,
}

fn id_in<T: std::str::FromStr>(v: Option<&str>) -> Option<T> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse().ok())
}

async fn new_page(
    state: &AppState,
    viewer: &Viewer,
    mut form: NewForm,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    viewer.require(Action::Refer)?;
    // The compound: given, or the complaint's or the order's.
    let complaint = match id_in::<i64>(form.complaint.as_deref()) {
        Some(id) => Some(
            state
                .app
                .complaint_in_scope(&who, ComplaintId(id))
                .await
                .map_err(app_err)?,
        ),
        None => None,
    };
    let order = match id_in::<i64>(form.order.as_deref()) {
        Some(id) => Some(
            state
                .app
                .order_in_scope(&who, OrderId(id))
                .await
                .map_err(app_err)?,
        ),
        None => None,
    };
    let compound_id = complaint
        .as_ref()
        .map(|c| c.compound_id)
        .or(order.as_ref().map(|o| o.compound_id))
        .or_else(|| id_in::<i64>(form.compound.as_deref()))
        .ok_or_else(|| {
            WebError::app(
                anju_app::AppError::field(
                    "compound",
                    "小区",
                    "请从小区页、投诉或整改单发起吹哨",
                    "start a referral from a compound, a complaint or an order",
                ),
                l,
            )
        })?;
    let compound = state
        .app
        .compound_in_scope(&who, CompoundId(compound_id))
        .await
        .map_err(app_err)?;
    if form.text.as_deref().is_none_or(|t| t.trim().is_empty()) {
        form.text = complaint
            .as_ref()
            .map(|c| c.text.clone())
            .or(order.as_ref().map(|o| o.description.clone()));
    }
    let chosen = form.category.clone().unwrap_or_default();
    let categories = state
        .app
        .referral_categories(&who)
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|c| {
            let sel = c == chosen;
            (c, sel)
        })
        .collect();
    let suggested: Vec<i64> = if chosen.trim().is_empty() {
        Vec::new()
    } else {
        state
            .app
            .suggest_departments(&who, CompoundId(compound_id), &chosen)
            .await
            .map_err(app_err)?
            .into_iter()
            .map(|d| d.id)
            .collect()
    };
    let chosen_dept = form
        .department
        .clone()
        .filter(|d| !d.trim().is_empty())
        .or_else(|| suggested.first().map(i64::to_string))
        .unwrap_or_default();
    let mut departments: Vec<(bool, DeptOption)> = state
        .app
        .compound_departments(&who, CompoundId(compound_id))
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|d| {
            let is_suggested = suggested.contains(&d.id);
            (
                !is_suggested,
                DeptOption {
                    id: d.id.to_string(),
                    label: if is_suggested {
                        format!("{}{}", d.name, l.pick("（推荐）", " (suggested)"))
                    } else {
                        d.name.clone()
                    },
                    duties: d.duties.join("|"),
                    selected: d.id.to_string() == chosen_dept,
                },
            )
        })
        .collect();
    departments.sort_by_key(|(later, _)| *later);
    let today = state.app.today();
    let source_label = match (&complaint, &order) {
        (Some(c), _) => format!("{} #{} · {}", l.pick("投诉", "complaint"), c.id, c.category),
        (_, Some(o)) => format!("{} #{}", l.pick("整改单", "order"), o.id),
        _ => l.pick("巡查或走访发现", "a finding").to_string(),
    };
    let page = NewPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {}", compound.compound.name, l.pick("吹哨", "Refer")),
            "/referrals/new",
        ),
        action: with_lang("/referrals/new", l),
        compound: compound.compound.name.clone(),
        compound_id: compound_id.to_string(),
        compound_link: with_lang(&format!("/compounds/{compound_id}"), l),
        source_label,
        complaint: complaint.map(|c| c.id.to_string()).unwrap_or_default(),
        order: order.map(|o| o.id.to_string()).unwrap_or_default(),
        categories,
        departments: departments.into_iter().map(|(_, d)| d).collect(),
        form: NewForm {
            date: form
                .date
                .clone()
                .filter(|d| !d.is_empty())
                .or(Some(today.to_string())),
            days: form
                .days
                .clone()
                .filter(|d| !d.is_empty())
                .or(Some(DEFAULT_DEADLINE_DAYS.to_string())),
            ..form
        },
        today: today.to_string(),
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(f): Query<NewForm>,
) -> Response {
    let r = new_page(&state, &viewer, f, None).await;
    respond(&state, &viewer, r)
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<NewForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer
        .require(Action::Refer)
        .and_then(|()| viewer.check_csrf(&headers, f.csrf.as_deref()))
    {
        return html_error(&state, &viewer, e);
    }
    let who = viewer.principal();
    let result: Result<i64, Refusal> = async {
        let compound_id = id_in::<i64>(f.compound.as_deref()).ok_or_else(|| {
            Refusal::Form(l.pick("小区：缺少小区", "compound: missing").to_string())
        })?;
        let department_id = id_in::<i64>(f.department.as_deref()).ok_or_else(|| {
            Refusal::Form(
                l.pick("职能部门：请选择", "department: choose one")
                    .to_string(),
            )
        })?;
        let on = parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "吹哨日期",
            "date referred",
            l,
        )
        .map_err(Refusal::Form)?;
        let days = match f.days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => Some(d.parse::<u32>().map_err(|_| {
                Refusal::Form(
                    l.pick(
                        "办理时限（工作日）：请填 1 到 60 的整数",
                        "working days: a whole number from 1 to 60",
                    )
                    .to_string(),
                )
            })?),
        };
        let (source, source_id) = match (
            id_in::<i64>(f.complaint.as_deref()),
            id_in::<i64>(f.order.as_deref()),
        ) {
            (Some(c), _) => (ReferralSource::Complaint, Some(c)),
            (_, Some(o)) => (ReferralSource::Order, Some(o)),
            _ => (ReferralSource::Finding, None),
        };
        let r = state
            .app
            .refer(
                &who,
                ReferralInput {
                    compound_id: CompoundId(compound_id),
                    department_id: DepartmentId(department_id),
                    source,
                    source_id,
                    category: f.category.clone().unwrap_or_default(),
                    text: f.text.clone().unwrap_or_default(),
                    referred_on: on,
                    working_days: days,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(r.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&with_lang(&format!("/referrals/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => {
            let r = new_page(&state, &viewer, f, Some(m)).await;
            respond(&state, &viewer, r)
        }
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// One referral

#[derive(Debug, Default, Clone)]
struct Kept {
    step: String,
    date: String,
    note: String,
    /// Files already uploaded with a refused 办结: (SHA-256, name), sent again as `kept`.
    files: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ShowPage {
    chrome: Chrome,
    action: String,
    version: i64,
    compound: String,
    compound_link: String,
    source_link: Option<(String, String)>,
    facts: Vec<(&'static str, String)>,
    text: String,
    result: Option<String>,
    return_reason: Option<String>,
    steps: Vec<(String, String, String, String)>,
    files: Vec<(String, String)>,
    /// Steps the reader may take: (code, button label, note label, note required).
    may: Vec<(&'static str, &'static str, &'static str, bool)>,
    kept: Kept,
    today: String,
    error: Option<String>,
}

fn step_label(code: &str, l: Lang) -> String {
    if code == "refer" {
        return l.pick("吹哨", "referred").to_string();
    }
    ReferralStep::from_code(code)
        .map(|s| s.label(l).to_string())
        .unwrap_or_else(|| code.to_string())
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    id: ReferralId,
    kept: Kept,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let d = state
        .app
        .referral_detail(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let r = &d.referral;
    let today = state.app.today();
    let dash = || "—".to_string();
    let date_or = |x: Option<jiff::civil::Date>| x.map(|x| x.to_string()).unwrap_or_else(dash);
    let facts = vec![
        (l.pick("状态", "Status"), r.status.label(l).to_string()),
        (l.pick("职能部门", "Department"), r.department.clone()),
        (l.pick("职责类别", "Category"), r.category.clone()),
        (l.pick("来源", "Source"), r.source.label(l).to_string()),
        (
            l.pick("吹哨", "Referred"),
            format!("{} · {}", r.referred_on, r.referred_by),
        ),
        (
            l.pick("办理期限", "Due"),
            format!(
                "{}（{} {}）{}",
                r.deadline,
                r.working_days,
                l.pick("个工作日", "working days"),
                if r.overdue(today) {
                    l.pick(" 已逾期，区级督办", " overdue, escalated to the district")
                } else {
                    ""
                }
            ),
        ),
        (l.pick("报到", "Acknowledged"), date_or(r.acknowledged_on)),
        (
            l.pick("首次办结", "First resolved"),
            date_or(r.first_resolved_on),
        ),
        (
            l.pick("退回重办次数", "Times sent back"),
            r.returns.to_string(),
        ),
        (l.pick("确认办结", "Confirmed"), date_or(r.confirmed_on)),
    ];
    let source_link = match (r.source, r.source_id) {
        (ReferralSource::Complaint, Some(c)) => Some((
            with_lang(&format!("/complaints/{c}"), l),
            format!("{} #{c}", l.pick("投诉", "complaint")),
        )),
        _ => None,
    };
    let steps = d
        .steps
        .iter()
        .map(|s| {
            (
                s.on.to_string(),
                step_label(&s.step, l),
                s.by.clone(),
                s.note.clone().unwrap_or_default(),
            )
        })
        .collect();
    let files = d
        .evidence
        .iter()
        .map(|sha| {
            (
                format!("/evidence/{sha}?compound={}", r.compound_id),
                format!("{}…", sha.chars().take(12).collect::<String>()),
            )
        })
        .collect();
    let writer = viewer.role != Role::Auditor;
    let may = d
        .may
        .iter()
        .filter(|_| writer)
        .map(|s| match s {
            ReferralStep::Acknowledge => (
                "acknowledge",
                l.pick("报到（签收）", "Acknowledge"),
                l.pick("备注（可不填）", "Note (optional)"),
                false,
            ),
            ReferralStep::Resolve => (
                "resolve",
                l.pick("办结", "Resolve"),
                l.pick(
                    "办理结果（做了什么、结果如何）",
                    "What was done and the outcome",
                ),
                true,
            ),
            ReferralStep::Confirm => (
                "confirm",
                l.pick("确认办结", "Confirm"),
                l.pick("备注（可不填）", "Note (optional)"),
                false,
            ),
            ReferralStep::Return => (
                "return",
                l.pick("退回重办", "Send back"),
                l.pick("退回理由（哪里没办好）", "Why it is sent back"),
                true,
            ),
        })
        .collect();
    let page = ShowPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {} #{}",
                r.compound,
                l.pick("吹哨事项", "referral"),
                r.id
            ),
            &format!("/referrals/{id}"),
        ),
        action: with_lang(&format!("/referrals/{id}/step"), l),
        version: r.version,
        compound: r.compound.clone(),
        compound_link: with_lang(&format!("/compounds/{}", r.compound_id), l),
        source_link,
        facts,
        text: r.text.clone(),
        result: r.result.clone(),
        return_reason: r.return_reason.clone().filter(|_| r.returns > 0),
        steps,
        files,
        may,
        kept: Kept {
            date: if kept.date.is_empty() {
                today.to_string()
            } else {
                kept.date
            },
            ..kept
        },
        today: today.to_string(),
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ReferralId>,
) -> Response {
    let r = show_page(&state, &viewer, id, Kept::default(), None).await;
    respond(&state, &viewer, r)
}

/// A step from the referral's page: the step, the day, the note and (办结) photos, kept by
/// their hash when the step is refused so nothing is uploaded twice.
async fn step(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Path(id): Path<ReferralId>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let who = viewer.principal();
    if let Err(e) = state.app.referral(&who, id).await {
        return html_error(&state, &viewer, WebError::app(e, l));
    }
    let (fields, files) = match crate::page::read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => {
            let r = show_page(&state, &viewer, id, Kept::default(), Some(m)).await;
            return respond(&state, &viewer, r);
        }
    };
    let field = |n: &str| crate::page::field(&fields, n);
    if let Err(e) = viewer.check_csrf(&headers, Some(&field("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let mut kept = Kept {
        step: field("step"),
        date: field("date"),
        note: field("note"),
        files: Vec::new(),
    };
    // Files kept from an earlier refused attempt (by hash), then this attempt's uploads: a
    // refused step shows them again, so nothing is uploaded twice.
    let kept_shas: Vec<String> = fields.get("kept").cloned().unwrap_or_default();
    match state.app.kept_files(&kept_shas).await {
        Ok(f) => kept.files = f,
        Err(e) => return html_error(&state, &viewer, WebError::app(e, l)),
    }
    let Some(s) = ReferralStep::from_code(&field("step")) else {
        let r = show_page(
            &state,
            &viewer,
            id,
            kept,
            Some(l.pick("请选择要办理的步骤", "choose a step").to_string()),
        )
        .await;
        return respond(&state, &viewer, r);
    };
    let action = match s.side() {
        anju_core::referral::Side::Department => Action::RespondReferrals,
        anju_core::referral::Side::Referrer => Action::Refer,
    };
    if let Err(e) = viewer.require(action) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let kept = &mut kept;
        let version = anju_app::check::version(Some(field("version").as_str()))
            .map_err(|e| app_refusal(e, l))?;
        let on = parse_date_field(state.app.today(), &field("date"), "办理日期", "date", l)
            .map_err(Refusal::Form)?;
        if s == ReferralStep::Resolve {
            let dir = crate::evidence_dir(ext);
            for (_, name, bytes) in &files {
                let e = state
                    .app
                    .upload_evidence(&who, &dir, name, bytes)
                    .await
                    .map_err(|e| app_refusal(e, l))?;
                if !kept.files.iter().any(|(h, _)| *h == e.sha256) {
                    kept.files.push((e.sha256, e.original_name));
                }
            }
        }
        let shas: Vec<String> = kept.files.iter().map(|(h, _)| h.clone()).collect();
        state
            .app
            .referral_step(
                &who,
                id,
                ReferralStepInput {
                    step: s,
                    on,
                    note: Some(field("note")),
                    evidence: shas,
                    version,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/referrals/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => {
            let r = show_page(&state, &viewer, id, kept, Some(m)).await;
            respond(&state, &viewer, r)
        }
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Departments

struct DeptRow {
    version: i64,
    name: String,
    district: String,
    clause: String,
    duties: String,
    active: bool,
    facts: Vec<(&'static str, String)>,
    update_action: String,
    /// A refused edit of this department: its form open with what was typed.
    open: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct DeptForm {
    csrf: Option<String>,
    district: Option<String>,
    name: Option<String>,
    duties: Option<String>,
    version: Option<String>,
    active: Option<String>,
}

#[derive(Template)]
#[template(path = "departments.html")]
struct DeptPage {
    chrome: Chrome,
    rows: Vec<DeptRow>,
    manage: bool,
    districts: Vec<(String, String, bool)>,
    add_action: String,
    seed_action: String,
    form: DeptForm,
    error: Option<String>,
}

/// Duties as typed: separated by commas (either width), 、 or new lines.
fn duties_of(s: &str) -> Vec<String> {
    s.split([',', '，', '、', '\n', ';', '；'])
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect()
}

async fn dept_page(
    state: &AppState,
    viewer: &Viewer,
    form: DeptForm,
    error: Option<String>,
    edit: Option<(i64, DeptForm)>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    let rows = state
        .app
        .department_figures(&who, None, None)
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|row| {
            let d = row.department;
            let typed = edit.as_ref().filter(|(id, _)| *id == d.id).map(|(_, f)| f);
            DeptRow {
                version: d.version,
                update_action: with_lang(&format!("/departments/{}", d.id), l),
                open: typed.is_some(),
                name: typed.and_then(|f| f.name.clone()).unwrap_or(d.name),
                district: d.district,
                clause: d
                    .clause
                    .map(|c| format!("{}{c}", l.pick("依据山亭区实施方案 ", "seed 003 ")))
                    .unwrap_or_default(),
                duties: typed
                    .and_then(|f| f.duties.clone())
                    .unwrap_or_else(|| d.duties.join("、")),
                active: typed.map_or(d.active, |f| f.active.as_deref() == Some("1")),
                facts: figure_facts(&row.figures, l),
            }
        })
        .collect();
    let manage = viewer.require(Action::ManageDepartments).is_ok();
    let chosen = form.district.clone().unwrap_or_default();
    let districts = if manage {
        state
            .app
            .regions(&who)
            .await
            .map_err(app_err)?
            .into_iter()
            .filter(|r| r.level == RegionLevel::District)
            .map(|r| {
                let id = r.id.to_string();
                let sel = id == chosen;
                (id, r.name, sel)
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = DeptPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("职能部门", "Departments"),
            "/departments",
        ),
        rows,
        manage,
        districts,
        add_action: with_lang("/departments", l),
        seed_action: with_lang("/departments/seed", l),
        form,
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn departments(State(state): State<AppState>, viewer: Viewer) -> Response {
    let r = dept_page(&state, &viewer, DeptForm::default(), None, None).await;
    respond(&state, &viewer, r)
}

async fn dept_after(
    state: &AppState,
    viewer: &Viewer,
    result: Result<(), anju_app::AppError>,
    form: DeptForm,
    edit: Option<(i64, DeptForm)>,
) -> Response {
    let l = viewer.lang;
    match result {
        Ok(()) => Redirect::to(&with_lang("/departments", l)).into_response(),
        Err(e) => match app_refusal(e, l) {
            Refusal::Form(m) => {
                let r = dept_page(state, viewer, form, Some(m), edit).await;
                respond(state, viewer, r)
            }
            Refusal::Fail(e) => html_error(state, viewer, e),
        },
    }
}

fn guard(viewer: &Viewer, headers: &HeaderMap, f: &DeptForm) -> Result<(), WebError> {
    viewer.require(Action::ManageDepartments)?;
    viewer.check_csrf(headers, f.csrf.as_deref())
}

fn district_of(f: &DeptForm) -> Result<i64, anju_app::AppError> {
    id_in::<i64>(f.district.as_deref())
        .ok_or_else(|| anju_app::AppError::field("district", "所属区", "请选择", "choose one"))
}

async fn department_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<DeptForm>,
) -> Response {
    if let Err(e) = guard(&viewer, &headers, &f) {
        return html_error(&state, &viewer, e);
    }
    let result = async {
        let district_id = district_of(&f)?;
        state
            .app
            .add_department(
                &viewer.principal(),
                DepartmentInput {
                    district_id,
                    name: f.name.clone().unwrap_or_default(),
                    duties: duties_of(f.duties.as_deref().unwrap_or("")),
                    active: true,
                },
            )
            .await
            .map(drop)
    }
    .await;
    dept_after(&state, &viewer, result, f, None).await
}

async fn departments_seed(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<DeptForm>,
) -> Response {
    if let Err(e) = guard(&viewer, &headers, &f) {
        return html_error(&state, &viewer, e);
    }
    let result = async {
        let district_id = district_of(&f)?;
        state
            .app
            .seed_departments(&viewer.principal(), district_id)
            .await
            .map(drop)
    }
    .await;
    dept_after(&state, &viewer, result, f, None).await
}

async fn department_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<DepartmentId>,
    headers: HeaderMap,
    Form(f): Form<DeptForm>,
) -> Response {
    if let Err(e) = guard(&viewer, &headers, &f) {
        return html_error(&state, &viewer, e);
    }
    let who = viewer.principal();
    let result = async {
        let version = anju_app::check::version(f.version.as_deref())?;
        let before = state.app.department(&who, id).await?;
        state
            .app
            .update_department(
                &who,
                id,
                version,
                DepartmentInput {
                    district_id: before.district_id,
                    name: f.name.clone().unwrap_or_default(),
                    duties: duties_of(f.duties.as_deref().unwrap_or("")),
                    active: f.active.as_deref() == Some("1"),
                },
            )
            .await
            .map(drop)
    }
    .await;
    dept_after(
        &state,
        &viewer,
        result,
        DeptForm::default(),
        Some((id.get(), f)),
    )
    .await
}
