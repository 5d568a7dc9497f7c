//! The web application through HTTP requests (no socket: `oneshot`).
//!
//! `support` holds the shared helpers (`TestApp`, `create_user`, `login`, `both_engines!`);
//! `auth` the login, session, CSRF and scope tests.

mod support;

mod access_matrix;
mod account;
mod api;
mod api_fund;
mod api_org;
mod api_owners_bodies;
mod api_renovation;
mod api_schemas;
mod api_votes;
mod app_rules;
mod areas_web;
mod audit_view;
mod auth;
mod body_errors;
mod browser_errors;
mod budget_web;
mod companies;
mod company_new;
mod complaint_new;
mod complaints_web;
mod compound_edit;
mod compound_modes;
mod compound_money;
mod compound_page;
mod contracts_web;
mod corrections;
mod credit_consequences;
mod dashboard;
mod edges;
mod evaluator_fees;
mod fees_import;
mod filings;
mod fund;
mod funding_web;
mod guard;
mod holidays_web;
mod inspect;
mod ledger_page;
mod map_web;
mod nav;
mod notices;
mod organisation;
mod owners_bodies;
mod owners_body_member;
mod owners_share;
mod party;
mod referrals;
mod renovation;
mod reports_web;
mod resident;
mod signals_web;
mod surveys_web;
mod use_cases;
mod users;
mod votes;
mod workflow;

use anju_core::access::Role;
use axum::http::StatusCode;
use support::{TestApp, UserScope, user_session};

async fn admin(t: &TestApp) -> support::Session {
    user_session(t, "admin", Role::Admin, UserScope::None).await
}

#[tokio::test]
async fn ledger_page_shows_coverage_and_compounds_in_chinese() {
    let t = TestApp::with_demo().await;
    let s = admin(&t).await;
    let r = t
        .get_as(
            &s,
            "/ledger?street=%E5%A4%A7%E6%B2%81%E4%BB%96%E6%8B%89%E8%A1%97%E9%81%93",
        )
        .await;
    let html = r.body;
    assert_eq!(r.status, StatusCode::OK);
    assert!(html.contains("小区台账"), "title");
    assert!(html.contains("演示数据"), "demo banner");
    assert!(html.contains("<b>151</b>"), "151 compounds card");
    assert!(
        html.contains("<b>3,796</b>") || html.contains("大沁他拉街道"),
        "street rows"
    );
    assert!(
        html.contains("1 / 4"),
        "151 rows paginate by 50 into 4 pages"
    );
    assert!(html.contains("退出登录"), "logout button");
}

#[tokio::test]
async fn ledger_page_switches_to_english_and_searches() {
    let t = TestApp::with_demo().await;
    let s = admin(&t).await;
    let r = t.get_as(&s, "/ledger?lang=en&q=%E5%8F%B0%E8%81%94").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Compound ledger"));
    assert!(
        r.body.contains("台联小区"),
        "search by name finds the Liaocheng pilot"
    );
    assert!(r.body.contains("1 / 1"));
    assert!(r.body.contains("Sign out"));
}

#[tokio::test]
async fn stats_api_matches_the_census() {
    let t = TestApp::with_demo().await;
    let s = admin(&t).await;
    let r = t
        .get_as(
            &s,
            "/api/v1/stats?street=%E5%A4%A7%E6%B2%81%E4%BB%96%E6%8B%89%E8%A1%97%E9%81%93",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["compounds"], 151);
    assert_eq!(v["unmanaged"], 77);
    assert_eq!(v["unmanaged_households"], 3796);
}

#[tokio::test]
async fn unknown_mode_is_a_clear_error_with_a_code() {
    let t = TestApp::with_demo().await;
    let s = admin(&t).await;
    let r = t.get_as(&s, "/api/v1/compounds?mode=bogus").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("\"code\":\"bad_request\"") && r.body.contains("未知的物业管理方式"),
        "{}",
        r.body
    );
}
