//! A survey's whole course through the pages: a street office opens one for a compound (the
//! sampling rule chosen in words), sees its links and the QR sheet, a household answers by its
//! link, more links are issued, and the survey is closed with its result. A refused form keeps
//! what was typed; a company sees no survey form.

use crate::access_matrix::{STREET_A, world};
use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

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

both_engines!(a_survey_is_opened_answered_and_closed_in_the_browser);
async fn a_survey_is_opened_answered_and_closed_in_the_browser(t: &TestApp) {
    let w = world(t).await;
    let c = w.inside.compound.id;
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET_A)).await;

    // The form names the compound and both sampling rules in words.
    let r = t.get_as(&jd, &format!("/surveys/new?compound={c}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("大沁他拉办法") && r.body.contains("二七区办法"));
    // No rule: refused, the period typed kept.
    let r = t
        .post_form(
            Some(&jd),
            "/surveys",
            &format!("csrf={}&compound={c}&period=2024H1", jd.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("抽样办法") && r.body.contains("2024H1"),
        "{}",
        r.body
    );
    // Opened with three links.
    let r = t
        .post_form(
            Some(&jd),
            "/surveys",
            &format!(
                "csrf={}&compound={c}&period={}&rule=daqintala&tokens=3",
                jd.csrf,
                enc("2024年上半年")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().to_string();
    let r = t.get_as(&jd, &page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tokens: Vec<String> = r
        .body
        .match_indices("href=\"/s/")
        .map(|(i, _)| {
            r.body[i + 9..]
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric())
                .collect()
        })
        .collect();
    assert_eq!(tokens.len(), 3, "{}", r.body);
    assert!(
        r.body.contains("样本不足") || r.body.contains("不足"),
        "{}",
        r.body
    );
    // The QR sheet prints the three links.
    let qr = t.get_as(&jd, &format!("{page}/qr")).await;
    assert_eq!(qr.status, StatusCode::OK, "{}", qr.body);
    assert_eq!(qr.body.matches("<svg").count(), 3, "three QR codes");

    // A household answers by its link.
    let r = t
        .post_form(
            None,
            &format!("/s/{}", tokens[0]),
            &format!("compound={c}&satisfied=yes&score=5"),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let r = t.get_as(&jd, &page).await;
    assert!(r.body.contains("已提交"), "{}", r.body);

    // Two more links; a count that is not a number is refused naming it.
    let r = t
        .post_form(
            Some(&jd),
            &format!("{page}/links"),
            &format!("csrf={}&count=two", jd.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("再发放份数"), "{}", r.body);
    let r = t
        .post_form(
            Some(&jd),
            &format!("{page}/links"),
            &format!("csrf={}&count=2", jd.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&jd, &page).await;
    assert_eq!(r.body.matches("href=\"/s/").count(), 5, "{}", r.body);

    // Closed: no more forms.
    let v = version_in(&r.body);
    let r = t
        .post_form(
            Some(&jd),
            &format!("{page}/close"),
            &format!("csrf={}&version={v}", jd.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&jd, &page).await;
    assert!(
        r.body.contains("已结束") && !r.body.contains("id=\"close\""),
        "{}",
        r.body
    );

    // A company may read the result of its compound's survey but not manage it.
    let company = user_session(
        t,
        "qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let r = t.get_as(&company, &page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        !r.body.contains("href=\"/s/"),
        "a company sees no links: {}",
        r.body
    );
    let r = t
        .get_as(&company, &format!("/surveys/new?compound={c}"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
