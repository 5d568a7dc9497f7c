//! `anju fund …`: a compound's 专项维修资金 (issue 19 item 4; seed 003 三（一）) — the balance with
//! its money in and out, a deposit or 续筹 (citing the carried vote to raise the fund), a use
//! applied for, and its steps: the owners' vote that carried it, approval or rejection, payment.
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::fund`. Amounts are typed
//! in yuan (12,345.67 or 12345.67) and kept in fen. The command line acts as an administrator,
//! recorded in the audit log as the housing authority (money in, approval, payment) or the street
//! (a use applied for, the vote that carried it).

use crate::cmd_department::day;
use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, find_compound, principal, render_table, runtime};
use anju_app::App;
use anju_app::fund::{FundDepositInput, FundStepInput, FundStepKind, FundUseInput};
use anju_app::model::{FundAccount, FundUse};
use anju_core::ids::{BadId, CompoundId, FundUseId, VoteId};
use anju_core::{Fen, Lang};
use clap::Subcommand;
use jiff::civil::Date;
use std::process::ExitCode;

fn id(s: &str) -> Result<FundUseId, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

fn vote(s: &str) -> Result<VoteId, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

/// An amount in yuan as typed ("12,345.67", "1200"), as fen.
fn yuan(s: &str) -> Result<Fen, String> {
    Fen::parse_yuan(&s.trim().replace([',', '，'], ""))
        .map_err(|_| format!("“{s}”不是有效金额（元，如 12345.67）"))
}

#[derive(Subcommand)]
pub enum FundCmd {
    /// 小区的维修资金：余额、收支明细、使用申请 / a compound's fund: balance, entries, uses
    Show {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        /// 所属街道（小区重名时）/ the street, when compound names repeat
        #[arg(long)]
        street: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 登记缴存（住建）；续筹须 --vote 引用通过的“筹集维修资金”表决 / money in (续筹 with --vote)
    Deposit {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 金额（元）/ amount in yuan
        #[arg(long, value_parser = yuan)]
        amount: Fen,
        /// 缴存日期 / the day
        #[arg(long, value_parser = day)]
        on: Date,
        /// 续筹所依据的表决编号 / the carried vote to raise the fund
        #[arg(long, value_parser = vote)]
        vote: Option<VoteId>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 申请使用维修资金（街道、社区）/ apply for a use of the fund
    Apply {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 使用事项（如 更换电梯）/ what the money is for
        #[arg(long)]
        title: String,
        /// 预算金额（元）/ the cost in yuan
        #[arg(long, value_parser = yuan)]
        cost: Fen,
        /// 报价情况 / the quotes gathered
        #[arg(long)]
        quotes: Option<String>,
        /// 申请日期 / applied on
        #[arg(long, value_parser = day)]
        on: Date,
        #[arg(long)]
        by: Option<String>,
    },
    /// 登记通过该使用事项的业主表决 / the owners' vote that carried the use
    Vote {
        /// 使用申请编号 / the use
        #[arg(value_parser = id)]
        id: FundUseId,
        /// 版本号（anju fund show 显示）/ the version read
        #[arg(long)]
        version: i64,
        /// 通过的“使用维修资金”表决编号 / the carried vote
        #[arg(long, value_parser = vote)]
        vote: VoteId,
        /// 办理日期（不填为今天）/ the day (today when not given)
        #[arg(long, value_parser = day)]
        on: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 审批（住建）/ approve a use
    Approve {
        #[arg(value_parser = id)]
        id: FundUseId,
        #[arg(long)]
        version: i64,
        #[arg(long, value_parser = day)]
        on: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 驳回（住建，须写明理由）/ reject a use, with the reason
    Reject {
        #[arg(value_parser = id)]
        id: FundUseId,
        #[arg(long)]
        version: i64,
        /// 驳回理由 / the reason
        #[arg(long)]
        reason: String,
        #[arg(long, value_parser = day)]
        on: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 拨付（住建；不超过预算和余额）/ pay a use (not beyond its cost or the balance)
    Pay {
        #[arg(value_parser = id)]
        id: FundUseId,
        #[arg(long)]
        version: i64,
        /// 拨付金额（元，不填为预算金额）/ amount in yuan (the cost when not given)
        #[arg(long, value_parser = yuan)]
        amount: Option<Fen>,
        #[arg(long, value_parser = day)]
        on: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
}

fn status(s: &str, lang: Lang) -> &'static str {
    match s {
        "applied" => lang.pick("已申请", "applied"),
        "voted" => lang.pick("业主表决通过", "carried by the owners"),
        "approved" => lang.pick("已审批", "approved"),
        "paid" => lang.pick("已拨付", "paid"),
        "rejected" => lang.pick("已驳回", "rejected"),
        _ => lang.pick("未知", "unknown"),
    }
}

fn entry_kind(s: &str, lang: Lang) -> &'static str {
    match s {
        "deposit" => lang.pick("缴存", "deposit"),
        "raised" => lang.pick("续筹", "raised"),
        "payout" => lang.pick("拨付", "paid out"),
        _ => lang.pick("未知", "unknown"),
    }
}

fn use_rows(uses: &[FundUse], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("事项", "use"),
            lang.pick("预算", "cost"),
            lang.pick("申请日期", "applied"),
            lang.pick("状态", "status"),
            lang.pick("表决", "vote"),
            lang.pick("已拨付", "paid"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for u in uses {
        rows.push(vec![
            u.id.to_string(),
            u.title.clone(),
            u.cost.display_yuan(),
            u.applied_on.to_string(),
            status(&u.status, lang).to_string(),
            u.vote_id.map_or_else(|| "-".into(), |v| v.to_string()),
            u.paid.map_or_else(|| "-".into(), Fen::display_yuan),
            u.version.to_string(),
        ]);
    }
    rows
}

fn print_account(a: &FundAccount, name: &str, lang: Lang) {
    match lang {
        Lang::Zh => println!(
            "{name} 维修资金余额 {}（累计缴存 {}，累计拨付 {}）",
            a.balance.display_yuan(),
            a.deposited.display_yuan(),
            a.paid.display_yuan()
        ),
        Lang::En => println!(
            "{name}: fund balance {} (in {}, paid out {})",
            a.balance.display_yuan(),
            a.deposited.display_yuan(),
            a.paid.display_yuan()
        ),
    }
    if !a.entries.is_empty() {
        let mut rows = vec![
            [
                lang.pick("日期", "on"),
                lang.pick("类别", "kind"),
                lang.pick("金额", "amount"),
                lang.pick("说明", "note"),
            ]
            .map(str::to_string)
            .to_vec(),
        ];
        for e in &a.entries {
            rows.push(vec![
                e.on.to_string(),
                entry_kind(&e.kind, lang).to_string(),
                e.amount.display_yuan(),
                e.note.clone().unwrap_or_default(),
            ]);
        }
        print!("{}", render_table(&rows));
    }
    if !a.uses.is_empty() {
        print!("{}", render_table(&use_rows(&a.uses, lang)));
    }
}

pub fn run(c: FundCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        run_fund(&app, c, lang).await?;
        Ok(ExitCode::SUCCESS)
    })
}

async fn run_fund(app: &App, c: FundCmd, lang: Lang) -> anyhow::Result<()> {
    let housing = |by: Option<&str>| principal(by, "housing_authority", lang);
    let street = |by: Option<&str>| principal(by, "street", lang);
    let step = |kind, version, on: Option<Date>| FundStepInput {
        step: kind,
        vote_id: None,
        on: on.unwrap_or_else(|| app.today()),
        amount: None,
        reason: None,
        version,
    };
    let done = match c {
        FundCmd::Show {
            compound,
            street,
            format,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let a = app
                .fund_account(&cli_principal(lang), CompoundId(c.id))
                .await?;
            if format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&a)?);
            } else {
                print_account(&a, &c.compound.name, lang);
            }
            return Ok(());
        }
        FundCmd::Deposit {
            compound,
            street,
            amount,
            on,
            vote,
            note,
            by,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let e = app
                .deposit_fund(
                    &housing(by.as_deref()),
                    FundDepositInput {
                        compound_id: CompoundId(c.id),
                        amount,
                        on,
                        note,
                        vote_id: vote,
                    },
                )
                .await?;
            match lang {
                Lang::Zh => println!(
                    "已登记{} {}（{}）",
                    entry_kind(&e.kind, lang),
                    e.amount.display_yuan(),
                    e.on
                ),
                Lang::En => println!(
                    "recorded {} {} ({})",
                    entry_kind(&e.kind, lang),
                    e.amount.display_yuan(),
                    e.on
                ),
            }
            return Ok(());
        }
        FundCmd::Apply {
            compound,
            street: on_street,
            title,
            cost,
            quotes,
            on,
            by,
        } => {
            let c = find_compound(app, &compound, on_street.as_deref(), lang).await?;
            app.apply_fund_use(
                &street(by.as_deref()),
                FundUseInput {
                    compound_id: CompoundId(c.id),
                    title,
                    cost,
                    quotes,
                    applied_on: on,
                },
            )
            .await?
        }
        FundCmd::Vote {
            id,
            version,
            vote,
            on,
            by,
        } => {
            let s = FundStepInput {
                vote_id: Some(vote),
                ..step(FundStepKind::Vote, version, on)
            };
            app.fund_use_step(&street(by.as_deref()), id, s).await?
        }
        FundCmd::Approve {
            id,
            version,
            on,
            by,
        } => {
            let s = step(FundStepKind::Approve, version, on);
            app.fund_use_step(&housing(by.as_deref()), id, s).await?
        }
        FundCmd::Reject {
            id,
            version,
            reason,
            on,
            by,
        } => {
            let s = FundStepInput {
                reason: Some(reason),
                ..step(FundStepKind::Reject, version, on)
            };
            app.fund_use_step(&housing(by.as_deref()), id, s).await?
        }
        FundCmd::Pay {
            id,
            version,
            amount,
            on,
            by,
        } => {
            let s = FundStepInput {
                amount,
                ..step(FundStepKind::Pay, version, on)
            };
            app.fund_use_step(&housing(by.as_deref()), id, s).await?
        }
    };
    print!("{}", render_table(&use_rows(&[done], lang)));
    Ok(())
}
