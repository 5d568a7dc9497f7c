//! Property companies and their credit records.

use super::{Out, body, created, id_of, ok, write_guard};
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_core::CompanyId;
use anju_core::access::Action;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AsOfQuery {
    #[serde(deserialize_with = "params::opt")]
    as_of: Option<jiff::civil::Date>,
}

pub(super) async fn companies_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: AsOfQuery = params(raw.as_deref(), l)?;
    let query = anju_app::companies::CompanyQuery {
        as_of: q.as_of,
        include_archived: false,
    };
    let list = state
        .app
        .companies(&viewer.principal(), query)
        .await
        .map_err(|e| WebError::app(e, l))?;
    ok(list.companies)
}

pub(super) async fn company_get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompanyId = id_of(&id, l)?;
    let as_of = params::<AsOfQuery>(raw.as_deref(), l)?.as_of;
    ok(state
        .app
        .company_file(&viewer.principal(), id, as_of)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

pub(super) async fn company_record_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageCompanies)?;
    let l = viewer.lang;
    let id: CompanyId = id_of(&id, l)?;
    let r: anju_app::companies::NewCreditRecord = body(&bytes, l)?;
    created(
        state
            .app
            .add_credit_record(&viewer.principal(), id, r)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/companies",
            "companies",
            "物业服务企业及信用等级（企业账号只见本企业）",
            Some(A::ViewLedger),
            vec![query("as_of", "date", "计算日期（默认今天）")],
            None,
            list::<anju_app::companies::GradedCompany>(),
            Some(get(companies_list)),
        ),
        row(
            "get",
            "/api/v1/companies/{id}",
            "companies",
            "一个企业、信用档案与信用等级及其说明",
            Some(A::ViewLedger),
            vec![
                path_id("企业编号"),
                query("as_of", "date", "计算日期（默认今天）"),
            ],
            None,
            ty::<anju_app::companies::CompanyFile>(),
            Some(get(company_get)),
        ),
        row(
            "post",
            "/api/v1/companies/{id}/records",
            "companies",
            "记入信用档案（考核、不良行为、投诉、解聘；发生日期不得晚于今天）",
            Some(A::ManageCompanies),
            vec![path_id("企业编号")],
            Some(ty::<anju_app::companies::NewCreditRecord>()),
            ty::<anju_app::companies::RecordAdded>(),
            Some(post(company_record_add)),
        ),
    ]
}
