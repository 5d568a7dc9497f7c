//! The region tree.

use crate::support::{TestDb, both, clerk, compound, date};
use anju_core::RegionLevel;
use anju_store::{AuditFilter, StoreError};

both!(region_path_is_idempotent);
async fn region_path_is_idempotent(db: TestDb) {
    let s = &db.store;
    let a = s
        .ensure_region_path(
            &clerk(),
            Some("通辽市"),
            Some("奈曼旗"),
            "大沁他拉街道",
            Some("西湖社区"),
        )
        .await
        .unwrap();
    let audit = s.audit_count().await.unwrap();
    assert_eq!(audit, 4);
    let b = s
        .ensure_region_path(
            &clerk(),
            Some("通辽市"),
            Some("奈曼旗"),
            "大沁他拉街道",
            Some("西湖社区"),
        )
        .await
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(
        s.audit_count().await.unwrap(),
        audit,
        "nothing written the second time"
    );
    assert!(a.city.is_some() && a.district.is_some() && a.community.is_some());

    let regions = s.list_regions().await.unwrap();
    assert_eq!(regions.len(), 4);
    let street = regions.iter().find(|r| r.id == a.street).unwrap();
    assert_eq!(
        (street.level, street.parent_id),
        (RegionLevel::Street, a.district)
    );

    // A shorter path finds the same street; a new community hangs under it.
    let c = s
        .ensure_region_path(&clerk(), None, None, "大沁他拉街道", Some("东湖社区"))
        .await
        .unwrap();
    assert_eq!(c.street, a.street);
    assert_ne!(c.community, a.community);

    // A ledger without the district lands on the same street.
    s.apply_ledger(
        &clerk(),
        &[{
            let mut x = compound("阳光小区", "大沁他拉街道", "西湖社区");
            x.district = None;
            x
        }],
        date(2022, 3, 1),
    )
    .await
    .unwrap();
    assert_eq!(s.list_regions().await.unwrap().len(), 5);

    // The same street name in two districts: a path without the district is ambiguous.
    s.ensure_region_path(
        &clerk(),
        Some("通辽市"),
        Some("科尔沁区"),
        "大沁他拉街道",
        None,
    )
    .await
    .unwrap();
    let err = s
        .ensure_region_path(&clerk(), None, None, "大沁他拉街道", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(m) if m.contains("多处")),
        "{err}"
    );

    let trail = s
        .audit_entries(&AuditFilter {
            entity: Some("region".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(trail.len(), s.list_regions().await.unwrap().len());
}

both!(street_without_district_is_adopted);
async fn street_without_district_is_adopted(db: TestDb) {
    let s = &db.store;
    let first = s
        .ensure_region_path(&clerk(), None, None, "青龙山镇", None)
        .await
        .unwrap();
    let later = s
        .ensure_region_path(&clerk(), None, Some("奈曼旗"), "青龙山镇", None)
        .await
        .unwrap();
    assert_eq!(
        first.street, later.street,
        "the district adopts the street it lacked"
    );
    let street = s
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == first.street)
        .unwrap();
    assert_eq!(street.parent_id, later.district);
}
