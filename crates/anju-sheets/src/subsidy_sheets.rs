//! 补贴申报表 (the subsidy application form: one sheet per company, every line of the run with
//! its amount, retention and explanation) and 拨付清单 (the disbursement list: approved and
//! disbursed lines with one column per payer and each payer's total, adding up to the fen).
//! Seeds: 000 四（二）申报 (the company applies yearly to the street), 001 三（四）市、区两级
//! 财政按1:1比例进行分摊, 002 七（二）4 区财政局…拨付.

use crate::error::LedgerError;
use crate::reports::{ReportCell, ReportSheet, write_report_to_buffer};
use anju_core::{Fen, Lang};
use jiff::civil::Date;
use std::path::Path;

/// One line as the sheets show it (the caller turns store lines into these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidySheetLine {
    pub id: i64,
    pub street: String,
    pub compound: String,
    pub company: Option<String>,
    /// 补贴 / 预留金释放 / 基础设施投入资金
    pub kind: String,
    pub policy: Option<String>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub eligible: bool,
    pub amount: Fen,
    pub retained: Fen,
    /// Approved (after an adjustment, the adjusted amount).
    pub approved: Option<Fen>,
    /// (payer name, amount), adding up to the approved amount (or the computed one).
    pub payers: Vec<(String, Fen)>,
    pub status: String,
    /// The reason when not payable, else empty.
    pub reason: Option<String>,
    /// The explanation, lines joined with newlines.
    pub explanation: String,
}

fn period_text(l: &SubsidySheetLine) -> String {
    match (l.period_start, l.period_end) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} 至 {b}"),
        _ => String::new(),
    }
}

/// 补贴申报表: one sheet per company (lines without a company on their own sheet), each with a
/// 合计 row. `scope` is the street or district, `period` the run's period as written.
pub fn application_sheets(
    scope: &str,
    period: &str,
    lines: &[SubsidySheetLine],
    lang: Lang,
) -> Vec<ReportSheet> {
    let mut companies: Vec<String> = Vec::new();
    for l in lines {
        let c = company_name(l, lang);
        if !companies.contains(&c) {
            companies.push(c);
        }
    }
    let headings: Vec<String> = [
        ("序号", "No."),
        ("街道", "Street"),
        ("小区名称", "Compound"),
        ("补贴类别", "Kind"),
        ("补贴期间", "Period"),
        ("是否符合条件", "Eligible"),
        ("申报金额（元）", "Amount (yuan)"),
        ("预留金（元）", "Retained (yuan)"),
        ("状态", "Status"),
        ("不予补贴原因", "Reason if not payable"),
        ("计算说明", "Explanation"),
    ]
    .iter()
    .map(|(zh, en)| lang.pick(zh, en).to_string())
    .collect();
    companies
        .iter()
        .map(|company| {
            let mine: Vec<&SubsidySheetLine> = lines
                .iter()
                .filter(|l| &company_name(l, lang) == company)
                .collect();
            let mut rows: Vec<Vec<ReportCell>> = mine
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    vec![
                        ReportCell::int(i as i64 + 1),
                        ReportCell::text(&l.street),
                        ReportCell::text(&l.compound),
                        ReportCell::text(&l.kind),
                        ReportCell::text(period_text(l)),
                        ReportCell::text(if l.eligible {
                            lang.pick("是", "yes")
                        } else {
                            lang.pick("否", "no")
                        }),
                        ReportCell::Money(l.amount),
                        ReportCell::Money(l.retained),
                        ReportCell::text(&l.status),
                        ReportCell::opt_text(l.reason.as_deref()),
                        ReportCell::text(&l.explanation),
                    ]
                })
                .collect();
            let total: Fen = mine.iter().map(|l| l.amount).sum();
            let retained: Fen = mine.iter().map(|l| l.retained).sum();
            let mut total_row = vec![ReportCell::Empty; headings.len()];
            total_row[0] = ReportCell::text(lang.pick("合计", "Total"));
            total_row[6] = ReportCell::Money(total);
            total_row[7] = ReportCell::Money(retained);
            let bold = rows.len() as u32;
            rows.push(total_row);
            ReportSheet {
                name: company.clone(),
                title: match lang {
                    Lang::Zh => format!("物业服务补贴申报表（{period}）"),
                    Lang::En => format!("Property-service subsidy application ({period})"),
                },
                subtitle: Some(match lang {
                    Lang::Zh => format!("申报单位：{company}　　街道（区）：{scope}"),
                    Lang::En => format!("Applicant: {company}    Scope: {scope}"),
                }),
                groups: Vec::new(),
                widths: vec![6, 14, 20, 14, 24, 8, 14, 14, 12, 30, 60],
                headings: headings.clone(),
                rows,
                bold_rows: vec![bold],
                merges: Vec::new(),
                notes: vec![
                    lang.pick(
                        "注：金额按政策逐分计算，四舍五入一次；预留金在补助期限届满后视收缴率支付（聊城方案 四（一））。",
                        "Note: amounts computed to the fen, rounded half-up once; retention is paid after the term if the collection rate qualifies (Liaocheng 4(1)).",
                    )
                    .to_string(),
                ],
                landscape: true,
            }
        })
        .collect()
}

fn company_name(l: &SubsidySheetLine, lang: Lang) -> String {
    l.company
        .clone()
        .unwrap_or_else(|| lang.pick("（无物业企业）", "(no company)").to_string())
}

/// 拨付清单: the lines given (approved or disbursed), one column per payer, and a 合计 row with
/// each payer's total; every row's parts add up to its approved amount, so the totals do too.
pub fn disbursement_sheet(
    scope: &str,
    period: &str,
    lines: &[SubsidySheetLine],
    lang: Lang,
) -> ReportSheet {
    let mut payers: Vec<String> = Vec::new();
    for l in lines {
        for (p, _) in &l.payers {
            if !payers.contains(p) {
                payers.push(p.clone());
            }
        }
    }
    let mut headings: Vec<String> = [
        ("序号", "No."),
        ("街道", "Street"),
        ("小区名称", "Compound"),
        ("物业企业", "Company"),
        ("补贴类别", "Kind"),
        ("补贴期间", "Period"),
        ("批准金额（元）", "Approved (yuan)"),
    ]
    .iter()
    .map(|(zh, en)| lang.pick(zh, en).to_string())
    .collect();
    for p in &payers {
        headings.push(match lang {
            Lang::Zh => format!("其中：{p}（元）"),
            Lang::En => format!("of which {p} (yuan)"),
        });
    }
    headings.push(lang.pick("状态", "Status").to_string());
    let n = headings.len();
    let mut rows: Vec<Vec<ReportCell>> = Vec::new();
    let mut totals = vec![Fen::ZERO; payers.len()];
    let mut total = Fen::ZERO;
    for (i, l) in lines.iter().enumerate() {
        let approved = l.approved.unwrap_or(l.amount);
        total += approved;
        let mut row = vec![
            ReportCell::int(i as i64 + 1),
            ReportCell::text(&l.street),
            ReportCell::text(&l.compound),
            ReportCell::text(company_name(l, lang)),
            ReportCell::text(&l.kind),
            ReportCell::text(period_text(l)),
            ReportCell::Money(approved),
        ];
        for (j, p) in payers.iter().enumerate() {
            let part = l
                .payers
                .iter()
                .filter(|(name, _)| name == p)
                .map(|(_, f)| *f)
                .sum::<Fen>();
            totals[j] += part;
            row.push(ReportCell::Money(part));
        }
        row.push(ReportCell::text(&l.status));
        rows.push(row);
    }
    let mut total_row = vec![ReportCell::Empty; n];
    total_row[0] = ReportCell::text(lang.pick("合计", "Total"));
    total_row[6] = ReportCell::Money(total);
    for (j, t) in totals.iter().enumerate() {
        total_row[7 + j] = ReportCell::Money(*t);
    }
    let bold = rows.len() as u32;
    rows.push(total_row);
    let mut widths = vec![6, 14, 20, 24, 14, 24, 16];
    widths.extend(payers.iter().map(|_| 18));
    widths.push(10);
    ReportSheet {
        name: lang.pick("拨付清单", "Disbursement list").to_string(),
        title: match lang {
            Lang::Zh => format!("物业服务补贴资金拨付清单（{period}）"),
            Lang::En => format!("Subsidy disbursement list ({period})"),
        },
        subtitle: Some(match lang {
            Lang::Zh => format!("街道（区）：{scope}"),
            Lang::En => format!("Scope: {scope}"),
        }),
        groups: Vec::new(),
        headings,
        widths,
        rows,
        bold_rows: vec![bold],
        merges: Vec::new(),
        notes: vec![
            lang.pick(
                "注：各级财政分担额按政策比例逐行分摊到分（最大余数法），各列合计与批准金额合计一致。",
                "Note: each row is split between budget levels to the fen (largest remainder); the column totals add up to the approved total.",
            )
            .to_string(),
        ],
        landscape: true,
    }
}

/// Writes the application form to `path`.
pub fn write_subsidy_application(
    path: &Path,
    scope: &str,
    period: &str,
    lines: &[SubsidySheetLine],
    lang: Lang,
) -> Result<(), LedgerError> {
    write_bytes(
        path,
        write_report_to_buffer(&application_sheets(scope, period, lines, lang))?,
    )
}

/// Writes the disbursement list to `path`.
pub fn write_disbursement_list(
    path: &Path,
    scope: &str,
    period: &str,
    lines: &[SubsidySheetLine],
    lang: Lang,
) -> Result<(), LedgerError> {
    write_bytes(
        path,
        write_report_to_buffer(&[disbursement_sheet(scope, period, lines, lang)])?,
    )
}

fn write_bytes(path: &Path, bytes: Vec<u8>) -> Result<(), LedgerError> {
    std::fs::write(path, bytes).map_err(|e| LedgerError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn line(
        id: i64,
        compound: &str,
        company: &str,
        amount: i64,
        payers: &[(&str, i64)],
    ) -> SubsidySheetLine {
        SubsidySheetLine {
            id,
            street: "大沁他拉街道".into(),
            compound: compound.into(),
            company: Some(company.into()),
            kind: "补贴".into(),
            policy: Some("yantai-2022".into()),
            period_start: Some(jiff::civil::date(2022, 9, 1)),
            period_end: Some(jiff::civil::date(2023, 8, 31)),
            eligible: true,
            amount: Fen(amount),
            retained: Fen::ZERO,
            approved: Some(Fen(amount)),
            payers: payers
                .iter()
                .map(|(p, f)| (p.to_string(), Fen(*f)))
                .collect(),
            status: "已批准".into(),
            reason: None,
            explanation: "第 1 期".into(),
        }
    }

    fn read(bytes: Vec<u8>) -> Vec<(String, calamine::Range<Data>)> {
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
        let names = wb.sheet_names().to_vec();
        names
            .into_iter()
            .map(|n| {
                let r = wb.worksheet_range(&n).expect("sheet");
                (n, r)
            })
            .collect()
    }

    #[test]
    fn disbursement_list_cell_by_cell_with_payer_totals() {
        let lines = vec![
            line(
                1,
                "甲小区",
                "甲物业",
                600_001,
                &[("市级财政", 300_001), ("区级财政", 300_000)],
            ),
            line(
                2,
                "乙小区",
                "乙物业",
                3,
                &[("市级财政", 2), ("区级财政", 1)],
            ),
        ];
        let sheet = disbursement_sheet("大沁他拉街道", "cy1", &lines, Lang::Zh);
        let bytes = write_report_to_buffer(std::slice::from_ref(&sheet)).expect("write");
        let sheets = read(bytes);
        assert_eq!(sheets[0].0, "拨付清单");
        let r = &sheets[0].1;
        let at = |row: u32, col: u32| r.get_value((row, col)).cloned().unwrap_or(Data::Empty);
        assert_eq!(
            at(0, 0),
            Data::String("物业服务补贴资金拨付清单（cy1）".into())
        );
        let h = sheet.first_body_row() - 1;
        assert_eq!(at(h, 7), Data::String("其中：市级财政（元）".into()));
        assert_eq!(at(h, 8), Data::String("其中：区级财政（元）".into()));
        let b = h + 1;
        assert_eq!(at(b, 2), Data::String("甲小区".into()));
        assert_eq!(at(b, 5), Data::String("2022-09-01 至 2023-08-31".into()));
        assert_eq!(at(b, 6), Data::Float(6000.01));
        assert_eq!(at(b, 7), Data::Float(3000.01));
        assert_eq!(at(b, 8), Data::Float(3000.0));
        assert_eq!(at(b + 2, 0), Data::String("合计".into()));
        assert_eq!(at(b + 2, 6), Data::Float(6000.04));
        assert_eq!(at(b + 2, 7), Data::Float(3000.03));
        assert_eq!(at(b + 2, 8), Data::Float(3000.01));
    }

    #[test]
    fn application_form_one_sheet_per_company() {
        let mut a = line(
            1,
            "甲小区",
            "甲物业",
            3_456_000,
            &[("开发区财政", 3_456_000)],
        );
        a.retained = Fen(384_000);
        let mut b = line(2, "乙小区", "甲物业", 0, &[]);
        b.eligible = false;
        b.reason = Some("缺少考核结果（results[period=1].score）".into());
        let c = line(3, "丙小区", "丙物业", 100, &[("开发区财政", 100)]);
        let sheets = application_sheets("大沁他拉街道", "cy1", &[a, b, c], Lang::Zh);
        let bytes = write_report_to_buffer(&sheets).expect("write");
        let got = read(bytes);
        assert_eq!(
            got.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
            ["甲物业", "丙物业"]
        );
        let r = &got[0].1;
        let at = |row: u32, col: u32| r.get_value((row, col)).cloned().unwrap_or(Data::Empty);
        assert_eq!(
            at(1, 0),
            Data::String("申报单位：甲物业　　街道（区）：大沁他拉街道".into())
        );
        let b0 = sheets[0].first_body_row();
        assert_eq!(at(b0, 6), Data::Float(34560.0));
        assert_eq!(at(b0, 7), Data::Float(3840.0));
        assert_eq!(at(b0 + 1, 5), Data::String("否".into()));
        assert_eq!(
            at(b0 + 1, 9),
            Data::String("缺少考核结果（results[period=1].score）".into())
        );
        assert_eq!(at(b0 + 2, 0), Data::String("合计".into()));
        assert_eq!(at(b0 + 2, 6), Data::Float(34560.0));
    }
}
