//! The access-control matrix: every route of the app (pages and API) × every role × inside and
//! outside the role's scope, with the status the permission table (`anju_core::access::can`)
//! and the scope rules say; and no response to a street, community or company account ever
//! carries the name of a compound outside its scope.
//!
//! [`ROUTES`] is the one list of routes. `the_list_covers_every_route_of_the_app` reads every
//! `.route("…")` in `src/` and the API table (`anju_web::api::routes`) and fails when the app
//! has a route the list lacks, so a new page cannot skip the matrix.
//!
//! The world: street A = 大沁他拉街道, street B = 山城街道; company A serves the "inside"
//! compound in one of A's communities, company B the "outside" compound in B. Each row's URL
//! names the inside or the outside record of its kind (compound, contract, task, assessment,
//! order, complaint, survey, selection, company, street).

use crate::support::{Session, TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::{Action, Role, can};
use anju_store::{Actor, CompoundFilter, StoredCompound};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::collections::BTreeSet;

pub const STREET_A: &str = "大沁他拉街道";
pub const STREET_B: &str = "山城街道";

/// What a row needs from the viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, no login (resident pages, health, assets, the login page, the API document).
    Public,
    /// A login and this permission.
    Act(Action),
    /// A login, any role: the viewer's own account (the auditor may change their password).
    Own,
}

/// How the row's record relates to the viewer's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sc {
    /// Not bounded (everyone permitted sees the same thing).
    None,
    /// A record of a compound, contract, order … : a street, community or company account gets
    /// `hidden` for the outside one.
    Record,
    /// A company's file: only a company account is bounded (to its own company).
    Company,
    /// An assessment: as `Record`, and an evaluator only for the compounds it was assigned.
    Assess,
    /// A list or search: 200 on both sides, and never the other side's data.
    List,
    /// A whole street's record (its management areas): as `Record`, and an account bounded
    /// below the street (a community) is refused even inside it.
    WholeStreet,
    /// A referral (吹哨事项) or a street's 调度表 filing: as `Record` for street, community and
    /// department accounts (a department: those made to it), and never a company's to read.
    Referral,
    /// A record of the programme's organisation (a body, meeting, 通报, 交办事项) of the side's
    /// street: read by the street, the community under it and the department of its district;
    /// never by a company (none of these name the matrix's companies).
    Org,
    /// A write to such a record: as `Org`, and the community may not write its street's.
    OrgWrite,
    /// 报结 of an assignment handed to the side's street: only the street's own officers (and
    /// the administrator) answer for it.
    OrgUnit,
    /// 销号 or 退回 of that assignment: the issuing side, never the unit it was handed to (the
    /// street is that unit here, so only the district and the administrator pass).
    OrgIssuer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    Empty,
    /// urlencoded, placeholders filled in.
    Form(&'static str),
    /// multipart with a `csrf` field and these fields.
    Multipart(&'static [(&'static str, &'static str)]),
    /// JSON, placeholders filled in; sent with `X-CSRF-Token`.
    Json(&'static str),
    /// A JSON body built from the world (contracts).
    JsonContract,
    /// A raw file upload (a tiny PDF), sent with `X-CSRF-Token`.
    File,
}

/// One route (or one probe of a route) of the matrix.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub method: &'static str,
    /// The route as registered (axum syntax).
    pub route: &'static str,
    /// The request, with placeholders: {compound} {contract_compound} {step} {contract} {company} {task} {assessment}
    /// {order} {complaint} {survey} {selection} {street} {token} {key} {name} {csrf}.
    pub url: &'static str,
    pub need: Need,
    pub scope: Sc,
    pub body: Payload,
    /// The status when permitted and inside (0: a write that passes the guards — anything but
    /// 401/403/5xx).
    pub ok: u16,
    /// The status for a bounded account on the outside record.
    pub hidden: u16,
}

const fn r(
    method: &'static str,
    route: &'static str,
    url: &'static str,
    need: Need,
    scope: Sc,
    body: Payload,
    ok: u16,
) -> Row {
    Row {
        method,
        route,
        url,
        need,
        scope,
        body,
        ok,
        hidden: 403,
    }
}

use Action as A;
use Need::{Act, Own, Public};
use Payload::{Empty, File, Form, Json, JsonContract, Multipart};

const VIEW: Need = Act(A::ViewLedger);
const PASS: u16 = 0;

/// Every route of the app. Keep in step with the app: a test fails when a route is missing.
pub const ROUTES: &[Row] = &[
    // lib.rs
    r("GET", "/", "/", VIEW, Sc::List, Empty, 200),
    r("GET", "/healthz", "/healthz", Public, Sc::None, Empty, 200),
    r(
        "GET",
        "/credit/bad-conduct",
        "/credit/bad-conduct",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "GET",
        "/assets/anju.css",
        "/assets/anju.css",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "GET",
        "/assets/map.js",
        "/assets/map.js",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "GET",
        "/assets/leaflet/leaflet.js",
        "/assets/leaflet/leaflet.js",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "GET",
        "/assets/leaflet/leaflet.css",
        "/assets/leaflet/leaflet.css",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    // compound_edit.rs: 修改台账信息, 新增小区
    r(
        "GET",
        "/compounds/{id}/edit",
        "/compounds/{compound}/edit",
        Act(A::EditCompounds),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/edit",
        "/compounds/{compound}/edit",
        Act(A::EditCompounds),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "GET",
        "/compounds/new",
        "/compounds/new",
        Act(A::EditCompounds),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/new",
        "/compounds/new",
        Act(A::EditCompounds),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    // compound_modes.rs: 管理方式沿革, 补录此前的管理方式
    r(
        "GET",
        "/compounds/{id}/modes",
        "/compounds/{compound}/modes",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/modes",
        "/compounds/{compound}/modes",
        Act(A::EditCompounds),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // owners_share_web.rs: 业委会经费分成
    r(
        "GET",
        "/compounds/{id}/owners-share",
        "/compounds/{compound}/owners-share",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/owners-share",
        "/compounds/{compound}/owners-share",
        Act(A::EditCompounds),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // compound_money.rs: 登记物业费收缴, 收支公示记账
    r(
        "GET",
        "/compounds/{id}/households",
        "/compounds/{compound}/households",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/compounds/{id}/fees",
        "/compounds/{compound}/fees",
        Act(A::EnterFees),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/fees",
        "/compounds/{compound}/fees",
        Act(A::EnterFees),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "GET",
        "/compounds/{id}/accounts",
        "/compounds/{compound}/accounts",
        Act(A::EnterFees),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/accounts",
        "/compounds/{compound}/accounts",
        Act(A::EnterFees),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // company_new.rs: 登记物业企业
    r(
        "GET",
        "/companies/new",
        "/companies/new",
        Act(A::ManageCompanies),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/companies/new",
        "/companies/new",
        Act(A::ManageCompanies),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    // holidays_web.rs: 法定节假日
    r(
        "GET",
        "/complaints/holidays",
        "/complaints/holidays",
        VIEW,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/complaints/holidays",
        "/complaints/holidays",
        Act(A::Patrol),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    // complaint_new.rs: 登记投诉
    r(
        "GET",
        "/complaints/new",
        "/complaints/new",
        Act(A::Patrol),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/complaints/new",
        "/complaints/new",
        Act(A::Patrol),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    // map_web.rs: 一张图
    r(
        "GET",
        "/dashboard/xlsx",
        "/dashboard/xlsx",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r("GET", "/map", "/map", VIEW, Sc::List, Empty, 200),
    // areas_web.rs
    r(
        "GET",
        "/areas",
        "/areas?street={street}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/areas",
        "/areas",
        Act(A::EditCompounds),
        Sc::WholeStreet,
        Form("csrf={csrf}&street={street}&target=200"),
        PASS,
    ),
    // contracts_web.rs
    r(
        "GET",
        "/contracts",
        "/contracts",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/contracts/xlsx",
        "/contracts/xlsx",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/map/coordinates/{id}",
        "/map/coordinates/{compound}",
        Act(A::EditCompounds),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // auth.rs (POST /login and /logout: tested in auth.rs, see SKIPPED)
    r("GET", "/login", "/login", Public, Sc::None, Empty, 200),
    r(
        "GET",
        "/api/v1/me",
        "/api/v1/me",
        VIEW,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/users",
        "/api/v1/users",
        Act(A::ManageUsers),
        Sc::None,
        Json(r#"{"username":"m_new","password":"matrix-password-1","role":"street"}"#),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/users",
        "/api/v1/users",
        Act(A::ManageUsers),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/users/{id}/active",
        "/api/v1/users/1/active",
        Act(A::ManageUsers),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/users/{id}/password",
        "/api/v1/users/1/password",
        Act(A::ManageUsers),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    // account.rs (a wrong current password: the form again, the session lives on)
    r(
        "GET",
        "/account/password",
        "/account/password",
        Own,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/account/password",
        "/account/password",
        Own,
        Sc::None,
        Form(
            "csrf={csrf}&current_password=not-mine-1&new_password=matrix-new-1&confirm_password=matrix-new-1",
        ),
        422,
    ),
    // ledger.rs
    r("GET", "/ledger", "/ledger", VIEW, Sc::List, Empty, 200),
    r(
        "GET",
        "/ledger",
        "/ledger?street={street}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/ledger",
        "/ledger?q={name_part}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/stats",
        "/api/v1/stats?street={street}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/compounds",
        "/api/v1/compounds",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/compounds",
        "/api/v1/compounds?q={name}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    // compound.rs
    Row {
        hidden: 404,
        ..r(
            "GET",
            "/compounds/find",
            "/compounds/find?street={street}&name={name}",
            VIEW,
            Sc::Record,
            Empty,
            303,
        )
    },
    r(
        "GET",
        "/compounds/{id}",
        "/compounds/{compound}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/advance",
        "/compounds/{compound}/advance",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Multipart(&[("to", "")]),
        PASS,
    ),
    // The correction of a step of the contract compound's path (a company account does not see
    // that compound, and may not correct anyway).
    r(
        "GET",
        "/compounds/{id}/steps/{step}/correct",
        "/compounds/{contract_compound}/steps/{step}/correct",
        Act(A::CorrectSteps),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/steps/{step}/correct",
        "/compounds/{contract_compound}/steps/{step}/correct",
        Act(A::CorrectSteps),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/compounds/{id}/file",
        "/compounds/{compound}/file",
        Act(A::ManageContracts),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/compounds/{id}/sign",
        "/compounds/{compound}/sign",
        Act(A::ManageContracts),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/compounds/{id}/evaluators",
        "/compounds/{compound}/evaluators",
        Act(A::ReviewAssessments),
        Sc::Record,
        Form("csrf={csrf}&evaluator=cp"),
        PASS,
    ),
    r(
        "POST",
        "/compounds/{id}/terminate",
        "/compounds/{compound}/terminate",
        Act(A::ManageContracts),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/compounds/{id}/dismissal",
        "/compounds/{compound}/dismissal",
        Act(A::ManageContracts),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // An unknown file: 404 to everyone logged in (no file is planted; see the report).
    Row {
        hidden: 404,
        ..r(
            "GET",
            "/evidence/{sha256}",
            "/evidence/0000000000000000000000000000000000000000000000000000000000000000",
            VIEW,
            Sc::None,
            Empty,
            404,
        )
    },
    // companies.rs
    r(
        "GET",
        "/companies",
        "/companies",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/companies/{id}",
        "/companies/{company}",
        VIEW,
        Sc::Company,
        Empty,
        200,
    ),
    r(
        "POST",
        "/companies/{id}/records",
        "/companies/{company}/records",
        Act(A::ManageCompanies),
        Sc::Company,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/companies/complaint-counts",
        "/companies/complaint-counts",
        Act(A::ManageCompanies),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    // complaints_web.rs
    r(
        "GET",
        "/complaints",
        "/complaints",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/complaints/{id}",
        "/complaints/{complaint}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/complaints/{id}/sign",
        "/complaints/{complaint}/sign",
        Act(A::AnswerOrders),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/complaints/{id}/answer",
        "/complaints/{complaint}/answer",
        Act(A::AnswerOrders),
        Sc::Record,
        Multipart(&[]),
        PASS,
    ),
    r(
        "POST",
        "/complaints/{id}/rate",
        "/complaints/{complaint}/rate",
        Act(A::Patrol),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/complaints/{id}/close",
        "/complaints/{complaint}/close",
        Act(A::Patrol),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/complaints/{id}/verify",
        "/complaints/{complaint}/verify",
        Act(A::VerifyComplaints),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // owners_bodies_web.rs
    r(
        "GET",
        "/compounds/{id}/owners-bodies",
        "/compounds/{compound}/owners-bodies",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/owners-bodies",
        "/compounds/{compound}/owners-bodies",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Form("csrf={csrf}&kind=owners_committee&term_years=5"),
        PASS,
    ),
    r(
        "GET",
        "/owners-bodies/{id}",
        "/owners-bodies/{body}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/owners-bodies/{id}/step",
        "/owners-bodies/{body}/step",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Form("csrf={csrf}&version=0&step=end&note=x"),
        PASS,
    ),
    r(
        "POST",
        "/owners-bodies/{id}/members",
        "/owners-bodies/{body}/members",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Form("csrf={csrf}&version=0&m_name=x&m_role=member&m_party=0"),
        PASS,
    ),
    // party_web.rs
    r(
        "GET",
        "/compounds/{id}/party",
        "/compounds/{compound}/party",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/party",
        "/compounds/{compound}/party",
        Act(A::ManageParty),
        Sc::Record,
        Form("csrf={csrf}&kind=instructor&name=x&sent_by=x"),
        PASS,
    ),
    r(
        "POST",
        "/party-records/{id}",
        "/party-records/{party}",
        Act(A::ManageParty),
        Sc::Record,
        Form("csrf={csrf}&version=0"),
        PASS,
    ),
    // votes_web.rs
    r(
        "GET",
        "/compounds/{id}/register",
        "/compounds/{compound}/register",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/register",
        "/compounds/{compound}/register",
        Act(A::RunVotes),
        Sc::Record,
        Form("csrf={csrf}&unit=1-1-101&owner_name=x&area=100"),
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/register/import",
        "/compounds/{compound}/register/import",
        Act(A::RunVotes),
        Sc::Record,
        Multipart(&[]),
        PASS,
    ),
    r(
        "GET",
        "/compounds/{id}/votes",
        "/compounds/{compound}/votes",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/votes",
        "/compounds/{compound}/votes",
        Act(A::RunVotes),
        Sc::Record,
        Form("csrf={csrf}&matter=other&question=x&closes_on=2026-01-01"),
        PASS,
    ),
    r(
        "GET",
        "/votes/{id}",
        "/votes/{vote}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/votes/{id}/result",
        "/votes/{vote}/result",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/votes/{id}/sheet",
        "/votes/{vote}/sheet",
        Act(A::RunVotes),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/votes/{id}/paper",
        "/votes/{vote}/paper",
        Act(A::RunVotes),
        Sc::Record,
        Multipart(&[]),
        PASS,
    ),
    r(
        "POST",
        "/votes/{id}/close",
        "/votes/{vote}/close",
        Act(A::RunVotes),
        Sc::Record,
        Form("csrf={csrf}&version=0"),
        PASS,
    ),
    r(
        "POST",
        "/votes/{id}/apply",
        "/votes/{vote}/apply",
        Act(A::RunVotes),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // fund_web.rs
    r(
        "GET",
        "/compounds/{id}/fund",
        "/compounds/{compound}/fund",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/fund/deposit",
        "/compounds/{compound}/fund/deposit",
        Act(A::ManageFund),
        Sc::Record,
        Form("csrf={csrf}&amount=1&date=2026-11-01"),
        PASS,
    ),
    r(
        "POST",
        "/compounds/{id}/fund/uses",
        "/compounds/{compound}/fund/uses",
        Act(A::RunVotes),
        Sc::Record,
        Form("csrf={csrf}&title=x&cost=1&date=2026-11-01"),
        PASS,
    ),
    r(
        "POST",
        "/fund-uses/{id}/step",
        "/fund-uses/{fund_use}/step",
        Act(A::ManageFund),
        Sc::Record,
        Form("csrf={csrf}&step=approve&version=0"),
        PASS,
    ),
    // renovation_web.rs: 老旧小区改造, 三承诺, 核定收费标准
    r(
        "GET",
        "/compounds/{id}/renovation",
        "/compounds/{compound}/renovation",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/renovation",
        "/compounds/{compound}/renovation",
        Act(A::ManageRenovation),
        Sc::Record,
        Form("csrf={csrf}&name=x"),
        PASS,
    ),
    r(
        "GET",
        "/renovations/{id}",
        "/renovations/{renovation}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/renovations/{id}/date",
        "/renovations/{renovation}/date",
        Act(A::ManageRenovation),
        Sc::Record,
        Form("csrf={csrf}&version=0&milestone=procedures&date=2026-01-01"),
        PASS,
    ),
    r(
        "POST",
        "/renovations/{id}/households",
        "/renovations/{renovation}/households",
        Act(A::ManageRenovation),
        Sc::Record,
        Form("csrf={csrf}&house=9-9-999&demolish=1"),
        PASS,
    ),
    r(
        "POST",
        "/renovations/{id}/import",
        "/renovations/{renovation}/import",
        Act(A::ManageRenovation),
        Sc::Record,
        Multipart(&[]),
        PASS,
    ),
    r(
        "GET",
        "/compounds/{id}/fee-standards",
        "/compounds/{compound}/fee-standards",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/compounds/{id}/fee-standards",
        "/compounds/{compound}/fee-standards",
        Act(A::SetFeeStandards),
        Sc::Record,
        Form("csrf={csrf}&multi=1.00&doc_no=x&department=y"),
        PASS,
    ),
    // organisation_web.rs
    r(
        "GET",
        "/organisation",
        "/organisation",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/organisation/groups/new",
        "/organisation/groups/new",
        Act(A::ManageOrganisation),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/organisation/groups/new",
        "/organisation/groups/new",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Form(
            "csrf={csrf}&region={street_region}&kind=task_force&name=matrix&roster=%E6%88%90%E5%91%98%EF%BC%9A%E7%8E%8B%E4%BA%94+%E5%B1%80%E9%95%BF",
        ),
        PASS,
    ),
    r(
        "GET",
        "/organisation/groups/{id}",
        "/organisation/groups/{group}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "POST",
        "/organisation/groups/{id}/members",
        "/organisation/groups/{group}/members",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Form(
            "csrf={csrf}&version=1&roster=%E6%88%90%E5%91%98%EF%BC%9A%E7%8E%8B%E4%BA%94+%E5%B1%80%E9%95%BF",
        ),
        PASS,
    ),
    r(
        "POST",
        "/organisation/groups/{id}/leave",
        "/organisation/groups/{group}/leave",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Form("csrf={csrf}&version=1&member=0"),
        PASS,
    ),
    r(
        "GET",
        "/organisation/meetings/new",
        "/organisation/meetings/new?region={street_region}",
        Act(A::ManageOrganisation),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/organisation/meetings/new",
        "/organisation/meetings/new",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Form("csrf={csrf}&region={street_region}&kind=dispatch&title=matrix&attendees=a&minutes=m"),
        PASS,
    ),
    r(
        "GET",
        "/organisation/meetings/{id}",
        "/organisation/meetings/{meeting}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "POST",
        "/organisation/meetings/{id}/decisions",
        "/organisation/meetings/{meeting}/decisions",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Form("csrf={csrf}&decision=matrix&unit=region:{street_region}&deadline=2099-01-01"),
        PASS,
    ),
    r(
        "GET",
        "/organisation/censures/new",
        "/organisation/censures/new",
        Act(A::ManageOrganisation),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/organisation/censures/new",
        "/organisation/censures/new",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Form(
            "csrf={csrf}&region={street_region}&kind=criticism&unit=region:{street_region}&reason=matrix",
        ),
        PASS,
    ),
    r(
        "GET",
        "/organisation/censures/{id}",
        "/organisation/censures/{censure}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "GET",
        "/organisation/assignments/{id}",
        "/organisation/assignments/{assignment}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "POST",
        "/organisation/assignments/{id}/step",
        "/organisation/assignments/{assignment}/step",
        Act(A::ReportAssignments),
        Sc::OrgUnit,
        Form("csrf={csrf}&version=0&step=report&note=done"),
        PASS,
    ),
    r(
        "POST",
        "/organisation/assignments/{id}/step",
        "/organisation/assignments/{assignment}/step",
        Act(A::ManageOrganisation),
        Sc::OrgIssuer,
        Form("csrf={csrf}&version=0&step=close"),
        PASS,
    ),
    // referrals_web.rs
    r(
        "GET",
        "/referrals",
        "/referrals",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/referrals",
        "/referrals?show=all",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/referrals/new",
        "/referrals/new?compound={compound}",
        Act(A::Refer),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/referrals/new",
        "/referrals/new?complaint={complaint}&category=%E6%B6%88%E9%98%B2%E9%80%9A%E9%81%93",
        Act(A::Refer),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/referrals/new",
        "/referrals/new",
        Act(A::Refer),
        Sc::Record,
        Form(
            "csrf={csrf}&compound={compound}&department={department}&category=%E6%B6%88%E9%98%B2%E9%80%9A%E9%81%93&text=matrix&days=5",
        ),
        PASS,
    ),
    r(
        "GET",
        "/referrals/{id}",
        "/referrals/{referral}",
        VIEW,
        Sc::Referral,
        Empty,
        200,
    ),
    r(
        "POST",
        "/referrals/{id}/step",
        "/referrals/{referral}/step",
        Act(A::RespondReferrals),
        Sc::Referral,
        Multipart(&[("step", "acknowledge")]),
        PASS,
    ),
    r(
        "POST",
        "/referrals/{id}/step",
        "/referrals/{referral}/step",
        Act(A::Refer),
        Sc::Referral,
        Multipart(&[("step", "confirm")]),
        PASS,
    ),
    r(
        "GET",
        "/departments",
        "/departments",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/departments",
        "/departments",
        Act(A::ManageDepartments),
        Sc::None,
        Form("csrf={csrf}&name=x"),
        PASS,
    ),
    r(
        "POST",
        "/departments/seed",
        "/departments/seed",
        Act(A::ManageDepartments),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/departments/{id}",
        "/departments/{department}",
        Act(A::ManageDepartments),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    // inbox.rs
    r("GET", "/inbox", "/inbox", Own, Sc::None, Empty, 200),
    r(
        "POST",
        "/inbox/read-all",
        "/inbox/read-all",
        Own,
        Sc::None,
        Form("csrf={csrf}"),
        303,
    ),
    r("GET", "/inbox/{id}", "/inbox/0", Own, Sc::None, Empty, 403),
    // filings_web.rs
    r("GET", "/dispatch", "/dispatch", VIEW, Sc::List, Empty, 200),
    r(
        "POST",
        "/dispatch/file",
        "/dispatch/file",
        Act(A::ManageTasks),
        Sc::None,
        Form("csrf={csrf}&due_on=2026-11-15"),
        PASS,
    ),
    r(
        "POST",
        "/dispatch/schedule",
        "/dispatch/schedule",
        Act(A::ManageDepartments),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "GET",
        "/dispatch/filings/{id}",
        "/dispatch/filings/{filing}",
        VIEW,
        Sc::Referral,
        Empty,
        200,
    ),
    // users_web.rs
    r(
        "GET",
        "/users",
        "/users",
        Act(A::ManageUsers),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/users",
        "/users",
        Act(A::ManageUsers),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/users/{id}/active",
        "/users/1/active",
        Act(A::ManageUsers),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/users/{id}/password",
        "/users/1/password",
        Act(A::ManageUsers),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/users/{id}/unlock",
        "/users/1/unlock",
        Act(A::ManageUsers),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    // surveys_web.rs
    r("GET", "/surveys", "/surveys", VIEW, Sc::List, Empty, 200),
    r(
        "POST",
        "/surveys",
        "/surveys",
        Act(A::ManageSurveys),
        Sc::Record,
        Form("csrf={csrf}&compound={compound}"),
        PASS,
    ),
    r(
        "GET",
        "/surveys/new",
        "/surveys/new?compound={compound}",
        Act(A::ManageSurveys),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/surveys/{id}",
        "/surveys/{survey}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/surveys/{id}/links",
        "/surveys/{survey}/links",
        Act(A::ManageSurveys),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/surveys/{id}/close",
        "/surveys/{survey}/close",
        Act(A::ManageSurveys),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "GET",
        "/surveys/{id}/qr",
        "/surveys/{survey}/qr",
        Act(A::ManageSurveys),
        Sc::Record,
        Empty,
        200,
    ),
    // selections.rs, tasks.rs, targets.rs
    r(
        "GET",
        "/selections",
        "/selections",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/selections",
        "/selections",
        Act(A::ManageContracts),
        Sc::Record,
        Form("csrf={csrf}&street={street}"),
        PASS,
    ),
    r(
        "GET",
        "/selections/{id}",
        "/selections/{selection}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/selections/{id}/{step}",
        "/selections/{selection}/register",
        Act(A::ManageContracts),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r("GET", "/tasks", "/tasks", VIEW, Sc::List, Empty, 200),
    r(
        "GET",
        "/tasks",
        "/tasks?street={street}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/tasks",
        "/tasks",
        Act(A::ManageTasks),
        Sc::Record,
        Form("csrf={csrf}&compound={compound}"),
        PASS,
    ),
    r(
        "POST",
        "/tasks/{id}/done",
        "/tasks/{task}/done",
        Act(A::ManageTasks),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r("GET", "/targets", "/targets", VIEW, Sc::List, Empty, 200),
    r(
        "POST",
        "/targets",
        "/targets",
        Act(A::ManageTasks),
        Sc::Record,
        Form("csrf={csrf}&street={street}"),
        PASS,
    ),
    r(
        "POST",
        "/targets/preset",
        "/targets/preset",
        Act(A::ManageTasks),
        Sc::Record,
        Form("csrf={csrf}&street={street}&preset=daqintala-2022"),
        PASS,
    ),
    // resident.rs: no login, the link is the key
    r(
        "GET",
        "/s/{token}",
        "/s/{token}",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/s/{token}",
        "/s/{token}",
        Public,
        Sc::None,
        Form(""),
        PASS,
    ),
    r(
        "GET",
        "/s/{token}/qr.svg",
        "/s/{token}/qr.svg",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r("GET", "/p/{key}", "/p/{key}", Public, Sc::None, Empty, 200),
    r(
        "GET",
        "/v/{token}",
        "/v/{ballot}",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/v/{token}",
        "/v/{ballot}",
        Public,
        Sc::None,
        Form(""),
        PASS,
    ),
    r(
        "POST",
        "/p/{key}/complaint",
        "/p/{key}/complaint",
        Public,
        Sc::None,
        Form(""),
        PASS,
    ),
    // dashboard.rs
    r(
        "GET",
        "/dashboard",
        "/dashboard",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    // ledger.rs: import and export
    r(
        "GET",
        "/ledger/export.xlsx",
        "/ledger/export.xlsx",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/ledger/export.xlsx",
        "/ledger/export.xlsx?street={street}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/ledger/export.xlsx",
        "/ledger/export.xlsx?q={name_part}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/ledger/import",
        "/ledger/import",
        Act(A::EditCompounds),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/ledger/import",
        "/ledger/import",
        Act(A::EditCompounds),
        Sc::None,
        Multipart(&[]),
        PASS,
    ),
    // fees_import.rs
    r(
        "GET",
        "/fees/import",
        "/fees/import",
        Act(A::EnterFees),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/fees/import",
        "/fees/import",
        Act(A::EnterFees),
        Sc::None,
        Multipart(&[]),
        PASS,
    ),
    // assessments.rs, patrols.rs: assessments on a phone, patrols, orders
    r(
        "GET",
        "/assessments/new",
        "/assessments/new?compound={compound}",
        Act(A::Assess),
        Sc::Assess,
        Empty,
        200,
    ),
    r(
        "POST",
        "/assessments/new",
        "/assessments/new?compound={compound}",
        Act(A::Assess),
        Sc::Assess,
        Multipart(&[]),
        PASS,
    ),
    r(
        "GET",
        "/assessments/{id}",
        "/assessments/{assessment}",
        VIEW,
        Sc::Assess,
        Empty,
        200,
    ),
    r(
        "POST",
        "/assessments/{id}/{step}",
        "/assessments/{assessment}/submit",
        Act(A::Assess),
        Sc::Assess,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "GET",
        "/patrols/new",
        "/patrols/new?compound={compound}",
        Act(A::Patrol),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/patrols/new",
        "/patrols/new?compound={compound}",
        Act(A::Patrol),
        Sc::Record,
        Multipart(&[]),
        PASS,
    ),
    r(
        "GET",
        "/patrols/{id}",
        "/patrols/{patrol}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    // No photo is planted: 404 inside, 403 outside.
    r(
        "GET",
        "/patrols/{id}/photo/{sha}",
        "/patrols/{patrol}/photo/0000000000000000000000000000000000000000000000000000000000000000",
        VIEW,
        Sc::Record,
        Empty,
        404,
    ),
    r(
        "POST",
        "/orders/{id}/answer",
        "/orders/{order}/answer",
        Act(A::AnswerOrders),
        Sc::Record,
        Multipart(&[]),
        PASS,
    ),
    r(
        "POST",
        "/orders/{id}/close",
        "/orders/{order}/close",
        Act(A::Patrol),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "POST",
        "/orders/{id}/reopen",
        "/orders/{order}/reopen",
        Act(A::Patrol),
        Sc::Record,
        Form("csrf={csrf}"),
        PASS,
    ),
    // budget_web.rs (the xlsx without a policy: 422 past the guards; its cells are tested in
    // budget_web.rs)
    r(
        "GET",
        "/budget",
        "/budget",
        Act(A::ProjectBudget),
        Sc::None,
        Empty,
        200,
    ),
    // evaluator_fees_web.rs: 第三方测评经费
    r(
        "GET",
        "/funding/evaluator-fees",
        "/funding/evaluator-fees",
        Act(A::ProjectBudget),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/funding/evaluator-fees",
        "/funding/evaluator-fees",
        Act(A::Disburse),
        Sc::None,
        Form("csrf={csrf}"),
        PASS,
    ),
    r(
        "GET",
        "/budget",
        "/budget?policy=liaocheng-2021&score=85&collection_rate=85%25&start_year=2027",
        Act(A::ProjectBudget),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "GET",
        "/budget/xlsx",
        "/budget/xlsx",
        Act(A::ProjectBudget),
        Sc::None,
        Empty,
        422,
    ),
    // audit_view.rs
    r(
        "GET",
        "/audit",
        "/audit",
        Act(A::ViewAuditLog),
        Sc::None,
        Empty,
        200,
    ),
    // api/
    r(
        "GET",
        "/api/v1/openapi.json",
        "/api/v1/openapi.json",
        Public,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/ledger",
        "/api/v1/ledger",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/ledger",
        "/api/v1/ledger?q={name}&per_page=500",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}",
        "/api/v1/compounds/{compound}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "PUT",
        "/api/v1/compounds/{id}",
        "/api/v1/compounds/{compound}",
        Act(A::EditCompounds),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}/lifecycle",
        "/api/v1/compounds/{compound}/lifecycle",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/lifecycle",
        "/api/v1/compounds/{compound}/lifecycle",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/steps/{step}/correction",
        "/api/v1/compounds/{contract_compound}/steps/{step}/correction",
        Act(A::CorrectSteps),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/evidence",
        "/api/v1/evidence?name=matrix.pdf",
        Act(A::UploadEvidence),
        Sc::None,
        File,
        201,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}/contracts",
        "/api/v1/compounds/{compound}/contracts",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/contracts",
        "/api/v1/contracts",
        Act(A::ManageContracts),
        Sc::Record,
        JsonContract,
        PASS,
    ),
    r(
        "POST",
        "/api/v1/contracts/{id}/file",
        "/api/v1/contracts/{contract}/file",
        Act(A::ManageContracts),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/contracts/{id}/terminate",
        "/api/v1/contracts/{contract}/terminate",
        Act(A::ManageContracts),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/companies",
        "/api/v1/companies",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/companies/{id}",
        "/api/v1/companies/{company}",
        VIEW,
        Sc::Company,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/companies/{id}/records",
        "/api/v1/companies/{company}/records",
        Act(A::ManageCompanies),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/tasks",
        "/api/v1/tasks",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/tasks",
        "/api/v1/tasks?street={street}",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/tasks",
        "/api/v1/tasks",
        Act(A::ManageTasks),
        Sc::Record,
        Json(
            r#"{"compound_id":{compound},"title":"矩阵","responsible":"矩阵","deadline":"2026-12-31"}"#,
        ),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/tasks/{id}/done",
        "/api/v1/tasks/{task}/done",
        Act(A::ManageTasks),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/targets",
        "/api/v1/targets?street={street}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/assessments",
        "/api/v1/assessments",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/assessments",
        "/api/v1/assessments",
        Act(A::Assess),
        Sc::Assess,
        Json(r#"{"compound_id":{compound},"period":"2026Q4","rubric":"erqi"}"#),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/assessments/{id}",
        "/api/v1/assessments/{assessment}",
        VIEW,
        Sc::Assess,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/assessments/{id}/submit",
        "/api/v1/assessments/{assessment}/submit",
        Act(A::Assess),
        Sc::Assess,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/evaluator-assignments",
        "/api/v1/evaluator-assignments",
        Act(A::ReviewAssessments),
        Sc::Record,
        Json(r#"{"evaluator": "矩阵测评", "compound_id": {compound}}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/surveys",
        "/api/v1/surveys",
        Act(A::ManageSurveys),
        Sc::Record,
        Json(r#"{"compound_id": {compound}, "period": "2026H2", "rule": "erqi", "tokens": 1}"#),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/surveys/{id}/links",
        "/api/v1/surveys/{survey}/links",
        Act(A::ManageSurveys),
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/surveys/{id}/links",
        "/api/v1/surveys/{survey}/links",
        Act(A::ManageSurveys),
        Sc::Record,
        Json(r#"{"count": 1}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/surveys/{id}/close",
        "/api/v1/surveys/{survey}/close",
        Act(A::ManageSurveys),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/assessments/{id}/review",
        "/api/v1/assessments/{assessment}/review",
        Act(A::ReviewAssessments),
        Sc::Assess,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/assessments/{id}/decide",
        "/api/v1/assessments/{assessment}/decide",
        Act(A::ReviewAssessments),
        Sc::Assess,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/assessments/{id}/finalize",
        "/api/v1/assessments/{assessment}/finalize",
        Act(A::ReviewAssessments),
        Sc::Assess,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/assessments/{id}/object",
        "/api/v1/assessments/{assessment}/object",
        Act(A::AnswerOrders),
        Sc::Assess,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}/patrols",
        "/api/v1/compounds/{compound}/patrols",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/patrols",
        "/api/v1/patrols",
        Act(A::Patrol),
        Sc::Record,
        Json(
            r#"{"compound_id":{compound},"kind":"weekly_patrol","date":"2026-11-20","inspector":"矩阵","findings":[]}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/orders",
        "/api/v1/orders",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/orders/{id}/answer",
        "/api/v1/orders/{order}/answer",
        Act(A::AnswerOrders),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/complaints",
        "/api/v1/complaints",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/complaints",
        "/api/v1/complaints",
        Act(A::Patrol),
        Sc::Record,
        Json(
            r#"{"compound_id":{compound},"source":"resident","category":"环境","text":"矩阵","received_on":"2026-11-20"}"#,
        ),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/complaints/{id}/answer",
        "/api/v1/complaints/{complaint}/answer",
        Act(A::AnswerOrders),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/complaints/{id}/sign",
        "/api/v1/complaints/{complaint}/sign",
        Act(A::AnswerOrders),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/complaints/{id}/rate",
        "/api/v1/complaints/{complaint}/rate",
        Act(A::Patrol),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/complaints/{id}/close",
        "/api/v1/complaints/{complaint}/close",
        Act(A::Patrol),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/complaints/{id}/verify",
        "/api/v1/complaints/{complaint}/verify",
        Act(A::VerifyComplaints),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/surveys",
        "/api/v1/surveys",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/surveys/{id}/results",
        "/api/v1/surveys/{survey}/results",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}/fees",
        "/api/v1/compounds/{compound}/fees?range=2026",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}/accounts",
        "/api/v1/compounds/{compound}/accounts?period=2026",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/funding/policies",
        "/api/v1/funding/policies",
        VIEW,
        Sc::None,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/funding/policies",
        "/api/v1/funding/policies",
        Act(A::ApproveSubsidies),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/audit",
        "/api/v1/audit?limit=50",
        Act(A::ViewAuditLog),
        Sc::None,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/dispatch",
        "/api/v1/dispatch",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/dispatch/filings",
        "/api/v1/dispatch/filings",
        Act(A::ManageTasks),
        Sc::None,
        Json(r#"{"due_on": "2026-11-15"}"#),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/dispatch/filings/{id}",
        "/api/v1/dispatch/filings/{filing}",
        VIEW,
        Sc::Referral,
        Empty,
        200,
    ),
    r(
        "PUT",
        "/api/v1/dispatch/schedule",
        "/api/v1/dispatch/schedule",
        Act(A::ManageDepartments),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/departments",
        "/api/v1/departments",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/departments",
        "/api/v1/departments",
        Act(A::ManageDepartments),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    r(
        "PUT",
        "/api/v1/departments/{id}",
        "/api/v1/departments/{department}",
        Act(A::ManageDepartments),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/departments/seed",
        "/api/v1/departments/seed",
        Act(A::ManageDepartments),
        Sc::None,
        Json("{}"),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/departments/figures",
        "/api/v1/departments/figures",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/referrals",
        "/api/v1/referrals?open=true",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/referrals",
        "/api/v1/referrals",
        Act(A::Refer),
        Sc::Record,
        Json(
            r#"{"compound_id": {compound}, "department_id": {department}, "source": "other", "category": "消防通道", "text": "矩阵", "referred_on": "2026-11-03"}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/referrals/{id}",
        "/api/v1/referrals/{referral}",
        VIEW,
        Sc::Referral,
        Empty,
        200,
    ),
    // api/party.rs
    r(
        "GET",
        "/api/v1/compounds/{id}/party",
        "/api/v1/compounds/{compound}/party",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/party",
        "/api/v1/compounds/{compound}/party",
        Act(A::ManageParty),
        Sc::Record,
        Json(r#"{"kind": "instructor", "name": "x", "sent_by": "x", "started_on": "2026-11-01"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/party-records/{id}",
        "/api/v1/party-records/{party}",
        Act(A::ManageParty),
        Sc::Record,
        Json(r#"{"version": 0, "ended_on": "2026-11-01"}"#),
        PASS,
    ),
    // api/owners_bodies.rs
    r(
        "GET",
        "/api/v1/compounds/{id}/owners-bodies",
        "/api/v1/compounds/{compound}/owners-bodies",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/owners-bodies",
        "/api/v1/compounds/{compound}/owners-bodies",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Json(r#"{"kind": "owners_committee", "prepared_on": "2026-11-01"}"#),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/owners-bodies/{id}",
        "/api/v1/owners-bodies/{body}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/owners-bodies/{id}/elect",
        "/api/v1/owners-bodies/{body}/elect",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Json(r#"{"version": 0, "members": [{"name": "x", "role": "chair"}]}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/owners-bodies/{id}/file",
        "/api/v1/owners-bodies/{body}/file",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Json(r#"{"version": 0}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/owners-bodies/{id}/end",
        "/api/v1/owners-bodies/{body}/end",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Json(r#"{"version": 0, "note": "x"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/owners-bodies/{id}/members",
        "/api/v1/owners-bodies/{body}/members",
        Act(A::AdvanceLifecycle),
        Sc::Record,
        Json(r#"{"version": 0, "members": [{"name": "x", "role": "member"}]}"#),
        PASS,
    ),
    // api/votes.rs
    r(
        "GET",
        "/api/v1/compounds/{id}/households",
        "/api/v1/compounds/{compound}/households",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/households",
        "/api/v1/compounds/{compound}/households",
        Act(A::RunVotes),
        Sc::Record,
        Json(r#"{"unit": "1-1-101", "owner_name": "王一", "area": "100.00"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/households/import",
        "/api/v1/compounds/{compound}/households/import?format=csv",
        Act(A::RunVotes),
        Sc::Record,
        File,
        PASS,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}/votes",
        "/api/v1/compounds/{compound}/votes",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/votes",
        "/api/v1/compounds/{compound}/votes",
        Act(A::RunVotes),
        Sc::Record,
        Json(
            r#"{"matter": "other", "question": "x", "opens_on": "2026-11-01", "closes_on": "2026-11-30"}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/votes/{id}",
        "/api/v1/votes/{vote}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/votes/{id}/paper",
        "/api/v1/votes/{vote}/paper",
        Act(A::RunVotes),
        Sc::Record,
        Json(
            r#"{"household_id": {household}, "choice": "abstain", "received_on": "2026-11-02", "evidence_sha": "0"}"#,
        ),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/votes/{id}/close",
        "/api/v1/votes/{vote}/close",
        Act(A::RunVotes),
        Sc::Record,
        Json(r#"{"version": 0}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/votes/{id}/apply",
        "/api/v1/votes/{vote}/apply",
        Act(A::RunVotes),
        Sc::Record,
        Json("{}"),
        PASS,
    ),
    // api/renovation.rs
    r(
        "GET",
        "/api/v1/compounds/{id}/renovations",
        "/api/v1/compounds/{compound}/renovations",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/renovations",
        "/api/v1/compounds/{compound}/renovations",
        Act(A::ManageRenovation),
        Sc::Record,
        Json(r#"{"name": "x"}"#),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/renovations/{id}",
        "/api/v1/renovations/{renovation}",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/renovations/{id}/dates",
        "/api/v1/renovations/{renovation}/dates",
        Act(A::ManageRenovation),
        Sc::Record,
        Json(r#"{"version": 0, "milestone": "procedures", "on": "2026-01-01"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/renovations/{id}/households",
        "/api/v1/renovations/{renovation}/households",
        Act(A::ManageRenovation),
        Sc::Record,
        Json(
            r#"{"house": "9-9-999", "demolish": true, "maintenance_fund": false, "repair_fees": false}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/compounds/{id}/fee-standards",
        "/api/v1/compounds/{compound}/fee-standards",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/fee-standards",
        "/api/v1/compounds/{compound}/fee-standards",
        Act(A::SetFeeStandards),
        Sc::Record,
        Json(
            r#"{"fees": {"multi": 100}, "doc_no": "x", "approved_on": "2026-01-01", "department": "y"}"#,
        ),
        PASS,
    ),
    // api/fund.rs
    r(
        "GET",
        "/api/v1/compounds/{id}/fund",
        "/api/v1/compounds/{compound}/fund",
        VIEW,
        Sc::Record,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/fund/deposits",
        "/api/v1/compounds/{compound}/fund/deposits",
        Act(A::ManageFund),
        Sc::Record,
        Json(r#"{"amount": 1, "on": "2026-11-01"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/compounds/{id}/fund/uses",
        "/api/v1/compounds/{compound}/fund/uses",
        Act(A::RunVotes),
        Sc::Record,
        Json(r#"{"title": "x", "cost": 1, "applied_on": "2026-11-01"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/fund-uses/{id}/vote",
        "/api/v1/fund-uses/{fund_use}/vote",
        Act(A::RunVotes),
        Sc::Record,
        Json(r#"{"version": 0, "vote_id": 1}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/fund-uses/{id}/approve",
        "/api/v1/fund-uses/{fund_use}/approve",
        Act(A::ManageFund),
        Sc::Record,
        Json(r#"{"version": 0}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/fund-uses/{id}/reject",
        "/api/v1/fund-uses/{fund_use}/reject",
        Act(A::ManageFund),
        Sc::Record,
        Json(r#"{"version": 0, "reason": "x"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/fund-uses/{id}/pay",
        "/api/v1/fund-uses/{fund_use}/pay",
        Act(A::ManageFund),
        Sc::Record,
        Json(r#"{"version": 0}"#),
        PASS,
    ),
    // api/organisation.rs
    r(
        "GET",
        "/api/v1/groups",
        "/api/v1/groups",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/groups",
        "/api/v1/groups",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Json(
            r#"{"region_id": {street_region}, "kind": "task_force", "name": "matrix", "established_on": "2026-11-01", "roster": "成员：王五 局长"}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/groups/{id}",
        "/api/v1/groups/{group}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/groups/{id}/members",
        "/api/v1/groups/{group}/members",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Json(r#"{"version": 0, "roster": "成员：王五 局长", "joined_on": "2026-11-02"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/groups/{id}/members/{member_id}/leave",
        "/api/v1/groups/{group}/members/0/leave",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Json(r#"{"version": 0, "left_on": "2026-11-02"}"#),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/meetings",
        "/api/v1/meetings",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/meetings",
        "/api/v1/meetings",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Json(
            r#"{"region_id": {street_region}, "kind": "dispatch", "title": "matrix", "held_on": "2026-11-02", "attendees": "a", "minutes": "m"}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/meetings/{id}",
        "/api/v1/meetings/{meeting}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/meetings/{id}/decisions",
        "/api/v1/meetings/{meeting}/decisions",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Json(
            r#"{"unit": {"kind": "region", "id": {street_region}}, "text": "matrix", "deadline": "2099-01-01"}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/censures",
        "/api/v1/censures",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/censures",
        "/api/v1/censures",
        Act(A::ManageOrganisation),
        Sc::OrgWrite,
        Json(
            r#"{"region_id": {street_region}, "kind": "criticism", "unit": {"kind": "region", "id": {street_region}}, "on_day": "2026-11-05", "reason": "matrix"}"#,
        ),
        PASS,
    ),
    r(
        "GET",
        "/api/v1/censures/{id}",
        "/api/v1/censures/{censure}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/assignments",
        "/api/v1/assignments",
        VIEW,
        Sc::List,
        Empty,
        200,
    ),
    r(
        "GET",
        "/api/v1/assignments/{id}",
        "/api/v1/assignments/{assignment}",
        VIEW,
        Sc::Org,
        Empty,
        200,
    ),
    r(
        "POST",
        "/api/v1/assignments/{id}/report",
        "/api/v1/assignments/{assignment}/report",
        Act(A::ReportAssignments),
        Sc::OrgUnit,
        Json(r#"{"version": 0, "note": "done"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/assignments/{id}/close",
        "/api/v1/assignments/{assignment}/close",
        Act(A::ManageOrganisation),
        Sc::OrgIssuer,
        Json(r#"{"version": 0}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/assignments/{id}/return",
        "/api/v1/assignments/{assignment}/return",
        Act(A::ManageOrganisation),
        Sc::OrgIssuer,
        Json(r#"{"version": 0, "note": "again"}"#),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/referrals/{id}/acknowledge",
        "/api/v1/referrals/{referral}/acknowledge",
        Act(A::RespondReferrals),
        Sc::Referral,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/referrals/{id}/resolve",
        "/api/v1/referrals/{referral}/resolve",
        Act(A::RespondReferrals),
        Sc::Referral,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/referrals/{id}/confirm",
        "/api/v1/referrals/{referral}/confirm",
        Act(A::Refer),
        Sc::Referral,
        Json("{}"),
        PASS,
    ),
    r(
        "POST",
        "/api/v1/referrals/{id}/return",
        "/api/v1/referrals/{referral}/return",
        Act(A::Refer),
        Sc::Referral,
        Json("{}"),
        PASS,
    ),
];

/// Routes registered but left out of the matrix, with the reason.
pub const SKIPPED: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/ledger/import/problems/{token}",
        "the uploader's own problem list of a refused import; tested in ledger_page.rs",
    ),
    (
        "POST",
        "/login",
        "creates sessions; tested in auth.rs (CSRF, rate limit, next=)",
    ),
    (
        "POST",
        "/logout",
        "ends the session the matrix runs on; tested in auth.rs",
    ),
    (
        "GET",
        "/funding",
        "subsidies: step rules beyond the permission table; tested in funding_web.rs",
    ),
    (
        "POST",
        "/funding/runs",
        "tested in funding_web.rs (role and area)",
    ),
    ("POST", "/funding/infra", "tested in funding_web.rs"),
    (
        "POST",
        "/funding/policies",
        "tested in funding_web.rs (approving roles only, the region named in scope)",
    ),
    (
        "GET",
        "/funding/lines/{id}",
        "tested in funding_web.rs (area, other company 403)",
    ),
    (
        "POST",
        "/funding/lines/{id}/step",
        "tested in funding_web.rs (each step by its role, wrong roles 403)",
    ),
    (
        "POST",
        "/funding/lines/{id}/adjust",
        "needs an approved line; tested in funding_web.rs",
    ),
    ("GET", "/reports", "tested in reports_web.rs"),
    (
        "GET",
        "/reports/{name}",
        "companies and communities refused, area forced; tested in reports_web.rs",
    ),
    (
        "GET",
        "/reports/{name}/xlsx",
        "tested in reports_web.rs (cells equal the CLI's file)",
    ),
    (
        "GET",
        "/signals",
        "housing authority, auditor and admin only; tested in signals_web.rs",
    ),
];

/// The records a row's URL can name, inside and outside the bounded accounts' scope.
#[derive(Debug, Clone)]
pub struct Side {
    pub compound: StoredCompound,
    pub contract: i64,
    pub company: i64,
    pub task: i64,
    pub patrol: i64,
    pub assessment: i64,
    pub order: i64,
    pub complaint: i64,
    pub survey: i64,
    pub selection: i64,
    pub street: &'static str,
    pub token: String,
    pub key: String,
    /// The compound a contract is signed for (unmanaged before).
    pub contract_compound: i64,
    /// The first step recorded on its path (征求意见), for the correction routes.
    pub step: i64,
    /// A department of the compound's district, and a referral of the compound made to it.
    pub department: i64,
    pub referral: i64,
    /// The street's 调度表 filing for 2026-11-01 (its district's schedule starts that day).
    pub filing: i64,
    /// The street's region, its 专班, a 调度会 of it with one decision handed to the street (the
    /// assignment), and a 约谈 of the street.
    pub street_region: i64,
    pub group: i64,
    pub meeting: i64,
    pub assignment: i64,
    pub censure: i64,
    /// An owners' committee of the compound, elected and filed (in office).
    pub body: i64,
    /// A renovation project of the compound (construction started, no company then).
    pub renovation: i64,
    /// The compound's register (one household, 1-1-101 of 100.00 ㎡) and an open vote
    /// (matter "other", 2026-11-01 to 2026-11-30).
    pub household: i64,
    pub vote: i64,
    /// The household's link key for that vote.
    pub ballot: String,
    /// A 党支部 of the compound (red property), in force.
    pub party: i64,
    /// A use of the compound's maintenance fund, applied for.
    pub fund_use: i64,
}

pub struct World {
    pub inside: Side,
    pub outside: Side,
    /// The community account's community.
    pub community: String,
    pub company_a_name: String,
    /// Names no bounded account may ever see: the outside compound's, and (for the community
    /// and company accounts) a compound of another community of street A.
    pub planted_b: String,
    pub planted_other_community: Option<String>,
}

fn actor() -> Actor {
    Actor::new("matrix", "admin")
}

pub(crate) async fn sign_contract_for(
    t: &TestApp,
    compound: &StoredCompound,
    company: i64,
) -> anju_store::ContractRecord {
    use anju_core::lifecycle::Event;
    let s = &t.store;
    let on = jiff::civil::date(2026, 10, 1);
    let steps = [
        Event::Consult,
        Event::DecideMode {
            mode: anju_core::ManagementMode::from_code("professional").expect("mode"),
        },
        Event::SettleOwners {
            body: anju_core::OwnersBody::from_code("owners_committee").expect("body"),
        },
        Event::SelectCompany {
            company_id: company,
        },
    ];
    for e in steps {
        let v = s.lifecycle(compound.id).await.expect("lc").version;
        s.advance(
            &actor(),
            compound.id,
            v,
            &anju_store::StepRequest::new(e, on),
        )
        .await
        .expect("advance");
    }
    s.sign_contract(&actor(), &new_contract(compound, company))
        .await
        .expect("sign")
}

pub fn new_contract(compound: &StoredCompound, company: i64) -> anju_store::NewContract {
    anju_store::NewContract {
        compound_ids: vec![compound.id],
        company_id: company,
        signer: anju_core::lifecycle::Signer::OwnersBody,
        signer_name: Some("业主委员会".into()),
        signed_on: jiff::civil::date(2026, 10, 2),
        entry_on: None,
        term: anju_core::contract::Term::years(3),
        service_level: anju_core::contract::ServiceLevel::new(2).expect("level"),
        min_level: None,
        fees: anju_core::contract::Fees::LIAOCHENG_2021,
        served_area: compound.compound.area.unwrap_or(anju_core::Area::ZERO),
        notice_on: None,
    }
}

async fn side(
    t: &TestApp,
    compound: StoredCompound,
    unmanaged: &StoredCompound,
    street: &'static str,
) -> Side {
    let s = &t.store;
    let company = compound.company_id.expect("served");
    let contract = sign_contract_for(t, unmanaged, company).await.id;
    let step = s.lifecycle(unmanaged.id).await.expect("lifecycle").steps[0].id;
    let task = s
        .add_task(
            &actor(),
            anju_store::NewTask {
                compound_id: compound.id,
                title: "矩阵任务".into(),
                detail: None,
                responsible: "矩阵".into(),
                deadline: jiff::civil::date(2026, 12, 31),
            },
        )
        .await
        .expect("task")
        .id;
    let assessment = s
        .create_assessment(
            &actor(),
            anju_store::NewAssessment {
                compound_id: compound.id,
                period: anju_core::assessment::Period::parse("2026Q3").expect("period"),
                rubric: anju_policy::rubric::Rubric::builtin("erqi").expect("rubric"),
                assessor_kind: anju_core::assessment::AssessorKind::Street,
                assessor: "矩阵".into(),
                events: vec![],
                survey: None,
                objection_days: None,
                evidence: vec![],
                sources: Default::default(),
            },
        )
        .await
        .expect("assessment")
        .id;
    let patrol = s
        .add_patrol(
            &actor(),
            anju_store::NewPatrol {
                compound_id: compound.id,
                kind: anju_core::oversight::PatrolKind::WeeklyPatrol,
                date: jiff::civil::date(2026, 11, 2),
                inspector: "矩阵".into(),
                note: None,
                findings: vec![anju_store::NewFinding {
                    category: anju_core::oversight::FindingCategory::Environment,
                    description: "垃圾未清运".into(),
                    evidence: vec![],
                    order_deadline: Some(jiff::civil::date(2026, 11, 9)),
                }],
            },
        )
        .await
        .expect("patrol");
    let order = patrol.findings[0].order_id.expect("order");
    let patrol = patrol.id;
    let complaint = s
        .add_complaint(
            &actor(),
            anju_store::NewComplaint {
                compound_id: compound.id,
                source: anju_core::oversight::ComplaintSource::Resident,
                category: "环境".into(),
                text: "楼道堆物".into(),
                received_on: jiff::civil::date(2026, 11, 2),
                contact: None,
            },
            &anju_store::ComplaintRules::default(),
        )
        .await
        .expect("complaint")
        .id;
    let (survey, tokens) = s
        .create_survey(
            &actor(),
            &anju_store::NewSurvey {
                compound_id: compound.id,
                period: "2026H2".into(),
                starts_on: None,
                ends_on: None,
                rule: anju_store::SurveyRule::Erqi,
                households: Some(30),
                tokens: Some(3),
            },
        )
        .await
        .expect("survey");
    let selection = s
        .open_selection(
            &actor(),
            street,
            "矩阵遴选",
            jiff::civil::date(2026, 11, 1),
            jiff::civil::date(2026, 12, 31),
        )
        .await
        .expect("selection")
        .id;
    let key = s
        .compound_public_key(&actor(), compound.id)
        .await
        .expect("key");
    let district = s
        .region_ancestors(compound.street_id)
        .await
        .expect("ancestors")[1];
    let department = s
        .add_department(
            &actor(),
            anju_store::NewDepartment {
                district_id: district,
                name: "矩阵消防救援大队".into(),
                clause: None,
                duties: vec!["消防通道".into()],
            },
        )
        .await
        .expect("department")
        .id;
    let referral = s
        .add_referral(
            &actor(),
            anju_store::NewReferral {
                compound_id: compound.id,
                department_id: department,
                source: anju_core::referral::ReferralSource::Complaint,
                source_id: Some(complaint),
                category: "消防通道".into(),
                text: "消防通道被占".into(),
                referred_on: jiff::civil::date(2026, 11, 3),
                working_days: 5,
            },
        )
        .await
        .expect("referral")
        .id;
    s.set_dispatch_schedule(&actor(), district, jiff::civil::date(2026, 11, 1), 0)
        .await
        .expect("schedule");
    let filing = s
        .file_dispatch(
            &actor(),
            compound.street_id,
            jiff::civil::date(2026, 11, 1),
            jiff::civil::date(2026, 11, 1),
            &format!(r#"{{"street": "{street}", "rows": []}}"#),
            0,
            None,
        )
        .await
        .expect("filing")
        .id;
    let street_unit = anju_store::Unit {
        kind: anju_core::organisation::UnitKind::Region,
        id: compound.street_id,
    };
    let group = s
        .add_group(
            &actor(),
            anju_store::NewGroup {
                region_id: compound.street_id,
                kind: anju_core::organisation::GroupKind::TaskForce,
                name: format!("{street}物业全覆盖工作专班"),
                office: None,
                document: None,
                established_on: jiff::civil::date(2026, 9, 11),
                members: vec![anju_store::NewMember {
                    name: "张三".into(),
                    position: "街道办事处主任".into(),
                    role: anju_core::organisation::MemberRole::Head,
                    department_id: None,
                    joined_on: jiff::civil::date(2026, 9, 11),
                }],
            },
        )
        .await
        .expect("group")
        .id;
    let meeting = s
        .add_meeting(
            &actor(),
            anju_store::NewMeeting {
                region_id: compound.street_id,
                group_id: Some(group),
                kind: anju_core::organisation::MeetingKind::Dispatch,
                title: "矩阵调度会".into(),
                held_on: jiff::civil::date(2026, 11, 2),
                place: None,
                attendees: "张三".into(),
                minutes: "研究摸底进度".into(),
                decisions: vec![anju_store::NewDecision {
                    unit: street_unit,
                    text: "完成无物业小区摸底".into(),
                    deadline: jiff::civil::date(2026, 11, 30),
                }],
            },
        )
        .await
        .expect("meeting")
        .id;
    let assignment = s
        .list_assignments(&anju_store::AssignmentFilter {
            meeting_id: Some(meeting),
            ..anju_store::AssignmentFilter::default()
        })
        .await
        .expect("assignments")[0]
        .id;
    let censure = s
        .add_censure(
            &actor(),
            anju_store::NewCensure {
                region_id: compound.street_id,
                kind: anju_core::organisation::CensureKind::Interview,
                unit: street_unit,
                on_day: jiff::civil::date(2026, 11, 5),
                reason: "进度滞后".into(),
                document: None,
                interviewee: Some("李四 副主任".into()),
                follow_up: None,
            },
        )
        .await
        .expect("censure")
        .id;
    let party = s
        .add_party_record(
            &actor(),
            anju_store::NewPartyRecord {
                compound_id: compound.id,
                kind: anju_core::party::PartyRecordKind::Branch,
                name: Some("物业项目党支部".into()),
                sent_by: None,
                members: 3,
                suggestions: 0,
                rectified: 0,
                started_on: jiff::civil::date(2026, 1, 5),
                note: None,
            },
        )
        .await
        .expect("party record")
        .id;
    let body = s
        .add_owners_body(
            &actor(),
            anju_store::NewOwnersBody {
                compound_id: compound.id,
                kind: anju_core::OwnersBody::OwnersCommittee,
                prepared_on: jiff::civil::date(2022, 10, 1),
                term_years: 5,
                note: None,
                members: Vec::new(),
            },
        )
        .await
        .expect("owners body");
    let elected = s
        .owners_body_step(
            &actor(),
            body.id,
            body.version,
            anju_core::owners_body::BodyStep::Elect,
            jiff::civil::date(2022, 11, 20),
            None,
            &[anju_store::NewBodyMember {
                name: "王业主".into(),
                role: anju_core::owners_body::BodyRole::Chair,
                party_member: true,
                contact: Some("13900000000".into()),
                duties: None,
                joined_on: jiff::civil::date(2022, 11, 20),
            }],
        )
        .await
        .expect("elected");
    s.owners_body_step(
        &actor(),
        body.id,
        elected.version,
        anju_core::owners_body::BodyStep::File,
        jiff::civil::date(2022, 11, 25),
        None,
        &[],
    )
    .await
    .expect("filed");
    s.import_households(
        &actor(),
        compound.id,
        &[anju_store::NewHousehold {
            unit: "1-1-101".into(),
            owner_name: Some("王一".into()),
            area_centi: 10_000,
        }],
    )
    .await
    .expect("register");
    let household = s.households_of(compound.id).await.expect("register")[0].id;
    let vote = s
        .open_vote(
            &actor(),
            anju_store::NewVote {
                compound_id: compound.id,
                matter: anju_core::vote::Matter::Other,
                question: "是否同意增设充电桩".into(),
                owners_body_id: None,
                opens_on: jiff::civil::date(2026, 11, 1),
                closes_on: jiff::civil::date(2026, 11, 30),
                options: vec![("同意".into(), None)],
            },
        )
        .await
        .expect("vote")
        .id;
    let ballot = s.vote_ballots(vote).await.expect("ballots")[0]
        .token
        .clone();
    let fund_use = s
        .apply_fund_use(
            &actor(),
            anju_store::NewFundUse {
                compound_id: compound.id,
                title: "屋面防水".into(),
                cost: anju_core::Fen(1_000_000),
                quotes: None,
                applied_on: jiff::civil::date(2026, 11, 2),
            },
        )
        .await
        .expect("fund use")
        .id;
    let renovation = s
        .add_renovation(
            &actor(),
            anju_store::NewRenovation {
                compound_id: compound.id,
                name: "改造项目".into(),
                milestones: anju_core::renovation::Milestones {
                    procedures_on: Some(jiff::civil::date(2026, 3, 1)),
                    construction_on: Some(jiff::civil::date(2026, 5, 1)),
                    acceptance_on: None,
                },
                note: None,
            },
        )
        .await
        .expect("renovation")
        .id;
    Side {
        renovation,
        fund_use,
        household,
        vote,
        ballot,
        body: body.id,
        party,
        street_region: compound.street_id,
        group,
        meeting,
        assignment,
        censure,
        department,
        referral,
        filing,
        contract,
        company,
        task,
        patrol,
        assessment,
        order,
        complaint,
        survey: survey.id,
        selection,
        street,
        token: tokens[0].token.clone(),
        key,
        contract_compound: unmanaged.id,
        step,
        compound,
    }
}

fn unmanaged(list: &[StoredCompound], community: Option<&str>) -> StoredCompound {
    list.iter()
        .find(|c| {
            c.company_id.is_none()
                && c.compound.mode.code() == "none"
                && community.is_none_or(|m| c.compound.community.as_deref() == Some(m))
        })
        .or_else(|| list.iter().find(|c| c.company_id.is_none()))
        .expect("an unmanaged compound")
        .clone()
}

/// Builds the world on the demo ledger.
pub async fn world(t: &TestApp) -> World {
    let s = &t.store;
    let all = s
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("compounds");
    let a: Vec<StoredCompound> = all
        .iter()
        .filter(|c| c.compound.street == STREET_A)
        .cloned()
        .collect();
    let b: Vec<StoredCompound> = all
        .iter()
        .filter(|c| c.compound.street == STREET_B)
        .cloned()
        .collect();
    // Inside: a compound of A with a company and a community that also has an unmanaged one.
    let cin = a
        .iter()
        .find(|c| {
            c.company_id.is_some()
                && c.compound.community.is_some()
                && a.iter()
                    .any(|u| u.company_id.is_none() && u.compound.community == c.compound.community)
        })
        .expect("inside compound")
        .clone();
    let community = cin.compound.community.clone().expect("community");
    let company_a = cin.company_id.expect("company");
    let count = |name: &str| {
        all.iter()
            .filter(|c| c.compound.name.contains(name))
            .count()
    };
    let cout = b
        .iter()
        .find(|c| c.company_id.is_some_and(|k| k != company_a) && count(&c.compound.name) == 1)
        .expect("outside compound")
        .clone();
    assert!(
        all.iter()
            .filter(|c| c.company_id == Some(company_a))
            .all(|c| c.compound.street == STREET_A),
        "company A serves street A only"
    );
    let planted_other_community = a
        .iter()
        .find(|c| {
            c.compound.community.as_deref() != Some(community.as_str())
                && c.company_id != Some(company_a)
                && count(&c.compound.name) == 1
        })
        .map(|c| c.compound.name.clone());
    let ua = unmanaged(&a, Some(&community));
    let ub = unmanaged(&b, None);
    let company_a_name = s.get_company(company_a).await.expect("company").name;
    let planted_b = cout.compound.name.clone();
    s.assign_evaluator(&actor(), "m_evaluator", cin.id)
        .await
        .expect("assign");
    let inside = side(t, cin, &ua, STREET_A).await;
    let outside = side(t, cout, &ub, STREET_B).await;
    World {
        inside,
        outside,
        community,
        company_a_name,
        planted_b,
        planted_other_community,
    }
}

/// The accounts of the matrix, one per role.
pub async fn accounts(t: &TestApp, w: &World) -> Vec<(Role, Session)> {
    let mut out = Vec::new();
    for role in Role::ALL {
        let scope = match role {
            Role::Street => UserScope::Region(STREET_A),
            Role::Community => UserScope::Region(&w.community),
            Role::Company => UserScope::Company(&w.company_a_name),
            Role::Department => UserScope::Department(w.inside.department),
            Role::OwnersBody => UserScope::Compound(w.inside.compound.id),
            _ => UserScope::None,
        };
        let s = user_session(t, &format!("m_{}", role.code()), role, scope).await;
        out.push((role, s));
    }
    out
}

/// The placeholders of records that are not the inside compound's own (an owners' body member
/// of it reads none of them): the side's other compound, its contract and path step, the
/// street's selection (公开选聘 is the officials' process), the officials' tasks.
const NOT_THE_BODYS: [&str; 5] = [
    "{contract_compound}",
    "{contract}",
    "{step}",
    "{selection}",
    "{task}",
];

fn bounded(role: Role, scope: Sc) -> bool {
    match scope {
        Sc::None | Sc::List => false,
        Sc::Record | Sc::WholeStreet => matches!(
            role,
            Role::Street | Role::Community | Role::Company | Role::Department | Role::OwnersBody
        ),
        Sc::Referral | Sc::Org | Sc::OrgWrite | Sc::OrgUnit | Sc::OrgIssuer => {
            matches!(role, Role::Street | Role::Community | Role::Department)
        }
        // An owners' body reads the file of the company serving its compound only.
        Sc::Company => matches!(role, Role::Company | Role::OwnersBody),
        Sc::Assess => matches!(
            role,
            Role::Street
                | Role::Community
                | Role::Company
                | Role::Evaluator
                | Role::Department
                | Role::OwnersBody
        ),
    }
}

/// The name without its last character: a search that finds the compound, without the page
/// echoing the whole name back in its search box.
fn name_part(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    chars.pop();
    chars.into_iter().collect()
}

pub fn fill(template: &str, s: &Side, csrf: &str) -> String {
    template
        .replace("{compound}", &s.compound.id.to_string())
        .replace("{contract_compound}", &s.contract_compound.to_string())
        .replace("{step}", &s.step.to_string())
        .replace("{contract}", &s.contract.to_string())
        .replace("{company}", &s.company.to_string())
        .replace("{task}", &s.task.to_string())
        .replace("{patrol}", &s.patrol.to_string())
        .replace("{assessment}", &s.assessment.to_string())
        .replace("{order}", &s.order.to_string())
        .replace("{complaint}", &s.complaint.to_string())
        .replace("{referral}", &s.referral.to_string())
        .replace("{filing}", &s.filing.to_string())
        .replace("{street_region}", &s.street_region.to_string())
        .replace("{group}", &s.group.to_string())
        .replace("{renovation}", &s.renovation.to_string())
        .replace("{meeting}", &s.meeting.to_string())
        .replace("{assignment}", &s.assignment.to_string())
        .replace("{censure}", &s.censure.to_string())
        .replace("{body}", &s.body.to_string())
        .replace("{party}", &s.party.to_string())
        .replace("{household}", &s.household.to_string())
        .replace("{vote}", &s.vote.to_string())
        .replace("{ballot}", &s.ballot)
        .replace("{fund_use}", &s.fund_use.to_string())
        .replace("{department}", &s.department.to_string())
        .replace("{survey}", &s.survey.to_string())
        .replace("{selection}", &s.selection.to_string())
        .replace("{street}", &enc(s.street))
        .replace("{token}", &s.token)
        .replace("{key}", &s.key)
        .replace("{name_part}", &enc(&name_part(&s.compound.compound.name)))
        .replace("{name}", &enc(&s.compound.compound.name))
        .replace("{csrf}", csrf)
}

/// The request a row makes for one side, as one account (or none).
pub fn request(row: &Row, s: &Side, session: Option<&Session>) -> Request<Body> {
    let csrf = session.map_or("", |x| x.csrf.as_str());
    let uri = fill(row.url, s, csrf);
    let mut b = Request::builder().method(row.method).uri(uri);
    if let Some(x) = session {
        b = b.header(header::COOKIE, &x.cookie);
    }
    let body = match row.body {
        Empty => Body::empty(),
        Form(f) => {
            b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(fill(f, s, csrf))
        }
        Multipart(fields) => {
            let boundary = "matrixboundary";
            b = b.header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
            let mut text = String::new();
            for (k, v) in [("csrf", csrf)].iter().chain(fields.iter()) {
                text.push_str(&format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                ));
            }
            text.push_str(&format!("--{boundary}--\r\n"));
            Body::from(text)
        }
        Json(j) => {
            b = b
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", csrf);
            Body::from(fill(j, s, csrf))
        }
        JsonContract => {
            b = b
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", csrf);
            let mut k = new_contract(&s.compound, s.company);
            k.compound_ids = vec![s.contract_compound];
            Body::from(serde_json::to_string(&k).expect("json"))
        }
        File => {
            b = b
                .header(header::CONTENT_TYPE, "application/pdf")
                .header("x-csrf-token", csrf);
            Body::from(&b"%PDF-1.4\n% matrix\n"[..])
        }
    };
    b.body(body).expect("request")
}

/// The status the row must answer ([`PASS`]: passes the guards).
pub fn expected(row: &Row, role: Option<Role>, outside: bool) -> u16 {
    let api = row.route.starts_with("/api/");
    match (role, row.need) {
        // 审计 reads everything and changes nothing, whatever the route.
        (Some(Role::Auditor), n) if row.method != "GET" && n != Own => 403,
        (_, Public) => row.ok,
        (Some(_), Own) => row.ok,
        (None, Act(_) | Own) => {
            if api {
                401
            } else {
                303
            }
        }
        (Some(r), Act(a)) if !can(r, a) => 403,
        (Some(Role::Community), Act(_)) if row.scope == Sc::WholeStreet => 403,
        (Some(Role::Company), Act(_)) if row.scope == Sc::Referral => 403,
        (Some(Role::Company), Act(_))
            if matches!(
                row.scope,
                Sc::Org | Sc::OrgWrite | Sc::OrgUnit | Sc::OrgIssuer
            ) =>
        {
            403
        }
        (Some(Role::Community), Act(_))
            if matches!(row.scope, Sc::OrgWrite | Sc::OrgUnit | Sc::OrgIssuer) =>
        {
            403
        }
        (Some(Role::Street), Act(_)) if row.scope == Sc::OrgIssuer => 403,
        // An owners' body works for its one compound: the officials' organisation, referrals
        // and street-wide records are not its to read, nor the records of the side's other
        // compound (the contract's, its path's step), the street's selections or the tasks.
        (Some(Role::OwnersBody), Act(_))
            if matches!(
                row.scope,
                Sc::Org
                    | Sc::OrgWrite
                    | Sc::OrgUnit
                    | Sc::OrgIssuer
                    | Sc::Referral
                    | Sc::WholeStreet
            ) =>
        {
            403
        }
        // Its 工作台 is its compound's page; a street's targets and management areas are the
        // officials'.
        (Some(Role::OwnersBody), Act(_)) if matches!(row.route, "/" | "/dashboard") => 303,
        (Some(Role::OwnersBody), Act(_))
            if matches!(row.route, "/targets" | "/api/v1/targets" | "/areas") =>
        {
            403
        }
        (Some(Role::OwnersBody), Act(_))
            if matches!(row.scope, Sc::Record | Sc::Assess)
                && NOT_THE_BODYS.iter().any(|p| row.url.contains(p)) =>
        {
            row.hidden
        }
        (Some(r), Act(_))
            if row.scope == Sc::OrgUnit && !matches!(r, Role::Admin | Role::Street) =>
        {
            403
        }
        (Some(r), Act(_)) if outside && bounded(r, row.scope) => row.hidden,
        _ => row.ok,
    }
}

fn check(
    row: &Row,
    who: &str,
    outside: bool,
    want: u16,
    got: StatusCode,
    body: &str,
) -> Option<String> {
    let g = got.as_u16();
    let fine = if want == PASS {
        g != 401 && g != 403 && g < 500
    } else {
        g == want
    };
    (!fine).then(|| {
        let short: String = body.chars().take(160).collect();
        format!(
            "{} {} as {who} ({}): want {}, got {g} {short}",
            row.method,
            row.url,
            if outside { "outside" } else { "inside" },
            if want == PASS {
                "not 401/403/5xx".to_string()
            } else {
                want.to_string()
            },
        )
    })
}

both_engines!(every_route_every_role_inside_and_outside);
async fn every_route_every_role_inside_and_outside(t: &TestApp) {
    let w = world(t).await;
    let sessions = accounts(t, &w).await;
    let mut failures = Vec::new();
    let mut leaks = Vec::new();
    let mut asked = 0usize;
    let mut who: Vec<(Option<Role>, Option<&Session>)> =
        sessions.iter().map(|(r, s)| (Some(*r), Some(s))).collect();
    who.push((None, None));
    for row in ROUTES {
        for (role, session) in &who {
            for (outside, side) in [(false, &w.inside), (true, &w.outside)] {
                let name = role.map_or("anonymous", |r| r.code());
                let want = expected(row, *role, outside);
                let res = send_raw(t, request(row, side, *session)).await;
                asked += 1;
                if let Some(f) = check(row, name, outside, want, res.status, &res.body) {
                    failures.push(f);
                }
                // Pages and API for an unauthenticated visitor redirect to the login page.
                if role.is_none() && row.need != Public && !row.route.starts_with("/api/") {
                    assert!(
                        res.location().starts_with("/login"),
                        "{} {}",
                        row.method,
                        row.url
                    );
                }
                // Never another street's, community's or company's compound.
                let bounded_role = matches!(
                    role,
                    Some(
                        Role::Street
                            | Role::Community
                            | Role::Company
                            | Role::Department
                            | Role::OwnersBody
                    )
                );
                // A 403 page may name what was refused (the viewer asked for it by id); every
                // list, search, export and API answer must not.
                let checked = res.status == StatusCode::OK || row.route.starts_with("/api/");
                if bounded_role && checked && !(row.need == Public) {
                    if res.body.contains(&w.planted_b) {
                        leaks.push(format!(
                            "{} {} as {name}: shows {}",
                            row.method, row.url, w.planted_b
                        ));
                    }
                    if matches!(
                        role,
                        Some(Role::Community | Role::Company | Role::OwnersBody)
                    ) && let Some(p) = &w.planted_other_community
                        && res.body.contains(p.as_str())
                    {
                        leaks.push(format!("{} {} as {name}: shows {p}", row.method, row.url));
                    }
                }
            }
        }
    }
    assert!(asked >= ROUTES.len() * 18, "{asked}");
    assert!(
        failures.is_empty() && leaks.is_empty(),
        "{} of {asked} requests answered wrongly:\n{}\nleaks:\n{}",
        failures.len(),
        failures.join("\n"),
        leaks.join("\n")
    );
}

both_engines!(a_regions_audit_log_never_shows_another_regions_entries);
/// The audit log as a district's housing authority (奈曼旗, above street A) and as a street's
/// auditor (street A): the inside records' entries are there, the outside ones never, in the
/// API and on the page.
async fn a_regions_audit_log_never_shows_another_regions_entries(t: &TestApp) {
    let w = world(t).await;
    let district = user_session(
        t,
        "m_district_ha",
        Role::HousingAuthority,
        UserScope::Region("奈曼旗"),
    )
    .await;
    let street_auditor = user_session(
        t,
        "m_street_auditor",
        Role::Auditor,
        UserScope::Region(STREET_A),
    )
    .await;
    let records = |s: &Side| {
        vec![
            ("compound", s.compound.id),
            ("lifecycle", s.contract_compound),
            ("contract", s.contract),
            ("task", s.task),
            ("patrol", s.patrol),
            ("assessment", s.assessment),
            ("rectification_order", s.order),
            ("complaint", s.complaint),
            ("survey", s.survey),
            ("selection", s.selection),
        ]
    };
    for (who, session) in [("district", &district), ("street auditor", &street_auditor)] {
        let r = t.get_as(session, "/api/v1/audit?limit=10000").await;
        assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.body);
        let rows = r.json();
        let seen: BTreeSet<(String, i64)> = rows
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(|e| Some((e["entity"].as_str()?.to_string(), e["entity_id"].as_i64()?)))
            .collect();
        for (entity, id) in records(&w.inside) {
            assert!(
                seen.contains(&(entity.to_string(), id)),
                "{who}: {entity} {id} missing"
            );
        }
        for (entity, id) in records(&w.outside) {
            assert!(
                !seen.contains(&(entity.to_string(), id)),
                "{who}: shows {entity} {id}"
            );
            let page = t
                .get_as(session, &format!("/audit?entity={entity}&entity_id={id}"))
                .await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                page.body.contains("没有符合条件的记录"),
                "{who}: {entity} {id}"
            );
        }
        assert!(
            !r.body.contains(&w.planted_b),
            "{who}: names {}",
            w.planted_b
        );
        let page = t
            .get_as(
                session,
                &format!("/audit?entity=compound&entity_id={}", w.inside.compound.id),
            )
            .await;
        assert!(page.body.contains("<table id=\"audit\">"), "{who}");
    }
}

/// A response with its body as text; an xlsx export is read back and its compound names
/// become the text, so the leak check reads exports too.
async fn send_raw(t: &TestApp, req: Request<Body>) -> crate::support::Res {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = t.app().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let xlsx = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("spreadsheetml"));
    let body = if xlsx && status == StatusCode::OK {
        match anju_sheets::read_ledger_bytes(
            &bytes,
            anju_sheets::FileKind::Xlsx,
            &anju_sheets::ReadOptions::now(anju_core::Lang::Zh),
        ) {
            Ok(ledger) => ledger
                .rows
                .iter()
                .map(|c| format!("{} {}", c.name, c.street))
                .collect::<Vec<_>>()
                .join("\n"),
            // An export of nothing (a filter outside the viewer's area) has no rows to read.
            Err(anju_sheets::LedgerError::Empty) => String::new(),
            // Not a ledger (a register, a report): every cell's text.
            Err(anju_sheets::LedgerError::MissingColumns { .. }) => xlsx_text(&bytes),
            Err(e) => panic!("the export reads back: {e:?}"),
        }
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    crate::support::Res {
        status,
        headers,
        body,
    }
}

/// The `.route("…")` paths in a source file (spanning lines is fine).
pub(crate) fn routes_in(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        let t = rest.trim_start();
        if let Some(stripped) = t.strip_prefix('"')
            && let Some(end) = stripped.find('"')
        {
            out.push(stripped[..end].to_string());
        }
    }
    out
}

#[test]
fn the_list_covers_every_route_of_the_app() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut registered: BTreeSet<String> = BTreeSet::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).expect("read");
                registered.extend(routes_in(&text));
            }
        }
    }
    let api: Vec<(&str, &str)> = anju_web::api::routes();
    registered.extend(api.iter().map(|(_, p)| p.to_string()));
    let listed: BTreeSet<&str> = ROUTES
        .iter()
        .map(|r| r.route)
        .chain(SKIPPED.iter().map(|s| s.1))
        .collect();
    let missing: Vec<&String> = registered
        .iter()
        .filter(|p| !listed.contains(p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes the access matrix does not test (add them to ROUTES): {missing:?}"
    );
    // Every API method too, not only every path.
    let listed_api: BTreeSet<(String, &str)> = ROUTES
        .iter()
        .map(|r| (r.method.to_ascii_lowercase(), r.route))
        .collect();
    for (m, p) in api {
        assert!(
            listed_api.contains(&(m.to_string(), p)),
            "{m} {p} is not in the matrix"
        );
    }
    // And nothing listed that the app no longer has.
    let stale: Vec<&str> = listed
        .iter()
        .filter(|p| !registered.contains(**p))
        .copied()
        .collect();
    assert!(stale.is_empty(), "listed but not registered: {stale:?}");
}

#[test]
fn route_scan_reads_multi_line_routes() {
    let src = "Router::new()\n .route(\n  \"/a/{id}\",\n get(x))\n.route(\"/b\", post(y))";
    assert_eq!(
        routes_in(src),
        vec!["/a/{id}".to_string(), "/b".to_string()]
    );
}

#[test]
fn expectations_follow_the_permission_table() {
    let row = ROUTES
        .iter()
        .find(|r| r.route == "/api/v1/compounds/{id}/lifecycle" && r.method == "POST")
        .expect("row");
    assert_eq!(expected(row, None, false), 401);
    assert_eq!(expected(row, Some(Role::Finance), false), 403);
    assert_eq!(expected(row, Some(Role::Auditor), false), 403);
    assert_eq!(expected(row, Some(Role::Street), true), 403);
    assert_eq!(expected(row, Some(Role::HousingAuthority), true), PASS);
    let page = ROUTES
        .iter()
        .find(|r| r.route == "/compounds/{id}")
        .expect("page");
    assert_eq!(expected(page, None, false), 303);
    assert_eq!(expected(page, Some(Role::Company), true), 403);
    assert_eq!(expected(page, Some(Role::Evaluator), true), 200);
}

/// Every cell of every sheet of a workbook, as text (one line per row).
pub(crate) fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("the export is an xlsx");
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            out.push_str(&cells.join(" "));
            out.push('\n');
        }
    }
    out
}
