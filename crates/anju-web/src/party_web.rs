//! 红色物业 in the browser (issue 19 item 3): a compound's party-building records — 党支部/党小组
//! with its party members, 党建指导员 and who sent them, the two cross appointments (双向进入、
//! 交叉任职), the half-yearly 征询 — the form that adds one, and on each record the form that ends
//! it (or, a 征询, records the suggestions rectified). Every rule is the application layer's
//! (`anju_app::party`). One column, for a phone.

use crate::auth::Viewer;
use crate::page::{
    Chrome, Fields, Refusal, action_guard, app_refusal, done, html_error, parse_date_field,
    respond, status_of, visible_compound, with_lang,
};
use crate::{AppState, WebError};
use anju_app::party::{PartyChangeInput, PartyRecordInput};
use anju_core::Lang;
use anju_core::access::Action;
use anju_core::ids::{CompoundId, PartyRecordId};
use anju_core::party::PartyRecordKind;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compounds/{id}/party", get(list).post(add))
        .route("/party-records/{id}", post(change))
}

/// One record as listed.
struct RecordView {
    id: i64,
    kind: String,
    what: String,
    dates: String,
    ended: bool,
    consultation: bool,
    rectified: u32,
    suggestions: u32,
    version: i64,
    action: String,
}

#[derive(Template)]
#[template(path = "party.html")]
struct ListPage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    records: Vec<RecordView>,
    may_manage: bool,
    action: String,
    kinds: Vec<(String, String, bool)>,
    name: String,
    sent_by: String,
    members: String,
    suggestions: String,
    rectified: String,
    started_on: String,
    note: String,
    today: String,
    error: Option<String>,
}

fn describe(r: &anju_app::model::PartyRecord, l: Lang) -> String {
    let name = r.name.clone().unwrap_or_default();
    match r.kind {
        PartyRecordKind::Branch | PartyRecordKind::Group => format!(
            "{name}（{} {} {}）",
            l.pick("党员", "members:"),
            r.members,
            l.pick("人", "")
        ),
        PartyRecordKind::Instructor => format!(
            "{name}（{}{}）",
            l.pick("派驻单位：", "sent by "),
            r.sent_by.clone().unwrap_or_default()
        ),
        PartyRecordKind::Consultation => format!(
            "{} {}，{} {}",
            l.pick("合理化建议", "suggestions"),
            r.suggestions,
            l.pick("已整改", "rectified"),
            r.rectified
        ),
        _ => name,
    }
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let c = visible_compound(state, viewer, id).await?;
    let got = state
        .app
        .party_records(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let records = got
        .records
        .iter()
        .map(|r| RecordView {
            id: r.id,
            kind: r.kind.label(l).to_string(),
            what: describe(r, l),
            dates: if r.kind.is_dated_once() {
                format!("{} {}", l.pick("征询日期", "held on"), r.started_on)
            } else {
                match r.ended_on {
                    Some(e) => format!("{} – {e}", r.started_on),
                    None => format!("{} {}", l.pick("自", "since"), r.started_on),
                }
            },
            ended: r.ended_on.is_some(),
            consultation: r.kind.is_dated_once(),
            rectified: r.rectified,
            suggestions: r.suggestions,
            version: r.version,
            action: with_lang(&format!("/party-records/{}", r.id), l),
        })
        .collect();
    let chosen = f.get("kind");
    let today = state.app.today().to_string();
    let page = ListPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {}",
                c.compound.name,
                l.pick("红色物业", "Red property")
            ),
            &format!("/compounds/{id}/party"),
        ),
        compound: c.compound.name.clone(),
        compound_link: with_lang(&format!("/compounds/{id}"), l),
        records,
        may_manage: got.may_manage,
        action: with_lang(&format!("/compounds/{id}/party"), l),
        kinds: PartyRecordKind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_string(),
                    k.label(l).to_string(),
                    k.code() == chosen,
                )
            })
            .collect(),
        name: f.get("name"),
        sent_by: f.get("sent_by"),
        members: f.get("members"),
        suggestions: f.get("suggestions"),
        rectified: f.get("rectified"),
        started_on: Some(f.get("started_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        note: f.get("note"),
        today,
        error: error.clone(),
    };
    Ok((status_of(&error), page.render()?))
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    respond(
        &state,
        &viewer,
        list_page(&state, &viewer, id, Fields::default(), None).await,
    )
}

/// A whole number typed in a form (blank: 0), refused in words naming the field.
fn number(f: &Fields, key: &str, zh: &str, en: &str, l: Lang) -> Result<u32, Refusal> {
    let v = f.get(key);
    let v = v.trim();
    if v.is_empty() {
        return Ok(0);
    }
    v.parse::<u32>().map_err(|_| {
        Refusal::Form(match l {
            Lang::Zh => format!("{zh}：“{v}”应为 0 或正整数"),
            Lang::En => format!("{en}: '{v}' must be 0 or a whole number"),
        })
    })
}

async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(&viewer, Action::ManageParty, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let kind = PartyRecordKind::from_code(&f.get("kind")).ok_or_else(|| {
            Refusal::Form(
                l.pick("请选择记录类型", "choose the kind of record")
                    .to_string(),
            )
        })?;
        let started_on = parse_date_field(
            state.app.today(),
            &f.get("started_on"),
            "开始日期",
            "started on",
            l,
        )
        .map_err(Refusal::Form)?;
        state
            .app
            .add_party_record(
                &viewer.principal(),
                id,
                PartyRecordInput {
                    kind,
                    name: Some(f.get("name")),
                    sent_by: Some(f.get("sent_by")),
                    members: number(&f, "members", "党员人数", "party members", l)?,
                    suggestions: number(&f, "suggestions", "合理化建议（条）", "suggestions", l)?,
                    rectified: number(&f, "rectified", "已整改（条）", "rectified", l)?,
                    started_on,
                    note: Some(f.get("note")),
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|()| with_lang(&format!("/compounds/{id}/party"), l)),
        async |m| list_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PartyRecordId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(&viewer, Action::ManageParty, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let before = match state.app.party_record(&viewer.principal(), id).await {
        Ok(r) => r,
        Err(e) => return html_error(&state, &viewer, WebError::app(e, l)),
    };
    let compound = CompoundId(before.compound_id);
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let (ended_on, rectified) = if before.kind.is_dated_once() {
            (
                None,
                Some(number(&f, "rectified", "已整改（条）", "rectified", l)?),
            )
        } else {
            (
                Some(
                    parse_date_field(
                        state.app.today(),
                        &f.get("ended_on"),
                        "结束日期",
                        "ended on",
                        l,
                    )
                    .map_err(Refusal::Form)?,
                ),
                None,
            )
        };
        state
            .app
            .change_party_record(
                &viewer.principal(),
                id,
                PartyChangeInput {
                    ended_on,
                    rectified,
                    version,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|()| with_lang(&format!("/compounds/{compound}/party"), l)),
        async |m| list_page(&state, &viewer, compound, Fields::default(), Some(m)).await,
    )
    .await
}
