//! The path to coverage: a compound's steps, and its contract signed, filed (备案) and
//! terminated, with the dismissal survey before a dismissal.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope, outside};
use anju_core::access::Action;
use anju_core::contract::{DismissalSurvey, Fees, ServiceLevel, SurveyError, Term};
use anju_core::lifecycle::Signer;
use anju_core::lifecycle::{Event, ExitKind};
use anju_core::{Area, Fen};
use anju_core::{CompanyId, CompoundId, ContractId, StepId};
use anju_store::{
    ContractRecord, CorrectionRequest, DismissalProposal, Lifecycle, NewContract, StepRequest,
};
use jiff::civil::Date;

/// The service level a contract takes when none is given: 二级, the minimum Yantai 三(三) and
/// Liaocheng 二(二) set.
pub const DEFAULT_SERVICE_LEVEL: ServiceLevel = ServiceLevel::TWO;
/// The lowest level the policy allows when none is given (二级).
pub const DEFAULT_MIN_LEVEL: Option<ServiceLevel> = Some(ServiceLevel::TWO);
/// The fees a contract takes where a rate is not given: Liaocheng 2021 (多层 0.50, 高层 0.90).
pub const DEFAULT_FEES: Fees = Fees::LIAOCHENG_2021;

/// A contract as the signer gives it; what is left out takes the defaults above, and the
/// served area defaults to the sum of the compounds' areas in the ledger.
/// One line of the contract register (合同登记簿): the contract and the compounds it serves,
/// by id and name.
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    pub contract: ContractRecord,
    pub compounds: Vec<(i64, String)>,
}

#[derive(Debug, Clone)]
pub struct ContractInput {
    pub compound_ids: Vec<CompoundId>,
    pub company_id: CompanyId,
    pub signer: Signer,
    pub signer_name: Option<String>,
    /// 签订日期: today when `None`.
    pub signed_on: Option<Date>,
    pub entry_on: Option<Date>,
    pub term: Term,
    pub service_level: Option<ServiceLevel>,
    /// `Some(None)`: no minimum; `None`: [`DEFAULT_MIN_LEVEL`].
    pub min_level: Option<Option<ServiceLevel>>,
    pub fee_multi: Option<Fen>,
    pub fee_high: Option<Fen>,
    pub served_area: Option<Area>,
    pub notice_on: Option<Date>,
}

/// A contract to sign, every term stated (a contract as a person gives it, with defaults for
/// what is left out, becomes this).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = NewContract)]
pub struct ContractTerms {
    /// The compound(s) it serves (one project: one company).
    pub compound_ids: Vec<CompoundId>,
    pub company_id: CompanyId,
    pub signer: Signer,
    /// The body or office that signed, as written (e.g. "供销社家属院业主委员会").
    pub signer_name: Option<String>,
    pub signed_on: Date,
    /// 进场日期; the term starts here when given (else on the signing date).
    pub entry_on: Option<Date>,
    pub term: Term,
    pub service_level: ServiceLevel,
    /// The lowest level the policy allows (Yantai, Liaocheng: 二级); `None`: no minimum.
    pub min_level: Option<ServiceLevel>,
    pub fees: Fees,
    pub served_area: Area,
    /// 公示 of services and fees.
    pub notice_on: Option<Date>,
}

/// One step of a compound's path, as a person asks for it.
#[derive(Debug, Clone)]
pub struct AdvanceInput {
    /// The version of the compound's path the form was made from.
    pub version: i64,
    pub step: Event,
    pub on: Date,
    pub note: Option<String>,
    /// SHA-256 of evidence already stored.
    pub evidence: Vec<String>,
}

/// A correction (更正) of one recorded step, as a person asks for it.
#[derive(Debug, Clone)]
pub struct CorrectionInput {
    /// The version of the compound's path the form was made from.
    pub version: i64,
    /// The day the step really happened; `None`: it did not happen (撤销).
    pub on: Option<Date>,
    /// Why (required; kept with the correction and in the audit log).
    pub reason: String,
}

impl App {
    /// Corrects a recorded step of a compound's path (更正): re-dates it or voids it, with a
    /// reason; the step stays visible, superseded, and what follows is recomputed by the store
    /// (`Store::correct_step`). Refused: a role without [`Action::CorrectSteps`], a compound
    /// outside the principal's scope, no reason, a new date after today, a step of another
    /// compound or already superseded, a stale version, and a path the rules no longer accept.
    pub async fn correct_step(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        step_id: StepId,
        input: CorrectionInput,
    ) -> Result<Lifecycle> {
        who.require(Action::CorrectSteps)?;
        self.compound_in_scope(who, compound_id).await?;
        let reason = check::text(
            Field::new("reason", "更正原因"),
            &input.reason,
            NOTE_MAX,
            true,
        )?;
        let on = match input.on {
            Some(d) => Some(EventDate::Step.check_as("on", "更正后的日期", d, self.today())?),
            None => None,
        };
        let lc = self.store().lifecycle(compound_id.get()).await?;
        let Some(step) = lc.steps.iter().find(|s| s.id == step_id.get()) else {
            return Err(AppError::Store(anju_store::StoreError::NotFound {
                entity: "step",
                id: step_id.get(),
            }));
        };
        if let Some(x) = &step.correction {
            return Err(AppError::field(
                "step",
                "步骤",
                match x.replaced_by {
                    Some(r) => format!(
                        "编号 {step_id} 的步骤已被更正（现为记录编号 {r}），请更正编号 {r} 的记录"
                    ),
                    None => format!("编号 {step_id} 的步骤已撤销，不能再更正"),
                },
                match x.replaced_by {
                    Some(r) => format!("step {step_id} was already corrected: correct record {r}"),
                    None => format!("step {step_id} was already voided"),
                },
            ));
        }
        // The store's refusals (a date the path no longer accepts, a step that cannot be
        // voided) concern the date asked for, or the voiding: the field is named.
        self.store()
            .correct_step(
                &who.actor(),
                compound_id.get(),
                step_id.get(),
                input.version,
                &CorrectionRequest { on, reason },
            )
            .await
            .map_err(|e| match e {
                anju_store::StoreError::Refused { zh, en } => {
                    let (key, label) = if on.is_some() {
                        ("on", "更正后的日期")
                    } else {
                        ("void", "撤销")
                    };
                    AppError::field(key, label, zh, en)
                }
                e => AppError::Store(e),
            })
    }

    /// Records one step of a compound's path (调查摸底 → … → 在管服务), dated, with its evidence.
    pub async fn advance(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        input: AdvanceInput,
    ) -> Result<Lifecycle> {
        who.require(Action::AdvanceLifecycle)?;
        self.compound_in_scope(who, compound_id).await?;
        let on = EventDate::Step.check(input.on, self.today())?;
        let note = check::opt_text(
            Field::new("note", "说明"),
            input.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        for sha in &input.evidence {
            if self.store().get_evidence(sha).await?.is_none() {
                return Err(AppError::field(
                    "evidence",
                    "证明材料",
                    format!("找不到文件 {sha}，请先上传"),
                    format!("no file {sha}, upload it first"),
                ));
            }
        }
        if let Event::SelectCompany { company_id } = input.step {
            // A company on file and not archived (归档): the one list every adapter offers.
            let known = match self.store().get_company(company_id).await {
                Ok(co) => !co.archived,
                Err(anju_store::StoreError::NotFound { .. }) => false,
                Err(e) => return Err(e.into()),
            };
            if !known {
                return Err(AppError::field(
                    "company",
                    "物业企业",
                    format!("编号 {company_id} 的企业不在企业名录中（或已归档），请从名录中选择"),
                    format!(
                        "company {company_id} is not on file (or archived): choose one on file"
                    ),
                ));
            }
        }
        let req = StepRequest {
            event: input.step,
            on,
            note,
            evidence: input.evidence,
        };
        Ok(self
            .store()
            .advance(&who.actor(), compound_id.get(), input.version, &req)
            .await?)
    }

    /// The contract, refused unless one of its compounds lies in the principal's scope (a
    /// company: its own contracts only).
    pub async fn contract_in_scope(
        &self,
        who: &Principal,
        id: ContractId,
    ) -> Result<ContractRecord> {
        let k = self.store().get_contract(id.get()).await?;
        let visible = match who.scope() {
            Scope::All => true,
            Scope::Nothing => false,
            Scope::Company(own) => k.company_id == own,
            Scope::Compound(own) => k.compound_ids.contains(&own),
            Scope::Region(_) => {
                let mut any = false;
                for c in &k.compound_ids {
                    let c = self.store().get_compound(*c).await?;
                    if who.can_see(self.store(), &c).await? {
                        any = true;
                        break;
                    }
                }
                any
            }
        };
        if visible {
            Ok(k)
        } else {
            Err(outside("合同", "contract", id))
        }
    }

    /// Signs a contract for one or more compounds (one project, one company).
    pub async fn sign_contract(&self, who: &Principal, c: ContractTerms) -> Result<ContractRecord> {
        who.require(Action::ManageContracts)?;
        if c.compound_ids.is_empty() {
            return Err(AppError::field(
                "compound_ids",
                "服务小区",
                "至少选择一个小区",
                "at least one compound",
            ));
        }
        for id in &c.compound_ids {
            self.compound_in_scope(who, *id).await?;
        }
        self.store().get_company(c.company_id.get()).await?;
        let today = self.today();
        EventDate::Signing.check(c.signed_on, today)?;
        if let Some(d) = c.entry_on {
            EventDate::Entry.check(d, today)?;
        }
        if let Some(d) = c.notice_on {
            EventDate::Notice.check(d, today)?;
        }
        check::positive(
            Field::new("term", "合同期限（月）"),
            i64::from(c.term.months),
        )?;
        if let Some(f) = c.fees.multi {
            check::money(Field::new("fees.multi", "多层物业费标准"), f)?;
        }
        if let Some(f) = c.fees.high {
            check::money(Field::new("fees.high", "高层物业费标准"), f)?;
        }
        check::area(Field::new("served_area", "服务面积"), c.served_area)?;
        // ServiceLevel is transparent over a number: a body can carry any u8.
        check::within(
            Field::new("service_level", "服务等级"),
            i64::from(c.service_level.number()),
            1,
            5,
        )?;
        if let Some(m) = c.min_level {
            check::within(
                Field::new("min_level", "最低服务等级"),
                i64::from(m.number()),
                1,
                5,
            )?;
        }
        let signer_name = check::opt_text(
            Field::new("signer_name", "签约主体名称"),
            c.signer_name.as_deref(),
            NAME_MAX,
            false,
        )?;
        let c = NewContract {
            compound_ids: c.compound_ids.iter().map(|id| id.get()).collect(),
            company_id: c.company_id.get(),
            signer: c.signer,
            signer_name,
            signed_on: c.signed_on,
            entry_on: c.entry_on,
            term: c.term,
            service_level: c.service_level,
            min_level: c.min_level,
            fees: c.fees,
            served_area: c.served_area,
            notice_on: c.notice_on,
        };
        Ok(self.store().sign_contract(&who.actor(), &c).await?)
    }

    /// Signs a contract, filling what the signer left out with the defaults (levels 二级,
    /// Liaocheng 2021 fees, the compounds' area) before [`App::sign_contract`]'s checks.
    pub async fn sign_contract_with_defaults(
        &self,
        who: &Principal,
        c: ContractInput,
    ) -> Result<ContractRecord> {
        who.require(Action::ManageContracts)?;
        let served_area = match c.served_area {
            Some(a) => a,
            None => {
                let mut sum = Area::ZERO;
                for id in &c.compound_ids {
                    let k = self.compound_in_scope(who, *id).await?;
                    sum += k.compound.area.unwrap_or(Area::ZERO);
                }
                sum
            }
        };
        let new = ContractTerms {
            compound_ids: c.compound_ids,
            company_id: c.company_id,
            signer: c.signer,
            signer_name: c.signer_name,
            signed_on: c.signed_on.unwrap_or_else(|| self.today()),
            entry_on: c.entry_on,
            term: c.term,
            service_level: c.service_level.unwrap_or(DEFAULT_SERVICE_LEVEL),
            min_level: c.min_level.unwrap_or(DEFAULT_MIN_LEVEL),
            fees: Fees {
                multi: c.fee_multi.or(DEFAULT_FEES.multi),
                high: c.fee_high.or(DEFAULT_FEES.high),
            },
            served_area,
            notice_on: c.notice_on,
        };
        self.sign_contract(who, new).await
    }

    /// Files the contract (备案) on the day it was filed.
    pub async fn file_contract(
        &self,
        who: &Principal,
        id: ContractId,
        version: i64,
        on: Date,
    ) -> Result<ContractRecord> {
        who.require(Action::ManageContracts)?;
        self.contract_in_scope(who, id).await?;
        let on = EventDate::Filing.check(on, self.today())?;
        Ok(self
            .store()
            .file_contract(&who.actor(), id.get(), version, on)
            .await?)
    }

    /// Ends the contract (解聘、期满、退出) with its reason.
    pub async fn terminate_contract(
        &self,
        who: &Principal,
        id: ContractId,
        version: i64,
        kind: ExitKind,
        reason: &str,
        on: Date,
    ) -> Result<ContractRecord> {
        who.require(Action::ManageContracts)?;
        self.contract_in_scope(who, id).await?;
        let reason = check::text(Field::new("reason", "终止原因"), reason, NOTE_MAX, true)?;
        let on = EventDate::Termination.check(on, self.today())?;
        Ok(self
            .store()
            .terminate_contract(&who.actor(), id.get(), version, kind, &reason, on)
            .await?)
    }

    /// The owners' dismissal surveys recorded against a contract, as the store keeps them.
    pub async fn dismissal_proposals(
        &self,
        who: &Principal,
        contract_id: ContractId,
    ) -> Result<Vec<DismissalProposal>> {
        who.require(Action::ViewLedger)?;
        self.contract_in_scope(who, contract_id).await?;
        Ok(self.store().dismissal_proposals(contract_id.get()).await?)
    }

    /// Records the owners' satisfaction survey that may raise a dismissal (解聘提议).
    pub async fn record_dismissal_survey(
        &self,
        who: &Principal,
        contract_id: ContractId,
        on: Date,
        survey: DismissalSurvey,
        note: Option<&str>,
    ) -> Result<DismissalProposal> {
        who.require(Action::ManageContracts)?;
        self.contract_in_scope(who, contract_id).await?;
        let on = EventDate::DismissalSurvey.check(on, self.today())?;
        // Its fields are public: the counts are checked again here, each refusal named.
        let survey = DismissalSurvey::new(survey.owners, survey.respondents, survey.dissatisfied)
            .map_err(|e| {
            let (key, zh) = match e {
                SurveyError::NoOwners => ("owners", "业主总数"),
                SurveyError::MoreDissatisfiedThanRespondents { .. } => {
                    ("dissatisfied", "不满意人数")
                }
                SurveyError::MoreRespondentsThanOwners { .. } => ("respondents", "参与调查人数"),
            };
            Field::new(key, zh).error(&e, "the survey's counts do not add up")
        })?;
        let note = check::opt_text(Field::new("note", "说明"), note, NOTE_MAX, true)?;
        Ok(self
            .store()
            .record_dismissal_survey(&who.actor(), contract_id.get(), on, survey, note.as_deref())
            .await?)
    }
}

impl App {
    /// A compound's path: its stage, version and dated steps, in scope.
    pub async fn lifecycle(&self, who: &Principal, compound_id: CompoundId) -> Result<Lifecycle> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store().lifecycle(compound_id.get()).await?)
    }

    /// The contracts of one compound in scope; without one, every contract, which only a
    /// city-wide principal may list (a narrower one names the compound).
    pub async fn contracts(
        &self,
        who: &Principal,
        compound_id: Option<CompoundId>,
    ) -> Result<Vec<ContractRecord>> {
        who.require(Action::ViewLedger)?;
        match compound_id {
            Some(id) => {
                self.compound_in_scope(who, id).await?;
            }
            None if matches!(who.scope(), Scope::All) => {}
            None => {
                return Err(AppError::field(
                    "compound",
                    "小区",
                    "请指明您管辖范围内的小区",
                    "name a compound within your area",
                ));
            }
        }
        Ok(match (compound_id, who.scope()) {
            // A company sees its own contracts of the compound only (a condition of the query).
            (Some(id), Scope::Company(own)) => {
                self.store().list_contracts_of(id.get(), Some(own)).await?
            }
            (Some(id), _) => self.store().list_contracts_of(id.get(), None).await?,
            (None, _) => self.store().list_contracts(None).await?,
        })
    }

    /// Every compound's stage, of one street (all, without one): the compounds stuck on the
    /// path. A principal short of the whole city names a street of its area.
    pub async fn stage_overview(
        &self,
        who: &Principal,
        street: Option<&str>,
    ) -> Result<Vec<anju_store::StageRow>> {
        self.require_named_area(who, street, None).await?;
        Ok(self.store().stage_overview(street).await?)
    }
}

impl App {
    /// Every contract in the principal's area (city-wide: all) signed by `day`, or only those
    /// in force on `day` whose filing (备案) was late or missing as of that day.
    ///
    /// The area is a condition of the query: a street's officer gets the contracts serving its
    /// compounds (archived ones too: the register is history), a company its own contracts.
    pub async fn contract_register(
        &self,
        who: &Principal,
        day: Date,
        overdue_only: bool,
    ) -> Result<Vec<RegisterEntry>> {
        who.require(Action::ViewLedger)?;
        let (filter, own) = match who.scope() {
            Scope::Company(c) => (
                anju_store::CompoundFilter {
                    include_archived: true,
                    ..Default::default()
                },
                Some(c),
            ),
            _ => (
                who.scoped(anju_store::CompoundFilter {
                    include_archived: true,
                    ..Default::default()
                }),
                None,
            ),
        };
        let mut list = self.store().contracts_in(&filter, own).await?;
        list.retain(|k| k.signed_on <= day && (!overdue_only || k.overdue_on(day)));
        let mut ids: Vec<i64> = list.iter().flat_map(|k| k.compound_ids.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        let names = self.store().compound_names(&ids).await?;
        Ok(list
            .into_iter()
            .map(|k| RegisterEntry {
                compounds: k
                    .compound_ids
                    .iter()
                    .map(|id| (*id, names.get(id).cloned().unwrap_or_default()))
                    .collect(),
                contract: k,
            })
            .collect())
    }

    /// The owners a dismissal survey counts when none are given: the households of the
    /// contract's compounds in the ledger (an owners' body's: of its own compound only).
    pub async fn contract_households(&self, who: &Principal, id: ContractId) -> Result<u32> {
        let k = self.contract_in_scope(who, id).await?;
        let mut n = 0u32;
        let counted = k.compound_ids.iter().filter(|c| match who.scope() {
            Scope::Compound(own) => **c == own,
            _ => true,
        });
        for c in counted {
            n += self
                .store()
                .get_compound(*c)
                .await?
                .compound
                .households
                .unwrap_or(0);
        }
        Ok(n)
    }
}
