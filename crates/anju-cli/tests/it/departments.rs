//! `anju department` and `anju referral` (镇街吹哨、部门报到) against the demo data.

use crate::ledger::{anju, stderr, stdout};
use crate::surveys::both_engines;
use serde_json::Value;

const COMPOUND: &str = "奈曼名都";
const DISTRICT: &str = "奈曼旗";
const FIRE: &str = "区消防救援大队";

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

/// `anju referral add` of a fire lane blocked in the demo compound on Friday 2026-11-27.
fn refer<'a>(dept: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "referral",
        "add",
        "--compound",
        COMPOUND,
        "--department",
        dept,
        "--category",
        "消防通道",
        "--text",
        "3号楼消防通道被私家车堵塞",
        "--on",
        "2026-11-27",
    ];
    args.extend_from_slice(extra);
    args
}

/// `anju referral step 1 …`.
fn step<'a>(args: &[&'a str]) -> Vec<&'a str> {
    [&["referral", "step", "1"][..], args].concat()
}

both_engines!(
    referral_path,
    departments_seeded_and_a_referral_taken_through_to_confirmed
);
fn departments_seeded_and_a_referral_taken_through_to_confirmed(d: &str) {
    // Seed 003 四's departments for the demo district, once.
    let out = ok(d, &["department", "seed", "--district", DISTRICT]);
    assert!(out.contains("添加职能部门 19 个"), "{out}");
    assert!(out.contains(FIRE) && out.contains("消防通道"), "{out}");
    let out = ok(d, &["department", "seed", "--district", DISTRICT]);
    assert!(out.contains("添加职能部门 0 个"), "{out}");
    let err = refused(d, &["department", "seed", "--district", "大沁他拉街道"]);
    assert!(
        err.contains("--district") && err.contains("不是区"),
        "{err}"
    );

    let list = json(
        d,
        &[
            "department",
            "list",
            "--district",
            DISTRICT,
            "--format",
            "json",
        ],
    );
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 19);
    let fire = list.iter().find(|x| x["name"] == FIRE).expect(FIRE);
    let fire_id = fire["id"].as_i64().expect("id").to_string();
    let district_id = fire["district_id"]
        .as_i64()
        .expect("district_id")
        .to_string();
    assert!(
        fire["duties"]
            .as_array()
            .expect("duties")
            .iter()
            .any(|x| x == "消防通道")
    );
    let out = ok(d, &["department", "list", "--district", &district_id]);
    assert!(out.contains(FIRE) && out.contains("区公安分局"), "{out}");

    // The fire brigade's officer gets an account; its region is the department's district.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_anju"))
        .args([
            "--database-url",
            d,
            "user",
            "add",
            "--username",
            "sunjun",
            "--role",
            "department",
            "--department",
            &fire_id,
        ])
        .env_remove("ANJU_DATABASE_URL")
        .env("ANJU_PASSWORD", "消防-secret-2026")
        .output()
        .expect("run anju");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("奈曼旗区消防救援大队"),
        "{}",
        stdout(&o)
    );
    let out = ok(d, &["user", "list"]);
    let line = out
        .lines()
        .find(|l| l.starts_with("sunjun"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("职能部门") && line.contains(FIRE), "{line}");

    // A department of another district is refused for a Daqintala compound.
    let out = ok(
        d,
        &[
            "department",
            "add",
            "--district",
            "山亭区",
            "--name",
            FIRE,
            "--duty",
            "消防通道",
        ],
    );
    assert!(out.contains("山亭区"), "{out}");
    let other = json(
        d,
        &[
            "department",
            "list",
            "--district",
            "山亭区",
            "--format",
            "json",
        ],
    );
    let other_id = other[0]["id"].as_i64().expect("id").to_string();
    let out = ok(
        d,
        &[
            "department",
            "update",
            &other_id,
            "--version",
            "1",
            "--duty",
            "消防安全",
        ],
    );
    assert!(
        out.contains("消防安全") && !out.contains("消防通道"),
        "{out}"
    );
    let err = refused(
        d,
        &[
            "department",
            "update",
            &other_id,
            "--version",
            "1",
            "--active",
            "false",
        ],
    );
    assert!(err.contains("第 1 版") && err.contains("第 2 版"), "{err}");
    let err = refused(d, &refer(&other_id, &["--source", "finding"]));
    assert!(
        err.contains("职能部门") && err.contains("不是小区所在区"),
        "{err}"
    );
    let err = refused(d, &refer(&fire_id, &["--days", "61"]));
    assert!(err.contains("办理时限"), "{err}");
    let err = refused(d, &refer(&fire_id, &["--source", "rumour"]));
    assert!(err.contains("--source"), "{err}");

    // 吹哨 on Friday 2026-11-27 with the default 5 working days: due Friday 2026-12-04.
    let out = ok(d, &refer(&fire_id, &["--source", "finding"]));
    assert!(
        out.contains("吹哨事项 1") && out.contains("期限 2026-12-04") && out.contains("版本 1"),
        "{out}"
    );

    // Out of turn, an unknown step, the wrong side, a stale version: each refused, saying why.
    let err = refused(
        d,
        &step(&[
            "--step",
            "resolve",
            "--on",
            "2026-11-30",
            "--version",
            "1",
            "--note",
            "已处理",
        ]),
    );
    assert!(err.contains("请先报到"), "{err}");
    let err = refused(
        d,
        &step(&["--step", "fly", "--on", "2026-11-30", "--version", "1"]),
    );
    assert!(
        err.contains("--step") && err.contains("acknowledge"),
        "{err}"
    );
    let err = refused(
        d,
        &step(&[
            "--step",
            "return",
            "--on",
            "2026-11-30",
            "--version",
            "1",
            "--note",
            "x",
            "--act-as-department",
            &fire_id,
        ]),
    );
    assert!(err.contains("无权"), "{err}");

    // 报到 by the fire brigade's officer.
    let out = ok(
        d,
        &step(&[
            "--step",
            "acknowledge",
            "--on",
            "2026-11-30",
            "--version",
            "1",
            "--act-as-department",
            &fire_id,
        ]),
    );
    assert!(
        out.contains("已报到办理中") && out.contains("版本 2"),
        "{out}"
    );
    let err = refused(
        d,
        &step(&[
            "--step",
            "resolve",
            "--on",
            "2026-12-02",
            "--version",
            "1",
            "--note",
            "x",
        ]),
    );
    assert!(err.contains("第 1 版") && err.contains("第 2 版"), "{err}");
    // 办结 needs its result.
    let err = refused(
        d,
        &step(&["--step", "resolve", "--on", "2026-12-02", "--version", "2"]),
    );
    assert!(err.contains("办理结果"), "{err}");
    let out = ok(
        d,
        &step(&[
            "--step",
            "resolve",
            "--on",
            "2026-12-02",
            "--version",
            "2",
            "--note",
            "已联系车主挪车，通道畅通",
            "--act-as-department",
            &fire_id,
        ]),
    );
    assert!(out.contains("已办结待确认"), "{out}");
    // 确认办结 by the street (the command line's administrator): final.
    let out = ok(
        d,
        &step(&["--step", "confirm", "--on", "2026-12-03", "--version", "3"]),
    );
    assert!(
        out.contains("已确认办结") && out.contains("版本 4"),
        "{out}"
    );
    let err = refused(
        d,
        &step(&[
            "--step",
            "return",
            "--on",
            "2026-12-04",
            "--version",
            "4",
            "--note",
            "x",
        ]),
    );
    assert!(err.contains("已确认办结"), "{err}");

    let out = ok(d, &["referral", "show", "1"]);
    for s in [
        "吹哨",
        "报到",
        "办结",
        "确认办结",
        "已联系车主挪车，通道畅通",
    ] {
        assert!(out.contains(s), "{s}: {out}");
    }
    let out = ok(d, &["referral", "list", "--open"]);
    assert!(out.contains("没有吹哨事项"), "{out}");
    let out = ok(d, &["referral", "list", "--department", &fire_id]);
    assert!(
        out.contains(COMPOUND) && out.contains("已确认办结"),
        "{out}"
    );
    let err = refused(d, &["referral", "list", "--department", "消防"]);
    assert!(err.contains("职能部门编号不合法"), "{err}");

    // The figures: one referral, resolved on time (12-02, due 12-04) in 5 days, confirmed.
    let figures = json(d, &["referral", "figures", "--format", "json"]);
    let row = figures
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["department"]["id"].as_i64().map(|i| i.to_string()) == Some(fire_id.clone()))
        .expect("the fire brigade\'s row");
    let f = &row["figures"];
    for (k, v) in [
        ("referrals", 1),
        ("resolved", 1),
        ("on_time", 1),
        ("confirmed", 1),
    ] {
        assert_eq!(f[k].as_u64(), Some(v), "{k}: {f}");
    }
    assert_eq!(
        (f["open"].as_u64(), f["overdue"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(f["on_time_rate"], "1", "{f}");
    assert_eq!(f["median_days"], "5", "{f}");
    let out = ok(d, &["referral", "figures", "--from", "2026-11-01"]);
    let line = out
        .lines()
        .find(|l| l.starts_with(FIRE) && l.contains(DISTRICT))
        .unwrap_or_else(|| panic!("{out}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells,
        [
            FIRE, DISTRICT, "1", "1", "1", "100.00", "%", "5", "0", "0", "0", "1"
        ],
        "{out}"
    );
    // Referred before the window: nothing counted.
    let out = ok(d, &["referral", "figures", "--to", "2026-11-26"]);
    assert!(!out.contains("100.00 %"), "{out}");
}
