//! Migrations, the append-only audit log, engines.

use crate::support::{TestDb, both, clerk, compound, date};
use anju_store::{AuditFilter, Engine, Store};

both!(migrate_twice_is_a_no_op);
async fn migrate_twice_is_a_no_op(db: TestDb) {
    let s = &db.store;
    let applied = |s: Store| async move {
        let row = anju_store::query("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(s.pool())
            .await
            .unwrap();
        row.i64(0).unwrap()
    };
    let n = applied(s.clone()).await;
    assert!(n >= 1);
    s.migrate().await.unwrap();
    s.migrate().await.unwrap();
    // A second process opening the same database migrates again: nothing to do.
    let other = Store::connect(&db.url).await.unwrap();
    assert_eq!(other.engine(), s.engine());
    assert_eq!(applied(other.clone()).await, n);
    other.close().await;
    assert_eq!(s.audit_count().await.unwrap(), 0);
    let expected = if db.url.starts_with("sqlite:") {
        Engine::Sqlite
    } else {
        Engine::Postgres
    };
    assert_eq!(s.engine(), expected);
}

both!(audit_log_is_append_only);
async fn audit_log_is_append_only(db: TestDb) {
    let s = &db.store;
    s.apply_ledger(
        &clerk(),
        &[compound("阳光小区", "大沁他拉街道", "西湖社区")],
        date(2022, 3, 1),
    )
    .await
    .unwrap();
    let n = s.audit_count().await.unwrap();
    assert!(n > 0);
    let upd = anju_store::query("UPDATE audit_log SET actor = 'nobody'")
        .execute(s.pool())
        .await;
    let err = upd.unwrap_err().to_string();
    assert!(err.contains("审计日志只能追加"), "{err}");
    let del = anju_store::query("DELETE FROM audit_log")
        .execute(s.pool())
        .await;
    assert!(del.unwrap_err().to_string().contains("审计日志只能追加"));
    assert_eq!(s.audit_count().await.unwrap(), n);
    let entries = s.audit_entries(&AuditFilter::default()).await.unwrap();
    assert!(entries.iter().all(|e| e.actor == "王敏"));
    assert_eq!(entries[0].action, "import", "newest first");
    let limited = s
        .audit_entries(&AuditFilter {
            limit: Some(2),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(limited.len(), 2);
    // Stored as instants (read back as timestamps), just now.
    let now = jiff::Timestamp::now();
    assert!(entries.iter().all(|e| e.at <= now
        && now.duration_since(e.at) < jiff::SignedDuration::from_secs(600)));
}

both!(regions_and_companies_are_not_deleted);
async fn regions_and_companies_are_not_deleted(db: TestDb) {
    let s = &db.store;
    s.ensure_region_path(
        &clerk(),
        Some("通辽市"),
        Some("奈曼旗"),
        "大沁他拉街道",
        None,
    )
    .await
    .unwrap();
    s.upsert_company(&clerk(), "甲物业", None).await.unwrap();
    assert!(
        anju_store::query("DELETE FROM regions")
            .execute(s.pool())
            .await
            .is_err()
    );
    assert!(
        anju_store::query("DELETE FROM companies")
            .execute(s.pool())
            .await
            .is_err()
    );
    assert_eq!(s.list_regions().await.unwrap().len(), 3);
    assert_eq!(s.list_companies().await.unwrap().len(), 1);
}
