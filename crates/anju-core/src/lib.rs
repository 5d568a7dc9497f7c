//! Anju's domain: the types every other crate speaks, validated once at the boundary.
//!
//! Invariant: this crate does no IO, no async, no SQL and no HTTP.

pub mod access;
pub mod accounts;
pub mod area;
pub mod assessment;
pub mod compound;
pub mod contract;
pub mod credit;
pub mod credit_code;
pub mod dispatch;
pub mod fees;
pub mod funding;
pub mod ids;
pub mod lang;
pub mod lifecycle;
pub mod money;
#[macro_use]
pub mod oversight;
pub mod organisation;
pub mod owners_body;
pub mod party;
pub mod planning;
pub mod referral;
pub mod region;
pub mod renovation;
pub mod schema;
pub mod selection;
pub mod signals;
pub mod stats;
pub mod targets;
pub mod task;
pub mod vote;

pub use area::Area;
pub use compound::{
    Category, Compound, Coordinates, InfraKind, Infrastructure, ManagementMode, ModeGroup,
    OwnersBody,
};
pub use credit_code::CreditCode;
pub use ids::{
    AssessmentId, CompanyId, ComplaintId, CompoundId, ContractId, LineId, OrderId, PatrolId,
    RegionId, RunId, SelectionId, SessionId, StepId, SurveyId, TaskId, UserId,
};
pub use lang::Lang;
pub use money::{Fen, MoneyError};
pub use region::RegionLevel;
