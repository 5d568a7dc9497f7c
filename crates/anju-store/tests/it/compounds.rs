//! Editing, archiving, listing compounds; mode history.

use crate::support::{TestDb, both, clerk, compound, date, generated, officer};
use anju_core::ManagementMode;
use anju_store::{AuditFilter, CompoundFilter, CompoundSort, StoreError};

async fn one(db: &TestDb) -> anju_store::StoredCompound {
    let s = &db.store;
    s.apply_ledger(
        &clerk(),
        &[compound("阳光小区", "大沁他拉街道", "西湖社区")],
        date(2022, 3, 1),
    )
    .await
    .unwrap();
    s.list_compounds(&CompoundFilter::default())
        .await
        .unwrap()
        .remove(0)
}

both!(version_conflict_on_concurrent_edit);
async fn version_conflict_on_concurrent_edit(db: TestDb) {
    let s = &db.store;
    let c = one(&db).await;
    assert_eq!(c.version, 1);

    let mut mine = c.compound.clone();
    mine.households = Some(100);
    let mut theirs = c.compound.clone();
    theirs.households = Some(200);
    let saved = s.update_compound(&clerk(), c.id, 1, mine).await.unwrap();
    assert_eq!(saved.version, 2);
    let err = s
        .update_compound(&officer(), c.id, 1, theirs.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { entity: "compound", id, expected: 1, actual: 2 } if id == c.id),
        "{err}"
    );
    assert!(err.to_string().contains("已被他人修改"), "{err}");
    assert_eq!(
        s.get_compound(c.id).await.unwrap().compound.households,
        Some(100)
    );

    // Truly concurrent: both read version 2, exactly one wins.
    let mut x = theirs.clone();
    x.households = Some(300);
    let mut y = theirs;
    y.households = Some(400);
    let (me, them) = (clerk(), officer());
    let (r1, r2) = tokio::join!(
        s.update_compound(&me, c.id, 2, x),
        s.update_compound(&them, c.id, 2, y)
    );
    let oks = [r1.is_ok(), r2.is_ok()].iter().filter(|ok| **ok).count();
    assert_eq!(oks, 1, "{r1:?} {r2:?}");
    let loser = if r1.is_ok() { r2 } else { r1 };
    assert!(
        matches!(
            loser,
            Err(StoreError::Conflict {
                expected: 2,
                actual: 3,
                ..
            })
        ),
        "{loser:?}"
    );
    let audit = s
        .audit_entries(&AuditFilter {
            entity_id: Some(c.id),
            entity: Some("compound".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 3, "insert + two successful updates");

    // Saving what is stored changes nothing.
    let now = s.get_compound(c.id).await.unwrap();
    let same = s
        .update_compound(&clerk(), c.id, now.version, now.compound.clone())
        .await
        .unwrap();
    assert_eq!(same, now);
}

both!(archive_keeps_row_and_audit);
async fn archive_keeps_row_and_audit(db: TestDb) {
    let s = &db.store;
    let c = one(&db).await;
    let err = s.archive_compound(&officer(), c.id, 7).await.unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict {
            expected: 7,
            actual: 1,
            ..
        }
    ));
    let archived = s.archive_compound(&officer(), c.id, 1).await.unwrap();
    assert!(archived.archived);
    assert_eq!(archived.version, 2);

    assert!(
        s.list_compounds(&CompoundFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    let all = s
        .list_compounds(&CompoundFilter {
            include_archived: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(s.get_compound(c.id).await.unwrap().compound, c.compound);
    let trail = s
        .audit_entries(&AuditFilter {
            entity: Some("compound".into()),
            entity_id: Some(c.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["archive", "insert"]
    );
    assert_eq!(trail[0].after.as_ref().unwrap()["archived"], true);

    let err = s
        .update_compound(&clerk(), c.id, 2, c.compound.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)));
    let err = s.get_compound(c.id + 1000).await.unwrap_err();
    assert!(matches!(
        err,
        StoreError::NotFound {
            entity: "compound",
            ..
        }
    ));
    assert!(err.to_string().contains("找不到小区"));

    // The database itself refuses hard deletes.
    let del = anju_store::query("DELETE FROM compounds")
        .execute(db.store.pool())
        .await;
    assert!(del.is_err());
    assert_eq!(
        s.list_compounds(&CompoundFilter {
            include_archived: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .len(),
        1
    );
}

both!(mode_history_is_dated);
async fn mode_history_is_dated(db: TestDb) {
    let s = &db.store;
    let c = one(&db).await;
    let mut next = c.compound.clone();
    next.mode = ManagementMode::StreetFallback;
    let v2 = s
        .update_compound_dated(&officer(), c.id, 1, next.clone(), date(2022, 8, 15))
        .await
        .unwrap();
    next.mode = ManagementMode::StateTakeover;
    next.company = Some("奈曼旗城投物业有限公司".into());
    let v3 = s
        .update_compound_dated(&officer(), c.id, v2.version, next.clone(), date(2023, 1, 1))
        .await
        .unwrap();
    assert_eq!(
        v3.compound.company.as_deref(),
        Some("奈曼旗城投物业有限公司")
    );

    let h = s.mode_history(c.id).await.unwrap();
    let got: Vec<_> = h.iter().map(|p| (p.mode, p.since, p.until)).collect();
    assert_eq!(
        got,
        [
            (
                ManagementMode::None,
                date(2022, 3, 1),
                Some(date(2022, 8, 15))
            ),
            (
                ManagementMode::StreetFallback,
                date(2022, 8, 15),
                Some(date(2023, 1, 1))
            ),
            (ManagementMode::StateTakeover, date(2023, 1, 1), None),
        ]
    );
    assert_eq!(h[1].actor, "李强");

    // A change dated before the current mode began is refused, and nothing is written.
    next.mode = ManagementMode::Professional;
    let err = s
        .update_compound_dated(&officer(), c.id, v3.version, next, date(2022, 12, 31))
        .await;
    assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");
    assert_eq!(s.get_compound(c.id).await.unwrap().version, v3.version);
    assert_eq!(s.mode_history(c.id).await.unwrap().len(), 3);
}

both!(lists_filter_search_sort_page);
async fn lists_filter_search_sort_page(db: TestDb) {
    let s = &db.store;
    s.apply_ledger(&clerk(), &generated(200), date(2022, 3, 1))
        .await
        .unwrap();
    let by = |f: CompoundFilter| async move { s.list_compounds(&f).await.unwrap() };

    let street = by(CompoundFilter {
        street: Some("第3街道".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(street.len(), 10);
    assert!(street.iter().all(|c| c.compound.street == "第3街道"));

    let community = by(CompoundFilter {
        street: Some("第3街道".into()),
        community: Some("第1社区".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(community.len(), 2);

    let managed = by(CompoundFilter {
        mode: Some(ManagementMode::Professional),
        ..Default::default()
    })
    .await;
    assert_eq!(managed.len(), 67);
    assert_eq!(
        s.count_compounds(&CompoundFilter {
            mode: Some(ManagementMode::Professional),
            ..Default::default()
        })
        .await
        .unwrap(),
        67
    );

    let found = by(CompoundFilter {
        search: Some("小区00012".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(found.len(), 10, "小区000120 … 小区000129");
    let none = by(CompoundFilter {
        search: Some("100%".into()),
        ..Default::default()
    })
    .await;
    assert!(none.is_empty(), "% is matched literally");
    let addr = by(CompoundFilter {
        search: Some("第7街道小区000007路".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(addr.len(), 1);

    let page = by(CompoundFilter {
        sort: CompoundSort::Name,
        limit: Some(5),
        offset: Some(10),
        ..Default::default()
    })
    .await;
    let names: Vec<_> = page.iter().map(|c| c.compound.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "小区000010",
            "小区000011",
            "小区000012",
            "小区000013",
            "小区000014"
        ]
    );

    let big = by(CompoundFilter {
        sort: CompoundSort::HouseholdsDesc,
        limit: Some(1),
        ..Default::default()
    })
    .await;
    assert_eq!(big[0].compound.households, Some(209));

    let street_id = street[0].street_id;
    let under = by(CompoundFilter {
        region_id: Some(street_id),
        ..Default::default()
    })
    .await;
    assert_eq!(under.len(), 10);
    let district = s
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == "奈曼旗")
        .unwrap();
    let all = by(CompoundFilter {
        region_id: Some(district.id),
        ..Default::default()
    })
    .await;
    assert_eq!(all.len(), 200);

    let stats = s.all_compounds_for_stats(Some("第3街道")).await.unwrap();
    assert_eq!(stats.len(), 10);
    assert!(stats.iter().all(|c| c.compound.community.is_some()));
}

/// Text a clerk might type or paste: quotes, a backslash, a line break, a tab, an emoji and a
/// lookalike of JSON.
const AWKWARD: &str = "备注：\"老旧\" 小区\\二期\n第二行\t{\"a\":[1,2]} 🏠";

both!(a_whole_list_reads_the_same_as_its_pages);
async fn a_whole_list_reads_the_same_as_its_pages(db: TestDb) {
    let s = &db.store;
    let mut rows = generated(30);
    rows[3].name = "“双引号”\"小区\"\\A".into();
    rows[4].remarks = Some(AWKWARD.into());
    rows[5].address = Some("路口\n东侧".into());
    s.apply_ledger(&clerk(), &rows, date(2022, 3, 1))
        .await
        .unwrap();
    for sort in [
        CompoundSort::Id,
        CompoundSort::Region,
        CompoundSort::Name,
        CompoundSort::HouseholdsDesc,
        CompoundSort::UpdatedDesc,
    ] {
        // Without a limit the list is read packed as one JSON value; a page row by row.
        let whole = s
            .list_compounds(&CompoundFilter {
                sort,
                ..Default::default()
            })
            .await
            .unwrap();
        let paged = s
            .list_compounds(&CompoundFilter {
                sort,
                limit: Some(1000),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(whole.len(), 30);
        assert_eq!(whole, paged, "{sort:?}");
    }
    let all = s
        .list_compounds(&CompoundFilter {
            sort: CompoundSort::Id,
            ..Default::default()
        })
        .await
        .unwrap();
    let odd = all
        .iter()
        .find(|c| c.compound.remarks.as_deref() == Some(AWKWARD))
        .expect("the awkward remarks read back as typed");
    // The roster a 调度表 reads (in id order) says the same of every compound.
    let roster = s
        .compound_services(&CompoundFilter::default())
        .await
        .unwrap();
    assert_eq!(roster.len(), 30);
    for (r, c) in roster.iter().zip(&all) {
        assert_eq!(r.id, c.id);
        assert_eq!(r.name, c.compound.name);
        assert_eq!(r.street, c.compound.street);
        assert_eq!(r.community, c.compound.community);
        assert_eq!(r.category, c.compound.category);
        assert_eq!(r.mode, c.compound.mode);
        assert_eq!(r.company, c.compound.company);
        assert_eq!(r.remarks, c.compound.remarks);
        assert_eq!(r.contract, None, "no contract signed yet");
    }
    // An edit's audit entry (written as JSON inside JSON) keeps the text exactly.
    let mut edited = odd.compound.clone();
    edited.remarks = Some(format!("{AWKWARD}（已核）"));
    s.update_compound(&officer(), odd.id, odd.version, edited)
        .await
        .unwrap();
    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("compound".into()),
            entity_id: Some(odd.id),
            ..Default::default()
        })
        .await
        .unwrap();
    let update = audit.iter().find(|e| e.action == "update").unwrap();
    let after = update.after.as_ref().unwrap().to_string();
    assert!(
        after.contains(&serde_json::to_string(&format!("{AWKWARD}（已核）")).unwrap()),
        "{after}"
    );
}
