//! 预算测算 on the web: the CLI's projection over the viewer's compounds, a number worked by
//! hand, the comparison, the xlsx, refusals naming the field, and who may use it.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use anju_core::{Area, Compound, ManagementMode};
use anju_store::Actor;
use axum::http::StatusCode;

/// Two target compounds in a street of their own (区 测算区), as in anju-policy's
/// `liaocheng_by_hand`: 甲 5,000.01 ㎡ 无物业, 乙 8,000 ㎡ 自管, and a managed one not counted.
async fn east_street(t: &TestApp) {
    let mk = |name: &str, centi: i64, mode: ManagementMode| {
        let mut c = Compound::new(name, "测算街道", mode);
        c.district = Some("测算区".into());
        c.area = Some(Area::from_centi(centi));
        c.households = Some(96);
        c.built_year = Some(1997);
        c
    };
    let mut managed = mk("丙小区", 1_000_000, ManagementMode::Professional);
    managed.company = Some("东城物业有限公司".into());
    t.store
        .apply_ledger(
            &Actor::new("test", "admin"),
            &[
                mk("甲小区", 500_001, ManagementMode::None),
                mk("乙小区", 800_000, ManagementMode::SelfManaged),
                managed,
            ],
            jiff::civil::date(2026, 11, 22),
        )
        .await
        .expect("ledger");
}

const LIAOCHENG: &str = "policy=liaocheng-2021&start_year=2027&years=3&term_years=3&score=85&collection_rate=85%25&coverage=2027%3A50%25%2C2028%3A100%25";

both_engines!(the_budget_page_projects_like_the_cli);
async fn the_budget_page_projects_like_the_cli(t: &TestApp) {
    east_street(t).await;
    let finance = user_session(t, "caizheng", Role::Finance, UserScope::None).await;
    let street = format!("&street={}", enc("测算街道"));
    // Liaocheng, worked by hand (anju-policy projection::tests::liaocheng_by_hand): 甲 signs
    // 2027-01-01: 5,000.01 × 0.4 × 12 × 0.9 = 21,600.04; 2028 adds 乙: 16,200.03 + 8,000 ×
    // 0.4 × 12 × 0.9 = 34,560.00 → 50,760.03; 2029: 10,800.02 + the 10 % released 5,400.00 +
    // 25,920.00 → 42,120.02; total 114,480.09 元, all from the district budget.
    let r = t
        .get_as(&finance, &format!("/budget?{LIAOCHENG}{street}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for figure in ["21,600.04", "50,760.03", "42,120.02", "114,480.09"] {
        assert!(r.body.contains(figure), "{figure}: {}", r.body);
    }
    assert!(r.body.contains("已有物业管理的 1 个不计"), "{}", r.body);
    assert!(r.body.contains("测算期后同一批合同仍需支付 25,920.00 元"));
    // The form keeps what was typed.
    assert!(
        r.body.contains("value=\"2027:50%,2028:100%\""),
        "{}",
        r.body
    );
    // English on request.
    let r = t
        .get_as(&finance, &format!("/budget?{LIAOCHENG}{street}&lang=en"))
        .await;
    assert!(r.body.contains("Budget projection") && r.body.contains("114,480.09"));
    // Two policies side by side: Yantai pays nothing on a 3-year term (only > 10 years).
    let r = t
        .get_as(
            &finance,
            &format!("/budget?{LIAOCHENG}{street}&compare=yantai-2022&fee=0.80"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("-114,480.09"), "the difference: {}", r.body);
    // The xlsx download of the same table.
    let x = t
        .get_as(&finance, &format!("/budget/xlsx?{LIAOCHENG}{street}"))
        .await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    assert!(
        x.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("spreadsheetml"))
    );
    // Bad input names the field and keeps it.
    let r = t
        .get_as(
            &finance,
            &format!(
                "/budget?policy=liaocheng-2021&coverage={}{street}",
                enc("2028:60%,2027:100%")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("覆盖进度（coverage）："), "{}", r.body);
    assert!(r.body.contains("value=\"2028:60%,2027:100%\""));
    let r = t
        .get_as(
            &finance,
            &format!("/budget?policy=liaocheng-2021&years=三{street}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("测算年数（years）"), "{}", r.body);
    let r = t
        .get_as(
            &finance,
            &format!("/budget?policy=shanting-2020&score=90{street}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("尚无取值"),
        "Shanting's amounts are not set: {}",
        r.body
    );
    // A district's housing authority projects only its own district: 测算街道 is not there.
    let naiman = user_session(
        t,
        "naiman_ha",
        Role::HousingAuthority,
        UserScope::Region("奈曼旗"),
    )
    .await;
    let r = t
        .get_as(&naiman, &format!("/budget?{LIAOCHENG}{street}"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("您的管辖范围内没有这些小区"), "{}", r.body);
    assert!(!r.body.contains("114,480.09"));
    // A street office and a company may not use it.
    let s = user_session(t, "jd_b", Role::Street, UserScope::Region("大沁他拉街道")).await;
    assert_eq!(t.get_as(&s, "/budget").await.status, StatusCode::FORBIDDEN);
}
