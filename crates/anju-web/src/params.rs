//! Query strings as typed structs: each route declares what it reads (`?compound_id=3&status=open`)
//! as a `Deserialize` struct, and [`params`] parses it, blank values as absent, a wrong value
//! refused in words that name the parameter (422 `bad_request`), never a map of strings read ad
//! hoc. The field helpers ([`opt`], [`code`], [`flag`]) give the messages: serde's own
//! ("invalid digit found in string") are English and name no parameter.

use crate::WebError;
use anju_core::Lang;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use std::fmt::Display;
use std::str::FromStr;

/// The query string `raw` (without `?`) as `T`.
pub fn params<T: DeserializeOwned>(raw: Option<&str>, l: Lang) -> Result<T, WebError> {
    let raw = raw.unwrap_or("");
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let name = e.path().to_string();
        let inner = e.into_inner().to_string();
        let (zh, en) = inner.split_once(" | ").unwrap_or((&inner, &inner));
        WebError::BadRequest(match l {
            Lang::Zh => format!("参数 {name}：{zh}"),
            Lang::En => format!("parameter {name}: {en}"),
        })
    })
}

/// What a value of `T` looks like, for a message.
fn kind<T>() -> (&'static str, &'static str) {
    let name = std::any::type_name::<T>();
    if name.ends_with("Date") {
        ("应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
    } else if name.starts_with('i') || name.starts_with('u') {
        ("应为整数", "must be a whole number")
    } else {
        ("格式不对", "is not valid")
    }
}

/// An optional parameter parsed by `FromStr`; blank is absent.
pub fn opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    let v = Option::<String>::deserialize(d)?;
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            let (zh, en) = kind::<T>();
            D::Error::custom(format!("{zh}：“{v}” | {en}: '{v}'"))
        }),
    }
}

/// An optional text; blank is absent.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<String>::deserialize(d)?;
    Ok(v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()))
}

/// An optional code of an enum (`open`, `hotline_12345`); blank is absent.
pub fn code<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Option::<String>::deserialize(d)?;
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => serde_json::from_value(serde_json::Value::String(v.to_string()))
            .map(Some)
            .map_err(|_| D::Error::custom(format!("不认识“{v}” | unknown value '{v}'"))),
    }
}

/// A yes/no parameter: `true`/`1`/`yes` is yes, absent or blank no.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = Option::<String>::deserialize(d)?;
    match v.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(v) => Err(D::Error::custom(format!(
            "应为 true 或 false：“{v}” | must be true or false: '{v}'"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(default)]
    struct Q {
        #[serde(deserialize_with = "opt")]
        compound_id: Option<i64>,
        #[serde(deserialize_with = "opt")]
        as_of: Option<jiff::civil::Date>,
        #[serde(deserialize_with = "text")]
        street: Option<String>,
        #[serde(deserialize_with = "code")]
        status: Option<anju_core::task::TaskStatus>,
        #[serde(deserialize_with = "flag")]
        overdue: bool,
    }

    fn message(e: WebError) -> String {
        match e {
            WebError::BadRequest(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn blank_is_absent_and_values_are_typed() {
        let q: Q = params(Some("compound_id=&street=%20&status="), Lang::Zh).expect("q");
        assert_eq!(q, Q::default());
        let q: Q = params(
            Some("compound_id=7&as_of=2026-11-30&street=东关街道&status=open&overdue=true"),
            Lang::Zh,
        )
        .expect("q");
        assert_eq!(q.compound_id, Some(7));
        assert_eq!(q.as_of, Some(jiff::civil::date(2026, 11, 30)));
        assert_eq!(q.street.as_deref(), Some("东关街道"));
        assert_eq!(q.status, Some(anju_core::task::TaskStatus::Open));
        assert!(q.overdue);
        let q: Q = params(None, Lang::Zh).expect("none");
        assert_eq!(q, Q::default());
    }

    #[test]
    fn a_wrong_value_is_refused_naming_the_parameter_in_words() {
        let m = message(params::<Q>(Some("compound_id=abc"), Lang::Zh).expect_err("int"));
        assert_eq!(m, "参数 compound_id：应为整数：“abc”");
        let m = message(params::<Q>(Some("as_of=30/11"), Lang::En).expect_err("date"));
        assert_eq!(m, "parameter as_of: must be a date YYYY-MM-DD: '30/11'");
        let m = message(params::<Q>(Some("status=later"), Lang::Zh).expect_err("code"));
        assert_eq!(m, "参数 status：不认识“later”");
        let m = message(params::<Q>(Some("overdue=maybe"), Lang::Zh).expect_err("flag"));
        assert!(m.starts_with("参数 overdue：应为 true 或 false"), "{m}");
    }
}
