//! The programme's own organisation (issue 18 item 3): leading groups, 专班 and 联席会议 with
//! their members, meetings with their decisions, 通报 and 约谈, and the 交办事项 both hand out
//! with each of their steps (报结, 销号, 退回). The rules are `anju_app::organisation`.

use super::{Out, Param, created, id_of, ok, path_id, query, row, write_guard};
use crate::api::types::{list, ty};
use crate::params::params;
use crate::{AppState, Viewer, WebError};
use anju_app::model::{Assignment, Censure, Meeting, NewDecision, NewMember, OrgGroup};
use anju_app::organisation::{
    AssignmentDetail, AssignmentStepInput, CensureDetail, CensureInput, GroupDetail, GroupInput,
    MeetingDetail, MeetingInput,
};
use anju_core::access::Action;
use anju_core::ids::{AssignmentId, CensureId, GroupId, MeetingId};
use anju_core::organisation::AssignmentStep;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use serde::Deserialize;

pub(super) fn routes() -> Vec<super::ApiRoute> {
    use Action as A;
    let step_row = |path, summary, action, handler| {
        row(
            "post",
            path,
            "organisation",
            summary,
            Some(action),
            vec![path_id("交办事项编号")],
            Some(ty::<AssignmentStepJson>()),
            ty::<Assignment>(),
            Some(handler),
        )
    };
    vec![
        row(
            "get",
            "/api/v1/groups",
            "organisation",
            "领导小组、工作专班、联席会议（本地区及上下级地区的）",
            Some(A::ViewLedger),
            vec![],
            None,
            list::<OrgGroup>(),
            Some(get(groups_list)),
        ),
        row(
            "post",
            "/api/v1/groups",
            "organisation",
            "成立领导小组、工作专班或联席会议：逐一填写成员（members），或粘贴文件所附名单（roster，如“组  长：李明智  区政府副区长”）",
            Some(A::ManageOrganisation),
            vec![],
            Some(ty::<GroupInput>()),
            ty::<OrgGroup>(),
            Some(post(group_create)),
        ),
        row(
            "get",
            "/api/v1/groups/{id}",
            "organisation",
            "一个工作机构：成员（现任在前）与其会议",
            Some(A::ViewLedger),
            vec![path_id("工作机构编号")],
            None,
            ty::<GroupDetail>(),
            Some(get(group_show)),
        ),
        row(
            "post",
            "/api/v1/groups/{id}/members",
            "organisation",
            "增补成员：逐一填写（members），或粘贴名单（roster，须填加入日期 joined_on）",
            Some(A::ManageOrganisation),
            vec![path_id("工作机构编号")],
            Some(ty::<MembersJson>()),
            ty::<OrgGroup>(),
            Some(post(group_members_add)),
        ),
        row(
            "post",
            "/api/v1/groups/{id}/members/{member_id}/leave",
            "organisation",
            "成员离任（记录离任日期，成员记录保留）",
            Some(A::ManageOrganisation),
            vec![
                path_id("工作机构编号"),
                Param {
                    name: "member_id",
                    place: super::In::Path,
                    ty: "integer",
                    required: true,
                    zh: "成员编号（工作机构详情中成员的 id）",
                    of: None,
                },
            ],
            Some(ty::<LeaveJson>()),
            ty::<OrgGroup>(),
            Some(post(group_member_leave)),
        ),
        row(
            "get",
            "/api/v1/meetings",
            "organisation",
            "会议（调度会、联席会议、领导小组会议等），最近的在前",
            Some(A::ViewLedger),
            vec![
                query("from", "date", "会议日期起（含）"),
                query("to", "date", "会议日期止（含）"),
            ],
            None,
            list::<Meeting>(),
            Some(get(meetings_list)),
        ),
        row(
            "post",
            "/api/v1/meetings",
            "organisation",
            "登记一次会议：参会人员、会议纪要与决定事项（每项交由一个责任单位，附完成时限，成为交办事项）",
            Some(A::ManageOrganisation),
            vec![],
            Some(ty::<MeetingInput>()),
            ty::<Meeting>(),
            Some(post(meeting_create)),
        ),
        row(
            "get",
            "/api/v1/meetings/{id}",
            "organisation",
            "一次会议及其决定事项（交办事项）",
            Some(A::ViewLedger),
            vec![path_id("会议编号")],
            None,
            ty::<MeetingDetail>(),
            Some(get(meeting_show)),
        ),
        row(
            "post",
            "/api/v1/meetings/{id}/decisions",
            "organisation",
            "为已登记的会议补充一项决定事项（交办日期为今天）",
            Some(A::ManageOrganisation),
            vec![path_id("会议编号")],
            Some(ty::<NewDecision>()),
            ty::<Assignment>(),
            Some(post(meeting_decision_add)),
        ),
        row(
            "get",
            "/api/v1/censures",
            "organisation",
            "通报（表扬、批评）与约谈，最近的在前（企业账号只见点名本企业的）",
            Some(A::ViewLedger),
            vec![],
            None,
            list::<Censure>(),
            Some(get(censures_list)),
        ),
        row(
            "post",
            "/api/v1/censures",
            "organisation",
            "登记通报或约谈；通报批评、约谈可附整改要求与整改时限（成为被通报单位的交办事项）",
            Some(A::ManageOrganisation),
            vec![],
            Some(ty::<CensureInput>()),
            ty::<Censure>(),
            Some(post(censure_create)),
        ),
        row(
            "get",
            "/api/v1/censures/{id}",
            "organisation",
            "一次通报或约谈及其整改要求",
            Some(A::ViewLedger),
            vec![path_id("通报约谈编号")],
            None,
            ty::<CensureDetail>(),
            Some(get(censure_show)),
        ),
        row(
            "get",
            "/api/v1/assignments",
            "organisation",
            "交办事项（会议决定事项与通报整改要求），按完成时限排列",
            Some(A::ViewLedger),
            vec![Param {
                name: "mine",
                place: super::In::Query,
                ty: "boolean",
                required: false,
                zh: "只列交由本单位（本街道或社区、本部门、本企业）办理的",
                of: None,
            }],
            None,
            list::<Assignment>(),
            Some(get(assignments_list)),
        ),
        row(
            "get",
            "/api/v1/assignments/{id}",
            "organisation",
            "一件交办事项：各步骤与当前账号可办理的步骤",
            Some(A::ViewLedger),
            vec![path_id("交办事项编号")],
            None,
            ty::<AssignmentDetail>(),
            Some(get(assignment_show)),
        ),
        step_row(
            "/api/v1/assignments/{id}/report",
            "报结：办理结果（note，必填），由责任单位办理",
            A::ReportAssignments,
            post(assignment_report),
        ),
        step_row(
            "/api/v1/assignments/{id}/close",
            "销号（交办方）：备注（note，可不填）",
            A::ManageOrganisation,
            post(assignment_close),
        ),
        step_row(
            "/api/v1/assignments/{id}/return",
            "退回重办（交办方）：理由（note，必填）",
            A::ManageOrganisation,
            post(assignment_return),
        ),
    ]
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = GroupMembersBody)]
pub(super) struct MembersJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 逐一填写的成员
    #[serde(default)]
    members: Vec<NewMember>,
    /// 粘贴的名单（组长：… 成员：…），按文件原样
    #[serde(default)]
    roster: Option<String>,
    /// 名单中成员的加入日期 YYYY-MM-DD（粘贴名单时必填；不得晚于今天）
    #[serde(default)]
    joined_on: Option<jiff::civil::Date>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = MemberLeaveBody)]
pub(super) struct LeaveJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 离任日期 YYYY-MM-DD（不得晚于今天）
    left_on: jiff::civil::Date,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = AssignmentStepBody)]
pub(super) struct AssignmentStepJson {
    /// 读取时的版本号（必填）；他人已修改时返回 409 conflict
    version: i64,
    /// 办理日期 YYYY-MM-DD（不填为今天；不得晚于今天）
    on: Option<jiff::civil::Date>,
    /// 报结：办理结果；退回：理由；销号：备注
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, Default)]
struct MeetingsQuery {
    from: Option<jiff::civil::Date>,
    to: Option<jiff::civil::Date>,
}

#[derive(Deserialize, Default)]
struct AssignmentsQuery {
    mine: Option<bool>,
}

async fn groups_list(State(state): State<AppState>, viewer: Viewer) -> Out {
    viewer.require(Action::ViewLedger)?;
    ok(state
        .app
        .groups(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?)
}

async fn group_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageOrganisation)?;
    let l = viewer.lang;
    let g: GroupInput = super::body(&bytes, l)?;
    created(
        state
            .app
            .add_group(&viewer.principal(), g)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn group_show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: GroupId = id_of(&id, l)?;
    ok(state
        .app
        .group_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// A write to a body: permission and CSRF, the body in the reader's reach (403 before the
/// request body is read); returns its id.
async fn group_in_reach(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
) -> Result<GroupId, WebError> {
    write_guard(viewer, headers, Action::ManageOrganisation)?;
    let l = viewer.lang;
    let id: GroupId = id_of(id, l)?;
    state
        .app
        .group(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    Ok(id)
}

async fn group_members_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    let id = group_in_reach(&state, &viewer, &headers, &id).await?;
    let l = viewer.lang;
    let b: MembersJson = super::body(&bytes, l)?;
    ok(state
        .app
        .add_group_members(
            &viewer.principal(),
            id,
            b.version,
            b.members,
            b.roster.as_deref(),
            b.joined_on,
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn group_member_leave(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, member)): Path<(String, String)>,
    bytes: Bytes,
) -> Out {
    let l = viewer.lang;
    let id = group_in_reach(&state, &viewer, &headers, &id).await?;
    let member: i64 = member.trim().parse().map_err(|_| {
        WebError::BadRequest(super::msg(
            l,
            format!("成员编号不合法：“{member}”"),
            format!("not a member id: '{member}'"),
        ))
    })?;
    let b: LeaveJson = super::body(&bytes, l)?;
    ok(state
        .app
        .end_group_member(&viewer.principal(), id, b.version, member, b.left_on)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn meetings_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: MeetingsQuery = params(raw.as_deref(), l)?;
    ok(state
        .app
        .meetings(&viewer.principal(), q.from, q.to)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn meeting_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageOrganisation)?;
    let l = viewer.lang;
    let m: MeetingInput = super::body(&bytes, l)?;
    created(
        state
            .app
            .add_meeting(&viewer.principal(), m)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn meeting_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: MeetingId = id_of(&id, l)?;
    ok(state
        .app
        .meeting_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn meeting_decision_add(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageOrganisation)?;
    let l = viewer.lang;
    let id: MeetingId = id_of(&id, l)?;
    let who = viewer.principal();
    state
        .app
        .meeting(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let d: NewDecision = super::body(&bytes, l)?;
    ok(state
        .app
        .add_meeting_decision(&who, id, d)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn censures_list(State(state): State<AppState>, viewer: Viewer) -> Out {
    viewer.require(Action::ViewLedger)?;
    ok(state
        .app
        .censures(&viewer.principal())
        .await
        .map_err(|e| WebError::app(e, viewer.lang))?)
}

async fn censure_create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    bytes: Bytes,
) -> Out {
    write_guard(&viewer, &headers, Action::ManageOrganisation)?;
    let l = viewer.lang;
    let c: CensureInput = super::body(&bytes, l)?;
    created(
        state
            .app
            .add_censure(&viewer.principal(), c)
            .await
            .map_err(|e| WebError::app(e, l))?,
    )
}

async fn censure_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: CensureId = id_of(&id, l)?;
    ok(state
        .app
        .censure_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn assignments_list(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let q: AssignmentsQuery = params(raw.as_deref(), l)?;
    ok(state
        .app
        .assignments(&viewer.principal(), q.mine.unwrap_or(false))
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn assignment_show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Out {
    viewer.require(Action::ViewLedger)?;
    let l = viewer.lang;
    let id: AssignmentId = id_of(&id, l)?;
    ok(state
        .app
        .assignment_detail(&viewer.principal(), id)
        .await
        .map_err(|e| WebError::app(e, l))?)
}

/// A step: permission and CSRF, the assignment in the reader's reach (403 before the body is
/// read), the body, then the use case.
async fn assignment_step(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    id: &str,
    bytes: &Bytes,
    step: AssignmentStep,
) -> Out {
    let action = if step.by_assignee() {
        Action::ReportAssignments
    } else {
        Action::ManageOrganisation
    };
    write_guard(viewer, headers, action)?;
    let l = viewer.lang;
    let id: AssignmentId = id_of(id, l)?;
    let who = viewer.principal();
    state
        .app
        .assignment(&who, id)
        .await
        .map_err(|e| WebError::app(e, l))?;
    let b: AssignmentStepJson = super::body(bytes, l)?;
    ok(state
        .app
        .assignment_step(
            &who,
            id,
            AssignmentStepInput {
                step,
                on: b.on.unwrap_or_else(|| state.app.today()),
                note: b.note,
                version: b.version,
            },
        )
        .await
        .map_err(|e| WebError::app(e, l))?)
}

async fn assignment_report(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    assignment_step(
        &state,
        &viewer,
        &headers,
        &id,
        &bytes,
        AssignmentStep::Report,
    )
    .await
}

async fn assignment_close(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    assignment_step(
        &state,
        &viewer,
        &headers,
        &id,
        &bytes,
        AssignmentStep::Close,
    )
    .await
}

async fn assignment_return(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Out {
    assignment_step(
        &state,
        &viewer,
        &headers,
        &id,
        &bytes,
        AssignmentStep::Return,
    )
    .await
}
