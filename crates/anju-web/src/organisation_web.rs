//! The programme's own organisation in the browser (issue 18 item 3): `/organisation` lists the
//! 交办事项 of the reader's unit and those it handed out (the overdue first), the latest meetings,
//! the bodies (领导小组, 专班, 联席会议) and the 通报 and 约谈; forms set a body up from a roster
//! pasted as the document prints it, record a meeting with its decisions (each to a street,
//! community, department or company, with a deadline), record a 通报 or 约谈 with its 整改要求, and
//! take an assignment's next step (报结 by the unit; 销号 or 退回 by the issuing side). Every rule is
//! the application layer's (`anju_app::organisation`); this module parses forms and renders.
//! One column, for a phone.

use crate::auth::Viewer;
use crate::page::{
    Chrome, Fields, Refusal, action_guard, app_refusal, done, html_error, parse_date_field,
    respond, with_lang,
};
use crate::{AppState, WebError};
use anju_app::model::{Assignment, NewDecision, Unit};
use anju_app::organisation::{AssignmentStepInput, CensureInput, GroupInput, MeetingInput};
use anju_core::Lang;
use anju_core::access::{Action, Role, can};
use anju_core::ids::{AssignmentId, CensureId, GroupId, MeetingId};
use anju_core::organisation::{
    AssignmentStatus, AssignmentStep, CensureKind, GroupKind, MeetingKind, UnitKind,
};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisation", get(overview))
        .route(
            "/organisation/groups/new",
            get(group_form).post(group_create),
        )
        .route("/organisation/groups/{id}", get(group_show))
        .route("/organisation/groups/{id}/members", post(group_members))
        .route("/organisation/groups/{id}/leave", post(group_leave))
        .route(
            "/organisation/meetings/new",
            get(meeting_form).post(meeting_create),
        )
        .route("/organisation/meetings/{id}", get(meeting_show))
        .route(
            "/organisation/meetings/{id}/decisions",
            post(meeting_decide),
        )
        .route(
            "/organisation/censures/new",
            get(censure_form).post(censure_create),
        )
        .route("/organisation/censures/{id}", get(censure_show))
        .route("/organisation/assignments/{id}", get(assignment_show))
        .route("/organisation/assignments/{id}/step", post(assignment_step))
}

/// How many blank decision rows the meeting form offers.
const DECISION_ROWS: usize = 5;

fn render<T: Template>(page: &T, error: bool) -> Result<(StatusCode, String), WebError> {
    let status = if error {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

fn form_error(l: Lang, zh: &str, en: &str) -> Refusal {
    Refusal::Form(l.pick(zh, en).to_string())
}

/// "region:12" and back.
fn unit_value(u: Unit) -> String {
    format!("{}:{}", u.kind.code(), u.id)
}

fn parse_unit(v: &str) -> Option<Unit> {
    let (k, id) = v.split_once(':')?;
    Some(Unit {
        kind: UnitKind::from_code(k)?,
        id: id.trim().parse().ok()?,
    })
}

fn date_in(
    state: &AppState,
    v: &str,
    zh: &str,
    en: &str,
    l: Lang,
) -> Result<jiff::civil::Date, Refusal> {
    parse_date_field(state.app.today(), v, zh, en, l).map_err(Refusal::Form)
}

/// A select's options: (value, label, selected).
type Options = Vec<(String, String, bool)>;

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    chosen: &str,
    l: Lang,
) -> Options {
    all.iter()
        .map(|x| {
            (
                code(*x).to_string(),
                label(*x, l).to_string(),
                code(*x) == chosen,
            )
        })
        .collect()
}

/// The regions the viewer may write for, as options, `chosen` selected (or the first).
async fn region_options(
    state: &AppState,
    viewer: &Viewer,
    chosen: Option<i64>,
) -> Result<(Options, i64), WebError> {
    let l = viewer.lang;
    let regions = state
        .app
        .org_regions(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?;
    let pick = chosen
        .filter(|c| regions.iter().any(|r| r.id == *c))
        .or(regions.first().map(|r| r.id))
        .unwrap_or(0);
    Ok((
        regions
            .iter()
            .map(|r| (r.id.to_string(), r.name.clone(), r.id == pick))
            .collect(),
        pick,
    ))
}

async fn unit_options(
    state: &AppState,
    viewer: &Viewer,
    region: i64,
    chosen: &str,
) -> Result<Options, WebError> {
    let l = viewer.lang;
    if region == 0 {
        return Ok(Vec::new());
    }
    Ok(state
        .app
        .unit_choices(&viewer.principal(), region)
        .await
        .map_err(|e| WebError::app(e, l))?
        .into_iter()
        .map(|c| {
            let v = unit_value(c.unit);
            let label = unit_text(&c.name, c.unit.kind, l);
            let sel = v == chosen;
            (v, label, sel)
        })
        .collect())
}

/// A unit as people name it: a street or community by its name, a department or a company
/// with what it is.
fn unit_text(name: &str, kind: UnitKind, l: Lang) -> String {
    match kind {
        UnitKind::Region => name.to_string(),
        _ => format!("{name}（{}）", kind.label(l)),
    }
}

fn assignment_due(a: &Assignment, today: jiff::civil::Date, l: Lang) -> String {
    match a.status {
        AssignmentStatus::Open | AssignmentStatus::Returned => {
            format!("{} {}", l.pick("完成时限", "due"), a.deadline)
        }
        AssignmentStatus::Reported => l.pick("待销号", "to close").to_string(),
        AssignmentStatus::Closed => a
            .closed_on
            .map(|d| format!("{} {d}", l.pick("销号于", "closed on")))
            .unwrap_or_default(),
    }
    .to_string()
        + if a.overdue(today) {
            l.pick("（已逾期）", " (overdue)")
        } else {
            ""
        }
}

/// An assignment as a card.
struct Card {
    link: String,
    title: String,
    unit: String,
    status: String,
    due: String,
    overdue: bool,
    source: String,
}

fn card(a: &Assignment, today: jiff::civil::Date, l: Lang) -> Card {
    Card {
        link: with_lang(&format!("/organisation/assignments/{}", a.id), l),
        title: a.text.chars().take(60).collect(),
        unit: a.unit_name.clone(),
        status: a.status.label(l).to_string(),
        due: assignment_due(a, today, l),
        overdue: a.overdue(today),
        source: a.source_title.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// The overview

#[derive(Template)]
#[template(path = "org.html")]
struct Overview {
    chrome: Chrome,
    may_manage: bool,
    /// A community's 三方联动议事会 this month: (held, what to say).
    tripartite: Option<(bool, String)>,
    /// Assignments of the reader's unit still to do.
    mine: Vec<Card>,
    /// Assignments the reader's side handed out, awaiting 销号 or overdue.
    watching: Vec<Card>,
    overdue: usize,
    meetings: Vec<(String, String, String, String, i64)>,
    groups: Vec<(String, String, String, String, i64)>,
    censures: Vec<(String, String, String, String, bool)>,
}

async fn overview(State(state): State<AppState>, viewer: Viewer) -> Response {
    let l = viewer.lang;
    let r: Result<(StatusCode, String), WebError> = async {
        let who = viewer.principal();
        let app_err = |e| WebError::app(e, l);
        let today = state.app.today();
        let watch = state.app.assignment_watch(&who).await.map_err(app_err)?;
        let mut mine: Vec<Card> = watch.mine.iter().map(|a| card(a, today, l)).collect();
        mine.sort_by_key(|c| !c.overdue);
        let mut watching: Vec<Card> = watch.others.iter().map(|a| card(a, today, l)).collect();
        watching.sort_by_key(|c| !c.overdue);
        let overdue = watch.overdue;
        let may_manage = can(viewer.role, Action::ManageOrganisation);
        let tripartite = state
            .app
            .tripartite_this_month(&who)
            .await
            .map_err(app_err)?
            .map(|held| match held {
                Some(d) => (
                    true,
                    match l {
                        Lang::Zh => format!("本月三方联动议事会已于 {d} 召开。"),
                        Lang::En => format!("This month's tripartite meeting was held on {d}."),
                    },
                ),
                None => (
                    false,
                    l.pick(
                        "本月尚未召开三方联动议事会（社区委员会、业主委员会、物业服务企业每月一次）。",
                        "No tripartite meeting this month yet (community, owners' committee and company meet monthly).",
                    )
                    .to_string(),
                ),
            });
        let meetings = state
            .app
            .meetings(&who, None, None)
            .await
            .map_err(app_err)?
            .into_iter()
            .take(20)
            .map(|m| {
                (
                    with_lang(&format!("/organisation/meetings/{}", m.id), l),
                    m.title,
                    format!("{} · {} · {}", m.held_on, m.kind.label(l), m.region),
                    m.recorded_by,
                    m.decisions,
                )
            })
            .collect();
        let groups = state
            .app
            .groups(&who)
            .await
            .map_err(app_err)?
            .into_iter()
            .map(|g| {
                (
                    with_lang(&format!("/organisation/groups/{}", g.id), l),
                    g.name,
                    g.kind.label(l).to_string(),
                    g.region,
                    g.members,
                )
            })
            .collect();
        let censures = state
            .app
            .censures(&who)
            .await
            .map_err(app_err)?
            .into_iter()
            .take(20)
            .map(|c| {
                (
                    with_lang(&format!("/organisation/censures/{}", c.id), l),
                    format!("{} · {}", c.kind.label(l), c.unit_name),
                    c.on_day.to_string(),
                    c.reason.chars().take(40).collect(),
                    c.kind != CensureKind::Praise,
                )
            })
            .collect();
        let page = Overview {
            chrome: Chrome::new(
                &state,
                &viewer,
                l.pick("会议与督办", "Meetings and follow-up"),
                "/organisation",
            ),
            may_manage,
            tripartite,
            mine,
            watching,
            overdue,
            meetings,
            groups,
            censures,
        };
        render(&page, false)
    }
    .await;
    respond(&state, &viewer, r)
}

// ---------------------------------------------------------------------------------------------
// A body

#[derive(Template)]
#[template(path = "org_group_new.html")]
struct GroupNew {
    chrome: Chrome,
    action: String,
    regions: Options,
    kinds: Options,
    name: String,
    established_on: String,
    document: String,
    office: String,
    roster: String,
    today: String,
    error: Option<String>,
}

async fn group_page(
    state: &AppState,
    viewer: &Viewer,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    viewer.require(Action::ManageOrganisation)?;
    let (regions, _) = region_options(state, viewer, f.id("region")).await?;
    let today = state.app.today().to_string();
    let page = GroupNew {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("建立工作机构", "Set up a body"),
            "/organisation/groups/new",
        ),
        action: with_lang("/organisation/groups/new", l),
        regions,
        kinds: options(
            GroupKind::ALL,
            GroupKind::code,
            GroupKind::label,
            &f.get("kind"),
            l,
        ),
        name: f.get("name"),
        established_on: Some(f.get("established_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        document: f.get("document"),
        office: f.get("office"),
        roster: f.get("roster"),
        today,
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn group_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let r = group_page(&state, &viewer, Fields(q), None).await;
    respond(&state, &viewer, r)
}

async fn group_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageOrganisation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<i64, Refusal> = async {
        let region_id = f
            .id("region")
            .ok_or_else(|| form_error(l, "所属地区：请选择", "region: choose one"))?;
        let kind = GroupKind::from_code(&f.get("kind"))
            .ok_or_else(|| form_error(l, "类型：请选择", "kind: choose one"))?;
        let established_on = date_in(&state, &f.get("established_on"), "成立日期", "set up on", l)?;
        let g = state
            .app
            .add_group(
                &viewer.principal(),
                GroupInput {
                    region_id,
                    kind,
                    name: f.get("name"),
                    office: Some(f.get("office")),
                    document: Some(f.get("document")),
                    established_on,
                    members: Vec::new(),
                    roster: Some(f.get("roster")),
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(g.id)
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|id| with_lang(&format!("/organisation/groups/{id}"), l)),
        async |m| group_page(&state, &viewer, f, Some(m)).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "org_group.html")]
struct GroupShow {
    chrome: Chrome,
    facts: Vec<(&'static str, String)>,
    /// (id, role, name, position, joined, left)
    members: Vec<(i64, String, String, String, String, String)>,
    meetings: Vec<(String, String, String)>,
    may_edit: bool,
    version: i64,
    members_action: String,
    leave_action: String,
    meeting_link: String,
    roster: String,
    joined_on: String,
    left_on: String,
    today: String,
    error: Option<String>,
}

async fn group_show_page(
    state: &AppState,
    viewer: &Viewer,
    id: GroupId,
    f: &Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let d = state
        .app
        .group_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let g = &d.group;
    let today = state.app.today().to_string();
    let facts = vec![
        (l.pick("类型", "Kind"), g.kind.label(l).to_string()),
        (l.pick("所属地区", "Region"), g.region.clone()),
        (
            l.pick("成立日期", "Set up on"),
            g.established_on.to_string(),
        ),
        (
            l.pick("成立文件", "Document"),
            g.document.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            l.pick("办公室设在", "Office"),
            g.office.clone().unwrap_or_else(|| "—".into()),
        ),
        (l.pick("现有成员", "Members"), g.members.to_string()),
    ];
    let members = d
        .members
        .iter()
        .map(|m| {
            (
                m.id,
                m.role.label(l).to_string(),
                m.name.clone(),
                m.position.clone(),
                m.joined_on.to_string(),
                m.left_on.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let meetings = d
        .meetings
        .iter()
        .map(|m| {
            (
                with_lang(&format!("/organisation/meetings/{}", m.id), l),
                m.title.clone(),
                m.held_on.to_string(),
            )
        })
        .collect();
    let page = GroupShow {
        chrome: Chrome::new(
            state,
            viewer,
            g.name.clone(),
            &format!("/organisation/groups/{id}"),
        ),
        facts,
        members,
        meetings,
        may_edit: d.may_edit && viewer.role != Role::Auditor,
        version: g.version,
        members_action: with_lang(&format!("/organisation/groups/{id}/members"), l),
        leave_action: with_lang(&format!("/organisation/groups/{id}/leave"), l),
        meeting_link: with_lang(
            &format!(
                "/organisation/meetings/new?region={}&group={}",
                g.region_id, g.id
            ),
            l,
        ),
        roster: f.get("roster"),
        joined_on: Some(f.get("joined_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        left_on: Some(f.get("left_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        today,
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn group_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GroupId>,
) -> Response {
    let r = group_show_page(&state, &viewer, id, &Fields::default(), None).await;
    respond(&state, &viewer, r)
}

async fn group_members(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GroupId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageOrganisation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let on = date_in(&state, &f.get("joined_on"), "加入日期", "joined on", l)?;
        state
            .app
            .add_group_members(
                &viewer.principal(),
                id,
                version,
                Vec::new(),
                Some(&f.get("roster")),
                Some(on),
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|_| with_lang(&format!("/organisation/groups/{id}"), l)),
        async |m| group_show_page(&state, &viewer, id, &f, Some(m)).await,
    )
    .await
}

async fn group_leave(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<GroupId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageOrganisation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let on = date_in(&state, &f.get("left_on"), "离任日期", "left on", l)?;
        let member = f
            .id("member")
            .ok_or_else(|| form_error(l, "成员：缺少成员", "member: missing"))?;
        state
            .app
            .end_group_member(&viewer.principal(), id, version, member, on)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|_| with_lang(&format!("/organisation/groups/{id}"), l)),
        async |m| group_show_page(&state, &viewer, id, &f, Some(m)).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A meeting

/// A decision row of the form: (unit options, text, deadline).
struct DecisionRow {
    n: usize,
    units: Options,
    text: String,
    deadline: String,
}

#[derive(Template)]
#[template(path = "org_meeting_new.html")]
struct MeetingNew {
    chrome: Chrome,
    action: String,
    /// The region chooser (a GET form that reloads with the region's units).
    regions: Options,
    region: i64,
    kinds: Options,
    groups: Options,
    title: String,
    held_on: String,
    place: String,
    attendees: String,
    minutes: String,
    rows: Vec<DecisionRow>,
    today: String,
    error: Option<String>,
}

async fn meeting_page(
    state: &AppState,
    viewer: &Viewer,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    viewer.require(Action::ManageOrganisation)?;
    let who = viewer.principal();
    let (regions, region) = region_options(state, viewer, f.id("region")).await?;
    let chosen_group = f.get("group");
    let mut groups: Options = vec![(String::new(), "—".into(), chosen_group.is_empty())];
    groups.extend(
        state
            .app
            .groups(&who)
            .await
            .map_err(|e| WebError::app(e, l))?
            .into_iter()
            .map(|g| {
                let v = g.id.to_string();
                let sel = v == chosen_group;
                (v, format!("{}（{}）", g.name, g.region), sel)
            }),
    );
    let units = f.all("unit");
    let texts = f.all("decision");
    let deadlines = f.all("deadline");
    let mut rows = Vec::new();
    for n in 0..DECISION_ROWS.max(texts.len()) {
        let chosen = units.get(n).cloned().unwrap_or_default();
        rows.push(DecisionRow {
            n: n + 1,
            units: unit_options(state, viewer, region, &chosen).await?,
            text: texts.get(n).cloned().unwrap_or_default(),
            deadline: deadlines.get(n).cloned().unwrap_or_default(),
        });
    }
    let today = state.app.today().to_string();
    let page = MeetingNew {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("记录会议", "Record a meeting"),
            "/organisation/meetings/new",
        ),
        action: with_lang("/organisation/meetings/new", l),
        regions,
        region,
        kinds: options(
            MeetingKind::ALL,
            MeetingKind::code,
            MeetingKind::label,
            &f.get("kind"),
            l,
        ),
        groups,
        title: f.get("title"),
        held_on: Some(f.get("held_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        place: f.get("place"),
        attendees: f.get("attendees"),
        minutes: f.get("minutes"),
        rows,
        today,
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn meeting_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let r = meeting_page(&state, &viewer, Fields(q), None).await;
    respond(&state, &viewer, r)
}

/// The decision rows that were filled in (a row with text), in order.
fn decisions_of(state: &AppState, f: &Fields, l: Lang) -> Result<Vec<NewDecision>, Refusal> {
    let units = f.all("unit");
    let deadlines = f.all("deadline");
    let mut out = Vec::new();
    for (i, text) in f.all("decision").into_iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let unit = units.get(i).and_then(|u| parse_unit(u)).ok_or_else(|| {
            Refusal::Form(match l {
                Lang::Zh => format!("决定事项第 {n} 项：请选择责任单位"),
                Lang::En => format!("decision {n}: choose who answers for it"),
            })
        })?;
        let d = deadlines.get(i).map(|d| d.trim()).unwrap_or("");
        if d.is_empty() {
            return Err(Refusal::Form(match l {
                Lang::Zh => format!("决定事项第 {n} 项：请填写完成时限"),
                Lang::En => format!("decision {n}: give a deadline"),
            }));
        }
        let deadline = date_in(state, d, "完成时限", "deadline", l)?;
        out.push(NewDecision {
            unit,
            text,
            deadline,
        });
    }
    Ok(out)
}

async fn meeting_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageOrganisation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<i64, Refusal> = async {
        let region_id = f
            .id("region")
            .ok_or_else(|| form_error(l, "所属地区：请选择", "region: choose one"))?;
        let kind = MeetingKind::from_code(&f.get("kind"))
            .ok_or_else(|| form_error(l, "会议类型：请选择", "kind: choose one"))?;
        let held_on = date_in(&state, &f.get("held_on"), "会议日期", "held on", l)?;
        let decisions = decisions_of(&state, &f, l)?;
        let m = state
            .app
            .add_meeting(
                &viewer.principal(),
                MeetingInput {
                    region_id,
                    group_id: f.id("group"),
                    kind,
                    title: f.get("title"),
                    held_on,
                    place: Some(f.get("place")),
                    attendees: f.get("attendees"),
                    minutes: f.get("minutes"),
                    decisions,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(m.id)
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|id| with_lang(&format!("/organisation/meetings/{id}"), l)),
        async |m| meeting_page(&state, &viewer, f, Some(m)).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "org_meeting.html")]
struct MeetingShow {
    chrome: Chrome,
    facts: Vec<(&'static str, String)>,
    attendees: String,
    minutes: String,
    decisions: Vec<Card>,
    may_edit: bool,
    action: String,
    units: Options,
    text: String,
    deadline: String,
    today: String,
    error: Option<String>,
}

async fn meeting_show_page(
    state: &AppState,
    viewer: &Viewer,
    id: MeetingId,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let d = state
        .app
        .meeting_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let m = &d.meeting;
    let today = state.app.today();
    let may_edit = d.may_edit && viewer.role != Role::Auditor;
    let units = if may_edit {
        unit_options(state, viewer, m.region_id, &f.get("unit")).await?
    } else {
        Vec::new()
    };
    let facts = vec![
        (l.pick("会议类型", "Kind"), m.kind.label(l).to_string()),
        (l.pick("会议日期", "Held on"), m.held_on.to_string()),
        (l.pick("所属地区", "Region"), m.region.clone()),
        (
            l.pick("工作机构", "Body"),
            m.group.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            l.pick("地点", "Place"),
            m.place.clone().unwrap_or_else(|| "—".into()),
        ),
        (l.pick("记录人", "Recorded by"), m.recorded_by.clone()),
    ];
    let page = MeetingShow {
        chrome: Chrome::new(
            state,
            viewer,
            m.title.clone(),
            &format!("/organisation/meetings/{id}"),
        ),
        facts,
        attendees: m.attendees.clone(),
        minutes: m.minutes.clone(),
        decisions: d.decisions.iter().map(|a| card(a, today, l)).collect(),
        may_edit,
        action: with_lang(&format!("/organisation/meetings/{id}/decisions"), l),
        units,
        text: f.get("decision"),
        deadline: f.get("deadline"),
        today: today.to_string(),
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn meeting_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<MeetingId>,
) -> Response {
    let r = meeting_show_page(&state, &viewer, id, Fields::default(), None).await;
    respond(&state, &viewer, r)
}

async fn meeting_decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<MeetingId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageOrganisation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let mut d = decisions_of(&state, &f, l)?;
        if d.is_empty() {
            return Err(form_error(l, "决定事项：请填写内容", "decision: required"));
        }
        state
            .app
            .add_meeting_decision(&viewer.principal(), id, d.remove(0))
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|_| with_lang(&format!("/organisation/meetings/{id}"), l)),
        async |m| meeting_show_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// 通报 and 约谈

#[derive(Template)]
#[template(path = "org_censure_new.html")]
struct CensureNew {
    chrome: Chrome,
    action: String,
    regions: Options,
    region: i64,
    kinds: Options,
    units: Options,
    on_day: String,
    reason: String,
    document: String,
    interviewee: String,
    follow_up: String,
    follow_up_deadline: String,
    today: String,
    error: Option<String>,
}

async fn censure_page(
    state: &AppState,
    viewer: &Viewer,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    viewer.require(Action::ManageOrganisation)?;
    let (regions, region) = region_options(state, viewer, f.id("region")).await?;
    let units = unit_options(state, viewer, region, &f.get("unit")).await?;
    let today = state.app.today().to_string();
    let page = CensureNew {
        chrome: Chrome::new(
            state,
            viewer,
            l.pick("记录通报、约谈", "Record a censure"),
            "/organisation/censures/new",
        ),
        action: with_lang("/organisation/censures/new", l),
        regions,
        region,
        kinds: options(
            CensureKind::ALL,
            CensureKind::code,
            CensureKind::label,
            &f.get("kind"),
            l,
        ),
        units,
        on_day: Some(f.get("on_day"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        reason: f.get("reason"),
        document: f.get("document"),
        interviewee: f.get("interviewee"),
        follow_up: f.get("follow_up"),
        follow_up_deadline: f.get("follow_up_deadline"),
        today,
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn censure_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let r = censure_page(&state, &viewer, Fields(q), None).await;
    respond(&state, &viewer, r)
}

async fn censure_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageOrganisation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<i64, Refusal> = async {
        let region_id = f
            .id("region")
            .ok_or_else(|| form_error(l, "所属地区：请选择", "region: choose one"))?;
        let kind = CensureKind::from_code(&f.get("kind"))
            .ok_or_else(|| form_error(l, "类型：请选择", "kind: choose one"))?;
        let unit = parse_unit(&f.get("unit"))
            .ok_or_else(|| form_error(l, "通报对象：请选择", "who: choose one"))?;
        let on_day = date_in(&state, &f.get("on_day"), "通报日期", "date", l)?;
        let deadline = f.get("follow_up_deadline");
        let follow_up_deadline = if deadline.trim().is_empty() {
            None
        } else {
            Some(date_in(&state, &deadline, "整改时限", "deadline", l)?)
        };
        let c = state
            .app
            .add_censure(
                &viewer.principal(),
                CensureInput {
                    region_id,
                    kind,
                    unit,
                    on_day,
                    reason: f.get("reason"),
                    document: Some(f.get("document")),
                    interviewee: Some(f.get("interviewee")),
                    follow_up: Some(f.get("follow_up")),
                    follow_up_deadline,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(c.id)
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|id| with_lang(&format!("/organisation/censures/{id}"), l)),
        async |m| censure_page(&state, &viewer, f, Some(m)).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "org_censure.html")]
struct CensureShow {
    chrome: Chrome,
    facts: Vec<(&'static str, String)>,
    reason: String,
    follow_ups: Vec<Card>,
}

async fn censure_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CensureId>,
) -> Response {
    let l = viewer.lang;
    let r: Result<(StatusCode, String), WebError> = async {
        let d = state
            .app
            .censure_detail(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, l))?;
        let c = &d.censure;
        let today = state.app.today();
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        let mut facts = vec![
            (l.pick("类型", "Kind"), c.kind.label(l).to_string()),
            (
                l.pick("对象", "Of"),
                unit_text(&c.unit_name, c.unit.kind, l),
            ),
            (l.pick("日期", "Date"), c.on_day.to_string()),
            (
                l.pick("发出", "By"),
                format!("{} · {}", c.region, c.recorded_by),
            ),
            (l.pick("文号", "Document"), dash(&c.document)),
        ];
        if c.kind == CensureKind::Interview {
            facts.push((l.pick("约谈对象", "Talked to"), dash(&c.interviewee)));
        }
        let page = CensureShow {
            chrome: Chrome::new(
                &state,
                &viewer,
                format!("{} · {}", c.kind.label(l), c.unit_name),
                &format!("/organisation/censures/{id}"),
            ),
            facts,
            reason: c.reason.clone(),
            follow_ups: d.follow_ups.iter().map(|a| card(a, today, l)).collect(),
        };
        render(&page, false)
    }
    .await;
    respond(&state, &viewer, r)
}

// ---------------------------------------------------------------------------------------------
// An assignment

#[derive(Template)]
#[template(path = "org_assignment.html")]
struct AssignmentShow {
    chrome: Chrome,
    source_link: String,
    source: String,
    text: String,
    facts: Vec<(&'static str, String)>,
    result: Option<String>,
    return_reason: Option<String>,
    steps: Vec<(String, String, String, String)>,
    action: String,
    version: i64,
    /// (code, button, note label, required)
    may: Vec<(&'static str, &'static str, &'static str, bool)>,
    kept_step: String,
    kept_note: String,
    date: String,
    today: String,
    error: Option<String>,
}

fn step_label(code: &str, l: Lang) -> String {
    if code == "issue" {
        return l.pick("交办", "handed out").to_string();
    }
    AssignmentStep::from_code(code)
        .map(|s| s.label(l).to_string())
        .unwrap_or_else(|| code.to_string())
}

async fn assignment_page(
    state: &AppState,
    viewer: &Viewer,
    id: AssignmentId,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let d = state
        .app
        .assignment_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let a = &d.assignment;
    let today = state.app.today();
    let date_or =
        |x: Option<jiff::civil::Date>| x.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
    let facts = vec![
        (l.pick("状态", "Status"), a.status.label(l).to_string()),
        (
            l.pick("责任单位", "Answers for it"),
            unit_text(&a.unit_name, a.unit.kind, l),
        ),
        (
            l.pick("交办", "Handed out"),
            format!("{} · {} · {}", a.issued_on, a.region, a.issued_by),
        ),
        (
            l.pick("完成时限", "Due"),
            format!(
                "{}{}",
                a.deadline,
                if a.overdue(today) {
                    l.pick("（已逾期）", " (overdue)")
                } else {
                    ""
                }
            ),
        ),
        (
            l.pick("首次报结", "First reported"),
            date_or(a.first_reported_on),
        ),
        (l.pick("退回次数", "Times sent back"), a.returns.to_string()),
        (l.pick("销号", "Closed"), date_or(a.closed_on)),
    ];
    let source_link = match (a.meeting_id, a.censure_id) {
        (Some(m), _) => with_lang(&format!("/organisation/meetings/{m}"), l),
        (_, Some(c)) => with_lang(&format!("/organisation/censures/{c}"), l),
        _ => with_lang("/organisation", l),
    };
    let writer = viewer.role != Role::Auditor;
    let may = d
        .may
        .iter()
        .filter(|_| writer)
        .map(|s| match s {
            AssignmentStep::Report => (
                "report",
                l.pick("报结", "Report done"),
                l.pick(
                    "办理结果（做了什么、结果如何）",
                    "What was done and the outcome",
                ),
                true,
            ),
            AssignmentStep::Close => (
                "close",
                l.pick("销号", "Close"),
                l.pick("备注（可不填）", "Note (optional)"),
                false,
            ),
            AssignmentStep::Return => (
                "return",
                l.pick("退回重办", "Send back"),
                l.pick("退回理由（哪里没办好）", "Why it is sent back"),
                true,
            ),
        })
        .collect();
    let steps = d
        .steps
        .iter()
        .map(|s| {
            (
                s.on.to_string(),
                step_label(&s.step, l),
                s.by.clone(),
                s.note.clone().unwrap_or_default(),
            )
        })
        .collect();
    let date = Some(f.get("date"))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| today.to_string());
    let page = AssignmentShow {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} #{}", l.pick("交办事项", "Assignment"), a.id),
            &format!("/organisation/assignments/{id}"),
        ),
        source_link,
        source: format!("{} · {}", a.source.label(l), a.source_title),
        text: a.text.clone(),
        facts,
        result: a.result.clone(),
        return_reason: a.return_reason.clone().filter(|_| a.returns > 0),
        steps,
        action: with_lang(&format!("/organisation/assignments/{id}/step"), l),
        version: a.version,
        may,
        kept_step: f.get("step"),
        kept_note: f.get("note"),
        date,
        today: today.to_string(),
        error: error.clone(),
    };
    render(&page, error.is_some())
}

async fn assignment_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
) -> Response {
    let r = assignment_page(&state, &viewer, id, Fields::default(), None).await;
    respond(&state, &viewer, r)
}

async fn assignment_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<AssignmentId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = viewer.check_csrf(&headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let step = AssignmentStep::from_code(&f.get("step"))
            .ok_or_else(|| form_error(l, "步骤：未知", "step: unknown"))?;
        let on = date_in(&state, &f.get("date"), "办理日期", "date", l)?;
        state
            .app
            .assignment_step(
                &viewer.principal(),
                id,
                AssignmentStepInput {
                    step,
                    on,
                    note: Some(f.get("note")),
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
        result.map(|_| with_lang(&format!("/organisation/assignments/{id}"), l)),
        async |m| assignment_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}
