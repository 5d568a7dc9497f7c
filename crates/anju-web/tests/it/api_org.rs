//! The programme's own organisation (issue 18 item 3) through the JSON API: 山亭区's housing
//! authority sets up the 工作专班 from seed 003 附件2's roster as printed, adds and retires
//! members; a 专班会议 dated tomorrow is refused naming 会议日期, one held is recorded with a
//! decision for 山城街道; the street finds it among its own assignments, 报结, cannot 销号 it
//! itself; the district closes it. A 约谈 of a company carries a 整改要求 the company reports,
//! the district sends back and then closes. Another street reads none of it.

use crate::support::{Session, TestApp, UserScope, both_engines, send_json, user_session};
use anju_core::RegionLevel;
use anju_core::access::Role;
use axum::http::StatusCode;
use serde_json::{Value, json};

const DISTRICT: &str = "山亭区";
const STREET: &str = "山城街道";
const OTHER_STREET: &str = "大沁他拉街道";
const COMPANY: &str = "枣庄市山亭区抱犊物业管理有限公司";

/// Seed 003 附件2 as printed (the 专班).
const ROSTER: &str = "组  长：李明智  区政府副区长
副组长：项琳琳  区委组织部副部长、“两新”组织工委书记、
区人才服务中心主任
周升民 区住建局局长
贾继勇  山城街道办事处主任
成  员：孙祥军  区财政局党组成员
陈昌河  区自然资源局副局长
潘  伟  区住房保障服务中心主任
郭振华  山城街道党工委副书记
专班办公室设在区住建局，潘伟同志兼任办公室主任，刘广海、孙景超同志任办公室副主任。";

fn day(n: i64) -> String {
    anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(n))
        .expect("date")
        .to_string()
}

#[track_caller]
fn status(r: &crate::support::Res, want: StatusCode) -> Value {
    assert_eq!(r.status, want, "{}", r.body);
    r.json()
}

async fn post(t: &TestApp, s: &Session, uri: &str, body: Value) -> crate::support::Res {
    send_json(t, s, "POST", uri, body).await
}

both_engines!(a_task_force_its_meeting_and_a_censure_through_the_api);
async fn a_task_force_its_meeting_and_a_censure_through_the_api(t: &TestApp) {
    let s = &t.store;
    let district = s
        .find_region(RegionLevel::District, DISTRICT)
        .await
        .expect("district")
        .id;
    let street = s
        .find_region(RegionLevel::Street, STREET)
        .await
        .expect("street")
        .id;
    let company = s
        .list_companies()
        .await
        .expect("companies")
        .into_iter()
        .find(|c| c.name == COMPANY)
        .expect("the company")
        .id;
    let zj = user_session(
        t,
        "o_zj",
        Role::HousingAuthority,
        UserScope::Region(DISTRICT),
    )
    .await;
    let jd = user_session(t, "o_jd", Role::Street, UserScope::Region(STREET)).await;
    let other = user_session(t, "o_jd2", Role::Street, UserScope::Region(OTHER_STREET)).await;
    let qy = user_session(t, "o_qy", Role::Company, UserScope::Company(COMPANY)).await;

    // The 专班 from the roster as printed; a company may not set one up.
    let group = json!({
        "region_id": district,
        "kind": "task_force",
        "name": "山亭区物业管理全覆盖工作专班",
        "document": "山政办字〔2026〕3号",
        "established_on": "2026-03-01",
        "roster": ROSTER,
    });
    let r = post(t, &qy, "/api/v1/groups", group.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let mut bad = group.clone();
    bad["roster"] = json!("李四 区民政局局长\n成员：张三 局长");
    let r = post(t, &zj, "/api/v1/groups", bad).await;
    let e = status(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["field"], "roster", "{e}");
    assert!(
        e["message"].as_str().is_some_and(|m| m.contains("第 1 行")),
        "{e}"
    );
    let g = status(
        &post(t, &zj, "/api/v1/groups", group).await,
        StatusCode::CREATED,
    );
    assert_eq!(g["members"], 11);
    assert_eq!(g["office"], "区住建局");
    assert_eq!(g["version"], 1);
    let gid = g["id"].as_i64().expect("id");
    let page = format!("/api/v1/groups/{gid}");

    // The street under the district reads it; another district's street does not.
    let list = status(&t.get_as(&jd, "/api/v1/groups").await, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let list = status(&t.get_as(&other, "/api/v1/groups").await, StatusCode::OK);
    assert_eq!(list, json!([]));
    let r = t.get_as(&other, &page).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let d = status(&t.get_as(&jd, &page).await, StatusCode::OK);
    assert_eq!(
        d["may_edit"], false,
        "the street may not change the district's body"
    );
    let d = status(&t.get_as(&zj, &page).await, StatusCode::OK);
    assert_eq!(d["may_edit"], true);
    let members = d["members"].as_array().expect("members");
    assert_eq!(members[0]["name"], "李明智");
    assert_eq!(members[0]["role"], "head");
    assert_eq!(
        members[1]["position"],
        "区委组织部副部长、“两新”组织工委书记、区人才服务中心主任"
    );
    let liu = members
        .iter()
        .find(|m| m["name"] == "刘广海")
        .expect("刘广海")["id"]
        .as_i64()
        .expect("id");

    // Members added from a roster need the day they joined; then with it.
    let more = format!("{page}/members");
    let r = post(
        t,
        &zj,
        &more,
        json!({"version": 1, "roster": "成员：王五 区民政局局长"}),
    )
    .await;
    assert_eq!(
        status(&r, StatusCode::UNPROCESSABLE_ENTITY)["field"],
        "joined_on"
    );
    let r = post(
        t,
        &zj,
        &more,
        json!({"version": 1, "roster": "成员：王五 区民政局局长", "joined_on": day(1)}),
    )
    .await;
    let e = status(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("加入日期")),
        "{e}"
    );
    let g = status(
        &post(
            t,
            &zj,
            &more,
            json!({"version": 1, "roster": "成员：王五 区民政局局长", "joined_on": "2026-11-01"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (g["members"].as_i64(), g["version"].as_i64()),
        (Some(12), Some(2))
    );
    let r = post(
        t,
        &jd,
        &more,
        json!({"version": 2, "members": [{"name": "赵六", "role": "member", "joined_on": "2026-11-01"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // 刘广海 leaves: not before he joined, then on a day after.
    let leave = format!("{page}/members/{liu}/leave");
    let r = post(
        t,
        &zj,
        &leave,
        json!({"version": 2, "left_on": "2026-02-01"}),
    )
    .await;
    let e = status(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("早于加入日期")),
        "{e}"
    );
    let g = status(
        &post(
            t,
            &zj,
            &leave,
            json!({"version": 2, "left_on": "2026-11-30"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (g["members"].as_i64(), g["version"].as_i64()),
        (Some(11), Some(3))
    );
    let r = post(
        t,
        &zj,
        &leave,
        json!({"version": 3, "left_on": "2026-11-30"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = post(
        t,
        &zj,
        &format!("{page}/members/abc/leave"),
        json!({"version": 3, "left_on": "2026-11-30"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // A meeting dated tomorrow is refused naming 会议日期; the one held is recorded.
    let meeting = |held_on: String| {
        json!({
            "region_id": district,
            "group_id": gid,
            "kind": "task_force",
            "title": "专班第一次会议",
            "held_on": held_on,
            "attendees": "李明智、项琳琳、周升民、贾继勇",
            "minutes": "研究部署物业管理全覆盖工作。",
            "decisions": [
                {"unit": {"kind": "region", "id": street}, "text": "完成无物业小区摸底", "deadline": "2026-12-31"}
            ]
        })
    };
    let r = post(t, &zj, "/api/v1/meetings", meeting(day(1))).await;
    let e = status(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["field"], "held_on", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("会议日期") && m.contains("晚于今天")),
        "{e}"
    );
    let r = post(t, &jd, "/api/v1/meetings", meeting("2026-11-30".into())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let m = status(
        &post(t, &zj, "/api/v1/meetings", meeting("2026-11-30".into())).await,
        StatusCode::CREATED,
    );
    assert_eq!(m["decisions"], 1);
    let mid = m["id"].as_i64().expect("id");
    // The street records its own 调度会.
    let own = json!({
        "region_id": street, "kind": "dispatch", "title": "街道调度会", "held_on": "2026-12-02",
        "attendees": "各社区书记", "minutes": "通报进度。"
    });
    status(
        &post(t, &jd, "/api/v1/meetings", own).await,
        StatusCode::CREATED,
    );
    let list = status(
        &t.get_as(&zj, "/api/v1/meetings?from=2026-11-01&to=2026-11-30")
            .await,
        StatusCode::OK,
    );
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let list = status(&t.get_as(&zj, "/api/v1/meetings").await, StatusCode::OK);
    assert_eq!(list[0]["title"], "街道调度会", "latest first: {list}");
    let r = t.get_as(&zj, "/api/v1/meetings?from=soon").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let d = status(
        &t.get_as(&jd, &format!("/api/v1/meetings/{mid}")).await,
        StatusCode::OK,
    );
    let aid = d["decisions"][0]["id"].as_i64().expect("assignment");
    assert_eq!(d["decisions"][0]["unit_name"], STREET);
    let r = t.get_as(&other, &format!("/api/v1/meetings/{mid}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // The street finds it among its own; the other street does not.
    let mine = status(
        &t.get_as(&jd, "/api/v1/assignments?mine=true").await,
        StatusCode::OK,
    );
    assert_eq!(mine[0]["id"], aid, "{mine}");
    let mine = status(
        &t.get_as(&other, "/api/v1/assignments?mine=true").await,
        StatusCode::OK,
    );
    assert_eq!(mine, json!([]));
    let a = format!("/api/v1/assignments/{aid}");
    let d = status(&t.get_as(&jd, &a).await, StatusCode::OK);
    assert_eq!(d["may"], json!(["report"]));
    let d = status(&t.get_as(&zj, &a).await, StatusCode::OK);
    assert_eq!(
        d["may"],
        json!([]),
        "the district does not report the street's"
    );

    // 报结 by the street, with its result; the company and the district may not.
    let r = post(
        t,
        &qy,
        &format!("{a}/report"),
        json!({"version": 1, "note": "x"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = post(
        t,
        &zj,
        &format!("{a}/report"),
        json!({"version": 1, "note": "x"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = post(t, &jd, &format!("{a}/report"), json!({"version": 1})).await;
    assert_eq!(
        status(&r, StatusCode::UNPROCESSABLE_ENTITY)["field"],
        "note"
    );
    let r = post(
        t,
        &jd,
        &format!("{a}/report"),
        json!({"version": 1, "note": "已完成摸底", "on": day(1)}),
    )
    .await;
    assert_eq!(status(&r, StatusCode::UNPROCESSABLE_ENTITY)["field"], "on");
    let done = status(
        &post(
            t,
            &jd,
            &format!("{a}/report"),
            json!({"version": 1, "note": "已完成摸底：无物业小区 12 个", "on": "2026-12-04"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (done["status"].as_str(), done["version"].as_i64()),
        (Some("reported"), Some(2))
    );
    // 销号 is the issuing side's: the street may not close the district's assignment.
    let r = post(t, &jd, &format!("{a}/close"), json!({"version": 2})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = post(t, &zj, &format!("{a}/close"), json!({"version": 1})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let closed = status(
        &post(
            t,
            &zj,
            &format!("{a}/close"),
            json!({"version": 2, "on": "2026-12-05"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_on"], "2026-12-05");
    let r = post(
        t,
        &zj,
        &format!("{a}/return"),
        json!({"version": 3, "note": "再查"}),
    )
    .await;
    let e = status(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["message"].as_str().is_some_and(|m| m.contains("已销号")),
        "{e}"
    );
    let d = status(&t.get_as(&jd, &a).await, StatusCode::OK);
    let steps: Vec<&str> = d["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["step"].as_str())
        .collect();
    assert_eq!(steps, ["issue", "report", "close"]);

    // One more decision of the meeting, for the company, dated today.
    let r = post(
        t,
        &zj,
        &format!("/api/v1/meetings/{mid}/decisions"),
        json!({"unit": {"kind": "company", "id": company}, "text": "上报整改方案", "deadline": "2026-11-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let extra = status(
        &post(
            t,
            &zj,
            &format!("/api/v1/meetings/{mid}/decisions"),
            json!({"unit": {"kind": "company", "id": company}, "text": "上报整改方案", "deadline": day(30)}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(extra["issued_on"], day(0));
    assert_eq!(extra["meeting_id"], mid);

    // A 约谈 of the company with its 整改要求; the company reads it and its follow-up.
    let censure = json!({
        "region_id": district, "kind": "interview",
        "unit": {"kind": "company", "id": company}, "on_day": "2026-12-01",
        "reason": "群众投诉集中，服务不到位", "interviewee": "项目经理 王某",
        "follow_up": "十日内完成整改并书面报告", "follow_up_deadline": "2026-12-20"
    });
    let mut praise = censure.clone();
    praise["kind"] = json!("praise");
    praise["interviewee"] = Value::Null;
    let r = post(t, &zj, "/api/v1/censures", praise).await;
    assert_eq!(
        status(&r, StatusCode::UNPROCESSABLE_ENTITY)["field"],
        "follow_up"
    );
    let c = status(
        &post(t, &zj, "/api/v1/censures", censure).await,
        StatusCode::CREATED,
    );
    assert_eq!(c["follow_ups"], 1);
    assert_eq!(c["unit_name"], COMPANY);
    let cid = c["id"].as_i64().expect("id");
    let list = status(&t.get_as(&qy, "/api/v1/censures").await, StatusCode::OK);
    assert_eq!(list[0]["id"], cid, "{list}");
    let list = status(&t.get_as(&other, "/api/v1/censures").await, StatusCode::OK);
    assert_eq!(list, json!([]));
    let d = status(
        &t.get_as(&qy, &format!("/api/v1/censures/{cid}")).await,
        StatusCode::OK,
    );
    let fid = d["follow_ups"][0]["id"].as_i64().expect("follow-up");
    let mine = status(
        &t.get_as(&qy, "/api/v1/assignments?mine=true").await,
        StatusCode::OK,
    );
    let ids: Vec<i64> = mine
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .collect();
    assert!(ids.contains(&fid) && !ids.contains(&aid), "{mine}");
    let f = format!("/api/v1/assignments/{fid}");
    let r = t.get_as(&qy, &a).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the street's is not the company's"
    );
    status(
        &post(
            t,
            &qy,
            &format!("{f}/report"),
            json!({"version": 1, "note": "已整改"}),
        )
        .await,
        StatusCode::OK,
    );
    let r = post(t, &zj, &format!("{f}/return"), json!({"version": 2})).await;
    assert_eq!(
        status(&r, StatusCode::UNPROCESSABLE_ENTITY)["field"],
        "note"
    );
    let back = status(
        &post(
            t,
            &zj,
            &format!("{f}/return"),
            json!({"version": 2, "note": "整改报告未附照片"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(
        (back["status"].as_str(), back["returns"].as_u64()),
        (Some("returned"), Some(1))
    );
    status(
        &post(
            t,
            &qy,
            &format!("{f}/report"),
            json!({"version": 3, "note": "已补交照片"}),
        )
        .await,
        StatusCode::OK,
    );
    let closed = status(
        &post(
            t,
            &zj,
            &format!("{f}/close"),
            json!({"version": 4, "note": "整改到位"}),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(closed["status"], "closed");
    let all = status(&t.get_as(&zj, "/api/v1/assignments").await, StatusCode::OK);
    assert_eq!(all.as_array().map(Vec::len), Some(3), "{all}");
}
