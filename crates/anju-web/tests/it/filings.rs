//! The 调度表 as a submission (seed 003 附件5 注2 "每月1号、15号报送"), through the pages: the
//! district sees a street that has not filed as 逾期未报 (on its /dispatch page and its 工作台); the
//! street files late and the district sees 逾期报送 with the sheet as filed, which later changes
//! to the ledger do not alter; a second filing for the same day and a filing for a day not yet
//! open are refused naming the field; a company reads nothing of it.

use crate::access_matrix::{STREET_A, world};
use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use anju_core::dispatch::{filing_day_on_or_after, filing_days};
use axum::http::StatusCode;
use jiff::civil::date;

both_engines!(a_late_sheet_shows_as_late_at_the_district);
async fn a_late_sheet_shows_as_late_at_the_district(t: &TestApp) {
    let w = world(t).await;
    let today = t.state.app.today();
    // The world's schedule starts on 2026-11-01 and street A filed for that day on that day.
    let owed: Vec<_> = filing_days(date(2026, 11, 1), today);
    assert!(
        owed.len() >= 2,
        "the test needs a filing day after 2026-11-01 that has passed: {owed:?}"
    );
    let late_day = owed[1];
    let district = user_session(
        t,
        "f_zj",
        Role::HousingAuthority,
        UserScope::Region("奈曼旗"),
    )
    .await;
    let street = user_session(t, "f_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let company = user_session(
        t,
        "f_qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;

    // The district: street A on time for 11-01, not filed for the next day once it passed.
    let r = t.get_as(&district, "/dispatch").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(STREET_A), "{}", r.body);
    assert!(r.body.contains("按期报送 2026-11-01"), "{}", r.body);
    if today > late_day {
        assert!(r.body.contains("逾期未报"), "{}", r.body);
        let d = t.get_as(&district, "/dashboard").await;
        assert!(d.body.contains("filing-panel"), "{}", d.body);
        assert!(d.body.contains(&late_day.to_string()), "{}", d.body);
    }
    // Street B (another district) is not on the district's page.
    assert!(!r.body.contains("山城街道"), "{}", r.body);

    // The street files for that day, late.
    let r = t.get_as(&street, "/dispatch").await;
    assert!(r.body.contains("id=\"file-form\""), "{}", r.body);
    assert!(
        r.body.contains(&format!("<option value=\"{late_day}\"")),
        "{}",
        r.body
    );
    let r = t
        .post_form(
            Some(&street),
            "/dispatch/file",
            &format!(
                "csrf={}&due_on={late_day}&note=%E8%A1%A5%E6%8A%A5",
                street.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Again: refused naming the day it was filed.
    let r = t
        .post_form(
            Some(&street),
            "/dispatch/file",
            &format!("csrf={}&due_on={late_day}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("报送期次"), "{}", r.body);
    // A day beyond the next one: refused, the open days listed.
    let far = filing_day_on_or_after(today.checked_add(jiff::Span::new().days(40)).expect("date"));
    let r = t
        .post_form(
            Some(&street),
            "/dispatch/file",
            &format!("csrf={}&due_on={far}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("不能报送"), "{}", r.body);
    // Not a date at all: the field named, what was typed kept out of harm's way.
    let r = t
        .post_form(
            Some(&street),
            "/dispatch/file",
            &format!("csrf={}&due_on=%E5%8D%81%E4%BA%94%E5%8F%B7", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("报送期次"), "{}", r.body);

    // The district sees it late, with the sheet as filed.
    let r = t.get_as(&district, "/dispatch").await;
    assert!(r.body.contains("逾期报送"), "{}", r.body);
    let filings = t
        .store
        .dispatch_filings(Some(&[w.inside.compound.street_id]), late_day, late_day)
        .await
        .expect("filings");
    assert_eq!(filings.len(), 1);
    assert_eq!(filings[0].filed_on, today);
    let page = format!("/dispatch/filings/{}", filings[0].id);
    assert!(r.body.contains(&page), "{}", r.body);
    let r = t.get_as(&district, &page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("逾期报送"), "{}", r.body);
    assert!(r.body.contains("入驻物业管理企业名称"), "{}", r.body);
    let name = w.inside.compound.compound.name.clone();
    assert!(r.body.contains(&name), "{}", r.body);

    // A later change to the ledger leaves the filed sheet as it was.
    let mut renamed = t
        .store
        .get_compound(w.inside.compound.id)
        .await
        .expect("compound");
    renamed.compound.name = format!("{name}（更名）");
    t.store
        .update_compound(
            &anju_store::Actor::new("test", "admin"),
            renamed.id,
            renamed.version,
            renamed.compound.clone(),
        )
        .await
        .expect("rename");
    let r = t.get_as(&district, &page).await;
    assert!(r.body.contains(&name), "{}", r.body);
    assert!(!r.body.contains("（更名）"), "{}", r.body);

    // A community's account reads its own community's rows of the street's sheet only.
    let community = user_session(t, "f_sq", Role::Community, UserScope::Region(&w.community)).await;
    let r = t.get_as(&community, &page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&name), "{}", r.body);
    if let Some(other) = &w.planted_other_community {
        assert!(!r.body.contains(other.as_str()), "{}", r.body);
        let r = t.get_as(&district, &page).await;
        assert!(
            r.body.contains(other.as_str()),
            "the district reads every row"
        );
    }

    // A company reads no filing.
    let r = t.get_as(&company, &page).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.get_as(&company, "/dispatch").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains(STREET_A), "{}", r.body);
}
