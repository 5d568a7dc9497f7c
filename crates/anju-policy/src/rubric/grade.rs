//! Grades (等次) from a band table.
//!
//! Erqi, seed 002 七（二）1: "95分（含95分）以上的为优秀；85分—95分（含85分）的为良好；70分—85分（含70分）
//! 的为合格；70分以下的为不合格". Each band starts at its `min`, included (含), and runs up to the
//! next band's `min`, excluded: ≥ 95 优秀, [85, 95) 良好, [70, 85) 合格, < 70 不合格.

use super::error::RubricError;
use anju_core::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One grade band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// Stable code other parts key on (subsidy rates by grade): `excellent`, `good`, `pass`, `fail`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The lowest total in the band, included.
    pub min: Decimal,
    /// The band as the policy words it.
    #[serde(default)]
    pub rule_zh: String,
    #[serde(default)]
    pub rule_en: String,
}

impl Grade {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }
}

/// Grade bands, highest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GradeBands(pub Vec<Grade>);

impl GradeBands {
    /// Bands must be listed highest first with strictly falling `min`, unique codes, and the
    /// last band must start at 0 so that every total has a grade.
    pub fn validate(&self) -> Result<(), RubricError> {
        let Some(last) = self.0.last() else {
            return Err(RubricError::invalid("没有等次", "no grade bands"));
        };
        if last.min != Decimal::ZERO {
            return Err(RubricError::invalid(
                format!("最低等次“{}”应从 0 分起", last.name_zh),
                format!("the lowest band \"{}\" must start at 0", last.name_en),
            ));
        }
        for w in self.0.windows(2) {
            if w[0].min <= w[1].min {
                return Err(RubricError::invalid(
                    format!(
                        "等次应从高到低排列：“{}”({}) 在 “{}”({}) 之前",
                        w[0].name_zh, w[0].min, w[1].name_zh, w[1].min
                    ),
                    format!(
                        "bands must fall: \"{}\" ({}) before \"{}\" ({})",
                        w[0].name_en, w[0].min, w[1].name_en, w[1].min
                    ),
                ));
            }
        }
        for (i, g) in self.0.iter().enumerate() {
            if self.0[..i].iter().any(|h| h.code == g.code) {
                return Err(RubricError::invalid(
                    format!("等次代码 {} 重复", g.code),
                    format!("grade code {} repeats", g.code),
                ));
            }
        }
        Ok(())
    }

    /// The band a total falls in: the first (highest) band whose `min` it reaches.
    pub fn grade(&self, total: Decimal) -> Option<&Grade> {
        self.0.iter().find(|g| total >= g.min)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    #[test]
    fn erqi_grades_at_every_boundary() {
        let r = crate::rubric::Rubric::builtin("erqi").expect("erqi");
        // (total, grade), worked by hand from 七（二）1.
        let cases = [
            (dec!(100), "优秀"),
            (dec!(95), "优秀"), // 95分（含95分）以上
            (dec!(94.9), "良好"),
            (dec!(94.99), "良好"),
            (dec!(85), "良好"), // 含85分
            (dec!(84.9), "合格"),
            (dec!(70), "合格"), // 含70分
            (dec!(69.9), "不合格"),
            (dec!(0), "不合格"),
        ];
        for (total, want) in cases {
            let g = r.grades.grade(total).expect("every total has a grade");
            assert_eq!(g.name_zh, want, "{total}");
        }
        let codes: Vec<&str> = r.grades.0.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes, ["excellent", "good", "pass", "fail"]);
    }

    #[test]
    fn bands_must_fall_and_start_at_zero() {
        let r = crate::rubric::Rubric::builtin("erqi").expect("erqi");
        let mut b = r.grades.clone();
        b.0.swap(0, 1);
        assert!(b.validate().is_err());
        let mut b = r.grades.clone();
        b.0.pop();
        assert!(b.validate().is_err());
    }
}
