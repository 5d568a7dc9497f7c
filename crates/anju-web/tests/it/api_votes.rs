//! Owners' votes (issue 19 item 2) through the JSON API: a register sheet with a bad row is
//! refused naming every row and column and saves nothing; a good one (and one household typed)
//! is saved. A choice among two companies is opened, cast by links (the resident's page
//! `/v/{token}`) and on paper with its scan, counted, and used on the path (选定物业企业). An
//! election falls short by one household of 2/3 and the body cannot be elected citing it (nor
//! without a vote); the next carries at exactly 2/3 and the body is elected citing it. Raising
//! the maintenance fund with agreement one hundredth of a square metre short of 3/4 of the
//! participating area does not carry. The company serving the compound reads the votes without
//! the links and may do nothing; another street is refused every route.

use crate::support::{
    Res, Session, TestApp, UserScope, both_engines, enc, send_json, served_compound, user_session,
};
use anju_core::access::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
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
fn refused(r: &Res, field: &str, words: &str) -> String {
    let e = status(r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["field"], field, "{e}");
    let m = e["message"].as_str().expect("message").to_string();
    assert!(m.contains(words), "{words}: {m}");
    m
}

/// `value` is what the document says `method path` answers (the schema of its table row).
#[track_caller]
pub(crate) fn as_documented(method: &str, path: &str, value: &Value) {
    const DOC: &str = "https://anju.invalid/api/v1/openapi.json";
    let row = anju_web::api::table()
        .into_iter()
        .find(|r| r.doc.method == method && r.doc.path == path)
        .unwrap_or_else(|| panic!("{method} {path} is not in the table"));
    let schema: Value = serde_json::from_str(
        &row.doc
            .response
            .reference()
            .to_string()
            .replace("\"#/components/", &format!("\"{DOC}#/components/")),
    )
    .expect("json");
    let registry = jsonschema::Registry::new()
        .add(DOC, anju_web::api::openapi())
        .expect("the document")
        .prepare()
        .expect("registry");
    let validator = jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema)
        .expect("validator");
    let problems: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{method} {path}: {problems:?}");
}

async fn post(t: &TestApp, s: &Session, uri: &str, body: Value) -> Res {
    send_json(t, s, "POST", uri, body).await
}

/// A file sent as the raw body (with the session's CSRF token).
async fn upload(t: &TestApp, s: &Session, uri: &str, content_type: &str, body: Vec<u8>) -> Res {
    t.send(
        Request::post(uri)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, content_type)
            .header("x-csrf-token", &s.csrf)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

/// Imports a register given as CSV lines (房号,业主姓名,专有部分面积) into `compound`.
async fn register(t: &TestApp, s: &Session, compound: i64, rows: &[(&str, &str)]) -> Value {
    let mut csv = String::from("房号,业主姓名,专有部分面积\n");
    for (unit, area) in rows {
        csv.push_str(&format!("{unit},业主{unit},{area}\n"));
    }
    let r = upload(
        t,
        s,
        &format!("/api/v1/compounds/{compound}/households/import?format=csv"),
        "text/csv",
        csv.into_bytes(),
    )
    .await;
    status(&r, StatusCode::OK)
}

/// Opens a vote lasting today only (so that it may be counted today).
async fn open(t: &TestApp, s: &Session, compound: i64, body: Value) -> Value {
    let mut b = body;
    b["opens_on"] = json!(day(0));
    b["closes_on"] = json!(day(0));
    let r = post(t, s, &format!("/api/v1/compounds/{compound}/votes"), b).await;
    status(&r, StatusCode::CREATED)
}

/// The vote's links by 房号, as its detail gives them to those who run votes.
async fn tokens(t: &TestApp, s: &Session, vote: i64) -> Vec<(String, String, i64)> {
    let d = status(
        &t.get_as(s, &format!("/api/v1/votes/{vote}")).await,
        StatusCode::OK,
    );
    d["ballots"]
        .as_array()
        .expect("ballots")
        .iter()
        .map(|b| {
            (
                b["unit"].as_str().expect("unit").to_string(),
                b["token"].as_str().expect("token").to_string(),
                b["household_id"].as_i64().expect("household"),
            )
        })
        .collect()
}

/// A resident casts by the link of `unit` (the page, no account).
async fn cast(t: &TestApp, links: &[(String, String, i64)], unit: &str, choice: &str) -> Res {
    let (_, token, _) = links
        .iter()
        .find(|(u, _, _)| u == unit)
        .unwrap_or_else(|| panic!("no ballot for {unit}"));
    t.post_form(None, &format!("/v/{token}"), &format!("choice={choice}"))
        .await
}

/// Counts the vote today at the version read.
async fn close(t: &TestApp, s: &Session, vote: i64) -> Value {
    let d = status(
        &t.get_as(s, &format!("/api/v1/votes/{vote}")).await,
        StatusCode::OK,
    );
    let version = d["vote"]["version"].as_i64().expect("version");
    status(
        &post(
            t,
            s,
            &format!("/api/v1/votes/{vote}/close"),
            json!({"version": version}),
        )
        .await,
        StatusCode::OK,
    )
}

/// A compound of the street with no company and nothing yet on its path.
async fn unmanaged(t: &TestApp) -> i64 {
    let all = t
        .store
        .list_compounds(&anju_store::CompoundFilter {
            street: Some(STREET.into()),
            mode: anju_core::ManagementMode::from_code("none"),
            ..anju_store::CompoundFilter::default()
        })
        .await
        .expect("list");
    for c in all {
        if t.store
            .lifecycle(c.id)
            .await
            .expect("lifecycle")
            .steps
            .is_empty()
        {
            return c.id;
        }
    }
    panic!("no compound at the census")
}

both_engines!(a_register_sheet_is_all_or_nothing);
async fn a_register_sheet_is_all_or_nothing(t: &TestApp) {
    let c = served_compound(t, STREET).await;
    let company = c.compound.company.clone().expect("company");
    let jd = user_session(t, "v_jd", Role::Street, UserScope::Region(STREET)).await;
    let other = user_session(t, "v_jd2", Role::Street, UserScope::Region(OTHER_STREET)).await;
    let qy = user_session(t, "v_qy", Role::Company, UserScope::Company(&company)).await;
    let households = format!("/api/v1/compounds/{}/households", c.id);
    let import = format!("{households}/import");

    // A bad area on row 3 and a repeated unit on row 4: 422 naming each row and column, and
    // nothing saved (not even the good row 2).
    let bad = "房号,业主姓名,专有部分面积\n1-1-101,王一,88.50\n1-1-102,李二,-3\n1-1-101,赵三,90\n";
    let r = upload(
        t,
        &jd,
        &format!("{import}?format=csv"),
        "text/csv",
        bad.as_bytes().to_vec(),
    )
    .await;
    let m = refused(&r, "file", "未导入任何数据");
    assert!(
        m.contains("第 3 行") && m.contains("专有部分面积 (C)") && m.contains("'-3'"),
        "{m}"
    );
    assert!(
        m.contains("第 4 行") && m.contains("房号 (A)") && m.contains("与第 2 行重复"),
        "{m}"
    );
    let r = upload(
        t,
        &jd,
        &format!("{import}?format=csv&lang=en"),
        "text/csv",
        bad.as_bytes().to_vec(),
    )
    .await;
    let m = refused(&r, "file", "nothing was imported");
    assert!(m.contains("Row 3") && m.contains("Row 4"), "{m}");
    let list = status(&t.get_as(&jd, &households).await, StatusCode::OK);
    assert_eq!(list, json!([]), "nothing saved");

    // The kind of file: from ?format= or the file's name; neither is refused.
    let good = "房号,业主姓名,专有部分面积\n1-1-101,王一,88.50\n1-1-102,李二,120\n".as_bytes();
    let r = upload(t, &jd, &import, "text/csv", good.to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("format"), "{}", r.body);
    let r = upload(
        t,
        &jd,
        &format!("{import}?format=pdf"),
        "text/csv",
        good.to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The company and another street may not import; the company is refused before the file
    // is read, the other street before its compound is touched.
    for s in [&qy, &other] {
        let r = upload(
            t,
            s,
            &format!("{import}?format=csv"),
            "text/csv",
            good.to_vec(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    let s = status(
        &upload(
            t,
            &jd,
            &format!("{import}?name={}", enc("业主名册.csv")),
            "text/csv",
            good.to_vec(),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (&s["added"], &s["households"], &s["area_centi"]),
        (&json!(2), &json!(2), &json!(20_850)),
        "{s}"
    );
    as_documented("post", "/api/v1/compounds/{id}/households/import", &s);
    // The same file again changes nothing.
    let s = status(
        &upload(
            t,
            &jd,
            &format!("{import}?format=csv"),
            "text/csv",
            good.to_vec(),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (&s["added"], &s["unchanged"]),
        (&json!(0), &json!(2)),
        "{s}"
    );
    // As multipart, the kind read from the file field's name.
    let boundary = "apivotes";
    let mut mp = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名册.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    mp.extend_from_slice("房号,专有部分面积\n2-1-101,66.6\n".as_bytes());
    mp.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let s = status(
        &upload(
            t,
            &jd,
            &import,
            &format!("multipart/form-data; boundary={boundary}"),
            mp,
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (&s["added"], &s["households"]),
        (&json!(1), &json!(3)),
        "{s}"
    );

    // One household typed: an area of 0 is refused naming it; a new unit is added; a known
    // unit is corrected.
    refused(
        &post(t, &jd, &households, json!({"unit": "1-1-103", "area": "0"})).await,
        "area",
        "须大于 0",
    );
    refused(
        &post(t, &jd, &households, json!({"unit": " ", "area": "80"})).await,
        "unit",
        "房号",
    );
    let s = status(
        &post(
            t,
            &jd,
            &households,
            json!({"unit": "1-1-103", "owner_name": "孙四", "area": "75.25"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (&s["added"], &s["households"]),
        (&json!(1), &json!(4)),
        "{s}"
    );
    let s = status(
        &post(
            t,
            &jd,
            &households,
            json!({"unit": "1-1-101", "owner_name": "王一", "area": "90.00"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (&s["updated"], &s["households"]),
        (&json!(1), &json!(4)),
        "{s}"
    );
    let r = post(t, &qy, &households, json!({"unit": "9", "area": "1"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // The street reads the owners' names; the company serving the compound reads the register
    // without them; another street reads nothing.
    let list = status(&t.get_as(&jd, &households).await, StatusCode::OK);
    let units: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|h| h["unit"].as_str())
        .collect();
    assert_eq!(units, ["1-1-101", "1-1-102", "1-1-103", "2-1-101"]);
    assert_eq!(list[0]["owner_name"], "王一");
    assert_eq!(list[0]["area_centi"], 9_000);
    let list = status(&t.get_as(&qy, &households).await, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    assert!(!list.to_string().contains("王一"), "{list}");
    let r = t.get_as(&other, &households).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

both_engines!(a_company_is_chosen_counted_and_recorded_on_the_path);
async fn a_company_is_chosen_counted_and_recorded_on_the_path(t: &TestApp) {
    let compound = unmanaged(t).await;
    let jd = user_session(t, "v_jd", Role::Street, UserScope::Region(STREET)).await;
    let companies: Vec<(i64, String)> = t
        .store
        .list_companies()
        .await
        .expect("companies")
        .into_iter()
        .filter(|c| !c.archived)
        .take(2)
        .map(|c| (c.id, c.name))
        .collect();
    let [(a, a_name), (b, b_name)] = companies.as_slice() else {
        panic!("two companies on file");
    };
    register(
        t,
        &jd,
        compound,
        &[("1-101", "100"), ("1-102", "100"), ("1-103", "50")],
    )
    .await;
    let votes = format!("/api/v1/compounds/{compound}/votes");

    // Companies are named for a choice of company only, one to five, each on file.
    refused(
        &post(
            t,
            &jd,
            &votes,
            json!({"matter": "select_company", "question": "选聘物业服务企业", "opens_on": day(0), "closes_on": day(0)}),
        )
        .await,
        "company_ids",
        "1 至 5",
    );
    refused(
        &post(
            t,
            &jd,
            &votes,
            json!({"matter": "use_fund", "question": "x", "company_ids": [a], "opens_on": day(0), "closes_on": day(0)}),
        )
        .await,
        "company_ids",
        "只有选聘物业服务企业",
    );
    refused(
        &post(
            t,
            &jd,
            &votes,
            json!({"matter": "select_company", "question": "x", "company_ids": [a], "opens_on": day(1), "closes_on": day(2)}),
        )
        .await,
        "opens_on",
        "表决开始日期",
    );
    refused(
        &post(
            t,
            &jd,
            &votes,
            json!({"matter": "select_company", "question": "x", "company_ids": [a], "opens_on": day(0), "closes_on": day(-1)}),
        )
        .await,
        "closes_on",
        "早于开始日期",
    );
    refused(
        &post(
            t,
            &jd,
            &votes,
            json!({"matter": "poll", "question": "x", "opens_on": day(0), "closes_on": day(0)}),
        )
        .await,
        "matter",
        "不认识的取值",
    );
    let v = open(
        t,
        &jd,
        compound,
        json!({"matter": "select_company", "question": "选聘本小区的物业服务企业", "company_ids": [a, b]}),
    )
    .await;
    assert_eq!(v["status"], "open");
    assert_eq!(v["matter"], "select_company");
    assert_eq!(
        (&v["owners"], &v["area_centi"]),
        (&json!(3), &json!(25_000))
    );
    assert_eq!(v["options"][0]["label"], a_name.as_str());
    assert_eq!(v["options"][0]["company_id"], *a);
    assert_eq!(v["options"][1]["label"], b_name.as_str());
    assert_eq!(v["version"], 1);
    let id = v["id"].as_i64().expect("id");
    let page = format!("/api/v1/votes/{id}");
    // One open vote per matter.
    let r = post(
        t,
        &jd,
        &votes,
        json!({"matter": "select_company", "question": "x", "company_ids": [b], "opens_on": day(0), "closes_on": day(0)}),
    )
    .await;
    assert_eq!(
        status(&r, StatusCode::UNPROCESSABLE_ENTITY)["code"],
        "refused"
    );
    let list = status(&t.get_as(&jd, &votes).await, StatusCode::OK);
    assert_eq!(list[0]["id"], id, "{list}");

    // Two households by their links (the resident's page), one on paper with its scan.
    let links = tokens(t, &jd, id).await;
    assert_eq!(links.len(), 3);
    assert!(links.iter().all(|(_, tk, _)| tk.len() >= 16), "{links:?}");
    assert_eq!(cast(t, &links, "1-101", "o1").await.status, StatusCode::OK);
    assert_eq!(cast(t, &links, "1-103", "o2").await.status, StatusCode::OK);
    let again = cast(t, &links, "1-101", "o2").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let household = links
        .iter()
        .find(|(u, _, _)| u == "1-102")
        .map(|(_, _, h)| *h)
        .expect("1-102");
    let scan = b"%PDF-1.4\n% paper ballot 1-102\n".to_vec();
    let e = status(
        &upload(
            t,
            &jd,
            &format!("/api/v1/evidence?name={}", enc("选票1-102.pdf")),
            "application/pdf",
            scan,
        )
        .await,
        StatusCode::CREATED,
    );
    let sha = e["sha256"].as_str().expect("sha").to_string();
    let paper = format!("{page}/paper");
    let ballot = |received_on: &str, sha: &str| json!({"household_id": household, "choice": "option", "option_no": 1, "received_on": received_on, "evidence_sha": sha});
    refused(
        &post(t, &jd, &paper, ballot(&day(1), &sha)).await,
        "received_on",
        "收到选票日期",
    );
    refused(
        &post(t, &jd, &paper, ballot(&day(0), "")).await,
        "evidence",
        "扫描件",
    );
    let r = post(
        t,
        &jd,
        &paper,
        json!({"household_id": household, "choice": "option", "option_no": 3, "received_on": day(0), "evidence_sha": sha}),
    )
    .await;
    let e = status(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["code"], "refused", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("请选择表决选项")),
        "{e}"
    );
    let after = status(
        &post(t, &jd, &paper, ballot(&day(0), &sha)).await,
        StatusCode::OK,
    );
    assert_eq!(
        (&after["cast"], &after["cast_area_centi"]),
        (&json!(3), &json!(25_000))
    );
    let r = post(t, &jd, &paper, ballot(&day(0), &sha)).await;
    assert!(
        status(&r, StatusCode::UNPROCESSABLE_ENTITY)["message"]
            .as_str()
            .is_some_and(|m| m.contains("已经投过票")),
        "{}",
        r.body
    );
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    let paper_row = d["ballots"]
        .as_array()
        .expect("ballots")
        .iter()
        .find(|b| b["unit"] == "1-102")
        .expect("1-102")
        .clone();
    assert_eq!(paper_row["channel"], "paper");
    assert_eq!(paper_row["evidence_sha"], sha.as_str());
    assert_eq!(paper_row["received_on"], day(0));
    assert_eq!(
        (&d["may_close"], &d["may_apply"]),
        (&json!(true), &json!(false))
    );
    assert!(
        !d.to_string().contains("\"choice\""),
        "never what a ballot says: {d}"
    );

    // 计票: a stale version is a conflict; then the figures are frozen.
    let r = post(t, &jd, &format!("{page}/close"), json!({"version": 9})).await;
    assert_eq!(status(&r, StatusCode::CONFLICT)["code"], "conflict");
    refused(
        &post(
            t,
            &jd,
            &format!("{page}/close"),
            json!({"version": 4, "on": day(1)}),
        )
        .await,
        "on",
        "计票日期",
    );
    let v = close(t, &jd, id).await;
    assert_eq!(v["status"], "closed");
    assert_eq!(v["closed_on"], day(0));
    assert_eq!(v["carried_option"], 1);
    let c = &v["result"];
    assert_eq!(
        (
            &c["owners"],
            &c["area_centi_m2"],
            &c["voted_owners"],
            &c["voted_area_centi_m2"]
        ),
        (&json!(3), &json!(25_000), &json!(3), &json!(25_000)),
        "{c}"
    );
    assert_eq!(
        (&c["against_owners"], &c["abstain_owners"]),
        (&json!(0), &json!(0))
    );
    let first = &c["options"][0];
    assert_eq!(
        (
            &first["tally"]["yes_owners"],
            &first["tally"]["yes_area_centi_m2"]
        ),
        (&json!(2), &json!(20_000)),
        "{first}"
    );
    assert_eq!(
        first["outcome"],
        json!({"area_participation": true, "owner_participation": true, "area_majority": true, "owner_majority": true, "carried": true})
    );
    let second = &c["options"][1];
    assert_eq!(
        (
            &second["tally"]["yes_owners"],
            &second["tally"]["yes_area_centi_m2"]
        ),
        (&json!(1), &json!(5_000)),
        "{second}"
    );
    assert_eq!(second["outcome"]["carried"], false);
    assert_eq!(c["carried"], 1);
    let r = post(t, &jd, &paper, ballot(&day(0), &sha)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert_eq!(
        (&d["may_enter_paper"], &d["may_close"], &d["may_apply"]),
        (&json!(false), &json!(false), &json!(true))
    );
    assert_eq!(d["why_not"], Value::Null);
    as_documented("get", "/api/v1/votes/{id}", &d);
    as_documented("post", "/api/v1/votes/{id}/close", &v);
    let list = status(&t.get_as(&jd, &votes).await, StatusCode::OK);
    as_documented("get", "/api/v1/compounds/{id}/votes", &list);
    let register = status(
        &t.get_as(&jd, &format!("/api/v1/compounds/{compound}/households"))
            .await,
        StatusCode::OK,
    );
    as_documented("get", "/api/v1/compounds/{id}/households", &register);

    // The carried choice records the path's 选定物业企业 (the path first reaches it).
    let lc = format!("/api/v1/compounds/{compound}/lifecycle");
    for step in [
        json!({"event": "consult"}),
        json!({"event": "decide_mode", "mode": "professional"}),
        json!({"event": "settle_owners", "body": "owners_committee"}),
    ] {
        let version = t.store.lifecycle(compound).await.expect("lc").version;
        status(
            &post(
                t,
                &jd,
                &lc,
                json!({"version": version, "step": step, "on": day(0)}),
            )
            .await,
            StatusCode::OK,
        );
    }
    let v = status(
        &post(t, &jd, &format!("{page}/apply"), json!({})).await,
        StatusCode::OK,
    );
    assert!(
        v["applied_note"]
            .as_str()
            .is_some_and(|n| n.contains(a_name.as_str())),
        "{v}"
    );
    let path = t.store.lifecycle(compound).await.expect("lc");
    let last = path.steps.last().expect("a step");
    assert_eq!(
        serde_json::to_value(&last.event).expect("event"),
        json!({"event": "select_company", "company_id": a})
    );
    assert_eq!(last.happened_on.to_string(), day(0));
    let r = post(t, &jd, &format!("{page}/apply"), json!({})).await;
    refused(&r, "vote", "已经使用过");
}

both_engines!(an_election_counts_only_when_two_thirds_take_part);
async fn an_election_counts_only_when_two_thirds_take_part(t: &TestApp) {
    let c = served_compound(t, STREET).await;
    let company = c.compound.company.clone().expect("company");
    let jd = user_session(t, "v_jd", Role::Street, UserScope::Region(STREET)).await;
    let other = user_session(t, "v_jd2", Role::Street, UserScope::Region(OTHER_STREET)).await;
    let qy = user_session(t, "v_qy", Role::Company, UserScope::Company(&company)).await;
    let units = ["1-101", "1-102", "1-103", "1-104", "1-105", "1-106"];
    let rows: Vec<(&str, &str)> = units.iter().map(|u| (*u, "90.00")).collect();
    register(t, &jd, c.id, &rows).await;
    let b = status(
        &post(
            t,
            &jd,
            &format!("/api/v1/compounds/{}/owners-bodies", c.id),
            json!({"kind": "owners_committee", "prepared_on": day(-30), "preparers": ["王一"]}),
        )
        .await,
        StatusCode::CREATED,
    );
    let body = b["id"].as_i64().expect("body");
    let elect = format!("/api/v1/owners-bodies/{body}/elect");
    let election = |version: i64, vote: Option<i64>| {
        let mut e = json!({
            "version": version,
            "on": day(0),
            "members": [{"name": "王一", "role": "chair"}, {"name": "李二", "role": "member"}],
        });
        if let Some(v) = vote {
            e["vote_id"] = json!(v);
        }
        e
    };

    // An election names the body being prepared.
    refused(
        &post(
            t,
            &jd,
            &format!("/api/v1/compounds/{}/votes", c.id),
            json!({"matter": "elect_committee", "question": "选举业主委员会", "opens_on": day(0), "closes_on": day(0)}),
        )
        .await,
        "owners_body_id",
        "筹备",
    );
    let question = json!({"matter": "elect_committee", "question": "选举第一届业主委员会", "owners_body_id": body});

    // The first vote: 3 of 6 households (one fewer than 2/3) take part, all for.
    let short = open(t, &jd, c.id, question.clone()).await;
    let short_id = short["id"].as_i64().expect("id");
    assert_eq!(short["owners_body_id"], body);
    let links = tokens(t, &jd, short_id).await;
    for u in &units[..3] {
        assert_eq!(cast(t, &links, u, "o1").await.status, StatusCode::OK);
    }
    // Before the last day only a vote every household has cast may be counted: this one runs
    // today only, so it may.
    let v = close(t, &jd, short_id).await;
    assert_eq!(v["carried_option"], Value::Null);
    let first = &v["result"]["options"][0];
    assert_eq!(first["outcome"]["owner_participation"], false, "{first}");
    assert_eq!(first["outcome"]["area_participation"], false, "{first}");
    assert_eq!(first["tally"]["yes_owners"], 3);
    let d = status(
        &t.get_as(&jd, &format!("/api/v1/votes/{short_id}")).await,
        StatusCode::OK,
    );
    assert!(
        d["why_not"]
            .as_str()
            .is_some_and(|w| w.contains("参与表决人数不足三分之二")),
        "{d}"
    );
    // The body cannot be elected citing it, nor without a vote now that one was held.
    let m = refused(
        &post(t, &jd, &elect, election(1, Some(short_id))).await,
        "vote_id",
        "表决未通过",
    );
    assert!(m.contains("不足三分之二"), "{m}");
    refused(
        &post(t, &jd, &elect, election(1, None)).await,
        "vote_id",
        "已交业主表决",
    );
    refused(
        &post(t, &jd, &elect, election(1, Some(999_999))).await,
        "vote_id",
        "不是选举本业主组织的表决",
    );

    // The second vote: exactly 4 of 6 (2/3 of the owners and of the area) take part, 3 for.
    let carried = open(t, &jd, c.id, question).await;
    let carried_id = carried["id"].as_i64().expect("id");
    let links = tokens(t, &jd, carried_id).await;
    for u in &units[..3] {
        assert_eq!(cast(t, &links, u, "o1").await.status, StatusCode::OK);
    }
    assert_eq!(
        cast(t, &links, units[3], "against").await.status,
        StatusCode::OK
    );

    // The company serving the compound reads the votes but not the links, and runs nothing;
    // another street is refused every route; a vote that does not exist is 404.
    let page = format!("/api/v1/votes/{carried_id}");
    let list = format!("/api/v1/compounds/{}/votes", c.id);
    let l = status(&t.get_as(&qy, &list).await, StatusCode::OK);
    assert_eq!(l.as_array().map(Vec::len), Some(2), "{l}");
    let d = status(&t.get_as(&qy, &page).await, StatusCode::OK);
    assert_eq!(d["ballots"], json!([]), "{d}");
    assert_eq!(
        (&d["may_enter_paper"], &d["may_close"], &d["may_apply"]),
        (&json!(false), &json!(false), &json!(false))
    );
    for (_, token, _) in &links {
        assert!(!d.to_string().contains(token.as_str()));
    }
    for s in [&qy, &other] {
        for uri in [
            format!("{page}/paper"),
            format!("{page}/close"),
            format!("{page}/apply"),
            list.clone(),
        ] {
            let r = post(t, s, &uri, json!({"version": 1})).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}: {}", r.body);
        }
    }
    for uri in [&page, &list] {
        let r = t.get_as(&other, uri).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}: {}", r.body);
    }
    let r = t.get_as(&jd, "/api/v1/votes/999999").await;
    assert_eq!(status(&r, StatusCode::NOT_FOUND)["code"], "not_found");
    let r = t.get_as(&qy, "/api/v1/votes/999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    let v = close(t, &jd, carried_id).await;
    assert_eq!(v["carried_option"], 1);
    let first = &v["result"]["options"][0];
    assert_eq!(
        first["outcome"],
        json!({"area_participation": true, "owner_participation": true, "area_majority": true, "owner_majority": true, "carried": true}),
        "{first}"
    );
    assert_eq!(
        (&v["result"]["voted_owners"], &v["result"]["against_owners"]),
        (&json!(4), &json!(1))
    );
    // The election cites it; the vote is then used.
    let e = status(
        &post(t, &jd, &elect, election(1, Some(carried_id))).await,
        StatusCode::OK,
    );
    assert_eq!(e["status"], "elected");
    assert_eq!(e["elected_on"], day(0));
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert!(
        d["vote"]["applied_note"]
            .as_str()
            .is_some_and(|n| n.contains(&format!("业主组织（编号 {body}）"))),
        "{d}"
    );
}

both_engines!(raising_the_fund_just_short_of_three_quarters_does_not_carry);
async fn raising_the_fund_just_short_of_three_quarters_does_not_carry(t: &TestApp) {
    let compound = unmanaged(t).await;
    let jd = user_session(t, "v_jd", Role::Street, UserScope::Region(STREET)).await;
    register(
        t,
        &jd,
        compound,
        &[
            ("3-101", "100.00"),
            ("3-102", "100.00"),
            ("3-103", "100.00"),
            ("3-104", "100.01"),
        ],
    )
    .await;
    // Voting runs until tomorrow.
    let v = status(
        &post(
            t,
            &jd,
            &format!("/api/v1/compounds/{compound}/votes"),
            json!({"matter": "raise_fund", "question": "是否同意按每平方米 20 元续筹专项维修资金", "opens_on": day(0), "closes_on": day(1)}),
        )
        .await,
        StatusCode::CREATED,
    );
    let id = v["id"].as_i64().expect("id");
    assert_eq!(v["options"].as_array().map(Vec::len), Some(1));
    let links = tokens(t, &jd, id).await;
    for u in ["3-101", "3-102", "3-103"] {
        assert_eq!(cast(t, &links, u, "o1").await.status, StatusCode::OK);
    }
    // Before its last day a vote is counted only once every household has voted.
    let page = format!("/api/v1/votes/{id}");
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert_eq!(d["may_close"], false);
    assert!(
        d["close_blocked"]
            .as_str()
            .is_some_and(|m| m.contains("已投 3 户")),
        "{d}"
    );
    refused(
        &post(t, &jd, &format!("{page}/close"), json!({"version": 1})).await,
        "on",
        "提前计票",
    );
    assert_eq!(
        cast(t, &links, "3-104", "against").await.status,
        StatusCode::OK
    );
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert_eq!(d["may_close"], true);
    let v = close(t, &jd, id).await;
    // 3 of 4 owners agree (exactly 3/4), 300.00 of 400.01 ㎡ (0.01 ㎡ short of 3/4).
    let first = &v["result"]["options"][0];
    assert_eq!(
        (
            &first["tally"]["yes_area_centi_m2"],
            &first["tally"]["voted_area_centi_m2"]
        ),
        (&json!(30_000), &json!(40_001)),
        "{first}"
    );
    assert_eq!(
        first["outcome"],
        json!({"area_participation": true, "owner_participation": true, "area_majority": false, "owner_majority": true, "carried": false}),
        "{first}"
    );
    assert_eq!(v["carried_option"], Value::Null);
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert!(
        d["why_not"]
            .as_str()
            .is_some_and(|w| w.contains("四分之三")),
        "{d}"
    );
    assert_eq!(d["may_apply"], false);
    let r = post(t, &jd, &format!("{page}/apply"), json!({})).await;
    refused(&r, "vote", "只有选聘、解聘物业服务企业");
}
