//! The ledger's compounds: a compound edited by hand (台账更正), checked before the database.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::{self, EventDate};
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::Compound;
use anju_core::access::Action;
use anju_core::fees::MonthRange;
use anju_store::{
    AccountStatement, CollectionFigures, Company, CompoundFilter, ContractRecord, FeeMonth,
    Lifecycle, Patrol, StoreError, StoredCompound,
};
use jiff::civil::Date;

/// The rules of a compound's facts: text limits, no negative area, no building year ahead.
pub fn check_compound(c: &Compound, today: Date) -> Result<()> {
    check::text(
        Field::new("compound.name", "小区名称"),
        &c.name,
        NAME_MAX,
        false,
    )?;
    check::text(
        Field::new("compound.street", "所属街道"),
        &c.street,
        NAME_MAX,
        false,
    )?;
    check::opt_text(
        Field::new("compound.community", "所属社区"),
        c.community.as_deref(),
        NAME_MAX,
        false,
    )?;
    check::opt_text(
        Field::new("compound.address", "地址"),
        c.address.as_deref(),
        200,
        false,
    )?;
    check::opt_text(
        Field::new("compound.remarks", "备注"),
        c.remarks.as_deref(),
        NOTE_MAX,
        true,
    )?;
    if let Some(y) = c.built_year {
        dates::built_year("compound.built_year", i64::from(y), today)?;
        check::within(
            Field::new("compound.built_year", "建成年份"),
            i64::from(y),
            1900,
            9999,
        )?;
    }
    for (key, zh, a) in [
        ("compound.area", "建筑面积", c.area),
        ("compound.area_multi", "多层面积", c.area_multi),
        ("compound.area_high", "高层面积", c.area_high),
    ] {
        if let Some(a) = a {
            check::area(Field::new(key, zh), a)?;
        }
    }
    Ok(())
}

impl App {
    /// A compound's facts changed by hand, taking effect on `effective_on` (a change of
    /// management mode is dated by it, so it may not lie ahead). A bounded principal may not
    /// move a compound out of their area.
    pub async fn update_compound(
        &self,
        who: &Principal,
        id: i64,
        version: i64,
        compound: Compound,
        effective_on: Date,
    ) -> Result<StoredCompound> {
        who.require(Action::EditCompounds)?;
        let old = self.compound_in_scope(who, id).await?;
        if who.scope() != Scope::All
            && (compound.street != old.compound.street
                || compound.community != old.compound.community)
        {
            return Err(AppError::forbidden(
                "不能把小区移到您管辖范围以外的街道或社区",
                "you may not move a compound out of your area",
            ));
        }
        let today = self.today();
        check_compound(&compound, today)?;
        let on = EventDate::Step.check_as("effective_on", "生效日期", effective_on, today)?;
        Ok(self
            .store()
            .update_compound_dated(&who.actor(), id, version, compound, on)
            .await?)
    }
}

/// A company's own records only; everyone else, all of a compound they may see.
fn own_company(who: &Principal) -> Option<i64> {
    match who.scope() {
        Scope::Company(id) => Some(id),
        _ => None,
    }
}

impl App {
    /// The compounds the principal may see that match `filter` (the scope is added to the
    /// query's conditions, overriding the filter's own region and company).
    pub async fn compounds(
        &self,
        who: &Principal,
        filter: CompoundFilter,
    ) -> Result<Vec<StoredCompound>> {
        who.require(Action::ViewLedger)?;
        Ok(self.store.list_compounds(&who.scoped(filter)).await?)
    }

    /// How many compounds [`App::compounds`] would return.
    pub async fn count_compounds(&self, who: &Principal, filter: CompoundFilter) -> Result<i64> {
        who.require(Action::ViewLedger)?;
        Ok(self.store.count_compounds(&who.scoped(filter)).await?)
    }

    /// The one compound called `name` (exactly) in `street`, within the principal's scope; a
    /// name shared by two compounds of the street is ambiguous and found as none.
    pub async fn compound_named(
        &self,
        who: &Principal,
        street: Option<&str>,
        name: &str,
    ) -> Result<StoredCompound> {
        let name = name.trim();
        let found: Vec<StoredCompound> = self
            .compounds(
                who,
                CompoundFilter {
                    street: street.map(str::to_string),
                    search: Some(name.to_string()),
                    ..CompoundFilter::default()
                },
            )
            .await?
            .into_iter()
            .filter(|c| c.compound.name == name)
            .collect();
        match <[StoredCompound; 1]>::try_from(found) {
            Ok([c]) => Ok(c),
            Err(_) => Err(StoreError::NotFound {
                entity: "compound",
                id: 0,
            }
            .into()),
        }
    }

    /// A compound's path to coverage (every step, superseded ones too, and its version).
    pub async fn lifecycle(&self, who: &Principal, compound_id: i64) -> Result<Lifecycle> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.lifecycle(compound_id).await?)
    }

    /// A compound's contracts, newest first: a company sees its own only.
    pub async fn contracts_of(
        &self,
        who: &Principal,
        compound_id: i64,
    ) -> Result<Vec<ContractRecord>> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self
            .store
            .list_contracts_of(compound_id, own_company(who))
            .await?)
    }

    /// A compound's patrols (巡查), newest first.
    pub async fn patrols(&self, who: &Principal, compound_id: i64) -> Result<Vec<Patrol>> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.list_patrols(compound_id).await?)
    }

    /// One patrol, with its compound, when the principal may see the compound.
    pub async fn patrol(&self, who: &Principal, id: i64) -> Result<(Patrol, StoredCompound)> {
        let p = self.store.get_patrol(id).await?;
        let c = self.compound_in_scope(who, p.compound_id).await?;
        Ok((p, c))
    }

    /// The companies a compound may select (未归档): every one, for the form's choice.
    pub async fn selectable_companies(&self) -> Result<Vec<Company>> {
        Ok(self
            .store
            .list_companies()
            .await?
            .into_iter()
            .filter(|c| !c.archived)
            .collect())
    }

    /// A compound's fee months (物业费收缴), oldest first; within `range` when given.
    pub async fn fee_months(
        &self,
        who: &Principal,
        compound_id: i64,
        range: Option<MonthRange>,
    ) -> Result<Vec<FeeMonth>> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.fee_months(compound_id, range).await?)
    }

    /// Billed, collected and the rate over `range`.
    pub async fn collection(
        &self,
        who: &Principal,
        compound_id: i64,
        range: MonthRange,
    ) -> Result<CollectionFigures> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.collection(compound_id, range).await?)
    }

    /// The periods of a compound's public accounts (收支公示), newest first.
    pub async fn account_periods(&self, who: &Principal, compound_id: i64) -> Result<Vec<String>> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.account_periods(compound_id).await?)
    }

    /// A compound's public account for a period, the owners' body share at `share_percent`
    /// or, when none is given, the configured default ([`crate::Config::owners_share_percent`]).
    pub async fn account_statement(
        &self,
        who: &Principal,
        compound_id: i64,
        period: &str,
        share_percent: Option<rust_decimal::Decimal>,
    ) -> Result<AccountStatement> {
        self.compound_in_scope(who, compound_id).await?;
        let share = share_percent.unwrap_or_else(|| self.config.owners_share());
        Ok(self
            .store
            .account_statement(compound_id, period, share)
            .await?)
    }
}
