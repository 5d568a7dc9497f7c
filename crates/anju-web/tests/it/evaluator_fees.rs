//! 第三方测评经费 in the browser (issue 15 item 3, seed 001 三（四）"第三方评价机构活动经费由市级财政
//! 负担"): finance records what the city paid a commissioned evaluator; an evaluator never
//! commissioned, a day ahead and a non-amount are refused with what was typed kept; the housing
//! authority reads the payments without the form; a company may not open the page.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

both_engines!(finance_records_an_evaluators_fee_in_the_browser);
async fn finance_records_an_evaluators_fee_in_the_browser(t: &TestApp) {
    let c = crate::support::served_compound(t, "大沁他拉街道").await;
    let admin = anju_store::Actor::new("住建局", "housing_authority");
    t.store
        .assign_evaluator(&admin, "蓝海测评", c.id)
        .await
        .expect("commissioned");
    let cz = user_session(t, "cz", Role::Finance, UserScope::None).await;
    let r = t.get_as(&cz, "/funding").await;
    assert!(r.body.contains("id=\"evaluator-fees-link\""), "{}", r.body);
    let url = "/funding/evaluator-fees";
    let r = t.get_as(&cz, url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<option value=\"蓝海测评\""), "{}", r.body);
    let post = |who: &str, amount: &str, on: &str| {
        format!(
            "csrf={}&evaluator={}&period=2026&amount={}&paid_on={on}&note={}",
            cz.csrf,
            enc(who),
            enc(amount),
            enc("2026 年度测评合同")
        )
    };
    let r = t
        .post_form(Some(&cz), url, &post("无名机构", "12,000", "2026-11-30"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("尚未受委托"), "{}", r.body);
    let r = t
        .post_form(Some(&cz), url, &post("蓝海测评", "一万", "2026-11-30"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("value=\"一万\""), "{}", r.body);
    let r = t
        .post_form(Some(&cz), url, &post("蓝海测评", "12,000", "2099-01-01"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t
        .post_form(Some(&cz), url, &post("蓝海测评", "12,000.50", "2026-11-30"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let zj = user_session(t, "zj", Role::HousingAuthority, UserScope::None).await;
    let r = t.get_as(&zj, url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("12,000.50 元"), "{}", r.body);
    assert!(r.body.contains("市级财政"), "{}", r.body);
    assert!(!r.body.contains("id=\"fee-form\""), "{}", r.body);
    let company = c.compound.company.clone().expect("company");
    let co = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    assert_eq!(t.get_as(&co, url).await.status, StatusCode::FORBIDDEN);
    let fees = t.store.evaluator_fees().await.expect("fees");
    assert_eq!(fees.len(), 1);
    assert_eq!(fees[0].amount, anju_core::Fen(1_200_050));
    assert_eq!(fees[0].compounds, 1);
}
