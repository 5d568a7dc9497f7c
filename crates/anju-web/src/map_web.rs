//! 一张图 (`/map`): every compound in the viewer's scope where it lies, coloured by its stage
//! on the path to coverage or by its management mode, with layers for unanswered complaints,
//! overdue rectification orders and uncovered compounds; a click opens the compound.
//!
//! It works with no internet: Leaflet (BSD-2-Clause, `assets/leaflet/`) and the page's script
//! are served from the binary. Tiles come from the source `anju serve --tiles` names (a 天地图
//! key, or a government intranet tile server), which the page's Content-Security-Policy then
//! allows; with none the points are drawn on a plain background with each street's name at the
//! centre of its compounds. Compounds without coordinates are listed beside the map, each with
//! a form to set them (`App::set_coordinates`).

use crate::page::{Chrome, Refusal, app_refusal, html_error, with_lang};
use crate::{AppState, Viewer, WebError};
use anju_app::map::{MapFilter, MapMark, MapOnly, parse_coordinates};
use anju_core::access::Action;
use anju_core::ids::CompoundId;
use anju_core::lifecycle::Stage;
use anju_core::{Lang, ManagementMode};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/map", get(map_page))
        .route("/map/coordinates/{id}", post(set_coordinates))
        .route("/assets/map.js", get(map_js))
        .route("/assets/leaflet/leaflet.js", get(leaflet_js))
        .route("/assets/leaflet/leaflet.css", get(leaflet_css))
}

/// A tile source for the map (`anju serve --tiles`): an URL template with `{z}/{x}/{y}` (and
/// `{s}` for subdomains), and the attribution its terms ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileSource {
    pub url: String,
    pub subdomains: String,
    pub attribution: String,
}

impl TileSource {
    /// The origin the page's Content-Security-Policy must allow images from (a leading label
    /// with `{s}` becomes `*`), or `None` when the template is not an http(s) URL.
    pub fn csp_origin(&self) -> Option<String> {
        let (scheme, rest) = self.url.split_once("://")?;
        if scheme != "https" && scheme != "http" {
            return None;
        }
        let host = rest.split(['/', '?']).next()?;
        // A label with `{s}` (t{s}.tianditu.gov.cn) may only lead: it becomes `*.`.
        let host = match host.split_once('.') {
            Some((first, tail)) if first.contains("{s}") => format!("*.{tail}"),
            _ => host.to_string(),
        };
        if host.is_empty() || host.contains(['{', '}', ' ', ';', '\'', ',']) {
            return None;
        }
        Some(format!("{scheme}://{host}"))
    }
}

#[derive(Debug, Default, Deserialize)]
struct MapQuery {
    street: Option<String>,
    /// `stage` (default) or `mode`.
    colour: Option<String>,
    /// `complaints`, `overdue`, `uncovered`, or nothing.
    only: Option<String>,
}

/// One colour of the legend: its code, label and how many compounds have it.
struct Legend {
    colour: &'static str,
    label: &'static str,
    count: usize,
}

struct Unplaced {
    id: i64,
    version: i64,
    name: String,
    street: String,
    href: String,
    action: String,
    lat: String,
    lng: String,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    chrome: Chrome,
    l: Lang,
    streets: Vec<String>,
    street: String,
    colour: String,
    only: String,
    legend: Vec<Legend>,
    placed: usize,
    unplaced: Vec<Unplaced>,
    may_edit: bool,
    data: String,
    tiles: bool,
    /// Why the coordinates just sent were not saved (also beside the compound when listed).
    refused: Option<String>,
}

const STAGE_COLOURS: [&str; 10] = [
    "#9e9e9e", "#bdbdbd", "#8d6e63", "#a1887f", "#f9a825", "#fb8c00", "#7cb342", "#43a047",
    "#2e7d32", "#1b5e20",
];
const MODE_COLOURS: [&str; 7] = [
    "#1565c0", "#6a1b9a", "#00838f", "#5d4037", "#2e7d32", "#ef6c00", "#c62828",
];

fn stage_colour(s: Stage) -> &'static str {
    let i = Stage::ALL.iter().position(|x| *x == s).unwrap_or(0);
    STAGE_COLOURS[i % STAGE_COLOURS.len()]
}

fn mode_colour(m: ManagementMode) -> &'static str {
    let i = ManagementMode::ALL
        .iter()
        .position(|x| *x == m)
        .unwrap_or(0);
    MODE_COLOURS[i % MODE_COLOURS.len()]
}

fn parse_only(s: Option<&str>) -> MapOnly {
    match s.unwrap_or("") {
        "complaints" => MapOnly::OpenComplaints,
        "overdue" => MapOnly::OverdueOrders,
        "uncovered" => MapOnly::Uncovered,
        _ => MapOnly::All,
    }
}

fn only_code(o: MapOnly) -> &'static str {
    match o {
        MapOnly::All => "",
        MapOnly::OpenComplaints => "complaints",
        MapOnly::OverdueOrders => "overdue",
        MapOnly::Uncovered => "uncovered",
    }
}

async fn map_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<MapQuery>,
) -> Response {
    render(&state, &viewer, &q, None).await
}

/// The page, with the coordinates form of `kept` showing what was typed and why it was refused.
async fn render(
    state: &AppState,
    viewer: &Viewer,
    q: &MapQuery,
    kept: Option<(i64, String, String, String)>,
) -> Response {
    let html = map_html(state, viewer, q, kept.as_ref()).await;
    let drawn = html.is_ok();
    let mut res = crate::page::form_answer(html, kept.is_some(), state, viewer);
    // Only the map itself may load images from the tile server.
    if drawn && let Some(origin) = state.map_tiles.as_ref().and_then(TileSource::csp_origin) {
        let csp = crate::guard::content_security_policy(Some(&origin));
        if let Ok(v) = HeaderValue::from_str(&csp) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    res
}

async fn map_html(
    state: &AppState,
    viewer: &Viewer,
    q: &MapQuery,
    kept: Option<&(i64, String, String, String)>,
) -> Result<String, WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let street = q
        .street
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let only = parse_only(q.only.as_deref());
    let by_mode = q.colour.as_deref() == Some("mode");
    let marks = state
        .app
        .map_marks(
            &who,
            MapFilter {
                street: street.clone(),
                only,
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?;
    let streets = state
        .app
        .offered_streets(&who)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let colour_of = |m: &MapMark| {
        if by_mode {
            mode_colour(m.mode)
        } else {
            stage_colour(m.stage)
        }
    };
    let legend: Vec<Legend> = if by_mode {
        ManagementMode::ALL
            .iter()
            .map(|m| Legend {
                colour: mode_colour(*m),
                label: m.label(l),
                count: marks.iter().filter(|x| x.mode == *m).count(),
            })
            .filter(|g| g.count > 0)
            .collect()
    } else {
        Stage::ALL
            .iter()
            .map(|s| Legend {
                colour: stage_colour(*s),
                label: s.label(l),
                count: marks.iter().filter(|x| x.stage == *s).count(),
            })
            .filter(|g| g.count > 0)
            .collect()
    };
    let degrees = |e6: i64| serde_json::Number::from_f64(e6 as f64 / 1_000_000.0);
    let mut points = Vec::new();
    let mut unplaced = Vec::new();
    let mut by_street: std::collections::BTreeMap<&str, (i64, i64, i64)> = Default::default();
    for m in &marks {
        let href = with_lang(&format!("/compounds/{}", m.id), l);
        let Some(c) = m.coords else {
            let (lat, lng, problem) = match kept {
                Some((id, lat, lng, why)) if *id == m.id => {
                    (lat.clone(), lng.clone(), Some(why.clone()))
                }
                _ => (String::new(), String::new(), None),
            };
            unplaced.push(Unplaced {
                id: m.id,
                version: m.version,
                name: m.name.clone(),
                street: m.street.clone(),
                href,
                action: with_lang(&format!("/map/coordinates/{}", m.id), l),
                lat,
                lng,
                problem,
            });
            continue;
        };
        let e = by_street.entry(m.street.as_str()).or_default();
        e.0 += c.lat_e6;
        e.1 += c.lng_e6;
        e.2 += 1;
        let label = if by_mode {
            m.mode.label(l)
        } else {
            m.stage.label(l)
        };
        points.push(serde_json::json!({
            "id": m.id,
            "name": m.name,
            "lat": degrees(c.lat_e6),
            "lng": degrees(c.lng_e6),
            "colour": colour_of(m),
            "label": format!("{} · {}", m.street, label),
            "complaints": m.open_complaints,
            "overdue": m.overdue_orders,
        }));
    }
    let streets_at: Vec<_> = by_street
        .iter()
        .map(|(name, (lat, lng, n))| {
            serde_json::json!({"name": name, "lat": degrees(lat / n), "lng": degrees(lng / n)})
        })
        .collect();
    let centre = marks
        .iter()
        .find_map(|m| m.coords)
        .map_or((42.846, 121.286), |c| {
            (c.lat_e6 as f64 / 1e6, c.lng_e6 as f64 / 1e6)
        });
    let data = serde_json::json!({
        "points": points,
        "streets": streets_at,
        "centre": {"lat": centre.0, "lng": centre.1},
        "tiles": state.map_tiles.as_ref().map(|t| serde_json::json!({
            "url": t.url, "subdomains": t.subdomains, "attribution": t.attribution,
        })),
        "words": {
            "complaints": l.pick("未答复投诉", "unanswered complaints"),
            "overdue": l.pick("逾期整改", "overdue orders"),
        },
    });
    // Inside <script type="application/json">: no "</" may close the element early.
    let data = data.to_string().replace("</", "<\\/");
    let mut here = "/map".to_string();
    let mut sep = '?';
    for (k, v) in [
        ("street", street.clone().unwrap_or_default()),
        (
            "colour",
            if by_mode {
                "mode".into()
            } else {
                String::new()
            },
        ),
        ("only", only_code(only).to_string()),
    ] {
        if !v.is_empty() {
            here.push(sep);
            here.push_str(&format!("{k}={}", crate::page::urlencode(&v)));
            sep = '&';
        }
    }
    let page = MapPage {
        chrome: Chrome::new(state, viewer, l.pick("一张图", "Map"), &here),
        l,
        streets,
        street: street.unwrap_or_default(),
        colour: if by_mode { "mode" } else { "stage" }.to_string(),
        only: only_code(only).to_string(),
        legend,
        placed: points.len(),
        unplaced,
        may_edit: viewer.require(Action::EditCompounds).is_ok(),
        data,
        tiles: state.map_tiles.is_some(),
        refused: kept.map(|(_, _, _, why)| why.clone()),
    };
    Ok(page.render()?)
}

#[derive(Debug, Default, Deserialize)]
struct CoordinatesForm {
    csrf: Option<String>,
    version: Option<String>,
    lat: Option<String>,
    lng: Option<String>,
    street: Option<String>,
    colour: Option<String>,
    only: Option<String>,
}

/// `POST /map/coordinates/{id}`: the compound's latitude and longitude, typed in degrees.
async fn set_coordinates(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<CompoundId>,
    headers: HeaderMap,
    Form(f): Form<CoordinatesForm>,
) -> Response {
    let l = viewer.lang;
    // As every form on a compound: the permission, the compound in scope, then the token.
    if let Err(r) = crate::page::form_guard(
        &state,
        &viewer,
        id,
        Action::EditCompounds,
        &headers,
        f.csrf.as_deref(),
    )
    .await
    {
        return r;
    }
    let q = MapQuery {
        street: f.street.clone(),
        colour: f.colour.clone(),
        only: f.only.clone(),
    };
    let (lat, lng) = (
        f.lat.clone().unwrap_or_default(),
        f.lng.clone().unwrap_or_default(),
    );
    let result: Result<(), Refusal> = async {
        let version = anju_app::check::version(f.version.as_deref())
            .map_err(|e| Refusal::Form(e.message(l)))?;
        let coords = parse_coordinates(&lat, &lng).map_err(|e| Refusal::Form(e.message(l)))?;
        state
            .app
            .set_coordinates(&viewer.principal(), id, version, coords)
            .await
            .map_err(|e| app_refusal(e, l))?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            let mut back = "/map".to_string();
            if let Some(s) = f.street.as_deref().filter(|s| !s.is_empty()) {
                back = format!("/map?street={}", crate::page::urlencode(s));
            }
            Redirect::to(&with_lang(&back, l)).into_response()
        }
        Err(Refusal::Form(m)) => render(&state, &viewer, &q, Some((id.get(), lat, lng, m))).await,
        Err(Refusal::Fail(e)) => html_error(&state, &viewer, e),
    }
}

fn asset(kind: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

async fn map_js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/map.js"),
    )
}

async fn leaflet_js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/leaflet/leaflet.js"),
    )
}

async fn leaflet_css() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_bytes!("../assets/leaflet/leaflet.css"),
    )
}
