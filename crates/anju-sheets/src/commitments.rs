//! 三承诺调查问卷 (seed 002 六（一）: "将“三承诺”…纳入老旧小区改造调查问卷"): one household a row,
//! from .xlsx/.xls/.csv, read the way the fee sheet is (header variants, the first rows searched
//! for the header, every problem with its row and column; any problem fails the whole file).
//!
//! Columns: 房号 (as written, e.g. 3-2-501), 业主姓名 (optional), and the three commitments —
//! 拆除违建, 缴纳维修资金, 缴纳物业维修费用 — each answered 是/否 (also 同意/不同意, 承诺/不承诺,
//! √/×, Y/N, 1/0, yes/no, true/false). A blank answer is a problem, not a no: a questionnaire
//! left blank was not answered.

use crate::cell::Val;
use crate::error::{LedgerError, Problem, ProblemList};
use crate::read::{FileKind, first_sheet_rows};
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    House,
    Owner,
    Demolish,
    Fund,
    Fees,
}

fn match_header(h: &str) -> Option<Col> {
    let h: String = h
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）“”\"、".contains(*c))
        .collect();
    let h = h
        .trim_start_matches("是否")
        .trim_start_matches("承诺")
        .to_string();
    match h.as_str() {
        "房号" | "户号" | "门牌号" | "房间号" | "楼号单元室" | "楼栋单元房号" | "业主房号" => {
            Some(Col::House)
        }
        "业主" | "业主姓名" | "姓名" | "户主" | "户主姓名" => Some(Col::Owner),
        "拆除违建" | "拆除各类违建" | "拆违" | "拆除违章建筑" => {
            Some(Col::Demolish)
        }
        "缴纳维修资金" | "交纳维修资金" | "维修资金" | "缴存维修资金" => {
            Some(Col::Fund)
        }
        "缴纳物业维修费用"
        | "交纳物业维修费用"
        | "物业维修费用"
        | "缴纳物业维修费"
        | "物业维修费" => Some(Col::Fees),
        _ => None,
    }
}

const HEADERS: [(Col, &str); 4] = [
    (Col::House, "房号"),
    (Col::Demolish, "拆除违建"),
    (Col::Fund, "缴纳维修资金"),
    (Col::Fees, "缴纳物业维修费用"),
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

fn val_text(v: &Val<'_>) -> String {
    match v {
        Val::Empty => String::new(),
        Val::Text(s) => s.trim().to_string(),
        Val::Float(f) => {
            let s = format!("{f}");
            s.trim_end_matches(".0").to_string()
        }
        Val::Int(i) => i.to_string(),
        Val::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        Val::Bool(b) => b.to_string(),
        Val::Error(e) => e.clone(),
    }
}

struct Header {
    texts: Vec<String>,
    cols: HashMap<usize, Col>,
}

impl Header {
    fn pos(&self, c: Col) -> Option<usize> {
        let mut p: Vec<usize> = self
            .cols
            .iter()
            .filter(|(_, x)| **x == c)
            .map(|(i, _)| *i)
            .collect();
        p.sort_unstable();
        p.first().copied()
    }
}

#[derive(Default)]
struct Sheet {
    before: Vec<Vec<String>>,
    header: Option<Header>,
    gave_up: bool,
    out: Vec<CommitmentSheetRow>,
    problems: ProblemList,
    seen: HashMap<String, usize>,
}

const HEADER_SEARCH_ROWS: usize = 10;

impl Sheet {
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
        let cols: HashMap<usize, Col> = cells
            .iter()
            .enumerate()
            .filter_map(|(i, h)| match_header(h).map(|c| (i, c)))
            .collect();
        if cols.values().any(|c| *c == Col::House) && cols.len() >= 2 {
            self.header = Some(Header { texts: cells, cols });
        } else {
            self.before.push(cells);
        }
    }

    fn data_row(&mut self, row: usize, r: Vec<String>) {
        let Some(h) = &self.header else { return };
        let (Some(house_at), Some(dem), Some(fund), Some(fees)) = (
            h.pos(Col::House),
            h.pos(Col::Demolish),
            h.pos(Col::Fund),
            h.pos(Col::Fees),
        ) else {
            return;
        };
        if r.iter().all(String::is_empty) {
            return;
        }
        let col_name = |i: usize| format!("{} ({})", h.texts[i], crate::columns::column_letter(i));
        let get = |p: usize| r.get(p).cloned().unwrap_or_default();
        let mut problems = Vec::new();
        let mut bad = |p: usize, zh: String, en: String| {
            problems.push(Problem {
                row,
                column: Some(col_name(p)),
                value: crate::read::shown(&get(p)),
                reason_zh: zh,
                reason_en: en,
            })
        };
        let owner_at = h.pos(Col::Owner);
        for p in [Some(house_at), owner_at].into_iter().flatten() {
            if let Err(e) = crate::read::text_fits(&get(p)) {
                bad(p, e.zh, e.en);
            }
        }
        let house = get(house_at);
        if house.is_empty() {
            bad(
                house_at,
                "房号不能为空".into(),
                "the house number is empty".into(),
            );
        }
        let mut answer = |p: usize, what: &str| match parse_yes_no(&get(p)) {
            Some(b) => Some(b),
            None if get(p).is_empty() => {
                bad(
                    p,
                    format!("“{what}”未作答（请填“是”或“否”）"),
                    format!("{what}: not answered (yes or no)"),
                );
                None
            }
            None => {
                bad(
                    p,
                    format!("“{what}”应填“是”或“否”"),
                    format!("{what}: must be yes or no"),
                );
                None
            }
        };
        let d = answer(dem, "拆除违建");
        let f = answer(fund, "缴纳维修资金");
        let e = answer(fees, "缴纳物业维修费用");
        if !house.is_empty()
            && let Some(first) = self.seen.insert(house.clone(), row)
        {
            problems.push(Problem {
                row,
                column: Some(col_name(house_at)),
                value: house.clone(),
                reason_zh: format!("与第 {first} 行重复：同一房号只能有一行"),
                reason_en: format!("duplicates row {first}: one row per house"),
            });
        }
        if let (Some(demolish), Some(maintenance_fund), Some(repair_fees), true) =
            (d, f, e, problems.is_empty())
        {
            self.out.push(CommitmentSheetRow {
                row,
                house,
                owner: owner_at.map(get).filter(|s| !s.is_empty()),
                demolish,
                maintenance_fund,
                repair_fees,
            });
        }
        for p in problems {
            self.problems.push(p);
        }
    }

    fn finish(self) -> Result<Vec<CommitmentSheetRow>, LedgerError> {
        let found = |h: &Header, c: Col| h.cols.values().any(|x| *x == c);
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
            .filter(|(c, _)| !found(&h, *c))
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

/// Reads a 三承诺 questionnaire sheet from bytes, within the ledger's limits.
pub fn read_commitment_sheet_bytes(
    bytes: &[u8],
    kind: FileKind,
) -> Result<Vec<CommitmentSheetRow>, LedgerError> {
    let mut sheet = Sheet::default();
    first_sheet_rows(bytes, kind, &mut |r, cells| {
        sheet.row(r as usize + 1, cells.iter().map(val_text).collect());
        true
    })?;
    sheet.finish()
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
