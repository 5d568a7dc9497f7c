//! Subsidy runs and the money's path (issue 7): on both engines.
//!
//! Worked by hand from seed 000 (Liaocheng): served area 8,000 ㎡, signed 2022-09-01, score ≥ 80
//! (factor 100 %), 10 % held back each year:
//!   year 1: 8,000 × 0.4 × 12 = 38,400.00 → paid 34,560.00, held 3,840.00
//!   year 2: 8,000 × 0.3 × 12 = 28,800.00 → paid 25,920.00, held 2,880.00
//!   year 3: 8,000 × 0.2 × 12 = 19,200.00 → paid 17,280.00, held 1,920.00
//!   retention 3,840 + 2,880 + 1,920 = 8,640.00, released when year 3's collection ≥ 80 %.

use crate::support::{TestDb, both, clerk, code, compound, date, officer};
use anju_core::assessment::{AssessorKind, Outcome, Period};
use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::fees::Month;
use anju_core::funding::{Action, LineKind, LineStatus, RunPeriod};
use anju_core::lifecycle::{Event, Signer};
use anju_core::{Area, Fen, ManagementMode, OwnersBody, RegionLevel};
use anju_policy::rubric::Rubric;
use anju_store::{
    Actor, AuditFilter, FeeInput, LineFilter, NewAssessment, NewContract, StepRequest, Store,
    StoreError, SubsidyLine,
};

const STREET: &str = "大沁他拉街道";

fn finance() -> Actor {
    Actor::new("财政局刘会计", "finance")
}

async fn step(s: &Store, id: i64, event: Event, on: jiff::civil::Date) {
    let v = s.lifecycle(id).await.unwrap().version;
    s.advance(&officer(), id, v, &StepRequest::new(event, on))
        .await
        .unwrap();
}

/// An abandoned compound walked to a signed contract (signed 2022-09-01, entry 2022-10-01).
async fn contracted(s: &Store, name: &str, k: usize, term: Term) -> i64 {
    contracted_with_ledger_from(s, name, k, term, date(2022, 6, 1)).await
}

/// [`contracted`], the compound entering the ledger (its first mode record) on `ledger_on`.
async fn contracted_with_ledger_from(
    s: &Store,
    name: &str,
    k: usize,
    term: Term,
    ledger_on: jiff::civil::Date,
) -> i64 {
    let c = compound(name, STREET, "东城社区");
    s.apply_ledger(&clerk(), &[c], ledger_on).await.unwrap();
    let id = s
        .list_compounds(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.compound.name == name)
        .unwrap()
        .id;
    let co = s
        .upsert_company(&clerk(), &format!("第{k}物业服务有限公司"), Some(code(k)))
        .await
        .unwrap();
    step(s, id, Event::Consult, date(2022, 8, 1)).await;
    step(
        s,
        id,
        Event::DecideMode {
            mode: ManagementMode::Professional,
        },
        date(2022, 8, 5),
    )
    .await;
    step(
        s,
        id,
        Event::SettleOwners {
            body: OwnersBody::OwnersCommittee,
        },
        date(2022, 8, 10),
    )
    .await;
    step(
        s,
        id,
        Event::SelectCompany { company_id: co },
        date(2022, 8, 20),
    )
    .await;
    s.sign_contract(
        &officer(),
        &NewContract {
            compound_ids: vec![id],
            company_id: co,
            signer: Signer::OwnersBody,
            signer_name: Some(format!("{name}业主委员会")),
            signed_on: date(2022, 9, 1),
            entry_on: Some(date(2022, 10, 1)),
            term,
            service_level: ServiceLevel::TWO,
            min_level: Some(ServiceLevel::TWO),
            fees: Fees::LIAOCHENG_2021,
            served_area: Area::from_m2(8000),
            notice_on: None,
        },
    )
    .await
    .unwrap();
    id
}

/// A final assessment (no deductions) for `period`.
async fn assessed(s: &Store, id: i64, period: &str) {
    assessed_by(s, id, period, AssessorKind::Street).await;
}

/// A final assessment of `period` by an assessor of `kind` (a third party commissioned first).
async fn assessed_by(s: &Store, id: i64, period: &str, kind: AssessorKind) {
    let assessor = if kind == AssessorKind::ThirdParty {
        s.assign_evaluator(&officer(), "测评机构", id)
            .await
            .unwrap();
        "测评机构".to_string()
    } else {
        STREET.to_string()
    };
    let a = s
        .create_assessment(
            &officer(),
            NewAssessment {
                compound_id: id,
                period: Period::parse(period).unwrap(),
                rubric: Rubric::builtin("erqi").unwrap(),
                assessor_kind: kind,
                assessor,
                events: vec![],
                survey: Some(anju_policy::rubric::Survey::from_rate(
                    anju_policy::rubric::SatisfactionRate::parse("95%").unwrap(),
                )),
                objection_days: None,
                evidence: vec![],
                sources: Default::default(),
            },
        )
        .await
        .unwrap();
    let p = a.period;
    let after = p.end.tomorrow().unwrap();
    let a = s
        .submit_assessment(&officer(), a.id, a.version, after)
        .await
        .unwrap();
    let a = s
        .review_assessment(
            &officer(),
            a.id,
            a.version,
            Outcome::Upheld,
            None,
            None,
            after,
        )
        .await
        .unwrap();
    s.finalize_assessment(&officer(), a.id, a.version, true, after)
        .await
        .unwrap();
}

/// Twelve months from `from` billed 1,000.00 each, collected `collected` in total.
async fn fees(s: &Store, id: i64, from: &str, collected_first: i64) {
    let mut m = Month::parse(from).unwrap();
    let mut rows = Vec::new();
    for i in 0..12 {
        rows.push(FeeInput {
            compound_id: id,
            month: m,
            billed: Fen(100_000),
            collected: Fen(if i == 0 { collected_first } else { 80_000 }),
        });
        m = m.next();
    }
    s.import_fees(&clerk(), &rows).await.unwrap();
}

async fn street_id(s: &Store) -> i64 {
    s.find_region(RegionLevel::Street, STREET).await.unwrap().id
}

async fn run(s: &Store, period: &str) -> Vec<SubsidyLine> {
    let sid = street_id(s).await;
    let done = s
        .run_subsidies(&officer(), sid, RunPeriod::parse(period).unwrap())
        .await
        .unwrap();
    let run = s.get_subsidy_run(done.run.id).await.unwrap();
    // The summary adds up what the run wrote.
    assert_eq!(done.summary.lines, run.lines.len());
    assert_eq!(
        done.summary.amount,
        run.lines.iter().map(|l| l.amount).sum::<anju_core::Fen>()
    );
    run.lines
}

async fn walk(s: &Store, line: &SubsidyLine, actions: &[Action]) -> SubsidyLine {
    let mut l = line.clone();
    for a in actions {
        l = s
            .subsidy_step(
                &officer(),
                anju_core::access::Role::Admin,
                l.id,
                l.version,
                *a,
                "",
                date(2023, 9, 10),
                None,
            )
            .await
            .unwrap();
    }
    l
}

both!(whole_path_from_application_to_disbursement);
async fn whole_path_from_application_to_disbursement(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "供销社家属院", 1, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    // An unknown policy is refused.
    assert!(
        s.set_funding_policy(&officer(), sid, "nowhere", date(2022, 1, 1))
            .await
            .is_err()
    );
    assessed(s, id, "2023H1").await;
    let lines = run(s, "cy1").await;
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let l = &lines[0];
    assert_eq!((l.kind, l.eligible), (LineKind::Subsidy, true));
    assert_eq!(l.amount, Fen(3_456_000), "38,400 × 90 %");
    assert_eq!(l.retained, Fen(384_000));
    assert_eq!(
        (l.period_start, l.period_end),
        (Some(date(2022, 9, 1)), Some(date(2023, 8, 31)))
    );
    assert_eq!(l.payers.len(), 1);
    assert_eq!(l.payers[0].amount, l.amount);
    assert!(l.explanation_zh.contains("第 1 期"), "{}", l.explanation_zh);
    assert!(
        l.explanation_en.contains("period 1"),
        "{}",
        l.explanation_en
    );
    // The explanation's split shows what is paid now, not the retention (held until year 3).
    assert!(
        l.explanation_zh.contains("开发区财政 1/1 34,560.00 元"),
        "{}",
        l.explanation_zh
    );

    // The whole path, each step with its person, date and comment.
    let applied = s
        .subsidy_step(
            &Actor::new("第1物业服务有限公司", "company"),
            anju_core::access::Role::Admin,
            l.id,
            l.version,
            Action::Apply,
            "张会计",
            date(2023, 9, 5),
            Some("2022-2023 年度申报"),
        )
        .await
        .unwrap();
    assert_eq!(applied.status, LineStatus::Applied);
    // A stale version is refused.
    assert!(matches!(
        s.subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            l.id,
            l.version,
            Action::StreetReview,
            "",
            date(2023, 9, 6),
            None
        )
        .await,
        Err(StoreError::Conflict { .. })
    ));
    // Skipping the district review is refused with the reason.
    let err = s
        .subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            l.id,
            applied.version,
            Action::Approve,
            "",
            date(2023, 9, 6),
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不能批准"), "{err}");
    // Who takes a step is judged inside the step's transaction too, on the line as it is
    // there: finance may not take the street's review, nor return the line for it.
    for action in [Action::StreetReview, Action::Return] {
        let err = s
            .subsidy_step(
                &Actor::new("王会计", "finance"),
                anju_core::access::Role::Finance,
                l.id,
                applied.version,
                action,
                "",
                date(2023, 9, 6),
                Some("退回"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("“财政部门”角色无权")
                && err
                    .to_string()
                    .contains("此步由街道（园区）（街道办事处）办理"),
            "{err}"
        );
    }
    // Liaocheng's own chain (四（二）、（三）): the street reviews, 开发区建设管理部 approves and
    // pays; there is no district review to take.
    let reviewed = walk(s, &applied, &[Action::StreetReview]).await;
    let err = s
        .subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            reviewed.id,
            reviewed.version,
            Action::DistrictReview,
            "",
            date(2023, 9, 6),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("等待开发区建设管理部批准"),
        "{err}"
    );
    let done = walk(s, &reviewed, &[Action::Approve]).await;
    assert_eq!(done.approved, Some(Fen(3_456_000)));
    let paid = s
        .subsidy_step(
            &finance(),
            anju_core::access::Role::Admin,
            done.id,
            done.version,
            Action::Disburse,
            "刘会计",
            date(2023, 10, 8),
            Some("国库集中支付"),
        )
        .await
        .unwrap();
    assert_eq!(paid.status, LineStatus::Disbursed);
    let steps = s.subsidy_steps(l.id).await.unwrap();
    let codes: Vec<_> = steps.iter().map(|x| x.action.as_str()).collect();
    assert_eq!(codes, ["apply", "street_review", "approve", "disburse"]);
    assert_eq!(steps[0].person, "张会计");
    assert_eq!(steps[0].comment.as_deref(), Some("2022-2023 年度申报"));
    assert_eq!(steps[3].on, date(2023, 10, 8));
    let audits = s
        .audit_entries(&AuditFilter {
            entity: Some("subsidy_line".into()),
            entity_id: Some(l.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audits.len(), 5, "insert + four steps");

    // Nothing paid twice: a rerun supersedes no approved line, and applying for the same
    // compound and days again (here through the calendar year 2023) is refused, naming the
    // existing line.
    let again = run(s, "2023").await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].period_end, Some(date(2023, 8, 31)));
    let err = s
        .subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            again[0].id,
            again[0].version,
            Action::Apply,
            "",
            date(2023, 9, 20),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(&format!("第 {} 号", l.id)) && err.to_string().contains("已拨付"),
        "{err}"
    );
    assert_eq!(
        s.get_subsidy_line(l.id).await.unwrap().status,
        LineStatus::Disbursed
    );
}

both!(return_for_correction_then_reapply_and_rerun_supersedes_drafts);
async fn return_for_correction_then_reapply_and_rerun_supersedes_drafts(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "团结楼", 2, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    assessed(s, id, "2023H1").await;
    let first = run(s, "cy1").await;
    // A rerun supersedes the draft.
    let second = run(s, "cy1").await;
    assert_eq!(
        s.get_subsidy_line(first[0].id).await.unwrap().status,
        LineStatus::Superseded
    );
    assert!(
        s.subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            first[0].id,
            first[0].version + 1,
            Action::Apply,
            "",
            date(2023, 9, 5),
            None
        )
        .await
        .is_err()
    );
    let l = walk(s, &second[0], &[Action::Apply, Action::StreetReview]).await;
    let back = s
        .subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            l.id,
            l.version,
            Action::Return,
            "街道王科长",
            date(2023, 9, 12),
            Some("服务面积与合同不符，请核对"),
        )
        .await
        .unwrap();
    assert_eq!(back.status, LineStatus::Returned);
    let again = walk(s, &back, &[Action::Apply, Action::StreetReview]).await;
    assert_eq!(again.status, LineStatus::StreetReviewed);
    let steps = s.subsidy_steps(l.id).await.unwrap();
    assert_eq!(steps[2].action, "return");
    assert_eq!(
        steps[2].comment.as_deref(),
        Some("服务面积与合同不符，请核对")
    );
    assert_eq!(steps.len(), 5);
    // A third run after the application leaves the applied line alone.
    run(s, "cy1").await;
    assert_eq!(
        s.get_subsidy_line(l.id).await.unwrap().status,
        LineStatus::StreetReviewed
    );
}

both!(approved_amount_changes_only_by_an_adjustment);
async fn approved_amount_changes_only_by_an_adjustment(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "光明小区", 3, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    assessed(s, id, "2023H1").await;
    let l = run(s, "cy1").await.remove(0);
    // Not yet approved: no adjustment.
    let err = s
        .adjust_subsidy(
            &officer(),
            l.id,
            l.version,
            Fen(3_000_000),
            "核减",
            date(2023, 9, 1),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("只有已批准"), "{err}");
    let l = walk(
        s,
        &l,
        &[Action::Apply, Action::StreetReview, Action::Approve],
    )
    .await;
    // Without a reason: refused.
    assert!(
        s.adjust_subsidy(
            &officer(),
            l.id,
            l.version,
            Fen(3_000_000),
            " ",
            date(2023, 9, 1)
        )
        .await
        .is_err()
    );
    let adj = s
        .adjust_subsidy(
            &officer(),
            l.id,
            l.version,
            Fen(3_000_001),
            "服务面积核减为 6,944.45 ㎡",
            date(2023, 9, 20),
        )
        .await
        .unwrap();
    assert_eq!(adj.approved, Some(Fen(3_000_001)));
    assert_eq!(
        adj.amount,
        Fen(3_456_000),
        "the computed amount stays on record"
    );
    assert_eq!(
        adj.payers.iter().map(|p| p.amount).sum::<Fen>(),
        Fen(3_000_001)
    );
    let list = s.subsidy_adjustments(l.id).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].old, list[0].new), (Fen(3_456_000), Fen(3_000_001)));
    assert_eq!(list[0].reason, "服务面积核减为 6,944.45 ㎡");
    // Disbursed: no more adjustments.
    let paid = walk(s, &adj, &[Action::Disburse]).await;
    assert!(
        s.adjust_subsidy(
            &officer(),
            l.id,
            paid.version,
            Fen(1),
            "x",
            date(2023, 11, 1)
        )
        .await
        .is_err()
    );
}

both!(retention_released_at_80_and_withheld_at_79_9);
async fn retention_released_at_80_and_withheld_at_79_9(db: TestDb) {
    let s = &db.store;
    let a = contracted(s, "八十小区", 4, Term::years(10)).await;
    let b = contracted(s, "七九九小区", 5, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    for id in [a, b] {
        for p in ["2023H1", "2024H1", "2025H1"] {
            assessed(s, id, p).await;
        }
    }
    // Year 3 is 2024-09 … 2025-08: 12 × 1,000.00 billed; collected 9,600.00 (80 %) and
    // 9,588.00 (79.9 %).
    fees(s, a, "2024-09", 80_000).await;
    fees(s, b, "2024-09", 78_800).await;
    let y1 = run(s, "cy1").await;
    let y2 = run(s, "cy2").await;
    assert!(y1.iter().chain(&y2).all(|l| l.kind == LineKind::Subsidy));
    assert_eq!(y2[0].amount, Fen(2_592_000));
    let y3 = run(s, "cy3").await;
    let of = |id: i64, kind: LineKind| {
        y3.iter()
            .find(|l| l.compound_id == id && l.kind == kind)
            .unwrap()
            .clone()
    };
    assert_eq!(of(a, LineKind::Subsidy).amount, Fen(1_728_000));
    assert_eq!(of(a, LineKind::Subsidy).retained, Fen(192_000));
    let ra = of(a, LineKind::RetentionRelease);
    assert!(ra.eligible);
    assert_eq!(ra.amount, Fen(864_000), "3,840 + 2,880 + 1,920");
    assert!(
        ra.explanation_zh.contains("80.00 %"),
        "{}",
        ra.explanation_zh
    );
    let rb = of(b, LineKind::RetentionRelease);
    assert!(!rb.eligible);
    assert_eq!(rb.amount, Fen::ZERO);
    assert!(
        rb.reason_zh.as_deref().unwrap().contains("79.90 %"),
        "{:?}",
        rb.reason_zh
    );
    // The withheld retention cannot be applied for.
    assert!(
        s.subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            rb.id,
            rb.version,
            Action::Apply,
            "",
            date(2025, 9, 5),
            None
        )
        .await
        .is_err()
    );
    // The last year's subsidy line explains what it pays now (17,280.00), not the release,
    // which is its own line: 90 % of 19,200.00 with the 10 % retention of 1,920.00.
    let sa = of(a, LineKind::Subsidy);
    assert!(
        sa.explanation_zh.contains("本期支付 17,280.00 元"),
        "{}",
        sa.explanation_zh
    );
    assert!(
        !sa.explanation_zh.contains("释放预留"),
        "{}",
        sa.explanation_zh
    );
    assert!(
        sa.explanation_en
            .contains("Paid at this settlement 17,280.00"),
        "{}",
        sa.explanation_en
    );
    // The release line names the input in words and the rate as read.
    assert!(
        ra.explanation_zh
            .contains("第 3 期 物业费收缴率 为 80.00 %"),
        "{}",
        ra.explanation_zh
    );
    // The same explanation when the line is read alone.
    let again = s.get_subsidy_line(ra.id).await.unwrap();
    assert_eq!(again.explanation_zh, ra.explanation_zh);
    assert_eq!(again.explanation_en, ra.explanation_en);
    // The audit copy of a computed line holds its figures, not the explanation text.
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("subsidy_line".into()),
            entity_id: Some(ra.id),
            ..Default::default()
        })
        .await
        .unwrap();
    let inserted = audit.iter().find(|e| e.action == "insert").unwrap();
    let after = inserted.after.as_ref().unwrap();
    assert_eq!(after["amount"], 864_000, "{after}");
    assert!(after.get("explanation_zh").is_none(), "{after}");
    assert!(after.get("basis").is_none(), "{after}");
    // The release walks the path as its own line.
    let r = walk(s, &ra, &[Action::Apply]).await;
    assert_eq!(r.status, LineStatus::Applied);
}

both!(a_list_without_explanations_renders_them_on_demand);
async fn a_list_without_explanations_renders_them_on_demand(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "按需说明小区", 4, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    assessed(s, id, "2023H1").await;
    let full = run(s, "cy1").await;
    assert!(full.iter().all(|l| !l.explanation_zh.is_empty()));
    let mut bare = s
        .subsidy_lines(&LineFilter {
            region_id: Some(sid),
            without_explanations: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(bare.len(), full.len());
    // The figures are all there; the text comes when asked for, the same as a full read.
    assert!(bare.iter().all(|l| l.explanation_zh.is_empty()));
    assert_eq!(
        bare.iter().map(|l| l.amount).collect::<Vec<_>>(),
        full.iter().map(|l| l.amount).collect::<Vec<_>>()
    );
    s.explain_lines(&mut bare).unwrap();
    assert_eq!(bare, full);
}

both!(a_long_list_is_read_in_chunks_whole_and_in_order);
/// The lines are read by keyset, 100 a statement in a debug build (20,000 in a release): a list
/// longer than that comes back whole, each line once, by street, compound and id.
async fn a_long_list_is_read_in_chunks_whole_and_in_order(db: TestDb) {
    let s = &db.store;
    for k in 0..45 {
        // Named in the reverse of the order they are written, so id order is not name order.
        contracted(s, &format!("分批小区{:02}", 44 - k), k, Term::years(10)).await;
    }
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    for period in ["cy1", "cy2", "cy3"] {
        assert_eq!(run(s, period).await.len(), 45);
    }
    let all = s.subsidy_lines(&LineFilter::default()).await.unwrap();
    assert_eq!(all.len(), 135);
    let ids: std::collections::BTreeSet<i64> = all.iter().map(|l| l.id).collect();
    assert_eq!(ids.len(), 135, "a line read twice");
    let keys: Vec<(String, String, i64)> = all
        .iter()
        .map(|l| (l.street.clone(), l.compound.clone(), l.id))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(all[0].compound, "分批小区00");
    assert_eq!(all[134].compound, "分批小区44");
    // A filter still applies to every chunk.
    let cy2 = s
        .subsidy_lines(&LineFilter {
            period: Some(RunPeriod::parse("cy2").unwrap().code()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cy2.len(), 45);
}

both!(a_computed_line_cannot_be_changed_in_the_database);
async fn a_computed_line_cannot_be_changed_in_the_database(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "测算结果不可改小区", 4, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    assessed(s, id, "2023H1").await;
    let lines = run(s, "cy1").await;
    let l = lines.iter().find(|l| l.compound_id == id).unwrap();
    // Neither the amount, nor the basis its explanation is rendered from, can be rewritten
    // behind the money's path; the status still moves.
    for sql in [
        "UPDATE subsidy_lines SET amount_fen = amount_fen + 100 WHERE id = $1",
        "UPDATE subsidy_lines SET basis = '{}' WHERE id = $1",
        "UPDATE subsidy_lines SET explanation_zh = '改过' WHERE id = $1",
    ] {
        let r = anju_store::query(sql).bind(l.id).execute(s.pool()).await;
        assert!(r.is_err(), "{sql} was accepted");
    }
    let walked = walk(s, l, &[Action::Apply]).await;
    assert_eq!(walked.status, LineStatus::Applied);
    assert_eq!(walked.amount, l.amount);
    assert_eq!(walked.explanation_zh, l.explanation_zh);
}

both!(yantai_city_and_district_split_adds_up_to_the_fen);
async fn yantai_city_and_district_split_adds_up_to_the_fen(db: TestDb) {
    let s = &db.store;
    // 11 years: "超过10年".
    let id = contracted(s, "烟台小区", 6, Term::years(11)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "yantai-2022", date(2022, 1, 1))
        .await
        .unwrap();
    // Seed 001 三（四）: a passed assessment of the street's own does not open Yantai's gate;
    // the third-party evaluation does.
    assessed(s, id, "2023H1").await;
    let l = run(s, "cy1").await.remove(0);
    assert_eq!(l.amount, Fen::ZERO, "{}", l.explanation_zh);
    assert!(!l.eligible, "{}", l.explanation_zh);
    assessed_by(s, id, "2023H1", AssessorKind::ThirdParty).await;
    // Year 1 is 2022-09 … 2023-08; 应收 12,000.01 → 50 % = 6,000.005 → 6,000.01 (half-up once)
    // → city 3,000.01, district 3,000.00.
    let mut m = Month::parse("2022-09").unwrap();
    let mut rows = Vec::new();
    for i in 0..12 {
        rows.push(FeeInput {
            compound_id: id,
            month: m,
            billed: Fen(if i == 0 { 100_001 } else { 100_000 }),
            collected: Fen(90_000),
        });
        m = m.next();
    }
    s.import_fees(&clerk(), &rows).await.unwrap();
    let l = run(s, "cy1").await.remove(0);
    assert!(l.eligible, "{:?} {}", l.reason_zh, l.explanation_zh);
    assert_eq!(l.amount, Fen(600_001), "{}", l.explanation_zh);
    let parts: Vec<_> = l.payers.iter().map(|p| (p.id.as_str(), p.amount)).collect();
    assert_eq!(parts, [("city", Fen(300_001)), ("district", Fen(300_000))]);
    assert_eq!(l.payers.iter().map(|p| p.amount).sum::<Fen>(), l.amount);
}

both!(ineligible_compounds_are_explained_and_grants_bounded);
async fn ineligible_compounds_are_explained_and_grants_bounded(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "无考核小区", 7, Term::years(10)).await;
    // No policy for the street yet.
    let l = run(s, "cy1").await.remove(0);
    assert!(!l.eligible);
    assert!(
        l.reason_zh
            .as_deref()
            .unwrap()
            .contains("未指定适用的补贴政策")
    );
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    // No assessment: 缺少考核结果, not 0.
    let l = run(s, "cy1").await.remove(0);
    assert!(!l.eligible);
    assert_eq!(l.amount, Fen::ZERO);
    assert!(
        l.reason_zh.as_deref().unwrap().contains("缺少考核结果"),
        "{:?}",
        l.reason_zh
    );
    assert!(
        l.reason_en
            .as_deref()
            .unwrap()
            .contains("no assessment result")
    );
    let err = s
        .subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            l.id,
            l.version,
            Action::Apply,
            "",
            date(2023, 9, 5),
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不符合补贴条件"), "{err}");

    // Infrastructure grants: a share of the company's investment, 5,000–10,000 元, once per
    // compound the company has taken over. 9,999.98 × 50 % = 4,999.99: under the lower end.
    taken_over(s, id).await;
    assert!(
        s.grant_infrastructure(
            &officer(),
            id,
            Fen(999_998),
            50,
            date(2023, 3, 1),
            None,
            None
        )
        .await
        .is_err()
    );
    // 30,000 × 50 % = 15,000: the grant is the cap, 10,000, and says so.
    let g = s
        .grant_infrastructure(
            &officer(),
            id,
            Fen(3_000_000),
            50,
            date(2023, 3, 1),
            None,
            Some("充电桩 2 个"),
        )
        .await
        .unwrap();
    assert_eq!(
        (g.kind, g.amount),
        (LineKind::Infrastructure, Fen(1_000_000))
    );
    assert!(
        g.explanation_zh
            .contains("企业投入 30,000.00 元 × 50% = 10,000.00 元（按上限）"),
        "{}",
        g.explanation_zh
    );
    let err = s
        .grant_infrastructure(
            &officer(),
            id,
            Fen(1_600_000),
            50,
            date(2023, 4, 1),
            None,
            None,
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(&format!("第 {} 号", g.id)),
        "{err}"
    );
    let listed = s
        .subsidy_lines(&LineFilter {
            region_id: Some(sid),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(listed.iter().any(|x| x.id == g.id));
}

/// Files the compound's contract and walks it to 在管服务: the company has taken it over (the
/// ledger names it from then on).
async fn taken_over(s: &Store, id: i64) {
    let k = s.list_contracts(Some(id)).await.unwrap().remove(0);
    s.file_contract(&officer(), k.id, k.version, date(2022, 9, 5))
        .await
        .unwrap();
    step(s, id, Event::Enter, date(2022, 10, 1)).await;
    step(s, id, Event::StartService, date(2022, 10, 1)).await;
    assert!(s.get_compound(id).await.unwrap().company_id.is_some());
}

/// A closed survey of 10 answers, `satisfied` of them satisfied, for `period`.
async fn surveyed(s: &Store, id: i64, period: &str, satisfied: usize) {
    let (survey, tokens) = s
        .create_survey(
            &officer(),
            &anju_store::NewSurvey {
                compound_id: id,
                period: period.into(),
                starts_on: None,
                ends_on: None,
                rule: anju_store::SurveyRule::Daqintala,
                households: Some(96),
                tokens: Some(10),
            },
        )
        .await
        .unwrap();
    for (i, t) in tokens.iter().enumerate() {
        let a = anju_store::SurveyAnswer {
            satisfied: i < satisfied,
            score: None,
            comment: None,
        };
        s.answer_survey(&t.token, id, &a).await.unwrap();
    }
    s.close_survey(&officer(), survey.id, survey.version)
        .await
        .unwrap();
}

both!(daqintala_gate_reads_the_survey_satisfaction);
async fn daqintala_gate_reads_the_survey_satisfaction(db: TestDb) {
    let s = &db.store;
    let a = contracted(s, "满意小区", 8, Term::years(10)).await;
    let b = contracted(s, "不满意小区", 9, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "daqintala-2022-city", date(2022, 1, 1))
        .await
        .unwrap();
    for id in [a, b] {
        assessed(s, id, "2023H1").await;
    }
    // Year 1 counts from entry: 2022-10-01 … 2023-09-30. 8/10 = 80 % (included), 7/10 = 70 %.
    surveyed(s, a, "2023H1", 8).await;
    surveyed(s, b, "2023H1", 7).await;
    let lines = run(s, "cy1").await;
    let of = |id: i64| lines.iter().find(|l| l.compound_id == id).unwrap().clone();
    let la = of(a);
    assert_eq!(
        (la.period_start, la.period_end),
        (Some(date(2022, 10, 1)), Some(date(2023, 9, 30)))
    );
    assert!(la.eligible, "{:?} {}", la.reason_zh, la.explanation_zh);
    assert_eq!(la.amount, Fen(2_880_000), "8,000 × 0.3 × 12");
    let lb = of(b);
    assert_eq!(lb.amount, Fen::ZERO);
    assert!(!lb.eligible);
    assert!(
        lb.reason_zh
            .as_deref()
            .unwrap()
            .contains("考核未达到付款条件"),
        "{:?}",
        lb.reason_zh
    );
    assert!(lb.explanation_zh.contains("70"), "{}", lb.explanation_zh);
}

both!(runs_are_listed_within_the_readers_region_by_the_query);
async fn runs_are_listed_within_the_readers_region_by_the_query(db: TestDb) {
    use anju_store::Scope;
    let s = &db.store;
    contracted(s, "供销社家属院", 1, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    let done = s
        .run_subsidies(&officer(), sid, RunPeriod::parse("2026").unwrap())
        .await
        .unwrap();
    let mut regions = s.list_regions().await.unwrap();
    let parent = |regions: &[anju_store::Region], id: i64| {
        regions
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.parent_id)
    };
    let district = parent(&regions, sid).unwrap();
    let district_name = regions
        .iter()
        .find(|r| r.id == district)
        .unwrap()
        .name
        .clone();
    // A second street of the same district, and a community of the first.
    s.ensure_region_path(&officer(), None, Some(&district_name), "另一街道", None)
        .await
        .unwrap();
    s.ensure_region_path(
        &officer(),
        None,
        Some(&district_name),
        STREET,
        Some("某社区"),
    )
    .await
    .unwrap();
    regions = s.list_regions().await.unwrap();
    let parent = |id: i64| parent(&regions, id);
    let district = parent(sid).unwrap();
    // The test tree may stop at the district; a city above it sees the run too.
    let city = parent(district).unwrap_or(district);
    let other_street = regions
        .iter()
        .find(|r| r.level == RegionLevel::Street && r.id != sid)
        .unwrap()
        .id;
    let community = regions
        .iter()
        .find(|r| r.parent_id == Some(sid))
        .unwrap()
        .id;
    let ids = |runs: Vec<anju_store::SubsidyRun>| runs.iter().map(|r| r.id).collect::<Vec<_>>();
    for (scope, seen) in [
        (Scope::All, true),
        (Scope::Region(city), true),
        (Scope::Region(district), true),
        (Scope::Region(sid), true),
        (Scope::Region(other_street), false),
        (Scope::Region(community), false),
        (Scope::Company(1), false),
        (Scope::Nothing, false),
    ] {
        let runs = ids(s.list_subsidy_runs(scope).await.unwrap());
        assert_eq!(runs.contains(&done.run.id), seen, "{scope:?}: {runs:?}");
    }
}

both!(ten_concurrent_infrastructure_grants_make_one);
async fn ten_concurrent_infrastructure_grants_make_one(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "并发小区", 8, Term::years(10)).await;
    taken_over(s, id).await;
    // Ten requests at once (two worker threads, a pool of connections): one grant, nine refusals
    // naming it, whatever the interleaving; the database's key decides, not a read before.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let s = s.clone();
        set.spawn(async move {
            s.grant_infrastructure(
                &officer(),
                id,
                Fen(1_600_000),
                50,
                date(2023, 3, 1),
                None,
                None,
            )
            .await
        });
    }
    let mut made = Vec::new();
    let mut refused = 0;
    while let Some(r) = set.join_next().await {
        match r.expect("task") {
            Ok(l) => made.push(l),
            Err(e) => {
                assert!(e.to_string().contains("每个小区只给一次"), "{e}");
                refused += 1;
            }
        }
    }
    assert_eq!((made.len(), refused), (1, 9));
    assert_eq!(made[0].amount, Fen(800_000), "16,000 × 50 %");
    let lines = s
        .subsidy_lines(&LineFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.compound_id == id && l.kind == LineKind::Infrastructure)
        .count();
    assert_eq!(lines, 1, "one line in the database");
    // A compound no company has taken over gets none.
    let c = compound("无物业小区", STREET, "东城社区");
    s.apply_ledger(&clerk(), &[c], date(2022, 6, 1))
        .await
        .unwrap();
    let bare = s
        .list_compounds(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.compound.name == "无物业小区")
        .unwrap();
    assert!(bare.company_id.is_none());
    let err = s
        .grant_infrastructure(
            &officer(),
            bare.id,
            Fen(1_600_000),
            50,
            date(2023, 3, 1),
            None,
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("没有接管的物业服务企业"), "{err}");
}

both!(a_survey_whose_period_does_not_parse_stops_the_run_naming_it);
async fn a_survey_whose_period_does_not_parse_stops_the_run_naming_it(db: TestDb) {
    let s = &db.store;
    let a = contracted(s, "期间不明小区", 8, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "daqintala-2022-city", date(2022, 1, 1))
        .await
        .unwrap();
    assessed(s, a, "2023H1").await;
    surveyed(s, a, "下半年", 8).await;
    let err = s
        .run_subsidies(&officer(), sid, RunPeriod::parse("cy1").unwrap())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("满意度调查第") && err.to_string().contains("“下半年”无法识别"),
        "{err}"
    );
}

both!(retention_of_a_contract_ended_early_is_released_when_the_term_is_over);
/// Liaocheng 四（一）: "剩余部分在3年补助期限届满后，视物业费收缴情况予以支付". A contract signed
/// 2022-09-01 and ended on 2022-10-15 (a month and a half of service): year 1 pays 90 % of its
/// served days and holds 10 %; nothing is released in year 1's run nor in year 2's; year 3's run
/// (whose window holds the term's end, 2025-08-31) releases what year 1 held, on year 1's
/// collection (the last period served).
async fn retention_of_a_contract_ended_early_is_released_when_the_term_is_over(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "早退小区", 6, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    assessed(s, id, "2023H1").await;
    fees(s, id, "2022-09", 80_000).await;
    let k = s.list_contracts(Some(id)).await.unwrap().remove(0);
    s.terminate_contract(
        &officer(),
        k.id,
        k.version,
        anju_core::lifecycle::ExitKind::Exit,
        "企业退出",
        date(2022, 10, 15),
    )
    .await
    .unwrap();
    let y1 = run(s, "cy1").await;
    assert_eq!(y1.len(), 1, "{y1:?}");
    assert_eq!(y1[0].kind, LineKind::Subsidy);
    // 2022-09-01 … 2022-10-15 is a whole month and 15 days, counted 1.5 months (the file's
    // reading of 三's half-month rule): 8,000 ㎡ × 0.40 × 1.5 = 4,800.00; 4,320.00 paid, 480.00 held.
    assert_eq!(y1[0].amount, Fen(432_000), "{:?}", y1[0]);
    let held = y1[0].retained;
    assert_eq!(held, Fen(48_000));
    assert!(run(s, "cy2").await.is_empty());
    let y3 = run(s, "cy3").await;
    assert_eq!(y3.len(), 1, "{y3:?}");
    let r = &y3[0];
    assert_eq!(r.kind, LineKind::RetentionRelease);
    assert!(r.eligible);
    assert_eq!(r.amount, held);
    assert!(
        r.explanation_zh.contains("补助期限于 2025-08-31 届满"),
        "{}",
        r.explanation_zh
    );
    // The same line read alone renders the same explanation from its basis.
    let again = s.get_subsidy_line(r.id).await.unwrap();
    assert_eq!(again.explanation_zh, r.explanation_zh);
}

both!(the_mode_before_signing_comes_from_the_history_or_the_line_says_it_is_unknown);
/// Issue 15 item 1: a compound that entered the ledger (as 无物业) on 2023-01-01, after its
/// contract was signed on 2022-09-01, is not judged by today's mode: the line says the history
/// does not reach the day before signing; once the office records the earlier mode (弃管 from
/// 2020-01-01, with its source), the run finds it eligible.
async fn the_mode_before_signing_comes_from_the_history_or_the_line_says_it_is_unknown(db: TestDb) {
    let s = &db.store;
    let id = contracted_with_ledger_from(s, "和谐家园", 7, Term::years(10), date(2023, 1, 1)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    assessed(s, id, "2023H1").await;
    let y1 = run(s, "cy1").await;
    assert_eq!(y1.len(), 1, "{y1:?}");
    assert!(!y1[0].eligible);
    let why = y1[0].reason_zh.clone().unwrap();
    assert!(why.contains("晚于 2022-08-31"), "{why}");
    assert!(why.contains("补录此前的管理方式"), "{why}");
    // Recording the earlier mode: not on or after the earliest record, and with a source.
    let v = s.get_compound(id).await.unwrap().version;
    let err = s
        .record_earlier_mode(
            &officer(),
            id,
            v,
            ManagementMode::None,
            date(2023, 1, 1),
            "原台账",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("须早于"), "{err}");
    let err = s
        .record_earlier_mode(
            &officer(),
            id,
            v,
            ManagementMode::None,
            date(2020, 1, 1),
            " ",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("依据"), "{err}");
    let hist = s
        .record_earlier_mode(
            &officer(),
            id,
            v,
            ManagementMode::SelfManaged,
            date(2020, 1, 1),
            "2020 年街道台账",
        )
        .await
        .unwrap();
    assert_eq!(hist[0].since, date(2020, 1, 1));
    assert_eq!(hist[0].until, Some(date(2023, 1, 1)));
    assert_eq!(hist[0].mode, ManagementMode::SelfManaged);
    // A second office working from the same version is refused.
    let err = s
        .record_earlier_mode(
            &officer(),
            id,
            v,
            ManagementMode::None,
            date(2019, 1, 1),
            "另一份台账",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let y1 = run(s, "cy1").await;
    assert!(y1[0].eligible, "{:?}", y1[0].reason_zh);
    assert!(y1[0].amount > Fen::ZERO);
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("compound".into()),
            entity_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "record_earlier_mode"));
}

both!(an_erqi_line_follows_the_chain_its_policy_names);
/// Issue 15 item 5, seed 002 七（二）4: "每半年考核成绩由区老旧小区综合改造工作指挥部办公室复核，报区
/// 政府领导同意后送区财政局，区财政局依据考核结果向相关街道办事处拨付奖补资金，由街道办事处向辖区物业
/// 企业兑付". No street review; the HQ office reviews, the leader approves, finance pays the street
/// (the line stays approved), the street pays the company.
async fn an_erqi_line_follows_the_chain_its_policy_names(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "二七小区", 8, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "erqi-draft", date(2021, 1, 1))
        .await
        .unwrap();
    // Half years from entry (2022-10-01): 2022-10 … 2023-03 and 2023-04 … 2023-09 end in 2023.
    assessed(s, id, "2023Q1").await;
    assessed(s, id, "2023Q3").await;
    let lines = run(s, "2023").await;
    let l = lines
        .iter()
        .find(|l| l.eligible && l.amount > Fen::ZERO)
        .unwrap_or_else(|| panic!("an eligible line: {lines:#?}"))
        .clone();
    let l = walk(s, &l, &[Action::Apply]).await;
    let refused = |e: StoreError| e.to_string();
    let err = s
        .subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            l.id,
            l.version,
            Action::StreetReview,
            "",
            date(2023, 9, 10),
            None,
        )
        .await
        .map_err(refused)
        .unwrap_err();
    assert!(
        err.contains("等待区老旧小区综合改造工作指挥部办公室区级复核"),
        "{err}"
    );
    let l = walk(s, &l, &[Action::DistrictReview, Action::Approve]).await;
    let err = s
        .subsidy_step(
            &officer(),
            anju_core::access::Role::Admin,
            l.id,
            l.version,
            Action::Disburse,
            "",
            date(2023, 9, 10),
            None,
        )
        .await
        .map_err(refused)
        .unwrap_err();
    assert!(err.contains("等待区财政局拨付至街道"), "{err}");
    let l = walk(s, &l, &[Action::DisburseToStreet]).await;
    assert_eq!(
        l.status,
        LineStatus::Approved,
        "the street has not paid yet"
    );
    // What finance paid the street is what the street pays: no adjustment any more.
    let err = s
        .adjust_subsidy(
            &officer(),
            l.id,
            l.version,
            Fen(100),
            "面积核减",
            date(2023, 9, 10),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("财政已拨付至街道"), "{err}");
    let l = walk(s, &l, &[Action::Disburse]).await;
    assert_eq!(l.status, LineStatus::Disbursed);
    let codes: Vec<String> = s
        .subsidy_steps(l.id)
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.action)
        .collect();
    assert_eq!(
        codes,
        [
            "apply",
            "district_review",
            "approve",
            "disburse_to_street",
            "disburse"
        ]
    );
}

both!(two_applications_for_the_same_days_at_once_make_one);
/// "Once per" (issue 15 item 4): a compound's days are applied for once. Two runs (contract
/// year 1 and calendar 2023) settle the same days in two lines; ten applications sent at once,
/// five for each line, leave exactly one line applied for. With the per-compound advisory lock
/// taken out, this fails on PostgreSQL in four runs out of five (two lines applied for).
async fn two_applications_for_the_same_days_at_once_make_one(db: TestDb) {
    let s = &db.store;
    let id = contracted(s, "并发申报小区", 9, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    assessed(s, id, "2023H1").await;
    let a = run(s, "cy1").await.remove(0);
    let b = run(s, "2023").await.remove(0);
    assert_eq!(a.period_start, b.period_start);
    let mut set = tokio::task::JoinSet::new();
    for i in 0..10 {
        let s = s.clone();
        let line = if i % 2 == 0 { a.clone() } else { b.clone() };
        set.spawn(async move {
            s.subsidy_step(
                &officer(),
                anju_core::access::Role::Admin,
                line.id,
                line.version,
                Action::Apply,
                "",
                date(2023, 9, 5),
                None,
            )
            .await
        });
    }
    let mut applied = 0;
    while let Some(r) = set.join_next().await {
        if r.expect("task").is_ok() {
            applied += 1;
        }
    }
    assert_eq!(applied, 1);
    let claimed = s
        .subsidy_lines(&LineFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.compound_id == id && l.status.claims())
        .count();
    assert_eq!(claimed, 1);
}

both!(a_rerun_beside_an_applied_line_does_not_double_the_retention);
/// A rerun leaves the line already applied for and writes a new draft for the same days beside
/// it; the release counts that year's retention once (3,840 + 2,880 + 1,920 = 8,640.00, not
/// 12,480.00).
async fn a_rerun_beside_an_applied_line_does_not_double_the_retention(db: TestDb) {
    let s = &db.store;
    let a = contracted(s, "重算小区", 4, Term::years(10)).await;
    let sid = street_id(s).await;
    s.set_funding_policy(&officer(), sid, "liaocheng-2021", date(2021, 11, 15))
        .await
        .unwrap();
    for p in ["2023H1", "2024H1", "2025H1"] {
        assessed(s, a, p).await;
    }
    fees(s, a, "2024-09", 80_000).await;
    let y1 = run(s, "cy1").await.remove(0);
    s.subsidy_step(
        &officer(),
        anju_core::access::Role::Admin,
        y1.id,
        y1.version,
        Action::Apply,
        "",
        date(2023, 9, 5),
        None,
    )
    .await
    .unwrap();
    let again = run(s, "cy1").await;
    assert!(
        again
            .iter()
            .any(|l| l.id != y1.id && l.period_start == y1.period_start)
    );
    run(s, "cy2").await;
    let y3 = run(s, "cy3").await;
    let release = y3
        .iter()
        .find(|l| l.compound_id == a && l.kind == LineKind::RetentionRelease)
        .unwrap();
    assert_eq!(release.amount, Fen(864_000), "{}", release.explanation_zh);
}
