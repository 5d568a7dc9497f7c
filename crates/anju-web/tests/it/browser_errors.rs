//! A browser always gets an HTML error page; an API client always gets JSON.

use crate::support::{Session, TestApp, UserScope, user_session};
use anju_core::access::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

async fn browse(t: &TestApp, s: &Session, uri: &str) -> crate::support::Res {
    t.send(
        Request::get(uri)
            .header(header::COOKIE, &s.cookie)
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

fn is_html(r: &crate::support::Res) -> bool {
    r.headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

#[tokio::test]
async fn a_browser_gets_an_html_page_for_every_error_and_an_api_client_json() {
    let t = TestApp::with_demo().await;
    let s = user_session(&t, "admin", Role::Admin, UserScope::None).await;

    // No such page: 404 in words, with the way back.
    let r = browse(&t, &s, "/no-such-page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(is_html(&r), "{:?}", r.headers);
    assert!(
        r.body.contains("找不到页面") && r.body.contains("返回小区台账"),
        "{}",
        r.body
    );

    // A page's refusal that was a JSON body: the same status and message, as a page.
    let r = browse(&t, &s, "/ledger?sort=bogus").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_html(&r), "{}", r.body);
    assert!(r.body.contains("未知的排序方式"), "{}", r.body);
    assert!(!r.body.contains("\"code\""), "{}", r.body);

    // The router's own rejection (a path that is not a number): no English plain text.
    let r = browse(&t, &s, "/compounds/abc").await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(is_html(&r), "{}", r.body);
    assert!(r.body.contains("网址"), "{}", r.body);

    // In English when the page is read in English.
    let r = browse(&t, &s, "/no-such-page?lang=en").await;
    assert!(
        r.body.contains("Not found") && r.body.contains("Back to the ledger"),
        "{}",
        r.body
    );

    // The API answers JSON whatever the client accepts.
    let r = browse(&t, &s, "/api/v1/compounds?mode=bogus").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"code\":\"bad_request\""), "{}", r.body);
    // And a client that does not ask for HTML still gets the JSON body.
    let r = t.get_as(&s, "/ledger?sort=bogus").await;
    assert!(r.body.contains("\"code\""), "{}", r.body);
}
