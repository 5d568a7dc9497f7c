//! A malformed JSON body — a field missing, a value of the wrong kind, an unknown code, not
//! JSON at all — is answered 422 `invalid` with the field's path in `field` and a Chinese
//! message that names it, on every kind of route; never serde's own wording ("missing field
//! `x` at line 1 column 2", "invalid type: …, expected …").

use crate::support::{TestApp, UserScope, send_json, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// What serde says and a person should never read.
const SERDE_WORDING: &[&str] = &[
    "missing field",
    "invalid type",
    "invalid value",
    "invalid length",
    "unknown variant",
    "unknown field",
    "expected",
    " at line ",
    "column",
    "`",
];

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test]
async fn malformed_bodies_name_the_field_in_chinese_on_every_kind_of_route() {
    let t = TestApp::with_demo().await;
    let s = user_session(&t, "body_admin", Role::Admin, UserScope::None).await;
    let compound = t.get_as(&s, "/api/v1/ledger?per_page=1").await.json()["items"][0]["id"]
        .as_i64()
        .expect("a compound");
    let me = t.get_as(&s, "/api/v1/me").await.json()["user_id"]
        .as_i64()
        .expect("my id");
    let company = t.get_as(&s, "/api/v1/companies").await.json()[0]["company"]["id"]
        .as_i64()
        .expect("a company");
    let c = |p: &str| format!("/api/v1/compounds/{compound}{p}");
    let cases: Vec<(&str, String, Value, &str)> = vec![
        // A field missing.
        (
            "POST",
            "/api/v1/contracts".into(),
            json!({}),
            "compound_ids",
        ),
        ("PUT", c(""), json!({"version": 1}), "compound"),
        (
            "POST",
            "/api/v1/users".into(),
            json!({"username": "u1", "password": "long-enough-1"}),
            "role",
        ),
        (
            "POST",
            "/api/v1/patrols".into(),
            json!({"compound_id": compound, "kind": "weekly_patrol", "date": "2026-01-05",
                   "inspector": "王", "findings": [{"category": "environment"}]}),
            "findings[0].description",
        ),
        (
            "POST",
            c("/lifecycle"),
            json!({"version": 1, "on": "2026-01-05", "step": {}}),
            "step.event",
        ),
        // A value of the wrong kind.
        (
            "POST",
            "/api/v1/tasks".into(),
            json!({"compound_id": "abc", "title": "t", "responsible": "r", "deadline": "2026-12-01"}),
            "compound_id",
        ),
        (
            "POST",
            format!("/api/v1/users/{me}/active"),
            json!({"version": "one", "active": true}),
            "version",
        ),
        (
            "POST",
            "/api/v1/funding/policies".into(),
            json!({"region_id": 1, "policy": "liaocheng-2021", "valid_from": 20260101}),
            "valid_from",
        ),
        (
            "POST",
            "/api/v1/complaints".into(),
            json!({"compound_id": compound, "source": "resident", "category": "c", "text": "t",
                   "received_on": "yesterday"}),
            "received_on",
        ),
        (
            "POST",
            "/api/v1/contracts".into(),
            json!({"compound_ids": [compound, -1.5]}),
            "compound_ids[1]",
        ),
        (
            "POST",
            format!("/api/v1/companies/{company}/records"),
            json!({"kind": "assessment", "happened_on": "2026-01-05", "score": "abc"}),
            "score",
        ),
        // A code that is not one of the list.
        (
            "POST",
            "/api/v1/surveys".into(),
            json!({"compound_id": compound, "period": "2026H1", "rule": "bogus"}),
            "rule",
        ),
        (
            "POST",
            c("/lifecycle"),
            json!({"version": 1, "on": "2026-01-05", "step": {"event": "fly"}}),
            "step.event",
        ),
        (
            "POST",
            "/api/v1/patrols".into(),
            json!({"compound_id": compound, "kind": "daily", "date": "2026-01-05",
                   "inspector": "王", "findings": []}),
            "kind",
        ),
        // Not an object at all.
        ("POST", "/api/v1/tasks".into(), json!([1, 2]), ""),
    ];
    let mut problems = Vec::new();
    for (method, uri, body, field) in &cases {
        let r = send_json(&t, &s, method, uri, body.clone()).await;
        let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        let message = v["message"].as_str().unwrap_or("");
        let named = field.rsplit(['.', '[']).next().unwrap_or("");
        let ok = r.status == StatusCode::UNPROCESSABLE_ENTITY
            && v["code"] == "invalid"
            && v["field"] == *field
            && has_chinese(message)
            && message.contains(named.trim_end_matches(']'))
            && !SERDE_WORDING.iter().any(|w| message.contains(w));
        if !ok {
            problems.push(format!("{method} {uri} {body} → {} {}", r.status, r.body));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    t.finish().await;
}

#[tokio::test]
async fn a_body_that_is_not_json_says_so_in_chinese() {
    let t = TestApp::with_demo().await;
    let s = user_session(&t, "body_admin2", Role::Admin, UserScope::None).await;
    let r = t
        .send(
            axum::http::Request::builder()
                .method("POST")
                .uri("/api/v1/tasks")
                .header(axum::http::header::COOKIE, &s.cookie)
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", &s.csrf)
                .body(axum::body::Body::from("{\"compound_id\": 1,"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let message = r.json()["message"].as_str().unwrap_or("").to_string();
    assert!(
        message.contains("JSON") && has_chinese(&message),
        "{message}"
    );
    t.finish().await;
}
