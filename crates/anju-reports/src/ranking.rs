//! 烟台 monthly 考核评比 of districts and streets (seed 001 四(四)): "每月对各区落实物业管理组织
//! 机构建立、无物业服务小区成立业主委员会（…可由环境和物业管理委员会代替）、分类实施小区物业全覆盖
//! 等工作进行考核评比，考核成绩全市通报，对工作不力的区、街道（镇）责任人进行约谈".
//!
//! The seed names what is assessed but gives no formula; of its three items the ledger knows two,
//! so the ranking is computed from those, as of the last day of the month:
//!
//! - 无物业小区: the compounds whose first recorded management mode was 无物业/弃管 or 业主自管
//!   (the programme's targets; a compound the census already found managed is not one).
//! - 全覆盖进度 = those now served (any mode that is not unmanaged on that day) ÷ 无物业小区.
//! - 业主组织组建率 = those with an owners' body (业委会, 物管会 or 环物委; the seed allows the
//!   latter) formed on or before that day ÷ 无物业小区.
//! - Both as percentages, two decimals, half-up. A unit with no 无物业小区 has nothing left to do
//!   and counts 100.00 on both.
//!
//! Ranking rule ([`RankRule`], Anju's own since the seed gives none; chosen per report): by
//! default higher 全覆盖进度 first, equal progress → higher 业主组织组建率 first; or the owners'
//! bodies first; or a weighted score (全覆盖进度 × w % + 业主组织组建率 × (100 − w) %, two
//! decimals half-up). Equal on the rule's keys → the same rank, and the next rank skips
//! (1, 1, 3), listed by name. 组织机构建立 is not in the data and is not scored. The monthly
//! figures come from the dated mode history and owners'-body dates, so a past month is reported
//! as it stood then.

use crate::{ReportError, Result, Scope, compounds_in};
use anju_core::ModeGroup;
use anju_sheets::{ReportCell, ReportSheet};
use anju_store::Store;
use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub const TITLE: &str = "物业管理全覆盖工作考核评比排名";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankingParams {
    pub scope: Scope,
    /// The month, `YYYY-MM`; figures as of its last day.
    pub month: String,
    /// How units are ordered (the seed gives no rule: Anju's own, chosen by the reporting
    /// office).
    pub rule: RankRule,
}

/// How the ranking orders units. Seed 001 四（四） lists what is assessed, not how it is scored,
/// so every rule here is Anju's own and named as such on the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum RankRule {
    /// 全覆盖进度, then 业主组织组建率 (`coverage`, the default).
    #[default]
    CoverageFirst,
    /// 业主组织组建率, then 全覆盖进度 (`bodies`).
    BodiesFirst,
    /// A weighted score: 全覆盖进度 × `coverage` % + 业主组织组建率 × (100 − `coverage`) %
    /// (`weighted:70`).
    Weighted { coverage: u8 },
}

impl RankRule {
    /// `coverage` | `bodies` | `weighted:N` (N 0–100, the share of 全覆盖进度 in percent).
    pub fn parse(s: &str) -> Option<RankRule> {
        match s.trim() {
            "" | "coverage" => Some(RankRule::CoverageFirst),
            "bodies" => Some(RankRule::BodiesFirst),
            w => {
                let n: u8 = w.strip_prefix("weighted:")?.trim().parse().ok()?;
                (n <= 100).then_some(RankRule::Weighted { coverage: n })
            }
        }
    }

    /// The form [`RankRule::parse`] reads.
    pub fn code(self) -> String {
        match self {
            RankRule::CoverageFirst => "coverage".into(),
            RankRule::BodiesFirst => "bodies".into(),
            RankRule::Weighted { coverage } => format!("weighted:{coverage}"),
        }
    }

    /// The rule in a sentence, as the sheet's note states it.
    pub fn describe(self, lang: anju_core::Lang) -> String {
        match (self, lang) {
            (RankRule::CoverageFirst, anju_core::Lang::Zh) => {
                "先按全覆盖进度、再按业主组织组建率从高到低排名".into()
            }
            (RankRule::CoverageFirst, anju_core::Lang::En) => {
                "by coverage progress, then by the owners'-body rate, highest first".into()
            }
            (RankRule::BodiesFirst, anju_core::Lang::Zh) => {
                "先按业主组织组建率、再按全覆盖进度从高到低排名".into()
            }
            (RankRule::BodiesFirst, anju_core::Lang::En) => {
                "by the owners'-body rate, then by coverage progress, highest first".into()
            }
            (RankRule::Weighted { coverage }, anju_core::Lang::Zh) => format!(
                "按综合得分从高到低排名：综合得分 = 全覆盖进度 × {coverage}% + 业主组织组建率 × {}%（保留两位小数，四舍五入）",
                100 - coverage
            ),
            (RankRule::Weighted { coverage }, anju_core::Lang::En) => format!(
                "by a combined score, highest first: coverage progress × {coverage} % + owners'-body rate × {} % (two decimals, half-up)",
                100 - coverage
            ),
        }
    }

    /// The combined score of a row (weighted rules only).
    fn score(self, progress: Decimal, bodies: Decimal) -> Option<Decimal> {
        let RankRule::Weighted { coverage } = self else {
            return None;
        };
        let w = Decimal::from(coverage);
        Some(two_places(
            (progress * w + bodies * (Decimal::ONE_HUNDRED - w)) / Decimal::ONE_HUNDRED,
        ))
    }

    /// The keys units are ordered by, highest first.
    fn key(self, r: &RankingRow) -> (Decimal, Decimal) {
        match self {
            RankRule::CoverageFirst => (r.progress_percent, r.body_percent),
            RankRule::BodiesFirst => (r.body_percent, r.progress_percent),
            RankRule::Weighted { .. } => (r.score_percent.unwrap_or_default(), Decimal::ZERO),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankingRow {
    pub rank: u32,
    pub district: String,
    /// `None` on the district sheet.
    pub street: Option<String>,
    pub compounds: u64,
    /// 无物业小区 (first recorded mode unmanaged).
    pub target: u64,
    pub covered: u64,
    pub with_body: u64,
    pub progress_percent: Decimal,
    pub body_percent: Decimal,
    /// 综合得分 under a weighted rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_percent: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankingReport {
    pub month: String,
    pub as_of: Date,
    pub rule: RankRule,
    pub districts: Vec<RankingRow>,
    pub streets: Vec<RankingRow>,
}

/// part ÷ whole in percent, two decimals, half-up; 100.00 when there is nothing to do.
pub fn percent2(part: u64, whole: u64) -> Decimal {
    if whole == 0 {
        return Decimal::new(10000, 2);
    }
    two_places(Decimal::from(part) * Decimal::from(100) / Decimal::from(whole))
}

/// Rounded half-up to two decimals, and always shown with two ("0.00", not "0").
fn two_places(x: Decimal) -> Decimal {
    let mut d = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    d.rescale(2);
    d
}

/// Sorts and ranks by `rule` (its keys descending); ties share a rank (competition ranking:
/// 1, 1, 3) and are listed by district then street name.
pub fn rank(rows: &mut [RankingRow], rule: RankRule) {
    for r in rows.iter_mut() {
        r.score_percent = rule.score(r.progress_percent, r.body_percent);
    }
    rows.sort_by(|a, b| {
        rule.key(b)
            .cmp(&rule.key(a))
            .then_with(|| a.district.cmp(&b.district))
            .then_with(|| a.street.cmp(&b.street))
    });
    let mut prev: Option<(Decimal, Decimal)> = None;
    let mut current = 0;
    for (i, r) in rows.iter_mut().enumerate() {
        let key = rule.key(r);
        if prev != Some(key) {
            current = u32::try_from(i + 1).unwrap_or(u32::MAX);
            prev = Some(key);
        }
        r.rank = current;
    }
}

fn parse_month(s: &str) -> Option<Date> {
    let (y, m) = s.trim().split_once('-')?;
    let first = Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()?;
    first.last_of_month().into()
}

pub async fn build_ranking(store: &Store, p: &RankingParams) -> Result<RankingReport> {
    let as_of = parse_month(&p.month).ok_or_else(|| {
        ReportError::invalid(
            format!("--period“{}”应为月份 YYYY-MM，如 2026-10", p.month),
            format!(
                "--period '{}' must be a month YYYY-MM, e.g. 2026-10",
                p.month
            ),
        )
    })?;
    let compounds = compounds_in(store, &p.scope).await?;
    let mut district_of: BTreeMap<String, String> = BTreeMap::new();
    for c in &compounds {
        district_of
            .entry(c.compound.street.clone())
            .or_insert_with(|| {
                c.compound
                    .district
                    .clone()
                    .unwrap_or_else(|| "（未填区县）".to_string())
            });
    }
    let ids: std::collections::HashSet<i64> = compounds.iter().map(|c| c.id).collect();
    // (compounds, target, covered, with_body) per street.
    let mut per_street: HashMap<String, [u64; 4]> = HashMap::new();
    for street in district_of.keys() {
        let facts = store.compound_facts(street).await?;
        let e = per_street.entry(street.clone()).or_default();
        for f in facts.iter().filter(|f| ids.contains(&f.id)) {
            e[0] += 1;
            let first_unmanaged = f
                .modes
                .first()
                .is_some_and(|m| m.mode.group() == ModeGroup::Unmanaged);
            if !first_unmanaged {
                continue;
            }
            e[1] += 1;
            if f.mode_on(as_of)
                .is_some_and(|m| m.group() != ModeGroup::Unmanaged)
            {
                e[2] += 1;
            }
            if f.body_since.is_some_and(|d| d <= as_of) {
                e[3] += 1;
            }
        }
    }
    let row = |district: &str, street: Option<&str>, n: [u64; 4]| RankingRow {
        rank: 0,
        district: district.to_string(),
        street: street.map(str::to_string),
        compounds: n[0],
        target: n[1],
        covered: n[2],
        with_body: n[3],
        progress_percent: percent2(n[2], n[1]),
        body_percent: percent2(n[3], n[1]),
        score_percent: None,
    };
    let mut streets = Vec::new();
    let mut by_district: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for (street, district) in &district_of {
        let n = per_street.get(street).copied().unwrap_or_default();
        let d = by_district.entry(district.clone()).or_default();
        for k in 0..4 {
            d[k] += n[k];
        }
        streets.push(row(district, Some(street), n));
    }
    let mut districts: Vec<RankingRow> =
        by_district.iter().map(|(d, n)| row(d, None, *n)).collect();
    rank(&mut districts, p.rule);
    rank(&mut streets, p.rule);
    Ok(RankingReport {
        month: p.month.trim().to_string(),
        as_of,
        rule: p.rule,
        districts,
        streets,
    })
}

/// The sheet's note: what the figures mean and the rule, stated as Anju's own.
pub fn rule_note(rule: RankRule) -> String {
    format!(
        "注：依据烟台市实施方案四（四）每月考核评比。全覆盖进度 = 已实现物业管理的无物业小区 ÷ 无物业小区；业主组织组建率 = 已成立业主委员会（或物业管理委员会、环境和物业管理委员会）的无物业小区 ÷ 无物业小区（无物业小区：台账首次记录为无物业/弃管或业主自管的小区；没有无物业小区的按 100% 计）。{}，{}相同的名次并列，下一名次顺延。方案只列考核内容、未给计算方法，以上排名规则为安居自定（报表可选：先全覆盖进度 | 先业主组织 | 加权综合得分）；方案所列“组织机构建立”不在台账数据中，未计入。",
        rule.describe(anju_core::Lang::Zh),
        if matches!(rule, RankRule::Weighted { .. }) {
            "综合得分"
        } else {
            "两项均"
        }
    )
}

fn sheet(
    name: &str,
    month: &str,
    as_of: Date,
    rule: RankRule,
    rows: &[RankingRow],
    streets: bool,
) -> ReportSheet {
    let weighted = matches!(rule, RankRule::Weighted { .. });
    let mut headings = vec!["名次", "区"];
    if streets {
        headings.push("街道（镇）");
    }
    headings.extend([
        "小区总数",
        "无物业小区",
        "已实现物业管理",
        "全覆盖进度（%）",
        "已成立业主组织",
        "业主组织组建率（%）",
    ]);
    if weighted {
        headings.push("综合得分");
    }
    let mut widths = vec![6, 16];
    if streets {
        widths.push(18);
    }
    widths.extend([10, 12, 14, 14, 14, 16]);
    if weighted {
        widths.push(10);
    }
    ReportSheet {
        name: name.to_string(),
        title: format!("{}（{}）", TITLE, if streets { "街道" } else { "区" }),
        subtitle: Some(format!("考核月份：{month}　　统计截止：{as_of}")),
        groups: vec![],
        headings: headings.iter().map(|h| h.to_string()).collect(),
        widths,
        rows: rows
            .iter()
            .map(|r| {
                let mut v = vec![ReportCell::int(r.rank), ReportCell::text(&r.district)];
                if streets {
                    v.push(ReportCell::opt_text(r.street.as_deref()));
                }
                let n = |x: u64| ReportCell::Int(i64::try_from(x).unwrap_or(i64::MAX));
                v.extend([
                    n(r.compounds),
                    n(r.target),
                    n(r.covered),
                    ReportCell::dec(r.progress_percent, 2),
                    n(r.with_body),
                    ReportCell::dec(r.body_percent, 2),
                ]);
                if let Some(x) = r.score_percent {
                    v.push(ReportCell::dec(x, 2));
                }
                v
            })
            .collect(),
        bold_rows: vec![],
        merges: vec![],
        notes: vec![rule_note(rule)],
        landscape: false,
    }
}

impl RankingReport {
    pub fn sheets(&self) -> Vec<ReportSheet> {
        vec![
            sheet(
                "区排名",
                &self.month,
                self.as_of,
                self.rule,
                &self.districts,
                false,
            ),
            sheet(
                "街道排名",
                &self.month,
                self.as_of,
                self.rule,
                &self.streets,
                true,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(d: &str, p: i64, b: i64) -> RankingRow {
        RankingRow {
            rank: 0,
            district: d.into(),
            street: None,
            compounds: 0,
            target: 0,
            covered: 0,
            with_body: 0,
            progress_percent: Decimal::new(p, 2),
            body_percent: Decimal::new(b, 2),
            score_percent: None,
        }
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let mut rows = vec![
            r("丙区", 5000, 1000),
            r("乙区", 8000, 2000),
            r("甲区", 8000, 2000),
            r("丁区", 8000, 1999),
        ];
        rank(&mut rows, RankRule::CoverageFirst);
        let got: Vec<(&str, u32)> = rows.iter().map(|r| (r.district.as_str(), r.rank)).collect();
        assert_eq!(
            got,
            vec![("乙区", 1), ("甲区", 1), ("丁区", 3), ("丙区", 4)]
        );
    }

    /// The rule is the reporting office's choice: owners' bodies first puts 丙区's 30 % ahead of
    /// 丁区's 19.99 %; weighted 70/30, 乙区 80 × 0.7 + 20 × 0.3 = 62.00, 丁区 80 × 0.7 + 19.99 × 0.3
    /// = 61.997 → 62.00 (half-up: tied with 乙区), 丙区 50 × 0.7 + 30 × 0.3 = 44.00.
    #[test]
    fn the_rule_is_chosen() {
        let rows = || {
            vec![
                r("丙区", 5000, 3000),
                r("乙区", 8000, 2000),
                r("丁区", 8000, 1999),
            ]
        };
        let mut b = rows();
        rank(&mut b, RankRule::BodiesFirst);
        let got: Vec<&str> = b.iter().map(|r| r.district.as_str()).collect();
        assert_eq!(got, vec!["丙区", "乙区", "丁区"]);
        let mut w = rows();
        let rule = RankRule::parse("weighted:70").expect("rule");
        rank(&mut w, rule);
        let got: Vec<(&str, u32, String)> = w
            .iter()
            .map(|r| {
                (
                    r.district.as_str(),
                    r.rank,
                    r.score_percent.map(|d| d.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("丁区", 1, "62.00".into()),
                ("乙区", 1, "62.00".into()),
                ("丙区", 3, "44.00".into())
            ]
        );
        assert!(rule_note(rule).contains("全覆盖进度 × 70% + 业主组织组建率 × 30%"));
        assert!(rule_note(rule).contains("安居自定"));
        assert_eq!(RankRule::parse("weighted:101"), None);
        assert_eq!(RankRule::parse("score"), None);
        assert_eq!(
            RankRule::parse("bodies").map(RankRule::code),
            Some("bodies".into())
        );
    }

    #[test]
    fn percent_is_half_up_and_full_when_nothing_to_do() {
        assert_eq!(percent2(1, 3), Decimal::new(3333, 2));
        assert_eq!(percent2(2, 3), Decimal::new(6667, 2));
        assert_eq!(percent2(1, 8), Decimal::new(1250, 2));
        // 3.125 → 3.13: half-up, not to even.
        assert_eq!(percent2(1, 32), Decimal::new(313, 2));
        assert_eq!(percent2(0, 0), Decimal::new(10000, 2));
        assert_eq!(percent2(0, 7).to_string(), "0.00");
        assert_eq!(parse_month("2026-02"), Some(jiff::civil::date(2026, 2, 28)));
        assert_eq!(parse_month("2026-13"), None);
    }
}
