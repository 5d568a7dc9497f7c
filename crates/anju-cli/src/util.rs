//! Small helpers every command module shares: the runtime, today's date in China, who the
//! command line acts as, finding a compound by name or id, and aligned plain-text tables.

use anju_app::App;
use anju_app::model::StoredCompound;
use anju_core::Lang;
use anyhow::Context;

pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("tokio runtime")
}

/// Today in China (UTC+8): the application layer's one definition.
pub fn today() -> jiff::civil::Date {
    anju_app::today_in_china()
}

/// The login name of whoever runs the command, as the audit log records it: `cli:NAME`.
pub fn cli_user() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

/// Opens the database at `db` through the application layer (its schema brought up to date),
/// on the system clock (today in China).
pub async fn connect(db: &str) -> anyhow::Result<App> {
    Ok(App::connect(db).await?)
}

/// `app` grading companies by the scheme in `path` (TOML, the format of
/// `credit_default.toml`) or, without one, by the embedded default.
pub fn app_with_scheme(
    app: &App,
    path: Option<&std::path::Path>,
    lang: Lang,
) -> anyhow::Result<App> {
    let app = app.clone();
    Ok(match credit_scheme(path, lang)? {
        Some(s) => app.with_credit_scheme(s),
        None => app,
    })
}

/// The credit scheme a `--scheme FILE` flag names, read and checked (bands without gaps or
/// overlaps); `None` without the flag (the application's embedded default then applies).
pub fn credit_scheme(
    path: Option<&std::path::Path>,
    lang: Lang,
) -> anyhow::Result<Option<anju_core::credit::CreditScheme>> {
    let Some(p) = path else { return Ok(None) };
    let text = std::fs::read_to_string(p)
        .with_context(|| format!("{} {}", lang.pick("无法读取", "cannot read"), p.display()))?;
    let scheme = anju_core::credit::CreditScheme::from_toml(&text).with_context(|| {
        format!(
            "{} {}",
            lang.pick("信用等级方案", "credit scheme"),
            p.display()
        )
    })?;
    Ok(Some(scheme))
}

/// The command line as the application layer's principal: an administrator, named after
/// `--by` (else the system user), recording `role` in the audit log.
pub fn principal(by: Option<&str>, role: &str, lang: Lang) -> anju_app::Principal {
    anju_app::Principal::admin(by.map_or_else(cli_user, str::to_string), lang).recorded_as(role)
}

/// The command line as an administrator named after the system user.
pub fn cli_principal(lang: Lang) -> anju_app::Principal {
    anju_app::Principal::admin(cli_user(), lang)
}

/// Finds one compound by id or exact name (within a street when names repeat), through the
/// application layer as the command line's administrator.
pub async fn find_compound(
    app: &App,
    key: &str,
    street: Option<&str>,
    lang: Lang,
) -> anyhow::Result<StoredCompound> {
    Ok(app.find_compound(&cli_principal(lang), key, street).await?)
}

/// Display width in a terminal: CJK characters take two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !matches!(c, '≥' | '㎡' | '·') {
                2
            } else {
                1
            }
        })
        .sum()
}

/// An aligned table: the first row is the header, the first column left-aligned, the others
/// right-aligned (numbers), as an official pastes it into WeChat.
pub fn render_table(rows: &[Vec<String>]) -> String {
    let cols = rows.first().map(|r| r.len()).unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| width(c)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (ri, r) in rows.iter().enumerate() {
        for (i, cell) in r.iter().enumerate() {
            let pad = widths[i].saturating_sub(width(cell));
            if i == 0 {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
        if ri == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1)));
            out.push('\n');
        }
    }
    out
}

/// Peak resident memory of this process (VmHWM), in KiB, where /proc tells it.
pub fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Whether `--database-url` (or `ANJU_DATABASE_URL`) was given: the benchmarks then run on that
/// database (its engine), else on a bench SQLite file of their own.
pub fn database_given() -> bool {
    std::env::var_os("ANJU_DATABASE_URL").is_some()
        || std::env::args().any(|a| a == "--database-url" || a.starts_with("--database-url="))
}

/// Where a benchmark that writes runs: a SQLite file of its own, or, when `--database-url
/// postgres://…` is given, a scratch schema on that server (`anju_app::scratch`), so a bench
/// never touches data already there. [`BenchDb::finish`] drops the schema unless kept.
pub struct BenchDb {
    pub url: String,
    /// "SQLite" or "PostgreSQL (schema …)", printed with the figures.
    pub engine: String,
    scratch: Option<(String, String)>,
}

impl BenchDb {
    /// `db_flag` as the command line gave it; `sqlite_url` the SQLite database the bench uses
    /// otherwise; `name` names the schema (`anju_bench_{name}_{pid}`).
    pub async fn open(db_flag: &str, sqlite_url: String, name: &str) -> anyhow::Result<BenchDb> {
        if database_given() && db_flag.starts_with("postgres") {
            let schema = format!("anju_bench_{name}_{}", std::process::id());
            let url = anju_app::scratch::create(db_flag, &schema).await?;
            return Ok(BenchDb {
                url,
                engine: format!("PostgreSQL (schema {schema})"),
                scratch: Some((db_flag.to_string(), schema)),
            });
        }
        Ok(BenchDb {
            url: sqlite_url,
            engine: "SQLite".into(),
            scratch: None,
        })
    }

    /// Whether the bench runs in a scratch schema (dropped by [`BenchDb::finish`]).
    pub fn is_scratch(&self) -> bool {
        self.scratch.is_some()
    }

    /// Drops the scratch schema, or says where it was kept.
    pub async fn finish(self, keep: bool) -> anyhow::Result<()> {
        if let Some((base, schema)) = self.scratch {
            if keep {
                println!("  kept: schema {schema} on {base}");
            } else {
                anju_app::scratch::drop(&base, &schema).await?;
            }
        }
        Ok(())
    }
}

/// A spinner on stderr for CLI work that may take more than a second (an import, a run, a
/// report), with what is being done and the time so far. `indicatif` draws nothing when stderr
/// is not a terminal, so piped or redirected output stays clean; it is cleared when dropped,
/// before the command prints its result.
pub struct Progress(indicatif::ProgressBar);

impl Progress {
    pub fn spinner(what: impl Into<std::borrow::Cow<'static, str>>) -> Progress {
        let bar = indicatif::ProgressBar::new_spinner().with_message(what);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress(bar)
    }

    /// A bar over `total` steps (districts × years of a bench, rows …).
    pub fn bar(total: u64, what: impl Into<std::borrow::Cow<'static, str>>) -> Progress {
        let bar = indicatif::ProgressBar::new(total).with_message(what);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(bar)
    }

    pub fn inc(&self, n: u64) {
        self.0.inc(n);
    }

    /// Prints a line on stdout above the bar (or plainly when the bar is hidden).
    pub fn println(&self, line: impl AsRef<str>) {
        if self.0.is_hidden() {
            println!("{}", line.as_ref());
        } else {
            self.0.suspend(|| println!("{}", line.as_ref()));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
