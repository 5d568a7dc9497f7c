//! /selections, /tasks and /targets through HTTP: the public selection step by step with the
//! selection's version, tasks with overdue highlighted and marked done, targets with progress
//! computed from the path (hand-worked from seed 004's Daqintala figures).

use crate::compound_page::{compound_named, unmanaged_in};
use crate::support::{Session, TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use anju_store::{Actor, CompoundFilter, NewTask, StepRequest};
use axum::http::StatusCode;

const DAQINTALA: &str = "大沁他拉街道";

async fn post(t: &TestApp, s: &Session, uri: &str, fields: &[(&str, &str)]) -> crate::support::Res {
    let mut body = format!("csrf={}", enc(&s.csrf));
    for (k, v) in fields {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    t.post_form(Some(s), uri, &body).await
}

both_engines!(a_public_selection_runs_step_by_step_through_the_forms);
async fn a_public_selection_runs_step_by_step_through_the_forms(t: &TestApp) {
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let companies = t.store.list_companies().await.expect("companies");
    let (a, b) = (&companies[0], &companies[1]);
    let (a_id, b_id) = (a.id.to_string(), b.id.to_string());

    // A missing deadline names the field and keeps the title.
    let r = post(
        t,
        &s,
        "/selections",
        &[
            ("street", DAQINTALA),
            ("title", "第一批无物业小区选聘"),
            ("date", "2026-11-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("报名截止日期：请填写"), "{}", r.body);
    assert!(r.body.contains("value=\"第一批无物业小区选聘\""));

    let r = post(
        t,
        &s,
        "/selections",
        &[
            ("street", DAQINTALA),
            ("title", "第一批无物业小区选聘"),
            ("date", "2026-11-01"),
            ("deadline", "2026-11-10"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_uri = r.location().to_string();
    let id: i64 = page_uri
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .expect("id");
    let version = |t: &TestApp| {
        let store = t.store.clone();
        async move {
            store
                .get_selection(id)
                .await
                .expect("sel")
                .version
                .to_string()
        }
    };

    // Registration on the deadline day itself is on time (含当日); the day after is refused.
    let v = version(t).await;
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/register"),
        &[("version", &v), ("company", &a_id), ("date", "2026-11-10")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v2 = version(t).await;
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/register"),
        &[("version", &v2), ("company", &b_id), ("date", "2026-11-11")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不在报名期内"), "{}", r.body);
    assert!(
        r.body.contains("value=\"2026-11-11\""),
        "the typed date is kept"
    );

    // A stale page (the version before the registration) gets the conflict message.
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/register"),
        &[("version", &v), ("company", &b_id), ("date", "2026-11-05")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("已被他人修改"), "{}", r.body);

    let r = post(
        t,
        &s,
        &format!("/selections/{id}/screen"),
        &[
            ("version", &v2),
            ("qualified", &a_id),
            ("date", "2026-11-11"),
            ("note", "资质齐全"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = version(t).await;
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/shortlist"),
        &[
            ("version", &v),
            ("companies", &a_id),
            ("date", "2026-11-12"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = unmanaged_in(t, DAQINTALA).await;
    let cid = c.id.to_string();
    let v = version(t).await;
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/recommend"),
        &[("version", &v), ("compound", &cid), ("date", "2026-11-13")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Choosing a company that is not on the shortlist is refused with the reason.
    let v = version(t).await;
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/choose"),
        &[
            ("version", &v),
            ("compound", &cid),
            ("company", &b_id),
            ("date", "2026-11-14"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不在入围名单中"), "{}", r.body);
    // The choice is a step on the compound's path: refused before the owners' side is settled.
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/choose"),
        &[
            ("version", &v),
            ("compound", &cid),
            ("company", &a_id),
            ("date", "2026-11-14"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("当前阶段为“调查摸底”，不能选定物业企业"),
        "{}",
        r.body
    );
    let store = &t.store;
    let actor = Actor::new("test", "street");
    let on = jiff::civil::date(2026, 11, 1);
    let mut ver = 0;
    for e in [
        anju_core::lifecycle::Event::Consult,
        anju_core::lifecycle::Event::DecideMode {
            mode: anju_core::ManagementMode::Professional,
        },
        anju_core::lifecycle::Event::SettleOwners {
            body: anju_core::OwnersBody::OwnersCommittee,
        },
    ] {
        ver = store
            .advance(&actor, c.id, ver, &StepRequest::new(e, on))
            .await
            .expect("step")
            .version;
    }
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/choose"),
        &[
            ("version", &v),
            ("compound", &cid),
            ("company", &a_id),
            ("date", "2026-11-14"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lc = store.lifecycle(c.id).await.expect("lc");
    assert_eq!(lc.state.stage, anju_core::lifecycle::Stage::CompanySelected);
    assert_eq!(lc.state.company_id, Some(a.id));

    let page = t.get_as(&s, &page_uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("已确定入围企业"), "{}", page.body);
    assert!(
        page.body.contains(&format!("{}（2026-11-14）", a.name)),
        "the choice"
    );
    assert!(page.body.contains("资质齐全"));
    let en = t.get_as(&s, &format!("{page_uri}?lang=en")).await;
    assert!(en.body.contains("Registered companies") && en.body.contains("shortlisted"));
    let list = t.get_as(&s, "/selections").await;
    assert!(list.body.contains("第一批无物业小区选聘"));

    // Another street's officer neither sees nor opens it; the auditor reads but cannot post;
    // a form without the token is refused.
    let street = compound_named(t, "台联小区").await.compound.street;
    let o = user_session(t, "other", Role::Street, UserScope::Region(&street)).await;
    assert!(
        !t.get_as(&o, "/selections")
            .await
            .body
            .contains("第一批无物业小区选聘")
    );
    assert_eq!(t.get_as(&o, &page_uri).await.status, StatusCode::FORBIDDEN);
    let au = user_session(t, "shenji", Role::Auditor, UserScope::None).await;
    assert_eq!(t.get_as(&au, &page_uri).await.status, StatusCode::OK);
    let v = version(t).await;
    let r = post(
        t,
        &au,
        &format!("/selections/{id}/recommend"),
        &[("version", &v), ("compound", &cid)],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post_form(
            Some(&s),
            &format!("/selections/{id}/recommend"),
            &format!("version={v}&compound={cid}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(version(t).await, v, "nothing written");
}

both_engines!(tasks_are_listed_in_scope_with_overdue_highlighted_and_marked_done);
async fn tasks_are_listed_in_scope_with_overdue_highlighted_and_marked_done(t: &TestApp) {
    let store = &t.store;
    let a = Actor::new("test", "street");
    let ours = store
        .list_compounds(&CompoundFilter {
            street: Some(DAQINTALA.into()),
            ..CompoundFilter::default()
        })
        .await
        .expect("list");
    let other = compound_named(t, "台联小区").await;
    let task = |compound_id: i64, title: &str, deadline: jiff::civil::Date| NewTask {
        compound_id,
        title: title.into(),
        detail: None,
        responsible: "王主任".into(),
        deadline,
    };
    store
        .add_task(
            &a,
            task(ours[0].id, "召开业主大会", jiff::civil::date(2026, 1, 15)),
        )
        .await
        .expect("t1");
    store
        .add_task(
            &a,
            task(ours[1].id, "公示选聘结果", jiff::civil::date(2099, 1, 1)),
        )
        .await
        .expect("t2");
    store
        .add_task(
            &a,
            task(other.id, "聊城的任务", jiff::civil::date(2026, 1, 15)),
        )
        .await
        .expect("t3");

    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let r = t.get_as(&s, "/tasks").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("召开业主大会") && r.body.contains("公示选聘结果"));
    assert!(
        !r.body.contains("聊城的任务"),
        "another street's task is not listed"
    );
    assert!(
        r.body
            .contains("<b id=\"overdue-count\" class=\"hot\">1</b>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("badge overdue"));
    let en = t.get_as(&s, "/tasks?lang=en").await;
    assert!(en.body.contains("Mark done") && en.body.contains("href=\"/tasks\">中文</a>"));
    let r = t.get_as(&s, "/tasks?overdue=1").await;
    assert!(r.body.contains("召开业主大会") && !r.body.contains("公示选聘结果"));

    // Mark the overdue one done through its form.
    let t1 = store
        .list_tasks(&anju_store::TaskFilter {
            compound_id: Some(ours[0].id),
            ..Default::default()
        })
        .await
        .expect("tasks")[0]
        .clone();
    let r = post(
        t,
        &s,
        &format!("/tasks/{}/done", t1.id),
        &[("version", &t1.version.to_string()), ("date", "2026-11-20")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&s, "/tasks?status=done").await;
    assert!(r.body.contains("召开业主大会") && r.body.contains("2026-11-20"));
    assert!(r.body.contains("<b id=\"overdue-count\">0</b>"));
    // The same page again (stale version) is refused with the conflict message.
    let r = post(
        t,
        &s,
        &format!("/tasks/{}/done", t1.id),
        &[("version", &t1.version.to_string())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("已被他人修改"), "{}", r.body);
    // Another street's task cannot be marked from here.
    let t3 = store
        .list_tasks(&anju_store::TaskFilter {
            compound_id: Some(other.id),
            ..Default::default()
        })
        .await
        .expect("tasks")[0]
        .clone();
    let r = post(
        t,
        &s,
        &format!("/tasks/{}/done", t3.id),
        &[("version", &t3.version.to_string())],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Adding a task without a responsible person names the field and keeps the title.
    let cid = ours[2].id.to_string();
    let r = post(
        t,
        &s,
        "/tasks",
        &[
            ("compound", &cid),
            ("title", "张贴公告"),
            ("deadline", "2026-12-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("责任人：请填写"), "{}", r.body);
    assert!(r.body.contains("value=\"张贴公告\""));
    let r = post(
        t,
        &s,
        "/tasks",
        &[
            ("compound", &cid),
            ("title", "张贴公告"),
            ("responsible", "李干事"),
            ("deadline", "2026-12-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(t.get_as(&s, "/tasks").await.body.contains("张贴公告"));
    // Another street's compound cannot get a task from this officer.
    let oid = other.id.to_string();
    let r = post(
        t,
        &s,
        "/tasks",
        &[
            ("compound", &oid),
            ("title", "越权"),
            ("responsible", "李"),
            ("deadline", "2026-12-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

both_engines!(targets_show_progress_from_the_path_and_what_is_overdue);
async fn targets_show_progress_from_the_path_and_what_is_overdue(t: &TestApp) {
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    // Seed 004: "2022年底完成60%无物业小区的物业引进工作", baseline the 77 unmanaged compounds.
    let r = post(
        t,
        &s,
        "/targets",
        &[
            ("street", DAQINTALA),
            ("kind", "covered"),
            ("share", "60"),
            ("baseline", "2022-07-01"),
            ("due", "2026-12-31"),
            ("label", "年底完成60%物业引进"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A share over 100 is refused, the field named and the label kept.
    let r = post(
        t,
        &s,
        "/targets",
        &[
            ("street", DAQINTALA),
            ("kind", "covered"),
            ("share", "120"),
            ("baseline", "2022-07-01"),
            ("due", "2026-12-31"),
            ("label", "超额"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("目标比例：须在 1 至 100 之间（填写的是 120）"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"超额\""));

    // One compound covered by the street's basic service (街道兜底) on 2026-11-22.
    let c = unmanaged_in(t, DAQINTALA).await;
    let store = &t.store;
    let a = Actor::new("test", "street");
    let on = jiff::civil::date(2026, 11, 22);
    let lc = store
        .advance(
            &a,
            c.id,
            0,
            &StepRequest::new(anju_core::lifecycle::Event::Consult, on),
        )
        .await
        .expect("consult");
    let lc = store
        .advance(
            &a,
            c.id,
            lc.version,
            &StepRequest::new(
                anju_core::lifecycle::Event::DecideMode {
                    mode: anju_core::ManagementMode::StreetFallback,
                },
                on,
            ),
        )
        .await
        .expect("mode");
    store
        .advance(
            &a,
            c.id,
            lc.version,
            &StepRequest::new(anju_core::lifecycle::Event::StartService, on),
        )
        .await
        .expect("service");

    // 60 % of 77 = 46.2 → 47 required (rounded up); 1 achieved = 1/77 = 1.3 %.
    let r = t.get_as(&s, "/targets?as_of=2026-12-01").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("年底完成60%物业引进"), "{}", r.body);
    assert!(r.body.contains("<td class=\"num\">77（2022-07-01）</td><td class=\"num\">47</td><td class=\"num\">1（1.3 %）</td>"), "{}", r.body);
    assert!(r.body.contains("进行中"));
    let en = t.get_as(&s, "/targets?as_of=2026-12-01&lang=en").await;
    assert!(en.body.contains("Coverage targets") && en.body.contains("on track"));
    // After the due date it is overdue and the missing compounds are listed (20 shown).
    let r = t.get_as(&s, "/targets?as_of=2027-01-15").await;
    assert!(r.body.contains("badge overdue\">已逾期"), "{}", r.body);
    assert!(r.body.contains("未完成的小区"));
    assert!(r.body.contains("另有 56"), "76 missing, 20 shown");
    assert!(
        !r.body.contains(&format!(">{}</a>、", c.compound.name)),
        "the covered one is not missing"
    );

    // Another street's officer sees none of it.
    let street = compound_named(t, "台联小区").await.compound.street;
    let o = user_session(t, "other", Role::Street, UserScope::Region(&street)).await;
    let r = t.get_as(&o, "/targets").await;
    assert!(!r.body.contains("年底完成60%物业引进"));
    let r = post(
        t,
        &o,
        "/targets",
        &[
            ("street", DAQINTALA),
            ("kind", "covered"),
            ("share", "50"),
            ("baseline", "2022-07-01"),
            ("due", "2026-12-31"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

both_engines!(a_street_sets_the_targets_of_seed_004_from_the_page);
async fn a_street_sets_the_targets_of_seed_004_from_the_page(t: &TestApp) {
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    let r = t.get_as(&s, "/targets").await;
    assert!(
        r.body.contains("大沁他拉街道物业办2022年下半年工作计划")
            && r.body.contains("2022年底完成60%无物业小区的物业引进工作"),
        "the preset says what it sets: {}",
        r.body
    );
    // No street chosen: refused naming it, on the preset's form.
    let r = post(
        t,
        &s,
        "/targets/preset",
        &[("street", ""), ("preset", "daqintala-2022")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"preset-error\""), "{}", r.body);
    assert!(r.body.contains("街道"), "{}", r.body);
    let r = post(
        t,
        &s,
        "/targets/preset",
        &[("street", DAQINTALA), ("preset", "daqintala-2022")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.get_as(&s, "/targets?as_of=2022-12-01").await;
    for label in [
        "到2022年11月，业主委员会和物业管理委员会组建率达到90%以上",
        "2022年底完成60%无物业小区的物业引进工作",
        "2023年底所有小区都完成物业引进工作",
    ] {
        assert!(
            r.body.contains(&format!("<td>{label}</td>")),
            "{label}: {}",
            r.body
        );
    }
    // A community officer sees how the street stands, but names only its own compounds.
    let all = t
        .store
        .list_compounds(&anju_store::CompoundFilter {
            street: Some(DAQINTALA.into()),
            ..Default::default()
        })
        .await
        .expect("compounds");
    let community = all[0].compound.community.clone().expect("community");
    let elsewhere: Vec<&str> = all
        .iter()
        .filter(|c| c.compound.community.as_deref() != Some(community.as_str()))
        .map(|c| c.compound.name.as_str())
        .collect();
    assert!(!elsewhere.is_empty());
    let cm = user_session(t, "shequ", Role::Community, UserScope::Region(&community)).await;
    let r = t.get_as(&cm, "/targets?as_of=2024-01-15").await;
    assert!(
        r.body.contains("2023年底所有小区都完成物业引进工作"),
        "{}",
        r.body
    );
    for name in elsewhere {
        assert!(
            !r.body.contains(&format!(">{name}</a>")),
            "{name} is outside the community: {}",
            r.body
        );
    }
    // Another street's officer may not set them for this street.
    let street = compound_named(t, "台联小区").await.compound.street;
    let o = user_session(t, "other", Role::Street, UserScope::Region(&street)).await;
    let r = post(
        t,
        &o,
        "/targets/preset",
        &[("street", DAQINTALA), ("preset", "daqintala-2022")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

/// The day after today in China, as a form writes it.
fn tomorrow() -> String {
    anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(1))
        .expect("date")
        .to_string()
}

both_engines!(selection_dates_are_events_and_scope_is_asked_of_the_database);
async fn selection_dates_are_events_and_scope_is_asked_of_the_database(t: &TestApp) {
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    // An announcement dated tomorrow is refused naming the field; the deadline (a plan) may
    // lie ahead.
    let r = post(
        t,
        &s,
        "/selections",
        &[
            ("street", DAQINTALA),
            ("title", "明天的公告"),
            ("date", &tomorrow()),
            ("deadline", "2099-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("公告日期：") && r.body.contains("晚于今天"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"明天的公告\""));
    let r = post(
        t,
        &s,
        "/selections",
        &[
            ("street", DAQINTALA),
            ("title", "今天的公告"),
            ("deadline", "2099-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r
        .location()
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .expect("id");
    // A registration dated tomorrow is refused the same way; nothing is written.
    let sel = t.store.get_selection(id).await.expect("sel");
    let company = t.store.list_companies().await.expect("cos")[0].id;
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/register"),
        &[
            ("version", &sel.version.to_string()),
            ("company", &company.to_string()),
            ("date", &tomorrow()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("办理日期：") && r.body.contains("晚于今天"),
        "{}",
        r.body
    );
    assert_eq!(
        t.store.get_selection(id).await.expect("sel").version,
        sel.version
    );
    // A version missing from the form is refused naming it, never replaced by the current one.
    let r = post(
        t,
        &s,
        &format!("/selections/{id}/register"),
        &[("company", &company.to_string())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("版本号：缺少版本号"), "{}", r.body);

    // Another street's officer may not announce for this street.
    let street = compound_named(t, "台联小区").await.compound.street;
    let o = user_session(t, "other", Role::Street, UserScope::Region(&street)).await;
    let r = post(
        t,
        &o,
        "/selections",
        &[
            ("street", DAQINTALA),
            ("title", "越权"),
            ("deadline", "2099-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Listed for this street's officer only (the scope a condition of the query).
    let r = t.get_as(&o, "/selections").await;
    assert!(!r.body.contains("今天的公告"));
    let r = t.get_as(&s, "/selections").await;
    assert!(r.body.contains("今天的公告"));
}

both_engines!(a_target_is_a_plan_checked_field_by_field);
async fn a_target_is_a_plan_checked_field_by_field(t: &TestApp) {
    let s = user_session(t, "jiedao", Role::Street, UserScope::Region(DAQINTALA)).await;
    // A due date before the baseline names the due date.
    let r = post(
        t,
        &s,
        "/targets",
        &[
            ("street", DAQINTALA),
            ("kind", "covered"),
            ("share", "50"),
            ("baseline", "2022-07-01"),
            ("due", "2022-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("目标期限：2022-01-01 早于基数日期 2022-07-01"),
        "{}",
        r.body
    );
    let r = post(
        t,
        &s,
        "/targets",
        &[
            ("street", DAQINTALA),
            ("kind", "covered"),
            ("due", "2099-12-31"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("目标比例：请填写"), "{}", r.body);
    // A due date years ahead is a plan; the baseline defaults to seed 004's 2022-07-01.
    let r = post(
        t,
        &s,
        "/targets",
        &[
            ("street", DAQINTALA),
            ("kind", "owners_body"),
            ("share", "90"),
            ("due", "2099-12-31"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ps = t
        .store
        .target_progress(
            DAQINTALA,
            jiff::civil::date(2026, 12, 1),
            &Default::default(),
        )
        .await
        .expect("progress");
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].target.baseline_on, jiff::civil::date(2022, 7, 1));
    assert_eq!(ps[0].target.label, "无物业小区业委会/物管会组建");
}
