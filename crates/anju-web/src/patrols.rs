//! 巡查与整改 — patrol entry with photos, and the rectification orders it opens.
//!
//! - `/patrols/new?compound=ID`, `/patrols/{id}`: findings (environment, facilities, order,
//!   safety) with photos, each optionally a rectification order with a deadline; the company
//!   answers its own orders with evidence (`/orders/{id}/answer`); the street closes or reopens;
//!   overdue flagged.
//!
//! Every POST checks the role, the compound's scope and the CSRF token before anything is
//! written; a refused form comes back (422) with the field named and what was typed kept.
//! Uploads go through the store's evidence functions (20 MiB, type by magic bytes), stored
//! before the record is tried so a refused form never loses a photo.

use crate::page::{
    BODY_LIMIT, Chrome, CompoundQuery, MAX_FILES, Refusal, app_refusal, field, html_error,
    need_compound, read_multipart, render_page, store_uploads, visible_compound, with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{
    EvidenceDir, OrderFilter, Patrol, RectificationOrder, StoreError, StoredCompound,
};
use anju_core::Lang;
use anju_core::access::{Action, Role};
use anju_core::oversight::{FindingCategory, OrderStatus, PatrolKind};
use anju_core::{CompoundId, OrderId, PatrolId};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
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
    l: Lang,
) -> Result<Vec<anju_app::oversight::FindingInput>, String> {
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
            Some(d)
        } else {
            None
        };
        out.push(anju_app::oversight::FindingInput {
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
        let findings = findings_of(&input, l).map_err(Refusal::Form)?;
        let p = state
            .app
            .add_patrol(
                &viewer.principal(),
                anju_app::oversight::PatrolInput {
                    compound_id: CompoundId(c.id),
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
    Path(id): Path<PatrolId>,
) -> Response {
    let r: Result<Response, WebError> = async {
        let p = state
            .app
            .patrol(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, viewer.lang))?;
        let c = visible_compound(&state, &viewer, CompoundId(p.compound_id)).await?;
        Ok(patrol_page(&state, &viewer, p, &c, (0, String::new()), None).await)
    }
    .await;
    r.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

/// A photo of a patrol's findings or of the answers to its orders.
#[derive(Debug, Default, serde::Deserialize)]
struct PhotoQuery {
    /// Any value: the photo's thumbnail ([`crate::thumbs`]).
    thumb: Option<String>,
}

async fn patrol_photo(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Path((id, sha)): Path<(PatrolId, String)>,
    axum::extract::Query(q): axum::extract::Query<PhotoQuery>,
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
        let dir = crate::evidence_dir(ext);
        if q.thumb.is_some() {
            return crate::thumbs::answer(dir, e).await.ok_or_else(not_found);
        }
        let bytes = tokio::fs::read(dir.path_of(&e))
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
    id: OrderId,
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
    Path(id): Path<OrderId>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let pre: Result<(RectificationOrder, Patrol, StoredCompound), WebError> = async {
        viewer.require(Action::AnswerOrders)?;
        // Another company's order is outside this company's scope: the app refuses it here.
        order_context(&state, &viewer, id).await
    }
    .await;
    let (_, p, c) = match pre {
        Ok(x) => x,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let (fields, files) = match read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => {
            return patrol_page(&state, &viewer, p, &c, (id.get(), String::new()), Some(m)).await;
        }
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
        Err(Refusal::Form(m)) => {
            patrol_page(&state, &viewer, p, &c, (id.get(), text), Some(m)).await
        }
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
    id: OrderId,
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
            patrol_page(state, viewer, p, &c, (id.get(), String::new()), Some(m)).await
        }
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

async fn order_close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrderId>,
    headers: HeaderMap,
    Form(f): Form<OrderStepForm>,
) -> Response {
    order_street_step(&state, &viewer, id, &headers, f, false).await
}

async fn order_reopen(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OrderId>,
    headers: HeaderMap,
    Form(f): Form<OrderStepForm>,
) -> Response {
    order_street_step(&state, &viewer, id, &headers, f, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_with_an_order_needs_a_deadline() {
        // (That the deadline is not before the patrol is the application layer's rule.)
        let mut input = PatrolInput::default();
        input.findings.push(FindingInput {
            category: "safety".into(),
            description: "消防通道堵塞".into(),
            order: true,
            deadline: String::new(),
            kept: vec![],
        });
        let e = findings_of(&input, Lang::Zh).expect_err("no deadline");
        assert!(e.contains("问题 1") && e.contains("整改期限"), "{e}");
        input.findings[0].deadline = "2026-11-20".into();
        let f = findings_of(&input, Lang::Zh).expect("valid");
        assert_eq!(f[0].order_deadline, Some(jiff::civil::date(2026, 11, 20)));
        // Blank blocks are skipped.
        input.findings.push(FindingInput::default());
        assert_eq!(findings_of(&input, Lang::Zh).expect("valid").len(), 1);
    }
}
