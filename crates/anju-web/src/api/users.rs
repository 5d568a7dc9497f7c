//! Accounts (仅系统管理员): list, create, deactivate, reset a password.

use super::{Out, body, created, id_of, ok, write_guard};
use crate::{AppState, Viewer, WebError};
use anju_core::UserId;
use anju_core::access::Action;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::Deserialize;

pub(super) async fn users_list(State(state): State<AppState>, viewer: Viewer) -> Out {
    let l = viewer.lang;
    ok(state
        .app
        .accounts(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, l))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = NewUser)]
pub(super) struct NewUserBody {
    username: String,
    #[serde(default)]
    display_name: Option<String>,
    password: String,
    /// 角色代码（也接受中文角色名，如“街道”）
    #[schema(value_type = anju_core::access::Role)]
    role: String,
    /// 街道、社区等账号的所属区域编号
    #[serde(default)]
    region_id: Option<i64>,
    #[serde(default)]
    company_id: Option<i64>,
    /// 职能部门账号的所属部门编号（其所属区域为部门所在的区）
    #[serde(default)]
    department_id: Option<i64>,
    /// 业主组织成员账号的所在小区编号（其所属区域为小区所在的街道）
    #[serde(default)]
    compound_id: Option<i64>,
}

/// Creates an account: who may first (a non-admin learns nothing about the body's shape).
pub(super) async fn user_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageUsers)?;
    let l = viewer.lang;
    let b: NewUserBody = body(&bytes, l)?;
    let role = anju_app::users::parse_role(&b.role).map_err(|e| WebError::app(e, l))?;
    created(
        state
            .app
            .create_account(
                &viewer.principal(),
                anju_app::users::NewAccount {
                    username: b.username,
                    display_name: b.display_name,
                    password: b.password,
                    role,
                    region_id: b.region_id,
                    company_id: b.company_id,
                    department_id: b.department_id,
                    compound_id: b.compound_id,
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct AccountActive {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    active: bool,
}

pub(super) async fn user_active(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageUsers)?;
    let l = viewer.lang;
    let id: UserId = id_of(&id, l)?;
    let b: AccountActive = body(&bytes, l)?;
    ok(state
        .app
        .set_account_active(&viewer.principal(), id, b.version, b.active)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct PasswordReset {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    password: String,
}

pub(super) async fn user_password(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageUsers)?;
    let l = viewer.lang;
    let id: UserId = id_of(&id, l)?;
    let b: PasswordReset = body(&bytes, l)?;
    ok(state
        .app
        .reset_password(&viewer.principal(), id, b.version, b.password)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// This resource's API routes with their documentation (joined by [`super::table`]).
pub(super) fn routes() -> Vec<super::ApiRoute> {
    use super::*;
    use Action as A;
    vec![
        row(
            "get",
            "/api/v1/users",
            "users",
            "账号列表（仅系统管理员）",
            Some(A::ManageUsers),
            vec![],
            None,
            list::<anju_app::model::User>(),
            Some(get(users_list)),
        ),
        row(
            "post",
            "/api/v1/users",
            "users",
            "创建账号（仅系统管理员；角色、所属区域或物业企业、密码规则在应用层检查）",
            Some(A::ManageUsers),
            vec![],
            Some(ty::<NewUserBody>()),
            ty::<anju_app::model::User>(),
            Some(post(user_create)),
        ),
        row(
            "post",
            "/api/v1/users/{id}/active",
            "users",
            "停用或重新启用账号（仅系统管理员；停用即结束其全部会话；须带版本号）",
            Some(A::ManageUsers),
            vec![path_id("账号编号")],
            Some(ty::<AccountActive>()),
            ty::<anju_app::model::User>(),
            Some(post(user_active)),
        ),
        row(
            "post",
            "/api/v1/users/{id}/password",
            "users",
            "重设账号密码（仅系统管理员；其全部会话随即结束；须带版本号）",
            Some(A::ManageUsers),
            vec![path_id("账号编号")],
            Some(ty::<PasswordReset>()),
            ty::<anju_app::model::User>(),
            Some(post(user_password)),
        ),
    ]
}
