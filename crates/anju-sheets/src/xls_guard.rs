//! What an `.xls` file will cost calamine, read before calamine reads it.
//!
//! calamine's `Xls::new` parses every sheet eagerly into a *dense* grid spanning the first to
//! the last cell, and reserves room for the cells a sheet's DIMENSIONS record declares. Both
//! come from the file: two cells at A1 and IV65536 make a grid of 16.7 million cells (over
//! 500 MB), a forged DIMENSIONS record asks for terabytes and the allocator aborts the process,
//! and a Workbook stream that declares more bytes than the file holds (its sectors chained in a
//! loop) reads the same sectors over and over. No calamine option bounds this, so this module
//! walks the file the way calamine will, with the `cfb` crate for the container and a scan of
//! the BIFF records, and refuses the file naming the limit before calamine holds any of it.
//!
//! The scan mirrors calamine 0.38's `parse_workbook`: the BoundSheet8 records of the globals
//! substream give each sheet's position (duplicates count twice, as calamine parses them
//! twice); within a sheet, nested substreams (charts) are skipped and the cell records calamine
//! keeps (Number, Label, RString, BoolErr, Rk, LabelSst, MulRk, Formula) widen the sheet's
//! extent.

use crate::error::LedgerError;
use crate::read::limits;
use std::io::{Cursor, Read};

/// Refuses an `.xls` whose sheets would take calamine past [`limits::XLS_CELLS`].
pub(crate) fn check_xls(bytes: &[u8]) -> Result<(), LedgerError> {
    let unreadable = |reason: String| LedgerError::Unreadable { reason };
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let path = ["/Workbook", "/Book"]
        .into_iter()
        .find(|p| file.is_stream(p))
        .ok_or_else(|| unreadable("no Workbook stream".into()))?;
    let declared = file
        .entry(path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if declared > bytes.len() as u64 {
        return Err(unreadable(format!(
            "the Workbook stream declares {declared} bytes in a file of {}",
            bytes.len()
        )));
    }
    let mut stream = Vec::new();
    file.open_stream(path)
        .map_err(|e| unreadable(e.to_string()))?
        .take(declared)
        .read_to_end(&mut stream)
        .map_err(|e| unreadable(e.to_string()))?;
    check_biff(&stream)
}

/// One BIFF record: its type and data (Continue records are records of their own here; they
/// carry no cells).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        if rest.len() < 4 {
            return None;
        }
        let typ = u16::from_le_bytes([rest[0], rest[1]]);
        let len = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The rows and columns a sheet's cells span.
#[derive(Default)]
struct Extent(Option<(u32, u32, u32, u32)>);

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

fn too_many(cells: u64) -> LedgerError {
    LedgerError::TooLarge {
        what_zh: format!(
            "工作表的单元格范围合计 {cells} 格，超过 {} 格（.xls 按整块区域读入内存；请另存为 .xlsx）",
            limits::XLS_CELLS
        ),
        what_en: format!(
            "the sheets span {cells} cells in all, past {} (an .xls is read as whole grids; save it as .xlsx)",
            limits::XLS_CELLS
        ),
    }
}

/// The scan of the Workbook stream (public to the crate for tests that build streams).
pub(crate) fn check_biff(stream: &[u8]) -> Result<(), LedgerError> {
    let mut positions = Vec::new();
    for (typ, d) in records(stream) {
        match typ {
            0x0085 => positions.extend(u32_at(d, 0)),
            0x000A => break,
            _ => {}
        }
    }
    let mut total = 0u64;
    for pos in positions {
        let sheet = stream
            .get(pos as usize..)
            .ok_or_else(|| LedgerError::Unreadable {
                reason: format!("a sheet starts at {pos}, past the end of the workbook"),
            })?;
        let mut extent = Extent::default();
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (typ, d) in records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                // Dimensions: calamine reserves room for every cell it declares.
                0x0200 => {
                    let (rf, rl, cf, cl) = match d.len() {
                        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
                        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
                        _ => continue,
                    };
                    let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) else {
                        continue;
                    };
                    if cf > 0xFF || cl < cf {
                        cf = 0;
                    }
                    // calamine reserves (last − first + 1) rows × columns in u32 arithmetic,
                    // last being the record's bound − 1: a first row past the last wraps round
                    // to some 4 billion rows (fuzzing found one: 4 TB asked of the allocator).
                    let span = |first: u32, bound: u32| {
                        u64::from((bound - 1).wrapping_sub(first).wrapping_add(1))
                    };
                    let declared = if rl >= 1 && cl >= 1 {
                        span(rf, rl).saturating_mul(span(cf, cl))
                    } else {
                        1
                    };
                    if declared > limits::XLS_CELLS {
                        return Err(too_many(declared));
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(r), Some(c)) = (u16_at(d, 0), u16_at(d, 2)) {
                        extent.add(r, c);
                    }
                }
                // MulRk: one row, columns first..=last (the last is the record's final u16).
                0x00BD if d.len() >= 6 => {
                    if let (Some(r), Some(first), Some(last)) =
                        (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len() - 2))
                        && last >= first
                    {
                        extent.add(r, first);
                        extent.add(r, last);
                    }
                }
                _ => {}
            }
        }
        total += extent.cells();
        if total > limits::XLS_CELLS {
            return Err(too_many(total));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0, 0]);
        d.extend(1.0f64.to_le_bytes());
        rec(0x0203, &d)
    }

    /// Globals naming `sheets` sheets that all start at the one sheet substream after them.
    fn workbook(sheets: usize, body: &[Vec<u8>]) -> Vec<u8> {
        let bof = rec(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
        let eof = rec(0x000A, &[]);
        let boundsheet_len = 4 + 8;
        let sheet_at = bof.len() + sheets * boundsheet_len + eof.len();
        let mut s = bof.clone();
        for _ in 0..sheets {
            let mut d = (sheet_at as u32).to_le_bytes().to_vec();
            d.extend([0, 0, 1, 0]); // visible worksheet, name "A" (one byte, compressed)
            s.extend(rec(0x0085, &d[..8]));
        }
        s.extend(&eof);
        s.extend(&bof);
        for r in body {
            s.extend(r);
        }
        s.extend(&eof);
        s
    }

    #[test]
    fn a_sheet_of_two_far_cells_is_refused_by_the_grid_it_makes() {
        // A1 and IV65536: 65,536 × 256 cells once calamine makes them a grid.
        let s = workbook(1, &[number(0, 0), number(65_535, 255)]);
        match check_biff(&s) {
            Err(LedgerError::TooLarge { what_zh, .. }) => {
                assert!(what_zh.contains("16777216 格"), "{what_zh}")
            }
            other => panic!("{other:?}"),
        }
        // A ledger's worth of cells passes: 10,000 rows × 30 columns.
        assert!(check_biff(&workbook(1, &[number(0, 0), number(9_999, 29)])).is_ok());
    }

    #[test]
    fn one_sheet_named_many_times_counts_each_time() {
        let body = [number(0, 0), number(999, 999)]; // 1,000,000 cells
        assert!(check_biff(&workbook(2, &body)).is_ok());
        assert!(matches!(
            check_biff(&workbook(3, &body)),
            Err(LedgerError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_forged_dimensions_record_is_refused_before_calamine_reserves_it() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(u32::MAX.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(256u16.to_le_bytes());
        d.extend([0, 0]);
        let s = workbook(1, &[rec(0x0200, &d), number(0, 0)]);
        assert!(matches!(check_biff(&s), Err(LedgerError::TooLarge { .. })));
    }

    #[test]
    fn a_sheet_past_the_stream_is_unreadable_not_a_panic() {
        let mut s = workbook(1, &[number(0, 0)]);
        s.truncate(26); // the sheet was to start at byte 28
        assert!(matches!(
            check_biff(&s),
            Err(LedgerError::Unreadable { .. })
        ));
    }

    #[test]
    fn charts_inside_a_sheet_are_skipped_as_calamine_skips_them() {
        let bof = rec(0x0809, &[0, 6, 0x20, 0, 0, 0, 0, 0]);
        let eof = rec(0x000A, &[]);
        let mut chart = bof.clone();
        chart.extend(number(65_535, 255));
        chart.extend(&eof);
        assert!(check_biff(&workbook(1, &[number(0, 0), chart])).is_ok());
    }
}
