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
            let text = |ws: &mut Worksheet, s: &Option<String>| -> Result<(), XlsxError> {
                if let Some(s) = s {
                    ws.write_string(r, col, s)?;
                }
                Ok(())
            };
            let num = |ws: &mut Worksheet, v: Option<f64>| -> Result<(), XlsxError> {
                if let Some(v) = v {
                    ws.write_number(r, col, v)?;
                }
                Ok(())
            };
            let area = |ws: &mut Worksheet, a: Option<anju_core::Area>| -> Result<(), XlsxError> {
                if let Some(a) = a {
                    ws.write_number_with_format(r, col, a.centi() as f64 / 100.0, &area_fmt)?;
                }
                Ok(())
            };
            let yes_no = |b: bool| if b { "是" } else { "否" };
            match spec.field {
                Field::Serial => num(ws, Some((n + 1) as f64))?,
                Field::Name => {
                    ws.write_string(r, col, &c.name)?;
                }
                Field::District => text(ws, &c.district)?,
                Field::Street => {
                    ws.write_string(r, col, &c.street)?;
                }
                Field::Community => text(ws, &c.community)?,
                Field::Address => text(ws, &c.address)?,
                Field::BuiltYear => num(ws, c.built_year.map(f64::from))?,
                Field::Area => area(ws, c.area)?,
                Field::AreaMulti => area(ws, c.area_multi)?,
                Field::AreaHigh => area(ws, c.area_high)?,
                Field::Buildings => num(ws, c.buildings.map(f64::from))?,
                Field::Households => num(ws, c.households.map(f64::from))?,
                Field::Category => num(ws, c.category.map(|k| f64::from(k.number())))?,
                Field::Renovation => {
                    ws.write_string(r, col, yes_no(c.renovation))?;
                }
                Field::Mode => {
                    ws.write_string(r, col, c.mode.zh())?;
                }
                Field::Company => text(ws, &c.company)?,
                Field::CreditCode => {
                    if let Some(code) = &c.company_code {
                        ws.write_string(r, col, code.as_str())?;
                    }
                }
                Field::OwnersBody => {
                    ws.write_string(r, col, c.owners_body.zh())?;
                }
                Field::PartyBranch => {
                    ws.write_string(r, col, yes_no(c.party_branch))?;
                }
                Field::Infra(k) => num(ws, Some(f64::from(c.infra.get(k))))?,
                Field::Need(k) => num(ws, Some(f64::from(c.needs.get(k))))?,
                Field::ManagementArea => text(ws, &c.management_area)?,
                Field::Longitude => {
                    if let Some(p) = c.coords {
                        ws.write_number_with_format(r, col, p.lng(), &coord_fmt)?;
                    }
                }
                Field::Latitude => {
                    if let Some(p) = c.coords {
                        ws.write_number_with_format(r, col, p.lat(), &coord_fmt)?;
                    }
                }
                Field::Coordinates => {}
                Field::Remarks => text(ws, &c.remarks)?,
            }
        }
    }
    Ok(())
}
