//! Accounts (账号): create one bound to its region or company, list them, disable and enable,
//! reset a password (administrators, `ManageUsers`), and a person changing their own password.
//!
//! The rules are checked here with the field named before the store sees anything: a username
//! (no spaces or control characters, at most [`USERNAME_MAX`]), a display name (at most
//! [`NAME_MAX`](crate::check::NAME_MAX), no control characters), a password (at least
//! [`MIN_PASSWORD_CHARS`]), a street or community account needs its region and a company
//! account its company. Passwords are hashed here (argon2id, off the async workers) and never
//! leave this module in plain text. Sessions and logins stay in the web crate: they are HTTP.

use crate::App;
use crate::check::{self, Field, NAME_MAX};
use crate::error::{AppError, Result};
use crate::principal::Principal;
use anju_core::UserId;
use anju_core::access::{Action, Role};
use anju_store::{NewUser, StoreError, User};
use serde::Deserialize;

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password accepted (hashing has a cost; nobody types more).
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The longest username.
pub const USERNAME_MAX: usize = 64;

const USERNAME: Field = Field::new("username", "用户名");
const DISPLAY_NAME: Field = Field::new("display_name", "姓名");
const PASSWORD: Field = Field::new("password", "密码");
const ROLE: Field = Field::new("role", "角色");
const REGION: Field = Field::new("region_id", "所属区域");
const COMPANY: Field = Field::new("company_id", "所属物业企业");
const DEPARTMENT: Field = Field::new("department_id", "所属职能部门");
const COMPOUND: Field = Field::new("compound_id", "所在小区");

/// An account to create, as an administrator enters it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewAccount {
    pub username: String,
    /// The name people read (the username when blank).
    #[serde(default)]
    pub display_name: Option<String>,
    /// In plain text: checked and hashed here, never stored or logged as given.
    pub password: String,
    pub role: Role,
    /// The region the account is bounded to (a street or community account needs one).
    #[serde(default)]
    pub region_id: Option<i64>,
    /// The company a company account acts for (required for one).
    #[serde(default)]
    pub company_id: Option<i64>,
    /// The district department a department officer's account acts for (required for one;
    /// the account's region is the department's district).
    #[serde(default)]
    pub department_id: Option<i64>,
    /// The compound an owners' body member's account works for (required for one; the
    /// account's region is the compound's street).
    #[serde(default)]
    pub compound_id: Option<i64>,
}

/// A person changing their own password: the current one, the new one typed twice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

/// A role as typed (`street`, `街道办事处` …), refused naming the field and the choices.
pub fn parse_role(value: &str) -> Result<Role> {
    Role::parse(value).ok_or_else(|| {
        ROLE.error(
            format!(
                "未知的角色“{}”（可选：{}）",
                value.trim(),
                Role::ALL
                    .map(|r| format!("{} {}", r.code(), r.zh()))
                    .join("、")
            ),
            format!(
                "unknown role '{}' ({})",
                value.trim(),
                Role::ALL.map(Role::code).join(", ")
            ),
        )
    })
}

/// A new password's rules: at least [`MIN_PASSWORD_CHARS`] characters that are not all
/// spaces, at most [`MAX_PASSWORD_CHARS`], no control characters. `f` is the field it came in.
pub fn check_new_password(f: Field, password: &str) -> Result<()> {
    if password.trim().chars().count() < MIN_PASSWORD_CHARS {
        return Err(f.error(
            format!("至少 {MIN_PASSWORD_CHARS} 个字符"),
            format!("needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    let n = password.chars().count();
    if n > MAX_PASSWORD_CHARS {
        return Err(f.error(
            format!("最多 {MAX_PASSWORD_CHARS} 个字符，现有 {n} 个"),
            format!("at most {MAX_PASSWORD_CHARS} characters, this has {n}"),
        ));
    }
    if password.chars().any(char::is_control) {
        return Err(f.error(
            "含有不可见的控制字符，请删除后重试",
            "contains a control character",
        ));
    }
    Ok(())
}

/// A username: trimmed, required, no spaces or control characters, at most [`USERNAME_MAX`].
pub fn check_username(value: &str) -> Result<String> {
    let u = check::text(USERNAME, value, USERNAME_MAX, false)?;
    if u.chars().any(char::is_whitespace) {
        return Err(USERNAME.error(
            format!("“{u}”含有空格，用户名不能含空格"),
            format!("'{u}' contains a space"),
        ));
    }
    Ok(u)
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes), as a PHC string.
pub fn hash_password(password: &str) -> std::result::Result<String, String> {
    use argon2::PasswordHasher;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("无法取得随机数：{e}"))?;
    let salt = argon2::password_hash::SaltString::encode_b64(&salt)
        .map_err(|e| format!("盐值编码失败：{e}"))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("密码散列失败：{e}"))
}

/// Whether the password matches the stored PHC string (false for a malformed hash).
pub fn verify_password(hash: &str, password: &str) -> bool {
    use argon2::PasswordVerifier;
    argon2::password_hash::PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Hashes off the async workers (argon2 takes tens of milliseconds on purpose).
async fn hashed(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Invalid(format!("密码散列失败：{e}")))?
        .map_err(|e| AppError::Store(StoreError::Invalid(e)))
}

/// Whether a refusal of [`App::change_own_password`] is a wrong current password (the web
/// counts those against the login limiter).
pub fn is_wrong_password(e: &AppError) -> bool {
    matches!(e, AppError::WrongPassword(_))
}

impl App {
    /// Creates an account (administrators): every rule checked with its field named, the
    /// password hashed here.
    pub async fn create_account(&self, who: &Principal, a: NewAccount) -> Result<User> {
        who.require(Action::ManageUsers)?;
        let username = check_username(&a.username)?;
        let display_name =
            check::opt_text(DISPLAY_NAME, a.display_name.as_deref(), NAME_MAX, false)?
                .unwrap_or_else(|| username.clone());
        check_new_password(PASSWORD, &a.password)?;
        let mut a = a;
        if a.role.needs_department() {
            let Some(d) = a.department_id else {
                return Err(DEPARTMENT.error(
                    format!("“{}”角色的账号须指定所属职能部门", a.role.zh()),
                    format!(
                        "an account of the role '{}' needs its department",
                        a.role.en()
                    ),
                ));
            };
            a.region_id = Some(self.store().get_department(d).await?.district_id);
        } else {
            a.department_id = None;
        }
        if a.role.needs_compound() {
            let Some(c) = a.compound_id else {
                return Err(COMPOUND.error(
                    format!("“{}”角色的账号须指定所在小区", a.role.zh()),
                    format!(
                        "an account of the role '{}' needs its compound",
                        a.role.en()
                    ),
                ));
            };
            let compound = self.store().get_compound(c).await.map_err(|e| match e {
                StoreError::NotFound { .. } => COMPOUND.error(
                    format!("编号 {c} 的小区不存在"),
                    format!("there is no compound {c}"),
                ),
                e => e.into(),
            })?;
            a.region_id = Some(compound.street_id);
            a.company_id = None;
        } else {
            a.compound_id = None;
        }
        if a.role.needs_region() && a.region_id.is_none() {
            return Err(REGION.error(
                format!("“{}”角色的账号须指定所属区域（街道或社区）", a.role.zh()),
                format!(
                    "an account of the role '{}' needs its region (a street or community)",
                    a.role.en()
                ),
            ));
        }
        if a.role.needs_company() && a.company_id.is_none() {
            return Err(COMPANY.error(
                format!("“{}”角色的账号须指定所属物业企业", a.role.zh()),
                format!("an account of the role '{}' needs its company", a.role.en()),
            ));
        }
        let password_hash = hashed(a.password).await?;
        Ok(self
            .store()
            .create_user(
                &who.actor(),
                NewUser {
                    username,
                    display_name,
                    password_hash,
                    role: a.role,
                    region_id: a.region_id,
                    company_id: a.company_id,
                    department_id: a.department_id,
                    compound_id: a.compound_id,
                },
            )
            .await?)
    }

    /// Every account, by username (administrators only: no other role manages accounts, so
    /// there is no narrower list to scope).
    pub async fn accounts(&self, who: &Principal) -> Result<Vec<User>> {
        who.require(Action::ManageUsers)?;
        Ok(self.store().list_users().await?)
    }

    /// One account by username (administrators), refused naming the field when none.
    pub async fn account(&self, who: &Principal, username: &str) -> Result<User> {
        who.require(Action::ManageUsers)?;
        let name = username.trim();
        self.store().find_user(name).await?.ok_or_else(|| {
            USERNAME.error(
                format!("找不到账号“{name}”"),
                format!("no account '{name}'"),
            )
        })
    }

    /// An administrator clears an account's failed sign-ins (解除登录限制): audited here, then
    /// the web server, which keeps the failures in memory, forgets them for the returned
    /// username.
    pub async fn unlock_login(&self, who: &Principal, id: UserId) -> Result<User> {
        who.require(Action::ManageUsers)?;
        Ok(self
            .store()
            .record_login_unlock(&who.actor(), id.get())
            .await?)
    }

    /// Disables (every session ends) or enables an account, at the version the caller saw.
    pub async fn set_account_active(
        &self,
        who: &Principal,
        id: UserId,
        version: i64,
        active: bool,
    ) -> Result<User> {
        who.require(Action::ManageUsers)?;
        if !active && self.store().get_user(id.get()).await?.username == who.name {
            return Err(AppError::forbidden(
                "不能停用自己正在使用的账号",
                "you may not disable your own account",
            ));
        }
        Ok(self
            .store()
            .set_user_active(&who.actor(), id.get(), version, active)
            .await?)
    }

    /// Sets a new password on someone's account (administrators); every session of the
    /// account ends.
    pub async fn reset_password(
        &self,
        who: &Principal,
        id: UserId,
        version: i64,
        password: String,
    ) -> Result<User> {
        who.require(Action::ManageUsers)?;
        check_new_password(PASSWORD, &password)?;
        let hash = hashed(password).await?;
        Ok(self
            .store()
            .set_password(&who.actor(), id.get(), version, &hash)
            .await?)
    }

    /// A person changes their own password: the new one's rules first (cheap), then the
    /// current one is verified. Every session of the account ends (the web gives the browser
    /// that changed it a new one). Any role may, an auditor too: it is their account.
    pub async fn change_own_password(&self, who: &Principal, c: PasswordChange) -> Result<User> {
        let current = Field::new("current_password", "当前密码");
        let new = Field::new("new_password", "新密码");
        if c.current_password.is_empty() {
            return Err(current.error("请填写", "required"));
        }
        check_new_password(new, &c.new_password)?;
        if c.new_password != c.confirm_password {
            return Err(Field::new("confirm_password", "再次输入新密码")
                .error("两次输入的新密码不一致", "the two new passwords differ"));
        }
        if c.new_password == c.current_password {
            return Err(new.error(
                "不能与当前密码相同",
                "must differ from the current password",
            ));
        }
        let Some((user, hash)) = self.store().user_credentials(&who.name).await? else {
            return Err(AppError::forbidden("账号不存在", "no such account"));
        };
        let given = c.current_password;
        let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &given))
            .await
            .unwrap_or(false);
        if !matches {
            return Err(match current.error("不正确", "is not correct") {
                AppError::Invalid(f) => AppError::WrongPassword(f),
                other => other,
            });
        }
        let new_hash = hashed(c.new_password).await?;
        Ok(self
            .store()
            .set_password(&who.actor(), user.id, user.version, &new_hash)
            .await?)
    }
}

impl App {
    /// The region an account is bounded to, by its name at any level (or a street's only):
    /// refused, naming the field, when no region or more than one has that name.
    pub async fn account_region(
        &self,
        who: &Principal,
        name: &str,
        street_only: bool,
    ) -> Result<i64> {
        who.require(Action::ManageUsers)?;
        let name = name.trim();
        let (field, label) = if street_only {
            ("street", "街道")
        } else {
            ("region", "区域")
        };
        let found: Vec<_> = self
            .store()
            .list_regions()
            .await?
            .into_iter()
            .filter(|r| {
                r.name == name && (!street_only || r.level == anju_core::RegionLevel::Street)
            })
            .collect();
        match found.as_slice() {
            [one] => Ok(one.id),
            [] => Err(AppError::field(
                field,
                label,
                format!("找不到区域“{name}”（请先导入台账，或检查名称）"),
                format!("no region named '{name}' (import a ledger first)"),
            )),
            many => Err(AppError::field(
                field,
                label,
                format!("有 {} 个名为“{name}”的区域，无法确定是哪一个", many.len()),
                format!("{} regions are named '{name}'", many.len()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anju_core::Lang;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("anju-demo-2026").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&h, "anju-demo-2026"));
        assert!(!verify_password(&h, "anju-demo-2027"));
        assert!(!verify_password("garbage", "anju-demo-2026"));
    }

    #[test]
    fn password_rules_count_characters_and_name_the_field() {
        let msg = |pw: &str| {
            check_new_password(PASSWORD, pw)
                .err()
                .map(|e| e.message(Lang::Zh))
        };
        assert_eq!(msg("1234567").as_deref(), Some("密码：至少 8 个字符"));
        assert_eq!(msg("12345678"), None);
        assert_eq!(msg("安居安居安居安居"), None, "characters, not bytes");
        assert!(msg("        ").is_some(), "spaces only");
        assert!(msg(&"a".repeat(MAX_PASSWORD_CHARS + 1)).is_some());
        assert!(msg("abcdefgh\u{7}").is_some());
    }

    #[test]
    fn usernames_and_roles() {
        assert_eq!(check_username("  li ").ok().as_deref(), Some("li"));
        for bad in ["", "a b", "a\u{0}b"] {
            assert_eq!(
                check_username(bad)
                    .err()
                    .as_ref()
                    .and_then(|e| e.field_name()),
                Some("username"),
                "{bad:?}"
            );
        }
        assert!(check_username(&"a".repeat(USERNAME_MAX + 1)).is_err());
        assert_eq!(parse_role("街道办事处").ok(), Some(Role::Street));
        assert_eq!(
            parse_role("mayor")
                .err()
                .as_ref()
                .and_then(|e| e.field_name()),
            Some("role")
        );
    }
}
