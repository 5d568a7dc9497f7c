//! 聊城经济技术开发区 (聊城市), seed 000 六(一): the 7 pilot compounds of the 托管 programme,
//! "台联小区、和谐家园、工贸家属院、明珠苑、天安1号楼、国力小区、天安怡园等7个无人管理或业主自治的小区".
//!
//! The seed names no street or community for them: the demo places them in three streets of
//! the zone (东城街道, 蒋官屯街道, 北城街道) under invented communities, and invents every
//! attribute. "无人管理或业主自治": 台联小区, 明珠苑 and 国力小区 are
//! [`ManagementMode::SelfManaged`], the other four [`ManagementMode::None`]; the 托管 itself
//! (→ [`ManagementMode::StateTakeover`]) is for the programme to do, not the demo.

use crate::synth::{Origin, Rng, Xy, areas};
use crate::{DemoCompany, classify, company};
use anju_core::{Compound, InfraKind, Infrastructure, ManagementMode, OwnersBody};

pub const CITY: &str = "聊城市";
pub const DISTRICT: &str = "聊城经济技术开发区";
/// Streets and their (invented) communities, in ledger order.
pub const STREETS: [(&str, &[&str]); 3] = [
    ("东城街道", &["华山社区", "长江社区"]),
    ("蒋官屯街道", &["蒋官屯社区"]),
    ("北城街道", &["嘉明社区"]),
];
/// The seed's list, in its order.
pub const PILOTS: [&str; 7] = [
    "台联小区",
    "和谐家园",
    "工贸家属院",
    "明珠苑",
    "天安1号楼",
    "国力小区",
    "天安怡园",
];
pub const REMARK: &str = "演示数据：小区名称见聊城经济技术开发区“托管物业”实施方案（2021）六(一)试点名单；所属街道、社区及其余属性为虚构";

/// (name, street, community, households, buildings, year, self-managed, metres east/north of
/// the zone's reference point).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    u32,
    u32,
    i32,
    bool,
    Xy,
);

const ROWS: [Row; 7] = [
    (
        "台联小区",
        "东城街道",
        "华山社区",
        96,
        4,
        1996,
        true,
        (-600, 1_800),
    ),
    (
        "和谐家园",
        "东城街道",
        "华山社区",
        168,
        6,
        2004,
        false,
        (-350, 2_050),
    ),
    (
        "工贸家属院",
        "蒋官屯街道",
        "蒋官屯社区",
        60,
        3,
        1989,
        false,
        (1_900, -1_700),
    ),
    (
        "明珠苑",
        "东城街道",
        "长江社区",
        132,
        5,
        2002,
        true,
        (300, 1_500),
    ),
    (
        "天安1号楼",
        "北城街道",
        "嘉明社区",
        36,
        1,
        1998,
        false,
        (-3_100, 5_400),
    ),
    (
        "国力小区",
        "蒋官屯街道",
        "蒋官屯社区",
        88,
        4,
        1994,
        true,
        (2_200, -1_350),
    ),
    (
        "天安怡园",
        "北城街道",
        "嘉明社区",
        144,
        6,
        2001,
        false,
        (-2_850, 5_600),
    ),
];

/// Near the zone (≈ 36.440 N, 116.040 E). 111,195 m × cos 36.44° ≈ 89,457 m.
const ORIGIN: Origin = Origin {
    lat_e6: 36_440_000,
    lng_e6: 116_040_000,
    m_per_deg_lng: 89_457,
};
const SEED: u64 = 0x0000_1C00_2021_1115;

/// The company the state-owned 兴业控股集团 commissions (seed 000 二(二) "或委托其专业物业公司"):
/// the group is named in the seed, this company and its code are invented.
pub fn companies() -> Vec<DemoCompany> {
    vec![company(
        "聊城开发区兴业安居物业服务有限公司",
        "91371500MA3N2X4Y6",
        "韩立平",
        "0635-0861001",
        DISTRICT,
    )]
}

/// The 7 pilots in the seed's order.
pub fn compounds() -> Vec<Compound> {
    let mut rng = Rng::new(SEED);
    ROWS.iter()
        .map(
            |&(name, street, community, households, buildings, year, self_managed, xy)| {
                let mode = if self_managed {
                    ManagementMode::SelfManaged
                } else {
                    ManagementMode::None
                };
                let mut c = Compound::new(name, street, mode);
                c.district = Some(DISTRICT.to_string());
                c.community = Some(community.to_string());
                c.households = Some(households);
                c.buildings = Some(buildings);
                c.built_year = Some(year);
                let per_household = rng.range_u32(7_200, 9_800);
                let (total, multi, high) = areas(&mut rng, households, per_household, 0);
                c.area = Some(total);
                c.area_multi = Some(multi);
                c.area_high = Some(high);
                c.owners_body = if self_managed {
                    OwnersBody::OwnersCommittee
                } else {
                    OwnersBody::None
                };
                let mut infra = Infrastructure::default();
                infra.set(InfraKind::UnitDoors, households.div_ceil(12));
                infra.set(InfraKind::Cameras, u32::from(rng.chance(40)));
                c.infra = infra;
                c.coords = Some(ORIGIN.at(xy));
                c.address = Some(format!("{CITY}{DISTRICT}{street}{community}"));
                c.category = Some(classify(&c));
                c.remarks = Some(REMARK.to_string());
                c
            },
        )
        .collect()
}
