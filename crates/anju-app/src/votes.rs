//! Owners' votes as use cases (issue 19 item 2; 民法典 第二百七十八条).
//!
//! The street or community keeps a compound's register of households (业主名册: 房号, owner,
//! 专有部分面积), imported from a sheet or added one at a time, and opens a vote on a question:
//! electing the owners' committee (tied to the body being prepared), choosing among companies,
//! dismissing one, using or raising the maintenance fund, rebuilding, changing the use of
//! common parts, or another matter. Opening freezes the register into the vote: one ballot and
//! one link (token, printed as a QR code) per household, the owners and area the thresholds are
//! counted against. A household votes once, online by its link or on paper (the community enters
//! it with the scan). Closing counts the ballots with `anju_core::vote::count` and freezes the
//! result; it is allowed from the last voting day on, or earlier once every household has voted.
//!
//! The result is used where the path needs it, once: a carried election is cited by the owners'
//! body's 选举 step (and a body with votes cannot record an election without a carried one — a
//! vote that fell short is refused as a decision); a carried choice of a company records the
//! path's 选定物业企业 step, dated the day of the count. A carried dismissal is shown with its
//! sheet; the contract's termination stays the street's step on the contract page.
//!
//! Readings: a household is one owner (一个专有部分按一人计算, 最高人民法院 建筑物区分所有权解释
//! 第九条); its further rule that one buyer of several units counts once is not applied (the
//! register holds units, not buyers). 弃权 takes part and agrees to nothing. Who: the street, the
//! community, the district and the administrator ([`Action::RunVotes`]) on compounds in scope;
//! anyone who reads the compound reads its votes and results; owners' names and the links only
//! those who run votes (and the auditor, names only).

use crate::App;
use crate::check::{self, Field, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, outside};
use anju_core::Area;
use anju_core::access::{Action, Role, can};
use anju_core::ids::{CompoundId, OwnersBodyId, VoteId};
use anju_core::lifecycle::Event;
use anju_core::owners_body::BodyStatus;
use anju_core::vote::{Choice, Matter, VoteStatus};
use anju_store::{
    BallotChoice, BallotRow, Household, NewHousehold, NewVote, PaperBallot, RegisterSummary,
    TokenBallot, VoteRecord,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A vote to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoteInput {
    #[schema(value_type = i64)]
    pub compound_id: CompoundId,
    pub matter: Matter,
    /// 表决事项（业主看到的原文）
    pub question: String,
    /// 选举业主委员会时：被选举的业主组织（筹备中）编号
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub owners_body_id: Option<OwnersBodyId>,
    /// 选聘物业服务企业时：候选企业编号（1–5 家，须已登记）
    #[serde(default)]
    pub company_ids: Vec<i64>,
    /// 表决开始日期 YYYY-MM-DD（不得晚于今天）
    #[schema(value_type = String, format = Date)]
    pub opens_on: Date,
    /// 表决截止日期 YYYY-MM-DD（收取选票的最后一天）
    #[schema(value_type = String, format = Date)]
    pub closes_on: Date,
}

// A paper ballot entered by the office (a plain comment: a doc comment would become the
// schema's description, which the fields' own describe).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaperBallotInput {
    /// 业主名册中的户编号
    pub household_id: i64,
    /// 选择：option（同意所选选项）、against（反对）、abstain（弃权）
    pub choice: Choice,
    /// 所选选项序号（choice 为 option 时；只有一个选项时可不填）
    #[serde(default)]
    pub option_no: Option<u32>,
    /// 收到选票日期 YYYY-MM-DD（不得晚于今天）
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// 纸质选票扫描件（先经 POST /api/v1/evidence 上传）的 SHA-256
    pub evidence_sha: String,
}

// A household typed on the form: 房号, owner, area as written (88.50).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HouseholdInput {
    /// 房号，按原样填写（如 1-1-101）
    pub unit: String,
    /// 业主姓名
    #[serde(default)]
    pub owner_name: Option<String>,
    /// 专有部分面积（㎡），按原样填写，最多两位小数（如 88.50）
    pub area: String,
}

/// A vote with what its reader may see and do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoteDetail {
    pub vote: VoteRecord,
    /// The households' ballots (links only for those who run votes; empty for the rest).
    pub ballots: Vec<BallotRow>,
    pub may_enter_paper: bool,
    pub may_close: bool,
    /// Why it may not be closed yet (for the page), when the reader runs votes.
    pub close_blocked: Option<String>,
    /// The result can record the path's step (选定物业企业) now.
    pub may_apply: bool,
    /// Why nothing carried, in the reader's language (closed votes).
    pub why_not: Option<String>,
}

/// Who reads a paper ballot's scan (it shows how a household voted): those who run votes and
/// the auditor.
pub(crate) fn reads_ballot_scans(who: &Principal) -> bool {
    can(who.role, Action::RunVotes) || who.role == Role::Auditor
}

fn households_field() -> Field {
    Field::new("households", "业主名册")
}

impl App {
    /// A compound's register (owners' names only for those who run votes and the auditor).
    pub async fn households(
        &self,
        who: &Principal,
        compound: CompoundId,
    ) -> Result<Vec<Household>> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound).await?;
        let mut hs = self.store().households_of(compound.get()).await?;
        if !reads_ballot_scans(who) {
            for h in &mut hs {
                h.owner_name = None;
            }
        }
        Ok(hs)
    }

    /// Adds or updates households of a compound's register from a sheet read by anju-sheets
    /// (all or nothing; a row that changes nothing is left alone).
    pub async fn import_households(
        &self,
        who: &Principal,
        compound: CompoundId,
        rows: &[anju_sheets::RegisterRow],
    ) -> Result<RegisterSummary> {
        who.require(Action::RunVotes)?;
        self.compound_in_scope(who, compound).await?;
        if rows.is_empty() {
            return Err(households_field().error("名册中没有住户", "the register has no rows"));
        }
        let rows: Vec<NewHousehold> = rows
            .iter()
            .map(|r| NewHousehold {
                unit: r.unit.clone(),
                owner_name: r.owner.clone(),
                area_centi: r.area.centi(),
            })
            .collect();
        Ok(self
            .store()
            .import_households(&who.actor(), compound.get(), &rows)
            .await?)
    }

    /// Adds a household typed on the form, or corrects the one with that 房号.
    pub async fn add_household(
        &self,
        who: &Principal,
        compound: CompoundId,
        h: HouseholdInput,
    ) -> Result<RegisterSummary> {
        who.require(Action::RunVotes)?;
        self.compound_in_scope(who, compound).await?;
        let unit = check::text(Field::new("unit", "房号"), &h.unit, 50, false)?;
        let owner_name = check::opt_text(
            Field::new("owner_name", "业主姓名"),
            h.owner_name.as_deref(),
            50,
            false,
        )?;
        let area_field = Field::new("area", "专有部分面积");
        let area = match Area::parse(&h.area) {
            Ok(a) if a.centi() > 0 => a,
            Ok(_) => return Err(area_field.error("须大于 0", "must be more than 0")),
            Err(e) => return Err(area_field.error(format!("{e}（如 88.50）"), "e.g. 88.50")),
        };
        Ok(self
            .store()
            .import_households(
                &who.actor(),
                compound.get(),
                &[NewHousehold {
                    unit,
                    owner_name,
                    area_centi: area.centi(),
                }],
            )
            .await?)
    }

    /// Opens a vote on a compound in scope.
    pub async fn open_vote(&self, who: &Principal, v: VoteInput) -> Result<VoteRecord> {
        who.require(Action::RunVotes)?;
        self.compound_in_scope(who, v.compound_id).await?;
        let question = check::text(
            Field::new("question", "表决事项"),
            &v.question,
            NOTE_MAX,
            true,
        )?;
        let opens_on = EventDate::VoteOpened.check(v.opens_on, self.today())?;
        if v.closes_on < opens_on {
            return Err(Field::new("closes_on", "表决截止日期").error(
                format!("截止日期 {} 早于开始日期 {opens_on}", v.closes_on),
                "the vote closes before it opens",
            ));
        }
        let mut body = None;
        if v.matter == Matter::ElectCommittee {
            let Some(id) = v.owners_body_id else {
                return Err(Field::new("owners_body_id", "选举的业主组织").error(
                    "请先在“业主组织”中开始筹备，再就选举发起表决",
                    "start preparing the owners' body first",
                ));
            };
            let b = self.store().get_owners_body(id.get()).await?;
            if b.compound_id != v.compound_id.get() || b.status != BodyStatus::Preparing {
                return Err(Field::new("owners_body_id", "选举的业主组织").error(
                    "须是本小区筹备中的业主组织",
                    "must be this compound's body being prepared",
                ));
            }
            body = Some(b.id);
        } else if v.owners_body_id.is_some() {
            return Err(Field::new("owners_body_id", "选举的业主组织").error(
                "只有选举业主委员会的表决关联业主组织",
                "only an election names an owners' body",
            ));
        }
        let options = if v.matter == Matter::SelectCompany {
            let f = Field::new("company_ids", "候选物业企业");
            if v.company_ids.is_empty() || v.company_ids.len() > 5 {
                return Err(f.error("请选择 1 至 5 家候选企业", "choose 1 to 5 companies"));
            }
            let mut out = Vec::new();
            for id in &v.company_ids {
                let co = match self.store().get_company(*id).await {
                    Ok(co) if !co.archived => co,
                    Ok(_) | Err(anju_store::StoreError::NotFound { .. }) => {
                        return Err(f.error(
                            format!("编号 {id} 的企业不在企业名录中（或已归档）"),
                            format!("company {id} is not on file"),
                        ));
                    }
                    Err(e) => return Err(e.into()),
                };
                if out.iter().any(|(_, c)| *c == Some(*id)) {
                    return Err(f.error("同一企业只能列一次", "a company is listed once"));
                }
                out.push((co.name, Some(*id)));
            }
            out
        } else if !v.company_ids.is_empty() {
            return Err(Field::new("company_ids", "候选物业企业").error(
                "只有选聘物业服务企业的表决列候选企业",
                "only a choice of company lists companies",
            ));
        } else {
            vec![("同意".to_string(), None)]
        };
        Ok(self
            .store()
            .open_vote(
                &who.actor(),
                NewVote {
                    compound_id: v.compound_id.get(),
                    matter: v.matter,
                    question,
                    owners_body_id: body,
                    opens_on,
                    closes_on: v.closes_on,
                    options,
                },
            )
            .await?)
    }

    /// A compound's votes, the newest first.
    pub async fn votes(&self, who: &Principal, compound: CompoundId) -> Result<Vec<VoteRecord>> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound).await?;
        Ok(self.store().votes_of(compound.get()).await?)
    }

    async fn vote_in_scope(&self, who: &Principal, id: VoteId) -> Result<VoteRecord> {
        who.require(Action::ViewLedger)?;
        let v = self.store().get_vote(id.get()).await?;
        if self.sees_compound(who, v.compound_id).await? {
            Ok(v)
        } else {
            Err(outside("业主表决", "vote", id))
        }
    }

    /// Why a vote may not be closed on `today` (`None` when it may).
    fn close_blocked(v: &VoteRecord, today: Date) -> Option<String> {
        if v.status == VoteStatus::Closed {
            return Some("表决已结束".into());
        }
        if today < v.closes_on && v.cast < v.owners {
            return Some(format!(
                "表决 {} 截止；截止前只有全部 {} 户都已投票才能提前计票（已投 {} 户）",
                v.closes_on, v.owners, v.cast
            ));
        }
        None
    }

    /// A vote with its ballots (links only for those who run votes) and what the reader may do.
    pub async fn vote_detail(&self, who: &Principal, id: VoteId) -> Result<VoteDetail> {
        let vote = self.vote_in_scope(who, id).await?;
        let runner = can(who.role, Action::RunVotes);
        let mut ballots = if runner || who.role == Role::Auditor {
            self.store().vote_ballots(id.get()).await?
        } else {
            Vec::new()
        };
        if !runner {
            for b in &mut ballots {
                b.token.clear();
            }
        }
        let today = self.today();
        let open = vote.status == VoteStatus::Open;
        let close_blocked = if runner {
            Self::close_blocked(&vote, today)
        } else {
            None
        };
        Ok(VoteDetail {
            may_enter_paper: runner && open,
            may_close: runner && open && close_blocked.is_none(),
            close_blocked: close_blocked.filter(|_| open),
            may_apply: runner
                && match vote.matter {
                    Matter::SelectCompany => can(who.role, Action::AdvanceLifecycle),
                    Matter::DismissCompany => can(who.role, Action::ManageContracts),
                    _ => false,
                }
                && vote.carried_option.is_some()
                && vote.applied_note.is_none(),
            why_not: vote.result.as_ref().and_then(|r| r.why_not(who.lang)),
            vote,
            ballots,
        })
    }

    /// Enters a household's paper ballot with its scan.
    pub async fn enter_paper_ballot(
        &self,
        who: &Principal,
        id: VoteId,
        p: PaperBallotInput,
    ) -> Result<VoteRecord> {
        who.require(Action::RunVotes)?;
        self.vote_in_scope(who, id).await?;
        let received_on = EventDate::BallotReceived.check(p.received_on, self.today())?;
        let sha = p.evidence_sha.trim().to_ascii_lowercase();
        if sha.is_empty() {
            return Err(Field::new("evidence", "选票扫描件")
                .error("请上传纸质选票的扫描件或照片", "upload the ballot's scan"));
        }
        self.require_kept_evidence(std::slice::from_ref(&sha))
            .await?;
        Ok(self
            .store()
            .enter_paper_ballot(
                &who.actor(),
                id.get(),
                &PaperBallot {
                    household_id: p.household_id,
                    says: BallotChoice {
                        choice: p.choice,
                        option_no: p.option_no,
                    },
                    received_on,
                    evidence_sha: sha,
                },
            )
            .await?)
    }

    /// Counts and closes a vote on `on` (from its last voting day, or once every household has
    /// voted).
    pub async fn close_vote(
        &self,
        who: &Principal,
        id: VoteId,
        on: Date,
        version: i64,
    ) -> Result<VoteRecord> {
        who.require(Action::RunVotes)?;
        let v = self.vote_in_scope(who, id).await?;
        let on = EventDate::VoteClosed.check(on, self.today())?;
        if let Some(why) = Self::close_blocked(&v, on) {
            return Err(Field::new("on", "计票日期").error(why, "the vote is still running"));
        }
        Ok(self
            .store()
            .close_vote(&who.actor(), id.get(), version, on)
            .await?)
    }

    /// Records a carried vote's decision on the path, once: a choice of company as the path's
    /// 选定物业企业 step dated the day of the count; a dismissal (解聘, 民法典 第二百七十八条) as
    /// the end of the compound's contract in force, dated the day it is recorded (today), with
    /// the vote as its reason, which puts the dismissal in the company's credit file. The fund's
    /// votes are cited on the fund's page, an election by the body's 选举.
    pub async fn apply_vote(&self, who: &Principal, id: VoteId) -> Result<VoteRecord> {
        who.require(Action::RunVotes)?;
        let v = self.vote_in_scope(who, id).await?;
        let refuse = |zh: &str, en: &str| Field::new("vote", "表决结果").error(zh, en);
        if v.applied_note.is_some() {
            return Err(refuse("该表决结果已经使用过", "already used"));
        }
        if !matches!(v.matter, Matter::SelectCompany | Matter::DismissCompany) {
            return Err(refuse(
                "只有选聘、解聘物业服务企业的表决结果在这里记入全覆盖路径（维修资金的表决在维修资金页引用，选举在业主组织页引用）",
                "only a choice or dismissal of a company is applied here",
            ));
        }
        let (Some(no), Some(closed_on)) = (v.carried_option, v.closed_on) else {
            return Err(refuse(
                &format!(
                    "表决未通过，不能作为业主共同决定：{}",
                    v.result
                        .as_ref()
                        .and_then(|r| r.why_not(anju_core::Lang::Zh))
                        .unwrap_or_else(|| "尚未计票".into())
                ),
                "the vote did not carry",
            ));
        };
        if v.matter == Matter::DismissCompany {
            return self.apply_dismissal(who, &v).await;
        }
        who.require(Action::AdvanceLifecycle)?;
        let Some(opt) = v.options.iter().find(|o| o.no == no) else {
            return Err(AppError::Store(anju_store::StoreError::Corrupt(format!(
                "表决 {} 的选项 {no} 不存在",
                v.id
            ))));
        };
        let Some(company_id) = opt.company_id else {
            return Err(refuse(
                "该选项没有对应的企业",
                "the option names no company",
            ));
        };
        let lc = self.store().lifecycle(v.compound_id).await?;
        let note = format!("据业主表决（编号 {}）选定：{}", v.id, opt.label);
        self.advance(
            who,
            CompoundId::from(v.compound_id),
            crate::path::AdvanceInput {
                version: lc.version,
                step: Event::SelectCompany { company_id },
                on: closed_on,
                note: Some(note.clone()),
                evidence: Vec::new(),
            },
        )
        .await?;
        Ok(self
            .store()
            .note_vote_applied(&who.actor(), v.id, &note)
            .await?)
    }

    /// A carried dismissal ends the compound's one contract in force as 解聘.
    async fn apply_dismissal(&self, who: &Principal, v: &VoteRecord) -> Result<VoteRecord> {
        who.require(Action::ManageContracts)?;
        let today = self.today();
        let active: Vec<_> = self
            .store()
            .list_contracts_of(v.compound_id, None)
            .await?
            .into_iter()
            .filter(|c| c.active_on(today))
            .collect();
        let [contract] = active.as_slice() else {
            return Err(Field::new("vote", "表决结果").error(
                if active.is_empty() {
                    "本小区没有正在履行的物业服务合同，解聘无从记入".to_string()
                } else {
                    format!(
                        "本小区有 {} 份正在履行的合同，请在合同页逐份办理解聘",
                        active.len()
                    )
                },
                "the compound has no single contract in force",
            ));
        };
        let reason = format!(
            "据业主表决（编号 {}，{} 计票通过）解聘{}",
            v.id,
            v.closed_on.map(|d| d.to_string()).unwrap_or_default(),
            contract.company
        );
        self.terminate_contract(
            who,
            anju_core::ids::ContractId::from(contract.id),
            contract.version,
            anju_core::lifecycle::ExitKind::Dismissal,
            &reason,
            today,
        )
        .await?;
        Ok(self
            .store()
            .note_vote_applied(&who.actor(), v.id, &reason)
            .await?)
    }

    /// The election a body cites: a closed, carried vote electing this body. A body whose
    /// election was put to a vote here cannot record the election without a carried one.
    pub(crate) async fn election_vote(
        &self,
        body: &anju_store::OwnersBodyRecord,
        vote: Option<VoteId>,
        on: Date,
    ) -> Result<Option<VoteRecord>> {
        let f = Field::new("vote_id", "选举表决");
        let votes: Vec<VoteRecord> = self
            .store()
            .votes_of(body.compound_id)
            .await?
            .into_iter()
            .filter(|v| v.owners_body_id == Some(body.id))
            .collect();
        let Some(id) = vote else {
            if votes.is_empty() {
                return Ok(None);
            }
            return Err(f.error(
                "该业主组织的选举已交业主表决，请选择通过的表决",
                "this election was put to a vote: cite the carried one",
            ));
        };
        let Some(v) = votes.into_iter().find(|v| v.id == id.get()) else {
            return Err(f.error(
                format!("编号 {id} 的表决不是选举本业主组织的表决"),
                "not this body's election vote",
            ));
        };
        let Some(closed_on) = v.closed_on else {
            return Err(f.error("该表决尚未计票", "the vote is still open"));
        };
        if v.carried_option.is_none() {
            return Err(f.error(
                format!(
                    "表决未通过，不能作为选举结果：{}",
                    v.result
                        .as_ref()
                        .and_then(|r| r.why_not(anju_core::Lang::Zh))
                        .unwrap_or_default()
                ),
                "the vote did not carry",
            ));
        }
        if v.applied_note.is_some() {
            return Err(f.error("该表决结果已经使用过", "already used"));
        }
        if on < closed_on {
            return Err(Field::new("on", "选举日期").error(
                format!("选举日期早于表决计票日期 {closed_on}"),
                "the election is dated before the count",
            ));
        }
        Ok(Some(v))
    }

    /// What a resident's link opens (no account); `None` for an unknown link.
    pub async fn vote_by_token(&self, token: &str) -> Result<Option<TokenBallot>> {
        Ok(self.store().vote_by_token(token).await?)
    }

    /// A resident casts the household's ballot by its link (no account): once, within the
    /// voting days.
    pub async fn cast_ballot(&self, token: &str, says: BallotChoice) -> Result<()> {
        Ok(self.store().cast_ballot(token, says, self.today()).await?)
    }
}
