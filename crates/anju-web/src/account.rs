//! 修改密码 — a logged-in person changes their own password (`/account/password`).
//!
//! The current password is checked first (wrong guesses count against the same limiter as
//! the login), the new one by [`check_new_password`], typed twice. The store's
//! `set_password` ends every session of the account; this browser then gets a fresh session,
//! so the one who changed it stays logged in and every other browser is logged out. An
//! auditor may change their own password too: it is their account, not the data they audit.

use crate::auth::{check_new_password, hash_password, verify_password};
use crate::compound::{Chrome, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_core::Lang;
use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Extension, Form, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new().route("/account/password", get(form_page).post(change))
}

/// The path the middleware lets an auditor post to (their own account).
pub(crate) const PASSWORD_PATH: &str = "/account/password";

/// Which field an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Current,
    New,
    Confirm,
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    chrome: Chrome,
    l: Lang,
    action: String,
    done: bool,
    error: Option<String>,
    /// The field the error names (`current_password` …), marked and focused in the form.
    bad_field: &'static str,
    min_chars: usize,
}

impl PasswordPage {
    fn new(state: &AppState, viewer: &Viewer, done: bool) -> PasswordPage {
        let l = viewer.lang;
        PasswordPage {
            chrome: Chrome::new(
                state,
                viewer,
                l.pick("修改密码", "Change password"),
                PASSWORD_PATH,
            ),
            l,
            action: with_lang(PASSWORD_PATH, l),
            done,
            error: None,
            bad_field: "",
            min_chars: crate::auth::MIN_PASSWORD_CHARS,
        }
    }

    fn render_with(self, status: StatusCode) -> Result<Response, WebError> {
        Ok((status, Html(self.render()?)).into_response())
    }
}

#[derive(Debug, Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn form_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    PasswordPage::new(&state, &viewer, q.done.is_some()).render_with(StatusCode::OK)
}

#[derive(Debug, Default, Deserialize)]
struct PasswordForm {
    csrf: Option<String>,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

fn field_error(l: Lang, field: Field, zh: String, en: String) -> (Field, String) {
    let (name_zh, name_en) = match field {
        Field::Current => ("当前密码", "Current password"),
        Field::New => ("新密码", "New password"),
        Field::Confirm => ("再次输入新密码", "New password again"),
    };
    (
        field,
        match l {
            Lang::Zh => format!("{name_zh}：{zh}"),
            Lang::En => format!("{name_en}: {en}"),
        },
    )
}

/// The new password's own rules, before the current one is checked (cheap checks first).
fn check_form(f: &PasswordForm, l: Lang) -> Result<(), (Field, String)> {
    if f.current_password.is_empty() {
        return Err(field_error(
            l,
            Field::Current,
            "请填写".into(),
            "required".into(),
        ));
    }
    if let Err(e) = check_new_password(&f.new_password, l) {
        return Err(field_error(l, Field::New, e.clone(), e));
    }
    if f.new_password != f.confirm_password {
        return Err(field_error(
            l,
            Field::Confirm,
            "两次输入的新密码不一致".into(),
            "the two new passwords differ".into(),
        ));
    }
    if f.new_password == f.current_password {
        return Err(field_error(
            l,
            Field::New,
            "不能与当前密码相同".into(),
            "must differ from the current password".into(),
        ));
    }
    Ok(())
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&headers, f.csrf.as_deref())?;
    let l = viewer.lang;
    let refuse = |(field, message): (Field, String), status: StatusCode| {
        let mut p = PasswordPage::new(&state, &viewer, false);
        p.error = Some(message);
        p.bad_field = match field {
            Field::Current => "current_password",
            Field::New => "new_password",
            Field::Confirm => "confirm_password",
        };
        p.render_with(status)
    };
    if let Err(e) = check_form(&f, l) {
        return refuse(e, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let cfg = &state.auth;
    let user_key = format!("user:{}", viewer.username);
    if state.limiter.recent(&user_key, cfg.failure_window) >= cfg.max_failures {
        let minutes = cfg.failure_window.as_secs().div_ceil(60);
        return refuse(
            field_error(
                l,
                Field::Current,
                format!("输错次数过多，请 {minutes} 分钟后再试"),
                format!("too many wrong attempts; try again in {minutes} minutes"),
            ),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let Some((user, hash)) = state.store.user_credentials(&viewer.username).await? else {
        return Err(WebError::Forbidden(
            l.pick("账号不存在", "no such account").to_string(),
        ));
    };
    let current = f.current_password.clone();
    let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &current))
        .await
        .unwrap_or(false);
    if !matches {
        state.limiter.fail(&user_key);
        tracing::info!(username = %viewer.username, "password change: wrong current password");
        return refuse(
            field_error(l, Field::Current, "不正确".into(), "is not correct".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    state.limiter.clear(&user_key);
    let new = f.new_password;
    let new_hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|e| WebError::BadRequest(e.to_string()))?
        .map_err(WebError::BadRequest)?;
    // Ends every session of the account, this one included (audited as a password change).
    let user = state
        .store
        .set_password(&viewer.actor(), user.id, user.version, &new_hash)
        .await?;
    // A fresh session for this browser: the person who changed it stays logged in.
    let client_text = client.map(|Extension(ConnectInfo(a))| a.ip().to_string());
    let expires = jiff::Timestamp::now()
        .checked_add(cfg.absolute_lifetime)
        .map_err(|e| WebError::BadRequest(format!("会话有效期设置有误：{e}")))?;
    let s = state
        .store
        .create_session(&user, expires, client_text.as_deref())
        .await?;
    let cookie = crate::auth::session_cookie(&state, &s.token, cfg.absolute_lifetime.as_secs());
    let to = with_lang(&format!("{PASSWORD_PATH}?done=1"), l);
    let mut res = Redirect::to(&to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res.headers_mut()
        .insert(SET_COOKIE, crate::auth::cookie_header(&cookie)?);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(cur: &str, new: &str, again: &str) -> PasswordForm {
        PasswordForm {
            csrf: None,
            current_password: cur.into(),
            new_password: new.into(),
            confirm_password: again.into(),
        }
    }

    #[test]
    fn the_form_names_the_field_it_refuses() {
        let cases = [
            (
                form("", "new-password-1", "new-password-1"),
                Some(Field::Current),
            ),
            (form("old", "short", "short"), Some(Field::New)),
            (
                form("old", "new-password-1", "new-password-2"),
                Some(Field::Confirm),
            ),
            (
                form("same-password", "same-password", "same-password"),
                Some(Field::New),
            ),
            (form("old", "new-password-1", "new-password-1"), None),
        ];
        for (f, want) in cases {
            assert_eq!(check_form(&f, Lang::Zh).err().map(|e| e.0), want, "{f:?}");
        }
        let (_, m) = check_form(&form("old", "a", "a"), Lang::Zh).expect_err("short");
        assert!(m.starts_with("新密码："), "{m}");
    }
}
