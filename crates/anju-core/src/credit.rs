//! 信用档案: a property company's credit file and the grade computed from it.
//!
//! Seed 003 (山亭区) 四(二): "建立健全物业服务企业信用档案制度，完善物业服务企业不良行为记录公示制度和监督
//! 考评机制。建立健全物业投诉责任机制和淘汰、退出机制". The file holds four kinds of record:
//! assessments (考核, a score out of 100), bad conduct (不良行为), complaints (投诉, counted) and
//! dismissals (解聘).
//!
//! The grade, with every figure from a [`CreditScheme`] (default: `credit_default.toml`):
//!
//! ```text
//! window  = records dated after (as_of − window_months) and on or before as_of
//! base    = mean of the window's assessment scores, half-up to 0.01;
//!           base_without_assessment (80) when the window has none
//! score   = base
//!           − Σ bad-conduct points (each record's own points, else bad_conduct_points = 5)
//!           − ⌊complaints ÷ complaints_per_deduction (5)⌋ × complaint_points (1)
//!           − dismissals × dismissal_points (10)
//!           clamped to 0–100
//! grade   = the band holding the score: AAA [85, 100], AA [80, 85), A [70, 80), B [60, 70),
//!           C [0, 60)
//! ```
//!
//! Exact decimals throughout (`rust_decimal`), never a float.

use crate::planning::Explain;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The embedded default scheme (Yantai's bands).
pub const DEFAULT_SCHEME_TOML: &str = include_str!("credit_default.toml");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditError {
    #[error("信用等级方案无法读取：{0}")]
    Parse(String),
    #[error("信用等级方案有误：{0}")]
    Scheme(String),
    #[error("信用记录不合法：{0}")]
    Record(String),
}

/// The kinds of record in a credit file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 考核 (a score 0–100 for a period, by an assessor)
    Assessment,
    /// 不良行为记录
    BadConduct,
    /// 投诉 (a count for a period)
    Complaint,
    /// 解聘 (dismissed from a compound)
    Dismissal,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [
        RecordKind::Assessment,
        RecordKind::BadConduct,
        RecordKind::Complaint,
        RecordKind::Dismissal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Assessment => "assessment",
            RecordKind::BadConduct => "bad_conduct",
            RecordKind::Complaint => "complaint",
            RecordKind::Dismissal => "dismissal",
        }
    }

    pub fn from_code(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            RecordKind::Assessment => "考核",
            RecordKind::BadConduct => "不良行为",
            RecordKind::Complaint => "投诉",
            RecordKind::Dismissal => "解聘",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            RecordKind::Assessment => "assessment",
            RecordKind::BadConduct => "bad conduct",
            RecordKind::Complaint => "complaints",
            RecordKind::Dismissal => "dismissal",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }
}

/// One record of a credit file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CreditRecord {
    pub kind: RecordKind,
    pub happened_on: jiff::civil::Date,
    /// The period an assessment or a complaint count covers ("2022", "2022-H1", "2022-10").
    pub period: Option<String>,
    /// Assessment score, 0–100, at most two decimals.
    pub score: Option<Decimal>,
    /// Points a bad-conduct record deducts (the scheme's default when `None`).
    pub points: Option<Decimal>,
    /// Number of complaints a complaint record counts (≥ 1).
    pub complaints: Option<u32>,
    /// Who assessed (考核单位).
    pub assessor: Option<String>,
    /// The compound concerned (a dismissal names it).
    pub compound: Option<String>,
    /// What happened, the reason.
    pub note: Option<String>,
}

impl CreditRecord {
    /// A record of `kind` on `date` with nothing else filled in.
    pub fn new(kind: RecordKind, happened_on: jiff::civil::Date) -> CreditRecord {
        CreditRecord {
            kind,
            happened_on,
            period: None,
            score: None,
            points: None,
            complaints: None,
            assessor: None,
            compound: None,
            note: None,
        }
    }

    /// Checks what each kind needs: an assessment a score in 0–100 with at most two decimals,
    /// a complaint record a count ≥ 1, points ≥ 0 with at most two decimals.
    pub fn validate(&self) -> Result<(), CreditError> {
        let two_dp = |d: Decimal| d.normalize().scale() <= 2;
        if let Some(s) = self.score
            && (s < Decimal::ZERO || s > Decimal::ONE_HUNDRED || !two_dp(s))
        {
            return Err(CreditError::Record(format!(
                "考核分 {s} 应在 0 至 100 之间，最多两位小数"
            )));
        }
        if let Some(p) = self.points
            && (p < Decimal::ZERO || !two_dp(p))
        {
            return Err(CreditError::Record(format!(
                "扣分 {p} 不能为负，最多两位小数"
            )));
        }
        match self.kind {
            RecordKind::Assessment if self.score.is_none() => {
                Err(CreditError::Record("考核记录必须有分数".into()))
            }
            RecordKind::Complaint if self.complaints.is_none_or(|n| n == 0) => Err(
                CreditError::Record("投诉记录必须有投诉件数（至少 1 件）".into()),
            ),
            _ => Ok(()),
        }
    }
}

/// A grade band; each end says whether it includes the boundary score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub grade: String,
    pub min: Decimal,
    pub min_inclusive: bool,
    pub max: Decimal,
    pub max_inclusive: bool,
}

impl Band {
    pub fn contains(&self, s: Decimal) -> bool {
        let lo = if self.min_inclusive {
            s >= self.min
        } else {
            s > self.min
        };
        let hi = if self.max_inclusive {
            s <= self.max
        } else {
            s < self.max
        };
        lo && hi
    }

    /// "[80, 85)" — the interval as a mathematician writes it.
    pub fn interval(&self) -> String {
        format!(
            "{}{}, {}{}",
            if self.min_inclusive { '[' } else { '(' },
            self.min,
            self.max,
            if self.max_inclusive { ']' } else { ')' }
        )
    }
}

/// How a credit grade is computed: see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditScheme {
    pub name: String,
    pub window_months: u32,
    pub base_without_assessment: Decimal,
    pub bad_conduct_points: Decimal,
    pub complaints_per_deduction: u32,
    pub complaint_points: Decimal,
    pub dismissal_points: Decimal,
    pub bands: Vec<Band>,
    /// A company graded below this grade may not register in a public selection (seed 003
    /// 三（二）"淘汰、退出机制"; the grade is the scheme's to name). None: no bar by grade.
    #[serde(default)]
    pub selection_bar_below: Option<String>,
    /// A company with a bad-conduct record in the window (the 不良行为公示 list) may not register
    /// in a public selection while the record stands.
    #[serde(default = "bar_by_default")]
    pub bad_conduct_bars_selection: bool,
}

fn bar_by_default() -> bool {
    true
}

/// Why a company may not register in a public selection now, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionBar {
    pub zh: String,
    pub en: String,
}

/// Whether the credit file bars a company from registering in a public selection on `as_of`:
/// a bad-conduct record within the scheme's window (while it stands on the public list), or a
/// grade below `selection_bar_below`. `None`: it may register.
pub fn selection_bar(
    records: &[CreditRecord],
    scheme: &CreditScheme,
    as_of: jiff::civil::Date,
) -> Option<SelectionBar> {
    if scheme.bad_conduct_bars_selection {
        let listed = standing_bad_conduct(records, scheme, as_of);
        if let Some(first) = listed.first() {
            let until = last_day_listed(first.happened_on, scheme);
            let what = first.note.clone().unwrap_or_default();
            return Some(SelectionBar {
                zh: format!(
                    "该企业在不良行为记录公示名单中（{} {what}，共 {} 条），记录之日起 {} 个月内不得报名参加公开选聘（至 {until} 止）",
                    first.happened_on,
                    listed.len(),
                    scheme.window_months
                ),
                en: format!(
                    "the company is on the public list of bad conduct ({} {what}, {} record(s)); it may not register for {} months from the record (until {until})",
                    first.happened_on,
                    listed.len(),
                    scheme.window_months
                ),
            });
        }
    }
    let below = scheme.selection_bar_below.as_deref()?;
    let limit = scheme.bands.iter().position(|b| b.grade == below)?;
    let g = grade(records, scheme, as_of);
    let at = scheme.bands.iter().position(|b| b.grade == g.grade)?;
    (at > limit).then(|| SelectionBar {
        zh: format!(
            "该企业信用等级为 {}（{} 分，截至 {as_of}），低于 {below} 级，不得报名参加公开选聘",
            g.grade, g.score
        ),
        en: format!(
            "the company's credit grade is {} ({} points as of {as_of}), below {below}: it may not register",
            g.grade, g.score
        ),
    })
}

/// The last day a record dated `happened_on` counts (and a bad-conduct record stands on the
/// public list): the window ends, exclusive, `window_months` after it.
pub fn last_day_listed(happened_on: jiff::civil::Date, scheme: &CreditScheme) -> jiff::civil::Date {
    happened_on
        .checked_add(jiff::Span::new().months(i64::from(scheme.window_months)))
        .and_then(|d| d.yesterday())
        .ok()
        .unwrap_or(jiff::civil::Date::MAX)
}

/// The bad-conduct records that stand on `as_of` (dated within the window), newest first: the
/// public list (不良行为记录公示).
pub fn standing_bad_conduct<'a>(
    records: &'a [CreditRecord],
    scheme: &CreditScheme,
    as_of: jiff::civil::Date,
) -> Vec<&'a CreditRecord> {
    // Standing from its day through its last day listed (so the list and the bar agree with
    // the day shown, month ends included).
    let mut list: Vec<&CreditRecord> = records
        .iter()
        .filter(|r| {
            r.kind == RecordKind::BadConduct
                && r.happened_on <= as_of
                && as_of <= last_day_listed(r.happened_on, scheme)
        })
        .collect();
    list.sort_by_key(|r| std::cmp::Reverse(r.happened_on));
    list
}

impl CreditScheme {
    /// The embedded default (Yantai's bands).
    pub fn yantai_default() -> CreditScheme {
        CreditScheme::from_toml(DEFAULT_SCHEME_TOML)
            .unwrap_or_else(|e| unreachable!("the embedded scheme is valid (tested): {e}"))
    }

    /// Reads and checks a scheme: bands sorted from the top, covering 0–100 with no gap and
    /// no overlap at any boundary.
    pub fn from_toml(text: &str) -> Result<CreditScheme, CreditError> {
        let mut s: CreditScheme =
            toml::from_str(text).map_err(|e| CreditError::Parse(e.to_string()))?;
        s.check()?;
        s.bands.sort_by_key(|b| std::cmp::Reverse(b.min));
        Ok(s)
    }

    fn check(&self) -> Result<(), CreditError> {
        let err = |m: String| Err(CreditError::Scheme(m));
        if self.window_months == 0 {
            return err("window_months 必须大于 0".into());
        }
        if let Some(g) = &self.selection_bar_below
            && !self.bands.iter().any(|b| &b.grade == g)
        {
            return err(format!("selection_bar_below 的等级“{g}”不在 bands 中"));
        }
        if self.complaints_per_deduction == 0 {
            return err("complaints_per_deduction 必须大于 0".into());
        }
        for (k, v) in [
            ("base_without_assessment", self.base_without_assessment),
            ("bad_conduct_points", self.bad_conduct_points),
            ("complaint_points", self.complaint_points),
            ("dismissal_points", self.dismissal_points),
        ] {
            if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
                return err(format!("{k} = {v} 应在 0 至 100 之间"));
            }
        }
        let mut bands: Vec<&Band> = self.bands.iter().collect();
        bands.sort_by_key(|b| b.min);
        let (Some(first), Some(last)) = (bands.first(), bands.last()) else {
            return err("没有等级分档".into());
        };
        if first.min != Decimal::ZERO || !first.min_inclusive {
            return err(format!(
                "最低一档 {} {} 应从 0 分（含）开始",
                first.grade,
                first.interval()
            ));
        }
        if last.max != Decimal::ONE_HUNDRED || !last.max_inclusive {
            return err(format!(
                "最高一档 {} {} 应到 100 分（含）为止",
                last.grade,
                last.interval()
            ));
        }
        for b in &bands {
            if b.min >= b.max {
                return err(format!("{} {} 下限不小于上限", b.grade, b.interval()));
            }
        }
        for w in bands.windows(2) {
            let (lo, hi) = (w[0], w[1]);
            if lo.max != hi.min {
                return err(format!(
                    "{} {} 与 {} {} 之间{}",
                    lo.grade,
                    lo.interval(),
                    hi.grade,
                    hi.interval(),
                    if lo.max < hi.min {
                        "有空档"
                    } else {
                        "重叠"
                    }
                ));
            }
            match (lo.max_inclusive, hi.min_inclusive) {
                (true, true) => {
                    return err(format!(
                        "{} 分同时属于 {} 与 {}（重叠）",
                        lo.max, lo.grade, hi.grade
                    ));
                }
                (false, false) => {
                    return err(format!(
                        "{} 分既不属于 {} 也不属于 {}（空档）",
                        lo.max, lo.grade, hi.grade
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The band holding a score in 0–100 (bands cover it exactly once).
    pub fn band_of(&self, score: Decimal) -> Option<&Band> {
        self.bands.iter().find(|b| b.contains(score))
    }
}

/// A computed grade and how it came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CreditGrade {
    pub as_of: jiff::civil::Date,
    pub scheme: String,
    pub base: Decimal,
    pub assessments: usize,
    pub bad_conduct: usize,
    pub bad_conduct_points: Decimal,
    pub complaints: u32,
    pub complaint_points: Decimal,
    pub dismissals: usize,
    pub dismissal_points: Decimal,
    /// 0–100, two decimals.
    pub score: Decimal,
    pub grade: String,
    pub band: String,
    pub explanation: Vec<Explain>,
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The grade of a credit file as of a date. See the module documentation for the formula.
pub fn grade(
    records: &[CreditRecord],
    scheme: &CreditScheme,
    as_of: jiff::civil::Date,
) -> CreditGrade {
    let from = as_of
        .checked_sub(jiff::Span::new().months(i64::from(scheme.window_months)))
        .unwrap_or(jiff::civil::Date::MIN);
    let counted: Vec<&CreditRecord> = records
        .iter()
        .filter(|r| r.happened_on > from && r.happened_on <= as_of)
        .collect();
    let mut ex = Vec::new();
    ex.push(Explain {
        zh: format!(
            "按“{}”计算：计入 {} 之后至 {}（含）的记录，共 {} 条（档案共 {} 条）",
            scheme.name,
            from,
            as_of,
            counted.len(),
            records.len()
        ),
        en: format!(
            "scheme \"{}\": records dated after {from} up to and including {as_of} count: {} of {}",
            scheme.name,
            counted.len(),
            records.len()
        ),
    });

    let scores: Vec<Decimal> = counted
        .iter()
        .filter(|r| r.kind == RecordKind::Assessment)
        .filter_map(|r| r.score)
        .collect();
    let base = if scores.is_empty() {
        ex.push(Explain {
            zh: format!(
                "期内无考核记录：基础分取方案默认值 {}",
                scheme.base_without_assessment
            ),
            en: format!(
                "no assessment in the window: base is the scheme's default {}",
                scheme.base_without_assessment
            ),
        });
        scheme.base_without_assessment
    } else {
        let sum: Decimal = scores.iter().copied().sum();
        let mean = round2(sum / Decimal::from(scores.len() as u64));
        let list: Vec<String> = scores.iter().map(|s| s.to_string()).collect();
        ex.push(Explain {
            zh: format!(
                "基础分 = 期内 {} 次考核的平均分（{}）= {mean}",
                scores.len(),
                list.join("、")
            ),
            en: format!(
                "base = mean of {} assessments in the window ({}) = {mean}",
                scores.len(),
                list.join(", ")
            ),
        });
        mean
    };

    let bad: Vec<&&CreditRecord> = counted
        .iter()
        .filter(|r| r.kind == RecordKind::BadConduct)
        .collect();
    let bad_points: Decimal = bad
        .iter()
        .map(|r| r.points.unwrap_or(scheme.bad_conduct_points))
        .sum();
    if !bad.is_empty() {
        ex.push(Explain {
            zh: format!(
                "不良行为 {} 条，扣 {bad_points} 分（每条按记录所载分值，未载明的扣 {} 分）",
                bad.len(),
                scheme.bad_conduct_points
            ),
            en: format!(
                "{} bad-conduct records deduct {bad_points} (each its own points, else {})",
                bad.len(),
                scheme.bad_conduct_points
            ),
        });
    }

    let complaints: u32 = counted
        .iter()
        .filter(|r| r.kind == RecordKind::Complaint)
        .map(|r| r.complaints.unwrap_or(0))
        .sum();
    let blocks = complaints / scheme.complaints_per_deduction;
    let complaint_points = scheme.complaint_points * Decimal::from(blocks);
    if complaints > 0 {
        ex.push(Explain {
            zh: format!(
                "投诉 {complaints} 件，每满 {} 件扣 {} 分：扣 {complaint_points} 分",
                scheme.complaints_per_deduction, scheme.complaint_points
            ),
            en: format!(
                "{complaints} complaints, {} per full {}: {complaint_points} deducted",
                scheme.complaint_points, scheme.complaints_per_deduction
            ),
        });
    }

    let dismissals = counted
        .iter()
        .filter(|r| r.kind == RecordKind::Dismissal)
        .count();
    let dismissal_points = scheme.dismissal_points * Decimal::from(dismissals as u64);
    if dismissals > 0 {
        ex.push(Explain {
            zh: format!(
                "解聘 {dismissals} 次，每次扣 {} 分：扣 {dismissal_points} 分",
                scheme.dismissal_points
            ),
            en: format!(
                "{dismissals} dismissals at {} each: {dismissal_points} deducted",
                scheme.dismissal_points
            ),
        });
    }

    let raw = base - bad_points - complaint_points - dismissal_points;
    let score = round2(raw.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED));
    if raw != score {
        ex.push(Explain {
            zh: format!("{raw} 超出 0–100，按 {score} 计"),
            en: format!("{raw} is outside 0–100: {score}"),
        });
    }
    let (grade, band) = match scheme.band_of(score) {
        Some(b) => (b.grade.clone(), b.interval()),
        None => ("?".to_string(), String::new()),
    };
    ex.push(Explain {
        zh: format!(
            "信用分 {base} − {bad_points} − {complaint_points} − {dismissal_points} = {score}，落在 {grade} 档 {band}"
        ),
        en: format!(
            "credit score {base} − {bad_points} − {complaint_points} − {dismissal_points} = {score}, in band {grade} {band}"
        ),
    });
    CreditGrade {
        as_of,
        scheme: scheme.name.clone(),
        base,
        assessments: scores.len(),
        bad_conduct: bad.len(),
        bad_conduct_points: bad_points,
        complaints,
        complaint_points,
        dismissals,
        dismissal_points,
        score,
        grade,
        band,
        explanation: ex,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use rust_decimal_macros::dec;

    fn assessed(score: Decimal, on: jiff::civil::Date) -> CreditRecord {
        CreditRecord {
            score: Some(score),
            ..CreditRecord::new(RecordKind::Assessment, on)
        }
    }

    #[test]
    fn band_boundaries_of_the_default_scheme() {
        let s = CreditScheme::yantai_default();
        for (score, grade) in [
            (dec!(100), "AAA"),
            (dec!(85), "AAA"),
            (dec!(84.99), "AA"),
            (dec!(80), "AA"),
            (dec!(79.99), "A"),
            (dec!(70), "A"),
            (dec!(69.99), "B"),
            (dec!(60), "B"),
            (dec!(59.99), "C"),
            (dec!(0), "C"),
        ] {
            assert_eq!(
                s.band_of(score).map(|b| b.grade.as_str()),
                Some(grade),
                "{score}"
            );
            let g = grade_of(&[assessed(score, date(2022, 6, 1))], &s);
            assert_eq!((g.score, g.grade.as_str()), (score, grade));
        }
    }

    fn grade_of(r: &[CreditRecord], s: &CreditScheme) -> CreditGrade {
        grade(r, s, date(2022, 12, 31))
    }

    #[test]
    fn formula_with_every_kind_of_record() {
        let s = CreditScheme::yantai_default();
        let on = date(2022, 9, 1);
        let records = vec![
            assessed(dec!(90), date(2022, 6, 30)),
            assessed(dec!(87.5), date(2022, 12, 31)),
            // Out of the window: exactly 12 months before, and after the as-of date.
            assessed(dec!(10), date(2021, 12, 31)),
            assessed(dec!(10), date(2023, 1, 1)),
            CreditRecord {
                note: Some("未按规定公示收费".into()),
                ..CreditRecord::new(RecordKind::BadConduct, on)
            },
            CreditRecord {
                points: Some(dec!(2.5)),
                ..CreditRecord::new(RecordKind::BadConduct, on)
            },
            CreditRecord {
                complaints: Some(7),
                ..CreditRecord::new(RecordKind::Complaint, on)
            },
            CreditRecord {
                complaints: Some(4),
                ..CreditRecord::new(RecordKind::Complaint, on)
            },
            CreditRecord {
                compound: Some("光明小区".into()),
                ..CreditRecord::new(RecordKind::Dismissal, on)
            },
        ];
        let g = grade_of(&records, &s);
        // base (90 + 87.5) / 2 = 88.75; − (5 + 2.5) − ⌊11 / 5⌋ × 1 − 10 = 69.25 → B.
        assert_eq!(g.base, dec!(88.75));
        assert_eq!(g.assessments, 2);
        assert_eq!(g.bad_conduct_points, dec!(7.5));
        assert_eq!((g.complaints, g.complaint_points), (11, dec!(2)));
        assert_eq!(g.dismissal_points, dec!(10));
        assert_eq!(g.score, dec!(69.25));
        assert_eq!(g.grade, "B");
        assert!(
            g.explanation
                .last()
                .is_some_and(|e| e.zh.contains("B 档 [60, 70)"))
        );
    }

    #[test]
    fn no_assessment_starts_at_80_and_the_score_never_goes_below_0() {
        let s = CreditScheme::yantai_default();
        let g = grade_of(&[], &s);
        assert_eq!((g.score, g.grade.as_str()), (dec!(80), "AA"));
        let many: Vec<CreditRecord> = (0..10)
            .map(|_| CreditRecord::new(RecordKind::Dismissal, date(2022, 5, 5)))
            .collect();
        let g = grade_of(&many, &s);
        assert_eq!((g.score, g.grade.as_str()), (dec!(0), "C"));
    }

    #[test]
    fn mean_rounds_half_up_to_two_decimals() {
        let s = CreditScheme::yantai_default();
        let on = date(2022, 3, 3);
        let g = grade_of(
            &[
                assessed(dec!(85), on),
                assessed(dec!(85), on),
                assessed(dec!(84.99), on),
            ],
            &s,
        );
        // 254.99 / 3 = 84.99666… → 85.00 → AAA.
        assert_eq!(g.base, dec!(85.00));
        assert_eq!(g.grade, "AAA");
    }

    #[test]
    fn bad_conduct_bars_selection_while_it_stands_on_the_list() {
        let s = CreditScheme::yantai_default();
        let as_of = date(2026, 12, 7);
        let mut r = CreditRecord::new(RecordKind::BadConduct, date(2025, 12, 7));
        r.note = Some("擅自提高收费标准".into());
        // Exactly 12 months before: out of the window (its far end is exclusive).
        assert_eq!(selection_bar(std::slice::from_ref(&r), &s, as_of), None);
        // A day later it stands: barred, with the record and the day the bar ends.
        r.happened_on = date(2025, 12, 8);
        let bar = selection_bar(std::slice::from_ref(&r), &s, as_of).expect("barred");
        assert!(bar.zh.contains("不良行为记录公示名单"), "{}", bar.zh);
        assert!(bar.zh.contains("擅自提高收费标准"), "{}", bar.zh);
        assert!(bar.zh.contains("至 2026-12-07 止"), "{}", bar.zh);
        // The last day listed is the last day it is counted: the day after, it is off.
        assert_eq!(last_day_listed(r.happened_on, &s), date(2026, 12, 7));
        assert!(selection_bar(std::slice::from_ref(&r), &s, date(2026, 12, 8)).is_none());
        // A record dated after the day asked is not yet on the list.
        r.happened_on = date(2026, 12, 8);
        assert_eq!(selection_bar(std::slice::from_ref(&r), &s, as_of), None);
        let off = CreditScheme {
            bad_conduct_bars_selection: false,
            selection_bar_below: None,
            ..s
        };
        r.happened_on = date(2026, 12, 1);
        assert_eq!(selection_bar(std::slice::from_ref(&r), &off, as_of), None);
    }

    #[test]
    fn a_grade_below_the_schemes_bar_is_refused_and_the_bar_grade_itself_is_not() {
        let s = CreditScheme::yantai_default();
        assert_eq!(s.selection_bar_below.as_deref(), Some("B"));
        let on = date(2026, 11, 1);
        let as_of = date(2026, 12, 7);
        // 60.00 is B [60, 70): may register.
        assert_eq!(selection_bar(&[assessed(dec!(60), on)], &s, as_of), None);
        // 59.99 is C: barred.
        let bar = selection_bar(&[assessed(dec!(59.99), on)], &s, as_of).expect("barred");
        assert!(
            bar.zh.contains("信用等级为 C") && bar.zh.contains("低于 B 级"),
            "{}",
            bar.zh
        );
        // A scheme naming a grade it does not have is refused when read.
        let wrong = DEFAULT_SCHEME_TOML
            .replace("selection_bar_below = \"B\"", "selection_bar_below = \"D\"");
        let e = CreditScheme::from_toml(&wrong).err().map(|e| e.to_string());
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("selection_bar_below")),
            "{e:?}"
        );
        // An older scheme file without the two settings still reads (bad conduct bars, no grade bar).
        let old = DEFAULT_SCHEME_TOML
            .replace("bad_conduct_bars_selection = true", "")
            .replace("selection_bar_below = \"B\"", "");
        let old = CreditScheme::from_toml(&old).expect("an older scheme");
        assert!(old.bad_conduct_bars_selection);
        assert_eq!(old.selection_bar_below, None);
    }

    #[test]
    fn schemes_with_gaps_or_overlaps_are_refused() {
        let gap = DEFAULT_SCHEME_TOML.replacen(
            "grade = \"AA\"\nmin = \"80\"\nmin_inclusive = true",
            "grade = \"AA\"\nmin = \"80\"\nmin_inclusive = false",
            1,
        );
        // A [70, 80) and AA (80, 85): 80 belongs to neither.
        let e = CreditScheme::from_toml(&gap).err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.contains("空档")), "{e:?}");
        let overlap = DEFAULT_SCHEME_TOML.replacen(
            "max = \"85\"\nmax_inclusive = false",
            "max = \"85\"\nmax_inclusive = true",
            1,
        );
        let e = CreditScheme::from_toml(&overlap)
            .err()
            .map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.contains("重叠")), "{e:?}");
        assert!(CreditScheme::from_toml("name = 1").is_err());
    }

    #[test]
    fn records_are_validated() {
        let on = date(2022, 1, 1);
        assert!(assessed(dec!(100.5), on).validate().is_err());
        assert!(assessed(dec!(85.125), on).validate().is_err());
        assert!(assessed(dec!(85.10), on).validate().is_ok());
        assert!(
            CreditRecord::new(RecordKind::Assessment, on)
                .validate()
                .is_err()
        );
        assert!(
            CreditRecord::new(RecordKind::Complaint, on)
                .validate()
                .is_err()
        );
        assert!(
            CreditRecord::new(RecordKind::BadConduct, on)
                .validate()
                .is_ok()
        );
        assert_eq!(
            RecordKind::from_code("bad_conduct"),
            Some(RecordKind::BadConduct)
        );
    }
}
