//! An owners' body member's account (issue 19: 业主委员会 or 物业管理委员会 in the browser). The
//! administrator adds it on /users — refused without its compound, naming the field and keeping
//! what was typed — and the member signs in to the compound's page as their 工作台. The member
//! reads their compound and no other (not even the other compounds of the street), the file of
//! the company serving it and no other company's, none of the street's selections; runs the
//! owners' register and a vote on using the maintenance fund, applies for the use and cites the
//! carried vote; approval, payment and deposits stay with 住建, and the officials' tasks and
//! referrals are not theirs.

use crate::access_matrix::world;
use crate::fund::step;
use crate::support::{TestApp, UserScope, both_engines, enc, login, user_session};
use crate::votes::{REGISTER, cast, close, import, open, tokens};
use anju_core::access::Role;
use axum::http::StatusCode;

const PASSWORD: &str = "Yezhu-Weiyuan-2026";

both_engines!(an_owners_body_member_works_for_its_compound_only);
async fn an_owners_body_member_works_for_its_compound_only(t: &TestApp) {
    let w = world(t).await;
    let admin = user_session(t, "obm_root", Role::Admin, UserScope::None).await;
    let compound = w.inside.compound.id;
    let name = w.inside.compound.compound.name.clone();
    let today = t.state.app.today();

    // The account: without its compound refused, naming the field, what was typed kept.
    let add = |extra: &str| {
        format!(
            "csrf={}&username=yzh_wang&display_name={}&password={PASSWORD}&role=owners_body{extra}",
            admin.csrf,
            enc("王主任")
        )
    };
    let r = t.post_form(Some(&admin), "/users", &add("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("所在小区"), "{}", r.body);
    assert!(r.body.contains("yzh_wang"), "typed kept: {}", r.body);
    let r = t
        .post_form(Some(&admin), "/users", &add("&compound=不存在的小区"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("找不到小区"), "{}", r.body);
    let r = t
        .post_form(
            Some(&admin),
            "/users",
            &add(&format!("&compound={}", enc(&name))),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = t.get_as(&admin, "/users").await;
    let card = &list.body[list.body.find("id=\"user-yzh_wang\"").expect("the card")..];
    assert!(card[..400.min(card.len())].contains(&name), "{card}");

    // Signed in, the 工作台 is the compound's page; the navigation offers what is theirs.
    let m = login(t, "yzh_wang", PASSWORD).await;
    let r = t.get_as(&m, "/dashboard").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/compounds/{compound}"));
    let page = t.get_as(&m, &format!("/compounds/{compound}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("本小区"), "{}", page.body);
    assert!(!page.body.contains("href=\"/tasks\""), "{}", page.body);
    for other in [w.outside.compound.id, w.inside.contract_compound] {
        let r = t.get_as(&m, &format!("/compounds/{other}")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{other}: {}", r.body);
        let r = t
            .get_as(&m, &format!("/api/v1/compounds/{other}/fund"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{other}: {}", r.body);
    }
    let ledger = t.get_as(&m, "/api/v1/compounds").await;
    assert_eq!(ledger.status, StatusCode::OK, "{}", ledger.body);
    let rows = ledger.json();
    let ids: Vec<i64> = rows
        .as_array()
        .or_else(|| rows["items"].as_array())
        .expect("a list")
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![compound], "{rows}");
    // The file of the company serving it, not another's; the street's selections are not its.
    let r = t
        .get_as(&m, &format!("/companies/{}", w.inside.company))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .get_as(&m, &format!("/companies/{}", w.outside.company))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.get_as(&m, "/selections").await;
    assert!(!r.body.contains("矩阵遴选"), "{}", r.body);
    let r = t.get_as(&m, "/api/v1/referrals").await;
    assert!(
        r.status == StatusCode::FORBIDDEN || !r.body.contains(&name),
        "{}",
        r.body
    );

    // The register and a vote on using the fund, run by the member.
    assert_eq!(
        import(t, &m, compound, REGISTER).await.status,
        StatusCode::OK
    );
    let vote = open(
        t,
        &m,
        compound,
        &format!(
            "matter=use_fund&closes_on={today}&question={}",
            enc("使用维修资金6,000.00元维修单元门禁")
        ),
    )
    .await;
    let links = tokens(t, vote).await;
    for (i, (_, _, tok)) in links.iter().enumerate() {
        let choice = if i < 4 { "o1" } else { "against" };
        assert_eq!(cast(t, tok, choice).await.status, StatusCode::OK);
    }
    assert_eq!(close(t, &m, vote).await.status, StatusCode::SEE_OTHER);

    // The use applied for and the carried vote cited by the member.
    let r = t
        .post_form(
            Some(&m),
            &format!("/compounds/{compound}/fund/uses"),
            &format!(
                "csrf={}&title={}&cost=6000&date={today}",
                m.csrf,
                enc("维修单元门禁")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let use_id = t.store.fund_account(compound).await.expect("fund").uses[0].id;
    let r = step(
        t,
        &m,
        compound,
        use_id,
        &format!("step=vote&vote_id={vote}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let u = t.store.get_fund_use(use_id).await.expect("use");
    assert_eq!(u.status, "voted");

    // 住建's steps are not the member's.
    let r = t
        .post_form(
            Some(&m),
            &format!("/fund-uses/{use_id}/step"),
            &format!(
                "csrf={}&version={}&date={today}&step=approve",
                m.csrf, u.version
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t
        .post_form(
            Some(&m),
            &format!("/compounds/{compound}/fund/deposit"),
            &format!("csrf={}&amount=100&date={today}", m.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t
        .get_as(&m, &format!("/api/v1/tasks?compound_id={compound}"))
        .await;
    assert!(
        r.status == StatusCode::FORBIDDEN || !r.body.contains("矩阵任务"),
        "{}",
        r.body
    );
}
