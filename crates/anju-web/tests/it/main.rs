//! The web application through HTTP requests (no socket: `oneshot`).

use anju_store::{Actor, Store};
use anju_web::{AppState, app};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct TestApp {
    _dir: tempfile::TempDir,
    state: AppState,
}

impl TestApp {
    async fn with_demo() -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("web.db").display());
        let store = Store::connect(&url).await.expect("connect");
        let actor = Actor {
            name: "test".into(),
            role: "admin".into(),
        };
        let today = jiff::civil::date(2026, 11, 22);
        store
            .apply_ledger(&actor, &anju_demo::demo_ledger(), today)
            .await
            .expect("demo loads");
        TestApp {
            _dir: dir,
            state: AppState { store, demo: true },
        }
    }

    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let res = app(self.state.clone())
            .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = res.status();
        let body = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}

#[tokio::test]
async fn ledger_page_shows_coverage_and_compounds_in_chinese() {
    let t = TestApp::with_demo().await;
    let (status, html) = t
        .get("/ledger?street=%E5%A4%A7%E6%B2%81%E4%BB%96%E6%8B%89%E8%A1%97%E9%81%93")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("小区台账"), "title");
    assert!(html.contains("演示数据"), "demo banner");
    assert!(html.contains("<b>151</b>"), "151 compounds card");
    assert!(
        html.contains("<b>3,796</b>") || html.contains("大沁他拉街道"),
        "street rows"
    );
    assert!(
        html.contains("1 / 4"),
        "151 rows paginate by 50 into 4 pages"
    );
}

#[tokio::test]
async fn ledger_page_switches_to_english_and_searches() {
    let t = TestApp::with_demo().await;
    let (status, html) = t.get("/ledger?lang=en&q=%E5%8F%B0%E8%81%94").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Compound ledger"));
    assert!(
        html.contains("台联小区"),
        "search by name finds the Liaocheng pilot"
    );
    assert!(html.contains("1 / 1"));
}

#[tokio::test]
async fn stats_api_matches_the_census() {
    let t = TestApp::with_demo().await;
    let (status, body) = t
        .get("/api/v1/stats?street=%E5%A4%A7%E6%B2%81%E4%BB%96%E6%8B%89%E8%A1%97%E9%81%93")
        .await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["compounds"], 151);
    assert_eq!(v["unmanaged"], 77);
    assert_eq!(v["unmanaged_households"], 3796);
}

#[tokio::test]
async fn unknown_mode_is_a_clear_error_with_a_code() {
    let t = TestApp::with_demo().await;
    let (status, body) = t.get("/api/v1/compounds?mode=bogus").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("\"code\":\"bad_request\"") && body.contains("未知的物业管理方式"),
        "{body}"
    );
}
