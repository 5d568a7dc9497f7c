//! Survey sample sizes (满意度调查样本量) and whether a survey is valid.
//!
//! Two rules from the seeds:
//!
//! - Erqi (seed 002, 附件 item 20): "每个小区样本数不少于10%" — at least 10 % of households.
//! - Daqintala (seed 004, 三（四）): "100户以下的小区抽样户数不少于10户，超过100户的小区抽样调查比例为10%"
//!   — at most 100 households (以下 includes 100): at least 10 households; over 100 (超过
//!   excludes 100): 10 %.
//!
//! A percentage is rounded **up** to a whole household (10 % of 101 = 10.1 → 11): a sample of
//! 10 would be under 10 %. A sample can never exceed the households there are, so a compound
//! with 9 households under Daqintala's "at least 10" is surveyed in full: 9.
//!
//! A survey with fewer responses than the required sample is invalid and is not scored.

use anju_core::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A sample-size rule (抽样规则). Read it as: for a compound of at most
/// `small_max_households` households, at least `small_min_sample` households; otherwise at
/// least `percent` % of the households, rounded up; never more than all households.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleRule {
    /// The rule as the policy words it.
    #[serde(default)]
    pub text_zh: String,
    #[serde(default)]
    pub text_en: String,
    /// Minimum share of households, in percent (10 means 10 %).
    pub percent: Decimal,
    /// Compounds with at most this many households (以下: inclusive) use `small_min_sample`.
    #[serde(default)]
    pub small_max_households: Option<u32>,
    /// The minimum sample, in households, for a small compound.
    #[serde(default)]
    pub small_min_sample: Option<u32>,
}

/// Why a survey is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SampleError {
    #[error(
        "样本不足：{households} 户的小区应至少抽样 {required} 户，实收有效问卷 {responses} 份，调查无效"
    )]
    TooFew {
        households: u32,
        required: u32,
        responses: u32,
    },
    #[error("有效问卷 {responses} 份多于小区总户数 {households} 户，数据有误")]
    MoreThanHouseholds { households: u32, responses: u32 },
    #[error("抽样规则无效：{0}")]
    InvalidRule(String),
}

impl SampleError {
    /// The message in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Zh) => self.to_string(),
            (
                SampleError::TooFew {
                    households,
                    required,
                    responses,
                },
                Lang::En,
            ) => format!(
                "sample too small: a compound of {households} households needs at least {required} responses, got {responses}; the survey is invalid"
            ),
            (
                SampleError::MoreThanHouseholds {
                    households,
                    responses,
                },
                Lang::En,
            ) => format!(
                "{responses} valid responses is more than the compound's {households} households"
            ),
            (SampleError::InvalidRule(why), Lang::En) => format!("invalid sample rule: {why}"),
        }
    }
}

impl SampleRule {
    /// Erqi: at least 10 % of households (seed 002, 附件 item 20).
    pub fn erqi() -> SampleRule {
        SampleRule {
            text_zh: "每个小区样本数不少于10%".into(),
            text_en: "a sample of at least 10 % of each compound's households".into(),
            percent: Decimal::TEN,
            small_max_households: None,
            small_min_sample: None,
        }
    }

    /// Daqintala: ≤ 100 households → at least 10; > 100 → 10 % (seed 004, 三（四）).
    pub fn daqintala() -> SampleRule {
        SampleRule {
            text_zh: "100户以下的小区抽样户数不少于10户，超过100户的小区抽样调查比例为10%".into(),
            text_en: "compounds of 100 households or fewer: at least 10 households; over 100: 10 %"
                .into(),
            percent: Decimal::TEN,
            small_max_households: Some(100),
            small_min_sample: Some(10),
        }
    }

    /// A built-in rule by name: `erqi` or `daqintala`.
    pub fn builtin(name: &str) -> Option<SampleRule> {
        match name {
            "erqi" => Some(SampleRule::erqi()),
            "daqintala" => Some(SampleRule::daqintala()),
            _ => None,
        }
    }

    /// Checks the rule itself (called when a rule is loaded from data).
    pub fn validate(&self) -> Result<(), SampleError> {
        if self.percent <= Decimal::ZERO || self.percent > Decimal::ONE_HUNDRED {
            return Err(SampleError::InvalidRule(format!(
                "抽样比例 {}% 应在 0–100% 之间（不含0）",
                self.percent.normalize()
            )));
        }
        if self.small_max_households.is_some() != self.small_min_sample.is_some() {
            return Err(SampleError::InvalidRule(
                "small_max_households 与 small_min_sample 须同时给出".into(),
            ));
        }
        Ok(())
    }

    /// The number of households that must be sampled, rounded up to a whole household and
    /// never more than `households`.
    ///
    /// Erqi: 9 → 1, 10 → 1, 99 → 10, 100 → 10, 101 → 11, 1,000 → 100.
    /// Daqintala: 9 → 9 (all of them), 10 → 10, 99 → 10, 100 → 10, 101 → 11, 1,000 → 100.
    pub fn required_sample(&self, households: u32) -> u32 {
        let wanted = match (self.small_max_households, self.small_min_sample) {
            (Some(max), Some(min)) if households <= max => min,
            _ => {
                let exact = Decimal::from(households) * self.percent / Decimal::ONE_HUNDRED;
                // The percentage is at most 100 %, so the result fits in u32.
                u32::try_from(exact.ceil()).unwrap_or(households)
            }
        };
        wanted.min(households)
    }

    /// Checks a survey of `responses` valid questionnaires (one per household) in a compound
    /// of `households` households.
    pub fn check(&self, responses: u32, households: u32) -> Result<(), SampleError> {
        if responses > households {
            return Err(SampleError::MoreThanHouseholds {
                households,
                responses,
            });
        }
        let required = self.required_sample(households);
        if responses < required {
            return Err(SampleError::TooFew {
                households,
                required,
                responses,
            });
        }
        Ok(())
    }

    /// Whether a survey of `responses` in a compound of `households` is valid (is scored).
    pub fn survey_valid(&self, responses: u32, households: u32) -> bool {
        self.check(responses, households).is_ok()
    }

    /// The rule in the reader's language.
    pub fn describe(&self, lang: Lang) -> String {
        let text = lang.pick(&self.text_zh, &self.text_en);
        if !text.is_empty() {
            return text.to_string();
        }
        let p = self.percent.normalize();
        match (self.small_max_households, self.small_min_sample, lang) {
            (Some(max), Some(min), Lang::Zh) => {
                format!("{max}户以下至少抽样{min}户，超过{max}户抽样{p}%（向上取整）")
            }
            (Some(max), Some(min), Lang::En) => {
                format!("{max} households or fewer: at least {min}; over {max}: {p} % (rounded up)")
            }
            (_, _, Lang::Zh) => format!("样本不少于总户数的{p}%（向上取整）"),
            (_, _, Lang::En) => format!("at least {p} % of households (rounded up)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_sample_sizes() {
        // (households, Erqi ≥ 10 %, Daqintala ≤ 100 → ≥ 10, > 100 → 10 %), worked by hand.
        let cases: &[(u32, u32, u32)] = &[
            (0, 0, 0),
            (1, 1, 1),
            (9, 1, 9),   // Erqi ceil(0.9) = 1; Daqintala wants 10 but only 9 exist
            (10, 1, 10), // ceil(1.0) = 1
            (11, 2, 10), // ceil(1.1) = 2
            (50, 5, 10),
            (99, 10, 10),  // ceil(9.9) = 10
            (100, 10, 10), // 100户以下 includes 100
            (101, 11, 11), // ceil(10.1) = 11; 超过100户 → 10 %
            (109, 11, 11), // ceil(10.9)
            (110, 11, 11), // exactly 11
            (111, 12, 12), // ceil(11.1)
            (1_000, 100, 100),
            (1_001, 101, 101),
        ];
        let erqi = SampleRule::erqi();
        let daqintala = SampleRule::daqintala();
        for &(households, want_erqi, want_daqintala) in cases {
            assert_eq!(
                erqi.required_sample(households),
                want_erqi,
                "erqi {households}"
            );
            assert_eq!(
                daqintala.required_sample(households),
                want_daqintala,
                "daqintala {households}"
            );
        }
    }

    #[test]
    fn sample_never_exceeds_households() {
        for rule in [SampleRule::erqi(), SampleRule::daqintala()] {
            for households in 0..=2_000 {
                let n = rule.required_sample(households);
                assert!(n <= households, "{households}: {n}");
                assert!(households == 0 || n >= 1, "{households}: {n}");
            }
        }
    }

    #[test]
    fn survey_validity() {
        // (rule, responses, households, valid)
        let cases: &[(&str, u32, u32, bool)] = &[
            ("erqi", 11, 101, true),
            ("erqi", 10, 101, false), // 10 < ceil(10.1)
            ("erqi", 100, 1_000, true),
            ("erqi", 99, 1_000, false),
            ("erqi", 1, 9, true),
            ("erqi", 0, 9, false),
            ("daqintala", 10, 100, true),
            ("daqintala", 9, 100, false),
            ("daqintala", 9, 9, true), // the whole compound
            ("daqintala", 8, 9, false),
            ("daqintala", 11, 101, true),
            ("daqintala", 10, 101, false),
            ("daqintala", 10, 9, false), // more responses than households
        ];
        for &(rule, responses, households, valid) in cases {
            let r = SampleRule::builtin(rule).expect("builtin rule");
            assert_eq!(
                r.survey_valid(responses, households),
                valid,
                "{rule} {responses}/{households}"
            );
        }
    }

    #[test]
    fn errors_name_the_numbers() {
        let e = SampleRule::daqintala().check(9, 100).expect_err("too few");
        assert_eq!(
            e,
            SampleError::TooFew {
                households: 100,
                required: 10,
                responses: 9
            }
        );
        assert!(e.to_string().contains("应至少抽样 10 户"));
        assert!(e.message(Lang::En).contains("at least 10 responses"));
        let e = SampleRule::erqi()
            .check(12, 10)
            .expect_err("more than households");
        assert!(matches!(e, SampleError::MoreThanHouseholds { .. }));
    }

    #[test]
    fn rule_validation() {
        assert!(SampleRule::erqi().validate().is_ok());
        assert!(SampleRule::daqintala().validate().is_ok());
        let mut bad = SampleRule::erqi();
        bad.percent = Decimal::ZERO;
        assert!(bad.validate().is_err());
        let mut bad = SampleRule::erqi();
        bad.small_max_households = Some(100);
        assert!(bad.validate().is_err());
    }

    #[test]
    fn describes_itself() {
        assert_eq!(
            SampleRule::erqi().describe(Lang::Zh),
            "每个小区样本数不少于10%"
        );
        let bare = SampleRule {
            text_zh: String::new(),
            text_en: String::new(),
            ..SampleRule::daqintala()
        };
        assert_eq!(
            bare.describe(Lang::Zh),
            "100户以下至少抽样10户，超过100户抽样10%（向上取整）"
        );
    }
}
