//! The audit log view through HTTP: who may read it, filters, readable diffs, no secrets.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use anju_store::{Actor, CompoundFilter};
use axum::http::StatusCode;

both_engines!(the_audit_log_is_for_the_auditor_and_the_authority_only);
async fn the_audit_log_is_for_the_auditor_and_the_authority_only(t: &TestApp) {
    let street = user_session(t, "li", Role::Street, UserScope::Region("大沁他拉街道")).await;
    let r = t.get_as(&street, "/audit").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("无权"), "{}", r.body);
    let company = t
        .store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list")
        .into_iter()
        .find_map(|c| c.compound.company)
        .expect("company");
    let co = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    assert_eq!(t.get_as(&co, "/audit").await.status, StatusCode::FORBIDDEN);

    // A change to record: one compound's households, by a named actor.
    let store = &t.store;
    let c = store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list")
        .remove(0);
    let mut changed = c.compound.clone();
    changed.households = Some(changed.households.unwrap_or(0) + 7);
    store
        .update_compound(&Actor::new("wang", "street"), c.id, c.version, changed)
        .await
        .expect("update");

    let auditor = user_session(t, "shenji", Role::Auditor, UserScope::None).await;
    let r = t
        .get_as(
            &auditor,
            &format!("/audit?entity=compound&entity_id={}", c.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let before = c.compound.households.unwrap_or(0);
    assert!(
        r.body.contains(&format!(
            "<b>小区·户数</b>：<del>{before}</del> → <ins>{}</ins>",
            before + 7
        )),
        "a readable diff: {}",
        r.body
    );
    // By actor and by date range (today is included at both ends).
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .date();
    let r = t
        .get_as(
            &auditor,
            &format!("/audit?actor=wang&from={today}&to={today}"),
        )
        .await;
    assert!(
        r.body.contains("wang") && r.body.contains("1 / 1"),
        "{}",
        r.body
    );
    let r = t.get_as(&auditor, "/audit?actor=wang&to=2020-01-01").await;
    assert!(r.body.contains("没有符合条件的记录"));
    // A bad date names the field and keeps what was typed.
    let r = t
        .get_as(&auditor, &format!("/audit?from={}", enc("昨天")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("起始日期") && r.body.contains("value=\"昨天\""));
    // Pages of 50.
    let r = t.get_as(&auditor, "/audit?entity=compound").await;
    assert!(r.body.contains("1 / "), "{}", r.body);
    // Never a password hash or a token: logins and account creation are in the log.
    let r = t.get_as(&auditor, "/audit?entity=user").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("$argon2"), "no password hash");
    let r = t.get_as(&auditor, "/audit?entity=session").await;
    let token = auditor.cookie.split_once('=').expect("cookie").1;
    assert!(r.body.contains("<table id=\"audit\">"), "logins are logged");
    assert!(!r.body.contains(token), "no session token");
    // The housing authority reads it too.
    let ha = user_session(t, "zhujian", Role::HousingAuthority, UserScope::None).await;
    assert_eq!(t.get_as(&ha, "/audit").await.status, StatusCode::OK);
    // A district's housing authority reads its district's part of the log (no company, no
    // account, no city-wide import); the access matrix checks that no other region's entry
    // appears.
    let district = user_session(
        t,
        "naiman",
        Role::HousingAuthority,
        UserScope::Region("奈曼旗"),
    )
    .await;
    let r = t.get_as(&district, "/audit").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("仅显示奈曼旗辖区内"), "{}", r.body);
    let r = t.get_as(&district, "/api/v1/audit?limit=10000").await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = r.json();
    let rows = rows.as_array().expect("rows");
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|e| !matches!(
            e["entity"].as_str(),
            Some("company" | "user" | "session" | "ledger")
        )),
        "nothing city-wide"
    );
    // A company's account still reads no log at all.
    assert_eq!(
        t.get_as(&co, "/api/v1/audit").await.status,
        StatusCode::FORBIDDEN
    );
}

both_engines!(the_audit_log_reads_in_words_page_by_page);
async fn the_audit_log_reads_in_words_page_by_page(t: &TestApp) {
    let store = &t.store;
    // An account's change: its name is shown, with the login name.
    user_session(t, "li", Role::Street, UserScope::Region("大沁他拉街道")).await;
    let c = store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list")
        .remove(0);
    let mut changed = c.compound.clone();
    changed.built_year = Some(1999);
    store
        .update_compound(&Actor::new("li", "street"), c.id, c.version, changed)
        .await
        .expect("update");
    let auditor = user_session(t, "shenji", Role::Auditor, UserScope::None).await;
    let r = t.get_as(&auditor, "/audit?actor=li&entity=compound").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("测试 li"), "the actor's name: {}", r.body);
    assert!(
        r.body.contains("建成年份"),
        "field names in words: {}",
        r.body
    );
    assert!(
        !r.body.contains("<b>compound."),
        "no internal path: {}",
        r.body
    );
    assert!(r.body.contains(">修改<"), "the action in words");
    assert!(r.body.contains("共 1 条"), "{}", r.body);
    // Beijing time: the stored UTC instant read at UTC+8.
    let entry = store
        .audit_entries(&anju_store::AuditFilter {
            actor: Some("li".into()),
            entity: Some("compound".into()),
            ..Default::default()
        })
        .await
        .expect("entries")
        .remove(0);
    let at = entry.at;
    let local = at
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .strftime("%Y年%-m月%-d日 %H:%M")
        .to_string();
    assert!(r.body.contains(&local), "{local} in {}", r.body);
    // The record type filter offers words.
    assert!(r.body.contains(">整改通知</option>"));

    // Pages of 50 with the total: the demo import wrote one entry per compound.
    let all = store
        .audit_entries(&anju_store::AuditFilter {
            entity: Some("compound".into()),
            ..Default::default()
        })
        .await
        .expect("entries");
    assert!(all.len() > 100, "{}", all.len());
    let pages = all.len().div_ceil(50);
    let rows = |body: &str| body.matches("<tr><td class=\"num\">").count();
    let r = t.get_as(&auditor, "/audit?entity=compound").await;
    assert!(
        r.body
            .contains(&format!("第 1 / {pages} 页 · 共 {} 条", all.len())),
        "{}",
        r.body
    );
    assert_eq!(rows(&r.body), 50);
    assert!(
        r.body.contains(&format!(">{}</td>", all[0].id)),
        "newest first"
    );
    assert!(r.body.contains("page=2\">下一页</a>"), "下一页: {}", r.body);
    assert!(!r.body.contains("上一页"));
    let r = t.get_as(&auditor, "/audit?entity=compound&page=2").await;
    assert_eq!(rows(&r.body), 50);
    assert!(r.body.contains(&format!(">{}</td>", all[50].id)));
    assert!(!r.body.contains(&format!(">{}</td>", all[0].id)));
    assert!(r.body.contains("上一页") && r.body.contains("下一页"));
    let r = t
        .get_as(&auditor, &format!("/audit?entity=compound&page={pages}"))
        .await;
    assert_eq!(rows(&r.body), all.len() - (pages - 1) * 50);
    assert!(!r.body.contains("下一页"));
    // Past the end: the last page.
    let r = t.get_as(&auditor, "/audit?entity=compound&page=999").await;
    assert!(
        r.body.contains(&format!("第 {pages} / {pages} 页")),
        "{}",
        r.body
    );
    // In English.
    let r = t.get_as(&auditor, "/audit?entity=compound&lang=en").await;
    assert!(r.body.contains(&format!("page 1 of {pages}")));
}
