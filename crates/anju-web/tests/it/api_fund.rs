//! The maintenance fund (issue 19 item 4) through the JSON API: 住建 deposits (not dated
//! tomorrow, not by the street), the street applies for a use, cites the owners' vote that
//! carried it (more than half of the participating area and owners), 住建 approves it (not
//! before the vote) and pays it (not beyond the cost); a stale version is a conflict; another
//! street reads nothing. Every answer is what the OpenAPI document says.

use crate::access_matrix::{STREET_A, STREET_B, world};
use crate::api_votes::as_documented;
use crate::support::{Res, TestApp, UserScope, both_engines, enc, send_json, user_session};
use crate::votes::{REGISTER, cast, close, import, open, tokens};
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::{Value, json};

#[track_caller]
fn answer(r: &Res, want: StatusCode) -> Value {
    assert_eq!(r.status, want, "{}", r.body);
    r.json()
}

#[track_caller]
fn refused(r: &Res, field: &str, words: &str) {
    let e = answer(r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["field"], field, "{e}");
    let m = e["message"].as_str().expect("message");
    assert!(m.contains(words), "{words}: {m}");
}

both_engines!(a_use_is_applied_for_carried_approved_and_paid_through_the_api);
async fn a_use_is_applied_for_carried_approved_and_paid_through_the_api(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "af_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let other = user_session(t, "af_jd2", Role::Street, UserScope::Region(STREET_B)).await;
    let zj = user_session(t, "af_zj", Role::HousingAuthority, UserScope::None).await;
    let compound = w.inside.compound.id;
    let today = t.state.app.today();
    let tomorrow = today.tomorrow().expect("tomorrow");
    assert_eq!(
        import(t, &street, compound, REGISTER).await.status,
        StatusCode::OK
    );
    let deposits = format!("/api/v1/compounds/{compound}/fund/deposits");

    // Money in: not tomorrow, not by the street; 100,000.00 元 by 住建.
    let r = send_json(
        t,
        &zj,
        "POST",
        &deposits,
        json!({"amount": 100, "on": tomorrow.to_string()}),
    )
    .await;
    refused(&r, "on", "晚于今天");
    let r = send_json(
        t,
        &street,
        "POST",
        &deposits,
        json!({"amount": 100, "on": today.to_string()}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send_json(
        t,
        &zj,
        "POST",
        &deposits,
        json!({"amount": 10_000_000, "on": today.to_string(), "note": "首期归集"}),
    )
    .await;
    let entry = answer(&r, StatusCode::CREATED);
    as_documented("post", "/api/v1/compounds/{id}/fund/deposits", &entry);
    assert_eq!(entry["kind"], "deposit");

    // A use applied for by the street: a cost of 0 is refused naming the field.
    let uses = format!("/api/v1/compounds/{compound}/fund/uses");
    let r = send_json(
        t,
        &street,
        "POST",
        &uses,
        json!({"title": "更换2号楼电梯", "cost": 0, "applied_on": today.to_string()}),
    )
    .await;
    refused(&r, "cost", "大于 0");
    let r = send_json(
        t,
        &street,
        "POST",
        &uses,
        json!({"title": "更换2号楼电梯", "cost": 8_000_000, "quotes": "甲 80,000.00；乙 86,500.00", "applied_on": today.to_string()}),
    )
    .await;
    let u = answer(&r, StatusCode::CREATED);
    as_documented("post", "/api/v1/compounds/{id}/fund/uses", &u);
    let use_id = u["id"].as_i64().expect("id");
    assert_eq!(u["status"], "applied");

    // The owners carry it: five of six take part, three for (300.00 of 450.00 ㎡ taking part).
    let vote = open(
        t,
        &street,
        compound,
        &format!(
            "matter=use_fund&closes_on={today}&question={}",
            enc("使用维修资金80,000.00元更换2号楼电梯")
        ),
    )
    .await;
    let links = tokens(t, vote).await;
    let by_unit = |u: &str| links.iter().find(|(x, ..)| x == u).expect("unit").2.clone();
    for (unit, choice) in [
        ("1-1-101", "o1"),
        ("1-1-102", "o1"),
        ("1-1-201", "o1"),
        ("1-1-202", "against"),
        ("1-1-302", "abstain"),
    ] {
        assert_eq!(cast(t, &by_unit(unit), choice).await.status, StatusCode::OK);
    }
    assert_eq!(close(t, &street, vote).await.status, StatusCode::SEE_OTHER);

    let step = |what: &str| format!("/api/v1/fund-uses/{use_id}/{what}");
    // 住建 cannot approve before the vote is recorded; a stale version is a conflict.
    let r = send_json(t, &zj, "POST", &step("approve"), json!({"version": 1})).await;
    let e = answer(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("须先经业主表决通过")),
        "{e}"
    );
    let r = send_json(t, &zj, "POST", &step("approve"), json!({"version": 9})).await;
    assert_eq!(answer(&r, StatusCode::CONFLICT)["code"], "conflict");
    // A vote on another matter is refused naming it; the street cites the carried one.
    let r = send_json(
        t,
        &street,
        "POST",
        &step("vote"),
        json!({"version": 1, "vote_id": vote}),
    )
    .await;
    let u = answer(&r, StatusCode::OK);
    as_documented("post", "/api/v1/fund-uses/{id}/vote", &u);
    assert_eq!(u["status"], "voted");
    assert_eq!(u["vote_id"], vote);
    let r = send_json(t, &zj, "POST", &step("approve"), json!({"version": 2})).await;
    assert_eq!(answer(&r, StatusCode::OK)["status"], "approved");
    let r = send_json(
        t,
        &zj,
        "POST",
        &step("pay"),
        json!({"version": 3, "amount": 8_000_001}),
    )
    .await;
    let e = answer(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("超过申请金额")),
        "{e}"
    );
    let r = send_json(t, &zj, "POST", &step("pay"), json!({"version": 3})).await;
    let u = answer(&r, StatusCode::OK);
    assert_eq!(u["status"], "paid");
    assert_eq!(u["paid"], 8_000_000);

    // The account: 20,000.00 元 left; the vote is used and cannot carry a second use.
    let r = t
        .get_as(&street, &format!("/api/v1/compounds/{compound}/fund"))
        .await;
    let a = answer(&r, StatusCode::OK);
    as_documented("get", "/api/v1/compounds/{id}/fund", &a);
    assert_eq!(a["balance"], 2_000_000);
    assert_eq!(a["deposited"], 10_000_000);
    assert_eq!(a["paid"], 8_000_000);
    let r = send_json(
        t,
        &street,
        "POST",
        &uses,
        json!({"title": "屋面防水", "cost": 100_000, "applied_on": today.to_string()}),
    )
    .await;
    let second = answer(&r, StatusCode::CREATED)["id"].as_i64().expect("id");
    let r = send_json(
        t,
        &street,
        "POST",
        &format!("/api/v1/fund-uses/{second}/vote"),
        json!({"version": 1, "vote_id": vote}),
    )
    .await;
    refused(&r, "vote_id", "已经使用过");

    // Another street reads and writes nothing of this compound's fund.
    let r = t
        .get_as(&other, &format!("/api/v1/compounds/{compound}/fund"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send_json(
        t,
        &other,
        "POST",
        &format!("/api/v1/fund-uses/{second}/vote"),
        json!({"version": 1, "vote_id": vote}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
