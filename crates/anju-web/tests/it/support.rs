//! Test helpers every page test can use: an app over a fresh database with the demo ledger,
//! accounts, and requests as a logged-in user.
//!
//! ```ignore
//! let t = TestApp::with_demo().await;                       // SQLite (or `with_demo_pg()`)
//! create_user(&t.store, "li", Role::Street, UserScope::Region("大沁他拉街道")).await;
//! let s = login(&t, "li", TEST_PASSWORD).await;             // cookie + CSRF token
//! let r = t.get_as(&s, "/ledger").await;                    // r.status, r.body, r.headers
//! let r = t.post_form(Some(&s), "/logout", &format!("csrf={}", s.csrf)).await;
//! let r = t.post_json(&s, "/api/v1/users", json).await;     // sends X-CSRF-Token
//! ```
//!
//! `create_user` hashes with the real argon2 code; `login` goes through `GET /login` and
//! `POST /login` like a browser (with the login form's own CSRF token) and reads the session's
//! CSRF token from `GET /api/v1/me`. `both_engines!(name)` runs an
//! `async fn name(t: TestApp)` on SQLite and on PostgreSQL (`ANJU_TEST_PG_URL`, a schema per
//! test; skipped with a notice when unset, a failure under `CI=true`).

#![allow(dead_code)]

use anju_core::RegionLevel;
use anju_core::access::Role;
use anju_store::{Actor, NewUser, Store, User};
use anju_web::{AppState, app};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// The password `create_user` gives every account.
pub const TEST_PASSWORD: &str = "test-password-1";

pub struct TestApp {
    _dir: Option<tempfile::TempDir>,
    /// Where uploads of this test go (every request of [`TestApp::send`] carries it).
    pub evidence: tempfile::TempDir,
    pub state: AppState,
    /// The database beneath, for a test's own arrangements and checks.
    pub store: Store,
    pg_schema: Option<(String, String)>,
}

/// A response, read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Res {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A logged-in browser: its session cookie and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

static SCHEMA_SEQ: AtomicU32 = AtomicU32::new(0);

async fn load_demo(store: &Store) {
    let actor = Actor::new("test", "admin");
    for c in anju_demo::demo_companies() {
        store
            .upsert_company(&actor, &c.name, Some(c.credit_code.clone()))
            .await
            .expect("company");
    }
    store
        .apply_ledger(
            &actor,
            &anju_demo::demo_ledger(),
            jiff::civil::date(2026, 11, 22),
        )
        .await
        .expect("demo loads");
}

impl TestApp {
    /// The demo ledger (199 compounds, three places) in a fresh SQLite file.
    pub async fn with_demo() -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("web.db").display());
        let store = Store::connect(&url).await.expect("connect");
        load_demo(&store).await;
        TestApp {
            _dir: Some(dir),
            evidence: tempfile::tempdir().expect("tempdir"),
            state: AppState::new(anju_app::App::new(store.clone()), true),
            store,
            pg_schema: None,
        }
    }

    /// The same on PostgreSQL in a schema of its own; `None` when `ANJU_TEST_PG_URL` is unset
    /// (a panic under `CI=true`).
    pub async fn with_demo_pg() -> Option<TestApp> {
        let Ok(base) = std::env::var("ANJU_TEST_PG_URL") else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but ANJU_TEST_PG_URL is not set");
            }
            eprintln!("notice: ANJU_TEST_PG_URL not set, PostgreSQL half of this test skipped");
            return None;
        };
        let schema = format!(
            "web_{}_{}_{}",
            std::process::id(),
            SCHEMA_SEQ.fetch_add(1, Ordering::Relaxed),
            jiff::Timestamp::now().as_microsecond() % 1_000_000
        );
        let url = anju_store::scratch::create(&base, &schema)
            .await
            .expect("schema");
        let store = Store::connect(&url).await.expect("connect postgres");
        load_demo(&store).await;
        Some(TestApp {
            _dir: None,
            evidence: tempfile::tempdir().expect("tempdir"),
            state: AppState::new(anju_app::App::new(store.clone()), true),
            store,
            pg_schema: Some((base, schema)),
        })
    }

    /// Drops the PostgreSQL schema (call at the end of a test; SQLite needs nothing).
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((base, schema)) = self.pg_schema {
            anju_store::scratch::drop(&base, &schema)
                .await
                .expect("drop schema");
        }
    }

    /// The app as every test request reaches it: evidence stored in this test's directory.
    pub fn app(&self) -> axum::Router {
        app(self.state.clone()).layer(axum::Extension(anju_store::EvidenceDir::new(
            self.evidence.path(),
        )))
    }

    pub async fn send(&self, req: Request<Body>) -> Res {
        self.send_via(&self.state, req).await
    }

    /// A request served by `state` instead of this app's own: the same database (and so the
    /// same sessions) with another clock or credit scheme.
    pub async fn send_via(&self, state: &AppState, req: Request<Body>) -> Res {
        let app = app(state.clone()).layer(axum::Extension(anju_store::EvidenceDir::new(
            self.evidence.path(),
        )));
        let res = app.oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.expect("body").to_bytes();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    /// GET without a session.
    pub async fn get(&self, uri: &str) -> Res {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    /// GET as a logged-in user.
    pub async fn get_as(&self, s: &Session, uri: &str) -> Res {
        self.send(
            Request::get(uri)
                .header(header::COOKIE, &s.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// POST an urlencoded form, with or without a session (put `csrf=…` in the body yourself).
    pub async fn post_form(&self, s: Option<&Session>, uri: &str, body: &str) -> Res {
        let mut b =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = s {
            b = b.header(header::COOKIE, &s.cookie);
        }
        self.send(b.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    /// POST JSON as a logged-in user, with the session's `X-CSRF-Token`.
    pub async fn post_json(&self, s: &Session, uri: &str, body: serde_json::Value) -> Res {
        send_json(self, s, "POST", uri, body).await
    }
}

/// A JSON request of any method as a logged-in client (with the `X-CSRF-Token` header).
pub async fn send_json(
    t: &TestApp,
    s: &Session,
    method: &str,
    uri: &str,
    body: serde_json::Value,
) -> Res {
    t.send(
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", &s.csrf)
            .body(Body::from(body.to_string()))
            .expect("request"),
    )
    .await
}

/// Where an account's work is bounded.
#[derive(Debug, Clone, Copy)]
pub enum UserScope<'a> {
    None,
    /// A region by name (a street, a community, a district …).
    Region(&'a str),
    /// A company by name.
    Company(&'a str),
    /// A district department by id (the account's region is its district).
    Department(i64),
    /// One compound by id (an owners' body member; the account's region is its street).
    Compound(i64),
}

/// Creates an account with [`TEST_PASSWORD`].
pub async fn create_user(store: &Store, username: &str, role: Role, scope: UserScope<'_>) -> User {
    let mut department_id = None;
    let mut compound_id = None;
    let (region_id, company_id) = match scope {
        UserScope::None => (None, None),
        UserScope::Compound(id) => {
            compound_id = Some(id);
            let c = store.get_compound(id).await.expect("compound");
            (Some(c.street_id), None)
        }
        UserScope::Department(id) => {
            department_id = Some(id);
            let d = store.get_department(id).await.expect("department");
            (Some(d.district_id), None)
        }
        UserScope::Region(name) => {
            let regions = store.list_regions().await.expect("regions");
            let r = regions
                .iter()
                .filter(|r| r.name == name)
                .min_by_key(|r| r.level != RegionLevel::Street)
                .unwrap_or_else(|| panic!("no region {name}"));
            (Some(r.id), None)
        }
        UserScope::Company(name) => {
            let c = store
                .list_companies()
                .await
                .expect("companies")
                .into_iter()
                .find(|c| c.name == name)
                .unwrap_or_else(|| panic!("no company {name}"));
            (None, Some(c.id))
        }
    };
    store
        .create_user(
            &Actor::new("test", "admin"),
            NewUser {
                username: username.into(),
                display_name: format!("测试 {username}"),
                password_hash: anju_web::hash_password(TEST_PASSWORD).expect("hash"),
                role,
                region_id,
                company_id,
                department_id,
                compound_id,
            },
        )
        .await
        .expect("create user")
}

/// `GET /login` as a browser does first: the login-CSRF cookie (`name=value`) and the token the
/// form carries.
pub async fn login_form(t: &TestApp) -> (String, String) {
    let r = t.get("/login").await;
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("login csrf cookie")
        .to_string();
    let marker = "name=\"csrf\" value=\"";
    let at = r.body.find(marker).expect("csrf field") + marker.len();
    let token: String = r.body[at..].chars().take_while(|c| *c != '"').collect();
    (cookie, token)
}

/// `POST /login` with the login form's CSRF token and cookie, as a browser sends it; `extra`
/// is appended to the form body (e.g. `&next=…`).
pub async fn post_login(t: &TestApp, user: &str, pw: &str, extra: &str) -> Res {
    let (cookie, csrf) = login_form(t).await;
    t.send(
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(format!(
                "username={}&password={}&csrf={csrf}{extra}",
                enc(user),
                enc(pw)
            )))
            .expect("request"),
    )
    .await
}

/// The raw `POST /login` (going back to `/ledger`).
pub async fn try_login(t: &TestApp, user: &str, pw: &str) -> Res {
    post_login(t, user, pw, "&next=%2Fledger").await
}

/// Logs in through `POST /login` and returns the session; panics when the login fails.
pub async fn login(t: &TestApp, user: &str, pw: &str) -> Session {
    let r = try_login(t, user, pw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {user}: {}", r.body);
    let set = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("Set-Cookie");
    let cookie = set.split(';').next().expect("cookie").to_string();
    let me = t
        .get_as(
            &Session {
                cookie: cookie.clone(),
                csrf: String::new(),
            },
            "/api/v1/me",
        )
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let csrf = me.json()["csrf_token"]
        .as_str()
        .expect("csrf_token")
        .to_string();
    Session { cookie, csrf }
}

/// Creates an account and logs it in.
pub async fn user_session(
    t: &TestApp,
    username: &str,
    role: Role,
    scope: UserScope<'_>,
) -> Session {
    create_user(&t.store, username, role, scope).await;
    login(t, username, TEST_PASSWORD).await
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `name::sqlite` and `name::postgres` for an `async fn name(t: TestApp)`.
macro_rules! both_engines {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = crate::support::TestApp::with_demo().await;
                super::$name(&t).await;
                t.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = crate::support::TestApp::with_demo_pg().await {
                    super::$name(&t).await;
                    t.finish().await;
                }
            }
        }
    };
}
pub(crate) use both_engines;

/// A compound of `street` that a company serves (the demo has many): for the company's pages.
pub async fn served_compound(t: &TestApp, street: &str) -> anju_store::StoredCompound {
    t.store
        .list_compounds(&Default::default())
        .await
        .expect("compounds")
        .into_iter()
        .find(|c| c.compound.street == street && c.compound.company.is_some())
        .expect("a served compound")
}
