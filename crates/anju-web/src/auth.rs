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
use std::collections::{HashMap, VecDeque};
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
    /// Failed logins allowed for a username from one client address within `failure_window`;
    /// the next attempt waits (429), longer with each further failure.
    pub max_failures: usize,
    /// Failed logins allowed from one client address over all usernames (guessing many
    /// accounts); far above what an office's typos reach.
    pub max_failures_per_address: usize,
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
            max_failures_per_address: 50,
            failure_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Failed logins in memory. A failure counts against the username *from that client address*
/// (`user:NAME|ADDR`): one person's typos, or someone guessing a known account, hold back that
/// account from that address only, never the office sharing one address and never the account
/// from elsewhere. Past `max_failures` within the window each further attempt waits longer (30 s,
/// doubling, at most the window). A second count per address (`ip:ADDR`), with a far higher
/// threshold, slows one address trying many usernames. Bounded: at most [`MAX_KEYS`] keys (the
/// stalest go first), each holding at most its threshold's instants; a refused attempt adds
/// nothing. An administrator unlocks a username (`/users`). A restart forgets the counts, which is
/// acceptable for slowing down guessing.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// The most keys the limiter holds.
pub const MAX_KEYS: usize = 10_000;
/// The first wait past the threshold; it doubles with each further failure.
const FIRST_DELAY: Duration = Duration::from_secs(30);

impl LoginLimiter {
    /// The key of a username from an address.
    pub(crate) fn user_key(username: &str, ip: Option<IpAddr>) -> String {
        match ip {
            Some(a) => format!("user:{username}|{a}"),
            None => format!("user:{username}|-"),
        }
    }

    /// How long an attempt under `key` must still wait, if it must.
    pub(crate) fn wait(&self, key: &str, max: usize, window: Duration) -> Option<Duration> {
        let map = self.failures.lock().ok()?;
        let list = map.get(key)?;
        let now = Instant::now();
        let recent: Vec<Instant> = list
            .iter()
            .copied()
            .filter(|t| now.duration_since(*t) < window)
            .collect();
        if recent.len() < max.max(1) {
            return None;
        }
        let last = *recent.last()?;
        let doublings = u32::try_from(recent.len() - max.max(1))
            .unwrap_or(u32::MAX)
            .min(16);
        let delay = FIRST_DELAY.saturating_mul(1 << doublings).min(window);
        let until = last + delay;
        (until > now).then(|| until - now)
    }

    /// Records a failure under `key`, keeping at most `keep` instants within `window`.
    pub(crate) fn fail(&self, key: &str, keep: usize, window: Duration) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        let now = Instant::now();
        if !map.contains_key(key) && map.len() >= MAX_KEYS {
            map.retain(|_, l| l.back().is_some_and(|t| now.duration_since(*t) < window));
            if map.len() >= MAX_KEYS {
                let stalest = map
                    .iter()
                    .min_by_key(|(_, l)| l.back().copied())
                    .map(|(k, _)| k.clone());
                if let Some(k) = stalest {
                    map.remove(&k);
                }
            }
        }
        let list = map.entry(key.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < window);
        list.push_back(now);
        while list.len() > keep.max(1) + 16 {
            list.pop_front();
        }
    }

    pub(crate) fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }

    /// Forgets every failure of `username`, from any address (the administrator's 解锁).
    pub fn unlock(&self, username: &str) -> usize {
        let prefix = format!("user:{username}|");
        let Ok(mut map) = self.failures.lock() else {
            return 0;
        };
        let before = map.len();
        map.retain(|k, _| !k.starts_with(&prefix));
        before - map.len()
    }

    /// How many keys are held (tests and `anju bench`).
    pub fn len(&self) -> usize {
        self.failures.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    /// A department officer's department, with its name.
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    /// An owners' body member's compound, with its name.
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    /// Put into every form as `csrf` (or the header `X-CSRF-Token`).
    pub csrf_token: String,
    /// From `?lang=en`; Chinese otherwise.
    pub lang: Lang,
    /// Unread notices in the inbox (站内信), read with the session.
    pub unread: i64,
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
            department_id: s.user.department_id,
            department_name: s.user.department_name,
            compound_id: s.user.compound_id,
            compound_name: s.user.compound_name,
            csrf_token: s.csrf_token,
            lang,
            unread: s.unread,
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
            department_id: user.department_id,
            department_name: user.department_name.clone(),
            compound_id: user.compound_id,
            compound_name: user.compound_name.clone(),
            csrf_token: String::new(),
            lang,
            unread: 0,
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
            department_id: self.department_id,
            compound_id: self.compound_id,
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
    // Their own account: signing in and out, their own password, their own inbox's read marks.
    let account_path = matches!(
        req.uri().path(),
        "/login" | "/logout" | crate::page::PASSWORD_PATH | "/inbox/read-all"
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
    let writer = viewer
        .as_ref()
        .filter(|_| !reads)
        .map(|v| v.username.clone());
    req.extensions_mut().insert(Resolved(viewer));
    let res = next.run(req).await;
    if let Some(user) = writer {
        // Answered: whatever it wrote is committed; their next page must show it.
        crate::versioned::note_write(&user);
    }
    res
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

/// Only a path on this site: `/ledger?…`. Never `//evil.example`, `https://…`, a backslash
/// (browsers read it as a slash), or a control character (a tab or a line break, which browsers
/// drop, turning `/\t/evil.example` into `//evil.example`, or which would break the header).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control)
                && n.len() <= 2_000 =>
        {
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
    let peer: Option<IpAddr> = client.map(|Extension(ConnectInfo(a))| a.ip());
    let ip = crate::guard::client_addr(peer, &headers, &state.guard.trusted_proxies);
    let cfg = &state.auth;
    // A name no account can have is refused as a wrong one, and never becomes a key.
    if username.chars().count() > anju_app::users::USERNAME_MAX {
        return page(
            &state,
            StatusCode::UNAUTHORIZED,
            LoginPage::new(
                lang,
                state.demo,
                String::new(),
                next,
                Some(
                    lang.pick("用户名或密码错误", "wrong username or password")
                        .to_string(),
                ),
            ),
            token.clone(),
        );
    }
    let user_key = LoginLimiter::user_key(&username, ip);
    let ip_key = ip.map(|a| format!("ip:{a}"));
    let window = cfg.failure_window;
    let wait = state
        .limiter
        .wait(&user_key, cfg.max_failures, window)
        .or_else(|| {
            ip_key
                .as_deref()
                .and_then(|k| state.limiter.wait(k, cfg.max_failures_per_address, window))
        });
    if let Some(wait) = wait {
        let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        let msg = match (lang, secs) {
            (Lang::Zh, s) if s < 60 => format!("登录失败次数过多，请 {s} 秒后再试"),
            (Lang::Zh, s) => format!("登录失败次数过多，请 {} 分钟后再试", s.div_ceil(60)),
            (Lang::En, s) if s < 60 => format!("too many failed sign-ins; try again in {s} s"),
            (Lang::En, s) => {
                format!(
                    "too many failed sign-ins; try again in {} minutes",
                    s.div_ceil(60)
                )
            }
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
            state.limiter.fail(&user_key, cfg.max_failures, window);
            if let Some(k) = &ip_key {
                state.limiter.fail(k, cfg.max_failures_per_address, window);
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
        // Browsers drop tabs and line breaks and read a backslash as a slash.
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\r\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/ledger\\..\\x")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_limiter_makes_a_username_wait_longer_after_each_failure_from_one_address() {
        let l = LoginLimiter::default();
        let w = Duration::from_secs(900);
        let here = LoginLimiter::user_key("li", "10.0.0.7".parse().ok());
        let there = LoginLimiter::user_key("li", "10.0.0.8".parse().ok());
        for _ in 0..4 {
            l.fail(&here, 5, w);
        }
        assert_eq!(l.wait(&here, 5, w), None, "four failures: no wait");
        l.fail(&here, 5, w);
        let first = l.wait(&here, 5, w).unwrap_or_default();
        assert!(first > Duration::from_secs(25) && first <= Duration::from_secs(30));
        l.fail(&here, 5, w);
        let second = l.wait(&here, 5, w).unwrap_or_default();
        assert!(second > Duration::from_secs(55), "doubled: {second:?}");
        // The same account from elsewhere, and the window's end, are not held back.
        assert_eq!(l.wait(&there, 5, w), None);
        assert_eq!(l.wait(&here, 5, Duration::ZERO), None);
        // The administrator's unlock clears the username from every address.
        l.fail(&there, 5, w);
        assert_eq!(l.unlock("li"), 2);
        assert_eq!(l.wait(&here, 5, w), None);
    }

    #[test]
    fn the_limiter_holds_at_most_max_keys_however_many_names_are_tried() {
        let l = LoginLimiter::default();
        let w = Duration::from_secs(900);
        for i in 0..(MAX_KEYS + 5_000) {
            l.fail(&LoginLimiter::user_key(&format!("u{i}"), None), 5, w);
        }
        assert_eq!(l.len(), MAX_KEYS);
        // A check adds nothing.
        for i in 0..1_000 {
            l.wait(&format!("never{i}"), 5, w);
        }
        assert_eq!(l.len(), MAX_KEYS);
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
