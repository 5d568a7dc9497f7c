//! The ledger through the command line, as an official uses it: demo, stats, import, export.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn anju(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anju"))
        .args(args)
        .env_remove("ANJU_DATABASE_URL")
        .output()
        .expect("run anju")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub struct Db {
    _dir: tempfile::TempDir,
    pub url: String,
}

pub fn fresh_sqlite() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("anju.db").display());
    Db { _dir: dir, url }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../anju-sheets/tests/fixtures")
        .join(name)
}

fn stats_json(db: &str, street: Option<&str>) -> Value {
    let mut args = vec!["stats", "--format", "json", "--database-url", db];
    if let Some(s) = street {
        args.extend(["--street", s]);
    }
    let o = anju(&args);
    assert!(o.status.success(), "stats failed: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("stats prints JSON")
}

/// Seed 004 一 and 三(五), as DOMAIN.md lists them: the demo reproduces every figure.
#[test]
fn demo_reproduces_daqintala_census_figures() {
    let db = fresh_sqlite();
    let o = anju(&["demo", "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stats_json(&db.url, Some("大沁他拉街道"));
    let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("key {k} in {s}"));
    assert_eq!(n("compounds"), 151);
    assert_eq!(n("with_company"), 74);
    assert_eq!(n("with_company_with_committee"), 27);
    assert_eq!(n("unmanaged"), 77);
    assert_eq!(n("unmanaged_with_committee"), 19);
    assert_eq!(n("unmanaged_under_30_households"), 16);
    assert_eq!(n("unmanaged_30_plus_households"), 61);
    assert_eq!(n("unmanaged_households"), 3796);
    let needs = &s["unmanaged_needs"];
    for (k, v) in [
        ("cameras", 170),
        ("chargers", 70),
        ("water_points", 45),
        ("unit_doors", 219),
        ("bike_sheds", 26),
        ("parking_bays", 30),
        ("barrier_gates", 53),
    ] {
        assert_eq!(needs[k].as_u64(), Some(v), "{k}");
    }
    // Per community rows add up to the street.
    let street = &s["streets"][0];
    let sum: u64 = street["communities"]
        .as_array()
        .expect("communities")
        .iter()
        .map(|c| c["compounds"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(sum, 151);
}

#[test]
fn demo_holds_shanting_and_liaocheng_and_loads_idempotently() {
    let db = fresh_sqlite();
    assert!(anju(&["demo", "--database-url", &db.url]).status.success());
    let again = anju(&["demo", "--database-url", &db.url]);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("新增 0，更新 0"),
        "{}",
        stdout(&again)
    );
    let all = stats_json(&db.url, None);
    assert_eq!(all["compounds"].as_u64(), Some(151 + 41 + 7));
    let shanting = stats_json(&db.url, Some("山城街道"));
    assert_eq!(shanting["compounds"].as_u64(), Some(41));
    assert_eq!(shanting["with_company"].as_u64(), Some(20));
}

#[test]
fn stats_table_is_chinese_by_default_and_english_on_request() {
    let db = fresh_sqlite();
    assert!(anju(&["demo", "--database-url", &db.url]).status.success());
    let zh = anju(&[
        "stats",
        "--street",
        "大沁他拉街道",
        "--database-url",
        &db.url,
    ]);
    assert!(zh.status.success());
    let t = stdout(&zh);
    assert!(
        t.contains("合计") && t.contains("151") && t.contains("3,796"),
        "{t}"
    );
    assert!(t.contains("摄像头 170"), "{t}");
    // The household bands' reading is stated with the figures.
    assert!(t.contains("读法 household_band = under_30"), "{t}");
    let en = anju(&["stats", "--lang", "en", "--database-url", &db.url]);
    assert!(stdout(&en).contains("total"));
}

#[test]
fn stats_for_an_unknown_street_is_a_clear_error() {
    let db = fresh_sqlite();
    assert!(anju(&["demo", "--database-url", &db.url]).status.success());
    let o = anju(&["stats", "--street", "不存在街道", "--database-url", &db.url]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("不存在街道"), "{}", stderr(&o));
}

#[test]
fn export_then_import_changes_nothing() {
    let db = fresh_sqlite();
    assert!(anju(&["demo", "--database-url", &db.url]).status.success());
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("台账.xlsx");
    let f = file.to_str().expect("utf-8 path");
    let o = anju(&["export", "ledger", f, "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = stats_json(&db.url, None);
    let o = anju(&["import", "ledger", f, "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("新增 0，更新 0，未变 199"),
        "{}",
        stdout(&o)
    );
    assert_eq!(before, stats_json(&db.url, None));
    // And into an empty database it recreates the same figures.
    let db2 = fresh_sqlite();
    let o = anju(&["import", "ledger", f, "--database-url", &db2.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(before, stats_json(&db2.url, None));
}

fn count(db: &str) -> u64 {
    stats_json(db, None)["compounds"].as_u64().unwrap_or(0)
}

/// A bad file writes nothing and lists every problem with its row and column, in Chinese by
/// default and in English with --lang en.
#[test]
fn a_bad_ledger_writes_nothing_and_lists_every_problem() {
    let db = fresh_sqlite();
    assert!(anju(&["demo", "--database-url", &db.url]).status.success());
    let before = stats_json(&db.url, None);
    let bad = fixture("bad_rows.xlsx");
    let o = anju(&[
        "import",
        "ledger",
        bad.to_str().expect("path"),
        "--database-url",
        &db.url,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("第") && err.contains("行"), "{err}");
    assert!(err.contains("建筑面积"), "{err}");
    assert!(err.contains("未写入任何数据"), "{err}");
    assert_eq!(before, stats_json(&db.url, None), "nothing written");
    let o = anju(&[
        "import",
        "ledger",
        bad.to_str().expect("path"),
        "--lang",
        "en",
        "--database-url",
        &db.url,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Nothing was written"), "{}", stderr(&o));
}

#[test]
fn unreadable_files_are_refused_with_a_reason() {
    let db = fresh_sqlite();
    for (file, needle) in [
        ("encrypted.xlsx", "密码"),
        ("corrupt.xlsx", ""),
        ("zero.xlsx", ""),
        ("zero.csv", ""),
        ("wrong_headers.xlsx", "小区名称"),
        ("empty_sheet.xlsx", ""),
    ] {
        let f = fixture(file);
        let o = anju(&[
            "import",
            "ledger",
            f.to_str().expect("path"),
            "--database-url",
            &db.url,
        ]);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.contains(needle) && err.contains("未写入任何数据"),
            "{file}: {err}"
        );
        assert_eq!(count(&db.url), 0, "{file}: nothing written");
    }
}

#[test]
fn good_csv_in_gb18030_imports_and_reimport_changes_nothing() {
    let db = fresh_sqlite();
    let f = fixture("good_gb18030.csv");
    let p = f.to_str().expect("path");
    let o = anju(&["import", "ledger", p, "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let n = count(&db.url);
    assert!(n > 0);
    let o = anju(&["import", "ledger", p, "--database-url", &db.url]);
    assert!(stdout(&o).contains("新增 0，更新 0"), "{}", stdout(&o));
    assert_eq!(count(&db.url), n);
    for other in ["good.xls", "good.xlsx", "good_utf8_bom.csv"] {
        let f = fixture(other);
        let o = anju(&[
            "import",
            "ledger",
            f.to_str().expect("path"),
            "--database-url",
            &db.url,
        ]);
        assert!(o.status.success(), "{other}: {}", stderr(&o));
    }
}

/// A fresh PostgreSQL schema for one test, reached through the URL's search_path; dropped at
/// the end. `None` (with a notice) when ANJU_TEST_PG_URL is unset, a failure under CI=true.
struct PgSchema {
    base: String,
    schema: String,
    url: String,
}

impl PgSchema {
    fn new(tag: &str) -> Option<PgSchema> {
        let Ok(base) = std::env::var("ANJU_TEST_PG_URL") else {
            assert!(
                std::env::var("CI").map(|v| v != "true").unwrap_or(true),
                "CI=true but ANJU_TEST_PG_URL is not set"
            );
            eprintln!("notice: ANJU_TEST_PG_URL not set, PostgreSQL test skipped");
            return None;
        };
        let schema = format!("cli_{tag}_{}", std::process::id());
        pg_exec(
            &base,
            &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"),
        );
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        Some(PgSchema { base, schema, url })
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        pg_exec(
            &self.base,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema),
        );
    }
}

fn pg_exec(url: &str, sql: &str) {
    use sqlx::Connection;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut c = sqlx::PgConnection::connect(url)
            .await
            .expect("connect to ANJU_TEST_PG_URL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut c)
            .await
            .expect("sql");
    });
}

/// The same commands on PostgreSQL: demo figures, a refused bad file, export/import round trip.
#[test]
fn the_ledger_works_the_same_on_postgresql() {
    let Some(pg) = PgSchema::new("ledger") else {
        return;
    };
    let o = anju(&["demo", "--database-url", &pg.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stats_json(&pg.url, Some("大沁他拉街道"));
    assert_eq!(s["compounds"].as_u64(), Some(151));
    assert_eq!(s["unmanaged_households"].as_u64(), Some(3796));
    assert_eq!(s["with_company_with_committee"].as_u64(), Some(27));
    let before = stats_json(&pg.url, None);
    let bad = fixture("bad_rows.xlsx");
    let o = anju(&[
        "import",
        "ledger",
        bad.to_str().expect("path"),
        "--database-url",
        &pg.url,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(before, stats_json(&pg.url, None), "nothing written");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ledger.xlsx");
    let f = file.to_str().expect("path");
    assert!(
        anju(&["export", "ledger", f, "--database-url", &pg.url])
            .status
            .success()
    );
    let o = anju(&["import", "ledger", f, "--database-url", &pg.url]);
    assert!(
        stdout(&o).contains("新增 0，更新 0，未变 199"),
        "{}",
        stdout(&o)
    );
}

/// Rows in every table a ledger import writes to: compounds, their mode history, regions,
/// companies and the audit log.
fn footprint(url: &str) -> Vec<i64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let s = anju_store::Store::connect_without_migrating(url)
            .await
            .expect("connect");
        let row = anju_store::query(
            "SELECT (SELECT COUNT(*) FROM compounds), (SELECT COUNT(*) FROM compound_modes), \
             (SELECT COUNT(*) FROM regions), (SELECT COUNT(*) FROM companies), \
             (SELECT COUNT(*) FROM audit_log)",
        )
        .fetch_one(s.pool())
        .await
        .expect("count");
        let counts = (0..5).map(|i| row.i64(i).expect("a count")).collect();
        s.close().await;
        counts
    })
}

/// A ledger longer than one chunk of the import (which writes the rows read so far while it
/// reads on, 5,000 rows at a time), with a bad row in its last chunk: nothing of the chunks already written remains.
/// Once as the reader refuses the row, once as the store does.
fn bad_last_chunk_writes_nothing(url: &str) {
    assert!(anju(&["demo", "--database-url", url]).status.success());
    let before = footprint(url);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("城区台账.xlsx");
    let f = file.to_str().expect("path");
    let mut rows = anju_sheets::generate_bench_ledger(5_400, 11);

    rows[5_399].built_year = Some(2999);
    anju_sheets::write_ledger(&file, &rows).expect("write");
    let o = anju(&["import", "ledger", f, "--database-url", url]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("第 5401 行"), "{}", stderr(&o));
    assert!(stderr(&o).contains("未写入任何数据"), "{}", stderr(&o));
    assert_eq!(footprint(url), before, "nothing written");

    // A credit code that contradicts the one the earlier rows gave their company.
    rows[5_399].built_year = Some(2001);
    let k = rows
        .iter()
        .position(|r| r.company.is_some())
        .expect("a company");
    rows[5_399].mode = rows[k].mode;
    rows[5_399].company = rows[k].company.clone();
    rows[5_399].company_code = anju_core::CreditCode::complete("91150525MA9999999").ok();
    assert_ne!(rows[5_399].company_code, rows[k].company_code);
    anju_sheets::write_ledger(&file, &rows).expect("write");
    let o = anju(&["import", "ledger", f, "--database-url", url]);
    assert!(!o.status.success(), "{}", stdout(&o));
    assert!(stderr(&o).contains("不一致"), "{}", stderr(&o));
    assert_eq!(footprint(url), before, "nothing written");

    // Fixed, it imports; again, it changes nothing.
    rows[5_399].company_code = rows[k].company_code.clone();
    anju_sheets::write_ledger(&file, &rows).expect("write");
    let o = anju(&["import", "ledger", f, "--database-url", url]);
    assert!(
        stdout(&o).contains("5400 行；新增 5400，更新 0，未变 0"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let after = footprint(url);
    let o = anju(&["import", "ledger", f, "--database-url", url]);
    assert!(
        stdout(&o).contains("新增 0，更新 0，未变 5400"),
        "{}",
        stdout(&o)
    );
    assert_eq!(footprint(url), after, "a re-import writes nothing");
}

#[test]
fn a_bad_row_in_the_last_chunk_writes_nothing() {
    bad_last_chunk_writes_nothing(&fresh_sqlite().url);
}

#[test]
fn a_bad_row_in_the_last_chunk_writes_nothing_on_postgresql() {
    let Some(pg) = PgSchema::new("last_chunk") else {
        return;
    };
    bad_last_chunk_writes_nothing(&pg.url);
}

/// `anju backup`: a copy of the embedded database that reads as the original; an existing file
/// is never overwritten; PostgreSQL is pointed to pg_dump.
#[test]
fn a_backup_reads_as_the_database_it_copies_and_never_overwrites() {
    let db = fresh_sqlite();
    assert!(anju(&["demo", "--database-url", &db.url]).status.success());
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("backup.db");
    let f = file.to_str().expect("path");
    let o = anju(&["backup", f, "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已备份到"), "{}", stdout(&o));
    let copy = format!("sqlite://{f}");
    assert_eq!(stats_json(&copy, None), stats_json(&db.url, None));
    let o = anju(&["backup", f, "--database-url", &db.url]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("已存在，不会覆盖"), "{}", stderr(&o));
    let o = anju(&[
        "backup",
        f,
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
    ]);
    assert!(!o.status.success());
}
