//! Anju's storage: one behaviour on two engines, SQLite (embedded, the default) and PostgreSQL.
//!
//! Everything goes through one [`Store`] over the engine's native pool ([`Db`]), with statements
//! written once for both engines and run by the thin layer in `sql.rs` ([`Sql`], [`Row`]). Each
//! engine has its own migration folder (auto-increment keys and triggers differ), embedded in
//! the binary and applied at start-up and by `anju migrate`.
//!
//! Invariants:
//! - every write appends to `audit_log` (who, when, entity, before, after) in the same
//!   transaction; the database itself refuses UPDATE and DELETE on `audit_log`;
//! - nothing is hard-deleted (triggers refuse DELETE; compounds are archived instead);
//! - a versioned record is only changed when the caller names the version it read
//!   ([`StoreError::Conflict`] otherwise).
//!
//! Storage conventions: areas as integer hundredths of m², money as integer fen, dates as TEXT
//! `YYYY-MM-DD`, timestamps as TEXT RFC 3339 UTC, coordinates as integer micro-degrees, enums as
//! the TEXT codes of `anju-core`, flags as integer 0/1.

mod accounts;
mod alerts;
mod areas;
mod assessments;
mod audit;
mod companies;
mod complaints;
mod compounds;
mod contracts;
mod corrections;
mod credit;
mod departments;
mod dispatch_filings;
mod error;
mod evaluator_fees;
mod evidence;
mod fees;
mod fund;
mod ledger;
mod lifecycle;
mod map;
mod notices;
mod organisation;
mod owners_bodies;
mod party;
mod patrols;
mod regions;
mod renovation;
mod scope;
pub mod scratch;
mod selections;
mod settle;
mod signals;
mod sql;
mod subsidies;
mod surveys;
mod targets;
mod tasks;
mod users;
mod votes;

pub use accounts::{AccountEntry, AccountStatement, NewAccountEntry, OwnersShareRecord};
pub use alerts::{
    Alert, AlertGroup, AlertKind, AlertOptions, CoverageCell, CoveragePoint, FigureVersions,
};
pub use areas::{AcceptSummary, AreaAssignment, ManagementArea};
pub use assessments::{
    Assessment, AssessmentFilter, AssessmentResult, DEFAULT_OBJECTION_DAYS, NewAssessment,
};
pub use audit::{Actor, AuditEntry, AuditFilter, CITY_WIDE_ENTITIES};
pub use companies::{Company, CompanyUpdate};
pub use complaints::{
    Complaint, ComplaintFilter, ComplaintOverdue, ComplaintRules, ComplaintStage, Holiday,
    NewComplaint,
};
pub use compounds::{
    CompoundFilter, CompoundService, CompoundSort, ContractTerms, LedgerFigures, LedgerPart,
    ModePeriod, PlaceCounts, StoredCompound,
};
pub use contracts::{ContractRecord, DismissalProposal, NewContract, Standing};
pub use corrections::{CorrectionKind, CorrectionRequest, StepCorrection};
pub use credit::{CompanyRecord, NewCompanyRecord};
pub use departments::{
    Department, NewDepartment, NewReferral, Referral, ReferralFilter, ReferralStepRecord,
    StepDetail,
};
pub use dispatch_filings::{DispatchFiling, DispatchSchedule};
pub use error::{Result, StoreError};
pub use evaluator_fees::{EvaluatorFee, NewEvaluatorFee};
pub use evidence::{
    DEFAULT_EVIDENCE_DIR, EVIDENCE_MAX_BYTES, Evidence, EvidenceDir, check_upload, sha256_hex,
    sniff_mime,
};
pub use fees::{
    CollectionFigures, FeeImportSummary, FeeInput, FeeMonth, HouseholdFee, HouseholdFeeInput,
    HouseholdImportSummary,
};
pub use fund::{FundAccount, FundEntry, FundUse, FundUseStep, NewFundEntry, NewFundUse};
pub use ledger::{ApplySummary, LedgerImport};
pub use lifecycle::{Lifecycle, StageRow, StepRecord, StepRequest};
pub use map::{MapMark, MapOnly};
pub use notices::{NewNotice, Notice};
pub use organisation::{
    Assignment, AssignmentFilter, AssignmentStepRecord, Censure, Meeting, NewCensure, NewDecision,
    NewGroup, NewMeeting, NewMember, OrgGroup, OrgMember, OrgScope, Unit,
};
pub use owners_bodies::{NewBodyMember, NewOwnersBody, OwnersBodyMember, OwnersBodyRecord};
pub use party::{NewPartyRecord, PartyChange, PartyRecord};
pub use patrols::{
    ERQI_ORDER_MAPPING, Finding, NewFinding, NewPatrol, OrderCounts, OrderFilter, Patrol,
    RectificationOrder,
};
pub use regions::{Region, RegionIds};
pub use renovation::{
    CommitmentsWritten, FeeStandardRecord, HouseholdCommitment, NewFeeStandard,
    NewHouseholdCommitment, NewRenovation, RenovationDateChange, RenovationRecord,
};
pub use scope::Scope;
pub use selections::{Registration, Selection, SelectionCompound};
pub use signals::SignalScope;
pub use subsidies::{
    BenchFundingSeeded, FundingPolicy, LineFilter, PayerShare, RunResult, RunSummary,
    SubsidyAdjustment, SubsidyLine, SubsidyRun, SubsidyStep,
};
pub use surveys::{
    IssuedToken, NewSurvey, Survey, SurveyAnswer, SurveyFilter, SurveyResult, SurveyRule,
    TokenSurvey,
};
pub use tasks::{NewTask, Task, TaskFilter};
pub use users::{NewSession, NewUser, SessionUser, User, ts_text};
pub use votes::{
    BallotChoice, BallotRow, Household, NewHousehold, NewVote, PaperBallot, RegisterSummary,
    TokenBallot, VoteOption, VoteRecord,
};

pub use sql::{Conn, Db, Done, Hold, On, Row, Sql, Val, query};

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Executor, PgConnection, SqliteConnection};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database engine behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// Which engine a database URL names: `sqlite:…` or `postgres://…` / `postgresql://…`.
    pub fn from_url(url: &str) -> Result<Engine> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The default database: a SQLite file next to where `anju` runs.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://anju.db";

/// The store: a connection pool (of one engine or the other). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Db,
    /// The URL without its password: which database this is, for keying caches.
    identity: std::sync::Arc<str>,
}

impl Store {
    /// Connects and applies any pending migrations. A SQLite file is created when missing.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = Store::connect_without_migrating(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without touching the schema (for tools that only read, or that migrate later).
    pub async fn connect_without_migrating(url: &str) -> Result<Store> {
        let engine = Engine::from_url(url)?;
        let pool = match engine {
            Engine::Sqlite => {
                let url = sqlite_url_with_mode(url);
                let memory = url.contains("mode=memory") || url.contains(":memory:");
                // Per connection (these pragmas are not persistent): foreign keys, a 10 s wait
                // for the write lock, NORMAL sync (safe in WAL), 32 MiB of page cache (allocated
                // only as used: a city ledger's import stays in memory until commit instead of
                // spilling), temp tables in memory, and reads through a memory map (up to 1 GiB
                // of the file, paged in as touched and given back by the kernel under pressure)
                // instead of a read() system call per page: a city-wide subsidy run looks up
                // millions of fee months.
                let mut options = SqliteConnectOptions::from_str(&url)?
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .synchronous(SqliteSynchronous::Normal)
                    .pragma("cache_size", "-32768")
                    .pragma("temp_store", "MEMORY")
                    .pragma("mmap_size", "1073741824");
                if !memory {
                    // WAL: readers run beside the one writer.
                    options = options.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
                }
                // Eight: WAL readers run beside the one writer, and a busy office's pages each
                // need a connection for a few ms (bench web's ledger p99 45–80 ms with 8,
                // 61–73 ms with 4, at 10 writes/s).
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn: &mut SqliteConnection, _meta| {
                        Box::pin(async move {
                            conn.execute(audit::PENDING_TABLE).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?;
                Db::Sqlite(pool)
            }
            Engine::Postgres => Db::Postgres(
                PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn: &mut PgConnection, _meta| {
                        Box::pin(async move {
                            conn.execute(audit::PENDING_TABLE).await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?,
            ),
        };
        Ok(Store {
            pool,
            identity: without_password(url).into(),
        })
    }

    /// Applies the embedded migrations that are not yet applied. Running it again is a no-op.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = self.engine().migrator();
        match &self.pool {
            Db::Sqlite(p) => migrator.run(p).await?,
            Db::Postgres(p) => migrator.run(p).await?,
        }
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        self.pool.engine()
    }

    /// The underlying pool, for other crates' tables that live in the same database (sessions).
    pub fn pool(&self) -> &Db {
        &self.pool
    }

    /// Writes a consistent copy of a SQLite database to `to` (`VACUUM INTO`: safe while the
    /// server runs, and the copy is compacted). The file must not exist yet. PostgreSQL is
    /// backed up with its own tools (`pg_dump`), which the store refuses to stand in for.
    pub async fn backup_sqlite(&self, to: &std::path::Path) -> Result<()> {
        if self.engine() != Engine::Sqlite {
            return Err(StoreError::Invalid(
                "PostgreSQL 数据库请用 pg_dump 备份（见 README“部署”）".into(),
            ));
        }
        if to.exists() {
            return Err(StoreError::Invalid(format!(
                "备份文件 {} 已存在，不会覆盖",
                to.display()
            )));
        }
        query("VACUUM INTO $1")
            .bind(to.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// BENCHMARK ONLY: after a bench's seeding wrote many rows at once, refresh PostgreSQL's
    /// planner statistics, as autovacuum would shortly after, so the timed part is not planned
    /// on an empty database's. Nothing on SQLite (its planner keeps no statistics unless asked,
    /// and the SQLite figures were measured without).
    pub async fn bench_analyze(&self) -> Result<()> {
        if self.engine() == Engine::Postgres {
            query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Begins a read transaction whose reads all see one snapshot: SQLite's deferred `BEGIN`
    /// (in WAL mode the snapshot is taken at the first read and kept to the end), PostgreSQL's
    /// `REPEATABLE READ READ ONLY`.
    pub(crate) async fn begin_read(&self) -> Result<Hold> {
        Ok(match self.engine() {
            Engine::Sqlite => self.pool.begin_with("BEGIN").await?,
            Engine::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        })
    }

    /// Begins a write transaction. SQLite takes the write lock up front (`BEGIN IMMEDIATE`) so
    /// that two writers queue on `busy_timeout` instead of failing on a lock upgrade.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        Ok(WriteTx {
            tx: match self.engine() {
                Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
                Engine::Postgres => self.pool.begin_with("BEGIN").await?,
            },
        })
    }
}

/// A write transaction that raises the figure counters of the streets its audited writes
/// touched when it commits. `audit::append` notes the streets in the connection's temporary
/// table `figure_pending` (created with each connection; transactional, so a rollback forgets
/// them); [`WriteTx::commit`] raises their counters in one statement, in street order, just
/// before the commit. Taken last and in one order, those row locks can never close a cycle with
/// another transaction's (on PostgreSQL a transaction raising them as it went could deadlock
/// with one meeting the same streets in another order, and an import would hold them for its
/// whole length).
pub(crate) struct WriteTx {
    tx: Hold,
}

impl WriteTx {
    /// Raises the counters the transaction touched, then commits.
    pub(crate) async fn commit(mut self) -> Result<()> {
        audit::raise_pending(&mut self.tx).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Undoes everything (the streets noted included).
    pub(crate) async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

impl<'c> From<&'c mut WriteTx> for On<'c> {
    fn from(t: &'c mut WriteTx) -> On<'c> {
        On::Conn(&mut t.tx)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!("{scheme}://{}{}", &rest[..colon], &rest[at..]),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// `sqlite://x.db` → `sqlite://x.db?mode=rwc` unless the URL already says how to open the file.
fn sqlite_url_with_mode(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Runs CPU-bound work (a run's lines on every core) so that the async runtime's other tasks
/// are not held up: on a multi-threaded runtime the worker hands its tasks over first
/// (`block_in_place`); elsewhere (a test's single-threaded runtime) it simply runs.
pub(crate) fn off_runtime<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_runtime_runs_the_work_on_either_kind_of_runtime() {
        let multi = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .expect("runtime");
        assert_eq!(multi.block_on(async { off_runtime(|| 6 * 7) }), 42);
        let single = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        assert_eq!(single.block_on(async { off_runtime(|| 6 * 7) }), 42);
        assert_eq!(off_runtime(|| 1), 1, "and outside any runtime");
    }

    #[test]
    fn identities_leave_the_password_out() {
        assert_eq!(
            without_password("postgres://u:pw@h:5432/db?options=x"),
            "postgres://u@h:5432/db?options=x"
        );
        assert_eq!(without_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(without_password("sqlite://anju.db"), "sqlite://anju.db");
        assert_eq!(without_password("sqlite::memory:"), "sqlite::memory:");
    }

    #[test]
    fn engines_from_urls() {
        assert_eq!(
            Engine::from_url("sqlite://anju.db").ok(),
            Some(Engine::Sqlite)
        );
        assert_eq!(
            Engine::from_url("sqlite::memory:").ok(),
            Some(Engine::Sqlite)
        );
        assert_eq!(
            Engine::from_url("postgres://u@h/db").ok(),
            Some(Engine::Postgres)
        );
        assert_eq!(
            Engine::from_url("postgresql://u@h/db").ok(),
            Some(Engine::Postgres)
        );
        assert!(matches!(
            Engine::from_url("mysql://x"),
            Err(StoreError::UnsupportedUrl(_))
        ));
        assert_eq!(
            sqlite_url_with_mode("sqlite://a.db"),
            "sqlite://a.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url_with_mode("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(
            sqlite_url_with_mode("sqlite://a.db?cache=shared"),
            "sqlite://a.db?cache=shared&mode=rwc"
        );
    }
}
