//! 业主组织 (issue 19 item 1) through the JSON API: a compound's owners' bodies, starting one
//! (筹备, with its preparatory group), one body with its members (contacts only for the
//! street, community and district: the application layer blanks them for every other
//! reader), its steps — 选举 with the members elected (citing the carried owners' vote that
//! elected them, when the election was put to one), 备案, 届满 with the reason — and 增加成员.
//! The rules are `anju_app::owners_bodies`.

use super::{Out, compound_in_scope, created, id_of, ok, path_id, row, write_guard};
use crate::api::types::{list, ty};
use crate::{AppState, Viewer, WebError};
use anju_app::model::{NewBodyMember, OwnersBodyRecord};
use anju_app::owners_bodies::{OwnersBodyDetail, OwnersBodyInput, OwnersBodyStepInput};
use anju_core::OwnersBody;
use anju_core::access::Action;
use anju_core::ids::{CompoundId, OwnersBodyId, VoteId};
use anju_core::owners_body::{BodyRole, BodyStep};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use jiff::civil::Date;
use serde::Deserialize;

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    let step_row = |path, summary, body, handler| {
        row(
            "post",
            path,
            "owners_bodies",
            summary,
            Some(A::AdvanceLifecycle),
            vec![path_id("业主组织编号")],
            Some(body),
            ty::<OwnersBodyRecord>(),
            Some(handler),
        )
    };
    vec![
        row(
            "get",
            "/api/v1/compounds/{id}/owners-bodies",
            "owners_bodies",
            "小区的业主组织（业主委员会、物业管理委员会、环境和物业管理委员会），最近的在前",
            Some(A::ViewLedger),
            vec![path_id("小区编号")],
            None,
            list::<OwnersBodyRecord>(),
            Some(get(bodies_list)),
        ),
        row(
            "post",
            "/api/v1/compounds/{id}/owners-bodies",
            "owners_bodies",
            "成立筹备组（筹备），附筹备组成员；小区已有筹备中或待备案的业主组织时拒绝",
            Some(A::AdvanceLifecycle),
            vec![path_id("小区编号")],
            Some(ty::<StartJson>()),
            ty::<OwnersBodyRecord>(),
            Some(post(body_start)),
        ),
        row(
            "get",
            "/api/v1/owners-bodies/{id}",
            "owners_bodies",
            "一个业主组织：任期与换届提醒、成员（联系方式仅街道、社区和区级可见）、当前账号可办理的步骤",
            Some(A::ViewLedger),
            vec![path_id("业主组织编号")],
            None,
            ty::<OwnersBodyDetail>(),
            Some(get(body_show)),
        ),
        step_row(
            "/api/v1/owners-bodies/{id}/elect",
            "选举：登记当选成员（members，须有一名主任），任期自选举之日起算；筹备组成员同日离任；选举已交业主表决的，须引用通过的表决（vote_id）",
            ty::<ElectJson>(),
            post(body_elect),
        ),
        step_row(
            "/api/v1/owners-bodies/{id}/file",
            "备案：自备案之日起在任；其前一届仍在任的，同日届满（换届）",
            ty::<StepJson>(),
            post(body_file),
        ),
        step_row(
            "/api/v1/owners-bodies/{id}/end",
            "届满：原因（note，必填）",
            ty::<EndJson>(),
            post(body_end),
        ),
        step_row(
            "/api/v1/owners-bodies/{id}/members",
            "增加成员（增补委员、候补委员递补等），加入日期为 on；已届满的不能增加",
            ty::<MembersJson>(),
            post(body_members_add),
        ),
    ]
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = OwnersBodyStartBody)]
pub(super) struct StartJson {
    /// 组织类型：owners_committee（业主委员会）、management_committee（物业管理委员会）或
    /// environment_committee（环境和物业管理委员会）
    kind: OwnersBody,
    /// 筹备组成立日期 YYYY-MM-DD（不得晚于今天）
    prepared_on: Date,
    /// 任期（年，1–5；不填为 5）
    #[serde(default)]
    term_years: Option<u32>,
    /// 备注
    #[serde(default)]
    note: Option<String>,
    /// 筹备组成员姓名（加入日期为筹备组成立日期）
    #[serde(default)]
    preparers: Vec<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = OwnersBodyMemberInput)]
pub(super) struct MemberJson {
    /// 姓名（不超过 20 字；空白的一行略过）
    name: String,
    /// 角色：chair（主任）、vice_chair（副主任）、member（委员）、alternate（候补委员）；
    /// preparer（筹备组成员）只在增加成员时可用
    role: BodyRole,
    /// 是否中共党员
    #[serde(default)]
    party_member: bool,
    /// 联系方式（只有街道、社区和区级账号可见）
    #[serde(default)]
    contact: Option<String>,
    /// 职责清单
    #[serde(default)]
    duties: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = OwnersBodyElectBody)]
pub(super) struct ElectJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 选举日期 YYYY-MM-DD（不填为今天；不得晚于今天，不得早于筹备组成立日期）
    on: Option<Date>,
    /// 备注
    #[serde(default)]
    note: Option<String>,
    /// 当选成员（至少一名主任），加入日期为选举日期
    #[serde(default)]
    members: Vec<MemberJson>,
    /// 选举所依据的业主表决编号：该业主组织的选举已交业主表决（POST
    /// /api/v1/compounds/{id}/votes，elect_committee）时必填，须是已计票并通过的那一次
    #[serde(default)]
    vote_id: Option<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = OwnersBodyStepBody)]
pub(super) struct StepJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 办理日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<Date>,
    /// 备注
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = OwnersBodyEndBody)]
pub(super) struct EndJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 届满日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<Date>,
    /// 届满原因（必填）
    note: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = OwnersBodyMembersBody)]
pub(super) struct MembersJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 加入日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<Date>,
    /// 增加的成员（至少一名）
    #[serde(default)]
    members: Vec<MemberJson>,
}

/// The members of a body as the application layer takes them, joining on `on`.
fn members_of(list: Vec<MemberJson>, on: Date) -> Vec<NewBodyMember> {
    list.into_iter()
        .map(|m| NewBodyMember {
            name: m.name,
            role: m.role,
            party_member: m.party_member,
            contact: m.contact,
            duties: m.duties,
            joined_on: on,
        })
        .collect()
}

async fn bodies_list(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    ok(state
        .app
        .owners_bodies(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn body_start(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::AdvanceLifecycle)?;
    let l = viewer.lang;
    let id: CompoundId = id_of(&id, l)?;
    // Another street's compound is refused before the body is read.
    compound_in_scope(&state, &viewer, id).await?;
    let b: StartJson = super::body(&bytes, l)?;
    created(
        state
            .app
            .start_owners_body(
                &viewer.principal(),
                OwnersBodyInput {
                    compound_id: id,
                    kind: b.kind,
                    prepared_on: b.prepared_on,
                    term_years: b.term_years,
                    note: b.note,
                    preparers: b.preparers,
                },
            )
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn body_show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: OwnersBodyId = id_of(&id, l)?;
    ok(state
        .app
        .owners_body_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// A write to a body: permission and CSRF, the body in the reader's reach (403 before the
/// request body is read); returns its id.
async fn body_in_reach(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
) -> Result<OwnersBodyId, WebError> {
    write_guard(viewer, headers, Action::AdvanceLifecycle)?;
    let l = viewer.lang;
    let id: OwnersBodyId = id_of(id, l)?;
    state
        .app
        .owners_body_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    Ok(id)
}

/// A step of a body in reach, dated `on` (today when not given); an election with its members
/// and the owners' vote it cites.
async fn step(
    state: &AppState,
    viewer: &Viewer,
    id: OwnersBodyId,
    step: BodyStep,
    (version, on): (i64, Option<Date>),
    note: Option<String>,
    (members, vote_id): (Vec<MemberJson>, Option<VoteId>),
) -> Out {
    let l = viewer.lang;
    let on = on.unwrap_or_else(|| state.app.today());
    ok(state
        .app
        .owners_body_step(
            &viewer.principal(),
            id,
            OwnersBodyStepInput {
                step,
                on,
                note,
                members: members_of(members, on),
                vote_id,
                version,
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn body_elect(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = body_in_reach(&state, &viewer, &headers, &id).await?;
    let b: ElectJson = super::body(&bytes, viewer.lang)?;
    step(
        &state,
        &viewer,
        id,
        BodyStep::Elect,
        (b.version, b.on),
        b.note,
        (b.members, b.vote_id.map(VoteId::from)),
    )
    .await
}

async fn body_file(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = body_in_reach(&state, &viewer, &headers, &id).await?;
    let b: StepJson = super::body(&bytes, viewer.lang)?;
    step(
        &state,
        &viewer,
        id,
        BodyStep::File,
        (b.version, b.on),
        b.note,
        (Vec::new(), None),
    )
    .await
}

async fn body_end(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = body_in_reach(&state, &viewer, &headers, &id).await?;
    let b: EndJson = super::body(&bytes, viewer.lang)?;
    step(
        &state,
        &viewer,
        id,
        BodyStep::End,
        (b.version, b.on),
        Some(b.note),
        (Vec::new(), None),
    )
    .await
}

async fn body_members_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = body_in_reach(&state, &viewer, &headers, &id).await?;
    let l = viewer.lang;
    let b: MembersJson = super::body(&bytes, l)?;
    let on = b.on.unwrap_or_else(|| state.app.today());
    ok(state
        .app
        .add_owners_body_members(
            &viewer.principal(),
            id,
            b.version,
            on,
            members_of(b.members, on),
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}
