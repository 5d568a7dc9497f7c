//! 风险线索 — the fraud signals (issue 7, part 5; seeds 000 and 002 warn against 虚报、套取、
//! 挪用) for the housing authority and the auditor only (and the administrator): everyone else
//! gets 403. Filter by kind and street; each signal shows its evidence and links to the
//! compound(s). The rules are `anju_core::signals`; the facts come from the store as for
//! `anju signals`. A housing authority account bounded to a district or street sees that area.

use crate::page::{Chrome, html_error, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::model::SignalScope;
use anju_core::Lang;
use anju_core::signals::SignalKind;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/signals", get(signals_page))
}

#[derive(Debug, Default, Deserialize)]
struct SignalQuery {
    kind: Option<String>,
    street: Option<String>,
}

struct SignalRow {
    kind: String,
    severity: String,
    high: bool,
    street: String,
    company: String,
    compounds: Vec<(String, String)>,
    evidence: String,
}

#[derive(Template)]
#[template(path = "signals.html")]
struct SignalsPage {
    chrome: Chrome,
    l: Lang,
    kinds: Vec<(String, String)>,
    kind: String,
    street: String,
    rows: Vec<SignalRow>,
    claims_available: bool,
}

async fn signals_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<SignalQuery>,
) -> Response {
    match signals_html(&state, &viewer, &q).await {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn signals_html(
    state: &AppState,
    viewer: &Viewer,
    q: &SignalQuery,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let street = q
        .street
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let scope = SignalScope {
        street: street.clone(),
        district: None,
    };
    let kind = q
        .kind
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            SignalKind::parse(s).ok_or_else(|| {
                WebError::BadRequest(match l {
                    Lang::Zh => format!("类型：“{s}”不认识"),
                    Lang::En => format!("Kind: '{s}' is not known"),
                })
            })
        })
        .transpose()?;
    let kinds: Vec<SignalKind> = kind.into_iter().collect();
    let (signals, claims_available) = state
        .app
        .signals(&viewer.principal(), scope.clone(), &kinds, None)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let rows = signals
        .iter()
        .map(|s| {
            let names: Vec<&str> = s.compound.split('、').collect();
            SignalRow {
                kind: s.kind.label(l).to_string(),
                severity: s.severity.label(l).to_string(),
                high: s.severity == anju_core::signals::Severity::High,
                street: s.street.clone(),
                company: s.company.clone().unwrap_or_default(),
                compounds: s
                    .compound_ids
                    .iter()
                    .enumerate()
                    .map(|(i, id)| {
                        (
                            with_lang(&format!("/compounds/{id}"), l),
                            names
                                .get(i)
                                .map(|n| n.to_string())
                                .unwrap_or_else(|| format!("#{id}")),
                        )
                    })
                    .collect(),
                evidence: s.evidence(l).to_string(),
            }
        })
        .collect();
    let mut here = "/signals".to_string();
    if let Some(k) = kind {
        here = format!("/signals?kind={}", k.code());
    }
    let page = SignalsPage {
        chrome: Chrome::new(state, viewer, l.pick("风险线索", "Fraud signals"), &here),
        l,
        kinds: SignalKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label(l).to_string()))
            .collect(),
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        street: scope.street.unwrap_or_default(),
        rows,
        claims_available,
    };
    Ok(page.render()?)
}
