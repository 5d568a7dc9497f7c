//! Money: subsidy runs, a line's path (申报, then the policy's own chain of reviews, approval
//! and payment: `anju_core::funding::Chain`, named in each policy file), infrastructure grants,
//! fee collection and the public accounts. Who may take which step is decided here.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::{self, EventDate};
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::Fen;
use anju_core::Lang;
use anju_core::access::{Action as Perm, Role};
use anju_core::accounts::EntryKind;
use anju_core::funding::{Action, Chain, LineStatus, Next, RunPeriod};
use anju_core::{CompoundId, LineId, RunId};
use anju_store::{
    AccountEntry, FeeImportSummary, FeeInput, FeeMonth, HouseholdFeeInput, HouseholdImportSummary,
    LineFilter, NewAccountEntry, Region, RunResult, SubsidyLine,
};
use jiff::civil::Date;

/// The steps the role may take now on a line in `status` whose last step was `last`, on the
/// policy's chain (who reviews, approves and pays is the policy's: issue 15 item 5), in order.
pub fn offered(role: Role, chain: &Chain, status: LineStatus, last: Option<Action>) -> Vec<Action> {
    let mut out = Vec::new();
    match chain.next(status, last) {
        Some(Next::Apply) if matches!(role, Role::Company | Role::Admin) => out.push(Action::Apply),
        Some(Next::Step(s)) if s.taken_by(role) => {
            out.push(s.action);
            if chain.may_return(status, last).is_some() {
                out.push(Action::Return);
            }
        }
        _ => {}
    }
    out
}

/// The chain a line walks: its policy's (`[[approval]]`, else Anju's standard chain), unless
/// the line is part-way along a path that chain does not have (`Chain::for_line`).
pub fn line_chain(line: &SubsidyLine, last: Option<Action>) -> Chain {
    anju_policy::shipped::approval_chain(line.policy_id.as_deref()).for_line(line.status, last)
}

/// The last step of the money's path among a line's recorded steps.
pub fn last_of(steps: &[anju_store::SubsidyStep]) -> Option<Action> {
    steps
        .iter()
        .rev()
        .find_map(|s| Action::from_code(&s.action))
}

/// The chain in words, the step the line waits for marked: "申报 → 街道（园区）审核 → …".
pub fn chain_text(chain: &Chain, status: LineStatus, last: Option<Action>, lang: Lang) -> String {
    let waiting = chain.next(status, last);
    let mut parts = vec![match waiting {
        Some(Next::Apply) => format!("【{}】", Action::Apply.label(lang)),
        _ => Action::Apply.label(lang).to_string(),
    }];
    for s in &chain.steps {
        let words = match lang {
            Lang::Zh => format!("{}{}", s.by_zh, s.action.label(lang)),
            Lang::En => format!("{} ({})", s.action.label(lang), s.by_en),
        };
        parts.push(match waiting {
            Some(Next::Step(w)) if w.action == s.action => format!("【{words}】"),
            _ => words,
        });
    }
    let mut out = parts.join(" → ");
    if !chain.named {
        out.push_str(lang.pick(
            "（政策文件未规定审批流程，按安居默认流程）",
            " (the policy file names no chain: Anju's standard one)",
        ));
    }
    out
}

/// Whether the role may start a subsidy run (测算): the roles on the money's path.
pub fn may_run(role: Role) -> bool {
    anju_core::funding::on_money_path(role)
}

/// One step on a subsidy line, as a person asks for it.
#[derive(Debug, Clone)]
pub struct LineStepInput {
    pub version: i64,
    pub action: Action,
    /// 经办人 as written; the principal's name when blank.
    pub person: Option<String>,
    pub on: Date,
    pub comment: Option<String>,
}

/// An infrastructure grant (基础设施补助), as a person asks for it.
#[derive(Debug, Clone)]
pub struct GrantInput {
    pub compound_id: i64,
    /// What the company itself invested in the compound's facilities (企业投入).
    pub investment: Fen,
    /// The share of it granted (补助比例, 1–100 %).
    pub share_percent: u32,
    pub on: Date,
    pub payer: Option<String>,
    pub note: Option<String>,
}

impl App {
    /// The lines filter narrowed to the principal's area (a condition of the query).
    pub fn scoped_lines(&self, who: &Principal, mut f: LineFilter) -> LineFilter {
        match who.scope() {
            Scope::All => {}
            Scope::Region(r) => f.region_id = Some(r),
            Scope::Company(c) => f.company_id = Some(c),
            // Another compound asked for by an owners' body: nothing (a condition, not a filter
            // of what came back).
            Scope::Compound(c) if f.compound_id.is_some_and(|x| x != c) => f.nothing = true,
            Scope::Compound(c) => f.compound_id = Some(c),
            Scope::Nothing => f.nothing = true,
        }
        f
    }

    /// Whether `region` lies within the principal's area (their own region or below it).
    pub async fn region_in_scope(&self, who: &Principal, region: &Region) -> Result<bool> {
        self.region_id_in_scope(who, region.id).await
    }

    /// Whether the region with this id lies within the principal's area.
    async fn region_id_in_scope(&self, who: &Principal, region: i64) -> Result<bool> {
        Ok(match who.scope() {
            Scope::All => true,
            Scope::Region(r) => region == r || self.store().region_within(region, r).await?,
            Scope::Company(_) | Scope::Compound(_) | Scope::Nothing => false,
        })
    }

    /// A line the principal may see.
    pub async fn line_in_scope(&self, who: &Principal, id: LineId) -> Result<SubsidyLine> {
        who.require(Perm::ViewLedger)?;
        let line = self.store().get_subsidy_line(id.get()).await?;
        let c = self.store().get_compound(line.compound_id).await?;
        who.require_compound(self.store(), &c).await?;
        Ok(line)
    }

    /// Computes one line per compound of `region` for `period`; a calendar period that has not
    /// begun yet cannot be run.
    pub async fn run_subsidies(
        &self,
        who: &Principal,
        region: &Region,
        period: RunPeriod,
    ) -> Result<RunResult> {
        if !may_run(who.role) {
            return Err(AppError::forbidden(
                format!("“{}”角色无权发起补贴测算", who.role.zh()),
                format!("the role '{}' may not start a subsidy run", who.role.en()),
            ));
        }
        if !self.region_in_scope(who, region).await? {
            return Err(AppError::forbidden(
                format!("“{}”不在您的管辖范围内", region.name),
                format!("'{}' is outside your area", region.name),
            ));
        }
        if let RunPeriod::Calendar(p) = &period {
            let today = self.today();
            if p.start > today {
                return Err(AppError::field(
                    "period",
                    "期间",
                    format!(
                        "{} 始于 {}，晚于今天（{today}），尚未开始的期间不能测算",
                        p.code(),
                        p.start
                    ),
                    format!("{} begins on {}, after today ({today})", p.code(), p.start),
                ));
            }
        }
        Ok(self
            .store()
            .run_subsidies(&who.actor(), region.id, period)
            .await?)
    }

    /// One step on a subsidy line: area, role, turn, the company's own line, the date.
    pub async fn subsidy_step(
        &self,
        who: &Principal,
        line_id: LineId,
        input: LineStepInput,
    ) -> Result<SubsidyLine> {
        let line = self.line_in_scope(who, line_id).await?;
        // The policy's chain names who takes each step; a step the chain does not have, or
        // one out of turn, is refused by the store in the same words as any wrong turn.
        let last = self.last_step(line_id).await?;
        let chain = line_chain(&line, last);
        chain
            .may_take(who.role, line.status, last, input.action)
            .map_err(|e| AppError::forbidden(e.zh, e.en))?;
        if who.role == Role::Company && line.company_id != who.company_id {
            return Err(AppError::forbidden(
                format!("小区“{}”不是本企业服务的小区，不能代为申报", line.compound),
                format!(
                    "'{}' is not served by your company: you cannot apply for it",
                    line.compound
                ),
            ));
        }
        let on = EventDate::Payment.check(input.on, self.today())?;
        let comment = check::opt_text(
            Field::new("comment", "意见"),
            input.comment.as_deref(),
            NOTE_MAX,
            true,
        )?;
        if input.action == Action::Return && comment.is_none() {
            return Err(AppError::field(
                "comment",
                "意见",
                "退回修改须写明原因",
                "say why the line is returned",
            ));
        }
        let person = check::opt_text(
            Field::new("person", "经办人"),
            input.person.as_deref(),
            NAME_MAX,
            false,
        )?
        .unwrap_or_else(|| who.name.clone());
        Ok(self
            .store()
            .subsidy_step(
                &who.actor(),
                who.role,
                line_id.get(),
                input.version,
                input.action,
                &person,
                on,
                comment.as_deref(),
            )
            .await?)
    }

    /// The last step taken on a line (of the money's path), when any.
    async fn last_step(&self, line_id: LineId) -> Result<Option<Action>> {
        Ok(last_of(&self.store().subsidy_steps(line_id.get()).await?))
    }

    /// Changes an approved amount (调整), with the reason, on the day it was decided.
    pub async fn adjust_subsidy(
        &self,
        who: &Principal,
        line_id: LineId,
        version: i64,
        amount: Fen,
        reason: &str,
        on: Date,
    ) -> Result<SubsidyLine> {
        who.require(Perm::ApproveSubsidies)?;
        self.line_in_scope(who, line_id).await?;
        check::money(Field::new("amount", "调整后金额"), amount)?;
        let reason = check::text(Field::new("reason", "调整原因"), reason, NOTE_MAX, true)?;
        let on = EventDate::Payment.check_as("on", "调整日期", on, self.today())?;
        Ok(self
            .store()
            .adjust_subsidy(&who.actor(), line_id.get(), version, amount, &reason, on)
            .await?)
    }

    /// An infrastructure grant to one compound, on the day it was granted.
    pub async fn grant_infrastructure(
        &self,
        who: &Principal,
        g: GrantInput,
    ) -> Result<SubsidyLine> {
        who.require(Perm::ReviewSubsidies)?;
        self.compound_in_scope(who, CompoundId(g.compound_id))
            .await?;
        check::positive_money(Field::new("investment", "企业投入金额"), g.investment)?;
        check::within(
            Field::new("share_percent", "补助比例"),
            i64::from(g.share_percent),
            1,
            100,
        )?;
        let on = EventDate::Grant.check(g.on, self.today())?;
        let payer = check::opt_text(
            Field::new("payer", "出资方"),
            g.payer.as_deref(),
            NAME_MAX,
            false,
        )?;
        let note = check::opt_text(
            Field::new("note", "说明"),
            g.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        Ok(self
            .store()
            .grant_infrastructure(
                &who.actor(),
                g.compound_id,
                g.investment,
                g.share_percent,
                on,
                payer.as_deref(),
                note.as_deref(),
            )
            .await?)
    }

    /// One compound month of fees (应收、实收), entered by hand.
    pub async fn set_fee_month(
        &self,
        who: &Principal,
        input: &FeeInput,
        expected_version: Option<i64>,
    ) -> Result<FeeMonth> {
        who.require(Perm::EnterFees)?;
        self.compound_in_scope(who, CompoundId(input.compound_id))
            .await?;
        self.check_fee(input.month, input.billed, input.collected)?;
        Ok(self
            .store()
            .set_fee_month(&who.actor(), input, expected_version)
            .await?)
    }

    /// A fee sheet as read from a file (`anju_sheets::read_fee_sheet`), all or nothing: its
    /// rows matched to the compounds of the principal's area ([`App::match_fee_sheet`]), then
    /// written as compound months, or as household rows summed into compound months when the
    /// sheet is per household. Any problem (an unknown compound, one outside the area, a future
    /// month, a negative amount) writes nothing and comes back with its row.
    pub async fn import_fee_sheet(
        &self,
        who: &Principal,
        rows: &[anju_sheets::FeeSheetRow],
    ) -> Result<std::result::Result<FeeSheetDone, Vec<(usize, String, String)>>> {
        let sheet = self.match_fee_sheet(who, rows).await?;
        if !sheet.problems.is_empty() {
            return Ok(Err(sheet.problems));
        }
        Ok(Ok(if sheet.households.is_empty() {
            FeeSheetDone::Months(self.import_fees(who, &sheet.months).await?)
        } else {
            FeeSheetDone::Households(self.import_household_fees(who, &sheet.households).await?)
        }))
    }

    /// Compound months, all or nothing: a compound outside the principal's area, a row in the
    /// future or with a negative amount refuses the whole list, naming the row.
    pub async fn import_fees(
        &self,
        who: &Principal,
        rows: &[FeeInput],
    ) -> Result<FeeImportSummary> {
        who.require(Perm::EnterFees)?;
        for (i, r) in rows.iter().enumerate() {
            self.check_fee(r.month, r.billed, r.collected)
                .map_err(|e| in_row(e, i + 2))?;
        }
        self.compounds_all_in_scope(who, rows.iter().map(|r| r.compound_id))
            .await?;
        Ok(self.store().import_fees(&who.actor(), rows).await?)
    }

    /// Refused unless every one of these compounds lies within the principal's area (each
    /// distinct compound checked once).
    async fn compounds_all_in_scope(
        &self,
        who: &Principal,
        ids: impl Iterator<Item = i64>,
    ) -> Result<()> {
        let ids: std::collections::BTreeSet<i64> = ids.collect();
        for id in ids {
            self.compound_in_scope(who, CompoundId(id)).await?;
        }
        Ok(())
    }

    /// A per-household fee sheet, all or nothing, as [`App::import_fees`].
    pub async fn import_household_fees(
        &self,
        who: &Principal,
        rows: &[HouseholdFeeInput],
    ) -> Result<HouseholdImportSummary> {
        who.require(Perm::EnterFees)?;
        for (i, r) in rows.iter().enumerate() {
            check::text(
                Field::new("household", "户号"),
                &r.household,
                NAME_MAX,
                false,
            )
            .and_then(|_| self.check_fee(r.month, r.billed, r.collected))
            .map_err(|e| in_row(e, i + 2))?;
        }
        self.compounds_all_in_scope(who, rows.iter().map(|r| r.compound_id))
            .await?;
        Ok(self
            .store()
            .import_household_fees(&who.actor(), rows)
            .await?)
    }

    /// The rules of one fee row: a month not after this one, amounts not negative.
    pub fn check_fee(
        &self,
        month: anju_core::fees::Month,
        billed: Fen,
        collected: Fen,
    ) -> Result<()> {
        dates::fee_month(month, self.today())?;
        check::money(Field::new("billed", "应收"), billed)?;
        check::money(Field::new("collected", "实收"), collected)?;
        Ok(())
    }

    /// One line of a compound's public accounts (收支公示).
    pub async fn add_account_entry(
        &self,
        who: &Principal,
        e: &NewAccountEntry,
    ) -> Result<AccountEntry> {
        who.require(Perm::EnterFees)?;
        self.compound_in_scope(who, CompoundId(e.compound_id))
            .await?;
        check::money(Field::new("amount", "金额"), e.amount)?;
        check::text(Field::new("period", "公示期间"), &e.period, 20, false)?;
        let category = check::opt_text(
            Field::new("category", "支出类别"),
            e.category.as_deref(),
            NAME_MAX,
            false,
        )?;
        if e.kind == EntryKind::Spending && category.is_none() {
            return Err(Field::new("category", "支出类别").error(
                "支出须注明类别（如 保洁、保安、维修）",
                "spending needs a category (cleaning, security, repairs …)",
            ));
        }
        let note = check::opt_text(
            Field::new("note", "说明"),
            e.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        let e = NewAccountEntry {
            category,
            note,
            ..e.clone()
        };
        Ok(self.store().add_account_entry(&who.actor(), &e).await?)
    }
}

/// A refusal of one row of a sheet: "第 N 行" before the message (rows as the sheet numbers
/// them: the header is row 1, the first record row 2).
fn in_row(e: AppError, row: usize) -> AppError {
    match e {
        AppError::Invalid(mut f) => {
            f.zh = format!("第 {row} 行：{}", f.zh);
            f.en = format!("row {row}: {}", f.en);
            AppError::Invalid(f)
        }
        other => other,
    }
}

impl App {
    /// The region of `level` named `name`, refused unless it lies within the principal's area.
    pub async fn region_named(
        &self,
        who: &Principal,
        level: anju_core::RegionLevel,
        name: &str,
    ) -> Result<Region> {
        let r = self.store().find_region(level, name).await?;
        if self.region_in_scope(who, &r).await? {
            Ok(r)
        } else {
            Err(crate::principal::outside("区域", "region", r.id))
        }
    }

    /// A subsidy run with its lines, refused unless its region lies in the principal's area.
    pub async fn subsidy_run(&self, who: &Principal, id: RunId) -> Result<anju_store::SubsidyRun> {
        who.require(Perm::ViewLedger)?;
        let run = self.store().get_subsidy_run(id.get()).await?;
        if self.region_id_in_scope(who, run.region_id).await? {
            Ok(run)
        } else {
            Err(crate::principal::outside("补贴核算", "subsidy run", id))
        }
    }

    /// The subsidy runs (补贴测算) of regions within the principal's area, newest first; a
    /// company sees none.
    pub async fn subsidy_runs(&self, who: &Principal) -> Result<Vec<anju_store::SubsidyRun>> {
        who.require(Perm::ViewLedger)?;
        Ok(self.store().list_subsidy_runs(who.scope()).await?)
    }

    /// Renders the explanations of lines read without them (a list shows only some).
    pub fn explain_lines(&self, lines: &mut [SubsidyLine]) -> Result<()> {
        Ok(self.store().explain_lines(lines)?)
    }

    /// A line's steps and adjustments, in order, for a line the principal may see.
    pub async fn line_history(
        &self,
        who: &Principal,
        id: LineId,
    ) -> Result<(
        SubsidyLine,
        Vec<anju_store::SubsidyStep>,
        Vec<anju_store::SubsidyAdjustment>,
    )> {
        let line = self.line_in_scope(who, id).await?;
        let steps = self.store().subsidy_steps(id.get()).await?;
        let adjustments = self.store().subsidy_adjustments(id.get()).await?;
        Ok((line, steps, adjustments))
    }

    /// A compound's fee months within `range` (all, without one).
    pub async fn fee_months(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        range: Option<anju_core::fees::MonthRange>,
    ) -> Result<Vec<FeeMonth>> {
        who.require(Perm::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store().fee_months(compound_id.get(), range).await?)
    }

    /// A compound's collection figures over `range` (billed, collected, rate).
    pub async fn collection(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        range: anju_core::fees::MonthRange,
    ) -> Result<anju_store::CollectionFigures> {
        who.require(Perm::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store().collection(compound_id.get(), range).await?)
    }

    /// The key of a compound's public accounts page, made on first use (an audited write).
    pub async fn compound_public_key(
        &self,
        who: &Principal,
        compound_id: CompoundId,
    ) -> Result<String> {
        who.require(Perm::EnterFees)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self
            .store()
            .compound_public_key(&who.actor(), compound_id.get())
            .await?)
    }
}

impl App {
    /// Subsidy lines `f` selects within the principal's area: a region asked for must lie in
    /// it (a condition of the query, never a filter over loaded lines).
    pub async fn subsidy_lines(&self, who: &Principal, f: LineFilter) -> Result<Vec<SubsidyLine>> {
        who.require(Perm::ViewLedger)?;
        let f = match (who.scope(), f.region_id) {
            (Scope::Region(r), Some(asked)) if asked != r => {
                if !self.store().region_within(asked, r).await? {
                    return Err(crate::principal::outside("区域", "region", asked));
                }
                f
            }
            _ => self.scoped_lines(who, f),
        };
        Ok(self.store().subsidy_lines(&f).await?)
    }

    /// The lines of a region and period for the subsidy application form (every current
    /// line), or for the disbursement list (批准 and 拨付 only: what is to be or was paid).
    pub async fn sheet_lines(
        &self,
        who: &Principal,
        region: &Region,
        period: RunPeriod,
        disbursement: bool,
    ) -> Result<Vec<SubsidyLine>> {
        let mut lines = self
            .subsidy_lines(
                who,
                LineFilter {
                    region_id: Some(region.id),
                    period: Some(period.code()),
                    ..Default::default()
                },
            )
            .await?;
        if disbursement {
            lines.retain(|l| matches!(l.status, LineStatus::Approved | LineStatus::Disbursed));
        }
        Ok(lines)
    }
}

/// What a fee sheet wrote ([`App::import_fee_sheet`]).
#[derive(Debug, Clone, PartialEq)]
pub enum FeeSheetDone {
    /// 小区月度合计.
    Months(FeeImportSummary),
    /// 按户明细, and the compound months summed from them.
    Households(HouseholdImportSummary),
}

/// What a fee sheet of `rows` rows wrote, in words: the CLI prints it, the import page shows it.
pub fn fee_sheet_done_text(done: &FeeSheetDone, rows: usize, lang: Lang) -> String {
    match (done, lang) {
        (FeeSheetDone::Months(s), Lang::Zh) => format!(
            "已导入 {rows} 行：新增 {}，更新 {}，未变 {}",
            s.inserted, s.updated, s.unchanged
        ),
        (FeeSheetDone::Months(s), Lang::En) => format!(
            "{rows} rows imported: {} new, {} updated, {} unchanged",
            s.inserted, s.updated, s.unchanged
        ),
        (FeeSheetDone::Households(s), Lang::Zh) => format!(
            "已导入按户明细 {rows} 行：新增 {}，更新 {}，未变 {}；据此汇总小区月度合计 {} 个（新增 {}，更新 {}，未变 {}）",
            s.households.inserted,
            s.households.updated,
            s.households.unchanged,
            s.months.inserted + s.months.updated + s.months.unchanged,
            s.months.inserted,
            s.months.updated,
            s.months.unchanged
        ),
        (FeeSheetDone::Households(s), Lang::En) => format!(
            "{rows} household rows imported: {} new, {} updated, {} unchanged; {} compound months summed from them ({} new, {} updated, {} unchanged)",
            s.households.inserted,
            s.households.updated,
            s.households.unchanged,
            s.months.inserted + s.months.updated + s.months.unchanged,
            s.months.inserted,
            s.months.updated,
            s.months.unchanged
        ),
    }
}

/// A fee sheet's rows matched to compounds: the compounds' monthly figures, the households'
/// (a per-household sheet), and every problem by row (both languages). Nothing is written.
#[derive(Debug, Clone, Default)]
pub struct FeeSheet {
    pub months: Vec<FeeInput>,
    pub households: Vec<HouseholdFeeInput>,
    /// (row, Chinese, English)
    pub problems: Vec<(usize, String, String)>,
}

impl App {
    /// Matches a fee sheet's rows to the compounds of the principal's area by exact name (and
    /// street when given; one query per distinct compound), checking each row's month and
    /// amounts. An unknown or ambiguous name is a problem of its row.
    pub async fn match_fee_sheet(
        &self,
        who: &Principal,
        rows: &[anju_sheets::FeeSheetRow],
    ) -> Result<FeeSheet> {
        who.require(Perm::EnterFees)?;
        let mut out = FeeSheet::default();
        let mut seen: std::collections::HashMap<(String, Option<String>), Vec<i64>> =
            Default::default();
        for r in rows {
            if let Err(e) = self.check_fee(r.month, r.billed, r.collected) {
                out.problems
                    .push((r.row, e.message(Lang::Zh), e.message(Lang::En)));
                continue;
            }
            let key = (r.compound.clone(), r.street.clone());
            let ids = match seen.get(&key) {
                Some(ids) => ids.clone(),
                None => {
                    let ids: Vec<i64> = self
                        .compounds(
                            who,
                            anju_store::CompoundFilter {
                                street: r.street.clone(),
                                search: Some(r.compound.clone()),
                                ..Default::default()
                            },
                        )
                        .await?
                        .into_iter()
                        .filter(|c| c.compound.name == r.compound)
                        .map(|c| c.id)
                        .collect();
                    seen.insert(key, ids.clone());
                    ids
                }
            };
            match ids.as_slice() {
                [one] => match &r.household {
                    Some(h) => out.households.push(HouseholdFeeInput {
                        compound_id: *one,
                        household: h.clone(),
                        month: r.month,
                        billed: r.billed,
                        collected: r.collected,
                    }),
                    None => out.months.push(FeeInput {
                        compound_id: *one,
                        month: r.month,
                        billed: r.billed,
                        collected: r.collected,
                    }),
                },
                [] => out.problems.push((
                    r.row,
                    format!("台账中没有小区“{}”", r.compound),
                    format!("no compound '{}' in the ledger", r.compound),
                )),
                _ => out.problems.push((
                    r.row,
                    format!("小区“{}”重名，请填写所属街道", r.compound),
                    format!("several compounds named '{}': give the street", r.compound),
                )),
            }
        }
        Ok(out)
    }

    /// A compound's households' fees of `range` (only those in arrears when `arrears_only`).
    pub async fn household_fees(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        range: Option<anju_core::fees::MonthRange>,
        arrears_only: bool,
    ) -> Result<Vec<anju_store::HouseholdFee>> {
        who.require(Perm::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        let mut list = self
            .store()
            .household_fees(compound_id.get(), range)
            .await?;
        if arrears_only {
            list.retain(|h| h.arrears().0 > 0);
        }
        Ok(list)
    }

    /// A compound's public accounts (收支公示) of `period`; the owners' share defaults to
    /// [`crate::Config::owners_share`].
    pub async fn account_statement(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        period: &str,
        owners_share: Option<rust_decimal::Decimal>,
    ) -> Result<anju_store::AccountStatement> {
        who.require(Perm::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        let share = owners_share.unwrap_or_else(|| self.config.owners_share());
        Ok(self
            .store()
            .account_statement(compound_id.get(), period, share)
            .await?)
    }
}

impl App {
    /// The owners' body's share of fee income agreed for a compound, when one is recorded
    /// (else the configured default stands in, [`crate::Config::owners_share`]).
    pub async fn owners_share(
        &self,
        who: &Principal,
        compound_id: CompoundId,
    ) -> Result<Option<anju_store::OwnersShareRecord>> {
        who.require(Perm::ViewLedger)?;
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store().owners_share_of(compound_id.get()).await?)
    }

    /// The city's payments to third-party evaluators (第三方评价机构活动经费), newest first, and
    /// the evaluators commissioned (for the form): for those who keep or audit the budget.
    pub async fn evaluator_fees(
        &self,
        who: &Principal,
    ) -> Result<(Vec<anju_store::EvaluatorFee>, Vec<String>)> {
        who.require(Perm::ProjectBudget)?;
        Ok((
            self.store().evaluator_fees().await?,
            self.store().evaluators().await?,
        ))
    }

    /// Records what the city paid an evaluator for a period's evaluations (seed 001 三（四）
    /// "第三方评价机构活动经费由市级财政负担"): finance records it, on a day that has come, for an
    /// evaluator commissioned for some compound.
    pub async fn record_evaluator_fee(
        &self,
        who: &Principal,
        new: anju_store::NewEvaluatorFee,
    ) -> Result<anju_store::EvaluatorFee> {
        who.require(Perm::Disburse)?;
        let evaluator = check::text(
            Field::new("evaluator", "测评机构"),
            &new.evaluator,
            NAME_MAX,
            false,
        )?;
        let period = anju_core::assessment::Period::parse(new.period.trim()).ok_or_else(|| {
            Field::new("period", "经费所属期间").error(
                format!("“{}”不认识（如 2023、2023H1、2023Q3）", new.period.trim()),
                format!(
                    "'{}' is not a period (e.g. 2023, 2023H1, 2023Q3)",
                    new.period.trim()
                ),
            )
        })?;
        let amount = check::positive_money(Field::new("amount", "金额"), new.amount)?;
        let paid_on =
            EventDate::Payment.check_as("paid_on", "拨付日期", new.paid_on, self.today())?;
        let payer = check::opt_text(
            Field::new("payer", "出资方"),
            Some(&new.payer),
            NAME_MAX,
            false,
        )?
        .unwrap_or_else(|| "市级财政".to_string());
        let note = check::opt_text(
            Field::new("note", "说明"),
            new.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        Ok(self
            .store()
            .record_evaluator_fee(
                &who.actor(),
                &anju_store::NewEvaluatorFee {
                    evaluator,
                    period: period.code(),
                    amount,
                    paid_on,
                    payer,
                    note,
                },
            )
            .await?)
    }

    /// Records the share of fee income agreed for a compound's owners' body (seed 004 三（一）:
    /// 6–10 %, both included), agreed on a day that has come; the street or community that
    /// keeps the ledger records it.
    pub async fn set_owners_share(
        &self,
        who: &Principal,
        compound_id: CompoundId,
        percent: rust_decimal::Decimal,
        agreed_on: Date,
        note: Option<&str>,
    ) -> Result<anju_store::OwnersShareRecord> {
        who.require(Perm::EditCompounds)?;
        self.compound_in_scope(who, compound_id).await?;
        if percent < rust_decimal::Decimal::from(6) || percent > rust_decimal::Decimal::TEN {
            return Err(Field::new("percent", "分成比例").error(
                format!(
                    "{}% 不在 6% 至 10% 之间（含 6% 和 10%）",
                    percent.normalize()
                ),
                format!(
                    "{} % is not within 6–10 % (both included)",
                    percent.normalize()
                ),
            ));
        }
        let agreed_on =
            EventDate::Step.check_as("agreed_on", "约定日期", agreed_on, self.today())?;
        let note = check::opt_text(Field::new("note", "说明"), note, NOTE_MAX, true)?;
        Ok(self
            .store()
            .set_owners_share(&who.actor(), compound_id.get(), percent, agreed_on, note)
            .await?)
    }

    /// One month's fee figures entered by hand (登记物业费收缴): a month already entered is
    /// replaced only when the user says so (`replace`), and the refusal repeats what is there,
    /// so that a typo in the month never silently overwrites another month's figures.
    pub async fn enter_fee_month(
        &self,
        who: &Principal,
        input: &FeeInput,
        replace: bool,
    ) -> Result<FeeMonth> {
        who.require(Perm::EnterFees)?;
        let compound = CompoundId(input.compound_id);
        self.compound_in_scope(who, compound).await?;
        self.check_fee(input.month, input.billed, input.collected)?;
        let existing = self
            .store()
            .fee_months(input.compound_id, None)
            .await?
            .into_iter()
            .find(|m| m.month == input.month);
        let expected = match existing {
            Some(m) if !replace => {
                return Err(Field::new("month", "月份").error(
                    format!(
                        "{} 已登记（应收 {}，实收 {}）；要改成新的数字，请勾选“替换已登记的该月数字”",
                        m.month,
                        m.billed.display_yuan(),
                        m.collected.display_yuan()
                    ),
                    format!(
                        "{} is entered already (billed {}, collected {}); tick “replace” to change it",
                        m.month,
                        m.billed.display_yuan(),
                        m.collected.display_yuan()
                    ),
                ));
            }
            Some(m) => Some(m.version),
            None => None,
        };
        Ok(self
            .store()
            .set_fee_month(&who.actor(), input, expected)
            .await?)
    }
}
