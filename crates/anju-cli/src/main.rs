//! `anju`: the command line. Thin: parses arguments, calls one use case of `anju_app::App`
//! (opened with `App::connect`), prints. It has no dependency on anju-store.

use anju_core::Lang;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[cfg(test)]
mod api_commands;
mod cmd_batch;
mod cmd_bench_funding;
mod cmd_bench_web;
mod cmd_budget;
mod cmd_company;
mod cmd_department;
mod cmd_dispatch;
mod cmd_fund;
mod cmd_funding;
mod cmd_ledger;
mod cmd_org;
mod cmd_oversight;
mod cmd_owners_body;
mod cmd_party;
mod cmd_path;
mod cmd_policy;
mod cmd_renovation;
mod cmd_report;
mod cmd_rubric;
mod cmd_signals;
mod cmd_survey;
mod cmd_user;
mod cmd_vote;
mod util;

#[derive(Parser)]
#[command(
    name = "anju",
    version,
    about = "安居 Anju — 物业管理全覆盖 (property management for every compound)"
)]
pub struct Cli {
    /// 数据库地址 / database URL: sqlite://anju.db (default) or postgres://…
    #[arg(
        long,
        env = "ANJU_DATABASE_URL",
        default_value = "sqlite://anju.db",
        global = true
    )]
    pub database_url: String,
    /// 输出语言 / output language: zh (default) or en
    #[arg(long, default_value = "zh", global = true)]
    pub lang: Lang,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand)]
pub enum Cmd {
    /// 执行数据库迁移 / apply database migrations
    Migrate,
    /// 导入 / import
    #[command(subcommand)]
    Import(cmd_ledger::ImportCmd),
    /// 导出 / export
    #[command(subcommand)]
    Export(cmd_ledger::ExportCmd),
    /// 覆盖率统计 / coverage figures
    Stats(cmd_ledger::StatsArgs),
    /// 载入演示数据 / load the demo data
    Demo,
    /// 备份内置数据库（SQLite，服务运行中亦可）/ back up the embedded SQLite database (safe
    /// while serving); PostgreSQL: pg_dump
    Backup {
        /// 备份文件（不得已存在）/ the backup file to write (must not exist)
        file: std::path::PathBuf,
    },
    /// 启动网页服务 / start the web server
    Serve(cmd_ledger::ServeArgs),
    /// 补贴政策 / subsidy policies
    #[command(subcommand)]
    Policy(cmd_policy::PolicyCmd),
    /// 补贴试算（一个小区；batch：一张表）/ what-if subsidy calculator for one compound, or
    /// `batch` for a table of compounds
    Subsidy(cmd_policy::SubsidyArgs),
    /// 考核评分表 / assessment rubrics
    #[command(subcommand)]
    Rubric(cmd_rubric::RubricCmd),
    /// 小区全覆盖路径：推进、时间线 / a compound's path to coverage
    #[command(subcommand)]
    Compound(cmd_path::CompoundCmd),
    /// 物业服务合同、备案 / contracts and filing
    #[command(subcommand)]
    Contract(cmd_path::ContractCmd),
    /// 公开遴选物业企业 / public selection of companies
    #[command(subcommand)]
    Selection(cmd_path::SelectionCmd),
    /// 阶段目标与进度 / dated targets and progress
    Targets(cmd_path::TargetsArgs),
    /// 物业企业与信用档案 / companies and their credit files
    #[command(subcommand)]
    Company(cmd_company::CompanyCmd),
    /// 任务清单 / tasks per compound
    #[command(subcommand)]
    Tasks(cmd_company::TasksCmd),
    /// 规划：物业管理区域划分 / planning: management areas
    #[command(subcommand)]
    Plan(cmd_company::PlanCmd),
    /// 考核 / assessments
    #[command(subcommand)]
    Assess(cmd_oversight::AssessCmd),
    /// 巡查与整改 / patrols and rectification orders
    #[command(subcommand)]
    Patrol(cmd_oversight::PatrolCmd),
    /// 投诉 / complaints
    #[command(subcommand)]
    Complaint(cmd_oversight::ComplaintCmd),
    /// 职能部门及其职责（镇街吹哨、部门报到）/ district departments and their duties
    #[command(subcommand)]
    Department(cmd_department::DepartmentCmd),
    /// 吹哨事项：移交、报到、办结、确认 / referrals to departments and their steps
    #[command(subcommand)]
    Referral(cmd_department::ReferralCmd),
    /// 工作机构、会议、通报约谈与交办事项（领导小组、专班、联席会议）/ the programme's own
    /// organisation: groups, meetings, censures and the assignments they hand out
    #[command(subcommand)]
    Org(cmd_org::OrgCmd),
    /// 业主组织：筹备、选举、备案、届满（换届）与成员 / owners' bodies: preparation, election,
    /// filing, end of term (succession) and members
    #[command(subcommand)]
    OwnersBody(cmd_owners_body::OwnersBodyCmd),
    /// 红色物业：党支部/党小组、党建指导员、交叉任职、征询，及党建工作据记录计分 / red property
    /// records and the party items counted from them
    #[command(subcommand)]
    Party(cmd_party::PartyCmd),
    /// 老旧小区改造：项目、节点日期（更正）、三承诺 / renovation projects: dates (corrections)
    /// and the three commitments
    #[command(subcommand)]
    Renovation(cmd_renovation::RenovationCmd),
    /// 核定收费标准（发改部门核定，住建录入）/ approved fee standards
    #[command(subcommand)]
    FeeStandard(cmd_renovation::FeeStandardCmd),
    /// 业主名册：房号、业主、专有部分面积（导入或逐户登记）/ the owners' register of households
    /// (imported or added one by one)
    #[command(subcommand)]
    Household(cmd_vote::HouseholdCmd),
    /// 业主表决：发起、纸质选票、计票与使用结果 / owners' votes: open, paper ballots, count, use
    /// the result
    #[command(subcommand)]
    Vote(cmd_vote::VoteCmd),
    /// 专项维修资金：余额、缴存与续筹、使用申请、表决、审批与拨付 / the maintenance fund: balance,
    /// money in, uses, their vote, approval and payment
    #[command(subcommand)]
    Fund(cmd_fund::FundCmd),
    /// 调度表报送：安排、报送、报送情况（每月1号、15号）/ the 调度表 filed by every street on the
    /// 1st and the 15th: schedule, file, standings
    #[command(subcommand)]
    Dispatch(cmd_dispatch::DispatchCmd),
    /// 满意度调查 / satisfaction surveys
    #[command(subcommand)]
    Survey(cmd_survey::SurveyCmd),
    /// 物业费收缴 / fees billed and collected
    #[command(subcommand)]
    Fees(cmd_survey::FeesCmd),
    /// 收支公示 / public accounts
    #[command(subcommand)]
    Accounts(cmd_survey::AccountsCmd),
    /// 补贴发放：核算、申报、审核、拨付 / subsidy runs, applications, reviews and disbursement
    #[command(subcommand)]
    Funding(cmd_funding::FundingCmd),
    /// 预算测算与政策比较 / budget projection and policy comparison
    #[command(subcommand)]
    Budget(cmd_budget::BudgetCmd),
    /// 报表（xlsx）/ reports in the seeds' layouts
    Report(cmd_report::ReportArgs),
    /// 风险线索（虚报、套取）/ fraud signals
    Signals(cmd_signals::SignalsArgs),
    /// 用户账号 / user accounts
    #[command(subcommand)]
    User(cmd_user::UserCmd),
    /// 性能基准 / benchmarks
    #[command(subcommand)]
    Bench(BenchCmd),
}

#[derive(Subcommand)]
pub enum BenchCmd {
    /// 生成并导入 100,000 个小区的台账 / generate and import a 100,000-compound ledger
    Import(cmd_ledger::BenchImportArgs),
    /// 100 万个小区 3 年补贴 / 3-year schedules for 1,000,000 compounds under each policy
    Subsidy(cmd_policy::BenchSubsidyArgs),
    /// 网页压测：10 万小区、50 个并发客户端 / the web app under load (dashboard and ledger)
    Web(cmd_bench_web::BenchWebArgs),
    /// 补贴计算 + 调度表：10 万小区、3 年 / subsidy runs and the 调度表 for 100,000 compounds
    Funding(cmd_bench_funding::BenchFundingArgs),
    /// 批量试算：100 万行 CSV → CSV（anju subsidy batch）/ the batch calculator, CSV to CSV
    Batch(cmd_batch::BenchBatchArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ANJU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let lang = cli.lang;
    let result = match cli.cmd {
        Cmd::Policy(c) => cmd_policy::run_policy(c, lang),
        Cmd::Subsidy(a) => cmd_policy::run_subsidy(a, lang),
        Cmd::Rubric(c) => cmd_rubric::run(c, lang),
        Cmd::Bench(BenchCmd::Subsidy(a)) => cmd_policy::run_bench(a, lang),
        Cmd::Bench(BenchCmd::Web(a)) => cmd_bench_web::run(a, &cli.database_url, lang),
        Cmd::Bench(BenchCmd::Funding(a)) => cmd_bench_funding::run(a, &cli.database_url, lang),
        Cmd::Bench(BenchCmd::Batch(a)) => cmd_batch::run_bench(a, lang),
        Cmd::Compound(c) => cmd_path::run_compound(c, &cli.database_url, lang),
        Cmd::Contract(c) => cmd_path::run_contract(c, &cli.database_url, lang),
        Cmd::Selection(c) => cmd_path::run_selection(c, &cli.database_url, lang),
        Cmd::Targets(a) => cmd_path::run_targets(a, &cli.database_url, lang),
        Cmd::Company(c) => cmd_company::run_company(c, &cli.database_url, lang),
        Cmd::Renovation(c) => cmd_renovation::run(c, &cli.database_url, lang),
        Cmd::FeeStandard(c) => cmd_renovation::run_fee_standard(c, &cli.database_url, lang),
        Cmd::Tasks(c) => cmd_company::run_tasks(c, &cli.database_url, lang),
        Cmd::Plan(c) => cmd_company::run_plan(c, &cli.database_url, lang),
        Cmd::Assess(c) => cmd_oversight::run_assess(c, &cli.database_url, lang),
        Cmd::Patrol(c) => cmd_oversight::run_patrol(c, &cli.database_url, lang),
        Cmd::Complaint(c) => cmd_oversight::run_complaint(c, &cli.database_url, lang),
        Cmd::Department(c) => cmd_department::run_department(c, &cli.database_url, lang),
        Cmd::Referral(c) => cmd_department::run_referral(c, &cli.database_url, lang),
        Cmd::Org(c) => cmd_org::run(c, &cli.database_url, lang),
        Cmd::OwnersBody(c) => cmd_owners_body::run(c, &cli.database_url, lang),
        Cmd::Party(c) => cmd_party::run(c, &cli.database_url, lang),
        Cmd::Household(c) => cmd_vote::run_household(c, &cli.database_url, lang),
        Cmd::Vote(c) => cmd_vote::run_vote(c, &cli.database_url, lang),
        Cmd::Fund(c) => cmd_fund::run(c, &cli.database_url, lang),
        Cmd::Dispatch(c) => cmd_dispatch::run(c, &cli.database_url, lang),
        Cmd::Survey(c) => cmd_survey::run_survey(c, &cli.database_url, lang),
        Cmd::Fees(c) => cmd_survey::run_fees(c, &cli.database_url, lang),
        Cmd::Accounts(c) => cmd_survey::run_accounts(c, &cli.database_url, lang),
        Cmd::Funding(c) => cmd_funding::run(c, &cli.database_url, lang),
        Cmd::Budget(c) => cmd_budget::run(c, &cli.database_url, lang),
        Cmd::Report(a) => cmd_report::run(a, &cli.database_url, lang),
        Cmd::Signals(a) => cmd_signals::run(a, &cli.database_url, lang),
        Cmd::User(c) => cmd_user::run(c, &cli.database_url, lang),
        other => cmd_ledger::run(other, &cli.database_url, lang),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let head = lang.pick("错误", "error");
            // A refusal from the store carries its English text; show it under --lang en.
            let app = e
                .chain()
                .find_map(|c| c.downcast_ref::<anju_app::AppError>());
            let refused = e
                .chain()
                .find_map(|c| c.downcast_ref::<anju_app::model::StoreError>())
                .filter(|se| matches!(se, anju_app::model::StoreError::Refused { .. }));
            match (app, refused) {
                (Some(ae), _) => eprintln!("{head}: {}", ae.message(lang)),
                (None, Some(se)) => eprintln!("{head}: {}", se.message(lang)),
                (None, None) => eprintln!("{head}: {e:#}"),
            }
            ExitCode::from(2)
        }
    }
}
