//! 工作台 data: what an official acts on today (提醒), coverage over time, and the coverage
//! figures of a scope as aggregates — each a few bulk queries over the same [`CompoundFilter`]
//! the ledger uses, so a viewer restricted to a region or a company sees only their compounds.
//!
//! Rules (the deadline day itself is always on time):
//! - **逾期未备案**: an active contract, not filed, whose filing deadline
//!   ([`anju_core::contract::filing_deadline`], signing day + 10) is before today.
//! - **整改逾期**: a rectification order still open after its deadline
//!   ([`anju_core::oversight::order_overdue`]).
//! - **投诉逾期**: a complaint not signed for after its sign deadline, or not answered after its
//!   answer deadline (the earlier missed deadline is shown).
//! - **合同即将到期**: an active contract whose last day (届满日, [`ContractRecord::term_last_day`]'s
//!   rule: term from the entry date, else the signing date) lies from today through today + N
//!   days (以内 includes N; default 60).
//! - **满意度调查到期**: seed 002 附件 item 20 ("街道办每半年对小区居民进行问卷调查") read as every
//!   six months for every compound a company serves ([`ModeGroup::Company`]): due when the later
//!   of the last survey's start (its start date, else its creation day) and the start of the
//!   current mode is on or before today − 6 months; and an open survey whose end date has passed.
//! - **任务逾期**: an open task after its deadline ([`anju_core::task::is_overdue`]).
//! - **改造联动**: a renovation project's gaps ([`anju_core::renovation::gaps`]: no company or
//!   no contract before the construction start, seed 002 六（一）; no trial run during the works,
//!   六（三）; no formal entry after the acceptance, 六（四）), one alert per gap.
//! - **合同收费高于核定标准**: an active contract whose fee for a building type is above the
//!   approved standard in force on its signing day (seed 003 三（二）; the standard approved
//!   latest on or before that day, [`anju_core::renovation::in_force`]).
//!
//! [`ContractRecord::term_last_day`]: crate::ContractRecord::term_last_day

use crate::sql::{Cols, Row, Val, bind_all, date_text, parse_date, query};
use crate::{CompoundFilter, Result, Store};
use anju_core::contract::{FILING_DAYS, FilingStatus, Term, days_between};
use anju_core::fees::Month;
use anju_core::{Lang, ManagementMode, ModeGroup};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// The joins [`CompoundFilter::where_clause`] expects (aliases c, s, d, cm).
const SCOPE_JOINS: &str = "JOIN regions s ON s.id = c.street_id \
     LEFT JOIN regions d ON d.id = s.parent_id AND d.level = 'district' \
     LEFT JOIN regions cm ON cm.id = c.community_id";

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    FilingOverdue,
    OrderOverdue,
    ComplaintOverdue,
    TaskOverdue,
    SurveyDue,
    ContractEnding,
    /// 周巡查 or 月考核 not made in time (seed 002 七（三）).
    PatrolDue,
    /// The last ended quarter's 季度考核 not made (seed 003 六（四）).
    AssessmentDue,
    /// An owners' body whose term ends within 90 days, or has ended with no successor filed
    /// (换届, issue 18 item 5; seed 003 二（二）).
    TermEnding,
    /// A renovation project's step taken out of the order seed 002 六 sets (施工进场前未选定物业
    /// 企业, 施工期间未试运行, 竣工验收后未正式进驻).
    RenovationGap,
    /// An active contract charging more than the approved standard in force on its signing day
    /// (seed 003 三（二）).
    FeeAboveStandard,
}

impl AlertKind {
    /// In the order the dashboard lists them: what is already late first.
    pub const ALL: [AlertKind; 11] = [
        AlertKind::FilingOverdue,
        AlertKind::OrderOverdue,
        AlertKind::ComplaintOverdue,
        AlertKind::TaskOverdue,
        AlertKind::PatrolDue,
        AlertKind::AssessmentDue,
        AlertKind::RenovationGap,
        AlertKind::FeeAboveStandard,
        AlertKind::SurveyDue,
        AlertKind::ContractEnding,
        AlertKind::TermEnding,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AlertKind::FilingOverdue => "filing_overdue",
            AlertKind::OrderOverdue => "order_overdue",
            AlertKind::ComplaintOverdue => "complaint_overdue",
            AlertKind::TaskOverdue => "task_overdue",
            AlertKind::SurveyDue => "survey_due",
            AlertKind::ContractEnding => "contract_ending",
            AlertKind::PatrolDue => "patrol_due",
            AlertKind::AssessmentDue => "assessment_due",
            AlertKind::TermEnding => "term_ending",
            AlertKind::RenovationGap => "renovation_gap",
            AlertKind::FeeAboveStandard => "fee_above_standard",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AlertKind::FilingOverdue => lang.pick("合同逾期未备案", "Contracts not filed in time"),
            AlertKind::OrderOverdue => lang.pick("整改逾期", "Rectification orders overdue"),
            AlertKind::ComplaintOverdue => lang.pick("投诉逾期", "Complaints overdue"),
            AlertKind::TaskOverdue => lang.pick("任务逾期", "Tasks overdue"),
            AlertKind::SurveyDue => lang.pick("满意度调查到期", "Satisfaction surveys due"),
            AlertKind::ContractEnding => lang.pick("合同即将到期", "Contracts ending soon"),
            AlertKind::PatrolDue => {
                lang.pick("巡查、月考核未按期", "Patrols and monthly checks due")
            }
            AlertKind::AssessmentDue => lang.pick("季度考核未做", "Quarterly assessments due"),
            AlertKind::TermEnding => lang.pick("业主组织换届", "Owners' bodies due for renewal"),
            AlertKind::RenovationGap => lang.pick(
                "老旧小区改造与物业进驻脱节",
                "Renovation ahead of property management",
            ),
            AlertKind::FeeAboveStandard => lang.pick(
                "合同收费高于核定标准",
                "Contract fees above the approved standard",
            ),
        }
    }
}

/// One thing to act on, about one compound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub compound_id: i64,
    pub compound: String,
    pub street: String,
    pub community: Option<String>,
    /// The record's own words: the company (contracts), the finding (orders), the complaint's
    /// category, the task's title, the survey's period.
    pub subject: String,
    /// A second fact: complaint "sign"/"answer" (which deadline was missed), a task's
    /// responsible person; surveys: "open" (open past its end date), "never" (never surveyed),
    /// "again" (`subject` is the last survey's start date).
    pub note: Option<String>,
    /// The date that matters: the missed deadline, the survey's due date, the contract's last day.
    pub date: Date,
    /// Days overdue (since `date`), or for an ending contract days left until `date`.
    pub days: i64,
    /// Where to act: the compound's page.
    pub link: String,
    /// What the kind's list is ordered by after `date`: the record's own id (an order's, a
    /// complaint's, a task's) or the compound's. Lists of several streets merge by
    /// (`date`, `seq`) into the order one query over them all gives.
    #[serde(skip)]
    pub seq: i64,
}

impl Alert {
    /// One line saying what and since when, in the reader's language.
    pub fn what(&self, lang: Lang) -> String {
        let s = &self.subject;
        let (d, n) = (self.date, self.days);
        match (self.kind, lang) {
            (AlertKind::FilingOverdue, Lang::Zh) => {
                format!("{s} 的合同未备案：期限 {d}，已逾期 {n} 天")
            }
            (AlertKind::FilingOverdue, Lang::En) => {
                format!("contract with {s} not filed: due {d}, {n} days overdue")
            }
            (AlertKind::OrderOverdue, Lang::Zh) => {
                format!("整改通知“{s}”未答复：期限 {d}，已逾期 {n} 天")
            }
            (AlertKind::OrderOverdue, Lang::En) => {
                format!("order \"{s}\" unanswered: due {d}, {n} days overdue")
            }
            (AlertKind::ComplaintOverdue, Lang::Zh) => {
                let what = if self.note.as_deref() == Some("sign") {
                    "未签收"
                } else {
                    "未答复"
                };
                format!("投诉（{s}）{what}：期限 {d}，已逾期 {n} 天")
            }
            (AlertKind::ComplaintOverdue, Lang::En) => {
                let what = if self.note.as_deref() == Some("sign") {
                    "not signed for"
                } else {
                    "not answered"
                };
                format!("complaint ({s}) {what}: due {d}, {n} days overdue")
            }
            (AlertKind::TaskOverdue, Lang::Zh) => {
                let who = self.note.as_deref().unwrap_or("");
                format!("任务“{s}”（责任人 {who}）：期限 {d}，已逾期 {n} 天")
            }
            (AlertKind::TaskOverdue, Lang::En) => {
                let who = self.note.as_deref().unwrap_or("");
                format!("task \"{s}\" ({who}): due {d}, {n} days overdue")
            }
            (AlertKind::SurveyDue, Lang::Zh) => match self.note.as_deref() {
                Some("open") => format!("{s} 满意度调查已过结束日期 {d} 仍未结束（{n} 天）"),
                Some("never") => {
                    format!("服务已满半年未开展满意度调查：应于 {d} 开展，已过 {n} 天")
                }
                _ => format!("上次满意度调查 {s}，应于 {d} 再次调查，已过 {n} 天"),
            },
            (AlertKind::SurveyDue, Lang::En) => match self.note.as_deref() {
                Some("open") => format!("survey {s} still open after its end date {d} ({n} days)"),
                Some("never") => format!("never surveyed: survey due on {d}, {n} days ago"),
                _ => format!("last survey {s}; next due on {d}, {n} days ago"),
            },
            (AlertKind::TermEnding, Lang::Zh) => match self.note.as_deref() {
                Some("over") => format!("{s}任期已于 {d} 届满 {n} 天，尚未换届"),
                _ => format!("{s}任期于 {d} 届满，还剩 {n} 天，请组织换届"),
            },
            (AlertKind::TermEnding, Lang::En) => match self.note.as_deref() {
                Some("over") => format!("{s}: term ended on {d}, {n} days ago, not renewed"),
                _ => format!("{s}: term ends on {d}, {n} days left: organise the election"),
            },
            (AlertKind::RenovationGap, _) => {
                use anju_core::renovation::RenovationGap;
                let gap = self
                    .note
                    .as_deref()
                    .and_then(RenovationGap::from_code)
                    .unwrap_or(RenovationGap::NoCompany);
                let (clause, words) = gap.clause();
                let milestone = if gap == RenovationGap::NoEntry {
                    lang.pick("竣工验收", "accepted")
                } else {
                    lang.pick("施工进场", "construction started")
                };
                match lang {
                    Lang::Zh => format!(
                        "{s}：{}（{milestone} {d}，已过 {n} 天）。依据：{clause}“{words}”",
                        gap.label(lang)
                    ),
                    Lang::En => format!(
                        "{s}: {} ({milestone} {d}, {n} days ago). Seed 002 ({clause}): “{words}”",
                        gap.label(lang)
                    ),
                }
            }
            (AlertKind::FeeAboveStandard, _) => {
                let (figures, doc) = self
                    .note
                    .as_deref()
                    .and_then(|n| n.split_once('|'))
                    .unwrap_or(("", ""));
                let parts: Vec<String> = figures
                    .split(';')
                    .filter_map(|p| {
                        let mut it = p.split(',');
                        let t = match it.next()? {
                            "high" => anju_core::contract::BuildingType::High,
                            _ => anju_core::contract::BuildingType::Multi,
                        };
                        let c = anju_core::Fen(it.next()?.parse().ok()?);
                        let st = anju_core::Fen(it.next()?.parse().ok()?);
                        let label = anju_core::renovation::building_type_label(t, lang);
                        let (c, st) = (
                            anju_core::renovation::per_sqm_month(c),
                            anju_core::renovation::per_sqm_month(st),
                        );
                        Some(match lang {
                            Lang::Zh => format!("{label} {c}，高于核定标准 {st}"),
                            Lang::En => format!("{label} {c}, above the approved {st}"),
                        })
                    })
                    .collect();
                match lang {
                    Lang::Zh => format!(
                        "与 {s} 的合同（{d} 签订）收费：{}（{doc}）",
                        parts.join("；")
                    ),
                    Lang::En => format!(
                        "contract with {s} (signed {d}): {} ({doc})",
                        parts.join("; ")
                    ),
                }
            }
            (AlertKind::ContractEnding, Lang::Zh) => {
                format!("与 {s} 的合同于 {d} 届满，还剩 {n} 天")
            }
            (AlertKind::ContractEnding, Lang::En) => {
                format!("contract with {s} ends on {d}, {n} days left")
            }
            (AlertKind::PatrolDue, Lang::Zh) => {
                let what = if self.note.as_deref() == Some("monthly") {
                    "月考核"
                } else {
                    "周巡查"
                };
                if s.is_empty() {
                    format!("尚无{what}记录：应于 {d} 前{what}，已过 {n} 天")
                } else {
                    format!("上次{what} {s}，应于 {d} 再次{what}，已过 {n} 天")
                }
            }
            (AlertKind::PatrolDue, Lang::En) => {
                let what = if self.note.as_deref() == Some("monthly") {
                    "monthly check"
                } else {
                    "weekly patrol"
                };
                if s.is_empty() {
                    format!("no {what} yet: due on {d}, {n} days ago")
                } else {
                    format!("last {what} {s}; next due on {d}, {n} days ago")
                }
            }
            (AlertKind::AssessmentDue, Lang::Zh) => {
                format!("{s} 季度考核未做：该季度于 {d} 结束，已过 {n} 天")
            }
            (AlertKind::AssessmentDue, Lang::En) => {
                format!("no assessment for {s}: the quarter ended on {d}, {n} days ago")
            }
        }
    }
}

/// The alerts of one kind: how many in all, and the first of them (oldest date first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertGroup {
    pub kind: AlertKind,
    pub total: u64,
    pub items: Vec<Alert>,
}

/// Knobs of [`Store::alerts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertOptions {
    /// 合同即将到期: last day within this many days from today (inclusive).
    pub ending_within_days: i64,
    /// 满意度调查: every this many months (seed 002: 每半年).
    pub survey_every_months: i64,
    /// At most this many alerts listed per kind (all are counted).
    pub limit_per_kind: usize,
}

impl Default for AlertOptions {
    fn default() -> Self {
        AlertOptions {
            ending_within_days: 60,
            survey_every_months: 6,
            limit_per_kind: 50,
        }
    }
}

/// The figure counters ([`Store::figure_versions`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureVersions {
    /// Raised by writes that belong to no one street.
    pub city: i64,
    /// Street region id → its counter (a street never written to has none: 0).
    pub streets: std::collections::HashMap<i64, i64>,
}

impl FigureVersions {
    /// The counter of one street (0 when never raised).
    pub fn street(&self, id: i64) -> i64 {
        self.streets.get(&id).copied().unwrap_or(0)
    }
}

/// The number of covered compounds at one month's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoveragePoint {
    pub month: Month,
    pub month_end: Date,
    /// Compounds served by a company or given basic cover on the month's last day.
    pub covered: u64,
}

/// Compounds, households and area of one street × community × mode × category cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageCell {
    pub street: String,
    pub community: Option<String>,
    pub mode: ManagementMode,
    /// 1, 2, 3; `None` when not recorded.
    pub category: Option<u8>,
    pub compounds: u64,
    pub households: u64,
    /// Floor area in hundredths of a ㎡.
    pub area_centi: i64,
    /// Compounds with an owners' body.
    pub with_body: u64,
}

impl CoverageCell {
    /// The order cells are listed in: street, community, mode, category.
    pub fn sort(cells: &mut [CoverageCell]) {
        cells.sort_by(|a, b| {
            (&a.street, &a.community, a.mode.code(), a.category).cmp(&(
                &b.street,
                &b.community,
                b.mode.code(),
                b.category,
            ))
        });
    }
}

/// A row's common head: compound id, name, street, community.
fn head(c: &mut Cols<'_>) -> Result<(i64, String, String, Option<String>)> {
    Ok((c.i64()?, c.string()?, c.string()?, c.opt_string()?))
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn mode_list(pred: impl Fn(ManagementMode) -> bool) -> String {
    ManagementMode::ALL
        .into_iter()
        .filter(|m| pred(*m))
        .map(|m| format!("'{}'", m.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Today's alerts for the compounds `filter` selects (its limit, offset and sort are
    /// ignored), every kind in [`AlertKind::ALL`] order, empty kinds included.
    pub async fn alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<Vec<AlertGroup>> {
        let mut groups = Vec::with_capacity(AlertKind::ALL.len());
        groups.push(self.filing_alerts(filter, today, opts).await?);
        groups.push(self.order_alerts(filter, today, opts).await?);
        groups.push(self.complaint_alerts(filter, today, opts).await?);
        groups.push(self.task_alerts(filter, today, opts).await?);
        groups.push(self.patrol_alerts(filter, today, opts).await?);
        groups.push(self.assessment_alerts(filter, today, opts).await?);
        groups.push(self.renovation_alerts(filter, today, opts).await?);
        groups.push(self.fee_standard_alerts(filter, today, opts).await?);
        groups.push(self.survey_alerts(filter, today, opts).await?);
        groups.push(self.ending_alerts(filter, today, opts).await?);
        groups.push(self.term_alerts(filter, today, opts).await?);
        Ok(groups)
    }

    /// Runs `select … FROM <from> <SCOPE_JOINS> <filter> AND <cond> ORDER BY <order>` with a
    /// total count (window function) and a limit; `params` are bound before the filter's.
    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of one SQL statement, named at each call"
    )]
    async fn scoped_rows(
        &self,
        filter: &CompoundFilter,
        select: &str,
        from: &str,
        params: Vec<Val>,
        cond: &str,
        order: &str,
        limit: Option<usize>,
    ) -> Result<(u64, Vec<Row>)> {
        let mut vals = params;
        let filter = CompoundFilter {
            limit: None,
            offset: None,
            ..filter.clone()
        };
        let w = filter.where_clause(&mut vals);
        let lim = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
        let sql = format!(
            "SELECT {select}, COUNT(*) OVER () FROM {from} {SCOPE_JOINS}{w} AND {cond} \
             ORDER BY {order}{lim}"
        );
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let total = match rows.first() {
            Some(r) => {
                let n = r.i64(r.len() - 1)?;
                to_u64(n)
            }
            None => 0,
        };
        Ok((total, rows))
    }

    async fn filing_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        // deadline = signed + FILING_DAYS < today  ⇔  signed < today − FILING_DAYS.
        let cutoff = today.checked_sub(FILING_DAYS.days()).unwrap_or(today);
        let (total, rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name, co.name, k.signed_on",
                "contract_compounds kc JOIN contracts k ON k.id = kc.contract_id \
                 JOIN companies co ON co.id = k.company_id JOIN compounds c ON c.id = kc.compound_id",
                vec![Val::text(date_text(cutoff))],
                "k.status = 'active' AND k.filed_on IS NULL AND k.signed_on < $1",
                "k.signed_on, c.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut c = Cols::new(row);
            let (id, name, street, community) = head(&mut c)?;
            let company = c.string()?;
            let signed = parse_date(&c.string()?)?;
            if let FilingStatus::Overdue {
                deadline,
                days_overdue,
            } = FilingStatus::of(signed, None, today)
            {
                items.push(alert(
                    AlertKind::FilingOverdue,
                    (id, name, street, community),
                    company,
                    None,
                    deadline,
                    days_overdue,
                ));
            }
        }
        Ok(AlertGroup {
            kind: AlertKind::FilingOverdue,
            total,
            items,
        })
    }

    async fn order_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        let (total, rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name, f.description, o.deadline, o.id",
                "rectification_orders o JOIN patrol_findings f ON f.id = o.finding_id \
                 JOIN compounds c ON c.id = o.compound_id",
                vec![Val::text(date_text(today))],
                "o.status = 'open' AND o.deadline < $1",
                "o.deadline, o.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let what = c.string()?;
            let deadline = parse_date(&c.string()?)?;
            let seq = c.i64()?;
            if anju_core::oversight::order_overdue(
                anju_core::oversight::OrderStatus::Open,
                deadline,
                today,
            ) {
                let days = days_between(deadline, today);
                items.push(Alert {
                    seq,
                    ..alert(AlertKind::OrderOverdue, h, what, None, deadline, days)
                });
            }
        }
        Ok(AlertGroup {
            kind: AlertKind::OrderOverdue,
            total,
            items,
        })
    }

    async fn complaint_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        let (total, rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name, k.category, k.status, k.sign_deadline, \
                 k.answer_deadline, k.id",
                "complaints k JOIN compounds c ON c.id = k.compound_id",
                vec![Val::text(date_text(today))],
                "((k.status = 'received' AND k.sign_deadline < $1) \
                 OR (k.status IN ('received', 'signed') AND k.answer_deadline < $1))",
                "CASE WHEN k.status = 'received' THEN k.sign_deadline ELSE k.answer_deadline END, \
                 k.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let category = c.string()?;
            let status = c.string()?;
            let sign = parse_date(&c.string()?)?;
            let answer = parse_date(&c.string()?)?;
            let seq = c.i64()?;
            let (note, deadline) = if status == "received" && today > sign {
                ("sign", sign)
            } else {
                ("answer", answer)
            };
            items.push(Alert {
                seq,
                ..alert(
                    AlertKind::ComplaintOverdue,
                    h,
                    category,
                    Some(note.to_string()),
                    deadline,
                    days_between(deadline, today),
                )
            });
        }
        Ok(AlertGroup {
            kind: AlertKind::ComplaintOverdue,
            total,
            items,
        })
    }

    async fn task_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        let (total, rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name, t.title, t.responsible, t.deadline, t.id",
                "tasks t JOIN compounds c ON c.id = t.compound_id",
                vec![Val::text(date_text(today))],
                "t.status = 'open' AND t.deadline < $1",
                "t.deadline, t.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let title = c.string()?;
            let who = c.string()?;
            let deadline = parse_date(&c.string()?)?;
            let seq = c.i64()?;
            if anju_core::task::is_overdue(anju_core::task::TaskStatus::Open, deadline, today) {
                items.push(Alert {
                    seq,
                    ..alert(
                        AlertKind::TaskOverdue,
                        h,
                        title,
                        Some(who),
                        deadline,
                        days_between(deadline, today),
                    )
                });
            }
        }
        Ok(AlertGroup {
            kind: AlertKind::TaskOverdue,
            total,
            items,
        })
    }

    async fn survey_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        let every = opts.survey_every_months;
        let cutoff = today.checked_sub(every.months()).unwrap_or(today);
        let company_modes = mode_list(|m| m.group() == ModeGroup::Company);
        // Open surveys past their end date.
        let (open_total, open_rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name, v.period, v.ends_on",
                "surveys v JOIN compounds c ON c.id = v.compound_id",
                vec![Val::text(date_text(today))],
                "v.status = 'open' AND v.ends_on IS NOT NULL AND v.ends_on < $1",
                "v.ends_on, c.id, v.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::new();
        for row in &open_rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let period = c.string()?;
            let ends = parse_date(&c.string()?)?;
            items.push(alert(
                AlertKind::SurveyDue,
                h,
                period,
                Some("open".into()),
                ends,
                days_between(ends, today),
            ));
        }
        // Served compounds not surveyed for `every` months.
        let base = "CASE WHEN v.last IS NULL OR v.last < m.since THEN m.since ELSE v.last END";
        let (due_total, due_rows) = self
            .scoped_rows(
                filter,
                &format!("c.id, c.name, s.name, cm.name, {base}, v.last"),
                "compounds c JOIN compound_modes m ON m.compound_id = c.id AND m.until IS NULL \
                 LEFT JOIN (SELECT compound_id, MAX(COALESCE(starts_on, substr(created_at, 1, 10))) \
                 AS last FROM surveys GROUP BY compound_id) v ON v.compound_id = c.id",
                vec![Val::text(date_text(cutoff))],
                &format!(
                    "c.mode IN ({company_modes}) AND m.since <= $1 \
                     AND (v.last IS NULL OR v.last <= $1)"
                ),
                &format!("{base}, c.id"),
                Some(opts.limit_per_kind),
            )
            .await?;
        for row in &due_rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let base = parse_date(&c.string()?)?;
            let last = c.opt_string()?;
            let due = base.checked_add(every.months()).unwrap_or(base);
            let note = if last.is_none() { "never" } else { "again" };
            items.push(alert(
                AlertKind::SurveyDue,
                h,
                last.unwrap_or_default(),
                Some(note.to_string()),
                due,
                days_between(due, today),
            ));
        }
        items.sort_by(|a, b| a.date.cmp(&b.date).then(a.compound_id.cmp(&b.compound_id)));
        items.truncate(opts.limit_per_kind);
        Ok(AlertGroup {
            kind: AlertKind::SurveyDue,
            total: open_total + due_total,
            items,
        })
    }

    /// 周巡查、月考核 (seed 002 七（三）"建立老旧小区周巡查、月考核制度"): a compound a company serves
    /// with no weekly patrol for 7 days, or no monthly check for a month, since it was served
    /// or since the last one. The day it is due is on time.
    async fn patrol_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        let company_modes = mode_list(|m| m.group() == ModeGroup::Company);
        let mut items = Vec::new();
        let mut total = 0;
        for (kind, note, every) in [
            ("weekly_patrol", "weekly", 7.days()),
            ("monthly_check", "monthly", 1.months()),
        ] {
            // due = max(since, last) + every < today  ⇔  max(since, last) < today − every.
            let cutoff = today.checked_sub(every).unwrap_or(today);
            // The latest patrol of the kind, per compound of the piece (index
            // `patrols_compound_kind`), not an aggregate over every patrol of the city.
            let last = format!(
                "(SELECT MAX(p.patrol_date) FROM patrols p WHERE p.compound_id = c.id \
                 AND p.kind = '{kind}')"
            );
            let base = format!(
                "CASE WHEN {last} IS NULL OR {last} < m.since THEN m.since ELSE {last} END"
            );
            let (n, rows) = self
                .scoped_rows(
                    filter,
                    &format!("c.id, c.name, s.name, cm.name, {base}, {last}"),
                    "compounds c JOIN compound_modes m ON m.compound_id = c.id AND m.until IS NULL",
                    vec![Val::text(date_text(cutoff))],
                    &format!(
                        "c.mode IN ({company_modes}) AND m.since < $1 \
                         AND ({last} IS NULL OR {last} < $1)"
                    ),
                    &format!("{base}, c.id"),
                    Some(opts.limit_per_kind),
                )
                .await?;
            total += n;
            for row in &rows {
                let mut c = Cols::new(row);
                let h = head(&mut c)?;
                let base = parse_date(&c.string()?)?;
                let last = c.opt_string()?;
                let due = base.checked_add(every).unwrap_or(base);
                items.push(alert(
                    AlertKind::PatrolDue,
                    h,
                    last.unwrap_or_default(),
                    Some(note.to_string()),
                    due,
                    days_between(due, today),
                ));
            }
        }
        items.sort_by(|a, b| a.date.cmp(&b.date).then(a.compound_id.cmp(&b.compound_id)));
        items.truncate(opts.limit_per_kind);
        Ok(AlertGroup {
            kind: AlertKind::PatrolDue,
            total,
            items,
        })
    }

    /// 季度考核 (seed 003 六（四）"采取季度考核方式对老旧小区进行考核"): a compound a company has
    /// served since before the last ended quarter began, with no assessment whose period covers
    /// that quarter.
    async fn assessment_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        let company_modes = mode_list(|m| m.group() == ModeGroup::Company);
        // The last quarter that ended before today.
        let q_month = (today.month() - 1) / 3 * 3 + 1;
        let this_q = Date::new(today.year(), q_month, 1).unwrap_or(today);
        let start = this_q.checked_sub(3.months()).unwrap_or(this_q);
        let end = this_q.yesterday().unwrap_or(this_q);
        let code = format!("{}Q{}", start.year(), (start.month() - 1) / 3 + 1);
        let (total, rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name",
                "compounds c JOIN compound_modes m ON m.compound_id = c.id AND m.until IS NULL",
                vec![Val::text(date_text(start)), Val::text(date_text(end))],
                &format!(
                    "c.mode IN ({company_modes}) AND m.since <= $1 AND NOT EXISTS \
                     (SELECT 1 FROM assessments a WHERE a.compound_id = c.id \
                     AND a.period_start <= $1 AND a.period_end >= $2)"
                ),
                "c.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            items.push(alert(
                AlertKind::AssessmentDue,
                h,
                code.clone(),
                None,
                end,
                days_between(end, today),
            ));
        }
        Ok(AlertGroup {
            kind: AlertKind::AssessmentDue,
            total,
            items,
        })
    }

    /// 换届: owners' bodies in office whose term's last day is within
    /// [`anju_core::owners_body::RENEWAL_WINDOW_DAYS`] or past.
    async fn term_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        use anju_core::owners_body::{RENEWAL_WINDOW_DAYS, Renewal, renewal};
        let horizon = today
            .checked_add(RENEWAL_WINDOW_DAYS.days())
            .unwrap_or(today);
        let (total, rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name, b.kind, b.term_last_day",
                "owners_bodies b JOIN compounds c ON c.id = b.compound_id",
                vec![Val::text(date_text(horizon))],
                "b.status = 'in_office' AND b.term_last_day <= $1",
                "b.term_last_day, c.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let kind = anju_core::OwnersBody::from_code(&c.string()?)
                .map(|k| k.zh())
                .unwrap_or("业主组织");
            let last = parse_date(&c.string()?)?;
            let (note, days) = match renewal(last, today) {
                Renewal::Overdue { days_over } => ("over", days_over),
                Renewal::Due { days_left } => ("due", days_left),
                Renewal::NotDue => continue,
            };
            items.push(alert(
                AlertKind::TermEnding,
                h,
                kind.to_string(),
                Some(note.to_string()),
                last,
                days,
            ));
        }
        Ok(AlertGroup {
            kind: AlertKind::TermEnding,
            total,
            items,
        })
    }

    /// 改造联动: each gap of each renovation project under way or accepted, as the core reads it
    /// against the path's steps in force (one query; the path's dates in correlated subqueries).
    pub(crate) async fn renovation_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        use anju_core::renovation::{Milestones, gaps};
        let path = crate::renovation::path_dates_sql("c.id", "p.construction_on");
        let (_, rows) = self
            .scoped_rows(
                filter,
                &format!(
                    "c.id, c.name, s.name, cm.name, p.id, p.name, p.construction_on, \
                     p.acceptance_on, {path}"
                ),
                "renovation_projects p JOIN compounds c ON c.id = p.compound_id",
                Vec::new(),
                "(p.construction_on IS NOT NULL OR p.acceptance_on IS NOT NULL)",
                "p.id",
                None,
            )
            .await?;
        let mut items = Vec::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let id = c.i64()?;
            let name = c.string()?;
            let m = Milestones {
                procedures_on: None,
                construction_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
                acceptance_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
            };
            let p = crate::renovation::path_dates_from(&mut c)?;
            for g in gaps(&m, &p) {
                let mut a = alert(
                    AlertKind::RenovationGap,
                    h.clone(),
                    name.clone(),
                    Some(g.gap.code().to_string()),
                    g.since,
                    days_between(g.since, today),
                );
                a.link = format!("/renovations/{id}");
                a.seq = id;
                items.push(a);
            }
        }
        items.sort_by_key(|a| (a.date, a.seq));
        let total = items.len() as u64;
        items.truncate(opts.limit_per_kind);
        Ok(AlertGroup {
            kind: AlertKind::RenovationGap,
            total,
            items,
        })
    }

    /// 合同收费高于核定标准: active contracts whose fee for a building type is above the
    /// standard in force on their signing day (the latest approved on or before it).
    pub(crate) async fn fee_standard_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        use anju_core::contract::{BuildingType, Fees};
        use anju_core::renovation::above_standard;
        let (total, rows) = self
            .scoped_rows(
                filter,
                "c.id, c.name, s.name, cm.name, co.name, k.signed_on, k.fee_multi_fen, \
                 k.fee_high_fen, fs.multi_fen, fs.high_fen, fs.doc_no, k.id",
                "contract_compounds kc JOIN contracts k ON k.id = kc.contract_id \
                 JOIN companies co ON co.id = k.company_id JOIN compounds c ON c.id = kc.compound_id \
                 JOIN fee_standards fs ON fs.id = (SELECT f.id FROM fee_standards f \
                 WHERE f.compound_id = c.id AND f.approved_on <= k.signed_on \
                 ORDER BY f.approved_on DESC, f.id DESC LIMIT 1)",
                Vec::new(),
                "k.status = 'active' AND (k.fee_multi_fen > fs.multi_fen \
                 OR k.fee_high_fen > fs.high_fen)",
                "k.signed_on, k.id, c.id",
                Some(opts.limit_per_kind),
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let company = c.string()?;
            let signed = parse_date(&c.string()?)?;
            let fen = |v: Option<i64>| v.map(anju_core::Fen);
            let contract = Fees {
                multi: fen(c.opt_i64()?),
                high: fen(c.opt_i64()?),
            };
            let standard = Fees {
                multi: fen(c.opt_i64()?),
                high: fen(c.opt_i64()?),
            };
            let doc = c.string()?;
            let contract_id = c.i64()?;
            let figures: Vec<String> = above_standard(contract, standard)
                .into_iter()
                .map(|(t, k, st)| {
                    let t = if t == BuildingType::High {
                        "high"
                    } else {
                        "multi"
                    };
                    format!("{t},{},{}", k.0, st.0)
                })
                .collect();
            let compound_id = h.0;
            let mut a = alert(
                AlertKind::FeeAboveStandard,
                h,
                company,
                Some(format!("{}|{doc}", figures.join(";"))),
                signed,
                days_between(signed, today),
            );
            a.link = format!("/compounds/{compound_id}/fee-standards");
            a.seq = contract_id;
            items.push(a);
        }
        Ok(AlertGroup {
            kind: AlertKind::FeeAboveStandard,
            total,
            items,
        })
    }

    async fn ending_alerts(
        &self,
        filter: &CompoundFilter,
        today: Date,
        opts: AlertOptions,
    ) -> Result<AlertGroup> {
        let horizon = today
            .checked_add(opts.ending_within_days.days())
            .unwrap_or(today);
        // Month-index prefilter (the term's end month, start month + term); exact in Rust.
        let idx = |d: Date| i64::from(d.year()) * 12 + i64::from(d.month());
        let lo = idx(today.tomorrow().unwrap_or(today));
        let hi = idx(horizon.tomorrow().unwrap_or(horizon));
        let start = "COALESCE(k.entry_on, k.signed_on)";
        let (_, rows) = self
            .scoped_rows(
                filter,
                &format!("c.id, c.name, s.name, cm.name, co.name, {start}, k.term_months"),
                "contract_compounds kc JOIN contracts k ON k.id = kc.contract_id \
                 JOIN companies co ON co.id = k.company_id JOIN compounds c ON c.id = kc.compound_id",
                vec![Val::int(lo), Val::int(hi)],
                &format!(
                    "k.status = 'active' AND CAST(substr({start}, 1, 4) AS INTEGER) * 12 \
                     + CAST(substr({start}, 6, 2) AS INTEGER) + k.term_months BETWEEN $1 AND $2"
                ),
                "c.id",
                None,
            )
            .await?;
        let mut items = Vec::new();
        for row in &rows {
            let mut c = Cols::new(row);
            let h = head(&mut c)?;
            let company = c.string()?;
            let start = parse_date(&c.string()?)?;
            let term = Term::months(c.u32()?);
            let last = term.last_day(start);
            if today <= last && last <= horizon {
                items.push(alert(
                    AlertKind::ContractEnding,
                    h,
                    company,
                    None,
                    last,
                    days_between(today, last),
                ));
            }
        }
        items.sort_by(|a, b| a.date.cmp(&b.date).then(a.compound_id.cmp(&b.compound_id)));
        let total = items.len() as u64;
        items.truncate(opts.limit_per_kind);
        Ok(AlertGroup {
            kind: AlertKind::ContractEnding,
            total,
            items,
        })
    }

    /// Covered compounds (company or basic cover) at the end of each month from `from` through
    /// `to`, among the compounds `filter` selects. A compound's mode on a day is read from its
    /// dated mode history as the targets read it ([`anju_core::targets::CompoundFacts::mode_on`]):
    /// before its first recorded period, the first period's mode (the census is the earliest
    /// knowledge). One aggregate query: the covered periods grouped by their dates.
    pub async fn coverage_over_time(
        &self,
        filter: &CompoundFilter,
        from: Month,
        to: Month,
    ) -> Result<Vec<CoveragePoint>> {
        let covered = mode_list(|m| m.group() != ModeGroup::Unmanaged);
        let mut vals = Vec::new();
        let filter = CompoundFilter {
            limit: None,
            offset: None,
            ..filter.clone()
        };
        let w = filter.where_clause(&mut vals);
        let sql = format!(
            "SELECT m.since, m.until, \
             CASE WHEN EXISTS (SELECT 1 FROM compound_modes p WHERE p.compound_id = m.compound_id \
             AND (p.since < m.since OR (p.since = m.since AND p.id < m.id))) THEN 0 ELSE 1 END, \
             COUNT(*) \
             FROM compound_modes m JOIN compounds c ON c.id = m.compound_id {SCOPE_JOINS}{w} \
             AND m.mode IN ({covered}) GROUP BY 1, 2, 3"
        );
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let mut spans = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut c = Cols::new(row);
            let since = parse_date(&c.string()?)?;
            let until = c.opt_string()?.map(|s| parse_date(&s)).transpose()?;
            let first = c.flag()?;
            let n = to_u64(c.i64()?);
            spans.push((if first { Date::MIN } else { since }, until, n));
        }
        let mut out = Vec::new();
        let mut m = from;
        while m <= to {
            let end = jiff::civil::date(m.year, m.month, 1).last_of_month();
            let covered = spans
                .iter()
                .filter(|(s, u, _)| *s <= end && u.is_none_or(|u| end < u))
                .map(|(_, _, n)| n)
                .sum();
            out.push(CoveragePoint {
                month: m,
                month_end: end,
                covered,
            });
            m = m.next();
        }
        Ok(out)
    }

    /// The coverage figures of the compounds `filter` selects, as aggregate cells (street ×
    /// community × mode × category): what the dashboard's tables and charts add up, without
    /// loading every compound. Grouped by ids (no text sort over every compound), names looked
    /// up afterwards. Grouped in the order of the covering index `compounds_figures` (migration
    /// 0011) and without joins (the filter reads the compounds table alone), so SQLite sums the
    /// index in order and never reads the table.
    pub async fn coverage_cells(&self, filter: &CompoundFilter) -> Result<Vec<CoverageCell>> {
        let mut vals = Vec::new();
        let filter = CompoundFilter {
            limit: None,
            offset: None,
            ..filter.clone()
        };
        let w = filter.where_clause(&mut vals);
        let sql = format!(
            "SELECT c.street_id, c.community_id, c.mode, c.category, COUNT(*), \
             CAST(COALESCE(SUM(c.households), 0) AS BIGINT), CAST(COALESCE(SUM(c.area), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN c.owners_body <> 'none' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM compounds c{w} \
             GROUP BY c.street_id, c.community_id, c.mode, c.category"
        );
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let names: std::collections::HashMap<i64, String> =
            query("SELECT id, name FROM regions WHERE level IN ('street', 'community')")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    let mut c = Cols::new(r);
                    Ok((c.i64()?, c.string()?))
                })
                .collect::<Result<_>>()?;
        let name = |id: i64| {
            names
                .get(&id)
                .cloned()
                .ok_or_else(|| crate::StoreError::Corrupt(format!("地区 {id}")))
        };
        let mut cells = rows
            .iter()
            .map(|row| {
                let mut c = Cols::new(row);
                let street = name(c.i64()?)?;
                let community = c.opt_i64()?.map(name).transpose()?;
                let mode = crate::sql::stored_mode(&c.string()?)?;
                let category = c.opt_i64()?.and_then(|k| u8::try_from(k).ok());
                Ok(CoverageCell {
                    street,
                    community,
                    mode,
                    category,
                    compounds: to_u64(c.i64()?),
                    households: to_u64(c.i64()?),
                    area_centi: c.i64()?,
                    with_body: to_u64(c.i64()?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        CoverageCell::sort(&mut cells);
        Ok(cells)
    }

    /// A number that changes with every write: the newest audit row's id (every write appends
    /// one in its own transaction). Caches of derived figures compare it to know they are stale.
    /// On PostgreSQL a transaction that took a lower id may commit after a higher one was seen,
    /// so a cache keyed by it should also expire by time.
    pub async fn data_version(&self) -> Result<i64> {
        let row = query("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM audit_log")
            .fetch_one(&self.pool)
            .await?;
        Cols::new(&row).i64()
    }

    /// The figure counters: the city's (raised by a write that belongs to no one street) and
    /// each street's by region id (raised by every audited write that touches a record of the
    /// street, in the write's own transaction; see migration 0017). They only count up, so a
    /// sum of some of them moves whenever any of them does.
    pub async fn figure_versions(&self) -> Result<FigureVersions> {
        let rows =
            query("SELECT CAST(street_id AS BIGINT), CAST(version AS BIGINT) FROM figure_versions")
                .fetch_all(&self.pool)
                .await?;
        let mut out = FigureVersions::default();
        for row in &rows {
            let mut c = Cols::new(row);
            let (street, version) = (c.i64()?, c.i64()?);
            if street == 0 {
                out.city = version;
            } else {
                out.streets.insert(street, version);
            }
        }
        Ok(out)
    }

    /// Which database this store talks to (its URL without credentials), for keying caches.
    pub fn database_identity(&self) -> String {
        self.identity.to_string()
    }
}

fn alert(
    kind: AlertKind,
    (compound_id, compound, street, community): (i64, String, String, Option<String>),
    subject: String,
    note: Option<String>,
    date: Date,
    days: i64,
) -> Alert {
    Alert {
        kind,
        compound_id,
        compound,
        street,
        community,
        subject,
        note,
        date,
        days,
        link: format!("/compounds/{compound_id}"),
        seq: compound_id,
    }
}
