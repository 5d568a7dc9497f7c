//! The reports officials file (anju-reports: 调度表, task lists, coverage, ranking, score sheets,
//! 收支公示) and the fraud signals, built for a principal: the area a report names must lie
//! within the principal's own, and the store is never handed to an adapter.

use crate::App;
use crate::error::{AppError, FieldError, Result};
use crate::principal::{Principal, Scope};
use anju_core::RegionLevel;
use anju_core::access::{Action, Role};
use anju_core::signals::{Signal, SignalKind};
use anju_reports::{
    AccountsParams, AccountsReport, CoverageTable, DispatchParams, DispatchReport, RankingParams,
    RankingReport, ReportError, ScoresParams, ScoresReport, TaskList, TasksReport,
};
use anju_store::SignalScope;
use jiff::civil::Date;

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> AppError {
        match e {
            ReportError::Store(e) => AppError::Store(e),
            ReportError::Invalid { zh, en } => AppError::Invalid(FieldError {
                field: "report".into(),
                zh,
                en,
            }),
        }
    }
}

impl App {
    /// Refused unless the street (else the district) a report or a search names lies within
    /// the principal's area; naming nothing means everything, which only a city-wide principal
    /// may read.
    pub async fn require_named_area(
        &self,
        who: &Principal,
        street: Option<&str>,
        district: Option<&str>,
    ) -> Result<()> {
        who.require(Action::ViewLedger)?;
        if matches!(who.scope(), Scope::All) {
            return Ok(());
        }
        let region = match (street, district) {
            (Some(s), _) => Some(self.region_named(who, RegionLevel::Street, s).await?),
            (None, Some(d)) => Some(self.region_named(who, RegionLevel::District, d).await?),
            (None, None) => None,
        };
        match region {
            Some(_) => Ok(()),
            None => Err(AppError::field(
                "street",
                "街道",
                "请指明您管辖范围内的街道或区县",
                "name a street or district within your area",
            )),
        }
    }

    /// 调度表 (seed 001): every compound of the scope as of the filing date.
    pub async fn dispatch_report(
        &self,
        who: &Principal,
        mut p: DispatchParams,
    ) -> Result<DispatchReport> {
        self.require_named_area(who, p.scope.street.as_deref(), p.scope.district.as_deref())
            .await?;
        p.today = self.today();
        Ok(anju_reports::build_dispatch(&self.store, &p).await?)
    }

    /// The task lists of seed 003 (附件3 / 附件4).
    pub async fn tasks_report(
        &self,
        who: &Principal,
        scope: anju_reports::Scope,
        list: TaskList,
    ) -> Result<TasksReport> {
        self.require_named_area(who, scope.street.as_deref(), scope.district.as_deref())
            .await?;
        Ok(anju_reports::build_tasks(&self.store, &scope, list).await?)
    }

    /// Coverage by street and community.
    pub async fn coverage_report(
        &self,
        who: &Principal,
        scope: anju_reports::Scope,
    ) -> Result<CoverageTable> {
        self.require_named_area(who, scope.street.as_deref(), scope.district.as_deref())
            .await?;
        Ok(anju_reports::build_coverage(&self.store, &scope).await?)
    }

    /// The monthly ranking of streets.
    pub async fn ranking_report(&self, who: &Principal, p: RankingParams) -> Result<RankingReport> {
        self.require_named_area(who, p.scope.street.as_deref(), p.scope.district.as_deref())
            .await?;
        Ok(anju_reports::build_ranking(&self.store, &p).await?)
    }

    /// The assessments' score sheets of a period.
    pub async fn scores_report(&self, who: &Principal, p: ScoresParams) -> Result<ScoresReport> {
        self.require_named_area(who, p.scope.street.as_deref(), p.scope.district.as_deref())
            .await?;
        Ok(anju_reports::build_scores(&self.store, &p).await?)
    }

    /// 收支公示 over the scope; the owners' share defaults to [`crate::Config::owners_share`].
    pub async fn accounts_report(
        &self,
        who: &Principal,
        scope: anju_reports::Scope,
        compound: Option<String>,
        period: String,
        owners_share: Option<rust_decimal::Decimal>,
    ) -> Result<AccountsReport> {
        self.require_named_area(who, scope.street.as_deref(), scope.district.as_deref())
            .await?;
        let p = AccountsParams {
            scope,
            compound,
            period,
            owners_share: owners_share.unwrap_or_else(|| self.config.owners_share()),
        };
        Ok(anju_reports::build_accounts(&self.store, &p).await?)
    }

    /// Fraud signals (风险线索) of the kinds asked for (all, when none) within a street or
    /// district, as of `as_of` (today, without one); the bool says whether any claims exist.
    /// They are for the housing authority and the auditors (and the administrator); an
    /// account bounded to a district or street reads its own area whatever it names.
    pub async fn signals(
        &self,
        who: &Principal,
        mut scope: SignalScope,
        kinds: &[SignalKind],
        as_of: Option<Date>,
    ) -> Result<(Vec<Signal>, bool)> {
        if !who.may_read_signals() {
            return Err(AppError::forbidden(
                format!(
                    "“{}”角色无权查看风险线索（仅住建部门与审计）",
                    who.role.zh()
                ),
                format!(
                    "the role '{}' may not see fraud signals (housing authority and auditor only)",
                    who.role.en()
                ),
            ));
        }
        if let Scope::Region(_) = who.scope() {
            match who.region_level {
                Some(RegionLevel::District) => {
                    scope.street = None;
                    scope.district = who.region_name.clone();
                }
                _ => {
                    scope.street = who.region_name.clone();
                    scope.district = None;
                }
            }
        }
        self.require_named_area(who, scope.street.as_deref(), scope.district.as_deref())
            .await?;
        let as_of = as_of.unwrap_or_else(|| self.today());
        Ok(self.store.signals(&scope, kinds, as_of).await?)
    }
}

impl Principal {
    /// Whether the role reads fraud signals (风险线索): the housing authority, the auditors
    /// and the administrator ([`App::signals`] refuses everyone else).
    pub fn may_read_signals(&self) -> bool {
        matches!(
            self.role,
            Role::HousingAuthority | Role::Auditor | Role::Admin
        )
    }
}
