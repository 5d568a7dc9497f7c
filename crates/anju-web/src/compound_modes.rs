//! 管理方式沿革: a compound's management modes as the ledger dated them, and the form that
//! records the mode it had before the ledger's earliest record (补录此前的管理方式,
//! `App::record_earlier_mode`). A subsidy run judges a compound by the mode in force the day
//! before its policy counts (signing or entry) and, where the history does not reach back that
//! far, says so on the line and points here.

use crate::page::{Chrome, Refusal, app_refusal, visible_compound, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_core::access::Action;
use anju_core::ids::CompoundId;
use anju_core::{Lang, ManagementMode};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/compounds/{id}/modes", get(modes_page).post(modes_submit))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct EarlierForm {
    csrf: Option<String>,
    version: Option<String>,
    mode: Option<String>,
    since: Option<String>,
    reason: Option<String>,
}

struct PeriodRow {
    mode: String,
    since: String,
    until: String,
    actor: String,
}

#[derive(Template)]
#[template(path = "compound_modes.html")]
struct ModesPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    back: String,
    action: String,
    version: i64,
    /// The form, to those who may edit the ledger.
    may_record: bool,
    modes: Vec<(String, String)>,
    kept: EarlierForm,
    refused: Option<String>,
    earliest: Option<String>,
    rows: Vec<PeriodRow>,
}

async fn modes_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    kept: EarlierForm,
    refused: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let c = visible_compound(state, viewer, id).await?;
    let history = state
        .app
        .mode_history(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let earliest = history.first().map(|p| p.since.to_string());
    let rows = history
        .iter()
        .rev()
        .map(|p| PeriodRow {
            mode: p.mode.label(l).to_string(),
            since: p.since.to_string(),
            until: p
                .until
                .map_or_else(|| l.pick("至今", "current").to_string(), |d| d.to_string()),
            actor: p.actor.clone(),
        })
        .collect();
    let page = ModesPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("管理方式沿革", "Mode history"),
            &format!("/compounds/{id}/modes"),
        ),
        l,
        name: c.compound.name.clone(),
        back: with_lang(&format!("/compounds/{id}"), l),
        action: with_lang(&format!("/compounds/{id}/modes"), l),
        version: c.version,
        may_record: anju_core::access::can(viewer.role, Action::EditCompounds),
        modes: ManagementMode::ALL
            .iter()
            .map(|m| (m.code().to_string(), m.label(l).to_string()))
            .collect(),
        kept,
        refused,
        earliest,
        rows,
    };
    Ok(page.render()?)
}

async fn modes_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let html = modes_html(&state, &viewer, id, EarlierForm::default(), None).await;
    crate::page::form_answer(html, false, &state, &viewer)
}

async fn modes_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<EarlierForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = crate::page::form_guard(
        &state,
        &viewer,
        id,
        Action::EditCompounds,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let result: Result<(), Refusal> = async {
        let version = anju_app::check::version(f.version.as_deref())
            .map_err(|e| Refusal::Form(e.message(l)))?;
        let code = f.mode.as_deref().unwrap_or("").trim();
        let mode = ManagementMode::from_code(code).ok_or_else(|| {
            Refusal::Form(l.pick("管理方式：请选择", "Mode: choose one").to_string())
        })?;
        let raw = f.since.as_deref().unwrap_or("").trim();
        if raw.is_empty() {
            return Err(Refusal::Form(
                l.pick("起始日期：请填写", "Start: required").to_string(),
            ));
        }
        let since = crate::page::parse_date_field(state.app.today(), raw, "起始日期", "start", l)
            .map_err(Refusal::Form)?;
        state
            .app
            .record_earlier_mode(
                &viewer.principal(),
                id,
                version,
                mode,
                since,
                f.reason.as_deref().unwrap_or(""),
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    let to = with_lang(&format!("/compounds/{id}/modes"), l);
    crate::page::form_done(&state, &viewer, result, &to, async |m| {
        modes_html(&state, &viewer, id, f, Some(m)).await
    })
    .await
}
