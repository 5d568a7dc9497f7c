//! The programme's own organisation as use cases (issue 18 item 3): leading groups, 专班 and
//! 联席会议 with their members (a roster pasted as the seeds print it, 附件1/2), meetings with
//! attendees, minutes and decisions, 通报 and 约谈 with their 整改要求, and the 交办事项 those hand
//! out: reported done by the unit named, closed (销号) or sent back by the issuing side.
//!
//! Who sees what, as conditions of the store's queries ([`OrgScope`]): a region's records are read
//! by the people of that region, of those under it and of those above it; a company reads the
//! 通报 and assignments naming it. Who writes: [`Action::ManageOrganisation`] within the
//! principal's region (its own region or one under it); 报结 is the named unit's own
//! ([`Action::ReportAssignments`]): the street's or community's officers, the department's, the
//! company's.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope, outside};
use anju_core::access::{Action, Role};
use anju_core::ids::{AssignmentId, CensureId, GroupId, MeetingId};
use anju_core::organisation::{
    AssignmentStep, CensureKind, GroupKind, MeetingKind, Roster, UnitKind, parse_roster,
};
use anju_store::{
    Assignment, AssignmentFilter, AssignmentStepRecord, Censure, Meeting, NewCensure, NewDecision,
    NewGroup, NewMeeting, NewMember, OrgGroup, OrgMember, OrgScope, Unit, User,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A body to set up: its members typed one by one, or a roster pasted as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GroupInput {
    /// The region it belongs to (city, district, street or community).
    pub region_id: i64,
    pub kind: GroupKind,
    pub name: String,
    #[serde(default)]
    pub office: Option<String>,
    /// 成立文件 (文号).
    #[serde(default)]
    pub document: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub established_on: Date,
    #[serde(default)]
    pub members: Vec<NewMember>,
    /// 名单, as the document prints it (组长：… 成员：…); read by `parse_roster`, its members
    /// joining on the day the body was set up.
    #[serde(default)]
    pub roster: Option<String>,
}

/// A meeting to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingInput {
    pub region_id: i64,
    #[serde(default)]
    pub group_id: Option<i64>,
    pub kind: MeetingKind,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    #[serde(default)]
    pub place: Option<String>,
    /// 参会人员 (one per line or separated by 、).
    pub attendees: String,
    /// 会议纪要.
    pub minutes: String,
    /// 决定事项, each handed to one unit with a deadline.
    #[serde(default)]
    pub decisions: Vec<NewDecision>,
}

/// A 通报 or 约谈 to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CensureInput {
    pub region_id: i64,
    pub kind: CensureKind,
    pub unit: Unit,
    #[schema(value_type = String, format = Date)]
    pub on_day: Date,
    /// 事由.
    pub reason: String,
    #[serde(default)]
    pub document: Option<String>,
    /// 约谈对象 (约谈 only).
    #[serde(default)]
    pub interviewee: Option<String>,
    /// 整改要求 (批评 and 约谈 only); with a deadline.
    #[serde(default)]
    pub follow_up: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub follow_up_deadline: Option<Date>,
}

/// A step of an assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssignmentStepInput {
    pub step: AssignmentStep,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// 报结: the result (required); 退回: the reason (required); 销号: a note.
    #[serde(default)]
    pub note: Option<String>,
    /// The version read.
    pub version: i64,
}

/// A body with its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GroupDetail {
    pub group: OrgGroup,
    pub members: Vec<OrgMember>,
    pub meetings: Vec<Meeting>,
    /// Whether the reader may change it.
    pub may_edit: bool,
}

/// A meeting with the decisions it handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub decisions: Vec<Assignment>,
    pub may_edit: bool,
}

/// A 通报 with its follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CensureDetail {
    pub censure: Censure,
    pub follow_ups: Vec<Assignment>,
}

/// An assignment with its steps and what the reader may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssignmentDetail {
    pub assignment: Assignment,
    pub steps: Vec<AssignmentStepRecord>,
    pub may: Vec<AssignmentStep>,
}

/// What a principal has to act on among the assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssignmentWatch {
    /// Its own unit's, not closed.
    pub mine: Vec<Assignment>,
    /// Others' in scope: reported (awaiting 销号) or overdue; only for whoever hands out.
    pub others: Vec<Assignment>,
    /// How many of both are overdue.
    pub overdue: usize,
}

/// A unit a decision may be handed to, as the forms offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UnitChoice {
    pub unit: Unit,
    pub name: String,
}

fn org_scope(who: &Principal) -> OrgScope {
    match who.scope() {
        Scope::All => OrgScope::All,
        Scope::Region(r) => OrgScope::Region(r),
        Scope::Company(c) => OrgScope::Company(c),
        // The programme's organisation is the officials': an owners' body reads none of it.
        Scope::Compound(_) | Scope::Nothing => OrgScope::Nothing,
    }
}

impl App {
    /// Refused unless the principal may write the organisation records of `region_id` (its own
    /// region or one under it).
    async fn require_org_region(&self, who: &Principal, region_id: i64) -> Result<()> {
        who.require(Action::ManageOrganisation)?;
        self.store().get_region(region_id).await?;
        match who.scope() {
            Scope::All => Ok(()),
            Scope::Region(r) if self.store().region_within(region_id, r).await? => Ok(()),
            _ => Err(AppError::forbidden(
                "该地区不在您的管辖范围内",
                "that region is outside your area",
            )),
        }
    }

    /// Whether the principal reads the organisation records of `region_id` (the region, one
    /// under it or one above it).
    async fn reads_org_region(&self, who: &Principal, region_id: i64) -> Result<bool> {
        Ok(match who.scope() {
            Scope::All => true,
            Scope::Region(r) => {
                self.store().region_within(region_id, r).await?
                    || self.store().region_ancestors(r).await?.contains(&region_id)
            }
            _ => false,
        })
    }

    /// A unit a record of `region_id` may name: a street or community under it (or itself), a
    /// department of a district at, under or above it, any company. Returns its name.
    async fn checked_unit(&self, region_id: i64, u: Unit) -> Result<String> {
        let bad = |zh: &str, en: &str| AppError::field("unit", "责任单位", zh.to_string(), en);
        match u.kind {
            UnitKind::Region => {
                let r = self
                    .store()
                    .get_region(u.id)
                    .await
                    .map_err(|_| bad("找不到该街道或社区", "no such street or community"))?;
                if !self.store().region_within(u.id, region_id).await? {
                    return Err(bad(
                        &format!("“{}”不在本级管辖范围内", r.name),
                        "that region is not under this one",
                    ));
                }
                Ok(r.name)
            }
            UnitKind::Department => {
                let d = self
                    .store()
                    .get_department(u.id)
                    .await
                    .map_err(|_| bad("找不到该职能部门", "no such department"))?;
                let related = self.store().region_within(d.district_id, region_id).await?
                    || self
                        .store()
                        .region_ancestors(region_id)
                        .await?
                        .contains(&d.district_id);
                if !related {
                    return Err(bad(
                        &format!("“{}”不是本区的部门", d.name),
                        "that department is of another district",
                    ));
                }
                Ok(d.name)
            }
            UnitKind::Company => {
                // A company serving a compound of the region (asked of the database).
                self.store()
                    .companies_serving(region_id)
                    .await?
                    .into_iter()
                    .find(|(id, _)| *id == u.id)
                    .map(|(_, name)| name)
                    .ok_or_else(|| {
                        bad(
                            "该物业企业不在本级辖区内服务",
                            "that company serves no compound here",
                        )
                    })
            }
        }
    }

    fn checked_decisions(decisions: &[NewDecision], issued_on: Date) -> Result<Vec<NewDecision>> {
        decisions
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let n = i + 1;
                if d.text.trim().is_empty() {
                    return Err(AppError::field(
                        "decisions",
                        "决定事项",
                        format!("第 {n} 项：请填写内容"),
                        format!("item {n}: required"),
                    ));
                }
                let text =
                    check::text(Field::new("decisions", "决定事项"), &d.text, NOTE_MAX, true)?;
                if d.deadline < issued_on {
                    return Err(AppError::field(
                        "decisions",
                        "完成时限",
                        format!(
                            "第 {n} 项：完成时限 {} 早于会议日期 {issued_on}",
                            d.deadline
                        ),
                        format!("item {n}: the deadline is before the meeting"),
                    ));
                }
                Ok(NewDecision {
                    unit: d.unit,
                    text,
                    deadline: d.deadline,
                })
            })
            .collect()
    }

    /// Reads a pasted roster: the members, or every line that could not be read.
    pub fn read_roster(text: &str) -> Result<Roster> {
        parse_roster(text).map_err(|errors| {
            let zh: Vec<String> = errors.iter().map(|e| e.zh.clone()).collect();
            let en: Vec<String> = errors.iter().map(|e| e.en.clone()).collect();
            AppError::field("roster", "成员名单", zh.join("；"), en.join("; "))
        })
    }

    fn checked_members(members: &[NewMember], from: Date, today: Date) -> Result<Vec<NewMember>> {
        members
            .iter()
            .map(|m| {
                let name = check::text(Field::new("members", "成员姓名"), &m.name, 20, false)?;
                let position = check::opt_text(
                    Field::new("members", "职务"),
                    Some(&m.position),
                    NAME_MAX,
                    false,
                )?
                .unwrap_or_default();
                let joined_on = EventDate::MemberJoined.check(m.joined_on, today)?;
                if joined_on < from {
                    return Err(AppError::field(
                        "joined_on",
                        "加入日期",
                        format!("{name} 的加入日期 {joined_on} 早于成立日期 {from}"),
                        "a member cannot join before the body was set up",
                    ));
                }
                Ok(NewMember {
                    name,
                    position,
                    role: m.role,
                    department_id: m.department_id,
                    joined_on,
                })
            })
            .collect()
    }

    /// Sets up a leading group, 专班 or 联席会议 with its members.
    pub async fn add_group(&self, who: &Principal, g: GroupInput) -> Result<OrgGroup> {
        self.require_org_region(who, g.region_id).await?;
        let today = self.today();
        let established_on = EventDate::GroupEstablished.check(g.established_on, today)?;
        let name = check::text(Field::new("name", "名称"), &g.name, NAME_MAX, false)?;
        let mut members = g.members.clone();
        let mut office = check::opt_text(
            Field::new("office", "办公室设在"),
            g.office.as_deref(),
            NAME_MAX,
            false,
        )?;
        if let Some(text) = g.roster.as_deref().filter(|t| !t.trim().is_empty()) {
            let roster = Self::read_roster(text)?;
            office = office.or(roster.office);
            members.extend(roster.members.into_iter().map(|m| NewMember {
                name: m.name,
                position: m.position,
                role: m.role,
                department_id: None,
                joined_on: established_on,
            }));
        }
        let members = Self::checked_members(&members, established_on, today)?;
        let document = check::opt_text(
            Field::new("document", "成立文件"),
            g.document.as_deref(),
            NAME_MAX,
            false,
        )?;
        Ok(self
            .store()
            .add_group(
                &who.actor(),
                NewGroup {
                    region_id: g.region_id,
                    kind: g.kind,
                    name,
                    office,
                    document,
                    established_on,
                    members,
                },
            )
            .await?)
    }

    /// The bodies the principal reads.
    pub async fn groups(&self, who: &Principal) -> Result<Vec<OrgGroup>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store().list_groups(org_scope(who)).await?)
    }

    /// A body, refused unless the principal reads it.
    pub async fn group(&self, who: &Principal, id: GroupId) -> Result<OrgGroup> {
        who.require(Action::ViewLedger)?;
        let g = self.store().get_group(id.get()).await?;
        if self.reads_org_region(who, g.region_id).await? {
            Ok(g)
        } else {
            Err(outside("工作机构", "group", id))
        }
    }

    /// A body with its members (current first) and its meetings.
    pub async fn group_detail(&self, who: &Principal, id: GroupId) -> Result<GroupDetail> {
        let group = self.group(who, id).await?;
        let members = self.store().group_members(id.get()).await?;
        let meetings = self
            .store()
            .list_meetings(org_scope(who), Some(group.id), None, None, None, None)
            .await?;
        let may_edit = self.require_org_region(who, group.region_id).await.is_ok();
        Ok(GroupDetail {
            group,
            members,
            meetings,
            may_edit,
        })
    }

    /// Adds members to a body (typed, or a pasted roster joining on `joined_on`).
    pub async fn add_group_members(
        &self,
        who: &Principal,
        id: GroupId,
        version: i64,
        members: Vec<NewMember>,
        roster: Option<&str>,
        joined_on: Option<Date>,
    ) -> Result<OrgGroup> {
        let g = self.group(who, id).await?;
        self.require_org_region(who, g.region_id).await?;
        let mut members = members;
        if let Some(text) = roster.filter(|t| !t.trim().is_empty()) {
            let Some(on) = joined_on else {
                return Err(AppError::field(
                    "joined_on",
                    "加入日期",
                    "请填写加入日期",
                    "give the day they joined",
                ));
            };
            members.extend(
                Self::read_roster(text)?
                    .members
                    .into_iter()
                    .map(|m| NewMember {
                        name: m.name,
                        position: m.position,
                        role: m.role,
                        department_id: None,
                        joined_on: on,
                    }),
            );
        }
        if members.is_empty() {
            return Err(AppError::field(
                "roster",
                "成员名单",
                "请至少填写一名成员",
                "name at least one member",
            ));
        }
        let members = Self::checked_members(&members, g.established_on, self.today())?;
        Ok(self
            .store()
            .add_group_members(&who.actor(), id.get(), version, &members)
            .await?)
    }

    /// A member leaves a body on a day.
    pub async fn end_group_member(
        &self,
        who: &Principal,
        id: GroupId,
        version: i64,
        member_id: i64,
        left_on: Date,
    ) -> Result<OrgGroup> {
        let g = self.group(who, id).await?;
        self.require_org_region(who, g.region_id).await?;
        let left_on = EventDate::MemberLeft.check(left_on, self.today())?;
        Ok(self
            .store()
            .end_group_member(&who.actor(), id.get(), version, member_id, left_on)
            .await?)
    }

    /// The regions the principal may write organisation records for (its own and those under
    /// it; every region for a city-wide writer), by level then name.
    pub async fn org_regions(&self, who: &Principal) -> Result<Vec<anju_store::Region>> {
        who.require(Action::ManageOrganisation)?;
        Ok(match who.scope() {
            Scope::All => {
                let mut v = self.store().list_regions().await?;
                v.sort_by(|a, b| a.level.cmp(&b.level).then_with(|| a.name.cmp(&b.name)));
                v
            }
            Scope::Region(r) => self.store().regions_under(r).await?,
            _ => Vec::new(),
        })
    }

    /// The units a record of `region_id` may name, for the forms: the streets and communities
    /// under it (or itself), the departments of its district, and the companies serving there.
    pub async fn unit_choices(&self, who: &Principal, region_id: i64) -> Result<Vec<UnitChoice>> {
        self.require_org_region(who, region_id).await?;
        let mut out = Vec::new();
        for r in self.store().regions_under(region_id).await? {
            out.push(UnitChoice {
                unit: Unit {
                    kind: UnitKind::Region,
                    id: r.id,
                },
                name: r.name,
            });
        }
        let above = self.store().region_ancestors(region_id).await?;
        for d in self.store().list_departments(Some(region_id), true).await? {
            if above.contains(&d.district_id)
                || self.store().region_within(d.district_id, region_id).await?
            {
                out.push(UnitChoice {
                    unit: Unit {
                        kind: UnitKind::Department,
                        id: d.id,
                    },
                    name: d.name,
                });
            }
        }
        for c in self.store().companies_serving(region_id).await? {
            out.push(UnitChoice {
                unit: Unit {
                    kind: UnitKind::Company,
                    id: c.0,
                },
                name: c.1,
            });
        }
        Ok(out)
    }

    /// Records a meeting and hands out its decisions.
    pub async fn add_meeting(&self, who: &Principal, m: MeetingInput) -> Result<Meeting> {
        self.require_org_region(who, m.region_id).await?;
        let held_on = EventDate::Meeting.check(m.held_on, self.today())?;
        if let Some(g) = m.group_id {
            let group = self.group(who, GroupId(g)).await?;
            if group.region_id != m.region_id {
                return Err(AppError::field(
                    "group_id",
                    "工作机构",
                    format!("“{}”属于{}，不是本次会议的地区", group.name, group.region),
                    "the body belongs to another region",
                ));
            }
        }
        let title = check::text(Field::new("title", "会议名称"), &m.title, NAME_MAX, false)?;
        let attendees = check::text(
            Field::new("attendees", "参会人员"),
            &m.attendees,
            NOTE_MAX,
            true,
        )?;
        let minutes = check::text(Field::new("minutes", "会议纪要"), &m.minutes, 20_000, true)?;
        let place = check::opt_text(
            Field::new("place", "地点"),
            m.place.as_deref(),
            NAME_MAX,
            false,
        )?;
        let decisions = Self::checked_decisions(&m.decisions, held_on)?;
        let mut names = Vec::new();
        for d in &decisions {
            names.push(self.checked_unit(m.region_id, d.unit).await?);
        }
        let made = self
            .store()
            .add_meeting(
                &who.actor(),
                NewMeeting {
                    region_id: m.region_id,
                    group_id: m.group_id,
                    kind: m.kind,
                    title,
                    held_on,
                    place,
                    attendees,
                    minutes,
                    decisions,
                },
            )
            .await?;
        for a in self
            .store()
            .list_assignments(&AssignmentFilter {
                meeting_id: Some(made.id),
                ..AssignmentFilter::default()
            })
            .await?
        {
            self.notify_assigned(&a).await;
        }
        Ok(made)
    }

    /// Hands out one more decision of a recorded meeting, dated today.
    pub async fn add_meeting_decision(
        &self,
        who: &Principal,
        id: MeetingId,
        d: NewDecision,
    ) -> Result<Assignment> {
        let m = self.meeting(who, id).await?;
        self.require_org_region(who, m.region_id).await?;
        let today = self.today();
        let d = Self::checked_decisions(&[d], today)?.remove(0);
        self.checked_unit(m.region_id, d.unit).await?;
        let a = self
            .store()
            .add_meeting_decision(&who.actor(), id.get(), &d, today)
            .await?;
        self.notify_assigned(&a).await;
        Ok(a)
    }

    /// The meetings the principal reads, latest first.
    pub async fn meetings(
        &self,
        who: &Principal,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<Meeting>> {
        who.require(Action::ViewLedger)?;
        Ok(self
            .store()
            .list_meetings(org_scope(who), None, from, to, None, None)
            .await?)
    }

    /// A meeting, refused unless the principal reads it.
    pub async fn meeting(&self, who: &Principal, id: MeetingId) -> Result<Meeting> {
        who.require(Action::ViewLedger)?;
        let m = self.store().get_meeting(id.get()).await?;
        if self.reads_org_region(who, m.region_id).await? {
            Ok(m)
        } else {
            Err(outside("会议", "meeting", id))
        }
    }

    /// A meeting with its decisions.
    pub async fn meeting_detail(&self, who: &Principal, id: MeetingId) -> Result<MeetingDetail> {
        let meeting = self.meeting(who, id).await?;
        let decisions = self
            .store()
            .list_assignments(&AssignmentFilter {
                meeting_id: Some(meeting.id),
                ..AssignmentFilter::default()
            })
            .await?;
        let may_edit = self
            .require_org_region(who, meeting.region_id)
            .await
            .is_ok();
        Ok(MeetingDetail {
            meeting,
            decisions,
            may_edit,
        })
    }

    /// Records a 通报 or 约谈, with its 整改要求 handed to the unit named.
    pub async fn add_censure(&self, who: &Principal, c: CensureInput) -> Result<Censure> {
        self.require_org_region(who, c.region_id).await?;
        let on_day = EventDate::Censure.check(c.on_day, self.today())?;
        self.checked_unit(c.region_id, c.unit).await?;
        let reason = check::text(Field::new("reason", "事由"), &c.reason, NOTE_MAX, true)?;
        let document = check::opt_text(
            Field::new("document", "文号"),
            c.document.as_deref(),
            NAME_MAX,
            false,
        )?;
        let interviewee = check::opt_text(
            Field::new("interviewee", "约谈对象"),
            c.interviewee.as_deref(),
            NAME_MAX,
            false,
        )?;
        if interviewee.is_some() && c.kind != CensureKind::Interview {
            return Err(AppError::field(
                "interviewee",
                "约谈对象",
                "只有约谈填写约谈对象",
                "only an admonitory talk has an interviewee",
            ));
        }
        let text = check::opt_text(
            Field::new("follow_up", "整改要求"),
            c.follow_up.as_deref(),
            NOTE_MAX,
            true,
        )?;
        let follow_up = match (text, c.follow_up_deadline) {
            (None, None) => None,
            (Some(_), _) if !c.kind.has_follow_up() => {
                return Err(AppError::field(
                    "follow_up",
                    "整改要求",
                    "通报表扬不设整改要求",
                    "a commendation sets no follow-up",
                ));
            }
            (Some(t), Some(d)) if d >= on_day => Some((t, d)),
            (Some(_), Some(d)) => {
                return Err(AppError::field(
                    "follow_up_deadline",
                    "整改时限",
                    format!("整改时限 {d} 早于通报日期 {on_day}"),
                    "the deadline is before the censure",
                ));
            }
            (Some(_), None) => {
                return Err(AppError::field(
                    "follow_up_deadline",
                    "整改时限",
                    "有整改要求时请填写整改时限",
                    "a follow-up needs a deadline",
                ));
            }
            (None, Some(_)) => {
                return Err(AppError::field(
                    "follow_up",
                    "整改要求",
                    "填写了整改时限，请写明整改要求",
                    "a deadline needs its follow-up",
                ));
            }
        };
        let made = self
            .store()
            .add_censure(
                &who.actor(),
                NewCensure {
                    region_id: c.region_id,
                    kind: c.kind,
                    unit: c.unit,
                    on_day,
                    reason,
                    document,
                    interviewee,
                    follow_up,
                },
            )
            .await?;
        let to = self.unit_people(made.unit).await;
        self.notify(
            &to,
            anju_store::NewNotice {
                kind: "censure".into(),
                title: format!(
                    "{}：{}",
                    made.kind.label(anju_core::Lang::Zh),
                    made.unit_name
                ),
                body: made.reason.chars().take(120).collect(),
                link: Some(format!("/organisation/censures/{}", made.id)),
                dedupe: None,
            },
        )
        .await;
        Ok(made)
    }

    /// The 通报 and 约谈 the principal reads, latest first.
    pub async fn censures(&self, who: &Principal) -> Result<Vec<Censure>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store().list_censures(org_scope(who)).await?)
    }

    /// A 通报 with its follow-up, refused unless the principal reads it.
    pub async fn censure_detail(&self, who: &Principal, id: CensureId) -> Result<CensureDetail> {
        who.require(Action::ViewLedger)?;
        let censure = self.store().get_censure(id.get()).await?;
        let reads = match who.scope() {
            Scope::Company(c) => censure.unit.kind == UnitKind::Company && censure.unit.id == c,
            _ => self.reads_org_region(who, censure.region_id).await?,
        };
        if !reads {
            return Err(outside("通报约谈", "censure", id));
        }
        let follow_ups = self
            .store()
            .list_assignments(&AssignmentFilter {
                censure_id: Some(censure.id),
                ..AssignmentFilter::default()
            })
            .await?;
        Ok(CensureDetail {
            censure,
            follow_ups,
        })
    }

    /// The assignments the principal reads; `mine`: only those of the principal's own unit.
    pub async fn assignments(&self, who: &Principal, mine: bool) -> Result<Vec<Assignment>> {
        who.require(Action::ViewLedger)?;
        let unit = if mine { Self::own_unit(who) } else { None };
        if mine && unit.is_none() {
            return Ok(Vec::new());
        }
        Ok(self
            .store()
            .list_assignments(&AssignmentFilter {
                scope: org_scope(who),
                unit,
                ..AssignmentFilter::default()
            })
            .await?)
    }

    /// What the principal has to act on (the 工作台's panel and the organisation page): the open
    /// assignments of its own unit, and, for whoever hands assignments out, those in scope
    /// awaiting 销号 and those overdue (of other units). Each list by deadline.
    pub async fn assignment_watch(&self, who: &Principal) -> Result<AssignmentWatch> {
        let today = self.today();
        let mine: Vec<Assignment> = self
            .assignments(who, true)
            .await?
            .into_iter()
            .filter(|a| a.status != anju_core::organisation::AssignmentStatus::Closed)
            .collect();
        let mut others = Vec::new();
        if anju_core::access::can(who.role, Action::ManageOrganisation) {
            // Only what the principal's side handed out (its region or under it): a district's
            // assignment to a sibling street is readable, not the principal's to close.
            let issued_under = match who.scope() {
                Scope::Region(r) => Some(r),
                Scope::All => None,
                _ => Some(-1),
            };
            let handed_out = self
                .store()
                .list_assignments(&AssignmentFilter {
                    scope: org_scope(who),
                    issued_under,
                    ..AssignmentFilter::default()
                })
                .await?;
            for a in handed_out {
                if mine.iter().any(|m| m.id == a.id) {
                    continue;
                }
                let to_close = a.status == anju_core::organisation::AssignmentStatus::Reported;
                if to_close || a.overdue(today) {
                    others.push(a);
                }
            }
        }
        let overdue = mine
            .iter()
            .chain(&others)
            .filter(|a| a.overdue(today))
            .count();
        Ok(AssignmentWatch {
            mine,
            others,
            overdue,
        })
    }

    /// Seed 002 附件 (红色物业): "社区委员会、业主委员会（自治组织）、物业服务企业每月召开一次“三方联动”
    /// 议事会". For a community's officer, the day this month's 三方联动议事会 was held at the
    /// community (`Some(None)`: not yet); `None` for everyone else.
    pub async fn tripartite_this_month(&self, who: &Principal) -> Result<Option<Option<Date>>> {
        let (Role::Community, Some(community)) = (who.role, who.region_id) else {
            return Ok(None);
        };
        let today = self.today();
        let held = self
            .store()
            .list_meetings(
                OrgScope::Region(community),
                None,
                Some(today.first_of_month()),
                Some(today),
                Some(MeetingKind::Tripartite),
                Some(community),
            )
            .await?
            .into_iter()
            .map(|m| m.held_on)
            .max();
        Ok(Some(held))
    }

    /// The unit a principal answers for: its department, its company, or its street or
    /// community.
    fn own_unit(who: &Principal) -> Option<Unit> {
        match who.role {
            Role::Department => who.department_id.map(|id| Unit {
                kind: UnitKind::Department,
                id,
            }),
            Role::Company => who.company_id.map(|id| Unit {
                kind: UnitKind::Company,
                id,
            }),
            Role::Street | Role::Community | Role::HousingAuthority => {
                who.region_id.map(|id| Unit {
                    kind: UnitKind::Region,
                    id,
                })
            }
            _ => None,
        }
    }

    /// One assignment, refused unless the principal reads it.
    pub async fn assignment(&self, who: &Principal, id: AssignmentId) -> Result<Assignment> {
        who.require(Action::ViewLedger)?;
        let a = self.store().get_assignment(id.get()).await?;
        let reads = match who.scope() {
            Scope::Company(c) => a.unit.kind == UnitKind::Company && a.unit.id == c,
            _ => self.reads_org_region(who, a.region_id).await?,
        };
        if reads {
            Ok(a)
        } else {
            Err(outside("交办事项", "assignment", id))
        }
    }

    /// The steps the principal may take on an assignment now.
    async fn assignment_may(&self, who: &Principal, a: &Assignment) -> Vec<AssignmentStep> {
        let mut out = Vec::new();
        for s in AssignmentStep::ALL {
            if anju_core::organisation::next(a.status, *s).is_err() {
                continue;
            }
            let ok = if s.by_assignee() {
                self.require_assignee(who, a).is_ok()
            } else {
                self.require_org_region(who, a.region_id).await.is_ok()
                    && (who.role == Role::Admin || Self::own_unit(who) != Some(a.unit))
            };
            if ok {
                out.push(*s);
            }
        }
        out
    }

    /// Refused unless the principal answers for the assignment's unit.
    fn require_assignee(&self, who: &Principal, a: &Assignment) -> Result<()> {
        who.require(Action::ReportAssignments)?;
        if who.role == Role::Admin || Self::own_unit(who) == Some(a.unit) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                format!("该事项交由{}办理", a.unit_name),
                "the assignment is another unit's",
            ))
        }
    }

    /// An assignment with its steps and the steps the reader may take.
    pub async fn assignment_detail(
        &self,
        who: &Principal,
        id: AssignmentId,
    ) -> Result<AssignmentDetail> {
        let assignment = self.assignment(who, id).await?;
        let steps = self.store().assignment_steps(id.get()).await?;
        let may = self.assignment_may(who, &assignment).await;
        Ok(AssignmentDetail {
            assignment,
            steps,
            may,
        })
    }

    /// A step of an assignment: 报结 by the unit, 销号 or 退回 by the issuing side.
    pub async fn assignment_step(
        &self,
        who: &Principal,
        id: AssignmentId,
        s: AssignmentStepInput,
    ) -> Result<Assignment> {
        let a = self.assignment(who, id).await?;
        if s.step.by_assignee() {
            self.require_assignee(who, &a)?;
        } else {
            self.require_org_region(who, a.region_id).await?;
            if who.role != Role::Admin && Self::own_unit(who) == Some(a.unit) {
                return Err(AppError::forbidden(
                    "本单位办理的事项由交办方的上级或其他人员销号、退回",
                    "a unit does not close or send back its own assignment",
                ));
            }
        }
        let on = EventDate::AssignmentStep.check(s.on, self.today())?;
        let note = match s.step {
            AssignmentStep::Report => Some(check::text(
                Field::new("note", "办理结果"),
                s.note.as_deref().unwrap_or(""),
                NOTE_MAX,
                true,
            )?),
            AssignmentStep::Return => Some(check::text(
                Field::new("note", "退回理由"),
                s.note.as_deref().unwrap_or(""),
                NOTE_MAX,
                true,
            )?),
            AssignmentStep::Close => check::opt_text(
                Field::new("note", "备注"),
                s.note.as_deref(),
                NOTE_MAX,
                true,
            )?,
        };
        let after = self
            .store()
            .assignment_step(&who.actor(), id.get(), s.version, s.step, on, note)
            .await?;
        let to = if s.step.by_assignee() {
            match self.store().find_user(&after.issued_by).await {
                Ok(Some(u)) if u.active => vec![u],
                _ => Vec::new(),
            }
        } else {
            self.unit_people(after.unit).await
        };
        self.notify(
            &to,
            anju_store::NewNotice {
                kind: format!("assignment_{}", s.step.code()),
                title: format!(
                    "交办事项{}：{}",
                    s.step.label(anju_core::Lang::Zh),
                    after.text.chars().take(30).collect::<String>()
                ),
                body: format!("{}（{}）", after.unit_name, after.source_title),
                link: Some(format!("/organisation/assignments/{}", after.id)),
                dedupe: None,
            },
        )
        .await;
        Ok(after)
    }

    /// The active accounts that answer for a unit.
    pub(crate) async fn unit_people(&self, u: Unit) -> Vec<User> {
        match u.kind {
            UnitKind::Department => self.department_people(u.id).await,
            UnitKind::Company => self.company_people(u.id).await,
            UnitKind::Region => {
                let mut v = self.region_people(Role::Street, u.id).await;
                v.extend(self.region_people(Role::Community, u.id).await);
                v
            }
        }
    }

    async fn notify_assigned(&self, a: &Assignment) {
        let to = self.unit_people(a.unit).await;
        self.notify(
            &to,
            anju_store::NewNotice {
                kind: "assignment".into(),
                title: format!(
                    "新的交办事项：{}",
                    a.text.chars().take(30).collect::<String>()
                ),
                body: format!("来自{}，完成时限 {}。", a.source_title, a.deadline),
                link: Some(format!("/organisation/assignments/{}", a.id)),
                dedupe: None,
            },
        )
        .await;
    }
}
