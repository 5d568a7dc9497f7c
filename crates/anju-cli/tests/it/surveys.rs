//! `anju survey`, `anju fees`, `anju accounts` against the demo data.

use crate::ledger::{anju, fresh_sqlite, stderr, stdout};

fn demo() -> crate::ledger::Db {
    let db = fresh_sqlite();
    let o = anju(&["demo", "--database-url", &db.url]);
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

#[test]
fn survey_links_work_once_and_only_for_their_compound() {
    let db = demo();
    let d = db.url.as_str();
    let o = anju(&[
        "survey",
        "new",
        "--compound",
        "祥和苑",
        "--period",
        "2026H1",
        "--rule",
        "daqintala",
        "--database-url",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("总户数 203 户，应抽样 21 户"), "{out}");
    let links: Vec<&str> = out.lines().filter(|l| l.starts_with("/s/")).collect();
    assert_eq!(links.len(), 21);
    let token = links[0].trim_start_matches("/s/");
    let answer = |t: &str, compound: &str| {
        anju(&[
            "survey",
            "answer",
            t,
            "--compound",
            compound,
            "--satisfied",
            "--database-url",
            d,
        ])
    };
    assert!(answer(token, "祥和苑").status.success());
    let again = answer(token, "祥和苑");
    assert!(!again.status.success());
    assert!(stderr(&again).contains("已使用过"), "{}", stderr(&again));
    let other = answer(links[1].trim_start_matches("/s/"), "奈曼名都");
    assert!(!other.status.success());
    assert!(
        stderr(&other).contains("不属于该小区"),
        "{}",
        stderr(&other)
    );
    // One response of 21 required: invalid, not scored.
    let o = anju(&["survey", "result", "1", "--database-url", d]);
    let out = stdout(&o);
    assert!(out.contains("调查无效，不计分"), "{out}");
    let o = anju(&["survey", "list", "--lang", "en", "--database-url", d]);
    assert!(stdout(&o).contains("invalid"), "{}", stdout(&o));
}

#[test]
fn fees_import_rate_and_accounts() {
    let db = demo();
    let d = db.url.as_str();
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("fees.csv");
    std::fs::write(
        &csv,
        "小区名称,所属街道,月份,应收（元）,实收（元）\n祥和苑,大沁他拉街道,2026-01,\"12,000.00\",\"9,600.00\"\n祥和苑,大沁他拉街道,2026-02,12000,11400\n",
    )
    .expect("write");
    let f = csv.to_str().expect("write");
    let o = anju(&["fees", "import", f, "--database-url", d]);
    assert!(
        stdout(&o).contains("新增 2"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = anju(&["fees", "import", f, "--database-url", d]);
    assert!(stdout(&o).contains("未变 2"), "{}", stdout(&o));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "小区名称,月份,应收,实收\n祥和苑,2026-13,x,1\n").expect("write");
    let o = anju(&[
        "fees",
        "import",
        bad.to_str().expect("utf-8 path"),
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("第 2 行"), "{}", stderr(&o));
    let o = anju(&[
        "fees",
        "rate",
        "--compound",
        "祥和苑",
        "--period",
        "2026Q1",
        "--database-url",
        d,
    ]);
    assert!(stdout(&o).contains("87.50 %"), "{}", stdout(&o));
    // Nothing billed: an error, not a division by zero.
    let o = anju(&[
        "fees",
        "rate",
        "--compound",
        "祥和苑",
        "--period",
        "2026-05",
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("应收为零"), "{}", stderr(&o));
    for args in [
        ["--kind", "fees", "--amount", "12,345.67", "--category", ""],
        [
            "--kind",
            "spending",
            "--amount",
            "5000",
            "--category",
            "保洁",
        ],
    ] {
        let mut a = vec![
            "accounts",
            "add",
            "--compound",
            "祥和苑",
            "--period",
            "2026H1",
            "--database-url",
            d,
        ];
        a.extend(args);
        let o = anju(&a);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = anju(&[
        "accounts",
        "show",
        "--compound",
        "祥和苑",
        "--period",
        "2026H1",
        "--owners-share",
        "6",
        "--database-url",
        d,
    ]);
    let out = stdout(&o);
    assert!(out.contains("7,345.67 元"), "{out}");
    assert!(out.contains("740.74 元"), "{out}");
    let o = anju(&[
        "accounts",
        "show",
        "--compound",
        "祥和苑",
        "--period",
        "2026H1",
        "--owners-share",
        "11",
        "--database-url",
        d,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("6%–10%"), "{}", stderr(&o));
}
