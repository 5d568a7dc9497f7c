//! Login, sessions, CSRF, rate limiting and region-scoped access, through HTTP.

use crate::support::{
    Session, TEST_PASSWORD, TestApp, UserScope, both_engines, create_user, enc, login, login_form,
    post_login, try_login, user_session,
};
use anju_core::access::Role;
use anju_store::{AuditFilter, CompoundFilter};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use std::net::SocketAddr;

const DAQINTALA: &str = "大沁他拉街道";
const SHANCHENG: &str = "山城街道";

fn streets_of(v: &serde_json::Value) -> Vec<String> {
    let mut s: Vec<String> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["street"].as_str().unwrap_or("").to_string())
        .collect();
    s.sort();
    s.dedup();
    s
}

#[tokio::test]
async fn pages_and_api_need_a_login_but_health_and_assets_do_not() {
    let t = TestApp::with_demo().await;
    let r = t.get("/ledger?street=x").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=%2Fledger%3Fstreet%3Dx");
    let r = t.get("/api/v1/compounds").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["code"], "unauthorized");
    let r = t.get("/api/v1/stats").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(t.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(t.get("/assets/anju.css").await.status, StatusCode::OK);
    let r = t.get("/login?next=%2Fledger").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("用户名") && r.body.contains("密码"),
        "Chinese login page"
    );
    let r = t.get("/login?lang=en").await;
    assert!(r.body.contains("Sign in") && r.body.contains("Username"));
    // A forged cookie is no session.
    let fake = Session {
        cookie: "anju_session=00ff".into(),
        csrf: String::new(),
    };
    assert_eq!(
        t.get_as(&fake, "/ledger").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_wrong_passwords_are_refused() {
    let mut t = TestApp::with_demo().await;
    create_user(&t.store, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let r = try_login(&t, "li", "wrong-password").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("用户名或密码错误"), "{}", r.body);
    assert!(r.body.contains("value=\"li\""), "the username is kept");
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    let r = try_login(&t, "nobody", TEST_PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "unknown user: same answer"
    );
    assert!(r.body.contains("用户名或密码错误"));

    let r = try_login(&t, "li", TEST_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/ledger", "back to the page asked for");
    // Without a page to go back to, the 工作台.
    let r = post_login(&t, "li", TEST_PASSWORD, "").await;
    assert_eq!(r.location(), "/", "login lands on the 工作台");
    let cookie = r.headers[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("anju_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=604800"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on a laptop: {cookie}"
    );

    t.state.auth.secure_cookies = true;
    let r = try_login(&t, "li", TEST_PASSWORD).await;
    let cookie = r.headers[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.ends_with("; Secure"), "{cookie}");

    // An open redirect is not offered.
    let r = post_login(&t, "li", TEST_PASSWORD, "&next=%2F%2Fevil.example").await;
    assert_eq!(r.location(), "/");

    // Login CSRF: a form without the token, or with a token other than its cookie's, is refused.
    let r = t
        .post_form(
            None,
            "/login",
            &format!("username=li&password={}", enc(TEST_PASSWORD)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("登录表单已失效或来源不明"), "{}", r.body);
    assert!(
        r.headers.get(header::SET_COOKIE).is_some(),
        "a fresh token comes with it"
    );
    let (cookie, _) = login_form(&t).await;
    let (_, other_token) = login_form(&t).await;
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(format!(
                    "username=li&password={}&csrf={other_token}",
                    enc(TEST_PASSWORD)
                )))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn five_failures_hold_back_that_username_from_that_address_only() {
    let t = TestApp::with_demo().await;
    create_user(&t.store, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    create_user(&t.store, "wang", Role::Auditor, UserScope::None).await;
    let (cookie, csrf) = login_form(&t).await;
    let from = |addr: [u8; 4], user: &str, pw: &str| {
        let mut req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!(
                "username={user}&password={}&csrf={csrf}",
                enc(pw)
            )))
            .expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((addr, 40000))));
        req
    };
    let office = [10, 0, 0, 7];
    for i in 1..=5 {
        let r = t.send(from(office, "li", "wrong-password")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }
    // The sixth attempt from there waits, even with the right password.
    let r = t.send(from(office, "li", TEST_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.body.contains("登录失败次数过多，请 30 秒后再试"),
        "{}",
        r.body
    );
    // The administrator clears li's failures (解除登录限制); li signs in from there again.
    let admin = crate::support::user_session(&t, "root", Role::Admin, UserScope::None).await;
    let li = t.store.find_user("li").await.expect("find").expect("li");
    let r = t
        .post_form(
            Some(&admin),
            &format!("/users/{}/unlock", li.id),
            &format!("csrf={}&version={}", admin.csrf, li.version),
        )
        .await;
    assert!(
        r.status.is_redirection() || r.status == StatusCode::OK,
        "{}",
        r.body
    );
    let r = t.send(from(office, "li", TEST_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "unlocked");
    // The audit log keeps who cleared whose failures, in words.
    let auditor = crate::support::user_session(&t, "shenji", Role::Auditor, UserScope::None).await;
    let r = t
        .get_as(&auditor, &format!("/audit?entity=user&entity_id={}", li.id))
        .await;
    assert!(r.body.contains("解除登录限制"), "{}", r.body);
    assert!(r.body.contains("root"), "who unlocked: {}", r.body);
    for _ in 0..6 {
        t.send(from(office, "li", "wrong-password")).await;
    }
    // A colleague behind the same address is not held back by li's typos…
    let r = t.send(from(office, "wang", TEST_PASSWORD)).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "the office is not locked out"
    );
    // …and li from another address is not either (a guesser cannot lock a known account).
    let r = t.send(from([10, 0, 0, 8], "li", TEST_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // One address trying many usernames is slowed down past 50 failures.
    let sprayer = [10, 0, 0, 66];
    for i in 0..50 {
        let r = t.send(from(sprayer, &format!("guess{i}"), "x")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    let r = t.send(from(sprayer, "wang", TEST_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);

    // A username longer than any account's is refused and never kept.
    let keys = t.state.limiter.len();
    let r = t.send(from(sprayer, &"x".repeat(10_000), "x")).await;
    assert!(r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(t.state.limiter.len(), keys);
}

#[tokio::test]
async fn login_from_behind_a_trusted_proxy_counts_the_forwarded_address() {
    let t = TestApp::with_demo().await;
    create_user(&t.store, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    assert!(
        t.state.guard.trusted_proxies.is_empty(),
        "no proxy trusted by default"
    );
    let mut state = t.state.clone();
    state.guard.trusted_proxies = std::sync::Arc::new(vec![[127, 0, 0, 1].into()]);
    let (cookie, csrf) = login_form(&t).await;
    let via_proxy = |client: &str, pw: &str| {
        let mut req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .header("x-forwarded-for", client)
            .body(Body::from(format!(
                "username=li&password={}&csrf={csrf}",
                enc(pw)
            )))
            .expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        req
    };
    for _ in 0..5 {
        let r = t.send_via(&state, via_proxy("10.1.1.1", "wrong")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = t
        .send_via(&state, via_proxy("10.1.1.1", TEST_PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another person behind the same proxy is someone else.
    let r = t
        .send_via(&state, via_proxy("10.1.1.2", TEST_PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

both_engines!(logout_needs_the_csrf_token_and_ends_the_session);
async fn logout_needs_the_csrf_token_and_ends_the_session(t: &TestApp) {
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    assert_eq!(t.get_as(&s, "/ledger").await.status, StatusCode::OK);
    let r = t.post_form(Some(&s), "/logout", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no token");
    assert_eq!(r.json()["code"], "csrf");
    let r = t.post_form(Some(&s), "/logout", "csrf=0123").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "wrong token");
    assert_eq!(
        t.get_as(&s, "/ledger").await.status,
        StatusCode::OK,
        "still in"
    );

    let r = t
        .post_form(Some(&s), "/logout", &format!("csrf={}", s.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
    assert!(
        r.headers[header::SET_COOKIE]
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0")
    );
    // The old cookie is dead on the server, whatever the browser keeps.
    let r = t.get_as(&s, "/ledger").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?next="));
    assert_eq!(
        t.get_as(&s, "/api/v1/compounds").await.status,
        StatusCode::UNAUTHORIZED
    );
}

both_engines!(idle_and_expired_sessions_send_the_user_back_to_login);
async fn idle_and_expired_sessions_send_the_user_back_to_login(t: &TestApp) {
    let pool = t.store.pool();
    let stamp = |d: jiff::SignedDuration| anju_store::ts_text(jiff::Timestamp::now() - d);

    // Idle: last seen 8 h 1 min ago (the default idle timeout is 8 h).
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    anju_store::query("UPDATE sessions SET last_seen_at = $1")
        .bind(stamp(jiff::SignedDuration::from_mins(8 * 60 + 1)))
        .execute(pool)
        .await
        .expect("age the session");
    let r = t.get_as(&s, "/ledger").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=%2Fledger");

    // Idle 7 h 59 min: still fine (and the visit renews it).
    let s = login(t, "li", TEST_PASSWORD).await;
    anju_store::query("UPDATE sessions SET last_seen_at = $1 WHERE revoked_at IS NULL")
        .bind(stamp(jiff::SignedDuration::from_mins(8 * 60 - 1)))
        .execute(pool)
        .await
        .expect("age the session");
    assert_eq!(t.get_as(&s, "/ledger").await.status, StatusCode::OK);
    assert_eq!(t.get_as(&s, "/ledger").await.status, StatusCode::OK);

    // Absolute lifetime: past its expiry, however recently used.
    anju_store::query("UPDATE sessions SET expires_at = $1 WHERE revoked_at IS NULL")
        .bind(stamp(jiff::SignedDuration::from_secs(1)))
        .execute(pool)
        .await
        .expect("expire the session");
    let r = t.get_as(&s, "/api/v1/stats").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

both_engines!(a_street_officer_sees_only_their_street);
async fn a_street_officer_sees_only_their_street(t: &TestApp) {
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let r = t.get_as(&s, "/api/v1/compounds").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v.as_array().expect("array").len(), 151);
    assert_eq!(streets_of(&v), vec![DAQINTALA.to_string()]);
    // Asking for another street finds nothing, in the list and in the figures.
    let other = format!("/api/v1/compounds?street={}", enc(SHANCHENG));
    assert_eq!(
        t.get_as(&s, &other).await.json().as_array().map(Vec::len),
        Some(0)
    );
    let r = t
        .get_as(&s, &format!("/api/v1/stats?street={}", enc(SHANCHENG)))
        .await;
    assert_eq!(r.json()["compounds"], 0);
    let r = t.get_as(&s, "/api/v1/stats").await;
    assert_eq!(r.json()["compounds"], 151);
    assert_eq!(r.json()["unmanaged_households"], 3796);
    // Searching for another street's compound by name finds nothing.
    let r = t
        .get_as(&s, &format!("/api/v1/compounds?q={}", enc("台联")))
        .await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(0));

    let r = t.get_as(&s, "/ledger").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<b>151</b>"), "151 compounds card");
    assert!(
        !r.body.contains(SHANCHENG),
        "no other street, not even in the street filter"
    );
    assert!(!r.body.contains("东城街道"));
    assert!(
        r.body.contains("李强") || r.body.contains("测试 li"),
        "who is logged in"
    );

    // The housing authority (city level, no region) sees all three places.
    let h = user_session(t, "zhujian", Role::HousingAuthority, UserScope::None).await;
    let all = t.get_as(&h, "/api/v1/compounds").await.json();
    assert_eq!(all.as_array().map(Vec::len), Some(199));
    assert!(streets_of(&all).contains(&SHANCHENG.to_string()));

    // A community officer sees only their community.
    let regions = t.store.list_regions().await.expect("regions");
    let street_id = regions
        .iter()
        .find(|r| r.name == DAQINTALA)
        .map(|r| r.id)
        .expect("street");
    let community = regions
        .iter()
        .find(|r| r.parent_id == Some(street_id) && r.level == anju_core::RegionLevel::Community)
        .expect("a community")
        .name
        .clone();
    let c = user_session(t, "shequ", Role::Community, UserScope::Region(&community)).await;
    let mine = t.get_as(&c, "/api/v1/compounds").await.json();
    let list = mine.as_array().expect("array");
    assert!(!list.is_empty() && list.len() < 151, "{}", list.len());
    assert!(list.iter().all(|x| x["community"] == community.as_str()));
}

both_engines!(a_company_user_sees_only_its_compounds);
async fn a_company_user_sees_only_its_compounds(t: &TestApp) {
    let store = &t.store;
    // The company serving the most demo compounds.
    let all = store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list");
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for c in &all {
        if let Some(name) = &c.compound.company {
            *counts.entry(name.clone()).or_default() += 1;
        }
    }
    let (company, n) = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(c, n)| (c.clone(), *n))
        .expect("a company");
    assert!(n >= 1);
    let s = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let v = t.get_as(&s, "/api/v1/compounds").await.json();
    let list = v.as_array().expect("array");
    assert_eq!(list.len(), n);
    assert!(list.iter().all(|c| c["company"] == company.as_str()));
    assert_eq!(t.get_as(&s, "/api/v1/stats").await.json()["compounds"], n);
}

both_engines!(an_auditor_reads_everything_and_cannot_post_anything);
async fn an_auditor_reads_everything_and_cannot_post_anything(t: &TestApp) {
    let a = user_session(t, "shenji", Role::Auditor, UserScope::None).await;
    assert_eq!(t.get_as(&a, "/ledger").await.status, StatusCode::OK);
    let v = t.get_as(&a, "/api/v1/compounds").await.json();
    assert_eq!(v.as_array().map(Vec::len), Some(199));
    let body = serde_json::json!({
        "username": "new", "password": "a-long-password", "role": "auditor"
    });
    let r = t.post_json(&a, "/api/v1/users", body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("审计账号只能查阅"), "{}", r.body);
    // Whatever the route, with a valid token.
    let r = t
        .post_form(Some(&a), "/s/any-token", &format!("csrf={}", a.csrf))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Logging out is allowed.
    let r = t
        .post_form(Some(&a), "/logout", &format!("csrf={}", a.csrf))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // The administrator may create accounts; a street officer may not (403, in Chinese).
    let admin = user_session(t, "admin", Role::Admin, UserScope::None).await;
    let r = t.post_json(&admin, "/api/v1/users", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let mut other = body;
    other["username"] = "new2".into();
    let r = t.post_json(&s, "/api/v1/users", other).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("无权管理账号"), "{}", r.body);
}

both_engines!(passwords_never_reach_the_audit_log);
async fn passwords_never_reach_the_audit_log(t: &TestApp) {
    let admin = user_session(t, "admin", Role::Admin, UserScope::None).await;
    let secret = "very-secret-安居-2026";
    let r = t
        .post_json(
            &admin,
            "/api/v1/users",
            serde_json::json!({"username": "zhao", "password": secret, "role": "finance"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        !r.body.contains(secret) && !r.body.contains("argon2"),
        "{}",
        r.body
    );
    let s = login(t, "zhao", secret).await;
    let _ = try_login(t, "zhao", "a-wrong-guess-123").await;
    let log = t
        .store
        .audit_entries(&AuditFilter::default())
        .await
        .expect("audit");
    let text = serde_json::to_string(&log).expect("json");
    assert!(text.contains("\"login\""), "logins are audited");
    for needle in [
        secret,
        "a-wrong-guess-123",
        TEST_PASSWORD,
        "argon2",
        &s.csrf,
    ] {
        assert!(!text.contains(needle), "{needle} in the audit log");
    }
    let token = s.cookie.trim_start_matches("anju_session=");
    assert!(!text.contains(token), "session token in the audit log");
}

both_engines!(one_compound_is_inside_or_outside_each_viewers_scope);
async fn one_compound_is_inside_or_outside_each_viewers_scope(t: &TestApp) {
    let store = &t.store;
    let all = store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list");
    let daq = all
        .iter()
        .find(|c| c.compound.street == DAQINTALA && c.company_id.is_some())
        .expect("a Daqintala compound with a company");
    let shan = all
        .iter()
        .find(|c| c.compound.street == SHANCHENG)
        .expect("a Shancheng compound");
    let community = daq.compound.community.clone().expect("community");
    let company = daq.compound.company.clone().expect("company");
    let district = daq.compound.district.clone().expect("district");
    let viewer = |u: anju_store::User| anju_web::Viewer::without_session(&u, anju_core::Lang::Zh);
    let cases = [
        (
            "street",
            Role::Street,
            UserScope::Region(DAQINTALA),
            true,
            false,
        ),
        (
            "community",
            Role::Community,
            UserScope::Region(&community),
            true,
            false,
        ),
        (
            "district",
            Role::HousingAuthority,
            UserScope::Region(&district),
            true,
            false,
        ),
        (
            "company",
            Role::Company,
            UserScope::Company(&company),
            true,
            false,
        ),
        ("city", Role::HousingAuthority, UserScope::None, true, true),
        ("auditor", Role::Auditor, UserScope::None, true, true),
    ];
    for (name, role, scope, sees_daq, sees_shan) in cases {
        let v = viewer(create_user(store, name, role, scope).await);
        assert_eq!(
            v.principal().can_see(store, daq).await.expect("check"),
            sees_daq,
            "{name} → {}",
            daq.compound.name
        );
        assert_eq!(
            v.principal().can_see(store, shan).await.expect("check"),
            sees_shan,
            "{name} → {}",
            shan.compound.name
        );
        // The list filter agrees with the one-compound check.
        let listed = store
            .list_compounds(&v.compound_filter())
            .await
            .expect("list");
        assert_eq!(listed.iter().any(|c| c.id == daq.id), sees_daq, "{name}");
        assert_eq!(listed.iter().any(|c| c.id == shan.id), sees_shan, "{name}");
        if !sees_shan {
            let err = v
                .principal()
                .require_compound(store, shan)
                .await
                .expect_err("403");
            assert!(err.to_string().contains("不在您的管辖范围内"), "{err}");
        }
        // A viewer without a session never passes a CSRF check.
        assert!(
            v.check_csrf(&axum::http::HeaderMap::new(), Some(""))
                .is_err()
        );
    }
}
