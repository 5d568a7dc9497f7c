//! The compound (小区) as the census ledger (台账) keeps it.

use crate::{Area, CreditCode};
use serde::{Deserialize, Serialize};

/// 物业管理方式: a compound has exactly one at a time, with dated history (kept by the store).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ManagementMode {
    /// 专业化物业 (a market company)
    Professional,
    /// 国有托管 (a state-owned company takes over)
    StateTakeover,
    /// 街道兜底简易物业 (street's basic security and cleaning)
    StreetFallback,
    /// 单位后勤 (employer's logistics)
    Employer,
    /// 纳入临近物业区域 (joined to a neighbour's service area)
    Neighbour,
    /// 业主自管 (self-managed)
    SelfManaged,
    /// 无物业 / 弃管 (none, abandoned)
    None,
}

/// How the coverage figures group the modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeGroup {
    /// A property company serves it (专业化, 国有托管, 纳入临近物业区域).
    Company,
    /// Basic cover without a company contract (街道兜底, 单位后勤).
    Basic,
    /// 弃管（含自管）: nobody or the owners themselves — the programme's target.
    Unmanaged,
}

impl ManagementMode {
    pub const ALL: [ManagementMode; 7] = [
        ManagementMode::Professional,
        ManagementMode::StateTakeover,
        ManagementMode::StreetFallback,
        ManagementMode::Employer,
        ManagementMode::Neighbour,
        ManagementMode::SelfManaged,
        ManagementMode::None,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ManagementMode::Professional => "professional",
            ManagementMode::StateTakeover => "state_takeover",
            ManagementMode::StreetFallback => "street_fallback",
            ManagementMode::Employer => "employer",
            ManagementMode::Neighbour => "neighbour",
            ManagementMode::SelfManaged => "self_managed",
            ManagementMode::None => "none",
        }
    }

    pub fn from_code(s: &str) -> Option<ManagementMode> {
        ManagementMode::ALL.into_iter().find(|m| m.code() == s)
    }

    /// The label written in ledgers.
    pub fn zh(self) -> &'static str {
        match self {
            ManagementMode::Professional => "专业化物业",
            ManagementMode::StateTakeover => "国有托管",
            ManagementMode::StreetFallback => "街道兜底简易物业",
            ManagementMode::Employer => "单位后勤",
            ManagementMode::Neighbour => "纳入临近物业区域",
            ManagementMode::SelfManaged => "业主自管",
            ManagementMode::None => "无物业（弃管）",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ManagementMode::Professional => "professional company",
            ManagementMode::StateTakeover => "state-owned takeover",
            ManagementMode::StreetFallback => "street fallback (basic)",
            ManagementMode::Employer => "employer's logistics",
            ManagementMode::Neighbour => "joined to neighbour's area",
            ManagementMode::SelfManaged => "self-managed",
            ManagementMode::None => "none (abandoned)",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }

    pub fn group(self) -> ModeGroup {
        match self {
            ManagementMode::Professional
            | ManagementMode::StateTakeover
            | ManagementMode::Neighbour => ModeGroup::Company,
            ManagementMode::StreetFallback | ManagementMode::Employer => ModeGroup::Basic,
            ManagementMode::SelfManaged | ManagementMode::None => ModeGroup::Unmanaged,
        }
    }

    /// Reads what officials write in the 物业管理方式 column, tolerating common variants.
    /// An empty cell is not a mode: the caller decides whether that is allowed.
    pub fn parse_zh(s: &str) -> Option<ManagementMode> {
        let t: String = s
            .split_whitespace()
            .collect::<String>()
            .replace(['（', '）', '(', ')'], "");
        if t.is_empty() {
            return None;
        }
        if let Some(m) = ManagementMode::from_code(&t.to_ascii_lowercase()) {
            return Some(m);
        }
        let has = |k: &str| t.contains(k);
        Some(if has("托管") || has("国有") {
            ManagementMode::StateTakeover
        } else if has("兜底") || has("简易") {
            ManagementMode::StreetFallback
        } else if has("后勤") || has("单位") {
            ManagementMode::Employer
        } else if has("临近") || has("相邻") || has("纳入") {
            ManagementMode::Neighbour
        } else if has("自管") || has("自治") {
            ManagementMode::SelfManaged
        } else if has("弃管") || has("无物业") || t == "无" || has("未实施") {
            ManagementMode::None
        } else if has("专业") || has("物业公司") || has("市场化") || has("外聘") || t == "物业"
        {
            ManagementMode::Professional
        } else {
            return None;
        })
    }
}

/// 业主组织: who speaks for the owners.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OwnersBody {
    #[default]
    None,
    /// 业主委员会
    OwnersCommittee,
    /// 物业管理委员会 (物管会)
    ManagementCommittee,
    /// 环境和物业管理委员会 (Yantai)
    EnvironmentCommittee,
}

impl OwnersBody {
    pub const ALL: [OwnersBody; 4] = [
        OwnersBody::None,
        OwnersBody::OwnersCommittee,
        OwnersBody::ManagementCommittee,
        OwnersBody::EnvironmentCommittee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OwnersBody::None => "none",
            OwnersBody::OwnersCommittee => "owners_committee",
            OwnersBody::ManagementCommittee => "management_committee",
            OwnersBody::EnvironmentCommittee => "environment_committee",
        }
    }
    pub fn from_code(s: &str) -> Option<OwnersBody> {
        OwnersBody::ALL.into_iter().find(|m| m.code() == s)
    }
    pub fn zh(self) -> &'static str {
        match self {
            OwnersBody::None => "无",
            OwnersBody::OwnersCommittee => "业主委员会",
            OwnersBody::ManagementCommittee => "物业管理委员会",
            OwnersBody::EnvironmentCommittee => "环境和物业管理委员会",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            OwnersBody::None => "none",
            OwnersBody::OwnersCommittee => "owners' committee",
            OwnersBody::ManagementCommittee => "property management committee",
            OwnersBody::EnvironmentCommittee => "environment & property committee",
        }
    }
    pub fn exists(self) -> bool {
        self != OwnersBody::None
    }

    /// Reads the 业主委员会 column: a body's name, 有/是/√ (an owners' committee), 无/否/空.
    pub fn parse_zh(s: &str) -> Option<OwnersBody> {
        let t: String = s.split_whitespace().collect();
        if let Some(b) = OwnersBody::from_code(&t.to_ascii_lowercase()) {
            return Some(b);
        }
        Some(match t.as_str() {
            "" | "无" | "否" | "没有" | "未成立" | "×" | "0" | "N" | "n" | "no" => {
                OwnersBody::None
            }
            "有" | "是" | "已成立" | "√" | "✓" | "1" | "Y" | "y" | "yes" => {
                OwnersBody::OwnersCommittee
            }
            _ if t.contains("环境") => OwnersBody::EnvironmentCommittee,
            _ if t.contains("物业管理委员会") || t.contains("物管会") => {
                OwnersBody::ManagementCommittee
            }
            _ if t.contains("业主委员会") || t.contains("业委会") => {
                OwnersBody::OwnersCommittee
            }
            _ => return None,
        })
    }
}

/// 类别 (Shanting 附件5 note): 1 good, 2 average, 3 poor / small / hard to manage.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum Category {
    One = 1,
    Two = 2,
    Three = 3,
}

impl Category {
    pub fn number(self) -> u8 {
        self as u8
    }
    pub fn from_number(n: i64) -> Option<Category> {
        Some(match n {
            1 => Category::One,
            2 => Category::Two,
            3 => Category::Three,
            _ => return None,
        })
    }
    /// "1", "1类", "一类", "Ⅰ类", "第1类".
    pub fn parse_zh(s: &str) -> Option<Category> {
        let t = s
            .trim()
            .trim_start_matches('第')
            .trim_end_matches('类')
            .trim_end_matches(".0");
        match t {
            "1" | "一" | "Ⅰ" | "I" => Some(Category::One),
            "2" | "二" | "Ⅱ" | "II" => Some(Category::Two),
            "3" | "三" | "Ⅲ" | "III" => Some(Category::Three),
            _ => None,
        }
    }
}

/// The infrastructure items DOMAIN.md and seed 004 三(五) count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InfraKind {
    /// 摄像头
    Cameras,
    /// 充电桩
    Chargers,
    /// 取水点
    WaterPoints,
    /// 单元门
    UnitDoors,
    /// 车棚
    BikeSheds,
    /// 车位
    ParkingBays,
    /// 电子杆 / 道闸
    BarrierGates,
    /// 物业用房
    PropertyOffices,
}

impl InfraKind {
    pub const ALL: [InfraKind; 8] = [
        InfraKind::Cameras,
        InfraKind::Chargers,
        InfraKind::WaterPoints,
        InfraKind::UnitDoors,
        InfraKind::BikeSheds,
        InfraKind::ParkingBays,
        InfraKind::BarrierGates,
        InfraKind::PropertyOffices,
    ];
    pub fn code(self) -> &'static str {
        match self {
            InfraKind::Cameras => "cameras",
            InfraKind::Chargers => "chargers",
            InfraKind::WaterPoints => "water_points",
            InfraKind::UnitDoors => "unit_doors",
            InfraKind::BikeSheds => "bike_sheds",
            InfraKind::ParkingBays => "parking_bays",
            InfraKind::BarrierGates => "barrier_gates",
            InfraKind::PropertyOffices => "property_offices",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            InfraKind::Cameras => "摄像头",
            InfraKind::Chargers => "充电桩",
            InfraKind::WaterPoints => "取水点",
            InfraKind::UnitDoors => "单元门",
            InfraKind::BikeSheds => "车棚",
            InfraKind::ParkingBays => "车位",
            InfraKind::BarrierGates => "电子杆",
            InfraKind::PropertyOffices => "物业用房",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            InfraKind::Cameras => "cameras",
            InfraKind::Chargers => "chargers",
            InfraKind::WaterPoints => "water points",
            InfraKind::UnitDoors => "unit doors",
            InfraKind::BikeSheds => "bike sheds",
            InfraKind::ParkingBays => "parking bays",
            InfraKind::BarrierGates => "barrier gates",
            InfraKind::PropertyOffices => "property offices",
        }
    }
}

/// Counts per infrastructure item (what a compound has, or what it needs).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
pub struct Infrastructure(pub [u32; 8]);

impl Infrastructure {
    pub fn get(&self, k: InfraKind) -> u32 {
        self.0[k as usize]
    }
    pub fn set(&mut self, k: InfraKind, v: u32) {
        self.0[k as usize] = v;
    }
    pub fn add(&mut self, o: &Infrastructure) {
        for i in 0..8 {
            self.0[i] += o.0[i];
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|v| *v == 0)
    }
}

/// WGS-84 coordinates in micro-degrees (exact, comparable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Coordinates {
    pub lat_e6: i64,
    pub lng_e6: i64,
}

impl Coordinates {
    /// Parses "120.123456,42.845" (lng,lat — the order Chinese map tools give) or a lat and lng
    /// pair when the caller knows which is which.
    pub fn from_degrees(lat: f64, lng: f64) -> Option<Coordinates> {
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
            return None;
        }
        Some(Coordinates {
            lat_e6: (lat * 1e6).round() as i64,
            lng_e6: (lng * 1e6).round() as i64,
        })
    }
    pub fn lat(&self) -> f64 {
        self.lat_e6 as f64 / 1e6
    }
    pub fn lng(&self) -> f64 {
        self.lng_e6 as f64 / 1e6
    }
    /// Distance in metres (equirectangular approximation: fine at city scale).
    pub fn distance_m(&self, o: &Coordinates) -> f64 {
        let r = 6_371_000.0;
        let lat1 = self.lat().to_radians();
        let lat2 = o.lat().to_radians();
        let x = (o.lng() - self.lng()).to_radians() * ((lat1 + lat2) / 2.0).cos();
        let y = lat2 - lat1;
        (x * x + y * y).sqrt() * r
    }
}

/// One compound as the ledger holds it. Region names are kept as written; the store links
/// them into the region tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Compound {
    /// 小区名称
    pub name: String,
    /// 所属区（县、旗）
    pub district: Option<String>,
    /// 所属街道（镇）
    pub street: String,
    /// 所属社区
    pub community: Option<String>,
    /// 地址
    pub address: Option<String>,
    /// 建成年份
    pub built_year: Option<i32>,
    /// 建筑面积 (total)
    pub area: Option<Area>,
    /// 多层面积
    pub area_multi: Option<Area>,
    /// 高层面积
    pub area_high: Option<Area>,
    /// 楼栋数
    pub buildings: Option<u32>,
    /// 户数
    pub households: Option<u32>,
    /// 类别 1/2/3
    pub category: Option<Category>,
    /// 是否纳入老旧小区改造
    pub renovation: bool,
    /// 物业管理方式
    pub mode: ManagementMode,
    /// 物业企业
    pub company: Option<String>,
    /// 物业企业统一社会信用代码
    pub company_code: Option<CreditCode>,
    /// 业主组织
    pub owners_body: OwnersBody,
    /// 党支部
    pub party_branch: bool,
    /// 现有设施
    pub infra: Infrastructure,
    /// 设施需求
    pub needs: Infrastructure,
    /// 物业管理区域
    pub management_area: Option<String>,
    /// 坐标
    pub coords: Option<Coordinates>,
    /// 备注
    pub remarks: Option<String>,
}

impl Compound {
    /// A compound with only its name, street and mode set.
    pub fn new(
        name: impl Into<String>,
        street: impl Into<String>,
        mode: ManagementMode,
    ) -> Compound {
        Compound {
            name: name.into(),
            district: None,
            street: street.into(),
            community: None,
            address: None,
            built_year: None,
            area: None,
            area_multi: None,
            area_high: None,
            buildings: None,
            households: None,
            category: None,
            renovation: false,
            mode,
            company: None,
            company_code: None,
            owners_body: OwnersBody::None,
            party_branch: false,
            infra: Infrastructure::default(),
            needs: Infrastructure::default(),
            management_area: None,
            coords: None,
            remarks: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_modes_as_officials_write_them() {
        for (s, m) in [
            ("专业化物业", ManagementMode::Professional),
            ("物业公司", ManagementMode::Professional),
            ("外聘物业公司", ManagementMode::Professional),
            ("国有托管", ManagementMode::StateTakeover),
            ("街道兜底", ManagementMode::StreetFallback),
            ("简易物业", ManagementMode::StreetFallback),
            ("单位后勤", ManagementMode::Employer),
            ("纳入临近物业区域", ManagementMode::Neighbour),
            ("业主自管", ManagementMode::SelfManaged),
            ("自管", ManagementMode::SelfManaged),
            ("弃管", ManagementMode::None),
            ("无物业", ManagementMode::None),
            ("无物业（弃管）", ManagementMode::None),
            ("无", ManagementMode::None),
        ] {
            assert_eq!(ManagementMode::parse_zh(s), Some(m), "{s}");
            assert_eq!(ManagementMode::parse_zh(m.zh()), Some(m), "{}", m.zh());
        }
        assert_eq!(ManagementMode::parse_zh("随便"), None);
        assert_eq!(ManagementMode::parse_zh(""), None);
    }

    #[test]
    fn reads_owners_bodies_and_categories() {
        assert_eq!(
            OwnersBody::parse_zh("有"),
            Some(OwnersBody::OwnersCommittee)
        );
        assert_eq!(OwnersBody::parse_zh(""), Some(OwnersBody::None));
        assert_eq!(
            OwnersBody::parse_zh("物管会"),
            Some(OwnersBody::ManagementCommittee)
        );
        assert_eq!(
            OwnersBody::parse_zh("环境和物业管理委员会"),
            Some(OwnersBody::EnvironmentCommittee)
        );
        assert_eq!(OwnersBody::parse_zh("也许"), None);
        assert_eq!(Category::parse_zh("2类"), Some(Category::Two));
        assert_eq!(Category::parse_zh("三类"), Some(Category::Three));
        assert_eq!(Category::parse_zh("4"), None);
    }
}
