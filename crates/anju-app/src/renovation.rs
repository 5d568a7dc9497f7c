//! 老旧小区改造 linked to property management, as use cases (issue 19 item 5; seed 002 六), and
//! the approved fee standard (issue 19 item 4; seed 003 三（二）).
//!
//! - A renovation project of a compound (`start_renovation`) with its milestones — 手续办理,
//!   施工进场, 竣工验收 — each an event date (`EventDate::RenovationMilestone`: not after today),
//!   recorded when it happens (`renovation_date`); a date already recorded is corrected only
//!   with a reason (更正原因), kept beside the old and new day and in the audit log. Nothing is
//!   deleted.
//! - Its checks (`renovation_detail`, and the 工作台's `AlertKind::RenovationGap`) are
//!   `anju_core::renovation::gaps` over the path's steps in force; the module doc there names
//!   the clause each check reads and the readings made. The page also shows the formal entry
//!   the service term runs from (the path's 正式进场 step) and each active contract whose term
//!   starts before it.
//! - 三承诺 per household, answered in the consultation (`answer_commitments` one household at
//!   a time, `import_commitments` from a questionnaire sheet read by anju-sheets, all or
//!   nothing). A household (房号 as written, trimmed) answered again is updated and audited,
//!   never doubled. The latest answer counts: re-answering takes no version (a household's new
//!   answer replaces its old one whoever recorded that), and the audit log keeps both.
//! - The approved fee standard (`add_fee_standard`): per ㎡ per month in fen for 多层 and/or
//!   高层, with the document (文号), the approval day (`EventDate::FeeApproved`) and the
//!   department. A later approval supersedes from its date; history is kept, nothing changed.
//!   `fee_standards` reads them with each active contract charging above the standard in force
//!   on its signing day (`AlertKind::FeeAboveStandard` on the 工作台).
//!
//! Who: [`Action::ManageRenovation`] (street, community, housing authority, admin) writes
//! projects and 三承诺; [`Action::SetFeeStandards`] (housing authority, admin — 发改 has no
//! account; they enter its approval) writes standards; every ledger reader reads them, within
//! the compounds of its scope (a company its own).

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, outside};
use anju_core::Fen;
use anju_core::access::{Action, can};
use anju_core::contract::{BuildingType, Fees};
use anju_core::ids::{CompoundId, RenovationId};
use anju_core::renovation::{
    Approval, CommitmentShare, Commitments, Milestone, Milestones, RenovationGap, above_standard,
    gaps, in_force, per_sqm_month, term_starts_early,
};
use anju_store::{
    CommitmentsWritten, FeeStandardRecord, HouseholdCommitment, NewFeeStandard,
    NewHouseholdCommitment, NewRenovation, RenovationDateChange, RenovationRecord,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A renovation project to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenovationInput {
    #[schema(value_type = i64)]
    pub compound_id: CompoundId,
    /// 项目名称或批次（如“2026年第一批老旧小区改造”）
    pub name: String,
    /// 手续办理日期（已发生的才填）
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub procedures_on: Option<Date>,
    /// 施工进场日期
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub construction_on: Option<Date>,
    /// 竣工验收日期
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub acceptance_on: Option<Date>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A milestone's date recorded, or corrected (with the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenovationDateInput {
    pub milestone: Milestone,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// 更正原因: required when the milestone already has a date.
    #[serde(default)]
    pub reason: Option<String>,
    pub version: i64,
}

/// One household's 三承诺.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CommitmentInput {
    /// 房号，按原样填写（如 3-2-501）
    pub house: String,
    /// 业主姓名（可不填）
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(flatten)]
    pub commitments: Commitments,
}

/// A gap of a project, with the clause it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GapView {
    pub gap: RenovationGap,
    /// The milestone's day it is counted from.
    #[schema(value_type = String, format = Date)]
    pub since: Date,
    /// Required by the seed (a breach), or only encouraged (a reminder: the trial run).
    pub required: bool,
    /// Where: "二七区实施方案 六（一）".
    pub clause: String,
    /// The seed's words.
    pub words: String,
}

/// An active contract whose term starts before the formal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EarlyTerm {
    pub contract_id: i64,
    pub company: String,
    /// The contract's term start (its entry date, else its signing day).
    #[schema(value_type = String, format = Date)]
    pub term_start: Date,
}

/// A project with its checks and its households, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenovationDetail {
    pub project: RenovationRecord,
    /// Each date as recorded and corrected, in order.
    pub changes: Vec<RenovationDateChange>,
    pub gaps: Vec<GapView>,
    /// The path's 正式进场 (the day the service term runs from, seed 002 六（一）).
    #[schema(value_type = Option<String>, format = Date)]
    pub entry_on: Option<Date>,
    /// Active contracts whose term starts before that entry.
    pub early_terms: Vec<EarlyTerm>,
    pub households: Vec<HouseholdCommitment>,
    pub share: CommitmentShare,
    /// Whether the reader may record dates and 三承诺.
    pub may_write: bool,
}

/// An approved fee standard to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeeStandardInput {
    #[schema(value_type = i64)]
    pub compound_id: CompoundId,
    /// 核定标准（分/㎡·月），多层 multi、高层 high，至少一项
    pub fees: Fees,
    /// 核定文号
    pub doc_no: String,
    /// 核定日期
    #[schema(value_type = String, format = Date)]
    pub approved_on: Date,
    /// 核定部门（如“区发改局”）
    pub department: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A contract's fee above the standard of one building type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeeExcess {
    /// multi (多层) or high (高层)
    #[schema(value_type = String)]
    pub building_type: BuildingType,
    #[schema(value_type = i64)]
    pub contract_fen: Fen,
    #[schema(value_type = i64)]
    pub standard_fen: Fen,
    /// "多层 1.50 元/㎡·月，高于核定标准 1.20 元/㎡·月"
    pub text: String,
}

/// An active contract of the compound charging above the standard in force on its signing day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeeCheck {
    pub contract_id: i64,
    pub company: String,
    #[schema(value_type = String, format = Date)]
    pub signed_on: Date,
    /// The standard in force that day.
    pub standard_id: i64,
    pub doc_no: String,
    pub above: Vec<FeeExcess>,
}

/// A compound's fee standards, the one in force today, and the contracts above theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeeStandards {
    /// Latest first.
    pub standards: Vec<FeeStandardRecord>,
    /// The standard in force today.
    pub in_force_id: Option<i64>,
    pub above: Vec<FeeCheck>,
    /// Whether the reader may enter an approval.
    pub may_write: bool,
}

fn approvals(list: &[FeeStandardRecord]) -> Vec<Approval> {
    list.iter()
        .map(|s| Approval {
            approved_on: s.approved_on,
            id: s.id,
            fees: s.fees,
        })
        .collect()
}

impl App {
    /// A compound's renovation projects, the latest first.
    pub async fn renovations(
        &self,
        who: &Principal,
        compound: CompoundId,
    ) -> Result<Vec<RenovationRecord>> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound).await?;
        Ok(self.store().renovations_of(compound.get()).await?)
    }

    async fn renovation(&self, who: &Principal, id: RenovationId) -> Result<RenovationRecord> {
        who.require(Action::ViewLedger)?;
        let p = self.store().get_renovation(id.get()).await?;
        if self.sees_compound(who, p.compound_id).await? {
            Ok(p)
        } else {
            Err(outside("改造项目", "renovation project", id))
        }
    }

    /// A project with its dates' history, its checks, the formal entry the term runs from, the
    /// contracts whose term starts earlier, and its households' 三承诺 with the shares.
    pub async fn renovation_detail(
        &self,
        who: &Principal,
        id: RenovationId,
    ) -> Result<RenovationDetail> {
        let project = self.renovation(who, id).await?;
        let store = self.store();
        let today = self.today();
        let m = project.milestones();
        let path = store
            .renovation_path_dates(project.compound_id, m.construction_on.unwrap_or(today))
            .await?;
        let gaps = gaps(&m, &path)
            .into_iter()
            .map(|g| {
                let (clause, words) = g.gap.clause();
                GapView {
                    gap: g.gap,
                    since: g.since,
                    required: g.gap.required(),
                    clause: clause.to_string(),
                    words: words.to_string(),
                }
            })
            .collect();
        let early_terms = store
            .list_contracts_of(project.compound_id, None)
            .await?
            .into_iter()
            .filter(|k| k.active && term_starts_early(k.term_start(), path.entry_on))
            .map(|k| EarlyTerm {
                contract_id: k.id,
                term_start: k.term_start(),
                company: k.company,
            })
            .collect();
        let households = store.commitments_of(id.get()).await?;
        let compound = store.get_compound(project.compound_id).await?;
        let answers: Vec<Commitments> = households.iter().map(|h| h.commitments).collect();
        let share = CommitmentShare::of(
            u64::from(compound.compound.households.unwrap_or(0)),
            &answers,
        );
        Ok(RenovationDetail {
            changes: store.renovation_changes(id.get()).await?,
            gaps,
            entry_on: path.entry_on,
            early_terms,
            households,
            share,
            may_write: can(who.role, Action::ManageRenovation),
            project,
        })
    }

    fn milestone_date(&self, key: &str, label: &str, on: Option<Date>) -> Result<Option<Date>> {
        on.map(|d| EventDate::RenovationMilestone.check_as(key, label, d, self.today()))
            .transpose()
    }

    /// Records a renovation project of a compound in scope.
    pub async fn start_renovation(
        &self,
        who: &Principal,
        r: RenovationInput,
    ) -> Result<RenovationRecord> {
        who.require(Action::ManageRenovation)?;
        self.compound_in_scope(who, r.compound_id).await?;
        let name = check::text(
            Field::new("name", "项目名称或批次"),
            &r.name,
            NAME_MAX,
            false,
        )?;
        let milestones = Milestones {
            procedures_on: self.milestone_date("procedures_on", "手续办理日期", r.procedures_on)?,
            construction_on: self.milestone_date(
                "construction_on",
                "施工进场日期",
                r.construction_on,
            )?,
            acceptance_on: self.milestone_date("acceptance_on", "竣工验收日期", r.acceptance_on)?,
        };
        milestones
            .check_order()
            .map_err(|(zh, en)| AppError::field("construction_on", "节点日期", zh, en))?;
        let note = check::opt_text(
            Field::new("note", "备注"),
            r.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        Ok(self
            .store()
            .add_renovation(
                &who.actor(),
                NewRenovation {
                    compound_id: r.compound_id.get(),
                    name,
                    milestones,
                    note,
                },
            )
            .await?)
    }

    /// Records a milestone's date, or corrects one already recorded (a reason required).
    pub async fn renovation_date(
        &self,
        who: &Principal,
        id: RenovationId,
        d: RenovationDateInput,
    ) -> Result<RenovationRecord> {
        who.require(Action::ManageRenovation)?;
        let p = self.renovation(who, id).await?;
        let on = EventDate::RenovationMilestone.check(d.on, self.today())?;
        let reason = match p.milestones().get(d.milestone) {
            Some(old) => Some(
                check::text(
                    Field::new("reason", "更正原因"),
                    d.reason.as_deref().unwrap_or(""),
                    NOTE_MAX,
                    true,
                )
                .map_err(|e| match e {
                    AppError::Invalid(_)
                        if d.reason.as_deref().is_none_or(|r| r.trim().is_empty()) =>
                    {
                        AppError::field(
                            "reason",
                            "更正原因",
                            format!(
                                "{}已登记为 {old}，更正须写明原因",
                                d.milestone.label(anju_core::Lang::Zh)
                            ),
                            format!(
                                "{} is recorded as {old}: a correction needs its reason",
                                d.milestone.label(anju_core::Lang::En)
                            ),
                        )
                    }
                    e => e,
                })?,
            ),
            None => check::opt_text(
                Field::new("reason", "说明"),
                d.reason.as_deref(),
                NOTE_MAX,
                true,
            )?,
        };
        Ok(self
            .store()
            .set_renovation_date(&who.actor(), id.get(), d.version, d.milestone, on, reason)
            .await?)
    }

    fn checked_commitment(c: &CommitmentInput) -> Result<NewHouseholdCommitment> {
        Ok(NewHouseholdCommitment {
            house: check::text(Field::new("house", "房号"), &c.house, 50, false)?,
            owner: check::opt_text(
                Field::new("owner", "业主姓名"),
                c.owner.as_deref(),
                50,
                false,
            )?,
            commitments: c.commitments,
        })
    }

    /// One household's 三承诺 (a household answered before is updated).
    pub async fn answer_commitments(
        &self,
        who: &Principal,
        id: RenovationId,
        c: CommitmentInput,
    ) -> Result<CommitmentsWritten> {
        who.require(Action::ManageRenovation)?;
        self.renovation(who, id).await?;
        let one = Self::checked_commitment(&c)?;
        Ok(self
            .store()
            .answer_commitments(&who.actor(), id.get(), &[one])
            .await?)
    }

    /// A questionnaire sheet's households (read by `anju_sheets::read_commitment_sheet_bytes`),
    /// all or nothing: any row refused comes back with its row, and nothing is written.
    pub async fn import_commitments(
        &self,
        who: &Principal,
        id: RenovationId,
        rows: &[anju_sheets::CommitmentSheetRow],
    ) -> Result<std::result::Result<CommitmentsWritten, Vec<(usize, String, String)>>> {
        who.require(Action::ManageRenovation)?;
        self.renovation(who, id).await?;
        let mut problems = Vec::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let c = CommitmentInput {
                house: r.house.clone(),
                owner: r.owner.clone(),
                commitments: Commitments {
                    demolish: r.demolish,
                    maintenance_fund: r.maintenance_fund,
                    repair_fees: r.repair_fees,
                },
            };
            match Self::checked_commitment(&c) {
                Ok(x) => out.push(x),
                Err(e) => problems.push((
                    r.row,
                    format!("第 {} 行：{}", r.row, e.message(anju_core::Lang::Zh)),
                    format!("row {}: {}", r.row, e.message(anju_core::Lang::En)),
                )),
            }
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        Ok(Ok(self
            .store()
            .answer_commitments(&who.actor(), id.get(), &out)
            .await?))
    }

    /// A compound's approved fee standards, the one in force today, and its active contracts
    /// charging above the standard in force on their signing day.
    pub async fn fee_standards(
        &self,
        who: &Principal,
        compound: CompoundId,
    ) -> Result<FeeStandards> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound).await?;
        let standards = self.store().fee_standards_of(compound.get()).await?;
        let list = approvals(&standards);
        let contracts = self.contracts(who, Some(compound)).await?;
        let mut above = Vec::new();
        for k in contracts.into_iter().filter(|k| k.active) {
            let Some(a) = in_force(&list, k.signed_on) else {
                continue;
            };
            let ex: Vec<FeeExcess> = above_standard(k.fees, a.fees)
                .into_iter()
                .map(|(t, c, s)| FeeExcess {
                    building_type: t,
                    contract_fen: c,
                    standard_fen: s,
                    text: match who.lang {
                        anju_core::Lang::Zh => format!(
                            "{} {}，高于核定标准 {}",
                            anju_core::renovation::building_type_label(t, who.lang),
                            per_sqm_month(c),
                            per_sqm_month(s)
                        ),
                        anju_core::Lang::En => format!(
                            "{} {}, above the approved {}",
                            anju_core::renovation::building_type_label(t, who.lang),
                            per_sqm_month(c),
                            per_sqm_month(s)
                        ),
                    },
                })
                .collect();
            if ex.is_empty() {
                continue;
            }
            let doc_no = standards
                .iter()
                .find(|s| s.id == a.id)
                .map(|s| s.doc_no.clone())
                .unwrap_or_default();
            above.push(FeeCheck {
                contract_id: k.id,
                company: k.company,
                signed_on: k.signed_on,
                standard_id: a.id,
                doc_no,
                above: ex,
            });
        }
        Ok(FeeStandards {
            in_force_id: in_force(&list, self.today()).map(|a| a.id),
            standards,
            above,
            may_write: can(who.role, Action::SetFeeStandards),
        })
    }

    /// Records a fee standard 发改 approved, for a compound in scope.
    pub async fn add_fee_standard(
        &self,
        who: &Principal,
        f: FeeStandardInput,
    ) -> Result<FeeStandardRecord> {
        who.require(Action::SetFeeStandards)?;
        self.compound_in_scope(who, f.compound_id).await?;
        if f.fees.multi.is_none() && f.fees.high.is_none() {
            return Err(AppError::field(
                "fees",
                "核定标准",
                "请至少填写多层或高层的核定标准",
                "give the standard for multi-storey or high-rise buildings",
            ));
        }
        let multi = f
            .fees
            .multi
            .map(|v| check::money(Field::new("fees.multi", "多层核定标准"), v))
            .transpose()?;
        let high = f
            .fees
            .high
            .map(|v| check::money(Field::new("fees.high", "高层核定标准"), v))
            .transpose()?;
        let doc_no = check::text(Field::new("doc_no", "核定文号"), &f.doc_no, NAME_MAX, false)?;
        let department = check::text(
            Field::new("department", "核定部门"),
            &f.department,
            NAME_MAX,
            false,
        )?;
        let approved_on = EventDate::FeeApproved.check(f.approved_on, self.today())?;
        let note = check::opt_text(
            Field::new("note", "备注"),
            f.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        Ok(self
            .store()
            .add_fee_standard(
                &who.actor(),
                NewFeeStandard {
                    compound_id: f.compound_id.get(),
                    fees: Fees { multi, high },
                    doc_no,
                    approved_on,
                    department,
                    note,
                },
            )
            .await?)
    }
}
