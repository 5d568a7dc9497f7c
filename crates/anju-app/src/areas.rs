//! Management areas (物业管理区域, seed 004 and seed 001): a street's unmanaged compounds
//! grouped into areas of about 200 households by `anju_core::planning::plan_areas`, proposed,
//! and on acceptance written into the ledger in one audited transaction; the accepted areas
//! listed with their compounds.
//!
//! Who: proposing and listing need `ViewLedger`, accepting `EditCompounds` and a scope over the
//! whole street. Scope: the street must hold a compound within the principal's scope
//! ([`App::street_in_scope`]), and the compounds planned and listed are those of the scope (a
//! condition of the query).

use crate::App;
use crate::check::{self, Field, NAME_MAX};
use crate::error::Result;
use crate::principal::Principal;
use anju_core::ModeGroup;
use anju_core::access::Action;
use anju_core::planning::{AreaPlan, AreaRules, PlanCompound, plan_areas};
use anju_store::{AcceptSummary, AreaAssignment, CompoundFilter, ManagementArea};
use serde::Serialize;

/// A plan to propose (and, with `accept`, to write into the ledger).
#[derive(Debug, Clone)]
pub struct AreaPlanInput {
    pub street: String,
    /// The planner's figures; [`AreaRules::default`] (200 households, 130 %, 50 %, 30
    /// households, 2,000 m) where a caller says nothing.
    pub rules: AreaRules,
    pub accept: bool,
}

/// The plan, and what accepting it changed when it was accepted.
#[derive(Debug, Clone, Serialize)]
pub struct AreaPlanOutcome {
    #[serde(flatten)]
    pub plan: AreaPlan,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<AcceptSummary>,
}

/// An accepted area with the names of its compounds (those the reader may see).
#[derive(Debug, Clone, Serialize)]
pub struct AreaWithCompounds {
    #[serde(flatten)]
    pub area: ManagementArea,
    pub members: Vec<String>,
}

fn rules_checked(r: AreaRules) -> Result<AreaRules> {
    let n = |key, zh, v: u32, lo, hi| {
        check::within(Field::new(key, zh), i64::from(v), lo, hi).map(|_| ())
    };
    n(
        "target_households",
        "目标户数",
        r.target_households,
        1,
        100_000,
    )?;
    n("cap_percent", "合并上限", r.cap_percent, 100, 1_000)?;
    n("min_percent", "并入比例", r.min_percent, 0, 100)?;
    n(
        "small_households",
        "零星小区户数",
        r.small_households,
        0,
        100_000,
    )?;
    n("max_join_m", "最大合并距离", r.max_join_m, 1, 1_000_000)?;
    Ok(r)
}

impl App {
    /// Proposes management areas for a street's unmanaged compounds; with `accept`, writes
    /// them into the ledger (one transaction, audited; each compound at the version read).
    pub async fn plan_areas(
        &self,
        who: &Principal,
        input: AreaPlanInput,
    ) -> Result<AreaPlanOutcome> {
        who.require(Action::ViewLedger)?;
        if input.accept {
            who.require(Action::EditCompounds)?;
        }
        let street = check::text(Field::new("street", "街道"), &input.street, NAME_MAX, false)?;
        let rules = rules_checked(input.rules)?;
        self.street_in_scope(who, &street).await?;
        if input.accept {
            self.whole_street_in_scope(who, &street).await?;
        }
        let rows = self
            .store()
            .list_compounds(&who.scoped(CompoundFilter {
                street: Some(street.clone()),
                ..CompoundFilter::default()
            }))
            .await?;
        if rows.is_empty() {
            return Err(Field::new("street", "街道").error(
                format!("“{street}”没有小区（请检查名称，或先导入台账）"),
                format!("'{street}' has no compounds (check the name, or import the ledger first)"),
            ));
        }
        let unmanaged: Vec<_> = rows
            .iter()
            .filter(|s| s.compound.mode.group() == ModeGroup::Unmanaged)
            .collect();
        let compounds: Vec<PlanCompound> = unmanaged
            .iter()
            .map(|s| PlanCompound {
                id: s.id,
                name: s.compound.name.clone(),
                community: s.compound.community.clone(),
                households: s.compound.households,
                coords: s.compound.coords,
            })
            .collect();
        let plan = plan_areas(&street, &compounds, rules);
        let accepted = if input.accept {
            let version_of = |id: i64| {
                unmanaged
                    .iter()
                    .find(|s| s.id == id)
                    .map_or(0, |s| s.version)
            };
            let assignments: Vec<AreaAssignment> = plan
                .areas
                .iter()
                .map(|ar| AreaAssignment {
                    name: ar.name.clone(),
                    households: ar.households,
                    explanation: Some(
                        ar.explanation
                            .iter()
                            .map(|e| e.zh.as_str())
                            .collect::<Vec<_>>()
                            .join("；"),
                    ),
                    members: ar
                        .members
                        .iter()
                        .map(|m| (m.id, version_of(m.id)))
                        .collect(),
                })
                .collect();
            Some(
                self.store()
                    .accept_area_plan(&who.actor(), &street, rules.target_households, &assignments)
                    .await?,
            )
        } else {
            None
        };
        Ok(AreaPlanOutcome { plan, accepted })
    }

    /// Refused unless every compound of the street lies within the principal's scope: a
    /// street's areas are accepted for the whole street (the store renames and withdraws areas
    /// street-wide), so a community's or a company's account may read them but not accept.
    pub async fn whole_street_in_scope(&self, who: &Principal, street: &str) -> Result<()> {
        let all = CompoundFilter {
            street: Some(street.to_string()),
            include_archived: true,
            ..CompoundFilter::default()
        };
        let mine = self
            .store()
            .count_compounds(&who.scoped(all.clone()))
            .await?;
        if mine < self.store().count_compounds(&all).await? {
            return Err(crate::error::AppError::forbidden(
                format!("“{street}”的物业管理区域须由管辖整个街道的账号确定"),
                format!(
                    "the management areas of '{street}' are accepted by an account over the whole street"
                ),
            ));
        }
        Ok(())
    }

    /// A street's accepted areas (archived ones too with `all`), each with its compounds.
    pub async fn management_areas(
        &self,
        who: &Principal,
        street: &str,
        all: bool,
    ) -> Result<Vec<AreaWithCompounds>> {
        who.require(Action::ViewLedger)?;
        let street = check::text(Field::new("street", "街道"), street, NAME_MAX, false)?;
        self.street_in_scope(who, &street).await?;
        let compounds = self
            .store()
            .list_compounds(&who.scoped(CompoundFilter {
                street: Some(street.clone()),
                ..CompoundFilter::default()
            }))
            .await?;
        Ok(self
            .store()
            .management_areas(&street)
            .await?
            .into_iter()
            .filter(|a| all || !a.archived)
            .map(|area| AreaWithCompounds {
                members: compounds
                    .iter()
                    .filter(|c| c.compound.management_area.as_deref() == Some(area.name.as_str()))
                    .map(|c| c.compound.name.clone())
                    .collect(),
                area,
            })
            .collect())
    }
}
