//! Times `apply_ledger` on a fresh database: `cargo run --release -p anju-store --example
//! import_bench -- [rows] [database-url]` (default 100000 rows into a temporary SQLite file).
//! Prints the time of the first import, a re-import (nothing changes) and an import with one
//! row in a hundred changed.

use anju_core::{Area, Category, Compound, CreditCode, InfraKind, ManagementMode};
use anju_store::{Actor, Store};
use std::time::Instant;

fn rows(n: usize) -> Vec<Compound> {
    (0..n)
        .map(|i| {
            let mut c = Compound::new(
                format!("小区{i:06}"),
                format!("第{}街道", i % 200),
                ManagementMode::None,
            );
            c.district = Some(format!("第{}区", i % 10));
            c.community = Some(format!("第{}社区", (i / 200) % 25));
            c.address = Some(format!("幸福路{i}号"));
            c.built_year = Some(1980 + (i % 40) as i32);
            c.area = Some(Area::from_centi(5_000_000 + i as i64));
            c.area_multi = Some(Area::from_centi(4_000_000));
            c.households = Some(10 + (i % 400) as u32);
            c.buildings = Some(1 + (i % 30) as u32);
            c.category = Category::from_number(1 + (i % 3) as i64);
            c.infra.set(InfraKind::Cameras, (i % 7) as u32);
            c.needs.set(InfraKind::UnitDoors, (i % 5) as u32);
            if i % 3 == 0 {
                c.mode = ManagementMode::Professional;
                c.company = Some(format!("第{}物业服务有限公司", i % 500));
                c.company_code = CreditCode::complete(&format!("91150525MA{:07}", i % 500)).ok();
            }
            c
        })
        .collect()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let keep = std::env::var("BENCH_KEEP").ok();
    let dir_path = keep
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let url = args
        .next()
        .unwrap_or_else(|| format!("sqlite://{}", dir_path.join("bench.db").display()));
    let store = Store::connect(&url).await?;
    let actor = Actor::new("bench", "system");
    let data = rows(n);
    let day = jiff::civil::date(2022, 3, 1);

    let t = Instant::now();
    let s = store.apply_ledger(&actor, &data, day).await?;
    println!(
        "{} first import of {n} rows: {:.3} s  {s:?}",
        store.engine().name(),
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let s = store.apply_ledger(&actor, &data, day).await?;
    println!(
        "{} re-import (no change):     {:.3} s  {s:?}",
        store.engine().name(),
        t.elapsed().as_secs_f64()
    );

    let mut edited = data;
    for r in edited.iter_mut().step_by(100) {
        r.households = r.households.map(|h| h + 1);
    }
    let t = Instant::now();
    let s = store
        .apply_ledger(&actor, &edited, jiff::civil::date(2022, 4, 1))
        .await?;
    println!(
        "{} 1 % changed:               {:.3} s  {s:?}",
        store.engine().name(),
        t.elapsed().as_secs_f64()
    );
    store.close().await;
    Ok(())
}
