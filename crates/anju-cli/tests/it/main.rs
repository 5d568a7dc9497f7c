//! CLI integration tests: run the real binary.
mod areas;
mod ledger;
mod path;
mod policy;
mod rubric;
