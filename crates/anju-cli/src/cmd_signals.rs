//! Placeholder: fraud signals (issue 7).

use anju_core::Lang;
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct SignalsArgs {}

pub fn run(_a: SignalsArgs, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
