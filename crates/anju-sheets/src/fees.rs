//! 物业费收缴表: billed (应收) and collected (实收) per compound per month, from .xlsx/.xls/.csv.
//!
//! Columns (header variants accepted): 小区名称, 所属街道 (optional), 户号 (optional: a sheet with
//! it is per-household detail, 按户明细, and every row needs one), 月份, 应收, 实收. Every row
//! is checked first; any problem fails the whole file with every problem listed (row, column,
//! reason in Chinese and English), like the ledger import.

use crate::error::{LedgerError, Problem};
use crate::read::{FileKind, decode_text};
use anju_core::Fen;
use anju_core::fees::Month;
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::Cursor;
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

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => {
            let s = format!("{f:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Data::Int(i) => i.to_string(),
        // An Excel date serial (days since 1899-12-30): its month.
        Data::DateTime(dt) => {
            let days = dt.as_f64().floor() as i64;
            jiff::civil::date(1899, 12, 30)
                .checked_add(jiff::Span::new().days(days))
                .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
                .unwrap_or_else(|_| dt.to_string())
        }
        other => other.to_string(),
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

/// Reads a fee sheet from bytes.
pub fn read_fee_sheet_bytes(bytes: &[u8], kind: FileKind) -> Result<Vec<FeeSheetRow>, LedgerError> {
    let rows: Vec<Vec<String>> = match kind {
        FileKind::Csv => {
            let text = decode_text(bytes)?;
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut out = Vec::new();
            for rec in rdr.records() {
                let rec = rec.map_err(|e| LedgerError::Unreadable {
                    reason: e.to_string(),
                })?;
                out.push(rec.iter().map(|s| s.trim().to_string()).collect());
            }
            out
        }
        FileKind::Xlsx | FileKind::Xls => {
            let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
                LedgerError::Unreadable {
                    reason: e.to_string(),
                }
            })?;
            let name = wb
                .sheet_names()
                .first()
                .cloned()
                .ok_or(LedgerError::Empty)?;
            let range = wb
                .worksheet_range(&name)
                .map_err(|e| LedgerError::Unreadable {
                    reason: e.to_string(),
                })?;
            // Row numbers as Excel shows them: pad the rows above the used range.
            let first = range.start().map_or(0, |(r, _)| r as usize);
            let mut out = vec![Vec::new(); first];
            out.extend(range.rows().map(|r| r.iter().map(cell_text).collect()));
            out
        }
    };
    parse_rows(&rows)
}

fn parse_rows(rows: &[Vec<String>]) -> Result<Vec<FeeSheetRow>, LedgerError> {
    // The header row: the first of the first 10 rows that names a compound and a month.
    let header_at = rows.iter().take(10).position(|r| {
        let cols: Vec<_> = r.iter().filter_map(|h| match_fee_header(h)).collect();
        cols.contains(&Col::Compound) && cols.contains(&Col::Month)
    });
    let Some(hi) = header_at else {
        let found = rows.first().cloned().unwrap_or_default();
        if rows.iter().all(|r| r.iter().all(String::is_empty)) {
            return Err(LedgerError::Empty);
        }
        return Err(LedgerError::MissingColumns {
            missing: vec![
                "小区名称".into(),
                "月份".into(),
                "应收".into(),
                "实收".into(),
            ],
            found,
        });
    };
    let header = &rows[hi];
    let pos = |col: Col| header.iter().position(|h| match_fee_header(h) == Some(col));
    let missing: Vec<String> = HEADERS
        .iter()
        .filter(|(c, _)| pos(*c).is_none())
        .map(|(_, n)| (*n).to_string())
        .collect();
    if !missing.is_empty() {
        return Err(LedgerError::MissingColumns {
            missing,
            found: header.clone(),
        });
    }
    let col_name = |i: usize| format!("{} ({})", header[i], crate::columns::column_letter(i));
    let ph = pos(Col::Household);
    let (pc, ps, pm, pb, pcol) = (
        pos(Col::Compound).unwrap_or(0),
        pos(Col::Street),
        pos(Col::Month).unwrap_or(0),
        pos(Col::Billed).unwrap_or(0),
        pos(Col::Collected).unwrap_or(0),
    );
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, r) in rows.iter().enumerate().skip(hi + 1) {
        if r.iter().all(String::is_empty) {
            continue;
        }
        let row = i + 1;
        let get = |p: usize| r.get(p).cloned().unwrap_or_default();
        let mut bad = |p: usize, zh: String, en: String| {
            problems.push(Problem {
                row,
                column: Some(col_name(p)),
                value: get(p),
                reason_zh: zh,
                reason_en: en,
            })
        };
        let compound = get(pc);
        if compound.is_empty() {
            bad(
                pc,
                "小区名称不能为空".into(),
                "the compound name is empty".into(),
            );
        }
        let month = Month::parse(&get(pm));
        if month.is_err() {
            bad(
                pm,
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
        let billed = money(pb, "应收", "billed");
        let collected = money(pcol, "实收", "collected");
        let street = ps.map(get).filter(|s| !s.is_empty());
        let household = ph.map(get).filter(|s| !s.is_empty());
        if let Some(p) = ph
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
            compound.is_empty() || (ph.is_some() && household.is_none()),
        ) {
            let key = (compound.clone(), street.clone(), household.clone(), month);
            if let Some(first) = seen.insert(key, row) {
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
                    column: Some(col_name(pm)),
                    value: month.to_string(),
                    reason_zh: zh,
                    reason_en: en,
                });
                continue;
            }
            out.push(FeeSheetRow {
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
        return Err(LedgerError::Problems(problems));
    }
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
