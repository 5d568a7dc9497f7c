//! `anju renovation …` and `anju fee-standard …` (issue 19 items 4 and 5) against the demo data:
//! 奈曼名都's renovation recorded with the works started and no company on its path (the check
//! names seed 002 六（一）); a date tomorrow refused naming the field; a correction without its
//! reason refused, with it recorded; a household's 三承诺 answered twice is one household; a
//! questionnaire with a bad row imports nothing and names the row; the housing authority's entry
//! of 发改's standard, a later one superseding it from its date.

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
    renovation_cli,
    a_renovation_with_its_commitments_and_fee_standard
);
fn a_renovation_with_its_commitments_and_fee_standard(d: &str) {
    let tomorrow = anju_app::today_in_china()
        .tomorrow()
        .expect("date")
        .to_string();
    let err = refused(
        d,
        &[
            "renovation",
            "start",
            "--compound",
            COMPOUND,
            "--name",
            "一期",
            "--construction-on",
            &tomorrow,
        ],
    );
    assert!(err.contains("施工进场日期"), "{err}");
    let out = ok(
        d,
        &[
            "renovation",
            "start",
            "--compound",
            COMPOUND,
            "--name",
            "一期",
            "--procedures-on",
            "2026-03-01",
            "--construction-on",
            "2026-05-01",
        ],
    );
    assert!(out.contains("施工进场前未选定物业企业"), "{out}");
    assert!(out.contains("务必于施工进场前选定物业服务企业"), "{out}");
    let list = json(
        d,
        &[
            "renovation",
            "list",
            "--compound",
            COMPOUND,
            "--format",
            "json",
        ],
    );
    let p = list
        .as_array()
        .and_then(|l| l.iter().find(|p| p["name"] == "一期"))
        .expect("the project")
        .clone();
    let id = p["id"].as_i64().expect("id").to_string();
    // A correction needs its reason.
    let err = refused(
        d,
        &[
            "renovation",
            "date",
            &id,
            "--version",
            "1",
            "--milestone",
            "construction",
            "--on",
            "2026-05-02",
        ],
    );
    assert!(err.contains("更正须写明原因"), "{err}");
    ok(
        d,
        &[
            "renovation",
            "date",
            &id,
            "--version",
            "1",
            "--milestone",
            "施工进场",
            "--on",
            "2026-05-02",
            "--reason",
            "以监理日志为准",
        ],
    );
    // 三承诺: answered twice, one household.
    ok(
        d,
        &[
            "renovation",
            "answer",
            &id,
            "--house",
            "3-2-501",
            "--commit",
            "demolish",
        ],
    );
    let out = ok(
        d,
        &[
            "renovation",
            "answer",
            &id,
            "--house",
            "3-2-501",
            "--commit",
            "demolish",
            "--commit",
            "maintenance_fund",
            "--commit",
            "承诺缴纳物业维修费用",
        ],
    );
    assert!(out.contains("新增 0 户，更新 1 户"), "{out}");
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("问卷.csv");
    std::fs::write(
        &bad,
        "房号,拆除违建,缴纳维修资金,缴纳物业维修费用\n3-2-502,是,是,是\n3-2-503,是,也许,是\n",
    )
    .expect("write");
    let err = refused(
        d,
        &["renovation", "import", &id, bad.to_str().expect("path")],
    );
    assert!(err.contains("第 3 行"), "{err}");
    let good = dir.path().join("问卷2.csv");
    std::fs::write(
        &good,
        "房号,业主姓名,拆除违建,缴纳维修资金,缴纳物业维修费用\n3-2-502,李某,是,是,是\n3-2-503,,否,是,是\n",
    )
    .expect("write");
    let out = ok(
        d,
        &["renovation", "import", &id, good.to_str().expect("path")],
    );
    assert!(out.contains("新增 2 户，更新 0 户"), "{out}");
    let detail = json(d, &["renovation", "show", &id, "--format", "json"]);
    assert_eq!(detail["share"]["answered"], 3, "{detail}");
    assert_eq!(detail["share"]["all_three"], 2, "{detail}");
    assert_eq!(detail["project"]["construction_on"], "2026-05-02");
    // 核定收费标准: a later approval supersedes from its date.
    let out = ok(
        d,
        &[
            "fee-standard",
            "add",
            "--compound",
            COMPOUND,
            "--multi",
            "0.80",
            "--doc-no",
            "奈发改价字〔2025〕3号",
            "--approved-on",
            "2025-01-01",
        ],
    );
    assert!(out.contains("0.80 元/㎡·月"), "{out}");
    ok(
        d,
        &[
            "fee-standard",
            "add",
            "--compound",
            COMPOUND,
            "--multi",
            "0.90",
            "--high",
            "1.20",
            "--doc-no",
            "奈发改价字〔2026〕7号",
            "--approved-on",
            "2026-07-01",
        ],
    );
    let v = json(
        d,
        &[
            "fee-standard",
            "list",
            "--compound",
            COMPOUND,
            "--format",
            "json",
        ],
    );
    let newest = &v["standards"][0];
    assert_eq!(newest["doc_no"], "奈发改价字〔2026〕7号", "{v}");
    assert_eq!(v["in_force_id"], newest["id"], "{v}");
    assert_eq!(newest["fees"]["high"], 120);
    let err = refused(
        d,
        &[
            "fee-standard",
            "add",
            "--compound",
            COMPOUND,
            "--multi",
            "一元",
            "--doc-no",
            "x",
            "--approved-on",
            "2026-07-01",
        ],
    );
    assert!(err.contains("--multi"), "{err}");
}
