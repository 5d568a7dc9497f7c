//! 站内信 (issue 18 item 7): a referral reaches the department's inbox (the header counts it
//! unread; opening it marks it read and goes to the referral); the department's 报到 reaches the
//! referrer; the sweep tells the department and the district's 住建 of an overdue referral, once
//! however often it runs, and hands each notice to the sender; a complaint on a compound no
//! company serves reaches the street.

use crate::access_matrix::{STREET_A, world};
use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::json;
use std::sync::Arc;

both_engines!(referrals_and_overdue_items_reach_the_inbox);
async fn referrals_and_overdue_items_reach_the_inbox(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "n_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let fire = user_session(
        t,
        "n_xf",
        Role::Department,
        UserScope::Department(w.inside.department),
    )
    .await;
    let district = user_session(
        t,
        "n_zj",
        Role::HousingAuthority,
        UserScope::Region("奈曼旗"),
    )
    .await;
    let today = t.state.app.today();

    // Nothing unread yet.
    let r = t.get_as(&fire, "/referrals").await;
    assert!(r.body.contains("id=\"inbox-link\""), "{}", r.body);
    assert!(!r.body.contains("id=\"unread\""), "{}", r.body);

    // The street refers: the brigade's header counts one unread notice.
    let r = t
        .post_json(
            &street,
            "/api/v1/referrals",
            json!({"compound_id": w.inside.compound.id, "department_id": w.inside.department,
                   "source": "other", "category": "消防通道", "text": "楼前消防通道被占",
                   "referred_on": today.to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let referral = r.json()["id"].as_i64().expect("id");
    let r = t.get_as(&fire, "/referrals").await;
    assert!(
        r.body.contains("<b class=\"badge\" id=\"unread\">1</b>"),
        "{}",
        r.body
    );
    let r = t.get_as(&fire, "/inbox").await;
    assert!(r.body.contains("新的吹哨事项"), "{}", r.body);
    let notices = t
        .state
        .app
        .inbox(&fire_principal(t, "n_xf").await)
        .await
        .expect("inbox");
    assert_eq!(notices.len(), 1);
    // Opening it goes to the referral and marks it read.
    let r = t.get_as(&fire, &format!("/inbox/{}", notices[0].id)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/referrals/{referral}"));
    let r = t.get_as(&fire, "/referrals").await;
    assert!(!r.body.contains("id=\"unread\""), "{}", r.body);
    // Another person's notice is not theirs to open.
    let r = t
        .get_as(&street, &format!("/inbox/{}", notices[0].id))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // 报到 reaches the street officer who referred it.
    let r = t
        .post_json(
            &fire,
            &format!("/api/v1/referrals/{referral}/acknowledge"),
            json!({"version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t.get_as(&street, "/inbox").await;
    assert!(r.body.contains("已报到"), "{}", r.body);

    // The sweep: the world's referral (2026-11-03, 5 working days) is overdue — the brigade and
    // the district's 住建 hear of it, through the sender too; a second sweep sends nothing new.
    let sender = Arc::new(anju_app::notices::MemorySender::default());
    let app = t.state.app.clone().with_sender(sender.clone());
    let s = app.sweep_notices().await.expect("sweep");
    assert!(s.referrals_overdue >= 1, "{s:?}");
    let sent = sender.sent();
    assert!(
        sent.iter()
            .any(|(u, title)| u == "n_xf" && title.contains("逾期（督办）")),
        "{sent:?}"
    );
    assert!(
        sent.iter()
            .any(|(u, title)| u == "n_zj" && title.contains("逾期（督办）")),
        "{sent:?}"
    );
    let r = t.get_as(&district, "/inbox").await;
    assert!(r.body.contains("吹哨事项逾期（督办）"), "{}", r.body);
    let again = app.sweep_notices().await.expect("sweep");
    assert_eq!(again.notices, 0, "{again:?}");
    // 全部标为已读.
    let r = t
        .post_form(
            Some(&district),
            "/inbox/read-all",
            &format!("csrf={}", district.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&district, "/inbox").await;
    assert!(!r.body.contains("id=\"unread\""), "{}", r.body);

    // A complaint on a compound no company serves reaches the street, never nobody.
    let bare = t
        .store
        .list_compounds(&anju_store::CompoundFilter::default())
        .await
        .expect("compounds")
        .into_iter()
        .find(|c| {
            c.company_id.is_none()
                && c.compound.street == STREET_A
                && c.id != w.inside.contract_compound
        })
        .expect("a compound without a company");
    let r = t
        .post_json(
            &street,
            "/api/v1/complaints",
            json!({"compound_id": bare.id, "source": "hotline_12345", "category": "消防通道",
                   "text": "消防通道堆放杂物", "received_on": today.to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = t.get_as(&street, "/inbox").await;
    assert!(r.body.contains("无物业小区的投诉"), "{}", r.body);
}

async fn fire_principal(t: &TestApp, name: &str) -> anju_app::Principal {
    let u = t
        .store
        .find_user(name)
        .await
        .expect("user")
        .expect("exists");
    anju_web::Viewer::without_session(&u, anju_core::Lang::Zh).principal()
}
