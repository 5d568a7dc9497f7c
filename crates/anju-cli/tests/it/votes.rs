//! `anju household …` and `anju vote …` (issue 19 item 2) against the demo data: a register
//! sheet with a bad row is refused naming the row and column, a good one is imported and a
//! household typed; a vote on the maintenance fund is opened, paper ballots are entered with
//! their scans, counted and shown (in Chinese, in English, as JSON). An election put to a vote
//! is then recorded only by citing the carried vote (`anju owners-body elect --vote`), and the
//! fund's use the first vote carried is applied for, cited, approved and paid (`anju fund`).

use crate::ledger::{anju, stderr, stdout};
use crate::surveys::both_engines;
use serde_json::Value;

const COMPOUND: &str = "祥和苑";

fn ok(d: &str, args: &[&str]) -> String {
    let mut all = vec!["--database-url", d];
    all.extend_from_slice(args);
    let o = anju(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// The command fails, and says why on stderr.
fn refused(d: &str, args: &[&str]) -> String {
    let mut all = vec!["--database-url", d];
    all.extend_from_slice(args);
    let o = anju(&all);
    assert!(!o.status.success(), "{args:?} succeeded: {}", stdout(&o));
    stderr(&o)
}

fn json(d: &str, args: &[&str]) -> Value {
    let out = ok(d, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

fn day(n: i64) -> String {
    anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(n))
        .expect("date")
        .to_string()
}

/// The compound's households as `(unit, id)`.
fn households(d: &str) -> Vec<(String, String)> {
    json(
        d,
        &[
            "household",
            "list",
            "--compound",
            COMPOUND,
            "--format",
            "json",
        ],
    )
    .as_array()
    .expect("a list")
    .iter()
    .map(|h| {
        (
            h["unit"].as_str().expect("unit").to_string(),
            h["id"].as_i64().expect("id").to_string(),
        )
    })
    .collect()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The newest vote of the compound.
fn newest_vote(d: &str) -> Value {
    json(
        d,
        &["vote", "list", "--compound", COMPOUND, "--format", "json"],
    )[0]
    .clone()
}

both_engines!(owners_vote_path, a_register_a_vote_on_paper_and_its_count);
fn a_register_a_vote_on_paper_and_its_count(d: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let evidence = dir.path().join("evidence");
    let evidence = evidence.to_str().expect("utf-8 path");
    let bad = dir.path().join("名册有误.csv");
    std::fs::write(
        &bad,
        "房号,业主姓名,专有部分面积\n1-101,王一,90\n1-102,李二,九十\n",
    )
    .expect("write");
    let good = dir.path().join("业主名册.csv");
    std::fs::write(
        &good,
        "房号,业主姓名,专有部分面积\n1-101,王一,90\n1-102,李二,90\n1-103,张三,90\n1-104,赵四,90.00\n",
    )
    .expect("write");
    let scan = dir.path().join("选票.pdf");
    std::fs::write(&scan, b"%PDF-1.4\n% a paper ballot\n").expect("write");
    let scan = scan.to_str().expect("utf-8 path");

    // 业主名册: a bad row refuses the whole sheet, naming the row and the column.
    let out = ok(d, &["household", "list", "--compound", COMPOUND]);
    assert!(out.contains("还没有业主名册"), "{out}");
    let err = refused(
        d,
        &[
            "household",
            "import",
            bad.to_str().expect("path"),
            "--compound",
            COMPOUND,
        ],
    );
    assert!(
        err.contains("第 3 行") && err.contains("专有部分面积 (C)") && err.contains("未导入"),
        "{err}"
    );
    assert!(households(d).is_empty());
    let out = ok(
        d,
        &[
            "household",
            "import",
            good.to_str().expect("path"),
            "--compound",
            COMPOUND,
        ],
    );
    assert!(
        out.contains("新增 4 户") && out.contains("名册共 4 户"),
        "{out}"
    );
    let out = ok(
        d,
        &[
            "household",
            "add",
            "--compound",
            COMPOUND,
            "--unit",
            "1-105",
            "--owner",
            "孙五",
            "--area",
            "90",
        ],
    );
    assert!(
        out.contains("新增 1 户") && out.contains("450.00 ㎡"),
        "{out}"
    );
    let err = refused(
        d,
        &[
            "household",
            "add",
            "--compound",
            COMPOUND,
            "--unit",
            "1-106",
            "--area",
            "0",
        ],
    );
    assert!(
        err.contains("专有部分面积") && err.contains("大于 0"),
        "{err}"
    );
    let out = ok(d, &["household", "list", "--compound", COMPOUND]);
    assert!(
        out.contains("孙五") && out.contains("共 5 户，专有部分面积合计 450.00 ㎡"),
        "{out}"
    );
    let units = households(d);
    let household = |unit: &str| {
        units
            .iter()
            .find(|(u, _)| u == unit)
            .map(|(_, id)| id.clone())
            .unwrap_or_else(|| panic!("no {unit}"))
    };

    // 发起: a matter the command does not know and a first day after today are refused.
    let open = |matter: &str, opens_on: &str| {
        vec![
            "vote".to_string(),
            "open".into(),
            "--compound".into(),
            COMPOUND.into(),
            "--matter".into(),
            matter.into(),
            "--question".into(),
            "是否同意使用专项维修资金更换 1 号楼电梯".into(),
            "--opens-on".into(),
            opens_on.into(),
            "--closes-on".into(),
            day(1),
        ]
    };
    let err = refused(d, &args(&open("poll", &day(0))));
    assert!(
        err.contains("--matter") && err.contains("use_fund"),
        "{err}"
    );
    let err = refused(d, &args(&open("use_fund", &day(1))));
    assert!(
        err.contains("表决开始日期") && err.contains("晚于今天"),
        "{err}"
    );
    let out = ok(d, &args(&open("使用维修资金", &day(0))));
    assert!(
        out.contains("使用维修资金（表决中）") && out.contains("业主名册：5 户"),
        "{out}"
    );
    let vote = newest_vote(d);
    assert_eq!(vote["status"], "open");
    assert_eq!(vote["owners"], 5);
    let id = vote["id"].as_i64().expect("id").to_string();

    // 纸质选票, each with its scan: three for, one against (4 of 5 take part).
    let paper = |unit: &str, choice: &str| {
        vec![
            "vote".to_string(),
            "paper".into(),
            id.clone(),
            "--household".into(),
            household(unit),
            "--choice".into(),
            choice.into(),
            "--received-on".into(),
            day(0),
            "--scan".into(),
            scan.into(),
            "--evidence-dir".into(),
            evidence.into(),
        ]
    };
    for unit in ["1-101", "1-102", "1-103"] {
        ok(d, &args(&paper(unit, "option")));
    }
    let out = ok(d, &args(&paper("1-104", "反对")));
    assert!(out.contains("已投票 4 / 5 户（80.00 %）"), "{out}");
    let err = refused(d, &args(&paper("1-101", "against")));
    assert!(err.contains("已经投过票"), "{err}");
    let err = refused(d, &args(&paper("1-105", "maybe")));
    assert!(err.contains("--choice"), "{err}");
    let stored = std::fs::read_dir(evidence)
        .expect("the evidence directory")
        .count();
    assert!(stored > 0, "the scan is kept");
    let out = ok(d, &["vote", "show", &id]);
    assert!(
        out.contains("纸质选票") && out.contains("未投") && out.contains("尚不能计票"),
        "{out}"
    );

    // 计票: before the last day only once every household has voted; a stale version is
    // refused.
    let err = refused(d, &["vote", "close", &id, "--version", "1"]);
    assert!(err.contains("提前计票"), "{err}");
    ok(d, &args(&paper("1-105", "abstain")));
    let err = refused(d, &["vote", "close", &id, "--version", "9"]);
    assert!(err.contains("已被他人修改"), "{err}");
    let out = ok(d, &["vote", "close", &id, "--version", "1"]);
    assert!(
        out.contains("（已结束）") && out.contains("结果：表决通过"),
        "{out}"
    );
    let out = ok(d, &["vote", "show", &id]);
    for s in [
        &format!("计票日期：{}", day(0)),
        "已投票 5 / 5 户（100.00 %）",
        "1. 同意",
        "270.00 ㎡",
        "60.00 % / 60.00 %",
        "反对",
        "弃权",
        "结果：表决通过",
    ] {
        assert!(out.contains(s), "{s}: {out}");
    }
    let out = ok(d, &["--lang", "en", "vote", "show", &id]);
    assert!(
        out.contains("result: carried") && out.contains("use the maintenance fund"),
        "{out}"
    );
    let shown = json(d, &["vote", "show", &id, "--json"]);
    assert_eq!(shown["vote"]["status"], "closed");
    assert_eq!(shown["vote"]["carried_option"], 1);
    assert_eq!(shown["vote"]["result"]["voted_owners"], 5);
    assert_eq!(
        shown["vote"]["result"]["options"][0]["tally"]["yes_owners"],
        3
    );
    assert_eq!(shown["vote"]["result"]["against_owners"], 1);
    assert_eq!(shown["vote"]["result"]["abstain_owners"], 1);
    assert_eq!(shown["ballots"].as_array().map(Vec::len), Some(5));
    let err = refused(d, &["vote", "apply", &id]);
    assert!(err.contains("只有选聘、解聘物业服务企业"), "{err}");

    // An election put to a vote: recorded only citing the carried vote.
    let out = ok(
        d,
        &[
            "owners-body",
            "start",
            "--compound",
            COMPOUND,
            "--kind",
            "owners_committee",
            "--prepared-on",
            &day(-10),
            "--preparer",
            "王一",
        ],
    );
    assert!(out.contains("筹备中"), "{out}");
    let body = json(
        d,
        &[
            "owners-body",
            "list",
            "--compound",
            COMPOUND,
            "--format",
            "json",
        ],
    )[0]["id"]
        .as_i64()
        .expect("body")
        .to_string();
    ok(
        d,
        &[
            "vote",
            "open",
            "--compound",
            COMPOUND,
            "--matter",
            "elect_committee",
            "--question",
            "选举第一届业主委员会",
            "--body",
            &body,
            "--opens-on",
            &day(0),
            "--closes-on",
            &day(0),
        ],
    );
    let election = newest_vote(d);
    assert_eq!(election["owners_body_id"].to_string(), body);
    let election_id = election["id"].as_i64().expect("id").to_string();
    for unit in ["1-101", "1-102", "1-103", "1-104"] {
        let mut a = paper(unit, "option");
        a[2] = election_id.clone();
        ok(d, &args(&a));
    }
    let out = ok(d, &["vote", "close", &election_id, "--version", "1"]);
    assert!(out.contains("结果：表决通过"), "{out}");
    let elect = |vote: Option<&str>| {
        let mut a: Vec<String> = [
            "owners-body",
            "elect",
            &body,
            "--version",
            "1",
            "--member",
            "chair:王一",
        ]
        .map(str::to_string)
        .to_vec();
        if let Some(v) = vote {
            a.extend(["--vote".to_string(), v.to_string()]);
        }
        a
    };
    let err = refused(d, &args(&elect(None)));
    assert!(err.contains("已交业主表决"), "{err}");
    let err = refused(d, &args(&elect(Some(&id))));
    assert!(err.contains("不是选举本业主组织的表决"), "{err}");
    let out = ok(d, &args(&elect(Some(&election_id))));
    assert!(out.contains("已选举待备案"), "{out}");
    let out = ok(d, &["vote", "show", &election_id]);
    assert!(
        out.contains(&format!("已使用：据此表决选举产生业主组织（编号 {body}）")),
        "{out}"
    );

    // 专项维修资金 (`anju fund`): 住建 deposits, the street applies for the lift the vote above
    // carried, cites the vote, 住建 approves and pays; never beyond the cost.
    let err = refused(
        d,
        &[
            "fund",
            "deposit",
            "--compound",
            COMPOUND,
            "--amount",
            "100",
            "--on",
            &day(1),
        ],
    );
    assert!(
        err.contains("缴存日期") && err.contains("晚于今天"),
        "{err}"
    );
    let out = ok(
        d,
        &[
            "fund",
            "deposit",
            "--compound",
            COMPOUND,
            "--amount",
            "100,000.00",
            "--on",
            &day(0),
            "--note",
            "首期归集",
        ],
    );
    assert!(out.contains("已登记缴存 100,000.00"), "{out}");
    let out = ok(
        d,
        &[
            "fund",
            "apply",
            "--compound",
            COMPOUND,
            "--title",
            "更换1号楼电梯",
            "--cost",
            "80000",
            "--on",
            &day(0),
        ],
    );
    assert!(
        out.contains("更换1号楼电梯") && out.contains("已申请"),
        "{out}"
    );
    let account = json(
        d,
        &["fund", "show", "--compound", COMPOUND, "--format", "json"],
    );
    let use_id = account["uses"][0]["id"].as_i64().expect("use").to_string();
    let err = refused(d, &["fund", "approve", &use_id, "--version", "1"]);
    assert!(err.contains("须先经业主表决通过"), "{err}");
    let err = refused(
        d,
        &[
            "fund",
            "vote",
            &use_id,
            "--version",
            "1",
            "--vote",
            &election_id,
        ],
    );
    assert!(err.contains("不是本小区“使用维修资金”的表决"), "{err}");
    let out = ok(
        d,
        &["fund", "vote", &use_id, "--version", "1", "--vote", &id],
    );
    assert!(out.contains("业主表决通过"), "{out}");
    ok(d, &["fund", "approve", &use_id, "--version", "2"]);
    let err = refused(
        d,
        &[
            "fund",
            "pay",
            &use_id,
            "--version",
            "3",
            "--amount",
            "80000.01",
        ],
    );
    assert!(err.contains("超过申请金额"), "{err}");
    let out = ok(d, &["fund", "pay", &use_id, "--version", "3"]);
    assert!(out.contains("已拨付") && out.contains("80,000.00"), "{out}");
    let out = ok(d, &["fund", "show", "--compound", COMPOUND]);
    assert!(
        out.contains("维修资金余额 20,000.00") && out.contains("累计拨付 80,000.00"),
        "{out}"
    );
}
