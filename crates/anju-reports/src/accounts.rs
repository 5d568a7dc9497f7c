//! 物业服务收支情况公示表 (seed 002 七(四) "老旧小区物业服务费和公共收益实行收支帐目定期公布制度": the
//! fees residents pay, public revenue and the district subsidy in; spending out; the statement
//! published for residents to see), for one compound or every compound of a street or district.
//!
//! A 汇总 sheet (one row per compound with entries, and a 合计 row) and one sheet per compound:
//! 一、收入 (each line), 收入合计; 二、支出 (each line with its category), 支出合计 and each
//! category's subtotal; 三、结余; 业主委员会分成 (seed 004, 6–10 % of fee income). The
//! arithmetic is `anju_core::accounts::totals`, the same as `anju accounts show` and the public
//! page. One statement query per compound in scope.

use crate::{ReportError, Result, Scope, compounds_in};
use anju_core::Fen;
use anju_core::Lang;
use anju_core::accounts::EntryKind;
use anju_sheets::{ReportCell, ReportSheet};
use anju_store::{AccountStatement, Store};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountsParams {
    pub scope: Scope,
    /// One compound by name (or id) within the scope; `None`: every compound with entries.
    pub compound: Option<String>,
    pub period: String,
    /// 业主委员会分成比例 (%), 6–10.
    pub owners_share: Decimal,
}

/// A compound's line on the 汇总 sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountsRow {
    pub compound: String,
    pub street: String,
    pub income_fees: Fen,
    pub income_public_revenue: Fen,
    pub income_subsidy: Fen,
    pub income: Fen,
    pub spending: Fen,
    pub balance: Fen,
    pub owners_share: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountsReport {
    pub scope: Scope,
    pub period: String,
    pub owners_share_percent: Decimal,
    pub rows: Vec<AccountsRow>,
    pub total: AccountsRow,
    pub statements: Vec<AccountStatement>,
}

pub async fn build_accounts(store: &Store, p: &AccountsParams) -> Result<AccountsReport> {
    let period = p.period.trim();
    if period.is_empty() {
        return Err(ReportError::invalid(
            "请用 --period 指定公示期间（如 2026-Q1、2026-H1）",
            "give the period with --period (e.g. 2026-Q1, 2026-H1)",
        ));
    }
    let mut compounds = compounds_in(store, &p.scope).await?;
    if let Some(key) = &p.compound {
        let key = key.trim();
        compounds.retain(|c| c.compound.name == key || c.id.to_string() == key);
        if compounds.len() != 1 {
            return Err(ReportError::invalid(
                format!(
                    "--compound“{key}”在“{}”中匹配到 {} 个小区（请用 --street 限定或用编号）",
                    p.scope.label(),
                    compounds.len()
                ),
                format!(
                    "--compound '{key}' matches {} compounds in '{}' (narrow with --street or use the id)",
                    compounds.len(),
                    p.scope.label()
                ),
            ));
        }
    }
    let single = p.compound.is_some();
    let mut statements = Vec::new();
    for c in &compounds {
        let st = store
            .account_statement(c.id, period, p.owners_share)
            .await?;
        if single || !st.entries.is_empty() {
            statements.push(st);
        }
    }
    if statements.is_empty() {
        return Err(ReportError::invalid(
            format!(
                "“{}”在期间“{period}”没有收支记录（请先录入收支记录）",
                p.scope.label()
            ),
            format!(
                "'{}' has no account entries for '{period}' (record the entries first)",
                p.scope.label()
            ),
        ));
    }
    let row = |s: &AccountStatement| AccountsRow {
        compound: s.compound.clone(),
        street: s.street.clone(),
        income_fees: s.totals.income_fees,
        income_public_revenue: s.totals.income_public_revenue,
        income_subsidy: s.totals.income_subsidy,
        income: s.totals.income,
        spending: s.totals.spending,
        balance: s.totals.balance,
        owners_share: s.totals.owners_share,
    };
    let rows: Vec<AccountsRow> = statements.iter().map(row).collect();
    let sum = |f: fn(&AccountsRow) -> Fen| rows.iter().map(f).sum::<Fen>();
    let total = AccountsRow {
        compound: "合计".to_string(),
        street: String::new(),
        income_fees: sum(|r| r.income_fees),
        income_public_revenue: sum(|r| r.income_public_revenue),
        income_subsidy: sum(|r| r.income_subsidy),
        income: sum(|r| r.income),
        spending: sum(|r| r.spending),
        balance: sum(|r| r.balance),
        owners_share: sum(|r| r.owners_share),
    };
    Ok(AccountsReport {
        scope: p.scope.clone(),
        period: period.to_string(),
        owners_share_percent: p.owners_share,
        rows,
        total,
        statements,
    })
}

pub const SUMMARY_HEADINGS: [&str; 10] = [
    "序号",
    "街道",
    "小区名称",
    "物业服务费收入",
    "公共收益收入",
    "政府物业补贴",
    "收入合计",
    "支出合计",
    "结余",
    "业主委员会分成",
];

pub const DETAIL_HEADINGS: [&str; 4] = ["项目", "类别", "金额（元）", "说明"];

fn detail(s: &AccountStatement) -> ReportSheet {
    let t = &s.totals;
    let mut rows: Vec<Vec<ReportCell>> = Vec::new();
    let mut bold = Vec::new();
    let mut heading = |rows: &mut Vec<Vec<ReportCell>>, text: &str| {
        bold.push(u32::try_from(rows.len()).unwrap_or(0));
        rows.push(vec![
            ReportCell::text(text),
            ReportCell::Empty,
            ReportCell::Empty,
            ReportCell::Empty,
        ]);
    };
    heading(&mut rows, "一、收入");
    for e in s.entries.iter().filter(|e| e.kind.is_income()) {
        rows.push(vec![
            ReportCell::text(e.kind.name(Lang::Zh)),
            ReportCell::opt_text(e.category.as_deref()),
            ReportCell::Money(e.amount),
            ReportCell::opt_text(e.note.as_deref()),
        ]);
    }
    let income_rows = [
        ("其中：物业服务费收入", t.income_fees),
        ("其中：公共收益收入", t.income_public_revenue),
        ("其中：政府物业补贴", t.income_subsidy),
    ];
    for (label, v) in income_rows {
        rows.push(vec![
            ReportCell::text(label),
            ReportCell::Empty,
            ReportCell::Money(v),
            ReportCell::Empty,
        ]);
    }
    let total_row = |rows: &mut Vec<Vec<ReportCell>>, label: &str, v: Fen, note: &str| {
        rows.push(vec![
            ReportCell::text(label),
            ReportCell::Empty,
            ReportCell::Money(v),
            ReportCell::opt_text(Some(note)),
        ]);
    };
    total_row(&mut rows, "收入合计", t.income, "");
    let income_total = u32::try_from(rows.len() - 1).unwrap_or(0);
    heading(&mut rows, "二、支出");
    for e in s.entries.iter().filter(|e| e.kind == EntryKind::Spending) {
        rows.push(vec![
            ReportCell::text(e.kind.name(Lang::Zh)),
            ReportCell::opt_text(e.category.as_deref()),
            ReportCell::Money(e.amount),
            ReportCell::opt_text(e.note.as_deref()),
        ]);
    }
    for (cat, v) in &t.spending_by_category {
        rows.push(vec![
            ReportCell::text("其中："),
            ReportCell::text(if cat.is_empty() { "未分类" } else { cat }),
            ReportCell::Money(*v),
            ReportCell::Empty,
        ]);
    }
    total_row(&mut rows, "支出合计", t.spending, "");
    let spending_total = u32::try_from(rows.len() - 1).unwrap_or(0);
    total_row(&mut rows, "三、结余", t.balance, "收入合计 − 支出合计");
    let balance = u32::try_from(rows.len() - 1).unwrap_or(0);
    total_row(
        &mut rows,
        "业主委员会分成",
        t.owners_share,
        &format!("物业服务费收入的{}%", t.owners_share_percent.normalize()),
    );
    bold.extend([income_total, spending_total, balance]);
    ReportSheet {
        name: s.compound.clone(),
        title: format!("{}物业服务收支情况公示表", s.compound),
        subtitle: Some(format!("街道：{}　　公示期间：{}", s.street, s.period)),
        groups: vec![],
        headings: DETAIL_HEADINGS.iter().map(|h| h.to_string()).collect(),
        widths: vec![22, 16, 16, 30],
        rows,
        bold_rows: bold,
        merges: vec![],
        notes: vec!["注：本表接受全体业主（居民）监督，如有疑问请向街道办事处反映。".to_string()],
        landscape: false,
    }
}

impl AccountsReport {
    pub fn sheets(&self) -> Vec<ReportSheet> {
        let mut rows: Vec<Vec<ReportCell>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    ReportCell::int(i64::try_from(i + 1).unwrap_or(0)),
                    ReportCell::text(&r.street),
                    ReportCell::text(&r.compound),
                    ReportCell::Money(r.income_fees),
                    ReportCell::Money(r.income_public_revenue),
                    ReportCell::Money(r.income_subsidy),
                    ReportCell::Money(r.income),
                    ReportCell::Money(r.spending),
                    ReportCell::Money(r.balance),
                    ReportCell::Money(r.owners_share),
                ]
            })
            .collect();
        let t = &self.total;
        let n = u32::try_from(rows.len()).unwrap_or(0);
        rows.push(vec![
            ReportCell::Empty,
            ReportCell::text("合计"),
            ReportCell::Empty,
            ReportCell::Money(t.income_fees),
            ReportCell::Money(t.income_public_revenue),
            ReportCell::Money(t.income_subsidy),
            ReportCell::Money(t.income),
            ReportCell::Money(t.spending),
            ReportCell::Money(t.balance),
            ReportCell::Money(t.owners_share),
        ]);
        let mut out = vec![ReportSheet {
            name: "汇总".to_string(),
            title: "物业服务收支情况公示汇总表".to_string(),
            subtitle: Some(format!(
                "范围：{}　　公示期间：{}　　单位：元",
                self.scope.label(),
                self.period
            )),
            groups: vec![],
            headings: SUMMARY_HEADINGS.iter().map(|h| h.to_string()).collect(),
            widths: vec![6, 14, 22, 14, 14, 14, 14, 14, 14, 14],
            rows,
            bold_rows: vec![n],
            merges: vec![],
            notes: vec![format!(
                "注：结余 = 收入合计 − 支出合计；业主委员会分成为物业服务费收入的{}%（四舍五入到分）。",
                self.owners_share_percent.normalize()
            )],
            landscape: true,
        }];
        out.extend(self.statements.iter().map(detail));
        out
    }
}
