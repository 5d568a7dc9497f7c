//! The batch calculator's rows (`anju subsidy batch`): headers, cells, reasons, and that a row
//! gives exactly what the what-if calculator gives for the same compound.

use anju_core::{Fen, Lang};
use anju_policy::batch::{Layout, OutCell, explanation, match_header};
use anju_policy::{Policy, Scenario, evaluate, shipped_policy};

fn liaocheng() -> Policy {
    shipped_policy("liaocheng-2021").expect("liaocheng-2021")
}

const HEAD: &[&str] = &[
    "name",
    "area_m2",
    "signed",
    "entry",
    "term_years",
    "status",
    "score_1",
    "collection_rate_1",
    "score_2",
    "collection_rate_2",
    "score_3",
    "collection_rate_3",
];

/// The worked example: 8,000 ㎡, signed 2022-09-01 for 3 years, score 90 and collection
/// rate 85 % every year.
const ROW: &[&str] = &[
    "示例小区",
    "8000",
    "2022-09-01",
    "2022-09-01",
    "3",
    "abandoned",
    "90",
    "0.85",
    "90",
    "0.85",
    "90",
    "0.85",
];

const SCENARIO: &str = r#"
[compound]
name = "示例小区"
area_m2 = 8000
status = "abandoned"
[contract]
signed = 2022-09-01
entry = 2022-09-01
term_years = 3
[[results]]
period = 1
score = 90
collection_rate = 0.85
[[results]]
period = 2
score = 90
collection_rate = 0.85
[[results]]
period = 3
score = 90
collection_rate = 0.85
"#;

fn yuan(s: &str) -> Fen {
    Fen::parse_yuan(s).expect("yuan")
}

#[test]
fn liaocheng_by_hand_and_as_the_calculator_computes_it() {
    let p = liaocheng();
    let layout = Layout::from_headers(HEAD, 1, &p).expect("headers");
    assert_eq!(layout.periods(), 3);
    let mut scratch = Vec::new();
    let r = layout.compute(&p, 2, ROW, &mut scratch, Lang::Zh);
    assert_eq!(r.row, 2);
    assert_eq!(r.name, "示例小区");
    let o = r.result.as_ref().expect("computed");
    assert!(o.eligible);

    // By hand. Year 1: 8,000 ㎡ × 0.40 元/㎡/月 × 12 months = 38,400.00 by the standard; the
    // score 90 pays 100 % of the 90 % base = 34,560.00 now, 10 % = 3,840.00 retained.
    // Year 2: 8,000 × 0.30 × 12 = 28,800.00 → 25,920.00 paid, 2,880.00 retained.
    // Year 3: 8,000 × 0.20 × 12 = 19,200.00 → 17,280.00 paid, 1,920.00 retained; the last
    // year's collection rate 85 % ≥ 80 % releases the 8,640.00 retained in all three years
    // with it: 17,280.00 + 8,640.00 = 25,920.00 paid for year 3. Total 86,400.00.
    let want = [
        ("38400.00", "34560.00", "3840.00", "34560.00"),
        ("28800.00", "25920.00", "2880.00", "25920.00"),
        ("19200.00", "17280.00", "1920.00", "25920.00"),
    ];
    assert_eq!(o.periods.len(), 3);
    for (p, (standard, now, retained, payable)) in o.periods.iter().zip(want) {
        assert_eq!(p.standard, yuan(standard), "period {}", p.index);
        assert_eq!(p.payable_now, yuan(now), "period {}", p.index);
        assert_eq!(p.retained, yuan(retained), "period {}", p.index);
        assert_eq!(p.payable, yuan(payable), "period {}", p.index);
    }
    assert_eq!(o.release.map(|r| r.released), Some(yuan("8640.00")));
    assert_eq!(o.total_payable, yuan("86400.00"));

    // The same as the what-if calculator on the same compound written as a scenario file.
    let s = Scenario::parse(SCENARIO).expect("scenario");
    let calc = evaluate(&p, &s.input()).expect("calculator");
    assert_eq!(o, &calc);

    // The output row.
    let mut line = Vec::new();
    layout.write_csv_row(&p, &r, Lang::Zh, &mut line);
    assert_eq!(
        String::from_utf8(line).expect("utf-8"),
        "2,示例小区,是,34560.00,3840.00,25920.00,2880.00,25920.00,1920.00,86400.00,8640.00,8640.00,\n"
    );
    assert_eq!(
        layout.output_headers(Lang::En),
        [
            "row",
            "name",
            "eligible",
            "payable_1",
            "retained_1",
            "payable_2",
            "retained_2",
            "payable_3",
            "retained_3",
            "total_payable",
            "total_retained",
            "released",
            "reason"
        ]
    );
    let lines = explanation(&p, &r, Lang::Zh);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("8,000.00㎡ × 0.40 元/㎡/月")),
        "{lines:#?}"
    );
}

#[test]
fn the_public_example_through_the_batch() {
    // shared/checks/example-liaocheng.toml: 45,360.00 in all.
    let p = liaocheng();
    let layout = Layout::from_headers(HEAD, 1, &p).expect("headers");
    let row = [
        "公开示例",
        "5000",
        "2022-05-01",
        "2022-05-01",
        "3",
        "弃管",
        "88",
        "0.72",
        "65",
        "80%",
        "50",
        "0.85",
    ];
    let r = layout.compute(&p, 2, &row, &mut Vec::new(), Lang::Zh);
    assert_eq!(r.result.expect("computed").total_payable, yuan("45360.00"));
}

#[test]
fn a_missing_value_is_a_reason_not_a_zero() {
    let p = liaocheng();
    let layout = Layout::from_headers(HEAD, 1, &p).expect("headers");
    let mut row = ROW.to_vec();
    row[8] = ""; // score_2
    let r = layout.compute(&p, 12, &row, &mut Vec::new(), Lang::Zh);
    let reason = r.result.as_ref().expect_err("cannot be computed");
    assert!(reason.starts_with("第 12 行“score_2”列："), "{reason}");
    assert!(reason.contains("缺少输入"), "{reason}");
    // No amount is shown, not even 0.00.
    let cells = layout.output_cells(&p, &r, Lang::Zh);
    assert!(
        !cells.iter().any(|c| matches!(c, OutCell::Money(_))),
        "{cells:?}"
    );
    assert_eq!(cells[2], OutCell::Empty, "eligible is left empty");
    let mut line = Vec::new();
    layout.write_csv_row(&p, &r, Lang::Zh, &mut line);
    let line = String::from_utf8(line).expect("utf-8");
    assert!(line.starts_with("12,示例小区,,,,,,,,,,,第 12 行"), "{line}");

    // In English.
    let r = layout.compute(&p, 12, &row, &mut Vec::new(), Lang::En);
    let reason = r.result.expect_err("cannot be computed");
    assert!(
        reason.starts_with("row 12, column 'score_2': missing input"),
        "{reason}"
    );

    // A column the input lacks altogether is named by its canonical name.
    let head: Vec<&str> = HEAD.iter().copied().filter(|h| *h != "entry").collect();
    let row: Vec<&str> = ROW
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, c)| *c)
        .collect();
    let layout = Layout::from_headers(&head, 1, &p).expect("headers");
    let r = layout.compute(&p, 2, &row, &mut Vec::new(), Lang::Zh);
    let reason = r.result.expect_err("entry is needed");
    assert!(
        reason.starts_with("第 2 行“entry”列：缺少输入 contract.entry"),
        "{reason}"
    );
}

#[test]
fn garbled_and_out_of_range_values_name_the_row_and_column() {
    let p = liaocheng();
    let layout = Layout::from_headers(HEAD, 1, &p).expect("headers");
    let cases: &[(usize, &str, &str)] = &[
        (8, "九十", "第 7 行“score_2”列：“九十”不是数字"),
        (8, "120", "第 7 行“score_2”列：120 须在 0 至 100 之间"),
        (
            7,
            "1.2",
            "第 7 行“collection_rate_1”列：1.2 须在 0 至 1 之间",
        ),
        (1, "-5", "第 7 行“area_m2”列：-5 不能为负"),
        (1, "20000000", "第 7 行“area_m2”列：20000000 超出可计算范围"),
        (
            2,
            "2022-02-30",
            "第 7 行“signed”列：“2022-02-30”不是存在的日期",
        ),
        (2, "9/1/2022", "第 7 行“signed”列：“9/1/2022”不是日期"),
        (4, "0", "第 7 行“term_years”列：“0”不是合同年限"),
        (5, "托管", "第 7 行“status”列：“托管”不认识"),
    ];
    for (col, value, want) in cases {
        let mut row = ROW.to_vec();
        row[*col] = value;
        let r = layout.compute(&p, 7, &row, &mut Vec::new(), Lang::Zh);
        let reason = r.result.expect_err(value);
        assert!(reason.starts_with(want), "{value}: {reason}");
    }
    // What the batch refuses, the scenario file refuses too.
    for bad in ["area_m2 = 20000000", "area_m2 = -5"] {
        let text = SCENARIO.replace("area_m2 = 8000", bad);
        assert!(Scenario::parse(&text).is_err(), "{bad}");
    }
    let text = SCENARIO.replacen("score = 90", "score = 120", 1);
    assert!(Scenario::parse(&text).is_err());
}

#[test]
fn chinese_headers_give_the_same_rows() {
    let p = liaocheng();
    let zh = [
        "小区名称",
        "建筑面积（㎡）",
        "签约日期",
        "进场日期",
        "合同年限",
        "小区状态",
        "第1期评分",
        "第1期收缴率",
        "第2年考核评分",
        "第2年物业费收缴率",
        "评分_3",
        "收缴率_3",
    ];
    let row = [
        "示例小区",
        "8,000",
        "2022/9/1",
        "2022年9月1日",
        "3",
        "弃管",
        "90",
        "85%",
        "90",
        "0.85",
        "90",
        "0.850",
    ];
    let lz = Layout::from_headers(&zh, 1, &p).expect("chinese headers");
    let le = Layout::from_headers(HEAD, 1, &p).expect("headers");
    let a = lz.compute(&p, 2, &row, &mut Vec::new(), Lang::Zh);
    let b = le.compute(&p, 2, ROW, &mut Vec::new(), Lang::Zh);
    assert_eq!(a.result, b.result);
    assert_eq!(a.result.expect("computed").total_payable, yuan("86400.00"));
    // A problem names the column as the file writes it.
    let mut bad = row;
    bad[8] = "优";
    let r = lz.compute(&p, 3, &bad, &mut Vec::new(), Lang::Zh);
    assert_eq!(
        r.result.expect_err("garbled"),
        "第 3 行“第2年考核评分”列：“优”不是数字"
    );
    assert!(match_header("第1期等次").is_some());
    assert!(match_header("物业费标准（元/㎡/月）").is_some());
}

#[test]
fn an_unknown_or_repeated_column_is_an_error_naming_it() {
    let p = liaocheng();
    let mut head = HEAD.to_vec();
    head.push("scroe_3");
    head.push("面积");
    let e = Layout::from_headers(&head, 1, &p).expect_err("unknown column");
    assert_eq!(e.problems.len(), 2);
    let zh = e.message(Lang::Zh);
    assert!(
        zh.contains("第 1 行“scroe_3”列（M 列）：不认识的列名"),
        "{zh}"
    );
    assert!(
        zh.contains("“面积”列（N 列）：与 B 列“area_m2”重复"),
        "{zh}"
    );
    assert!(zh.contains("可用的列"), "{zh}");
    let en = e.message(Lang::En);
    assert!(
        en.contains("row 1, column 'scroe_3' (M): unknown column"),
        "{en}"
    );

    // An empty header is allowed; a value under it is a problem of that row.
    let mut head = HEAD.to_vec();
    head.push("");
    let layout = Layout::from_headers(&head, 1, &p).expect("empty header");
    let mut row = ROW.to_vec();
    row.push("");
    assert!(
        layout
            .compute(&p, 2, &row, &mut Vec::new(), Lang::Zh)
            .result
            .is_ok()
    );
    row[12] = "x";
    let reason = layout
        .compute(&p, 2, &row, &mut Vec::new(), Lang::Zh)
        .result
        .expect_err("value without a header");
    assert!(reason.starts_with("第 2 行“M”列："), "{reason}");
}

#[test]
fn a_row_not_eligible_has_zeros_and_says_why() {
    let p = liaocheng();
    let layout = Layout::from_headers(HEAD, 1, &p).expect("headers");
    let mut row = ROW.to_vec();
    row[5] = "有物业";
    let r = layout.compute(&p, 2, &row, &mut Vec::new(), Lang::Zh);
    assert!(!r.result.as_ref().expect("computed").eligible);
    let mut line = Vec::new();
    layout.write_csv_row(&p, &r, Lang::Zh, &mut line);
    let line = String::from_utf8(line).expect("utf-8");
    assert!(
        line.starts_with(
            "2,示例小区,否,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,不符合补贴条件："
        ),
        "{line}"
    );
}
