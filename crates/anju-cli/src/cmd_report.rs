//! `anju report NAME --out FILE.xlsx`: the reports officials file, in the seeds' layouts.
//! `anju report list` lists them. The data comes from `anju-reports`, the file from
//! `anju-sheets`; this module parses arguments and prints one line.

use crate::util::{runtime, today};
use anju_core::Lang;
use anju_reports::{DispatchParams, RankingParams, Scope, ScoresParams, TaskList};
use anju_sheets::ReportSheet;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args)]
pub struct ReportArgs {
    /// 报表名称 / report name (`anju report list` lists them)
    pub name: String,
    /// 输出文件 / output file (.xlsx)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 街道 / street
    #[arg(long)]
    pub street: Option<String>,
    /// 区 / district
    #[arg(long)]
    pub district: Option<String>,
    /// 期间或日期 / period or date (YYYY-MM, YYYY-H1, YYYY-MM-DD …)
    #[arg(long)]
    pub period: Option<String>,
    /// 小区（收支公示）/ one compound (accounts), by name or id
    #[arg(long)]
    pub compound: Option<String>,
    /// 业主委员会分成比例（%，6–10，收支公示，默认 10）/ owners' body share of fees (accounts)
    #[arg(long)]
    pub owners_share: Option<rust_decimal::Decimal>,
    /// 排名规则（ranking）：coverage 先全覆盖进度 | bodies 先业主组织 | weighted:70 加权（全覆盖进度占 70%）
    /// / ranking rule: coverage | bodies | weighted:N
    #[arg(long, default_value = "coverage")]
    pub rank_by: String,
    /// 打印数据（JSON）而不写文件 / print the report's data as JSON instead of writing a file
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: ReportArgs, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    match a.name.as_str() {
        "subsidy-application" | "disbursement-list" => crate::cmd_funding::report(&a, db, lang),
        "list" => {
            for (name, zh, en) in anju_reports::REPORTS {
                println!("{name:<20} {}", lang.pick(zh, en));
            }
            println!(
                "{:<20} {}",
                "subsidy-application",
                lang.pick("物业补贴申报表", "subsidy application form")
            );
            println!(
                "{:<20} {}",
                "disbursement-list",
                lang.pick("补贴资金拨付清单", "disbursement list")
            );
            Ok(ExitCode::SUCCESS)
        }
        name if anju_reports::REPORTS.iter().any(|(n, _, _)| *n == name) => {
            runtime()?.block_on(build_and_write(a, db, lang))
        }
        other => anyhow::bail!(
            "{}",
            match lang {
                Lang::Zh => format!("没有名为“{other}”的报表（anju report list 列出全部）"),
                Lang::En => format!("no report named '{other}' (anju report list lists them)"),
            }
        ),
    }
}

fn parse_date(s: &str, lang: Lang) -> anyhow::Result<jiff::civil::Date> {
    s.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "{}",
            match lang {
                Lang::Zh => format!("--period“{s}”不是日期（YYYY-MM-DD）"),
                Lang::En => format!("--period '{s}' is not a date (YYYY-MM-DD)"),
            }
        )
    })
}

async fn build_and_write(a: ReportArgs, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let working = crate::util::Progress::spinner(lang.pick("生成报表", "building the report"));
    let app = crate::util::connect(db).await?;
    let who = crate::util::cli_principal(lang);
    let scope = Scope {
        district: a.district.clone(),
        street: a.street.clone(),
    };
    let mut warnings: Vec<String> = Vec::new();
    // (sheets, JSON data, summary)
    let (sheets, data, summary): (Vec<ReportSheet>, serde_json::Value, String) = match a
        .name
        .as_str()
    {
        "dispatch" => {
            let date = a
                .period
                .as_deref()
                .map(|s| parse_date(s, lang))
                .transpose()?;
            let r = app
                .dispatch_report(
                    &who,
                    DispatchParams {
                        scope: scope.clone(),
                        date,
                        today: today(),
                    },
                )
                .await?;
            if r.off_schedule {
                warnings.push(match lang {
                        Lang::Zh => format!(
                            "注意：{} 不是报送日（每月1日、15日），仍按该日期生成",
                            r.report_date
                        ),
                        Lang::En => format!(
                            "note: {} is not a filing day (the 1st and 15th); written for that date anyway",
                            r.report_date
                        ),
                    });
            }
            let summary = match lang {
                Lang::Zh => format!(
                    "调度表（报送日期 {}）：{} 个街道，{} 个小区",
                    r.report_date,
                    r.streets.len(),
                    r.compounds
                ),
                Lang::En => format!(
                    "dispatch sheet (for {}): {} streets, {} compounds",
                    r.report_date,
                    r.streets.len(),
                    r.compounds
                ),
            };
            (r.sheets(), serde_json::to_value(&r)?, summary)
        }
        name @ ("tasks-3" | "tasks-4") => {
            let list = TaskList::from_name(name).context("task list")?;
            let r = app.tasks_report(&who, scope.clone(), list).await?;
            let summary = match lang {
                Lang::Zh => format!("{}：{} 行，{} 项任务", r.title, r.rows.len(), r.tasks),
                Lang::En => format!("{}: {} rows, {} tasks", name, r.rows.len(), r.tasks),
            };
            (r.sheets(), serde_json::to_value(&r)?, summary)
        }
        "coverage" => {
            let r = app.coverage_report(&who, scope.clone()).await?;
            let t = &r.report.total;
            let summary = match lang {
                Lang::Zh => format!(
                    "覆盖情况：{} 个街道，{} 个小区，覆盖率 {}%",
                    r.report.streets.len(),
                    t.compounds,
                    t.coverage_percent
                ),
                Lang::En => format!(
                    "coverage: {} streets, {} compounds, {} % covered",
                    r.report.streets.len(),
                    t.compounds,
                    t.coverage_percent
                ),
            };
            (r.sheets(), serde_json::to_value(&r)?, summary)
        }
        "ranking" => {
            let month = match &a.period {
                Some(p) => p.clone(),
                None => today().strftime("%Y-%m").to_string(),
            };
            let rule = anju_reports::RankRule::parse(&a.rank_by).with_context(|| {
                lang.pick(
                    &format!("--rank-by“{}”应为 coverage、bodies 或 weighted:N（N 为 0–100 的整数）", a.rank_by),
                    &format!("--rank-by '{}' must be coverage, bodies or weighted:N (N a whole number 0–100)", a.rank_by),
                )
                .to_string()
            })?;
            let r = app
                .ranking_report(
                    &who,
                    RankingParams {
                        scope: scope.clone(),
                        month,
                        rule,
                    },
                )
                .await?;
            let first = |rows: &[anju_reports::RankingRow]| {
                rows.first()
                    .map(|r| r.street.clone().unwrap_or_else(|| r.district.clone()))
                    .unwrap_or_default()
            };
            let summary = match lang {
                Lang::Zh => format!(
                    "{} 排名：{} 个区（第一：{}），{} 个街道（第一：{}）",
                    r.month,
                    r.districts.len(),
                    first(&r.districts),
                    r.streets.len(),
                    first(&r.streets)
                ),
                Lang::En => format!(
                    "{} ranking: {} districts (first: {}), {} streets (first: {})",
                    r.month,
                    r.districts.len(),
                    first(&r.districts),
                    r.streets.len(),
                    first(&r.streets)
                ),
            };
            (r.sheets(), serde_json::to_value(&r)?, summary)
        }
        "scores" => {
            let period = a.period.clone().ok_or_else(|| {
                anyhow::anyhow!(
                    "{}",
                    lang.pick(
                        "请用 --period 指定考核期间（如 2026-H1）",
                        "give the period with --period (e.g. 2026-H1)"
                    )
                )
            })?;
            let r = app
                .scores_report(
                    &who,
                    ScoresParams {
                        scope: scope.clone(),
                        period,
                    },
                )
                .await?;
            let summary = match lang {
                Lang::Zh => format!(
                    "考核评分表（{}）：{} 个小区，{} 个小区无考核记录",
                    r.period_label,
                    r.sheets.len(),
                    r.missing.len()
                ),
                Lang::En => format!(
                    "score sheets ({}): {} compounds, {} without an assessment",
                    r.period,
                    r.sheets.len(),
                    r.missing.len()
                ),
            };
            (r.sheets(), serde_json::to_value(&r)?, summary)
        }
        "accounts" => {
            let r = app
                .accounts_report(
                    &who,
                    scope.clone(),
                    a.compound.clone(),
                    a.period.clone().unwrap_or_default(),
                    a.owners_share,
                )
                .await?;
            let summary = match lang {
                Lang::Zh => format!(
                    "收支公示（{}）：{} 个小区，收入 {} 元，支出 {} 元，结余 {} 元",
                    r.period,
                    r.rows.len(),
                    r.total.income.grouped(),
                    r.total.spending.grouped(),
                    r.total.balance.grouped()
                ),
                Lang::En => format!(
                    "accounts ({}): {} compounds, income {} yuan, spending {} yuan, balance {} yuan",
                    r.period,
                    r.rows.len(),
                    r.total.income.grouped(),
                    r.total.spending.grouped(),
                    r.total.balance.grouped()
                ),
            };
            (r.sheets(), serde_json::to_value(&r)?, summary)
        }
        other => anyhow::bail!("report {other} has no builder"),
    };
    drop(working);
    for w in &warnings {
        eprintln!("{w}");
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&data)?);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out) = &a.out else {
        anyhow::bail!(
            "{}",
            lang.pick(
                "请用 --out FILE.xlsx 指定输出文件（或 --json 打印数据）",
                "give the output file with --out FILE.xlsx (or --json to print the data)"
            )
        );
    };
    let built = started.elapsed();
    anju_sheets::write_report(out, &sheets)
        .map_err(|e| anyhow::anyhow!(e.render(lang).trim().to_string()))?;
    let total = started.elapsed();
    println!(
        "{summary} → {} ({})",
        out.display(),
        match lang {
            Lang::Zh => format!(
                "读取与计算 {:.2} 秒，合计 {:.2} 秒",
                built.as_secs_f64(),
                total.as_secs_f64()
            ),
            Lang::En => format!(
                "read and built in {:.2} s, {:.2} s in all",
                built.as_secs_f64(),
                total.as_secs_f64()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}
