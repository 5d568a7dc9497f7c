//! The audit log cut by region: a district's or street's reader sees the entries about the
//! compounds and streets under it, never another region's, and nothing city-wide.

use crate::support::{TestDb, both, compound, officer};
use anju_core::RegionLevel;
use anju_core::lifecycle::Event;
use anju_store::{Actor, AuditEntry, AuditFilter, CompoundFilter, NewTask, StepRequest};

async fn region(db: &TestDb, name: &str, level: RegionLevel) -> i64 {
    db.store
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == name && r.level == level)
        .unwrap_or_else(|| panic!("no region {name}"))
        .id
}

async fn entries(db: &TestDb, region_id: Option<i64>) -> Vec<AuditEntry> {
    db.store
        .audit_entries(&AuditFilter {
            region_id,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
}

fn has(rows: &[AuditEntry], entity: &str, id: i64) -> bool {
    rows.iter()
        .any(|e| e.entity == entity && e.entity_id == Some(id))
}

both!(a_region_reads_only_its_own_audit_entries);
async fn a_region_reads_only_its_own_audit_entries(db: TestDb) {
    let s = &db.store;
    let a = compound("甲小区", "大沁他拉街道", "西湖社区");
    let mut b = compound("乙小区", "山城街道", "城中社区");
    b.district = Some("山亭区".into());
    s.apply_ledger(&officer(), &[a, b], jiff::civil::date(2026, 1, 1))
        .await
        .unwrap();
    let all = s.list_compounds(&CompoundFilter::default()).await.unwrap();
    let ca = all.iter().find(|c| c.compound.name == "甲小区").unwrap();
    let cb = all.iter().find(|c| c.compound.name == "乙小区").unwrap();
    // On each side: a ledger edit, a task, a step of the path, a street-level target.
    let mut tasks = Vec::new();
    for c in [ca, cb] {
        let mut changed = c.compound.clone();
        changed.households = Some(123);
        s.update_compound(&officer(), c.id, c.version, changed)
            .await
            .unwrap();
        let t = s
            .add_task(
                &officer(),
                NewTask {
                    compound_id: c.id,
                    title: "成立业委会".into(),
                    detail: None,
                    responsible: "张三".into(),
                    deadline: jiff::civil::date(2026, 12, 31),
                },
            )
            .await
            .unwrap();
        tasks.push(t.id);
        let v = s.lifecycle(c.id).await.unwrap().version;
        s.advance(
            &officer(),
            c.id,
            v,
            &StepRequest::new(Event::Consult, jiff::civil::date(2026, 3, 1)),
        )
        .await
        .unwrap();
    }
    let targets: Vec<i64> = {
        let mut ids = Vec::new();
        for street in ["大沁他拉街道", "山城街道"] {
            let t = anju_core::targets::daqintala_2022(street).remove(0);
            ids.push(s.add_target(&officer(), &t).await.unwrap());
        }
        ids
    };
    // Something city-wide: a company.
    let company = s
        .upsert_company(
            &Actor::new("市住建", "housing_authority"),
            "全市物业公司",
            None,
        )
        .await
        .unwrap();

    let naiman = region(&db, "奈曼旗", RegionLevel::District).await;
    let street_b = region(&db, "山城街道", RegionLevel::Street).await;
    let community_a = region(&db, "西湖社区", RegionLevel::Community).await;
    let whole = entries(&db, None).await;
    let ra = entries(&db, Some(naiman)).await;
    let rb = entries(&db, Some(street_b)).await;
    assert!(
        has(&whole, "company", company),
        "the whole log has everything"
    );
    for (rows, mine, other, t_mine, t_other, g_mine, g_other) in [
        (
            &ra, ca.id, cb.id, tasks[0], tasks[1], targets[0], targets[1],
        ),
        (
            &rb, cb.id, ca.id, tasks[1], tasks[0], targets[1], targets[0],
        ),
    ] {
        assert!(has(rows, "compound", mine), "{rows:?}");
        assert!(has(rows, "lifecycle", mine));
        assert!(has(rows, "task", t_mine));
        assert!(has(rows, "target", g_mine));
        assert!(!has(rows, "compound", other), "another region's compound");
        assert!(!has(rows, "lifecycle", other));
        assert!(!has(rows, "task", t_other));
        assert!(!has(rows, "target", g_other));
        assert!(
            rows.iter()
                .all(|e| e.entity != "company" && e.entity != "ledger" && e.entity_id.is_some()),
            "nothing city-wide"
        );
    }
    // The region rows: the district and what lies under it, not the other district's.
    let regions_a: Vec<i64> = ra
        .iter()
        .filter(|e| e.entity == "region")
        .filter_map(|e| e.entity_id)
        .collect();
    assert!(regions_a.contains(&naiman) && !regions_a.contains(&street_b));
    // A community reads its own compound's entries; the filter combines with the others.
    let rc = s
        .audit_entries(&AuditFilter {
            region_id: Some(community_a),
            entity: Some("compound".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(!rc.is_empty() && rc.iter().all(|e| e.entity_id == Some(ca.id)));
    // Newest first, as the whole log.
    assert!(ra.windows(2).all(|w| w[0].id > w[1].id));
}
