//! 老旧小区改造 and 核定收费标准 (issue 19 items 4 and 5) through the JSON API: the street records
//! a project of a compound a company serves whose works started with no company on its path; the
//! project's checks name seed 002's clauses; a milestone dated tomorrow, a correction without its
//! reason and a stale version are refused; a household answered twice stays one household; the
//! share of households committing to all three is exact. The housing authority enters 发改's
//! standard (the street may not); the company serving the compound reads it, a street outside
//! the compound's scope is refused.

use crate::support::{
    Res, Session, TestApp, UserScope, both_engines, send_json, served_compound, user_session,
};
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::{Value, json};

const STREET: &str = "大沁他拉街道";
const OTHER_STREET: &str = "山城街道";

#[track_caller]
fn status(r: &Res, want: StatusCode) -> Value {
    assert_eq!(r.status, want, "{}", r.body);
    r.json()
}

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

both_engines!(a_renovation_and_its_fee_standard_through_the_api);
async fn a_renovation_and_its_fee_standard_through_the_api(t: &TestApp) {
    let c = served_compound(t, STREET).await;
    let company = c.compound.company.clone().expect("company");
    let jd = user_session(t, "rv_jd", Role::Street, UserScope::Region(STREET)).await;
    let other = user_session(t, "rv_jd2", Role::Street, UserScope::Region(OTHER_STREET)).await;
    let qy = user_session(t, "rv_qy", Role::Company, UserScope::Company(&company)).await;
    let zj = user_session(t, "rv_zj", Role::HousingAuthority, UserScope::None).await;
    let list = format!("/api/v1/compounds/{}/renovations", c.id);
    let tomorrow = anju_app::today_in_china().tomorrow().expect("date");
    let r = post(
        t,
        &jd,
        &list,
        json!({"name": "二期", "construction_on": tomorrow.to_string()}),
    )
    .await;
    refused(&r, "construction_on", "施工进场日期");
    let r = post(
        t,
        &jd,
        &list,
        json!({"name": "二期", "procedures_on": "2026-06-01", "construction_on": "2026-05-01"}),
    )
    .await;
    refused(
        &r,
        "construction_on",
        "施工进场日期 2026-05-01 早于手续办理日期 2026-06-01",
    );
    let p = status(
        &post(
            t,
            &jd,
            &list,
            json!({"name": "二期", "procedures_on": "2026-03-01", "construction_on": "2026-05-01"}),
        )
        .await,
        StatusCode::CREATED,
    );
    let id = p["id"].as_i64().expect("id");
    let d = status(
        &t.get_as(&jd, &format!("/api/v1/renovations/{id}")).await,
        StatusCode::OK,
    );
    let gaps: Vec<&str> = d["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .filter_map(|g| g["gap"].as_str())
        .collect();
    assert_eq!(gaps, ["no_company", "no_contract", "no_trial"], "{d}");
    assert_eq!(d["gaps"][0]["words"], "务必于施工进场前选定物业服务企业");
    assert_eq!(
        d["gaps"][2]["required"], false,
        "a trial is encouraged only"
    );
    // The company serving it reads it; a street outside is refused.
    status(
        &t.get_as(&qy, &format!("/api/v1/renovations/{id}")).await,
        StatusCode::OK,
    );
    status(
        &t.get_as(&other, &format!("/api/v1/renovations/{id}")).await,
        StatusCode::FORBIDDEN,
    );
    status(
        &post(t, &qy, &list, json!({"name": "x"})).await,
        StatusCode::FORBIDDEN,
    );
    // Dates: a correction needs its reason; a stale version is a conflict.
    let dates = format!("/api/v1/renovations/{id}/dates");
    let r = post(
        t,
        &jd,
        &dates,
        json!({"version": 1, "milestone": "construction", "on": "2026-05-02"}),
    )
    .await;
    refused(&r, "reason", "更正须写明原因");
    let r = post(
        t,
        &jd,
        &dates,
        json!({"version": 7, "milestone": "acceptance", "on": "2026-11-30"}),
    )
    .await;
    status(&r, StatusCode::CONFLICT);
    let r = post(
        t,
        &jd,
        &dates,
        json!({"version": 1, "milestone": "acceptance", "on": "2026-11-30"}),
    )
    .await;
    assert_eq!(status(&r, StatusCode::OK)["version"], 2);
    let d = status(
        &t.get_as(&jd, &format!("/api/v1/renovations/{id}")).await,
        StatusCode::OK,
    );
    let gaps: Vec<&str> = d["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .filter_map(|g| g["gap"].as_str())
        .collect();
    assert_eq!(gaps, ["no_company", "no_contract", "no_entry"], "{d}");
    // 三承诺: one household, answered twice.
    let hh = format!("/api/v1/renovations/{id}/households");
    let one = |all: bool| json!({"house": "3-2-501", "owner": "王某", "demolish": true, "maintenance_fund": all, "repair_fees": all});
    assert_eq!(
        status(&post(t, &jd, &hh, one(false)).await, StatusCode::OK)["added"],
        1
    );
    assert_eq!(
        status(&post(t, &jd, &hh, one(true)).await, StatusCode::OK)["updated"],
        1
    );
    let r = post(
        t,
        &jd,
        &hh,
        json!({"house": " ", "demolish": true, "maintenance_fund": true, "repair_fees": true}),
    )
    .await;
    refused(&r, "house", "房号");
    let d = status(
        &t.get_as(&jd, &format!("/api/v1/renovations/{id}")).await,
        StatusCode::OK,
    );
    assert_eq!(d["share"]["answered"], 1);
    assert_eq!(d["share"]["all_three"], 1);
    let households = c.compound.households.map(u64::from).unwrap_or(0);
    assert_eq!(
        d["share"]["all_three_percent"].as_str(),
        anju_core::renovation::percent_text(1, households).as_deref()
    );
    // The fee standard: the housing authority enters it for 发改; the street may not.
    let fees = format!("/api/v1/compounds/{}/fee-standards", c.id);
    let body = json!({"fees": {"multi": 120}, "doc_no": "发改〔2026〕3号", "approved_on": "2026-02-01", "department": "区发改局"});
    status(
        &post(t, &jd, &fees, body.clone()).await,
        StatusCode::FORBIDDEN,
    );
    let r = post(
        t,
        &zj,
        &fees,
        json!({"fees": {}, "doc_no": "x", "approved_on": "2026-02-01", "department": "区发改局"}),
    )
    .await;
    refused(&r, "fees", "请至少填写多层或高层的核定标准");
    let s = status(&post(t, &zj, &fees, body).await, StatusCode::CREATED);
    assert_eq!(s["fees"]["multi"], 120);
    let v = status(&t.get_as(&qy, &fees).await, StatusCode::OK);
    assert_eq!(v["in_force_id"], s["id"]);
    status(&t.get_as(&other, &fees).await, StatusCode::FORBIDDEN);
}
