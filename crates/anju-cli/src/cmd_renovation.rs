//! `anju renovation …` and `anju fee-standard …`: a compound's renovation projects (老旧小区改造,
//! issue 19 item 5; seed 002 六) — recorded, their milestones dated or corrected with a reason,
//! each household's 三承诺 answered or imported from the questionnaire sheet — and its approved
//! fee standards (核定收费标准, seed 003 三（二）).
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::renovation`. The command
//! line acts as an administrator, recorded in the audit log as the street (renovation) or the
//! housing authority (fee standards, entered on 发改's behalf).

use crate::cmd_department::{day, refuse};
use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, find_compound, principal, render_table, runtime};
use anju_app::App;
use anju_app::model::{FeeStandardRecord, RenovationRecord};
use anju_app::renovation::{
    CommitmentInput, FeeStandardInput, FeeStandards, RenovationDateInput, RenovationDetail,
    RenovationInput,
};
use anju_core::contract::Fees;
use anju_core::ids::{BadId, CompoundId, RenovationId};
use anju_core::renovation::{Commitment, Commitments, Milestone, per_sqm_month};
use anju_core::{Fen, Lang};
use clap::Subcommand;
use jiff::civil::Date;
use std::path::PathBuf;
use std::process::ExitCode;

fn id(s: &str) -> Result<RenovationId, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

#[derive(Subcommand)]
pub enum RenovationCmd {
    /// 列出小区的改造项目 / a compound's renovation projects
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
    /// 查看一个改造项目：节点、衔接检查、三承诺 / one project with its checks and commitments
    Show {
        /// 改造项目编号 / project id
        #[arg(value_parser = id)]
        id: RenovationId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 登记改造项目 / record a renovation project
    Start {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        /// 所属街道（小区重名时）/ the street, when compound names repeat
        #[arg(long)]
        street: Option<String>,
        /// 项目名称或批次 / the project's name or batch
        #[arg(long)]
        name: String,
        /// 手续办理日期 / procedures begun on
        #[arg(long, value_parser = day)]
        procedures_on: Option<Date>,
        /// 施工进场日期 / construction started on
        #[arg(long, value_parser = day)]
        construction_on: Option<Date>,
        /// 竣工验收日期 / accepted on
        #[arg(long, value_parser = day)]
        acceptance_on: Option<Date>,
        /// 备注 / a note
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 登记或更正节点日期（更正须 --reason）/ record or correct a milestone's date
    Date {
        /// 改造项目编号 / project id
        #[arg(value_parser = id)]
        id: RenovationId,
        /// 版本号（anju renovation show 显示）/ the version read
        #[arg(long)]
        version: i64,
        /// procedures（手续办理）| construction（施工进场）| acceptance（竣工验收）
        #[arg(long)]
        milestone: String,
        /// 日期 / the day
        #[arg(long, value_parser = day)]
        on: Date,
        /// 更正原因（更正已登记的日期时必填）/ the reason of a correction
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 登记一户的三承诺（同一房号再次登记为更新）/ one household's three commitments
    Answer {
        /// 改造项目编号 / project id
        #[arg(value_parser = id)]
        id: RenovationId,
        /// 房号（如 3-2-501）/ the house
        #[arg(long)]
        house: String,
        /// 业主姓名 / the owner
        #[arg(long)]
        owner: Option<String>,
        /// 承诺的事项（可重复）：demolish（拆除违建）| maintenance_fund（缴纳维修资金）|
        /// repair_fees（缴纳物业维修费用）；不列出的为“否” / a commitment made, repeatable
        #[arg(long = "commit")]
        commits: Vec<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 导入三承诺调查问卷表（xlsx、xls、csv；有任何问题则全部不导入）/ import a questionnaire
    Import {
        /// 改造项目编号 / project id
        #[arg(value_parser = id)]
        id: RenovationId,
        file: PathBuf,
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum FeeStandardCmd {
    /// 小区的核定收费标准与收费高于标准的合同 / a compound's approved fee standards
    List {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 录入发改部门核定的收费标准 / enter an approved fee standard
    Add {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 多层（元/㎡·月，如 1.20）/ multi-storey, yuan per ㎡ per month
        #[arg(long)]
        multi: Option<String>,
        /// 高层（元/㎡·月）/ high-rise, yuan per ㎡ per month
        #[arg(long)]
        high: Option<String>,
        /// 核定文号 / the approving document
        #[arg(long)]
        doc_no: String,
        /// 核定日期 / approved on
        #[arg(long, value_parser = day)]
        approved_on: Date,
        /// 核定部门 / the approving department
        #[arg(long, default_value = "区发改局")]
        department: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
}

fn dash(d: Option<Date>) -> String {
    d.map_or_else(|| "-".into(), |d| d.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn project_rows(list: &[RenovationRecord], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("项目", "project"),
            lang.pick("手续办理", "procedures"),
            lang.pick("施工进场", "construction"),
            lang.pick("竣工验收", "acceptance"),
            lang.pick("已登记户数", "households"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for p in list {
        rows.push(vec![
            p.id.to_string(),
            p.name.clone(),
            dash(p.procedures_on),
            dash(p.construction_on),
            dash(p.acceptance_on),
            p.households_answered.to_string(),
            p.version.to_string(),
        ]);
    }
    rows
}

fn print_detail(d: &RenovationDetail, lang: Lang) {
    let p = &d.project;
    print!(
        "{}",
        render_table(&project_rows(std::slice::from_ref(p), lang))
    );
    for g in &d.gaps {
        match lang {
            Lang::Zh => println!(
                "提醒：{}（自 {} 起）。依据：{}“{}”",
                g.gap.label(lang),
                g.since,
                g.clause,
                g.words
            ),
            Lang::En => println!(
                "alert: {} (since {}). Seed 002 {}: “{}”",
                g.gap.label(lang),
                g.since,
                g.clause,
                g.words
            ),
        }
    }
    match (d.entry_on, lang) {
        (Some(e), Lang::Zh) => println!("正式进场 {e}（物业服务期限自此起算）"),
        (Some(e), Lang::En) => println!("formal entry {e} (the service term runs from it)"),
        (None, Lang::Zh) => println!("尚未正式进场"),
        (None, Lang::En) => println!("no formal entry yet"),
    }
    for t in &d.early_terms {
        match lang {
            Lang::Zh => println!(
                "与 {} 的合同期限自 {} 起算，早于正式进场日",
                t.company, t.term_start
            ),
            Lang::En => println!(
                "the contract with {} counts its term from {}, before the formal entry",
                t.company, t.term_start
            ),
        }
    }
    let s = &d.share;
    let pct = s.all_three_percent.clone().unwrap_or_else(|| "-".into());
    match lang {
        Lang::Zh => println!(
            "三承诺：已登记 {} 户，三项全部承诺 {} 户 ÷ 台账户数 {} = {pct}",
            s.answered, s.all_three, s.households
        ),
        Lang::En => println!(
            "commitments: {} answered; all three {} of {} households = {pct}",
            s.answered, s.all_three, s.households
        ),
    }
    for c in Commitment::ALL {
        println!("  {} {}", c.label(lang), s.count(*c));
    }
}

/// A rate in yuan (1.20) as fen.
fn yuan(v: Option<&str>, flag: &str, lang: Lang) -> anyhow::Result<Option<Fen>> {
    v.map(|v| {
        Fen::parse_yuan(v.trim()).map_err(|_| {
            refuse(
                lang,
                format!("--{flag}：“{v}”不是有效金额（元，如 1.20）"),
                format!("--{flag}: '{v}' is not an amount in yuan (e.g. 1.20)"),
            )
        })
    })
    .transpose()
}

fn print_fees(v: &FeeStandards, lang: Lang) {
    let rate = |x: Option<Fen>| x.map_or_else(|| "-".into(), per_sqm_month);
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("现行", "in force"),
            lang.pick("多层", "multi"),
            lang.pick("高层", "high"),
            lang.pick("文号", "document"),
            lang.pick("核定日期", "approved"),
            lang.pick("核定部门", "department"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for s in &v.standards {
        rows.push(vec![
            s.id.to_string(),
            if v.in_force_id == Some(s.id) {
                lang.pick("是", "yes")
            } else {
                ""
            }
            .to_string(),
            rate(s.fees.multi),
            rate(s.fees.high),
            s.doc_no.clone(),
            s.approved_on.to_string(),
            s.department.clone(),
        ]);
    }
    print!("{}", render_table(&rows));
    for k in &v.above {
        let lines: Vec<&str> = k.above.iter().map(|x| x.text.as_str()).collect();
        match lang {
            Lang::Zh => println!(
                "合同收费高于核定标准：与 {} 的合同（{} 签订）{}（{}）",
                k.company,
                k.signed_on,
                lines.join("；"),
                k.doc_no
            ),
            Lang::En => println!(
                "contract fees above the approved standard: {} (signed {}) {} ({})",
                k.company,
                k.signed_on,
                lines.join("; "),
                k.doc_no
            ),
        }
    }
}

fn print_standard(s: &FeeStandardRecord, lang: Lang) {
    let rate = |x: Option<Fen>| x.map_or_else(|| "-".into(), per_sqm_month);
    match lang {
        Lang::Zh => println!(
            "核定收费标准 {}：多层 {}，高层 {}（{} {}，{}）",
            s.id,
            rate(s.fees.multi),
            rate(s.fees.high),
            s.department,
            s.approved_on,
            s.doc_no
        ),
        Lang::En => println!(
            "fee standard {}: multi-storey {}, high-rise {} ({} {}, {})",
            s.id,
            rate(s.fees.multi),
            rate(s.fees.high),
            s.department,
            s.approved_on,
            s.doc_no
        ),
    }
}

pub fn run(c: RenovationCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        run_renovation(&app, c, lang).await
    })
}

pub fn run_fee_standard(c: FeeStandardCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        run_fees(&app, c, lang).await?;
        Ok(ExitCode::SUCCESS)
    })
}

async fn run_renovation(app: &App, c: RenovationCmd, lang: Lang) -> anyhow::Result<ExitCode> {
    let who = cli_principal(lang);
    let actor = |by: Option<&str>| principal(by, "street", lang);
    let id = match c {
        RenovationCmd::List {
            compound,
            street,
            format,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let list = app.renovations(&who, CompoundId(c.id)).await?;
            if format == Format::Json {
                json(&list)?;
            } else if list.is_empty() {
                match lang {
                    Lang::Zh => println!(
                        "{} 尚无改造项目（anju renovation start 登记）",
                        c.compound.name
                    ),
                    Lang::En => println!(
                        "{} has no renovation project (anju renovation start)",
                        c.compound.name
                    ),
                }
            } else {
                print!("{}", render_table(&project_rows(&list, lang)));
            }
            return Ok(ExitCode::SUCCESS);
        }
        RenovationCmd::Show { id, format } => {
            let d = app.renovation_detail(&who, id).await?;
            if format == Format::Json {
                json(&d)?;
            } else {
                print_detail(&d, lang);
            }
            return Ok(ExitCode::SUCCESS);
        }
        RenovationCmd::Start {
            compound,
            street,
            name,
            procedures_on,
            construction_on,
            acceptance_on,
            note,
            by,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let p = app
                .start_renovation(
                    &actor(by.as_deref()),
                    RenovationInput {
                        compound_id: CompoundId(c.id),
                        name,
                        procedures_on,
                        construction_on,
                        acceptance_on,
                        note,
                    },
                )
                .await?;
            RenovationId(p.id)
        }
        RenovationCmd::Date {
            id,
            version,
            milestone,
            on,
            reason,
            by,
        } => {
            let m = Milestone::ALL
                .iter()
                .copied()
                .find(|m| m.code() == milestone.trim() || m.label(Lang::Zh) == milestone.trim())
                .ok_or_else(|| {
                    refuse(
                        lang,
                        format!(
                            "--milestone（节点）：“{milestone}”无法识别，应为 procedures（手续办理）、construction（施工进场）或 acceptance（竣工验收）"
                        ),
                        format!(
                            "--milestone: unknown '{milestone}' ({})",
                            Milestone::CODES.join(" | ")
                        ),
                    )
                })?;
            app.renovation_date(
                &actor(by.as_deref()),
                id,
                RenovationDateInput {
                    milestone: m,
                    on,
                    reason,
                    version,
                },
            )
            .await?;
            id
        }
        RenovationCmd::Answer {
            id,
            house,
            owner,
            commits,
            by,
        } => {
            let mut c = Commitments::default();
            for x in &commits {
                match Commitment::ALL
                    .iter()
                    .copied()
                    .find(|k| k.code() == x.trim() || k.label(Lang::Zh) == x.trim())
                {
                    Some(Commitment::Demolish) => c.demolish = true,
                    Some(Commitment::MaintenanceFund) => c.maintenance_fund = true,
                    Some(Commitment::RepairFees) => c.repair_fees = true,
                    None => {
                        return Err(refuse(
                            lang,
                            format!(
                                "--commit（承诺事项）：“{x}”无法识别，应为 demolish（拆除违建）、maintenance_fund（缴纳维修资金）或 repair_fees（缴纳物业维修费用）"
                            ),
                            format!(
                                "--commit: unknown '{x}' ({})",
                                Commitment::CODES.join(" | ")
                            ),
                        ));
                    }
                }
            }
            let w = app
                .answer_commitments(
                    &actor(by.as_deref()),
                    id,
                    CommitmentInput {
                        house,
                        owner,
                        commitments: c,
                    },
                )
                .await?;
            match lang {
                Lang::Zh => println!("新增 {} 户，更新 {} 户", w.added, w.updated),
                Lang::En => println!("{} added, {} updated", w.added, w.updated),
            }
            id
        }
        RenovationCmd::Import { id, file, by } => {
            let kind = anju_sheets::FileKind::from_path(&file)
                .map_err(|e| anyhow::anyhow!(e.render(lang)))?;
            let bytes = std::fs::read(&file)?;
            let rows = match anju_sheets::read_commitment_sheet_bytes(&bytes, kind) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{}", e.render(lang));
                    return Ok(ExitCode::from(1));
                }
            };
            match app
                .import_commitments(&actor(by.as_deref()), id, &rows)
                .await?
            {
                Ok(w) => match lang {
                    Lang::Zh => println!("已导入：新增 {} 户，更新 {} 户", w.added, w.updated),
                    Lang::En => println!("imported: {} added, {} updated", w.added, w.updated),
                },
                Err(problems) => {
                    match lang {
                        Lang::Zh => eprintln!("问卷表有 {} 处问题，未导入任何数据", problems.len()),
                        Lang::En => eprintln!("{} problems; nothing was imported", problems.len()),
                    }
                    for (_, zh, en) in problems {
                        eprintln!("{}", lang.pick(&zh, &en));
                    }
                    return Ok(ExitCode::from(1));
                }
            }
            id
        }
    };
    print_detail(&app.renovation_detail(&who, id).await?, lang);
    Ok(ExitCode::SUCCESS)
}

async fn run_fees(app: &App, c: FeeStandardCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    match c {
        FeeStandardCmd::List {
            compound,
            street,
            format,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let v = app.fee_standards(&who, CompoundId(c.id)).await?;
            if format == Format::Json {
                json(&v)?;
            } else {
                print_fees(&v, lang);
            }
        }
        FeeStandardCmd::Add {
            compound,
            street,
            multi,
            high,
            doc_no,
            approved_on,
            department,
            note,
            by,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let s = app
                .add_fee_standard(
                    &principal(by.as_deref(), "housing_authority", lang),
                    FeeStandardInput {
                        compound_id: CompoundId(c.id),
                        fees: Fees {
                            multi: yuan(multi.as_deref(), "multi", lang)?,
                            high: yuan(high.as_deref(), "high", lang)?,
                        },
                        doc_no,
                        approved_on,
                        department,
                        note,
                    },
                )
                .await?;
            print_standard(&s, lang);
            print_fees(&app.fee_standards(&who, CompoundId(c.id)).await?, lang);
        }
    }
    Ok(())
}
