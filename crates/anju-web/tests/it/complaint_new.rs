//! 登记投诉 through HTTP: the street records a hotline complaint for a compound of its area,
//! the company sees it at once; an empty complaint comes back with what was typed; another
//! street's compound and a company's account are refused.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";

both_engines!(the_street_records_a_hotline_complaint);
async fn the_street_records_a_hotline_complaint(t: &TestApp) {
    let all = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("all");
    let c = crate::support::served_compound(t, STREET).await;
    let elsewhere = all
        .iter()
        .find(|c| c.compound.street != STREET)
        .expect("other");
    let s = user_session(t, "li", Role::Street, UserScope::Region(STREET)).await;
    let list = t.get_as(&s, "/complaints").await;
    assert!(
        list.body.contains("href=\"/complaints/new\""),
        "the list links 登记投诉"
    );
    let r = t.get_as(&s, "/complaints/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        !r.body.contains(&elsewhere.compound.name),
        "only the street's compounds are offered"
    );
    let form = |compound: i64, text: &str| {
        format!(
            "csrf={}&compound={compound}&source=hotline_12345&category={}&text={}&received_on={}&contact=",
            s.csrf,
            enc("维修"),
            enc(text),
            t.state.app.today()
        )
    };
    let r = t
        .post_form(Some(&s), "/complaints/new", &form(c.id, ""))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"refused\""), "{}", r.body);
    assert!(
        r.body
            .contains(&format!("<option value=\"{}\" selected>", c.id)),
        "the compound chosen is kept"
    );
    let r = t
        .post_form(
            Some(&s),
            "/complaints/new",
            &form(c.id, "3号楼电梯停运两天"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/complaints/"), "{}", r.location());
    let page = t.get_as(&s, r.location()).await;
    assert!(page.body.contains("3号楼电梯停运两天"), "{}", page.body);
    assert!(page.body.contains("12345热线"), "the source in words");
    // The compound's company sees it at once.
    let co = user_session(
        t,
        "wuye",
        Role::Company,
        UserScope::Company(c.compound.company.as_deref().expect("co")),
    )
    .await;
    assert!(
        t.get_as(&co, "/complaints")
            .await
            .body
            .contains("3号楼电梯停运两天")
    );
    assert_eq!(
        t.get_as(&co, "/complaints/new").await.status,
        StatusCode::FORBIDDEN
    );
    // Another street's compound is not the street's to record.
    let r = t
        .post_form(
            Some(&s),
            "/complaints/new",
            &form(elsewhere.id, "别处的投诉"),
        )
        .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status
    );
}
