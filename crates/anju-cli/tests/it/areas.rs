//! Management areas, tasks and credit files through the command line.

use super::ledger::{anju, fresh_sqlite, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;

fn demo(db: &str) {
    let o = anju(&["demo", "--database-url", db]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn plan_json(db: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "plan",
        "areas",
        "--street",
        "大沁他拉街道",
        "--target-households",
        "200",
        "--format",
        "json",
        "--database-url",
        db,
    ];
    args.extend(extra);
    let o = anju(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("plan prints JSON")
}

/// Seed 004 三(五): "将77个弃管小区按照200户左右划分17个物业管理区域，共3796户".
#[test]
fn daqintala_plan_has_about_17_areas_near_the_target() {
    let db = fresh_sqlite();
    demo(&db.url);
    let p = plan_json(&db.url, &[]);
    let areas = p["areas"].as_array().expect("areas");
    let unmanaged: BTreeSet<String> = anju_demo::daqintala::compounds()
        .into_iter()
        .filter(|c| c.mode.group() == anju_core::ModeGroup::Unmanaged)
        .map(|c| c.name)
        .collect();
    assert_eq!(unmanaged.len(), 77);
    let mut placed = BTreeSet::new();
    let mut total = 0;
    let (mut lo, mut hi) = (u64::MAX, 0);
    for a in areas {
        let h = a["households"].as_u64().expect("households");
        // Every area within 50 %–160 % of the target.
        assert!((100..=320).contains(&h), "{} has {h} households", a["name"]);
        let members = a["members"].as_array().expect("members");
        let sum: u64 = members
            .iter()
            .map(|m| m["households"].as_u64().expect("h"))
            .sum();
        assert_eq!(sum, h);
        for m in members {
            let name = m["name"].as_str().expect("name").to_string();
            assert!(unmanaged.contains(&name), "{name} is not one of the 77");
            assert!(placed.insert(name), "placed twice");
        }
        total += h;
        lo = lo.min(h);
        hi = hi.max(h);
    }
    println!(
        "Daqintala plan: {} areas, households per area min {lo}, max {hi}, mean {}",
        areas.len(),
        p["spread"]["mean"]
    );
    assert!((15..=20).contains(&areas.len()), "{} areas", areas.len());
    assert_eq!(placed.len(), 77, "every one of the 77 placed once");
    assert_eq!(total, 3796);
    assert_eq!(p["spread"]["households"].as_u64(), Some(3796));
    assert_eq!(p["unplaced"].as_array().map(Vec::len), Some(0));
    // Deterministic: the same plan again.
    assert_eq!(plan_json(&db.url, &[]), p);
}

#[test]
fn accepting_the_plan_fills_the_ledger_column_once() {
    let db = fresh_sqlite();
    demo(&db.url);
    let p = plan_json(&db.url, &["--accept"]);
    assert_eq!(p["accepted"]["compounds_changed"].as_u64(), Some(77));
    let n_areas = p["areas"].as_array().map(Vec::len).expect("areas");
    assert_eq!(
        p["accepted"]["areas_created"].as_u64(),
        Some(n_areas as u64)
    );
    // Again: nothing changes.
    let again = plan_json(&db.url, &["--accept"]);
    assert_eq!(again["accepted"]["compounds_changed"].as_u64(), Some(0));
    assert_eq!(again["accepted"]["areas_created"].as_u64(), Some(0));
    assert_eq!(again["accepted"]["areas_updated"].as_u64(), Some(0));

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ledger.xlsx");
    let f = file.to_str().expect("utf-8 path");
    let o = anju(&[
        "export",
        "ledger",
        f,
        "--street",
        "大沁他拉街道",
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ledger =
        anju_sheets::read_ledger(&file, &anju_sheets::ReadOptions::now(anju_core::Lang::Zh))
            .expect("exported ledger reads back");
    let with_area: Vec<_> = ledger
        .rows
        .iter()
        .filter(|c| c.management_area.is_some())
        .collect();
    assert_eq!(with_area.len(), 77, "物业管理区域 filled for the 77");
    assert!(with_area.iter().all(|c| {
        c.management_area
            .as_deref()
            .is_some_and(|a| a.starts_with("大沁他拉街道第") && a.ends_with("物业管理区域"))
    }));

    // The table says so in Chinese, with grouped figures.
    let o = anju(&[
        "plan",
        "areas",
        "--street",
        "大沁他拉街道",
        "--database-url",
        &db.url,
    ]);
    let out = stdout(&o);
    assert!(out.contains("3,796 户"), "{out}");
    assert!(out.contains("纳入临近物业服务区域"), "{out}");

    // The accepted areas list back with their member compounds: every one of the 77 once.
    let o = anju(&[
        "plan",
        "list-areas",
        "--street",
        "大沁他拉街道",
        "--format",
        "json",
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed: Value = serde_json::from_str(&stdout(&o)).expect("list-areas prints JSON");
    let listed = listed.as_array().expect("array");
    assert_eq!(listed.len(), n_areas);
    let members: Vec<&str> = listed
        .iter()
        .flat_map(|a| a["compounds"].as_array().expect("compounds").iter())
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(members.len(), 77);
    assert_eq!(members.iter().collect::<BTreeSet<_>>().len(), 77);
    let households: u64 = listed.iter().filter_map(|a| a["households"].as_u64()).sum();
    assert_eq!(households, 3_796);
    let o = anju(&[
        "plan",
        "list-areas",
        "--street",
        "大沁他拉街道",
        "--database-url",
        &db.url,
    ]);
    assert!(
        stdout(&o).contains("大沁他拉街道第1物业管理区域"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn unknown_street_is_a_clear_error() {
    let db = fresh_sqlite();
    demo(&db.url);
    let o = anju(&[
        "plan",
        "areas",
        "--street",
        "不存在街道",
        "--database-url",
        &db.url,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("没有小区"), "{}", stderr(&o));
}

/// The planner's figures are checked in the application layer, the field named, before anything
/// is read or written.
#[test]
fn planning_figures_out_of_range_name_the_flag() {
    let db = fresh_sqlite();
    demo(&db.url);
    let run = |flag: &str, v: &str, lang: &str| {
        anju(&[
            "plan",
            "areas",
            "--street",
            "大沁他拉街道",
            flag,
            v,
            "--accept",
            "--lang",
            lang,
            "--database-url",
            &db.url,
        ])
    };
    let o = run("--target-households", "0", "zh");
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("目标户数：须在 1 至 100000 之间（填写的是 0）"),
        "{}",
        stderr(&o)
    );
    let o = run("--cap-percent", "90", "en");
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cap_percent: must be between 100 and 1000"),
        "{}",
        stderr(&o)
    );
    // Nothing was accepted.
    let o = anju(&[
        "plan",
        "list-areas",
        "--street",
        "大沁他拉街道",
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("尚未采纳"), "{}", stdout(&o));
}

/// Seed 003 附件3/附件4: the task rows for the Shanting demo compounds, 郭振华 responsible.
#[test]
fn shanting_seed_tasks_with_deadlines_and_overdue() {
    let db = fresh_sqlite();
    demo(&db.url);
    let o = anju(&[
        "tasks",
        "import-seed",
        "--preset",
        "shanting-2020",
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected: usize = anju_demo::shanting::tasks()
        .iter()
        .map(|t| t.compounds.len())
        .sum();
    let list = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec![
            "tasks",
            "list",
            "--format",
            "json",
            "--database-url",
            &db.url,
        ];
        args.extend(extra);
        let o = anju(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str::<Value>(&stdout(&o))
            .expect("json")
            .as_array()
            .cloned()
            .expect("array")
    };
    let all = list(&["--street", "山城街道"]);
    assert_eq!(all.len(), expected);
    assert!(all.iter().all(|t| t["responsible"] == "郭振华"));
    let by = |d: &str| all.iter().filter(|t| t["deadline"] == d).count();
    assert!(by("2020-11-15") > 0 && by("2020-11-30") > 0);
    assert_eq!(by("2020-11-15") + by("2020-11-30"), expected);
    // Loading again adds nothing.
    let o = anju(&[
        "tasks",
        "import-seed",
        "--preset",
        "shanting-2020",
        "--database-url",
        &db.url,
    ]);
    assert!(stdout(&o).contains("载入任务 0 项"), "{}", stdout(&o));
    // 附件4 (11月15日) is on time on the 15th and overdue on the 16th.
    assert_eq!(list(&["--overdue", "--as-of", "2020-11-15"]).len(), 0);
    let late = list(&["--overdue", "--as-of", "2020-11-16"]);
    assert_eq!(late.len(), by("2020-11-15"));
    let id = late[0]["id"].as_i64().expect("id").to_string();
    let o = anju(&[
        "tasks",
        "done",
        &id,
        "--date",
        "2020-11-16",
        "--database-url",
        &db.url,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        list(&["--overdue", "--as-of", "2020-11-16"]).len(),
        by("2020-11-15") - 1
    );
}

#[test]
fn company_registry_and_credit_grade() {
    let db = fresh_sqlite();
    let bad = anju(&[
        "company",
        "add",
        "--name",
        "甲物业",
        "--credit-code",
        "91150525MA0000001X",
        "--database-url",
        &db.url,
    ]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("应为 '6'"), "{}", stderr(&bad));
    let ok = anju(&[
        "company",
        "add",
        "--name",
        "甲物业",
        "--credit-code",
        "91150525MA00000016",
        "--contact",
        "张三",
        "--phone",
        "0475-0420000",
        "--database-url",
        &db.url,
    ]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    for args in [
        vec![
            "--kind",
            "assessment",
            "--score",
            "86.5",
            "--period",
            "2022-H1",
            "--date",
            "2022-07-01",
        ],
        vec![
            "--kind",
            "complaint",
            "--count",
            "6",
            "--date",
            "2022-08-01",
        ],
        vec![
            "--kind",
            "bad-conduct",
            "--note",
            "未公示收支",
            "--date",
            "2022-09-02",
        ],
    ] {
        let mut a = vec!["company", "record", "甲物业"];
        a.extend(args);
        a.extend(["--database-url", &db.url]);
        let o = anju(&a);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = anju(&[
        "company",
        "show",
        "甲物业",
        "--as-of",
        "2022-12-31",
        "--database-url",
        &db.url,
    ]);
    let out = stdout(&o);
    // 86.5 − 5 − ⌊6 / 5⌋ × 1 = 80.5 → AA.
    assert!(out.contains("信用等级：AA（信用分 80.50"), "{out}");
    assert!(out.contains("张三"), "{out}");
    let o = anju(&[
        "company",
        "grades",
        "--as-of",
        "2022-12-31",
        "--format",
        "json",
        "--database-url",
        &db.url,
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v[0]["grade"], "AA");
}
