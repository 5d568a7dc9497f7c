//! The audit log (审计日志) read: which part of it the principal may read, decided here.
//!
//! Reading needs `ViewAuditLog`. A city-wide account (the administrator, the city's housing
//! authority, a city-wide auditor) reads the whole log; an account bounded to a district or a
//! street reads only the entries about the compounds and streets under it (the store's
//! `AuditFilter::region_id`, a condition of its query); a company's account, or an account
//! bound to nothing, reads none.

use crate::App;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::access::Action;
use anju_store::{AuditEntry, AuditFilter};

/// Which entries to read (the principal's area is added by [`App::audit_entries`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// The kind of record (`compound`, `user` …).
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    /// Who acted (login name).
    pub actor: Option<String>,
    /// Entries at or after this instant.
    pub from: Option<jiff::Timestamp>,
    /// Entries before this instant.
    pub until: Option<jiff::Timestamp>,
    /// At most this many, newest first (all when `None`).
    pub limit: Option<i64>,
}

impl Principal {
    /// The part of the audit log the principal reads: `None` for the whole log (a city-wide
    /// account), `Some(region)` for an account bounded to a district or street; refused for a
    /// role that may not read the log, and for an account with no area (a company's).
    pub fn audit_region(&self) -> Result<Option<i64>> {
        self.require(Action::ViewAuditLog)?;
        match self.scope() {
            Scope::All => Ok(None),
            Scope::Region(r) => Ok(Some(r)),
            Scope::Company(_) | Scope::Compound(_) | Scope::Nothing => Err(AppError::forbidden(
                "该账号没有可查阅审计日志的辖区",
                "this account has no area whose audit log it may read",
            )),
        }
    }
}

impl App {
    /// The audit entries the principal may read that match `q`: the principal's area is a
    /// condition of the store's query, never a filter of rows read.
    pub async fn audit_entries(&self, who: &Principal, q: AuditQuery) -> Result<Vec<AuditEntry>> {
        let limit = q.limit.unwrap_or(i64::MAX);
        Ok(self.audit_read(who, q, 0, limit).await?.0)
    }

    /// The entries `q` selects within the principal's area, from `offset`, at most `limit`, and
    /// how many there are: the area, the dates and the page are conditions of one query.
    async fn audit_read(
        &self,
        who: &Principal,
        q: AuditQuery,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<AuditEntry>, i64)> {
        let region_id = who.audit_region()?;
        let blank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(self
            .store()
            .audit_entries_page(
                &AuditFilter {
                    entity: blank(q.entity),
                    entity_id: q.entity_id,
                    actor: blank(q.actor),
                    region_id,
                    limit: None,
                },
                q.from,
                q.until,
                offset,
                limit,
            )
            .await?)
    }
}

/// One page of the audit log ([`App::audit_page`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditPage {
    /// The entries of the page, newest first.
    pub entries: Vec<AuditEntry>,
    /// How many entries the query selects in all (every page).
    pub total: i64,
    /// The display name of each actor on the page that is an account (login name → name).
    pub actor_names: std::collections::BTreeMap<String, String>,
}

impl App {
    /// One page of the audit entries the principal may read that match `q` (its `limit`
    /// aside): `limit` entries after `offset`, newest first, and how many match in all. The
    /// principal's area, the dates and the page are conditions of the store's query.
    pub async fn audit_page(
        &self,
        who: &Principal,
        q: AuditQuery,
        offset: i64,
        limit: i64,
    ) -> Result<AuditPage> {
        let (entries, total) = self.audit_read(who, q, offset, limit).await?;
        let mut actor_names = std::collections::BTreeMap::new();
        for e in &entries {
            if actor_names.contains_key(&e.actor) {
                continue;
            }
            if let Some(u) = self.store().find_user(&e.actor).await? {
                actor_names.insert(e.actor.clone(), u.display_name);
            }
        }
        Ok(AuditPage {
            entries,
            total,
            actor_names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anju_core::access::Role;
    use anju_core::{Lang, RegionLevel};

    fn who(role: Role, region: Option<(i64, RegionLevel)>, company: Option<i64>) -> Principal {
        let mut p = Principal::admin("t", Lang::Zh);
        p.role = role;
        p.region_id = region.map(|r| r.0);
        p.region_level = region.map(|r| r.1);
        p.company_id = company;
        p
    }

    #[test]
    fn which_part_of_the_log_a_principal_reads() {
        let region = |p: Principal| p.audit_region().ok();
        assert_eq!(region(who(Role::Admin, None, None)), Some(None));
        assert_eq!(region(who(Role::Auditor, None, None)), Some(None));
        assert_eq!(
            region(who(Role::Auditor, Some((7, RegionLevel::City)), None)),
            Some(None),
            "a city-wide account reads the whole log"
        );
        assert_eq!(
            region(who(
                Role::HousingAuthority,
                Some((3, RegionLevel::District)),
                None
            )),
            Some(Some(3))
        );
        assert_eq!(
            region(who(Role::Auditor, Some((5, RegionLevel::Street)), None)),
            Some(Some(5))
        );
        // Roles that may not read it, whatever their area.
        for role in [Role::Street, Role::Community, Role::Company, Role::Finance] {
            let p = who(role, Some((5, RegionLevel::Street)), Some(1));
            assert!(
                matches!(p.audit_region(), Err(AppError::Forbidden { .. })),
                "{role:?}"
            );
        }
    }
}
