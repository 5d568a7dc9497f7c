//! 一张图: every compound in the principal's scope where it lies, with its stage or mode and
//! what needs attention there (unanswered complaints, overdue rectification orders), and a way
//! to give a compound its coordinates.

use crate::App;
use crate::check::Field;
use crate::error::Result;
use crate::principal::Principal;
use anju_core::Coordinates;
use anju_core::access::Action;
use anju_core::ids::CompoundId;
use anju_store::{CompoundFilter, StoredCompound};

pub use anju_store::{MapMark, MapOnly};

/// What the map shows: a street (all in scope without one) and a layer.
#[derive(Debug, Clone, Default)]
pub struct MapFilter {
    pub street: Option<String>,
    pub only: MapOnly,
}

/// The coordinates a user types: latitude and longitude in degrees, as a map app shows them.
const LAT: Field = Field::new("lat", "纬度");
const LNG: Field = Field::new("lng", "经度");

/// The coordinates a user types: latitude and longitude in degrees, as a map app shows them
/// (42.846123, 121.286543), kept to a millionth of a degree, rounded half away from zero.
pub fn parse_coordinates(lat: &str, lng: &str) -> Result<Coordinates> {
    let degrees = |f: Field, s: &str, limit: i64| -> Result<i64> {
        let s = s.trim();
        if s.is_empty() {
            return Err(f.error("请填写", "required"));
        }
        let d: rust_decimal::Decimal = s.parse().map_err(|_| {
            f.error(
                format!("“{s}”不是数字（如 42.846123）"),
                format!("'{s}' is not a number (e.g. 42.846123)"),
            )
        })?;
        let e6 = (d * rust_decimal::Decimal::from(1_000_000))
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        match i64::try_from(e6) {
            Ok(v) if v.abs() <= limit * 1_000_000 => Ok(v),
            _ => Err(f.error(
                format!("{s} 超出 ±{limit} 度"),
                format!("{s} is beyond ±{limit} degrees"),
            )),
        }
    };
    Ok(Coordinates {
        lat_e6: degrees(LAT, lat, 90)?,
        lng_e6: degrees(LNG, lng, 180)?,
    })
}

impl App {
    /// The compounds the map draws: in scope (a condition of the query), the street and the
    /// layer applied, with their unanswered complaints and overdue orders as of today.
    pub async fn map_marks(&self, who: &Principal, filter: MapFilter) -> Result<Vec<MapMark>> {
        who.require(Action::ViewLedger)?;
        let compounds = who.scoped(CompoundFilter {
            street: filter.street.filter(|s| !s.trim().is_empty()),
            ..CompoundFilter::default()
        });
        Ok(self
            .store()
            .map_marks(&compounds, filter.only, self.today())
            .await?)
    }

    /// Gives a compound its coordinates (from the map's list of compounds without them): the
    /// compound's facts otherwise unchanged, at the version the user saw, audited.
    pub async fn set_coordinates(
        &self,
        who: &Principal,
        id: CompoundId,
        version: i64,
        coords: Coordinates,
    ) -> Result<StoredCompound> {
        let old = self.compound_in_scope(who, id).await?;
        let mut compound = old.compound.clone();
        compound.coords = Some(coords);
        self.update_compound(who, id, version, compound, self.today())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_in_degrees_to_millionths_half_away_from_zero() {
        let c = parse_coordinates(" 42.8431235 ", "-121.2790005").expect("ok");
        assert_eq!((c.lat_e6, c.lng_e6), (42_843_124, -121_279_001));
        // The poles and the antimeridian are places; past them is not.
        assert!(parse_coordinates("90", "180").is_ok());
        assert!(parse_coordinates("-90", "-180").is_ok());
        let e = parse_coordinates("90.000001", "0").expect_err("past the pole");
        assert_eq!(
            e.message(anju_core::Lang::Zh),
            "纬度：90.000001 超出 ±90 度"
        );
        let e = parse_coordinates("1", "").expect_err("empty");
        assert_eq!(e.message(anju_core::Lang::Zh), "经度：请填写");
        let e = parse_coordinates("1e400", "1").expect_err("not a number");
        assert!(e.message(anju_core::Lang::Zh).starts_with("纬度："));
    }
}
