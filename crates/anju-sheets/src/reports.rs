//! Placeholder: reports in the seeds' layouts (issue 7).
