//! The 调度表 benchmark (issue 7): N compounds (default 100,000) from the bench ledger generator,
//! imported into an embedded SQLite file, then `build_dispatch` and the .xlsx writer timed.
//!
//! `cargo run --release -p anju-reports --example bench_dispatch -- [N] [DB_FILE]`
//! With DB_FILE the database is kept (then `anju report dispatch --database-url sqlite://DB_FILE
//! --out x.xlsx` times the same through the CLI).

use anju_reports::{DispatchParams, Scope, build_dispatch};
use anju_store::{Actor, Store};
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(100_000);
    let keep = args.next();
    let dir = tempfile::tempdir()?;
    let path = match &keep {
        Some(p) => std::path::PathBuf::from(p),
        None => dir.path().join("bench.db"),
    };
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await?;
    let today = jiff::civil::date(2026, 11, 22);
    if store.count_compounds(&Default::default()).await? == 0 {
        let t = Instant::now();
        let rows = anju_sheets::generate_bench_ledger(n, 2022);
        store
            .apply_ledger(&Actor::new("bench", "admin"), &rows, today)
            .await?;
        println!(
            "import: {n} compounds in {:.2} s",
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let all = store.list_compounds(&Default::default()).await?;
    println!(
        "list_compounds alone: {} rows in {:.2} s",
        all.len(),
        t.elapsed().as_secs_f64()
    );
    drop(all);
    let t = Instant::now();
    let r = build_dispatch(
        &store,
        &DispatchParams {
            scope: Scope::default(),
            date: None,
            today,
        },
    )
    .await?;
    let built = t.elapsed().as_secs_f64();
    let out = dir.path().join("dispatch.xlsx");
    let sheets = r.sheets();
    anju_sheets::write_report(&out, &sheets)?;
    let total = t.elapsed().as_secs_f64();
    println!(
        "dispatch: {} compounds, {} streets; build {:.2} s, build + write xlsx {:.2} s ({} bytes)",
        r.compounds,
        r.streets.len(),
        built,
        total,
        std::fs::metadata(&out)?.len()
    );
    Ok(())
}
