//! `anju household …` and `anju vote …`: owners' votes (业主表决; issue 19 item 2) — a compound's
//! register of households (业主名册: listed, one household added or corrected, a sheet
//! imported), its votes (opened on the register frozen that day, one ballot per household),
//! paper ballots entered with their scans, 计票 (民法典 第二百七十八条), and using a carried
//! choice of company on the path. Residents vote by their links (`/v/{token}`) on the web.
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::votes`. The command
//! line acts as an administrator, recorded in the audit log as the street.

use crate::cmd_department::{day, refuse};
use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, find_compound, principal, render_table, runtime};
use anju_app::model::{DEFAULT_EVIDENCE_DIR, EvidenceDir, Household, RegisterSummary, VoteRecord};
use anju_app::votes::{HouseholdInput, PaperBallotInput, VoteDetail, VoteInput};
use anju_app::{App, Principal};
use anju_core::ids::{BadId, CompoundId, OwnersBodyId, VoteId};
use anju_core::vote::{Choice, Matter, VoteCount};
use anju_core::{Area, Lang};
use anyhow::Context;
use clap::Subcommand;
use jiff::civil::Date;
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::process::ExitCode;

/// A vote id argument read with its refusal in Chinese (the default language).
fn vote_id(s: &str) -> Result<VoteId, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

#[derive(Subcommand)]
pub enum HouseholdCmd {
    /// 列出小区的业主名册（按房号）/ a compound's register of households, by unit
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
    /// 增加一户，或按房号更正已有的一户 / add a household, or correct the one with this unit
    Add {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        /// 所属街道（小区重名时）/ the street, when compound names repeat
        #[arg(long)]
        street: Option<String>,
        /// 房号（如 1-2-301）/ the unit
        #[arg(long)]
        unit: String,
        /// 业主姓名 / the owner's name
        #[arg(long)]
        owner: Option<String>,
        /// 专有部分面积（㎡，最多两位小数，如 88.50）/ the exclusive area in ㎡
        #[arg(long)]
        area: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// 导入业主名册（.xlsx、.xls 或 .csv；列：房号、业主姓名、专有部分面积），按房号新增或更正；
    /// 有问题时全部不导入 / import a register sheet (all or nothing)
    Import {
        /// 名册文件 / the register file
        file: PathBuf,
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        /// 所属街道（小区重名时）/ the street, when compound names repeat
        #[arg(long)]
        street: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum VoteCmd {
    /// 列出小区的业主表决（最近的在前）/ a compound's votes, latest first
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
    /// 发起业主表决：冻结当天的业主名册，每户一张选票 / open a vote on the register as it stands
    Open {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        /// 所属街道（小区重名时）/ the street, when compound names repeat
        #[arg(long)]
        street: Option<String>,
        /// elect_committee（选举业主委员会）| select_company（选聘物业服务企业）|
        /// dismiss_company（解聘物业服务企业）| use_fund（使用维修资金）| raise_fund（筹集维修资金）|
        /// rebuild（改建、重建）| change_use（改变共有部分用途）| other（其他共同决定事项）
        #[arg(long)]
        matter: String,
        /// 表决事项的表述 / the question the owners read
        #[arg(long)]
        question: String,
        /// 选聘物业服务企业：候选企业编号（可重复，1–5 家）/ a candidate company id, repeatable
        #[arg(long = "company")]
        companies: Vec<i64>,
        /// 选举业主委员会：筹备中的业主组织编号 / the owners' body being elected
        #[arg(long)]
        body: Option<i64>,
        /// 表决开始日期（不得晚于今天）/ the first voting day (not after today)
        #[arg(long, value_parser = day)]
        opens_on: Date,
        /// 表决截止日期（收票的最后一天）/ the last voting day
        #[arg(long, value_parser = day)]
        closes_on: Date,
        #[arg(long)]
        by: Option<String>,
    },
    /// 查看一次表决：参与情况、计票结果与各户投票情况 / one vote: participation, the count and
    /// the households' ballots
    Show {
        /// 表决编号 / vote id
        #[arg(value_parser = vote_id)]
        id: VoteId,
        /// 输出 JSON / print JSON
        #[arg(long)]
        json: bool,
    },
    /// 录入一户的纸质选票（附扫描件）/ enter a household's paper ballot with its scan
    Paper {
        /// 表决编号 / vote id
        #[arg(value_parser = vote_id)]
        id: VoteId,
        /// 住户编号（anju household list 显示）/ the household id
        #[arg(long)]
        household: i64,
        /// option（选择一个选项，或“同意”）| against（反对）| abstain（弃权）
        #[arg(long, value_parser = choice)]
        choice: Choice,
        /// 所选选项的编号（anju vote show 显示；只有一个选项时可不填）/ the option chosen
        #[arg(long)]
        option: Option<u32>,
        /// 收到选票日期 / the day the ballot was received
        #[arg(long, value_parser = day)]
        received_on: Date,
        /// 选票的扫描件或照片 / the ballot's scan
        #[arg(long)]
        scan: PathBuf,
        #[arg(long, env = "ANJU_EVIDENCE_DIR", default_value = DEFAULT_EVIDENCE_DIR)]
        evidence_dir: PathBuf,
        #[arg(long)]
        by: Option<String>,
    },
    /// 计票并结束表决：自截止日起，或全部住户已投票时提前 / count and close the vote
    Close {
        /// 表决编号 / vote id
        #[arg(value_parser = vote_id)]
        id: VoteId,
        /// 计票日期（默认今天）/ the day of the count (default today)
        #[arg(long, value_parser = day)]
        on: Option<Date>,
        /// 版本号（anju vote show 显示）/ the version read
        #[arg(long)]
        version: i64,
        #[arg(long)]
        by: Option<String>,
    },
    /// 使用表决结果：选聘的记入“选定物业企业”，解聘的终止正在履行的合同 / record a carried
    /// choice of company on the path, or end the contract in force as a dismissal
    Apply {
        /// 表决编号 / vote id
        #[arg(value_parser = vote_id)]
        id: VoteId,
        #[arg(long)]
        by: Option<String>,
    },
}

/// What a ballot says, by its code or in Chinese.
fn choice(s: &str) -> Result<Choice, String> {
    let s = s.trim();
    match s {
        "选择" | "同意" => return Ok(Choice::ForOption),
        "反对" | "都不同意" => return Ok(Choice::Against),
        "弃权" => return Ok(Choice::Abstain),
        _ => {}
    }
    Choice::from_code(s).ok_or_else(|| {
        format!("“{s}”无法识别，应为 option（选择/同意）、against（反对）或 abstain（弃权）")
    })
}

/// A matter by its code or its Chinese name.
fn matter_of(s: &str, lang: Lang) -> anyhow::Result<Matter> {
    let s = s.trim();
    Matter::ALL
        .iter()
        .copied()
        .find(|m| m.code() == s || m.label(Lang::Zh) == s)
        .ok_or_else(|| {
            let zh: Vec<String> = Matter::ALL
                .iter()
                .map(|m| format!("{}（{}）", m.code(), m.label(Lang::Zh)))
                .collect();
            refuse(
                lang,
                format!(
                    "--matter（表决事项）：“{s}”无法识别，应为 {}",
                    zh.join("、")
                ),
                format!(
                    "--matter: unknown matter '{s}' ({})",
                    Matter::CODES.join(" | ")
                ),
            )
        })
}

fn m2(centi: i64) -> String {
    Area::from_centi(centi).display_m2()
}

/// "66.67 %" of `part` in `whole`.
fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".into();
    }
    anju_core::fees::percent_text(Decimal::from(part) / Decimal::from(whole))
}

fn dash(d: Option<Date>) -> String {
    d.map_or_else(|| "-".into(), |d| d.to_string())
}

fn summary_text(s: &RegisterSummary, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "已保存：新增 {} 户，更新 {} 户，未变 {} 户；名册共 {} 户，专有部分面积合计 {}",
            s.added,
            s.updated,
            s.unchanged,
            s.households,
            m2(s.area_centi)
        ),
        Lang::En => format!(
            "saved: {} added, {} updated, {} unchanged; {} households, {} in all",
            s.added,
            s.updated,
            s.unchanged,
            s.households,
            m2(s.area_centi)
        ),
    }
}

fn household_rows(list: &[Household], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("房号", "unit"),
            lang.pick("业主姓名", "owner"),
            lang.pick("专有部分面积", "area"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for h in list {
        rows.push(vec![
            h.id.to_string(),
            h.unit.clone(),
            h.owner_name.clone().unwrap_or_else(|| "-".into()),
            m2(h.area_centi),
            h.version.to_string(),
        ]);
    }
    rows
}

fn vote_rows(list: &[VoteRecord], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("表决事项", "matter"),
            lang.pick("状态", "status"),
            lang.pick("开始", "opens"),
            lang.pick("截止", "closes"),
            lang.pick("已投票", "voted"),
            lang.pick("计票", "counted"),
            lang.pick("结果", "result"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for v in list {
        rows.push(vec![
            v.id.to_string(),
            v.matter.label(lang).to_string(),
            v.status.label(lang).to_string(),
            v.opens_on.to_string(),
            v.closes_on.to_string(),
            format!("{} / {}", v.cast, v.owners),
            dash(v.closed_on),
            match (&v.result, v.carried_option) {
                (None, _) => "-".to_string(),
                (Some(_), Some(_)) => lang.pick("通过", "carried").to_string(),
                (Some(_), None) => lang.pick("未通过", "not carried").to_string(),
            },
            v.version.to_string(),
        ]);
    }
    rows
}

/// What the matter's majority is, in words.
fn majority_text(m: Matter, lang: Lang) -> &'static str {
    if m.needs_three_quarters() {
        lang.pick(
            "参与表决专有部分面积四分之三以上且参与表决人数四分之三以上同意",
            "3/4 of the participating area and of the participating owners agree",
        )
    } else {
        lang.pick(
            "参与表决专有部分面积过半数且参与表决人数过半数同意",
            "more than half of the participating area and owners agree",
        )
    }
}

/// The label of option `no` (同意 for a single-option vote).
fn option_label(v: &VoteRecord, no: u32, lang: Lang) -> String {
    if v.options.len() == 1 {
        return lang.pick("同意", "for").to_string();
    }
    v.options
        .iter()
        .find(|o| o.no == no)
        .map_or_else(String::new, |o| o.label.clone())
}

/// The count's lines (each option, 反对, 弃权) and the outcome.
fn print_count(v: &VoteRecord, c: &VoteCount, lang: Lang) {
    let share = |owners: u64, area: u64| {
        format!(
            "{} / {}",
            pct(owners, c.voted_owners),
            pct(area, c.voted_area_centi_m2)
        )
    };
    let mut rows = vec![
        [
            lang.pick("选项", "option"),
            lang.pick("户数", "households"),
            lang.pick("专有部分面积", "area"),
            lang.pick(
                "占参与表决（人数 / 面积）",
                "of participants (owners / area)",
            ),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for o in &c.options {
        rows.push(vec![
            format!("{}. {}", o.no, option_label(v, o.no, lang)),
            o.tally.yes_owners.to_string(),
            m2(o.tally.yes_area_centi_m2 as i64),
            share(o.tally.yes_owners, o.tally.yes_area_centi_m2),
        ]);
    }
    rows.push(vec![
        if v.options.len() == 1 {
            lang.pick("反对", "against")
        } else {
            lang.pick("都不同意", "none of them")
        }
        .to_string(),
        c.against_owners.to_string(),
        m2(c.against_area_centi_m2 as i64),
        share(c.against_owners, c.against_area_centi_m2),
    ]);
    rows.push(vec![
        lang.pick("弃权", "abstain").to_string(),
        c.abstain_owners.to_string(),
        m2(c.abstain_area_centi_m2 as i64),
        share(c.abstain_owners, c.abstain_area_centi_m2),
    ]);
    print!("{}", render_table(&rows));
    match c.carried {
        Some(_) if v.options.len() == 1 => {
            println!("{}", lang.pick("结果：表决通过", "result: carried"));
        }
        Some(no) => println!(
            "{}{}. {}",
            lang.pick("结果：表决通过，", "result: carried, "),
            no,
            option_label(v, no, lang)
        ),
        None => println!(
            "{}{}",
            lang.pick("结果：表决未通过：", "result: not carried: "),
            c.why_not(lang).unwrap_or_default()
        ),
    }
}

fn print_vote(v: &VoteRecord, lang: Lang) {
    let (o, a) = (v.owners.unsigned_abs(), v.area_centi.unsigned_abs());
    let (co, ca) = (v.cast.unsigned_abs(), v.cast_area_centi.unsigned_abs());
    match lang {
        Lang::Zh => {
            println!(
                "业主表决 {}：{} {}（{}）  {} 至 {}  版本 {}",
                v.id,
                v.compound,
                v.matter.label(lang),
                v.status.label(lang),
                v.opens_on,
                v.closes_on,
                v.version
            );
            println!("  表决事项：{}", v.question);
            println!("  业主名册：{o} 户，专有部分面积 {}", m2(v.area_centi));
            println!(
                "  已投票 {co} / {o} 户（{}），面积 {} / {}（{}）",
                pct(co, o),
                m2(v.cast_area_centi),
                m2(v.area_centi),
                pct(ca, a)
            );
            println!(
                "  通过条件：专有部分面积和人数均三分之二以上的业主参与表决，且{}",
                majority_text(v.matter, lang)
            );
        }
        Lang::En => {
            println!(
                "vote {}: {} {} ({})  {} to {}  version {}",
                v.id,
                v.compound,
                v.matter.label(lang),
                v.status.label(lang),
                v.opens_on,
                v.closes_on,
                v.version
            );
            println!("  question: {}", v.question);
            println!(
                "  register: {o} households, {} of exclusive area",
                m2(v.area_centi)
            );
            println!(
                "  voted {co} / {o} households ({}), area {} / {} ({})",
                pct(co, o),
                m2(v.cast_area_centi),
                m2(v.area_centi),
                pct(ca, a)
            );
            println!(
                "  to carry: 2/3 of the owners and of the area take part, and {}",
                majority_text(v.matter, lang)
            );
        }
    }
    if v.options.len() > 1 {
        let opts: Vec<String> = v
            .options
            .iter()
            .map(|o| format!("{}. {}", o.no, o.label))
            .collect();
        println!(
            "  {}{}",
            lang.pick("选项：", "options: "),
            opts.join(lang.pick("；", "; "))
        );
    }
    if let Some(b) = v.owners_body_id {
        println!(
            "  {}{b}",
            lang.pick("选举的业主组织：", "electing owners body ")
        );
    }
    if let (Some(on), Some(c)) = (v.closed_on, &v.result) {
        println!("  {}{on}", lang.pick("计票日期：", "counted on "));
        print_count(v, c, lang);
    }
    if let Some(n) = &v.applied_note {
        println!("{}{n}", lang.pick("已使用：", "used: "));
    }
}

fn print_detail(d: &VoteDetail, lang: Lang) {
    print_vote(&d.vote, lang);
    if !d.ballots.is_empty() {
        let mut rows = vec![
            [
                lang.pick("住户编号", "household"),
                lang.pick("房号", "unit"),
                lang.pick("专有部分面积", "area"),
                lang.pick("投票", "voted"),
                lang.pick("方式", "channel"),
                lang.pick("收到日期", "received"),
                lang.pick("录入人", "entered by"),
            ]
            .map(str::to_string)
            .to_vec(),
        ];
        for b in &d.ballots {
            rows.push(vec![
                b.household_id.to_string(),
                b.unit.clone(),
                m2(b.area_centi),
                if b.cast {
                    lang.pick("已投", "yes")
                } else {
                    lang.pick("未投", "no")
                }
                .to_string(),
                b.channel
                    .map_or_else(|| "-".to_string(), |c| c.label(lang).to_string()),
                dash(b.received_on),
                b.entered_by.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        print!("{}", render_table(&rows));
    }
    if let Some(why) = &d.close_blocked {
        println!("{}{why}", lang.pick("尚不能计票：", "not yet counted: "));
    }
    let mut may = Vec::new();
    if d.may_enter_paper {
        may.push(lang.pick(
            "录入纸质选票（anju vote paper）",
            "paper ballots (anju vote paper)",
        ));
    }
    if d.may_close {
        may.push(lang.pick("计票（anju vote close）", "count (anju vote close)"));
    }
    if d.may_apply {
        may.push(lang.pick(
            "记入全覆盖路径（anju vote apply）",
            "record on the path (anju vote apply)",
        ));
    }
    if !may.is_empty() {
        println!(
            "{}{}",
            lang.pick("可办理：", "next: "),
            may.join(lang.pick("、", ", "))
        );
    }
}

fn json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub fn run_household(c: HouseholdCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        household_cmd(&app, c, lang).await?;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn run_vote(c: VoteCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        vote_cmd(&app, c, lang).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Who the command acts as: an administrator, recorded as the street.
fn actor(by: Option<&str>, lang: Lang) -> Principal {
    principal(by, "street", lang)
}

async fn household_cmd(app: &App, c: HouseholdCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    match c {
        HouseholdCmd::List {
            compound,
            street,
            format,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let list = app.households(&who, CompoundId(c.id)).await?;
            if format == Format::Json {
                json(&list)?;
            } else if list.is_empty() {
                match lang {
                    Lang::Zh => println!(
                        "{} 还没有业主名册（anju household import 导入，或 anju household add 逐户登记）",
                        c.compound.name
                    ),
                    Lang::En => println!(
                        "{} has no register yet (anju household import, or anju household add)",
                        c.compound.name
                    ),
                }
            } else {
                print!("{}", render_table(&household_rows(&list, lang)));
                let area: i64 = list.iter().map(|h| h.area_centi).sum();
                match lang {
                    Lang::Zh => println!("共 {} 户，专有部分面积合计 {}", list.len(), m2(area)),
                    Lang::En => println!("{} households, {} in all", list.len(), m2(area)),
                }
            }
        }
        HouseholdCmd::Add {
            compound,
            street,
            unit,
            owner,
            area,
            by,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let s = app
                .add_household(
                    &actor(by.as_deref(), lang),
                    CompoundId(c.id),
                    HouseholdInput {
                        unit,
                        owner_name: owner,
                        area,
                    },
                )
                .await?;
            println!("{}", summary_text(&s, lang));
        }
        HouseholdCmd::Import {
            file,
            compound,
            street,
            by,
        } => {
            let kind = anju_sheets::FileKind::from_path(&file)
                .map_err(|e| anyhow::anyhow!(e.render(lang).trim_end().to_string()))?;
            let bytes = std::fs::read(&file).with_context(|| {
                format!(
                    "{} {}",
                    lang.pick("无法读取", "cannot read"),
                    file.display()
                )
            })?;
            let rows = anju_sheets::read_register_bytes(&bytes, kind)
                .map_err(|e| anyhow::anyhow!(e.render(lang).trim_end().to_string()))?;
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let s = app
                .import_households(&actor(by.as_deref(), lang), CompoundId(c.id), &rows)
                .await?;
            println!("{}", summary_text(&s, lang));
        }
    }
    Ok(())
}

async fn vote_cmd(app: &App, c: VoteCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    let today = app.today();
    let id = match c {
        VoteCmd::List {
            compound,
            street,
            format,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let list = app.votes(&who, CompoundId(c.id)).await?;
            if format == Format::Json {
                json(&list)?;
            } else if list.is_empty() {
                match lang {
                    Lang::Zh => {
                        println!("{} 还没有业主表决（anju vote open 发起）", c.compound.name)
                    }
                    Lang::En => println!("{} has no vote yet (anju vote open)", c.compound.name),
                }
            } else {
                print!("{}", render_table(&vote_rows(&list, lang)));
            }
            return Ok(());
        }
        VoteCmd::Show { id, json: as_json } => {
            let d = app.vote_detail(&who, id).await?;
            if as_json {
                json(&d)?;
            } else {
                print_detail(&d, lang);
            }
            return Ok(());
        }
        VoteCmd::Open {
            compound,
            street,
            matter,
            question,
            companies,
            body,
            opens_on,
            closes_on,
            by,
        } => {
            let matter = matter_of(&matter, lang)?;
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let v = app
                .open_vote(
                    &actor(by.as_deref(), lang),
                    VoteInput {
                        compound_id: CompoundId(c.id),
                        matter,
                        question,
                        owners_body_id: body.map(OwnersBodyId),
                        company_ids: companies,
                        opens_on,
                        closes_on,
                    },
                )
                .await?;
            v.id
        }
        VoteCmd::Paper {
            id,
            household,
            choice,
            option,
            received_on,
            scan,
            evidence_dir,
            by,
        } => {
            let who = actor(by.as_deref(), lang);
            // A single-option vote (同意) needs no option number.
            let option_no = match (choice, option) {
                (Choice::ForOption, None) => {
                    let v = app.vote_detail(&who, id).await?.vote;
                    if v.options.len() == 1 {
                        Some(1)
                    } else {
                        let nos: Vec<String> = v.options.iter().map(|o| o.no.to_string()).collect();
                        return Err(refuse(
                            lang,
                            format!(
                                "--option（选项）：请给出所选选项的编号（{}）",
                                nos.join("、")
                            ),
                            format!("--option: give the option chosen ({})", nos.join(", ")),
                        ));
                    }
                }
                (Choice::ForOption, o) => o,
                (_, _) => None,
            };
            // The scan first, through the application layer: a refused ballot loses no upload.
            let bytes = std::fs::read(&scan).with_context(|| {
                format!(
                    "{} {}",
                    lang.pick("--scan（选票扫描件）无法读取", "--scan: cannot read"),
                    scan.display()
                )
            })?;
            let name = scan
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let e = app
                .upload_evidence(&who, &EvidenceDir::new(&evidence_dir), &name, &bytes)
                .await?;
            let v = app
                .enter_paper_ballot(
                    &who,
                    id,
                    PaperBallotInput {
                        household_id: household,
                        choice,
                        option_no,
                        received_on,
                        evidence_sha: e.sha256,
                    },
                )
                .await?;
            v.id
        }
        VoteCmd::Close {
            id,
            on,
            version,
            by,
        } => {
            app.close_vote(
                &actor(by.as_deref(), lang),
                id,
                on.unwrap_or(today),
                version,
            )
            .await?
            .id
        }
        VoteCmd::Apply { id, by } => app.apply_vote(&actor(by.as_deref(), lang), id).await?.id,
    };
    print_vote(&app.vote_detail(&who, VoteId(id)).await?.vote, lang);
    Ok(())
}
