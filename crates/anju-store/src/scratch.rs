//! Scratch schemas on a PostgreSQL server, for the benchmarks (and the tests): a schema of its
//! own, reached through the same URL with its `search_path`, so a bench run never touches the
//! data already on the server, and is dropped with everything in it afterwards.

use crate::{Result, StoreError};
use sqlx::Connection as _;

/// Creates schema `name` on the server at `base` (a `postgres://` URL) and returns the URL that
/// reaches it. `name` must be a plain identifier (letters, digits, `_`).
pub async fn create(base: &str, name: &str) -> Result<String> {
    check_name(name)?;
    let mut admin = sqlx::PgConnection::connect(base).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let sep = if base.contains('?') { '&' } else { '?' };
    Ok(format!("{base}{sep}options=-c%20search_path%3D{name}"))
}

/// Drops schema `name` and everything in it.
pub async fn drop(base: &str, name: &str) -> Result<()> {
    check_name(name)?;
    let mut admin = sqlx::PgConnection::connect(base).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {name} CASCADE")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(())
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(StoreError::refused(
            format!("模式名“{name}”只能由字母、数字和下划线组成"),
            format!("schema name '{name}' must be letters, digits and underscores"),
        ))
    }
}
