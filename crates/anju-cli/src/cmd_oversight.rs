//! `anju assess …` (考核), `anju patrol …` (巡查与整改), `anju complaint …` (投诉).
//!
//! Access is explicit until accounts exist: a company acts with `--as-company`, a third-party
//! evaluator is the `--assessor` of kind `third_party` and must be assigned the compound.

use crate::cmd_survey::Format;
use crate::util::principal;
use crate::util::{cli_user, find_compound, runtime, today};
use anju_app::model::{
    Actor, Assessment, AssessmentFilter, ComplaintFilter, ComplaintStage, DEFAULT_EVIDENCE_DIR,
    EvidenceDir, OrderFilter,
};
use anju_app::oversight::{AssessmentStep, ComplaintStep};
use anju_app::{App, Principal};
use anju_core::Lang;
use anju_core::assessment::{AssessorKind, Outcome, Period};
use anju_core::oversight::{ComplaintSource, FindingCategory, PatrolKind};
use anju_core::{AssessmentId, ComplaintId, CompoundId, OrderId, PatrolId};
use anju_policy::rubric::{EventsFile, Rubric, SatisfactionRate, Survey};
use anyhow::Context;
use clap::Subcommand;
use jiff::civil::Date;
use std::path::PathBuf;
use std::process::ExitCode;

fn actor(by: &Option<String>, role: &str) -> Actor {
    Actor::new(by.clone().unwrap_or_else(cli_user), role)
}

/// One step of an assessment's workflow through the application layer, at the stored version,
/// printed.
async fn assessment_step(
    app: &App,
    id: AssessmentId,
    step: AssessmentStep,
    date: Option<jiff::civil::Date>,
    who: anju_app::Principal,
) -> anyhow::Result<()> {
    let lang = who.lang;
    let a = app.assessment(&who, id).await?;
    let a = app
        .assessment_step(
            &who,
            id,
            a.version,
            step,
            date.unwrap_or_else(|| app.today()),
        )
        .await?;
    print_assessment(&a, lang);
    Ok(())
}

/// One step of a complaint through the application layer, at the stored version, printed.
async fn complaint_step(
    app: &App,
    id: ComplaintId,
    who: &anju_app::Principal,
    step: impl FnOnce(jiff::civil::Date) -> ComplaintStep,
) -> anyhow::Result<()> {
    let c = app.complaint_in_scope(who, id).await?;
    let c = app
        .complaint_step(who, id, c.version, step(app.today()))
        .await?;
    print_complaint(&c, who.lang);
    Ok(())
}

/// The command line answering for company `co` (`--as-company`), recorded as `actor`.
fn answering_for(actor: &Actor, co: i64, lang: Lang) -> anju_app::Principal {
    anju_app::Principal {
        company_id: Some(co),
        ..crate::util::principal(Some(&actor.name), &actor.role, lang)
    }
}

/// A company by number or exact name (the app's one lookup).
async fn company_id(app: &App, key: &str, lang: Lang) -> anyhow::Result<i64> {
    let who = crate::util::cli_principal(lang);
    Ok(app.find_company(&who, key).await?.id)
}

/// The principal an `actor` (`--by`, the role a command records) acts as.
fn as_principal(a: &Actor, lang: Lang) -> Principal {
    principal(Some(&a.name), &a.role, lang)
}

/// Stores evidence files through the application layer, before the step that cites them: a
/// refused step loses no upload.
async fn store_files(
    app: &App,
    who: &Principal,
    dir: &std::path::Path,
    files: &[PathBuf],
) -> anyhow::Result<Vec<String>> {
    let dir = EvidenceDir::new(dir);
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).with_context(|| format!("{}", f.display()))?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(app.upload_evidence(who, &dir, &name, &bytes).await?.sha256);
    }
    Ok(out)
}

fn parse_period(s: &str, lang: Lang) -> anyhow::Result<Period> {
    Period::parse(s).with_context(|| match lang {
        Lang::Zh => format!("考核周期“{s}”无法识别（例：2026H1、2026Q3、2026-03、2026）"),
        Lang::En => format!("unknown period '{s}' (e.g. 2026H1, 2026Q3, 2026-03, 2026)"),
    })
}

#[derive(Subcommand)]
pub enum AssessCmd {
    /// 新建考核（草稿，按评分细则计分）/ create a draft assessment, scored with the rubric
    New {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 考核周期 / period: 2026H1, 2026Q3, 2026-03, 2026
        #[arg(long)]
        period: String,
        /// 评分细则（内置 id 或 TOML 文件）/ rubric (built-in id or file)
        #[arg(long, default_value = "erqi")]
        rubric: String,
        /// street | housing_authority | third_party
        #[arg(long, default_value = "street")]
        assessor_kind: String,
        /// 考核单位名称 / assessor's name
        #[arg(long)]
        assessor: String,
        /// 扣分事项文件（TOML，见 RUBRIC_FORMAT.md）/ events file
        #[arg(long)]
        events: Option<PathBuf>,
        /// 满意度（85% 或 0.85）/ satisfaction rate
        #[arg(long)]
        satisfaction: Option<String>,
        /// 将本期逾期/超期整改计入扣分（二七细则对照表）/ add overdue and late orders as events
        #[arg(long)]
        with_orders: bool,
        /// 党建工作（第6–9项）据红色物业记录计数 / count the party items from red property records
        #[arg(long)]
        party_from_records: bool,
        /// 申诉期（天）/ objection window in days
        #[arg(long)]
        objection_days: Option<u32>,
        /// 证明材料（照片、PDF）/ evidence files
        #[arg(long = "evidence")]
        evidence: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        #[arg(long)]
        by: Option<String>,
    },
    /// 提交 / submit
    Submit {
        id: AssessmentId,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 复核（区）：维持或调整 / district review: confirm or adjust
    Review {
        id: AssessmentId,
        /// 调整理由（给出即为调整）/ reason (adjusts when given)
        #[arg(long)]
        adjust: Option<String>,
        /// 调整后的扣分事项文件 / corrected events file
        #[arg(long)]
        events: Option<PathBuf>,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 申诉（企业）/ objection by the company
    Object {
        id: AssessmentId,
        #[arg(long)]
        as_company: String,
        #[arg(long)]
        text: String,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 申诉处理决定：upheld | adjusted / decide on the objection
    Decide {
        id: AssessmentId,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        events: Option<PathBuf>,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 定案（申诉期满或企业放弃申诉）/ finalize
    Finalize {
        id: AssessmentId,
        #[arg(long)]
        waived: bool,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 查看 / show
    Show {
        id: AssessmentId,
        #[arg(long)]
        json: bool,
    },
    /// 列出 / list
    List {
        #[arg(long)]
        compound: Option<String>,
        #[arg(long)]
        period: Option<String>,
        /// 第三方测评机构只看受委托的小区 / as this evaluator
        #[arg(long)]
        as_evaluator: Option<String>,
    },
    /// 委托第三方测评机构测评小区 / assign a compound to an evaluator
    Assign {
        #[arg(long)]
        evaluator: String,
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
}

fn events_of(path: &Option<PathBuf>) -> anyhow::Result<Option<EventsFile>> {
    path.as_ref()
        .map(|p| EventsFile::load(p).map_err(|e| anyhow::anyhow!("{}", e.message(Lang::Zh))))
        .transpose()
}

fn print_assessment(a: &Assessment, lang: Lang) {
    let grade = a
        .scorecard
        .grade
        .as_ref()
        .map(|g| g.name(lang).to_string())
        .unwrap_or_else(|| lang.pick("未评等次", "no grade").to_string());
    println!(
        "{} {}  {}  {}  {} {}  {}: {}  {}",
        lang.pick("考核", "assessment"),
        a.id,
        a.compound,
        a.period.code(),
        a.assessor_kind.label(lang),
        a.assessor,
        lang.pick("得分", "score"),
        a.score,
        grade
    );
    println!(
        "  {}: {}  {}: {}",
        lang.pick("状态", "status"),
        a.status.label(lang),
        lang.pick("版本", "version"),
        a.version
    );
    if let Some(o) = a.review_outcome {
        println!(
            "  {}: {} {}",
            lang.pick("复核", "review"),
            o.label(lang),
            a.review_reason.as_deref().unwrap_or("")
        );
    }
    if let Some(t) = &a.objection {
        println!("  {}: {t}", lang.pick("申诉", "objection"));
    }
    if let Some(o) = a.decision {
        println!(
            "  {}: {} {}",
            lang.pick("申诉处理", "decision"),
            o.label(lang),
            a.decision_reason.as_deref().unwrap_or("")
        );
    }
}

pub fn run_assess(c: AssessCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            AssessCmd::New {
                compound,
                street,
                period,
                rubric,
                assessor_kind,
                assessor,
                events,
                satisfaction,
                with_orders,
                party_from_records,
                objection_days,
                evidence,
                evidence_dir,
                by,
            } => {
                let rubric = Rubric::builtin_or_path(&rubric)
                    .map_err(|e| anyhow::anyhow!("{}", e.message(lang)))?;
                let period = parse_period(&period, lang)?;
                let kind = AssessorKind::from_code(&assessor_kind)
                    .with_context(|| format!("assessor kind '{assessor_kind}'"))?;
                let cpd = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let file = events_of(&events)?;
                let mut evs = file.as_ref().map(|f| f.events.clone()).unwrap_or_default();
                let mut survey = file.and_then(|f| f.survey);
                if let Some(r) = satisfaction {
                    let rate = SatisfactionRate::parse(&r)
                        .map_err(|e| anyhow::anyhow!("{}", e.message(lang)))?;
                    survey = Some(Survey::from_rate(rate));
                }
                if with_orders {
                    let extra = app
                        .order_events(
                            &crate::util::cli_principal(lang),
                            CompoundId(cpd.id),
                            &period,
                        )
                        .await?;
                    for e in &extra {
                        println!(
                            "{} {} {} × {}",
                            lang.pick("整改计入：第", "orders: item"),
                            e.item,
                            e.code,
                            e.count
                        );
                    }
                    evs.extend(extra);
                }
                let role = match kind {
                    AssessorKind::ThirdParty => "evaluator",
                    AssessorKind::HousingAuthority => "housing",
                    AssessorKind::Street => "street",
                };
                let evidence = store_files(
                    &app,
                    &principal(by.as_deref(), role, lang),
                    &evidence_dir,
                    &evidence,
                )
                .await?;
                let a = app
                    .create_assessment(
                        &crate::util::principal(by.as_deref(), role, lang),
                        anju_app::oversight::AssessmentInput {
                            compound_id: cpd.id,
                            period,
                            rubric,
                            assessor: Some((kind, assessor)),
                            events: evs,
                            survey,
                            objection_days,
                            evidence,
                            submit: false,
                            party_from_records,
                        },
                    )
                    .await?;
                print_assessment(&a, lang);
            }
            AssessCmd::Submit { id, date, by } => {
                let a = app
                    .assessment(&crate::util::cli_principal(lang), id)
                    .await?;
                let a = app
                    .submit_assessment(
                        &crate::util::principal(by.as_deref(), "street", lang),
                        id,
                        a.version,
                        date.unwrap_or_else(today),
                    )
                    .await?;
                print_assessment(&a, lang);
            }
            AssessCmd::Review {
                id,
                adjust,
                events,
                date,
                by,
            } => {
                let outcome = if adjust.is_some() {
                    Outcome::Adjusted
                } else {
                    Outcome::Upheld
                };
                let step = AssessmentStep::Review {
                    outcome,
                    reason: adjust,
                    events: events_of(&events)?.map(|f| f.events),
                };
                assessment_step(
                    &app,
                    id,
                    step,
                    date,
                    principal(by.as_deref(), "district", lang),
                )
                .await?;
            }
            AssessCmd::Object {
                id,
                as_company,
                text,
                date,
                by,
            } => {
                let co = company_id(&app, &as_company, lang).await?;
                let who = answering_for(&actor(&by, "company"), co, lang);
                assessment_step(&app, id, AssessmentStep::Object { text }, date, who).await?;
            }
            AssessCmd::Decide {
                id,
                outcome,
                reason,
                events,
                date,
                by,
            } => {
                let outcome = Outcome::from_code(&outcome)
                    .with_context(|| format!("outcome '{outcome}' (upheld | adjusted)"))?;
                let step = AssessmentStep::Decide {
                    outcome,
                    reason,
                    events: events_of(&events)?.map(|f| f.events),
                };
                assessment_step(
                    &app,
                    id,
                    step,
                    date,
                    principal(by.as_deref(), "district", lang),
                )
                .await?;
            }
            AssessCmd::Finalize {
                id,
                waived,
                date,
                by,
            } => {
                let step = AssessmentStep::Finalize { waived };
                assessment_step(
                    &app,
                    id,
                    step,
                    date,
                    principal(by.as_deref(), "district", lang),
                )
                .await?;
            }
            AssessCmd::Show { id, json } => {
                let a = app
                    .assessment(&crate::util::cli_principal(lang), id)
                    .await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&a)?);
                } else {
                    print_assessment(&a, lang);
                    for item in &a.scorecard.items {
                        println!("  {}. {}", item.no, item.explain(lang));
                    }
                }
            }
            AssessCmd::List {
                compound,
                period,
                as_evaluator,
            } => {
                let compound_id = match compound {
                    Some(k) => Some(find_compound(&app, &k, None, lang).await?.id),
                    None => None,
                };
                for a in app
                    .assessments(
                        &crate::util::cli_principal(lang),
                        AssessmentFilter {
                            compound_id,
                            period,
                            as_evaluator,
                            ..AssessmentFilter::default()
                        },
                    )
                    .await?
                {
                    print_assessment(&a, lang);
                }
            }
            AssessCmd::Assign {
                evaluator,
                compound,
                street,
                by,
            } => {
                let cpd = find_compound(&app, &compound, street.as_deref(), lang).await?;
                app.commission_evaluator(
                    &principal(by.as_deref(), "district", lang),
                    &evaluator,
                    CompoundId(cpd.id),
                )
                .await?;
                println!(
                    "{} {evaluator} → {}",
                    lang.pick("已委托", "assigned"),
                    cpd.compound.name
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Subcommand)]
pub enum PatrolCmd {
    /// 记录巡查及发现的问题 / record a patrol and its findings
    Add {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// weekly_patrol | monthly_check
        #[arg(long, default_value = "weekly_patrol")]
        kind: String,
        #[arg(long)]
        date: Option<Date>,
        /// 巡查人 / inspector
        #[arg(long)]
        inspector: Option<String>,
        /// 问题：类别:描述（environment|facilities|order|safety）/ finding "category:text"
        #[arg(long = "finding")]
        findings: Vec<String>,
        /// 整改期限（给出即下达整改通知）/ order deadline (issues orders)
        #[arg(long)]
        order_deadline: Option<Date>,
        /// 照片（附于每个问题）/ photos (attached to every finding)
        #[arg(long = "photo")]
        photos: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        #[arg(long)]
        by: Option<String>,
    },
    /// 整改通知 / rectification orders
    Orders {
        /// 只列逾期 / only overdue (as of --date, default today)
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        date: Option<Date>,
        /// 企业只看自己的 / one company's orders
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        compound: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 列出小区的巡查记录 / a compound's patrols
    List {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 查看巡查记录 / one patrol with its findings
    Show {
        id: PatrolId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 企业回复整改 / the company answers an order
    Answer {
        order: OrderId,
        #[arg(long)]
        as_company: String,
        #[arg(long)]
        text: String,
        #[arg(long = "evidence")]
        evidence: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 销号 / close an answered order
    Close {
        order: OrderId,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 重新打开（整改不到位）/ reopen
    Reopen {
        order: OrderId,
        #[arg(long)]
        deadline: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
}

fn print_patrol(p: &anju_app::model::Patrol, compound: &str, lang: Lang) {
    println!(
        "{} {}  {}  {}  {}  {}",
        lang.pick("巡查", "patrol"),
        p.id,
        compound,
        p.kind.label(lang),
        p.date,
        p.inspector
    );
    for f in &p.findings {
        let order = f
            .order_id
            .map(|o| format!("  {} {o}", lang.pick("整改通知", "order")))
            .unwrap_or_default();
        println!("  [{}] {}{order}", f.category.label(lang), f.description);
    }
}

pub fn run_patrol(c: PatrolCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            PatrolCmd::Add {
                compound,
                street,
                kind,
                date,
                inspector,
                findings,
                order_deadline,
                photos,
                evidence_dir,
                by,
            } => {
                let a = actor(&by, "street");
                let kind =
                    PatrolKind::from_code(&kind).with_context(|| format!("kind '{kind}'"))?;
                let cpd = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let photos =
                    store_files(&app, &as_principal(&a, lang), &evidence_dir, &photos).await?;
                let mut list = Vec::new();
                for f in &findings {
                    let (cat, text) = f
                        .split_once([':', '：'])
                        .with_context(|| format!("finding '{f}': category:text"))?;
                    let category = FindingCategory::from_code(cat)
                        .with_context(|| format!("category '{cat}'"))?;
                    list.push(anju_app::oversight::FindingInput {
                        category,
                        description: text.to_string(),
                        evidence: photos.clone(),
                        order_deadline,
                    });
                }
                let p = app
                    .add_patrol(
                        &as_principal(&a, lang),
                        anju_app::oversight::PatrolInput {
                            compound_id: CompoundId(cpd.id),
                            kind,
                            date: date.unwrap_or_else(today),
                            inspector: inspector.unwrap_or_else(|| a.name.clone()),
                            note: None,
                            findings: list,
                        },
                    )
                    .await?;
                println!(
                    "{} {}  {}  {}",
                    lang.pick("巡查", "patrol"),
                    p.id,
                    cpd.compound.name,
                    p.kind.label(lang)
                );
                for f in &p.findings {
                    let order = f
                        .order_id
                        .map(|o| format!("  {} {o}", lang.pick("整改通知", "order")))
                        .unwrap_or_default();
                    println!("  [{}] {}{order}", f.category.label(lang), f.description);
                }
            }
            PatrolCmd::List {
                compound,
                street,
                format,
            } => {
                let cpd = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let list = app
                    .patrols(&crate::util::cli_principal(lang), CompoundId(cpd.id))
                    .await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    for p in &list {
                        print_patrol(p, &cpd.compound.name, lang);
                    }
                }
            }
            PatrolCmd::Show { id, format } => {
                let p = app.patrol(&crate::util::cli_principal(lang), id).await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&p)?);
                } else {
                    let name = app
                        .compound_in_scope(
                            &crate::util::cli_principal(lang),
                            CompoundId(p.compound_id),
                        )
                        .await?
                        .compound
                        .name;
                    print_patrol(&p, &name, lang);
                }
            }
            PatrolCmd::Orders {
                overdue,
                date,
                company,
                compound,
                format,
            } => {
                let as_of = date.unwrap_or_else(today);
                let company_id = match company {
                    Some(k) => Some(company_id(&app, &k, lang).await?),
                    None => None,
                };
                let compound_id = match compound {
                    Some(k) => Some(find_compound(&app, &k, None, lang).await?.id),
                    None => None,
                };
                let orders = app
                    .orders(
                        &crate::util::cli_principal(lang),
                        OrderFilter {
                            compound_id,
                            company_id,
                            overdue_as_of: overdue.then_some(as_of),
                            ..OrderFilter::default()
                        },
                    )
                    .await?;
                if format == Format::Json {
                    let list: Vec<_> = orders
                        .iter()
                        .map(|o| {
                            let mut v = serde_json::to_value(o).unwrap_or_default();
                            v["overdue"] = serde_json::Value::Bool(o.overdue(as_of));
                            v
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                    return Ok(ExitCode::SUCCESS);
                }
                for o in orders {
                    let flag = if o.overdue(as_of) {
                        lang.pick("  逾期", "  OVERDUE")
                    } else if o.answered_late {
                        lang.pick("  超期回复", "  answered late")
                    } else {
                        ""
                    };
                    println!(
                        "{} {}  {}  {}  [{}] {}  {} {}  {}{flag}",
                        lang.pick("整改通知", "order"),
                        o.id,
                        o.compound,
                        o.company,
                        o.category.label(lang),
                        o.description,
                        lang.pick("期限", "deadline"),
                        o.deadline,
                        o.status.label(lang)
                    );
                }
            }
            PatrolCmd::Answer {
                order,
                as_company,
                text,
                evidence,
                evidence_dir,
                date,
                by,
            } => {
                let a = actor(&by, "company");
                let co = company_id(&app, &as_company, lang).await?;
                let o = app
                    .order_in_scope(&crate::util::cli_principal(lang), order)
                    .await?;
                let ev =
                    store_files(&app, &as_principal(&a, lang), &evidence_dir, &evidence).await?;
                let answer = anju_app::oversight::AnswerInput {
                    version: o.version,
                    text,
                    on: date.unwrap_or_else(today),
                    evidence: ev,
                };
                let o = app
                    .answer_order(&answering_for(&a, co, lang), order, answer)
                    .await?;
                println!(
                    "{} {} {}{}",
                    lang.pick("整改通知", "order"),
                    o.id,
                    o.status.label(lang),
                    if o.answered_late {
                        lang.pick("（超期回复）", " (late)")
                    } else {
                        ""
                    }
                );
            }
            PatrolCmd::Close { order, date, by } => {
                let o = app
                    .order_in_scope(&crate::util::cli_principal(lang), order)
                    .await?;
                let o = app
                    .close_order(
                        &crate::util::principal(by.as_deref(), "street", lang),
                        order,
                        o.version,
                        date.unwrap_or_else(today),
                    )
                    .await?;
                println!(
                    "{} {} {}",
                    lang.pick("整改通知", "order"),
                    o.id,
                    o.status.label(lang)
                );
            }
            PatrolCmd::Reopen {
                order,
                deadline,
                by,
            } => {
                let o = app
                    .order_in_scope(&crate::util::cli_principal(lang), order)
                    .await?;
                let o = app
                    .reopen_order(
                        &principal(by.as_deref(), "street", lang),
                        order,
                        o.version,
                        deadline,
                    )
                    .await?;
                println!(
                    "{} {} {}",
                    lang.pick("整改通知", "order"),
                    o.id,
                    o.status.label(lang)
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Subcommand)]
pub enum ComplaintCmd {
    /// 登记投诉 / record a complaint
    Add {
        #[arg(long)]
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// resident | hotline_12345 | other
        #[arg(long, default_value = "resident")]
        source: String,
        #[arg(long)]
        category: String,
        #[arg(long)]
        text: String,
        /// 受理日期 / received on
        #[arg(long)]
        date: Option<Date>,
        /// 签收时限（工作日）/ working days to sign for it
        #[arg(long, default_value_t = 1)]
        sign_days: u32,
        /// 答复时限（工作日）/ working days to answer
        #[arg(long, default_value_t = 3)]
        answer_days: u32,
        /// 投诉人联系方式 / the resident's contact
        #[arg(long)]
        contact: Option<String>,
        /// 证明材料（照片、PDF）/ evidence files
        #[arg(long = "evidence")]
        evidence: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        #[arg(long)]
        by: Option<String>,
    },
    /// 企业签收 / the company signs for it
    Sign {
        id: ComplaintId,
        #[arg(long)]
        as_company: String,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 企业答复 / the company answers
    Answer {
        id: ComplaintId,
        #[arg(long)]
        as_company: String,
        #[arg(long)]
        text: String,
        /// 答复的证明材料 / evidence of the answer
        #[arg(long = "evidence")]
        evidence: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 居民评价（1–5）/ resident's rating
    Rate {
        id: ComplaintId,
        rating: u32,
        #[arg(long)]
        by: Option<String>,
    },
    /// 办结 / close
    Close {
        id: ComplaintId,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 核实：有效或无效（只有核实有效的投诉计入企业信用档案）/ verify: substantiated or
    /// unfounded (only substantiated complaints count in the credit file)
    Verify {
        id: ComplaintId,
        /// substantiated（核实有效）| unfounded（核实无效）
        #[arg(long)]
        verdict: String,
        /// 核实情况 / what was found
        #[arg(long)]
        note: String,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 列出（末行为逾期件数）/ list (the last line counts the overdue)
    List {
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        compound: Option<String>,
        #[arg(long)]
        period: Option<String>,
        /// 只列逾期（未按时签收或答复）/ only overdue (to sign for or to answer)
        #[arg(long)]
        overdue: bool,
        /// 逾期的判断日期（默认今天）/ overdue as of (default today)
        #[arg(long)]
        as_of: Option<Date>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 查看投诉及证明材料 / one complaint with its evidence
    Show {
        id: ComplaintId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 节假日清单（计算工作日期限时跳过）/ the holiday list used by working-day deadlines
    #[command(subcommand)]
    Holidays(HolidaysCmd),
    /// 投诉件数计入信用档案 / add the period's counts to the credit files
    Credit {
        #[arg(long)]
        period: String,
        #[arg(long)]
        date: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum HolidaysCmd {
    /// 添加节假日 / add a holiday (one day, or --to for a range)
    Add {
        /// 日期 / day (2026-10-01)
        date: Date,
        /// 截止日期（含）/ last day of a range, inclusive
        #[arg(long)]
        to: Option<Date>,
        /// 名称 / name (国庆节)
        #[arg(long)]
        name: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// 列出 / list
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

fn print_complaint(c: &anju_app::model::Complaint, lang: Lang) {
    println!(
        "{} {}  {}  {}  {}  [{}] {}  {}  {} {} / {} {}{}",
        lang.pick("投诉", "complaint"),
        c.id,
        c.compound,
        c.company.as_deref().unwrap_or("-"),
        c.source.label(lang),
        c.category,
        c.text,
        c.status.label(lang),
        lang.pick("签收期限", "sign by"),
        c.sign_deadline,
        lang.pick("答复期限", "answer by"),
        c.answer_deadline,
        c.rating
            .map(|r| format!("  {} {r}", lang.pick("评价", "rating")))
            .unwrap_or_default()
    );
    if let Some(v) = c.verdict {
        println!(
            "  {} {}（{}）{}",
            v.label(lang),
            c.verdict_on.map(|d| d.to_string()).unwrap_or_default(),
            c.verdict_by.as_deref().unwrap_or(""),
            c.verdict_note.as_deref().unwrap_or("")
        );
    }
}

pub fn run_complaint(c: ComplaintCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            ComplaintCmd::Add {
                compound,
                street,
                source,
                category,
                text,
                date,
                sign_days,
                answer_days,
                contact,
                evidence,
                evidence_dir,
                by,
            } => {
                let a = actor(&by, "street");
                let source = ComplaintSource::from_code(&source)
                    .with_context(|| format!("source '{source}'"))?;
                let cpd = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let files = store_files(&app, &as_principal(&a, lang), &evidence_dir, &evidence).await?;
                                let c = app
                    .add_complaint(
                        &principal(by.as_deref(), "street", lang),
                        anju_app::oversight::ComplaintInput {
                            compound_id: CompoundId(cpd.id),
                            source,
                            category,
                            text,
                            received_on: date.unwrap_or_else(|| app.today()),
                            contact,
                        },
                        Some((sign_days, answer_days)),
                    )
                    .await?;
                if !files.is_empty() {
                    app.attach_complaint_evidence(&as_principal(&a, lang), ComplaintId(c.id), ComplaintStage::Complaint, &files)
                        .await?;
                }
                print_complaint(&c, lang);
            }
            ComplaintCmd::Sign {
                id,
                as_company,
                date,
                by,
            } => {
                let co = company_id(&app, &as_company, lang).await?;
                let who = answering_for(&actor(&by, "company"), co, lang);
                complaint_step(&app, id, &who, |today| ComplaintStep::Sign {
                    on: date.unwrap_or(today),
                })
                .await?;
            }
            ComplaintCmd::Answer {
                id,
                as_company,
                text,
                evidence,
                evidence_dir,
                date,
                by,
            } => {
                let a = actor(&by, "company");
                let co = company_id(&app, &as_company, lang).await?;
                let c = app
                    .complaint_in_scope(&crate::util::cli_principal(lang), id)
                    .await?;
                // Files are stored before the step is tried: a refused answer loses no upload.
                let files = store_files(&app, &as_principal(&a, lang), &evidence_dir, &evidence).await?;
                let answer = anju_app::oversight::AnswerInput {
                    version: c.version,
                    text,
                    on: date.unwrap_or_else(today),
                    evidence: Vec::new(),
                };
                let c = app
                    .answer_complaint(&answering_for(&a, co, lang), id, answer)
                    .await?;
                if !files.is_empty() {
                    app.attach_complaint_evidence(&as_principal(&a, lang), ComplaintId(c.id), ComplaintStage::Answer, &files)
                        .await?;
                }
                print_complaint(&c, lang);
            }
            ComplaintCmd::Rate { id, rating, by } => {
                let who = principal(by.as_deref(), "resident", lang);
                complaint_step(&app, id, &who, |_| ComplaintStep::Rate { rating }).await?;
            }
            ComplaintCmd::Close { id, date, by } => {
                let who = principal(by.as_deref(), "street", lang);
                complaint_step(&app, id, &who, |today| ComplaintStep::Close {
                    on: date.unwrap_or(today),
                })
                .await?;
            }
            ComplaintCmd::Verify {
                id,
                verdict,
                note,
                date,
                by,
            } => {
                let verdict = anju_core::oversight::ComplaintVerdict::from_code(verdict.trim())
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "{}",
                            lang.pick(
                                "--verdict 应为 substantiated（核实有效）或 unfounded（核实无效）",
                                "--verdict is substantiated or unfounded"
                            )
                        )
                    })?;
                let who = principal(by.as_deref(), "street", lang);
                complaint_step(&app, id, &who, |today| ComplaintStep::Verify {
                    verdict,
                    note,
                    on: date.unwrap_or(today),
                })
                .await?;
            }
            ComplaintCmd::List {
                company,
                compound,
                period,
                overdue,
                as_of,
                format,
            } => {
                let company_id = match company {
                    Some(k) => Some(company_id(&app, &k, lang).await?),
                    None => None,
                };
                let compound_id = match compound {
                    Some(k) => Some(find_compound(&app, &k, None, lang).await?.id),
                    None => None,
                };
                let period = period.map(|p| parse_period(&p, lang)).transpose()?;
                let as_of = as_of.unwrap_or_else(today);
                let filter = ComplaintFilter {
                    company_id,
                    compound_id,
                    period,
                    ..ComplaintFilter::default()
                };
                let view = app
                    .complaint_overview(&crate::util::cli_principal(lang), filter, as_of, overdue)
                    .await?;
                let (list, counts) = (view.complaints, view.overdue);
                if format == Format::Json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "as_of": as_of,
                            "complaints": list,
                            "overdue": counts,
                        }))?
                    );
                } else {
                    for c in &list {
                        print_complaint(c, lang);
                        if c.sign_overdue(as_of) || c.answer_overdue(as_of) {
                            println!("  {}", lang.pick("逾期", "OVERDUE"));
                        }
                    }
                    match lang {
                        Lang::Zh => println!(
                            "截至 {as_of}：逾期 {} 件（未按时签收 {} 件，未按时答复 {} 件）",
                            counts.overdue, counts.sign_overdue, counts.answer_overdue
                        ),
                        Lang::En => println!(
                            "As of {as_of}: {} overdue ({} not signed for in time, {} not answered in time)",
                            counts.overdue, counts.sign_overdue, counts.answer_overdue
                        ),
                    }
                }
            }
            ComplaintCmd::Show { id, format } => {
                let who = crate::util::cli_principal(lang);
                let c = app.complaint_in_scope(&who, id).await?;
                let files = app.complaint_evidence(&who, id).await?;
                if format == Format::Json {
                    let files: Vec<_> = files
                        .iter()
                        .map(|(st, e)| serde_json::json!({ "stage": st, "file": e }))
                        .collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "complaint": c,
                            "evidence": files,
                        }))?
                    );
                } else {
                    print_complaint(&c, lang);
                    if let Some(a) = &c.answer {
                        println!("  {}：{a}", lang.pick("答复", "Answer"));
                    }
                    if let Some(ct) = &c.contact {
                        println!("  {}：{ct}", lang.pick("联系方式", "Contact"));
                    }
                    for (st, e) in &files {
                        let what = match st {
                            ComplaintStage::Complaint => lang.pick("投诉材料", "complaint"),
                            ComplaintStage::Answer => lang.pick("答复材料", "answer"),
                        };
                        println!("  [{what}] {} {} {}", e.original_name, e.mime, e.sha256);
                    }
                }
            }
            ComplaintCmd::Holidays(HolidaysCmd::Add {
                date,
                to,
                name,
                by,
            }) => {
                let last = to.unwrap_or(date);
                let n = app
                    .add_holidays(&principal(by.as_deref(), "street", lang), date, to, &name)
                    .await?
                    .len();
                match lang {
                    Lang::Zh => println!("已添加节假日 {n} 天：{name}（{date} 至 {last}）"),
                    Lang::En => println!("{n} holiday(s) added: {name} ({date} to {last})"),
                }
            }
            ComplaintCmd::Holidays(HolidaysCmd::List { format }) => {
                let list = app.holidays(&crate::util::cli_principal(lang)).await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    for h in &list {
                        println!("{}  {}", h.day, h.name);
                    }
                }
            }
            ComplaintCmd::Credit { period, date, by } => {
                let period = parse_period(&period, lang)?;
                let recs = app
                    .record_complaint_counts(
                        &principal(by.as_deref(), "street", lang),
                        &period,
                        date.unwrap_or_else(today),
                    )
                    .await?;
                println!(
                    "{} {}",
                    lang.pick(
                        "补记入信用档案的企业数（核实有效的投诉在核实时已自动记入，此处只补记此前未记入的）：",
                        "companies recorded (substantiated complaints go into the file when verified; this adds any not yet there):"
                    ),
                    recs.len()
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
