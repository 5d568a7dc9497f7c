//! 镇街吹哨、部门报到 through the pages: a street refers a complaint on a compound without a
//! company to its district's fire brigade (suggested from the duty category); the brigade's
//! officer finds it, 报到, tries to 办结 without a result (refused naming it, what was typed
//! kept), 办结 with a photo; the street sends it back, the brigade resolves it again, the street
//! confirms; the brigade's figures count it (one referral, on time, sent back once); a confirmed
//! referral takes no further step; another district's department, a company, and the brigade on
//! another brigade's referral are refused.

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

fn referral_id(location: &str) -> i64 {
    location
        .trim_start_matches("/referrals/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a referral's page: {location}"))
}

both_engines!(a_fire_lane_referral_goes_to_the_brigade_and_back);
async fn a_fire_lane_referral_goes_to_the_brigade_and_back(t: &TestApp) {
    let w = world(t).await;
    let s = &t.store;
    let dir = tempfile::tempdir().expect("tempdir");
    // The district above street A gets seed 003's departments through its page.
    let authority = user_session(t, "r_zj", Role::HousingAuthority, UserScope::None).await;
    let district = s
        .region_ancestors(w.inside.compound.street_id)
        .await
        .expect("ancestors")[1];
    let r = t
        .post_form(
            Some(&authority),
            "/departments/seed",
            &format!("csrf={}&district={district}", authority.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = s
        .list_departments(Some(district), true)
        .await
        .expect("departments");
    let brigade = list
        .iter()
        .find(|d| d.name == "区消防救援大队")
        .expect("the fire brigade")
        .clone();
    let police = list
        .iter()
        .find(|d| d.name == "区公安分局")
        .expect("the police")
        .clone();
    assert!(brigade.duties.contains(&"消防通道".to_string()));
    // Seeding again adds nothing.
    let r = t
        .post_form(
            Some(&authority),
            "/departments/seed",
            &format!("csrf={}&district={district}", authority.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        s.list_departments(Some(district), true)
            .await
            .expect("departments")
            .len(),
        list.len()
    );

    let street = user_session(t, "r_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let fire = user_session(
        t,
        "r_xf",
        Role::Department,
        UserScope::Department(brigade.id),
    )
    .await;
    let police_officer = user_session(
        t,
        "r_ga",
        Role::Department,
        UserScope::Department(police.id),
    )
    .await;
    let company = user_session(
        t,
        "r_qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;

    // The complaint's page offers 吹哨; the form suggests the brigade first, then the police.
    let complaint = w.inside.complaint;
    let r = t.get_as(&street, &format!("/complaints/{complaint}")).await;
    assert!(
        r.body
            .contains(&format!("/referrals/new?complaint={complaint}")),
        "{}",
        r.body
    );
    let r = t
        .get_as(
            &street,
            &format!(
                "/referrals/new?complaint={complaint}&category={}",
                crate::support::enc("消防通道")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = r
        .body
        .find("区消防救援大队（推荐）")
        .expect("brigade suggested");
    let p = r.body.find("区公安分局（推荐）").expect("police suggested");
    assert!(b < p, "the brigade before the police");
    // The first suggested department is preselected (the world's own brigade comes first).
    let first = r
        .body
        .split("<option ")
        .find(|o| o.contains("（推荐）"))
        .expect("a suggestion");
    assert!(first.contains(" selected>"), "{first}");

    // A refused referral (no department chosen) keeps what was typed.
    let compound = w.inside.compound.id;
    let form = |dept: &str, days: &str| {
        format!(
            "csrf={}&compound={compound}&complaint={complaint}&category={}&department={dept}&text={}&days={days}",
            street.csrf,
            crate::support::enc("消防通道"),
            crate::support::enc("消防通道被私家车占用"),
        )
    };
    let r = t
        .post_form(Some(&street), "/referrals/new", &form("", "5"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("职能部门"), "{}", r.body);
    assert!(r.body.contains("消防通道被私家车占用"), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            "/referrals/new",
            &form(&brigade.id.to_string(), "61"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("办理时限"), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            "/referrals/new",
            &form(&brigade.id.to_string(), "5"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = referral_id(r.location());
    let page = format!("/referrals/{id}");

    // The brigade finds it on its 工作台 and its list; the police, the company do not.
    let r = t.get_as(&fire, "/dashboard").await;
    assert!(r.body.contains("referral-panel"), "{}", r.body);
    assert!(r.body.contains(&page), "{}", r.body);
    let r = t.get_as(&fire, "/referrals").await;
    assert!(r.body.contains(&page), "{}", r.body);
    let r = t.get_as(&police_officer, "/referrals").await;
    assert!(!r.body.contains(&page), "{}", r.body);
    let r = t.get_as(&police_officer, &page).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.get_as(&company, &page).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // 报到.
    let r = t.get_as(&fire, &page).await;
    assert!(r.body.contains("id=\"step-acknowledge\""), "{}", r.body);
    assert!(!r.body.contains("id=\"step-confirm\""), "{}", r.body);
    let v = version_in(&r.body);
    let step = |v: &str, step: &'static str, note: &'static str| {
        vec![
            ("csrf", fire.csrf.clone()),
            ("version", v.to_string()),
            ("step", step.to_string()),
            ("note", note.to_string()),
            ("date", String::new()),
        ]
    };
    let send = async |who: &crate::support::Session,
                      fields: Vec<(&'static str, String)>,
                      files: &[(&str, &str, &[u8])]| {
        let mut fields = fields;
        fields[0].1 = who.csrf.clone();
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post_multipart(t, dir.path(), who, &format!("{page}/step"), &f, files).await
    };
    let r = send(&fire, step(&v, "acknowledge", ""), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The police may not take the brigade's step.
    let r = send(&police_officer, step(&v, "resolve", "x"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // 办结 without a result: refused naming it; then with the result and a photo.
    let r = t.get_as(&fire, &page).await;
    assert!(r.body.contains("已报到办理中"), "{}", r.body);
    let v = version_in(&r.body);
    // Refused with a photo: the photo is kept (by its hash) and shown, not uploaded again.
    let r = send(
        &fire,
        step(&v, "resolve", "  "),
        &[("evidence", "现场.png", PNG)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("办理结果"), "{}", r.body);
    assert!(r.body.contains("已上传：现场.png"), "{}", r.body);
    let marker = "name=\"kept\" value=\"";
    let at = r.body.find(marker).expect("the kept file") + marker.len();
    let kept: String = r.body[at..].chars().take_while(|c| *c != '"').collect();
    let mut fields = step(&v, "resolve", "已拖移车辆");
    fields.push(("kept", kept));
    let r = send(&fire, fields, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The street sends it back (a reason is required), the brigade resolves it again.
    let r = t.get_as(&street, &page).await;
    assert!(
        r.body.contains("已办结待确认") && r.body.contains("已拖移车辆"),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"files\""), "{}", r.body);
    // The photo opens for the street (through the referral's compound).
    let at = r.body.find("/evidence/").expect("a file link");
    let href: String = r.body[at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect::<String>()
        .replace("&amp;", "&");
    let photo = crate::ledger_page::send_raw(
        t,
        dir.path(),
        axum::http::Request::get(&href)
            .header(axum::http::header::COOKIE, &street.cookie)
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await
    .0;
    assert_eq!(photo.status, StatusCode::OK, "{href}: {}", photo.body);
    let v = version_in(&r.body);
    let r = send(&street, step(&v, "return", ""), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("退回理由"), "{}", r.body);
    let r = send(&street, step(&v, "return", "夜间仍有车辆占道"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&fire, &page).await;
    assert!(
        r.body.contains("退回重办") && r.body.contains("夜间仍有车辆占道"),
        "{}",
        r.body
    );
    let v = version_in(&r.body);
    let r = send(&fire, step(&v, "resolve", "已设置禁停桩"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The street confirms; nothing more can be done with it.
    let r = t.get_as(&street, &page).await;
    let v = version_in(&r.body);
    let r = send(&street, step(&v, "confirm", ""), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&street, &page).await;
    assert!(r.body.contains("已确认办结"), "{}", r.body);
    assert!(!r.body.contains("id=\"step-"), "{}", r.body);
    for s in ["报到", "办结", "退回重办", "确认办结"] {
        assert!(r.body.contains(s), "{s}: {}", r.body);
    }
    let v2 = version_in_or_none(&r.body);
    assert!(v2.is_none(), "a confirmed referral offers no form");

    // The brigade's figures: one referral, resolved on time, sent back once, none open.
    let r = t.get_as(&street, "/api/v1/departments/figures").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = r.json();
    let row = rows
        .as_array()
        .expect("rows")
        .iter()
        .find(|x| x["department"]["id"] == brigade.id)
        .expect("the brigade's row")
        .clone();
    let f = &row["figures"];
    assert_eq!(f["referrals"], 1, "{f}");
    assert_eq!(f["resolved"], 1, "{f}");
    assert_eq!(f["on_time"], 1, "{f}");
    assert_eq!(f["reopened"], 1, "{f}");
    assert_eq!(f["open"], 0, "{f}");
    assert_eq!(f["confirmed"], 1, "{f}");
    let r = t.get_as(&fire, "/departments").await;
    assert!(r.body.contains("100.00 %"), "{}", r.body);

    // The complaint lists its referral.
    let r = t.get_as(&street, &format!("/complaints/{complaint}")).await;
    assert!(r.body.contains(&page), "{}", r.body);

    // A department of the outside district cannot be chosen for the inside compound.
    let r = t
        .post_form(
            Some(&street),
            "/referrals/new",
            &form(&w.outside.department.to_string(), "5"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("不是小区所在区的部门"), "{}", r.body);
}

fn version_in_or_none(html: &str) -> Option<String> {
    html.contains("name=\"version\" value=\"")
        .then(|| version_in(html))
}
