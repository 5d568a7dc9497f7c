//! Scoring an assessment period: deduction events and a satisfaction survey → a [`Scorecard`].

use super::error::{EventRef, RubricError};
use super::grade::Grade;
use super::satisfaction::SatisfactionRate;
use super::{Rubric, Scoring, Unit};
use anju_core::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One deduction event: `count` times deduction `code` of item `item`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DeductionEvent)]
pub struct Event {
    pub item: u32,
    pub code: String,
    pub count: u32,
    pub note: Option<String>,
}

impl Event {
    pub fn new(item: u32, code: &str, count: u32) -> Event {
        Event {
            item,
            code: code.to_string(),
            count,
            note: None,
        }
    }

    fn at(&self, index: usize) -> EventRef {
        EventRef {
            index,
            item: i64::from(self.item),
            code: self.code.clone(),
            note: self.note.clone(),
        }
    }
}

/// The result of a satisfaction survey (满意度调查).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = SurveyFigures)]
pub struct Survey {
    pub rate: SatisfactionRate,
    /// Households in the compound; with `responses`, the sample size is checked.
    pub households: Option<u32>,
    /// Valid questionnaires, one per household.
    pub responses: Option<u32>,
    pub satisfied: Option<u32>,
}

impl Survey {
    /// A rate given directly, with no sample information.
    pub fn from_rate(rate: SatisfactionRate) -> Survey {
        Survey {
            rate,
            households: None,
            responses: None,
            satisfied: None,
        }
    }

    /// `satisfied` of `responses` valid questionnaires in a compound of `households`.
    pub fn from_counts(
        satisfied: u32,
        responses: u32,
        households: Option<u32>,
    ) -> Result<Survey, RubricError> {
        Ok(Survey {
            rate: SatisfactionRate::from_counts(satisfied, responses)?,
            households,
            responses: Some(responses),
            satisfied: Some(satisfied),
        })
    }
}

/// A scored rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scorecard {
    pub rubric_id: String,
    pub rubric_name_zh: String,
    pub rubric_name_en: String,
    pub items: Vec<ItemScore>,
    pub groups: Vec<GroupScore>,
    /// The sum of the scored items.
    pub total: Decimal,
    /// The rubric's full score.
    pub max_total: Decimal,
    /// Every item was scored. Without it there is no grade.
    pub complete: bool,
    pub grade: Option<Grade>,
    /// Where a deduction code's count came from, for the codes counted from records (the Erqi
    /// party items, issue 19 item 3): from the records, or typed by the assessor instead.
    /// Empty for scorecards that counted nothing from records.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, CountSource>,
}

/// Whose count a deduction code carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountOrigin {
    /// 据记录: the count the records give.
    Records,
    /// 手工填写: typed by the assessor over the records' count.
    Typed,
}

/// A deduction code's count as counted from records, and whether the scorecard kept it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CountSource {
    pub origin: CountOrigin,
    /// What the records give.
    pub records: u32,
    /// The count scored (the records' or the typed one).
    pub count: u32,
    pub why_zh: String,
    pub why_en: String,
}

/// Whether an item got a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ItemStatus {
    Scored,
    /// Not scored, and why (an invalid or missing survey).
    NotScored {
        reason_zh: String,
        reason_en: String,
    },
}

/// One item of a scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemScore {
    pub no: u32,
    pub group: String,
    pub text_zh: String,
    pub text_en: String,
    pub points: Decimal,
    /// One line per deduction code that has events, in the rubric's order.
    pub deductions: Vec<DeductionLine>,
    /// Σ count × per-event points, before the cap.
    pub deducted_raw: Decimal,
    /// What is taken off: `deducted_raw`, capped at `points`.
    pub deducted: Decimal,
    pub capped: bool,
    pub satisfaction: Option<SatisfactionLine>,
    pub status: ItemStatus,
    /// `points − deducted`, or the satisfaction points; `None` when not scored.
    pub score: Option<Decimal>,
}

/// A deduction code's events added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeductionLine {
    pub code: String,
    pub text_zh: String,
    pub text_en: String,
    pub per: Unit,
    /// Points per event.
    pub per_points: Decimal,
    pub count: u32,
    /// count × per_points.
    pub amount: Decimal,
    /// The events' notes.
    pub notes: Vec<String>,
}

/// How the satisfaction item was scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SatisfactionLine {
    pub rate: SatisfactionRate,
    pub households: Option<u32>,
    pub responses: Option<u32>,
    pub satisfied: Option<u32>,
    /// The sample the rule asks for, when the households are known.
    pub required_sample: Option<u32>,
    /// The tier, e.g. "80%以上" / "80 % or more"; `None` when the survey is invalid.
    pub tier_zh: Option<String>,
    pub tier_en: Option<String>,
    /// The rate lies where two tiers of the text overlap; the table's resolution applied.
    pub overlap_resolved: bool,
}

/// A 考核大项's subtotal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GroupScore {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub points: Decimal,
    /// The sum of its scored items.
    pub score: Decimal,
    pub complete: bool,
}

/// Scores `events` and the satisfaction `survey` on `rubric`.
///
/// Every event must name an item and one of its deduction codes; a flat deduction
/// ([`Unit::Once`]) counts at most once in all. An item's deductions are capped at its points.
/// The satisfaction item is not scored when there is no survey or when the survey has fewer
/// responses than the sample rule asks (or more than the households); the scorecard is then
/// incomplete and has no grade.
pub fn score(
    rubric: &Rubric,
    events: &[Event],
    survey: Option<&Survey>,
) -> Result<Scorecard, RubricError> {
    // Check every event first, so the first bad one is the one reported.
    for (i, ev) in events.iter().enumerate() {
        let at = || ev.at(i + 1);
        let item = rubric
            .item(ev.item)
            .ok_or_else(|| RubricError::UnknownItem(at()))?;
        if item.scoring == Scoring::Satisfaction {
            return Err(RubricError::NotADeductionItem(at()));
        }
        let Some(d) = item.deduction(&ev.code) else {
            return Err(RubricError::UnknownCode {
                event: at(),
                known: item.deductions.iter().map(|d| d.code.clone()).collect(),
            });
        };
        if d.per == Unit::Once {
            let total: u64 = events[..=i]
                .iter()
                .filter(|e| e.item == ev.item && e.code == ev.code)
                .map(|e| u64::from(e.count))
                .sum();
            if total > 1 {
                return Err(RubricError::FlatCountedTwice { event: at(), total });
            }
        }
    }

    let mut items = Vec::with_capacity(rubric.items.len());
    for item in &rubric.items {
        let line = match item.scoring {
            Scoring::Deductions => {
                let mut lines = Vec::new();
                for d in &item.deductions {
                    let mine: Vec<&Event> = events
                        .iter()
                        .filter(|e| e.item == item.no && e.code == d.code)
                        .collect();
                    let count: u32 = mine.iter().map(|e| e.count).fold(0u32, u32::saturating_add);
                    if count == 0 {
                        continue;
                    }
                    lines.push(DeductionLine {
                        code: d.code.clone(),
                        text_zh: d.text_zh.clone(),
                        text_en: d.text_en.clone(),
                        per: d.per,
                        per_points: d.points.normalize(),
                        count,
                        amount: (Decimal::from(count) * d.points).normalize(),
                        notes: mine.iter().filter_map(|e| e.note.clone()).collect(),
                    });
                }
                let raw: Decimal = lines.iter().map(|l| l.amount).sum();
                let deducted = raw.min(item.points);
                ItemScore {
                    no: item.no,
                    group: item.group.clone(),
                    text_zh: item.text_zh.clone(),
                    text_en: item.text_en.clone(),
                    points: item.points.normalize(),
                    deductions: lines,
                    deducted_raw: raw.normalize(),
                    deducted: deducted.normalize(),
                    capped: raw > item.points,
                    satisfaction: None,
                    status: ItemStatus::Scored,
                    score: Some((item.points - deducted).normalize()),
                }
            }
            Scoring::Satisfaction => satisfaction_item(rubric, item, survey),
        };
        items.push(line);
    }

    let groups: Vec<GroupScore> = rubric
        .groups
        .iter()
        .map(|g| {
            let mine = items.iter().filter(|i| i.group == g.code);
            GroupScore {
                code: g.code.clone(),
                name_zh: g.name_zh.clone(),
                name_en: g.name_en.clone(),
                points: g.points.normalize(),
                score: mine
                    .clone()
                    .filter_map(|i| i.score)
                    .sum::<Decimal>()
                    .normalize(),
                complete: mine.into_iter().all(|i| i.score.is_some()),
            }
        })
        .collect();
    let total = items
        .iter()
        .filter_map(|i| i.score)
        .sum::<Decimal>()
        .normalize();
    let complete = items.iter().all(|i| i.score.is_some());
    let grade = if complete {
        rubric.grades.grade(total).cloned()
    } else {
        None
    };
    Ok(Scorecard {
        rubric_id: rubric.id.clone(),
        rubric_name_zh: rubric.name_zh.clone(),
        rubric_name_en: rubric.name_en.clone(),
        items,
        groups,
        total,
        max_total: rubric.total.normalize(),
        complete,
        grade,
        sources: BTreeMap::new(),
    })
}

fn satisfaction_item(
    rubric: &Rubric,
    item: &super::RubricItem,
    survey: Option<&Survey>,
) -> ItemScore {
    let mut out = ItemScore {
        no: item.no,
        group: item.group.clone(),
        text_zh: item.text_zh.clone(),
        text_en: item.text_en.clone(),
        points: item.points.normalize(),
        deductions: Vec::new(),
        deducted_raw: Decimal::ZERO,
        deducted: Decimal::ZERO,
        capped: false,
        satisfaction: None,
        status: ItemStatus::Scored,
        score: None,
    };
    // `validate` guarantees the table exists when an item is scored by satisfaction.
    let (Some(table), Some(survey)) = (&rubric.satisfaction, survey) else {
        out.status = ItemStatus::NotScored {
            reason_zh: "未提供满意度调查结果".into(),
            reason_en: "no satisfaction survey given".into(),
        };
        return out;
    };
    let required = survey.households.map(|h| table.sample.required_sample(h));
    let mut line = SatisfactionLine {
        rate: survey.rate,
        households: survey.households,
        responses: survey.responses,
        satisfied: survey.satisfied,
        required_sample: required,
        tier_zh: None,
        tier_en: None,
        overlap_resolved: false,
    };
    if let (Some(h), Some(n)) = (survey.households, survey.responses)
        && let Err(e) = table.sample.check(n, h)
    {
        out.status = ItemStatus::NotScored {
            reason_zh: format!("{e}，本项不评分"),
            reason_en: format!("{}; the item is not scored", e.message(Lang::En)),
        };
        out.satisfaction = Some(line);
        return out;
    }
    if let Some(m) = table.tier_for(survey.rate) {
        let tier = &table.tiers[m.tier];
        line.tier_zh = Some(tier.label(Lang::Zh));
        line.tier_en = Some(tier.label(Lang::En));
        line.overlap_resolved = m.overlapped_with.is_some();
        out.score = Some(tier.points.normalize());
    } else {
        out.status = ItemStatus::NotScored {
            reason_zh: "满意度不属于任何分档".into(),
            reason_en: "the rate falls in no tier".into(),
        };
    }
    out.satisfaction = Some(line);
    out
}

fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

impl DeductionLine {
    /// "保安缺岗 3 次 × 0.5 分 = 1.5 分" / "Guard absent: 3 times × 0.5 = 1.5".
    pub fn explain(&self, lang: Lang) -> String {
        match (lang, self.per) {
            (Lang::Zh, Unit::Once) => format!("{} 扣 {} 分", self.text_zh, num(self.amount)),
            (Lang::En, Unit::Once) => format!("{}: −{}", self.text_en, num(self.amount)),
            (Lang::Zh, u) => format!(
                "{} {} {} × {} 分 = {} 分",
                self.text_zh,
                self.count,
                u.zh(),
                num(self.per_points),
                num(self.amount)
            ),
            (Lang::En, u) => format!(
                "{}: {} {} × {} = {}",
                self.text_en,
                self.count,
                u.en(self.count),
                num(self.per_points),
                num(self.amount)
            ),
        }
    }
}

impl ItemScore {
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.text_zh, &self.text_en)
    }

    /// How the item's score came about, in one line.
    pub fn explain(&self, lang: Lang) -> String {
        if let Some(s) = &self.satisfaction {
            return explain_satisfaction(self, s, lang);
        }
        if let ItemStatus::NotScored {
            reason_zh,
            reason_en,
        } = &self.status
        {
            return lang.pick(reason_zh, reason_en).to_string();
        }
        let score = self.score.map(num).unwrap_or_default();
        if self.deductions.is_empty() {
            return lang
                .pick(
                    &format!("无扣分，得 {score} 分"),
                    &format!("no deductions: {score}"),
                )
                .to_string();
        }
        let parts: Vec<String> = self.deductions.iter().map(|d| d.explain(lang)).collect();
        match (lang, self.capped) {
            (Lang::Zh, false) => format!(
                "{}；合计扣 {} 分，得 {score} 分",
                parts.join("；"),
                num(self.deducted)
            ),
            (Lang::En, false) => {
                format!(
                    "{}; −{} in all: {score}",
                    parts.join("; "),
                    num(self.deducted)
                )
            }
            (Lang::Zh, true) => format!(
                "{}；扣分合计 {} 分，超过本项分值 {} 分，按 {} 分扣（扣完为止），得 {score} 分",
                parts.join("；"),
                num(self.deducted_raw),
                num(self.points),
                num(self.deducted)
            ),
            (Lang::En, true) => format!(
                "{}; deductions add up to {}, more than the item's {}: capped at {}, scores {score}",
                parts.join("; "),
                num(self.deducted_raw),
                num(self.points),
                num(self.deducted)
            ),
        }
    }
}

fn explain_satisfaction(item: &ItemScore, s: &SatisfactionLine, lang: Lang) -> String {
    let pct = s.rate.percent_text();
    let mut basis: Vec<String> = Vec::new();
    match (s.satisfied, s.responses, lang) {
        (Some(k), Some(n), Lang::Zh) => basis.push(format!("满意 {k} / 有效问卷 {n}")),
        (Some(k), Some(n), Lang::En) => basis.push(format!("{k} satisfied of {n} responses")),
        (None, Some(n), Lang::Zh) => basis.push(format!("有效问卷 {n}")),
        (None, Some(n), Lang::En) => basis.push(format!("{n} responses")),
        _ => {}
    }
    match (s.households, s.required_sample, lang) {
        (Some(h), Some(r), Lang::Zh) => basis.push(format!("{h} 户应抽样 {r} 户")),
        (Some(h), Some(r), Lang::En) => {
            basis.push(format!("{h} households, sample of {r} required"))
        }
        _ => {}
    }
    let basis = match (basis.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Zh) => format!("（{}）", basis.join("，")),
        (false, Lang::En) => format!(" ({})", basis.join(", ")),
    };
    let unchecked = match (s.households.is_some() && s.responses.is_some(), lang) {
        (true, _) => "",
        (false, Lang::Zh) => "；未给出总户数和有效问卷数，样本量未核验",
        (false, Lang::En) => "; sample size not checked (households and responses not given)",
    };
    if let ItemStatus::NotScored {
        reason_zh,
        reason_en,
    } = &item.status
    {
        return match lang {
            Lang::Zh => format!("满意度 {pct}{basis}；{reason_zh}"),
            Lang::En => format!("satisfaction {pct}{basis}; {reason_en}"),
        };
    }
    let score = item.score.map(num).unwrap_or_default();
    let tier = lang.pick(
        s.tier_zh.as_deref().unwrap_or(""),
        s.tier_en.as_deref().unwrap_or(""),
    );
    let overlap = match (s.overlap_resolved, lang) {
        (true, Lang::Zh) => "（该值同属原文两档，见说明）",
        (true, Lang::En) => " (the value lies in two tiers of the text; see the note)",
        (false, _) => "",
    };
    match lang {
        Lang::Zh => format!("满意度 {pct}{basis} → {tier}{overlap}，得 {score} 分{unchecked}"),
        Lang::En => format!("satisfaction {pct}{basis} → {tier}{overlap}: {score}{unchecked}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn erqi() -> Rubric {
        Rubric::builtin("erqi").expect("erqi")
    }

    fn full_survey() -> Survey {
        Survey::from_rate(SatisfactionRate::parse("90%").expect("rate"))
    }

    fn item_score(events: &[Event], no: u32) -> ItemScore {
        let card = score(&erqi(), events, Some(&full_survey())).expect("score");
        card.items.into_iter().find(|i| i.no == no).expect("item")
    }

    #[test]
    fn deductions_multiply_and_cap() {
        // (events, item, expected score, capped), worked by hand from the 附件.
        let cases: Vec<(Vec<Event>, u32, Decimal, bool)> = vec![
            (vec![], 10, dec!(10), false),
            (
                vec![Event::new(10, "guard_absent", 3)],
                10,
                dec!(8.5),
                false,
            ),
            (
                vec![
                    Event::new(10, "guard_absent", 3),
                    Event::new(10, "no_patrol_record", 7),
                    Event::new(10, "theft_case", 2),
                ],
                10,
                dec!(5.8), // 10 − 1.5 − 0.7 − 2
                false,
            ),
            (vec![Event::new(10, "guard_absent", 20)], 10, dec!(0), false), // exactly 10
            (vec![Event::new(10, "guard_absent", 30)], 10, dec!(0), true),  // 15 → capped at 10
            (
                vec![Event::new(10, "no_patrol_record", 181)],
                10,
                dec!(0),
                true,
            ),
            (vec![Event::new(1, "not_filed", 1)], 1, dec!(5), false),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(1, "not_filed", 1),
                ],
                1,
                dec!(0),
                true,
            ),
            (vec![Event::new(4, "staff_lacking", 3)], 4, dec!(0), true), // 1.5 on a 1-point item
            (
                vec![Event::new(6, "party_org_lacking", 1)],
                6,
                dec!(0),
                false,
            ),
            (
                vec![Event::new(7, "tripartite_meeting_missed", 6)],
                7,
                dec!(0),
                false,
            ), // half a year
            (
                vec![Event::new(7, "tripartite_meeting_missed", 5)],
                7,
                dec!(0.5),
                false,
            ),
            (
                vec![Event::new(9, "suggestion_not_rectified", 1)],
                9,
                dec!(1.5),
                false,
            ),
            (
                vec![
                    Event::new(11, "illegal_structure", 2),
                    Event::new(11, "flying_wire_charging", 4),
                ],
                11,
                dec!(7.2),
                false,
            ),
            (
                vec![
                    Event::new(13, "bin_soiled", 2),
                    Event::new(13, "waste_overflow", 3),
                    Event::new(13, "waste_unsorted", 1),
                ],
                13,
                dec!(1.9), // 4 − 1 − 0.6 − 0.5
                false,
            ),
            (vec![Event::new(16, "unclean", 19)], 16, dec!(0.2), false),
            (vec![Event::new(16, "unclean", 21)], 16, dec!(0), true),
            (vec![Event::new(18, "manhole_cover", 0)], 18, dec!(5), false),
        ];
        for (events, no, want, capped) in cases {
            let it = item_score(&events, no);
            assert_eq!(it.score, Some(want), "{events:?}");
            assert_eq!(it.capped, capped, "{events:?}");
            assert!(it.deducted <= it.points);
        }
    }

    #[test]
    fn thirty_events_of_half_a_point_on_a_ten_point_item_score_zero() {
        let events: Vec<Event> = (0..30)
            .map(|i| Event {
                note: Some(format!("第{}次", i + 1)),
                ..Event::new(10, "guard_absent", 1)
            })
            .collect();
        let it = item_score(&events, 10);
        assert_eq!(it.score, Some(dec!(0)));
        assert_eq!(it.deducted_raw, dec!(15));
        assert_eq!(it.deducted, dec!(10));
        assert!(it.capped);
        assert_eq!(it.deductions.len(), 1);
        assert_eq!(it.deductions[0].count, 30);
        assert_eq!(it.deductions[0].notes.len(), 30);
        assert!(it.explain(Lang::Zh).contains("按 10 分扣"));
        assert!(it.explain(Lang::En).contains("capped at 10"));
    }

    #[test]
    fn totals_groups_and_grades() {
        let r = erqi();
        // (events, satisfaction, total, grade)
        let s = |p: &str| Some(Survey::from_rate(SatisfactionRate::parse(p).expect("rate")));
        type Case = (Vec<Event>, Option<Survey>, Decimal, Option<&'static str>);
        let cases: Vec<Case> = vec![
            (vec![], s("80%"), dec!(100), Some("优秀")),
            (
                vec![Event::new(3, "disclosure_lacking", 2)],
                s("80%"),
                dec!(99),
                Some("优秀"),
            ),
            (
                vec![Event::new(10, "guard_absent", 10)],
                s("80%"),
                dec!(95),
                Some("优秀"),
            ),
            (
                vec![Event::new(10, "no_patrol_record", 51)],
                s("80%"),
                dec!(94.9),
                Some("良好"),
            ),
            (vec![], s("79.9%"), dec!(98), Some("优秀")),
            (
                vec![Event::new(5, "rules_lacking", 10)],
                s("70%"),
                dec!(93),
                Some("良好"),
            ),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(10, "no_patrol_record", 1),
                ],
                s("80%"),
                dec!(89.9),
                Some("良好"),
            ),
            (
                vec![Event::new(1, "no_contract", 1)],
                s("50%"),
                dec!(85),
                Some("良好"),
            ),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(16, "unclean", 1),
                ],
                s("50%"),
                dec!(84.8),
                Some("合格"),
            ),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(6, "party_org_lacking", 1),
                ],
                s("50%"),
                dec!(80),
                Some("合格"),
            ),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(6, "party_org_lacking", 1),
                ],
                s("49.9%"),
                dec!(75),
                Some("合格"),
            ),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(6, "party_org_lacking", 1),
                    Event::new(8, "cross_appointment_lacking", 1),
                ],
                s("49.9%"),
                dec!(70),
                Some("合格"),
            ),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(6, "party_org_lacking", 1),
                    Event::new(8, "cross_appointment_lacking", 1),
                    Event::new(16, "unclean", 1),
                ],
                s("49.9%"),
                dec!(69.8),
                Some("不合格"),
            ),
            (vec![], None, dec!(90), None),
        ];
        for (events, survey, total, grade) in cases {
            let card = score(&r, &events, survey.as_ref()).expect("score");
            assert_eq!(card.total, total, "{events:?}");
            assert_eq!(
                card.grade.as_ref().map(|g| g.name_zh.as_str()),
                grade,
                "{events:?}"
            );
            assert_eq!(card.complete, grade.is_some());
            let group_sum: Decimal = card.groups.iter().map(|g| g.score).sum();
            assert_eq!(group_sum, card.total);
        }
    }

    #[test]
    fn scorecards_round_trip_through_json() {
        let card = score(
            &erqi(),
            &[Event::new(10, "guard_absent", 30)],
            Some(&Survey::from_counts(1, 2, Some(10)).expect("survey")),
        )
        .expect("score");
        let json = serde_json::to_string(&card).expect("to json");
        let back: Scorecard = serde_json::from_str(&json).expect("from json");
        assert_eq!(back, card);
        assert!(serde_json::from_str::<SatisfactionRate>("\"1.2\"").is_err());
    }

    #[test]
    fn group_subtotals() {
        let card = score(
            &erqi(),
            &[
                Event::new(10, "theft_case", 1),
                Event::new(11, "illegal_structure", 2),
            ],
            Some(&full_survey()),
        )
        .expect("score");
        let order = card
            .groups
            .iter()
            .find(|g| g.code == "order")
            .expect("group");
        assert_eq!((order.score, order.points), (dec!(17), dec!(20)));
        assert_eq!(card.total, dec!(97));
    }

    #[test]
    fn surveys_below_the_sample_are_not_scored() {
        let r = erqi();
        // (satisfied, responses, households, item 20 score)
        let cases: &[(u32, u32, u32, Option<Decimal>)] = &[
            (9, 11, 101, Some(dec!(10))), // 81.8 %, 11 ≥ ceil(10.1)
            (9, 10, 101, None),           // 10 < 11: invalid
            (8, 10, 100, Some(dec!(10))),
            (5, 10, 100, Some(dec!(5))), // exactly 50 %
            (1, 1, 9, Some(dec!(10))),   // 10 % of 9 = 0.9 → 1
            (20, 20, 12, None),          // more responses than households
        ];
        for &(k, n, h, want) in cases {
            let survey = Survey::from_counts(k, n, Some(h)).expect("survey");
            let card = score(&r, &[], Some(&survey)).expect("score");
            let it = &card.items[19];
            assert_eq!(it.score, want, "{k}/{n} of {h}");
            assert_eq!(card.grade.is_some(), want.is_some());
            if want.is_none() {
                assert!(matches!(it.status, ItemStatus::NotScored { .. }));
                assert_eq!(card.total, dec!(90));
                assert!(!card.groups[5].complete);
            }
        }
        let card = score(
            &r,
            &[],
            Some(&Survey::from_counts(9, 10, Some(101)).expect("s")),
        )
        .expect("score");
        assert!(
            card.items[19]
                .explain(Lang::Zh)
                .contains("应至少抽样 11 户")
        );
        assert!(card.items[19].explain(Lang::En).contains("not scored"));
    }

    #[test]
    fn explanations() {
        let card = score(
            &erqi(),
            &[
                Event::new(10, "guard_absent", 3),
                Event::new(1, "not_filed", 1),
            ],
            Some(&Survey::from_counts(25, 30, Some(240)).expect("survey")),
        )
        .expect("score");
        assert_eq!(
            card.items[9].explain(Lang::Zh),
            "保安缺岗 3 次 × 0.5 分 = 1.5 分；合计扣 1.5 分，得 8.5 分"
        );
        assert_eq!(
            card.items[9].explain(Lang::En),
            "Guard absent: 3 times × 0.5 = 1.5; −1.5 in all: 8.5"
        );
        assert_eq!(
            card.items[0].explain(Lang::Zh),
            "未备案 扣 5 分；合计扣 5 分，得 5 分"
        );
        assert_eq!(card.items[1].explain(Lang::Zh), "无扣分，得 2 分");
        assert_eq!(
            card.items[19].explain(Lang::Zh),
            "满意度 83.33%（满意 25 / 有效问卷 30，240 户应抽样 24 户） → 80%以上，得 10 分"
        );
        let half = score(
            &erqi(),
            &[],
            Some(&Survey::from_rate(
                SatisfactionRate::parse("50%").expect("r"),
            )),
        )
        .expect("s");
        assert!(
            half.items[19]
                .explain(Lang::Zh)
                .contains("50%以上（该值同属原文两档")
        );
        assert_eq!(
            half.items[19]
                .satisfaction
                .as_ref()
                .map(|s| s.overlap_resolved),
            Some(true)
        );
    }

    #[test]
    fn bad_events_name_the_event() {
        let r = erqi();
        let ev = |item, code: &str, count| Event {
            note: Some("夜班".into()),
            ..Event::new(item, code, count)
        };
        // (events, Chinese message contains, English message contains)
        let cases: Vec<(Vec<Event>, &str, &str)> = vec![
            (
                vec![Event::new(1, "not_filed", 1), ev(21, "x", 1)],
                "第 2 个事件（第 21 项，代码 x，备注“夜班”）：评分表没有第 21 项",
                "event #2 (item 21, code x, note \"夜班\")",
            ),
            (
                vec![ev(10, "guard_absnt", 1)],
                "没有扣分代码“guard_absnt”（可用：guard_absent、no_patrol_record、theft_case）",
                "has no deduction code",
            ),
            (
                vec![ev(20, "low", 1)],
                "按满意度调查计分",
                "scored from the satisfaction survey",
            ),
            (
                vec![
                    Event::new(1, "no_contract", 1),
                    Event::new(1, "no_contract", 1),
                ],
                "第 2 个事件（第 1 项，代码 no_contract）：该项为一次性扣分",
                "at most once",
            ),
            (
                vec![Event::new(9, "consultation_not_held", 2)],
                "最多计 1 次",
                "at most once",
            ),
        ];
        for (events, zh, en) in cases {
            let e = score(&r, &events, None).expect_err(zh);
            assert!(e.to_string().contains(zh), "{e}");
            assert!(e.message(Lang::En).contains(en), "{}", e.message(Lang::En));
        }
    }
}
