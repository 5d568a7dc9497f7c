//! Ledger commands: migrate, import, export, stats, demo, serve, bench import.

use crate::Cmd;
use crate::util::{cli_principal, connect, render_table, runtime, today};
use anju_app::App;
use anju_app::ledger::Imported;
use anju_core::stats::Coverage;
use anju_core::{InfraKind, Lang};
use anju_sheets::{LedgerError, ReadOptions};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum ImportCmd {
    /// 导入台账 / import a ledger (.xlsx, .xls, .csv in UTF-8 or GB18030); all-or-nothing
    Ledger { file: PathBuf },
}

#[derive(Subcommand)]
pub enum ExportCmd {
    /// 导出台账 / export the ledger as .xlsx, in the import layout
    Ledger {
        file: PathBuf,
        /// 只导出该街道 / only this street
        #[arg(long)]
        street: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

#[derive(Args)]
pub struct StatsArgs {
    /// 街道名称 / street name
    #[arg(long)]
    pub street: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Args)]
pub struct ServeArgs {
    /// 载入演示数据并创建演示账号 / load the demo data
    #[arg(long)]
    pub demo: bool,
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// 会话 Cookie 加 Secure 标记（经 HTTPS 提供服务时）/ mark the session cookie Secure (behind HTTPS)
    #[arg(long)]
    pub secure_cookies: bool,
    /// 会话闲置多少分钟后失效 / minutes of inactivity that end a session
    #[arg(long, default_value_t = 480)]
    pub idle_minutes: i64,
    /// 信用等级方案文件（TOML，默认内置烟台分档）/ credit scheme file (TOML; default: built-in)
    #[arg(long)]
    pub scheme: Option<std::path::PathBuf>,
    /// 可信的反向代理地址（可重复；只采信它们的 X-Forwarded-For）/ a reverse proxy whose
    /// X-Forwarded-For is believed (repeatable), e.g. 127.0.0.1 for nginx on this machine
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// 单个请求的最长处理时间（秒）/ seconds a request may take before 408
    #[arg(long, default_value_t = 120)]
    pub request_timeout: u64,
    /// 公开页面（/p、/s、/login）每个地址可连续请求的次数，此后每秒恢复一次 / requests one
    /// address may make at once to the public pages; one more each second after
    #[arg(long, default_value_t = 60)]
    pub public_burst: u32,
    /// 一张图的底图瓦片地址（含 {z}/{x}/{y}，可含 {s}），如天地图或政务内网瓦片服务；不设则离线绘制 /
    /// the map's tile URL template ({z}/{x}/{y}, optionally {s}); without one the map is drawn offline
    #[arg(long, value_name = "URL")]
    pub tiles: Option<String>,
    /// 瓦片地址中 {s} 的取值 / the values of {s} in the tile URL
    #[arg(long, default_value = "abc")]
    pub tiles_subdomains: String,
    /// 底图的版权说明（按瓦片服务条款）/ the attribution the tile source's terms ask for
    #[arg(long, default_value = "")]
    pub tiles_attribution: String,
}

#[derive(Args)]
pub struct BenchImportArgs {
    /// 小区数 / number of compounds
    #[arg(long, default_value_t = 100_000)]
    pub compounds: usize,
}

pub fn run(cmd: Cmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    let rt = runtime()?;
    rt.block_on(async move {
        match cmd {
            Cmd::Migrate => {
                connect(db).await?;
                println!(
                    "{}",
                    lang.pick("数据库已是最新结构。", "Database schema is up to date.")
                );
                Ok(ExitCode::SUCCESS)
            }
            Cmd::Import(ImportCmd::Ledger { file }) => import_ledger(db, &file, lang).await,
            Cmd::Export(ExportCmd::Ledger { file, street }) => {
                let app = connect(db).await?;
                let working = crate::util::Progress::spinner(lang.pick("导出台账", "exporting"));
                let n = app
                    .export_ledger(&cli_principal(lang), street.as_deref(), &file)
                    .await?;
                drop(working);
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("已导出 {} 个小区到 {}", n, file.display()),
                        Lang::En => format!("exported {} compounds to {}", n, file.display()),
                    }
                );
                Ok(ExitCode::SUCCESS)
            }
            Cmd::Stats(a) => stats(db, a, lang).await,
            Cmd::Backup { file } => {
                let app = connect(db).await?;
                app.backup_database(&cli_principal(lang), &file).await?;
                let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "已备份到 {}（{} 字节）。恢复：停止服务后用此文件替换数据库文件。",
                            file.display(),
                            size
                        ),
                        Lang::En => format!(
                            "backed up to {} ({} bytes). To restore: stop the server and put this file in place of the database file.",
                            file.display(),
                            size
                        ),
                    }
                );
                Ok(ExitCode::SUCCESS)
            }
            Cmd::Demo => {
                let app = connect(db).await?;
                load_demo(&app, lang).await?;
                Ok(ExitCode::SUCCESS)
            }
            Cmd::Serve(a) => {
                // Read before anything else: a bad scheme file stops the start, naming it.
                let scheme = crate::util::credit_scheme(a.scheme.as_deref(), lang)?;
                let mut app = connect(db).await?;
                if let Some(s) = scheme {
                    app = app.with_credit_scheme(s);
                }
                if a.demo {
                    load_demo(&app, lang).await?;
                    crate::cmd_user::ensure_demo_accounts(&app, lang).await?;
                }
                let mut state = anju_web::AppState::new(app, a.demo);
                state.auth.secure_cookies = a.secure_cookies;
                state.auth.idle_timeout = jiff::SignedDuration::from_mins(a.idle_minutes.max(1));
                state.guard.trusted_proxies = std::sync::Arc::new(a.trusted_proxies.clone());
                state.guard.request_timeout =
                    std::time::Duration::from_secs(a.request_timeout.max(1));
                state.guard.public_burst = a.public_burst.max(1);
                if let Some(url) = a.tiles.clone() {
                    let tiles = anju_web::map_web::TileSource {
                        url,
                        subdomains: a.tiles_subdomains.clone(),
                        attribution: a.tiles_attribution.clone(),
                    };
                    if tiles.csp_origin().is_none() {
                        anyhow::bail!(
                            "{}",
                            lang.pick(
                                "--tiles 应为 http(s) 地址，如 https://t{s}.tianditu.gov.cn/…",
                                "--tiles must be an http(s) URL template"
                            )
                        );
                    }
                    state.map_tiles = Some(tiles);
                }
                // Bind first: "serving" is printed only once the port really accepts.
                let listener = tokio::net::TcpListener::bind(("127.0.0.1", a.port))
                    .await
                    .with_context(|| {
                        format!(
                            "{} 127.0.0.1:{}",
                            lang.pick("无法监听端口", "cannot listen on"),
                            a.port
                        )
                    })?;
                println!(
                    "{} http://127.0.0.1:{}/  ({})",
                    lang.pick("安居已启动：", "Anju is serving at"),
                    a.port,
                    lang.pick("Ctrl-C 停止", "Ctrl-C stops")
                );
                anju_web::serve_on(listener, state).await?;
                Ok(ExitCode::SUCCESS)
            }
            Cmd::Bench(crate::BenchCmd::Import(a)) => {
                let dir = tempfile::tempdir()?;
                let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
                let bench_db = crate::util::BenchDb::open(db, sqlite, "import").await?;
                let r = bench_import(a, &bench_db, dir.path(), lang).await;
                bench_db.finish(false).await?;
                r
            }
            _ => {
                anyhow::bail!("internal: command routed to the ledger module")
            }
        }
    })
}

async fn import_ledger(db: &str, file: &Path, lang: Lang) -> anyhow::Result<ExitCode> {
    let opts = ReadOptions {
        current_year: today().year().into(),
        lang,
    };
    let app = connect(db).await?;
    let working = crate::util::Progress::spinner(lang.pick("导入台账", "importing the ledger"));
    let imported = app.import_ledger(&cli_principal(lang), file, opts).await?;
    drop(working);
    let (info, s) = match imported {
        Ok(done) => (done.info, done.summary),
        Err(e) => {
            eprintln!("{}", e.render(lang));
            eprintln!("{}", lang.pick("未写入任何数据。", "Nothing was written."));
            return Ok(ExitCode::from(1));
        }
    };
    match lang {
        Lang::Zh => println!(
            "已导入 {}：{} 行；新增 {}，更新 {}，未变 {}；新增物业企业 {}。",
            file.display(),
            info.rows,
            s.inserted,
            s.updated,
            s.unchanged,
            s.companies_created
        ),
        Lang::En => println!(
            "imported {}: {} rows; {} new, {} updated, {} unchanged; {} new companies.",
            file.display(),
            info.rows,
            s.inserted,
            s.updated,
            s.unchanged,
            s.companies_created
        ),
    }
    if !info.ignored_columns.is_empty() {
        println!(
            "{}{}",
            lang.pick("已忽略的列：", "ignored columns: "),
            info.ignored_columns.join("、")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the demo ledger (idempotent: a second run changes nothing).
pub async fn load_demo(app: &App, lang: Lang) -> anyhow::Result<()> {
    let who = cli_principal(lang);
    let done = app.load_demo(&who).await?;
    let (rows, s) = (done.compounds, done.summary);
    match lang {
        Lang::Zh => println!(
            "演示数据：{} 个小区（新增 {}，更新 {}，未变 {}）。名称与属性部分为虚构，已在备注中标注。",
            rows, s.inserted, s.updated, s.unchanged
        ),
        Lang::En => println!(
            "demo data: {} compounds ({} new, {} updated, {} unchanged). Invented names and attributes are marked in the remarks.",
            rows, s.inserted, s.updated, s.unchanged
        ),
    }
    Ok(())
}

async fn stats(db: &str, a: StatsArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let app = connect(db).await?;
    let report = app
        .coverage(&cli_principal(lang), a.street.as_deref())
        .await?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Table => {
            print!("{}", stats_table(&report, lang));
            println!("{}", anju_core::stats::HOUSEHOLD_BAND.line(lang));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A plain-text table an official can paste into WeChat: one line per street and community.
fn stats_table(r: &anju_core::stats::CoverageReport, lang: Lang) -> String {
    let heads = match lang {
        Lang::Zh => [
            "范围",
            "小区",
            "户数",
            "面积(㎡)",
            "有物业",
            "其中有业委会",
            "兜底/后勤",
            "弃管(含自管)",
            "其中有业委会",
            "弃管户数",
            "不满30户",
            "30户及以上",
            "覆盖率",
        ],
        Lang::En => [
            "scope",
            "compounds",
            "households",
            "area (㎡)",
            "company",
            "with body",
            "basic",
            "unmanaged",
            "with body",
            "unm. hh",
            "< 30 hh",
            "≥ 30 hh",
            "coverage",
        ],
    };
    let line = |scope: String, f: &Coverage| -> Vec<String> {
        vec![
            scope,
            f.compounds.to_string(),
            anju_core::money::group_thousands(f.households),
            f.area().grouped(),
            f.with_company.to_string(),
            f.with_company_with_committee.to_string(),
            f.basic.to_string(),
            f.unmanaged.to_string(),
            f.unmanaged_with_committee.to_string(),
            anju_core::money::group_thousands(f.unmanaged_households),
            f.unmanaged_under_30_households.to_string(),
            f.unmanaged_30_plus_households.to_string(),
            format!("{} %", f.coverage_percent),
        ]
    };
    let mut rows: Vec<Vec<String>> = vec![heads.iter().map(|s| s.to_string()).collect()];
    rows.push(line(lang.pick("合计", "total").to_string(), &r.total));
    for s in &r.streets {
        rows.push(line(s.street.clone(), &s.figures));
        for c in &s.communities {
            rows.push(line(format!("  {}", c.community), &c.figures));
        }
    }
    let mut out = render_table(&rows);
    out.push('\n');
    out.push_str(lang.pick(
        "弃管小区设施需求：",
        "Infrastructure needs of unmanaged compounds: ",
    ));
    let needs: Vec<String> = InfraKind::ALL
        .iter()
        .map(|k| {
            let n = r.total.unmanaged_needs.get(k.code()).copied().unwrap_or(0);
            match lang {
                Lang::Zh => format!("{} {}", k.zh(), n),
                Lang::En => format!("{} {}", k.en(), n),
            }
        })
        .collect();
    out.push_str(&needs.join(lang.pick("，", ", ")));
    out.push('\n');
    out
}

/// The ledger import on `bench_db` (SQLite, or a scratch schema on PostgreSQL), the generated
/// xlsx written in `dir`.
async fn bench_import(
    a: BenchImportArgs,
    bench_db: &crate::util::BenchDb,
    dir: &Path,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let xlsx = dir.join("bench-ledger.xlsx");
    let t0 = Instant::now();
    let rows = anju_sheets::generate_bench_ledger(a.compounds, 2022);
    anju_sheets::write_ledger(&xlsx, &rows)?;
    drop(rows);
    let gen_s = t0.elapsed().as_secs_f64();
    let size = std::fs::metadata(&xlsx)?.len();
    let app = connect(&bench_db.url).await?;
    let who = cli_principal(lang);
    let opts = ReadOptions {
        current_year: today().year().into(),
        lang,
    };
    let refused = |e: LedgerError| anyhow::anyhow!(e.render(lang));
    // The import as `anju import ledger` does it: read + validate + write, then commit.
    let t1 = Instant::now();
    let first: Imported = app
        .import_ledger(&who, &xlsx, opts)
        .await?
        .map_err(refused)?;
    let total = t1.elapsed().as_secs_f64();
    // The same file again: read, validate, match, nothing to write.
    let t2 = Instant::now();
    let again: Imported = app
        .import_ledger(&who, &xlsx, opts)
        .await?
        .map_err(refused)?;
    let reimport_s = t2.elapsed().as_secs_f64();
    println!(
        "anju bench import: {} compounds, {}",
        a.compounds, bench_db.engine
    );
    println!(
        "  generate + write xlsx   {gen_s:>8.2} s  ({:.1} MiB file)",
        size as f64 / 1048576.0
    );
    let read_s = first.read.as_secs_f64();
    println!(
        "  read + validate xlsx    {read_s:>8.2} s  (own thread; rows are written as they are read)"
    );
    println!(
        "  write after last read   {:>8.2} s  ({} inserted; of which commit {:.2} s)",
        (total - read_s).max(0.0),
        first.summary.inserted,
        first.commit.as_secs_f64()
    );
    println!("  import end to end       {total:>8.2} s  (target ≤ 5 s)");
    println!(
        "  re-import (no change)   {reimport_s:>8.2} s  ({} unchanged; read + validate + match)",
        again.summary.unchanged
    );
    match crate::util::peak_rss_kib().map(|kb| kb as f64 / 1024.0) {
        Some(m) => println!("  peak memory (VmHWM)     {m:>8.1} MiB (target ≤ 500 MB)"),
        None => println!("  peak memory             n/a on this system"),
    }
    Ok(ExitCode::SUCCESS)
}
