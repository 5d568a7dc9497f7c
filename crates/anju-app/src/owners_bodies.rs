//! Owners' bodies as use cases (issue 19 item 1): the street or community starts one (筹备, with
//! its preparatory group), records its election (the members elected, each with role, party
//! membership, contact and duties; the term runs from that day), files it (备案: in office; the
//! body it succeeds ends that day, 换届) and ends it when its term is over. The 工作台 warns 90
//! days before a term ends (`AlertKind::TermEnding`), and `sweep_notices` tells the street and the
//! community once.
//!
//! Who: [`Action::AdvanceLifecycle`] (the street, the community, the district) on a compound in
//! scope. Members' contacts are read only by those same roles; every other reader sees the body
//! without them.

use crate::App;
use crate::check::{self, Field, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, outside};
use anju_core::OwnersBody;
use anju_core::access::{Action, can};
use anju_core::ids::{CompoundId, OwnersBodyId, VoteId};
use anju_core::owners_body::{
    BodyRole, BodyStatus, BodyStep, DEFAULT_TERM_YEARS, Renewal, TERM_YEARS, renewal,
};
use anju_store::{NewBodyMember, NewOwnersBody, OwnersBodyMember, OwnersBodyRecord};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A body to start (筹备).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OwnersBodyInput {
    #[schema(value_type = i64)]
    pub compound_id: CompoundId,
    /// owners_committee, management_committee or environment_committee.
    pub kind: OwnersBody,
    /// 筹备组成立日期.
    #[schema(value_type = String, format = Date)]
    pub prepared_on: Date,
    /// 任期（年, 1–5; default 5).
    #[serde(default)]
    pub term_years: Option<u32>,
    #[serde(default)]
    pub note: Option<String>,
    /// 筹备组成员 (their role is taken as 筹备组成员; joined on `prepared_on`).
    #[serde(default)]
    pub preparers: Vec<String>,
}

/// A step of a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OwnersBodyStepInput {
    pub step: BodyStep,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// 届满: the reason (required); otherwise a note.
    #[serde(default)]
    pub note: Option<String>,
    /// 选举: the members elected (at least a 主任), joining on `on`.
    #[serde(default)]
    pub members: Vec<NewBodyMember>,
    /// 选举: the carried owners' vote that elected the body (required when its election was
    /// put to a vote here).
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub vote_id: Option<VoteId>,
    pub version: i64,
}

/// A body with its members and what the reader may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OwnersBodyDetail {
    pub body: OwnersBodyRecord,
    /// Contacts blank unless the reader may see them.
    pub members: Vec<OwnersBodyMember>,
    /// 换届: days left in the window (≥ 0), or days past the term (negative); `None` when not
    /// in office or not yet due.
    pub renewal_days: Option<i64>,
    pub may: Vec<BodyStep>,
    pub may_add_members: bool,
}

impl App {
    /// The bodies of a compound in scope, the latest first.
    pub async fn owners_bodies(
        &self,
        who: &Principal,
        compound: CompoundId,
    ) -> Result<Vec<OwnersBodyRecord>> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound).await?;
        Ok(self.store().owners_bodies_of(compound.get()).await?)
    }

    async fn owners_body(&self, who: &Principal, id: OwnersBodyId) -> Result<OwnersBodyRecord> {
        who.require(Action::ViewLedger)?;
        let b = self.store().get_owners_body(id.get()).await?;
        if self.sees_compound(who, b.compound_id).await? {
            Ok(b)
        } else {
            Err(outside("业主组织", "owners body", id))
        }
    }

    /// A body with its members (contacts only for the street, community and district) and the
    /// steps the reader may take.
    pub async fn owners_body_detail(
        &self,
        who: &Principal,
        id: OwnersBodyId,
    ) -> Result<OwnersBodyDetail> {
        let body = self.owners_body(who, id).await?;
        let writer = can(who.role, Action::AdvanceLifecycle);
        let mut members = self.store().owners_body_members(id.get()).await?;
        if !writer {
            for m in &mut members {
                m.contact = None;
            }
        }
        let renewal_days = match (body.status, body.term_last_day) {
            (BodyStatus::InOffice, Some(last)) => match renewal(last, self.today()) {
                Renewal::Due { days_left } => Some(days_left),
                Renewal::Overdue { days_over } => Some(-days_over),
                Renewal::NotDue => None,
            },
            _ => None,
        };
        let may = if writer {
            BodyStep::ALL
                .iter()
                .copied()
                .filter(|s| anju_core::owners_body::next(body.status, *s).is_ok())
                .collect()
        } else {
            Vec::new()
        };
        Ok(OwnersBodyDetail {
            may_add_members: writer && body.status != BodyStatus::Ended,
            body,
            members,
            renewal_days,
            may,
        })
    }

    fn checked_body_members(members: &[NewBodyMember], on: Date) -> Result<Vec<NewBodyMember>> {
        members
            .iter()
            .filter(|m| !m.name.trim().is_empty())
            .map(|m| {
                Ok(NewBodyMember {
                    name: check::text(Field::new("members", "成员姓名"), &m.name, 20, false)?,
                    role: m.role,
                    party_member: m.party_member,
                    contact: check::opt_text(
                        Field::new("members", "联系方式"),
                        m.contact.as_deref(),
                        50,
                        false,
                    )?,
                    duties: check::opt_text(
                        Field::new("members", "职责"),
                        m.duties.as_deref(),
                        NOTE_MAX,
                        true,
                    )?,
                    joined_on: on,
                })
            })
            .collect()
    }

    /// Starts a body (筹备) for a compound in scope.
    pub async fn start_owners_body(
        &self,
        who: &Principal,
        b: OwnersBodyInput,
    ) -> Result<OwnersBodyRecord> {
        who.require(Action::AdvanceLifecycle)?;
        self.compound_in_scope(who, b.compound_id).await?;
        if !b.kind.exists() {
            return Err(AppError::field(
                "kind",
                "组织类型",
                "请选择业主委员会、物业管理委员会或环境和物业管理委员会",
                "choose the kind of body",
            ));
        }
        let prepared_on = EventDate::BodyPrepared.check(b.prepared_on, self.today())?;
        let years = b.term_years.unwrap_or(DEFAULT_TERM_YEARS);
        check::within(
            Field::new("term_years", "任期（年）"),
            i64::from(years),
            i64::from(TERM_YEARS.0),
            i64::from(TERM_YEARS.1),
        )?;
        let note = check::opt_text(
            Field::new("note", "备注"),
            b.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        let preparers: Vec<NewBodyMember> = b
            .preparers
            .iter()
            .map(|n| NewBodyMember {
                name: n.clone(),
                role: BodyRole::Preparer,
                party_member: false,
                contact: None,
                duties: None,
                joined_on: prepared_on,
            })
            .collect();
        let members = Self::checked_body_members(&preparers, prepared_on)?;
        Ok(self
            .store()
            .add_owners_body(
                &who.actor(),
                NewOwnersBody {
                    compound_id: b.compound_id.get(),
                    kind: b.kind,
                    prepared_on,
                    term_years: years,
                    note,
                    members,
                },
            )
            .await?)
    }

    /// 选举 (with the members elected, a 主任 among them), 备案, or 届满 (with the reason).
    pub async fn owners_body_step(
        &self,
        who: &Principal,
        id: OwnersBodyId,
        s: OwnersBodyStepInput,
    ) -> Result<OwnersBodyRecord> {
        who.require(Action::AdvanceLifecycle)?;
        let body = self.owners_body(who, id).await?;
        let on = EventDate::BodyStep.check(s.on, self.today())?;
        let members = Self::checked_body_members(&s.members, on)?;
        let mut vote = None;
        if s.step == BodyStep::Elect {
            vote = self.election_vote(&body, s.vote_id, on).await?;
            if members.iter().any(|m| m.role == BodyRole::Preparer) {
                return Err(AppError::field(
                    "members",
                    "当选成员",
                    "当选成员的角色应为主任、副主任、委员或候补委员",
                    "elected members are chair, vice chair, member or alternate",
                ));
            }
            if !members.iter().any(|m| m.role == BodyRole::Chair) {
                return Err(AppError::field(
                    "members",
                    "当选成员",
                    "请登记当选的主任（至少一名成员为“主任”）",
                    "name the elected chair",
                ));
            }
        } else if s.vote_id.is_some() {
            return Err(AppError::field(
                "vote_id",
                "选举表决",
                "只有选举引用业主表决",
                "only the election cites a vote",
            ));
        } else if !members.is_empty() {
            return Err(AppError::field(
                "members",
                "成员",
                "只有选举时登记成员；之后请用“增加成员”",
                "members are entered with the election",
            ));
        }
        let note = match s.step {
            BodyStep::End => Some(check::text(
                Field::new("note", "届满原因"),
                s.note.as_deref().unwrap_or(""),
                NOTE_MAX,
                true,
            )?),
            _ => check::opt_text(
                Field::new("note", "备注"),
                s.note.as_deref(),
                NOTE_MAX,
                true,
            )?,
        };
        let done = self
            .store()
            .owners_body_step(
                &who.actor(),
                id.get(),
                s.version,
                s.step,
                on,
                note,
                &members,
            )
            .await?;
        if let Some(v) = vote {
            self.store()
                .note_vote_applied(
                    &who.actor(),
                    v.id,
                    &format!("据此表决选举产生业主组织（编号 {}）", done.id),
                )
                .await?;
        }
        Ok(done)
    }

    /// Adds members to a body not yet ended (joining on `on`).
    pub async fn add_owners_body_members(
        &self,
        who: &Principal,
        id: OwnersBodyId,
        version: i64,
        on: Date,
        members: Vec<NewBodyMember>,
    ) -> Result<OwnersBodyRecord> {
        who.require(Action::AdvanceLifecycle)?;
        let b = self.owners_body(who, id).await?;
        if b.status == BodyStatus::Ended {
            return Err(AppError::field(
                "members",
                "成员",
                "该业主组织已届满，不能再增加成员",
                "the body has ended",
            ));
        }
        let on = EventDate::BodyStep.check(on, self.today())?;
        let members = Self::checked_body_members(&members, on)?;
        if b.status != BodyStatus::Preparing && members.iter().any(|m| m.role == BodyRole::Preparer)
        {
            return Err(AppError::field(
                "members",
                "成员角色",
                "选举之后不再增加筹备组成员",
                "no preparatory members after the election",
            ));
        }
        if members.is_empty() {
            return Err(AppError::field(
                "members",
                "成员姓名",
                "请至少填写一名成员",
                "name at least one member",
            ));
        }
        Ok(self
            .store()
            .add_owners_body_members(&who.actor(), id.get(), version, &members)
            .await?)
    }

    /// The kinds a body may be, for the forms.
    pub fn owners_body_kinds() -> Vec<OwnersBody> {
        OwnersBody::ALL.into_iter().filter(|k| k.exists()).collect()
    }

    /// The text a member list reads as (the 名单 of an election): `name` blank rows dropped.
    pub fn body_member(
        name: &str,
        role: BodyRole,
        party_member: bool,
        contact: &str,
        duties: &str,
        on: Date,
    ) -> NewBodyMember {
        NewBodyMember {
            name: name.trim().to_string(),
            role,
            party_member,
            contact: Some(contact.trim().to_string()).filter(|c| !c.is_empty()),
            duties: Some(duties.trim().to_string()).filter(|c| !c.is_empty()),
            joined_on: on,
        }
    }
}
