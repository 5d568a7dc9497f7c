//! `anju policy list|show|lint`, `anju subsidy`, `anju bench subsidy`: thin wrappers over
//! `anju-policy`. The bench runs [`anju_policy::evaluate_batch_totals`] (the integer fast path,
//! exact rows falling back to the calculator) and says how many rows took the fast path.

use anju_core::Lang;
use anju_policy::{PolicyError, Scenario, evaluate, lint, report, shipped, synthetic};
use clap::{Args, Subcommand, ValueEnum};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum PolicyCmd {
    /// 列出政策 / list the policies
    List,
    /// 以中文（或 --lang en 英文）列出政策的全部规则 / the policy's rules in plain words
    Show {
        /// 政策编号或政策文件路径 / a policy id or a policy file
        policy: String,
    },
    /// 检查政策文件：档次的重叠与缺口、无值参数、无标准的期、未知字段 / find the gaps in a policy file
    Lint {
        /// 政策编号或政策文件路径 / a policy id or a policy file
        policy: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
}

/// `anju subsidy --policy ID --scenario FILE` (one compound), or `anju subsidy batch …` (a
/// table of compounds, [`crate::cmd_batch`]).
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SubsidyArgs {
    #[command(subcommand)]
    pub cmd: Option<crate::cmd_batch::SubsidyCmd>,
    /// 政策编号或政策文件路径 / a policy id or a policy file
    #[arg(long, required = true)]
    pub policy: Option<String>,
    /// 情景文件（TOML）/ the scenario file (TOML)
    #[arg(long, required = true)]
    pub scenario: Option<std::path::PathBuf>,
    /// table | json
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args)]
pub struct BenchSubsidyArgs {
    /// 每个政策的小区数 / compounds per policy
    #[arg(long, default_value_t = 1_000_000)]
    pub compounds: usize,
    /// 只测这一个政策 / only this policy
    #[arg(long)]
    pub policy: Option<String>,
    /// 线程数（默认：CPU 核数）/ threads (default: the number of CPUs)
    #[arg(long)]
    pub threads: Option<usize>,
}

fn err(e: PolicyError, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!(e.message(lang))
}

pub fn run_policy(c: PolicyCmd, lang: Lang) -> anyhow::Result<ExitCode> {
    match c {
        PolicyCmd::List => {
            let mut rows = vec![
                if lang == Lang::Zh {
                    vec!["编号", "名称", "辖区", "状态", "施行", "依据"]
                } else {
                    vec!["id", "title", "jurisdiction", "status", "from", "seed"]
                }
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>(),
            ];
            for (id, _) in shipped::SHIPPED {
                let p = shipped::shipped_policy(id).map_err(|e| err(e, lang))?;
                let f = &p.file;
                let status = match (f.status.as_str(), lang) {
                    ("in_force", Lang::Zh) => "施行",
                    ("draft", Lang::Zh) => "征求意见稿",
                    ("proposal", Lang::Zh) => "街道建议",
                    ("in_force", Lang::En) => "in force",
                    (s, _) => s,
                };
                rows.push(vec![
                    id.to_string(),
                    lang.pick(&f.short, &f.short_en).to_string(),
                    lang.pick(&f.jurisdiction, &f.jurisdiction_en).to_string(),
                    status.to_string(),
                    f.effective_from
                        .map_or_else(|| "—".to_string(), |d| d.0.to_string()),
                    format!("seed {}", f.source.seed),
                ]);
            }
            print!("{}", report::columns(&rows, 6));
            Ok(ExitCode::SUCCESS)
        }
        PolicyCmd::Show { policy } => {
            let (p, _) = anju_policy::resolve(&policy).map_err(|e| err(e, lang))?;
            print!("{}", anju_policy::explain::describe(&p, lang));
            Ok(ExitCode::SUCCESS)
        }
        PolicyCmd::Lint { policy } => {
            let src = match shipped::shipped(&policy) {
                Some(s) => s.to_string(),
                None => std::fs::read_to_string(&policy).map_err(|e| {
                    anyhow::anyhow!(
                        "{}: {policy}: {e}",
                        lang.pick("读不到政策文件", "cannot read the policy file")
                    )
                })?,
            };
            let r = lint(&src);
            print!("{}", r.render(&policy, lang));
            Ok(if r.unresolved() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

pub fn run_subsidy(a: SubsidyArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let (policy, scenario) = match (a.cmd, a.policy, a.scenario) {
        (Some(crate::cmd_batch::SubsidyCmd::Batch(b)), _, _) => {
            return crate::cmd_batch::run(b, lang);
        }
        (None, Some(p), Some(s)) => (p, s),
        // clap requires both without a subcommand.
        _ => anyhow::bail!("--policy, --scenario"),
    };
    let (p, _) = anju_policy::resolve(&policy).map_err(|e| err(e, lang))?;
    let text = std::fs::read_to_string(&scenario).map_err(|e| {
        anyhow::anyhow!(
            "{}: {}: {e}",
            lang.pick("读不到情景文件", "cannot read the scenario file"),
            scenario.display()
        )
    })?;
    let s = Scenario::parse(&text).map_err(|e| err(e, lang))?;
    let o = evaluate(&p, &s.input()).map_err(|e| err(e, lang))?;
    match a.format {
        Format::Json => {
            let r = report::report(&p, s.name.as_deref(), &o, lang);
            println!("{}", serde_json::to_string_pretty(&r)?);
        }
        Format::Table => print!("{}", report::render_table(&p, s.name.as_deref(), &o, lang)),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_bench(a: BenchSubsidyArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let threads = a.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let ids: Vec<&str> = match &a.policy {
        Some(id) => vec![id.as_str()],
        None => shipped::SHIPPED.iter().map(|(id, _)| *id).collect(),
    };
    if cfg!(debug_assertions) {
        eprintln!(
            "{}",
            lang.pick(
                "注意：这是调试构建，数字没有代表性；请用 cargo build --release。",
                "note: a debug build; figures mean little. Use a release build."
            )
        );
    }
    println!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "每个政策 {} 个合成小区、3 年期的补贴计划，{threads} 个线程",
                a.compounds
            ),
            Lang::En => format!(
                "3-year schedules for {} synthetic compounds per policy, {threads} threads",
                a.compounds
            ),
        }
    );
    let mut rows = vec![
        if lang == Lang::Zh {
            vec![
                "政策",
                "小区",
                "符合条件",
                "出错",
                "期数",
                "合计支付(元)",
                "用时(秒)",
                "小区/秒",
                "整数路径",
            ]
        } else {
            vec![
                "policy",
                "compounds",
                "eligible",
                "errors",
                "periods",
                "total payable",
                "seconds",
                "compounds/s",
                "fast path",
            ]
        }
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>(),
    ];
    let mut notes: Vec<String> = Vec::new();
    for id in ids {
        let p = shipped::shipped_policy(id).map_err(|e| err(e, lang))?;
        let pool = synthetic::pool_for(&p, 20_240_501);
        let inputs = synthetic::inputs(&p, a.compounds, 20_240_501, &pool);
        let t0 = Instant::now();
        let (totals, paths) = anju_policy::evaluate_batch_totals(&p, &inputs, threads);
        let secs = t0.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            (totals.compounds as f64 / secs) as u64
        } else {
            0
        };
        rows.push(vec![
            id.to_string(),
            totals.compounds.to_string(),
            totals.eligible.to_string(),
            totals.errors.to_string(),
            totals.periods.to_string(),
            totals.total_payable.grouped(),
            format!("{secs:.3}"),
            anju_core::money::group_thousands(rate),
            anju_core::money::group_thousands(paths.fast as u64),
        ]);
        if let Err(why) = anju_policy::FastPolicy::new(&p) {
            notes.push(match lang {
                Lang::Zh => format!("{id}: 全部按十进制路径计算（{}）", why.message(lang)),
                Lang::En => format!(
                    "{id}: every row on the decimal path ({})",
                    why.message(lang)
                ),
            });
        } else if paths.exact > 0 {
            notes.push(match lang {
                Lang::Zh => format!("{id}: {} 行回退到十进制路径", paths.exact),
                Lang::En => format!("{id}: {} rows fell back to the decimal path", paths.exact),
            });
        }
        if totals.errors > 0
            && let Some(e) = inputs.iter().find_map(|i| evaluate(&p, i).err())
        {
            notes.push(format!("{id}: {}", e.message(lang)));
        }
        drop(inputs);
    }
    print!("{}", report::columns(&rows, 1));
    for n in &notes {
        println!("{n}");
    }
    if let Some(kb) = crate::util::peak_rss_kib() {
        println!(
            "{}{} MB",
            lang.pick("峰值内存（VmHWM）：", "peak memory (VmHWM): "),
            kb / 1024
        );
    }
    Ok(ExitCode::SUCCESS)
}
