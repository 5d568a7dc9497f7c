//! anju-reports: each report built from data written through the store, on SQLite and
//! PostgreSQL, and its .xlsx read back cell by cell.

#![expect(
    clippy::unwrap_used,
    reason = "a test that fails should panic with the error"
)]

mod support;
mod xlsx;

mod fixture;
mod reports;
