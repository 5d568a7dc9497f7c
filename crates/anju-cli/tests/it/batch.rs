//! `anju subsidy batch` through the binary: a small CSV in, CSV and xlsx out.

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::process::{Command, Output};

fn anju(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anju"))
        .args(args)
        .output()
        .expect("run anju")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const INPUT: &str = "\
小区名称,建筑面积（㎡）,签约日期,进场日期,合同年限,小区状态,第1期评分,第1期收缴率,score_2,collection_rate_2,score_3,collection_rate_3
示例小区,8000,2022-09-01,2022-09-01,3,弃管,90,0.85,90,0.85,90,0.85
缺第2期评分,8000,2022-09-01,2022-09-01,3,弃管,90,0.85,,0.85,90,0.85
公开示例,5000,2022-05-01,2022-05-01,3,abandoned,88,0.72,65,0.80,50,0.85
";

#[test]
fn batch_csv_to_csv_and_xlsx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("预算.csv");
    std::fs::write(&input, INPUT).expect("write input");
    let out = dir.path().join("结果.csv");
    let o = anju(&[
        "subsidy",
        "batch",
        "--policy",
        "liaocheng-2021",
        "--input",
        input.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("共 3 行"), "{stdout}");
    assert!(stdout.contains("第 3 行“score_2”列"), "{stdout}");
    let got = std::fs::read_to_string(&out).expect("output");
    let lines: Vec<&str> = got.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4, "{got}");
    assert_eq!(
        lines[0],
        "行号,小区名称,符合条件,第1期支付,第1期预留,第2期支付,第2期预留,第3期支付,第3期预留,合计支付,合计预留,预留释放,原因"
    );
    assert_eq!(
        lines[1],
        "2,示例小区,是,34560.00,3840.00,25920.00,2880.00,25920.00,1920.00,86400.00,8640.00,8640.00,"
    );
    assert!(
        lines[2].starts_with("3,缺第2期评分,,,,,,,,,,,第 3 行“score_2”列：缺少输入"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("4,公开示例,是,"), "{}", lines[3]);
    assert!(lines[3].contains(",45360.00,"), "{}", lines[3]);

    // xlsx out, in English: the same amounts, and the explanation lines.
    let xlsx = dir.path().join("out.xlsx");
    let o = anju(&[
        "--lang",
        "en",
        "subsidy",
        "batch",
        "--policy",
        "liaocheng-2021",
        "--input",
        input.to_str().expect("path"),
        "--out",
        xlsx.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut wb: Xlsx<_> = open_workbook(&xlsx).expect("open xlsx");
    let range = wb.worksheet_range_at(0).expect("a sheet").expect("range");
    let rows: Vec<&[Data]> = range.rows().collect();
    // Title, headings, three rows.
    assert_eq!(rows.len(), 5);
    let head: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    assert_eq!(head[0], "row");
    assert_eq!(head[9], "total_payable");
    assert_eq!(head.last().map(String::as_str), Some("explanation"));
    assert_eq!(rows[2][9], Data::Float(86400.0));
    assert_eq!(rows[3][9], Data::Empty);
    let reason = rows[3][12].to_string();
    assert!(reason.starts_with("row 3, column 'score_2'"), "{reason}");
    let explained = rows[2][13].to_string();
    assert!(explained.contains("0.40 yuan/m²/month"), "{explained}");

    // An .xlsx input (a title row above the headers, numbers and dates as Excel holds them)
    // gives the same rows.
    use anju_sheets::{ReportCell, ReportSheet};
    let lines_in: Vec<Vec<&str>> = INPUT.lines().map(|l| l.split(',').collect()).collect();
    let cell = |v: &str| -> ReportCell {
        if let Ok(d) = v.parse::<jiff::civil::Date>() {
            ReportCell::Date(d)
        } else if let Ok(x) = v.parse::<rust_decimal::Decimal>() {
            ReportCell::dec(x, 2)
        } else {
            ReportCell::opt_text(Some(v))
        }
    };
    let sheet = ReportSheet {
        name: "预算".into(),
        title: "2025 年托管小区补贴测算表".into(),
        subtitle: None,
        groups: Vec::new(),
        headings: lines_in[0].iter().map(|h| h.to_string()).collect(),
        widths: vec![12; lines_in[0].len()],
        rows: lines_in[1..]
            .iter()
            .map(|r| r.iter().map(|v| cell(v)).collect())
            .collect(),
        bold_rows: Vec::new(),
        merges: Vec::new(),
        notes: Vec::new(),
        landscape: false,
    };
    let xin = dir.path().join("预算.xlsx");
    anju_sheets::write_report(&xin, &[sheet]).expect("write xlsx input");
    let again = dir.path().join("again.csv");
    let o = anju(&[
        "subsidy",
        "batch",
        "--policy",
        "liaocheng-2021",
        "--input",
        xin.to_str().expect("path"),
        "--out",
        again.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let again = std::fs::read_to_string(&again).expect("again");
    // The same rows, one row further down (the title row).
    let shifted: Vec<String> = again
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| {
            let (n, rest) = l.split_once(',').expect("row number");
            let n: usize = n.parse().expect("number");
            format!("{},{rest}", n - 1).replace("第 4 行", "第 3 行")
        })
        .collect();
    assert_eq!(shifted, lines[1..], "{again}");
}

#[test]
fn batch_refuses_an_unknown_column_and_exits_non_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "name,area_m2,scroe_1\n甲,100,90\n").expect("write input");
    let out = dir.path().join("out.csv");
    let o = anju(&[
        "subsidy",
        "batch",
        "--policy",
        "liaocheng-2021",
        "--input",
        input.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains("“scroe_1”列（C 列）：不认识的列名"), "{err}");
    assert!(!out.exists(), "no output file for an unreadable input");
}
