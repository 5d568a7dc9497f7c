//! Placeholder: resident pages without login (issue 5/6).

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
