//! Subsidy administration through the command line: a Liaocheng run on the Daqintala demo
//! compound 供销社家属院 (8,000 ㎡, signed 2022-09-01), the whole money's path, a double
//! application refused, return and re-apply, an adjustment, and both xlsx reports read back
//! cell by cell.

use super::ledger::{anju, fresh_sqlite, stderr, stdout};
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

const STREET: &str = "大沁他拉街道";
const C: &str = "供销社家属院";

fn ok(args: &[&str]) -> String {
    let o = anju(args);
    assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

fn with_db<'a>(args: &[&'a str], url: &'a str) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend_from_slice(&["--database-url", url]);
    v
}

/// Walks the demo compound to a signed contract and a final 2023H1 assessment.
fn setup(url: &str) {
    ok(&["demo", "--database-url", url]);
    for step in [
        vec!["--to", "consulted"],
        vec!["--to", "mode_decided", "--mode", "专业化物业"],
        vec!["--to", "owners_settled", "--body", "业主委员会"],
    ] {
        let mut a = vec![
            "compound",
            "advance",
            C,
            "--street",
            STREET,
            "--date",
            "2022-08-01",
        ];
        a.extend(step);
        ok(&with_db(&a, url));
    }
    let co = "奈曼旗安居物业服务有限公司";
    ok(&with_db(&["company", "add", "--name", co], url));
    ok(&with_db(
        &[
            "compound",
            "advance",
            C,
            "--street",
            STREET,
            "--to",
            "company_selected",
            "--company",
            co,
            "--date",
            "2022-08-20",
        ],
        url,
    ));
    ok(&with_db(
        &[
            "contract",
            "sign",
            "--compound",
            C,
            "--street",
            STREET,
            "--company",
            co,
            "--signer",
            "owners_body",
            "--term-years",
            "10",
            "--date",
            "2022-09-01",
            "--entry",
            "2022-10-01",
            "--area",
            "8000",
        ],
        url,
    ));
    let out = ok(&with_db(
        &[
            "assess",
            "new",
            "--compound",
            C,
            "--street",
            STREET,
            "--period",
            "2023H1",
            "--assessor",
            STREET,
            "--satisfaction",
            "95%",
        ],
        url,
    ));
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("考核 "))
        .and_then(|l| l.split_whitespace().next())
        .expect("assessment id")
        .to_string();
    for a in [
        vec!["assess", "submit", &id, "--date", "2023-07-01"],
        vec!["assess", "review", &id, "--date", "2023-07-01"],
        vec![
            "assess",
            "finalize",
            &id,
            "--waived",
            "--date",
            "2023-07-01",
        ],
    ] {
        ok(&with_db(&a, url));
    }
}

fn run_json(url: &str, period: &str) -> Value {
    let out = ok(&with_db(
        &[
            "funding", "run", "--street", STREET, "--period", period, "--format", "json",
        ],
        url,
    ));
    serde_json::from_str(&out).expect("JSON")
}

fn cells(path: &std::path::Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("xlsx");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).expect("sheet");
            (n, r.rows().map(|row| row.to_vec()).collect())
        })
        .collect()
}

fn find_row<'a>(rows: &'a [Vec<Data>], first: &str) -> &'a [Data] {
    rows.iter()
        .find(|r| r.first() == Some(&Data::String(first.into())))
        .unwrap_or_else(|| panic!("no row starting {first}: {rows:?}"))
}

#[test]
fn subsidy_run_money_path_and_reports() {
    let db = fresh_sqlite();
    let url = db.url.as_str();
    setup(url);

    // Without a policy the compound is explained, not paid 0.
    let r = run_json(url, "cy1");
    assert_eq!(r["lines"][0]["eligible"], false);
    assert!(
        r["lines"][0]["reason"]
            .as_str()
            .expect("present")
            .contains("未指定适用的补贴政策")
    );

    ok(&with_db(
        &[
            "funding",
            "policy",
            "set",
            "--street",
            STREET,
            "--policy",
            "liaocheng-2021",
            "--from",
            "2021-11-15",
        ],
        url,
    ));
    let list = ok(&with_db(&["funding", "policy", "list"], url));
    assert!(
        list.contains("liaocheng-2021") && list.contains(STREET),
        "{list}"
    );

    let r = run_json(url, "cy1");
    let lines = r["lines"].as_array().expect("present");
    assert_eq!(lines.len(), 1, "{r:#}");
    let l = &lines[0];
    assert_eq!(l["compound"], C);
    assert_eq!(l["eligible"], true);
    assert_eq!(l["amount"], "34560.00", "8,000 × 0.4 × 12 × 90 %");
    assert_eq!(l["retained"], "3840.00");
    assert_eq!(l["payers"][0]["amount"], "34560.00");
    let id = l["id"].as_i64().expect("present").to_string();
    let id = id.as_str();

    // show: the explanation in the calculator's words.
    let shown = ok(&with_db(&["funding", "show", id], url));
    assert!(shown.contains("计算说明"), "{shown}");
    assert!(shown.contains("第 1 期"), "{shown}");
    let en = ok(&with_db(&["funding", "show", id, "--lang", "en"], url));
    assert!(en.contains("Explanation"), "{en}");

    // Apply → street → return → apply again → street → approve (Liaocheng's chain, 四（二）、
    // （三）: the street reviews, 开发区建设管理部 approves and pays; no district review).
    ok(&with_db(
        &[
            "funding",
            "apply",
            id,
            "--by",
            "张会计",
            "--date",
            "2023-09-05",
            "--comment",
            "年度申报",
        ],
        url,
    ));
    ok(&with_db(
        &[
            "funding",
            "review",
            id,
            "--level",
            "street",
            "--date",
            "2023-09-08",
        ],
        url,
    ));
    ok(&with_db(
        &[
            "funding",
            "return",
            id,
            "--by",
            "王科长",
            "--date",
            "2023-09-09",
            "--comment",
            "请补充考核表",
        ],
        url,
    ));
    // Approving a returned line is refused, with the reason.
    let o = anju(&with_db(&["funding", "approve", id], url));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("已退回修改"), "{}", stderr(&o));
    let o = anju(&with_db(&["funding", "approve", id, "--lang", "en"], url));
    assert!(
        stderr(&o).contains("returned for correction: cannot approve"),
        "{}",
        stderr(&o)
    );
    for a in [
        vec!["funding", "apply", id, "--date", "2023-09-12"],
        vec![
            "funding",
            "review",
            id,
            "--level",
            "street",
            "--date",
            "2023-09-13",
        ],
        vec!["funding", "approve", id, "--date", "2023-09-25"],
    ] {
        ok(&with_db(&a, url));
    }

    // A double application over the same days (calendar year 2023 settles contract year 1).
    let again = run_json(url, "2023");
    let other = again["lines"][0]["id"]
        .as_i64()
        .expect("present")
        .to_string();
    let o = anju(&with_db(&["funding", "apply", &other], url));
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(&format!("第 {id} 号")) && stderr(&o).contains("不能重复申报"),
        "{}",
        stderr(&o)
    );

    // An approved amount changes only by an adjustment decision.
    let o = anju(&with_db(
        &[
            "funding", "adjust", id, "--amount", "30000", "--reason", " ",
        ],
        url,
    ));
    assert!(!o.status.success());
    ok(&with_db(
        &[
            "funding",
            "adjust",
            id,
            "--amount",
            "30000.01",
            "--reason",
            "服务面积核减",
            "--date",
            "2023-09-28",
        ],
        url,
    ));
    let shown: Value = serde_json::from_str(&ok(&with_db(
        &["funding", "show", id, "--format", "json"],
        url,
    )))
    .expect("present");
    assert_eq!(shown["approved"], "30000.01");
    assert_eq!(shown["amount"], "34560.00");
    assert_eq!(shown["adjustments"][0]["reason"], "服务面积核减");
    let steps: Vec<_> = shown["steps"]
        .as_array()
        .expect("present")
        .iter()
        .map(|s| s["action"].as_str().expect("present").to_string())
        .collect();
    assert_eq!(
        steps,
        [
            "apply",
            "street_review",
            "return",
            "apply",
            "street_review",
            "approve"
        ]
    );
    assert_eq!(shown["steps"][0]["person"], "张会计");
    assert_eq!(shown["steps"][2]["comment"], "请补充考核表");

    // Infrastructure grant: bounds, then one.
    let o = anju(&with_db(
        &[
            "funding",
            "infra",
            "--compound",
            C,
            "--street",
            STREET,
            "--investment",
            "9999.98",
            "--share",
            "50",
        ],
        url,
    ));
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("企业投入 9,999.98 元 × 50% = 4,999.99 元，低于方案下限 5,000 元"),
        "{}",
        stderr(&o)
    );

    // Reports: the application form (the cy1 period) and the disbursement list.
    let dir = tempfile::tempdir().expect("present");
    let app = dir.path().join("申报表.xlsx");
    let app_s = app.to_string_lossy().into_owned();
    ok(&with_db(
        &[
            "report",
            "subsidy-application",
            "--street",
            STREET,
            "--period",
            "cy1",
            "--out",
            &app_s,
        ],
        url,
    ));
    let sheets = cells(&app);
    assert_eq!(sheets.len(), 1);
    assert_eq!(sheets[0].0, "奈曼旗安居物业服务有限公司");
    let rows = &sheets[0].1;
    assert_eq!(
        rows[0][0],
        Data::String("物业服务补贴申报表（合同第1年）".into())
    );
    let body = rows
        .iter()
        .find(|r| r.get(2) == Some(&Data::String(C.into())))
        .expect("the compound's row");
    assert_eq!(body[0], Data::Float(1.0));
    assert_eq!(body[1], Data::String(STREET.into()));
    assert_eq!(body[3], Data::String("补贴".into()));
    assert_eq!(body[4], Data::String("2022-09-01 至 2023-08-31".into()));
    assert_eq!(body[5], Data::String("是".into()));
    assert_eq!(body[6], Data::Float(34560.0));
    assert_eq!(body[7], Data::Float(3840.0));
    assert_eq!(body[8], Data::String("已批准".into()));
    let total = find_row(rows, "合计");
    assert_eq!(total[6], Data::Float(34560.0));

    let list = dir.path().join("拨付清单.xlsx");
    let list_s = list.to_string_lossy().into_owned();
    ok(&with_db(
        &[
            "report",
            "disbursement-list",
            "--street",
            STREET,
            "--period",
            "cy1",
            "--out",
            &list_s,
        ],
        url,
    ));
    let sheets = cells(&list);
    assert_eq!(sheets[0].0, "拨付清单");
    let rows = &sheets[0].1;
    let heads = rows
        .iter()
        .find(|r| r.first() == Some(&Data::String("序号".into())))
        .expect("headings");
    assert_eq!(heads[6], Data::String("批准金额（元）".into()));
    assert_eq!(heads[7], Data::String("其中：开发区财政（元）".into()));
    let body = rows
        .iter()
        .find(|r| r.get(2) == Some(&Data::String(C.into())))
        .expect("the compound's row");
    assert_eq!(body[6], Data::Float(30000.01), "the adjusted amount");
    assert_eq!(body[7], Data::Float(30000.01));
    assert_eq!(body[8], Data::String("已批准".into()));
    let total = find_row(rows, "合计");
    assert_eq!(
        (&total[6], &total[7]),
        (&Data::Float(30000.01), &Data::Float(30000.01))
    );

    // Finance disburses.
    let out = ok(&with_db(
        &[
            "funding",
            "disburse",
            id,
            "--by",
            "刘会计",
            "--date",
            "2023-10-08",
        ],
        url,
    ));
    assert!(out.contains("已拨付") && out.contains("30,000.01"), "{out}");
}
