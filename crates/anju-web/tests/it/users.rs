//! Accounts, funding policies and the audit log through the API: the use cases of
//! `anju_app::users`, `anju_app::policies` and `anju_app::audit` (each refusal names its field).

use crate::support::{
    TEST_PASSWORD, TestApp, UserScope, both_engines, login, send_json, try_login, user_session,
};
use anju_core::RegionLevel;
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::json;

async fn region_id(t: &TestApp, level: RegionLevel, name: &str) -> i64 {
    t.store
        .list_regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.level == level && r.name == name)
        .unwrap_or_else(|| panic!("no region {name}"))
        .id
}

both_engines!(creating_an_account_names_the_field_each_rule_refuses);
async fn creating_an_account_names_the_field_each_rule_refuses(t: &TestApp) {
    let admin = user_session(t, "u_admin", Role::Admin, UserScope::None).await;
    let street = region_id(t, RegionLevel::Street, "大沁他拉街道").await;
    let ok = json!({"username": "u_new", "password": "a-long-password", "role": "auditor"});
    let with = |k: &str, v: serde_json::Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    for (body, field, says) in [
        (
            with("username", json!("u new")),
            "username",
            "用户名：“u new”含有空格",
        ),
        (with("username", json!("  ")), "username", "用户名：请填写"),
        (
            with("username", json!("u".repeat(65))),
            "username",
            "用户名：最多 64 个字",
        ),
        (
            with("display_name", json!("名".repeat(101))),
            "display_name",
            "姓名：最多 100 个字，现有 101 个字",
        ),
        (
            with("display_name", json!("李\u{7}强")),
            "display_name",
            "姓名：含有不可见的控制字符",
        ),
        (
            with("password", json!("1234567")),
            "password",
            "密码：至少 8 个字符",
        ),
        (
            with("role", json!("mayor")),
            "role",
            "角色：未知的角色“mayor”",
        ),
        (
            with("role", json!("street")),
            "region_id",
            "所属区域：“街道办事处”角色的账号须指定所属区域",
        ),
        (
            with("role", json!("company")),
            "company_id",
            "所属物业企业：“物业企业”角色的账号须指定所属物业企业",
        ),
    ] {
        let r = t.post_json(&admin, "/api/v1/users", body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{says}: {}",
            r.body
        );
        let j = r.json();
        assert_eq!(j["field"], field, "{}", r.body);
        assert!(
            j["message"].as_str().is_some_and(|m| m.starts_with(says)),
            "{says}: {}",
            r.body
        );
    }
    // In English the key is named.
    let r = t
        .post_json(
            &admin,
            "/api/v1/users?lang=en",
            with("password", json!("short")),
        )
        .await;
    assert!(
        r.json()["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("password: needs at least 8")),
        "{}",
        r.body
    );
    // Nothing was created by the refusals; a street account with its street is.
    let r = t
        .post_json(
            &admin,
            "/api/v1/users",
            json!({"username": "u_li", "display_name": " 李强 ", "password": "a-long-password",
                   "role": "街道办事处", "region_id": street}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["display_name"], "李强");
    assert_eq!(r.json()["region_name"], "大沁他拉街道");
    let r = t
        .post_json(
            &admin,
            "/api/v1/users",
            json!({"username": "u_li", "password": "a-long-password", "role": "auditor"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let list = t.get_as(&admin, "/api/v1/users").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let names: Vec<String> = list
        .json()
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|u| u["username"].as_str().map(str::to_string))
        .collect();
    assert!(names.contains(&"u_li".to_string()), "{names:?}");
    assert!(!names.contains(&"u_new".to_string()), "{names:?}");
    assert!(!list.body.contains("argon2"), "no hash in the list");
}

both_engines!(an_administrator_disables_enables_and_resets_accounts);
async fn an_administrator_disables_enables_and_resets_accounts(t: &TestApp) {
    let admin = user_session(t, "u_admin", Role::Admin, UserScope::None).await;
    let officer = user_session(
        t,
        "u_street",
        Role::Street,
        UserScope::Region("大沁他拉街道"),
    )
    .await;
    let me = t.get_as(&officer, "/api/v1/me").await.json();
    let id = me["user_id"].as_i64().expect("id");
    let account = |t: &'static str| format!("/api/v1/users/{id}/{t}");
    // Only the administrator manages accounts, the list included.
    assert_eq!(
        t.get_as(&officer, "/api/v1/users").await.status,
        StatusCode::FORBIDDEN
    );
    let r = send_json(
        t,
        &officer,
        "POST",
        &account("active"),
        json!({"version": 1, "active": false}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The version is required, named.
    let r = send_json(
        t,
        &admin,
        "POST",
        &account("active"),
        json!({"active": false}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "version", "{}", r.body);
    // Disabled: the officer's session ends and the login is refused.
    let r = send_json(
        t,
        &admin,
        "POST",
        &account("active"),
        json!({"version": 1, "active": false}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["active"], false);
    let v = r.json()["version"].as_i64().expect("version");
    assert_eq!(
        t.get_as(&officer, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        try_login(t, "u_street", TEST_PASSWORD).await.status,
        StatusCode::FORBIDDEN
    );
    // A stale version is a conflict; enabled again at the current one.
    let r = send_json(
        t,
        &admin,
        "POST",
        &account("active"),
        json!({"version": 1, "active": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = send_json(
        t,
        &admin,
        "POST",
        &account("active"),
        json!({"version": v, "active": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json()["version"].as_i64().expect("version");
    let officer = login(t, "u_street", TEST_PASSWORD).await;
    // A new password: the rules named; then every session ends and only the new one signs in.
    let r = send_json(
        t,
        &admin,
        "POST",
        &account("password"),
        json!({"version": v, "password": "short"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "password", "{}", r.body);
    let r = send_json(
        t,
        &admin,
        "POST",
        &account("password"),
        json!({"version": v, "password": "a-new-password-1"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("a-new-password-1") && !r.body.contains("argon2"));
    assert_eq!(
        t.get_as(&officer, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        try_login(t, "u_street", TEST_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    login(t, "u_street", "a-new-password-1").await;
    // The administrator cannot lock themselves out.
    let me = t.get_as(&admin, "/api/v1/me").await.json();
    let own = me["user_id"].as_i64().expect("id");
    let r = send_json(
        t,
        &admin,
        "POST",
        &format!("/api/v1/users/{own}/active"),
        json!({"version": 1, "active": false}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("不能停用自己"), "{}", r.body);
}

both_engines!(a_policy_is_assigned_to_a_district_or_street_within_ones_area);
async fn a_policy_is_assigned_to_a_district_or_street_within_ones_area(t: &TestApp) {
    let a = region_id(t, RegionLevel::Street, "大沁他拉街道").await;
    let b = region_id(t, RegionLevel::Street, "山城街道").await;
    let district = user_session(
        t,
        "u_naiman",
        Role::HousingAuthority,
        UserScope::Region("奈曼旗"),
    )
    .await;
    let assign = |region: i64, policy: &str| json!({"region_id": region, "policy": policy, "valid_from": "2021-11-15"});
    let r = t
        .post_json(&district, "/api/v1/funding/policies", assign(a, "nowhere"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "policy", "{}", r.body);
    assert!(r.body.contains("没有编号为“nowhere”的政策"), "{}", r.body);
    let r = t
        .post_json(
            &district,
            "/api/v1/funding/policies",
            json!({"region_id": a, "policy": "liaocheng-2021"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "valid_from", "{}", r.body);
    // Another district's street: refused, nothing written.
    let r = t
        .post_json(
            &district,
            "/api/v1/funding/policies",
            assign(b, "liaocheng-2021"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A community is neither a district nor a street.
    let community = t
        .store
        .list_regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.level == RegionLevel::Community && r.parent_id == Some(a))
        .expect("a community")
        .id;
    let r = t
        .post_json(
            &district,
            "/api/v1/funding/policies",
            assign(community, "liaocheng-2021"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "region_id", "{}", r.body);
    // A street office may not assign (it applies, it does not decide the policy).
    let street = user_session(
        t,
        "u_street",
        Role::Street,
        UserScope::Region("大沁他拉街道"),
    )
    .await;
    let r = t
        .post_json(
            &street,
            "/api/v1/funding/policies",
            assign(a, "liaocheng-2021"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t
        .post_json(
            &district,
            "/api/v1/funding/policies",
            assign(a, "liaocheng-2021"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["policy_id"], "liaocheng-2021");
    assert_eq!(r.json()["created_by"], "u_naiman");
    let list = t.get_as(&street, "/api/v1/funding/policies").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(
        list.body.contains("liaocheng-2021") && list.body.contains("大沁他拉街道"),
        "{}",
        list.body
    );
}

both_engines!(the_audit_log_is_read_within_the_area_the_application_decides);
async fn the_audit_log_is_read_within_the_area_the_application_decides(t: &TestApp) {
    // A street officer's role may not read the log at all (the rule: `Principal::audit_region`,
    // unit-tested in anju-app for the accounts bound to no area); a city-wide auditor reads it,
    // filtered and limited.
    let street = user_session(
        t,
        "u_street",
        Role::Street,
        UserScope::Region("大沁他拉街道"),
    )
    .await;
    let r = t.get_as(&street, "/api/v1/audit").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let auditor = user_session(t, "u_audit", Role::Auditor, UserScope::None).await;
    let r = t
        .get_as(&auditor, "/api/v1/audit?entity=user&limit=5")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = r.json();
    let rows = rows.as_array().expect("array");
    assert!(!rows.is_empty() && rows.len() <= 5, "{}", r.body);
    assert!(rows.iter().all(|e| e["entity"] == "user"), "{}", r.body);
    // The page reads through the same use case.
    let p = t.get_as(&auditor, "/audit?entity=user").await;
    assert_eq!(p.status, StatusCode::OK);
    let p = t.get_as(&street, "/audit").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}

/// The administrator's accounts page: a street account added with its street chosen from the
/// list, a refusal that names the field and keeps what was typed (never the password), an
/// account disabled and enabled again, a password reset; nobody else opens the page.
#[tokio::test]
async fn the_administrator_manages_accounts_in_the_browser() {
    let t = TestApp::with_demo().await;
    let admin = user_session(&t, "root", Role::Admin, UserScope::None).await;
    let jd = user_session(&t, "jd", Role::Street, UserScope::Region("大沁他拉街道")).await;
    assert_eq!(t.get_as(&jd, "/users").await.status, StatusCode::FORBIDDEN);
    let r = t.get_as(&admin, "/users").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let at = r
        .body
        .find("大沁他拉街道（街道）")
        .expect("the street offered");
    let before = &r.body[..at];
    let region = before[before.rfind("value=\"").expect("option") + 7..]
        .split('"')
        .next()
        .expect("id")
        .to_string();
    // A street account without its street: refused naming it, the username kept.
    let r = t
        .post_form(
            Some(&admin),
            "/users",
            &format!(
                "csrf={}&username=wangmin&display_name={}&password=Sehr-Geheim-2026&role=street",
                admin.csrf,
                crate::support::enc("王敏")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("wangmin"), "the username kept");
    assert!(
        !r.body.contains("Sehr-Geheim-2026"),
        "the password never sent back"
    );
    let r = t
        .post_form(
            Some(&admin),
            "/users",
            &format!(
                "csrf={}&username=wangmin&display_name={}&password=Sehr-Geheim-2026&role=street&region={region}",
                admin.csrf,
                crate::support::enc("王敏")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&admin, "/users").await;
    assert!(r.body.contains("id=\"user-wangmin\""), "{}", r.body);
    // The new account signs in; disabled, it cannot.
    assert_eq!(
        crate::support::try_login(&t, "wangmin", "Sehr-Geheim-2026")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let user = t
        .store
        .find_user("wangmin")
        .await
        .expect("find")
        .expect("user");
    let r = t
        .post_form(
            Some(&admin),
            &format!("/users/{}/active", user.id),
            &format!("csrf={}&version={}&active=false", admin.csrf, user.version),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_ne!(
        crate::support::try_login(&t, "wangmin", "Sehr-Geheim-2026")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // A weak password is refused, naming it.
    let user = t
        .store
        .find_user("wangmin")
        .await
        .expect("find")
        .expect("user");
    let r = t
        .post_form(
            Some(&admin),
            &format!("/users/{}/password", user.id),
            &format!(
                "csrf={}&version={}&password=short",
                admin.csrf, user.version
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("密码"), "{}", r.body);
}
