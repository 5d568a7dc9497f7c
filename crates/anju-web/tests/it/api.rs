//! The JSON API through HTTP: its OpenAPI document against what is served, paging, versioned
//! updates, the path to coverage, contracts, tasks, oversight answered by the right company,
//! collection rates, and the error codes.

use crate::access_matrix::{STREET_A, new_contract, world};
use crate::support::{Session, TestApp, UserScope, both_engines, send_json, user_session};
use anju_core::access::Role;
use anju_store::{Actor, CompoundFilter};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

#[tokio::test]
async fn the_document_describes_every_api_route_and_is_public() {
    let t = TestApp::with_demo().await;
    let r = t.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for (m, p) in anju_web::api::routes() {
        let op = &paths[p][m];
        assert!(op.is_object(), "{m} {p}");
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{m} {p}"
        );
        if p != "/api/v1/openapi.json" {
            assert!(op["responses"]["401"].is_object(), "{m} {p} documents 401");
            assert!(op["responses"]["403"].is_object(), "{m} {p} documents 403");
        }
        if p.contains('{') {
            assert!(op["responses"]["404"].is_object(), "{m} {p} documents 404");
            assert_eq!(op["parameters"][0]["in"], "path", "{m} {p}");
        }
    }
    // Nothing in the document the API does not serve: every documented operation answers
    // (an admin on missing records gets a JSON error from the handler, never the router's
    // bare 404 or 405).
    let s = user_session(&t, "doc_admin", Role::Admin, UserScope::None).await;
    let mut n = 0;
    for (p, ops) in paths {
        for (m, _) in ops.as_object().expect("ops") {
            let uri = p.replace("{id}", "999999");
            let res = send_json(&t, &s, &m.to_ascii_uppercase(), &uri, json!({})).await;
            n += 1;
            assert_ne!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{m} {p}");
            if res.status == StatusCode::NOT_FOUND {
                assert_eq!(res.json()["code"], "not_found", "{m} {p}: {}", res.body);
            }
        }
    }
    assert_eq!(n, anju_web::api::routes().len());
    // Schemas referenced exist, errors have the stable shape.
    assert_eq!(
        doc["components"]["schemas"]["Error"]["required"],
        json!(["code", "message"])
    );
}

both_engines!(ledger_pages_filters_and_refuses_bad_paging);
async fn ledger_pages_filters_and_refuses_bad_paging(t: &TestApp) {
    let s = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let r = t.get_as(&s, "/api/v1/ledger?per_page=50&page=4").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    // Daqintala has 151 compounds: pages of 50 are 50, 50, 50, 1.
    assert_eq!(v["total"], 151);
    assert_eq!(v["pages"], 4);
    assert_eq!(v["items"].as_array().expect("items").len(), 1);
    let r = t.get_as(&s, "/api/v1/ledger?per_page=50&page=3").await;
    assert_eq!(r.json()["items"].as_array().expect("items").len(), 50);
    // Only the street's compounds, whatever the filter asks for.
    let r = t
        .get_as(
            &s,
            "/api/v1/ledger?street=%E5%B1%B1%E5%9F%8E%E8%A1%97%E9%81%93",
        )
        .await;
    assert_eq!(r.json()["total"], 0, "山城街道 is outside");
    // Mode and street together: the same count the store gives for that filter.
    let none = t
        .store
        .count_compounds(&CompoundFilter {
            street: Some(STREET_A.into()),
            mode: anju_core::ManagementMode::from_code("none"),
            ..CompoundFilter::default()
        })
        .await
        .expect("count");
    let r = t.get_as(&s, "/api/v1/ledger?mode=none&per_page=500").await;
    assert_eq!(r.json()["total"], none);
    assert_eq!(
        r.json()["items"].as_array().expect("items").len() as i64,
        none
    );
    assert!(none > 0 && none < 151);
    for (q, field) in [
        ("per_page=0", "per_page"),
        ("per_page=501", "per_page"),
        ("page=0", "page"),
        ("sort=zzz", "sort"),
        ("mode=bogus", "物业管理方式"),
    ] {
        let r = t.get_as(&s, &format!("/api/v1/ledger?{q}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(r.json()["code"], "bad_request", "{q}");
        assert!(
            r.json()["message"]
                .as_str()
                .expect("message")
                .contains(field),
            "{q}: {}",
            r.body
        );
    }
    let r = t
        .get_as(&s, "/api/v1/ledger?sort=households_desc&per_page=2")
        .await;
    let items = r.json()["items"].as_array().expect("items").clone();
    let h = |i: usize| items[i]["compound"]["households"].as_u64().unwrap_or(0);
    assert!(h(0) >= h(1), "largest first");
}

both_engines!(a_compound_is_updated_with_its_version_and_audited);
async fn a_compound_is_updated_with_its_version_and_audited(t: &TestApp) {
    let s = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let c = t
        .store
        .list_compounds(&CompoundFilter {
            street: Some(STREET_A.into()),
            ..CompoundFilter::default()
        })
        .await
        .expect("list")[0]
        .clone();
    let uri = format!("/api/v1/compounds/{}", c.id);
    let got = t.get_as(&s, &uri).await.json();
    assert_eq!(got["version"], c.version);
    let mut compound = got["compound"].clone();
    compound["remarks"] = json!("接口修改的备注");
    // Without the CSRF header: refused, nothing written.
    let r = t
        .send(
            Request::put(uri.as_str())
                .header(header::COOKIE, &s.cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"version": c.version, "compound": compound}).to_string(),
                ))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "csrf");
    let r = send_json(
        t,
        &s,
        "PUT",
        &uri,
        json!({"version": c.version, "compound": compound}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], c.version + 1);
    assert_eq!(r.json()["compound"]["remarks"], "接口修改的备注");
    // The same version again: someone changed it since.
    let r = send_json(
        t,
        &s,
        "PUT",
        &uri,
        json!({"version": c.version, "compound": compound}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "conflict");
    assert!(
        r.json()["message"]
            .as_str()
            .expect("m")
            .contains("已被他人修改")
    );
    // A body without its version names the field.
    let r = send_json(t, &s, "PUT", &uri, json!({"compound": compound})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("version"), "{}", r.body);
    // Moving it to another street is not the street officer's to do.
    let mut away = compound.clone();
    away["street"] = json!("山城街道");
    let r = send_json(
        t,
        &s,
        "PUT",
        &uri,
        json!({"version": c.version + 1, "compound": away}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The auditor reads the change in the audit log; the street officer may not.
    let a = user_session(t, "sj", Role::Auditor, UserScope::None).await;
    let r = t
        .get_as(
            &a,
            &format!("/api/v1/audit?entity=compound&entity_id={}", c.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("接口修改的备注"),
        "the audit row has the after image"
    );
    assert!(r.body.contains("jd"), "and who");
    assert_eq!(
        t.get_as(&s, "/api/v1/audit").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The first unmanaged compound of street A.
async fn first_unmanaged(t: &TestApp) -> anju_store::StoredCompound {
    t.store
        .list_compounds(&CompoundFilter {
            street: Some(STREET_A.into()),
            mode: anju_core::ManagementMode::from_code("none"),
            ..CompoundFilter::default()
        })
        .await
        .expect("list")[0]
        .clone()
}

both_engines!(the_path_to_coverage_and_its_contract_through_the_api);
async fn the_path_to_coverage_and_its_contract_through_the_api(t: &TestApp) {
    let s = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let c = first_unmanaged(t).await;
    let uri = format!("/api/v1/compounds/{}/lifecycle", c.id);
    let lc = t.get_as(&s, &uri).await.json();
    let v0 = lc["version"].as_i64().expect("version");
    // Entering before anything else is refused by the rule, in Chinese.
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v0, "step": {"event": "enter"}, "on": "2026-10-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["code"], "refused");
    let company = t.store.list_companies().await.expect("companies")[0].id;
    let mut v = v0;
    for step in [
        json!({"event": "consult"}),
        json!({"event": "decide_mode", "mode": "professional"}),
        json!({"event": "settle_owners", "body": "owners_committee"}),
        json!({"event": "select_company", "company_id": company}),
    ] {
        let r = send_json(
            t,
            &s,
            "POST",
            &uri,
            json!({"version": v, "step": step, "on": "2026-10-01", "note": "接口"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.body);
        v = r.json()["version"].as_i64().expect("version");
    }
    // A stale version: 409.
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v0, "step": {"event": "consult"}, "on": "2026-10-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Sign, file, and the compound's contracts list shows it filed.
    let body = serde_json::to_value(new_contract(&c, company)).expect("json");
    let r = send_json(t, &s, "POST", "/api/v1/contracts", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let k = r.json();
    let r = send_json(
        t,
        &s,
        "POST",
        &format!("/api/v1/contracts/{}/file", k["id"]),
        json!({"version": k["version"], "on": "2026-10-05"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = t
        .get_as(&s, &format!("/api/v1/compounds/{}/contracts", c.id))
        .await
        .json();
    assert_eq!(list[0]["filed_on"], "2026-10-05");
    // Terminating needs a reason, named.
    let r = send_json(
        t,
        &s,
        "POST",
        &format!("/api/v1/contracts/{}/terminate", k["id"]),
        json!({"version": list[0]["version"], "kind": "exit", "reason": " "}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["message"]
            .as_str()
            .expect("m")
            .contains("终止原因")
    );
}

both_engines!(orders_and_complaints_are_answered_by_their_company_only);
async fn orders_and_complaints_are_answered_by_their_company_only(t: &TestApp) {
    let w = world(t).await;
    let company_a = w.company_a_name.clone();
    let outside_company = t
        .store
        .get_company(w.outside.company)
        .await
        .expect("b")
        .name;
    let mine = user_session(t, "qy_a", Role::Company, UserScope::Company(&company_a)).await;
    let other = user_session(
        t,
        "qy_b",
        Role::Company,
        UserScope::Company(&outside_company),
    )
    .await;
    // The company sees its own orders and complaints only.
    let orders = t.get_as(&mine, "/api/v1/orders").await.json();
    let ids: Vec<i64> = orders
        .as_array()
        .expect("orders")
        .iter()
        .map(|o| o["id"].as_i64().expect("id"))
        .collect();
    assert!(
        ids.contains(&w.inside.order) && !ids.contains(&w.outside.order),
        "{ids:?}"
    );
    let complaints = t.get_as(&mine, "/api/v1/complaints").await.json();
    assert!(
        complaints
            .as_array()
            .expect("c")
            .iter()
            .all(|c| c["company_id"] == json!(w.inside.company))
    );
    // Another company may not answer it (403), its own company may (200, dated).
    let uri = format!("/api/v1/orders/{}/answer", w.inside.order);
    let r = send_json(
        t,
        &other,
        "POST",
        &uri,
        json!({"version": 0, "text": "已清理"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let order = t.store.get_order(w.inside.order).await.expect("order");
    let r = send_json(
        t,
        &mine,
        "POST",
        &uri,
        json!({"version": order.version, "text": " "}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["message"]
            .as_str()
            .expect("m")
            .contains("答复内容")
    );
    let r = send_json(
        t,
        &mine,
        "POST",
        &uri,
        json!({"version": order.version, "text": "已清理完毕", "on": "2026-11-09"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "answered");
    // 2026-11-09 is the deadline day itself: on time.
    assert_eq!(r.json()["answered_late"], false);
    // A street officer records a complaint; a street officer may not answer it.
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let r = send_json(t, &jd, "POST", "/api/v1/complaints", json!({"compound_id": w.inside.compound.id, "source": "hotline_12345", "category": "噪音", "text": "夜间施工", "received_on": "2026-11-20"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = r.json();
    let uri = format!("/api/v1/complaints/{}/answer", c["id"]);
    let r = send_json(
        t,
        &jd,
        "POST",
        &uri,
        json!({"version": c["version"], "text": "x"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // 2026-11-20 is a Friday: three working days to answer end on Wednesday 2026-11-25.
    assert_eq!(c["answer_deadline"], "2026-11-25", "{c}");
}

both_engines!(tasks_targets_companies_and_fees);
async fn tasks_targets_companies_and_fees(t: &TestApp) {
    let w = world(t).await;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let r = send_json(t, &jd, "POST", "/api/v1/tasks", json!({"compound_id": w.inside.compound.id, "title": "成立业委会", "responsible": "王", "deadline": "2026-12-31"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let task = r.json();
    let r = send_json(t, &jd, "POST", "/api/v1/tasks", json!({"compound_id": w.inside.compound.id, "title": " ", "responsible": "王", "deadline": "2026-12-31"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["message"]
            .as_str()
            .expect("m")
            .contains("任务名称")
    );
    let r = send_json(
        t,
        &jd,
        "POST",
        &format!("/api/v1/tasks/{}/done", task["id"]),
        json!({"version": task["version"], "on": "2026-11-21"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "done");
    let list = t.get_as(&jd, "/api/v1/tasks").await.json();
    assert!(
        list.as_array()
            .expect("tasks")
            .iter()
            .all(|x| x["street"] == STREET_A)
    );
    // Targets of the own street; another street is refused.
    let r = t
        .get_as(
            &jd,
            "/api/v1/targets?street=%E5%A4%A7%E6%B2%81%E4%BB%96%E6%8B%89%E8%A1%97%E9%81%93",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["street"], STREET_A);
    let r = t.get_as(&jd, "/api/v1/targets").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "street", "{}", r.body);
    assert!(r.json()["message"].as_str().expect("m").contains("街道"));
    // A company sees its own credit file only, with its grade.
    let qy = user_session(
        t,
        "qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let list = t.get_as(&qy, "/api/v1/companies").await.json();
    assert_eq!(list.as_array().expect("companies").len(), 1);
    assert_eq!(list[0]["company"]["id"], json!(w.inside.company));
    assert!(list[0]["grade"].is_object());
    let r = t
        .get_as(&qy, &format!("/api/v1/companies/{}", w.outside.company))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Collection rate: billed 1,000.00 yuan, collected 850.00 → 85.00 %.
    let actor = Actor::new("test", "company");
    for (m, billed, collected) in [("2026-01", 60_000, 50_000), ("2026-02", 40_000, 35_000)] {
        t.store
            .set_fee_month(
                &actor,
                &anju_store::FeeInput {
                    compound_id: w.inside.compound.id,
                    month: anju_core::fees::Month::parse(m).expect("month"),
                    billed: anju_core::Fen(billed),
                    collected: anju_core::Fen(collected),
                },
                None,
            )
            .await
            .expect("fee");
    }
    let r = t
        .get_as(
            &qy,
            &format!(
                "/api/v1/compounds/{}/fees?range=2026-01..2026-02",
                w.inside.compound.id
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["rate_text"], "85.00 %", "{}", r.body);
    assert_eq!(r.json()["months"].as_array().expect("months").len(), 2);
    let r = t
        .get_as(
            &qy,
            &format!("/api/v1/compounds/{}/fees", w.inside.compound.id),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["message"].as_str().expect("m").contains("range"));
}

#[tokio::test]
async fn errors_have_a_stable_code_and_a_chinese_message() {
    let t = TestApp::with_demo().await;
    let r = t.get("/api/v1/ledger").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["code"], "unauthorized");
    let fin = user_session(&t, "cz", Role::Finance, UserScope::None).await;
    let r = send_json(&t, &fin, "POST", "/api/v1/tasks", json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "forbidden");
    assert!(
        r.json()["message"]
            .as_str()
            .expect("m")
            .contains("财政部门"),
        "{}",
        r.body
    );
    let r = t.get_as(&fin, "/api/v1/compounds/99999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "not_found");
    let r = t.get_as(&fin, "/api/v1/compounds/abc").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["code"], "bad_request");
    // The refusal names the record the id was meant for.
    assert!(
        r.json()["message"]
            .as_str()
            .expect("m")
            .contains("小区编号不合法")
    );
    let r = t.get_as(&fin, "/api/v1/compounds/abc?lang=en").await;
    let m = r.json()["message"].as_str().expect("m").to_string();
    assert!(m.contains("compound id must be a whole number"), "{m}");
}

/// Every `/api/` route registered by any module is in the API table (so in the document), and
/// every row of the table is registered.
#[test]
fn every_api_route_of_every_module_is_in_the_table() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut registered = std::collections::BTreeSet::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).expect("read");
                registered.extend(
                    crate::access_matrix::routes_in(&text)
                        .into_iter()
                        .filter(|r| r.starts_with("/api/")),
                );
            }
        }
    }
    let table: std::collections::BTreeSet<String> = anju_web::api::routes()
        .into_iter()
        .map(|(_, p)| p.to_string())
        .collect();
    let served_elsewhere: std::collections::BTreeSet<String> = anju_web::api::table()
        .into_iter()
        .filter(|r| r.handler.is_none())
        .map(|r| r.doc.path.to_string())
        .collect();
    let undocumented: Vec<&String> = registered.difference(&table).collect();
    assert!(
        undocumented.is_empty(),
        "add to api::table(): {undocumented:?}"
    );
    // The rows served elsewhere must really be registered there.
    let gone: Vec<&String> = served_elsewhere.difference(&registered).collect();
    assert!(gone.is_empty(), "documented but not served: {gone:?}");
}

/// `POST /api/v1/evidence` with a raw body (`?name=`) or multipart, with the session's CSRF
/// token unless `csrf` is false.
async fn upload(
    t: &TestApp,
    s: &Session,
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
    csrf: bool,
) -> crate::support::Res {
    let mut b = Request::post(uri)
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, content_type);
    if csrf {
        b = b.header("x-csrf-token", &s.csrf);
    }
    t.send(b.body(Body::from(body)).expect("request")).await
}

both_engines!(evidence_uploaded_through_the_api_supports_a_step);
async fn evidence_uploaded_through_the_api_supports_a_step(t: &TestApp) {
    let s = user_session(t, "jd_ev", Role::Street, UserScope::Region(STREET_A)).await;
    // A raw PDF, named in the query: 201 with its SHA-256 and the kind read from its bytes.
    let pdf = b"%PDF-1.4\n% anju api evidence\n".to_vec();
    let r = upload(
        t,
        &s,
        "/api/v1/evidence?name=%E9%97%AE%E5%8D%B7.pdf",
        "application/pdf",
        pdf.clone(),
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let e = r.json();
    let sha = anju_store::sha256_hex(&pdf);
    assert_eq!(e["sha256"], sha);
    assert_eq!(e["mime"], "application/pdf");
    assert_eq!(e["original_name"], "问卷.pdf");
    assert_eq!(e["size"], pdf.len());
    // The same file as multipart: the same hash, stored once.
    let boundary = "apievidence";
    let mut mp = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"again.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    mp.extend_from_slice(&pdf);
    mp.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = upload(
        t,
        &s,
        "/api/v1/evidence",
        &format!("multipart/form-data; boundary={boundary}"),
        mp,
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["sha256"], sha);
    // The returned hash supports a step of the path.
    let c = first_unmanaged(t).await;
    let uri = format!("/api/v1/compounds/{}/lifecycle", c.id);
    let v = t.get_as(&s, &uri).await.json()["version"]
        .as_i64()
        .expect("version");
    let r = send_json(
        t,
        &s,
        "POST",
        &uri,
        json!({"version": v, "step": {"event": "consult"}, "on": "2026-10-01",
               "note": "三承诺", "evidence": [sha]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let steps = t.get_as(&s, &uri).await.json()["steps"].clone();
    let last = steps
        .as_array()
        .and_then(|a| a.last())
        .expect("a step")
        .clone();
    assert_eq!(last["evidence"], json!([sha]), "{last}");
    // A text file called .pdf: 415 unsupported_type, named, in Chinese.
    let r = upload(
        t,
        &s,
        "/api/v1/evidence?name=fake.pdf",
        "application/pdf",
        b"just some text".to_vec(),
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    assert_eq!(r.json()["code"], "unsupported_type");
    let m = r.json()["message"].as_str().unwrap_or("").to_string();
    assert!(
        m.contains("fake.pdf") && m.contains("不是可接受的文件类型"),
        "{m}"
    );
    // One byte over 20 MiB, and far over it (cut off by the body limit): 413 too_large.
    for extra in [1usize, 1024 * 1024] {
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(20 * 1024 * 1024 + extra, b'0');
        let r = upload(
            t,
            &s,
            "/api/v1/evidence?name=big.pdf",
            "application/pdf",
            big,
            true,
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{extra}: {}",
            r.body
        );
        assert_eq!(r.json()["code"], "too_large");
        assert!(r.body.contains("20 MiB"), "{}", r.body);
    }
    // No name for a raw body: 422 naming the parameter.
    let r = upload(
        t,
        &s,
        "/api/v1/evidence",
        "application/pdf",
        pdf.clone(),
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("name"), "{}", r.body);
    // Without the CSRF header: 403 csrf; an auditor and the finance bureau: 403.
    let r = upload(
        t,
        &s,
        "/api/v1/evidence?name=a.pdf",
        "application/pdf",
        pdf.clone(),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "csrf");
    for (name, role) in [("au_ev", Role::Auditor), ("fi_ev", Role::Finance)] {
        let other = user_session(t, name, role, UserScope::None).await;
        let r = upload(
            t,
            &other,
            "/api/v1/evidence?name=a.pdf",
            "application/pdf",
            pdf.clone(),
            true,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {}", r.body);
        assert_eq!(r.json()["code"], "forbidden");
    }
    // The document describes it as a file upload with both error codes.
    let doc = t.get("/api/v1/openapi.json").await.json();
    let op = &doc["paths"]["/api/v1/evidence"]["post"];
    assert!(op["requestBody"]["content"]["multipart/form-data"].is_object());
    assert!(op["responses"]["413"].is_object() && op["responses"]["415"].is_object());
}
