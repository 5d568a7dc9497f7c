//! 镇街吹哨、部门报到 (seed 003 二（二）、四): departments, referrals and their steps, and
//! migration 0019 (the users table rebuilt on SQLite), on both engines.

use crate::support::{TestDb, both, compound, date, officer};
use anju_core::access::Role;
use anju_core::referral::{ReferralSource, ReferralStatus, ReferralStep, figures};
use anju_store::{
    Actor, AuditFilter, CompoundFilter, Department, EvidenceDir, NewDepartment, NewReferral,
    NewUser, ReferralFilter, Scope, StepDetail, Store, StoreError,
};
use rust_decimal::Decimal;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
const PDF: &[u8] = b"%PDF-1.4\n% photo of the cleared fire lane\n";

fn admin() -> Actor {
    Actor::new("admin", "admin")
}

/// The fire brigade's officer, who takes the department's side.
fn fire_officer() -> Actor {
    Actor::new("孙队", "department")
}

/// 通辽市 → 奈曼旗 (two streets, a compound in each) and 科尔沁区 (one street, one compound).
struct Places {
    city: i64,
    district: i64,
    other_district: i64,
    street: i64,
    community: i64,
    street2: i64,
    /// 光明小区, in 大沁他拉街道 / 新华社区.
    c1: i64,
    /// 团结楼, in 东明镇.
    c2: i64,
    /// 西门小区, in 科尔沁区.
    c_other: i64,
}

async fn places(s: &Store) -> Places {
    let path = |district: &'static str, street: &'static str, community: &'static str| async move {
        s.ensure_region_path(
            &admin(),
            Some("通辽市"),
            Some(district),
            street,
            Some(community),
        )
        .await
        .unwrap()
    };
    let a = path("奈曼旗", "大沁他拉街道", "新华社区").await;
    let b = path("奈曼旗", "东明镇", "东明社区").await;
    let o = path("科尔沁区", "西门街道", "西门社区").await;
    let mut other = compound("西门小区", "西门街道", "西门社区");
    other.district = Some("科尔沁区".into());
    s.apply_ledger(
        &officer(),
        &[
            compound("光明小区", "大沁他拉街道", "新华社区"),
            compound("团结楼", "东明镇", "东明社区"),
            other,
        ],
        date(2026, 1, 5),
    )
    .await
    .unwrap();
    let list = s.list_compounds(&CompoundFilter::default()).await.unwrap();
    let id = |name: &str| {
        let c = list.iter().find(|c| c.compound.name == name).unwrap();
        (c.id, c.street_id)
    };
    let (c1, s1) = id("光明小区");
    let (c2, s2) = id("团结楼");
    let (c_other, s3) = id("西门小区");
    assert_eq!(
        (s1, s2, s3),
        (a.street, b.street, o.street),
        "the ledger lands on the paths"
    );
    Places {
        city: a.city.unwrap(),
        district: a.district.unwrap(),
        other_district: o.district.unwrap(),
        street: a.street,
        community: a.community.unwrap(),
        street2: b.street,
        c1,
        c2,
        c_other,
    }
}

async fn add_dept(s: &Store, district: i64, name: &str, duties: &[&str]) -> Department {
    s.add_department(
        &admin(),
        NewDepartment {
            district_id: district,
            name: name.into(),
            clause: None,
            duties: duties.iter().map(|d| (*d).to_string()).collect(),
        },
    )
    .await
    .unwrap()
}

fn referral(compound_id: i64, department_id: i64, on: jiff::civil::Date, days: u32) -> NewReferral {
    NewReferral {
        compound_id,
        department_id,
        source: ReferralSource::Finding,
        source_id: None,
        category: "消防通道".into(),
        text: "3号楼消防通道被私家车堵塞".into(),
        referred_on: on,
        working_days: days,
    }
}

fn step(step: ReferralStep, on: jiff::civil::Date, note: Option<&str>) -> StepDetail {
    StepDetail {
        step,
        on,
        note: note.map(str::to_string),
        evidence: Vec::new(),
    }
}

fn names(list: &[Department]) -> Vec<&str> {
    list.iter().map(|d| d.name.as_str()).collect()
}

both!(a_department_belongs_to_a_district_with_its_duties_cleaned);
async fn a_department_belongs_to_a_district_with_its_duties_cleaned(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    // Only a district holds departments: not a street, a community or the city.
    for region in [p.street, p.community, p.city] {
        let r = s
            .add_department(
                &admin(),
                NewDepartment {
                    district_id: region,
                    name: "区消防救援大队".into(),
                    clause: None,
                    duties: vec![],
                },
            )
            .await;
        assert!(
            matches!(&r, Err(StoreError::Invalid(m)) if m.contains("区（县）")),
            "{region}: {r:?}"
        );
    }
    let missing = s
        .add_department(
            &admin(),
            NewDepartment {
                district_id: 999_999,
                name: "区消防救援大队".into(),
                clause: None,
                duties: vec![],
            },
        )
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );

    // The name trimmed; duties trimmed, empty ones dropped, each once.
    let fire = s
        .add_department(
            &admin(),
            NewDepartment {
                district_id: p.district,
                name: "  区消防救援大队 ".into(),
                clause: Some("四（八）".into()),
                duties: vec![
                    " 消防通道 ".into(),
                    "消防安全".into(),
                    "消防通道".into(),
                    String::new(),
                    "   ".into(),
                ],
            },
        )
        .await
        .unwrap();
    assert_eq!(fire.name, "区消防救援大队");
    assert_eq!(fire.district_id, p.district);
    assert_eq!(fire.district, "奈曼旗");
    assert_eq!(fire.clause.as_deref(), Some("四（八）"));
    assert!(fire.active);
    assert_eq!(fire.version, 1);
    let mut duties = fire.duties.clone();
    duties.sort();
    assert_eq!(duties, ["消防安全", "消防通道"]);
    assert_eq!(s.get_department(fire.id).await.unwrap(), fire);

    // The same name again in the district is refused; in another district it is another
    // department.
    let again = s
        .add_department(
            &admin(),
            NewDepartment {
                district_id: p.district,
                name: "区消防救援大队".into(),
                clause: None,
                duties: vec![],
            },
        )
        .await;
    assert!(
        matches!(&again, Err(StoreError::Duplicate(m)) if m.contains("区消防救援大队")),
        "{again:?}"
    );
    let other = add_dept(s, p.other_district, "区消防救援大队", &["消防通道"]).await;
    assert_ne!(other.id, fire.id);

    // An empty name, or a duty over 50 characters, is refused.
    for (name, duty) in [
        ("   ", "消防通道".to_string()),
        ("区公安分局", "长".repeat(51)),
    ] {
        let r = s
            .add_department(
                &admin(),
                NewDepartment {
                    district_id: p.district,
                    name: name.into(),
                    clause: None,
                    duties: vec![duty],
                },
            )
            .await;
        assert!(matches!(r, Err(StoreError::Invalid(_))), "{name}: {r:?}");
    }

    // Audited, and read by the district (and the city) above it, not by a street.
    let audit = |region: Option<i64>| async move {
        s.audit_entries(&AuditFilter {
            entity: Some("department".into()),
            entity_id: Some(fire.id),
            region_id: region,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
    };
    let all = audit(None).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].action, "insert");
    assert_eq!(audit(Some(p.district)).await.len(), 1);
    assert_eq!(audit(Some(p.city)).await.len(), 1);
    assert!(audit(Some(p.street)).await.is_empty());
}

both!(a_department_is_changed_at_the_version_read);
async fn a_department_is_changed_at_the_version_read(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    let fire = add_dept(s, p.district, "区消防救援大队", &["消防通道"]).await;
    let police = add_dept(s, p.district, "区公安分局", &["治安管理"]).await;
    let changed = s
        .update_department(
            &admin(),
            fire.id,
            1,
            " 旗消防救援大队 ",
            &["消防安全".into(), " 消防安全".into(), "消防通道".into()],
            false,
        )
        .await
        .unwrap();
    assert_eq!(changed.name, "旗消防救援大队");
    assert_eq!(changed.version, 2);
    assert!(!changed.active);
    let mut duties = changed.duties.clone();
    duties.sort();
    assert_eq!(duties, ["消防安全", "消防通道"]);
    assert_eq!(s.get_department(fire.id).await.unwrap(), changed);

    // The version read before is stale now.
    let stale = s
        .update_department(&admin(), fire.id, 1, "区消防救援大队", &[], true)
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                expected: 1,
                actual: 2,
                ..
            })
        ),
        "{stale:?}"
    );
    // Another department's name is taken; an unknown department is not found.
    let taken = s
        .update_department(&admin(), fire.id, 2, "区公安分局", &[], true)
        .await;
    assert!(matches!(taken, Err(StoreError::Duplicate(_))), "{taken:?}");
    let missing = s
        .update_department(&admin(), 999_999, 1, "x", &[], true)
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
    assert_eq!(s.get_department(fire.id).await.unwrap(), changed);
    assert_eq!(s.get_department(police.id).await.unwrap(), police);

    let audit = s
        .audit_entries(&AuditFilter {
            entity: Some("department".into()),
            entity_id: Some(fire.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "the insert and one update");
}

both!(departments_are_listed_for_a_district_and_the_places_under_it);
async fn departments_are_listed_for_a_district_and_the_places_under_it(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    let fire = add_dept(s, p.district, "区消防救援大队", &["消防通道"]).await;
    let police = add_dept(s, p.district, "区公安分局", &["消防通道", "治安管理"]).await;
    let housing = add_dept(s, p.district, "区住建局", &["物业服务质量"]).await;
    let other = add_dept(s, p.other_district, "区市场监管局", &["电梯安全"]).await;
    s.update_department(&admin(), housing.id, 1, "区住建局", &housing.duties, false)
        .await
        .unwrap();

    // The district, a street under it and a community under that: the district's departments,
    // in the order added, each with its duties.
    for region in [p.district, p.street, p.street2, p.community] {
        let list = s.list_departments(Some(region), false).await.unwrap();
        assert_eq!(
            names(&list),
            ["区消防救援大队", "区公安分局", "区住建局"],
            "{region}"
        );
        let mut duties = list[1].duties.clone();
        duties.sort();
        assert_eq!(duties, ["治安管理", "消防通道"], "{region}");
        assert_eq!(list[0].duties, ["消防通道"]);
        let active = s.list_departments(Some(region), true).await.unwrap();
        assert_eq!(names(&active), ["区消防救援大队", "区公安分局"], "{region}");
    }
    // The other district's street sees only its own.
    let west = s
        .list_departments(Some(p.other_district), false)
        .await
        .unwrap();
    assert_eq!(west.iter().map(|d| d.id).collect::<Vec<_>>(), [other.id]);
    // The city above both, and no region at all: every district's.
    for region in [Some(p.city), None] {
        let all = s.list_departments(region, false).await.unwrap();
        assert_eq!(all.len(), 4, "{region:?}");
        for d in [&fire, &police, &other] {
            assert!(all.iter().any(|x| x.id == d.id), "{region:?}: {}", d.name);
        }
        assert!(all.iter().all(|d| !d.duties.is_empty()));
    }
}

both!(a_deadline_counts_working_days_past_weekends_and_holidays);
async fn a_deadline_counts_working_days_past_weekends_and_holidays(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    let fire = add_dept(s, p.district, "区消防救援大队", &["消防通道"]).await;
    // Referred on Friday 2026-11-27 with 5 working days, counted from the day after:
    //   Mon 11-30 (1), Tue 12-01 (2), Wed 12-02 (3), Thu 12-03 (4), Fri 12-04 (5) → 2026-12-04.
    let friday = date(2026, 11, 27);
    let r = s
        .add_referral(&officer(), referral(p.c1, fire.id, friday, 5))
        .await
        .unwrap();
    assert_eq!(r.deadline, date(2026, 12, 4));
    // One working day from a Friday is the Monday.
    let r1 = s
        .add_referral(&officer(), referral(p.c1, fire.id, friday, 1))
        .await
        .unwrap();
    assert_eq!(r1.deadline, date(2026, 11, 30));
    // With Wednesday 12-02 on the stored holiday list:
    //   Mon 11-30 (1), Tue 12-01 (2), Wed 12-02 holiday, Thu 12-03 (3), Fri 12-04 (4),
    //   Sat 12-05 and Sun 12-06 skipped, Mon 12-07 (5) → 2026-12-07.
    s.add_holiday(&admin(), date(2026, 12, 2), "测试假日")
        .await
        .unwrap();
    let r2 = s
        .add_referral(&officer(), referral(p.c1, fire.id, friday, 5))
        .await
        .unwrap();
    assert_eq!(r2.deadline, date(2026, 12, 7));
    assert_eq!(r2.working_days, 5);
    // The deadline is fixed when referred: the earlier one keeps its day.
    assert_eq!(
        s.get_referral(r.id).await.unwrap().deadline,
        date(2026, 12, 4)
    );

    // What a new referral holds.
    assert_eq!(r2.status, ReferralStatus::Referred);
    assert_eq!(r2.compound, "光明小区");
    assert_eq!(r2.street_id, p.street);
    assert_eq!(r2.department, "区消防救援大队");
    assert_eq!(r2.referred_by, "李强");
    assert_eq!(r2.referred_on, friday);
    assert_eq!(r2.returns, 0);
    assert_eq!(r2.version, 1);
    assert!(r2.first_resolved_on.is_none() && r2.acknowledged_on.is_none());
    // 逾期 after the deadline day, not on it.
    assert!(!r2.overdue(date(2026, 12, 7)));
    assert!(r2.overdue(date(2026, 12, 8)));
    let steps = s.referral_steps(r2.id).await.unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(
        (steps[0].step.as_str(), steps[0].on, steps[0].by.as_str()),
        ("refer", friday, "李强")
    );
}

both!(a_referral_goes_to_an_active_department_of_the_compounds_district);
async fn a_referral_goes_to_an_active_department_of_the_compounds_district(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    let fire = add_dept(s, p.district, "区消防救援大队", &["消防通道"]).await;
    let west = add_dept(s, p.other_district, "区消防救援大队", &["消防通道"]).await;
    let on = date(2026, 11, 27);
    // Another district's department.
    let r = s
        .add_referral(&officer(), referral(p.c1, west.id, on, 5))
        .await;
    assert!(
        matches!(&r, Err(StoreError::Invalid(m)) if m.contains("不属于") && m.contains("光明小区")),
        "{r:?}"
    );
    assert!(
        s.add_referral(&officer(), referral(p.c_other, west.id, on, 5))
            .await
            .is_ok()
    );
    // An inactive department.
    s.update_department(&admin(), fire.id, 1, &fire.name, &fire.duties, false)
        .await
        .unwrap();
    let r = s
        .add_referral(&officer(), referral(p.c1, fire.id, on, 5))
        .await;
    assert!(
        matches!(&r, Err(StoreError::Invalid(m)) if m.contains("已停用")),
        "{r:?}"
    );
    s.update_department(&admin(), fire.id, 2, &fire.name, &fire.duties, true)
        .await
        .unwrap();
    // Empty category or text; an unknown compound or department.
    for (category, text) in [(" ", "堵塞"), ("消防通道", "  ")] {
        let r = s
            .add_referral(
                &officer(),
                NewReferral {
                    category: category.into(),
                    text: text.into(),
                    ..referral(p.c1, fire.id, on, 5)
                },
            )
            .await;
        assert!(matches!(r, Err(StoreError::Invalid(_))), "{r:?}");
    }
    for (c, d) in [(999_999, fire.id), (p.c1, 999_999)] {
        let r = s.add_referral(&officer(), referral(c, d, on, 5)).await;
        assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
    }
    // Nothing of the refused ones was written: one referral, the other district's.
    let all = s.list_referrals(&ReferralFilter::default()).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].department_id, west.id);
}

both!(a_referral_walks_from_referred_to_confirmed);
async fn a_referral_walks_from_referred_to_confirmed(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    let fire = add_dept(s, p.district, "区消防救援大队", &["消防通道"]).await;
    // Friday 2026-11-27, 5 working days: deadline Friday 12-04.
    let r = s
        .add_referral(&officer(), referral(p.c1, fire.id, date(2026, 11, 27), 5))
        .await
        .unwrap();
    assert_eq!(r.deadline, date(2026, 12, 4));
    let dept = fire_officer();

    // 办结 before 报到 is refused by the path.
    let early = s
        .referral_step(
            &dept,
            r.id,
            1,
            step(ReferralStep::Resolve, date(2026, 11, 30), Some("已处理")),
        )
        .await;
    assert!(
        matches!(&early, Err(StoreError::Refused { zh, .. }) if zh.contains("请先报到")),
        "{early:?}"
    );
    // A referrer's step out of turn too.
    let confirm = s
        .referral_step(
            &officer(),
            r.id,
            1,
            step(ReferralStep::Confirm, date(2026, 11, 30), None),
        )
        .await;
    assert!(
        matches!(confirm, Err(StoreError::Refused { .. })),
        "{confirm:?}"
    );

    // 报到.
    let r = s
        .referral_step(
            &dept,
            r.id,
            1,
            step(ReferralStep::Acknowledge, date(2026, 11, 30), None),
        )
        .await
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Acknowledged);
    assert_eq!(r.acknowledged_on, Some(date(2026, 11, 30)));
    assert_eq!(r.acknowledged_by.as_deref(), Some("孙队"));
    assert_eq!(r.version, 2);

    // The version read before is stale.
    let stale = s
        .referral_step(
            &dept,
            r.id,
            1,
            step(ReferralStep::Resolve, date(2026, 12, 2), Some("已处理")),
        )
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                expected: 1,
                actual: 2,
                ..
            })
        ),
        "{stale:?}"
    );
    // A step dated before the previous one.
    let before = s
        .referral_step(
            &dept,
            r.id,
            2,
            step(ReferralStep::Resolve, date(2026, 11, 29), Some("已处理")),
        )
        .await;
    assert!(
        matches!(&before, Err(StoreError::Refused { zh, .. }) if zh.contains("早于上一步")),
        "{before:?}"
    );
    // 办结 without a result.
    for note in [None, Some("   ")] {
        let bare = s
            .referral_step(
                &dept,
                r.id,
                2,
                step(ReferralStep::Resolve, date(2026, 12, 2), note),
            )
            .await;
        assert!(
            matches!(&bare, Err(StoreError::Invalid(m)) if m.contains("办理结果")),
            "{bare:?}"
        );
    }
    // Evidence that was never uploaded refuses the whole step.
    let unknown = s
        .referral_step(
            &dept,
            r.id,
            2,
            StepDetail {
                evidence: vec!["0".repeat(64)],
                ..step(ReferralStep::Resolve, date(2026, 12, 2), Some("已处理"))
            },
        )
        .await;
    assert!(
        matches!(&unknown, Err(StoreError::Invalid(m)) if m.contains("找不到证明材料")),
        "{unknown:?}"
    );
    let still = s.get_referral(r.id).await.unwrap();
    assert_eq!(
        (still.status, still.version),
        (ReferralStatus::Acknowledged, 2)
    );
    assert_eq!(s.referral_steps(r.id).await.unwrap().len(), 2);
    assert!(s.referral_evidence(r.id).await.unwrap().is_empty());

    // 办结 on Wednesday 12-02 with a result and a photo uploaded before.
    let dir = tempfile::tempdir().unwrap();
    let photo = s
        .put_evidence(&dept, &EvidenceDir::new(dir.path()), "通道.pdf", PDF)
        .await
        .unwrap();
    let r = s
        .referral_step(
            &dept,
            r.id,
            2,
            StepDetail {
                evidence: vec![photo.sha256.clone()],
                ..step(
                    ReferralStep::Resolve,
                    date(2026, 12, 2),
                    Some(" 已联系车主挪车，通道畅通 "),
                )
            },
        )
        .await
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Resolved);
    assert_eq!(r.result.as_deref(), Some("已联系车主挪车，通道畅通"));
    assert_eq!(r.resolved_on, Some(date(2026, 12, 2)));
    assert_eq!(r.first_resolved_on, Some(date(2026, 12, 2)));
    assert_eq!(r.version, 3);

    // 退回 needs a reason.
    let bare = s
        .referral_step(
            &officer(),
            r.id,
            3,
            step(ReferralStep::Return, date(2026, 12, 3), Some(" ")),
        )
        .await;
    assert!(
        matches!(&bare, Err(StoreError::Invalid(m)) if m.contains("理由")),
        "{bare:?}"
    );
    let r = s
        .referral_step(
            &officer(),
            r.id,
            3,
            step(
                ReferralStep::Return,
                date(2026, 12, 3),
                Some("通道内仍堆有杂物"),
            ),
        )
        .await
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Returned);
    assert_eq!(r.returns, 1);
    assert_eq!(r.return_reason.as_deref(), Some("通道内仍堆有杂物"));
    assert_eq!(r.version, 4);
    // Returned is open again: past the deadline it is 逾期 (the deadline did not move).
    assert!(!r.overdue(date(2026, 12, 4)));
    assert!(r.overdue(date(2026, 12, 5)));
    // A returned referral cannot be confirmed.
    let confirm = s
        .referral_step(
            &officer(),
            r.id,
            4,
            step(ReferralStep::Confirm, date(2026, 12, 4), None),
        )
        .await;
    assert!(
        matches!(confirm, Err(StoreError::Refused { .. })),
        "{confirm:?}"
    );

    // 办结 again, after the deadline, citing the same photo: the first resolution is kept.
    let r = s
        .referral_step(
            &dept,
            r.id,
            4,
            StepDetail {
                evidence: vec![photo.sha256.clone()],
                ..step(ReferralStep::Resolve, date(2026, 12, 8), Some("杂物已清走"))
            },
        )
        .await
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Resolved);
    assert_eq!(r.result.as_deref(), Some("杂物已清走"));
    assert_eq!(r.resolved_on, Some(date(2026, 12, 8)));
    assert_eq!(r.first_resolved_on, Some(date(2026, 12, 2)));
    assert_eq!(r.returns, 1);
    assert_eq!(r.version, 5);

    // 确认办结: final.
    let r = s
        .referral_step(
            &officer(),
            r.id,
            5,
            step(ReferralStep::Confirm, date(2026, 12, 9), Some("已现场核实")),
        )
        .await
        .unwrap();
    assert_eq!(r.status, ReferralStatus::Confirmed);
    assert_eq!(r.confirmed_on, Some(date(2026, 12, 9)));
    assert_eq!(r.version, 6);
    for t in ReferralStep::ALL {
        let more = s
            .referral_step(
                &dept,
                r.id,
                6,
                step(*t, date(2026, 12, 10), Some("再改一次")),
            )
            .await;
        assert!(
            matches!(&more, Err(StoreError::Refused { zh, .. }) if zh.contains("已确认办结")),
            "{t:?}: {more:?}"
        );
    }
    assert_eq!(s.get_referral(r.id).await.unwrap(), r);

    // Every step, in the order taken.
    let steps = s.referral_steps(r.id).await.unwrap();
    let got: Vec<_> = steps
        .iter()
        .map(|x| (x.step.as_str(), x.on, x.by.as_str(), x.note.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("refer", date(2026, 11, 27), "李强", None),
            ("acknowledge", date(2026, 11, 30), "孙队", None),
            (
                "resolve",
                date(2026, 12, 2),
                "孙队",
                Some("已联系车主挪车，通道畅通")
            ),
            (
                "return",
                date(2026, 12, 3),
                "李强",
                Some("通道内仍堆有杂物")
            ),
            ("resolve", date(2026, 12, 8), "孙队", Some("杂物已清走")),
            ("confirm", date(2026, 12, 9), "李强", Some("已现场核实")),
        ]
    );
    // The photo, once.
    assert_eq!(
        s.referral_evidence(r.id).await.unwrap(),
        [photo.sha256.as_str()]
    );

    // On time (first resolved on 12-02, deadline 12-04), 5 calendar days, reopened once.
    let f = figures(&[r.facts()], date(2026, 12, 10));
    assert_eq!(
        (f.referrals, f.resolved, f.on_time, f.reopened, f.confirmed),
        (1, 1, 1, 1, 1)
    );
    assert_eq!((f.open, f.overdue), (0, 0));
    assert_eq!(f.on_time_rate, Some(Decimal::ONE));
    assert_eq!(f.median_days, Some(Decimal::from(5)));

    // One audit row per write, read by the compound's street but not the other street.
    let audit = |region: Option<i64>| async move {
        s.audit_entries(&AuditFilter {
            entity: Some("referral".into()),
            entity_id: Some(r.id),
            region_id: region,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .len()
    };
    assert_eq!(audit(None).await, 6);
    assert_eq!(audit(Some(p.street)).await, 6);
    assert_eq!(audit(Some(p.street2)).await, 0);

    // An unknown referral.
    let missing = s
        .referral_step(
            &dept,
            999_999,
            1,
            step(ReferralStep::Acknowledge, date(2026, 12, 1), None),
        )
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
}

both!(referrals_are_listed_by_department_state_source_and_scope);
async fn referrals_are_listed_by_department_state_source_and_scope(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    let fire = add_dept(s, p.district, "区消防救援大队", &["消防通道"]).await;
    let police = add_dept(s, p.district, "区公安分局", &["消防通道"]).await;
    let west = add_dept(s, p.other_district, "区消防救援大队", &["消防通道"]).await;
    let add = |new: NewReferral| async move { s.add_referral(&officer(), new).await.unwrap() };
    // Deadlines: Fri 11-27 + 5 → 12-04; Wed 12-02 + 3 → Thu, Fri, Mon 12-07; Thu 11-26 + 2 →
    // Fri, Mon 11-30; Fri 11-27 + 1 → Mon 11-30.
    let r1 = add(NewReferral {
        source: ReferralSource::Complaint,
        source_id: Some(7),
        ..referral(p.c1, fire.id, date(2026, 11, 27), 5)
    })
    .await;
    let r2 = add(NewReferral {
        source: ReferralSource::Other,
        ..referral(p.c2, fire.id, date(2026, 12, 2), 3)
    })
    .await;
    let r3 = add(NewReferral {
        source: ReferralSource::Order,
        source_id: Some(7),
        ..referral(p.c1, police.id, date(2026, 11, 26), 2)
    })
    .await;
    let r4 = add(referral(p.c_other, west.id, date(2026, 11, 27), 1)).await;
    assert_eq!(
        [r1.deadline, r2.deadline, r3.deadline, r4.deadline],
        [
            date(2026, 12, 4),
            date(2026, 12, 7),
            date(2026, 11, 30),
            date(2026, 11, 30)
        ]
    );
    // r3 resolved: no longer open.
    let dept = fire_officer();
    s.referral_step(
        &dept,
        r3.id,
        1,
        step(ReferralStep::Acknowledge, date(2026, 11, 27), None),
    )
    .await
    .unwrap();
    s.referral_step(
        &dept,
        r3.id,
        2,
        step(
            ReferralStep::Resolve,
            date(2026, 11, 30),
            Some("已劝离车辆"),
        ),
    )
    .await
    .unwrap();

    let ids = |f: ReferralFilter| async move {
        s.list_referrals(&f)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    // By deadline, then id.
    assert_eq!(
        ids(ReferralFilter::default()).await,
        [r3.id, r4.id, r1.id, r2.id]
    );
    assert_eq!(
        ids(ReferralFilter {
            department_id: Some(fire.id),
            ..ReferralFilter::default()
        })
        .await,
        [r1.id, r2.id]
    );
    assert_eq!(
        ids(ReferralFilter {
            open_only: true,
            ..ReferralFilter::default()
        })
        .await,
        [r4.id, r1.id, r2.id]
    );
    assert_eq!(
        ids(ReferralFilter {
            department_id: Some(police.id),
            open_only: true,
            ..ReferralFilter::default()
        })
        .await,
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(ReferralFilter {
            status: Some(ReferralStatus::Resolved),
            ..ReferralFilter::default()
        })
        .await,
        [r3.id]
    );
    // Made from complaint 7 (not order 7).
    assert_eq!(
        ids(ReferralFilter {
            source: Some((ReferralSource::Complaint, 7)),
            ..ReferralFilter::default()
        })
        .await,
        [r1.id]
    );
    assert_eq!(
        ids(ReferralFilter {
            source: Some((ReferralSource::Order, 7)),
            ..ReferralFilter::default()
        })
        .await,
        [r3.id]
    );
    assert_eq!(
        ids(ReferralFilter {
            compound_id: Some(p.c2),
            ..ReferralFilter::default()
        })
        .await,
        [r2.id]
    );
    // Referred in [11-27, 11-27].
    assert_eq!(
        ids(ReferralFilter {
            referred_from: Some(date(2026, 11, 27)),
            referred_to: Some(date(2026, 11, 27)),
            ..ReferralFilter::default()
        })
        .await,
        [r4.id, r1.id]
    );
    // A street's scope: only its compounds; the district's: both streets; the community's:
    // its compound; the city's: everything.
    let scoped = |sc: Scope| {
        ids(ReferralFilter {
            scope: sc,
            ..ReferralFilter::default()
        })
    };
    assert_eq!(scoped(Scope::Region(p.street)).await, [r3.id, r1.id]);
    assert_eq!(scoped(Scope::Region(p.street2)).await, [r2.id]);
    assert_eq!(scoped(Scope::Region(p.community)).await, [r3.id, r1.id]);
    assert_eq!(
        scoped(Scope::Region(p.district)).await,
        [r3.id, r1.id, r2.id]
    );
    assert_eq!(scoped(Scope::Region(p.other_district)).await, [r4.id]);
    assert_eq!(scoped(Scope::Region(p.city)).await.len(), 4);
    assert!(scoped(Scope::Nothing).await.is_empty());
    // Conditions combine: the fire brigade's open referrals in 大沁他拉街道.
    assert_eq!(
        ids(ReferralFilter {
            department_id: Some(fire.id),
            open_only: true,
            scope: Scope::Region(p.street),
            ..ReferralFilter::default()
        })
        .await,
        [r1.id]
    );
}

both!(a_department_officer_account_reads_back_its_department);
async fn a_department_officer_account_reads_back_its_department(db: TestDb) {
    let s = &db.store;
    let p = places(s).await;
    let fire = add_dept(s, p.district, "区消防救援大队", &["消防通道"]).await;
    let new = |username: &str, role: Role, region: Option<i64>, dept: Option<i64>| NewUser {
        username: username.into(),
        display_name: username.into(),
        password_hash: HASH.into(),
        role,
        region_id: region,
        company_id: None,
        department_id: dept,
        compound_id: None,
    };
    let street = s
        .create_user(&admin(), new("liqiang", Role::Street, Some(p.street), None))
        .await
        .unwrap();
    let back = s.get_user(street.id).await.unwrap();
    assert_eq!(back, street);
    assert_eq!(back.role, Role::Street);
    assert_eq!(back.department_id, None);
    assert_eq!(back.department_name, None);

    let officer = s
        .create_user(
            &admin(),
            new(
                "xiaofang",
                Role::Department,
                Some(p.district),
                Some(fire.id),
            ),
        )
        .await
        .unwrap();
    let back = s.find_user("xiaofang").await.unwrap().unwrap();
    assert_eq!(back, officer);
    assert_eq!(back.role, Role::Department);
    assert_eq!(back.department_id, Some(fire.id));
    assert_eq!(back.department_name.as_deref(), Some("区消防救援大队"));
    assert_eq!(back.region_name.as_deref(), Some("奈曼旗"));
    // The listing and the login read it the same way.
    let listed = s.list_users().await.unwrap();
    assert!(listed.contains(&officer) && listed.contains(&street));
    let (cred, hash) = s.user_credentials("xiaofang").await.unwrap().unwrap();
    assert_eq!((cred, hash.as_str()), (officer.clone(), HASH));

    // A department's account needs a department, and one that exists.
    let r = s
        .create_user(
            &admin(),
            new("nodept", Role::Department, Some(p.district), None),
        )
        .await;
    assert!(matches!(r, Err(StoreError::Invalid(_))), "{r:?}");
    let r = s
        .create_user(
            &admin(),
            new("ghost", Role::Department, Some(p.district), Some(999_999)),
        )
        .await;
    assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
}

both!(foreign_keys_hold_on_every_pooled_connection);
/// Migration 0019 turns SQLite's foreign keys off while it swaps the users table and on again
/// after: every connection of the pool (the one that ran it included) must enforce them.
async fn foreign_keys_hold_on_every_pooled_connection(db: TestDb) {
    let pool = db.store.pool();
    let mut conns = Vec::new();
    // All eight at once, so the connection that ran the migrations is among them.
    for _ in 0..8 {
        conns.push(pool.acquire().await.unwrap());
    }
    for (i, conn) in conns.iter_mut().enumerate() {
        if db.store.engine() == anju_store::Engine::Sqlite {
            let on = anju_store::query("PRAGMA foreign_keys")
                .fetch_i64(&mut **conn)
                .await
                .unwrap();
            assert_eq!(on, 1, "connection {i}");
        }
        let orphan = anju_store::query(
            "INSERT INTO department_duties (department_id, category) VALUES (999999, '消防通道')",
        )
        .execute(&mut **conn)
        .await;
        assert!(orphan.is_err(), "connection {i}: an orphan duty was stored");
    }
    drop(conns);
    if db.store.engine() == anju_store::Engine::Sqlite {
        let broken = anju_store::query("PRAGMA foreign_key_check")
            .fetch_all(pool)
            .await
            .unwrap();
        assert!(
            broken.is_empty(),
            "{} rows break a foreign key",
            broken.len()
        );
    }
}

/// Migration 0019 on a database that already holds accounts and sessions (migrated to 0018 and
/// written as 0006 left the table): the SQLite users table is rebuilt, the PostgreSQL one
/// altered; either way every account keeps its id, facts and hash, its sessions still log in,
/// accounts still cannot be deleted, and a department's officer can be added.
mod upgrade_to_0019 {
    use super::*;
    use anju_store::Db;

    const TOKEN: &str = "a-session-token-from-before-the-upgrade";

    async fn upgrade(url: &str, folder: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(folder);
        let mut m = sqlx::migrate::Migrator::new(dir).await.unwrap();
        let upto: Vec<_> = m
            .migrations
            .iter()
            .filter(|x| x.version < 19)
            .cloned()
            .collect();
        assert_eq!(upto.len(), 18);
        m.migrations = upto.into();
        let pool = if url.starts_with("sqlite:") {
            let p = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await
                .unwrap();
            m.run(&p).await.unwrap();
            Db::Sqlite(p)
        } else {
            let p = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await
                .unwrap();
            m.run(&p).await.unwrap();
            Db::Postgres(p)
        };
        let at = "2026-01-05T08:00:00Z";
        let region = anju_store::query(
            "INSERT INTO regions (parent_id, level, name, created_at) \
             VALUES (NULL, 'street', '大沁他拉街道', $1) RETURNING id",
        )
        .bind(at)
        .fetch_i64(&pool)
        .await
        .unwrap();
        for (name, role, region, version) in [
            ("admin", "admin", None, 1i64),
            ("liqiang", "street", Some(region), 3),
        ] {
            anju_store::query(
                "INSERT INTO users (username, display_name, password_hash, role, region_id, \
                 company_id, active, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL, 1, $6, $7, $7)",
            )
            .bind(name)
            .bind(format!("{name} 本人"))
            .bind(HASH)
            .bind(role)
            .bind(region)
            .bind(version)
            .bind(at)
            .execute(&pool)
            .await
            .unwrap();
        }
        let user = anju_store::query("SELECT id FROM users WHERE username = 'liqiang'")
            .fetch_i64(&pool)
            .await
            .unwrap();
        anju_store::query(
            "INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, \
             last_seen_at, expires_at) VALUES ($1, $2, 'csrf', $3, $3, '2099-01-01T00:00:00Z')",
        )
        .bind(anju_store::sha256_hex(TOKEN.as_bytes()))
        .bind(user)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;

        // Opening the store applies 0019.
        let s = Store::connect(url).await.unwrap();
        let u = s.find_user("liqiang").await.unwrap().unwrap();
        assert_eq!(u.id, user);
        assert_eq!(u.display_name, "liqiang 本人");
        assert_eq!(u.role, Role::Street);
        assert_eq!(u.region_id, Some(region));
        assert_eq!(u.region_name.as_deref(), Some("大沁他拉街道"));
        assert_eq!((u.version, u.active), (3, true));
        assert_eq!(u.created_at.to_string(), at);
        assert_eq!((u.department_id, u.department_name.clone()), (None, None));
        assert_eq!(s.list_users().await.unwrap().len(), 2);
        let (_, hash) = s.user_credentials("liqiang").await.unwrap().unwrap();
        assert_eq!(hash, HASH);
        // The session made before still finds its account.
        let session = s.session_by_token(TOKEN).await.unwrap().unwrap();
        assert_eq!(session.user, u);
        // Accounts are still never deleted.
        let deleted = anju_store::query("DELETE FROM users WHERE username = 'liqiang'")
            .execute(s.pool())
            .await;
        assert!(deleted.is_err(), "the no-delete trigger is gone");
        assert!(s.find_user("liqiang").await.unwrap().is_some());
        // A department's officer, with a department that exists (the column's foreign key).
        let district = anju_store::query(
            "INSERT INTO regions (parent_id, level, name, created_at) \
             VALUES (NULL, 'district', '奈曼旗', $1) RETURNING id",
        )
        .bind(at)
        .fetch_i64(s.pool())
        .await
        .unwrap();
        let fire = add_dept(&s, district, "区消防救援大队", &["消防通道"]).await;
        let officer = s
            .create_user(
                &admin(),
                NewUser {
                    username: "xiaofang".into(),
                    display_name: "孙队".into(),
                    password_hash: HASH.into(),
                    role: Role::Department,
                    region_id: Some(district),
                    company_id: None,
                    department_id: Some(fire.id),
                    compound_id: None,
                },
            )
            .await
            .unwrap();
        assert!(officer.id > user);
        assert_eq!(officer.department_name.as_deref(), Some("区消防救援大队"));
        let orphan = anju_store::query(
            "INSERT INTO users (username, display_name, password_hash, role, region_id, \
             department_id, active, version, created_at, updated_at) \
             VALUES ('orphan', 'x', $1, 'department', $2, 999999, 1, 1, $3, $3)",
        )
        .bind(HASH)
        .bind(district)
        .bind(at)
        .execute(s.pool())
        .await;
        assert!(orphan.is_err(), "users.department_id is not a foreign key");
        if s.engine() == anju_store::Engine::Sqlite {
            let broken = anju_store::query("PRAGMA foreign_key_check")
                .fetch_all(s.pool())
                .await
                .unwrap();
            assert!(
                broken.is_empty(),
                "{} rows break a foreign key",
                broken.len()
            );
        }
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("anju.db").display());
        upgrade(&url, "sqlite").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Ok(base) = std::env::var("ANJU_TEST_PG_URL") else {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI=true but ANJU_TEST_PG_URL is not set"
            );
            eprintln!("notice: ANJU_TEST_PG_URL not set, PostgreSQL half of this test skipped");
            return;
        };
        let schema = format!(
            "test_upgrade_0019_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_microsecond() % 1_000_000
        );
        let url = anju_store::scratch::create(&base, &schema).await.unwrap();
        upgrade(&url, "postgres").await;
        anju_store::scratch::drop(&base, &schema).await.unwrap();
    }
}
