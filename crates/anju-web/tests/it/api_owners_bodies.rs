//! Owners' bodies (issue 19 item 1) through the JSON API: the street starts an 业主委员会 for a
//! compound a company serves, with its preparatory group; an election without a 主任, a day
//! after today and a stale version are refused; elected with its members and filed, it is in
//! office. The street reads the members' contacts, the company serving the compound reads the
//! body without them, a street outside the compound's scope is refused every route. The next
//! term's filing ends it (换届); 届满 needs its reason.

use crate::support::{
    Res, Session, TestApp, UserScope, both_engines, send_json, served_compound, user_session,
};
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::{Value, json};

const STREET: &str = "大沁他拉街道";
const OTHER_STREET: &str = "山城街道";

fn day(n: i64) -> String {
    anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(n))
        .expect("date")
        .to_string()
}

#[track_caller]
fn status(r: &Res, want: StatusCode) -> Value {
    assert_eq!(r.status, want, "{}", r.body);
    r.json()
}

/// 422 naming `field`, with `words` in the message.
#[track_caller]
fn refused(r: &Res, field: &str, words: &str) {
    let e = status(r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["field"], field, "{e}");
    assert!(
        e["message"].as_str().is_some_and(|m| m.contains(words)),
        "{words}: {e}"
    );
}

async fn post(t: &TestApp, s: &Session, uri: &str, body: Value) -> Res {
    send_json(t, s, "POST", uri, body).await
}

both_engines!(an_owners_committee_through_the_api);
async fn an_owners_committee_through_the_api(t: &TestApp) {
    let c = served_compound(t, STREET).await;
    let company = c.compound.company.clone().expect("company");
    let jd = user_session(t, "b_jd", Role::Street, UserScope::Region(STREET)).await;
    let other = user_session(t, "b_jd2", Role::Street, UserScope::Region(OTHER_STREET)).await;
    let qy = user_session(t, "b_qy", Role::Company, UserScope::Company(&company)).await;
    let bodies = format!("/api/v1/compounds/{}/owners-bodies", c.id);
    let start = |prepared_on: &str| {
        json!({
            "kind": "owners_committee",
            "prepared_on": prepared_on,
            "preparers": ["王一", "李二"],
        })
    };

    // 筹备: the company may not start one, nor a street outside the compound's scope; a day
    // after today is refused naming the field.
    let r = post(t, &qy, &bodies, start("2026-01-10")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = post(t, &other, &bodies, start("2026-01-10")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = post(t, &jd, &bodies, start(&day(1))).await;
    refused(&r, "prepared_on", "筹备组成立日期");
    let r = post(
        t,
        &jd,
        &bodies,
        json!({"kind": "owners_committee", "prepared_on": "2026-01-10", "term_years": 6}),
    )
    .await;
    refused(&r, "term_years", "1 至 5");
    let b = status(
        &post(t, &jd, &bodies, start("2026-01-10")).await,
        StatusCode::CREATED,
    );
    assert_eq!(b["status"], "preparing");
    assert_eq!(b["members"], 2);
    assert_eq!(b["term_years"], 5);
    assert_eq!(b["version"], 1);
    assert_eq!(b["predecessor_id"], Value::Null);
    let id = b["id"].as_i64().expect("id");
    let page = format!("/api/v1/owners-bodies/{id}");
    // One at a time.
    let r = post(t, &jd, &bodies, start("2026-01-11")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["code"], "refused", "{}", r.body);

    let list = status(&t.get_as(&jd, &bodies).await, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let r = t.get_as(&other, &bodies).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // 选举: a 主任 among the members, on a day not after today, at the version read.
    let elect = format!("{page}/elect");
    let elected = |version: i64, on: &str, chair: &str| {
        json!({
            "version": version,
            "on": on,
            "members": [
                {"name": "王一", "role": chair, "party_member": true, "contact": "13900000000", "duties": "主持业委会工作"},
                {"name": "李二", "role": "member", "contact": "13700000000"},
            ],
        })
    };
    refused(
        &post(t, &jd, &elect, elected(1, "2026-02-02", "vice_chair")).await,
        "members",
        "主任",
    );
    refused(
        &post(t, &jd, &elect, elected(1, &day(1), "chair")).await,
        "on",
        "办理日期",
    );
    refused(
        &post(t, &jd, &elect, elected(1, "2026-02-02", "boss")).await,
        "members[0].role",
        "不认识的取值",
    );
    let r = post(t, &jd, &elect, elected(9, "2026-02-02", "chair")).await;
    assert_eq!(
        status(&r, StatusCode::CONFLICT)["code"],
        "conflict",
        "{}",
        r.body
    );
    let b = status(
        &post(t, &jd, &elect, elected(1, "2026-02-02", "chair")).await,
        StatusCode::OK,
    );
    assert_eq!(b["status"], "elected");
    assert_eq!(b["elected_on"], "2026-02-02");
    assert_eq!(b["term_last_day"], "2031-02-01");
    assert_eq!(
        (b["members"].as_i64(), b["party_members"].as_i64()),
        (Some(2), Some(1))
    );

    // 备案 (on not given: today).
    let b = status(
        &post(t, &jd, &format!("{page}/file"), json!({"version": 2})).await,
        StatusCode::OK,
    );
    assert_eq!(b["status"], "in_office");
    assert_eq!(b["filed_on"], day(0));
    assert_eq!(b["version"], 3);

    // The street reads the contacts and may end the body; the company serving the compound
    // reads it without contacts and may do nothing; another street reads nothing.
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert_eq!(d["members"][0]["name"], "王一");
    assert_eq!(d["members"][0]["role"], "chair");
    assert_eq!(d["members"][0]["contact"], "13900000000");
    assert_eq!(d["members"][0]["duties"], "主持业委会工作");
    assert_eq!(d["may"], json!(["end"]));
    assert_eq!(d["may_add_members"], true);
    let d = status(&t.get_as(&qy, &page).await, StatusCode::OK);
    let members = d["members"].as_array().expect("members");
    assert!(!members.is_empty());
    for m in members {
        assert_eq!(m["contact"], Value::Null, "{m}");
    }
    assert!(!d.to_string().contains("13900000000"), "{d}");
    assert_eq!(d["members"][0]["name"], "王一");
    assert_eq!(d["may"], json!([]));
    assert_eq!(d["may_add_members"], false);
    let r = t.get_as(&other, &page).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    for (step, body) in [
        ("elect", elected(3, "2026-02-02", "chair")),
        ("file", json!({"version": 3})),
        ("end", json!({"version": 3, "note": "任期届满"})),
        (
            "members",
            json!({"version": 3, "members": [{"name": "孙四", "role": "member"}]}),
        ),
    ] {
        let r = post(t, &other, &format!("{page}/{step}"), body.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{step}: {}", r.body);
        let r = post(t, &qy, &format!("{page}/{step}"), body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{step}: {}", r.body);
    }

    // 增加成员: a stale version is a conflict; then an alternate joins.
    let more = format!("{page}/members");
    let alternate = |version: i64| json!({"version": version, "on": "2026-06-01", "members": [{"name": "孙四", "role": "alternate"}]});
    let r = post(t, &jd, &more, alternate(2)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let b = status(&post(t, &jd, &more, alternate(3)).await, StatusCode::OK);
    assert_eq!(
        (b["members"].as_i64(), b["version"].as_i64()),
        (Some(3), Some(4))
    );

    // The next term: its filing ends this body that day, 换届.
    let n = status(
        &post(t, &jd, &bodies, start("2026-11-01")).await,
        StatusCode::CREATED,
    );
    assert_eq!(n["predecessor_id"], id);
    let next = format!("/api/v1/owners-bodies/{}", n["id"]);
    status(
        &post(
            t,
            &jd,
            &format!("{next}/elect"),
            elected(1, "2026-11-20", "chair"),
        )
        .await,
        StatusCode::OK,
    );
    status(
        &post(
            t,
            &jd,
            &format!("{next}/file"),
            json!({"version": 2, "on": "2026-11-25"}),
        )
        .await,
        StatusCode::OK,
    );
    let old = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert_eq!(old["body"]["status"], "ended");
    assert_eq!(old["body"]["ended_on"], "2026-11-25");
    assert_eq!(old["body"]["end_reason"], "换届");
    assert_eq!(old["may"], json!([]));
    assert_eq!(old["may_add_members"], false);
    let list = status(&t.get_as(&jd, &bodies).await, StatusCode::OK);
    assert_eq!(list[0]["id"], n["id"], "the latest first: {list}");

    // 届满: the reason is required.
    let end = format!("{next}/end");
    refused(
        &post(t, &jd, &end, json!({"version": 3})).await,
        "note",
        "缺少此项",
    );
    refused(
        &post(t, &jd, &end, json!({"version": 3, "note": " "})).await,
        "note",
        "届满原因",
    );
    let e = status(
        &post(
            t,
            &jd,
            &end,
            json!({"version": 3, "note": "业主大会决定提前换届"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(e["status"], "ended");
    assert_eq!(e["end_reason"], "业主大会决定提前换届");
}
