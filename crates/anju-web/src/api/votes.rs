//! 业主表决 (issue 19 item 2) through the JSON API: a compound's register of households (业主
//! 名册: listed, one household added or corrected, a sheet imported), its votes and opening one,
//! one vote with its ballots (the households' links only for those who run votes), a paper
//! ballot entered with its scan (uploaded first through `POST /api/v1/evidence`), 计票 and using
//! a carried choice of company. Residents vote through their link's page (`/v/{token}`), never
//! through the API. The rules are `anju_app::votes`.

use super::{
    Out, UPLOAD_SLACK, bad, bad_field, compound_in_scope, compound_write, created, id_of, msg, ok,
    path_id, query, row, write_guard,
};
use crate::api::types::{Upload, list, ty};
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{EVIDENCE_MAX_BYTES, Household, RegisterSummary, VoteRecord};
use anju_app::votes::{HouseholdInput, PaperBallotInput, VoteDetail, VoteInput};
use anju_core::Lang;
use anju_core::access::Action;
use anju_core::ids::{CompoundId, OwnersBodyId, VoteId};
use anju_core::vote::Matter;
use anju_sheets::FileKind;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use jiff::civil::Date;
use serde::Deserialize;

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/compounds/{id}/households",
            "votes",
            "小区的业主名册（按房号）：房号、专有部分面积；业主姓名仅组织表决的账号和审计可见",
            Some(A::ViewLedger),
            vec![path_id("小区编号")],
            None,
            list::<Household>(),
            Some(get(households_list)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/households",
            "votes",
            "业主名册增加一户，或按房号更正已有的一户（业主姓名、专有部分面积）",
            Some(A::RunVotes),
            vec![path_id("小区编号")],
            Some(ty::<HouseholdInput>()),
            ty::<RegisterSummary>(),
            Some(post(household_add)),
        ),
        {
            let mut r = row(
                "post",
                "/api/v1/compounds/{id}/households/import",
                "votes",
                "导入业主名册（.xlsx、.xls 或 .csv；列：房号、业主姓名、专有部分面积）：按房号新增或更正，全部成功或全部不导入；有问题时返回 422，逐行列出行号、列名与原因",
                Some(A::RunVotes),
                vec![
                    path_id("小区编号"),
                    query(
                        "format",
                        "string",
                        "文件格式：xlsx、xls 或 csv（不填时按 name 的扩展名判断）",
                    ),
                    query(
                        "name",
                        "string",
                        "原始文件名，如 业主名册.xlsx（直接上传文件内容且未给 format 时必填；multipart 上传取文件字段的文件名）",
                    ),
                ],
                Some(ty::<Upload>()),
                ty::<RegisterSummary>(),
                Some(
                    post(households_import)
                        .layer(DefaultBodyLimit::max(EVIDENCE_MAX_BYTES + UPLOAD_SLACK)),
                ),
            );
            r.doc.upload = true;
            r
        },
        row(
            "get",
            "/api/v1/compounds/{id}/votes",
            "votes",
            "小区的业主表决，最近的在前：事项、期间、参与情况与结果",
            Some(A::ViewLedger),
            vec![path_id("小区编号")],
            None,
            list::<VoteRecord>(),
            Some(get(votes_list)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/votes",
            "votes",
            "发起业主表决：冻结当时的业主名册，每户一张选票（一个链接）；同一事项已有进行中的表决或名册为空时拒绝",
            Some(A::RunVotes),
            vec![path_id("小区编号")],
            Some(ty::<OpenJson>()),
            ty::<VoteRecord>(),
            Some(post(vote_open)),
        ),
        row(
            "get",
            "/api/v1/votes/{id}",
            "votes",
            "一次表决：参与情况、结果（按民法典第二百七十八条计票）、各户是否已投票（链接仅组织表决的账号可见，从不显示选择）与当前账号可办理的操作",
            Some(A::ViewLedger),
            vec![path_id("表决编号")],
            None,
            ty::<VoteDetail>(),
            Some(get(vote_show)),
        ),
        row(
            "post",
            "/api/v1/votes/{id}/paper",
            "votes",
            "录入一户的纸质选票（附扫描件，先经 POST /api/v1/evidence 上传，填其 SHA-256）；每户只能投一次",
            Some(A::RunVotes),
            vec![path_id("表决编号")],
            Some(ty::<PaperBallotInput>()),
            ty::<VoteRecord>(),
            Some(post(vote_paper)),
        ),
        row(
            "post",
            "/api/v1/votes/{id}/close",
            "votes",
            "计票并结束表决（须带版本号）：自截止日起，或全部住户已投票时提前；结果冻结",
            Some(A::RunVotes),
            vec![path_id("表决编号")],
            Some(ty::<CloseJson>()),
            ty::<VoteRecord>(),
            Some(post(vote_close)),
        ),
        row(
            "post",
            "/api/v1/votes/{id}/apply",
            "votes",
            "使用表决结果（只能使用一次）：选聘物业服务企业的，以计票日期在全覆盖路径上记入“选定物业企业”；解聘的，以今天为终止日期、以表决为原因终止正在履行的合同（解聘）",
            Some(A::RunVotes),
            vec![path_id("表决编号")],
            None,
            ty::<VoteRecord>(),
            Some(post(vote_apply)),
        ),
    ]
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = VoteOpenBody)]
pub(super) struct OpenJson {
    /// 表决事项：elect_committee（选举业主委员会）、select_company（选聘物业服务企业）、
    /// dismiss_company（解聘物业服务企业）、use_fund（使用维修资金）、raise_fund（筹集维修资金）、
    /// rebuild（改建、重建）、change_use（改变共有部分用途或利用共有部分经营）、other（其他）
    matter: Matter,
    /// 表决事项的表述（业主在选票上读到的内容）
    question: String,
    /// 选举业主委员会：所选举的本小区筹备中的业主组织编号（必填）；其他事项不填
    #[serde(default)]
    owners_body_id: Option<i64>,
    /// 选聘物业服务企业：候选企业编号（1 至 5 家，须在企业名录中）；其他事项不填
    #[serde(default)]
    company_ids: Vec<i64>,
    /// 表决开始日期 YYYY-MM-DD（不得晚于今天）
    opens_on: Date,
    /// 表决截止日期 YYYY-MM-DD（收票的最后一天，不得早于开始日期）
    closes_on: Date,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = VoteCloseBody)]
pub(super) struct CloseJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 计票日期 YYYY-MM-DD（不填为今天；不得晚于今天；截止日之前须全部住户已投票）
    on: Option<Date>,
}

/// Where a register file's kind is read from: `?format=` or the file's name.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ImportQuery {
    #[serde(deserialize_with = "params::text")]
    format: Option<String>,
    #[serde(deserialize_with = "params::text")]
    name: Option<String>,
}

fn too_large(l: Lang) -> WebError {
    let mib = EVIDENCE_MAX_BYTES / (1024 * 1024);
    WebError::TooLarge(msg(
        l,
        format!("业主名册 file：文件超过 {mib} MiB 上限"),
        format!("file: larger than the {mib} MiB limit"),
    ))
}

/// The register's file: `multipart/form-data` (the first part with a file name) or the raw
/// body; with the file's name when one was given.
async fn register_file(
    state: &AppState,
    req: axum::extract::Request,
    l: Lang,
) -> Result<(Option<String>, Bytes), WebError> {
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let broken = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(l)
        } else {
            bad(
                l,
                "业主名册 file：上传中断或格式不对，请重试",
                "file: the upload was interrupted or malformed",
            )
        }
    };
    if multipart {
        let mut mp = Multipart::from_request(req, state)
            .await
            .map_err(|e| broken(e.status()))?;
        while let Some(field) = mp.next_field().await.map_err(|e| broken(e.status()))? {
            let Some(name) = field.file_name().map(str::to_string) else {
                continue;
            };
            let bytes = field.bytes().await.map_err(|e| broken(e.status()))?;
            return Ok((Some(name), bytes));
        }
        return Err(bad(
            l,
            "业主名册 file：请求中没有文件",
            "file: the request carries no file",
        ));
    }
    let bytes = Bytes::from_request(req, state)
        .await
        .map_err(|e| broken(e.status()))?;
    Ok((None, bytes))
}

/// The kind of the register's file: `?format=` first, else the extension of its name.
fn register_kind(q: &ImportQuery, name: Option<&str>, l: Lang) -> Result<FileKind, WebError> {
    if let Some(f) = &q.format {
        return match f.trim_start_matches('.').to_ascii_lowercase().as_str() {
            "xlsx" | "xlsm" => Ok(FileKind::Xlsx),
            "xls" => Ok(FileKind::Xls),
            "csv" | "tsv" | "txt" => Ok(FileKind::Csv),
            _ => Err(bad(
                l,
                format!("参数 format：不认识的文件格式“{f}”，应为 xlsx、xls 或 csv"),
                format!("parameter format: unknown format '{f}' (xlsx, xls or csv)"),
            )),
        };
    }
    let Some(name) = name.or(q.name.as_deref()) else {
        return Err(bad(
            l,
            "参数 format：请在 ?format= 中给出文件格式（xlsx、xls 或 csv），或在 ?name= 中给出文件名",
            "parameter format: give ?format= (xlsx, xls or csv) or the file's ?name=",
        ));
    };
    FileKind::from_path(std::path::Path::new(name)).map_err(|e| {
        bad(
            l,
            format!("参数 name：{}", e.render(Lang::Zh).trim_end()),
            format!("parameter name: {}", e.render(Lang::En).trim_end()),
        )
    })
}

async fn households_list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    ok(state
        .app
        .households(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn household_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::RunVotes)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    // Another street's compound is refused before the body is read.
    compound_in_scope(&state, &viewer, id).await?;
    let h: HouseholdInput = super::body(&bytes, l)?;
    ok(state
        .app
        .add_household(&viewer.principal(), id, h)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// `POST …/households/import`: the sheet read by `anju_sheets::read_register_bytes`; a sheet
/// with problems is 422 `invalid` (field `file`) listing every row and column at fault, and
/// nothing is saved.
async fn households_import(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    req: axum::extract::Request,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::RunVotes).await?;
    let l = viewer.lang;
    let q: ImportQuery = params(raw.as_deref(), l)?;
    let (name, bytes) = register_file(&state, req, l).await?;
    let kind = register_kind(&q, name.as_deref(), l)?;
    let rows = anju_sheets::read_register_bytes(&bytes, kind)
        .map_err(|e| bad_field(l, "file", e.render(Lang::Zh), e.render(Lang::En)))?;
    ok(state
        .app
        .import_households(&viewer.principal(), id, &rows)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn votes_list(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    ok(state
        .app
        .votes(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn vote_open(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = compound_write(&state, &viewer, &headers, &id, Action::RunVotes).await?;
    let l = viewer.lang;
    let b: OpenJson = super::body(&bytes, l)?;
    created(
        state
            .app
            .open_vote(
                &viewer.principal(),
                VoteInput {
                    compound_id: id,
                    matter: b.matter,
                    question: b.question,
                    owners_body_id: b.owners_body_id.map(OwnersBodyId::from),
                    company_ids: b.company_ids,
                    opens_on: b.opens_on,
                    closes_on: b.closes_on,
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn vote_show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: VoteId = id_of(&id, l)?;
    ok(state
        .app
        .vote_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// A write to a vote: permission and CSRF, the vote in the reader's reach (403 before the
/// request body is read); returns its id.
async fn vote_in_reach(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
) -> Result<VoteId, WebError> {
    write_guard(viewer, headers, Action::RunVotes)?;
    let l = viewer.lang;
    let id: VoteId = id_of(id, l)?;
    state
        .app
        .vote_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    Ok(id)
}

async fn vote_paper(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = vote_in_reach(&state, &viewer, &headers, &id).await?;
    let l = viewer.lang;
    let p: PaperBallotInput = super::body(&bytes, l)?;
    ok(state
        .app
        .enter_paper_ballot(&viewer.principal(), id, p)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn vote_close(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = vote_in_reach(&state, &viewer, &headers, &id).await?;
    let l = viewer.lang;
    let b: CloseJson = super::body(&bytes, l)?;
    let on = b.on.unwrap_or_else(|| state.app.today());
    ok(state
        .app
        .close_vote(&viewer.principal(), id, on, b.version)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn vote_apply(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Out {
    let id = vote_in_reach(&state, &viewer, &headers, &id).await?;
    let l = viewer.lang;
    ok(state
        .app
        .apply_vote(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}
