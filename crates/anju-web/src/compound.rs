//! 小区页面 — one compound: its ledger facts, the path to coverage (timeline with evidence), the
//! contract and its filing deadline, oversight (assessments, patrols, rectification orders,
//! complaints, surveys), fees and public accounts, the audit history, and the forms the
//! viewer's role may use (advance the path with evidence, file or terminate the contract,
//! correct a recorded step: `/compounds/{id}/steps/{step}/correct`, 更正, where the superseded
//! step stays in the timeline struck through with the correction's reason, who and when).
//!
//! Also `/evidence/{sha256}`, served only through a compound the viewer may see. The page frame
//! and the error page are `crate::page`'s.
//!
//! Every page calls the same store functions as the CLI (`anju compound show|advance|correct`,
//! `anju contract file|terminate`). Every POST checks the role, the compound's scope and the
//! CSRF token before anything is written; a refused form comes back with the field named and
//! what was typed kept.

use crate::page::{
    Chrome, Refusal, app_refusal, form_guard, html_error, parse_date_field, visible_compound,
    with_lang,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{
    AssessmentFilter, ComplaintFilter, EVIDENCE_MAX_BYTES, EvidenceDir, OrderFilter, StoreError,
};
use anju_core::access::Action;
use anju_core::lifecycle::{Event, ExitKind, Stage, transition};
use anju_core::{Area, Fen, InfraKind, Lang, ManagementMode, OwnersBody};
use anju_core::{CompanyId, CompoundId, ContractId, StepId};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, Form, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compounds/find", get(find_compound))
        .route("/compounds/{id}", get(compound_page))
        .route(
            "/compounds/{id}/advance",
            // Three files at the store's limit, plus the form fields.
            post(advance).layer(DefaultBodyLimit::max(3 * EVIDENCE_MAX_BYTES + 64 * 1024)),
        )
        .route(
            "/compounds/{id}/steps/{step}/correct",
            get(correct_page).post(correct_step),
        )
        .route("/compounds/{id}/file", post(file_contract))
        .route("/compounds/{id}/evaluators", post(commission_evaluator))
        .route("/compounds/{id}/sign", post(sign_contract))
        .route("/compounds/{id}/terminate", post(terminate_contract))
        .route("/compounds/{id}/dismissal", post(record_dismissal))
        .route("/evidence/{sha256}", get(evidence_file))
}

fn dash() -> String {
    "—".to_string()
}

fn opt_text(v: Option<&str>) -> String {
    v.filter(|s| !s.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(dash)
}

fn yes_no(b: bool, l: Lang) -> String {
    l.pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" })
        .to_string()
}

fn count(v: Option<u32>) -> String {
    v.map(|n| anju_core::money::group_thousands(u64::from(n)))
        .unwrap_or_else(dash)
}

fn area(v: Option<Area>) -> String {
    v.map(Area::display_m2).unwrap_or_else(dash)
}

fn infra_text(i: &anju_core::Infrastructure, l: Lang) -> String {
    if i.is_empty() {
        return dash();
    }
    InfraKind::ALL
        .iter()
        .filter(|k| i.get(**k) > 0)
        .map(|k| format!("{} {}", l.pick(k.zh(), k.en()), i.get(*k)))
        .collect::<Vec<_>>()
        .join(l.pick("、", ", "))
}

// ---------------------------------------------------------------------------------------------
// The compound page

struct Opt {
    value: String,
    label: String,
    selected: bool,
}

fn opts<I: IntoIterator<Item = (String, String)>>(items: I, selected: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

struct StepView {
    id: i64,
    /// "已更正 …": the correction that superseded this step (struck through on the page).
    superseded: Option<String>,
    /// "更正记录 …": this record re-dates an earlier step.
    correcting: Option<String>,
    /// The correction form, for a step in force and a role that may correct.
    correct_link: Option<String>,
    date: String,
    from: String,
    to: String,
    event: String,
    actor: String,
    note: String,
    evidence: Vec<crate::page::EvidenceLink>,
}

struct ContractView {
    id: i64,
    version: i64,
    company: String,
    company_link: String,
    signer: String,
    signed_on: String,
    entry_on: String,
    term: String,
    term_last_day: String,
    level: String,
    fee_multi: String,
    fee_high: String,
    served_area: String,
    notice_on: String,
    filing: String,
    filing_overdue: bool,
    filed: bool,
    active: bool,
    status: String,
    /// The owners' dismissal surveys recorded against it, in words.
    surveys: Vec<String>,
    /// The dismissal-survey form's values: what was typed into this contract's form when it
    /// was refused, else the households of the contract's compounds and today.
    survey: SurveyKept,
}

/// The dismissal-survey form of one contract, as shown.
#[derive(Default)]
struct SurveyKept {
    /// The form was posted and refused: shown open.
    open: bool,
    owners: String,
    respondents: String,
    dissatisfied: String,
    date: String,
    note: String,
}

struct Line {
    cells: Vec<String>,
    hot: bool,
    /// Where the row's first cell leads (the record's own page), when it has one.
    link: Option<String>,
}

/// What the viewer typed into the advance form, kept when it is refused.
#[derive(Debug, Default, Clone)]
struct AdvanceInput {
    to: String,
    date: String,
    mode: String,
    body: String,
    company: String,
    note: String,
    version: String,
    /// Evidence stored by an earlier, refused attempt (SHA-256).
    kept: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ContractForm {
    csrf: Option<String>,
    contract_id: Option<String>,
    version: Option<String>,
    date: Option<String>,
    kind: Option<String>,
    reason: Option<String>,
    /// 解聘表决: 业主总数, 参与调查人数, 不满意人数, 说明.
    owners: Option<String>,
    respondents: Option<String>,
    dissatisfied: Option<String>,
    note: Option<String>,
}

/// What a contract form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContractOp {
    File,
    Terminate,
    /// Records the owners' dismissal survey (解聘表决结果).
    Dismissal,
}

/// One dismissal survey, as the compound page lists it.
fn dismissal_text(p: &anju_app::model::DismissalProposal, l: Lang) -> String {
    let s = &p.survey;
    let pct = s.dissatisfied_percent();
    let note = p
        .note
        .as_deref()
        .map(|n| format!("；{n}"))
        .unwrap_or_default();
    match (l, p.raised) {
        (Lang::Zh, true) => format!(
            "{}：参与 {}/{} 户，不满意 {} 户（占业主 {pct}%），超过50%：已提出解聘提议，业主组织可据此解除合同{note}",
            p.surveyed_on, s.respondents, s.owners, s.dissatisfied
        ),
        (Lang::Zh, false) => format!(
            "{}：参与 {}/{} 户，不满意 {} 户（占业主 {pct}%），未超过50%：不构成解聘条件{note}",
            p.surveyed_on, s.respondents, s.owners, s.dissatisfied
        ),
        (Lang::En, raised) => format!(
            "{}: {}/{} owners took part, {} dissatisfied ({pct}% of owners): {}{note}",
            p.surveyed_on,
            s.respondents,
            s.owners,
            s.dissatisfied,
            if raised {
                "more than 50 %, a dismissal proposal is raised"
            } else {
                "not more than 50 %, no dismissal"
            }
        ),
    }
}

/// The contract-signing form: the selected company and the signers to choose from.
struct SignFormView {
    action: String,
    company: String,
    signers: Vec<(&'static str, &'static str)>,
    today: String,
}

/// Which form an error belongs to.
#[derive(Default)]
struct Problems {
    advance: Option<String>,
    contract: Option<String>,
    evaluator: Option<String>,
}

#[derive(Template)]
#[template(path = "compound.html")]
struct CompoundPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    facts: Vec<(&'static str, String)>,
    stage: String,
    lc_version: i64,
    timeline: Vec<StepView>,
    contracts: Vec<ContractView>,
    assessments: Vec<Line>,
    patrols: Vec<Line>,
    orders: Vec<Line>,
    complaints: Vec<Line>,
    surveys: Vec<Line>,
    fees: Vec<Line>,
    fee_summary: String,
    accounts: Vec<Line>,
    audit: Option<Vec<Line>>,
    /// The subsidy lines with their explanations (crate::funding), already HTML.
    subsidies: String,
    /// Links to enter an assessment or a patrol here, for the roles that may.
    new_assessment: Option<String>,
    /// The form to open a survey, for those who may.
    new_survey: Option<String>,
    /// The contract form, when the path waits for a contract and the viewer may sign one.
    sign_form: Option<SignFormView>,
    /// The third-party evaluators commissioned for the compound.
    evaluators: Vec<String>,
    /// For a reviewer: the evaluators one may commission, and the form's action.
    commission: Option<(String, Vec<String>)>,
    new_patrol: Option<String>,
    /// 吹哨 about this compound, for those who may refer.
    new_referral: Option<String>,
    can_advance: bool,
    next_steps: Vec<Opt>,
    modes: Vec<Opt>,
    bodies: Vec<Opt>,
    companies: Vec<Opt>,
    can_contract: bool,
    /// 修改台账信息: the link to the row's form.
    edit_link: Option<String>,
    /// 管理方式沿革.
    modes_link: String,
    /// 业委会经费分成.
    share_link: String,
    bodies_link: String,
    party_link: String,
    /// 老旧小区改造 and 核定收费标准.
    renovation_link: String,
    fees_link: String,
    /// The latest renovation project's 三承诺 share and its alerts, when there is one.
    renovation_summary: Option<String>,
    /// Active contracts charging above the approved standard (合同收费高于核定标准).
    fee_warnings: Vec<String>,
    votes_link: String,
    fund_link: String,
    /// 登记物业费收缴 and 收支公示记账: the links for the roles that enter them.
    money_links: Option<(String, String)>,
    /// 按户收缴明细, for everyone who reads the compound.
    households_link: String,
    exit_kinds: Vec<Opt>,
    input: AdvanceInput,
    contract_input: ContractForm,
    problems: Problems,
    today: String,
    max_mib: usize,
    advance_action: String,
    file_action: String,
    terminate_action: String,
    dismissal_action: String,
}

/// The events a step form may send, by code, with what they need.
const STEP_CODES: [&str; 8] = [
    "consult",
    "decide_mode",
    "settle_owners",
    "select_company",
    "start_trial",
    "enter",
    "start_service",
    "exit",
];

fn step_label(code: &str, l: Lang) -> String {
    let e = probe_event(code);
    match e {
        Some(e) => {
            let stage = match code {
                "exit" => l.pick("退出（回到待选聘）", "exit (back to selection)"),
                _ => target_stage(code).map(|s| s.label(l)).unwrap_or(""),
            };
            format!("{} → {stage}", l.pick(e.zh(), e.en()))
        }
        None => code.to_string(),
    }
}

fn target_stage(code: &str) -> Option<Stage> {
    Some(match code {
        "consult" => Stage::Consulted,
        "decide_mode" => Stage::ModeDecided,
        "settle_owners" => Stage::OwnersSettled,
        "select_company" => Stage::CompanySelected,
        "start_trial" => Stage::TrialRun,
        "enter" => Stage::Entered,
        "start_service" => Stage::InService,
        _ => return None,
    })
}

/// A representative event for a code, to ask the core rules whether it may come next.
fn probe_event(code: &str) -> Option<Event> {
    Some(match code {
        "consult" => Event::Consult,
        "decide_mode" => Event::DecideMode {
            mode: ManagementMode::Professional,
        },
        "settle_owners" => Event::SettleOwners {
            body: OwnersBody::OwnersCommittee,
        },
        "select_company" => Event::SelectCompany { company_id: 1 },
        "start_trial" => Event::StartTrial,
        "enter" => Event::Enter,
        "start_service" => Event::StartService,
        "exit" => Event::End {
            kind: ExitKind::Exit,
        },
        _ => return None,
    })
}

/// The steps the rules allow from the compound's position (each event tried with the
/// representative choices, and for mode and owners' body with every choice).
fn next_steps(
    state: &anju_core::lifecycle::LifecycleState,
    today: jiff::civil::Date,
) -> Vec<&'static str> {
    let day = state.last_date.map_or(today, |d| d.max(today));
    STEP_CODES
        .into_iter()
        .filter(|code| {
            let tries: Vec<Event> = match *code {
                "decide_mode" => ManagementMode::ALL
                    .iter()
                    .map(|m| Event::DecideMode { mode: *m })
                    .collect(),
                "settle_owners" => OwnersBody::ALL
                    .iter()
                    .map(|b| Event::SettleOwners { body: *b })
                    .collect(),
                c => probe_event(c).into_iter().collect(),
            };
            tries.iter().any(|e| transition(state, e, day).is_ok())
        })
        .collect()
}

fn money(f: Option<Fen>, l: Lang) -> String {
    f.map(|f| format!("{} {}", f.grouped(), l.pick("元/㎡/月", "yuan/㎡/month")))
        .unwrap_or_else(dash)
}

async fn compound_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
) -> Response {
    match render(
        &state,
        &viewer,
        id,
        AdvanceInput::default(),
        ContractForm::default(),
        Problems::default(),
    )
    .await
    {
        Ok(html) => Html(html).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct FindQuery {
    street: Option<String>,
    name: Option<String>,
}

/// `/compounds/find?street=…&name=…` (the ledger's rows link here): the one compound of that
/// name in that street within the viewer's scope, else 404.
async fn find_compound(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<FindQuery>,
) -> Response {
    let street = q.street.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let name = q.name.as_deref().unwrap_or("");
    match state
        .app
        .compound_named(&viewer.principal(), street, name)
        .await
    {
        Ok(c) => {
            Redirect::to(&with_lang(&format!("/compounds/{}", c.id), viewer.lang)).into_response()
        }
        Err(e) => html_error(&state, &viewer, WebError::app(e, viewer.lang)),
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    input: AdvanceInput,
    contract_input: ContractForm,
    problems: Problems,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    let sc = visible_compound(state, viewer, id).await?;
    let c = &sc.compound;
    let lc = state.app.lifecycle(&who, id).await.map_err(app_err)?;
    let today = state.app.today();

    let facts: Vec<(&'static str, String)> = vec![
        (l.pick("小区名称", "Name"), c.name.clone()),
        (l.pick("区", "District"), opt_text(c.district.as_deref())),
        (l.pick("街道", "Street"), c.street.clone()),
        (
            l.pick("社区", "Community"),
            opt_text(c.community.as_deref()),
        ),
        (l.pick("地址", "Address"), opt_text(c.address.as_deref())),
        (
            l.pick("建成年份", "Built"),
            c.built_year.map(|y| y.to_string()).unwrap_or_else(dash),
        ),
        (l.pick("建筑面积", "Floor area"), area(c.area)),
        (
            l.pick("其中多层", "of which multi-storey"),
            area(c.area_multi),
        ),
        (l.pick("其中高层", "of which high-rise"), area(c.area_high)),
        (l.pick("楼栋数", "Buildings"), count(c.buildings)),
        (l.pick("户数", "Households"), count(c.households)),
        (
            l.pick("类别", "Category"),
            c.category
                .map(|k| k.number().to_string())
                .unwrap_or_else(dash),
        ),
        (
            l.pick("老旧小区改造", "Renovation"),
            yes_no(c.renovation, l),
        ),
        (
            l.pick("物业管理方式", "Management mode"),
            c.mode.label(l).to_string(),
        ),
        (
            l.pick("物业企业", "Company"),
            opt_text(c.company.as_deref()),
        ),
        (
            l.pick("统一社会信用代码", "Credit code"),
            c.company_code
                .as_ref()
                .map(|k| k.to_string())
                .unwrap_or_else(dash),
        ),
        (
            l.pick("业主组织", "Owners' body"),
            l.pick(c.owners_body.zh(), c.owners_body.en()).to_string(),
        ),
        (l.pick("党支部", "Party branch"), yes_no(c.party_branch, l)),
        (
            l.pick("基础设施", "Infrastructure"),
            infra_text(&c.infra, l),
        ),
        (
            l.pick("设施需求", "Infrastructure needed"),
            infra_text(&c.needs, l),
        ),
        (
            l.pick("物业管理区域", "Management area"),
            opt_text(c.management_area.as_deref()),
        ),
        (
            l.pick("坐标", "Coordinates"),
            c.coords
                .map(|k| format!("{:.6}, {:.6}", k.lat_e6 as f64 / 1e6, k.lng_e6 as f64 / 1e6))
                .unwrap_or_else(dash),
        ),
        (l.pick("备注", "Remarks"), opt_text(c.remarks.as_deref())),
        (l.pick("台账版本", "Ledger version"), sc.version.to_string()),
    ];

    let can_correct = anju_core::access::can(viewer.role, Action::CorrectSteps);
    let files = state.app.path_evidence(&who, id).await.map_err(app_err)?;
    let timeline = lc
        .steps
        .iter()
        .rev()
        .map(|s| StepView {
            id: s.id,
            superseded: s.correction.as_ref().map(|x| correction_text(x, l)),
            correcting: s.corrects.map(|old| {
                let old_on = lc
                    .steps
                    .iter()
                    .find(|o| o.id == old)
                    .map(|o| o.happened_on.to_string())
                    .unwrap_or_default();
                match l {
                    Lang::Zh => format!("更正记录：替代编号 {old} 的步骤（原日期 {old_on}）"),
                    Lang::En => format!("correction: replaces step #{old} (recorded as {old_on})"),
                }
            }),
            correct_link: (can_correct && s.in_force())
                .then(|| with_lang(&format!("/compounds/{id}/steps/{}/correct", s.id), l)),
            date: s.happened_on.to_string(),
            from: s.stage_from.label(l).to_string(),
            to: s.stage_to.label(l).to_string(),
            event: l.pick(s.event.zh(), s.event.en()).to_string(),
            actor: format!("{}（{}）", s.actor, role_label(&s.role, l)),
            note: s.note.clone().unwrap_or_default(),
            evidence: crate::page::evidence_links(&s.evidence, id, &files),
        })
        .collect();

    // A company user sees only its own company's contracts (the app's query).
    let contracts = state
        .app
        .contracts(&who, Some(id))
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|k| {
            let filing = k.filing(today);
            ContractView {
                id: k.id,
                version: k.version,
                company_link: format!("/companies/{}", k.company_id),
                company: k.company.clone(),
                signer: format!(
                    "{}{}",
                    l.pick(k.signer.zh(), k.signer.en()),
                    k.signer_name
                        .as_deref()
                        .map(|n| format!("（{n}）"))
                        .unwrap_or_default()
                ),
                signed_on: k.signed_on.to_string(),
                entry_on: k.entry_on.map(|d| d.to_string()).unwrap_or_else(dash),
                term: match l {
                    Lang::Zh => k.term.zh(),
                    Lang::En => k.term.en(),
                },
                term_last_day: k.term_last_day().to_string(),
                level: k.service_level.zh(),
                fee_multi: money(k.fees.multi, l),
                fee_high: money(k.fees.high, l),
                served_area: k.served_area.display_m2(),
                notice_on: k
                    .notice_on
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| l.pick("未公示", "not published").to_string()),
                filing: match l {
                    Lang::Zh => filing.zh(),
                    Lang::En => filing.en(),
                },
                filing_overdue: filing.is_overdue(),
                filed: k.filed_on.is_some(),
                active: k.active,
                surveys: Vec::new(),
                survey: SurveyKept::default(),
                status: k.standing_text(today, l),
            }
        })
        .collect::<Vec<_>>();
    let mut contracts = contracts;
    for k in &mut contracts {
        k.surveys = state
            .app
            .dismissal_proposals(&who, ContractId(k.id))
            .await
            .map_err(app_err)?
            .iter()
            .map(|p| dismissal_text(p, l))
            .collect();
        let posted = contract_input.owners.is_some()
            && contract_input.contract_id.as_deref().map(str::trim) == Some(&k.id.to_string());
        let kept = |v: &Option<String>| v.clone().unwrap_or_default();
        k.survey = if posted {
            SurveyKept {
                open: true,
                owners: kept(&contract_input.owners),
                respondents: kept(&contract_input.respondents),
                dissatisfied: kept(&contract_input.dissatisfied),
                date: kept(&contract_input.date),
                note: kept(&contract_input.note),
            }
        } else if k.active {
            SurveyKept {
                owners: state
                    .app
                    .contract_households(&who, ContractId(k.id))
                    .await
                    .map_err(app_err)?
                    .to_string(),
                date: today.to_string(),
                ..SurveyKept::default()
            }
        } else {
            SurveyKept::default()
        };
    }

    let assessments = state
        .app
        .assessments(
            &who,
            AssessmentFilter {
                compound_id: Some(id.get()),
                ..AssessmentFilter::default()
            },
        )
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|a| Line {
            link: None,
            hot: a.passed == Some(false),
            cells: vec![
                a.period.code(),
                format!("{}（{}）", a.assessor, a.assessor_kind.label(l)),
                a.status.label(l).to_string(),
                anju_core::money::group_decimal(a.score, 2),
                a.grade_code.clone().unwrap_or_else(dash),
                match a.passed {
                    Some(p) => yes_no(p, l),
                    None => dash(),
                },
            ],
        })
        .collect();

    let patrol_list = state.app.patrols(&who, id).await.map_err(app_err)?;
    // Each order's patrol, where its answer form is.
    let patrol_of: std::collections::HashMap<i64, i64> = patrol_list
        .iter()
        .flat_map(|p| p.findings.iter().map(move |f| (f.id, p.id)))
        .collect();
    let patrols = patrol_list
        .into_iter()
        .map(|p| Line {
            link: Some(with_lang(&format!("/patrols/{}", p.id), l)),
            hot: false,
            cells: vec![
                p.date.to_string(),
                p.kind.label(l).to_string(),
                p.inspector.clone(),
                p.findings.len().to_string(),
                p.note.clone().unwrap_or_default(),
            ],
        })
        .collect();

    let orders = state
        .app
        .orders(
            &who,
            OrderFilter {
                compound_id: Some(id.get()),
                ..OrderFilter::default()
            },
        )
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|o| {
            let overdue = anju_core::oversight::order_overdue(o.status, o.deadline, today);
            Line {
                link: patrol_of
                    .get(&o.finding_id)
                    .map(|p| with_lang(&format!("/patrols/{p}"), l)),
                hot: overdue || o.answered_late,
                cells: vec![
                    o.issued_on.to_string(),
                    o.category.label(l).to_string(),
                    o.description.clone(),
                    o.company.clone(),
                    o.deadline.to_string(),
                    format!(
                        "{}{}",
                        o.status.label(l),
                        if overdue {
                            l.pick("（逾期）", " (overdue)")
                        } else if o.answered_late {
                            l.pick("（逾期答复）", " (answered late)")
                        } else {
                            ""
                        }
                    ),
                ],
            }
        })
        .collect();

    let complaints = state
        .app
        .complaints(
            &who,
            ComplaintFilter {
                compound_id: Some(id.get()),
                ..ComplaintFilter::default()
            },
        )
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|k| {
            let open = k.answered_on.is_none() && k.closed_on.is_none();
            let late = open && today > k.answer_deadline;
            Line {
                link: Some(with_lang(&format!("/complaints/{}", k.id), l)),
                hot: late,
                cells: vec![
                    k.received_on.to_string(),
                    k.source.label(l).to_string(),
                    k.category.clone(),
                    k.text.clone(),
                    k.answer_deadline.to_string(),
                    format!(
                        "{}{}",
                        k.status.label(l),
                        if late {
                            l.pick("（逾期）", " (overdue)")
                        } else {
                            ""
                        }
                    ),
                ],
            }
        })
        .collect();

    let surveys = state
        .app
        .surveys(
            &who,
            anju_app::model::SurveyFilter {
                compound_id: Some(id.get()),
                ..anju_app::model::SurveyFilter::default()
            },
        )
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|s| Line {
            link: Some(with_lang(&format!("/surveys/{}", s.id), l)),
            hot: false,
            cells: vec![
                s.period.clone(),
                s.starts_on.map(|d| d.to_string()).unwrap_or_else(dash),
                s.ends_on.map(|d| d.to_string()).unwrap_or_else(dash),
                anju_core::money::group_thousands(u64::from(s.households)),
                anju_core::money::group_thousands(u64::from(s.required_sample)),
                l.pick(
                    if s.closed { "已结束" } else { "进行中" },
                    if s.closed { "closed" } else { "open" },
                )
                .to_string(),
            ],
        })
        .collect();

    let months = state
        .app
        .fee_months(&who, id, None)
        .await
        .map_err(app_err)?;
    let mut total = anju_core::fees::Collection {
        billed: Fen::ZERO,
        collected: Fen::ZERO,
        months: 0,
    };
    for m in &months {
        total.add(m.billed, m.collected);
    }
    let fee_summary = match total.rate() {
        Ok(rate) => format!(
            "{} {}–{}：{} {}，{} {}，{} {}",
            l.pick("累计", "Cumulative"),
            months
                .first()
                .map(|m| m.month.to_string())
                .unwrap_or_default(),
            months
                .last()
                .map(|m| m.month.to_string())
                .unwrap_or_default(),
            l.pick("应收", "billed"),
            total.billed.display_yuan(),
            l.pick("实收", "collected"),
            total.collected.display_yuan(),
            l.pick("收缴率", "collection rate"),
            anju_core::fees::percent_text(rate)
        ),
        Err(_) => String::new(),
    };
    let fees = months
        .iter()
        .rev()
        .take(24)
        .map(|m| {
            let rate = anju_core::fees::collection_rate(m.billed, m.collected)
                .map(anju_core::fees::percent_text)
                .unwrap_or_else(|_| dash());
            Line {
                link: None,
                hot: false,
                cells: vec![
                    m.month.to_string(),
                    m.billed.display_yuan(),
                    m.collected.display_yuan(),
                    rate,
                ],
            }
        })
        .collect();

    let mut accounts = Vec::new();
    for period in state.app.account_periods(&who, id).await.map_err(app_err)? {
        // The owners' body share (seed 004 三(四): 6–10 %) changes none of the totals shown
        // here: the configured default.
        let st = state
            .app
            .account_statement(&who, id, &period, None)
            .await
            .map_err(app_err)?;
        accounts.push(Line {
            link: None,
            hot: st.totals.balance.is_negative(),
            cells: vec![
                period,
                st.totals.income.display_yuan(),
                st.totals.spending.display_yuan(),
                st.totals.balance.display_yuan(),
                st.entries.len().to_string(),
            ],
        });
    }

    // The compound's own entries, for those who may read the log (`App::audit_entries`).
    let audit = if viewer.audit_region().is_ok() {
        let who = viewer.principal();
        let mut rows = Vec::new();
        for entity in ["compound", "lifecycle"] {
            rows.extend(
                state
                    .app
                    .audit_entries(
                        &who,
                        anju_app::audit::AuditQuery {
                            entity: Some(entity.to_string()),
                            entity_id: Some(id.get()),
                            limit: Some(100),
                            ..Default::default()
                        },
                    )
                    .await
                    .map_err(|e| WebError::app(e, l))?,
            );
        }
        rows.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
        Some(
            rows.into_iter()
                .take(100)
                .map(|a| Line {
                    link: None,
                    hot: false,
                    cells: vec![
                        crate::page::beijing_time(a.at, l),
                        format!("{}（{}）", a.actor, role_label(&a.role, l)),
                        a.action.clone(),
                        a.entity.clone(),
                    ],
                })
                .collect(),
        )
    } else {
        None
    };

    let can_advance = anju_core::access::can(viewer.role, Action::AdvanceLifecycle);
    let can_contract = anju_core::access::can(viewer.role, Action::ManageContracts);
    let steps = next_steps(&lc.state, state.app.today());
    let companies = if can_advance && steps.contains(&"select_company") {
        state
            .app
            .selectable_companies()
            .await
            .map_err(app_err)?
            .into_iter()
            .map(|co| (co.id.to_string(), co.name))
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let mut input = input;
    if input.version.is_empty() {
        input.version = lc.version.to_string();
    }
    let title = c.name.clone();
    let subsidies = crate::funding::compound_subsidies_html(&state.app, &who, id.get()).await?;
    let lang_q = if l == Lang::En { "&lang=en" } else { "" };
    let new_assessment = state
        .app
        .may_assess(&who, id)
        .await
        .map_err(app_err)?
        .then(|| format!("/assessments/new?compound={id}{lang_q}"));
    let new_referral = (anju_core::access::can(viewer.role, Action::Refer)
        && viewer.role != anju_core::access::Role::Auditor)
        .then(|| format!("/referrals/new?compound={id}{lang_q}"));
    let new_patrol = anju_core::access::can(viewer.role, Action::Patrol)
        .then(|| format!("/patrols/new?compound={id}{lang_q}"));
    let sign_form = match lc.state.company_id {
        Some(company_id)
            if lc.state.stage == anju_core::lifecycle::Stage::CompanySelected
                && viewer.role != anju_core::access::Role::Auditor
                && anju_core::access::can(viewer.role, Action::ManageContracts) =>
        {
            let company = state
                .app
                .selectable_companies()
                .await
                .map_err(app_err)?
                .into_iter()
                .find(|co| co.id == company_id)
                .map(|co| co.name)
                .unwrap_or_else(|| company_id.to_string());
            Some(SignFormView {
                action: with_lang(&format!("/compounds/{id}/sign"), l),
                company,
                signers: anju_core::lifecycle::Signer::ALL
                    .iter()
                    .map(|s| (s.code(), l.pick(s.zh(), s.en())))
                    .collect(),
                today: state.app.today().to_string(),
            })
        }
        _ => None,
    };
    let evaluators = state
        .app
        .compound_evaluators(&who, id)
        .await
        .map_err(app_err)?;
    let commission = if viewer.role != anju_core::access::Role::Auditor
        && anju_core::access::can(viewer.role, Action::ReviewAssessments)
    {
        let names = state.app.evaluator_names(&who).await.map_err(app_err)?;
        Some((with_lang(&format!("/compounds/{id}/evaluators"), l), names))
    } else {
        None
    };
    let (renovation_summary, fee_warnings) = renovation_facts(state, viewer, id).await?;
    Ok(CompoundPage {
        renovation_link: with_lang(&format!("/compounds/{id}/renovation"), l),
        fees_link: with_lang(&format!("/compounds/{id}/fee-standards"), l),
        renovation_summary,
        fee_warnings,
        sign_form,
        evaluators,
        commission,
        chrome: Chrome::new(state, viewer, title, &format!("/compounds/{id}")),
        l,
        name: c.name.clone(),
        facts,
        stage: lc.state.stage.label(l).to_string(),
        lc_version: lc.version,
        timeline,
        contracts,
        assessments,
        patrols,
        orders,
        complaints,
        surveys,
        fees,
        fee_summary,
        accounts,
        audit,
        subsidies,
        new_assessment,
        new_survey: (viewer.role != anju_core::access::Role::Auditor
            && anju_core::access::can(viewer.role, Action::ManageSurveys))
        .then(|| with_lang(&format!("/surveys/new?compound={id}"), l)),
        new_patrol,
        new_referral,
        can_advance,
        next_steps: opts(
            steps.iter().map(|s| (s.to_string(), step_label(s, l))),
            &input.to,
        ),
        modes: opts(
            ManagementMode::ALL
                .iter()
                .map(|m| (m.code().to_string(), m.label(l).to_string())),
            &input.mode,
        ),
        bodies: opts(
            OwnersBody::ALL
                .iter()
                .map(|b| (b.code().to_string(), l.pick(b.zh(), b.en()).to_string())),
            &input.body,
        ),
        companies: opts(companies, &input.company),
        can_contract,
        money_links: anju_core::access::can(viewer.role, Action::EnterFees).then(|| {
            (
                with_lang(&format!("/compounds/{id}/fees"), l),
                with_lang(&format!("/compounds/{id}/accounts"), l),
            )
        }),
        households_link: with_lang(&format!("/compounds/{id}/households"), l),
        modes_link: with_lang(&format!("/compounds/{id}/modes"), l),
        share_link: with_lang(&format!("/compounds/{id}/owners-share"), l),
        bodies_link: with_lang(&format!("/compounds/{id}/owners-bodies"), l),
        party_link: with_lang(&format!("/compounds/{id}/party"), l),
        votes_link: with_lang(&format!("/compounds/{id}/votes"), l),
        fund_link: with_lang(&format!("/compounds/{id}/fund"), l),
        edit_link: anju_core::access::can(viewer.role, Action::EditCompounds)
            .then(|| with_lang(&format!("/compounds/{id}/edit"), l)),
        exit_kinds: opts(
            ExitKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), l.pick(k.zh(), k.en()).to_string())),
            contract_input.kind.as_deref().unwrap_or(""),
        ),
        input,
        contract_input,
        problems,
        today: today.to_string(),
        max_mib: EVIDENCE_MAX_BYTES / (1024 * 1024),
        advance_action: with_lang(&format!("/compounds/{id}/advance"), l),
        file_action: with_lang(&format!("/compounds/{id}/file"), l),
        terminate_action: with_lang(&format!("/compounds/{id}/terminate"), l),
        dismissal_action: with_lang(&format!("/compounds/{id}/dismissal"), l),
    }
    .render()?)
}

/// "已更正：改为 2026-10-05（原因：…）· 张三（街道办事处）2026-12-06 10:00"
fn correction_text(x: &anju_app::model::StepCorrection, l: Lang) -> String {
    let when = crate::page::beijing_time(x.created_at, l);
    let who = format!("{}（{}）", x.actor, role_label(&x.role, l));
    match (l, x.new_on) {
        (Lang::Zh, Some(d)) => format!(
            "已更正：日期改为 {d}（记录编号 {}）；原因：{} · {who} {when}",
            x.replaced_by.unwrap_or_default(),
            x.reason
        ),
        (Lang::Zh, None) => format!(
            "已撤销（该步骤并未发生）；原因：{} · {who} {when}",
            x.reason
        ),
        (Lang::En, Some(d)) => format!(
            "corrected: re-dated to {d} (record #{}); reason: {} · {who} {when}",
            x.replaced_by.unwrap_or_default(),
            x.reason
        ),
        (Lang::En, None) => format!(
            "voided (it did not happen); reason: {} · {who} {when}",
            x.reason
        ),
    }
}

fn role_label(code: &str, l: Lang) -> String {
    anju_core::access::Role::from_code(code)
        .map(|r| r.label(l).to_string())
        .unwrap_or_else(|| code.to_string())
}

// ---------------------------------------------------------------------------------------------
// Advancing the path

/// Reads the advance form: fields, and the uploaded files (name, bytes).
async fn read_advance(
    mut mp: Multipart,
    l: Lang,
) -> Result<(AdvanceInput, Option<String>, Vec<(String, Vec<u8>)>), String> {
    let mut input = AdvanceInput::default();
    let mut csrf = None;
    let mut files = Vec::new();
    let too_big = || match l {
        Lang::Zh => format!(
            "证明材料：上传失败，文件过大或传输中断（每个文件不超过 {} MiB）",
            EVIDENCE_MAX_BYTES / (1024 * 1024)
        ),
        Lang::En => format!(
            "evidence: the upload failed, too large or interrupted (at most {} MiB a file)",
            EVIDENCE_MAX_BYTES / (1024 * 1024)
        ),
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(too_big()),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| too_big())?;
            if !file_name.is_empty() || !bytes.is_empty() {
                files.push((file_name, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(|_| too_big())?;
        match name.as_str() {
            "csrf" => csrf = Some(text),
            "to" => input.to = text,
            "date" => input.date = text,
            "mode" => input.mode = text,
            "body" => input.body = text,
            "company" => input.company = text,
            "note" => input.note = text,
            "version" => input.version = text,
            "kept" if !text.trim().is_empty() => input.kept.push(text.trim().to_string()),
            _ => {}
        }
    }
    Ok((input, csrf, files))
}

/// The event the form asks for; the error names the field.
fn event_of(input: &AdvanceInput, l: Lang) -> Result<Event, String> {
    let need = |zh: &str, en: &str| match l {
        Lang::Zh => format!("{zh}：请选择"),
        Lang::En => format!("{en}: please choose"),
    };
    Ok(match input.to.trim() {
        "consult" => Event::Consult,
        "decide_mode" => Event::DecideMode {
            mode: ManagementMode::from_code(input.mode.trim())
                .ok_or_else(|| need("管理模式", "management mode"))?,
        },
        "settle_owners" => Event::SettleOwners {
            body: OwnersBody::from_code(input.body.trim())
                .ok_or_else(|| need("业主组织", "owners' body"))?,
        },
        "select_company" => {
            let id: i64 = input
                .company
                .trim()
                .parse()
                .map_err(|_| need("物业企业", "company"))?;
            // Whether the company is on file is the application layer's rule (App::advance).
            Event::SelectCompany { company_id: id }
        }
        "start_trial" => Event::StartTrial,
        "enter" => Event::Enter,
        "start_service" => Event::StartService,
        "exit" => Event::End {
            kind: ExitKind::Exit,
        },
        _ => return Err(need("下一步骤", "next step")),
    })
}

async fn advance(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let l = viewer.lang;
    if let Err(e) = viewer.require(Action::AdvanceLifecycle) {
        return html_error(&state, &viewer, e);
    }
    if let Err(e) = visible_compound(&state, &viewer, id).await {
        return html_error(&state, &viewer, e);
    }
    let (mut input, csrf, files) = match read_advance(mp, l).await {
        Ok(x) => x,
        Err(m) => {
            // Without the fields we cannot tell the token either: refuse like a bad token.
            return form_again(&state, &viewer, id.get(), AdvanceInput::default(), m).await;
        }
    };
    if let Err(e) = viewer.check_csrf(&headers, csrf.as_deref()) {
        return html_error(&state, &viewer, e);
    }
    let result: Result<(), Refusal> = async {
        let event = event_of(&input, l).map_err(Refusal::Form)?;
        let on = parse_date_field(state.app.today(), &input.date, "日期", "date", l)
            .map_err(Refusal::Form)?;
        let version = anju_app::check::version(Some(&input.version))
            .map_err(|e| Refusal::Form(e.message(l)))?;
        // Evidence first: a refused step must never lose an upload.
        let dir = crate::evidence_dir(ext);
        let who = viewer.principal();
        for (name, bytes) in &files {
            let e = state
                .app
                .upload_evidence(&who, &dir, name, bytes)
                .await
                .map_err(|e| app_refusal(e, l))?;
            if !input.kept.contains(&e.sha256) {
                input.kept.push(e.sha256);
            }
        }
        state
            .app
            .require_kept_evidence(&input.kept)
            .await
            .map_err(|e| app_refusal(e, l))?;
        let step = anju_app::path::AdvanceInput {
            version,
            step: event,
            on,
            note: Some(input.note.clone()),
            evidence: input.kept.clone(),
        };
        state
            .app
            .advance(&viewer.principal(), id, step)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/compounds/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => {
            let m = if input.kept.is_empty() {
                m
            } else {
                format!(
                    "{m}{}",
                    l.pick(
                        "（证明材料已保存，修正后重新提交即可，无需再次上传）",
                        " (the evidence is stored: fix and resubmit, no need to upload again)"
                    )
                )
            };
            form_again(&state, &viewer, id.get(), input, m).await
        }
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

async fn form_again(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: AdvanceInput,
    message: String,
) -> Response {
    let problems = Problems {
        advance: Some(message),
        ..Problems::default()
    };
    page_again(state, viewer, id, input, ContractForm::default(), problems).await
}

/// The compound page again (422) with a form's refusal and what was typed in it.
async fn page_again(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    input: AdvanceInput,
    contract: ContractForm,
    problems: Problems,
) -> Response {
    match render(state, viewer, CompoundId(id), input, contract, problems).await {
        Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response(),
        Err(e) => html_error(state, viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Signing the contract with the selected company (签订物业服务合同)

#[derive(Debug, Default, Deserialize)]
struct SignForm {
    csrf: Option<String>,
    signer: Option<String>,
    signer_name: Option<String>,
    date: Option<String>,
    years: Option<String>,
    level: Option<String>,
    fee_multi: Option<String>,
    fee_high: Option<String>,
}

/// Signs the contract for this compound with the company its path selected
/// (`App::sign_contract_with_defaults`: what is left out takes the defaults — 二级, the
/// Liaocheng 2021 fees, the compound's area — and every field is checked there).
async fn sign_contract(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<SignForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = form_guard(
        &state,
        &viewer,
        id,
        Action::ManageContracts,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let who = viewer.principal();
    let result: Result<(), Refusal> = async {
        let lc = state
            .app
            .lifecycle(&who, id)
            .await
            .map_err(|e| app_refusal(e, l))?;
        let company_id = lc.state.company_id.ok_or_else(|| {
            Refusal::Form(
                l.pick(
                    "请先在路径中选定物业企业，再签订合同",
                    "select the company on the path first",
                )
                .to_string(),
            )
        })?;
        let signer = f
            .signer
            .as_deref()
            .and_then(anju_core::lifecycle::Signer::from_code)
            .ok_or_else(|| {
                Refusal::Form(
                    l.pick("签约方：请选择", "signed by: choose one")
                        .to_string(),
                )
            })?;
        let on = parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "签订日期",
            "date signed",
            l,
        )
        .map_err(Refusal::Form)?;
        let years: u32 = f
            .years
            .as_deref()
            .and_then(|y| y.trim().parse().ok())
            .ok_or_else(|| {
                Refusal::Form(l.pick("合同期限：请选择", "term: choose one").to_string())
            })?;
        let level = f
            .level
            .as_deref()
            .and_then(|n| n.trim().parse::<u8>().ok())
            .and_then(anju_core::contract::ServiceLevel::new)
            .ok_or_else(|| {
                Refusal::Form(
                    l.pick("服务等级：请选择 1 到 5", "service level: 1 to 5")
                        .to_string(),
                )
            })?;
        let fee = |v: &Option<String>, zh: &str, en: &str| -> Result<Option<Fen>, Refusal> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => Fen::parse_yuan(s).map(Some).map_err(|_| {
                    Refusal::Form(match l {
                        Lang::Zh => format!("{zh}：“{s}”不是金额（如 1.20）"),
                        Lang::En => format!("{en}: '{s}' is not an amount (like 1.20)"),
                    })
                }),
            }
        };
        let fee_multi = fee(&f.fee_multi, "多层物业费", "fee, multi-storey")?;
        let fee_high = fee(&f.fee_high, "高层物业费", "fee, high-rise")?;
        state
            .app
            .sign_contract_with_defaults(
                &who,
                anju_app::path::ContractInput {
                    compound_ids: vec![id],
                    company_id: CompanyId(company_id),
                    signer,
                    signer_name: f.signer_name.clone().filter(|n| !n.trim().is_empty()),
                    signed_on: Some(on),
                    entry_on: None,
                    term: anju_core::contract::Term::years(years),
                    service_level: Some(level),
                    min_level: None,
                    fee_multi,
                    fee_high,
                    served_area: None,
                    notice_on: None,
                },
            )
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            Redirect::to(&with_lang(&format!("/compounds/{id}#contracts"), l)).into_response()
        }
        Err(Refusal::Form(m)) => {
            let problems = Problems {
                contract: Some(m),
                ..Problems::default()
            };
            page_again(
                &state,
                &viewer,
                id.get(),
                AdvanceInput::default(),
                ContractForm::default(),
                problems,
            )
            .await
        }
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Commissioning a third-party evaluator (委托测评机构)

#[derive(Debug, Default, Deserialize)]
struct CommissionForm {
    csrf: Option<String>,
    evaluator: Option<String>,
}

/// A reviewer commissions an evaluator for this compound (`App::commission_evaluator`); the
/// evaluator's accounts may then score it.
async fn commission_evaluator(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<CommissionForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = form_guard(
        &state,
        &viewer,
        id,
        Action::ReviewAssessments,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    match state
        .app
        .commission_evaluator(
            &viewer.principal(),
            f.evaluator.as_deref().unwrap_or(""),
            id,
        )
        .await
    {
        Ok(_) => {
            Redirect::to(&with_lang(&format!("/compounds/{id}#assessments"), l)).into_response()
        }
        Err(e) => match app_refusal(e, l) {
            Refusal::Form(m) => {
                let problems = Problems {
                    evaluator: Some(m),
                    ..Problems::default()
                };
                page_again(
                    &state,
                    &viewer,
                    id.get(),
                    AdvanceInput::default(),
                    ContractForm::default(),
                    problems,
                )
                .await
            }
            Refusal::Fail(e) => html_error(&state, &viewer, e),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Filing and terminating the contract

async fn contract_action(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    headers: &HeaderMap,
    f: ContractForm,
    op: ContractOp,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = form_guard(
        state,
        viewer,
        id,
        Action::ManageContracts,
        headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let result: Result<(), Refusal> = async {
        let field = |v: &Option<String>, zh: &str, en: &str| -> Result<ContractId, Refusal> {
            v.as_deref()
                .and_then(|s| s.trim().parse().ok())
                .ok_or_else(|| {
                    Refusal::Form(match l {
                        Lang::Zh => format!("{zh}缺失，请刷新页面后重试"),
                        Lang::En => format!("{en} missing: reload the page"),
                    })
                })
        };
        let contract_id = field(&f.contract_id, "合同编号", "contract id")?;
        let version = anju_app::check::version(f.version.as_deref())
            .map_err(|e| Refusal::Form(e.message(l)))?;
        let k = state
            .app
            .contract_in_scope(&viewer.principal(), contract_id)
            .await
            .map_err(|e| Refusal::Fail(WebError::app(e, l)))?;
        if !k.compound_ids.contains(&id.get()) {
            return Err(Refusal::Fail(WebError::Forbidden(
                l.pick("该合同不属于本小区", "this contract is not this compound's")
                    .to_string(),
            )));
        }
        let on = parse_date_field(
            state.app.today(),
            f.date.as_deref().unwrap_or(""),
            "日期",
            "date",
            l,
        )
        .map_err(Refusal::Form)?;
        let who = viewer.principal();
        if op == ContractOp::Dismissal {
            let count = |v: &Option<String>, zh: &str, en: &str| -> Result<u32, Refusal> {
                crate::page::count_field(v.as_deref(), zh, en, l)?
                    .ok_or_else(|| crate::page::need(l, zh, en))
            };
            let survey = anju_core::contract::DismissalSurvey {
                owners: count(&f.owners, "业主总数", "owners")?,
                respondents: count(&f.respondents, "参与调查人数", "respondents")?,
                dissatisfied: count(&f.dissatisfied, "不满意人数", "dissatisfied")?,
            };
            let note = f.note.as_deref().filter(|n| !n.trim().is_empty());
            state
                .app
                .record_dismissal_survey(&who, contract_id, on, survey, note)
                .await
                .map_err(|e| app_refusal(e, l))?;
            return Ok(());
        }
        if op == ContractOp::Terminate {
            let kind =
                ExitKind::from_code(f.kind.as_deref().unwrap_or("").trim()).ok_or_else(|| {
                    Refusal::Form(
                        l.pick("终止方式：请选择", "how it ends: please choose")
                            .to_string(),
                    )
                })?;
            let reason = f.reason.as_deref().unwrap_or("").trim();
            if reason.is_empty() {
                return Err(Refusal::Form(
                    l.pick("终止原因：请填写", "reason: please write it")
                        .to_string(),
                ));
            }
            state
                .app
                .terminate_contract(&who, contract_id, version, kind, reason, on)
                .await
                .map_err(|e| app_refusal(e, l))?;
        } else {
            state
                .app
                .file_contract(&who, contract_id, version, on)
                .await
                .map_err(|e| app_refusal(e, l))?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&with_lang(&format!("/compounds/{id}"), l)).into_response(),
        Err(Refusal::Form(m)) => {
            let problems = Problems {
                contract: Some(m),
                ..Problems::default()
            };
            page_again(
                state,
                viewer,
                id.get(),
                AdvanceInput::default(),
                f,
                problems,
            )
            .await
        }
        Err(Refusal::Fail(e)) => html_error(state, viewer, e),
    }
}

async fn file_contract(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<ContractForm>,
) -> Response {
    contract_action(&state, &viewer, id, &headers, f, ContractOp::File).await
}

async fn terminate_contract(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<ContractForm>,
) -> Response {
    contract_action(&state, &viewer, id, &headers, f, ContractOp::Terminate).await
}

/// `POST /compounds/{id}/dismissal`: the owners' dismissal survey of a contract (解聘表决结果).
async fn record_dismissal(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<ContractForm>,
) -> Response {
    contract_action(&state, &viewer, id, &headers, f, ContractOp::Dismissal).await
}

// ---------------------------------------------------------------------------------------------
// Correcting a step (更正)

/// What the viewer typed into the correction form, kept when it is refused.
#[derive(Debug, Default, Clone, Deserialize)]
struct CorrectForm {
    csrf: Option<String>,
    version: Option<String>,
    /// `redate` or `void`.
    kind: Option<String>,
    date: Option<String>,
    reason: Option<String>,
}

/// The form's values as the template shows them.
#[derive(Debug, Default, Clone)]
struct CorrectKept {
    version: String,
    kind: String,
    date: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "compound_correct.html")]
struct CorrectPage {
    chrome: Chrome,
    l: Lang,
    name: String,
    back: String,
    action: String,
    step_id: i64,
    step_date: String,
    step_event: String,
    step_actor: String,
    /// Why there is no form (the step was already corrected).
    closed: Option<String>,
    error: Option<String>,
    /// The field the error names (`on`, `reason`), marked and focused in the form.
    bad_field: String,
    input: CorrectKept,
    today: String,
}

async fn correct_html(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
    step_id: StepId,
    input: Option<CorrectKept>,
    error: Option<(String, String)>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    viewer.require(Action::CorrectSteps)?;
    let sc = visible_compound(state, viewer, id).await?;
    let lc = state
        .app
        .lifecycle(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let step = lc
        .steps
        .iter()
        .find(|s| s.id == step_id.get())
        .ok_or(WebError::Store(StoreError::NotFound {
            entity: "step",
            id: step_id.get(),
        }))?;
    let closed = step.correction.as_ref().map(|x| correction_text(x, l));
    let input = input.unwrap_or_else(|| CorrectKept {
        version: lc.version.to_string(),
        kind: "redate".into(),
        date: step.happened_on.to_string(),
        reason: String::new(),
    });
    let (error, bad_field) = match error {
        Some((m, f)) => (Some(m), f),
        None => (None, String::new()),
    };
    let here = format!("/compounds/{id}/steps/{step_id}/correct");
    Ok(CorrectPage {
        chrome: Chrome::new(
            state,
            viewer,
            format!("{} · {}", sc.compound.name, l.pick("更正", "Correction")),
            &here,
        ),
        l,
        name: sc.compound.name.clone(),
        back: format!("{}#timeline", with_lang(&format!("/compounds/{id}"), l)),
        action: with_lang(&here, l),
        step_id: step_id.get(),
        step_date: step.happened_on.to_string(),
        step_event: l.pick(step.event.zh(), step.event.en()).to_string(),
        step_actor: format!("{}（{}）", step.actor, role_label(&step.role, l)),
        closed,
        error,
        bad_field,
        input,
        today: state.app.today().to_string(),
    }
    .render()?)
}

async fn correct_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(CompoundId, StepId)>,
) -> Response {
    match correct_html(&state, &viewer, id, step_id, None, None).await {
        Ok(html) => Html(html).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

async fn correct_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(CompoundId, StepId)>,
    headers: HeaderMap,
    Form(f): Form<CorrectForm>,
) -> Response {
    let l = viewer.lang;
    if let Err(r) = form_guard(
        &state,
        &viewer,
        id,
        Action::CorrectSteps,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let kept = CorrectKept {
        version: f.version.clone().unwrap_or_default(),
        kind: f.kind.clone().unwrap_or_default(),
        date: f.date.clone().unwrap_or_default(),
        reason: f.reason.clone().unwrap_or_default(),
    };
    let result: Result<(), (Refusal, &str)> = async {
        let version = anju_app::check::version(Some(&kept.version))
            .map_err(|e| (Refusal::Form(e.message(l)), "version"))?;
        let on = match kept.kind.trim() {
            "void" => None,
            "redate" => {
                let d = kept.date.trim();
                if d.is_empty() {
                    return Err((
                        Refusal::Form(
                            l.pick("更正后的日期：请填写", "on: please give the date")
                                .to_string(),
                        ),
                        "on",
                    ));
                }
                Some(
                    parse_date_field(state.app.today(), d, "更正后的日期", "on", l)
                        .map_err(|m| (Refusal::Form(m), "on"))?,
                )
            }
            _ => {
                return Err((
                    Refusal::Form(
                        l.pick("更正方式：请选择", "correction: please choose")
                            .to_string(),
                    ),
                    "kind",
                ));
            }
        };
        let input = anju_app::path::CorrectionInput {
            version,
            on,
            reason: kept.reason.clone(),
        };
        state
            .app
            .correct_step(&viewer.principal(), id, step_id, input)
            .await
            .map_err(|e| {
                let field = match e.field_name() {
                    Some("on") => "on",
                    Some("reason") => "reason",
                    _ => "",
                };
                (app_refusal(e, l), field)
            })?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!(
            "{}#timeline",
            with_lang(&format!("/compounds/{id}"), l)
        ))
        .into_response(),
        Err((Refusal::Form(m), field)) => {
            let html = correct_html(
                &state,
                &viewer,
                id,
                step_id,
                Some(kept),
                Some((m, field.to_string())),
            )
            .await;
            match html {
                Ok(h) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
                Err(e) => html_error(&state, &viewer, e),
            }
        }
        Err((Refusal::Fail(e), _)) => html_error(&state, &viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Evidence files

#[derive(Debug, Default, Deserialize)]
struct EvidenceQuery {
    compound: Option<i64>,
    /// Any value: the photo's thumbnail ([`crate::thumbs`]), not the file.
    thumb: Option<String>,
}

async fn evidence_file(
    State(state): State<AppState>,
    viewer: Viewer,
    ext: Option<Extension<EvidenceDir>>,
    Path(sha): Path<String>,
    axum::extract::Query(q): axum::extract::Query<EvidenceQuery>,
) -> Response {
    let l = viewer.lang;
    let not_found = || {
        WebError::Store(StoreError::NotFound {
            entity: "evidence",
            id: 0,
        })
    };
    let result: Result<Response, WebError> = async {
        // The compound the link came from (every link on a compound page names it): scanning
        // every compound a city-wide viewer may see for one file would cost a query per
        // compound, so a link without it is not served.
        let Some(compound_id) = q.compound else {
            return Err(not_found());
        };
        let e = state
            .app
            .compound_evidence(&viewer.principal(), CompoundId(compound_id), &sha)
            .await
            .map_err(|e| WebError::app(e, l))?;
        let dir = crate::evidence_dir(ext);
        if q.thumb.is_some() {
            return crate::thumbs::answer(dir, e).await.ok_or_else(not_found);
        }
        let bytes = tokio::fs::read(dir.path_of(&e))
            .await
            .map_err(|_| not_found())?;
        let name = crate::page::urlencode(&e.original_name);
        Ok((
            [
                (header::CONTENT_TYPE, e.mime.clone()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename*=UTF-8''{name}"),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    result.unwrap_or_else(|e| html_error(&state, &viewer, e))
}

/// The compound page's lines on renovation (the latest project's 三承诺 share and how many of
/// its checks fail) and on fees above the approved standard.
async fn renovation_facts(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
) -> Result<(Option<String>, Vec<String>), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let projects = state
        .app
        .renovations(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let summary = match projects.first() {
        None => None,
        Some(p) => {
            let d = state
                .app
                .renovation_detail(&who, anju_core::ids::RenovationId(p.id))
                .await
                .map_err(|e| WebError::app(e, l))?;
            let pct = d
                .share
                .all_three_percent
                .clone()
                .unwrap_or_else(|| l.pick("户数未填", "no household count").to_string());
            let each: Vec<String> = anju_core::renovation::Commitment::ALL
                .iter()
                .map(|c| format!("{} {}", c.label(l), d.share.count(*c)))
                .collect();
            Some(match l {
                Lang::Zh => format!(
                    "{}：三承诺全部承诺 {} 户，占台账户数 {}（{}）；{} 项提醒",
                    p.name,
                    d.share.all_three,
                    pct,
                    each.join("、"),
                    d.gaps.len()
                ),
                Lang::En => format!(
                    "{}: {} households made all three commitments, {} of the ledger's ({}); {} alert(s)",
                    p.name,
                    d.share.all_three,
                    pct,
                    each.join(", "),
                    d.gaps.len()
                ),
            })
        }
    };
    let fees = state
        .app
        .fee_standards(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let warnings = fees
        .above
        .iter()
        .map(|k| {
            let lines: Vec<&str> = k.above.iter().map(|x| x.text.as_str()).collect();
            match l {
                Lang::Zh => format!(
                    "合同收费高于核定标准：与 {} 的合同（{} 签订）{}（{}）",
                    k.company,
                    k.signed_on,
                    lines.join("；"),
                    k.doc_no
                ),
                Lang::En => format!(
                    "contract fees above the approved standard: {} (signed {}) {} ({})",
                    k.company,
                    k.signed_on,
                    lines.join("; "),
                    k.doc_no
                ),
            }
        })
        .collect();
    Ok((summary, warnings))
}
