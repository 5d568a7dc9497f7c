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
        Ok(Some(PublicCompound {
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
