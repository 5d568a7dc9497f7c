//! The ledger import: insert, update, unchanged, idempotent, all or nothing, volume.

use crate::support::{TestDb, both, clerk, code, compound, date, generated, officer};
use anju_core::{Coordinates, ManagementMode};
use anju_store::{ApplySummary, AuditFilter, CompoundFilter, StoreError};

both!(insert_update_unchanged);
async fn insert_update_unchanged(db: TestDb) {
    let s = &db.store;
    let a = compound("阳光小区", "大沁他拉街道", "西湖社区");
    let mut b = compound("幸福里", "大沁他拉街道", "西湖社区");
    let sum = s
        .apply_ledger(&clerk(), &[a.clone(), b.clone()], date(2022, 3, 1))
        .await
        .unwrap();
    assert_eq!((sum.inserted, sum.updated, sum.unchanged), (2, 0, 0));
    assert_eq!(sum.regions_created, 3, "district, street, community");

    b.households = Some(120);
    b.remarks = Some("2022年二季度复核".into());
    let c = compound("新华园", "大沁他拉街道", "东湖社区");
    let sum = s
        .apply_ledger(&officer(), &[a, b.clone(), c], date(2022, 6, 1))
        .await
        .unwrap();
    assert_eq!(
        sum,
        ApplySummary {
            inserted: 1,
            updated: 1,
            unchanged: 1,
            companies_created: 0,
            regions_created: 1
        }
    );

    let all = s.list_compounds(&CompoundFilter::default()).await.unwrap();
    assert_eq!(all.len(), 3);
    let stored_b = all.iter().find(|x| x.compound.name == "幸福里").unwrap();
    assert_eq!(stored_b.version, 2);
    assert_eq!(stored_b.compound, b, "every field round-trips");
    let stored_a = all.iter().find(|x| x.compound.name == "阳光小区").unwrap();
    assert_eq!(stored_a.version, 1);

    let trail = s
        .audit_entries(&AuditFilter {
            entity: Some("compound".into()),
            entity_id: Some(stored_b.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(trail.len(), 2, "insert then update");
    assert_eq!(trail[0].action, "update");
    assert_eq!(trail[0].actor, "李强");
    assert_eq!(trail[0].role, "street");
    let before = trail[0].before.as_ref().unwrap();
    let after = trail[0].after.as_ref().unwrap();
    assert_eq!(before["compound"]["households"], 96);
    assert_eq!(after["compound"]["households"], 120);
    assert_eq!(after["version"], 2);
    assert_eq!(trail[1].action, "insert");
    assert!(trail[1].before.is_none());
}

both!(reimport_writes_nothing);
async fn reimport_writes_nothing(db: TestDb) {
    let s = &db.store;
    let rows = generated(300);
    let first = s
        .apply_ledger(&clerk(), &rows, date(2022, 3, 1))
        .await
        .unwrap();
    assert_eq!(first.inserted, 300);
    assert_eq!(first.companies_created, 50);
    let audit = s.audit_count().await.unwrap();
    let before = s.list_compounds(&CompoundFilter::default()).await.unwrap();

    let again = s
        .apply_ledger(&clerk(), &rows, date(2022, 4, 1))
        .await
        .unwrap();
    assert_eq!(
        again,
        ApplySummary {
            unchanged: 300,
            ..ApplySummary::default()
        }
    );
    assert_eq!(s.audit_count().await.unwrap(), audit, "no audit rows");
    let after = s.list_compounds(&CompoundFilter::default()).await.unwrap();
    assert_eq!(before, after, "no version bumps, no timestamps touched");

    // Rows without the district or the credit code still match what is stored.
    let sparse: Vec<_> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.district = None;
            r.company_code = None;
            r
        })
        .collect();
    let sum = s
        .apply_ledger(&clerk(), &sparse, date(2022, 5, 1))
        .await
        .unwrap();
    assert_eq!(sum.unchanged, 300);
    assert_eq!(s.audit_count().await.unwrap(), audit);
}

both!(duplicate_rows_write_nothing);
async fn duplicate_rows_write_nothing(db: TestDb) {
    let s = &db.store;
    let a = compound("阳光小区", "大沁他拉街道", "西湖社区");
    let mut dup = a.clone();
    dup.households = Some(1);
    let err = s
        .apply_ledger(
            &clerk(),
            &[compound("幸福里", "大沁他拉街道", "西湖社区"), a, dup],
            date(2022, 3, 1),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("第 2 条与第 3 条")),
        "{err}"
    );
    assert_eq!(s.audit_count().await.unwrap(), 0);
    assert!(s.list_regions().await.unwrap().is_empty());
    assert!(
        s.list_compounds(&CompoundFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // Empty names are refused before anything is written.
    let err = s
        .apply_ledger(&clerk(), &[compound(" ", "街道", "社区")], date(2022, 3, 1))
        .await;
    assert!(matches!(err, Err(StoreError::Invalid(_))));
}

both!(failure_mid_batch_rolls_everything_back);
async fn failure_mid_batch_rolls_everything_back(db: TestDb) {
    let s = &db.store;
    let base = generated(10);
    s.apply_ledger(&clerk(), &base, date(2022, 3, 1))
        .await
        .unwrap();
    let audit = s.audit_count().await.unwrap();
    let regions = s.list_regions().await.unwrap().len();
    let companies = s.list_companies().await.unwrap().len();

    // Ten updates, a new street and company, 700 new rows, and one row the database refuses
    // (latitude out of range) in the second INSERT statement.
    let mut rows: Vec<_> = base
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.households = Some(999);
            r.mode = ManagementMode::StateTakeover;
            r
        })
        .collect();
    for i in 0..700 {
        let mut c = compound(&format!("新建小区{i}"), "青龙山镇", "青龙社区");
        c.company = Some("新来的物业公司".into());
        rows.push(c);
    }
    rows[650].coords = Some(Coordinates {
        lat_e6: 123_000_000,
        lng_e6: 0,
    });
    let err = s
        .apply_ledger(&officer(), &rows, date(2022, 6, 1))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Database(_)), "{err}");

    assert_eq!(s.audit_count().await.unwrap(), audit);
    assert_eq!(s.list_regions().await.unwrap().len(), regions);
    assert_eq!(s.list_companies().await.unwrap().len(), companies);
    let all = s.list_compounds(&CompoundFilter::default()).await.unwrap();
    assert_eq!(all.len(), 10);
    assert!(
        all.iter()
            .all(|c| c.version == 1 && c.compound.households != Some(999))
    );
    for c in &all {
        assert_eq!(s.mode_history(c.id).await.unwrap().len(), 1);
    }
}

both!(company_code_conflict_rolls_back);
async fn company_code_conflict_rolls_back(db: TestDb) {
    let s = &db.store;
    let mut a = compound("阳光小区", "大沁他拉街道", "西湖社区");
    a.company = Some("甲物业".into());
    a.company_code = Some(code(1));
    let mut b = compound("幸福里", "大沁他拉街道", "西湖社区");
    b.company = Some("乙物业".into());
    b.company_code = Some(code(1));
    let err = s
        .apply_ledger(&clerk(), &[a, b], date(2022, 3, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Duplicate(m) if m.contains("甲物业")),
        "{err}"
    );
    assert_eq!(s.audit_count().await.unwrap(), 0);
    assert!(s.list_companies().await.unwrap().is_empty());
}

both!(import_links_companies_and_modes);
async fn import_links_companies_and_modes(db: TestDb) {
    let s = &db.store;
    let mut a = compound("阳光小区", "大沁他拉街道", "西湖社区");
    a.mode = ManagementMode::Professional;
    a.company = Some("奈曼旗安居物业服务有限公司".into());
    let sum = s
        .apply_ledger(&clerk(), std::slice::from_ref(&a), date(2022, 3, 1))
        .await
        .unwrap();
    assert_eq!(sum.companies_created, 1);
    let companies = s.list_companies().await.unwrap();
    assert_eq!(companies[0].credit_code, None);

    // The next ledger adds the credit code: the company is completed, the compound unchanged.
    a.company_code = Some(code(7));
    let sum = s
        .apply_ledger(&clerk(), std::slice::from_ref(&a), date(2022, 4, 1))
        .await
        .unwrap();
    assert_eq!(
        (sum.companies_created, sum.unchanged, sum.updated),
        (0, 1, 0)
    );
    let companies = s.list_companies().await.unwrap();
    assert_eq!(companies[0].credit_code, Some(code(7)));
    assert_eq!(companies[0].version, 2);
    let stored = &s.list_compounds(&CompoundFilter::default()).await.unwrap()[0];
    assert_eq!(stored.company_id, Some(companies[0].id));
    assert_eq!(stored.compound.company_code, Some(code(7)));

    // Mode change: dated with the ledger's date.
    a.mode = ManagementMode::StateTakeover;
    a.company = Some("奈曼旗城投物业有限公司".into());
    a.company_code = None;
    let sum = s
        .apply_ledger(&clerk(), &[a], date(2022, 7, 1))
        .await
        .unwrap();
    assert_eq!((sum.updated, sum.companies_created), (1, 1));
    let h = s.mode_history(stored.id).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        (h[0].mode, h[0].since, h[0].until),
        (
            ManagementMode::Professional,
            date(2022, 3, 1),
            Some(date(2022, 7, 1))
        )
    );
    assert_eq!(
        (h[1].mode, h[1].since, h[1].until),
        (ManagementMode::StateTakeover, date(2022, 7, 1), None)
    );
}

both!(import_restores_archived_compound);
async fn import_restores_archived_compound(db: TestDb) {
    let s = &db.store;
    let a = compound("阳光小区", "大沁他拉街道", "西湖社区");
    s.apply_ledger(&clerk(), std::slice::from_ref(&a), date(2022, 3, 1))
        .await
        .unwrap();
    let stored = &s.list_compounds(&CompoundFilter::default()).await.unwrap()[0];
    s.archive_compound(&officer(), stored.id, 1).await.unwrap();
    let sum = s
        .apply_ledger(&clerk(), &[a], date(2022, 4, 1))
        .await
        .unwrap();
    assert_eq!(sum.updated, 1);
    let back = s.get_compound(stored.id).await.unwrap();
    assert!(!back.archived);
    assert_eq!(back.version, 3);
}

both!(import_20000_rows_and_reimport);
async fn import_20000_rows_and_reimport(db: TestDb) {
    let s = &db.store;
    let rows = generated(20_000);
    let sum = s
        .apply_ledger(&clerk(), &rows, date(2022, 3, 1))
        .await
        .unwrap();
    assert_eq!(
        sum,
        ApplySummary {
            inserted: 20_000,
            updated: 0,
            unchanged: 0,
            companies_created: 50,
            regions_created: 1 + 20 + 100
        }
    );
    let audit = s.audit_count().await.unwrap();
    assert_eq!(
        audit,
        20_000 + 50 + 121 + 1,
        "one per compound, company, region, and the import"
    );
    assert_eq!(
        s.count_compounds(&CompoundFilter::default()).await.unwrap(),
        20_000
    );

    let again = s
        .apply_ledger(&clerk(), &rows, date(2022, 4, 1))
        .await
        .unwrap();
    assert_eq!(
        again,
        ApplySummary {
            unchanged: 20_000,
            ..ApplySummary::default()
        }
    );
    assert_eq!(s.audit_count().await.unwrap(), audit);

    // One row in a thousand changed.
    let mut edited = rows.clone();
    for r in edited.iter_mut().step_by(1000) {
        r.households = r.households.map(|h| h + 1);
    }
    let third = s
        .apply_ledger(&clerk(), &edited, date(2022, 5, 1))
        .await
        .unwrap();
    assert_eq!((third.updated, third.unchanged), (20, 19_980));
    assert_eq!(s.audit_count().await.unwrap(), audit + 21);
}

/// Everything a ledger import can write, counted (to show that nothing was).
async fn footprint(s: &anju_store::Store) -> (i64, usize, usize, usize) {
    (
        s.audit_count().await.unwrap(),
        s.list_regions().await.unwrap().len(),
        s.list_companies().await.unwrap().len(),
        s.list_compounds(&CompoundFilter {
            include_archived: true,
            ..CompoundFilter::default()
        })
        .await
        .unwrap()
        .len(),
    )
}

both!(chunked_import_equals_one_batch);
async fn chunked_import_equals_one_batch(db: TestDb) {
    let s = &db.store;
    let rows = generated(1_000);
    let mut import = s.begin_ledger(&clerk(), date(2022, 3, 1)).await.unwrap();
    for chunk in rows.chunks(300) {
        import.apply(chunk).await.unwrap();
    }
    assert_eq!(import.rows(), 1_000);
    let sum = import.commit().await.unwrap();
    assert_eq!(
        sum,
        ApplySummary {
            inserted: 1_000,
            companies_created: 50,
            regions_created: 1 + 20 + 100,
            ..ApplySummary::default()
        }
    );
    let after = footprint(s).await;
    assert_eq!(
        after.0,
        1 + 121 + 50 + 1_000,
        "import, regions, companies, compounds"
    );

    // Every inserted row is audited with every value it was written with.
    let all = s.list_compounds(&CompoundFilter::default()).await.unwrap();
    for c in all.iter().take(50) {
        let trail = s
            .audit_entries(&AuditFilter {
                entity: Some("compound".into()),
                entity_id: Some(c.id),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(trail.len(), 1);
        let doc = trail[0].after.as_ref().unwrap();
        assert_eq!(doc["id"], c.id);
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["street_id"], c.street_id);
        let at = doc["created_at"]
            .as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok());
        assert_eq!(at, Some(c.created_at));
        // Absent keys are the empty values: the document reads back as the stored compound.
        let back: anju_core::Compound = serde_json::from_value(fill_defaults(&doc["compound"]))
            .unwrap_or_else(|e| panic!("{e}: {doc}"));
        assert_eq!(back, c.compound, "{doc}");
    }

    // The same ledger again, in other chunks, as one batch: nothing changes.
    let mut import = s.begin_ledger(&clerk(), date(2022, 4, 1)).await.unwrap();
    for chunk in rows.chunks(77) {
        import.apply(chunk).await.unwrap();
    }
    let again = import.commit().await.unwrap();
    assert_eq!(
        again,
        ApplySummary {
            unchanged: 1_000,
            ..ApplySummary::default()
        }
    );
    assert_eq!(footprint(s).await, after);
    let again = s
        .apply_ledger(&clerk(), &rows, date(2022, 4, 1))
        .await
        .unwrap();
    assert_eq!(again.unchanged, 1_000);
    assert_eq!(footprint(s).await, after);
}

/// The compact audit document with the keys it leaves out put back as null / zeros.
fn fill_defaults(doc: &serde_json::Value) -> serde_json::Value {
    let mut doc = doc.clone();
    let obj = doc.as_object_mut().unwrap();
    for k in [
        "district",
        "community",
        "address",
        "built_year",
        "area",
        "area_multi",
        "area_high",
        "buildings",
        "households",
        "category",
        "company",
        "company_code",
        "management_area",
        "coords",
        "remarks",
    ] {
        obj.entry(k).or_insert(serde_json::Value::Null);
    }
    for k in ["infra", "needs"] {
        obj.entry(k)
            .or_insert(serde_json::json!([0, 0, 0, 0, 0, 0, 0, 0]));
    }
    doc
}

both!(bad_row_in_last_chunk_rolls_back_earlier_chunks);
async fn bad_row_in_last_chunk_rolls_back_earlier_chunks(db: TestDb) {
    let s = &db.store;
    let base = generated(30);
    s.apply_ledger(&clerk(), &base, date(2022, 3, 1))
        .await
        .unwrap();
    let before = footprint(s).await;
    let stored = s.list_compounds(&CompoundFilter::default()).await.unwrap();

    // Updates of the stored rows, new streets, companies and compounds over several chunks,
    // then, in the last chunk, a compound already listed in the first one.
    let mut rows: Vec<_> = base
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.households = Some(999);
            r.mode = ManagementMode::StateTakeover;
            r
        })
        .collect();
    for i in 0..1_200 {
        let mut c = compound(&format!("新建小区{i}"), &format!("新{}镇", i % 7), "新社区");
        if i % 2 == 0 {
            c.company = Some(format!("新来的物业公司{}", i % 9));
        }
        rows.push(c);
    }
    let mut dup = rows[5].clone();
    dup.remarks = Some("又写了一遍".into());
    rows.push(dup);
    let chunks: Vec<&[anju_core::Compound]> = rows.chunks(400).collect();
    assert_eq!(chunks.len(), 4);

    let mut import = s.begin_ledger(&officer(), date(2022, 6, 1)).await.unwrap();
    for c in &chunks[..3] {
        import.apply(c).await.unwrap();
    }
    let err = import.apply(chunks[3]).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("第 6 条与第 1231 条")),
        "{err}"
    );
    // A spoiled import takes nothing more.
    assert!(import.apply(&rows[..1]).await.is_err());
    assert!(import.commit().await.is_err());
    assert_eq!(
        footprint(s).await,
        before,
        "nothing of the first chunks remains"
    );
    assert_eq!(
        s.list_compounds(&CompoundFilter::default()).await.unwrap(),
        stored
    );

    // The reader found a bad row in the last chunk after the store took every chunk: the
    // caller rolls back (or just drops the import).
    let good: Vec<_> = rows[..rows.len() - 1].to_vec();
    let mut import = s.begin_ledger(&officer(), date(2022, 6, 1)).await.unwrap();
    for c in good.chunks(400) {
        import.apply(c).await.unwrap();
    }
    import.rollback().await.unwrap();
    assert_eq!(footprint(s).await, before);
    let mut import = s.begin_ledger(&officer(), date(2022, 6, 1)).await.unwrap();
    for c in good.chunks(400) {
        import.apply(c).await.unwrap();
    }
    drop(import);
    assert_eq!(footprint(s).await, before);
    for c in &stored {
        assert_eq!(s.mode_history(c.id).await.unwrap().len(), 1);
    }

    // And the same rows commit cleanly when nothing is wrong.
    let mut import = s.begin_ledger(&officer(), date(2022, 6, 1)).await.unwrap();
    for c in good.chunks(400) {
        import.apply(c).await.unwrap();
    }
    let sum = import.commit().await.unwrap();
    assert_eq!((sum.inserted, sum.updated, sum.unchanged), (1_200, 30, 0));
}

both!(company_code_learned_in_a_later_chunk);
async fn company_code_learned_in_a_later_chunk(db: TestDb) {
    let s = &db.store;
    // Stored: a compound served by a company without a code on file.
    let mut a = compound("阳光小区", "大沁他拉街道", "西湖社区");
    a.company = Some("安居物业".into());
    s.apply_ledger(&clerk(), std::slice::from_ref(&a), date(2022, 3, 1))
        .await
        .unwrap();
    let audit = s.audit_count().await.unwrap();
    // The new ledger lists it unchanged in the first chunk and gives the company's code in a
    // later one: the compound is unchanged (as in one batch), the company gains its code.
    let mut b = compound("幸福里", "大沁他拉街道", "西湖社区");
    b.company = Some("安居物业".into());
    b.company_code = Some(code(7));
    let c = compound("新华园", "大沁他拉街道", "西湖社区");
    let mut import = s.begin_ledger(&clerk(), date(2022, 4, 1)).await.unwrap();
    import.apply(std::slice::from_ref(&a)).await.unwrap();
    import.apply(&[b.clone(), c.clone()]).await.unwrap();
    import.apply(std::slice::from_ref(&a)).await.unwrap_err();
    drop(import);
    assert_eq!(s.audit_count().await.unwrap(), audit);

    let mut import = s.begin_ledger(&clerk(), date(2022, 4, 1)).await.unwrap();
    import.apply(&[c, b]).await.unwrap();
    import.apply(&[a]).await.unwrap();
    let sum = import.commit().await.unwrap();
    assert_eq!((sum.inserted, sum.updated, sum.unchanged), (2, 0, 1));
}
