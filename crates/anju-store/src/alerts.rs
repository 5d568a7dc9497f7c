//! Placeholder: what officials act on today (issue 6).
