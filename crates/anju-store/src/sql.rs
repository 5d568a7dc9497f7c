//! Small SQL helpers shared by the modules: bind values, multi-row VALUES, clocks.

use crate::{Result, StoreError};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row};

/// One bind value. The Any driver needs typed NULLs, so a missing integer and a missing text are
/// different values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Val {
    pub(crate) fn int(v: i64) -> Val {
        Val::Int(Some(v))
    }
    pub(crate) fn text(s: impl Into<String>) -> Val {
        Val::Text(Some(s.into()))
    }
    pub(crate) fn flag(b: bool) -> Val {
        Val::Int(Some(i64::from(b)))
    }
}

pub(crate) fn bind_all<'q>(
    mut q: Query<'q, Any, AnyArguments>,
    vals: impl IntoIterator<Item = Val>,
) -> Query<'q, Any, AnyArguments> {
    for v in vals {
        q = match v {
            Val::Int(i) => q.bind(i),
            Val::Text(t) => q.bind(t),
        };
    }
    q
}

/// A runtime query over a string we built ourselves from constants and `$n` placeholders (never
/// from user input: values are always bound).
pub(crate) fn dyn_query(sql: String) -> Query<'static, Any, AnyArguments> {
    sqlx::query(AssertSqlSafe(sql))
}

/// Writes placeholders in the order they appear in the SQL text: `$1, $2, …` on PostgreSQL,
/// `?` on SQLite. Why not `$n` on SQLite too: sqlx binds a named SQLite parameter by looking up
/// its name, and SQLite's lookup is linear, so a 20,000-parameter batch costs 20,000² steps
/// (two minutes for 100,000 rows instead of a second). Every placeholder of a statement must come
/// from one `Ph`, and values must be bound in text order.
pub(crate) struct Ph {
    numbered: bool,
    n: usize,
}

impl Ph {
    pub(crate) fn for_conn(conn: &AnyConnection) -> Ph {
        Ph {
            numbered: conn.backend_name() != "SQLite",
            n: 0,
        }
    }

    #[cfg(test)]
    fn numbered() -> Ph {
        Ph {
            numbered: true,
            n: 0,
        }
    }

    /// The next placeholder.
    pub(crate) fn one(&mut self) -> String {
        self.n += 1;
        if self.numbered {
            format!("${}", self.n)
        } else {
            "?".to_string()
        }
    }

    /// `p, p, p` for an IN list of `n` values.
    pub(crate) fn list(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n * 7);
        for i in 0..n {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&self.one());
        }
        s
    }

    /// `(p, p), (p, p)` for `rows` rows of `cols` values.
    pub(crate) fn rows(&mut self, rows: usize, cols: usize) -> String {
        let mut s = String::with_capacity(rows * (cols * 7 + 4));
        for r in 0..rows {
            if r > 0 {
                s.push_str(", ");
            }
            s.push('(');
            s.push_str(&self.list(cols));
            s.push(')');
        }
        s
    }
}

/// The JSON functions that differ between the engines.
pub(crate) struct JsonSql {
    /// Builds an array from values.
    pub arr: &'static str,
    /// Aggregates rows into one array (NULL on PostgreSQL when there are no rows).
    pub agg: &'static str,
    /// Makes the result TEXT.
    pub cast: &'static str,
}

impl JsonSql {
    pub(crate) fn for_conn(conn: &AnyConnection) -> JsonSql {
        if conn.backend_name() == "SQLite" {
            JsonSql {
                arr: "json_array",
                agg: "json_group_array",
                cast: "",
            }
        } else {
            JsonSql {
                arr: "json_build_array",
                agg: "json_agg",
                cast: "::text",
            }
        }
    }
}

/// How many rows of `cols` bind values fit in one statement. SQLite allows 32,766 variables,
/// PostgreSQL 65,535; we stay well under both and cap at 500 rows so statements stay cacheable.
pub(crate) fn rows_per_statement(cols: usize) -> usize {
    (30_000 / cols.max(1)).clamp(1, 500)
}

/// Now, as stored: RFC 3339 UTC with fixed microsecond precision, so text order is time order.
pub(crate) fn now_ts() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// Today in China (UTC+8, no daylight saving): the default date of a change.
pub(crate) fn today_cn() -> jiff::civil::Date {
    let offset = jiff::tz::Offset::constant(8);
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(offset))
        .date()
}

pub(crate) fn date_text(d: jiff::civil::Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(s: &str) -> Result<jiff::civil::Date> {
    s.parse::<jiff::civil::Date>()
        .map_err(|e| StoreError::Corrupt(format!("日期 '{s}' 无法解析：{e}")))
}

/// Reads the columns of a row in order, so that the column lists stay next to their SELECTs.
pub(crate) struct Cols<'r> {
    row: &'r AnyRow,
    i: usize,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(row: &'r AnyRow) -> Cols<'r> {
        Cols { row, i: 0 }
    }
    /// Reading from column `i` on (after leading columns read otherwise).
    pub(crate) fn from(row: &'r AnyRow, i: usize) -> Cols<'r> {
        Cols { row, i }
    }
    fn idx(&mut self) -> usize {
        let i = self.i;
        self.i += 1;
        i
    }
    pub(crate) fn i64(&mut self) -> Result<i64> {
        let i = self.idx();
        Ok(self.row.try_get::<i64, _>(i)?)
    }
    pub(crate) fn opt_i64(&mut self) -> Result<Option<i64>> {
        let i = self.idx();
        Ok(self.row.try_get::<Option<i64>, _>(i)?)
    }
    pub(crate) fn string(&mut self) -> Result<String> {
        let i = self.idx();
        Ok(self.row.try_get::<String, _>(i)?)
    }
    pub(crate) fn opt_string(&mut self) -> Result<Option<String>> {
        let i = self.idx();
        Ok(self.row.try_get::<Option<String>, _>(i)?)
    }
    pub(crate) fn flag(&mut self) -> Result<bool> {
        Ok(self.i64()? != 0)
    }
    pub(crate) fn opt_u32(&mut self) -> Result<Option<u32>> {
        self.opt_i64()?
            .map(|v| {
                u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("数值 {v} 超出范围")))
            })
            .transpose()
    }
    pub(crate) fn u32(&mut self) -> Result<u32> {
        let v = self.i64()?;
        u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("数值 {v} 超出范围")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        let mut ph = Ph::numbered();
        assert_eq!(ph.rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(ph.one(), "$7");
        assert_eq!(ph.list(2), "$8, $9");
        let mut q = Ph {
            numbered: false,
            n: 0,
        };
        assert_eq!(q.rows(1, 2), "(?, ?)");
        assert_eq!(rows_per_statement(40), 500);
        assert_eq!(rows_per_statement(100), 300);
    }

    #[test]
    fn timestamps_sort_as_text() {
        let t = now_ts();
        assert_eq!(t.len(), "2024-01-01T00:00:00.000000Z".len(), "{t}");
        assert!(t.ends_with('Z'));
        assert_eq!(date_text(jiff::civil::date(2022, 3, 5)), "2022-03-05");
    }
}
