//! 调度表报送: the streets' standings, a street's filing, one filing with its sheet as filed, and
//! a district's schedule. The rules are `anju_app::filings`.

use super::{Out, created, ok, path_id, row, write_guard};
use crate::api::types::ty;
use crate::{AppState, Viewer, WebError};
use anju_app::filings::{FiledSheet, FilingOverview};
use anju_app::model::{DispatchFiling, DispatchSchedule};
use anju_core::access::Action;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post, put};
use serde::Deserialize;

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/dispatch",
            "dispatch",
            "各街道调度表报送情况（按期、逾期报送、逾期未报；限管辖范围）",
            Some(A::ViewLedger),
            vec![],
            None,
            ty::<FilingOverview>(),
            Some(get(overview)),
        ),
        row(
            "post",
            "/api/v1/dispatch/filings",
            "dispatch",
            "街道报送本期调度表（按报送日的台账生成并留存）",
            Some(A::ManageTasks),
            vec![],
            Some(ty::<FileBody>()),
            ty::<DispatchFiling>(),
            Some(post(file)),
        ),
        row(
            "get",
            "/api/v1/dispatch/filings/{id}",
            "dispatch",
            "一次报送及其留存的调度表",
            Some(A::ViewLedger),
            vec![path_id("报送记录编号")],
            None,
            ty::<FiledSheet>(),
            Some(get(filing)),
        ),
        row(
            "put",
            "/api/v1/dispatch/schedule",
            "dispatch",
            "安排一个区的街道自哪一天起报送调度表",
            Some(A::ManageDepartments),
            vec![],
            Some(ty::<ScheduleBody>()),
            ty::<DispatchSchedule>(),
            Some(put(schedule)),
        ),
    ]
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct FileBody {
    /// 报送期次：某月1日或15日
    due_on: jiff::civil::Date,
    #[serde(default)]
    note: Option<String>,
    /// 管理员代街道报送时必填
    #[serde(default)]
    street_id: Option<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ScheduleBody {
    district_id: i64,
    /// 读取时的版本号（该区尚无报送安排时为 0）；他人已修改时返回 409 conflict
    version: i64,
    /// 自这一天起报送（可为将来的日期）
    starts_on: jiff::civil::Date,
}

async fn overview(State(state): State<AppState>, viewer: Viewer) -> Out {
    viewer.require(Action::ViewLedger)?;
    ok(state
        .app
        .filing_overview(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?)
}

async fn file(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageTasks)?;
    let l = viewer.lang;
    let b: FileBody = super::body(&bytes, l)?;
    created(
        state
            .app
            .file_dispatch(
                &viewer.principal(),
                b.street_id,
                b.due_on,
                b.note.as_deref(),
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn filing(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: i64 = id.trim().parse().map_err(|_| {
        super::bad(
            l,
            format!("报送记录编号“{id}”不是数字"),
            format!("filing id '{id}' is not a number"),
        )
    })?;
    ok(state
        .app
        .filed_sheet(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn schedule(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageDepartments)?;
    let l = viewer.lang;
    let b: ScheduleBody = super::body(&bytes, l)?;
    ok(state
        .app
        .set_dispatch_schedule(&viewer.principal(), b.district_id, b.starts_on, b.version)
        .await
        .map_err(|e| WebError::app(e, l))?)
}
