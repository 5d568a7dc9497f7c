//! The parts every page shares: the page frame ([`Chrome`]) and the HTML error page, the
//! language in links ([`with_lang`]) and query values ([`urlencode`]), form refusals
//! ([`Refusal`], [`app_refusal`]), typed dates, multipart forms with photos, forms that come
//! back with what was typed ([`Kept`]), and the lookups several pages make (the compound in the
//! viewer's scope, `?compound=ID`, the streets they see).
//!
//! Page modules import these from here and never from one another.

use crate::{AppState, Viewer, WebError};
use anju_app::model::{
    CompoundFilter, EVIDENCE_MAX_BYTES, EvidenceDir, StoreError, StoredCompound,
};
use anju_core::CompoundId;
use anju_core::Lang;
use askama::Template;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

// ---------------------------------------------------------------------------------------------
// The frame every page shares

/// Header, language switch, who is logged in, the demo banner.
pub(crate) struct Chrome {
    pub l: Lang,
    pub demo: bool,
    pub title: String,
    /// Path and query of this page without `lang` (the switch adds or drops it).
    pub here: String,
    pub who: String,
    pub csrf: String,
    /// The pages this role may open (never one that answers it 403).
    pub nav: Vec<NavLink>,
    /// Unread notices (站内信).
    pub unread: i64,
}

/// One link of the navigation bar.
pub(crate) struct NavLink {
    pub href: String,
    pub label: &'static str,
    /// The page shown is this one (or below it).
    pub current: bool,
}

/// The navigation bar of `viewer`: each link only when the role may open that page, by the
/// same permission the page checks (`anju_core::access::can`, the application layer's
/// `audit_region` and `may_read_signals`).
pub(crate) fn nav_links(viewer: &Viewer, here: &str) -> Vec<NavLink> {
    use anju_core::access::{Action, can};
    let l = viewer.lang;
    let role = viewer.role;
    let who = viewer.principal();
    let view = can(role, Action::ViewLedger);
    let referrals = view && role != anju_core::access::Role::Company;
    let pages: [(&str, &'static str, &'static str, bool); 19] = [
        ("/dashboard", "工作台", "Dashboard", view),
        ("/ledger", "小区台账", "Ledger", view),
        ("/map", "一张图", "Map", view),
        ("/companies", "物业企业", "Companies", view),
        ("/complaints", "投诉", "Complaints", view),
        ("/referrals", "吹哨报到", "Referrals", referrals),
        ("/dispatch", "调度表报送", "Progress sheets", referrals),
        ("/organisation", "会议与督办", "Meetings", view),
        ("/surveys", "满意度调查", "Surveys", view),
        ("/selections", "公开选聘", "Selections", view),
        ("/contracts", "合同", "Contracts", view),
        ("/tasks", "任务", "Tasks", view),
        ("/targets", "目标", "Targets", view),
        ("/funding", "补贴", "Subsidies", view),
        ("/reports", "报表", "Reports", view),
        (
            "/budget",
            "预算测算",
            "Budget",
            can(role, Action::ProjectBudget),
        ),
        ("/signals", "风险线索", "Signals", who.may_read_signals()),
        (
            "/audit",
            "审计日志",
            "Audit log",
            who.audit_region().is_ok(),
        ),
        (
            "/users",
            "账号管理",
            "Accounts",
            can(role, Action::ManageUsers),
        ),
    ];
    let path = here.split('?').next().unwrap_or(here);
    // An owners' body member works for one compound: its page, and the lists that show only it
    // (the officials' pages — tasks, meetings, subsidies, reports … — are not theirs).
    let own = viewer.compound_id.map(|id| format!("/compounds/{id}"));
    let own_link = own.as_deref().map(|href| NavLink {
        href: with_lang(href, l),
        label: l.pick("本小区", "Our compound"),
        current: path == href || path.starts_with(&format!("{href}/")),
    });
    let owners_pages = [
        "/ledger",
        "/companies",
        "/complaints",
        "/surveys",
        "/contracts",
    ];
    own_link
        .into_iter()
        .chain(
            pages
                .into_iter()
                .filter(|p| p.3)
                .filter(|p| own.is_none() || owners_pages.contains(&p.0))
                .map(|(href, zh, en, _)| NavLink {
                    href: with_lang(href, l),
                    label: l.pick(zh, en),
                    current: path == href || path.starts_with(&format!("{href}/")),
                }),
        )
        .collect()
}

/// The header alone (the 工作台 is cached per scope and gets it per request).
#[derive(Template)]
#[template(path = "chrome_header.html")]
pub(crate) struct ChromeHeader<'a> {
    pub chrome: &'a Chrome,
}

impl Chrome {
    pub(crate) fn new(
        state: &AppState,
        viewer: &Viewer,
        title: impl Into<String>,
        here: &str,
    ) -> Chrome {
        let l = viewer.lang;
        let place = viewer
            .compound_name
            .as_deref()
            .or(viewer.company_name.as_deref())
            .or(viewer.department_name.as_deref())
            .or(viewer.region_name.as_deref());
        let who = match place {
            Some(p) => format!("{} · {} · {p}", viewer.display_name, viewer.role.label(l)),
            None => format!("{} · {}", viewer.display_name, viewer.role.label(l)),
        };
        Chrome {
            l,
            demo: state.demo,
            title: title.into(),
            here: here.to_string(),
            who,
            csrf: viewer.csrf_token.clone(),
            nav: nav_links(viewer, here),
            unread: viewer.unread,
        }
    }

    /// A link in the reader's language.
    pub(crate) fn href(&self, path: &str) -> String {
        with_lang(path, self.l)
    }

    /// This page in the other language.
    pub(crate) fn other_lang_link(&self) -> String {
        match self.l {
            Lang::Zh => with_lang(&self.here, Lang::En),
            Lang::En => self.here.clone(),
        }
    }
}

/// `path` with `lang=en` added when the reader reads English.
pub(crate) fn with_lang(path: &str, l: Lang) -> String {
    match l {
        Lang::Zh => path.to_string(),
        Lang::En if path.contains('?') => format!("{path}&lang=en"),
        Lang::En => format!("{path}?lang=en"),
    }
}

#[derive(Template)]
#[template(path = "compound_error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    message: String,
}

/// Refusals and unknown records as an HTML page (403/404) in the reader's language; other
/// failures go through [`WebError`]'s JSON answer (and the log).
pub(crate) fn html_error(state: &AppState, viewer: &Viewer, e: WebError) -> Response {
    let l = viewer.lang;
    let (status, message) = match &e {
        WebError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone()),
        WebError::Csrf => (StatusCode::FORBIDDEN, e.to_string()),
        WebError::Store(s @ StoreError::NotFound { .. }) => (StatusCode::NOT_FOUND, s.message(l)),
        WebError::Store(s @ StoreError::Forbidden(_)) => (StatusCode::FORBIDDEN, s.message(l)),
        _ => return e.into_response(),
    };
    let title = match status {
        StatusCode::NOT_FOUND => l.pick("找不到页面", "Not found"),
        _ => l.pick("无权访问", "Forbidden"),
    };
    let page = ErrorPage {
        chrome: Chrome::new(state, viewer, title, "/ledger"),
        status: status.as_u16(),
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => WebError::from(err).into_response(),
    }
}

/// An error page (in the frame) with this status and message, for a browser's request that
/// has no record behind it (an expired download, …).
pub(crate) fn html_message(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    message: String,
) -> Response {
    let l = viewer.lang;
    let title = match status {
        StatusCode::NOT_FOUND => l.pick("找不到页面", "Not found"),
        StatusCode::FORBIDDEN => l.pick("无权访问", "Forbidden"),
        _ => l.pick("无法完成", "Could not be done"),
    };
    let page = ErrorPage {
        chrome: Chrome::new(state, viewer, title, "/ledger"),
        status: status.as_u16(),
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => WebError::from(err).into_response(),
    }
}

/// A typed date, or today when left empty; the error names the field.
pub(crate) fn parse_date_field(
    today: jiff::civil::Date,
    v: &str,
    field_zh: &str,
    field_en: &str,
    l: Lang,
) -> Result<jiff::civil::Date, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(today);
    }
    v.parse::<jiff::civil::Date>().map_err(|_| match l {
        Lang::Zh => format!("{field_zh}：“{v}”不是有效日期（应为 2026-11-22 这样的格式）"),
        Lang::En => format!("{field_en}: '{v}' is not a date (write it like 2026-11-22)"),
    })
}

/// A store refusal a user can act on, in their language; `None` for failures of the system.
pub(crate) fn user_message(e: &StoreError, l: Lang) -> Option<String> {
    e.is_user_error().then(|| e.message(l))
}

/// A form answer: a user error re-renders the form (422), anything else is an error page.
pub(crate) enum Refusal {
    Form(String),
    Fail(WebError),
}

impl From<WebError> for Refusal {
    fn from(e: WebError) -> Refusal {
        Refusal::Fail(e)
    }
}

/// The application layer's refusal as a form answer: a field refused or a rule of the store
/// re-renders the form; a forbidden or missing record is an error page.
pub(crate) fn app_refusal(e: anju_app::AppError, l: Lang) -> Refusal {
    match e {
        anju_app::AppError::Store(e) => refusal(e, l),
        // A refused field or file: the form again, with what was typed.
        e @ (anju_app::AppError::Invalid(_)
        | anju_app::AppError::WrongPassword(_)
        | anju_app::AppError::File { .. }) => Refusal::Form(e.message(l)),
        e => Refusal::Fail(WebError::app(e, l)),
    }
}

pub(crate) fn refusal(e: StoreError, l: Lang) -> Refusal {
    match user_message(&e, l) {
        Some(m) if !matches!(e, StoreError::NotFound { .. } | StoreError::Forbidden(_)) => {
            Refusal::Form(m)
        }
        _ => Refusal::Fail(WebError::Store(e)),
    }
}

/// The compound, or 404/403.
pub(crate) async fn visible_compound(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
) -> Result<StoredCompound, WebError> {
    state
        .app
        .compound_in_scope(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))
}

/// Every street with compounds the viewer may see, sorted.
pub(crate) async fn street_names(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<String>, WebError> {
    let set: BTreeSet<String> = state
        .app
        .compounds(&viewer.principal(), CompoundFilter::default())
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?
        .into_iter()
        .map(|c| c.compound.street)
        .collect();
    Ok(set.into_iter().collect())
}

// ---------------------------------------------------------------------------------------------
// URLs

/// The path the middleware lets an auditor post to (their own account).
pub(crate) const PASSWORD_PATH: &str = "/account/password";

/// Percent-encodes a query value (UTF-8 bytes outside the unreserved set).
pub(crate) fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Forms with photos

/// Photos of one form: this many files at the store's limit, plus the fields.
pub(crate) const MAX_FILES: usize = 10;
pub(crate) const BODY_LIMIT: usize = MAX_FILES * EVIDENCE_MAX_BYTES + 256 * 1024;

/// An uploaded file: field name, file name, bytes.
pub(crate) type Upload = (String, String, Vec<u8>);

/// Reads a multipart form: text fields (repeated names kept in order) and files.
pub(crate) async fn read_multipart(
    mut mp: Multipart,
    l: Lang,
) -> Result<(HashMap<String, Vec<String>>, Vec<Upload>), String> {
    let too_big = || match l {
        Lang::Zh => format!(
            "照片：上传失败，文件过大或传输中断（每个文件不超过 {} MiB，每次最多 {MAX_FILES} 个）",
            EVIDENCE_MAX_BYTES / (1024 * 1024)
        ),
        Lang::En => format!(
            "photos: the upload failed, too large or interrupted (at most {} MiB a file, {MAX_FILES} files)",
            EVIDENCE_MAX_BYTES / (1024 * 1024)
        ),
    };
    let mut fields: HashMap<String, Vec<String>> = HashMap::new();
    let mut files = Vec::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(too_big()),
        };
        let name = field.name().unwrap_or("").to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.map_err(|_| too_big())?;
            if !file_name.is_empty() || !bytes.is_empty() {
                if files.len() >= MAX_FILES {
                    return Err(too_big());
                }
                files.push((name, file_name, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(|_| too_big())?;
        fields.entry(name).or_default().push(text);
    }
    Ok((fields, files))
}

pub(crate) fn field(fields: &HashMap<String, Vec<String>>, name: &str) -> String {
    fields
        .get(name)
        .and_then(|v| v.first())
        .cloned()
        .unwrap_or_default()
}

/// Stores uploads (before anything else is tried) and returns (field name, sha256).
pub(crate) async fn store_uploads(
    state: &AppState,
    viewer: &Viewer,
    dir: &EvidenceDir,
    files: &[Upload],
) -> Result<Vec<(String, String)>, Refusal> {
    let who = viewer.principal();
    let mut out = Vec::new();
    for (field, name, bytes) in files {
        let e = state
            .app
            .upload_evidence(&who, dir, name, bytes)
            .await
            .map_err(|e| app_refusal(e, viewer.lang))?;
        out.push((field.clone(), e.sha256));
    }
    Ok(out)
}

pub(crate) fn render_page<T: Template>(page: T, status: StatusCode) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Pages about one compound (`?compound=ID`)

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CompoundQuery {
    compound: Option<CompoundId>,
}

pub(crate) fn need_compound(q: &CompoundQuery, l: Lang) -> Result<CompoundId, WebError> {
    q.compound.ok_or_else(|| {
        WebError::BadRequest(
            l.pick("缺少参数 compound（小区编号）", "missing ?compound=ID")
                .to_string(),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Forms that come back with what was typed (selections, tasks, targets)

/// A posted form as name/value pairs (checkbox groups repeat a name).
#[derive(Debug, Default, Clone)]
pub(crate) struct Kept {
    /// Which form the values belong to.
    form: String,
    fields: Vec<(String, String)>,
}

impl Kept {
    pub(crate) fn new(form: &str, fields: Vec<(String, String)>) -> Kept {
        Kept {
            form: form.to_string(),
            fields,
        }
    }
    /// The value typed into `name` of `form`, if that form was the one posted.
    pub(crate) fn val(&self, form: &str, name: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.get(name)
    }
    /// Whether `form` was the one posted.
    pub(crate) fn is(&self, form: &str) -> bool {
        self.form == form
    }
    pub(crate) fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// Whether `value` was chosen for `name` in `form`.
    pub(crate) fn has(&self, form: &str, name: &str, value: &i64) -> bool {
        let v = value.to_string();
        self.form == form && self.all(name).contains(&v.as_str())
    }
}

/// A whole number typed into a form field: `None` when left empty, a refusal naming the field
/// when it is not a whole number.
pub(crate) fn count_field(
    v: Option<&str>,
    zh: &str,
    en: &str,
    l: Lang,
) -> Result<Option<u32>, Refusal> {
    let raw = v.unwrap_or("").trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u32>().map(Some).map_err(|_| {
        Refusal::Form(match l {
            Lang::Zh => format!("{zh}：“{raw}”不是整数"),
            Lang::En => format!("{en}: '{raw}' is not a whole number"),
        })
    })
}

pub(crate) fn need(l: Lang, zh: &str, en: &str) -> Refusal {
    Refusal::Form(match l {
        Lang::Zh => format!("{zh}：请填写或选择"),
        Lang::En => format!("{en}: please fill in or choose"),
    })
}

/// A date typed into a form: blank is `None` (the application decides what that means).
pub(crate) fn opt_date(
    v: &str,
    zh: &str,
    en: &str,
    l: Lang,
) -> Result<Option<jiff::civil::Date>, Refusal> {
    match v.trim() {
        "" => Ok(None),
        d => d.parse().map(Some).map_err(|_| {
            Refusal::Form(match l {
                Lang::Zh => format!("{zh}：“{d}”不是有效日期（应为 2026-11-22 这样的格式）"),
                Lang::En => format!("{en}: '{d}' is not a date (write it like 2026-11-22)"),
            })
        }),
    }
}

pub(crate) fn int_field(v: &str, l: Lang, zh: &str, en: &str) -> Result<i64, Refusal> {
    v.trim().parse().map_err(|_| need(l, zh, en))
}

pub(crate) fn form_page(
    html: Result<String, WebError>,
    state: &AppState,
    viewer: &Viewer,
) -> Response {
    form_answer(html, true, state, viewer)
}

/// A form's answer once its write was tried: 303 to `to` when done; the form again (422) with
/// the reason and what was typed (`again`, given the reason) when refused; the error page when
/// the system failed.
pub(crate) async fn form_done(
    state: &AppState,
    viewer: &Viewer,
    result: Result<(), Refusal>,
    to: &str,
    again: impl AsyncFnOnce(String) -> Result<String, WebError>,
) -> Response {
    match result {
        Ok(()) => axum::response::Redirect::to(to).into_response(),
        Err(Refusal::Form(m)) => form_page(again(m).await, state, viewer),
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

/// A form's fields as sent, repeated ones kept in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub(crate) fn parse(body: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub(crate) fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub(crate) fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(crate) fn id(&self, key: &str) -> Option<i64> {
        self.get(key).trim().parse().ok()
    }
}

/// A page built with its status, or the error page when it could not be built.
pub(crate) fn respond(
    state: &AppState,
    viewer: &Viewer,
    r: Result<(StatusCode, String), WebError>,
) -> Response {
    match r {
        Ok((status, h)) => (status, Html(h)).into_response(),
        Err(e) => html_error(state, viewer, e),
    }
}

/// A form page's status: 422 when it shows a refusal, 200 otherwise.
pub(crate) fn status_of(error: &Option<String>) -> StatusCode {
    if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// A form's answer once its write was tried, for forms whose page is built with its status:
/// 303 to the address the write gave; the form again (422) with the reason and what was typed
/// when refused; the error page when the system failed.
pub(crate) async fn done(
    state: &AppState,
    viewer: &Viewer,
    result: Result<String, Refusal>,
    again: impl AsyncFnOnce(String) -> Result<(StatusCode, String), WebError>,
) -> Response {
    match result {
        Ok(to) => axum::response::Redirect::to(&to).into_response(),
        Err(Refusal::Form(m)) => match again(m).await {
            Ok((status, h)) => (status, Html(h)).into_response(),
            Err(e) => html_error(state, viewer, e),
        },
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

/// A page showing a form: 200, or 422 when it shows why what was sent was refused; the error
/// page when it could not be built.
pub(crate) fn form_answer(
    html: Result<String, WebError>,
    refused: bool,
    state: &AppState,
    viewer: &Viewer,
) -> Response {
    match html {
        Ok(h) if refused => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(state, viewer, e),
    }
}

/// A form's write on this compound: the role's permission, the compound in the viewer's scope,
/// then the form's CSRF token, in that order; the error page otherwise.
pub(crate) async fn form_guard(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    action: anju_core::access::Action,
    headers: &axum::http::HeaderMap,
    csrf: Option<&str>,
) -> Result<(), Response> {
    let checked = async {
        viewer.require(action)?;
        visible_compound(state, viewer, id).await?;
        viewer.check_csrf(headers, csrf)
    }
    .await;
    checked.map_err(|e| html_error(state, viewer, e))
}

/// A form's write that concerns no one compound: the role's permission, then the form's CSRF
/// token ([`form_guard`] adds the compound's scope between the two).
pub(crate) fn action_guard(
    viewer: &Viewer,
    action: anju_core::access::Action,
    headers: &axum::http::HeaderMap,
    csrf: Option<&str>,
) -> Result<(), WebError> {
    viewer
        .require(action)
        .and_then(|()| viewer.check_csrf(headers, csrf))
}

/// A moment as people in China read it: Beijing time, to the minute (2026年12月6日 15:51;
/// 2026-12-06 15:51 in English).
pub(crate) fn beijing_time(t: jiff::Timestamp, l: Lang) -> String {
    let z = t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    match l {
        Lang::Zh => z.strftime("%Y年%-m月%-d日 %H:%M").to_string(),
        Lang::En => z.strftime("%Y-%m-%d %H:%M").to_string(),
    }
}

/// One file a record names: the link to it (through the compound, which the viewer may see),
/// its thumbnail when it is a photo ([`crate::thumbs`]), its name as uploaded.
pub(crate) struct EvidenceLink {
    pub href: String,
    pub thumb: Option<String>,
    pub name: String,
}

/// The links of a record's files, in the record's order; a file not found is named by the
/// start of its hash.
pub(crate) fn evidence_links(
    shas: &[String],
    compound: CompoundId,
    files: &HashMap<String, anju_app::model::Evidence>,
) -> Vec<EvidenceLink> {
    shas.iter()
        .map(|h| {
            let file = files.get(h);
            EvidenceLink {
                href: format!("/evidence/{h}?compound={compound}"),
                thumb: file
                    .and_then(|f| crate::thumbs::drawable(&f.mime))
                    .map(|_| format!("/evidence/{h}?compound={compound}&thumb=1")),
                name: file
                    .map_or_else(|| h.chars().take(12).collect(), |f| f.original_name.clone()),
            }
        })
        .collect()
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn stored_times_read_in_beijing_time() {
        let at = |s: &str| s.parse::<jiff::Timestamp>().ok();
        let t = at("2026-12-06T07:51:30.077163Z").map(|t| beijing_time(t, Lang::Zh));
        assert_eq!(t.as_deref(), Some("2026年12月6日 15:51"));
        // After 16:00 UTC it is already the next day in Beijing.
        let t = at("2026-12-06T16:05:00Z").map(|t| beijing_time(t, Lang::En));
        assert_eq!(t.as_deref(), Some("2026-12-07 00:05"));
    }
}
