//! Validation before the database: the rules the schemas' CHECK constraints hold, said first
//! here with the field named, so a user meets a clear 422 and never a database error.
//!
//! Written by hand rather than with `garde` or `validator`: every message must be Chinese and
//! English and start with the field's label as a person reads it (备案日期, 服务面积), which
//! those crates' English, code-keyed reports would need a translation table for; the rules
//! themselves are a dozen lines.

use crate::error::{AppError, Result};
use anju_core::Fen;
use anju_core::area::Area;
use rust_decimal::Decimal;

/// A name (小区、企业、机构、标题): at most this many characters.
pub const NAME_MAX: usize = 100;
/// A note, reason, finding or complaint: at most this many characters.
pub const NOTE_MAX: usize = 2_000;

/// The field a rule concerns: its API key and its label.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub zh: &'static str,
}

impl Field {
    pub const fn new(key: &'static str, zh: &'static str) -> Field {
        Field { key, zh }
    }

    pub fn error(
        self,
        problem_zh: impl std::fmt::Display,
        problem_en: impl std::fmt::Display,
    ) -> AppError {
        AppError::field(self.key, self.zh, problem_zh, problem_en)
    }
}

/// A required text: trimmed, not empty, at most `max` characters, no control characters
/// (a line break and a tab are allowed where `multiline`).
pub fn text(f: Field, value: &str, max: usize, multiline: bool) -> Result<String> {
    let t = value.trim();
    if t.is_empty() {
        return Err(f.error("请填写", "required"));
    }
    bounded(f, t, max, multiline)?;
    Ok(t.to_string())
}

/// An optional text: blank is `None`; otherwise as [`text`].
pub fn opt_text(
    f: Field,
    value: Option<&str>,
    max: usize,
    multiline: bool,
) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => {
            bounded(f, t, max, multiline)?;
            Ok(Some(t.to_string()))
        }
    }
}

fn bounded(f: Field, t: &str, max: usize, multiline: bool) -> Result<()> {
    let n = t.chars().count();
    if n > max {
        return Err(f.error(
            format!("最多 {max} 个字，现有 {n} 个字"),
            format!("at most {max} characters, this has {n}"),
        ));
    }
    if let Some(c) = t
        .chars()
        .find(|c| c.is_control() && !(multiline && (*c == '\n' || *c == '\t' || *c == '\r')))
    {
        return Err(f.error(
            format!("含有不可见的控制字符（U+{:04X}），请删除后重试", c as u32),
            format!("contains a control character (U+{:04X})", c as u32),
        ));
    }
    Ok(())
}

/// A count or amount that cannot be negative.
pub fn non_negative(f: Field, v: i64) -> Result<i64> {
    if v < 0 {
        return Err(f.error(
            format!("不能为负数（填写的是 {v}）"),
            format!("cannot be negative ({v})"),
        ));
    }
    Ok(v)
}

/// A count that must be at least one.
pub fn positive(f: Field, v: i64) -> Result<i64> {
    if v <= 0 {
        return Err(f.error(
            format!("须大于 0（填写的是 {v}）"),
            format!("must be greater than 0 ({v})"),
        ));
    }
    Ok(v)
}

/// Money that cannot be negative (fees, amounts paid, grants).
pub fn money(f: Field, v: Fen) -> Result<Fen> {
    if v.0 < 0 {
        return Err(f.error(
            format!("金额不能为负数（填写的是 {v} 元）"),
            format!("cannot be negative ({v} yuan)"),
        ));
    }
    Ok(v)
}

/// Money that must be more than nothing (a grant, a payment).
pub fn positive_money(f: Field, v: Fen) -> Result<Fen> {
    if v.0 <= 0 {
        return Err(f.error(
            format!("金额须大于 0（填写的是 {v} 元）"),
            format!("must be more than 0 ({v} yuan)"),
        ));
    }
    Ok(v)
}

/// An area that cannot be negative.
pub fn area(f: Field, v: Area) -> Result<Area> {
    if v.centi() < 0 {
        return Err(f.error(
            format!("面积不能为负数（填写的是 {v} ㎡）"),
            format!("cannot be negative ({v} ㎡)"),
        ));
    }
    Ok(v)
}

/// A score or points in hundredths (信用档案): not negative, at most two decimals (the store
/// keeps integer hundredths), and not above `max` when there is one.
pub fn hundredths(f: Field, v: Decimal, max: Option<Decimal>) -> Result<Decimal> {
    if v < Decimal::ZERO {
        return Err(f.error(
            format!("不能为负数（填写的是 {v}）"),
            format!("cannot be negative ({v})"),
        ));
    }
    if v.normalize().scale() > 2 {
        return Err(f.error(
            format!("最多两位小数（填写的是 {v}）"),
            format!("at most two decimals ({v})"),
        ));
    }
    if let Some(m) = max
        && v > m
    {
        return Err(f.error(
            format!("不能超过 {m}（填写的是 {v}）"),
            format!("at most {m} ({v})"),
        ));
    }
    Ok(v)
}

/// A whole number within `lo..=hi`.
pub fn within(f: Field, v: i64, lo: i64, hi: i64) -> Result<i64> {
    if v < lo || v > hi {
        return Err(f.error(
            format!("须在 {lo} 至 {hi} 之间（填写的是 {v}）"),
            format!("must be between {lo} and {hi} ({v})"),
        ));
    }
    Ok(v)
}

/// The version of the record the form or body was made from: required on every versioned
/// write. A missing or unreadable version is refused, never replaced by the current one (that
/// would silently overwrite whatever someone else saved in between).
pub fn version(value: Option<&str>) -> Result<i64> {
    let f = Field::new("version", "版本号");
    match value.map(str::trim) {
        None | Some("") => Err(f.error(
            "缺少版本号：请从页面重新打开后再提交",
            "missing: reload the record and submit again",
        )),
        Some(t) => match t.parse::<i64>() {
            Ok(v) if v >= 0 => Ok(v),
            _ => Err(f.error(
                format!("“{t}”不是有效的版本号，请从页面重新打开后再提交"),
                format!("'{t}' is not a version; reload the record and submit again"),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Field = Field::new("note", "备注");

    #[test]
    fn text_limits_name_the_field_and_the_count() {
        assert_eq!(text(F, "  好  ", 5, false).ok().as_deref(), Some("好"));
        let long = "字".repeat(101);
        let e = text(F, &long, NAME_MAX, false)
            .err()
            .map(|e| e.message(anju_core::Lang::Zh));
        assert_eq!(e.as_deref(), Some("备注：最多 100 个字，现有 101 个字"));
        assert!(text(F, &"字".repeat(100), NAME_MAX, false).is_ok());
        assert!(text(F, " ", 5, false).is_err());
        assert!(text(F, "a\u{0}b", 5, true).is_err());
        assert!(text(F, "a\nb", 5, false).is_err());
        assert!(text(F, "a\nb", 5, true).is_ok());
        assert_eq!(opt_text(F, Some("  "), 5, false).ok(), Some(None));
    }

    #[test]
    fn numbers_and_versions() {
        assert!(non_negative(F, 0).is_ok());
        assert!(non_negative(F, -1).is_err());
        assert!(positive(F, 0).is_err());
        assert!(money(F, Fen(-1)).is_err());
        assert!(positive_money(F, Fen(0)).is_err());
        assert!(within(F, 5, 1, 5).is_ok());
        assert!(within(F, 6, 1, 5).is_err());
        let d = |s: &str| s.parse::<Decimal>().ok().unwrap_or_default();
        assert!(hundredths(F, d("86.50"), Some(Decimal::ONE_HUNDRED)).is_ok());
        assert!(hundredths(F, d("100.01"), Some(Decimal::ONE_HUNDRED)).is_err());
        assert!(hundredths(F, d("1.005"), None).is_err());
        assert!(hundredths(F, d("-0.01"), None).is_err());
        assert_eq!(version(Some(" 3 ")).ok(), Some(3));
        for bad in [None, Some(""), Some("x"), Some("-2")] {
            let e = version(bad).err();
            assert_eq!(
                e.as_ref().and_then(|e| e.field_name()),
                Some("version"),
                "{bad:?}"
            );
        }
    }
}
