//! A fresh database per test, on both engines.
//!
//! SQLite: a file in a temporary directory. PostgreSQL: a schema of its own in the database
//! named by `ANJU_TEST_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`), selected with
//! the connection URL's `options=-c search_path=…`, dropped at the end. Without
//! `ANJU_TEST_PG_URL` the PostgreSQL half prints a notice and passes, except under `CI=true`,
//! where a missing server is a failure.

use anju_core::{
    Area, Category, Compound, Coordinates, CreditCode, InfraKind, ManagementMode, OwnersBody,
};
use anju_store::{Actor, Store};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub store: Store,
    /// The URL the store was opened with (to open a second store on the same database).
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

pub fn clerk() -> Actor {
    Actor::new("王敏", "community")
}

pub fn officer() -> Actor {
    Actor::new("李强", "street")
}

pub fn date(y: i16, m: i8, d: i8) -> jiff::civil::Date {
    jiff::civil::date(y, m, d)
}

/// A compound as a Daqintala ledger row might hold it.
pub fn compound(name: &str, street: &str, community: &str) -> Compound {
    let mut c = Compound::new(name, street, ManagementMode::None);
    c.district = Some("奈曼旗".into());
    c.community = Some(community.into());
    c.address = Some(format!("{street}{name}路1号"));
    c.built_year = Some(1998);
    c.area = Some(Area::from_centi(1_234_567));
    c.area_multi = Some(Area::from_centi(1_000_000));
    c.area_high = Some(Area::from_centi(234_567));
    c.buildings = Some(6);
    c.households = Some(96);
    c.category = Some(Category::Three);
    c.renovation = true;
    c.owners_body = OwnersBody::None;
    c.infra.set(InfraKind::Cameras, 2);
    c.needs.set(InfraKind::Cameras, 4);
    c.needs.set(InfraKind::UnitDoors, 6);
    c.coords = Coordinates::from_degrees(42.845, 120.652);
    c
}

/// `n` distinct compounds over 20 streets × 5 communities, a third served by one of 50
/// companies (with credit codes).
pub fn generated(n: usize) -> Vec<Compound> {
    (0..n)
        .map(|i| {
            let street = format!("第{}街道", i % 20);
            let community = format!("第{}社区", (i / 20) % 5);
            let mut c = compound(&format!("小区{i:06}"), &street, &community);
            c.households = Some(u32::try_from(i % 400).unwrap_or(0) + 10);
            c.area = Some(Area::from_centi(
                i64::try_from(i).unwrap_or(0) * 100 + 5_000_000,
            ));
            c.built_year = Some(1980 + i32::try_from(i % 40).unwrap_or(0));
            if i % 3 == 0 {
                let k = i % 50;
                c.mode = ManagementMode::Professional;
                c.company = Some(format!("奈曼旗第{k}物业服务有限公司"));
                c.company_code = Some(code(k));
            }
            c
        })
        .collect()
}

/// A valid credit code per number.
pub fn code(k: usize) -> CreditCode {
    CreditCode::complete(&format!("91150525MA{k:07}")).expect("valid code")
}
