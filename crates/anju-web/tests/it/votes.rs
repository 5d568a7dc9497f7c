//! Owners' votes through the pages (issue 19 item 2): the street imports a compound's register
//! (a bad sheet refused whole, naming row and column), opens an election vote for the body being
//! prepared, households vote by their links and one on paper with its scan; at exactly 2/3 of
//! the households and of the area the count carries and the election cites it, and the body is
//! filed; one household fewer and the vote falls short, and an election citing it is refused. A
//! choice of company carried by all households before the deadline records the path's step. A
//! household votes once; the public result sheet shows totals, never who voted how; a company
//! serving the compound reads the result but neither the links nor the owners' names. A
//! dismissal short of 2/3 of the area ends nothing; a carried one ends the contract as 解聘.

use crate::access_matrix::{STREET_A, world};
use crate::ledger_page::post_multipart;
use crate::support::{Session, TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// Six households: five of 100.00 ㎡ and one of 50.00 ㎡ (550.00 ㎡ in all).
pub(crate) const REGISTER: &str = "房号,业主姓名,专有部分面积（㎡）\n\
1-1-101,王一,100\n1-1-102,王二,100\n1-1-201,王三,100\n1-1-202,王四,100\n1-1-301,王五,100\n1-1-302,王六,50\n";

pub(crate) async fn import(
    t: &TestApp,
    s: &Session,
    compound: i64,
    csv: &str,
) -> crate::support::Res {
    post_multipart(
        t,
        t.evidence.path(),
        s,
        &format!("/compounds/{compound}/register/import"),
        &[("csrf", &s.csrf)],
        &[("file", "业主名册.csv", csv.as_bytes())],
    )
    .await
}

/// Opens a vote by the page; returns its id.
pub(crate) async fn open(t: &TestApp, s: &Session, compound: i64, fields: &str) -> i64 {
    let today = t.state.app.today();
    let r = t
        .post_form(
            Some(s),
            &format!("/compounds/{compound}/votes"),
            &format!("csrf={}&opens_on={today}&{fields}", s.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location()
        .trim_start_matches("/votes/")
        .parse()
        .expect("a vote's page")
}

/// The households' links by 房号.
pub(crate) async fn tokens(t: &TestApp, vote: i64) -> Vec<(String, i64, String)> {
    t.store
        .vote_ballots(vote)
        .await
        .expect("ballots")
        .into_iter()
        .map(|b| (b.unit, b.household_id, b.token))
        .collect()
}

pub(crate) async fn cast(t: &TestApp, token: &str, choice: &str) -> crate::support::Res {
    t.post_form(None, &format!("/v/{token}"), &format!("choice={choice}"))
        .await
}

pub(crate) fn version_of(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

pub(crate) async fn close(t: &TestApp, s: &Session, vote: i64) -> crate::support::Res {
    let page = t.get_as(s, &format!("/votes/{vote}")).await;
    let v = version_of(&page.body);
    t.post_form(
        Some(s),
        &format!("/votes/{vote}/close"),
        &format!("csrf={}&version={v}&date={}", s.csrf, t.state.app.today()),
    )
    .await
}

/// Starts a body (筹备) by the page; returns its id.
async fn start_body(t: &TestApp, s: &Session, compound: i64) -> i64 {
    let r = t
        .post_form(
            Some(s),
            &format!("/compounds/{compound}/owners-bodies"),
            &format!(
                "csrf={}&kind=owners_committee&prepared_on=2026-10-08&term_years=5",
                s.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location()
        .trim_start_matches("/owners-bodies/")
        .parse()
        .expect("a body's page")
}

fn elect_form(s: &Session, version: &str, vote: Option<i64>, on: &str) -> String {
    format!(
        "csrf={}&version={version}&step=elect&date={on}{}\
         &m_name={}&m_role=chair&m_party=1&m_contact=&m_duties=",
        s.csrf,
        vote.map(|v| format!("&vote_id={v}")).unwrap_or_default(),
        enc("赵主任"),
    )
}

both_engines!(a_committee_elected_by_two_thirds_is_filed);
async fn a_committee_elected_by_two_thirds_is_filed(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "v_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let compound = w.inside.compound.id;
    let page = t.get_as(&street, &format!("/compounds/{compound}")).await;
    assert!(
        page.body.contains(&format!("/compounds/{compound}/votes")),
        "{}",
        page.body
    );
    // The world's register holds 1-1-101 (王一, 100 ㎡) already: it is left as it is.
    let today = t.state.app.today();
    let r = import(t, &street, compound, REGISTER).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新增 5 户"), "{}", r.body);
    assert!(r.body.contains("550.00 ㎡"), "{}", r.body);
    // The same file again changes nothing.
    let r = import(t, &street, compound, REGISTER).await;
    assert!(r.body.contains("未变 6 户"), "{}", r.body);

    let body = start_body(t, &street, compound).await;
    let page = t.get_as(&street, &format!("/owners-bodies/{body}")).await;
    assert!(page.body.contains("发起选举表决"), "{}", page.body);
    let vote = open(
        t,
        &street,
        compound,
        &format!(
            "matter=elect_committee&owners_body_id={body}&closes_on={today}&question={}",
            enc("选举赵主任等5人组成第一届业主委员会")
        ),
    )
    .await;
    let links = tokens(t, vote).await;
    assert_eq!(links.len(), 6);
    // The resident's page: the question, the unit and its area.
    let (_, _, tok) = &links[0];
    let r = t.get(&format!("/v/{tok}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("选举赵主任"), "{}", r.body);
    assert!(r.body.contains("1-1-101"), "{}", r.body);
    // Three vote online (two for, one against), one on paper with its scan: 4 of 6 households
    // (exactly 2/3) and 400.00 of 550.00 ㎡ (more than 2/3).
    assert_eq!(cast(t, &links[0].2, "o1").await.status, StatusCode::OK);
    assert_eq!(cast(t, &links[1].2, "o1").await.status, StatusCode::OK);
    assert_eq!(cast(t, &links[2].2, "against").await.status, StatusCode::OK);
    // Once only.
    let again = cast(t, &links[0].2, "against").await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert!(again.body.contains("已经投过票"), "{}", again.body);
    // A paper ballot without its scan is refused, what was chosen kept.
    let paper = |with_scan: bool| {
        let household = links[3].1.to_string();
        let files: Vec<(&str, &str, &[u8])> = if with_scan {
            vec![("scan", "选票.png", PNG)]
        } else {
            Vec::new()
        };
        let street = &street;
        let today = today.to_string();
        async move {
            post_multipart(
                t,
                t.evidence.path(),
                street,
                &format!("/votes/{vote}/paper"),
                &[
                    ("csrf", &street.csrf),
                    ("household_id", &household),
                    ("choice", "o1"),
                    ("received_on", &today),
                ],
                &files,
            )
            .await
        }
    };
    let r = paper(false).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("扫描件"), "{}", r.body);
    let r = paper(true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(
        page.body.contains("已投票 4 / 6 户（66.67 %）"),
        "{}",
        page.body
    );
    assert!(page.body.contains("纸质选票"), "{}", page.body);
    // The count: carried.
    let r = close(t, &street, vote).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(page.body.contains("表决通过"), "{}", page.body);
    // After the count no ballot is taken.
    let late = cast(t, &links[4].2, "o1").await;
    assert!(late.body.contains("表决已结束"), "{}", late.body);
    // The public sheet: totals, no units, no names.
    let sheet = t.get_as(&street, &format!("/votes/{vote}/result")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(sheet.body.contains("表决通过"), "{}", sheet.body);
    assert!(!sheet.body.contains("1-1-101"), "{}", sheet.body);
    assert!(!sheet.body.contains("王一"), "{}", sheet.body);
    // The election cites the vote; the body is filed.
    let page = t.get_as(&street, &format!("/owners-bodies/{body}")).await;
    let v = version_of(&page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{body}/step"),
            &elect_form(&street, &v, Some(vote), &today.to_string()),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = t.store.get_owners_body(body).await.expect("body");
    assert_eq!(b.status.code(), "elected");
    let used = t.store.get_vote(vote).await.expect("vote");
    assert!(used.applied_note.is_some(), "{used:?}");
    let page = t.get_as(&street, &format!("/owners-bodies/{body}")).await;
    let v = version_of(&page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{body}/step"),
            &format!("csrf={}&version={v}&step=file&date={today}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        t.store
            .get_owners_body(body)
            .await
            .expect("body")
            .status
            .code(),
        "in_office"
    );
    // A company serving the compound reads the result, not the links or the owners' names.
    let company = user_session(
        t,
        "v_qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    let page = t.get_as(&company, &format!("/votes/{vote}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("表决通过"), "{}", page.body);
    assert!(!page.body.contains(&links[5].2), "{}", page.body);
    let reg = t
        .get_as(&company, &format!("/compounds/{compound}/register"))
        .await;
    assert!(reg.body.contains("1-1-101"), "{}", reg.body);
    assert!(!reg.body.contains("王一"), "{}", reg.body);
    let r = t.get_as(&company, &format!("/votes/{vote}/sheet")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A street elsewhere reads nothing.
    let other = user_session(
        t,
        "v_jd_b",
        Role::Street,
        UserScope::Region(w.outside.street),
    )
    .await;
    let r = t.get_as(&other, &format!("/votes/{vote}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

both_engines!(a_vote_short_of_two_thirds_is_refused_as_a_decision);
async fn a_vote_short_of_two_thirds_is_refused_as_a_decision(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "v_jd2", Role::Street, UserScope::Region(STREET_A)).await;
    let compound = w.inside.compound.id;
    let today = t.state.app.today();
    assert_eq!(
        import(t, &street, compound, REGISTER).await.status,
        StatusCode::OK
    );
    let body = start_body(t, &street, compound).await;
    let vote = open(
        t,
        &street,
        compound,
        &format!(
            "matter=elect_committee&owners_body_id={body}&closes_on={today}&question={}",
            enc("选举第一届业主委员会")
        ),
    )
    .await;
    let links = tokens(t, vote).await;
    // Three of six households, 300.00 of 550.00 ㎡, all for: short of 2/3 on both.
    for (_, _, tok) in &links[..3] {
        assert_eq!(cast(t, tok, "o1").await.status, StatusCode::OK);
    }
    assert_eq!(close(t, &street, vote).await.status, StatusCode::SEE_OTHER);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(page.body.contains("表决未通过"), "{}", page.body);
    assert!(
        page.body.contains("参与表决人数不足三分之二"),
        "{}",
        page.body
    );
    // The election cannot rest on it, nor be recorded without citing a vote.
    let page = t.get_as(&street, &format!("/owners-bodies/{body}")).await;
    let v = version_of(&page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{body}/step"),
            &elect_form(&street, &v, Some(vote), &today.to_string()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("表决未通过"), "{}", r.body);
    assert!(r.body.contains("赵主任"), "rows kept: {}", r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/owners-bodies/{body}/step"),
            &elect_form(&street, &v, None, &today.to_string()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("已交业主表决"), "{}", r.body);
    assert_eq!(
        t.store
            .get_owners_body(body)
            .await
            .expect("body")
            .status
            .code(),
        "preparing"
    );
}

both_engines!(a_register_with_a_bad_row_saves_nothing);
async fn a_register_with_a_bad_row_saves_nothing(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "v_jd3", Role::Street, UserScope::Region(STREET_A)).await;
    let compound = w.inside.compound.id;
    let bad = "房号,专有部分面积\n1-1-101,88.5\n1-1-102,-3\n1-1-101,90\n";
    let before = t.store.households_of(compound).await.expect("register");
    let r = import(t, &street, compound, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 3 行"), "{}", r.body);
    assert!(r.body.contains("专有部分面积 (B)"), "{}", r.body);
    assert!(r.body.contains("与第 2 行重复"), "{}", r.body);
    assert_eq!(
        t.store.households_of(compound).await.expect("register"),
        before
    );
    // One household typed on the form; a bad area keeps what was typed.
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/register"),
            &format!(
                "csrf={}&unit=2-1-101&owner_name={}&area=abc",
                street.csrf,
                enc("李四")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("专有部分面积"), "{}", r.body);
    assert!(r.body.contains("value=\"2-1-101\""), "{}", r.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/register"),
            &format!(
                "csrf={}&unit=2-1-101&owner_name={}&area=88.50",
                street.csrf,
                enc("李四")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("88.50 ㎡"), "{}", r.body);
}

both_engines!(a_choice_of_company_by_every_household_records_the_path_step);
async fn a_choice_of_company_by_every_household_records_the_path_step(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "v_jd4", Role::Street, UserScope::Region(STREET_A)).await;
    // An unmanaged compound of the street whose path has not begun.
    let all = t
        .store
        .list_compounds(&anju_store::CompoundFilter::default())
        .await
        .expect("compounds");
    let mut fresh = None;
    for c in all.iter().filter(|c| {
        c.compound.street == STREET_A
            && c.company_id.is_none()
            && c.id != w.inside.contract_compound
    }) {
        if t.store.lifecycle(c.id).await.expect("lc").steps.is_empty() {
            fresh = Some(c.id);
            break;
        }
    }
    let compound = fresh.expect("an unmanaged compound");
    // No register yet: a vote cannot open, and what was typed stays.
    let today = t.state.app.today();
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/votes"),
            &format!(
                "csrf={}&matter=other&question={}&opens_on={today}&closes_on={today}",
                street.csrf,
                enc("是否同意增设充电桩")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("业主名册"), "{}", r.body);
    assert!(
        r.body.contains("是否同意增设充电桩"),
        "typed kept: {}",
        r.body
    );
    // The path up to 选定物业企业.
    let on = jiff::civil::date(2026, 10, 1);
    for e in [
        anju_core::lifecycle::Event::Consult,
        anju_core::lifecycle::Event::DecideMode {
            mode: anju_core::ManagementMode::from_code("professional").expect("mode"),
        },
        anju_core::lifecycle::Event::SettleOwners {
            body: anju_core::OwnersBody::from_code("owners_committee").expect("body"),
        },
    ] {
        let v = t.store.lifecycle(compound).await.expect("lc").version;
        t.store
            .advance(
                &anju_store::Actor::new("test", "admin"),
                compound,
                v,
                &anju_store::StepRequest::new(e, on),
            )
            .await
            .expect("advance");
    }
    assert_eq!(
        import(t, &street, compound, REGISTER).await.status,
        StatusCode::OK
    );
    let a = w.inside.company;
    let b = w.outside.company;
    let later = t
        .state
        .app
        .today()
        .checked_add(jiff::Span::new().days(14))
        .expect("later");
    let vote = open(
        t,
        &street,
        compound,
        &format!(
            "matter=select_company&company_ids={a}&company_ids={b}&closes_on={later}&question={}",
            enc("选聘物业服务企业")
        ),
    )
    .await;
    let links = tokens(t, vote).await;
    // Before the deadline the count waits for every household.
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(page.body.contains("id=\"close-blocked\""), "{}", page.body);
    // 1-1-101 … 1-1-301 (four, 400 ㎡) for A; 1-1-302 (50 ㎡) and one more for B.
    for (i, (_, _, tok)) in links.iter().enumerate() {
        let choice = if i < 4 { "o1" } else { "o2" };
        assert_eq!(cast(t, tok, choice).await.status, StatusCode::OK);
    }
    assert_eq!(close(t, &street, vote).await.status, StatusCode::SEE_OTHER);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(page.body.contains("表决通过"), "{}", page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/votes/{vote}/apply"),
            &format!("csrf={}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lc = t.store.lifecycle(compound).await.expect("lc");
    let last = lc.steps.last().expect("a step");
    assert_eq!(last.event.code(), "select_company");
    assert_eq!(last.happened_on, t.state.app.today());
    // Once only.
    let r = t
        .post_form(
            Some(&street),
            &format!("/votes/{vote}/apply"),
            &format!("csrf={}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

both_engines!(a_carried_dismissal_ends_the_contract_in_force);
/// 解聘 by the owners (民法典 第二百七十八条: more than half of the participating area and
/// owners, participation at least 2/3 of each): four of six take part (350.00 of 550.00 ㎡ —
/// 63.64 %, under 2/3 of the area) and the vote falls short, nothing ends; five take part, three
/// (300.00 ㎡) for, and the street applies it: the contract in force ends today as 解聘 with the
/// vote as its reason, once.
async fn a_carried_dismissal_ends_the_contract_in_force(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "v_jd5", Role::Street, UserScope::Region(STREET_A)).await;
    let compound = w.inside.contract_compound;
    let today = t.state.app.today();
    assert_eq!(
        import(t, &street, compound, REGISTER).await.status,
        StatusCode::OK
    );
    let dismiss = |q: &str| {
        format!(
            "matter=dismiss_company&closes_on={today}&question={}",
            enc(q)
        )
    };
    let short = open(t, &street, compound, &dismiss("是否解聘现物业服务企业")).await;
    let links = tokens(t, short).await;
    let by_unit = |l: &[(String, i64, String)], u: &str| {
        l.iter().find(|(x, ..)| x == u).expect("unit").2.clone()
    };
    for unit in ["1-1-101", "1-1-102", "1-1-201", "1-1-302"] {
        assert_eq!(
            cast(t, &by_unit(&links, unit), "o1").await.status,
            StatusCode::OK
        );
    }
    assert_eq!(close(t, &street, short).await.status, StatusCode::SEE_OTHER);
    let page = t.get_as(&street, &format!("/votes/{short}")).await;
    assert!(page.body.contains("表决未通过"), "{}", page.body);
    assert!(!page.body.contains("id=\"apply-vote\""), "{}", page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/votes/{short}/apply"),
            &format!("csrf={}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("表决未通过"), "{}", r.body);
    let contract = t.store.get_contract(w.inside.contract).await.expect("c");
    assert!(contract.ended_on.is_none());

    let vote = open(
        t,
        &street,
        compound,
        &dismiss("再次表决：是否解聘现物业服务企业"),
    )
    .await;
    let links = tokens(t, vote).await;
    for (unit, choice) in [
        ("1-1-101", "o1"),
        ("1-1-102", "o1"),
        ("1-1-201", "o1"),
        ("1-1-202", "against"),
        ("1-1-302", "against"),
    ] {
        assert_eq!(
            cast(t, &by_unit(&links, unit), choice).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(close(t, &street, vote).await.status, StatusCode::SEE_OTHER);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(page.body.contains("表决通过"), "{}", page.body);
    assert!(page.body.contains("解聘（终止合同）"), "{}", page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/votes/{vote}/apply"),
            &format!("csrf={}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let contract = t.store.get_contract(w.inside.contract).await.expect("c");
    assert_eq!(contract.ended_on, Some(today));
    assert_eq!(
        contract.end_kind,
        Some(anju_core::lifecycle::ExitKind::Dismissal)
    );
    assert!(
        contract
            .end_reason
            .as_deref()
            .is_some_and(|r| r.contains(&format!("据业主表决（编号 {vote}"))),
        "{:?}",
        contract.end_reason
    );
    // Once only; the vote's page says how it was used.
    let r = t
        .post_form(
            Some(&street),
            &format!("/votes/{vote}/apply"),
            &format!("csrf={}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    assert!(page.body.contains("解聘"), "{}", page.body);
}

both_engines!(vote_days_after_today_are_refused);
/// The vote's event dates (EventDate::VoteOpened, BallotReceived, VoteClosed): tomorrow is
/// refused naming the field, today accepted.
async fn vote_days_after_today_are_refused(t: &TestApp) {
    let w = world(t).await;
    let street = user_session(t, "v_jd5", Role::Street, UserScope::Region(STREET_A)).await;
    let compound = w.inside.compound.id;
    let today = t.state.app.today();
    let tomorrow = today.tomorrow().expect("tomorrow");
    assert_eq!(
        import(t, &street, compound, REGISTER).await.status,
        StatusCode::OK
    );
    let r = t
        .post_form(
            Some(&street),
            &format!("/compounds/{compound}/votes"),
            &format!(
                "csrf={}&matter=use_fund&question={}&opens_on={tomorrow}&closes_on={tomorrow}",
                street.csrf,
                enc("使用维修资金更换电梯")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("表决开始日期"), "{}", r.body);
    assert!(r.body.contains("晚于"), "{}", r.body);
    let vote = open(
        t,
        &street,
        compound,
        &format!(
            "matter=use_fund&closes_on={today}&question={}",
            enc("使用维修资金更换电梯")
        ),
    )
    .await;
    let links = tokens(t, vote).await;
    let household = links[0].1.to_string();
    let paper = |on: String| {
        let street = &street;
        let household = household.clone();
        async move {
            post_multipart(
                t,
                t.evidence.path(),
                street,
                &format!("/votes/{vote}/paper"),
                &[
                    ("csrf", &street.csrf),
                    ("household_id", &household),
                    ("choice", "o1"),
                    ("received_on", &on),
                ],
                &[("scan", "选票.png", PNG)],
            )
            .await
        }
    };
    let r = paper(tomorrow.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("收到选票日期"), "{}", r.body);
    assert_eq!(paper(today.to_string()).await.status, StatusCode::SEE_OTHER);
    let page = t.get_as(&street, &format!("/votes/{vote}")).await;
    let v = version_of(&page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/votes/{vote}/close"),
            &format!("csrf={}&version={v}&date={tomorrow}", street.csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("计票日期"), "{}", r.body);
    assert_eq!(close(t, &street, vote).await.status, StatusCode::SEE_OTHER);
}
