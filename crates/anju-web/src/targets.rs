//! 目标 — each street's dated targets (`/targets`) with their progress computed from the
//! lifecycle (`anju_core::targets::progress` through `App::target_progress`, as `anju targets`
//! prints it), and the form that adds one (`App::add_target`). A refused form comes back with
//! what was typed kept.

use crate::page::{
    Chrome, Kept, Refusal, app_refusal, form_page, html_error, need, opt_date, street_names,
    with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::tasks::TargetInput;
use anju_core::Lang;
use anju_core::access::{Action, can};
use anju_core::targets::{TargetKind, TargetStatus};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/targets", get(targets_page).post(add_target))
        .route("/targets/preset", axum::routing::post(add_preset))
}

struct TargetRow {
    label: String,
    kind: String,
    share: u32,
    due: String,
    baseline: String,
    required: u32,
    achieved: u32,
    percent: String,
    achieved_by_due: u32,
    status: String,
    status_code: &'static str,
    overdue: bool,
    missing: Vec<(String, String)>,
    missing_more: usize,
}

struct StreetTargets {
    street: String,
    rows: Vec<TargetRow>,
}

#[derive(Template)]
#[template(path = "targets.html")]
struct TargetsPage {
    chrome: Chrome,
    l: Lang,
    as_of: String,
    streets: Vec<StreetTargets>,
    street_names: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    kept: Kept,
    error: Option<String>,
    action: String,
    /// The presets offered: code, title, and the targets each sets.
    presets: Vec<(&'static str, &'static str, Vec<String>)>,
    preset_action: String,
    preset_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct TargetQuery {
    as_of: Option<String>,
}

async fn targets_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<TargetQuery>,
) -> Response {
    let as_of = match q.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => state.app.today(),
        Some(s) => match s.parse() {
            Ok(d) => d,
            Err(_) => {
                return WebError::BadRequest(format!("as_of：“{s}”不是有效日期")).into_response();
            }
        },
    };
    match targets_html(&state, &viewer, as_of, Kept::default(), None).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

const MISSING_SHOWN: usize = 20;

async fn targets_html(
    state: &AppState,
    viewer: &Viewer,
    as_of: jiff::civil::Date,
    kept: Kept,
    error: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let names = street_names(state, viewer).await?;
    let mut streets = Vec::new();
    for street in &names {
        let ps = state
            .app
            .target_progress(&viewer.principal(), street, as_of)
            .await
            .map_err(|e| WebError::app(e, l))?;
        if ps.is_empty() {
            continue;
        }
        let rows = ps
            .into_iter()
            .map(|p| {
                let overdue = p.status == TargetStatus::Overdue;
                TargetRow {
                    label: p.target.label.clone(),
                    kind: l.pick(p.target.kind.zh(), p.target.kind.en()).to_string(),
                    share: p.target.share_percent,
                    due: p.target.due.to_string(),
                    baseline: format!("{}（{}）", p.baseline, p.target.baseline_on),
                    required: p.required,
                    achieved: p.achieved,
                    percent: format!("{} %", p.percent),
                    achieved_by_due: p.achieved_by_due,
                    status: l.pick(p.status.zh(), p.status.en()).to_string(),
                    status_code: match p.status {
                        TargetStatus::Met => "met",
                        TargetStatus::OnTrack => "on_track",
                        TargetStatus::MetLate => "met_late",
                        TargetStatus::Overdue => "overdue",
                    },
                    overdue,
                    missing_more: p.missing.len().saturating_sub(MISSING_SHOWN),
                    missing: if overdue {
                        p.missing
                            .iter()
                            .take(MISSING_SHOWN)
                            .map(|(id, n)| (with_lang(&format!("/compounds/{id}"), l), n.clone()))
                            .collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        streets.push(StreetTargets {
            street: street.clone(),
            rows,
        });
    }
    Ok(TargetsPage {
        chrome: Chrome::new(state, viewer, l.pick("目标", "Targets"), "/targets"),
        l,
        as_of: as_of.to_string(),
        streets,
        street_names: names,
        kinds: TargetKind::ALL
            .iter()
            .map(|k| (k.code(), l.pick(k.zh(), k.en())))
            .collect(),
        can_manage: can(viewer.role, Action::ManageTasks),
        presets: anju_app::tasks::TARGET_PRESETS
            .iter()
            .filter_map(|code| {
                let (targets, zh, en) = anju_app::tasks::preset_targets(code, "")?;
                let lines = targets
                    .iter()
                    .map(|t| match l {
                        Lang::Zh => format!(
                            "{}（{}，基数日期 {}，期限 {}）",
                            t.label,
                            t.kind.zh(),
                            t.baseline_on,
                            t.due
                        ),
                        Lang::En => format!(
                            "{} % {} by {} (baseline {})",
                            t.share_percent,
                            t.kind.en(),
                            t.due,
                            t.baseline_on
                        ),
                    })
                    .collect();
                Some((*code, l.pick(zh, en), lines))
            })
            .collect(),
        preset_action: with_lang("/targets/preset", l),
        preset_error: error.clone().filter(|_| kept.is("preset")),
        error: error.filter(|_| !kept.is("preset")),
        kept,
        action: with_lang("/targets", l),
    }
    .render()?)
}

/// `POST /targets/preset`: a street's targets as a document sets them
/// (`App::add_preset_targets`).
async fn add_preset(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let kept = Kept::new("preset", fields);
    if let Err(e) = viewer
        .require(Action::ManageTasks)
        .and_then(|()| viewer.check_csrf(&headers, Some(kept.get("csrf"))))
    {
        return html_error(&state, &viewer, e);
    }
    let done = state
        .app
        .add_preset_targets(&viewer.principal(), kept.get("street"), kept.get("preset"))
        .await
        .map_err(|e| app_refusal(e, l));
    match done {
        Ok(_) => Redirect::to(&with_lang("/targets", l)).into_response(),
        Err(Refusal::Form(m)) => form_page(
            targets_html(&state, &viewer, state.app.today(), kept, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

async fn add_target(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let kept = Kept::new("target", fields);
    if let Err(e) = viewer
        .require(Action::ManageTasks)
        .and_then(|()| viewer.check_csrf(&headers, Some(kept.get("csrf"))))
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let kind = match kept.get("kind").trim() {
            "" => None,
            k => Some(TargetKind::from_code(k).ok_or_else(|| need(l, "目标类型", "kind"))?),
        };
        let share = match kept.get("share").trim() {
            "" => None,
            v => Some(v.parse::<i64>().map_err(|_| {
                Refusal::Form(match l {
                    Lang::Zh => format!("目标比例：“{v}”不是 1 至 100 的整数"),
                    Lang::En => format!("share: '{v}' is not a whole number 1–100"),
                })
            })?),
        };
        let input = TargetInput {
            street: kept.get("street").to_string(),
            kind,
            share,
            due: opt_date(kept.get("due"), "目标期限", "due date", l)?,
            baseline_on: opt_date(kept.get("baseline"), "基数日期", "baseline date", l)?,
            label: Some(kept.get("label").to_string()),
        };
        state
            .app
            .add_target(&viewer.principal(), input)
            .await
            .map(|_| ())
            .map_err(|e| app_refusal(e, l))
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang("/targets", l)).into_response(),
        Err(Refusal::Form(m)) => form_page(
            targets_html(&state, &viewer, state.app.today(), kept, Some(m)).await,
            &state,
            &viewer,
        ),
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}
