//! `anju survey …` (satisfaction surveys, seeds 002 item 20 and 004), `anju fees …` (fees billed
//! and collected, collection rate) and `anju accounts …` (收支公示, seed 002 七(四)).

use crate::util::{cli_principal, find_compound, render_table, runtime};
use anju_app::model::{SurveyAnswer, SurveyResult, SurveyRule};
use anju_core::Lang;
use anju_core::{CompoundId, SurveyId};
use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RuleArg {
    /// 二七区：样本不少于10% / Erqi: at least 10 %
    Erqi,
    /// 大沁他拉：100户以下不少于10户，超过100户10% / Daqintala
    Daqintala,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum SurveyCmd {
    /// 发起调查并发放问卷链接 / create a survey and issue its links
    New {
        /// 小区名称或编号 / compound name or id
        #[arg(long)]
        compound: String,
        /// 小区所在街道（同名时区分）/ the compound's street, when names repeat
        #[arg(long)]
        street: Option<String>,
        /// 调查期间 / period (2026H1 …)
        #[arg(long)]
        period: String,
        /// 抽样规则 / sample rule
        #[arg(long, value_enum)]
        rule: RuleArg,
        /// 总户数（默认取台账）/ households (default: the ledger's)
        #[arg(long)]
        households: Option<u32>,
        /// 发放问卷份数（默认为应抽样户数）/ links to issue (default: the required sample)
        #[arg(long)]
        tokens: Option<u32>,
        /// 开始日期 / first day
        #[arg(long)]
        from: Option<jiff::civil::Date>,
        /// 结束日期 / last day
        #[arg(long)]
        to: Option<jiff::civil::Date>,
    },
    /// 补发问卷链接 / issue more links
    Issue {
        /// 调查编号 / survey id
        id: SurveyId,
        /// 份数 / how many
        #[arg(long)]
        count: u32,
    },
    /// 提交问卷（每个链接只能用一次）/ answer with a token (once)
    Answer {
        /// 问卷令牌 / token (from the link /s/<token>)
        token: String,
        /// 小区名称或编号 / compound name or id
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 满意 / satisfied
        #[arg(
            long,
            conflicts_with = "dissatisfied",
            required_unless_present = "dissatisfied"
        )]
        satisfied: bool,
        /// 不满意 / dissatisfied
        #[arg(long)]
        dissatisfied: bool,
        /// 评分 1–5 / score 1–5
        #[arg(long)]
        score: Option<u8>,
        /// 意见 / comment
        #[arg(long)]
        comment: Option<String>,
    },
    /// 调查结果 / a survey's result
    Result {
        /// 调查编号 / survey id
        id: SurveyId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 结束调查（有效且超过半数不满意时提出解聘动议）/ close (raises the dismissal proposal)
    Close {
        /// 调查编号 / survey id
        id: SurveyId,
    },
    /// 问卷链接 / a survey's links
    Links {
        /// 调查编号 / survey id
        id: SurveyId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 打印二维码（A4 网页，可打印后发给住户）/ a printable A4 sheet of the survey's QR codes
    Qr {
        /// 调查编号 / survey id
        #[arg(long)]
        survey: SurveyId,
        /// 网址前缀，如 https://anju.example.cn / the server's base URL
        #[arg(long)]
        base_url: String,
        /// 输出文件 / output file (.html)
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// 列出调查 / list surveys
    List {
        /// 小区名称或编号 / compound
        #[arg(long)]
        compound: Option<String>,
        #[arg(long)]
        street: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

fn print_result(r: &SurveyResult, lang: Lang) {
    let s = &r.survey;
    let zh = lang == Lang::Zh;
    let rule = match (s.rule, zh) {
        (SurveyRule::Erqi, true) => "二七区（不少于10%）",
        (SurveyRule::Erqi, false) => "Erqi (at least 10 %)",
        (SurveyRule::Daqintala, true) => "大沁他拉（100户以下不少于10户，超过100户10%）",
        (SurveyRule::Daqintala, false) => "Daqintala (≤ 100: at least 10; over 100: 10 %)",
    };
    let status = match (s.closed, zh) {
        (true, true) => "已结束",
        (false, true) => "进行中",
        (true, false) => "closed",
        (false, false) => "open",
    };
    let rows: Vec<Vec<String>> = vec![
        vec![lang.pick("调查编号", "Survey").into(), s.id.to_string()],
        vec![lang.pick("小区", "Compound").into(), s.compound.clone()],
        vec![lang.pick("期间", "Period").into(), s.period.clone()],
        vec![lang.pick("抽样规则", "Sample rule").into(), rule.into()],
        vec![lang.pick("状态", "Status").into(), status.into()],
        vec![
            lang.pick("总户数", "Households").into(),
            s.households.to_string(),
        ],
        vec![
            lang.pick("应抽样户数", "Required sample").into(),
            s.required_sample.to_string(),
        ],
        vec![
            lang.pick("已发放问卷", "Links issued").into(),
            r.issued.to_string(),
        ],
        vec![
            lang.pick("有效问卷", "Responses").into(),
            r.responses.to_string(),
        ],
        vec![
            lang.pick("满意", "Satisfied").into(),
            r.satisfied.to_string(),
        ],
        vec![
            lang.pick("不满意", "Dissatisfied").into(),
            r.dissatisfied.to_string(),
        ],
        vec![
            lang.pick("满意率", "Satisfaction rate").into(),
            r.rate_text.clone().unwrap_or_else(|| "—".into()),
        ],
    ];
    let sep = lang.pick("：", ": ");
    for r in rows {
        println!("{}{sep}{}", r[0], r[1]);
    }
    if !r.valid {
        let why = r.invalid_reason.clone().unwrap_or_default();
        match lang {
            Lang::Zh => println!("调查无效，不计分：{why}"),
            Lang::En => println!(
                "invalid, not scored: {} responses, {} required",
                r.responses, s.required_sample
            ),
        }
    } else {
        let points = r
            .erqi_points
            .map(|p| p.normalize().to_string())
            .unwrap_or_default();
        let gate = r.daqintala_gate.unwrap_or(false);
        match lang {
            Lang::Zh => {
                println!("二七区考核第20项（居民满意度）得分：{points} / 10");
                println!("大沁他拉“满意率80%以上”：{}", yes_no(gate, lang));
                println!(
                    "超过半数不满意（解聘动议）：{}",
                    yes_no(r.dismissal_triggered, lang)
                );
            }
            Lang::En => {
                println!("Erqi item 20 (resident satisfaction): {points} of 10");
                println!("Daqintala gate (80 % or more): {}", yes_no(gate, lang));
                println!(
                    "More than half dissatisfied (dismissal proposal): {}",
                    yes_no(r.dismissal_triggered, lang)
                );
            }
        }
    }
    if let Some(p) = s.dismissal_proposal_id {
        match lang {
            Lang::Zh => println!("已在合同上登记解聘动议（编号 {p}）"),
            Lang::En => println!("Dismissal proposal {p} recorded on the contract"),
        }
    }
}

pub fn run_survey(c: SurveyCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            SurveyCmd::New {
                compound,
                street,
                period,
                rule,
                households,
                tokens,
                from,
                to,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let rule = match rule {
                    RuleArg::Erqi => SurveyRule::Erqi,
                    RuleArg::Daqintala => SurveyRule::Daqintala,
                };
                let (s, issued) = app
                    .open_survey(
                        &crate::util::cli_principal(lang),
                        anju_app::surveys::SurveyInput {
                            compound_id: cp.id,
                            period,
                            starts_on: from,
                            ends_on: to,
                            rule,
                            households,
                            tokens,
                        },
                    )
                    .await?;
                match lang {
                    Lang::Zh => println!(
                        "已发起满意度调查（编号 {}）：{}，{}，总户数 {} 户，应抽样 {} 户，已发放问卷链接 {} 个：",
                        s.id,
                        s.compound,
                        s.period,
                        s.households,
                        s.required_sample,
                        issued.len()
                    ),
                    Lang::En => println!(
                        "Survey {} created: {}, {}, {} households, required sample {}, {} links issued:",
                        s.id,
                        s.compound,
                        s.period,
                        s.households,
                        s.required_sample,
                        issued.len()
                    ),
                }
                for t in &issued {
                    println!("{}", t.link());
                }
            }
            SurveyCmd::Issue { id, count } => {
                let issued = app
                    .issue_survey_links(&crate::util::cli_principal(lang), id, count)
                    .await?;
                for t in &issued {
                    println!("{}", t.link());
                }
            }
            SurveyCmd::Answer {
                token,
                compound,
                street,
                satisfied,
                dissatisfied,
                score,
                comment,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                app
                    .answer_survey(
                        &token,
                        CompoundId(cp.id),
                        SurveyAnswer {
                            satisfied: satisfied && !dissatisfied,
                            score,
                            comment,
                        },
                    )
                    .await?;
                println!("{}", lang.pick("问卷已提交，谢谢！", "Thank you: answer recorded."));
            }
            SurveyCmd::Result { id, format } => {
                let r = app
                    .survey_result(&crate::util::cli_principal(lang), id)
                    .await?;
                match format {
                    Format::Json => println!("{}", serde_json::to_string_pretty(&r)?),
                    Format::Table => print_result(&r, lang),
                }
            }
            SurveyCmd::Close { id } => {
                let s = app
                    .survey_in_scope(&crate::util::cli_principal(lang), id)
                    .await?;
                let r = app
                    .close_survey(&crate::util::cli_principal(lang), id, s.version)
                    .await?;
                print_result(&r, lang);
            }
            SurveyCmd::Links { id, format } => {
                let tokens = app
                    .survey_links(&crate::util::cli_principal(lang), id)
                    .await?;
                if format == Format::Json {
                    let list: Vec<_> = tokens
                        .iter()
                        .map(|t| {
                            serde_json::json!({
                                "id": t.id,
                                "link": t.link(),
                                "household": t.household,
                                "used": t.used,
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                    return Ok(ExitCode::SUCCESS);
                }
                for t in tokens {
                    let used = if t.used {
                        lang.pick("（已使用）", " (used)")
                    } else {
                        ""
                    };
                    println!("{}{used}", t.link());
                }
            }
            SurveyCmd::Qr {
                survey,
                base_url,
                out,
            } => {
                let who = crate::util::cli_principal(lang);
                let s = app.survey_in_scope(&who, survey).await?;
                let tokens = app.survey_links(&who, survey).await?;
                let html = anju_web::survey_qr_sheet(&s, &tokens, &base_url, lang)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                std::fs::write(&out, html)
                    .with_context(|| format!("{}", out.display()))?;
                let open = tokens.iter().filter(|t| !t.used).count();
                match lang {
                    Lang::Zh => println!(
                        "已生成调查 {} 的二维码 {} 个（未使用 {} 个）：{}",
                        s.id,
                        tokens.len(),
                        open,
                        out.display()
                    ),
                    Lang::En => println!(
                        "{} QR codes of survey {} ({} unused) written to {}",
                        tokens.len(),
                        s.id,
                        open,
                        out.display()
                    ),
                }
            }
            SurveyCmd::List {
                compound,
                street,
                format,
            } => {
                let cid = match compound {
                    Some(c) => Some(find_compound(&app, &c, street.as_deref(), lang).await?.id),
                    None => None,
                };
                let surveys = app
                    .surveys(
                        &crate::util::cli_principal(lang),
                        anju_app::model::SurveyFilter {
                            compound_id: cid,
                            ..anju_app::model::SurveyFilter::default()
                        },
                    )
                    .await?;
                if format == Format::Json {
                    let mut out = Vec::new();
                    for s in &surveys {
                        out.push(app.survey_result(&crate::util::cli_principal(lang), SurveyId(s.id)).await?);
                    }
                    println!("{}", serde_json::to_string_pretty(&out)?);
                    return Ok(ExitCode::SUCCESS);
                }
                let mut rows = vec![vec![
                    lang.pick("编号", "Id").to_string(),
                    lang.pick("小区", "Compound").into(),
                    lang.pick("期间", "Period").into(),
                    lang.pick("规则", "Rule").into(),
                    lang.pick("总户数", "Households").into(),
                    lang.pick("应抽样", "Required").into(),
                    lang.pick("有效问卷", "Responses").into(),
                    lang.pick("满意率", "Rate").into(),
                    lang.pick("状态", "Status").into(),
                ]];
                for s in &surveys {
                    let r = app.survey_result(&crate::util::cli_principal(lang), SurveyId(s.id)).await?;
                    let rate = if r.valid {
                        r.rate_text.clone().unwrap_or_default()
                    } else {
                        lang.pick("无效", "invalid").to_string()
                    };
                    rows.push(vec![
                        s.id.to_string(),
                        s.compound.clone(),
                        s.period.clone(),
                        s.rule.code().into(),
                        s.households.to_string(),
                        s.required_sample.to_string(),
                        r.responses.to_string(),
                        rate,
                        if s.closed {
                            lang.pick("已结束", "closed")
                        } else {
                            lang.pick("进行中", "open")
                        }
                        .into(),
                    ]);
                }
                print!("{}", render_table(&rows));
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Subcommand)]
pub enum FeesCmd {
    /// 导入收缴表（.xlsx/.xls/.csv：小区名称、所属街道、[户号]、月份、应收、实收；有户号列即为按户明细）/ import a fee sheet (per household when it has a 户号 column)
    Import {
        /// 文件 / file
        file: std::path::PathBuf,
    },
    /// 录入某月应收、实收 / enter one month
    Set {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 月份 / month (2026-01)
        #[arg(long)]
        month: String,
        /// 应收（元）/ billed (yuan, 12,000.00)
        #[arg(long)]
        billed: String,
        /// 实收（元）/ collected (yuan)
        #[arg(long)]
        collected: String,
    },
    /// 按户明细：某月各户应收、实收与欠费 / per-household detail of a month, with arrears
    Households {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 月份 / month (2026-01)
        #[arg(long)]
        month: String,
        /// 只列欠费户 / only households in arrears
        #[arg(long)]
        arrears: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 收缴率 / collection rate
    Rate {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 期间 / period: 2026-01, 2026Q1, 2026H1, 2026
        #[arg(long, conflicts_with_all = ["from", "to"])]
        period: Option<String>,
        /// 起始月份 / first month
        #[arg(long)]
        from: Option<String>,
        /// 截止月份 / last month
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

fn fee_err(e: anju_core::fees::FeeError, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message(lang))
}

fn yuan(s: &str, lang: Lang) -> anyhow::Result<anju_core::Fen> {
    anju_core::Fen::parse_yuan(s).map_err(|e| match lang {
        Lang::Zh => anyhow::anyhow!("{e}"),
        Lang::En => anyhow::anyhow!("bad amount '{s}'"),
    })
}

pub fn run_fees(c: FeesCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    use anju_core::fees::{Month, MonthRange, percent_text};
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            FeesCmd::Import { file } => {
                let rows = match anju_sheets::read_fee_sheet(&file) {
                    Ok(r) => r,
                    Err(e) => {
                        eprintln!("{}", e.render(lang));
                        return Ok(ExitCode::from(1));
                    }
                };
                let done = match app.import_fee_sheet(&cli_principal(lang), &rows).await? {
                    Ok(done) => done,
                    Err(problems) => {
                        eprintln!(
                            "{}",
                            match lang {
                                Lang::Zh =>
                                    format!("收缴表有 {} 处问题，未导入任何数据", problems.len()),
                                Lang::En =>
                                    format!("{} problems; nothing was imported", problems.len()),
                            }
                        );
                        for (row, zh, en) in problems {
                            match lang {
                                Lang::Zh => eprintln!("第 {row} 行：{zh}"),
                                Lang::En => eprintln!("Row {row}: {en}"),
                            }
                        }
                        return Ok(ExitCode::from(1));
                    }
                };
                println!(
                    "{}",
                    anju_app::money::fee_sheet_done_text(&done, rows.len(), lang)
                );
            }
            FeesCmd::Set {
                compound,
                street,
                month,
                billed,
                collected,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let month = Month::parse(&month).map_err(|e| fee_err(e, lang))?;
                let m = app
                    .set_fee_month(
                        &cli_principal(lang),
                        &anju_app::model::FeeInput {
                            compound_id: cp.id,
                            month,
                            billed: yuan(&billed, lang)?,
                            collected: yuan(&collected, lang)?,
                        },
                        None,
                    )
                    .await?;
                match lang {
                    Lang::Zh => println!(
                        "{} {}：应收 {}，实收 {}",
                        m.compound,
                        m.month,
                        m.billed.display_yuan(),
                        m.collected.display_yuan()
                    ),
                    Lang::En => println!(
                        "{} {}: billed {}, collected {}",
                        m.compound,
                        m.month,
                        m.billed.display_yuan(),
                        m.collected.display_yuan()
                    ),
                }
            }
            FeesCmd::Households {
                compound,
                street,
                month,
                arrears,
                format,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let m = Month::parse(&month).map_err(|e| fee_err(e, lang))?;
                let range = MonthRange::new(m, m).map_err(|e| fee_err(e, lang))?;
                let list = app
                    .household_fees(
                        &cli_principal(lang),
                        CompoundId(cp.id),
                        Some(range),
                        arrears,
                    )
                    .await?;
                if format == Format::Json {
                    let out: Vec<_> = list
                        .iter()
                        .map(|h| {
                            serde_json::json!({
                                "household": h.household,
                                "month": h.month.to_string(),
                                "billed_fen": h.billed.0,
                                "collected_fen": h.collected.0,
                                "arrears_fen": h.arrears().0,
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&out)?);
                    return Ok(ExitCode::SUCCESS);
                }
                if list.is_empty() {
                    println!(
                        "{}",
                        lang.pick(
                            "该月没有按户明细（或没有欠费户）",
                            "no per-household detail for that month (or nobody in arrears)"
                        )
                    );
                    return Ok(ExitCode::SUCCESS);
                }
                let mut rows = vec![vec![
                    lang.pick("户号", "Household").to_string(),
                    lang.pick("应收（元）", "Billed (yuan)").into(),
                    lang.pick("实收（元）", "Collected (yuan)").into(),
                    lang.pick("欠费（元）", "Arrears (yuan)").into(),
                ]];
                let (mut b, mut c, mut a) = (0i64, 0i64, 0i64);
                for h in &list {
                    b += h.billed.0;
                    c += h.collected.0;
                    a += h.arrears().0;
                    rows.push(vec![
                        h.household.clone(),
                        h.billed.grouped(),
                        h.collected.grouped(),
                        h.arrears().grouped(),
                    ]);
                }
                rows.push(vec![
                    match lang {
                        Lang::Zh => format!("合计（{} 户）", list.len()),
                        Lang::En => format!("Total ({} households)", list.len()),
                    },
                    anju_core::Fen(b).grouped(),
                    anju_core::Fen(c).grouped(),
                    anju_core::Fen(a).grouped(),
                ]);
                println!("{} {m}", cp.compound.name);
                print!("{}", render_table(&rows));
            }
            FeesCmd::Rate {
                compound,
                street,
                period,
                from,
                to,
                format,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let range = match (period, from, to) {
                    (Some(p), _, _) => MonthRange::parse(&p).map_err(|e| fee_err(e, lang))?,
                    (None, Some(f), t) => {
                        let f = Month::parse(&f).map_err(|e| fee_err(e, lang))?;
                        let t = match t {
                            Some(t) => Month::parse(&t).map_err(|e| fee_err(e, lang))?,
                            None => Month::of(crate::util::today()),
                        };
                        MonthRange::new(f, t).map_err(|e| fee_err(e, lang))?
                    }
                    _ => anyhow::bail!(
                        "{}",
                        lang.pick("请给出 --period 或 --from", "give --period or --from")
                    ),
                };
                if format == Format::Json {
                    let months = app
                        .fee_months(&cli_principal(lang), CompoundId(cp.id), Some(range))
                        .await?;
                    let fig = app
                        .collection(&cli_principal(lang), CompoundId(cp.id), range)
                        .await?;
                    let rate = fig.collection.rate().ok();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "compound_id": cp.id,
                            "compound": cp.compound.name,
                            "range": range.to_string(),
                            "months": months,
                            "billed_fen": fig.collection.billed.0,
                            "collected_fen": fig.collection.collected.0,
                            "rate": rate.map(|r| r.to_string()),
                            "rate_text": rate.map(percent_text),
                        }))?
                    );
                    if let Err(e) = fig.collection.rate() {
                        anyhow::bail!("{}", e.message(lang));
                    }
                    return Ok(ExitCode::SUCCESS);
                }
                let mut rows = vec![vec![
                    lang.pick("月份", "Month").to_string(),
                    lang.pick("应收（元）", "Billed (yuan)").into(),
                    lang.pick("实收（元）", "Collected (yuan)").into(),
                    lang.pick("收缴率", "Rate").into(),
                ]];
                let rate_text = |b, c| match anju_core::fees::collection_rate(b, c) {
                    Ok(r) => percent_text(r),
                    Err(_) => "—".to_string(),
                };
                for m in app
                    .fee_months(&cli_principal(lang), CompoundId(cp.id), Some(range))
                    .await?
                {
                    rows.push(vec![
                        m.month.to_string(),
                        m.billed.grouped(),
                        m.collected.grouped(),
                        rate_text(m.billed, m.collected),
                    ]);
                }
                let fig = app
                    .collection(&cli_principal(lang), CompoundId(cp.id), range)
                    .await?;
                rows.push(vec![
                    lang.pick("合计", "Total").to_string(),
                    fig.collection.billed.grouped(),
                    fig.collection.collected.grouped(),
                    rate_text(fig.collection.billed, fig.collection.collected),
                ]);
                println!("{} {range}", cp.compound.name);
                print!("{}", render_table(&rows));
                if let Err(e) = fig.collection.rate() {
                    anyhow::bail!("{}", e.message(lang));
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Subcommand)]
pub enum AccountsCmd {
    /// 登记一笔收入或支出 / add an income or spending line
    Add {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 公示期间 / period (2026H1 …)
        #[arg(long)]
        period: String,
        /// 类别 / kind
        #[arg(long, value_enum)]
        kind: KindArg,
        /// 支出类别（保洁、保安、维修 …）/ spending category
        #[arg(long)]
        category: Option<String>,
        /// 金额（元）/ amount (yuan)
        #[arg(long)]
        amount: String,
        /// 说明 / note
        #[arg(long)]
        note: Option<String>,
    },
    /// 收支公示 / the statement of a compound for a period
    Show {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        #[arg(long)]
        period: String,
        /// 业主委员会分成比例（%，6–10，默认 10）/ owners' body share of fees, percent (6–10)
        #[arg(long)]
        owners_share: Option<rust_decimal::Decimal>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 小区公示页地址（居民无需登录；首次使用时生成）/ the compound's public page link
    PublicLink {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 网址前缀，如 https://anju.example.cn / the server's base URL
        #[arg(long)]
        base_url: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KindArg {
    /// 物业服务费收入 / property-service fees
    #[value(alias = "income_fees")]
    Fees,
    /// 公共收益 / public revenue
    #[value(alias = "income_public_revenue")]
    PublicRevenue,
    /// 政府物业补贴 / government subsidy
    #[value(alias = "income_subsidy")]
    Subsidy,
    /// 支出 / spending
    Spending,
}

pub fn run_accounts(c: AccountsCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    use anju_app::model::NewAccountEntry;
    use anju_core::accounts::EntryKind;
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            AccountsCmd::Add {
                compound,
                street,
                period,
                kind,
                category,
                amount,
                note,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let kind = match kind {
                    KindArg::Fees => EntryKind::IncomeFees,
                    KindArg::PublicRevenue => EntryKind::IncomePublicRevenue,
                    KindArg::Subsidy => EntryKind::IncomeSubsidy,
                    KindArg::Spending => EntryKind::Spending,
                };
                let e = app
                    .add_account_entry(
                        &cli_principal(lang),
                        &NewAccountEntry {
                            compound_id: cp.id,
                            period,
                            kind,
                            category,
                            amount: yuan(&amount, lang)?,
                            note,
                        },
                    )
                    .await?;
                println!(
                    "{} {} {}{} {}",
                    cp.compound.name,
                    e.period,
                    e.kind.name(lang),
                    e.category.map(|c| format!("（{c}）")).unwrap_or_default(),
                    e.amount.display_yuan()
                );
            }
            AccountsCmd::PublicLink {
                compound,
                street,
                base_url,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let key = app
                    .compound_public_key(&cli_principal(lang), CompoundId(cp.id))
                    .await?;
                let base = base_url.unwrap_or_default();
                println!("{}/p/{key}", base.trim().trim_end_matches('/'));
            }
            AccountsCmd::Show {
                compound,
                street,
                period,
                owners_share,
                format,
            } => {
                let cp = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let st = app
                    .account_statement(
                        &cli_principal(lang),
                        CompoundId(cp.id),
                        &period,
                        owners_share,
                    )
                    .await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&st)?);
                    return Ok(ExitCode::SUCCESS);
                }
                let t = &st.totals;
                match lang {
                    Lang::Zh => println!("{}（{}）{} 收支公示", st.compound, st.street, st.period),
                    Lang::En => println!(
                        "{} ({}) {}: public accounts",
                        st.compound, st.street, st.period
                    ),
                }
                let mut rows = vec![vec![
                    lang.pick("项目", "Item").to_string(),
                    lang.pick("金额", "Amount").into(),
                ]];
                for (k, v) in [
                    (EntryKind::IncomeFees, t.income_fees),
                    (EntryKind::IncomePublicRevenue, t.income_public_revenue),
                    (EntryKind::IncomeSubsidy, t.income_subsidy),
                ] {
                    rows.push(vec![k.name(lang).to_string(), v.display_yuan()]);
                }
                rows.push(vec![
                    lang.pick("收入合计", "Total income").into(),
                    t.income.display_yuan(),
                ]);
                for (cat, v) in &t.spending_by_category {
                    rows.push(vec![
                        format!("{}：{cat}", lang.pick("支出", "Spending")),
                        v.display_yuan(),
                    ]);
                }
                rows.push(vec![
                    lang.pick("支出合计", "Total spending").into(),
                    t.spending.display_yuan(),
                ]);
                rows.push(vec![
                    lang.pick("结余", "Balance").into(),
                    t.balance.display_yuan(),
                ]);
                rows.push(if st.owners_share_applies {
                    vec![
                        format!(
                            "{}（{}%）",
                            lang.pick("业主委员会分成", "Owners' body share"),
                            t.owners_share_percent.normalize()
                        ),
                        t.owners_share.display_yuan(),
                    ]
                } else {
                    vec![
                        lang.pick("业主组织分成", "Owners' body share").into(),
                        lang.pick("无（尚未成立业主组织）", "none (no owners' body)")
                            .into(),
                    ]
                });
                print!("{}", render_table(&rows));
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
