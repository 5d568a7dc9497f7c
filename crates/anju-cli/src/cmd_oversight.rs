//! `anju assess …`, `anju patrol …`, `anju complaint …`. (Placeholder.)

use anju_core::Lang;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AssessCmd {
    /// 列出 / list
    List,
}

pub fn run_assess(_c: AssessCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

#[derive(Subcommand)]
pub enum PatrolCmd {
    /// 列出 / list
    List,
}

pub fn run_patrol(_c: PatrolCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

#[derive(Subcommand)]
pub enum ComplaintCmd {
    /// 列出 / list
    List,
}

pub fn run_complaint(_c: ComplaintCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
