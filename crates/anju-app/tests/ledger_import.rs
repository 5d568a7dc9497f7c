//! The ledger import as a use case (`App::import_ledger`), on both engines: an administrator's
//! file is written whole; a street's file naming another street's compound is refused with the
//! row and the column, and nothing of it is written; an exported ledger imports unchanged.

use anju_app::{App, Principal};
use anju_core::access::Role;
use anju_core::{Compound, Lang, ManagementMode, RegionLevel};
use anju_sheets::{LedgerError, ReadOptions};

fn rows(list: &[(&str, &str)]) -> Vec<Compound> {
    list.iter()
        .map(|(name, street)| {
            let mut c = Compound::new(*name, *street, ManagementMode::None);
            c.district = Some("测试区".into());
            c.community = Some(format!("{street}一社区"));
            c.households = Some(40);
            c
        })
        .collect()
}

fn opts() -> ReadOptions {
    ReadOptions {
        current_year: 2026,
        lang: Lang::Zh,
    }
}

async fn flow(url: &str) {
    let app = App::connect(url).await.expect("connect");
    let admin = Principal::admin("test", Lang::Zh);
    let dir = tempfile::tempdir().expect("tempdir");

    // 1. The administrator imports two streets.
    let first = dir.path().join("first.xlsx");
    anju_sheets::write_ledger(
        &first,
        &rows(&[
            ("甲一小区", "甲街道"),
            ("甲二小区", "甲街道"),
            ("乙一小区", "乙街道"),
        ]),
    )
    .expect("write");
    let done = app
        .import_ledger(&admin, &first, opts())
        .await
        .expect("import")
        .expect("a clean file");
    assert_eq!(done.summary.inserted, 3);
    let count = |app: App| async move {
        app.count_compounds(&Principal::admin("test", Lang::Zh), Default::default())
            .await
            .expect("count")
    };
    assert_eq!(count(app.clone()).await, 3);

    // 2. 甲街道's account: its own compound and one of 乙街道 → refused, nothing written.
    let jia = app
        .region_named(&admin, RegionLevel::Street, "甲街道")
        .await
        .expect("甲街道");
    let street = Principal {
        role: Role::Street,
        region_id: Some(jia.id),
        region_level: Some(RegionLevel::Street),
        region_name: Some(jia.name.clone()),
        ..Principal::admin("jia", Lang::Zh)
    };
    let second = dir.path().join("second.xlsx");
    anju_sheets::write_ledger(
        &second,
        &rows(&[("甲三小区", "甲街道"), ("乙二小区", "乙街道")]),
    )
    .expect("write");
    match app
        .import_ledger(&street, &second, opts())
        .await
        .expect("no store failure")
    {
        Err(LedgerError::Problems(ps)) => {
            assert_eq!(ps.len(), 1, "{ps:?}");
            assert_eq!(ps[0].row, 3, "{ps:?}");
            assert_eq!(ps[0].column.as_deref(), Some("所属街道"));
            assert_eq!(ps[0].value, "乙街道");
            assert!(ps[0].reason_zh.contains("管辖范围"), "{ps:?}");
        }
        other => panic!("expected the row outside the area to be refused, got {other:?}"),
    }
    assert_eq!(
        count(app.clone()).await,
        3,
        "nothing of the refused file is written"
    );

    // 3. Its own street alone is fine.
    let third = dir.path().join("third.xlsx");
    anju_sheets::write_ledger(&third, &rows(&[("甲三小区", "甲街道")])).expect("write");
    let done = app
        .import_ledger(&street, &third, opts())
        .await
        .expect("import")
        .expect("within the area");
    assert_eq!(done.summary.inserted, 1);

    // 4. The street sees its own compounds only; an export of them imports unchanged.
    assert_eq!(
        app.count_compounds(&street, Default::default())
            .await
            .expect("count"),
        3
    );
    let out = dir.path().join("export.xlsx");
    assert_eq!(
        app.export_ledger(&street, None, &out)
            .await
            .expect("export"),
        3
    );
    let again = app
        .import_ledger(&street, &out, opts())
        .await
        .expect("import")
        .expect("the export is clean");
    assert_eq!(again.summary.unchanged, 3);
    assert_eq!(count(app.clone()).await, 4);

    // 5. A community's account: its own community of its own street only; a street the
    // database does not know lies outside every area but the city's.
    let yi_she = app
        .region_named(&admin, RegionLevel::Community, "甲街道一社区")
        .await
        .expect("甲街道一社区");
    let community = Principal {
        role: Role::Community,
        region_id: Some(yi_she.id),
        region_level: Some(RegionLevel::Community),
        region_name: Some(yi_she.name.clone()),
        ..Principal::admin("she", Lang::Zh)
    };
    let mut mixed = rows(&[
        ("甲四小区", "甲街道"),
        ("甲五小区", "甲街道"),
        ("乙三小区", "乙街道"),
        ("新一小区", "新街道"),
    ]);
    mixed[1].community = Some("甲街道二社区".into());
    let fourth = dir.path().join("fourth.xlsx");
    anju_sheets::write_ledger(&fourth, &mixed).expect("write");
    let at = |r: std::result::Result<anju_app::ledger::Imported, LedgerError>| match r {
        Err(LedgerError::Problems(ps)) => ps
            .into_iter()
            .map(|p| (p.row, p.column.unwrap_or_default()))
            .collect::<Vec<_>>(),
        other => panic!("expected problems, got {other:?}"),
    };
    let refused = app
        .import_ledger(&community, &fourth, opts())
        .await
        .expect("no store failure");
    assert_eq!(
        at(refused),
        [
            (3, "所属社区".to_string()),
            (4, "所属街道".to_string()),
            (5, "所属街道".to_string())
        ]
    );
    // The street's account: the other street and the unknown one.
    let refused = app
        .import_ledger(&street, &fourth, opts())
        .await
        .expect("no store failure");
    assert_eq!(
        at(refused),
        [(4, "所属街道".to_string()), (5, "所属街道".to_string())]
    );
    assert_eq!(count(app.clone()).await, 4, "nothing written");

    // 6. Reads in scope: another street's compound is not found by name, and a report must
    //    name an area within the street's own (everything is the city's to read).
    let e = app
        .find_compound(&street, "乙一小区", None)
        .await
        .expect_err("outside");
    assert_eq!(e.field_name(), Some("compound"), "{e}");
    assert_eq!(
        app.find_compound(&street, "甲一小区", None)
            .await
            .expect("own")
            .compound
            .street,
        "甲街道"
    );
    let scope = |street: Option<&str>| anju_reports::Scope {
        district: None,
        street: street.map(str::to_string),
    };
    let e = app
        .coverage_report(&street, scope(None))
        .await
        .expect_err("everything");
    assert_eq!(e.field_name(), Some("street"), "{e}");
    let e = app
        .coverage_report(&street, scope(Some("乙街道")))
        .await
        .expect_err("another street");
    assert!(matches!(e, anju_app::AppError::Forbidden { .. }), "{e}");
    let own = app
        .coverage_report(&street, scope(Some("甲街道")))
        .await
        .expect("its own street");
    assert_eq!(own.report.total.compounds, 3);
    assert_eq!(
        app.coverage_report(&admin, scope(None))
            .await
            .expect("the city")
            .report
            .total
            .compounds,
        4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_ledger_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("anju.db").display());
    flow(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_ledger_postgres() {
    use sqlx::Connection;
    let Ok(base) = std::env::var("ANJU_TEST_PG_URL") else {
        assert!(
            std::env::var("CI").map(|v| v != "true").unwrap_or(true),
            "CI=true but ANJU_TEST_PG_URL is not set"
        );
        eprintln!("notice: ANJU_TEST_PG_URL not set, PostgreSQL test skipped");
        return;
    };
    let schema = format!("app_ledger_import_{}", std::process::id());
    let exec = |sql: String| {
        let base = base.clone();
        async move {
            let mut c = sqlx::PgConnection::connect(&base).await.expect("connect");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .expect("sql");
        }
    };
    exec(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))
    .await;
    let sep = if base.contains('?') { '&' } else { '?' };
    flow(&format!("{base}{sep}options=-c%20search_path%3D{schema}")).await;
    exec(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await;
}
