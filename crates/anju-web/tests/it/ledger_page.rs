//! 台账 through HTTP: filters and search inside the viewer's scope, sorting, the xlsx export of
//! exactly what is shown, and the all-or-nothing ledger upload.

use crate::support::{Res, Session, TestApp, UserScope, both_engines, enc, user_session};
use anju_core::access::Role;
use anju_store::CompoundFilter;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const DAQINTALA: &str = "大沁他拉街道";

/// A multipart/form-data body: text fields, then files (field, file name, bytes).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----anjuledgerboundary9x";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// POSTs a multipart form as a logged-in user, evidence stored under `dir`.
pub async fn post_multipart(
    t: &TestApp,
    dir: &std::path::Path,
    s: &Session,
    uri: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Res {
    let (ct, body) = multipart(fields, files);
    send_raw(
        t,
        dir,
        Request::post(uri)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
    .0
}

/// Sends a request with evidence stored under `dir`; the body also as bytes.
pub async fn send_raw(t: &TestApp, dir: &std::path::Path, req: Request<Body>) -> (Res, Vec<u8>) {
    let res = anju_web::app(t.state.clone())
        .layer(axum::Extension(anju_store::EvidenceDir::new(dir)))
        .oneshot(req)
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        },
        bytes,
    )
}

async fn download(t: &TestApp, s: &Session, uri: &str) -> (Res, Vec<u8>) {
    let dir = tempfile::tempdir().expect("dir");
    send_raw(
        t,
        dir.path(),
        Request::get(uri)
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

fn read_xlsx(bytes: &[u8]) -> Vec<anju_core::Compound> {
    match anju_sheets::read_ledger_bytes(
        bytes,
        anju_sheets::FileKind::Xlsx,
        &anju_sheets::ReadOptions::now(anju_core::Lang::Zh),
    ) {
        Ok(l) => l.rows,
        Err(anju_sheets::LedgerError::Empty) => Vec::new(),
        Err(e) => panic!("{}", e.render(anju_core::Lang::Zh)),
    }
}

both_engines!(a_street_officer_never_sees_another_street_in_search_or_export);
async fn a_street_officer_never_sees_another_street_in_search_or_export(t: &TestApp) {
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    // 台联小区 is Liaocheng's: searched for by name from Daqintala, nothing comes back.
    let r = t.get_as(&s, &format!("/ledger?q={}", enc("台联"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("没有符合条件的小区"), "{}", r.body);
    assert!(!r.body.contains("台联小区"));
    // Asking for the other street by name finds nothing either.
    let r = t
        .get_as(&s, &format!("/ledger?street={}", enc("山城街道")))
        .await;
    assert!(r.body.contains("没有符合条件的小区"));
    // The export of the same search is empty; the export of everything holds only Daqintala.
    let (r, bytes) = download(t, &s, &format!("/ledger/export.xlsx?q={}", enc("台联"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(read_xlsx(&bytes).is_empty());
    let (r, bytes) = download(t, &s, "/ledger/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let cd = r
        .headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .expect("content-disposition");
    // 小区台账 RFC 5987-encoded, with an ASCII fallback.
    assert!(
        cd.starts_with("attachment; filename=\"ledger-")
            && cd.contains("filename*=UTF-8''%E5%B0%8F%E5%8C%BA%E5%8F%B0%E8%B4%A6-"),
        "{cd}"
    );
    let rows = read_xlsx(&bytes);
    assert_eq!(rows.len(), 151, "every page, not just the first 50");
    assert!(rows.iter().all(|c| c.street == DAQINTALA));
}

/// Every current compound, as the store lists them.
async fn every_compound(t: &TestApp) -> Vec<anju_store::StoredCompound> {
    t.store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list")
}

both_engines!(filters_sort_and_pages_agree_with_the_store);
async fn filters_sort_and_pages_agree_with_the_store(t: &TestApp) {
    let s = user_session(t, "admin", Role::Admin, UserScope::None).await;
    let all = every_compound(t).await;
    // Category: only that category, on the page and in the export of the same filters.
    let cat1 = all
        .iter()
        .filter(|c| c.compound.category == Some(anju_core::Category::One))
        .count();
    assert!(cat1 > 0, "the demo has category-1 compounds");
    let r = t.get_as(&s, "/ledger?category=1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&format!("· {cat1}</span>")),
        "count {cat1} shown"
    );
    assert!(r.body.contains("<option value=\"1\" selected>"), "kept");
    let (_, bytes) = download(t, &s, "/ledger/export.xlsx?category=1").await;
    assert_eq!(read_xlsx(&bytes).len(), cat1);
    // Status (lifecycle stage): every demo compound starts somewhere; the filter splits them.
    let stages = t.store.stage_overview(None).await.expect("stages");
    let census = stages
        .iter()
        .filter(|r| r.stage == anju_core::lifecycle::Stage::Census)
        .count();
    let v = t.get_as(&s, "/api/v1/compounds?status=census").await.json();
    assert_eq!(v.as_array().expect("array").len(), census);
    // Sorted by households, largest first; the stage column is shown.
    let v = t
        .get_as(&s, "/api/v1/compounds?sort=households")
        .await
        .json();
    let first = v[0]["households"].as_u64().expect("households");
    let max = all
        .iter()
        .filter_map(|c| c.compound.households)
        .max()
        .expect("max");
    assert_eq!(first, u64::from(max));
    let r = t.get_as(&s, "/ledger?sort=households&page=2").await;
    assert!(r.body.contains("2 / 4"), "199 rows by 50");
    assert!(r.body.contains("工作阶段"));
    // Unknown values are refused with the field named.
    let r = t.get_as(&s, "/ledger?category=9").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("类别"), "{}", r.body);
}

const GOOD_AND_BAD: &str = "小区名称,所属街道,物业管理方式,建筑面积\n\
网页导入甲小区,大沁他拉街道,弃管,1200\n\
网页导入乙小区,大沁他拉街道,弃管,-120\n";

const OTHER_STREET: &str = "小区名称,所属街道,物业管理方式,建筑面积\n\
网页导入甲小区,大沁他拉街道,弃管,1200\n\
网页导入丙小区,山城街道,弃管,800\n";

const GOOD: &str = "小区名称,所属街道,物业管理方式,建筑面积\n\
网页导入甲小区,大沁他拉街道,弃管,1200\n";

both_engines!(an_import_with_one_bad_row_writes_nothing_and_names_the_row);
async fn an_import_with_one_bad_row_writes_nothing_and_names_the_row(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let store = &t.store;
    let before = store.audit_count().await.expect("count");
    let exists = |name: &'static str| async move {
        store
            .list_compounds(&CompoundFilter {
                search: Some(name.into()),
                ..CompoundFilter::default()
            })
            .await
            .expect("list")
            .len()
    };
    let csrf = s.csrf.clone();
    // One bad cell: the whole file is refused, the row and column listed.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        "/ledger/import",
        &[("csrf", &csrf)],
        &[("file", "台账.csv", GOOD_AND_BAD.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"problems\""), "{}", r.body);
    assert!(
        r.body
            .contains("<td class=\"num\">3</td><td>建筑面积 (D)</td><td>-120</td>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("未导入任何数据"));
    assert_eq!(exists("网页导入甲小区").await, 0, "nothing written");
    // A row of another street is a listed problem, and again nothing is written.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        "/ledger/import",
        &[("csrf", &csrf)],
        &[("file", "台账.csv", OTHER_STREET.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("<td class=\"num\">3</td><td>所属街道</td><td>山城街道</td>")
            && r.body.contains("不在您的管辖范围内"),
        "{}",
        r.body
    );
    assert_eq!(exists("网页导入甲小区").await, 0);
    // Without the CSRF token: refused before reading.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        "/ledger/import",
        &[],
        &[("file", "台账.csv", GOOD.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Not a spreadsheet (a PNG named .csv): refused by content.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        "/ledger/import",
        &[("csrf", &csrf)],
        &[("file", "台账.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不是可导入的表格"), "{}", r.body);
    assert_eq!(
        store.audit_count().await.expect("count"),
        before,
        "no audit row"
    );
    // A company may not import at all.
    let all = store
        .list_compounds(&CompoundFilter::default())
        .await
        .expect("list");
    let company = all
        .iter()
        .find_map(|c| c.compound.company.clone())
        .expect("a company");
    let co = user_session(t, "wuye", Role::Company, UserScope::Company(&company)).await;
    let r = post_multipart(
        t,
        dir.path(),
        &co,
        "/ledger/import",
        &[("csrf", &co.csrf)],
        &[("file", "台账.csv", GOOD.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The good file imports.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        "/ledger/import",
        &[("csrf", &csrf)],
        &[("file", "台账.csv", GOOD.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("新增 1"), "{}", r.body);
    assert_eq!(exists("网页导入甲小区").await, 1);
}

/// The ids of a JSON list of compounds, in order.
async fn json_ids(t: &TestApp, s: &Session, uri: &str) -> Vec<i64> {
    t.get_as(s, uri)
        .await
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

/// The ids of the rows a ledger page shows, in order.
fn shown_ids(body: &str) -> Vec<i64> {
    body.split("<tr><td><a href=\"/compounds/")
        .skip(1)
        .filter_map(|rest| rest.split(['"', '?']).next()?.parse().ok())
        .collect()
}

both_engines!(pages_filters_and_figures_come_from_sql_in_the_viewers_scope);
async fn pages_filters_and_figures_come_from_sql_in_the_viewers_scope(t: &TestApp) {
    let admin = user_session(t, "admin", Role::Admin, UserScope::None).await;
    let all = every_compound(t).await;
    // Page 2 of a sorted filter: the 51st to 100th of the JSON list of the same filter.
    let listed = json_ids(t, &admin, "/api/v1/compounds?mode=none&sort=name").await;
    assert!(listed.len() > 50, "two pages of unmanaged compounds");
    let r = t.get_as(&admin, "/ledger?mode=none&sort=name&page=2").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(shown_ids(&r.body), listed[50..listed.len().min(100)]);
    // The default (region) order, page 3: the rows the JSON list has at those places.
    let r = t.get_as(&admin, "/ledger?page=3").await;
    let by_region = json_ids(t, &admin, "/api/v1/compounds").await;
    assert_eq!(shown_ids(&r.body), by_region[100..150]);
    // A filter and a search: the count shown is the count of what matches.
    let hit = |c: &anju_store::StoredCompound| {
        c.compound.street == DAQINTALA
            && c.compound.mode == anju_core::ManagementMode::None
            && (c.compound.name.contains("小区")
                || c.compound
                    .address
                    .as_deref()
                    .is_some_and(|a| a.contains("小区")))
    };
    let n = all.iter().filter(|c| hit(c)).count();
    assert!(n > 0);
    let r = t
        .get_as(
            &admin,
            &format!(
                "/ledger?street={}&mode=none&q={}",
                enc(DAQINTALA),
                enc("小区")
            ),
        )
        .await;
    assert!(r.body.contains(&format!("· {n}</span>")), "count {n} shown");
    // The figures summed by SQL are those of the compounds themselves.
    let v = t
        .get_as(&admin, &format!("/api/v1/stats?street={}", enc(DAQINTALA)))
        .await
        .json();
    let want = anju_core::stats::coverage(
        all.iter()
            .filter(|c| c.compound.street == DAQINTALA)
            .map(|c| &c.compound),
    );
    assert_eq!(v, serde_json::to_value(&want).expect("json"));
    // A street officer: page 2 by households is Daqintala's 51st to 100th, nothing else.
    let li = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    let mut mine: Vec<&anju_store::StoredCompound> = all
        .iter()
        .filter(|c| c.compound.street == DAQINTALA)
        .collect();
    mine.sort_by_key(|c| {
        (
            c.compound.households.is_none(),
            std::cmp::Reverse(c.compound.households),
            c.id,
        )
    });
    let want: Vec<i64> = mine.iter().map(|c| c.id).skip(50).take(50).collect();
    let r = t.get_as(&li, "/ledger?sort=households&page=2").await;
    assert_eq!(shown_ids(&r.body), want);
    assert!(r.body.contains(&format!("· {}</span>", mine.len())));
    let v = t.get_as(&li, "/api/v1/stats").await.json();
    assert_eq!(v["compounds"].as_u64(), Some(mine.len() as u64));
    // After a write the page shows it at once (the summary is rebuilt, not served stale).
    let first = *mine
        .iter()
        .find(|c| c.compound.mode == anju_core::ManagementMode::None)
        .expect("an unmanaged compound");
    let mut edited = first.compound.clone();
    edited.mode = anju_core::ManagementMode::StreetFallback;
    t.store
        .update_compound(
            &anju_store::Actor::new("李强", "street"),
            first.id,
            first.version,
            edited,
        )
        .await
        .expect("update");
    let after = t.get_as(&li, "/ledger?mode=street_fallback").await;
    let count = all
        .iter()
        .filter(|c| {
            c.compound.street == DAQINTALA
                && (c.compound.mode == anju_core::ManagementMode::StreetFallback
                    || c.id == first.id)
        })
        .count();
    assert!(
        after.body.contains(&format!("· {count}</span>")),
        "{count} after the write"
    );
}

both_engines!(a_file_with_many_problems_shows_the_first_and_downloads_them_all);
async fn a_file_with_many_problems_shows_the_first_and_downloads_them_all(t: &TestApp) {
    let dir = tempfile::tempdir().expect("dir");
    let s = user_session(t, "li", Role::Street, UserScope::Region(DAQINTALA)).await;
    // 250 rows with a negative area: 250 problems.
    let mut file = String::from("小区名称,所属街道,物业管理方式,建筑面积\n");
    for i in 0..250 {
        file.push_str(&format!("问题小区{i},大沁他拉街道,弃管,-{}\n", 100 + i));
    }
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        "/ledger/import",
        &[("csrf", &s.csrf)],
        &[("file", "台账.csv", file.as_bytes())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("共 250 个问题，显示前 200 个"),
        "the count of all: {}",
        r.body
    );
    let listed = r.body.matches("<td>建筑面积 (D)</td>").count();
    assert_eq!(listed, 200);
    assert!(!r.body.contains("anju "), "no command named: {}", r.body);
    let marker = "id=\"problems-download\"";
    assert!(r.body.contains(marker), "{}", r.body);
    let at = r
        .body
        .find("href=\"/ledger/import/problems/")
        .expect("link")
        + 6;
    let link: String = r.body[at..].chars().take_while(|c| *c != '"').collect();
    // The download: every problem, as CSV.
    let d = t.get_as(&s, &link).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert!(
        d.headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    assert!(
        d.headers[axum::http::header::CONTENT_DISPOSITION]
            .to_str()
            .expect("disposition")
            .starts_with("attachment")
    );
    let lines: Vec<&str> = d.body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 251, "a header and every problem");
    assert!(lines[0].contains("行,列,单元格内容,原因"));
    assert!(
        d.body.contains("\"'-349\""),
        "the last problem, its cell written as text"
    );
    // Someone else, or an unknown list: an HTML page, never JSON.
    let other = user_session(t, "wang", Role::Street, UserScope::Region(DAQINTALA)).await;
    for (who, url) in [
        (&other, link.clone()),
        (&s, "/ledger/import/problems/0000".to_string()),
    ] {
        let r = t
            .send(
                axum::http::Request::get(url.as_str())
                    .header(axum::http::header::COOKIE, &who.cookie)
                    .header(axum::http::header::ACCEPT, "text/html")
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.starts_with("<!doctype html>"), "{}", r.body);
        assert!(r.body.contains("重新上传"), "{}", r.body);
        assert!(!r.body.contains("anju "), "{}", r.body);
    }
    // A few problems: all listed, with the download too.
    let r = post_multipart(
        t,
        dir.path(),
        &s,
        "/ledger/import",
        &[("csrf", &s.csrf)],
        &[("file", "台账.csv", GOOD_AND_BAD.as_bytes())],
    )
    .await;
    assert!(r.body.contains("全部 1 个问题如下"), "{}", r.body);
    assert!(r.body.contains(marker));
}
