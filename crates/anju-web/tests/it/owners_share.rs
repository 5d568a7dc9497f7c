//! 业委会经费分成 in the browser (issue 15 item 8): a street officer records the share agreed
//! for a compound's owners' body; outside 6–10 % it is refused with what was typed kept; the
//! public accounts then use the agreed share; a compound without an owners' body has no form.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";

both_engines!(a_street_records_the_owners_share_in_the_browser);
async fn a_street_records_the_owners_share_in_the_browser(t: &TestApp) {
    let all = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("compounds");
    let with_body = all
        .iter()
        .find(|c| c.compound.street == STREET && c.compound.owners_body.exists())
        .expect("a compound with an owners' body");
    let without = all
        .iter()
        .find(|c| c.compound.street == STREET && !c.compound.owners_body.exists())
        .expect("a compound without one");
    let officer = user_session(t, "jiedao", Role::Street, UserScope::Region(STREET)).await;
    let page = t
        .get_as(&officer, &format!("/compounds/{}", with_body.id))
        .await;
    assert!(
        page.body.contains(&format!(
            "href=\"/compounds/{}/owners-share\"",
            with_body.id
        )),
        "the compound page links the share"
    );
    let url = format!("/compounds/{}/owners-share", with_body.id);
    let r = t.get_as(&officer, &url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("尚未登记约定比例"), "{}", r.body);
    let post = |percent: &str| {
        format!(
            "csrf={}&percent={}&agreed_on=2026-01-10&note={}",
            officer.csrf,
            enc(percent),
            enc("业主大会决议")
        )
    };
    for bad in ["5.99", "10.01", "八"] {
        let r = t.post_form(Some(&officer), &url, &post(bad)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        assert!(r.body.contains(&format!("value=\"{bad}\"")), "{}", r.body);
    }
    let r = t.post_form(Some(&officer), &url, &post("7.5%")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&officer, &url).await;
    assert!(r.body.contains("约定比例 7.5%"), "{}", r.body);
    assert!(r.body.contains("业主大会决议"), "{}", r.body);
    // The statement reads the agreed share, not the default.
    let st = t
        .store
        .account_statement(with_body.id, "2026H1", rust_decimal::Decimal::TEN)
        .await
        .expect("statement");
    assert!(st.owners_share_agreed);
    assert_eq!(
        st.totals.owners_share_percent,
        rust_decimal::Decimal::new(75, 1)
    );
    // No owners' body: the page says so and its form cannot be sent.
    let r = t
        .get_as(&officer, &format!("/compounds/{}/owners-share", without.id))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("尚未成立业主委员会"), "{}", r.body);
    assert!(r.body.contains("id=\"no-body\""), "{}", r.body);
    assert!(r.body.contains("<fieldset disabled>"), "{}", r.body);
}
