//! Oversight (考核、巡查、投诉): workflow, access and audit, on both engines.

use crate::support::{TestDb, both, clerk, code, compound, date, officer};
use anju_core::ManagementMode;
use anju_core::assessment::{AssessorKind, Outcome, Period};
use anju_policy::rubric::{Event, Rubric};
use anju_store::{Actor, AuditFilter, CompoundFilter, NewAssessment, StoreError, StoredCompound};
use rust_decimal::Decimal;

const STREET: &str = "大沁他拉街道";

/// Two compounds, each served by its own company.
async fn setup(db: &TestDb) -> Vec<StoredCompound> {
    let rows: Vec<_> = [
        ("光明小区", "甲物业服务有限公司", 1),
        ("团结楼", "乙物业服务有限公司", 2),
    ]
    .iter()
    .map(|(n, co, k)| {
        let mut c = compound(n, STREET, "新华社区");
        c.mode = ManagementMode::Professional;
        c.company = Some((*co).into());
        c.company_code = Some(code(*k));
        c
    })
    .collect();
    db.store
        .apply_ledger(&clerk(), &rows, date(2026, 1, 5))
        .await
        .unwrap();
    let mut list = db
        .store
        .list_compounds(&CompoundFilter {
            street: Some(STREET.into()),
            ..CompoundFilter::default()
        })
        .await
        .unwrap();
    list.sort_by_key(|c| c.id);
    assert!(list.iter().all(|c| c.company_id.is_some()));
    list
}

fn district() -> Actor {
    Actor::new("赵刚", "district")
}

fn company_actor() -> Actor {
    Actor::new("甲物业", "company")
}

fn new_assessment(compound_id: i64, kind: AssessorKind, assessor: &str) -> NewAssessment {
    NewAssessment {
        compound_id,
        period: Period::parse("2026H1").unwrap(),
        rubric: Rubric::builtin("erqi").unwrap(),
        assessor_kind: kind,
        assessor: assessor.into(),
        // Item 15 (4 points): 0.5 per pile × 20 piles = 10, capped at 4. Item 4: 0.2 × 2.
        events: vec![],
        survey: None,
        objection_days: None,
        evidence: vec![],
        sources: Default::default(),
    }
}

fn erqi_events() -> Vec<Event> {
    let r = Rubric::builtin("erqi").unwrap();
    let mut out = Vec::new();
    for (no, count) in [(15u32, 50u32), (4, 1)] {
        let code = r.item(no).unwrap().deductions[0].code.clone();
        out.push(Event::new(no, &code, count));
    }
    out
}

both!(rubric_scoring_with_caps_through_the_store);
async fn rubric_scoring_with_caps_through_the_store(db: TestDb) {
    let cs = setup(&db).await;
    let s = &db.store;
    let mut n = new_assessment(cs[0].id, AssessorKind::Street, STREET);
    n.events = erqi_events();
    let a = s.create_assessment(&officer(), n).await.unwrap();
    let item15 = a.scorecard.items.iter().find(|i| i.no == 15).unwrap();
    assert_eq!(
        item15.score,
        Some(Decimal::ZERO),
        "an item never goes below zero"
    );
    let rubric = Rubric::builtin("erqi").unwrap();
    let d4 = rubric.item(4).unwrap().deductions[0].points;
    // Without a survey the satisfaction item (10) is not scored: 90 − 4 − d4.
    assert_eq!(a.score, Decimal::from(86) - d4);
    assert_eq!(a.grade_code, None, "no grade without the survey");
    assert_eq!(a.passed, None);
    assert_eq!(a.status.code(), "draft");
}

both!(submit_review_object_decide_and_final_is_immutable);
async fn submit_review_object_decide_and_final_is_immutable(db: TestDb) {
    let cs = setup(&db).await;
    let s = &db.store;
    let rubric = Rubric::builtin("erqi").unwrap();
    let mut n = new_assessment(cs[0].id, AssessorKind::Street, STREET);
    n.events = erqi_events();
    n.survey = Some(anju_policy::rubric::Survey::from_rate(
        anju_policy::rubric::SatisfactionRate::parse("85%").unwrap(),
    ));
    let a = s.create_assessment(&officer(), n).await.unwrap();
    assert_eq!(
        s.assessment_result(cs[0].id, &a.period).await.unwrap(),
        None
    );
    let a = s
        .submit_assessment(&officer(), a.id, a.version, date(2026, 7, 3))
        .await
        .unwrap();
    // Stale version.
    assert!(matches!(
        s.submit_assessment(&officer(), a.id, a.version - 1, date(2026, 7, 3))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    // An adjustment needs a reason.
    assert!(matches!(
        s.review_assessment(
            &district(),
            a.id,
            a.version,
            Outcome::Adjusted,
            None,
            None,
            date(2026, 7, 10)
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
    let a = s
        .review_assessment(
            &district(),
            a.id,
            a.version,
            Outcome::Adjusted,
            Some("楼道堆物重复记录，核减"),
            Some((&rubric, vec![erqi_events()[1].clone()])),
            date(2026, 7, 10),
        )
        .await
        .unwrap();
    assert_eq!(a.status.code(), "reviewed");
    let d4 = rubric.item(4).unwrap().deductions[0].points;
    assert_eq!(a.score, Decimal::from(100) - d4);
    // The other company may not object.
    let other = cs[1].company_id.unwrap();
    let err = s
        .object_assessment(
            &company_actor(),
            a.id,
            a.version,
            other,
            "不服",
            date(2026, 7, 12),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("无权"), "{err}");
    // Too late: window is 7 days after 07-10.
    assert!(
        s.object_assessment(
            &company_actor(),
            a.id,
            a.version,
            cs[0].company_id.unwrap(),
            "不服",
            date(2026, 7, 18)
        )
        .await
        .is_err()
    );
    let a = s
        .object_assessment(
            &company_actor(),
            a.id,
            a.version,
            cs[0].company_id.unwrap(),
            "着装一项已整改",
            date(2026, 7, 17),
        )
        .await
        .unwrap();
    assert_eq!(a.status.code(), "objected");
    let a = s
        .decide_objection(
            &district(),
            a.id,
            a.version,
            Outcome::Upheld,
            None,
            None,
            date(2026, 7, 20),
        )
        .await
        .unwrap();
    assert_eq!(a.status.code(), "final");
    assert_eq!(a.final_on, Some(date(2026, 7, 20)));
    // Final is immutable, in the store and in the database.
    let err = s
        .submit_assessment(&officer(), a.id, a.version, date(2026, 7, 21))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("定案"), "{err}");
    assert!(
        anju_store::query("UPDATE assessments SET assessor = 'x' WHERE id = $1")
            .bind(a.id)
            .execute(s.pool())
            .await
            .is_err()
    );
    let r = s
        .assessment_result(cs[0].id, &a.period)
        .await
        .unwrap()
        .unwrap();
    assert!(r.is_final && r.passed);
    assert_eq!(r.grade_code.as_deref(), Some("excellent"));
    assert_eq!(r.score, a.score);
    // The credit file got the assessment.
    let recs = s.company_records(cs[0].company_id.unwrap()).await.unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].record.score, Some(a.score));
    assert_eq!(recs[0].record.period.as_deref(), Some("2026H1"));
    // Audited: insert + submit + review + object + decide.
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("assessment".into()),
            entity_id: Some(a.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 5);
    assert_eq!(audit[0].actor, "赵刚");
}

both!(finalize_waits_for_the_objection_window);
async fn finalize_waits_for_the_objection_window(db: TestDb) {
    let cs = setup(&db).await;
    let s = &db.store;
    let a = s
        .create_assessment(
            &officer(),
            new_assessment(cs[1].id, AssessorKind::Street, STREET),
        )
        .await
        .unwrap();
    let a = s
        .submit_assessment(&officer(), a.id, a.version, date(2026, 7, 1))
        .await
        .unwrap();
    let a = s
        .review_assessment(
            &district(),
            a.id,
            a.version,
            Outcome::Upheld,
            None,
            None,
            date(2026, 7, 2),
        )
        .await
        .unwrap();
    assert!(
        s.finalize_assessment(&district(), a.id, a.version, false, date(2026, 7, 9))
            .await
            .is_err()
    );
    let a = s
        .finalize_assessment(&district(), a.id, a.version, false, date(2026, 7, 10))
        .await
        .unwrap();
    assert_eq!(a.status.code(), "final");
}

both!(evaluator_outside_its_assignment_is_refused);
async fn evaluator_outside_its_assignment_is_refused(db: TestDb) {
    let cs = setup(&db).await;
    let s = &db.store;
    let ev = "通辽市正信第三方测评有限公司";
    s.assign_evaluator(&district(), ev, cs[0].id).await.unwrap();
    s.assign_evaluator(&district(), ev, cs[0].id).await.unwrap();
    let err = s
        .create_assessment(
            &Actor::new(ev, "evaluator"),
            new_assessment(cs[1].id, AssessorKind::ThirdParty, ev),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("未受委托"), "{err}");
    assert!(matches!(err, StoreError::Forbidden(_)), "{err:?}");
    let a = s
        .create_assessment(
            &Actor::new(ev, "evaluator"),
            new_assessment(cs[0].id, AssessorKind::ThirdParty, ev),
        )
        .await
        .unwrap();
    let seen = s
        .list_assessments(&anju_store::AssessmentFilter {
            as_evaluator: Some(ev.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(seen.iter().map(|a| a.id).collect::<Vec<_>>(), vec![a.id]);
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("evaluator_assignment".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}

fn patrol(compound_id: i64, deadline: jiff::civil::Date) -> anju_store::NewPatrol {
    use anju_core::oversight::{FindingCategory, PatrolKind};
    anju_store::NewPatrol {
        compound_id,
        kind: PatrolKind::WeeklyPatrol,
        date: date(2026, 11, 16),
        inspector: "李强".into(),
        note: None,
        findings: vec![
            anju_store::NewFinding {
                category: FindingCategory::Environment,
                description: "3号楼楼道堆物".into(),
                evidence: vec![],
                order_deadline: Some(deadline),
            },
            anju_store::NewFinding {
                category: FindingCategory::Safety,
                description: "消防通道占用".into(),
                evidence: vec![],
                order_deadline: Some(deadline),
            },
            anju_store::NewFinding {
                category: FindingCategory::Order,
                description: "电动车停放较乱（已当场纠正）".into(),
                evidence: vec![],
                order_deadline: None,
            },
        ],
    }
}

both!(orders_overdue_late_and_only_their_company_answers);
async fn orders_overdue_late_and_only_their_company_answers(db: TestDb) {
    use anju_store::OrderFilter;
    let cs = setup(&db).await;
    let s = &db.store;
    let deadline = date(2026, 12, 1);
    let p = s
        .add_patrol(&officer(), patrol(cs[0].id, deadline))
        .await
        .unwrap();
    assert_eq!(p.findings.len(), 3);
    assert_eq!(
        p.findings.iter().filter(|f| f.order_id.is_some()).count(),
        2
    );
    let orders = s
        .list_orders(&OrderFilter {
            compound_id: Some(cs[0].id),
            ..OrderFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(orders.len(), 2);
    assert!(
        orders
            .iter()
            .all(|o| o.company_id == cs[0].company_id.unwrap())
    );
    // Overdue on deadline + 1, not on the deadline.
    let overdue = |d| OrderFilter {
        overdue_as_of: Some(d),
        ..OrderFilter::default()
    };
    assert!(s.list_orders(&overdue(deadline)).await.unwrap().is_empty());
    assert_eq!(
        s.list_orders(&overdue(date(2026, 12, 2)))
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(!orders[0].overdue(deadline) && orders[0].overdue(date(2026, 12, 2)));
    // Another company may not answer.
    let other = cs[1].company_id.unwrap();
    let err = s
        .answer_order(
            &company_actor(),
            orders[0].id,
            orders[0].version,
            other,
            "已清理",
            &[],
            date(2026, 11, 20),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, anju_store::StoreError::Forbidden(_)) && err.to_string().contains("无权"),
        "{err}"
    );
    assert!(
        s.list_orders(&OrderFilter {
            company_id: Some(other),
            ..OrderFilter::default()
        })
        .await
        .unwrap()
        .is_empty(),
        "a company sees only its own orders"
    );
    let own = cs[0].company_id.unwrap();
    // On the deadline: on time. One day later: late.
    let a = s
        .answer_order(
            &company_actor(),
            orders[0].id,
            orders[0].version,
            own,
            "已清理",
            &[],
            deadline,
        )
        .await
        .unwrap();
    assert!(!a.answered_late);
    let b = s
        .answer_order(
            &company_actor(),
            orders[1].id,
            orders[1].version,
            own,
            "已清理通道",
            &[],
            date(2026, 12, 3),
        )
        .await
        .unwrap();
    assert!(b.answered_late);
    assert_eq!(b.status.code(), "answered");
    // Street closes one and reopens the other.
    let a = s
        .close_order(&officer(), a.id, a.version, date(2026, 12, 4))
        .await
        .unwrap();
    assert_eq!(a.status.code(), "closed");
    assert!(
        s.close_order(&officer(), a.id, a.version, date(2026, 12, 4))
            .await
            .is_err()
    );
    let b = s
        .reopen_order(&officer(), b.id, b.version, Some(date(2026, 12, 10)))
        .await
        .unwrap();
    assert_eq!(
        (b.status.code(), b.reopened, b.answered_late),
        ("open", 1, true)
    );
    // Counted for the period and offered as Erqi events.
    let h2 = Period::parse("2026H2").unwrap();
    let counts = s
        .order_counts(cs[0].id, &h2, date(2026, 12, 20))
        .await
        .unwrap();
    assert_eq!((counts.orders, counts.overdue, counts.late), (2, 1, 1));
    let events = s
        .order_events(
            cs[0].id,
            &h2,
            date(2026, 12, 20),
            anju_store::ERQI_ORDER_MAPPING,
        )
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].item, events[0].code.as_str(), events[0].count),
        (19, "facility_fault", 1)
    );
    // Audited: the patrol, two orders, two answers, close, reopen.
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("rectification_order".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 6);
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("patrol".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}

both!(complaints_deadlines_access_and_credit_file);
async fn complaints_deadlines_access_and_credit_file(db: TestDb) {
    use anju_core::oversight::ComplaintSource;
    use anju_store::{ComplaintFilter, ComplaintRules, NewComplaint};
    let cs = setup(&db).await;
    let s = &db.store;
    let rules = ComplaintRules::default();
    // Received on Friday 2026-11-20: sign by Monday 11-23, answer by Wednesday 11-25.
    let new = |text: &str, on| NewComplaint {
        compound_id: cs[0].id,
        source: ComplaintSource::Hotline12345,
        category: "环境卫生".into(),
        text: text.into(),
        received_on: on,
        contact: None,
    };
    let c = s
        .add_complaint(
            &clerk(),
            new("楼道垃圾三天未清", date(2026, 11, 20)),
            &rules,
        )
        .await
        .unwrap();
    assert_eq!(c.sign_deadline, date(2026, 11, 23));
    assert_eq!(c.answer_deadline, date(2026, 11, 25));
    assert_eq!(c.company_id, cs[0].company_id);
    assert!(!c.sign_overdue(date(2026, 11, 23)) && c.sign_overdue(date(2026, 11, 24)));
    let other = cs[1].company_id.unwrap();
    let err = s
        .sign_complaint(&company_actor(), c.id, c.version, other, date(2026, 11, 23))
        .await
        .unwrap_err();
    assert!(
        matches!(err, anju_store::StoreError::Forbidden(_)) && err.to_string().contains("无权"),
        "{err}"
    );
    assert!(
        s.list_complaints(&ComplaintFilter {
            company_id: Some(other),
            ..ComplaintFilter::default()
        })
        .await
        .unwrap()
        .is_empty()
    );
    let own = cs[0].company_id.unwrap();
    let c = s
        .sign_complaint(&company_actor(), c.id, c.version, own, date(2026, 11, 23))
        .await
        .unwrap();
    let c = s
        .answer_complaint(
            &company_actor(),
            c.id,
            c.version,
            own,
            "已清运并加派保洁",
            date(2026, 11, 26),
        )
        .await
        .unwrap();
    assert!(c.late(), "answered a day after the deadline");
    assert!(
        s.rate_complaint(&clerk(), c.id, c.version, 6)
            .await
            .is_err()
    );
    let c = s
        .rate_complaint(&clerk(), c.id, c.version, 4)
        .await
        .unwrap();
    let c = s
        .close_complaint(&officer(), c.id, c.version, date(2026, 11, 27))
        .await
        .unwrap();
    assert_eq!((c.status.code(), c.rating), ("closed", Some(4)));
    let noise = s
        .add_complaint(&clerk(), new("夜间噪音", date(2026, 12, 1)), &rules)
        .await
        .unwrap();
    // Nothing verified: nothing counts (issue 15 item 7), however many complaints there are.
    let h2 = Period::parse("2026H2").unwrap();
    assert!(
        s.record_complaint_counts(&officer(), &h2, date(2027, 1, 5))
            .await
            .unwrap()
            .is_empty()
    );
    // 核实: needs what was found, not before the complaint was received.
    use anju_core::oversight::ComplaintVerdict;
    let err = s
        .verify_complaint(
            &officer(),
            c.id,
            c.version,
            ComplaintVerdict::Substantiated,
            " ",
            date(2026, 11, 30),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("核实情况"), "{err}");
    let err = s
        .verify_complaint(
            &officer(),
            c.id,
            c.version,
            ComplaintVerdict::Substantiated,
            "现场查看属实",
            date(2026, 11, 19),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("早于投诉受理日期"), "{err}");
    let c = s
        .verify_complaint(
            &officer(),
            c.id,
            c.version,
            ComplaintVerdict::Substantiated,
            "现场查看属实",
            date(2026, 11, 30),
        )
        .await
        .unwrap();
    assert_eq!(c.verdict, Some(ComplaintVerdict::Substantiated));
    assert_eq!(c.verdict_by.as_deref(), Some(officer().name.as_str()));
    s.verify_complaint(
        &officer(),
        noise.id,
        noise.version,
        ComplaintVerdict::Unfounded,
        "系邻居装修，非物业责任",
        date(2026, 12, 2),
    )
    .await
    .unwrap();
    // The substantiated complaint reached the credit file when it was found (issue 18 item 6),
    // the unfounded one did not; the period's count (a catch-up) then adds nothing twice.
    let file = s.company_records(own).await.unwrap();
    assert_eq!(file.len(), 1);
    assert_eq!(file[0].record.complaints, Some(1));
    assert_eq!(file[0].record.happened_on, date(2026, 11, 30));
    assert_eq!(file[0].record.period.as_deref(), Some("2026-11"));
    assert!(
        file[0]
            .record
            .note
            .as_deref()
            .is_some_and(|n| n.contains(&format!("投诉 #{} 核实有效", c.id))),
        "{:?}",
        file[0].record.note
    );
    assert!(
        s.record_complaint_counts(&officer(), &h2, date(2027, 1, 5))
            .await
            .unwrap()
            .is_empty()
    );
    // Verifying it again (the same finding) writes nothing more.
    let c = s
        .verify_complaint(
            &officer(),
            c.id,
            c.version,
            ComplaintVerdict::Substantiated,
            "复查：属实",
            date(2026, 12, 1),
        )
        .await
        .unwrap();
    assert_eq!(c.verdict, Some(ComplaintVerdict::Substantiated));
    assert_eq!(s.company_records(own).await.unwrap().len(), 1);
    // A finding revised afterwards (the noise was the company's after all) goes in then.
    let noise = s.get_complaint(noise.id).await.unwrap();
    s.verify_complaint(
        &officer(),
        noise.id,
        noise.version,
        ComplaintVerdict::Substantiated,
        "复查：物业未制止夜间施工",
        date(2027, 1, 8),
    )
    .await
    .unwrap();
    let file = s.company_records(own).await.unwrap();
    assert_eq!(file.len(), 2);
    assert_eq!(file[1].record.happened_on, date(2027, 1, 8));
    assert!(
        s.record_complaint_counts(&officer(), &h2, date(2027, 1, 9))
            .await
            .unwrap()
            .is_empty()
    );
    // Audited: two inserts, sign, answer, rate, close, four verifications.
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("complaint".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 10);
}

both!(ten_concurrent_complaint_counts_write_each_company_once);
/// Issue 15 item 4 ("check every other once-per rule the same way"): a period's complaint count
/// goes into a company's file once, also when ten requests arrive together.
async fn ten_concurrent_complaint_counts_write_each_company_once(db: TestDb) {
    use anju_core::oversight::{ComplaintSource, ComplaintVerdict};
    use anju_store::{ComplaintRules, NewComplaint};
    let cs = setup(&db).await;
    let s = &db.store;
    for (i, text) in ["楼道堆物", "路灯不亮", "垃圾未清"].iter().enumerate() {
        let c = s
            .add_complaint(
                &clerk(),
                NewComplaint {
                    compound_id: cs[0].id,
                    source: ComplaintSource::Resident,
                    category: "环境卫生".into(),
                    text: (*text).into(),
                    received_on: date(2026, 11, 2 + i as i8),
                    contact: None,
                },
                &ComplaintRules::default(),
            )
            .await
            .unwrap();
        s.verify_complaint(
            &officer(),
            c.id,
            c.version,
            ComplaintVerdict::Substantiated,
            "属实",
            date(2026, 11, 10),
        )
        .await
        .unwrap();
    }
    let h2 = Period::parse("2026H2").unwrap();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let s = s.clone();
        set.spawn(async move {
            s.record_complaint_counts(&officer(), &h2, date(2027, 1, 5))
                .await
        });
    }
    let mut written = 0;
    while let Some(r) = set.join_next().await {
        // A run that waited for the lock finds the count written (or, on SQLite, may be told
        // the database is busy); none writes it a second time.
        if let Ok(v) = r.expect("task") {
            written += v.len();
        }
    }
    // Each finding went into the file when it was made; the counts find nothing left to add.
    assert_eq!(written, 0);
    let file = s.company_records(cs[0].company_id.unwrap()).await.unwrap();
    assert_eq!(file.len(), 3);
    assert!(file.iter().all(|r| r.record.complaints == Some(1)));
}

both!(complaints_holidays_overdue_contact_and_evidence);
async fn complaints_holidays_overdue_contact_and_evidence(db: TestDb) {
    use anju_core::oversight::ComplaintSource;
    use anju_store::{
        ComplaintFilter, ComplaintOverdue, ComplaintRules, ComplaintStage, EvidenceDir,
        NewComplaint,
    };
    let cs = setup(&db).await;
    let s = &db.store;
    // 2026-10-01..07 National Day: received Wednesday 09-30, signed by the next working day.
    for d in 1..=7 {
        s.add_holiday(&clerk(), date(2026, 10, d), "国庆节")
            .await
            .unwrap();
    }
    let err = s
        .add_holiday(&clerk(), date(2026, 10, 1), "国庆节")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已在节假日清单中"), "{err}");
    assert_eq!(s.holidays().await.unwrap().len(), 7);
    let new = |text: &str, on, contact: Option<&str>| NewComplaint {
        compound_id: cs[0].id,
        source: ComplaintSource::Resident,
        category: "设施维修".into(),
        text: text.into(),
        received_on: on,
        contact: contact.map(str::to_string),
    };
    let rules = ComplaintRules::default();
    let c = s
        .add_complaint(
            &clerk(),
            new("单元门坏了", date(2026, 9, 30), Some(" 13800000000 ")),
            &rules,
        )
        .await
        .unwrap();
    // 10-01..07 are holidays (10-03/04 also a weekend): 1 working day → 10-08, 3 → 10-12
    // (10-10 and 10-11 are Saturday and Sunday).
    assert_eq!(c.sign_deadline, date(2026, 10, 8));
    assert_eq!(c.answer_deadline, date(2026, 10, 12));
    assert_eq!(c.contact.as_deref(), Some("13800000000"));
    let d = s
        .add_complaint(&clerk(), new("路灯不亮", date(2026, 10, 12), None), &rules)
        .await
        .unwrap();
    assert_eq!(d.sign_deadline, date(2026, 10, 13));

    // Overdue on 10-09: c not signed for (deadline 10-08); d not yet due.
    let overdue = s
        .list_complaints(&ComplaintFilter {
            overdue_on: Some(date(2026, 10, 9)),
            ..ComplaintFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(overdue.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c.id]);
    let all = s
        .list_complaints(&ComplaintFilter::default())
        .await
        .unwrap();
    assert_eq!(
        ComplaintOverdue::of(&all, date(2026, 10, 8)),
        ComplaintOverdue::default(),
        "the deadline day itself is on time"
    );
    assert_eq!(
        ComplaintOverdue::of(&all, date(2026, 10, 14)),
        ComplaintOverdue {
            sign_overdue: 2,
            answer_overdue: 1,
            overdue: 2
        }
    );

    // Evidence on the complaint; on the answer only once answered.
    let dir = tempfile::tempdir().unwrap();
    let ev = EvidenceDir::new(dir.path());
    let pdf = b"%PDF-1.4\n% complaint photo\n";
    let e = s
        .put_evidence(&clerk(), &ev, "照片.pdf", pdf)
        .await
        .unwrap();
    s.attach_complaint_evidence(
        &clerk(),
        c.id,
        ComplaintStage::Complaint,
        std::slice::from_ref(&e.sha256),
    )
    .await
    .unwrap();
    s.attach_complaint_evidence(
        &clerk(),
        c.id,
        ComplaintStage::Complaint,
        std::slice::from_ref(&e.sha256),
    )
    .await
    .unwrap();
    let err = s
        .attach_complaint_evidence(
            &clerk(),
            c.id,
            ComplaintStage::Answer,
            std::slice::from_ref(&e.sha256),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚未答复"), "{err}");
    let err = s
        .attach_complaint_evidence(
            &clerk(),
            c.id,
            ComplaintStage::Complaint,
            &["ab".repeat(32)],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("找不到证明材料"), "{err}");
    let co = cs[0].company_id.unwrap();
    let c = s
        .sign_complaint(&company_actor(), c.id, c.version, co, date(2026, 10, 8))
        .await
        .unwrap();
    let c = s
        .answer_complaint(
            &company_actor(),
            c.id,
            c.version,
            co,
            "已修复",
            date(2026, 10, 9),
        )
        .await
        .unwrap();
    let png = b"\x89PNG\r\n\x1a\nrepaired door";
    let e2 = s
        .put_evidence(&company_actor(), &ev, "修复后.png", png)
        .await
        .unwrap();
    s.attach_complaint_evidence(
        &company_actor(),
        c.id,
        ComplaintStage::Answer,
        std::slice::from_ref(&e2.sha256),
    )
    .await
    .unwrap();
    let files = s.complaint_evidence(c.id).await.unwrap();
    assert_eq!(
        files
            .iter()
            .map(|(st, e)| (*st, e.original_name.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (ComplaintStage::Answer, "修复后.png"),
            (ComplaintStage::Complaint, "照片.pdf")
        ]
    );
}
