//! 一张图 (/map) through HTTP: each role sees the compounds of its scope (a condition of the
//! query), the layers narrow them, a compound without coordinates is listed and gets them from
//! the form (a wrong number refused, naming the field, keeping what was typed), and the map's
//! scripts are served from the binary.

use crate::support::{TestApp, UserScope, both_engines, user_session};
use anju_core::access::Role;
use axum::http::StatusCode;

const STREET: &str = "大沁他拉街道";

/// The JSON the page hands its script.
fn map_data(body: &str) -> serde_json::Value {
    let start = body
        .find(r#"<script type="application/json" id="map-data">"#)
        .expect("map data");
    let rest = &body[start..];
    let open = rest.find('>').expect(">") + 1;
    let close = rest.find("</script>").expect("</script>");
    serde_json::from_str(&rest[open..close]).expect("JSON")
}

fn names(data: &serde_json::Value) -> Vec<String> {
    data["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_string())
        .collect()
}

both_engines!(the_map_shows_the_scope_its_layers_and_takes_coordinates);
async fn the_map_shows_the_scope_its_layers_and_takes_coordinates(t: &TestApp) {
    let street = user_session(t, "li", Role::Street, UserScope::Region(STREET)).await;
    let r = t.get_as(&street, "/map").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<a href=\"/map\""), "the nav links the map");
    let data = map_data(&r.body);
    let all = t
        .store
        .list_compounds(&Default::default())
        .await
        .expect("all");
    let mine: Vec<_> = all
        .iter()
        .filter(|c| c.compound.street == STREET && c.compound.coords.is_some())
        .collect();
    assert_eq!(names(&data).len(), mine.len());
    assert!(mine.len() > 100);
    assert!(
        data["streets"]
            .as_array()
            .expect("streets")
            .iter()
            .all(|s| s["name"] == STREET)
    );
    assert!(data["tiles"].is_null(), "no tile source: drawn offline");
    // Another street's officer sees none of these.
    let other = user_session(t, "shan", Role::Street, UserScope::Region("山城街道")).await;
    let theirs = names(&map_data(&t.get_as(&other, "/map").await.body));
    assert!(!theirs.is_empty());
    assert!(
        theirs
            .iter()
            .all(|n| !mine.iter().any(|c| &c.compound.name == n))
    );
    // The uncovered layer: only compounds without a company or other cover.
    let r = t.get_as(&street, "/map?only=uncovered&colour=mode").await;
    let uncovered = map_data(&r.body);
    assert!(names(&uncovered).len() < mine.len());
    assert!(
        r.body.contains("管理方式着色\" selected") || r.body.contains("value=\"mode\" selected")
    );

    // A compound loses its coordinates: it is listed beside the map, with a form.
    let target = mine[0];
    anju_store::query("UPDATE compounds SET lat_e6 = NULL, lng_e6 = NULL WHERE id = $1")
        .bind(target.id)
        .execute(t.store.pool())
        .await
        .expect("clear");
    let r = t.get_as(&street, "/map").await;
    assert_eq!(names(&map_data(&r.body)).len(), mine.len() - 1);
    assert!(
        r.body.contains(&format!("data-id=\"{}\"", target.id)),
        "listed"
    );
    let action = format!("/map/coordinates/{}", target.id);
    let form = |lat: &str, lng: &str| {
        format!(
            "csrf={}&version={}&lat={}&lng={}&street=",
            street.csrf,
            target.version,
            crate::support::enc(lat),
            crate::support::enc(lng)
        )
    };
    let r = t
        .post_form(Some(&street), &action, &form("北纬42度", "121.28"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("纬度：“北纬42度”不是数字"), "{}", r.body);
    assert!(
        r.body.contains("value=\"北纬42度\""),
        "what was typed is kept"
    );
    let r = t
        .post_form(Some(&street), &action, &form("95", "121.28"))
        .await;
    assert!(r.body.contains("纬度：95 超出 ±90 度"), "{}", r.body);
    let r = t
        .post_form(Some(&street), &action, &form("42.8431235", "121.279"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = t.store.get_compound(target.id).await.expect("compound");
    let coords = c.compound.coords.expect("coordinates");
    assert_eq!((coords.lat_e6, coords.lng_e6), (42_843_124, 121_279_000));
    assert_eq!(c.version, target.version + 1);
    // Another street's officer may not set this one's (out of scope), nor an auditor (no edit).
    let r = t
        .post_form(
            Some(&other),
            &action,
            &format!("csrf={}&version={}&lat=1&lng=1", other.csrf, c.version),
        )
        .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status
    );
    let auditor = user_session(t, "shenji", Role::Auditor, UserScope::None).await;
    let r = t
        .post_form(
            Some(&auditor),
            &action,
            &format!("csrf={}&version={}&lat=1&lng=1", auditor.csrf, c.version),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_map_scripts_come_from_the_binary_and_a_tile_source_is_allowed_by_the_policy() {
    let mut t = TestApp::with_demo().await;
    for (path, kind) in [
        ("/assets/leaflet/leaflet.js", "javascript"),
        ("/assets/leaflet/leaflet.css", "css"),
        ("/assets/map.js", "javascript"),
    ] {
        let r = t.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let ct = r.headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .expect("ct");
        assert!(ct.contains(kind), "{path}: {ct}");
    }
    let s = user_session(&t, "li", Role::Street, UserScope::Region(STREET)).await;
    let csp = |r: &crate::support::Res| {
        r.headers[axum::http::header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .to_string()
    };
    assert!(!csp(&t.get_as(&s, "/map").await).contains("tianditu"));
    t.state.map_tiles = Some(anju_web::map_web::TileSource {
        url: "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}&y={y}&l={z}".into(),
        subdomains: "01234567".into(),
        attribution: "天地图".into(),
    });
    let r = t.get_as(&s, "/map").await;
    assert!(
        csp(&r).contains("img-src 'self' data: blob: https://*.tianditu.gov.cn;"),
        "{}",
        csp(&r)
    );
    assert_eq!(map_data(&r.body)["tiles"]["subdomains"], "01234567");
    // Every other page keeps the strict policy.
    assert!(!csp(&t.get_as(&s, "/ledger").await).contains("tianditu"));
}
