//! Placeholder: filled in by the issue that owns it.

use anju_core::Lang;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCmd {
    /// 尚未实现 / not built yet
    Todo,
}

pub fn run(_c: UserCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
