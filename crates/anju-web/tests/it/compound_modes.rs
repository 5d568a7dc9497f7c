//! 管理方式沿革 in the browser (issue 15 item 1): a street officer reads a compound's dated
//! modes and records the mode it had before the ledger's earliest record, with its source; a
//! start on or after that record is refused with what was typed kept; a company reads the
//! history without the form.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";

both_engines!(a_street_records_an_earlier_mode_in_the_browser);
async fn a_street_records_an_earlier_mode_in_the_browser(t: &TestApp) {
    let c = crate::support::served_compound(t, STREET).await;
    let officer = user_session(t, "jiedao", Role::Street, UserScope::Region(STREET)).await;
    let page = t.get_as(&officer, &format!("/compounds/{}", c.id)).await;
    assert!(
        page.body
            .contains(&format!("href=\"/compounds/{}/modes\"", c.id)),
        "the compound page links the mode history"
    );
    let url = format!("/compounds/{}/modes", c.id);
    let r = t.get_as(&officer, &url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("补录此前的管理方式"), "{}", r.body);
    let earliest = t.store.mode_history(c.id).await.expect("history")[0].since;
    let post = |since: &str, reason: &str| {
        format!(
            "csrf={}&version={}&mode=none&since={}&reason={}",
            officer.csrf,
            c.version,
            enc(since),
            enc(reason)
        )
    };
    // On the earliest record's own day: refused, naming it, the source kept.
    let r = t
        .post_form(
            Some(&officer),
            &url,
            &post(&earliest.to_string(), "原台账第三页"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("须早于"), "{}", r.body);
    assert!(r.body.contains("value=\"原台账第三页\""), "{}", r.body);
    // A date ahead of today: refused.
    let r = t
        .post_form(Some(&officer), &url, &post("2099-01-01", "原台账"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t
        .post_form(Some(&officer), &url, &post("1999-03-01", "1999 年街道台账"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&officer, &url).await;
    assert!(r.body.contains("1999-03-01"), "{}", r.body);
    let hist = t.store.mode_history(c.id).await.expect("history");
    assert_eq!(hist[0].since.to_string(), "1999-03-01");
    // The company reads the history, without the form.
    let company = c.compound.company.clone().expect("company");
    let co = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let r = t.get_as(&co, &url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("1999-03-01"));
    assert!(!r.body.contains("id=\"earlier-mode\""));
}
