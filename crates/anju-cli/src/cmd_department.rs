//! `anju department …` (职能部门) and `anju referral …` (镇街吹哨、部门报到, seed 003 二（二）、四).
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::departments`. The command
//! line acts as an administrator, who may take either side of a referral; `--act-as-department`
//! takes the department's steps as that department's officer instead (the application then
//! checks the department's own rights).

use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, find_compound, principal, render_table, runtime};
use anju_app::departments::{DepartmentInput, DepartmentRow, ReferralInput, ReferralStepInput};
use anju_app::model::{
    DEFAULT_EVIDENCE_DIR, Department, EvidenceDir, Referral, ReferralFilter, Region,
};
use anju_app::{App, Principal};
use anju_core::access::Role;
use anju_core::fees::percent_text;
use anju_core::ids::{BadId, DepartmentId, ReferralId};
use anju_core::referral::{ReferralSource, ReferralStep};
use anju_core::{CompoundId, Lang, RegionLevel};
use anyhow::{Context, anyhow};
use clap::Subcommand;
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// An id flag read with its refusal in Chinese (the default language), naming the record.
fn id<T: std::str::FromStr<Err = BadId>>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

/// A date flag, refused in Chinese with an example.
pub(crate) fn day(s: &str) -> Result<Date, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("日期“{s}”无法识别，应写作 YYYY-MM-DD（如 2026-12-04）"))
}

pub(crate) fn refuse(lang: Lang, zh: String, en: String) -> anyhow::Error {
    anyhow!(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

#[derive(Subcommand)]
pub enum DepartmentCmd {
    /// 列出职能部门及其职责类别 / list the districts' departments and their duty categories
    List {
        /// 区（县）名称或编号 / district name or id
        #[arg(long)]
        district: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 为一个区添加职能部门 / add a department to a district
    Add {
        /// 区（县）名称或编号 / district name or id
        #[arg(long)]
        district: String,
        /// 部门名称 / the department's name (区消防救援大队)
        #[arg(long)]
        name: String,
        /// 职责类别（可重复）/ a duty category, repeatable (消防通道)
        #[arg(long = "duty")]
        duties: Vec<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 修改职能部门：名称、职责类别、是否启用 / change a department's name, duties, or whether
    /// it takes referrals
    Update {
        /// 职能部门编号 / department id
        #[arg(value_parser = id::<DepartmentId>)]
        id: DepartmentId,
        /// 部门版本号（anju department list 显示）/ the version read, as `anju department list`
        /// prints it
        #[arg(long)]
        version: i64,
        /// 新名称（默认不变）/ new name (unchanged when left out)
        #[arg(long)]
        name: Option<String>,
        /// 职责类别（可重复；给出即替换全部，默认不变）/ duty categories, repeatable; given, they
        /// replace the list
        #[arg(long = "duty")]
        duties: Vec<String>,
        /// 是否接受吹哨：true（启用）| false（停用）；默认不变 / takes referrals (unchanged when
        /// left out)
        #[arg(long)]
        active: Option<bool>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 按 003号文 四、明确部门职责 建立一个区的职能部门（已有的同名部门不变）/ set up a
    /// district's departments as seed 003 四 lists them (those it has are left alone)
    Seed {
        /// 区（县）名称或编号 / district name or id
        #[arg(long)]
        district: String,
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ReferralCmd {
    /// 列出吹哨事项（按办理期限）/ list referrals, by deadline
    List {
        /// 职能部门编号 / only this department's
        #[arg(long, value_parser = id::<DepartmentId>)]
        department: Option<DepartmentId>,
        /// 只列未办结（待报到、办理中、退回重办）/ only those not resolved
        #[arg(long)]
        open: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 吹哨：把一个小区的问题移交职能部门 / refer a compound's matter to a department
    Add {
        /// 小区名称或编号 / compound name or id
        #[arg(long)]
        compound: String,
        /// 小区所在街道（同名时区分）/ the compound's street, when names repeat
        #[arg(long)]
        street: Option<String>,
        /// 职能部门编号（anju department list）/ department id
        #[arg(long, value_parser = id::<DepartmentId>)]
        department: DepartmentId,
        /// 职责类别 / duty category (消防通道)
        #[arg(long)]
        category: String,
        /// 事项内容 / what is to be done
        #[arg(long)]
        text: String,
        /// 吹哨日期 / the day referred
        #[arg(long, value_parser = day)]
        on: Date,
        /// 办理时限（工作日，1–60，默认 5）/ working days to resolve (1–60, default 5)
        #[arg(long)]
        days: Option<u32>,
        /// complaint（投诉）| order（整改单）| finding（巡查发现）| other（其他）
        #[arg(long, default_value = "other")]
        source: String,
        /// 来源投诉或整改单的编号 / the complaint's or order's id
        #[arg(long)]
        source_id: Option<i64>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 办理一步：报到、办结、确认办结、退回重办 / take a step: acknowledge, resolve, confirm,
    /// return
    Step {
        /// 吹哨事项编号 / referral id
        #[arg(value_parser = id::<ReferralId>)]
        id: ReferralId,
        /// acknowledge（报到）| resolve（办结）| confirm（确认办结）| return（退回重办）
        #[arg(long)]
        step: String,
        /// 办理日期 / the day of the step
        #[arg(long, value_parser = day)]
        on: Date,
        /// 事项版本号（anju referral list 显示）/ the version read, as `anju referral list` prints it
        #[arg(long)]
        version: i64,
        /// 办结：办理结果（必填）；退回：理由（必填）；其余：备注 / resolve: the result; return:
        /// the reason; otherwise a note
        #[arg(long)]
        note: Option<String>,
        /// 办结的证明材料（照片、PDF，可重复）/ evidence of the result, repeatable
        #[arg(long = "evidence")]
        evidence: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        /// 以该职能部门的身份办理（报到、办结）/ take the step as this department's officer
        #[arg(long, value_parser = id::<DepartmentId>)]
        act_as_department: Option<DepartmentId>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 查看一件事项及其办理经过 / one referral with its steps and evidence
    Show {
        #[arg(value_parser = id::<ReferralId>)]
        id: ReferralId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 各职能部门的办理情况：件数、按时办结率、办结天数中位数、退回重办 / each department's
    /// figures
    Figures {
        /// 吹哨日期自 / referred on or after
        #[arg(long, value_parser = day)]
        from: Option<Date>,
        /// 吹哨日期至 / referred on or before
        #[arg(long, value_parser = day)]
        to: Option<Date>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

/// A district by id or exact name, from the region tree (refusals name `--district`).
async fn find_district(app: &App, who: &Principal, key: &str) -> anyhow::Result<Region> {
    let lang = who.lang;
    let key = key.trim();
    let regions = app.regions(who).await?;
    let found: Vec<&Region> = match key.parse::<i64>() {
        Ok(n) => regions.iter().filter(|r| r.id == n).collect(),
        Err(_) => {
            let named: Vec<&Region> = regions.iter().filter(|r| r.name == key).collect();
            let districts: Vec<&Region> = named
                .iter()
                .copied()
                .filter(|r| r.level == RegionLevel::District)
                .collect();
            // A district by that name wins over a street or community of the same name.
            if districts.is_empty() {
                named
            } else {
                districts
            }
        }
    };
    match found.as_slice() {
        [one] if one.level == RegionLevel::District => Ok((*one).clone()),
        [one] => Err(refuse(
            lang,
            format!(
                "--district（所属区）：“{}”是{}，不是区（县）",
                one.name,
                one.level.zh()
            ),
            format!(
                "--district: '{}' is a {}, not a district",
                one.name,
                one.level.code()
            ),
        )),
        [] => Err(refuse(
            lang,
            format!("--district（所属区）：找不到区（县）“{key}”（请先导入台账，或检查名称）"),
            format!("--district: no district '{key}'"),
        )),
        many => Err(refuse(
            lang,
            format!(
                "--district（所属区）：有 {} 个名为“{key}”的区（县），请改用编号",
                many.len()
            ),
            format!(
                "--district: {} districts are named '{key}'; give the id",
                many.len()
            ),
        )),
    }
}

fn parse_step(s: &str, lang: Lang) -> anyhow::Result<ReferralStep> {
    ReferralStep::ALL
        .iter()
        .copied()
        .find(|t| t.code() == s.trim() || t.label(Lang::Zh) == s.trim())
        .ok_or_else(|| {
            refuse(
                lang,
                format!(
                    "--step（办理步骤）：“{s}”无法识别，应为 acknowledge（报到）、resolve（办结）、\
                     confirm（确认办结）或 return（退回重办）"
                ),
                format!("--step: unknown step '{s}' (acknowledge | resolve | confirm | return)"),
            )
        })
}

fn parse_source(s: &str, lang: Lang) -> anyhow::Result<ReferralSource> {
    ReferralSource::ALL
        .iter()
        .copied()
        .find(|t| t.code() == s.trim() || t.label(Lang::Zh) == s.trim())
        .ok_or_else(|| {
            refuse(
                lang,
                format!(
                    "--source（来源）：“{s}”无法识别，应为 complaint（投诉）、order（整改单）、\
                     finding（巡查发现）或 other（其他）"
                ),
                format!("--source: unknown source '{s}' (complaint | order | finding | other)"),
            )
        })
}

/// The command line as department `id`'s officer (its district is the account's region).
async fn as_department(
    app: &App,
    id: DepartmentId,
    by: Option<&str>,
    lang: Lang,
) -> anyhow::Result<Principal> {
    let d = app.department(&cli_principal(lang), id).await?;
    Ok(Principal {
        role: Role::Department,
        department_id: Some(d.id),
        region_id: Some(d.district_id),
        region_level: Some(RegionLevel::District),
        region_name: Some(d.district),
        ..principal(by, "department", lang)
    })
}

/// Stores evidence files through the application layer before the step that cites them: a
/// refused step loses no upload.
async fn store_files(
    app: &App,
    who: &Principal,
    dir: &Path,
    files: &[PathBuf],
) -> anyhow::Result<Vec<String>> {
    let dir = EvidenceDir::new(dir);
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).with_context(|| {
            format!(
                "{} {}",
                who.lang
                    .pick("--evidence（证明材料）无法读取", "cannot read"),
                f.display()
            )
        })?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(app.upload_evidence(who, &dir, &name, &bytes).await?.sha256);
    }
    Ok(out)
}

fn department_rows(list: &[Department], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("职能部门", "department"),
            lang.pick("编号", "id"),
            lang.pick("区（县）", "district"),
            lang.pick("状态", "status"),
            lang.pick("版本", "version"),
            lang.pick("职责类别", "duties"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for d in list {
        rows.push(vec![
            d.name.clone(),
            d.id.to_string(),
            d.district.clone(),
            if d.active {
                lang.pick("启用", "active")
            } else {
                lang.pick("停用", "inactive")
            }
            .to_string(),
            d.version.to_string(),
            d.duties.join(lang.pick("、", ", ")),
        ]);
    }
    rows
}

pub fn run_department(c: DepartmentCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        let who = cli_principal(lang);
        match c {
            DepartmentCmd::List { district, format } => {
                let district = match district {
                    Some(k) => Some(find_district(&app, &who, &k).await?),
                    None => None,
                };
                let list: Vec<Department> = app
                    .departments(&who)
                    .await?
                    .into_iter()
                    .filter(|d| district.as_ref().is_none_or(|r| r.id == d.district_id))
                    .collect();
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else if list.is_empty() {
                    println!(
                        "{}",
                        lang.pick(
                            "还没有职能部门（anju department seed --district 区名 按 003号文 建立）",
                            "no departments yet (anju department seed --district NAME sets up seed 003's)"
                        )
                    );
                } else {
                    print!("{}", render_table(&department_rows(&list, lang)));
                }
            }
            DepartmentCmd::Add {
                district,
                name,
                duties,
                by,
            } => {
                let region = find_district(&app, &who, &district).await?;
                let d = app
                    .add_department(
                        &principal(by.as_deref(), "district", lang),
                        DepartmentInput {
                            district_id: region.id,
                            name,
                            duties,
                            active: true,
                        },
                    )
                    .await?;
                match lang {
                    Lang::Zh => println!(
                        "已添加职能部门 {}：{}（{}），职责类别：{}",
                        d.id,
                        d.name,
                        d.district,
                        if d.duties.is_empty() {
                            "无".to_string()
                        } else {
                            d.duties.join("、")
                        }
                    ),
                    Lang::En => println!(
                        "department {} added: {} ({}), duties: {}",
                        d.id,
                        d.name,
                        d.district,
                        d.duties.join(", ")
                    ),
                }
            }
            DepartmentCmd::Update {
                id,
                version,
                name,
                duties,
                active,
                by,
            } => {
                let before = app.department(&who, id).await?;
                let d = app
                    .update_department(
                        &principal(by.as_deref(), "district", lang),
                        id,
                        version,
                        DepartmentInput {
                            district_id: before.district_id,
                            name: name.unwrap_or(before.name),
                            duties: if duties.is_empty() {
                                before.duties
                            } else {
                                duties
                            },
                            active: active.unwrap_or(before.active),
                        },
                    )
                    .await?;
                print!("{}", render_table(&department_rows(&[d], lang)));
            }
            DepartmentCmd::Seed { district, by } => {
                let region = find_district(&app, &who, &district).await?;
                let added = app
                    .seed_departments(&principal(by.as_deref(), "district", lang), region.id)
                    .await?;
                match lang {
                    Lang::Zh => println!(
                        "已按 003号文 四、明确部门职责 为{}添加职能部门 {} 个（已有的同名部门不变）。",
                        region.name,
                        added.len()
                    ),
                    Lang::En => println!(
                        "{} department(s) of seed 003 added to {} (those it had are unchanged)",
                        added.len(),
                        region.name
                    ),
                }
                if !added.is_empty() {
                    print!("{}", render_table(&department_rows(&added, lang)));
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The status as read on `as_of`, with 逾期 when past the deadline unresolved.
fn status_text(r: &Referral, as_of: Date, lang: Lang) -> String {
    let s = r.status.label(lang);
    if r.overdue(as_of) {
        match lang {
            Lang::Zh => format!("{s}（逾期）"),
            Lang::En => format!("{s} (OVERDUE)"),
        }
    } else {
        s.to_string()
    }
}

fn print_referral(r: &Referral, as_of: Date, lang: Lang) {
    println!(
        "{} {}  {} → {}  [{}] {}  {}",
        lang.pick("吹哨事项", "referral"),
        r.id,
        r.compound,
        r.department,
        r.category,
        r.text,
        r.source.label(lang),
    );
    match lang {
        Lang::Zh => println!(
            "  吹哨 {}（{}）  办理时限 {} 个工作日，期限 {}  状态：{}  版本 {}",
            r.referred_on,
            r.referred_by,
            r.working_days,
            r.deadline,
            status_text(r, as_of, lang),
            r.version
        ),
        Lang::En => println!(
            "  referred {} ({})  {} working days, due {}  status: {}  version {}",
            r.referred_on,
            r.referred_by,
            r.working_days,
            r.deadline,
            status_text(r, as_of, lang),
            r.version
        ),
    }
    if let Some(on) = r.acknowledged_on {
        println!(
            "  {} {on}（{}）",
            lang.pick("报到", "acknowledged"),
            r.acknowledged_by.as_deref().unwrap_or("")
        );
    }
    if let (Some(on), Some(result)) = (r.resolved_on, &r.result) {
        println!("  {} {on}：{result}", lang.pick("办结", "resolved"));
    }
    if let Some(first) = r.first_resolved_on.filter(|f| Some(*f) != r.resolved_on) {
        println!("  {} {first}", lang.pick("首次办结", "first resolved"));
    }
    if r.returns > 0 {
        match lang {
            Lang::Zh => println!(
                "  退回重办 {} 次：{}",
                r.returns,
                r.return_reason.as_deref().unwrap_or("")
            ),
            Lang::En => println!(
                "  returned {} time(s): {}",
                r.returns,
                r.return_reason.as_deref().unwrap_or("")
            ),
        }
    }
    if let Some(on) = r.confirmed_on {
        println!("  {} {on}", lang.pick("确认办结", "confirmed"));
    }
}

fn referral_rows(list: &[Referral], as_of: Date, lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("小区", "compound"),
            lang.pick("职能部门", "department"),
            lang.pick("类别", "category"),
            lang.pick("来源", "source"),
            lang.pick("吹哨日期", "referred"),
            lang.pick("办理期限", "deadline"),
            lang.pick("状态", "status"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for r in list {
        rows.push(vec![
            r.id.to_string(),
            r.compound.clone(),
            r.department.clone(),
            r.category.clone(),
            r.source.label(lang).to_string(),
            r.referred_on.to_string(),
            r.deadline.to_string(),
            status_text(r, as_of, lang),
            r.version.to_string(),
        ]);
    }
    rows
}

fn figure_rows(list: &[DepartmentRow], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("职能部门", "department"),
            lang.pick("区（县）", "district"),
            lang.pick("吹哨", "referred"),
            lang.pick("已办结", "resolved"),
            lang.pick("按时办结", "on time"),
            lang.pick("按时办结率", "on-time rate"),
            lang.pick("办结天数中位数", "median days"),
            lang.pick("退回重办", "reopened"),
            lang.pick("未办结", "open"),
            lang.pick("逾期", "overdue"),
            lang.pick("已确认", "confirmed"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for row in list {
        let f = &row.figures;
        rows.push(vec![
            row.department.name.clone(),
            row.department.district.clone(),
            f.referrals.to_string(),
            f.resolved.to_string(),
            f.on_time.to_string(),
            f.on_time_rate.map_or_else(|| "-".into(), percent_text),
            f.median_days
                .map_or_else(|| "-".into(), |d| d.normalize().to_string()),
            f.reopened.to_string(),
            f.open.to_string(),
            f.overdue.to_string(),
            f.confirmed.to_string(),
        ]);
    }
    rows
}

pub fn run_referral(c: ReferralCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        let who = cli_principal(lang);
        let today = app.today();
        match c {
            ReferralCmd::List {
                department,
                open,
                format,
            } => {
                let list = app
                    .referrals(
                        &who,
                        ReferralFilter {
                            department_id: department.map(DepartmentId::get),
                            open_only: open,
                            ..ReferralFilter::default()
                        },
                    )
                    .await?;
                if format == Format::Json {
                    let list: Vec<_> = list
                        .iter()
                        .map(|r| {
                            let mut v = serde_json::to_value(r).unwrap_or_default();
                            v["overdue"] = serde_json::Value::Bool(r.overdue(today));
                            v
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else if list.is_empty() {
                    println!("{}", lang.pick("没有吹哨事项", "no referrals"));
                } else {
                    print!("{}", render_table(&referral_rows(&list, today, lang)));
                    let overdue = list.iter().filter(|r| r.overdue(today)).count();
                    match lang {
                        Lang::Zh => println!("截至 {today}：共 {} 件，逾期 {overdue} 件", list.len()),
                        Lang::En => {
                            println!("As of {today}: {} referral(s), {overdue} overdue", list.len())
                        }
                    }
                }
            }
            ReferralCmd::Add {
                compound,
                street,
                department,
                category,
                text,
                on,
                days,
                source,
                source_id,
                by,
            } => {
                let source = parse_source(&source, lang)?;
                let cpd = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let r = app
                    .refer(
                        &principal(by.as_deref(), "street", lang),
                        ReferralInput {
                            compound_id: CompoundId(cpd.id),
                            department_id: department,
                            source,
                            source_id,
                            category,
                            text,
                            referred_on: on,
                            working_days: days,
                        },
                    )
                    .await?;
                print_referral(&r, today, lang);
            }
            ReferralCmd::Step {
                id,
                step,
                on,
                version,
                note,
                evidence,
                evidence_dir,
                act_as_department,
                by,
            } => {
                let step = parse_step(&step, lang)?;
                let actor = match act_as_department {
                    Some(d) => as_department(&app, d, by.as_deref(), lang).await?,
                    None => {
                        let role = match step {
                            ReferralStep::Acknowledge | ReferralStep::Resolve => "department",
                            ReferralStep::Confirm | ReferralStep::Return => "street",
                        };
                        principal(by.as_deref(), role, lang)
                    }
                };
                let evidence = store_files(&app, &actor, &evidence_dir, &evidence).await?;
                let r = app
                    .referral_step(
                        &actor,
                        id,
                        ReferralStepInput {
                            step,
                            on,
                            note,
                            evidence,
                            version,
                        },
                    )
                    .await?;
                print_referral(&r, today, lang);
            }
            ReferralCmd::Show { id, format } => {
                let d = app.referral_detail(&who, id).await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&d)?);
                } else {
                    print_referral(&d.referral, today, lang);
                    for s in &d.steps {
                        let label = ReferralStep::from_code(&s.step)
                            .map_or_else(|| lang.pick("吹哨", "refer"), |t| t.label(lang));
                        println!(
                            "  - {} {label}（{}）{}",
                            s.on,
                            s.by,
                            s.note
                                .as_deref()
                                .map(|n| format!("：{n}"))
                                .unwrap_or_default()
                        );
                    }
                    for sha in &d.evidence {
                        println!("  [{}] {sha}", lang.pick("证明材料", "evidence"));
                    }
                }
            }
            ReferralCmd::Figures { from, to, format } => {
                let rows = app.department_figures(&who, from, to).await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                } else if rows.is_empty() {
                    println!("{}", lang.pick("还没有职能部门", "no departments yet"));
                } else {
                    print!("{}", render_table(&figure_rows(&rows, lang)));
                    match lang {
                        Lang::Zh => println!(
                            "截至 {today}；按时办结：首次办结不晚于办理期限（退回不顺延期限）"
                        ),
                        Lang::En => println!(
                            "As of {today}; on time: first resolved by the deadline (a return does not move it)"
                        ),
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
