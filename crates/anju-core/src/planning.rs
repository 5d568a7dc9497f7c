//! 物业管理区域划分: grouping a street's unmanaged compounds into management areas of about a
//! target number of households, by proximity.
//!
//! Seed 004 三(五): "将77个弃管小区按照200户左右划分17个物业管理区域，共3796户". Seed 001 二(二):
//!零星小区 that cannot hire a company alone are "纳入临近物业服务区域". The planner is pure and
//! deterministic: the same compounds in the same order give the same plan, byte for byte.
//!
//! The algorithm, in four steps (every figure comes from [`AreaRules`]):
//!
//! 1. Compounds without coordinates or without a household count cannot be placed: they are
//!    listed in [`AreaPlan::unplaced`] with the reason, never dropped silently.
//! 2. The compounds of `small_households` households or more are clustered agglomeratively by
//!    complete linkage (the distance of two groups is the largest distance between their
//!    members, so a group's diameter is that distance): the closest pair of groups is merged
//!    while the merged group holds at most the cap (`cap_percent` % of the target) and its
//!    diameter stays within `max_join_m`. Ties go to the group met first in the input.
//! 3. Small compounds (fewer than `small_households`, seed 001's 零星小区) are then joined to the
//!    area of their nearest neighbour (nearest member of any area, within `max_join_m`) that
//!    still has room under the cap; when none has room, to the nearest one, and the excess is
//!    explained. With no area within reach a small compound forms its own area, explained.
//! 4. Areas under `min_percent` % of the target are merged into the nearest area (closest pair
//!    of members) whose total stays within the cap, smallest first, until none can merge; an
//!    area that stays small says why.
//!
//! Areas are numbered in the order of their first member in the input (the caller passes the
//! compounds in ledger order) and named "{street}第{n}物业管理区域".

use crate::Coordinates;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One compound the planner may place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanCompound {
    pub id: i64,
    pub name: String,
    pub community: Option<String>,
    pub households: Option<u32>,
    pub coords: Option<Coordinates>,
}

/// The figures the planner works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaRules {
    /// 目标户数 per area (seed 004: 200户左右).
    pub target_households: u32,
    /// No merge makes an area larger than this percentage of the target (default 130).
    pub cap_percent: u32,
    /// Areas under this percentage of the target are merged into a neighbour (default 50).
    pub min_percent: u32,
    /// Compounds with fewer households than this are 零星小区 joined to a neighbour (default 30,
    /// seed 004's "30户以下" class read as 不满30户).
    pub small_households: u32,
    /// No area is wider than this, and no compound joins an area farther than this (metres,
    /// default 2,000).
    pub max_join_m: u32,
}

impl AreaRules {
    pub fn with_target(target_households: u32) -> AreaRules {
        AreaRules {
            target_households,
            ..AreaRules::default()
        }
    }

    /// The largest area a merge may make: ⌊target × cap % ⌋.
    pub fn cap(&self) -> u32 {
        (u64::from(self.target_households) * u64::from(self.cap_percent) / 100) as u32
    }

    /// Areas under this are merged: ⌈target × min %⌉ (an area of exactly this size stays).
    pub fn min(&self) -> u32 {
        (u64::from(self.target_households) * u64::from(self.min_percent)).div_ceil(100) as u32
    }
}

impl Default for AreaRules {
    fn default() -> AreaRules {
        AreaRules {
            target_households: 200,
            cap_percent: 130,
            min_percent: 50,
            small_households: 30,
            max_join_m: 2_000,
        }
    }
}

/// A line of explanation, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Explain {
    pub zh: String,
    pub en: String,
}

impl Explain {
    fn new(zh: String, en: String) -> Explain {
        Explain { zh, en }
    }

    pub fn text(&self, lang: crate::Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// A compound in a proposed area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaMember {
    pub id: i64,
    pub name: String,
    pub community: Option<String>,
    pub households: u32,
    /// A 零星小区 (fewer than `small_households`) joined to its neighbour's area.
    pub small: bool,
    /// The nearest other member of the same area and its distance in metres.
    pub nearest: Option<(String, u32)>,
}

/// One proposed 物业管理区域.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedArea {
    /// 1, 2, … in the order of the first member in the input.
    pub number: usize,
    pub name: String,
    pub members: Vec<AreaMember>,
    pub households: u32,
    /// The largest distance between two members (metres, rounded).
    pub diameter_m: u32,
    /// The community with the most households in the area.
    pub main_community: Option<String>,
    /// Distance to the nearest member of another area (metres), if there is another area.
    pub nearest_other_m: Option<u32>,
    pub explanation: Vec<Explain>,
}

/// A compound the planner could not place, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unplaced {
    pub id: i64,
    pub name: String,
    pub reason: Explain,
}

/// Households per area across the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub areas: usize,
    pub compounds: usize,
    pub households: u32,
    pub min: u32,
    pub max: u32,
    /// Mean households per area, to one decimal (half-up).
    pub mean: Decimal,
}

/// The planner's proposal for one street.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaPlan {
    pub street: String,
    pub rules: AreaRules,
    pub cap: u32,
    pub min: u32,
    pub areas: Vec<PlannedArea>,
    pub unplaced: Vec<Unplaced>,
    pub spread: Spread,
}

/// The area name for number `n` of a street.
pub fn area_name(street: &str, n: usize) -> String {
    format!("{street}第{n}物业管理区域")
}

struct Group {
    /// Indexes into the placeable list, in input order.
    members: Vec<usize>,
    households: u32,
    alive: bool,
    /// Why it is the size it is (filled in steps 3 and 4).
    notes: Vec<Explain>,
}

fn metres(d: f64) -> u32 {
    d.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Proposes management areas for `compounds` (the street's unmanaged compounds, in ledger
/// order). See the module documentation for the algorithm.
pub fn plan_areas(street: &str, compounds: &[PlanCompound], rules: AreaRules) -> AreaPlan {
    let rules = AreaRules {
        target_households: rules.target_households.max(1),
        cap_percent: rules.cap_percent.max(100),
        ..rules
    };
    let cap = rules.cap();
    let min = rules.min();
    let max_join = f64::from(rules.max_join_m);

    // 1. Placeable or not.
    let mut unplaced = Vec::new();
    let mut pts: Vec<(&PlanCompound, u32, Coordinates)> = Vec::new();
    for c in compounds {
        match (c.coords, c.households) {
            (Some(xy), Some(h)) => pts.push((c, h, xy)),
            (None, _) => unplaced.push(Unplaced {
                id: c.id,
                name: c.name.clone(),
                reason: Explain::new(
                    "台账中没有坐标，无法按距离划分；请补录经纬度".into(),
                    "no coordinates in the ledger, so it cannot be grouped by distance; add them"
                        .into(),
                ),
            }),
            (Some(_), None) => unplaced.push(Unplaced {
                id: c.id,
                name: c.name.clone(),
                reason: Explain::new(
                    "台账中没有户数，无法按规模划分；请补录户数".into(),
                    "no household count in the ledger, so it cannot be sized; add it".into(),
                ),
            }),
        }
    }
    let n = pts.len();
    let dist: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| pts[i].2.distance_m(&pts[j].2)).collect())
        .collect();
    let is_small = |i: usize| pts[i].1 < rules.small_households;

    // 2. Complete-linkage clustering of the compounds that are not small, under the cap.
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    for i in (0..n).filter(|&i| !is_small(i)) {
        group_of[i] = Some(groups.len());
        groups.push(Group {
            members: vec![i],
            households: pts[i].1,
            alive: true,
            notes: Vec::new(),
        });
    }
    let g = groups.len();
    let mut link: Vec<Vec<f64>> = (0..g)
        .map(|a| {
            (0..g)
                .map(|b| dist[groups[a].members[0]][groups[b].members[0]])
                .collect()
        })
        .collect();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for a in 0..g {
            if !groups[a].alive {
                continue;
            }
            for b in a + 1..g {
                if !groups[b].alive
                    || groups[a].households + groups[b].households > cap
                    || link[a][b] > max_join
                {
                    continue;
                }
                if best.is_none_or(|(d, _, _)| link[a][b] < d) {
                    best = Some((link[a][b], a, b));
                }
            }
        }
        let Some((_, a, b)) = best else { break };
        merge(&mut groups, &mut group_of, a, b);
        let row: Vec<f64> = (0..g).map(|k| link[a][k].max(link[b][k])).collect();
        for (k, d) in row.into_iter().enumerate() {
            link[a][k] = d;
            link[k][a] = d;
        }
    }

    // 3. Small compounds join the area of their nearest neighbour.
    let single = |groups: &Vec<Group>, gi: usize, i: usize| -> f64 {
        groups[gi]
            .members
            .iter()
            .map(|&m| dist[i][m])
            .fold(f64::INFINITY, f64::min)
    };
    for i in (0..n).filter(|&i| is_small(i)) {
        let mut with_room: Option<(f64, usize)> = None;
        let mut any: Option<(f64, usize)> = None;
        for gi in 0..groups.len() {
            if !groups[gi].alive {
                continue;
            }
            let d = single(&groups, gi, i);
            if d > max_join {
                continue;
            }
            if any.is_none_or(|(bd, _)| d < bd) {
                any = Some((d, gi));
            }
            if groups[gi].households + pts[i].1 <= cap && with_room.is_none_or(|(bd, _)| d < bd) {
                with_room = Some((d, gi));
            }
        }
        let (name, h) = (&pts[i].0.name, pts[i].1);
        let s = rules.small_households;
        match (with_room, any) {
            (Some((d, gi)), _) => {
                let d = metres(d);
                groups[gi].notes.push(Explain::new(
                    format!(
                        "{name}（{h} 户，不满 {s} 户）为零星小区，纳入临近物业服务区域：距本区域最近的小区 {d} 米（烟台市：纳入临近物业服务区域）"
                    ),
                    format!(
                        "{name} ({h} households, under {s}) is a small compound joined to its neighbour's area: {d} m from the nearest member (Yantai: join a neighbour's service area)"
                    ),
                ));
                groups[gi].members.push(i);
                groups[gi].households += h;
                group_of[i] = Some(gi);
            }
            (None, Some((d, gi))) => {
                let d = metres(d);
                groups[gi].notes.push(Explain::new(
                    format!(
                        "{name}（{h} 户，不满 {s} 户）纳入最近的区域（相距 {d} 米），附近没有区域还能容纳而不超过上限 {cap} 户"
                    ),
                    format!(
                        "{name} ({h} households, under {s}) joins the nearest area ({d} m away): no area within reach had room under the cap of {cap}"
                    ),
                ));
                groups[gi].members.push(i);
                groups[gi].households += h;
                group_of[i] = Some(gi);
            }
            (None, None) => {
                group_of[i] = Some(groups.len());
                groups.push(Group {
                    members: vec![i],
                    households: h,
                    alive: true,
                    notes: vec![Explain::new(
                        format!(
                            "{name}（{h} 户）为零星小区，但 {} 米内没有可纳入的区域：单独成区，宜由街道兜底提供基础性物业服务",
                            rules.max_join_m
                        ),
                        format!(
                            "{name} ({h} households) is small but no area lies within {} m: an area of its own, a case for the street's basic service",
                            rules.max_join_m
                        ),
                    )],
                });
            }
        }
    }
    for gr in &mut groups {
        gr.members.sort_unstable();
    }

    // 4. Undersized areas merge into the nearest area with room, smallest first.
    let closest = |groups: &Vec<Group>, a: usize, b: usize| -> f64 {
        groups[a]
            .members
            .iter()
            .map(|&i| single(groups, b, i))
            .fold(f64::INFINITY, f64::min)
    };
    let mut stuck: Vec<bool> = vec![false; groups.len()];
    while let Some(a) = (0..groups.len())
        .filter(|&a| groups[a].alive && !stuck[a] && groups[a].households < min)
        .min_by_key(|&a| (groups[a].households, groups[a].members[0]))
    {
        let mut best: Option<(f64, usize)> = None;
        let mut nearest_any: Option<(f64, usize)> = None;
        for b in 0..groups.len() {
            if b == a || !groups[b].alive {
                continue;
            }
            let d = closest(&groups, a, b);
            if nearest_any.is_none_or(|(bd, _)| d < bd) {
                nearest_any = Some((d, b));
            }
            if d <= max_join
                && groups[a].households + groups[b].households <= cap
                && best.is_none_or(|(bd, _)| d < bd)
            {
                best = Some((d, b));
            }
        }
        match best {
            Some((d, b)) => {
                let (ha, hb) = (groups[a].households, groups[b].households);
                let d = metres(d);
                let (keep, gone) = if groups[a].members[0] < groups[b].members[0] {
                    (a, b)
                } else {
                    (b, a)
                };
                merge(&mut groups, &mut group_of, keep, gone);
                groups[keep].notes.push(Explain::new(
                    format!(
                        "一组 {ha} 户不足目标的 {}%（{min} 户），并入相距 {d} 米的相邻一组（{hb} 户），合计不超过上限 {cap} 户",
                        rules.min_percent
                    ),
                    format!(
                        "a group of {ha} households, under {}% of the target ({min}), was merged with its neighbour {d} m away ({hb} households), staying within the cap of {cap}",
                        rules.min_percent
                    ),
                ));
                stuck[gone] = true;
            }
            None => {
                let h = groups[a].households;
                let why = match nearest_any {
                    Some((d, b)) if metres(d) <= rules.max_join_m => {
                        let hb = groups[b].households;
                        let d = metres(d);
                        Explain::new(
                            format!(
                                "不足目标的 {}%（{min} 户），但最近的区域（{d} 米，{hb} 户）并入后将达 {} 户，超过上限 {cap} 户：保留为小区域",
                                rules.min_percent,
                                h + hb
                            ),
                            format!(
                                "under {}% of the target ({min}), but the nearest area ({d} m, {hb} households) would reach {} households, over the cap of {cap}: kept as a small area",
                                rules.min_percent,
                                h + hb
                            ),
                        )
                    }
                    Some((d, _)) => {
                        let d = metres(d);
                        Explain::new(
                            format!(
                                "不足目标的 {}%（{min} 户），但最近的区域远在 {d} 米（超过 {} 米）：保留为小区域",
                                rules.min_percent, rules.max_join_m
                            ),
                            format!(
                                "under {}% of the target ({min}), but the nearest area is {d} m away (more than {} m): kept as a small area",
                                rules.min_percent, rules.max_join_m
                            ),
                        )
                    }
                    None => Explain::new(
                        "街道内只有这一个区域".into(),
                        "the only area of the street".into(),
                    ),
                };
                groups[a].notes.push(why);
                stuck[a] = true;
            }
        }
    }

    // Number, name and explain.
    let mut live: Vec<&Group> = groups.iter().filter(|gr| gr.alive).collect();
    live.sort_by_key(|gr| gr.members[0]);
    let mut areas = Vec::with_capacity(live.len());
    for (k, gr) in live.iter().enumerate() {
        let number = k + 1;
        let mut diameter = 0.0f64;
        for &i in &gr.members {
            for &j in &gr.members {
                diameter = diameter.max(dist[i][j]);
            }
        }
        let nearest_other = (0..n)
            .filter(|j| !gr.members.contains(j))
            .flat_map(|j| gr.members.iter().map(move |&i| (i, j)))
            .map(|(i, j)| dist[i][j])
            .fold(None, |acc: Option<f64>, d| {
                Some(acc.map_or(d, |a| a.min(d)))
            })
            .map(metres);
        let members: Vec<AreaMember> = gr
            .members
            .iter()
            .map(|&i| {
                let nearest = gr
                    .members
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| (dist[i][j], j))
                    .fold(None, |acc: Option<(f64, usize)>, x| match acc {
                        Some(a) if a.0 <= x.0 => Some(a),
                        _ => Some(x),
                    })
                    .map(|(d, j)| (pts[j].0.name.clone(), metres(d)));
                AreaMember {
                    id: pts[i].0.id,
                    name: pts[i].0.name.clone(),
                    community: pts[i].0.community.clone(),
                    households: pts[i].1,
                    small: is_small(i),
                    nearest,
                }
            })
            .collect();
        let main_community = main_community(&members);
        let h = gr.households;
        let pct = u64::from(h) * 100 / u64::from(rules.target_households);
        let d = metres(diameter);
        let t = rules.target_households;
        let mut explanation = vec![Explain::new(
            format!(
                "{} 个小区共 {h} 户，为目标 {t} 户的 {pct}%；成员两两相距不超过 {d} 米",
                members.len()
            ),
            format!(
                "{} compounds with {h} households, {pct}% of the target {t}; no two members are more than {d} m apart",
                members.len()
            ),
        )];
        if let Some(o) = nearest_other {
            explanation.push(Explain::new(
                format!("与其他区域最近的小区相距 {o} 米"),
                format!("the nearest compound of another area is {o} m away"),
            ));
        }
        explanation.push(Explain::new(
            format!(
                "按距离由近及远合并（全连接：以成员间最远距离计），合并后不超过上限 {cap} 户、直径不超过 {} 米",
                rules.max_join_m
            ),
            format!(
                "merged nearest first (complete linkage: the farthest pair counts), never above the cap of {cap} households or {} m across",
                rules.max_join_m
            ),
        ));
        explanation.extend(gr.notes.iter().cloned());
        areas.push(PlannedArea {
            number,
            name: area_name(street, number),
            members,
            households: h,
            diameter_m: d,
            main_community,
            nearest_other_m: nearest_other,
            explanation,
        });
    }
    let households: u32 = areas.iter().map(|a| a.households).sum();
    let spread = Spread {
        areas: areas.len(),
        compounds: areas.iter().map(|a| a.members.len()).sum(),
        households,
        min: areas.iter().map(|a| a.households).min().unwrap_or(0),
        max: areas.iter().map(|a| a.households).max().unwrap_or(0),
        mean: if areas.is_empty() {
            Decimal::ZERO
        } else {
            (Decimal::from(households) / Decimal::from(areas.len() as u64))
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        },
    };
    AreaPlan {
        street: street.to_string(),
        rules,
        cap,
        min,
        areas,
        unplaced,
        spread,
    }
}

fn merge(groups: &mut [Group], group_of: &mut [Option<usize>], keep: usize, gone: usize) {
    let moved = std::mem::take(&mut groups[gone].members);
    let notes = std::mem::take(&mut groups[gone].notes);
    for &i in &moved {
        group_of[i] = Some(keep);
    }
    groups[keep].households += groups[gone].households;
    groups[gone].households = 0;
    groups[gone].alive = false;
    groups[keep].members.extend(moved);
    groups[keep].members.sort_unstable();
    groups[keep].notes.extend(notes);
}

fn main_community(members: &[AreaMember]) -> Option<String> {
    let mut totals: Vec<(&str, u32)> = Vec::new();
    for m in members {
        if let Some(c) = m.community.as_deref() {
            match totals.iter_mut().find(|t| t.0 == c) {
                Some(t) => t.1 += m.households,
                None => totals.push((c, m.households)),
            }
        }
    }
    // Most households; the first met wins a tie.
    let mut best: Option<(&str, u32)> = None;
    for t in totals {
        if best.is_none_or(|b| t.1 > b.1) {
            best = Some(t);
        }
    }
    best.map(|b| b.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compound `east` m east and `north` m north of a point near 42.85 N.
    fn at(id: i64, households: u32, east: f64, north: f64) -> PlanCompound {
        let lat0 = 42.85f64;
        let lat = lat0 + north / 111_195.0;
        let lng = 120.65 + east / (111_195.0 * lat0.to_radians().cos());
        PlanCompound {
            id,
            name: format!("小区{id}"),
            community: Some(if east < 0.0 { "西社区" } else { "东社区" }.into()),
            households: Some(households),
            coords: Coordinates::from_degrees(lat, lng),
        }
    }

    /// Four clumps of ~220 households, 1 km apart, each with one small compound.
    fn town() -> Vec<PlanCompound> {
        let mut v = Vec::new();
        let mut id = 1;
        for (cx, cy) in [(0.0, 0.0), (1000.0, 0.0), (0.0, 1000.0), (1000.0, 1000.0)] {
            for (k, h) in [60u32, 55, 48, 40, 12].iter().enumerate() {
                let a = k as f64 * 1.3;
                v.push(at(id, *h, cx + 80.0 * a.cos(), cy + 80.0 * a.sin()));
                id += 1;
            }
        }
        v
    }

    fn placed_ids(p: &AreaPlan) -> Vec<i64> {
        let mut ids: Vec<i64> = p
            .areas
            .iter()
            .flat_map(|a| a.members.iter().map(|m| m.id))
            .collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn recovers_clumps_and_places_every_compound_once() {
        let cs = town();
        let p = plan_areas("测试街道", &cs, AreaRules::with_target(200));
        assert_eq!(p.areas.len(), 4, "{p:#?}");
        assert_eq!(placed_ids(&p), (1..=20).collect::<Vec<_>>());
        for a in &p.areas {
            assert_eq!(a.households, 215);
            assert!(a.diameter_m <= 170, "{}", a.diameter_m);
            assert_eq!(a.nearest_other_m.map(|d| d > 800), Some(true));
        }
        assert_eq!(p.areas[0].name, "测试街道第1物业管理区域");
        assert_eq!(p.spread.min, 215);
        assert_eq!(p.spread.mean, Decimal::from(215));
    }

    #[test]
    fn deterministic() {
        let cs = town();
        let a = plan_areas("测试街道", &cs, AreaRules::with_target(200));
        let b = plan_areas("测试街道", &cs, AreaRules::with_target(200));
        assert_eq!(a, b);
    }

    #[test]
    fn no_area_over_the_cap_and_small_ones_join_a_neighbour() {
        // A line of 30 compounds of 50 households every 100 m, and 6 small ones between them.
        let mut cs: Vec<PlanCompound> = (0..30)
            .map(|i| at(i + 1, 50, f64::from(i as i32) * 100.0, 0.0))
            .collect();
        for k in 0..6 {
            cs.push(at(100 + k, 10, f64::from(k as i32) * 500.0 + 50.0, 20.0));
        }
        let rules = AreaRules::with_target(200);
        let p = plan_areas("线街道", &cs, rules);
        let mut expect: Vec<i64> = cs.iter().map(|c| c.id).collect();
        expect.sort_unstable();
        assert_eq!(placed_ids(&p), expect);
        for a in &p.areas {
            assert!(a.households <= rules.cap(), "{} > cap", a.households);
            assert!(a.households >= rules.min(), "{} < min", a.households);
            for m in a.members.iter().filter(|m| m.small) {
                // Joined to a neighbour: some member of its area is close by.
                let (_, d) = m.nearest.clone().expect("a small compound has company");
                assert!(d <= 60, "{} joined an area {d} m away", m.name);
            }
            // No area is made of small compounds only.
            assert!(a.members.iter().any(|m| !m.small));
        }
        assert_eq!(p.spread.households, 30 * 50 + 60);
    }

    #[test]
    fn unplaced_compounds_are_reported_with_a_reason() {
        let mut cs = town();
        cs.push(PlanCompound {
            id: 99,
            name: "无坐标小区".into(),
            community: None,
            households: Some(40),
            coords: None,
        });
        cs.push(PlanCompound {
            id: 98,
            name: "无户数小区".into(),
            community: None,
            households: None,
            coords: cs[0].coords,
        });
        let p = plan_areas("测试街道", &cs, AreaRules::with_target(200));
        assert_eq!(p.unplaced.len(), 2);
        assert!(p.unplaced[0].reason.zh.contains("坐标"));
        assert!(p.unplaced[1].reason.zh.contains("户数"));
        assert_eq!(placed_ids(&p).len(), 20);
    }

    #[test]
    fn an_isolated_small_area_says_why_it_stays_small() {
        let mut cs = town();
        cs.push(at(50, 45, 9_000.0, 9_000.0));
        let p = plan_areas("测试街道", &cs, AreaRules::with_target(200));
        let lone = p
            .areas
            .iter()
            .find(|a| a.members.iter().any(|m| m.id == 50))
            .expect("placed");
        assert_eq!(lone.members.len(), 1);
        assert!(
            lone.explanation
                .iter()
                .any(|e| e.zh.contains("保留为小区域")),
            "{:?}",
            lone.explanation
        );
    }

    #[test]
    fn cap_and_min_boundaries() {
        let r = AreaRules::with_target(200);
        assert_eq!((r.cap(), r.min()), (260, 100));
        let r = AreaRules::with_target(199);
        assert_eq!((r.cap(), r.min()), (258, 100));
    }
}
