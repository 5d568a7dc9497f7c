//! Writing a ledger back out as .xlsx, in the layout `read_ledger` reads.

use crate::columns::{COLUMNS, ColumnSpec, Field};
use crate::error::LedgerError;
use anju_core::Compound;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// The sheet name `write_ledger` uses.
pub const SHEET_NAME: &str = "小区台账";

fn write_err(e: XlsxError) -> LedgerError {
    LedgerError::Write {
        reason: e.to_string(),
    }
}

/// Writes the compounds to an .xlsx file at `path`.
pub fn write_ledger(path: &Path, rows: &[Compound]) -> Result<(), LedgerError> {
    let bytes = write_ledger_to_buffer(rows)?;
    std::fs::write(path, bytes).map_err(|e| LedgerError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// The exported columns, in order.
fn exported() -> impl Iterator<Item = &'static ColumnSpec> {
    COLUMNS.iter().filter(|c| c.exported)
}

fn width(f: Field) -> f64 {
    match f {
        Field::Serial => 6.0,
        Field::Name | Field::Company => 26.0,
        Field::Address | Field::Remarks => 32.0,
        Field::CreditCode => 22.0,
        Field::Mode => 18.0,
        Field::Area | Field::AreaMulti | Field::AreaHigh => 14.0,
        Field::District | Field::Street | Field::Community | Field::ManagementArea => 14.0,
        Field::OwnersBody => 16.0,
        Field::Longitude | Field::Latitude => 12.0,
        Field::Need(_) => 12.0,
        _ => 10.0,
    }
}

/// Writes the compounds to an in-memory .xlsx file: one sheet 小区台账, a bold frozen header row
/// with a filter, areas as numbers formatted "#,##0.00".
pub fn write_ledger_to_buffer(rows: &[Compound]) -> Result<Vec<u8>, LedgerError> {
    let mut wb = Workbook::new();
    // Low-memory mode flushes each finished row to a temporary file (shared strings stay, so
    // the file reads back fast): a 100,000-row export would otherwise hold every cell.
    let ws = wb.add_worksheet_with_low_memory().map_err(write_err)?;
    ws.set_name(SHEET_NAME).map_err(write_err)?;
    fill(ws, rows).map_err(write_err)?;
    wb.save_to_buffer().map_err(write_err)
}

fn fill(ws: &mut Worksheet, rows: &[Compound]) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    let area_fmt = Format::new().set_num_format("#,##0.00");
    let coord_fmt = Format::new().set_num_format("0.000000");

    let cols: Vec<&ColumnSpec> = exported().collect();
    for (i, c) in cols.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, c.header, &head)?;
        ws.set_column_width(col, width(c.field))?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 0)?;
    if !rows.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, (cols.len() - 1) as u16)?;
    }

    for (n, c) in rows.iter().enumerate() {
        let r = n as u32 + 1;
        for (i, spec) in cols.iter().enumerate() {
            let col = i as u16;
            match cell(c, spec.field, n + 1) {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, col, s)?;
                }
                Cell::Int(v) => {
                    ws.write_number(r, col, v as f64)?;
                }
                Cell::Area(a) => {
                    ws.write_number_with_format(r, col, a.centi() as f64 / 100.0, &area_fmt)?;
                }
                Cell::Degrees(e6) => {
                    ws.write_number_with_format(r, col, e6 as f64 / 1e6, &coord_fmt)?;
                }
            }
        }
    }
    Ok(())
}

/// One compound's value in one column, as the ledger writes it: the xlsx export and the
/// compound form ([`compound_form_text`]) both read it here.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Area(anju_core::Area),
    /// Millionths of a degree.
    Degrees(i64),
}

pub(crate) fn cell(c: &Compound, f: Field, serial: usize) -> Cell<'_> {
    let yes_no = |b: bool| Cell::Text(if b { "是" } else { "否" });
    match f {
        Field::Serial => Cell::Int(serial as i64),
        Field::Name => Cell::Text(&c.name),
        Field::District => c.district.as_deref().map_or(Cell::Empty, Cell::Text),
        Field::Street => Cell::Text(&c.street),
        Field::Community => c.community.as_deref().map_or(Cell::Empty, Cell::Text),
        Field::Address => c.address.as_deref().map_or(Cell::Empty, Cell::Text),
        Field::BuiltYear => c
            .built_year
            .map_or(Cell::Empty, |y| Cell::Int(i64::from(y))),
        Field::Area => c.area.map_or(Cell::Empty, Cell::Area),
        Field::AreaMulti => c.area_multi.map_or(Cell::Empty, Cell::Area),
        Field::AreaHigh => c.area_high.map_or(Cell::Empty, Cell::Area),
        Field::Buildings => c.buildings.map_or(Cell::Empty, |n| Cell::Int(i64::from(n))),
        Field::Households => c
            .households
            .map_or(Cell::Empty, |n| Cell::Int(i64::from(n))),
        Field::Category => c
            .category
            .map_or(Cell::Empty, |k| Cell::Int(i64::from(k.number()))),
        Field::Renovation => yes_no(c.renovation),
        Field::Mode => Cell::Text(c.mode.zh()),
        Field::Company => c.company.as_deref().map_or(Cell::Empty, Cell::Text),
        Field::CreditCode => c
            .company_code
            .as_ref()
            .map_or(Cell::Empty, |k| Cell::Text(k.as_str())),
        Field::OwnersBody => Cell::Text(c.owners_body.zh()),
        Field::PartyBranch => yes_no(c.party_branch),
        Field::Infra(k) => Cell::Int(i64::from(c.infra.get(k))),
        Field::Need(k) => Cell::Int(i64::from(c.needs.get(k))),
        Field::ManagementArea => c.management_area.as_deref().map_or(Cell::Empty, Cell::Text),
        Field::Longitude => c.coords.map_or(Cell::Empty, |p| Cell::Degrees(p.lng_e6)),
        Field::Latitude => c.coords.map_or(Cell::Empty, |p| Cell::Degrees(p.lat_e6)),
        Field::Coordinates => Cell::Empty,
        Field::Remarks => c.remarks.as_deref().map_or(Cell::Empty, Cell::Text),
    }
}

/// A compound's value in one column as a form shows it for editing: what the export writes,
/// as text (12345.67 for an area, 120.656000 for a longitude), so that reading it back with
/// [`crate::compound_from_form`] gives the same compound.
pub fn compound_form_text(c: &Compound, f: Field) -> String {
    match cell(c, f, 0) {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.to_string(),
        Cell::Int(n) => n.to_string(),
        Cell::Area(a) => a.to_string(),
        Cell::Degrees(e6) => {
            let sign = if e6 < 0 { "-" } else { "" };
            format!("{sign}{}.{:06}", e6.abs() / 1_000_000, e6.abs() % 1_000_000)
        }
    }
}
