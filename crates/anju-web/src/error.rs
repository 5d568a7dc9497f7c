//! The one error type of the web layer: the cause goes to the log, the user gets a clear
//! message in Chinese and a stable code, never a stack trace.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("数据库错误")]
    Store(#[from] anju_app::model::StoreError),
    #[error("页面渲染失败")]
    Render(#[from] askama::Error),
    #[error("参数错误：{0}")]
    BadRequest(String),
    /// A value the application layer refused, naming the field (422 `invalid` with `field`).
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// No live session: a page is redirected to the login page (coming back to `next`), an API
    /// call gets 401.
    #[error("请先登录")]
    Unauthorized { next: String, api: bool },
    /// The role or scope does not allow this (the message says what).
    #[error("无权操作：{0}")]
    Forbidden(String),
    /// An upload larger than the limit (413 `too_large`; the message gives the limit).
    #[error("{0}")]
    TooLarge(String),
    /// An upload whose first bytes are not an accepted kind of file (415 `unsupported_type`).
    #[error("{0}")]
    UnsupportedType(String),
    /// A POST without the session's CSRF token.
    #[error("表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试")]
    Csrf,
}

impl WebError {
    fn code(&self) -> (&'static str, StatusCode) {
        match self {
            WebError::Store(anju_app::model::StoreError::NotFound { .. }) => {
                ("not_found", StatusCode::NOT_FOUND)
            }
            WebError::Store(anju_app::model::StoreError::Conflict { .. }) => {
                ("conflict", StatusCode::CONFLICT)
            }
            WebError::Store(anju_app::model::StoreError::Forbidden(_)) => {
                ("forbidden", StatusCode::FORBIDDEN)
            }
            // A rule refused the request or the data breaks one: the user can fix it.
            WebError::Store(anju_app::model::StoreError::Invalid(_)) => {
                ("invalid", StatusCode::UNPROCESSABLE_ENTITY)
            }
            WebError::Store(anju_app::model::StoreError::Refused { .. }) => {
                ("refused", StatusCode::UNPROCESSABLE_ENTITY)
            }
            WebError::Store(anju_app::model::StoreError::Duplicate(_)) => {
                ("duplicate", StatusCode::CONFLICT)
            }
            WebError::Store(_) => ("store_error", StatusCode::INTERNAL_SERVER_ERROR),
            WebError::Render(_) => ("render_error", StatusCode::INTERNAL_SERVER_ERROR),
            WebError::BadRequest(_) => ("bad_request", StatusCode::UNPROCESSABLE_ENTITY),
            WebError::Invalid { .. } => ("invalid", StatusCode::UNPROCESSABLE_ENTITY),
            WebError::Unauthorized { .. } => ("unauthorized", StatusCode::UNAUTHORIZED),
            WebError::Forbidden(_) => ("forbidden", StatusCode::FORBIDDEN),
            WebError::Csrf => ("csrf", StatusCode::FORBIDDEN),
            WebError::TooLarge(_) => ("too_large", StatusCode::PAYLOAD_TOO_LARGE),
            WebError::UnsupportedType(_) => {
                ("unsupported_type", StatusCode::UNSUPPORTED_MEDIA_TYPE)
            }
        }
    }
}

impl WebError {
    /// The application layer's refusal, in the reader's language.
    pub fn app(e: anju_app::AppError, lang: anju_core::Lang) -> WebError {
        match e {
            anju_app::AppError::Invalid(f) | anju_app::AppError::WrongPassword(f) => {
                WebError::Invalid {
                    message: lang.pick(&f.zh, &f.en).to_string(),
                    field: f.field,
                }
            }
            anju_app::AppError::Forbidden { zh, en } => {
                WebError::Forbidden(lang.pick(&zh, &en).to_string())
            }
            anju_app::AppError::File {
                problem: anju_app::FileProblem::TooLarge,
                zh,
                en,
            } => WebError::TooLarge(lang.pick(&zh, &en).to_string()),
            anju_app::AppError::File {
                problem: anju_app::FileProblem::UnsupportedType,
                zh,
                en,
            } => WebError::UnsupportedType(lang.pick(&zh, &en).to_string()),
            anju_app::AppError::Store(e) => WebError::Store(e),
        }
    }
}

/// In Chinese; where the reader may read English, use [`WebError::app`].
impl From<anju_app::AppError> for WebError {
    fn from(e: anju_app::AppError) -> WebError {
        WebError::app(e, anju_core::Lang::Zh)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (code, status) = self.code();
        if let WebError::Unauthorized { next, api: false } = &self {
            let to = format!("/login?next={}", crate::page::urlencode(next));
            return axum::response::Redirect::to(&to).into_response();
        }
        if status.is_server_error() {
            tracing::error!(error = ?self, code, "request failed");
        } else {
            tracing::debug!(error = ?self, code, "request refused");
        }
        let message = match &self {
            WebError::Store(e @ anju_app::model::StoreError::NotFound { .. })
            | WebError::Store(e @ anju_app::model::StoreError::Conflict { .. })
            | WebError::Store(e @ anju_app::model::StoreError::Forbidden(_))
            | WebError::Store(e @ anju_app::model::StoreError::Invalid(_))
            | WebError::Store(e @ anju_app::model::StoreError::Refused { .. })
            | WebError::Store(e @ anju_app::model::StoreError::Duplicate(_)) => e.to_string(),
            other => other.to_string(),
        };
        let body = match &self {
            WebError::Invalid { field, .. } => {
                serde_json::json!({ "code": code, "message": message, "field": field })
            }
            _ => serde_json::json!({ "code": code, "message": message }),
        };
        (status, Json(body)).into_response()
    }
}
