//! Anju's application layer: one function per thing a person does, between the adapters (the
//! web pages, the JSON API, the command line) and the store.
//!
//! Each use case takes the acting [`Principal`] and typed input, and returns typed output or an
//! [`AppError`]: permission and scope are decided here (a scope is a condition of the store's
//! query), input is checked before the database sees it ([`check`]: the CHECK constraints'
//! rules with the field named, text limits, required versions), and dates of events may not lie
//! after today ([`dates`], asked of the one [`Clock`]). The adapters parse, call one use case and
//! render; a rule found in one of them belongs here.
//!
//! Invariant: anju-app does no HTTP and no HTML and prints nothing; only anju-store knows SQL.

pub mod areas;
pub mod audit;
pub mod bench;
pub mod check;
pub mod clock;
pub mod companies;
pub mod compounds;
pub mod dashboard;
pub mod dates;
pub mod demo;
pub mod departments;
pub mod error;
pub mod evidence;
pub mod figures;
pub mod filings;
pub mod fund;
pub mod ledger;
pub mod map;
pub mod model;
pub mod money;
pub mod notices;
pub mod organisation;
pub mod oversight;
pub mod owners_bodies;
pub mod party;
pub mod path;
pub mod policies;
pub mod principal;
pub mod public;
pub mod renovation;
pub mod reports;
pub mod selections;
pub mod sessions;
pub mod surveys;
pub mod tasks;
pub mod users;
pub mod votes;

pub use clock::{Clock, today_in_china};
pub use dates::EventDate;
pub use error::{AppError, FieldError, FileProblem, Result};
pub use principal::{Principal, Scope};

use anju_core::CompoundId;
use anju_core::credit::CreditScheme;
use anju_store::Store;

/// Scratch PostgreSQL schemas for the benchmarks (`anju bench funding --database-url postgres://…`).
pub use anju_store::scratch;

/// Defaults and settings the application uses where a form or a flag says nothing, defined once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The owners' body share of fee income (收支公示) when none is given, in percent. Seed 004
    /// 三(四) allows 6–10 % and sets no single figure; the public page, the API, the report and
    /// the CLI all default to the upper bound.
    pub owners_share_percent: i64,
    /// How companies' credit grades are computed (信用等级方案): the embedded default
    /// (`credit_default.toml`, Yantai's bands) unless `anju serve --scheme FILE` or the CLI's
    /// `--scheme FILE` gives another. The pages, the API and the CLI all grade with this one.
    pub credit_scheme: std::sync::Arc<CreditScheme>,
}

impl Config {
    /// [`Config::owners_share_percent`] as the store and the reports take it.
    pub fn owners_share(&self) -> rust_decimal::Decimal {
        rust_decimal::Decimal::from(self.owners_share_percent)
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            owners_share_percent: 10,
            credit_scheme: std::sync::Arc::new(CreditScheme::yantai_default()),
        }
    }
}

/// The application: the store, the clock and the defaults. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Clock,
    config: Config,
    /// The 工作台's figures kept per street ([`dashboard`]).
    figures: std::sync::Arc<dashboard::FigureCache>,
    /// Where notices go besides the inbox ([`notices::LogSender`] unless a deployment plugs
    /// another in).
    sender: std::sync::Arc<dyn notices::NoticeSender>,
}

impl App {
    pub fn new(store: Store) -> App {
        App {
            store,
            clock: Clock::System,
            config: Config::default(),
            figures: std::sync::Arc::default(),
            sender: std::sync::Arc::new(notices::LogSender),
        }
    }

    /// The same application sending notices through `sender` as well as into the inbox.
    pub fn with_sender(mut self, sender: std::sync::Arc<dyn notices::NoticeSender>) -> App {
        self.sender = sender;
        self
    }

    /// Opens the database at `url` (SQLite file or PostgreSQL), bringing its schema up to date.
    pub async fn connect(url: &str) -> Result<App> {
        Ok(App::new(Store::connect(url).await?))
    }

    /// The same application with another clock (tests at a fixed date).
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self
    }

    /// Today in China, by this application's clock.
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.today()
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The same application with another credit scheme (read from a TOML file by the caller).
    pub fn with_credit_scheme(mut self, scheme: CreditScheme) -> App {
        self.config.credit_scheme = std::sync::Arc::new(scheme);
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The store, for the use cases of this crate; the adapters never see it.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The compound, refused unless it lies within the principal's scope.
    pub async fn compound_in_scope(
        &self,
        who: &Principal,
        id: CompoundId,
    ) -> Result<anju_store::StoredCompound> {
        let c = self.store.get_compound(id.get()).await?;
        who.require_compound(&self.store, &c).await?;
        Ok(c)
    }

    /// Whether compound `id` lies in the principal's scope: for a record of it, whose refusal
    /// names the record and never the compound.
    pub(crate) async fn sees_compound(&self, who: &Principal, id: i64) -> Result<bool> {
        let c = self.store.get_compound(id).await?;
        who.can_see(&self.store, &c).await
    }
}
