//! Memory under hostile files: every file here is at most 20 MiB (the web takes 24 MiB), and
//! reading it — as the web's import reads it, in chunks, or as a fee sheet — must hold less
//! than [`BOUND`] at its peak. A counting allocator (`peak_alloc`) measures the bytes held (its own test
//! binary, one test, so nothing else runs beside it); no timing is involved.
//!
//! The bound leaves room under the server's 500 MB for the upload itself (held once as the
//! request body, once as the bytes read) and the rest of the server.

use anju_core::Lang;
use anju_sheets::{
    FileKind, LedgerError, ReadOptions, read_fee_sheet_bytes, read_ledger_bytes_chunks,
};
use std::io::Write;
use std::ops::ControlFlow;

#[global_allocator]
static HELD: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

const MIB: usize = 1024 * 1024;
/// What reading one file may hold at its peak, beyond what was held before.
const BOUND: usize = 400 * MIB;
/// The largest file tried.
const UPLOAD: usize = 20 * MIB;

fn opts() -> ReadOptions {
    ReadOptions {
        current_year: 2026,
        lang: Lang::Zh,
    }
}

/// Reads `bytes` as the web's import does and as a fee sheet; returns the peak bytes held
/// beyond the file itself, and what the ledger reader said.
fn peak_of(bytes: &[u8], kind: FileKind) -> (usize, Result<usize, LedgerError>) {
    let before = HELD.current_usage();
    HELD.reset_peak_usage();
    let mut rows = 0usize;
    let ledger = read_ledger_bytes_chunks(bytes, kind, &opts(), 5_000, |c| {
        rows += c.rows.len();
        ControlFlow::Continue(())
    })
    .map(|_| rows);
    if let Err(LedgerError::Problems(p)) = &ledger {
        assert!(p.len() <= 1_001, "problems are capped: {}", p.len());
    }
    let fees = read_fee_sheet_bytes(bytes, kind);
    if let Err(LedgerError::Problems(p)) = &fees {
        assert!(p.len() <= 1_001, "fee problems are capped: {}", p.len());
    }
    drop(fees);
    (HELD.peak_usage() - before, ledger)
}

/// A minimal workbook around one sheet's XML (and shared strings when given).
fn xlsx(sheet: &[&[u8]], repeat: usize, shared: Option<&[u8]>) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut put = |name: &str, text: &[u8]| {
        z.start_file(name, o).expect("start");
        z.write_all(text).expect("write");
    };
    put("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#);
    put("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#);
    put("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#);
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    );
    if shared.is_some() {
        rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    rels.push_str("</Relationships>");
    put("xl/_rels/workbook.xml.rels", rels.as_bytes());
    if let Some(s) = shared {
        put("xl/sharedStrings.xml", s);
    }
    z.start_file("xl/worksheets/sheet1.xml", o).expect("start");
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).expect("w");
    z.write_all(sheet[0]).expect("w");
    for _ in 0..repeat {
        z.write_all(sheet[1]).expect("w");
    }
    z.write_all(sheet[2]).expect("w");
    z.write_all(b"</sheetData></worksheet>").expect("w");
    z.finish().expect("finish");
    buf.into_inner()
}

const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>小区名称</t></is></c><c r="B1" t="inlineStr"><is><t>所属街道</t></is></c><c r="C1" t="inlineStr"><is><t>物业管理方式</t></is></c><c r="D1" t="inlineStr"><is><t>月份</t></is></c></row>"#;

#[test]
fn hostile_files_of_twenty_mib_are_read_in_bounded_memory() {
    let mut report = Vec::new();
    let mut check = |what: &str, bytes: Vec<u8>, kind: FileKind| {
        assert!(bytes.len() <= UPLOAD, "{what}: {} bytes", bytes.len());
        let started = std::time::Instant::now();
        let (peak, said) = peak_of(&bytes, kind);
        report.push(format!(
            "{what}: {:.1} MiB file, peak {:.1} MiB ({:.1} s)",
            bytes.len() as f64 / MIB as f64,
            peak as f64 / MIB as f64,
            started.elapsed().as_secs_f64()
        ));
        eprintln!("{}", report.last().expect("line"));
        assert!(peak < BOUND, "{what}: peak {peak} bytes");
        said
    };

    // Rows of bad cells inflating to 16 MiB, 130,000 rows (what grows with the rows would show
    // here as it would at the part limit). Every row is a problem; the problems are capped, the
    // rest counted.
    let row = br#"<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c><c t="inlineStr"><is><t>z</t></is></c></row>"#;
    let rows = 16 * MIB / row.len();
    let said = check(
        "xlsx of bad rows",
        xlsx(&[HEADER_ROW.as_bytes(), row, b""], rows, None),
        FileKind::Xlsx,
    );
    assert!(matches!(said, Err(LedgerError::Problems(_))), "{said:?}");

    // One cell inflating past the part limit (to 300 MiB; a gigabyte is refused the same way,
    // at the same point): refused while inflating, naming the limit.
    let mut cell = Vec::from(&br#"<row r="2"><c r="A2" t="inlineStr"><is><t>"#[..]);
    cell.extend(std::iter::repeat_n(b'a', 1024));
    let said = check(
        "xlsx one-cell bomb",
        xlsx(
            &[&cell, &[b'a'; 1024], b"</t></is></c></row>"],
            300 * 1024,
            None,
        ),
        FileKind::Xlsx,
    );
    assert!(
        matches!(said, Err(LedgerError::TooLarge { .. })),
        "{said:?}"
    );

    // Shared strings past their limit.
    let mut sst = Vec::from(
        &br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#[..],
    );
    sst.extend(std::iter::repeat_n(b'b', 80 * MIB));
    sst.extend(b"</t></si></sst>");
    let said = check(
        "xlsx shared-strings bomb",
        xlsx(&[HEADER_ROW.as_bytes(), b"", b""], 0, Some(&sst)),
        FileKind::Xlsx,
    );
    assert!(
        matches!(said, Err(LedgerError::TooLarge { .. })),
        "{said:?}"
    );

    // A cell millions of columns to the right (its row would be that wide).
    let far = br#"<row r="2"><c r="ZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let said = check(
        "xlsx far column",
        xlsx(&[HEADER_ROW.as_bytes(), far, b""], 1, None),
        FileKind::Xlsx,
    );
    assert!(
        matches!(said, Err(LedgerError::TooLarge { .. })),
        "{said:?}"
    );

    // A CSV of one 20 MiB cell.
    let mut csv = Vec::from("小区名称,所属街道,物业管理方式,月份\n".as_bytes());
    let tail = ",街道,弃管,2026-01\n".as_bytes();
    csv.extend(std::iter::repeat_n(b'c', UPLOAD - csv.len() - tail.len()));
    csv.extend(tail);
    let said = check("CSV one huge cell", csv, FileKind::Csv);
    assert!(matches!(said, Err(LedgerError::Problems(_))), "{said:?}");

    // A CSV of ten million one-letter rows: past Excel's rows, refused naming the limit.
    let mut csv = Vec::from("小区名称,所属街道,物业管理方式,月份\n".as_bytes());
    while csv.len() + 2 <= UPLOAD {
        csv.extend(b"x\n");
    }
    let said = check("CSV of ten million rows", csv, FileKind::Csv);
    match said {
        Err(LedgerError::TooLarge { what_zh, .. }) => {
            assert!(what_zh.contains("1048576 行"), "{what_zh}")
        }
        other => panic!("{other:?}"),
    }

    // A CSV of half a million rows, every one a problem.
    let mut csv = Vec::from("小区名称,所属街道,物业管理方式,月份\n".as_bytes());
    let line = "某小区,某街道,不是管理方式,2026-13\n".as_bytes();
    while csv.len() + line.len() <= UPLOAD {
        csv.extend(line);
    }
    let said = check("CSV of bad rows", csv, FileKind::Csv);
    assert!(matches!(said, Err(LedgerError::Problems(_))), "{said:?}");

    // An .xls whose two cells make a grid of 16.7 million (A1 and IV65536), and one whose
    // DIMENSIONS record declares four billion rows.
    let said = check(
        "xls far cells",
        xls(&[number(0, 0), number(65_535, 255)]),
        FileKind::Xls,
    );
    assert!(
        matches!(said, Err(LedgerError::TooLarge { .. })),
        "{said:?}"
    );
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend(u32::MAX.to_le_bytes());
    dims.extend([0, 0, 0, 1, 0, 0]);
    let said = check(
        "xls forged dimensions",
        xls(&[rec(0x0200, &dims), number(0, 0)]),
        FileKind::Xls,
    );
    assert!(
        matches!(said, Err(LedgerError::TooLarge { .. })),
        "{said:?}"
    );

    assert_eq!(report.len(), 9);
}

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

/// A compound file holding a Workbook stream: globals naming one sheet, then the sheet.
fn xls(cells: &[Vec<u8>]) -> Vec<u8> {
    let bof = rec(0x0809, &[0, 6, 0x05, 0, 0, 0, 0, 0]);
    let sheet_bof = rec(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
    let eof = rec(0x000A, &[]);
    let mut name = vec![0u8, 0, 1, 0];
    name.extend(b"A");
    let sheet_at = bof.len() + 4 + 4 + name.len() + eof.len();
    let mut bs = (sheet_at as u32).to_le_bytes().to_vec();
    bs.extend(&name);
    let mut w = bof.clone();
    w.extend(rec(0x0085, &bs));
    w.extend(&eof);
    assert_eq!(w.len(), sheet_at);
    w.extend(&sheet_bof);
    for c in cells {
        w.extend(c);
    }
    w.extend(&eof);
    let mut f = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    f.create_stream("/Workbook")
        .expect("stream")
        .write_all(&w)
        .expect("write");
    f.flush().expect("flush");
    f.into_inner().into_inner()
}
