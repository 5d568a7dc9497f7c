//! `anju user`: accounts for the web application (add, list, passwd, disable, enable), and the
//! demo accounts `anju serve --demo` creates.
//!
//! A password never appears on the command line (it would sit in the shell history and in
//! `ps`): it comes from one line of standard input (`--password-stdin`) or from `ANJU_PASSWORD`.
//!
//! Each subcommand reads its flags and calls one use case of `anju_app::users` (the rules on
//! usernames, names, passwords and a role's region or company are checked there); only
//! finding a region or a company by name happens here.

use crate::util::{app, cli_principal, render_table, runtime};
use anju_app::users::{NewAccount, parse_role};
use anju_core::access::Role;
use anju_core::{Lang, RegionLevel};
use anju_store::{NewUser, Store, User};
use anyhow::{Context, anyhow, bail};
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
    /// (或中文：街道办事处、社区、物业企业 …)
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
        let store = Store::connect(db).await?;
        let (app, who) = (app(&store), cli_principal(lang));
        match c {
            UserCmd::Add(a) => add(&store, a, lang).await,
            UserCmd::List => {
                let users = app.accounts(&who).await?;
                println!("{}", render_table(&user_rows(&users, lang)));
                Ok(ExitCode::SUCCESS)
            }
            UserCmd::Passwd(a) => {
                let pw = a.password.read(lang)?;
                let u = app.account(&who, &a.username).await?;
                let u = app.reset_password(&who, u.id, u.version, pw).await?;
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
            UserCmd::Disable { username } => set_active(&store, &username, false, lang).await,
            UserCmd::Enable { username } => set_active(&store, &username, true, lang).await,
        }
    })
}

async fn set_active(
    store: &Store,
    username: &str,
    active: bool,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let (app, who) = (app(store), cli_principal(lang));
    let u = app.account(&who, username).await?;
    let u = app
        .set_account_active(&who, u.id, u.version, active)
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

/// Finds a region by name at any level (`--region`) or at the street level (`--street`).
async fn find_region(
    store: &Store,
    name: &str,
    street_only: bool,
    lang: Lang,
) -> anyhow::Result<i64> {
    let name = name.trim();
    let found: Vec<_> = store
        .list_regions()
        .await?
        .into_iter()
        .filter(|r| r.name == name && (!street_only || r.level == RegionLevel::Street))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => bail!(
            "{}",
            match lang {
                Lang::Zh => format!("找不到区域“{name}”（请先导入台账，或检查名称）"),
                Lang::En => format!("no region named '{name}' (import a ledger first)"),
            }
        ),
        many => bail!(
            "{}",
            match lang {
                Lang::Zh => format!("有 {} 个名为“{name}”的区域，无法确定是哪一个", many.len()),
                Lang::En => format!("{} regions are named '{name}'", many.len()),
            }
        ),
    }
}

/// Finds a company by id, name or 统一社会信用代码.
async fn find_company(store: &Store, key: &str, lang: Lang) -> anyhow::Result<i64> {
    let key = key.trim();
    let id = key.parse::<i64>().ok();
    store
        .list_companies()
        .await?
        .into_iter()
        .find(|c| {
            Some(c.id) == id
                || c.name == key
                || c.credit_code.as_ref().is_some_and(|k| k.as_str() == key)
        })
        .map(|c| c.id)
        .ok_or_else(|| {
            anyhow!(
                "{}",
                match lang {
                    Lang::Zh => format!("找不到物业企业“{key}”（请用 anju company list 查看）"),
                    Lang::En => format!("no company '{key}' (see anju company list)"),
                }
            )
        })
}

async fn add(store: &Store, a: AddArgs, lang: Lang) -> anyhow::Result<ExitCode> {
    let role = parse_role(&a.role)?;
    let region_id = match (&a.region, &a.street) {
        (Some(r), _) => Some(find_region(store, r, false, lang).await?),
        (None, Some(s)) => Some(find_region(store, s, true, lang).await?),
        (None, None) => None,
    };
    let company_id = match &a.company {
        Some(c) => Some(find_company(store, c, lang).await?),
        None => None,
    };
    let password = a.password.read(lang)?;
    let u = app(store)
        .create_account(
            &cli_principal(lang),
            NewAccount {
                username: a.username,
                display_name: a.display_name,
                password,
                role,
                region_id,
                company_id,
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
    u.company_name.clone().or_else(|| u.region_name.clone())
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

/// A demo account: username, display name, role, region id, company id.
type DemoAccount = (&'static str, &'static str, Role, Option<i64>, Option<i64>);

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "anju-demo-2026";

/// Creates one demo account per role (idempotent: existing usernames are left alone) and
/// prints them with their password. Needs the demo data loaded.
pub async fn ensure_demo_accounts(store: &Store, lang: Lang) -> anyhow::Result<()> {
    let regions = store.list_regions().await?;
    let street = |name: &str| {
        regions
            .iter()
            .find(|r| r.level == RegionLevel::Street && r.name == name)
            .map(|r| r.id)
    };
    let daqintala = street(anju_demo::daqintala::STREET);
    let community = daqintala.and_then(|s| {
        regions
            .iter()
            .filter(|r| r.level == RegionLevel::Community && r.parent_id == Some(s))
            .min_by(|a, b| a.name.cmp(&b.name))
            .map(|r| r.id)
    });
    // The company serving the most Daqintala compounds.
    let company = match daqintala {
        Some(s) => {
            let list = store
                .list_compounds(&anju_store::CompoundFilter {
                    region_id: Some(s),
                    ..anju_store::CompoundFilter::default()
                })
                .await?;
            let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
            for c in list.iter().filter_map(|c| c.company_id) {
                *counts.entry(c).or_default() += 1;
            }
            counts
                .into_iter()
                .max_by_key(|(id, n)| (*n, -id))
                .map(|(id, _)| id)
        }
        None => None,
    };
    // (username, display name, role, region, company)
    let plan: [DemoAccount; 9] = [
        ("admin", "系统管理员", Role::Admin, None, None),
        ("zhujian", "住建局 王局", Role::HousingAuthority, None, None),
        ("caizheng", "财政局 赵科", Role::Finance, None, None),
        (
            "daqintala",
            "大沁他拉街道 李强",
            Role::Street,
            daqintala,
            None,
        ),
        (
            "shancheng",
            "山城街道 郭振华",
            Role::Street,
            street(anju_demo::shanting::STREET),
            None,
        ),
        ("shequ", "社区 王敏", Role::Community, community, None),
        ("wuye", "物业企业 张经理", Role::Company, None, company),
        ("ceping", "测评机构 陈工", Role::Evaluator, None, None),
        ("shenji", "审计 刘审", Role::Auditor, None, None),
    ];
    let mut hash: Option<String> = None;
    let actor = anju_store::Actor::new("demo", "admin");
    for (username, display, role, region_id, company_id) in plan {
        if (role.needs_region() && region_id.is_none())
            || (role.needs_company() && company_id.is_none())
            || store.find_user(username).await?.is_some()
        {
            continue;
        }
        let h = match &hash {
            Some(h) => h.clone(),
            None => {
                let h = anju_web::hash_password(DEMO_PASSWORD).map_err(|e| anyhow!("{e}"))?;
                hash = Some(h.clone());
                h
            }
        };
        store
            .create_user(
                &actor,
                NewUser {
                    username: username.into(),
                    display_name: display.into(),
                    password_hash: h,
                    role,
                    region_id,
                    company_id,
                },
            )
            .await?;
    }
    let demo_names: Vec<&str> = plan.iter().map(|p| p.0).collect();
    let users: Vec<User> = store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| demo_names.contains(&u.username.as_str()))
        .collect();
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
