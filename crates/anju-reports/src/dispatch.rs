//! 住宅小区物业管理全覆盖进展情况调度表 (seed 003 附件5), one sheet per street.
//!
//! Columns as the seed prints them: 序号 · 社区名称 · 小区名称 · 类别 · 入驻物业管理企业名称 ·
//! 物业管理性质（自主或外聘物业公司） · 入驻时间 · 服务内容 · 物业负责人 · 联系电话 · 备注, under
//! "XX街道办事处" and the date it is filed for, with the seed's 注 1 and 2 under the table.
//!
//! Where each cell comes from:
//! - 类别: the ledger's 类别 (1/2/3, 注1).
//! - 入驻物业管理企业名称: the ledger's 物业企业 (only for a mode served by a company).
//! - 物业管理性质: 外聘物业公司 for 专业化物业 / 国有托管 / 纳入临近物业区域; 自主管理 for 业主自管;
//!   the mode's own name for 街道兜底简易物业, 单位后勤 and 无物业（弃管） — the seed's two words
//!   do not fit those three, and writing "自主" for a street's fallback would misreport it.
//! - 入驻时间: the entry date (进场) of the compound's active contract, when a company serves it;
//!   empty otherwise (the day the ledger's mode changed is when the ledger learnt it, not the
//!   entry, so it is not used).
//! - 服务内容: "物业服务（二级服务标准）" from that contract's service level; for 街道兜底
//!   the seed's own words (附件4): 保洁、保安、维护秩序等基础性物业服务.
//! - 物业负责人, 联系电话: the company's contact person and phone in the registry.
//!
//! Filing days (注2 "每月1号、15号报送"): the report date defaults to the latest 1st or 15th on
//! or before today; another date is accepted and flagged (`off_schedule`).
//!
//! Reads everything in two queries whatever the number of compounds: the roster
//! (`Store::compound_services`: each compound with its newest active contract) and the
//! companies — no per-compound query.

use crate::{Result, Scope};
use anju_core::{ManagementMode, ModeGroup};
use anju_sheets::{ReportCell, ReportSheet};
use anju_store::Store;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub const TITLE: &str = "住宅小区物业管理全覆盖进展情况调度表";

pub const HEADINGS: [&str; 11] = [
    "序号",
    "社区名称",
    "小区名称",
    "类别",
    "入驻物业管理企业名称",
    "物业管理性质\n（自主或外聘物业公司）",
    "入驻时间",
    "服务内容",
    "物业负责人",
    "联系电话",
    "备注",
];

/// Seed 003 附件5 注 (verbatim).
pub const NOTES: [&str; 2] = [
    "注：1.根据小区实际情况结合管理服务好、中、差程度划分类别。分为1、2、3三个等次。近年来，通过改造提升，基础设施得到改善，管理条件较好，已实施物业管理服务的划分为1类；基础设施一般，管理难度相对较大的为2类；基础设施较差或小区规模较小、管理难度较大的划分为3类。",
    "2.每月1号、15号报送至区住建局（住房保障服务中心物业科）。",
];

/// Seed 003 附件4: the basic service a street's own company gives.
pub const BASIC_SERVICE: &str = "保洁、保安、维护秩序等基础性物业服务";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DispatchParams {
    pub scope: Scope,
    /// The date the sheet is filed for; `None`: the latest 1st or 15th on or before `today`.
    pub date: Option<Date>,
    pub today: Date,
}

/// One row of the sheet (the seed's columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DispatchRow {
    pub no: u32,
    pub community: Option<String>,
    pub compound: String,
    pub category: Option<u8>,
    pub company: Option<String>,
    pub nature: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub entry_on: Option<Date>,
    pub service: Option<String>,
    pub manager: Option<String>,
    pub phone: Option<String>,
    pub remarks: Option<String>,
}

/// One street's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DispatchStreet {
    pub street: String,
    pub rows: Vec<DispatchRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DispatchReport {
    pub report_date: Date,
    /// The date is not a 1st or a 15th (注2).
    pub off_schedule: bool,
    pub streets: Vec<DispatchStreet>,
    pub compounds: usize,
}

/// 注2: filed on the 1st and the 15th (`anju_core::dispatch`).
pub use anju_core::dispatch::is_filing_day;

/// The latest 1st or 15th on or before `today`.
pub fn filing_date(today: Date) -> Date {
    anju_core::dispatch::filing_day_on_or_before(today)
}

/// 物业管理性质（自主或外聘物业公司）.
pub fn nature(mode: ManagementMode) -> &'static str {
    match mode {
        ManagementMode::Professional
        | ManagementMode::StateTakeover
        | ManagementMode::Neighbour => "外聘物业公司",
        ManagementMode::SelfManaged => "自主管理",
        m => m.zh(),
    }
}

pub async fn build_dispatch(store: &Store, p: &DispatchParams) -> Result<DispatchReport> {
    let report_date = p.date.unwrap_or_else(|| filing_date(p.today));
    // Rows are ordered here (by street, then community and id).
    let compounds = store.compound_services(&p.scope.filter()).await?;
    p.scope.found(!compounds.is_empty())?;
    let companies: HashMap<i64, anju_store::Company> = store
        .list_companies()
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut streets: BTreeMap<&str, Vec<&anju_store::CompoundService>> = BTreeMap::new();
    for c in &compounds {
        streets.entry(c.street.as_str()).or_default().push(c);
    }
    let mut out = Vec::with_capacity(streets.len());
    for (street, mut list) in streets {
        list.sort_by(|a, b| (a.community.as_deref(), a.id).cmp(&(b.community.as_deref(), b.id)));
        let rows = list
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let served = c.mode.group() == ModeGroup::Company;
                let company = c.company_id.and_then(|id| companies.get(&id));
                // A contract signed for a compound not yet served (no entry yet) says nothing
                // about who serves it today.
                let contract = c.contract.as_ref().filter(|_| served);
                let service = match (contract, c.mode) {
                    (Some(k), _) => Some(format!("物业服务（{}服务标准）", k.service_level.zh())),
                    (None, ManagementMode::StreetFallback) => Some(BASIC_SERVICE.to_string()),
                    _ => None,
                };
                DispatchRow {
                    no: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    community: c.community.clone(),
                    compound: c.name.clone(),
                    category: c.category.map(|k| k.number()),
                    company: if served { c.company.clone() } else { None },
                    nature: nature(c.mode).to_string(),
                    entry_on: contract.and_then(|k| k.entry_on),
                    service,
                    manager: company
                        .filter(|_| served)
                        .and_then(|k| k.contact_person.clone()),
                    phone: company.filter(|_| served).and_then(|k| k.phone.clone()),
                    remarks: c.remarks.clone(),
                }
            })
            .collect();
        out.push(DispatchStreet {
            street: street.to_string(),
            rows,
        });
    }
    Ok(DispatchReport {
        report_date,
        off_schedule: !is_filing_day(report_date),
        compounds: compounds.len(),
        streets: out,
    })
}

impl DispatchReport {
    /// One sheet per street, as each street office files its own.
    pub fn sheets(&self) -> Vec<ReportSheet> {
        self.streets
            .iter()
            .map(|s| {
                let office = if s.street.ends_with("办事处") {
                    s.street.clone()
                } else {
                    format!("{}办事处", s.street)
                };
                ReportSheet {
                    name: s.street.clone(),
                    title: TITLE.to_string(),
                    subtitle: Some(format!("{office}　　　　报送日期：{}", self.report_date)),
                    groups: vec![],
                    headings: HEADINGS.iter().map(|h| h.to_string()).collect(),
                    widths: vec![6, 14, 22, 6, 28, 16, 12, 22, 10, 14, 16],
                    rows: s
                        .rows
                        .iter()
                        .map(|r| {
                            vec![
                                ReportCell::int(r.no),
                                ReportCell::opt_text(r.community.as_deref()),
                                ReportCell::text(&r.compound),
                                r.category.map_or(ReportCell::Empty, ReportCell::int),
                                ReportCell::opt_text(r.company.as_deref()),
                                ReportCell::text(&r.nature),
                                r.entry_on.map_or(ReportCell::Empty, ReportCell::Date),
                                ReportCell::opt_text(r.service.as_deref()),
                                ReportCell::opt_text(r.manager.as_deref()),
                                ReportCell::opt_text(r.phone.as_deref()),
                                ReportCell::opt_text(r.remarks.as_deref()),
                            ]
                        })
                        .collect(),
                    bold_rows: vec![],
                    merges: vec![],
                    notes: NOTES.iter().map(|n| n.to_string()).collect(),
                    landscape: true,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn filing_date_is_the_latest_first_or_fifteenth() {
        for (today, want) in [
            (date(2026, 11, 1), date(2026, 11, 1)),
            (date(2026, 11, 14), date(2026, 11, 1)),
            (date(2026, 11, 15), date(2026, 11, 15)),
            (date(2026, 11, 30), date(2026, 11, 15)),
            (date(2026, 12, 31), date(2026, 12, 15)),
        ] {
            assert_eq!(filing_date(today), want, "{today}");
        }
        assert!(is_filing_day(date(2026, 2, 15)));
        assert!(!is_filing_day(date(2026, 2, 16)));
    }

    #[test]
    fn nature_names_hired_and_self_managed() {
        assert_eq!(nature(ManagementMode::Professional), "外聘物业公司");
        assert_eq!(nature(ManagementMode::SelfManaged), "自主管理");
        assert_eq!(nature(ManagementMode::StreetFallback), "街道兜底简易物业");
    }
}
