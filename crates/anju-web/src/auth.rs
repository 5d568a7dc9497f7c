//! Placeholder: accounts, sessions and access (issue 6).
