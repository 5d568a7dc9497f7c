//! What a resident reaches without an account: a compound's public page (公示页: its
//! management, its contract in force, its public accounts) by the key printed on the notice,
//! a complaint from that page, and a survey by the link of one household. A wrong key or
//! token finds nothing (`None`), never an error that tells whether it exists.

use crate::{App, AppError, Result};
use anju_store::{
    AccountStatement, Company, Complaint, ContractRecord, StoreError, StoredCompound, TokenSurvey,
};

/// The categories a resident chooses from on the public page (Chinese, English).
pub const COMPLAINT_CATEGORIES: [(&str, &str); 6] = [
    ("环境卫生", "Cleanliness"),
    ("设施维修", "Repairs"),
    ("秩序安全", "Order and safety"),
    ("物业收费", "Fees"),
    ("服务态度", "Staff conduct"),
    ("其他", "Other"),
];

/// A compound's public page.
#[derive(Debug, Clone)]
pub struct PublicCompound {
    pub compound: StoredCompound,
    /// The company the ledger names for the compound (its name, contact person and phone are
    /// what a resident needs), whether or not its contract is on record yet.
    pub company: Option<Company>,
    /// The contracts in force.
    pub contracts: Vec<ContractRecord>,
    /// The periods of the public accounts, newest first.
    pub periods: Vec<String>,
    /// The period shown: the one asked for, else the newest.
    pub period: Option<String>,
    /// Its statement (owners' body share at the configured default), when it has entries.
    pub statement: Option<AccountStatement>,
    /// 专项维修资金: the balance and the uses paid (issue 19 item 4), when the fund has entries.
    pub fund: Option<anju_store::FundAccount>,
}

/// A complaint as a resident types it on the public page.
#[derive(Debug, Clone, Default)]
pub struct ResidentComplaint {
    pub category: String,
    pub text: String,
    pub contact: Option<String>,
}

impl App {
    /// The public page of the compound with this key, showing `period` when given.
    pub async fn public_compound(
        &self,
        key: &str,
        period: Option<&str>,
    ) -> Result<Option<PublicCompound>> {
        let Some(id) = self.store.compound_by_public_key(key).await? else {
            return Ok(None);
        };
        let compound = self.store.get_compound(id).await?;
        let company = match compound.company_id {
            Some(c) => match self.store.get_company(c).await {
                Ok(co) => Some(co),
                Err(StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let contracts = self
            .store
            .list_contracts_of(id, None)
            .await?
            .into_iter()
            .filter(|k| k.active)
            .collect();
        let periods = self.store.account_periods(id).await?;
        let period = period
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .or_else(|| periods.first().cloned());
        let statement = match &period {
            Some(p) => Some(
                self.store
                    .account_statement(id, p, self.config.owners_share())
                    .await?,
            )
            .filter(|st| !st.entries.is_empty()),
            None => None,
        };
        let fund = Some(self.store.fund_account(id).await?)
            .filter(|f| !f.entries.is_empty())
            .map(|mut f| {
                // The public sees the money and what it paid for, not applications in progress.
                f.uses.retain(|u| u.status == "paid");
                f
            });
        Ok(Some(PublicCompound {
            fund,
            compound,
            company,
            contracts,
            periods,
            period,
            statement,
        }))
    }

    /// A resident's complaint from the public page of the compound with this key, dated
    /// today; `None` when no compound has the key. The category is one of
    /// [`COMPLAINT_CATEGORIES`]; the texts are checked as every complaint's are.
    pub async fn public_complaint(
        &self,
        key: &str,
        c: ResidentComplaint,
    ) -> Result<Option<Complaint>> {
        let category = c.category.trim();
        if !COMPLAINT_CATEGORIES.iter().any(|(zh, _)| *zh == category) {
            return Err(AppError::field(
                "category",
                "投诉类别",
                "请从列表中选择",
                "choose one from the list",
            ));
        }
        let Some(compound_id) = self.store.compound_by_public_key(key).await? else {
            return Ok(None);
        };
        self.resident_complaint(crate::oversight::ComplaintInput {
            compound_id: anju_core::CompoundId(compound_id),
            source: anju_core::oversight::ComplaintSource::Resident,
            category: category.to_string(),
            text: c.text,
            received_on: self.today(),
            contact: c.contact.filter(|x| !x.trim().is_empty()),
        })
        .await
        .map(Some)
    }

    /// The survey a household's link opens, if the token is one.
    pub async fn survey_by_token(&self, token: &str) -> Result<Option<TokenSurvey>> {
        Ok(self.store.survey_by_token(token).await?)
    }
}

/// One record on the public list of bad conduct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedConduct {
    pub happened_on: jiff::civil::Date,
    /// What happened (the record's note).
    pub what: String,
    pub compound: Option<String>,
    /// The last day it stands on the list.
    pub until: jiff::civil::Date,
}

/// One company on the public list (不良行为记录公示), with its standing records, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCompany {
    pub company: String,
    pub credit_code: Option<String>,
    pub records: Vec<ListedConduct>,
}

impl App {
    /// 不良行为记录公示 (seed 003 三（二）"完善物业服务企业不良行为记录公示制度"): every company
    /// with a bad-conduct record that stands today (within the credit scheme's window), the
    /// records newest first, each with the day it leaves the list. Public: no account needed.
    pub async fn public_bad_conduct(&self) -> Result<Vec<ListedCompany>> {
        let today = self.today();
        let scheme = &self.config().credit_scheme;
        let companies = self.store.list_companies().await?;
        let mut by_company: std::collections::BTreeMap<i64, Vec<anju_core::credit::CreditRecord>> =
            std::collections::BTreeMap::new();
        for r in self.store.all_company_records().await? {
            if r.record.kind == anju_core::credit::RecordKind::BadConduct {
                by_company.entry(r.company_id).or_default().push(r.record);
            }
        }
        let mut out: Vec<ListedCompany> = Vec::new();
        for (id, records) in by_company {
            let standing = anju_core::credit::standing_bad_conduct(&records, scheme, today);
            if standing.is_empty() {
                continue;
            }
            let Some(c) = companies.iter().find(|c| c.id == id) else {
                continue;
            };
            out.push(ListedCompany {
                company: c.name.clone(),
                credit_code: c.credit_code.as_ref().map(ToString::to_string),
                records: standing
                    .into_iter()
                    .map(|r| ListedConduct {
                        happened_on: r.happened_on,
                        what: r.note.clone().unwrap_or_default(),
                        compound: r.compound.clone(),
                        until: anju_core::credit::last_day_listed(r.happened_on, scheme),
                    })
                    .collect(),
            });
        }
        out.sort_by(|a, b| {
            b.records
                .first()
                .map(|r| r.happened_on)
                .cmp(&a.records.first().map(|r| r.happened_on))
                .then_with(|| a.company.cmp(&b.company))
        });
        Ok(out)
    }
}
