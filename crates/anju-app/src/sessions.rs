//! Signing in and out, and the sessions a browser holds: the rules (a wrong password and an
//! unknown username take as long and read the same; a disabled account may not sign in; a
//! session ends when revoked, past its absolute lifetime or idle too long) live here; the web
//! only reads the cookie, counts failures per client and sets the cookie it is given.

use crate::users::{hash_password, verify_password};
use crate::{App, AppError, Result};
use anju_core::SessionId;
use anju_store::{Actor, NewSession, SessionUser, User};

/// How long sessions last: set by the server (`anju serve`), the same for every account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRules {
    /// A session unused this long is over.
    pub idle_timeout: jiff::SignedDuration,
    /// A session is over this long after sign-in, used or not.
    pub absolute_lifetime: jiff::SignedDuration,
}

impl Default for SessionRules {
    fn default() -> SessionRules {
        SessionRules {
            idle_timeout: jiff::SignedDuration::from_hours(8),
            absolute_lifetime: jiff::SignedDuration::from_hours(24 * 7),
        }
    }
}

/// Why a sign-in was refused: the two cases a person must be told apart, and nothing more
/// (an unknown username reads as a wrong password).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    WrongCredentials,
    Disabled,
}

/// Writing `last_seen_at` on every request would serialise SQLite for nothing: a minute is
/// fine-grained enough for an idle rule counted in hours.
const TOUCH_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

/// A hash to verify against when the username is unknown, so both cases take as long.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("anju-no-such-user").unwrap_or_default())
}

impl App {
    /// Checks a username and password. The outer error is a failure of the database; the
    /// inner one the refusal to show.
    pub async fn sign_in(
        &self,
        username: &str,
        password: String,
    ) -> Result<std::result::Result<User, SignInRefusal>> {
        let creds = if username.is_empty() {
            None
        } else {
            self.store.user_credentials(username).await?
        };
        let hash = creds
            .as_ref()
            .map_or_else(|| dummy_hash().to_string(), |(_, h)| h.clone());
        // argon2 takes tens of milliseconds on purpose: off the async workers.
        let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
            .await
            .unwrap_or(false);
        Ok(match creds.map(|(u, _)| u).filter(|_| ok) {
            None => Err(SignInRefusal::WrongCredentials),
            Some(u) if !u.active => Err(SignInRefusal::Disabled),
            Some(u) => Ok(u),
        })
    }

    /// Opens a session for an account that has just proved who it is (sign-in, password
    /// change); `client` is the address it came from, kept for the audit.
    pub async fn open_session(
        &self,
        user: &User,
        rules: SessionRules,
        client: Option<&str>,
    ) -> Result<NewSession> {
        let expires = jiff::Timestamp::now()
            .checked_add(rules.absolute_lifetime)
            .map_err(|e| {
                AppError::field(
                    "absolute_lifetime",
                    "会话有效期",
                    format!("设置有误：{e}"),
                    format!("out of range: {e}"),
                )
            })?;
        Ok(self.store.create_session(user, expires, client).await?)
    }

    /// The live session of a token, if any. A session found expired or idle too long is ended
    /// (audited as the system's); a live one is marked as seen at most once a minute.
    pub async fn session(&self, token: &str, rules: SessionRules) -> Result<Option<SessionUser>> {
        let Some(s) = self.store.session_by_token(token).await? else {
            return Ok(None);
        };
        if s.revoked || !s.user.active {
            return Ok(None);
        }
        let now = jiff::Timestamp::now();
        let expired = now >= s.expires_at;
        let seen = s.last_seen_at;
        let idle = now.duration_since(seen) > rules.idle_timeout;
        if expired || idle {
            self.store
                .revoke_session(&Actor::new("system", "session-expiry"), s.session_id)
                .await?;
            return Ok(None);
        }
        if now.duration_since(seen) > TOUCH_EVERY {
            self.store.touch_session(s.session_id).await?;
        }
        Ok(Some(s))
    }

    /// Signs a session out (audited as the person's own).
    pub async fn sign_out(&self, who: &crate::Principal, session_id: SessionId) -> Result<()> {
        Ok(self
            .store
            .revoke_session(&who.actor(), session_id.get())
            .await?)
    }
}
