//! `anju policy …`, `anju subsidy`, `anju bench subsidy`. (Placeholder: owned by the policy work.)

use anju_core::Lang;
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum PolicyCmd {
    /// 列出政策 / list the policies
    List,
}

#[derive(Args)]
pub struct SubsidyArgs {
    #[arg(long)]
    pub policy: String,
}

#[derive(Args)]
pub struct BenchSubsidyArgs {}

pub fn run_policy(_c: PolicyCmd, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
pub fn run_subsidy(_a: SubsidyArgs, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
pub fn run_bench(_a: BenchSubsidyArgs, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
