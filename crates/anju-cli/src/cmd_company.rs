//! `anju company …` (registry and credit files), `anju tasks …` (task lists, Shanting 附件3/4)
//! and `anju plan areas` (management areas, seed 004 and seed 001).

use crate::util::{app_with_scheme, cli_principal, find_compound, render_table, runtime, today};
use anju_app::areas::{AreaPlanInput, AreaPlanOutcome};
use anju_app::companies::{CompanyFile, CompanyQuery, NewCompany, NewCreditRecord};
use anju_app::model::{Company, TaskFilter};
use anju_core::Lang;
use anju_core::credit::RecordKind;
use anju_core::money::group_thousands;
use anju_core::planning::{AreaPlan, AreaRules};
use anju_core::task::TaskStatus;
use anju_core::{CompanyId, CompoundId, TaskId};
use clap::{Args, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum CompanyCmd {
    /// 登记企业 / register a company
    Add {
        /// 企业名称 / name
        #[arg(long)]
        name: String,
        /// 统一社会信用代码（18 位，校验） / unified social credit code (18 characters, checked)
        #[arg(long)]
        credit_code: Option<String>,
        /// 联系人 / contact person
        #[arg(long)]
        contact: Option<String>,
        /// 联系电话 / phone
        #[arg(long)]
        phone: Option<String>,
    },
    /// 列出企业 / list companies
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 企业登记信息、信用档案与信用等级 / registry facts, credit file and grade
    Show {
        /// 企业名称或编号 / name or id
        company: String,
        #[command(flatten)]
        grading: GradingArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 记入信用档案 / add a record to the credit file
    Record(RecordArgs),
    /// 全部企业的信用等级 / every company's grade
    Grades {
        #[command(flatten)]
        grading: GradingArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Args)]
pub struct GradingArgs {
    /// 计算日期（默认今天）/ grade as of this date (default today)
    #[arg(long)]
    pub as_of: Option<jiff::civil::Date>,
    /// 信用等级方案文件（TOML，默认内置烟台分档）/ credit scheme file (TOML; default: built-in)
    #[arg(long)]
    pub scheme: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KindArg {
    Assessment,
    #[value(alias = "bad_conduct")]
    BadConduct,
    Complaint,
    Dismissal,
}

#[derive(Args)]
pub struct RecordArgs {
    /// 企业名称或编号 / name or id
    pub company: String,
    /// 记录类型 / kind of record
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// 发生日期 / date (YYYY-MM-DD)
    #[arg(long)]
    pub date: jiff::civil::Date,
    /// 考核分（0–100）/ assessment score
    #[arg(long)]
    pub score: Option<rust_decimal::Decimal>,
    /// 考核或投诉所属期间 / period (2022, 2022-H1, 2022-10 …)
    #[arg(long)]
    pub period: Option<String>,
    /// 考核单位 / assessor
    #[arg(long)]
    pub assessor: Option<String>,
    /// 不良行为扣分（默认按方案）/ bad-conduct points (default: the scheme's)
    #[arg(long)]
    pub points: Option<rust_decimal::Decimal>,
    /// 投诉件数 / number of complaints
    #[arg(long)]
    pub count: Option<u32>,
    /// 涉及的小区（名称或编号）/ compound concerned (name or id)
    #[arg(long)]
    pub compound: Option<String>,
    /// 小区所在街道（同名时区分）/ the compound's street, when names repeat
    #[arg(long)]
    pub street: Option<String>,
    /// 说明、事由 / description, reason
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Subcommand)]
pub enum TasksCmd {
    /// 布置任务 / add a task to a compound
    Add {
        /// 小区名称或编号 / compound name or id
        #[arg(long)]
        compound: String,
        /// 街道（同名小区时区分）/ street, when names repeat
        #[arg(long)]
        street: Option<String>,
        /// 任务 / task
        #[arg(long)]
        title: String,
        /// 详细要求 / details
        #[arg(long)]
        detail: Option<String>,
        /// 责任人 / responsible person
        #[arg(long)]
        responsible: String,
        /// 完成时间（当天仍算按时）/ deadline (the day itself is on time)
        #[arg(long)]
        deadline: jiff::civil::Date,
    },
    /// 列出任务 / list tasks
    List {
        #[arg(long)]
        street: Option<String>,
        /// 只列逾期任务 / only overdue tasks
        #[arg(long)]
        overdue: bool,
        /// 以该日期判断逾期（默认今天）/ judge overdue as of this date (default today)
        #[arg(long)]
        as_of: Option<jiff::civil::Date>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 标记完成 / mark a task done
    Done {
        id: TaskId,
        /// 完成日期（默认今天）/ date done (default today)
        #[arg(long)]
        date: Option<jiff::civil::Date>,
    },
    /// 取消任务（不删除）/ cancel a task (nothing is deleted)
    Cancel { id: TaskId },
    /// 按文件附件载入任务清单 / load a seed task list
    ImportSeed {
        /// shanting-2020：山亭区附件3/附件4
        #[arg(long, value_enum)]
        preset: Preset,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Preset {
    /// 山亭区 2020 附件3/附件4（责任人 郭振华）
    #[value(name = "shanting-2020")]
    Shanting2020,
}

#[derive(Subcommand)]
pub enum PlanCmd {
    /// 划分物业管理区域 / propose management areas (and accept them into the ledger)
    Areas(AreasArgs),
    /// 已采纳的物业管理区域及其小区 / the accepted management areas and their compounds
    ListAreas {
        /// 街道名称 / street name
        #[arg(long)]
        street: String,
        /// 含已撤销的区域 / include areas a later plan archived
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Args)]
pub struct AreasArgs {
    /// 街道名称 / street name
    #[arg(long)]
    pub street: String,
    /// 每个区域的目标户数 / target households per area
    #[arg(long, default_value_t = 200)]
    pub target_households: u32,
    /// 合并上限（目标的百分比）/ no merge beyond this % of the target
    #[arg(long, default_value_t = 130)]
    pub cap_percent: u32,
    /// 低于目标的该百分比则并入相邻区域 / areas under this % of the target merge into a neighbour
    #[arg(long, default_value_t = 50)]
    pub min_percent: u32,
    /// 不满该户数的为零星小区，纳入临近区域 / compounds under this many households join a neighbour
    #[arg(long, default_value_t = 30)]
    pub small_households: u32,
    /// 最大合并距离（米）/ largest area diameter and joining distance, metres
    #[arg(long, default_value_t = 2_000)]
    pub max_join_m: u32,
    /// 采纳方案：写入台账的“物业管理区域”（一次事务，留审计）/ write the plan into the ledger
    #[arg(long)]
    pub accept: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

fn g(n: impl Into<u64>) -> String {
    group_thousands(n.into())
}

// ---------------------------------------------------------------------------------------------
// plan areas

pub fn run_plan(c: PlanCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        match c {
            PlanCmd::Areas(a) => plan_areas_cmd(db, a, lang).await,
            PlanCmd::ListAreas {
                street,
                all,
                format,
            } => list_areas_cmd(db, &street, all, format, lang).await,
        }
    })
}

/// The accepted areas of a street, each with the compounds the ledger places in it.
async fn list_areas_cmd(
    db: &str,
    street: &str,
    all: bool,
    format: Format,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let app = crate::util::connect(db).await?;
    let areas = app
        .management_areas(&cli_principal(lang), street, all)
        .await?;
    if format == Format::Json {
        let out: Vec<_> = areas
            .iter()
            .map(|a| {
                serde_json::json!({
                    "id": a.area.id,
                    "name": a.area.name,
                    "households": a.area.households,
                    "target_households": a.area.target_households,
                    "archived": a.area.archived,
                    "explanation": a.area.explanation,
                    "compounds": a.members,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    if areas.is_empty() {
        println!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "街道“{street}”尚未采纳物业管理区域方案（anju plan areas --street {street} --accept）"
                ),
                Lang::En => format!(
                    "street '{street}' has no accepted management areas yet (anju plan areas --street {street} --accept)"
                ),
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = vec![vec![
        lang.pick("区域", "area").to_string(),
        lang.pick("户数", "households").to_string(),
        lang.pick("小区数", "compounds").to_string(),
        lang.pick("状态", "status").to_string(),
        lang.pick("小区", "members").to_string(),
    ]];
    for a in &areas {
        rows.push(vec![
            a.area.name.clone(),
            g(u64::try_from(a.area.households).unwrap_or(0)),
            a.members.len().to_string(),
            if a.area.archived {
                lang.pick("已撤销", "archived")
            } else {
                lang.pick("有效", "active")
            }
            .to_string(),
            a.members.join("、"),
        ]);
    }
    print!("{}", render_table(&rows));
    Ok(ExitCode::SUCCESS)
}

async fn plan_areas_cmd(db: &str, a: AreasArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let app = crate::util::connect(db).await?;
    let input = AreaPlanInput {
        street: a.street.clone(),
        rules: AreaRules {
            target_households: a.target_households,
            cap_percent: a.cap_percent,
            min_percent: a.min_percent,
            small_households: a.small_households,
            max_join_m: a.max_join_m,
        },
        accept: a.accept,
    };
    let AreaPlanOutcome { plan, accepted } = app.plan_areas(&cli_principal(lang), input).await?;

    match a.format {
        Format::Json => {
            let mut v = serde_json::to_value(&plan)?;
            if let (Some(obj), Some(s)) = (v.as_object_mut(), accepted) {
                obj.insert("accepted".into(), serde_json::to_value(s)?);
            }
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Table => {
            print!("{}", plan_table(&plan, lang));
            if let Some(s) = accepted {
                println!();
                println!(
                    "{}",
                    match (lang, s.changed()) {
                        (Lang::Zh, true) => format!(
                            "已采纳：{} 个小区写入物业管理区域；新建 {} 个区域，更新 {} 个，归档 {} 个（均已记入审计日志）",
                            s.compounds_changed, s.areas_created, s.areas_updated, s.areas_archived
                        ),
                        (Lang::Zh, false) => "已采纳：台账已与方案一致，未做任何修改".to_string(),
                        (Lang::En, true) => format!(
                            "accepted: {} compounds given their area; {} areas created, {} updated, {} archived (all audited)",
                            s.compounds_changed, s.areas_created, s.areas_updated, s.areas_archived
                        ),
                        (Lang::En, false) =>
                            "accepted: the ledger already matches the plan, nothing changed"
                                .to_string(),
                    }
                );
            } else if !plan.areas.is_empty() {
                println!();
                println!(
                    "{}",
                    lang.pick(
                        "这是方案，尚未写入台账；加 --accept 采纳。",
                        "This is a proposal; nothing was written. Add --accept to accept it."
                    )
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn plan_table(p: &AreaPlan, lang: Lang) -> String {
    let mut out = String::new();
    let t = p.rules.target_households;
    out.push_str(&match lang {
        Lang::Zh => format!(
            "{} 无物业小区物业管理区域划分方案：目标每区 {} 户，合并上限 {} 户，不足 {} 户的区域并入相邻区域，不满 {} 户的零星小区纳入临近区域\n\n",
            p.street,
            g(t),
            g(p.cap),
            g(p.min),
            p.rules.small_households
        ),
        Lang::En => format!(
            "{}: management areas for the unmanaged compounds — target {} households per area, cap {}, areas under {} merge into a neighbour, compounds under {} households join a neighbour\n\n",
            p.street,
            g(t),
            g(p.cap),
            g(p.min),
            p.rules.small_households
        ),
    });
    let mut rows = vec![vec![
        lang.pick("区域", "area").to_string(),
        lang.pick("小区数", "compounds").to_string(),
        lang.pick("户数", "households").to_string(),
        lang.pick("占目标", "of target").to_string(),
        lang.pick("直径（米）", "diameter (m)").to_string(),
        lang.pick("距他区（米）", "to next area (m)").to_string(),
        lang.pick("主要社区", "main community").to_string(),
    ]];
    for a in &p.areas {
        rows.push(vec![
            a.name.clone(),
            a.members.len().to_string(),
            g(a.households),
            format!("{}%", u64::from(a.households) * 100 / u64::from(t.max(1))),
            g(a.diameter_m),
            a.nearest_other_m.map(g).unwrap_or_else(|| "—".into()),
            a.main_community.clone().unwrap_or_else(|| "—".into()),
        ]);
    }
    out.push_str(&render_table(&rows));
    let s = &p.spread;
    out.push_str(&match lang {
        Lang::Zh => format!(
            "合计：{} 个区域，{} 个小区，{} 户；每区户数 最少 {}，最多 {}，平均 {}\n",
            s.areas,
            s.compounds,
            g(s.households),
            g(s.min),
            g(s.max),
            s.mean
        ),
        Lang::En => format!(
            "total: {} areas, {} compounds, {} households; households per area min {}, max {}, mean {}\n",
            s.areas,
            s.compounds,
            g(s.households),
            g(s.min),
            g(s.max),
            s.mean
        ),
    });
    for a in &p.areas {
        out.push('\n');
        let members: Vec<String> = a
            .members
            .iter()
            .map(|m| match lang {
                Lang::Zh => format!("{}（{} 户）", m.name, m.households),
                Lang::En => format!("{} ({})", m.name, m.households),
            })
            .collect();
        out.push_str(&format!(
            "{}{}{}\n",
            a.name,
            lang.pick("：", ": "),
            members.join(lang.pick("、", ", "))
        ));
        for e in &a.explanation {
            out.push_str(&format!("  · {}\n", e.text(lang)));
        }
    }
    if !p.unplaced.is_empty() {
        out.push('\n');
        out.push_str(lang.pick("未能划分的小区：\n", "compounds not placed:\n"));
        for u in &p.unplaced {
            out.push_str(&format!(
                "  · {}{}{}\n",
                u.name,
                lang.pick("：", ": "),
                u.reason.text(lang)
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// company

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "—".into())
}

pub fn run_company(c: CompanyCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        let who = cli_principal(lang);
        match c {
            CompanyCmd::Add {
                name,
                credit_code,
                contact,
                phone,
            } => {
                let co = app
                    .register_company(
                        &who,
                        NewCompany {
                            name,
                            credit_code,
                            contact_person: contact,
                            phone,
                        },
                    )
                    .await?;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("已登记企业“{}”（编号 {}）", co.name, co.id),
                        Lang::En => format!("registered '{}' (id {})", co.name, co.id),
                    }
                );
            }
            CompanyCmd::List { format } => {
                let query = CompanyQuery {
                    as_of: None,
                    include_archived: true,
                };
                let list = app.companies(&who, query).await?;
                let all: Vec<&Company> = list.companies.iter().map(|c| &c.company).collect();
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&all)?);
                } else {
                    let mut rows = vec![vec![
                        lang.pick("企业名称", "company").to_string(),
                        lang.pick("编号", "id").to_string(),
                        lang.pick("统一社会信用代码", "credit code").to_string(),
                        lang.pick("联系人", "contact").to_string(),
                        lang.pick("电话", "phone").to_string(),
                    ]];
                    for c in &all {
                        rows.push(vec![
                            c.name.clone(),
                            c.id.to_string(),
                            c.credit_code
                                .as_ref()
                                .map(|x| x.as_str().to_string())
                                .unwrap_or_else(|| "—".into()),
                            opt(&c.contact_person),
                            opt(&c.phone),
                        ]);
                    }
                    print!("{}", render_table(&rows));
                    println!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("共 {} 家企业", g(all.len() as u64)),
                            Lang::En => format!("{} companies", g(all.len() as u64)),
                        }
                    );
                }
            }
            CompanyCmd::Show {
                company,
                grading,
                format,
            } => {
                let app = app_with_scheme(&app, grading.scheme.as_deref(), lang)?;
                let co = app.find_company(&who, &company).await?;
                let file = app.company_file(&who, CompanyId(co.id), grading.as_of).await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&file)?);
                } else {
                    print!("{}", show_company(&file, lang));
                }
            }
            CompanyCmd::Record(a) => {
                                let co = app.find_company(&who, &a.company).await?;
                let compound = match &a.compound {
                    Some(k) => Some(find_compound(&app, k, a.street.as_deref(), lang).await?),
                    None => None,
                };
                let kind = match a.kind {
                    KindArg::Assessment => RecordKind::Assessment,
                    KindArg::BadConduct => RecordKind::BadConduct,
                    KindArg::Complaint => RecordKind::Complaint,
                    KindArg::Dismissal => RecordKind::Dismissal,
                };
                let added = app
                    .add_credit_record(
                        &who,
                        CompanyId(co.id),
                        NewCreditRecord {
                            period: a.period,
                            score: a.score,
                            points: a.points,
                            complaints: a.count,
                            assessor: a.assessor,
                            compound_id: compound.map(|c| c.id),
                            note: a.note,
                            ..NewCreditRecord::new(kind, a.date)
                        },
                    )
                    .await?;
                let gr = &added.grade;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "已记入“{}”的信用档案：{}（记录编号 {}）。截至 {} 信用分 {}，等级 {}",
                            added.company.name,
                            kind.zh(),
                            added.record.id,
                            gr.as_of,
                            gr.score,
                            gr.grade
                        ),
                        Lang::En => format!(
                            "added to the credit file of '{}': {} (record {}). Credit score as of {}: {}, grade {}",
                            added.company.name,
                            kind.en(),
                            added.record.id,
                            gr.as_of,
                            gr.score,
                            gr.grade
                        ),
                    }
                );
            }
            CompanyCmd::Grades { grading, format } => {
                let app = app_with_scheme(&app, grading.scheme.as_deref(), lang)?;
                let query = CompanyQuery {
                    as_of: grading.as_of,
                    include_archived: false,
                };
                let list = app.companies(&who, query).await?;
                if format == Format::Json {
                    let v: Vec<_> = list
                        .companies
                        .iter()
                        .map(|c| {
                            serde_json::json!({
                                "id": c.company.id, "name": c.company.name, "records": c.records,
                                "compounds": c.compounds,
                                "score": c.grade.score, "grade": c.grade.grade,
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&v)?);
                } else {
                    let as_of = list.as_of;
                    println!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("信用等级（{}，截至 {as_of}）", list.scheme),
                            Lang::En => format!("credit grades ({}, as of {as_of})", list.scheme),
                        }
                    );
                    let mut rows = vec![vec![
                        lang.pick("企业名称", "company").to_string(),
                        lang.pick("档案记录", "records").to_string(),
                        lang.pick("考核次数", "assessments").to_string(),
                        lang.pick("信用分", "score").to_string(),
                        lang.pick("等级", "grade").to_string(),
                    ]];
                    for c in &list.companies {
                        rows.push(vec![
                            c.company.name.clone(),
                            g(c.records as u64),
                            c.grade.assessments.to_string(),
                            format!("{:.2}", c.grade.score),
                            c.grade.grade.clone(),
                        ]);
                    }
                    print!("{}", render_table(&rows));
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn show_company(file: &CompanyFile, lang: Lang) -> String {
    let (co, gr) = (&file.company, &file.grade);
    let mut out = String::new();
    let sep = lang.pick("：", ": ");
    out.push_str(&format!("{}\n", co.name));
    for (k, v) in [
        (lang.pick("编号", "id"), co.id.to_string()),
        (
            lang.pick("统一社会信用代码", "credit code"),
            co.credit_code
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_else(|| "—".into()),
        ),
        (lang.pick("联系人", "contact"), opt(&co.contact_person)),
        (lang.pick("电话", "phone"), opt(&co.phone)),
    ] {
        out.push_str(&format!("  {k}{sep}{v}\n"));
    }
    out.push('\n');
    out.push_str(lang.pick("信用档案\n", "credit file\n"));
    if file.records.is_empty() {
        out.push_str(lang.pick("  （无记录）\n", "  (no records)\n"));
    } else {
        let mut rows = vec![vec![
            lang.pick("日期", "date").to_string(),
            lang.pick("类型", "kind").to_string(),
            lang.pick("期间", "period").to_string(),
            lang.pick("分数/扣分/件数", "score/points/count")
                .to_string(),
            lang.pick("小区", "compound").to_string(),
            lang.pick("考核单位/说明", "assessor/note").to_string(),
        ]];
        for r in &file.records {
            let x = &r.record;
            let figure = match x.kind {
                RecordKind::Assessment => x.score.map(|s| s.to_string()),
                RecordKind::BadConduct => x
                    .points
                    .map(|p| format!("-{p}"))
                    .or_else(|| Some(lang.pick("按方案", "scheme").to_string())),
                RecordKind::Complaint => x.complaints.map(g),
                RecordKind::Dismissal => None,
            };
            let who: Vec<String> = [x.assessor.clone(), x.note.clone()]
                .into_iter()
                .flatten()
                .collect();
            rows.push(vec![
                x.happened_on.to_string(),
                x.kind.label(lang).to_string(),
                opt(&x.period),
                figure.unwrap_or_else(|| "—".into()),
                opt(&x.compound),
                if who.is_empty() {
                    "—".into()
                } else {
                    who.join(" · ")
                },
            ]);
        }
        out.push_str(&render_table(&rows));
    }
    out.push('\n');
    out.push_str(&match lang {
        Lang::Zh => format!(
            "信用等级：{}（信用分 {:.2}，截至 {}）\n",
            gr.grade, gr.score, gr.as_of
        ),
        Lang::En => format!(
            "credit grade: {} (score {:.2}, as of {})\n",
            gr.grade, gr.score, gr.as_of
        ),
    });
    for e in &gr.explanation {
        out.push_str(&format!("  · {}\n", e.text(lang)));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// tasks

pub fn run_tasks(c: TasksCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            TasksCmd::Add {
                compound,
                street,
                title,
                detail,
                responsible,
                deadline,
            } => {
                let c = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let t = app
                    .add_task(
                        &crate::util::cli_principal(lang),
                        anju_app::tasks::TaskInput {
                            compound_id: CompoundId(c.id),
                            title,
                            detail,
                            responsible,
                            deadline: Some(deadline),
                        },
                    )
                    .await?;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "已布置任务 {}：{}“{}”，责任人 {}，完成时间 {}",
                            t.id, t.compound, t.title, t.responsible, t.deadline
                        ),
                        Lang::En => format!(
                            "task {} added: {} '{}', responsible {}, deadline {}",
                            t.id, t.compound, t.title, t.responsible, t.deadline
                        ),
                    }
                );
            }
            TasksCmd::List {
                street,
                overdue,
                as_of,
                format,
            } => {
                let as_of = as_of.unwrap_or_else(today);
                let tasks = app
                    .tasks(
                        &crate::util::cli_principal(lang),
                        TaskFilter {
                            street,
                            overdue_as_of: overdue.then_some(as_of),
                            ..TaskFilter::default()
                        },
                    )
                    .await?;
                if format == Format::Json {
                    let v: Vec<_> = tasks
                        .iter()
                        .map(|t| {
                            let mut v = serde_json::to_value(t).unwrap_or_default();
                            if let Some(o) = v.as_object_mut() {
                                o.insert("overdue".into(), t.overdue(as_of).into());
                            }
                            v
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&v)?);
                } else {
                    let mut rows = vec![vec![
                        lang.pick("小区", "compound").to_string(),
                        lang.pick("编号", "id").to_string(),
                        lang.pick("社区", "community").to_string(),
                        lang.pick("任务", "task").to_string(),
                        lang.pick("责任人", "responsible").to_string(),
                        lang.pick("完成时间", "deadline").to_string(),
                        lang.pick("状态", "status").to_string(),
                    ]];
                    let mut late = 0u64;
                    for t in &tasks {
                        let status = if t.overdue(as_of) {
                            late += 1;
                            lang.pick("逾期", "overdue").to_string()
                        } else if let (TaskStatus::Done, Some(d)) = (t.status, t.done_on) {
                            format!("{} {d}", t.status.label(lang))
                        } else {
                            t.status.label(lang).to_string()
                        };
                        rows.push(vec![
                            t.compound.clone(),
                            t.id.to_string(),
                            opt(&t.community),
                            t.title.clone(),
                            t.responsible.clone(),
                            t.deadline.to_string(),
                            status,
                        ]);
                    }
                    print!("{}", render_table(&rows));
                    println!(
                        "{}",
                        match lang {
                            Lang::Zh => format!(
                                "共 {} 项任务，截至 {as_of} 逾期 {} 项（完成时间当天仍算按时）",
                                g(tasks.len() as u64),
                                g(late)
                            ),
                            Lang::En => format!(
                                "{} tasks, {} overdue as of {as_of} (the deadline day is on time)",
                                g(tasks.len() as u64),
                                g(late)
                            ),
                        }
                    );
                }
            }
            TasksCmd::Done { id, date } => {
                let t = app.task_in_scope(&cli_principal(lang), id).await?;
                let t = app
                    .set_task_status(
                        &crate::util::cli_principal(lang),
                        id,
                        t.version,
                        TaskStatus::Done,
                        date,
                    )
                    .await?;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "任务 {} 已完成（{}）",
                            t.id,
                            opt(&t.done_on.map(|d| d.to_string()))
                        ),
                        Lang::En => format!(
                            "task {} done ({})",
                            t.id,
                            opt(&t.done_on.map(|d| d.to_string()))
                        ),
                    }
                );
            }
            TasksCmd::Cancel { id } => {
                let t = app.task_in_scope(&cli_principal(lang), id).await?;
                let t = app
                    .set_task_status(
                        &crate::util::cli_principal(lang),
                        id,
                        t.version,
                        TaskStatus::Cancelled,
                        None,
                    )
                    .await?;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("任务 {} 已取消（记录保留）", t.id),
                        Lang::En => format!("task {} cancelled (kept on record)", t.id),
                    }
                );
            }
            TasksCmd::ImportSeed { preset } => {
                let Preset::Shanting2020 = preset;
                import_shanting(&app, lang).await?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Seed 003 附件3/附件4: one task per compound of each community row, responsible person and
/// deadline as the seed gives them (11月底 → 2020-11-30, 11月15日 → 2020-11-15).
async fn import_shanting(app: &anju_app::App, lang: Lang) -> anyhow::Result<()> {
    let done = app.load_shanting_tasks(&cli_principal(lang)).await?;
    let (created, skipped, missing) = (done.created, done.skipped, done.missing);
    println!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已按山亭区附件3/附件4载入任务 {} 项，已存在跳过 {} 项",
                created, skipped
            ),
            Lang::En => format!(
                "loaded {} tasks from Shanting's annexes 3 and 4; {} already there",
                created, skipped
            ),
        }
    );
    if !missing.is_empty() {
        println!(
            "{}{}",
            lang.pick("台账中找不到的小区：", "compounds not in the ledger: "),
            missing.join("、")
        );
    }
    Ok(())
}
