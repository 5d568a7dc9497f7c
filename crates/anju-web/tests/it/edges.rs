//! The edges of every write, as tables a reviewer can hold against the code (issue 13, items
//! 3–5):
//!
//! - **versions** — every API route and page form that takes a `version`: missing → 422 naming
//!   `version` (缺少此项 through the API), unreadable → 422 (格式不对), stale → 409 (a page
//!   re-renders its form with the conflict message). [`API_VERSIONED`] is checked against the
//!   OpenAPI document: every route whose body has a `version` must be in it.
//! - **CHECK constraints** — every CHECK of both schemas is in [`CHECKS`] (a test parses the
//!   migrations and fails on one that is not), either driven through a route and refused with
//!   422 naming the field, or listed as internal with the reason no user can send it.
//! - **event dates** — every event date a route, a page form, a CLI flag or the ledger import
//!   takes: tomorrow is refused naming the field, today is accepted; plans accept a future date.

use crate::access_matrix::{STREET_A, World, world};
use crate::support::{Res, Session, TestApp, UserScope, both_engines, send_json, user_session};
use anju_core::access::Role;
use anju_core::{ContractId, OrderId};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Today in China, read once for every test of this file; the date tests run the app on a
/// clock fixed to it, so that a run across midnight stays exact.
fn today() -> jiff::civil::Date {
    static TODAY: std::sync::OnceLock<jiff::civil::Date> = std::sync::OnceLock::new();
    *TODAY.get_or_init(anju_app::today_in_china)
}

/// The app with its clock fixed to [`today`].
fn clocked(t: &TestApp) -> anju_web::AppState {
    t.state.clone().with_clock(anju_app::Clock::Fixed(today()))
}

fn tomorrow() -> jiff::civil::Date {
    today()
        .checked_add(jiff::Span::new().days(1))
        .expect("date")
}

/// 422 naming `field`, with a message containing `words`, never a database error.
#[track_caller]
fn refused(what: &str, r: &Res, field: &str, words: &str) {
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: {}",
        r.body
    );
    let j = r.json();
    assert_eq!(j["field"], field, "{what}: {}", r.body);
    let m = j["message"].as_str().expect("message");
    assert!(m.contains(words), "{what}: {m}");
    assert!(
        !m.contains("missing field") && !m.contains("line 1 column") && !m.contains("数据库"),
        "{what}: {m}"
    );
}

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    Street,
    Authority,
    Finance,
    Company,
    /// No login (a resident's survey link).
    Resident,
}

struct People {
    admin: Session,
    street: Session,
    authority: Session,
    finance: Session,
    company: Session,
}

impl People {
    async fn new(t: &TestApp, w: &World) -> People {
        People {
            admin: user_session(t, "e_admin", Role::Admin, UserScope::None).await,
            street: user_session(t, "e_jd", Role::Street, UserScope::Region(STREET_A)).await,
            authority: user_session(t, "e_zj", Role::HousingAuthority, UserScope::None).await,
            finance: user_session(t, "e_cz", Role::Finance, UserScope::None).await,
            company: user_session(
                t,
                "e_qy",
                Role::Company,
                UserScope::Company(&w.company_a_name),
            )
            .await,
        }
    }

    fn as_(&self, who: Who) -> &Session {
        match who {
            Who::Admin => &self.admin,
            Who::Street => &self.street,
            Who::Authority => &self.authority,
            Who::Finance => &self.finance,
            Who::Company => &self.company,
            Who::Resident => panic!("a resident has no session"),
        }
    }
}

/// Fills `{compound}`, `{contract}` … of a URL or body template from the world's inside side.
fn fill(template: &str, w: &World, extra: &[(&str, String)]) -> String {
    let s = &w.inside;
    // A row's own placeholders first: they win over the world's (a contract an earlier row signed).
    let mut own = template.to_string();
    for (k, v) in extra {
        own = own.replace(&format!("{{{k}}}"), v);
    }
    own.replace("{compound}", &s.compound.id.to_string())
        .replace("{contract_compound}", &s.contract_compound.to_string())
        .replace("{step}", &s.step.to_string())
        .replace("{contract}", &s.contract.to_string())
        .replace("{company}", &s.company.to_string())
        .replace("{task}", &s.task.to_string())
        .replace("{assessment}", &s.assessment.to_string())
        .replace("{order}", &s.order.to_string())
        .replace("{complaint}", &s.complaint.to_string())
        .replace("{referral}", &s.referral.to_string())
        .replace("{filing}", &s.filing.to_string())
        .replace("{department}", &s.department.to_string())
        .replace("{survey}", &s.survey.to_string())
        .replace("{selection}", &s.selection.to_string())
        .replace("{group}", &s.group.to_string())
        .replace("{assignment}", &s.assignment.to_string())
        .replace("{body}", &s.body.to_string())
        .replace("{party}", &s.party.to_string())
        .replace("{renovation}", &s.renovation.to_string())
        .replace("{vote}", &s.vote.to_string())
        .replace("{household}", &s.household.to_string())
        .replace("{ballot}", &s.ballot)
        .replace("{fund_use}", &s.fund_use.to_string())
        .replace("{token}", &s.token)
        .replace("{street}", &crate::support::enc(s.street))
        .replace("{today}", &today().to_string())
        .replace("{tomorrow}", &tomorrow().to_string())
        .replace(
            "{yesterday}",
            &today()
                .checked_sub(jiff::Span::new().days(1))
                .expect("date")
                .to_string(),
        )
}

/// An unmanaged compound of street A still at the census (not the one the world signed for).
async fn unmanaged(t: &TestApp) -> i64 {
    let all = t
        .store
        .list_compounds(&anju_store::CompoundFilter {
            street: Some(STREET_A.into()),
            mode: anju_core::ManagementMode::from_code("none"),
            ..anju_store::CompoundFilter::default()
        })
        .await
        .expect("list");
    for c in all {
        let lc = t.store.lifecycle(c.id).await.expect("lifecycle");
        if lc.steps.is_empty() {
            return c.id;
        }
    }
    panic!("no compound at the census")
}

// =============================================================================================
// Versions

/// One versioned API route: the route as the table names it, the request, who sends it, and a
/// body that is right in every other way.
struct Versioned {
    method: &'static str,
    route: &'static str,
    uri: &'static str,
    who: Who,
    body: &'static str,
}

const fn v(
    method: &'static str,
    route: &'static str,
    uri: &'static str,
    who: Who,
    body: &'static str,
) -> Versioned {
    Versioned {
        method,
        route,
        uri,
        who,
        body,
    }
}

/// Every API route whose body carries the record's `version` (checked against the OpenAPI
/// document by `every_versioned_api_route_is_in_the_table`).
const API_VERSIONED: &[Versioned] = &[
    v(
        "POST",
        "/api/v1/users/{id}/active",
        "/api/v1/users/{user}/active",
        Who::Admin,
        r#"{"active": false}"#,
    ),
    v(
        "POST",
        "/api/v1/users/{id}/password",
        "/api/v1/users/{user}/password",
        Who::Admin,
        r#"{"password": "Neues-Passwort-2026"}"#,
    ),
    v(
        "PUT",
        "/api/v1/compounds/{id}",
        "/api/v1/compounds/{compound}",
        Who::Street,
        r#"{"compound": {compound_json}}"#,
    ),
    v(
        "POST",
        "/api/v1/compounds/{id}/lifecycle",
        "/api/v1/compounds/{unmanaged}/lifecycle",
        Who::Street,
        r#"{"step": {"event": "consult"}, "on": "{today}"}"#,
    ),
    v(
        "POST",
        "/api/v1/compounds/{id}/steps/{step}/correction",
        "/api/v1/compounds/{contract_compound}/steps/{step}/correction",
        Who::Street,
        r#"{"on": "2026-09-30", "reason": "登记错了日期"}"#,
    ),
    v(
        "POST",
        "/api/v1/contracts/{id}/file",
        "/api/v1/contracts/{contract}/file",
        Who::Street,
        r#"{"on": "{today}"}"#,
    ),
    v(
        "POST",
        "/api/v1/contracts/{id}/terminate",
        "/api/v1/contracts/{contract}/terminate",
        Who::Street,
        r#"{"kind": "exit", "reason": "企业退出", "on": "{today}"}"#,
    ),
    v(
        "POST",
        "/api/v1/tasks/{id}/done",
        "/api/v1/tasks/{task}/done",
        Who::Street,
        r#"{"on": "{today}"}"#,
    ),
    v(
        "POST",
        "/api/v1/assessments/{id}/submit",
        "/api/v1/assessments/{assessment}/submit",
        Who::Street,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/assessments/{id}/review",
        "/api/v1/assessments/{assessment}/review",
        Who::Authority,
        r#"{"outcome": "upheld", "reason": "属实"}"#,
    ),
    v(
        "POST",
        "/api/v1/assessments/{id}/object",
        "/api/v1/assessments/{assessment}/object",
        Who::Company,
        r#"{"text": "扣分与事实不符"}"#,
    ),
    v(
        "POST",
        "/api/v1/assessments/{id}/decide",
        "/api/v1/assessments/{assessment}/decide",
        Who::Authority,
        r#"{"outcome": "upheld", "reason": "维持"}"#,
    ),
    v(
        "POST",
        "/api/v1/assessments/{id}/finalize",
        "/api/v1/assessments/{assessment}/finalize",
        Who::Authority,
        r#"{"waived": true}"#,
    ),
    v(
        "POST",
        "/api/v1/orders/{id}/answer",
        "/api/v1/orders/{order}/answer",
        Who::Company,
        r#"{"text": "已整改"}"#,
    ),
    v(
        "POST",
        "/api/v1/complaints/{id}/sign",
        "/api/v1/complaints/{complaint}/sign",
        Who::Company,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/complaints/{id}/answer",
        "/api/v1/complaints/{complaint}/answer",
        Who::Company,
        r#"{"text": "已处理"}"#,
    ),
    v(
        "POST",
        "/api/v1/complaints/{id}/rate",
        "/api/v1/complaints/{complaint}/rate",
        Who::Street,
        r#"{"rating": 4}"#,
    ),
    v(
        "POST",
        "/api/v1/complaints/{id}/close",
        "/api/v1/complaints/{complaint}/close",
        Who::Street,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/complaints/{id}/verify",
        "/api/v1/complaints/{complaint}/verify",
        Who::Street,
        r#"{"verdict": "substantiated", "note": "现场查看属实"}"#,
    ),
    v(
        "PUT",
        "/api/v1/dispatch/schedule",
        "/api/v1/dispatch/schedule",
        Who::Authority,
        r#"{"district_id": {district}, "starts_on": "2026-11-01"}"#,
    ),
    v(
        "PUT",
        "/api/v1/departments/{id}",
        "/api/v1/departments/{department}",
        Who::Authority,
        r#"{"name": "区消防救援大队"}"#,
    ),
    v(
        "POST",
        "/api/v1/referrals/{id}/acknowledge",
        "/api/v1/referrals/{referral}/acknowledge",
        Who::Admin,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/referrals/{id}/resolve",
        "/api/v1/referrals/{referral}/resolve",
        Who::Admin,
        r#"{"note": "已清理"}"#,
    ),
    v(
        "POST",
        "/api/v1/referrals/{id}/confirm",
        "/api/v1/referrals/{referral}/confirm",
        Who::Street,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/referrals/{id}/return",
        "/api/v1/referrals/{referral}/return",
        Who::Street,
        r#"{"note": "仍有车辆"}"#,
    ),
    v(
        "POST",
        "/api/v1/surveys/{id}/close",
        "/api/v1/surveys/{survey}/close",
        Who::Street,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/groups/{id}/members",
        "/api/v1/groups/{org_group}/members",
        Who::Street,
        r#"{"roster": "成员：王五 社区书记", "joined_on": "{today}"}"#,
    ),
    v(
        "POST",
        "/api/v1/groups/{id}/members/{member_id}/leave",
        "/api/v1/groups/{org_group}/members/{org_member}/leave",
        Who::Street,
        r#"{"left_on": "{today}"}"#,
    ),
    v(
        "POST",
        "/api/v1/assignments/{id}/report",
        "/api/v1/assignments/{org_assignment}/report",
        Who::Street,
        r#"{"note": "已完成摸底"}"#,
    ),
    v(
        "POST",
        "/api/v1/assignments/{id}/close",
        "/api/v1/assignments/{org_assignment}/close",
        Who::Authority,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/assignments/{id}/return",
        "/api/v1/assignments/{org_assignment}/return",
        Who::Authority,
        r#"{"note": "缺少台账"}"#,
    ),
    v(
        "POST",
        "/api/v1/party-records/{id}",
        "/api/v1/party-records/{party}",
        Who::Street,
        r#"{"ended_on": "2026-11-01"}"#,
    ),
    v(
        "POST",
        "/api/v1/owners-bodies/{id}/elect",
        "/api/v1/owners-bodies/{owners_body}/elect",
        Who::Street,
        r#"{"members": [{"name": "王一", "role": "chair"}]}"#,
    ),
    v(
        "POST",
        "/api/v1/owners-bodies/{id}/file",
        "/api/v1/owners-bodies/{owners_body}/file",
        Who::Street,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/owners-bodies/{id}/end",
        "/api/v1/owners-bodies/{owners_body}/end",
        Who::Street,
        r#"{"note": "任期届满"}"#,
    ),
    v(
        "POST",
        "/api/v1/owners-bodies/{id}/members",
        "/api/v1/owners-bodies/{owners_body}/members",
        Who::Street,
        r#"{"members": [{"name": "赵三", "role": "member"}]}"#,
    ),
    v(
        "POST",
        "/api/v1/votes/{id}/close",
        "/api/v1/votes/{vote}/close",
        Who::Street,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/renovations/{id}/dates",
        "/api/v1/renovations/{renovation}/dates",
        Who::Street,
        r#"{"milestone": "acceptance", "on": "2026-11-01"}"#,
    ),
    v(
        "POST",
        "/api/v1/fund-uses/{id}/vote",
        "/api/v1/fund-uses/{fund_use}/vote",
        Who::Street,
        r#"{"vote_id": 1}"#,
    ),
    v(
        "POST",
        "/api/v1/fund-uses/{id}/approve",
        "/api/v1/fund-uses/{fund_use}/approve",
        Who::Authority,
        r#"{}"#,
    ),
    v(
        "POST",
        "/api/v1/fund-uses/{id}/reject",
        "/api/v1/fund-uses/{fund_use}/reject",
        Who::Authority,
        r#"{"reason": "预算过高"}"#,
    ),
    v(
        "POST",
        "/api/v1/fund-uses/{id}/pay",
        "/api/v1/fund-uses/{fund_use}/pay",
        Who::Authority,
        r#"{}"#,
    ),
];

/// The placeholders of the version table that are not the world's: an account, an unmanaged
/// compound, the inside compound's JSON.
async fn version_extras(t: &TestApp, w: &World, p: &People) -> Vec<(&'static str, String)> {
    let user = crate::support::create_user(&t.store, "e_other", Role::Finance, UserScope::None)
        .await
        .id;
    let compound = t
        .get_as(
            &p.street,
            &format!("/api/v1/compounds/{}", w.inside.compound.id),
        )
        .await
        .json();
    let unmanaged = unmanaged(t).await;
    let (group, member, assignment) = org_records(t, w, p).await;
    let owners_body = owners_body(t, p, w.inside.compound.id, "2026-01-10").await;
    vec![
        ("user", user.to_string()),
        ("unmanaged", unmanaged.to_string()),
        ("compound_json", compound["compound"].to_string()),
        ("district", inside_district(t, w).await.to_string()),
        ("org_group", group.to_string()),
        ("org_member", member.to_string()),
        ("org_assignment", assignment.to_string()),
        ("owners_body", owners_body.to_string()),
    ]
}

/// An owners' committee of `compound` started by the street's officer on `prepared_on`, with
/// one member of its preparatory group (筹备中, version 1).
async fn owners_body(t: &TestApp, p: &People, compound: i64, prepared_on: &str) -> i64 {
    let r = send_json(
        t,
        &p.street,
        "POST",
        &format!("/api/v1/compounds/{compound}/owners-bodies"),
        json!({"kind": "owners_committee", "prepared_on": prepared_on, "preparers": ["王一"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().expect("owners body")
}

/// A 专班 of the world's inside street set up by its officer (a member joined on its first
/// day), and a meeting of it handing the street a decision: (group, member, assignment).
async fn org_records(t: &TestApp, w: &World, p: &People) -> (i64, i64, i64) {
    let street = w.inside.compound.street_id;
    let r = send_json(
        t,
        &p.street,
        "POST",
        "/api/v1/groups",
        json!({
            "region_id": street, "kind": "task_force", "name": "街道物业管理工作专班",
            "established_on": "2026-01-01", "roster": "组长：王一 街道办主任"
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let group = r.json()["id"].as_i64().expect("group");
    let member = t.store.group_members(group).await.expect("members")[0].id;
    let r = send_json(
        t,
        &p.street,
        "POST",
        "/api/v1/meetings",
        json!({
            "region_id": street, "group_id": group, "kind": "task_force", "title": "专班会议",
            "held_on": "2026-01-05", "attendees": "王一", "minutes": "部署摸底",
            "decisions": [{"unit": {"kind": "region", "id": street}, "text": "完成摸底", "deadline": "2099-12-31"}]
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let assignment = t
        .store
        .list_assignments(&anju_store::AssignmentFilter {
            meeting_id: r.json()["id"].as_i64(),
            ..anju_store::AssignmentFilter::default()
        })
        .await
        .expect("assignments")[0]
        .id;
    (group, member, assignment)
}

/// The district above the world's inside street.
async fn inside_district(t: &TestApp, w: &World) -> i64 {
    t.store
        .region_ancestors(w.inside.compound.street_id)
        .await
        .expect("ancestors")[1]
}

fn with_version(body: &str, version: Option<Value>) -> Value {
    let mut b: Value = serde_json::from_str(body).expect("body json");
    if let Some(v) = version {
        b["version"] = v;
    }
    b
}

both_engines!(every_versioned_api_route_refuses_a_missing_unreadable_or_stale_version);
async fn every_versioned_api_route_refuses_a_missing_unreadable_or_stale_version(t: &TestApp) {
    let w = world(t).await;
    let p = People::new(t, &w).await;
    let extra = version_extras(t, &w, &p).await;
    for row in API_VERSIONED {
        let what = format!("{} {}", row.method, row.route);
        let uri = fill(row.uri, &w, &extra);
        let body = fill(row.body, &w, &extra);
        let who = p.as_(row.who);
        let r = send_json(t, who, row.method, &uri, with_version(&body, None)).await;
        refused(&what, &r, "version", "缺少此项");
        let r = send_json(
            t,
            who,
            row.method,
            &uri,
            with_version(&body, Some(json!("三"))),
        )
        .await;
        refused(&what, &r, "version", "格式不对");
        let r = send_json(
            t,
            who,
            row.method,
            &uri,
            with_version(&body, Some(json!(9999))),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{what}: {}", r.body);
        assert_eq!(r.json()["code"], "conflict", "{what}: {}", r.body);
    }
}

/// The OpenAPI document's routes whose request body has a `version` property.
fn versioned_in_document(doc: &Value) -> BTreeSet<(String, String)> {
    let schemas = &doc["components"]["schemas"];
    let resolve = |s: &Value| -> Value {
        match s["$ref"].as_str() {
            Some(r) => schemas[r.trim_start_matches("#/components/schemas/")].clone(),
            None => s.clone(),
        }
    };
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("ops") {
            let Some(content) = op["requestBody"]["content"].as_object() else {
                continue;
            };
            for media in content.values() {
                let schema = resolve(&media["schema"]);
                if schema["properties"].get("version").is_some() {
                    out.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_versioned_api_route_is_in_the_table() {
    let t = TestApp::with_demo().await;
    let r = t.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let documented = versioned_in_document(&r.json());
    assert!(documented.len() >= 10, "{documented:?}");
    let table: BTreeSet<(String, String)> = API_VERSIONED
        .iter()
        .map(|v| (v.method.to_string(), v.route.to_string()))
        .collect();
    let missing: Vec<_> = documented.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "versioned routes missing from API_VERSIONED: {missing:?}"
    );
    let served: BTreeSet<(String, String)> = anju_web::api::routes()
        .into_iter()
        .map(|(m, p)| (m.to_uppercase(), p.to_string()))
        .collect();
    let stale: Vec<_> = table.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "rows for routes the API no longer has: {stale:?}"
    );
    t.finish().await;
}

/// How a page form is sent.
#[derive(Debug, Clone, Copy)]
enum Enc {
    Form,
    Multipart,
}

/// One page form that takes the version of the record the page showed.
struct PageVersioned {
    route: &'static str,
    uri: &'static str,
    who: Who,
    enc: Enc,
    /// The other fields, urlencoded (`a=b&c=d`), placeholders filled in.
    fields: &'static str,
}

const fn pv(
    route: &'static str,
    uri: &'static str,
    who: Who,
    enc: Enc,
    fields: &'static str,
) -> PageVersioned {
    PageVersioned {
        route,
        uri,
        who,
        enc,
        fields,
    }
}

/// Every page form that takes a `version` (assessments.rs, patrols.rs, complaints_web.rs,
/// funding.rs, compound.rs, selections.rs, tasks.rs).
const PAGE_VERSIONED: &[PageVersioned] = &[
    pv(
        "/organisation/groups/{id}/members",
        "/organisation/groups/{group}/members",
        Who::Street,
        Enc::Form,
        "roster=%E6%88%90%E5%91%98%EF%BC%9A%E7%8E%8B%E4%BA%94+%E5%B1%80%E9%95%BF&joined_on={today}",
    ),
    pv(
        "/organisation/groups/{id}/leave",
        "/organisation/groups/{group}/leave",
        Who::Street,
        Enc::Form,
        "member=0&left_on={today}",
    ),
    pv(
        "/organisation/assignments/{id}/step",
        "/organisation/assignments/{assignment}/step",
        Who::Street,
        Enc::Form,
        "step=report&note=done&date={today}",
    ),
    pv(
        "/fund-uses/{id}/step",
        "/fund-uses/{fund_use}/step",
        Who::Authority,
        Enc::Form,
        "step=approve&date={today}",
    ),
    pv(
        "/votes/{id}/close",
        "/votes/{vote}/close",
        Who::Street,
        Enc::Form,
        "date={today}",
    ),
    pv(
        "/party-records/{id}",
        "/party-records/{party}",
        Who::Street,
        Enc::Form,
        "ended_on={today}",
    ),
    pv(
        "/owners-bodies/{id}/step",
        "/owners-bodies/{body}/step",
        Who::Street,
        Enc::Form,
        "step=end&note=x&date={today}",
    ),
    pv(
        "/owners-bodies/{id}/members",
        "/owners-bodies/{body}/members",
        Who::Street,
        Enc::Form,
        "m_name=x&m_role=member&m_party=0&date={today}",
    ),
    pv(
        "/renovations/{id}/date",
        "/renovations/{renovation}/date",
        Who::Street,
        Enc::Form,
        "milestone=acceptance&date={today}",
    ),
    pv(
        "/compounds/{id}/advance",
        "/compounds/{unmanaged}/advance",
        Who::Street,
        Enc::Multipart,
        "to=consult&date={today}",
    ),
    pv(
        "/compounds/{id}/steps/{step}/correct",
        "/compounds/{contract_compound}/steps/{step}/correct",
        Who::Street,
        Enc::Form,
        "kind=redate&date=2026-09-30&reason=%E7%99%BB%E8%AE%B0%E9%94%99%E4%BA%86",
    ),
    pv(
        "/compounds/{id}/file",
        "/compounds/{contract_compound}/file",
        Who::Street,
        Enc::Form,
        "contract_id={contract}&date={today}",
    ),
    pv(
        "/compounds/{id}/terminate",
        "/compounds/{contract_compound}/terminate",
        Who::Street,
        Enc::Form,
        "contract_id={contract}&kind=exit&reason=%E9%80%80%E5%87%BA&date={today}",
    ),
    pv(
        "/assessments/{id}/{step}",
        "/assessments/{assessment}/submit",
        Who::Street,
        Enc::Form,
        "",
    ),
    pv(
        "/orders/{id}/answer",
        "/orders/{order}/answer",
        Who::Company,
        Enc::Multipart,
        "text=%E5%B7%B2%E6%95%B4%E6%94%B9",
    ),
    pv(
        "/complaints/{id}/sign",
        "/complaints/{complaint}/sign",
        Who::Company,
        Enc::Form,
        "date={today}",
    ),
    pv(
        "/complaints/{id}/answer",
        "/complaints/{complaint}/answer",
        Who::Company,
        Enc::Multipart,
        "text=%E5%B7%B2%E5%A4%84%E7%90%86&date={today}",
    ),
    pv(
        "/complaints/{id}/rate",
        "/complaints/{complaint}/rate",
        Who::Street,
        Enc::Form,
        "rating=4",
    ),
    pv(
        "/complaints/{id}/close",
        "/complaints/{complaint}/close",
        Who::Street,
        Enc::Form,
        "date={today}",
    ),
    pv(
        "/complaints/{id}/verify",
        "/complaints/{complaint}/verify",
        Who::Street,
        Enc::Form,
        "verdict=unfounded&note=x&date={today}",
    ),
    pv(
        "/users/{id}/active",
        "/users/{user}/active",
        Who::Admin,
        Enc::Form,
        "active=false",
    ),
    pv(
        "/users/{id}/password",
        "/users/{user}/password",
        Who::Admin,
        Enc::Form,
        "password=Neues-Passwort-2026",
    ),
    pv(
        "/surveys/{id}/close",
        "/surveys/{survey}/close",
        Who::Street,
        Enc::Form,
        "",
    ),
    pv(
        "/orders/{id}/close",
        "/orders/{order}/close",
        Who::Street,
        Enc::Form,
        "",
    ),
    pv(
        "/orders/{id}/reopen",
        "/orders/{order}/reopen",
        Who::Street,
        Enc::Form,
        "deadline=2026-12-31",
    ),
    pv(
        "/funding/lines/{id}/step",
        "/funding/lines/{line}/step",
        Who::Company,
        Enc::Form,
        "action=apply&date={today}",
    ),
    pv(
        "/funding/lines/{id}/adjust",
        "/funding/lines/{line}/adjust",
        Who::Authority,
        Enc::Form,
        "amount=6000&reason=%E6%A0%B8%E5%87%8F&date={today}",
    ),
    pv(
        "/selections/{id}/{step}",
        "/selections/{selection}/register",
        Who::Street,
        Enc::Form,
        "company={company}",
    ),
    pv(
        "/tasks/{id}/done",
        "/tasks/{task}/done",
        Who::Street,
        Enc::Form,
        "date={today}",
    ),
    pv(
        "/compounds/{id}/edit",
        "/compounds/{compound}/edit",
        Who::Street,
        Enc::Form,
        "%E5%B0%8F%E5%8C%BA%E5%90%8D%E7%A7%B0=x&%E6%89%80%E5%B1%9E%E8%A1%97%E9%81%93={street}&%E6%89%80%E5%B1%9E%E7%A4%BE%E5%8C%BA={community}&%E7%89%A9%E4%B8%9A%E7%AE%A1%E7%90%86%E6%96%B9%E5%BC%8F=%E5%BC%83%E7%AE%A1&effective_on={today}",
    ),
    pv(
        "/map/coordinates/{id}",
        "/map/coordinates/{compound}",
        Who::Street,
        Enc::Form,
        "lat=42.85&lng=120.66",
    ),
    pv(
        "/compounds/{id}/modes",
        "/compounds/{compound}/modes",
        Who::Street,
        Enc::Form,
        "mode=none&since=1999-01-01&reason=x",
    ),
    pv(
        "/referrals/{id}/step",
        "/referrals/{referral}/step",
        Who::Street,
        Enc::Multipart,
        "step=confirm&date={today}",
    ),
    pv(
        "/departments/{id}",
        "/departments/{department}",
        Who::Authority,
        Enc::Form,
        "name=x&duties=a",
    ),
    pv(
        "/dispatch/schedule",
        "/dispatch/schedule",
        Who::Authority,
        Enc::Form,
        "district={district}&starts_on=2026-11-01",
    ),
];

/// Where the page modules read a form's version (`anju_app::check::version`), and the rows of
/// [`PAGE_VERSIONED`] that cover those readings. A new versioned form adds a reading: this list
/// and the table must follow.
const PAGE_VERSION_READS: &[(&str, usize, &[&str])] = &[
    (
        "compound.rs",
        3,
        &[
            "/compounds/{id}/advance",
            "/compounds/{id}/steps/{step}/correct",
            "/compounds/{id}/file",
            "/compounds/{id}/terminate",
        ],
    ),
    ("assessments.rs", 1, &["/assessments/{id}/{step}"]),
    (
        "patrols.rs",
        2,
        &[
            "/orders/{id}/answer",
            "/orders/{id}/close",
            "/orders/{id}/reopen",
        ],
    ),
    (
        "complaints_web.rs",
        2,
        &[
            "/complaints/{id}/sign",
            "/complaints/{id}/answer",
            "/complaints/{id}/rate",
            "/complaints/{id}/close",
            "/complaints/{id}/verify",
        ],
    ),
    ("surveys_web.rs", 1, &["/surveys/{id}/close"]),
    (
        "users_web.rs",
        1,
        &["/users/{id}/active", "/users/{id}/password"],
    ),
    (
        "funding.rs",
        2,
        &["/funding/lines/{id}/step", "/funding/lines/{id}/adjust"],
    ),
    ("selections.rs", 1, &["/selections/{id}/{step}"]),
    ("tasks.rs", 1, &["/tasks/{id}/done"]),
    ("map_web.rs", 1, &["/map/coordinates/{id}"]),
    ("compound_edit.rs", 1, &["/compounds/{id}/edit"]),
    ("compound_modes.rs", 1, &["/compounds/{id}/modes"]),
    (
        "referrals_web.rs",
        2,
        &["/referrals/{id}/step", "/departments/{id}"],
    ),
    ("filings_web.rs", 1, &["/dispatch/schedule"]),
    (
        "organisation_web.rs",
        3,
        &[
            "/organisation/groups/{id}/members",
            "/organisation/groups/{id}/leave",
            "/organisation/assignments/{id}/step",
        ],
    ),
    (
        "owners_bodies_web.rs",
        2,
        &["/owners-bodies/{id}/step", "/owners-bodies/{id}/members"],
    ),
    ("votes_web.rs", 1, &["/votes/{id}/close"]),
    ("party_web.rs", 1, &["/party-records/{id}"]),
    ("fund_web.rs", 1, &["/fund-uses/{id}/step"]),
    ("renovation_web.rs", 1, &["/renovations/{id}/date"]),
];

#[test]
fn every_page_form_that_reads_a_version_is_in_the_table() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // The page modules are the files directly under `src/`; the API (`src/api/`) reads its
        // versions through the rows of the versioned API routes.
        if path.is_dir() || !name.ends_with(".rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let reads = text.matches("check::version(").count();
        let listed = PAGE_VERSION_READS
            .iter()
            .find(|(f, ..)| *f == name)
            .map_or(0, |(_, n, _)| *n);
        assert_eq!(
            reads, listed,
            "{name} reads a form's version {reads} times, PAGE_VERSION_READS says {listed}: \
             add the form to PAGE_VERSIONED"
        );
    }
    let table: BTreeSet<&str> = PAGE_VERSIONED.iter().map(|r| r.route).collect();
    for (file, _, routes) in PAGE_VERSION_READS {
        for r in *routes {
            assert!(table.contains(r), "{file}: {r} is not in PAGE_VERSIONED");
        }
    }
}

/// Sends a page form as `s`, with its CSRF token.
async fn send_page(t: &TestApp, s: Option<&Session>, uri: &str, enc: Enc, fields: &str) -> Res {
    send_page_via(t, &t.state, s, uri, enc, fields).await
}

/// A JSON request served by `state` (another clock).
async fn send_json_via(
    t: &TestApp,
    state: &anju_web::AppState,
    s: &Session,
    method: &str,
    uri: &str,
    body: Value,
) -> Res {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-csrf-token", &s.csrf)
        .body(Body::from(body.to_string()))
        .expect("request");
    t.send_via(state, req).await
}

/// [`send_page`] served by `state`.
async fn send_page_via(
    t: &TestApp,
    state: &anju_web::AppState,
    s: Option<&Session>,
    uri: &str,
    enc: Enc,
    fields: &str,
) -> Res {
    let csrf = s.map(|s| ("csrf".to_string(), s.csrf.clone()));
    let pairs: Vec<(String, String)> = csrf
        .into_iter()
        .chain(fields.split('&').filter(|x| !x.is_empty()).map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        }))
        .collect();
    let mut b = Request::post(uri);
    if let Some(s) = s {
        b = b.header(header::COOKIE, &s.cookie);
    }
    let req = match enc {
        Enc::Form => {
            let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.join("&")))
        }
        Enc::Multipart => {
            let boundary = "edgesboundary";
            let mut text = String::new();
            for (k, v) in &pairs {
                let v = percent_decode(v);
                text.push_str(&format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                ));
            }
            text.push_str(&format!("--{boundary}--\r\n"));
            b.header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(text))
        }
    };
    t.send_via(state, req.expect("request")).await
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An infrastructure grant's line for the inside compound (a versioned subsidy line).
async fn a_line(t: &TestApp, w: &World, p: &People) -> i64 {
    let r = t
        .post_form(
            Some(&p.street),
            "/funding/infra",
            &format!(
                "csrf={}&compound_id={}&investment=16000&share=50&date=2026-03-01&note=%E5%AE%89%E9%98%B2",
                p.street.csrf, w.inside.compound.id
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location()
        .trim_start_matches("/funding/lines/")
        .parse()
        .expect("line id")
}

/// The refusal a page shows (`class="error"`), or its whole visible text.
fn shown(html: &str) -> String {
    match html.split_once("class=\"error\"") {
        Some((_, rest)) => {
            let rest = rest.split_once('>').map_or(rest, |x| x.1);
            text_of(rest.split_once("</").map_or(rest, |x| x.0))
        }
        None => text_of(html),
    }
}

/// A page's visible text, for a failure message (no style sheet, no tags).
fn text_of(html: &str) -> String {
    let body = html.split("</style>").last().unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

both_engines!(every_versioned_page_form_refuses_a_missing_unreadable_or_stale_version);
async fn every_versioned_page_form_refuses_a_missing_unreadable_or_stale_version(t: &TestApp) {
    let w = world(t).await;
    let p = People::new(t, &w).await;
    let line = a_line(t, &w, &p).await;
    let unmanaged = unmanaged(t).await;
    let user = crate::support::create_user(&t.store, "e_page", Role::Finance, UserScope::None)
        .await
        .id;
    let extra = [
        ("line", line.to_string()),
        ("unmanaged", unmanaged.to_string()),
        ("user", user.to_string()),
        ("district", inside_district(t, &w).await.to_string()),
        (
            "community",
            crate::support::enc(
                w.inside
                    .compound
                    .compound
                    .community
                    .as_deref()
                    .unwrap_or(""),
            ),
        ),
    ];
    for row in PAGE_VERSIONED {
        let what = format!("POST {}", row.route);
        let uri = fill(row.uri, &w, &extra);
        let fields = fill(row.fields, &w, &extra);
        let s = Some(p.as_(row.who));
        let with = |v: &str| {
            if fields.is_empty() {
                format!("version={v}")
            } else {
                format!("{fields}&version={v}")
            }
        };
        // Missing: refused naming the field, never "use the current one".
        let r = send_page(t, s, &uri, row.enc, &fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            shown(&r.body)
        );
        assert!(
            r.body.contains("版本号：缺少版本号"),
            "{what}: {}",
            shown(&r.body)
        );
        let r = send_page(t, s, &uri, row.enc, &with("%E4%B8%89")).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            shown(&r.body)
        );
        assert!(
            r.body.contains("版本号：“三”不是有效的版本号"),
            "{what}: {}",
            shown(&r.body)
        );
        // Stale: the record's conflict message (the page re-renders its form).
        let r = send_page(t, s, &uri, row.enc, &with("9999")).await;
        assert!(
            matches!(
                r.status,
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{what}: {} {}",
            r.status,
            shown(&r.body)
        );
        assert!(
            r.body.contains("已被他人修改"),
            "{what}: {}",
            shown(&r.body)
        );
    }
}

// =============================================================================================
// CHECK constraints

/// How a constraint's rule is reached by a user, and what they are told.
#[derive(Debug, Clone, Copy)]
enum Via {
    /// A JSON request: method, URI, who, body (placeholders filled in), the field named, words
    /// of the message.
    Api(
        &'static str,
        &'static str,
        Who,
        &'static str,
        &'static str,
        &'static str,
    ),
    /// `PUT /api/v1/compounds/{id}` (as the admin) with one key of the compound's JSON set to a
    /// value: the key, the value, the field named, words.
    Compound(&'static str, &'static str, &'static str, &'static str),
    /// `POST /api/v1/contracts` for an unmanaged compound with one key of a right body set to a
    /// value (`fees.multi` reaches into an object): key, value, field, words.
    Contract(&'static str, &'static str, &'static str, &'static str),
    /// An urlencoded page form (no API route writes the column): URI, who, fields, words the
    /// page shows (status 422).
    Page(&'static str, Who, &'static str, &'static str),
    /// The anju-app use case the CLI calls (no API route or page writes the column): what is
    /// called with which value (built in `drive_app`), the field named, words.
    App(&'static str, &'static str, &'static str),
    /// Written only by the `anju` command (no API route, page or use case of anju-app yet):
    /// the command, and the test of crates/anju-cli/tests/it/edges.rs that drives it.
    Cli(&'static str),
    /// Held by a domain type parsed at the edge (an enum, a `Month`, a `Date`): a value out of
    /// the constraint cannot be built. The reason.
    Type(&'static str),
    /// A value the code sets and no user sends: the reason.
    Internal(&'static str),
}

/// Every CHECK constraint of both schemas (`table.column`, or `table: expression` for a
/// table's own CHECK), and how its rule is met before the database.
#[rustfmt::skip]
const CHECKS: &[(&str, Via)] = {
    use Via::*;
    use Who::*;
    &[
        ("regions.level", Internal("the ledger import and the demo create regions at the level the code names (RegionLevel)")),
        ("regions.name", Compound("street", r#""  ""#, "compound.street", "所属街道：请填写")),
        ("companies.name", App("register_company with name \"  \"", "name", "企业名称：请填写")),
        ("companies.credit_code", App("register_company with credit_code \"123\"", "credit_code", "统一社会信用代码")),
        ("companies.archived", Internal("a flag the store sets")),
        ("compounds.name", Compound("name", r#""""#, "compound.name", "小区名称：请填写")),
        ("compounds.area", Compound("area", "-1", "compound.area", "不能为负数")),
        ("compounds.area_multi", Compound("area_multi", "-1", "compound.area_multi", "不能为负数")),
        ("compounds.area_high", Compound("area_high", "-1", "compound.area_high", "不能为负数")),
        ("compounds.buildings", Compound("buildings", "-1", "compound.buildings", "compound.buildings")),
        ("compounds.households", Compound("households", "-3", "compound.households", "compound.households")),
        ("compounds.category", Compound("category", "4", "compound.category", "compound.category：取值不对")),
        ("compounds.renovation", Compound("renovation", r#""是""#, "compound.renovation", "compound.renovation")),
        ("compounds.mode", Compound("mode", r#""bogus""#, "compound.mode", "compound.mode")),
        ("compounds.owners_body", Compound("owners_body", r#""bogus""#, "compound.owners_body", "compound.owners_body")),
        ("compounds.party_branch", Compound("party_branch", "2", "compound.party_branch", "compound.party_branch")),
        ("compounds.infra_cameras", Compound("infra", "[-1,0,0,0,0,0,0,0]", "compound.infra[0]", "compound.infra")),
        ("compounds.infra_chargers", Compound("infra", "[0,-1,0,0,0,0,0,0]", "compound.infra[1]", "compound.infra")),
        ("compounds.infra_water_points", Compound("infra", "[0,0,-1,0,0,0,0,0]", "compound.infra[2]", "compound.infra")),
        ("compounds.infra_unit_doors", Compound("infra", "[0,0,0,-1,0,0,0,0]", "compound.infra[3]", "compound.infra")),
        ("compounds.infra_bike_sheds", Compound("infra", "[0,0,0,0,-1,0,0,0]", "compound.infra[4]", "compound.infra")),
        ("compounds.infra_parking_bays", Compound("infra", "[0,0,0,0,0,-1,0,0]", "compound.infra[5]", "compound.infra")),
        ("compounds.infra_barrier_gates", Compound("infra", "[0,0,0,0,0,0,-1,0]", "compound.infra[6]", "compound.infra")),
        ("compounds.infra_property_offices", Compound("infra", "[0,0,0,0,0,0,0,-1]", "compound.infra[7]", "compound.infra")),
        ("compounds.need_cameras", Compound("needs", "[-1,0,0,0,0,0,0,0]", "compound.needs[0]", "compound.needs")),
        ("compounds.need_chargers", Compound("needs", "[0,-1,0,0,0,0,0,0]", "compound.needs[1]", "compound.needs")),
        ("compounds.need_water_points", Compound("needs", "[0,0,-1,0,0,0,0,0]", "compound.needs[2]", "compound.needs")),
        ("compounds.need_unit_doors", Compound("needs", "[0,0,0,-1,0,0,0,0]", "compound.needs[3]", "compound.needs")),
        ("compounds.need_bike_sheds", Compound("needs", "[0,0,0,0,-1,0,0,0]", "compound.needs[4]", "compound.needs")),
        ("compounds.need_parking_bays", Compound("needs", "[0,0,0,0,0,-1,0,0]", "compound.needs[5]", "compound.needs")),
        ("compounds.need_barrier_gates", Compound("needs", "[0,0,0,0,0,0,-1,0]", "compound.needs[6]", "compound.needs")),
        ("compounds.need_property_offices", Compound("needs", "[0,0,0,0,0,0,0,-1]", "compound.needs[7]", "compound.needs")),
        ("compounds.lat_e6", Compound("coords", r#"{"lat_e6": 90000001, "lng_e6": 120000000}"#, "compound.coords.lat_e6", "纬度（百万分之一度）：须在 -90000000 至 90000000 之间")),
        ("compounds.lng_e6", Compound("coords", r#"{"lat_e6": 42000000, "lng_e6": -180000001}"#, "compound.coords.lng_e6", "经度（百万分之一度）：须在 -180000000 至 180000000 之间")),
        ("compounds.archived", Internal("a flag the store sets (compounds are archived, never deleted)")),
        ("compounds: (lat_e6 IS NULL) = (lng_e6 IS NULL)", Type("Compound::coords is one Option<Coordinates>: both or neither")),
        ("compound_modes.mode", Internal("copied by the store from compounds.mode, whose rule is above")),
        ("compound_modes: until IS NULL OR until >= since", Api("PUT", "/api/v1/compounds/{compound}", Admin, r#"{"version": {compound_version}, "compound": {compound_mode_changed}, "effective_on": "2000-01-01"}"#, "effective_on", "生效日期：2000-01-01 早于现行管理方式的起始日期")),
        ("evidence.sha256", Internal("the SHA-256 the store computes of an upload")),
        ("evidence.size", Internal("the length of the bytes uploaded")),
        ("compound_lifecycle.stage", Internal("set by anju_core::lifecycle::transition")),
        ("compound_lifecycle.mode", Internal("set by anju_core::lifecycle::transition from a ManagementMode")),
        ("compound_lifecycle.owners_settled", Internal("set by anju_core::lifecycle::transition")),
        ("compound_lifecycle.filed", Internal("set by anju_core::lifecycle::transition")),
        ("contracts.signer", Contract("signer", r#""boss""#, "signer", "signer")),
        ("contracts.term_months", Contract("term.months", "0", "term", "须大于 0")),
        ("contracts.service_level", Contract("service_level", "6", "service_level", "服务等级：须在 1 至 5 之间")),
        ("contracts.fee_multi_fen", Contract("fees.multi", "-5", "fees.multi", "不能为负数")),
        ("contracts.fee_high_fen", Contract("fees.high", "-5", "fees.high", "不能为负数")),
        ("contracts.served_area", Contract("served_area", "-100", "served_area", "不能为负数")),
        ("contracts.status", Internal("set by signing and terminating")),
        ("contracts.end_kind", Api("POST", "/api/v1/contracts/{contract}/terminate", Street, r#"{"version": 0, "kind": "whim", "reason": "退出"}"#, "kind", "终止方式 kind 不认识：“whim”")),
        ("dismissal_proposals.owners", App("record_dismissal_survey with 0 owners (the CLI's `contract dismissal-survey`)", "owners", "业主总数：业主总数不能为 0")),
        ("dismissal_proposals.respondents", Type("DismissalSurvey holds u32 counts, respondents ≤ owners")),
        ("dismissal_proposals.dissatisfied", Type("DismissalSurvey holds u32 counts, dissatisfied ≤ respondents")),
        ("dismissal_proposals.raised", Internal("computed by DismissalSurvey (more than half of all owners)")),
        ("selections.title", Page("/selections", Street, "street={street}&title=%20&date=2026-11-01&deadline=2026-11-20", "标题：请填写")),
        ("selections.stage", Internal("set by the selection's steps")),
        ("selections: deadline >= announced_on", Page("/selections", Street, "street={street}&title=%E9%81%B4%E9%80%89&date=2026-11-20&deadline=2026-11-01", "报名截止日期：2026-11-01 早于公告日期 2026-11-20")),
        ("selection_registrations.qualified", Internal("set by screening (a list of qualified companies)")),
        ("selection_registrations.shortlisted", Internal("set by shortlisting")),
        ("targets.kind", Page("/targets", Street, "street={street}&kind=bogus&share=50&due=2027-12-31", "目标类型：")),
        ("targets.share_percent", Page("/targets", Street, "street={street}&kind=covered&share=101&due=2027-12-31", "目标比例：须在 1 至 100 之间")),
        ("company_records.kind", Api("POST", "/api/v1/companies/{company}/records", Authority, r#"{"kind": "praise", "happened_on": "2026-11-01"}"#, "kind", "kind")),
        ("company_records.score_e2", Api("POST", "/api/v1/companies/{company}/records", Authority, r#"{"kind": "assessment", "happened_on": "2026-11-01", "period": "2026", "score": "100.01"}"#, "score", "不能超过 100")),
        ("company_records.points_e2", Api("POST", "/api/v1/companies/{company}/records", Authority, r#"{"kind": "bad_conduct", "happened_on": "2026-11-01", "points": "-1"}"#, "points", "不能为负数")),
        ("company_records.complaints", Api("POST", "/api/v1/companies/{company}/records", Authority, r#"{"kind": "complaint", "happened_on": "2026-11-01", "period": "2026", "complaints": 0}"#, "complaints", "投诉件数")),
        ("company_records: kind <> 'assessment' OR score_e2 IS NOT NULL", Api("POST", "/api/v1/companies/{company}/records", Authority, r#"{"kind": "assessment", "happened_on": "2026-11-01", "period": "2026"}"#, "score", "考核")),
        ("company_records: kind <> 'complaint' OR complaints IS NOT NULL", Api("POST", "/api/v1/companies/{company}/records", Authority, r#"{"kind": "complaint", "happened_on": "2026-11-01", "period": "2026"}"#, "complaints", "投诉件数")),
        ("tasks.title", Api("POST", "/api/v1/tasks", Street, r#"{"compound_id": {compound}, "title": " ", "responsible": "王", "deadline": "2027-01-31"}"#, "title", "请填写")),
        ("tasks.responsible", Api("POST", "/api/v1/tasks", Street, r#"{"compound_id": {compound}, "title": "清运", "responsible": "", "deadline": "2027-01-31"}"#, "responsible", "请填写")),
        ("tasks.status", Internal("set by the task's steps (TaskStatus)")),
        ("tasks: (status = 'done') = (done_on IS NOT NULL)", Internal("set_task_status writes the status and its day together")),
        ("management_areas.name", Internal("named by the planner (anju_core::planning)")),
        ("management_areas.households", Internal("summed by the planner")),
        ("management_areas.compounds", Internal("counted by the planner")),
        ("management_areas.target_households", App("plan_areas with target_households 0", "target_households", "目标户数")),
        ("management_areas.archived", Internal("a flag the store sets")),
        ("evaluator_assignments.evaluator", Api("POST", "/api/v1/evaluator-assignments", Authority, r#"{"evaluator": " ", "compound_id": {compound}}"#, "evaluator", "测评机构")),
        ("assessments.period_kind", Api("POST", "/api/v1/assessments", Street, r#"{"compound_id": {compound}, "period": "someday", "rubric": "erqi"}"#, "period", "考核期 period 不认识")),
        ("assessments.assessor_kind", Internal("decided by the account's role")),
        ("assessments.assessor", Internal("the account's name")),
        ("assessments.status", Internal("set by the assessment's workflow (anju_core::assessment::transition)")),
        ("assessments.score_e2", Internal("computed by the rubric: each item's deduction is capped at its points (anju-policy rubric/score.rs), so never below 0")),
        ("assessments.passed", Internal("computed by the rubric")),
        ("assessments.objection_days", Api("POST", "/api/v1/assessments", Street, r#"{"compound_id": {compound}, "period": "2026Q4", "rubric": "erqi", "objection_days": -1}"#, "objection_days", "objection_days")),
        ("assessments.review_outcome", Api("POST", "/api/v1/assessments/{assessment}/review", Authority, r#"{"version": 0, "outcome": "maybe"}"#, "outcome", "outcome")),
        ("assessments.decision", Api("POST", "/api/v1/assessments/{assessment}/decide", Authority, r#"{"version": 0, "outcome": "maybe"}"#, "outcome", "outcome")),
        ("patrols.kind", Api("POST", "/api/v1/patrols", Street, r#"{"compound_id": {compound}, "kind": "daily", "date": "2026-11-05", "inspector": "王", "findings": []}"#, "kind", "kind")),
        ("patrols.inspector", Api("POST", "/api/v1/patrols", Street, r#"{"compound_id": {compound}, "kind": "weekly_patrol", "date": "2026-11-05", "inspector": " ", "findings": []}"#, "inspector", "请填写")),
        ("patrol_findings.category", Api("POST", "/api/v1/patrols", Street, r#"{"compound_id": {compound}, "kind": "weekly_patrol", "date": "2026-11-05", "inspector": "王", "findings": [{"category": "mood", "description": "垃圾", "evidence": []}]}"#, "findings[0].category", "category")),
        ("patrol_findings.description", Api("POST", "/api/v1/patrols", Street, r#"{"compound_id": {compound}, "kind": "weekly_patrol", "date": "2026-11-05", "inspector": "王", "findings": [{"category": "environment", "description": " ", "evidence": []}]}"#, "findings.description", "问题描述：请填写")),
        ("rectification_orders.status", Internal("set by answering, closing and reopening")),
        ("rectification_orders.answered_late", Internal("computed from the answer's day and the deadline")),
        ("rectification_orders.reopened", Internal("a counter the store increments")),
        ("complaints.source", Api("POST", "/api/v1/complaints", Street, r#"{"compound_id": {compound}, "source": "rumour", "category": "噪音", "text": "夜间施工", "received_on": "2026-11-05"}"#, "source", "投诉来源 source 不认识")),
        ("complaints.category", Api("POST", "/api/v1/complaints", Street, r#"{"compound_id": {compound}, "source": "resident", "category": " ", "text": "夜间施工", "received_on": "2026-11-05"}"#, "category", "请填写")),
        ("complaints.text", Api("POST", "/api/v1/complaints", Street, r#"{"compound_id": {compound}, "source": "resident", "category": "噪音", "text": "", "received_on": "2026-11-05"}"#, "text", "请填写")),
        ("complaints.status", Internal("set by the complaint's steps")),
        ("dispatch_filings.compounds", Internal("the number of rows of the sheet the app builds")),
        ("departments.name", Api("POST", "/api/v1/departments", Authority, r#"{"district_id": {district_id}, "name": " "}"#, "name", "请填写")),
        ("departments.active", Type("a JSON boolean or the form's checkbox; nothing else reaches the column")),
        ("department_duties.category", Internal("blank duty categories are dropped before writing (anju-app checked_duties)")),
        ("referrals.source", Api("POST", "/api/v1/referrals", Street, r#"{"compound_id": {compound}, "department_id": {department}, "source": "rumour", "category": "消防通道", "text": "占道", "referred_on": "2026-11-05"}"#, "source", "source")),
        ("referrals.category", Api("POST", "/api/v1/referrals", Street, r#"{"compound_id": {compound}, "department_id": {department}, "source": "other", "category": " ", "text": "占道", "referred_on": "2026-11-05"}"#, "category", "请填写")),
        ("referrals.text", Api("POST", "/api/v1/referrals", Street, r#"{"compound_id": {compound}, "department_id": {department}, "source": "other", "category": "消防通道", "text": "", "referred_on": "2026-11-05"}"#, "text", "请填写")),
        ("referrals.working_days", Api("POST", "/api/v1/referrals", Street, r#"{"compound_id": {compound}, "department_id": {department}, "source": "other", "category": "消防通道", "text": "占道", "referred_on": "2026-11-05", "working_days": 61}"#, "working_days", "1 至 60")),
        ("referrals.status", Internal("set by the referral's steps (anju_core::referral::next)")),
        ("referrals.returns", Internal("a counter the store increments when a referral is sent back")),
        ("referral_steps.step", Internal("written by the store from the ReferralStep codes and 'refer'")),
        ("evaluator_fees.evaluator", Page("/funding/evaluator-fees", Finance, "evaluator=%20&period=2026&amount=100", "测评机构：请填写")),
        ("evaluator_fees.amount_fen", Page("/funding/evaluator-fees", Finance, "evaluator=x&period=2026&amount=0", "金额须大于 0")),
        ("compound_owners_shares.percent_e2", Page("/compounds/{compound}/owners-share", Street, "percent=10.5", "不在 6% 至 10% 之间")),
        ("complaints.verdict", Api("POST", "/api/v1/complaints/{complaint}/verify", Street, r#"{"version": 0, "verdict": "maybe", "note": "x"}"#, "verdict", "verdict")),
        ("complaints.rating", Api("POST", "/api/v1/complaints/{complaint}/rate", Street, r#"{"version": 0, "rating": 6}"#, "rating", "评价")),
        ("surveys.period", Api("POST", "/api/v1/surveys", Street, r#"{"compound_id": {compound}, "period": " ", "rule": "erqi"}"#, "period", "调查期间")),
        ("surveys.rule", Api("POST", "/api/v1/surveys", Street, r#"{"compound_id": {compound}, "period": "2026H2", "rule": "most"}"#, "rule", "rule")),
        ("surveys.households", Api("POST", "/api/v1/surveys", Street, r#"{"compound_id": {compound}, "period": "2026H2", "rule": "erqi", "households": 0}"#, "households", "总户数")),
        ("surveys.required_sample", Internal("computed by the sample rule from the households")),
        ("surveys.status", Internal("set by closing")),
        ("survey_tokens.satisfied", Page("/s/{token}", Who::Resident, "compound={compound}&satisfied=maybe", "请选择“是否满意”")),
        ("survey_tokens.score", Page("/s/{token}", Who::Resident, "compound={compound}&satisfied=yes&score=6", "评分：须在 1 至 5 之间")),
        ("survey_tokens: (used_at IS NULL) = (satisfied IS NULL)", Internal("an answer writes both in one UPDATE")),
        ("fee_months.month", Type("a fees::Month is always YYYY-MM; the sheet reader names a row whose month it cannot read")),
        ("fee_months.billed_fen", App("set_fee_month with billed -1 fen", "billed", "应收：金额不能为负数")),
        ("fee_months.collected_fen", App("import_fees with collected -1 fen", "collected", "第 2 行：实收：金额不能为负数")),
        ("fee_months.source", Internal("set by the store: import or entry")),
        ("account_entries.period", App("add_account_entry with period \" \"", "period", "公示期间：请填写")),
        ("account_entries.kind", Type("an accounts::EntryKind (the CLI's --kind lists the choices)")),
        ("account_entries.amount_fen", App("add_account_entry with amount -1 fen", "amount", "金额不能为负数")),
        ("account_entries: kind <> 'spending' OR (category IS NOT NULL AND category <> '')", App("add_account_entry of spending without a category", "category", "支出类别：支出须注明类别")),
        ("users.username", Api("POST", "/api/v1/users", Admin, r#"{"username": " ", "password": "Lang-genug-2026", "role": "finance"}"#, "username", "用户名")),
        ("users.display_name", Api("POST", "/api/v1/users", Admin, r#"{"username": "e_dn", "display_name": "a\u0001b", "password": "Lang-genug-2026", "role": "finance"}"#, "display_name", "控制字符")),
        ("users.password_hash", Internal("an argon2id hash written by anju-app")),
        ("users.role", Api("POST", "/api/v1/users", Admin, r#"{"username": "e_role", "password": "Lang-genug-2026", "role": "boss"}"#, "role", "角色")),
        ("users.active", Internal("a flag set by deactivating or reactivating")),
        ("funding_policies.policy_id", Api("POST", "/api/v1/funding/policies", Authority, r#"{"region_id": {street_id}, "policy": " ", "valid_from": "2026-01-01"}"#, "policy", "政策")),
        ("funding_policies.valid_from", Api("POST", "/api/v1/funding/policies", Authority, r#"{"region_id": {street_id}, "policy": "liaocheng-2021", "valid_from": "2026-1-1"}"#, "valid_from", "valid_from")),
        ("subsidy_runs.period", Page("/funding/runs", Authority, "level=street&region={street}&period=%20", "期间：期间“”无法识别")),
        ("subsidy_runs.status", Internal("set by the store when a newer run supersedes")),
        ("subsidy_lines.kind", Internal("set by the use case: a run's subsidy, a retention release, a grant")),
        ("subsidy_lines.eligible", Internal("computed by anju_policy::evaluate")),
        ("subsidy_lines.amount_fen", Page("/funding/infra", Street, "compound_id={compound}&investment=-8000&share=50&date=2026-03-01", "企业投入金额：金额须大于 0")),
        ("subsidy_lines.retained_fen", Internal("computed by anju_policy::evaluate")),
        ("subsidy_lines.approved_fen", Internal("the computed or adjusted amount, each checked")),
        ("subsidy_lines.status", Internal("set by the money's path (anju_core::funding)")),
        ("subsidy_lines: (period_start IS NULL) = (period_end IS NULL)", Internal("a run writes its period's two ends together")),
        ("subsidy_adjustments.new_fen", Page("/funding/lines/{line}/adjust", Authority, "version={lv}&amount=-1&reason=%E6%A0%B8%E5%87%8F", "调整后金额：金额不能为负数")),
        ("subsidy_adjustments.reason", Page("/funding/lines/{line}/adjust", Authority, "version={lv}&amount=6000&reason=%20", "调整原因：请填写")),
        ("compound_public_keys.public_key", Internal("a random key the store draws")),
        ("complaint_evidence.stage", Internal("set by the use case: the complaint's or the answer's files")),
        ("holidays.day", Type("a jiff Date, written YYYY-MM-DD")),
        ("holidays.name", Cli("`anju complaint holidays add DAY --name ' '`: a_holiday_without_a_name_is_refused_in_words (the store refuses it in words; the command calls the store until its move into anju-app)")),
        ("household_fees.household", App("import_household_fees with household \" \"", "household", "第 2 行：户号：请填写")),
        ("household_fees.month", Type("a fees::Month is always YYYY-MM")),
        ("household_fees.billed_fen", App("import_household_fees with billed -1 fen", "billed", "第 2 行：应收：金额不能为负数")),
        ("household_fees.collected_fen", App("import_household_fees with collected -1 fen", "collected", "第 2 行：实收：金额不能为负数")),
        ("step_corrections.kind", Internal("set by the use case from `void` or `on`")),
        ("step_corrections.reason", Api("POST", "/api/v1/compounds/{contract_compound}/steps/{step}/correction", Street, r#"{"version": 0, "on": "2026-09-30", "reason": " "}"#, "reason", "请填写")),
        ("step_corrections: (kind = 'redate' AND new_on IS NOT NULL AND replaced_by IS NOT NULL) OR (kind = 'void' AND new_on IS NULL AND replaced_by IS NULL)", Internal("the store writes a re-dating with its new step, a voiding without")),
        ("org_groups.kind", Api("POST", "/api/v1/groups", Street, r#"{"region_id": {street_id}, "kind": "committee", "name": "专班", "established_on": "2026-01-01"}"#, "kind", "不认识的取值")),
        ("org_groups.name", Api("POST", "/api/v1/groups", Street, r#"{"region_id": {street_id}, "kind": "task_force", "name": " ", "established_on": "2026-01-01"}"#, "name", "名称：请填写")),
        ("org_members.name", Api("POST", "/api/v1/groups", Street, r#"{"region_id": {street_id}, "kind": "task_force", "name": "专班", "established_on": "2026-01-01", "members": [{"name": " ", "role": "member", "joined_on": "2026-01-01"}]}"#, "members", "成员姓名：请填写")),
        ("org_members.role", Api("POST", "/api/v1/groups", Street, r#"{"region_id": {street_id}, "kind": "task_force", "name": "专班", "established_on": "2026-01-01", "members": [{"name": "王一", "role": "boss", "joined_on": "2026-01-01"}]}"#, "members[0].role", "不认识的取值")),
        ("org_members: left_on IS NULL OR left_on >= joined_on", Api("POST", "/api/v1/groups/{org_group}/members/{org_member}/leave", Street, r#"{"version": 1, "left_on": "2025-12-01"}"#, "", "离任日期 2025-12-01 早于加入日期 2026-01-01")),
        ("meetings.kind", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "kind": "party", "title": "调度会", "held_on": "2026-11-01", "attendees": "王一", "minutes": "纪要"}"#, "kind", "不认识的取值")),
        ("meetings.title", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "kind": "dispatch", "title": " ", "held_on": "2026-11-01", "attendees": "王一", "minutes": "纪要"}"#, "title", "会议名称：请填写")),
        ("meetings.attendees", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "kind": "dispatch", "title": "调度会", "held_on": "2026-11-01", "attendees": "", "minutes": "纪要"}"#, "attendees", "参会人员：请填写")),
        ("meetings.minutes", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "kind": "dispatch", "title": "调度会", "held_on": "2026-11-01", "attendees": "王一", "minutes": " "}"#, "minutes", "会议纪要：请填写")),
        ("censures.kind", Api("POST", "/api/v1/censures", Street, r#"{"region_id": {street_id}, "kind": "warning", "unit": {"kind": "company", "id": {company}}, "on_day": "2026-11-01", "reason": "服务不到位"}"#, "kind", "不认识的取值")),
        ("censures.unit_kind", Api("POST", "/api/v1/censures", Street, r#"{"region_id": {street_id}, "kind": "criticism", "unit": {"kind": "person", "id": {company}}, "on_day": "2026-11-01", "reason": "服务不到位"}"#, "unit.kind", "不认识的取值")),
        ("censures.reason", Api("POST", "/api/v1/censures", Street, r#"{"region_id": {street_id}, "kind": "criticism", "unit": {"kind": "company", "id": {company}}, "on_day": "2026-11-01", "reason": ""}"#, "reason", "事由：请填写")),
        ("censures: (unit_kind = 'region') = (unit_region_id IS NOT NULL) AND (unit_kind = 'department') = (unit_department_id IS NOT NULL) AND (unit_kind = 'company') = (unit_company_id IS NOT NULL)", Type("a Unit is one kind and one id: the store writes the id to its kind's column and leaves the others null (unit_cols)")),
        ("assignments.source", Internal("set by the use case: a meeting's decision or a 通报's follow-up")),
        ("assignments.unit_kind", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "kind": "dispatch", "title": "调度会", "held_on": "2026-11-01", "attendees": "王一", "minutes": "纪要", "decisions": [{"unit": {"kind": "person", "id": 1}, "text": "摸底", "deadline": "2026-12-31"}]}"#, "decisions[0].unit.kind", "不认识的取值")),
        ("assignments.text", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "kind": "dispatch", "title": "调度会", "held_on": "2026-11-01", "attendees": "王一", "minutes": "纪要", "decisions": [{"unit": {"kind": "region", "id": {street_id}}, "text": " ", "deadline": "2026-12-31"}]}"#, "decisions", "第 1 项：请填写内容")),
        ("assignments.status", Internal("set by the assignment's steps (anju_core::organisation::next)")),
        ("assignments.returns", Internal("a counter the store increments when an assignment is sent back")),
        ("assignments: deadline >= issued_on", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "kind": "dispatch", "title": "调度会", "held_on": "2026-11-01", "attendees": "王一", "minutes": "纪要", "decisions": [{"unit": {"kind": "region", "id": {street_id}}, "text": "摸底", "deadline": "2026-10-01"}]}"#, "decisions", "完成时限 2026-10-01 早于会议日期 2026-11-01")),
        ("assignments: (source = 'meeting') = (meeting_id IS NOT NULL) AND (source = 'censure') = (censure_id IS NOT NULL)", Internal("the store writes the source with its meeting's or censure's id (insert_assignment takes both together)")),
        ("assignments: (unit_kind = 'region') = (unit_region_id IS NOT NULL) AND (unit_kind = 'department') = (unit_department_id IS NOT NULL) AND (unit_kind = 'company') = (unit_company_id IS NOT NULL)", Type("a Unit is one kind and one id: the store writes the id to its kind's column and leaves the others null (unit_cols)")),
        ("assignment_steps.step", Internal("written by the store from the AssignmentStep codes and 'issue'")),
        ("owners_bodies.kind", Api("POST", "/api/v1/compounds/{compound}/owners-bodies", Street, r#"{"kind": "none", "prepared_on": "2026-01-01"}"#, "kind", "请选择业主委员会、物业管理委员会或环境和物业管理委员会")),
        ("owners_bodies.status", Internal("set by the body's steps (anju_core::owners_body::next)")),
        ("owners_bodies.term_years", Api("POST", "/api/v1/compounds/{compound}/owners-bodies", Street, r#"{"kind": "owners_committee", "prepared_on": "2026-01-01", "term_years": 6}"#, "term_years", "任期（年）：须在 1 至 5 之间")),
        ("owners_bodies: elected_on IS NULL OR elected_on >= prepared_on", Api("POST", "/api/v1/owners-bodies/{ob_preparing}/elect", Street, r#"{"version": 2, "on": "2026-01-01", "members": [{"name": "王一", "role": "chair"}]}"#, "", "日期 2026-01-01 早于上一步的日期 2026-01-10")),
        ("owners_bodies: filed_on IS NULL OR (elected_on IS NOT NULL AND filed_on >= elected_on)", Api("POST", "/api/v1/owners-bodies/{ob_elected}/file", Street, r#"{"version": 2, "on": "2026-01-05"}"#, "", "日期 2026-01-05 早于上一步的日期 2026-01-10")),
        ("owners_bodies: (status = 'preparing') = (elected_on IS NULL)", Internal("the election writes its day with the status elected in one UPDATE (owners_body_step); no other write sets either")),
        ("owners_bodies: status <> 'in_office' OR filed_on IS NOT NULL", Internal("the filing writes its day with the status in_office in one UPDATE (owners_body_step)")),
        ("owners_bodies: status NOT IN ('preparing', 'elected') OR filed_on IS NULL", Internal("filed_on is written only by the filing, which moves the status to in_office; a body never goes back")),
        ("owners_body_members.name", Internal("blank member names are dropped before writing (anju-app checked_body_members); a name is trimmed and at most 20 characters")),
        ("owners_body_members.role", Api("POST", "/api/v1/owners-bodies/{ob_preparing}/elect", Street, r#"{"version": 2, "on": "2026-02-02", "members": [{"name": "王一", "role": "boss"}]}"#, "members[0].role", "不认识的取值")),
        ("party_records.kind", Page("/compounds/{compound}/party", Street, "kind=bogus&name=x&started_on=2026-11-01", "请选择记录类型")),
        ("party_records.members", Page("/compounds/{compound}/party", Street, "kind=branch&name=x&members=-1&started_on=2026-11-01", "党员人数：“-1”应为 0 或正整数")),
        ("party_records.suggestions", Page("/compounds/{compound}/party", Street, "kind=consultation&suggestions=-1&started_on=2026-11-01", "合理化建议（条）：“-1”应为 0 或正整数")),
        ("party_records.rectified", Page("/compounds/{compound}/party", Street, "kind=consultation&suggestions=1&rectified=2&started_on=2026-11-01", "已整改（条）：须在 0 至 1 之间")),
        ("party_records.ended_on", Page("/party-records/{party}", Street, "version=1&ended_on=2026-01-01", "结束日期 2026-01-01 早于开始日期 2026-01-05")),
        ("owners_body_members.party_member", Type("a JSON boolean, or the page's checkbox: nothing else reaches the column")),
        ("households.unit", Page("/compounds/{compound}/register", Street, "unit=%20&area=88", "房号：请填写")),
        ("households.area_centi", Page("/compounds/{compound}/register", Street, "unit=9-9-909&area=0", "专有部分面积：须大于 0")),
        ("votes.matter", Page("/compounds/{compound}/votes", Street, "matter=bogus&question=x&closes_on=2030-01-01", "请选择表决事项类别")),
        ("votes.question", Page("/compounds/{compound}/votes", Street, "matter=rebuild&question=%20&closes_on=2030-01-01", "表决事项：请填写")),
        ("votes.status", Internal("open when the store opens a vote, closed by close_vote with its day and result in one UPDATE")),
        ("votes.owners", Internal("the register's households counted when the vote opens; opening refuses an empty register (业主名册)")),
        ("votes.area_centi", Internal("the register's area summed when the vote opens; every household's area is more than 0")),
        ("votes: closes_on >= opens_on", Page("/compounds/{compound}/votes", Street, "matter=rebuild&question=x&opens_on=2026-11-02&closes_on=2026-11-01", "截止日期 2026-11-01 早于开始日期 2026-11-02")),
        ("votes: (status = 'closed') = (closed_on IS NOT NULL)", Internal("close_vote writes the status, the day and the result in one UPDATE")),
        ("votes: (status = 'closed') = (result IS NOT NULL)", Internal("close_vote writes the status, the day and the result in one UPDATE")),
        ("votes: closed_on IS NULL OR closed_on >= opens_on", Internal("close_vote refuses a day before the vote opened (结束日期 … 早于表决开始日期), in votes.rs")),
        ("vote_options.no", Internal("numbered 1, 2, … by the store when the vote opens")),
        ("vote_options.label", Internal("同意 for a yes/no question, or the name of a company on file")),
        ("vote_ballots.area_centi", Internal("copied from the register (every household's area is more than 0)")),
        ("vote_ballots.choice", Page("/v/{ballot}", Who::Resident, "choice=maybe", "请选择您的表决意见")),
        ("vote_ballots.channel", Internal("online when cast by the link, paper when entered with a scan")),
        ("vote_ballots: (cast_at IS NULL) = (choice IS NULL)", Internal("a cast writes its moment, choice and channel in one UPDATE")),
        ("vote_ballots: (cast_at IS NULL) = (channel IS NULL)", Internal("a cast writes its moment, choice and channel in one UPDATE")),
        ("vote_ballots: (choice = 'option') = (option_no IS NOT NULL)", Page("/v/{ballot}", Who::Resident, "choice=o9", "请选择表决选项")),
        ("vote_ballots: (channel = 'paper') = (evidence_sha IS NOT NULL)", Internal("a paper ballot is refused without its scan (enter_paper_ballot: 选票扫描件), walked in votes.rs through the multipart page")),
        ("vote_ballots: (channel = 'paper') = (received_on IS NOT NULL)", Internal("a paper ballot's received day is a required event date (EventDate::BallotReceived)")),
        ("fund_uses.title", Page("/compounds/{compound}/fund/uses", Street, "title=%20&cost=100&date=2026-11-01", "使用事项：请填写")),
        ("fund_uses.cost_fen", Page("/compounds/{compound}/fund/uses", Street, "title=x&cost=0&date=2026-11-01", "预算金额：金额须大于 0")),
        ("fund_uses.status", Internal("set by the store's steps (fund_use_step), each from the one before")),
        ("fund_uses.paid_fen", Internal("the payment's amount, refused by the application when not more than 0 (拨付金额：金额须大于 0)")),
        ("fund_uses: (status IN ('voted', 'approved', 'paid')) = (vote_id IS NOT NULL)", Internal("the vote step writes the status and the vote together; no later step clears it")),
        ("fund_uses: (status IN ('approved', 'paid')) = (approved_on IS NOT NULL)", Internal("the approval writes the status and its day together")),
        ("fund_uses: (status = 'paid') = (paid_on IS NOT NULL)", Internal("the payment writes the status, its day and amount together")),
        ("fund_uses: (status = 'paid') = (paid_fen IS NOT NULL)", Internal("the payment writes the status, its day and amount together")),
        ("fund_uses: paid_fen IS NULL OR paid_fen <= cost_fen", Internal("the store refuses a payment above the cost (拨付金额 … 超过申请金额), walked in fund.rs")),
        ("fund_uses: (status = 'rejected') = (rejected_on IS NOT NULL)", Internal("the rejection writes the status and its day together")),
        ("fund_entries.kind", Internal("deposit or raised by deposit_fund (raised only with a carried vote), payout by the payment")),
        ("fund_entries.amount_fen", Page("/compounds/{compound}/fund/deposit", Authority, "amount=0&date=2026-11-01", "金额：金额须大于 0")),
        ("fund_entries: (kind = 'raised') = (vote_id IS NOT NULL)", Internal("deposit_fund writes raised exactly when it cites a carried vote")),
        ("fund_entries: (kind = 'payout') = (use_id IS NOT NULL)", Internal("only the payment of a use writes a payout, with the use")),
        ("owners_body_members: left_on IS NULL OR left_on >= joined_on", Api("POST", "/api/v1/owners-bodies/{ob_preparing}/elect", Street, r#"{"version": 2, "on": "2026-01-15", "members": [{"name": "王一", "role": "chair"}]}"#, "", "选举日期 2026-01-15 早于筹备组成员“赵三”的加入日期 2026-02-01")),
        ("renovation_households.demolish", Type("a JSON boolean, or the page's checkbox: nothing else reaches the column")),
        ("renovation_households.maintenance_fund", Type("a JSON boolean, or the page's checkbox: nothing else reaches the column")),
        ("renovation_households.repair_fees", Type("a JSON boolean, or the page's checkbox: nothing else reaches the column")),
        ("fee_standards.multi_fen", Api("POST", "/api/v1/compounds/{compound}/fee-standards", Authority, r#"{"fees": {"multi": -5}, "doc_no": "发改〔2026〕1号", "approved_on": "2026-01-01", "department": "区发改局"}"#, "fees.multi", "不能为负数")),
        ("fee_standards.high_fen", Api("POST", "/api/v1/compounds/{compound}/fee-standards", Authority, r#"{"fees": {"high": -5}, "doc_no": "发改〔2026〕1号", "approved_on": "2026-01-01", "department": "区发改局"}"#, "fees.high", "不能为负数")),
    ]
};

/// The CHECK constraints of one migration folder: `table.column`, or `table: expression`.
fn checks_in(folder: &str) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../anju-store/migrations")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let mut out = BTreeSet::new();
    for f in files {
        let sql: String = std::fs::read_to_string(&f)
            .expect("read")
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let upper = sql.to_uppercase();
        let mut table = String::new();
        let mut i = 0;
        while i < sql.len() {
            let rest = &upper[i..];
            let table_at = ["CREATE TABLE ", "ALTER TABLE "]
                .iter()
                .filter_map(|k| rest.find(k).map(|p| (p, k.len())))
                .min();
            // The keyword, not a name holding it (`users_role_check`).
            let check_at = rest.match_indices("CHECK").map(|(p, _)| p).find(|&p| {
                rest[..p]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
            });
            match (table_at, check_at) {
                (Some((t, n)), c) if c.is_none_or(|c| t < c) => {
                    let after = sql[i + t + n..].trim_start();
                    let after = after.strip_prefix("IF NOT EXISTS ").unwrap_or(after);
                    table = after
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")
                        .to_string();
                    i += t + n;
                }
                (_, Some(c)) => {
                    let at = i + c;
                    let open = at + sql[at..].find('(').expect("CHECK (");
                    let mut depth = 0;
                    let mut end = open;
                    for (k, ch) in sql[open..].char_indices() {
                        match ch {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        if depth == 0 {
                            end = open + k;
                            break;
                        }
                    }
                    let expr = sql[open + 1..end]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let line_start = sql[..at].rfind('\n').map_or(0, |p| p + 1);
                    let before = sql[line_start..at].trim();
                    // `ALTER TABLE t ADD CONSTRAINT t_col_check CHECK (…)`: column `col`.
                    let constraint = before
                        .split("ADD CONSTRAINT ")
                        .nth(1)
                        .and_then(|n| n.split_whitespace().next());
                    let key = match (constraint, before.split_whitespace().next()) {
                        (Some(name), _) => {
                            let col = name
                                .strip_prefix(&format!("{table}_"))
                                .and_then(|n| n.strip_suffix("_check"))
                                .unwrap_or(name);
                            format!("{table}.{col}")
                        }
                        (None, Some(col)) if !before.is_empty() => format!("{table}.{col}"),
                        _ => format!("{table}: {expr}"),
                    };
                    out.insert(key);
                    i = end + 1;
                }
                _ => break,
            }
        }
    }
    out
}

#[test]
fn every_check_constraint_of_both_schemas_is_in_the_table() {
    let sqlite = checks_in("sqlite");
    let postgres = checks_in("postgres");
    assert!(sqlite.len() > 100, "{}", sqlite.len());
    assert_eq!(sqlite, postgres, "the two schemas hold the same CHECKs");
    let table: BTreeSet<String> = CHECKS.iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(table.len(), CHECKS.len(), "a constraint listed twice");
    let missing: Vec<_> = sqlite.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "CHECK constraints with no row in CHECKS: {missing:#?}"
    );
    let gone: Vec<_> = table.difference(&sqlite).collect();
    assert!(
        gone.is_empty(),
        "rows for constraints the schema no longer has: {gone:#?}"
    );
    // A row that is not driven says why, in words.
    for (key, via) in CHECKS {
        let said = match via {
            Via::App(what, ..) | Via::Type(what) | Via::Internal(what) | Via::Cli(what) => what,
            _ => continue,
        };
        assert!(said.len() > 10, "{key}: say what or why");
    }
}

/// The placeholders of the CHECK rows that are not the world's.
async fn check_extras(t: &TestApp, w: &World, p: &People) -> Vec<(&'static str, String)> {
    let s = &t.store;
    let street_id = s
        .find_region(anju_core::RegionLevel::Street, STREET_A)
        .await
        .expect("street")
        .id;
    let cur = t
        .get_as(
            &p.admin,
            &format!("/api/v1/compounds/{}", w.inside.compound.id),
        )
        .await
        .json();
    let mut changed = cur["compound"].clone();
    changed["mode"] = json!("state_takeover");
    changed["company"] = Value::Null;
    changed["company_code"] = Value::Null;
    let line = a_line(t, w, p).await;
    let district_id = s.region_ancestors(street_id).await.expect("ancestors")[1];
    let (org_group, org_member, _) = org_records(t, w, p).await;
    // A body being prepared (since 2026-01-10) whose group a member joined on 2026-02-01
    // (version 2), and one elected on 2026-01-10 (version 2).
    let ob_preparing = owners_body(t, p, w.inside.compound.id, "2026-01-10").await;
    let r = send_json(
        t,
        &p.street,
        "POST",
        &format!("/api/v1/owners-bodies/{ob_preparing}/members"),
        json!({"version": 1, "on": "2026-02-01", "members": [{"name": "赵三", "role": "preparer"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ob_elected = owners_body(t, p, w.inside.contract_compound, "2026-01-01").await;
    let r = send_json(
        t,
        &p.street,
        "POST",
        &format!("/api/v1/owners-bodies/{ob_elected}/elect"),
        json!({"version": 1, "on": "2026-01-10", "members": [{"name": "王一", "role": "chair"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    vec![
        ("ob_preparing", ob_preparing.to_string()),
        ("ob_elected", ob_elected.to_string()),
        ("org_group", org_group.to_string()),
        ("org_member", org_member.to_string()),
        ("street_id", street_id.to_string()),
        ("district_id", district_id.to_string()),
        ("compound_version", cur["version"].to_string()),
        ("compound_mode_changed", changed.to_string()),
        ("line", line.to_string()),
        (
            "lv",
            t.store
                .get_subsidy_line(line)
                .await
                .expect("line")
                .version
                .to_string(),
        ),
    ]
}

/// Sets `path` (`a` or `a.b`) of a JSON object.
fn set(body: &mut Value, path: &str, value: Value) {
    match path.split_once('.') {
        Some((a, b)) => body[a][b] = value,
        None => body[path] = value,
    }
}

/// The refusal a JSON answer gives: (status, field, message).
fn answer_of(r: &Res) -> (StatusCode, String, String) {
    let j: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (
        r.status,
        j["field"].as_str().unwrap_or("").to_string(),
        j["message"].as_str().unwrap_or(&r.body).to_string(),
    )
}

/// Calls the use case a row names with the value out of the constraint.
async fn drive_app(t: &TestApp, w: &World, key: &str) -> anju_app::AppError {
    use anju_core::Fen;
    use anju_core::fees::Month;
    let app = &t.state.app;
    let who = anju_app::Principal::admin("edges", anju_core::Lang::Zh);
    let cid = w.inside.compound.id;
    let month = Month::parse("2026-10").expect("month");
    let fee = |billed: i64, collected: i64| anju_store::FeeInput {
        compound_id: cid,
        month,
        billed: Fen(billed),
        collected: Fen(collected),
    };
    let household = |name: &str, billed: i64, collected: i64| anju_store::HouseholdFeeInput {
        compound_id: cid,
        household: name.into(),
        month,
        billed: Fen(billed),
        collected: Fen(collected),
    };
    let entry =
        |kind, period: &str, amount: i64, category: Option<&str>| anju_store::NewAccountEntry {
            compound_id: cid,
            period: period.into(),
            kind,
            category: category.map(str::to_string),
            amount: Fen(amount),
            note: None,
        };
    let company = |name: &str, code: Option<&str>| anju_app::companies::NewCompany {
        name: name.into(),
        credit_code: code.map(str::to_string),
        contact_person: None,
        phone: None,
    };
    use anju_core::accounts::EntryKind;
    let r: anju_app::Result<()> = match key {
        "companies.name" => app
            .register_company(&who, company("  ", None))
            .await
            .map(drop),
        "companies.credit_code" => app
            .register_company(&who, company("边界物业", Some("123")))
            .await
            .map(drop),
        "management_areas.target_households" => app
            .plan_areas(
                &who,
                anju_app::areas::AreaPlanInput {
                    street: STREET_A.into(),
                    rules: anju_core::planning::AreaRules {
                        target_households: 0,
                        ..anju_core::planning::AreaRules::default()
                    },
                    accept: false,
                },
            )
            .await
            .map(drop),
        "fee_months.billed_fen" => app.set_fee_month(&who, &fee(-1, 0), None).await.map(drop),
        "fee_months.collected_fen" => app.import_fees(&who, &[fee(100, -1)]).await.map(drop),
        "account_entries.period" => app
            .add_account_entry(&who, &entry(EntryKind::IncomeFees, " ", 100, None))
            .await
            .map(drop),
        "account_entries.amount_fen" => app
            .add_account_entry(&who, &entry(EntryKind::IncomeFees, "2026H1", -1, None))
            .await
            .map(drop),
        "account_entries: kind <> 'spending' OR (category IS NOT NULL AND category <> '')" => app
            .add_account_entry(&who, &entry(EntryKind::Spending, "2026H1", 100, Some(" ")))
            .await
            .map(drop),
        "household_fees.household" => app
            .import_household_fees(&who, &[household(" ", 100, 90)])
            .await
            .map(drop),
        "household_fees.billed_fen" => app
            .import_household_fees(&who, &[household("1-101", -1, 0)])
            .await
            .map(drop),
        "household_fees.collected_fen" => app
            .import_household_fees(&who, &[household("1-101", 100, -1)])
            .await
            .map(drop),
        "dismissal_proposals.owners" => app
            .record_dismissal_survey(
                &who,
                ContractId(w.inside.contract),
                jiff::civil::date(2026, 11, 1),
                anju_core::contract::DismissalSurvey {
                    owners: 0,
                    respondents: 0,
                    dissatisfied: 0,
                },
                None,
            )
            .await
            .map(drop),
        other => panic!("no App case for {other}"),
    };
    match r {
        Ok(()) => panic!("{key}: accepted"),
        Err(e) => e,
    }
}

both_engines!(every_check_constraint_a_user_reaches_is_refused_before_the_database);
async fn every_check_constraint_a_user_reaches_is_refused_before_the_database(t: &TestApp) {
    let w = world(t).await;
    let p = People::new(t, &w).await;
    let extra = check_extras(t, &w, &p).await;
    let mut failures = Vec::new();
    for (key, via) in CHECKS {
        let (got, field, words) = match *via {
            Via::Api(method, uri, who, body, field, words) => {
                let body: Value = serde_json::from_str(&fill(body, &w, &extra))
                    .unwrap_or_else(|e| panic!("{key}: {e}"));
                let r = send_json(t, p.as_(who), method, &fill(uri, &w, &extra), body).await;
                (answer_of(&r), field, words)
            }
            Via::Compound(k, value, field, words) => {
                let uri = format!("/api/v1/compounds/{}", w.inside.compound.id);
                let cur = t.get_as(&p.admin, &uri).await.json();
                let mut c = cur["compound"].clone();
                c[k] = serde_json::from_str(value).expect("value");
                let body = json!({"version": cur["version"], "compound": c});
                let r = send_json(t, &p.admin, "PUT", &uri, body).await;
                (answer_of(&r), field, words)
            }
            Via::Contract(k, value, field, words) => {
                let mut c = w.inside.compound.clone();
                c.id = unmanaged(t).await;
                let mut body =
                    serde_json::to_value(crate::access_matrix::new_contract(&c, w.inside.company))
                        .expect("json");
                set(&mut body, k, serde_json::from_str(value).expect("value"));
                let r = send_json(t, &p.street, "POST", "/api/v1/contracts", body).await;
                (answer_of(&r), field, words)
            }
            Via::Page(uri, who, fields, words) => {
                let s = (who != Who::Resident).then(|| p.as_(who));
                let r = send_page(
                    t,
                    s,
                    &fill(uri, &w, &extra),
                    Enc::Form,
                    &fill(fields, &w, &extra),
                )
                .await;
                let ok =
                    r.status == StatusCode::UNPROCESSABLE_ENTITY && shown(&r.body).contains(words);
                if !ok {
                    failures.push(format!(
                        "{key}: page {} {}",
                        r.status,
                        shown(&r.body).chars().take(400).collect::<String>()
                    ));
                }
                continue;
            }
            Via::App(_, field, words) => {
                let e = drive_app(t, &w, key).await;
                let got = (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    e.field_name().unwrap_or("").to_string(),
                    e.message(anju_core::Lang::Zh),
                );
                let ok = matches!(e, anju_app::AppError::Invalid(_));
                if !ok {
                    failures.push(format!("{key}: not a field's refusal: {e:?}"));
                    continue;
                }
                (got, field, words)
            }
            Via::Type(_) | Via::Internal(_) | Via::Cli(_) => continue,
        };
        let (status, f, m) = got;
        if status != StatusCode::UNPROCESSABLE_ENTITY
            || f != field
            || !m.contains(words)
            || m.contains("数据库")
            || m.contains("line 1 column")
        {
            failures.push(format!("{key}: {status} field {f:?}: {m}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

// =============================================================================================
// Dates of events

/// How a date row is sent: `{date}` (and `{year}`) in the body or fields is the day tried.
#[derive(Debug, Clone, Copy)]
enum Req {
    /// method, URI, who, JSON body
    Api(&'static str, &'static str, Who, &'static str),
    /// URI, who, encoding, fields
    Page(&'static str, Who, Enc, &'static str),
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// An event (dates.rs `EventDate`): tomorrow is refused naming `field` with `label`; today
    /// is accepted (unless `accept` is false: the next row accepts it).
    Event {
        field: &'static str,
        label: &'static str,
        accept: bool,
    },
    /// A plan or deadline: a day a year ahead is accepted.
    Plan,
    /// A step that brings a record to where the next row needs it, dated today.
    Setup,
}

/// One dated input: what it records, how it is sent, and what the answer's id is kept as.
struct Dated {
    what: &'static str,
    kind: Kind,
    send: Req,
    keep: Option<&'static str>,
}

const fn ev(what: &'static str, field: &'static str, label: &'static str, send: Req) -> Dated {
    Dated {
        what,
        kind: Kind::Event {
            field,
            label,
            accept: true,
        },
        send,
        keep: None,
    }
}

const fn refused_only(
    what: &'static str,
    field: &'static str,
    label: &'static str,
    send: Req,
) -> Dated {
    Dated {
        what,
        kind: Kind::Event {
            field,
            label,
            accept: false,
        },
        send,
        keep: None,
    }
}

const fn plan(what: &'static str, send: Req) -> Dated {
    Dated {
        what,
        kind: Kind::Plan,
        send,
        keep: None,
    }
}

const fn setup(what: &'static str, send: Req, keep: Option<&'static str>) -> Dated {
    Dated {
        what,
        kind: Kind::Setup,
        send,
        keep,
    }
}

const fn kept(d: Dated, keep: &'static str) -> Dated {
    Dated {
        keep: Some(keep),
        ..d
    }
}

/// Every event date an API route or a page form takes, in the order a record's life takes
/// them, and the plans beside them. `{lc}` is the lifecycle version of `{unmanaged}`, `{lc2}`
/// of `{unmanaged2}`; `{kv}`, `{tv}`, `{ov}`, `{cv}`, `{av}` the versions of the world's
/// contract, task, order, complaint and assessment; `{nav}`, `{nkv}`, `{ntv}`, `{lv}` of the
/// records kept by earlier rows; `{last_step}`/`{last_step2}` the newest step of
/// `{unmanaged}`/`{unmanaged2}`.
#[rustfmt::skip]
const DATED: &[Dated] = {
    use Enc::{Form, Multipart};
    use Req::{Api, Page};
    use Who::*;
    &[
        // The path to coverage, through the API.
        ev("a step of the path (EventDate::Step)", "on", "办理日期", Api("POST", "/api/v1/compounds/{unmanaged}/lifecycle", Street, r#"{"version": {lc}, "step": {"event": "consult"}, "on": "{date}"}"#)),
        setup("the step re-dated to yesterday, so that today is a change", Api("POST", "/api/v1/compounds/{unmanaged}/steps/{last_step}/correction", Street, r#"{"version": {lc}, "on": "{yesterday}", "reason": "日期登记错了"}"#), None),
        ev("a step re-dated (更正)", "on", "更正后的日期", Api("POST", "/api/v1/compounds/{unmanaged}/steps/{last_step}/correction", Street, r#"{"version": {lc}, "on": "{date}", "reason": "日期登记错了"}"#)),
        ev("a step of the path: mode decided", "on", "办理日期", Api("POST", "/api/v1/compounds/{unmanaged}/lifecycle", Street, r#"{"version": {lc}, "step": {"event": "decide_mode", "mode": "professional"}, "on": "{date}"}"#)),
        ev("a step of the path: owners settled", "on", "办理日期", Api("POST", "/api/v1/compounds/{unmanaged}/lifecycle", Street, r#"{"version": {lc}, "step": {"event": "settle_owners", "body": "owners_committee"}, "on": "{date}"}"#)),
        ev("a step of the path: company selected", "on", "办理日期", Api("POST", "/api/v1/compounds/{unmanaged}/lifecycle", Street, r#"{"version": {lc}, "step": {"event": "select_company", "company_id": {company}}, "on": "{date}"}"#)),
        refused_only("a contract's entry (EventDate::Entry)", "entry_on", "进场日期", Api("POST", "/api/v1/contracts", Street, r#"{"compound_ids": [{unmanaged}], "company_id": {company}, "signer": "owners_body", "signed_on": "{today}", "entry_on": "{date}", "term": {"months": 36}, "service_level": 2, "fees": {"multi": 100, "high": 150}, "served_area": 1000}"#)),
        refused_only("a contract's notice (EventDate::Notice)", "notice_on", "公示日期", Api("POST", "/api/v1/contracts", Street, r#"{"compound_ids": [{unmanaged}], "company_id": {company}, "signer": "owners_body", "signed_on": "{today}", "notice_on": "{date}", "term": {"months": 36}, "service_level": 2, "fees": {"multi": 100, "high": 150}, "served_area": 1000}"#)),
        kept(ev("a contract's signing (EventDate::Signing)", "signed_on", "签订日期", Api("POST", "/api/v1/contracts", Street, r#"{"compound_ids": [{unmanaged}], "company_id": {company}, "signer": "owners_body", "signed_on": "{date}", "entry_on": "{date}", "notice_on": "{date}", "term": {"months": 36}, "service_level": 2, "fees": {"multi": 100, "high": 150}, "served_area": 1000}"#)), "contract"),
        ev("a filing (EventDate::Filing)", "on", "备案日期", Api("POST", "/api/v1/contracts/{contract}/file", Street, r#"{"version": {kv}, "on": "{date}"}"#)),
        ev("a termination (EventDate::Termination)", "on", "终止日期", Api("POST", "/api/v1/contracts/{contract}/terminate", Street, r#"{"version": {kv}, "kind": "exit", "reason": "企业退出", "on": "{date}"}"#)),
        // A compound edited by hand.
        ev("a change of the ledger taking effect (生效日期)", "effective_on", "生效日期", Api("PUT", "/api/v1/compounds/{inside}", Admin, r#"{"version": {compound_version}, "compound": {compound_json}, "effective_on": "{date}"}"#)),
        ev("a building year (dates::built_year; tomorrow = next year)", "compound.built_year", "建成年份", Api("PUT", "/api/v1/compounds/{inside}", Admin, r#"{"version": {compound_version}, "compound": {compound_built_year}}"#)),
        // Oversight.
        ev("a credit-file record (EventDate::CreditRecord)", "happened_on", "发生日期", Api("POST", "/api/v1/companies/{company}/records", Authority, r#"{"kind": "assessment", "happened_on": "{date}", "score": "90", "assessor": "区住建局"}"#)),
        ev("a task done (EventDate::TaskDone)", "on", "完成日期", Api("POST", "/api/v1/tasks/{task}/done", Street, r#"{"version": {tv}, "on": "{date}"}"#)),
        ev("a patrol (EventDate::Patrol)", "date", "巡查日期", Api("POST", "/api/v1/patrols", Street, r#"{"compound_id": {inside}, "kind": "weekly_patrol", "date": "{date}", "inspector": "王", "findings": []}"#)),
        ev("an order's answer (EventDate::OrderAnswer)", "on", "答复日期", Api("POST", "/api/v1/orders/{order}/answer", Company, r#"{"version": {ov}, "text": "已整改", "on": "{date}"}"#)),
        ev("a complaint received (EventDate::ComplaintReceived)", "received_on", "受理日期", Api("POST", "/api/v1/complaints", Street, r#"{"compound_id": {inside}, "source": "resident", "category": "噪音", "text": "夜间施工", "received_on": "{date}"}"#)),
        ev("a complaint signed for (EventDate::ComplaintSigned)", "on", "签收日期", Api("POST", "/api/v1/complaints/{complaint}/sign", Company, r#"{"version": {cv}, "on": "{date}"}"#)),
        ev("a complaint answered (EventDate::ComplaintAnswer)", "on", "答复日期", Api("POST", "/api/v1/complaints/{complaint}/answer", Company, r#"{"version": {cv}, "text": "已处理", "on": "{date}"}"#)),
        setup("the resident's rating", Api("POST", "/api/v1/complaints/{complaint}/rate", Street, r#"{"version": {cv}, "rating": 4}"#), None),
        ev("a complaint closed (EventDate::ComplaintClosed)", "on", "办结日期", Api("POST", "/api/v1/complaints/{complaint}/close", Street, r#"{"version": {cv}, "on": "{date}"}"#)),
        ev("a complaint verified (EventDate::ComplaintVerified)", "on", "核实日期", Api("POST", "/api/v1/complaints/{complaint}/verify", Street, r#"{"version": {cv}, "verdict": "substantiated", "note": "现场查看属实", "on": "{date}"}"#)),
        kept(ev("a referral to a department (EventDate::Referral)", "referred_on", "吹哨日期", Api("POST", "/api/v1/referrals", Street, r#"{"compound_id": {inside}, "department_id": {department}, "source": "other", "category": "消防通道", "text": "消防通道被占", "referred_on": "{date}"}"#)), "referral2"),
        ev("a referral acknowledged (EventDate::ReferralStep)", "on", "办理日期", Api("POST", "/api/v1/referrals/{referral2}/acknowledge", Admin, r#"{"version": {rv}, "on": "{date}"}"#)),
        ev("a referral resolved (EventDate::ReferralStep)", "on", "办理日期", Api("POST", "/api/v1/referrals/{referral2}/resolve", Admin, r#"{"version": {rv}, "note": "已清理", "on": "{date}"}"#)),
        ev("a referral sent back (EventDate::ReferralStep)", "on", "办理日期", Api("POST", "/api/v1/referrals/{referral2}/return", Street, r#"{"version": {rv}, "note": "仍有车辆占道", "on": "{date}"}"#)),
        setup("the referral resolved again", Api("POST", "/api/v1/referrals/{referral2}/resolve", Admin, r#"{"version": {rv}, "note": "已拖移", "on": "{today}"}"#), None),
        ev("a referral confirmed (EventDate::ReferralStep)", "on", "办理日期", Api("POST", "/api/v1/referrals/{referral2}/confirm", Street, r#"{"version": {rv}, "on": "{date}"}"#)),
        // The programme's own organisation: a 专班, its members, a meeting, a 通报, a decision.
        kept(ev("a body set up (EventDate::GroupEstablished)", "established_on", "成立日期", Api("POST", "/api/v1/groups", Street, r#"{"region_id": {street_id}, "kind": "task_force", "name": "街道物业管理工作专班", "established_on": "{date}", "roster": "组长：王一 街道办主任\n成员：李二 街道城管办主任"}"#)), "org_group"),
        ev("a member joining (EventDate::MemberJoined)", "joined_on", "加入日期", Api("POST", "/api/v1/groups/{org_group}/members", Street, r#"{"version": {gv}, "roster": "成员：赵三 社区书记", "joined_on": "{date}"}"#)),
        ev("a member leaving (EventDate::MemberLeft)", "left_on", "离任日期", Api("POST", "/api/v1/groups/{org_group}/members/{org_member}/leave", Street, r#"{"version": {gv}, "left_on": "{date}"}"#)),
        kept(ev("a meeting held (EventDate::Meeting)", "held_on", "会议日期", Api("POST", "/api/v1/meetings", Street, r#"{"region_id": {street_id}, "group_id": {org_group}, "kind": "task_force", "title": "专班会议", "held_on": "{date}", "attendees": "王一、李二", "minutes": "部署摸底", "decisions": [{"unit": {"kind": "region", "id": {street_id}}, "text": "完成摸底", "deadline": "2099-12-31"}]}"#)), "org_meeting"),
        ev("a censure (EventDate::Censure)", "on_day", "通报日期", Api("POST", "/api/v1/censures", Street, r#"{"region_id": {street_id}, "kind": "criticism", "unit": {"kind": "company", "id": {company}}, "on_day": "{date}", "reason": "服务不到位"}"#)),
        ev("an assignment reported done (EventDate::AssignmentStep)", "on", "办理日期", Api("POST", "/api/v1/assignments/{org_assignment}/report", Street, r#"{"version": {asv}, "note": "已完成摸底", "on": "{date}"}"#)),
        ev("an assignment sent back (EventDate::AssignmentStep)", "on", "办理日期", Api("POST", "/api/v1/assignments/{org_assignment}/return", Authority, r#"{"version": {asv}, "note": "缺少台账", "on": "{date}"}"#)),
        setup("the assignment reported again", Api("POST", "/api/v1/assignments/{org_assignment}/report", Street, r#"{"version": {asv}, "note": "已补台账", "on": "{today}"}"#), None),
        ev("an assignment closed (EventDate::AssignmentStep)", "on", "办理日期", Api("POST", "/api/v1/assignments/{org_assignment}/close", Authority, r#"{"version": {asv}, "on": "{date}"}"#)),
        // An owners' body: its preparatory group, a member joining it, the election, the
        // filing (换届 of the world's body in office) and the end of its term.
        kept(ev("an owners' body started (EventDate::BodyPrepared)", "prepared_on", "筹备组成立日期", Api("POST", "/api/v1/compounds/{inside}/owners-bodies", Street, r#"{"kind": "owners_committee", "prepared_on": "{date}", "preparers": ["王一", "李二"]}"#)), "owners_body"),
        ev("a member added to a body (EventDate::BodyStep)", "on", "办理日期", Api("POST", "/api/v1/owners-bodies/{owners_body}/members", Street, r#"{"version": {obv}, "on": "{date}", "members": [{"name": "赵三", "role": "preparer"}]}"#)),
        ev("a body elected (EventDate::BodyStep)", "on", "办理日期", Api("POST", "/api/v1/owners-bodies/{owners_body}/elect", Street, r#"{"version": {obv}, "on": "{date}", "members": [{"name": "王一", "role": "chair", "party_member": true}, {"name": "李二", "role": "member"}]}"#)),
        ev("a body filed (EventDate::BodyStep)", "on", "办理日期", Api("POST", "/api/v1/owners-bodies/{owners_body}/file", Street, r#"{"version": {obv}, "on": "{date}"}"#)),
        ev("a body's term ended (EventDate::BodyStep)", "on", "办理日期", Api("POST", "/api/v1/owners-bodies/{owners_body}/end", Street, r#"{"version": {obv}, "on": "{date}", "note": "任期届满"}"#)),
        // Red property: a record added, and the world's 党支部 ended, by the pages and the API.
        ev("a red property record added (EventDate::PartyStarted)", "", "开始日期", Page("/compounds/{inside}/party", Street, Form, "kind=instructor&name=%E5%BC%A0%E4%B8%89&sent_by=%E8%A1%97%E9%81%93&started_on={date}")),
        ev("a red property record ended (EventDate::PartyEnded)", "", "结束日期", Page("/party-records/{party}", Street, Form, "version=1&ended_on={date}")),
        kept(ev("a red property record added through the API (EventDate::PartyStarted)", "started_on", "开始日期", Api("POST", "/api/v1/compounds/{inside}/party", Street, r#"{"kind": "instructor", "name": "李四", "sent_by": "社区", "started_on": "{date}"}"#)), "party2"),
        ev("a red property record ended through the API (EventDate::PartyEnded)", "ended_on", "结束日期", Api("POST", "/api/v1/party-records/{party2}", Street, r#"{"version": {pv2}, "ended_on": "{date}"}"#)),
        // A renovation project: each milestone when recorded, one recorded later, and the fee
        // standard 发改 approved.
        kept(ev("a renovation's construction start (EventDate::RenovationMilestone)", "construction_on", "施工进场日期", Api("POST", "/api/v1/compounds/{inside}/renovations", Street, r#"{"name": "改造", "construction_on": "{date}"}"#)), "renovation2"),
        ev("a renovation's procedures (EventDate::RenovationMilestone)", "procedures_on", "手续办理日期", Api("POST", "/api/v1/compounds/{inside}/renovations", Street, r#"{"name": "改造", "procedures_on": "{date}"}"#)),
        ev("a renovation's acceptance (EventDate::RenovationMilestone)", "acceptance_on", "竣工验收日期", Api("POST", "/api/v1/compounds/{inside}/renovations", Street, r#"{"name": "改造", "acceptance_on": "{date}"}"#)),
        ev("a renovation milestone recorded later (EventDate::RenovationMilestone)", "on", "节点日期", Api("POST", "/api/v1/renovations/{renovation2}/dates", Street, r#"{"version": {renv}, "milestone": "acceptance", "on": "{date}"}"#)),
        ev("a fee standard approved (EventDate::FeeApproved)", "approved_on", "核定日期", Api("POST", "/api/v1/compounds/{inside}/fee-standards", Authority, r#"{"fees": {"multi": 120}, "doc_no": "发改〔2026〕1号", "approved_on": "{date}", "department": "区发改局"}"#)),
        // The maintenance fund: money in, a use applied for, and its steps (accepted today in
        // fund.rs and api_fund.rs, where a carried vote exists).
        ev("a fund deposit (EventDate::FundStep)", "on", "缴存日期", Api("POST", "/api/v1/compounds/{inside}/fund/deposits", Authority, r#"{"amount": 100, "on": "{date}"}"#)),
        kept(ev("a fund use applied for (EventDate::FundStep)", "applied_on", "申请日期", Api("POST", "/api/v1/compounds/{inside}/fund/uses", Street, r#"{"title": "屋面防水", "cost": 100, "applied_on": "{date}"}"#)), "fu"),
        refused_only("a fund use's vote (EventDate::FundStep)", "on", "办理日期", Api("POST", "/api/v1/fund-uses/{fu}/vote", Street, r#"{"version": {fuv}, "vote_id": 1, "on": "{date}"}"#)),
        refused_only("a fund use approved (EventDate::FundStep)", "on", "办理日期", Api("POST", "/api/v1/fund-uses/{fu}/approve", Authority, r#"{"version": {fuv}, "on": "{date}"}"#)),
        refused_only("a fund use rejected (EventDate::FundStep)", "on", "办理日期", Api("POST", "/api/v1/fund-uses/{fu}/reject", Authority, r#"{"version": {fuv}, "reason": "预算过高", "on": "{date}"}"#)),
        refused_only("a fund use paid (EventDate::FundStep)", "on", "办理日期", Api("POST", "/api/v1/fund-uses/{fu}/pay", Authority, r#"{"version": {fuv}, "on": "{date}"}"#)),
        // An owners' vote through the API on the inside compound's register (the world's open
        // vote is on another matter): opened, a paper ballot with its scan, counted.
        kept(ev("a vote opened (EventDate::VoteOpened)", "opens_on", "表决开始日期", Api("POST", "/api/v1/compounds/{inside}/votes", Street, r#"{"matter": "use_fund", "question": "是否同意使用维修资金更换电梯", "opens_on": "{date}", "closes_on": "{today}"}"#)), "vote2"),
        ev("a paper ballot received (EventDate::BallotReceived)", "received_on", "收到选票日期", Api("POST", "/api/v1/votes/{vote2}/paper", Street, r#"{"household_id": {household}, "choice": "option", "option_no": 1, "received_on": "{date}", "evidence_sha": "{scan}"}"#)),
        ev("a vote counted (EventDate::VoteClosed)", "on", "计票日期", Api("POST", "/api/v1/votes/{vote2}/close", Street, r#"{"version": {vtv}, "on": "{date}"}"#)),
        ev("an assessment scored (EventDate::Scoring)", "on", "评分日期", Api("POST", "/api/v1/assessments/{assessment}/submit", Street, r#"{"version": {av}, "on": "{date}"}"#)),
        ev("an assessment reviewed (EventDate::AssessmentStep)", "on", "办理日期", Api("POST", "/api/v1/assessments/{assessment}/review", Authority, r#"{"version": {av}, "outcome": "upheld", "on": "{date}"}"#)),
        ev("an objection (EventDate::AssessmentStep)", "on", "办理日期", Api("POST", "/api/v1/assessments/{assessment}/object", Company, r#"{"version": {av}, "text": "扣分与事实不符", "on": "{date}"}"#)),
        ev("a decision (EventDate::AssessmentStep)", "on", "办理日期", Api("POST", "/api/v1/assessments/{assessment}/decide", Authority, r#"{"version": {av}, "outcome": "upheld", "reason": "维持", "on": "{date}"}"#)),
        refused_only("an assessment's period (tomorrow = next year)", "period", "考核期", Api("POST", "/api/v1/assessments", Street, r#"{"compound_id": {inside}, "period": "{year}", "rubric": "erqi"}"#)),
        setup("a second assessment", Api("POST", "/api/v1/assessments", Street, r#"{"compound_id": {inside}, "period": "{year}", "rubric": "erqi"}"#), Some("assessment2")),
        setup("it is scored", Api("POST", "/api/v1/assessments/{assessment2}/submit", Street, r#"{"version": {nav}, "on": "{today}"}"#), None),
        setup("and reviewed", Api("POST", "/api/v1/assessments/{assessment2}/review", Authority, r#"{"version": {nav}, "outcome": "upheld", "on": "{today}"}"#), None),
        ev("an assessment finalised (EventDate::AssessmentStep)", "on", "办理日期", Api("POST", "/api/v1/assessments/{assessment2}/finalize", Authority, r#"{"version": {nav}, "waived": true, "on": "{date}"}"#)),
        // Plans, through the API.
        plan("a task's deadline", Api("POST", "/api/v1/tasks", Street, r#"{"compound_id": {inside}, "title": "清运", "responsible": "王", "deadline": "{date}"}"#)),
        plan("a policy's first day (valid_from)", Api("POST", "/api/v1/funding/policies", Authority, r#"{"region_id": {street_id}, "policy": "liaocheng-2021", "valid_from": "{date}"}"#)),
        plan("an order's new deadline when reopened", Page("/orders/{order}/reopen", Street, Form, "version={ov}&deadline={date}")),
        plan("a survey's first day (starts_on)", Api("POST", "/api/v1/surveys", Street, r#"{"compound_id": {inside}, "period": "2027H2", "rule": "erqi", "starts_on": "{date}"}"#)),
        plan("a survey's closing day", Api("POST", "/api/v1/surveys", Street, r#"{"compound_id": {inside}, "period": "2027H1", "rule": "erqi", "ends_on": "{date}"}"#)),
        plan("a meeting's further decision's deadline", Api("POST", "/api/v1/meetings/{org_meeting}/decisions", Street, r#"{"unit": {"kind": "region", "id": {street_id}}, "text": "补充摸底", "deadline": "{date}"}"#)),
        plan("a censure's follow-up deadline", Api("POST", "/api/v1/censures", Street, r#"{"region_id": {street_id}, "kind": "interview", "unit": {"kind": "company", "id": {company}}, "on_day": "{today}", "reason": "服务不到位", "follow_up": "限期整改", "follow_up_deadline": "{date}"}"#)),
        // The page forms.
        ev("a step of the path (page)", "", "办理日期", Page("/compounds/{unmanaged2}/advance", Street, Multipart, "to=consult&date={date}&version={lc2}")),
        setup("the step re-dated to yesterday (page)", Page("/compounds/{unmanaged2}/steps/{last_step2}/correct", Street, Form, "version={lc2}&kind=redate&date={yesterday}&reason=%E7%99%BB%E8%AE%B0%E9%94%99%E4%BA%86"), None),
        ev("a step re-dated (page)", "", "更正后的日期", Page("/compounds/{unmanaged2}/steps/{last_step2}/correct", Street, Form, "version={lc2}&kind=redate&date={date}&reason=%E7%99%BB%E8%AE%B0%E9%94%99%E4%BA%86")),
        setup("the second compound's mode", Api("POST", "/api/v1/compounds/{unmanaged2}/lifecycle", Street, r#"{"version": {lc2}, "step": {"event": "decide_mode", "mode": "professional"}, "on": "{today}"}"#), None),
        setup("its owners", Api("POST", "/api/v1/compounds/{unmanaged2}/lifecycle", Street, r#"{"version": {lc2}, "step": {"event": "settle_owners", "body": "owners_committee"}, "on": "{today}"}"#), None),
        setup("its company", Api("POST", "/api/v1/compounds/{unmanaged2}/lifecycle", Street, r#"{"version": {lc2}, "step": {"event": "select_company", "company_id": {company}}, "on": "{today}"}"#), None),
        setup("its contract", Api("POST", "/api/v1/contracts", Street, r#"{"compound_ids": [{unmanaged2}], "company_id": {company}, "signer": "owners_body", "signed_on": "{today}", "term": {"months": 36}, "service_level": 2, "fees": {"multi": 100, "high": 150}, "served_area": 1000}"#), Some("contract2")),
        ev("a filing (page)", "", "备案日期", Page("/compounds/{unmanaged2}/file", Street, Form, "contract_id={contract2}&version={kv2}&date={date}")),
        ev("a termination (page)", "", "终止日期", Page("/compounds/{unmanaged2}/terminate", Street, Form, "contract_id={contract2}&version={kv2}&kind=exit&reason=%E9%80%80%E5%87%BA&date={date}")),
        ev("a patrol (page)", "", "巡查日期", Page("/patrols/new?compound={inside}", Street, Multipart, "kind=weekly_patrol&date={date}&inspector=%E7%8E%8B")),
        kept(ev("a grant (EventDate::Grant, page)", "", "发放日期", Page("/funding/infra", Street, Form, "compound_id={inside}&investment=16000&share=50&date={date}")), "line"),
        ev("a payment step (EventDate::Payment, page)", "", "办理日期", Page("/funding/lines/{line}/step", Company, Form, "version={lv}&action=apply&date={date}")),
        ev("a street's review (EventDate::Payment, page)", "", "办理日期", Page("/funding/lines/{line}/step", Street, Form, "version={lv}&action=street_review&date={date}")),
        ev("a district's review (EventDate::Payment, page)", "", "办理日期", Page("/funding/lines/{line}/step", Authority, Form, "version={lv}&action=district_review&date={date}")),
        ev("an approval (EventDate::Payment, page)", "", "办理日期", Page("/funding/lines/{line}/step", Authority, Form, "version={lv}&action=approve&date={date}")),
        ev("an adjustment (EventDate::Payment, page)", "", "调整日期", Page("/funding/lines/{line}/adjust", Authority, Form, "version={lv}&amount=6000&reason=%E6%A0%B8%E5%87%8F&date={date}")),
        ev("a disbursement (EventDate::Payment, page)", "", "办理日期", Page("/funding/lines/{line}/step", Finance, Form, "version={lv}&action=disburse&date={date}")),
        ev("a subsidy run's period (tomorrow = next year)", "", "晚于今天", Page("/funding/runs", Authority, Form, "level=street&region={street}&period={year}")),
        kept(ev("a selection's announcement (EventDate::Announcement, page)", "", "公告日期", Page("/selections", Street, Form, "street={street}&title=%E9%81%B4%E9%80%89&date={date}&deadline=2099-12-31")), "selection2"),
        ev("a selection's step (EventDate::SelectionStep, page)", "", "办理日期", Page("/selections/{selection}/register", Street, Form, "version={sv}&company={company}&date={date}")),
        setup("a second task", Api("POST", "/api/v1/tasks", Street, r#"{"compound_id": {inside}, "title": "巡查整改", "responsible": "王", "deadline": "2027-01-31"}"#), Some("task2")),
        ev("a task done (page)", "", "完成日期", Page("/tasks/{task2}/done", Street, Form, "version={ntv}&date={date}")),
        // Plans, on the pages.
        plan("a target's due date", Page("/targets", Street, Form, "street={street}&kind=covered&share=60&due={date}")),
        plan("a selection's registration deadline", Page("/selections", Street, Form, "street={street}&title=%E6%8B%9B%E6%A0%87&date={today}&deadline={date}")),
    ]
};

/// The placeholders of the date rows, read afresh before each request (versions move).
async fn dated_extras(
    t: &TestApp,
    w: &World,
    p: &People,
    ids: &[(&'static str, i64)],
    unmanaged: (i64, i64),
) -> Vec<(&'static str, String)> {
    let s = &t.store;
    let lc = s.lifecycle(unmanaged.0).await.expect("lc");
    let lc2 = s.lifecycle(unmanaged.1).await.expect("lc");
    let id = |k: &str| ids.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let contract = id("contract").unwrap_or(w.inside.contract);
    let cur = t
        .get_as(
            &p.admin,
            &format!("/api/v1/compounds/{}", w.inside.compound.id),
        )
        .await
        .json();
    let mut out = vec![
        ("unmanaged", unmanaged.0.to_string()),
        ("unmanaged2", unmanaged.1.to_string()),
        ("inside", w.inside.compound.id.to_string()),
        ("lc", lc.version.to_string()),
        ("lc2", lc2.version.to_string()),
        ("last_step", lc.steps.last().map_or(0, |x| x.id).to_string()),
        (
            "last_step2",
            lc2.steps.last().map_or(0, |x| x.id).to_string(),
        ),
        ("contract", contract.to_string()),
        (
            "kv",
            s.get_contract(contract)
                .await
                .expect("k")
                .version
                .to_string(),
        ),
        (
            "tv",
            s.get_task(w.inside.task)
                .await
                .expect("t")
                .version
                .to_string(),
        ),
        (
            "ov",
            s.get_order(w.inside.order)
                .await
                .expect("o")
                .version
                .to_string(),
        ),
        (
            "cv",
            s.get_complaint(w.inside.complaint)
                .await
                .expect("c")
                .version
                .to_string(),
        ),
        (
            "av",
            s.get_assessment(w.inside.assessment)
                .await
                .expect("a")
                .version
                .to_string(),
        ),
        (
            "sv",
            s.get_selection(w.inside.selection)
                .await
                .expect("s")
                .version
                .to_string(),
        ),
        ("compound_version", cur["version"].to_string()),
        ("compound_json", cur["compound"].to_string()),
        (
            "street_id",
            s.find_region(anju_core::RegionLevel::Street, STREET_A)
                .await
                .expect("street")
                .id
                .to_string(),
        ),
    ];
    let mut built = cur["compound"].clone();
    built["built_year"] = json!("{year}");
    out.push((
        "compound_built_year",
        built.to_string().replace("\"{year}\"", "{year}"),
    ));
    out.push(("department", w.inside.department.to_string()));
    if let Some(r) = id("referral2") {
        out.push(("referral2", r.to_string()));
        let v = s.get_referral(r).await.expect("referral").version;
        out.push(("rv", v.to_string()));
    }
    if let Some(a) = id("assessment2") {
        out.push(("assessment2", a.to_string()));
        let v = s.get_assessment(a).await.expect("a").version;
        out.push(("nav", v.to_string()));
    }
    if let Some(k) = id("task2") {
        out.push(("task2", k.to_string()));
        let v = s.get_task(k).await.expect("t").version;
        out.push(("ntv", v.to_string()));
    }
    if let Some(k) = id("contract2") {
        out.push(("contract2", k.to_string()));
        let v = s.get_contract(k).await.expect("k").version;
        out.push(("kv2", v.to_string()));
    }
    if let Some(l) = id("line") {
        out.push(("line", l.to_string()));
        let v = s.get_subsidy_line(l).await.expect("line").version;
        out.push(("lv", v.to_string()));
    }
    if let Some(g) = id("org_group") {
        out.push(("org_group", g.to_string()));
        let v = s.get_group(g).await.expect("group").version;
        out.push(("gv", v.to_string()));
        let members = s.group_members(g).await.expect("members");
        if let Some(m) = members.iter().find(|m| m.left_on.is_none()) {
            out.push(("org_member", m.id.to_string()));
        }
    }
    if let Some(r) = id("renovation2") {
        out.push(("renovation2", r.to_string()));
        let v = s.get_renovation(r).await.expect("renovation").version;
        out.push(("renv", v.to_string()));
    }
    if let Some(r) = id("party2") {
        out.push(("party2", r.to_string()));
        let v = s.party_record(r).await.expect("party record").version;
        out.push(("pv2", v.to_string()));
    }
    if let Some(u) = id("fu") {
        out.push(("fu", u.to_string()));
        let v = s.get_fund_use(u).await.expect("fund use").version;
        out.push(("fuv", v.to_string()));
    }
    if let Some(b) = id("owners_body") {
        out.push(("owners_body", b.to_string()));
        let v = s.get_owners_body(b).await.expect("owners body").version;
        out.push(("obv", v.to_string()));
    }
    if let Some(v) = id("vote2") {
        out.push(("vote2", v.to_string()));
        let vote = s.get_vote(v).await.expect("vote");
        out.push(("vtv", vote.version.to_string()));
        if vote.status == anju_core::vote::VoteStatus::Open {
            let scan = t
                .state
                .app
                .upload_evidence(
                    &anju_app::Principal::admin("edges", anju_core::Lang::Zh),
                    &anju_store::EvidenceDir::new(t.evidence.path()),
                    "选票.pdf",
                    b"%PDF-1.4\n% edges ballot\n",
                )
                .await
                .expect("scan");
            out.push(("scan", scan.sha256));
        }
    }
    if let Some(m) = id("org_meeting") {
        out.push(("org_meeting", m.to_string()));
        // The meeting's own decision (the first handed out), not one added later.
        let a = s
            .list_assignments(&anju_store::AssignmentFilter {
                meeting_id: Some(m),
                ..anju_store::AssignmentFilter::default()
            })
            .await
            .expect("assignments")
            .into_iter()
            .min_by_key(|a| a.id)
            .expect("the meeting's decision");
        out.push(("org_assignment", a.id.to_string()));
        out.push(("asv", a.version.to_string()));
    }
    out
}

/// Sends a date row with `day` (and `year`) filled in.
async fn send_dated(
    t: &TestApp,
    state: &anju_web::AppState,
    w: &World,
    p: &People,
    d: &Dated,
    extra: &[(&'static str, String)],
    (day, year): (jiff::civil::Date, i16),
) -> Res {
    let mut extra = extra.to_vec();
    extra.push(("date", day.to_string()));
    // `{year}` inside a JSON body template arrives as a number.
    let fill_all = |s: &str| {
        fill(
            &fill(s, w, &extra).replace("{year}", &year.to_string()),
            w,
            &extra,
        )
    };
    match d.send {
        Req::Api(method, uri, who, body) => {
            let body: Value = serde_json::from_str(&fill_all(body))
                .unwrap_or_else(|e| panic!("{}: {e}: {}", d.what, fill_all(body)));
            send_json_via(t, state, p.as_(who), method, &fill_all(uri), body).await
        }
        Req::Page(uri, who, enc, fields) => {
            send_page_via(
                t,
                state,
                Some(p.as_(who)),
                &fill_all(uri),
                enc,
                &fill_all(fields),
            )
            .await
        }
    }
}

/// The id a successful answer names: the JSON's `id`, or the page's redirect.
fn id_of(r: &Res) -> Option<i64> {
    if r.status == StatusCode::SEE_OTHER {
        return r
            .location()
            .rsplit('/')
            .next()?
            .split('?')
            .next()?
            .parse()
            .ok();
    }
    let j = r.json();
    j["id"].as_i64().or_else(|| j["survey"]["id"].as_i64())
}

both_engines!(every_event_date_after_today_is_refused_and_today_accepted);
async fn every_event_date_after_today_is_refused_and_today_accepted(t: &TestApp) {
    let w = world(t).await;
    let p = People::new(t, &w).await;
    let first = unmanaged(t).await;
    // The second unmanaged compound at the census, for the page rows.
    let mut second = None;
    for c in t
        .store
        .list_compounds(&anju_store::CompoundFilter {
            street: Some(STREET_A.into()),
            mode: anju_core::ManagementMode::from_code("none"),
            ..anju_store::CompoundFilter::default()
        })
        .await
        .expect("list")
    {
        if c.id != first && t.store.lifecycle(c.id).await.expect("lc").steps.is_empty() {
            second = Some(c.id);
            break;
        }
    }
    let pair = (first, second.expect("a second compound at the census"));
    let state = clocked(t);
    let today = today();
    let tomorrow = tomorrow();
    let ahead = today
        .checked_add(jiff::Span::new().days(365))
        .expect("date");
    let this_year = today.year();
    let mut ids: Vec<(&'static str, i64)> = Vec::new();
    let mut failures = Vec::new();
    for d in DATED {
        let extra = dated_extras(t, &w, &p, &ids, pair).await;
        let ok = |r: &Res| r.status.is_success() || r.status == StatusCode::SEE_OTHER;
        let accepted = match d.kind {
            Kind::Event {
                field,
                label,
                accept,
            } => {
                let r = send_dated(t, &state, &w, &p, d, &extra, (tomorrow, this_year + 1)).await;
                let (status, f, m) = match d.send {
                    Req::Api(..) => answer_of(&r),
                    Req::Page(..) => (r.status, String::new(), shown(&r.body)),
                };
                if status != StatusCode::UNPROCESSABLE_ENTITY
                    || f != field
                    || !m.contains(label)
                    || !m.contains("晚于")
                {
                    failures.push(format!(
                        "{}: tomorrow gave {status} field {f:?}: {}",
                        d.what,
                        m.chars().take(300).collect::<String>()
                    ));
                    continue;
                }
                if !accept {
                    continue;
                }
                send_dated(t, &state, &w, &p, d, &extra, (today, this_year)).await
            }
            Kind::Plan => send_dated(t, &state, &w, &p, d, &extra, (ahead, this_year)).await,
            Kind::Setup => send_dated(t, &state, &w, &p, d, &extra, (today, this_year)).await,
        };
        if !ok(&accepted) {
            failures.push(format!(
                "{}: {} gave {}: {}",
                d.what,
                if matches!(d.kind, Kind::Plan) {
                    "a year ahead"
                } else {
                    "today"
                },
                accepted.status,
                text_of(&accepted.body)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ));
            continue;
        }
        if let Some(k) = d.keep {
            match id_of(&accepted) {
                Some(id) => ids.push((k, id)),
                None => failures.push(format!("{}: no id in {}", d.what, accepted.body)),
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Where each kind of event date is tested: the exhaustive match makes a new `EventDate` fail
/// to compile here until someone says where it is tested.
fn where_tested(e: anju_app::EventDate) -> &'static str {
    use anju_app::EventDate as E;
    match e {
        E::Step
        | E::Signing
        | E::Entry
        | E::Notice
        | E::Filing
        | E::Termination
        | E::Patrol
        | E::OrderAnswer
        | E::ComplaintReceived
        | E::ComplaintAnswer
        | E::Scoring
        | E::Payment
        | E::Grant
        | E::TaskDone
        | E::AssessmentStep
        | E::ComplaintSigned
        | E::ComplaintClosed
        | E::ComplaintVerified
        | E::CreditRecord
        | E::Announcement
        | E::SelectionStep
        | E::Referral
        | E::ReferralStep
        | E::GroupEstablished
        | E::MemberJoined
        | E::MemberLeft
        | E::Meeting
        | E::Censure
        | E::AssignmentStep
        | E::BodyPrepared
        | E::BodyStep
        | E::PartyStarted
        | E::PartyEnded
        | E::RenovationMilestone
        | E::FeeApproved => "DATED",
        E::DismissalSurvey | E::OrderClosing => "use_case",
        E::VoteOpened | E::BallotReceived | E::VoteClosed => "DATED",
        E::FundStep => "DATED",
        E::AccountEntry => "none: an account entry carries a period (公示期间), not a day",
    }
}

const EVENT_DATES: &[anju_app::EventDate] = {
    use anju_app::EventDate as E;
    &[
        E::Step,
        E::Signing,
        E::Entry,
        E::Notice,
        E::Filing,
        E::Termination,
        E::DismissalSurvey,
        E::Patrol,
        E::OrderAnswer,
        E::OrderClosing,
        E::ComplaintReceived,
        E::ComplaintAnswer,
        E::Scoring,
        E::AccountEntry,
        E::Payment,
        E::Grant,
        E::TaskDone,
        E::AssessmentStep,
        E::ComplaintSigned,
        E::ComplaintClosed,
        E::ComplaintVerified,
        E::CreditRecord,
        E::Announcement,
        E::SelectionStep,
        E::Referral,
        E::ReferralStep,
        E::GroupEstablished,
        E::MemberJoined,
        E::MemberLeft,
        E::Meeting,
        E::Censure,
        E::RenovationMilestone,
        E::FeeApproved,
        E::AssignmentStep,
        E::BodyPrepared,
        E::BodyStep,
        E::VoteOpened,
        E::BallotReceived,
        E::VoteClosed,
        E::PartyStarted,
        E::PartyEnded,
        E::FundStep,
    ]
};

#[test]
fn every_kind_of_event_date_has_a_row() {
    for e in EVENT_DATES {
        match where_tested(*e) {
            "DATED" => {
                let name = format!("EventDate::{e:?}");
                assert!(
                    DATED.iter().any(|d| d.what.contains(&name)),
                    "{name}: no row of DATED names it"
                );
            }
            "use_case" => {}
            reason => assert!(reason.starts_with("none: "), "{e:?}: {reason}"),
        }
    }
}

both_engines!(events_only_the_command_line_records_are_refused_by_their_use_case);
/// The events no API route or page form takes a day for — a dismissal survey (`anju contract
/// dismissal-survey`), an order's closing (the page closes it today), a fee month (`anju fees`)
/// — refused by the use case the command line calls when dated after today, accepted today.
async fn events_only_the_command_line_records_are_refused_by_their_use_case(t: &TestApp) {
    use anju_app::AppError;
    let w = world(t).await;
    let state = clocked(t);
    let app = &state.app;
    let who = anju_app::Principal::admin("edges", anju_core::Lang::Zh);
    let today = today();
    let tomorrow = tomorrow();
    let named = |r: Result<(), AppError>, field: &str, words: &str| match r {
        Err(e @ AppError::Invalid(_)) => {
            assert_eq!(e.field_name(), Some(field), "{e:?}");
            let m = e.message(anju_core::Lang::Zh);
            assert!(m.contains(words) && m.contains("晚于"), "{m}");
        }
        other => panic!("{field}: {other:?}"),
    };
    let survey = anju_core::contract::DismissalSurvey::new(100, 60, 55).expect("survey");
    let dismissal =
        |on| app.record_dismissal_survey(&who, ContractId(w.inside.contract), on, survey, None);
    named(dismissal(tomorrow).await.map(drop), "on", "调查日期");
    dismissal(today).await.expect("a survey today");

    let o = t.store.get_order(w.inside.order).await.expect("order");
    let o = app
        .answer_order(
            &who,
            OrderId(o.id),
            anju_app::oversight::AnswerInput {
                version: o.version,
                text: "已整改".into(),
                on: today,
                evidence: vec![],
            },
        )
        .await
        .expect("answered");
    named(
        app.close_order(&who, OrderId(o.id), o.version, tomorrow)
            .await
            .map(drop),
        "on",
        "验收日期",
    );
    app.close_order(&who, OrderId(o.id), o.version, today)
        .await
        .expect("closed today");

    let month = |d: jiff::civil::Date| anju_core::fees::Month::of(d);
    let next = today
        .first_of_month()
        .checked_add(jiff::Span::new().months(1))
        .expect("date");
    let fee = |m| anju_store::FeeInput {
        compound_id: w.inside.compound.id,
        month: m,
        billed: anju_core::Fen(10_000),
        collected: anju_core::Fen(9_000),
    };
    named(
        app.set_fee_month(&who, &fee(month(next)), None)
            .await
            .map(drop),
        "month",
        "月份",
    );
    app.set_fee_month(&who, &fee(month(today)), None)
        .await
        .expect("this month");
}

/// Every date an API body takes (a `format: date` property of the OpenAPI document): an event
/// (a row of [`DATED`] sends it) or a plan, with the reason.
#[rustfmt::skip]
const API_DATES: &[(&str, &str, &str, &str)] = &[
    ("POST", "/api/v1/compounds/{id}/renovations", "procedures_on", "event"),
    ("POST", "/api/v1/compounds/{id}/renovations", "construction_on", "event"),
    ("POST", "/api/v1/compounds/{id}/renovations", "acceptance_on", "event"),
    ("POST", "/api/v1/renovations/{id}/dates", "on", "event"),
    ("POST", "/api/v1/compounds/{id}/fee-standards", "approved_on", "event"),
    ("POST", "/api/v1/compounds/{id}/fund/deposits", "on", "event"),
    ("POST", "/api/v1/compounds/{id}/fund/uses", "applied_on", "event"),
    ("POST", "/api/v1/fund-uses/{id}/vote", "on", "event"),
    ("POST", "/api/v1/fund-uses/{id}/approve", "on", "event"),
    ("POST", "/api/v1/fund-uses/{id}/reject", "on", "event"),
    ("POST", "/api/v1/fund-uses/{id}/pay", "on", "event"),
    ("POST", "/api/v1/compounds/{id}/lifecycle", "on", "event"),
    ("POST", "/api/v1/compounds/{id}/steps/{step}/correction", "on", "event"),
    ("PUT", "/api/v1/compounds/{id}", "effective_on", "event"),
    ("POST", "/api/v1/contracts", "signed_on", "event"),
    ("POST", "/api/v1/contracts", "entry_on", "event"),
    ("POST", "/api/v1/contracts", "notice_on", "event"),
    ("POST", "/api/v1/contracts/{id}/file", "on", "event"),
    ("POST", "/api/v1/contracts/{id}/terminate", "on", "event"),
    ("POST", "/api/v1/companies/{id}/records", "happened_on", "event"),
    ("POST", "/api/v1/tasks", "deadline", "plan: a task's deadline (dates.rs)"),
    ("POST", "/api/v1/tasks/{id}/done", "on", "event"),
    ("POST", "/api/v1/assessments/{id}/submit", "on", "event"),
    ("POST", "/api/v1/assessments/{id}/review", "on", "event"),
    ("POST", "/api/v1/assessments/{id}/object", "on", "event"),
    ("POST", "/api/v1/assessments/{id}/decide", "on", "event"),
    ("POST", "/api/v1/assessments/{id}/finalize", "on", "event"),
    ("POST", "/api/v1/patrols", "date", "event"),
    ("POST", "/api/v1/orders/{id}/answer", "on", "event"),
    ("POST", "/api/v1/complaints", "received_on", "event"),
    ("POST", "/api/v1/complaints/{id}/sign", "on", "event"),
    ("POST", "/api/v1/complaints/{id}/answer", "on", "event"),
    ("POST", "/api/v1/complaints/{id}/close", "on", "event"),
    ("POST", "/api/v1/complaints/{id}/verify", "on", "event"),
    ("POST", "/api/v1/referrals", "referred_on", "event"),
    ("POST", "/api/v1/dispatch/filings", "due_on", "plan: the filing day (a 1st or 15th) a sheet is for; the next one may lie ahead"),
    ("PUT", "/api/v1/dispatch/schedule", "starts_on", "plan: the district may start the schedule on a later day"),
    ("POST", "/api/v1/referrals/{id}/acknowledge", "on", "event"),
    ("POST", "/api/v1/referrals/{id}/resolve", "on", "event"),
    ("POST", "/api/v1/referrals/{id}/confirm", "on", "event"),
    ("POST", "/api/v1/referrals/{id}/return", "on", "event"),
    ("POST", "/api/v1/surveys", "starts_on", "plan: the day a survey's answers are first counted may be set ahead"),
    ("POST", "/api/v1/surveys", "ends_on", "plan: a survey's closing day (dates.rs)"),
    ("POST", "/api/v1/funding/policies", "valid_from", "plan: a policy may be set to govern from a later day"),
    ("POST", "/api/v1/groups", "established_on", "event"),
    ("POST", "/api/v1/groups/{id}/members", "joined_on", "event"),
    ("POST", "/api/v1/groups/{id}/members/{member_id}/leave", "left_on", "event"),
    ("POST", "/api/v1/meetings", "held_on", "event"),
    ("POST", "/api/v1/meetings/{id}/decisions", "deadline", "plan: a decision's deadline (完成时限) lies ahead"),
    ("POST", "/api/v1/censures", "on_day", "event"),
    ("POST", "/api/v1/censures", "follow_up_deadline", "plan: a follow-up's deadline (整改时限) lies ahead"),
    ("POST", "/api/v1/assignments/{id}/report", "on", "event"),
    ("POST", "/api/v1/assignments/{id}/close", "on", "event"),
    ("POST", "/api/v1/assignments/{id}/return", "on", "event"),
    ("POST", "/api/v1/compounds/{id}/owners-bodies", "prepared_on", "event"),
    ("POST", "/api/v1/compounds/{id}/party", "started_on", "event"),
    ("POST", "/api/v1/party-records/{id}", "ended_on", "event"),
    ("POST", "/api/v1/owners-bodies/{id}/elect", "on", "event"),
    ("POST", "/api/v1/owners-bodies/{id}/file", "on", "event"),
    ("POST", "/api/v1/owners-bodies/{id}/end", "on", "event"),
    ("POST", "/api/v1/owners-bodies/{id}/members", "on", "event"),
    ("POST", "/api/v1/compounds/{id}/votes", "opens_on", "event"),
    ("POST", "/api/v1/compounds/{id}/votes", "closes_on", "plan: a vote's last voting day (表决截止日期) lies ahead while it runs"),
    ("POST", "/api/v1/votes/{id}/paper", "received_on", "event"),
    ("POST", "/api/v1/votes/{id}/close", "on", "event"),
];

/// The API's body properties of `format: date`: (METHOD, path, property).
fn dates_in_document(doc: &Value) -> BTreeSet<(String, String, String)> {
    let schemas = &doc["components"]["schemas"];
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("ops") {
            let Some(content) = op["requestBody"]["content"].as_object() else {
                continue;
            };
            for media in content.values() {
                let schema = match media["schema"]["$ref"].as_str() {
                    Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
                    None => &media["schema"],
                };
                let Some(props) = schema["properties"].as_object() else {
                    continue;
                };
                for (name, p) in props {
                    if p["format"] == "date" {
                        out.insert((method.to_uppercase(), path.clone(), name.clone()));
                    }
                }
            }
        }
    }
    out
}

/// Whether a URI template of a row (`/api/v1/contracts/{contract}/file`) is the route
/// (`/api/v1/contracts/{id}/file`).
fn same_route(route: &str, uri: &str) -> bool {
    let a: Vec<&str> = route.split('/').collect();
    let b: Vec<&str> = uri.split('/').collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (x.starts_with('{') && y.starts_with('{')))
}

#[tokio::test]
async fn every_date_an_api_body_takes_is_an_event_row_or_a_plan() {
    let t = TestApp::with_demo().await;
    let r = t.get("/api/v1/openapi.json").await;
    let documented = dates_in_document(&r.json());
    let listed: BTreeSet<(String, String, String)> = API_DATES
        .iter()
        .map(|(m, p, f, _)| (m.to_string(), p.to_string(), f.to_string()))
        .collect();
    let missing: Vec<_> = documented.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "dates missing from API_DATES: {missing:#?}"
    );
    let gone: Vec<_> = listed.difference(&documented).collect();
    assert!(
        gone.is_empty(),
        "rows for dates the API no longer takes: {gone:#?}"
    );
    for (method, route, field, kind) in API_DATES {
        let sent = |d: &Dated| match d.send {
            Req::Api(m, uri, ..) => {
                m == *method && same_route(route, uri.split('?').next().unwrap_or(uri))
            }
            Req::Page(..) => false,
        };
        if *kind == "event" {
            assert!(
                DATED
                    .iter()
                    .any(|d| sent(d)
                        && matches!(d.kind, Kind::Event { field: f, .. } if f == *field)),
                "{method} {route} {field}: no event row of DATED"
            );
        } else {
            assert!(
                kind.starts_with("plan: "),
                "{method} {route} {field}: {kind}"
            );
        }
    }
    t.finish().await;
}

both_engines!(the_ledger_import_page_reads_this_year_from_the_apps_clock);
/// The web's ledger import refuses a building year after this one, this year being the app's
/// (a clock fixed in 2022 refuses 2023, whatever the machine's calendar says).
async fn the_ledger_import_page_reads_this_year_from_the_apps_clock(t: &TestApp) {
    let admin = user_session(t, "e_admin", Role::Admin, UserScope::None).await;
    let state = t
        .state
        .clone()
        .with_clock(anju_app::Clock::Fixed(jiff::civil::date(2022, 6, 30)));
    let import = |built: i32| {
        let csv = format!(
            "小区名称,所属街道,物业管理方式,建筑面积,建成年代\n边界导入小区,{STREET_A},弃管,1200,{built}\n"
        );
        let boundary = "edgesledger";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"台账.csv\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n{csv}\r\n--{boundary}--\r\n",
            admin.csrf
        );
        Request::post("/ledger/import")
            .header(header::COOKIE, &admin.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request")
    };
    let r = t.send_via(&state, import(2023)).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        shown(&r.body)
    );
    assert!(
        r.body.contains("建成年份 2023 年晚于今年（2022 年）"),
        "{}",
        text_of(&r.body)
    );
    let r = t.send_via(&state, import(2022)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", shown(&r.body));
}
