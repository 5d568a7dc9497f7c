//! The ledger's pages in SQL: every order paged by LIMIT/OFFSET (the region order street ×
//! community at a time) gives the order of the whole list, which is the same on both engines
//! (checked against the order written out in Rust); filters, search, category, stage and a
//! viewer's region count alike in the list, the count and the summed figures.

use crate::support::{TestDb, both, clerk, generated, officer};
use anju_core::lifecycle::{Event, Stage};
use anju_core::stats::{coverage, coverage_of_groups};
use anju_core::{Category, ManagementMode};
use anju_store::{CompoundFilter, CompoundSort, StepRequest, Store, StoredCompound};
use std::cmp::Reverse;

/// 60 generated compounds, some without a community, a district, households, area or year,
/// and names that repeat in other streets (the id breaks the tie).
async fn ledger(s: &Store) -> Vec<StoredCompound> {
    let mut rows = generated(60);
    for (i, c) in rows.iter_mut().enumerate() {
        if i % 7 == 0 {
            c.community = None;
        }
        if i % 11 == 0 {
            c.households = None;
            c.area = None;
            c.built_year = None;
        }
        if i % 13 == 0 {
            c.name = "同名小区".into();
        }
        c.category = Category::from_number(i64::try_from(i % 3).unwrap() + 1);
    }
    // A street of no district, named to sort first and last by its words.
    for (i, c) in rows.iter_mut().enumerate().filter(|(i, _)| i % 17 == 5) {
        c.district = None;
        c.street = if i % 2 == 0 {
            "阿街道"
        } else {
            "第9街道"
        }
        .into();
        c.name = format!("{}号", c.name);
    }
    s.apply_ledger(&clerk(), &rows, crate::support::date(2022, 3, 1))
        .await
        .unwrap();
    s.list_compounds(&CompoundFilter {
        sort: CompoundSort::Id,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// The order each sort promises, written out.
fn expected(mut all: Vec<StoredCompound>, sort: CompoundSort) -> Vec<i64> {
    match sort {
        CompoundSort::Region => all.sort_by(|a, b| {
            let k = |c: &StoredCompound| {
                (
                    c.compound.district.clone(),
                    c.compound.street.clone(),
                    c.compound.community.clone(),
                    c.compound.name.clone(),
                    c.id,
                )
            };
            k(a).cmp(&k(b))
        }),
        CompoundSort::Name => all.sort_by_key(|c| (c.compound.name.clone(), c.id)),
        CompoundSort::HouseholdsDesc => all.sort_by_key(|c| {
            (
                c.compound.households.is_none(),
                Reverse(c.compound.households),
                c.id,
            )
        }),
        CompoundSort::AreaDesc => {
            all.sort_by_key(|c| (c.compound.area.is_none(), Reverse(c.compound.area), c.id))
        }
        CompoundSort::BuiltYear => {
            all.sort_by_key(|c| (c.compound.built_year.is_none(), c.compound.built_year, c.id))
        }
        CompoundSort::UpdatedDesc => all.sort_by_key(|c| (Reverse(c.updated_at), Reverse(c.id))),
        CompoundSort::Id => all.sort_by_key(|c| c.id),
    }
    all.into_iter().map(|c| c.id).collect()
}

const SORTS: [CompoundSort; 7] = [
    CompoundSort::Region,
    CompoundSort::Name,
    CompoundSort::HouseholdsDesc,
    CompoundSort::AreaDesc,
    CompoundSort::BuiltYear,
    CompoundSort::UpdatedDesc,
    CompoundSort::Id,
];

async fn ids(s: &Store, f: &CompoundFilter) -> Vec<i64> {
    s.list_compounds(f)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// Every page of `f` by `per_page`, joined.
async fn paged(s: &Store, f: &CompoundFilter, per_page: i64) -> Vec<i64> {
    let mut out = Vec::new();
    for page in 0.. {
        let got = ids(
            s,
            &CompoundFilter {
                limit: Some(per_page),
                offset: Some(page * per_page),
                ..f.clone()
            },
        )
        .await;
        if got.is_empty() {
            break;
        }
        out.extend(got);
    }
    out
}

both!(every_order_pages_as_it_lists_and_as_written);
async fn every_order_pages_as_it_lists_and_as_written(db: TestDb) {
    let s = &db.store;
    let all = ledger(s).await;
    // One compound edited later, so that the update order is not the id order.
    let c = all.iter().find(|c| c.id % 5 == 3).unwrap();
    let mut edited = c.compound.clone();
    edited.remarks = Some("后改".into());
    s.update_compound(&officer(), c.id, c.version, edited)
        .await
        .unwrap();
    let all = s.list_compounds(&CompoundFilter::default()).await.unwrap();
    for sort in SORTS {
        let f = CompoundFilter {
            sort,
            ..Default::default()
        };
        let want = expected(all.clone(), sort);
        assert_eq!(ids(s, &f).await, want, "{sort:?}, the whole list");
        assert_eq!(paged(s, &f, 7).await, want, "{sort:?}, by 7");
        assert_eq!(paged(s, &f, 50).await, want, "{sort:?}, by 50");
    }
}

both!(page_two_of_a_sorted_filter_and_its_counts);
async fn page_two_of_a_sorted_filter_and_its_counts(db: TestDb) {
    let s = &db.store;
    let all = ledger(s).await;
    // Unmanaged, category 2, "小区0000" in the name or address, by households.
    let f = CompoundFilter {
        mode: Some(ManagementMode::None),
        category: Some(Category::Two),
        search: Some("小区0000".into()),
        sort: CompoundSort::HouseholdsDesc,
        ..Default::default()
    };
    let chosen: Vec<StoredCompound> = all
        .iter()
        .filter(|c| {
            c.compound.mode == ManagementMode::None
                && c.compound.category == Some(Category::Two)
                && (c.compound.name.contains("小区0000")
                    || c.compound
                        .address
                        .as_deref()
                        .is_some_and(|a| a.contains("小区0000")))
        })
        .cloned()
        .collect();
    assert!(chosen.len() > 6, "the filter leaves two pages of 3");
    let want = expected(chosen.clone(), CompoundSort::HouseholdsDesc);
    let page2 = ids(
        s,
        &CompoundFilter {
            limit: Some(3),
            offset: Some(3),
            ..f.clone()
        },
    )
    .await;
    assert_eq!(page2, want[3..6]);
    let n = i64::try_from(chosen.len()).unwrap();
    assert_eq!(s.count_compounds(&f).await.unwrap(), n);
    let figures = s.ledger_figures(&f, true).await.unwrap();
    assert_eq!(figures.places.total(), u64::try_from(n).unwrap());
    // The figures summed by SQL are the figures of the compounds.
    assert_eq!(
        serde_json::to_value(coverage_of_groups(figures.groups)).unwrap(),
        serde_json::to_value(coverage(chosen.iter().map(|c| &c.compound))).unwrap()
    );
    // And in the region order, page 2 falls across streets and communities.
    let f = CompoundFilter {
        sort: CompoundSort::Region,
        ..f
    };
    let want = expected(chosen, CompoundSort::Region);
    let places = s.place_counts(&f).await.unwrap();
    let page2 = s
        .list_compounds_placed(
            &CompoundFilter {
                limit: Some(3),
                offset: Some(3),
                ..f.clone()
            },
            &places,
        )
        .await
        .unwrap();
    assert_eq!(
        page2.iter().map(|c| c.id).collect::<Vec<_>>(),
        want[3..6].to_vec()
    );
}

both!(a_viewers_region_and_the_stage_filter_in_sql);
async fn a_viewers_region_and_the_stage_filter_in_sql(db: TestDb) {
    let s = &db.store;
    let all = ledger(s).await;
    let street_id = all
        .iter()
        .find(|c| c.compound.street == "第3街道")
        .unwrap()
        .street_id;
    let community_id = all
        .iter()
        .find_map(|c| (c.compound.street == "第3街道").then_some(c.community_id)?)
        .unwrap();
    for (region, pick) in [
        (
            street_id,
            Box::new(|c: &StoredCompound| c.street_id == street_id)
                as Box<dyn Fn(&StoredCompound) -> bool>,
        ),
        (
            community_id,
            Box::new(|c: &StoredCompound| c.community_id == Some(community_id)),
        ),
    ] {
        let mine: Vec<StoredCompound> = all.iter().filter(|c| pick(c)).cloned().collect();
        assert!(!mine.is_empty());
        for sort in SORTS {
            let f = CompoundFilter {
                region_id: Some(region),
                sort,
                ..Default::default()
            };
            assert_eq!(
                paged(s, &f, 2).await,
                expected(mine.clone(), sort),
                "{sort:?}"
            );
            let figures = s.ledger_figures(&f, false).await.unwrap();
            assert_eq!(figures.places.total(), u64::try_from(mine.len()).unwrap());
        }
        // Another street's name asked for inside this region: nothing.
        let other = CompoundFilter {
            region_id: Some(region),
            street: Some("第4街道".into()),
            ..Default::default()
        };
        assert_eq!(s.count_compounds(&other).await.unwrap(), 0);
        assert!(ids(s, &other).await.is_empty());
    }
    // The district holds every compound of a street under it, not the one without a district.
    let district = s
        .list_regions()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == "奈曼旗")
        .unwrap();
    let f = CompoundFilter {
        region_id: Some(district.id),
        ..Default::default()
    };
    let n = all.iter().filter(|c| c.compound.district.is_some()).count();
    assert_eq!(
        s.count_compounds(&f).await.unwrap(),
        i64::try_from(n).unwrap()
    );
    assert!(n < all.len());

    // One unmanaged compound consulted: it leaves 摸底 for 已征求意见; the covered ones are
    // in service without a step.
    let consulted = all
        .iter()
        .find(|c| c.compound.mode == ManagementMode::None)
        .unwrap();
    let v = s.lifecycle(consulted.id).await.unwrap().version;
    s.advance(
        &officer(),
        consulted.id,
        v,
        &StepRequest::new(Event::Consult, crate::support::date(2022, 8, 1)),
    )
    .await
    .unwrap();
    let overview = s.stage_overview(None).await.unwrap();
    for stage in [
        Stage::Census,
        Stage::Consulted,
        Stage::InService,
        Stage::Filed,
    ] {
        let mut want: Vec<i64> = overview
            .iter()
            .filter(|r| r.stage == stage)
            .map(|r| r.compound_id)
            .collect();
        want.sort_unstable();
        let f = CompoundFilter {
            stage: Some(stage),
            sort: CompoundSort::Id,
            ..Default::default()
        };
        assert_eq!(ids(s, &f).await, want, "{stage:?}");
        assert_eq!(
            s.count_compounds(&f).await.unwrap(),
            i64::try_from(want.len()).unwrap()
        );
    }
    assert_eq!(
        ids(
            s,
            &CompoundFilter {
                stage: Some(Stage::Consulted),
                ..Default::default()
            }
        )
        .await,
        [consulted.id]
    );
}
