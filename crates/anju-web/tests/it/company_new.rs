//! 登记物业企业 through HTTP: the housing authority registers a company (a bad credit code is
//! refused naming the field, what was typed kept); a street's account may not.

use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

both_engines!(the_housing_authority_registers_a_company);
async fn the_housing_authority_registers_a_company(t: &TestApp) {
    let ha = user_session(t, "zhujian", Role::HousingAuthority, UserScope::None).await;
    let list = t.get_as(&ha, "/companies").await;
    assert!(
        list.body.contains("href=\"/companies/new\""),
        "the list links 登记物业企业"
    );
    let form = |name: &str, code: &str| {
        format!(
            "csrf={}&name={}&credit_code={}&contact_person={}&phone=0475-1234567",
            ha.csrf,
            enc(name),
            enc(code),
            enc("王经理")
        )
    };
    let r = t
        .post_form(
            Some(&ha),
            "/companies/new",
            &form("安居示范物业有限公司", "91350100M000100Y4X"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("统一社会信用代码"), "{}", r.body);
    assert!(
        r.body.contains("value=\"安居示范物业有限公司\""),
        "what was typed is kept"
    );
    let r = t
        .post_form(
            Some(&ha),
            "/companies/new",
            &form("安居示范物业有限公司", "91350100M000100Y43"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/companies/"), "{}", r.location());
    let page = t.get_as(&ha, r.location()).await;
    assert!(page.body.contains("安居示范物业有限公司"), "{}", page.body);
    let street = user_session(t, "li", Role::Street, UserScope::Region("大沁他拉街道")).await;
    assert_eq!(
        t.get_as(&street, "/companies/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !t.get_as(&street, "/companies")
            .await
            .body
            .contains("href=\"/companies/new\"")
    );
}
