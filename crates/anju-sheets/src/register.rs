//! 业主名册: a compound's households with their owners and exclusive areas (专有部分面积), the
//! weights of an owners' vote (issue 19 item 2), from .xlsx/.xls/.csv through [`crate::table`].
//! Columns: 房号 (required), 业主姓名 (optional), 专有部分面积 (required, ㎡, two decimals at
//! most, more than 0). A 房号 twice in one file is a problem; nothing is imported when any row
//! has one.

use crate::error::LedgerError;
use crate::read::FileKind;
use crate::table::{Column, read_table};
use anju_core::Area;
use std::collections::HashMap;

/// One household as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    /// As Excel shows it (1-based).
    pub row: usize,
    /// 房号 (楼-单元-室 as written).
    pub unit: String,
    pub owner: Option<String>,
    pub area: Area,
}

const COLUMNS: [Column; 3] = [
    Column {
        name: "房号",
        variants: &[
            "户号",
            "房屋",
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
        variants: &["业主", "姓名", "产权人", "业主名称"],
        required: false,
    },
    Column {
        name: "专有部分面积",
        variants: &[
            "专有面积",
            "面积",
            "建筑面积",
            "房屋面积",
            "专有部分面积㎡",
            "面积㎡",
            "建筑面积㎡",
        ],
        required: true,
    },
];

/// The longest 房号 and name kept.
const TEXT_MAX: usize = 50;

/// Reads an owners' register.
pub fn read_register_bytes(bytes: &[u8], kind: FileKind) -> Result<Vec<RegisterRow>, LedgerError> {
    let mut t = read_table(bytes, kind, &COLUMNS)?;
    let mut out = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in std::mem::take(&mut t.rows) {
        let unit = r.get(0).to_string();
        let owner = Some(r.get(1).to_string()).filter(|s| !s.is_empty());
        if unit.is_empty() {
            t.problem(&r, 0, "房号不能为空".into(), "the unit is empty".into());
        } else if unit.chars().count() > TEXT_MAX {
            t.problem(
                &r,
                0,
                format!("房号最多 {TEXT_MAX} 个字"),
                format!("a unit is at most {TEXT_MAX} characters"),
            );
        } else if let Some(first) = seen.insert(unit.clone(), r.row) {
            t.problem(
                &r,
                0,
                format!("与第 {first} 行重复：同一房号只能有一行"),
                format!("duplicates row {first}: one row per unit"),
            );
        }
        if owner.as_ref().is_some_and(|o| o.chars().count() > TEXT_MAX) {
            t.problem(
                &r,
                1,
                format!("业主姓名最多 {TEXT_MAX} 个字"),
                format!("a name is at most {TEXT_MAX} characters"),
            );
        }
        let area = match Area::parse(r.get(2)) {
            Ok(a) if a.centi() > 0 => Some(a),
            Ok(_) => {
                t.problem(
                    &r,
                    2,
                    "专有部分面积须大于 0".into(),
                    "the area must be more than 0".into(),
                );
                None
            }
            Err(_) if r.get(2).is_empty() => {
                t.problem(
                    &r,
                    2,
                    "专有部分面积不能为空".into(),
                    "the area is empty".into(),
                );
                None
            }
            Err(e) => {
                t.problem(
                    &r,
                    2,
                    format!("{e}（如 88.50）"),
                    "bad area (e.g. 88.50)".into(),
                );
                None
            }
        };
        if let (Some(area), false) = (area, unit.is_empty()) {
            out.push(RegisterRow {
                row: r.row,
                unit,
                owner,
                area,
            });
        }
    }
    t.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_units_owners_and_areas() {
        let csv = "房号,业主姓名,专有部分面积（㎡）\n1-1-101,王伟,88.50\n1-1-102,,92\n";
        let rows = read_register_bytes(csv.as_bytes(), FileKind::Csv).expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].area.centi(), 8850);
        assert_eq!(rows[0].owner.as_deref(), Some("王伟"));
        assert_eq!(rows[1].owner, None);
        assert_eq!(rows[1].area.centi(), 9200);
    }

    #[test]
    fn every_bad_row_is_listed_and_nothing_is_read() {
        let csv = "房号,面积\n1-1-101,88.5\n1-1-101,90\n,70\n1-1-103,0\n1-1-104,88.555\n";
        let e = read_register_bytes(csv.as_bytes(), FileKind::Csv).expect_err("problems");
        let LedgerError::Problems(ps) = e else {
            panic!("{e:?}")
        };
        let text: Vec<String> = ps.iter().map(|p| p.render(anju_core::Lang::Zh)).collect();
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(
            text[0].starts_with("第 3 行，房号 (A)：'1-1-101' 与第 2 行重复"),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("第 4 行，房号 (A)：房号不能为空"),
            "{text:?}"
        );
        assert!(
            text[2].contains("第 5 行，面积 (B)：'0' 专有部分面积须大于 0"),
            "{text:?}"
        );
        assert!(text[3].contains("第 6 行，面积 (B)：'88.555'"), "{text:?}");
    }
}
