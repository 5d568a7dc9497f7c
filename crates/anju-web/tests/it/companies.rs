//! /companies and /companies/{id}: the credit file and its grade, worked by hand from the
//! default scheme (credit_default.toml: mean of assessments, −5 per bad conduct, AA = [80, 85)).

use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use anju_core::credit::{CreditRecord, RecordKind};
use anju_store::{Actor, NewCompanyRecord};
use axum::http::StatusCode;
use rust_decimal::Decimal;

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
    let store = &t.state.store;
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
