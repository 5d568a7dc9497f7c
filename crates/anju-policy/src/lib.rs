//! Subsidy policies as data: policy files, the calculator, the linter, rubrics and sampling.

pub mod rubric;
pub mod sampling;
