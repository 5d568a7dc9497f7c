//! `anju bench web` through the real binary, on a small database: it creates the database,
//! serves, logs in, loads both pages without errors, reuses the database on the next run, and
//! leaves its account disabled.

use crate::ledger::{anju, fresh_sqlite, stderr, stdout};

/// (requests, errors) of a route's row (or of the `all` row) in the report's table.
fn row(out: &str, route: &str) -> Option<(u64, u64)> {
    out.lines()
        .filter(|l| l.split_whitespace().next() == Some(route))
        .find_map(|l| {
            let mut cols = l.split_whitespace().skip(1);
            Some((cols.next()?.parse().ok()?, cols.next()?.parse().ok()?))
        })
}

#[test]
fn bench_web_serves_both_pages_without_errors_and_reuses_its_database() {
    let db = fresh_sqlite();
    let d = db.url.as_str();
    let args = [
        "bench",
        "web",
        "--compounds",
        "300",
        "--clients",
        "4",
        "--seconds",
        "1",
        "--database-url",
        d,
    ];
    let o = anju(&args);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("已生成基准库"), "{out}");
    assert!(out.contains("300 compounds, 4 clients"), "{out}");
    let (ledger, ledger_errors) = row(&out, "/ledger").expect("a /ledger row");
    assert!(ledger > 0, "{out}");
    assert_eq!(ledger_errors, 0, "{out}");
    let (all, all_errors) = row(&out, "all").expect("an all row");
    assert!(all >= ledger, "{out}");
    assert_eq!(all_errors, 0, "{out}");
    assert!(out.contains("peak memory"), "{out}");
    assert!(out.contains("list_compounds (all, 300 rows)"), "{out}");

    // The second run benchmarks the same database; the account is disabled between runs.
    let o = anju(&["user", "list", "--database-url", d]);
    let users = stdout(&o);
    let bench = users
        .lines()
        .find(|l| l.contains("bench-web"))
        .expect("the bench account is listed");
    assert!(bench.contains("停用"), "{users}");
    let o = anju(&args);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("已生成基准库"), "{out}");
    assert_eq!(row(&out, "all").map(|r| r.1), Some(0), "{out}");
}
