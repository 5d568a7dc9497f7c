//! /signals through HTTP: 403 for street and company users; the auditor sees a planted signal
//! (the same compound entered twice under another name at the same address) with its evidence
//! and a link to the compound; the filter by kind narrows the list.

use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use anju_store::Actor;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";

both_engines!(signals_for_auditor_and_housing_authority_only);
async fn signals_for_auditor_and_housing_authority_only(t: &TestApp) {
    let store = &t.store;
    // Plant a twin: a demo compound of the street under a new name at the same address.
    let mut twin = anju_demo::demo_ledger()
        .into_iter()
        .find(|c| c.street == STREET && c.address.as_deref().is_some_and(|a| !a.is_empty()))
        .expect("a compound with an address");
    let original = twin.name.clone();
    twin.name = format!("{original}二期（重录）");
    store
        .apply_ledger(
            &Actor::new("test", "admin"),
            &[twin.clone()],
            jiff::civil::date(2026, 11, 22),
        )
        .await
        .expect("twin");
    let twin_id = store
        .list_compounds(&Default::default())
        .await
        .expect("list")
        .into_iter()
        .find(|c| c.compound.name == twin.name)
        .expect("twin stored")
        .id;

    let company = store
        .list_companies()
        .await
        .expect("companies")
        .into_iter()
        .next()
        .expect("company");
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    let co = user_session(t, "co", Role::Company, UserScope::Company(&company.name)).await;
    let sj = user_session(t, "sj", Role::Auditor, UserScope::None).await;
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::None).await;
    assert_eq!(
        t.get_as(&jd, "/signals").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get_as(&co, "/signals").await.status,
        StatusCode::FORBIDDEN
    );

    let r = t
        .get_as(&sj, "/signals?kind=duplicate_compound&street=%E5%A4%A7%E6%B2%81%E4%BB%96%E6%8B%89%E8%A1%97%E9%81%93")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("疑似重复小区"), "{}", r.body);
    assert!(r.body.contains(&twin.name), "{}", r.body);
    assert!(
        r.body.contains(&format!("/compounds/{twin_id}\"")),
        "{}",
        r.body
    );
    // Another kind only: the twin is not listed.
    let r = t.get_as(&sj, "/signals?kind=self_assessment").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(&twin.name));
    // The housing authority sees it too, in English on request.
    let r = t
        .get_as(&zj, "/signals?kind=duplicate_compound&lang=en")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&twin.name), "{}", r.body);
}
