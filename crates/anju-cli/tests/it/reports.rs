//! `anju report …` through the binary on the demo data: the files are read back with calamine
//! and checked cell by cell against the seeds' tables (seed 003 附件3/4/5, seed 002 附件).

use crate::ledger::{anju, fresh_sqlite, stderr, stdout};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;

fn demo() -> crate::ledger::Db {
    let db = fresh_sqlite();
    let o = anju(&["demo", "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

fn ok(args: &[&str]) -> String {
    let o = anju(args);
    assert!(o.status.success(), "{:?}: {}", args, stderr(&o));
    stdout(&o)
}

struct Sheet(calamine::Range<Data>, Vec<calamine::Dimensions>);

fn sheet(path: &Path, name: &str) -> Sheet {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open xlsx");
    let range = wb.worksheet_range(name).expect("sheet");
    let merges = wb.merge_cells_by_sheet_name(name).expect("merges");
    Sheet(range, merges)
}

impl Sheet {
    fn text(&self, r: u32, c: u32) -> String {
        match self.0.get_value((r, c)).cloned().unwrap_or(Data::Empty) {
            Data::Empty => String::new(),
            Data::String(s) => s,
            Data::Float(f) if f.fract() == 0.0 => format!("{}", f as i64),
            Data::Float(f) => format!("{f}"),
            Data::DateTime(d) => {
                let days = d.as_f64().floor() as i64;
                jiff::civil::date(1899, 12, 30)
                    .checked_add(jiff::Span::new().days(days))
                    .expect("date")
                    .to_string()
            }
            other => format!("{other:?}"),
        }
    }
    fn row(&self, r: u32, n: u32) -> Vec<String> {
        (0..n).map(|c| self.text(r, c)).collect()
    }
    fn is_number(&self, r: u32, c: u32) -> bool {
        matches!(self.0.get_value((r, c)), Some(Data::Float(_)))
    }
    fn merged(&self, from: (u32, u32), to: (u32, u32)) -> bool {
        self.1.iter().any(|d| d.start == from && d.end == to)
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn report_list_names_every_report() {
    let out = ok(&["report", "list"]);
    for name in [
        "dispatch",
        "tasks-3",
        "tasks-4",
        "coverage",
        "ranking",
        "scores",
        "accounts",
        "subsidy-application",
        "disbursement-list",
    ] {
        assert!(out.contains(name), "{name} missing: {out}");
    }
    assert!(out.contains("住宅小区物业管理全覆盖进展情况调度表"));
    let o = anju(&["report", "nonsense"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("没有名为“nonsense”的报表"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn shanting_task_lists_reproduce_annexes_3_and_4() {
    let db = demo();
    let d = db.url.as_str();
    ok(&[
        "tasks",
        "import-seed",
        "--preset",
        "shanting-2020",
        "--database-url",
        d,
    ]);
    let dir = tempfile::tempdir().expect("tmp");
    let f3 = dir.path().join("附件3.xlsx");
    let out = ok(&[
        "report",
        "tasks-3",
        "--street",
        "山城街道",
        "--out",
        f3.to_str().expect("path"),
        "--database-url",
        d,
    ]);
    assert!(out.contains("4 行，20 项任务"), "{out}");
    let s = sheet(&f3, "附件3");
    assert_eq!(
        s.text(0, 0),
        "山亭区实施物业企业管理的住宅小区提升任务一览表"
    );
    assert_eq!(
        s.row(1, 7),
        strs(&[
            "序号",
            "镇（街）",
            "社区名称",
            "实施物业企业管理的住宅小区",
            "提升任务",
            "责任人",
            "完成时间"
        ])
    );
    // The seed's four community rows, in its order, with its counts.
    let want = [
        ("梅园社区（2）", "梅花园、龙珠百合"),
        (
            "紫薇社区（10）",
            "锦绣花园、御景公馆、紫锦庄园、宝徕花苑、樱花园、龙珠丽都、民生国际、裕升山亭花园、太清湖润景家园、银光上城",
        ),
        (
            "丰泽社区（7）",
            "欧亚城、欧情豪庭、欧情南苑、桂花园、御峰园、苹果花苑、枣花园",
        ),
        ("东、西鲁社区（1）", "丰泽嘉苑"),
    ];
    for (i, (community, compounds)) in want.iter().enumerate() {
        let r = 2 + u32::try_from(i).expect("row");
        assert_eq!(s.text(r, 2), *community, "row {r}");
        assert_eq!(s.text(r, 3), *compounds, "row {r}");
    }
    assert_eq!(s.text(2, 0), "1");
    assert_eq!(s.text(2, 1), "山城街道\n（20个）");
    assert!(
        s.text(2, 4)
            .starts_with("按照《枣庄市2020年物业管理整治提升行动实施方案》"),
        "{}",
        s.text(2, 4)
    );
    assert_eq!(s.text(2, 5), "郭振华");
    assert_eq!(s.text(2, 6), "2020-11-30");
    // 序号, 镇（街）, 提升任务, 责任人, 完成时间 merged over the four rows, as the seed prints them.
    for c in [0, 1, 4, 5, 6] {
        assert!(s.merged((2, c), (5, c)), "column {c} merged");
    }

    let f4 = dir.path().join("附件4.xlsx");
    let out = ok(&[
        "report",
        "tasks-4",
        "--street",
        "山城街道",
        "--out",
        f4.to_str().expect("path"),
        "--database-url",
        d,
    ]);
    assert!(out.contains("3 行，21 项任务"), "{out}");
    let s = sheet(&f4, "附件4");
    assert_eq!(s.text(0, 0), "山亭区实施住宅小区物业管理全覆盖任务一览表");
    assert_eq!(s.text(1, 3), "未实施物业管理的住宅小区");
    assert_eq!(s.text(1, 4), "工作任务");
    assert_eq!(s.text(2, 1), "山城街道\n（21个）");
    assert_eq!(
        [s.text(2, 2), s.text(3, 2), s.text(4, 2)],
        ["梅园社区（10）", "紫薇社区（4）", "丰泽社区（7）"].map(String::from)
    );
    assert_eq!(
        s.text(3, 3),
        "鑫盛公寓（药材宿舍）、银山小区、紫薇社区、翼云公寓"
    );
    assert_eq!(s.text(2, 6), "2020-11-15");
}

#[test]
fn dispatch_sheet_for_a_street_and_off_schedule_warning() {
    let db = demo();
    let d = db.url.as_str();
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("调度表.xlsx");
    let o = anju(&[
        "report",
        "dispatch",
        "--street",
        "山城街道",
        "--period",
        "2026-11-16",
        "--out",
        f.to_str().expect("path"),
        "--database-url",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2026-11-16 不是报送日（每月1日、15日）"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("1 个街道，41 个小区"), "{}", stdout(&o));
    let s = sheet(&f, "山城街道");
    assert_eq!(s.text(0, 0), "住宅小区物业管理全覆盖进展情况调度表");
    assert_eq!(s.text(1, 0), "山城街道办事处　　　　报送日期：2026-11-16");
    assert_eq!(s.text(2, 5), "物业管理性质\n（自主或外聘物业公司）");
    // 41 numbered rows, then the seed's notes.
    for i in 0..41u32 {
        assert_eq!(s.text(3 + i, 0), (i + 1).to_string());
        assert!(s.is_number(3 + i, 0));
        assert!(!s.text(3 + i, 2).is_empty());
    }
    assert!(s.text(44, 0).starts_with("注：1."), "{}", s.text(44, 0));
    // A malformed date is refused, naming the flag.
    let o = anju(&[
        "report",
        "dispatch",
        "--period",
        "2026-11-99",
        "--out",
        f.to_str().expect("path"),
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--period“2026-11-99”不是日期"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn coverage_report_agrees_with_stats() {
    let db = demo();
    let d = db.url.as_str();
    let stats: serde_json::Value =
        serde_json::from_str(&ok(&["stats", "--format", "json", "--database-url", d]))
            .expect("json");
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("coverage.xlsx");
    ok(&[
        "report",
        "coverage",
        "--out",
        f.to_str().expect("path"),
        "--database-url",
        d,
    ]);
    let s = sheet(&f, "覆盖情况");
    // The last body row is 合计; its figures are `anju stats`'s totals.
    let last = (4..400u32)
        .find(|r| s.text(*r, 0) == "合计")
        .expect("合计 row");
    assert_eq!(s.text(last, 2), stats["compounds"].to_string());
    assert_eq!(s.text(last, 3), stats["households"].to_string());
    assert_eq!(s.text(last, 5), stats["with_company"].to_string());
    assert_eq!(s.text(last, 8), stats["unmanaged"].to_string());
    let pct: f64 = stats["coverage_percent"]
        .as_str()
        .expect("str")
        .parse()
        .expect("pct");
    assert_eq!(s.text(last, 14), format!("{pct}"));
    // Each street's 小计 row too.
    for st in stats["streets"].as_array().expect("streets") {
        let name = st["street"].as_str().expect("name");
        let r = (4..last)
            .find(|r| s.text(*r, 0) == name && s.text(*r, 1) == "小计")
            .expect("street row");
        assert_eq!(s.text(r, 2), st["compounds"].to_string(), "{name}");
        assert_eq!(s.text(r, 13), st["with_committee"].to_string(), "{name}");
    }
}

#[test]
fn score_sheet_and_public_accounts_from_commands() {
    let db = demo();
    let d = db.url.as_str();
    let dir = tempfile::tempdir().expect("tmp");
    let events = dir.path().join("events.toml");
    std::fs::write(
        &events,
        "[[events]]\nitem = 1\ncode = \"not_filed\"\nnote = \"未报街道备案\"\n",
    )
    .expect("write");
    ok(&[
        "assess",
        "new",
        "--compound",
        "梅花园",
        "--street",
        "山城街道",
        "--period",
        "2026H1",
        "--assessor",
        "山城街道",
        "--events",
        events.to_str().expect("path"),
        "--satisfaction",
        "85%",
        "--database-url",
        d,
    ]);
    let f = dir.path().join("scores.xlsx");
    let out = ok(&[
        "report",
        "scores",
        "--street",
        "山城街道",
        "--period",
        "2026-H1",
        "--out",
        f.to_str().expect("path"),
        "--database-url",
        d,
    ]);
    assert!(
        out.contains("考核评分表（2026年上半年）：1 个小区，40 个小区无考核记录"),
        "{out}"
    );
    let s = sheet(&f, "梅花园");
    assert_eq!(
        s.row(2, 7),
        strs(&[
            "序号",
            "考核大项",
            "考核分项",
            "分值",
            "评分标准",
            "扣分情况",
            "得分"
        ])
    );
    // Item 1: 10 points, 未备案 −5 → 5.
    assert_eq!(s.text(3, 1), "基础工作（20分）");
    assert_eq!(s.text(3, 5), "未备案1次，扣5分（未报街道备案）");
    assert_eq!(s.text(3, 6), "5");
    // Item 20: 85 % satisfaction → 10 points (80%以上得10分).
    assert_eq!(s.text(22, 0), "20");
    assert_eq!(s.text(22, 6), "10");
    // 100 − 5 = 95: 优秀 (95分（含95分）以上).
    assert_eq!(s.row(23, 7)[6], "95");
    assert_eq!(s.text(24, 6), "优秀");
    assert!(s.is_number(23, 6));

    for (kind, cat, amount) in [
        ("fees", None, "8,000.00"),
        ("subsidy", None, "2,345.67"),
        ("spending", Some("保洁"), "3,000.10"),
    ] {
        let mut args = vec![
            "accounts",
            "add",
            "--compound",
            "梅花园",
            "--street",
            "山城街道",
            "--period",
            "2026-Q1",
            "--kind",
            kind,
            "--amount",
            amount,
            "--database-url",
            d,
        ];
        if let Some(c) = cat {
            args.extend(["--category", c]);
        }
        ok(&args);
    }
    let f = dir.path().join("accounts.xlsx");
    let out = ok(&[
        "report",
        "accounts",
        "--street",
        "山城街道",
        "--period",
        "2026-Q1",
        "--out",
        f.to_str().expect("path"),
        "--database-url",
        d,
    ]);
    // 8,000.00 + 2,345.67 = 10,345.67; − 3,000.10 = 7,345.57.
    assert!(
        out.contains("收入 10,345.67 元，支出 3,000.10 元，结余 7,345.57 元"),
        "{out}"
    );
    let s = sheet(&f, "汇总");
    assert_eq!(
        s.row(3, 10),
        strs(&[
            "1",
            "山城街道",
            "梅花园",
            "8000",
            "0",
            "2345.67",
            "10345.67",
            "3000.1",
            "7345.57",
            "800"
        ])
    );
    assert!(s.is_number(3, 9));
}
