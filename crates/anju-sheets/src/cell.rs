//! One cell as any of the three readers give it, borrowing text where the reader allows, and
//! the conversions from a cell to the domain's values.

use anju_core::{Area, area::AreaError};
use calamine::{Data, DataRef};
use rust_decimal::Decimal;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Val<'a> {
    #[default]
    Empty,
    Text(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A cell formatted as a date: (year, month, day).
    Date(i32, u8, u8),
    /// An Excel error value such as "#REF!".
    Error(String),
}

impl<'a> Val<'a> {
    pub(crate) fn from_data(d: &'a Data) -> Val<'a> {
        match d {
            Data::Empty => Val::Empty,
            Data::String(s) => Val::Text(Cow::Borrowed(s)),
            Data::Int(i) => Val::Int(*i),
            Data::Float(f) => Val::Float(*f),
            Data::Bool(b) => Val::Bool(*b),
            Data::DateTime(dt) if dt.is_datetime() => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Val::Date(i32::from(y), m, d)
            }
            Data::DateTime(dt) => Val::Float(dt.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Val::Text(Cow::Borrowed(s)),
            Data::Error(e) => Val::Error(e.to_string()),
        }
    }

    pub(crate) fn from_data_ref(d: &DataRef<'a>) -> Val<'a> {
        match d {
            DataRef::Empty => Val::Empty,
            DataRef::SharedString(s) => Val::Text(Cow::Borrowed(s)),
            DataRef::String(s) => Val::Text(Cow::Owned(s.clone())),
            DataRef::Int(i) => Val::Int(*i),
            DataRef::Float(f) => Val::Float(*f),
            DataRef::Bool(b) => Val::Bool(*b),
            DataRef::DateTime(dt) if dt.is_datetime() => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Val::Date(i32::from(y), m, d)
            }
            DataRef::DateTime(dt) => Val::Float(dt.as_f64()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Val::Text(Cow::Owned(s.clone())),
            DataRef::Error(e) => Val::Error(e.to_string()),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Val::Empty => true,
            Val::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, trimmed; numbers as they would show without formatting. `None` when
    /// empty.
    pub(crate) fn text(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Val::Empty => return None,
            Val::Text(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return None;
                }
                Cow::Borrowed(t)
            }
            Val::Int(i) => Cow::Owned(i.to_string()),
            Val::Float(f) => Cow::Owned(fmt_float(*f)),
            Val::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
            Val::Date(y, m, d) => Cow::Owned(format!("{y:04}-{m:02}-{d:02}")),
            Val::Error(e) => Cow::Borrowed(e.as_str()),
        })
    }

    /// What a problem report shows as the cell's value.
    pub(crate) fn shown(&self) -> String {
        self.text().map(Cow::into_owned).unwrap_or_default()
    }
}

/// 12.0 → "12"; 12.5 → "12.5" (the shortest form that reads back to the same float).
pub(crate) fn fmt_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Why a cell does not hold the value its column wants: (Chinese, English).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reason {
    pub zh: String,
    pub en: String,
}

impl Reason {
    pub(crate) fn new(zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason {
            zh: zh.into(),
            en: en.into(),
        }
    }
    fn not_a_number() -> Reason {
        Reason::new("不是数字", "is not a number")
    }
    fn error_cell(e: &str) -> Reason {
        Reason::new(
            format!("单元格是错误值 {e}"),
            format!("the cell holds the error value {e}"),
        )
    }
}

/// A count (楼栋数, 户数, facilities): a whole number ≥ 0. Accepts 12, 12.0, "12", "1,200",
/// "12栋"; rejects 12.5, -1 and text.
pub(crate) fn count(v: &Val<'_>) -> Result<Option<u32>, Reason> {
    let n: f64 = match v {
        Val::Empty => return Ok(None),
        Val::Int(i) => *i as f64,
        Val::Float(f) => *f,
        Val::Text(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let t = t
                .trim_end_matches([
                    '栋', '幢', '户', '个', '处', '间', '座', '台', '套', '辆', '块',
                ])
                .trim();
            let t: String = t.chars().filter(|c| *c != ',' && *c != '，').collect();
            match t.parse::<f64>() {
                Ok(f) if f.is_finite() => f,
                _ => return Err(Reason::not_a_number()),
            }
        }
        Val::Error(e) => return Err(Reason::error_cell(e)),
        Val::Bool(_) | Val::Date(..) => return Err(Reason::not_a_number()),
    };
    if n < 0.0 {
        return Err(Reason::new("不能为负数", "cannot be negative"));
    }
    if n.fract() != 0.0 {
        return Err(Reason::new("应为整数", "must be a whole number"));
    }
    if n > f64::from(u32::MAX) {
        return Err(Reason::new("数值过大", "is too large"));
    }
    Ok(Some(n as u32))
}

/// An area in ㎡ (Area::parse rules). A float within a millionth of a cent of a two-decimal
/// value is taken as that value: Excel's sums and formulas leave such noise
/// (0.1 + 0.2 = 0.30000000000000004) and an official cannot see it.
pub(crate) fn area(v: &Val<'_>) -> Result<Option<Area>, Reason> {
    let r = match v {
        Val::Empty => return Ok(None),
        Val::Int(i) => Area::from_decimal(Decimal::from(*i)),
        Val::Float(f) => {
            if !f.is_finite() {
                return Err(Reason::not_a_number());
            }
            let cents = (f * 100.0).round();
            if (f * 100.0 - cents).abs() < 1e-6 && cents.abs() < 9e15 {
                Area::from_decimal(Decimal::new(cents as i64, 2))
            } else {
                Area::parse(&format!("{f}"))
            }
        }
        Val::Text(s) => {
            if s.trim().is_empty() {
                return Ok(None);
            }
            Area::parse(s)
        }
        Val::Error(e) => return Err(Reason::error_cell(e)),
        Val::Bool(_) | Val::Date(..) => return Err(Reason::not_a_number()),
    };
    r.map(Some).map_err(|e| match e {
        AreaError::NotANumber(_) => Reason::not_a_number(),
        AreaError::Negative(_) => Reason::new("面积不能为负数", "an area cannot be negative"),
        AreaError::TooPrecise(_) => {
            Reason::new("面积最多保留两位小数", "an area has at most two decimals")
        }
        AreaError::TooLarge(_) => Reason::new("面积过大", "the area is too large"),
    })
}

/// A year built: 1998, 1998.0, "1998", "1998年", "1998年5月", "1998-05-01", or a date cell;
/// 1900 ..= `current_year`.
pub(crate) fn year(v: &Val<'_>, current_year: i32) -> Result<Option<i32>, Reason> {
    let not_a_year = || {
        Reason::new(
            "不是年份（应填如 1998 或 1998年）",
            "is not a year (write it like 1998)",
        )
    };
    let y: i64 = match v {
        Val::Empty => return Ok(None),
        Val::Int(i) => *i,
        Val::Float(f) if f.fract() == 0.0 && f.abs() < 1e9 => *f as i64,
        Val::Float(_) => return Err(not_a_year()),
        Val::Date(y, ..) => i64::from(*y),
        Val::Text(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            parse_year_text(t).ok_or_else(not_a_year)?
        }
        Val::Error(e) => return Err(Reason::error_cell(e)),
        Val::Bool(_) => return Err(not_a_year()),
    };
    if y > i64::from(current_year) {
        return Err(Reason::new(
            format!("建成年份 {y} 年晚于今年（{current_year} 年）"),
            format!("year built {y} is in the future (this year is {current_year})"),
        ));
    }
    if y < 1900 {
        return Err(Reason::new(
            format!("建成年份应在 1900 年至 {current_year} 年之间"),
            format!("year built must be between 1900 and {current_year}"),
        ));
    }
    Ok(Some(y as i32))
}

/// "1998", "1998年", "1998年5月", "1998.0", "1998-05", "1998/5/1" → 1998.
fn parse_year_text(t: &str) -> Option<i64> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let y: i64 = t[..4].parse().ok()?;
    let rest = &t[4..];
    if rest.is_empty() || rest.starts_with('年') || rest == ".0" || rest == ".00" {
        return Some(y);
    }
    // A date: a separator, then a 1–2 digit month.
    let mut chars = rest.chars();
    let sep = chars.next()?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let after = chars.as_str();
    let month_digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&month_digits) {
        return None;
    }
    let month: u32 = after[..month_digits].parse().ok()?;
    (1..=12).contains(&month).then_some(y)
}

/// 是/否 columns: 是, 有, √, ✓, 已…, 1, Y, TRUE → true; 否, 无, ×, 未…, 0, N, FALSE, empty → false.
/// A party branch column may hold the branch's name ("XX小区党支部"): that means one exists.
pub(crate) fn yes_no(v: &Val<'_>) -> Result<bool, Reason> {
    let bad = || {
        Reason::new(
            "应填“是”或“否”（也可填 有/无、√/×，或留空）",
            "must be yes or no (是/否, 有/无, √/×, or empty)",
        )
    };
    match v {
        Val::Empty => Ok(false),
        Val::Bool(b) => Ok(*b),
        Val::Int(1) => Ok(true),
        Val::Int(0) => Ok(false),
        Val::Float(f) if *f == 1.0 => Ok(true),
        Val::Float(f) if *f == 0.0 => Ok(false),
        Val::Text(s) => {
            let t: String = s.split_whitespace().collect();
            match t.to_ascii_lowercase().as_str() {
                "" | "否" | "无" | "没有" | "×" | "✗" | "x" | "0" | "n" | "no" | "false" | "/"
                | "-" => Ok(false),
                "是" | "有" | "√" | "✓" | "✔" | "1" | "y" | "yes" | "true" => Ok(true),
                _ if t.starts_with('未') || t.starts_with("不") => Ok(false),
                _ if t.starts_with('已') || t.contains("党支部") || t.contains("党小组") => {
                    Ok(true)
                }
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

/// A coordinate in degrees from a number or text cell.
pub(crate) fn degrees(v: &Val<'_>) -> Result<Option<f64>, Reason> {
    match v {
        Val::Empty => Ok(None),
        Val::Int(i) => Ok(Some(*i as f64)),
        Val::Float(f) if f.is_finite() => Ok(Some(*f)),
        Val::Text(s) if s.trim().is_empty() => Ok(None),
        Val::Text(s) => match s.trim().trim_end_matches('°').parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Some(f)),
            _ => Err(Reason::not_a_number()),
        },
        Val::Error(e) => Err(Reason::error_cell(e)),
        _ => Err(Reason::not_a_number()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Val<'_> {
        Val::Text(Cow::Borrowed(s))
    }

    #[test]
    fn counts() {
        assert_eq!(count(&Val::Int(12)), Ok(Some(12)));
        assert_eq!(count(&Val::Float(12.0)), Ok(Some(12)));
        assert_eq!(count(&t(" 1,200户 ")), Ok(Some(1200)));
        assert_eq!(count(&t("")), Ok(None));
        assert!(count(&Val::Float(12.5)).is_err());
        assert!(count(&Val::Int(-1)).is_err());
        assert!(count(&t("约200")).is_err());
    }

    #[test]
    fn areas() {
        assert_eq!(
            area(&Val::Float(0.1 + 0.2)).map(|a| a.map(Area::centi)),
            Ok(Some(30))
        );
        assert_eq!(
            area(&Val::Float(12345.67)).map(|a| a.map(Area::centi)),
            Ok(Some(1_234_567))
        );
        assert_eq!(
            area(&t("8,000㎡")).map(|a| a.map(Area::centi)),
            Ok(Some(800_000))
        );
        assert!(area(&Val::Float(1.234)).is_err());
        assert_eq!(
            area(&Val::Int(-120)).map_err(|r| r.zh),
            Err("面积不能为负数".to_string())
        );
        assert_eq!(
            area(&t("约五千")).map_err(|r| r.zh),
            Err("不是数字".to_string())
        );
    }

    #[test]
    fn years() {
        for (v, y) in [
            (Val::Int(1998), 1998),
            (Val::Float(1998.0), 1998),
            (t("1998年"), 1998),
            (t("1998.0"), 1998),
            (t("1998-05-01"), 1998),
            (t("1998年5月"), 1998),
            (Val::Date(2001, 3, 4), 2001),
        ] {
            assert_eq!(year(&v, 2026), Ok(Some(y)), "{v:?}");
        }
        assert!(year(&Val::Int(2030), 2026).is_err());
        assert!(year(&Val::Int(1850), 2026).is_err());
        assert!(year(&t("九八年"), 2026).is_err());
        assert!(year(&t("1998-2000"), 2026).is_err());
        assert!(year(&Val::Float(1998.5), 2026).is_err());
    }

    #[test]
    fn yes_no_cells() {
        assert_eq!(yes_no(&t("是")), Ok(true));
        assert_eq!(yes_no(&t("√")), Ok(true));
        assert_eq!(yes_no(&t("无")), Ok(false));
        assert_eq!(yes_no(&Val::Empty), Ok(false));
        assert_eq!(yes_no(&t("未纳入")), Ok(false));
        assert_eq!(yes_no(&t("幸福小区党支部")), Ok(true));
        assert!(yes_no(&t("也许")).is_err());
    }
}
