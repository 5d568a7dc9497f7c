//! 账号与会话: accounts (one role, optionally bounded to a region, a company or, an owners' body's,
//! a compound) and server-side sessions.
//!
//! The store never sees a password: callers hand it an argon2 PHC string (anju-web's
//! `hash_password`, which the CLI uses too), and the audit rows of accounts never carry the
//! hash ([`User`] has no such field; creation, password changes and disabling are audited with
//! the account's public facts only).
//!
//! A session is a random 256-bit token given to the browser once; only its SHA-256 is stored,
//! with a CSRF token, the time it was created and last seen, its absolute expiry, and when it was
//! revoked (logout). Idle timeouts are the caller's rule: [`SessionUser::last_seen_at`] is there
//! to apply it. Logins and logouts are audited (never the token).

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::sql::{Cols, Conn, Row, now_ts, query};
use crate::{Result, Store, StoreError, sha256_hex};
use anju_core::RegionLevel;
use anju_core::access::Role;
use serde::{Deserialize, Serialize};

pub(crate) const USER: &str = "user";
pub(crate) const SESSION: &str = "session";

/// An account, as everyone but the password check sees it (no hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The place the account's work is bounded to (a city, district, street or community).
    pub region_id: Option<i64>,
    pub region_name: Option<String>,
    pub region_level: Option<RegionLevel>,
    /// The company a company user acts for.
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    /// The district department a department's officer acts for.
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub department_name: Option<String>,
    /// The compound an owners' body's account works for.
    #[serde(default)]
    pub compound_id: Option<i64>,
    #[serde(default)]
    pub compound_name: Option<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

/// An account to create. `password_hash` is an argon2 PHC string (`$argon2id$…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub region_id: Option<i64>,
    pub company_id: Option<i64>,
    pub department_id: Option<i64>,
    pub compound_id: Option<i64>,
}

/// A live session with its account, as a request sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub session_id: i64,
    pub csrf_token: String,
    /// RFC 3339 UTC, as stored.
    pub created_at: jiff::Timestamp,
    pub last_seen_at: jiff::Timestamp,
    pub expires_at: jiff::Timestamp,
    pub revoked: bool,
    pub user: User,
    /// Unread notices in the account's inbox (站内信).
    pub unread: i64,
}

/// A new session: the token goes to the browser and is not kept anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub session_id: i64,
}

const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.role, u.region_id, r.name, \
     r.level, u.company_id, co.name, u.department_id, dp.name, u.compound_id, cp.name, u.active, \
     u.version, u.created_at, u.updated_at FROM users u LEFT JOIN regions r ON r.id = u.region_id \
     LEFT JOIN companies co ON co.id = u.company_id \
     LEFT JOIN departments dp ON dp.id = u.department_id \
     LEFT JOIN compounds cp ON cp.id = u.compound_id";

fn user_from_cols(c: &mut Cols<'_>) -> Result<User> {
    Ok(User {
        id: c.i64()?,
        username: c.string()?,
        display_name: c.string()?,
        role: {
            let s = c.string()?;
            Role::from_code(&s).ok_or_else(|| StoreError::Corrupt(format!("未知的角色 '{s}'")))?
        },
        region_id: c.opt_i64()?,
        region_name: c.opt_string()?,
        region_level: c
            .opt_string()?
            .map(|s| {
                RegionLevel::from_code(&s)
                    .ok_or_else(|| StoreError::Corrupt(format!("未知的区域层级 '{s}'")))
            })
            .transpose()?,
        company_id: c.opt_i64()?,
        company_name: c.opt_string()?,
        department_id: c.opt_i64()?,
        department_name: c.opt_string()?,
        compound_id: c.opt_i64()?,
        compound_name: c.opt_string()?,
        active: c.flag()?,
        version: c.i64()?,
        created_at: c.timestamp()?,
        updated_at: c.timestamp()?,
    })
}

fn user_from_row(row: &Row) -> Result<User> {
    user_from_cols(&mut Cols::new(row))
}

async fn fetch_user(conn: &mut Conn, id: i64) -> Result<User> {
    let row = query(format!("{USER_SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity: USER, id })?;
    user_from_row(&row)
}

/// 256 random bits from the OS, as 64 lowercase hex digits.
fn random_hex32() -> Result<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| StoreError::Corrupt(format!("无法取得随机数：{e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

fn check_hash(h: &str) -> Result<()> {
    if h.starts_with("$argon2") {
        Ok(())
    } else {
        Err(StoreError::Invalid(
            "密码须以 argon2 散列保存（内部错误：收到的不是 argon2 散列）".into(),
        ))
    }
}

/// Checks the version the caller read against the stored one.
fn check_version(u: &User, expected: i64) -> Result<()> {
    if u.version == expected {
        Ok(())
    } else {
        Err(StoreError::Conflict {
            entity: USER,
            id: u.id,
            expected,
            actual: u.version,
        })
    }
}

impl Store {
    /// Creates an account (audited, without the hash). Street and community accounts need a
    /// region, company accounts a company; usernames are unique.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
        let username = new.username.trim().to_string();
        let display = new.display_name.trim().to_string();
        if username.is_empty() {
            return Err(StoreError::Invalid("用户名不能为空".into()));
        }
        if username.chars().any(char::is_whitespace) || username.chars().count() > 64 {
            return Err(StoreError::Invalid(format!(
                "用户名“{username}”不合法：不能含空格，最长 64 个字符"
            )));
        }
        let display = if display.is_empty() {
            username.clone()
        } else {
            display
        };
        check_hash(&new.password_hash)?;
        if new.role.needs_region() && new.region_id.is_none() {
            return Err(StoreError::Invalid(format!(
                "角色“{}”的账号须指定所属区域（街道或社区）",
                new.role.zh()
            )));
        }
        if new.role.needs_department() && new.department_id.is_none() {
            return Err(StoreError::Invalid(format!(
                "角色“{}”的账号须指定所属职能部门",
                new.role.zh()
            )));
        }
        if new.role.needs_company() && new.company_id.is_none() {
            return Err(StoreError::Invalid(format!(
                "角色“{}”的账号须指定所属物业企业",
                new.role.zh()
            )));
        }
        if new.role.needs_compound() && new.compound_id.is_none() {
            return Err(StoreError::Invalid(format!(
                "角色“{}”的账号须指定所在小区",
                new.role.zh()
            )));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let taken = query("SELECT id FROM users WHERE username = $1")
            .bind(username.clone())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate(format!("用户名“{username}”已存在")));
        }
        if let Some(r) = new.region_id {
            let found = query("SELECT id FROM regions WHERE id = $1")
                .bind(r)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound {
                    entity: audit::REGION,
                    id: r,
                });
            }
        }
        if let Some(c) = new.company_id {
            let found = query("SELECT id FROM companies WHERE id = $1")
                .bind(c)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound {
                    entity: audit::COMPANY,
                    id: c,
                });
            }
        }
        if let Some(c) = new.compound_id {
            let found = query("SELECT id FROM compounds WHERE id = $1")
                .bind(c)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound {
                    entity: audit::COMPOUND,
                    id: c,
                });
            }
        }
        if let Some(d) = new.department_id {
            let found = query("SELECT id FROM departments WHERE id = $1")
                .bind(d)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound {
                    entity: crate::departments::DEPARTMENT,
                    id: d,
                });
            }
        }
        let row = query(
            "INSERT INTO users (username, display_name, password_hash, role, region_id, \
             company_id, department_id, compound_id, active, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $8, $9, 1, 1, $7, $7) RETURNING id",
        )
        .bind(username)
        .bind(display)
        .bind(new.password_hash)
        .bind(new.role.code())
        .bind(new.region_id)
        .bind(new.company_id)
        .bind(at.clone())
        .bind(new.department_id)
        .bind(new.compound_id)
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let user = fetch_user(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: USER,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&user)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn get_user(&self, id: i64) -> Result<User> {
        let mut conn = self.pool.acquire().await?;
        fetch_user(&mut conn, id).await
    }

    /// The active accounts a notice goes to: those of a department, of a company, or of a role
    /// bounded to a region (each `None` matches nothing), by id.
    pub async fn recipients(
        &self,
        department_id: Option<i64>,
        company_id: Option<i64>,
        role_in_region: Option<(Role, i64)>,
    ) -> Result<Vec<User>> {
        let rows = query(format!(
            "{USER_SELECT} WHERE u.active = 1 AND (u.department_id = $1 OR u.company_id = $2 \
             OR (u.role = $3 AND u.region_id = $4)) ORDER BY u.id"
        ))
        .bind(department_id)
        .bind(company_id)
        .bind(role_in_region.map(|(r, _)| r.code().to_string()))
        .bind(role_in_region.map(|(_, id)| id))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The account with this username (exact, after trimming), if any.
    pub async fn find_user(&self, username: &str) -> Result<Option<User>> {
        let row = query(format!("{USER_SELECT} WHERE u.username = $1"))
            .bind(username.trim().to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Every account, by username.
    pub async fn list_users(&self) -> Result<Vec<User>> {
        let rows = query(format!("{USER_SELECT} ORDER BY u.username"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The account and its password hash, for checking a login. Only the login path calls this.
    pub async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let Some(user) = self.find_user(username).await? else {
            return Ok(None);
        };
        let row = query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some((user, Cols::new(&row).string()?)))
    }

    /// Sets a new password hash (audited as a password change, without the hash). Every open
    /// session of the account is revoked, so a stolen session dies with the old password.
    pub async fn set_password(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        password_hash: &str,
    ) -> Result<User> {
        check_hash(password_hash)?;
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_user(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        query(
            "UPDATE users SET password_hash = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(password_hash.to_string())
        .bind(at.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        revoke_all(&mut tx, id, &at).await?;
        let after = fetch_user(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "password",
                entity: USER,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Disables (or re-enables) an account (audited). Disabling revokes its sessions.
    pub async fn set_user_active(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        active: bool,
    ) -> Result<User> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_user(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        if before.active == active {
            return Ok(before);
        }
        query("UPDATE users SET active = $1, version = version + 1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(active))
            .bind(at.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            revoke_all(&mut tx, id, &at).await?;
        }
        let after = fetch_user(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: if active { "enable" } else { "disable" },
                entity: USER,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records that an administrator cleared an account's failed sign-ins (解除登录限制). The
    /// counts themselves live in the web server's memory; the audit log keeps who cleared whose.
    pub async fn record_login_unlock(&self, actor: &Actor, id: i64) -> Result<User> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let user = fetch_user(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "unlock_login",
                entity: USER,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&user)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Opens a session for an active account until `expires_at` (RFC 3339 UTC, the absolute
    /// lifetime). The login is audited; the token is returned once and only its SHA-256 kept.
    pub async fn create_session(
        &self,
        user: &User,
        expires_at: jiff::Timestamp,
        client: Option<&str>,
    ) -> Result<NewSession> {
        if !user.active {
            return Err(StoreError::Forbidden(format!(
                "账号“{}”已停用",
                user.username
            )));
        }
        let token = random_hex32()?;
        let csrf = random_hex32()?;
        let at = now_ts();
        let expires = ts_text(expires_at);
        let mut tx = self.begin_write().await?;
        let row = query(
            "INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, last_seen_at, \
             expires_at, revoked_at, client) VALUES ($1, $2, $3, $4, $4, $5, NULL, $6) \
             RETURNING id",
        )
        .bind(sha256_hex(token.as_bytes()))
        .bind(user.id)
        .bind(csrf.clone())
        .bind(at.clone())
        .bind(expires.clone())
        .bind(client.map(str::to_string))
        .fetch_one(&mut *tx)
        .await?;
        let session_id = Cols::new(&row).i64()?;
        audit::append(
            &mut tx,
            &Actor::new(user.username.clone(), user.role.code()),
            &at,
            vec![NewAudit {
                action: "login",
                entity: SESSION,
                entity_id: Some(session_id),
                before: None,
                after: Some(to_json(&serde_json::json!({
                    "user_id": user.id,
                    "expires_at": expires,
                    "client": client,
                }))?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(NewSession {
            token,
            csrf_token: csrf,
            session_id,
        })
    }

    /// The session a browser's token names, with its account, whatever its state (the caller
    /// applies expiry and idle rules, and refuses revoked sessions and disabled accounts).
    pub async fn session_by_token(&self, token: &str) -> Result<Option<SessionUser>> {
        let sql = "SELECT se.id, se.csrf_token, se.created_at, se.last_seen_at, se.expires_at, \
             se.revoked_at, u.id, u.username, u.display_name, u.role, u.region_id, r.name, \
             r.level, u.company_id, co.name, u.department_id, dp.name, u.compound_id, cp.name, \
             u.active, u.version, u.created_at, u.updated_at, \
             (SELECT COUNT(*) FROM notices n WHERE n.user_id = u.id AND n.read_at IS NULL) \
             FROM sessions se JOIN users u ON u.id = se.user_id \
             LEFT JOIN regions r ON r.id = u.region_id \
             LEFT JOIN companies co ON co.id = u.company_id \
             LEFT JOIN departments dp ON dp.id = u.department_id \
             LEFT JOIN compounds cp ON cp.id = u.compound_id WHERE se.token_sha256 = $1";
        let row = query(sql)
            .bind(sha256_hex(token.as_bytes()))
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut c = Cols::new(&row);
        Ok(Some(SessionUser {
            session_id: c.i64()?,
            csrf_token: c.string()?,
            created_at: c.timestamp()?,
            last_seen_at: c.timestamp()?,
            expires_at: c.timestamp()?,
            revoked: c.opt_string()?.is_some(),
            user: user_from_cols(&mut c)?,
            unread: c.i64()?,
        }))
    }

    /// Records that a session was used now (not audited: it is not a change of anything).
    pub async fn touch_session(&self, session_id: i64) -> Result<()> {
        query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ts())
            .bind(session_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a session (logout, or expiry noticed); audited when it was still open.
    pub async fn revoke_session(&self, actor: &Actor, session_id: i64) -> Result<()> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let done =
            query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(at.clone())
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() > 0 {
            audit::append(
                &mut tx,
                actor,
                &at,
                vec![NewAudit {
                    action: "logout",
                    entity: SESSION,
                    entity_id: Some(session_id),
                    before: None,
                    after: None,
                }],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether region `inner` is `outer` or lies under it in the region tree (a community under
    /// its street, a street under its district and city). Walks up at most a few parents.
    pub async fn region_within(&self, inner: i64, outer: i64) -> Result<bool> {
        Ok(self.region_ancestors(inner).await?.contains(&outer))
    }

    /// A region's id and the ids of every region above it, nearest first.
    pub async fn region_ancestors(&self, id: i64) -> Result<Vec<i64>> {
        let mut conn = self.pool.acquire().await?;
        let mut out = vec![id];
        let mut at = id;
        // The tree has four levels; the bound guards against a corrupt cycle.
        for _ in 0..8 {
            let row = query("SELECT parent_id FROM regions WHERE id = $1")
                .bind(at)
                .fetch_optional(&mut *conn)
                .await?;
            match row.map(|r| Cols::new(&r).opt_i64()).transpose()?.flatten() {
                Some(p) if !out.contains(&p) => {
                    out.push(p);
                    at = p;
                }
                _ => break,
            }
        }
        Ok(out)
    }
}

/// Revokes every open session of an account on the caller's transaction.
async fn revoke_all(conn: &mut Conn, user_id: i64, at: &str) -> Result<()> {
    query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(at.to_string())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A timestamp as stored: RFC 3339 UTC with microseconds (text order is time order).
pub fn ts_text(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
