//! Report workbooks (报表) in the layouts officials file: a title row merged across the table,
//! an optional subtitle row (街道办事处, 报送日期 …), one or two heading rows (a merged group
//! heading over its columns), the body with merged cells where the seed merges them, totals in
//! bold, notes (注) under the table, and print setup (A4, landscape when wide, headings repeated
//! on every page, fitted to the page width).
//!
//! The layout — which columns, in which order, with which headings — belongs to the report
//! (crate `anju-reports`); this module only knows how to put it in an .xlsx file. Numbers are
//! written as numbers with a format (`#,##0.00` for money and areas, `#,##0` for counts), dates
//! as dates (`yyyy-mm-dd`, or `yyyy年m月d日` where the seed writes dates in words), never as
//! text. Money is held as integer fen until this point; the cell value is fen ÷ 100, which an
//! IEEE double shows exactly to the cent for any amount below 10^13 元.

use crate::error::LedgerError;
use anju_core::Fen;
use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use serde::Serialize;
use std::path::Path;

/// One cell of a report body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ReportCell {
    Empty,
    Text(String),
    /// A count: `#,##0`.
    Int(i64),
    /// Money: `#,##0.00` (元).
    Money(Fen),
    /// A decimal shown with `places` decimals (areas, scores, percentages).
    Decimal {
        value: Decimal,
        places: u32,
    },
    /// A date: `yyyy-mm-dd`.
    Date(Date),
    /// A date written the way the seed writes it: `yyyy年m月d日`.
    DateZh(Date),
}

impl ReportCell {
    pub fn text(s: impl Into<String>) -> ReportCell {
        ReportCell::Text(s.into())
    }

    pub fn opt_text(s: Option<&str>) -> ReportCell {
        match s {
            Some(s) if !s.trim().is_empty() => ReportCell::Text(s.to_string()),
            _ => ReportCell::Empty,
        }
    }

    pub fn int(n: impl Into<i64>) -> ReportCell {
        ReportCell::Int(n.into())
    }

    pub fn dec(value: Decimal, places: u32) -> ReportCell {
        ReportCell::Decimal { value, places }
    }
}

/// A heading spanning `cols` columns (a group heading over several columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupHeading {
    pub text: String,
    pub first_col: u16,
    pub last_col: u16,
}

/// A merged range of body cells, rows counted from the first body row (0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BodyMerge {
    pub first_row: u32,
    pub last_row: u32,
    pub col: u16,
}

/// One worksheet of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSheet {
    /// Tab name (cut to 31 characters; `[]:*?/\` replaced).
    pub name: String,
    /// The title, merged across the table, bold and large.
    pub title: String,
    /// A line under the title (left-aligned), e.g. "山城街道办事处　　报送日期：2026-11-15".
    pub subtitle: Option<String>,
    /// Group headings above the column headings (a merged cell over its columns); a column
    /// not under any group has its heading merged over both heading rows.
    pub groups: Vec<GroupHeading>,
    /// Column headings, one per column.
    pub headings: Vec<String>,
    /// Column widths in characters, one per column.
    pub widths: Vec<u16>,
    pub rows: Vec<Vec<ReportCell>>,
    /// Body rows written in bold (合计).
    pub bold_rows: Vec<u32>,
    /// Vertical merges in the body (the same value over several rows, as the seeds print).
    pub merges: Vec<BodyMerge>,
    /// Lines under the table (注：…).
    pub notes: Vec<String>,
    pub landscape: bool,
}

impl ReportSheet {
    /// The row (0-based, in the sheet) of the first body row.
    pub fn first_body_row(&self) -> u32 {
        let mut r = 1;
        if self.subtitle.is_some() {
            r += 1;
        }
        r + if self.groups.is_empty() { 1 } else { 2 }
    }
}

fn write_err(e: XlsxError) -> LedgerError {
    LedgerError::Write {
        reason: e.to_string(),
    }
}

/// Writes the sheets to an .xlsx file at `path`.
pub fn write_report(path: &Path, sheets: &[ReportSheet]) -> Result<(), LedgerError> {
    let bytes = write_report_to_buffer(sheets)?;
    std::fs::write(path, bytes).map_err(|e| LedgerError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Writes the sheets to an in-memory .xlsx file (for a download button).
pub fn write_report_to_buffer(sheets: &[ReportSheet]) -> Result<Vec<u8>, LedgerError> {
    let mut wb = Workbook::new();
    // Zip level 2 instead of 6: about 10 % larger files for about 40 % less compression time
    // (rust_xlsxwriter's own figures), which is most of the time a city-wide report takes.
    wb.set_zip_compression_level(2);
    let mut used: Vec<String> = Vec::new();
    for s in sheets {
        // Sheets without body merges or group headings are written row by row and flushed (a
        // 100,000-row 调度表 would otherwise hold every cell in memory); merges reach into later
        // rows, so those sheets are kept whole.
        let ws = if s.merges.is_empty() && s.groups.is_empty() {
            wb.add_worksheet_with_low_memory().map_err(write_err)?
        } else {
            wb.add_worksheet()
        };
        let name = unique_name(&tab_name(&s.name), &used);
        used.push(name.clone());
        ws.set_name(&name).map_err(write_err)?;
        fill(ws, s).map_err(write_err)?;
    }
    if sheets.is_empty() {
        wb.add_worksheet().set_name("空").map_err(write_err)?;
    }
    wb.save_to_buffer().map_err(write_err)
}

/// Excel's rules for a tab name: ≤ 31 characters, none of `[]:*?/\`.
fn tab_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Sheet".to_string()
    } else {
        cleaned
    }
}

fn unique_name(name: &str, used: &[String]) -> String {
    if !used.iter().any(|u| u == name) {
        return name.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!("({n})");
            let keep = 31usize.saturating_sub(suffix.chars().count());
            format!("{}{suffix}", name.chars().take(keep).collect::<String>())
        })
        .find(|c| !used.iter().any(|u| u == c))
        .unwrap_or_else(|| name.to_string())
}

struct Formats {
    title: Format,
    subtitle: Format,
    heading: Format,
    text: Format,
    int: Format,
    money: Format,
    dec: [Format; 3],
    date: Format,
    date_zh: Format,
    note: Format,
}

impl Formats {
    fn new(bold: bool) -> Formats {
        let cell = || {
            let f = Format::new()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
                .set_font_size(10.5);
            if bold { f.set_bold() } else { f }
        };
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new().set_font_size(11),
            heading: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color("#F2F2F2"),
            text: cell().set_text_wrap(),
            int: cell().set_num_format("#,##0"),
            money: cell().set_num_format("#,##0.00"),
            dec: [
                cell().set_num_format("0"),
                cell().set_num_format("0.0"),
                cell().set_num_format("#,##0.00"),
            ],
            date: cell().set_num_format("yyyy-mm-dd"),
            date_zh: cell().set_num_format("yyyy\"年\"m\"月\"d\"日\""),
            note: Format::new().set_font_size(10).set_text_wrap(),
        }
    }
}

fn excel_date(d: Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        u8::try_from(d.month()).unwrap_or(1),
        u8::try_from(d.day()).unwrap_or(1),
    )
}

fn fill(ws: &mut Worksheet, s: &ReportSheet) -> Result<(), XlsxError> {
    let plain = Formats::new(false);
    let bold = Formats::new(true);
    let ncols = u16::try_from(s.headings.len().max(1)).unwrap_or(u16::MAX);
    let last_col = ncols - 1;
    for (i, w) in s.widths.iter().enumerate() {
        ws.set_column_width(u16::try_from(i).unwrap_or(u16::MAX), f64::from(*w))?;
    }
    // Title.
    ws.set_row_height(0, 30)?;
    if last_col > 0 {
        ws.merge_range(0, 0, 0, last_col, &s.title, &plain.title)?;
    } else {
        ws.write_string_with_format(0, 0, &s.title, &plain.title)?;
    }
    let mut row = 1;
    if let Some(sub) = &s.subtitle {
        if last_col > 0 {
            ws.merge_range(row, 0, row, last_col, sub, &plain.subtitle)?;
        } else {
            ws.write_string_with_format(row, 0, sub, &plain.subtitle)?;
        }
        row += 1;
    }
    // Headings.
    let heading_rows = if s.groups.is_empty() { 1 } else { 2 };
    if s.groups.is_empty() {
        for (c, h) in s.headings.iter().enumerate() {
            ws.write_string_with_format(
                row,
                u16::try_from(c).unwrap_or(u16::MAX),
                h,
                &plain.heading,
            )?;
        }
    } else {
        for (c, h) in s.headings.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            if s.groups.iter().any(|g| g.first_col <= c && c <= g.last_col) {
                ws.write_string_with_format(row + 1, c, h, &plain.heading)?;
            } else {
                ws.merge_range(row, c, row + 1, c, h, &plain.heading)?;
            }
        }
        for g in &s.groups {
            if g.first_col == g.last_col {
                ws.write_string_with_format(row, g.first_col, &g.text, &plain.heading)?;
            } else {
                ws.merge_range(row, g.first_col, row, g.last_col, &g.text, &plain.heading)?;
            }
        }
    }
    ws.set_repeat_rows(row, row + heading_rows - 1)?;
    row += heading_rows;
    let body = row;
    ws.set_freeze_panes(body, 0)?;
    // Body, with merged ranges written as a merge of the first cell's value.
    for (i, cells) in s.rows.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        let f = if s.bold_rows.contains(&i) {
            &bold
        } else {
            &plain
        };
        for (c, cell) in cells.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            let r = body + i;
            if let Some(m) = s
                .merges
                .iter()
                .find(|m| m.col == c && m.first_row <= i && i <= m.last_row)
            {
                if m.first_row != i {
                    continue;
                }
                if m.last_row > m.first_row {
                    ws.merge_range(body + m.first_row, c, body + m.last_row, c, "", &f.text)?;
                }
            }
            write_cell(ws, r, c, cell, f)?;
        }
    }
    row = body + u32::try_from(s.rows.len()).unwrap_or(u32::MAX);
    for n in &s.notes {
        if last_col > 0 {
            ws.merge_range(row, 0, row, last_col, n, &plain.note)?;
        } else {
            ws.write_string_with_format(row, 0, n, &plain.note)?;
        }
        let chars = n.chars().count();
        let width = s.widths.iter().map(|w| f64::from(*w)).sum::<f64>().max(1.0);
        let lines = (chars as f64 * 2.0 / width).ceil().max(1.0);
        ws.set_row_height(row, 15.0 * lines)?;
        row += 1;
    }
    // Print: A4, fitted to one page wide, headings repeated.
    ws.set_paper_size(9);
    if s.landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &ReportCell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        ReportCell::Empty => {
            ws.write_blank(r, c, &f.text)?;
        }
        ReportCell::Text(t) => {
            ws.write_string_with_format(r, c, t, &f.text)?;
        }
        ReportCell::Int(n) => {
            ws.write_number_with_format(r, c, *n as f64, &f.int)?;
        }
        ReportCell::Money(fen) => {
            let yuan = fen.to_yuan().to_f64().unwrap_or(0.0);
            ws.write_number_with_format(r, c, yuan, &f.money)?;
        }
        ReportCell::Decimal { value, places } => {
            let fmt = &f.dec[usize::try_from((*places).min(2)).unwrap_or(2)];
            ws.write_number_with_format(r, c, value.to_f64().unwrap_or(0.0), fmt)?;
        }
        ReportCell::Date(d) => {
            ws.write_datetime_with_format(r, c, excel_date(*d)?, &f.date)?;
        }
        ReportCell::DateZh(d) => {
            ws.write_datetime_with_format(r, c, excel_date(*d)?, &f.date_zh)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_names_follow_excel_rules() {
        assert_eq!(tab_name("a/b:c"), "a_b_c");
        assert_eq!(tab_name(&"字".repeat(40)).chars().count(), 31);
        let used = vec!["山城街道".to_string()];
        assert_eq!(unique_name("山城街道", &used), "山城街道(2)");
    }

    #[test]
    fn first_body_row_counts_title_subtitle_and_headings() {
        let mut s = ReportSheet {
            name: "x".into(),
            title: "t".into(),
            subtitle: None,
            groups: vec![],
            headings: vec!["a".into()],
            widths: vec![10],
            rows: vec![],
            bold_rows: vec![],
            merges: vec![],
            notes: vec![],
            landscape: false,
        };
        assert_eq!(s.first_body_row(), 2);
        s.subtitle = Some("s".into());
        assert_eq!(s.first_body_row(), 3);
        s.groups.push(GroupHeading {
            text: "g".into(),
            first_col: 0,
            last_col: 0,
        });
        assert_eq!(s.first_body_row(), 4);
    }
}
