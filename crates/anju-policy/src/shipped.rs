//! The policies written from the seeds, embedded in the binary.

use crate::error::PolicyError;
use crate::policy::Policy;

/// (id, file text) of every shipped policy, in seed order.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "liaocheng-2021",
        include_str!("../policies/liaocheng-2021.toml"),
    ),
    ("yantai-2022", include_str!("../policies/yantai-2022.toml")),
    ("erqi-draft", include_str!("../policies/erqi-draft.toml")),
    (
        "shanting-2020",
        include_str!("../policies/shanting-2020.toml"),
    ),
    (
        "daqintala-2022-city",
        include_str!("../policies/daqintala-2022-city.toml"),
    ),
    (
        "daqintala-2022-street",
        include_str!("../policies/daqintala-2022-street.toml"),
    ),
];

/// The text of a shipped policy.
pub fn shipped(id: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}

/// A shipped policy, loaded.
pub fn shipped_policy(id: &str) -> Result<Policy, PolicyError> {
    let src = shipped(id).ok_or_else(|| PolicyError::UnknownPolicy(id.to_string()))?;
    crate::load::load(src)
}

/// Who reviews, approves and pays the lines of shipped policy `id` (its `[[approval]]`), or
/// Anju's standard chain for a line without a policy or of a policy not shipped any more.
pub fn approval_chain(id: Option<&str>) -> anju_core::funding::Chain {
    id.and_then(|id| shipped_policy(id).ok())
        .map_or_else(anju_core::funding::Chain::standard, |p| p.chain)
}
