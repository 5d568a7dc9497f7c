//! The programme's own organisation (issue 18 item 3): leading groups, 专班 and 联席会议 with their
//! members, meetings with their decisions, 通报 and 约谈, and the 交办事项 (assignments) both hand
//! out, with their steps. Each write is one audited transaction; the assignment's path is
//! `anju_core::organisation::next`.
//!
//! Who reads what is a condition of each query ([`OrgScope`]): a region's records are read by
//! the people of that region, of the regions under it and of those above it; a company reads the
//! 通报 and assignments that name it.

use crate::audit::{self, Actor, NewAudit, to_json};
use crate::sql::{
    Cols, Conn, Filter, Row, Val, bind_all, date_text, now_ts, opt_date, parse_date, query,
};
use crate::{Result, Store, StoreError};
use anju_core::organisation::{
    AssignmentSource, AssignmentStatus, AssignmentStep, CensureKind, GroupKind, MeetingKind,
    MemberRole, UnitKind, next as next_status,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub(crate) const GROUP: &str = "org_group";
pub(crate) const MEETING: &str = "meeting";
pub(crate) const CENSURE: &str = "censure";
pub(crate) const ASSIGNMENT: &str = "assignment";

/// A leading group, 专班 or 联席会议, with how many members it has today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrgGroup {
    pub id: i64,
    pub region_id: i64,
    pub region: String,
    pub kind: GroupKind,
    pub name: String,
    /// 办公室设在 …
    pub office: Option<String>,
    /// 成立文件 (文号).
    pub document: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub established_on: Date,
    /// Members who have not left.
    pub members: i64,
    pub version: i64,
}

/// A member of a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrgMember {
    pub id: i64,
    pub group_id: i64,
    pub name: String,
    /// 职务.
    pub position: String,
    pub role: MemberRole,
    pub department_id: Option<i64>,
    pub department: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub joined_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub left_on: Option<Date>,
}

/// A body to set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    pub region_id: i64,
    pub kind: GroupKind,
    pub name: String,
    pub office: Option<String>,
    pub document: Option<String>,
    pub established_on: Date,
    pub members: Vec<NewMember>,
}

/// A member to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewMember {
    pub name: String,
    #[serde(default)]
    pub position: String,
    pub role: MemberRole,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[schema(value_type = String, format = Date)]
    pub joined_on: Date,
}

/// Who answers for an assignment or is named by a 通报: a street or community, a department or
/// a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = OrgUnit)]
pub struct Unit {
    pub kind: UnitKind,
    pub id: i64,
}

/// A meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: i64,
    pub region_id: i64,
    pub region: String,
    pub group_id: Option<i64>,
    pub group: Option<String>,
    pub kind: MeetingKind,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    pub place: Option<String>,
    /// 参会人员, as recorded.
    pub attendees: String,
    /// 会议纪要.
    pub minutes: String,
    pub recorded_by: String,
    /// How many decisions it handed out.
    pub decisions: i64,
    pub version: i64,
}

/// A meeting to record, with its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub region_id: i64,
    pub group_id: Option<i64>,
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: Date,
    pub place: Option<String>,
    pub attendees: String,
    pub minutes: String,
    pub decisions: Vec<NewDecision>,
}

/// A decision (or a 整改要求) to hand out: who, what, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewDecision {
    pub unit: Unit,
    pub text: String,
    #[schema(value_type = String, format = Date)]
    pub deadline: Date,
}

/// A 通报 or 约谈.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Censure {
    pub id: i64,
    pub region_id: i64,
    pub region: String,
    pub kind: CensureKind,
    pub unit: Unit,
    pub unit_name: String,
    #[schema(value_type = String, format = Date)]
    pub on_day: Date,
    pub reason: String,
    pub document: Option<String>,
    /// 约谈对象.
    pub interviewee: Option<String>,
    pub recorded_by: String,
    /// How many follow-ups it set (0 or 1).
    pub follow_ups: i64,
    pub version: i64,
}

/// A 通报 or 约谈 to record, with its 整改要求.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCensure {
    pub region_id: i64,
    pub kind: CensureKind,
    pub unit: Unit,
    pub on_day: Date,
    pub reason: String,
    pub document: Option<String>,
    pub interviewee: Option<String>,
    /// The follow-up's text and deadline (its unit is the censured one).
    pub follow_up: Option<(String, Date)>,
}

/// A 交办事项.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Assignment {
    pub id: i64,
    pub region_id: i64,
    pub region: String,
    pub source: AssignmentSource,
    pub meeting_id: Option<i64>,
    pub censure_id: Option<i64>,
    /// The meeting's title, or the 通报's kind and unit.
    pub source_title: String,
    pub unit: Unit,
    pub unit_name: String,
    pub text: String,
    #[schema(value_type = String, format = Date)]
    pub issued_on: Date,
    #[schema(value_type = String, format = Date)]
    pub deadline: Date,
    pub status: AssignmentStatus,
    pub issued_by: String,
    pub result: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub reported_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub first_reported_on: Option<Date>,
    pub returns: u32,
    pub return_reason: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
    pub version: i64,
}

impl Assignment {
    /// 逾期 as of a date.
    pub fn overdue(&self, as_of: Date) -> bool {
        anju_core::organisation::overdue(self.status, self.deadline, as_of)
    }
}

/// One step of an assignment as taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssignmentStepRecord {
    /// issue, report, close, return.
    pub step: String,
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    pub by: String,
    pub note: Option<String>,
}

/// Whose organisation records a query returns (a condition of the query).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OrgScope {
    /// Everything.
    #[default]
    All,
    /// Records of this region, of the regions under it and of those above it.
    Region(i64),
    /// 通报 and assignments naming this company.
    Company(i64),
    /// Nothing.
    Nothing,
}

/// Which assignments to list; ordered by deadline, then id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignmentFilter {
    pub scope: OrgScope,
    pub unit: Option<Unit>,
    pub meeting_id: Option<i64>,
    pub censure_id: Option<i64>,
    /// Not yet reported done (open or returned).
    pub open_only: bool,
    /// Awaiting 销号 (reported).
    pub reported_only: bool,
    /// Issued at this region or a region under it (what its people may close).
    pub issued_under: Option<i64>,
}

/// ` AND …`: the record's region (`col`) is `$n`, under it or above it.
fn related_region(col: &str, n: usize) -> String {
    format!(
        " AND {col} IN (SELECT g.id FROM regions g LEFT JOIN regions g1 ON g1.id = g.parent_id \
         LEFT JOIN regions g2 ON g2.id = g1.parent_id \
         WHERE g.id = ${n} OR g1.id = ${n} OR g2.id = ${n} OR g2.parent_id = ${n} \
         UNION SELECT a.parent_id FROM regions a WHERE a.id = ${n} \
         UNION SELECT b.parent_id FROM regions a JOIN regions b ON b.id = a.parent_id \
         WHERE a.id = ${n} \
         UNION SELECT c.parent_id FROM regions a JOIN regions b ON b.id = a.parent_id \
         JOIN regions c ON c.id = b.parent_id WHERE a.id = ${n})"
    )
}

impl OrgScope {
    /// ` AND …` over a record whose region is `region_col`; `company_col` the column naming the
    /// company it concerns (`None`: a company reads none of these records).
    fn condition(
        &self,
        region_col: &str,
        company_col: Option<&str>,
        vals: &mut Vec<Val>,
    ) -> String {
        match (*self, company_col) {
            (OrgScope::All, _) => String::new(),
            (OrgScope::Region(r), _) => {
                vals.push(Val::int(r));
                related_region(region_col, vals.len())
            }
            (OrgScope::Company(co), Some(col)) => {
                vals.push(Val::int(co));
                format!(" AND {col} = ${}", vals.len())
            }
            (OrgScope::Company(_), None) | (OrgScope::Nothing, _) => " AND 1 = 0".to_string(),
        }
    }
}

const GROUP_SELECT: &str = "SELECT g.id, g.region_id, r.name, g.kind, g.name, g.office, \
     g.document, g.established_on, (SELECT COUNT(*) FROM org_members m WHERE m.group_id = g.id \
     AND m.left_on IS NULL), g.version FROM org_groups g JOIN regions r ON r.id = g.region_id";

const MEMBER_SELECT: &str = "SELECT m.id, m.group_id, m.name, m.position, m.role, \
     m.department_id, d.name, m.joined_on, m.left_on FROM org_members m \
     LEFT JOIN departments d ON d.id = m.department_id";

const MEETING_SELECT: &str = "SELECT t.id, t.region_id, r.name, t.group_id, g.name, t.kind, \
     t.title, t.held_on, t.place, t.attendees, t.minutes, t.recorded_by, \
     (SELECT COUNT(*) FROM assignments a WHERE a.meeting_id = t.id), t.version \
     FROM meetings t JOIN regions r ON r.id = t.region_id \
     LEFT JOIN org_groups g ON g.id = t.group_id";

/// The joins that name a record's unit (`x` the record's alias).
fn unit_joins(x: &str) -> String {
    format!(
        "LEFT JOIN regions ur ON ur.id = {x}.unit_region_id \
         LEFT JOIN departments ud ON ud.id = {x}.unit_department_id \
         LEFT JOIN companies uc ON uc.id = {x}.unit_company_id"
    )
}

fn censure_select() -> String {
    format!(
        "SELECT s.id, s.region_id, r.name, s.kind, s.unit_kind, \
         COALESCE(s.unit_region_id, s.unit_department_id, s.unit_company_id), \
         COALESCE(ur.name, ud.name, uc.name), s.on_day, s.reason, s.document, s.interviewee, \
         s.recorded_by, (SELECT COUNT(*) FROM assignments a WHERE a.censure_id = s.id), \
         s.version FROM censures s JOIN regions r ON r.id = s.region_id {}",
        unit_joins("s")
    )
}

fn assignment_select() -> String {
    format!(
        "SELECT a.id, a.region_id, r.name, a.source, a.meeting_id, a.censure_id, \
         COALESCE(mt.title, cs.kind), cs.unit_kind, a.unit_kind, \
         COALESCE(a.unit_region_id, a.unit_department_id, a.unit_company_id), \
         COALESCE(ur.name, ud.name, uc.name), a.text, a.issued_on, a.deadline, a.status, \
         a.issued_by, a.result, a.reported_on, a.first_reported_on, a.returns, \
         a.return_reason, a.closed_on, a.version FROM assignments a \
         JOIN regions r ON r.id = a.region_id LEFT JOIN meetings mt ON mt.id = a.meeting_id \
         LEFT JOIN censures cs ON cs.id = a.censure_id {}",
        unit_joins("a")
    )
}

fn code<T>(s: String, from: fn(&str) -> Option<T>, what: &str) -> Result<T> {
    from(&s).ok_or_else(|| StoreError::Corrupt(format!("未知的{what} '{s}'")))
}

fn group_from_row(row: &Row) -> Result<OrgGroup> {
    let mut c = Cols::new(row);
    Ok(OrgGroup {
        id: c.i64()?,
        region_id: c.i64()?,
        region: c.string()?,
        kind: code(c.string()?, GroupKind::from_code, "机构类型")?,
        name: c.string()?,
        office: c.opt_string()?,
        document: c.opt_string()?,
        established_on: parse_date(&c.string()?)?,
        members: c.i64()?,
        version: c.i64()?,
    })
}

fn member_from_row(row: &Row) -> Result<OrgMember> {
    let mut c = Cols::new(row);
    Ok(OrgMember {
        id: c.i64()?,
        group_id: c.i64()?,
        name: c.string()?,
        position: c.string()?,
        role: code(c.string()?, MemberRole::from_code, "成员角色")?,
        department_id: c.opt_i64()?,
        department: c.opt_string()?,
        joined_on: parse_date(&c.string()?)?,
        left_on: opt_date(c.opt_string()?)?,
    })
}

fn meeting_from_row(row: &Row) -> Result<Meeting> {
    let mut c = Cols::new(row);
    Ok(Meeting {
        id: c.i64()?,
        region_id: c.i64()?,
        region: c.string()?,
        group_id: c.opt_i64()?,
        group: c.opt_string()?,
        kind: code(c.string()?, MeetingKind::from_code, "会议类型")?,
        title: c.string()?,
        held_on: parse_date(&c.string()?)?,
        place: c.opt_string()?,
        attendees: c.string()?,
        minutes: c.string()?,
        recorded_by: c.string()?,
        decisions: c.i64()?,
        version: c.i64()?,
    })
}

fn unit_from(c: &mut Cols<'_>) -> Result<(Unit, String)> {
    let kind = code(c.string()?, UnitKind::from_code, "责任单位类型")?;
    let id = c.i64()?;
    let name = c.opt_string()?.unwrap_or_default();
    Ok((Unit { kind, id }, name))
}

fn censure_from_row(row: &Row) -> Result<Censure> {
    let mut c = Cols::new(row);
    let id = c.i64()?;
    let region_id = c.i64()?;
    let region = c.string()?;
    let kind = code(c.string()?, CensureKind::from_code, "通报类型")?;
    let (unit, unit_name) = unit_from(&mut c)?;
    Ok(Censure {
        id,
        region_id,
        region,
        kind,
        unit,
        unit_name,
        on_day: parse_date(&c.string()?)?,
        reason: c.string()?,
        document: c.opt_string()?,
        interviewee: c.opt_string()?,
        recorded_by: c.string()?,
        follow_ups: c.i64()?,
        version: c.i64()?,
    })
}

fn assignment_from_row(row: &Row) -> Result<Assignment> {
    let mut c = Cols::new(row);
    let id = c.i64()?;
    let region_id = c.i64()?;
    let region = c.string()?;
    let source = code(c.string()?, AssignmentSource::from_code, "交办来源")?;
    let meeting_id = c.opt_i64()?;
    let censure_id = c.opt_i64()?;
    let title = c.opt_string()?.unwrap_or_default();
    let censure_unit = c.opt_string()?;
    let (unit, unit_name) = unit_from(&mut c)?;
    // A 通报's follow-up is titled by the 通报's kind ("约谈") and its unit.
    let source_title = match (source, censure_unit) {
        (AssignmentSource::Censure, Some(_)) => format!(
            "{}（{unit_name}）",
            CensureKind::from_code(&title)
                .map(|k| k.label(anju_core::Lang::Zh))
                .unwrap_or("通报")
        ),
        _ => title,
    };
    Ok(Assignment {
        id,
        region_id,
        region,
        source,
        meeting_id,
        censure_id,
        source_title,
        unit,
        unit_name,
        text: c.string()?,
        issued_on: parse_date(&c.string()?)?,
        deadline: parse_date(&c.string()?)?,
        status: code(c.string()?, AssignmentStatus::from_code, "交办事项状态")?,
        issued_by: c.string()?,
        result: c.opt_string()?,
        reported_on: opt_date(c.opt_string()?)?,
        first_reported_on: opt_date(c.opt_string()?)?,
        returns: c.u32()?,
        return_reason: c.opt_string()?,
        closed_on: opt_date(c.opt_string()?)?,
        version: c.i64()?,
    })
}

async fn fetch_group(conn: &mut Conn, id: i64) -> Result<OrgGroup> {
    let row = query(format!("{GROUP_SELECT} WHERE g.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound { entity: GROUP, id })?;
    group_from_row(&row)
}

async fn fetch_meeting(conn: &mut Conn, id: i64) -> Result<Meeting> {
    let row = query(format!("{MEETING_SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: MEETING,
            id,
        })?;
    meeting_from_row(&row)
}

async fn fetch_censure(conn: &mut Conn, id: i64) -> Result<Censure> {
    let row = query(format!("{} WHERE s.id = $1", censure_select()))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: CENSURE,
            id,
        })?;
    censure_from_row(&row)
}

async fn fetch_assignment(conn: &mut Conn, id: i64) -> Result<Assignment> {
    let row = query(format!("{} WHERE a.id = $1", assignment_select()))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound {
            entity: ASSIGNMENT,
            id,
        })?;
    assignment_from_row(&row)
}

/// The three unit columns' values for a unit (one set, two null).
fn unit_cols(u: Unit) -> [Option<i64>; 3] {
    match u.kind {
        UnitKind::Region => [Some(u.id), None, None],
        UnitKind::Department => [None, Some(u.id), None],
        UnitKind::Company => [None, None, Some(u.id)],
    }
}

async fn insert_members(
    conn: &mut Conn,
    group_id: i64,
    members: &[NewMember],
    at: &str,
) -> Result<()> {
    for m in members {
        if m.name.trim().is_empty() {
            return Err(StoreError::Invalid("成员姓名不能为空".into()));
        }
        query(
            "INSERT INTO org_members (group_id, name, position, role, department_id, joined_on, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(group_id)
        .bind(m.name.trim().to_string())
        .bind(m.position.trim().to_string())
        .bind(m.role.code())
        .bind(m.department_id)
        .bind(date_text(m.joined_on))
        .bind(at.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inserts an assignment with its first step (交办); returns its id.
async fn insert_assignment(
    conn: &mut Conn,
    actor: &Actor,
    region_id: i64,
    source: (AssignmentSource, i64),
    d: &NewDecision,
    issued_on: Date,
    at: &str,
) -> Result<i64> {
    let text = d.text.trim().to_string();
    if text.is_empty() {
        return Err(StoreError::Invalid("交办事项内容不能为空".into()));
    }
    if d.deadline < issued_on {
        return Err(StoreError::Invalid(format!(
            "完成时限 {} 早于交办日期 {issued_on}",
            d.deadline
        )));
    }
    let [ur, ud, uc] = unit_cols(d.unit);
    let (meeting_id, censure_id) = match source.0 {
        AssignmentSource::Meeting => (Some(source.1), None),
        AssignmentSource::Censure => (None, Some(source.1)),
    };
    let row = query(
        "INSERT INTO assignments (region_id, source, meeting_id, censure_id, unit_kind, \
         unit_region_id, unit_department_id, unit_company_id, text, issued_on, deadline, status, \
         issued_by, returns, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $11, 'open', $12, 0, 1, $13, $13) RETURNING id",
    )
    .bind(region_id)
    .bind(source.0.code())
    .bind(meeting_id)
    .bind(censure_id)
    .bind(d.unit.kind.code())
    .bind(ur)
    .bind(ud)
    .bind(uc)
    .bind(text)
    .bind(date_text(issued_on))
    .bind(date_text(d.deadline))
    .bind(actor.name.clone())
    .bind(at.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let id = Cols::new(&row).i64()?;
    add_step(conn, id, "issue", issued_on, &actor.name, None, at).await?;
    Ok(id)
}

async fn add_step(
    conn: &mut Conn,
    id: i64,
    step: &str,
    on: Date,
    by: &str,
    note: Option<&str>,
    at: &str,
) -> Result<()> {
    query(
        "INSERT INTO assignment_steps (assignment_id, step, on_day, by_name, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(step.to_string())
    .bind(date_text(on))
    .bind(by.to_string())
    .bind(note.map(str::to_string))
    .bind(at.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn inserted(entity: &'static str, id: i64, after: String) -> NewAudit {
    NewAudit {
        action: "insert",
        entity,
        entity_id: Some(id),
        before: None,
        after: Some(after),
    }
}

/// A record with its members or decisions, as the audit keeps it.
fn image<T: Serialize, U: Serialize>(record: &T, key: &str, items: &[U]) -> Result<String> {
    let mut v = serde_json::to_value(record)
        .map_err(|e| StoreError::Corrupt(format!("审计记录无法生成：{e}")))?;
    if let serde_json::Value::Object(m) = &mut v {
        m.insert(
            key.into(),
            serde_json::to_value(items)
                .map_err(|e| StoreError::Corrupt(format!("审计记录无法生成：{e}")))?,
        );
    }
    Ok(v.to_string())
}

impl Store {
    /// Sets up a body with its first members.
    pub async fn add_group(&self, actor: &Actor, new: NewGroup) -> Result<OrgGroup> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let row = query(
            "INSERT INTO org_groups (region_id, kind, name, office, document, established_on, \
             version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) \
             RETURNING id",
        )
        .bind(new.region_id)
        .bind(new.kind.code())
        .bind(new.name.trim().to_string())
        .bind(new.office.clone())
        .bind(new.document.clone())
        .bind(date_text(new.established_on))
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        insert_members(&mut tx, id, &new.members, &at).await?;
        let after = fetch_group(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![inserted(GROUP, id, image(&after, "members", &new.members)?)],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds members to a body (the body's version guards against a concurrent change).
    pub async fn add_group_members(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        members: &[NewMember],
    ) -> Result<OrgGroup> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = self.bump_group(&mut tx, id, expected_version, &at).await?;
        insert_members(&mut tx, id, members, &at).await?;
        let after = fetch_group(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: GROUP,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(image(&after, "members_added", members)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A member leaves a body on a day (not before they joined).
    pub async fn end_group_member(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        member_id: i64,
        left_on: Date,
    ) -> Result<OrgGroup> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        // The version first: a stale form is a conflict whatever member it names.
        let before = self.bump_group(&mut tx, id, expected_version, &at).await?;
        let row = query(format!(
            "{MEMBER_SELECT} WHERE m.id = $1 AND m.group_id = $2"
        ))
        .bind(member_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Refused {
            zh: format!("该机构没有编号为 {member_id} 的成员"),
            en: format!("the body has no member {member_id}"),
        })?;
        let member = member_from_row(&row)?;
        if member.left_on.is_some() {
            return Err(StoreError::Refused {
                zh: format!(
                    "{} 已于 {} 离开",
                    member.name,
                    member.left_on.unwrap_or(left_on)
                ),
                en: format!("{} has left already", member.name),
            });
        }
        if left_on < member.joined_on {
            return Err(StoreError::Refused {
                zh: format!("离任日期 {left_on} 早于加入日期 {}", member.joined_on),
                en: format!(
                    "{left_on} is before the day they joined, {}",
                    member.joined_on
                ),
            });
        }
        query("UPDATE org_members SET left_on = $1, updated_at = $2 WHERE id = $3")
            .bind(date_text(left_on))
            .bind(at.clone())
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        let after = fetch_group(&mut tx, id).await?;
        let mut left = member;
        left.left_on = Some(left_on);
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: GROUP,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(image(&after, "member_left", &[left])?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Checks a body's version and raises it; returns the body as it was.
    async fn bump_group(
        &self,
        conn: &mut Conn,
        id: i64,
        expected_version: i64,
        at: &str,
    ) -> Result<OrgGroup> {
        let before = fetch_group(conn, id).await?;
        let done = query(
            "UPDATE org_groups SET version = version + 1, updated_at = $1 \
             WHERE id = $2 AND version = $3",
        )
        .bind(at.to_string())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: GROUP,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        Ok(before)
    }

    pub async fn get_group(&self, id: i64) -> Result<OrgGroup> {
        let mut conn = self.pool.acquire().await?;
        fetch_group(&mut conn, id).await
    }

    /// A body's members, current first by role, then those who left.
    pub async fn group_members(&self, id: i64) -> Result<Vec<OrgMember>> {
        let rows = query(format!(
            "{MEMBER_SELECT} WHERE m.group_id = $1 ORDER BY (m.left_on IS NOT NULL), m.id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<OrgMember> = rows.iter().map(member_from_row).collect::<Result<_>>()?;
        out.sort_by_key(|m| (m.left_on.is_some(), m.role.rank(), m.id));
        Ok(out)
    }

    /// The bodies a reader sees, by region then kind.
    pub async fn list_groups(&self, scope: OrgScope) -> Result<Vec<OrgGroup>> {
        let mut vals = Vec::new();
        let cond = scope.condition("g.region_id", None, &mut vals);
        let rows = bind_all(
            query(format!(
                "{GROUP_SELECT} WHERE 1 = 1{cond} ORDER BY g.region_id, g.kind, g.id"
            )),
            vals,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(group_from_row).collect()
    }

    /// Records a meeting and hands out its decisions, in one transaction.
    pub async fn add_meeting(&self, actor: &Actor, new: NewMeeting) -> Result<Meeting> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let row = query(
            "INSERT INTO meetings (region_id, group_id, kind, title, held_on, place, attendees, \
             minutes, recorded_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, \
             $6, $7, $8, $9, 1, $10, $10) RETURNING id",
        )
        .bind(new.region_id)
        .bind(new.group_id)
        .bind(new.kind.code())
        .bind(new.title.trim().to_string())
        .bind(date_text(new.held_on))
        .bind(new.place.clone())
        .bind(new.attendees.trim().to_string())
        .bind(new.minutes.trim().to_string())
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let mut audits = Vec::new();
        for d in &new.decisions {
            let a = insert_assignment(
                &mut tx,
                actor,
                new.region_id,
                (AssignmentSource::Meeting, id),
                d,
                new.held_on,
                &at,
            )
            .await?;
            audits.push(inserted(
                ASSIGNMENT,
                a,
                to_json(&fetch_assignment(&mut tx, a).await?)?,
            ));
        }
        let after = fetch_meeting(&mut tx, id).await?;
        audits.insert(0, inserted(MEETING, id, to_json(&after)?));
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Hands out one more decision of a meeting, dated `issued_on`.
    pub async fn add_meeting_decision(
        &self,
        actor: &Actor,
        meeting_id: i64,
        d: &NewDecision,
        issued_on: Date,
    ) -> Result<Assignment> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let m = fetch_meeting(&mut tx, meeting_id).await?;
        if issued_on < m.held_on {
            return Err(StoreError::Refused {
                zh: format!("交办日期 {issued_on} 早于会议日期 {}", m.held_on),
                en: format!("{issued_on} is before the meeting, {}", m.held_on),
            });
        }
        let id = insert_assignment(
            &mut tx,
            actor,
            m.region_id,
            (AssignmentSource::Meeting, meeting_id),
            d,
            issued_on,
            &at,
        )
        .await?;
        let after = fetch_assignment(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![inserted(ASSIGNMENT, id, to_json(&after)?)],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_meeting(&self, id: i64) -> Result<Meeting> {
        let mut conn = self.pool.acquire().await?;
        fetch_meeting(&mut conn, id).await
    }

    /// The meetings a reader sees (of one body, of one kind, held at one region, when given),
    /// latest first; held in `[from, to]` when given.
    pub async fn list_meetings(
        &self,
        scope: OrgScope,
        group_id: Option<i64>,
        from: Option<Date>,
        to: Option<Date>,
        kind: Option<MeetingKind>,
        at_region: Option<i64>,
    ) -> Result<Vec<Meeting>> {
        let mut w = Filter::new();
        w.with_vals(|vals| scope.condition("t.region_id", None, vals));
        w.and_some(group_id, "t.group_id = ?", Val::int);
        w.and_some(from, "t.held_on >= ?", |d| Val::text(date_text(d)));
        w.and_some(kind, "t.kind = ?", |k| Val::text(k.code()));
        w.and_some(at_region, "t.region_id = ?", Val::int);
        w.and_some(to, "t.held_on <= ?", |d| Val::text(date_text(d)));
        let mut sql = format!("{MEETING_SELECT} WHERE 1 = 1{}", w.sql());
        let vals = w.into_vals();
        sql.push_str(" ORDER BY t.held_on DESC, t.id DESC");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter().map(meeting_from_row).collect()
    }

    /// Records a 通报 or 约谈 with its 整改要求 (an assignment of the unit named).
    pub async fn add_censure(&self, actor: &Actor, new: NewCensure) -> Result<Censure> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let [ur, ud, uc] = unit_cols(new.unit);
        let row = query(
            "INSERT INTO censures (region_id, kind, unit_kind, unit_region_id, \
             unit_department_id, unit_company_id, on_day, reason, document, interviewee, \
             recorded_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, 1, $12, $12) RETURNING id",
        )
        .bind(new.region_id)
        .bind(new.kind.code())
        .bind(new.unit.kind.code())
        .bind(ur)
        .bind(ud)
        .bind(uc)
        .bind(date_text(new.on_day))
        .bind(new.reason.trim().to_string())
        .bind(new.document.clone())
        .bind(new.interviewee.clone())
        .bind(actor.name.clone())
        .bind(at.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id = Cols::new(&row).i64()?;
        let mut audits = Vec::new();
        if let Some((text, deadline)) = &new.follow_up {
            let d = NewDecision {
                unit: new.unit,
                text: text.clone(),
                deadline: *deadline,
            };
            let a = insert_assignment(
                &mut tx,
                actor,
                new.region_id,
                (AssignmentSource::Censure, id),
                &d,
                new.on_day,
                &at,
            )
            .await?;
            audits.push(inserted(
                ASSIGNMENT,
                a,
                to_json(&fetch_assignment(&mut tx, a).await?)?,
            ));
        }
        let after = fetch_censure(&mut tx, id).await?;
        audits.insert(0, inserted(CENSURE, id, to_json(&after)?));
        audit::append(&mut tx, actor, &at, audits).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_censure(&self, id: i64) -> Result<Censure> {
        let mut conn = self.pool.acquire().await?;
        fetch_censure(&mut conn, id).await
    }

    /// The 通报 and 约谈 a reader sees, latest first.
    pub async fn list_censures(&self, scope: OrgScope) -> Result<Vec<Censure>> {
        let mut vals = Vec::new();
        let cond = scope.condition("s.region_id", Some("s.unit_company_id"), &mut vals);
        let rows = bind_all(
            query(format!(
                "{} WHERE 1 = 1{cond} ORDER BY s.on_day DESC, s.id DESC",
                censure_select()
            )),
            vals,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(censure_from_row).collect()
    }

    pub async fn get_assignment(&self, id: i64) -> Result<Assignment> {
        let mut conn = self.pool.acquire().await?;
        fetch_assignment(&mut conn, id).await
    }

    /// The assignments a filter names, by deadline.
    pub async fn list_assignments(&self, f: &AssignmentFilter) -> Result<Vec<Assignment>> {
        let mut w = Filter::new();
        w.with_vals(|vals| {
            f.scope
                .condition("a.region_id", Some("a.unit_company_id"), vals)
        });
        if let Some(u) = f.unit {
            let col = match u.kind {
                anju_core::organisation::UnitKind::Region => "a.unit_region_id",
                anju_core::organisation::UnitKind::Department => "a.unit_department_id",
                anju_core::organisation::UnitKind::Company => "a.unit_company_id",
            };
            w.and(&format!("{col} = ?"), [Val::int(u.id)]);
        }
        w.and_some(f.meeting_id, "a.meeting_id = ?", Val::int);
        w.and_some(f.censure_id, "a.censure_id = ?", Val::int);
        if f.open_only {
            // The codes of `AssignmentStatus::is_open`, constants of the domain.
            let open: Vec<String> = AssignmentStatus::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| format!("'{}'", s.code()))
                .collect();
            w.and(&format!("a.status IN ({})", open.join(", ")), []);
        }
        w.and_if(f.reported_only, "a.status = 'reported'");
        w.and_some(
            f.issued_under,
            "a.region_id IN (SELECT g.id FROM regions g \
             LEFT JOIN regions g1 ON g1.id = g.parent_id \
             LEFT JOIN regions g2 ON g2.id = g1.parent_id \
             WHERE g.id = ? OR g1.id = ? OR g2.id = ? OR g2.parent_id = ?)",
            Val::int,
        );
        let mut sql = format!("{} WHERE 1 = 1{}", assignment_select(), w.sql());
        let vals = w.into_vals();
        sql.push_str(" ORDER BY a.deadline, a.id");
        let rows = bind_all(query(sql), vals).fetch_all(&self.pool).await?;
        rows.iter().map(assignment_from_row).collect()
    }

    /// An assignment's steps, in order.
    pub async fn assignment_steps(&self, id: i64) -> Result<Vec<AssignmentStepRecord>> {
        let rows = query(
            "SELECT step, on_day, by_name, note FROM assignment_steps \
             WHERE assignment_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut c = Cols::new(r);
                Ok(AssignmentStepRecord {
                    step: c.string()?,
                    on: parse_date(&c.string()?)?,
                    by: c.string()?,
                    note: c.opt_string()?,
                })
            })
            .collect()
    }

    /// A step of an assignment (`anju_core::organisation::next` decides whether it may be
    /// taken); a step dated before the previous one is refused. 报结 needs its result, 退回 its
    /// reason (in `note`).
    pub async fn assignment_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        step: AssignmentStep,
        on: Date,
        note: Option<String>,
    ) -> Result<Assignment> {
        let at = now_ts();
        let mut tx = self.begin_write().await?;
        let before = fetch_assignment(&mut tx, id).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: ASSIGNMENT,
                id,
                expected: expected_version,
                actual: before.version,
            });
        }
        let to = next_status(before.status, step)
            .map_err(|e| StoreError::Refused { zh: e.zh, en: e.en })?;
        let last = query(
            "SELECT on_day FROM assignment_steps WHERE assignment_id = $1 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let last = parse_date(&Cols::new(&last).string()?)?;
        if on < last {
            return Err(StoreError::Refused {
                zh: format!("日期 {on} 早于上一步的日期 {last}"),
                en: format!("{on} is before the previous step's day {last}"),
            });
        }
        let note = note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let day = date_text(on);
        let mut vals = vec![Val::text(to.code())];
        let set = match step {
            AssignmentStep::Report => {
                let Some(result) = note.clone() else {
                    return Err(StoreError::Invalid("报结须填写办理结果".into()));
                };
                vals.push(Val::text(result));
                vals.push(Val::text(day));
                "result = $2, reported_on = $3, \
                 first_reported_on = COALESCE(first_reported_on, $3)"
            }
            AssignmentStep::Close => {
                vals.push(Val::text(day));
                "closed_on = $2"
            }
            AssignmentStep::Return => {
                let Some(reason) = note.clone() else {
                    return Err(StoreError::Invalid("退回须说明理由".into()));
                };
                vals.push(Val::text(reason));
                "return_reason = $2, returns = returns + 1"
            }
        };
        vals.push(Val::text(at.clone()));
        let at_n = vals.len();
        vals.push(Val::int(id));
        let id_n = vals.len();
        vals.push(Val::int(expected_version));
        let v_n = vals.len();
        let done = bind_all(
            query(format!(
                "UPDATE assignments SET status = $1, {set}, version = version + 1, \
                 updated_at = ${at_n} WHERE id = ${id_n} AND version = ${v_n}"
            )),
            vals,
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                entity: ASSIGNMENT,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        add_step(
            &mut tx,
            id,
            step.code(),
            on,
            &actor.name,
            note.as_deref(),
            &at,
        )
        .await?;
        let after = fetch_assignment(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            &at,
            vec![NewAudit {
                action: "update",
                entity: ASSIGNMENT,
                entity_id: Some(id),
                before: Some(to_json(&before)?),
                after: Some(to_json(&after)?),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
