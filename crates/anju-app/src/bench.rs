//! Seeding for the benchmarks (`anju bench …`): what a benchmark needs in the database before
//! its timed part, done through the application so the command line holds no store. Never
//! called by the pages or the API.

use crate::App;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::RegionLevel;
use anju_core::access::Action;
use anju_store::{BenchFundingSeeded, CompoundFilter, PlaceCounts, Region, StoredCompound};
use jiff::civil::Date;

/// What [`App::seed_bench_funding`] wrote.
#[derive(Debug, Clone)]
pub struct BenchFundingSeed {
    pub seeded: BenchFundingSeeded,
    /// Every district, each assigned the policy.
    pub districts: Vec<Region>,
}

fn require_city_admin(who: &Principal) -> Result<()> {
    who.require(Action::ManageUsers)?;
    if matches!(who.scope(), Scope::All) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "只有全市范围的管理员可以准备性能基准数据",
            "only a city-wide administrator may seed a benchmark",
        ))
    }
}

impl App {
    /// BENCHMARK ONLY: refresh the database's planner statistics after a bench's seeding
    /// (PostgreSQL; nothing on SQLite).
    pub async fn bench_analyze(&self, who: &Principal) -> Result<()> {
        require_city_admin(who)?;
        Ok(self.store().bench_analyze().await?)
    }

    /// BENCHMARK ONLY: every compound without a contract gets one signed on `signed_on`
    /// (served by its ledger company, else a fallback company registered here), a closed 无物业
    /// period before it, one final assessment per contract year and 12 fee months per year for
    /// `years` years (`Store::bench_seed_funding`: SQLite, no audit); then `policy` is assigned
    /// to every district from 2020-01-01 through [`App::assign_funding_policy`].
    pub async fn seed_bench_funding(
        &self,
        who: &Principal,
        signed_on: Date,
        years: u32,
        policy: &str,
    ) -> Result<BenchFundingSeed> {
        require_city_admin(who)?;
        let fallback = self
            .store
            .upsert_company(&who.actor(), "基准托管物业服务有限公司", None)
            .await?;
        let seeded = self
            .store
            .bench_seed_funding(signed_on, years, fallback)
            .await?;
        let districts: Vec<Region> = self
            .store
            .list_regions()
            .await?
            .into_iter()
            .filter(|r| r.level == RegionLevel::District)
            .collect();
        for d in &districts {
            self.assign_funding_policy(
                who,
                crate::policies::PolicyAssignment {
                    region_id: d.id,
                    policy_id: policy.to_string(),
                    valid_from: jiff::civil::date(2020, 1, 1),
                },
            )
            .await?;
        }
        Ok(BenchFundingSeed { seeded, districts })
    }

    /// One page of compounds in scope, placed by the counts the ledger's figures gave (the
    /// ledger page's path for a sorted page deep in the list).
    pub async fn compounds_placed(
        &self,
        who: &Principal,
        filter: CompoundFilter,
        places: &PlaceCounts,
    ) -> Result<Vec<StoredCompound>> {
        who.require(Action::ViewLedger)?;
        Ok(self
            .store
            .list_compounds_placed(&who.scoped(filter), places)
            .await?)
    }
}
