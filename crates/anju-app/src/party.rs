//! Red property (红色物业, issue 19 item 3) as use cases: a compound's records (党支部/党小组 with
//! its party members, 党建指导员 and who sent them, the two cross appointments, the half-yearly
//! 征询), added, ended (their last day) or — a 征询 — corrected as its suggestions are rectified;
//! and the Erqi rubric's party items counted from them for an assessment
//! (`anju_core::party::counts`, with the months in which the compound's community held a
//! 三方联动议事会, read from the organisation module's meetings).
//!
//! Who: [`Action::ManageParty`] (the street, the community, 住建, the administrator) on a compound
//! in scope; whoever reads the compound reads its records.
//!
//! Which count an assessment keeps ([`App::party_counts_for`], used by `create_assessment` when
//! its input asks for the counts from records): for each of the five codes, the records' count,
//! unless the input gives a different count for the code — then the typed count, marked
//! 手工填写 in the scorecard's `sources` (the records' count and explanation kept beside it).

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, outside};
use anju_core::access::{Action, can};
use anju_core::fees::Month;
use anju_core::ids::{CompoundId, PartyRecordId};
use anju_core::organisation::MeetingKind;
use anju_core::party::{self, PartyCount, PartyRecordKind};
use anju_policy::rubric::{CountOrigin, CountSource, Event, Rubric};
use anju_store::{NewPartyRecord, OrgScope, PartyChange, PartyRecord};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The most party members a branch may be recorded with (a sanity bound, not a rule).
pub const MEMBERS_MAX: i64 = 10_000;

/// A record to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartyRecordInput {
    pub kind: PartyRecordKind,
    /// The branch's name or the person's (required but for a 征询).
    #[serde(default)]
    pub name: Option<String>,
    /// 派驻单位 (an instructor: required).
    #[serde(default)]
    pub sent_by: Option<String>,
    /// Party members (a branch or group).
    #[serde(default)]
    pub members: u32,
    /// A 征询's reasonable suggestions and those rectified.
    #[serde(default)]
    pub suggestions: u32,
    #[serde(default)]
    pub rectified: u32,
    /// A 征询's day; otherwise the first day in force.
    #[schema(value_type = String, format = Date)]
    pub started_on: Date,
    #[serde(default)]
    pub note: Option<String>,
}

/// A change to a record: an end (its last day in force) or, for a 征询, the suggestions
/// rectified so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartyChangeInput {
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<Date>,
    #[serde(default)]
    pub rectified: Option<u32>,
    pub version: i64,
}

/// A compound's records and what the reader may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartyRecords {
    pub records: Vec<PartyRecord>,
    pub may_manage: bool,
}

impl App {
    /// A compound's red property records (whoever reads the compound).
    pub async fn party_records(
        &self,
        who: &Principal,
        compound: CompoundId,
    ) -> Result<PartyRecords> {
        who.require(Action::ViewLedger)?;
        self.compound_in_scope(who, compound).await?;
        Ok(PartyRecords {
            records: self.store().party_records(compound.get()).await?,
            may_manage: can(who.role, Action::ManageParty),
        })
    }

    /// One record, for whoever reads its compound.
    pub async fn party_record(&self, who: &Principal, id: PartyRecordId) -> Result<PartyRecord> {
        who.require(Action::ViewLedger)?;
        let r = self.store().party_record(id.get()).await?;
        if self.sees_compound(who, r.compound_id).await? {
            Ok(r)
        } else {
            Err(outside("红色物业记录", "red property record", id))
        }
    }

    /// Adds a record to a compound in scope.
    pub async fn add_party_record(
        &self,
        who: &Principal,
        compound: CompoundId,
        r: PartyRecordInput,
    ) -> Result<PartyRecord> {
        who.require(Action::ManageParty)?;
        self.compound_in_scope(who, compound).await?;
        let started_on = EventDate::PartyStarted.check(r.started_on, self.today())?;
        let name_field = Field::new("name", "名称或姓名");
        let name = if r.kind == PartyRecordKind::Consultation {
            check::opt_text(name_field, r.name.as_deref(), NAME_MAX, false)?
        } else {
            Some(check::text(
                name_field,
                r.name.as_deref().unwrap_or(""),
                NAME_MAX,
                false,
            )?)
        };
        let sent_by_field = Field::new("sent_by", "派驻单位");
        let sent_by = if r.kind == PartyRecordKind::Instructor {
            Some(check::text(
                sent_by_field,
                r.sent_by.as_deref().unwrap_or(""),
                NAME_MAX,
                false,
            )?)
        } else {
            check::opt_text(sent_by_field, r.sent_by.as_deref(), NAME_MAX, false)?
        };
        let members = if matches!(r.kind, PartyRecordKind::Branch | PartyRecordKind::Group) {
            check::within(
                Field::new("members", "党员人数"),
                i64::from(r.members),
                1,
                MEMBERS_MAX,
            )?;
            r.members
        } else {
            0
        };
        let (suggestions, rectified) = if r.kind == PartyRecordKind::Consultation {
            Self::rectified_within(r.rectified, r.suggestions)?;
            (r.suggestions, r.rectified)
        } else {
            (0, 0)
        };
        let note = check::opt_text(
            Field::new("note", "备注"),
            r.note.as_deref(),
            NOTE_MAX,
            true,
        )?;
        Ok(self
            .store()
            .add_party_record(
                &who.actor(),
                NewPartyRecord {
                    compound_id: compound.get(),
                    kind: r.kind,
                    name,
                    sent_by,
                    members,
                    suggestions,
                    rectified,
                    started_on,
                    note,
                },
            )
            .await?)
    }

    fn rectified_within(rectified: u32, suggestions: u32) -> Result<()> {
        check::within(
            Field::new("rectified", "已整改（条）"),
            i64::from(rectified),
            0,
            i64::from(suggestions),
        )?;
        Ok(())
    }

    /// Ends a record, or records how many of a 征询's suggestions are rectified.
    pub async fn change_party_record(
        &self,
        who: &Principal,
        id: PartyRecordId,
        c: PartyChangeInput,
    ) -> Result<PartyRecord> {
        who.require(Action::ManageParty)?;
        let before = self.party_record(who, id).await?;
        let change = match (c.ended_on, c.rectified) {
            (Some(on), None) => PartyChange::End(EventDate::PartyEnded.check(on, self.today())?),
            (None, Some(n)) => {
                Self::rectified_within(n, before.suggestions)?;
                PartyChange::Rectified(n)
            }
            _ => {
                return Err(AppError::field(
                    "ended_on",
                    "结束日期",
                    "请填写结束日期（征询则填写已整改条数）",
                    "give the end date (a consultation: the suggestions rectified)",
                ));
            }
        };
        Ok(self
            .store()
            .change_party_record(&who.actor(), id.get(), c.version, change)
            .await?)
    }

    /// The five party counts of the Erqi rubric for a compound in scope and a period, from its
    /// records and its community's 三方联动议事会 (`anju_core::party::counts`).
    pub async fn party_counts(
        &self,
        who: &Principal,
        compound: CompoundId,
        start: Date,
        end: Date,
    ) -> Result<Vec<PartyCount>> {
        who.require(Action::ViewLedger)?;
        let c = self.compound_in_scope(who, compound).await?;
        let records: Vec<_> = self
            .store()
            .party_records(compound.get())
            .await?
            .iter()
            .map(PartyRecord::fact)
            .collect();
        let held: BTreeSet<Month> = match c.community_id {
            Some(community) => self
                .store()
                .list_meetings(
                    OrgScope::All,
                    None,
                    Some(start.first_of_month()),
                    Some(end.last_of_month()),
                    Some(MeetingKind::Tripartite),
                    Some(community),
                )
                .await?
                .into_iter()
                .map(|m| Month::of(m.held_on))
                .collect(),
            None => BTreeSet::new(),
        };
        Ok(party::counts(&records, start, end, &held))
    }

    /// The rule of which count wins (module doc): `events` with the five party codes replaced by
    /// the records' counts unless a different count was given, and the scorecard's sources.
    /// A rubric without the party codes is left as it is.
    pub fn party_counts_for(
        rubric: &Rubric,
        events: Vec<Event>,
        counts: &[PartyCount],
    ) -> (Vec<Event>, BTreeMap<String, CountSource>) {
        let known = |c: &PartyCount| {
            rubric
                .item(c.item)
                .is_some_and(|i| i.deduction(&c.code).is_some())
        };
        let counts: Vec<&PartyCount> = counts.iter().filter(|c| known(c)).collect();
        let mut sources = BTreeMap::new();
        let mut out: Vec<Event> = events
            .iter()
            .filter(|e| !counts.iter().any(|c| c.code == e.code && c.item == e.item))
            .cloned()
            .collect();
        for c in counts {
            let given: Vec<&Event> = events
                .iter()
                .filter(|e| e.code == c.code && e.item == c.item)
                .collect();
            let typed = (!given.is_empty())
                .then(|| given.iter().map(|e| e.count).sum::<u32>())
                .filter(|n| *n != c.count);
            let (origin, count) = match typed {
                Some(n) => (CountOrigin::Typed, n),
                None => (CountOrigin::Records, c.count),
            };
            if count > 0 {
                let mut e = Event::new(c.item, &c.code, count);
                e.note = match origin {
                    CountOrigin::Records => Some(format!("据记录：{}", c.why_zh)),
                    CountOrigin::Typed => given.iter().find_map(|e| e.note.clone()),
                };
                out.push(e);
            }
            sources.insert(
                c.code.clone(),
                CountSource {
                    origin,
                    records: c.count,
                    count,
                    why_zh: c.why_zh.clone(),
                    why_en: c.why_en.clone(),
                },
            );
        }
        (out, sources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(item: u32, code: &str, n: u32) -> PartyCount {
        PartyCount {
            item,
            code: code.into(),
            count: n,
            why_zh: "据".into(),
            why_en: "by".into(),
        }
    }

    #[test]
    fn records_count_unless_a_different_count_is_typed() {
        let rubric = Rubric::builtin("erqi").expect("erqi");
        let counts = [
            count(6, "party_org_lacking", 0),
            count(7, "tripartite_meeting_missed", 1),
            count(8, "cross_appointment_lacking", 1),
        ];
        let events = vec![
            Event::new(1, "other", 2),
            // The same as the records: from records.
            Event::new(7, "tripartite_meeting_missed", 1),
            // Typed over the records.
            Event::new(8, "cross_appointment_lacking", 0),
        ];
        let (ev, src) = App::party_counts_for(&rubric, events, &counts);
        assert_eq!(src["party_org_lacking"].origin, CountOrigin::Records);
        assert_eq!(
            src["tripartite_meeting_missed"].origin,
            CountOrigin::Records
        );
        assert_eq!(src["cross_appointment_lacking"].origin, CountOrigin::Typed);
        assert_eq!(src["cross_appointment_lacking"].count, 0);
        assert_eq!(src["cross_appointment_lacking"].records, 1);
        let codes: Vec<(&str, u32)> = ev.iter().map(|e| (e.code.as_str(), e.count)).collect();
        assert_eq!(codes, vec![("other", 2), ("tripartite_meeting_missed", 1)]);
    }
}
