//! `anju party …`: a compound's red property records (红色物业, issue 19 item 3) — listed, added
//! (党支部/党小组 with its party members, 党建指导员 with who sent them, the cross appointments,
//! a 征询 with its suggestions), ended, a 征询's rectified suggestions recorded — and the Erqi
//! party items counted from them for a period (`anju party counts`).
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::party`. The command line
//! acts as an administrator, recorded in the audit log as the street.

use crate::cmd_department::day;
use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, find_compound, principal, render_table, runtime};
use anju_app::App;
use anju_app::party::{PartyChangeInput, PartyRecordInput};
use anju_core::Lang;
use anju_core::assessment::Period;
use anju_core::ids::{BadId, CompoundId, PartyRecordId};
use anju_core::party::PartyRecordKind;
use anyhow::anyhow;
use clap::Subcommand;
use jiff::civil::Date;
use std::process::ExitCode;

fn id(s: &str) -> Result<PartyRecordId, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

fn kind(s: &str) -> Result<PartyRecordKind, String> {
    PartyRecordKind::from_code(s).ok_or_else(|| {
        format!(
            "记录类型“{s}”无法识别，应为 {}",
            PartyRecordKind::CODES.join(" | ")
        )
    })
}

#[derive(Subcommand)]
pub enum PartyCmd {
    /// 列出小区的红色物业记录 / a compound's red property records
    List {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        /// 所属街道（小区重名时）/ the street, when compound names repeat
        #[arg(long)]
        street: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 新增记录 / add a record
    Add {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// branch（党支部）| group（党小组）| instructor（党建指导员）| head_in_committee（企业负责人任
        /// 两委兼职委员）| quality_supervisor（两委委员任质量监督员）| consultation（征询）
        #[arg(long, value_parser = kind)]
        kind: PartyRecordKind,
        /// 名称或姓名 / the branch's or the person's name
        #[arg(long)]
        name: Option<String>,
        /// 派驻单位（党建指导员）/ sent by (instructor)
        #[arg(long)]
        sent_by: Option<String>,
        /// 党员人数（党支部、党小组）/ party members
        #[arg(long, default_value_t = 0)]
        members: u32,
        /// 合理化建议条数（征询）/ reasonable suggestions
        #[arg(long, default_value_t = 0)]
        suggestions: u32,
        /// 已整改条数（征询）/ rectified
        #[arg(long, default_value_t = 0)]
        rectified: u32,
        /// 开始日期或征询日期（默认今天）/ started on, or held on (default today)
        #[arg(long, value_parser = day)]
        started_on: Option<Date>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 结束一条记录 / end a record
    End {
        #[arg(value_parser = id)]
        id: PartyRecordId,
        /// 结束日期（默认今天）/ its last day (default today)
        #[arg(long, value_parser = day)]
        on: Option<Date>,
        #[arg(long)]
        version: i64,
        #[arg(long)]
        by: Option<String>,
    },
    /// 更新征询的已整改条数 / a consultation's rectified suggestions
    Rectified {
        #[arg(value_parser = id)]
        id: PartyRecordId,
        #[arg(long)]
        count: u32,
        #[arg(long)]
        version: i64,
        #[arg(long)]
        by: Option<String>,
    },
    /// 二七细则党建工作（第6–9项）据记录计数 / the Erqi party items counted from records
    Counts {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 考核周期，如 2026Q4 / the period, e.g. 2026Q4
        #[arg(long)]
        period: String,
    },
}

pub fn run(c: PartyCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        run_cmd(&app, c, lang).await?;
        Ok(ExitCode::SUCCESS)
    })
}

async fn run_cmd(app: &App, c: PartyCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    let today = app.today();
    match c {
        PartyCmd::List {
            compound,
            street,
            format,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let list = app.party_records(&who, CompoundId(c.id)).await?;
            if format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            let mut rows = vec![
                [
                    "编号",
                    "类型",
                    "名称或姓名",
                    "党员",
                    "建议/整改",
                    "开始",
                    "结束",
                    "版本",
                ]
                .map(str::to_string)
                .to_vec(),
            ];
            for r in &list.records {
                rows.push(vec![
                    r.id.to_string(),
                    r.kind.label(lang).to_string(),
                    r.name.clone().unwrap_or_default(),
                    r.members.to_string(),
                    format!("{}/{}", r.suggestions, r.rectified),
                    r.started_on.to_string(),
                    r.ended_on.map(|d| d.to_string()).unwrap_or_default(),
                    r.version.to_string(),
                ]);
            }
            print!("{}", render_table(&rows));
        }
        PartyCmd::Add {
            compound,
            street,
            kind,
            name,
            sent_by,
            members,
            suggestions,
            rectified,
            started_on,
            note,
            by,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let r = app
                .add_party_record(
                    &principal(by.as_deref(), "street", lang),
                    CompoundId(c.id),
                    PartyRecordInput {
                        kind,
                        name,
                        sent_by,
                        members,
                        suggestions,
                        rectified,
                        started_on: started_on.unwrap_or(today),
                        note,
                    },
                )
                .await?;
            println!("{} #{}", r.kind.label(lang), r.id);
        }
        PartyCmd::End {
            id,
            on,
            version,
            by,
        } => {
            let r = app
                .change_party_record(
                    &principal(by.as_deref(), "street", lang),
                    id,
                    PartyChangeInput {
                        ended_on: Some(on.unwrap_or(today)),
                        rectified: None,
                        version,
                    },
                )
                .await?;
            println!(
                "#{} {}",
                r.id,
                r.ended_on.map(|d| d.to_string()).unwrap_or_default()
            );
        }
        PartyCmd::Rectified {
            id,
            count,
            version,
            by,
        } => {
            let r = app
                .change_party_record(
                    &principal(by.as_deref(), "street", lang),
                    id,
                    PartyChangeInput {
                        ended_on: None,
                        rectified: Some(count),
                        version,
                    },
                )
                .await?;
            println!("#{} {}/{}", r.id, r.rectified, r.suggestions);
        }
        PartyCmd::Counts {
            compound,
            street,
            period,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let p = Period::parse(&period).ok_or_else(|| {
                anyhow!("考核周期“{period}”无法识别（应为 2026H1、2026Q3、2026-03 或 2026）")
            })?;
            for n in app
                .party_counts(&who, CompoundId(c.id), p.start, p.end)
                .await?
            {
                println!(
                    "{} {} {}: {}",
                    n.item,
                    n.code,
                    n.count,
                    lang.pick(&n.why_zh, &n.why_en)
                );
            }
        }
    }
    Ok(())
}
