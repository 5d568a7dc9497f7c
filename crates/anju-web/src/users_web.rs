//! Accounts (账号管理) in the browser, for the administrator: every account with its role and
//! area, a form to add one (the role in words, its street, community or company chosen from
//! lists), and per account 停用/启用 and 重置密码. Every rule (usernames, password strength, a
//! role's region or company, not disabling oneself) is the application layer's
//! (`anju_app::users`); this module parses the forms and renders.

use crate::auth::Viewer;
use crate::page::{Chrome, html_error, with_lang};
use crate::{AppState, WebError};
use anju_app::users::NewAccount;
use anju_core::UserId;
use anju_core::access::{Action, Role};
use anju_core::{Lang, RegionLevel};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}/active", post(set_active))
        .route("/users/{id}/password", post(reset_password))
        .route("/users/{id}/unlock", post(unlock))
}

struct Row {
    id: i64,
    version: i64,
    username: String,
    display_name: String,
    role: String,
    area: String,
    active: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct CreateForm {
    csrf: Option<String>,
    username: Option<String>,
    display_name: Option<String>,
    password: Option<String>,
    role: Option<String>,
    region: Option<String>,
    company: Option<String>,
    department: Option<String>,
    /// An owners' body member's compound: its number or exact name.
    compound: Option<String>,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    rows: Vec<Row>,
    roles: Vec<(&'static str, &'static str, bool)>,
    regions: Vec<(String, String, bool)>,
    companies: Vec<(String, String, bool)>,
    departments: Vec<(String, String, bool)>,
    form: CreateForm,
    error: Option<String>,
}

fn level_label(l: RegionLevel, lang: Lang) -> &'static str {
    match l {
        RegionLevel::District => lang.pick("区县", "district"),
        RegionLevel::Street => lang.pick("街道", "street"),
        RegionLevel::Community => lang.pick("社区", "community"),
        _ => lang.pick("市", "city"),
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    form: CreateForm,
    error: Option<String>,
) -> Result<(StatusCode, String), WebError> {
    let l = viewer.lang;
    let who = viewer.principal();
    let app_err = |e| WebError::app(e, l);
    let rows = state
        .app
        .accounts(&who)
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|u| Row {
            id: u.id,
            version: u.version,
            username: u.username,
            display_name: u.display_name,
            role: u.role.label(l).to_string(),
            area: u
                .compound_name
                .or(u.company_name)
                .or(u.department_name)
                .or(u.region_name)
                .unwrap_or_else(|| l.pick("全市", "city-wide").to_string()),
            active: u.active,
        })
        .collect();
    let chosen_role = form.role.clone().unwrap_or_default();
    let roles = Role::ALL
        .iter()
        .map(|r| (r.code(), r.label(l), r.code() == chosen_role))
        .collect();
    let chosen_region = form.region.clone().unwrap_or_default();
    let regions = state
        .app
        .regions(&who)
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|r| {
            let id = r.id.to_string();
            let sel = id == chosen_region;
            (
                id,
                format!("{}（{}）", r.name, level_label(r.level, l)),
                sel,
            )
        })
        .collect();
    let chosen_company = form.company.clone().unwrap_or_default();
    let companies = state
        .app
        .selectable_companies()
        .await
        .map_err(app_err)?
        .into_iter()
        .map(|c| {
            let id = c.id.to_string();
            let sel = id == chosen_company;
            (id, c.name, sel)
        })
        .collect();
    let chosen_department = form.department.clone().unwrap_or_default();
    let departments = state
        .app
        .departments(&who)
        .await
        .map_err(app_err)?
        .into_iter()
        .filter(|d| d.active)
        .map(|d| {
            let id = d.id.to_string();
            let sel = id == chosen_department;
            (id, format!("{} · {}", d.district, d.name), sel)
        })
        .collect();
    let page = UsersPage {
        chrome: Chrome::new(state, viewer, l.pick("账号管理", "Accounts"), "/users"),
        rows,
        roles,
        regions,
        companies,
        departments,
        // The password typed is never sent back.
        form: CreateForm {
            password: None,
            ..form
        },
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page.render()?))
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    if let Err(e) = viewer.require(Action::ManageUsers) {
        return html_error(&state, &viewer, e);
    }
    match page(&state, &viewer, CreateForm::default(), None).await {
        Ok((status, h)) => (status, Html(h)).into_response(),
        Err(e) => html_error(&state, &viewer, e),
    }
}

/// After a step: back to the list (303), or the list again with the reason and what was typed.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    result: Result<(), anju_app::AppError>,
    form: CreateForm,
) -> Response {
    let l = viewer.lang;
    match result {
        Ok(()) => Redirect::to(&with_lang("/users", l)).into_response(),
        Err(e @ (anju_app::AppError::Invalid(_) | anju_app::AppError::Forbidden { .. })) => {
            match page(state, viewer, form, Some(e.message(l))).await {
                Ok((_, h)) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
                Err(e) => html_error(state, viewer, e),
            }
        }
        Err(anju_app::AppError::Store(e)) if e.is_user_error() => {
            match page(state, viewer, form, Some(e.message(l))).await {
                Ok((_, h)) => (StatusCode::UNPROCESSABLE_ENTITY, Html(h)).into_response(),
                Err(e) => html_error(state, viewer, e),
            }
        }
        Err(e) => html_error(state, viewer, WebError::app(e, l)),
    }
}

fn id_field(v: Option<&str>) -> Option<i64> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse().ok())
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<CreateForm>,
) -> Response {
    if let Err(e) = viewer.require(Action::ManageUsers) {
        return html_error(&state, &viewer, e);
    }
    if let Err(e) = viewer.check_csrf(&headers, f.csrf.as_deref()) {
        return html_error(&state, &viewer, e);
    }
    let role = match anju_app::users::parse_role(f.role.as_deref().unwrap_or("")) {
        Ok(r) => r,
        Err(e) => return after(&state, &viewer, Err(e), f).await,
    };
    // The compound is typed (a number or its exact name): found in the administrator's view,
    // refused naming the field when none or several answer to it.
    let compound_key = f.compound.clone().unwrap_or_default();
    let compound_id = if role.needs_compound() && !compound_key.trim().is_empty() {
        match state
            .app
            .find_compound(&viewer.principal(), &compound_key, None)
            .await
        {
            Ok(c) => Some(c.id),
            Err(e) => return after(&state, &viewer, Err(e), f).await,
        }
    } else {
        None
    };
    let account = NewAccount {
        username: f.username.clone().unwrap_or_default(),
        display_name: f.display_name.clone().filter(|d| !d.trim().is_empty()),
        password: f.password.clone().unwrap_or_default(),
        role,
        region_id: id_field(f.region.as_deref()),
        company_id: id_field(f.company.as_deref()),
        department_id: id_field(f.department.as_deref()),
        compound_id,
    };
    let result = state
        .app
        .create_account(&viewer.principal(), account)
        .await
        .map(|_| ());
    after(&state, &viewer, result, f).await
}

#[derive(Debug, Default, Deserialize)]
struct AccountForm {
    csrf: Option<String>,
    version: Option<String>,
    active: Option<String>,
    password: Option<String>,
}

async fn guarded(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    f: &AccountForm,
) -> Result<i64, Response> {
    if let Err(e) = viewer.require(Action::ManageUsers) {
        return Err(html_error(state, viewer, e));
    }
    if let Err(e) = viewer.check_csrf(headers, f.csrf.as_deref()) {
        return Err(html_error(state, viewer, e));
    }
    match anju_app::check::version(f.version.as_deref()) {
        Ok(v) => Ok(v),
        Err(e) => Err(after(state, viewer, Err(e), CreateForm::default()).await),
    }
}

async fn set_active(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
    headers: HeaderMap,
    Form(f): Form<AccountForm>,
) -> Response {
    let version = match guarded(&state, &viewer, &headers, &f).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let active = f.active.as_deref() == Some("true");
    let result = state
        .app
        .set_account_active(&viewer.principal(), id, version, active)
        .await
        .map(|_| ());
    after(&state, &viewer, result, CreateForm::default()).await
}

/// 解除登录限制: forgets the account's failed sign-ins from every address.
async fn unlock(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
    headers: HeaderMap,
    Form(f): Form<AccountForm>,
) -> Response {
    if let Err(r) = guarded(&state, &viewer, &headers, &f).await {
        return r;
    }
    let result = state
        .app
        .unlock_login(&viewer.principal(), id)
        .await
        .map(|u| {
            let n = state.limiter.unlock(&u.username);
            tracing::info!(username = %u.username, by = %viewer.username, keys = n, "login unlocked");
        });
    after(&state, &viewer, result, CreateForm::default()).await
}

async fn reset_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<UserId>,
    headers: HeaderMap,
    Form(f): Form<AccountForm>,
) -> Response {
    let version = match guarded(&state, &viewer, &headers, &f).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let result = state
        .app
        .reset_password(
            &viewer.principal(),
            id,
            version,
            f.password.clone().unwrap_or_default(),
        )
        .await
        .map(|_| ());
    after(&state, &viewer, result, CreateForm::default()).await
}
