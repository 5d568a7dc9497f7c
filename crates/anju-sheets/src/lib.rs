//! Ledger files (台账): `.xlsx`, `.xls` and `.csv` in, `.xlsx` out.
//!
//! A ledger row becomes an [`anju_core::Compound`]. Reading is all or nothing: [`read_ledger`]
//! returns every compound, or [`LedgerError::Problems`] listing every bad cell (row, column,
//! value, reason in Chinese and English). Matching against what is stored, the transaction and
//! the audit log belong to `anju-store`; this crate does no database work.
//!
//! The columns, with the header variants accepted on import, are in [`COLUMNS`]
//! ([`columns_markdown`] renders them for the README). [`write_ledger`] writes the same layout,
//! so export → import gives back the same compounds.
//!
//! Reading a large `.xlsx` streams its cells row by row rather than loading the sheet as a grid.

mod bench;
mod cell;
mod columns;
mod commitments;
mod error;
mod fees;
mod read;
mod register;
mod reports;
mod subsidy_sheets;
mod table;
mod write;
mod xls_guard;

pub use bench::generate_bench_ledger;
pub use columns::{
    COLUMNS, ColumnSpec, Field, column_letter, columns_markdown, match_header, normalize_header,
};
pub use commitments::{CommitmentSheetRow, parse_yes_no, read_commitment_sheet_bytes};
pub use error::{LedgerError, Problem};
pub use fees::{FeeSheetRow, read_fee_sheet, read_fee_sheet_bytes};
pub use read::{
    FileKind, Ledger, LedgerChunk, LedgerInfo, ReadOptions, compound_from_form, limits,
    read_ledger, read_ledger_bytes, read_ledger_bytes_chunks, read_ledger_chunks,
};
pub use register::{RegisterRow, read_register_bytes};
pub use reports::{
    BodyMerge, GroupHeading, ReportCell, ReportSheet, write_report, write_report_to_buffer,
};
pub use subsidy_sheets::{
    SubsidySheetLine, application_sheets, disbursement_sheet, write_disbursement_list,
    write_subsidy_application,
};
pub use table::{Column, Table, TableRow, read_table};
pub use write::{SHEET_NAME, compound_form_text, write_ledger, write_ledger_to_buffer};
