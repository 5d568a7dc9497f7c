//! Credit with consequences (issue 18 item 6; seed 003 三（二）"完善物业服务企业不良行为记录公示
//! 制度……建立健全物业投诉责任机制和淘汰、退出机制"): a bad-conduct record puts a company on the
//! public list and bars it from registering in a public selection, with the reason on the page;
//! a company graded below the scheme's bar is refused the same way; a dismissal and a complaint
//! found substantiated go into the credit file by themselves.

use crate::access_matrix::{STREET_A, world};
use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::json;

fn version_in(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

both_engines!(bad_conduct_bars_registration_and_is_listed_publicly);
async fn bad_conduct_bars_registration_and_is_listed_publicly(t: &TestApp) {
    let w = world(t).await;
    let authority = user_session(t, "c_zj", Role::HousingAuthority, UserScope::None).await;
    let street = user_session(t, "c_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let today = t.state.app.today();
    let company = w.inside.company;
    let name = w.company_a_name.clone();

    // Before: nobody on the public list (no account needed to read it).
    let r = t.get("/credit/bad-conduct").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains(&name), "{}", r.body);

    // 住建 records a bad conduct (擅自提高收费标准), dated today.
    let r = t
        .post_json(
            &authority,
            &format!("/api/v1/companies/{company}/records"),
            json!({"kind": "bad_conduct", "happened_on": today.to_string(), "points": "5",
                   "note": "擅自提高收费标准"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // The public list shows it, with the day it leaves the list.
    let r = t.get("/credit/bad-conduct").await;
    assert!(r.body.contains(&name), "{}", r.body);
    assert!(r.body.contains("擅自提高收费标准"), "{}", r.body);
    let until = anju_core::credit::last_day_listed(
        today,
        &anju_core::credit::CreditScheme::yantai_default(),
    );
    assert!(r.body.contains(&until.to_string()), "{}", r.body);
    let r = t.get("/credit/bad-conduct?lang=en").await;
    assert!(r.body.contains("listed until"), "{}", r.body);

    // The street's selection: the company's registration is refused with the reason, the
    // form page says so; nothing is written.
    let sel = w.inside.selection;
    let page = format!("/selections/{sel}");
    let r = t.get_as(&street, &page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/register"),
            &format!("csrf={}&version={v}&company={company}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&name), "{}", r.body);
    assert!(r.body.contains("不良行为记录公示名单"), "{}", r.body);
    assert!(r.body.contains("不得报名参加公开选聘"), "{}", r.body);
    let after = t
        .get_as(&street, &format!("/api/v1/selections/{sel}"))
        .await;
    if after.status == StatusCode::OK {
        assert!(
            !after.body.contains(&format!("\"company_id\":{company}")),
            "{}",
            after.body
        );
    }
    // Another company, clean, registers.
    let other = w.outside.company;
    let r = t.get_as(&street, &page).await;
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/register"),
            &format!("csrf={}&version={v}&company={other}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

both_engines!(a_grade_below_the_bar_is_refused_at_registration);
async fn a_grade_below_the_bar_is_refused_at_registration(t: &TestApp) {
    let w = world(t).await;
    let authority = user_session(t, "g_zj", Role::HousingAuthority, UserScope::None).await;
    let street = user_session(t, "g_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let today = t.state.app.today();
    let company = w.inside.company;
    // An assessment of 59.99 puts the company in C, below the default bar (B).
    let r = t
        .post_json(
            &authority,
            &format!("/api/v1/companies/{company}/records"),
            json!({"kind": "assessment", "happened_on": today.to_string(), "score": "59.99",
                   "assessor": "区住建局"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let page = format!("/selections/{}", w.inside.selection);
    let r = t.get_as(&street, &page).await;
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/register"),
            &format!("csrf={}&version={v}&company={company}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("信用等级为 C") && r.body.contains("低于 B 级"),
        "{}",
        r.body
    );
}

both_engines!(a_dismissal_and_a_substantiated_complaint_go_into_the_file_by_themselves);
async fn a_dismissal_and_a_substantiated_complaint_go_into_the_file_by_themselves(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "d_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let company = w.inside.company;
    let file = async || t.store.company_records(company).await.expect("records");
    let before = file().await.len();

    // The complaint found substantiated (核实有效) on its page.
    let id = w.inside.complaint;
    let r = t.get_as(&street, &format!("/complaints/{id}")).await;
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/complaints/{id}/verify"),
            &format!(
                "csrf={}&version={v}&verdict=substantiated&note={}",
                street.csrf,
                crate::support::enc("现场查看属实")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = file().await;
    assert_eq!(now.len(), before + 1);
    let rec = now.last().expect("a record");
    assert_eq!(rec.record.kind, anju_core::credit::RecordKind::Complaint);
    assert_eq!(rec.record.complaints, Some(1));
    assert_eq!(rec.compound_id, Some(w.inside.compound.id));

    // The contract ended by dismissal (解聘).
    let contract = t
        .store
        .get_contract(w.inside.contract)
        .await
        .expect("contract");
    let r = t
        .post_json(
            &street,
            &format!("/api/v1/contracts/{}/terminate", contract.id),
            json!({"version": contract.version, "kind": "dismissal",
                   "reason": "业主满意度调查不满意超过半数", "on": t.state.app.today().to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let now = file().await;
    let dismissals: Vec<_> = now
        .iter()
        .filter(|r| r.record.kind == anju_core::credit::RecordKind::Dismissal)
        .collect();
    assert_eq!(dismissals.len(), contract.compound_ids.len());
    assert!(
        dismissals[0]
            .record
            .note
            .as_deref()
            .is_some_and(|n| n.contains("业主满意度调查不满意超过半数")),
        "{:?}",
        dismissals[0].record.note
    );
    // The file page shows them.
    let r = t.get_as(&street, &format!("/companies/{company}")).await;
    assert!(r.body.contains("解聘"), "{}", r.body);
}
