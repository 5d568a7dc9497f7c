//! `anju budget project` (a policy over N years for a street's or district's compounds, by
//! year and payer) and `anju budget compare` (policies side by side on the same compounds).
//! The arithmetic is anju-policy's `projection`, which runs the calculator itself.

use crate::util::{render_table, runtime, today};
use anju_app::model::{CompoundFilter, CompoundSort};
use anju_core::{Compound, Fen, Lang};
use anju_policy::Policy;
use anju_policy::projection::{
    AssumptionText, Assumptions, Candidate, Projection, candidates, project,
};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

/// Which compounds.
#[derive(Args, Clone)]
pub struct SetArgs {
    /// 街道 / street
    #[arg(long)]
    street: Option<String>,
    /// 区（县、旗）/ district
    #[arg(long)]
    district: Option<String>,
    /// 从台账文件读取小区，而不是数据库 / read the compounds from a ledger file instead
    #[arg(long)]
    ledger: Option<PathBuf>,
}

/// What the projection assumes.
#[derive(Args, Clone)]
pub struct AssumeArgs {
    /// 测算年数 / years
    #[arg(long, default_value_t = 3)]
    years: u16,
    /// 第一年（默认明年）/ first year (default: next year)
    #[arg(long)]
    start_year: Option<i16>,
    /// 覆盖进度（累计）/ cumulative coverage, e.g. "2027:60%,2028:100%"
    #[arg(long)]
    coverage: Option<String>,
    /// 考核评分，按期，末项沿用 / scores by period, the last repeats: 85 or 88,65,50
    #[arg(long)]
    score: Option<String>,
    /// 物业费收缴率，按期 / collection rates by period: 85% or 0.85,0.80
    #[arg(long)]
    collection_rate: Option<String>,
    /// 第三方测评是否达标 / third-party evaluation passed
    #[arg(long)]
    passed: Option<bool>,
    /// 满意度 / satisfaction: 85% or 0.85
    #[arg(long)]
    satisfaction: Option<String>,
    /// 考核等次 / grade: 优秀 良好 合格 不合格
    #[arg(long)]
    grade: Option<String>,
    /// 物业费 元/㎡/月 / property fee yuan/m²/month
    #[arg(long)]
    fee: Option<rust_decimal::Decimal>,
    /// 合同期限（年）/ contract term in years
    #[arg(long, default_value_t = 10)]
    term_years: u32,
    /// 签约日（月-日）/ signing day in the year covered: MM-DD
    #[arg(long, default_value = "01-01")]
    sign_date: String,
}

#[derive(Subcommand)]
pub enum BudgetCmd {
    /// 测算一项政策今后 N 年的补贴支出（按年度、按支付方）/ project one policy's cost
    Project {
        /// 政策编号或政策文件 / policy id or file
        #[arg(
            long,
            required_unless_present = "policy_file",
            conflicts_with = "policy_file"
        )]
        policy: Option<String>,
        /// 政策文件（如改过的副本）/ a policy file (e.g. an edited copy)
        #[arg(long)]
        policy_file: Option<PathBuf>,
        #[command(flatten)]
        set: SetArgs,
        #[command(flatten)]
        assume: AssumeArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// 在同一批小区上比较两项（或多项）政策 / compare policies on the same compounds
    Compare {
        /// 政策编号或文件，至少两项 / policy ids or files, two or more
        #[arg(long = "policy", required = true, num_args = 1)]
        policies: Vec<String>,
        #[command(flatten)]
        set: SetArgs,
        #[command(flatten)]
        assume: AssumeArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

fn load_policy(key: &str, lang: Lang) -> anyhow::Result<Policy> {
    anju_policy::resolve(key)
        .map(|(p, _)| p)
        .map_err(|e| anyhow::anyhow!("{}", e.message(lang)))
}

fn assumptions(a: &AssumeArgs, lang: Lang) -> anyhow::Result<Assumptions> {
    let text = AssumptionText {
        years: a.years,
        coverage: a.coverage.clone().unwrap_or_default(),
        score: a.score.clone().unwrap_or_default(),
        collection_rate: a.collection_rate.clone().unwrap_or_default(),
        passed: a.passed,
        satisfaction: a.satisfaction.clone().unwrap_or_default(),
        grade: a.grade.clone().unwrap_or_default(),
        fee: a.fee,
        term_years: a.term_years,
        sign_date: a.sign_date.clone(),
        ..AssumptionText::new(a.start_year.unwrap_or_else(|| today().year() + 1))
    };
    text.parse(lang)
        .map_err(|e| anyhow::anyhow!("{}", e.message(lang)))
}

/// The compounds of the set, in ledger order; and a description of the set.
async fn compounds(
    set: &SetArgs,
    db: &str,
    lang: Lang,
) -> anyhow::Result<(Vec<(Option<i64>, Compound)>, String)> {
    let admits = |c: &Compound| {
        set.street.as_deref().is_none_or(|s| c.street == s)
            && set
                .district
                .as_deref()
                .is_none_or(|d| c.district.as_deref() == Some(d))
    };
    let mut what: Vec<String> = Vec::new();
    let rows = if let Some(path) = &set.ledger {
        let ledger = anju_sheets::read_ledger(path, &anju_sheets::ReadOptions::now(lang))
            .map_err(|e| anyhow::anyhow!("{}", e.render(lang)))?;
        what.push(path.display().to_string());
        ledger
            .rows
            .into_iter()
            .filter(|c| admits(c))
            .map(|c| (None, c))
            .collect::<Vec<_>>()
    } else {
        let app = crate::util::connect(db).await?;
        let list = app
            .compounds(
                &crate::util::cli_principal(lang),
                CompoundFilter {
                    street: set.street.clone(),
                    district: set.district.clone(),
                    sort: CompoundSort::Id,
                    ..CompoundFilter::default()
                },
            )
            .await?;
        list.into_iter().map(|c| (Some(c.id), c.compound)).collect()
    };
    if let Some(d) = &set.district {
        what.push(d.clone());
    }
    if let Some(s) = &set.street {
        what.push(s.clone());
    }
    if what.is_empty() {
        what.push(lang.pick("全部小区", "all compounds").into());
    }
    if rows.is_empty() {
        anyhow::bail!(
            "{}{}",
            lang.pick("范围内没有小区：", "no compounds in "),
            what.join(" ")
        );
    }
    Ok((rows, what.join(" ")))
}

fn run_one(
    p: &Policy,
    cands: &[Candidate],
    skipped: usize,
    a: &Assumptions,
    lang: Lang,
) -> anyhow::Result<Projection> {
    project(p, cands, skipped, a, lang).map_err(|e| {
        anyhow::anyhow!(
            "{}{}",
            lang.pick(
                &format!("{}（{}）无法测算：", p.file.short, p.id()),
                &format!("{} ({}) cannot be projected: ", p.file.short_en, p.id())
            ),
            e.message(lang)
        )
    })
}

fn header(pr: &Projection, scope: &str, lang: Lang) -> String {
    let mut s = String::new();
    s.push_str(&match lang {
        Lang::Zh => format!(
            "范围：{scope}；目标小区（无物业、自管）{} 个，已有物业管理的 {} 个不计\n",
            pr.candidates, pr.managed_skipped
        ),
        Lang::En => format!(
            "scope: {scope}; {} target compounds (no management, self-managed), {} already managed not counted\n",
            pr.candidates, pr.managed_skipped
        ),
    });
    s.push_str(lang.pick("假设：\n", "assumptions:\n"));
    for l in &pr.assumptions {
        s.push_str(&format!("  - {l}\n"));
    }
    s
}

fn footer(pr: &Projection, lang: Lang) -> String {
    let mut s = String::new();
    if pr.after_horizon != Fen::ZERO {
        s.push_str(&match lang {
            Lang::Zh => format!(
                "测算期后同一批合同仍需支付：{}（此后各期，及期满释放的预留资金，如有）\n",
                pr.after_horizon.display_yuan()
            ),
            Lang::En => format!(
                "still payable on the same contracts after the last year: {} yuan (later periods, and retention released if any)\n",
                pr.after_horizon.grouped()
            ),
        });
    }
    let uncovered = pr
        .compounds
        .iter()
        .filter(|c| c.covered_in.is_none())
        .count();
    s.push_str(&match lang {
        Lang::Zh => format!(
            "符合条件 {} 个（其中测算期内无应付金额 {} 个）；不符合 {} 个；无法计算 {} 个；测算期内未覆盖 {} 个\n",
            pr.eligible, pr.unpaid_eligible, pr.ineligible, pr.not_computed, uncovered
        ),
        Lang::En => format!(
            "eligible {} (of which {} paid nothing within the years); not eligible {}; not computed {}; not covered within the years {}\n",
            pr.eligible, pr.unpaid_eligible, pr.ineligible, pr.not_computed, uncovered
        ),
    });
    for c in pr
        .compounds
        .iter()
        .filter(|c| c.covered_in.is_some() && c.note.is_some())
    {
        s.push_str(&format!(
            "  {}（{}）：{}\n",
            c.name,
            c.street,
            c.note.as_deref().unwrap_or("")
        ));
    }
    s
}

fn project_table(pr: &Projection, scope: &str, lang: Lang) -> String {
    let mut out = match lang {
        Lang::Zh => format!("预算测算：{}（{}）\n", pr.policy_short, pr.policy),
        Lang::En => format!("budget projection: {} ({})\n", pr.policy_short, pr.policy),
    };
    out.push_str(&header(pr, scope, lang));
    let mut head = vec![
        lang.pick("年度", "year").to_string(),
        lang.pick("新覆盖", "newly covered").into(),
        lang.pick("累计覆盖", "covered").into(),
        lang.pick("获补小区", "paid").into(),
    ];
    head.extend(
        pr.payers
            .iter()
            .map(|p| format!("{}{}", p.name, lang.pick("（元）", " (yuan)"))),
    );
    head.push(lang.pick("合计（元）", "total (yuan)").into());
    let mut rows = vec![head];
    for y in &pr.years {
        let mut r = vec![
            y.year.to_string(),
            y.newly_covered.to_string(),
            y.covered.to_string(),
            y.paid_compounds.to_string(),
        ];
        r.extend(y.by_payer.iter().map(|f| f.grouped()));
        r.push(y.total.grouped());
        rows.push(r);
    }
    let mut t = vec![
        lang.pick("合计", "total").to_string(),
        String::new(),
        String::new(),
        String::new(),
    ];
    t.extend(pr.total_by_payer.iter().map(|f| f.grouped()));
    t.push(pr.total.grouped());
    rows.push(t);
    out.push('\n');
    out.push_str(&render_table(&rows));
    out.push('\n');
    out.push_str(&footer(pr, lang));
    out
}

fn compare_table(prs: &[Projection], scope: &str, lang: Lang) -> String {
    let names: Vec<String> = prs
        .iter()
        .map(|p| format!("{}（{}）", p.policy_short, p.policy))
        .collect();
    let mut out = match lang {
        Lang::Zh => format!("政策比较：{}\n", names.join(" 与 ")),
        Lang::En => format!("policy comparison: {}\n", names.join(" vs ")),
    };
    out.push_str(&header(&prs[0], scope, lang));
    let mut head = vec![lang.pick("年度", "year").to_string()];
    for p in prs {
        head.push(format!(
            "{}{}",
            p.policy_short,
            lang.pick("（元）", " (yuan)")
        ));
    }
    for p in &prs[1..] {
        head.push(format!("{} − {}", p.policy_short, prs[0].policy_short));
    }
    let mut rows = vec![head];
    for (i, y) in prs[0].years.iter().enumerate() {
        let mut r = vec![y.year.to_string()];
        r.extend(prs.iter().map(|p| p.years[i].total.grouped()));
        r.extend(
            prs[1..]
                .iter()
                .map(|p| (p.years[i].total - y.total).grouped()),
        );
        rows.push(r);
    }
    let mut t = vec![lang.pick("合计", "total").to_string()];
    t.extend(prs.iter().map(|p| p.total.grouped()));
    t.extend(prs[1..].iter().map(|p| (p.total - prs[0].total).grouped()));
    rows.push(t);
    out.push('\n');
    out.push_str(&render_table(&rows));
    out.push('\n');
    out.push_str(lang.pick("按支付方（测算期合计）：\n", "by payer (all years):\n"));
    for p in prs {
        let parts: Vec<String> = p
            .payers
            .iter()
            .zip(&p.total_by_payer)
            .map(|(c, f)| format!("{} {}", c.name, f.grouped()))
            .collect();
        out.push_str(&format!("  {}：{}\n", p.policy_short, parts.join("，")));
    }
    for p in prs {
        out.push_str(&format!("[{}] ", p.policy_short));
        out.push_str(&footer(p, lang));
    }
    out
}

pub fn run(c: BudgetCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        match c {
            BudgetCmd::Project {
                policy,
                policy_file,
                set,
                assume,
                format,
            } => {
                let key = match (&policy, &policy_file) {
                    (Some(p), _) => p.clone(),
                    (None, Some(f)) => f.display().to_string(),
                    (None, None) => anyhow::bail!("--policy"),
                };
                let p = load_policy(&key, lang)?;
                let a = assumptions(&assume, lang)?;
                let (rows, scope) = compounds(&set, db, lang).await?;
                let (cands, skipped) = candidates(&rows);
                let pr = run_one(&p, &cands, skipped, &a, lang)?;
                match format {
                    Format::Table => print!("{}", project_table(&pr, &scope, lang)),
                    Format::Json => println!("{}", serde_json::to_string_pretty(&pr)?),
                }
                Ok(ExitCode::SUCCESS)
            }
            BudgetCmd::Compare {
                policies,
                set,
                assume,
                format,
            } => {
                if policies.len() < 2 {
                    anyhow::bail!(
                        "{}",
                        lang.pick(
                            "比较需要至少两项政策：--policy A --policy B",
                            "a comparison needs two policies or more: --policy A --policy B"
                        )
                    );
                }
                let a = assumptions(&assume, lang)?;
                let (rows, scope) = compounds(&set, db, lang).await?;
                let (cands, skipped) = candidates(&rows);
                let mut prs = Vec::new();
                for key in &policies {
                    let p = load_policy(key, lang)?;
                    prs.push(run_one(&p, &cands, skipped, &a, lang)?);
                }
                match format {
                    Format::Table => print!("{}", compare_table(&prs, &scope, lang)),
                    Format::Json => {
                        let diff: Vec<serde_json::Value> = prs[1..]
                            .iter()
                            .map(|p| {
                                serde_json::json!({
                                    "policy": p.policy,
                                    "against": prs[0].policy,
                                    "by_year": p.years.iter().zip(&prs[0].years)
                                        .map(|(y, b)| serde_json::json!({"year": y.year, "difference": (y.total - b.total).plain()}))
                                        .collect::<Vec<_>>(),
                                    "total": (p.total - prs[0].total).plain(),
                                })
                            })
                            .collect();
                        println!(
                            "{}",
                            serde_json::to_string_pretty(
                                &serde_json::json!({"projections": prs, "differences": diff})
                            )?
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
