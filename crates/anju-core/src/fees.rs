//! 物业费收缴率: billed (应收) and collected (实收) per compound per month, and the collection
//! rate over a period (seed 000, Liaocheng: the 10 % retention is released at a collection rate
//! of at least 80 % after year 3).
//!
//! The rate is collected ÷ billed as an exact `Decimal`, never a float, shown as "85.00 %".
//! Nothing billed is an error (收缴率无法计算：应收为零), never a division by zero. Collected may
//! exceed billed (arrears paid late), so a rate above 100 % is kept as it is.

use crate::Lang;
use crate::money::Fen;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    pub year: i16,
    /// 1–12
    pub month: i8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("月份格式不正确：'{0}'（应为 YYYY-MM，如 2026-01）")]
    BadMonth(String),
    #[error("期间格式不正确：'{0}'（应为 2026-01、2026Q1、2026H1 或 2026）")]
    BadPeriod(String),
    #[error("期间的起止月份颠倒：{from} 在 {to} 之后")]
    Reversed { from: Month, to: Month },
    #[error("收缴率无法计算：应收为零")]
    NothingBilled,
    #[error("金额不能为负数：{0}")]
    Negative(String),
}

impl FeeError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Zh) => self.to_string(),
            (FeeError::BadMonth(s), Lang::En) => format!("bad month '{s}' (YYYY-MM, e.g. 2026-01)"),
            (FeeError::BadPeriod(s), Lang::En) => {
                format!("bad period '{s}' (2026-01, 2026Q1, 2026H1 or 2026)")
            }
            (FeeError::Reversed { from, to }, Lang::En) => {
                format!("the period is reversed: {from} is after {to}")
            }
            (FeeError::NothingBilled, Lang::En) => {
                "the collection rate is undefined: nothing was billed".into()
            }
            (FeeError::Negative(s), Lang::En) => format!("amounts cannot be negative: {s}"),
        }
    }
}

impl Month {
    pub fn new(year: i16, month: i8) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// "2026-01", "2026-1", "2026/01", "2026年1月", "202601".
    pub fn parse(s: &str) -> Result<Month, FeeError> {
        let bad = || FeeError::BadMonth(s.to_string());
        let t = s.trim().trim_end_matches('月');
        let (y, m) = if let Some((y, m)) = t.split_once(['-', '/', '.', '年']) {
            (y, m)
        } else if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) {
            t.split_at(4)
        } else {
            return Err(bad());
        };
        let y: i16 = y.trim().parse().map_err(|_| bad())?;
        let m: i8 = m.trim().parse().map_err(|_| bad())?;
        Month::new(y, m).ok_or_else(bad)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month a date falls in.
    pub fn of(d: jiff::civil::Date) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = FeeError;
    fn try_from(s: String) -> Result<Month, FeeError> {
        Month::parse(&s)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

/// A run of whole months, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthRange {
    pub from: Month,
    pub to: Month,
}

impl MonthRange {
    pub fn new(from: Month, to: Month) -> Result<MonthRange, FeeError> {
        if from > to {
            return Err(FeeError::Reversed { from, to });
        }
        Ok(MonthRange { from, to })
    }

    /// A period as officials write it: "2026-03" (a month), "2026Q1" (a quarter), "2026H1" /
    /// "2026H2" (a half-year), "2026" (a year); also "2026-01..2026-06" (a range).
    pub fn parse(s: &str) -> Result<MonthRange, FeeError> {
        let t = s.trim().to_ascii_uppercase();
        let bad = || FeeError::BadPeriod(s.to_string());
        if let Some((a, b)) = t.split_once("..") {
            return MonthRange::new(Month::parse(a)?, Month::parse(b)?);
        }
        let span = |y: &str, first: i8, last: i8| -> Result<MonthRange, FeeError> {
            let y: i16 = y.trim_end_matches('-').parse().map_err(|_| bad())?;
            let from = Month::new(y, first).ok_or_else(bad)?;
            let to = Month::new(y, last).ok_or_else(bad)?;
            MonthRange::new(from, to)
        };
        if let Some((y, q)) = t.split_once('Q') {
            let q: i8 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            return span(y, q * 3 - 2, q * 3);
        }
        if let Some((y, h)) = t.split_once('H') {
            return match h {
                "1" => span(y, 1, 6),
                "2" => span(y, 7, 12),
                _ => Err(bad()),
            };
        }
        if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) {
            return span(&t, 1, 12);
        }
        let m = Month::parse(&t).map_err(|_| bad())?;
        Ok(MonthRange { from: m, to: m })
    }

    pub fn contains(&self, m: Month) -> bool {
        self.from <= m && m <= self.to
    }

    /// The twelve months of a contract year: year `n` (1-based) of a contract starting in
    /// `start`.
    pub fn contract_year(start: Month, n: u16) -> MonthRange {
        let mut from = start;
        for _ in 0..(u32::from(n.max(1)) - 1) * 12 {
            from = from.next();
        }
        let mut to = from;
        for _ in 0..11 {
            to = to.next();
        }
        MonthRange { from, to }
    }
}

impl fmt::Display for MonthRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}..{}", self.from, self.to)
        }
    }
}

/// Billed and collected over some months, and the rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Collection {
    pub billed: Fen,
    pub collected: Fen,
    /// How many months with figures went into it.
    pub months: u32,
}

impl Collection {
    pub fn add(&mut self, billed: Fen, collected: Fen) {
        self.billed += billed;
        self.collected += collected;
        self.months += 1;
    }

    /// 收缴率 = 实收 ÷ 应收, exact (0.85 for 85 %).
    pub fn rate(&self) -> Result<Decimal, FeeError> {
        collection_rate(self.billed, self.collected)
    }
}

/// 收缴率 = collected ÷ billed, exact; nothing billed is [`FeeError::NothingBilled`].
pub fn collection_rate(billed: Fen, collected: Fen) -> Result<Decimal, FeeError> {
    if billed.is_negative() || collected.is_negative() {
        return Err(FeeError::Negative(format!(
            "{} / {}",
            billed.grouped(),
            collected.grouped()
        )));
    }
    if billed == Fen::ZERO {
        return Err(FeeError::NothingBilled);
    }
    Ok(Decimal::from(collected.0) / Decimal::from(billed.0))
}

/// "85.00 %": a rate (fraction) as a percentage with two decimals, half-up. For reading only.
pub fn percent_text(rate: Decimal) -> String {
    let p = (rate * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format!("{p:.2} %")
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn months_and_periods() {
        assert_eq!(
            Month::parse("2026-01").unwrap(),
            Month {
                year: 2026,
                month: 1
            }
        );
        assert_eq!(Month::parse("2026年3月").unwrap().to_string(), "2026-03");
        assert_eq!(Month::parse("202612").unwrap().to_string(), "2026-12");
        assert!(Month::parse("2026-13").is_err());
        assert_eq!(
            MonthRange::parse("2026Q2").unwrap().to_string(),
            "2026-04..2026-06"
        );
        assert_eq!(
            MonthRange::parse("2026H2").unwrap().to_string(),
            "2026-07..2026-12"
        );
        assert_eq!(
            MonthRange::parse("2026").unwrap().to_string(),
            "2026-01..2026-12"
        );
        assert_eq!(MonthRange::parse("2026-05").unwrap().to_string(), "2026-05");
        assert!(MonthRange::parse("2026-06..2026-01").is_err());
        assert!(MonthRange::parse("2026Q5").is_err());
        let y3 = MonthRange::contract_year(Month::parse("2024-07").unwrap(), 3);
        assert_eq!(y3.to_string(), "2026-07..2027-06");
    }

    #[test]
    fn rates() {
        assert_eq!(
            collection_rate(Fen(0), Fen(0)),
            Err(FeeError::NothingBilled)
        );
        assert_eq!(
            collection_rate(Fen(0), Fen(100)),
            Err(FeeError::NothingBilled)
        );
        let r = collection_rate(Fen(1_200_000), Fen(960_000)).unwrap();
        assert_eq!(r, Decimal::new(8, 1));
        assert_eq!(percent_text(r), "80.00 %");
        let r = collection_rate(Fen(3), Fen(2)).unwrap();
        assert_eq!(percent_text(r), "66.67 %");
        assert!(r < Decimal::new(6667, 4));
    }
}
