//! `anju funding …`: which policy governs which region, the subsidy run, the money's path
//! (申报 → 街道审核 → 区级复核 → 批准 → 拨付, 退回修改), adjustment decisions and
//! infrastructure grants; and `anju report subsidy-application|disbursement-list`.

use crate::util::{find_compound, render_table, runtime, today};
use anju_app::model::{LineFilter, Region, SubsidyLine};
use anju_app::{App, Principal};
use anju_core::funding::{Action, LineStatus, RunPeriod};
use anju_core::{Fen, Lang, RegionLevel};
use anju_core::{LineId, RunId};
use clap::{Args, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

/// A street or a district, by name.
#[derive(Args, Clone)]
pub struct ScopeArgs {
    /// 街道 / street
    #[arg(long, conflicts_with = "district")]
    pub street: Option<String>,
    /// 区县 / district
    #[arg(long)]
    pub district: Option<String>,
}

/// Who takes a step, when, and why.
#[derive(Args, Clone)]
pub struct StepArgs {
    /// 补贴行编号 / line id
    pub id: LineId,
    /// 经办人 / the person (default: the command-line user)
    #[arg(long)]
    pub by: Option<String>,
    /// 日期 / date (default: today)
    #[arg(long)]
    pub date: Option<jiff::civil::Date>,
    /// 意见 / comment
    #[arg(long)]
    pub comment: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReviewLevel {
    /// 街道审核
    Street,
    /// 区级复核
    District,
}

#[derive(Subcommand)]
pub enum PolicyCmd {
    /// 指定区县或街道适用的补贴政策（自某日起）/ assign a policy to a district or street from a date
    Set {
        #[command(flatten)]
        scope: ScopeArgs,
        /// 政策编号 / policy id (anju policy list)
        #[arg(long)]
        policy: String,
        /// 起始日期 / from
        #[arg(long)]
        from: jiff::civil::Date,
    },
    /// 政策适用范围 / the assignments
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand)]
pub enum FundingCmd {
    /// 补贴政策适用范围 / which policy governs which region
    #[command(subcommand)]
    Policy(PolicyCmd),
    /// 补贴测算：街道或区县、期间（2023、2023H1、2023Q2、2023-03、合同年 cy2）/ a subsidy run
    Run {
        #[command(flatten)]
        scope: ScopeArgs,
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 补贴行列表 / list lines
    List {
        #[command(flatten)]
        scope: ScopeArgs,
        /// 测算编号 / run id
        #[arg(long)]
        run: Option<i64>,
        #[arg(long)]
        period: Option<String>,
        /// 状态 / status (draft, applied, street_reviewed, district_reviewed, approved, disbursed, returned)
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 补贴行详情：金额、说明、每一步 / one line with its explanation and steps
    Show {
        id: LineId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 企业申报（退回后可再次申报）/ the company applies (again after a return)
    Apply(StepArgs),
    /// 审核：街道审核或区级复核 / review by the street or the district
    Review {
        #[command(flatten)]
        step: StepArgs,
        #[arg(long, value_enum)]
        level: ReviewLevel,
    },
    /// 批准 / approve
    Approve(StepArgs),
    /// 拨付至街道（政策规定经街道兑付时，如二七区）/ pay the street, which then pays the
    /// company (where the policy says so, as Erqi's)
    DisburseToStreet(StepArgs),
    /// 拨付（给企业；由政策规定的部门办理）/ pay the company (by the office the policy names)
    Disburse(StepArgs),
    /// 退回修改 / return to the applicant for correction
    Return(StepArgs),
    /// 调整决定：改变已批准的金额 / an adjustment decision on an approved amount
    Adjust {
        id: LineId,
        /// 调整后金额（元）/ the new amount (yuan)
        #[arg(long)]
        amount: String,
        /// 理由 / reason
        #[arg(long)]
        reason: String,
        #[arg(long)]
        date: Option<jiff::civil::Date>,
    },
    /// 基础设施投入资金（5000–10000 元）/ an infrastructure grant (5,000–10,000 yuan)
    Infra {
        /// 小区名称或编号 / compound
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 企业投入金额（元）/ what the company invested (yuan)
        #[arg(long)]
        investment: String,
        /// 补助比例（%，1–100）/ the share granted (%)
        #[arg(long)]
        share: u32,
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        /// 出资方 / payer (default 街道办事处)
        #[arg(long)]
        payer: Option<String>,
        /// 用途 / what for
        #[arg(long)]
        note: Option<String>,
    },
}

async fn scope_region(app: &App, s: &ScopeArgs, lang: Lang) -> anyhow::Result<Region> {
    let who = crate::util::cli_principal(lang);
    match (&s.street, &s.district) {
        (Some(n), _) => Ok(app.region_named(&who, RegionLevel::Street, n).await?),
        (None, Some(n)) => Ok(app.region_named(&who, RegionLevel::District, n).await?),
        (None, None) => anyhow::bail!(
            "{}",
            lang.pick(
                "请用 --street 或 --district 指明范围",
                "name the scope with --street or --district"
            )
        ),
    }
}

fn money(f: Fen) -> String {
    f.grouped()
}

fn lines_table(lines: &[SubsidyLine], lang: Lang) -> String {
    let mut rows = vec![
        [
            ("编号", "Id"),
            ("街道", "Street"),
            ("小区", "Compound"),
            ("物业企业", "Company"),
            ("类别", "Kind"),
            ("期间", "Days"),
            ("金额（元）", "Amount"),
            ("预留（元）", "Retained"),
            ("出资方", "Payers"),
            ("状态", "Status"),
            ("原因", "Reason"),
        ]
        .iter()
        .map(|(z, e)| lang.pick(z, e).to_string())
        .collect::<Vec<_>>(),
    ];
    for l in lines {
        rows.push(vec![
            l.id.to_string(),
            l.street.clone(),
            l.compound.clone(),
            l.company.clone().unwrap_or_default(),
            l.kind.label(lang).to_string(),
            match (l.period_start, l.period_end) {
                (Some(a), Some(b)) => format!("{a}..{b}"),
                _ => String::new(),
            },
            money(l.amount_due()),
            money(l.retained),
            l.payers
                .iter()
                .map(|p| format!("{} {}", lang.pick(&p.name, &p.name_en), money(p.amount)))
                .collect::<Vec<_>>()
                .join("；"),
            l.status.label(lang).to_string(),
            l.reason(lang).unwrap_or("").to_string(),
        ]);
    }
    render_table(&rows)
}

fn json_line(l: &SubsidyLine, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "id": l.id,
        "run_id": l.run_id,
        "compound_id": l.compound_id,
        "compound": l.compound,
        "street": l.street,
        "company": l.company,
        "kind": l.kind.code(),
        "policy": l.policy_id,
        "period": l.period,
        "period_start": l.period_start.map(|d| d.to_string()),
        "period_end": l.period_end.map(|d| d.to_string()),
        "eligible": l.eligible,
        "amount": l.amount.plain(),
        "retained": l.retained.plain(),
        "approved": l.approved.map(Fen::plain),
        "payers": l.payers.iter().map(|p| serde_json::json!({
            "id": p.id, "name": lang.pick(&p.name, &p.name_en), "weight": p.weight,
            "amount": p.amount.plain()
        })).collect::<Vec<_>>(),
        "status": l.status.code(),
        "reason": l.reason(lang),
        "explanation": l.explanation(lang).lines().collect::<Vec<_>>(),
        "version": l.version,
    })
}

fn print_lines(lines: &[SubsidyLine], format: Format, lang: Lang) -> anyhow::Result<()> {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(
                &lines.iter().map(|l| json_line(l, lang)).collect::<Vec<_>>()
            )?
        ),
        Format::Table => print!("{}", lines_table(lines, lang)),
    }
    Ok(())
}

fn parse_fen(s: &str, lang: Lang) -> anyhow::Result<Fen> {
    Fen::parse_yuan(s).map_err(|_| {
        anyhow::anyhow!(
            "{}",
            match lang {
                Lang::Zh => format!("金额“{s}”不正确（例如 8000 或 8000.50）"),
                Lang::En => format!("amount '{s}' is not valid (e.g. 8000 or 8000.50)"),
            }
        )
    })
}

async fn take_step(
    app: &App,
    who: &Principal,
    s: &StepArgs,
    action: Action,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let line = app.line_in_scope(who, s.id).await?;
    let by = s.by.clone().unwrap_or_else(|| who.name.clone());
    let step = anju_app::money::LineStepInput {
        version: line.version,
        action,
        person: Some(by),
        on: s.date.unwrap_or_else(today),
        comment: s.comment.clone(),
    };
    let after = app.subsidy_step(who, LineId(line.id), step).await?;
    match lang {
        Lang::Zh => println!(
            "第 {} 号（{}，{}）：{} → {}，金额 {} 元",
            after.id,
            after.compound,
            after.kind.label(lang),
            line.status.label(lang),
            after.status.label(lang),
            money(after.amount_due())
        ),
        Lang::En => println!(
            "line {} ({}, {}): {} → {}, amount {}",
            after.id,
            after.compound,
            after.kind.label(lang),
            line.status.label(lang),
            after.status.label(lang),
            money(after.amount_due())
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(c: FundingCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        let who = crate::util::cli_principal(lang);
        match c {
            FundingCmd::Policy(PolicyCmd::Set {
                scope,
                policy,
                from,
            }) => {
                let r = scope_region(&app, &scope, lang).await?;
                let rec = app
                    .assign_funding_policy(
                        &crate::util::cli_principal(lang),
                        anju_app::policies::PolicyAssignment {
                            region_id: r.id,
                            policy_id: policy,
                            valid_from: from,
                        },
                    )
                    .await?;
                match lang {
                    Lang::Zh => println!(
                        "{} 自 {} 起适用政策 {}",
                        rec.region, rec.valid_from, rec.policy_id
                    ),
                    Lang::En => println!(
                        "{} follows {} from {}",
                        rec.region, rec.policy_id, rec.valid_from
                    ),
                }
            }
            FundingCmd::Policy(PolicyCmd::List { format }) => {
                let list = app
                    .funding_policies(&crate::util::cli_principal(lang))
                    .await?;
                match format {
                    Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                    Format::Table => {
                        let mut rows = vec![vec![
                            lang.pick("区域", "Region").to_string(),
                            lang.pick("政策", "Policy").to_string(),
                            lang.pick("起始日期", "From").to_string(),
                            lang.pick("设定人", "Set by").to_string(),
                        ]];
                        for f in &list {
                            rows.push(vec![
                                f.region.clone(),
                                f.policy_id.clone(),
                                f.valid_from.to_string(),
                                f.created_by.clone(),
                            ]);
                        }
                        print!("{}", render_table(&rows));
                    }
                }
            }
            FundingCmd::Run {
                scope,
                period,
                format,
            } => {
                let r = scope_region(&app, &scope, lang).await?;
                let p = RunPeriod::parse(&period)
                    .map_err(|e| anyhow::anyhow!("{}", e.message(lang)))?;
                let started = std::time::Instant::now();
                let working =
                    crate::util::Progress::spinner(lang.pick("补贴测算", "computing subsidies"));
                let done = app
                    .run_subsidies(&crate::util::cli_principal(lang), &r, p)
                    .await?;
                drop(working);
                let run = app.subsidy_run(&who, RunId(done.run.id)).await?;
                let total = done.summary.amount;
                let ineligible = done.summary.not_payable;
                match format {
                    Format::Json => println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "run": run.id,
                            "region": run.region,
                            "period": run.period,
                            "total": total.plain(),
                            "lines": run.lines.iter().map(|l| json_line(l, lang)).collect::<Vec<_>>(),
                        }))?
                    ),
                    Format::Table => {
                        match lang {
                            Lang::Zh => println!(
                                "补贴测算第 {} 号：{} {}，{} 行（其中不符合条件或缺数据 {} 行），合计 {} 元，用时 {:.2} 秒",
                                run.id,
                                run.region,
                                p.label(lang),
                                run.lines.len(),
                                ineligible,
                                money(total),
                                started.elapsed().as_secs_f64()
                            ),
                            Lang::En => println!(
                                "subsidy run {}: {} {}, {} lines ({} not payable), total {}, {:.2} s",
                                run.id,
                                run.region,
                                p.label(lang),
                                run.lines.len(),
                                ineligible,
                                money(total),
                                started.elapsed().as_secs_f64()
                            ),
                        }
                        print!("{}", lines_table(&run.lines, lang));
                    }
                }
            }
            FundingCmd::List {
                scope,
                run,
                period,
                status,
                format,
            } => {
                let region_id = if scope.street.is_some() || scope.district.is_some() {
                    Some(scope_region(&app, &scope, lang).await?.id)
                } else {
                    None
                };
                let status = match status {
                    Some(s) => Some(LineStatus::from_code(&s).ok_or_else(|| {
                        anyhow::anyhow!(
                            "{}",
                            match lang {
                                Lang::Zh => format!("状态“{s}”不认识"),
                                Lang::En => format!("unknown status '{s}'"),
                            }
                        )
                    })?),
                    None => None,
                };
                let period = match period {
                    Some(p) => Some(
                        RunPeriod::parse(&p)
                            .map_err(|e| anyhow::anyhow!("{}", e.message(lang)))?
                            .code(),
                    ),
                    None => None,
                };
                let lines = app
                    .subsidy_lines(
                        &who,
                        LineFilter {
                            run_id: run,
                            region_id,
                            period,
                            status,
                            ..Default::default()
                        },
                    )
                    .await?;
                print_lines(&lines, format, lang)?;
            }
            FundingCmd::Show { id, format } => {
                let (l, steps, adjustments) = app.line_history(&who, id).await?;
                match format {
                    Format::Json => {
                        let mut v = json_line(&l, lang);
                        v["steps"] = serde_json::to_value(&steps)?;
                        v["adjustments"] = serde_json::to_value(&adjustments)?;
                        println!("{}", serde_json::to_string_pretty(&v)?);
                    }
                    Format::Table => {
                        print!("{}", lines_table(std::slice::from_ref(&l), lang));
                        println!("{}", lang.pick("计算说明：", "Explanation:"));
                        for line in l.explanation(lang).lines() {
                            println!("  {line}");
                        }
                        if !steps.is_empty() {
                            println!("{}", lang.pick("办理过程：", "Steps:"));
                            for s in &steps {
                                let label = Action::from_code(&s.action)
                                    .map(|a| a.label(lang).to_string())
                                    .unwrap_or_else(|| s.action.clone());
                                println!(
                                    "  {} {} {}（{}）{}",
                                    s.on,
                                    label,
                                    s.person,
                                    s.role,
                                    s.comment.as_deref().unwrap_or("")
                                );
                            }
                        }
                        for a in &adjustments {
                            match lang {
                                Lang::Zh => println!(
                                    "  调整决定 {}：{} 元 → {} 元，理由：{}（{}）",
                                    a.decided_on,
                                    money(a.old),
                                    money(a.new),
                                    a.reason,
                                    a.decided_by
                                ),
                                Lang::En => println!(
                                    "  adjustment {}: {} → {}, reason: {} ({})",
                                    a.decided_on,
                                    money(a.old),
                                    money(a.new),
                                    a.reason,
                                    a.decided_by
                                ),
                            }
                        }
                    }
                }
            }
            FundingCmd::Apply(s) => return take_step(&app, &who, &s, Action::Apply, lang).await,
            FundingCmd::Review { step, level } => {
                let action = match level {
                    ReviewLevel::Street => Action::StreetReview,
                    ReviewLevel::District => Action::DistrictReview,
                };
                return take_step(&app, &who, &step, action, lang).await;
            }
            FundingCmd::Approve(s) => {
                return take_step(&app, &who, &s, Action::Approve, lang).await;
            }
            FundingCmd::DisburseToStreet(s) => {
                return take_step(&app, &who, &s, Action::DisburseToStreet, lang).await;
            }
            FundingCmd::Disburse(s) => {
                return take_step(&app, &who, &s, Action::Disburse, lang).await;
            }
            FundingCmd::Return(s) => {
                return take_step(&app, &who, &s, Action::Return, lang).await;
            }
            FundingCmd::Adjust {
                id,
                amount,
                reason,
                date,
            } => {
                let new = parse_fen(&amount, lang)?;
                let l = app.line_in_scope(&who, id).await?;
                let after = app
                    .adjust_subsidy(
                        &who,
                        id,
                        l.version,
                        new,
                        &reason,
                        date.unwrap_or_else(today),
                    )
                    .await?;
                match lang {
                    Lang::Zh => println!(
                        "第 {} 号调整决定：{} 元 → {} 元（{}）",
                        id,
                        money(l.amount_due()),
                        money(after.amount_due()),
                        reason
                    ),
                    Lang::En => println!(
                        "line {id} adjusted: {} → {} ({reason})",
                        money(l.amount_due()),
                        money(after.amount_due())
                    ),
                }
            }
            FundingCmd::Infra {
                compound,
                street,
                investment,
                share,
                date,
                payer,
                note,
            } => {
                let c = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let investment = parse_fen(&investment, lang)?;
                let grant = anju_app::money::GrantInput {
                    compound_id: c.id,
                    investment,
                    share_percent: share,
                    on: date.unwrap_or_else(today),
                    payer,
                    note,
                };
                let l = app
                    .grant_infrastructure(&crate::util::cli_principal(lang), grant)
                    .await?;
                match lang {
                    Lang::Zh => println!(
                        "第 {} 号：{} 基础设施投入资金 {} 元（草稿，待申报）",
                        l.id,
                        l.compound,
                        money(l.amount)
                    ),
                    Lang::En => println!(
                        "line {}: infrastructure grant of {} for {} (draft)",
                        l.id,
                        money(l.amount),
                        l.compound
                    ),
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

use anju_reports::subsidy_sheet_line as sheet_line;

/// Writes the subsidy application form or the disbursement list (called by `anju report`).
pub fn report(a: &crate::cmd_report::ReportArgs, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        let scope = ScopeArgs {
            street: a.street.clone(),
            district: a.district.clone(),
        };
        let region = scope_region(&app, &scope, lang).await?;
        let period = match &a.period {
            Some(p) => RunPeriod::parse(p).map_err(|e| anyhow::anyhow!("{}", e.message(lang)))?,
            None => anyhow::bail!(
                "{}",
                lang.pick("请用 --period 指明期间", "name the period with --period")
            ),
        };
        let Some(out) = &a.out else {
            anyhow::bail!(
                "{}",
                lang.pick("请用 --out 指明输出文件", "name the output file with --out")
            );
        };
        let disbursement = a.name == "disbursement-list";
        let lines = app
            .sheet_lines(
                &crate::util::cli_principal(lang),
                &region,
                period,
                disbursement,
            )
            .await?;
        let label = period.label(lang);
        let n;
        if disbursement {
            let rows: Vec<_> = lines.iter().map(|l| sheet_line(l, lang)).collect();
            n = rows.len();
            anju_sheets::write_disbursement_list(out, &region.name, &label, &rows, lang)?;
        } else {
            let rows: Vec<_> = lines.iter().map(|l| sheet_line(l, lang)).collect();
            n = rows.len();
            anju_sheets::write_subsidy_application(out, &region.name, &label, &rows, lang)?;
        }
        match lang {
            Lang::Zh => println!("已写出 {}：{n} 行", out.display()),
            Lang::En => println!("wrote {}: {n} lines", out.display()),
        }
        Ok(ExitCode::SUCCESS)
    })
}
