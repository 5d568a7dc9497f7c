//! 二七区老旧小区物业管理考核评分表 (seed 002 附件), one sheet per compound for a half-year
//! (七(二)1 "每半年…考评打分").
//!
//! The seed's five columns — 序号 · 考核大项 · 考核分项 · 分值 · 评分标准 — then the two a filled-in
//! sheet needs: 扣分情况 (each deduction: what, how many times, points, the assessor's notes) and
//! 得分. 考核大项 is written as the seed writes it ("基础工作（20分）") and merged over its items.
//! A 合计 row (分值 100, the total) and a 考核等次 row close the table.
//!
//! Which assessment: per compound and period, the final one (已定案) if there is one, else the
//! latest not in draft, else the latest draft; its status is printed on the sheet so a draft is
//! never mistaken for a result. Items and points come from the stored scorecard (what was
//! scored), 评分标准 from the rubric file the scorecard names (crates/anju-policy/rubrics).

use crate::{ReportError, Result, Scope, compounds_in};
use anju_core::Lang;
use anju_core::assessment::{AssessmentStatus, Period, PeriodKind};
use anju_policy::rubric::Rubric;
use anju_sheets::{BodyMerge, ReportCell, ReportSheet};
use anju_store::{Assessment, AssessmentFilter, Store};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoresParams {
    pub scope: Scope,
    /// `2026-H1`, `2026H2` …
    pub period: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreItemRow {
    pub no: u32,
    /// "基础工作（20分）"
    pub group: String,
    pub text: String,
    pub points: Decimal,
    pub standard: String,
    /// "未备案1次，扣5分（合同未报街道备案）"; several joined with "；".
    pub deductions: String,
    /// `None`: not scored (the reason is in `deductions`).
    pub score: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreSheet {
    pub compound_id: i64,
    pub compound: String,
    pub street: String,
    pub company: Option<String>,
    pub assessor: String,
    pub status: String,
    pub rubric: String,
    pub items: Vec<ScoreItemRow>,
    pub max_total: Decimal,
    pub total: Decimal,
    /// 优秀 / 良好 / 合格 / 不合格; `None` when an item is not scored.
    pub grade: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoresReport {
    pub period: String,
    pub period_label: String,
    pub sheets: Vec<ScoreSheet>,
    /// Compounds in scope without an assessment for the period.
    pub missing: Vec<String>,
}

/// "2026年上半年", "2026年第3季度", "2026年3月", "2026年度".
pub fn period_label(p: &Period) -> String {
    let y = p.start.year();
    let m = p.start.month();
    match p.kind {
        PeriodKind::HalfYear if m <= 6 => format!("{y}年上半年"),
        PeriodKind::HalfYear => format!("{y}年下半年"),
        PeriodKind::Quarter => format!("{y}年第{}季度", (m - 1) / 3 + 1),
        PeriodKind::Month => format!("{y}年{m}月"),
        PeriodKind::Year => format!("{y}年度"),
    }
}

fn preference(a: &Assessment) -> (u8, i64) {
    let rank = match a.status {
        AssessmentStatus::Final => 3,
        AssessmentStatus::Draft => 1,
        _ => 2,
    };
    (rank, a.id)
}

fn fmt_points(d: Decimal) -> String {
    d.normalize().to_string()
}

pub async fn build_scores(store: &Store, p: &ScoresParams) -> Result<ScoresReport> {
    let period = Period::parse(&p.period).ok_or_else(|| {
        ReportError::invalid(
            format!("--period“{}”不是考核期间（如 2026-H1）", p.period),
            format!("--period '{}' is not a period (e.g. 2026-H1)", p.period),
        )
    })?;
    let compounds = compounds_in(store, &p.scope).await?;
    let in_scope: HashSet<i64> = compounds.iter().map(|c| c.id).collect();
    let mut chosen: HashMap<i64, Assessment> = HashMap::new();
    for a in store
        .list_assessments(&AssessmentFilter {
            period: Some(period.code()),
            ..AssessmentFilter::default()
        })
        .await?
    {
        if !in_scope.contains(&a.compound_id) {
            continue;
        }
        match chosen.get(&a.compound_id) {
            Some(b) if preference(b) >= preference(&a) => {}
            _ => {
                chosen.insert(a.compound_id, a);
            }
        }
    }
    let mut rubrics: HashMap<String, Option<Rubric>> = HashMap::new();
    let mut sheets = Vec::new();
    let mut missing = Vec::new();
    for c in &compounds {
        let Some(a) = chosen.get(&c.id) else {
            missing.push(c.compound.name.clone());
            continue;
        };
        let rubric = rubrics
            .entry(a.rubric_id.clone())
            .or_insert_with(|| Rubric::builtin(&a.rubric_id).ok());
        let card = &a.scorecard;
        let items = card
            .items
            .iter()
            .map(|it| {
                let group = card
                    .groups
                    .iter()
                    .find(|g| g.code == it.group)
                    .map(|g| format!("{}（{}分）", g.name_zh, fmt_points(g.points)))
                    .unwrap_or_else(|| it.group.clone());
                let standard = rubric
                    .as_ref()
                    .and_then(|r| r.item(it.no))
                    .map(|r| r.standard_zh.clone())
                    .unwrap_or_default();
                let mut parts: Vec<String> = it
                    .deductions
                    .iter()
                    .map(|d| {
                        let mut s =
                            format!("{}{}次，扣{}分", d.text_zh, d.count, fmt_points(d.amount));
                        if !d.notes.is_empty() {
                            s.push_str(&format!("（{}）", d.notes.join("；")));
                        }
                        s
                    })
                    .collect();
                if it.capped {
                    parts.push(format!("扣分以本项分值{}分为限", fmt_points(it.points)));
                }
                if let Some(s) = &it.satisfaction {
                    parts.push(format!(
                        "满意度{}{}",
                        s.rate.percent_text(),
                        s.tier_zh
                            .as_deref()
                            .map(|t| format!("（{t}）"))
                            .unwrap_or_default()
                    ));
                }
                if let anju_policy::rubric::ItemStatus::NotScored { reason_zh, .. } = &it.status {
                    parts.push(format!("不计分：{reason_zh}"));
                }
                ScoreItemRow {
                    no: it.no,
                    group,
                    text: it.text_zh.clone(),
                    points: it.points,
                    standard,
                    deductions: parts.join("；"),
                    score: it.score,
                }
            })
            .collect();
        sheets.push(ScoreSheet {
            compound_id: c.id,
            compound: c.compound.name.clone(),
            street: c.compound.street.clone(),
            company: c.compound.company.clone(),
            assessor: a.assessor.clone(),
            status: a.status.label(Lang::Zh).to_string(),
            rubric: card.rubric_name_zh.clone(),
            items,
            max_total: card.max_total,
            total: card.total,
            grade: card.grade.as_ref().map(|g| g.name_zh.clone()),
        });
    }
    if sheets.is_empty() {
        return Err(ReportError::invalid(
            format!(
                "“{}”在{}没有考核记录（请先录入考核评分）",
                p.scope.label(),
                period_label(&period)
            ),
            format!(
                "'{}' has no assessment for {} (record an assessment first)",
                p.scope.label(),
                period.code()
            ),
        ));
    }
    Ok(ScoresReport {
        period: period.code(),
        period_label: period_label(&period),
        sheets,
        missing,
    })
}

pub const HEADINGS: [&str; 7] = [
    "序号",
    "考核大项",
    "考核分项",
    "分值",
    "评分标准",
    "扣分情况",
    "得分",
];

impl ScoresReport {
    pub fn sheets(&self) -> Vec<ReportSheet> {
        self.sheets
            .iter()
            .map(|s| {
                let mut rows: Vec<Vec<ReportCell>> = s
                    .items
                    .iter()
                    .map(|it| {
                        vec![
                            ReportCell::int(it.no),
                            ReportCell::text(&it.group),
                            ReportCell::text(&it.text),
                            ReportCell::dec(it.points, 1),
                            ReportCell::text(&it.standard),
                            ReportCell::opt_text(Some(&it.deductions)),
                            it.score.map_or(ReportCell::Empty, |v| ReportCell::dec(v, 1)),
                        ]
                    })
                    .collect();
                let mut merges = Vec::new();
                let mut i = 0;
                while i < s.items.len() {
                    let mut j = i;
                    while j + 1 < s.items.len() && s.items[j + 1].group == s.items[i].group {
                        j += 1;
                    }
                    if j > i {
                        merges.push(BodyMerge {
                            first_row: u32::try_from(i).unwrap_or(0),
                            last_row: u32::try_from(j).unwrap_or(0),
                            col: 1,
                        });
                    }
                    i = j + 1;
                }
                let n = u32::try_from(rows.len()).unwrap_or(0);
                rows.push(vec![
                    ReportCell::Empty,
                    ReportCell::text("合计"),
                    ReportCell::Empty,
                    ReportCell::dec(s.max_total, 1),
                    ReportCell::Empty,
                    ReportCell::Empty,
                    ReportCell::dec(s.total, 1),
                ]);
                rows.push(vec![
                    ReportCell::Empty,
                    ReportCell::text("考核等次"),
                    ReportCell::Empty,
                    ReportCell::Empty,
                    ReportCell::text(
                        "95分（含）以上优秀；85分（含）—95分良好；70分（含）—85分合格；70分以下不合格",
                    ),
                    ReportCell::Empty,
                    ReportCell::text(s.grade.as_deref().unwrap_or("未评定（有未计分项）")),
                ]);
                ReportSheet {
                    name: s.compound.clone(),
                    title: format!("{}（{}）", s.rubric, self.period_label),
                    subtitle: Some(format!(
                        "街道：{}　小区：{}　物业企业：{}　考核人：{}　状态：{}",
                        s.street,
                        s.compound,
                        s.company.as_deref().unwrap_or("—"),
                        s.assessor,
                        s.status
                    )),
                    groups: vec![],
                    headings: HEADINGS.iter().map(|h| h.to_string()).collect(),
                    widths: vec![6, 14, 44, 7, 30, 30, 8],
                    rows,
                    bold_rows: vec![n, n + 1],
                    merges,
                    notes: vec![],
                    landscape: true,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_labels_read_as_officials_write_them() {
        let p = |s| Period::parse(s).expect("period");
        assert_eq!(period_label(&p("2026-H1")), "2026年上半年");
        assert_eq!(period_label(&p("2026H2")), "2026年下半年");
        assert_eq!(period_label(&p("2026-03")), "2026年3月");
    }
}
