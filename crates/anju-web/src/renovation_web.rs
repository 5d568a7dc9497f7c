//! 老旧小区改造 and 核定收费标准 in the browser (issue 19 items 4 and 5): a compound's renovation
//! projects and the form that records one; one project's page — its milestones and their
//! corrections, the checks of seed 002 六 with the clause each reads, the formal entry the
//! service term runs from, the 三承诺 shares and the households, the phone form for one household
//! and the questionnaire upload —; and the compound's approved fee standards with the contracts
//! charging above them. Every rule is the application layer's (`anju_app::renovation`). One
//! column, for a phone.

use crate::auth::Viewer;
use crate::page::{
    Chrome, Fields, Refusal, action_guard, app_refusal, done, html_error, opt_date,
    parse_date_field, read_multipart, respond, status_of, visible_compound, with_lang,
};
use crate::{AppState, WebError};
use anju_app::renovation::{
    CommitmentInput, FeeStandardInput, RenovationDateInput, RenovationDetail, RenovationInput,
};
use anju_core::access::{Action, can};
use anju_core::contract::Fees;
use anju_core::ids::{CompoundId, RenovationId};
use anju_core::renovation::{Commitment, Commitments, Milestone, per_sqm_month};
use anju_core::{Fen, Lang};
use anju_sheets::{FileKind, LedgerError};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

/// The largest questionnaire sheet taken (a compound's households fit many times over).
const SHEET_MAX_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compounds/{id}/renovation", get(list).post(start))
        .route("/renovations/{id}", get(show))
        .route("/renovations/{id}/date", post(date))
        .route("/renovations/{id}/households", post(household))
        .route(
            "/renovations/{id}/import",
            post(import).layer(DefaultBodyLimit::max(SHEET_MAX_BYTES + 64 * 1024)),
        )
        .route("/compounds/{id}/fee-standards", get(fee_list).post(fee_add))
}

fn dash(d: Option<jiff::civil::Date>) -> String {
    d.map_or_else(|| "—".into(), |d| d.to_string())
}

/// "12 户（全部三项）/ 40 户 = 30.00 %" and the count of each commitment.
fn share_lines(d: &RenovationDetail, l: Lang) -> (String, Vec<(String, String)>) {
    let s = &d.share;
    let head = match (&s.all_three_percent, l) {
        (Some(p), Lang::Zh) => format!(
            "三项全部承诺 {} 户 ÷ 台账户数 {} 户 = {p}（已登记 {} 户）",
            s.all_three, s.households, s.answered
        ),
        (Some(p), Lang::En) => format!(
            "all three: {} of the ledger's {} households = {p} ({} answered)",
            s.all_three, s.households, s.answered
        ),
        (None, Lang::Zh) => format!(
            "三项全部承诺 {} 户（已登记 {} 户）；台账未填户数，无法计算比例",
            s.all_three, s.answered
        ),
        (None, Lang::En) => format!(
            "all three: {} households ({} answered); the ledger has no household count",
            s.all_three, s.answered
        ),
    };
    let each = Commitment::ALL
        .iter()
        .map(|c| {
            let n = s.count(*c);
            let p = anju_core::renovation::percent_text(n, s.households)
                .map(|p| format!("（{p}）"))
                .unwrap_or_default();
            (
                c.label(l).to_string(),
                format!("{n} {}{p}", l.pick("户", "households")),
            )
        })
        .collect();
    (head, each)
}

// ---------------------------------------------------------------------------------------------
// A compound's projects

#[derive(Template)]
#[template(path = "renovations.html")]
struct ListPage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    fees_link: String,
    /// (link, name, dates, warnings)
    projects: Vec<(String, String, String, usize)>,
    may_start: bool,
    action: String,
    name: String,
    procedures_on: String,
    construction_on: String,
    acceptance_on: String,
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
    let who = viewer.principal();
    let list = state
        .app
        .renovations(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let mut projects = Vec::new();
    for p in list {
        let d = state
            .app
            .renovation_detail(&who, RenovationId(p.id))
            .await
            .map_err(|e| WebError::app(e, l))?;
        projects.push((
            with_lang(&format!("/renovations/{}", p.id), l),
            p.name.clone(),
            format!(
                "{} {} · {} {} · {} {}",
                Milestone::Procedures.label(l),
                dash(p.procedures_on),
                Milestone::Construction.label(l),
                dash(p.construction_on),
                Milestone::Acceptance.label(l),
                dash(p.acceptance_on)
            ),
            d.gaps.len(),
        ));
    }
    let page = ListPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {}",
                c.compound.name,
                l.pick("老旧小区改造", "Renovation")
            ),
            &format!("/compounds/{id}/renovation"),
        ),
        compound: c.compound.name.clone(),
        compound_link: with_lang(&format!("/compounds/{id}"), l),
        fees_link: with_lang(&format!("/compounds/{id}/fee-standards"), l),
        projects,
        may_start: can(viewer.role, Action::ManageRenovation),
        action: with_lang(&format!("/compounds/{id}/renovation"), l),
        name: f.get("name"),
        procedures_on: f.get("procedures_on"),
        construction_on: f.get("construction_on"),
        acceptance_on: f.get("acceptance_on"),
        note: f.get("note"),
        today: state.app.today().to_string(),
        error: error.clone(),
    };
    Ok((status_of(&error), page.render()?))
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
        Action::ManageRenovation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<String, Refusal> = async {
        let d = |k: &str, zh: &str, en: &str| opt_date(&f.get(k), zh, en, l);
        let p = state
            .app
            .start_renovation(
                &viewer.principal(),
                RenovationInput {
                    compound_id: id,
                    name: f.get("name"),
                    procedures_on: d("procedures_on", "手续办理日期", "procedures begun")?,
                    construction_on: d("construction_on", "施工进场日期", "construction start")?,
                    acceptance_on: d("acceptance_on", "竣工验收日期", "acceptance")?,
                    note: Some(f.get("note")),
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(with_lang(&format!("/renovations/{}", p.id), l))
    }
    .await;
    done(&state, &viewer, result, async |m| {
        list_page(&state, &viewer, id, f, Some(m)).await
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// One project

#[derive(Template)]
#[template(path = "renovation.html")]
struct ShowPage {
    chrome: Chrome,
    compound: String,
    list_link: String,
    fees_link: String,
    name: String,
    note: String,
    /// (label, date)
    milestones: Vec<(String, String)>,
    /// (breach?, text, clause)
    gaps: Vec<(bool, String, String)>,
    entry: String,
    early: Vec<String>,
    share_head: String,
    share_each: Vec<(String, String)>,
    /// (house, owner, three answers as text, answered again?)
    households: Vec<(String, String, Vec<String>, bool)>,
    /// (milestone, old, new, reason, who, when)
    changes: Vec<(String, String, String, String, String, String)>,
    may_write: bool,
    version: i64,
    date_action: String,
    household_action: String,
    import_action: String,
    /// (code, label, chosen)
    milestone_options: Vec<(String, String, bool)>,
    kept_date: String,
    kept_reason: String,
    house: String,
    owner: String,
    /// (field, label, checked)
    commitments: Vec<(String, String, bool)>,
    today: String,
    error: Option<String>,
    /// Where the refusal belongs: "date", "household" or "import".
    error_at: String,
    notice: Option<String>,
    problems: Vec<String>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "the page's parts, each named at the call"
)]
async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    id: RenovationId,
    f: Fields,
    error: Option<String>,
    error_at: &str,
    notice: Option<String>,
    problems: Vec<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let d = state
        .app
        .renovation_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let p = &d.project;
    let milestones = Milestone::ALL
        .iter()
        .map(|m| (m.label(l).to_string(), dash(p.milestones().get(*m))))
        .collect();
    let gaps = d
        .gaps
        .iter()
        .map(|g| {
            let what = match l {
                Lang::Zh => format!(
                    "{}（自 {} 起）{}",
                    g.gap.label(l),
                    g.since,
                    if g.required {
                        ""
                    } else {
                        "；方案为“鼓励”，作提醒"
                    }
                ),
                Lang::En => format!(
                    "{} (since {}){}",
                    g.gap.label(l),
                    g.since,
                    if g.required {
                        ""
                    } else {
                        "; the plan encourages it: a reminder"
                    }
                ),
            };
            (g.required, what, format!("{}：“{}”", g.clause, g.words))
        })
        .collect();
    let entry = match (d.entry_on, l) {
        (Some(e), Lang::Zh) => format!(
            "物业服务期限自物业服务企业正式进驻之日起算（二七区实施方案 六（一））：正式进场 {e}"
        ),
        (Some(e), Lang::En) => {
            format!("the service term runs from the formal entry (seed 002 六（一）): entered {e}")
        }
        (None, Lang::Zh) => {
            "物业服务期限自正式进驻之日起算（二七区实施方案 六（一））：尚未记录正式进场".into()
        }
        (None, Lang::En) => "the service term runs from the formal entry: none recorded yet".into(),
    };
    let early = d
        .early_terms
        .iter()
        .map(|t| match l {
            Lang::Zh => format!(
                "与 {} 的合同期限自 {} 起算，早于正式进场日 {}",
                t.company,
                t.term_start,
                dash(d.entry_on)
            ),
            Lang::En => format!(
                "the contract with {} counts its term from {}, before the formal entry {}",
                t.company,
                t.term_start,
                dash(d.entry_on)
            ),
        })
        .collect();
    let (share_head, share_each) = share_lines(&d, l);
    let yes_no = |b: bool| l.pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" });
    let households = d
        .households
        .iter()
        .map(|h| {
            (
                h.house.clone(),
                h.owner.clone().unwrap_or_default(),
                Commitment::ALL
                    .iter()
                    .map(|c| yes_no(h.commitments.get(*c)).to_string())
                    .collect(),
                h.version > 1,
            )
        })
        .collect();
    let changes = d
        .changes
        .iter()
        .map(|c| {
            (
                c.milestone.label(l).to_string(),
                dash(c.old_on),
                c.new_on.to_string(),
                c.reason.clone().unwrap_or_default(),
                c.actor.clone(),
                crate::page::beijing_time(c.at, l),
            )
        })
        .collect();
    // What was sent, or the first milestone not yet recorded.
    let kept_m = Some(f.get("milestone"))
        .filter(|m| !m.is_empty())
        .or_else(|| {
            Milestone::ALL
                .iter()
                .find(|m| p.milestones().get(**m).is_none())
                .map(|m| m.code().to_string())
        })
        .unwrap_or_default();
    let milestone_options = Milestone::ALL
        .iter()
        .map(|m| {
            let recorded = p.milestones().get(*m);
            let label = match (recorded, l) {
                (Some(x), Lang::Zh) => format!("{}（更正，现为 {x}）", m.label(l)),
                (Some(x), Lang::En) => format!("{} (correct {x})", m.label(l)),
                (None, _) => m.label(l).to_string(),
            };
            (m.code().to_string(), label, m.code() == kept_m)
        })
        .collect();
    let kept = error_at == "household";
    let commitments = Commitment::ALL
        .iter()
        .map(|c| {
            (
                c.code().to_string(),
                c.label(l).to_string(),
                kept && f.get(c.code()) == "1",
            )
        })
        .collect();
    let today = state.app.today().to_string();
    let page = ShowPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {}", p.compound, p.name),
            &format!("/renovations/{id}"),
        ),
        compound: p.compound.clone(),
        list_link: with_lang(&format!("/compounds/{}/renovation", p.compound_id), l),
        fees_link: with_lang(&format!("/compounds/{}/fee-standards", p.compound_id), l),
        name: p.name.clone(),
        note: p.note.clone().unwrap_or_default(),
        milestones,
        gaps,
        entry,
        early,
        share_head,
        share_each,
        households,
        changes,
        may_write: d.may_write && viewer.role != anju_core::access::Role::Auditor,
        version: p.version,
        date_action: with_lang(&format!("/renovations/{id}/date"), l),
        household_action: with_lang(&format!("/renovations/{id}/households"), l),
        import_action: with_lang(&format!("/renovations/{id}/import"), l),
        milestone_options,
        kept_date: Some(f.get("date"))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| today.clone()),
        kept_reason: f.get("reason"),
        house: if kept { f.get("house") } else { String::new() },
        owner: if kept { f.get("owner") } else { String::new() },
        commitments,
        today,
        error: error.clone(),
        error_at: error_at.to_string(),
        notice,
        problems,
    };
    Ok((status_of(&error), page.render()?))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<RenovationId>,
) -> Response {
    let r = show_page(
        &state,
        &viewer,
        id,
        Fields::default(),
        None,
        "",
        None,
        Vec::new(),
    )
    .await;
    respond(&state, &viewer, r)
}

async fn date(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<RenovationId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageRenovation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<String, Refusal> = async {
        let version =
            anju_app::check::version(Some(&f.get("version"))).map_err(|e| app_refusal(e, l))?;
        let milestone = Milestone::from_code(&f.get("milestone")).ok_or_else(|| {
            Refusal::Form(l.pick("节点：请选择", "milestone: choose one").to_string())
        })?;
        let on = parse_date_field(state.app.today(), &f.get("date"), "节点日期", "date", l)
            .map_err(Refusal::Form)?;
        state
            .app
            .renovation_date(
                &viewer.principal(),
                id,
                RenovationDateInput {
                    milestone,
                    on,
                    reason: Some(f.get("reason")),
                    version,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(with_lang(&format!("/renovations/{id}"), l))
    }
    .await;
    done(&state, &viewer, result, async |m| {
        show_page(&state, &viewer, id, f, Some(m), "date", None, Vec::new()).await
    })
    .await
}

async fn household(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<RenovationId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = viewer.lang;
    let f = Fields::parse(&body);
    if let Err(e) = action_guard(
        &viewer,
        Action::ManageRenovation,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<String, Refusal> = async {
        let yes = |k: &str| f.get(k) == "1";
        state
            .app
            .answer_commitments(
                &viewer.principal(),
                id,
                CommitmentInput {
                    house: f.get("house"),
                    owner: Some(f.get("owner")),
                    commitments: Commitments {
                        demolish: yes(Commitment::Demolish.code()),
                        maintenance_fund: yes(Commitment::MaintenanceFund.code()),
                        repair_fees: yes(Commitment::RepairFees.code()),
                    },
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(with_lang(&format!("/renovations/{id}#households"), l))
    }
    .await;
    done(&state, &viewer, result, async |m| {
        show_page(
            &state,
            &viewer,
            id,
            f,
            Some(m),
            "household",
            None,
            Vec::new(),
        )
        .await
    })
    .await
}

async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<RenovationId>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    let (fields, files) = match read_multipart(mp, l).await {
        Ok(x) => x,
        Err(m) => {
            return html_error(&state, &viewer, WebError::BadRequest(m));
        }
    };
    let csrf = crate::page::field(&fields, "csrf");
    if let Err(e) = action_guard(&viewer, Action::ManageRenovation, &headers, Some(&csrf)) {
        return html_error(&state, &viewer, e);
    }
    let again = |m: String, problems: Vec<String>| {
        let state = state.clone();
        let viewer = viewer.clone();
        async move {
            respond(
                &state,
                &viewer,
                show_page(
                    &state,
                    &viewer,
                    id,
                    Fields::default(),
                    Some(m),
                    "import",
                    None,
                    problems,
                )
                .await,
            )
        }
    };
    let Some((_, name, bytes)) = files.into_iter().next() else {
        return again(
            l.pick("问卷表：请选择文件", "questionnaire: choose a file")
                .to_string(),
            Vec::new(),
        )
        .await;
    };
    let kind = match FileKind::from_path(std::path::Path::new(&name)) {
        Ok(k) => k,
        Err(e) => return again(e.render(l), Vec::new()).await,
    };
    let read =
        tokio::task::spawn_blocking(move || anju_sheets::read_commitment_sheet_bytes(&bytes, kind))
            .await;
    let rows = match read {
        Ok(Ok(rows)) => rows,
        Ok(Err(LedgerError::Problems(ps))) => {
            let list = ps.iter().map(|p| p.render(l)).collect();
            return again(
                match l {
                    Lang::Zh => format!("问卷表有 {} 处问题，未导入任何数据", ps.len()),
                    Lang::En => format!("{} problems; nothing was imported", ps.len()),
                },
                list,
            )
            .await;
        }
        Ok(Err(e)) => return again(e.render(l), Vec::new()).await,
        Err(_) => {
            return again(
                l.pick(
                    "问卷表：文件结构已损坏",
                    "questionnaire: the file is damaged",
                )
                .to_string(),
                Vec::new(),
            )
            .await;
        }
    };
    match state
        .app
        .import_commitments(&viewer.principal(), id, &rows)
        .await
    {
        Ok(Ok(w)) => {
            let notice = match l {
                Lang::Zh => format!(
                    "“{name}”已导入：新增 {} 户，更新 {} 户。",
                    w.added, w.updated
                ),
                Lang::En => format!(
                    "'{name}' imported: {} households added, {} updated.",
                    w.added, w.updated
                ),
            };
            respond(
                &state,
                &viewer,
                show_page(
                    &state,
                    &viewer,
                    id,
                    Fields::default(),
                    None,
                    "",
                    Some(notice),
                    Vec::new(),
                )
                .await,
            )
        }
        Ok(Err(problems)) => {
            let list: Vec<String> = problems
                .into_iter()
                .map(|(_, zh, en)| l.pick(&zh, &en).to_string())
                .collect();
            again(
                match l {
                    Lang::Zh => format!("问卷表有 {} 处问题，未导入任何数据", list.len()),
                    Lang::En => format!("{} problems; nothing was imported", list.len()),
                },
                list,
            )
            .await
        }
        Err(e) => match app_refusal(e, l) {
            Refusal::Form(m) => again(m, Vec::new()).await,
            Refusal::Fail(e) => html_error(&state, &viewer, e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// 核定收费标准

/// One approval as the page lists it.
struct StandardRow {
    in_force: bool,
    multi: String,
    high: String,
    doc: String,
    on: String,
    dept: String,
    note: String,
    by: String,
}

#[derive(Template)]
#[template(path = "fee_standards.html")]
struct FeePage {
    chrome: Chrome,
    compound: String,
    compound_link: String,
    renovation_link: String,
    standards: Vec<StandardRow>,
    /// (company, signed, doc, [excess text])
    above: Vec<(String, String, String, Vec<String>)>,
    may_write: bool,
    action: String,
    multi: String,
    high: String,
    doc_no: String,
    approved_on: String,
    department: String,
    note: String,
    today: String,
    error: Option<String>,
}

async fn fee_page(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    f: Fields,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let c = visible_compound(state, viewer, id).await?;
    let v = state
        .app
        .fee_standards(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let rate = |x: Option<Fen>| x.map_or_else(|| "—".into(), per_sqm_month);
    let standards = v
        .standards
        .iter()
        .map(|s| StandardRow {
            in_force: v.in_force_id == Some(s.id),
            multi: rate(s.fees.multi),
            high: rate(s.fees.high),
            doc: s.doc_no.clone(),
            on: s.approved_on.to_string(),
            dept: s.department.clone(),
            note: s.note.clone().unwrap_or_default(),
            by: s.actor.clone(),
        })
        .collect();
    let above = v
        .above
        .iter()
        .map(|k| {
            (
                k.company.clone(),
                k.signed_on.to_string(),
                k.doc_no.clone(),
                k.above.iter().map(|x| x.text.clone()).collect(),
            )
        })
        .collect();
    let today = state.app.today().to_string();
    let page = FeePage {
        chrome: Chrome::new(
            state,
            viewer,
            format!(
                "{} · {}",
                c.compound.name,
                l.pick("核定收费标准", "Approved fee standard")
            ),
            &format!("/compounds/{id}/fee-standards"),
        ),
        compound: c.compound.name.clone(),
        compound_link: with_lang(&format!("/compounds/{id}"), l),
        renovation_link: with_lang(&format!("/compounds/{id}/renovation"), l),
        standards,
        above,
        may_write: v.may_write && viewer.role != anju_core::access::Role::Auditor,
        action: with_lang(&format!("/compounds/{id}/fee-standards"), l),
        multi: f.get("multi"),
        high: f.get("high"),
        doc_no: f.get("doc_no"),
        approved_on: Some(f.get("approved_on"))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| today.clone()),
        department: Some(f.get("department"))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| l.pick("区发改局", "区发改局").to_string()),
        note: f.get("note"),
        today,
        error: error.clone(),
    };
    Ok((status_of(&error), page.render()?))
}

async fn fee_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    let r = fee_page(&state, &viewer, id, Fields::default(), None).await;
    respond(&state, &viewer, r)
}

/// A rate typed in yuan (1.20), blank for none.
fn yuan(v: &str, zh: &str, en: &str, l: Lang) -> Result<Option<Fen>, Refusal> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    Fen::parse_yuan(v).map(Some).map_err(|_| {
        Refusal::Form(match l {
            Lang::Zh => format!("{zh}：“{v}”不是有效金额（以元为单位，如 1.20）"),
            Lang::En => format!("{en}: '{v}' is not an amount in yuan (e.g. 1.20)"),
        })
    })
}

async fn fee_add(
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
        Action::SetFeeStandards,
        &headers,
        Some(&f.get("csrf")),
    ) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<String, Refusal> = async {
        let approved_on = parse_date_field(
            state.app.today(),
            &f.get("approved_on"),
            "核定日期",
            "approved on",
            l,
        )
        .map_err(Refusal::Form)?;
        state
            .app
            .add_fee_standard(
                &viewer.principal(),
                FeeStandardInput {
                    compound_id: id,
                    fees: Fees {
                        multi: yuan(&f.get("multi"), "多层核定标准", "multi-storey", l)?,
                        high: yuan(&f.get("high"), "高层核定标准", "high-rise", l)?,
                    },
                    doc_no: f.get("doc_no"),
                    approved_on,
                    department: f.get("department"),
                    note: Some(f.get("note")),
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(with_lang(&format!("/compounds/{id}/fee-standards"), l))
    }
    .await;
    done(&state, &viewer, result, async |m| {
        fee_page(&state, &viewer, id, f, Some(m)).await
    })
    .await
}
