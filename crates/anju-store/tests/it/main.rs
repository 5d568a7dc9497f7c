//! anju-store's behaviour, each test run on SQLite and on PostgreSQL.

#![expect(
    clippy::unwrap_used,
    reason = "a test that fails should panic with the error"
)]

mod support;

mod alerts;
mod audit_scope;
mod companies;
mod compounds;
mod corrections;
mod credit_tasks;
mod departments;
mod funding;
mod integrity;
mod ledger;
mod ledger_paging;
mod lifecycle;
mod oversight;
mod regions;
mod schema;
mod signals;
mod surveys_fees;
mod users;
