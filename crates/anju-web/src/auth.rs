//! 登录与权限 — accounts, sessions and region-scoped access.
//!
//! How handlers use it (the API other pages build on):
//!
//! - Take a [`Viewer`] argument: the handler then runs only for a logged-in user. Without a live
//!   session a page request is redirected to `/login?next=…` and an `/api/…` request gets
//!   401 `{"code":"unauthorized"}`.
//! - `viewer.require(Action::AdvanceLifecycle)?` — 403 `forbidden` with a Chinese message when
//!   the role may not do that at all (the table is `anju_core::access`).
//! - `viewer.compound_filter()` — a `CompoundFilter` already narrowed to what the viewer may see
//!   (their street/community/district, their company's compounds, or everything for the city's
//!   housing authority, a city-wide auditor and the administrator; an auditor's account given a
//!   district or street reads that area); set the user's filters on top of it,
//!   never replace `region_id`/`company_id`. `viewer.scoped(filter)` does that for a filter
//!   built elsewhere.
//! - the application layer's `App::compound_in_scope(&viewer.principal(), id)` for one compound
//!   (403 when it lies outside the viewer's scope).
//! - Every POST form carries `<input type="hidden" name="csrf" value="{{ csrf }}">` with
//!   `viewer.csrf_token`; the handler calls `viewer.check_csrf(&headers, form.csrf.as_deref())?`
//!   before doing anything (JSON clients send the header `X-CSRF-Token` instead).
//! - `viewer.actor()` is the `Actor` for store writes (username and role code).
//!
//! Also here: the login (the application layer's `App::sign_in` decides), the login
//! rate limiter (per username and per client IP), and a middleware that refuses every
//! non-GET request of an auditor (审计 reads everything and changes nothing) whatever the route.
//!
//! Sessions live in the database (only the token's SHA-256 is stored); the cookie `anju_session`
//! is HttpOnly, SameSite=Strict, Path=/, and Secure when [`AuthConfig::secure_cookies`] is set.
//! A session ends after [`AuthConfig::idle_timeout`] without use or
//! [`AuthConfig::absolute_lifetime`] after login, on logout, on a password change, and when the
//! account is disabled.

use crate::{AppState, WebError};
use anju_app::model::{Actor, CompoundFilter, SessionUser};
use anju_app::sessions::SignInRefusal;
use anju_core::SessionId;
use anju_core::access::{Action, Role};
use anju_core::{Lang, RegionLevel};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{ConnectInfo, Extension, Form, FromRequestParts, Query, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "anju_session";

/// Session and login rules; defaults: 8 h idle, 7 days absolute, 5 failures in 15 min.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Mark the cookie `Secure` (serve behind HTTPS: `anju serve --secure-cookies`).
    pub secure_cookies: bool,
    /// A session unused this long is over.
    pub idle_timeout: jiff::SignedDuration,
    /// A session is over this long after login, used or not.
    pub absolute_lifetime: jiff::SignedDuration,
    /// Failed logins allowed per username and per client address within `failure_window`;
    /// the next attempt is refused with 429.
    pub max_failures: usize,
    pub failure_window: Duration,
}

impl AuthConfig {
    /// The session lifetimes, as the application layer applies them.
    pub fn rules(&self) -> anju_app::sessions::SessionRules {
        anju_app::sessions::SessionRules {
            idle_timeout: self.idle_timeout,
            absolute_lifetime: self.absolute_lifetime,
        }
    }
}

impl Default for AuthConfig {
    fn default() -> AuthConfig {
        AuthConfig {
            secure_cookies: false,
            idle_timeout: jiff::SignedDuration::from_hours(8),
            absolute_lifetime: jiff::SignedDuration::from_hours(24 * 7),
            max_failures: 5,
            failure_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Failed logins in memory, per key (`user:NAME`, `ip:ADDR`). One process serves a street
/// office; a restart forgets the counts, which is acceptable for slowing down guessing.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    pub(crate) fn recent(&self, key: &str, window: Duration) -> usize {
        let Ok(mut map) = self.failures.lock() else {
            return 0;
        };
        let now = Instant::now();
        let list = map.entry(key.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < window);
        list.len()
    }

    pub(crate) fn fail(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.entry(key.to_string()).or_default().push(Instant::now());
        }
    }

    pub(crate) fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Passwords

/// Password rules and hashing live in the application layer (`anju user` and the web use the
/// same ones); the login path verifies with them here.
pub use anju_app::users::{MIN_PASSWORD_CHARS, hash_password, verify_password};

// ---------------------------------------------------------------------------------------------
// The viewer

/// The logged-in person a request comes from, and what they may see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Me)]
pub struct Viewer {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The region the account is bounded to, with its name and level.
    pub region_id: Option<i64>,
    pub region_name: Option<String>,
    pub region_level: Option<RegionLevel>,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    /// Put into every form as `csrf` (or the header `X-CSRF-Token`).
    pub csrf_token: String,
    /// From `?lang=en`; Chinese otherwise.
    pub lang: Lang,
    #[serde(skip)]
    session_id: i64,
}

/// What the viewer's account bounds their view to (the application layer's [`anju_app::Scope`]).
pub use anju_app::Scope;

impl Viewer {
    fn from_session(s: SessionUser, lang: Lang) -> Viewer {
        Viewer {
            user_id: s.user.id,
            username: s.user.username,
            display_name: s.user.display_name,
            role: s.user.role,
            region_id: s.user.region_id,
            region_name: s.user.region_name,
            region_level: s.user.region_level,
            company_id: s.user.company_id,
            company_name: s.user.company_name,
            csrf_token: s.csrf_token,
            lang,
            session_id: s.session_id,
        }
    }

    /// A viewer for an account without a browser session (tests, background jobs): no CSRF
    /// token, so it can never pass [`Viewer::check_csrf`].
    pub fn without_session(user: &anju_app::model::User, lang: Lang) -> Viewer {
        Viewer {
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            region_id: user.region_id,
            region_name: user.region_name.clone(),
            region_level: user.region_level,
            company_id: user.company_id,
            company_name: user.company_name.clone(),
            csrf_token: String::new(),
            lang,
            session_id: 0,
        }
    }

    /// The viewer as the application layer's principal.
    pub fn principal(&self) -> anju_app::Principal {
        anju_app::Principal {
            name: self.username.clone(),
            role: self.role,
            region_id: self.region_id,
            region_level: self.region_level,
            company_id: self.company_id,
            organisation: self.company_name.clone(),
            region_name: self.region_name.clone(),
            lang: self.lang,
            recorded_role: None,
        }
    }

    /// Who writes, for the audit log.
    pub fn actor(&self) -> Actor {
        self.principal().actor()
    }

    /// What the account bounds the view to.
    pub fn scope(&self) -> Scope {
        self.principal().scope()
    }

    /// The compounds this viewer may see, as a filter to add the user's choices to.
    pub fn compound_filter(&self) -> CompoundFilter {
        self.scoped(CompoundFilter::default())
    }

    /// `filter` narrowed to the viewer's scope (overrides its `region_id`/`company_id` when the
    /// scope sets them).
    pub fn scoped(&self, filter: CompoundFilter) -> CompoundFilter {
        self.principal().scoped(filter)
    }

    /// The part of the audit log this viewer reads (the application layer decides:
    /// [`anju_app::Principal::audit_region`]): `None` for the whole log, `Some(region)` for an
    /// account bounded to a district or street; 403 otherwise.
    pub fn audit_region(&self) -> Result<Option<i64>, WebError> {
        self.principal()
            .audit_region()
            .map_err(|e| WebError::app(e, self.lang))
    }

    /// 403 unless the role may do this (`anju_core::access::can`).
    pub fn require(&self, action: Action) -> Result<(), WebError> {
        self.principal()
            .require(action)
            .map_err(|e| WebError::app(e, self.lang))
    }

    /// Checks the CSRF token of a POST: the form's `csrf` field, else the `X-CSRF-Token` header.
    pub fn check_csrf(
        &self,
        headers: &HeaderMap,
        form_token: Option<&str>,
    ) -> Result<(), WebError> {
        let given = form_token
            .filter(|t| !t.is_empty())
            .or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()));
        match given {
            Some(t)
                if !self.csrf_token.is_empty()
                    && constant_time_eq(t.as_bytes(), self.csrf_token.as_bytes()) =>
            {
                Ok(())
            }
            _ => Err(WebError::Csrf),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session token in the request's cookies.
fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

/// A cookie's value.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn lang_of(parts_query: Option<&str>) -> Lang {
    parts_query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
        .unwrap_or_default()
}

/// The live session of a request, if any; ends sessions found expired or idle too long.
async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
) -> Result<Option<Viewer>, WebError> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    let Some(s) = state.app.session(&token, state.auth.rules()).await? else {
        return Ok(None);
    };
    Ok(Some(Viewer::from_session(s, lang)))
}

/// The session resolved once per request by [`session_layer`].
#[derive(Clone)]
struct Resolved(Option<Viewer>);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, WebError> {
        let lang = lang_of(parts.uri.query());
        let found = match parts.extensions.get::<Resolved>() {
            Some(Resolved(v)) => v.clone(),
            None => resolve(state, &parts.headers, lang).await?,
        };
        found
            .map(|mut v| {
                v.lang = lang;
                v
            })
            .ok_or_else(|| WebError::Unauthorized {
                next: parts
                    .uri
                    .path_and_query()
                    .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
                api: parts.uri.path().starts_with("/api/"),
            })
    }
}

/// Resolves the session once for every request, and refuses any change an auditor asks for
/// (审计 reads everything and changes nothing) before it reaches a handler.
pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/assets/") || path == "/healthz" {
        return next.run(req).await;
    }
    let lang = lang_of(req.uri().query());
    let viewer = match resolve(&state, req.headers(), lang).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let reads = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // Their own account: signing in and out, and their own password.
    let account_path = matches!(
        req.uri().path(),
        "/login" | "/logout" | crate::page::PASSWORD_PATH
    );
    if let Some(v) = &viewer
        && v.role == Role::Auditor
        && !reads
        && !account_path
    {
        return WebError::Forbidden(
            lang.pick(
                "审计账号只能查阅，不能修改任何数据",
                "an auditor's account reads and changes nothing",
            )
            .to_string(),
        )
        .into_response();
    }
    req.extensions_mut().insert(Resolved(viewer));
    next.run(req).await
}

// ---------------------------------------------------------------------------------------------
// Routes

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/api/v1/me", get(me))
}

#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
    lang: Option<String>,
    csrf: Option<String>,
}

/// Only same-site paths: `/ledger?…`, never `//evil.example` or `https://…`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        // The 工作台: what needs doing today comes first.
        _ => "/".to_string(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    lang: Lang,
    demo: bool,
    title: &'static str,
    heading: &'static str,
    username_label: &'static str,
    password_label: &'static str,
    submit: &'static str,
    other_lang: &'static str,
    other_lang_link: String,
    demo_hint: &'static str,
    username: String,
    next: String,
    error: Option<String>,
    /// The login form's own CSRF token (there is no session yet): the same value sits in the
    /// `anju_login_csrf` cookie, and a form posted from another site cannot know it.
    csrf: String,
}

impl LoginPage {
    fn new(lang: Lang, demo: bool, username: String, next: String, error: Option<String>) -> Self {
        let p = |zh, en| lang.pick(zh, en);
        let other = if lang == Lang::En { "zh" } else { "en" };
        LoginPage {
            lang,
            demo,
            title: p(
                "安居 · 物业管理全覆盖",
                "Anju · property management for every compound",
            ),
            heading: p("登录", "Sign in"),
            username_label: p("用户名", "Username"),
            password_label: p("密码", "Password"),
            submit: p("登录", "Sign in"),
            other_lang: p("English", "中文"),
            other_lang_link: format!("/login?lang={other}&next={}", crate::page::urlencode(&next)),
            demo_hint: p(
                "演示账号见 anju serve --demo 启动时打印的列表。",
                "Demo accounts are listed when anju serve --demo starts.",
            ),
            username,
            next,
            error,
            csrf: String::new(),
        }
    }
}

/// The cookie holding the login form's CSRF token (only sent back to `/login`).
const LOGIN_CSRF_COOKIE: &str = "anju_login_csrf";

fn random_token() -> Result<String, WebError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| WebError::BadRequest(format!("无法取得随机数：{e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

pub(crate) fn cookie_header(text: &str) -> Result<HeaderValue, WebError> {
    HeaderValue::from_str(text).map_err(|e| WebError::BadRequest(e.to_string()))
}

/// Renders the login page with its CSRF token: the one the browser already holds, or a new one
/// (then also set as a cookie).
fn page(
    state: &AppState,
    status: StatusCode,
    mut p: LoginPage,
    token: Option<String>,
) -> Result<Response, WebError> {
    let fresh = token.is_none();
    p.csrf = match token {
        Some(t) => t,
        None => random_token()?,
    };
    let mut res = (status, Html(p.render()?)).into_response();
    if fresh {
        let secure = if state.auth.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let c = format!(
            "{LOGIN_CSRF_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/login; Max-Age=3600{secure}",
            p.csrf
        );
        res.headers_mut().append(SET_COOKIE, cookie_header(&c)?);
    }
    Ok(res)
}

async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    // A token the browser already holds is kept, so two open login tabs both work.
    let token = cookie_value(&headers, LOGIN_CSRF_COOKIE).filter(|t| t.len() == 64);
    page(
        &state,
        StatusCode::OK,
        LoginPage::new(
            lang,
            state.demo,
            String::new(),
            safe_next(q.next.as_deref()),
            None,
        ),
        token,
    )
}

pub(crate) fn session_cookie(state: &AppState, token: &str, max_age_secs: i64) -> String {
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}"
    )
}

async fn login_submit(
    State(state): State<AppState>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let next = safe_next(f.next.as_deref());
    let username = f.username.trim().to_string();
    // Login CSRF: the form's token must match the cookie set with the form.
    let token = cookie_value(&headers, LOGIN_CSRF_COOKIE);
    let form_ok = match (&token, f.csrf.as_deref()) {
        (Some(c), Some(t)) => constant_time_eq(c.as_bytes(), t.as_bytes()),
        _ => false,
    };
    if !form_ok {
        return page(
            &state,
            StatusCode::FORBIDDEN,
            LoginPage::new(
                lang,
                state.demo,
                username,
                next,
                Some(
                    lang.pick(
                        "登录表单已失效或来源不明，请重新输入后登录",
                        "the sign-in form expired or came from elsewhere; please sign in again",
                    )
                    .to_string(),
                ),
            ),
            None,
        );
    }
    let ip: Option<IpAddr> = client.map(|Extension(ConnectInfo(a))| a.ip());
    let user_key = format!("user:{username}");
    let ip_key = ip.map(|a| format!("ip:{a}"));
    let cfg = &state.auth;
    let limited = state.limiter.recent(&user_key, cfg.failure_window) >= cfg.max_failures
        || ip_key
            .as_deref()
            .is_some_and(|k| state.limiter.recent(k, cfg.failure_window) >= cfg.max_failures);
    if limited {
        let minutes = cfg.failure_window.as_secs().div_ceil(60);
        let msg = match lang {
            Lang::Zh => format!("登录失败次数过多，请 {minutes} 分钟后再试"),
            Lang::En => format!("too many failed sign-ins; try again in {minutes} minutes"),
        };
        return page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            LoginPage::new(lang, state.demo, username, next, Some(msg)),
            token.clone(),
        );
    }
    let user = state
        .app
        .sign_in(&username, f.password)
        .await
        .map_err(|e| WebError::app(e, lang))?;
    let user = match user {
        Ok(u) => u,
        Err(SignInRefusal::WrongCredentials) => {
            state.limiter.fail(&user_key);
            if let Some(k) = &ip_key {
                state.limiter.fail(k);
            }
            tracing::info!(username = %username, ip = ?ip, "login failed");
            return page(
                &state,
                StatusCode::UNAUTHORIZED,
                LoginPage::new(
                    lang,
                    state.demo,
                    username,
                    next,
                    Some(
                        lang.pick("用户名或密码错误", "wrong username or password")
                            .to_string(),
                    ),
                ),
                token.clone(),
            );
        }
        Err(SignInRefusal::Disabled) => {
            return page(
                &state,
                StatusCode::FORBIDDEN,
                LoginPage::new(
                    lang,
                    state.demo,
                    username,
                    next,
                    Some(
                        lang.pick("该账号已停用，请联系管理员", "this account is disabled")
                            .to_string(),
                    ),
                ),
                token.clone(),
            );
        }
    };
    state.limiter.clear(&user_key);
    let client_text = ip.map(|a| a.to_string());
    let s = state
        .app
        .open_session(&user, cfg.rules(), client_text.as_deref())
        .await
        .map_err(|e| WebError::app(e, lang))?;
    let cookie = session_cookie(&state, &s.token, cfg.absolute_lifetime.as_secs());
    let mut res = Redirect::to(&next).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut()
        .insert(SET_COOKIE, cookie_header(&cookie)?);
    res.headers_mut().append(
        SET_COOKIE,
        cookie_header(&format!(
            "{LOGIN_CSRF_COOKIE}=; HttpOnly; SameSite=Strict; Path=/login; Max-Age=0"
        ))?,
    );
    Ok(res)
}

#[derive(Debug, Default, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&headers, f.csrf.as_deref())?;
    state
        .app
        .sign_out(&viewer.principal(), SessionId(viewer.session_id))
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?;
    let mut res = Redirect::to("/login").into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&session_cookie(&state, "", 0))
            .map_err(|e| WebError::BadRequest(e.to_string()))?,
    );
    Ok(res)
}

/// The logged-in account (and its CSRF token, for JSON clients' `X-CSRF-Token`).
async fn me(viewer: Viewer) -> Json<Viewer> {
    Json(viewer)
}

/// Shared state for the limiter, built once per app.
pub fn new_limiter() -> Arc<LoginLimiter> {
    Arc::new(LoginLimiter::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_verifies_with_the_applications_hash() {
        let h = hash_password("anju-demo-2026").expect("hash");
        assert!(verify_password(&h, "anju-demo-2026"));
        assert!(!verify_password(&h, "anju-demo-2027"));
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/ledger?street=x")), "/ledger?street=x");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn limiter_counts_within_the_window() {
        let l = LoginLimiter::default();
        for _ in 0..5 {
            l.fail("user:a");
        }
        assert_eq!(l.recent("user:a", Duration::from_secs(900)), 5);
        assert_eq!(l.recent("user:a", Duration::ZERO), 0, "outside the window");
        l.clear("user:a");
        assert_eq!(l.recent("user:a", Duration::from_secs(900)), 0);
    }

    #[test]
    fn cookie_token_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; anju_session=abc; b=2"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc"));
        assert_eq!(lang_of(Some("x=1&lang=en")), Lang::En);
        assert_eq!(lang_of(None), Lang::Zh);
    }
}
