//! Both migration folders build the same database (issue 17 item 1): the same tables, the same
//! columns with the same nullability, the same foreign keys and the same named indexes, read
//! from each engine's own catalogue after every migration has run. (The CHECK constraints are
//! compared as text by anju-web's edges test; column types differ by design: SQLite's TEXT dates
//! and INTEGER flags.)

use crate::support::{run_postgres, run_sqlite};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// What a schema is made of, as comparable lines.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Shape {
    tables: BTreeSet<String>,
    /// `table.column NOT NULL|NULL`
    columns: BTreeSet<String>,
    /// `table.column -> other.column`
    foreign_keys: BTreeSet<String>,
    /// `table: index` for every index created by name (not those behind a key or a UNIQUE).
    indexes: BTreeSet<String>,
}

fn text(row: &anju_store::Row, i: usize) -> String {
    row.string(i).unwrap()
}

async fn sqlite_shape(pool: &anju_store::Db) -> Shape {
    let mut s = Shape::default();
    let tables = anju_store::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for t in tables.iter().map(|r| text(r, 0)) {
        let cols = anju_store::query(
            "SELECT name, CAST(\"notnull\" AS INTEGER), CAST(pk AS INTEGER) \
             FROM pragma_table_info($1)",
        )
        .bind(t.clone())
        .fetch_all(pool)
        .await
        .unwrap();
        for c in &cols {
            let not_null = c.i64(1).unwrap() == 1 || c.i64(2).unwrap() > 0;
            s.columns.insert(format!(
                "{t}.{} {}",
                text(c, 0),
                if not_null { "NOT NULL" } else { "NULL" }
            ));
        }
        let fks = anju_store::query(
            "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1)",
        )
        .bind(t.clone())
        .fetch_all(pool)
        .await
        .unwrap();
        for f in &fks {
            // A reference without a column names the other table's primary key (id).
            let to: Option<String> = f.opt_string(2).unwrap();
            s.foreign_keys.insert(format!(
                "{t}.{} -> {}.{}",
                text(f, 1),
                text(f, 0),
                to.unwrap_or_else(|| "id".into())
            ));
        }
        s.tables.insert(t);
    }
    let indexes = anju_store::query(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' \
         AND name NOT LIKE 'sqlite_autoindex%' AND tbl_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for i in &indexes {
        s.indexes.insert(format!("{}: {}", text(i, 0), text(i, 1)));
    }
    s
}

async fn postgres_shape(pool: &anju_store::Db) -> Shape {
    let mut s = Shape::default();
    let tables = anju_store::query(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name NOT LIKE '\\_sqlx%' ORDER BY table_name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for t in tables.iter().map(|r| text(r, 0)) {
        s.tables.insert(t);
    }
    let cols = anju_store::query(
        "SELECT table_name::text, column_name::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for c in &cols {
        s.columns.insert(format!(
            "{}.{} {}",
            text(c, 0),
            text(c, 1),
            if text(c, 2) == "NO" {
                "NOT NULL"
            } else {
                "NULL"
            }
        ));
    }
    let fks = anju_store::query(
        "SELECT cl.relname::text, a.attname::text, rl.relname::text, ra.attname::text \
         FROM pg_constraint k \
         JOIN pg_class cl ON cl.oid = k.conrelid \
         JOIN pg_class rl ON rl.oid = k.confrelid \
         JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema() \
         CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(col, rcol) \
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.col \
         JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = u.rcol \
         WHERE k.contype = 'f'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for f in &fks {
        s.foreign_keys.insert(format!(
            "{}.{} -> {}.{}",
            text(f, 0),
            text(f, 1),
            text(f, 2),
            text(f, 3)
        ));
    }
    // Indexes created by name: not those a PRIMARY KEY or UNIQUE constraint made.
    let indexes = anju_store::query(
        "SELECT tablename::text, indexname::text FROM pg_indexes i \
         WHERE schemaname = current_schema() AND tablename NOT LIKE '\\_sqlx%' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conindid \
         WHERE c.relname = i.indexname AND k.contype IN ('p', 'u'))",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for i in &indexes {
        s.indexes.insert(format!("{}: {}", text(i, 0), text(i, 1)));
    }
    s
}

fn differences(what: &str, a: &BTreeSet<String>, b: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = a
        .difference(b)
        .map(|x| format!("{what} only on SQLite: {x}"))
        .collect();
    out.extend(
        b.difference(a)
            .map(|x| format!("{what} only on PostgreSQL: {x}")),
    );
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_folders_build_the_same_tables_columns_keys_and_indexes() {
    let sqlite: Arc<Mutex<Option<Shape>>> = Arc::default();
    let postgres: Arc<Mutex<Option<Shape>>> = Arc::default();
    {
        let out = sqlite.clone();
        run_sqlite(|db| async move {
            // The whole database (its temporary directory too) lives until the shape is read.
            let db = db;
            let shape = sqlite_shape(db.store.pool()).await;
            *out.lock().unwrap() = Some(shape);
        })
        .await;
    }
    {
        let out = postgres.clone();
        run_postgres(|db| async move {
            let db = db;
            let shape = postgres_shape(db.store.pool()).await;
            *out.lock().unwrap() = Some(shape);
        })
        .await;
    }
    let Some(pg) = postgres.lock().unwrap().clone() else {
        // run_postgres said why (no ANJU_TEST_PG_URL, outside CI).
        return;
    };
    let lite = sqlite.lock().unwrap().clone().unwrap();
    // The catalogues were read (not two empty shapes agreeing).
    for (what, n, least) in [
        ("tables", lite.tables.len(), 40),
        ("columns", lite.columns.len(), 400),
        ("foreign keys", lite.foreign_keys.len(), 60),
        ("indexes", lite.indexes.len(), 30),
    ] {
        assert!(n >= least, "{what}: {n}");
    }
    let mut problems = differences("table", &lite.tables, &pg.tables);
    problems.extend(differences("column", &lite.columns, &pg.columns));
    problems.extend(differences(
        "foreign key",
        &lite.foreign_keys,
        &pg.foreign_keys,
    ));
    problems.extend(differences("index", &lite.indexes, &pg.indexes));
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
