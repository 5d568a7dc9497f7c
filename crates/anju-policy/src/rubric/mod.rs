//! Assessment rubrics (考核评分细则) as data, and scoring a period's deduction events.
//!
//! A [`Rubric`] is read from a TOML file (format: `crates/anju-policy/RUBRIC_FORMAT.md`). Erqi's
//! 20-item, 100-point rubric (seed 002, 附件) is built in: [`Rubric::builtin`]`("erqi")`. Other
//! rubrics load from a path with [`Rubric::load`].
//!
//! Scoring ([`score`]): each deduction event is `count × points per event`; an item's deductions
//! are capped at the item's points, so an item never goes below 0 and never takes points from
//! another. The satisfaction item is scored from a [`SatisfactionTable`] instead, and only when
//! the survey reached its sample ([`crate::sampling::SampleRule`]); otherwise it is not scored
//! and the scorecard has no grade. The total takes a grade from the rubric's [`GradeBands`].
//!
//! Where the policy text is loose, the data says how it is read ([`Resolution`], and the
//! satisfaction table's `resolution_zh`); [`Rubric::findings`] lists them for `show` and linters.

mod error;
mod events;
mod grade;
mod satisfaction;
mod score;

pub use error::{EventRef, RubricError};
pub use events::EventsFile;
pub use grade::{Grade, GradeBands};
pub use satisfaction::{
    BoundWord, Overlap, OverlapRule, SatisfactionRate, SatisfactionTable, Tier, TierMatch,
};
pub use score::{
    CountOrigin, CountSource, DeductionLine, Event, GroupScore, ItemScore, ItemStatus,
    SatisfactionLine, Scorecard, Survey, score,
};

use anju_core::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The rubrics shipped with Anju, by id.
const BUILTIN: &[(&str, &str)] = &[("erqi", include_str!("../../rubrics/erqi.toml"))];

/// An assessment rubric. Construct it with [`Rubric::builtin`], [`Rubric::load`] or
/// [`Rubric::from_toml_str`], which validate it; a rubric built by hand should be checked with
/// [`Rubric::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Where the rubric comes from (document and clause).
    #[serde(default)]
    pub source: String,
    /// The full score; the groups must add up to it.
    pub total: Decimal,
    pub groups: Vec<Group>,
    pub items: Vec<RubricItem>,
    /// The satisfaction → points table, present iff an item has `scoring = "satisfaction"`.
    #[serde(default)]
    pub satisfaction: Option<SatisfactionTable>,
    pub grades: GradeBands,
    /// How this file reads the text where the text is loose.
    #[serde(default)]
    pub resolutions: Vec<Resolution>,
}

/// A 考核大项: a group of items with its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub points: Decimal,
}

/// A 考核分项.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricItem {
    /// 序号, from 1.
    pub no: u32,
    /// The [`Group::code`] it belongs to.
    pub group: String,
    pub text_zh: String,
    pub text_en: String,
    pub points: Decimal,
    /// The 评分标准 column, verbatim.
    #[serde(default)]
    pub standard_zh: String,
    #[serde(default)]
    pub standard_en: String,
    #[serde(default)]
    pub scoring: Scoring,
    #[serde(default)]
    pub deductions: Vec<Deduction>,
}

/// How an item is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// Full points less its deduction events, not below 0.
    #[default]
    Deductions,
    /// From the rubric's [`SatisfactionTable`].
    Satisfaction,
}

/// One deduction rule of an item: `points` off per `per`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deduction {
    /// Stable code events refer to, unique within the item.
    pub code: String,
    pub text_zh: String,
    pub text_en: String,
    pub per: Unit,
    pub points: Decimal,
}

/// What a deduction is counted in (the "/次", "/日" of the 评分标准).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A flat deduction ("未签合同扣10分"): at most once per assessment.
    Once,
    /// 项: a missing element.
    Element,
    /// 次: an occurrence.
    Occurrence,
    /// 日: a day.
    Day,
    /// 月: a month.
    Month,
    /// 个: a piece (a container, a manhole cover).
    Piece,
    /// 处: a site.
    Site,
}

impl Unit {
    /// The measure word: 项, 次, 日, 月, 个, 处; a flat deduction has none.
    pub fn zh(self) -> &'static str {
        match self {
            Unit::Once => "",
            Unit::Element => "项",
            Unit::Occurrence => "次",
            Unit::Day => "日",
            Unit::Month => "月",
            Unit::Piece => "个",
            Unit::Site => "处",
        }
    }

    /// "element(s)", "occurrence(s)", …
    pub fn en(self, count: u32) -> &'static str {
        let one = count == 1;
        match self {
            Unit::Once => "",
            Unit::Element => {
                if one {
                    "element"
                } else {
                    "elements"
                }
            }
            Unit::Occurrence => {
                if one {
                    "time"
                } else {
                    "times"
                }
            }
            Unit::Day => {
                if one {
                    "day"
                } else {
                    "days"
                }
            }
            Unit::Month => {
                if one {
                    "month"
                } else {
                    "months"
                }
            }
            Unit::Piece => {
                if one {
                    "piece"
                } else {
                    "pieces"
                }
            }
            Unit::Site => {
                if one {
                    "site"
                } else {
                    "sites"
                }
            }
        }
    }
}

/// A note on how the data reads a loose passage of the policy text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// The item it concerns, if one.
    #[serde(default)]
    pub item: Option<u32>,
    pub topic_zh: String,
    pub topic_en: String,
    pub text_zh: String,
    pub text_en: String,
}

/// What [`Rubric::findings`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Two tiers of the text cover the same value; the data says which wins.
    Overlap,
    /// A reading the data chose where the text is loose.
    Resolution,
}

/// A gap, overlap or reading in the policy text, with how the data resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub item: Option<u32>,
    pub topic_zh: String,
    pub topic_en: String,
    pub text_zh: String,
    pub text_en: String,
}

impl Finding {
    pub fn topic(&self, lang: Lang) -> &str {
        lang.pick(&self.topic_zh, &self.topic_en)
    }
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.text_zh, &self.text_en)
    }
}

impl Rubric {
    /// The ids of the built-in rubrics.
    pub fn builtin_ids() -> Vec<&'static str> {
        BUILTIN.iter().map(|(id, _)| *id).collect()
    }

    /// A built-in rubric by id (`erqi`).
    pub fn builtin(id: &str) -> Result<Rubric, RubricError> {
        let (_, text) = BUILTIN.iter().find(|(i, _)| *i == id).ok_or_else(|| {
            RubricError::UnknownRubric(id.to_string(), Rubric::builtin_ids().join(", "))
        })?;
        Rubric::from_toml_str(text)
    }

    /// A rubric from a TOML file.
    pub fn load(path: &Path) -> Result<Rubric, RubricError> {
        let text = std::fs::read_to_string(path).map_err(|e| RubricError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Rubric::from_toml_str(&text)
    }

    /// A built-in id, or else a path to a rubric file.
    pub fn builtin_or_path(name: &str) -> Result<Rubric, RubricError> {
        if BUILTIN.iter().any(|(id, _)| *id == name) {
            return Rubric::builtin(name);
        }
        let path = Path::new(name);
        if path.extension().is_some_and(|e| e == "toml") || path.exists() {
            return Rubric::load(path);
        }
        Err(RubricError::UnknownRubric(
            name.to_string(),
            Rubric::builtin_ids().join(", "),
        ))
    }

    /// Parses and validates a rubric.
    pub fn from_toml_str(text: &str) -> Result<Rubric, RubricError> {
        let r: Rubric =
            toml::from_str(text).map_err(|e| RubricError::RubricSyntax(e.to_string()))?;
        r.validate()?;
        Ok(r)
    }

    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }

    pub fn item(&self, no: u32) -> Option<&RubricItem> {
        self.items.iter().find(|i| i.no == no)
    }

    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// Items numbered 1, 2, … in order; every item in a known group; each group's items add up
    /// to the group's points and the groups to the total; deduction codes unique within an
    /// item with positive points; exactly the satisfaction items have no deductions and there
    /// is a valid satisfaction table iff there is a satisfaction item; valid grade bands.
    pub fn validate(&self) -> Result<(), RubricError> {
        fn inv(zh: impl Into<String>, en: impl Into<String>) -> RubricError {
            RubricError::invalid(zh, en)
        }
        for (i, item) in self.items.iter().enumerate() {
            let want = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if item.no != want {
                return Err(inv(
                    format!(
                        "分项序号应为 1、2、3…依次排列，第 {want} 个分项的序号是 {}",
                        item.no
                    ),
                    format!(
                        "items must be numbered 1, 2, 3, …: item #{want} is numbered {}",
                        item.no
                    ),
                ));
            }
            if self.group(&item.group).is_none() {
                return Err(inv(
                    format!("第 {} 项的大项“{}”不存在", item.no, item.group),
                    format!("item {}: no group \"{}\"", item.no, item.group),
                ));
            }
            if item.points <= Decimal::ZERO {
                return Err(inv(
                    format!("第 {} 项分值应大于 0", item.no),
                    format!("item {}: points must be above 0", item.no),
                ));
            }
            for (j, d) in item.deductions.iter().enumerate() {
                if item.deductions[..j].iter().any(|e| e.code == d.code) {
                    return Err(inv(
                        format!("第 {} 项扣分代码 {} 重复", item.no, d.code),
                        format!("item {}: deduction code {} repeats", item.no, d.code),
                    ));
                }
                if d.points <= Decimal::ZERO {
                    return Err(inv(
                        format!("第 {} 项扣分 {} 的分值应大于 0", item.no, d.code),
                        format!("item {}: deduction {} must be above 0", item.no, d.code),
                    ));
                }
            }
            match item.scoring {
                Scoring::Deductions if item.deductions.is_empty() => {
                    return Err(inv(
                        format!("第 {} 项没有扣分规则", item.no),
                        format!("item {} has no deduction rules", item.no),
                    ));
                }
                Scoring::Satisfaction if !item.deductions.is_empty() => {
                    return Err(inv(
                        format!("第 {} 项按满意度计分，不应另有扣分规则", item.no),
                        format!(
                            "item {} is scored by satisfaction and cannot have deductions",
                            item.no
                        ),
                    ));
                }
                _ => {}
            }
        }
        for (i, g) in self.groups.iter().enumerate() {
            if self.groups[..i].iter().any(|h| h.code == g.code) {
                return Err(inv(
                    format!("大项代码 {} 重复", g.code),
                    format!("group code {} repeats", g.code),
                ));
            }
            let sum: Decimal = self
                .items
                .iter()
                .filter(|it| it.group == g.code)
                .map(|it| it.points)
                .sum();
            if sum != g.points {
                return Err(inv(
                    format!(
                        "大项“{}”为 {} 分，其分项合计 {} 分",
                        g.name_zh, g.points, sum
                    ),
                    format!(
                        "group \"{}\" is worth {} but its items add up to {}",
                        g.name_en, g.points, sum
                    ),
                ));
            }
        }
        let sum: Decimal = self.groups.iter().map(|g| g.points).sum();
        if sum != self.total {
            return Err(inv(
                format!("各大项合计 {sum} 分，不等于总分 {} 分", self.total),
                format!("the groups add up to {sum}, not the total {}", self.total),
            ));
        }
        let sat_items: Vec<&RubricItem> = self
            .items
            .iter()
            .filter(|i| i.scoring == Scoring::Satisfaction)
            .collect();
        match (sat_items.as_slice(), &self.satisfaction) {
            ([], None) => {}
            ([item], Some(table)) => table.validate(item.points)?,
            ([], Some(_)) => {
                return Err(inv(
                    "有满意度分档表，但没有按满意度计分的分项（scoring = \"satisfaction\"）",
                    "a satisfaction table but no item with scoring = \"satisfaction\"",
                ));
            }
            ([_], None) => {
                return Err(inv(
                    "有按满意度计分的分项，但缺少 [satisfaction] 分档表",
                    "an item is scored by satisfaction but there is no [satisfaction] table",
                ));
            }
            _ => {
                return Err(inv(
                    "最多只能有一个按满意度计分的分项",
                    "at most one item can be scored by satisfaction",
                ));
            }
        }
        for r in &self.resolutions {
            if let Some(no) = r.item
                && self.item(no).is_none()
            {
                return Err(inv(
                    format!("解读说明“{}”所指第 {no} 项不存在", r.topic_zh),
                    format!(
                        "resolution \"{}\" refers to item {no}, which does not exist",
                        r.topic_en
                    ),
                ));
            }
        }
        self.grades.validate()
    }

    /// The satisfaction item, if the rubric has one.
    pub fn satisfaction_item(&self) -> Option<&RubricItem> {
        self.items
            .iter()
            .find(|i| i.scoring == Scoring::Satisfaction)
    }

    /// Gaps and overlaps the tool found in the text, with the data's resolution, then the
    /// readings the data declares.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        if let (Some(table), Some(item)) = (&self.satisfaction, self.satisfaction_item()) {
            for o in table.overlaps() {
                let (u, d) = (&table.tiers[o.upward], &table.tiers[o.downward]);
                let winner_zh = match table.overlap {
                    Some(OverlapRule::LowerTier) => "较低一档",
                    _ => "较高一档",
                };
                let winner_en = match table.overlap {
                    Some(OverlapRule::LowerTier) => "the lower tier",
                    _ => "the higher tier",
                };
                out.push(Finding {
                    kind: FindingKind::Overlap,
                    item: Some(item.no),
                    topic_zh: format!(
                        "第 {} 项满意度分档重叠：“{}”得 {} 分，“{}”得 {} 分",
                        item.no,
                        u.label(Lang::Zh),
                        u.points.normalize(),
                        d.label(Lang::Zh),
                        d.points.normalize()
                    ),
                    topic_en: format!(
                        "item {}: satisfaction tiers overlap: \"{}\" scores {}, \"{}\" scores {}",
                        item.no,
                        u.label(Lang::En),
                        u.points.normalize(),
                        d.label(Lang::En),
                        d.points.normalize()
                    ),
                    text_zh: format!("按{winner_zh}计。{}", table.resolution_zh),
                    text_en: format!("{winner_en} wins. {}", table.resolution_en),
                });
            }
        }
        out.extend(self.resolutions.iter().map(|r| Finding {
            kind: FindingKind::Resolution,
            item: r.item,
            topic_zh: r.topic_zh.clone(),
            topic_en: r.topic_en.clone(),
            text_zh: r.text_zh.clone(),
            text_en: r.text_en.clone(),
        }));
        out
    }
}

impl RubricItem {
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.text_zh, &self.text_en)
    }
    pub fn deduction(&self, code: &str) -> Option<&Deduction> {
        self.deductions.iter().find(|d| d.code == code)
    }
}

impl Group {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }
}

impl Deduction {
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.text_zh, &self.text_en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn erqi() -> Rubric {
        Rubric::builtin("erqi").expect("erqi rubric loads")
    }

    #[test]
    fn erqi_groups_add_up_to_100() {
        let r = erqi();
        assert_eq!(r.total, dec!(100));
        let groups: Vec<(&str, Decimal)> = r
            .groups
            .iter()
            .map(|g| (g.name_zh.as_str(), g.points))
            .collect();
        assert_eq!(
            groups,
            [
                ("基础工作", dec!(20)),
                ("党建工作", dec!(15)),
                ("公共秩序", dec!(20)),
                ("保洁绿化", dec!(20)),
                ("设施设备", dec!(15)),
                ("居民满意度", dec!(10)),
            ]
        );
        assert_eq!(
            r.groups.iter().map(|g| g.points).sum::<Decimal>(),
            dec!(100)
        );
        assert_eq!(r.items.iter().map(|i| i.points).sum::<Decimal>(), dec!(100));
    }

    #[test]
    fn erqi_items_match_the_seed() {
        // (no, group, points, [(code, per, points)]) — the 附件 table, row by row.
        use Unit::*;
        type Case<'a> = (u32, &'a str, Decimal, &'a [(&'a str, Unit, Decimal)]);
        let cases: &[Case<'_>] = &[
            (
                1,
                "basics",
                dec!(10),
                &[
                    ("no_contract", Once, dec!(10)),
                    ("not_filed", Once, dec!(5)),
                ],
            ),
            (
                2,
                "basics",
                dec!(2),
                &[("office_lacking", Element, dec!(0.5))],
            ),
            (
                3,
                "basics",
                dec!(2),
                &[("disclosure_lacking", Element, dec!(0.5))],
            ),
            (
                4,
                "basics",
                dec!(1),
                &[("staff_lacking", Element, dec!(0.5))],
            ),
            (
                5,
                "basics",
                dec!(5),
                &[("rules_lacking", Element, dec!(0.5))],
            ),
            (
                6,
                "party",
                dec!(5),
                &[("party_org_lacking", Element, dec!(5))],
            ),
            (
                7,
                "party",
                dec!(3),
                &[("tripartite_meeting_missed", Month, dec!(0.5))],
            ),
            (
                8,
                "party",
                dec!(5),
                &[("cross_appointment_lacking", Element, dec!(5))],
            ),
            (
                9,
                "party",
                dec!(2),
                &[
                    ("consultation_not_held", Once, dec!(2)),
                    ("suggestion_not_rectified", Occurrence, dec!(0.5)),
                ],
            ),
            (
                10,
                "order",
                dec!(10),
                &[
                    ("guard_absent", Occurrence, dec!(0.5)),
                    ("no_patrol_record", Day, dec!(0.1)),
                    ("theft_case", Occurrence, dec!(1)),
                ],
            ),
            (
                11,
                "order",
                dec!(10),
                &[
                    ("parking_disorder", Occurrence, dec!(0.2)),
                    ("flying_wire_charging", Occurrence, dec!(0.2)),
                    ("illegal_structure", Site, dec!(1)),
                ],
            ),
            (
                12,
                "cleaning",
                dec!(4),
                &[("greenery_lacking", Element, dec!(0.5))],
            ),
            (
                13,
                "cleaning",
                dec!(4),
                &[
                    ("bin_soiled", Piece, dec!(0.5)),
                    ("waste_overflow", Occurrence, dec!(0.2)),
                    ("waste_unsorted", Occurrence, dec!(0.5)),
                ],
            ),
            (
                14,
                "cleaning",
                dec!(4),
                &[("graffiti_ads", Element, dec!(0.5))],
            ),
            (15, "cleaning", dec!(4), &[("clutter", Site, dec!(0.5))]),
            (
                16,
                "cleaning",
                dec!(4),
                &[("unclean", Occurrence, dec!(0.2))],
            ),
            (
                17,
                "facilities",
                dec!(5),
                &[("pipe_blocked", Occurrence, dec!(0.5))],
            ),
            (
                18,
                "facilities",
                dec!(5),
                &[("manhole_cover", Piece, dec!(0.5))],
            ),
            (
                19,
                "facilities",
                dec!(5),
                &[("facility_fault", Element, dec!(0.5))],
            ),
            (20, "satisfaction", dec!(10), &[]),
        ];
        let r = erqi();
        assert_eq!(r.items.len(), cases.len());
        for (no, group, points, deductions) in cases {
            let item = r.item(*no).expect("item");
            assert_eq!(
                (&item.group[..], item.points),
                (*group, *points),
                "item {no}"
            );
            let got: Vec<(&str, Unit, Decimal)> = item
                .deductions
                .iter()
                .map(|d| (d.code.as_str(), d.per, d.points))
                .collect();
            assert_eq!(got, deductions.to_vec(), "item {no}");
            assert!(
                !item.text_zh.is_empty()
                    && !item.text_en.is_empty()
                    && !item.standard_zh.is_empty()
            );
            for d in &item.deductions {
                assert!(
                    !d.text_zh.is_empty() && !d.text_en.is_empty(),
                    "item {no} {}",
                    d.code
                );
            }
        }
        assert_eq!(r.item(20).map(|i| i.scoring), Some(Scoring::Satisfaction));
    }

    #[test]
    fn findings_show_the_overlap_first() {
        let f = erqi().findings();
        assert_eq!(f[0].kind, FindingKind::Overlap);
        assert_eq!(f[0].item, Some(20));
        assert!(f[0].topic_zh.contains("50%以上") && f[0].topic_zh.contains("50%以下"));
        assert!(f[0].text_zh.starts_with("按较高一档计"));
        assert!(f.iter().skip(1).all(|x| x.kind == FindingKind::Resolution));
        assert!(f.iter().any(|x| x.item == Some(11)));
    }

    #[test]
    fn invalid_rubrics_are_refused() {
        let good = include_str!("../../rubrics/erqi.toml");
        // (edit, what the message mentions)
        let cases: &[(&str, &str, &str)] = &[
            (
                "name_zh = \"基础工作\"\nname_en = \"Basic work\"\npoints = 20",
                "name_zh = \"基础工作\"\nname_en = \"Basic work\"\npoints = 21",
                "合计",
            ),
            ("no = 7\n", "no = 70\n", "序号"),
            ("code = \"guard_absent\"", "code = \"theft_case\"", "重复"),
            ("overlap = \"higher_tier\"", "", "重叠"),
            ("min = 95", "min = 80", "从高到低"),
            (
                "per = \"day\"\n  points = 0.1",
                "per = \"day\"\n  points = 0",
                "大于 0",
            ),
            ("total = 100", "total = 99", "总分"),
            ("scoring = \"satisfaction\"\n", "", "没有扣分规则"),
        ];
        for (from, to, mention) in cases {
            assert!(good.contains(from), "{from}");
            let text = good.replacen(from, to, 1);
            let e = Rubric::from_toml_str(&text).expect_err(from);
            assert!(e.to_string().contains(mention), "{from}: {e}");
            assert!(!e.message(Lang::En).is_empty());
        }
        let e = Rubric::from_toml_str("id = 3").expect_err("syntax");
        assert!(matches!(e, RubricError::RubricSyntax(_)));
        assert!(matches!(
            Rubric::builtin("nowhere"),
            Err(RubricError::UnknownRubric(..))
        ));
    }

    #[test]
    fn loads_from_a_path() {
        let dir = std::env::temp_dir().join(format!("anju-rubric-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join("mine.toml");
        let text =
            include_str!("../../rubrics/erqi.toml").replacen("id = \"erqi\"", "id = \"mine\"", 1);
        std::fs::write(&path, text).expect("write");
        let r = Rubric::builtin_or_path(path.to_str().expect("utf-8")).expect("load");
        assert_eq!(r.id, "mine");
        assert!(matches!(
            Rubric::load(&dir.join("missing.toml")),
            Err(RubricError::Io { .. })
        ));
        std::fs::remove_dir_all(&dir).ok();
    }
}
