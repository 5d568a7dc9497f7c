//! Every use case of the application layer has a page for the people who do it: the list below
//! names, for each `pub async fn` of anju-app that takes a `&Principal`, the page where it is
//! done (a form posting to a route) or shown, or why it is not a browser's job. A use case added
//! to anju-app without a line here fails `the_list_names_every_use_case`, the way the access
//! matrix fails on an unlisted route; a form line fails `every_permitted_role_finds_the_form`
//! when a role the permission table allows opens the page and finds no form.
//!
//! There is no "missing" entry any more (issue 14): a new use case comes with its page, or with
//! the reason it is not a browser's job.

use crate::access_matrix::{Side, accounts, fill, world};
use crate::support::{Session, TestApp};
use anju_core::access::{Action, Role, can};
use std::collections::BTreeSet;

enum Where {
    /// A form on `page` posting to `form`, for every role `action` allows (or only `only`, when
    /// the application layer's rule is narrower than the permission table, with the reason).
    Form {
        page: &'static str,
        form: &'static str,
        action: Action,
        only: Option<(&'static [Role], &'static str)>,
    },
    /// Shown on this page.
    Shown(&'static str),
    /// A helper other use cases call (scope checks, lookups), not a job of its own.
    Helper,
    /// Done outside the browser on purpose: why.
    NotInBrowser(&'static str),
}

use Where::*;

const fn form(page: &'static str, form: &'static str, action: Action) -> Where {
    Form {
        page,
        form,
        action,
        only: None,
    }
}

const USE_CASES: &[(&str, Where)] = &[
    // areas.rs
    (
        "plan_areas",
        Form {
            page: "/areas?street={street}",
            form: "/areas",
            action: Action::EditCompounds,
            only: Some((
                &[Role::Admin, Role::HousingAuthority, Role::Street],
                "areas are accepted for a whole street: a community's account reads them",
            )),
        },
    ),
    ("whole_street_in_scope", Helper),
    ("management_areas", Shown("/areas?street={street}")),
    // audit.rs
    ("audit_entries", Shown("/audit")),
    ("audit_page", Shown("/audit")),
    // bench.rs
    (
        "bench_analyze",
        NotInBrowser("planner statistics after a benchmark's seeding (anju bench)"),
    ),
    (
        "seed_bench_funding",
        NotInBrowser("benchmark data (anju bench funding)"),
    ),
    ("compounds_placed", Shown("/ledger")),
    // companies.rs
    ("companies", Shown("/companies")),
    ("company_file", Shown("/companies/{company}")),
    ("find_company", Helper),
    (
        "add_credit_record",
        form(
            "/companies/{company}",
            "/companies/{company}/records",
            Action::ManageCompanies,
        ),
    ),
    (
        "register_company",
        form("/companies/new", "/companies/new", Action::ManageCompanies),
    ),
    // compounds.rs
    (
        "update_compound",
        form(
            "/compounds/{compound}/edit",
            "/compounds/{compound}/edit",
            Action::EditCompounds,
        ),
    ),
    ("compound_named", Helper),
    ("mode_history", Shown("/compounds/{compound}/modes")),
    (
        "record_earlier_mode",
        form(
            "/compounds/{compound}/modes",
            "/compounds/{compound}/modes",
            Action::EditCompounds,
        ),
    ),
    ("account_periods", Shown("/compounds/{compound}")),
    // demo.rs
    (
        "backup_database",
        NotInBrowser("IT staff back up the database file (anju backup)"),
    ),
    (
        "load_demo",
        NotInBrowser("the demo is loaded by anju serve --demo"),
    ),
    (
        "ensure_demo_accounts",
        NotInBrowser("the demo is loaded by anju serve --demo"),
    ),
    ("load_shanting_tasks", NotInBrowser("demo data")),
    // filings.rs
    (
        "set_dispatch_schedule",
        form("/dispatch", "/dispatch/schedule", Action::ManageDepartments),
    ),
    ("filing_overview", Shown("/dispatch")),
    ("fileable_days", Helper),
    (
        "file_dispatch",
        Form {
            page: "/dispatch",
            form: "/dispatch/file",
            action: Action::ManageTasks,
            only: Some((
                &[Role::Street],
                "a street files its own sheet; the district and the city read the filings",
            )),
        },
    ),
    ("filed_sheet", Shown("/dispatch/filings/{filing}")),
    // departments.rs
    ("departments", Shown("/departments")),
    ("department", Helper),
    (
        "add_department",
        form("/departments", "/departments", Action::ManageDepartments),
    ),
    (
        "update_department",
        form(
            "/departments",
            "/departments/{department}",
            Action::ManageDepartments,
        ),
    ),
    (
        "seed_departments",
        form(
            "/departments",
            "/departments/seed",
            Action::ManageDepartments,
        ),
    ),
    ("compound_departments", Helper),
    ("suggest_departments", Helper),
    (
        "refer",
        form(
            "/referrals/new?compound={compound}",
            "/referrals/new",
            Action::Refer,
        ),
    ),
    ("referrals", Shown("/referrals")),
    ("referral", Helper),
    ("referral_detail", Shown("/referrals/{referral}")),
    (
        "referral_step",
        form(
            "/referrals/{referral}",
            "/referrals/{referral}/step",
            Action::RespondReferrals,
        ),
    ),
    ("department_figures", Shown("/departments")),
    ("referral_categories", Helper),
    ("referral_watch", Shown("/dashboard")),
    ("schedulable_districts", Shown("/dispatch")),
    // party.rs
    ("party_records", Shown("/compounds/{compound}/party")),
    ("party_record", Helper),
    (
        "add_party_record",
        form(
            "/compounds/{compound}/party",
            "/compounds/{compound}/party",
            Action::ManageParty,
        ),
    ),
    (
        "change_party_record",
        form(
            "/compounds/{compound}/party",
            "/party-records/{party}",
            Action::ManageParty,
        ),
    ),
    (
        "party_counts",
        Shown("/assessments/new?compound={compound}"),
    ),
    // owners_bodies.rs
    (
        "owners_bodies",
        Shown("/compounds/{compound}/owners-bodies"),
    ),
    ("owners_body_detail", Shown("/owners-bodies/{body}")),
    (
        "start_owners_body",
        form(
            "/compounds/{compound}/owners-bodies",
            "/compounds/{compound}/owners-bodies",
            Action::AdvanceLifecycle,
        ),
    ),
    (
        "add_owners_body_members",
        form(
            "/owners-bodies/{body}",
            "/owners-bodies/{body}/members",
            Action::AdvanceLifecycle,
        ),
    ),
    (
        "owners_body_step",
        form(
            "/owners-bodies/{body}",
            "/owners-bodies/{body}/step",
            Action::AdvanceLifecycle,
        ),
    ),
    // renovation.rs
    ("renovations", Shown("/compounds/{compound}/renovation")),
    ("renovation_detail", Shown("/renovations/{renovation}")),
    (
        "start_renovation",
        form(
            "/compounds/{compound}/renovation",
            "/compounds/{compound}/renovation",
            Action::ManageRenovation,
        ),
    ),
    (
        "renovation_date",
        form(
            "/renovations/{renovation}",
            "/renovations/{renovation}/date",
            Action::ManageRenovation,
        ),
    ),
    (
        "answer_commitments",
        form(
            "/renovations/{renovation}",
            "/renovations/{renovation}/households",
            Action::ManageRenovation,
        ),
    ),
    (
        "import_commitments",
        form(
            "/renovations/{renovation}",
            "/renovations/{renovation}/import",
            Action::ManageRenovation,
        ),
    ),
    (
        "fee_standards",
        Shown("/compounds/{compound}/fee-standards"),
    ),
    (
        "add_fee_standard",
        form(
            "/compounds/{compound}/fee-standards",
            "/compounds/{compound}/fee-standards",
            Action::SetFeeStandards,
        ),
    ),
    // votes.rs
    ("households", Shown("/compounds/{compound}/register")),
    (
        "import_households",
        form(
            "/compounds/{compound}/register",
            "/compounds/{compound}/register/import",
            Action::RunVotes,
        ),
    ),
    (
        "add_household",
        form(
            "/compounds/{compound}/register",
            "/compounds/{compound}/register",
            Action::RunVotes,
        ),
    ),
    ("votes", Shown("/compounds/{compound}/votes")),
    (
        "open_vote",
        form(
            "/compounds/{compound}/votes",
            "/compounds/{compound}/votes",
            Action::RunVotes,
        ),
    ),
    ("vote_detail", Shown("/votes/{vote}")),
    (
        "enter_paper_ballot",
        form("/votes/{vote}", "/votes/{vote}/paper", Action::RunVotes),
    ),
    (
        "close_vote",
        form("/votes/{vote}", "/votes/{vote}/close", Action::RunVotes),
    ),
    (
        "apply_vote",
        Form {
            page: "/votes/{vote}",
            form: "/votes/{vote}/apply",
            action: Action::RunVotes,
            only: Some((
                &[],
                "offered only once a choice of company has carried (the world's vote is another \
                 matter); walked in votes.rs",
            )),
        },
    ),
    // fund.rs
    ("fund_account", Shown("/compounds/{compound}/fund")),
    (
        "deposit_fund",
        form(
            "/compounds/{compound}/fund",
            "/compounds/{compound}/fund/deposit",
            Action::ManageFund,
        ),
    ),
    (
        "apply_fund_use",
        form(
            "/compounds/{compound}/fund",
            "/compounds/{compound}/fund/uses",
            Action::RunVotes,
        ),
    ),
    (
        "fund_use_step",
        form(
            "/compounds/{compound}/fund",
            "/fund-uses/{fund_use}/step",
            Action::RunVotes,
        ),
    ),
    ("fund_use_compound", Helper),
    // organisation.rs
    (
        "add_group",
        form(
            "/organisation/groups/new",
            "/organisation/groups/new",
            Action::ManageOrganisation,
        ),
    ),
    ("groups", Shown("/organisation")),
    ("group", Helper),
    ("group_detail", Shown("/organisation/groups/{group}")),
    (
        "add_group_members",
        Form {
            page: "/organisation/groups/{group}",
            form: "/organisation/groups/{group}/members",
            action: Action::ManageOrganisation,
            only: Some((
                &[Role::Admin, Role::HousingAuthority, Role::Street],
                "a body, meeting or decision of the street is the street's (and the district's) to change: the community reads it",
            )),
        },
    ),
    (
        "end_group_member",
        Form {
            page: "/organisation/groups/{group}",
            form: "/organisation/groups/{group}/leave",
            action: Action::ManageOrganisation,
            only: Some((
                &[Role::Admin, Role::HousingAuthority, Role::Street],
                "a body, meeting or decision of the street is the street's (and the district's) to change: the community reads it",
            )),
        },
    ),
    ("org_regions", Helper),
    ("unit_choices", Helper),
    (
        "add_meeting",
        form(
            "/organisation/meetings/new",
            "/organisation/meetings/new",
            Action::ManageOrganisation,
        ),
    ),
    (
        "add_meeting_decision",
        Form {
            page: "/organisation/meetings/{meeting}",
            form: "/organisation/meetings/{meeting}/decisions",
            action: Action::ManageOrganisation,
            only: Some((
                &[Role::Admin, Role::HousingAuthority, Role::Street],
                "a body, meeting or decision of the street is the street's (and the district's) to change: the community reads it",
            )),
        },
    ),
    ("meetings", Shown("/organisation")),
    ("meeting", Helper),
    ("meeting_detail", Shown("/organisation/meetings/{meeting}")),
    (
        "add_censure",
        form(
            "/organisation/censures/new",
            "/organisation/censures/new",
            Action::ManageOrganisation,
        ),
    ),
    ("censures", Shown("/organisation")),
    ("censure_detail", Shown("/organisation/censures/{censure}")),
    ("assignments", Shown("/organisation")),
    ("assignment_watch", Shown("/organisation")),
    ("tripartite_this_month", Shown("/organisation")),
    ("assignment", Helper),
    (
        "assignment_detail",
        Shown("/organisation/assignments/{assignment}"),
    ),
    (
        "assignment_step",
        Form {
            page: "/organisation/assignments/{assignment}",
            form: "/organisation/assignments/{assignment}/step",
            action: Action::ReportAssignments,
            only: Some((
                &[Role::Admin, Role::Street],
                "only the unit an assignment is handed to reports it done (here the street)",
            )),
        },
    ),
    // evidence.rs
    ("upload_evidence", Helper),
    ("path_evidence", Shown("/compounds/{compound}")),
    ("record_files", Shown("/assessments/{assessment}")),
    ("compound_evidence", Shown("/compounds/{compound}")),
    ("patrol_evidence", Shown("/patrols/{patrol}")),
    // dashboard.rs
    ("figures_version", Helper),
    ("dashboard_figures", Shown("/dashboard")),
    ("dashboard_figures_fresh", Shown("/dashboard")),
    ("ledger_figures_kept", Shown("/ledger")),
    // figures.rs
    ("regions", Helper),
    ("offered_streets", Helper),
    ("coverage_over_time", Shown("/dashboard")),
    ("streets_progress", Shown("/dashboard")),
    // ledger.rs
    ("compounds", Shown("/ledger")),
    ("count_compounds", Shown("/ledger")),
    ("ledger_figures", Shown("/ledger")),
    ("coverage_cells", Shown("/dashboard")),
    ("alerts", Shown("/dashboard")),
    ("coverage", Shown("/reports/coverage")),
    ("find_compound", Helper),
    ("ledger_rows", Shown("/ledger")),
    ("export_ledger", Shown("/ledger")),
    (
        "import_ledger",
        NotInBrowser("reads a file path (anju import ledger); the page uploads"),
    ),
    (
        "import_ledger_from",
        form("/ledger/import", "/ledger/import", Action::EditCompounds),
    ),
    (
        "add_compound",
        form("/compounds/new", "/compounds/new", Action::EditCompounds),
    ),
    ("apply_ledger_rows", Helper),
    // lib.rs
    ("compound_in_scope", Helper),
    // map.rs
    ("map_marks", Shown("/map")),
    ("set_coordinates", Shown("/map")),
    // money.rs
    ("region_in_scope", Helper),
    ("line_in_scope", Helper),
    (
        "run_subsidies",
        form("/funding", "/funding/runs", Action::ReviewSubsidies),
    ),
    ("subsidy_step", Shown("/funding")),
    ("adjust_subsidy", Shown("/funding")),
    (
        "grant_infrastructure",
        form("/funding", "/funding/infra", Action::ReviewSubsidies),
    ),
    (
        "set_fee_month",
        NotInBrowser("the API's write at a version; the page enters a month with enter_fee_month"),
    ),
    (
        "enter_fee_month",
        form(
            "/compounds/{compound}/fees",
            "/compounds/{compound}/fees",
            Action::EnterFees,
        ),
    ),
    (
        "import_fee_sheet",
        form("/fees/import", "/fees/import", Action::EnterFees),
    ),
    ("import_fees", Helper),
    ("import_household_fees", Helper),
    (
        "add_account_entry",
        form(
            "/compounds/{compound}/accounts",
            "/compounds/{compound}/accounts",
            Action::EnterFees,
        ),
    ),
    ("region_named", Helper),
    ("subsidy_run", Shown("/funding")),
    ("subsidy_runs", Shown("/funding")),
    ("line_history", Shown("/funding")),
    ("fee_months", Shown("/compounds/{compound}")),
    ("collection", Shown("/compounds/{compound}")),
    ("compound_public_key", Helper),
    ("subsidy_lines", Shown("/funding")),
    ("sheet_lines", Shown("/reports")),
    ("match_fee_sheet", Helper),
    ("household_fees", Shown("/compounds/{compound}/households")),
    ("account_statement", Shown("/compounds/{compound}")),
    ("owners_share", Shown("/compounds/{compound}/owners-share")),
    ("evaluator_fees", Shown("/funding/evaluator-fees")),
    (
        "record_evaluator_fee",
        form(
            "/funding/evaluator-fees",
            "/funding/evaluator-fees",
            Action::Disburse,
        ),
    ),
    (
        "set_owners_share",
        form(
            "/compounds/{compound}/owners-share",
            "/compounds/{compound}/owners-share",
            Action::EditCompounds,
        ),
    ),
    // oversight.rs
    ("order_in_scope", Helper),
    ("complaint_in_scope", Helper),
    ("orders", Shown("/compounds/{compound}")),
    ("complaints", Shown("/complaints")),
    ("assessments", Shown("/compounds/{compound}")),
    ("assessment", Shown("/assessments/{assessment}")),
    ("surveys", Shown("/surveys")),
    ("assessable", Helper),
    ("may_assess", Helper),
    (
        "add_patrol",
        form(
            "/patrols/new?compound={compound}",
            "/patrols/new",
            Action::Patrol,
        ),
    ),
    ("answer_order", Shown("/patrols/{patrol}")),
    ("close_order", Shown("/patrols/{patrol}")),
    ("reopen_order", Shown("/patrols/{patrol}")),
    ("order_with_patrol", Helper),
    (
        "add_complaint",
        form("/complaints/new", "/complaints/new", Action::Patrol),
    ),
    ("complaint_step", Shown("/complaints/{complaint}")),
    ("answer_complaint", Shown("/complaints/{complaint}")),
    (
        "submit_assessment",
        form(
            "/assessments/new?compound={compound}",
            "/assessments/new",
            Action::Assess,
        ),
    ),
    (
        "create_assessment",
        form(
            "/assessments/new?compound={compound}",
            "/assessments/new",
            Action::Assess,
        ),
    ),
    ("assessment_step", Shown("/assessments/{assessment}")),
    ("evaluator_names", Helper),
    ("compound_evaluators", Shown("/compounds/{compound}")),
    (
        "commission_evaluator",
        form(
            "/compounds/{compound}",
            "/compounds/{compound}/evaluators",
            Action::ReviewAssessments,
        ),
    ),
    ("patrols", Shown("/compounds/{compound}")),
    ("patrol", Shown("/patrols/{patrol}")),
    (
        "attach_complaint_evidence",
        Shown("/complaints/{complaint}"),
    ),
    ("complaint_evidence", Shown("/complaints/{complaint}")),
    ("holidays", Shown("/complaints/holidays")),
    ("order_events", Shown("/patrols/{patrol}")),
    ("complaint_overview", Shown("/complaints")),
    (
        "add_holidays",
        form(
            "/complaints/holidays",
            "/complaints/holidays",
            Action::Patrol,
        ),
    ),
    (
        "record_complaint_counts",
        form(
            "/companies",
            "/companies/complaint-counts",
            Action::ManageCompanies,
        ),
    ),
    // path.rs
    ("correct_step", Shown("/compounds/{contract_compound}")),
    ("advance", Shown("/compounds/{compound}")),
    ("contract_in_scope", Helper),
    (
        "sign_contract",
        NotInBrowser("every term given (API); the page signs with sign_contract_with_defaults"),
    ),
    (
        "sign_contract_with_defaults",
        Shown("/compounds/{compound}"),
    ),
    (
        "file_contract",
        form(
            "/compounds/{contract_compound}",
            "/compounds/{contract_compound}/file",
            Action::ManageContracts,
        ),
    ),
    (
        "terminate_contract",
        form(
            "/compounds/{contract_compound}",
            "/compounds/{contract_compound}/terminate",
            Action::ManageContracts,
        ),
    ),
    (
        "record_dismissal_survey",
        form(
            "/compounds/{contract_compound}",
            "/compounds/{contract_compound}/dismissal",
            Action::ManageContracts,
        ),
    ),
    (
        "dismissal_proposals",
        Shown("/compounds/{contract_compound}"),
    ),
    ("lifecycle", Shown("/compounds/{compound}")),
    ("contracts", Shown("/compounds/{compound}")),
    ("stage_overview", Shown("/ledger")),
    ("contract_register", Shown("/contracts")),
    ("contract_households", Helper),
    // policies.rs
    (
        "assign_funding_policy",
        form("/funding", "/funding/policies", Action::ApproveSubsidies),
    ),
    ("funding_policies", Shown("/funding")),
    // reports.rs
    ("require_named_area", Helper),
    ("dispatch_report", Shown("/reports/dispatch")),
    ("tasks_report", Shown("/reports/tasks-3")),
    ("coverage_report", Shown("/reports/coverage")),
    ("ranking_report", Shown("/reports")),
    ("scores_report", Shown("/reports")),
    ("accounts_report", Shown("/reports")),
    ("signals", Shown("/signals")),
    // selections.rs
    ("street_in_scope", Helper),
    ("selections", Shown("/selections")),
    ("selection", Shown("/selections/{selection}")),
    (
        "open_selection",
        form("/selections", "/selections", Action::ManageContracts),
    ),
    ("selection_step", Shown("/selections/{selection}")),
    // surveys.rs
    ("survey_in_scope", Helper),
    (
        "open_survey",
        form(
            "/surveys/new?compound={compound}",
            "/surveys",
            Action::ManageSurveys,
        ),
    ),
    (
        "issue_survey_links",
        form(
            "/surveys/{survey}",
            "/surveys/{survey}/links",
            Action::ManageSurveys,
        ),
    ),
    ("survey_links", Shown("/surveys/{survey}")),
    ("survey_result", Shown("/surveys/{survey}")),
    (
        "close_survey",
        form(
            "/surveys/{survey}",
            "/surveys/{survey}/close",
            Action::ManageSurveys,
        ),
    ),
    // tasks.rs
    ("tasks", Shown("/tasks")),
    ("target_progress", Shown("/targets")),
    (
        "add_target",
        form("/targets", "/targets", Action::ManageTasks),
    ),
    (
        "add_preset_targets",
        form("/targets", "/targets/preset", Action::ManageTasks),
    ),
    ("task_in_scope", Helper),
    ("add_task", form("/tasks", "/tasks", Action::ManageTasks)),
    (
        "set_task_status",
        form("/tasks", "/tasks/{task}/done", Action::ManageTasks),
    ),
    ("add_tasks_once", NotInBrowser("demo and preset task lists")),
    // users.rs
    (
        "create_account",
        form("/users", "/users", Action::ManageUsers),
    ),
    ("accounts", Shown("/users")),
    ("account", Helper),
    ("unlock_login", Shown("/users")),
    ("set_account_active", Shown("/users")),
    ("reset_password", Shown("/users")),
    ("change_own_password", Shown("/account/password")),
    // notices.rs
    ("inbox", Shown("/inbox")),
    ("mark_read", Shown("/inbox")),
    ("notice", Helper),
    ("account_region", Helper),
];

/// The use cases of anju-app: every `pub async fn` that takes a `&Principal`.
fn app_use_cases() -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../anju-app/src");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("anju-app/src") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
        for (i, _) in text.match_indices("pub async fn ") {
            let rest = &text[i + "pub async fn ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let signature = &rest[..rest.find('{').unwrap_or(rest.len())];
            if signature.contains("&Principal") {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn the_list_names_every_use_case() {
    let listed: BTreeSet<String> = USE_CASES.iter().map(|(n, _)| n.to_string()).collect();
    let found = app_use_cases();
    let unlisted: Vec<_> = found.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "use cases of anju-app without a line in USE_CASES (name the page that does them): {unlisted:?}"
    );
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "USE_CASES names what anju-app no longer has: {stale:?}"
    );
    assert_eq!(listed.len(), USE_CASES.len(), "a use case listed twice");
}

/// The permitted roles of a form line.
fn roles_of(action: Action, only: Option<(&'static [Role], &'static str)>) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| can(*r, action))
        .filter(|r| only.is_none_or(|(roles, _)| roles.contains(r)))
        .collect()
}

async fn page_for(t: &TestApp, s: &Session, side: &Side, page: &str) -> crate::support::Res {
    t.get_as(s, &fill(page, side, &s.csrf)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_permitted_role_finds_the_form_and_every_page_opens() {
    let t = TestApp::with_demo().await;
    let w = world(&t).await;
    let sessions = accounts(&t, &w).await;
    let session = |r: Role| &sessions.iter().find(|(x, _)| *x == r).expect("role").1;
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (name, place) in USE_CASES {
        match place {
            Form {
                page,
                form,
                action,
                only,
            } => {
                for role in roles_of(*action, *only) {
                    let s = session(role);
                    let r = page_for(&t, s, &w.inside, page).await;
                    checked += 1;
                    let want = format!("action=\"{}", fill(form, &w.inside, &s.csrf));
                    if r.status != 200 || !r.body.contains(&want) {
                        wrong.push(format!(
                            "{name}: {} opens {page} ({}) and finds no form posting to {form}",
                            role.code(),
                            r.status
                        ));
                    }
                }
            }
            Shown(page) => {
                let s = session(Role::Admin);
                let r = page_for(&t, s, &w.inside, page).await;
                if r.status != 200 {
                    wrong.push(format!("{name}: {page} answers {}", r.status));
                }
            }
            Helper | NotInBrowser(_) => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "{} use cases without their page:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(checked > 40, "only {checked} forms checked");
    t.finish().await;
}

/// Every use case kept outside the browser says why.
#[test]
fn what_is_not_in_the_browser_says_why() {
    for (n, w) in USE_CASES {
        if let NotInBrowser(why) = w {
            assert!(!why.is_empty(), "{n}: say why it is not in the browser");
        }
    }
}
