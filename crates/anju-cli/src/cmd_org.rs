//! `anju org …`: the programme's own organisation (issue 18 item 3) — leading groups, 专班 and
//! 联席会议 with their members (a roster pasted from the document, seed 003 附件1/2), meetings
//! with their decisions, 通报 and 约谈, and the 交办事项 both hand out (报结, 销号, 退回).
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::organisation`. The
//! command line acts as an administrator, who may take every step of an assignment: the named
//! unit's 报结 as well as the issuing side's 销号 and 退回.

use crate::cmd_department::{day, refuse};
use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, principal, render_table, runtime};
use anju_app::companies::CompanyQuery;
use anju_app::model::{
    Assignment, Censure, Meeting, NewDecision, NewMember, OrgGroup, OrgMember, Region, Unit,
};
use anju_app::organisation::{
    AssignmentDetail, AssignmentStepInput, CensureInput, GroupInput, MeetingInput,
};
use anju_app::{App, Principal};
use anju_core::ids::{AssignmentId, BadId, CensureId, GroupId, MeetingId};
use anju_core::organisation::{
    AssignmentStep, CensureKind, GroupKind, MeetingKind, MemberRole, UnitKind,
};
use anju_core::{Lang, RegionLevel};
use anyhow::Context;
use clap::Subcommand;
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// An id flag read with its refusal in Chinese (the default language), naming the record.
fn id<T: std::str::FromStr<Err = BadId>>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e: BadId| e.message(Lang::Zh))
}

#[derive(Subcommand)]
pub enum OrgCmd {
    /// 领导小组、工作专班、联席会议及其成员 / leading groups, task forces and joint meetings
    #[command(subcommand)]
    Group(GroupCmd),
    /// 会议：参会人员、纪要、决定事项 / meetings with their minutes and decisions
    #[command(subcommand)]
    Meeting(MeetingCmd),
    /// 通报（表扬、批评）与约谈 / commendations, public criticism and admonitory talks
    #[command(subcommand)]
    Censure(CensureCmd),
    /// 交办事项：报结、销号、退回重办 / assignments: report done, close, send back
    #[command(subcommand)]
    Assignment(AssignmentCmd),
}

#[derive(Subcommand)]
pub enum GroupCmd {
    /// 成立工作机构：逐一填写成员（--member），或读取文件所附名单（--roster-file）/ set up a
    /// body, its members typed (--member) or read from the document's roster (--roster-file)
    Add {
        /// 所属地区（区、街道或社区）名称或编号 / the region (district, street or community)
        #[arg(long)]
        region: String,
        /// leading_group（领导小组）| task_force（工作专班）| joint_meeting（联席会议）
        #[arg(long)]
        kind: String,
        /// 名称 / the body's name (山亭区物业管理全覆盖工作专班)
        #[arg(long)]
        name: String,
        /// 成立日期 / the day it was set up
        #[arg(long, value_parser = day)]
        established_on: Date,
        /// 办公室设在（名单写明时可不填）/ where its office sits (read from the roster when
        /// it says so)
        #[arg(long)]
        office: Option<String>,
        /// 成立文件文号 / the founding document's number
        #[arg(long)]
        document: Option<String>,
        /// 名单文件：从文件中复制的成员名单（组长：… 成员：…），UTF-8 文本 / a text file
        /// with the roster as the document prints it
        #[arg(long)]
        roster_file: Option<PathBuf>,
        /// 成员“角色:姓名:职务”（可重复；角色 head 组长 | deputy 副组长 | member 成员 |
        /// office_head 办公室主任 | office_deputy 办公室副主任）/ a member, repeatable
        #[arg(long = "member")]
        members: Vec<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 列出工作机构 / list the bodies
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 查看一个工作机构：成员与会议 / one body with its members and meetings
    Show {
        #[arg(value_parser = id::<GroupId>)]
        id: GroupId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 增补成员：名单文件（--roster-file，须 --joined-on）或逐一填写（--member）/ add members
    Members {
        #[arg(value_parser = id::<GroupId>)]
        id: GroupId,
        /// 机构版本号（anju org group list 显示）/ the version read
        #[arg(long)]
        version: i64,
        /// 名单文件 / a roster file
        #[arg(long)]
        roster_file: Option<PathBuf>,
        /// 成员“角色:姓名:职务”（可重复）/ a member, repeatable
        #[arg(long = "member")]
        members: Vec<String>,
        /// 加入日期 / the day they joined
        #[arg(long, value_parser = day)]
        joined_on: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 成员离任 / a member leaves the body
    Leave {
        #[arg(value_parser = id::<GroupId>)]
        id: GroupId,
        /// 成员编号（anju org group show 显示）/ the member's id
        #[arg(long)]
        member: i64,
        /// 机构版本号 / the version read
        #[arg(long)]
        version: i64,
        /// 离任日期 / the day they left
        #[arg(long, value_parser = day)]
        on: Date,
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum MeetingCmd {
    /// 登记会议及其决定事项 / record a meeting and hand out its decisions
    Add {
        /// 召开会议的地区名称或编号 / the region holding it
        #[arg(long)]
        region: String,
        /// 所属工作机构编号 / the body whose meeting it is
        #[arg(long, value_parser = id::<GroupId>)]
        group: Option<GroupId>,
        /// dispatch（调度会）| joint（联席会议）| group（领导小组会议）| task_force（专班会议）|
        /// mobilise（动员部署会）| other（其他会议）
        #[arg(long)]
        kind: String,
        /// 会议名称 / the meeting's title
        #[arg(long)]
        title: String,
        /// 会议日期 / the day it was held
        #[arg(long, value_parser = day)]
        on: Date,
        /// 地点 / where
        #[arg(long)]
        place: Option<String>,
        /// 参会人员（以“、”分隔）/ who attended
        #[arg(long)]
        attendees: String,
        /// 会议纪要 / the minutes
        #[arg(long, required_unless_present = "minutes_file")]
        minutes: Option<String>,
        /// 会议纪要文件（UTF-8 文本）/ the minutes from a text file
        #[arg(long, conflicts_with = "minutes")]
        minutes_file: Option<PathBuf>,
        /// 决定事项“单位类型:单位编号或名称:完成时限:内容”（可重复；单位类型 region |
        /// department | company），如 region:山城街道:2026-12-31:完成摸底 / a decision, repeatable
        #[arg(long = "decision")]
        decisions: Vec<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 列出会议（最近的在前）/ list meetings, latest first
    List {
        /// 会议日期自 / held on or after
        #[arg(long, value_parser = day)]
        from: Option<Date>,
        /// 会议日期至 / held on or before
        #[arg(long, value_parser = day)]
        to: Option<Date>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 查看一次会议及其决定事项 / one meeting with its decisions
    Show {
        #[arg(value_parser = id::<MeetingId>)]
        id: MeetingId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 为已登记的会议补充决定事项（交办日期为今天）/ hand out one more decision, dated today
    Decide {
        #[arg(value_parser = id::<MeetingId>)]
        id: MeetingId,
        /// “单位类型:单位编号或名称:完成时限:内容”（可重复）/ a decision, repeatable
        #[arg(long = "decision", required = true)]
        decisions: Vec<String>,
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CensureCmd {
    /// 登记通报或约谈，可附整改要求 / record a censure, with its follow-up
    Add {
        /// 通报单位所在地区名称或编号 / the region issuing it
        #[arg(long)]
        region: String,
        /// praise（通报表扬）| criticism（通报批评）| interview（约谈）
        #[arg(long)]
        kind: String,
        /// 被通报单位“单位类型:单位编号或名称”，如 company:奈曼旗安泰物业服务有限公司 / the unit
        #[arg(long)]
        unit: String,
        /// 通报日期 / the day
        #[arg(long, value_parser = day)]
        on: Date,
        /// 事由 / the reason
        #[arg(long)]
        reason: String,
        /// 文号 / the document's number
        #[arg(long)]
        document: Option<String>,
        /// 约谈对象（约谈）/ who was talked to
        #[arg(long)]
        interviewee: Option<String>,
        /// 整改要求（通报批评、约谈）/ the follow-up required
        #[arg(long)]
        follow_up: Option<String>,
        /// 整改时限 / the follow-up's deadline
        #[arg(long, value_parser = day)]
        deadline: Option<Date>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 列出通报与约谈（最近的在前）/ list censures, latest first
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 查看一次通报或约谈及其整改要求 / one censure with its follow-up
    Show {
        #[arg(value_parser = id::<CensureId>)]
        id: CensureId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand)]
pub enum AssignmentCmd {
    /// 列出交办事项（按完成时限）/ list assignments, by deadline
    List {
        /// 只列交由本单位办理的 / only those of the reader's own unit
        #[arg(long)]
        mine: bool,
        /// 只列未报结的（办理中、退回重办）/ only those not reported done
        #[arg(long)]
        open: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 查看一件交办事项及其办理经过 / one assignment with its steps
    Show {
        #[arg(value_parser = id::<AssignmentId>)]
        id: AssignmentId,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 报结：责任单位报告办理结果（--note 必填）/ report done, with the result
    Report(StepArgs),
    /// 销号（交办方）/ close (the issuing side)
    Close(StepArgs),
    /// 退回重办（交办方，--note 写明理由）/ send back (the issuing side), with the reason
    Return(StepArgs),
}

#[derive(clap::Args)]
pub struct StepArgs {
    /// 交办事项编号 / assignment id
    #[arg(value_parser = id::<AssignmentId>)]
    id: AssignmentId,
    /// 事项版本号（anju org assignment list 显示）/ the version read
    #[arg(long)]
    version: i64,
    /// 办理日期 / the day of the step
    #[arg(long, value_parser = day)]
    on: Date,
    /// 报结：办理结果（必填）；退回：理由（必填）；销号：备注 / the result, the reason or a note
    #[arg(long)]
    note: Option<String>,
    #[arg(long)]
    by: Option<String>,
}

/// A code of `all` by its code or its Chinese label; refused naming `flag` and the choices.
fn code_of<T: Copy>(
    s: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    flag: &str,
    lang: Lang,
) -> anyhow::Result<T> {
    let s = s.trim();
    all.iter()
        .copied()
        .find(|t| code(*t) == s || label(*t, Lang::Zh) == s)
        .ok_or_else(|| {
            let zh: Vec<String> = all
                .iter()
                .map(|t| format!("{}（{}）", code(*t), label(*t, Lang::Zh)))
                .collect();
            let en: Vec<&str> = all.iter().map(|t| code(*t)).collect();
            refuse(
                lang,
                format!("{flag}：“{s}”无法识别，应为 {}", zh.join("、")),
                format!("{flag}: unknown value '{s}' ({})", en.join(" | ")),
            )
        })
}

/// A region by id or exact name (refusals name `flag`); a district wins over a street or
/// community of the same name.
async fn find_region(app: &App, who: &Principal, key: &str, flag: &str) -> anyhow::Result<Region> {
    let lang = who.lang;
    let key = key.trim();
    let regions = app.regions(who).await?;
    let found: Vec<&Region> = match key.parse::<i64>() {
        Ok(n) => regions.iter().filter(|r| r.id == n).collect(),
        Err(_) => regions.iter().filter(|r| r.name == key).collect(),
    };
    let rank = |r: &Region| match r.level {
        RegionLevel::City => 0,
        RegionLevel::District => 1,
        RegionLevel::Street => 2,
        RegionLevel::Community => 3,
    };
    let best = found.iter().map(|r| rank(r)).min();
    let found: Vec<&Region> = found
        .into_iter()
        .filter(|r| Some(rank(r)) == best)
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(refuse(
            lang,
            format!("{flag}（地区）：找不到“{key}”（请写区、街道或社区的名称或编号）"),
            format!("{flag}: no region '{key}'"),
        )),
        many => Err(refuse(
            lang,
            format!(
                "{flag}（地区）：有 {} 个名为“{key}”的地区，请改用编号",
                many.len()
            ),
            format!(
                "{flag}: {} regions are named '{key}'; give the id",
                many.len()
            ),
        )),
    }
}

/// A unit `KIND:ID_OR_NAME` (`region:山城街道`, `department:12`, `company:…`).
async fn find_unit(
    app: &App,
    who: &Principal,
    kind: &str,
    key: &str,
    flag: &str,
) -> anyhow::Result<Unit> {
    let lang = who.lang;
    let kind = code_of(
        kind,
        UnitKind::ALL,
        UnitKind::code,
        UnitKind::label,
        flag,
        lang,
    )
    .or_else(|_| match kind.trim() {
        "street" | "community" | "district" | "街道" | "社区" | "区" => Ok(UnitKind::Region),
        _ => Err(refuse(
            lang,
            format!("{flag}：单位类型“{kind}”无法识别，应为 region（街道、社区或区）、department（职能部门）或 company（物业企业）"),
            format!("{flag}: unknown unit kind '{kind}' (region | department | company)"),
        )),
    })?;
    let key = key.trim();
    let by_id = key.parse::<i64>().ok();
    let found: Vec<i64> = match kind {
        UnitKind::Region => {
            return Ok(Unit {
                kind,
                id: find_region(app, who, key, flag).await?.id,
            });
        }
        UnitKind::Department => app
            .departments(who)
            .await?
            .into_iter()
            .filter(|d| by_id == Some(d.id) || d.name == key)
            .map(|d| d.id)
            .collect(),
        UnitKind::Company => app
            .companies(
                who,
                CompanyQuery {
                    include_archived: true,
                    ..CompanyQuery::default()
                },
            )
            .await?
            .companies
            .into_iter()
            .filter(|c| by_id == Some(c.company.id) || c.company.name == key)
            .map(|c| c.company.id)
            .collect(),
    };
    let what = kind.label(Lang::Zh);
    match found.as_slice() {
        [one] => Ok(Unit { kind, id: *one }),
        [] => Err(refuse(
            lang,
            format!("{flag}：找不到{what}“{key}”"),
            format!("{flag}: no {} '{key}'", kind.label(Lang::En)),
        )),
        many => Err(refuse(
            lang,
            format!(
                "{flag}：有 {} 个名为“{key}”的{what}，请改用编号",
                many.len()
            ),
            format!("{flag}: {} are named '{key}'; give the id", many.len()),
        )),
    }
}

/// A decision `KIND:UNIT:DEADLINE:TEXT`.
async fn parse_decision(app: &App, who: &Principal, s: &str) -> anyhow::Result<NewDecision> {
    let lang = who.lang;
    let parts: Vec<&str> = s.splitn(4, [':', '：']).collect();
    let [kind, unit, deadline, text] = parts.as_slice() else {
        return Err(refuse(
            lang,
            format!(
                "--decision（决定事项）：“{s}”应写作“单位类型:单位编号或名称:完成时限:内容”，如 region:山城街道:2026-12-31:完成摸底"
            ),
            format!("--decision: '{s}' must be KIND:UNIT:DEADLINE:TEXT"),
        ));
    };
    let deadline = day(deadline).map_err(|e| {
        refuse(
            lang,
            format!("--decision（完成时限）：{e}"),
            format!("--decision: the deadline '{deadline}' is not a date (YYYY-MM-DD)"),
        )
    })?;
    Ok(NewDecision {
        unit: find_unit(app, who, kind, unit, "--decision").await?,
        text: text.to_string(),
        deadline,
    })
}

/// A member `ROLE:NAME[:POSITION]`, joining on `joined_on`.
fn parse_member(s: &str, joined_on: Date, lang: Lang) -> anyhow::Result<NewMember> {
    let parts: Vec<&str> = s.splitn(3, [':', '：']).collect();
    let (role, name, position) = match parts.as_slice() {
        [role, name] => (*role, *name, ""),
        [role, name, position] => (*role, *name, *position),
        _ => {
            return Err(refuse(
                lang,
                format!(
                    "--member（成员）：“{s}”应写作“角色:姓名:职务”，如 head:李明智:区政府副区长"
                ),
                format!("--member: '{s}' must be ROLE:NAME[:POSITION]"),
            ));
        }
    };
    Ok(NewMember {
        name: name.trim().to_string(),
        position: position.trim().to_string(),
        role: code_of(
            role,
            MemberRole::ALL,
            MemberRole::code,
            MemberRole::label,
            "--member（角色）",
            lang,
        )?,
        department_id: None,
        joined_on,
    })
}

fn read_text(path: &Path, flag: &str, lang: Lang) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| {
        format!(
            "{flag}{} {}",
            lang.pick("：无法读取", ": cannot read"),
            path.display()
        )
    })
}

fn group_rows(list: &[OrgGroup], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("名称", "name"),
            lang.pick("类型", "kind"),
            lang.pick("地区", "region"),
            lang.pick("成立日期", "established"),
            lang.pick("现任成员", "members"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for g in list {
        rows.push(vec![
            g.id.to_string(),
            g.name.clone(),
            g.kind.label(lang).to_string(),
            g.region.clone(),
            g.established_on.to_string(),
            g.members.to_string(),
            g.version.to_string(),
        ]);
    }
    rows
}

fn print_group(g: &OrgGroup, lang: Lang) {
    match lang {
        Lang::Zh => println!(
            "工作机构 {}：{}（{}，{}）  成立 {}  现任成员 {} 名  版本 {}",
            g.id,
            g.name,
            g.kind.label(lang),
            g.region,
            g.established_on,
            g.members,
            g.version
        ),
        Lang::En => println!(
            "group {}: {} ({}, {})  established {}  {} current member(s)  version {}",
            g.id,
            g.name,
            g.kind.label(lang),
            g.region,
            g.established_on,
            g.members,
            g.version
        ),
    }
    if let Some(o) = &g.office {
        println!("  {}{o}", lang.pick("办公室设在", "office: "));
    }
    if let Some(d) = &g.document {
        println!("  {}{d}", lang.pick("成立文件：", "document: "));
    }
}

fn member_rows(list: &[OrgMember], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("角色", "role"),
            lang.pick("姓名", "name"),
            lang.pick("职务", "position"),
            lang.pick("加入", "joined"),
            lang.pick("离任", "left"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for m in list {
        rows.push(vec![
            m.id.to_string(),
            m.role.label(lang).to_string(),
            m.name.clone(),
            if m.position.is_empty() {
                "-".into()
            } else {
                m.position.clone()
            },
            m.joined_on.to_string(),
            m.left_on.map_or_else(|| "-".into(), |d| d.to_string()),
        ]);
    }
    rows
}

fn meeting_rows(list: &[Meeting], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("会议", "meeting"),
            lang.pick("类型", "kind"),
            lang.pick("地区", "region"),
            lang.pick("会议日期", "held"),
            lang.pick("决定事项", "decisions"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for m in list {
        rows.push(vec![
            m.id.to_string(),
            m.title.clone(),
            m.kind.label(lang).to_string(),
            m.region.clone(),
            m.held_on.to_string(),
            m.decisions.to_string(),
        ]);
    }
    rows
}

fn print_meeting(m: &Meeting, lang: Lang) {
    match lang {
        Lang::Zh => println!(
            "会议 {}：{}（{}，{}）  会议日期 {}  决定事项 {} 项",
            m.id,
            m.title,
            m.kind.label(lang),
            m.region,
            m.held_on,
            m.decisions
        ),
        Lang::En => println!(
            "meeting {}: {} ({}, {})  held {}  {} decision(s)",
            m.id,
            m.title,
            m.kind.label(lang),
            m.region,
            m.held_on,
            m.decisions
        ),
    }
    if let Some(g) = &m.group {
        println!("  {}{g}", lang.pick("工作机构：", "group: "));
    }
    if let Some(p) = &m.place {
        println!("  {}{p}", lang.pick("地点：", "place: "));
    }
    println!("  {}{}", lang.pick("参会人员：", "attended: "), m.attendees);
}

fn censure_rows(list: &[Censure], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("类型", "kind"),
            lang.pick("被通报单位", "unit"),
            lang.pick("地区", "region"),
            lang.pick("日期", "day"),
            lang.pick("整改要求", "follow-ups"),
            lang.pick("事由", "reason"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for c in list {
        rows.push(vec![
            c.id.to_string(),
            c.kind.label(lang).to_string(),
            c.unit_name.clone(),
            c.region.clone(),
            c.on_day.to_string(),
            c.follow_ups.to_string(),
            c.reason.chars().take(30).collect(),
        ]);
    }
    rows
}

fn print_censure(c: &Censure, lang: Lang) {
    match lang {
        Lang::Zh => println!(
            "{} {}：{}（{}）  {}  {}",
            c.kind.label(lang),
            c.id,
            c.unit_name,
            c.region,
            c.on_day,
            c.reason
        ),
        Lang::En => println!(
            "{} {}: {} ({})  {}  {}",
            c.kind.label(lang),
            c.id,
            c.unit_name,
            c.region,
            c.on_day,
            c.reason
        ),
    }
    if let Some(d) = &c.document {
        println!("  {}{d}", lang.pick("文号：", "document: "));
    }
    if let Some(i) = &c.interviewee {
        println!("  {}{i}", lang.pick("约谈对象：", "talked to: "));
    }
}

/// The status as read on `as_of`, with 逾期 when past the deadline not reported done.
fn status_text(a: &Assignment, as_of: Date, lang: Lang) -> String {
    let s = a.status.label(lang);
    if a.overdue(as_of) {
        match lang {
            Lang::Zh => format!("{s}（逾期）"),
            Lang::En => format!("{s} (OVERDUE)"),
        }
    } else {
        s.to_string()
    }
}

fn assignment_rows(list: &[Assignment], as_of: Date, lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("编号", "id"),
            lang.pick("来源", "from"),
            lang.pick("责任单位", "unit"),
            lang.pick("事项", "what"),
            lang.pick("交办日期", "issued"),
            lang.pick("完成时限", "deadline"),
            lang.pick("状态", "status"),
            lang.pick("版本", "version"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for a in list {
        rows.push(vec![
            a.id.to_string(),
            a.source_title.clone(),
            a.unit_name.clone(),
            a.text.chars().take(30).collect(),
            a.issued_on.to_string(),
            a.deadline.to_string(),
            status_text(a, as_of, lang),
            a.version.to_string(),
        ]);
    }
    rows
}

fn print_assignment(a: &Assignment, as_of: Date, lang: Lang) {
    match lang {
        Lang::Zh => {
            println!(
                "交办事项 {}  {} → {}：{}",
                a.id, a.source_title, a.unit_name, a.text
            );
            println!(
                "  交办 {}（{}）  完成时限 {}  状态：{}  版本 {}",
                a.issued_on,
                a.issued_by,
                a.deadline,
                status_text(a, as_of, lang),
                a.version
            );
        }
        Lang::En => {
            println!(
                "assignment {}  {} → {}: {}",
                a.id, a.source_title, a.unit_name, a.text
            );
            println!(
                "  issued {} ({})  due {}  status: {}  version {}",
                a.issued_on,
                a.issued_by,
                a.deadline,
                status_text(a, as_of, lang),
                a.version
            );
        }
    }
    if let (Some(on), Some(r)) = (a.reported_on, &a.result) {
        println!("  {} {on}：{r}", lang.pick("报结", "reported"));
    }
    if a.returns > 0 {
        match lang {
            Lang::Zh => println!(
                "  退回重办 {} 次：{}",
                a.returns,
                a.return_reason.as_deref().unwrap_or("")
            ),
            Lang::En => println!(
                "  sent back {} time(s): {}",
                a.returns,
                a.return_reason.as_deref().unwrap_or("")
            ),
        }
    }
    if let Some(on) = a.closed_on {
        println!("  {} {on}", lang.pick("销号", "closed"));
    }
}

fn print_assignment_detail(d: &AssignmentDetail, as_of: Date, lang: Lang) {
    print_assignment(&d.assignment, as_of, lang);
    for s in &d.steps {
        let label = AssignmentStep::from_code(&s.step)
            .map_or_else(|| lang.pick("交办", "issued"), |t| t.label(lang));
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
}

fn json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub fn run(c: OrgCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        match c {
            OrgCmd::Group(c) => run_group(&app, c, lang).await?,
            OrgCmd::Meeting(c) => run_meeting(&app, c, lang).await?,
            OrgCmd::Censure(c) => run_censure(&app, c, lang).await?,
            OrgCmd::Assignment(c) => run_assignment(&app, c, lang).await?,
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn run_group(app: &App, c: GroupCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    match c {
        GroupCmd::Add {
            region,
            kind,
            name,
            established_on,
            office,
            document,
            roster_file,
            members,
            by,
        } => {
            let region = find_region(app, &who, &region, "--region").await?;
            let kind = code_of(
                &kind,
                GroupKind::ALL,
                GroupKind::code,
                GroupKind::label,
                "--kind（机构类型）",
                lang,
            )?;
            let roster = roster_file
                .as_deref()
                .map(|p| read_text(p, "--roster-file", lang))
                .transpose()?;
            let members = members
                .iter()
                .map(|m| parse_member(m, established_on, lang))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let g = app
                .add_group(
                    &principal(by.as_deref(), "district", lang),
                    GroupInput {
                        region_id: region.id,
                        kind,
                        name,
                        office,
                        document,
                        established_on,
                        members,
                        roster,
                    },
                )
                .await?;
            print_group(&g, lang);
            let d = app.group_detail(&who, GroupId(g.id)).await?;
            print!("{}", render_table(&member_rows(&d.members, lang)));
        }
        GroupCmd::List { format } => {
            let list = app.groups(&who).await?;
            if format == Format::Json {
                json(&list)?;
            } else if list.is_empty() {
                println!(
                    "{}",
                    lang.pick(
                        "还没有工作机构（anju org group add 成立）",
                        "no groups yet (anju org group add)"
                    )
                );
            } else {
                print!("{}", render_table(&group_rows(&list, lang)));
            }
        }
        GroupCmd::Show { id, format } => {
            let d = app.group_detail(&who, id).await?;
            if format == Format::Json {
                json(&d)?;
            } else {
                print_group(&d.group, lang);
                print!("{}", render_table(&member_rows(&d.members, lang)));
                if !d.meetings.is_empty() {
                    println!("{}", lang.pick("会议：", "meetings:"));
                    print!("{}", render_table(&meeting_rows(&d.meetings, lang)));
                }
            }
        }
        GroupCmd::Members {
            id,
            version,
            roster_file,
            members,
            joined_on,
            by,
        } => {
            let roster = roster_file
                .as_deref()
                .map(|p| read_text(p, "--roster-file", lang))
                .transpose()?;
            let members = match (members.is_empty(), joined_on) {
                (true, _) => Vec::new(),
                (false, Some(on)) => members
                    .iter()
                    .map(|m| parse_member(m, on, lang))
                    .collect::<anyhow::Result<Vec<_>>>()?,
                (false, None) => {
                    return Err(refuse(
                        lang,
                        "--joined-on（加入日期）：增补成员请写明加入日期".into(),
                        "--joined-on: give the day the members joined".into(),
                    ));
                }
            };
            let g = app
                .add_group_members(
                    &principal(by.as_deref(), "district", lang),
                    id,
                    version,
                    members,
                    roster.as_deref(),
                    joined_on,
                )
                .await?;
            print_group(&g, lang);
        }
        GroupCmd::Leave {
            id,
            member,
            version,
            on,
            by,
        } => {
            let g = app
                .end_group_member(
                    &principal(by.as_deref(), "district", lang),
                    id,
                    version,
                    member,
                    on,
                )
                .await?;
            print_group(&g, lang);
        }
    }
    Ok(())
}

async fn run_meeting(app: &App, c: MeetingCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    let today = app.today();
    match c {
        MeetingCmd::Add {
            region,
            group,
            kind,
            title,
            on,
            place,
            attendees,
            minutes,
            minutes_file,
            decisions,
            by,
        } => {
            let region = find_region(app, &who, &region, "--region").await?;
            let kind = code_of(
                &kind,
                MeetingKind::ALL,
                MeetingKind::code,
                MeetingKind::label,
                "--kind（会议类型）",
                lang,
            )?;
            let minutes = match (minutes, minutes_file) {
                (_, Some(p)) => read_text(&p, "--minutes-file", lang)?,
                (Some(m), None) => m,
                (None, None) => String::new(),
            };
            let mut parsed = Vec::new();
            for d in &decisions {
                parsed.push(parse_decision(app, &who, d).await?);
            }
            let m = app
                .add_meeting(
                    &principal(by.as_deref(), "district", lang),
                    MeetingInput {
                        region_id: region.id,
                        group_id: group.map(GroupId::get),
                        kind,
                        title,
                        held_on: on,
                        place,
                        attendees,
                        minutes,
                        decisions: parsed,
                    },
                )
                .await?;
            print_meeting(&m, lang);
            let d = app.meeting_detail(&who, MeetingId(m.id)).await?;
            if !d.decisions.is_empty() {
                print!(
                    "{}",
                    render_table(&assignment_rows(&d.decisions, today, lang))
                );
            }
        }
        MeetingCmd::List { from, to, format } => {
            let list = app.meetings(&who, from, to).await?;
            if format == Format::Json {
                json(&list)?;
            } else if list.is_empty() {
                println!("{}", lang.pick("没有会议", "no meetings"));
            } else {
                print!("{}", render_table(&meeting_rows(&list, lang)));
            }
        }
        MeetingCmd::Show { id, format } => {
            let d = app.meeting_detail(&who, id).await?;
            if format == Format::Json {
                json(&d)?;
            } else {
                print_meeting(&d.meeting, lang);
                println!("{}", lang.pick("会议纪要：", "minutes:"));
                for l in d.meeting.minutes.lines() {
                    println!("  {l}");
                }
                if !d.decisions.is_empty() {
                    println!("{}", lang.pick("决定事项：", "decisions:"));
                    print!(
                        "{}",
                        render_table(&assignment_rows(&d.decisions, today, lang))
                    );
                }
            }
        }
        MeetingCmd::Decide { id, decisions, by } => {
            let actor = principal(by.as_deref(), "district", lang);
            for d in &decisions {
                let d = parse_decision(app, &who, d).await?;
                let a = app.add_meeting_decision(&actor, id, d).await?;
                print_assignment(&a, today, lang);
            }
        }
    }
    Ok(())
}

async fn run_censure(app: &App, c: CensureCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    let today = app.today();
    match c {
        CensureCmd::Add {
            region,
            kind,
            unit,
            on,
            reason,
            document,
            interviewee,
            follow_up,
            deadline,
            by,
        } => {
            let region = find_region(app, &who, &region, "--region").await?;
            let kind = code_of(
                &kind,
                CensureKind::ALL,
                CensureKind::code,
                CensureKind::label,
                "--kind（通报类型）",
                lang,
            )?;
            let Some((unit_kind, unit_key)) = unit.split_once([':', '：']) else {
                return Err(refuse(
                    lang,
                    format!(
                        "--unit（被通报单位）：“{unit}”应写作“单位类型:单位编号或名称”，如 company:12"
                    ),
                    format!("--unit: '{unit}' must be KIND:UNIT"),
                ));
            };
            let unit = find_unit(app, &who, unit_kind, unit_key, "--unit").await?;
            let c = app
                .add_censure(
                    &principal(by.as_deref(), "district", lang),
                    CensureInput {
                        region_id: region.id,
                        kind,
                        unit,
                        on_day: on,
                        reason,
                        document,
                        interviewee,
                        follow_up,
                        follow_up_deadline: deadline,
                    },
                )
                .await?;
            print_censure(&c, lang);
            let d = app.censure_detail(&who, CensureId(c.id)).await?;
            for a in &d.follow_ups {
                print_assignment(a, today, lang);
            }
        }
        CensureCmd::List { format } => {
            let list = app.censures(&who).await?;
            if format == Format::Json {
                json(&list)?;
            } else if list.is_empty() {
                println!("{}", lang.pick("没有通报或约谈", "no censures"));
            } else {
                print!("{}", render_table(&censure_rows(&list, lang)));
            }
        }
        CensureCmd::Show { id, format } => {
            let d = app.censure_detail(&who, id).await?;
            if format == Format::Json {
                json(&d)?;
            } else {
                print_censure(&d.censure, lang);
                for a in &d.follow_ups {
                    print_assignment(a, today, lang);
                }
            }
        }
    }
    Ok(())
}

async fn run_assignment(app: &App, c: AssignmentCmd, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    let today = app.today();
    let (step, a) = match c {
        AssignmentCmd::List { mine, open, format } => {
            let list: Vec<Assignment> = app
                .assignments(&who, mine)
                .await?
                .into_iter()
                .filter(|a| !open || a.status.is_open())
                .collect();
            if format == Format::Json {
                let list: Vec<_> = list
                    .iter()
                    .map(|a| {
                        let mut v = serde_json::to_value(a).unwrap_or_default();
                        v["overdue"] = serde_json::Value::Bool(a.overdue(today));
                        v
                    })
                    .collect();
                json(&list)?;
            } else if list.is_empty() {
                println!("{}", lang.pick("没有交办事项", "no assignments"));
            } else {
                print!("{}", render_table(&assignment_rows(&list, today, lang)));
                let overdue = list.iter().filter(|a| a.overdue(today)).count();
                match lang {
                    Lang::Zh => println!("截至 {today}：共 {} 件，逾期 {overdue} 件", list.len()),
                    Lang::En => println!(
                        "As of {today}: {} assignment(s), {overdue} overdue",
                        list.len()
                    ),
                }
            }
            return Ok(());
        }
        AssignmentCmd::Show { id, format } => {
            let d = app.assignment_detail(&who, id).await?;
            if format == Format::Json {
                json(&d)?;
            } else {
                print_assignment_detail(&d, today, lang);
            }
            return Ok(());
        }
        AssignmentCmd::Report(a) => (AssignmentStep::Report, a),
        AssignmentCmd::Close(a) => (AssignmentStep::Close, a),
        AssignmentCmd::Return(a) => (AssignmentStep::Return, a),
    };
    // Recorded in the audit log as the side that takes the step: the unit's for 报结.
    let role = if step.by_assignee() {
        match app.assignment(&who, a.id).await?.unit.kind {
            UnitKind::Region => "street",
            UnitKind::Department => "department",
            UnitKind::Company => "company",
        }
    } else {
        "district"
    };
    let after = app
        .assignment_step(
            &principal(a.by.as_deref(), role, lang),
            a.id,
            AssignmentStepInput {
                step,
                on: a.on,
                note: a.note,
                version: a.version,
            },
        )
        .await?;
    print_assignment(&after, today, lang);
    Ok(())
}
