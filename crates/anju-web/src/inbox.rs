//! 站内信 in the browser: the signed-in person's notices, newest first, unread ones marked;
//! opening one marks it read and goes to the page it points to; 全部标为已读. The count of unread
//! notices is in every page's header (read with the session). The rules are
//! `anju_app::notices`.

use crate::auth::Viewer;
use crate::page::{Chrome, html_error, with_lang};
use crate::{AppState, WebError};
use anju_core::Lang;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(list))
        .route("/inbox/read-all", post(read_all))
        .route("/inbox/{id}", get(open))
}

struct Row {
    link: String,
    title: String,
    body: String,
    when: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    chrome: Chrome,
    rows: Vec<Row>,
    unread: usize,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let l = viewer.lang;
    let r: Result<String, WebError> = async {
        let notices = state
            .app
            .inbox(&viewer.principal())
            .await
            .map_err(|e| WebError::app(e, l))?;
        let unread = notices.iter().filter(|n| n.read_at.is_none()).count();
        let rows = notices
            .into_iter()
            .map(|n| Row {
                link: with_lang(&format!("/inbox/{}", n.id), l),
                title: n.title,
                body: n.body,
                when: crate::page::beijing_time(n.created_at, l),
                unread: n.read_at.is_none(),
            })
            .collect();
        let page = InboxPage {
            chrome: Chrome::new(&state, &viewer, l.pick("站内信", "Inbox"), "/inbox"),
            rows,
            unread,
        };
        Ok(page.render()?)
    }
    .await;
    match r {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

/// Opens a notice: marks it read and goes where it points (the inbox when it points nowhere).
async fn open(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let l = viewer.lang;
    let who = viewer.principal();
    // Only one's own: another person's notice is not found.
    let found = match state.app.notice(&who, id).await {
        Ok(n) => n,
        Err(e) => return html_error(&state, &viewer, WebError::app(e, l)),
    };
    let Some(n) = found else {
        return html_error(
            &state,
            &viewer,
            WebError::Forbidden(l.pick("这不是您的站内信", "not your notice").to_string()),
        );
    };
    if let Err(e) = state.app.mark_read(&who, Some(&[id])).await {
        return html_error(&state, &viewer, WebError::app(e, l));
    }
    let to = n
        .link
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/inbox".to_string());
    Redirect::to(&with_lang(&to, l)).into_response()
}

#[derive(Debug, Default, Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn read_all(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer.check_csrf(&headers, f.csrf.as_deref()) {
        return html_error(&state, &viewer, e);
    }
    match state.app.mark_read(&viewer.principal(), None).await {
        Ok(_) => Redirect::to(&with_lang("/inbox", l)).into_response(),
        Err(e) => html_error(&state, &viewer, WebError::app(e, l)),
    }
}
