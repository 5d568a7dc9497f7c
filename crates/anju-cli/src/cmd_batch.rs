//! `anju subsidy batch` and `anju bench batch`: a budget office's table of compounds (.csv,
//! .xlsx) → one row per compound with every period's amounts. This module only reads and
//! writes files; the columns, the rows and the calculator are `anju_policy::batch`.
//!
//! CSV is read a block of whole records at a time; the blocks are parsed, computed and
//! formatted on every core while the next are read and the finished ones written, in order
//! (a few blocks in memory, not the file). A file that path does not take (GBK, say) is read
//! whole and cut into pieces at record boundaries, computed the same way. A workbook is read
//! with calamine (its first sheet) and computed the same way.

use anju_core::{Fen, Lang};
use anju_policy::batch::{BatchRow, Layout, OutCell, explanation, write_synthetic_csv};
use anju_policy::{PeriodResult, Policy, PolicyError};
use anju_sheets::{ReportCell, ReportSheet};
use anyhow::Context;
use clap::{Args, Subcommand};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum SubsidyCmd {
    /// 批量试算：预算表（.csv/.xlsx，每行一个小区）→ 每行的资格、各期支付与预留、合计、不能计算的原因
    /// / the batch calculator: a table of compounds in, one row of amounts per compound out
    #[command(long_about = "批量试算 / the batch calculator.\n\n\
输入：.csv（UTF-8 或 GBK）或 .xlsx/.xls（第一张工作表），首行为列名，每行一个小区。\n\
列：name/小区名称、id/编号（标识该行），情景文件的键（area_m2/面积、signed/签约日期、entry/进场日期、\
term_years/合同年限、fee_per_m2_month/物业费标准、status/小区状态、households/户数、built_year/建成年份 …），\
每期结果 score_N/第N期评分、grade_N/第N期等次、collection_rate_N/第N期收缴率、satisfaction_N、\
evaluation_passed_N、third_party_passed_N、fees_total_N。不认识的列是错误，不会被忽略。空格 = 未给出，不按 0 计算。\n\
输出（.csv 或 .xlsx）：每个输入行一行、顺序不变：行号、编号/名称、符合条件、各期支付与预留、合计支付、合计预留、预留释放、原因；\
不能计算的行金额留空并写明原因（第几行、哪一列），不会被略去；.xlsx 另有“计算说明”列。\n\
退出码：只有输入文件本身读不了（或输出写不了）时非 0；个别行不能计算时仍为 0。\n\n\
Input: .csv (UTF-8 or GBK) or .xlsx/.xls (first sheet), a header row, one compound per row: \
name/id, the scenario keys, each period's results as score_N, grade_N, collection_rate_N … \
(Chinese headers accepted). An unknown column is an error; an empty cell is 'not given', never 0. \
Output (.csv or .xlsx): one row per input row, same order, with the reason (row and column) where \
a row cannot be computed; .xlsx adds the explanation lines. Exit code: non-zero only when the \
input file itself cannot be read (or the output cannot be written), not for bad rows.")]
    Batch(BatchArgs),
}

#[derive(Args)]
pub struct BatchArgs {
    /// 政策编号或政策文件路径 / a policy id or a policy file
    #[arg(long)]
    pub policy: String,
    /// 输入表（.csv / .xlsx / .xls）/ the input table
    #[arg(long)]
    pub input: PathBuf,
    /// 输出表（.csv / .xlsx）/ the output table
    #[arg(long)]
    pub out: PathBuf,
    /// 线程数（默认：CPU 核数）/ threads (default: the number of CPUs)
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Args)]
pub struct BenchBatchArgs {
    /// 行数 / rows
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: usize,
    /// 政策 / the policy
    #[arg(long, default_value = "liaocheng-2021")]
    pub policy: String,
    /// 线程数（默认：CPU 核数）/ threads (default: the number of CPUs)
    #[arg(long)]
    pub threads: Option<usize>,
    /// 保留生成的输入与输出文件的目录（默认：临时目录，用后删除）/ keep the files in this directory
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

fn policy_err(e: PolicyError, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!(e.message(lang))
}

fn threads_or_cpus(t: Option<usize>) -> usize {
    t.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
    .max(1)
}

/// What a run found.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Rows with something in them (one output row each).
    pub rows: usize,
    pub eligible: usize,
    pub not_eligible: usize,
    /// Rows that cannot be computed.
    pub errors: usize,
    /// Blank rows (every cell empty): not compounds, no output row.
    pub blank: usize,
    pub total_payable: Fen,
    /// The first few reasons, in row order.
    pub first_reasons: Vec<String>,
}

impl Stats {
    fn merge(&mut self, o: Stats) {
        self.rows += o.rows;
        self.eligible += o.eligible;
        self.not_eligible += o.not_eligible;
        self.errors += o.errors;
        self.blank += o.blank;
        self.total_payable += o.total_payable;
        for r in o.first_reasons {
            if self.first_reasons.len() < FIRST_REASONS {
                self.first_reasons.push(r);
            }
        }
    }
}

const FIRST_REASONS: usize = 5;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Csv,
    Sheet,
}

fn kind_of(p: &Path, output: bool, lang: Lang) -> anyhow::Result<Kind> {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match (ext.as_str(), output) {
        ("csv", _) => Ok(Kind::Csv),
        ("xlsx", _) => Ok(Kind::Sheet),
        ("xls" | "xlsm", false) => Ok(Kind::Sheet),
        _ => Err(anyhow::anyhow!(
            "{}: {}",
            p.display(),
            if output {
                lang.pick(
                    "输出文件须为 .csv 或 .xlsx",
                    "the output must be a .csv or .xlsx file",
                )
            } else {
                lang.pick(
                    "输入文件须为 .csv、.xlsx 或 .xls",
                    "the input must be a .csv, .xlsx or .xls file",
                )
            }
        )),
    }
}

/// One piece of output, in row order.
#[derive(Default)]
struct Piece {
    csv: Vec<u8>,
    sheet: Vec<Vec<ReportCell>>,
    stats: Stats,
}

struct Ctx<'p> {
    policy: &'p Policy,
    layout: &'p Layout,
    lang: Lang,
    sheet: bool,
}

impl Piece {
    /// Computes one row and appends its output.
    fn push<S: AsRef<str>>(
        &mut self,
        ctx: &Ctx<'_>,
        scratch: &mut Vec<PeriodResult>,
        row: usize,
        cells: &[S],
    ) {
        if Layout::is_blank(cells) {
            self.stats.blank += 1;
            return;
        }
        let r = ctx
            .layout
            .compute(ctx.policy, row, cells, scratch, ctx.lang);
        self.stats.rows += 1;
        match &r.result {
            Ok(o) if o.eligible => {
                self.stats.eligible += 1;
                self.stats.total_payable += o.total_payable;
            }
            Ok(_) => self.stats.not_eligible += 1,
            Err(reason) => {
                self.stats.errors += 1;
                if self.stats.first_reasons.len() < FIRST_REASONS {
                    self.stats.first_reasons.push(reason.clone());
                }
            }
        }
        if ctx.sheet {
            self.sheet.push(sheet_row(ctx, &r));
        } else {
            ctx.layout
                .write_csv_row(ctx.policy, &r, ctx.lang, &mut self.csv);
        }
    }
}

fn sheet_row(ctx: &Ctx<'_>, r: &BatchRow<'_>) -> Vec<ReportCell> {
    let mut cells: Vec<ReportCell> = ctx
        .layout
        .output_cells(ctx.policy, r, ctx.lang)
        .into_iter()
        .map(|c| match c {
            OutCell::Empty => ReportCell::Empty,
            OutCell::Text(t) if t.is_empty() => ReportCell::Empty,
            OutCell::Text(t) => ReportCell::Text(t.into_owned()),
            OutCell::Int(n) => ReportCell::Int(i64::try_from(n).unwrap_or(i64::MAX)),
            OutCell::Money(f) => ReportCell::Money(f),
        })
        .collect();
    cells.push(ReportCell::Text(
        explanation(ctx.policy, r, ctx.lang).join("\n"),
    ));
    cells
}

// ---------------------------------------------------------------------------------------
// CSV: records and where they end.

/// Parses one record of `buf` starting at `pos` into `cells`; returns where the next record
/// starts. RFC 4180 with the usual leniencies: a record ends at `\n` outside quotes (a `\r`
/// before it is dropped); a quote opens a quoted field only at the start of a field; `""` in
/// a quoted field is one quote; text after a closing quote is kept. [`record_end`] follows
/// the same rules.
fn parse_record<'a>(buf: &'a str, mut pos: usize, cells: &mut Vec<Cow<'a, str>>) -> usize {
    let b = buf.as_bytes();
    let len = b.len();
    loop {
        let field: Cow<'a, str>;
        if pos < len && b[pos] == b'"' {
            pos += 1;
            let mut owned = String::new();
            let mut start = pos;
            loop {
                match b[pos..].iter().position(|&c| c == b'"') {
                    None => {
                        owned.push_str(&buf[start..]);
                        pos = len;
                        break;
                    }
                    Some(q) => {
                        let q = pos + q;
                        if q + 1 < len && b[q + 1] == b'"' {
                            owned.push_str(&buf[start..=q]);
                            pos = q + 2;
                            start = pos;
                        } else {
                            owned.push_str(&buf[start..q]);
                            pos = q + 1;
                            break;
                        }
                    }
                }
            }
            let end = b[pos..]
                .iter()
                .position(|&c| c == b',' || c == b'\n')
                .map_or(len, |e| pos + e);
            owned.push_str(&buf[pos..end]);
            pos = end;
            if pos < len && b[pos] == b'\n' && owned.ends_with('\r') {
                owned.pop();
            }
            field = Cow::Owned(owned);
        } else {
            let end = field_end(b, pos);
            let mut f = &buf[pos..end];
            if end < len && b[end] == b'\n' {
                f = f.strip_suffix('\r').unwrap_or(f);
            }
            pos = end;
            field = Cow::Borrowed(f);
        }
        cells.push(field);
        if pos >= len {
            return len;
        }
        if b[pos] == b'\n' {
            return pos + 1;
        }
        pos += 1; // ','
    }
}

/// The first `,` or `\n` in `b` from `from` on, or the end: eight bytes at a time (a bit
/// trick finds a byte equal to either in a word; the lowest one it marks is the first).
fn field_end(b: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const COMMAS: u64 = u64::from_ne_bytes([b','; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    let mut i = from;
    while let Some(word) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        let hit = zero_byte(w ^ COMMAS) | zero_byte(w ^ NEWLINES);
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] != b',' && b[i] != b'\n' {
        i += 1;
    }
    i
}

/// Where the record starting at `pos` ends (the index after its `\n`, or the end), by the
/// same rules as [`parse_record`] without building the fields.
fn record_end(b: &[u8], pos: usize) -> usize {
    ended_record(b, pos).unwrap_or(b.len())
}

/// The index after the `\n` that ends the record starting at `pos`; `None` when `b` ends
/// first (a `\n` inside quotes ends nothing).
fn ended_record(b: &[u8], mut pos: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteSeen,
    }
    let mut s = S::FieldStart;
    while pos < b.len() {
        let c = b[pos];
        pos += 1;
        s = match (s, c) {
            (S::Quoted, b'"') => S::QuoteSeen,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteSeen, b'"') => S::Quoted,
            (S::FieldStart, b'"') => S::Quoted,
            (_, b'\n') => return Some(pos),
            (_, b',') => S::FieldStart,
            _ => S::Unquoted,
        };
    }
    None
}

/// Cuts `text[start..]` into about `pieces` pieces at record boundaries: (from, to, records
/// before `from`, counted from `start`).
fn cut(text: &str, start: usize, target: usize) -> Vec<(usize, usize, usize)> {
    let b = text.as_bytes();
    let len = b.len();
    let quotes = b[start..].contains(&b'"');
    let mut out = Vec::new();
    let mut pos = start;
    let mut before = 0usize;
    while pos < len {
        let want = (pos + target).min(len);
        let (end, records) = if quotes {
            let mut e = pos;
            let mut n = 0;
            while e < len && e < want {
                e = record_end(b, e);
                n += 1;
            }
            (e, n)
        } else {
            let e = if want >= len {
                len
            } else {
                b[want..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(len, |i| want + i + 1)
            };
            let newlines = b[pos..e].iter().filter(|&&c| c == b'\n').count();
            let n = if e == len && b[e - 1] != b'\n' {
                newlines + 1
            } else {
                newlines
            };
            (e, n)
        };
        out.push((pos, end, before));
        before += records;
        pos = end;
    }
    out
}

/// The file's text: UTF-8 (a byte-order mark dropped) or, failing that, GBK/GB18030 (what a
/// Chinese Excel writes as "CSV").
fn csv_text(bytes: Vec<u8>, path: &Path, lang: Lang) -> anyhow::Result<String> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let bytes = e.into_bytes();
            encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .map(Cow::into_owned)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "{}: {}",
                        path.display(),
                        lang.pick(
                            "文件既不是 UTF-8 也不是 GBK 编码的文本",
                            "the file is neither UTF-8 nor GBK text"
                        )
                    )
                })
        }
    }
}

/// A leading row with at most one value is a title (or blank), not the header.
fn is_title<S: AsRef<str>>(cells: &[S]) -> bool {
    cells
        .iter()
        .filter(|c| !c.as_ref().trim().is_empty())
        .count()
        <= 1
}

/// A worker's piece; a worker that panicked (a bug) fails the run rather than lose its rows.
fn joined(h: std::thread::ScopedJoinHandle<'_, Piece>) -> anyhow::Result<Piece> {
    h.join()
        .map_err(|_| anyhow::anyhow!("internal error: a worker thread panicked"))
}

/// The bytes one worker is given at a time.
const PIECE_BYTES: usize = 1 << 20;

/// The header row: the first record with two or more values. Returns its cells, where the
/// records after it start, and its 1-based row number; `None` when no record has two values.
fn header_of(text: &str) -> Option<(Vec<Cow<'_, str>>, usize, usize)> {
    let mut pos = 0;
    let mut row = 0;
    let mut header: Vec<Cow<'_, str>> = Vec::new();
    while pos < text.len() {
        header.clear();
        pos = parse_record(text, pos, &mut header);
        row += 1;
        if !is_title(&header) {
            return Some((header, pos, row));
        }
    }
    None
}

fn no_header(lang: Lang) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        lang.pick(
            "输入表没有列名行（首行须为列名）",
            "the input has no header row (the first row must name the columns)"
        )
    )
}

fn layout_of<S: AsRef<str>>(
    header: &[S],
    row: usize,
    policy: &Policy,
    lang: Lang,
) -> anyhow::Result<Layout> {
    Layout::from_headers(header, row, policy).map_err(|e| {
        anyhow::anyhow!(
            "{}\n{}",
            lang.pick("输入表的列名有误：", "the input's headers are wrong:"),
            e.message(lang)
        )
    })
}

/// Computes the records of `text[from..]`, the first of them row `first_row`, into a piece
/// whose CSV output goes into `buf` (emptied, reused).
fn compute_piece(ctx: &Ctx<'_>, text: &str, from: usize, first_row: usize, buf: Vec<u8>) -> Piece {
    let slice = &text[from..];
    let mut piece = Piece {
        csv: buf,
        ..Piece::default()
    };
    if !ctx.sheet {
        piece.csv.reserve(slice.len() + slice.len() / 2);
    }
    let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(32);
    let mut scratch = Vec::with_capacity(8);
    let mut p = 0;
    let mut row = first_row;
    while p < slice.len() {
        cells.clear();
        p = parse_record(slice, p, &mut cells);
        piece.push(ctx, &mut scratch, row, &cells);
        row += 1;
    }
    piece
}

/// The whole-file path: `text` is the file's text, cut into pieces computed in waves.
fn run_csv(
    text: &str,
    policy: &Policy,
    threads: usize,
    sheet: bool,
    lang: Lang,
    sink: &mut Sink,
) -> anyhow::Result<Layout> {
    let Some((header, pos, row)) = header_of(text) else {
        return Err(no_header(lang));
    };
    let layout = layout_of(&header, row, policy, lang)?;
    sink.header(&layout)?;
    let first_data_row = row + 1;
    let ctx = Ctx {
        policy,
        layout: &layout,
        lang,
        sheet,
    };
    let pieces = cut(text, pos, PIECE_BYTES);
    // Each wave of pieces is computed while the previous wave is written.
    // Output buffers are reused from wave to wave (fresh ones would be page-faulted in anew).
    let mut done: Vec<Piece> = Vec::new();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    for wave in pieces.chunks(threads) {
        let bufs: Vec<Vec<u8>> = wave
            .iter()
            .map(|_| spare.pop().unwrap_or_default())
            .collect();
        done = std::thread::scope(|s| -> anyhow::Result<Vec<Piece>> {
            let handles: Vec<_> = wave
                .iter()
                .zip(bufs)
                .map(|(&(from, to, before), buf)| {
                    let ctx = &ctx;
                    s.spawn(move || {
                        compute_piece(ctx, &text[..to], from, first_data_row + before, buf)
                    })
                })
                .collect();
            for p in std::mem::take(&mut done) {
                spare.push(sink.piece(p)?);
            }
            handles.into_iter().map(joined).collect()
        })?;
    }
    for p in done {
        sink.piece(p)?;
    }
    Ok(layout)
}

// ---------------------------------------------------------------------------------------
// CSV streamed: the file read a block at a time while the blocks before are computed and
// written. Only for what the whole-file path would do without a complaint; anything else
// (not a regular file, not UTF-8, no header row, wrong headers, any error) is left to that
// path from the start, which then gives the same output or the same error.

/// A block of the input for a worker: whole records, the first of them row `first_row`,
/// from byte `from`; `buf` is for its output.
struct Job {
    index: usize,
    text: String,
    from: usize,
    first_row: usize,
    buf: Vec<u8>,
}

/// A worker's answer: the piece (or the panic it caught) and the block's text, for reuse.
struct Done {
    index: usize,
    piece: Option<Piece>,
    text: String,
}

/// Reads the input in blocks of whole records (at least `size` bytes unless the file ends).
struct Blocks {
    file: std::fs::File,
    /// Bytes read after the last whole record.
    carry: Vec<u8>,
    eof: bool,
    size: usize,
}

impl Blocks {
    /// The next block (its bytes and how many records it holds), into `buf`; `None` at the
    /// end of the file.
    fn next(&mut self, mut buf: Vec<u8>) -> std::io::Result<Option<(Vec<u8>, usize)>> {
        use std::io::Read;
        buf.clear();
        buf.append(&mut self.carry);
        let mut size = self.size.max(1);
        loop {
            if !self.eof && buf.len() < size {
                let want = size - buf.len();
                buf.reserve(want);
                let n = (&mut self.file).take(want as u64).read_to_end(&mut buf)?;
                self.eof = n < want;
            }
            if buf.is_empty() {
                return Ok(None);
            }
            if let Some((end, records)) = whole_records(&buf, self.eof) {
                self.carry.extend_from_slice(&buf[end..]);
                buf.truncate(end);
                return Ok(Some((buf, records)));
            }
            // No record ends in the block: read on.
            size *= 2;
        }
    }
}

/// Where the last whole record of `b` (which starts at a record) ends, and how many records
/// end there, by the rules of [`record_end`]; all of `b` at the end of the file. `None`
/// when no record ends in `b`.
fn whole_records(b: &[u8], eof: bool) -> Option<(usize, usize)> {
    if b.contains(&b'"') {
        let mut e = 0;
        let mut n = 0;
        while e < b.len() {
            match ended_record(b, e) {
                Some(next) => e = next,
                // The last record, cut off by the end of the block, or of the file.
                None if eof => e = b.len(),
                None => break,
            }
            n += 1;
        }
        return (n > 0).then_some((e, n));
    }
    let newlines = count_newlines(b);
    if eof {
        let last = usize::from(b.last() != Some(&b'\n'));
        return Some((b.len(), newlines + last));
    }
    let end = b.iter().rposition(|&c| c == b'\n')? + 1;
    Some((end, newlines))
}

/// How many `\n` bytes `b` holds; counted in runs of 255 in `u8`s, which the compiler turns
/// into wide vector operations (a count in `usize`s it does not).
fn count_newlines(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|c| {
            c.iter()
                .fold(0u8, |n, &x| n.wrapping_add(u8::from(x == b'\n')))
        })
        .map(usize::from)
        .sum()
}

/// The streamed CSV → output run; `None` when it leaves the file to [`run_csv`] (having
/// removed what it wrote).
fn convert_streamed(
    policy: &Policy,
    input: &Path,
    out: &Path,
    out_kind: Kind,
    threads: usize,
    lang: Lang,
    block: usize,
) -> Option<Stats> {
    // A regular file only: what is read of a pipe cannot be read again by the other path.
    let file = std::fs::File::open(input).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut blocks = Blocks {
        file,
        carry: Vec::new(),
        eof: false,
        size: block,
    };
    // The first block, made longer until it holds the header row.
    let (mut first, mut first_records) = blocks.next(Vec::new()).ok()??;
    let text = loop {
        let text = String::from_utf8(first).ok()?;
        if header_of(text.strip_prefix('\u{feff}').unwrap_or(&text)).is_some() {
            break text;
        }
        let (more, records) = blocks.next(Vec::new()).ok()??;
        first = text.into_bytes();
        first.extend_from_slice(&more);
        first_records += records;
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let bom = text.len() - body.len();
    let (header, pos, row) = header_of(body)?;
    let layout = Layout::from_headers(&header, row, policy).ok()?;
    drop(header);
    let mut sink = Sink::new(out, out_kind, lang).ok()?;
    let ran = sink.header(&layout).and_then(|()| {
        let ctx = Ctx {
            policy,
            layout: &layout,
            lang,
            sheet: out_kind == Kind::Sheet,
        };
        let first = Job {
            index: 0,
            from: bom + pos,
            first_row: row + 1,
            text,
            buf: Vec::new(),
        };
        stream(&ctx, &mut blocks, first, first_records, threads, &mut sink)
    });
    match ran {
        Ok(true) => sink.finish(policy, &layout).ok(),
        _ => {
            sink.abandon();
            None
        }
    }
}

/// Runs the workers over the blocks and writes their pieces in order. `Ok(false)` when a
/// block is not UTF-8 or cannot be read.
fn stream(
    ctx: &Ctx<'_>,
    blocks: &mut Blocks,
    first: Job,
    first_records: usize,
    threads: usize,
    sink: &mut Sink,
) -> anyhow::Result<bool> {
    use std::sync::{Mutex, mpsc};
    // Blocks read ahead of the one written next, at most: bounds the memory held.
    let ahead = 2 * threads + 2;
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            s.spawn(move || {
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(j) = job else { return };
                    let piece = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        compute_piece(ctx, &j.text, j.from, j.first_row, j.buf)
                    }))
                    .ok();
                    let done = Done {
                        index: j.index,
                        piece,
                        text: j.text,
                    };
                    if done_tx.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Dropped when this returns, so that the workers stop.
        let job_tx = job_tx;
        // Rows are numbered from 1 by record, the header and titles included.
        let mut next_row = first_records + 1;
        let mut sent = 1;
        if job_tx.send(first).is_err() {
            return Ok(false);
        }
        let mut written = 0;
        let mut waiting: std::collections::BTreeMap<usize, Piece> = Default::default();
        let mut spare_text: Vec<Vec<u8>> = Vec::new();
        let mut spare_out: Vec<Vec<u8>> = Vec::new();
        let mut eof = false;
        loop {
            while !eof && sent - written < ahead {
                match blocks.next(spare_text.pop().unwrap_or_default()) {
                    Ok(None) => eof = true,
                    Ok(Some((bytes, records))) => {
                        let Ok(text) = String::from_utf8(bytes) else {
                            return Ok(false);
                        };
                        let job = Job {
                            index: sent,
                            text,
                            from: 0,
                            first_row: next_row,
                            buf: spare_out.pop().unwrap_or_default(),
                        };
                        next_row += records;
                        sent += 1;
                        if job_tx.send(job).is_err() {
                            return Ok(false);
                        }
                    }
                    Err(_) => return Ok(false),
                }
            }
            if eof && written == sent {
                return Ok(true);
            }
            let Ok(d) = done_rx.recv() else {
                return Ok(false);
            };
            let Some(piece) = d.piece else {
                anyhow::bail!("internal error: a worker thread panicked");
            };
            spare_text.push(d.text.into_bytes());
            waiting.insert(d.index, piece);
            while let Some(p) = waiting.remove(&written) {
                spare_out.push(sink.piece(p)?);
                written += 1;
            }
        }
    })
}

/// A workbook cell as the text the row reader reads.
fn cell_text(d: &calamine::Data) -> Cow<'_, str> {
    use calamine::Data;
    match d {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cow::Borrowed(s),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(if f.fract() == 0.0 && f.abs() < 1e15 {
            format!("{}", *f as i64)
        } else {
            format!("{f}")
        }),
        Data::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cow::Owned(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTime(dt) => Cow::Owned(format!("{}", dt.as_f64())),
        Data::Error(e) => Cow::Owned(format!("#{e:?}")),
    }
}

fn run_sheet(
    path: &Path,
    policy: &Policy,
    threads: usize,
    sheet: bool,
    lang: Lang,
    sink: &mut Sink,
) -> anyhow::Result<Layout> {
    use calamine::Reader;
    let unreadable = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!(
            "{}: {}: {e}",
            lang.pick("读不了输入表", "cannot read the input"),
            path.display()
        )
    };
    let range = std::panic::catch_unwind(|| {
        let mut wb = calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
        wb.worksheet_range_at(0)
            .ok_or_else(|| unreadable(&lang.pick("没有工作表", "no worksheet")))?
            .map_err(|e| unreadable(&e))
    })
    .unwrap_or_else(|_| Err(unreadable(&lang.pick("文件已损坏", "the file is damaged"))))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let rows: Vec<Vec<Cow<'_, str>>> = range
        .rows()
        .map(|cells| {
            let mut v: Vec<Cow<'_, str>> = vec![Cow::Borrowed(""); c0 as usize];
            v.extend(cells.iter().map(cell_text));
            v
        })
        .collect();
    let Some(h) = rows.iter().position(|r| !is_title(r)) else {
        anyhow::bail!(
            "{}",
            lang.pick(
                "输入表没有列名行（首行须为列名）",
                "the input has no header row (the first row must name the columns)"
            )
        );
    };
    let header_row = r0 as usize + h + 1;
    let layout = Layout::from_headers(&rows[h], header_row, policy).map_err(|e| {
        anyhow::anyhow!(
            "{}\n{}",
            lang.pick("输入表的列名有误：", "the input's headers are wrong:"),
            e.message(lang)
        )
    })?;
    sink.header(&layout)?;
    let ctx = Ctx {
        policy,
        layout: &layout,
        lang,
        sheet,
    };
    let data = &rows[h + 1..];
    let per = data.len().div_ceil(threads).max(1);
    let outs: Vec<Piece> = std::thread::scope(|s| -> anyhow::Result<Vec<Piece>> {
        let handles: Vec<_> = data
            .chunks(per)
            .enumerate()
            .map(|(ci, part)| {
                let ctx = &ctx;
                s.spawn(move || {
                    let mut piece = Piece::default();
                    let mut scratch = Vec::with_capacity(8);
                    for (j, cells) in part.iter().enumerate() {
                        piece.push(ctx, &mut scratch, header_row + 1 + ci * per + j, cells);
                    }
                    piece
                })
            })
            .collect();
        handles.into_iter().map(joined).collect()
    })?;
    for p in outs {
        sink.piece(p)?;
    }
    Ok(layout)
}

/// The most body rows an .xlsx sheet holds under its title and heading rows.
const XLSX_MAX_ROWS: usize = 1_048_576 - 2;

/// Where the output goes: a CSV file written piece by piece (to `NAME.part`, renamed when
/// complete), or the rows of an .xlsx sheet written at the end.
struct Sink {
    lang: Lang,
    out: PathBuf,
    tmp: PathBuf,
    csv: Option<std::io::BufWriter<std::fs::File>>,
    sheet: Option<Vec<Vec<ReportCell>>>,
    stats: Stats,
}

impl Sink {
    fn new(out: &Path, kind: Kind, lang: Lang) -> anyhow::Result<Sink> {
        let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("");
        let tmp = out.with_extension(format!("{ext}.part"));
        let mut s = Sink {
            lang,
            out: out.to_path_buf(),
            tmp,
            csv: None,
            sheet: None,
            stats: Stats::default(),
        };
        match kind {
            Kind::Csv => {
                let f = std::fs::File::create(&s.tmp).map_err(|e| s.cannot_write(&e))?;
                let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                // A byte-order mark, so that Excel opens the UTF-8 file as UTF-8.
                w.write_all("\u{feff}".as_bytes())
                    .map_err(|e| s.cannot_write(&e))?;
                s.csv = Some(w);
            }
            Kind::Sheet => s.sheet = Some(Vec::new()),
        }
        Ok(s)
    }

    fn cannot_write(&self, e: &dyn std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!(
            "{}: {}: {e}",
            self.lang.pick("写不了输出文件", "cannot write the output"),
            self.out.display()
        )
    }

    fn header(&mut self, layout: &Layout) -> anyhow::Result<()> {
        if let Some(w) = self.csv.as_mut() {
            let heads: Vec<OutCell<'_>> = layout
                .output_headers(self.lang)
                .into_iter()
                .map(|h| OutCell::Text(Cow::Owned(h)))
                .collect();
            let mut line = Vec::new();
            anju_policy::batch::write_csv_cells(&heads, &mut line);
            let r = w.write_all(&line);
            r.map_err(|e| self.cannot_write(&e))?;
        }
        Ok(())
    }

    /// Takes a piece of output; gives back its CSV buffer, emptied, for reuse.
    fn piece(&mut self, mut p: Piece) -> anyhow::Result<Vec<u8>> {
        self.stats.merge(p.stats);
        if let Some(w) = self.csv.as_mut() {
            let r = w.write_all(&p.csv);
            r.map_err(|e| self.cannot_write(&e))?;
        }
        p.csv.clear();
        if let Some(body) = self.sheet.as_mut() {
            body.extend(p.sheet);
            if body.len() > XLSX_MAX_ROWS {
                anyhow::bail!(
                    "{}",
                    self.lang.pick(
                        "行数超过 .xlsx 的上限（1,048,574 行）：请输出 .csv",
                        "more rows than an .xlsx sheet holds (1,048,574): write a .csv"
                    )
                );
            }
        }
        Ok(p.csv)
    }

    /// Completes the file (the .xlsx is written here) and moves it into place.
    /// Writes the rest and puts the file in place; on failure the unfinished file is removed.
    fn finish(mut self, policy: &Policy, layout: &Layout) -> anyhow::Result<Stats> {
        let done = self.complete(policy, layout);
        if done.is_err() {
            self.csv.take();
            let _ = std::fs::remove_file(&self.tmp);
        }
        done
    }

    fn complete(&mut self, policy: &Policy, layout: &Layout) -> anyhow::Result<Stats> {
        let lang = self.lang;
        if let Some(mut w) = self.csv.take() {
            let r = w.flush();
            r.map_err(|e| self.cannot_write(&e))?;
        }
        if let Some(body) = self.sheet.take() {
            let mut headings = layout.output_headers(lang);
            headings.push(lang.pick("计算说明", "explanation").to_string());
            let n = headings.len();
            let widths: Vec<u16> = (0..n)
                .map(|i| match n - i {
                    1 => 90,
                    2 => 40,
                    _ => 13,
                })
                .collect();
            let title = match lang {
                Lang::Zh => format!("补贴批量试算：{}", policy.file.title),
                Lang::En => format!("Batch subsidy calculation: {}", policy.file.title_en),
            };
            let sheet = ReportSheet {
                name: lang.pick("批量试算", "batch").to_string(),
                title,
                subtitle: None,
                groups: Vec::new(),
                headings,
                widths,
                rows: body,
                bold_rows: Vec::new(),
                merges: Vec::new(),
                notes: Vec::new(),
                landscape: true,
            };
            anju_sheets::write_report(&self.tmp, &[sheet])
                .map_err(|e| self.cannot_write(&e.render(lang)))?;
        }
        std::fs::rename(&self.tmp, &self.out).map_err(|e| self.cannot_write(&e))?;
        Ok(std::mem::take(&mut self.stats))
    }

    /// Removes the unfinished file.
    fn abandon(mut self) {
        self.csv.take();
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Reads `input`, computes every row, writes `out`. An error only when a file cannot be read
/// or written (or its header row is wrong); rows that cannot be computed are in the output
/// with their reasons.
pub fn convert(
    policy: &Policy,
    input: &Path,
    out: &Path,
    threads: usize,
    lang: Lang,
) -> anyhow::Result<Stats> {
    let in_kind = kind_of(input, false, lang)?;
    let out_kind = kind_of(out, true, lang)?;
    if in_kind == Kind::Csv
        && let Some(stats) =
            convert_streamed(policy, input, out, out_kind, threads, lang, PIECE_BYTES)
    {
        return Ok(stats);
    }
    convert_whole(policy, input, out, in_kind, out_kind, threads, lang)
}

/// [`convert`] with the input read whole: a workbook, and any CSV the streamed path leaves.
fn convert_whole(
    policy: &Policy,
    input: &Path,
    out: &Path,
    in_kind: Kind,
    out_kind: Kind,
    threads: usize,
    lang: Lang,
) -> anyhow::Result<Stats> {
    let sheet = out_kind == Kind::Sheet;
    let text = match in_kind {
        Kind::Csv => {
            let bytes = std::fs::read(input).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {}: {e}",
                    lang.pick("读不了输入表", "cannot read the input"),
                    input.display()
                )
            })?;
            Some(csv_text(bytes, input, lang)?)
        }
        Kind::Sheet => None,
    };
    let mut sink = Sink::new(out, out_kind, lang)?;
    let layout = match &text {
        Some(t) => run_csv(t, policy, threads, sheet, lang, &mut sink),
        None => run_sheet(input, policy, threads, sheet, lang, &mut sink),
    };
    match layout {
        Ok(l) => sink.finish(policy, &l),
        Err(e) => {
            sink.abandon();
            Err(e)
        }
    }
}

pub fn run(a: BatchArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let (policy, _) = anju_policy::resolve(&a.policy).map_err(|e| policy_err(e, lang))?;
    let threads = threads_or_cpus(a.threads);
    let stats = convert(&policy, &a.input, &a.out, threads, lang)?;
    print_summary(&stats, &a.out, lang);
    Ok(ExitCode::SUCCESS)
}

fn print_summary(s: &Stats, out: &Path, lang: Lang) {
    match lang {
        Lang::Zh => {
            println!(
                "共 {} 行：符合条件 {}，不符合 {}，不能计算 {}；合计支付 {} 元 → {}",
                s.rows,
                s.eligible,
                s.not_eligible,
                s.errors,
                s.total_payable.grouped(),
                out.display()
            );
            if s.blank > 0 {
                println!("（{} 个空行不是小区，未输出）", s.blank);
            }
            if s.errors > 0 {
                println!(
                    "不能计算的行（前 {} 个，全部见“原因”列）：",
                    s.first_reasons.len()
                );
            }
        }
        Lang::En => {
            println!(
                "{} rows: {} eligible, {} not eligible, {} cannot be computed; total payable {} yuan → {}",
                s.rows,
                s.eligible,
                s.not_eligible,
                s.errors,
                s.total_payable.grouped(),
                out.display()
            );
            if s.blank > 0 {
                println!(
                    "({} blank rows are not compounds and have no output row)",
                    s.blank
                );
            }
            if s.errors > 0 {
                println!(
                    "rows that cannot be computed (the first {}; all in the reason column):",
                    s.first_reasons.len()
                );
            }
        }
    }
    for r in &s.first_reasons {
        println!("  {r}");
    }
}

/// `anju bench batch`: writes a synthetic CSV of `rows` compounds, then times CSV → CSV.
pub fn run_bench(a: BenchBatchArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let (policy, _) = anju_policy::resolve(&a.policy).map_err(|e| policy_err(e, lang))?;
    let threads = threads_or_cpus(a.threads);
    if cfg!(debug_assertions) {
        eprintln!(
            "{}",
            lang.pick(
                "注意：这是调试构建，数字没有代表性；请用 cargo build --release。",
                "note: a debug build; figures mean little. Use a release build."
            )
        );
    }
    let tmp = match &a.dir {
        Some(_) => None,
        None => Some(tempfile::tempdir().context("temp dir")?),
    };
    let dir = match (&a.dir, &tmp) {
        (Some(d), _) => {
            std::fs::create_dir_all(d).with_context(|| d.display().to_string())?;
            d.clone()
        }
        (None, Some(t)) => t.path().to_path_buf(),
        (None, None) => anyhow::bail!("no directory"),
    };
    let input = dir.join("batch-input.csv");
    let out = dir.join("batch-output.csv");
    let t0 = Instant::now();
    {
        let f = std::fs::File::create(&input).with_context(|| input.display().to_string())?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        write_synthetic_csv(&policy, a.rows, 20_240_501, &mut w)?;
        w.flush()?;
    }
    let gen_secs = t0.elapsed().as_secs_f64();
    let in_bytes = std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0);
    let rss_before = crate::util::peak_rss_kib();
    let t1 = Instant::now();
    let stats = convert(&policy, &input, &out, threads, lang)?;
    let secs = t1.elapsed().as_secs_f64();
    let out_bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let rate = if secs > 0.0 {
        (stats.rows as f64 / secs) as u64
    } else {
        0
    };
    let mb = |b: u64| b as f64 / 1_048_576.0;
    match lang {
        Lang::Zh => {
            println!(
                "政策 {}，{threads} 个线程；生成输入 {:.1} MB 用时 {gen_secs:.2} 秒（不计入）",
                policy.file.id,
                mb(in_bytes)
            );
            println!(
                "CSV → CSV：{} 行（符合条件 {}，不符合 {}，不能计算 {}），用时 {secs:.3} 秒，{} 行/秒；输出 {:.1} MB；合计支付 {} 元",
                anju_core::money::group_thousands(stats.rows as u64),
                stats.eligible,
                stats.not_eligible,
                stats.errors,
                anju_core::money::group_thousands(rate),
                mb(out_bytes),
                stats.total_payable.grouped()
            );
        }
        Lang::En => {
            println!(
                "policy {}, {threads} threads; input {:.1} MB generated in {gen_secs:.2} s (not counted)",
                policy.file.id,
                mb(in_bytes)
            );
            println!(
                "CSV → CSV: {} rows ({} eligible, {} not eligible, {} cannot be computed) in {secs:.3} s, {} rows/s; output {:.1} MB; total payable {} yuan",
                anju_core::money::group_thousands(stats.rows as u64),
                stats.eligible,
                stats.not_eligible,
                stats.errors,
                anju_core::money::group_thousands(rate),
                mb(out_bytes),
                stats.total_payable.grouped()
            );
        }
    }
    for r in &stats.first_reasons {
        println!("  {r}");
    }
    if let Some(kb) = crate::util::peak_rss_kib() {
        println!(
            "{}{} MB{}",
            lang.pick("峰值内存（VmHWM）：", "peak memory (VmHWM): "),
            kb / 1024,
            match rss_before {
                Some(b) => match lang {
                    Lang::Zh => format!("（生成输入后、计算前为 {} MB）", b / 1024),
                    Lang::En => format!(
                        " ({} MB after generating the input, before the run)",
                        b / 1024
                    ),
                },
                None => String::new(),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let mut cells = Vec::new();
            let next = parse_record(text, pos, &mut cells);
            assert_eq!(next, record_end(text.as_bytes(), pos), "at {pos}");
            pos = next;
            out.push(cells.into_iter().map(Cow::into_owned).collect());
        }
        out
    }

    #[test]
    fn csv_records() {
        let r = records("a,b\r\n\"x,\"\"y\"\"\nz\",2\nlast,\n\"open");
        assert_eq!(
            r,
            vec![
                vec!["a".to_string(), "b".into()],
                vec!["x,\"y\"\nz".into(), "2".into()],
                vec!["last".into(), String::new()],
                vec!["open".into()],
            ]
        );
        let r = records("5\"x,1\n");
        assert_eq!(r, vec![vec!["5\"x".to_string(), "1".into()]]);
    }

    /// The streamed path against the whole-file path: the same bytes and figures, whatever
    /// the block size and the number of threads; and the files it leaves to the whole-file
    /// path (not UTF-8, no header row, wrong headers) left with nothing written.
    #[test]
    fn streamed_matches_whole_file() {
        let policy = anju_policy::shipped_policy("liaocheng-2021").expect("policy");
        let head = "小区名称,面积,签约日期,进场日期,合同年限,小区状态,score_1,collection_rate_1,score_2,collection_rate_2,score_3,collection_rate_3";
        let rows = [
            "示例小区,8000,2022-09-01,2022-09-01,3,弃管,90,0.85,90,0.85,90,0.85",
            "缺第2期评分,8000,2022-09-01,2022-09-01,3,弃管,90,0.85,,0.85,90,0.85",
            "\"引号,小区\",\"5,000\",2022-05-01,2022-05-01,3,abandoned,88,72%,65,0.80,50,0.85",
            "\"换\n行\"\"小区\"\"\",-1,2022-05-01,2022-05-01,3,弃管,88,0.7,65,0.80,50,0.85",
            ",,,,,,,,,,,",
            "=公式,6000,2022/5/1,2022年5月1日,3,有物业,101,0.7,65,0.80,50,0.85",
            "多一列,6000,2022-05-01,2022-05-01,3,弃管,88,0.7,65,0.80,50,0.85,x",
            "不合格,6000,2022-05-01,2022-05-01,3,自管,40,0.5,30,0.5,20,0.5",
        ];
        let mut big = vec![head.to_string()];
        for i in 0..120 {
            big.push(rows[i % rows.len()].replace("小区", &format!("小区{i}")));
        }
        let plain = format!("{head}\n{}\n", rows.join("\n"));
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("plain", plain.clone().into_bytes()),
            ("no final newline", plain.trim_end().as_bytes().to_vec()),
            ("crlf", plain.replace('\n', "\r\n").into_bytes()),
            (
                "bom, titles, blank lines",
                format!(
                    "\u{feff}预算表\n\n,制表人\n{head}\n\n{}\n\n",
                    rows.join("\n\n")
                )
                .into_bytes(),
            ),
            (
                "open quote at the end",
                format!("{plain}\"未闭合,1").into_bytes(),
            ),
            ("header only", format!("{head}\n").into_bytes()),
            ("many rows", big.join("\n").into_bytes()),
        ];
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("in.csv");
        let out = dir.path().join("out.csv");
        let run_whole = |lang| {
            let stats = convert_whole(&policy, &input, &out, Kind::Csv, Kind::Csv, 2, lang);
            let bytes = std::fs::read(&out).expect("whole-file output");
            (format!("{:?}", stats.expect("whole-file run")), bytes)
        };
        for (name, bytes) in &cases {
            std::fs::write(&input, bytes).expect("input");
            for lang in [Lang::Zh, Lang::En] {
                let want = run_whole(lang);
                for block in (1..=40).chain([50, 200, 1 << 20]) {
                    for threads in [1, 3] {
                        std::fs::remove_file(&out).expect("remove");
                        let got = convert_streamed(
                            &policy,
                            &input,
                            &out,
                            Kind::Csv,
                            threads,
                            lang,
                            block,
                        )
                        .unwrap_or_else(|| panic!("{name}: left to the whole-file path"));
                        let bytes = std::fs::read(&out).expect("streamed output");
                        assert_eq!(
                            (format!("{got:?}"), String::from_utf8_lossy(&bytes)),
                            (want.0.clone(), String::from_utf8_lossy(&want.1)),
                            "{name}, block {block}, {threads} threads"
                        );
                    }
                }
            }
        }
        // Left to the whole-file path, with nothing written.
        let (gbk, _, _) = encoding_rs::GBK.encode(&plain);
        let mut late = big.join("\n").into_bytes();
        late.extend_from_slice(b"\n\xff\xfe,1\n");
        let left: Vec<(&str, Vec<u8>)> = vec![
            ("gbk", gbk.into_owned()),
            ("not UTF-8 at the end", late),
            ("empty", Vec::new()),
            ("titles only", "预算表\n,,\n".as_bytes().to_vec()),
            (
                "unknown column",
                format!("{head},备注\n{}\n", rows[0]).into_bytes(),
            ),
        ];
        for (name, bytes) in &left {
            std::fs::write(&input, bytes).expect("input");
            let _ = std::fs::remove_file(&out);
            for block in [3, 1 << 20] {
                let got = convert_streamed(&policy, &input, &out, Kind::Csv, 2, Lang::Zh, block);
                assert!(got.is_none(), "{name}");
                assert!(
                    !out.exists() && !dir.path().join("out.csv.part").exists(),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn whole_records_of_a_block() {
        let b = b"a,\"x\ny\",b\nc,d\n\"open\n";
        assert_eq!(whole_records(b, false), Some((14, 2)));
        assert_eq!(whole_records(b, true), Some((b.len(), 3)));
        assert_eq!(whole_records(&b[..7], false), None);
        // A newline inside quotes ends no record.
        assert_eq!(whole_records(&b[..5], false), None);
        assert_eq!(whole_records(b"a\nb\nc", false), Some((4, 2)));
        assert_eq!(whole_records(b"a\nb\nc", true), Some((5, 3)));
        assert_eq!(whole_records(b"abc", false), None);
    }

    #[test]
    fn field_ends() {
        let text =
            "ab,c\n,,合成小区0000001,0.85\r\nxxxxxxxxxxxxxxxxxxxx,\u{2c2c}\u{a0a},\u{ac}\u{8a}";
        let b = text.as_bytes();
        for from in 0..=b.len() {
            let want = b[from..]
                .iter()
                .position(|&c| c == b',' || c == b'\n')
                .map_or(b.len(), |e| from + e);
            assert_eq!(field_end(b, from), want, "from {from}");
        }
    }

    #[test]
    fn newlines_counted() {
        let text: Vec<u8> = (0..2000u32)
            .map(|i| if i % 7 == 0 { b'\n' } else { b'x' })
            .collect();
        for end in [0, 1, 254, 255, 256, 1000, 2000] {
            let b = &text[..end];
            assert_eq!(count_newlines(b), b.iter().filter(|&&c| c == b'\n').count());
        }
        assert_eq!(count_newlines(&[b'\n'; 600]), 600);
    }

    #[test]
    fn cut_at_record_boundaries() {
        let text = "h\n1,\"a\nb\"\n2,c\n3,d";
        for target in 1..8 {
            let pieces = cut(text, 2, target);
            let mut all = Vec::new();
            let mut count = 0;
            for (from, to, before) in &pieces {
                assert_eq!(*before, count);
                let r = records(&text[*from..*to]);
                count += r.len();
                all.extend(r);
            }
            assert_eq!(all.len(), 3, "target {target}");
            assert_eq!(all[0][1], "a\nb");
            let plain = "h\n1,a\n2,c\n3,d";
            let p = cut(plain, 2, target);
            let n: usize = p
                .iter()
                .map(|(f, t, _)| records(&plain[*f..*t]).len())
                .sum();
            assert_eq!(n, 3);
            assert_eq!(
                p.last().map(|x| x.2),
                Some(3 - records(&plain[p[p.len() - 1].0..]).len())
            );
        }
    }
}
