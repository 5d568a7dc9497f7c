//! /companies and /companies/{id}: the credit file and its grade, worked by hand from the
//! default scheme (credit_default.toml: mean of assessments, −5 per bad conduct, AA = [80, 85)).

use crate::support::{Session, TestApp, UserScope, both_engines, send_json, user_session};
use anju_core::access::Role;
use anju_core::credit::{CreditRecord, CreditScheme, DEFAULT_SCHEME_TOML, RecordKind};
use anju_store::{Actor, NewCompanyRecord};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rust_decimal::Decimal;
use serde_json::json;

fn record(kind: RecordKind, on: jiff::civil::Date, score: Option<Decimal>) -> NewCompanyRecord {
    NewCompanyRecord {
        record: CreditRecord {
            kind,
            happened_on: on,
            period: score.map(|_| "2026".to_string()),
            score,
            points: None,
            complaints: None,
            assessor: score.map(|_| "街道办事处".to_string()),
            compound: None,
            note: (kind == RecordKind::BadConduct).then(|| "未按期公示收支".to_string()),
        },
        compound_id: None,
    }
}

both_engines!(the_credit_file_shows_records_and_the_grade_explained);
async fn the_credit_file_shows_records_and_the_grade_explained(t: &TestApp) {
    let store = &t.store;
    let companies = store.list_companies().await.expect("companies");
    let (co, other) = (&companies[0], &companies[1]);
    // Recent enough to fall in the 12-month window whenever the test runs.
    let on = jiff::Zoned::now()
        .date()
        .checked_sub(jiff::Span::new().days(30))
        .expect("date");
    let a = Actor::new("test", "housing_authority");
    for r in [
        record(RecordKind::Assessment, on, Some(Decimal::new(9200, 2))),
        record(RecordKind::Assessment, on, Some(Decimal::new(8701, 2))),
        record(RecordKind::BadConduct, on, None),
    ] {
        store
            .add_company_record(&a, co.id, r)
            .await
            .expect("record");
    }
    // (92.00 + 87.01) / 2 = 89.505 → 89.51 half-up; − 5 for the bad conduct = 84.51: AA
    // (80 ≤ score < 85), one hundredth short of AAA.
    let admin = user_session(t, "admin", Role::Admin, UserScope::None).await;
    let r = t.get_as(&admin, "/companies").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&co.name) && r.body.contains(&other.name));
    assert!(
        r.body.contains("<td class=\"num\">84.51</td><td>AA</td>"),
        "{}",
        r.body
    );
    // A company without records: base 80 → AA as well.
    assert!(r.body.contains("<td class=\"num\">80.00</td><td>AA</td>"));

    let r = t.get_as(&admin, &format!("/companies/{}", co.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<b>84.51</b>"), "{}", r.body);
    assert!(r.body.contains("<b>AA</b>"));
    assert!(r.body.contains("未按期公示收支"), "the bad-conduct record");
    assert!(r.body.contains("92.00") && r.body.contains("87.01"));
    assert!(
        r.body.contains("<ol class=\"explain\"><li>"),
        "the explanation"
    );
    let en = t
        .get_as(&admin, &format!("/companies/{}?lang=en", co.id))
        .await;
    assert!(en.body.contains("Credit grade"));

    // A company user sees only its own company.
    let s = user_session(t, "wuye", Role::Company, UserScope::Company(&co.name)).await;
    let r = t.get_as(&s, "/companies").await;
    assert!(r.body.contains(&co.name));
    assert!(
        !r.body.contains(&format!(">{}</a>", other.name)),
        "{}",
        r.body
    );
    assert_eq!(
        t.get_as(&s, &format!("/companies/{}", co.id)).await.status,
        StatusCode::OK
    );
    let r = t.get_as(&s, &format!("/companies/{}", other.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("无权查看其他物业企业"));
    assert_eq!(
        t.get_as(&admin, "/companies/987654").await.status,
        StatusCode::NOT_FOUND
    );
}

/// The default scheme with 20 points per bad conduct instead of 5, under another name.
fn strict_scheme() -> CreditScheme {
    let text = DEFAULT_SCHEME_TOML
        .replace(
            "安居默认方案（非政策文件规定，可按本地方案替换）",
            "从严方案",
        )
        .replace("bad_conduct_points = \"5\"", "bad_conduct_points = \"20\"");
    CreditScheme::from_toml(&text).expect("strict scheme")
}

fn get_req(s: &Session, uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, &s.cookie)
        .body(Body::empty())
        .expect("request")
}

/// Two assessments and a bad conduct a month before the app's today: 84.51, AA by default.
async fn graded_company(t: &TestApp) -> anju_store::Company {
    let store = &t.store;
    let co = store.list_companies().await.expect("companies")[0].clone();
    let on = t
        .state
        .app
        .today()
        .checked_sub(jiff::Span::new().days(30))
        .expect("date");
    let a = Actor::new("test", "housing_authority");
    for r in [
        record(RecordKind::Assessment, on, Some(Decimal::new(9200, 2))),
        record(RecordKind::Assessment, on, Some(Decimal::new(8701, 2))),
        record(RecordKind::BadConduct, on, None),
    ] {
        store
            .add_company_record(&a, co.id, r)
            .await
            .expect("record");
    }
    co
}

both_engines!(the_page_the_list_and_the_file_grade_alike_by_the_configured_scheme);
async fn the_page_the_list_and_the_file_grade_alike_by_the_configured_scheme(t: &TestApp) {
    let co = graded_company(t).await;
    let admin = user_session(t, "admin", Role::Admin, UserScope::None).await;
    let file = t
        .get_as(&admin, &format!("/api/v1/companies/{}", co.id))
        .await
        .json();
    assert_eq!(file["grade"]["grade"], "AA", "{file}");
    assert_eq!(file["grade"]["score"], "84.51");
    assert_eq!(file["records"].as_array().map(Vec::len), Some(3));
    let list = t.get_as(&admin, "/api/v1/companies").await.json();
    let row = list
        .as_array()
        .and_then(|l| l.iter().find(|c| c["company"]["id"] == json!(co.id)))
        .expect("the company in the list");
    assert_eq!(row["grade"], file["grade"], "the list and the file agree");
    assert_eq!(row["records"], 3);
    let served = t
        .store
        .list_compounds(&anju_store::CompoundFilter {
            company_id: Some(co.id),
            ..anju_store::CompoundFilter::default()
        })
        .await
        .expect("compounds")
        .len();
    assert!(served > 0);
    assert_eq!(row["compounds"], json!(served), "counted by the database");
    assert_eq!(file["compounds"].as_array().map(Vec::len), Some(served));
    let page = t.get_as(&admin, &format!("/companies/{}", co.id)).await;
    assert!(page.body.contains("<b>84.51</b>") && page.body.contains("<b>AA</b>"));
    // As of a day before the records: nothing counts, base 80.
    let early = t
        .get_as(
            &admin,
            &format!("/api/v1/companies/{}?as_of=2020-01-01", co.id),
        )
        .await
        .json();
    assert_eq!(early["grade"]["score"], "80");
    assert_eq!(early["grade"]["as_of"], "2020-01-01");

    // The same data served with another scheme (anju serve --scheme): 89.51 − 20 = 69.51, B,
    // on the API's file, its list and the page alike.
    let strict = t.state.clone().with_credit_scheme(strict_scheme());
    let uri = format!("/api/v1/companies/{}", co.id);
    let file = t.send_via(&strict, get_req(&admin, &uri)).await.json();
    assert_eq!(file["grade"]["grade"], "B", "{file}");
    assert_eq!(file["grade"]["score"], "69.51");
    assert_eq!(file["grade"]["scheme"], "从严方案");
    let list = t
        .send_via(&strict, get_req(&admin, "/api/v1/companies"))
        .await
        .json();
    let row = list
        .as_array()
        .and_then(|l| l.iter().find(|c| c["company"]["id"] == json!(co.id)))
        .expect("the company in the list");
    assert_eq!(row["grade"], file["grade"]);
    let page = t
        .send_via(&strict, get_req(&admin, &format!("/companies/{}", co.id)))
        .await;
    assert!(
        page.body.contains("<b>69.51</b>") && page.body.contains("<b>B</b>"),
        "{}",
        page.body
    );
    let page = t.send_via(&strict, get_req(&admin, "/companies")).await;
    assert!(page.body.contains("从严方案"), "{}", page.body);
}

both_engines!(a_credit_record_is_checked_and_not_dated_after_today);
async fn a_credit_record_is_checked_and_not_dated_after_today(t: &TestApp) {
    let store = &t.store;
    let companies = store.list_companies().await.expect("companies");
    let (co, other) = (&companies[0], &companies[1]);
    let uri = format!("/api/v1/companies/{}/records", co.id);
    let zj = user_session(t, "zhujian", Role::HousingAuthority, UserScope::None).await;
    let today = t.state.app.today();
    let tomorrow = today.checked_add(jiff::Span::new().days(1)).expect("date");
    let refused = |r: &crate::support::Res, field: &str, words: &str| {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let j = r.json();
        assert_eq!(j["field"], field, "{}", r.body);
        let m = j["message"].as_str().expect("message");
        assert!(m.contains(words), "{m}");
    };
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri,
        json!({"kind": "dismissal", "happened_on": tomorrow.to_string(), "note": "业主大会解聘"}),
    )
    .await;
    refused(&r, "happened_on", "晚于今天");
    assert!(
        r.json()["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("发生日期"))
    );
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri,
        json!({"kind": "assessment", "happened_on": today.to_string()}),
    )
    .await;
    refused(&r, "score", "考核分");
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri,
        json!({"kind": "assessment", "happened_on": today.to_string(), "score": "100.5"}),
    )
    .await;
    refused(&r, "score", "不能超过 100");
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri,
        json!({"kind": "dismissal", "happened_on": today.to_string(), "score": "90"}),
    )
    .await;
    refused(&r, "score", "只有“考核”记录");
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri,
        json!({"kind": "complaint", "happened_on": today.to_string(), "complaints": 0}),
    )
    .await;
    refused(&r, "complaints", "须大于 0");
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri,
        json!({"kind": "praise", "happened_on": today.to_string()}),
    )
    .await;
    refused(&r, "kind", "kind");
    assert!(
        store.company_records(co.id).await.expect("file").is_empty(),
        "nothing refused was written"
    );

    // Today is allowed: 80 − 5 = 75, A, as of today.
    let r = send_json(
        t,
        &zj,
        "POST",
        &uri,
        json!({"kind": "bad_conduct", "happened_on": today.to_string(), "note": "未按期公示收支"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let j = r.json();
    assert_eq!(j["grade"]["score"], "75");
    assert_eq!(j["grade"]["grade"], "A");
    assert_eq!(j["record"]["record"]["note"], "未按期公示收支");
    assert_eq!(j["record"]["actor"], "zhujian");
    let file = t
        .get_as(&zj, &format!("/api/v1/companies/{}", co.id))
        .await
        .json();
    assert_eq!(file["grade"], j["grade"]);

    // A company's account adds to no file, and reads only its own.
    let wuye = user_session(t, "wuye", Role::Company, UserScope::Company(&co.name)).await;
    let r = send_json(
        t,
        &wuye,
        "POST",
        &uri,
        json!({"kind": "dismissal", "happened_on": today.to_string()}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let list = t.get_as(&wuye, "/api/v1/companies").await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["grade"], j["grade"]);
    let r = t
        .get_as(&wuye, &format!("/api/v1/companies/{}", other.id))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("无权查看其他物业企业"), "{}", r.body);
    // A street officer reads every company, but counts and lists only its own street's
    // compounds.
    let jd = user_session(t, "jd", Role::Street, UserScope::Region("大沁他拉街道")).await;
    let file = t
        .get_as(&jd, &format!("/api/v1/companies/{}", co.id))
        .await
        .json();
    assert!(
        file["compounds"]
            .as_array()
            .expect("compounds")
            .iter()
            .all(|c| c["street"] == "大沁他拉街道"),
        "{file}"
    );
    // No company.
    let r = send_json(
        t,
        &zj,
        "POST",
        "/api/v1/companies/987654/records",
        json!({"kind": "dismissal", "happened_on": today.to_string()}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}

both_engines!(the_housing_authority_files_credit_records_in_the_browser);
async fn the_housing_authority_files_credit_records_in_the_browser(t: &TestApp) {
    let companies = t.store.list_companies().await.expect("companies");
    let co = &companies[0];
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::None).await;
    let page = format!("/companies/{}", co.id);
    let r = t.get_as(&zj, &page).await;
    assert!(r.body.contains("id=\"record-form\""), "{}", r.body);
    let uri = format!("{page}/records");
    // An assessment without its score: refused naming the field, the typed period kept.
    let r = t
        .post_form(
            Some(&zj),
            &uri,
            &format!(
                "csrf={}&kind=assessment&date=2026-11-30&period=2026H2&score=&assessor=",
                zj.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("考核分"), "{}", r.body);
    assert!(r.body.contains("value=\"2026H2\""), "the period is kept");
    // A score on a bad-conduct record is not the bad conduct's field.
    let r = t
        .post_form(
            Some(&zj),
            &uri,
            &format!("csrf={}&kind=bad_conduct&date=2026-11-30&score=90", zj.csrf),
        )
        .await;
    assert!(r.body.contains("只有“考核”记录填写此项"), "{}", r.body);
    let r = t
        .post_form(
            Some(&zj),
            &uri,
            &format!(
                "csrf={}&kind=bad_conduct&date=2026-11-30&note={}",
                zj.csrf,
                crate::support::enc("未按期公示收支")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&zj, &page).await;
    assert!(r.body.contains("<td>未按期公示收支</td>"), "{}", r.body);
    // A street office reads the file but adds nothing to it.
    let jd = user_session(t, "jd", Role::Street, UserScope::Region("大沁他拉街道")).await;
    let r = t.get_as(&jd, &page).await;
    assert!(!r.body.contains("id=\"record-form\""));
    let r = t
        .post_form(
            Some(&jd),
            &uri,
            &format!("csrf={}&kind=bad_conduct&date=2026-11-30", jd.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Complaint counts: a period that does not parse names the field; a district-bounded
    // account is not offered the form (the counts are the city's).
    let r = t.get_as(&zj, "/companies").await;
    assert!(r.body.contains("id=\"counts-form\""), "{}", r.body);
    let r = t
        .post_form(
            Some(&zj),
            "/companies/complaint-counts",
            &format!("csrf={}&period=下半年&date=2026-12-01", zj.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("统计周期：“下半年”无法识别"), "{}", r.body);
    // A period still running on the day is refused (it is recorded once, when over).
    let r = t
        .post_form(
            Some(&zj),
            "/companies/complaint-counts",
            &format!("csrf={}&period=2026H2&date=2026-12-01", zj.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("2026H2 至 2026-12-31 尚未结束"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"2026H2\""),
        "the period typed is kept"
    );
    let r = t
        .post_form(
            Some(&zj),
            "/companies/complaint-counts",
            &format!("csrf={}&period=2026H1&date=2026-12-01", zj.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"counts-done\""), "{}", r.body);
    let district = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("compounds")[0]
        .compound
        .district
        .clone()
        .expect("a district");
    let bounded = user_session(
        t,
        "zj2",
        Role::HousingAuthority,
        UserScope::Region(&district),
    )
    .await;
    let r = t.get_as(&bounded, "/companies").await;
    assert!(!r.body.contains("id=\"counts-form\""));
    let r = t
        .post_form(
            Some(&bounded),
            "/companies/complaint-counts",
            &format!("csrf={}&period=2026H1&date=2026-12-01", bounded.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
