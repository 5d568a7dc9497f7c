//! The ledger's compounds: a compound edited by hand (台账更正), checked before the database.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::{self, EventDate};
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::Compound;
use anju_core::CompoundId;
use anju_core::access::Action;
use anju_store::{Company, CompoundFilter, StoreError, StoredCompound};
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
    if let Some(p) = c.coords {
        check::within(
            Field::new("compound.coords.lat_e6", "纬度（百万分之一度）"),
            p.lat_e6,
            -90_000_000,
            90_000_000,
        )?;
        check::within(
            Field::new("compound.coords.lng_e6", "经度（百万分之一度）"),
            p.lng_e6,
            -180_000_000,
            180_000_000,
        )?;
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
        id: CompoundId,
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
        // A new mode closes the one in force on `on`: not before the day that one began.
        if compound.mode != old.compound.mode
            && let Some(open) = self
                .store()
                .mode_history(id.get())
                .await?
                .into_iter()
                .filter(|p| p.until.is_none())
                .map(|p| p.since)
                .max()
            && on < open
        {
            return Err(AppError::field(
                "effective_on",
                "生效日期",
                format!("{on} 早于现行管理方式的起始日期（{open}），变更不能早于它"),
                format!("{on} is before the current mode's start ({open})"),
            ));
        }
        Ok(self
            .store()
            .update_compound_dated(&who.actor(), id.get(), version, compound, on)
            .await?)
    }
}

impl App {
    /// A compound's management modes, oldest first (管理方式沿革), within the principal's scope.
    pub async fn mode_history(
        &self,
        who: &Principal,
        id: CompoundId,
    ) -> Result<Vec<anju_store::ModePeriod>> {
        self.compound_in_scope(who, id).await?;
        Ok(self.store().mode_history(id.get()).await?)
    }

    /// Records the mode a compound had before the ledger's earliest record (补录此前的管理方式),
    /// with its source: how a subsidy run's "the history does not reach the signing" is
    /// answered. The start may not lie ahead; the store checks it is before the earliest record.
    pub async fn record_earlier_mode(
        &self,
        who: &Principal,
        id: CompoundId,
        version: i64,
        mode: anju_core::ManagementMode,
        since: Date,
        reason: &str,
    ) -> Result<Vec<anju_store::ModePeriod>> {
        who.require(Action::EditCompounds)?;
        self.compound_in_scope(who, id).await?;
        let reason = check::text(Field::new("reason", "依据"), reason, NOTE_MAX, false)?;
        let since = EventDate::Step.check_as("since", "起始日期", since, self.today())?;
        Ok(self
            .store()
            .record_earlier_mode(&who.actor(), id.get(), version, mode, since, &reason)
            .await?)
    }
}

impl App {
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

    /// The periods of a compound's public accounts (收支公示), newest first.
    pub async fn account_periods(
        &self,
        who: &Principal,
        compound_id: CompoundId,
    ) -> Result<Vec<String>> {
        self.compound_in_scope(who, compound_id).await?;
        Ok(self.store.account_periods(compound_id.get()).await?)
    }
}
