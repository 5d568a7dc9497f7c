//! 物业费收缴 and 收支公示 entered in the browser by the compound's company: a month entered,
//! refused when it is there already unless replaced, a future month and a non-amount refused
//! naming the field with what was typed kept; a spending line needs its category; the street
//! may read the figures on the compound page but not enter them.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";

both_engines!(a_company_enters_fees_and_public_accounts_in_the_browser);
async fn a_company_enters_fees_and_public_accounts_in_the_browser(t: &TestApp) {
    let c = crate::support::served_compound(t, STREET).await;
    let company = c.compound.company.clone().expect("company");
    let co = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let page = t.get_as(&co, &format!("/compounds/{}", c.id)).await;
    assert!(
        page.body
            .contains(&format!("href=\"/compounds/{}/fees\"", c.id)),
        "the compound page links the fee form"
    );
    assert!(
        page.body
            .contains(&format!("href=\"/compounds/{}/accounts\"", c.id)),
        "and the accounts form"
    );
    let fees = format!("/compounds/{}/fees", c.id);
    let r = t.get_as(&co, &fees).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let post = |month: &str, billed: &str, collected: &str, replace: bool| {
        format!(
            "csrf={}&month={}&billed={}&collected={}{}",
            co.csrf,
            enc(month),
            enc(billed),
            enc(collected),
            if replace { "&replace=1" } else { "" }
        )
    };
    let r = t
        .post_form(
            Some(&co),
            &fees,
            &post("2026-11", "12,000.00", "9600.5", false),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&co, &fees).await;
    assert!(
        r.body.contains("12,000.00 元") && r.body.contains("9,600.50 元"),
        "{}",
        r.body
    );
    assert!(r.body.contains("80.0%"), "the rate: {}", r.body);
    // The same month again: refused, repeating what is there; replaced when ticked.
    let r = t
        .post_form(
            Some(&co),
            &fees,
            &post("2026-11", "13,000", "13,000", false),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("2026-11 已登记（应收 12,000.00"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"13,000\""),
        "what was typed is kept"
    );
    let r = t
        .post_form(Some(&co), &fees, &post("2026-11", "13,000", "13,000", true))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let months = t.store.fee_months(c.id, None).await.expect("months");
    assert_eq!(months.len(), 1);
    assert_eq!(months[0].billed, anju_core::Fen(1_300_000));
    // A month not yet over, and a word for an amount.
    let r = t
        .post_form(Some(&co), &fees, &post("2027-03", "1", "1", false))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("月份"), "{}", r.body);
    let r = t
        .post_form(Some(&co), &fees, &post("2026-10", "一万", "1", false))
        .await;
    assert!(r.body.contains("应收：“一万”不是金额"), "{}", r.body);

    // Public accounts: spending needs its category.
    let accounts = format!("/compounds/{}/accounts", c.id);
    let line = |kind: &str, category: &str, amount: &str| {
        format!(
            "csrf={}&period=2026-11&kind={kind}&category={}&amount={}&note=",
            co.csrf,
            enc(category),
            enc(amount)
        )
    };
    let r = t
        .post_form(Some(&co), &accounts, &line("spending", "", "3000"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("支出类别"), "{}", r.body);
    let r = t
        .post_form(Some(&co), &accounts, &line("spending", "保洁", "3,000.00"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .post_form(Some(&co), &accounts, &line("income_fees", "", "13,000"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&co, &format!("{accounts}?period=2026-11")).await;
    assert!(r.body.contains("保洁"), "{}", r.body);
    assert!(r.body.contains("结余 10,000.00 元"), "{}", r.body);

    // The street reads them on the compound page, but enters nothing.
    let street = user_session(t, "li", Role::Street, UserScope::Region(STREET)).await;
    assert_eq!(t.get_as(&street, &fees).await.status, StatusCode::FORBIDDEN);
    let page = t.get_as(&street, &format!("/compounds/{}", c.id)).await;
    assert!(
        !page
            .body
            .contains(&format!("href=\"/compounds/{}/fees\"", c.id))
    );
}
