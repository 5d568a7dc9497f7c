//! 物业费收缴表: billed (应收) and collected (实收) per compound per month, from .xlsx/.xls/.csv.
//!
//! Columns (header variants accepted): 小区名称, 所属街道 (optional), 户号 (optional: a sheet with
//! it is per-household detail, 按户明细, and every row needs one), 月份, 应收, 实收. Every row
//! is checked first; any problem fails the whole file with every problem listed (row, column,
//! reason in Chinese and English), like the ledger import.

use crate::cell::Val;
use crate::error::{LedgerError, Problem, ProblemList};
use crate::read::{FileKind, first_sheet_rows};
use anju_core::Fen;
use anju_core::fees::Month;
use std::collections::HashMap;
use std::path::Path;

/// One row of a fee sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeSheetRow {
    /// As Excel shows it (1-based).
    pub row: usize,
    pub compound: String,
    pub street: Option<String>,
    /// 户号 (楼-单元-室) when the sheet is per household.
    pub household: Option<String>,
    pub month: Month,
    pub billed: Fen,
    pub collected: Fen,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Compound,
    Street,
    Household,
    Month,
    Billed,
    Collected,
}

fn match_fee_header(h: &str) -> Option<Col> {
    let h: String = h
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）元/".contains(*c))
        .collect();
    match h.as_str() {
        "小区名称" | "小区" | "小区名" | "项目名称" => Some(Col::Compound),
        "所属街道" | "街道" | "街道办事处" | "街道名称" => Some(Col::Street),
        "户号" | "房号" | "房屋" | "门牌号" | "房间号" | "楼号单元室" | "楼栋单元房号"
        | "业主房号" => Some(Col::Household),
        "月份" | "月" | "年月" | "所属月份" | "收费月份" => Some(Col::Month),
        "应收" | "应收金额" | "应收物业费" | "应收款" | "应收费用" => {
            Some(Col::Billed)
        }
        "实收" | "实收金额" | "实收物业费" | "实收款" | "已收" | "实收费用" => {
            Some(Col::Collected)
        }
        _ => None,
    }
}

/// The columns a fee sheet must have (所属街道 and 户号 are optional).
const HEADERS: [(Col, &str); 4] = [
    (Col::Compound, "小区名称"),
    (Col::Month, "月份"),
    (Col::Billed, "应收"),
    (Col::Collected, "实收"),
];

/// A cell as the fee columns read it: text trimmed, numbers as written (two decimals at most),
/// a date as its month.
fn val_text(v: &Val<'_>) -> String {
    match v {
        Val::Empty => String::new(),
        Val::Text(s) => s.trim().to_string(),
        Val::Float(f) => {
            let s = format!("{f:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Val::Int(i) => i.to_string(),
        Val::Date(y, m, _) => format!("{y:04}-{m:02}"),
        Val::Bool(b) => b.to_string(),
        Val::Error(e) => e.clone(),
    }
}

/// Reads a fee sheet from a file.
pub fn read_fee_sheet(path: &Path) -> Result<Vec<FeeSheetRow>, LedgerError> {
    let kind = FileKind::from_path(path)?;
    let bytes = std::fs::read(path).map_err(|e| LedgerError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    read_fee_sheet_bytes(&bytes, kind)
}

/// Reads a fee sheet from bytes, row by row, within the ledger's limits ([`crate::limits`]).
pub fn read_fee_sheet_bytes(bytes: &[u8], kind: FileKind) -> Result<Vec<FeeSheetRow>, LedgerError> {
    let mut sheet = FeeSheet::default();
    first_sheet_rows(bytes, kind, &mut |r, cells| {
        sheet.row(r as usize + 1, cells.iter().map(val_text).collect());
        true
    })?;
    sheet.finish()
}

/// The header row and what it says where, once found.
struct Header {
    texts: Vec<String>,
    compound: usize,
    street: Option<usize>,
    household: Option<usize>,
    month: usize,
    billed: usize,
    collected: usize,
}

/// A fee sheet as it is read: the first rows until one is the header, then each row checked
/// as it comes (only the valid rows and the first problems are kept).
#[derive(Default)]
struct FeeSheet {
    /// Rows before the header (at most the first 10 of the sheet are searched).
    before: Vec<Vec<String>>,
    header: Option<Header>,
    /// The header was not among the first rows: the rest of the sheet is not read.
    gave_up: bool,
    out: Vec<FeeSheetRow>,
    problems: ProblemList,
    seen: HashMap<(String, Option<String>, Option<String>, Month), usize>,
}

/// How many rows from the top the header may be on.
const HEADER_SEARCH_ROWS: usize = 10;

impl FeeSheet {
    fn row(&mut self, row: usize, cells: Vec<String>) {
        if self.gave_up {
            return;
        }
        if self.header.is_some() {
            self.data_row(row, cells);
            return;
        }
        if row > HEADER_SEARCH_ROWS {
            self.gave_up = true;
            return;
        }
        let cols: Vec<_> = cells.iter().filter_map(|h| match_fee_header(h)).collect();
        if cols.contains(&Col::Compound) && cols.contains(&Col::Month) {
            let pos = |col: Col| cells.iter().position(|h| match_fee_header(h) == Some(col));
            self.header = Some(Header {
                compound: pos(Col::Compound).unwrap_or(0),
                street: pos(Col::Street),
                household: pos(Col::Household),
                month: pos(Col::Month).unwrap_or(0),
                billed: pos(Col::Billed).unwrap_or(usize::MAX),
                collected: pos(Col::Collected).unwrap_or(usize::MAX),
                texts: cells,
            });
        } else {
            self.before.push(cells);
        }
    }

    fn data_row(&mut self, row: usize, r: Vec<String>) {
        let Some(h) = &self.header else { return };
        if h.billed == usize::MAX || h.collected == usize::MAX {
            return;
        }
        if r.iter().all(String::is_empty) {
            return;
        }
        let col_name = |i: usize| format!("{} ({})", h.texts[i], crate::columns::column_letter(i));
        let get = |p: usize| r.get(p).cloned().unwrap_or_default();
        let mut problems = Vec::new();
        // The texts stored: no control characters, no longer than a cell.
        for p in [Some(h.compound), h.street, h.household]
            .into_iter()
            .flatten()
        {
            if let Err(r) = crate::read::text_fits(&get(p)) {
                problems.push(Problem {
                    row,
                    column: Some(col_name(p)),
                    value: crate::read::shown(&get(p)),
                    reason_zh: r.zh,
                    reason_en: r.en,
                });
            }
        }
        if !problems.is_empty() {
            self.out = Vec::new();
            for p in problems {
                self.problems.push(p);
            }
            return;
        }
        let mut bad = |p: usize, zh: String, en: String| {
            problems.push(Problem {
                row,
                column: Some(col_name(p)),
                value: crate::read::shown(&get(p)),
                reason_zh: zh,
                reason_en: en,
            })
        };
        let compound = get(h.compound);
        if compound.is_empty() {
            bad(
                h.compound,
                "小区名称不能为空".into(),
                "the compound name is empty".into(),
            );
        }
        let month = Month::parse(&get(h.month));
        if month.is_err() {
            bad(
                h.month,
                "月份格式不正确（应为 YYYY-MM，如 2026-01）".into(),
                "bad month (YYYY-MM, e.g. 2026-01)".into(),
            );
        }
        let mut money = |p: usize, what_zh: &str, what_en: &str| match Fen::parse_yuan(&get(p)) {
            Ok(f) if !f.is_negative() => Some(f),
            Ok(_) => {
                bad(
                    p,
                    format!("{what_zh}不能为负数"),
                    format!("{what_en} cannot be negative"),
                );
                None
            }
            Err(_) => {
                bad(
                    p,
                    format!("{what_zh}金额格式不正确（如 12,345.67）"),
                    format!("bad {what_en} amount (e.g. 12,345.67)"),
                );
                None
            }
        };
        let billed = money(h.billed, "应收", "billed");
        let collected = money(h.collected, "实收", "collected");
        let street = h.street.map(get).filter(|s| !s.is_empty());
        let household = h.household.map(get).filter(|s| !s.is_empty());
        if let Some(p) = h.household
            && household.is_none()
        {
            bad(
                p,
                "按户明细表每行都须填写户号".into(),
                "a per-household sheet needs a household on every row".into(),
            );
        }
        if let (Ok(month), Some(billed), Some(collected), false) = (
            month,
            billed,
            collected,
            compound.is_empty() || (h.household.is_some() && household.is_none()),
        ) {
            let key = (compound.clone(), street.clone(), household.clone(), month);
            if let Some(first) = self.seen.insert(key, row) {
                let (zh, en) = if household.is_some() {
                    (
                        format!("与第 {first} 行重复：同一户同一月份只能有一行"),
                        format!("duplicates row {first}: one row per household and month"),
                    )
                } else {
                    (
                        format!("与第 {first} 行重复：同一小区同一月份只能有一行"),
                        format!("duplicates row {first}: one row per compound and month"),
                    )
                };
                problems.push(Problem {
                    row,
                    column: Some(col_name(h.month)),
                    value: month.to_string(),
                    reason_zh: zh,
                    reason_en: en,
                });
            } else if problems.is_empty() && self.problems.is_empty() {
                self.out.push(FeeSheetRow {
                    row,
                    compound,
                    street,
                    household,
                    month,
                    billed,
                    collected,
                });
            }
        }
        if !problems.is_empty() {
            // Once a row is bad nothing is imported: the good rows need not be kept.
            self.out = Vec::new();
        }
        for p in problems {
            self.problems.push(p);
        }
    }

    fn finish(self) -> Result<Vec<FeeSheetRow>, LedgerError> {
        let Some(h) = self.header else {
            if self.before.iter().all(|r| r.iter().all(String::is_empty)) {
                return Err(LedgerError::Empty);
            }
            return Err(LedgerError::MissingColumns {
                missing: HEADERS.iter().map(|(_, n)| (*n).to_string()).collect(),
                found: self
                    .before
                    .into_iter()
                    .find(|r| !r.is_empty())
                    .unwrap_or_default(),
            });
        };
        let missing: Vec<String> = HEADERS
            .iter()
            .filter(|(c, _)| !h.texts.iter().any(|t| match_fee_header(t) == Some(*c)))
            .map(|(_, n)| (*n).to_string())
            .collect();
        if !missing.is_empty() {
            return Err(LedgerError::MissingColumns {
                missing,
                found: h.texts,
            });
        }
        if !self.problems.is_empty() {
            return Err(self.problems.into_error());
        }
        if self.out.is_empty() {
            return Err(LedgerError::Empty);
        }
        Ok(self.out)
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn reads_a_csv_and_reports_every_problem() {
        let ok = "小区名称,所属街道,月份,应收（元）,实收（元）\n光明小区,大沁他拉街道,2026-01,\"12,000.00\",9600\n光明小区,大沁他拉街道,2026年2月,12000,12000\n";
        let rows = read_fee_sheet_bytes(ok.as_bytes(), FileKind::Csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].billed, Fen(1_200_000));
        assert_eq!(rows[0].collected, Fen(960_000));
        assert_eq!(rows[1].month.to_string(), "2026-02");
        assert_eq!(rows[1].row, 3);
        let bad = "小区名称,月份,应收,实收\n光明小区,2026-13,100,50\n,2026-01,-1,abc\n";
        let LedgerError::Problems(p) =
            read_fee_sheet_bytes(bad.as_bytes(), FileKind::Csv).unwrap_err()
        else {
            panic!("problems expected")
        };
        assert_eq!(p.len(), 4);
        assert!(
            p[0].render(anju_core::Lang::Zh)
                .starts_with("第 2 行，月份 (B)")
        );
        // Per-household detail: every row needs its 户号; one row per household and month.
        let hh = "小区名称,户号,月份,应收,实收\n光明小区,1-1-101,2026-01,100,100\n光明小区,1-1-102,2026-01,100.50,0\n";
        let rows = read_fee_sheet_bytes(hh.as_bytes(), FileKind::Csv).unwrap();
        assert_eq!(rows[1].household.as_deref(), Some("1-1-102"));
        assert_eq!(rows[1].billed, Fen(10_050));
        let hh_bad = "小区名称,户号,月份,应收,实收\n光明小区,,2026-01,100,100\n光明小区,1-1-102,2026-01,1,0\n光明小区,1-1-102,2026-01,1,0\n";
        let LedgerError::Problems(p) =
            read_fee_sheet_bytes(hh_bad.as_bytes(), FileKind::Csv).unwrap_err()
        else {
            panic!("problems expected")
        };
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].render(anju_core::Lang::Zh).contains("须填写户号"));
        assert!(
            p[1].render(anju_core::Lang::Zh)
                .contains("与第 3 行重复：同一户")
        );
        let missing = "小区名称,月份,应收\n光明小区,2026-01,1\n";
        assert!(matches!(
            read_fee_sheet_bytes(missing.as_bytes(), FileKind::Csv),
            Err(LedgerError::MissingColumns { .. })
        ));
    }
}
