//! 奈曼旗大沁他拉街道 (通辽市): 151 invented compounds that reproduce seed 004 exactly.
//!
//! Seed 004 一 gives the street's census: 151 compounds, 74 managed by a company (27 with an
//! owners' committee), 77 abandoned or self-managed (19 with a committee; 16 "30户以下", 61
//! "30户以上"). 三(五) adds that the 77 hold 3,796 households, are to be grouped "按照200户左右"
//! into 17 management areas, and need 170 cameras, 70 chargers, 45 water points, 219 unit doors,
//! 26 bike sheds, 30 parking areas and 53 barrier gates. The seed names no compound and no
//! community: everything else here is invented ([`REMARK`]).
//!
//! How the figures are met:
//!
//! - the 74 are [`ManagementMode::Professional`], served by one of 8 invented companies;
//!   25 have an 业主委员会 and 2 a 物业管理委员会 (27);
//! - the 77 are 60 [`ManagementMode::None`] and 17 [`ManagementMode::SelfManaged`]; 15 have an
//!   业主委员会 and 4 a 物业管理委员会 (19), and 10 of the 17 self-managed ones are among them;
//! - "30户以下 16 个, 30户以上 61 个": 以下 and 以上 both include 30 (民法典 第一千二百五十九条),
//!   so the seed's two classes overlap at exactly 30. The demo reads them as "不满30户" (8–29
//!   households, 16 compounds) and "30户及以上" (61), and puts one compound at exactly 30
//!   ([`BOUNDARY_CASES`]) so a report can show the overlap;
//! - the needs are apportioned over the 77 by the largest-remainder method, weighted by
//!   households (unit doors by stairwells) with a ±20 % jitter; water points go only to
//!   compounds without one, parking bays and barrier gates only to compounds of 30 or more
//!   households. 物业用房 has no seed figure: the demo records a need of 1 for every unmanaged
//!   compound of 60 or more households (none of the 77 has a property office);
//! - the 77 lie in 17 neighbourhood clusters (each compound within 150 m of its cluster's
//!   centre, centres ≥ 700 m apart) balanced to about 223 households each (3,796 / 17), so a
//!   planner can recover the seed's 17 areas; `management_area` is left empty for it.
//!   [`neighbourhoods`] lists them.

use crate::synth::{Origin, Rng, Xy, apportion, areas, dist2, place};
use crate::{DemoCompany, classify, company};
use anju_core::{Compound, Coordinates, InfraKind, Infrastructure, ManagementMode, OwnersBody};

pub const CITY: &str = "通辽市";
pub const DISTRICT: &str = "奈曼旗";
pub const STREET: &str = "大沁他拉街道";
/// Invented communities (the seed names none).
pub const COMMUNITIES: [&str; 7] = [
    "新华社区",
    "团结社区",
    "兴隆社区",
    "王府社区",
    "孟河社区",
    "南湖社区",
    "青龙社区",
];
/// The remarks of every Daqintala compound (begins with [`crate::DEMO_MARK`]).
pub const REMARK: &str = "演示数据：名称与属性为虚构";

/// The figures of seed 004 that the demo reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CensusFigures {
    pub compounds: usize,
    pub with_company: usize,
    pub with_company_with_committee: usize,
    pub unmanaged: usize,
    pub unmanaged_with_committee: usize,
    /// 不满30户
    pub unmanaged_under_30: usize,
    /// 30户及以上
    pub unmanaged_30_or_more: usize,
    pub unmanaged_households: u32,
    /// cameras, chargers, water points, unit doors, bike sheds, parking bays, barrier gates
    /// (the order of [`NEED_KINDS`]).
    pub needs: [u32; 7],
    pub management_areas: usize,
}

/// Seed 004 一 and 三(五).
pub const SEED_FIGURES: CensusFigures = CensusFigures {
    compounds: 151,
    with_company: 74,
    with_company_with_committee: 27,
    unmanaged: 77,
    unmanaged_with_committee: 19,
    unmanaged_under_30: 16,
    unmanaged_30_or_more: 61,
    unmanaged_households: 3_796,
    needs: [170, 70, 45, 219, 26, 30, 53],
    management_areas: 17,
};

/// Unmanaged compounds with fixed attributes, for the boundaries of seed 004's rules:
/// (name, households, year built, why).
pub const BOUNDARY_CASES: [(&str, u32, i32, &str); 12] = [
    (
        "供销社家属院",
        100,
        2003,
        "恰好100户：\"100户以下\"含本数，可获补贴；抽样不少于10户",
    ),
    (
        "农业银行家属院",
        101,
        2004,
        "101户：超过100户，规模不符合补贴原则；抽样按10%",
    ),
    (
        "税务局宿舍",
        30,
        1998,
        "恰好30户：\"30户以下\"与\"30户以上\"均含本数，两类重叠，本演示计入30户及以上",
    ),
    ("审计局宿舍", 29, 1991, "29户：不满30户"),
    ("统计局宿舍", 8, 1987, "8户：最小的弃管小区"),
    (
        "滨河小区",
        64,
        2012,
        "2012年建成：至2022年恰好满10年，\"建设期满10年\"含本数",
    ),
    ("康乐小区", 48, 2013, "2013年建成：至2022年不满10年"),
    ("幸福小区", 72, 2014, "2014年建成：不满10年"),
    ("新风小区", 86, 2016, "2016年建成：不满10年，含高层"),
    ("光明小区", 126, 1996, "126户：最大的弃管小区，超过100户"),
    ("红旗小区", 108, 1993, "108户：超过100户"),
    ("育才小区", 117, 1999, "117户：超过100户"),
];

/// Names for the other 65 unmanaged compounds, from the smallest kind (楼, 宿舍) to the largest
/// (小区); they are handed out in order of households.
const UNMANAGED_NAMES: [&str; 65] = [
    "团结楼",
    "胜利楼",
    "跃进楼",
    "民族楼",
    "向阳楼",
    "红星楼",
    "气象局宿舍",
    "保险公司宿舍",
    "电影公司宿舍",
    "百货公司宿舍",
    "印刷厂宿舍",
    "环卫处宿舍",
    "民政局宿舍",
    "检察院宿舍",
    "工商银行宿舍",
    "人民银行宿舍",
    "商业局宿舍",
    "粮库宿舍",
    "石油公司宿舍",
    "蒙古族中学宿舍",
    "第二中学宿舍",
    "电业局家属楼",
    "交通局家属楼",
    "实验小学家属楼",
    "法院家属楼",
    "物资局家属楼",
    "财政局家属楼",
    "教育局家属楼",
    "信用社家属楼",
    "蒙医院家属楼",
    "运输公司家属楼",
    "新华书店家属楼",
    "电信局家属楼",
    "文化馆家属楼",
    "粮食局家属院",
    "邮电局家属院",
    "水利局家属院",
    "林业局家属院",
    "旗医院家属院",
    "第一中学家属院",
    "卫生局家属院",
    "公安局家属院",
    "建筑公司家属院",
    "酒厂家属院",
    "农机厂家属院",
    "化肥厂家属院",
    "烟草公司家属院",
    "广电局家属院",
    "畜牧局家属院",
    "建设银行家属院",
    "汽运公司家属院",
    "种子公司家属院",
    "地质队家属院",
    "武装部家属院",
    "水泥厂家属院",
    "食品公司家属院",
    "自来水公司家属院",
    "公路段家属院",
    "党校家属院",
    "糖厂家属院",
    "毛纺厂家属院",
    "和平小区",
    "东风小区",
    "前进小区",
    "建设小区",
];

const MANAGED_NAMES: [&str; 74] = [
    "王府花园",
    "奈曼名都",
    "孟河湾小区",
    "青龙山庄",
    "书香苑",
    "锦绣华庭",
    "金地家园",
    "阳光新城",
    "世纪花园",
    "盛世华府",
    "龙泉小区",
    "怡和园",
    "翰林苑",
    "颐和家园",
    "东方明珠小区",
    "金色家园",
    "丽水湾",
    "碧桂苑",
    "凤凰城",
    "美林小区",
    "华府名苑",
    "富华小区",
    "瑞祥家园",
    "祥和苑",
    "西湖花园",
    "湖畔人家",
    "北辰小区",
    "紫金花园",
    "银河小区",
    "新天地小区",
    "帝景湾",
    "国泰家园",
    "春城花园",
    "鑫源小区",
    "恒泰家园",
    "海华小区",
    "泰和园",
    "康城小区",
    "金山小区",
    "蓝天家园",
    "御景华庭",
    "盛源小区",
    "和美家园",
    "润泽园",
    "福满苑",
    "德润小区",
    "天骄花园",
    "草原明珠小区",
    "科尔沁花园",
    "明仁小区",
    "昌盛家园",
    "锦华小区",
    "富丽花园",
    "嘉和园",
    "兴业小区",
    "万和城",
    "金秋家园",
    "桂园小区",
    "博雅苑",
    "安泰小区",
    "馨园小区",
    "江南春小区",
    "南湖花园",
    "文苑小区",
    "金桥小区",
    "宏达家园",
    "隆盛小区",
    "悦府",
    "东城嘉园",
    "学府花园",
    "翠湖苑",
    "广源小区",
    "长安小区",
    "中央华府",
];

/// Roads for addresses, two per community (invented).
const ROADS: [[&str; 2]; 7] = [
    ["新华路", "民族街"],
    ["团结路", "东环路"],
    ["兴隆街", "西环路"],
    ["王府街", "文化路"],
    ["孟河路", "工业街"],
    ["南环路", "胜利街"],
    ["青龙山路", "北环路"],
];

/// Community centres in metres east/north of the town centre; a compound belongs to the
/// nearest one.
const COMMUNITY_CENTRES: [Xy; 7] = [
    (0, 0),
    (1500, 900),
    (-1500, 900),
    (-1500, -900),
    (1500, -900),
    (0, -1900),
    (0, 1900),
];

/// 大沁他拉 town centre (≈ 42.846 N, 120.656 E). 111,195 m × cos 42.846° ≈ 81,531 m.
const ORIGIN: Origin = Origin {
    lat_e6: 42_846_000,
    lng_e6: 120_656_000,
    m_per_deg_lng: 81_531,
};

/// The kinds of [`CensusFigures::needs`], in order.
pub const NEED_KINDS: [InfraKind; 7] = [
    InfraKind::Cameras,
    InfraKind::Chargers,
    InfraKind::WaterPoints,
    InfraKind::UnitDoors,
    InfraKind::BikeSheds,
    InfraKind::ParkingBays,
    InfraKind::BarrierGates,
];

const SEED: u64 = 0x0004_DA01_7A1A_2022;

/// The 8 invented companies serving the 74 (registered in 奈曼旗, division code 150525).
pub fn companies() -> Vec<DemoCompany> {
    [
        ("奈曼旗安泰物业服务有限公司", "91150525MA0N1A2B3", "张建华"),
        ("奈曼旗沁园物业管理有限公司", "91150525MA0N4C5D6", "李秀兰"),
        ("奈曼旗王府物业服务有限公司", "91150525MA0N7E8F9", "王志强"),
        ("奈曼旗金盾物业管理有限公司", "91150525MA0NAG1H2", "刘海燕"),
        ("奈曼旗恒信物业服务有限公司", "91150525MA0NBJ3K4", "陈国栋"),
        ("奈曼旗绿洲物业管理有限公司", "91150525MA0NCL5M6", "白玉梅"),
        ("奈曼旗惠民物业服务有限公司", "91150525MA0NDN7P8", "包金山"),
        (
            "通辽市宜居物业服务有限公司奈曼分公司",
            "91150525MA0NEQ9R1",
            "赵春生",
        ),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (name, code, contact))| {
        company(
            name,
            code,
            contact,
            &format!("0475-042{:04}", 1101 + 17 * i),
            DISTRICT,
        )
    })
    .collect()
}

/// The 151 compounds, by community; within a community the managed ones first.
pub fn compounds() -> Vec<Compound> {
    build().compounds
}

/// The 77 unmanaged compounds' names in the 17 neighbourhood clusters the generator laid out
/// (about 223 households each): a reference grouping for the management-area planner.
pub fn neighbourhoods() -> Vec<Vec<String>> {
    build().clusters
}

struct Built {
    compounds: Vec<Compound>,
    clusters: Vec<Vec<String>>,
}

/// One of the 77 while it is being made.
struct Old {
    name: String,
    households: u32,
    year: i32,
    cluster: usize,
    xy: Xy,
}

fn community_of(p: Xy) -> usize {
    let mut best = 0;
    for (i, c) in COMMUNITY_CENTRES.iter().enumerate() {
        if dist2(p, *c) < dist2(p, COMMUNITY_CENTRES[best]) {
            best = i;
        }
    }
    best
}

/// Households of the 77: the boundary cases, 14 more under 30, 51 more of 30 or more, summed
/// to exactly 3,796.
fn old_households(rng: &mut Rng) -> Vec<(Option<usize>, u32)> {
    let mut v: Vec<(Option<usize>, u32)> = BOUNDARY_CASES
        .iter()
        .enumerate()
        .map(|(i, b)| (Some(i), b.1))
        .collect();
    let small_fixed = v.iter().filter(|x| x.1 < 30).count();
    for _ in small_fixed..SEED_FIGURES.unmanaged_under_30 {
        v.push((None, rng.range_u32(9, 28)));
    }
    let first_free_big = v.len();
    while v.len() < SEED_FIGURES.unmanaged {
        v.push((None, rng.range_u32(32, 72)));
    }
    // Nudge the free 30+ ones by one household at a time until the total is exact, keeping
    // each within 31..=95.
    let mut total: i64 = v.iter().map(|x| i64::from(x.1)).sum();
    let target = i64::from(SEED_FIGURES.unmanaged_households);
    let mut i = first_free_big;
    while total != target {
        let h = &mut v[i].1;
        if total < target && *h < 95 {
            *h += 1;
            total += 1;
        } else if total > target && *h > 31 {
            *h -= 1;
            total -= 1;
        }
        i = if i + 1 == v.len() {
            first_free_big
        } else {
            i + 1
        };
    }
    v
}

fn build() -> Built {
    let mut rng = Rng::new(SEED);

    // --- the 77 -------------------------------------------------------------------------
    let hh = old_households(&mut rng);

    // Names: the fixed ones keep theirs, the rest get the pool in order of households.
    let mut free: Vec<usize> = (0..hh.len()).filter(|i| hh[*i].0.is_none()).collect();
    free.sort_by_key(|i| (hh[*i].1, *i));
    let mut names: Vec<String> = vec![String::new(); hh.len()];
    for (i, h) in hh.iter().enumerate() {
        if let Some(b) = h.0 {
            names[i] = BOUNDARY_CASES[b].0.to_string();
        }
    }
    for (k, i) in free.iter().enumerate() {
        names[*i] = UNMANAGED_NAMES[k].to_string();
    }

    // 17 neighbourhood centres, then the 77 shared out largest first to the lightest
    // cluster with room (9 clusters of 5 and 8 of 4).
    let n_clusters = SEED_FIGURES.management_areas;
    let mut centres: Vec<Xy> = Vec::new();
    for _ in 0..n_clusters {
        let p = place(&mut rng, (0, 0), 2_500, &centres, 700, (&[], 0));
        centres.push(p);
    }
    let mut cap: Vec<usize> = (0..n_clusters).map(|c| if c < 9 { 5 } else { 4 }).collect();
    let mut load = vec![0u32; n_clusters];
    let mut order: Vec<usize> = (0..hh.len()).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(hh[*i].1), *i));
    let mut cluster_of = vec![0usize; hh.len()];
    for i in order {
        let mut best: Option<usize> = None;
        for c in 0..n_clusters {
            if cap[c] > 0 && best.is_none_or(|b| load[c] < load[b]) {
                best = Some(c);
            }
        }
        let c = best.unwrap_or(0);
        cap[c] = cap[c].saturating_sub(1);
        load[c] += hh[i].1;
        cluster_of[i] = c;
    }

    let mut olds: Vec<Old> = Vec::with_capacity(hh.len());
    let mut placed: Vec<Vec<Xy>> = vec![Vec::new(); n_clusters];
    for (i, (fixed, households)) in hh.iter().enumerate() {
        let c = cluster_of[i];
        let xy = place(&mut rng, centres[c], 150, &placed[c], 50, (&[], 0));
        placed[c].push(xy);
        let year = match fixed {
            Some(b) => BOUNDARY_CASES[*b].2,
            None => 1985 + ((rng.range(0, 26) + rng.range(0, 26)) / 2) as i32,
        };
        olds.push(Old {
            name: names[i].clone(),
            households: *households,
            year,
            cluster: c,
            xy,
        });
    }

    // Committees: 18 among the 30+ ones and 1 among the small ones; the small one and three
    // others are 物业管理委员会. Self-managed: 10 with a committee, 7 without.
    let mut big: Vec<usize> = (0..olds.len())
        .filter(|i| olds[*i].households >= 30)
        .collect();
    let mut small: Vec<usize> = (0..olds.len())
        .filter(|i| olds[*i].households < 30)
        .collect();
    rng.shuffle(&mut big);
    rng.shuffle(&mut small);
    let mut with_body: Vec<usize> = small[..1].to_vec();
    with_body.extend_from_slice(&big[..SEED_FIGURES.unmanaged_with_committee - 1]);
    let mut body = vec![OwnersBody::None; olds.len()];
    for (k, i) in with_body.iter().enumerate() {
        body[*i] = if k < 4 {
            OwnersBody::ManagementCommittee
        } else {
            OwnersBody::OwnersCommittee
        };
    }
    let mut without: Vec<usize> = (0..olds.len()).filter(|i| !body[*i].exists()).collect();
    rng.shuffle(&mut without);
    let mut self_managed = vec![false; olds.len()];
    for i in with_body
        .iter()
        .skip(2)
        .take(10)
        .chain(without.iter().take(7))
    {
        self_managed[*i] = true;
    }

    // Infrastructure: what each has, then the seed's needs apportioned.
    let mut out: Vec<(usize, usize, usize, Compound)> = Vec::new(); // (community, group, cluster, c)
    let mut unmanaged: Vec<Compound> = Vec::with_capacity(olds.len());
    for (i, o) in olds.iter().enumerate() {
        let mode = if self_managed[i] {
            ManagementMode::SelfManaged
        } else {
            ManagementMode::None
        };
        let mut c = Compound::new(o.name.clone(), STREET, mode);
        let per_unit = rng.range_u32(10, 12);
        let units = o.households.div_ceil(per_unit);
        let per_building = rng.range_u32(14, 36);
        let mut buildings = ((o.households + per_building / 2) / per_building).clamp(1, units);
        if o.name.ends_with('楼') {
            buildings = if o.name.ends_with("家属楼") {
                buildings.min(2)
            } else {
                1
            };
        }
        let high_pct = if o.year >= 2010 {
            rng.range_u32(30, 60)
        } else {
            0
        };
        let per_household = rng.range_u32(7_000, 9_500);
        let (total, multi, high) = areas(&mut rng, o.households, per_household, high_pct);
        let mut infra = Infrastructure::default();
        infra.set(
            InfraKind::Cameras,
            if rng.chance(30) {
                rng.range_u32(1, 2)
            } else {
                0
            },
        );
        infra.set(InfraKind::WaterPoints, u32::from(rng.chance(25)));
        infra.set(InfraKind::UnitDoors, units);
        infra.set(InfraKind::BikeSheds, u32::from(rng.chance(20)));
        c.infra = infra;
        c.renovation = o.year <= 2000 && rng.chance(25);
        c.party_branch = rng.chance(20);
        c.built_year = Some(o.year);
        c.households = Some(o.households);
        c.buildings = Some(buildings);
        c.area = Some(total);
        c.area_multi = Some(multi);
        c.area_high = Some(high);
        c.owners_body = body[i];
        unmanaged.push(c);
    }
    for (kind, total) in NEED_KINDS.into_iter().zip(SEED_FIGURES.needs) {
        let weights: Vec<u64> = unmanaged
            .iter()
            .map(|c| {
                let h = u64::from(c.households.unwrap_or(0));
                let base = match kind {
                    InfraKind::UnitDoors => u64::from(c.infra.get(InfraKind::UnitDoors)),
                    InfraKind::WaterPoints if c.infra.get(InfraKind::WaterPoints) > 0 => 0,
                    InfraKind::ParkingBays | InfraKind::BarrierGates if h < 30 => 0,
                    _ => h,
                };
                base * rng.range(80, 120) as u64
            })
            .collect();
        for (c, n) in unmanaged.iter_mut().zip(apportion(total, &weights)) {
            c.needs.set(kind, n);
        }
    }
    for (i, mut c) in unmanaged.into_iter().enumerate() {
        let o = &olds[i];
        c.needs
            .set(InfraKind::PropertyOffices, u32::from(o.households >= 60));
        let community = community_of(centres[o.cluster]);
        finish(&mut c, &mut rng, community, o.xy);
        out.push((community, 1, o.cluster, c));
    }

    // --- the 74 -------------------------------------------------------------------------
    let all_old: Vec<Xy> = olds.iter().map(|o| o.xy).collect();
    let firms = companies();
    let mut taken = all_old.clone();
    let mut managed: Vec<(Xy, Compound)> = Vec::with_capacity(MANAGED_NAMES.len());
    for name in MANAGED_NAMES {
        let xy = place(&mut rng, (0, 0), 3_000, &taken, 150, (&centres, 400));
        taken.push(xy);
        let households = 80 + rng.range_u32(0, 400) + rng.range_u32(0, 400);
        let year = rng.range(1995, 2021) as i32;
        let high_pct = if year >= 2010 {
            rng.range_u32(30, 80)
        } else if year >= 2004 && rng.chance(50) {
            rng.range_u32(10, 40)
        } else {
            0
        };
        let mut c = Compound::new(name, STREET, ManagementMode::Professional);
        let firm = rng.pick(&firms);
        c.company = Some(firm.name.clone());
        c.company_code = Some(firm.credit_code.clone());
        let per_household = rng.range_u32(8_000, 11_000);
        let (total, multi, high) = areas(&mut rng, households, per_household, high_pct);
        let per_building = rng.range_u32(16, 40);
        let units = households.div_ceil(rng.range_u32(10, 24));
        c.buildings = Some(((households + per_building / 2) / per_building).max(1));
        c.households = Some(households);
        c.built_year = Some(year);
        c.area = Some(total);
        c.area_multi = Some(multi);
        c.area_high = Some(high);
        c.renovation = year < 2005 && rng.chance(50);
        c.party_branch = rng.chance(45);
        let mut infra = Infrastructure::default();
        infra.set(InfraKind::Cameras, households / 12 + rng.range_u32(0, 6));
        infra.set(InfraKind::Chargers, households / 25);
        infra.set(InfraKind::WaterPoints, rng.range_u32(2, 4));
        infra.set(InfraKind::UnitDoors, units);
        infra.set(InfraKind::BikeSheds, rng.range_u32(1, 4));
        infra.set(InfraKind::ParkingBays, households / 3);
        infra.set(InfraKind::BarrierGates, rng.range_u32(1, 3));
        infra.set(InfraKind::PropertyOffices, 1);
        c.infra = infra;
        managed.push((xy, c));
    }
    let mut idx: Vec<usize> = (0..managed.len()).collect();
    rng.shuffle(&mut idx);
    for (k, i) in idx
        .iter()
        .take(SEED_FIGURES.with_company_with_committee)
        .enumerate()
    {
        managed[*i].1.owners_body = if k < 2 {
            OwnersBody::ManagementCommittee
        } else {
            OwnersBody::OwnersCommittee
        };
    }
    for (xy, mut c) in managed {
        let community = community_of(xy);
        finish(&mut c, &mut rng, community, xy);
        out.push((community, 0, 0, c));
    }

    // Stable order: community, managed before unmanaged, cluster, generation order.
    let mut keyed: Vec<(usize, (usize, usize, usize, Compound))> =
        out.into_iter().enumerate().collect();
    keyed.sort_by_key(|(i, (community, group, cluster, _))| (*community, *group, *cluster, *i));
    let clusters = (0..n_clusters)
        .map(|c| {
            olds.iter()
                .filter(|o| o.cluster == c)
                .map(|o| o.name.clone())
                .collect()
        })
        .collect();
    Built {
        compounds: keyed.into_iter().map(|(_, (_, _, _, c))| c).collect(),
        clusters,
    }
}

/// What every Daqintala compound gets last: region, address, position, category, remarks.
fn finish(c: &mut Compound, rng: &mut Rng, community: usize, xy: Xy) {
    c.district = Some(DISTRICT.to_string());
    c.community = Some(COMMUNITIES[community].to_string());
    let road = rng.pick(&ROADS[community]);
    c.address = Some(format!("{DISTRICT}{STREET}{road}{}号", rng.range(1, 199)));
    c.coords = Some(ORIGIN.at(xy));
    c.category = Some(classify(c));
    c.remarks = Some(REMARK.to_string());
}

/// The demo's town centre, for maps.
pub fn centre() -> Coordinates {
    ORIGIN.at((0, 0))
}
