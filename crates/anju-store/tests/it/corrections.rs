//! 更正: re-dating and voiding steps of the path, what follows them, and the refusals — on both
//! engines.

use crate::support::{TestDb, both, clerk, code, compound, date, officer};
use anju_core::contract::{Fees, ServiceLevel, Term};
use anju_core::fees::Month;
use anju_core::lifecycle::{Event, Signer, Stage};
use anju_core::{Area, ManagementMode, OwnersBody};
use anju_store::{
    AuditFilter, CompoundFilter, CorrectionKind, CorrectionRequest, Lifecycle, NewContract,
    StepRequest, Store, StoreError,
};

const STREET: &str = "大沁他拉街道";

async fn unmanaged(s: &Store, name: &str) -> i64 {
    s.apply_ledger(
        &clerk(),
        &[compound(name, STREET, "东城社区")],
        date(2022, 6, 1),
    )
    .await
    .unwrap();
    s.list_compounds(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.compound.name == name)
        .unwrap()
        .id
}

async fn step(s: &Store, id: i64, event: Event, on: jiff::civil::Date) -> Lifecycle {
    let v = s.lifecycle(id).await.unwrap().version;
    s.advance(&officer(), id, v, &StepRequest::new(event, on))
        .await
        .unwrap()
}

/// The step in force with this event code.
fn in_force(lc: &Lifecycle, code: &str) -> i64 {
    lc.steps_in_force()
        .into_iter()
        .find(|s| s.event.code() == code)
        .unwrap()
        .id
}

fn redate(on: jiff::civil::Date, reason: &str) -> CorrectionRequest {
    CorrectionRequest {
        on: Some(on),
        reason: reason.into(),
    }
}

fn void(reason: &str) -> CorrectionRequest {
    CorrectionRequest {
        on: None,
        reason: reason.into(),
    }
}

/// Consulted 08-01 … company selected 08-20, signed 09-01 (no entry date), filed 09-11.
async fn signed_and_filed(s: &Store, name: &str) -> (i64, i64) {
    let id = unmanaged(s, name).await;
    let co = s
        .upsert_company(&clerk(), "奈曼旗安居物业服务有限公司", Some(code(1)))
        .await
        .unwrap();
    step(s, id, Event::Consult, date(2022, 8, 1)).await;
    let mode = ManagementMode::Professional;
    step(s, id, Event::DecideMode { mode }, date(2022, 8, 5)).await;
    let body = OwnersBody::OwnersCommittee;
    step(s, id, Event::SettleOwners { body }, date(2022, 8, 10)).await;
    step(
        s,
        id,
        Event::SelectCompany { company_id: co },
        date(2022, 8, 20),
    )
    .await;
    let k = s
        .sign_contract(
            &officer(),
            &NewContract {
                compound_ids: vec![id],
                company_id: co,
                signer: Signer::OwnersBody,
                signer_name: None,
                signed_on: date(2022, 9, 1),
                entry_on: None,
                term: Term::years(3),
                service_level: ServiceLevel::TWO,
                min_level: None,
                fees: Fees::LIAOCHENG_2021,
                served_area: Area::from_m2(8000),
                notice_on: None,
            },
        )
        .await
        .unwrap();
    let k = s
        .file_contract(&officer(), k.id, k.version, date(2022, 9, 11))
        .await
        .unwrap();
    (id, k.id)
}

async fn covered_at(s: &Store, month: &str) -> u64 {
    let m = Month::parse(month).unwrap();
    s.coverage_over_time(&CompoundFilter::default(), m, m)
        .await
        .unwrap()[0]
        .covered
}

both!(redating_filing_entry_and_service_recomputes_what_follows);
async fn redating_filing_entry_and_service_recomputes_what_follows(db: TestDb) {
    let s = &db.store;
    let (id, k) = signed_and_filed(s, "供销社家属院").await;
    step(s, id, Event::Enter, date(2022, 10, 8)).await;
    let lc = step(s, id, Event::StartService, date(2022, 10, 20)).await;
    assert_eq!(covered_at(s, "2022-10").await, 1);

    // The filing was on 09-05, not 09-11.
    let file = in_force(&lc, "file");
    let lc2 = s
        .correct_step(
            &officer(),
            id,
            file,
            lc.version,
            &redate(date(2022, 9, 5), "备案回执日期为 9 月 5 日"),
        )
        .await
        .unwrap();
    assert_eq!(lc2.version, lc.version + 1);
    assert_eq!(lc2.state.stage, Stage::InService);
    assert_eq!(
        s.get_contract(k).await.unwrap().filed_on,
        Some(date(2022, 9, 5))
    );
    let old = lc2.steps.iter().find(|x| x.id == file).unwrap();
    let x = old.correction.as_ref().unwrap();
    assert_eq!(x.kind, CorrectionKind::Redate);
    assert_eq!(
        (x.old_on, x.new_on),
        (date(2022, 9, 11), Some(date(2022, 9, 5)))
    );
    assert_eq!(x.reason, "备案回执日期为 9 月 5 日");
    let new = lc2.steps.iter().find(|s| s.corrects == Some(file)).unwrap();
    assert_eq!(Some(new.id), x.replaced_by);
    assert_eq!(new.happened_on, date(2022, 9, 5));
    assert_eq!(lc2.steps.len(), lc.steps.len() + 1, "nothing deleted");
    // In path order, the re-dated filing keeps its place.
    let order: Vec<&str> = lc2
        .steps_in_force()
        .iter()
        .map(|s| s.event.code())
        .collect();
    assert_eq!(
        order,
        [
            "consult",
            "decide_mode",
            "settle_owners",
            "select_company",
            "sign_contract",
            "file",
            "enter",
            "start_service"
        ]
    );

    // Service started on 11-03: the ledger's mode period moves, and with it the coverage.
    let svc = in_force(&lc2, "start_service");
    let lc3 = s
        .correct_step(
            &officer(),
            id,
            svc,
            lc2.version,
            &redate(date(2022, 11, 3), "进场交接单"),
        )
        .await
        .unwrap();
    assert_eq!(lc3.state.last_date, Some(date(2022, 11, 3)));
    assert_eq!(
        covered_at(s, "2022-10").await,
        0,
        "not covered at the end of October"
    );
    assert_eq!(covered_at(s, "2022-11").await, 1);
    let modes = s.mode_history(id).await.unwrap();
    let last = modes.last().unwrap();
    assert_eq!(
        (last.mode, last.since),
        (ManagementMode::Professional, date(2022, 11, 3))
    );
    assert_eq!(modes[modes.len() - 2].until, Some(date(2022, 11, 3)));

    // Entry on 10-12: the contract's entry date (set by the step) follows.
    let entry = in_force(&lc3, "enter");
    let lc4 = s
        .correct_step(
            &officer(),
            id,
            entry,
            lc3.version,
            &redate(date(2022, 10, 12), "笔误"),
        )
        .await
        .unwrap();
    assert_eq!(
        s.get_contract(k).await.unwrap().entry_on,
        Some(date(2022, 10, 12))
    );

    // A re-dated record can itself be corrected.
    let file2 = in_force(&lc4, "file");
    assert_ne!(file2, file);
    s.correct_step(
        &officer(),
        id,
        file2,
        lc4.version,
        &redate(date(2022, 9, 6), "再次核对"),
    )
    .await
    .unwrap();

    // Audited: before, after and the reason.
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("lifecycle".into()),
            entity_id: Some(id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let corrections: Vec<_> = audit.iter().filter(|a| a.action == "correct").collect();
    assert_eq!(corrections.len(), 4);
    let first = corrections.last().unwrap();
    assert_eq!(
        first.after.as_ref().unwrap()["reason"],
        "备案回执日期为 9 月 5 日"
    );
    assert_eq!(first.before.as_ref().unwrap()["step"]["id"], file);
    let contract_audit = s
        .audit_entries(&AuditFilter {
            entity: Some("contract".into()),
            entity_id: Some(k),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(contract_audit.iter().any(|a| a.action == "correct"));
}

both!(voiding_a_step_recomputes_the_stage);
async fn voiding_a_step_recomputes_the_stage(db: TestDb) {
    let s = &db.store;
    let (id, k) = signed_and_filed(s, "供销社家属院").await;
    // The filing had not happened: void it, then file on the right day.
    let lc = s.lifecycle(id).await.unwrap();
    let file = in_force(&lc, "file");
    let lc = s
        .correct_step(&officer(), id, file, lc.version, &void("备案未办结，误录"))
        .await
        .unwrap();
    assert_eq!(lc.state.stage, Stage::ContractSigned);
    assert!(!lc.state.filed);
    assert_eq!(lc.state.last_date, Some(date(2022, 9, 1)));
    let contract = s.get_contract(k).await.unwrap();
    assert_eq!(contract.filed_on, None);
    let x = lc
        .steps
        .iter()
        .find(|x| x.id == file)
        .unwrap()
        .correction
        .clone()
        .unwrap();
    assert_eq!(
        (x.kind, x.replaced_by, x.new_on),
        (CorrectionKind::Void, None, None)
    );
    let contract = s
        .file_contract(&officer(), k, contract.version, date(2022, 9, 15))
        .await
        .unwrap();
    assert_eq!(contract.filed_on, Some(date(2022, 9, 15)));
    let lc = s.lifecycle(id).await.unwrap();
    assert_eq!(lc.state.stage, Stage::Filed);

    // The company was never selected: the signing still needs it, so voiding is refused.
    let select = in_force(&lc, "select_company");
    let e = s
        .correct_step(&officer(), id, select, lc.version, &void("误录"))
        .await
        .unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("签订物业服务合同") && m.contains("不再成立"),
        "{m}"
    );
    assert_eq!(
        s.lifecycle(id).await.unwrap().version,
        lc.version,
        "nothing changed"
    );
}

both!(refusals_change_nothing);
async fn refusals_change_nothing(db: TestDb) {
    let s = &db.store;
    let (id, k) = signed_and_filed(s, "供销社家属院").await;
    step(s, id, Event::Enter, date(2022, 10, 8)).await;
    let lc = step(s, id, Event::StartService, date(2022, 10, 20)).await;
    let other = unmanaged(s, "另一个小区").await;
    let audits = s.audit_count().await.unwrap();
    let file = in_force(&lc, "file");

    // A date after the next step (the entry): the entry is named.
    let e = s
        .correct_step(
            &officer(),
            id,
            file,
            lc.version,
            &redate(date(2022, 10, 10), "核对"),
        )
        .await
        .unwrap_err();
    let entry = in_force(&lc, "enter");
    let m = e.to_string();
    assert!(
        m.contains(&format!("步骤编号 {entry}")) && m.contains("正式进场"),
        "{m}"
    );
    // A date before the previous step (the signing): the filing itself is named.
    let e = s
        .correct_step(
            &officer(),
            id,
            file,
            lc.version,
            &redate(date(2022, 8, 30), "核对"),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains(&format!("步骤编号 {file}")), "{e}");
    // A stale version.
    let e = s
        .correct_step(
            &officer(),
            id,
            file,
            lc.version - 1,
            &redate(date(2022, 9, 5), "核对"),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
    // No reason.
    let e = s
        .correct_step(
            &officer(),
            id,
            file,
            lc.version,
            &redate(date(2022, 9, 5), "  "),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("原因"), "{e}");
    // A step that set the ledger's mode cannot be voided.
    let svc = in_force(&lc, "start_service");
    let e = s
        .correct_step(&officer(), id, svc, lc.version, &void("误录"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("管理方式"), "{e}");
    // A step of another compound.
    let e = s
        .correct_step(&officer(), other, file, 0, &void("误录"))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound { .. }), "{e:?}");
    assert_eq!(s.audit_count().await.unwrap(), audits, "nothing audited");
    assert_eq!(s.lifecycle(id).await.unwrap().version, lc.version);
    assert_eq!(
        s.get_contract(k).await.unwrap().filed_on,
        Some(date(2022, 9, 11))
    );

    // A superseded step.
    let lc2 = s
        .correct_step(
            &officer(),
            id,
            file,
            lc.version,
            &redate(date(2022, 9, 5), "核对"),
        )
        .await
        .unwrap();
    let e = s
        .correct_step(
            &officer(),
            id,
            file,
            lc2.version,
            &redate(date(2022, 9, 6), "核对"),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不能再次更正"), "{e}");
}

both!(contract_dates_follow_and_shared_contracts_are_refused);
async fn contract_dates_follow_and_shared_contracts_are_refused(db: TestDb) {
    let s = &db.store;
    let (id, k) = signed_and_filed(s, "供销社家属院").await;
    let lc = s.lifecycle(id).await.unwrap();
    let sign = in_force(&lc, "sign_contract");
    // Signed on 08-28: the contract's signing date follows (and so its filing deadline).
    let lc = s
        .correct_step(
            &officer(),
            id,
            sign,
            lc.version,
            &redate(date(2022, 8, 28), "合同落款日期"),
        )
        .await
        .unwrap();
    assert_eq!(
        s.get_contract(k).await.unwrap().signed_on,
        date(2022, 8, 28)
    );
    // Signing cannot be voided: the contract record remains.
    let sign = in_force(&lc, "sign_contract");
    let e = s
        .correct_step(&officer(), id, sign, lc.version, &void("误录"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不能撤销"), "{e}");

    // One contract for two compounds: its filing date is not corrected on one of them.
    let a = unmanaged(s, "甲小区").await;
    let b = unmanaged(s, "乙小区").await;
    let co = s
        .upsert_company(&clerk(), "乙方物业", Some(code(2)))
        .await
        .unwrap();
    for c in [a, b] {
        step(s, c, Event::Consult, date(2022, 8, 1)).await;
        let mode = ManagementMode::Professional;
        step(s, c, Event::DecideMode { mode }, date(2022, 8, 5)).await;
        let body = OwnersBody::None;
        step(s, c, Event::SettleOwners { body }, date(2022, 8, 10)).await;
        step(
            s,
            c,
            Event::SelectCompany { company_id: co },
            date(2022, 8, 20),
        )
        .await;
    }
    let shared = s
        .sign_contract(
            &officer(),
            &NewContract {
                compound_ids: vec![a, b],
                company_id: co,
                signer: Signer::Street,
                signer_name: None,
                signed_on: date(2022, 9, 1),
                entry_on: None,
                term: Term::years(3),
                service_level: ServiceLevel::TWO,
                min_level: None,
                fees: Fees::LIAOCHENG_2021,
                served_area: Area::from_m2(8000),
                notice_on: None,
            },
        )
        .await
        .unwrap();
    s.file_contract(&officer(), shared.id, shared.version, date(2022, 9, 11))
        .await
        .unwrap();
    let lc = s.lifecycle(a).await.unwrap();
    let file = in_force(&lc, "file");
    let e = s
        .correct_step(
            &officer(),
            a,
            file,
            lc.version,
            &redate(date(2022, 9, 5), "核对"),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("服务 2 个小区"), "{e}");
    // A step of its own (the company selected) is corrected as usual.
    let select = in_force(&lc, "select_company");
    s.correct_step(
        &officer(),
        a,
        select,
        lc.version,
        &redate(date(2022, 8, 18), "核对"),
    )
    .await
    .unwrap();
}
