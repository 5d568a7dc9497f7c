//! `anju report NAME --out FILE.xlsx`: the reports officials file, in the seeds' layouts.
//! Placeholder: the report registry is filled in by issue 7.

use anju_core::Lang;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
    /// 报表名称 / report name (`anju report list` lists them)
    pub name: String,
    /// 输出文件 / output file (.xlsx)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 街道 / street
    #[arg(long)]
    pub street: Option<String>,
    /// 区 / district
    #[arg(long)]
    pub district: Option<String>,
    /// 期间或日期 / period or date (YYYY-MM, YYYY-H1, YYYY-MM-DD …)
    #[arg(long)]
    pub period: Option<String>,
}

pub fn run(a: ReportArgs, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    match a.name.as_str() {
        "subsidy-application" | "disbursement-list" => crate::cmd_funding::report(&a, db, lang),
        _ => anyhow::bail!("not built yet"),
    }
}
