//! 修改密码 — a logged-in person changes their own password (`/account/password`).
//!
//! The use case is `App::change_own_password`: the new password's rules (typed twice), then the
//! current password (wrong guesses count here against the same limiter as the login). It ends
//! every session of the account; this browser then gets a fresh session,
//! so the one who changed it stays logged in and every other browser is logged out. An
//! auditor may change their own password too: it is their account, not the data they audit.

use crate::page::{Chrome, PASSWORD_PATH, with_lang};
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

/// The label a person reads for a field the application refused (English: the application
/// names the API key, the page shows the label instead).
fn label_en(field: &str) -> &'static str {
    match field {
        "current_password" => "Current password",
        "new_password" => "New password",
        "confirm_password" => "New password again",
        _ => "Password",
    }
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
    let refuse = |field: &str, message: String, status: StatusCode| {
        let mut p = PasswordPage::new(&state, &viewer, false);
        p.error = Some(message);
        p.bad_field = match field {
            "current_password" => "current_password",
            "confirm_password" => "confirm_password",
            _ => "new_password",
        };
        p.render_with(status)
    };
    let cfg = &state.auth;
    let user_key = format!("password:{}", viewer.username);
    if let Some(wait) = state
        .limiter
        .wait(&user_key, cfg.max_failures, cfg.failure_window)
    {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return refuse(
            "current_password",
            match l {
                Lang::Zh => format!("当前密码：输错次数过多，请 {minutes} 分钟后再试"),
                Lang::En => format!(
                    "Current password: too many wrong attempts; try again in {minutes} minutes"
                ),
            },
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let change = anju_app::users::PasswordChange {
        current_password: f.current_password,
        new_password: f.new_password,
        confirm_password: f.confirm_password,
    };
    // Ends every session of the account, this one included (audited as a password change).
    let user = match state
        .app
        .change_own_password(&viewer.principal(), change)
        .await
    {
        Ok(u) => u,
        Err(e @ (anju_app::AppError::Invalid(_) | anju_app::AppError::WrongPassword(_))) => {
            if anju_app::users::is_wrong_password(&e) {
                state
                    .limiter
                    .fail(&user_key, cfg.max_failures, cfg.failure_window);
                tracing::info!(username = %viewer.username, "password change: wrong current password");
            }
            let field = e.field_name().unwrap_or_default().to_string();
            let message = match (l, &e) {
                (
                    Lang::En,
                    anju_app::AppError::Invalid(fe) | anju_app::AppError::WrongPassword(fe),
                ) => {
                    let problem = fe.en.split_once(": ").map_or(fe.en.as_str(), |(_, p)| p);
                    format!("{}: {problem}", label_en(&field))
                }
                _ => e.message(l),
            };
            return refuse(&field, message, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(e) => return Err(WebError::app(e, l)),
    };
    state.limiter.clear(&user_key);
    // A fresh session for this browser: the person who changed it stays logged in.
    let client_text = client.map(|Extension(ConnectInfo(a))| a.ip().to_string());
    let s = state
        .app
        .open_session(&user, cfg.rules(), client_text.as_deref())
        .await
        .map_err(|e| WebError::app(e, l))?;
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

    #[test]
    fn english_labels_for_the_fields_the_application_names() {
        assert_eq!(label_en("current_password"), "Current password");
        assert_eq!(label_en("confirm_password"), "New password again");
    }
}
