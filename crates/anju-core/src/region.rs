//! The region tree: 市 → 区/县/旗 → 街道/镇 → 社区.

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 市
    City,
    /// 区 / 县 / 旗
    District,
    /// 街道 / 镇
    Street,
    /// 社区 / 居委会
    Community,
}

impl RegionLevel {
    pub fn code(self) -> &'static str {
        match self {
            RegionLevel::City => "city",
            RegionLevel::District => "district",
            RegionLevel::Street => "street",
            RegionLevel::Community => "community",
        }
    }
    pub fn from_code(s: &str) -> Option<RegionLevel> {
        Some(match s {
            "city" => RegionLevel::City,
            "district" => RegionLevel::District,
            "street" => RegionLevel::Street,
            "community" => RegionLevel::Community,
            _ => return None,
        })
    }
    pub fn zh(self) -> &'static str {
        match self {
            RegionLevel::City => "市",
            RegionLevel::District => "区",
            RegionLevel::Street => "街道",
            RegionLevel::Community => "社区",
        }
    }
    pub fn parent(self) -> Option<RegionLevel> {
        match self {
            RegionLevel::City => None,
            RegionLevel::District => Some(RegionLevel::City),
            RegionLevel::Street => Some(RegionLevel::District),
            RegionLevel::Community => Some(RegionLevel::Street),
        }
    }
}
