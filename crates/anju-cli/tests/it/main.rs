//! CLI integration tests: run the real binary.
mod areas;
mod batch;
mod bench_web;
mod budget;
mod credit;
mod departments;
mod edges;
mod funding;
mod ledger;
mod oversight;
mod path;
mod policy;
mod reports;
mod rubric;
mod signals;
mod surveys;
mod users;
