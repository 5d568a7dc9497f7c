//! `anju dispatch …`: the 调度表 as a submission (seed 003 附件5 注2 "每月1号、15号报送至区住建局").
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::filings`: the district
//! sets the day its streets start filing (`schedule`); a street files its sheet for a 1st or a
//! 15th, the sheet as the ledger stands being frozen with the filing (`file`); everyone sees each
//! street's standing — 按期报送, 逾期报送, 逾期未报, 待报送 (`status`) — and reads a filing with the
//! sheet as filed (`show`). The command line acts as an administrator, who names the street it
//! files for.

use crate::cmd_department::{day, refuse};
use crate::cmd_survey::Format;
use crate::util::{cli_principal, connect, principal, render_table, runtime};
use anju_app::filings::{FiledSheet, FilingOverview, StreetFilings};
use anju_app::model::{DispatchFiling, Region};
use anju_app::{App, AppError, Principal};
use anju_core::dispatch::Standing;
use anju_core::{Lang, RegionLevel};
use anyhow::anyhow;
use clap::Subcommand;
use jiff::civil::Date;
use std::process::ExitCode;

/// A filing's id, refused in Chinese (the default language) when it is not a whole number.
fn filing_id(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("报送记录编号不合法：“{s}”（应为正整数）"))
}

#[derive(Subcommand)]
pub enum DispatchCmd {
    /// 安排报送：一个区的街道自哪一天起每月1号、15号报送调度表 / set the day a district's
    /// streets start filing the sheet on every 1st and 15th
    Schedule {
        /// 区（县）名称或编号 / district name or id
        #[arg(long)]
        district: String,
        /// 自哪一天起报送（此后的第一个1号或15号为第一期）/ filing starts on (the first 1st
        /// or 15th on or after it is the first filing day)
        #[arg(long, value_parser = day)]
        from: Date,
        #[arg(long)]
        by: Option<String>,
    },
    /// 各街道的报送情况：按期报送、逾期报送、逾期未报、待报送 / each street's standing for its
    /// recent filing days
    Status {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 报送一个街道某一期的调度表（按今天的台账生成并留存）/ file a street's sheet for a
    /// filing day (the sheet as the ledger stands today is kept)
    File {
        /// 报送的街道（名称或编号）/ the street filing (name or id)
        #[arg(long)]
        street: String,
        /// 报送期次（1号或15号）/ the filing day filed for (a 1st or a 15th)
        #[arg(long, value_parser = day)]
        due: Date,
        /// 备注 / a note
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// 查看一次报送及其留存的调度表 / one filing with the sheet as filed
    Show {
        /// 报送记录编号（anju dispatch status 显示）/ the filing's id
        #[arg(value_parser = filing_id)]
        id: i64,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

/// A region of `level` by id or exact name (refusals name `flag`).
async fn find_region(
    app: &App,
    who: &Principal,
    key: &str,
    level: RegionLevel,
    flag: &str,
) -> anyhow::Result<Region> {
    let lang = who.lang;
    let key = key.trim();
    let regions = app.regions(who).await?;
    let found: Vec<&Region> = match key.parse::<i64>() {
        Ok(n) => regions.iter().filter(|r| r.id == n).collect(),
        Err(_) => {
            let named: Vec<&Region> = regions.iter().filter(|r| r.name == key).collect();
            let of_level: Vec<&Region> =
                named.iter().copied().filter(|r| r.level == level).collect();
            // A region of the level asked wins over one of another level with that name.
            if of_level.is_empty() { named } else { of_level }
        }
    };
    let parent = |r: &Region| {
        r.parent_id
            .and_then(|p| regions.iter().find(|x| x.id == p))
            .map_or_else(String::new, |p| p.name.clone())
    };
    match found.as_slice() {
        [one] if one.level == level => Ok((*one).clone()),
        [one] => Err(refuse(
            lang,
            format!(
                "{flag}（{}）：“{}”是{}，不是{}",
                level.zh(),
                one.name,
                one.level.zh(),
                level.zh()
            ),
            format!(
                "{flag}: '{}' is a {}, not a {}",
                one.name,
                one.level.code(),
                level.code()
            ),
        )),
        [] => Err(refuse(
            lang,
            format!(
                "{flag}（{}）：找不到{}“{key}”（请检查名称或编号）",
                level.zh(),
                level.zh()
            ),
            format!("{flag}: no {} '{key}'", level.code()),
        )),
        many => {
            let within: Vec<String> = many.iter().map(|r| parent(r)).collect();
            Err(refuse(
                lang,
                format!(
                    "{flag}（{}）：有 {} 个名为“{key}”的{}（{}），请改用编号",
                    level.zh(),
                    many.len(),
                    level.zh(),
                    within.join("、")
                ),
                format!(
                    "{flag}: {} {}s are named '{key}' (in {}); give the id",
                    many.len(),
                    level.code(),
                    within.join(", ")
                ),
            ))
        }
    }
}

/// An application refusal of one field said with the flag that gave it (`报送期次：…` becomes
/// `--due（报送期次）：…`); other errors pass through.
fn with_flag(e: AppError, flags: &[(&str, &str)], lang: Lang) -> anyhow::Error {
    if let AppError::Invalid(f) = &e
        && let Some((_, flag)) = flags.iter().find(|(key, _)| *key == f.field)
    {
        return match lang {
            Lang::Zh => match f.zh.split_once('：') {
                Some((label, rest)) => anyhow!("{flag}（{label}）：{rest}"),
                None => anyhow!("{flag}：{}", f.zh),
            },
            Lang::En => {
                let rest = f.en.split_once(": ").map_or(f.en.as_str(), |(_, r)| r);
                anyhow!("{flag}: {rest}")
            }
        };
    }
    e.into()
}

/// A filing day's standing as a cell, with the filing's id (`#3`) when filed.
fn standing_cell(s: Standing, id: Option<i64>, lang: Lang) -> String {
    match id {
        Some(id) => format!("{} #{id}", s.label(lang)),
        None => s.label(lang),
    }
}

/// One district's streets: a column per filing day shown (newest first), the overdue count last.
fn street_table(streets: &[&StreetFilings], lang: Lang) -> String {
    let mut days: Vec<Date> = Vec::new();
    for s in streets {
        for f in &s.days {
            if !days.contains(&f.due_on) {
                days.push(f.due_on);
            }
        }
    }
    days.sort_by(|a, b| b.cmp(a));
    let mut head = vec![
        lang.pick("街道", "street").to_string(),
        lang.pick("区（县）", "district").to_string(),
    ];
    head.extend(days.iter().map(ToString::to_string));
    head.push(lang.pick("逾期未报（期）", "overdue").to_string());
    let mut rows = vec![head];
    for s in streets {
        let mut row = vec![s.street.clone(), s.district.clone()];
        for due in &days {
            row.push(s.days.iter().find(|f| f.due_on == *due).map_or_else(
                || "-".into(),
                |f| standing_cell(f.standing, f.filing_id, lang),
            ));
        }
        row.push(s.overdue.to_string());
        rows.push(row);
    }
    render_table(&rows)
}

fn print_status(o: &FilingOverview, lang: Lang) {
    if o.schedules.is_empty() {
        println!(
            "{}",
            lang.pick(
                "尚未安排报送（anju dispatch schedule --district 区名 --from 日期）",
                "no filing schedule yet (anju dispatch schedule --district NAME --from DATE)"
            )
        );
        return;
    }
    let mut shown: Vec<i64> = Vec::new();
    for plan in &o.schedules {
        let streets: Vec<&StreetFilings> = o
            .streets
            .iter()
            .filter(|s| s.district == plan.district && !shown.contains(&s.street_id))
            .collect();
        shown.extend(streets.iter().map(|s| s.street_id));
        match lang {
            Lang::Zh => println!(
                "{}：自 {} 起每月1号、15号报送（第 {} 版，{}）",
                plan.district, plan.starts_on, plan.version, plan.set_by
            ),
            Lang::En => println!(
                "{}: filing on every 1st and 15th from {} (version {}, {})",
                plan.district, plan.starts_on, plan.version, plan.set_by
            ),
        }
        if streets.is_empty() {
            println!("{}", lang.pick("  （没有街道）", "  (no streets)"));
        } else {
            print!("{}", street_table(&streets, lang));
        }
        println!();
    }
    let rest: Vec<&StreetFilings> = o
        .streets
        .iter()
        .filter(|s| !shown.contains(&s.street_id))
        .collect();
    if !rest.is_empty() {
        print!("{}", street_table(&rest, lang));
        println!();
    }
    let overdue: u32 = o.streets.iter().map(|s| s.overdue).sum();
    match lang {
        Lang::Zh => println!(
            "截至 {}：{} 个街道，逾期未报共 {overdue} 期；#编号：anju dispatch show 编号 查看报送的调度表",
            o.as_of,
            o.streets.len()
        ),
        Lang::En => println!(
            "As of {}: {} street(s), {overdue} filing day(s) overdue; #id: anju dispatch show ID reads the sheet filed",
            o.as_of,
            o.streets.len()
        ),
    }
}

/// A filing's facts, as `file` and `show` print them.
fn print_filing(f: &DispatchFiling, standing: Standing, lang: Lang) {
    match lang {
        Lang::Zh => {
            println!(
                "调度表报送 {}：{}  报送期次 {}  报送日期 {}（{}）",
                f.id, f.street, f.due_on, f.filed_on, f.filed_by
            );
            println!("  {}  小区 {} 个", standing.label(lang), f.compounds);
        }
        Lang::En => {
            println!(
                "dispatch filing {}: {}  for {}  filed {} ({})",
                f.id, f.street, f.due_on, f.filed_on, f.filed_by
            );
            println!("  {}  {} compound(s)", standing.label(lang), f.compounds);
        }
    }
    if let Some(n) = &f.note {
        println!("  {}{n}", lang.pick("备注：", "note: "));
    }
}

/// The sheet as filed, in the 11 columns of 附件5.
fn sheet_rows(s: &FiledSheet) -> Vec<Vec<String>> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut rows = vec![
        anju_reports::DISPATCH_HEADINGS
            .iter()
            .map(|h| h.replace('\n', ""))
            .collect::<Vec<_>>(),
    ];
    for r in &s.sheet.rows {
        rows.push(vec![
            r.no.to_string(),
            opt(&r.community),
            r.compound.clone(),
            r.category.map_or_else(String::new, |c| c.to_string()),
            opt(&r.company),
            r.nature.clone(),
            r.entry_on.map_or_else(String::new, |d| d.to_string()),
            opt(&r.service),
            opt(&r.manager),
            opt(&r.phone),
            opt(&r.remarks),
        ]);
    }
    rows
}

pub fn run(c: DispatchCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let app = connect(db).await?;
        let who = cli_principal(lang);
        match c {
            DispatchCmd::Schedule { district, from, by } => {
                let region =
                    find_region(&app, &who, &district, RegionLevel::District, "--district").await?;
                // The command line moves a schedule as it stands (its current version).
                let current = app
                    .filing_overview(&who)
                    .await?
                    .schedules
                    .into_iter()
                    .find(|p| p.district_id == region.id)
                    .map_or(0, |p| p.version);
                let plan = app
                    .set_dispatch_schedule(
                        &principal(by.as_deref(), "district", lang),
                        region.id,
                        from,
                        current,
                    )
                    .await
                    .map_err(|e| {
                        with_flag(e, &[("district_id", "--district"), ("starts_on", "--from")], lang)
                    })?;
                let first = anju_core::dispatch::filing_day_on_or_after(plan.starts_on);
                match lang {
                    Lang::Zh => println!(
                        "已安排报送：{}的街道自 {} 起每月1号、15号报送调度表，第一期 {}（第 {} 版）",
                        plan.district, plan.starts_on, first, plan.version
                    ),
                    Lang::En => println!(
                        "schedule set: {}'s streets file on every 1st and 15th from {}, first filing day {} (version {})",
                        plan.district, plan.starts_on, first, plan.version
                    ),
                }
            }
            DispatchCmd::Status { format } => {
                let o = app.filing_overview(&who).await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&o)?);
                } else {
                    print_status(&o, lang);
                }
            }
            DispatchCmd::File {
                street,
                due,
                note,
                by,
            } => {
                let region =
                    find_region(&app, &who, &street, RegionLevel::Street, "--street").await?;
                let f = app
                    .file_dispatch(
                        &principal(by.as_deref(), "street", lang),
                        Some(region.id),
                        due,
                        note.as_deref(),
                    )
                    .await
                    .map_err(|e| {
                        with_flag(
                            e,
                            &[("street_id", "--street"), ("due_on", "--due"), ("note", "--note")],
                            lang,
                        )
                    })?;
                print_filing(&f, Standing::of(f.due_on, Some(f.filed_on), f.filed_on), lang);
            }
            DispatchCmd::Show { id, format } => {
                let s = app.filed_sheet(&who, id).await?;
                if format == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&s)?);
                } else {
                    print_filing(&s.filing, s.standing, lang);
                    println!();
                    if s.sheet.rows.is_empty() {
                        println!("{}", lang.pick("（调度表无小区）", "(the sheet has no rows)"));
                    } else {
                        print!("{}", render_table(&sheet_rows(&s)));
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
