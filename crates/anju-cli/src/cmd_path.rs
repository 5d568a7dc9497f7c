//! `anju compound …`, `anju contract …`, `anju selection …`, `anju targets`: the path to
//! coverage. Thin: parses, calls anju-app (selections and targets) or anju-store (which applies
//! anju-core's rules), prints.

use crate::util::{find_compound, runtime, today};
use anju_app::App;
use anju_app::model::{Actor, ContractRecord, DEFAULT_EVIDENCE_DIR, EvidenceDir, StoredCompound};
use anju_app::path::ContractInput;
use anju_app::selections::{SelectionInput, SelectionStep, SelectionStepInput};
use anju_app::tasks::TargetInput;
use anju_core::contract::{DismissalSurvey, ServiceLevel, Term};
use anju_core::lifecycle::{Event, ExitKind, Signer, Stage};
use anju_core::targets::TargetKind;
use anju_core::{Area, Fen, Lang, ManagementMode, OwnersBody};
use anju_core::{CompanyId, CompoundId, ContractId, SelectionId, StepId};
use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use jiff::civil::Date;
use std::path::PathBuf;
use std::process::ExitCode;

/// Who acts and with which evidence directory: shared by the writing commands.
#[derive(Args, Clone)]
pub struct Who {
    /// 经办人 / who did it (default: the system user)
    #[arg(long)]
    pub by: Option<String>,
    /// 经办角色 / role (street, community, housing, owners_body, company …)
    #[arg(long, default_value = "street")]
    pub role: String,
}

#[derive(Subcommand)]
pub enum CompoundCmd {
    /// 小区概况、路径时间线与合同 / facts, timeline and contracts of a compound
    Show {
        /// 小区编号或名称 / id or name
        compound: String,
        #[arg(long)]
        street: Option<String>,
    },
    /// 推进一步 / record one step on the path
    Advance {
        /// 小区编号或名称 / id or name
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 目标阶段 / stage to reach: consulted, mode_decided, owners_settled, company_selected,
        /// trial_run, entered, in_service; or exit (ends a non-contract service)
        #[arg(long)]
        to: String,
        /// 日期 / date (YYYY-MM-DD, default today)
        #[arg(long)]
        date: Option<Date>,
        /// 管理方式 (mode_decided): 专业化物业, 国有托管, 街道兜底, 单位后勤, 纳入临近物业区域, 业主自管
        #[arg(long)]
        mode: Option<String>,
        /// 业主组织 (owners_settled): 业主委员会, 物业管理委员会, 环境和物业管理委员会, 社区代行
        #[arg(long)]
        body: Option<String>,
        /// 物业企业名称或编号 (company_selected)
        #[arg(long)]
        company: Option<String>,
        /// 证明材料文件 / evidence files (JPEG, PNG, WebP, HEIC, PDF; ≤ 20 MiB each)
        #[arg(long = "evidence")]
        evidence: Vec<PathBuf>,
        /// 证明材料目录 / evidence directory
        #[arg(long, env = "ANJU_EVIDENCE_DIR", default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        /// 备注 / note
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// 更正一个步骤：更正日期或撤销，须写原因 / correct a recorded step: re-date or void it, with a reason
    ///
    /// 原记录保留并标为已更正，其后的阶段按规则重算 / nothing is deleted: the step is marked
    /// superseded and what follows is recomputed by the rules.
    Correct {
        /// 小区编号或名称 / id or name
        compound: String,
        #[arg(long)]
        street: Option<String>,
        /// 步骤编号（anju compound show 中的 #编号）/ step id (the #id `anju compound show` prints)
        #[arg(long)]
        step: StepId,
        /// 实际发生的日期 / the day it really happened (YYYY-MM-DD, not after today)
        #[arg(long, conflicts_with = "void", required_unless_present = "void")]
        on: Option<Date>,
        /// 撤销：该步骤并未发生 / void: it did not happen
        #[arg(long)]
        void: bool,
        /// 更正原因（必填）/ why (required)
        #[arg(long)]
        reason: String,
        /// 路径版本号（anju compound show 显示）/ the path's version, as `anju compound show` prints it
        #[arg(long)]
        version: i64,
        #[command(flatten)]
        who: Who,
    },
    /// 各阶段小区数与等待最久的小区 / how many compounds wait at each stage, and the oldest
    Stuck {
        #[arg(long)]
        street: Option<String>,
    },
}

#[expect(
    clippy::large_enum_variant,
    reason = "parsed once per run; size does not matter"
)]
#[derive(Subcommand)]
pub enum ContractCmd {
    /// 签订物业服务合同 / sign a contract
    Sign(SignArgs),
    /// 合同备案 / file a contract
    File {
        id: ContractId,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
    /// 终止合同 / terminate a contract
    Terminate {
        id: ContractId,
        /// dismissal（解聘）| expiry（期满）| exit（退出）
        #[arg(long, default_value = "dismissal")]
        kind: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
    /// 列出合同 / list contracts
    List {
        /// 只列逾期未备案或逾期备案的 / only overdue filings
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        as_of: Option<Date>,
    },
    /// 满意度调查与解聘提议 / survey: > 50 % of owners dissatisfied raises a dismissal proposal
    Dismissal {
        #[arg(long)]
        contract: ContractId,
        /// 业主总数 (default: households of the contract's compounds)
        #[arg(long)]
        owners: Option<u32>,
        #[arg(long)]
        respondents: u32,
        #[arg(long)]
        dissatisfied: u32,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Args)]
pub struct SignArgs {
    /// 小区编号或名称，可多次 / compound(s)
    #[arg(long = "compound", required = true)]
    pub compounds: Vec<String>,
    #[arg(long)]
    pub street: Option<String>,
    /// 物业企业名称或编号
    #[arg(long)]
    pub company: String,
    /// 签约方 / who signs for the owners: owners_body | street | community
    #[arg(long)]
    pub signer: String,
    #[arg(long)]
    pub signer_name: Option<String>,
    /// 签订日期 / signing date
    #[arg(long)]
    pub date: Option<Date>,
    /// 进场日期 / entry date (the term starts here)
    #[arg(long)]
    pub entry: Option<Date>,
    #[arg(long)]
    pub term_years: Option<u32>,
    #[arg(long)]
    pub term_months: Option<u32>,
    /// 服务等级 / service level (一级 … 五级; default 二级)
    #[arg(long)]
    pub level: Option<String>,
    /// 政策最低等级 / lowest level allowed ("none" for no minimum; default 二级)
    #[arg(long)]
    pub min_level: Option<String>,
    /// 多层收费 元/㎡/月 (default Liaocheng 0.50)
    #[arg(long)]
    pub fee_multi: Option<String>,
    /// 高层收费 元/㎡/月 (default Liaocheng 0.90)
    #[arg(long)]
    pub fee_high: Option<String>,
    /// 服务面积 ㎡ (default: the compounds' area)
    #[arg(long)]
    pub area: Option<String>,
    /// 公示日期 / public notice of services and fees
    #[arg(long)]
    pub notice: Option<Date>,
    #[command(flatten)]
    pub who: Who,
}

#[derive(Subcommand)]
pub enum SelectionCmd {
    /// 发布遴选公告 / announce
    Open {
        #[arg(long)]
        street: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        date: Option<Date>,
        /// 报名截止日（含当日）/ last registration day
        #[arg(long)]
        deadline: Date,
        #[command(flatten)]
        who: Who,
    },
    /// 企业报名 / a company registers
    Register {
        id: SelectionId,
        #[arg(long)]
        company: String,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
    /// 资格审查：列出合格企业 / screening: the qualified companies
    Screen {
        id: SelectionId,
        #[arg(long = "qualified")]
        qualified: Vec<String>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
    /// 确定入围企业（1–3 家）/ shortlist 1 to 3
    Shortlist {
        id: SelectionId,
        #[arg(long = "company", required = true)]
        companies: Vec<String>,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
    /// 向小区业主组织推荐 / recommend the shortlist to a compound's owners' body
    Recommend {
        id: SelectionId,
        #[arg(long)]
        compound: String,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
    /// 小区选定企业 / the compound chooses one company
    Choose {
        id: SelectionId,
        #[arg(long)]
        compound: String,
        #[arg(long)]
        company: String,
        #[arg(long)]
        date: Option<Date>,
        #[command(flatten)]
        who: Who,
    },
    /// 查看遴选 / show one selection
    Show { id: SelectionId },
    /// 列出遴选 / list selections
    List,
}

#[derive(Args)]
pub struct TargetsArgs {
    /// 街道 / street
    #[arg(long)]
    pub street: String,
    /// 计算日期 / compute progress as of (default today)
    #[arg(long)]
    pub as_of: Option<Date>,
    /// 载入预设目标 / create the preset targets (daqintala-2022)
    #[arg(long)]
    pub preset: Option<String>,
    /// 新增目标类型 / add a target: covered | owners_body
    #[arg(long)]
    pub add: Option<String>,
    /// 比例（%）/ share in percent
    #[arg(long)]
    pub share: Option<u32>,
    /// 期限 / due date (counts in full)
    #[arg(long)]
    pub due: Option<Date>,
    /// 基数日期 / baseline date (default 2022-07-01)
    #[arg(long)]
    pub baseline: Option<Date>,
    #[arg(long)]
    pub label: Option<String>,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

fn actor(w: &Who) -> Actor {
    Actor::new(
        w.by.clone().unwrap_or_else(crate::util::cli_user),
        w.role.clone(),
    )
}

async fn find_company(app: &App, key: &str, lang: Lang) -> anyhow::Result<(i64, String)> {
    let c = app
        .find_company(&crate::util::cli_principal(lang), key)
        .await?;
    Ok((c.id, c.name))
}

fn parse_mode(s: &str) -> anyhow::Result<ManagementMode> {
    ManagementMode::parse_zh(s)
        .filter(|m| *m != ManagementMode::None)
        .ok_or_else(|| anyhow!("--mode：无法识别管理方式“{s}”"))
}

fn parse_body(s: &str) -> anyhow::Result<OwnersBody> {
    if matches!(s.trim(), "社区代行" | "社区" | "community" | "none") {
        return Ok(OwnersBody::None);
    }
    OwnersBody::parse_zh(s)
        .filter(|b| b.exists())
        .ok_or_else(|| anyhow!("--body：无法识别业主组织“{s}”（业主委员会、物业管理委员会、环境和物业管理委员会或社区代行）"))
}

fn parse_stage(s: &str) -> Option<Stage> {
    Stage::from_code(s.trim()).or_else(|| Stage::ALL.into_iter().find(|x| x.zh() == s.trim()))
}

fn yuan_rate(flag: &str, s: Option<&str>, default: Option<Fen>) -> anyhow::Result<Option<Fen>> {
    match s {
        None => Ok(default),
        Some("none") | Some("") => Ok(None),
        Some(v) => Fen::parse_yuan(v)
            .map(Some)
            .map_err(|e| anyhow!("{flag}：{e}（收费标准精确到分，如 0.50）")),
    }
}

pub fn run_compound(c: CompoundCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            CompoundCmd::Show { compound, street } => {
                let c = find_compound(&app, &compound, street.as_deref(), lang).await?;
                show_compound(&app, &c, lang).await?;
            }
            CompoundCmd::Advance {
                compound,
                street,
                to,
                date,
                mode,
                body,
                company,
                evidence,
                evidence_dir,
                note,
                who,
            } => {
                let c = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let on = date.unwrap_or_else(today);
                let lc = app
                    .lifecycle(&crate::util::cli_principal(lang), CompoundId(c.id))
                    .await?;
                let event = if to.trim() == "exit" {
                    Event::End {
                        kind: ExitKind::Exit,
                    }
                } else {
                    let stage = parse_stage(&to).ok_or_else(|| {
                        anyhow!("--to：无法识别阶段“{to}”（consulted, mode_decided, owners_settled, company_selected, trial_run, entered, in_service, exit）")
                    })?;
                    match stage {
                        Stage::Consulted => Event::Consult,
                        Stage::ModeDecided => Event::DecideMode {
                            mode: parse_mode(mode.as_deref().ok_or_else(|| anyhow!("确定管理模式须提供 --mode"))?)?,
                        },
                        Stage::OwnersSettled => Event::SettleOwners {
                            body: parse_body(body.as_deref().ok_or_else(|| anyhow!("落实业主组织须提供 --body"))?)?,
                        },
                        Stage::CompanySelected => Event::SelectCompany {
                            company_id: find_company(&app, company.as_deref().ok_or_else(|| anyhow!("选定企业须提供 --company"))?, lang).await?.0,
                        },
                        Stage::TrialRun => Event::StartTrial,
                        Stage::Entered => Event::Enter,
                        Stage::InService => Event::StartService,
                        Stage::ContractSigned => bail!("签订合同请使用 anju contract sign"),
                        Stage::Filed => bail!("合同备案请使用 anju contract file"),
                        Stage::Census => bail!("不能退回到“调查摸底”"),
                    }
                };
                // Evidence first: a refused step must never lose an upload.
                let dir = EvidenceDir::new(&evidence_dir);
                let a = actor(&who);
                let mut hashes = Vec::new();
                for f in &evidence {
                    let bytes = std::fs::read(f)
                        .with_context(|| format!("无法读取证明材料 {}", f.display()))?;
                    let name = f
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let e = app
                    .upload_evidence(
                        &crate::util::principal(Some(&a.name), &a.role, lang),
                        &dir,
                        &name,
                        &bytes,
                    )
                    .await?;
                    println!(
                        "{}{} → {} ({})",
                        lang.pick("已保存证明材料：", "evidence stored: "),
                        name,
                        e.sha256,
                        dir.path_of(&e).display()
                    );
                    hashes.push(e.sha256);
                }
                let step = anju_app::path::AdvanceInput {
                    version: lc.version,
                    step: event,
                    on,
                    note,
                    evidence: hashes.clone(),
                };
                let who = crate::util::principal(who.by.as_deref(), &who.role, lang);
                match app.advance(&who, CompoundId(c.id), step).await {
                    Ok(lc) => {
                        println!(
                            "{}“{}” → {}（{}）",
                            lang.pick("已推进：", "advanced: "),
                            c.compound.name,
                            lc.state.stage.label(lang),
                            on
                        );
                    }
                    Err(e) => {
                        if !hashes.is_empty() {
                            eprintln!(
                                "{}",
                                lang.pick(
                                    "证明材料已保存，可修正后重试（文件未丢失）。",
                                    "the evidence is stored; fix and retry (nothing was lost)."
                                )
                            );
                        }
                        return Err(e.into());
                    }
                }
            }
            CompoundCmd::Correct {
                compound,
                street,
                step,
                on,
                void,
                reason,
                version,
                who,
            } => {
                let c = find_compound(&app, &compound, street.as_deref(), lang).await?;
                let who = crate::util::principal(who.by.as_deref(), &who.role, lang);
                let input = anju_app::path::CorrectionInput {
                    version,
                    on: if void { None } else { on },
                    reason,
                };
                let lc = app
                    .correct_step(&who, CompoundId(c.id), step, input)
                    .await?;
                let done = match (lang, on.filter(|_| !void)) {
                    (Lang::Zh, Some(d)) => format!("已更正：步骤 #{step} 的日期改为 {d}"),
                    (Lang::Zh, None) => format!("已撤销：步骤 #{step}"),
                    (Lang::En, Some(d)) => format!("corrected: step #{step} re-dated to {d}"),
                    (Lang::En, None) => format!("voided: step #{step}"),
                };
                println!(
                    "{done}；“{}” {}{}（{} {}）",
                    c.compound.name,
                    lang.pick("当前阶段：", "now at: "),
                    lc.state.stage.label(lang),
                    lang.pick("版本", "version"),
                    lc.version
                );
            }
            CompoundCmd::Stuck { street } => stuck(&app, street.as_deref(), lang).await?,
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn show_compound(app: &App, c: &StoredCompound, lang: Lang) -> anyhow::Result<()> {
    let k = &c.compound;
    let who = crate::util::cli_principal(lang);
    let lc = app.lifecycle(&who, CompoundId(c.id)).await?;
    let yes = |b: bool| lang.pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" });
    match lang {
        Lang::Zh => {
            println!("小区：{}（编号 {}）", k.name, c.id);
            println!(
                "所属：{} {} {}",
                k.district.as_deref().unwrap_or(""),
                k.street,
                k.community.as_deref().unwrap_or("")
            );
            println!(
                "户数：{}  面积：{}",
                k.households
                    .map(|h| h.to_string())
                    .unwrap_or_else(|| "—".into()),
                k.area.map(Area::display_m2).unwrap_or_else(|| "—".into())
            );
            println!(
                "管理方式：{}  物业企业：{}",
                k.mode.zh(),
                k.company.as_deref().unwrap_or("—")
            );
            println!("业主组织：{}", k.owners_body.zh());
            println!("当前阶段：{}（版本 {}）", lc.state.stage.zh(), lc.version);
        }
        Lang::En => {
            println!("compound: {} (id {})", k.name, c.id);
            println!(
                "street: {} / {}",
                k.street,
                k.community.as_deref().unwrap_or("")
            );
            println!(
                "mode: {}  company: {}",
                k.mode.en(),
                k.company.as_deref().unwrap_or("—")
            );
            println!("owners' body: {}", k.owners_body.en());
            println!("stage: {} (version {})", lc.state.stage.en(), lc.version);
        }
    }
    let _ = yes;
    println!("{}", lang.pick("时间线：", "timeline:"));
    if lc.steps.is_empty() {
        println!("  {}", lang.pick("（尚无记录）", "(nothing recorded)"));
    }
    for st in &lc.steps {
        let mark = match &st.correction {
            Some(x) => match (lang, x.new_on) {
                (Lang::Zh, Some(d)) => format!(
                    "  ✗ 已更正为 {d}（#{}）：{} · {}",
                    x.replaced_by.unwrap_or_default(),
                    x.reason,
                    x.actor
                ),
                (Lang::Zh, None) => format!("  ✗ 已撤销：{} · {}", x.reason, x.actor),
                (Lang::En, Some(d)) => format!(
                    "  ✗ re-dated to {d} (#{}): {} · {}",
                    x.replaced_by.unwrap_or_default(),
                    x.reason,
                    x.actor
                ),
                (Lang::En, None) => format!("  ✗ voided: {} · {}", x.reason, x.actor),
            },
            None => String::new(),
        };
        let corrects = st
            .corrects
            .map(|o| format!("  {}#{o}", lang.pick("更正记录，替代 ", "correction of ")))
            .unwrap_or_default();
        println!(
            "  #{}  {}  {} → {}  {}  {}/{}{}{}{corrects}{mark}",
            st.id,
            st.happened_on,
            st.stage_from.label(lang),
            st.stage_to.label(lang),
            lang.pick(st.event.zh(), st.event.en()),
            st.actor,
            st.role,
            st.note
                .as_deref()
                .map(|n| format!("  「{n}」"))
                .unwrap_or_default(),
            if st.evidence.is_empty() {
                String::new()
            } else {
                format!(
                    "  [{} {}]",
                    lang.pick("证明材料", "evidence"),
                    st.evidence.len()
                )
            }
        );
    }
    let contracts = app.contracts(&who, Some(CompoundId(c.id))).await?;
    if !contracts.is_empty() {
        println!("{}", lang.pick("合同：", "contracts:"));
        for k in &contracts {
            print_contract(k, lang);
        }
    }
    Ok(())
}

fn print_contract(k: &ContractRecord, lang: Lang) {
    print_contract_on(k, lang, today());
}

/// One contract as it stood on `day` (its filing counted to that day).
fn print_contract_on(k: &ContractRecord, lang: Lang, day: Date) {
    let fee = |f: Option<Fen>| {
        f.map(|f| format!("{} {}", f.plain(), lang.pick("元/㎡/月", "yuan/㎡/month")))
            .unwrap_or_else(|| "—".into())
    };
    let status = k.standing_text(day, lang);
    match lang {
        Lang::Zh => println!(
            "  合同 {}：{}；签约方 {}{}；签订 {}；进场 {}；期限 {}（至 {}）；{}；多层 {}，高层 {}；服务面积 {}；公示 {}；{}；{}",
            k.id,
            k.company,
            k.signer.zh(),
            k.signer_name
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default(),
            k.signed_on,
            k.entry_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
            k.term.zh(),
            k.term_last_day(),
            k.service_level.zh(),
            fee(k.fees.multi),
            fee(k.fees.high),
            k.served_area.display_m2(),
            k.notice_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "未公示".into()),
            k.filing(day).zh(),
            status
        ),
        Lang::En => println!(
            "  contract {}: {}; signed by {}; {}; entry {}; term {} (to {}); {}; multi {}, high {}; area {}; {}; {}",
            k.id,
            k.company,
            k.signer.en(),
            k.signed_on,
            k.entry_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
            k.term.en(),
            k.term_last_day(),
            k.service_level.en(),
            fee(k.fees.multi),
            fee(k.fees.high),
            k.served_area.display_m2(),
            k.filing(day).en(),
            status
        ),
    }
}

async fn stuck(app: &App, street: Option<&str>, lang: Lang) -> anyhow::Result<()> {
    let rows = app
        .stage_overview(&crate::util::cli_principal(lang), street)
        .await?;
    println!(
        "{}",
        lang.pick(
            "阶段\t小区数\t等待最久",
            "stage\tcompounds\twaiting longest"
        )
    );
    for stage in Stage::ALL {
        let mut at: Vec<_> = rows.iter().filter(|r| r.stage == stage).collect();
        if at.is_empty() {
            continue;
        }
        at.sort_by_key(|r| (r.since.unwrap_or(Date::MIN), r.compound_id));
        let oldest = at
            .first()
            .map(|r| {
                format!(
                    "{}（{}）",
                    r.name,
                    r.since
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| lang.pick("自台账起", "since the census").into())
                )
            })
            .unwrap_or_default();
        println!("{}\t{}\t{}", stage.label(lang), at.len(), oldest);
    }
    Ok(())
}

pub fn run_contract(c: ContractCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = crate::util::connect(db).await?;
        match c {
            ContractCmd::Sign(a) => {
                let mut ids = Vec::new();
                for key in &a.compounds {
                    ids.push(find_compound(&app, key, a.street.as_deref(), lang).await?.id);
                }
                let (company_id, _) = find_company(&app, &a.company, lang).await?;
                let signer = Signer::from_code(a.signer.trim())
                    .or_else(|| Signer::ALL.into_iter().find(|x| x.zh() == a.signer.trim()))
                    .ok_or_else(|| anyhow!("--signer：应为 owners_body（业主组织）、street（街道办事处）或 community（社区居委会）"))?;
                let term = match (a.term_years, a.term_months) {
                    (Some(y), None) => Term::years(y),
                    (None, Some(m)) => Term::months(m),
                    _ => bail!("合同期限：请提供 --term-years 或 --term-months（二者选一）"),
                };
                let service_level = a
                    .level
                    .as_deref()
                    .map(|l| {
                        ServiceLevel::parse(l)
                            .ok_or_else(|| anyhow!("--level：无法识别服务等级“{l}”（一级至五级）"))
                    })
                    .transpose()?;
                let min_level = match a.min_level.as_deref().map(str::trim) {
                    None => None,
                    Some("none") => Some(None),
                    Some(l) => Some(Some(ServiceLevel::parse(l).ok_or_else(|| {
                        anyhow!("--min-level：无法识别服务等级“{l}”")
                    })?)),
                };
                let served_area = a
                    .area
                    .as_deref()
                    .map(|x| Area::parse(x).map_err(|e| anyhow!("--area：{e}")))
                    .transpose()?;
                let who = crate::util::principal(a.who.by.as_deref(), &a.who.role, lang);
                let k = app
                    .sign_contract_with_defaults(
                        &who,
                        ContractInput {
                            compound_ids: ids.into_iter().map(CompoundId).collect(),
                            company_id: CompanyId(company_id),
                            signer,
                            signer_name: a.signer_name,
                            signed_on: a.date,
                            entry_on: a.entry,
                            term,
                            service_level,
                            min_level,
                            fee_multi: yuan_rate("--fee-multi", a.fee_multi.as_deref(), None)?,
                            fee_high: yuan_rate("--fee-high", a.fee_high.as_deref(), None)?,
                            served_area,
                            notice_on: a.notice,
                        },
                    )
                    .await?;
                println!("{}{}", lang.pick("已签订合同，编号 ", "contract signed, id "), k.id);
                print_contract(&k, lang);
            }
            ContractCmd::File { id, date, who } => {
                let k = app
                    .contract_in_scope(&crate::util::cli_principal(lang), id)
                    .await?;
                let k = app
                    .file_contract(
                        &crate::util::principal(who.by.as_deref(), &who.role, lang),
                        id,
                        k.version,
                        date.unwrap_or_else(today),
                    )
                    .await?;
                println!("{}", lang.pick("已备案：", "filed: "));
                print_contract(&k, lang);
            }
            ContractCmd::Terminate {
                id,
                kind,
                reason,
                date,
                who,
            } => {
                let kind = ExitKind::from_code(kind.trim())
                    .or_else(|| ExitKind::ALL.into_iter().find(|x| x.zh() == kind.trim()))
                    .ok_or_else(|| anyhow!("--kind：应为 dismissal（解聘）、expiry（期满）或 exit（退出）"))?;
                let k = app
                    .contract_in_scope(&crate::util::cli_principal(lang), id)
                    .await?;
                let k = app
                    .terminate_contract(
                        &crate::util::principal(who.by.as_deref(), &who.role, lang),
                        id,
                        k.version,
                        kind,
                        &reason,
                        date.unwrap_or_else(today),
                    )
                    .await?;
                println!("{}", lang.pick("已终止：", "terminated: "));
                print_contract(&k, lang);
            }
            ContractCmd::List { overdue, as_of } => {
                let d = as_of.unwrap_or_else(today);
                let shown = app
                    .contract_register(&crate::util::cli_principal(lang), d, overdue)
                    .await?;
                for e in &shown {
                    let names: Vec<&str> = e.compounds.iter().map(|(_, n)| n.as_str()).collect();
                    println!("{}", names.join("、"));
                    print_contract_on(&e.contract, lang, d);
                }
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("共 {} 份合同", shown.len()),
                        Lang::En => format!("{} contracts", shown.len()),
                    }
                );
            }
            ContractCmd::Dismissal {
                contract,
                owners,
                respondents,
                dissatisfied,
                date,
                who,
            } => {
                let owners = match owners {
                    Some(o) => o,
                    None => {
                        app.contract_households(&crate::util::cli_principal(lang), contract)
                            .await?
                    }
                };
                let survey = DismissalSurvey::new(owners, respondents, dissatisfied)?;
                let p = app
                    .record_dismissal_survey(
                        &crate::util::principal(who.by.as_deref(), &who.role, lang),
                        contract,
                        date.unwrap_or_else(today),
                        survey,
                        None,
                    )
                    .await?;
                let pct = survey.dissatisfied_percent();
                match (lang, p.raised) {
                    (Lang::Zh, true) => println!(
                        "不满意 {dissatisfied}/{owners} 户（{pct}%），超过本小区业主50%：已提出解聘提议（编号 {}）。业主组织可据此解除合同（anju contract terminate {contract} --kind dismissal）",
                        p.id
                    ),
                    (Lang::Zh, false) => println!(
                        "不满意 {dissatisfied}/{owners} 户（{pct}%），未超过本小区业主50%：不构成解聘条件（已登记，编号 {}）",
                        p.id
                    ),
                    (Lang::En, raised) => println!(
                        "dissatisfied {dissatisfied}/{owners} ({pct}%): {} (survey {})",
                        if raised { "more than 50 % — dismissal proposal raised" } else { "not more than 50 % — no dismissal" },
                        p.id
                    ),
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn print_selection(sel: &anju_app::model::Selection, lang: Lang) {
    println!(
        "{} {}：{}（{}）{} {} — {}",
        lang.pick("遴选", "selection"),
        sel.id,
        sel.title,
        sel.street,
        sel.announced_on,
        lang.pick(
            &format!("报名截止 {}（含当日）", sel.deadline),
            &format!("registration until {}", sel.deadline)
        ),
        lang.pick(sel.stage.zh(), sel.stage.en())
    );
    for r in &sel.registrations {
        let q = match r.qualified {
            None => lang.pick("待审查", "not screened"),
            Some(true) => lang.pick("合格", "qualified"),
            Some(false) => lang.pick("不合格", "not qualified"),
        };
        println!(
            "  {} {}  {}  {}{}",
            r.company_id,
            r.company,
            r.registered_on,
            q,
            if r.shortlisted {
                lang.pick("  入围", "  shortlisted")
            } else {
                ""
            }
        );
    }
    for c in &sel.compounds {
        println!(
            "  {} {}  {} {}  {}",
            lang.pick("小区", "compound"),
            c.name,
            lang.pick("推荐", "recommended"),
            c.recommended_on,
            match (c.company_id, c.chosen_on) {
                (Some(id), Some(d)) =>
                    format!("{} {id}（{d}）", lang.pick("选定企业", "chose company")),
                _ => lang.pick("待选定", "to choose").to_string(),
            }
        );
    }
}

pub fn run_selection(c: SelectionCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = crate::util::connect(db).await?;
        let as_who = |w: &Who| crate::util::principal(w.by.as_deref(), &w.role, lang);
        // The command line records a step on the selection as it stands now.
        let step = |id: i64, who: Who, date: Option<Date>, step: SelectionStep| {
            let app = &app;
            async move {
                let input = SelectionStepInput {
                    version: app
                        .selection(&crate::util::cli_principal(lang), SelectionId(id))
                        .await?
                        .version,
                    on: date,
                    step,
                };
                anyhow::Ok(
                    app.selection_step(&as_who(&who), SelectionId(id), input)
                        .await?,
                )
            }
        };
        let company = |key: String| {
            let app = &app;
            async move {
                anyhow::Ok(
                    app.find_company(&crate::util::cli_principal(lang), &key)
                        .await?
                        .id,
                )
            }
        };
        let sel = match c {
            SelectionCmd::Open {
                street,
                title,
                date,
                deadline,
                who,
            } => {
                let input = SelectionInput {
                    street,
                    title,
                    announced_on: date,
                    deadline: Some(deadline),
                };
                app.open_selection(&as_who(&who), input).await?
            }
            SelectionCmd::Register {
                id,
                company: key,
                date,
                who,
            } => {
                let company_id = company(key).await?;
                step(id.get(), who, date, SelectionStep::Register { company_id }).await?
            }
            SelectionCmd::Screen {
                id,
                qualified: keys,
                note,
                date,
                who,
            } => {
                let mut qualified = Vec::new();
                for q in keys {
                    qualified.push(company(q).await?);
                }
                step(
                    id.get(),
                    who,
                    date,
                    SelectionStep::Screen { qualified, note },
                )
                .await?
            }
            SelectionCmd::Shortlist {
                id,
                companies: keys,
                date,
                who,
            } => {
                let mut companies = Vec::new();
                for q in keys {
                    companies.push(company(q).await?);
                }
                step(id.get(), who, date, SelectionStep::Shortlist { companies }).await?
            }
            SelectionCmd::Recommend {
                id,
                compound,
                date,
                who,
            } => {
                let c = find_compound(&app, &compound, None, lang).await?;
                let compound_id = c.id;
                step(
                    id.get(),
                    who,
                    date,
                    SelectionStep::Recommend { compound_id },
                )
                .await?
            }
            SelectionCmd::Choose {
                id,
                compound,
                company: key,
                date,
                who,
            } => {
                let compound_id = find_compound(&app, &compound, None, lang).await?.id;
                let company_id = company(key).await?;
                let choose = SelectionStep::Choose {
                    compound_id,
                    company_id,
                };
                step(id.get(), who, date, choose).await?
            }
            SelectionCmd::Show { id } => {
                app.selection(&crate::util::cli_principal(lang), id).await?
            }
            SelectionCmd::List => {
                for sel in app.selections(&crate::util::cli_principal(lang)).await? {
                    print_selection(&sel, lang);
                }
                return Ok(ExitCode::SUCCESS);
            }
        };
        print_selection(&sel, lang);
        Ok(ExitCode::SUCCESS)
    })
}

pub fn run_targets(a: TargetsArgs, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = crate::util::connect(db).await?;
                let who = crate::util::principal(None, "street", lang);
        if let Some(p) = a.preset.as_deref() {
            app.add_preset_targets(&who, &a.street, p).await?;
        }
        if let Some(kind) = a.add.as_deref() {
            let kind = TargetKind::from_code(kind).ok_or_else(|| {
                anyhow!(
                    "{}",
                    lang.pick(
                        "--add：应为 covered 或 owners_body",
                        "--add: covered or owners_body"
                    )
                )
            })?;
            let input = TargetInput {
                street: a.street.clone(),
                kind: Some(kind),
                share: a.share.map(i64::from),
                due: a.due,
                baseline_on: a.baseline,
                label: a.label.clone(),
            };
            app.add_target(&who, input).await?;
        }
        let as_of = a.as_of.unwrap_or_else(today);
        let ps = app.target_progress(&who, &a.street, as_of).await?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&ps)?);
            return Ok(ExitCode::SUCCESS);
        }
        if ps.is_empty() {
            println!(
                "{}",
                lang.pick(
                    "该街道尚无目标（可用 --preset daqintala-2022 或 --add 新增）",
                    "no targets for this street (use --preset daqintala-2022 or --add)"
                )
            );
        }
        for p in &ps {
            match lang {
                Lang::Zh => println!(
                    "{}：{}（{}% ，期限 {}）\n  基数 {} 个（{} 无物业），需 {} 个；截至 {} 已 {} 个（{}%），期限日已 {} 个 — {}",
                    p.target.label,
                    p.target.kind.zh(),
                    p.target.share_percent,
                    p.target.due,
                    p.baseline,
                    p.target.baseline_on,
                    p.required,
                    p.as_of,
                    p.achieved,
                    p.percent,
                    p.achieved_by_due,
                    p.status.zh()
                ),
                Lang::En => println!(
                    "{}: {} ({}%, due {})\n  baseline {} (unmanaged on {}), required {}; as of {}: {} ({}%), by the due date {} — {}",
                    p.target.label,
                    p.target.kind.en(),
                    p.target.share_percent,
                    p.target.due,
                    p.baseline,
                    p.target.baseline_on,
                    p.required,
                    p.as_of,
                    p.achieved,
                    p.percent,
                    p.achieved_by_due,
                    p.status.en()
                ),
            }
            if p.status == anju_core::targets::TargetStatus::Overdue {
                let names: Vec<&str> = p.missing.iter().take(10).map(|(_, n)| n.as_str()).collect();
                println!(
                    "  {}{}{}",
                    lang.pick("未完成：", "missing: "),
                    names.join("、"),
                    if p.missing.len() > 10 {
                        format!(" … {}", p.missing.len())
                    } else {
                        String::new()
                    }
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
