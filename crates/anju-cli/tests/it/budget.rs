//! `anju budget project|compare`: the real binary on SQLite, figures worked by hand from the
//! seed texts (the same three compounds as anju-policy's projection unit tests).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn anju(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anju"))
        .arg("--database-url")
        .arg(db)
        .args(args)
        .output()
        .expect("run anju")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// 甲小区 5,000.01 ㎡ 无物业, 乙小区 8,000 ㎡ 业主自管 (the targets, in this order), 丙小区
/// 10,000 ㎡ with a company (not a target); and 丁小区 in another street.
fn ledger(dir: &Path) -> PathBuf {
    let p = dir.join("台账.csv");
    std::fs::write(
        &p,
        "小区名称,所属区县,所属街道,物业管理方式,物业企业,建筑面积,户数,建成年份\n\
         甲小区,东昌府区,东城街道,无物业,,5000.01,96,1997\n\
         乙小区,东昌府区,东城街道,业主自管,,8000,120,1995\n\
         丙小区,东昌府区,东城街道,专业化物业,安泰物业有限公司,10000,200,2005\n\
         丁小区,东昌府区,西城街道,无物业,,3000,40,1990\n",
    )
    .expect("write ledger");
    p
}

fn setup() -> (tempfile::TempDir, String, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("anju.db").display());
    let file = ledger(dir.path());
    let o = anju(&db, &["import", "ledger", &file.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, db, file)
}

const ASSUME: &[&str] = &[
    "--street",
    "东城街道",
    "--years",
    "3",
    "--start-year",
    "2027",
    "--coverage",
    "2027:50%,2028:100%",
    "--score",
    "85",
    "--collection-rate",
    "85%",
];

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("json")
}

/// Liaocheng (seed 000 三、四（一）), coverage 50 % of 2 → 甲 in 2027, 乙 in 2028:
/// 甲 2027 5,000.01 × 0.4 × 12 × 90 % = 21,600.04 (10 % held); 2028 × 0.3 → 16,200.03;
/// 2029 × 0.2 → 10,800.02 + the 5,400.00 held (collection 85 % ≥ 80 %) = 16,200.02.
/// 乙 2028 8,000 × 0.4 × 12 × 90 % = 34,560.00; 2029 × 0.3 → 25,920.00; 2030 (after the
/// horizon) 17,280.00 + 8,640.00 held = 25,920.00.
/// Years: 21,600.04 · 50,760.03 · 42,120.02; total 114,480.09.
#[test]
fn liaocheng_projection_by_hand() {
    let (_dir, db, _) = setup();
    let mut args = vec![
        "budget",
        "project",
        "--policy",
        "liaocheng-2021",
        "--format",
        "json",
    ];
    args.extend_from_slice(ASSUME);
    let v = json(&anju(&db, &args));
    let years: Vec<(i64, &str, u64)> = v["years"]
        .as_array()
        .expect("years")
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().expect("year"),
                y["total"].as_str().expect("total"),
                y["covered"].as_u64().expect("covered"),
            )
        })
        .collect();
    assert_eq!(
        years,
        vec![
            (2027, "21600.04", 1),
            (2028, "50760.03", 2),
            (2029, "42120.02", 2)
        ]
    );
    assert_eq!(v["total"], "114480.09");
    assert_eq!(v["total_by_payer"], serde_json::json!(["114480.09"]));
    assert_eq!(v["after_horizon"], "25920.00");
    assert_eq!(v["candidates"], 2);
    assert_eq!(v["managed_skipped"], 1);

    // The table says what was assumed and shows the money grouped.
    let mut args = vec!["budget", "project", "--policy", "liaocheng-2021"];
    args.extend_from_slice(ASSUME);
    let o = anju(&db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "预算测算：聊城方案（liaocheng-2021）",
        "目标小区（无物业、自管）2 个，已有物业管理的 1 个不计",
        "2027 年底 50 %，2028 年底 100 %",
        "开发区财政（元）",
        "114,480.09",
        "测算期后同一批合同仍需支付：25,920.00 元",
    ] {
        assert!(out.contains(want), "{want} missing from:\n{out}");
    }
}

/// Yantai (seed 001 三（四）): 50 % of the fees, 3 years, 1 : 1 city : district, contracts of
/// more than 10 years (11 here), fee 0.80 元/㎡/月, evaluation passed.
/// 甲 5,000.01 × 0.80 × 12 × 50 % = 24,000.048 → 24,000.05 a year from 2027;
/// 乙 8,000 × 0.80 × 12 × 50 % = 38,400.00 a year from 2028.
/// Years: 24,000.05 · 62,400.05 · 62,400.05 = 148,800.15. Against Liaocheng (above):
/// +2,400.01 · +11,640.02 · +20,280.03 = +34,320.06.
#[test]
fn compare_liaocheng_and_yantai_side_by_side() {
    let (_dir, db, _) = setup();
    let mut args = vec![
        "budget",
        "compare",
        "--policy",
        "liaocheng-2021",
        "--policy",
        "yantai-2022",
        "--term-years",
        "11",
        "--fee",
        "0.80",
        "--passed",
        "true",
        "--format",
        "json",
    ];
    args.extend_from_slice(ASSUME);
    let v = json(&anju(&db, &args));
    let totals: Vec<&str> = v["projections"]
        .as_array()
        .expect("projections")
        .iter()
        .map(|p| p["total"].as_str().expect("total"))
        .collect();
    assert_eq!(totals, vec!["114480.09", "148800.15"]);
    let y = &v["projections"][1]["years"];
    assert_eq!(y[0]["total"], "24000.05");
    assert_eq!(y[1]["total"], "62400.05");
    // City first: the leftover fen of each 24,000.05 goes to the payer listed first.
    assert_eq!(
        y[0]["by_payer"],
        serde_json::json!(["12000.03", "12000.02"])
    );
    let d = &v["differences"][0];
    assert_eq!(d["total"], "34320.06");
    let by_year: Vec<&str> = d["by_year"]
        .as_array()
        .expect("by_year")
        .iter()
        .map(|x| x["difference"].as_str().expect("difference"))
        .collect();
    assert_eq!(by_year, vec!["2400.01", "11640.02", "20280.03"]);

    let mut args = vec![
        "budget",
        "compare",
        "--policy",
        "liaocheng-2021",
        "--policy",
        "yantai-2022",
        "--term-years",
        "11",
        "--fee",
        "0.80",
        "--passed",
        "true",
    ];
    args.extend_from_slice(ASSUME);
    let o = anju(&db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "政策比较：聊城方案（liaocheng-2021） 与 烟台方案（yantai-2022）",
        "烟台方案 − 聊城方案",
        "34,320.06",
        "烟台方案：市级财政 74,400.09，区级财政 74,400.06",
    ] {
        assert!(out.contains(want), "{want} missing from:\n{out}");
    }
}

/// Shanting's reward is 另行制定: the projection refuses and says so, never shows 0.
#[test]
fn a_policy_without_amounts_refuses() {
    let (_dir, db, _) = setup();
    let mut args = vec![
        "budget",
        "project",
        "--policy",
        "shanting-2020",
        "--passed",
        "true",
    ];
    args.extend_from_slice(ASSUME);
    let o = anju(&db, &args);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("尚无取值"), "{err}");
    assert!(err.contains("不会按 0 计算"), "{err}");
    assert!(stdout(&o).is_empty());
    // And a policy that needs a fee rate names it rather than assuming one.
    let mut args = vec![
        "budget",
        "project",
        "--policy",
        "yantai-2022",
        "--term-years",
        "11",
        "--passed",
        "true",
    ];
    args.extend_from_slice(ASSUME);
    let o = anju(&db, &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fee_per_m2_month"), "{}", stderr(&o));
}

/// An edited copy of a policy (year 1 at 0.5 元/㎡ instead of 0.4), on the compounds of a
/// ledger file rather than the database: 甲 in 2027, 5,000.01 × 0.5 × 12 × 90 % = 27,000.054
/// → 27,000.05; 乙 8,000 × 0.5 × 12 × 90 % = 43,200.00 in 2027 too (no schedule: all in year 1).
#[test]
fn edited_policy_file_on_a_ledger_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = ledger(dir.path());
    let src = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../anju-policy/policies/liaocheng-2021.toml"),
    )
    .expect("policy");
    let edited = src.replace(
        r#"by_index = ["0.4", "0.3", "0.2"]"#,
        r#"by_index = ["0.5", "0.3", "0.2"]"#,
    );
    assert_ne!(src, edited);
    let pf = dir.path().join("聊城-改.toml");
    std::fs::write(&pf, edited).expect("write policy");
    let db = format!("sqlite://{}", dir.path().join("empty.db").display());
    let o = anju(
        &db,
        &[
            "budget",
            "project",
            "--policy-file",
            &pf.to_string_lossy(),
            "--ledger",
            &file.to_string_lossy(),
            "--street",
            "东城街道",
            "--years",
            "1",
            "--start-year",
            "2027",
            "--score",
            "85",
            "--collection-rate",
            "0.85",
            "--format",
            "json",
        ],
    );
    let v = json(&o);
    assert_eq!(v["years"][0]["total"], "70200.05");
    assert_eq!(v["compounds"][0]["payable"], "27000.05");
    assert_eq!(v["compounds"][1]["payable"], "43200.00");
}
