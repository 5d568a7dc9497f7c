//! `anju org …` (issue 18 item 3) against the demo data: 山亭区's 工作专班 set up from the roster
//! of seed 003 附件2 as printed, a member leaving it, a 专班会议 handing a decision to 山城街道,
//! reported done (the command line's administrator may take the street's step) and closed
//! (销号); a 约谈 of a company with its 整改要求, sent back once and closed; a meeting dated
//! tomorrow refused naming 会议日期.

use crate::ledger::{anju, stderr, stdout};
use crate::surveys::both_engines;
use serde_json::Value;

const DISTRICT: &str = "山亭区";
const STREET: &str = "山城街道";
const TASK_FORCE: &str = "山亭区物业管理全覆盖工作专班";
const COMPANY: &str = "枣庄市山亭区抱犊物业管理有限公司";

/// Seed 003 附件2 as printed (the 专班), wrapped 职务 and the office sentence included.
const ROSTER: &str = "组  长：李明智  区政府副区长
副组长：项琳琳  区委组织部副部长、“两新”组织工委书记、
区人才服务中心主任
周升民 区住建局局长
贾继勇  山城街道办事处主任
成  员：孙祥军  区财政局党组成员
陈昌河  区自然资源局副局长
潘  伟  区住房保障服务中心主任
郭振华  山城街道党工委副书记
专班办公室设在区住建局，潘伟同志兼任办公室主任，刘广海、孙景超同志任办公室副主任。
";

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

fn tomorrow() -> String {
    anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(1))
        .expect("date")
        .to_string()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The assignment whose unit is `unit`, from `anju org assignment list --format json`.
fn assignment_of(d: &str, unit: &str) -> Value {
    let list = json(d, &["org", "assignment", "list", "--format", "json"]);
    list.as_array()
        .expect("a list")
        .iter()
        .find(|a| a["unit_name"] == unit)
        .unwrap_or_else(|| panic!("no assignment of {unit}: {list}"))
        .clone()
}

both_engines!(
    org_path,
    a_task_force_a_meeting_and_a_censure_through_to_closed
);
fn a_task_force_a_meeting_and_a_censure_through_to_closed(d: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let roster = dir.path().join("附件2.txt");
    std::fs::write(&roster, ROSTER).expect("write");
    let roster = roster.to_str().expect("utf-8 path");
    let add_group = |file: &str| {
        vec![
            "org",
            "group",
            "add",
            "--region",
            DISTRICT,
            "--kind",
            "task_force",
            "--name",
            TASK_FORCE,
            "--established-on",
            "2026-03-01",
            "--document",
            "山政办字〔2026〕3号",
            "--roster-file",
            file,
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>()
    };

    // A roster with a line before any role is refused, naming the line; nothing is set up.
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "李四 区民政局局长\n成员：张三 局长\n").expect("write");
    let err = refused(d, &args(&add_group(bad.to_str().expect("utf-8 path"))));
    assert!(err.contains("成员名单") && err.contains("第 1 行"), "{err}");
    let err = refused(
        d,
        &args(&add_group(
            dir.path().join("none.txt").to_str().expect("utf-8"),
        )),
    );
    assert!(err.contains("--roster-file"), "{err}");
    let out = ok(d, &["org", "group", "list"]);
    assert!(out.contains("还没有工作机构"), "{out}");

    // The 专班 from seed 003 附件2 as printed: 11 places, the office from its closing sentence.
    let out = ok(d, &args(&add_group(roster)));
    for s in [
        TASK_FORCE,
        "工作专班",
        "现任成员 11 名",
        "办公室设在区住建局",
        "李明智",
        "区委组织部副部长、“两新”组织工委书记、区人才服务中心主任",
        "办公室副主任",
        "孙景超",
    ] {
        assert!(out.contains(s), "{s}: {out}");
    }
    let group = json(d, &["org", "group", "list", "--format", "json"]);
    let group = &group[0];
    assert_eq!(group["name"], TASK_FORCE);
    assert_eq!(group["office"], "区住建局");
    let gid = group["id"].as_i64().expect("id").to_string();
    let detail = json(d, &["org", "group", "show", &gid, "--format", "json"]);
    let members = detail["members"].as_array().expect("members");
    assert_eq!(members.len(), 11);
    assert_eq!(members[0]["name"], "李明智");
    assert_eq!(members[0]["role"], "head");
    let liu = members
        .iter()
        .find(|m| m["name"] == "刘广海")
        .expect("刘广海");
    assert_eq!(liu["role"], "office_deputy");
    let liu = liu["id"].as_i64().expect("id").to_string();

    // 刘广海 leaves; the version read guards the change.
    let leave = |version: &str| {
        vec![
            "org",
            "group",
            "leave",
            &gid,
            "--member",
            &liu,
            "--version",
            version,
            "--on",
            "2026-11-30",
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>()
    };
    let out = ok(d, &args(&leave("1")));
    assert!(
        out.contains("现任成员 10 名") && out.contains("版本 2"),
        "{out}"
    );
    let err = refused(d, &args(&leave("2")));
    assert!(
        err.contains("刘广海") && err.contains("已于 2026-11-30 离开"),
        "{err}"
    );
    let out = ok(d, &["org", "group", "show", &gid]);
    assert!(out.contains("2026-11-30"), "{out}");

    // A meeting dated tomorrow is refused, naming 会议日期.
    let tomorrow = tomorrow();
    let meeting = |on: &str, decision: &str| {
        vec![
            "org",
            "meeting",
            "add",
            "--region",
            DISTRICT,
            "--group",
            &gid,
            "--kind",
            "task_force",
            "--title",
            "专班第一次会议",
            "--on",
            on,
            "--attendees",
            "李明智、项琳琳、周升民、贾继勇",
            "--minutes",
            "研究部署物业管理全覆盖工作，明确各街道摸底时限。",
            "--decision",
            decision,
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>()
    };
    let decision = format!("region:{STREET}:2026-12-31:完成无物业小区摸底");
    let err = refused(d, &args(&meeting(&tomorrow, &decision)));
    assert!(
        err.contains("会议日期") && err.contains("晚于今天"),
        "{err}"
    );
    // A deadline before the meeting, a decision not in the form asked, an unknown street.
    let err = refused(
        d,
        &args(&meeting(
            "2026-11-30",
            &format!("region:{STREET}:2026-11-01:摸底"),
        )),
    );
    assert!(
        err.contains("完成时限") && err.contains("早于会议日期"),
        "{err}"
    );
    let err = refused(d, &args(&meeting("2026-11-30", "region:山城街道")));
    assert!(err.contains("--decision"), "{err}");
    let err = refused(
        d,
        &args(&meeting("2026-11-30", "region:火星街道:2026-12-31:摸底")),
    );
    assert!(err.contains("火星街道"), "{err}");
    let out = ok(d, &["org", "meeting", "list"]);
    assert!(out.contains("没有会议"), "{out}");

    let out = ok(d, &args(&meeting("2026-11-30", &decision)));
    assert!(
        out.contains("专班第一次会议") && out.contains("决定事项 1 项") && out.contains(STREET),
        "{out}"
    );
    assert!(out.contains("办理中"), "{out}");
    let a = assignment_of(d, STREET);
    assert_eq!(a["status"], "open");
    assert_eq!(a["deadline"], "2026-12-31");
    assert_eq!(a["overdue"], false);
    let aid = a["id"].as_i64().expect("id").to_string();
    let mid = a["meeting_id"].as_i64().expect("meeting").to_string();
    let out = ok(d, &["org", "meeting", "show", &mid]);
    assert!(
        out.contains("明确各街道摸底时限") && out.contains(STREET),
        "{out}"
    );
    let out = ok(d, &["org", "group", "show", &gid]);
    assert!(out.contains("专班第一次会议"), "{out}");

    // 报结 needs its result; 销号 before 报结 is out of turn.
    let step = |s: &str, version: &str, on: &str, note: Option<&str>| {
        let mut v: Vec<String> = [
            "org",
            "assignment",
            s,
            &aid,
            "--version",
            version,
            "--on",
            on,
        ]
        .into_iter()
        .map(str::to_string)
        .collect();
        if let Some(n) = note {
            v.extend(["--note".to_string(), n.to_string()]);
        }
        v
    };
    let err = refused(d, &args(&step("report", "1", "2026-12-04", None)));
    assert!(err.contains("办理结果"), "{err}");
    let err = refused(d, &args(&step("close", "1", "2026-12-04", None)));
    assert!(err.contains("办理中") && err.contains("销号"), "{err}");
    let out = ok(
        d,
        &args(&step(
            "report",
            "1",
            "2026-12-04",
            Some("已完成摸底：无物业小区 12 个"),
        )),
    );
    assert!(
        out.contains("已报结待销号") && out.contains("版本 2"),
        "{out}"
    );
    let err = refused(d, &args(&step("close", "1", "2026-12-05", None)));
    assert!(err.contains("第 1 版") && err.contains("第 2 版"), "{err}");
    let out = ok(d, &args(&step("close", "2", "2026-12-05", None)));
    assert!(out.contains("已销号") && out.contains("版本 3"), "{out}");
    let err = refused(d, &args(&step("return", "3", "2026-12-05", Some("x"))));
    assert!(err.contains("已销号"), "{err}");
    let out = ok(d, &["org", "assignment", "show", &aid]);
    for s in ["交办", "报结", "销号", "已完成摸底：无物业小区 12 个"] {
        assert!(out.contains(s), "{s}: {out}");
    }

    // A 约谈 of a company with its 整改要求; a commendation sets none.
    let censure = |kind: &str, extra: &[&str]| {
        let mut v: Vec<String> = [
            "org",
            "censure",
            "add",
            "--region",
            DISTRICT,
            "--kind",
            kind,
            "--unit",
            &format!("company:{COMPANY}"),
            "--on",
            "2026-12-01",
            "--reason",
            "群众投诉集中，服务不到位",
        ]
        .into_iter()
        .map(str::to_string)
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let err = refused(
        d,
        &args(&censure(
            "praise",
            &["--follow-up", "继续保持", "--deadline", "2026-12-20"],
        )),
    );
    assert!(err.contains("通报表扬不设整改要求"), "{err}");
    let err = refused(
        d,
        &args(&censure("interview", &["--follow-up", "限期整改"])),
    );
    assert!(err.contains("整改时限"), "{err}");
    let err = refused(d, &args(&censure("rebuke", &[])));
    assert!(err.contains("--kind") && err.contains("interview"), "{err}");
    let out = ok(
        d,
        &args(&censure(
            "interview",
            &[
                "--interviewee",
                "项目经理 王某",
                "--follow-up",
                "十日内完成整改并书面报告",
                "--deadline",
                "2026-12-20",
            ],
        )),
    );
    for s in [
        "约谈",
        COMPANY,
        "项目经理 王某",
        "十日内完成整改并书面报告",
        "办理中",
    ] {
        assert!(out.contains(s), "{s}: {out}");
    }
    let list = json(d, &["org", "censure", "list", "--format", "json"]);
    let cid = list[0]["id"].as_i64().expect("id").to_string();
    assert_eq!(list[0]["follow_ups"], 1);
    let shown = json(d, &["org", "censure", "show", &cid, "--format", "json"]);
    assert_eq!(shown["follow_ups"][0]["unit_name"], COMPANY);

    // Only the follow-up is still open; it is reported, sent back, reported again and closed.
    let out = ok(d, &["org", "assignment", "list", "--open"]);
    assert!(out.contains(COMPANY) && !out.contains(STREET), "{out}");
    let f = assignment_of(d, COMPANY);
    let fid = f["id"].as_i64().expect("id").to_string();
    let fstep = |s: &str, version: &str, note: &str| {
        vec![
            "org",
            "assignment",
            s,
            &fid,
            "--version",
            version,
            "--on",
            "2026-12-06",
            "--note",
            note,
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>()
    };
    ok(d, &args(&fstep("report", "1", "已整改")));
    let out = ok(d, &args(&fstep("return", "2", "整改报告未附照片")));
    assert!(
        out.contains("退回重办") && out.contains("整改报告未附照片"),
        "{out}"
    );
    ok(d, &args(&fstep("report", "3", "已补交照片")));
    let out = ok(d, &args(&fstep("close", "4", "整改到位")));
    assert!(
        out.contains("已销号") && out.contains("退回重办 1 次"),
        "{out}"
    );
    let out = ok(d, &["org", "assignment", "list", "--open"]);
    assert!(out.contains("没有交办事项"), "{out}");
    let out = ok(d, &["--lang", "en", "org", "assignment", "list"]);
    assert!(out.contains("2 assignment(s), 0 overdue"), "{out}");
}
