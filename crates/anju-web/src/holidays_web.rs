//! 法定节假日 (`/complaints/holidays`): the holidays complaint deadlines skip (签收、答复 count
//! working days), listed for everyone who reads complaints and entered by those who record them
//! (`App::add_holidays`: a name, a first and a last day, at most 31 days at once).

use crate::auth::Viewer;
use crate::page::{Chrome, Refusal, app_refusal, html_error, with_lang};
use crate::{AppState, WebError};
use anju_core::Lang;
use anju_core::access::Action;
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/complaints/holidays", get(page).post(add))
}

#[derive(Debug, Default, Clone, Deserialize)]
struct HolidayForm {
    csrf: Option<String>,
    name: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "holidays.html")]
struct HolidaysPage {
    chrome: Chrome,
    l: Lang,
    back: String,
    action: String,
    may_add: bool,
    kept: HolidayForm,
    refused: Option<String>,
    /// (day, weekday, name)
    days: Vec<(String, String, String)>,
}

fn weekday(d: jiff::civil::Date, l: Lang) -> &'static str {
    use jiff::civil::Weekday as W;
    match d.weekday() {
        W::Monday => l.pick("星期一", "Mon"),
        W::Tuesday => l.pick("星期二", "Tue"),
        W::Wednesday => l.pick("星期三", "Wed"),
        W::Thursday => l.pick("星期四", "Thu"),
        W::Friday => l.pick("星期五", "Fri"),
        W::Saturday => l.pick("星期六", "Sat"),
        W::Sunday => l.pick("星期日", "Sun"),
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    kept: HolidayForm,
    refused: Option<String>,
) -> Response {
    let l = viewer.lang;
    let built = async {
        let days = state
            .app
            .holidays(&viewer.principal())
            .await
            .map_err(|e| WebError::app(e, l))?
            .into_iter()
            .map(|h| (h.day.to_string(), weekday(h.day, l).to_string(), h.name))
            .collect();
        let page = HolidaysPage {
            chrome: Chrome::new(
                state,
                viewer,
                l.pick("法定节假日", "Public holidays"),
                "/complaints/holidays",
            ),
            l,
            back: with_lang("/complaints", l),
            action: with_lang("/complaints/holidays", l),
            may_add: viewer.require(Action::Patrol).is_ok(),
            kept,
            refused: refused.clone(),
            days,
        };
        Ok::<String, WebError>(page.render()?)
    }
    .await;
    crate::page::form_answer(built, refused.is_some(), state, viewer)
}

async fn page(State(state): State<AppState>, viewer: Viewer) -> Response {
    render(&state, &viewer, HolidayForm::default(), None).await
}

async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<HolidayForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = crate::page::action_guard(&viewer, Action::Patrol, &headers, f.csrf.as_deref())
    {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        // Holidays are announced ahead: any day of the calendar, not only past ones.
        let date = |v: &Option<String>, zh: &str, en: &str| {
            let raw = v.as_deref().unwrap_or("").trim().to_string();
            jiff::civil::Date::strptime("%Y-%m-%d", &raw).map_err(|_| {
                Refusal::Form(match l {
                    Lang::Zh => format!("{zh}：“{raw}”不是日期（如 2027-10-01）"),
                    Lang::En => format!("{en}: '{raw}' is not a date (e.g. 2027-10-01)"),
                })
            })
        };
        let from = date(&f.from, "开始日期", "first day")?;
        let to = match f.to.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(_) => Some(date(&f.to, "结束日期", "last day")?),
            None => None,
        };
        state
            .app
            .add_holidays(
                &viewer.principal(),
                from,
                to,
                f.name.as_deref().unwrap_or(""),
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang("/complaints/holidays", l)).into_response(),
        Err(Refusal::Form(m)) => render(&state, &viewer, f, Some(m)).await,
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}
