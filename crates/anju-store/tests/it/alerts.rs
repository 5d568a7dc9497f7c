//! 工作台 data: today's alerts on their boundary days, coverage over time, coverage cells —
//! on both engines.

use crate::support::{TestDb, both, clerk, code, compound, date, officer};
use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::fees::Month;
use anju_core::lifecycle::{Event, Signer};
use anju_core::oversight::{ComplaintSource, FindingCategory, PatrolKind};
use anju_core::{Area, ManagementMode, OwnersBody};
use anju_store::{
    AlertGroup, AlertKind, AlertOptions, ComplaintRules, CompoundFilter, NewComplaint, NewContract,
    NewFinding, NewPatrol, NewTask, StepRequest, Store,
};
use jiff::civil::Date;

const STREET: &str = "大沁他拉街道";
const OTHER: &str = "东城街道";

struct Ids {
    guangming: i64,
    gongxiao: i64,
    liangshi: i64,
    other: i64,
}

async fn id_of(s: &Store, name: &str) -> i64 {
    s.list_compounds(&CompoundFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.compound.name == name)
        .unwrap()
        .id
}

async fn step(s: &Store, id: i64, event: Event, on: Date) {
    let v = s.lifecycle(id).await.unwrap().version;
    s.advance(&officer(), id, v, &StepRequest::new(event, on))
        .await
        .unwrap();
}

async fn to_selected(s: &Store, id: i64, company_id: i64) {
    step(s, id, Event::Consult, date(2022, 8, 1)).await;
    let mode = ManagementMode::Professional;
    step(s, id, Event::DecideMode { mode }, date(2022, 8, 5)).await;
    let body = OwnersBody::OwnersCommittee;
    step(s, id, Event::SettleOwners { body }, date(2022, 8, 10)).await;
    step(
        s,
        id,
        Event::SelectCompany { company_id },
        date(2022, 8, 20),
    )
    .await;
}

fn contract(id: i64, company_id: i64, signed_on: Date, entry_on: Option<Date>) -> NewContract {
    NewContract {
        compound_ids: vec![id],
        company_id,
        signer: Signer::OwnersBody,
        signer_name: Some("业主委员会".into()),
        signed_on,
        entry_on,
        term: Term::years(2),
        service_level: ServiceLevel::TWO,
        min_level: Some(ServiceLevel::TWO),
        fees: Fees::LIAOCHENG_2021,
        served_area: Area::from_m2(8000),
        notice_on: None,
    }
}

/// Two served compounds (2026-01-05), two unmanaged ones (2022-06-01) walked to a contract, one
/// compound in another street; an order and tasks due on 2026-11-10, a contract signed
/// 2026-11-01 (filing deadline 2026-11-11), a contract in service from 2025-01-10 ending
/// 2027-01-09.
async fn setup(db: &TestDb) -> Ids {
    let s = &db.store;
    let mut rows = Vec::new();
    for (n, st, co, k) in [
        ("光明小区", STREET, "甲物业服务有限公司", 1),
        ("团结楼", STREET, "乙物业服务有限公司", 2),
        ("外街小区", OTHER, "丙物业服务有限公司", 3),
    ] {
        let mut c = compound(n, st, "新华社区");
        c.mode = ManagementMode::Professional;
        c.company = Some(co.into());
        c.company_code = Some(code(k));
        rows.push(c);
    }
    let unmanaged: Vec<_> = ["供销社家属院", "粮食局家属楼"]
        .iter()
        .map(|n| compound(n, STREET, "东城社区"))
        .collect();
    s.apply_ledger(&clerk(), &unmanaged, date(2022, 6, 1))
        .await
        .unwrap();
    s.apply_ledger(&clerk(), &rows, date(2026, 1, 5))
        .await
        .unwrap();
    let ids = Ids {
        guangming: id_of(s, "光明小区").await,
        gongxiao: id_of(s, "供销社家属院").await,
        liangshi: id_of(s, "粮食局家属楼").await,
        other: id_of(s, "外街小区").await,
    };
    let co = s
        .upsert_company(&clerk(), "奈曼旗安居物业服务有限公司", Some(code(9)))
        .await
        .unwrap();
    to_selected(s, ids.gongxiao, co).await;
    to_selected(s, ids.liangshi, co).await;
    // Signed 2026-11-01, not filed: deadline 2026-11-11.
    s.sign_contract(
        &officer(),
        &contract(ids.gongxiao, co, date(2026, 11, 1), None),
    )
    .await
    .unwrap();
    // Entry 2025-01-10 for 2 years: last day 2027-01-09; filed on time.
    let k = s
        .sign_contract(
            &officer(),
            &contract(ids.liangshi, co, date(2025, 1, 5), Some(date(2025, 1, 10))),
        )
        .await
        .unwrap();
    s.file_contract(&officer(), k.id, k.version, date(2025, 1, 8))
        .await
        .unwrap();
    step(s, ids.liangshi, Event::Enter, date(2025, 1, 10)).await;
    step(s, ids.liangshi, Event::StartService, date(2025, 1, 10)).await;
    let deadline = date(2026, 11, 10);
    s.add_patrol(
        &officer(),
        NewPatrol {
            compound_id: ids.guangming,
            kind: PatrolKind::WeeklyPatrol,
            date: date(2026, 11, 2),
            inspector: "李强".into(),
            note: None,
            findings: vec![NewFinding {
                category: FindingCategory::Safety,
                description: "消防通道占用".into(),
                evidence: vec![],
                order_deadline: Some(deadline),
            }],
        },
    )
    .await
    .unwrap();
    for (id, title) in [(ids.guangming, "成立业主委员会"), (ids.other, "外街任务")] {
        s.add_task(
            &officer(),
            NewTask {
                compound_id: id,
                title: title.into(),
                detail: None,
                responsible: "王敏".into(),
                deadline,
            },
        )
        .await
        .unwrap();
    }
    ids
}

fn group(groups: &[AlertGroup], kind: AlertKind) -> &AlertGroup {
    groups.iter().find(|g| g.kind == kind).unwrap()
}

fn ids_of(groups: &[AlertGroup], kind: AlertKind) -> Vec<i64> {
    group(groups, kind)
        .items
        .iter()
        .map(|a| a.compound_id)
        .collect()
}

fn street(name: &str) -> CompoundFilter {
    CompoundFilter {
        street: Some(name.into()),
        ..CompoundFilter::default()
    }
}

both!(alerts_turn_on_the_day_after_each_deadline);
async fn alerts_turn_on_the_day_after_each_deadline(db: TestDb) {
    let ids = setup(&db).await;
    let s = &db.store;
    let opts = AlertOptions::default();
    let f = street(STREET);

    // 2026-11-10: the order's and task's deadline day is on time; the filing deadline is
    // tomorrow; the ending contract's last day is 60 days away (以内 includes 60).
    let g = s.alerts(&f, date(2026, 11, 10), opts).await.unwrap();
    assert_eq!(
        g.iter().map(|x| x.kind).collect::<Vec<_>>(),
        AlertKind::ALL.to_vec()
    );
    assert!(ids_of(&g, AlertKind::OrderOverdue).is_empty());
    assert!(ids_of(&g, AlertKind::TaskOverdue).is_empty());
    assert!(ids_of(&g, AlertKind::FilingOverdue).is_empty());
    assert_eq!(ids_of(&g, AlertKind::ContractEnding), vec![ids.liangshi]);
    let ending = &group(&g, AlertKind::ContractEnding).items[0];
    assert_eq!((ending.date, ending.days), (date(2027, 1, 9), 60));
    assert!(
        ending
            .what(anju_core::Lang::Zh)
            .contains("2027-01-09 届满，还剩 60 天")
    );
    assert_eq!(ending.link, format!("/compounds/{}", ids.liangshi));
    // One day earlier the contract is 61 days out.
    let g = s.alerts(&f, date(2026, 11, 9), opts).await.unwrap();
    assert!(ids_of(&g, AlertKind::ContractEnding).is_empty());

    // 2026-11-11: order and task overdue by one day; filing still on time (its deadline day).
    let g = s.alerts(&f, date(2026, 11, 11), opts).await.unwrap();
    assert_eq!(ids_of(&g, AlertKind::OrderOverdue), vec![ids.guangming]);
    let order = &group(&g, AlertKind::OrderOverdue).items[0];
    assert_eq!((order.date, order.days), (date(2026, 11, 10), 1));
    assert_eq!(order.subject, "消防通道占用");
    assert_eq!(order.street, STREET);
    assert_eq!(ids_of(&g, AlertKind::TaskOverdue), vec![ids.guangming]);
    assert_eq!(
        group(&g, AlertKind::TaskOverdue).total,
        1,
        "other street's task not counted"
    );
    assert!(ids_of(&g, AlertKind::FilingOverdue).is_empty());

    // 2026-11-12: the filing is overdue by one day.
    let g = s.alerts(&f, date(2026, 11, 12), opts).await.unwrap();
    assert_eq!(ids_of(&g, AlertKind::FilingOverdue), vec![ids.gongxiao]);
    let filing = &group(&g, AlertKind::FilingOverdue).items[0];
    assert_eq!((filing.date, filing.days), (date(2026, 11, 11), 1));
    assert!(filing.what(anju_core::Lang::Zh).contains("未备案"));
    assert!(filing.what(anju_core::Lang::En).contains("not filed"));

    // The other street sees only its own task.
    let g = s
        .alerts(&street(OTHER), date(2026, 11, 12), opts)
        .await
        .unwrap();
    assert_eq!(ids_of(&g, AlertKind::TaskOverdue), vec![ids.other]);
    assert!(ids_of(&g, AlertKind::OrderOverdue).is_empty());
    assert!(ids_of(&g, AlertKind::FilingOverdue).is_empty());

    // Limit per kind keeps the count.
    let few = AlertOptions {
        limit_per_kind: 1,
        ..opts
    };
    let g = s
        .alerts(&CompoundFilter::default(), date(2026, 11, 12), few)
        .await
        .unwrap();
    let tasks = group(&g, AlertKind::TaskOverdue);
    assert_eq!((tasks.total, tasks.items.len()), (2, 1));
}

both!(complaints_overdue_from_the_day_after_their_deadline);
async fn complaints_overdue_from_the_day_after_their_deadline(db: TestDb) {
    let ids = setup(&db).await;
    let s = &db.store;
    let c = s
        .add_complaint(
            &clerk(),
            NewComplaint {
                compound_id: ids.guangming,
                source: ComplaintSource::Hotline12345,
                category: "环境卫生".into(),
                text: "楼道垃圾三天未清".into(),
                received_on: date(2026, 11, 20),
                contact: None,
            },
            &ComplaintRules::default(),
        )
        .await
        .unwrap();
    let f = street(STREET);
    let opts = AlertOptions::default();
    let on = |d: Date| s.alerts(&f, d, opts);
    let g = on(c.sign_deadline).await.unwrap();
    assert!(ids_of(&g, AlertKind::ComplaintOverdue).is_empty());
    let next = c.sign_deadline.tomorrow().unwrap();
    let g = on(next).await.unwrap();
    let a = &group(&g, AlertKind::ComplaintOverdue).items;
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].compound_id, a[0].note.as_deref()),
        (ids.guangming, Some("sign"))
    );
    assert_eq!((a[0].date, a[0].days), (c.sign_deadline, 1));
    assert!(a[0].what(anju_core::Lang::Zh).contains("未签收"));
}

both!(surveys_due_every_six_months_of_service);
async fn surveys_due_every_six_months_of_service(db: TestDb) {
    let ids = setup(&db).await;
    let s = &db.store;
    let opts = AlertOptions::default();
    let f = street(STREET);
    // 光明小区 is served since 2026-01-05 (its first mode row): due 2026-07-05.
    let g = s.alerts(&f, date(2026, 7, 4), opts).await.unwrap();
    assert!(!ids_of(&g, AlertKind::SurveyDue).contains(&ids.guangming));
    let g = s.alerts(&f, date(2026, 7, 5), opts).await.unwrap();
    let due = ids_of(&g, AlertKind::SurveyDue);
    assert!(due.contains(&ids.guangming), "{due:?}");
    // 粮食局家属楼 has been served since 2025-01-10; 供销社家属院 is not in service yet.
    assert!(due.contains(&ids.liangshi) && !due.contains(&ids.gongxiao));
    let a = group(&g, AlertKind::SurveyDue)
        .items
        .iter()
        .find(|a| a.compound_id == ids.guangming)
        .unwrap();
    assert_eq!(
        (a.date, a.days, a.note.as_deref()),
        (date(2026, 7, 5), 0, Some("never"))
    );

    // A survey started 2026-06-01 resets the clock to 2026-12-01; an open survey past its end
    // date is due too.
    s.create_survey(
        &officer(),
        &anju_store::NewSurvey {
            compound_id: ids.guangming,
            period: "2026H1".into(),
            starts_on: Some(date(2026, 6, 1)),
            ends_on: Some(date(2026, 6, 30)),
            rule: anju_store::SurveyRule::Erqi,
            households: None,
            tokens: Some(1),
        },
    )
    .await
    .unwrap();
    let g = s.alerts(&f, date(2026, 7, 5), opts).await.unwrap();
    let mine: Vec<_> = group(&g, AlertKind::SurveyDue)
        .items
        .iter()
        .filter(|a| a.compound_id == ids.guangming)
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].note.as_deref(), mine[0].date),
        (Some("open"), date(2026, 6, 30))
    );
    let g = s.alerts(&f, date(2026, 6, 30), opts).await.unwrap();
    assert!(!ids_of(&g, AlertKind::SurveyDue).contains(&ids.guangming));
}

both!(coverage_over_time_follows_the_dated_mode_history);
async fn coverage_over_time_follows_the_dated_mode_history(db: TestDb) {
    let _ids = setup(&db).await;
    let s = &db.store;
    let m = |y, mo| Month::new(y, mo).unwrap();
    let pts = s
        .coverage_over_time(&street(STREET), m(2024, 12), m(2025, 2))
        .await
        .unwrap();
    // December: the two compounds served since the census (their first period read back);
    // January: 粮食局家属楼 in service from 2025-01-10 as well; 供销社家属院 never.
    assert_eq!(
        pts.iter()
            .map(|p| (p.month_end, p.covered))
            .collect::<Vec<_>>(),
        vec![
            (date(2024, 12, 31), 2),
            (date(2025, 1, 31), 3),
            (date(2025, 2, 28), 3)
        ]
    );
    let all = s
        .coverage_over_time(&CompoundFilter::default(), m(2026, 12), m(2026, 12))
        .await
        .unwrap();
    assert_eq!(all[0].covered, 4);

    let cells = s.coverage_cells(&street(STREET)).await.unwrap();
    let n: u64 = cells.iter().map(|c| c.compounds).sum();
    assert_eq!(n, 4);
    let hh: u64 = cells.iter().map(|c| c.households).sum();
    assert_eq!(hh, 4 * 96);
    let area: i64 = cells.iter().map(|c| c.area_centi).sum();
    assert_eq!(area, 4 * 1_234_567);
    let bodies: u64 = cells.iter().map(|c| c.with_body).sum();
    assert_eq!(bodies, 2, "the walked compounds formed committees");
}

both!(figure_counters_move_at_commit_and_never_deadlock);
/// The figure counters (`figure_versions`) are raised when the write commits, in street order:
/// two writers moving compounds between the same two streets in opposite directions at once,
/// again and again, never deadlock (on PostgreSQL a transaction that raised the counters as it
/// went locked the old street, then the new one); each move raises both streets' counters; a
/// write that is refused raises none.
async fn figure_counters_move_at_commit_and_never_deadlock(db: TestDb) {
    let s = &db.store;
    let actor = clerk();
    s.apply_ledger(
        &actor,
        &[
            compound("甲小区", "东城街道", "幸福社区"),
            compound("乙小区", "西城街道", "和谐社区"),
        ],
        date(2026, 1, 1),
    )
    .await
    .expect("ledger");
    let a = id_of(s, "甲小区").await;
    let b = id_of(s, "乙小区").await;
    let east = s.get_compound(a).await.expect("a").street_id;
    let west = s.get_compound(b).await.expect("b").street_id;
    let before = s.figure_versions().await.expect("versions");
    let rounds = 12;
    let mover = |id: i64| {
        let s = s.clone();
        let actor = actor.clone();
        async move {
            for _ in 0..rounds {
                let c = s.get_compound(id).await.expect("compound");
                let mut next = c.compound.clone();
                (next.street, next.community) = if next.street == "东城街道" {
                    ("西城街道".to_string(), Some("和谐社区".to_string()))
                } else {
                    ("东城街道".to_string(), Some("幸福社区".to_string()))
                };
                s.update_compound(&actor, id, c.version, next)
                    .await
                    .expect("a move never deadlocks");
            }
        }
    };
    tokio::join!(mover(a), mover(b));
    let after = s.figure_versions().await.expect("versions");
    // Every move raises both streets' counters: 2 × 12 moves each.
    assert_eq!(after.street(east), before.street(east) + 2 * rounds);
    assert_eq!(after.street(west), before.street(west) + 2 * rounds);
    assert_eq!(after.city, before.city);
    // A refused write (a stale version) raises nothing.
    let c = s.get_compound(a).await.expect("compound");
    let mut stale = c.compound.clone();
    stale.remarks = Some("过期版本".into());
    assert!(
        s.update_compound(&actor, a, c.version - 1, stale)
            .await
            .is_err()
    );
    assert_eq!(s.figure_versions().await.expect("versions"), after);
}

both!(weekly_patrols_monthly_checks_and_quarterly_assessments_fall_due);
/// Seed 002 七（三）周巡查、月考核 and seed 003 六（四）季度考核: 光明小区 (served since 2026-01-05)
/// had a weekly patrol on 2026-11-02 and no monthly check; 粮食局家属楼 (served since
/// 2025-01-10) has neither. The day a patrol is due is on time.
async fn weekly_patrols_monthly_checks_and_quarterly_assessments_fall_due(db: TestDb) {
    let ids = setup(&db).await;
    let s = &db.store;
    let opts = AlertOptions::default();
    let f = street(STREET);
    let mine = |g: &[AlertGroup], id: i64, note: &str| {
        group(g, AlertKind::PatrolDue)
            .items
            .iter()
            .find(|a| a.compound_id == id && a.note.as_deref() == Some(note))
            .map(|a| (a.subject.clone(), a.date, a.days))
    };
    // A second patrol the same day and an earlier one: still one alert, from the latest day.
    for on in [date(2026, 11, 2), date(2026, 10, 20)] {
        s.add_patrol(
            &officer(),
            NewPatrol {
                compound_id: ids.guangming,
                kind: PatrolKind::WeeklyPatrol,
                date: on,
                inspector: "李强".into(),
                note: None,
                findings: vec![],
            },
        )
        .await
        .unwrap();
    }
    // Weekly: patrolled 11-02, due again 11-09 (on time that day), overdue from 11-10.
    let g = s.alerts(&f, date(2026, 11, 9), opts).await.unwrap();
    assert_eq!(mine(&g, ids.guangming, "weekly"), None);
    let g = s.alerts(&f, date(2026, 11, 10), opts).await.unwrap();
    assert_eq!(
        mine(&g, ids.guangming, "weekly"),
        Some(("2026-11-02".into(), date(2026, 11, 9), 1))
    );
    let weekly = group(&g, AlertKind::PatrolDue)
        .items
        .iter()
        .filter(|a| a.compound_id == ids.guangming && a.note.as_deref() == Some("weekly"))
        .count();
    assert_eq!(weekly, 1, "one alert per compound and kind");
    // Never checked monthly: due a month after service began (2026-02-05).
    assert_eq!(
        mine(&g, ids.guangming, "monthly"),
        Some((String::new(), date(2026, 2, 5), 278))
    );
    // 粮食局家属楼: no patrol of either kind since 2025-01-10.
    assert_eq!(
        mine(&g, ids.liangshi, "weekly"),
        Some((String::new(), date(2025, 1, 17), 662))
    );
    // 供销社家属院 is not yet served: nothing is due.
    assert!(
        !ids_of(&g, AlertKind::PatrolDue).contains(&ids.gongxiao),
        "{g:?}"
    );
    assert!(
        group(&g, AlertKind::PatrolDue)
            .items
            .first()
            .unwrap()
            .what(anju_core::Lang::Zh)
            .contains("已过")
    );

    // Quarterly: on 2026-11-10 the last ended quarter is 2026Q3 (07-01 … 09-30); both served
    // compounds were served before it began and have no assessment for it.
    let q = |g: &[AlertGroup]| ids_of(g, AlertKind::AssessmentDue);
    assert!(
        q(&g).contains(&ids.guangming) && q(&g).contains(&ids.liangshi),
        "{g:?}"
    );
    let a = group(&g, AlertKind::AssessmentDue)
        .items
        .iter()
        .find(|a| a.compound_id == ids.guangming)
        .unwrap()
        .clone();
    assert_eq!(
        (a.subject.as_str(), a.date, a.days),
        ("2026Q3", date(2026, 9, 30), 41)
    );
    // An assessment of 2026Q3 for 光明小区 clears it; 粮食局家属楼 stays due.
    s.create_assessment(
        &officer(),
        anju_store::NewAssessment {
            compound_id: ids.guangming,
            period: anju_core::assessment::Period::parse("2026Q3").unwrap(),
            rubric: anju_policy::rubric::Rubric::builtin("erqi").unwrap(),
            assessor_kind: anju_core::assessment::AssessorKind::Street,
            assessor: "大沁他拉街道".into(),
            events: vec![],
            survey: None,
            objection_days: None,
            evidence: vec![],
            sources: Default::default(),
        },
    )
    .await
    .unwrap();
    let g = s.alerts(&f, date(2026, 11, 10), opts).await.unwrap();
    assert!(!q(&g).contains(&ids.guangming) && q(&g).contains(&ids.liangshi));
    // On 2026-01-05 the last ended quarter is 2025Q4, and 光明小区 was not yet served then.
    let g = s.alerts(&f, date(2026, 1, 5), opts).await.unwrap();
    assert!(!q(&g).contains(&ids.guangming) && q(&g).contains(&ids.liangshi));
}
