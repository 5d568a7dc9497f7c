//! Placeholder: resident pages without login (issue 5/6).
