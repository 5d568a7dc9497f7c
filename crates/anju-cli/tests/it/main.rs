//! CLI integration tests: run the real binary.
mod areas;
mod ledger;
mod oversight;
mod path;
mod policy;
mod rubric;
mod surveys;
