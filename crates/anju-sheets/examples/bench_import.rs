//! Measures reading a large ledger (the ≤ 5 s, ≤ 500 MB target for 100,000 compounds).
//!
//! ```text
//! cargo run --release -p anju-sheets --example bench_import -- write /tmp/bench.xlsx 100000
//! cargo run --release -p anju-sheets --example bench_import -- read /tmp/bench.xlsx
//! ```
//! Run the two steps as separate processes so that the peak memory printed is the read's.

use anju_core::Lang;
use anju_sheets::{ReadOptions, generate_bench_ledger, read_ledger, write_ledger};
use std::path::Path;
use std::time::Instant;

/// Peak resident memory of this process (Linux), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (cmd, path) = match (args.get(1), args.get(2)) {
        (Some(c), Some(p)) => (c.as_str(), Path::new(p)),
        _ => return Err("usage: bench_import write FILE N | read FILE".into()),
    };
    match cmd {
        "write" => {
            let n: usize = args.get(3).map_or(Ok(100_000), |s| s.parse())?;
            let t = Instant::now();
            let rows = generate_bench_ledger(n, 1);
            write_ledger(path, &rows).map_err(|e| e.render(Lang::En))?;
            let size = std::fs::metadata(path)?.len();
            println!(
                "wrote {n} compounds, {:.1} MB, in {:.2} s",
                size as f64 / 1e6,
                t.elapsed().as_secs_f64()
            );
        }
        "read" => {
            let t = Instant::now();
            let opts = ReadOptions::now(Lang::Zh);
            let l = read_ledger(path, &opts).map_err(|e| e.render(Lang::En))?;
            println!(
                "read {} compounds in {:.2} s, peak {:.0} MB",
                l.rows.len(),
                t.elapsed().as_secs_f64(),
                peak_mb().unwrap_or(f64::NAN)
            );
        }
        _ => return Err("usage: bench_import write FILE N | read FILE".into()),
    }
    Ok(())
}
