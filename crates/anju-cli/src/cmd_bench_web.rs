//! `anju bench web`: the web application under load, as a street office's server sees it.
//!
//! 1. A SQLite database with `--compounds` compounds (generated with anju-sheets
//!    `generate_bench_ledger` and written through the same `apply_ledger` path as an import),
//!    created once and reused by later runs (`$TMPDIR/anju-bench-web-<n>.db` unless
//!    `--database-url`/`ANJU_DATABASE_URL` names one; a database that already holds compounds
//!    is benchmarked as it is).
//! 2. A bench account (`bench-web`, 住建局, the whole city) with a fresh random password each
//!    run, disabled again when the run ends.
//! 3. The application served in this process on a free loopback port (`anju_web::serve`), one
//!    login, then `--clients` keep-alive HTTP/1.1 clients (plain blocking sockets, one thread
//!    each) requesting the dashboard (`/dashboard` or `/`, whichever answers 200) and `/ledger`
//!    in turn for `--seconds`.
//!    Meanwhile a writer (unless `--write-every-ms 0`) changes one compound's remarks every
//!    `--write-every-ms` through `Store::update_compound`, an audited write as a user's edit
//!    is: every write raises its street's figure counter (`Store::figure_versions`), so the
//!    city-wide pages' caches go stale as they would in a city where people work all day (the
//!    writes cycle through the streets).
//! 4. Per route: requests, errors (anything but 200, or a broken connection), req/s and exact
//!    p50/p90/p99/max latency from the sorted samples; the writes made; the ledger's cold path
//!    measured alone (`--cold-samples` times: one write, then one `/ledger`); the peak RSS while
//!    serving (VmHWM, reset after the database is prepared); and a one-request breakdown of
//!    what each page's handler calls, so a missed target names the slow query or computation.

use crate::util::{cli_principal, connect, peak_rss_kib, runtime, today};
use anju_app::model::{AlertOptions, CompoundFilter, CompoundSort};
use anju_app::users::NewAccount;
use anju_app::{App, Principal};
use anju_core::Lang;
use anju_core::access::Role;
use anju_core::{CompoundId, UserId};
use anyhow::{Context, bail};
use clap::Args;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The bench account's username.
const BENCH_USER: &str = "bench-web";
/// Targets from the web-app issue (Performance).
const DASHBOARD_P99_MS: f64 = 100.0;
const LEDGER_P99_MS: f64 = 50.0;
const MIN_RPS: f64 = 1000.0;
/// A request unanswered this long counts as an error.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Args)]
pub struct BenchWebArgs {
    /// 小区数（新建基准库时）/ compounds in a new bench database
    #[arg(long, default_value_t = 100_000)]
    pub compounds: usize,
    /// 并发客户端数 / concurrent keep-alive clients
    #[arg(long, default_value_t = 50)]
    pub clients: usize,
    /// 压测时长（秒）/ seconds of load
    #[arg(long, default_value_t = 30)]
    pub seconds: u64,
    /// 只压测这些路径（可重复，如 --route /dashboard）/ load only these paths (repeatable);
    /// default: the dashboard and /ledger
    #[arg(long = "route")]
    pub routes: Vec<String>,
    /// 写入间隔（毫秒，0 为不写）：压测期间每隔这么久经由 store 修改一个小区的备注（带审计）/
    /// an audited write (a compound's remarks, through the store) every this many ms during
    /// the run; 0: no writes
    #[arg(long, default_value_t = 100)]
    pub write_every_ms: u64,
    /// 冷启动采样次数：每次先写一次再请求一次 /ledger / times the ledger is requested right
    /// after a write, alone, to time its cold path
    #[arg(long, default_value_t = 20)]
    pub cold_samples: usize,
}

/// A password nobody knows: 128 bits from the standard library's randomly keyed hasher.
fn random_password() -> String {
    let mut out = String::from("bench-");
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

pub fn run(a: BenchWebArgs, db_flag: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    if a.clients == 0 || a.seconds == 0 {
        bail!(
            "{}",
            lang.pick(
                "--clients 与 --seconds 须大于 0",
                "--clients and --seconds must be above 0"
            )
        );
    }
    let rt = runtime()?;
    // PostgreSQL: a scratch schema of its own (seeded each run, dropped after); SQLite: the
    // file named, or a bench file of its own reused by later runs.
    let sqlite = if crate::util::database_given() {
        db_flag.to_string()
    } else {
        format!(
            "sqlite://{}",
            std::env::temp_dir()
                .join(format!("anju-bench-web-{}.db", a.compounds))
                .display()
        )
    };
    let bench_db = rt.block_on(crate::util::BenchDb::open(db_flag, sqlite, "web"))?;
    let db = bench_db.url.clone();
    let (app, compounds, password) = rt.block_on(prepare(&db, a.compounds, lang))?;

    let mut breakdown_writer = Writer::new(&rt, &app)?;
    let breakdown = rt.block_on(breakdown(&app, &mut breakdown_writer))?;

    // The peak below is the server's: forget generating the ledger and the breakdown.
    let peak_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();

    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .context("no free loopback port")?;
    let server = rt.spawn(anju_web::serve(
        anju_web::AppState::new(app.clone(), false),
        port,
    ));
    let addr = format!("127.0.0.1:{port}");
    wait_healthy(&addr)?;

    let cookie = login(&addr, &password)?;
    // The first request to each route is timed apart (cold caches); the dashboard is the
    // first of /dashboard and / that answers 200.
    let mut cold = Vec::new();
    let mut dashboard = None;
    for p in ["/dashboard", "/"] {
        let t = Instant::now();
        if let Ok((200, bytes)) = get_once(&addr, &cookie, p) {
            cold.push((p.to_string(), t.elapsed(), bytes));
            dashboard = Some(p);
            break;
        }
    }
    let routes: Vec<&str> = if a.routes.is_empty() {
        dashboard.into_iter().chain(["/ledger"]).collect()
    } else {
        a.routes.iter().map(String::as_str).collect()
    };
    for r in &routes {
        if cold.iter().any(|(p, _, _)| p == r) {
            continue;
        }
        let t = Instant::now();
        let (status, bytes) = get_once(&addr, &cookie, r)?;
        if status != 200 {
            bail!("GET {r} answered {status} to the bench account");
        }
        cold.push((r.to_string(), t.elapsed(), bytes));
    }
    cold.retain(|(p, _, _)| routes.contains(&p.as_str()));

    // The ledger's cold path alone: a write (the cache is stale), then one request.
    let mut cold_ledger = Vec::new();
    let mut bench_writer = Writer::new(&rt, &app)?;
    for _ in 0..a.cold_samples {
        rt.block_on(bench_writer.write_one())?;
        let t = Instant::now();
        let (status, _) = get_once(&addr, &cookie, "/ledger")?;
        if status != 200 {
            bail!("GET /ledger answered {status} to the bench account");
        }
        cold_ledger.push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
    }
    cold_ledger.sort_unstable();

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writes = (a.write_every_ms > 0).then(|| {
        let stop = stop.clone();
        let every = Duration::from_millis(a.write_every_ms);
        rt.spawn(async move { bench_writer.run(every, stop).await })
    });
    let results = load(
        &addr,
        &cookie,
        &routes,
        a.clients,
        Duration::from_secs(a.seconds),
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let writes = match writes {
        Some(h) => Some(rt.block_on(h).context("the bench writer")?),
        None => None,
    };
    let peak = peak_rss_kib();
    server.abort();
    rt.block_on(retire_account(&app))?;

    print_report(&Report {
        db: &db,
        compounds,
        args: &a,
        dashboard_found: dashboard.is_some(),
        cold: &cold,
        cold_ledger: &cold_ledger,
        writes: writes.as_ref(),
        results: &results,
        peak_kib: peak,
        peak_reset,
        breakdown: &breakdown,
        engine: bench_db.is_scratch().then_some(bench_db.engine.as_str()),
    });
    drop(app);
    rt.block_on(bench_db.finish(false))?;
    Ok(ExitCode::SUCCESS)
}

/// Opens (or creates and fills) the bench database and readies the bench account.
async fn prepare(db: &str, n: usize, lang: Lang) -> anyhow::Result<(App, i64, String)> {
    let app = connect(db).await?;
    let who = cli_principal(lang);
    let mut count = app.count_compounds(&who, CompoundFilter::default()).await?;
    if count == 0 {
        let t = Instant::now();
        let rows = anju_sheets::generate_bench_ledger(n, 2022);
        app.apply_ledger_rows(&who, &rows, today()).await?;
        app.bench_analyze(&who).await?;
        count = app.count_compounds(&who, CompoundFilter::default()).await?;
        println!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "已生成基准库 {db}：{count} 个小区，用时 {:.1} 秒（以后的运行直接复用）",
                    t.elapsed().as_secs_f64()
                ),
                Lang::En => format!(
                    "created the bench database {db}: {count} compounds in {:.1} s (reused by later runs)",
                    t.elapsed().as_secs_f64()
                ),
            }
        );
    } else if usize::try_from(count).ok() != Some(n) {
        println!(
            "{}",
            match lang {
                Lang::Zh => format!("复用 {db}：库中已有 {count} 个小区（--compounds 不再生效）"),
                Lang::En => format!(
                    "reusing {db}: it already holds {count} compounds (--compounds is ignored)"
                ),
            }
        );
    }
    let password = random_password();
    match app.account(&who, BENCH_USER).await {
        Err(anju_app::AppError::Invalid(_)) => {
            app.create_account(
                &who,
                NewAccount {
                    username: BENCH_USER.into(),
                    display_name: Some("性能基准 bench".into()),
                    password: password.clone(),
                    role: Role::HousingAuthority,
                    region_id: None,
                    company_id: None,
                    department_id: None,
                    compound_id: None,
                },
            )
            .await?;
        }
        Err(e) => return Err(e.into()),
        Ok(u) => {
            let u = app
                .reset_password(&who, UserId(u.id), u.version, password.clone())
                .await?;
            if !u.active {
                app.set_account_active(&who, UserId(u.id), u.version, true)
                    .await?;
            }
        }
    }
    Ok((app, count, password))
}

/// The bench's writer: changes the remarks of the first compounds in turn through
/// `App::update_compound` (a versioned, audited write, as an edit on the compound page).
struct Writer {
    app: App,
    ids: Vec<i64>,
    next: usize,
    /// This run, in the remarks written.
    run: u128,
    who: Principal,
}

/// What the writer did during the run.
struct Writes {
    done: u64,
    errors: u64,
    first_error: Option<String>,
    /// Latency of each write, in microseconds, sorted.
    micros: Vec<u64>,
}

impl Writer {
    fn new(rt: &tokio::runtime::Runtime, app: &App) -> anyhow::Result<Writer> {
        // The bench account itself (住建, city-wide) writes, as it would from the page.
        let who = Principal {
            role: Role::HousingAuthority,
            ..Principal::admin(BENCH_USER, Lang::Zh)
        };
        let ids = rt
            .block_on(app.compounds(
                &who,
                CompoundFilter {
                    sort: CompoundSort::Id,
                    limit: Some(200),
                    ..CompoundFilter::default()
                },
            ))?
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>();
        if ids.is_empty() {
            bail!("the bench database holds no compound to write to");
        }
        Ok(Writer {
            app: app.clone(),
            ids,
            next: 0,
            run: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_micros())
                .unwrap_or_default(),
            who,
        })
    }

    /// One audited write: the next compound's remarks.
    async fn write_one(&mut self) -> anyhow::Result<()> {
        let id = self.ids[self.next % self.ids.len()];
        self.next += 1;
        let c = self
            .app
            .compound_in_scope(&self.who, CompoundId(id))
            .await?;
        let mut compound = c.compound.clone();
        // Text no earlier run wrote: writing the same data again is no write (and no audit row).
        compound.remarks = Some(format!(
            "性能基准写入 bench write {} {}",
            self.run, self.next
        ));
        let today = self.app.today();
        let after = self
            .app
            .update_compound(&self.who, CompoundId(id), c.version, compound, today)
            .await?;
        if after.version == c.version {
            bail!("the write to compound {id} changed nothing");
        }
        Ok(())
    }

    /// Writes every `every` until `stop`.
    async fn run(
        mut self,
        every: Duration,
        stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) -> Writes {
        let mut out = Writes {
            done: 0,
            errors: 0,
            first_error: None,
            micros: Vec::new(),
        };
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            tick.tick().await;
            let t = Instant::now();
            match self.write_one().await {
                Ok(()) => {
                    out.done += 1;
                    out.micros
                        .push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
                }
                Err(e) => {
                    out.errors += 1;
                    out.first_error.get_or_insert_with(|| format!("{e:#}"));
                }
            }
        }
        out.micros.sort_unstable();
        out
    }
}

/// Disables the bench account again: its password was printed nowhere, but an account that
/// is not in use should not be able to log in.
async fn retire_account(app: &App) -> anyhow::Result<()> {
    let who = cli_principal(Lang::Zh);
    let u = app.account(&who, BENCH_USER).await?;
    if u.active {
        app.set_account_active(&who, UserId(u.id), u.version, false)
            .await?;
    }
    Ok(())
}

/// One timing of each piece the two pages are built from, for the whole city.
async fn breakdown(app: &App, writer: &mut Writer) -> anyhow::Result<Vec<(String, Duration)>> {
    let who = cli_principal(Lang::Zh);
    let all = CompoundFilter::default();
    let mut out = Vec::new();
    let t = Instant::now();
    let n = app.count_compounds(&who, all.clone()).await?;
    out.push((format!("count_compounds (all, {n})"), t.elapsed()));
    let t = Instant::now();
    let list = app.compounds(&who, all.clone()).await?;
    out.push((
        format!("list_compounds (all, {} rows)", list.len()),
        t.elapsed(),
    ));
    let t = Instant::now();
    let report = anju_core::stats::coverage(list.iter().map(|s| &s.compound));
    out.push((
        format!(
            "stats::coverage over them ({} streets)",
            report.streets.len()
        ),
        t.elapsed(),
    ));
    drop(list);
    let t = Instant::now();
    let page = app
        .compounds(
            &who,
            CompoundFilter {
                limit: Some(50),
                offset: Some(0),
                ..CompoundFilter::default()
            },
        )
        .await?;
    out.push((
        format!("list_compounds (LIMIT 50: {} rows)", page.len()),
        t.elapsed(),
    ));
    let t = Instant::now();
    let figures = app.ledger_figures(&who, all.clone(), false).await?;
    out.push((
        format!(
            "ledger_figures (all: {} groups, {} compounds)",
            figures.groups.len(),
            figures.places.total()
        ),
        t.elapsed(),
    ));
    for (sort, label) in [
        (CompoundSort::Region, "region"),
        (CompoundSort::Name, "name"),
        (CompoundSort::HouseholdsDesc, "households"),
    ] {
        let t = Instant::now();
        let page = app
            .compounds_placed(
                &who,
                CompoundFilter {
                    sort,
                    limit: Some(50),
                    offset: Some(5_000),
                    ..CompoundFilter::default()
                },
                &figures.places,
            )
            .await?;
        out.push((
            format!(
                "list_compounds_placed (by {label}, page 101: {} rows)",
                page.len()
            ),
            t.elapsed(),
        ));
    }
    let t = Instant::now();
    let cells = app.coverage_cells(&who, all.clone()).await?;
    out.push((
        format!("coverage_cells (all, {} cells)", cells.len()),
        t.elapsed(),
    ));
    let t = Instant::now();
    let groups = app
        .alerts(&who, all.clone(), AlertOptions::default())
        .await?;
    out.push((format!("alerts ({} groups)", groups.len()), t.elapsed()));
    let t = Instant::now();
    app.data_version().await?;
    out.push(("data_version".to_string(), t.elapsed()));
    let t = Instant::now();
    let html = anju_web::dashboard::render_dashboard_uncached(app, &who, "全市").await?;
    out.push((
        format!(
            "dashboard::render_dashboard_uncached ({} KiB)",
            html.len() / 1024
        ),
        t.elapsed(),
    ));
    // The same figures from the streets' kept pieces (anju-app `dashboard`): all built, all
    // kept, then one street's rebuilt after a write there.
    let to = anju_core::fees::Month::of(app.today());
    let from = anju_core::fees::Month::new(to.year - 2, to.month)
        .map(|m| m.next())
        .unwrap_or(to);
    let streets = app.offered_streets(&who).await?.len();
    for label in [
        format!("dashboard_figures ({streets} street pieces, none kept yet)"),
        "dashboard_figures (every piece kept)".to_string(),
    ] {
        let t = Instant::now();
        app.dashboard_figures(&who, from, to).await?;
        out.push((label, t.elapsed()));
    }
    writer.write_one().await?;
    let t = Instant::now();
    app.dashboard_figures(&who, from, to).await?;
    out.push((
        "dashboard_figures (after a write: one street rebuilt)".to_string(),
        t.elapsed(),
    ));
    writer.write_one().await?;
    let t = Instant::now();
    anju_web::dashboard::render_dashboard(app, &who, "全市").await?;
    out.push((
        "dashboard::render_dashboard (after a write: one street rebuilt, page drawn)".to_string(),
        t.elapsed(),
    ));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// A small HTTP/1.1 client over blocking sockets: enough for our own server on loopback.

struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: &str) -> std::io::Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(READ_TIMEOUT))?;
        Ok(Conn {
            reader: BufReader::new(s),
        })
    }

    /// Sends one request and reads the whole answer: (status, body bytes, set-cookie values,
    /// whether the server keeps the connection open).
    fn request(
        &mut self,
        method: &str,
        path: &str,
        cookie: &str,
        body: Option<&str>,
    ) -> std::io::Result<Answer> {
        let mut req =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n");
        if !cookie.is_empty() {
            req.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        if let Some(b) = body {
            req.push_str(b);
        }
        self.reader.get_mut().write_all(req.as_bytes())?;
        read_answer(&mut self.reader, None)
    }

    /// [`Conn::request`] keeping the body.
    fn request_body(
        &mut self,
        method: &str,
        path: &str,
        cookie: &str,
        body: Option<&str>,
        out: &mut Vec<u8>,
    ) -> std::io::Result<Answer> {
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n{}\r\n{}",
            if cookie.is_empty() {
                String::new()
            } else {
                format!("Cookie: {cookie}\r\n")
            },
            body.unwrap_or("")
        );
        self.reader.get_mut().write_all(req.as_bytes())?;
        read_answer(&mut self.reader, Some(out))
    }
}

struct Answer {
    status: u16,
    bytes: usize,
    set_cookies: Vec<String>,
    keep_alive: bool,
}

fn bad(msg: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_string())
}

fn read_line(r: &mut BufReader<TcpStream>) -> std::io::Result<String> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn read_answer(
    r: &mut BufReader<TcpStream>,
    mut keep: Option<&mut Vec<u8>>,
) -> std::io::Result<Answer> {
    let status_line = read_line(r)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut keep_alive = true;
    let mut set_cookies = Vec::new();
    loop {
        let line = read_line(r)?;
        if line.is_empty() {
            break;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = v.parse().ok(),
            "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
            "connection" => keep_alive = !v.eq_ignore_ascii_case("close"),
            "set-cookie" => set_cookies.push(v.to_string()),
            _ => {}
        }
    }
    let mut bytes = 0;
    if chunked {
        loop {
            let size_line = read_line(r)?;
            let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| bad("bad chunk size"))?;
            if size == 0 {
                // Trailers end with an empty line.
                while !read_line(r)?.is_empty() {}
                break;
            }
            bytes += skip(r, size, keep.as_deref_mut())?;
            read_line(r)?;
        }
    } else if let Some(n) = length {
        bytes = skip(r, n, keep)?;
    } else if status != 204 && status != 304 {
        // No length: the body runs to the end of the connection.
        let mut sink = Vec::new();
        bytes = r.read_to_end(&mut sink)?;
        keep_alive = false;
    }
    Ok(Answer {
        status,
        bytes,
        set_cookies,
        keep_alive,
    })
}

/// Reads `n` body bytes, into `keep` when given.
fn skip(
    r: &mut BufReader<TcpStream>,
    n: usize,
    keep: Option<&mut Vec<u8>>,
) -> std::io::Result<usize> {
    let mut body = r.by_ref().take(n as u64);
    let copied = match keep {
        Some(out) => std::io::copy(&mut body, out)?,
        None => std::io::copy(&mut body, &mut std::io::sink())?,
    };
    if copied as usize != n {
        return Err(bad("body shorter than announced"));
    }
    Ok(n)
}

fn wait_healthy(addr: &str) -> anyhow::Result<()> {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(30) {
        if let Ok(mut c) = Conn::open(addr)
            && c.request("GET", "/healthz", "", None)
                .is_ok_and(|a| a.status == 200)
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("the server on {addr} did not answer /healthz within 30 s")
}

/// The value of the hidden form field `name` in `html`.
fn hidden_field(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let v = rest.find("value=\"")? + "value=\"".len();
    let end = rest[v..].find('"')?;
    Some(rest[v..v + end].to_string())
}

/// `name=value` of the cookie `name` among Set-Cookie values.
fn cookie_pair(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .filter_map(|v| v.split(';').next())
        .find(|kv| kv.split_once('=').is_some_and(|(k, _)| k.trim() == name))
        .map(|kv| kv.trim().to_string())
}

/// Logs in as a browser does: the login page (its CSRF cookie and field), then the form.
fn login(addr: &str, password: &str) -> anyhow::Result<String> {
    let mut c = Conn::open(addr)?;
    let mut html = Vec::new();
    let form = c.request_body("GET", "/login", "", None, &mut html)?;
    let html = String::from_utf8_lossy(&html);
    let mut body = format!("username={BENCH_USER}&password={password}&next=%2Fledger");
    let mut cookie = String::new();
    if let Some(csrf) = hidden_field(&html, "csrf") {
        body.push_str(&format!("&csrf={csrf}"));
    }
    if let Some(pair) = cookie_pair(&form.set_cookies, "anju_login_csrf") {
        cookie = pair;
    }
    let a = c.request("POST", "/login", &cookie, Some(&body))?;
    match (
        a.status,
        cookie_pair(&a.set_cookies, anju_web::auth::SESSION_COOKIE),
    ) {
        (303, Some(c)) => Ok(c),
        (s, _) => bail!("login as {BENCH_USER} answered {s} without a session cookie"),
    }
}

fn get_once(addr: &str, cookie: &str, path: &str) -> anyhow::Result<(u16, usize)> {
    let a = Conn::open(addr)?.request("GET", path, cookie, None)?;
    Ok((a.status, a.bytes))
}

// ---------------------------------------------------------------------------------------------
// Load

#[derive(Default)]
struct RouteResult {
    /// Latency of every answered request, in microseconds.
    micros: Vec<u64>,
    errors: u64,
    bytes: u64,
}

struct LoadResult {
    routes: Vec<(String, RouteResult)>,
    elapsed: Duration,
    first_error: Option<String>,
}

fn load(
    addr: &str,
    cookie: &str,
    routes: &[&str],
    clients: usize,
    duration: Duration,
) -> LoadResult {
    let start = Instant::now();
    let deadline = start + duration;
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let addr = addr.to_string();
            let cookie = cookie.to_string();
            let routes: Vec<String> = routes.iter().map(|r| r.to_string()).collect();
            std::thread::spawn(move || client(&addr, &cookie, &routes, i, deadline))
        })
        .collect();
    let mut merged: Vec<(String, RouteResult)> = routes
        .iter()
        .map(|r| (r.to_string(), RouteResult::default()))
        .collect();
    let mut first_error = None;
    for h in handles {
        match h.join() {
            Ok((per_route, err)) => {
                for (m, r) in merged.iter_mut().zip(per_route) {
                    m.1.micros.extend(r.micros);
                    m.1.errors += r.errors;
                    m.1.bytes += r.bytes;
                }
                if first_error.is_none() {
                    first_error = err;
                }
            }
            Err(_) => {
                first_error.get_or_insert_with(|| "a client thread panicked".to_string());
            }
        }
    }
    LoadResult {
        routes: merged,
        elapsed: start.elapsed(),
        first_error,
    }
}

/// One client: requests the routes in turn (starting at a different one per client) on one
/// keep-alive connection, reconnecting after an error, until the deadline.
fn client(
    addr: &str,
    cookie: &str,
    routes: &[String],
    index: usize,
    deadline: Instant,
) -> (Vec<RouteResult>, Option<String>) {
    let mut out: Vec<RouteResult> = routes.iter().map(|_| RouteResult::default()).collect();
    let mut first_error = None;
    let mut conn: Option<Conn> = None;
    let mut i = index;
    while Instant::now() < deadline {
        let k = i % routes.len();
        i += 1;
        let c = match conn.take() {
            Some(c) => c,
            None => match Conn::open(addr) {
                Ok(c) => c,
                Err(e) => {
                    out[k].errors += 1;
                    first_error.get_or_insert_with(|| format!("connect: {e}"));
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            },
        };
        let mut c = c;
        let t = Instant::now();
        match c.request("GET", &routes[k], cookie, None) {
            Ok(a) => {
                let us = u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX);
                out[k].micros.push(us);
                out[k].bytes += a.bytes as u64;
                if a.status != 200 {
                    out[k].errors += 1;
                    first_error
                        .get_or_insert_with(|| format!("GET {} answered {}", routes[k], a.status));
                }
                if a.keep_alive {
                    conn = Some(c);
                }
            }
            Err(e) => {
                out[k].errors += 1;
                let what = if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) {
                    format!("no answer within {} s", READ_TIMEOUT.as_secs())
                } else {
                    e.to_string()
                };
                first_error.get_or_insert_with(|| format!("GET {}: {what}", routes[k]));
            }
        }
    }
    (out, first_error)
}

// ---------------------------------------------------------------------------------------------
// Report

struct Report<'a> {
    db: &'a str,
    /// "PostgreSQL (schema …)" when the bench ran in a scratch schema; else SQLite at `db`.
    engine: Option<&'a str>,
    compounds: i64,
    args: &'a BenchWebArgs,
    dashboard_found: bool,
    cold: &'a [(String, Duration, usize)],
    /// `/ledger` right after a write, alone, in microseconds, sorted.
    cold_ledger: &'a [u64],
    writes: Option<&'a Writes>,
    results: &'a LoadResult,
    peak_kib: Option<u64>,
    peak_reset: bool,
    breakdown: &'a [(String, Duration)],
}

/// The sample at quantile `q` of sorted samples (nearest rank).
fn percentile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

fn print_report(r: &Report) {
    let secs = r.results.elapsed.as_secs_f64();
    println!(
        "anju bench web: {} compounds, {} clients, {:.1} s, account {BENCH_USER} (housing authority, whole city)",
        r.compounds, r.args.clients, secs
    );
    match r.engine {
        Some(e) => println!("  database: {e}"),
        None => println!("  database: SQLite {}", r.db),
    }
    if !r.dashboard_found {
        println!(
            "  (no dashboard route answers 200 yet: /dashboard and / were tried; only the ledger is loaded)"
        );
    }
    println!("  one request each before the run (cold caches):");
    for (route, t, bytes) in r.cold {
        println!(
            "    {route:<12} {:>9.1} ms  {:>6} KiB",
            t.as_secs_f64() * 1000.0,
            bytes / 1024
        );
    }
    if !r.cold_ledger.is_empty() {
        let c = r.cold_ledger;
        println!(
            "  /ledger right after a write, alone ({} times): p50 {:.1} ms, p90 {:.1} ms, max {:.1} ms",
            c.len(),
            ms(percentile(c, 0.50)),
            ms(percentile(c, 0.90)),
            ms(c.last().copied().unwrap_or(0)),
        );
    }
    match r.writes {
        Some(w) => {
            println!(
                "  during the run: {} audited writes ({:.1}/s, one every {} ms asked), {} failed; write p50 {:.1} ms, max {:.1} ms",
                w.done,
                w.done as f64 / secs,
                r.args.write_every_ms,
                w.errors,
                ms(percentile(&w.micros, 0.50)),
                ms(w.micros.last().copied().unwrap_or(0)),
            );
            if let Some(e) = &w.first_error {
                println!("  first write error: {e}");
            }
        }
        None => {
            println!("  during the run: no writes (--write-every-ms 0): every page is served warm")
        }
    }
    println!(
        "  {:<12} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8}  target",
        "route", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "KiB/req"
    );
    let mut total_requests = 0usize;
    let mut total_errors = 0u64;
    let mut all_ok = true;
    for (route, res) in &r.results.routes {
        let mut s = res.micros.clone();
        s.sort_unstable();
        let n = s.len();
        total_requests += n;
        total_errors += res.errors;
        let p99 = ms(percentile(&s, 0.99));
        let (target, ok) = if route.starts_with("/ledger") {
            (format!("p99 ≤ {LEDGER_P99_MS} ms"), p99 <= LEDGER_P99_MS)
        } else {
            (
                format!("p99 ≤ {DASHBOARD_P99_MS} ms"),
                p99 <= DASHBOARD_P99_MS,
            )
        };
        all_ok &= ok && n > 0;
        println!(
            "  {route:<12} {n:>9} {:>7} {:>9.1} {:>9.1} {:>9.1} {p99:>9.1} {:>9.1} {:>8}  {target}: {}",
            res.errors,
            n as f64 / secs,
            ms(percentile(&s, 0.50)),
            ms(percentile(&s, 0.90)),
            ms(s.last().copied().unwrap_or(0)),
            if n > 0 {
                res.bytes / n as u64 / 1024
            } else {
                0
            },
            verdict(ok && n > 0)
        );
    }
    let rps = total_requests as f64 / secs;
    println!(
        "  {:<12} {total_requests:>9} {total_errors:>7} {rps:>9.1}  target ≥ {MIN_RPS} req/s and 0 errors: {}",
        "all",
        verdict(rps >= MIN_RPS && total_errors == 0)
    );
    all_ok &= rps >= MIN_RPS && total_errors == 0;
    if let Some(w) = r.writes {
        all_ok &= w.errors == 0;
    }
    if let Some(e) = &r.results.first_error {
        println!("  first error: {e}");
    }
    match r.peak_kib {
        Some(kb) => println!(
            "  peak memory (VmHWM{}): {:.1} MiB",
            if r.peak_reset {
                ", while serving"
            } else {
                ", whole process"
            },
            kb as f64 / 1024.0
        ),
        None => println!("  peak memory: n/a on this system"),
    }
    println!("  what the pages are built from, one call each (whole city):");
    for (what, t) in r.breakdown {
        println!("    {:>9.1} ms  {what}", t.as_secs_f64() * 1000.0);
    }
    println!(
        "  {}",
        if all_ok {
            "all targets met"
        } else {
            "some targets missed (see the breakdown above)"
        }
    );
}

#[cfg(test)]
mod tests {
    use super::{cookie_pair, hidden_field, percentile};

    #[test]
    fn login_form_field_and_cookie() {
        let html = r#"<input type="hidden" name="next" value="/ledger">
<input type="hidden" name="csrf" value="ab12">"#;
        assert_eq!(hidden_field(html, "csrf").as_deref(), Some("ab12"));
        assert_eq!(hidden_field(html, "next").as_deref(), Some("/ledger"));
        assert_eq!(hidden_field(html, "lang"), None);
        let set = vec![
            "anju_login_csrf=; Path=/login; Max-Age=0".to_string(),
            "anju_session=tok; HttpOnly; Path=/".to_string(),
        ];
        assert_eq!(
            cookie_pair(&set, "anju_session").as_deref(),
            Some("anju_session=tok")
        );
        assert_eq!(cookie_pair(&set, "anju"), None);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let s: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&s, 0.50), 50);
        assert_eq!(percentile(&s, 0.90), 90);
        assert_eq!(percentile(&s, 0.99), 99);
        assert_eq!(percentile(&s, 1.0), 100);
        assert_eq!(percentile(&[7], 0.99), 7);
        assert_eq!(percentile(&[], 0.99), 0);
        // 1,000 samples: p99 is the 990th.
        let s: Vec<u64> = (1..=1000).collect();
        assert_eq!(percentile(&s, 0.99), 990);
    }
}
