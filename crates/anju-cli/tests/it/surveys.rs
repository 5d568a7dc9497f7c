//! `anju survey`, `anju fees`, `anju accounts` against the demo data.

use crate::ledger::{anju, fresh_sqlite, stderr, stdout};

pub fn demo() -> crate::ledger::Db {
    let db = fresh_sqlite();
    let o = anju(&["demo", "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

/// A PostgreSQL schema of its own (the URL selects it with `options=-c search_path=`), dropped
/// at the end. `None` (with a notice) when ANJU_TEST_PG_URL is unset; a failure under CI=true.
pub struct PgDb {
    base: String,
    schema: String,
    pub url: String,
}

impl PgDb {
    /// A fresh schema with the demo data loaded.
    pub fn demo(tag: &str) -> Option<PgDb> {
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
        let db = PgDb { base, schema, url };
        let o = anju(&["demo", "--database-url", &db.url]);
        assert!(o.status.success(), "{}", stderr(&o));
        Some(db)
    }
}

impl Drop for PgDb {
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

/// Runs a flow on a fresh SQLite demo database and, when ANJU_TEST_PG_URL is set, on a fresh
/// PostgreSQL schema with the demo data.
macro_rules! both_engines {
    ($name:ident, $flow:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                let db = $crate::surveys::demo();
                super::$flow(&db.url);
            }
            #[test]
            fn postgres() {
                if let Some(db) = $crate::surveys::PgDb::demo(stringify!($name)) {
                    super::$flow(&db.url);
                }
            }
        }
    };
}
pub(crate) use both_engines;

both_engines!(
    survey_links,
    survey_links_work_once_and_only_for_their_compound
);
fn survey_links_work_once_and_only_for_their_compound(d: &str) {
    let o = anju(&[
        "survey",
        "new",
        "--compound",
        "祥和苑",
        "--period",
        "2026H1",
        "--rule",
        "daqintala",
        "--database-url",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("总户数 203 户，应抽样 21 户"), "{out}");
    let links: Vec<&str> = out.lines().filter(|l| l.starts_with("/s/")).collect();
    assert_eq!(links.len(), 21);
    let token = links[0].trim_start_matches("/s/");
    let answer = |t: &str, compound: &str| {
        anju(&[
            "survey",
            "answer",
            t,
            "--compound",
            compound,
            "--satisfied",
            "--database-url",
            d,
        ])
    };
    assert!(answer(token, "祥和苑").status.success());
    let again = answer(token, "祥和苑");
    assert!(!again.status.success());
    assert!(stderr(&again).contains("已使用过"), "{}", stderr(&again));
    let other = answer(links[1].trim_start_matches("/s/"), "奈曼名都");
    assert!(!other.status.success());
    assert!(
        stderr(&other).contains("不属于该小区"),
        "{}",
        stderr(&other)
    );
    // One response of 21 required: invalid, not scored.
    let o = anju(&["survey", "result", "1", "--database-url", d]);
    let out = stdout(&o);
    assert!(out.contains("调查无效，不计分"), "{out}");
    let o = anju(&["survey", "list", "--lang", "en", "--database-url", d]);
    assert!(stdout(&o).contains("invalid"), "{}", stdout(&o));
}

both_engines!(fees_and_accounts, fees_import_rate_and_accounts);
fn fees_import_rate_and_accounts(d: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("fees.csv");
    std::fs::write(
        &csv,
        "小区名称,所属街道,月份,应收（元）,实收（元）\n祥和苑,大沁他拉街道,2026-01,\"12,000.00\",\"9,600.00\"\n祥和苑,大沁他拉街道,2026-02,12000,11400\n",
    )
    .expect("write");
    let f = csv.to_str().expect("write");
    let o = anju(&["fees", "import", f, "--database-url", d]);
    assert!(
        stdout(&o).contains("新增 2"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = anju(&["fees", "import", f, "--database-url", d]);
    assert!(stdout(&o).contains("未变 2"), "{}", stdout(&o));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "小区名称,月份,应收,实收\n祥和苑,2026-13,x,1\n").expect("write");
    let o = anju(&[
        "fees",
        "import",
        bad.to_str().expect("utf-8 path"),
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("第 2 行"), "{}", stderr(&o));
    // A month after this one cannot have been collected: the row is named, nothing imported.
    let next = anju_app::today_in_china()
        .checked_add(jiff::Span::new().months(1))
        .expect("date")
        .strftime("%Y-%m")
        .to_string();
    let ahead = dir.path().join("ahead.csv");
    std::fs::write(
        &ahead,
        format!("小区名称,所属街道,月份,应收,实收\n祥和苑,大沁他拉街道,2026-03,100,90\n祥和苑,大沁他拉街道,{next},100,90\n"),
    )
    .expect("write");
    let o = anju(&[
        "fees",
        "import",
        ahead.to_str().expect("utf-8 path"),
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("第 3 行：月份") && err.contains("晚于本月"),
        "{err}"
    );
    let o = anju(&[
        "fees",
        "rate",
        "--compound",
        "祥和苑",
        "--period",
        "2026Q1",
        "--database-url",
        d,
    ]);
    assert!(stdout(&o).contains("87.50 %"), "{}", stdout(&o));
    // Nothing billed: an error, not a division by zero.
    let o = anju(&[
        "fees",
        "rate",
        "--compound",
        "祥和苑",
        "--period",
        "2026-05",
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("应收为零"), "{}", stderr(&o));
    for args in [
        ["--kind", "fees", "--amount", "12,345.67", "--category", ""],
        [
            "--kind",
            "spending",
            "--amount",
            "5000",
            "--category",
            "保洁",
        ],
    ] {
        let mut a = vec![
            "accounts",
            "add",
            "--compound",
            "祥和苑",
            "--period",
            "2026H1",
            "--database-url",
            d,
        ];
        a.extend(args);
        let o = anju(&a);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = anju(&[
        "accounts",
        "show",
        "--compound",
        "祥和苑",
        "--period",
        "2026H1",
        "--owners-share",
        "6",
        "--database-url",
        d,
    ]);
    let out = stdout(&o);
    assert!(out.contains("7,345.67 元"), "{out}");
    assert!(out.contains("740.74 元"), "{out}");
    let o = anju(&[
        "accounts",
        "show",
        "--compound",
        "祥和苑",
        "--period",
        "2026H1",
        "--owners-share",
        "11",
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("6%–10%"), "{}", stderr(&o));
    // JSON for the rate and the statement.
    let o = anju(&[
        "fees",
        "rate",
        "--compound",
        "祥和苑",
        "--period",
        "2026Q1",
        "--format",
        "json",
        "--database-url",
        d,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["billed_fen"], 2_400_000);
    assert_eq!(v["collected_fen"], 2_100_000);
    assert_eq!(v["rate_text"], "87.50 %");
    assert_eq!(v["months"].as_array().map(Vec::len), Some(2));
    // The public page link: random, the same every time.
    let link = |_: ()| {
        let o = anju(&[
            "accounts",
            "public-link",
            "--compound",
            "祥和苑",
            "--base-url",
            "https://anju.example.cn/",
            "--database-url",
            d,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim().to_string()
    };
    let first = link(());
    assert!(first.starts_with("https://anju.example.cn/p/"), "{first}");
    assert_eq!(first.len(), "https://anju.example.cn/p/".len() + 32);
    assert_eq!(link(()), first);
}

both_engines!(survey_qr_sheet_and_json, survey_qr_sheet_and_json_lists);
fn survey_qr_sheet_and_json_lists(d: &str) {
    let o = anju(&[
        "survey",
        "new",
        "--compound",
        "祥和苑",
        "--period",
        "2026H2",
        "--rule",
        "erqi",
        "--households",
        "40",
        "--database-url",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Erqi: at least 10 % of 40 = 4 links.
    let links: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| l.starts_with("/s/"))
        .map(str::to_string)
        .collect();
    assert_eq!(links.len(), 4);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sheet.html");
    let o = anju(&[
        "survey",
        "qr",
        "--survey",
        "1",
        "--base-url",
        "https://anju.example.cn",
        "--out",
        out.to_str().expect("utf-8 path"),
        "--database-url",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("二维码 4 个"), "{}", stdout(&o));
    let html = std::fs::read_to_string(&out).expect("sheet written");
    assert_eq!(html.matches("<svg").count(), 4, "one QR code per token");
    for l in &links {
        assert!(html.contains(&format!("https://anju.example.cn{l}")), "{l}");
    }
    assert!(html.contains("第 1 户") && html.contains("size:A4"));
    // A bad base URL is refused, naming it.
    let o = anju(&[
        "survey",
        "qr",
        "--survey",
        "1",
        "--base-url",
        "anju.example.cn",
        "--out",
        out.to_str().expect("utf-8 path"),
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("http://"), "{}", stderr(&o));

    let token = links[0].trim_start_matches("/s/");
    let o = anju(&[
        "survey",
        "answer",
        token,
        "--compound",
        "祥和苑",
        "--dissatisfied",
        "--database-url",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = anju(&["survey", "list", "--format", "json", "--database-url", d]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v[0]["survey"]["compound"], "祥和苑");
    assert_eq!(v[0]["survey"]["required_sample"], 4);
    assert_eq!(v[0]["responses"], 1);
    assert_eq!(v[0]["valid"], false);
    let o = anju(&[
        "survey",
        "links",
        "1",
        "--format",
        "json",
        "--database-url",
        d,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(4));
    assert_eq!(v[0]["used"], true);
    assert_eq!(v[1]["used"], false);
}

both_engines!(household_fees, household_fee_sheet_sums_and_lists_arrears);
fn household_fee_sheet_sums_and_lists_arrears(d: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("households.csv");
    // 按户明细: three households of 祥和苑 in March; 2-1-302 has paid nothing.
    std::fs::write(
        &csv,
        "小区名称,所属街道,户号,月份,应收（元）,实收（元）\n祥和苑,大沁他拉街道,1-1-101,2026-03,120.00,120.00\n祥和苑,大沁他拉街道,2-1-302,2026-03,\"1,080.50\",0\n祥和苑,大沁他拉街道,3-2-501,2026-03,95.5,95.5\n",
    )
    .expect("write");
    let f = csv.to_str().expect("utf-8 path");
    let o = anju(&["fees", "import", f, "--database-url", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("已导入按户明细 3 行：新增 3"),
        "{}",
        stdout(&o)
    );
    // The compound month is their sum: 1,296.00 billed, 215.50 collected.
    let o = anju(&[
        "fees",
        "rate",
        "--compound",
        "祥和苑",
        "--period",
        "2026-03",
        "--format",
        "json",
        "--database-url",
        d,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["billed_fen"].as_i64(), Some(129_600), "{v}");
    assert_eq!(v["collected_fen"].as_i64(), Some(21_550), "{v}");
    let o = anju(&[
        "fees",
        "households",
        "--compound",
        "祥和苑",
        "--month",
        "2026-03",
        "--arrears",
        "--database-url",
        d,
    ]);
    let out = stdout(&o);
    assert!(out.contains("2-1-302") && out.contains("1,080.50"), "{out}");
    assert!(!out.contains("1-1-101"), "{out}");
    // A hand-entered total for that month is refused: the detail decides it.
    let o = anju(&[
        "fees",
        "set",
        "--compound",
        "祥和苑",
        "--month",
        "2026-03",
        "--billed",
        "1",
        "--collected",
        "1",
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("按户明细"), "{}", stderr(&o));
    // A sheet with a 户号 column needs one on every row: nothing is imported.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "小区名称,户号,月份,应收,实收\n祥和苑,,2026-04,1,1\n祥和苑,1-1-101,2026-04,1,1\n",
    )
    .expect("write");
    let o = anju(&[
        "fees",
        "import",
        bad.to_str().expect("utf-8"),
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("须填写户号"), "{}", stderr(&o));
}
