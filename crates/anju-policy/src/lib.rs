//! Subsidy policies as data: policy files, the calculator, the linter, rubrics and sampling.
//!
//! - [`load`] reads a policy file (TOML, see `POLICY_FORMAT.md`) into a checked [`Policy`];
//!   [`shipped`] holds the six policies written from the seeds.
//! - [`evaluate`] is the calculator: a pure function from a policy and one compound
//!   ([`Input`]) to an [`Outcome`] holding every amount and the facts behind it;
//!   [`explain`] writes the explanation lines (Chinese or English) on demand;
//!   [`evaluate_batch`] runs the same function over many compounds; [`fast`] computes the
//!   same schedules in fixed-point integers for batch totals, falling back to it row by row.
//! - [`lint`] finds the gaps and overlaps the text leaves, and how the file settles them.

pub mod batch;
pub mod dates;
pub mod de;
pub mod error;
pub mod eval;
pub mod explain;
pub mod fast;
pub mod format;
pub mod input;
pub mod interval;
pub mod lint;
pub mod load;
pub mod policy;
pub mod projection;
pub mod report;
pub mod rubric;
pub mod sampling;
pub mod scenario;
pub mod shipped;
pub mod synthetic;

pub use error::PolicyError;
pub use eval::{BatchTotals, Outcome, PeriodOutcome, evaluate, evaluate_batch};
pub use fast::{FastPolicy, PathCounts, evaluate_batch_totals};
pub use input::{Carried, CompoundFacts, ContractFacts, Grade, Input, PeriodResult, Status};
pub use lint::{Finding, LintReport, lint};
pub use load::load;
pub use policy::Policy;
pub use projection::{Assumptions, Candidate, Projection, project};
pub use scenario::Scenario;
pub use shipped::{SHIPPED, shipped, shipped_policy};

/// Loads a policy by shipped id, or from a file path when `id_or_path` is not a shipped id.
/// Returns the policy and its source text.
pub fn resolve(id_or_path: &str) -> Result<(Policy, String), PolicyError> {
    if let Some(src) = shipped(id_or_path) {
        return Ok((load(src)?, src.to_string()));
    }
    let path = std::path::Path::new(id_or_path);
    if path.exists() {
        let src = std::fs::read_to_string(path).map_err(|e| PolicyError::InvalidPolicy {
            line: 0,
            msg: format!("{id_or_path}: {e}"),
        })?;
        return Ok((load(&src)?, src));
    }
    Err(PolicyError::UnknownPolicy(id_or_path.to_string()))
}
