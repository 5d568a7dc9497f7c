//! 专项维修资金 in the browser (issue 19 item 4): a compound's fund — balance, money in and out,
//! each use with its path (申请 → 业主表决 → 住建审批 → 拨付) and the form its reader may take next —
//! with 住建's deposit form (续筹 citing a carried vote) and the street's or community's form to
//! apply for a use. Every rule is the application layer's (`anju_app::fund`). One column.

use crate::auth::Viewer;
use crate::page::{
    Chrome, Fields, Refusal, action_guard, app_refusal, done, html_error, parse_date_field,
    respond, status_of, visible_compound, with_lang,
};
use crate::{AppState, WebError};
use anju_app::fund::{FundDepositInput, FundStepInput, FundStepKind, FundUseInput};
use anju_core::access::{Action, can};
use anju_core::ids::{CompoundId, FundUseId, VoteId};
use anju_core::vote::{Matter, VoteStatus};
use anju_core::{Fen, Lang};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compounds/{id}/fund", get(show))
        .route("/compounds/{id}/fund/deposit", post(deposit))
        .route("/compounds/{id}/fund/uses", post(apply))
        .route("/fund-uses/{id}/step", post(step))
}

fn status_label(s: &str, l: Lang) -> &'static str {
    match s {
        "applied" => l.pick("待业主表决", "awaiting the owners' vote"),
        "voted" => l.pick("业主表决通过，待住建审批", "carried, awaiting approval"),
        "approved" => l.pick("已审批，待拨付", "approved, awaiting payment"),
        "paid" => l.pick("已拨付", "paid"),
        "rejected" => l.pick("已驳回", "rejected"),
        _ => "",
    }
}

fn kind_label(s: &str, l: Lang) -> &'static str {
    match s {
        "deposit" => l.pick("缴存/归集", "deposit"),
        "raised" => l.pick("续筹", "raised"),
        "payout" => l.pick("拨付", "paid out"),
        _ => "",
    }
}

/// One use on the page with the form its reader may take next.
struct UseCard {
    id: i64,
    title: String,
    cost: String,
    quotes: String,
    status: String,
    path: String,
    version: i64,
    /// The form: "vote", "approve" (with reject), "pay", or "".
    next: &'static str,
    cost_yuan: String,
}

#[derive(Template)]
#[template(path = "fund.html")]
struct FundPage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    votes_link: String,
    balance: String,
    deposited: String,
    paid: String,
    /// (day, kind, amount, note)
    entries: Vec<(String, String, String, String)>,
    uses: Vec<UseCard>,
    /// Carried votes not used yet: (id, label) to raise the fund, and to use it.
    raise_votes: Vec<(i64, String)>,
    use_votes: Vec<(i64, String)>,
    may_deposit: bool,
    may_apply: bool,
    deposit_action: String,
    apply_action: String,
    step_base: String,
    f_amount: String,
    f_note: String,
    f_title: String,
    f_cost: String,
    f_quotes: String,
    date: String,
    today: String,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let c = visible_compound(state, viewer, id).await?;
    let a = state
        .app
        .fund_account(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let votes = state
        .app
        .votes(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let carried = |m: Matter| -> Vec<(i64, String)> {
        votes
            .iter()
            .filter(|v| {
                v.matter == m
                    && v.status == VoteStatus::Closed
                    && v.carried_option.is_some()
                    && v.applied_note.is_none()
            })
            .map(|v| {
                (
                    v.id,
                    format!("{} {}：{}", l.pick("表决", "vote"), v.id, v.question),
                )
            })
            .collect()
    };
    let runner = can(viewer.role, Action::RunVotes);
    let manager = can(viewer.role, Action::ManageFund);
    let uses = a
        .uses
        .iter()
        .map(|u| {
            let mut path = vec![format!("{} {}", l.pick("申请", "applied"), u.applied_on)];
            if let Some(v) = u.vote_id {
                path.push(format!(
                    "{} {v}",
                    l.pick("业主表决通过：表决", "carried by vote")
                ));
            }
            if let (Some(d), Some(by)) = (u.approved_on, &u.approved_by) {
                path.push(format!("{} {d}（{by}）", l.pick("住建审批", "approved")));
            }
            if let (Some(d), Some(p)) = (u.paid_on, u.paid) {
                path.push(format!(
                    "{} {d} {}",
                    l.pick("拨付", "paid"),
                    p.display_yuan()
                ));
            }
            if let Some(d) = u.rejected_on {
                path.push(format!(
                    "{} {d}：{}",
                    l.pick("驳回", "rejected"),
                    u.reason.clone().unwrap_or_default()
                ));
            }
            let next = match u.status.as_str() {
                "applied" if runner => "vote",
                "voted" if manager => "approve",
                "approved" if manager => "pay",
                _ => "",
            };
            UseCard {
                id: u.id,
                title: u.title.clone(),
                cost: u.cost.display_yuan(),
                quotes: u.quotes.clone().unwrap_or_default(),
                status: status_label(&u.status, l).to_string(),
                path: path.join(" → "),
                version: u.version,
                next,
                cost_yuan: u.cost.display_yuan().replace(" 元", ""),
            }
        })
        .collect();
    let today = state.app.today().to_string();
    let page = FundPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {}",
                c.compound.name,
                l.pick("专项维修资金", "Maintenance fund")
            ),
            &format!("/compounds/{id}/fund"),
        ),
        compound: c.compound.name.clone(),
        compound_link: with_lang(&format!("/compounds/{id}"), l),
        votes_link: with_lang(&format!("/compounds/{id}/votes"), l),
        balance: a.balance.display_yuan(),
        deposited: a.deposited.display_yuan(),
        paid: a.paid.display_yuan(),
        entries: a
            .entries
            .iter()
            .map(|e| {
                (
                    e.on.to_string(),
                    kind_label(&e.kind, l).to_string(),
                    e.amount.display_yuan(),
                    e.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
        uses,
        raise_votes: carried(Matter::RaiseFund),
        use_votes: carried(Matter::UseFund),
        may_deposit: manager,
        may_apply: runner,
        deposit_action: with_lang(&format!("/compounds/{id}/fund/deposit"), l),
        apply_action: with_lang(&format!("/compounds/{id}/fund/uses"), l),
        step_base: "/fund-uses/".into(),
        f_amount: f.get("amount"),
        f_note: f.get("note"),
        f_title: f.get("title"),
        f_cost: f.get("cost"),
        f_quotes: f.get("quotes"),
        date: Some(f.get("date"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        today,
        error: error.clone(),
    };
    Ok((status_of(&error), page.render()?))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let r = page(&state, &viewer, id, Fields::default(), None).await;
    respond(&state, &viewer, r)
}

/// Yuan as typed ("12,345.67") into fen; the field named when unreadable.
fn yuan(v: &str, zh: &str, en: &str, l: Lang) -> Result<Fen, Refusal> {
    Fen::parse_yuan(v.trim()).map_err(|_| {
        Refusal::Form(match l {
            Lang::Zh => format!("{zh}：金额格式不正确（如 12,345.67）"),
            Lang::En => format!("{en}: not an amount (e.g. 12,345.67)"),
        })
    })
}

async fn deposit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(&viewer, Action::ManageFund, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let amount = yuan(&f.get("amount"), "金额", "amount", l)?;
        let on = parse_date_field(state.app.today(), &f.get("date"), "缴存日期", "date", l)
            .map_err(Refusal::Form)?;
        state
            .app
            .deposit_fund(
                &viewer.principal(),
                FundDepositInput {
                    compound_id: id,
                    amount,
                    on,
                    note: Some(f.get("note")),
                    vote_id: f.id("vote_id").map(VoteId::from),
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
        result.map(|()| with_lang(&format!("/compounds/{id}/fund"), l)),
        async |m| page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(&viewer, Action::RunVotes, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let cost = yuan(&f.get("cost"), "预算金额", "cost", l)?;
        let applied_on = parse_date_field(state.app.today(), &f.get("date"), "申请日期", "date", l)
            .map_err(Refusal::Form)?;
        state
            .app
            .apply_fund_use(
                &viewer.principal(),
                FundUseInput {
                    compound_id: id,
                    title: f.get("title"),
                    cost,
                    quotes: Some(f.get("quotes")),
                    applied_on,
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
        result.map(|()| with_lang(&format!("/compounds/{id}/fund"), l)),
        async |m| page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

async fn step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<FundUseId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    let kind = match f.get("step").as_str() {
        "vote" => FundStepKind::Vote,
        "approve" => FundStepKind::Approve,
        "reject" => FundStepKind::Reject,
        _ => FundStepKind::Pay,
    };
    let action = if kind == FundStepKind::Vote {
        Action::RunVotes
    } else {
        Action::ManageFund
    };
    if let Err(e) = action_guard(&viewer, action, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let who = viewer.principal();
    let compound = match state.app.fund_use_compound(&who, id).await {
        Ok(c) => c,
        Err(e) => return html_error(&state, &viewer, WebError::app(e, l)),
    };
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let on = parse_date_field(state.app.today(), &f.get("date"), "办理日期", "date", l)
            .map_err(Refusal::Form)?;
        let amount = if kind == FundStepKind::Pay {
            Some(yuan(&f.get("amount"), "拨付金额", "amount", l)?)
        } else {
            None
        };
        state
            .app
            .fund_use_step(
                &who,
                id,
                FundStepInput {
                    step: kind,
                    vote_id: f.id("vote_id").map(VoteId::from),
                    on,
                    amount,
                    reason: Some(f.get("reason")),
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
        result.map(|()| with_lang(&format!("/compounds/{compound}/fund"), l)),
        async |m| page(&state, &viewer, compound, f, Some(m)).await,
    )
    .await
}
