//! Owners' satisfaction surveys: opening, links for residents, results, closing.

use super::{Out, body, created, id_of, ok, write_guard};
use crate::api::types::{OpenedSurvey, links};
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_app::model::SurveyFilter;
use anju_core::SurveyId;
use anju_core::access::Action;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CompoundQuery {
    #[serde(deserialize_with = "params::opt")]
    compound_id: Option<i64>,
}

pub(super) async fn surveys_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: CompoundQuery = params(raw.as_deref(), l)?;
    let f = SurveyFilter {
        compound_id: q.compound_id,
        ..SurveyFilter::default()
    };
    ok(state
        .app
        .surveys(&viewer.principal(), f)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

pub(super) async fn survey_results(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: SurveyId = id_of(&id, l)?;
    ok(state
        .app
        .survey_result(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// A survey as the API opens it.
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = NewSurvey)]
pub(super) struct NewSurveyJson {
    compound_id: i64,
    period: String,
    rule: anju_app::model::SurveyRule,
    households: Option<u32>,
    tokens: Option<u32>,
    starts_on: Option<jiff::civil::Date>,
    ends_on: Option<jiff::civil::Date>,
}

pub(super) async fn survey_open(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageSurveys)?;
    let l = viewer.lang;
    let s: NewSurveyJson = body(&bytes, l)?;
    let input = anju_app::surveys::SurveyInput {
        compound_id: s.compound_id,
        period: s.period,
        rule: s.rule,
        households: s.households,
        tokens: s.tokens,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
    };
    let (survey, issued) = state
        .app
        .open_survey(&viewer.principal(), input)
        .await
        .map_err(|e| WebError::app(e, l))?;
    created(OpenedSurvey {
        survey,
        links: links(issued),
    })
}

pub(super) async fn survey_links(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ManageSurveys)?;
    let l = viewer.lang;
    let id: SurveyId = id_of(&id, l)?;
    let tokens = state
        .app
        .survey_links(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    ok(links(tokens))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = LinkCount)]
pub(super) struct LinkCountJson {
    count: u32,
}

pub(super) async fn survey_issue(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageSurveys)?;
    let l = viewer.lang;
    let id: SurveyId = id_of(&id, l)?;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    state.app.survey_in_scope(&who, id).await.map_err(app_err)?;
    let c: LinkCountJson = body(&bytes, l)?;
    let tokens = state
        .app
        .issue_survey_links(&who, id, c.count)
        .await
        .map_err(app_err)?;
    created(links(tokens))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = VersionOnly)]
pub(super) struct VersionJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
}

pub(super) async fn survey_close(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageSurveys)?;
    let l = viewer.lang;
    let id: SurveyId = id_of(&id, l)?;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    state.app.survey_in_scope(&who, id).await.map_err(app_err)?;
    let v: VersionJson = body(&bytes, l)?;
    ok(state
        .app
        .close_survey(&who, id, v.version)
        .await
        .map_err(app_err)?)
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/surveys",
            "surveys",
            "满意度调查（不含住户链接）",
            Some(A::ViewLedger),
            vec![query("compound_id", "integer", "小区编号")],
            None,
            list::<anju_app::model::Survey>(),
            Some(get(surveys_list)),
        ),
        row(
            "post",
            "/api/v1/surveys",
            "surveys",
            "发起满意度调查并发放第一批住户问卷链接",
            Some(A::ManageSurveys),
            vec![],
            Some(ty::<NewSurveyJson>()),
            ty::<OpenedSurvey>(),
            Some(post(survey_open)),
        ),
        row(
            "get",
            "/api/v1/surveys/{id}/links",
            "surveys",
            "调查已发放的住户问卷链接（补打用）",
            Some(A::ManageSurveys),
            vec![path_id("调查编号")],
            None,
            list::<SurveyLink>(),
            Some(get(survey_links)),
        ),
        row(
            "post",
            "/api/v1/surveys/{id}/links",
            "surveys",
            "再发放若干住户问卷链接",
            Some(A::ManageSurveys),
            vec![path_id("调查编号")],
            Some(ty::<LinkCountJson>()),
            list::<SurveyLink>(),
            Some(post(survey_issue)),
        ),
        row(
            "post",
            "/api/v1/surveys/{id}/close",
            "surveys",
            "结束调查（须带版本号）；有效且不满意过半时记录解聘提议",
            Some(A::ManageSurveys),
            vec![path_id("调查编号")],
            Some(ty::<VersionJson>()),
            ty::<anju_app::model::SurveyResult>(),
            Some(post(survey_close)),
        ),
        row(
            "get",
            "/api/v1/surveys/{id}/results",
            "surveys",
            "调查结果：样本、满意率、是否有效",
            Some(A::ViewLedger),
            vec![path_id("调查编号")],
            None,
            ty::<anju_app::model::SurveyResult>(),
            Some(get(survey_results)),
        ),
    ]
}
