//! CLI integration tests: run the real binary.
mod ledger;
mod policy;
mod rubric;
