//! 物业管理区域 through HTTP: the street officer sees seed 004's 77 unmanaged compounds proposed
//! as areas of about 200 households with the planner's reasons, accepts them into the ledger,
//! and sees them listed; a target that is not a number is named; a community officer reads
//! the areas but may not accept (its post is refused, the street's areas untouched); another
//! street's officer is refused.

use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const A: &str = "大沁他拉街道";

both_engines!(a_street_plans_and_accepts_its_management_areas);
async fn a_street_plans_and_accepts_its_management_areas(t: &TestApp) {
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(A)).await;
    let r = t.get_as(&s, "/ledger").await;
    assert!(r.body.contains("href=\"/areas\""), "the ledger links it");
    let r = t.get_as(&s, "/areas").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("77 个无物业小区"),
        "the street's only street is chosen: {}",
        r.body
    );
    assert!(r.body.contains("尚未确定管理区域"));
    let areas = r.body.matches("<details class=\"area\">").count();
    assert!((14..=20).contains(&areas), "about 17 areas: {areas}");
    assert!(r.body.contains("id=\"accept-form\""));
    let r = t
        .get_as(
            &s,
            &format!("/areas?street={}&target=二百", crate::support::enc(A)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("目标户数：“二百”不是整数"), "{}", r.body);
    let r = t
        .post_form(
            Some(&s),
            "/areas",
            &format!(
                "csrf={}&street={}&target=200",
                s.csrf,
                crate::support::enc(A)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(&format!("已写入台账：新建 {areas} 个区域")),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("大沁他拉街道第1物业管理区域</td>"),
        "the accepted areas are listed: {}",
        r.body
    );
    // A community officer reads them but may not accept.
    let all = t
        .store
        .list_compounds(&anju_store::CompoundFilter {
            street: Some(A.into()),
            ..Default::default()
        })
        .await
        .expect("compounds");
    let community = all[0].compound.community.clone().expect("community");
    let cm = user_session(t, "shequ", Role::Community, UserScope::Region(&community)).await;
    let r = t
        .get_as(&cm, &format!("/areas?street={}", crate::support::enc(A)))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("第1物业管理区域"));
    assert!(
        !r.body.contains("id=\"accept-form\""),
        "a community's account is not offered the acceptance"
    );
    let before = t.store.management_areas(A).await.expect("areas");
    let r = t
        .post_form(
            Some(&cm),
            "/areas",
            &format!(
                "csrf={}&street={}&target=50",
                cm.csrf,
                crate::support::enc(A)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        t.store.management_areas(A).await.expect("areas"),
        before,
        "the street's areas are untouched"
    );
    // Another street's officer is refused this street.
    let o = user_session(t, "other", Role::Street, UserScope::Region("山城街道")).await;
    let r = t
        .get_as(&o, &format!("/areas?street={}", crate::support::enc(A)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
