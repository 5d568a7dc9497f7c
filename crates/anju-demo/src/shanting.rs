//! 枣庄市山亭区山城街道, seed 003 附件3 and 附件4: the 41 compounds by the names and under the
//! communities the seed writes (full-width brackets, "东、西鲁社区" and all). Households,
//! buildings, years, areas, companies and positions are invented.
//!
//! - 附件3 (实施物业企业管理, 20): [`ManagementMode::Professional`], served by 5 invented
//!   companies;
//! - 附件4 (未实施物业管理, 21): [`ManagementMode::None`], except the four 公寓 福源公寓,
//!   福临公寓, 翼云公寓 and 福地公寓, which the demo makes [`ManagementMode::SelfManaged`]
//!   (the seed does not say; 附件4 only says "未实施物业管理", which covers both).
//!
//! Categories follow [`crate::classify`].

use crate::synth::{Origin, Rng, Xy, areas, place};
use crate::{DemoCompany, classify, company};
use anju_core::{Compound, InfraKind, Infrastructure, ManagementMode, OwnersBody};

pub const CITY: &str = "枣庄市";
pub const DISTRICT: &str = "山亭区";
pub const STREET: &str = "山城街道";
/// The communities of 附件3/附件4, as the seed writes them.
pub const COMMUNITIES: [&str; 4] = ["梅园社区", "紫薇社区", "丰泽社区", "东、西鲁社区"];
/// Remarks of the 附件3 compounds.
pub const REMARK_MANAGED: &str =
    "演示数据：小区名称及所属社区见山政办发〔2020〕9号附件3（实施物业企业管理），其余属性为虚构";
/// Remarks of the 附件4 compounds.
pub const REMARK_UNMANAGED: &str =
    "演示数据：小区名称及所属社区见山政办发〔2020〕9号附件4（未实施物业管理），其余属性为虚构";

/// Which of the seed's two lists a compound comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// 附件3 山亭区实施物业企业管理的住宅小区提升任务一览表
    Annex3,
    /// 附件4 山亭区实施住宅小区物业管理全覆盖任务一览表
    Annex4,
}

/// (list, community, name, households, buildings, year built, renovated, high-rise %,
/// self-managed). Names and communities from the seed; the numbers invented.
type Row = (
    List,
    &'static str,
    &'static str,
    u32,
    u32,
    i32,
    bool,
    u32,
    bool,
);

const ROWS: [Row; 41] = [
    (
        List::Annex3,
        "梅园社区",
        "梅花园",
        312,
        9,
        2006,
        false,
        0,
        false,
    ),
    (
        List::Annex3,
        "梅园社区",
        "龙珠百合",
        486,
        10,
        2012,
        false,
        60,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "锦绣花园",
        420,
        12,
        2008,
        false,
        20,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "御景公馆",
        560,
        8,
        2016,
        false,
        85,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "紫锦庄园",
        380,
        11,
        2014,
        false,
        40,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "宝徕花苑",
        298,
        9,
        2011,
        false,
        30,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "樱花园",
        256,
        8,
        2004,
        true,
        0,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "龙珠丽都",
        612,
        9,
        2013,
        false,
        75,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "民生国际",
        720,
        8,
        2015,
        false,
        90,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "裕升山亭花园",
        834,
        10,
        2017,
        false,
        80,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "太清湖润景家园",
        968,
        12,
        2018,
        false,
        85,
        false,
    ),
    (
        List::Annex3,
        "紫薇社区",
        "银光上城",
        1_120,
        14,
        2019,
        false,
        90,
        false,
    ),
    (
        List::Annex3,
        "丰泽社区",
        "欧亚城",
        1_036,
        18,
        2010,
        false,
        55,
        false,
    ),
    (
        List::Annex3,
        "丰泽社区",
        "欧情豪庭",
        452,
        10,
        2009,
        false,
        35,
        false,
    ),
    (
        List::Annex3,
        "丰泽社区",
        "欧情南苑",
        336,
        9,
        2007,
        false,
        0,
        false,
    ),
    (
        List::Annex3,
        "丰泽社区",
        "桂花园",
        228,
        8,
        2003,
        true,
        0,
        false,
    ),
    (
        List::Annex3,
        "丰泽社区",
        "御峰园",
        510,
        8,
        2014,
        false,
        70,
        false,
    ),
    (
        List::Annex3,
        "丰泽社区",
        "苹果花苑",
        264,
        8,
        2005,
        false,
        0,
        false,
    ),
    (
        List::Annex3,
        "丰泽社区",
        "枣花园",
        198,
        7,
        2002,
        true,
        0,
        false,
    ),
    (
        List::Annex3,
        "东、西鲁社区",
        "丰泽嘉苑",
        420,
        9,
        2012,
        false,
        50,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "四十中宿舍",
        48,
        2,
        1996,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "建行宿舍",
        36,
        1,
        1994,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "福源公寓",
        72,
        2,
        2002,
        false,
        0,
        true,
    ),
    (
        List::Annex4,
        "梅园社区",
        "梅园（西24.25号楼）",
        44,
        2,
        1992,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "安居小区",
        126,
        5,
        1999,
        true,
        0,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "医院宿舍",
        54,
        2,
        1990,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "书香花苑",
        96,
        3,
        2005,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "福临公寓",
        60,
        2,
        2003,
        false,
        0,
        true,
    ),
    (
        List::Annex4,
        "梅园社区",
        "山城街道教育宿舍",
        40,
        2,
        1993,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "梅园社区",
        "华润纸厂宿舍",
        84,
        4,
        1988,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "紫薇社区",
        "鑫盛公寓（药材宿舍）",
        56,
        2,
        1997,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "紫薇社区",
        "银山小区",
        108,
        4,
        2000,
        true,
        0,
        false,
    ),
    (
        List::Annex4,
        "紫薇社区",
        "紫薇社区",
        90,
        4,
        1995,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "紫薇社区",
        "翼云公寓",
        64,
        2,
        2004,
        false,
        0,
        true,
    ),
    (
        List::Annex4,
        "丰泽社区",
        "欧情东苑",
        144,
        4,
        2006,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "丰泽社区",
        "柴林小区",
        72,
        3,
        1991,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "丰泽社区",
        "财富广场",
        180,
        2,
        2008,
        false,
        100,
        false,
    ),
    (
        List::Annex4,
        "丰泽社区",
        "联通佳苑",
        60,
        2,
        2001,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "丰泽社区",
        "海洋公寓",
        48,
        2,
        2003,
        false,
        0,
        false,
    ),
    (
        List::Annex4,
        "丰泽社区",
        "福地公寓",
        52,
        2,
        2004,
        false,
        0,
        true,
    ),
    (
        List::Annex4,
        "丰泽社区",
        "牡丹花园",
        132,
        5,
        2002,
        false,
        0,
        false,
    ),
];

/// Community centres, metres east/north of the reference point (invented layout).
const COMMUNITY_CENTRES: [Xy; 4] = [(-700, 100), (0, 700), (700, -100), (200, -1_100)];
const ROADS: [&str; 6] = ["府前路", "翼云路", "汉诺路", "新城路", "山城路", "文化路"];
/// Near 山亭区's centre (≈ 35.099 N, 117.460 E). 111,195 m × cos 35.099° ≈ 90,975 m.
const ORIGIN: Origin = Origin {
    lat_e6: 35_099_000,
    lng_e6: 117_460_000,
    m_per_deg_lng: 90_975,
};
const SEED: u64 = 0x0003_5A17_2020_0910;

/// One of the seed's task rows (附件3/附件4): the tasks are the seed's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedTask {
    pub list: List,
    pub street: &'static str,
    pub community: &'static str,
    pub compounds: Vec<&'static str>,
    /// 提升任务 / 工作任务
    pub task: &'static str,
    /// 责任人
    pub responsible: &'static str,
    /// 完成时间 as the seed writes it
    pub deadline_text: &'static str,
    /// The same as a date (the document is dated 2020-09-10, so the year is 2020).
    pub deadline: &'static str,
}

const TASK_ANNEX3: &str = "按照《枣庄市2020年物业管理整治提升行动实施方案》及《物业管理整治攻坚行动指导标准》要求，集中开展环境卫生、道路设施、车辆停放、服务质量4项攻坚行动，着力解决环境卫生差、道路设施失修、车辆乱停乱放、物业服务差等引发物业矛盾纠纷和群众不满意的突出问题，加强标准化的物业管理服务。";
const TASK_ANNEX4: &str = "采取“因区制宜、一区一策”的办法实现物业管理全覆盖。原则上从社会上优先选聘全国知名品牌物业企业，实行标准化的物业管理服务；不具备市场化条件的社区，可由镇（街）成立物业服务公司，提供保洁、保安、维护秩序等基础性物业服务，逐步达到保洁、保安、护绿、维护秩序、设施维护等物业服务。";

/// The task rows of 附件3 and 附件4, one per community, in the seed's order.
pub fn tasks() -> Vec<SeedTask> {
    let mut out: Vec<SeedTask> = Vec::new();
    for row in ROWS {
        let (list, community, name) = (row.0, row.1, row.2);
        if let Some(t) = out
            .iter_mut()
            .find(|t| t.list == list && t.community == community)
        {
            t.compounds.push(name);
            continue;
        }
        let (task, deadline_text, deadline) = match list {
            List::Annex3 => (TASK_ANNEX3, "11月底", "2020-11-30"),
            List::Annex4 => (TASK_ANNEX4, "11月15日", "2020-11-15"),
        };
        out.push(SeedTask {
            list,
            street: STREET,
            community,
            compounds: vec![name],
            task,
            responsible: "郭振华",
            deadline_text,
            deadline,
        });
    }
    out
}

/// The seed list a Shanting compound name comes from.
pub fn list_of(name: &str) -> Option<List> {
    ROWS.iter().find(|r| r.2 == name).map(|r| r.0)
}

/// The 5 invented companies serving 附件3's compounds (registered in 山亭区, division code
/// 370406).
pub fn companies() -> Vec<DemoCompany> {
    [
        (
            "枣庄市山亭区宏泰物业服务有限公司",
            "91370406MA3C1K2L3",
            "孙立新",
        ),
        (
            "枣庄市山亭区熊耳山物业服务有限公司",
            "91370406MA3C4M5N6",
            "周红梅",
        ),
        (
            "枣庄市山亭区抱犊物业管理有限公司",
            "91370406MA3C7P8Q9",
            "吴德明",
        ),
        (
            "枣庄市山亭区润景物业服务有限公司",
            "91370406MA3CAR1T2",
            "郑晓燕",
        ),
        (
            "枣庄市山亭区欧情物业管理有限公司",
            "91370406MA3CBU3W4",
            "冯建军",
        ),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (name, code, contact))| {
        company(
            name,
            code,
            contact,
            &format!("0632-088{:04}", 2201 + 13 * i),
            DISTRICT,
        )
    })
    .collect()
}

/// The 41 compounds in the seed's order (附件3, then 附件4).
pub fn compounds() -> Vec<Compound> {
    let mut rng = Rng::new(SEED);
    let firms = companies();
    let mut taken: Vec<Xy> = Vec::new();
    let mut out = Vec::with_capacity(ROWS.len());
    for (list, community, name, households, buildings, year, renovation, high_pct, self_managed) in
        ROWS
    {
        let mode = match (list, self_managed) {
            (List::Annex3, _) => ManagementMode::Professional,
            (List::Annex4, true) => ManagementMode::SelfManaged,
            (List::Annex4, false) => ManagementMode::None,
        };
        let mut c = Compound::new(name, STREET, mode);
        c.district = Some(DISTRICT.to_string());
        c.community = Some(community.to_string());
        c.households = Some(households);
        c.buildings = Some(buildings);
        c.built_year = Some(year);
        c.renovation = renovation;
        let per_household = match list {
            List::Annex3 => rng.range_u32(9_000, 11_000),
            List::Annex4 => rng.range_u32(7_000, 9_000),
        };
        let (total, multi, high) = areas(&mut rng, households, per_household, high_pct);
        c.area = Some(total);
        c.area_multi = Some(multi);
        c.area_high = Some(high);
        let mut infra = Infrastructure::default();
        let units = households.div_ceil(if high_pct > 50 { 30 } else { 12 });
        infra.set(InfraKind::UnitDoors, units);
        match list {
            List::Annex3 => {
                let firm = &firms[match name {
                    n if n.starts_with("欧") => 4,
                    "太清湖润景家园" => 3,
                    _ => rng.range(0, 2) as usize,
                }];
                c.company = Some(firm.name.clone());
                c.company_code = Some(firm.credit_code.clone());
                c.owners_body = if rng.chance(45) {
                    OwnersBody::OwnersCommittee
                } else {
                    OwnersBody::None
                };
                c.party_branch = rng.chance(50);
                infra.set(InfraKind::Cameras, households / 10 + rng.range_u32(2, 8));
                infra.set(InfraKind::Chargers, households / 30);
                infra.set(InfraKind::WaterPoints, rng.range_u32(2, 4));
                infra.set(InfraKind::BikeSheds, rng.range_u32(1, 4));
                infra.set(InfraKind::ParkingBays, households / 2);
                infra.set(InfraKind::BarrierGates, rng.range_u32(1, 3));
                infra.set(InfraKind::PropertyOffices, 1);
                c.remarks = Some(REMARK_MANAGED.to_string());
            }
            List::Annex4 => {
                c.owners_body = if self_managed && rng.chance(50) {
                    OwnersBody::OwnersCommittee
                } else {
                    OwnersBody::None
                };
                infra.set(InfraKind::Cameras, u32::from(rng.chance(30)));
                infra.set(InfraKind::WaterPoints, u32::from(rng.chance(40)));
                c.remarks = Some(REMARK_UNMANAGED.to_string());
            }
        }
        c.infra = infra;
        let ci = COMMUNITIES
            .iter()
            .position(|x| *x == community)
            .unwrap_or(0);
        let xy = place(&mut rng, COMMUNITY_CENTRES[ci], 450, &taken, 60, (&[], 0));
        taken.push(xy);
        c.coords = Some(ORIGIN.at(xy));
        c.address = Some(format!(
            "{DISTRICT}{STREET}{}{}号",
            rng.pick(&ROADS),
            rng.range(1, 299)
        ));
        c.category = Some(classify(&c));
        out.push(c);
    }
    out
}
