//! `anju assess`, `anju patrol`, `anju complaint` against the demo data.

use crate::ledger::{anju, fresh_sqlite, stderr, stdout};

const COMPOUND: &str = "奈曼名都";
const COMPANY: &str = "奈曼旗王府物业服务有限公司";
const OTHER: &str = "奈曼旗绿洲物业管理有限公司";

fn ok(args: &[&str]) -> String {
    let o = anju(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn assessment_workflow_patrol_orders_and_complaints() {
    let db = fresh_sqlite();
    let d = db.url.as_str();
    ok(&["demo", "--database-url", d]);
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
    assert!(stderr(&o).contains("无权"), "{}", stderr(&o));
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
    let out = ok(&[
        "--database-url",
        d,
        "complaint",
        "credit",
        "--period",
        "2026H2",
        "--date",
        "2027-01-05",
    ]);
    assert!(out.contains("1"), "{out}");
}
