//! Floor area (建筑面积/服务面积) in square metres, exact to 0.01 ㎡.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign};

/// An area in hundredths of a square metre. Never negative.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct Area(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    #[error("面积不是数字：'{0}'")]
    NotANumber(String),
    #[error("面积不能为负数：'{0}'")]
    Negative(String),
    #[error("面积最多保留两位小数：'{0}'")]
    TooPrecise(String),
    #[error("面积过大：'{0}'")]
    TooLarge(String),
}

impl Area {
    pub const ZERO: Area = Area(0);

    /// Parses "12345.67", "12,345.67", "12345.67㎡", "12345.67 平方米", "12345.67m2".
    pub fn parse(s: &str) -> Result<Area, AreaError> {
        let t: String = s
            .trim()
            .trim_end_matches("平方米")
            .trim_end_matches("㎡")
            .trim_end_matches("m²")
            .trim_end_matches("m2")
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        let d: Decimal = t
            .parse()
            .map_err(|_| AreaError::NotANumber(s.to_string()))?;
        Area::from_decimal(d).map_err(|e| match e {
            AreaError::NotANumber(_) => AreaError::NotANumber(s.to_string()),
            AreaError::Negative(_) => AreaError::Negative(s.to_string()),
            AreaError::TooPrecise(_) => AreaError::TooPrecise(s.to_string()),
            AreaError::TooLarge(_) => AreaError::TooLarge(s.to_string()),
        })
    }

    pub fn from_decimal(d: Decimal) -> Result<Area, AreaError> {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(AreaError::Negative(d.to_string()));
        }
        if d.normalize().scale() > 2 {
            return Err(AreaError::TooPrecise(d.to_string()));
        }
        let h = (d * Decimal::ONE_HUNDRED).normalize();
        let v = i64::try_from(h).map_err(|_| AreaError::TooLarge(d.to_string()))?;
        if v > 100_000_000_000 {
            return Err(AreaError::TooLarge(d.to_string()));
        }
        Ok(Area(v))
    }

    /// From whole square metres.
    pub fn from_m2(m2: u32) -> Area {
        Area(i64::from(m2) * 100)
    }

    /// From the stored hundredths of a square metre (the store's integer column).
    pub fn from_centi(c: i64) -> Area {
        Area(c.max(0))
    }

    pub fn centi(self) -> i64 {
        self.0
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// "12,345.67"
    pub fn grouped(self) -> String {
        crate::money::group_decimal(self.to_decimal(), 2)
    }

    /// "12,345.67 ㎡"
    pub fn display_m2(self) -> String {
        format!("{} ㎡", self.grouped())
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Add for Area {
    type Output = Area;
    fn add(self, o: Area) -> Area {
        Area(self.0 + o.0)
    }
}
impl AddAssign for Area {
    fn add_assign(&mut self, o: Area) {
        self.0 += o.0;
    }
}
impl std::iter::Sum for Area {
    fn sum<I: Iterator<Item = Area>>(iter: I) -> Area {
        iter.fold(Area::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_areas() {
        assert_eq!(Area::parse("12,345.67").map(Area::centi), Ok(1_234_567));
        assert_eq!(Area::parse("8000㎡").map(Area::centi), Ok(800_000));
        assert_eq!(Area::parse("0").map(Area::centi), Ok(0));
        assert!(matches!(Area::parse("-1"), Err(AreaError::Negative(_))));
        assert!(matches!(Area::parse("abc"), Err(AreaError::NotANumber(_))));
        assert!(matches!(
            Area::parse("1.234"),
            Err(AreaError::TooPrecise(_))
        ));
        assert_eq!(Area::from_m2(8000).display_m2(), "8,000.00 ㎡");
        assert_eq!(Area::from_centi(5).to_string(), "0.05");
    }
}
