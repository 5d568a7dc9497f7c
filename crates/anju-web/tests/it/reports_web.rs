//! /reports through HTTP: every report `anju report list` knows has a page; a download is a
//! valid xlsx whose cells equal the file `anju report` writes for the same parameters (the same
//! builder and writer, written here as the CLI does); a street officer's report holds no
//! other street; company accounts are refused.

use crate::support::{Session, TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use anju_reports::Scope;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use http_body_util::BodyExt;
use tower::ServiceExt;

const STREET: &str = "大沁他拉街道";
const OTHER_STREET: &str = "山城街道";

pub(crate) async fn get_bytes(
    t: &TestApp,
    s: &Session,
    uri: &str,
) -> (StatusCode, String, Vec<u8>) {
    let res = anju_web::app(t.state.clone())
        .oneshot(
            Request::get(uri)
                .header(header::COOKIE, &s.cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, ct, body.to_vec())
}

/// Every sheet's name and cells.
pub(crate) fn cells(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid xlsx");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).expect("sheet");
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (n, rows)
        })
        .collect()
}

both_engines!(every_report_has_a_page);
async fn every_report_has_a_page(t: &TestApp) {
    let admin = user_session(t, "root", Role::Admin, UserScope::None).await;
    let list = t.get_as(&admin, "/reports").await;
    assert_eq!(list.status, StatusCode::OK);
    for (name, zh, _) in anju_reports::REPORTS {
        assert!(list.body.contains(&format!("/reports/{name}\"")), "{name}");
        assert!(list.body.contains(zh), "{zh}");
    }
    for name in ["subsidy-application", "disbursement-list"] {
        assert!(list.body.contains(&format!("/reports/{name}\"")), "{name}");
    }
    // The coverage page prints the same table: A4 print CSS, headings repeated.
    let r = t.get_as(&admin, "/reports/coverage").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("size: A4"));
    assert!(r.body.contains("table-header-group"));
    assert!(r.body.contains("id=\"download\""));
    // Missing parameters: the form says which.
    let r = t.get_as(&admin, "/reports/scores").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("期间："), "{}", r.body);
    let r = t.get_as(&admin, "/reports/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

both_engines!(download_equals_the_cli_file);
async fn download_equals_the_cli_file(t: &TestApp) {
    let admin = user_session(t, "root", Role::Admin, UserScope::None).await;
    let street = crate::support::enc(OTHER_STREET);
    // The dispatch sheet for a filing day, and coverage, as `anju report NAME --street … --out`.
    for (name, query) in [
        ("coverage", format!("street={street}")),
        ("dispatch", format!("street={street}&period=2026-11-15")),
    ] {
        let (status, ct, bytes) =
            get_bytes(t, &admin, &format!("/reports/{name}/xlsx?{query}")).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{name}: {}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(ct.contains("spreadsheetml"), "{ct}");
        let scope = Scope {
            district: None,
            street: Some(OTHER_STREET.into()),
        };
        let store = &t.store;
        // What cmd_report.rs builds for these parameters.
        let sheets = match name {
            "coverage" => anju_reports::build_coverage(store, &scope)
                .await
                .expect("coverage")
                .sheets(),
            "dispatch" => anju_reports::build_dispatch(
                store,
                &anju_reports::DispatchParams {
                    scope,
                    date: Some(jiff::civil::date(2026, 11, 15)),
                    today: jiff::civil::date(2026, 11, 22),
                },
            )
            .await
            .expect("dispatch")
            .sheets(),
            _ => anju_reports::build_tasks(store, &scope, anju_reports::TaskList::Annex4)
                .await
                .expect("tasks")
                .sheets(),
        };
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("cli.xlsx");
        anju_sheets::write_report(&path, &sheets).expect("write");
        let cli = std::fs::read(&path).expect("read");
        let web = cells(&bytes);
        assert!(
            !web.is_empty() && web.iter().any(|(_, r)| r.len() > 3),
            "{name}"
        );
        assert_eq!(web, cells(&cli), "{name}");
    }
}

both_engines!(street_officer_gets_only_their_street);
async fn street_officer_gets_only_their_street(t: &TestApp) {
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    // Asking for another street (or none) still gives the officer's own street.
    let other = crate::support::enc(OTHER_STREET);
    let r = t
        .get_as(
            &jd,
            &format!("/reports/dispatch?street={other}&period=2026-11-15"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(STREET));
    let (status, _, bytes) =
        get_bytes(t, &jd, &format!("/reports/coverage/xlsx?street={other}")).await;
    assert_eq!(status, StatusCode::OK);
    let text: String = cells(&bytes)
        .iter()
        .flat_map(|(_, rows)| rows.iter().flatten().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join("|");
    assert!(text.contains(STREET), "{text}");
    for street in [OTHER_STREET, "东城街道", "蒋官屯街道", "北城街道"] {
        assert!(!text.contains(street), "{street} in {text}");
        assert!(!r.body.contains(street), "{street} on the page");
    }
    // Company accounts: refused.
    let company = t
        .store
        .list_companies()
        .await
        .expect("companies")
        .into_iter()
        .next()
        .expect("a company");
    let co = user_session(t, "co", Role::Company, UserScope::Company(&company.name)).await;
    assert_eq!(
        t.get_as(&co, "/reports/coverage").await.status,
        StatusCode::FORBIDDEN
    );
    let (status, _, _) = get_bytes(t, &co, "/reports/coverage/xlsx").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

both_engines!(a_refused_download_is_a_page_naming_no_command);
async fn a_refused_download_is_a_page_naming_no_command(t: &TestApp) {
    let jd = user_session(t, "jd", Role::Street, UserScope::Region(STREET)).await;
    // Nothing to report (no assessment, no account entry, no period): an HTML page whatever
    // the browser's Accept header, and never a command of the CLI.
    for url in [
        "/reports/scores/xlsx?period=2026-H1",
        "/reports/accounts/xlsx?period=2026-H1",
        "/reports/scores/xlsx",
    ] {
        let (status, ct, body) = get_bytes(t, &jd, url).await;
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert!(ct.starts_with("text/html"), "{url}: {ct} {body}");
        assert!(body.contains("<header>"), "{url}: in the frame");
        assert!(!body.contains("anju "), "{url}: {body}");
    }
}

// The ranking's rule is chosen on the page (the seed gives none): a weighted score adds
// 综合得分 and states the weights; a weight that is not 0–100 is refused by its label and the
// form keeps what was typed; the download carries the chosen rule.
both_engines!(the_ranking_rule_is_chosen_on_the_page);
async fn the_ranking_rule_is_chosen_on_the_page(t: &TestApp) {
    let admin = user_session(t, "root", Role::Admin, UserScope::None).await;
    let r = t.get_as(&admin, "/reports/ranking?period=2026-11").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("name=\"rank_by\""), "{}", r.body);
    assert!(
        r.body
            .contains("先按全覆盖进度、再按业主组织组建率从高到低排名")
    );
    assert!(!r.body.contains("<th>综合得分</th>"));
    let r = t
        .get_as(
            &admin,
            "/reports/ranking?period=2026-11&rank_by=weighted&weight=120",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("全覆盖进度权重：请填写 0 至 100 的整数"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"120\""), "{}", r.body);
    assert!(r.body.contains("value=\"weighted\" selected"), "{}", r.body);
    let r = t
        .get_as(
            &admin,
            "/reports/ranking?period=2026-11&rank_by=weighted&weight=60",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<th>综合得分</th>"), "{}", r.body);
    assert!(r.body.contains("全覆盖进度 × 60% + 业主组织组建率 × 40%"));
    assert!(
        r.body.contains("rank_by=weighted&#38;weight=60"),
        "{}",
        r.body
    );
    let (status, _, bytes) = get_bytes(
        t,
        &admin,
        "/reports/ranking/xlsx?period=2026-11&rank_by=bodies",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let sheets = cells(&bytes);
    let note = sheets[1]
        .1
        .iter()
        .flatten()
        .map(|d| d.to_string())
        .find(|t| t.starts_with("注："))
        .expect("the rule's note");
    assert!(
        note.contains("先按业主组织组建率、再按全覆盖进度"),
        "{note}"
    );
}
