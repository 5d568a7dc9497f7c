//! The batch calculator's rows: a budget office's table of compounds (one row per compound,
//! the scenario's keys as columns, each period's results as `score_1`, `grade_1`,
//! `collection_rate_3` …, Chinese headers accepted) → one output row per compound with its
//! eligibility, every period's payable and retained amounts, the totals, and the reason where
//! the row cannot be computed.
//!
//! This module knows nothing about files: the caller hands it the header cells once
//! ([`Layout::from_headers`]) and then each row's cells as text ([`Layout::compute`]); a CSV
//! reader and an xlsx reader both end here. Every row goes through the very same
//! [`crate::evaluate`] as the what-if calculator, and the bounds checks are those of the
//! scenario file ([`crate::Scenario`]): a value the calculator would refuse is refused here,
//! naming the row and the column, and an empty cell is "not given", never zero.
//!
//! The column names accepted, with their Chinese aliases, are in [`FACT_COLUMNS`] and
//! [`RESULT_COLUMNS`]; an unknown column is an error naming it.

use crate::de::parse_decimal;
use crate::error::PolicyError;
use crate::eval::{MAX_PERIODS, Outcome, evaluate};
use crate::explain;
use crate::input::{CompoundFacts, ContractFacts, Grade, Input, PeriodResult, Status};
use crate::policy::Policy;
use anju_core::{Fen, Lang};
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::io::Write as _;

/// A fact about the compound or its contract (one column each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// 编号: identifies the row in the output (not read by the calculator).
    Id,
    /// 小区名称: identifies the row in the output (not read by the calculator).
    Name,
    AreaM2,
    Households,
    BuiltYear,
    Built,
    Status,
    InRenovation,
    Signed,
    Entry,
    TermYears,
    TermStart,
    TermEnd,
    FeePerM2Month,
    Ended,
}

/// One of a period's results (one column per period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultField {
    Score,
    Grade,
    EvaluationPassed,
    ThirdPartyPassed,
    Satisfaction,
    CollectionRate,
    FeesTotal,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Fact(Fact),
    /// Period (1, 2, …) and the result.
    Result(u32, ResultField),
}

/// The fact columns: (fact, scenario key, the column's canonical name, Chinese label, the
/// other names accepted). Names are matched after [`normalize_header`].
pub const FACT_COLUMNS: &[(Fact, &str, &str, &str, &[&str])] = &[
    (
        Fact::Id,
        "id",
        "id",
        "编号",
        &["compound.id", "小区编号", "序号"],
    ),
    (
        Fact::Name,
        "compound.name",
        "name",
        "小区名称",
        &["小区", "名称", "小区名"],
    ),
    (
        Fact::AreaM2,
        "compound.area_m2",
        "area_m2",
        "面积",
        &[
            "area",
            "建筑面积",
            "服务面积",
            "合同面积",
            "总建筑面积",
            "物业服务面积",
        ],
    ),
    (
        Fact::Households,
        "compound.households",
        "households",
        "户数",
        &["总户数", "住户数"],
    ),
    (
        Fact::BuiltYear,
        "compound.built_year",
        "built_year",
        "建成年份",
        &["建成年代", "竣工年份"],
    ),
    (
        Fact::Built,
        "compound.built",
        "built",
        "竣工日期",
        &["建成日期"],
    ),
    (
        Fact::Status,
        "compound.status",
        "status",
        "小区状态",
        &["管理状态", "物业管理状态", "状态"],
    ),
    (
        Fact::InRenovation,
        "compound.in_renovation",
        "in_renovation",
        "列入老旧小区改造",
        &["列入改造范围", "老旧小区改造", "纳入老旧小区改造"],
    ),
    (
        Fact::Signed,
        "contract.signed",
        "signed",
        "签约日期",
        &["签约日", "合同签订日期", "签订日期"],
    ),
    (
        Fact::Entry,
        "contract.entry",
        "entry",
        "进场日期",
        &["正式进场日期", "进场日"],
    ),
    (
        Fact::TermYears,
        "contract.term_years",
        "term_years",
        "合同年限",
        &["合同期限", "服务年限"],
    ),
    (
        Fact::TermStart,
        "contract.term_start",
        "term_start",
        "合同开始日期",
        &["合同起始日期", "服务起始日期"],
    ),
    (
        Fact::TermEnd,
        "contract.term_end",
        "term_end",
        "合同结束日期",
        &["合同截止日期", "合同到期日", "合同到期日期"],
    ),
    (
        Fact::FeePerM2Month,
        "contract.fee_per_m2_month",
        "fee_per_m2_month",
        "物业费标准",
        &["fee", "收费标准", "物业服务费标准"],
    ),
    (
        Fact::Ended,
        "contract.ended",
        "ended",
        "服务终止日期",
        &["终止日期", "服务结束日期"],
    ),
];

/// The result columns: (result, key, Chinese label, the other Chinese names accepted). A
/// column is `KEY_N` (`score_1`), `results[period=N].KEY`, `第N期LABEL` (`第1期评分`, also
/// `第N年…`, `第N季度…`) or `LABEL_N`.
pub const RESULT_COLUMNS: &[(ResultField, &str, &str, &[&str])] = &[
    (
        ResultField::Score,
        "score",
        "评分",
        &["考核评分", "考核得分", "考核分数", "得分"],
    ),
    (
        ResultField::Grade,
        "grade",
        "等次",
        &["考核等次", "考核等级", "等级"],
    ),
    (
        ResultField::EvaluationPassed,
        "evaluation_passed",
        "考评通过",
        &["考核通过", "评价通过", "考评结果"],
    ),
    (
        ResultField::ThirdPartyPassed,
        "third_party_passed",
        "第三方测评通过",
        &["第三方评价通过", "第三方测评结果"],
    ),
    (
        ResultField::Satisfaction,
        "satisfaction",
        "满意度",
        &["满意率"],
    ),
    (
        ResultField::CollectionRate,
        "collection_rate",
        "收缴率",
        &["物业费收缴率"],
    ),
    (
        ResultField::FeesTotal,
        "fees_total",
        "物业费总额",
        &["物业费合计", "物业费收入"],
    ),
];

// The largest area, fee and fee total a row may give: the scenario file's bounds, the same
// constants.
use crate::scenario::{AREA_MAX_M2, FEE_MAX, FEES_TOTAL_MAX};

impl Fact {
    fn entry(
        self,
    ) -> &'static (
        Fact,
        &'static str,
        &'static str,
        &'static str,
        &'static [&'static str],
    ) {
        FACT_COLUMNS
            .iter()
            .find(|e| e.0 == self)
            .unwrap_or(&FACT_COLUMNS[0])
    }
    /// The scenario key, e.g. `compound.area_m2`.
    pub fn key(self) -> &'static str {
        self.entry().1
    }
    /// The canonical column name, e.g. `area_m2`.
    pub fn column(self) -> &'static str {
        self.entry().2
    }
    pub fn zh(self) -> &'static str {
        self.entry().3
    }
}

impl ResultField {
    fn entry(
        self,
    ) -> &'static (
        ResultField,
        &'static str,
        &'static str,
        &'static [&'static str],
    ) {
        RESULT_COLUMNS
            .iter()
            .find(|e| e.0 == self)
            .unwrap_or(&RESULT_COLUMNS[0])
    }
    pub fn key(self) -> &'static str {
        self.entry().1
    }
    pub fn zh(self) -> &'static str {
        self.entry().2
    }
    fn parse_key(s: &str) -> Option<ResultField> {
        RESULT_COLUMNS.iter().find(|e| e.1 == s).map(|e| e.0)
    }
    fn parse_zh(s: &str) -> Option<ResultField> {
        RESULT_COLUMNS
            .iter()
            .find(|e| e.2 == s || e.3.contains(&s))
            .map(|e| e.0)
    }
}

impl Column {
    /// The scenario key: `compound.area_m2`, `results[period=2].score`.
    pub fn key(self) -> String {
        match self {
            Column::Fact(f) => f.key().to_string(),
            Column::Result(n, r) => format!("results[period={n}].{}", r.key()),
        }
    }
    /// The canonical column name: `area_m2`, `score_2`.
    pub fn canonical(self) -> String {
        match self {
            Column::Fact(f) => f.column().to_string(),
            Column::Result(n, r) => format!("{}_{n}", r.key()),
        }
    }
}

/// A header as it is matched: trimmed, without spaces (also full-width ones) or a byte-order
/// mark, ASCII lower-cased, full-width brackets made ASCII, and a trailing unit in brackets
/// dropped (`面积（㎡）` → `面积`, `fee_per_m2_month (元/㎡/月)` → `fee_per_m2_month`).
pub fn normalize_header(h: &str) -> String {
    let mut s: String = h
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '－' | '—' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if s.ends_with(')')
        && let Some(i) = s.rfind('(')
        && i > 0
    {
        s.truncate(i);
    }
    s
}

/// The period number in `s` if all of it is a number from 1 to [`MAX_PERIODS`].
fn period_number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 5 {
        return None;
    }
    s.parse::<u32>()
        .ok()
        .filter(|n| *n >= 1 && (*n as usize) <= MAX_PERIODS)
}

/// Which column a header names, or `None` when it names none.
pub fn match_header(header: &str) -> Option<Column> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    let bare = h
        .strip_prefix("compound.")
        .or_else(|| h.strip_prefix("contract."))
        .unwrap_or(&h);
    for (fact, key, col, zh, others) in FACT_COLUMNS {
        if h == *key || bare == *col || h == *zh || others.contains(&h.as_str()) {
            return Some(Column::Fact(*fact));
        }
    }
    // results[period=N].key
    if let Some(rest) = h.strip_prefix("results[period=")
        && let Some((n, key)) = rest.split_once("].")
        && let (Some(n), Some(r)) = (period_number(n), ResultField::parse_key(key))
    {
        return Some(Column::Result(n, r));
    }
    // 第N期label, 第N年label, 第N季度label
    if let Some(rest) = h.strip_prefix('第') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (n, tail) = rest.split_at(digits);
        if let Some(n) = period_number(n) {
            for unit in ["期", "年度", "年", "季度", "季"] {
                if let Some(label) = tail.strip_prefix(unit)
                    && let Some(r) = ResultField::parse_zh(label.trim_start_matches(['_', '-']))
                {
                    return Some(Column::Result(n, r));
                }
            }
        }
    }
    // key_N, keyN, label_N, labelN
    let digits = h.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (stem, n) = h.split_at(h.len() - digits);
    if let Some(n) = period_number(n) {
        let stem = stem.strip_suffix(['_', '-']).unwrap_or(stem);
        if let Some(r) = ResultField::parse_key(stem).or_else(|| ResultField::parse_zh(stem)) {
            return Some(Column::Result(n, r));
        }
    }
    None
}

/// Excel's column letter for a 0-based index: 0 → A, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The header row cannot be used: unknown or repeated columns. Every problem is listed.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderError {
    /// The header's row number in the file (1-based).
    pub row: usize,
    /// (0-based column, the header as written, Chinese reason, English reason).
    pub problems: Vec<(usize, String, String, String)>,
}

impl HeaderError {
    pub fn message(&self, lang: Lang) -> String {
        let mut lines = Vec::new();
        for (col, header, zh, en) in &self.problems {
            lines.push(match lang {
                Lang::Zh => format!(
                    "第 {} 行“{header}”列（{} 列）：{zh}",
                    self.row,
                    column_letter(*col)
                ),
                Lang::En => format!(
                    "row {}, column '{header}' ({}): {en}",
                    self.row,
                    column_letter(*col)
                ),
            });
        }
        lines.push(accepted_columns(lang));
        lines.join("\n")
    }
}

impl std::fmt::Display for HeaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::Zh))
    }
}

impl std::error::Error for HeaderError {}

/// The list of accepted column names, for an error message.
pub fn accepted_columns(lang: Lang) -> String {
    let facts: Vec<String> = FACT_COLUMNS
        .iter()
        .map(|(_, _, col, zh, _)| format!("{col}/{zh}"))
        .collect();
    let results: Vec<String> = RESULT_COLUMNS
        .iter()
        .map(|(_, key, zh, _)| format!("{key}_N/第N期{zh}"))
        .collect();
    match lang {
        Lang::Zh => format!(
            "可用的列：{}；每期结果（N = 1、2、…）：{}",
            facts.join("、"),
            results.join("、")
        ),
        Lang::En => format!(
            "columns accepted: {}; each period's results (N = 1, 2, …): {}",
            facts.join(", "),
            results.join(", ")
        ),
    }
}

/// The columns of an input table, read from its header row.
#[derive(Debug, Clone)]
pub struct Layout {
    /// One per input column; `None` for a column with an empty header (its cells must be empty).
    cols: Vec<Option<Column>>,
    /// The headers as written (trimmed).
    headers: Vec<String>,
    id_col: Option<usize>,
    name_col: Option<usize>,
    /// The periods the output shows one by one.
    periods: u32,
}

/// The reader's one place for a row's problem: "第 12 行“score_2”列：…".
fn cell_problem(row: usize, header: &str, zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {row} 行“{header}”列：{zh}"),
        Lang::En => format!("row {row}, column '{header}': {en}"),
    }
}

/// Why a cell's text is not the value its column wants: (Chinese, English).
type Why = (String, String);

fn not_a(what_zh: &str, what_en: &str, v: &str) -> Why {
    (
        format!("“{v}”不是{what_zh}"),
        format!("'{v}' is not {what_en}"),
    )
}

/// `str::trim`, without its scan when the text neither starts nor ends with white space (the
/// usual cell, `8000` or `合成小区`). A non-ASCII first byte begins a white-space character
/// only if it is 0xC2, 0xE1, 0xE2 or 0xE3, a last byte ends one only if it is one of
/// 0x80–0x8A, 0x9F, 0xA0, 0xA8, 0xA9 or 0xAF (Unicode's `White_Space` above ASCII: U+0085,
/// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000); any other text
/// is left to `str::trim`.
fn trim(s: &str) -> &str {
    let (Some(&f), Some(&l)) = (s.as_bytes().first(), s.as_bytes().last()) else {
        return s;
    };
    let starts_plain = f.is_ascii_graphic() || (f >= 0x80 && !matches!(f, 0xC2 | 0xE1..=0xE3));
    let ends_plain = l.is_ascii_graphic()
        || (l >= 0x80 && !matches!(l, 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF));
    if starts_plain && ends_plain {
        s
    } else {
        s.trim()
    }
}

/// A decimal: `8000`, `0.85`, `85%` (→ 0.85), `8,000.5` (thousands separators only).
fn cell_decimal(v: &str) -> Result<Decimal, Why> {
    let t = trim(v);
    if let Some(d) = plain_decimal(t) {
        return Ok(d);
    }
    let ungrouped: Cow<'_, str> = if t.contains([',', '，']) {
        let body = t.trim_end_matches('%');
        let int_part = body.split('.').next().unwrap_or("");
        let int_part = int_part.strip_prefix('-').unwrap_or(int_part);
        let groups: Vec<&str> = int_part.split([',', '，']).collect();
        let grouped_ok = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3);
        if !grouped_ok {
            return Err(not_a("数字", "a number", v));
        }
        Cow::Owned(t.replace([',', '，'], ""))
    } else {
        Cow::Borrowed(t)
    };
    parse_decimal(&ungrouped).map_err(|_| not_a("数字", "a number", v))
}

/// The usual cell, `8000`, `-1.5` or `0.85` (at most 18 digits), read without the general
/// parser: the same decimal, mantissa and scale, as `Decimal::from_str` gives.
fn plain_decimal(t: &str) -> Option<Decimal> {
    let b = t.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let mut m: i64 = 0;
    let mut digits = 0u32;
    let mut scale = 0u32;
    let mut dot = false;
    for &c in body {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + i64::from(c - b'0');
                digits += 1;
                if dot {
                    scale += 1;
                }
                if digits > 18 {
                    return None;
                }
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if digits == 0 || (dot && scale == 0) || body.first() == Some(&b'.') {
        return None;
    }
    Some(Decimal::new(if neg { -m } else { m }, scale))
}

fn cell_int(v: &str) -> Result<i64, Why> {
    let t = trim(v);
    if !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t
            .bytes()
            .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0')));
    }
    let d = cell_decimal(v)?;
    if !d.fract().is_zero() {
        return Err(not_a("整数", "a whole number", v));
    }
    i64::try_from(d.trunc()).map_err(|_| not_a("整数", "a whole number", v))
}

/// `2022-09-01`, or year first with `/` or `.` or 年月日: `2022/9/1`, `2022年9月1日`.
fn cell_date(v: &str) -> Result<Date, Why> {
    let t = trim(v);
    // The usual form, without allocating: YYYY-MM-DD.
    let b = t.as_bytes();
    if b.len() == 10
        && b[0] != b'0'
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        let n = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0i16, |acc, c| acc * 10 + i16::from(c - b'0'))
        };
        return Date::new(n(0..4), n(5..7) as i8, n(8..10) as i8).map_err(|_| {
            (
                format!("“{v}”不是存在的日期"),
                format!("'{v}' is not a real date"),
            )
        });
    }
    let bad = || {
        (
            format!("“{v}”不是日期（写作 2022-09-01 或 2022/9/1）"),
            format!("'{v}' is not a date (write 2022-09-01 or 2022/9/1)"),
        )
    };
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |s: &str, max_len: usize| -> Option<i64> {
        if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            s.parse().ok()
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else {
        return Err(bad());
    };
    if y < 1000 {
        return Err(bad());
    }
    Date::new(y as i16, m as i8, d as i8).map_err(|_| {
        (
            format!("“{v}”不是存在的日期"),
            format!("'{v}' is not a real date"),
        )
    })
}

fn cell_bool(v: &str) -> Result<bool, Why> {
    let t = trim(v);
    let word = |t: &str| match t {
        "true" | "yes" | "y" | "1" | "是" | "通过" | "合格" => Some(true),
        "false" | "no" | "n" | "0" | "否" | "未通过" | "不通过" | "不合格" => Some(false),
        _ => None,
    };
    match word(t).or_else(|| word(&t.to_ascii_lowercase())) {
        Some(b) => Ok(b),
        None => Err((format!("“{v}”不是 是/否"), format!("'{v}' is not yes/no"))),
    }
}

/// `x` compared with the whole number `n`: the same answer as `x.cmp(&Decimal::from(n))`, by
/// `i64`s when mantissa and `n` × 10^scale fit (the usual cell), else by `Decimal`.
#[inline]
fn cmp_whole(x: Decimal, n: i64) -> std::cmp::Ordering {
    const POW10: [i64; 19] = {
        let mut p = [1i64; 19];
        let mut i = 1;
        while i < 19 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    if let Some(&p) = POW10.get(x.scale() as usize)
        && let Some(n_scaled) = n.checked_mul(p)
        && let Ok(m) = i64::try_from(x.mantissa())
    {
        return m.cmp(&n_scaled);
    }
    x.cmp(&Decimal::from(n))
}

/// Whether `x` lies within `lo..=hi` (whole numbers), as `Decimal` comparisons would say.
#[inline]
fn within_whole(x: Decimal, lo: i64, hi: i64) -> bool {
    cmp_whole(x, lo).is_ge() && cmp_whole(x, hi).is_le()
}

fn share(x: Decimal) -> Result<Decimal, Why> {
    if !within_whole(x, 0, 1) {
        Err((
            format!("{x} 须在 0 至 1 之间（80% 写作 0.80 或 80%）"),
            format!("{x} must be between 0 and 1 (80 % is 0.80 or 80%)"),
        ))
    } else {
        Ok(x)
    }
}

fn within_max(x: Decimal, max: i64) -> Result<Decimal, Why> {
    if cmp_whole(x, 0).is_lt() {
        Err((format!("{x} 不能为负"), format!("{x} cannot be negative")))
    } else if cmp_whole(x, max).is_gt() {
        Err((
            format!("{x} 超出可计算范围（至多 {max}）"),
            format!("{x} is beyond what can be computed (at most {max})"),
        ))
    } else {
        Ok(x)
    }
}

/// One row's facts, read from its cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowFacts<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub compound: CompoundFacts,
    pub contract: ContractFacts,
}

/// One output row.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow<'a> {
    /// The row's number in the input file (1-based, as a spreadsheet numbers it).
    pub row: usize,
    pub id: &'a str,
    pub name: &'a str,
    /// The calculator's outcome, or why the row cannot be computed (row and column named).
    pub result: Result<Outcome, String>,
}

/// A cell of an output row.
#[derive(Debug, Clone, PartialEq)]
pub enum OutCell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Int(u64),
    Money(Fen),
}

impl Layout {
    /// Reads the header row (`row` is its 1-based number in the file). Unknown and repeated
    /// columns are errors, all of them listed; an empty header is allowed (its cells must be
    /// empty). `policy` decides how many periods the output shows: the policy's count, or,
    /// for a policy that pays until the contract ends, as many as the input has columns for.
    pub fn from_headers<S: AsRef<str>>(
        headers: &[S],
        row: usize,
        policy: &Policy,
    ) -> Result<Layout, HeaderError> {
        let mut cols: Vec<Option<Column>> = Vec::with_capacity(headers.len());
        let mut problems = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let h = h.as_ref().trim().trim_start_matches('\u{feff}');
            if h.is_empty() {
                cols.push(None);
                continue;
            }
            match match_header(h) {
                Some(c) => {
                    if let Some(j) = cols.iter().position(|x| *x == Some(c)) {
                        problems.push((
                            i,
                            h.to_string(),
                            format!(
                                "与 {} 列“{}”重复（都是 {}）",
                                column_letter(j),
                                headers[j].as_ref().trim(),
                                c.key()
                            ),
                            format!(
                                "repeats column {} '{}' (both are {})",
                                column_letter(j),
                                headers[j].as_ref().trim(),
                                c.key()
                            ),
                        ));
                    }
                    cols.push(Some(c));
                }
                None => {
                    problems.push((
                        i,
                        h.to_string(),
                        "不认识的列名（不会被忽略：请改名或删去此列）".to_string(),
                        "unknown column (not ignored: rename or remove it)".to_string(),
                    ));
                    cols.push(None);
                }
            }
        }
        if !problems.is_empty() {
            return Err(HeaderError { row, problems });
        }
        let max_input_period = cols
            .iter()
            .filter_map(|c| match c {
                Some(Column::Result(n, _)) => Some(*n),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let periods = policy.periods.count.unwrap_or(max_input_period).max(1);
        let find = |f: Fact| cols.iter().position(|c| *c == Some(Column::Fact(f)));
        Ok(Layout {
            id_col: find(Fact::Id),
            name_col: find(Fact::Name),
            headers: headers
                .iter()
                .map(|h| h.as_ref().trim().trim_start_matches('\u{feff}').to_string())
                .collect(),
            cols,
            periods,
        })
    }

    /// The periods the output shows one by one.
    pub fn periods(&self) -> u32 {
        self.periods
    }

    pub fn has_id(&self) -> bool {
        self.id_col.is_some()
    }

    pub fn has_name(&self) -> bool {
        self.name_col.is_some()
    }

    /// The header of the column holding `key` (a scenario key) as written, or the canonical
    /// column name when the input has no such column.
    fn header_for_key(&self, key: &str) -> Cow<'_, str> {
        for (i, c) in self.cols.iter().enumerate() {
            if let Some(c) = c
                && c.key() == key
            {
                return Cow::Borrowed(self.headers[i].as_str());
            }
        }
        if let Some(rest) = key.strip_prefix("results[period=")
            && let Some((n, k)) = rest.split_once("].")
        {
            return Cow::Owned(format!("{k}_{n}"));
        }
        Cow::Owned(
            FACT_COLUMNS
                .iter()
                .find(|e| e.1 == key)
                .map_or(key, |e| e.2)
                .to_string(),
        )
    }

    /// Whether the row has nothing in it (a blank line, not a compound).
    pub fn is_blank<S: AsRef<str>>(cells: &[S]) -> bool {
        cells.iter().all(|c| trim(c.as_ref()).is_empty())
    }

    /// Reads one row's cells into facts and `results` (cleared first, sorted by period).
    /// `row` is the row's 1-based number in the file. The first problem is returned, naming
    /// the row and the column.
    pub fn read_row<'a, S: AsRef<str>>(
        &self,
        row: usize,
        cells: &'a [S],
        results: &mut Vec<PeriodResult>,
        lang: Lang,
    ) -> Result<RowFacts<'a>, String> {
        results.clear();
        let mut compound = CompoundFacts::default();
        let mut contract = ContractFacts::default();
        let text = |i: Option<usize>| -> &'a str {
            i.and_then(|i| cells.get(i))
                .map_or("", |c| trim(c.as_ref()))
        };
        let id = text(self.id_col);
        let name = text(self.name_col);
        for (i, cell) in cells.iter().enumerate() {
            let v = trim(cell.as_ref());
            if v.is_empty() {
                continue;
            }
            let header = self.headers.get(i).map_or("", String::as_str);
            let problem = |(zh, en): Why| {
                let header: Cow<'_, str> = if header.is_empty() {
                    Cow::Owned(column_letter(i))
                } else {
                    Cow::Borrowed(header)
                };
                cell_problem(row, &header, &zh, &en, lang)
            };
            let Some(Some(col)) = self.cols.get(i) else {
                return Err(problem((
                    format!("没有列名的列里有值“{v}”"),
                    format!("a value '{v}' in a column without a header"),
                )));
            };
            match *col {
                Column::Fact(f) => match f {
                    Fact::Id | Fact::Name => {}
                    Fact::AreaM2 => {
                        compound.area_m2 = Some(
                            cell_decimal(v)
                                .and_then(|x| within_max(x, AREA_MAX_M2))
                                .map_err(problem)?,
                        );
                    }
                    Fact::Households => {
                        let h = cell_int(v).map_err(problem)?;
                        compound.households = Some(
                            u32::try_from(h)
                                .map_err(|_| problem(not_a("户数", "a household count", v)))?,
                        );
                    }
                    Fact::BuiltYear => {
                        let y = cell_int(v).map_err(problem)?;
                        if !(1800..=2200).contains(&y) {
                            return Err(problem(not_a("年份", "a year", v)));
                        }
                        compound.built_year = Some(y as i16);
                    }
                    Fact::Built => compound.built = Some(cell_date(v).map_err(problem)?),
                    Fact::Status => {
                        compound.status = Some(Status::parse(v).ok_or_else(|| {
                            problem((
                                format!("“{v}”不认识；可用 弃管 | 自管 | 无物业 | 有物业（或 abandoned | self_managed | unmanaged | managed）"),
                                format!("'{v}' is not known; use abandoned | self_managed | unmanaged | managed (or 弃管 | 自管 | 无物业 | 有物业)"),
                            ))
                        })?);
                    }
                    Fact::InRenovation => {
                        compound.in_renovation = Some(cell_bool(v).map_err(problem)?);
                    }
                    Fact::Signed => contract.signed = Some(cell_date(v).map_err(problem)?),
                    Fact::Entry => contract.entry = Some(cell_date(v).map_err(problem)?),
                    Fact::TermYears => {
                        let y = cell_int(v).map_err(problem)?;
                        if !(1..=100).contains(&y) {
                            return Err(problem(not_a(
                                "合同年限（1–100 年）",
                                "a term in years (1–100)",
                                v,
                            )));
                        }
                        contract.term_years = Some(y as u32);
                    }
                    Fact::TermStart => contract.term_start = Some(cell_date(v).map_err(problem)?),
                    Fact::TermEnd => contract.term_end = Some(cell_date(v).map_err(problem)?),
                    Fact::FeePerM2Month => {
                        contract.fee_per_m2_month = Some(
                            cell_decimal(v)
                                .and_then(|x| within_max(x, FEE_MAX))
                                .map_err(problem)?,
                        );
                    }
                    Fact::Ended => contract.ended = Some(cell_date(v).map_err(problem)?),
                },
                Column::Result(n, r) => {
                    let k = match results.iter().position(|x| x.period == n) {
                        Some(k) => k,
                        None => {
                            results.push(PeriodResult {
                                period: n,
                                ..PeriodResult::default()
                            });
                            results.len() - 1
                        }
                    };
                    let pr = &mut results[k];
                    match r {
                        ResultField::Score => {
                            let s = cell_decimal(v).map_err(problem)?;
                            if !within_whole(s, 0, 100) {
                                return Err(problem((
                                    format!("{s} 须在 0 至 100 之间"),
                                    format!("{s} must be 0–100"),
                                )));
                            }
                            pr.score = Some(s);
                        }
                        ResultField::Grade => {
                            pr.grade = Some(Grade::parse(v).ok_or_else(|| {
                                problem((
                                    format!("“{v}”不认识；可用 优秀 | 良好 | 合格 | 不合格"),
                                    format!("'{v}' is not known; use excellent | good | pass | fail (优秀 | 良好 | 合格 | 不合格)"),
                                ))
                            })?);
                        }
                        ResultField::EvaluationPassed => {
                            pr.evaluation_passed = Some(cell_bool(v).map_err(problem)?);
                        }
                        ResultField::ThirdPartyPassed => {
                            pr.third_party_passed = Some(cell_bool(v).map_err(problem)?);
                        }
                        ResultField::Satisfaction => {
                            pr.satisfaction =
                                Some(cell_decimal(v).and_then(share).map_err(problem)?);
                        }
                        ResultField::CollectionRate => {
                            pr.collection_rate =
                                Some(cell_decimal(v).and_then(share).map_err(problem)?);
                        }
                        ResultField::FeesTotal => {
                            pr.fees_total = Some(
                                cell_decimal(v)
                                    .and_then(|x| within_max(x, FEES_TOTAL_MAX))
                                    .map_err(problem)?,
                            );
                        }
                    }
                }
            }
        }
        // The scenario file's cross-check: a completion date in another year than built_year.
        if let (Some(y), Some(b)) = (compound.built_year, compound.built)
            && b.year() != y
        {
            let header = self.header_for_key("compound.built");
            return Err(cell_problem(
                row,
                &header,
                &format!("{b} 与建成年份 {y} 不一致"),
                &format!("{b} disagrees with the built year {y}"),
                lang,
            ));
        }
        results.sort_unstable_by_key(|r| r.period);
        Ok(RowFacts {
            id,
            name,
            compound,
            contract,
        })
    }

    /// Why the calculator refused a row, naming the row and, where the error names an input,
    /// its column.
    pub fn reason(&self, row: usize, e: &PolicyError, lang: Lang) -> String {
        let key = match e {
            PolicyError::MissingInput { key, .. } | PolicyError::BadInput { key, .. } => {
                Some(key.as_str())
            }
            _ => None,
        };
        let msg = e.message(lang);
        match key {
            Some(k) => {
                let header = self.header_for_key(k);
                cell_problem(row, &header, &msg, &msg, lang)
            }
            None => match lang {
                Lang::Zh => format!("第 {row} 行：{msg}"),
                Lang::En => format!("row {row}: {msg}"),
            },
        }
    }

    /// Reads one row and runs the calculator on it: the same [`evaluate`] as `anju subsidy`.
    /// `scratch` is reused between rows. A blank row should be filtered out before
    /// ([`Layout::is_blank`]).
    pub fn compute<'a, S: AsRef<str>>(
        &self,
        policy: &Policy,
        row: usize,
        cells: &'a [S],
        scratch: &mut Vec<PeriodResult>,
        lang: Lang,
    ) -> BatchRow<'a> {
        match self.read_row(row, cells, scratch, lang) {
            Err(reason) => {
                let text = |i: Option<usize>| -> &'a str {
                    i.and_then(|i| cells.get(i))
                        .map_or("", |c| trim(c.as_ref()))
                };
                BatchRow {
                    row,
                    id: text(self.id_col),
                    name: text(self.name_col),
                    result: Err(reason),
                }
            }
            Ok(f) => {
                let input = Input {
                    compound: f.compound,
                    contract: f.contract,
                    results: scratch,
                    carried: Default::default(),
                };
                BatchRow {
                    row,
                    id: f.id,
                    name: f.name,
                    result: evaluate(policy, &input).map_err(|e| self.reason(row, &e, lang)),
                }
            }
        }
    }

    /// The output's column headings, in `lang`.
    pub fn output_headers(&self, lang: Lang) -> Vec<String> {
        let mut h = Vec::with_capacity(7 + 2 * self.periods as usize);
        h.push(lang.pick("行号", "row").to_string());
        if self.has_id() {
            h.push(lang.pick("编号", "id").to_string());
        }
        if self.has_name() {
            h.push(lang.pick("小区名称", "name").to_string());
        }
        h.push(lang.pick("符合条件", "eligible").to_string());
        for n in 1..=self.periods {
            match lang {
                Lang::Zh => {
                    h.push(format!("第{n}期支付"));
                    h.push(format!("第{n}期预留"));
                }
                Lang::En => {
                    h.push(format!("payable_{n}"));
                    h.push(format!("retained_{n}"));
                }
            }
        }
        h.push(lang.pick("合计支付", "total_payable").to_string());
        h.push(lang.pick("合计预留", "total_retained").to_string());
        h.push(lang.pick("预留释放", "released").to_string());
        h.push(lang.pick("原因", "reason").to_string());
        h
    }

    /// One output row's cells, matching [`Layout::output_headers`]. A row that cannot be
    /// computed has empty amounts (never zeros) and its reason; a row that is not eligible
    /// has zero amounts and the conditions it fails as its reason.
    pub fn output_cells<'r>(
        &self,
        policy: &'r Policy,
        r: &'r BatchRow<'_>,
        lang: Lang,
    ) -> Vec<OutCell<'r>> {
        let mut c = Vec::with_capacity(7 + 2 * self.periods as usize);
        c.push(OutCell::Int(r.row as u64));
        if self.has_id() {
            c.push(OutCell::Text(Cow::Borrowed(r.id)));
        }
        if self.has_name() {
            c.push(OutCell::Text(Cow::Borrowed(r.name)));
        }
        match &r.result {
            Err(reason) => {
                c.push(OutCell::Empty);
                for _ in 0..self.periods {
                    c.push(OutCell::Empty);
                    c.push(OutCell::Empty);
                }
                c.extend([OutCell::Empty, OutCell::Empty, OutCell::Empty]);
                c.push(OutCell::Text(Cow::Borrowed(reason.as_str())));
            }
            Ok(o) => {
                c.push(OutCell::Text(Cow::Borrowed(yes_no(o.eligible, lang))));
                for k in 0..self.periods as usize {
                    match o.periods.get(k) {
                        Some(p) => {
                            c.push(OutCell::Money(p.payable));
                            c.push(OutCell::Money(p.retained));
                        }
                        // Not eligible: nothing is paid in any period.
                        None if !o.eligible => {
                            c.push(OutCell::Money(Fen::ZERO));
                            c.push(OutCell::Money(Fen::ZERO));
                        }
                        // The contract has fewer periods than the output shows.
                        None => c.extend([OutCell::Empty, OutCell::Empty]),
                    }
                }
                let retained: Fen = o.periods.iter().map(|p| p.retained).sum();
                let released = o.release.map_or(Fen::ZERO, |r| r.released);
                c.push(OutCell::Money(o.total_payable));
                c.push(OutCell::Money(retained));
                c.push(OutCell::Money(released));
                let note = note(policy, o, self.periods, lang);
                c.push(if note.is_empty() {
                    OutCell::Empty
                } else {
                    OutCell::Text(Cow::Owned(note))
                });
            }
        }
        c
    }

    /// Appends one output row to `out` as a CSV line (RFC 4180, `\n`), amounts as `38400.00`:
    /// the cells of [`Layout::output_cells`] as [`write_csv_cells`] writes them, byte for byte,
    /// without building them first (the batch writes a million of these).
    pub fn write_csv_row(&self, policy: &Policy, r: &BatchRow<'_>, lang: Lang, out: &mut Vec<u8>) {
        push_u64(r.row as u64, out);
        if self.has_id() {
            out.push(b',');
            write_csv_text(r.id, out);
        }
        if self.has_name() {
            out.push(b',');
            write_csv_text(r.name, out);
        }
        match &r.result {
            Err(reason) => {
                // Eligible, every period's two amounts and the three totals are empty.
                for _ in 0..(1 + 2 * self.periods as usize + 3) {
                    out.push(b',');
                }
                out.push(b',');
                write_csv_text(reason, out);
            }
            Ok(o) => {
                out.push(b',');
                write_csv_text(yes_no(o.eligible, lang), out);
                for k in 0..self.periods as usize {
                    match o.periods.get(k) {
                        Some(p) => {
                            out.push(b',');
                            write_fen(p.payable, out);
                            out.push(b',');
                            write_fen(p.retained, out);
                        }
                        None if !o.eligible => out.extend_from_slice(b",0.00,0.00"),
                        None => out.extend_from_slice(b",,"),
                    }
                }
                let retained: Fen = o.periods.iter().map(|p| p.retained).sum();
                let released = o.release.map_or(Fen::ZERO, |r| r.released);
                for f in [o.total_payable, retained, released] {
                    out.push(b',');
                    write_fen(f, out);
                }
                out.push(b',');
                write_csv_text(&note(policy, o, self.periods, lang), out);
            }
        }
        out.push(b'\n');
    }
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// The reason column of a row that was computed: the conditions a row fails when it is not
/// eligible; periods beyond the columns shown (their amounts are in the totals); else empty.
fn note(policy: &Policy, o: &Outcome, shown: u32, lang: Lang) -> String {
    if !o.eligible {
        let failed: Vec<&str> = o
            .checks
            .iter()
            .filter(|c| !c.passed)
            .filter_map(|c| policy.file.eligibility.get(c.condition))
            .map(|c| lang.pick(&c.text, &c.text_en))
            .collect();
        return match lang {
            Lang::Zh => format!("不符合补贴条件：{}", failed.join("；")),
            Lang::En => format!("not eligible: {}", failed.join("; ")),
        };
    }
    let n = o.periods.len();
    if n > shown as usize {
        return match lang {
            Lang::Zh => format!(
                "共 {n} 期，第 {} 至 {n} 期未单列，金额已计入合计",
                shown + 1
            ),
            Lang::En => format!(
                "{n} periods; periods {} to {n} are not shown one by one, their amounts are in the totals",
                shown + 1
            ),
        };
    }
    String::new()
}

/// The explanation lines of one output row: the eligibility, every period, the total (or the
/// reason the row cannot be computed).
pub fn explanation(policy: &Policy, r: &BatchRow<'_>, lang: Lang) -> Vec<String> {
    match &r.result {
        Err(reason) => vec![reason.clone()],
        Ok(o) => {
            let mut lines = explain::eligibility_lines(policy, o, lang);
            if o.eligible {
                for p in &o.periods {
                    lines.extend(explain::period_lines(policy, o, p, lang));
                }
                lines.extend(explain::total_lines(policy, o, lang));
            } else {
                lines.push(lang.pick("→ 不符合补贴条件", "→ not eligible").to_string());
            }
            lines
        }
    }
}

/// Writes the digits of `n` into `buf` from `at`; returns where they end.
fn digits_into(n: u64, buf: &mut [u8; 24], at: usize) -> usize {
    let end = at + n.checked_ilog10().map_or(1, |l| l as usize + 1);
    let (mut n, mut i) = (n, end);
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return end;
        }
    }
}

/// Appends `buf[..len]`: the whole buffer is copied and the rest cut off again, a copy of a
/// known size that needs no call to `memcpy` (a million rows have ten numbers each).
fn push_buf(buf: &[u8; 24], len: usize, out: &mut Vec<u8>) {
    let at = out.len();
    out.extend_from_slice(buf);
    out.truncate(at + len);
}

/// Appends the digits of `n`.
fn push_u64(n: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 24];
    let len = digits_into(n, &mut buf, 0);
    push_buf(&buf, len, out);
}

/// Writes `38400.00` for 3,840,000 fen.
fn write_fen(f: Fen, out: &mut Vec<u8>) {
    let a = f.0.unsigned_abs();
    let mut buf = [0u8; 24];
    let sign = usize::from(f.0 < 0);
    buf[0] = b'-';
    // At most 17 digits of yuan (i64::MIN fen), a point and two of fen: 21 bytes.
    let end = digits_into(a / 100, &mut buf, sign);
    let c = (a % 100) as u8;
    buf[end..end + 3].copy_from_slice(&[b'.', b'0' + c / 10, b'0' + c % 10]);
    push_buf(&buf, end + 3, out);
}

/// Appends `cells` to `out` as one CSV line. Text that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@` first) gets a leading `'`.
pub fn write_csv_cells(cells: &[OutCell<'_>], out: &mut Vec<u8>) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match c {
            OutCell::Empty => {}
            OutCell::Int(n) => push_u64(*n, out),
            OutCell::Money(f) => write_fen(*f, out),
            OutCell::Text(t) => write_csv_text(t, out),
        }
    }
    out.push(b'\n');
}

/// One CSV field, quoted when it must be.
pub fn write_csv_text(t: &str, out: &mut Vec<u8>) {
    let formula = matches!(t.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@'));
    if t.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        if formula {
            out.push(b'\'');
        }
        for b in t.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        if formula {
            out.push(b'\'');
        }
        out.extend_from_slice(t.as_bytes());
    }
}

/// The result columns `policy` reads, in [`RESULT_COLUMNS`] order (for a table to fill in,
/// and the benchmark's synthetic table).
pub fn result_fields_read(policy: &Policy) -> Vec<ResultField> {
    use crate::policy::{ResultInput, Select};
    let mut inputs: Vec<ResultInput> = policy.gate.require.iter().map(|r| r.input).collect();
    if let Some(r) = &policy.retention {
        inputs.push(r.condition.input);
    }
    let needs_grade = policy.rate.select == Select::Grade || inputs.contains(&ResultInput::Grade);
    let mut out = Vec::new();
    for (f, ..) in RESULT_COLUMNS {
        let read = match f {
            ResultField::Score => {
                policy.gate.factor_table.is_some()
                    || (needs_grade && policy.gate.grade_table.is_some())
                    || inputs.contains(&ResultInput::Score)
            }
            ResultField::Grade => needs_grade && policy.gate.grade_table.is_none(),
            ResultField::EvaluationPassed => inputs.contains(&ResultInput::EvaluationPassed),
            ResultField::ThirdPartyPassed => inputs.contains(&ResultInput::ThirdPartyPassed),
            ResultField::Satisfaction => inputs.contains(&ResultInput::Satisfaction),
            ResultField::CollectionRate => inputs.contains(&ResultInput::CollectionRate),
            ResultField::FeesTotal => false,
        };
        if read {
            out.push(*f);
        }
    }
    out
}

/// Writes a synthetic input table of `n` compounds for `policy` as CSV (UTF-8, canonical
/// headers), from [`crate::synthetic`]: the benchmark's input.
pub fn write_synthetic_csv<W: std::io::Write>(
    policy: &Policy,
    n: usize,
    seed: u64,
    out: &mut W,
) -> std::io::Result<()> {
    use crate::synthetic::{Rng, compound, periods_for_three_years, pool_for};
    let pool = pool_for(policy, seed);
    let periods = periods_for_three_years(policy);
    let fields = result_fields_read(policy);
    let mut line = Vec::with_capacity(256);
    line.extend_from_slice(
        b"id,name,area_m2,households,built_year,built,status,in_renovation,signed,entry,term_years,fee_per_m2_month",
    );
    for k in 1..=periods {
        for f in &fields {
            let _ = write!(line, ",{}_{k}", f.key());
        }
    }
    line.push(b'\n');
    out.write_all(&line)?;
    let mut rng = Rng::new(seed);
    let opt = |line: &mut Vec<u8>, v: Option<String>| {
        line.push(b',');
        if let Some(v) = v {
            line.extend_from_slice(v.as_bytes());
        }
    };
    for i in 0..n {
        line.clear();
        let (c, k) = compound(policy, &mut rng);
        let _ = write!(line, "C{:07},合成小区{:07}", i + 1, i + 1);
        opt(&mut line, c.area_m2.map(|a| a.to_string()));
        opt(&mut line, c.households.map(|h| h.to_string()));
        opt(&mut line, c.built_year.map(|y| y.to_string()));
        opt(&mut line, c.built.map(|d| d.to_string()));
        opt(&mut line, c.status.map(|s| s.zh().to_string()));
        opt(
            &mut line,
            c.in_renovation
                .map(|b| if b { "是" } else { "否" }.to_string()),
        );
        opt(&mut line, k.signed.map(|d| d.to_string()));
        opt(&mut line, k.entry.map(|d| d.to_string()));
        opt(&mut line, k.term_years.map(|y| y.to_string()));
        opt(&mut line, k.fee_per_m2_month.map(|f| f.to_string()));
        for r in pool.set(i) {
            for f in &fields {
                let v = match f {
                    ResultField::Score => r.score.map(|x| x.to_string()),
                    ResultField::Grade => r.grade.map(|g| g.zh().to_string()),
                    ResultField::EvaluationPassed => r.evaluation_passed.map(|b| b.to_string()),
                    ResultField::ThirdPartyPassed => r.third_party_passed.map(|b| b.to_string()),
                    ResultField::Satisfaction => r.satisfaction.map(|x| x.to_string()),
                    ResultField::CollectionRate => r.collection_rate.map(|x| x.to_string()),
                    ResultField::FeesTotal => r.fees_total.map(|x| x.to_string()),
                };
                opt(&mut line, v);
            }
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_both_languages() {
        let c = |h| match_header(h);
        assert_eq!(c("area_m2"), Some(Column::Fact(Fact::AreaM2)));
        assert_eq!(c("compound.area_m2"), Some(Column::Fact(Fact::AreaM2)));
        assert_eq!(c("建筑面积（㎡）"), Some(Column::Fact(Fact::AreaM2)));
        assert_eq!(c(" 签约日期 "), Some(Column::Fact(Fact::Signed)));
        assert_eq!(c("Score_2"), Some(Column::Result(2, ResultField::Score)));
        assert_eq!(
            c("results[period=3].collection_rate"),
            Some(Column::Result(3, ResultField::CollectionRate))
        );
        assert_eq!(c("第1期评分"), Some(Column::Result(1, ResultField::Score)));
        assert_eq!(
            c("第3年物业费收缴率"),
            Some(Column::Result(3, ResultField::CollectionRate))
        );
        assert_eq!(
            c("收缴率_2"),
            Some(Column::Result(2, ResultField::CollectionRate))
        );
        assert_eq!(c("score_0"), None);
        assert_eq!(c("scroe_1"), None);
        assert_eq!(c("面积2"), None);
    }

    #[test]
    fn cells() {
        assert_eq!(cell_decimal("8,000.50"), Ok(Decimal::new(800050, 2)));
        assert_eq!(cell_decimal("85%"), Ok(Decimal::new(85, 2)));
        assert!(cell_decimal("8,00").is_err());
        assert!(cell_decimal("abc").is_err());
        assert_eq!(cell_date("2022/9/1").ok(), Date::new(2022, 9, 1).ok());
        assert_eq!(cell_date("2022年9月1日").ok(), Date::new(2022, 9, 1).ok());
        assert_eq!(cell_date("2022-09-01").ok(), Date::new(2022, 9, 1).ok());
        assert!(cell_date("9/1/2022").is_err());
        assert!(cell_date("2022-02-30").is_err());
        for t in [
            "0",
            "8000",
            "0.85",
            "0.850",
            "-1.5",
            "16394.28",
            "007",
            "123456789012345678",
        ] {
            let want: Decimal = t.parse().expect("decimal");
            let got = plain_decimal(t).expect(t);
            assert_eq!(
                (got.mantissa(), got.scale()),
                (want.mantissa(), want.scale()),
                "{t}"
            );
        }
        for t in [
            "",
            "-",
            ".",
            "5.",
            ".5",
            "1e3",
            "1.2.3",
            "+1",
            "1234567890123456789",
        ] {
            assert_eq!(plain_decimal(t), None, "{t}");
        }
        assert_eq!(cell_decimal(".5"), Ok(Decimal::new(5, 1)));
        assert_eq!(cell_int("96"), Ok(96));
        assert!(cell_int("96.5").is_err());
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn trim_is_str_trim() {
        for t in [
            "",
            " ",
            "8000",
            " 8000",
            "8000\t",
            "合成小区",
            "\u{3000}弃管",
            "是\u{3000}",
            "\u{a0}x",
            "x\u{a0}",
            "\u{2028}",
            "é",
            "\u{feff}x",
            "a b",
            "\r\n",
            "\u{85}y",
            "是",
            "管",
            "€",
        ] {
            assert_eq!(trim(t), t.trim(), "{t:?}");
        }
        // Every character of the Basic Multilingual Plane at either end, alone and around a word.
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            for t in [
                format!("{c}"),
                format!("{c}x"),
                format!("x{c}"),
                format!("{c}是{c}"),
            ] {
                assert_eq!(trim(&t), t.trim(), "{t:?}");
            }
        }
    }

    #[test]
    fn whole_number_bounds_agree_with_decimal() {
        let values = [
            "0",
            "-0",
            "0.000",
            "-0.0",
            "1",
            "1.0",
            "1.0000000000000000000000000001",
            "0.99",
            "-1",
            "100",
            "100.00",
            "100.01",
            "99.999",
            "-0.0000001",
            "10000000",
            "10000000.01",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "100000000000",
            "100000000000.5",
            "7.9228162514264337593543950335",
        ];
        let bounds = [
            0,
            1,
            100,
            AREA_MAX_M2,
            FEE_MAX,
            FEES_TOTAL_MAX,
            -5,
            i64::MAX,
            i64::MIN,
        ];
        for v in values {
            let x: Decimal = v.parse().expect(v);
            for n in bounds {
                assert_eq!(cmp_whole(x, n), x.cmp(&Decimal::from(n)), "{v} vs {n}");
            }
        }
    }

    /// The row writer against the cells it stands for: every shipped policy's synthetic rows,
    /// rows that cannot be computed, text to quote, and layouts showing fewer periods.
    #[test]
    fn csv_row_writer_matches_output_cells() {
        // Rows seen: cannot be computed, not eligible, more periods than shown, fewer.
        let mut seen = [0usize; 4];
        for (id, _) in crate::SHIPPED {
            let policy = crate::shipped_policy(id).expect(id);
            let mut csv = Vec::new();
            write_synthetic_csv(&policy, 300, 7, &mut csv).expect("csv");
            let text = String::from_utf8(csv).expect("utf-8");
            let mut lines = text.lines();
            let header: Vec<&str> = lines.next().expect("header").split(',').collect();
            let mut rows: Vec<Vec<String>> = lines
                .map(|l| l.split(',').map(str::to_string).collect())
                .collect();
            // Rows that cannot be computed, and text a CSV must quote or defuse.
            let odd = [
                (2, "-5"),
                (2, "abc"),
                (8, "2022-02-30"),
                (0, "=1,\"x\""),
                (1, "名,称"),
                (1, "-负"),
            ];
            for (k, (col, v)) in odd.iter().enumerate() {
                rows[k][*col] = (*v).to_string();
            }
            rows[6].truncate(8);
            // All the columns, and only the first period's (fewer periods shown).
            let first: Vec<usize> = (0..header.len())
                .filter(
                    |&i| !matches!(match_header(header[i]), Some(Column::Result(n, _)) if n > 1),
                )
                .collect();
            let all: Vec<usize> = (0..header.len()).collect();
            for (keep, shown) in [(&all, None), (&first, None), (&all, Some(1))] {
                let head: Vec<&str> = keep.iter().map(|&i| header[i]).collect();
                let mut layout = Layout::from_headers(&head, 1, &policy).expect("headers");
                if let Some(n) = shown {
                    layout.periods = n;
                }
                let mut scratch = Vec::new();
                for lang in [Lang::Zh, Lang::En] {
                    for (n, row) in rows.iter().enumerate() {
                        let cells: Vec<&str> = keep
                            .iter()
                            .map(|&i| row.get(i).map_or("", String::as_str))
                            .collect();
                        let r = layout.compute(&policy, n + 2, &cells, &mut scratch, lang);
                        match &r.result {
                            Err(_) => seen[0] += 1,
                            Ok(o) if !o.eligible => seen[1] += 1,
                            Ok(o) if o.periods.len() > layout.periods() as usize => seen[2] += 1,
                            Ok(o) if o.periods.len() < layout.periods() as usize => seen[3] += 1,
                            Ok(_) => {}
                        }
                        let mut fast = Vec::new();
                        layout.write_csv_row(&policy, &r, lang, &mut fast);
                        let mut slow = Vec::new();
                        write_csv_cells(&layout.output_cells(&policy, &r, lang), &mut slow);
                        assert_eq!(
                            String::from_utf8_lossy(&fast),
                            String::from_utf8_lossy(&slow),
                            "{id}, row {n}"
                        );
                    }
                }
            }
        }
        assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
        for n in [0, 1, 9, 10, 99, 100, 12_345, u64::MAX] {
            let mut out = b"x".to_vec();
            push_u64(n, &mut out);
            assert_eq!(String::from_utf8_lossy(&out), format!("x{n}"));
        }
        for f in [
            0,
            5,
            -5,
            100,
            -100,
            3_840_000,
            -3_840_001,
            i64::MAX,
            i64::MIN,
        ] {
            let mut out = Vec::new();
            write_fen(Fen(f), &mut out);
            let sign = if f < 0 { "-" } else { "" };
            let a = f.unsigned_abs();
            assert_eq!(
                String::from_utf8_lossy(&out),
                format!("{sign}{}.{:02}", a / 100, a % 100)
            );
        }
    }

    #[test]
    fn csv_quoting() {
        let mut out = Vec::new();
        write_csv_cells(
            &[
                OutCell::Text("a,b".into()),
                OutCell::Money(Fen(3_840_000)),
                OutCell::Empty,
                OutCell::Text("=1+1".into()),
                OutCell::Text("说\"明".into()),
            ],
            &mut out,
        );
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\"a,b\",38400.00,,'=1+1,\"说\"\"明\"\n"
        );
    }
}
