//! The reports officials file upward, in the seeds' own layouts (issue 7, part 4).
//!
//! Each report is two steps: `build_NAME(store, params) -> NAMEReport` reads what it needs from
//! the store in a few bulk queries and returns plain, serializable data (rows and totals; the
//! web can render the same data as a printable page), and `NAMEReport::sheets()` lays that data
//! out column for column as the seed prints it, as [`anju_sheets::ReportSheet`]s that
//! [`anju_sheets::write_report`] turns into an .xlsx file. No SQL here, no file formats here.
//!
//! | name | seed | what |
//! |---|---|---|
//! | `dispatch` | 003 附件5 | 住宅小区物业管理全覆盖进展情况调度表 (filed on the 1st and 15th) |
//! | `tasks-3` | 003 附件3 | 实施物业企业管理的住宅小区提升任务一览表 |
//! | `tasks-4` | 003 附件4 | 实施住宅小区物业管理全覆盖任务一览表 |
//! | `coverage` | 004 一, DOMAIN | 覆盖率 by street and community (= `anju stats`) |
//! | `ranking` | 001 四(四) | 烟台 monthly 考核评比 of districts and streets |
//! | `scores` | 002 附件 | 二七区考核评分表 per compound for a half-year |
//! | `accounts` | 002 七(四) | 收支公示 of a compound or a street for a period |

mod accounts;
mod coverage;
mod dispatch;
mod ranking;
mod scores;
mod tasks;

pub use accounts::{AccountsParams, AccountsReport, AccountsRow, build_accounts};
pub use coverage::{CoverageRow, CoverageTable, build_coverage};
pub use dispatch::{
    DispatchParams, DispatchReport, DispatchRow, DispatchStreet, HEADINGS as DISPATCH_HEADINGS,
    TITLE as DISPATCH_TITLE, build_dispatch, filing_date, is_filing_day,
};
pub use ranking::{RankRule, RankingParams, RankingReport, RankingRow, build_ranking, rank};
pub use scores::{ScoreItemRow, ScoreSheet, ScoresParams, ScoresReport, build_scores};
pub use tasks::{TaskList, TaskRow, TasksReport, build_tasks};

use anju_core::Lang;
use anju_store::{CompoundFilter, Store, StoreError, StoredCompound};
use serde::Serialize;

/// The reports `anju report NAME` writes (besides `subsidy-application` and
/// `disbursement-list`, which belong to the subsidy run).
pub const REPORTS: [(&str, &str, &str); 7] = [
    (
        "dispatch",
        "住宅小区物业管理全覆盖进展情况调度表（山亭区附件5，每月1日、15日报送）",
        "Coverage progress dispatch sheet (Shanting annex 5, filed on the 1st and 15th)",
    ),
    (
        "tasks-3",
        "实施物业企业管理的住宅小区提升任务一览表（山亭区附件3）",
        "Improvement tasks of company-managed compounds (Shanting annex 3)",
    ),
    (
        "tasks-4",
        "实施住宅小区物业管理全覆盖任务一览表（山亭区附件4）",
        "Coverage tasks of compounds without management (Shanting annex 4)",
    ),
    (
        "coverage",
        "物业管理覆盖情况统计表（按街道、社区）",
        "Coverage by street and community",
    ),
    (
        "ranking",
        "物业管理全覆盖工作月度考核评比排名（烟台，区、街道）",
        "Monthly ranking of districts and streets (Yantai)",
    ),
    (
        "scores",
        "老旧小区物业管理考核评分表（二七区，每半年，每小区一表）",
        "Semi-annual assessment score sheet per compound (Erqi)",
    ),
    (
        "accounts",
        "物业服务收支情况公示表",
        "Public statement of income and spending",
    ),
];

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{zh}")]
    Invalid { zh: String, en: String },
}

impl ReportError {
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> ReportError {
        ReportError::Invalid {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReportError::Store(e) => e.to_string(),
            ReportError::Invalid { zh, en } => lang.pick(zh, en).to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, ReportError>;

/// Which compounds a report covers: a district, a street, or everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub district: Option<String>,
    pub street: Option<String>,
}

impl Scope {
    /// "山城街道", "山亭区", "山亭区山城街道", or "全部".
    pub fn label(&self) -> String {
        match (&self.district, &self.street) {
            (Some(d), Some(s)) => format!("{d}{s}"),
            (Some(d), None) => d.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => "全部".to_string(),
        }
    }

    /// The compounds of the scope (current ones, in id order).
    pub(crate) fn filter(&self) -> CompoundFilter {
        CompoundFilter {
            district: self.district.clone(),
            street: self.street.clone(),
            sort: anju_store::CompoundSort::Id,
            ..CompoundFilter::default()
        }
    }

    /// An empty result is an error when the scope names a place (a misspelt street, say).
    pub(crate) fn found(&self, any: bool) -> Result<()> {
        if !any && (self.district.is_some() || self.street.is_some()) {
            let l = self.label();
            return Err(ReportError::invalid(
                format!("没有找到“{l}”的小区（请检查 --street / --district）"),
                format!("no compound found in '{l}' (check --street / --district)"),
            ));
        }
        Ok(())
    }
}

/// The current compounds in scope (one query); an empty scope that names a place is an error.
pub(crate) async fn compounds_in(store: &Store, scope: &Scope) -> Result<Vec<StoredCompound>> {
    compounds_in_order(store, scope, anju_store::CompoundSort::Region).await
}

/// [`compounds_in`] in another order (a report that orders its rows itself asks for `Id`, the
/// cheapest for the database).
pub(crate) async fn compounds_in_order(
    store: &Store,
    scope: &Scope,
    sort: anju_store::CompoundSort,
) -> Result<Vec<StoredCompound>> {
    let rows = store
        .list_compounds(&CompoundFilter {
            sort,
            ..scope.filter()
        })
        .await?;
    scope.found(!rows.is_empty())?;
    Ok(rows)
}

/// A subsidy line as the 申报表 and the 拨付清单 print it (the CLI and the web download share it).
pub fn subsidy_sheet_line(
    l: &anju_store::SubsidyLine,
    lang: Lang,
) -> anju_sheets::SubsidySheetLine {
    anju_sheets::SubsidySheetLine {
        id: l.id,
        street: l.street.clone(),
        compound: l.compound.clone(),
        company: l.company.clone(),
        kind: l.kind.label(lang).to_string(),
        policy: l.policy_id.clone(),
        period_start: l.period_start,
        period_end: l.period_end,
        eligible: l.eligible,
        amount: l.amount,
        retained: l.retained,
        approved: l.approved,
        payers: l
            .payers
            .iter()
            .map(|p| (lang.pick(&p.name, &p.name_en).to_string(), p.amount))
            .collect(),
        status: l.status.label(lang).to_string(),
        reason: l.reason(lang).map(str::to_string),
        explanation: l.explanation(lang).to_string(),
    }
}
