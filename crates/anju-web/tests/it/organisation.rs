//! The programme's organisation through the pages (issue 18 item 3): the district sets up its
//! leading group by pasting seed 003 附件1's list as printed (roles, names, posts and the office
//! read from it); the street records a 调度会 whose decision goes to one of its communities (a
//! meeting dated tomorrow, and a decision due before the meeting, are refused with what was typed
//! kept); the community finds it among its unit's assignments, reports it done (not without a
//! result), the street sends it back, the community reports again, the street closes it (销号) and
//! nothing more can be done to it; the district 约谈s the street with a 整改要求 that lands on the
//! street's list; a company and another street read none of it.

use crate::access_matrix::{STREET_A, STREET_B, world};
use crate::support::{Session, TestApp, UserScope, both_engines, enc, user_session};
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

fn id_after(location: &str, prefix: &str) -> i64 {
    location
        .trim_start_matches(prefix)
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not under {prefix}: {location}"))
}

/// Seed 003 附件1, the first lines as printed (padded names, a wrapped post, the office sentence).
const ROSTER: &str = "组  长：李  军  区委常委、区政府副区长
副组长：李明智  区政府副区长
成  员：项琳琳  区委组织部副部长、“两新”组织工委书记、
区人才服务中心主任
刘  翔  区发改局局长
周升民  区住建局局长
领导小组下设办公室，办公室设在区住建局，周升民同志兼任办公室主任，潘伟同志任办公室副主任。";

async fn step(t: &TestApp, who: &Session, id: i64, step: &str, note: &str) -> crate::support::Res {
    let page = t
        .get_as(who, &format!("/organisation/assignments/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    t.post_form(
        Some(who),
        &format!("/organisation/assignments/{id}/step"),
        &format!(
            "csrf={}&version={}&step={step}&note={}",
            who.csrf,
            version_in(&page.body),
            enc(note)
        ),
    )
    .await
}

both_engines!(a_meeting_decision_is_handed_out_reported_and_closed);
async fn a_meeting_decision_is_handed_out_reported_and_closed(t: &TestApp) {
    let w = world(t).await;
    let s = &t.store;
    let street_id = w.inside.street_region;
    let district = s.region_ancestors(street_id).await.expect("ancestors")[1];
    let community_id = s
        .list_regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.name == w.community && r.parent_id == Some(street_id))
        .expect("the community")
        .id;

    // The district's leading group, from the list as the document prints it.
    let authority = user_session(t, "o_zj", Role::HousingAuthority, UserScope::None).await;
    let r = t.get_as(&authority, "/organisation/groups/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .post_form(
            Some(&authority),
            "/organisation/groups/new",
            &format!(
                "csrf={}&region={district}&kind=leading_group&name={}&established_on=2026-09-11&roster={}",
                authority.csrf,
                enc("住宅小区物业管理工作领导小组"),
                enc(ROSTER)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let group = id_after(r.location(), "/organisation/groups/");
    let page = t
        .get_as(&authority, &format!("/organisation/groups/{group}"))
        .await;
    for want in [
        "李军",
        "区委常委、区政府副区长",
        "区委组织部副部长、“两新”组织工委书记、区人才服务中心主任",
        "办公室主任",
        "潘伟",
        "区住建局",
    ] {
        assert!(page.body.contains(want), "{want} missing: {}", page.body);
    }
    // A roster line before any role is refused naming its line; what was pasted is kept.
    let r = t
        .post_form(
            Some(&authority),
            "/organisation/groups/new",
            &format!(
                "csrf={}&region={district}&kind=task_force&name=x&roster={}",
                authority.csrf,
                enc("王五 区住建局副局长\n成员：赵六 局长")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 1 行"), "{}", r.body);
    assert!(r.body.contains("赵六 局长"), "{}", r.body);

    // The street records its 调度会; the form offers the community as a unit.
    let street = user_session(t, "o_jd", Role::Street, UserScope::Region(STREET_A)).await;
    let form = t.get_as(&street, "/organisation/meetings/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body
            .contains(&format!("value=\"region:{community_id}\"")),
        "{}",
        form.body
    );
    let tomorrow = t.state.app.today().tomorrow().expect("tomorrow");
    let meeting_body = |held_on: &str, deadline: &str| {
        format!(
            "csrf={}&region={street_id}&kind=dispatch&title={}&held_on={held_on}&attendees={}&minutes={}\
             &decision={}&unit=region:{community_id}&deadline={deadline}&decision=&unit=&deadline=",
            street.csrf,
            enc("十一月调度会"),
            enc("街道主任、各社区书记"),
            enc("通报摸底进度，部署下一步工作。"),
            enc("完成辖区无物业小区摸底并报送台账"),
        )
    };
    let r = t
        .post_form(
            Some(&street),
            "/organisation/meetings/new",
            &meeting_body(&tomorrow.to_string(), "2026-11-30"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("会议日期"), "{}", r.body);
    assert!(
        r.body.contains("十一月调度会"),
        "typed title kept: {}",
        r.body
    );
    let r = t
        .post_form(
            Some(&street),
            "/organisation/meetings/new",
            &meeting_body("2026-11-02", "2026-11-01"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("早于会议日期"), "{}", r.body);
    assert!(
        r.body.contains("完成辖区无物业小区摸底并报送台账"),
        "the decision kept: {}",
        r.body
    );
    let r = t
        .post_form(
            Some(&street),
            "/organisation/meetings/new",
            &meeting_body("2026-11-02", "2026-11-30"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let meeting = id_after(r.location(), "/organisation/meetings/");
    let page = t
        .get_as(&street, &format!("/organisation/meetings/{meeting}"))
        .await;
    assert!(page.body.contains("通报摸底进度"), "{}", page.body);
    assert!(page.body.contains(&w.community), "{}", page.body);

    // The community finds it on its list, overdue (due 2026-11-30), and reports it.
    let community = user_session(t, "o_sq", Role::Community, UserScope::Region(&w.community)).await;
    let list = t.get_as(&community, "/organisation").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    // Seed 002: the community's 三方联动议事会, once a month.
    assert!(
        list.body.contains("本月尚未召开三方联动议事会"),
        "{}",
        list.body
    );
    let today = t.state.app.today();
    let r = t
        .post_form(
            Some(&community),
            "/organisation/meetings/new",
            &format!(
                "csrf={}&region={community_id}&kind=tripartite&title={}&held_on={today}&attendees={}&minutes={}",
                community.csrf,
                enc("十二月三方联动议事会"),
                enc("社区书记、业委会主任、物业项目经理"),
                enc("商定楼道清理时间"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let again = t.get_as(&community, "/organisation").await;
    assert!(
        again
            .body
            .contains(&format!("本月三方联动议事会已于 {today} 召开")),
        "{}",
        again.body
    );
    let mine = &list.body[list.body.find("id=\"mine\"").expect("mine")..];
    assert!(mine.contains("完成辖区无物业小区摸底"), "{}", list.body);
    assert!(mine.contains("逾期"), "{}", list.body);
    let assignment = s
        .list_assignments(&anju_store::AssignmentFilter {
            meeting_id: Some(meeting),
            ..anju_store::AssignmentFilter::default()
        })
        .await
        .expect("assignments")[0]
        .id;
    let r = step(t, &community, assignment, "report", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("办理结果"), "{}", r.body);
    // The street cannot report the community's assignment.
    let r = t
        .get_as(&street, &format!("/organisation/assignments/{assignment}"))
        .await;
    assert!(!r.body.contains("id=\"step-report\""), "{}", r.body);
    let r = step(
        t,
        &community,
        assignment,
        "report",
        "已摸底 12 个小区，台账已报街道",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = step(t, &street, assignment, "return", "缺少 3 个小区的楼栋数").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = step(t, &community, assignment, "report", "已补齐楼栋数").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = step(t, &street, assignment, "close", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get_as(&street, &format!("/organisation/assignments/{assignment}"))
        .await;
    assert!(page.body.contains("已销号"), "{}", page.body);
    assert!(page.body.contains("缺少 3 个小区的楼栋数"), "{}", page.body);
    assert!(
        !page.body.contains("id=\"step-"),
        "closed is final: {}",
        page.body
    );
    let a = s.get_assignment(assignment).await.expect("assignment");
    assert_eq!(a.returns, 1);
    assert_eq!(a.result.as_deref(), Some("已补齐楼栋数"));

    // The district 约谈s the street, with a 整改要求 that lands on the street's list.
    let r = t
        .post_form(
            Some(&authority),
            "/organisation/censures/new",
            &format!(
                "csrf={}&region={district}&kind=interview&unit=region:{street_id}&on_day=2026-12-01&reason={}&interviewee={}&follow_up={}&follow_up_deadline=2099-12-31",
                authority.csrf,
                enc("全覆盖进度连续两月排名末位"),
                enc("街道办事处主任"),
                enc("制定整改方案，月底前报区领导小组办公室"),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let censure = id_after(r.location(), "/organisation/censures/");
    let list = t.get_as(&street, "/organisation").await;
    let mine = &list.body[list.body.find("id=\"mine\"").expect("mine")..];
    assert!(mine.contains("制定整改方案"), "{}", list.body);
    assert!(list.body.contains("约谈"), "{}", list.body);
    // A commendation sets no follow-up.
    let r = t
        .post_form(
            Some(&authority),
            "/organisation/censures/new",
            &format!(
                "csrf={}&region={district}&kind=praise&unit=region:{street_id}&on_day=2026-12-01&reason=x&follow_up=y&follow_up_deadline=2099-12-31",
                authority.csrf
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("通报表扬不设整改要求"), "{}", r.body);

    // A company and another street read none of it.
    let company = user_session(
        t,
        "o_qy",
        Role::Company,
        UserScope::Company(&w.company_a_name),
    )
    .await;
    for uri in [
        format!("/organisation/meetings/{meeting}"),
        format!("/organisation/censures/{censure}"),
        format!("/organisation/groups/{group}"),
    ] {
        let r = t.get_as(&company, &uri).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}: {}", r.body);
    }
    let list = t.get_as(&company, "/organisation").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("十一月调度会"), "{}", list.body);
    let other = user_session(t, "o_jd_b", Role::Street, UserScope::Region(STREET_B)).await;
    let r = t
        .get_as(&other, &format!("/organisation/meetings/{meeting}"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let list = t.get_as(&other, "/organisation").await;
    assert!(!list.body.contains("十一月调度会"), "{}", list.body);
    // A decision the street hands itself is closed by someone else (the district), not by it.
    let r = t
        .post_form(
            Some(&street),
            &format!("/organisation/meetings/{meeting}/decisions"),
            &format!(
                "csrf={}&decision={}&unit=region:{street_id}&deadline=2099-12-31",
                street.csrf,
                enc("街道自行完成兜底服务招标")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let own = s
        .list_assignments(&anju_store::AssignmentFilter {
            meeting_id: Some(meeting),
            ..anju_store::AssignmentFilter::default()
        })
        .await
        .expect("assignments")
        .into_iter()
        .find(|a| a.unit.id == street_id)
        .expect("the street's own")
        .id;
    let r = step(t, &street, own, "report", "已完成").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get_as(&street, &format!("/organisation/assignments/{own}"))
        .await;
    assert!(!page.body.contains("id=\"step-close\""), "{}", page.body);
    let r = t
        .post_form(
            Some(&street),
            &format!("/organisation/assignments/{own}/step"),
            &format!(
                "csrf={}&version={}&step=close&note=",
                street.csrf,
                s.get_assignment(own).await.expect("own").version
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = step(t, &authority, own, "close", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A company serving nothing in the street cannot be named by its 通报.
    let far = s
        .list_companies()
        .await
        .expect("companies")
        .into_iter()
        .find(|c| c.name != w.company_a_name && c.id != w.outside.company)
        .map(|c| c.id);
    if let Some(far) = far
        && !s
            .companies_serving(street_id)
            .await
            .expect("serving")
            .iter()
            .any(|(id, _)| *id == far)
    {
        let r = t
            .post_form(
                Some(&street),
                "/organisation/censures/new",
                &format!(
                    "csrf={}&region={street_id}&kind=criticism&unit=company:{far}&on_day=2026-12-01&reason=x",
                    street.csrf
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("不在本级辖区内服务"), "{}", r.body);
    }
    // The street reads the district's leading group (it sits above it).
    let r = t
        .get_as(&street, &format!("/organisation/groups/{group}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("id=\"add-members\""), "{}", r.body);
}
