//! `anju rubric …` as an assessor uses it: score a half-year's events, show the rubric, work
//! out a survey sample.

use serde_json::Value;
use std::io::Write as _;
use std::process::{Command, Output};

fn anju(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anju"))
        .args(args)
        .env_remove("ANJU_DATABASE_URL")
        .output()
        .expect("run anju")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An events file in a temporary directory that lives as long as the value.
struct EventsFile {
    _dir: tempfile::TempDir,
    path: String,
}

fn events_file(text: &str) -> EventsFile {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("events.toml");
    let mut f = std::fs::File::create(&path).expect("create");
    f.write_all(text.as_bytes()).expect("write");
    EventsFile {
        path: path.display().to_string(),
        _dir: dir,
    }
}

/// Scores `text` on Erqi's rubric and returns (exit code, stdout, stderr).
fn score(text: &str, extra: &[&str]) -> (i32, String, String) {
    let f = events_file(text);
    let mut args = vec![
        "rubric",
        "score",
        "--rubric",
        "erqi",
        "--events",
        f.path.as_str(),
    ];
    args.extend_from_slice(extra);
    let o = anju(&args);
    (o.status.code().unwrap_or(-1), out(&o), err(&o))
}

fn score_json(text: &str) -> Value {
    let (code, stdout, stderr) = score(text, &["--format", "json"]);
    assert!(code == 0 || code == 1, "{stderr}");
    serde_json::from_str(&stdout).expect("json")
}

const EXAMPLE: &str = r#"
rubric = "erqi"
compound = "建新街小区"
period = "2024年上半年"
satisfaction = 0.83
[[events]]
item = 10
code = "guard_absent"
count = 3
note = "3月5日夜班缺岗"
[[events]]
item = 1
code = "not_filed"
[[events]]
item = 16
code = "unclean"
count = 25
"#;

#[test]
fn scores_item_by_item_in_chinese() {
    let (code, stdout, stderr) = score(EXAMPLE, &[]);
    assert_eq!(code, 0, "{stderr}");
    for want in [
        "二七区老旧小区物业管理考核评分细则",
        "考核对象：建新街小区",
        "[10] 小区管理有序",
        "保安缺岗 3 次 × 0.5 分 = 1.5 分",
        "备注：3月5日夜班缺岗",
        "得分 8.5 / 10",
        "未备案 扣 5 分",
        "公共区域、楼道不洁 25 次 × 0.2 分 = 5 分",
        "扣分合计 5 分，超过本项分值 4 分，按 4 分扣",
        "得分 0 / 4",
        "小计 18.5 / 20",
        "满意度 83% → 80%以上，得 10 分",
        // 100 − 5 − 1.5 − 4 = 89.5
        "合计 89.5 / 100",
        "等次 良好",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in\n{stdout}");
    }
}

#[test]
fn scores_in_english_with_the_global_flag() {
    let f = events_file(EXAMPLE);
    let o = anju(&[
        "--lang", "en", "rubric", "score", "--rubric", "erqi", "--events", &f.path,
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let stdout = out(&o);
    for want in [
        "Guard absent: 3 times × 0.5 = 1.5",
        "Contract not filed: −5",
        "capped at 4",
        "Subtotal 18.5 / 20",
        "Total 89.5 / 100",
        "Grade Good",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in\n{stdout}");
    }
}

#[test]
fn json_has_lines_subtotals_total_and_grade() {
    let v = score_json(EXAMPLE);
    assert_eq!(v["total"], "89.5");
    assert_eq!(v["max_total"], "100");
    assert_eq!(v["grade"]["code"], "good");
    assert_eq!(v["complete"], true);
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 20);
    let guard = &items[9];
    assert_eq!(guard["no"], 10);
    assert_eq!(guard["score"], "8.5");
    assert_eq!(guard["deductions"][0]["code"], "guard_absent");
    assert_eq!(guard["deductions"][0]["count"], 3);
    assert_eq!(guard["deductions"][0]["amount"], "1.5");
    assert_eq!(
        guard["explanation"],
        "保安缺岗 3 次 × 0.5 分 = 1.5 分；合计扣 1.5 分，得 8.5 分"
    );
    assert_eq!(items[15]["capped"], true);
    assert_eq!(items[15]["score"], "0");
    let groups = v["groups"].as_array().expect("groups");
    let subtotals: Vec<&str> = groups
        .iter()
        .map(|g| g["score"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(subtotals, ["15", "15", "18.5", "16", "15", "10"]);
}

#[test]
fn an_item_never_goes_below_zero() {
    let mut text = String::from("satisfaction = 0.9\n");
    for day in 1..=30 {
        text.push_str(&format!(
            "[[events]]\nitem = 10\ncode = \"guard_absent\"\nnote = \"{day}日缺岗\"\n"
        ));
    }
    let v = score_json(&text);
    let item = &v["items"][9];
    assert_eq!(item["deducted_raw"], "15");
    assert_eq!(item["deducted"], "10");
    assert_eq!(item["score"], "0");
    assert_eq!(v["total"], "90");
}

#[test]
fn satisfaction_boundaries() {
    // (satisfaction as written, item 20 points, total, grade)
    let cases = [
        ("0.80", "10", "100", "excellent"),
        ("0.799", "8", "98", "excellent"),
        ("\"70%\"", "8", "98", "excellent"),
        ("\"69.9%\"", "6", "96", "excellent"),
        ("0.6", "6", "96", "excellent"),
        ("0.599", "5", "95", "excellent"),
        ("0.5", "5", "95", "excellent"),
        ("0.499", "0", "90", "good"),
    ];
    for (rate, points, total, grade) in cases {
        let v = score_json(&format!("satisfaction = {rate}\n"));
        assert_eq!(v["items"][19]["score"], points, "{rate}");
        assert_eq!(v["total"], total, "{rate}");
        assert_eq!(v["grade"]["code"], grade, "{rate}");
    }
    // At exactly 50 % the overlap in the text is resolved, and the output says how.
    let (_, stdout, _) = score("satisfaction = \"50%\"\n", &[]);
    assert!(
        stdout.contains("50%以上（该值同属原文两档，见说明），得 5 分"),
        "{stdout}"
    );
    assert!(stdout.contains("较高一档优先"), "{stdout}");
}

#[test]
fn a_survey_below_the_sample_is_not_scored() {
    // 101 households need ceil(10.1) = 11 responses; 10 is too few.
    let text = "[survey]\nhouseholds = 101\nresponses = 10\nsatisfied = 9\n";
    let (code, stdout, _) = score(text, &[]);
    assert_eq!(code, 1);
    assert!(stdout.contains("应至少抽样 11 户"), "{stdout}");
    assert!(stdout.contains("未评分 / 10"), "{stdout}");
    assert!(stdout.contains("等次 无法评定：第 20 项未评分"), "{stdout}");
    let v = score_json(text);
    assert_eq!(v["grade"], Value::Null);
    assert_eq!(v["complete"], false);
    assert_eq!(v["total"], "90");

    let (code, stdout, _) = score(
        "[survey]\nhouseholds = 101\nresponses = 11\nsatisfied = 9\n",
        &[],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "满意度 81.82%（满意 9 / 有效问卷 11，101 户应抽样 11 户） → 80%以上，得 10 分"
        ),
        "{stdout}"
    );
}

#[test]
fn bad_events_are_named() {
    // (events, Chinese error, English error)
    let cases = [
        (
            "[[events]]\nitem = 10\ncode = \"guard_absnt\"\nnote = \"夜班\"\n",
            "第 1 个事件（第 10 项，代码 guard_absnt，备注“夜班”）：第 10 项没有扣分代码“guard_absnt”",
            "event #1 (item 10, code guard_absnt, note \"夜班\"): item 10 has no deduction code \"guard_absnt\"",
        ),
        (
            "[[events]]\nitem = 1\ncode = \"not_filed\"\n[[events]]\nitem = 21\ncode = \"x\"\n",
            "第 2 个事件（第 21 项，代码 x）：评分表没有第 21 项",
            "event #2 (item 21, code x): the rubric has no item 21",
        ),
        (
            "[[events]]\nitem = 10\ncode = \"guard_absent\"\ncount = -3\n",
            "第 1 个事件（第 10 项，代码 guard_absent）：次数 -3 不能为负数",
            "event #1 (item 10, code guard_absent): count -3 cannot be negative",
        ),
        (
            "[[events]]\nitem = 20\ncode = \"low\"\n",
            "第 20 项按满意度调查计分",
            "scored from the satisfaction survey",
        ),
        (
            "rubric = \"yantai\"\n",
            "事件文件针对评分表“yantai”，但本次使用评分表“erqi”",
            "the events file is for rubric \"yantai\" but rubric \"erqi\" was chosen",
        ),
    ];
    for (text, zh, en) in cases {
        let (code, stdout, stderr) = score(text, &[]);
        assert_eq!(code, 2, "{text}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(zh), "want {zh:?}, got {stderr}");
        let f = events_file(text);
        let o = anju(&[
            "--lang", "en", "rubric", "score", "--rubric", "erqi", "--events", &f.path,
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(err(&o).contains(en), "want {en:?}, got {}", err(&o));
    }
}

#[test]
fn the_rubric_comes_from_the_events_file_or_a_path() {
    let f = events_file("rubric = \"erqi\"\nsatisfaction = 1\n");
    let o = anju(&["rubric", "score", "--events", &f.path]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("合计 100 / 100"));

    let f = events_file("satisfaction = 1\n");
    let o = anju(&["rubric", "score", "--events", &f.path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--rubric"));

    let o = anju(&[
        "rubric", "score", "--rubric", "nowhere", "--events", &f.path,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("没有名为“nowhere”的内置评分表"),
        "{}",
        err(&o)
    );
}

#[test]
fn show_prints_rules_and_the_overlap_resolution() {
    let o = anju(&["rubric", "show", "--rubric", "erqi"]);
    assert!(o.status.success(), "{}", err(&o));
    let s = out(&o);
    for want in [
        "guard_absent",
        "保安缺岗：扣 0.5 分/次",
        "no_patrol_record",
        "扣 0.1 分/日",
        "未签合同：扣 10 分（每期最多 1 次）",
        "50%以下 → 0 分",
        "【重叠】第 20 项满意度分档重叠：“50%以上”得 5 分，“50%以下”得 0 分",
        "按较高一档计",
        "优秀（95分（含95分）以上）",
    ] {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
    let o = anju(&["--lang", "en", "rubric", "show", "--format", "json"]);
    let v: Value = serde_json::from_str(&out(&o)).expect("json");
    assert_eq!(v["id"], "erqi");
    assert_eq!(v["items"].as_array().map(Vec::len), Some(20));
    assert_eq!(v["findings"][0]["kind"], "overlap");

    let o = anju(&["rubric", "list"]);
    assert!(out(&o).contains("erqi\t二七区老旧小区物业管理考核评分细则"));
}

#[test]
fn sample_sizes() {
    // (rule, households, required)
    let cases = [
        ("erqi", "9", "1"),
        ("erqi", "10", "1"),
        ("erqi", "99", "10"),
        ("erqi", "100", "10"),
        ("erqi", "101", "11"),
        ("erqi", "1000", "100"),
        ("daqintala", "9", "9"),
        ("daqintala", "10", "10"),
        ("daqintala", "99", "10"),
        ("daqintala", "100", "10"),
        ("daqintala", "101", "11"),
        ("daqintala", "1000", "100"),
    ];
    for (rule, households, need) in cases {
        let o = anju(&[
            "rubric",
            "sample",
            "--rule",
            rule,
            "--households",
            households,
        ]);
        assert!(o.status.success(), "{}", err(&o));
        let want = format!("{households} 户应至少抽样 {need} 户");
        assert!(
            out(&o).contains(&want),
            "{rule}: want {want:?}, got {}",
            out(&o)
        );
    }
    let o = anju(&[
        "rubric",
        "sample",
        "--rule",
        "daqintala",
        "--households",
        "100",
        "--responses",
        "9",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("调查无效"));
    let o = anju(&[
        "--lang",
        "en",
        "rubric",
        "sample",
        "--rule",
        "daqintala",
        "--households",
        "101",
        "--responses",
        "11",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        out(&o).contains("101 households need a sample of at least 11"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("the survey is valid"));
}
