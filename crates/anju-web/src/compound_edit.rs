//! 修改台账信息 and 新增小区: one compound's ledger row as a form, in the ledger's own words
//! (each input is named by its column header), checked by the ledger's rules
//! (`anju_sheets::compound_from_form`, the same as a row of an imported file) and written by
//! `App::update_compound` (dated: a change of mode takes effect on the day given) or
//! `App::add_compound`. A refused form comes back with every problem and what was typed.

use crate::page::{Chrome, Refusal, app_refusal, html_error, visible_compound, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_core::access::Action;
use anju_core::ids::CompoundId;
use anju_core::{Compound, InfraKind, Lang, ManagementMode, OwnersBody};
use anju_sheets::{Field, ReadOptions, compound_form_text, compound_from_form};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compounds/{id}/edit", get(edit_page).post(edit_submit))
        .route("/compounds/new", get(new_page).post(new_submit))
}

/// How an input takes its value.
enum Input {
    Text,
    Number,
    /// One of these (value, words).
    Choice(Vec<(String, String)>),
}

struct FieldRow {
    /// The column header: the input's name and its label.
    name: &'static str,
    label: String,
    value: String,
    input: Input,
    required: bool,
    /// A choice whose value is none of its options (a new compound's mode): "please choose".
    unchosen: bool,
}

struct Group {
    title: String,
    rows: Vec<FieldRow>,
}

#[derive(Template)]
#[template(path = "compound_edit.html")]
struct EditPage {
    chrome: Chrome,
    l: Lang,
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
    effective_on: Option<String>,
    groups: Vec<Group>,
    companies: Vec<String>,
    problems: Vec<String>,
}

/// The groups of the form, in the ledger's columns.
fn groups(l: Lang, text: &(dyn Fn(Field) -> String + Sync)) -> Vec<Group> {
    let row = |f: Field, input: Input| {
        let spec = f.spec();
        let value = text(f);
        let unchosen = match &input {
            Input::Choice(options) => !options.iter().any(|(v, _)| *v == value),
            _ => false,
        };
        FieldRow {
            name: spec.header,
            label: match l {
                Lang::Zh => spec.header.to_string(),
                Lang::En => format!("{} ({})", spec.en, spec.header),
            },
            value,
            input,
            required: spec.required,
            unchosen,
        }
    };
    let yes_no = || {
        Input::Choice(vec![
            ("否".into(), l.pick("否", "no").into()),
            ("是".into(), l.pick("是", "yes").into()),
        ])
    };
    let modes = Input::Choice(
        ManagementMode::ALL
            .iter()
            .map(|m| (m.zh().to_string(), m.label(l).to_string()))
            .collect(),
    );
    let bodies = Input::Choice(
        OwnersBody::ALL
            .iter()
            .map(|b| (b.zh().to_string(), l.pick(b.zh(), b.en()).to_string()))
            .collect(),
    );
    let categories = Input::Choice(vec![
        (String::new(), l.pick("未分类", "not classified").into()),
        (
            "1".into(),
            l.pick(
                "一类：已有物业服务、设施经改造较好",
                "1: served, facilities improved",
            )
            .into(),
        ),
        (
            "2".into(),
            l.pick(
                "二类：设施一般、管理难度较大",
                "2: average facilities, harder to manage",
            )
            .into(),
        ),
        (
            "3".into(),
            l.pick(
                "三类：设施较差或规模较小、管理难度大",
                "3: poor facilities or small, hard to manage",
            )
            .into(),
        ),
    ]);
    vec![
        Group {
            title: l.pick("基本信息", "The compound").into(),
            rows: vec![
                row(Field::Name, Input::Text),
                row(Field::District, Input::Text),
                row(Field::Street, Input::Text),
                row(Field::Community, Input::Text),
                row(Field::Address, Input::Text),
                row(Field::BuiltYear, Input::Number),
                row(Field::Category, categories),
                row(Field::Renovation, yes_no()),
                row(Field::ManagementArea, Input::Text),
            ],
        },
        Group {
            title: l.pick("面积与户数", "Size").into(),
            rows: vec![
                row(Field::Area, Input::Number),
                row(Field::AreaMulti, Input::Number),
                row(Field::AreaHigh, Input::Number),
                row(Field::Buildings, Input::Number),
                row(Field::Households, Input::Number),
            ],
        },
        Group {
            title: l.pick("物业管理", "Management").into(),
            rows: vec![
                row(Field::Mode, modes),
                row(Field::Company, Input::Text),
                row(Field::CreditCode, Input::Text),
                row(Field::OwnersBody, bodies),
                row(Field::PartyBranch, yes_no()),
            ],
        },
        Group {
            title: l.pick("基础设施现有数量", "Facilities in place").into(),
            rows: InfraKind::ALL
                .iter()
                .map(|k| row(Field::Infra(*k), Input::Number))
                .collect(),
        },
        Group {
            title: l.pick("基础设施需新增数量", "Facilities needed").into(),
            rows: InfraKind::ALL
                .iter()
                .map(|k| row(Field::Need(*k), Input::Number))
                .collect(),
        },
        Group {
            title: l.pick("位置与备注", "Location and remarks").into(),
            rows: vec![
                row(Field::Longitude, Input::Number),
                row(Field::Latitude, Input::Number),
                row(Field::Remarks, Input::Text),
            ],
        },
    ]
}

/// Why a form was not saved: its problems (the form again), or an error page.
enum Failed {
    Form(Vec<String>),
    Fail(WebError),
}

fn app_failed(e: anju_app::AppError, l: Lang) -> Failed {
    match app_refusal(e, l) {
        Refusal::Form(m) => Failed::Form(vec![m]),
        Refusal::Fail(e) => Failed::Fail(e),
    }
}

/// What a form sent, by column header.
type Sent = HashMap<String, String>;

fn sent_text(sent: &Sent) -> impl Fn(Field) -> String + Sync + '_ {
    move |f: Field| sent.get(f.spec().header).cloned().unwrap_or_default()
}

async fn companies(state: &AppState) -> Vec<String> {
    state
        .app
        .selectable_companies()
        .await
        .map(|cs| cs.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    viewer: &Viewer,
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
    effective_on: Option<String>,
    text: &(dyn Fn(Field) -> String + Sync),
    problems: Vec<String>,
) -> Response {
    let l = viewer.lang;
    let page = EditPage {
        chrome: Chrome::new(state, viewer, &heading, &action),
        l,
        heading,
        action: with_lang(&action, l),
        back,
        version,
        effective_on,
        groups: groups(l, text),
        companies: companies(state).await,
        problems,
    };
    let refused = !page.problems.is_empty();
    crate::page::form_answer(
        page.render().map_err(WebError::from),
        refused,
        state,
        viewer,
    )
}

async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let l = viewer.lang;
    let c = match async {
        viewer.require(Action::EditCompounds)?;
        visible_compound(&state, &viewer, id).await
    }
    .await
    {
        Ok(c) => c,
        Err(e) => return html_error(&state, &viewer, e),
    };
    let compound = c.compound.clone();
    render(
        &state,
        &viewer,
        format!(
            "{}{}",
            l.pick("修改台账信息：", "Edit the ledger row: "),
            compound.name
        ),
        format!("/compounds/{id}/edit"),
        with_lang(&format!("/compounds/{id}"), l),
        Some(c.version),
        Some(state.app.today().to_string()),
        &|f| compound_form_text(&compound, f),
        Vec::new(),
    )
    .await
}

fn problems_of(ps: Vec<anju_sheets::Problem>, l: Lang) -> Vec<String> {
    ps.into_iter()
        .map(|p| {
            let mut s = p.column.unwrap_or_default();
            s.push_str(l.pick("：", ": "));
            if !p.value.is_empty() {
                s.push_str(&format!("“{}” ", p.value));
            }
            s.push_str(l.pick(&p.reason_zh, &p.reason_en));
            s
        })
        .collect()
}

fn parse(sent: &Sent, state: &AppState, l: Lang) -> Result<Compound, Vec<String>> {
    let opts = ReadOptions {
        current_year: i32::from(state.app.today().year()),
        lang: l,
    };
    compound_from_form(sent_text(sent), &opts).map_err(|ps| problems_of(ps, l))
}

async fn edit_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(sent): Form<Sent>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = crate::page::form_guard(
        &state,
        &viewer,
        id,
        Action::EditCompounds,
        &headers,
        sent.get("csrf").map(String::as_str),
    )
    .await
    {
        return r;
    }
    let effective = sent.get("effective_on").cloned().unwrap_or_default();
    let result: Result<(), Failed> = async {
        let version = anju_app::check::version(sent.get("version").map(String::as_str))
            .map_err(|e| Failed::Form(vec![e.message(l)]))?;
        let on = crate::page::parse_date_field(
            state.app.today(),
            &effective,
            "生效日期",
            "effective date",
            l,
        )
        .map_err(|m| Failed::Form(vec![m]))?;
        let compound = parse(&sent, &state, l).map_err(Failed::Form)?;
        state
            .app
            .update_compound(&viewer.principal(), id, version, compound, on)
            .await
            .map_err(|e| app_failed(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/compounds/{id}"), l)).into_response(),
        Err(Failed::Fail(e)) => html_error(&state, &viewer, e),
        Err(Failed::Form(problems)) => {
            let name = sent
                .get(Field::Name.spec().header)
                .cloned()
                .unwrap_or_default();
            render(
                &state,
                &viewer,
                format!(
                    "{}{}",
                    l.pick("修改台账信息：", "Edit the ledger row: "),
                    name
                ),
                format!("/compounds/{id}/edit"),
                with_lang(&format!("/compounds/{id}"), l),
                sent.get("version").and_then(|v| v.parse().ok()),
                Some(effective),
                &sent_text(&sent),
                problems,
            )
            .await
        }
    }
}

async fn new_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer.require(Action::EditCompounds) {
        return html_error(&state, &viewer, e);
    }
    // A street's account starts from its own street.
    let mut start: Sent = HashMap::new();
    if viewer.region_level == Some(anju_core::RegionLevel::Street)
        && let Some(street) = viewer.region_name.clone()
    {
        start.insert(Field::Street.spec().header.into(), street);
    }
    render(
        &state,
        &viewer,
        l.pick("新增小区", "Add a compound").into(),
        "/compounds/new".into(),
        with_lang("/ledger", l),
        None,
        None,
        &sent_text(&start),
        Vec::new(),
    )
    .await
}

async fn new_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(sent): Form<Sent>,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = crate::page::action_guard(
        &viewer,
        Action::EditCompounds,
        &headers,
        sent.get("csrf").map(String::as_str),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<i64, Failed> = async {
        let compound = parse(&sent, &state, l).map_err(Failed::Form)?;
        let c = state
            .app
            .add_compound(&viewer.principal(), compound)
            .await
            .map_err(|e| app_failed(e, l))?;
        Ok(c.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&with_lang(&format!("/compounds/{id}"), l)).into_response(),
        Err(Failed::Fail(e)) => html_error(&state, &viewer, e),
        Err(Failed::Form(problems)) => {
            render(
                &state,
                &viewer,
                l.pick("新增小区", "Add a compound").into(),
                "/compounds/new".into(),
                with_lang("/ledger", l),
                None,
                None,
                &sent_text(&sent),
                problems,
            )
            .await
        }
    }
}
