//! 审计日志 — the audit log view (`/audit`), for the auditor, the housing authority and the
//! administrator only (`Action::ViewAuditLog`): filter by entity, entity id, actor and a date
//! range (China time, both ends included), newest first, paginated; each entry's before and
//! after shown as a readable diff of the fields that changed. A district's or street's account
//! reads only the entries about the compounds and streets under it (decided by `App::audit_entries`);
//! city-wide accounts read everything.
//!
//! The store never writes a password hash or a session or survey token into the log (accounts
//! are audited without the hash, sessions and survey answers by row id); as a second line of
//! defence any field whose name says password, hash, token, secret or csrf is shown as hidden.

use crate::page::{Chrome, html_error};
use crate::{AppState, Viewer, WebError};
use anju_core::Lang;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;

const PAGE_SIZE: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit_page))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    actor: Option<String>,
    /// First day, `YYYY-MM-DD` (China time), included.
    from: Option<String>,
    /// Last day, included.
    to: Option<String>,
    page: Option<usize>,
}

/// A field name that must never be shown.
pub(crate) fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["password", "hash", "token", "secret", "csrf"]
        .iter()
        .any(|s| k.contains(s))
        && k != "sha256"
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One changed field: name, before, after.
pub(crate) struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Leaf values of a JSON object by dotted path (`compound.households`); arrays are leaves.
fn flatten(prefix: &str, v: &Value, out: &mut std::collections::BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        leaf => {
            out.insert(prefix.to_string(), leaf.clone());
        }
    }
}

/// The fields that differ between `before` and `after` (nested objects by dotted path), in
/// path order, secrets hidden. An insert shows every field as new.
pub(crate) fn diff(before: Option<&Value>, after: Option<&Value>, l: Lang) -> Vec<Change> {
    let hidden = l.pick("（已隐去）", "(hidden)");
    let flat = |v: Option<&Value>| {
        let mut m = std::collections::BTreeMap::new();
        if let Some(v) = v {
            flatten("", v, &mut m);
        }
        m
    };
    let (b, a) = (flat(before), flat(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (bv, av) = (b.get(k), a.get(k));
            if bv == av {
                return None;
            }
            let secret = k.split('.').any(is_secret);
            let text = |v: Option<&Value>| match v {
                None => String::new(),
                Some(_) if secret => hidden.to_string(),
                Some(v) => show(v),
            };
            Some(Change {
                field: k.clone(),
                before: text(bv),
                after: text(av),
            })
        })
        .collect()
}

struct EntryView {
    id: i64,
    at: String,
    actor: String,
    /// The account's name, when the actor is an account.
    actor_name: Option<String>,
    role: String,
    action: String,
    entity: String,
    entity_id: String,
    changes: Vec<Change>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: AuditQuery,
    /// The record kinds to filter by: (key, words).
    entities: Vec<(&'static str, &'static str)>,
    rows: Vec<EntryView>,
    page: usize,
    pages: usize,
    total: usize,
    prev_link: Option<String>,
    next_link: Option<String>,
    error: Option<String>,
    /// The region the entries are cut to (a district's or street's account); `None`: all.
    region: Option<String>,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The instant a China-time day starts.
fn day_start_utc(d: jiff::civil::Date) -> Option<jiff::Timestamp> {
    let z = d
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .ok()?;
    Some(z.timestamp())
}

fn link(q: &AuditQuery, page: usize, l: Lang) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("entity", &q.entity),
        ("entity_id", &q.entity_id),
        ("actor", &q.actor),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if let Some(v) = non_empty(v) {
            parts.push(format!("{k}={}", crate::page::urlencode(&v)));
        }
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    let path = if parts.is_empty() {
        "/audit".to_string()
    } else {
        format!("/audit?{}", parts.join("&"))
    };
    crate::page::with_lang(&path, l)
}

/// The entries the query selects (`App::audit_entries`: the viewer's area decided there), or
/// the error naming the field.
async fn select(
    state: &AppState,
    viewer: &Viewer,
    q: &AuditQuery,
    page: usize,
) -> Result<Result<anju_app::audit::AuditPage, String>, WebError> {
    let l = viewer.lang;
    let entity_id = match non_empty(&q.entity_id) {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return Ok(Err(match l {
                    Lang::Zh => format!("记录编号：“{v}”应为整数"),
                    Lang::En => format!("record id: '{v}' must be a whole number"),
                }));
            }
        },
    };
    // `to` is included: entries before the start of the next day.
    let date = |v: &Option<String>,
                zh: &str,
                en: &str,
                next: bool|
     -> Result<Option<jiff::Timestamp>, String> {
        let Some(s) = non_empty(v) else {
            return Ok(None);
        };
        s.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| if next { d.tomorrow().ok() } else { Some(d) })
            .and_then(day_start_utc)
            .map(Some)
            .ok_or_else(|| match l {
                Lang::Zh => format!("{zh}：“{s}”不是有效日期（应为 2026-11-22 这样的格式）"),
                Lang::En => format!("{en}: '{s}' is not a date (write it like 2026-11-22)"),
            })
    };
    let from = match date(&q.from, "起始日期", "from", false) {
        Ok(v) => v,
        Err(m) => return Ok(Err(m)),
    };
    let until = match date(&q.to, "截止日期", "to", true) {
        Ok(v) => v,
        Err(m) => return Ok(Err(m)),
    };
    // The page is a condition of the query (offset and limit), not a slice of every entry.
    let offset = i64::try_from((page.max(1) - 1) * PAGE_SIZE).unwrap_or(i64::MAX);
    let found = state
        .app
        .audit_page(
            &viewer.principal(),
            anju_app::audit::AuditQuery {
                entity: non_empty(&q.entity),
                entity_id,
                actor: non_empty(&q.actor),
                from,
                until,
                limit: None,
            },
            offset,
            PAGE_SIZE as i64,
        )
        .await
        .map_err(|e| WebError::app(e, l))?;
    Ok(Ok(found))
}

async fn audit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> Response {
    let l = viewer.lang;
    // Refused before the query string is read (the rule: `Principal::audit_region`).
    let region_id = match viewer.audit_region() {
        Ok(r) => r,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let asked = q.page.unwrap_or(1).max(1);
    let mut found = match select(&state, &viewer, &q, asked).await {
        Ok(f) => f,
        Err(e) => return html_error(&state, &viewer, e),
    };
    // A page past the end (the log is shorter than the link remembered): the last page.
    if let Ok(f) = &found {
        let last = usize::try_from(f.total)
            .unwrap_or(0)
            .div_ceil(PAGE_SIZE)
            .max(1);
        if asked > last {
            found = match select(&state, &viewer, &q, last).await {
                Ok(f) => f,
                Err(e) => return html_error(&state, &viewer, e),
            };
        }
    }
    let (found, error) = match found {
        Ok(f) => (f, None),
        Err(m) => (
            anju_app::audit::AuditPage {
                entries: Vec::new(),
                total: 0,
                actor_names: Default::default(),
            },
            Some(m),
        ),
    };
    let total = usize::try_from(found.total).unwrap_or(0);
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = asked.clamp(1, pages);
    let names = found.actor_names;
    let shown = found
        .entries
        .into_iter()
        .map(|e| EntryView {
            id: e.id,
            at: crate::page::beijing_time(e.at, l),
            changes: diff(e.before.as_ref(), e.after.as_ref(), l)
                .into_iter()
                .map(|c| Change {
                    field: crate::audit_labels::field(&c.field, l),
                    ..c
                })
                .collect(),
            actor_name: names.get(&e.actor).cloned(),
            actor: e.actor,
            role: anju_core::access::Role::from_code(&e.role)
                .map(|r| r.label(l).to_string())
                .unwrap_or(e.role),
            action: crate::audit_labels::action(&e.action, l),
            entity: crate::audit_labels::entity(&e.entity, l),
            entity_id: e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
        })
        .collect();
    let page_view = AuditPage {
        chrome: Chrome::new(
            &state,
            &viewer,
            l.pick("审计日志", "Audit log"),
            &link(&q, page, Lang::Zh),
        ),
        entities: crate::audit_labels::entity_choices(l),
        rows: shown,
        page,
        pages,
        total,
        prev_link: (page > 1).then(|| link(&q, page - 1, l)),
        next_link: (page < pages).then(|| link(&q, page + 1, l)),
        q,
        error: error.clone(),
        region: region_id.map(|_| viewer.region_name.clone().unwrap_or_default()),
    };
    match page_view.render() {
        Ok(html) => (
            if error.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            },
            Html(html),
        )
            .into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_changed_fields_and_hides_secrets() {
        let b = json!({"name": "台联小区", "households": 120, "password_hash": "x", "same": 1});
        let a = json!({"name": "台联小区", "households": 126, "password_hash": "y", "same": 1,
                       "session_token": "t"});
        let d = diff(Some(&b), Some(&a), Lang::Zh);
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["households", "password_hash", "session_token"]);
        assert_eq!((d[0].before.as_str(), d[0].after.as_str()), ("120", "126"));
        assert_eq!(d[1].after, "（已隐去）");
        assert_eq!(d[2].after, "（已隐去）");
        assert!(!is_secret("sha256"));
        // An insert shows every field as new; nested objects by dotted path.
        let d = diff(
            None,
            Some(&json!({"compound": {"name": "新小区"}})),
            Lang::En,
        );
        assert_eq!(d[0].field, "compound.name");
        assert_eq!((d[0].before.as_str(), d[0].after.as_str()), ("", "新小区"));
        let d = diff(
            Some(&json!({"user": {"token": "a"}})),
            Some(&json!({"user": {"token": "b"}})),
            Lang::En,
        );
        assert_eq!(d[0].after, "(hidden)");
    }
}
