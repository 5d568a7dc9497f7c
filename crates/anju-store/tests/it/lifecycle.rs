//! The path to coverage: lifecycle steps, evidence, contracts, filing, dismissal, selection,
//! targets — on both engines.

use crate::support::{TestDb, both, clerk, code, compound, date, officer};
use anju_core::contract::{DismissalSurvey, Fees, FilingStatus, ServiceLevel, Term};
use anju_core::lifecycle::{Event, ExitKind, Signer, Stage};
use anju_core::targets::{TargetStatus, daqintala_2022};
use anju_core::{Area, ManagementMode, OwnersBody};
use anju_store::{AuditFilter, EvidenceDir, NewContract, StepRequest, Store, StoreError};

const STREET: &str = "大沁他拉街道";
const PDF: &[u8] = b"%PDF-1.4\n% minutes of the owners' meeting\n";

/// One unmanaged compound loaded as a ledger row on 2022-06-01; returns its id.
async fn unmanaged(s: &Store, name: &str, body: OwnersBody) -> i64 {
    let mut c = compound(name, STREET, "东城社区");
    c.owners_body = body;
    s.apply_ledger(&clerk(), &[c], date(2022, 6, 1))
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

async fn step(s: &Store, id: i64, event: Event, on: jiff::civil::Date) -> anju_store::Lifecycle {
    let v = s.lifecycle(id).await.unwrap().version;
    s.advance(&officer(), id, v, &StepRequest::new(event, on))
        .await
        .unwrap()
}

/// Walks a compound to 选定企业 with company `company_id`.
async fn to_selected(s: &Store, id: i64, company_id: i64, body: OwnersBody) {
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
    step(s, id, Event::SettleOwners { body }, date(2022, 8, 10)).await;
    step(
        s,
        id,
        Event::SelectCompany { company_id },
        date(2022, 8, 20),
    )
    .await;
}

fn contract(ids: Vec<i64>, company_id: i64, signer: Signer) -> NewContract {
    NewContract {
        compound_ids: ids,
        company_id,
        signer,
        signer_name: Some("供销社家属院业主委员会".into()),
        signed_on: date(2022, 9, 1),
        entry_on: Some(date(2022, 10, 1)),
        term: Term::years(10),
        service_level: ServiceLevel::TWO,
        min_level: Some(ServiceLevel::TWO),
        fees: Fees::LIAOCHENG_2021,
        served_area: Area::from_m2(8000),
        notice_on: Some(date(2022, 9, 5)),
    }
}

both!(walks_a_compound_to_in_service_and_back_out);
async fn walks_a_compound_to_in_service_and_back_out(db: TestDb) {
    let s = &db.store;
    let id = unmanaged(s, "供销社家属院", OwnersBody::None).await;
    let co = s
        .upsert_company(&clerk(), "奈曼旗安居物业服务有限公司", Some(code(1)))
        .await
        .unwrap();
    let lc = s.lifecycle(id).await.unwrap();
    assert_eq!((lc.state.stage, lc.version), (Stage::Census, 0));

    // A contract before a company is selected is refused, and writes nothing.
    let audits = s.audit_count().await.unwrap();
    let err = s
        .sign_contract(&officer(), &contract(vec![id], co, Signer::OwnersBody))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚未选定物业服务企业"), "{err}");
    assert_eq!(s.audit_count().await.unwrap(), audits);
    assert!(s.list_contracts(None).await.unwrap().is_empty());

    to_selected(s, id, co, OwnersBody::OwnersCommittee).await;
    assert_eq!(
        s.get_compound(id).await.unwrap().compound.owners_body,
        OwnersBody::OwnersCommittee,
        "the ledger knows the owners' body formed on the path"
    );
    // The street may not sign where an owners' committee exists.
    let err = s
        .sign_contract(&officer(), &contract(vec![id], co, Signer::Street))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("须由业主委员会签订"), "{err}");
    // Below 二级 is refused.
    let mut low = contract(vec![id], co, Signer::OwnersBody);
    low.service_level = ServiceLevel::new(3).unwrap();
    assert!(matches!(
        s.sign_contract(&officer(), &low).await.unwrap_err(),
        StoreError::Refused { zh, en } if zh.contains("不得低于二级") && en.contains("below the policy's minimum")
    ));

    let k = s
        .sign_contract(&officer(), &contract(vec![id], co, Signer::OwnersBody))
        .await
        .unwrap();
    assert_eq!(k.term_last_day(), date(2032, 9, 30), "exactly 10 years");
    assert!(!anju_core::contract::yantai_term_over_ten_years(k.term));
    // A stale version is a conflict.
    let v = s.lifecycle(id).await.unwrap().version;
    let err = s
        .advance(
            &officer(),
            id,
            v - 1,
            &StepRequest::new(Event::StartTrial, date(2022, 9, 5)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");

    let k = s
        .file_contract(&officer(), k.id, k.version, date(2022, 9, 11))
        .await
        .unwrap();
    assert!(matches!(
        k.filing(date(2022, 12, 1)),
        FilingStatus::OnTime { .. }
    ));
    step(s, id, Event::StartTrial, date(2022, 9, 15)).await;
    step(s, id, Event::Enter, date(2022, 10, 1)).await;
    assert_eq!(
        s.get_compound(id).await.unwrap().compound.mode,
        ManagementMode::None,
        "not in service yet"
    );
    let lc = step(s, id, Event::StartService, date(2022, 10, 1)).await;
    assert_eq!(lc.state.stage, Stage::InService);
    let c = s.get_compound(id).await.unwrap();
    assert_eq!(c.compound.mode, ManagementMode::Professional);
    assert_eq!(c.company_id, Some(co));
    let hist = s.mode_history(id).await.unwrap();
    assert_eq!(hist.last().unwrap().since, date(2022, 10, 1));
    assert_eq!(lc.steps.len(), 9);

    // Every step audited.
    let steps = s
        .audit_entries(&AuditFilter {
            entity: Some("lifecycle".into()),
            entity_id: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(steps.len(), 9);

    // An exit without the contract is refused; terminating the contract ends the service.
    let err = s
        .advance(
            &officer(),
            id,
            lc.version,
            &StepRequest::new(
                Event::End {
                    kind: ExitKind::Exit,
                },
                date(2023, 1, 1),
            ),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("终止合同"), "{err}");
    let err = s
        .terminate_contract(
            &officer(),
            k.id,
            k.version,
            ExitKind::Dismissal,
            " ",
            date(2023, 3, 1),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("原因"), "{err}");
    let k = s
        .terminate_contract(
            &officer(),
            k.id,
            k.version,
            ExitKind::Dismissal,
            "超过50%业主不满意",
            date(2023, 3, 1),
        )
        .await
        .unwrap();
    assert!(!k.active);
    let lc = s.lifecycle(id).await.unwrap();
    assert_eq!(lc.state.stage, Stage::OwnersSettled);
    let c = s.get_compound(id).await.unwrap();
    assert_eq!(
        (c.compound.mode, c.company_id),
        (ManagementMode::None, None)
    );
}

both!(refused_transition_keeps_the_evidence_file);
async fn refused_transition_keeps_the_evidence_file(db: TestDb) {
    let s = &db.store;
    let dir = tempfile::tempdir().unwrap();
    let ev = EvidenceDir::new(dir.path());
    let id = unmanaged(s, "税务局宿舍", OwnersBody::None).await;
    let e = s
        .put_evidence(&officer(), &ev, "会议纪要.pdf", PDF)
        .await
        .unwrap();
    assert_eq!(e.mime, "application/pdf");
    assert_eq!(e.sha256, anju_store::sha256_hex(PDF));
    // Same content again: same record, one file.
    let again = s
        .put_evidence(&officer(), &ev, "copy.pdf", PDF)
        .await
        .unwrap();
    assert_eq!(again.sha256, e.sha256);
    // Deciding the mode before consulting is refused …
    let mut req = StepRequest::new(
        Event::DecideMode {
            mode: ManagementMode::StreetFallback,
        },
        date(2022, 8, 1),
    );
    req.evidence = vec![e.sha256.clone()];
    let err = s.advance(&officer(), id, 0, &req).await.unwrap_err();
    assert!(err.to_string().contains("不能确定管理模式"), "{err}");
    // … and the file and its record are still there to retry with.
    assert_eq!(std::fs::read(ev.path_of(&e)).unwrap(), PDF);
    assert!(s.get_evidence(&e.sha256).await.unwrap().is_some());
    let lc = step(s, id, Event::Consult, date(2022, 8, 1)).await;
    let lc = s.advance(&officer(), id, lc.version, &req).await.unwrap();
    assert_eq!(lc.steps.last().unwrap().evidence, vec![e.sha256.clone()]);
    // Street fallback starts service without a company; the ledger follows.
    let lc = step(s, id, Event::StartService, date(2022, 8, 2)).await;
    assert_eq!(lc.state.stage, Stage::InService);
    assert_eq!(
        s.get_compound(id).await.unwrap().compound.mode,
        ManagementMode::StreetFallback
    );
    // Unknown types, empty and oversized files are refused with a Chinese reason.
    for (name, bytes) in [
        ("a.exe", b"MZ\x90\x00rest".to_vec()),
        ("empty.pdf", Vec::new()),
        (
            "big.pdf",
            [
                b"%PDF-".as_slice(),
                &vec![0u8; anju_store::EVIDENCE_MAX_BYTES],
            ]
            .concat(),
        ),
    ] {
        let err = s
            .put_evidence(&officer(), &ev, name, &bytes)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{name}: {err}");
    }
    // Evidence never uploaded cannot be linked.
    let mut bad = StepRequest::new(
        Event::End {
            kind: ExitKind::Exit,
        },
        date(2022, 9, 1),
    );
    bad.evidence = vec!["0".repeat(64)];
    let err = s
        .advance(&officer(), id, lc.version, &bad)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚未上传"), "{err}");
}

both!(filing_on_day_10_is_on_time_and_day_11_overdue);
async fn filing_on_day_10_is_on_time_and_day_11_overdue(db: TestDb) {
    let s = &db.store;
    let co = s.upsert_company(&clerk(), "甲物业", None).await.unwrap();
    let mut ks = Vec::new();
    for name in ["甲小区", "乙小区"] {
        let id = unmanaged(s, name, OwnersBody::None).await;
        to_selected(s, id, co, OwnersBody::None).await;
        let k = s
            .sign_contract(&officer(), &contract(vec![id], co, Signer::Street))
            .await
            .unwrap();
        ks.push(k);
    }
    let on_time = s
        .file_contract(&officer(), ks[0].id, ks[0].version, date(2022, 9, 11))
        .await
        .unwrap();
    let late = s
        .file_contract(&officer(), ks[1].id, ks[1].version, date(2022, 9, 12))
        .await
        .unwrap();
    let today = date(2022, 10, 1);
    assert!(!on_time.filing(today).is_overdue());
    assert!(late.filing(today).is_overdue());
    assert_eq!(
        late.filing(today),
        FilingStatus::Late {
            filed_on: date(2022, 9, 12),
            deadline: date(2022, 9, 11),
            days_late: 1
        }
    );
    // Filing twice is refused; a stale version is a conflict.
    let err = s
        .file_contract(&officer(), on_time.id, on_time.version, date(2022, 9, 13))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("重复备案"), "{err}");
    let err = s
        .file_contract(&officer(), on_time.id, 1, date(2022, 9, 13))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
}

both!(dismissal_at_50_percent_no_and_above_yes);
async fn dismissal_at_50_percent_no_and_above_yes(db: TestDb) {
    let s = &db.store;
    let co = s.upsert_company(&clerk(), "乙物业", None).await.unwrap();
    let id = unmanaged(s, "农业银行家属院", OwnersBody::None).await;
    to_selected(s, id, co, OwnersBody::None).await;
    let k = s
        .sign_contract(&officer(), &contract(vec![id], co, Signer::Community))
        .await
        .unwrap();
    let half = s
        .record_dismissal_survey(
            &officer(),
            k.id,
            date(2023, 6, 1),
            DismissalSurvey::new(1000, 1000, 500).unwrap(),
            None,
        )
        .await
        .unwrap();
    assert!(!half.raised, "exactly 50 % is not 超过50%");
    let more = s
        .record_dismissal_survey(
            &officer(),
            k.id,
            date(2023, 6, 2),
            DismissalSurvey::new(1000, 1000, 501).unwrap(),
            Some("50.1%"),
        )
        .await
        .unwrap();
    assert!(more.raised);
    let all = s.dismissal_proposals(k.id).await.unwrap();
    assert_eq!(
        all.iter().map(|p| p.raised).collect::<Vec<_>>(),
        vec![false, true]
    );
    let audits = s
        .audit_entries(&AuditFilter {
            entity: Some("dismissal_proposal".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audits.len(), 2);
}

both!(public_selection_chooses_one_company_per_compound);
async fn public_selection_chooses_one_company_per_compound(db: TestDb) {
    let s = &db.store;
    let id = unmanaged(s, "粮食局家属院", OwnersBody::ManagementCommittee).await;
    step(s, id, Event::Consult, date(2022, 8, 1)).await;
    step(
        s,
        id,
        Event::DecideMode {
            mode: ManagementMode::Professional,
        },
        date(2022, 8, 2),
    )
    .await;
    step(
        s,
        id,
        Event::SettleOwners {
            body: OwnersBody::ManagementCommittee,
        },
        date(2022, 8, 3),
    )
    .await;
    let mut cos = Vec::new();
    for (i, n) in ["一物业", "二物业", "三物业", "四物业"].iter().enumerate() {
        cos.push(
            s.upsert_company(&clerk(), n, Some(code(i + 10)))
                .await
                .unwrap(),
        );
    }
    let sel = s
        .open_selection(
            &officer(),
            STREET,
            "2022年无物业小区物业企业遴选",
            date(2022, 9, 1),
            date(2022, 9, 15),
        )
        .await
        .unwrap();
    for (i, c) in cos.iter().enumerate() {
        s.register_for_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            *c,
            date(2022, 9, 10 + i as i8),
        )
        .await
        .unwrap();
    }
    // The deadline day itself is open; the next day is not.
    let late = s.upsert_company(&clerk(), "迟到物业", None).await.unwrap();
    let err = s
        .register_for_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            late,
            date(2022, 9, 16),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不在报名期内"), "{err}");
    let err = s
        .screen_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            date(2022, 9, 15),
            &cos,
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("之后才能"), "{err}");
    s.screen_selection(
        &officer(),
        sel.id,
        s.get_selection(sel.id).await.expect("sel").version,
        date(2022, 9, 16),
        &cos,
        None,
    )
    .await
    .unwrap();
    let err = s
        .shortlist_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            date(2022, 9, 17),
            &cos,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("1 至 3 家"), "{err}");
    assert_eq!(
        err.message(anju_core::Lang::En),
        "a shortlist has 1 to 3 companies, not 4"
    );
    // A change made on a stale read is refused: someone else moved the selection on.
    let stale = s.get_selection(sel.id).await.expect("sel").version - 1;
    let err = s
        .shortlist_selection(&officer(), sel.id, stale, date(2022, 9, 17), &cos[..3])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    s.shortlist_selection(
        &officer(),
        sel.id,
        s.get_selection(sel.id).await.expect("sel").version,
        date(2022, 9, 17),
        &cos[..3],
    )
    .await
    .unwrap();
    let err = s
        .choose_in_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            id,
            cos[0],
            date(2022, 9, 20),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("尚未"), "{err}");
    s.recommend_selection(
        &officer(),
        sel.id,
        s.get_selection(sel.id).await.expect("sel").version,
        id,
        date(2022, 9, 18),
    )
    .await
    .unwrap();
    let err = s
        .choose_in_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            id,
            cos[3],
            date(2022, 9, 20),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不在入围名单"), "{err}");
    let sel = s
        .choose_in_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            id,
            cos[1],
            date(2022, 9, 20),
        )
        .await
        .unwrap();
    assert_eq!(sel.compounds[0].company_id, Some(cos[1]));
    let lc = s.lifecycle(id).await.unwrap();
    assert_eq!(
        (lc.state.stage, lc.state.company_id),
        (Stage::CompanySelected, Some(cos[1]))
    );
    let err = s
        .choose_in_selection(
            &officer(),
            sel.id,
            s.get_selection(sel.id).await.expect("sel").version,
            id,
            cos[2],
            date(2022, 9, 21),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("一家物业服务企业"), "{err}");
    // The contract must be with the chosen company (one project, one company).
    let mut other = contract(vec![id], cos[2], Signer::OwnersBody);
    other.signed_on = date(2022, 9, 25);
    let err = s.sign_contract(&officer(), &other).await.unwrap_err();
    assert!(err.to_string().contains("不一致"), "{err}");
}

both!(targets_count_on_their_due_dates);
async fn targets_count_on_their_due_dates(db: TestDb) {
    let s = &db.store;
    let co = s.upsert_company(&clerk(), "丙物业", None).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(unmanaged(s, &format!("目标小区{i}"), OwnersBody::None).await);
    }
    for t in daqintala_2022(STREET) {
        s.add_target(&officer(), &t).await.unwrap();
    }
    // Idempotent preset.
    for t in daqintala_2022(STREET) {
        s.add_target(&officer(), &t).await.unwrap();
    }
    assert_eq!(s.targets(STREET).await.unwrap().len(), 3);
    // Three compounds reach service on 2022-12-31 (street fallback); 60 % of 5 = 3.
    for id in &ids[..3] {
        step(s, *id, Event::Consult, date(2022, 8, 1)).await;
        step(
            s,
            *id,
            Event::DecideMode {
                mode: ManagementMode::StreetFallback,
            },
            date(2022, 8, 2),
        )
        .await;
        step(
            s,
            *id,
            Event::SettleOwners {
                body: OwnersBody::OwnersCommittee,
            },
            date(2022, 11, 30),
        )
        .await;
        step(s, *id, Event::StartService, date(2022, 12, 31)).await;
    }
    let _ = co;
    let p = s
        .target_progress(STREET, date(2022, 12, 31), &Default::default())
        .await
        .unwrap();
    let by_due = |d: jiff::civil::Date| p.iter().find(|x| x.target.due == d).unwrap();
    let sixty = by_due(date(2022, 12, 31));
    assert_eq!((sixty.baseline, sixty.required, sixty.achieved), (5, 3, 3));
    assert_eq!(sixty.status, TargetStatus::Met);
    let bodies = by_due(date(2022, 11, 30));
    assert_eq!((bodies.required, bodies.achieved_by_due), (5, 3));
    assert_eq!(bodies.status, TargetStatus::Overdue);
    let p = s
        .target_progress(STREET, date(2022, 12, 30), &Default::default())
        .await
        .unwrap();
    let sixty = p.iter().find(|x| x.target.share_percent == 60).unwrap();
    assert_eq!((sixty.achieved, sixty.status), (0, TargetStatus::OnTrack));
    let p = s
        .target_progress(STREET, date(2024, 1, 1), &Default::default())
        .await
        .unwrap();
    let all = p.iter().find(|x| x.target.share_percent == 100).unwrap();
    assert_eq!(all.status, TargetStatus::Overdue);
    assert_eq!(all.missing.len(), 2);
}

both!(formal_entry_dates_a_contract_signed_without_an_entry_date);
async fn formal_entry_dates_a_contract_signed_without_an_entry_date(db: TestDb) {
    let s = &db.store;
    let id = unmanaged(s, "供销社家属院", OwnersBody::None).await;
    let co = s
        .upsert_company(&clerk(), "奈曼旗安居物业服务有限公司", Some(code(1)))
        .await
        .unwrap();
    to_selected(s, id, co, OwnersBody::OwnersCommittee).await;
    let mut open = contract(vec![id], co, Signer::OwnersBody);
    open.entry_on = None;
    let k = s.sign_contract(&officer(), &open).await.unwrap();
    assert_eq!(k.entry_on, None);
    let k = s
        .file_contract(&officer(), k.id, k.version, date(2022, 9, 11))
        .await
        .unwrap();
    let audits = s.audit_count().await.unwrap();
    step(s, id, Event::Enter, date(2022, 10, 8)).await;
    let after = s.get_contract(k.id).await.unwrap();
    assert_eq!(
        after.entry_on,
        Some(date(2022, 10, 8)),
        "entry dated by the step"
    );
    assert_eq!(after.version, k.version + 1);
    assert_eq!(
        s.audit_count().await.unwrap(),
        audits + 2,
        "the step and the contract's new entry date are both audited"
    );
}

both!(the_contract_register_is_a_condition_of_the_query);
async fn the_contract_register_is_a_condition_of_the_query(db: TestDb) {
    let s = &db.store;
    let a = s.upsert_company(&clerk(), "甲物业", None).await.unwrap();
    let b = s.upsert_company(&clerk(), "乙物业", None).await.unwrap();
    // Two compounds of the street, one contract each, with different companies.
    let mut ids = Vec::new();
    for (name, co) in [("甲小区", a), ("乙小区", b)] {
        let id = unmanaged(s, name, OwnersBody::None).await;
        to_selected(s, id, co, OwnersBody::None).await;
        s.sign_contract(&officer(), &contract(vec![id], co, Signer::Street))
            .await
            .unwrap();
        ids.push(id);
    }
    let street = anju_store::CompoundFilter {
        street: Some(STREET.into()),
        include_archived: true,
        ..Default::default()
    };
    let names = |ks: &[anju_store::ContractRecord]| -> Vec<(i64, Vec<i64>)> {
        ks.iter()
            .map(|k| (k.company_id, k.compound_ids.clone()))
            .collect()
    };
    // The street's filter (a parameter of its own) and a company together: one contract.
    let ks = s.contracts_in(&street, Some(a)).await.unwrap();
    assert_eq!(names(&ks), vec![(a, vec![ids[0]])]);
    let ks = s.contracts_in(&street, None).await.unwrap();
    assert_eq!(ks.len(), 2);
    let elsewhere = anju_store::CompoundFilter {
        street: Some("山城街道".into()),
        ..Default::default()
    };
    assert!(s.contracts_in(&elsewhere, None).await.unwrap().is_empty());
    // In force and overdue as of a day: signed 2022-09-01, not filed, 10 days to 09-11.
    let k = &ks[0];
    assert!(!k.overdue_on(date(2022, 9, 11)));
    assert!(k.overdue_on(date(2022, 9, 12)));
    assert!(!k.overdue_on(date(2022, 8, 31)), "not yet signed");
    assert_eq!(
        k.standing(date(2022, 8, 31)),
        anju_store::Standing::NotYetSigned
    );
}

both!(entry_before_filing_is_allowed_and_the_late_filing_shows);
async fn entry_before_filing_is_allowed_and_the_late_filing_shows(db: TestDb) {
    let s = &db.store;
    let co = s.upsert_company(&clerk(), "甲物业", None).await.unwrap();
    let id = unmanaged(s, "先进场小区", OwnersBody::None).await;
    to_selected(s, id, co, OwnersBody::None).await;
    let k = s
        .sign_contract(&officer(), &contract(vec![id], co, Signer::Street))
        .await
        .unwrap();
    // Signed 2022-09-01; the company enters and serves before the contract is filed.
    step(s, id, Event::Enter, date(2022, 9, 3)).await;
    let lc = step(s, id, Event::StartService, date(2022, 9, 5)).await;
    assert_eq!(lc.state.stage, Stage::InService);
    assert!(!lc.state.filed);
    // Filed on 2022-09-20, nine days after its deadline: recorded, the stage unchanged.
    let k = s
        .file_contract(&officer(), k.id, k.version, date(2022, 9, 20))
        .await
        .unwrap();
    assert_eq!(
        k.filing(date(2022, 10, 1)),
        FilingStatus::Late {
            filed_on: date(2022, 9, 20),
            deadline: date(2022, 9, 11),
            days_late: 9
        }
    );
    let lc = s.lifecycle(id).await.unwrap();
    assert_eq!((lc.state.stage, lc.state.filed), (Stage::InService, true));
    assert!(lc.steps.iter().any(|st| st.event == Event::File));
}
