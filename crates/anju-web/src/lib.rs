//! Anju's web application. Until the web-app issue lands this serves the ledger page (台账),
//! the coverage figures, and a small JSON API; every page calls the same store and core
//! functions as the CLI.
//!
//! Invariant: only this crate knows HTML and HTTP.

mod account;
pub mod api;
#[cfg(test)]
mod api_doc_tests;
mod areas_web;
mod assessments;
mod audit_labels;
mod audit_view;
pub mod auth;
mod browser_errors;
mod budget_web;
mod charts;
mod companies;
mod company_new;
mod complaint_new;
mod complaints_web;
mod compound;
mod compound_edit;
mod compound_modes;
mod compound_money;
mod contracts_web;
pub mod dashboard;
mod error;
mod evaluator_fees_web;
mod fees_import;
mod filings_web;
mod fund_web;
mod funding;
pub mod guard;
mod holidays_web;
mod inbox;
mod ledger;
pub mod map_web;
mod organisation_web;
mod owners_bodies_web;
mod owners_share_web;
mod page;
mod params;
mod party_web;
mod patrols;
mod referrals_web;
mod renovation_web;
mod reports_web;
mod resident;
mod selections;
mod signals_web;
mod surveys_web;
mod targets;
mod tasks;
mod thumbs;
mod users_web;
mod versioned;
mod votes_web;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::get;

pub use auth::{AuthConfig, LoginLimiter, Viewer, hash_password, verify_password};
pub use error::WebError;
pub use funding::compound_subsidies_html;
pub use resident::{qr_svg, survey_link, survey_qr_sheet};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The application layer every write goes through (the same store, the clock).
    pub app: anju_app::App,
    /// Shown as a banner: the data on this server is demo data.
    pub demo: bool,
    /// Session and login rules (cookie flags, timeouts, rate limit).
    pub auth: AuthConfig,
    /// Failed logins per username and client address, in memory.
    pub limiter: std::sync::Arc<LoginLimiter>,
    /// The protective limits: timeout, body limit, public rate limit, trusted proxies.
    pub guard: guard::GuardConfig,
    /// The base map of 一张图 (`anju serve --tiles`); none draws the points on a plain background.
    pub map_tiles: Option<map_web::TileSource>,
}

impl AppState {
    /// The state over an application already opened (`anju_app::App::connect`), keeping its
    /// clock and configuration, with the default session rules (8 h idle, 7 days absolute, no
    /// `Secure` flag).
    pub fn new(app: anju_app::App, demo: bool) -> AppState {
        AppState {
            app,
            demo,
            auth: AuthConfig::default(),
            limiter: auth::new_limiter(),
            guard: guard::GuardConfig::default(),
            map_tiles: None,
        }
    }
}

impl AppState {
    /// The same state with another clock ("today" fixed, for tests).
    pub fn with_clock(mut self, clock: anju_app::Clock) -> AppState {
        self.app = self.app.with_clock(clock);
        self
    }

    /// The same state grading companies by another credit scheme (`anju serve --scheme FILE`).
    pub fn with_credit_scheme(mut self, scheme: anju_core::credit::CreditScheme) -> AppState {
        self.app = self.app.with_credit_scheme(scheme);
        self
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let guard = state.guard.clone();
    let routes = Router::new()
        .merge(dashboard::router())
        .merge(votes_web::router())
        .merge(fund_web::router())
        .route("/healthz", get(|| async { "ok" }))
        .route("/assets/anju.css", get(css))
        .merge(ledger::router())
        .merge(assessments::router())
        .merge(patrols::router())
        .merge(audit_view::router())
        .merge(compound::router())
        .merge(compound_edit::router())
        .merge(compound_money::router())
        .merge(compound_modes::router())
        .merge(owners_share_web::router())
        .merge(evaluator_fees_web::router())
        .merge(complaint_new::router())
        .merge(holidays_web::router())
        .merge(company_new::router())
        .merge(companies::router())
        .merge(complaints_web::router())
        .merge(referrals_web::router())
        .merge(organisation_web::router())
        .merge(owners_bodies_web::router())
        .merge(party_web::router())
        .merge(renovation_web::router())
        .merge(filings_web::router())
        .merge(inbox::router())
        .merge(surveys_web::router())
        .merge(users_web::router())
        .merge(selections::router())
        .merge(tasks::router())
        .merge(targets::router())
        .merge(guard::rate_limited(auth::router(), &guard))
        .merge(account::router())
        .merge(guard::rate_limited(
            resident::router().merge(votes_web::resident_router()),
            &guard,
        ))
        .merge(api::router())
        .merge(funding::router())
        .merge(reports_web::router())
        .merge(signals_web::router())
        .merge(contracts_web::router())
        .merge(areas_web::router())
        .merge(fees_import::router())
        .merge(map_web::router())
        .merge(budget_web::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::session_layer,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(guard::no_control_characters))
        .layer(axum::middleware::from_fn(browser_errors::browser_errors));
    guard::protect(routes, &guard).layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Where evidence files live: the `EvidenceDir` extension the server (or a test) set, else
/// `ANJU_EVIDENCE_DIR`, else [`anju_app::model::DEFAULT_EVIDENCE_DIR`].
pub(crate) fn evidence_dir(
    ext: Option<axum::extract::Extension<anju_app::model::EvidenceDir>>,
) -> anju_app::model::EvidenceDir {
    match ext {
        Some(axum::extract::Extension(d)) => d,
        None => anju_app::model::EvidenceDir::new(
            std::env::var("ANJU_EVIDENCE_DIR")
                .unwrap_or_else(|_| anju_app::model::DEFAULT_EVIDENCE_DIR.into()),
        ),
    }
}

async fn css() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../assets/anju.css"),
    )
}

/// Serves the app on 127.0.0.1:`port` until Ctrl-C.
pub async fn serve(state: AppState, port: u16) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    serve_on(listener, state).await
}

/// Serves the app on a listener already bound (so a caller can say "serving" only once the
/// port is really open) until Ctrl-C.
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // 站内信 that come due with time (overdue items, filing days): at start-up, then hourly.
    let sweeper = state.app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match sweeper.sweep_notices().await {
                Ok(s) if s.notices > 0 => tracing::info!(notices = s.notices, "站内信提醒已发出"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "站内信提醒未能完成"),
            }
        }
    });
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
