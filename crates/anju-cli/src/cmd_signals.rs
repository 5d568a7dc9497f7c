//! `anju signals` — 风险线索 (seeds 000, 002: 虚报、套取、挪用) for the housing authority and the
//! auditor: each signal with its kind, compound, company, evidence and severity. The rules are
//! anju-core's `signals` module doc.

use crate::util::{runtime, today};
use anju_app::model::SignalScope;
use anju_core::Lang;
use anju_core::signals::SignalKind;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Args)]
pub struct SignalsArgs {
    /// 街道 / street
    #[arg(long)]
    street: Option<String>,
    /// 区（县、旗）/ district
    #[arg(long)]
    district: Option<String>,
    /// 只列这些类型（可重复）/ only these kinds (repeatable): area_above_census,
    /// duplicate_compound, self_assessment, late_filing, claim_outside_contract,
    /// paid_despite_fail (or the Chinese names)
    #[arg(long)]
    kind: Vec<String>,
    /// 以哪天为准判断备案是否逾期（默认今天）/ the day filing deadlines are judged on
    #[arg(long)]
    as_of: Option<jiff::civil::Date>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(a: SignalsArgs, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut kinds = Vec::new();
    for k in &a.kind {
        for part in k
            .split([',', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let Some(kind) = SignalKind::parse(part) else {
                let all: Vec<&str> = SignalKind::ALL.iter().map(|k| k.code()).collect();
                anyhow::bail!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("未知的线索类型“{part}”，可选：{}", all.join("、")),
                        Lang::En =>
                            format!("unknown signal kind '{part}'; one of: {}", all.join(", ")),
                    }
                );
            };
            kinds.push(kind);
        }
    }
    let as_of = a.as_of.unwrap_or_else(today);
    let scope = SignalScope {
        street: a.street.clone(),
        district: a.district.clone(),
    };
    let rt = runtime()?;
    rt.block_on(async move {
        let app = crate::util::connect(db).await?;
        let (signals, claims) = app
            .signals(&crate::util::cli_principal(lang), scope, &kinds, Some(as_of))
            .await?;
        match a.format {
            Format::Json => {
                let list: Vec<serde_json::Value> = signals
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "kind": s.kind.code(),
                            "kind_label": s.kind.label(lang),
                            "severity": s.severity,
                            "severity_label": s.severity.label(lang),
                            "compound_ids": s.compound_ids,
                            "compound": s.compound,
                            "street": s.street,
                            "company": s.company,
                            "evidence": s.evidence(lang),
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "as_of": as_of.to_string(),
                        "claims_checked": claims,
                        "count": signals.len(),
                        "signals": list,
                    }))?
                );
            }
            Format::Table => {
                let mut rows = vec![vec![
                    lang.pick("严重程度", "severity").to_string(),
                    lang.pick("类型", "kind").into(),
                    lang.pick("街道", "street").into(),
                    lang.pick("小区", "compound").into(),
                    lang.pick("物业企业", "company").into(),
                    lang.pick("依据", "evidence").into(),
                ]];
                for s in &signals {
                    rows.push(vec![
                        s.severity.label(lang).into(),
                        s.kind.label(lang).into(),
                        s.street.clone(),
                        s.compound.clone(),
                        s.company.clone().unwrap_or_else(|| "—".into()),
                        s.evidence(lang).into(),
                    ]);
                }
                if signals.is_empty() {
                    println!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("未发现风险线索（截至 {as_of}）"),
                            Lang::En => format!("no signals (as of {as_of})"),
                        }
                    );
                } else {
                    println!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("风险线索 {} 条（截至 {as_of}）", signals.len()),
                            Lang::En => format!("{} signals (as of {as_of})", signals.len()),
                        }
                    );
                    print!("{}", left_aligned(&rows));
                }
                if !claims {
                    println!(
                        "{}",
                        lang.pick(
                            "注：本库尚无补贴申报记录，未检查“补贴期间在合同外或进场前”和“考核不合格仍拨付”。",
                            "note: no subsidy claims in this database; 'claim outside the contract' and 'paid although failed' were not checked."
                        )
                    );
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Text columns read better left-aligned: pad every column but the last.
fn left_aligned(rows: &[Vec<String>]) -> String {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| crate::util::width(c)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (ri, r) in rows.iter().enumerate() {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(widths[i].saturating_sub(crate::util::width(cell)) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if ri == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1)));
            out.push('\n');
        }
    }
    out
}
