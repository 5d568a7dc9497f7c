//! `anju company …`, `anju tasks …`, `anju plan areas`. (Placeholder.)

use anju_core::Lang;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CompanyCmd {
    /// 列出企业 / list companies
    List,
}
#[derive(Subcommand)]
pub enum TasksCmd {
    /// 列出任务 / list tasks
    List,
}
#[derive(Subcommand)]
pub enum PlanCmd {
    /// 划分物业管理区域 / propose management areas
    Areas,
}

pub fn run_company(_c: CompanyCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
pub fn run_tasks(_c: TasksCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
pub fn run_plan(_c: PlanCmd, _db: &str, _lang: Lang) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
