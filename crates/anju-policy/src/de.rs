//! Serde helpers shared by policy files and scenarios: exact decimals and plain dates.
//!
//! TOML floats are read through their shortest round-trip text (`0.4` → `0.4`, never
//! `0.40000000000000002`), so a rate written as `0.4` or `"0.4"` is the same exact decimal.
//! Dates must be TOML local dates (`2022-05-01`) or the same text in a string; a date-time or an
//! offset is refused, because a subsidy rule never needs the hour and guessing the day is worse.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::str::FromStr;

/// An exact decimal read from a TOML string, integer or float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dec(pub Decimal);

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Dec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a decimal in a string, e.g. 0.4 or \"0.4\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dec, E> {
                if !v.is_finite() {
                    return Err(E::custom("not a finite number"));
                }
                // Rust prints the shortest text that reads back as the same f64: that is the
                // text the author typed (for up to 15 significant digits).
                Decimal::from_str(&v.to_string())
                    .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
                    .map(Dec)
                    .map_err(|e| E::custom(format!("{v}: {e}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Dec, E> {
                parse_decimal(v).map(Dec).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses "0.4", "80", "-1.5", "80%" (→ 0.80).
pub fn parse_decimal(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    if let Some(p) = t.strip_suffix('%') {
        let d = Decimal::from_str(p.trim()).map_err(|e| format!("'{s}': {e}"))?;
        return Ok(d / Decimal::ONE_HUNDRED);
    }
    Decimal::from_str(t).map_err(|e| format!("'{s}': {e}"))
}

/// A civil date read from a TOML local date or a `YYYY-MM-DD` string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub Date);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Toml(dt) => {
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(de::Error::custom(format!(
                        "{dt}: 只接受日期（YYYY-MM-DD），不接受时刻 / a date only, not a date-time"
                    )));
                }
                let Some(date) = dt.date else {
                    return Err(de::Error::custom(format!("{dt}: 缺少日期 / no date")));
                };
                Date::new(date.year as i16, date.month as i8, date.day as i8)
                    .map(Day)
                    .map_err(|e| de::Error::custom(format!("{dt}: {e}")))
            }
            Raw::Text(s) => parse_date(&s).map(Day).map_err(de::Error::custom),
        }
    }
}

/// Parses exactly `YYYY-MM-DD` (zero-padded). Anything else is refused rather than guessed.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let t = s.trim();
    let b = t.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!(
            "'{s}': 日期须写成 YYYY-MM-DD / a date must be YYYY-MM-DD"
        ));
    }
    t.parse::<Date>().map_err(|e| format!("'{s}': {e}"))
}
