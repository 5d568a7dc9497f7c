//! 物业管理区域 (`/areas`): a street's unmanaged compounds grouped into areas of about 200
//! households (seed 004 三（二）"以200户左右为一个物业管理区域"), proposed with the planner's
//! reasons (`App::plan_areas`), accepted into the ledger by whoever edits it (one audited
//! transaction), and the areas accepted so far with their compounds (`App::management_areas`).
//! The target is the one figure a street changes; the other rules keep their defaults.

use crate::page::{Chrome, Refusal, app_refusal, html_error, street_names};
use crate::{AppState, Viewer, WebError};
use anju_app::areas::AreaPlanInput;
use anju_core::Lang;
use anju_core::access::{Action, can};
use anju_core::planning::AreaRules;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/areas", get(areas_page).post(accept))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct AreaQuery {
    csrf: Option<String>,
    street: Option<String>,
    /// 目标户数 per area.
    target: Option<String>,
}

struct AcceptedView {
    name: String,
    households: i64,
    compounds: i64,
    members: String,
}

struct MemberView {
    name: String,
    community: String,
    households: u32,
    small: bool,
    nearest: String,
}

struct ProposedView {
    name: String,
    households: u32,
    diameter: String,
    community: String,
    members: Vec<MemberView>,
    explanation: Vec<String>,
}

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    chrome: Chrome,
    l: Lang,
    streets: Vec<String>,
    street: String,
    target: String,
    accepted: Vec<AcceptedView>,
    proposed: Vec<ProposedView>,
    summary: String,
    unplaced: Vec<(String, String)>,
    may_accept: bool,
    refused: Option<String>,
    done: Option<String>,
}

/// The target typed, or 200 (seed 004) when empty.
fn target_of(q: &AreaQuery, l: Lang) -> Result<u32, Refusal> {
    Ok(
        crate::page::count_field(q.target.as_deref(), "目标户数", "target households", l)?
            .unwrap_or(AreaRules::default().target_households),
    )
}

async fn areas_html(
    state: &AppState,
    viewer: &Viewer,
    q: &AreaQuery,
    refused: Option<String>,
    done: Option<String>,
) -> Result<Result<String, Refusal>, WebError> {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let who = viewer.principal();
    let streets = street_names(state, viewer).await?;
    let street = match q.street.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.to_string(),
        None => match streets.as_slice() {
            [only] => only.clone(),
            _ => String::new(),
        },
    };
    let target = match target_of(q, l) {
        Ok(t) => t,
        Err(r) => return Ok(Err(r)),
    };
    let mut page = AreasPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("物业管理区域", "Management areas"),
            "/areas",
        ),
        l,
        streets,
        street: street.clone(),
        target: target.to_string(),
        accepted: Vec::new(),
        proposed: Vec::new(),
        summary: String::new(),
        unplaced: Vec::new(),
        may_accept: can(viewer.role, Action::EditCompounds),
        refused,
        done,
    };
    if !street.is_empty() {
        page.may_accept =
            page.may_accept && state.app.whole_street_in_scope(&who, &street).await.is_ok();
        let accepted = match state.app.management_areas(&who, &street, false).await {
            Ok(a) => a,
            Err(e) => return Ok(Err(app_refusal(e, l))),
        };
        page.accepted = accepted
            .into_iter()
            .map(|a| AcceptedView {
                name: a.area.name,
                households: a.area.households,
                compounds: a.area.compounds,
                members: a.members.join("、"),
            })
            .collect();
        let input = AreaPlanInput {
            street: street.clone(),
            rules: AreaRules::with_target(target),
            accept: false,
        };
        let plan = match state.app.plan_areas(&who, input).await {
            Ok(p) => p.plan,
            Err(e) => return Ok(Err(app_refusal(e, l))),
        };
        let s = &plan.spread;
        page.summary = match l {
            Lang::Zh => format!(
                "{} 个无物业小区（{} 户）可分为 {} 个区域，每区 {}–{} 户，平均 {} 户（目标 {} 户，合并后不超过 {} 户）。",
                s.compounds, s.households, s.areas, s.min, s.max, s.mean, target, plan.cap
            ),
            Lang::En => format!(
                "{} unmanaged compounds ({} households) make {} areas of {}–{} households, {} on average (target {}, at most {} after merging).",
                s.compounds, s.households, s.areas, s.min, s.max, s.mean, target, plan.cap
            ),
        };
        page.proposed = plan
            .areas
            .iter()
            .map(|a| ProposedView {
                name: a.name.clone(),
                households: a.households,
                diameter: format!(
                    "{} m",
                    anju_core::money::group_thousands(u64::from(a.diameter_m))
                ),
                community: a.main_community.clone().unwrap_or_default(),
                members: a
                    .members
                    .iter()
                    .map(|m| MemberView {
                        name: m.name.clone(),
                        community: m.community.clone().unwrap_or_default(),
                        households: m.households,
                        small: m.small,
                        nearest: m
                            .nearest
                            .as_ref()
                            .map(|(n, d)| format!("{n} {d} m"))
                            .unwrap_or_default(),
                    })
                    .collect(),
                explanation: a
                    .explanation
                    .iter()
                    .map(|e| e.text(l).to_string())
                    .collect(),
            })
            .collect();
        page.unplaced = plan
            .unplaced
            .iter()
            .map(|u| (u.name.clone(), u.reason.text(l).to_string()))
            .collect();
    }
    Ok(Ok(page.render()?))
}

async fn areas_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AreaQuery>,
) -> Response {
    answer(&state, &viewer, &q, None, None).await
}

/// The page, or the page again with a refusal (422) that names the field.
async fn answer(
    state: &AppState,
    viewer: &Viewer,
    q: &AreaQuery,
    refused: Option<String>,
    done: Option<String>,
) -> Response {
    match areas_html(state, viewer, q, refused, done).await {
        Ok(Ok(h)) => Html(h).into_response(),
        Ok(Err(Refusal::Form(m))) => {
            let bare = AreaQuery {
                street: q.street.clone(),
                ..AreaQuery::default()
            };
            match areas_html(state, viewer, &bare, Some(m), None).await {
                Ok(Ok(h)) => {
                    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response()
                }
                Ok(Err(Refusal::Form(m))) => html_error(state, viewer, WebError::BadRequest(m)),
                Ok(Err(Refusal::Fail(e))) | Err(e) => html_error(state, viewer, e),
            }
        }
        Ok(Err(Refusal::Fail(e))) | Err(e) => html_error(state, viewer, e),
    }
}

/// `POST /areas`: the proposal as shown becomes the street's areas in the ledger.
async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(q): Form<AreaQuery>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) =
        crate::page::action_guard(&viewer, Action::EditCompounds, &headers, q.csrf.as_deref())
    {
        return html_error(&state, &viewer, e);
    }
    let target = match target_of(&q, l) {
        Ok(t) => t,
        Err(Refusal::Form(m)) => return answer(&state, &viewer, &q, Some(m), None).await,
        Err(Refusal::Fail(e)) => return html_error(&state, &viewer, e),
    };
    let input = AreaPlanInput {
        street: q.street.clone().unwrap_or_default(),
        rules: AreaRules::with_target(target),
        accept: true,
    };
    match state.app.plan_areas(&viewer.principal(), input).await {
        Ok(outcome) => {
            let s = outcome.accepted.unwrap_or_default();
            let done = match l {
                Lang::Zh => format!(
                    "已写入台账：新建 {} 个区域，更新 {} 个，撤销 {} 个；{} 个小区的所属区域有变化。",
                    s.areas_created, s.areas_updated, s.areas_archived, s.compounds_changed
                ),
                Lang::En => format!(
                    "Written into the ledger: {} areas new, {} updated, {} withdrawn; {} compounds changed area.",
                    s.areas_created, s.areas_updated, s.areas_archived, s.compounds_changed
                ),
            };
            answer(&state, &viewer, &q, None, Some(done)).await
        }
        Err(e) => match app_refusal(e, l) {
            Refusal::Form(m) => answer(&state, &viewer, &q, Some(m), None).await,
            Refusal::Fail(e) => html_error(&state, &viewer, e),
        },
    }
}
