//! The web's protective layers: who the client is behind a proxy, a request timeout, a global
//! body limit, security headers, compression, and a rate limit on the routes anyone may call
//! without an account (`/p/…`, `/s/…`, `/login`).
//!
//! Built from `tower-http` (timeout, body limit, headers, compression) and `tower_governor`
//! (the rate limit); the only code of our own is [`client_addr`], which believes
//! `X-Forwarded-For` only from the proxies the operator lists, and the key extractor over it.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Request, Response, StatusCode, header};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower_governor::GovernorLayer;
use tower_governor::errors::GovernorError;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The protective limits (`anju serve` flags; the defaults suit a street office).
#[derive(Debug, Clone)]
pub struct GuardConfig {
    /// A request taking longer is answered 408 (a ledger of 100,000 rows imports in seconds).
    pub request_timeout: Duration,
    /// No request body may be larger (the largest upload, a ledger file, is 20 MiB).
    pub body_limit: usize,
    /// Requests one client address may make to the public routes at once…
    pub public_burst: u32,
    /// …and one more each this many milliseconds.
    pub public_replenish_ms: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (nginx in front: `127.0.0.1`).
    pub trusted_proxies: Arc<Vec<IpAddr>>,
}

impl Default for GuardConfig {
    fn default() -> GuardConfig {
        GuardConfig {
            request_timeout: Duration::from_secs(120),
            body_limit: 24 * 1024 * 1024,
            public_burst: 60,
            public_replenish_ms: 1_000,
            trusted_proxies: Arc::new(Vec::new()),
        }
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address
/// in `X-Forwarded-For` that is not itself a trusted proxy (a client cannot forge its way past
/// the proxy, which appends the address it saw). `None` without a peer (tests in process).
pub fn client_addr(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted.contains(a))
            .unwrap_or(peer),
    )
}

/// The client of a request, as [`client_addr`] reads it.
pub fn client_of<B>(req: &Request<B>, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip());
    client_addr(peer, req.headers(), trusted)
}

/// The rate limit's key: the client address (trusted-proxy aware); requests with no peer
/// address (in-process tests) share one key.
#[derive(Debug, Clone)]
pub struct ClientKey {
    trusted: Arc<Vec<IpAddr>>,
}

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(client_of(req, &self.trusted).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// `router` with the public routes' rate limit: a 429 page in Chinese and English past it.
pub fn rate_limited(router: Router<crate::AppState>, cfg: &GuardConfig) -> Router<crate::AppState> {
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientKey {
            trusted: cfg.trusted_proxies.clone(),
        })
        .per_millisecond(cfg.public_replenish_ms.max(1))
        .burst_size(cfg.public_burst.max(1))
        .finish();
    let Some(config) = config else {
        return router;
    };
    let config = Arc::new(config);
    // The limiter keeps one entry per address seen; forget the idle ones every minute.
    let limiter = config.limiter().clone();
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        });
    }
    router.layer(GovernorLayer::new(config).error_handler(too_many))
}

fn too_many(e: GovernorError) -> Response<Body> {
    let wait = match &e {
        GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
        _ => 1,
    };
    let mut res = Response::new(Body::from(format!(
        "<!doctype html><meta charset=\"utf-8\"><title>请求过于频繁</title>\
         <p>请求过于频繁，请 {wait} 秒后再试。</p><p>Too many requests: try again in {wait} s.</p>"
    )));
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// The Content-Security-Policy of every page; `images_from` adds one origin images may come
/// from (the map's tile server, on that page only).
pub(crate) fn content_security_policy(images_from: Option<&str>) -> String {
    let extra = images_from.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; img-src 'self' data: blob:{extra}; style-src 'self' 'unsafe-inline'; \
         script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The layers every response passes: security headers, compression, the body limit and the
/// timeout.
pub fn protect(router: Router, cfg: &GuardConfig) -> Router {
    let csp = HeaderValue::from_str(&content_security_policy(None))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(cfg.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            cfg.request_timeout,
        ))
}

/// Whether a URI's path or query carries a control character, percent-encoded (`%00`, `%0A`,
/// `%7F`): no address a person uses does, and a NUL breaks PostgreSQL's text.
pub fn has_control_escape(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.windows(3).any(|w| {
        w[0] == b'%'
            && std::str::from_utf8(&w[1..])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .is_some_and(|c| c < 0x20 || c == 0x7f)
    })
}

/// Refuses (422, naming the problem in words) a request whose address carries a control
/// character, before any route reads it.
pub async fn no_control_characters(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let uri = req.uri();
    let bad = has_control_escape(uri.path()) || uri.query().is_some_and(has_control_escape);
    if bad {
        let lang = uri
            .query()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "lang"))
            .and_then(|(_, v)| anju_core::Lang::parse(&v))
            .unwrap_or_default();
        return crate::WebError::BadRequest(
            lang.pick(
                "地址中含有不可见的控制字符（如 %00），请检查链接或输入",
                "the address contains a control character (such as %00): check the link",
            )
            .to_string(),
        )
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn control_characters_are_found_escaped_in_an_address() {
        assert!(has_control_escape("street=%00"));
        assert!(has_control_escape("/p/ab%0Acd"));
        assert!(has_control_escape("q=%7f"));
        assert!(!has_control_escape("street=%E5%A4%A7&q=100%25"));
        assert!(!has_control_escape("/ledger"));
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.7"),
        );
        let proxy = [ip("127.0.0.1")];
        // Through the proxy: the address the proxy saw (a forged first entry is ignored).
        assert_eq!(
            client_addr(Some(ip("127.0.0.1")), &h, &proxy),
            Some(ip("10.0.0.7"))
        );
        // Straight from a client: its own address, whatever it claims.
        assert_eq!(
            client_addr(Some(ip("10.0.0.9")), &h, &proxy),
            Some(ip("10.0.0.9"))
        );
        // No proxy configured: the peer.
        assert_eq!(
            client_addr(Some(ip("127.0.0.1")), &h, &[]),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(client_addr(None, &h, &proxy), None);
    }
}
