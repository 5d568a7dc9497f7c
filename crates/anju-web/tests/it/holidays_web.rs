//! 法定节假日 through HTTP: the street enters a week of holidays, listed with weekdays; a
//! missing name, a last day before the first and a year-long span are refused naming the field;
//! a company reads the list but may not add to it.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

both_engines!(the_street_enters_holidays_and_everyone_reads_them);
async fn the_street_enters_holidays_and_everyone_reads_them(t: &TestApp) {
    let s = user_session(t, "li", Role::Street, UserScope::Region("大沁他拉街道")).await;
    let list = t.get_as(&s, "/complaints").await;
    assert!(
        list.body.contains("href=\"/complaints/holidays\""),
        "the complaints page links it"
    );
    let form = |name: &str, from: &str, to: &str| {
        format!("csrf={}&name={}&from={from}&to={to}", s.csrf, enc(name))
    };
    let r = t
        .post_form(
            Some(&s),
            "/complaints/holidays",
            &form("国庆节", "2027-10-01", "2027-10-07"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&s, "/complaints/holidays").await;
    assert_eq!(r.body.matches("<td>国庆节</td>").count(), 7, "{}", r.body);
    assert!(
        r.body.contains("<td>2027-10-01</td><td>星期五</td>"),
        "{}",
        r.body
    );
    let r = t
        .post_form(
            Some(&s),
            "/complaints/holidays",
            &form("", "2027-05-01", ""),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("节假日名称：请填写"), "{}", r.body);
    assert!(
        r.body.contains("value=\"2027-05-01\""),
        "what was typed is kept"
    );
    let r = t
        .post_form(
            Some(&s),
            "/complaints/holidays",
            &form("劳动节", "2027-05-05", "2027-05-01"),
        )
        .await;
    assert!(r.body.contains("结束日期：不能早于开始日期"), "{}", r.body);
    let r = t
        .post_form(
            Some(&s),
            "/complaints/holidays",
            &form("全年", "2027-01-01", "2027-12-31"),
        )
        .await;
    assert!(r.body.contains("一次最多登记 31 天"), "{}", r.body);
    // A company reads them (its deadlines depend on them) but adds none.
    let all = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("all");
    let company = all
        .iter()
        .find_map(|c| c.compound.company.clone())
        .expect("a company");
    let co = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let r = t.get_as(&co, "/complaints/holidays").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("国庆节") && !r.body.contains("id=\"holiday-form\""));
    let r = t
        .post_form(
            Some(&co),
            "/complaints/holidays",
            &format!("csrf={}&name=x&from=2027-01-01&to=", co.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
