//! The demo ledger against its seeds: every figure counted over `demo_ledger()`.

use anju_core::{Category, Compound, CreditCode, InfraKind, ManagementMode, ModeGroup, OwnersBody};
use anju_demo::{
    DEMO_MARK, city_of, classify, daqintala, demo_companies, demo_ledger, liaocheng, regions,
    shanting,
};
use std::collections::{BTreeMap, BTreeSet};

fn street(name: &str) -> Vec<Compound> {
    demo_ledger()
        .into_iter()
        .filter(|c| c.street == name)
        .collect()
}

fn hh(c: &Compound) -> u32 {
    c.households.unwrap_or(0)
}

fn group(cs: &[Compound], g: ModeGroup) -> Vec<Compound> {
    cs.iter().filter(|c| c.mode.group() == g).cloned().collect()
}

#[test]
fn ledger_holds_199_compounds_in_three_places() {
    let all = demo_ledger();
    assert_eq!(all.len(), 199);
    assert_eq!(street(daqintala::STREET).len(), 151);
    assert_eq!(street(shanting::STREET).len(), 41);
    let lc = all
        .iter()
        .filter(|c| c.district.as_deref() == Some(liaocheng::DISTRICT))
        .count();
    assert_eq!(lc, 7);
}

#[test]
fn daqintala_reproduces_every_seed_004_figure() {
    let f = daqintala::SEED_FIGURES;
    let d = street(daqintala::STREET);
    let company = group(&d, ModeGroup::Company);
    let unmanaged = group(&d, ModeGroup::Unmanaged);
    assert_eq!(d.len(), f.compounds);
    assert_eq!(company.len(), 74);
    assert_eq!(group(&d, ModeGroup::Basic).len(), 0);
    assert_eq!(
        company.iter().filter(|c| c.owners_body.exists()).count(),
        27
    );
    assert_eq!(unmanaged.len(), 77);
    assert_eq!(
        unmanaged.iter().filter(|c| c.owners_body.exists()).count(),
        19
    );
    assert_eq!(unmanaged.iter().filter(|c| hh(c) < 30).count(), 16);
    assert_eq!(unmanaged.iter().filter(|c| hh(c) >= 30).count(), 61);
    assert_eq!(unmanaged.iter().map(hh).sum::<u32>(), 3_796);
    let mut needs = anju_core::Infrastructure::default();
    for c in &unmanaged {
        needs.add(&c.needs);
    }
    let want = [
        (InfraKind::Cameras, 170),
        (InfraKind::Chargers, 70),
        (InfraKind::WaterPoints, 45),
        (InfraKind::UnitDoors, 219),
        (InfraKind::BikeSheds, 26),
        (InfraKind::ParkingBays, 30),
        (InfraKind::BarrierGates, 53),
    ];
    for (k, n) in want {
        assert_eq!(needs.get(k), n, "{}", k.zh());
    }
    for (k, n) in daqintala::NEED_KINDS.iter().zip(f.needs) {
        assert_eq!(needs.get(*k), n);
    }
    // 物业用房: one for each unmanaged compound of 60 or more households (the demo's rule).
    let big = unmanaged.iter().filter(|c| hh(c) >= 60).count() as u32;
    assert_eq!(needs.get(InfraKind::PropertyOffices), big);
    // The managed ones have no recorded needs.
    assert!(company.iter().all(|c| c.needs.is_empty()));
}

#[test]
fn daqintala_modes_and_bodies_are_split_as_documented() {
    let d = street(daqintala::STREET);
    let count = |m: ManagementMode| d.iter().filter(|c| c.mode == m).count();
    assert_eq!(count(ManagementMode::Professional), 74);
    assert_eq!(count(ManagementMode::None), 60);
    assert_eq!(count(ManagementMode::SelfManaged), 17);
    let bodies = |g: ModeGroup, b: OwnersBody| {
        d.iter()
            .filter(|c| c.mode.group() == g && c.owners_body == b)
            .count()
    };
    assert_eq!(bodies(ModeGroup::Company, OwnersBody::OwnersCommittee), 25);
    assert_eq!(
        bodies(ModeGroup::Company, OwnersBody::ManagementCommittee),
        2
    );
    assert_eq!(
        bodies(ModeGroup::Unmanaged, OwnersBody::OwnersCommittee),
        15
    );
    assert_eq!(
        bodies(ModeGroup::Unmanaged, OwnersBody::ManagementCommittee),
        4
    );
    let sm_with_body = d
        .iter()
        .filter(|c| c.mode == ManagementMode::SelfManaged && c.owners_body.exists())
        .count();
    assert_eq!(sm_with_body, 10);
    let firms: BTreeMap<String, CreditCode> = daqintala::companies()
        .into_iter()
        .map(|c| (c.name, c.credit_code))
        .collect();
    assert!((6..=10).contains(&firms.len()));
    let mut used = BTreeSet::new();
    for c in d.iter().filter(|c| c.mode == ManagementMode::Professional) {
        let name = c.company.clone().unwrap_or_default();
        assert_eq!(firms.get(&name), c.company_code.as_ref(), "{}", c.name);
        used.insert(name);
    }
    assert_eq!(
        used.len(),
        firms.len(),
        "every Daqintala company serves someone"
    );
    assert!(
        d.iter()
            .filter(|c| c.mode.group() == ModeGroup::Unmanaged)
            .all(|c| c.company.is_none())
    );
}

#[test]
fn daqintala_has_the_boundary_cases_of_its_rules() {
    let d = street(daqintala::STREET);
    let unmanaged = group(&d, ModeGroup::Unmanaged);
    for (name, households, year, _) in daqintala::BOUNDARY_CASES {
        let c = unmanaged.iter().find(|c| c.name == name);
        assert!(c.is_some(), "{name}");
        if let Some(c) = c {
            assert_eq!((hh(c), c.built_year), (households, Some(year)), "{name}");
        }
    }
    let hs: Vec<u32> = unmanaged.iter().map(hh).collect();
    for exact in [8, 29, 30, 100, 101] {
        assert!(hs.contains(&exact), "{exact}");
    }
    assert!(hs.iter().filter(|h| **h < 30).all(|h| (8..=29).contains(h)));
    let over_100 = hs.iter().filter(|h| **h > 100).count();
    assert!((3..=8).contains(&over_100), "{over_100}");
    // 61 with 30 or more average about 56, most at 100 or under.
    assert!(hs.iter().filter(|h| **h <= 100).count() >= 70);
    // Years: mostly 1985–2012, exactly one 2012, some after.
    let years: Vec<i32> = unmanaged.iter().filter_map(|c| c.built_year).collect();
    assert_eq!(years.len(), 77);
    assert!(years.iter().all(|y| (1985..=2016).contains(y)));
    assert_eq!(years.iter().filter(|y| **y == 2012).count(), 1);
    assert!(years.iter().filter(|y| **y > 2012).count() >= 3);
    assert!(years.iter().filter(|y| **y <= 2012).count() >= 70);
    // Relative to 2022 (建设期满10年): both sides present among compounds of 100 or fewer.
    let eligible_size: Vec<&Compound> = unmanaged.iter().filter(|c| hh(c) <= 100).collect();
    assert!(eligible_size.iter().any(|c| c.built_year == Some(2012)));
    assert!(
        eligible_size
            .iter()
            .any(|c| c.built_year.is_some_and(|y| y > 2012))
    );
    let managed = group(&d, ModeGroup::Company);
    assert!(
        managed
            .iter()
            .all(|c| c.built_year.is_some_and(|y| (1995..=2021).contains(&y)))
    );
}

#[test]
fn daqintala_neighbourhoods_are_17_clusters_of_about_200_households() {
    let d = street(daqintala::STREET);
    let by_name: BTreeMap<&str, &Compound> = d.iter().map(|c| (c.name.as_str(), c)).collect();
    let clusters = daqintala::neighbourhoods();
    assert_eq!(clusters.len(), 17);
    let names: BTreeSet<&str> = clusters.iter().flatten().map(String::as_str).collect();
    assert_eq!(names.len(), 77);
    for cl in &clusters {
        let members: Vec<&&Compound> = cl.iter().filter_map(|n| by_name.get(n.as_str())).collect();
        assert_eq!(members.len(), cl.len());
        assert!(
            members
                .iter()
                .all(|c| c.mode.group() == ModeGroup::Unmanaged)
        );
        let total: u32 = members.iter().map(|c| hh(c)).sum();
        assert!(
            (180..=270).contains(&total),
            "cluster of {total} households: {cl:?}"
        );
        let community: BTreeSet<_> = members.iter().map(|c| c.community.clone()).collect();
        assert_eq!(community.len(), 1, "a cluster lies in one community");
    }
    // Single linkage at 350 m over the 77 recovers exactly these 17 groups.
    let un: Vec<&Compound> = d
        .iter()
        .filter(|c| c.mode.group() == ModeGroup::Unmanaged)
        .collect();
    let mut label: Vec<usize> = (0..un.len()).collect();
    fn root(l: &mut [usize], mut i: usize) -> usize {
        while l[i] != i {
            l[i] = l[l[i]];
            i = l[i];
        }
        i
    }
    for i in 0..un.len() {
        for j in i + 1..un.len() {
            let (Some(a), Some(b)) = (un[i].coords, un[j].coords) else {
                panic!("no coords")
            };
            if a.distance_m(&b) <= 350.0 {
                let (ri, rj) = (root(&mut label, i), root(&mut label, j));
                label[ri] = rj;
            }
        }
    }
    let mut groups: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (i, c) in un.iter().enumerate() {
        let r = root(&mut label, i);
        groups.entry(r).or_default().insert(c.name.clone());
    }
    let got: BTreeSet<BTreeSet<String>> = groups.into_values().collect();
    let want: BTreeSet<BTreeSet<String>> = clusters
        .into_iter()
        .map(|c| c.into_iter().collect())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn daqintala_lies_within_3_km_of_the_town_centre() {
    let centre = daqintala::centre();
    assert_eq!((centre.lat_e6, centre.lng_e6), (42_846_000, 120_656_000));
    for c in street(daqintala::STREET) {
        let p = c.coords.unwrap_or(centre);
        assert!(c.coords.is_some(), "{}", c.name);
        assert!(
            p.distance_m(&centre) <= 3_050.0,
            "{} {}",
            c.name,
            p.distance_m(&centre)
        );
    }
    // No two compounds on top of each other.
    let d = street(daqintala::STREET);
    for (i, a) in d.iter().enumerate() {
        for b in &d[i + 1..] {
            let (Some(p), Some(q)) = (a.coords, b.coords) else {
                continue;
            };
            assert!(p.distance_m(&q) >= 45.0, "{} / {}", a.name, b.name);
        }
    }
}

#[test]
fn shanting_has_the_41_compounds_of_annex_3_and_4_under_their_communities() {
    let s = street(shanting::STREET);
    assert_eq!(s.len(), 41);
    let annex3: [(&str, &[&str]); 4] = [
        ("梅园社区", &["梅花园", "龙珠百合"]),
        (
            "紫薇社区",
            &[
                "锦绣花园",
                "御景公馆",
                "紫锦庄园",
                "宝徕花苑",
                "樱花园",
                "龙珠丽都",
                "民生国际",
                "裕升山亭花园",
                "太清湖润景家园",
                "银光上城",
            ],
        ),
        (
            "丰泽社区",
            &[
                "欧亚城",
                "欧情豪庭",
                "欧情南苑",
                "桂花园",
                "御峰园",
                "苹果花苑",
                "枣花园",
            ],
        ),
        ("东、西鲁社区", &["丰泽嘉苑"]),
    ];
    let annex4: [(&str, &[&str]); 3] = [
        (
            "梅园社区",
            &[
                "四十中宿舍",
                "建行宿舍",
                "福源公寓",
                "梅园（西24.25号楼）",
                "安居小区",
                "医院宿舍",
                "书香花苑",
                "福临公寓",
                "山城街道教育宿舍",
                "华润纸厂宿舍",
            ],
        ),
        (
            "紫薇社区",
            &["鑫盛公寓（药材宿舍）", "银山小区", "紫薇社区", "翼云公寓"],
        ),
        (
            "丰泽社区",
            &[
                "欧情东苑",
                "柴林小区",
                "财富广场",
                "联通佳苑",
                "海洋公寓",
                "福地公寓",
                "牡丹花园",
            ],
        ),
    ];
    let find = |n: &str| s.iter().find(|c| c.name == n).cloned();
    let sizes3: Vec<usize> = annex3.iter().map(|(_, n)| n.len()).collect();
    let sizes4: Vec<usize> = annex4.iter().map(|(_, n)| n.len()).collect();
    assert_eq!(sizes3, [2, 10, 7, 1]);
    assert_eq!(sizes4, [10, 4, 7]);
    for (community, names) in annex3 {
        for n in names {
            let c = find(n);
            assert!(c.is_some(), "{n}");
            let Some(c) = c else { continue };
            assert_eq!(c.community.as_deref(), Some(community), "{n}");
            assert_eq!(c.mode, ManagementMode::Professional, "{n}");
            assert!(c.company.is_some() && c.company_code.is_some(), "{n}");
            assert_eq!(shanting::list_of(n), Some(shanting::List::Annex3));
        }
    }
    for (community, names) in annex4 {
        for n in names {
            let c = find(n);
            assert!(c.is_some(), "{n}");
            let Some(c) = c else { continue };
            assert_eq!(c.community.as_deref(), Some(community), "{n}");
            assert_eq!(c.mode.group(), ModeGroup::Unmanaged, "{n}");
            assert!(c.company.is_none(), "{n}");
            assert_eq!(shanting::list_of(n), Some(shanting::List::Annex4));
        }
    }
    let company = group(&s, ModeGroup::Company).len();
    let unmanaged = group(&s, ModeGroup::Unmanaged).len();
    assert_eq!((company, unmanaged), (20, 21));
    let self_managed: BTreeSet<&str> = s
        .iter()
        .filter(|c| c.mode == ManagementMode::SelfManaged)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        self_managed,
        BTreeSet::from(["福源公寓", "福临公寓", "翼云公寓", "福地公寓"])
    );
    assert!(s.iter().all(|c| c.district.as_deref() == Some("山亭区")));
    assert_eq!(city_of("山亭区"), Some("枣庄市"));
}

#[test]
fn shanting_task_rows_are_the_seeds() {
    let t = shanting::tasks();
    let shape: Vec<(shanting::List, &str, usize)> = t
        .iter()
        .map(|r| (r.list, r.community, r.compounds.len()))
        .collect();
    use shanting::List::{Annex3, Annex4};
    assert_eq!(
        shape,
        [
            (Annex3, "梅园社区", 2),
            (Annex3, "紫薇社区", 10),
            (Annex3, "丰泽社区", 7),
            (Annex3, "东、西鲁社区", 1),
            (Annex4, "梅园社区", 10),
            (Annex4, "紫薇社区", 4),
            (Annex4, "丰泽社区", 7),
        ]
    );
    assert!(
        t.iter()
            .all(|r| r.responsible == "郭振华" && r.street == "山城街道")
    );
    assert!(
        t.iter()
            .filter(|r| r.list == Annex3)
            .all(|r| r.deadline_text == "11月底" && r.deadline == "2020-11-30")
    );
    assert!(
        t.iter()
            .filter(|r| r.list == Annex4)
            .all(|r| r.deadline_text == "11月15日" && r.deadline == "2020-11-15")
    );
}

#[test]
fn liaocheng_has_the_7_pilots_unmanaged() {
    let all = demo_ledger();
    let lc: Vec<&Compound> = all
        .iter()
        .filter(|c| c.district.as_deref() == Some("聊城经济技术开发区"))
        .collect();
    let names: Vec<&str> = lc.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "台联小区",
            "和谐家园",
            "工贸家属院",
            "明珠苑",
            "天安1号楼",
            "国力小区",
            "天安怡园"
        ]
    );
    assert_eq!(names, liaocheng::PILOTS);
    assert!(
        lc.iter()
            .all(|c| c.mode.group() == ModeGroup::Unmanaged && c.company.is_none())
    );
    let sm = lc
        .iter()
        .filter(|c| c.mode == ManagementMode::SelfManaged)
        .count();
    assert_eq!(sm, 3);
    assert!(
        lc.iter()
            .all(|c| ["东城街道", "蒋官屯街道", "北城街道"].contains(&c.street.as_str()))
    );
    assert_eq!(city_of("聊城经济技术开发区"), Some("聊城市"));
    assert_eq!(
        lc.iter()
            .find(|c| c.name == "天安1号楼")
            .and_then(|c| c.buildings),
        Some(1)
    );
}

#[test]
fn regions_cover_every_compound_and_name_their_cities() {
    let rows = regions();
    assert_eq!(rows.len(), 5);
    assert_eq!(city_of("奈曼旗"), Some("通辽市"));
    assert_eq!(city_of("没有这个区"), None);
    let (_, _, _, dq) = &rows[0];
    assert!((6..=8).contains(&dq.len()));
    for c in demo_ledger() {
        let row = rows
            .iter()
            .find(|r| Some(r.1) == c.district.as_deref() && r.2 == c.street);
        assert!(row.is_some(), "{} {}", c.name, c.street);
        if let Some(r) = row {
            assert!(
                c.community.as_deref().is_some_and(|x| r.3.contains(&x)),
                "{}",
                c.name
            );
        }
    }
    // Every listed community holds at least one compound.
    let ledger = demo_ledger();
    for (_, district, street, communities) in rows {
        for cm in communities {
            let n = ledger
                .iter()
                .filter(|c| {
                    c.district.as_deref() == Some(district)
                        && c.street == street
                        && c.community.as_deref() == Some(cm)
                })
                .count();
            assert!(n > 0, "{street} {cm}");
        }
    }
}

#[test]
fn companies_have_valid_unique_credit_codes() {
    let firms = demo_companies();
    assert_eq!(firms.len(), 8 + 5 + 1);
    let codes: BTreeSet<&str> = firms.iter().map(|f| f.credit_code.as_str()).collect();
    let names: BTreeSet<&str> = firms.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(codes.len(), firms.len());
    assert_eq!(names.len(), firms.len());
    for f in &firms {
        assert!(
            CreditCode::parse(f.credit_code.as_str()).is_ok(),
            "{}",
            f.name
        );
        assert!(city_of(&f.district).is_some(), "{}", f.name);
        assert!(!f.contact.is_empty());
        // Area code, then a subscriber number starting with 0: never a real line.
        let parts: Vec<&str> = f.phone.split('-').collect();
        assert!(
            parts.len() == 2 && parts[1].starts_with('0') && parts[1].len() == 7,
            "{}",
            f.phone
        );
    }
    for c in demo_ledger() {
        if let Some(code) = &c.company_code {
            let f = firms.iter().find(|f| &f.credit_code == code);
            assert_eq!(f.map(|f| f.name.clone()), c.company.clone(), "{}", c.name);
        }
        assert_eq!(c.company.is_some(), c.company_code.is_some(), "{}", c.name);
        assert_eq!(
            c.company.is_some(),
            c.mode.group() == ModeGroup::Company,
            "{}",
            c.name
        );
    }
}

#[test]
fn names_are_unique_within_each_street() {
    let mut seen: BTreeSet<(Option<String>, String, String)> = BTreeSet::new();
    for c in demo_ledger() {
        assert!(!c.name.trim().is_empty());
        assert!(
            seen.insert((c.district.clone(), c.street.clone(), c.name.clone())),
            "{}",
            c.name
        );
    }
}

#[test]
fn every_compound_is_labelled_demo_data() {
    for c in demo_ledger() {
        let r = c.remarks.clone().unwrap_or_default();
        assert!(r.starts_with(DEMO_MARK), "{}: {r}", c.name);
        assert!(r.contains("虚构"), "{}: {r}", c.name);
    }
    assert_eq!(daqintala::REMARK, "演示数据：名称与属性为虚构");
}

#[test]
fn attributes_are_plausible() {
    for c in demo_ledger() {
        let n = &c.name;
        let h = hh(&c);
        assert!(h >= 8, "{n}");
        let (Some(a), Some(m), Some(hi)) = (c.area, c.area_multi, c.area_high) else {
            panic!("{n}: areas missing")
        };
        assert_eq!(m + hi, a, "{n}");
        let per = a.centi() as f64 / 100.0 / f64::from(h);
        assert!((40.0..=150.0).contains(&per), "{n}: {per} ㎡ per household");
        let b = c.buildings.unwrap_or(0);
        assert!(b >= 1, "{n}");
        let per_building = f64::from(h) / f64::from(b);
        assert!(
            (6.0..=100.0).contains(&per_building),
            "{n}: {per_building} households a building"
        );
        assert!(
            c.built_year.is_some_and(|y| (1985..=2021).contains(&y)),
            "{n}"
        );
        assert!(c.coords.is_some() && c.address.is_some(), "{n}");
        assert!(
            c.needs.get(InfraKind::UnitDoors) <= c.infra.get(InfraKind::UnitDoors),
            "{n}"
        );
        assert!(
            c.management_area.is_none(),
            "{n}: grouping is the planner's job"
        );
    }
    // Old compounds are mostly 多层.
    let un = group(&street(daqintala::STREET), ModeGroup::Unmanaged);
    assert!(
        un.iter()
            .filter(|c| c.area_high.is_some_and(|a| a.centi() == 0))
            .count()
            >= 70
    );
}

#[test]
fn categories_follow_the_annex_5_note() {
    let all = demo_ledger();
    for c in &all {
        assert_eq!(c.category, Some(classify(c)), "{}", c.name);
        if c.mode.group() == ModeGroup::Unmanaged && hh(c) < 30 {
            assert_eq!(c.category, Some(Category::Three), "{}", c.name);
        }
        if c.mode.group() == ModeGroup::Company {
            assert_ne!(c.category, Some(Category::Three), "{}", c.name);
        }
    }
    for place in [daqintala::STREET, shanting::STREET] {
        let cats: BTreeSet<Category> = all
            .iter()
            .filter(|c| c.street == place)
            .filter_map(|c| c.category)
            .collect();
        assert_eq!(cats.len(), 3, "{place} uses all three categories");
    }
}

#[test]
fn the_ledger_is_deterministic() {
    assert_eq!(demo_ledger(), demo_ledger());
    assert_eq!(demo_companies(), demo_companies());
    assert_eq!(daqintala::neighbourhoods(), daqintala::neighbourhoods());
}

/// A snapshot of a few totals: a change to the generator shows up here, on purpose.
#[test]
fn snapshot_of_totals() {
    let all = demo_ledger();
    let d = street(daqintala::STREET);
    let total_area: i64 = d.iter().filter_map(|c| c.area).map(|a| a.centi()).sum();
    let managed_hh: u32 = group(&d, ModeGroup::Company).iter().map(hh).sum();
    let all_hh: u32 = all.iter().map(hh).sum();
    let lat_sum: i64 = all.iter().filter_map(|c| c.coords).map(|p| p.lat_e6).sum();
    let first_last = (
        all.first().map(|c| c.name.clone()).unwrap_or_default(),
        all.last().map(|c| c.name.clone()).unwrap_or_default(),
    );
    let codes: Vec<String> = demo_companies()
        .iter()
        .take(2)
        .map(|c| c.credit_code.to_string())
        .collect();
    assert_eq!(
        format!("{total_area} {managed_hh} {all_hh} {lat_sum} {first_last:?} {codes:?}"),
        r#"368992130 35728 52324 8164191514 ("奈曼名都", "天安怡园") ["91150525MA0N1A2B3U", "91150525MA0N4C5D6X"]"#
    );
}
