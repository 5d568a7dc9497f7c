//! 更正 through HTTP: the compound page's correction form (both records shown, refusals keeping
//! what was typed, Chinese and English) and the JSON route, with the roles and scopes that may
//! not correct — on both engines.

use crate::compound_page::unmanaged_in;
use crate::support::{Session, TestApp, UserScope, both_engines, enc, send_json, user_session};
use anju_core::ManagementMode;
use anju_core::access::Role;
use anju_core::fees::Month;
use anju_core::lifecycle::Event;
use anju_store::{Actor, AuditFilter, CompoundFilter, Lifecycle, StepRequest, StoredCompound};
use axum::http::StatusCode;
use serde_json::json;

const DAQINTALA: &str = "大沁他拉街道";
const SHANCHENG: &str = "山城街道";

fn d(s: &str) -> jiff::civil::Date {
    s.parse().expect("date")
}

/// An unmanaged compound of 大沁他拉 (the demo ledger is dated 2026-11-22) taken to 街道兜底
/// service: consulted 11-23, mode decided 11-24, in service 11-26.
async fn served(t: &TestApp) -> (StoredCompound, Lifecycle) {
    let s = &t.store;
    let c = unmanaged_in(t, DAQINTALA).await;
    let a = Actor::new("setup", "street");
    let steps = [
        (Event::Consult, "2026-11-23"),
        (
            Event::DecideMode {
                mode: ManagementMode::StreetFallback,
            },
            "2026-11-24",
        ),
        (Event::StartService, "2026-11-26"),
    ];
    let mut lc = s.lifecycle(c.id).await.expect("lifecycle");
    for (e, on) in steps {
        lc = s
            .advance(&a, c.id, lc.version, &StepRequest::new(e, d(on)))
            .await
            .expect("advance");
    }
    (c, lc)
}

fn step_id(lc: &Lifecycle, code: &str) -> i64 {
    lc.steps_in_force()
        .into_iter()
        .find(|s| s.event.code() == code)
        .expect("step")
        .id
}

async fn covered_in(t: &TestApp, month: &str) -> u64 {
    let m = Month::parse(month).expect("month");
    t.store
        .coverage_over_time(&CompoundFilter::default(), m, m)
        .await
        .expect("coverage")[0]
        .covered
}

fn tomorrow() -> String {
    anju_app::today_in_china()
        .tomorrow()
        .expect("tomorrow")
        .to_string()
}

async fn post(t: &TestApp, s: &Session, uri: &str, fields: &[(&str, &str)]) -> crate::support::Res {
    let mut body = format!("csrf={}", enc(&s.csrf));
    for (k, v) in fields {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    t.post_form(Some(s), uri, &body).await
}

both_engines!(the_page_corrects_a_step_and_shows_both_records);
async fn the_page_corrects_a_step_and_shows_both_records(t: &TestApp) {
    let (c, lc) = served(t).await;
    let s = user_session(t, "jd", Role::Street, UserScope::Region(DAQINTALA)).await;
    let consult = step_id(&lc, "consult");
    let form = format!("/compounds/{}/steps/{consult}/correct", c.id);
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&form), "a 更正 link on each step");
    let r = t.get_as(&s, &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("更正路径步骤") && r.body.contains("撤销"));
    let v = lc.version.to_string();

    // No reason: the form again, with the date typed.
    let r = post(
        t,
        &s,
        &form,
        &[
            ("version", &v),
            ("kind", "redate"),
            ("date", "2026-11-22"),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("更正原因：请填写"), "{}", r.body);
    assert!(r.body.contains("value=\"2026-11-22\""));
    // A date after today: refused naming the field, the reason kept.
    let future = tomorrow();
    let r = post(
        t,
        &s,
        &form,
        &[
            ("version", &v),
            ("kind", "redate"),
            ("date", &future),
            ("reason", "落款日期"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("更正后的日期") && r.body.contains("晚于今天"),
        "{}",
        r.body
    );
    assert!(r.body.contains("落款日期"));
    // After the next step (the mode decided on 11-24): that step is named.
    let decide = step_id(&lc, "decide_mode");
    let r = post(
        t,
        &s,
        &form,
        &[
            ("version", &v),
            ("kind", "redate"),
            ("date", "2026-11-25"),
            ("reason", "落款日期"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(&format!("步骤编号 {decide}")) && r.body.contains("不再成立"),
        "{}",
        r.body
    );
    // A stale version.
    let stale = (lc.version - 1).to_string();
    let r = post(
        t,
        &s,
        &form,
        &[
            ("version", &stale),
            ("kind", "redate"),
            ("date", "2026-11-22"),
            ("reason", "落款日期"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("已被他人修改"), "{}", r.body);
    // Voiding the start of service (it set the ledger's mode) is refused.
    let svc = step_id(&lc, "start_service");
    let r = post(
        t,
        &s,
        &format!("/compounds/{}/steps/{svc}/correct", c.id),
        &[("version", &v), ("kind", "void"), ("reason", "误录")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不能撤销"), "{}", r.body);

    // Re-dated: back to the page, which shows both records.
    let r = post(
        t,
        &s,
        &form,
        &[
            ("version", &v),
            ("kind", "redate"),
            ("date", "2026-11-22"),
            ("reason", "征求意见表落款日期为 11 月 22 日"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/compounds/{}#timeline", c.id));
    let page = t.get_as(&s, &format!("/compounds/{}", c.id)).await.body;
    assert!(
        page.contains("class=\"superseded\""),
        "the old step is marked"
    );
    assert!(page.contains("已更正：日期改为 2026-11-22"), "{page}");
    assert!(page.contains("征求意见表落款日期为 11 月 22 日"));
    assert!(page.contains(&format!(
        "更正记录：替代编号 {consult} 的步骤（原日期 2026-11-23）"
    )));
    assert!(!page.contains(&form), "no 更正 link on a superseded step");
    let en = t
        .get_as(&s, &format!("/compounds/{}?lang=en", c.id))
        .await
        .body;
    assert!(en.contains("corrected: re-dated to 2026-11-22"), "{en}");
    assert!(en.contains(&format!("correction: replaces step #{consult}")));
    // The superseded step: no form, and a post is refused naming the step.
    let r = t.get_as(&s, &form).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !r.body.contains("name=\"reason\""),
        "no form for a superseded step"
    );
    let v = t
        .store
        .lifecycle(c.id)
        .await
        .expect("lc")
        .version
        .to_string();
    let r = post(
        t,
        &s,
        &form,
        &[
            ("version", &v),
            ("kind", "redate"),
            ("date", "2026-11-21"),
            ("reason", "再改"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("已被更正"), "{}", r.body);

    // Roles and places that may not correct.
    let company = t.store.list_companies().await.expect("companies")[0]
        .name
        .clone();
    let wuye = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let other = user_session(t, "sc", Role::Street, UserScope::Region(SHANCHENG)).await;
    let community = c.compound.community.clone().expect("community");
    let sq = user_session(t, "sq", Role::Community, UserScope::Region(&community)).await;
    let form2 = format!("/compounds/{}/steps/{decide}/correct", c.id);
    for who in [&wuye, &other, &sq] {
        let r = post(
            t,
            who,
            &form2,
            &[
                ("version", &v),
                ("kind", "redate"),
                ("date", "2026-11-23"),
                ("reason", "x"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(t.get_as(who, &form2).await.status, StatusCode::FORBIDDEN);
    }
    let company_page = t.get_as(&wuye, &format!("/compounds/{}", c.id)).await;
    assert!(
        !company_page.body.contains("/correct\""),
        "no 更正 link for a company"
    );
}

both_engines!(the_api_corrects_a_step_and_coverage_follows);
async fn the_api_corrects_a_step_and_coverage_follows(t: &TestApp) {
    let (c, lc) = served(t).await;
    let s = user_session(t, "jd", Role::Street, UserScope::Region(DAQINTALA)).await;
    let svc = step_id(&lc, "start_service");
    let uri = format!("/api/v1/compounds/{}/steps/{svc}/correction", c.id);
    let doc = t.get("/api/v1/openapi.json").await.body;
    assert!(doc.contains("/api/v1/compounds/{id}/steps/{step}/correction"));

    let refused = |r: &crate::support::Res, field: &str| {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["field"], field, "{}", r.body);
    };
    let v = lc.version;
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v, "on": "2026-12-01"}),
    )
    .await;
    refused(&r, "reason");
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v, "on": "2026-12-01", "void": true, "reason": "x"}),
    )
    .await;
    refused(&r, "on");
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v, "on": tomorrow(), "reason": "x"}),
    )
    .await;
    refused(&r, "on");
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v, "void": true, "reason": "误录"}),
    )
    .await;
    refused(&r, "void");
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v, "on": "2026-11-20", "reason": "早于上一步"}),
    )
    .await;
    refused(&r, "on");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .contains("不再成立")
    );
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v - 1, "on": "2026-12-01", "reason": "x"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // Others are refused before the body is read.
    let company = t.store.list_companies().await.expect("companies")[0]
        .name
        .clone();
    let wuye = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let other = user_session(t, "sc", Role::Street, UserScope::Region(SHANCHENG)).await;
    for who in [&wuye, &other] {
        let r = send_json(t, who, "POST", &uri, json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }

    // Service started on 12-01, not 11-26: November no longer counts it as covered.
    let before = covered_in(t, "2026-11").await;
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v, "on": "2026-12-01", "reason": "交接单日期为 12 月 1 日"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!(body["version"], v + 1);
    assert_eq!(body["state"]["stage"], "in_service");
    assert_eq!(body["state"]["last_date"], "2026-12-01");
    assert_eq!(covered_in(t, "2026-11").await, before - 1);
    let steps = body["steps"].as_array().expect("steps");
    let old = steps
        .iter()
        .find(|x| x["id"] == svc)
        .expect("old step kept");
    assert_eq!(old["correction"]["kind"], "redate");
    assert_eq!(old["correction"]["reason"], "交接单日期为 12 月 1 日");
    assert!(
        steps
            .iter()
            .any(|x| x["corrects"] == svc && x["happened_on"] == "2026-12-01")
    );

    // Audited with the reason, who and the state before and after.
    let audit = t
        .store
        .audit_entries(&AuditFilter {
            entity: Some("lifecycle".into()),
            entity_id: Some(c.id),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    let a = audit
        .iter()
        .find(|a| a.action == "correct")
        .expect("a correction in the audit log");
    assert_eq!(a.actor, "jd");
    assert_eq!(
        a.after.as_ref().expect("after")["reason"],
        "交接单日期为 12 月 1 日"
    );
    assert_eq!(
        a.before.as_ref().expect("before")["step"]["happened_on"],
        "2026-11-26"
    );
}
