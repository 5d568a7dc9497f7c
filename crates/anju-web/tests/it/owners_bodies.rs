//! Owners' bodies through the pages (issue 19 item 1, and issue 18 item 5's 换届 alert): the street
//! starts a committee for a compound from its page, records the election (refused without a 主任,
//! the rows typed kept; an election dated tomorrow refused), files it, and the compound's
//! previous committee ends that day (换届); a company serving the compound reads the committee
//! without its members' contacts; a committee whose term ends within 90 days shows on the
//! 工作台 as 业主组织换届 and reaches the street's inbox once. Filing a body writes the ledger's
//! 业主组织 column.

use crate::access_matrix::{STREET_A, world};
use crate::support::{TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

fn version_in(html: &str, step: &str) -> String {
    let form = html
        .find(&format!("name=\"step\" value=\"{step}\""))
        .map_or(html, |at| &html[..at]);
    let at = form
        .rfind("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    form[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

both_engines!(a_committee_is_prepared_elected_filed_and_renewed);
async fn a_committee_is_prepared_elected_filed_and_renewed(t: &TestApp) {
    let w = world(t).await;
    let s = &t.store;
    let street = user_session(t, "ob_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let compound = w.inside.compound.id;
    let page = t.get_as(&street, &format!("/compounds/{compound}")).await;
    assert!(
        page.body
            .contains(&format!("/compounds/{compound}/owners-bodies")),
        "{}",
        page.body
    );
    // The next term: 筹备 while the world's committee is in office.
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/owners-bodies"),
            &format!(
                "csrf={}&kind=owners_committee&prepared_on=2026-10-08&term_years=5&preparers={}",
                street.csrf,
                enc("张一、李二、王三")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r
        .location()
        .trim_start_matches("/owners-bodies/")
        .parse()
        .expect("a body's page");
    let page = t.get_as(&street, &format!("/owners-bodies/{id}")).await;
    assert!(page.body.contains("筹备组成员"), "{}", page.body);
    assert!(page.body.contains("李二"), "{}", page.body);
    // The election: without a 主任 refused, the rows kept; dated tomorrow refused.
    let elect = |on: &str, first_role: &str, v: &str| {
        format!(
            "csrf={}&version={v}&step=elect&date={on}\
             &m_name={}&m_role={first_role}&m_party=1&m_contact=13800000001&m_duties={}\
             &m_name={}&m_role=member&m_party=0&m_contact=&m_duties=\
             &m_name=&m_role=member&m_party=0&m_contact=&m_duties=",
            street.csrf,
            enc("赵主任"),
            enc("主持业委会工作，对接街道、社区"),
            enc("钱委员"),
        )
    };
    let v = version_in(&page.body, "elect");
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{id}/step"),
            &elect("2026-11-20", "member", &v),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("主任"), "{}", r.body);
    assert!(r.body.contains("钱委员"), "rows kept: {}", r.body);
    let tomorrow = t.state.app.today().tomorrow().expect("tomorrow");
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{id}/step"),
            &elect(&tomorrow.to_string(), "chair", &v),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("办理日期"), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{id}/step"),
            &elect("2026-11-20", "chair", &v),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get_as(&street, &format!("/owners-bodies/{id}")).await;
    assert!(
        page.body.contains("2031-11-19"),
        "the term's last day: {}",
        page.body
    );
    assert!(page.body.contains("13800000001"), "{}", page.body);
    let v = version_in(&page.body, "file");
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{id}/step"),
            &format!("csrf={}&version={v}&step=file&date=2026-11-25", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let filed = s.get_owners_body(id).await.expect("body");
    assert_eq!(filed.status.code(), "in_office");
    let old = s
        .get_owners_body(w.inside.body)
        .await
        .expect("the old body");
    assert_eq!(old.status.code(), "ended");
    assert_eq!(old.ended_on, Some(jiff::civil::date(2026, 11, 25)));
    assert_eq!(old.end_reason.as_deref(), Some("换届"));
    // Its members leave with it.
    assert_eq!(old.members, 0);
    let left = s.owners_body_members(old.id).await.expect("members");
    assert!(
        left.iter()
            .all(|m| m.left_on == Some(jiff::civil::date(2026, 11, 25))),
        "{left:?}"
    );
    // The company serving the compound reads the committee, never the contacts.
    let company = user_session(
        t,
        "ob_qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let r = t.get_as(&company, &format!("/owners-bodies/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("赵主任"), "{}", r.body);
    assert!(!r.body.contains("13800000001"), "{}", r.body);
    assert!(!r.body.contains("id=\"step-"), "{}", r.body);

    // A 物业管理委员会 elected on 2022-02-01 for five years ends on 2027-01-31: within 90 days of
    // today (2026-12-07 or later in the test's clock) it is due for 换届.
    let other = w.inside.contract_compound;
    let ledger = |c: anju_store::StoredCompound| c.compound.owners_body;
    assert_ne!(
        ledger(s.get_compound(other).await.expect("compound")),
        anju_core::OwnersBody::ManagementCommittee
    );
    let b = s
        .add_owners_body(
            &anju_store::Actor::new("test", "admin"),
            anju_store::NewOwnersBody {
                compound_id: other,
                kind: anju_core::OwnersBody::ManagementCommittee,
                prepared_on: jiff::civil::date(2022, 1, 1),
                term_years: 5,
                note: None,
                members: Vec::new(),
            },
        )
        .await
        .expect("body");
    let today = t.state.app.today();
    let last = jiff::civil::date(2027, 1, 31);
    let due =
        anju_core::owners_body::renewal(last, today) != anju_core::owners_body::Renewal::NotDue;
    let actor = anju_store::Actor::new("test", "admin");
    let b = s
        .owners_body_step(
            &actor,
            b.id,
            b.version,
            anju_core::owners_body::BodyStep::Elect,
            jiff::civil::date(2022, 2, 1),
            None,
            &[anju_store::NewBodyMember {
                name: "孙主任".into(),
                role: anju_core::owners_body::BodyRole::Chair,
                party_member: false,
                contact: None,
                duties: None,
                joined_on: jiff::civil::date(2022, 2, 1),
            }],
        )
        .await
        .expect("elected");
    s.owners_body_step(
        &actor,
        b.id,
        b.version,
        anju_core::owners_body::BodyStep::File,
        jiff::civil::date(2022, 2, 10),
        None,
        &[],
    )
    .await
    .expect("filed");
    // Filed (备案): the ledger's 业主组织 column says so.
    assert_eq!(
        ledger(s.get_compound(other).await.expect("compound")),
        anju_core::OwnersBody::ManagementCommittee
    );
    let dash = t.get_as(&street, "/dashboard").await;
    assert_eq!(dash.status, StatusCode::OK);
    assert_eq!(
        dash.body.contains("2027-01-31"),
        due,
        "换届 alert as of {today}: {}",
        dash.body
    );
    let page = t.get_as(&street, &format!("/owners-bodies/{}", b.id)).await;
    assert_eq!(page.body.contains("id=\"renewal\""), due, "{}", page.body);
    let sweep = t.state.app.sweep_notices().await.expect("sweep");
    assert_eq!(sweep.terms_ending, usize::from(due));
    let again = t.state.app.sweep_notices().await.expect("sweep");
    assert_eq!(again.terms_ending, usize::from(due), "counted again");
    let inbox = t.get_as(&street, "/inbox").await;
    assert_eq!(
        inbox.body.matches("业主组织换届").count(),
        usize::from(due),
        "once: {}",
        inbox.body
    );
}
