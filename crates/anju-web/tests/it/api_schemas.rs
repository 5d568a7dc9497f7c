//! What the API really sends matches the document: real answers of many routes (lists,
//! records, answers to writes) are validated against the schema their row of the route table
//! names, so a derived schema that disagrees with serde (a rename, a tag, a flatten, a custom
//! `Serialize`) fails here.

use crate::support::{Session, TestApp, UserScope, send_json, user_session};
use anju_core::access::Role;
use axum::http::{Request, header};
use serde_json::{Value, json};

const DOC_URI: &str = "https://anju.invalid/api/v1/openapi.json";
const OAS_URI: &str = "https://spec.openapis.org/oas/3.1/schema/2022-10-07";

/// The schema of the answer of `method path` (the table's path), as the document says.
fn answer_schema(method: &str, path: &str) -> Value {
    let row = anju_web::api::table()
        .into_iter()
        .find(|r| r.doc.method == method && r.doc.path == path)
        .unwrap_or_else(|| panic!("{method} {path} is not in the table"));
    let text = row
        .doc
        .response
        .reference()
        .to_string()
        .replace("\"#/components/", &format!("\"{DOC_URI}#/components/"));
    serde_json::from_str(&text).expect("json")
}

struct Checker {
    registry: jsonschema::Registry<'static>,
    problems: Vec<String>,
    checked: usize,
}

impl Checker {
    fn new() -> Checker {
        let doc = anju_web::api::openapi();
        let oas: Value = serde_json::from_str(include_str!("oas-3.1-schema.json")).expect("oas");
        let registry = jsonschema::Registry::new()
            .add(DOC_URI, doc)
            .expect("the document as a resource")
            .add(OAS_URI, oas)
            .expect("the OAS schema")
            .prepare()
            .expect("registry");
        Checker {
            registry,
            problems: Vec::new(),
            checked: 0,
        }
    }

    /// Checks one answer: a success, and valid against its documented schema.
    fn check(&mut self, method: &str, path: &str, status: u16, body: &str) -> Value {
        let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            self.problems
                .push(format!("{method} {path}: status {status}: {body}"));
            return value;
        }
        let schema = answer_schema(method, path);
        let validator = jsonschema::options()
            .with_registry(&self.registry)
            .should_validate_formats(true)
            .build(&schema)
            .expect("validator");
        for e in validator.iter_errors(&value) {
            self.problems.push(format!(
                "{method} {path}: {} at {} (schema {})",
                e,
                e.instance_path(),
                e.schema_path()
            ));
        }
        self.checked += 1;
        value
    }
}

async fn get(t: &TestApp, s: &Session, c: &mut Checker, path: &str, uri: &str) -> Value {
    let r = t.get_as(s, uri).await;
    c.check("get", path, r.status.as_u16(), &r.body)
}

async fn post(
    t: &TestApp,
    s: &Session,
    c: &mut Checker,
    path: &str,
    uri: &str,
    body: Value,
) -> Value {
    let r = send_json(t, s, "POST", uri, body).await;
    c.check("post", path, r.status.as_u16(), &r.body)
}

#[tokio::test]
async fn answers_match_their_documented_schemas() {
    let t = TestApp::with_demo().await;
    let s = user_session(&t, "schema_admin", Role::Admin, UserScope::None).await;
    let mut c = Checker::new();
    let ck = &mut c;

    get(&t, &s, ck, "/api/v1/openapi.json", "/api/v1/openapi.json").await;
    get(&t, &s, ck, "/api/v1/me", "/api/v1/me").await;
    get(&t, &s, ck, "/api/v1/users", "/api/v1/users").await;
    get(&t, &s, ck, "/api/v1/stats", "/api/v1/stats").await;
    let all = get(&t, &s, ck, "/api/v1/compounds", "/api/v1/compounds").await;
    // A compound with a company, so that a patrol's finding can become an order.
    let served = all
        .as_array()
        .and_then(|a| a.iter().find(|c| c["company"].is_string()))
        .expect("a compound with a company");
    let id = served["id"].as_i64().expect("its id");
    let street = served["street"].as_str().expect("its street").to_string();
    let page = get(&t, &s, ck, "/api/v1/ledger", "/api/v1/ledger?per_page=5").await;
    let one = |p: &str| format!("/api/v1/compounds/{id}{p}");
    get(&t, &s, ck, "/api/v1/compounds/{id}", &one("")).await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/compounds/{id}/lifecycle",
        &one("/lifecycle"),
    )
    .await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/compounds/{id}/contracts",
        &one("/contracts"),
    )
    .await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/compounds/{id}/patrols",
        &one("/patrols"),
    )
    .await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/compounds/{id}/fees",
        &one("/fees?range=2025"),
    )
    .await;
    let companies = get(&t, &s, ck, "/api/v1/companies", "/api/v1/companies").await;
    let company = companies[0]["company"]["id"].as_i64().expect("a company");
    get(
        &t,
        &s,
        ck,
        "/api/v1/companies/{id}",
        &format!("/api/v1/companies/{company}"),
    )
    .await;
    post(
        &t,
        &s,
        ck,
        "/api/v1/companies/{id}/records",
        &format!("/api/v1/companies/{company}/records"),
        json!({"kind": "bad_conduct", "happened_on": "2025-06-01", "note": "未按时整改"}),
    )
    .await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/funding/policies",
        "/api/v1/funding/policies",
    )
    .await;

    // Writes, and the lists and records they fill.
    let task = post(
        &t,
        &s,
        ck,
        "/api/v1/tasks",
        "/api/v1/tasks",
        json!({"compound_id": id, "title": "成立业主委员会", "responsible": "王", "deadline": "2099-12-31"}),
    )
    .await;
    get(&t, &s, ck, "/api/v1/tasks", "/api/v1/tasks").await;
    post(
        &t,
        &s,
        ck,
        "/api/v1/tasks/{id}/done",
        &format!("/api/v1/tasks/{}/done", task["id"]),
        json!({"version": task["version"]}),
    )
    .await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/targets",
        &format!("/api/v1/targets?street={}", crate::support::enc(&street)),
    )
    .await;
    post(
        &t,
        &s,
        ck,
        "/api/v1/patrols",
        "/api/v1/patrols",
        json!({"compound_id": id, "kind": "weekly_patrol", "date": "2025-06-02", "inspector": "王",
               "findings": [{"category": "environment", "description": "垃圾未清运", "evidence": [],
                             "order_deadline": "2025-06-09"}]}),
    )
    .await;
    get(&t, &s, ck, "/api/v1/orders", "/api/v1/orders").await;
    let complaint = post(
        &t,
        &s,
        ck,
        "/api/v1/complaints",
        "/api/v1/complaints",
        json!({"compound_id": id, "source": "hotline_12345", "category": "环境", "text": "楼道堆物",
               "received_on": "2025-06-03"}),
    )
    .await;
    assert_eq!(complaint["source"], "hotline_12345", "{complaint}");
    get(&t, &s, ck, "/api/v1/complaints", "/api/v1/complaints").await;
    let opened = post(
        &t,
        &s,
        ck,
        "/api/v1/surveys",
        "/api/v1/surveys",
        json!({"compound_id": id, "period": "2025H2", "rule": "erqi", "tokens": 2}),
    )
    .await;
    let survey = opened["survey"]["id"].as_i64().unwrap_or(0);
    get(&t, &s, ck, "/api/v1/surveys", "/api/v1/surveys").await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/surveys/{id}/links",
        &format!("/api/v1/surveys/{survey}/links"),
    )
    .await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/surveys/{id}/results",
        &format!("/api/v1/surveys/{survey}/results"),
    )
    .await;
    let assessment = post(
        &t,
        &s,
        ck,
        "/api/v1/assessments",
        "/api/v1/assessments",
        json!({"compound_id": id, "period": "2025Q4", "rubric": "erqi",
               "events": [{"item": 1, "code": "not_filed", "count": 1}]}),
    )
    .await;
    get(&t, &s, ck, "/api/v1/assessments", "/api/v1/assessments").await;
    get(
        &t,
        &s,
        ck,
        "/api/v1/assessments/{id}",
        &format!("/api/v1/assessments/{}", assessment["id"]),
    )
    .await;
    let r = t
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/v1/evidence?name=plan.pdf")
                .header(header::COOKIE, &s.cookie)
                .header(header::CONTENT_TYPE, "application/pdf")
                .header("x-csrf-token", &s.csrf)
                .body(axum::body::Body::from(&b"%PDF-1.4\n% plan\n"[..]))
                .expect("request"),
        )
        .await;
    ck.check("post", "/api/v1/evidence", r.status.as_u16(), &r.body);
    get(&t, &s, ck, "/api/v1/audit", "/api/v1/audit?limit=50").await;
    let user = post(
        &t,
        &s,
        ck,
        "/api/v1/users",
        "/api/v1/users",
        json!({"username": "schema_street", "password": "long-enough-1", "role": "街道",
               "region_id": page["items"][0]["street_id"]}),
    )
    .await;
    post(
        &t,
        &s,
        ck,
        "/api/v1/users/{id}/active",
        &format!("/api/v1/users/{}/active", user["id"]),
        json!({"version": user["version"], "active": false}),
    )
    .await;

    assert!(c.problems.is_empty(), "{}", c.problems.join("\n"));
    assert!(c.checked >= 30, "{} answers checked", c.checked);
    t.finish().await;
}
