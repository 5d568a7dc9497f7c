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
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn today() -> jiff::civil::Date {
    anju_app::today_in_china()
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
    Company,
}

struct People {
    admin: Session,
    street: Session,
    authority: Session,
    company: Session,
}

impl People {
    async fn new(t: &TestApp, w: &World) -> People {
        People {
            admin: user_session(t, "e_admin", Role::Admin, UserScope::None).await,
            street: user_session(t, "e_jd", Role::Street, UserScope::Region(STREET_A)).await,
            authority: user_session(t, "e_zj", Role::HousingAuthority, UserScope::None).await,
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
            Who::Company => &self.company,
        }
    }
}

/// Fills `{compound}`, `{contract}` … of a URL or body template from the world's inside side.
fn fill(template: &str, w: &World, extra: &[(&str, String)]) -> String {
    let s = &w.inside;
    let mut out = template
        .replace("{compound}", &s.compound.id.to_string())
        .replace("{contract_compound}", &s.contract_compound.to_string())
        .replace("{step}", &s.step.to_string())
        .replace("{contract}", &s.contract.to_string())
        .replace("{company}", &s.company.to_string())
        .replace("{task}", &s.task.to_string())
        .replace("{assessment}", &s.assessment.to_string())
        .replace("{order}", &s.order.to_string())
        .replace("{complaint}", &s.complaint.to_string())
        .replace("{survey}", &s.survey.to_string())
        .replace("{selection}", &s.selection.to_string())
        .replace("{today}", &today().to_string())
        .replace("{tomorrow}", &tomorrow().to_string());
    for (k, v) in extra {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// An unmanaged compound of street A still at the census (not the one the world signed for).
async fn unmanaged(t: &TestApp) -> i64 {
    let all = t
        .state
        .store
        .list_compounds(&anju_store::CompoundFilter {
            street: Some(STREET_A.into()),
            mode: anju_core::ManagementMode::from_code("none"),
            ..anju_store::CompoundFilter::default()
        })
        .await
        .expect("list");
    for c in all {
        let lc = t.state.store.lifecycle(c.id).await.expect("lifecycle");
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
        "/api/v1/surveys/{id}/close",
        "/api/v1/surveys/{survey}/close",
        Who::Street,
        r#"{}"#,
    ),
];

/// The placeholders of the version table that are not the world's: an account, an unmanaged
/// compound, the inside compound's JSON.
async fn version_extras(t: &TestApp, w: &World, p: &People) -> Vec<(&'static str, String)> {
    let user =
        crate::support::create_user(&t.state.store, "e_other", Role::Finance, UserScope::None)
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
    vec![
        ("user", user.to_string()),
        ("unmanaged", unmanaged.to_string()),
        ("compound_json", compound["compound"].to_string()),
    ]
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

/// Every page form that takes a `version` (inspect.rs, funding.rs, compound.rs, workflow.rs).
const PAGE_VERSIONED: &[PageVersioned] = &[
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
];

/// Sends a page form as `s`, with its CSRF token.
async fn send_page(t: &TestApp, s: &Session, uri: &str, enc: Enc, fields: &str) -> Res {
    let pairs: Vec<(String, String)> = std::iter::once(("csrf".to_string(), s.csrf.clone()))
        .chain(fields.split('&').filter(|x| !x.is_empty()).map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        }))
        .collect();
    let b = Request::post(uri).header(header::COOKIE, &s.cookie);
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
    t.send(req.expect("request")).await
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
                "csrf={}&compound_id={}&amount=8000&date=2026-03-01&note=%E5%AE%89%E9%98%B2",
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
    let extra = [
        ("line", line.to_string()),
        ("unmanaged", unmanaged.to_string()),
    ];
    for row in PAGE_VERSIONED {
        let what = format!("POST {}", row.route);
        let uri = fill(row.uri, &w, &extra);
        let fields = fill(row.fields, &w, &extra);
        let s = p.as_(row.who);
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
            r.body
        );
        assert!(
            r.body.contains("版本号：缺少版本号"),
            "{what}: {}",
            text_of(&r.body)
        );
        let r = send_page(t, s, &uri, row.enc, &with("%E4%B8%89")).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            r.body
        );
        assert!(
            r.body.contains("版本号：“三”不是有效的版本号"),
            "{what}: {}",
            r.body
        );
        {
            let r = send_page(t, s, &uri, row.enc, &with("9999")).await;
            assert!(
                matches!(
                    r.status,
                    StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "{what}: {} {}",
                r.status,
                text_of(&r.body)
            );
            assert!(
                r.body.contains("已被他人修改"),
                "{what}: {}",
                text_of(&r.body)
            );
        }
    }
}
