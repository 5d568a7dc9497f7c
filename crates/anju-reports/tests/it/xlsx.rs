//! Reading a written workbook back with calamine: cell text, cell kinds, merged ranges.

use anju_sheets::{ReportSheet, write_report_to_buffer};
use calamine::{Data, Dimensions, Reader, Xlsx, open_workbook_from_rs};
use std::collections::HashMap;
use std::io::Cursor;

pub struct Book {
    pub names: Vec<String>,
    sheets: HashMap<String, calamine::Range<Data>>,
    merges: HashMap<String, Vec<Dimensions>>,
}

/// Writes the sheets and reads the file back.
pub fn round_trip(sheets: &[ReportSheet]) -> Book {
    let bytes = write_report_to_buffer(sheets).expect("write xlsx");
    read(bytes)
}

pub fn read(bytes: Vec<u8>) -> Book {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("open xlsx");
    let names = wb.sheet_names();
    let mut merges = HashMap::new();
    for n in &names {
        merges.insert(
            n.clone(),
            wb.merge_cells_by_sheet_name(n).expect("merged cells"),
        );
    }
    let mut sheets = HashMap::new();
    for n in &names {
        sheets.insert(n.clone(), wb.worksheet_range(n).expect("sheet"));
    }
    Book {
        names,
        sheets,
        merges,
    }
}

/// Excel's day count (1900 system) to a date.
fn serial_date(serial: f64) -> jiff::civil::Date {
    let days = serial.floor() as i64;
    jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().days(days))
        .expect("date")
}

impl Book {
    pub fn data(&self, sheet: &str, r: u32, c: u32) -> Data {
        self.sheets
            .get(sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet} in {:?}", self.names))
            .get_value((r, c))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    /// What a reader sees: text as is, numbers without a trailing ".0", dates as YYYY-MM-DD.
    pub fn text(&self, sheet: &str, r: u32, c: u32) -> String {
        match self.data(sheet, r, c) {
            Data::Empty => String::new(),
            Data::String(s) => s,
            Data::Float(f) => {
                if f.fract() == 0.0 {
                    format!("{}", f as i64)
                } else {
                    format!("{f}")
                }
            }
            Data::Int(n) => n.to_string(),
            Data::DateTime(d) => serial_date(d.as_f64()).to_string(),
            other => format!("{other:?}"),
        }
    }

    /// A row as text, `n` cells.
    pub fn row(&self, sheet: &str, r: u32, n: u32) -> Vec<String> {
        (0..n).map(|c| self.text(sheet, r, c)).collect()
    }

    /// The cell holds a number (not text).
    pub fn is_number(&self, sheet: &str, r: u32, c: u32) -> bool {
        matches!(self.data(sheet, r, c), Data::Float(_) | Data::Int(_))
    }

    pub fn is_date(&self, sheet: &str, r: u32, c: u32) -> bool {
        matches!(self.data(sheet, r, c), Data::DateTime(_))
    }

    /// Merged ranges as ((first_row, first_col), (last_row, last_col)), sorted.
    pub fn merged(&self, sheet: &str) -> Vec<((u32, u32), (u32, u32))> {
        let mut v: Vec<_> = self
            .merges
            .get(sheet)
            .map(|m| m.iter().map(|d| (d.start, d.end)).collect())
            .unwrap_or_default();
        v.sort();
        v
    }
}
