//! Money: yuan to the fen (分), exact. Never a float.
//!
//! Amounts are computed in `rust_decimal::Decimal` and rounded half-up (四舍五入) once, at the
//! amount that is paid, into a [`Fen`].

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in fen (0.01 元). Signed, so that differences can be expressed; amounts
/// that are paid are never negative (the rules ensure it, tests check it).
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
pub struct Fen(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("金额格式不正确：'{0}'")]
    Invalid(String),
    #[error("金额超出范围：'{0}'")]
    Overflow(String),
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Rounds a yuan amount half-up (away from zero at .5, 四舍五入) to the fen.
    pub fn from_yuan_rounded(yuan: Decimal) -> Fen {
        let r = yuan.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let fen = r * Decimal::ONE_HUNDRED;
        Fen(i64::try_from(fen).unwrap_or(if fen.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        }))
    }

    /// The amount in yuan, exact.
    pub fn to_yuan(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Parses "12345.67", "12,345.67", "12345.6", "12345", "¥12,345.67", "12,345.67 元".
    /// More than two decimals is an error: money in a ledger is never finer than a fen.
    pub fn parse_yuan(s: &str) -> Result<Fen, MoneyError> {
        let t: String = s
            .trim()
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches('元')
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        let d: Decimal = t.parse().map_err(|_| MoneyError::Invalid(s.to_string()))?;
        if d.scale() > 2 && d.normalize().scale() > 2 {
            return Err(MoneyError::Invalid(s.to_string()));
        }
        let fen = d * Decimal::ONE_HUNDRED;
        i64::try_from(fen.normalize())
            .map(Fen)
            .map_err(|_| MoneyError::Overflow(s.to_string()))
    }

    /// "12345.67" — two decimals, no grouping: the form JSON and files carry.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }

    /// "12,345.67" — grouped by thousands, as people read money.
    pub fn grouped(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", group_thousands(a / 100), a % 100)
    }

    /// "12,345.67 元"
    pub fn display_yuan(self) -> String {
        format!("{} 元", self.grouped())
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Splits this amount by integer weights so that the parts add up exactly to the whole
    /// (largest-remainder method; ties go to the earlier part).
    pub fn split_by_weights(self, weights: &[u64]) -> Vec<Fen> {
        let total_w: u128 = weights.iter().map(|w| u128::from(*w)).sum();
        if total_w == 0 || weights.is_empty() {
            return weights.iter().map(|_| Fen::ZERO).collect();
        }
        let neg = self.0 < 0;
        let amount = u128::from(self.0.unsigned_abs());
        let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
        let mut rems: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
        for (i, w) in weights.iter().enumerate() {
            let num = amount * u128::from(*w);
            parts.push(num / total_w);
            rems.push((num % total_w, i));
        }
        let assigned: u128 = parts.iter().sum();
        let mut left = amount - assigned;
        rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in rems {
            if left == 0 {
                break;
            }
            parts[i] += 1;
            left -= 1;
        }
        parts
            .into_iter()
            .map(|p| {
                let v = i64::try_from(p).unwrap_or(i64::MAX);
                Fen(if neg { -v } else { v })
            })
            .collect()
    }
}

/// "1234567" → "1,234,567".
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Formats a decimal with thousands grouping and exactly `dp` decimals (half-up), e.g. areas
/// "8,000.00" or rates "0.40".
pub fn group_decimal(d: Decimal, dp: u32) -> String {
    let r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let neg = r.is_sign_negative() && !r.is_zero();
    let abs = r.abs();
    let int = abs.trunc();
    let frac = abs - int;
    let int_u: u64 = u64::try_from(int).unwrap_or(u64::MAX);
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push_str(&group_thousands(int_u));
    if dp > 0 {
        let f = (frac * Decimal::from(10u64.pow(dp))).round();
        s.push('.');
        s.push_str(&format!(
            "{:0width$}",
            u64::try_from(f).unwrap_or(0),
            width = dp as usize
        ));
    }
    s
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, o: Fen) -> Fen {
        Fen(self.0 + o.0)
    }
}
impl AddAssign for Fen {
    fn add_assign(&mut self, o: Fen) {
        self.0 += o.0;
    }
}
impl Sub for Fen {
    type Output = Fen;
    fn sub(self, o: Fen) -> Fen {
        Fen(self.0 - o.0)
    }
}
impl SubAssign for Fen {
    fn sub_assign(&mut self, o: Fen) {
        self.0 -= o.0;
    }
}
impl Neg for Fen {
    type Output = Fen;
    fn neg(self) -> Fen {
        Fen(-self.0)
    }
}
impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounds_half_up_once() {
        assert_eq!(Fen::from_yuan_rounded(dec!(0.005)), Fen(1));
        assert_eq!(Fen::from_yuan_rounded(dec!(0.0049)), Fen(0));
        assert_eq!(Fen::from_yuan_rounded(dec!(38400)), Fen(3_840_000));
        assert_eq!(Fen::from_yuan_rounded(dec!(-0.005)), Fen(-1));
    }

    #[test]
    fn parses_and_formats() {
        for (input, fen) in [
            ("12,345.67", 1_234_567),
            ("12345.6", 1_234_560),
            ("¥12", 1200),
            ("12,345.67 元", 1_234_567),
            ("0.10", 10),
            ("1.500", 150),
        ] {
            assert_eq!(Fen::parse_yuan(input), Ok(Fen(fen)), "{input}");
        }
        assert!(Fen::parse_yuan("1.234").is_err());
        assert!(Fen::parse_yuan("abc").is_err());
        assert_eq!(Fen(1_234_567).grouped(), "12,345.67");
        assert_eq!(Fen(-5).plain(), "-0.05");
        assert_eq!(Fen(4_536_000).display_yuan(), "45,360.00 元");
        assert_eq!(group_decimal(dec!(8000), 2), "8,000.00");
        assert_eq!(group_decimal(dec!(0.4), 2), "0.40");
        assert_eq!(group_decimal(dec!(1234567.891), 0), "1,234,568");
    }

    #[test]
    fn split_adds_up() {
        assert_eq!(Fen(101).split_by_weights(&[1, 1]), vec![Fen(51), Fen(50)]);
        assert_eq!(
            Fen(100).split_by_weights(&[1, 1, 1]),
            vec![Fen(34), Fen(33), Fen(33)]
        );
    }

    proptest::proptest! {
        #[test]
        fn split_always_adds_up(amount in -10_000_000_000i64..10_000_000_000, w in proptest::collection::vec(0u64..100, 1..5)) {
            let parts = Fen(amount).split_by_weights(&w);
            if w.iter().sum::<u64>() > 0 {
                proptest::prop_assert_eq!(parts.iter().copied().sum::<Fen>(), Fen(amount));
            }
        }
    }
}
