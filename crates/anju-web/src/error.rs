//! The one error type of the web layer: the cause goes to the log, the user gets a clear
//! message in Chinese and a stable code, never a stack trace.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("数据库错误")]
    Store(#[from] anju_store::StoreError),
    #[error("页面渲染失败")]
    Render(#[from] askama::Error),
    #[error("参数错误：{0}")]
    BadRequest(String),
}

impl WebError {
    fn code(&self) -> (&'static str, StatusCode) {
        match self {
            WebError::Store(anju_store::StoreError::NotFound { .. }) => {
                ("not_found", StatusCode::NOT_FOUND)
            }
            WebError::Store(anju_store::StoreError::Conflict { .. }) => {
                ("conflict", StatusCode::CONFLICT)
            }
            WebError::Store(_) => ("store_error", StatusCode::INTERNAL_SERVER_ERROR),
            WebError::Render(_) => ("render_error", StatusCode::INTERNAL_SERVER_ERROR),
            WebError::BadRequest(_) => ("bad_request", StatusCode::UNPROCESSABLE_ENTITY),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (code, status) = self.code();
        tracing::error!(error = ?self, code, "request failed");
        let message = match &self {
            WebError::Store(e @ anju_store::StoreError::NotFound { .. })
            | WebError::Store(e @ anju_store::StoreError::Conflict { .. }) => e.to_string(),
            other => other.to_string(),
        };
        (
            status,
            Json(serde_json::json!({ "code": code, "message": message })),
        )
            .into_response()
    }
}
