//! Ledger commands: migrate, import, export, stats, demo, serve, bench import.

use crate::Cmd;
use anju_core::Lang;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ImportCmd {
    /// 导入台账 / import a ledger (.xlsx, .xls, .csv)
    Ledger { file: PathBuf },
}

#[derive(Subcommand)]
pub enum ExportCmd {
    /// 导出台账 / export the ledger as .xlsx
    Ledger { file: PathBuf },
}

#[derive(Args)]
pub struct StatsArgs {
    #[arg(long)]
    pub street: Option<String>,
    #[arg(long, default_value = "table")]
    pub format: String,
}

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long)]
    pub demo: bool,
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

#[derive(Args)]
pub struct BenchImportArgs {}

pub fn run(_cmd: Cmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
