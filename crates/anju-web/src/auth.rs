//! Placeholder: accounts, sessions and access (issue 6).

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
