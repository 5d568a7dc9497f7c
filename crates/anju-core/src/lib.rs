//! Anju's domain: the types every other crate speaks, validated once at the boundary.
//!
//! Invariant: this crate does no IO, no async, no SQL and no HTTP.

pub mod area;
pub mod compound;
pub mod credit_code;
pub mod lang;
pub mod money;
pub mod region;
pub mod stats;

pub use area::Area;
pub use compound::{
    Category, Compound, Coordinates, Infrastructure, InfraKind, ManagementMode, ModeGroup,
    OwnersBody,
};
pub use credit_code::CreditCode;
pub use lang::Lang;
pub use money::{Fen, MoneyError};
pub use region::RegionLevel;
