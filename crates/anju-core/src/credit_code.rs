//! 统一社会信用代码 (unified social credit identifier), GB 32100-2015.
//!
//! 18 characters: registration authority (1), organisation type (1), administrative division
//! code (6, digits), organisation code (9), check character (1). The alphabet is the digits and
//! the capital letters except I, O, Z, S, V. The check character is computed from the first 17
//! with weights 3^i mod 31: C18 = 31 − (Σ Ci·Wi mod 31), where 31 maps to 0.

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A validated 统一社会信用代码. A value that exists has a correct check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为18位，'{code}' 为 {len} 位")]
    Length { code: String, len: usize },
    #[error(
        "统一社会信用代码 '{code}' 第 {pos} 位 '{ch}' 不是允许的字符（数字和除 I、O、Z、S、V 以外的大写字母）"
    )]
    Character { code: String, pos: usize, ch: char },
    #[error("统一社会信用代码 '{code}' 第3—8位应为行政区划代码（数字）")]
    Division { code: String },
    #[error("统一社会信用代码 '{code}' 校验位错误：应为 '{expected}'，实为 '{actual}'")]
    Check {
        code: String,
        expected: char,
        actual: char,
    },
}

impl CreditCodeError {
    /// The same error in English.
    pub fn english(&self) -> String {
        match self {
            CreditCodeError::Length { code, len } => {
                format!("credit code '{code}' must have 18 characters, it has {len}")
            }
            CreditCodeError::Character { code, pos, ch } => format!(
                "credit code '{code}': character {pos} '{ch}' is not allowed (digits and capitals except I, O, Z, S, V)"
            ),
            CreditCodeError::Division { code } => {
                format!("credit code '{code}': characters 3–8 must be a division code (digits)")
            }
            CreditCodeError::Check {
                code,
                expected,
                actual,
            } => format!(
                "credit code '{code}': check character is '{actual}', should be '{expected}'"
            ),
        }
    }
}

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).and_then(|i| u32::try_from(i).ok())
}

/// The check character for the first 17 characters, if they are all in the alphabet.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut n = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
        n += 1;
    }
    if n != 17 {
        return None;
    }
    let v = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(v as usize)
}

impl CreditCode {
    /// Validates a code. Surrounding spaces are trimmed and lower-case letters accepted.
    pub fn parse(s: &str) -> Result<CreditCode, CreditCodeError> {
        let code: String = s.trim().to_uppercase();
        let len = code.chars().count();
        if len != 18 {
            return Err(CreditCodeError::Length { code, len });
        }
        for (i, ch) in code.chars().enumerate() {
            if value_of(ch).is_none() {
                return Err(CreditCodeError::Character {
                    code: code.clone(),
                    pos: i + 1,
                    ch,
                });
            }
        }
        if !code.chars().skip(2).take(6).all(|c| c.is_ascii_digit()) {
            return Err(CreditCodeError::Division { code });
        }
        let first17: String = code.chars().take(17).collect();
        let actual = code.chars().nth(17).unwrap_or('?');
        match check_char(&first17) {
            Some(expected) if expected == actual => Ok(CreditCode(code)),
            Some(expected) => Err(CreditCodeError::Check {
                code,
                expected,
                actual,
            }),
            None => Err(CreditCodeError::Length { code, len }),
        }
    }

    /// Makes a valid code from 17 characters by appending its check character (for demo data).
    pub fn complete(first17: &str) -> Result<CreditCode, CreditCodeError> {
        let c = check_char(first17).ok_or_else(|| CreditCodeError::Length {
            code: first17.to_string(),
            len: first17.chars().count(),
        })?;
        CreditCode::parse(&format!("{first17}{c}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}
impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}
impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes() {
        // Published codes of real organisations (check characters verified by hand).
        for ok in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91440300708461136T",
        ] {
            assert!(CreditCode::parse(ok).is_ok(), "{ok}");
        }
        assert!(matches!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::Check { expected: '3', .. })
        ));
        assert!(matches!(
            CreditCode::parse("123"),
            Err(CreditCodeError::Length { len: 3, .. })
        ));
        assert!(matches!(
            CreditCode::parse("9135010OM000100Y43"),
            Err(CreditCodeError::Character {
                pos: 8,
                ch: 'O',
                ..
            })
        ));
        assert!(CreditCode::parse(" 91350100m000100y43 ").is_ok());
    }

    #[test]
    fn complete_makes_valid_codes() {
        let c = CreditCode::complete("91150525MA0N00001").map(|c| c.to_string());
        assert!(c.is_ok());
        assert!(CreditCode::parse(&c.unwrap_or_default()).is_ok());
    }
}
