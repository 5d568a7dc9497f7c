//! The application layer's rules as a user meets them through the API: an event dated after
//! today is refused on every route that records one, a versioned write without its version is
//! refused naming `version`, values a CHECK constraint would catch are refused before the
//! database with the field named (never a 500), text has limits, and the clock can be fixed.

use crate::access_matrix::{STREET_A, new_contract, world};
use crate::support::{TestApp, UserScope, both_engines, send_json, user_session};
use anju_core::access::Role;
use anju_store::CompoundFilter;

use axum::http::StatusCode;
use serde_json::json;

fn tomorrow() -> String {
    let d = anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(1))
        .expect("date");
    d.to_string()
}

/// 422 `invalid`, naming `field`, with a Chinese message containing `words`.
#[track_caller]
fn refused(r: &crate::support::Res, field: &str, words: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let j = r.json();
    assert_eq!(j["field"], field, "{}", r.body);
    let m = j["message"].as_str().expect("message");
    assert!(m.contains(words), "{m}");
    assert!(
        !m.contains("missing field") && !m.contains("line 1 column") && !m.contains("数据库"),
        "{m}"
    );
}

/// A session of the company that serves the world's inside compound.
async fn company_a(t: &TestApp, w: &crate::access_matrix::World) -> crate::support::Session {
    user_session(
        t,
        "qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await
}

/// An unmanaged compound of street A still at the census (not the one the world signed for).
async fn unmanaged(t: &TestApp) -> anju_store::StoredCompound {
    let all = t
        .store
        .list_compounds(&CompoundFilter {
            street: Some(STREET_A.into()),
            mode: anju_core::ManagementMode::from_code("none"),
            ..CompoundFilter::default()
        })
        .await
        .expect("list");
    for c in all {
        let lc = t.store.lifecycle(c.id).await.expect("lifecycle");
        if lc.steps.is_empty() {
            return c;
        }
    }
    panic!("no compound at the census")
}

both_engines!(events_dated_after_today_are_refused_on_every_route);
async fn events_dated_after_today_are_refused_on_every_route(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let next = tomorrow();
    let future = "晚于今天";

    // A step of the path.
    let c = unmanaged(t).await;
    let uri = format!("/api/v1/compounds/{}/lifecycle", c.id);
    let v = t.get_as(&jd, &uri).await.json()["version"].clone();
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri,
        json!({"version": v, "step": {"event": "consult"}, "on": next}),
    )
    .await;
    refused(&r, "on", future);
    // Nothing was recorded: the same step today goes through.
    let today = anju_app::today_in_china().to_string();
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri,
        json!({"version": v, "step": {"event": "consult"}, "on": today}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Signing, entry and notice dates of a contract.
    let k = serde_json::to_value(new_contract(&c, w.inside.company)).expect("json");
    for key in ["signed_on", "entry_on", "notice_on"] {
        let mut body = k.clone();
        body[key] = json!(next);
        let r = send_json(t, &jd, "POST", "/api/v1/contracts", body).await;
        refused(&r, key, future);
    }
    // Filing and termination of the inside contract.
    let contract = t.store.get_contract(w.inside.contract).await.expect("k");
    let file = format!("/api/v1/contracts/{}/file", contract.id);
    let r = send_json(
        t,
        &jd,
        "POST",
        &file,
        json!({"version": contract.version, "on": next}),
    )
    .await;
    refused(&r, "on", "备案日期");
    let end = format!("/api/v1/contracts/{}/terminate", contract.id);
    let r = send_json(
        t,
        &jd,
        "POST",
        &end,
        json!({"version": contract.version, "kind": "exit", "reason": "退出", "on": next}),
    )
    .await;
    refused(&r, "on", "终止日期");

    // A patrol, a complaint received, an assessment scored.
    let r = send_json(t, &jd, "POST", "/api/v1/patrols", json!({"compound_id": w.inside.compound.id, "kind": "weekly_patrol", "date": next, "inspector": "王", "note": null, "findings": []})).await;
    refused(&r, "date", "巡查日期");
    // A finding's order due before the patrol itself: refused, naming the finding.
    let r = send_json(t, &jd, "POST", "/api/v1/patrols", json!({"compound_id": w.inside.compound.id, "kind": "weekly_patrol", "date": today, "inspector": "王", "note": null, "findings": [{"category": "safety", "description": "消防通道堵塞", "order_deadline": "2020-01-01"}]})).await;
    refused(
        &r,
        "findings.order_deadline",
        "问题 1：整改期限不能早于巡查日期",
    );
    let r = send_json(t, &jd, "POST", "/api/v1/complaints", json!({"compound_id": w.inside.compound.id, "source": "hotline_12345", "category": "噪音", "text": "夜间施工", "received_on": next})).await;
    refused(&r, "received_on", "受理日期");
    let a = t
        .store
        .get_assessment(w.inside.assessment)
        .await
        .expect("a");
    let r = send_json(
        t,
        &jd,
        "POST",
        &format!("/api/v1/assessments/{}/submit", a.id),
        json!({"version": a.version, "on": next}),
    )
    .await;
    refused(&r, "on", "评分日期");

    // The company answers an order and a complaint.
    let company = company_a(t, &w).await;
    let o = t.store.get_order(w.inside.order).await.expect("o");
    let r = send_json(
        t,
        &company,
        "POST",
        &format!("/api/v1/orders/{}/answer", o.id),
        json!({"version": o.version, "text": "已整改", "on": next}),
    )
    .await;
    refused(&r, "on", "答复日期");
    let cp = t.store.get_complaint(w.inside.complaint).await.expect("c");
    let r = send_json(
        t,
        &company,
        "POST",
        &format!("/api/v1/complaints/{}/answer", cp.id),
        json!({"version": cp.version, "text": "已处理", "on": next}),
    )
    .await;
    refused(&r, "on", "答复日期");

    // A compound's change of mode dated ahead, and a building year ahead.
    let cur = t
        .get_as(&jd, &format!("/api/v1/compounds/{}", c.id))
        .await
        .json();
    let put = format!("/api/v1/compounds/{}", c.id);
    let r = send_json(
        t,
        &jd,
        "PUT",
        &put,
        json!({"version": cur["version"], "compound": cur["compound"], "effective_on": next}),
    )
    .await;
    refused(&r, "effective_on", "生效日期");
    let mut later = cur["compound"].clone();
    later["built_year"] = json!(2099);
    let r = send_json(
        t,
        &jd,
        "PUT",
        &put,
        json!({"version": cur["version"], "compound": later}),
    )
    .await;
    refused(&r, "compound.built_year", "2099");
}

both_engines!(a_versioned_write_without_its_version_is_refused_naming_it);
async fn a_versioned_write_without_its_version_is_refused_naming_it(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let c = unmanaged(t).await;
    let today = anju_app::today_in_china().to_string();
    let cases = [
        (
            format!("/api/v1/compounds/{}/lifecycle", c.id),
            json!({"step": {"event": "consult"}, "on": today}),
        ),
        (
            format!("/api/v1/contracts/{}/file", w.inside.contract),
            json!({"on": today}),
        ),
        (
            format!("/api/v1/contracts/{}/terminate", w.inside.contract),
            json!({"kind": "exit", "reason": "退出"}),
        ),
        (
            format!("/api/v1/assessments/{}/submit", w.inside.assessment),
            json!({}),
        ),
    ];
    for (uri, body) in cases {
        let r = send_json(t, &jd, "POST", &uri, body).await;
        refused(&r, "version", "缺少此项");
    }
    let r = send_json(
        t,
        &jd,
        "PUT",
        &format!("/api/v1/compounds/{}", c.id),
        json!({"compound": serde_json::to_value(&c.compound).expect("json")}),
    )
    .await;
    refused(&r, "version", "缺少此项");
    // Not a number: named too, in words.
    let r = send_json(
        t,
        &jd,
        "POST",
        &format!("/api/v1/contracts/{}/file", w.inside.contract),
        json!({"version": "三", "on": today}),
    )
    .await;
    refused(&r, "version", "格式不对");
}

both_engines!(values_a_check_constraint_holds_are_refused_before_the_database);
async fn values_a_check_constraint_holds_are_refused_before_the_database(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let c = unmanaged(t).await;
    let k = serde_json::to_value(new_contract(&c, w.inside.company)).expect("json");
    // contracts: served_area >= 0, fee_multi_fen >= 0, fee_high_fen >= 0, term_months > 0.
    for (path, value, field, words) in [
        ("served_area", json!(-100), "served_area", "不能为负数"),
        ("fees.multi", json!(-5), "fees.multi", "不能为负数"),
        ("fees.high", json!(-5), "fees.high", "不能为负数"),
        ("term.months", json!(0), "term", "须大于 0"),
    ] {
        let mut body = k.clone();
        match path.split_once('.') {
            Some((a, b)) => body[a][b] = value,
            None => body[path] = value,
        }
        let r = send_json(t, &jd, "POST", "/api/v1/contracts", body).await;
        refused(&r, field, words);
    }
    // compounds: area >= 0, households >= 0 (a count cannot be negative).
    let cur = t
        .get_as(&jd, &format!("/api/v1/compounds/{}", c.id))
        .await
        .json();
    let put = format!("/api/v1/compounds/{}", c.id);
    for (key, value, field) in [
        ("area", json!(-1), "compound.area"),
        ("area_multi", json!(-1), "compound.area_multi"),
        ("households", json!(-3), "compound.households"),
        ("name", json!(""), "compound.name"),
    ] {
        let mut comp = cur["compound"].clone();
        comp[key] = value;
        let r = send_json(
            t,
            &jd,
            "PUT",
            &put,
            json!({"version": cur["version"], "compound": comp}),
        )
        .await;
        assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
        refused(&r, field, "");
    }
    // Text limits a user understands, and no control characters.
    let long = "字".repeat(2_001);
    let r = send_json(t, &jd, "POST", "/api/v1/complaints", json!({"compound_id": w.inside.compound.id, "source": "resident", "category": "噪音", "text": long, "received_on": "2026-01-05"})).await;
    refused(&r, "text", "最多 2000 个字");
    let r = send_json(t, &jd, "POST", "/api/v1/patrols", json!({"compound_id": w.inside.compound.id, "kind": "weekly_patrol", "date": "2026-01-05", "inspector": "王\u{0}五", "findings": []})).await;
    refused(&r, "inspector", "控制字符");
    // An unknown value of an enum lists the choices, in words.
    let r = send_json(t, &jd, "POST", "/api/v1/patrols", json!({"compound_id": w.inside.compound.id, "kind": "daily", "date": "2026-01-05", "inspector": "王", "findings": []})).await;
    refused(&r, "kind", "kind");
}

#[tokio::test]
async fn a_fixed_clock_decides_what_today_is() {
    let mut t = TestApp::with_demo().await;
    t.state = t
        .state
        .clone()
        .with_clock(anju_app::Clock::Fixed(jiff::civil::date(2022, 6, 30)));
    let jd = user_session(&t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let c = unmanaged(&t).await;
    let uri = format!("/api/v1/compounds/{}/lifecycle", c.id);
    let v = t.get_as(&jd, &uri).await.json()["version"].clone();
    let r = send_json(
        &t,
        &jd,
        "POST",
        &uri,
        json!({"version": v, "step": {"event": "consult"}, "on": "2022-07-01"}),
    )
    .await;
    refused(&r, "on", "2022-07-01 晚于今天（2022-06-30）");
    let r = send_json(
        &t,
        &jd,
        "POST",
        &uri,
        json!({"version": v, "step": {"event": "consult"}, "on": "2022-06-30"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    t.finish().await;
}

both_engines!(an_assessment_is_reviewed_objected_and_decided_through_the_api);
async fn an_assessment_is_reviewed_objected_and_decided_through_the_api(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::None).await;
    let own = company_a(t, &w).await;
    let id = w.inside.assessment;
    let uri = |step: &str| format!("/api/v1/assessments/{id}/{step}");
    let version = |r: &crate::support::Res| r.json()["version"].clone();

    let a = t.store.get_assessment(id).await.expect("a");
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri("submit"),
        json!({"version": a.version}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = version(&r);

    // A street office may not review; a review dated tomorrow is refused naming `on`; an
    // unknown outcome is refused naming `outcome`, in words.
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri("review"),
        json!({"version": v, "outcome": "upheld"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let body = json!({"version": v, "outcome": "upheld", "on": tomorrow()});
    refused(
        &send_json(t, &zj, "POST", &uri("review"), body).await,
        "on",
        "晚于今天",
    );
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri("review"),
        json!({"version": v, "outcome": "maybe"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("outcome"), "{}", r.body);
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri("review"),
        json!({"version": v, "outcome": "upheld", "reason": "属实"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "reviewed", "{}", r.body);
    let v = version(&r);

    // The company of the compound objects; a blank objection names `text`.
    refused(
        &send_json(
            t,
            &own,
            "POST",
            &uri("object"),
            json!({"version": v, "text": "  "}),
        )
        .await,
        "text",
        "申诉理由",
    );
    let r = send_json(
        t,
        &own,
        "POST",
        &uri("object"),
        json!({"version": v, "text": "第 3 项扣分与事实不符"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "objected", "{}", r.body);
    let v = version(&r);

    // The authority decides: the assessment is final, every step in the audit log.
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri("decide"),
        json!({"version": v, "outcome": "upheld", "reason": "经核实维持"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "final", "{}", r.body);
    // A stale version is a conflict, never a second decision.
    let r = send_json(t, &zj, "POST", &uri("finalize"), json!({"version": v})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

both_engines!(lists_show_only_the_readers_records);
async fn lists_show_only_the_readers_records(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let own = company_a(t, &w).await;
    for (list, inside, outside) in [
        ("/api/v1/orders", w.inside.order, w.outside.order),
        (
            "/api/v1/complaints",
            w.inside.complaint,
            w.outside.complaint,
        ),
        (
            "/api/v1/assessments",
            w.inside.assessment,
            w.outside.assessment,
        ),
        ("/api/v1/surveys", w.inside.survey, w.outside.survey),
        ("/api/v1/tasks", w.inside.task, w.outside.task),
    ] {
        let ids = |r: crate::support::Res| -> Vec<i64> {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
                .as_array()
                .expect("list")
                .iter()
                .map(|x| x["id"].as_i64().expect("id"))
                .collect()
        };
        let street = ids(t.get_as(&jd, list).await);
        assert!(street.contains(&inside), "{list}: {street:?}");
        assert!(!street.contains(&outside), "{list}: {street:?}");
        let company = ids(t.get_as(&own, list).await);
        assert!(!company.contains(&outside), "{list}: {company:?}");
        if list == "/api/v1/tasks" {
            assert!(company.is_empty(), "a company sees no tasks: {company:?}");
        }
    }
}

both_engines!(a_survey_is_opened_its_links_issued_and_closed_through_the_api);
async fn a_survey_is_opened_its_links_issued_and_closed_through_the_api(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let cid = w.inside.compound.id;
    let open = |extra: serde_json::Value| {
        let mut b = json!({"compound_id": cid, "period": "2026H2", "rule": "erqi"});
        for (k, v) in extra.as_object().expect("object") {
            b[k] = v.clone();
        }
        b
    };
    // Values the schema holds are refused naming the field, before the database.
    let r = send_json(
        t,
        &jd,
        "POST",
        "/api/v1/surveys",
        open(json!({"tokens": 0})),
    )
    .await;
    refused(&r, "tokens", "问卷链接数");
    let r = send_json(
        t,
        &jd,
        "POST",
        "/api/v1/surveys",
        open(json!({"households": 0})),
    )
    .await;
    refused(&r, "households", "总户数");
    let r = send_json(
        t,
        &jd,
        "POST",
        "/api/v1/surveys",
        open(json!({"period": " "})),
    )
    .await;
    refused(&r, "period", "调查期间");
    let r = send_json(
        t,
        &jd,
        "POST",
        "/api/v1/surveys",
        open(json!({"starts_on": "2026-12-01", "ends_on": "2026-11-01"})),
    )
    .await;
    refused(&r, "ends_on", "早于开始日期");
    let r = send_json(
        t,
        &jd,
        "POST",
        "/api/v1/surveys",
        open(json!({"rule": "most"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("rule"), "{}", r.body);

    // Opened with three links; two more; the list of links has five.
    let r = send_json(
        t,
        &jd,
        "POST",
        "/api/v1/surveys",
        open(json!({"tokens": 3})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let j = r.json();
    let id = j["survey"]["id"].as_i64().expect("id");
    let links = j["links"].as_array().expect("links");
    assert_eq!(links.len(), 3, "{}", r.body);
    let first = links[0]["link"].as_str().expect("link").to_string();
    assert!(first.starts_with("/s/"), "{first}");
    let more = format!("/api/v1/surveys/{id}/links");
    let r = send_json(t, &jd, "POST", &more, json!({"count": 2})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = t.get_as(&jd, &more).await;
    assert_eq!(r.json().as_array().expect("links").len(), 5, "{}", r.body);

    // A resident's comment over 2,000 characters is refused with the reason, and what was
    // typed stays in the form (never cut short silently).
    let long = "好".repeat(2_001);
    let r = t
        .post_form(
            None,
            &first,
            &format!("compound={cid}&satisfied=yes&comment={long}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("最多 2000 个字"), "{}", r.body);
    assert!(r.body.contains(&long), "the comment is kept");
    let r = t
        .post_form(
            None,
            &first,
            &format!("compound={cid}&satisfied=yes&comment=很好"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Closed with its version; a second close is a conflict.
    let v = t.store.get_survey(id).await.expect("survey").version;
    let close = format!("/api/v1/surveys/{id}/close");
    let r = send_json(t, &jd, "POST", &close, json!({})).await;
    refused(&r, "version", "缺少此项");
    let r = send_json(t, &jd, "POST", &close, json!({"version": v})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["responses"], 1, "{}", r.body);
    let r = send_json(t, &jd, "POST", &close, json!({"version": v})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

both_engines!(an_evaluator_scores_only_what_it_was_commissioned_for);
async fn an_evaluator_scores_only_what_it_was_commissioned_for(t: &TestApp) {
    let w = world(t).await;
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::None).await;
    let cp = user_session(t, "cp", Role::Evaluator, UserScope::None).await;
    let cid = w.inside.compound.id;
    let new = json!({"compound_id": cid, "period": "2026Q4", "rubric": "erqi"});
    let r = send_json(t, &cp, "POST", "/api/v1/assessments", new.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send_json(
        t,
        &zj,
        "POST",
        "/api/v1/evaluator-assignments",
        json!({"evaluator": " ", "compound_id": cid}),
    )
    .await;
    refused(&r, "evaluator", "测评机构");
    let r = send_json(
        t,
        &zj,
        "POST",
        "/api/v1/evaluator-assignments",
        json!({"evaluator": "cp", "compound_id": cid}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = send_json(t, &cp, "POST", "/api/v1/assessments", new).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["assessor_kind"], "third_party", "{}", r.body);
    // Its list holds the compounds it was commissioned for, nothing else.
    let r = t.get_as(&cp, "/api/v1/assessments").await;
    let list = r.json();
    let list = list.as_array().expect("list");
    assert!(!list.is_empty());
    assert!(list.iter().all(|a| a["compound_id"] == cid), "{}", r.body);
}

both_engines!(query_strings_are_typed_and_refused_in_words);
async fn query_strings_are_typed_and_refused_in_words(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    for (uri, words) in [
        (
            "/api/v1/orders?compound_id=abc",
            "参数 compound_id：应为整数：“abc”",
        ),
        (
            "/api/v1/complaints?status=later",
            "参数 status：不认识“later”",
        ),
        (
            "/api/v1/tasks?overdue=maybe",
            "参数 overdue：应为 true 或 false",
        ),
        (
            "/api/v1/targets?street=x&as_of=30/11",
            "参数 as_of：应为日期 YYYY-MM-DD",
        ),
    ] {
        let r = t.get_as(&jd, uri).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            r.body
        );
        assert_eq!(r.json()["code"], "bad_request", "{uri}");
        let m = r.json()["message"].as_str().expect("message").to_string();
        assert!(m.contains(words), "{uri}: {m}");
    }
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::None).await;
    let r = t.get_as(&zj, "/api/v1/audit?limit=many").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("参数 limit：应为整数"), "{}", r.body);
    // A blank parameter is no parameter; a typed one filters.
    let r = t.get_as(&jd, "/api/v1/orders?compound_id=&status=").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let uri = format!(
        "/api/v1/orders?compound_id={}&status=open",
        w.inside.compound.id
    );
    let r = t.get_as(&jd, &uri).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.json()
            .as_array()
            .expect("list")
            .iter()
            .all(|o| o["compound_id"] == w.inside.compound.id && o["status"] == "open"),
        "{}",
        r.body
    );
    // A street outside the account's area has no targets to show it.
    let r = t.get_as(&jd, "/api/v1/targets?street=别处街道").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

both_engines!(a_complaint_is_signed_answered_rated_and_closed_through_the_api);
async fn a_complaint_is_signed_answered_rated_and_closed_through_the_api(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let own = company_a(t, &w).await;
    let id = w.inside.complaint;
    let uri = |step: &str| format!("/api/v1/complaints/{id}/{step}");
    let version = |r: &crate::support::Res| r.json()["version"].clone();
    let v = t.store.get_complaint(id).await.expect("c").version;

    // The company signs for it, not on a day still to come; the street may not sign for it.
    let r = send_json(t, &jd, "POST", &uri("sign"), json!({"version": v})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send_json(
        t,
        &own,
        "POST",
        &uri("sign"),
        json!({"version": v, "on": tomorrow()}),
    )
    .await;
    refused(&r, "on", "签收日期");
    let r = send_json(t, &own, "POST", &uri("sign"), json!({"version": v})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "signed", "{}", r.body);
    let r = send_json(
        t,
        &own,
        "POST",
        &uri("answer"),
        json!({"version": version(&r), "text": "已清理楼道"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = version(&r);

    // The street records the resident's rating (1–5) and closes it.
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri("rate"),
        json!({"version": v, "rating": 6}),
    )
    .await;
    refused(&r, "rating", "评价");
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri("rate"),
        json!({"version": v, "rating": 4}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["rating"], 4, "{}", r.body);
    let v = version(&r);
    let r = send_json(t, &own, "POST", &uri("close"), json!({"version": v})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri("close"),
        json!({"version": v, "on": tomorrow()}),
    )
    .await;
    refused(&r, "on", "办结日期");
    let r = send_json(t, &jd, "POST", &uri("close"), json!({"version": v})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
}

both_engines!(a_company_not_on_file_cannot_be_selected);
async fn a_company_not_on_file_cannot_be_selected(t: &TestApp) {
    world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let c = unmanaged(t).await;
    let lc = t.store.lifecycle(c.id).await.expect("lifecycle");
    let today = anju_app::today_in_china().to_string();
    let body = json!({"version": lc.version, "step": {"event": "select_company", "company_id": 987_654}, "on": today});
    let path = format!("/api/v1/compounds/{}/lifecycle", c.id);
    let r = send_json(t, &jd, "POST", &path, body).await;
    refused(&r, "company", "不在企业名录中");
}
