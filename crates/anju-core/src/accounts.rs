//! 收支公示 (seed 002 七(四)): a compound's income — 物业服务费, 公共收益, 区政府物业补贴 — and
//! spending for a period, with the balance, and the owners' body share of the fees (seed 004:
//! 业主委员会 receives 6–10 % of the fees).
//!
//! Sums are exact in fen; the owners' share is the percent of fee income rounded half-up once.

use crate::Lang;
use crate::money::Fen;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The kind of an account line.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 物业服务费收入
    IncomeFees,
    /// 公共收益收入
    IncomePublicRevenue,
    /// 政府物业补贴
    IncomeSubsidy,
    /// 支出 (with a category)
    Spending,
}

impl EntryKind {
    pub const ALL: [EntryKind; 4] = [
        EntryKind::IncomeFees,
        EntryKind::IncomePublicRevenue,
        EntryKind::IncomeSubsidy,
        EntryKind::Spending,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::IncomeFees => "income_fees",
            EntryKind::IncomePublicRevenue => "income_public_revenue",
            EntryKind::IncomeSubsidy => "income_subsidy",
            EntryKind::Spending => "spending",
        }
    }

    pub fn from_code(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (EntryKind::IncomeFees, Lang::Zh) => "物业服务费收入",
            (EntryKind::IncomePublicRevenue, Lang::Zh) => "公共收益收入",
            (EntryKind::IncomeSubsidy, Lang::Zh) => "政府物业补贴",
            (EntryKind::Spending, Lang::Zh) => "支出",
            (EntryKind::IncomeFees, Lang::En) => "Property-service fees",
            (EntryKind::IncomePublicRevenue, Lang::En) => "Public revenue",
            (EntryKind::IncomeSubsidy, Lang::En) => "Government subsidy",
            (EntryKind::Spending, Lang::En) => "Spending",
        }
    }

    pub fn is_income(self) -> bool {
        self != EntryKind::Spending
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("业主委员会分成比例 {0}% 不在 6%–10% 之间（大沁他拉：物业费的6–10%）")]
    ShareOutOfRange(String),
}

impl AccountError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::Zh) => self.to_string(),
            (AccountError::ShareOutOfRange(p), Lang::En) => {
                format!("the owners' body share {p} % is outside 6–10 % of fees (Daqintala)")
            }
        }
    }
}

/// The owners' body share of fee income, a percent from 6 to 10 inclusive (seed 004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnersShare(Decimal);

impl OwnersShare {
    pub fn new(percent: Decimal) -> Result<OwnersShare, AccountError> {
        if percent < Decimal::from(6) || percent > Decimal::TEN {
            return Err(AccountError::ShareOutOfRange(
                percent.normalize().to_string(),
            ));
        }
        Ok(OwnersShare(percent))
    }

    pub fn percent(self) -> Decimal {
        self.0
    }

    /// The share of `fees`, rounded half-up to the fen.
    pub fn of(self, fees: Fen) -> Fen {
        Fen::from_yuan_rounded(fees.to_yuan() * self.0 / Decimal::ONE_HUNDRED)
    }
}

/// One line as the statement needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub kind: EntryKind,
    pub category: Option<String>,
    pub amount: Fen,
}

/// Totals of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Totals {
    pub income_fees: Fen,
    pub income_public_revenue: Fen,
    pub income_subsidy: Fen,
    pub income: Fen,
    /// Spending by category, in category order.
    pub spending_by_category: Vec<(String, Fen)>,
    pub spending: Fen,
    /// income − spending (may be negative).
    pub balance: Fen,
    pub owners_share_percent: Decimal,
    /// The owners' body share of fee income.
    pub owners_share: Fen,
}

/// Sums lines into totals.
pub fn totals(lines: &[Line], share: OwnersShare) -> Totals {
    let mut t = Totals {
        income_fees: Fen::ZERO,
        income_public_revenue: Fen::ZERO,
        income_subsidy: Fen::ZERO,
        income: Fen::ZERO,
        spending_by_category: Vec::new(),
        spending: Fen::ZERO,
        balance: Fen::ZERO,
        owners_share_percent: share.percent(),
        owners_share: Fen::ZERO,
    };
    let mut cats: std::collections::BTreeMap<String, Fen> = std::collections::BTreeMap::new();
    for l in lines {
        match l.kind {
            EntryKind::IncomeFees => t.income_fees += l.amount,
            EntryKind::IncomePublicRevenue => t.income_public_revenue += l.amount,
            EntryKind::IncomeSubsidy => t.income_subsidy += l.amount,
            EntryKind::Spending => {
                *cats
                    .entry(l.category.clone().unwrap_or_default())
                    .or_insert(Fen::ZERO) += l.amount;
                t.spending += l.amount;
            }
        }
    }
    t.income = t.income_fees + t.income_public_revenue + t.income_subsidy;
    t.spending_by_category = cats.into_iter().collect();
    t.balance = t.income - t.spending;
    t.owners_share = share.of(t.income_fees);
    t
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn share_range() {
        assert!(OwnersShare::new(Decimal::from(6)).is_ok());
        assert!(OwnersShare::new(Decimal::TEN).is_ok());
        assert!(OwnersShare::new(Decimal::from(5)).is_err());
        assert!(OwnersShare::new(Decimal::from(11)).is_err());
        assert!(OwnersShare::new(Decimal::new(1001, 2)).is_err());
        let s = OwnersShare::new(Decimal::from(6)).unwrap();
        assert_eq!(s.of(Fen(1_234_567)), Fen(74_074)); // 740.7402 → 740.74
    }

    #[test]
    fn sums() {
        let l = |kind, cat: Option<&str>, fen| Line {
            kind,
            category: cat.map(str::to_string),
            amount: Fen(fen),
        };
        let lines = vec![
            l(EntryKind::IncomeFees, None, 1_000_000),
            l(EntryKind::IncomePublicRevenue, None, 50_000),
            l(EntryKind::IncomeSubsidy, None, 200_000),
            l(EntryKind::Spending, Some("保洁"), 300_000),
            l(EntryKind::Spending, Some("保安"), 400_000),
            l(EntryKind::Spending, Some("保洁"), 10_000),
        ];
        let t = totals(&lines, OwnersShare::new(Decimal::TEN).unwrap());
        assert_eq!(t.income, Fen(1_250_000));
        assert_eq!(t.spending, Fen(710_000));
        assert_eq!(t.balance, Fen(540_000));
        assert_eq!(t.owners_share, Fen(100_000));
        assert_eq!(
            t.spending_by_category,
            vec![
                ("保安".to_string(), Fen(400_000)),
                ("保洁".to_string(), Fen(310_000))
            ]
        );
    }
}
