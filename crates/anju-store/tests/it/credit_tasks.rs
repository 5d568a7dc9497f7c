//! Credit files, tasks and management areas: audited, on both engines.

use crate::support::{TestDb, both, clerk, code, compound, date, officer};
use anju_core::credit::{CreditRecord, CreditScheme, RecordKind, grade};
use anju_core::task::TaskStatus;
use anju_core::{Compound, Coordinates};
use anju_store::{
    AreaAssignment, AuditFilter, CompanyUpdate, CompoundFilter, NewCompanyRecord, NewTask,
    StoreError, TaskFilter,
};
use rust_decimal::Decimal;

const STREET: &str = "大沁他拉街道";

async fn ledger(db: &TestDb, rows: &[Compound]) -> Vec<anju_store::StoredCompound> {
    let s = &db.store;
    s.apply_ledger(&clerk(), rows, date(2022, 3, 1))
        .await
        .unwrap();
    s.list_compounds(&CompoundFilter {
        street: Some(STREET.into()),
        ..CompoundFilter::default()
    })
    .await
    .unwrap()
}

fn three() -> Vec<Compound> {
    ["光明小区", "团结楼", "税务局宿舍"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut c = compound(n, STREET, "新华社区");
            c.coords = Coordinates::from_degrees(42.845 + i as f64 * 0.0005, 120.652);
            c
        })
        .collect()
}

both!(credit_file_is_audited_and_graded);
async fn credit_file_is_audited_and_graded(db: TestDb) {
    let s = &db.store;
    let co = s
        .register_company(
            &officer(),
            CompanyUpdate {
                name: "奈曼旗安居物业服务有限公司".into(),
                credit_code: Some(code(7)),
                contact_person: Some("张丽".into()),
                phone: Some("0475-0421101".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(co.contact_person.as_deref(), Some("张丽"));
    let again = s
        .register_company(
            &officer(),
            CompanyUpdate {
                name: "奈曼旗安居物业服务有限公司".into(),
                ..CompanyUpdate::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Duplicate(_)), "{again}");
    let rows = ledger(&db, &three()).await;

    let before = s.audit_count().await.unwrap();
    let actor = officer();
    let add = |r: CreditRecord, compound_id: Option<i64>| {
        s.add_company_record(
            &actor,
            co.id,
            NewCompanyRecord {
                record: r,
                compound_id,
            },
        )
    };
    add(
        CreditRecord {
            score: Some(Decimal::new(9050, 2)),
            period: Some("2022-H1".into()),
            assessor: Some("奈曼旗住建局".into()),
            ..CreditRecord::new(RecordKind::Assessment, date(2022, 7, 10))
        },
        None,
    )
    .await
    .unwrap();
    add(
        CreditRecord {
            note: Some("未按规定公示收支".into()),
            ..CreditRecord::new(RecordKind::BadConduct, date(2022, 8, 1))
        },
        None,
    )
    .await
    .unwrap();
    add(
        CreditRecord {
            complaints: Some(6),
            period: Some("2022-08".into()),
            ..CreditRecord::new(RecordKind::Complaint, date(2022, 8, 31))
        },
        None,
    )
    .await
    .unwrap();
    let dismissal = add(
        CreditRecord {
            note: Some("超过50%业主不满意".into()),
            ..CreditRecord::new(RecordKind::Dismissal, date(2022, 9, 1))
        },
        Some(rows[0].id),
    )
    .await
    .unwrap();
    assert_eq!(
        dismissal.record.compound.as_deref(),
        Some(rows[0].compound.name.as_str())
    );
    // An assessment without a score is refused and writes nothing.
    let bad = add(
        CreditRecord::new(RecordKind::Assessment, date(2022, 9, 2)),
        None,
    )
    .await
    .unwrap_err();
    assert!(matches!(bad, StoreError::Invalid(_)), "{bad}");
    assert_eq!(s.audit_count().await.unwrap(), before + 4);
    let audits = s
        .audit_entries(&AuditFilter {
            entity: Some("company_record".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audits.len(), 4);
    assert!(
        audits
            .iter()
            .all(|a| a.actor == "李强" && a.action == "insert")
    );

    let file = s.company_records(co.id).await.unwrap();
    assert_eq!(file.len(), 4);
    assert_eq!(file[0].record.score, Some(Decimal::new(905, 1)));
    let records: Vec<CreditRecord> = file.into_iter().map(|r| r.record).collect();
    let g = grade(
        &records,
        &CreditScheme::yantai_default(),
        date(2022, 12, 31),
    );
    // 90.5 − 5 − ⌊6 / 5⌋ × 1 − 10 = 74.5 → A.
    assert_eq!(g.score, Decimal::new(745, 1));
    assert_eq!(g.grade, "A");
    assert_eq!(s.all_company_records().await.unwrap().len(), 4);

    // The database refuses to change or delete a credit record.
    let upd = anju_store::query("UPDATE company_records SET note = 'x'")
        .execute(s.pool())
        .await;
    assert!(upd.is_err());
    let del = anju_store::query("DELETE FROM company_records")
        .execute(s.pool())
        .await;
    assert!(del.is_err());
}

both!(tasks_are_overdue_the_day_after_the_deadline);
async fn tasks_are_overdue_the_day_after_the_deadline(db: TestDb) {
    let s = &db.store;
    let rows = ledger(&db, &three()).await;
    let before = s.audit_count().await.unwrap();
    let new = |i: usize, deadline| NewTask {
        compound_id: rows[i].id,
        title: "物业管理全覆盖".into(),
        detail: Some("因区制宜、一区一策".into()),
        responsible: "郭振华".into(),
        deadline,
    };
    let t = s
        .add_task(&officer(), new(0, date(2020, 11, 15)))
        .await
        .unwrap();
    assert_eq!(
        (t.status, t.responsible.as_str()),
        (TaskStatus::Open, "郭振华")
    );
    assert_eq!(t.street, STREET);
    let (created, skipped) = s
        .add_tasks_once(
            &officer(),
            &[
                new(0, date(2020, 11, 15)),
                new(1, date(2020, 11, 30)),
                new(2, date(2020, 11, 30)),
            ],
        )
        .await
        .unwrap();
    assert_eq!((created.len(), skipped), (2, 1));
    assert_eq!(s.audit_count().await.unwrap(), before + 3);

    let overdue = |d| async move {
        s.list_tasks(&TaskFilter {
            overdue_as_of: Some(d),
            ..TaskFilter::default()
        })
        .await
    };
    assert_eq!(overdue(date(2020, 11, 15)).await.unwrap().len(), 0);
    assert_eq!(overdue(date(2020, 11, 16)).await.unwrap().len(), 1);
    assert_eq!(overdue(date(2020, 11, 30)).await.unwrap().len(), 1);
    assert_eq!(overdue(date(2020, 12, 1)).await.unwrap().len(), 3);
    assert!(!t.overdue(date(2020, 11, 15)) && t.overdue(date(2020, 11, 16)));

    let done = s
        .set_task_status(
            &officer(),
            t.id,
            t.version,
            TaskStatus::Done,
            Some(date(2020, 11, 20)),
        )
        .await
        .unwrap();
    assert_eq!(done.done_on, Some(date(2020, 11, 20)));
    assert_eq!(overdue(date(2020, 12, 1)).await.unwrap().len(), 2);
    // A stale version is refused; done needs a date.
    let stale = s
        .set_task_status(&officer(), t.id, t.version, TaskStatus::Cancelled, None)
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::Conflict { .. }), "{stale}");
    let nodate = s
        .set_task_status(&officer(), created[0].id, 1, TaskStatus::Done, None)
        .await
        .unwrap_err();
    assert!(matches!(nodate, StoreError::Invalid(_)), "{nodate}");
    let audits = s
        .audit_entries(&AuditFilter {
            entity: Some("task".into()),
            entity_id: Some(t.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audits.len(), 2);
    let street = s
        .list_tasks(&TaskFilter {
            street: Some(STREET.into()),
            status: Some(TaskStatus::Open),
            ..TaskFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(street.len(), 2);
    // Tasks are never deleted.
    assert!(
        anju_store::query("DELETE FROM tasks")
            .execute(s.pool())
            .await
            .is_err()
    );
}

both!(area_acceptance_is_all_or_nothing_and_idempotent);
async fn area_acceptance_is_all_or_nothing_and_idempotent(db: TestDb) {
    let s = &db.store;
    let rows = ledger(&db, &three()).await;
    let plan = |v: &[i64]| {
        vec![
            AreaAssignment {
                name: "大沁他拉街道第1物业管理区域".into(),
                households: 192,
                explanation: Some("相邻".into()),
                members: vec![(rows[0].id, v[0]), (rows[1].id, v[1])],
            },
            AreaAssignment {
                name: "大沁他拉街道第2物业管理区域".into(),
                households: 96,
                explanation: None,
                members: vec![(rows[2].id, v[2])],
            },
        ]
    };
    let before = s.audit_count().await.unwrap();
    // One stale version: nothing is written.
    let err = s
        .accept_area_plan(
            &officer(),
            STREET,
            200,
            &plan(&[rows[0].version, rows[1].version, 99]),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(s.audit_count().await.unwrap(), before);
    assert!(s.management_areas(STREET).await.unwrap().is_empty());
    for r in &rows {
        assert_eq!(
            s.get_compound(r.id).await.unwrap().compound.management_area,
            None
        );
    }

    let versions: Vec<i64> = rows.iter().map(|r| r.version).collect();
    let sum = s
        .accept_area_plan(&officer(), STREET, 200, &plan(&versions))
        .await
        .unwrap();
    assert_eq!((sum.compounds_changed, sum.areas_created), (3, 2));
    // 3 compound updates + 2 area inserts.
    assert_eq!(s.audit_count().await.unwrap(), before + 5);
    let c1 = s.get_compound(rows[1].id).await.unwrap();
    assert_eq!(
        c1.compound.management_area.as_deref(),
        Some("大沁他拉街道第1物业管理区域")
    );
    let areas = s.management_areas(STREET).await.unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!((areas[0].households, areas[0].compounds), (192, 2));

    // The same plan again, with the versions as they are now: nothing changes.
    let now: Vec<i64> = {
        let mut v = Vec::new();
        for r in &rows {
            v.push(s.get_compound(r.id).await.unwrap().version);
        }
        v
    };
    let again = s
        .accept_area_plan(&officer(), STREET, 200, &plan(&now))
        .await
        .unwrap();
    assert!(!again.changed(), "{again:?}");
    assert_eq!(s.audit_count().await.unwrap(), before + 5);

    // A plan that drops area 2 archives it; a compound of another street is refused.
    let err = s
        .accept_area_plan(&officer(), "不存在街道", 200, &plan(&now))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused { .. }), "{err}");
    let one = vec![AreaAssignment {
        name: "大沁他拉街道第1物业管理区域".into(),
        households: 288,
        explanation: Some("相邻".into()),
        members: vec![
            (rows[0].id, now[0]),
            (rows[1].id, now[1]),
            (rows[2].id, now[2]),
        ],
    }];
    let sum = s
        .accept_area_plan(&officer(), STREET, 200, &one)
        .await
        .unwrap();
    assert_eq!(
        (sum.compounds_changed, sum.areas_updated, sum.areas_archived),
        (1, 1, 1)
    );
    let areas = s.management_areas(STREET).await.unwrap();
    assert!(areas[1].archived);
}
