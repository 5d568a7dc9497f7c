//! 物业管理覆盖情况统计表: the figures of `anju stats` (`anju_core::stats::coverage` over the same
//! compounds, so the two agree by construction), one row per street followed by its communities,
//! and a 合计 row. The columns follow seed 004 一's count (小区, 户数, with a company, basic
//! cover, abandoned or self-managed by 30 households, owners' bodies) and DOMAIN.md's coverage
//! rate.

use crate::{Result, Scope, compounds_in};
use anju_core::stats::{Coverage, CoverageReport, coverage};
use anju_sheets::{GroupHeading, ReportCell, ReportSheet};
use anju_store::Store;
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;

pub const TITLE: &str = "物业管理覆盖情况统计表";

pub const HEADINGS: [&str; 15] = [
    "街道",
    "社区",
    "小区数",
    "户数",
    "建筑面积（㎡）",
    "小区数",
    "其中有业主组织",
    "兜底/单位后勤",
    "小区数",
    "其中有业主组织",
    "户数",
    "不满30户",
    "30户及以上",
    "有业主组织的小区",
    "物业覆盖率（%）",
];

/// One line of the table: a street (community `None`), a community, or the total (both `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    pub street: Option<String>,
    pub community: Option<String>,
    pub figures: Coverage,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageTable {
    pub scope: Scope,
    /// Exactly what `anju stats --format json` prints for the same scope.
    pub report: CoverageReport,
    pub rows: Vec<CoverageRow>,
}

pub async fn build_coverage(store: &Store, scope: &Scope) -> Result<CoverageTable> {
    let compounds = compounds_in(store, scope).await?;
    let report = coverage(compounds.iter().map(|c| &c.compound));
    let mut rows = Vec::new();
    for s in &report.streets {
        rows.push(CoverageRow {
            street: Some(s.street.clone()),
            community: None,
            figures: s.figures.clone(),
        });
        for c in &s.communities {
            rows.push(CoverageRow {
                street: Some(s.street.clone()),
                community: Some(c.community.clone()),
                figures: c.figures.clone(),
            });
        }
    }
    rows.push(CoverageRow {
        street: None,
        community: None,
        figures: report.total.clone(),
    });
    Ok(CoverageTable {
        scope: scope.clone(),
        report,
        rows,
    })
}

fn count(n: u64) -> ReportCell {
    ReportCell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

impl CoverageTable {
    pub fn sheets(&self) -> Vec<ReportSheet> {
        let mut bold = Vec::new();
        let rows = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let f = &r.figures;
                let (street, community) = match (&r.street, &r.community) {
                    (None, _) => {
                        bold.push(u32::try_from(i).unwrap_or(0));
                        ("合计".to_string(), String::new())
                    }
                    (Some(s), None) => {
                        bold.push(u32::try_from(i).unwrap_or(0));
                        (s.clone(), "小计".to_string())
                    }
                    (Some(s), Some(c)) => (s.clone(), c.clone()),
                };
                vec![
                    ReportCell::Text(street),
                    ReportCell::Text(community),
                    count(f.compounds),
                    count(f.households),
                    ReportCell::dec(f.area().to_decimal(), 2),
                    count(f.with_company),
                    count(f.with_company_with_committee),
                    count(f.basic),
                    count(f.unmanaged),
                    count(f.unmanaged_with_committee),
                    count(f.unmanaged_households),
                    count(f.unmanaged_under_30_households),
                    count(f.unmanaged_30_plus_households),
                    count(f.with_committee),
                    ReportCell::dec(
                        Decimal::from_str(&f.coverage_percent).unwrap_or_default(),
                        1,
                    ),
                ]
            })
            .collect();
        vec![ReportSheet {
            name: "覆盖情况".to_string(),
            title: TITLE.to_string(),
            subtitle: Some(format!("范围：{}", self.scope.label())),
            groups: vec![
                GroupHeading {
                    text: "合计".into(),
                    first_col: 2,
                    last_col: 4,
                },
                GroupHeading {
                    text: "有物业企业服务".into(),
                    first_col: 5,
                    last_col: 6,
                },
                GroupHeading {
                    text: "弃管（含自管）小区".into(),
                    first_col: 8,
                    last_col: 12,
                },
            ],
            headings: HEADINGS.iter().map(|h| h.to_string()).collect(),
            widths: vec![14, 14, 8, 10, 14, 8, 10, 10, 8, 10, 10, 9, 10, 10, 10],
            rows,
            bold_rows: bold,
            merges: vec![],
            notes: vec![
                "注：物业覆盖率 =（有物业企业服务 + 兜底/单位后勤）÷ 小区数；业主组织含业主委员会、物业管理委员会、环境和物业管理委员会；弃管按户数分为不满30户与30户及以上两档。".to_string(),
                anju_core::stats::HOUSEHOLD_BAND.line(anju_core::Lang::Zh),
            ],
            landscape: true,
        }]
    }
}
