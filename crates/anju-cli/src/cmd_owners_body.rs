//! `anju owners-body …`: a compound's owners' bodies (业主委员会, 物业管理委员会, 环境和物业管理
//! 委员会; issue 19 item 1) — started (筹备, with the preparatory group), elected (the members
//! with their role, party membership and contact, citing the carried owners' vote when the
//! election was put to one), filed (备案: in office, and the body it succeeds ends that day,
//! 换届), ended (届满, with the reason), and members added.
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::owners_bodies`. The
//! command line acts as an administrator, recorded in the audit log as the street.

use crate::cmd_department::{day, refuse};
use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, find_compound, principal, render_table, runtime};
use anju_app::model::{NewBodyMember, OwnersBodyMember, OwnersBodyRecord};
use anju_app::owners_bodies::{OwnersBodyDetail, OwnersBodyInput, OwnersBodyStepInput};
use anju_app::{App, Principal};
use anju_core::ids::{BadId, CompoundId, OwnersBodyId, VoteId};
use anju_core::owners_body::{BodyRole, BodyStep};
use anju_core::{Lang, OwnersBody};
use clap::Subcommand;
use jiff::civil::Date;
use std::process::ExitCode;

/// An id argument read with its refusal in Chinese (the default language), naming the record.
fn id(s: &str) -> Result<OwnersBodyId, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

/// A vote id argument, likewise.
fn vote_id(s: &str) -> Result<VoteId, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

#[derive(Subcommand)]
pub enum OwnersBodyCmd {
    /// 列出小区的业主组织（最近的在前）/ a compound's owners' bodies, latest first
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
    /// 查看一个业主组织：任期、换届提醒与成员 / one body with its term and members
    Show {
        /// 业主组织编号 / owners body id
        #[arg(value_parser = id)]
        id: OwnersBodyId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 成立筹备组（筹备）/ start a body: its preparatory group
    Start {
        /// 小区编号或名称 / compound id or name
        #[arg(long)]
        compound: String,
        /// 所属街道（小区重名时）/ the street, when compound names repeat
        #[arg(long)]
        street: Option<String>,
        /// owners_committee（业主委员会）| management_committee（物业管理委员会）|
        /// environment_committee（环境和物业管理委员会）
        #[arg(long)]
        kind: String,
        /// 筹备组成立日期（默认今天）/ the day the preparatory group was set up (default today)
        #[arg(long, value_parser = day)]
        prepared_on: Option<Date>,
        /// 任期（年，1–5；默认 5）/ the term in years (1–5, default 5)
        #[arg(long)]
        term_years: Option<u32>,
        /// 筹备组成员姓名（可重复）/ a member of the preparatory group, repeatable
        #[arg(long = "preparer")]
        preparers: Vec<String>,
        /// 备注 / a note
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 选举：登记当选成员（须有一名主任）/ record the election with the members elected
    Elect {
        #[command(flatten)]
        step: StepArgs,
        /// 当选成员“角色:姓名[:party][:联系方式]”（可重复；角色 chair 主任 | vice_chair 副主任 |
        /// member 委员 | alternate 候补委员；party 或“党员”表示中共党员），如
        /// chair:王业主:party:13900000000 / a member elected, repeatable
        #[arg(long = "member", required = true)]
        members: Vec<String>,
        /// 选举所依据的业主表决编号（该业主组织的选举已交业主表决时必填，须已计票通过）/ the
        /// carried owners' vote that elected the body (required when the election was put to
        /// a vote)
        #[arg(long, value_parser = vote_id)]
        vote: Option<VoteId>,
    },
    /// 备案：自备案之日起在任，前一届同日届满（换届）/ file: in office; the predecessor ends
    File {
        #[command(flatten)]
        step: StepArgs,
    },
    /// 届满：须写明原因（--note）/ end the body, with the reason (--note)
    End {
        #[command(flatten)]
        step: StepArgs,
    },
    /// 增加成员（加入日期为 --on）/ add members, joining on --on
    Members {
        #[command(flatten)]
        step: StepArgs,
        /// 成员“角色:姓名[:party][:联系方式]”（可重复；另可用 preparer 筹备组成员）/ a member,
        /// repeatable
        #[arg(long = "member", required = true)]
        members: Vec<String>,
    },
}

#[derive(clap::Args)]
pub struct StepArgs {
    /// 业主组织编号 / owners body id
    #[arg(value_parser = id)]
    id: OwnersBodyId,
    /// 版本号（anju owners-body list / show 显示）/ the version read
    #[arg(long)]
    version: i64,
    /// 办理日期（默认今天）/ the day of the step (default today)
    #[arg(long, value_parser = day)]
    on: Option<Date>,
    /// 届满：原因（必填）；其他：备注 / end: the reason (required); otherwise a note
    #[arg(long)]
    note: Option<String>,
    #[arg(long)]
    by: Option<String>,
}

/// A body's kind by its code or its Chinese name.
fn kind_of(s: &str, lang: Lang) -> anyhow::Result<OwnersBody> {
    let s = s.trim();
    let kinds = App::owners_body_kinds();
    kinds
        .iter()
        .copied()
        .find(|k| k.code() == s || k.zh() == s)
        .ok_or_else(|| {
            let zh: Vec<String> = kinds
                .iter()
                .map(|k| format!("{}（{}）", k.code(), k.zh()))
                .collect();
            let en: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
            refuse(
                lang,
                format!("--kind（组织类型）：“{s}”无法识别，应为 {}", zh.join("、")),
                format!("--kind: unknown kind '{s}' ({})", en.join(" | ")),
            )
        })
}

/// A member `ROLE:NAME[:party][:CONTACT]`, joining on `on`.
fn parse_member(s: &str, on: Date, lang: Lang) -> anyhow::Result<NewBodyMember> {
    let parts: Vec<&str> = s.split([':', '：']).map(str::trim).collect();
    let (role, name, rest) = match parts.as_slice() {
        [role, name, rest @ ..] if rest.len() <= 2 && !name.is_empty() => (*role, *name, rest),
        _ => {
            return Err(refuse(
                lang,
                format!(
                    "--member（成员）：“{s}”应写作“角色:姓名[:party][:联系方式]”，如 chair:王业主:party:13900000000"
                ),
                format!("--member: '{s}' must be ROLE:NAME[:party][:CONTACT]"),
            ));
        }
    };
    let role = BodyRole::ALL
        .iter()
        .copied()
        .find(|r| r.code() == role || r.label(Lang::Zh) == role)
        .ok_or_else(|| {
            let zh: Vec<String> = BodyRole::ALL
                .iter()
                .map(|r| format!("{}（{}）", r.code(), r.label(Lang::Zh)))
                .collect();
            refuse(
                lang,
                format!("--member（角色）：“{role}”无法识别，应为 {}", zh.join("、")),
                format!(
                    "--member: unknown role '{role}' ({})",
                    BodyRole::CODES.join(" | ")
                ),
            )
        })?;
    let party = |p: &str| matches!(p, "party" | "党员" | "中共党员");
    let (party_member, contact) = match rest {
        [] => (false, ""),
        [p] if party(p) => (true, ""),
        [c] => (false, *c),
        [p, c] if party(p) => (true, *c),
        _ => {
            return Err(refuse(
                lang,
                format!("--member（成员）：“{s}”的第三项应为 party（党员），联系方式写在最后"),
                format!("--member: in '{s}' the third part must be 'party', the contact last"),
            ));
        }
    };
    Ok(App::body_member(name, role, party_member, contact, "", on))
}

fn dash(d: Option<Date>) -> String {
    d.map_or_else(|| "-".into(), |d| d.to_string())
}

fn body_rows(list: &[OwnersBodyRecord], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("组织类型", "kind"),
            lang.pick("状态", "status"),
            lang.pick("筹备", "prepared"),
            lang.pick("选举", "elected"),
            lang.pick("备案", "filed"),
            lang.pick("任期至", "term ends"),
            lang.pick("届满", "ended"),
            lang.pick("成员", "members"),
            lang.pick("党员", "party"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for b in list {
        rows.push(vec![
            b.id.to_string(),
            lang.pick(b.kind.zh(), b.kind.en()).to_string(),
            b.status.label(lang).to_string(),
            b.prepared_on.to_string(),
            dash(b.elected_on),
            dash(b.filed_on),
            dash(b.term_last_day),
            dash(b.ended_on),
            b.members.to_string(),
            b.party_members.to_string(),
            b.version.to_string(),
        ]);
    }
    rows
}

fn print_body(b: &OwnersBodyRecord, lang: Lang) {
    let kind = lang.pick(b.kind.zh(), b.kind.en());
    match lang {
        Lang::Zh => println!(
            "业主组织 {}：{} {}（{}）  筹备 {}  任期 {} 年  成员 {} 名（党员 {} 名）  版本 {}",
            b.id,
            b.compound,
            kind,
            b.status.label(lang),
            b.prepared_on,
            b.term_years,
            b.members,
            b.party_members,
            b.version
        ),
        Lang::En => println!(
            "owners body {}: {} {} ({})  prepared {}  term {} years  {} member(s) ({} party)  version {}",
            b.id,
            b.compound,
            kind,
            b.status.label(lang),
            b.prepared_on,
            b.term_years,
            b.members,
            b.party_members,
            b.version
        ),
    }
    if let Some(on) = b.elected_on {
        println!(
            "  {} {on}{}",
            lang.pick("选举", "elected"),
            b.term_last_day
                .map(|t| format!("{}{t}", lang.pick("，任期至 ", ", term ends ")))
                .unwrap_or_default()
        );
    }
    if let Some(on) = b.filed_on {
        println!("  {} {on}", lang.pick("备案", "filed"));
    }
    if let Some(on) = b.ended_on {
        println!(
            "  {} {on}（{}）",
            lang.pick("届满", "ended"),
            b.end_reason.as_deref().unwrap_or("")
        );
    }
    if let Some(p) = b.predecessor_id {
        println!("  {} {p}", lang.pick("前一届：业主组织", "succeeds body"));
    }
    if let Some(n) = &b.note {
        println!("  {}{n}", lang.pick("备注：", "note: "));
    }
}

fn member_rows(list: &[OwnersBodyMember], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("角色", "role"),
            lang.pick("姓名", "name"),
            lang.pick("党员", "party"),
            lang.pick("联系方式", "contact"),
            lang.pick("职责", "duties"),
            lang.pick("加入", "joined"),
            lang.pick("离任", "left"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for m in list {
        rows.push(vec![
            m.role.label(lang).to_string(),
            m.name.clone(),
            if m.party_member {
                lang.pick("是", "yes")
            } else {
                "-"
            }
            .to_string(),
            m.contact.clone().unwrap_or_else(|| "-".into()),
            m.duties.clone().unwrap_or_else(|| "-".into()),
            m.joined_on.to_string(),
            dash(m.left_on),
        ]);
    }
    rows
}

fn print_detail(d: &OwnersBodyDetail, lang: Lang) {
    print_body(&d.body, lang);
    if let Some(n) = d.renewal_days {
        match (lang, n >= 0) {
            (Lang::Zh, true) => println!("  任期还剩 {n} 天届满，请组织换届选举"),
            (Lang::Zh, false) => println!("  任期已届满 {} 天，尚未换届", -n),
            (Lang::En, true) => println!("  {n} days left in the term: organise the next election"),
            (Lang::En, false) => println!("  the term ended {} days ago; no successor filed", -n),
        }
    }
    if d.members.is_empty() {
        println!("{}", lang.pick("（尚无成员）", "(no members)"));
    } else {
        print!("{}", render_table(&member_rows(&d.members, lang)));
    }
    if !d.may.is_empty() {
        let steps: Vec<&str> = d.may.iter().map(|s| s.label(lang)).collect();
        println!(
            "{}{}",
            lang.pick("可办理：", "next: "),
            steps.join(lang.pick("、", ", "))
        );
    }
}

fn json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub fn run(c: OwnersBodyCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        run_cmd(&app, c, lang).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Who the command acts as: an administrator, recorded as the street.
fn actor(by: Option<&str>, lang: Lang) -> Principal {
    principal(by, "street", lang)
}

async fn run_cmd(app: &App, c: OwnersBodyCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    let today = app.today();
    let (step, a, members, vote) = match c {
        OwnersBodyCmd::List {
            compound,
            street,
            format,
        } => {
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let list = app.owners_bodies(&who, CompoundId(c.id)).await?;
            if format == Format::Json {
                json(&list)?;
            } else if list.is_empty() {
                match lang {
                    Lang::Zh => println!(
                        "{} 还没有业主组织（anju owners-body start 成立筹备组）",
                        c.compound.name
                    ),
                    Lang::En => println!(
                        "{} has no owners' body yet (anju owners-body start)",
                        c.compound.name
                    ),
                }
            } else {
                print!("{}", render_table(&body_rows(&list, lang)));
            }
            return Ok(());
        }
        OwnersBodyCmd::Show { id, format } => {
            let d = app.owners_body_detail(&who, id).await?;
            if format == Format::Json {
                json(&d)?;
            } else {
                print_detail(&d, lang);
            }
            return Ok(());
        }
        OwnersBodyCmd::Start {
            compound,
            street,
            kind,
            prepared_on,
            term_years,
            preparers,
            note,
            by,
        } => {
            let kind = kind_of(&kind, lang)?;
            let c = find_compound(app, &compound, street.as_deref(), lang).await?;
            let b = app
                .start_owners_body(
                    &actor(by.as_deref(), lang),
                    OwnersBodyInput {
                        compound_id: CompoundId(c.id),
                        kind,
                        prepared_on: prepared_on.unwrap_or(today),
                        term_years,
                        note,
                        preparers,
                    },
                )
                .await?;
            print_detail(
                &app.owners_body_detail(&who, OwnersBodyId(b.id)).await?,
                lang,
            );
            return Ok(());
        }
        OwnersBodyCmd::Members { step, members } => {
            let on = step.on.unwrap_or(today);
            let members = members
                .iter()
                .map(|m| parse_member(m, on, lang))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let b = app
                .add_owners_body_members(
                    &actor(step.by.as_deref(), lang),
                    step.id,
                    step.version,
                    on,
                    members,
                )
                .await?;
            print_detail(
                &app.owners_body_detail(&who, OwnersBodyId(b.id)).await?,
                lang,
            );
            return Ok(());
        }
        OwnersBodyCmd::Elect {
            step,
            members,
            vote,
        } => (BodyStep::Elect, step, members, vote),
        OwnersBodyCmd::File { step } => (BodyStep::File, step, Vec::new(), None),
        OwnersBodyCmd::End { step } => (BodyStep::End, step, Vec::new(), None),
    };
    let on = a.on.unwrap_or(today);
    let members = members
        .iter()
        .map(|m| parse_member(m, on, lang))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let b = app
        .owners_body_step(
            &actor(a.by.as_deref(), lang),
            a.id,
            OwnersBodyStepInput {
                step,
                on,
                note: a.note,
                members,
                vote_id: vote,
                version: a.version,
            },
        )
        .await?;
    print_detail(
        &app.owners_body_detail(&who, OwnersBodyId(b.id)).await?,
        lang,
    );
    // 换届: the body this one succeeds, ended by this filing.
    if step == BodyStep::File
        && let Some(p) = b.predecessor_id
    {
        let before = app.owners_body_detail(&who, OwnersBodyId(p)).await?;
        if before.body.ended_on == Some(on) {
            print_body(&before.body, lang);
        }
    }
    Ok(())
}
