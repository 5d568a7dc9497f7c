//! The audit log, read within the viewer's part of it.

use super::{Out, ok};
use crate::params::{self, params};
use crate::{AppState, Viewer, WebError};
use axum::extract::{RawQuery, State};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuditQuery {
    #[serde(deserialize_with = "params::opt")]
    limit: Option<i64>,
    #[serde(deserialize_with = "params::text")]
    entity: Option<String>,
    #[serde(deserialize_with = "params::opt")]
    entity_id: Option<i64>,
    #[serde(deserialize_with = "params::text")]
    actor: Option<String>,
}

pub(super) async fn audit_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    // Refused before the query string is read (the rule: `Principal::audit_region`).
    viewer.audit_region()?;
    let l = viewer.lang;
    let q: AuditQuery = params(raw.as_deref(), l)?;
    let limit = q.limit.unwrap_or(200).clamp(1, 10_000);
    let q = anju_app::audit::AuditQuery {
        entity: q.entity,
        entity_id: q.entity_id,
        actor: q.actor,
        limit: Some(limit),
        ..Default::default()
    };
    ok(state
        .app
        .audit_entries(&viewer.principal(), q)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    vec![row(
        "get",
        "/api/v1/audit",
        "audit",
        "审计日志（审计、住建部门、系统管理员；区、街道账号只见本辖区小区与街道的记录）",
        Some(A::ViewAuditLog),
        vec![
            query("entity", "string", "对象类型，如 compound"),
            query("entity_id", "integer", "对象编号"),
            query("actor", "string", "操作人"),
            query("limit", "integer", "最多条数（默认 200）"),
        ],
        None,
        list::<anju_app::model::AuditEntry>(),
        Some(get(audit_list)),
    )]
}
