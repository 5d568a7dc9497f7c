//! Placeholder: subsidy application form and disbursement list (issue 7).
