//! 业委会经费分成: the share of fee income agreed for a compound's owners' body (seed 004 三（一）
//! "物业公司要从物业费中提取6-10%用于业主委员会的工作经费"), read by everyone who sees the compound
//! and recorded by the street or community (`App::set_owners_share`). The public accounts use
//! the agreed share, else the configured default, and none where there is no owners' body.

use crate::page::{Chrome, Refusal, app_refusal, visible_compound, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_core::Lang;
use anju_core::access::Action;
use anju_core::ids::CompoundId;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/compounds/{id}/owners-share",
        get(share_page).post(share_submit),
    )
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ShareForm {
    csrf: Option<String>,
    percent: Option<String>,
    agreed_on: Option<String>,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "owners_share.html")]
struct SharePage {
    chrome: Chrome,
    l: Lang,
    name: String,
    back: String,
    action: String,
    body: String,
    /// An owners' body exists to receive a share (else the form is shown disabled).
    has_body: bool,
    /// What stands now, in words.
    current: String,
    may_record: bool,
    kept: ShareForm,
    refused: Option<String>,
    today: String,
}

async fn share_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    kept: ShareForm,
    refused: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let c = visible_compound(state, viewer, id).await?;
    let agreed = state
        .app
        .owners_share(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let has_body = c.compound.owners_body.exists();
    let default = state.app.config().owners_share().normalize();
    let current = match (&agreed, has_body) {
        (_, false) => l
            .pick(
                "尚未成立业主委员会或物业管理委员会：物业费收入不提取业主组织分成。",
                "No owners' body yet: no share of the fee income is set aside.",
            )
            .to_string(),
        (Some(a), true) => match l {
            Lang::Zh => format!(
                "约定比例 {}%（{} 约定，{} 登记）{}",
                a.percent.normalize(),
                a.agreed_on,
                a.actor,
                a.note
                    .as_deref()
                    .map(|n| format!("：{n}"))
                    .unwrap_or_default()
            ),
            Lang::En => format!(
                "Agreed share {} % (agreed on {}, recorded by {}){}",
                a.percent.normalize(),
                a.agreed_on,
                a.actor,
                a.note
                    .as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            ),
        },
        (None, true) => match l {
            Lang::Zh => format!("尚未登记约定比例：收支公示暂按默认的 {default}% 计算。"),
            Lang::En => format!(
                "No agreed share recorded: the public accounts use the default {default} %."
            ),
        },
    };
    let page = SharePage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("业委会经费分成", "Owners' body share"),
            &format!("/compounds/{id}/owners-share"),
        ),
        l,
        name: c.compound.name.clone(),
        back: with_lang(&format!("/compounds/{id}"), l),
        action: with_lang(&format!("/compounds/{id}/owners-share"), l),
        has_body,
        body: l
            .pick(c.compound.owners_body.zh(), c.compound.owners_body.en())
            .to_string(),
        current,
        may_record: anju_core::access::can(viewer.role, Action::EditCompounds),
        kept,
        refused,
        today: state.app.today().to_string(),
    };
    Ok(page.render()?)
}

async fn share_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let html = share_html(&state, &viewer, id, ShareForm::default(), None).await;
    crate::page::form_answer(html, false, &state, &viewer)
}

async fn share_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<ShareForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = crate::page::form_guard(
        &state,
        &viewer,
        id,
        Action::EditCompounds,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let result: Result<(), Refusal> = async {
        let raw = f
            .percent
            .as_deref()
            .unwrap_or("")
            .trim()
            .trim_end_matches(['%', '％'])
            .trim();
        let percent: rust_decimal::Decimal = raw.parse().map_err(|_| {
            Refusal::Form(match l {
                Lang::Zh => format!("分成比例：“{raw}”不是数字（如 8 或 8.5）"),
                Lang::En => format!("share: '{raw}' is not a number (e.g. 8 or 8.5)"),
            })
        })?;
        let on = crate::page::parse_date_field(
            state.app.today(),
            f.agreed_on.as_deref().unwrap_or(""),
            "约定日期",
            "agreed on",
            l,
        )
        .map_err(Refusal::Form)?;
        state
            .app
            .set_owners_share(&viewer.principal(), id, percent, on, f.note.as_deref())
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    let to = with_lang(&format!("/compounds/{id}/owners-share"), l);
    crate::page::form_done(&state, &viewer, result, &to, async |m| {
        share_html(&state, &viewer, id, f, Some(m)).await
    })
    .await
}
