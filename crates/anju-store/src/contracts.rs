//! 物业服务合同: signing (with the who-signs and one-company rules of the path), filing (备案)
//! with its deadline, termination with its reason, and the dismissal surveys of seed 004.
//!
//! Signing, filing and termination record the matching lifecycle step on every compound of the
//! contract in the same transaction.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::lifecycle::{StepRequest, Via, apply_step};
use crate::sql::{
    Cols, Conn, JsonSql, Row, date_text, fetch_json, now_ts, opt_date, parse_date, query,
};
use crate::{Result, Store, StoreError};
use anju_core::contract::{DismissalSurvey, Fees, FilingStatus, ServiceLevel, Term};
use anju_core::credit::{CreditRecord, RecordKind};
use anju_core::lifecycle::{Event, ExitKind, Signer};
use anju_core::{Area, Fen};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const CONTRACT: &str = "contract";
pub(crate) const DISMISSAL: &str = "dismissal_proposal";

/// A contract to sign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewContract {
    /// The compound(s) it serves (one project: one company).
    pub compound_ids: Vec<i64>,
    pub company_id: i64,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContractRecord {
    pub id: i64,
    pub version: i64,
    pub compound_ids: Vec<i64>,
    pub company_id: i64,
    pub company: String,
    pub signer: Signer,
    pub signer_name: Option<String>,
    pub signed_on: Date,
    pub entry_on: Option<Date>,
    pub term: Term,
    pub service_level: ServiceLevel,
    pub fees: Fees,
    pub served_area: Area,
    pub notice_on: Option<Date>,
    pub filed_on: Option<Date>,
    pub active: bool,
    pub ended_on: Option<Date>,
    pub end_kind: Option<ExitKind>,
    pub end_reason: Option<String>,
}

impl ContractRecord {
    /// The term starts on the entry date, or the signing date without one.
    pub fn term_start(&self) -> Date {
        self.entry_on.unwrap_or(self.signed_on)
    }
    /// 合同届满日.
    pub fn term_last_day(&self) -> Date {
        self.term.last_day(self.term_start())
    }
    /// Where the filing stood on `day`: a filing recorded after `day` had not happened yet,
    /// so a register as of a past date counts the days overdue to that date.
    pub fn filing(&self, day: Date) -> FilingStatus {
        FilingStatus::of(self.signed_on, self.filed_on.filter(|f| *f <= day), day)
    }
    /// In force on `day`: signed by then and not yet ended.
    pub fn active_on(&self, day: Date) -> bool {
        self.signed_on <= day && self.ended_on.is_none_or(|e| e > day)
    }
    /// In force on `day` and filed late, or not filed after the deadline, as of that day.
    pub fn overdue_on(&self, day: Date) -> bool {
        self.active_on(day) && self.filing(day).is_overdue()
    }
    /// Where the contract stood on `day`: in force, not yet signed, or ended (how, when).
    pub fn standing(&self, day: Date) -> Standing {
        if self.active_on(day) {
            Standing::InForce
        } else if self.signed_on > day {
            Standing::NotYetSigned
        } else {
            Standing::Ended
        }
    }
}

/// Where a contract stood on a day ([`ContractRecord::standing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    InForce,
    NotYetSigned,
    Ended,
}

impl ContractRecord {
    /// Its standing on `day` in words: 履行中, or 已终止 with how and when.
    pub fn standing_text(&self, day: Date, l: anju_core::Lang) -> String {
        match self.standing(day) {
            Standing::InForce => l.pick("履行中", "in force").to_string(),
            Standing::NotYetSigned => match l {
                anju_core::Lang::Zh => format!("{day} 时尚未签订"),
                anju_core::Lang::En => format!("not yet signed on {day}"),
            },
            Standing::Ended => {
                let kind = self.end_kind.map(|x| l.pick(x.zh(), x.en())).unwrap_or("");
                let on = self.ended_on.map(|d| d.to_string()).unwrap_or_default();
                let why = self
                    .end_reason
                    .as_deref()
                    .map(|r| format!("：{r}"))
                    .unwrap_or_default();
                match l {
                    anju_core::Lang::Zh => format!("已终止（{kind}，{on}）{why}"),
                    anju_core::Lang::En => format!("ended ({kind}, {on}){why}"),
                }
            }
        }
    }
}

/// A satisfaction survey recorded against a contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissalProposal {
    pub id: i64,
    pub contract_id: i64,
    pub surveyed_on: Date,
    pub survey: DismissalSurvey,
    /// More than 50 % of the owners dissatisfied: the owners may dismiss the company.
    pub raised: bool,
    pub note: Option<String>,
}

pub(crate) const CONTRACT_COLS: &str = "c.id, c.version, c.company_id, co.name, c.signer, c.signer_name, \
     c.signed_on, c.entry_on, c.term_months, c.service_level, c.fee_multi_fen, c.fee_high_fen, \
     c.served_area, c.notice_on, c.filed_on, c.status, c.ended_on, c.end_kind, c.end_reason";

pub(crate) fn contract_from_row(row: &Row) -> Result<ContractRecord> {
    contract_from_cols(Cols::new(row))
}

/// A contract read from [`CONTRACT_COLS`] at `c`.
pub(crate) fn contract_from_cols(mut c: Cols<'_>) -> Result<ContractRecord> {
    let corrupt = |what: &str| StoreError::Corrupt(what.to_string());
    Ok(ContractRecord {
        id: c.i64()?,
        version: c.i64()?,
        compound_ids: Vec::new(),
        company_id: c.i64()?,
        company: c.string()?,
        signer: Signer::from_code(&c.string()?).ok_or_else(|| corrupt("签约方"))?,
        signer_name: c.opt_string()?,
        signed_on: parse_date(&c.string()?)?,
        entry_on: opt_date(c.opt_string()?)?,
        term: Term::months(c.u32()?),
        service_level: u8::try_from(c.i64()?)
            .ok()
            .and_then(ServiceLevel::new)
            .ok_or_else(|| corrupt("服务等级"))?,
        fees: Fees {
            multi: c.opt_i64()?.map(Fen),
            high: c.opt_i64()?.map(Fen),
        },
        served_area: Area::from_centi(c.i64()?),
        notice_on: opt_date(c.opt_string()?)?,
        filed_on: opt_date(c.opt_string()?)?,
        active: c.string()? == "active",
        ended_on: opt_date(c.opt_string()?)?,
        end_kind: c
            .opt_string()?
            .map(|k| ExitKind::from_code(&k).ok_or_else(|| corrupt("终止类型")))
            .transpose()?,
        end_reason: c.opt_string()?,
    })
}

pub(crate) async fn fetch_contract(conn: &mut Conn, id: i64) -> Result<ContractRecord> {
    let row = query(format!(
        "SELECT {CONTRACT_COLS} FROM contracts c JOIN companies co ON co.id = c.company_id \
         WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound {
        entity: CONTRACT,
        id,
    })?;
    let mut rec = contract_from_row(&row)?;
    let rows = query(
        "SELECT compound_id FROM contract_compounds WHERE contract_id = $1 ORDER BY compound_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rec.compound_ids = rows
        .iter()
        .map(|r| Cols::new(r).i64())
        .collect::<Result<_>>()?;
    Ok(rec)
}

/// The contracts serving the compounds `filter` selects (every contract when `None`), newest
/// first, each listing those of its compounds that the filter selects (in id order): one
/// statement, whatever their number (a subsidy run reads a district's, a city-wide report every
/// one).
pub(crate) async fn contracts_serving(
    conn: &mut Conn,
    filter: Option<&crate::CompoundFilter>,
) -> Result<Vec<ContractRecord>> {
    contracts_serving_of(conn, filter, None).await
}

/// [`contracts_serving`], only the contracts of `company` when given (a company's own, as a
/// condition of the query).
async fn contracts_serving_of(
    conn: &mut Conn,
    filter: Option<&crate::CompoundFilter>,
    company: Option<i64>,
) -> Result<Vec<ContractRecord>> {
    let mut vals = Vec::new();
    let mut selected = filter.map_or(String::new(), |f| {
        format!(
            " WHERE cc.compound_id IN (SELECT c.id FROM compounds c{})",
            f.where_clause(&mut vals)
        )
    });
    if let Some(own) = company {
        vals.push(crate::sql::Val::int(own));
        let glue = if selected.is_empty() {
            " WHERE"
        } else {
            " AND"
        };
        selected.push_str(&format!("{glue} c.company_id = ${}", vals.len()));
    }
    let sql = format!(
        "SELECT {} FROM contract_compounds cc \
         JOIN contracts c ON c.id = cc.contract_id JOIN companies co ON co.id = c.company_id\
         {selected}",
        JsonSql::for_conn(conn).agg_rows(
            &format!("cc.compound_id, {CONTRACT_COLS}"),
            Some("c.id DESC, cc.compound_id")
        )
    );
    let rows: Vec<Vec<serde_json::Value>> = fetch_json(conn, sql, vals).await?;
    let mut out: Vec<ContractRecord> = Vec::new();
    for row in &rows {
        let mut c = Cols::json(row, 0);
        let compound_id = c.i64()?;
        let kid = c.i64()?;
        match out.last_mut() {
            Some(k) if k.id == kid => k.compound_ids.push(compound_id),
            _ => {
                let mut k = contract_from_cols(Cols::json(row, 1))?;
                k.compound_ids.push(compound_id);
                out.push(k);
            }
        }
    }
    Ok(out)
}

fn check_version(rec: &ContractRecord, expected: i64) -> Result<()> {
    if rec.version != expected {
        return Err(StoreError::Conflict {
            entity: CONTRACT,
            id: rec.id,
            expected,
            actual: rec.version,
        });
    }
    Ok(())
}

async fn bump(conn: &mut Conn, id: i64, version: i64) -> Result<()> {
    let done = query("UPDATE contracts SET version = version + 1 WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict {
            entity: CONTRACT,
            id,
            expected: version,
            actual: version + 1,
        });
    }
    Ok(())
}

impl Store {
    /// Signs a contract: checks its terms, records it and the 签订合同 step on each compound
    /// (which refuses a contract before a company is selected, with another company than the
    /// selected one, or signed by the street or community where an owners' body exists).
    pub async fn sign_contract(&self, actor: &Actor, c: &NewContract) -> Result<ContractRecord> {
        let mut ids = c.compound_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(StoreError::refused(
                "合同未指明服务的小区",
                "the contract names no compound",
            ));
        }
        if let Some(min) = c.min_level
            && !c.service_level.meets(min)
        {
            return Err(StoreError::refused(
                format!(
                    "服务等级“{}”低于政策要求：服务等级标准不得低于{}",
                    c.service_level.zh(),
                    min.zh()
                ),
                format!(
                    "service level '{}' is below the policy's minimum '{}'",
                    c.service_level.zh(),
                    min.zh()
                ),
            ));
        }
        if let Some(e) = c.entry_on
            && e < c.signed_on
        {
            return Err(StoreError::refused(
                format!("进场日期 {e} 早于签订日期 {}", c.signed_on),
                format!("entry date {e} is before the signing date {}", c.signed_on),
            ));
        }
        if c.term.months == 0 {
            return Err(StoreError::refused(
                "合同期限不能为 0",
                "the contract term cannot be 0",
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        // The company must exist (a clear error instead of a foreign-key failure).
        let company = query("SELECT name FROM companies WHERE id = $1")
            .bind(c.company_id)
            .fetch_optional(&mut *tx)
            .await?;
        if company.is_none() {
            return Err(StoreError::NotFound {
                entity: audit::COMPANY,
                id: c.company_id,
            });
        }
        let row = query(
            "INSERT INTO contracts (company_id, signer, signer_name, signed_on, entry_on, \
             term_months, service_level, fee_multi_fen, fee_high_fen, served_area, notice_on, \
             status, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', 1, $12, $12) RETURNING id",
        )
        .bind(c.company_id)
        .bind(c.signer.code())
        .bind(c.signer_name.clone())
        .bind(date_text(c.signed_on))
        .bind(c.entry_on.map(date_text))
        .bind(i64::from(c.term.months))
        .bind(i64::from(c.service_level.number()))
        .bind(c.fees.multi.map(|f| f.0))
        .bind(c.fees.high.map(|f| f.0))
        .bind(c.served_area.centi())
        .bind(c.notice_on.map(date_text))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        for cid in &ids {
            query("INSERT INTO contract_compounds (contract_id, compound_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*cid)
                .execute(&mut *tx)
                .await?;
            let req = StepRequest::new(
                Event::SignContract {
                    contract_id: id,
                    company_id: c.company_id,
                    signer: c.signer,
                },
                c.signed_on,
            );
            apply_step(&mut tx, actor, &at, *cid, None, &req, Via::Contract).await?;
        }
        let rec = fetch_contract(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: CONTRACT,
                entity_id: Some(id),
                before: None,
                after: Some(to_json(&rec)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    pub async fn get_contract(&self, id: i64) -> Result<ContractRecord> {
        let mut conn = self.pool.acquire().await?;
        fetch_contract(&mut conn, id).await
    }

    /// Contracts, newest first; of one compound when given.
    pub async fn list_contracts(&self, compound_id: Option<i64>) -> Result<Vec<ContractRecord>> {
        let mut conn = self.pool.acquire().await?;
        let Some(cid) = compound_id else {
            return contracts_serving(&mut conn, None).await;
        };
        let rows = query(
            "SELECT contract_id FROM contract_compounds WHERE compound_id = $1 \
             ORDER BY contract_id DESC",
        )
        .bind(cid)
        .fetch_all(&mut *conn)
        .await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| Cols::new(r).i64())
            .collect::<Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(fetch_contract(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// The contracts serving the compounds `filter` selects, newest first, only `company`'s
    /// when given: the contract register of an area or of a company, in one statement.
    pub async fn contracts_in(
        &self,
        filter: &crate::CompoundFilter,
        company: Option<i64>,
    ) -> Result<Vec<ContractRecord>> {
        let mut conn = self.pool.acquire().await?;
        contracts_serving_of(&mut conn, Some(filter), company).await
    }

    /// The contracts of one compound, newest first; only those of `company_id` when given (a
    /// company's own, as a condition of the query).
    pub async fn list_contracts_of(
        &self,
        compound_id: i64,
        company_id: Option<i64>,
    ) -> Result<Vec<ContractRecord>> {
        let mut conn = self.pool.acquire().await?;
        let own = if company_id.is_some() {
            " AND k.company_id = $2"
        } else {
            ""
        };
        let mut q = query(format!(
            "SELECT cc.contract_id FROM contract_compounds cc \
             JOIN contracts k ON k.id = cc.contract_id \
             WHERE cc.compound_id = $1{own} ORDER BY cc.contract_id DESC"
        ))
        .bind(compound_id);
        if let Some(c) = company_id {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| Cols::new(r).i64())
            .collect::<Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(fetch_contract(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// Files (备案) a contract on `on`, recording the step on each compound. A filing after the
    /// deadline is accepted and shows as overdue ([`ContractRecord::filing`]).
    pub async fn file_contract(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        on: Date,
    ) -> Result<ContractRecord> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_contract(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        if !before.active {
            return Err(StoreError::refused(
                format!("合同（编号 {id}）已终止，不能备案"),
                format!("contract {id} has ended and cannot be filed"),
            ));
        }
        if let Some(f) = before.filed_on {
            return Err(StoreError::refused(
                format!("合同（编号 {id}）已于 {f} 备案，不能重复备案"),
                format!("contract {id} was already filed on {f}"),
            ));
        }
        if on < before.signed_on {
            return Err(StoreError::refused(
                format!("备案日期 {on} 早于合同签订日期 {}", before.signed_on),
                format!(
                    "filing date {on} is before the signing date {}",
                    before.signed_on
                ),
            ));
        }
        bump(&mut tx, id, expected_version).await?;
        query("UPDATE contracts SET filed_on = $1, updated_at = $2 WHERE id = $3")
            .bind(date_text(on))
            .bind(at.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for cid in &before.compound_ids {
            let req = StepRequest::new(Event::File, on);
            apply_step(&mut tx, actor, &at, *cid, None, &req, Via::Contract).await?;
        }
        let after = fetch_contract(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "file",
                entity: CONTRACT,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Ends a contract (解聘, 期满, 退出) with its reason; each compound still on this contract
    /// leaves the path's contract stages (and the ledger's mode becomes 无物业 when it was in
    /// service).
    pub async fn terminate_contract(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        kind: ExitKind,
        reason: &str,
        on: Date,
    ) -> Result<ContractRecord> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::refused(
                "终止合同须填写原因",
                "ending a contract needs a reason",
            ));
        }
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_contract(&mut tx, id).await?;
        check_version(&before, expected_version)?;
        if !before.active {
            return Err(StoreError::refused(
                format!("合同（编号 {id}）已终止"),
                format!("contract {id} has already ended"),
            ));
        }
        if on < before.signed_on {
            return Err(StoreError::refused(
                format!("终止日期 {on} 早于合同签订日期 {}", before.signed_on),
                format!(
                    "end date {on} is before the signing date {}",
                    before.signed_on
                ),
            ));
        }
        bump(&mut tx, id, expected_version).await?;
        query(
            "UPDATE contracts SET status = 'terminated', ended_on = $1, end_kind = $2, \
             end_reason = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(date_text(on))
        .bind(kind.code())
        .bind(reason.to_string())
        .bind(at.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for cid in &before.compound_ids {
            let on_this = query(
                "SELECT 1 FROM compound_lifecycle WHERE compound_id = $1 AND contract_id = $2",
            )
            .bind(*cid)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
            if on_this {
                let mut req = StepRequest::new(Event::End { kind }, on);
                req.note = Some(reason.to_string());
                apply_step(&mut tx, actor, &at, *cid, None, &req, Via::Contract).await?;
            }
            // 解聘 goes into the company's credit file at once, once per compound of the
            // contract (seed 003 三（二）淘汰、退出机制).
            if kind == ExitKind::Dismissal {
                let name = crate::compounds::fetch_compound(&mut tx, *cid)
                    .await?
                    .compound
                    .name;
                let mut record = CreditRecord::new(RecordKind::Dismissal, on);
                record.compound = Some(name);
                record.note = Some(format!("解聘（合同 #{id}）：{reason}"));
                crate::credit::insert_company_record_from(
                    &mut tx,
                    actor,
                    &at,
                    before.company_id,
                    &crate::NewCompanyRecord {
                        record,
                        compound_id: Some(*cid),
                    },
                    crate::credit::RecordSource {
                        complaint_id: None,
                        contract_id: Some(id),
                    },
                )
                .await?;
            }
        }
        let after = fetch_contract(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "terminate",
                entity: CONTRACT,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records a satisfaction survey on an active contract; it raises a dismissal proposal when
    /// more than 50 % of the owners are dissatisfied (seed 004 三(二)).
    pub async fn record_dismissal_survey(
        &self,
        actor: &Actor,
        contract_id: i64,
        surveyed_on: Date,
        survey: DismissalSurvey,
        note: Option<&str>,
    ) -> Result<DismissalProposal> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let contract = fetch_contract(&mut tx, contract_id).await?;
        if !contract.active {
            return Err(StoreError::refused(
                format!("合同（编号 {contract_id}）已终止，不能再登记满意度调查"),
                format!("contract {contract_id} has ended: no more surveys can be recorded on it"),
            ));
        }
        let raised = survey.raises_dismissal();
        let row = query(
            "INSERT INTO dismissal_proposals (contract_id, surveyed_on, owners, respondents, \
             dissatisfied, raised, note, actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(contract_id)
        .bind(date_text(surveyed_on))
        .bind(i64::from(survey.owners))
        .bind(i64::from(survey.respondents))
        .bind(i64::from(survey.dissatisfied))
        .bind(i64::from(raised))
        .bind(note.map(str::to_string))
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let p = DismissalProposal {
            id: Cols::new(&row).i64()?,
            contract_id,
            surveyed_on,
            survey,
            raised,
            note: note.map(str::to_string),
        };
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "insert",
                entity: DISMISSAL,
                entity_id: Some(p.id),
                before: None,
                after: Some(to_json(&p)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The surveys recorded against a contract, oldest first.
    pub async fn dismissal_proposals(&self, contract_id: i64) -> Result<Vec<DismissalProposal>> {
        let rows = query(
            "SELECT id, contract_id, surveyed_on, owners, respondents, dissatisfied, raised, note \
             FROM dismissal_proposals WHERE contract_id = $1 ORDER BY id",
        )
        .bind(contract_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Cols::new(row);
                Ok(DismissalProposal {
                    id: c.i64()?,
                    contract_id: c.i64()?,
                    surveyed_on: parse_date(&c.string()?)?,
                    survey: DismissalSurvey {
                        owners: c.u32()?,
                        respondents: c.u32()?,
                        dissatisfied: c.u32()?,
                    },
                    raised: c.flag()?,
                    note: c.opt_string()?,
                })
            })
            .collect()
    }
}
