//! 第三方测评经费 (`/funding/evaluator-fees`): what the city paid the evaluators it commissions
//! (seed 001 三（四）"第三方评价机构活动经费由市级财政负担"), by evaluator and period, with the total;
//! finance records a payment (`App::record_evaluator_fee`). Read by those who keep or audit the
//! budget.

use crate::page::{Chrome, Refusal, app_refusal, html_error, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_core::access::Action;
use anju_core::{Fen, Lang};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/funding/evaluator-fees", get(fees_page).post(fees_submit))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct FeeForm {
    csrf: Option<String>,
    evaluator: Option<String>,
    period: Option<String>,
    amount: Option<String>,
    paid_on: Option<String>,
    note: Option<String>,
}

struct Row {
    paid_on: String,
    evaluator: String,
    period: String,
    amount: String,
    payer: String,
    compounds: u32,
    note: String,
}

#[derive(Template)]
#[template(path = "evaluator_fees.html")]
struct FeesPage {
    chrome: Chrome,
    l: Lang,
    back: String,
    action: String,
    may_record: bool,
    evaluators: Vec<String>,
    kept: FeeForm,
    refused: Option<String>,
    rows: Vec<Row>,
    total: String,
    today: String,
}

async fn fees_html(
    state: &AppState,
    viewer: &Viewer,
    kept: FeeForm,
    refused: Option<String>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let (fees, evaluators) = state
        .app
        .evaluator_fees(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?;
    let total: Fen = fees.iter().map(|f| f.amount).sum();
    let rows = fees
        .iter()
        .map(|f| Row {
            paid_on: f.paid_on.to_string(),
            evaluator: f.evaluator.clone(),
            period: f.period.clone(),
            amount: f.amount.display_yuan(),
            payer: f.payer.clone(),
            compounds: f.compounds,
            note: f.note.clone().unwrap_or_default(),
        })
        .collect();
    let page = FeesPage {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("第三方测评经费", "Evaluators' fees"),
            "/funding/evaluator-fees",
        ),
        l,
        back: with_lang("/funding", l),
        action: with_lang("/funding/evaluator-fees", l),
        may_record: anju_core::access::can(viewer.role, Action::Disburse),
        evaluators,
        kept,
        refused,
        rows,
        total: total.display_yuan(),
        today: state.app.today().to_string(),
    };
    Ok(page.render()?)
}

async fn fees_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let html = fees_html(&state, &viewer, FeeForm::default(), None).await;
    crate::page::form_answer(html, false, &state, &viewer)
}

async fn fees_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<FeeForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) =
        crate::page::action_guard(&viewer, Action::Disburse, &headers, f.csrf.as_deref())
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let raw = f.amount.as_deref().unwrap_or("").trim();
        let amount = Fen::parse_yuan(raw).map_err(|_| {
            Refusal::Form(match l {
                Lang::Zh => format!("金额：“{raw}”不是金额（如 12,345.67）"),
                Lang::En => format!("amount: '{raw}' is not an amount (e.g. 12,345.67)"),
            })
        })?;
        let paid_on = crate::page::parse_date_field(
            state.app.today(),
            f.paid_on.as_deref().unwrap_or(""),
            "拨付日期",
            "paid on",
            l,
        )
        .map_err(Refusal::Form)?;
        state
            .app
            .record_evaluator_fee(
                &viewer.principal(),
                anju_app::model::NewEvaluatorFee {
                    evaluator: f.evaluator.clone().unwrap_or_default(),
                    period: f.period.clone().unwrap_or_default(),
                    amount,
                    paid_on,
                    payer: String::new(),
                    note: f.note.clone(),
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    let to = with_lang("/funding/evaluator-fees", l);
    crate::page::form_done(&state, &viewer, result, &to, async |m| {
        fees_html(&state, &viewer, f, Some(m)).await
    })
    .await
}
