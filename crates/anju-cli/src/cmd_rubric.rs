//! `anju rubric …`: list and show assessment rubrics, score a period's deduction events, and
//! work out survey sample sizes. The rules live in `anju_policy::rubric` and
//! `anju_policy::sampling`; this file only reads arguments and prints.

use anju_core::Lang;
use anju_policy::rubric::{
    EventsFile, FindingKind, ItemStatus, Rubric, RubricError, Scorecard, Scoring, Unit, score,
};
use anju_policy::sampling::SampleRule;
use clap::{Subcommand, ValueEnum};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum RubricCmd {
    /// 列出内置评分表 / list the built-in rubrics
    List,
    /// 显示评分表、扣分规则和解读说明 / show a rubric, its deduction rules and how the text is read
    Show {
        /// 内置评分表（erqi）或评分表文件路径 / built-in rubric (erqi) or a rubric file
        #[arg(long, default_value = "erqi")]
        rubric: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 按扣分事件评分 / score deduction events
    ///
    /// 退出码 / exit code: 0 scored and graded; 1 scored but no grade (an item, e.g. the
    /// satisfaction survey, could not be scored); 2 error.
    Score {
        /// 内置评分表（erqi）或评分表文件路径；缺省时取事件文件中的 rubric /
        /// built-in rubric or rubric file; defaults to the events file's `rubric`
        #[arg(long)]
        rubric: Option<String>,
        /// 事件文件（TOML，格式见 crates/anju-policy/RUBRIC_FORMAT.md） / events file
        #[arg(long)]
        events: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// 满意度调查应抽样户数 / required survey sample size
    ///
    /// 退出码 / exit code: 0, or 1 when --responses is below the sample (invalid survey).
    Sample {
        /// 抽样规则 / sample rule: erqi (≥ 10 %) or daqintala (≤ 100 户 → ≥ 10 户, > 100 → 10 %)
        #[arg(long, default_value = "erqi")]
        rule: String,
        /// 小区总户数 / households in the compound
        #[arg(long)]
        households: u32,
        /// 有效问卷数：给出时检查调查是否有效 / valid responses: checks the survey
        #[arg(long)]
        responses: Option<u32>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

pub fn run(c: RubricCmd, lang: Lang) -> anyhow::Result<ExitCode> {
    let localize = |e: RubricError| anyhow::anyhow!(e.message(lang));
    match c {
        RubricCmd::List => {
            for id in Rubric::builtin_ids() {
                let r = Rubric::builtin(id).map_err(localize)?;
                println!("{id}\t{}", r.name(lang));
            }
            Ok(ExitCode::SUCCESS)
        }
        RubricCmd::Show { rubric, format } => {
            let r = Rubric::builtin_or_path(&rubric).map_err(localize)?;
            match format {
                Format::Json => {
                    let mut v = serde_json::to_value(&r)?;
                    v["findings"] = serde_json::to_value(r.findings())?;
                    println!("{}", serde_json::to_string_pretty(&v)?);
                }
                Format::Table => print!("{}", render_rubric(&r, lang)),
            }
            Ok(ExitCode::SUCCESS)
        }
        RubricCmd::Score {
            rubric,
            events,
            format,
        } => {
            let file = EventsFile::load(&events).map_err(localize)?;
            let name = match (rubric, &file.rubric) {
                (Some(r), _) => r,
                (None, Some(r)) => r.clone(),
                (None, None) => anyhow::bail!(lang.pick(
                    "请用 --rubric 指定评分表，或在事件文件中写 rubric = \"erqi\"",
                    "choose a rubric with --rubric, or put rubric = \"erqi\" in the events file"
                )),
            };
            let r = Rubric::builtin_or_path(&name).map_err(localize)?;
            file.check_rubric(&r.id).map_err(localize)?;
            let card = score(&r, &file.events, file.survey.as_ref()).map_err(localize)?;
            match format {
                Format::Json => println!("{}", scorecard_json(&card, &r, &file, lang)?),
                Format::Table => print!("{}", render_scorecard(&card, &r, &file, lang)),
            }
            Ok(if card.grade.is_some() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        RubricCmd::Sample {
            rule,
            households,
            responses,
        } => {
            let Some(r) = SampleRule::builtin(&rule) else {
                anyhow::bail!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("没有名为“{rule}”的抽样规则（可用：erqi、daqintala）"),
                        Lang::En =>
                            format!("no sample rule named \"{rule}\" (known: erqi, daqintala)"),
                    }
                );
            };
            let need = r.required_sample(households);
            match lang {
                Lang::Zh => println!("{}：{households} 户应至少抽样 {need} 户", r.describe(lang)),
                Lang::En => println!(
                    "{}: {households} households need a sample of at least {need}",
                    r.describe(lang)
                ),
            }
            let Some(n) = responses else {
                return Ok(ExitCode::SUCCESS);
            };
            match r.check(n, households) {
                Ok(()) => {
                    println!(
                        "{}",
                        lang.pick(
                            &format!("有效问卷 {n} 份：调查有效"),
                            &format!("{n} responses: the survey is valid")
                        )
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("{}", e.message(lang));
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

/// 2 → "2", 0.50 → "0.5".
fn num(d: rust_decimal::Decimal) -> String {
    d.normalize().to_string()
}

/// "（10 分）" / " (10 points)".
fn worth(d: rust_decimal::Decimal, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{} 分）", num(d)),
        Lang::En if d == rust_decimal::Decimal::ONE => " (1 point)".to_string(),
        Lang::En => format!(" ({} points)", num(d)),
    }
}

/// "（…）" / " (…)".
fn paren(s: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{s}）"),
        Lang::En => format!(" ({s})"),
    }
}

fn render_rubric(r: &Rubric, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}{}", r.name(lang), paren(&r.id, lang));
    if !r.source.is_empty() {
        let _ = writeln!(s, "{}{}", lang.pick("来源：", "Source: "), r.source);
    }
    let _ = writeln!(s, "{}{}", lang.pick("总分：", "Total: "), num(r.total));
    for g in &r.groups {
        let _ = writeln!(s, "\n{}{}", g.name(lang), worth(g.points, lang));
        for item in r.items.iter().filter(|i| i.group == g.code) {
            let _ = writeln!(
                s,
                "  [{}] {}{}",
                item.no,
                item.text(lang),
                worth(item.points, lang)
            );
            let standard = lang.pick(&item.standard_zh, &item.standard_en);
            if !standard.is_empty() {
                let _ = writeln!(
                    s,
                    "      {}{standard}",
                    lang.pick("评分标准：", "Standard: ")
                );
            }
            for d in &item.deductions {
                let per = match (lang, d.per) {
                    (Lang::Zh, Unit::Once) => format!("扣 {} 分（每期最多 1 次）", num(d.points)),
                    (Lang::En, Unit::Once) => format!("−{} (at most once a period)", num(d.points)),
                    (Lang::Zh, u) => format!("扣 {} 分/{}", num(d.points), u.zh()),
                    (Lang::En, u) => format!("−{} per {}", num(d.points), u.en(1)),
                };
                let _ = writeln!(s, "      - {:<28} {}：{per}", d.code, d.text(lang));
            }
            if item.scoring == Scoring::Satisfaction
                && let Some(t) = &r.satisfaction
            {
                for tier in &t.tiers {
                    let p = num(tier.points);
                    let _ = writeln!(
                        s,
                        "      - {} → {}",
                        tier.label(lang),
                        lang.pick(&format!("{p} 分"), &format!("{p} points"))
                    );
                }
                let _ = writeln!(
                    s,
                    "      {}{}",
                    lang.pick("样本：", "Sample: "),
                    t.sample.describe(lang)
                );
            }
        }
    }
    let _ = writeln!(s, "\n{}", lang.pick("等次", "Grades"));
    for g in &r.grades.0 {
        let rule = lang.pick(&g.rule_zh, &g.rule_en);
        let _ = writeln!(s, "  {}{}", g.name(lang), paren(rule, lang));
    }
    let findings = r.findings();
    if !findings.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            lang.pick(
                "解读说明（原文的缺口、重叠与本文件的处理）",
                "How this file reads the text (gaps, overlaps, readings)"
            )
        );
        for (i, f) in findings.iter().enumerate() {
            let tag = match (f.kind, lang) {
                (FindingKind::Overlap, Lang::Zh) => "【重叠】",
                (FindingKind::Overlap, Lang::En) => "[overlap] ",
                (FindingKind::Resolution, Lang::Zh) => "",
                (FindingKind::Resolution, Lang::En) => "",
            };
            let _ = writeln!(s, "  {}. {tag}{}", i + 1, f.topic(lang));
            let _ = writeln!(s, "     {}", f.text(lang));
        }
    }
    s
}

fn render_scorecard(card: &Scorecard, r: &Rubric, file: &EventsFile, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}{}", r.name(lang), paren(&r.id, lang));
    for (label, value) in [
        (lang.pick("考核对象", "Compound"), &file.compound),
        (lang.pick("考核期", "Period"), &file.period),
        (lang.pick("考核人", "Assessor"), &file.assessor),
    ] {
        if let Some(v) = value {
            let _ = writeln!(s, "{label}{}{v}", lang.pick("：", ": "));
        }
    }
    for g in &card.groups {
        let name = lang.pick(&g.name_zh, &g.name_en);
        let _ = writeln!(s, "\n{name}{}", worth(g.points, lang));
        for it in card.items.iter().filter(|i| i.group == g.code) {
            let _ = writeln!(
                s,
                "  [{}] {}{}",
                it.no,
                it.text(lang),
                worth(it.points, lang)
            );
            if it.satisfaction.is_some() || matches!(it.status, ItemStatus::NotScored { .. }) {
                let _ = writeln!(s, "      - {}", it.explain(lang));
            }
            for d in &it.deductions {
                let _ = writeln!(s, "      - {}", d.explain(lang));
                if !d.notes.is_empty() {
                    let _ = writeln!(
                        s,
                        "        {}{}",
                        lang.pick("备注：", "notes: "),
                        d.notes.join(lang.pick("；", "; "))
                    );
                }
            }
            if it.capped {
                let _ = writeln!(
                    s,
                    "      - {}",
                    match lang {
                        Lang::Zh => format!(
                            "扣分合计 {} 分，超过本项分值 {} 分，按 {} 分扣（本项最低 0 分）",
                            num(it.deducted_raw),
                            num(it.points),
                            num(it.deducted)
                        ),
                        Lang::En => format!(
                            "deductions add up to {}, more than the item's {}: capped at {} (an item never goes below 0)",
                            num(it.deducted_raw),
                            num(it.points),
                            num(it.deducted)
                        ),
                    }
                );
            }
            let line = match (it.score, lang) {
                (Some(v), Lang::Zh) => format!("得分 {} / {}", num(v), num(it.points)),
                (Some(v), Lang::En) => format!("score {} / {}", num(v), num(it.points)),
                (None, Lang::Zh) => format!("未评分 / {}", num(it.points)),
                (None, Lang::En) => format!("not scored / {}", num(it.points)),
            };
            let _ = writeln!(s, "      {line}");
        }
        let _ = writeln!(
            s,
            "  {} {} / {}{}",
            lang.pick("小计", "Subtotal"),
            num(g.score),
            num(g.points),
            if g.complete {
                ""
            } else {
                lang.pick("（不完整）", " (incomplete)")
            }
        );
    }
    let _ = writeln!(
        s,
        "\n{} {} / {}",
        lang.pick("合计", "Total"),
        num(card.total),
        num(card.max_total)
    );
    match &card.grade {
        Some(g) => {
            let rule = lang.pick(&g.rule_zh, &g.rule_en);
            let _ = writeln!(
                s,
                "{} {}{}",
                lang.pick("等次", "Grade"),
                g.name(lang),
                paren(rule, lang)
            );
        }
        None => {
            let missing: Vec<String> = card
                .items
                .iter()
                .filter(|i| i.score.is_none())
                .map(|i| i.no.to_string())
                .collect();
            let _ = writeln!(
                s,
                "{}",
                match lang {
                    Lang::Zh => format!("等次 无法评定：第 {} 项未评分", missing.join("、")),
                    Lang::En => format!("Grade: none, item {} not scored", missing.join(", ")),
                }
            );
        }
    }
    let notes = applied_notes(card, r, lang);
    if !notes.is_empty() {
        let _ = writeln!(s, "\n{}", lang.pick("说明", "Notes"));
        for n in notes {
            let _ = writeln!(s, "  {n}");
        }
    }
    s
}

/// The data's resolutions that this scorecard depended on (the overlap at the satisfaction
/// boundary), so the reader sees why a boundary value scored as it did.
fn applied_notes(card: &Scorecard, r: &Rubric, lang: Lang) -> Vec<String> {
    let overlap = card
        .items
        .iter()
        .filter_map(|i| i.satisfaction.as_ref())
        .any(|s| s.overlap_resolved);
    match (&r.satisfaction, overlap) {
        (Some(t), true) => vec![lang.pick(&t.resolution_zh, &t.resolution_en).to_string()],
        _ => Vec::new(),
    }
}

fn scorecard_json(
    card: &Scorecard,
    r: &Rubric,
    file: &EventsFile,
    lang: Lang,
) -> anyhow::Result<String> {
    let mut v = serde_json::to_value(card)?;
    if let Some(items) = v.get_mut("items").and_then(|i| i.as_array_mut()) {
        for (json, it) in items.iter_mut().zip(&card.items) {
            json["explanation"] = serde_json::Value::String(it.explain(lang));
        }
    }
    v["compound"] = serde_json::to_value(&file.compound)?;
    v["period"] = serde_json::to_value(&file.period)?;
    v["assessor"] = serde_json::to_value(&file.assessor)?;
    v["notes"] = serde_json::to_value(applied_notes(card, r, lang))?;
    v["lang"] = serde_json::to_value(lang)?;
    Ok(serde_json::to_string_pretty(&v)?)
}
