//! `anju user`: accounts for the web application (add, list, passwd, disable, enable), and the
//! demo accounts `anju serve --demo` creates.
//!
//! A password never appears on the command line (it would sit in the shell history and in
//! `ps`): it comes from one line of standard input (`--password-stdin`) or from `ANJU_PASSWORD`.
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::users` (the rules on
//! usernames, names, passwords and a role's region or company are checked there, and a region
//! or a company named by the operator is found there too).

use crate::util::{cli_principal, connect, render_table, runtime};
use anju_app::App;
use anju_app::model::User;
use anju_app::users::{NewAccount, parse_role};
use anju_core::Lang;
use anju_core::UserId;
use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCmd {
    /// 新建账号 / create an account
    Add(AddArgs),
    /// 列出账号 / list accounts
    List,
    /// 修改密码（该账号的所有会话随即失效）/ set a new password (ends the account's sessions)
    Passwd(PasswordArgs),
    /// 停用账号 / disable an account
    Disable { username: String },
    /// 重新启用账号 / enable an account again
    Enable { username: String },
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    pub username: String,
    /// admin | housing_authority | finance | street | community | company | evaluator | auditor
    /// | department | owners_body (或中文：街道办事处、社区、物业企业、部门、业委会 …)
    #[arg(long)]
    pub role: String,
    /// 所属区域（市、区县、街道或社区名称）/ the region the account is bounded to
    #[arg(long, conflicts_with = "street")]
    pub region: Option<String>,
    /// 所属街道 / the street (same as --region for a street)
    #[arg(long)]
    pub street: Option<String>,
    /// 物业企业名称、统一社会信用代码或编号 / company name, credit code or id
    #[arg(long)]
    pub company: Option<String>,
    /// 职能部门编号（anju department list；账号的区域即该部门所属的区）/ the department a
    /// department officer acts for (its district becomes the account's region)
    #[arg(long)]
    pub department: Option<anju_core::ids::DepartmentId>,
    /// 业主组织成员的所在小区（编号或名称；重名时加 --street）/ an owners' body member's compound
    #[arg(long)]
    pub compound: Option<String>,
    #[arg(long)]
    pub display_name: Option<String>,
    #[command(flatten)]
    pub password: PasswordSource,
}

#[derive(Args)]
pub struct PasswordArgs {
    pub username: String,
    #[command(flatten)]
    pub password: PasswordSource,
}

#[derive(Args)]
pub struct PasswordSource {
    /// 从标准输入读取一行作为密码（否则读环境变量 ANJU_PASSWORD）/ read the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
}

impl PasswordSource {
    fn read(&self, lang: Lang) -> anyhow::Result<String> {
        let pw = if self.password_stdin {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context(lang.pick("无法读取标准输入", "cannot read stdin"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        } else {
            std::env::var("ANJU_PASSWORD").map_err(|_| {
                anyhow!(
                    "{}",
                    lang.pick(
                        "请用 --password-stdin 从标准输入提供密码，或设置环境变量 ANJU_PASSWORD（密码不能写在命令行参数里）",
                        "give the password on stdin with --password-stdin or in ANJU_PASSWORD (never as an argument)"
                    )
                )
            })?
        };
        Ok(pw)
    }
}

pub fn run(c: UserCmd, db: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let (app, who) = (connect(db).await?, cli_principal(lang));
        match c {
            UserCmd::Add(a) => add(&app, a, lang).await,
            UserCmd::List => {
                let users = app.accounts(&who).await?;
                println!("{}", render_table(&user_rows(&users, lang)));
                Ok(ExitCode::SUCCESS)
            }
            UserCmd::Passwd(a) => {
                let pw = a.password.read(lang)?;
                let u = app.account(&who, &a.username).await?;
                let u = app
                    .reset_password(&who, UserId(u.id), u.version, pw)
                    .await?;
                println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("已修改“{}”的密码，其登录会话已全部失效。", u.username),
                        Lang::En =>
                            format!("password of '{}' changed; its sessions ended", u.username),
                    }
                );
                Ok(ExitCode::SUCCESS)
            }
            UserCmd::Disable { username } => set_active(&app, &username, false, lang).await,
            UserCmd::Enable { username } => set_active(&app, &username, true, lang).await,
        }
    })
}

async fn set_active(
    app: &App,
    username: &str,
    active: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let who = cli_principal(lang);
    let u = app.account(&who, username).await?;
    let u = app
        .set_account_active(&who, UserId(u.id), u.version, active)
        .await?;
    println!(
        "{}",
        match (lang, active) {
            (Lang::Zh, false) => format!("已停用账号“{}”，其登录会话已全部失效。", u.username),
            (Lang::Zh, true) => format!("已重新启用账号“{}”。", u.username),
            (Lang::En, false) => format!("account '{}' disabled; its sessions ended", u.username),
            (Lang::En, true) => format!("account '{}' enabled", u.username),
        }
    );
    Ok(ExitCode::SUCCESS)
}

async fn add(app: &App, a: AddArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let who = cli_principal(lang);
    let role = parse_role(&a.role)?;
    let compound_id = match &a.compound {
        Some(c) => Some(app.find_compound(&who, c, a.street.as_deref()).await?.id),
        None => None,
    };
    let region_id = match (&a.region, &a.street) {
        (Some(r), _) => Some(app.account_region(&who, r, false).await?),
        (None, Some(s)) if compound_id.is_none() => Some(app.account_region(&who, s, true).await?),
        (None, _) => None,
    };
    let company_id = match &a.company {
        Some(c) => Some(app.find_company(&who, c).await?.id),
        None => None,
    };
    let password = a.password.read(lang)?;
    let u = app
        .create_account(
            &who,
            NewAccount {
                username: a.username,
                display_name: a.display_name,
                password,
                role,
                region_id,
                company_id,
                department_id: a.department.map(|d| d.get()),
                compound_id,
            },
        )
        .await?;
    println!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已创建账号“{}”（{}{}）。",
                u.username,
                u.role.zh(),
                scope_text(&u).map(|s| format!("，{s}")).unwrap_or_default()
            ),
            Lang::En => format!(
                "account '{}' created ({}{})",
                u.username,
                u.role.en(),
                scope_text(&u).map(|s| format!(", {s}")).unwrap_or_default()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn scope_text(u: &User) -> Option<String> {
    u.compound_name
        .clone()
        .or_else(|| u.company_name.clone())
        .or_else(|| {
            u.department_name
                .as_ref()
                .map(|d| format!("{}{d}", u.region_name.as_deref().unwrap_or("")))
        })
        .or_else(|| u.region_name.clone())
}

fn user_rows(users: &[User], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            lang.pick("用户名", "username"),
            lang.pick("姓名", "name"),
            lang.pick("角色", "role"),
            lang.pick("范围", "scope"),
            lang.pick("状态", "status"),
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for u in users {
        rows.push(vec![
            u.username.clone(),
            u.display_name.clone(),
            u.role.label(lang).to_string(),
            scope_text(u).unwrap_or_else(|| lang.pick("全部", "all").to_string()),
            if u.active {
                lang.pick("启用", "active")
            } else {
                lang.pick("停用", "disabled")
            }
            .to_string(),
        ]);
    }
    rows
}

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = anju_app::demo::DEMO_PASSWORD;

/// Creates one demo account per role (idempotent: existing usernames are left alone) and
/// prints them with their password. Needs the demo data loaded.
pub async fn ensure_demo_accounts(app: &App, lang: Lang) -> anyhow::Result<()> {
    let users = app.ensure_demo_accounts(&cli_principal(lang)).await?;
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("演示账号（密码均为 {DEMO_PASSWORD}）："),
            Lang::En => format!("demo accounts (password {DEMO_PASSWORD} for all):"),
        }
    );
    println!("{}", render_table(&user_rows(&users, lang)));
    Ok(())
}
