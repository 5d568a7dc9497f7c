//! `anju assess`, `anju patrol`, `anju complaint` against the demo data.

use crate::ledger::{anju, stderr, stdout};
use crate::surveys::both_engines;

const COMPOUND: &str = "奈曼名都";
const COMPANY: &str = "奈曼旗王府物业服务有限公司";
const OTHER: &str = "奈曼旗绿洲物业管理有限公司";

fn ok(args: &[&str]) -> String {
    let o = anju(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

both_engines!(workflow, assessment_workflow_patrol_orders_and_complaints);
fn assessment_workflow_patrol_orders_and_complaints(d: &str) {
    let out = ok(&[
        "--database-url",
        d,
        "assess",
        "new",
        "--compound",
        COMPOUND,
        "--period",
        "2026H1",
        "--assessor",
        "大沁他拉街道",
        "--satisfaction",
        "85%",
    ]);
    assert!(
        out.contains("考核 1") && out.contains("得分: 100") && out.contains("草稿"),
        "{out}"
    );
    ok(&[
        "--database-url",
        d,
        "assess",
        "submit",
        "1",
        "--date",
        "2026-07-03",
    ]);
    ok(&[
        "--database-url",
        d,
        "assess",
        "review",
        "1",
        "--date",
        "2026-07-10",
    ]);
    let o = anju(&[
        "--database-url",
        d,
        "assess",
        "object",
        "1",
        "--as-company",
        OTHER,
        "--text",
        "不服",
        "--date",
        "2026-07-12",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("无权"), "{}", stderr(&o));
    let out = ok(&[
        "--lang",
        "en",
        "--database-url",
        d,
        "assess",
        "finalize",
        "1",
        "--waived",
        "--date",
        "2026-07-11",
    ]);
    assert!(out.contains("final"), "{out}");
    let o = anju(&["--database-url", d, "assess", "submit", "1"]);
    assert!(stderr(&o).contains("已定案"), "{}", stderr(&o));

    let out = ok(&[
        "--database-url",
        d,
        "patrol",
        "add",
        "--compound",
        COMPOUND,
        "--date",
        "2026-11-16",
        "--finding",
        "environment:3号楼楼道堆物",
        "--order-deadline",
        "2026-12-01",
    ]);
    assert!(out.contains("整改通知 1"), "{out}");
    let out = ok(&[
        "--database-url",
        d,
        "patrol",
        "orders",
        "--overdue",
        "--date",
        "2026-12-01",
    ]);
    assert!(out.trim().is_empty(), "{out}");
    let out = ok(&[
        "--database-url",
        d,
        "patrol",
        "orders",
        "--overdue",
        "--date",
        "2026-12-02",
    ]);
    assert!(out.contains("逾期"), "{out}");
    let o = anju(&[
        "--database-url",
        d,
        "patrol",
        "answer",
        "1",
        "--as-company",
        OTHER,
        "--text",
        "已清理",
    ]);
    assert!(stderr(&o).contains("无权操作"), "{}", stderr(&o));
    let out = ok(&[
        "--database-url",
        d,
        "patrol",
        "answer",
        "1",
        "--as-company",
        COMPANY,
        "--text",
        "已清理",
        "--date",
        "2026-12-03",
    ]);
    assert!(out.contains("超期回复"), "{out}");
    ok(&[
        "--database-url",
        d,
        "patrol",
        "close",
        "1",
        "--date",
        "2026-12-04",
    ]);

    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "add",
        "--compound",
        COMPOUND,
        "--source",
        "hotline_12345",
        "--category",
        "环境卫生",
        "--text",
        "垃圾未清",
        "--date",
        "2026-11-20",
    ]);
    assert!(
        out.contains("2026-11-23") && out.contains("2026-11-25"),
        "{out}"
    );
    ok(&[
        "--database-url",
        d,
        "complaint",
        "sign",
        "1",
        "--as-company",
        COMPANY,
        "--date",
        "2026-11-23",
    ]);
    ok(&[
        "--database-url",
        d,
        "complaint",
        "answer",
        "1",
        "--as-company",
        COMPANY,
        "--text",
        "已清运",
        "--date",
        "2026-11-24",
    ]);
    ok(&["--database-url", d, "complaint", "rate", "1", "5"]);
    ok(&[
        "--database-url",
        d,
        "complaint",
        "close",
        "1",
        "--date",
        "2026-11-25",
    ]);
    // Not verified: nothing counts (issue 15 item 7).
    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "credit",
        "--period",
        "2026-11",
        "--date",
        "2026-12-05",
    ]);
    assert!(out.contains("0"), "{out}");
    let o = anju(&[
        "--database-url",
        d,
        "complaint",
        "verify",
        "1",
        "--verdict",
        "maybe",
        "--note",
        "x",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("substantiated"), "{}", stderr(&o));
    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "verify",
        "1",
        "--verdict",
        "substantiated",
        "--note",
        "现场查看属实",
        "--date",
        "2026-11-26",
    ]);
    assert!(out.contains("核实有效"), "{out}");
    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "credit",
        "--period",
        "2026-11",
        "--date",
        "2026-12-05",
    ]);
    // The substantiated complaint went into the file when it was verified: nothing to add.
    assert!(
        out.contains("补记入信用档案的企业数") && out.contains("0"),
        "{out}"
    );
    // A period still running on the day is refused: counted once, it would stand for the whole.
    let o = anju(&[
        "--database-url",
        d,
        "complaint",
        "credit",
        "--period",
        "2026H2",
        "--date",
        "2026-12-05",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("尚未结束"), "{}", stderr(&o));
    // Not on a day that has not come yet.
    let o = anju(&[
        "--database-url",
        d,
        "complaint",
        "credit",
        "--period",
        "2026H2",
        "--date",
        "2099-01-05",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("晚于今天"), "{}", stderr(&o));
}

both_engines!(
    complaints_more,
    complaints_holidays_overdue_evidence_and_json
);
fn complaints_holidays_overdue_evidence_and_json(d: &str) {
    // National Day 2026-10-01..07 on the holiday list.
    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "holidays",
        "add",
        "2026-10-01",
        "--to",
        "2026-10-07",
        "--name",
        "国庆节",
    ]);
    assert!(out.contains("7 天"), "{out}");
    let o = anju(&[
        "--database-url",
        d,
        "complaint",
        "holidays",
        "add",
        "2026-10-07",
        "--to",
        "2026-10-08",
        "--name",
        "补充",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("已在节假日清单中"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "--database-url",
        d,
        "complaint",
        "holidays",
        "list",
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(7),
        "all or nothing: 10-08 not added"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let photo = dir.path().join("照片.pdf");
    std::fs::write(&photo, b"%PDF-1.4\n% photo of the door\n").expect("write");
    let ev_dir = dir.path().join("evidence");
    // Received Wednesday 09-30: sign by 10-08, answer by 10-12 (holidays and a weekend skipped).
    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "add",
        "--compound",
        COMPOUND,
        "--category",
        "设施维修",
        "--text",
        "单元门坏了",
        "--contact",
        "王女士 13800000000",
        "--date",
        "2026-09-30",
        "--evidence",
        photo.to_str().expect("utf-8"),
        "--evidence-dir",
        ev_dir.to_str().expect("utf-8"),
    ]);
    assert!(
        out.contains("2026-10-08") && out.contains("2026-10-12"),
        "{out}"
    );
    ok(&[
        "--database-url",
        d,
        "complaint",
        "add",
        "--compound",
        COMPOUND,
        "--category",
        "环境卫生",
        "--text",
        "垃圾未清",
        "--date",
        "2026-10-12",
    ]);
    // On 10-09 only the first is overdue (not signed for by 10-08).
    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "list",
        "--overdue",
        "--as-of",
        "2026-10-09",
    ]);
    assert!(
        out.contains("单元门坏了") && !out.contains("垃圾未清"),
        "{out}"
    );
    assert!(
        out.contains("逾期 1 件（未按时签收 1 件，未按时答复 0 件）"),
        "{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "--database-url",
        d,
        "complaint",
        "list",
        "--as-of",
        "2026-10-14",
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(v["complaints"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["overdue"]["overdue"], 2);
    assert_eq!(v["overdue"]["answer_overdue"], 1);

    // Another company may not sign for it: 无权操作.
    let o = anju(&[
        "--database-url",
        d,
        "complaint",
        "sign",
        "1",
        "--as-company",
        OTHER,
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("无权操作"), "{}", stderr(&o));
    ok(&[
        "--database-url",
        d,
        "complaint",
        "sign",
        "1",
        "--as-company",
        COMPANY,
        "--date",
        "2026-10-09",
    ]);
    let png = dir.path().join("修复后.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\nrepaired").expect("write");
    ok(&[
        "--database-url",
        d,
        "complaint",
        "answer",
        "1",
        "--as-company",
        COMPANY,
        "--text",
        "已更换门锁",
        "--date",
        "2026-10-10",
        "--evidence",
        png.to_str().expect("utf-8"),
        "--evidence-dir",
        ev_dir.to_str().expect("utf-8"),
    ]);
    let out = ok(&["--database-url", d, "complaint", "show", "1"]);
    assert!(
        out.contains("[投诉材料] 照片.pdf") && out.contains("[答复材料] 修复后.png"),
        "{out}"
    );
    assert!(out.contains("王女士 13800000000"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "--database-url",
        d,
        "complaint",
        "show",
        "1",
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(v["complaint"]["answer"], "已更换门锁");
    assert_eq!(v["evidence"].as_array().map(Vec::len), Some(2));

    // Patrols: list, show and orders as JSON.
    ok(&[
        "--database-url",
        d,
        "patrol",
        "add",
        "--compound",
        COMPOUND,
        "--date",
        "2026-11-16",
        "--finding",
        "safety:消防通道堵塞",
        "--order-deadline",
        "2026-11-20",
    ]);
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "--database-url",
        d,
        "patrol",
        "list",
        "--compound",
        COMPOUND,
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(v[0]["findings"][0]["description"], "消防通道堵塞");
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "--database-url",
        d,
        "patrol",
        "show",
        "1",
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(v["id"], 1);
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "--database-url",
        d,
        "patrol",
        "orders",
        "--date",
        "2026-11-21",
        "--format",
        "json",
    ]))
    .expect("json");
    assert_eq!(v[0]["overdue"], true);
    assert_eq!(v[0]["deadline"], "2026-11-20");
}
