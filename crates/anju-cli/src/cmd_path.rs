//! `anju compound …`, `anju contract …`, `anju selection …`, `anju targets`. (Placeholder.)

use anju_core::Lang;
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CompoundCmd {
    /// 推进一步 / advance one step
    Advance,
}
#[derive(Subcommand)]
pub enum ContractCmd {
    /// 列出合同 / list contracts
    List,
}
#[derive(Subcommand)]
pub enum SelectionCmd {
    /// 列出遴选 / list selections
    List,
}
#[derive(Args)]
pub struct TargetsArgs {}

pub fn run_compound(_c: CompoundCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
pub fn run_contract(_c: ContractCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
pub fn run_selection(_c: SelectionCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
pub fn run_targets(_a: TargetsArgs, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
