//! Satisfaction rate (满意度) → points, as a table of tiers written with the statute's
//! boundary words.
//!
//! 民法典 第一千二百五十九条: 以上, 以下, 以内 include the number; 超过, 不满, 不足 exclude it. A
//! tier is written as the policy writes it ("80%以上得10分" is `rate = 0.80, word = "以上",
//! points = 10`), and the code, not the data author, decides what it includes.
//!
//! Tiers that point up (以上, 超过) form a descending scale: a rate takes the upward tier with
//! the highest threshold it reaches (85 % is "80%以上", not "70%以上"). Likewise a rate takes the
//! downward tier (以下, 不满) with the lowest threshold it is under. A rate that then lies in an
//! upward *and* a downward tier is an **overlap** in the text (Erqi's 50 %: "50%以上得5分" and
//! "50%以下不得分"); a rate in no tier is a **gap**. A table with a gap is refused; a table with
//! an overlap must say which tier wins (`overlap`) and why (`resolution_zh` / `resolution_en`).

use super::error::RubricError;
use crate::sampling::SampleRule;
use anju_core::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A satisfaction rate: satisfied ÷ valid responses, an exact fraction from 0 to 1.
/// It is never rounded before it is compared with a tier: 79.99 % is not "80%以上".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct SatisfactionRate(Decimal);

/// Serialized through `Decimal`, which rust_decimal writes as a string ("0.85").
impl utoipa::PartialSchema for SatisfactionRate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        anju_core::schema::text(
            "满意率：0 到 1 之间的精确小数，写成字符串（如 \"0.85\"）",
            Some(r"^(0(\.\d+)?|1(\.0+)?)$"),
            None,
        )
    }
}
impl utoipa::ToSchema for SatisfactionRate {}

impl TryFrom<Decimal> for SatisfactionRate {
    type Error = RubricError;
    fn try_from(d: Decimal) -> Result<Self, Self::Error> {
        SatisfactionRate::new(d)
    }
}

impl From<SatisfactionRate> for Decimal {
    fn from(r: SatisfactionRate) -> Decimal {
        r.0
    }
}

impl SatisfactionRate {
    /// A fraction from 0 to 1 inclusive.
    pub fn new(fraction: Decimal) -> Result<SatisfactionRate, RubricError> {
        if fraction < Decimal::ZERO || fraction > Decimal::ONE {
            return Err(RubricError::BadRate(fraction.normalize().to_string()));
        }
        Ok(SatisfactionRate(fraction))
    }

    /// `satisfied` of `responses` valid questionnaires.
    pub fn from_counts(satisfied: u32, responses: u32) -> Result<SatisfactionRate, RubricError> {
        if responses == 0 {
            return Err(RubricError::bad_survey(
                "有效问卷数为 0，无法计算满意度",
                "no valid responses: the rate is undefined",
            ));
        }
        if satisfied > responses {
            return Err(RubricError::bad_survey(
                format!("满意份数 {satisfied} 多于有效问卷数 {responses}"),
                format!("{satisfied} satisfied is more than {responses} responses"),
            ));
        }
        Ok(SatisfactionRate(
            Decimal::from(satisfied) / Decimal::from(responses),
        ))
    }

    /// "0.83", "83%", "83 %", "83.5％".
    pub fn parse(s: &str) -> Result<SatisfactionRate, RubricError> {
        let t = s.trim();
        let bad = || RubricError::BadRate(s.to_string());
        let d = if let Some(p) = t.strip_suffix(['%', '％']) {
            let p: Decimal = p.trim().parse().map_err(|_| bad())?;
            p / Decimal::ONE_HUNDRED
        } else {
            t.parse::<Decimal>().map_err(|_| bad())?
        };
        SatisfactionRate::new(d).map_err(|_| bad())
    }

    /// The exact fraction.
    pub fn fraction(self) -> Decimal {
        self.0
    }

    /// "83%", "66.67%": two decimals at most, for reading only (comparisons use the exact value).
    pub fn percent_text(self) -> String {
        let p = (self.0 * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        format!("{}%", p.normalize())
    }
}

/// A boundary word (民法典 第一千二百五十九条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoundWord {
    /// 以上: at least, the number included.
    #[serde(rename = "以上")]
    AtLeast,
    /// 超过: more than, the number excluded.
    #[serde(rename = "超过")]
    Over,
    /// 以下 (also 以内): at most, the number included.
    #[serde(rename = "以下", alias = "以内")]
    AtMost,
    /// 不满 (also 不足): less than, the number excluded.
    #[serde(rename = "不满", alias = "不足")]
    Under,
}

impl BoundWord {
    /// Whether the tier points up the scale (以上, 超过).
    pub fn is_upward(self) -> bool {
        matches!(self, BoundWord::AtLeast | BoundWord::Over)
    }

    /// Whether the threshold itself belongs to the tier.
    pub fn includes_number(self) -> bool {
        matches!(self, BoundWord::AtLeast | BoundWord::AtMost)
    }

    /// Whether `x` lies in the tier bounded at `threshold`.
    pub fn contains(self, threshold: Decimal, x: Decimal) -> bool {
        match self {
            BoundWord::AtLeast => x >= threshold,
            BoundWord::Over => x > threshold,
            BoundWord::AtMost => x <= threshold,
            BoundWord::Under => x < threshold,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            BoundWord::AtLeast => "以上",
            BoundWord::Over => "超过",
            BoundWord::AtMost => "以下",
            BoundWord::Under => "不满",
        }
    }
}

/// One tier: `rate` with its boundary word, worth `points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The threshold as a fraction (0.80 for 80 %).
    pub rate: Decimal,
    pub word: BoundWord,
    pub points: Decimal,
}

impl Tier {
    pub fn contains(&self, rate: Decimal) -> bool {
        self.word.contains(self.rate, rate)
    }

    /// "80%以上", "超过50%", "不满50%" / "80 % or more", "over 50 %", "under 50 %".
    pub fn label(&self, lang: Lang) -> String {
        let p = (self.rate * Decimal::ONE_HUNDRED).normalize();
        match (lang, self.word) {
            (Lang::Zh, BoundWord::AtLeast | BoundWord::AtMost) => format!("{p}%{}", self.word.zh()),
            (Lang::Zh, w) => format!("{}{p}%", w.zh()),
            (Lang::En, BoundWord::AtLeast) => format!("{p} % or more"),
            (Lang::En, BoundWord::Over) => format!("over {p} %"),
            (Lang::En, BoundWord::AtMost) => format!("{p} % or less"),
            (Lang::En, BoundWord::Under) => format!("under {p} %"),
        }
    }
}

/// Which tier wins where an upward and a downward tier overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapRule {
    /// The upward tier (以上 / 超过): the higher tier of a descending scale.
    HigherTier,
    /// The downward tier (以下 / 不满).
    LowerTier,
}

/// Where an upward and a downward tier both hold: rates from `from` to `to` (both included,
/// as far as the two words include them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overlap {
    pub from: Decimal,
    pub to: Decimal,
    /// Indexes into [`SatisfactionTable::tiers`].
    pub upward: usize,
    pub downward: usize,
}

/// The tier a rate falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierMatch {
    /// Index into [`SatisfactionTable::tiers`].
    pub tier: usize,
    /// The other tier, when the rate lies in an overlap that [`SatisfactionTable::overlap`]
    /// resolved.
    pub overlapped_with: Option<usize>,
}

/// The satisfaction → points table of a rubric's satisfaction item, with its sample rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionTable {
    /// The rule as the policy words it.
    pub text_zh: String,
    #[serde(default)]
    pub text_en: String,
    pub tiers: Vec<Tier>,
    /// Required when the tiers overlap.
    #[serde(default)]
    pub overlap: Option<OverlapRule>,
    #[serde(default)]
    pub resolution_zh: String,
    #[serde(default)]
    pub resolution_en: String,
    /// How many households must answer for the survey to count.
    pub sample: SampleRule,
}

impl SatisfactionTable {
    /// Overlaps between an upward and a downward tier.
    pub fn overlaps(&self) -> Vec<Overlap> {
        let mut out = Vec::new();
        for (u, up) in self
            .tiers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.word.is_upward())
        {
            for (d, down) in self
                .tiers
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.word.is_upward())
            {
                let meets = up.rate < down.rate
                    || (up.rate == down.rate
                        && up.word.includes_number()
                        && down.word.includes_number());
                if meets {
                    out.push(Overlap {
                        from: up.rate,
                        to: down.rate,
                        upward: u,
                        downward: d,
                    });
                }
            }
        }
        out
    }

    /// Rates from 0 to 1 that no tier covers, described in Chinese and English.
    pub fn gaps(&self) -> Vec<(String, String)> {
        // The downward tiers together cover [0, the largest downward threshold]; the upward
        // tiers cover [the smallest upward threshold, 1]. Anything between is a gap.
        let down = self
            .tiers
            .iter()
            .filter(|t| !t.word.is_upward())
            .max_by(|a, b| {
                a.rate
                    .cmp(&b.rate)
                    .then(a.word.includes_number().cmp(&b.word.includes_number()))
            });
        let up = self
            .tiers
            .iter()
            .filter(|t| t.word.is_upward())
            .min_by(|a, b| {
                a.rate
                    .cmp(&b.rate)
                    .then(b.word.includes_number().cmp(&a.word.includes_number()))
            });
        let pct = |d: Decimal| (d * Decimal::ONE_HUNDRED).normalize();
        let gap = match (down, up) {
            (None, None) => Some((Decimal::ZERO, Decimal::ONE)),
            (None, Some(u)) if u.rate > Decimal::ZERO || !u.word.includes_number() => {
                Some((Decimal::ZERO, u.rate))
            }
            (Some(d), None) if d.rate < Decimal::ONE || !d.word.includes_number() => {
                Some((d.rate, Decimal::ONE))
            }
            (Some(d), Some(u))
                if d.rate < u.rate
                    || (d.rate == u.rate
                        && !d.word.includes_number()
                        && !u.word.includes_number()) =>
            {
                Some((d.rate, u.rate))
            }
            _ => None,
        };
        gap.map(|(from, to)| {
            (
                format!(
                    "满意度 {}% 至 {}% 之间有不属于任何一档的值",
                    pct(from),
                    pct(to)
                ),
                format!(
                    "some rates between {} % and {} % fall in no tier",
                    pct(from),
                    pct(to)
                ),
            )
        })
        .into_iter()
        .collect()
    }

    /// Refuses a table with a gap, a threshold outside 0–1, negative points, or an overlap
    /// that does not say how it is resolved.
    pub fn validate(&self, item_points: Decimal) -> Result<(), RubricError> {
        if self.tiers.is_empty() {
            return Err(RubricError::invalid(
                "满意度分档为空",
                "the satisfaction table has no tiers",
            ));
        }
        for t in &self.tiers {
            if t.rate < Decimal::ZERO || t.rate > Decimal::ONE {
                return Err(RubricError::invalid(
                    format!("满意度分档 {} 不在 0–1 之间（80% 应写作 0.80）", t.rate),
                    format!(
                        "tier threshold {} is not between 0 and 1 (write 80 % as 0.80)",
                        t.rate
                    ),
                ));
            }
            if t.points < Decimal::ZERO || t.points > item_points {
                return Err(RubricError::invalid(
                    format!(
                        "满意度分档 {} 的分值 {} 超出本项分值 0–{}",
                        t.label(Lang::Zh),
                        t.points,
                        item_points
                    ),
                    format!(
                        "tier {} gives {} points, outside 0–{}",
                        t.label(Lang::En),
                        t.points,
                        item_points
                    ),
                ));
            }
        }
        for (i, a) in self.tiers.iter().enumerate() {
            for b in &self.tiers[i + 1..] {
                if a.rate == b.rate && a.word.is_upward() == b.word.is_upward() {
                    return Err(RubricError::invalid(
                        format!(
                            "满意度分档 {} 与 {} 同向同界，重复",
                            a.label(Lang::Zh),
                            b.label(Lang::Zh)
                        ),
                        format!(
                            "tiers {} and {} repeat a threshold",
                            a.label(Lang::En),
                            b.label(Lang::En)
                        ),
                    ));
                }
            }
        }
        if let Some((zh, en)) = self.gaps().into_iter().next() {
            return Err(RubricError::invalid(zh, en));
        }
        let overlaps = self.overlaps();
        if !overlaps.is_empty() && (self.overlap.is_none() || self.resolution_zh.trim().is_empty())
        {
            let o = &overlaps[0];
            let (u, d) = (&self.tiers[o.upward], &self.tiers[o.downward]);
            return Err(RubricError::invalid(
                format!(
                    "满意度分档“{}”与“{}”重叠，须写明 overlap（higher_tier 或 lower_tier）和 resolution_zh",
                    u.label(Lang::Zh),
                    d.label(Lang::Zh)
                ),
                format!(
                    "tiers \"{}\" and \"{}\" overlap: say which wins (overlap = higher_tier | lower_tier) and why (resolution_zh)",
                    u.label(Lang::En),
                    d.label(Lang::En)
                ),
            ));
        }
        self.sample
            .validate()
            .map_err(|e| RubricError::invalid(e.message(Lang::Zh), e.message(Lang::En)))
    }

    /// The tier a rate falls in. `None` only for a table with a gap, which
    /// [`SatisfactionTable::validate`] refuses.
    pub fn tier_for(&self, rate: SatisfactionRate) -> Option<TierMatch> {
        let r = rate.fraction();
        let up = self
            .tiers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.word.is_upward() && t.contains(r))
            .max_by(|(_, a), (_, b)| a.rate.cmp(&b.rate))
            .map(|(i, _)| i);
        let down = self
            .tiers
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.word.is_upward() && t.contains(r))
            .min_by(|(_, a), (_, b)| a.rate.cmp(&b.rate))
            .map(|(i, _)| i);
        match (up, down) {
            (Some(u), Some(d)) => Some(match self.overlap {
                Some(OverlapRule::LowerTier) => TierMatch {
                    tier: d,
                    overlapped_with: Some(u),
                },
                _ => TierMatch {
                    tier: u,
                    overlapped_with: Some(d),
                },
            }),
            (Some(t), None) | (None, Some(t)) => Some(TierMatch {
                tier: t,
                overlapped_with: None,
            }),
            (None, None) => None,
        }
    }

    /// The points a rate earns.
    pub fn points(&self, rate: SatisfactionRate) -> Decimal {
        self.tier_for(rate)
            .map_or(Decimal::ZERO, |m| self.tiers[m.tier].points)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn erqi_table() -> SatisfactionTable {
        crate::rubric::Rubric::builtin("erqi")
            .expect("erqi")
            .satisfaction
            .expect("satisfaction table")
    }

    #[test]
    fn erqi_points_at_every_boundary() {
        // (rate as the user writes it, points), worked by hand from 附件 item 20.
        let cases: &[(&str, Decimal)] = &[
            ("100%", dec!(10)),
            ("85%", dec!(10)),
            ("80%", dec!(10)), // 80%以上 includes 80
            ("79.9%", dec!(8)),
            ("79.99%", dec!(8)), // no rounding before comparison
            ("70%", dec!(8)),
            ("69.9%", dec!(6)),
            ("60%", dec!(6)),
            ("59.9%", dec!(5)),
            ("50%", dec!(5)), // overlap: 50%以上 (5) and 50%以下 (0); the higher tier wins
            ("49.9%", dec!(0)),
            ("0%", dec!(0)),
            ("0.8", dec!(10)),
            ("0.799", dec!(8)),
        ];
        let t = erqi_table();
        for (input, want) in cases {
            let rate = SatisfactionRate::parse(input).expect("rate");
            assert_eq!(t.points(rate), *want, "{input}");
        }
    }

    #[test]
    fn rates_from_counts_are_exact() {
        let t = erqi_table();
        // (satisfied, responses, points)
        for (s, n, want) in [
            (8, 10, dec!(10)),
            (799, 1000, dec!(8)),
            (2, 3, dec!(6)), // 66.67 %
            (1, 2, dec!(5)), // exactly 50 %
            (49, 100, dec!(0)),
            (0, 12, dec!(0)),
            (12, 12, dec!(10)),
        ] {
            let r = SatisfactionRate::from_counts(s, n).expect("rate");
            assert_eq!(t.points(r), want, "{s}/{n}");
        }
        assert_eq!(
            SatisfactionRate::from_counts(2, 3)
                .expect("rate")
                .percent_text(),
            "66.67%"
        );
        assert!(SatisfactionRate::from_counts(1, 0).is_err());
        assert!(SatisfactionRate::from_counts(4, 3).is_err());
    }

    #[test]
    fn the_fifty_percent_overlap_is_found_and_resolved() {
        let t = erqi_table();
        let o = t.overlaps();
        assert_eq!(o.len(), 1);
        assert_eq!((o[0].from, o[0].to), (dec!(0.50), dec!(0.50)));
        assert_eq!(t.tiers[o[0].upward].label(Lang::Zh), "50%以上");
        assert_eq!(t.tiers[o[0].downward].label(Lang::Zh), "50%以下");
        let m = t
            .tier_for(SatisfactionRate::parse("50%").expect("rate"))
            .expect("tier");
        assert_eq!(t.tiers[m.tier].label(Lang::Zh), "50%以上");
        assert!(m.overlapped_with.is_some());
        let m = t
            .tier_for(SatisfactionRate::parse("60%").expect("rate"))
            .expect("tier");
        assert_eq!(m.overlapped_with, None);
        assert!(t.gaps().is_empty());
        assert!(!t.resolution_zh.is_empty() && !t.resolution_en.is_empty());

        // Without a resolution the table is refused; the lower-tier rule gives 0 at 50 %.
        let mut bare = t.clone();
        bare.overlap = None;
        assert!(bare.validate(dec!(10)).is_err());
        let mut lower = t.clone();
        lower.overlap = Some(OverlapRule::LowerTier);
        assert_eq!(
            lower.points(SatisfactionRate::parse("50%").expect("rate")),
            dec!(0)
        );
        assert_eq!(
            lower.points(SatisfactionRate::parse("50.1%").expect("rate")),
            dec!(5)
        );
    }

    #[test]
    fn boundary_words_follow_the_civil_code() {
        // (word, threshold, x, contained)
        let cases = [
            (BoundWord::AtLeast, dec!(0.5), dec!(0.5), true),
            (BoundWord::Over, dec!(0.5), dec!(0.5), false),
            (BoundWord::AtMost, dec!(0.5), dec!(0.5), true),
            (BoundWord::Under, dec!(0.5), dec!(0.5), false),
            (BoundWord::Over, dec!(0.5), dec!(0.5001), true),
            (BoundWord::Under, dec!(0.5), dec!(0.4999), true),
        ];
        for (w, th, x, want) in cases {
            assert_eq!(w.contains(th, x), want, "{w:?} {th} {x}");
        }
    }

    #[test]
    fn gaps_are_refused() {
        let mut t = erqi_table();
        // "超过50%得5分 … 不满50%不得分": exactly 50 % is in neither.
        t.tiers[3].word = BoundWord::Over;
        t.tiers[4].word = BoundWord::Under;
        assert_eq!(t.gaps().len(), 1);
        assert!(t.overlaps().is_empty());
        assert!(t.validate(dec!(10)).is_err());
        // Only upward tiers: below the lowest threshold is a gap.
        t.tiers.truncate(4);
        assert!(t.gaps()[0].0.contains("0% 至 50%"));
    }

    #[test]
    fn rate_parsing() {
        for ok in ["0", "1", "0.83", "83%", " 83.5 % ", "100%", "83％"] {
            assert!(SatisfactionRate::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["83", "-0.1", "101%", "abc", "", "1.01"] {
            assert!(SatisfactionRate::parse(bad).is_err(), "{bad}");
        }
    }
}
