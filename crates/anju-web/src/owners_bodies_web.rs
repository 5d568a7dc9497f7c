//! 业主组织 in the browser (issue 19 item 1): a compound's owners' bodies, the form that starts
//! one (筹备, with its preparatory group), and one body's page: its term and 换届 standing, its
//! members (contacts only for the street, community and district) and the next step its reader
//! may take — 选举 with the members elected, 备案, 届满 with the reason — and 增加成员. Every
//! rule is the application layer's (`anju_app::owners_bodies`). One column, for a phone.

use crate::auth::Viewer;
use crate::page::{
    Chrome, Fields, Refusal, action_guard, app_refusal, done, html_error, parse_date_field,
    respond, visible_compound, with_lang,
};
use crate::{AppState, WebError};
use anju_app::App;
use anju_app::model::NewBodyMember;
use anju_app::owners_bodies::{OwnersBodyInput, OwnersBodyStepInput};
use anju_core::access::{Action, Role, can};
use anju_core::ids::{CompoundId, OwnersBodyId};
use anju_core::owners_body::{BodyRole, BodyStatus, BodyStep, DEFAULT_TERM_YEARS};
use anju_core::{Lang, OwnersBody};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compounds/{id}/owners-bodies", get(list).post(start))
        .route("/owners-bodies/{id}", get(show))
        .route("/owners-bodies/{id}/step", post(step))
        .route("/owners-bodies/{id}/members", post(members))
}

/// How many member rows the election and 增加成员 forms offer.
const MEMBER_ROWS: usize = 7;

/// The member rows of a form (a row without a name is skipped), joining on `on`.
fn member_rows(f: &Fields, on: jiff::civil::Date, l: Lang) -> Result<Vec<NewBodyMember>, Refusal> {
    let names = f.all("m_name");
    let roles = f.all("m_role");
    let party = f.all("m_party");
    let contacts = f.all("m_contact");
    let duties = f.all("m_duties");
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            continue;
        }
        let role = roles
            .get(i)
            .and_then(|r| BodyRole::from_code(r))
            .ok_or_else(|| {
                Refusal::Form(match l {
                    Lang::Zh => format!("成员第 {} 行：请选择角色", i + 1),
                    Lang::En => format!("member row {}: choose a role", i + 1),
                })
            })?;
        out.push(App::body_member(
            name,
            role,
            party.get(i).is_some_and(|p| p == "1"),
            contacts.get(i).map_or("", String::as_str),
            duties.get(i).map_or("", String::as_str),
            on,
        ));
    }
    Ok(out)
}

/// A member row of a form: (n, name, role options, party, contact, duties).
struct Row {
    n: usize,
    name: String,
    roles: Vec<(String, String, bool)>,
    party: bool,
    contact: String,
    duties: String,
}

fn rows(f: &Fields, elected: bool, l: Lang) -> Vec<Row> {
    let names = f.all("m_name");
    let roles = f.all("m_role");
    let party = f.all("m_party");
    let contacts = f.all("m_contact");
    let duties = f.all("m_duties");
    (0..MEMBER_ROWS.max(names.len()))
        .map(|i| {
            let chosen = roles.get(i).cloned().unwrap_or_else(|| {
                if elected && i == 0 {
                    "chair".into()
                } else {
                    "member".into()
                }
            });
            Row {
                n: i + 1,
                name: names.get(i).cloned().unwrap_or_default(),
                roles: BodyRole::ALL
                    .iter()
                    .filter(|r| **r != BodyRole::Preparer)
                    .map(|r| {
                        (
                            r.code().to_string(),
                            r.label(l).to_string(),
                            r.code() == chosen,
                        )
                    })
                    .collect(),
                party: party.get(i).is_some_and(|p| p == "1"),
                contact: contacts.get(i).cloned().unwrap_or_default(),
                duties: duties.get(i).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A compound's bodies

#[derive(Template)]
#[template(path = "owners_bodies.html")]
struct ListPage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    /// (link, kind, status, term, members)
    bodies: Vec<(String, String, String, String, String)>,
    may_start: bool,
    action: String,
    kinds: Vec<(String, String, bool)>,
    prepared_on: String,
    term_years: String,
    preparers: String,
    note: String,
    today: String,
    error: Option<String>,
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
    let bodies = state
        .app
        .owners_bodies(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?
        .into_iter()
        .map(|b| {
            (
                with_lang(&format!("/owners-bodies/{}", b.id), l),
                l.pick(b.kind.zh(), b.kind.en()).to_string(),
                b.status.label(l).to_string(),
                match (b.elected_on, b.term_last_day) {
                    (Some(e), Some(t)) => format!("{e} – {t}"),
                    _ => format!("{} {}", l.pick("筹备于", "preparing since"), b.prepared_on),
                },
                format!(
                    "{} {}（{} {}）",
                    b.members,
                    l.pick("人", "members"),
                    l.pick("党员", "party"),
                    b.party_members
                ),
            )
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
                l.pick("业主组织", "Owners' bodies")
            ),
            &format!("/compounds/{id}/owners-bodies"),
        ),
        compound: c.compound.name.clone(),
        compound_link: with_lang(&format!("/compounds/{id}"), l),
        bodies,
        may_start: can(viewer.role, Action::AdvanceLifecycle),
        action: with_lang(&format!("/compounds/{id}/owners-bodies"), l),
        kinds: App::owners_body_kinds()
            .into_iter()
            .map(|k: OwnersBody| {
                (
                    k.code().to_string(),
                    l.pick(k.zh(), k.en()).to_string(),
                    k.code() == chosen,
                )
            })
            .collect(),
        prepared_on: Some(f.get("prepared_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        term_years: Some(f.get("term_years"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| DEFAULT_TERM_YEARS.to_string()),
        preparers: f.get("preparers"),
        note: f.get("note"),
        today,
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let r = list_page(&state, &viewer, id, Fields::default(), None).await;
    respond(&state, &viewer, r)
}

async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::AdvanceLifecycle,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<i64, Refusal> = async {
        let kind = OwnersBody::from_code(&f.get("kind")).unwrap_or_default();
        let prepared_on = parse_date_field(
            state.app.today(),
            &f.get("prepared_on"),
            "筹备组成立日期",
            "prepared on",
            l,
        )
        .map_err(Refusal::Form)?;
        let years = f.get("term_years");
        let term_years = if years.trim().is_empty() {
            None
        } else {
            Some(years.trim().parse::<u32>().map_err(|_| {
                Refusal::Form(
                    l.pick(
                        "任期（年）：请填 1 到 5 的整数",
                        "term: a whole number from 1 to 5",
                    )
                    .to_string(),
                )
            })?)
        };
        let b = state
            .app
            .start_owners_body(
                &viewer.principal(),
                OwnersBodyInput {
                    compound_id: id,
                    kind,
                    prepared_on,
                    term_years,
                    note: Some(f.get("note")),
                    preparers: f
                        .get("preparers")
                        .split(['、', ',', '，', '\n', ' '])
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string)
                        .collect(),
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(b.id)
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|b| with_lang(&format!("/owners-bodies/{b}"), l)),
        async |m| list_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// One body

#[derive(Template)]
#[template(path = "owners_body.html")]
struct ShowPage {
    chrome: Chrome,
    compound: String,
    list_link: String,
    facts: Vec<(&'static str, String)>,
    renewal: Option<(bool, String)>,
    /// (role, name, party, contact, duties, term)
    members: Vec<(String, String, bool, String, String, String, bool)>,
    show_contacts: bool,
    step_action: String,
    members_action: String,
    version: i64,
    elect: bool,
    file: bool,
    end: bool,
    may_add: bool,
    rows: Vec<Row>,
    kept_step: String,
    /// The body's election votes: (id, label, carried, selected).
    votes: Vec<(i64, String, bool, bool)>,
    votes_link: String,
    note: String,
    date: String,
    today: String,
    error: Option<String>,
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    id: OwnersBodyId,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let d = state
        .app
        .owners_body_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let b = &d.body;
    let dash =
        |x: Option<jiff::civil::Date>| x.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
    let facts = vec![
        (
            l.pick("组织类型", "Kind"),
            l.pick(b.kind.zh(), b.kind.en()).to_string(),
        ),
        (l.pick("状态", "Status"), b.status.label(l).to_string()),
        (l.pick("筹备组成立", "Prepared"), b.prepared_on.to_string()),
        (l.pick("选举", "Elected"), dash(b.elected_on)),
        (l.pick("备案", "Filed"), dash(b.filed_on)),
        (
            l.pick("任期", "Term"),
            format!(
                "{} {}{}",
                b.term_years,
                l.pick("年", "years"),
                b.term_last_day
                    .map(|t| format!("，{} {t}", l.pick("届满日", "last day")))
                    .unwrap_or_default()
            ),
        ),
        (
            l.pick("现有成员", "Members"),
            format!(
                "{}（{} {}）",
                b.members,
                l.pick("党员", "party members"),
                b.party_members
            ),
        ),
        (
            l.pick("届满", "Ended"),
            match (b.ended_on, &b.end_reason) {
                (Some(e), Some(r)) => format!("{e}（{r}）"),
                _ => "—".into(),
            },
        ),
    ];
    let renewal = d.renewal_days.map(|n| {
        if n >= 0 {
            (false, match l {
                Lang::Zh => format!("任期还剩 {n} 天届满，请组织换届选举（新建下一届业主组织，备案后本届自动届满）。"),
                Lang::En => format!("{n} days left in the term: organise the next election (start the next body; its filing ends this one)."),
            })
        } else {
            (true, match l {
                Lang::Zh => format!("任期已届满 {} 天，尚未换届。", -n),
                Lang::En => format!("the term ended {} days ago and no successor is filed.", -n),
            })
        }
    });
    let show_contacts = can(viewer.role, Action::AdvanceLifecycle);
    let members = d
        .members
        .iter()
        .map(|m| {
            (
                m.role.label(l).to_string(),
                m.name.clone(),
                m.party_member,
                m.contact.clone().unwrap_or_default(),
                m.duties.clone().unwrap_or_default(),
                format!(
                    "{}{}",
                    m.joined_on,
                    m.left_on.map(|x| format!(" – {x}")).unwrap_or_default()
                ),
                m.left_on.is_some(),
            )
        })
        .collect();
    let writer = viewer.role != Role::Auditor;
    let today = state.app.today().to_string();
    let kept_vote = f.id("vote_id");
    let votes = state
        .app
        .votes(&viewer.principal(), CompoundId::from(b.compound_id))
        .await
        .map_err(|e| WebError::app(e, l))?
        .into_iter()
        .filter(|v| v.owners_body_id == Some(b.id))
        .map(|v| {
            let carried = v.carried_option.is_some();
            (
                v.id,
                format!(
                    "{} {} · {}",
                    l.pick("表决", "vote"),
                    v.id,
                    match (v.status, carried) {
                        (anju_core::vote::VoteStatus::Open, _) => l.pick("表决中", "open"),
                        (_, true) => l.pick("已通过", "carried"),
                        (_, false) => l.pick("未通过", "not carried"),
                    }
                ),
                carried,
                kept_vote.map_or(carried, |k| k == v.id),
            )
        })
        .collect();
    let page = ShowPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {}", b.compound, l.pick(b.kind.zh(), b.kind.en())),
            &format!("/owners-bodies/{id}"),
        ),
        compound: b.compound.clone(),
        list_link: with_lang(&format!("/compounds/{}/owners-bodies", b.compound_id), l),
        facts,
        renewal: renewal.filter(|_| b.status == BodyStatus::InOffice),
        members,
        show_contacts,
        step_action: with_lang(&format!("/owners-bodies/{id}/step"), l),
        members_action: with_lang(&format!("/owners-bodies/{id}/members"), l),
        version: b.version,
        elect: writer && d.may.contains(&BodyStep::Elect),
        file: writer && d.may.contains(&BodyStep::File),
        end: writer && d.may.contains(&BodyStep::End),
        may_add: writer && d.may_add_members,
        rows: rows(&f, d.may.contains(&BodyStep::Elect), l),
        kept_step: f.get("step"),
        votes,
        votes_link: with_lang(
            &format!("/compounds/{}/votes?body={}", b.compound_id, b.id),
            l,
        ),
        note: f.get("note"),
        date: Some(f.get("date"))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| today.clone()),
        today,
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OwnersBodyId>,
) -> Response {
    let r = show_page(&state, &viewer, id, Fields::default(), None).await;
    respond(&state, &viewer, r)
}

async fn step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OwnersBodyId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::AdvanceLifecycle,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let step = BodyStep::from_code(&f.get("step"))
            .ok_or_else(|| Refusal::Form(l.pick("步骤：未知", "step: unknown").to_string()))?;
        let on = parse_date_field(state.app.today(), &f.get("date"), "办理日期", "date", l)
            .map_err(Refusal::Form)?;
        let members = if step == BodyStep::Elect {
            member_rows(&f, on, l)?
        } else {
            Vec::new()
        };
        state
            .app
            .owners_body_step(
                &viewer.principal(),
                id,
                OwnersBodyStepInput {
                    step,
                    on,
                    note: Some(f.get("note")),
                    members,
                    vote_id: f.id("vote_id").map(anju_core::ids::VoteId::from),
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
        result.map(|_| with_lang(&format!("/owners-bodies/{id}"), l)),
        async |m| show_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

async fn members(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<OwnersBodyId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::AdvanceLifecycle,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let on = parse_date_field(
            state.app.today(),
            &f.get("date"),
            "加入日期",
            "joined on",
            l,
        )
        .map_err(Refusal::Form)?;
        let m = member_rows(&f, on, l)?;
        state
            .app
            .add_owners_body_members(&viewer.principal(), id, version, on, m)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|_| with_lang(&format!("/owners-bodies/{id}"), l)),
        async |m| show_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}
