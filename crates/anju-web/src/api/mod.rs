//! JSON API under `/api/v1`: the operations of the pages and the CLI, with the same access
//! rules, and its OpenAPI 3.1 document at `/api/v1/openapi.json`.
//!
//! One table ([`table`]) lists every API route: its method, path, parameters, body, the
//! permission it needs (`anju_core::access::Action`) and, for the routes served here, the
//! handler. [`router`] is built from the table and [`openapi`] is generated from it, so the
//! document cannot drift from what is served. Routes other modules serve (`/api/v1/me`,
//! `/api/v1/stats`, `/api/v1/compounds` in `ledger.rs`) are in
//! the table without a handler, so the document describes them too; a test checks that every
//! `/api/` route registered anywhere in the crate is in the table and that every row answers.
//!
//! Every handler runs in this order: session (401 `unauthorized`), the role's permission (403
//! `forbidden`), the `X-CSRF-Token` header on writes (403 `csrf`), the body (422 `bad_request`,
//! naming the field), the scope — a compound, contract, order or complaint outside the viewer's
//! street, community or company is 403 `forbidden` and never appears in a list — then the
//! store (404 `not_found`, 409 `conflict`/`duplicate`, 422 `invalid`/`refused`).
//!
//! This module holds the table, the document and what every handler shares (the body and its
//! refusals, `ok`/`created`, `write_guard`, the versioned-step body `VersionOn`); the
//! handlers and their request bodies live one module per resource: `compounds` (the ledger,
//! a compound, its lifecycle and corrections), `contracts`, `evidence`, `companies`,
//! `tasks` (and targets), `oversight` (assessments, evaluators, patrols, orders,
//! complaints), `surveys`, `money` (fees, accounts, funding policies), `departments`
//! (departments and referrals, 吹哨报到), `organisation` (groups, meetings, 通报 and 约谈, the
//! 交办事项 they hand out), `owners_bodies` (业主组织: 筹备, 选举, 备案, 届满, members), `votes`
//! (业主表决: the register of households, votes, paper ballots, 计票), `fund` (专项维修资金:
//! deposits, uses and their steps), `renovation` (老旧小区改造, 三承诺, 核定收费标准), `party` (红色物业 records), `users`, `audit`.
//! [`types`] names the Rust types of bodies and answers; [`cli`] each route's `anju` command.

mod audit;
pub mod cli;
mod companies;
mod compounds;
mod contracts;
mod departments;
mod evidence;
mod filings;
mod fund;
mod money;
mod organisation;
mod oversight;
mod owners_bodies;
mod party;
mod renovation;
mod surveys;
mod tasks;
pub mod types;
mod users;
mod votes;

use crate::api::types::{
    CompoundPage, ErrorBody, EvaluatorJson, FeeCollection, OpenApiDocument, OpenedSurvey, Schemas,
    SurveyLink, TargetProgress, Ty, Upload, UploadedEvidence, list, ty,
};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{CompoundSort, EVIDENCE_MAX_BYTES, StoredCompound};
use anju_core::CompoundId;
use anju_core::Lang;
use anju_core::access::Action;
use anju_core::task::TaskStatus;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

type Out = Result<Response, WebError>;

/// Rows per page of `/api/v1/ledger` unless `per_page` says otherwise (at most [`MAX_PER_PAGE`]).
pub const DEFAULT_PER_PAGE: i64 = 50;
pub const MAX_PER_PAGE: i64 = 500;

/// Room for multipart headers around a file of [`EVIDENCE_MAX_BYTES`]: a body up to the limit
/// plus this reaches the handler, which then names the limit itself (413 `too_large`).
const UPLOAD_SLACK: usize = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// The route table

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Path,
    Query,
}

/// One parameter of a route.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub place: In,
    /// `integer`, `string` or `date` (a string `YYYY-MM-DD`); see `of`.
    pub ty: &'static str,
    pub required: bool,
    pub zh: &'static str,
    /// The Rust type the parameter is read as, when it is a type of the domain (a status, a
    /// sort, a mode): its schema lists the values.
    pub of: Option<Ty>,
}

const fn path_id(zh: &'static str) -> Param {
    Param {
        name: "id",
        place: In::Path,
        ty: "integer",
        required: true,
        zh,
        of: None,
    }
}

const fn query(name: &'static str, ty: &'static str, zh: &'static str) -> Param {
    Param {
        name,
        place: In::Query,
        ty,
        required: false,
        zh,
        of: None,
    }
}

/// An optional query parameter read as the domain type `of` (by its serde codes).
fn typed_query(name: &'static str, of: Ty, zh: &'static str) -> Param {
    Param {
        of: Some(of),
        ..query(name, "string", zh)
    }
}

const fn required_query(name: &'static str, ty: &'static str, zh: &'static str) -> Param {
    Param {
        name,
        place: In::Query,
        ty,
        required: true,
        zh,
        of: None,
    }
}

/// One API route as documented.
#[derive(Debug, Clone)]
pub struct RouteDoc {
    /// `get`, `post` or `put`.
    pub method: &'static str,
    /// The axum path (`/api/v1/compounds/{id}`), also the OpenAPI path.
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// The permission the role needs; `None`: any logged-in user (or nobody, see `public`).
    pub action: Option<Action>,
    /// Answered without a session.
    pub public: bool,
    pub params: Vec<Param>,
    /// The type of the JSON body.
    pub body: Option<Ty>,
    /// The type of the answer.
    pub response: Ty,
    /// Which module serves it when not this one.
    pub served_by: Option<&'static str>,
    /// The body is a file (raw bytes or `multipart/form-data`), not JSON.
    pub upload: bool,
}

/// A row of the table: the document and, when served here, the handler.
pub struct ApiRoute {
    pub doc: RouteDoc,
    pub handler: Option<MethodRouter<AppState>>,
}

#[expect(clippy::too_many_arguments)]
fn row(
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    action: Option<Action>,
    params: Vec<Param>,
    body: Option<Ty>,
    response: Ty,
    handler: Option<MethodRouter<AppState>>,
) -> ApiRoute {
    ApiRoute {
        doc: RouteDoc {
            method,
            path,
            tag,
            summary,
            action,
            public: false,
            params,
            body,
            response,
            served_by: None,
            upload: false,
        },
        handler,
    }
}

fn elsewhere(mut r: ApiRoute, module: &'static str) -> ApiRoute {
    r.doc.served_by = Some(module);
    r
}

fn ledger_filters() -> Vec<Param> {
    vec![
        query("street", "string", "街道名称（精确）"),
        query("community", "string", "社区名称（精确）"),
        typed_query(
            "mode",
            ty::<anju_core::ManagementMode>(),
            "物业管理方式代码",
        ),
        query("q", "string", "按名称或地址搜索"),
    ]
}

/// Every API route, in the order of the document.
/// Every API route with its documentation: the resources' own tables, and the routes other
/// modules serve.
pub fn table() -> Vec<ApiRoute> {
    use Action as A;
    let mut t = Vec::new();
    t.extend([{
        let mut r = row(
            "get",
            "/api/v1/openapi.json",
            "meta",
            "本 API 的 OpenAPI 3.1 文档",
            None,
            vec![],
            None,
            ty::<OpenApiDocument>(),
            Some(get(openapi_json)),
        );
        r.doc.public = true;
        r
    }]);
    t.extend([elsewhere(
        row(
            "get",
            "/api/v1/me",
            "auth",
            "当前登录用户、角色、管辖范围与 CSRF 令牌",
            None,
            vec![],
            None,
            ty::<crate::auth::Viewer>(),
            None,
        ),
        "auth",
    )]);
    t.extend(users::routes());
    t.extend([elsewhere(
        row(
            "get",
            "/api/v1/stats",
            "ledger",
            "覆盖率统计（按街道、社区；限管辖范围）",
            Some(A::ViewLedger),
            ledger_filters(),
            None,
            ty::<anju_core::stats::CoverageReport>(),
            None,
        ),
        "ledger",
    )]);
    t.extend([elsewhere(
        row(
            "get",
            "/api/v1/compounds",
            "ledger",
            "小区列表（全部匹配的小区，不分页；限管辖范围）",
            Some(A::ViewLedger),
            ledger_filters(),
            None,
            list::<crate::ledger::CompoundJson>(),
            None,
        ),
        "ledger",
    )]);
    t.extend(compounds::routes());
    t.extend([
            {
                let mut r = row(
                    "post",
                    "/api/v1/evidence",
                    "evidence",
                    "上传证明材料（JPEG、PNG、WebP、HEIC 或 PDF，不超过 20 MiB，按文件内容识别类型），返回 SHA-256；推进步骤、考核、巡查、答复时在 evidence 中引用",
                    Some(A::UploadEvidence),
                    vec![query(
                        "name",
                        "string",
                        "原始文件名（直接上传文件内容时必填；multipart 上传取文件字段的文件名）",
                    )],
                    Some(ty::<Upload>()),
                    ty::<UploadedEvidence>(),
                    Some(
                        post(evidence::evidence_upload)
                            .layer(DefaultBodyLimit::max(EVIDENCE_MAX_BYTES + UPLOAD_SLACK)),
                    ),
                );
                r.doc.upload = true;
                r
            },
    ]);
    t.extend(contracts::routes());
    t.extend(companies::routes());
    t.extend(tasks::routes());
    t.extend(oversight::routes());
    t.extend(surveys::routes());
    t.extend(money::routes());
    t.extend(departments::routes());
    t.extend(filings::routes());
    t.extend(organisation::routes());
    t.extend(renovation::routes());
    t.extend(owners_bodies::routes());
    t.extend(party::routes());
    t.extend(votes::routes());
    t.extend(fund::routes());
    t.extend(audit::routes());
    t
}

pub fn router() -> Router<AppState> {
    table()
        .into_iter()
        .filter_map(|r| r.handler.map(|h| (r.doc.path, h)))
        .fold(Router::new(), |router, (path, h)| router.route(path, h))
}

/// Every API route as `(METHOD, path)`, for tests and the route inventory.
pub fn routes() -> Vec<(&'static str, &'static str)> {
    table()
        .into_iter()
        .map(|r| (r.doc.method, r.doc.path))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI document

/// Every component schema: those of the table's types and of every type they refer to, each
/// derived from its Rust type (`utoipa::ToSchema`). Two types that would share a name are an
/// error (a test builds the document).
pub fn schemas(table: &[ApiRoute]) -> serde_json::Map<String, Value> {
    let mut found: Schemas = Vec::new();
    ty::<ErrorBody>().collect(&mut found);
    for r in table {
        r.doc.response.collect(&mut found);
        for t in r.doc.params.iter().filter_map(|p| p.of) {
            t.collect(&mut found);
        }
        if let Some(b) = r.doc.body {
            b.collect(&mut found);
        }
    }
    let mut out = serde_json::Map::new();
    for (name, schema) in found {
        let schema = serde_json::to_value(schema).unwrap_or(Value::Null);
        if let Some(before) = out.get(&name) {
            assert_eq!(before, &schema, "two types are both named {name}");
            continue;
        }
        out.insert(name, schema);
    }
    out.sort_keys();
    out
}

/// The OpenAPI 3.1 document of every route in [`table`].
pub fn openapi() -> Value {
    let table = table();
    let schemas = schemas(&table);
    let mut paths = serde_json::Map::new();
    for r in table {
        let d = r.doc;
        let params: Vec<Value> = d
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": if p.place == In::Path { "path" } else { "query" },
                    "required": p.required,
                    "description": p.zh,
                    "schema": match (p.of, p.ty) {
                        (Some(t), _) => t.reference(),
                        (None, "date") => json!({"type": "string", "format": "date"}),
                        (None, ty) => json!({"type": ty}),
                    }
                })
            })
            .collect();
        let err = |desc: &str| json!({"description": desc, "content": {"application/json": {"schema": ty::<ErrorBody>().reference()}}});
        let mut responses = serde_json::Map::new();
        let ok = if d.method == "post" && d.body.is_some() && d.path.matches('{').count() == 0 {
            "201"
        } else {
            "200"
        };
        responses.insert(
            ok.into(),
            json!({"description": "成功", "content": {"application/json": {"schema": d.response.reference()}}}),
        );
        if !d.public {
            responses.insert("401".into(), err("未登录（unauthorized）"));
            responses.insert(
                "403".into(),
                err("角色无此权限或对象不在管辖范围内（forbidden）；写请求缺少 X-CSRF-Token（csrf）"),
            );
        }
        if d.path.contains('{') {
            responses.insert("404".into(), err("找不到（not_found）"));
        }
        if d.body.is_some() {
            responses.insert(
                "409".into(),
                err("版本号过期或数据重复（conflict、duplicate）"),
            );
        }
        if !d.public {
            responses.insert(
                "422".into(),
                err("参数或请求内容不合法（bad_request、invalid），或规则拒绝（refused）"),
            );
        }
        let mut op = json!({
            "tags": [d.tag],
            "summary": d.summary,
            "operationId": format!("{}_{}", d.method, d.path.trim_start_matches("/api/v1/").replace(['/', '{', '}', '.'], "_")),
            "parameters": params,
            "responses": responses,
        });
        if let Some(a) = d.action {
            op["description"] = json!(format!("需要权限：{}（{:?}）", a.zh(), a));
        }
        if let Some(c) = crate::api::cli::cli_of(d.method, d.path) {
            op["x-anju-cli"] = crate::api::cli::extension(c);
        }
        if d.public {
            op["security"] = json!([]);
        } else if d.method != "get" {
            op["security"] = json!([{"session": [], "csrf": []}]);
        }
        if d.upload {
            op["responses"]["413"] = err("文件超过 20 MiB（too_large）");
            op["responses"]["415"] = err("不是可接受的文件类型（unsupported_type）");
        }
        if let Some(b) = d.body {
            let schema = b.reference();
            op["requestBody"] = if d.upload {
                json!({"required": true, "content": {
                    "application/octet-stream": {"schema": schema},
                    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": schema}}}
                }})
            } else {
                json!({"required": true, "content": {"application/json": {"schema": schema}}})
            };
        }
        let entry = paths.entry(d.path.to_string()).or_insert_with(|| json!({}));
        entry[d.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "安居 Anju API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "物业管理全覆盖：与网页、命令行相同的操作和相同的权限。登录（POST /login）后以会话 Cookie 访问；写请求须带 X-CSRF-Token（GET /api/v1/me 返回）。错误均为 {\"code\",\"message\"}（请求内容不合法时另有 field，指出字段），code 稳定，message 为中文并指出字段。加 ?lang=en 取英文说明。数值：金额为整数分（Fen，1 元 = 100），面积为整数 0.01 ㎡（Area），得分、比率等精确小数写成字符串（如 \"85.50\"；请求中也接受数字）。各结构均由程序中的类型生成。"
        },
        "servers": [{"url": "/"}],
        "security": [{"session": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}
            }
        }
    })
}

async fn openapi_json() -> Json<Value> {
    Json(openapi())
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn msg(l: Lang, zh: String, en: String) -> String {
    match l {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn bad(l: Lang, zh: impl Into<String>, en: impl Into<String>) -> WebError {
    WebError::BadRequest(msg(l, zh.into(), en.into()))
}

/// 422 naming the body's field a value was refused in.
fn bad_field(l: Lang, field: &str, zh: impl Into<String>, en: impl Into<String>) -> WebError {
    WebError::Invalid {
        field: field.to_string(),
        message: msg(l, zh.into(), en.into()),
    }
}

/// The JSON body, or 422 naming what is wrong (serde names the missing or bad field).
fn body<T: DeserializeOwned>(bytes: &Bytes, l: Lang) -> Result<T, WebError> {
    // Every body is an object: serde would read a list as the fields in order and then name
    // a position (`[1]`), which means nothing to the person who sent it.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        return Err(WebError::Invalid {
            message: msg(
                l,
                "请求内容应为一个 JSON 对象（{…}），各项按字段名填写".into(),
                "the body must be a JSON object ({…}) with the fields by name".into(),
            ),
            field: String::new(),
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        // serde_json calls a number where an enum's name belongs a syntax error; when the
        // body is well-formed JSON, it is a wrong value of the field named.
        if e.inner().is_syntax()
            && !path.is_empty()
            && path != "."
            && serde_json::from_slice::<Value>(bytes).is_ok()
        {
            return WebError::Invalid {
                message: msg(
                    l,
                    format!("{path}：取值不对，应为可选值之一（见 API 文档）"),
                    format!("{path}: not one of the allowed values (see the API document)"),
                ),
                field: path,
            };
        }
        let (field, zh, en) = body_problem(&path, e.inner());
        WebError::Invalid {
            message: msg(l, zh, en),
            field,
        }
    })
}

/// A body serde refused, said in words: which field (its path in the body), and what is wrong
/// with it, without serde's own wording.
fn body_problem(path: &str, e: &serde_json::Error) -> (String, String, String) {
    let text = e.to_string();
    // serde's messages end " at line L column C"; the kind of problem is before that.
    let head = text.split(" at line ").next().unwrap_or(&text);
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_string);
    let at = |name: &str| {
        if path == "." || path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let field = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    if e.is_syntax() || e.is_eof() {
        return (
            field,
            format!(
                "请求内容不是完整的 JSON（第 {} 行第 {} 列附近）",
                e.line(),
                e.column()
            ),
            format!(
                "the body is not valid JSON (near line {}, column {})",
                e.line(),
                e.column()
            ),
        );
    }
    if let Some(rest) = head.strip_prefix("missing field ") {
        let name = quoted(rest).unwrap_or_default();
        let f = at(&name);
        return (
            f.clone(),
            format!("{f}：缺少此项"),
            format!("{f}: required"),
        );
    }
    if let Some(rest) = head.strip_prefix("unknown variant ") {
        let got = quoted(rest).unwrap_or_default();
        let options: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        let options = options.join("、");
        return (
            field.clone(),
            format!("{field}：不认识的取值“{got}”，可选：{options}"),
            format!("{field}: unknown value '{got}', one of: {options}"),
        );
    }
    if let Some(rest) = head.strip_prefix("unknown field ") {
        let name = quoted(rest).unwrap_or_default();
        let f = at(&name);
        return (
            f.clone(),
            format!("{f}：没有这一项"),
            format!("{f}: no such field"),
        );
    }
    if head.contains("integer `-")
        && (head.contains("u32") || head.contains("u16") || head.contains("u64"))
    {
        return (
            field.clone(),
            format!("{field}：不能为负数"),
            format!("{field}: cannot be negative"),
        );
    }
    if head.starts_with("invalid type") || head.starts_with("invalid value") {
        let expected = head.split("expected ").nth(1).unwrap_or("").trim();
        let want_zh = match expected {
            e if e.contains("date") || e.contains("Date") => "日期（如 2026-03-01）",
            e if e.contains("Decimal") => "数字（如 85.5）",
            e if e.contains("i64")
                || e.contains("u32")
                || e.contains("integer")
                || e.contains("u16") =>
            {
                "整数"
            }
            e if e.contains("string") => "文字",
            e if e.contains("sequence") => "列表",
            e if e.contains("bool") => "true 或 false",
            _ => "正确格式的值",
        };
        return (
            field.clone(),
            format!("{field}：格式不对，应为{want_zh}"),
            format!("{field}: wrong kind of value, expected {expected}"),
        );
    }
    let last = field.rsplit('.').next().unwrap_or("");
    if last == "on" || last.ends_with("_on") || last.contains("date") {
        return (
            field.clone(),
            format!("{field}：日期格式不对，应如 2026-03-01"),
            format!("{field}: not a date, write it as 2026-03-01"),
        );
    }
    (
        field.clone(),
        format!("{field}：格式不对"),
        format!("{field}: not in the right form"),
    )
}

/// A path's id as the record's own id type; a refusal names the record (“整改单编号不合法”).
fn id_of<T: std::str::FromStr<Err = anju_core::ids::BadId>>(
    raw: &str,
    l: Lang,
) -> Result<T, WebError> {
    raw.parse()
        .map_err(|e: anju_core::ids::BadId| bad(l, e.message(Lang::Zh), e.message(Lang::En)))
}

fn ok<T: serde::Serialize>(v: T) -> Out {
    Ok(Json(v).into_response())
}

fn created<T: serde::Serialize>(v: T) -> Out {
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// A write: the role's permission, then the CSRF header.
fn write_guard(viewer: &Viewer, headers: &HeaderMap, action: Action) -> Result<(), WebError> {
    viewer.require(action)?;
    viewer.check_csrf(headers, None)
}

/// A write to a compound's records: the permission and CSRF, then the compound in the viewer's
/// scope (403 before the body is read); its id.
async fn compound_write(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    action: Action,
) -> Result<CompoundId, WebError> {
    write_guard(viewer, headers, action)?;
    let id: CompoundId = id_of(id, viewer.lang)?;
    compound_in_scope(state, viewer, id).await?;
    Ok(id)
}

/// The compound, or 403 when it lies outside the viewer's scope (404 when there is none).
async fn compound_in_scope(
    state: &AppState,
    viewer: &Viewer,
    id: CompoundId,
) -> Result<StoredCompound, WebError> {
    // The refusal gives the number only: another street's names never reach this viewer.
    state
        .app
        .compound_in_scope(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, viewer.lang))
}

// The body of a versioned step on a date (contracts, tasks, orders, complaints); a plain
// comment, since a doc comment would become the schema's description.
#[derive(Deserialize, utoipa::ToSchema)]
struct VersionOn {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 发生日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_unique_and_documented() {
        let doc = openapi();
        let mut seen = std::collections::HashSet::new();
        for (m, p) in routes() {
            assert!(seen.insert((m, p)), "{m} {p} twice");
            assert!(
                doc["paths"][p][m].is_object(),
                "{m} {p} not in the document"
            );
            assert!(p.starts_with("/api/v1/"), "{p}");
        }
        let documented: usize = doc["paths"]
            .as_object()
            .expect("paths")
            .values()
            .map(|v| v.as_object().map_or(0, |o| o.len()))
            .sum();
        assert_eq!(
            documented,
            seen.len(),
            "the document has only the table's routes"
        );
    }

    #[test]
    fn every_schema_referenced_exists() {
        let doc = openapi();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(schemas.contains_key(&name), "missing schema {name}");
        }
    }

    #[test]
    fn path_parameters_match_the_path() {
        for r in table() {
            let braces = r.doc.path.matches('{').count();
            let declared = r.doc.params.iter().filter(|p| p.place == In::Path).count();
            assert_eq!(braces, declared, "{}", r.doc.path);
        }
    }
}
