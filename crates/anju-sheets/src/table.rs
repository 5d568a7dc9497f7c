//! A plain table of a few named columns, read from .xlsx/.xls/.csv: the header row found among
//! the first rows by any of each column's variants, then every data row as text. The sheets
//! whose rows are a handful of plain columns (the owners' register 业主名册, a questionnaire)
//! read through it; the caller checks each row's values and reports problems with
//! [`Table::problem`], and [`Table::finish`] turns any problem into the all-or-nothing
//! [`LedgerError::Problems`] (row, column, reason in Chinese and English), as the ledger and fee
//! imports do. The ledger's own reader stays separate: its columns, aliases and streaming
//! writes are its own.

use crate::cell::Val;
use crate::error::{LedgerError, Problem, ProblemList};
use crate::read::{FileKind, first_sheet_rows, shown, text_fits};

/// A column the table needs (or may have), by its canonical header and the variants accepted.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// Other headers meaning the same (compared without spaces and brackets).
    pub variants: &'static [&'static str],
    pub required: bool,
}

/// One data row: the cell under each of the table's columns (empty where absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// As Excel shows it (1-based).
    pub row: usize,
    cells: Vec<String>,
}

impl TableRow {
    /// The text under the `i`-th column asked for (trimmed; empty when blank or absent).
    pub fn get(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A table as read, with the problems found so far.
#[derive(Debug)]
pub struct Table {
    pub rows: Vec<TableRow>,
    /// Per column asked for: the header as written and its letter, e.g. "房号 (A)"; `None` when
    /// an optional column is absent.
    labels: Vec<Option<String>>,
    problems: ProblemList,
}

impl Table {
    /// Whether the file has the `i`-th column.
    pub fn has(&self, i: usize) -> bool {
        self.labels.get(i).is_some_and(Option::is_some)
    }

    /// Records a problem with `row`'s `i`-th column.
    pub fn problem(&mut self, row: &TableRow, i: usize, zh: String, en: String) {
        self.problems.push(Problem {
            row: row.row,
            column: self.labels.get(i).cloned().flatten(),
            value: shown(row.get(i)),
            reason_zh: zh,
            reason_en: en,
        });
    }

    /// `Ok(())` when no problem was recorded; otherwise every problem (nothing is imported).
    pub fn finish(self) -> Result<(), LedgerError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems.into_error())
        }
    }
}

/// How many rows from the top the header may be on.
const HEADER_SEARCH_ROWS: usize = 10;

/// A header as compared: without spaces, marks (* :) and anything in brackets (units such as
/// "（㎡）" or "(元)").
fn normalised(h: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in h.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth > 0 || c.is_whitespace() || "*＊:：".contains(c) => {}
            _ => out.push(c),
        }
    }
    out
}

fn column_of(columns: &[Column], header: &str) -> Option<usize> {
    let h = normalised(header);
    if h.is_empty() {
        return None;
    }
    columns
        .iter()
        .position(|c| normalised(c.name) == h || c.variants.iter().any(|v| normalised(v) == h))
}

fn cell_text(v: &Val<'_>) -> String {
    match v {
        Val::Empty => String::new(),
        Val::Text(s) => s.trim().to_string(),
        Val::Float(f) => {
            let s = format!("{f:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Val::Int(i) => i.to_string(),
        Val::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        Val::Bool(b) => b.to_string(),
        Val::Error(e) => e.clone(),
    }
}

/// Reads the first sheet of `bytes` as a table of `columns`. Fails when the header row is not
/// among the first rows or a required column is missing (naming the headers found), when the
/// file is empty, or when a cell holds control characters or is longer than a cell may be.
pub fn read_table(bytes: &[u8], kind: FileKind, columns: &[Column]) -> Result<Table, LedgerError> {
    let mut before: Vec<Vec<String>> = Vec::new();
    let mut header: Option<(Vec<String>, Vec<Option<usize>>)> = None;
    let mut rows = Vec::new();
    let mut problems = ProblemList::default();
    first_sheet_rows(bytes, kind, &mut |r, cells| {
        let row = r as usize + 1;
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        match &header {
            None => {
                let found: Vec<Option<usize>> = (0..columns.len())
                    .map(|i| texts.iter().position(|t| column_of(columns, t) == Some(i)))
                    .collect();
                if found.iter().any(Option::is_some)
                    && found.iter().filter(|f| f.is_some()).count() * 2 >= columns.len()
                {
                    header = Some((texts, found));
                } else if row >= HEADER_SEARCH_ROWS {
                    before.push(texts);
                    return false;
                } else {
                    before.push(texts);
                }
            }
            Some((names, at)) => {
                if texts.iter().all(String::is_empty) {
                    return true;
                }
                let cells: Vec<String> = at
                    .iter()
                    .map(|p| p.and_then(|p| texts.get(p).cloned()).unwrap_or_default())
                    .collect();
                for (p, t) in at.iter().zip(&cells) {
                    if let (Some(p), Err(reason)) = (p, text_fits(t)) {
                        problems.push(Problem {
                            row,
                            column: Some(format!(
                                "{} ({})",
                                names[*p],
                                crate::columns::column_letter(*p)
                            )),
                            value: shown(t),
                            reason_zh: reason.zh,
                            reason_en: reason.en,
                        });
                    }
                }
                rows.push(TableRow { row, cells });
            }
        }
        true
    })?;
    let Some((names, at)) = header else {
        if before.iter().all(|r| r.iter().all(String::is_empty)) {
            return Err(LedgerError::Empty);
        }
        return Err(LedgerError::MissingColumns {
            missing: columns
                .iter()
                .filter(|c| c.required)
                .map(|c| c.name.to_string())
                .collect(),
            found: before
                .into_iter()
                .find(|r| r.iter().any(|c| !c.is_empty()))
                .unwrap_or_default(),
        });
    };
    let missing: Vec<String> = columns
        .iter()
        .zip(&at)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c.name.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(LedgerError::MissingColumns {
            missing,
            found: names,
        });
    }
    if rows.is_empty() {
        return Err(LedgerError::Empty);
    }
    let labels = at
        .iter()
        .map(|p| p.map(|p| format!("{} ({})", names[p], crate::columns::column_letter(p))))
        .collect();
    Ok(Table {
        rows,
        labels,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column {
            name: "房号",
            variants: &["户号"],
            required: true,
        },
        Column {
            name: "业主姓名",
            variants: &["姓名"],
            required: false,
        },
        Column {
            name: "专有部分面积",
            variants: &["面积"],
            required: true,
        },
    ];

    #[test]
    fn finds_the_header_below_a_title_and_reads_rows_by_column() {
        let csv = "某小区业主名册,,\n面积（㎡）,户号,姓名\n88.5,1-1-101,王伟\n,,\n92,1-1-102,\n";
        let t = read_table(csv.as_bytes(), FileKind::Csv, &COLS).expect("table");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].row, 3);
        assert_eq!(
            (t.rows[0].get(0), t.rows[0].get(1), t.rows[0].get(2)),
            ("1-1-101", "王伟", "88.5")
        );
        assert_eq!(t.rows[1].get(1), "");
        assert!(t.has(1));
        t.finish().expect("no problems");
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let csv = "户号,姓名\n1-1-101,王伟\n";
        let e = read_table(csv.as_bytes(), FileKind::Csv, &COLS).expect_err("missing");
        match e {
            LedgerError::MissingColumns { missing, .. } => {
                assert_eq!(missing, vec!["专有部分面积".to_string()]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_problem_names_row_and_column() {
        let csv = "户号,面积\n1-1-101,abc\n";
        let mut t = read_table(csv.as_bytes(), FileKind::Csv, &COLS).expect("table");
        let row = t.rows[0].clone();
        t.problem(&row, 2, "面积格式不正确".into(), "bad area".into());
        match t.finish().expect_err("problem") {
            LedgerError::Problems(ps) => {
                assert_eq!(
                    ps[0].render(anju_core::Lang::Zh),
                    "第 2 行，面积 (B)：'abc' 面积格式不正确"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
