//! Property companies (物业服务企业) and their credit files (信用档案, seed 003 四(二)): the list
//! with every company's score and grade, one company's registry facts with its file and its
//! grade explained, a record added to a file, a company registered.
//!
//! Grades are computed here and nowhere else, with the one scheme of [`crate::Config`]
//! (`credit_scheme`: the embedded default unless `--scheme FILE` gave another), by
//! `anju_core::credit::grade`. The pages, the API and the CLI render what these return.
//!
//! Who sees what: reading needs `ViewLedger`; a company's account sees its own company only
//! (the list holds it alone, another company's file is refused); an account bound to nothing
//! (a company account without its company, an official without their region) sees none.
//! Everyone else sees every company; the number of compounds each serves is counted within
//! the reader's scope, and a file lists only the served compounds the reader may see.
//! Registering a company and adding to a credit file need `ManageCompanies`.

use crate::App;
use crate::check::{self, Field, NAME_MAX, NOTE_MAX};
use crate::dates::EventDate;
use crate::error::{AppError, Result};
use crate::principal::{Principal, Scope};
use anju_core::CreditCode;
use anju_core::access::Action;
use anju_core::credit::{CreditGrade, CreditRecord, RecordKind, grade};
use anju_core::{CompanyId, CompoundId};
use anju_store::{Company, CompanyRecord, CompanyUpdate, CompoundFilter, NewCompanyRecord};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which companies the list holds and as of which day they are graded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompanyQuery {
    /// Grade as of this day (default: today by the application's clock).
    pub as_of: Option<Date>,
    /// Archived companies too (the registry listing); the grades list leaves them out.
    pub include_archived: bool,
}

/// One company of the list with its current score and grade.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GradedCompany {
    pub company: Company,
    /// Compounds it serves, counted within the reader's scope.
    pub compounds: u64,
    /// Records in its credit file (all of them, not only the grading window).
    pub records: usize,
    pub grade: CreditGrade,
}

/// The companies the reader may see, graded.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyList {
    pub as_of: Date,
    /// The scheme's name (信用等级方案).
    pub scheme: String,
    pub companies: Vec<GradedCompany>,
}

/// A compound a company serves, as a file lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServedCompound {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub community: Option<String>,
}

/// One company: registry facts, credit file (oldest first), grade with its explanation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompanyFile {
    pub company: Company,
    pub grade: CreditGrade,
    pub records: Vec<CompanyRecord>,
    /// The compounds it serves that the reader may see.
    pub compounds: Vec<ServedCompound>,
}

/// A record for a credit file (加分 by an assessment's score, 扣分 by bad conduct, complaints
/// and dismissals). Only the figure of its kind may be given: a score for an assessment,
/// points for bad conduct, a count for complaints.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
pub struct NewCreditRecord {
    pub kind: RecordKind,
    /// When it happened: not after today.
    pub happened_on: Date,
    /// The period an assessment or a complaint count covers ("2022", "2022-H1", "2022-10").
    #[serde(default)]
    pub period: Option<String>,
    /// An assessment's score, 0–100, at most two decimals.
    #[serde(default)]
    #[schema(schema_with = anju_core::schema::decimal_input)]
    pub score: Option<Decimal>,
    /// Points a bad-conduct record deducts (the scheme's default when none).
    #[serde(default)]
    #[schema(schema_with = anju_core::schema::decimal_input)]
    pub points: Option<Decimal>,
    /// How many complaints a complaint record counts (≥ 1).
    #[serde(default)]
    pub complaints: Option<u32>,
    /// Who assessed (考核单位).
    #[serde(default)]
    pub assessor: Option<String>,
    /// The compound concerned (within the principal's scope).
    #[serde(default)]
    pub compound_id: Option<i64>,
    /// What happened, the reason.
    #[serde(default)]
    pub note: Option<String>,
}

impl NewCreditRecord {
    /// A record of `kind` on `happened_on` with nothing else filled in.
    pub fn new(kind: RecordKind, happened_on: Date) -> NewCreditRecord {
        NewCreditRecord {
            kind,
            happened_on,
            period: None,
            score: None,
            points: None,
            complaints: None,
            assessor: None,
            compound_id: None,
            note: None,
        }
    }
}

/// A record added, and the company's grade as of today with it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordAdded {
    pub company: Company,
    pub record: CompanyRecord,
    pub grade: CreditGrade,
}

/// A company to register (登记企业).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewCompany {
    pub name: String,
    /// 统一社会信用代码 as typed (checked, GB 32100-2015).
    #[serde(default)]
    pub credit_code: Option<String>,
    #[serde(default)]
    pub contact_person: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// As [`require_company`], and an owners' body reads only the file of the company serving its
/// compound.
async fn require_company_file(app: &App, who: &Principal, id: i64) -> Result<()> {
    if let Scope::Compound(own) = who.scope()
        && app.store().get_compound(own).await?.company_id != Some(id)
    {
        return Err(AppError::forbidden(
            "只能查看为本小区服务的物业企业的信用档案",
            "you may see only the file of the company serving your compound",
        ));
    }
    require_company(who, id)
}

/// Refused unless the principal may read company `id`'s file.
fn require_company(who: &Principal, id: i64) -> Result<()> {
    match who.scope() {
        Scope::Company(own) if own != id => Err(AppError::forbidden(
            "无权查看其他物业企业的信用档案",
            "you may not see another company's credit file",
        )),
        Scope::Nothing => Err(AppError::forbidden(
            "您的账号未关联物业企业或管辖范围，无权查看企业信用档案",
            "your account is bound to no company or area, so it may see no credit file",
        )),
        _ => Ok(()),
    }
}

/// The figures of a new record, each checked against its kind, named by its field.
fn check_record(r: &NewCreditRecord) -> Result<CreditRecord> {
    let kind = r.kind;
    let only_for = |key: &'static str, zh: &'static str, what: RecordKind| {
        Field::new(key, zh).error(
            format!("只有“{}”记录填写此项，本条是“{}”记录", what.zh(), kind.zh()),
            format!(
                "only a record of {} takes this; this one is {}",
                what.en(),
                kind.en()
            ),
        )
    };
    let score = match (kind, r.score) {
        (RecordKind::Assessment, Some(s)) => Some(check::hundredths(
            Field::new("score", "考核分"),
            s,
            Some(Decimal::ONE_HUNDRED),
        )?),
        (RecordKind::Assessment, None) => {
            return Err(Field::new("score", "考核分").error(
                "考核记录须填写考核分（0–100）",
                "an assessment needs its score (0–100)",
            ));
        }
        (_, Some(_)) => return Err(only_for("score", "考核分", RecordKind::Assessment)),
        (_, None) => None,
    };
    let points = match (kind, r.points) {
        (RecordKind::BadConduct, Some(p)) => Some(check::hundredths(
            Field::new("points", "扣分"),
            p,
            Some(Decimal::ONE_HUNDRED),
        )?),
        (_, Some(_)) => return Err(only_for("points", "扣分", RecordKind::BadConduct)),
        (_, None) => None,
    };
    let complaints = match (kind, r.complaints) {
        (RecordKind::Complaint, Some(n)) => {
            check::positive(Field::new("complaints", "投诉件数"), i64::from(n))?;
            Some(n)
        }
        (RecordKind::Complaint, None) => {
            return Err(Field::new("complaints", "投诉件数").error(
                "投诉记录须填写投诉件数（至少 1 件）",
                "a complaint record needs the number of complaints (at least 1)",
            ));
        }
        (_, Some(_)) => {
            return Err(only_for("complaints", "投诉件数", RecordKind::Complaint));
        }
        (_, None) => None,
    };
    Ok(CreditRecord {
        period: check::opt_text(
            Field::new("period", "期间"),
            r.period.as_deref(),
            NAME_MAX,
            false,
        )?,
        score,
        points,
        complaints,
        assessor: check::opt_text(
            Field::new("assessor", "考核单位"),
            r.assessor.as_deref(),
            NAME_MAX,
            false,
        )?,
        note: check::opt_text(
            Field::new("note", "说明"),
            r.note.as_deref(),
            NOTE_MAX,
            true,
        )?,
        ..CreditRecord::new(kind, r.happened_on)
    })
}

fn credit_records(file: &[CompanyRecord]) -> Vec<CreditRecord> {
    file.iter().map(|r| r.record.clone()).collect()
}

impl App {
    /// The grade of a credit file as of `as_of`, by the configured scheme.
    pub fn grade_of(&self, file: &[CompanyRecord], as_of: Date) -> CreditGrade {
        grade(&credit_records(file), &self.config().credit_scheme, as_of)
    }

    /// The companies the principal may see, each with its score and grade as of the day asked
    /// (today by default). The credit records of all are read in one query.
    pub async fn companies(&self, who: &Principal, q: CompanyQuery) -> Result<CompanyList> {
        who.require(Action::ViewLedger)?;
        let as_of = q.as_of.unwrap_or_else(|| self.today());
        let scope = who.scope();
        // A company reads its own file; an owners' body the file of the company serving its
        // compound (none while none does).
        let own = match scope {
            Scope::Company(own) => Some(own),
            Scope::Compound(id) => self.store().get_compound(id).await?.company_id,
            _ => None,
        };
        let companies: Vec<Company> = match (scope, own) {
            (Scope::Nothing, _) | (Scope::Compound(_), None) => Vec::new(),
            (Scope::Company(_) | Scope::Compound(_), Some(own)) => {
                vec![self.store().get_company(own).await?]
            }
            (Scope::All | Scope::Region(_), _) | (Scope::Company(_), None) => {
                self.store().list_companies().await?
            }
        }
        .into_iter()
        .filter(|c| q.include_archived || !c.archived)
        .collect();
        let mut served = if companies.is_empty() {
            HashMap::new()
        } else {
            self.store()
                .compounds_per_company(&who.compound_filter())
                .await?
        };
        let mut files: HashMap<i64, Vec<CompanyRecord>> = HashMap::new();
        if !companies.is_empty() {
            let records = match own {
                Some(own) => self.store().company_records(own).await?,
                None => self.store().all_company_records().await?,
            };
            for r in records {
                files.entry(r.company_id).or_default().push(r);
            }
        }
        let companies = companies
            .into_iter()
            .map(|company| {
                let file = files.remove(&company.id).unwrap_or_default();
                GradedCompany {
                    compounds: served.remove(&company.id).unwrap_or(0),
                    records: file.len(),
                    grade: self.grade_of(&file, as_of),
                    company,
                }
            })
            .collect();
        Ok(CompanyList {
            as_of,
            scheme: self.config().credit_scheme.name.clone(),
            companies,
        })
    }

    /// One company's registry facts, credit file and grade (with its explanation) as of the
    /// day asked (today by default). A company's account reads only its own.
    pub async fn company_file(
        &self,
        who: &Principal,
        id: CompanyId,
        as_of: Option<Date>,
    ) -> Result<CompanyFile> {
        who.require(Action::ViewLedger)?;
        require_company_file(self, who, id.get()).await?;
        let company = self.store().get_company(id.get()).await?;
        let records = self.store().company_records(id.get()).await?;
        let grade = self.grade_of(&records, as_of.unwrap_or_else(|| self.today()));
        // An owners' body reads the grade and the records about its own compound only.
        let records = match who.scope() {
            Scope::Compound(own) => self.store().company_records_about(id.get(), own).await?,
            _ => records,
        };
        let compounds = self
            .store()
            .list_compounds(&who.scoped(CompoundFilter {
                company_id: Some(id.get()),
                ..CompoundFilter::default()
            }))
            .await?
            .into_iter()
            .filter(|c| c.company_id == Some(id.get()))
            .map(|c| ServedCompound {
                id: c.id,
                name: c.compound.name,
                street: c.compound.street,
                community: c.compound.community,
            })
            .collect();
        Ok(CompanyFile {
            company,
            grade,
            records,
            compounds,
        })
    }

    /// A company by its number or its exact name (the command line's way of naming one),
    /// within what the principal may see.
    pub async fn find_company(&self, who: &Principal, key: &str) -> Result<Company> {
        let key = key.trim();
        let by_id = match key.parse::<i64>() {
            Ok(id) => match self.store().get_company(id).await {
                Ok(c) => Some(c),
                Err(anju_store::StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Err(_) => None,
        };
        let found = match by_id {
            Some(c) => Some(c),
            None => self.store().list_companies().await?.into_iter().find(|c| {
                c.name == key || c.credit_code.as_ref().is_some_and(|k| k.as_str() == key)
            }),
        };
        let c = found.ok_or_else(|| {
            Field::new("company", "企业").error(
                format!("找不到企业“{key}”（名称与编号见“物业企业”页面）"),
                format!("no company '{key}' (the names and numbers are on the Companies page)"),
            )
        })?;
        require_company_file(self, who, c.id).await?;
        Ok(c)
    }

    /// Adds a record to a company's credit file (记入信用档案): the figure its kind needs and
    /// no other, texts within their limits, the compound within the principal's scope, and
    /// the day it happened not after today. Returns the record and the grade as of today.
    pub async fn add_credit_record(
        &self,
        who: &Principal,
        company_id: CompanyId,
        new: NewCreditRecord,
    ) -> Result<RecordAdded> {
        who.require(Action::ManageCompanies)?;
        require_company(who, company_id.get())?;
        let company = self.store().get_company(company_id.get()).await?;
        if let Some(cid) = new.compound_id {
            self.compound_in_scope(who, CompoundId(cid)).await?;
        }
        let today = self.today();
        let record = check_record(&new)?;
        EventDate::CreditRecord.check(record.happened_on, today)?;
        let record = self
            .store()
            .add_company_record(
                &who.actor(),
                company_id.get(),
                NewCompanyRecord {
                    record,
                    compound_id: new.compound_id,
                },
            )
            .await?;
        let file = self.store().company_records(company_id.get()).await?;
        Ok(RecordAdded {
            grade: self.grade_of(&file, today),
            company,
            record,
        })
    }

    /// Registers a company (登记企业): its name within the limit, its credit code checked
    /// (GB 32100-2015), its contacts without control characters. A name or a code already on
    /// file is refused by the store.
    pub async fn register_company(&self, who: &Principal, new: NewCompany) -> Result<Company> {
        who.require(Action::ManageCompanies)?;
        let name = check::text(Field::new("name", "企业名称"), &new.name, NAME_MAX, false)?;
        let credit_code = match new.credit_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(CreditCode::parse(s).map_err(|e| {
                Field::new("credit_code", "统一社会信用代码").error(&e, e.english())
            })?),
        };
        let contact_person = check::opt_text(
            Field::new("contact_person", "联系人"),
            new.contact_person.as_deref(),
            NAME_MAX,
            false,
        )?;
        let phone = check::opt_text(
            Field::new("phone", "联系电话"),
            new.phone.as_deref(),
            50,
            false,
        )?;
        Ok(self
            .store()
            .register_company(
                &who.actor(),
                CompanyUpdate {
                    name,
                    credit_code,
                    contact_person,
                    phone,
                },
            )
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn a_record_takes_the_figure_of_its_kind_and_names_the_field() {
        let on = date(2026, 11, 1);
        let cases: Vec<(NewCreditRecord, Option<&str>)> = vec![
            (
                NewCreditRecord {
                    score: Some(d("86.5")),
                    ..NewCreditRecord::new(RecordKind::Assessment, on)
                },
                None,
            ),
            (
                NewCreditRecord::new(RecordKind::Assessment, on),
                Some("score"),
            ),
            (
                NewCreditRecord {
                    score: Some(d("100.5")),
                    ..NewCreditRecord::new(RecordKind::Assessment, on)
                },
                Some("score"),
            ),
            (
                NewCreditRecord {
                    score: Some(d("86.505")),
                    ..NewCreditRecord::new(RecordKind::Assessment, on)
                },
                Some("score"),
            ),
            (
                NewCreditRecord {
                    score: Some(d("80")),
                    ..NewCreditRecord::new(RecordKind::Dismissal, on)
                },
                Some("score"),
            ),
            (NewCreditRecord::new(RecordKind::BadConduct, on), None),
            (
                NewCreditRecord {
                    points: Some(d("-1")),
                    ..NewCreditRecord::new(RecordKind::BadConduct, on)
                },
                Some("points"),
            ),
            (
                NewCreditRecord {
                    points: Some(d("3")),
                    ..NewCreditRecord::new(RecordKind::Complaint, on)
                },
                Some("points"),
            ),
            (
                NewCreditRecord::new(RecordKind::Complaint, on),
                Some("complaints"),
            ),
            (
                NewCreditRecord {
                    complaints: Some(0),
                    ..NewCreditRecord::new(RecordKind::Complaint, on)
                },
                Some("complaints"),
            ),
            (
                NewCreditRecord {
                    complaints: Some(6),
                    ..NewCreditRecord::new(RecordKind::Complaint, on)
                },
                None,
            ),
            (
                NewCreditRecord {
                    note: Some("a\u{7}b".into()),
                    ..NewCreditRecord::new(RecordKind::Dismissal, on)
                },
                Some("note"),
            ),
        ];
        for (r, field) in cases {
            let got = check_record(&r);
            assert_eq!(
                got.as_ref().err().and_then(|e| e.field_name()),
                field,
                "{r:?}"
            );
            if let Ok(c) = got {
                assert!(c.validate().is_ok(), "{c:?}");
            }
        }
    }

    #[test]
    fn a_company_account_reads_its_own_file_only() {
        let mut who = Principal::admin("t", anju_core::Lang::Zh);
        assert!(require_company(&who, 7).is_ok());
        who.role = anju_core::access::Role::Company;
        assert!(require_company(&who, 7).is_err(), "bound to nothing");
        who.company_id = Some(7);
        assert!(require_company(&who, 7).is_ok());
        assert!(require_company(&who, 8).is_err());
    }
}
