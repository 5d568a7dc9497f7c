//! Placeholder: server-side SVG charts (issue 6).
