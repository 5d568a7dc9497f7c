//! A browser always gets an HTML error page. Page handlers answer refusals with pages of
//! their own (a form again, 403/404 in the chrome); what escapes them (a store failure, a
//! malformed query string, a route that does not exist) is a JSON body made for API clients or
//! the router's plain-text rejection.
//! This layer turns such an answer into a short page in the reader's language when the request
//! came from a browser (it accepts `text/html`) and is not for the API (`/api/`), keeping the
//! status and the message. Written here because no tower-http layer rewrites bodies by type.

use askama::Template;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// JSON error bodies are a few hundred bytes; anything longer is passed through untouched.
const BODY_LIMIT: usize = 64 * 1024;

#[derive(Template)]
#[template(path = "error_page.html")]
struct ErrorPage {
    html_lang: &'static str,
    status: u16,
    title: &'static str,
    message: String,
    back: &'static str,
    back_label: &'static str,
}

fn wants_html(req: &Request) -> bool {
    !req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

fn english(req: &Request) -> bool {
    req.uri()
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv == "lang=en"))
}

fn title(status: StatusCode, en: bool) -> &'static str {
    let (zh, e) = match status {
        StatusCode::NOT_FOUND => ("找不到页面", "Not found"),
        StatusCode::FORBIDDEN => ("无权访问", "Forbidden"),
        StatusCode::UNAUTHORIZED => ("请先登录", "Please sign in"),
        StatusCode::CONFLICT => ("数据已被修改", "Changed meanwhile"),
        StatusCode::PAYLOAD_TOO_LARGE => ("文件过大", "Too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("文件类型不对", "Wrong kind of file"),
        StatusCode::TOO_MANY_REQUESTS => ("请稍后再试", "Try again later"),
        s if s.is_server_error() => ("系统出错", "Something went wrong"),
        _ => ("无法完成", "Could not be done"),
    };
    if en { e } else { zh }
}

fn generic(status: StatusCode, en: bool) -> &'static str {
    let (zh, e) = match status {
        StatusCode::NOT_FOUND => (
            "这个网址没有页面，请核对网址或从菜单进入。",
            "There is no page at this address.",
        ),
        s if s.is_server_error() => (
            "系统出错，请稍后再试；问题持续请联系管理员。",
            "Something went wrong; try again later or tell the administrator.",
        ),
        _ => (
            "网址中的参数不对，请从菜单重新进入。",
            "The address has a wrong parameter; open the page from the menu again.",
        ),
    };
    if en { e } else { zh }
}

/// The middleware (see the module doc).
pub(crate) async fn browser_errors(req: Request, next: Next) -> Response {
    let html = wants_html(&req);
    let en = english(&req);
    let res = next.run(req).await;
    let status = res.status();
    if !html || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let already_html = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if already_html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (status, "").into_response();
    };
    let message = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        // A body that is not ours (the router's rejections are English plain text) is not
        // shown: the status says enough.
        .unwrap_or_else(|| generic(status, en).to_string());
    let page = ErrorPage {
        html_lang: if en { "en" } else { "zh-CN" },
        status: status.as_u16(),
        title: title(status, en),
        message,
        back: if en { "/ledger?lang=en" } else { "/ledger" },
        back_label: if en {
            "Back to the ledger"
        } else {
            "返回小区台账"
        },
    };
    let Ok(text) = page.render() else {
        return (status, "").into_response();
    };
    parts.headers.remove(CONTENT_LENGTH);
    parts.headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(text))
}
