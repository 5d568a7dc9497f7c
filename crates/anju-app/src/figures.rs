//! The figures the ledger page and the dashboard (工作台) show over the compounds a principal
//! may see: coverage counts, targets' progress, coverage over time, alerts. Each is one query
//! with the principal's scope among its conditions; the adapters cache what they render keyed
//! by [`App::data_version`] (the newest audit row: nothing changes without one).

use crate::principal::Principal;
use crate::{App, Result};
use anju_core::access::Action;
use anju_core::fees::Month;
use anju_core::lifecycle::{LifecycleState, Stage};
use anju_core::targets::Progress;
use anju_store::{CoveragePoint, Region, StoredCompound};
use std::collections::HashMap;

impl App {
    /// Which database this is (its URL without a password): part of a cache key, so two
    /// applications in one process (tests) never share an entry.
    pub fn database_identity(&self) -> String {
        self.store.database_identity()
    }

    /// Every region (district, street, community), for the filters' choices.
    pub async fn regions(&self, who: &Principal) -> Result<Vec<Region>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store.list_regions().await?)
    }

    /// The street names a principal may filter the ledger by, sorted: the streets at or under
    /// their region (or the street above their community), from the region tree; a company's,
    /// the streets of its compounds.
    pub async fn offered_streets(&self, who: &Principal) -> Result<Vec<String>> {
        who.require(Action::ViewLedger)?;
        let mut names: Vec<String> = match self.streets_of_scope(who).await? {
            Some(streets) => streets.into_iter().map(|r| r.name).collect(),
            None => self
                .store
                .list_compounds(&who.compound_filter())
                .await?
                .into_iter()
                .map(|c| c.compound.street)
                .collect(),
        };
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Where each of these compounds stands on the path to coverage, by id: the recorded
    /// stage (one query for all), else the initial stage of its mode and owners' body.
    pub async fn stages_of(&self, compounds: &[StoredCompound]) -> Result<HashMap<i64, Stage>> {
        let ids: Vec<i64> = compounds.iter().map(|c| c.id).collect();
        let recorded = self.store.recorded_stages_of(&ids).await?;
        Ok(compounds
            .iter()
            .map(|c| {
                let stage = recorded.get(&c.id).copied().unwrap_or_else(|| {
                    LifecycleState::initial(c.compound.mode, c.compound.owners_body).stage
                });
                (c.id, stage)
            })
            .collect())
    }

    /// Covered compounds month by month, `from` to `to`.
    pub async fn coverage_over_time(
        &self,
        who: &Principal,
        from: Month,
        to: Month,
    ) -> Result<Vec<CoveragePoint>> {
        who.require(Action::ViewLedger)?;
        Ok(self
            .store
            .coverage_over_time(&who.compound_filter(), from, to)
            .await?)
    }

    /// The progress of each street's targets as of today, for the streets named (those with
    /// no target are left out).
    pub async fn streets_progress(
        &self,
        who: &Principal,
        streets: &[String],
    ) -> Result<Vec<(String, Progress)>> {
        let mut out = Vec::new();
        // A street's targets are the officials': an owners' body's workbook has none.
        if matches!(who.scope(), crate::principal::Scope::Compound(_)) {
            return Ok(out);
        }
        for street in streets {
            if self.store.targets(street).await?.is_empty() {
                continue;
            }
            for p in self.target_progress(who, street, self.today()).await? {
                out.push((street.clone(), p));
            }
        }
        Ok(out)
    }
}
