//! 巡查与整改 (seed 002 七(三) "周巡查、月考核"): patrols with findings; a finding may become a
//! rectification order to the compound's current company with a deadline; the company answers
//! with text and evidence; the street closes or reopens it. Every step is one audited
//! transaction; orders are versioned and never deleted.
//!
//! Overdue and late orders are counted per compound and period and offered as rubric events for
//! an assessment through an explicit mapping ([`ERQI_ORDER_MAPPING`]), never applied silently.

use crate::assessments::{evidence_of, link_evidence};
use crate::audit::{self, Actor, NewAudit, to_json};
use crate::compounds::fetch_compound;
use crate::sql::{Cols, Conn, Filter, Row, Val, bind_all, date_text, now_ts, parse_date, query};
use crate::{Result, Store, StoreError};
use anju_core::assessment::Period;
use anju_core::oversight::{
    FindingCategory, OrderStatus, PatrolKind, answered_late, order_overdue,
};
use anju_policy::rubric::Event;
use serde::{Deserialize, Serialize};

pub(crate) const PATROL: &str = "patrol";
pub(crate) const FINDING: &str = "patrol_finding";
pub(crate) const ORDER: &str = "rectification_order";
const ORDER_ANSWER: &str = "rectification_answer";

/// Which Erqi rubric deduction an overdue or late order counts as, by finding category: one event
/// count per order. Explicit data, shown by `anju patrol events`; pass another table for another
/// rubric.
///
/// | category | Erqi item | deduction |
/// |---|---|---|
/// | environment 环境卫生 | 16 公共区域、楼道保持干净整洁 | `unclean` 0.2/次 |
/// | facilities 设施设备 | 19 消防、监控、门禁、照明设施完好 | `facility_fault` 0.5/项 |
/// | order 秩序 | 11 车辆停放有序… | `parking_disorder` 0.2/次 |
/// | safety 安全隐患 | 19 消防…设施设备完好 | `facility_fault` 0.5/项 |
pub const ERQI_ORDER_MAPPING: &[(FindingCategory, u32, &str)] = &[
    (FindingCategory::Environment, 16, "unclean"),
    (FindingCategory::Facilities, 19, "facility_fault"),
    (FindingCategory::Order, 11, "parking_disorder"),
    (FindingCategory::Safety, 19, "facility_fault"),
];

/// A finding to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewFinding {
    pub category: FindingCategory,
    pub description: String,
    /// SHA-256 of photos stored with [`Store::put_evidence`].
    pub evidence: Vec<String>,
    /// When set, a rectification order to the compound's company, due on this day (included).
    pub order_deadline: Option<jiff::civil::Date>,
}

/// A patrol to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewPatrol {
    pub compound_id: i64,
    pub kind: PatrolKind,
    pub date: jiff::civil::Date,
    pub inspector: String,
    pub note: Option<String>,
    pub findings: Vec<NewFinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    pub id: i64,
    pub category: FindingCategory,
    pub description: String,
    pub evidence: Vec<String>,
    pub order_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Patrol {
    pub id: i64,
    pub compound_id: i64,
    pub kind: PatrolKind,
    pub date: jiff::civil::Date,
    pub inspector: String,
    pub note: Option<String>,
    pub findings: Vec<Finding>,
    pub created_at: jiff::Timestamp,
}

/// A rectification order (整改通知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RectificationOrder {
    pub id: i64,
    pub finding_id: i64,
    pub category: FindingCategory,
    pub description: String,
    pub compound_id: i64,
    pub compound: String,
    pub company_id: i64,
    pub company: String,
    pub issued_on: jiff::civil::Date,
    /// The last day on time.
    pub deadline: jiff::civil::Date,
    pub status: OrderStatus,
    pub answer: Option<String>,
    pub answered_on: Option<jiff::civil::Date>,
    /// Answered after the deadline.
    pub answered_late: bool,
    pub closed_on: Option<jiff::civil::Date>,
    /// How many times the street reopened it.
    pub reopened: u32,
    /// Evidence of the latest answer.
    pub evidence: Vec<String>,
    pub version: i64,
    pub created_at: jiff::Timestamp,
    pub updated_at: jiff::Timestamp,
}

impl RectificationOrder {
    /// 逾期 on `as_of`: still open after the deadline day.
    pub fn overdue(&self, as_of: jiff::civil::Date) -> bool {
        order_overdue(self.status, self.deadline, as_of)
    }
}

/// Which orders to list; by deadline then id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub compound_id: Option<i64>,
    /// A company sees only its own orders: pass its id.
    pub company_id: Option<i64>,
    pub status: Option<OrderStatus>,
    pub overdue_as_of: Option<jiff::civil::Date>,
    /// Orders whose deadline falls in this period.
    pub period: Option<Period>,
    /// Whose orders: the reader's scope, a condition of the query (a company: its own).
    pub scope: crate::Scope,
}

/// Overdue and late orders of a compound for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCounts {
    pub orders: u32,
    /// Still open after the deadline on `as_of`.
    pub overdue: u32,
    /// Answered after the deadline.
    pub late: u32,
    /// (category, overdue + late) for the categories that have any.
    pub by_category: Vec<(FindingCategory, u32)>,
}

const ORDER_SELECT: &str = "SELECT o.id, o.finding_id, f.category, f.description, o.compound_id, \
     c.name, o.company_id, co.name, o.issued_on, o.deadline, o.status, o.answer, o.answered_on, \
     o.answered_late, o.closed_on, o.reopened, o.version, o.created_at, o.updated_at \
     FROM rectification_orders o JOIN patrol_findings f ON f.id = o.finding_id \
     JOIN compounds c ON c.id = o.compound_id JOIN companies co ON co.id = o.company_id";

fn order_from_row(row: &Row) -> Result<RectificationOrder> {
    let mut c = Cols::new(row);
    let id = c.i64()?;
    let finding_id = c.i64()?;
    let cat = c.string()?;
    let category = FindingCategory::from_code(&cat)
        .ok_or_else(|| StoreError::Corrupt(format!("未知的问题类别 '{cat}'")))?;
    Ok(RectificationOrder {
        id,
        finding_id,
        category,
        description: c.string()?,
        compound_id: c.i64()?,
        compound: c.string()?,
        company_id: c.i64()?,
        company: c.string()?,
        issued_on: parse_date(&c.string()?)?,
        deadline: parse_date(&c.string()?)?,
        status: {
            let s = c.string()?;
            OrderStatus::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的整改状态 '{s}'")))?
        },
        answer: c.opt_string()?,
        answered_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
        answered_late: c.flag()?,
        closed_on: c.opt_string()?.map(|s| parse_date(&s)).transpose()?,
        reopened: c.u32()?,
        evidence: Vec::new(),
        version: c.i64()?,
        created_at: c.timestamp()?,
        updated_at: c.timestamp()?,
    })
}

async fn fetch_order(conn: &mut Conn, id: i64) -> Result<RectificationOrder> {
    let row = query(format!("{ORDER_SELECT} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity: ORDER, id })?;
    let mut o = order_from_row(&row)?;
    o.evidence = evidence_of(conn, ORDER_ANSWER, id).await?;
    Ok(o)
}

async fn fetch_patrol(conn: &mut Conn, id: i64) -> Result<Patrol> {
    let row = query(
        "SELECT id, compound_id, kind, patrol_date, inspector, note, created_at FROM patrols \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound { entity: PATROL, id })?;
    let mut c = Cols::new(&row);
    let id = c.i64()?;
    let compound_id = c.i64()?;
    let k = c.string()?;
    let kind = PatrolKind::from_code(&k)
        .ok_or_else(|| StoreError::Corrupt(format!("未知的巡查类型 '{k}'")))?;
    let date = parse_date(&c.string()?)?;
    let inspector = c.string()?;
    let note = c.opt_string()?;
    let created_at = c.timestamp()?;
    let rows = query(
        "SELECT f.id, f.category, f.description, o.id FROM patrol_findings f \
         LEFT JOIN rectification_orders o ON o.finding_id = f.id WHERE f.patrol_id = $1 \
         ORDER BY f.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut findings = Vec::new();
    for r in &rows {
        let mut c = Cols::new(r);
        let fid = c.i64()?;
        let cat = c.string()?;
        findings.push(Finding {
            id: fid,
            category: FindingCategory::from_code(&cat)
                .ok_or_else(|| StoreError::Corrupt(format!("未知的问题类别 '{cat}'")))?,
            description: c.string()?,
            order_id: c.opt_i64()?,
            evidence: Vec::new(),
        });
    }
    for f in &mut findings {
        f.evidence = evidence_of(conn, FINDING, f.id).await?;
    }
    Ok(Patrol {
        id,
        compound_id,
        kind,
        date,
        inspector,
        note,
        findings,
        created_at,
    })
}

/// Saves the order's mutable columns if its version is still `before.version`.
async fn save_order(
    conn: &mut Conn,
    at: &str,
    before: &RectificationOrder,
    o: &RectificationOrder,
) -> Result<RectificationOrder> {
    let done = query(
        "UPDATE rectification_orders SET deadline = $1, status = $2, answer = $3, \
         answered_on = $4, answered_late = $5, closed_on = $6, reopened = $7, \
         version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10",
    )
    .bind(date_text(o.deadline))
    .bind(o.status.code())
    .bind(o.answer.clone())
    .bind(o.answered_on.map(date_text))
    .bind(i64::from(o.answered_late))
    .bind(o.closed_on.map(date_text))
    .bind(i64::from(o.reopened))
    .bind(at.to_string())
    .bind(o.id)
    .bind(before.version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict {
            entity: ORDER,
            id: o.id,
            expected: before.version,
            actual: before.version + 1,
        });
    }
    Ok(o.clone())
}

impl Store {
    /// Records a patrol with its findings and, for findings with a deadline, rectification
    /// orders to the compound's current company, in one audited transaction.
    pub async fn add_patrol(&self, actor: &Actor, p: NewPatrol) -> Result<Patrol> {
        let inspector = p.inspector.trim().to_string();
        if inspector.is_empty() {
            return Err(StoreError::Invalid("巡查人不能为空".into()));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let compound = fetch_compound(&mut tx, p.compound_id).await?;
        let row = query(
            "INSERT INTO patrols (compound_id, kind, patrol_date, inspector, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(p.compound_id)
        .bind(p.kind.code())
        .bind(date_text(p.date))
        .bind(inspector)
        .bind(
            p.note
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        )
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let patrol_id = Cols::new(&row).i64()?;
        let mut audits = Vec::new();
        for f in &p.findings {
            let desc = f.description.trim().to_string();
            if desc.is_empty() {
                return Err(StoreError::Invalid("问题描述不能为空".into()));
            }
            let row = query(
                "INSERT INTO patrol_findings (patrol_id, category, description) \
                 VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(patrol_id)
            .bind(f.category.code())
            .bind(desc)
            .fetch_one(&mut *tx)
            .await?;
            let fid = Cols::new(&row).i64()?;
            link_evidence(&mut tx, FINDING, fid, &f.evidence).await?;
            if let Some(deadline) = f.order_deadline {
                let Some(company_id) = compound.company_id else {
                    return Err(StoreError::Invalid(format!(
                        "小区“{}”没有物业服务企业，无法下达整改通知",
                        compound.compound.name
                    )));
                };
                if deadline < p.date {
                    return Err(StoreError::Invalid(format!(
                        "整改期限 {deadline} 早于巡查日期 {}",
                        p.date
                    )));
                }
                let row = query(
                    "INSERT INTO rectification_orders (finding_id, compound_id, company_id, \
                     issued_on, deadline, status, answered_late, reopened, version, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, 'open', 0, 0, 1, $6, $6) \
                     RETURNING id",
                )
                .bind(fid)
                .bind(p.compound_id)
                .bind(company_id)
                .bind(date_text(p.date))
                .bind(date_text(deadline))
                .bind(at.clone())
                .fetch_one(&mut *tx)
                .await?;
                let oid = Cols::new(&row).i64()?;
                let order = fetch_order(&mut tx, oid).await?;
                audits.push(NewAudit {
                    action: "insert",
                    entity: ORDER,
                    entity_id: Some(oid),
                    before: None,
                    after: Some(to_json(&order)?),
                });
            }
        }
        let patrol = fetch_patrol(&mut tx, patrol_id).await?;
        audits.insert(
            0,
            NewAudit {
                action: "insert",
                entity: PATROL,
                entity_id: Some(patrol_id),
                before: None,
                after: Some(to_json(&patrol)?),
            },
        );
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(patrol)
    }

    pub async fn get_patrol(&self, id: i64) -> Result<Patrol> {
        let mut conn = self.pool.acquire().await?;
        fetch_patrol(&mut conn, id).await
    }

    /// Patrols of a compound, newest first.
    pub async fn list_patrols(&self, compound_id: i64) -> Result<Vec<Patrol>> {
        let rows = query(
            "SELECT id FROM patrols WHERE compound_id = $1 ORDER BY patrol_date DESC, id DESC",
        )
        .bind(compound_id)
        .fetch_all(&self.pool)
        .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::new();
        for r in &rows {
            let id = Cols::new(r).i64()?;
            out.push(fetch_patrol(&mut conn, id).await?);
        }
        Ok(out)
    }

    pub async fn get_order(&self, id: i64) -> Result<RectificationOrder> {
        let mut conn = self.pool.acquire().await?;
        fetch_order(&mut conn, id).await
    }

    /// Orders matching the filter, by deadline then id.
    pub async fn list_orders(&self, f: &OrderFilter) -> Result<Vec<RectificationOrder>> {
        let mut w = Filter::new();
        w.and_some(f.compound_id, "o.compound_id = ?", Val::int);
        w.and_some(f.company_id, "o.company_id = ?", Val::int);
        w.and_some(f.status, "o.status = ?", |st| Val::text(st.code()));
        // The deadline day itself is on time.
        w.and_some(
            f.overdue_as_of,
            "o.status = 'open' AND o.deadline < ?",
            |d| Val::text(date_text(d)),
        );
        if let Some(p) = f.period {
            w.and(
                "o.deadline >= ? AND o.deadline <= ?",
                [Val::text(date_text(p.start)), Val::text(date_text(p.end))],
            );
        }
        w.scope(&f.scope, Some("o.company_id"));
        let mut sql = format!("{ORDER_SELECT} WHERE 1 = 1{}", w.sql());
        let vals = w.into_vals();
        sql.push_str(" ORDER BY o.deadline, o.id");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        let mut out: Vec<_> = rows.iter().map(order_from_row).collect::<Result<_>>()?;
        let mut conn = self.pool.acquire().await?;
        for o in &mut out {
            o.evidence = evidence_of(&mut conn, ORDER_ANSWER, o.id).await?;
        }
        Ok(out)
    }

    /// The company answers an order (整改回复) with text and evidence. Only the order's own
    /// company may answer; an answer after the deadline is recorded as late.
    #[expect(
        clippy::too_many_arguments,
        reason = "one explicit parameter per fact of an answer"
    )]
    pub async fn answer_order(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        as_company_id: i64,
        text: &str,
        evidence: &[String],
        on: jiff::civil::Date,
    ) -> Result<RectificationOrder> {
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::Invalid("整改回复不能为空".into()));
        }
        self.order_step(
            actor,
            id,
            expected_version,
            |o| {
                if o.company_id != as_company_id {
                    return Err(StoreError::Forbidden(format!(
                        "整改通知 {id} 是下达给“{}”的，其他企业不能回复",
                        o.company
                    )));
                }
                if o.status != OrderStatus::Open {
                    return Err(StoreError::Invalid(format!(
                        "整改通知 {id} 当前为“{}”，不能回复",
                        o.status.label(anju_core::Lang::Zh)
                    )));
                }
                o.status = OrderStatus::Answered;
                o.answer = Some(text);
                o.answered_on = Some(on);
                o.answered_late = answered_late(o.deadline, on);
                Ok(())
            },
            Some(evidence),
        )
        .await
    }

    /// The street closes (销号) an answered order.
    pub async fn close_order(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        on: jiff::civil::Date,
    ) -> Result<RectificationOrder> {
        self.order_step(
            actor,
            id,
            expected_version,
            |o| {
                if o.status != OrderStatus::Answered {
                    return Err(StoreError::Invalid(format!(
                        "整改通知 {id} 当前为“{}”，企业回复后才能销号",
                        o.status.label(anju_core::Lang::Zh)
                    )));
                }
                o.status = OrderStatus::Closed;
                o.closed_on = Some(on);
                Ok(())
            },
            None,
        )
        .await
    }

    /// The street reopens an answered or closed order (整改不到位), optionally with a new
    /// deadline; the late flag of the earlier answer is kept.
    pub async fn reopen_order(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        new_deadline: Option<jiff::civil::Date>,
    ) -> Result<RectificationOrder> {
        self.order_step(
            actor,
            id,
            expected_version,
            |o| {
                if o.status == OrderStatus::Open {
                    return Err(StoreError::Invalid(format!(
                        "整改通知 {id} 尚未回复，无需重新打开"
                    )));
                }
                o.status = OrderStatus::Open;
                o.closed_on = None;
                o.reopened += 1;
                if let Some(d) = new_deadline {
                    o.deadline = d;
                }
                Ok(())
            },
            None,
        )
        .await
    }

    async fn order_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        change: impl FnOnce(&mut RectificationOrder) -> Result<()>,
        evidence: Option<&[String]>,
    ) -> Result<RectificationOrder> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_order(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: ORDER,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let mut o = before.clone();
        change(&mut o)?;
        save_order(&mut tx, &at, &before, &o).await?;
        if let Some(ev) = evidence {
            link_evidence(&mut tx, ORDER_ANSWER, id, ev).await?;
        }
        let after = fetch_order(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: ORDER,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Overdue (on `as_of`) and late orders of a compound whose deadline falls in the period.
    pub async fn order_counts(
        &self,
        compound_id: i64,
        period: &Period,
        as_of: jiff::civil::Date,
    ) -> Result<OrderCounts> {
        let orders = self
            .list_orders(&OrderFilter {
                compound_id: Some(compound_id),
                period: Some(*period),
                ..OrderFilter::default()
            })
            .await?;
        let mut counts = OrderCounts {
            orders: u32::try_from(orders.len()).unwrap_or(u32::MAX),
            ..OrderCounts::default()
        };
        for o in &orders {
            let overdue = o.overdue(as_of);
            if overdue {
                counts.overdue += 1;
            }
            if o.answered_late {
                counts.late += 1;
            }
            if overdue || o.answered_late {
                match counts
                    .by_category
                    .iter_mut()
                    .find(|(c, _)| *c == o.category)
                {
                    Some((_, n)) => *n += 1,
                    None => counts.by_category.push((o.category, 1)),
                }
            }
        }
        Ok(counts)
    }

    /// The rubric events the overdue and late orders of a compound's period amount to under
    /// `mapping` (e.g. [`ERQI_ORDER_MAPPING`]): one event per category with the count of orders.
    /// Offered to the assessor, who adds them to the assessment's events explicitly.
    pub async fn order_events(
        &self,
        compound_id: i64,
        period: &Period,
        as_of: jiff::civil::Date,
        mapping: &[(FindingCategory, u32, &str)],
    ) -> Result<Vec<Event>> {
        let counts = self.order_counts(compound_id, period, as_of).await?;
        let mut events: Vec<Event> = Vec::new();
        for (cat, n) in counts.by_category {
            let Some((_, item, code)) = mapping.iter().find(|(c, _, _)| *c == cat) else {
                continue;
            };
            let note = format!("整改逾期或超期回复（{}）", cat.label(anju_core::Lang::Zh));
            match events
                .iter_mut()
                .find(|e| e.item == *item && e.code == *code)
            {
                Some(e) => e.count += n,
                None => events.push(Event {
                    item: *item,
                    code: (*code).to_string(),
                    count: n,
                    note: Some(note),
                }),
            }
        }
        Ok(events)
    }
}
