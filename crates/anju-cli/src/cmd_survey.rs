//! `anju survey …`, `anju fees …`, `anju accounts …`. (Placeholder.)

use anju_core::Lang;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum SurveyCmd {
    /// 列出 / list
    List,
}

pub fn run_survey(_c: SurveyCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

#[derive(Subcommand)]
pub enum FeesCmd {
    /// 列出 / list
    List,
}

pub fn run_fees(_c: FeesCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

#[derive(Subcommand)]
pub enum AccountsCmd {
    /// 列出 / list
    List,
}

pub fn run_accounts(_c: AccountsCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
