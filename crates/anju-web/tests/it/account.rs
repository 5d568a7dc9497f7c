//! 修改密码 through HTTP: the field named on each refusal, CSRF, every other session ended,
//! this browser kept logged in with a fresh session, the auditor included.

use crate::support::{
    Session, TEST_PASSWORD, TestApp, UserScope, both_engines, create_user, enc, login, try_login,
};
use anju_core::access::Role;
use axum::http::{StatusCode, header};

fn change_form(s: &Session, current: &str, new: &str, again: &str) -> String {
    format!(
        "csrf={}&current_password={}&new_password={}&confirm_password={}",
        s.csrf,
        enc(current),
        enc(new),
        enc(again)
    )
}

both_engines!(changing_ones_password_ends_every_other_session);
async fn changing_ones_password_ends_every_other_session(t: &TestApp) {
    create_user(
        &t.store,
        "pw_street",
        Role::Street,
        UserScope::Region("大沁他拉街道"),
    )
    .await;
    let a = login(t, "pw_street", TEST_PASSWORD).await;
    let b = login(t, "pw_street", TEST_PASSWORD).await;
    // Linked from the page frame, in Chinese by default, English on request.
    let ledger = t.get_as(&a, "/ledger").await;
    assert!(
        ledger.body.contains("href=\"/account/password\""),
        "nav link"
    );
    let r = t.get_as(&a, "/account/password").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("当前密码") && r.body.contains("再次输入新密码"));
    let r = t.get_as(&a, "/account/password?lang=en").await;
    assert!(r.body.contains("Current password"), "{}", r.body);
    // Without the session's CSRF token: refused, nothing changed.
    let r = t
        .post_form(
            Some(&a),
            "/account/password",
            "current_password=x&new_password=new-password-9&confirm_password=new-password-9",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Each bad input names its field; the session lives on.
    for (form, says, field) in [
        (
            change_form(&a, "wrong-password", "new-password-9", "new-password-9"),
            "当前密码：不正确",
            "current_password",
        ),
        (
            change_form(&a, TEST_PASSWORD, "short", "short"),
            "新密码：至少 8 个字符",
            "new_password",
        ),
        (
            change_form(&a, TEST_PASSWORD, "new-password-9", "new-password-8"),
            "再次输入新密码：两次输入的新密码不一致",
            "confirm_password",
        ),
        (
            change_form(&a, TEST_PASSWORD, TEST_PASSWORD, TEST_PASSWORD),
            "新密码：不能与当前密码相同",
            "new_password",
        ),
    ] {
        let r = t.post_form(Some(&a), "/account/password", &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        assert!(r.body.contains(says), "{says}: {}", r.body);
        assert!(
            r.body.contains(&format!(
                "name=\"{field}\" autocomplete=\"{}\"",
                if field == "current_password" {
                    "current-password"
                } else {
                    "new-password"
                }
            )),
            "{field}"
        );
        assert!(
            !r.body.contains("value=\"wrong-password\""),
            "no password echoed"
        );
    }
    let r = t
        .post_form(
            Some(&a),
            "/account/password?lang=en",
            &change_form(&a, "wrong-password", "new-password-9", "new-password-9"),
        )
        .await;
    assert!(
        r.body.contains("Current password: is not correct"),
        "{}",
        r.body
    );
    assert_eq!(t.get_as(&b, "/api/v1/me").await.status, StatusCode::OK);
    // The change: a fresh session for this browser, every other one (and the old one) ended.
    let r = t
        .post_form(
            Some(&a),
            "/account/password",
            &change_form(&a, TEST_PASSWORD, "new-password-9", "new-password-9"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/account/password?done=1");
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a new session cookie")
        .to_string();
    let fresh = Session {
        cookie,
        csrf: String::new(),
    };
    assert_eq!(
        t.get_as(&b, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.get_as(&a, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let done = t.get_as(&fresh, "/account/password?done=1").await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("密码已修改"), "{}", done.body);
    // The old password no longer signs in; the new one does.
    assert_eq!(
        try_login(t, "pw_street", TEST_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    login(t, "pw_street", "new-password-9").await;
    // Not logged in: the login page.
    let r = t.get("/account/password").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
}

both_engines!(an_auditor_changes_their_own_password);
async fn an_auditor_changes_their_own_password(t: &TestApp) {
    create_user(&t.store, "pw_audit", Role::Auditor, UserScope::None).await;
    let s = login(t, "pw_audit", TEST_PASSWORD).await;
    let r = t
        .post_form(
            Some(&s),
            "/account/password",
            &change_form(&s, TEST_PASSWORD, "auditor-new-1", "auditor-new-1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = login(t, "pw_audit", "auditor-new-1").await;
    // Still refused every other write.
    let r = t
        .post_form(Some(&s), "/tasks", &format!("csrf={}", s.csrf))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
