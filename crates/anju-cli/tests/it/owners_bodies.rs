//! `anju owners-body …` (issue 19 item 1) against the demo data: 奈曼名都's 业主委员会 started
//! with its preparatory group, elected (a 主任 among the members, or refused), filed; the next
//! term's body, once filed, ends it that day with the reason 换届. An election dated tomorrow
//! is refused naming 办理日期, a stale version and an end without its reason are refused.

use crate::ledger::{anju, stderr, stdout};
use crate::surveys::both_engines;
use serde_json::Value;

const COMPOUND: &str = "奈曼名都";

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

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn tomorrow() -> String {
    anju_app::today_in_china()
        .checked_add(jiff::Span::new().days(1))
        .expect("date")
        .to_string()
}

/// The compound's bodies, latest first.
fn bodies(d: &str) -> Vec<Value> {
    json(
        d,
        &[
            "owners-body",
            "list",
            "--compound",
            COMPOUND,
            "--format",
            "json",
        ],
    )
    .as_array()
    .expect("a list")
    .clone()
}

both_engines!(
    owners_body_path,
    a_committee_is_started_elected_filed_and_succeeded
);
fn a_committee_is_started_elected_filed_and_succeeded(d: &str) {
    let out = ok(d, &["owners-body", "list", "--compound", COMPOUND]);
    assert!(out.contains("还没有业主组织"), "{out}");

    // 筹备: the preparatory group of two; a kind the command does not know is refused first.
    let err = refused(
        d,
        &[
            "owners-body",
            "start",
            "--compound",
            COMPOUND,
            "--kind",
            "committee",
        ],
    );
    assert!(
        err.contains("--kind") && err.contains("owners_committee"),
        "{err}"
    );
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
            "2026-01-10",
            "--preparer",
            "王一",
            "--preparer",
            "李二",
        ],
    );
    for s in [
        "业主委员会",
        "筹备中",
        "王一",
        "李二",
        "筹备组成员",
        "版本 1",
    ] {
        assert!(out.contains(s), "{s}: {out}");
    }
    let first = &bodies(d)[0];
    assert_eq!(first["status"], "preparing");
    assert_eq!(first["members"], 2);
    let id = first["id"].as_i64().expect("id").to_string();

    // 选举: without a 主任 refused; dated tomorrow refused naming 办理日期; a stale version
    // refused; then with a chair.
    let elect = |version: &str, on: &str, members: &[&str]| {
        let mut a: Vec<String> = [
            "owners-body",
            "elect",
            &id,
            "--version",
            version,
            "--on",
            on,
        ]
        .map(str::to_string)
        .to_vec();
        for m in members {
            a.extend(["--member".to_string(), m.to_string()]);
        }
        a
    };
    let err = refused(
        d,
        &args(&elect("1", "2026-02-02", &["member:王一", "委员:李二"])),
    );
    assert!(err.contains("主任"), "{err}");
    let err = refused(d, &args(&elect("1", &tomorrow(), &["chair:王一"])));
    assert!(
        err.contains("办理日期") && err.contains("晚于今天"),
        "{err}"
    );
    let err = refused(d, &args(&elect("9", "2026-02-02", &["chair:王一"])));
    assert!(err.contains("已被他人修改"), "{err}");
    let err = refused(d, &args(&elect("1", "2026-02-02", &["boss:王一"])));
    assert!(err.contains("--member") && err.contains("chair"), "{err}");
    let out = ok(
        d,
        &args(&elect(
            "1",
            "2026-02-02",
            &["chair:王一:party:13900000000", "委员:李二:13700000000"],
        )),
    );
    for s in [
        "已选举待备案",
        "选举 2026-02-02",
        "任期至 2031-02-01",
        "主任",
        "13900000000",
        "成员 2 名（党员 1 名）",
    ] {
        assert!(out.contains(s), "{s}: {out}");
    }

    // 备案: in office.
    let out = ok(
        d,
        &[
            "owners-body",
            "file",
            &id,
            "--version",
            "2",
            "--on",
            "2026-02-10",
        ],
    );
    assert!(
        out.contains("（在任）") && out.contains("备案 2026-02-10"),
        "{out}"
    );

    // The next term: started, elected and filed; its filing ends this one (换届) that day.
    ok(
        d,
        &[
            "owners-body",
            "start",
            "--compound",
            COMPOUND,
            "--kind",
            "业主委员会",
            "--prepared-on",
            "2026-11-01",
            "--term-years",
            "3",
            "--preparer",
            "周五",
        ],
    );
    let next = bodies(d)
        .into_iter()
        .find(|b| b["status"] == "preparing")
        .expect("the next body");
    assert_eq!(next["predecessor_id"].to_string(), id);
    let next_id = next["id"].as_i64().expect("id").to_string();
    ok(
        d,
        &[
            "owners-body",
            "elect",
            &next_id,
            "--version",
            "1",
            "--on",
            "2026-11-20",
            "--member",
            "主任:周五:党员",
        ],
    );
    let out = ok(
        d,
        &[
            "owners-body",
            "file",
            &next_id,
            "--version",
            "2",
            "--on",
            "2026-11-25",
        ],
    );
    assert!(out.contains("届满 2026-11-25（换届）"), "{out}");
    let old = json(d, &["owners-body", "show", &id, "--format", "json"]);
    assert_eq!(old["body"]["status"], "ended");
    assert_eq!(old["body"]["ended_on"], "2026-11-25");
    assert_eq!(old["body"]["end_reason"], "换届");
    let new = json(d, &["owners-body", "show", &next_id, "--format", "json"]);
    assert_eq!(new["body"]["status"], "in_office");
    assert_eq!(new["body"]["term_last_day"], "2029-11-19");
    assert_eq!(new["members"][0]["role"], "chair");
    assert_eq!(new["members"][0]["party_member"], true);

    // 届满 needs its reason; an ended body takes no more members.
    let err = refused(d, &["owners-body", "end", &id, "--version", "5"]);
    assert!(err.contains("届满原因"), "{err}");
    let err = refused(
        d,
        &[
            "owners-body",
            "members",
            &id,
            "--version",
            "5",
            "--member",
            "member:孙四",
        ],
    );
    assert!(err.contains("已届满"), "{err}");
}
