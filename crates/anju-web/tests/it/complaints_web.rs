//! A complaint's whole course through the pages: the company finds it in its list, signs for
//! it and answers with a photo; the street records the resident's rating and closes it. A
//! refused step shows the reason with what was typed; another company's complaint is refused.

use crate::access_matrix::{STREET_A, world};
use crate::ledger_page::post_multipart;
use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R', 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
];

fn version_in(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

both_engines!(a_complaint_is_signed_answered_rated_and_closed_in_the_browser);
async fn a_complaint_is_signed_answered_rated_and_closed_in_the_browser(t: &TestApp) {
    let w = world(t).await;
    let id = w.inside.complaint;
    let dir = tempfile::tempdir().expect("tempdir");
    let company = user_session(
        t,
        "qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let street = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let page = format!("/complaints/{id}");

    // The company's list holds it, with a link to its page.
    let r = t.get_as(&company, "/complaints").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("/complaints/{id}")), "{}", r.body);
    assert!(r.body.contains(&w.inside.compound.compound.name));

    // 签收, today.
    let r = t.get_as(&company, &page).await;
    assert!(r.body.contains("id=\"sign\""), "{}", r.body);
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&company),
            &format!("{page}/sign"),
            &format!("csrf={}&version={v}", company.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&company, &page).await;
    assert!(r.body.contains("已签收"), "{}", r.body);

    // An empty answer is refused naming 答复内容, the date typed kept.
    let v = version_in(&r.body);
    let csrf = company.csrf.clone();
    let r = post_multipart(
        t,
        dir.path(),
        &company,
        &format!("{page}/answer"),
        &[
            ("csrf", &csrf),
            ("version", &v),
            ("text", "  "),
            ("date", ""),
        ],
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("答复内容"), "{}", r.body);
    // The answer with a photo.
    let r = post_multipart(
        t,
        dir.path(),
        &company,
        &format!("{page}/answer"),
        &[("csrf", &csrf), ("version", &v), ("text", "已更换楼道灯泡")],
        &[("evidence", "灯.png", PNG)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&company, &page).await;
    assert!(
        r.body.contains("已答复") && r.body.contains("已更换楼道灯泡"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("灯.png"),
        "the photo by its name: {}",
        r.body
    );
    // The company may not rate or close.
    assert!(!r.body.contains("id=\"rate\"") && !r.body.contains("id=\"close\""));
    let r = t
        .post_form(
            Some(&company),
            &format!("{page}/close"),
            &format!("csrf={}&version={v}", company.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // The street: a rating out of range is refused naming it; 4 is recorded; then 办结.
    let r = t.get_as(&street, &page).await;
    assert!(r.body.contains("id=\"rate\""), "{}", r.body);
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/rate"),
            &format!("csrf={}&version={v}&rating=9", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("评价"), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/rate"),
            &format!("csrf={}&version={v}&rating=4", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&street, &page).await;
    assert!(r.body.contains("4 / 5"), "{}", r.body);
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/close"),
            &format!("csrf={}&version={v}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&street, &page).await;
    assert!(r.body.contains("已办结"), "{}", r.body);

    // The outside complaint is not the company's, nor the street's.
    let r = t
        .get_as(&company, &format!("/complaints/{}", w.outside.complaint))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.get_as(&street, "/complaints").await;
    assert!(
        !r.body
            .contains(&format!("/complaints/{}\"", w.outside.complaint))
    );
}

both_engines!(the_street_verifies_a_complaint_in_the_browser);
/// 核实 (issue 15 item 7): the street finds a complaint substantiated or unfounded on its page;
/// a finding without what was found is refused with the choice kept; the company sees the
/// finding but has no form; only the substantiated complaint reaches the credit file.
async fn the_street_verifies_a_complaint_in_the_browser(t: &TestApp) {
    let w = world(t).await;
    let id = w.inside.complaint;
    let company = user_session(
        t,
        "qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let street = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;
    let page = format!("/complaints/{id}");
    let r = t.get_as(&street, &page).await;
    assert!(r.body.contains("未核实"), "{}", r.body);
    assert!(r.body.contains("id=\"verify\""), "{}", r.body);
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/verify"),
            &format!(
                "csrf={}&version={v}&verdict=substantiated&note=",
                street.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("核实情况"), "{}", r.body);
    assert!(
        r.body.contains("value=\"substantiated\" checked"),
        "the choice is kept: {}",
        r.body
    );
    let r = t
        .post_form(
            Some(&street),
            &format!("{page}/verify"),
            &format!(
                "csrf={}&version={v}&verdict=substantiated&note={}",
                street.csrf,
                crate::support::enc("现场查看属实")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&company, &page).await;
    assert!(r.body.contains("核实有效"), "{}", r.body);
    assert!(r.body.contains("现场查看属实"), "{}", r.body);
    assert!(!r.body.contains("id=\"verify\""), "{}", r.body);
    let r = t
        .post_form(
            Some(&company),
            &format!("{page}/verify"),
            &format!("csrf={}&version=1&verdict=unfounded&note=x", company.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let c = t.store.get_complaint(id).await.expect("complaint");
    assert_eq!(
        c.verdict,
        Some(anju_core::oversight::ComplaintVerdict::Substantiated)
    );
}
