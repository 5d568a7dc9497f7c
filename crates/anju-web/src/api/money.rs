//! Money: fees collected, public accounts, and which funding policy governs a region.

use super::{Out, bad, body, compound_in_scope, created, id_of, ok, write_guard};
use crate::api::types::FeeCollection;
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use anju_core::CompoundId;
use anju_core::access::Action;
use anju_core::fees::MonthRange;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountsQuery {
    #[serde(deserialize_with = "params::opt")]
    share: Option<i64>,
    #[serde(deserialize_with = "params::text")]
    period: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FeesQuery {
    #[serde(deserialize_with = "params::text")]
    range: Option<String>,
}

pub(super) async fn fees_get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    compound_in_scope(&state, &viewer, id).await?;
    let q: FeesQuery = params(raw.as_deref(), l)?;
    let raw = q.range.ok_or_else(|| {
        bad(
            l,
            "期间 range：请填写（例：2026、2026H1、2026Q3、2026-01..2026-06）",
            "range: please give one (e.g. 2026, 2026H1, 2026Q3, 2026-01..2026-06)",
        )
    })?;
    let range = MonthRange::parse(&raw)
        .map_err(|e| bad(l, format!("期间 range：{e}"), format!("range: {e}")))?;
    let who = viewer.principal();
    let figures = state
        .app
        .collection(&who, id, range)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let months = state
        .app
        .fee_months(&who, id, Some(range))
        .await
        .map_err(|e| WebError::app(e, l))?;
    let rate_text = figures.rate.map(anju_core::fees::percent_text);
    ok(FeeCollection {
        collection: figures,
        rate_text,
        months,
    })
}

pub(super) async fn accounts_get(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    compound_in_scope(&state, &viewer, id).await?;
    let q: AccountsQuery = params(raw.as_deref(), l)?;
    let who = viewer.principal();
    let period = match q.period {
        Some(p) => p,
        None => match state
            .app
            .account_periods(&who, id)
            .await
            .map_err(|e| WebError::app(e, l))?
            .into_iter()
            .next()
        {
            Some(p) => p,
            None => {
                return Err(WebError::Store(anju_app::model::StoreError::NotFound {
                    entity: "account_entries",
                    id: id.get(),
                }));
            }
        },
    };
    ok(state
        .app
        .account_statement(&who, id, &period, q.share.map(Decimal::from))
        .await
        .map_err(|e| WebError::app(e, l))?)
}

pub(super) async fn funding_policies(State(state): State<AppState>, viewer: Viewer) -> Out {
    let l = viewer.lang;
    ok(state
        .app
        .funding_policies(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = PolicyAssignment)]
pub(super) struct PolicyAssignmentBody {
    region_id: i64,
    policy: String,
    valid_from: jiff::civil::Date,
}

pub(super) async fn funding_policy_assign(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ApproveSubsidies)?;
    let l = viewer.lang;
    let b: PolicyAssignmentBody = body(&bytes, l)?;
    created(
        state
            .app
            .assign_funding_policy(
                &viewer.principal(),
                anju_app::policies::PolicyAssignment {
                    region_id: b.region_id,
                    policy_id: b.policy,
                    valid_from: b.valid_from,
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    let id_c = || path_id("小区编号");
    vec![
        row(
            "get",
            "/api/v1/compounds/{id}/fees",
            "fees",
            "物业费收缴率（实收 ÷ 应收）及逐月数据",
            Some(A::ViewLedger),
            vec![
                id_c(),
                required_query(
                    "range",
                    "string",
                    "期间：2026、2026H1、2026Q3、2026-03 或 2026-01..2026-06",
                ),
            ],
            None,
            ty::<FeeCollection>(),
            Some(get(fees_get)),
        ),
        row(
            "get",
            "/api/v1/compounds/{id}/accounts",
            "fees",
            "收支公示：一个期间的收入、支出与业主组织分成",
            Some(A::ViewLedger),
            vec![
                id_c(),
                query("period", "string", "期间（默认最近一期）"),
                query("share", "integer", "业主组织分成百分比 6–10（默认 10）"),
            ],
            None,
            ty::<anju_app::model::AccountStatement>(),
            Some(get(accounts_get)),
        ),
        row(
            "get",
            "/api/v1/funding/policies",
            "funding",
            "各区县、街道适用的补贴政策及起始日期",
            Some(A::ViewLedger),
            vec![],
            None,
            list::<anju_app::model::FundingPolicy>(),
            Some(get(funding_policies)),
        ),
        row(
            "post",
            "/api/v1/funding/policies",
            "funding",
            "指定区县或街道自某日起适用的补贴政策（限管辖范围）",
            Some(A::ApproveSubsidies),
            vec![],
            Some(ty::<PolicyAssignmentBody>()),
            ty::<anju_app::model::FundingPolicy>(),
            Some(post(funding_policy_assign)),
        ),
    ]
}
