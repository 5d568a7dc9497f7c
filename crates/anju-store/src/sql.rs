//! The store's own thin layer over the engines' native drivers (`sqlx-sqlite`, `sqlx-postgres`),
//! and small SQL helpers shared by the modules: bind values, multi-row VALUES, clocks.
//!
//! Why our own layer and not sqlx's `Any` driver: `Any` copies every value of every row into
//! its own representation (at 100,000 rows that cost more than the query), and hides each
//! engine's fast paths. Why not a query builder (sea-query) or Diesel: the store's SQL is written
//! once for both engines already (the few differences go through [`JsonSql`] and [`Ph`]), and
//! what the modules need from a driver is small: run a statement with bound values on a
//! connection, a transaction or the pool, and read the row's columns. [`Sql`] does that by
//! handing the statement to the native driver of the engine at hand; [`Row`] reads a column the
//! way `Any` did (any integer width as `i64`), so the modules' code is the same on both engines.

use crate::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::query::Query;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{AssertSqlSafe, Database, Postgres, Row as _, Sqlite, Transaction};
use sqlx::{TypeInfo as _, ValueRef as _};
use std::borrow::Cow;

/// One bind value. Typed NULLs: a missing integer and a missing text are different values (the
/// engines infer a placeholder's type from what is bound).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
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

macro_rules! val_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(v: $t) -> Val {
                Val::Int(Some(i64::from(v)))
            }
        }
        impl From<Option<$t>> for Val {
            fn from(v: Option<$t>) -> Val {
                Val::Int(v.map(i64::from))
            }
        }
    )*};
}
val_from_int!(i64, i32, u32, u16, u8, i16);

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(Some(v.to_string()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(Some(v))
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::Text(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Val {
        Val::Text(v.map(str::to_string))
    }
}
impl From<Option<&String>> for Val {
    fn from(v: Option<&String>) -> Val {
        Val::Text(v.cloned())
    }
}
impl From<&Option<String>> for Val {
    fn from(v: &Option<String>) -> Val {
        Val::Text(v.clone())
    }
}

/// The connection pool: one engine's native pool.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// Which engine the pool talks to.
    pub fn engine(&self) -> crate::Engine {
        match self {
            Db::Sqlite(_) => crate::Engine::Sqlite,
            Db::Postgres(_) => crate::Engine::Postgres,
        }
    }

    /// A connection of the pool (returned to it when dropped).
    pub async fn acquire(&self) -> std::result::Result<Hold, sqlx::Error> {
        Ok(Hold(match self {
            Db::Sqlite(p) => Conn::Sqlite(Held::Pooled(p.acquire().await?)),
            Db::Postgres(p) => Conn::Postgres(Held::Pooled(p.acquire().await?)),
        }))
    }

    /// A transaction begun with `begin` (`BEGIN IMMEDIATE`, …); rolled back when dropped.
    pub(crate) async fn begin_with(
        &self,
        begin: &'static str,
    ) -> std::result::Result<Hold, sqlx::Error> {
        Ok(Hold(match self {
            Db::Sqlite(p) => Conn::Sqlite(Held::Tx(p.begin_with(begin).await?)),
            Db::Postgres(p) => Conn::Postgres(Held::Tx(p.begin_with(begin).await?)),
        }))
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// A connection of the pool, or a transaction on one: what the modules' queries run on.
pub enum Conn {
    Sqlite(Held<Sqlite>),
    Postgres(Held<Postgres>),
}

/// A pooled connection, or a transaction holding one.
pub enum Held<DB: Database> {
    Pooled(PoolConnection<DB>),
    Tx(Transaction<'static, DB>),
}

impl<DB: Database> std::ops::Deref for Held<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        match self {
            Held::Pooled(c) => c,
            Held::Tx(t) => t,
        }
    }
}

impl<DB: Database> std::ops::DerefMut for Held<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        match self {
            Held::Pooled(c) => c,
            Held::Tx(t) => t,
        }
    }
}

impl Conn {
    pub(crate) fn is_sqlite(&self) -> bool {
        matches!(self, Conn::Sqlite(_))
    }

    async fn end(self, commit: bool) -> std::result::Result<(), sqlx::Error> {
        match self {
            Conn::Sqlite(Held::Tx(t)) if commit => t.commit().await,
            Conn::Sqlite(Held::Tx(t)) => t.rollback().await,
            Conn::Postgres(Held::Tx(t)) if commit => t.commit().await,
            Conn::Postgres(Held::Tx(t)) => t.rollback().await,
            Conn::Sqlite(Held::Pooled(_)) | Conn::Postgres(Held::Pooled(_)) => Ok(()),
        }
    }
}

/// A [`Conn`] the caller owns: a pooled connection or a transaction. Derefs to the connection
/// so that `&mut hold` goes wherever a `&mut Conn` is asked for.
pub struct Hold(Conn);

impl Hold {
    /// Commits the transaction (nothing for a plain connection).
    pub(crate) async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.0.end(true).await
    }

    /// Undoes the transaction (dropping it does too).
    pub(crate) async fn rollback(self) -> std::result::Result<(), sqlx::Error> {
        self.0.end(false).await
    }
}

impl std::ops::Deref for Hold {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl std::ops::DerefMut for Hold {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// Where a statement runs: on a connection (or transaction), or on any connection of the pool.
pub enum On<'c> {
    Conn(&'c mut Conn),
    Db(&'c Db),
}

impl<'c> From<&'c mut Conn> for On<'c> {
    fn from(c: &'c mut Conn) -> On<'c> {
        On::Conn(c)
    }
}

impl<'c> From<&'c Db> for On<'c> {
    fn from(d: &'c Db) -> On<'c> {
        On::Db(d)
    }
}

impl<'c> From<&'c mut Hold> for On<'c> {
    fn from(h: &'c mut Hold) -> On<'c> {
        On::Conn(&mut h.0)
    }
}

/// What a statement did.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows
    }
}

/// A statement and its bound values, run on either engine's native driver.
#[must_use = "a statement does nothing until it is run"]
#[derive(Debug, Clone)]
pub struct Sql {
    text: Cow<'static, str>,
    args: Vec<Val>,
}

/// A statement over SQL text we wrote ourselves from constants and placeholders (never from
/// user input: values are always bound).
pub fn query(text: impl Into<Cow<'static, str>>) -> Sql {
    Sql {
        text: text.into(),
        args: Vec::new(),
    }
}

pub(crate) fn bind_all(mut q: Sql, vals: impl IntoIterator<Item = Val>) -> Sql {
    q.args.extend(vals);
    q
}

/// The statement for one engine's driver, its values bound in order.
fn native<DB: Database>(
    text: Cow<'static, str>,
    args: Vec<Val>,
) -> Query<'static, DB, DB::Arguments>
where
    for<'a> Option<i64>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut q = sqlx::query::<DB>(AssertSqlSafe(text));
    for v in args {
        q = match v {
            Val::Int(i) => q.bind(i),
            Val::Text(t) => q.bind(t),
        };
    }
    q
}

macro_rules! on_engine {
    ($self:ident, $on:ident, |$q:ident, $ex:ident| $body:expr) => {
        match $on.into() {
            On::Conn(Conn::Sqlite(c)) => {
                let $q = native::<Sqlite>($self.text, $self.args);
                let $ex = &mut **c;
                $body
            }
            On::Conn(Conn::Postgres(c)) => {
                let $q = native::<Postgres>($self.text, $self.args);
                let $ex = &mut **c;
                $body
            }
            On::Db(Db::Sqlite(p)) => {
                let $q = native::<Sqlite>($self.text, $self.args);
                let $ex = p;
                $body
            }
            On::Db(Db::Postgres(p)) => {
                let $q = native::<Postgres>($self.text, $self.args);
                let $ex = p;
                $body
            }
        }
    };
}

impl Sql {
    pub fn bind(mut self, v: impl Into<Val>) -> Sql {
        self.args.push(v.into());
        self
    }

    pub async fn execute<'c>(
        self,
        on: impl Into<On<'c>>,
    ) -> std::result::Result<Done, sqlx::Error> {
        on_engine!(self, on, |q, ex| Ok(Done {
            rows: q.execute(ex).await?.rows_affected()
        }))
    }

    pub async fn fetch_all<'c>(
        self,
        on: impl Into<On<'c>>,
    ) -> std::result::Result<Vec<Row>, sqlx::Error> {
        on_engine!(self, on, |q, ex| Ok(q
            .fetch_all(ex)
            .await?
            .into_iter()
            .map(Row::from)
            .collect()))
    }

    pub async fn fetch_one<'c>(
        self,
        on: impl Into<On<'c>>,
    ) -> std::result::Result<Row, sqlx::Error> {
        on_engine!(self, on, |q, ex| Ok(Row::from(q.fetch_one(ex).await?)))
    }

    pub async fn fetch_optional<'c>(
        self,
        on: impl Into<On<'c>>,
    ) -> std::result::Result<Option<Row>, sqlx::Error> {
        on_engine!(self, on, |q, ex| Ok(q
            .fetch_optional(ex)
            .await?
            .map(Row::from)))
    }

    /// The first column of the one row, as an integer.
    pub async fn fetch_i64<'c>(self, on: impl Into<On<'c>>) -> Result<i64> {
        let row = self.fetch_one(on).await?;
        Cols::new(&row).i64()
    }
}

/// A row read by either engine's driver.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl From<SqliteRow> for Row {
    fn from(r: SqliteRow) -> Row {
        Row::Sqlite(r)
    }
}

impl From<PgRow> for Row {
    fn from(r: PgRow) -> Row {
        Row::Postgres(r)
    }
}

impl Row {
    pub fn len(&self) -> usize {
        match self {
            Row::Sqlite(r) => r.len(),
            Row::Postgres(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Column `i` as an integer, whatever the integer's width (a PostgreSQL `count(*)` is a
    /// BIGINT, a `CASE … THEN 1` an INTEGER); a boolean reads as 0 or 1.
    pub fn opt_i64(&self, i: usize) -> std::result::Result<Option<i64>, sqlx::Error> {
        match self {
            Row::Sqlite(r) => r.try_get::<Option<i64>, _>(i),
            Row::Postgres(r) => {
                let v = r.try_get_raw(i)?;
                if v.is_null() {
                    return Ok(None);
                }
                let ty = v.type_info();
                Ok(Some(match ty.name() {
                    "INT4" => i64::from(r.try_get::<i32, _>(i)?),
                    "INT2" => i64::from(r.try_get::<i16, _>(i)?),
                    "BOOL" => i64::from(r.try_get::<bool, _>(i)?),
                    _ => r.try_get::<i64, _>(i)?,
                }))
            }
        }
    }

    /// Column `i` as text.
    pub fn opt_string(&self, i: usize) -> std::result::Result<Option<String>, sqlx::Error> {
        match self {
            Row::Sqlite(r) => r.try_get::<Option<String>, _>(i),
            Row::Postgres(r) => r.try_get::<Option<String>, _>(i),
        }
    }

    /// The row as a `T` whose fields are read by column name (`#[derive(sqlx::FromRow)]`;
    /// on PostgreSQL an integer field needs a BIGINT column, as the schema's are).
    pub fn decode<T>(&self) -> std::result::Result<T, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow>,
    {
        match self {
            Row::Sqlite(r) => T::from_row(r),
            Row::Postgres(r) => T::from_row(r),
        }
    }

    /// Column `i`, an integer that must be there.
    pub fn i64(&self, i: usize) -> Result<i64> {
        Cols {
            row: Src::Db(self),
            i,
        }
        .i64()
    }

    /// Column `i`, a text that must be there.
    pub fn string(&self, i: usize) -> Result<String> {
        Cols {
            row: Src::Db(self),
            i,
        }
        .string()
    }
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
    pub(crate) fn for_conn(conn: &Conn) -> Ph {
        Ph {
            numbered: !conn.is_sqlite(),
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

/// The conditions of a WHERE clause, each written with its bind values: a condition that does
/// not apply is never added, so its placeholder and its value cannot fall out of step (as they
/// could with one `if` writing the condition and another binding the value). Placeholders are
/// numbered by the values bound so far (`$n`), as [`Scope::condition`](crate::Scope) numbers
/// its own, so a scope's condition joins the same list ([`Filter::scope`]).
#[derive(Clone, Default)]
pub(crate) struct Filter {
    sql: String,
    vals: Vec<Val>,
}

impl Filter {
    pub(crate) fn new() -> Filter {
        Filter::default()
    }

    /// `AND cond`, each `?` in `cond` the placeholder of the next of `vals`.
    pub(crate) fn and(&mut self, cond: &str, vals: impl IntoIterator<Item = Val>) {
        self.sql.push_str(" AND ");
        let mut vals = vals.into_iter();
        for (i, part) in cond.split('?').enumerate() {
            if i > 0 {
                let v = vals.next();
                debug_assert!(v.is_some(), "fewer values than placeholders: {cond}");
                let ph = self.placeholder(v.unwrap_or(Val::Int(None)));
                self.sql.push_str(&ph);
            }
            self.sql.push_str(part);
        }
        debug_assert!(
            vals.next().is_none(),
            "more values than placeholders: {cond}"
        );
    }

    /// `AND cond` when `v` is given, every `?` in it bound to `val(v)`.
    pub(crate) fn and_some<T: Clone>(&mut self, v: Option<T>, cond: &str, val: impl Fn(T) -> Val) {
        if let Some(v) = v {
            let n = cond.matches('?').count();
            self.and(cond, std::iter::repeat_n(v, n).map(val));
        }
    }

    /// `AND cond` (no values) when `yes`.
    pub(crate) fn and_if(&mut self, yes: bool, cond: &str) {
        if yes {
            self.and(cond, []);
        }
    }

    /// The reader's scope over a record joined to its compound as `c` ([`crate::Scope`]).
    pub(crate) fn scope(&mut self, scope: &crate::Scope, company_column: Option<&str>) {
        self.with_vals(|vals| scope.condition(company_column, vals));
    }

    /// ` AND …` from a function that binds its own values, numbering each `$n` by the values
    /// bound so far (the scopes' conditions).
    pub(crate) fn with_vals(&mut self, cond: impl FnOnce(&mut Vec<Val>) -> String) {
        let cond = cond(&mut self.vals);
        self.sql.push_str(&cond);
    }

    /// Binds `v` and returns its placeholder (a LIMIT's, say).
    pub(crate) fn placeholder(&mut self, v: Val) -> String {
        self.vals.push(v);
        format!("${}", self.vals.len())
    }

    /// The conditions, each after ` AND ` (to follow `WHERE 1 = 1` or another condition).
    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    pub(crate) fn into_vals(self) -> Vec<Val> {
        self.vals
    }
}

/// The JSON functions that differ between the engines.
pub(crate) struct JsonSql {
    /// Builds an array from values.
    pub arr: &'static str,
    /// Aggregates rows into one array (NULL on PostgreSQL when there are no rows).
    agg: &'static str,
    /// Makes the result TEXT.
    cast: &'static str,
    sqlite: bool,
}

/// The SQL type of a column read from JSON (see [`JsonSql::rows_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Int,
    Text,
}

impl JsonSql {
    pub(crate) fn for_conn(conn: &Conn) -> JsonSql {
        JsonSql::new(conn.is_sqlite())
    }

    fn new(sqlite: bool) -> JsonSql {
        if sqlite {
            JsonSql {
                arr: "json_array",
                agg: "json_group_array",
                cast: "",
                sqlite,
            }
        } else {
            JsonSql {
                arr: "json_build_array",
                agg: "json_agg",
                cast: "::text",
                sqlite,
            }
        }
    }

    /// `SELECT <col 0>, <col 1> … FROM <the rows>`: the rows of a JSON array of arrays bound at
    /// placeholder `ph` (see [`json_rows`]), one value per column in `cols` order, typed. How
    /// many rows go to the database in one bind value: a multi-row VALUES list costs a bind per
    /// value and caps a statement at a few hundred rows.
    /// `extra` (when not empty) adds columns after them (constants, placeholders).
    /// PostgreSQL parses the value once as `jsonb` (`jsonb_array_elements`): with `json` every
    /// `->>` parses the element's text again, once per column (a 50,000-line write took 0.7 s
    /// instead of 0.27 s).
    pub(crate) fn rows_of(&self, ph: &str, cols: &[Ty], extra: &str) -> String {
        let mut s = String::from("SELECT ");
        for (i, t) in cols.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            match (self.sqlite, t) {
                (true, _) => s.push_str(&format!("json_extract(e.value, '$[{i}]')")),
                (false, Ty::Int) => s.push_str(&format!("(e.value->>{i})::bigint")),
                (false, Ty::Text) => s.push_str(&format!("e.value->>{i}")),
            }
        }
        if !extra.is_empty() {
            s.push_str(", ");
            s.push_str(extra);
        }
        if self.sqlite {
            s.push_str(&format!(" FROM jsonb_each({ph}) e"));
        } else {
            s.push_str(&format!(
                " FROM jsonb_array_elements({ph}::jsonb) AS e (value)"
            ));
        }
        s
    }

    /// `{"key": value, …}` from `key, value` pairs (in that order in the text).
    pub(crate) fn obj(&self, pairs: &str) -> String {
        if self.sqlite {
            format!("json_object({pairs})")
        } else {
            format!("json_build_object({pairs})::text")
        }
    }

    /// A TEXT column holding JSON, nested as JSON (not as a string) in [`JsonSql::obj`].
    pub(crate) fn raw(&self, expr: &str) -> String {
        if self.sqlite {
            format!("json({expr})")
        } else {
            format!("({expr})::json")
        }
    }

    /// A condition as JSON `true` / `false` in [`JsonSql::obj`].
    pub(crate) fn boolean(&self, cond: &str) -> String {
        if self.sqlite {
            format!("json(CASE WHEN {cond} THEN 'true' ELSE 'false' END)")
        } else {
            format!("({cond})")
        }
    }

    /// `<every row's cols as one JSON array of arrays>`, in `order` when given: the one column
    /// of a SELECT read with [`fetch_json`].
    pub(crate) fn agg_rows(&self, cols: &str, order: Option<&str>) -> String {
        let order = order.map_or(String::new(), |o| format!(" ORDER BY {o}"));
        format!("{}({}({cols}){order}){}", self.agg, self.arr, self.cast)
    }
}

/// Rows as one JSON array of arrays (the bind value [`JsonSql::rows_of`] reads).
pub(crate) fn json_rows<'a>(rows: impl IntoIterator<Item = &'a [Val]>) -> String {
    use std::io::Write;
    let mut s: Vec<u8> = vec![b'['];
    for (i, row) in rows.into_iter().enumerate() {
        if i > 0 {
            s.push(b',');
        }
        s.push(b'[');
        for (j, v) in row.iter().enumerate() {
            if j > 0 {
                s.push(b',');
            }
            // Writing to a Vec cannot fail; a string always serializes.
            let _ = match v {
                Val::Int(Some(n)) => write!(s, "{n}"),
                Val::Int(None) | Val::Text(None) => s.write_all(b"null"),
                Val::Text(Some(t)) => {
                    serde_json::to_writer(&mut s, t).map_err(std::io::Error::other)
                }
            };
        }
        s.push(b']');
    }
    s.push(b']');
    String::from_utf8(s).unwrap_or_default()
}

/// Inserts `rows` (values in `cols` order) into `table`; the `fixed` columns take the same
/// value on every row. Each engine's fast path: PostgreSQL's `COPY … FROM STDIN` (rows streamed
/// as text, 1 MiB at a time, parsed by the server without a plan per row), SQLite 5,000 rows a
/// statement, each batch bound as one JSON value ([`JsonSql::rows_of`]; a prepared one-row
/// INSERT per row costs a trip to sqlx-sqlite's worker thread each, and multi-row VALUES with a
/// bind per value measured the same for a ledger import and 4 % slower for a subsidy run:
/// `anju bench import` 3.20 s against 3.14 s, `bench funding`'s final year 4.88 s against
/// 4.64 s). Ids are given in the rows' order either way.
pub(crate) async fn insert_rows(
    conn: &mut Conn,
    table: &str,
    cols: &[(&str, Ty)],
    fixed: &[(&str, Val)],
    rows: &[Vec<Val>],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = cols
        .iter()
        .map(|c| c.0)
        .chain(fixed.iter().map(|f| f.0))
        .collect();
    if let Conn::Postgres(pg) = conn {
        let mut copy = pg
            .copy_in_raw(&format!("COPY {table} ({}) FROM STDIN", names.join(", ")))
            .await?;
        let mut tail = Vec::new();
        for (_, v) in fixed {
            tail.push(b'\t');
            copy_text(&mut tail, v);
        }
        tail.push(b'\n');
        let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
        for row in rows {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    buf.push(b'\t');
                }
                copy_text(&mut buf, v);
            }
            buf.extend_from_slice(&tail);
            if buf.len() >= 1 << 20 {
                copy.send(std::mem::take(&mut buf)).await?;
            }
        }
        if !buf.is_empty() {
            copy.send(buf).await?;
        }
        copy.finish().await?;
        return Ok(());
    }
    let j = JsonSql::for_conn(conn);
    let types: Vec<Ty> = cols.iter().map(|c| c.1).collect();
    let mut ph = Ph::for_conn(conn);
    let fixed_ph = ph.list(fixed.len());
    let select = j.rows_of(&ph.one(), &types, &fixed_ph);
    let sql = format!("INSERT INTO {table} ({}) {select}", names.join(", "));
    for chunk in rows.chunks(5_000) {
        let param = json_rows(chunk.iter().map(Vec::as_slice));
        let vals = fixed
            .iter()
            .map(|(_, v)| v.clone())
            .chain([Val::text(param)]);
        bind_all(query(sql.clone()), vals)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One value in `COPY`'s text format: `\N` for NULL; a backslash, tab, newline and carriage
/// return escaped.
fn copy_text(buf: &mut Vec<u8>, v: &Val) {
    use std::io::Write;
    match v {
        Val::Int(None) | Val::Text(None) => buf.extend_from_slice(b"\\N"),
        // Writing to a Vec cannot fail.
        Val::Int(Some(n)) => {
            let _ = write!(buf, "{n}");
        }
        Val::Text(Some(t)) => {
            for &b in t.as_bytes() {
                match b {
                    b'\\' => buf.extend_from_slice(b"\\\\"),
                    b'\t' => buf.extend_from_slice(b"\\t"),
                    b'\n' => buf.extend_from_slice(b"\\n"),
                    b'\r' => buf.extend_from_slice(b"\\r"),
                    _ => buf.push(b),
                }
            }
        }
    }
}

/// Runs `sql`, whose one row and column is a JSON array of arrays (from [`JsonSql::agg_rows`]),
/// and decodes each element as a `T` (a tuple, or a struct read in field order). One row back
/// instead of one per record: sqlx-sqlite hands each row across threads, which at 100,000 rows
/// costs more than the query. One value has a ceiling (about 1 GB on either engine): a read
/// that can grow past it goes by keyset instead, as [`crate::Store::subsidy_lines`] does.
pub(crate) async fn fetch_json<T: serde::de::DeserializeOwned>(
    conn: &mut Conn,
    sql: String,
    vals: Vec<Val>,
) -> Result<Vec<T>> {
    let row = bind_all(query(sql), vals).fetch_one(&mut *conn).await?;
    match Cols::new(&row).opt_string()? {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("批量读取的数据无法解析：{e}"))),
    }
}

/// How many rows of `cols` bind values fit in one statement. SQLite allows 32,766 variables,
/// PostgreSQL 65,535; we stay well under both and cap at 500 rows so statements stay cacheable.
pub(crate) fn rows_per_statement(cols: usize) -> usize {
    (30_000 / cols.max(1)).clamp(1, 500)
}

/// Now, as stored: RFC 3339 UTC with fixed microsecond precision, so text order is time order.
/// A stored moment read back.
pub(crate) fn parse_ts(s: &str) -> Result<jiff::Timestamp> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("时间“{s}”无法识别：{e}")))
}

/// The day a moment falls on in China (UTC+8).
pub(crate) fn china_day(t: jiff::Timestamp) -> jiff::civil::Date {
    t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .date()
}

pub(crate) fn now_ts() -> String {
    ts_text(jiff::Timestamp::now())
}

/// A moment as it is stored: RFC 3339 in UTC with six decimals, so that the texts of two
/// moments compare as the moments do.
pub(crate) fn ts_text(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
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

/// A stored date that may be absent.
pub(crate) fn opt_date(s: Option<String>) -> Result<Option<jiff::civil::Date>> {
    s.map(|s| parse_date(&s)).transpose()
}

/// Times the phases of a long operation (a subsidy run, a report) and logs each at debug level
/// under `anju_store` (`ANJU_LOG=anju_store=debug`): where a city-scale run spends its seconds.
pub(crate) struct PhaseClock {
    what: &'static str,
    start: std::time::Instant,
    last: std::time::Instant,
}

impl PhaseClock {
    pub(crate) fn new(what: &'static str) -> PhaseClock {
        let now = std::time::Instant::now();
        PhaseClock {
            what,
            start: now,
            last: now,
        }
    }

    /// Logs the time since the previous lap (and since the start) under `phase`.
    pub(crate) fn lap(&mut self, phase: &str) {
        let now = std::time::Instant::now();
        tracing::debug!(
            "{}: {phase} {:.3} s (total {:.3} s)",
            self.what,
            (now - self.last).as_secs_f64(),
            (now - self.start).as_secs_f64()
        );
        self.last = now;
    }
}

/// A stored management-mode code, decoded (a code no version wrote is corruption).
pub(crate) fn stored_mode(code: &str) -> Result<anju_core::ManagementMode> {
    anju_core::ManagementMode::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("管理方式 '{code}'")))
}

/// A stored category number (1–4), decoded.
pub(crate) fn stored_category(n: i64) -> Result<anju_core::Category> {
    anju_core::Category::from_number(n).ok_or_else(|| StoreError::Corrupt(format!("类别 {n}")))
}

/// Reads the columns of a row in order, so that the column lists stay next to their SELECTs: a
/// database row, or one element of a JSON array of arrays read with [`fetch_json`].
pub(crate) struct Cols<'r> {
    row: Src<'r>,
    i: usize,
}

enum Src<'r> {
    Db(&'r Row),
    Json(&'r [serde_json::Value]),
}

impl<'r> Cols<'r> {
    pub(crate) fn new(row: &'r Row) -> Cols<'r> {
        Cols {
            row: Src::Db(row),
            i: 0,
        }
    }
    /// Reading a JSON row (an array of values) from element `i` on.
    pub(crate) fn json(row: &'r [serde_json::Value], i: usize) -> Cols<'r> {
        Cols {
            row: Src::Json(row),
            i,
        }
    }
    fn idx(&mut self) -> usize {
        let i = self.i;
        self.i += 1;
        i
    }
    fn json_at(row: &[serde_json::Value], i: usize) -> Result<&serde_json::Value> {
        row.get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("批量读取的数据缺少第 {} 列", i + 1)))
    }
    pub(crate) fn opt_i64(&mut self) -> Result<Option<i64>> {
        let i = self.idx();
        match self.row {
            Src::Db(row) => Ok(row.opt_i64(i)?),
            Src::Json(row) => match Cols::json_at(row, i)? {
                serde_json::Value::Null => Ok(None),
                v => v.as_i64().map(Some).ok_or_else(|| {
                    StoreError::Corrupt(format!("批量读取的第 {} 列不是整数：{v}", i + 1))
                }),
            },
        }
    }
    pub(crate) fn i64(&mut self) -> Result<i64> {
        let i = self.i;
        self.opt_i64()?
            .ok_or_else(|| StoreError::Corrupt(format!("第 {} 列为空", i + 1)))
    }
    pub(crate) fn opt_string(&mut self) -> Result<Option<String>> {
        let i = self.idx();
        match self.row {
            Src::Db(row) => Ok(row.opt_string(i)?),
            Src::Json(row) => match Cols::json_at(row, i)? {
                serde_json::Value::Null => Ok(None),
                serde_json::Value::String(s) => Ok(Some(s.clone())),
                v => Err(StoreError::Corrupt(format!(
                    "批量读取的第 {} 列不是文本：{v}",
                    i + 1
                ))),
            },
        }
    }
    pub(crate) fn string(&mut self) -> Result<String> {
        let i = self.i;
        self.opt_string()?
            .ok_or_else(|| StoreError::Corrupt(format!("第 {} 列为空", i + 1)))
    }
    /// A moment written by [`now_ts`] (RFC 3339, UTC).
    pub(crate) fn timestamp(&mut self) -> Result<jiff::Timestamp> {
        let s = self.string()?;
        parse_ts(&s)
    }
    pub(crate) fn opt_timestamp(&mut self) -> Result<Option<jiff::Timestamp>> {
        self.opt_string()?.map(|s| parse_ts(&s)).transpose()
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
    fn a_filter_keeps_placeholders_and_values_together() {
        let mut f = Filter::new();
        f.and_some(Some(7), "(a = ? OR b = ?)", Val::int);
        f.and_some(None::<i64>, "c = ?", Val::int);
        f.and_if(true, "d <> 'x'");
        f.and_if(false, "never");
        f.scope(&crate::Scope::Compound(9), None);
        f.and_some(Some("p"), "e = ?", Val::text);
        assert_eq!(
            f.sql(),
            " AND (a = $1 OR b = $2) AND d <> 'x' AND c.id = $3 AND e = $4"
        );
        assert_eq!(f.placeholder(Val::int(50)), "$5");
        assert_eq!(
            f.into_vals(),
            vec![
                Val::int(7),
                Val::int(7),
                Val::int(9),
                Val::text("p"),
                Val::int(50)
            ]
        );
    }

    #[test]
    fn rows_as_json() {
        let rows = [
            vec![Val::int(-7), Val::Int(None), Val::text("a\"b\\c\n🏠")],
            vec![Val::int(i64::MAX), Val::Text(None), Val::text("")],
        ];
        let json = json_rows(rows.iter().map(Vec::as_slice));
        assert_eq!(
            json,
            r#"[[-7,null,"a\"b\\c\n🏠"],[9223372036854775807,null,""]]"#
        );
        let back: Vec<(i64, Option<i64>, String)> =
            serde_json::from_str(&json).expect("json_rows writes JSON");
        assert_eq!(back[0].2, "a\"b\\c\n🏠");
        assert_eq!(json_rows(std::iter::empty()), "[]");
        let sqlite = JsonSql::new(true);
        assert_eq!(
            sqlite.rows_of("?", &[Ty::Int, Ty::Text], "?"),
            "SELECT json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), ? \
             FROM jsonb_each(?) e"
        );
        let pg = JsonSql::new(false);
        assert_eq!(
            pg.rows_of("$2", &[Ty::Int, Ty::Text], ""),
            "SELECT (e.value->>0)::bigint, e.value->>1 FROM jsonb_array_elements($2::jsonb) AS e (value)"
        );
        assert_eq!(
            pg.agg_rows("a, b", Some("a")),
            "json_agg(json_build_array(a, b) ORDER BY a)::text"
        );
    }

    #[test]
    fn copy_text_escapes_what_copy_reads_specially() {
        let mut buf = Vec::new();
        for v in [
            Val::text("a\tb\\c\nd\re 🏠"),
            Val::Text(None),
            Val::int(-5),
            Val::Int(None),
            Val::text("\\N"),
        ] {
            copy_text(&mut buf, &v);
            buf.push(b'|');
        }
        assert_eq!(
            String::from_utf8(buf).expect("utf-8"),
            "a\\tb\\\\c\\nd\\re 🏠|\\N|-5|\\N|\\\\N|"
        );
    }

    #[test]
    fn timestamps_sort_as_text() {
        let t = now_ts();
        assert_eq!(t.len(), "2024-01-01T00:00:00.000000Z".len(), "{t}");
        assert!(t.ends_with('Z'));
        assert_eq!(date_text(jiff::civil::date(2022, 3, 5)), "2022-03-05");
    }
}
