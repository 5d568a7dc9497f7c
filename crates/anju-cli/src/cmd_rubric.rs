//! `anju rubric …`. (Placeholder: owned by the rubric work.)

use anju_core::Lang;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum RubricCmd {
    /// 按扣分事件评分 / score deduction events
    Score,
}

pub fn run(_c: RubricCmd, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
