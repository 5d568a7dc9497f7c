//! Which subsidy policy (补贴政策) a district or street follows from which day: assigning one
//! and listing the assignments.
//!
//! Assigning needs `ApproveSubsidies` (the housing authority, the administrator) and a region
//! within the principal's area; the policy must be one shipped with Anju (`anju_policy`), the
//! region a district or a street. The first day may lie ahead (a plan, not an event).

use crate::App;
use crate::check::Field;
use crate::error::Result;
use crate::principal::{Principal, outside};
use anju_core::RegionLevel;
use anju_core::access::Action;
use anju_store::FundingPolicy;
use jiff::civil::Date;

/// A policy for a region from a day (`anju funding policy set`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyAssignment {
    /// A district or a street.
    pub region_id: i64,
    /// A shipped policy's id (`anju policy list`), e.g. `liaocheng-2021`.
    pub policy_id: String,
    /// The first day it applies (may lie ahead).
    pub valid_from: Date,
}

impl App {
    /// Assigns a policy to a district or street in the principal's area.
    pub async fn assign_funding_policy(
        &self,
        who: &Principal,
        a: PolicyAssignment,
    ) -> Result<FundingPolicy> {
        who.require(Action::ApproveSubsidies)?;
        let policy = Field::new("policy", "政策编号");
        let id = a.policy_id.trim();
        if id.is_empty() {
            return Err(policy.error("请填写", "required"));
        }
        if anju_policy::shipped(id).is_none() {
            let known = anju_policy::SHIPPED
                .iter()
                .map(|(id, _)| *id)
                .collect::<Vec<_>>();
            return Err(policy.error(
                format!("没有编号为“{id}”的政策（可用：{}）", known.join("、")),
                format!("no policy '{id}' (known: {})", known.join(", ")),
            ));
        }
        let region = self
            .store()
            .list_regions()
            .await?
            .into_iter()
            .find(|r| r.id == a.region_id)
            .ok_or(anju_store::StoreError::NotFound {
                entity: "region",
                id: a.region_id,
            })?;
        if !matches!(region.level, RegionLevel::District | RegionLevel::Street) {
            return Err(Field::new("region_id", "区域").error(
                format!("政策只能指定给区县或街道，“{}”不是", region.name),
                format!(
                    "a policy is assigned to a district or a street; '{}' is neither",
                    region.name
                ),
            ));
        }
        if !self.region_in_scope(who, &region).await? {
            return Err(outside("区域", "region", region.id));
        }
        Ok(self
            .store()
            .set_funding_policy(&who.actor(), region.id, id, a.valid_from)
            .await?)
    }

    /// Every assignment of a policy to a region (reading needs `ViewLedger`; the list names
    /// regions and policies only, nothing of a compound).
    pub async fn funding_policies(&self, who: &Principal) -> Result<Vec<FundingPolicy>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store().list_funding_policies().await?)
    }
}
