//! The protective layers (issue 16), each attack reproduced and shown to fail safely: control
//! characters in an address on both engines, security headers, the body limit, and the rate
//! limit on the public routes.

use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

both_engines!(a_nul_in_an_address_is_refused_in_words_on_every_engine);
async fn a_nul_in_an_address_is_refused_in_words_on_every_engine(t: &TestApp) {
    let s = user_session(t, "jd", Role::Street, UserScope::Region("大沁他拉街道")).await;
    for uri in [
        "/api/v1/compounds?street=%00",
        "/api/v1/complaints?status=open%00",
        "/ledger?street=a%00b",
        "/audit?entity=%00",
        "/api/v1/compounds/1%00",
    ] {
        let r = t.get_as(&s, uri).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            r.body
        );
        assert!(r.body.contains("控制字符"), "{uri}: {}", r.body);
    }
    // The public pages too, without an account.
    let r = t.get("/p/abc%00def").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // An ordinary escaped address still works.
    let r = t
        .get_as(
            &s,
            "/ledger?street=%E5%A4%A7%E6%B2%81%E4%BB%96%E6%8B%89%E8%A1%97%E9%81%93",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let t = TestApp::with_demo().await;
    for uri in ["/login", "/healthz", "/api/v1/openapi.json", "/nowhere"] {
        let r = t.get(uri).await;
        let h = |name: header::HeaderName| {
            r.headers
                .get(&name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            h(header::CONTENT_SECURITY_POLICY).contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert_eq!(h(header::X_FRAME_OPTIONS), "DENY", "{uri}");
        assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        assert_eq!(h(header::REFERRER_POLICY), "same-origin", "{uri}");
    }
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused_before_it_is_read() {
    let t = TestApp::with_demo().await;
    let limit = t.state.guard.body_limit;
    let r = t
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::CONTENT_LENGTH, limit + 1)
                .body(Body::from(vec![b'a'; limit + 1]))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_public_pages_are_rate_limited_per_client() {
    let t = TestApp::with_demo().await;
    let mut state = t.state.clone();
    state.guard.public_burst = 5;
    state.guard.public_replenish_ms = 60_000;
    let app = anju_web::app(state);
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let res = app
            .clone()
            .oneshot(
                Request::get("/p/no-such-key")
                    .body(Body::empty())
                    .expect("req"),
            )
            .await
            .expect("response");
        statuses.push(res.status());
    }
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(limited >= 6, "{statuses:?}");
    assert!(
        statuses[..5]
            .iter()
            .all(|s| *s != StatusCode::TOO_MANY_REQUESTS)
    );
    // Signed-in pages are not held back by the public pages' limit.
    let res = app
        .clone()
        .oneshot(Request::get("/healthz").body(Body::empty()).expect("req"))
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
}

both_engines!(a_nul_inside_an_imported_cell_is_a_problem_on_every_engine);
async fn a_nul_inside_an_imported_cell_is_a_problem_on_every_engine(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let s = user_session(t, "li", Role::Street, UserScope::Region("大沁他拉街道")).await;
    // U+0001 inside a cell, then a NUL: each a problem naming the row and the column.
    for (ch, code) in [('\u{1}', "U+0001"), ('\u{0}', "U+0000")] {
        let csv = format!("小区名称,所属街道,物业管理方式\n零字{ch}小区,大沁他拉街道,弃管\n");
        let r = crate::ledger_page::post_multipart(
            t,
            dir.path(),
            &s,
            "/ledger/import",
            &[("csrf", &s.csrf)],
            &[("file", "台账.csv", csv.as_bytes())],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains(&format!("控制字符（{code}）")),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains("<td class=\"num\">2</td><td>小区名称 (A)</td>"),
            "{}",
            r.body
        );
        assert!(!r.body.contains("数据库"), "{}", r.body);
    }
}
