//! Satisfaction surveys, fees and public accounts (issue #5 items 4–6), on both engines.

use crate::support::{TestDb, both, clerk, compound, date, officer};
use anju_core::accounts::EntryKind;
use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::fees::{Month, MonthRange, percent_text};
use anju_core::lifecycle::{Event, Signer};
use anju_core::{Area, Fen, ManagementMode, OwnersBody};
use anju_store::{
    AuditFilter, FeeInput, NewAccountEntry, NewContract, NewSurvey, StepRequest, Store, StoreError,
    SurveyAnswer, SurveyResult, SurveyRule,
};
use rust_decimal::Decimal;

const STREET: &str = "大沁他拉街道";

/// Compounds loaded as ledger rows; returns their ids in order.
async fn compounds(s: &Store, names: &[&str]) -> Vec<i64> {
    let rows: Vec<_> = names
        .iter()
        .map(|n| compound(n, STREET, "东城社区"))
        .collect();
    s.apply_ledger(&clerk(), &rows, date(2022, 6, 1))
        .await
        .unwrap();
    let all = s.list_compounds(&Default::default()).await.unwrap();
    names
        .iter()
        .map(|n| all.iter().find(|c| c.compound.name == *n).unwrap().id)
        .collect()
}

fn new_survey(compound_id: i64, rule: SurveyRule, households: u32, tokens: u32) -> NewSurvey {
    NewSurvey {
        compound_id,
        period: "2026H1".into(),
        starts_on: Some(date(2026, 6, 1)),
        ends_on: Some(date(2026, 6, 30)),
        rule,
        households: Some(households),
        tokens: Some(tokens),
    }
}

fn yes() -> SurveyAnswer {
    SurveyAnswer {
        satisfied: true,
        score: Some(5),
        comment: None,
    }
}

fn no() -> SurveyAnswer {
    SurveyAnswer {
        satisfied: false,
        score: None,
        comment: Some("垃圾清运不及时".into()),
    }
}

/// A survey with `satisfied` + `dissatisfied` answers; returns its closed result.
async fn answered(
    s: &Store,
    compound_id: i64,
    rule: SurveyRule,
    households: u32,
    satisfied: u32,
    dissatisfied: u32,
) -> SurveyResult {
    let (survey, tokens) = s
        .create_survey(
            &officer(),
            &new_survey(compound_id, rule, households, satisfied + dissatisfied),
        )
        .await
        .unwrap();
    for (i, t) in tokens.iter().enumerate() {
        let a = if (i as u32) < satisfied { yes() } else { no() };
        s.answer_survey(&t.token, compound_id, &a).await.unwrap();
    }
    s.close_survey(&officer(), survey.id, survey.version)
        .await
        .unwrap()
}

both!(sample_sizes_follow_the_rule);
async fn sample_sizes_follow_the_rule(db: TestDb) {
    let s = &db.store;
    let id = compounds(s, &["光明小区"]).await[0];
    // (households, Erqi ≥ 10 % rounded up, Daqintala ≤ 100 → ≥ 10 (never more than all), > 100 → 10 %)
    for (households, erqi, daqintala) in [
        (9, 1, 9),
        (10, 1, 10),
        (99, 10, 10),
        (100, 10, 10),
        (101, 11, 11),
        (1_000, 100, 100),
    ] {
        for (rule, want) in [(SurveyRule::Erqi, erqi), (SurveyRule::Daqintala, daqintala)] {
            let mut n = new_survey(id, rule, households, 0);
            n.tokens = None; // the required sample
            let (survey, tokens) = s.create_survey(&officer(), &n).await.unwrap();
            assert_eq!(survey.required_sample, want, "{rule:?} {households}");
            assert_eq!(tokens.len() as u32, want);
            assert!(tokens.iter().all(|t| t.token.len() == 32));
        }
    }
    // More tokens than households is refused.
    let err = s
        .create_survey(&officer(), &new_survey(id, SurveyRule::Erqi, 9, 10))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    // Without --households, the ledger's figure (96 households) is used.
    let mut n = new_survey(id, SurveyRule::Daqintala, 0, 0);
    n.households = None;
    n.tokens = None;
    let (survey, _) = s.create_survey(&officer(), &n).await.unwrap();
    assert_eq!((survey.households, survey.required_sample), (96, 10));
}

both!(erqi_points_and_daqintala_gate_at_the_boundaries);
async fn erqi_points_and_daqintala_gate_at_the_boundaries(db: TestDb) {
    let s = &db.store;
    let id = compounds(s, &["团结楼"]).await[0];
    // End to end at 79.9 %: 1,000 households, 1,000 answers, 799 satisfied.
    let r = answered(s, id, SurveyRule::Erqi, 1_000, 799, 201).await;
    assert!(r.valid && r.survey.closed);
    assert_eq!(r.rate, Some(Decimal::new(799, 3)));
    assert_eq!(r.rate_text.as_deref(), Some("79.9%"));
    assert_eq!(r.erqi_points, Some(Decimal::from(8)));
    assert_eq!(r.daqintala_gate, Some(false));
    assert!(!r.dismissal_triggered);
    // The other boundaries from the same counts, scored by the same function.
    for (satisfied, points, gate) in [
        (800, 10, true),
        (799, 8, false),
        (500, 5, false),
        (499, 0, false),
    ] {
        let r = SurveyResult::from_counts(r.survey.clone(), 1_000, 1_000, satisfied).unwrap();
        assert_eq!(r.erqi_points, Some(Decimal::from(points)), "{satisfied}");
        assert_eq!(r.daqintala_gate, Some(gate), "{satisfied}");
    }
    // 80 % end to end on a small compound: 10 households, 8 of 10 satisfied.
    let r = answered(s, id, SurveyRule::Daqintala, 10, 8, 2).await;
    assert_eq!(r.erqi_points, Some(Decimal::from(10)));
    assert_eq!(r.daqintala_gate, Some(true));
}

both!(a_token_works_once_and_only_for_its_compound);
async fn a_token_works_once_and_only_for_its_compound(db: TestDb) {
    let s = &db.store;
    let ids = compounds(s, &["税务局宿舍", "农行家属院"]).await;
    let (survey, tokens) = s
        .create_survey(&officer(), &new_survey(ids[0], SurveyRule::Erqi, 20, 3))
        .await
        .unwrap();
    assert_eq!(tokens[0].link(), format!("/s/{}", tokens[0].token));
    // Distinct, unguessable tokens.
    assert_ne!(tokens[0].token, tokens[1].token);
    s.answer_survey(&tokens[0].token, ids[0], &yes())
        .await
        .unwrap();
    let err = s
        .answer_survey(&tokens[0].token, ids[0], &no())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已使用过"), "{err}");
    let err = s
        .answer_survey(&tokens[1].token, ids[1], &yes())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不属于该小区"), "{err}");
    let err = s
        .answer_survey("0123456789abcdef0123456789abcdef", ids[0], &yes())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("无效"), "{err}");
    let err = s
        .answer_survey(
            &tokens[2].token,
            ids[0],
            &SurveyAnswer {
                satisfied: true,
                score: Some(6),
                comment: None,
            },
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("1–5"), "{err}");
    // Only the first answer counted.
    let r = s.survey_result(survey.id).await.unwrap();
    assert_eq!((r.issued, r.responses, r.satisfied), (3, 1, 1));
    // Stale version refused; a closed survey takes no answers.
    let err = s
        .close_survey(&officer(), survey.id, survey.version + 1)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    s.close_survey(&officer(), survey.id, survey.version)
        .await
        .unwrap();
    let err = s
        .answer_survey(&tokens[1].token, ids[0], &yes())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已结束"), "{err}");
    // Audited: creation, the one answer (without the token), the close.
    let audits = s
        .audit_entries(&AuditFilter {
            entity: Some("survey".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        audits.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
        vec!["close", "insert"]
    );
    let answers = s
        .audit_entries(&AuditFilter {
            entity: Some("survey_response".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(answers.len(), 1);
    let text = serde_json::to_string(&answers[0].after).unwrap();
    assert!(!text.contains(&tokens[0].token));
}

both!(too_few_responses_is_invalid_and_not_scored);
async fn too_few_responses_is_invalid_and_not_scored(db: TestDb) {
    let s = &db.store;
    let id = compounds(s, &["供销社家属院"]).await[0];
    // Daqintala, 100 households: 10 required; 9 answers, all dissatisfied.
    let r = answered(s, id, SurveyRule::Daqintala, 100, 0, 9).await;
    assert_eq!(r.survey.required_sample, 10);
    assert!(!r.valid);
    assert!(
        r.invalid_reason.as_deref().unwrap().contains("样本不足"),
        "{:?}",
        r.invalid_reason
    );
    assert_eq!(r.erqi_points, None);
    assert_eq!(r.daqintala_gate, None);
    assert!(!r.dismissal_triggered, "an invalid survey raises nothing");
    assert_eq!(r.rate, Some(Decimal::ZERO));
}

async fn signed(s: &Store, id: i64) -> i64 {
    let co = s.upsert_company(&clerk(), "乙物业", None).await.unwrap();
    for (event, on) in [
        (Event::Consult, date(2022, 8, 1)),
        (
            Event::DecideMode {
                mode: ManagementMode::Professional,
            },
            date(2022, 8, 5),
        ),
        (
            Event::SettleOwners {
                body: OwnersBody::None,
            },
            date(2022, 8, 10),
        ),
        (Event::SelectCompany { company_id: co }, date(2022, 8, 20)),
    ] {
        let v = s.lifecycle(id).await.unwrap().version;
        s.advance(&officer(), id, v, &StepRequest::new(event, on))
            .await
            .unwrap();
    }
    s.sign_contract(
        &officer(),
        &NewContract {
            compound_ids: vec![id],
            company_id: co,
            signer: Signer::Community,
            signer_name: None,
            signed_on: date(2022, 9, 1),
            entry_on: Some(date(2022, 10, 1)),
            term: Term::years(10),
            service_level: ServiceLevel::TWO,
            min_level: Some(ServiceLevel::TWO),
            fees: Fees::LIAOCHENG_2021,
            served_area: Area::from_m2(8000),
            notice_on: None,
        },
    )
    .await
    .unwrap()
    .id
}

both!(dismissal_proposal_above_half_dissatisfied_not_at_half);
async fn dismissal_proposal_above_half_dissatisfied_not_at_half(db: TestDb) {
    let s = &db.store;
    let id = compounds(s, &["农业银行家属院"]).await[0];
    let contract = signed(s, id).await;
    // Exactly 50 % dissatisfied (500 of 1,000): no proposal.
    let half = answered(s, id, SurveyRule::Erqi, 1_000, 500, 500).await;
    assert!(half.valid && !half.dismissal_triggered);
    assert_eq!(half.survey.dismissal_proposal_id, None);
    // 50.1 % (501 of 1,000): the proposal is raised on the compound's contract.
    let more = answered(s, id, SurveyRule::Erqi, 1_000, 499, 501).await;
    assert!(more.valid && more.dismissal_triggered);
    assert_eq!(more.erqi_points, Some(Decimal::ZERO));
    let pid = more.survey.dismissal_proposal_id.unwrap();
    let proposals = s.dismissal_proposals(contract).await.unwrap();
    assert_eq!(proposals.len(), 1);
    assert_eq!(proposals[0].id, pid);
    assert!(proposals[0].raised);
    assert_eq!(proposals[0].survey.dissatisfied, 501);
    assert!(proposals[0].note.as_deref().unwrap().contains("抽样"));
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

fn fee(compound_id: i64, m: &str, billed: i64, collected: i64) -> FeeInput {
    FeeInput {
        compound_id,
        month: month(m),
        billed: Fen(billed),
        collected: Fen(collected),
    }
}

both!(collection_rate_per_period_and_cumulative);
async fn collection_rate_per_period_and_cumulative(db: TestDb) {
    let s = &db.store;
    let id = compounds(s, &["光明小区"]).await[0];
    // Nothing billed yet: an error, not a division by zero.
    let err = s
        .collection_rate(id, MonthRange::parse("2026-01").unwrap())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("收缴率无法计算：应收为零"),
        "{err}"
    );
    // A month billed at zero is the same error.
    s.set_fee_month(&clerk(), &fee(id, "2026-01", 0, 0), None)
        .await
        .unwrap();
    assert!(
        s.collection_rate(id, MonthRange::parse("2026-01").unwrap())
            .await
            .is_err()
    );
    // 2026-02..06: 12,000.00 billed a month; collected 9,600 / 12,000 / 6,000 / 12,000 / 8,400.
    for (m, c) in [
        ("2026-02", 960_000),
        ("2026-03", 1_200_000),
        ("2026-04", 600_000),
        ("2026-05", 1_200_000),
        ("2026-06", 840_000),
    ] {
        s.set_fee_month(&clerk(), &fee(id, m, 1_200_000, c), None)
            .await
            .unwrap();
    }
    let rate = |r: &str| {
        let r = MonthRange::parse(r).unwrap();
        async move { s.collection_rate(id, r).await.unwrap() }
    };
    assert_eq!(rate("2026-02").await, Decimal::new(80, 2));
    // Q1: (0 + 9,600 + 12,000) / (0 + 12,000 + 12,000) = 90 %.
    assert_eq!(rate("2026Q1").await, Decimal::new(90, 2));
    // H1: 48,000 / 60,000 = 80 %.
    assert_eq!(rate("2026H1").await, Decimal::new(80, 2));
    assert_eq!(rate("2026").await, Decimal::new(80, 2));
    assert_eq!(percent_text(rate("2026-04..2026-05").await), "75.00 %");
    let cum = s
        .cumulative_collection_rate(id, month("2026-04"), month("2026-12"))
        .await
        .unwrap();
    // 26,400 / 36,000, exact (not rounded before it is shown).
    assert_eq!(cum, Decimal::from(264) / Decimal::from(360));
    assert_eq!(percent_text(cum), "73.33 %");
    // Liaocheng: contract year 1 of a contract starting 2026-01.
    let y1 = s
        .contract_year_collection_rate(id, month("2026-01"), 1)
        .await
        .unwrap();
    assert_eq!(y1, Decimal::new(80, 2));
    // Stale version refused.
    let cur = s
        .fee_months(id, Some(MonthRange::parse("2026-02").unwrap()))
        .await
        .unwrap();
    let err = s
        .set_fee_month(
            &clerk(),
            &fee(id, "2026-02", 1_200_000, 1),
            Some(cur[0].version + 1),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let audits = s
        .audit_entries(&AuditFilter {
            entity: Some("fee_month".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audits.len(), 6);
}

both!(fee_import_is_all_or_nothing_and_idempotent);
async fn fee_import_is_all_or_nothing_and_idempotent(db: TestDb) {
    let s = &db.store;
    let ids = compounds(s, &["团结楼", "税务局宿舍"]).await;
    let rows = vec![
        fee(ids[0], "2026-01", 1_000_000, 900_000),
        fee(ids[1], "2026-01", 500_000, 500_000),
    ];
    let sum = s.import_fees(&clerk(), &rows).await.unwrap();
    assert_eq!((sum.inserted, sum.updated, sum.unchanged), (2, 0, 0));
    let audits = s.audit_count().await.unwrap();
    // The same file again changes nothing and writes no audit row.
    let sum = s.import_fees(&clerk(), &rows).await.unwrap();
    assert_eq!((sum.inserted, sum.updated, sum.unchanged), (0, 0, 2));
    assert_eq!(s.audit_count().await.unwrap(), audits);
    // A bad row (unknown compound) fails the whole import: the good change is not applied.
    let bad = vec![
        fee(ids[0], "2026-01", 1_000_000, 950_000),
        fee(999_999, "2026-01", 1, 1),
    ];
    assert!(s.import_fees(&clerk(), &bad).await.is_err());
    let m = s.fee_months(ids[0], None).await.unwrap();
    assert_eq!(m[0].collected, Fen(900_000));
    assert_eq!(s.audit_count().await.unwrap(), audits);
}

both!(household_detail_sums_into_the_compound_month);
async fn household_detail_sums_into_the_compound_month(db: TestDb) {
    let s = &db.store;
    let id = compounds(s, &["团结楼"]).await[0];
    let hh = |h: &str, m: &str, billed: i64, collected: i64| anju_store::HouseholdFeeInput {
        compound_id: id,
        household: h.into(),
        month: month(m),
        billed: Fen(billed),
        collected: Fen(collected),
    };
    // Three households in January: 120.00 + 120.00 + 95.50 billed, 120.00 + 0 + 95.50 collected.
    let rows = vec![
        hh("1-1-101", "2026-01", 12_000, 12_000),
        hh("1-1-102", "2026-01", 12_000, 0),
        hh("1-2-201", "2026-01", 9_550, 9_550),
    ];
    let sum = s.import_household_fees(&clerk(), &rows).await.unwrap();
    assert_eq!(sum.households.inserted, 3);
    assert_eq!(sum.months.inserted, 1);
    let m = s.fee_months(id, None).await.unwrap();
    assert_eq!((m[0].billed, m[0].collected), (Fen(33_550), Fen(21_550)));
    // The rate is the same computation as without detail: 215.50 / 335.50.
    let jan = anju_core::fees::MonthRange::new(month("2026-01"), month("2026-01")).unwrap();
    assert_eq!(
        s.collection_rate(id, jan).await.unwrap(),
        anju_core::fees::collection_rate(Fen(33_550), Fen(21_550)).unwrap()
    );
    let arrears: Vec<_> = s
        .household_fees(id, Some(jan))
        .await
        .unwrap()
        .into_iter()
        .filter(|h| h.arrears().0 > 0)
        .map(|h| (h.household.clone(), h.arrears()))
        .collect();
    assert_eq!(arrears, vec![("1-1-102".to_string(), Fen(12_000))]);
    // Again: nothing changes, no audit row.
    let audits = s.audit_count().await.unwrap();
    let again = s.import_household_fees(&clerk(), &rows).await.unwrap();
    assert_eq!((again.households.unchanged, again.months.unchanged), (3, 1));
    assert_eq!(s.audit_count().await.unwrap(), audits);
    // 1-1-102 pays later: only that household in the new sheet; the month is re-summed.
    let paid = s
        .import_household_fees(&clerk(), &[hh("1-1-102", "2026-01", 12_000, 12_000)])
        .await
        .unwrap();
    assert_eq!((paid.households.updated, paid.months.updated), (1, 1));
    let m = s.fee_months(id, None).await.unwrap();
    assert_eq!(m[0].collected, Fen(33_550));
    // A month with detail cannot be overwritten by a hand-entered or imported total.
    let err = s
        .set_fee_month(&clerk(), &fee(id, "2026-01", 1, 1), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("按户明细"), "{err}");
    assert!(
        s.import_fees(&clerk(), &[fee(id, "2026-01", 1, 1)])
            .await
            .is_err()
    );
    // All or nothing: a bad row (unknown compound) leaves everything as it was.
    let mut bad = vec![hh("1-1-101", "2026-02", 12_000, 12_000)];
    bad.push(anju_store::HouseholdFeeInput {
        compound_id: 999_999,
        ..hh("9-9-999", "2026-02", 1, 1)
    });
    assert!(s.import_household_fees(&clerk(), &bad).await.is_err());
    assert_eq!(s.fee_months(id, None).await.unwrap().len(), 1);
    // The payment wrote three audit rows: the household, the month, the import summary.
    assert_eq!(s.audit_count().await.unwrap(), audits + 3);
}

both!(account_statement_sums_and_owners_share);
async fn account_statement_sums_and_owners_share(db: TestDb) {
    let s = &db.store;
    // The compound has an owners' committee (业主委员会) to receive the share.
    let mut row = compound("供销社家属院", STREET, "东城社区");
    row.owners_body = anju_core::OwnersBody::OwnersCommittee;
    s.apply_ledger(&clerk(), &[row], date(2022, 6, 1))
        .await
        .unwrap();
    let id = s
        .list_compounds(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.compound.name == "供销社家属院")
        .unwrap()
        .id;
    for (kind, cat, fen) in [
        (EntryKind::IncomeFees, None, 1_234_567),
        (EntryKind::IncomePublicRevenue, None, 300_000),
        (EntryKind::IncomeSubsidy, None, 200_000),
        (EntryKind::Spending, Some("保洁"), 400_000),
        (EntryKind::Spending, Some("保安"), 600_000),
        (EntryKind::Spending, Some("保洁"), 34_567),
    ] {
        s.add_account_entry(
            &clerk(),
            &NewAccountEntry {
                compound_id: id,
                period: "2026H1".into(),
                kind,
                category: cat.map(str::to_string),
                amount: Fen(fen),
                note: None,
            },
        )
        .await
        .unwrap();
    }
    // Spending without a category is refused.
    assert!(
        s.add_account_entry(
            &clerk(),
            &NewAccountEntry {
                compound_id: id,
                period: "2026H1".into(),
                kind: EntryKind::Spending,
                category: None,
                amount: Fen(1),
                note: None,
            },
        )
        .await
        .is_err()
    );
    let st = s
        .account_statement(id, "2026H1", Decimal::from(6))
        .await
        .unwrap();
    let t = &st.totals;
    assert_eq!(t.income, Fen(1_734_567));
    assert_eq!(t.spending, Fen(1_034_567));
    assert_eq!(t.balance, Fen(700_000));
    assert_eq!(t.balance.display_yuan(), "7,000.00 元");
    assert_eq!(t.owners_share, Fen(74_074)); // 6 % of 12,345.67 = 740.7402
    assert_eq!(
        t.spending_by_category,
        vec![
            ("保安".to_string(), Fen(600_000)),
            ("保洁".to_string(), Fen(434_567))
        ]
    );
    let ten = s
        .account_statement(id, "2026H1", Decimal::TEN)
        .await
        .unwrap();
    assert_eq!(ten.totals.owners_share, Fen(123_457)); // 1,234.567 → 1,234.57
    for bad in [Decimal::from(5), Decimal::from(11)] {
        let err = s.account_statement(id, "2026H1", bad).await.unwrap_err();
        assert!(err.to_string().contains("6%–10%"), "{err}");
    }
    // Another period is empty; the statement serializes for the public page.
    let empty = s
        .account_statement(id, "2026H2", Decimal::TEN)
        .await
        .unwrap();
    assert_eq!(empty.totals.income, Fen::ZERO);
    assert!(serde_json::to_string(&st).unwrap().contains("owners_share"));
    assert!(st.owners_share_applies);
    // A compound without an owners' body sets nothing aside for one.
    let bare = compounds(s, &["无业委会小区"]).await[0];
    s.add_account_entry(
        &clerk(),
        &NewAccountEntry {
            compound_id: bare,
            period: "2026H1".into(),
            kind: EntryKind::IncomeFees,
            category: None,
            amount: Fen(1_234_567),
            note: None,
        },
    )
    .await
    .unwrap();
    let none = s
        .account_statement(bare, "2026H1", Decimal::TEN)
        .await
        .unwrap();
    assert!(!none.owners_share_applies);
    assert_eq!(none.totals.owners_share, Fen::ZERO);
    assert_eq!(none.totals.income, Fen(1_234_567));
    // Issue 15 item 8: the share is recorded per compound, 6–10 % (both included), and only
    // where there is an owners' body; the statement then uses it whatever default is asked.
    let err = s
        .set_owners_share(&clerk(), bare, Decimal::from(8), date(2026, 1, 10), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚未成立业主委员会"), "{err}");
    for bad in [Decimal::new(599, 2), Decimal::new(1001, 2)] {
        let err = s
            .set_owners_share(&clerk(), id, bad, date(2026, 1, 10), None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("6%–10%"), "{bad}: {err}");
    }
    let err = s
        .set_owners_share(&clerk(), id, Decimal::new(8125, 3), date(2026, 1, 10), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("两位小数"), "{err}");
    assert!(!st.owners_share_agreed);
    for edge in [Decimal::from(6), Decimal::TEN] {
        s.set_owners_share(&clerk(), id, edge, date(2026, 1, 10), None)
            .await
            .unwrap();
    }
    let agreed = s
        .set_owners_share(
            &clerk(),
            id,
            Decimal::new(75, 1),
            date(2026, 1, 10),
            Some("业主大会决议第 3 项".into()),
        )
        .await
        .unwrap();
    assert_eq!(agreed.percent, Decimal::new(75, 1));
    let st = s
        .account_statement(id, "2026H1", Decimal::TEN)
        .await
        .unwrap();
    assert!(st.owners_share_agreed);
    assert_eq!(st.totals.owners_share_percent, Decimal::new(75, 1));
    // 7.5 % of 12,345.67 = 925.92525 → 925.93
    assert_eq!(st.totals.owners_share, Fen(92_593));
    // A period that ended before the agreement keeps the default.
    let before = s
        .account_statement(id, "2025H2", Decimal::TEN)
        .await
        .unwrap();
    assert!(!before.owners_share_agreed);
    assert_eq!(before.totals.owners_share_percent, Decimal::TEN);
    let changes = s
        .audit_entries(&AuditFilter {
            entity: Some("compound".into()),
            entity_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "set_owners_share")
        .count();
    assert_eq!(changes, 3);
    let audits = s
        .audit_entries(&AuditFilter {
            entity: Some("account_entry".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        audits.len(),
        7,
        "six entries here, one on the compound without a body"
    );
}

both!(close_with_dismissal_is_one_transaction);
async fn close_with_dismissal_is_one_transaction(db: TestDb) {
    let s = &db.store;
    let id = compounds(s, &["农业银行家属院"]).await[0];
    let contract = signed(s, id).await;
    // 10 households, 3 answers of which 2 dissatisfied (66.7 % > 50 %): triggers a proposal.
    let (survey, tokens) = s
        .create_survey(&officer(), &new_survey(id, SurveyRule::Erqi, 10, 3))
        .await
        .unwrap();
    for (t, a) in tokens.iter().zip([yes(), no(), no()]) {
        s.answer_survey(&t.token, id, &a).await.unwrap();
    }
    // A stale version is refused and leaves nothing behind: no proposal, survey still open.
    let err = s
        .close_survey(&officer(), survey.id, survey.version + 1)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(s.dismissal_proposals(contract).await.unwrap().is_empty());
    assert!(!s.get_survey(survey.id).await.unwrap().closed);
    // Closed: the proposal and the close land together, each with its audit row.
    let r = s
        .close_survey(&officer(), survey.id, survey.version)
        .await
        .unwrap();
    assert!(r.survey.closed && r.dismissal_triggered);
    let proposals = s.dismissal_proposals(contract).await.unwrap();
    assert_eq!(proposals.len(), 1);
    assert_eq!(r.survey.dismissal_proposal_id, Some(proposals[0].id));
    assert_eq!(
        (
            proposals[0].survey.respondents,
            proposals[0].survey.dissatisfied
        ),
        (3, 2)
    );
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("dismissal_proposal".into()),
            entity_id: Some(proposals[0].id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    // Closing again is refused and adds no second proposal.
    assert!(
        s.close_survey(&officer(), survey.id, r.survey.version)
            .await
            .is_err()
    );
    assert_eq!(s.dismissal_proposals(contract).await.unwrap().len(), 1);
}

both!(token_of_another_compound_is_forbidden_and_reading_does_not_use_it);
async fn token_of_another_compound_is_forbidden_and_reading_does_not_use_it(db: TestDb) {
    let s = &db.store;
    let ids = compounds(s, &["光明小区", "团结楼"]).await;
    let (survey, tokens) = s
        .create_survey(&officer(), &new_survey(ids[0], SurveyRule::Erqi, 20, 2))
        .await
        .unwrap();
    let seen = s.survey_by_token(&tokens[0].token).await.unwrap().unwrap();
    assert_eq!(seen.survey.id, survey.id);
    assert_eq!(seen.survey.compound, "光明小区");
    assert_eq!(seen.street, STREET);
    assert!(!seen.used);
    assert!(s.survey_by_token("nope").await.unwrap().is_none());
    let err = s
        .answer_survey(&tokens[0].token, ids[1], &yes())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)), "{err}");
    assert!(err.to_string().starts_with("无权操作"), "{err}");
    s.answer_survey(&tokens[0].token, ids[0], &yes())
        .await
        .unwrap();
    assert!(
        s.survey_by_token(&tokens[0].token)
            .await
            .unwrap()
            .unwrap()
            .used
    );
    let err = s
        .answer_survey(&tokens[0].token, ids[0], &yes())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("只能提交一次"), "{err}");
    assert!(
        err.message(anju_core::Lang::En)
            .contains("already been used"),
        "{}",
        err.message(anju_core::Lang::En)
    );
}

both!(public_keys_are_random_stable_and_per_compound);
async fn public_keys_are_random_stable_and_per_compound(db: TestDb) {
    let s = &db.store;
    let ids = compounds(s, &["光明小区", "团结楼"]).await;
    let k0 = s.compound_public_key(&officer(), ids[0]).await.unwrap();
    let k1 = s.compound_public_key(&officer(), ids[1]).await.unwrap();
    assert_ne!(k0, k1);
    assert_eq!(k0.len(), 32);
    assert_eq!(s.compound_public_key(&officer(), ids[0]).await.unwrap(), k0);
    assert_eq!(s.compound_by_public_key(&k0).await.unwrap(), Some(ids[0]));
    assert_eq!(
        s.compound_by_public_key(&k1.to_uppercase()).await.unwrap(),
        Some(ids[1])
    );
    assert_eq!(
        s.compound_by_public_key(&ids[0].to_string()).await.unwrap(),
        None
    );
    // Made once, audited once.
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("compound_public_key".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    // Account periods, the latest first.
    for period in ["2026-09", "2026-10", "2026-09"] {
        s.add_account_entry(
            &clerk(),
            &NewAccountEntry {
                compound_id: ids[0],
                period: period.into(),
                kind: EntryKind::IncomeFees,
                category: None,
                amount: Fen(100),
                note: None,
            },
        )
        .await
        .unwrap();
    }
    assert_eq!(
        s.account_periods(ids[0]).await.unwrap(),
        vec!["2026-10".to_string(), "2026-09".to_string()]
    );
}
