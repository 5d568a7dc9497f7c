//! A fresh database per test, on both engines (as in anju-store's tests).
//!
//! SQLite: a file in a temporary directory. PostgreSQL: a schema of its own in the database
//! named by `ANJU_TEST_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`), selected with
//! the connection URL's `options=-c search_path=…`, dropped at the end. Without
//! `ANJU_TEST_PG_URL` the PostgreSQL half prints a notice and passes, except under `CI=true`,
//! where a missing server is a failure.

use anju_store::Store;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub store: Store,
    /// The URL the store was opened with (to open a second store on the same database).
    #[expect(dead_code, reason = "kept as in anju-store's support")]
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn run_sqlite<F, Fut>(test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("anju.db").display());
    let store = Store::connect(&url).await.expect("connect sqlite");
    test(TestDb {
        store: store.clone(),
        url,
        _dir: Some(dir),
    })
    .await;
    store.close().await;
}

static SCHEMA_SEQ: AtomicU32 = AtomicU32::new(0);

pub async fn run_postgres<F, Fut>(test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let Ok(base) = std::env::var("ANJU_TEST_PG_URL") else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but ANJU_TEST_PG_URL is not set: the PostgreSQL half cannot run");
        }
        eprintln!("notice: ANJU_TEST_PG_URL not set, PostgreSQL half of this test skipped");
        return;
    };
    let schema = format!(
        "test_{}_{}_{}",
        std::process::id(),
        SCHEMA_SEQ.fetch_add(1, Ordering::Relaxed),
        jiff::Timestamp::now().as_microsecond() % 1_000_000
    );
    let url = anju_store::scratch::create(&base, &schema)
        .await
        .expect("create a schema on ANJU_TEST_PG_URL");
    let store = Store::connect(&url).await.expect("connect postgres");
    test(TestDb {
        store: store.clone(),
        url,
        _dir: None,
    })
    .await;
    store.close().await;
    anju_store::scratch::drop(&base, &schema)
        .await
        .expect("drop schema");
}

/// One behaviour, two tests: `<name>::sqlite` and `<name>::postgres`.
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::support::run_sqlite(super::$name).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::support::run_postgres(super::$name).await
            }
        }
    };
}
pub(crate) use both;
