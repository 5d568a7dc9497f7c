//! 业主表决 in the browser (issue 19 item 2): a compound's register of households (业主名册:
//! imported from a sheet or added one at a time), its votes and the form that opens one, one
//! vote's page (participation against the 2/3 thresholds, the households that have voted and
//! how — never what they chose —, the paper-ballot form with its scan, 计票, and using a carried
//! choice of company), the printable QR sheet of the households' links, the public result
//! sheet (公示: totals only), and the resident's ballot page `/v/{token}` (no account). Every
//! rule is the application layer's (`anju_app::votes`). One column, for a phone.

use crate::auth::Viewer;
use crate::page::{
    BODY_LIMIT, Chrome, Fields, Refusal, action_guard, app_refusal, done, field, html_error,
    parse_date_field, read_multipart, respond, status_of, store_uploads, visible_compound,
    with_lang,
};
use crate::resident::{QrCard, QrSheet, origin, qr_svg};
use crate::{AppState, WebError};
use anju_app::model::{BallotChoice, VoteRecord};
use anju_app::votes::{HouseholdInput, PaperBallotInput, VoteInput};
use anju_core::access::{Action, can};
use anju_core::ids::{CompoundId, OwnersBodyId, VoteId};
use anju_core::owners_body::BodyStatus;
use anju_core::vote::{Choice, Matter, VoteCount, VoteStatus};
use anju_core::{Area, Lang};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use rust_decimal::Decimal;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/compounds/{id}/register",
            get(register).post(add_household),
        )
        .route(
            "/compounds/{id}/register/import",
            post(import_register).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/compounds/{id}/votes", get(list).post(open))
        .route("/votes/{id}", get(show))
        .route(
            "/votes/{id}/paper",
            post(paper).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/votes/{id}/close", post(close))
        .route("/votes/{id}/apply", post(apply))
        .route("/votes/{id}/sheet", get(sheet))
        .route("/votes/{id}/result", get(result_sheet))
}

/// The resident's ballot page (no account; rate limited with the other public pages).
pub fn resident_router() -> Router<AppState> {
    Router::new().route("/v/{token}", get(ballot_page).post(cast))
}

fn m2(centi: i64) -> String {
    Area::from_centi(centi).display_m2()
}

/// "66.67 %" of `part` in `whole` (exact, half-up once).
fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".into();
    }
    anju_core::fees::percent_text(Decimal::from(part) / Decimal::from(whole))
}

/// The link a household's token opens.
fn ballot_link(base: &str, token: &str) -> String {
    format!("{}/v/{token}", base.trim_end_matches('/'))
}

/// What a matter's majority is, in words.
fn majority_text(m: Matter, l: Lang) -> &'static str {
    if m.needs_three_quarters() {
        l.pick(
            "参与表决专有部分面积四分之三以上且参与表决人数四分之三以上同意",
            "3/4 of the participating area and of the participating owners agree",
        )
    } else {
        l.pick(
            "参与表决专有部分面积过半数且参与表决人数过半数同意",
            "more than half of the participating area and owners agree",
        )
    }
}

/// One line of a count: (label, households, area, share of participants).
type Line = (String, String, String, String);

/// The lines a result shows: each option, 反对, 弃权; and the outcome text.
fn result_lines(v: &VoteRecord, c: &VoteCount, l: Lang) -> (Vec<Line>, String) {
    let mut lines = Vec::new();
    let single = v.options.len() == 1;
    for o in &c.options {
        let label = v
            .options
            .iter()
            .find(|x| x.no == o.no)
            .map_or_else(String::new, |x| x.label.clone());
        lines.push((
            if single {
                l.pick("同意", "For").to_string()
            } else {
                label
            },
            o.tally.yes_owners.to_string(),
            m2(o.tally.yes_area_centi_m2 as i64),
            format!(
                "{} / {}",
                pct(o.tally.yes_owners, c.voted_owners),
                pct(o.tally.yes_area_centi_m2, c.voted_area_centi_m2)
            ),
        ));
    }
    lines.push((
        if single {
            l.pick("反对", "Against").to_string()
        } else {
            l.pick("都不同意", "None of them").to_string()
        },
        c.against_owners.to_string(),
        m2(c.against_area_centi_m2 as i64),
        format!(
            "{} / {}",
            pct(c.against_owners, c.voted_owners),
            pct(c.against_area_centi_m2, c.voted_area_centi_m2)
        ),
    ));
    lines.push((
        l.pick("弃权", "Abstain").to_string(),
        c.abstain_owners.to_string(),
        m2(c.abstain_area_centi_m2 as i64),
        format!(
            "{} / {}",
            pct(c.abstain_owners, c.voted_owners),
            pct(c.abstain_area_centi_m2, c.voted_area_centi_m2)
        ),
    ));
    let outcome = match c.carried {
        Some(no) => {
            let label = v
                .options
                .iter()
                .find(|x| x.no == no)
                .map_or_else(String::new, |x| x.label.clone());
            if single {
                l.pick("表决通过", "Carried").to_string()
            } else {
                format!("{}：{label}", l.pick("表决通过", "Carried"))
            }
        }
        None => format!(
            "{}：{}",
            l.pick("表决未通过", "Not carried"),
            c.why_not(l).unwrap_or_default()
        ),
    };
    (lines, outcome)
}

/// Participation so far against the 2/3 thresholds: (text, met).
fn participation(v: &VoteRecord, l: Lang) -> Vec<(String, bool)> {
    let (o, a) = (v.owners.unsigned_abs(), v.area_centi.unsigned_abs());
    let (co, ca) = (v.cast.unsigned_abs(), v.cast_area_centi.unsigned_abs());
    vec![
        (
            format!(
                "{} {co} / {o} {}（{}）",
                l.pick("已投票", "Voted"),
                l.pick("户", "households"),
                pct(co, o)
            ),
            3 * co >= 2 * o,
        ),
        (
            format!(
                "{} {} / {}（{}）",
                l.pick("已投票面积", "Area voted"),
                m2(v.cast_area_centi),
                m2(v.area_centi),
                pct(ca, a)
            ),
            3 * ca >= 2 * a,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// The register

#[derive(Template)]
#[template(path = "households.html")]
struct RegisterPage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    votes_link: String,
    summary: String,
    /// (unit, owner, area)
    rows: Vec<(String, String, String)>,
    may_edit: bool,
    add_action: String,
    import_action: String,
    unit: String,
    owner_name: String,
    area: String,
    message: Option<String>,
    error: Option<String>,
}

async fn register_page(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    f: Fields,
    message: Option<String>,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let c = visible_compound(state, viewer, id).await?;
    let hs = state
        .app
        .households(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let area: i64 = hs.iter().map(|h| h.area_centi).sum();
    let page = RegisterPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {}",
                c.compound.name,
                l.pick("业主名册", "Owners' register")
            ),
            &format!("/compounds/{id}/register"),
        ),
        compound: c.compound.name.clone(),
        compound_link: with_lang(&format!("/compounds/{id}"), l),
        votes_link: with_lang(&format!("/compounds/{id}/votes"), l),
        summary: match l {
            Lang::Zh => format!("共 {} 户，专有部分面积合计 {}", hs.len(), m2(area)),
            Lang::En => format!("{} households, {} in all", hs.len(), m2(area)),
        },
        rows: hs
            .iter()
            .map(|h| {
                (
                    h.unit.clone(),
                    h.owner_name.clone().unwrap_or_default(),
                    m2(h.area_centi),
                )
            })
            .collect(),
        may_edit: can(viewer.role, Action::RunVotes),
        add_action: with_lang(&format!("/compounds/{id}/register"), l),
        import_action: with_lang(&format!("/compounds/{id}/register/import"), l),
        unit: f.get("unit"),
        owner_name: f.get("owner_name"),
        area: f.get("area"),
        message,
        error: error.clone(),
    };
    Ok((status_of(&error), page.render()?))
}

async fn register(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let r = register_page(&state, &viewer, id, Fields::default(), None, None).await;
    respond(&state, &viewer, r)
}

fn summary_text(s: &anju_app::model::RegisterSummary, l: Lang) -> String {
    match l {
        Lang::Zh => format!(
            "已保存：新增 {} 户，更新 {} 户，未变 {} 户；名册共 {} 户，面积合计 {}。",
            s.added,
            s.updated,
            s.unchanged,
            s.households,
            m2(s.area_centi)
        ),
        Lang::En => format!(
            "Saved: {} added, {} updated, {} unchanged; {} households, {} in all.",
            s.added,
            s.updated,
            s.unchanged,
            s.households,
            m2(s.area_centi)
        ),
    }
}

async fn add_household(
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
    let r = state
        .app
        .add_household(
            &viewer.principal(),
            id,
            HouseholdInput {
                unit: f.get("unit"),
                owner_name: Some(f.get("owner_name")),
                area: f.get("area"),
            },
        )
        .await;
    let r = match r {
        Ok(s) => {
            register_page(
                &state,
                &viewer,
                id,
                Fields::default(),
                Some(summary_text(&s, l)),
                None,
            )
            .await
        }
        Err(e) => match app_refusal(e, l) {
            Refusal::Form(m) => register_page(&state, &viewer, id, f, None, Some(m)).await,
            Refusal::Fail(e) => Err(e),
        },
    };
    respond(&state, &viewer, r)
}

async fn import_register(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let (fields, files) = match read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => {
            let r = register_page(&state, &viewer, id, Fields::default(), None, Some(m)).await;
            return respond(&state, &viewer, r);
        }
    };
    if let Err(e) = action_guard(
        &viewer,
        Action::RunVotes,
        &headers,
        Some(&field(&fields, "csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let outcome: Result<String, String> = async {
        let Some((_, name, bytes)) = files.first() else {
            return Err(l
                .pick(
                    "请选择业主名册文件（.xlsx、.xls 或 .csv）",
                    "choose the register file",
                )
                .to_string());
        };
        let kind = anju_sheets::FileKind::from_path(std::path::Path::new(name))
            .map_err(|e| e.render(l))?;
        let rows = anju_sheets::read_register_bytes(bytes, kind).map_err(|e| e.render(l))?;
        let s = state
            .app
            .import_households(&viewer.principal(), id, &rows)
            .await
            .map_err(|e| match app_refusal(e, l) {
                Refusal::Form(m) => m,
                Refusal::Fail(e) => e.to_string(),
            })?;
        Ok(summary_text(&s, l))
    }
    .await;
    let r = match outcome {
        Ok(m) => register_page(&state, &viewer, id, Fields::default(), Some(m), None).await,
        Err(m) => register_page(&state, &viewer, id, Fields::default(), None, Some(m)).await,
    };
    respond(&state, &viewer, r)
}

// ---------------------------------------------------------------------------------------------
// A compound's votes

#[derive(Template)]
#[template(path = "votes.html")]
struct ListPage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    register_link: String,
    register: String,
    /// (link, matter, question, status, participation)
    votes: Vec<(String, String, String, String, String)>,
    may_open: bool,
    action: String,
    matters: Vec<(String, String, bool)>,
    /// (id, label, checked)
    companies: Vec<(i64, String, bool)>,
    /// (id, label, selected)
    bodies: Vec<(i64, String, bool)>,
    question: String,
    opens_on: String,
    closes_on: String,
    today: String,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    body: Option<i64>,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    f: Fields,
    body: Option<i64>,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let c = visible_compound(state, viewer, id).await?;
    let votes = state
        .app
        .votes(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let hs = state
        .app
        .households(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let area: i64 = hs.iter().map(|h| h.area_centi).sum();
    let may_open = can(viewer.role, Action::RunVotes);
    let body_chosen = f.id("owners_body_id").or(body);
    let matter_chosen = Some(f.get("matter"))
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            if body.is_some() {
                Matter::ElectCommittee.code().into()
            } else {
                Matter::SelectCompany.code().into()
            }
        });
    let (companies, bodies) = if may_open {
        let chosen: Vec<i64> = f
            .all("company_ids")
            .iter()
            .filter_map(|x| x.parse().ok())
            .collect();
        let companies = state
            .app
            .selectable_companies()
            .await
            .map_err(|e| WebError::app(e, l))?
            .into_iter()
            .map(|co| (co.id, co.name, chosen.contains(&co.id)))
            .collect();
        let bodies = state
            .app
            .owners_bodies(&who, id)
            .await
            .map_err(|e| WebError::app(e, l))?
            .into_iter()
            .filter(|b| b.status == BodyStatus::Preparing)
            .map(|b| {
                (
                    b.id,
                    format!(
                        "{}（{} {}）",
                        l.pick(b.kind.zh(), b.kind.en()),
                        l.pick("筹备于", "preparing since"),
                        b.prepared_on
                    ),
                    Some(b.id) == body_chosen,
                )
            })
            .collect();
        (companies, bodies)
    } else {
        (Vec::new(), Vec::new())
    };
    let today = state.app.today().to_string();
    let page = ListPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {}",
                c.compound.name,
                l.pick("业主表决", "Owners' votes")
            ),
            &format!("/compounds/{id}/votes"),
        ),
        compound: c.compound.name.clone(),
        compound_link: with_lang(&format!("/compounds/{id}"), l),
        register_link: with_lang(&format!("/compounds/{id}/register"), l),
        register: match l {
            Lang::Zh => format!("业主名册：{} 户，专有部分面积合计 {}", hs.len(), m2(area)),
            Lang::En => format!("Register: {} households, {} in all", hs.len(), m2(area)),
        },
        votes: votes
            .iter()
            .map(|v| {
                (
                    with_lang(&format!("/votes/{}", v.id), l),
                    v.matter.label(l).to_string(),
                    v.question.clone(),
                    match (v.status, v.carried_option) {
                        (VoteStatus::Open, _) => format!(
                            "{} · {} {}",
                            v.status.label(l),
                            l.pick("截止", "closes"),
                            v.closes_on
                        ),
                        (VoteStatus::Closed, Some(_)) => l.pick("已通过", "carried").into(),
                        (VoteStatus::Closed, None) => l.pick("未通过", "not carried").into(),
                    },
                    format!(
                        "{} {}/{} {}",
                        l.pick("已投", "voted"),
                        v.cast,
                        v.owners,
                        l.pick("户", "households")
                    ),
                )
            })
            .collect(),
        may_open,
        action: with_lang(&format!("/compounds/{id}/votes"), l),
        matters: Matter::ALL
            .iter()
            .map(|m| {
                (
                    m.code().to_string(),
                    m.label(l).to_string(),
                    m.code() == matter_chosen,
                )
            })
            .collect(),
        companies,
        bodies,
        question: f.get("question"),
        opens_on: Some(f.get("opens_on"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| today.clone()),
        closes_on: f.get("closes_on"),
        today,
        error: error.clone(),
    };
    Ok((status_of(&error), page.render()?))
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    Query(q): Query<ListQuery>,
) -> Response {
    let r = list_page(&state, &viewer, id, Fields::default(), q.body, None).await;
    respond(&state, &viewer, r)
}

async fn open(
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
    let result: Result<i64, Refusal> = async {
        let matter = Matter::from_code(&f.get("matter")).ok_or_else(|| {
            Refusal::Form(l.pick("请选择表决事项类别", "choose the matter").into())
        })?;
        let opens_on = parse_date_field(
            state.app.today(),
            &f.get("opens_on"),
            "表决开始日期",
            "opens on",
            l,
        )
        .map_err(Refusal::Form)?;
        let closes = f.get("closes_on");
        if closes.trim().is_empty() {
            return Err(Refusal::Form(
                l.pick("表决截止日期：请填写", "closes on: required").into(),
            ));
        }
        let closes_on =
            parse_date_field(state.app.today(), &closes, "表决截止日期", "closes on", l)
                .map_err(Refusal::Form)?;
        let v = state
            .app
            .open_vote(
                &viewer.principal(),
                VoteInput {
                    compound_id: id,
                    matter,
                    question: f.get("question"),
                    owners_body_id: if matter == Matter::ElectCommittee {
                        f.id("owners_body_id").map(OwnersBodyId::from)
                    } else {
                        None
                    },
                    company_ids: if matter == Matter::SelectCompany {
                        f.all("company_ids")
                            .iter()
                            .filter_map(|x| x.parse().ok())
                            .collect()
                    } else {
                        Vec::new()
                    },
                    opens_on,
                    closes_on,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(v.id)
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|v| with_lang(&format!("/votes/{v}"), l)),
        async |m| list_page(&state, &viewer, id, f, None, Some(m)).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// One vote

#[derive(Template)]
#[template(path = "vote.html")]
struct ShowPage {
    chrome: Chrome,
    compound: String,
    list_link: String,
    sheet_link: String,
    result_link: String,
    facts: Vec<(&'static str, String)>,
    participation: Vec<(String, bool)>,
    majority: &'static str,
    /// (label, households, area, share)
    lines: Vec<Line>,
    outcome: Option<(bool, String)>,
    applied: Option<String>,
    /// (unit, area, status, channel, scan link)
    ballots: Vec<(String, String, bool, String, Option<String>)>,
    /// Households not yet voted: (id, unit, selected)
    pending: Vec<(i64, String, bool)>,
    /// (value, label, checked): the choices a ballot offers.
    choices: Vec<(String, String, bool)>,
    paper: bool,
    close: bool,
    close_blocked: Option<String>,
    apply: bool,
    /// The carried vote dismisses the company (the contract in force ends as 解聘).
    dismissal: bool,
    paper_action: String,
    close_action: String,
    apply_action: String,
    version: i64,
    received_on: String,
    date: String,
    today: String,
    error: Option<String>,
}

/// The choices a ballot offers: "o{n}" for each option, "against", "abstain".
fn choice_values(v: &VoteRecord, l: Lang) -> Vec<(String, String)> {
    let single = v.options.len() == 1;
    let mut out: Vec<(String, String)> = v
        .options
        .iter()
        .map(|o| {
            (
                format!("o{}", o.no),
                if single {
                    l.pick("同意", "For").to_string()
                } else {
                    o.label.clone()
                },
            )
        })
        .collect();
    out.push((
        "against".into(),
        if single {
            l.pick("反对", "Against")
        } else {
            l.pick("都不同意", "None of them")
        }
        .to_string(),
    ));
    out.push(("abstain".into(), l.pick("弃权", "Abstain").to_string()));
    out
}

/// A choice as sent ("o2", "against", "abstain").
fn parse_choice(s: &str) -> Option<BallotChoice> {
    match s {
        "against" => Some(BallotChoice {
            choice: Choice::Against,
            option_no: None,
        }),
        "abstain" => Some(BallotChoice {
            choice: Choice::Abstain,
            option_no: None,
        }),
        _ => s
            .strip_prefix('o')
            .and_then(|n| n.parse().ok())
            .map(|n| BallotChoice {
                choice: Choice::ForOption,
                option_no: Some(n),
            }),
    }
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    id: VoteId,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let d = state
        .app
        .vote_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let v = &d.vote;
    let mut facts = vec![
        (l.pick("表决事项", "Matter"), v.matter.label(l).to_string()),
        (l.pick("内容", "Question"), v.question.clone()),
        (
            l.pick("表决期间", "Voting days"),
            format!("{} – {}", v.opens_on, v.closes_on),
        ),
        (l.pick("状态", "Status"), v.status.label(l).to_string()),
        (
            l.pick("业主名册（开始时）", "Register at opening"),
            format!(
                "{} {}，{}",
                v.owners,
                l.pick("户", "households"),
                m2(v.area_centi)
            ),
        ),
    ];
    if v.options.len() > 1 {
        facts.push((
            l.pick("候选", "Options"),
            v.options
                .iter()
                .map(|o| format!("{}. {}", o.no, o.label))
                .collect::<Vec<_>>()
                .join("；"),
        ));
    }
    if let Some(c) = v.closed_on {
        facts.push((l.pick("计票日期", "Counted on"), c.to_string()));
    }
    let (lines, outcome) = match &v.result {
        Some(c) => {
            let (lines, text) = result_lines(v, c, l);
            (lines, Some((c.carried.is_some(), text)))
        }
        None => (Vec::new(), None),
    };
    let compound = CompoundId::from(v.compound_id);
    let ballots = d
        .ballots
        .iter()
        .map(|b| {
            (
                b.unit.clone(),
                m2(b.area_centi),
                b.cast,
                b.channel
                    .map(|c| {
                        let mut s = c.label(l).to_string();
                        if let Some(r) = b.received_on {
                            s.push_str(&format!("（{} {r}）", l.pick("收到", "received")));
                        }
                        s
                    })
                    .unwrap_or_default(),
                b.evidence_sha
                    .as_ref()
                    .map(|h| format!("/evidence/{h}?compound={compound}")),
            )
        })
        .collect();
    let kept_household = f.id("household_id");
    let pending = d
        .ballots
        .iter()
        .filter(|b| !b.cast)
        .map(|b| {
            (
                b.household_id,
                format!("{}（{}）", b.unit, m2(b.area_centi)),
                Some(b.household_id) == kept_household,
            )
        })
        .collect();
    let kept_choice = f.get("choice");
    let today = state.app.today().to_string();
    let page = ShowPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {}", v.compound, v.matter.label(l)),
            &format!("/votes/{id}"),
        ),
        compound: v.compound.clone(),
        list_link: with_lang(&format!("/compounds/{}/votes", v.compound_id), l),
        sheet_link: with_lang(&format!("/votes/{id}/sheet"), l),
        result_link: with_lang(&format!("/votes/{id}/result"), l),
        facts,
        participation: participation(v, l),
        majority: majority_text(v.matter, l),
        lines,
        outcome,
        applied: v.applied_note.clone(),
        ballots,
        pending,
        choices: choice_values(v, l)
            .into_iter()
            .map(|(val, label)| {
                let c = val == kept_choice;
                (val, label, c)
            })
            .collect(),
        paper: d.may_enter_paper,
        close: d.may_close,
        close_blocked: d.close_blocked.clone(),
        apply: d.may_apply,
        dismissal: d.vote.matter == Matter::DismissCompany,
        paper_action: with_lang(&format!("/votes/{id}/paper"), l),
        close_action: with_lang(&format!("/votes/{id}/close"), l),
        apply_action: with_lang(&format!("/votes/{id}/apply"), l),
        version: v.version,
        received_on: Some(f.get("received_on"))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| today.clone()),
        date: Some(f.get("date"))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| today.clone()),
        today,
        error: error.clone(),
    };
    Ok((status_of(&error), page.render()?))
}

async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<VoteId>) -> Response {
    let r = show_page(&state, &viewer, id, Fields::default(), None).await;
    respond(&state, &viewer, r)
}

async fn paper(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<VoteId>,
    ext: Option<Extension<anju_app::model::EvidenceDir>>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let (fields, files) = match read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => {
            let r = show_page(&state, &viewer, id, Fields::default(), Some(m)).await;
            return respond(&state, &viewer, r);
        }
    };
    let f = Fields(
        fields
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect(),
    );
    if let Err(e) = action_guard(&viewer, Action::RunVotes, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let household_id = f
            .id("household_id")
            .ok_or_else(|| Refusal::Form(l.pick("请选择房号", "choose the household").into()))?;
        let says = parse_choice(&f.get("choice")).ok_or_else(|| {
            Refusal::Form(
                l.pick("请选择选票上的表决意见", "choose what the ballot says")
                    .into(),
            )
        })?;
        let received_on = parse_date_field(
            state.app.today(),
            &f.get("received_on"),
            "收到选票日期",
            "received on",
            l,
        )
        .map_err(Refusal::Form)?;
        let dir = crate::evidence_dir(ext);
        let stored = store_uploads(&state, &viewer, &dir, &files).await?;
        let sha = stored.first().map(|(_, s)| s.clone()).unwrap_or_default();
        state
            .app
            .enter_paper_ballot(
                &viewer.principal(),
                id,
                PaperBallotInput {
                    household_id,
                    choice: says.choice,
                    option_no: says.option_no,
                    received_on,
                    evidence_sha: sha,
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
        result.map(|_| with_lang(&format!("/votes/{id}"), l)),
        async |m| show_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

async fn close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<VoteId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(&viewer, Action::RunVotes, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let on = parse_date_field(
            state.app.today(),
            &f.get("date"),
            "计票日期",
            "counted on",
            l,
        )
        .map_err(Refusal::Form)?;
        state
            .app
            .close_vote(&viewer.principal(), id, on, version)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    done(
        &state,
        &viewer,
        result.map(|_| with_lang(&format!("/votes/{id}"), l)),
        async |m| show_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<VoteId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(&viewer, Action::RunVotes, &headers, Some(&f.get("csrf"))) {
        return html_error(&state, &viewer, e);
    }
    let result = state
        .app
        .apply_vote(&viewer.principal(), id)
        .await
        .map(|_| ())
        .map_err(|e| app_refusal(e, l));
    done(
        &state,
        &viewer,
        result.map(|_| with_lang(&format!("/votes/{id}"), l)),
        async |m| show_page(&state, &viewer, id, f, Some(m)).await,
    )
    .await
}

/// The printable sheet of the households' links (those not yet voted).
async fn sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<VoteId>,
    headers: HeaderMap,
) -> Response {
    let l = viewer.lang;
    let r: Result<String, WebError> = async {
        viewer.require(Action::RunVotes)?;
        let d = state
            .app
            .vote_detail(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, l))?;
        let base = origin(&headers);
        let mut cards = Vec::new();
        for b in d.ballots.iter().filter(|b| !b.cast && !b.token.is_empty()) {
            let link = ballot_link(&base, &b.token);
            cards.push(QrCard {
                label: format!("{}（{}）", b.unit, m2(b.area_centi)),
                qr: qr_svg(&link, 150)?,
                link,
                used: None,
            });
        }
        let v = &d.vote;
        let sheet = QrSheet {
            html_lang: if l == Lang::En { "en" } else { "zh-CN" },
            title: format!("{} · {}", v.compound, v.matter.label(l)),
            subtitle: match l {
                Lang::Zh => format!(
                    "表决编号 {}：{}。表决期间 {} 至 {}；每户一码，用手机相机或微信扫码投票，每个二维码只能投一次。未投票 {} 户。",
                    v.id,
                    v.question,
                    v.opens_on,
                    v.closes_on,
                    cards.len()
                ),
                Lang::En => format!(
                    "Vote no. {}: {}. Voting {} to {}; one code per household, scan with a phone; each code votes once. {} not yet voted.",
                    v.id,
                    v.question,
                    v.opens_on,
                    v.closes_on,
                    cards.len()
                ),
            },
            cards,
            footer: l
                .pick(
                    "请剪下后发给对应房号的业主；二维码即是凭证，请勿复印或转交他人。",
                    "Cut out and hand to the owner of the unit; the code is the credential.",
                )
                .to_string(),
        };
        Ok(sheet.render()?)
    }
    .await;
    match r {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

#[derive(Template)]
#[template(path = "vote_result.html")]
struct ResultSheet {
    html_lang: &'static str,
    l: Lang,
    title: String,
    question: String,
    facts: Vec<(&'static str, String)>,
    participation: Vec<(String, bool)>,
    majority: &'static str,
    lines: Vec<Line>,
    outcome: String,
    printed: String,
}

/// The result sheet for public display (公示): figures only, never who voted how.
async fn result_sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<VoteId>,
) -> Response {
    let l = viewer.lang;
    let r: Result<String, WebError> = async {
        let d = state
            .app
            .vote_detail(&viewer.principal(), id)
            .await
            .map_err(|e| WebError::app(e, l))?;
        result_html(&d.vote, l, &state.app.today().to_string())
    }
    .await;
    match r {
        Ok(h) => Html(h).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

fn result_html(v: &VoteRecord, l: Lang, today: &str) -> Result<String, WebError> {
    let (lines, outcome) = match &v.result {
        Some(c) => result_lines(v, c, l),
        None => (
            Vec::new(),
            l.pick("表决进行中，尚未计票", "Voting is open; not yet counted")
                .to_string(),
        ),
    };
    Ok(ResultSheet {
        html_lang: if l == Lang::En { "en" } else { "zh-CN" },
        l,
        title: format!(
            "{} {}",
            v.compound,
            l.pick("业主共同决定事项表决结果公示", "owners' vote: result")
        ),
        question: v.question.clone(),
        facts: vec![
            (l.pick("表决事项", "Matter"), v.matter.label(l).to_string()),
            (
                l.pick("表决期间", "Voting days"),
                format!("{} – {}", v.opens_on, v.closes_on),
            ),
            (
                l.pick("计票日期", "Counted on"),
                v.closed_on.map_or_else(|| "—".into(), |d| d.to_string()),
            ),
            (
                l.pick("业主总数 / 专有部分总面积", "Owners / exclusive area"),
                format!(
                    "{} {} / {}",
                    v.owners,
                    l.pick("户", "households"),
                    m2(v.area_centi)
                ),
            ),
        ],
        participation: participation(v, l),
        majority: majority_text(v.matter, l),
        lines,
        outcome,
        printed: today.to_string(),
    }
    .render()?)
}

// ---------------------------------------------------------------------------------------------
// The resident's ballot

#[derive(serde::Deserialize, Default)]
struct LangQ {
    lang: Option<String>,
}

impl LangQ {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "resident_vote.html")]
struct BallotPage {
    html_lang: &'static str,
    l: Lang,
    compound: String,
    matter: String,
    question: String,
    unit: String,
    area: String,
    days: String,
    choices: Vec<(String, String, bool)>,
    show_form: bool,
    message: Option<String>,
    ok: bool,
    action: String,
    other_lang_link: String,
    result: Option<String>,
}

async fn ballot_view(
    state: &AppState,
    token: &str,
    l: Lang,
    chosen: &str,
) -> Result<Result<BallotPage, Response>, WebError> {
    let Some(tb) = state.app.vote_by_token(token).await? else {
        return Ok(Err((
            StatusCode::NOT_FOUND,
            Html(l.pick(
                "表决链接无效，请核对链接或二维码",
                "This voting link is not valid; please check the link or QR code",
            )),
        )
            .into_response()));
    };
    let v = &tb.vote;
    let today = state.app.today();
    let message = if tb.cast {
        Some(l.pick(
            "本户已经投过票，每户只能投一次。感谢您的参与！",
            "This household has voted: one ballot per household. Thank you!",
        ))
    } else if v.status == VoteStatus::Closed || today > v.closes_on {
        Some(l.pick("表决已结束，不能再投票。", "Voting is closed."))
    } else if today < v.opens_on {
        Some(l.pick("表决尚未开始。", "Voting has not opened yet."))
    } else {
        None
    };
    let result = v.result.as_ref().map(|c| result_lines(v, c, l).1);
    let suffix = if l == Lang::En { "?lang=en" } else { "" };
    Ok(Ok(BallotPage {
        html_lang: if l == Lang::En { "en" } else { "zh-CN" },
        l,
        compound: v.compound.clone(),
        matter: v.matter.label(l).to_string(),
        question: v.question.clone(),
        unit: tb.unit.clone(),
        area: m2(tb.area_centi),
        days: format!("{} – {}", v.opens_on, v.closes_on),
        choices: choice_values(v, l)
            .into_iter()
            .map(|(val, label)| {
                let c = val == chosen;
                (val, label, c)
            })
            .collect(),
        show_form: message.is_none(),
        message: message.map(str::to_string),
        ok: false,
        action: format!("/v/{token}{suffix}"),
        other_lang_link: format!("/v/{token}{}", if l == Lang::En { "" } else { "?lang=en" }),
        result,
    }))
}

async fn ballot_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQ>,
) -> Result<Response, WebError> {
    Ok(match ballot_view(&state, &token, q.lang(), "").await? {
        Ok(p) => (StatusCode::OK, Html(p.render()?)).into_response(),
        Err(r) => r,
    })
}

async fn cast(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQ>,
    body: Bytes,
) -> Result<Response, WebError> {
    let l = q.lang();
    let f = Fields::parse(&body);
    let chosen = f.get("choice");
    let mut page = match ballot_view(&state, &token, l, &chosen).await? {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let Some(says) = parse_choice(&chosen) else {
        page.message = Some(l.pick("请选择您的表决意见", "Please choose").to_string());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    };
    match state.app.cast_ballot(&token, says).await {
        Ok(()) => {
            page.show_form = false;
            page.ok = true;
            page.message = Some(
                l.pick(
                    "投票成功，感谢您的参与！计票结果将在小区公示。",
                    "Your ballot is recorded. Thank you! The result will be posted in the compound.",
                )
                .to_string(),
            );
            Ok((StatusCode::OK, Html(page.render()?)).into_response())
        }
        Err(e) => {
            page.message = Some(e.message(l));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}
