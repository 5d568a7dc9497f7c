//! 导入物业费收缴表 (`/fees/import`): a company (or whoever enters fees) uploads its fee sheet,
//! many compounds and months at once, as .xlsx, .xls or .csv; all or nothing, every problem
//! listed by row (and downloadable as CSV), compounds only of the uploader's area. The page,
//! upload and problem list are the ledger import's ([`crate::ledger::ImportKind`]); the use case
//! is `App::import_fee_sheet`, the one `anju fees import` runs.

use crate::ledger::{
    ImportKind, LEDGER_UPLOAD_MAX_BYTES, blank_import_page, import_page, receive_upload,
};
use crate::{AppState, Viewer};
use anju_core::Lang;
use anju_sheets::{LedgerError, Problem};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/fees/import",
        get(form)
            .post(upload)
            .layer(DefaultBodyLimit::max(LEDGER_UPLOAD_MAX_BYTES + 64 * 1024)),
    )
}

async fn form(State(state): State<AppState>, viewer: Viewer) -> Response {
    blank_import_page(&state, &viewer, ImportKind::Fees)
}

async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let (name, bytes, kind) =
        match receive_upload(&state, &viewer, &headers, mp, ImportKind::Fees).await {
            Ok(x) => x,
            Err(page) => return page,
        };
    let page = |status, message: Option<String>, problems: &[Problem], done| {
        import_page(
            &state,
            &viewer,
            ImportKind::Fees,
            status,
            message,
            problems,
            done,
        )
    };
    let read =
        tokio::task::spawn_blocking(move || anju_sheets::read_fee_sheet_bytes(&bytes, kind)).await;
    let rows = match read {
        Ok(Ok(rows)) => rows,
        Ok(Err(LedgerError::Problems(ps))) => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(LedgerError::Problems(ps.clone()).render(l)),
                &ps,
                None,
            );
        }
        Ok(Err(e)) => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(e.render(l)),
                &[],
                None,
            );
        }
        Err(_) => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(
                    l.pick("收缴表：文件结构已损坏", "fee sheet: the file is damaged")
                        .to_string(),
                ),
                &[],
                None,
            );
        }
    };
    match state.app.import_fee_sheet(&viewer.principal(), &rows).await {
        Ok(Ok(done)) => {
            let text = anju_app::money::fee_sheet_done_text(&done, rows.len(), l);
            let done = match l {
                Lang::Zh => format!("“{name}”{text}。"),
                Lang::En => format!("'{name}': {text}."),
            };
            page(StatusCode::OK, None, &[], Some(done))
        }
        // Every row that does not match a compound of the area, or breaks a rule; nothing written.
        Ok(Err(problems)) => {
            let ps: Vec<Problem> = problems
                .into_iter()
                .map(|(row, zh, en)| Problem {
                    row,
                    column: None,
                    value: String::new(),
                    reason_zh: zh,
                    reason_en: en,
                })
                .collect();
            let message = match l {
                Lang::Zh => format!("收缴表有 {} 处问题，未导入任何数据", ps.len()),
                Lang::En => format!("{} problems; nothing was imported", ps.len()),
            };
            page(StatusCode::UNPROCESSABLE_ENTITY, Some(message), &ps, None)
        }
        Err(e @ anju_app::AppError::Invalid(_)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(e.message(l)),
            &[],
            None,
        ),
        Err(e) => crate::page::html_error(&state, &viewer, crate::WebError::app(e, l)),
    }
}
