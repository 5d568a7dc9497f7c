//! Who acts: the principal every use case takes, what its role may do, and which compounds its
//! account bounds it to (a region, a company's, or an owners' body's one compound), as a condition of the store's queries (never a set of ids in memory).

use crate::error::{AppError, Result};
use anju_core::Lang;
use anju_core::RegionLevel;
use anju_core::access::{Action, Role, can};
use anju_store::{Actor, CompoundFilter, Store, StoredCompound};

/// The person (or the command line, or the system) a use case acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The login name the audit log records (`cli:NAME` for the command line).
    pub name: String,
    pub role: Role,
    /// The region the account is bounded to, and its level.
    pub region_id: Option<i64>,
    pub region_level: Option<RegionLevel>,
    /// A company's account: that company.
    pub company_id: Option<i64>,
    /// A department officer's account: that department (its district is `region_id`).
    pub department_id: Option<i64>,
    /// An owners' body member's account: that compound.
    pub compound_id: Option<i64>,
    /// The company or evaluator the account belongs to, by name (an evaluator acts under it).
    pub organisation: Option<String>,
    /// The name of `region_id` (a street office assesses under it).
    pub region_name: Option<String>,
    /// The language refusals are read in.
    pub lang: Lang,
    /// The role the audit log records when it is not `role`'s code: the command line acts
    /// with an administrator's rights but records the role its operator names (`--role`).
    pub recorded_role: Option<String>,
}

/// What the principal's account bounds it to: the store takes it as a condition of a query.
pub use anju_store::Scope;

impl Principal {
    /// The command line: an administrator named after the operating-system user.
    pub fn admin(name: impl Into<String>, lang: Lang) -> Principal {
        Principal {
            name: name.into(),
            role: Role::Admin,
            region_id: None,
            region_level: None,
            company_id: None,
            department_id: None,
            compound_id: None,
            organisation: None,
            region_name: None,
            lang,
            recorded_role: None,
        }
    }

    /// The same principal, recording `role` in the audit log.
    pub fn recorded_as(mut self, role: impl Into<String>) -> Principal {
        self.recorded_role = Some(role.into());
        self
    }

    /// Who writes, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor::new(
            self.name.clone(),
            self.recorded_role
                .clone()
                .unwrap_or_else(|| self.role.code().to_string()),
        )
    }

    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Admin => Scope::All,
            Role::Company => self.company_id.map_or(Scope::Nothing, Scope::Company),
            Role::OwnersBody => self.compound_id.map_or(Scope::Nothing, Scope::Compound),
            role => match (self.region_id, self.region_level) {
                (Some(_), Some(RegionLevel::City)) => Scope::All,
                (Some(r), _) => Scope::Region(r),
                (None, _) if role.needs_region() => Scope::Nothing,
                (None, _) => Scope::All,
            },
        }
    }

    /// `filter` narrowed to the principal's scope: the scope becomes a condition of the query.
    pub fn scoped(&self, mut filter: CompoundFilter) -> CompoundFilter {
        match self.scope() {
            Scope::All => {}
            // A street's account: its street by id, one indexed condition (the region tree's
            // condition reads every compound on PostgreSQL).
            Scope::Region(r) if self.region_level == Some(RegionLevel::Street) => {
                filter.street_id = Some(r)
            }
            Scope::Region(r) => filter.region_id = Some(r),
            Scope::Company(c) => filter.company_id = Some(c),
            Scope::Compound(c) => filter.compound_id = Some(c),
            Scope::Nothing => filter.nothing = true,
        }
        filter
    }

    /// Every compound the principal may see, as a filter to add choices to.
    pub fn compound_filter(&self) -> CompoundFilter {
        self.scoped(CompoundFilter::default())
    }

    /// Refused unless the role may do this (`anju_core::access::can`).
    pub fn require(&self, action: Action) -> Result<()> {
        if can(self.role, action) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                format!("“{}”角色无权{}", self.role.zh(), action.zh()),
                format!("the role '{}' may not {}", self.role.en(), action.en()),
            ))
        }
    }

    /// Whether one compound lies within the principal's scope.
    pub async fn can_see(&self, store: &Store, c: &StoredCompound) -> Result<bool> {
        Ok(match self.scope() {
            Scope::All => true,
            Scope::Nothing => false,
            Scope::Company(id) => c.company_id == Some(id),
            Scope::Compound(id) => c.id == id,
            Scope::Region(r) => {
                c.street_id == r
                    || c.community_id == Some(r)
                    || store.region_within(c.street_id, r).await?
            }
        })
    }

    /// Refused unless the compound lies within the principal's scope. The refusal gives the
    /// number only: it never names another street's compound.
    pub async fn require_compound(&self, store: &Store, c: &StoredCompound) -> Result<()> {
        if self.can_see(store, c).await? {
            Ok(())
        } else {
            Err(outside("小区", "compound", c.id))
        }
    }
}

/// The refusal for a record outside the principal's area.
pub fn outside(zh: &str, en: &str, id: impl std::fmt::Display) -> AppError {
    AppError::forbidden(
        format!("无权访问{zh}（编号 {id}）：不在您的管辖范围内"),
        format!("{en} no. {id} is outside your area"),
    )
}
