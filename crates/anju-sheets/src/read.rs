//! Reading a ledger: find the sheet and its header row, map columns, validate every row.

use crate::cell::{self, Reason, Val};
use crate::columns::{COLUMNS, Field, column_letter, match_header, normalize_header};
use crate::error::{LedgerError, Problem, ProblemList};
use anju_core::{
    Category, Compound, Coordinates, CreditCode, InfraKind, Infrastructure, Lang, ManagementMode,
    OwnersBody,
};
use calamine::{Reader, SheetVisible, Xls, XlsError, Xlsx, XlsxError};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;
use std::ops::ControlFlow;
use std::path::Path;

/// How a file is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel 97–2003 workbook (.xls).
    Xls,
    /// Comma- or tab-separated text (.csv, .tsv, .txt), UTF-8 or GB18030.
    Csv,
}

impl FileKind {
    /// From the file's extension.
    pub fn from_path(path: &Path) -> Result<FileKind, LedgerError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" => Ok(FileKind::Xlsx),
            "xls" => Ok(FileKind::Xls),
            "csv" | "tsv" | "txt" => Ok(FileKind::Csv),
            _ => Err(LedgerError::UnknownFormat(if ext.is_empty() {
                path.display().to_string()
            } else {
                format!(".{ext}")
            })),
        }
    }
}

/// Options for reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// This year: a year built after it is an error. Passed in so tests are deterministic.
    pub current_year: i32,
    /// The language the caller will report in (problems carry both languages).
    pub lang: Lang,
}

impl ReadOptions {
    /// Options with this year from the system clock.
    pub fn now(lang: Lang) -> ReadOptions {
        ReadOptions {
            current_year: i32::from(jiff::Zoned::now().year()),
            lang,
        }
    }
}

/// A ledger that read cleanly: every row valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// The compounds in file order.
    pub rows: Vec<Compound>,
    /// The sheet they came from (the file name's stem for CSV).
    pub sheet: String,
    /// The header row, 1-based as Excel shows it.
    pub header_row: usize,
    /// Headers of columns that were not used, as written.
    pub ignored_columns: Vec<String>,
    /// For each compound in `rows`, its row number (1-based as Excel shows it).
    pub source_rows: Vec<usize>,
}

/// Consecutive valid rows of a ledger, as [`read_ledger_chunks`] hands them over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LedgerChunk {
    /// The compounds in file order.
    pub rows: Vec<Compound>,
    /// For each compound in `rows`, its row number (1-based as Excel shows it).
    pub source_rows: Vec<usize>,
}

/// A ledger that [`read_ledger_chunks`] read cleanly: everything but the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerInfo {
    /// How many compounds the chunks held.
    pub rows: usize,
    /// The sheet they came from (the file name's stem for CSV).
    pub sheet: String,
    /// The header row, 1-based as Excel shows it.
    pub header_row: usize,
    /// Headers of columns that were not used, as written.
    pub ignored_columns: Vec<String>,
}

/// Reads a ledger file (.xlsx, .xls, .csv). All or nothing: any bad row makes it an error
/// listing every problem.
pub fn read_ledger(path: &Path, opts: &ReadOptions) -> Result<Ledger, LedgerError> {
    let mut all = LedgerChunk::default();
    let info = read_ledger_chunks(path, opts, usize::MAX, |c| {
        all.rows.extend(c.rows);
        all.source_rows.extend(c.source_rows);
        ControlFlow::Continue(())
    })?;
    Ok(Ledger::from_parts(info, all))
}

/// Reads a ledger file, handing the valid rows to `sink` in chunks of `chunk_rows` (the last one
/// shorter) while the rest of the file is still being read, so that a caller can write rows
/// while later ones are parsed. Validation is the same as [`read_ledger`]'s, over the whole
/// file (a compound listed twice is found however far apart the rows are), and so is the result:
/// `Ok` with everything but the rows, or the error listing every problem.
///
/// Chunks come only while every row so far is valid. Once a problem is found no further chunk
/// comes, reading goes on to find every problem, and the result is the error: a caller that
/// wrote the chunks it was given must undo them then. `sink` may stop the reading with
/// `ControlFlow::Break`; the result is then [`LedgerError::Cancelled`].
pub fn read_ledger_chunks(
    path: &Path,
    opts: &ReadOptions,
    chunk_rows: usize,
    mut sink: impl FnMut(LedgerChunk) -> ControlFlow<()>,
) -> Result<LedgerInfo, LedgerError> {
    let kind = FileKind::from_path(path)?;
    let bytes = std::fs::read(path).map_err(|e| LedgerError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut info = read_bytes(&bytes, kind, opts, chunk_rows, &mut sink)?;
    if kind == FileKind::Csv
        && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
    {
        info.sheet = stem.to_string();
    }
    Ok(info)
}

impl Ledger {
    fn from_parts(info: LedgerInfo, all: LedgerChunk) -> Ledger {
        Ledger {
            rows: all.rows,
            sheet: info.sheet,
            header_row: info.header_row,
            ignored_columns: info.ignored_columns,
            source_rows: all.source_rows,
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a ledger from bytes. The content decides over `kind` where they disagree (a .xls
/// that is really an .xlsx, as WPS sometimes saves it).
pub fn read_ledger_bytes(
    bytes: &[u8],
    kind: FileKind,
    opts: &ReadOptions,
) -> Result<Ledger, LedgerError> {
    let mut all = LedgerChunk::default();
    let info = read_bytes(bytes, kind, opts, usize::MAX, &mut |c: LedgerChunk| {
        all.rows.extend(c.rows);
        all.source_rows.extend(c.source_rows);
        ControlFlow::Continue(())
    })?;
    Ok(Ledger::from_parts(info, all))
}

/// [`read_ledger_chunks`] over bytes, as [`read_ledger_bytes`] reads them.
pub fn read_ledger_bytes_chunks(
    bytes: &[u8],
    kind: FileKind,
    opts: &ReadOptions,
    chunk_rows: usize,
    mut sink: impl FnMut(LedgerChunk) -> ControlFlow<()>,
) -> Result<LedgerInfo, LedgerError> {
    read_bytes(bytes, kind, opts, chunk_rows, &mut sink)
}

/// Where the rows go: the caller's sink, in chunks.
type Sink<'s> = &'s mut dyn FnMut(LedgerChunk) -> ControlFlow<()>;

fn read_bytes(
    bytes: &[u8],
    kind: FileKind,
    opts: &ReadOptions,
    chunk_rows: usize,
    sink: Sink<'_>,
) -> Result<LedgerInfo, LedgerError> {
    let out = Out {
        opts,
        chunk_rows: chunk_rows.max(1),
        sink,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LedgerError::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return read_xlsx(bytes, out);
    }
    if bytes.starts_with(CFB_MAGIC) {
        return read_xls(bytes, out);
    }
    match kind {
        FileKind::Csv => read_csv(bytes, out),
        FileKind::Xlsx | FileKind::Xls => Err(not_excel()),
    }
}

/// What every sheet's [`Builder`] shares: the options and where valid rows go.
struct Out<'o, 's> {
    opts: &'o ReadOptions,
    chunk_rows: usize,
    sink: Sink<'s>,
}

fn contains_utf16le(hay: &[u8], needle: &str) -> bool {
    let n: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    hay.windows(n.len()).any(|w| w == n.as_slice())
}

/// Sheet names, visible ones first (officials hide scratch sheets).
fn sheet_order(sheets: &[calamine::Sheet]) -> Vec<String> {
    let mut names: Vec<&calamine::Sheet> = sheets.iter().collect();
    names.sort_by_key(|s| s.visible != SheetVisible::Visible);
    names.into_iter().map(|s| s.name.clone()).collect()
}

/// The import's limits, enforced while reading, before anything large is held in memory
/// (README, "Ledger format").
pub mod limits {
    /// The most one part of an xlsx file (a sheet, the shared strings) may inflate to.
    pub const XLSX_PART_BYTES: u64 = 256 * 1024 * 1024;
    /// The most all parts of an xlsx file may inflate to together.
    pub const XLSX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;
    /// The shared strings (every distinct text of the workbook, held in memory while reading).
    pub const XLSX_SHARED_STRINGS_BYTES: u64 = 64 * 1024 * 1024;
    /// The most a CSV file may hold.
    pub const CSV_BYTES: usize = 64 * 1024 * 1024;
    /// The most characters a cell may hold (Excel's own limit).
    pub const CELL_CHARS: usize = 32_767;
    /// The most problems listed; past it they are counted (the rest show once these are fixed).
    pub const PROBLEMS_LISTED: usize = 1_000;
    /// The most characters of a cell a problem repeats.
    pub const VALUE_SHOWN: usize = 100;
    /// The most cells the sheets of an `.xls` file may span in all, counted as whole grids from
    /// each sheet's first to its last cell (calamine reads an `.xls` that way): 65,536 rows of
    /// 32 columns.
    pub const XLS_CELLS: u64 = 2_097_152;
    /// Excel's own number of columns (A to XFD); a cell further right is a forged file.
    pub const COLUMNS: u32 = 16_384;
    /// Excel's own number of rows; a sheet or a CSV file past it is refused.
    pub const ROWS: u32 = 1_048_576;
}

/// Inflates every part of the xlsx archive into nothing, counting, and refuses the file when a
/// part or the whole passes [`limits`] — whatever sizes the archive declares (a bomb lies).
fn check_xlsx_sizes(bytes: &[u8]) -> Result<(), LedgerError> {
    let unreadable = |e: zip::result::ZipError| LedgerError::Unreadable {
        reason: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = match zip.by_index(i) {
            Ok(p) => p,
            // Encrypted or of a kind we cannot inflate: calamine says what it is.
            Err(_) => return Ok(()),
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let cap = if name.ends_with("sharedStrings.xml") {
            limits::XLSX_SHARED_STRINGS_BYTES
        } else {
            limits::XLSX_PART_BYTES
        };
        let read = std::io::copy(
            &mut std::io::Read::take(&mut part, cap + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| LedgerError::Unreadable {
            reason: e.to_string(),
        })?;
        let mib = |b: u64| b / (1024 * 1024);
        if read > cap {
            return Err(LedgerError::TooLarge {
                what_zh: format!("文件中的“{name}”解压后超过 {} MiB", mib(cap)),
                what_en: format!("part '{name}' inflates past {} MiB", mib(cap)),
            });
        }
        total += read;
        if total > limits::XLSX_TOTAL_BYTES {
            return Err(LedgerError::TooLarge {
                what_zh: format!("文件解压后合计超过 {} MiB", mib(limits::XLSX_TOTAL_BYTES)),
                what_en: format!(
                    "the file inflates past {} MiB in all",
                    mib(limits::XLSX_TOTAL_BYTES)
                ),
            });
        }
    }
    Ok(())
}

/// What a sheet's rows go to: (0-based row, its cells) → `false` to stop reading the sheet.
pub(crate) type Rows<'f> = &'f mut dyn FnMut(u32, &[Val<'_>]) -> bool;

fn xlsx_err(e: XlsxError) -> LedgerError {
    match e {
        XlsxError::Password => LedgerError::Encrypted,
        e => LedgerError::Unreadable {
            reason: e.to_string(),
        },
    }
}

fn xls_err(e: XlsError) -> LedgerError {
    match e {
        XlsError::Password => LedgerError::Encrypted,
        e => LedgerError::Unreadable {
            reason: e.to_string(),
        },
    }
}

/// An xlsx workbook, once its parts have inflated (into nothing) within [`limits`].
fn open_xlsx(bytes: &[u8]) -> Result<Xlsx<Cursor<&[u8]>>, LedgerError> {
    check_xlsx_sizes(bytes)?;
    contained(|| Xlsx::new(Cursor::new(bytes)).map_err(xlsx_err))
}

/// An xls workbook, once its sheets' grids are known to fit [`limits::XLS_CELLS`].
fn open_xls(bytes: &[u8]) -> Result<Xls<Cursor<&[u8]>>, LedgerError> {
    // An encrypted .xlsx is an OLE compound file holding "EncryptionInfo" and
    // "EncryptedPackage" streams; directory entry names are UTF-16LE.
    if contains_utf16le(bytes, "EncryptionInfo") || contains_utf16le(bytes, "EncryptedPackage") {
        return Err(LedgerError::Encrypted);
    }
    crate::xls_guard::check_xls(bytes)?;
    contained(|| Xls::new(Cursor::new(bytes)).map_err(xls_err))
}

/// Runs a step of calamine's, turning a panic into "damaged file". calamine 0.38 panics on
/// some malformed files (fuzzing found an `.xls` whose empty MergeCells record it indexes
/// past); a damaged upload must be refused in words, not end the request.
fn contained<T>(step: impl FnOnce() -> Result<T, LedgerError>) -> Result<T, LedgerError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|_| {
        Err(LedgerError::Unreadable {
            reason: "文件结构已损坏 / the file's structure is damaged".into(),
        })
    })
}

/// One xlsx sheet, streamed cell by cell and handed over a row at a time.
fn xlsx_rows(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, feed: Rows<'_>) -> Result<(), LedgerError> {
    let mut cells = contained(|| wb.worksheet_cells_reader(name).map_err(xlsx_err))?;
    let mut row: Vec<Val<'_>> = Vec::new();
    let mut cur: Option<u32> = None;
    while let Some(c) = contained(|| cells.next_cell().map_err(xlsx_err))? {
        let (r, col) = c.get_position();
        if cur != Some(r) {
            if let Some(prev) = cur
                && !feed(prev, &row)
            {
                return Ok(());
            }
            row.clear();
            cur = Some(r);
        }
        if col >= limits::COLUMNS {
            return Err(beyond_excel_columns(col));
        }
        if r >= limits::ROWS {
            return Err(beyond_excel_rows());
        }
        let col = col as usize;
        if col >= row.len() {
            row.resize(col + 1, Val::Empty);
        }
        row[col] = Val::from_data_ref(c.get_value());
    }
    if let Some(prev) = cur {
        feed(prev, &row);
    }
    Ok(())
}

/// One xls sheet (calamine holds it as a grid; [`open_xls`] bounded its size).
fn xls_rows(wb: &mut Xls<Cursor<&[u8]>>, name: &str, feed: Rows<'_>) -> Result<(), LedgerError> {
    let range = contained(|| wb.worksheet_range(name).map_err(xls_err))?;
    if let Some((r0, c0)) = range.start() {
        let mut row: Vec<Val<'_>> = Vec::new();
        for (i, cells) in range.rows().enumerate() {
            row.clear();
            row.resize(c0 as usize, Val::Empty);
            row.extend(cells.iter().map(Val::from_data));
            if !feed(r0 + i as u32, &row) {
                break;
            }
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], mut out: Out<'_, '_>) -> Result<LedgerInfo, LedgerError> {
    let mut wb = open_xlsx(bytes)?;
    let mut outcome = Outcome::default();
    for name in sheet_order(wb.sheets_metadata()) {
        let mut b = Builder::new(&mut out);
        xlsx_rows(&mut wb, &name, &mut |r, cells| b.feed(r, cells))?;
        if let Some(done) = outcome.sheet(name, b) {
            return done;
        }
    }
    outcome.finish()
}

fn read_xls(bytes: &[u8], mut out: Out<'_, '_>) -> Result<LedgerInfo, LedgerError> {
    let mut wb = open_xls(bytes)?;
    let mut outcome = Outcome::default();
    for name in sheet_order(wb.sheets_metadata()) {
        let mut b = Builder::new(&mut out);
        xls_rows(&mut wb, &name, &mut |r, cells| b.feed(r, cells))?;
        if let Some(done) = outcome.sheet(name, b) {
            return done;
        }
    }
    outcome.finish()
}

/// The rows of a workbook's first sheet (visible sheets first) or of a CSV file, with the same
/// limits as a ledger (the fee sheets read this way).
pub(crate) fn first_sheet_rows(
    bytes: &[u8],
    kind: FileKind,
    feed: Rows<'_>,
) -> Result<(), LedgerError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LedgerError::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        let mut wb = open_xlsx(bytes)?;
        let first = sheet_order(wb.sheets_metadata()).into_iter().next();
        let name = first.ok_or(LedgerError::Empty)?;
        return xlsx_rows(&mut wb, &name, feed);
    }
    if bytes.starts_with(CFB_MAGIC) {
        let mut wb = open_xls(bytes)?;
        let first = sheet_order(wb.sheets_metadata()).into_iter().next();
        let name = first.ok_or(LedgerError::Empty)?;
        return xls_rows(&mut wb, &name, feed);
    }
    match kind {
        FileKind::Csv => csv_rows(&csv_text(bytes)?, feed),
        FileKind::Xlsx | FileKind::Xls => Err(not_excel()),
    }
}

/// A cell right of column XFD: no Excel writes one, and its row would be that wide in memory.
fn beyond_excel_columns(col: u32) -> LedgerError {
    let n = u64::from(col) + 1;
    LedgerError::TooLarge {
        what_zh: format!("第 {n} 列超出 Excel 的 {} 列", limits::COLUMNS),
        what_en: format!("column {n} is beyond Excel's {} columns", limits::COLUMNS),
    }
}

/// A row past Excel's last: split the file.
fn beyond_excel_rows() -> LedgerError {
    LedgerError::TooLarge {
        what_zh: format!("超过 Excel 的 {} 行", limits::ROWS),
        what_en: format!("more than Excel's {} rows", limits::ROWS),
    }
}

fn not_excel() -> LedgerError {
    LedgerError::Unreadable {
        reason: "不是有效的 Excel 文件 / not an Excel workbook".into(),
    }
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
/// else GB18030 (Excel's "CSV" on a Chinese Windows saves GBK, a subset).
pub(crate) fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, LedgerError> {
    let undecodable = || {
        LedgerError::Unreadable {
        reason: "无法识别文件编码（应为 UTF-8 或 GB18030）/ unknown text encoding (expected UTF-8 or GB18030)"
            .into(),
    }
    };
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|_| undecodable());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling_and_without_replacement(rest)
            .ok_or_else(undecodable);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling_and_without_replacement(rest)
            .ok_or_else(undecodable);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(undecodable)
}

/// A CSV file's text, within [`limits::CSV_BYTES`], decoded.
fn csv_text(bytes: &[u8]) -> Result<Cow<'_, str>, LedgerError> {
    if bytes.len() > limits::CSV_BYTES {
        let mib = limits::CSV_BYTES / (1024 * 1024);
        return Err(LedgerError::TooLarge {
            what_zh: format!("CSV 文件超过 {mib} MiB"),
            what_en: format!("a CSV file may hold at most {mib} MiB"),
        });
    }
    let text = decode_text(bytes)?;
    if text.trim().is_empty() {
        return Err(LedgerError::Empty);
    }
    Ok(text)
}

/// A CSV file's records as rows. Row numbers as a spreadsheet program shows the CSV: one row a
/// record, blank lines included, line breaks inside quoted cells not.
fn csv_rows(text: &str, feed: Rows<'_>) -> Result<(), LedgerError> {
    // Tab-separated when the first lines hold more tabs than commas.
    let head: String = text.lines().take(10).collect();
    let tabs = head.matches('\t').count();
    let commas = head.matches(',').count();
    let delimiter = if tabs > commas { b'\t' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    // The csv crate skips blank lines and its own line count lags at CRLF, so count from byte
    // offsets.
    let bytes = text.as_bytes();
    let mut scanned = 0usize;
    let mut newlines = 0usize;
    let mut embedded = 0usize;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(LedgerError::Unreadable {
                    reason: e.to_string(),
                });
            }
        }
        let mut start = rec
            .position()
            .map_or(scanned, |p| p.byte() as usize)
            .max(scanned);
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        newlines += bytes[scanned..start]
            .iter()
            .filter(|c| **c == b'\n')
            .count();
        scanned = start;
        let r = u32::try_from(newlines.saturating_sub(embedded)).unwrap_or(u32::MAX);
        embedded += rec.iter().map(|f| f.matches('\n').count()).sum::<usize>();
        if r >= limits::ROWS {
            return Err(beyond_excel_rows());
        }
        let row: Vec<Val<'_>> = rec.iter().map(|s| Val::Text(Cow::Borrowed(s))).collect();
        if !feed(r, &row) {
            break;
        }
    }
    Ok(())
}

fn read_csv(bytes: &[u8], mut out: Out<'_, '_>) -> Result<LedgerInfo, LedgerError> {
    let text = csv_text(bytes)?;
    let mut b = Builder::new(&mut out);
    csv_rows(&text, &mut |r, cells| b.feed(r, cells))?;
    let mut outcome = Outcome::default();
    if let Some(done) = outcome.sheet("CSV".into(), b) {
        return done;
    }
    outcome.finish()
}

/// Picks the first sheet that has a ledger; otherwise explains why none did.
#[derive(Default)]
struct Outcome {
    /// The first sheet that had content but no header: its best header candidate.
    no_header: Option<Vec<String>>,
}

impl Outcome {
    /// `Some` when this sheet decides the result.
    fn sheet(
        &mut self,
        name: String,
        b: Builder<'_, '_, '_>,
    ) -> Option<Result<LedgerInfo, LedgerError>> {
        match b.finish(name) {
            Finished::NoContent => None,
            Finished::NoHeader(found) => {
                self.no_header.get_or_insert(found);
                None
            }
            Finished::Done(r) => Some(r),
        }
    }

    fn finish(self) -> Result<LedgerInfo, LedgerError> {
        match self.no_header {
            None => Err(LedgerError::Empty),
            Some(found) => Err(LedgerError::MissingColumns {
                missing: [Field::Name, Field::Street, Field::Mode]
                    .into_iter()
                    .filter(|f| !found.iter().any(|h| match_header(h) == Some(*f)))
                    .map(|f| f.spec().header.to_string())
                    .collect(),
                found,
            }),
        }
    }
}

enum Finished {
    NoContent,
    NoHeader(Vec<String>),
    Done(Result<LedgerInfo, LedgerError>),
}

/// How many non-empty rows may come before the header (title rows, notes, merged cells).
const HEADER_SEARCH_ROWS: usize = 10;

struct Header {
    /// 1-based.
    row: usize,
    /// Column of each field (first one wins), by `Field::index`.
    pos: [Option<usize>; Field::COUNT],
    /// "建筑面积 (F)" by column index.
    labels: Vec<String>,
    ignored: Vec<String>,
    missing: Vec<String>,
    /// The non-empty headers as written.
    texts: Vec<String>,
}

/// Consumes rows one at a time (so that a 100,000-row sheet is never held as a grid of cells)
/// and collects compounds and problems.
struct Builder<'b, 'o, 's> {
    opts: &'o ReadOptions,
    out: &'b mut Out<'o, 's>,
    header: Option<Header>,
    rows_before_header: usize,
    /// The row that looked most like a header: (matched fields, its headers).
    best_candidate: Option<(usize, Vec<String>)>,
    /// Valid rows not yet handed to the sink (none are kept once a problem is found).
    pending: LedgerChunk,
    /// Valid rows so far.
    total: usize,
    problems: ProblemList,
    seen: HashMap<(String, String), usize>,
    stopped: bool,
    cancelled: bool,
}

fn header_text(v: &Val<'_>) -> String {
    v.text()
        .map(|t| t.split(['\r', '\n']).map(str::trim).collect::<String>())
        .unwrap_or_default()
}

impl<'b, 'o, 's> Builder<'b, 'o, 's> {
    fn new(out: &'b mut Out<'o, 's>) -> Self {
        Builder {
            opts: out.opts,
            out,
            header: None,
            rows_before_header: 0,
            best_candidate: None,
            pending: LedgerChunk::default(),
            total: 0,
            problems: ProblemList::default(),
            seen: HashMap::new(),
            stopped: false,
            cancelled: false,
        }
    }

    /// Hands the pending rows to the sink; stops reading when it says so.
    fn flush(&mut self) {
        if self.pending.rows.is_empty() || self.cancelled {
            return;
        }
        let chunk = std::mem::take(&mut self.pending);
        if (self.out.sink)(chunk).is_break() {
            self.cancelled = true;
            self.stopped = true;
        }
    }

    /// Notes a problem; from now on no rows are handed over.
    fn problem(&mut self, p: Problem) {
        self.pending = LedgerChunk::default();
        self.problems.push(p);
    }

    /// Takes one row (0-based sheet row index). Returns false to stop reading this sheet.
    fn feed(&mut self, r: u32, cells: &[Val<'_>]) -> bool {
        if self.stopped {
            return false;
        }
        let row_no = r as usize + 1;
        match &self.header {
            Some(h) => {
                if h.missing.is_empty() {
                    self.data_row(row_no, cells);
                    true
                } else {
                    self.stopped = true;
                    false
                }
            }
            None => {
                if cells.iter().all(Val::is_empty) {
                    return true;
                }
                self.try_header(row_no, cells);
                if self.header.as_ref().is_some_and(|h| !h.missing.is_empty()) {
                    self.stopped = true;
                    return false;
                }
                self.rows_before_header += 1;
                if self.header.is_none() && self.rows_before_header >= HEADER_SEARCH_ROWS {
                    self.stopped = true;
                    return false;
                }
                true
            }
        }
    }

    fn try_header(&mut self, row_no: usize, cells: &[Val<'_>]) {
        let texts: Vec<String> = cells.iter().map(header_text).collect();
        let fields: Vec<Option<Field>> = texts.iter().map(|t| match_header(t)).collect();
        let has = |f: Field| fields.contains(&Some(f));
        let matched = fields.iter().flatten().count();
        let found: Vec<String> = texts.iter().filter(|t| !t.is_empty()).cloned().collect();
        if self
            .best_candidate
            .as_ref()
            .is_none_or(|(n, _)| matched > *n)
        {
            self.best_candidate = Some((matched, found));
        }
        if !(has(Field::Name) && has(Field::Street)) {
            return;
        }
        let mut pos = [None; Field::COUNT];
        let mut labels = Vec::with_capacity(texts.len());
        let mut ignored = Vec::new();
        for (i, (t, f)) in texts.iter().zip(&fields).enumerate() {
            labels.push(format!("{t} ({})", column_letter(i)));
            match f {
                Some(f) if pos[f.index()].is_none() => pos[f.index()] = Some(i),
                _ if t.is_empty() => {}
                _ => ignored.push(t.clone()),
            }
        }
        let missing = COLUMNS
            .iter()
            .filter(|c| c.required && pos[c.field.index()].is_none())
            .map(|c| c.header.to_string())
            .collect();
        let texts = texts.into_iter().filter(|t| !t.is_empty()).collect();
        self.header = Some(Header {
            row: row_no,
            pos,
            labels,
            ignored,
            missing,
            texts,
        });
    }

    fn finish(mut self, sheet: String) -> Finished {
        if self.cancelled {
            return Finished::Done(Err(LedgerError::Cancelled));
        }
        let Some(h) = self.header.take() else {
            return match self.best_candidate {
                None => Finished::NoContent,
                Some((_, found)) => Finished::NoHeader(found),
            };
        };
        if !h.missing.is_empty() {
            return Finished::Done(Err(LedgerError::MissingColumns {
                missing: h.missing,
                found: h.texts,
            }));
        }
        if !self.problems.is_empty() {
            return Finished::Done(Err(self.problems.into_error()));
        }
        if self.total == 0 {
            return Finished::Done(Err(LedgerError::Empty));
        }
        self.flush();
        if self.cancelled {
            return Finished::Done(Err(LedgerError::Cancelled));
        }
        Finished::Done(Ok(LedgerInfo {
            rows: self.total,
            sheet,
            header_row: h.row,
            ignored_columns: h.ignored,
        }))
    }

    fn data_row(&mut self, row_no: usize, cells: &[Val<'_>]) {
        let Some(h) = &self.header else { return };
        let val = |f: Field| cell_at(cells, h.pos[f.index()]);

        // Fully empty rows (a 序号 alone counts as empty) are skipped.
        let any = COLUMNS
            .iter()
            .filter(|c| c.field != Field::Serial)
            .any(|c| !val(c.field).is_empty());
        if !any {
            return;
        }
        // A 合计 row (totals) is skipped.
        let is_total = |v: &Val<'_>| {
            v.text().is_some_and(|t| {
                matches!(
                    normalize_header(&t).as_str(),
                    "合计" | "总计" | "小计" | "合计数"
                )
            })
        };
        if is_total(val(Field::Name))
            || is_total(val(Field::Serial))
            || cells.iter().find(|v| !v.is_empty()).is_some_and(is_total)
        {
            return;
        }
        // A footnote under the table ("注：…", "填表人：…", "审核人：…") with no street is not a
        // compound.
        let is_note = val(Field::Name).text().is_some_and(|t| {
            ["注：", "注:", "说明", "填表", "制表", "审核", "备注："]
                .iter()
                .any(|p| t.starts_with(p))
        });
        if is_note && val(Field::Street).is_empty() {
            return;
        }

        let mut issues = Issues::default();
        // Every text a column reads: no control characters (a NUL breaks PostgreSQL's text),
        // no longer than an Excel cell holds.
        for col in COLUMNS {
            let Val::Text(t) = val(col.field) else {
                continue;
            };
            if let Err(r) = text_fits(t) {
                issues.add(col.field, val(col.field), r);
            }
        }
        if !issues.0.is_empty() {
            for p in issues.problems(h, row_no) {
                self.problem(p);
            }
            return;
        }
        let c = parse_compound(&val, |f| h.pos[f.index()].is_some(), self.opts, &mut issues);

        let label = |f: Field| h.pos[f.index()].and_then(|i| h.labels.get(i).cloned());
        if !issues.0.is_empty() {
            for p in issues.problems(h, row_no) {
                self.problem(p);
            }
            return;
        }
        let Some(c) = c else { return };

        let key = (c.street.clone(), c.name.clone());
        if let Some(first) = self.seen.get(&key) {
            let p = Problem {
                row: row_no,
                column: label(Field::Name),
                value: c.name,
                reason_zh: format!("与第 {first} 行重复（同一街道下小区名称相同）"),
                reason_en: format!("duplicates row {first} (same street and compound name)"),
            };
            self.problem(p);
            return;
        }
        self.seen.insert(key, row_no);
        self.total += 1;
        if self.problems.is_empty() {
            self.pending.rows.push(c);
            self.pending.source_rows.push(row_no);
            if self.pending.rows.len() >= self.out.chunk_rows {
                self.flush();
            }
        }
    }
}

static EMPTY: Val<'static> = Val::Empty;

/// One compound from the texts of a form, one per column (`text(field)`; blank is empty),
/// checked by the same rules as a row of a ledger file. A problem names its column by the
/// header (小区名称, 建成年份 …) and has row 0.
pub fn compound_from_form(
    text: impl Fn(Field) -> String,
    opts: &ReadOptions,
) -> Result<Compound, Vec<Problem>> {
    let cells: Vec<Val<'static>> = COLUMNS
        .iter()
        .map(|c| {
            let t = text(c.field);
            if t.trim().is_empty() {
                Val::Empty
            } else {
                Val::Text(Cow::Owned(t))
            }
        })
        .collect();
    let val = |f: Field| {
        COLUMNS
            .iter()
            .position(|c| c.field == f)
            .and_then(|i| cells.get(i))
            .unwrap_or(&EMPTY)
    };
    let mut issues = Issues::default();
    for col in COLUMNS {
        if let Val::Text(t) = val(col.field)
            && let Err(r) = text_fits(t)
        {
            issues.add(col.field, val(col.field), r);
        }
    }
    let compound = if issues.0.is_empty() {
        parse_compound(&val, |_| true, opts, &mut issues)
    } else {
        None
    };
    let problems: Vec<Problem> = issues
        .0
        .into_iter()
        .map(|(f, value, r)| Problem {
            row: 0,
            column: Some(f.spec().header.to_string()),
            value,
            reason_zh: r.zh,
            reason_en: r.en,
        })
        .collect();
    match compound {
        Some(c) if problems.is_empty() => Ok(c),
        _ if !problems.is_empty() => Err(problems),
        _ => Err(vec![Problem {
            row: 0,
            column: Some(Field::Name.spec().header.to_string()),
            value: String::new(),
            reason_zh: "小区名称、所属街道、物业管理方式须填写".into(),
            reason_en: "the name, street and management mode are required".into(),
        }]),
    }
}

fn cell_at<'c, 'v>(cells: &'c [Val<'v>], pos: Option<usize>) -> &'c Val<'v> {
    pos.and_then(|i| cells.get(i)).unwrap_or(&EMPTY)
}

/// The problems of one row: (column, value as read, reason).
#[derive(Default)]
struct Issues(Vec<(Field, String, Reason)>);

impl Issues {
    /// The problems of row `row_no`, each naming its column as the file's header says it.
    fn problems(self, h: &Header, row_no: usize) -> Vec<Problem> {
        self.0
            .into_iter()
            .map(|(f, value, r)| Problem {
                row: row_no,
                column: h.pos[f.index()].and_then(|i| h.labels.get(i).cloned()),
                value,
                reason_zh: r.zh,
                reason_en: r.en,
            })
            .collect()
    }

    /// Notes a problem, repeating at most [`limits::VALUE_SHOWN`] characters of the cell, with
    /// control characters shown as �.
    fn add(&mut self, f: Field, v: &Val<'_>, r: Reason) {
        self.0.push((f, shown(&v.shown()), r));
    }
    /// The value, or `fallback` after noting the problem.
    fn take<T>(&mut self, f: Field, v: &Val<'_>, r: Result<T, Reason>, fallback: T) -> T {
        r.unwrap_or_else(|reason| {
            self.add(f, v, reason);
            fallback
        })
    }
}

/// Text a column may store: no control character (a NUL breaks PostgreSQL's text) and no
/// longer than an Excel cell holds ([`limits::CELL_CHARS`]).
pub(crate) fn text_fits(t: &str) -> Result<(), Reason> {
    if let Some(ch) = t
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let u = ch as u32;
        return Err(Reason::new(
            format!("含有不可见的控制字符（U+{u:04X}），请删除后重试"),
            format!("contains an invisible control character (U+{u:04X}): delete it"),
        ));
    }
    if t.chars().nth(limits::CELL_CHARS).is_some() {
        return Err(Reason::new(
            format!("超过 {} 个字符（Excel 单元格的上限）", limits::CELL_CHARS),
            format!(
                "longer than {} characters (an Excel cell's limit)",
                limits::CELL_CHARS
            ),
        ));
    }
    Ok(())
}

/// A cell as a problem repeats it: at most [`limits::VALUE_SHOWN`] characters, control
/// characters shown as �.
pub(crate) fn shown(cell: &str) -> String {
    let mut s: String = cell
        .chars()
        .take(limits::VALUE_SHOWN)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if cell.chars().nth(limits::VALUE_SHOWN).is_some() {
        s.push('…');
    }
    s
}

/// One row → a compound, noting every problem. `None` when a required value is missing.
fn parse_compound<'c, 'v: 'c>(
    val: &impl Fn(Field) -> &'c Val<'v>,
    has_column: impl Fn(Field) -> bool,
    opts: &ReadOptions,
    issues: &mut Issues,
) -> Option<Compound> {
    let text = |f: Field| val(f).text().map(Cow::into_owned);

    let name = text(Field::Name);
    if name.is_none() {
        issues.add(
            Field::Name,
            &EMPTY,
            Reason::new("小区名称不能为空", "the compound name is missing"),
        );
    }
    let street = text(Field::Street);
    if street.is_none() {
        issues.add(
            Field::Street,
            &EMPTY,
            Reason::new("所属街道不能为空", "the street is missing"),
        );
    }

    let v = val(Field::BuiltYear);
    let built_year = issues.take(Field::BuiltYear, v, cell::year(v, opts.current_year), None);

    let mut area_of = |f: Field| {
        let v = val(f);
        issues.take(f, v, cell::area(v), None)
    };
    let area = area_of(Field::Area);
    let area_multi = area_of(Field::AreaMulti);
    let area_high = area_of(Field::AreaHigh);
    if let Some(total) = area
        && (area_multi.is_some() || area_high.is_some())
    {
        let sum = area_multi.unwrap_or_default() + area_high.unwrap_or_default();
        if sum > total {
            let f = if area_multi.is_some() {
                Field::AreaMulti
            } else {
                Field::AreaHigh
            };
            issues.add(
                f,
                val(f),
                Reason::new(
                    format!(
                        "多层面积与高层面积之和（{}）超过建筑面积（{}）",
                        sum.grouped(),
                        total.grouped()
                    ),
                    format!(
                        "multi-storey plus high-rise area ({}) exceeds the total floor area ({})",
                        sum.grouped(),
                        total.grouped()
                    ),
                ),
            );
        }
    }

    let mut count_of = |f: Field| {
        let v = val(f);
        issues.take(f, v, cell::count(v), None)
    };
    let buildings = count_of(Field::Buildings);
    let households = count_of(Field::Households);
    let mut infra = Infrastructure::default();
    let mut needs = Infrastructure::default();
    for k in InfraKind::ALL {
        infra.set(k, count_of(Field::Infra(k)).unwrap_or(0));
        needs.set(k, count_of(Field::Need(k)).unwrap_or(0));
    }

    let v = val(Field::Category);
    let category = match v {
        Val::Int(n) => Category::from_number(*n),
        Val::Float(f) if f.fract() == 0.0 => Category::from_number(*f as i64),
        v => v.text().and_then(|t| Category::parse_zh(&t)),
    };
    if category.is_none() && !v.is_empty() {
        issues.add(
            Field::Category,
            v,
            Reason::new("类别应为 1、2 或 3", "the category must be 1, 2 or 3"),
        );
    }

    let mut flag = |f: Field| {
        let v = val(f);
        issues.take(f, v, cell::yes_no(v), false)
    };
    let renovation = flag(Field::Renovation);
    let party_branch = flag(Field::PartyBranch);

    let v = val(Field::Mode);
    let mode = v.text().and_then(|t| ManagementMode::parse_zh(&t));
    if mode.is_none() {
        let zh: Vec<&str> = ManagementMode::ALL.iter().map(|m| m.zh()).collect();
        let en: Vec<String> = ManagementMode::ALL
            .iter()
            .map(|m| format!("{} ({})", m.zh(), m.en()))
            .collect();
        let r = if v.is_empty() {
            Reason::new(
                format!("物业管理方式不能为空，可填：{}", zh.join("、")),
                format!(
                    "the management mode is missing; write one of: {}",
                    en.join(", ")
                ),
            )
        } else {
            Reason::new(
                format!("无法识别的物业管理方式，可填：{}", zh.join("、")),
                format!("unknown management mode; write one of: {}", en.join(", ")),
            )
        };
        issues.add(Field::Mode, v, r);
    }

    let company = text(Field::Company);
    if let Some(m) = mode
        && matches!(
            m,
            ManagementMode::Professional | ManagementMode::StateTakeover
        )
        && company.is_none()
    {
        let f = if has_column(Field::Company) {
            Field::Company
        } else {
            Field::Mode
        };
        issues.add(
            f,
            val(f),
            Reason::new(
                format!("物业管理方式为“{}”，须填写物业企业", m.zh()),
                format!(
                    "the mode is “{}” ({}), so the property company must be given",
                    m.zh(),
                    m.en()
                ),
            ),
        );
    }

    let v = val(Field::CreditCode);
    let company_code = v.text().and_then(|t| match CreditCode::parse(&t) {
        Ok(c) => Some(c),
        Err(e) => {
            issues.add(
                Field::CreditCode,
                v,
                Reason::new(e.to_string(), e.english()),
            );
            None
        }
    });

    let v = val(Field::OwnersBody);
    let owners_body = match v {
        Val::Bool(true) => OwnersBody::OwnersCommittee,
        Val::Bool(false) => OwnersBody::None,
        v => OwnersBody::parse_zh(&v.text().unwrap_or_default()).unwrap_or_else(|| {
            issues.add(
                Field::OwnersBody,
                v,
                Reason::new(
                    "无法识别的业主组织，可填：业主委员会、物业管理委员会、环境和物业管理委员会、有、无",
                    "unknown owners' body; write 业主委员会 (owners' committee), 物业管理委员会 \
                     (management committee), 环境和物业管理委员会 (environment committee), 有 (yes) \
                     or 无 (none)",
                ),
            );
            OwnersBody::None
        }),
    };

    let coords = coordinates(val, &has_column, issues);

    Some(Compound {
        name: name?,
        district: text(Field::District),
        street: street?,
        community: text(Field::Community),
        address: text(Field::Address),
        built_year,
        area,
        area_multi,
        area_high,
        buildings,
        households,
        category,
        renovation,
        mode: mode?,
        company,
        company_code,
        owners_body,
        party_branch,
        infra,
        needs,
        management_area: text(Field::ManagementArea),
        coords,
        remarks: text(Field::Remarks),
    })
}

/// 经度 + 纬度, or 坐标 "lng,lat". Must lie within China's extent, so that swapped columns show.
fn coordinates<'c, 'v: 'c>(
    val: &impl Fn(Field) -> &'c Val<'v>,
    has_column: &impl Fn(Field) -> bool,
    issues: &mut Issues,
) -> Option<Coordinates> {
    let lng_v = val(Field::Longitude);
    let lat_v = val(Field::Latitude);
    let lng = issues.take(Field::Longitude, lng_v, cell::degrees(lng_v), None);
    let lat = issues.take(Field::Latitude, lat_v, cell::degrees(lat_v), None);
    let (lng, lat) = match (lng, lat) {
        (Some(a), Some(b)) => (a, b),
        (Some(_), None) if lat_v.is_empty() => {
            issues.add(
                Field::Latitude,
                lat_v,
                Reason::new(
                    "填了经度但没有填纬度",
                    "a longitude is given but no latitude",
                ),
            );
            return None;
        }
        (None, Some(_)) if lng_v.is_empty() => {
            issues.add(
                Field::Longitude,
                lng_v,
                Reason::new(
                    "填了纬度但没有填经度",
                    "a latitude is given but no longitude",
                ),
            );
            return None;
        }
        (None, None) if lng_v.is_empty() && lat_v.is_empty() => {
            let v = val(Field::Coordinates);
            let t = v.text()?;
            let parts: Vec<f64> = t
                .split([',', '，', ' ', ';', '；', '、'])
                .filter(|s| !s.trim().is_empty())
                .map(|s| {
                    s.trim()
                        .trim_end_matches('°')
                        .parse::<f64>()
                        .unwrap_or(f64::NAN)
                })
                .collect();
            match parts[..] {
                [a, b] if a.is_finite() && b.is_finite() => (a, b),
                _ => {
                    issues.add(
                        Field::Coordinates,
                        v,
                        Reason::new(
                            "坐标应填“经度,纬度”，如 122.57,42.82",
                            "coordinates must be “longitude,latitude”, e.g. 122.57,42.82",
                        ),
                    );
                    return None;
                }
            }
        }
        _ => return None,
    };
    let out_of_range = |zh: &str, en: &str| {
        Reason::new(
            format!("{zh}不在中国境内（经度 73—136，纬度 3—54），是否填反了经纬度？"),
            format!(
                "the {en} is outside China (longitude 73–136, latitude 3–54); are longitude and \
                 latitude swapped?"
            ),
        )
    };
    let pick = |f: Field| if has_column(f) { f } else { Field::Coordinates };
    let mut ok = true;
    if !(73.0..=136.0).contains(&lng) {
        let f = pick(Field::Longitude);
        issues.add(f, val(f), out_of_range("经度", "longitude"));
        ok = false;
    }
    if !(3.0..=54.0).contains(&lat) {
        let f = pick(Field::Latitude);
        issues.add(f, val(f), out_of_range("纬度", "latitude"));
        ok = false;
    }
    if !ok {
        return None;
    }
    Coordinates::from_degrees(lat, lng)
}
