//! The maintenance fund through the pages (issue 19 item 4): 住建 deposits, the street applies for
//! a use, the owners carry it by more than half of the participating area and owners, 住建
//! approves it (not before the vote) and pays it (not beyond the balance), and the resident's
//! public page shows the balance and the use paid. A vote to raise the fund at two thirds (under
//! three quarters) does not carry, and a deposit citing it as 续筹 is refused.

use crate::access_matrix::{STREET_A, world};
use crate::support::{Session, TestApp, UserScope, both_engines, enc, user_session};
use crate::votes::{REGISTER, cast, close, import, open, tokens};
use anju_core::access::Role;
use axum::http::StatusCode;

fn version_of_use(html: &str, use_id: i64) -> String {
    let card = &html[html
        .find(&format!("id=\"use-{use_id}\""))
        .expect("the use's card")..];
    let at = card
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    card[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

pub(crate) async fn step(
    t: &TestApp,
    s: &Session,
    compound: i64,
    use_id: i64,
    fields: &str,
) -> crate::support::Res {
    let page = t.get_as(s, &format!("/compounds/{compound}/fund")).await;
    let v = version_of_use(&page.body, use_id);
    t.post_form(
        Some(s),
        &format!("/fund-uses/{use_id}/step"),
        &format!(
            "csrf={}&version={v}&date={}&{fields}",
            s.csrf,
            t.state.app.today()
        ),
    )
    .await
}

both_engines!(a_use_carried_by_the_owners_is_approved_and_paid);
async fn a_use_carried_by_the_owners_is_approved_and_paid(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "f_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let zj = user_session(t, "f_zj", Role::HousingAuthority, UserScope::None).await;
    let compound = w.inside.compound.id;
    let today = t.state.app.today();
    assert_eq!(
        import(t, &street, compound, REGISTER).await.status,
        StatusCode::OK
    );
    // A deposit dated tomorrow is refused (EventDate::FundStep).
    let r = t
        .post_form(
            Some(&zj),
            &format!("/compounds/{compound}/fund/deposit"),
            &format!(
                "csrf={}&amount=100&date={}",
                zj.csrf,
                today.tomorrow().expect("tomorrow")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("缴存日期"), "{}", r.body);
    // 住建 deposits 100,000.00 元.
    let r = t
        .post_form(
            Some(&zj),
            &format!("/compounds/{compound}/fund/deposit"),
            &format!(
                "csrf={}&amount=100%2C000.00&date={today}&note={}",
                zj.csrf,
                enc("首期归集")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The street may not deposit.
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/fund/deposit"),
            &format!("csrf={}&amount=1&date={today}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The street applies for a use; a bad amount keeps what was typed.
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/fund/uses"),
            &format!(
                "csrf={}&title={}&cost=abc&date={today}",
                street.csrf,
                enc("更换2号楼电梯")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("预算金额"), "{}", r.body);
    assert!(r.body.contains("更换2号楼电梯"), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/fund/uses"),
            &format!(
                "csrf={}&title={}&cost=80000&quotes={}&date={today}",
                street.csrf,
                enc("更换2号楼电梯"),
                enc("甲电梯公司 80,000.00；乙电梯公司 86,500.00")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let use_id = t.store.fund_account(compound).await.expect("fund").uses[0].id;
    // The owners' vote: five of six take part (450.00 of 550.00 ㎡); three (300.00 ㎡) for,
    // one against, one abstains: more than half of both.
    let vote = open(
        t,
        &street,
        compound,
        &format!(
            "matter=use_fund&closes_on={today}&question={}",
            enc("使用维修资金80,000.00元更换2号楼电梯")
        ),
    )
    .await;
    let links = tokens(t, vote).await;
    let by_unit = |u: &str| links.iter().find(|(x, ..)| x == u).expect("unit").2.clone();
    for (unit, choice) in [
        ("1-1-101", "o1"),
        ("1-1-102", "o1"),
        ("1-1-201", "o1"),
        ("1-1-202", "against"),
        ("1-1-302", "abstain"),
    ] {
        assert_eq!(cast(t, &by_unit(unit), choice).await.status, StatusCode::OK);
    }
    assert_eq!(close(t, &street, vote).await.status, StatusCode::SEE_OTHER);
    // 住建 cannot approve before the vote is recorded on the use.
    let r = step(t, &zj, compound, use_id, "step=approve").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("须先经业主表决通过"), "{}", r.body);
    let u = t.store.get_fund_use(use_id).await.expect("use");
    assert_eq!(u.status, "applied");
    let r = step(
        t,
        &street,
        compound,
        use_id,
        &format!("step=vote&vote_id={vote}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = step(t, &zj, compound, use_id, "step=approve").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // More than the cost is refused; the cost is paid.
    let r = step(t, &zj, compound, use_id, "step=pay&amount=80000.01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("超过申请金额"), "{}", r.body);
    let r = step(t, &zj, compound, use_id, "step=pay&amount=80%2C000.00").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get_as(&street, &format!("/compounds/{compound}/fund"))
        .await;
    assert!(page.body.contains("20,000.00 元"), "{}", page.body);
    assert!(page.body.contains("已拨付"), "{}", page.body);
    // The resident's public page.
    let public = t.get(&format!("/p/{}", w.inside.key)).await;
    assert!(public.body.contains("专项维修资金"), "{}", public.body);
    assert!(public.body.contains("余额 20,000.00 元"), "{}", public.body);
    assert!(public.body.contains("更换2号楼电梯"), "{}", public.body);
}

both_engines!(raising_the_fund_at_two_thirds_is_refused);
async fn raising_the_fund_at_two_thirds_is_refused(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "f_jd2", Role::Street, UserScope::Region(STREET_A)).await;
    let zj = user_session(t, "f_zj2", Role::HousingAuthority, UserScope::None).await;
    let compound = w.inside.compound.id;
    let today = t.state.app.today();
    assert_eq!(
        import(t, &street, compound, REGISTER).await.status,
        StatusCode::OK
    );
    let vote = open(
        t,
        &street,
        compound,
        &format!(
            "matter=raise_fund&closes_on={today}&question={}",
            enc("每户按每平方米30元续筹维修资金")
        ),
    )
    .await;
    // All six take part; four (400.00 of 550.00 ㎡) agree: 2/3 of the owners and 72.73 % of
    // the area, under three quarters.
    for (i, (_, _, tok)) in tokens(t, vote).await.iter().enumerate() {
        let choice = if i < 4 && !tok.is_empty() {
            "o1"
        } else {
            "against"
        };
        assert_eq!(cast(t, tok, choice).await.status, StatusCode::OK);
    }
    assert_eq!(close(t, &street, vote).await.status, StatusCode::SEE_OTHER);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(page.body.contains("表决未通过"), "{}", page.body);
    assert!(page.body.contains("四分之三"), "{}", page.body);
    let r = t
        .post_form(
            Some(&zj),
            &format!("/compounds/{compound}/fund/deposit"),
            &format!("csrf={}&amount=16500&date={today}&vote_id={vote}", zj.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("表决未通过"), "{}", r.body);
    assert!(
        t.store
            .fund_account(compound)
            .await
            .expect("fund")
            .entries
            .is_empty()
    );
}
