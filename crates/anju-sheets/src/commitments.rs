//! 三承诺调查问卷 (seed 002 六（一）: "将“三承诺”…纳入老旧小区改造调查问卷"): one household a row,
//! from .xlsx/.xls/.csv through [`crate::table`] (header variants, the first rows searched for
//! the header, every problem with its row and column; any problem fails the whole file).
//!
//! Columns: 房号 (as written, e.g. 3-2-501), 业主姓名 (optional), and the three commitments —
//! 拆除违建, 缴纳维修资金, 缴纳物业维修费用 (headed as such, or 是否… / 承诺… / 是否承诺…) — each
//! answered 是/否 (also 同意/不同意, 承诺/不承诺, √/×, Y/N, 1/0, yes/no, true/false). A blank
//! answer is a problem, not a no: a questionnaire left blank was not answered.

use crate::error::LedgerError;
use crate::read::FileKind;
use crate::table::{Column, Table, TableRow, read_table};
use std::collections::HashMap;

/// One household of a questionnaire sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentSheetRow {
    /// As Excel shows it (1-based).
    pub row: usize,
    /// 房号, trimmed, as written.
    pub house: String,
    pub owner: Option<String>,
    pub demolish: bool,
    pub maintenance_fund: bool,
    pub repair_fees: bool,
}

const COLUMNS: [Column; 5] = [
    Column {
        name: "房号",
        variants: &[
            "户号",
            "门牌号",
            "房间号",
            "楼号单元室",
            "楼栋单元房号",
            "业主房号",
        ],
        required: true,
    },
    Column {
        name: "业主姓名",
        variants: &["业主", "姓名", "户主", "户主姓名"],
        required: false,
    },
    Column {
        name: "拆除违建",
        variants: &[
            "拆除各类违建",
            "拆违",
            "拆除违章建筑",
            "是否拆除违建",
            "承诺拆除违建",
            "是否承诺拆除违建",
            "承诺拆除各类违建",
            "是否承诺拆除各类违建",
        ],
        required: true,
    },
    Column {
        name: "缴纳维修资金",
        variants: &[
            "交纳维修资金",
            "维修资金",
            "缴存维修资金",
            "是否缴纳维修资金",
            "承诺缴纳维修资金",
            "是否承诺缴纳维修资金",
            "承诺交纳维修资金",
            "承诺缴存维修资金",
        ],
        required: true,
    },
    Column {
        name: "缴纳物业维修费用",
        variants: &[
            "交纳物业维修费用",
            "物业维修费用",
            "缴纳物业维修费",
            "物业维修费",
            "是否缴纳物业维修费用",
            "承诺缴纳物业维修费用",
            "是否承诺缴纳物业维修费用",
            "承诺交纳物业维修费用",
        ],
        required: true,
    },
];

/// 是/否 as people write it.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "同意" | "承诺" | "√" | "✓" | "y" | "yes" | "1" | "true" | "有" => {
            Some(true)
        }
        "否" | "不同意" | "不承诺" | "×" | "✗" | "x" | "n" | "no" | "0" | "false" | "无" => {
            Some(false)
        }
        _ => None,
    }
}

/// The answer in column `i` (`what` names it), or the problem recorded.
fn answer(t: &mut Table, r: &TableRow, i: usize, what: &str) -> Option<bool> {
    let text = r.get(i);
    match parse_yes_no(text) {
        Some(b) => Some(b),
        None if text.is_empty() => {
            t.problem(
                r,
                i,
                format!("“{what}”未作答（请填“是”或“否”）"),
                format!("{what}: not answered (yes or no)"),
            );
            None
        }
        None => {
            t.problem(
                r,
                i,
                format!("“{what}”应填“是”或“否”"),
                format!("{what}: must be yes or no"),
            );
            None
        }
    }
}

/// Reads a 三承诺 questionnaire sheet from bytes, within the ledger's limits.
pub fn read_commitment_sheet_bytes(
    bytes: &[u8],
    kind: FileKind,
) -> Result<Vec<CommitmentSheetRow>, LedgerError> {
    let mut t = read_table(bytes, kind, &COLUMNS)?;
    let mut out = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in std::mem::take(&mut t.rows) {
        let house = r.get(0).to_string();
        if house.is_empty() {
            t.problem(
                &r,
                0,
                "房号不能为空".into(),
                "the house number is empty".into(),
            );
        }
        let demolish = answer(&mut t, &r, 2, "拆除违建");
        let maintenance_fund = answer(&mut t, &r, 3, "缴纳维修资金");
        let repair_fees = answer(&mut t, &r, 4, "缴纳物业维修费用");
        if !house.is_empty()
            && let Some(first) = seen.insert(house.clone(), r.row)
        {
            t.problem(
                &r,
                0,
                format!("与第 {first} 行重复：同一房号只能有一行"),
                format!("duplicates row {first}: one row per house"),
            );
        }
        if let (Some(demolish), Some(maintenance_fund), Some(repair_fees)) =
            (demolish, maintenance_fund, repair_fees)
        {
            out.push(CommitmentSheetRow {
                row: r.row,
                house,
                owner: Some(r.get(1).to_string()).filter(|s| !s.is_empty()),
                demolish,
                maintenance_fund,
                repair_fees,
            });
        }
    }
    // Any problem refuses the whole sheet.
    t.finish()?;
    if out.is_empty() {
        return Err(LedgerError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn reads_a_questionnaire_and_lists_every_problem() {
        let ok = "三承诺调查问卷汇总\n房号,业主姓名,是否承诺拆除违建,承诺缴纳维修资金,承诺缴纳物业维修费用\n3-2-501,王某,是,是,是\n3-2-502,,否,√,1\n";
        let rows = read_commitment_sheet_bytes(ok.as_bytes(), FileKind::Csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 3);
        assert_eq!(rows[0].house, "3-2-501");
        assert_eq!(rows[0].owner.as_deref(), Some("王某"));
        assert!(rows[0].demolish && rows[0].maintenance_fund && rows[0].repair_fees);
        assert!(!rows[1].demolish && rows[1].maintenance_fund && rows[1].repair_fees);
        assert_eq!(rows[1].owner, None);
        let bad = "房号,拆除违建,缴纳维修资金,缴纳物业维修费用\n1-1-101,是,,是\n,是,是,也许\n1-1-101,是,是,是\n";
        let LedgerError::Problems(p) =
            read_commitment_sheet_bytes(bad.as_bytes(), FileKind::Csv).unwrap_err()
        else {
            panic!("problems expected")
        };
        let texts: Vec<String> = p.iter().map(|p| p.render(anju_core::Lang::Zh)).collect();
        assert_eq!(texts.len(), 4, "{texts:#?}");
        assert!(
            texts[0].starts_with("第 2 行，缴纳维修资金 (C)"),
            "{}",
            texts[0]
        );
        assert!(texts[0].contains("未作答"));
        assert!(texts[1].starts_with("第 3 行，房号 (A)"), "{}", texts[1]);
        assert!(texts[2].contains("应填“是”或“否”"), "{}", texts[2]);
        assert!(texts[3].contains("与第 2 行重复"), "{}", texts[3]);
        let missing = "房号,拆除违建\n1-1-101,是\n";
        assert!(matches!(
            read_commitment_sheet_bytes(missing.as_bytes(), FileKind::Csv),
            Err(LedgerError::MissingColumns { .. })
        ));
    }
}
