//! `anju dispatch` (调度表报送, seed 003 附件5 注2: streets file on the 1st and the 15th) against
//! the demo data, on the real clock: the schedule starts some weeks before today.

use crate::ledger::{anju, stderr, stdout};
use crate::surveys::both_engines;
use anju_core::dispatch::{filing_day_on_or_before, filing_days};
use serde_json::Value;

const STREET: &str = "大沁他拉街道";
const DISTRICT: &str = "奈曼旗";

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

both_engines!(
    dispatch_filings,
    a_street_files_late_misses_a_day_and_cannot_file_twice
);
fn a_street_files_late_misses_a_day_and_cannot_file_twice(d: &str) {
    let today = anju_app::today_in_china();
    // Five weeks back, on a filing day: at least three filing days lie before today.
    let start =
        filing_day_on_or_before(today.checked_sub(jiff::Span::new().days(35)).expect("date"));
    let past = filing_days(start, today.yesterday().expect("date"));
    assert!(past.len() >= 3, "{past:?}");
    let (missed, late) = (past[0], past[1]);

    // Nothing scheduled yet: nothing to file.
    let out = ok(d, &["dispatch", "status"]);
    assert!(out.contains("尚未安排报送"), "{out}");
    let err = refused(
        d,
        &[
            "dispatch",
            "file",
            "--street",
            STREET,
            "--due",
            &late.to_string(),
        ],
    );
    assert!(
        err.contains("--due") && err.contains("尚未安排报送"),
        "{err}"
    );

    // The schedule is a district's: a street is refused, naming the flag.
    let err = refused(
        d,
        &[
            "dispatch",
            "schedule",
            "--district",
            STREET,
            "--from",
            &start.to_string(),
        ],
    );
    assert!(
        err.contains("--district") && err.contains("不是区"),
        "{err}"
    );
    let err = refused(
        d,
        &[
            "dispatch",
            "schedule",
            "--district",
            "无此旗",
            "--from",
            &start.to_string(),
        ],
    );
    assert!(
        err.contains("--district") && err.contains("找不到"),
        "{err}"
    );
    let out = ok(
        d,
        &[
            "dispatch",
            "schedule",
            "--district",
            DISTRICT,
            "--from",
            &start.to_string(),
        ],
    );
    assert!(
        out.contains(DISTRICT) && out.contains(&format!("第一期 {start}")),
        "{out}"
    );

    // The administrator names the street; a district is not a street.
    let err = refused(
        d,
        &[
            "dispatch",
            "file",
            "--street",
            DISTRICT,
            "--due",
            &late.to_string(),
        ],
    );
    assert!(
        err.contains("--street") && err.contains("不是街道"),
        "{err}"
    );
    // A day that is not a filing day is refused, with the days that are open.
    let off = late.tomorrow().expect("date");
    let err = refused(
        d,
        &[
            "dispatch",
            "file",
            "--street",
            STREET,
            "--due",
            &off.to_string(),
        ],
    );
    assert!(
        err.contains("--due（报送期次）")
            && err.contains(&format!("{off} 这一期不能报送"))
            && err.contains(&late.to_string()),
        "{err}"
    );

    // The second filing day is filed today, after it: late.
    let out = ok(
        d,
        &[
            "dispatch",
            "file",
            "--street",
            STREET,
            "--due",
            &late.to_string(),
            "--note",
            "补报",
        ],
    );
    assert!(
        out.contains(STREET)
            && out.contains(&format!("报送期次 {late}"))
            && out.contains(&format!("报送日期 {today}"))
            && out.contains(&format!("逾期报送 {today}"))
            && out.contains("小区 151 个")
            && out.contains("备注：补报"),
        "{out}"
    );
    let id: String = out
        .split_whitespace()
        .nth(1)
        .and_then(|w| w.strip_suffix(&format!("：{STREET}")))
        .unwrap_or_else(|| panic!("{out}"))
        .to_string();

    // Filing the same day twice is refused; nothing else is written.
    let err = refused(
        d,
        &[
            "dispatch",
            "file",
            "--street",
            STREET,
            "--due",
            &late.to_string(),
        ],
    );
    assert!(
        err.contains("--due（报送期次）")
            && err.contains(&format!("{late} 这一期已于"))
            && err.contains("不能重复报送"),
        "{err}"
    );
    assert!(
        !err.split("可报送：")
            .nth(1)
            .unwrap_or("")
            .contains(&late.to_string()),
        "{err}"
    );

    // The status: the first day 逾期未报, the second 逾期报送 (with its filing's id).
    let out = ok(d, &["dispatch", "status"]);
    let row = out
        .lines()
        .find(|l| l.starts_with(STREET))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains(DISTRICT)
            && row.contains(&format!("逾期报送 {today}"))
            && row.contains(&format!("#{id}"))
            && row.contains("逾期未报（已逾期"),
        "{out}"
    );
    let head = out
        .lines()
        .find(|l| l.starts_with("街道"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        head.contains(&missed.to_string()) && head.contains(&late.to_string()),
        "{out}"
    );
    let overdue = past.len() - 1;
    assert!(out.contains(&format!("逾期未报共 {overdue} 期")), "{out}");

    let o = json(d, &["dispatch", "status", "--format", "json"]);
    assert_eq!(o["as_of"], today.to_string());
    assert_eq!(o["schedules"][0]["district"], DISTRICT);
    assert_eq!(o["schedules"][0]["starts_on"], start.to_string());
    let streets = o["streets"].as_array().expect("streets");
    let s = streets
        .iter()
        .find(|s| s["street"] == STREET)
        .unwrap_or_else(|| panic!("{o}"));
    assert_eq!(s["district"], DISTRICT);
    assert_eq!(s["overdue"].as_u64(), Some(overdue as u64));
    let day = |due: jiff::civil::Date| {
        s["days"]
            .as_array()
            .expect("days")
            .iter()
            .find(|x| x["due_on"] == due.to_string())
            .unwrap_or_else(|| panic!("{due} in {s}"))
            .clone()
    };
    assert_eq!(day(missed)["standing"]["state"], "missing");
    assert_eq!(day(missed)["filing_id"], Value::Null);
    assert_eq!(day(late)["standing"]["state"], "late");
    assert_eq!(day(late)["standing"]["filed_on"], today.to_string());
    assert_eq!(
        day(late)["filing_id"].as_i64().map(|n| n.to_string()),
        Some(id.clone())
    );

    // The filing with its frozen sheet: the 11 columns of 附件5, a row per compound.
    let out = ok(d, &["dispatch", "show", &id]);
    assert!(
        out.contains(&format!("调度表报送 {id}：{STREET}"))
            && out.contains(&format!("逾期报送 {today}")),
        "{out}"
    );
    let head = out
        .lines()
        .find(|l| l.starts_with("序号"))
        .unwrap_or_else(|| panic!("{out}"));
    for h in [
        "社区名称",
        "小区名称",
        "类别",
        "入驻物业管理企业名称",
        "物业管理性质（自主或外聘物业公司）",
        "入驻时间",
        "服务内容",
        "物业负责人",
        "联系电话",
        "备注",
    ] {
        assert!(head.contains(h), "{h}: {head}");
    }
    assert!(out.contains("外聘物业公司"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("151 ")), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("152 ")), "{out}");
    let f = json(d, &["dispatch", "show", &id, "--format", "json"]);
    assert_eq!(f["filing"]["due_on"], late.to_string());
    assert_eq!(f["filing"]["note"], "补报");
    assert_eq!(f["standing"]["state"], "late");
    assert_eq!(f["sheet"]["street"], STREET);
    let rows = f["sheet"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 151);
    assert_eq!(f["filing"]["compounds"].as_u64(), Some(151));
    assert!(f["filing"].get("sheet").is_none(), "{}", f["filing"]);

    let err = refused(d, &["dispatch", "show", "999999"]);
    assert!(err.contains("999999"), "{err}");
    let err = refused(d, &["dispatch", "show", "x"]);
    assert!(err.contains("报送记录编号不合法"), "{err}");
}
