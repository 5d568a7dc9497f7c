//! Placeholder: filled in by the issue that owns it.

use anju_core::Lang;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum FundingCmd {
    /// 尚未实现 / not built yet
    Todo,
}

pub fn run(_c: FundingCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

/// Writes the subsidy application form or the disbursement list (called by `anju report`).
pub fn report(
    _a: &crate::cmd_report::ReportArgs,
    _db: &str,
    _lang: Lang,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
