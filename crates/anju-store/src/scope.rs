//! Whose records a query may return: an account's scope as a condition of the query's `WHERE`,
//! never a set of ids filtered in memory afterwards.

use crate::sql::Val;

/// What an account is bounded to (the application layer decides which, from the role and the
/// account's region or company).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every compound (admin, a city-level or unbounded official or auditor).
    #[default]
    All,
    /// Compounds under this region (street, community, district or city).
    Region(i64),
    /// One company: its own records, or the compounds it serves.
    Company(i64),
    /// Nothing (an account missing the region or company its role needs).
    Nothing,
}

/// ` AND …`: compound `c` (its `community_id`, `street_id`) lies under region `$n`: the
/// compound's community, its street, the street's district or the district's city (a street
/// hung directly under a city: its parent).
pub(crate) fn region_condition(n: usize) -> String {
    format!(
        " AND (c.community_id = ${n} OR c.street_id IN (SELECT rs.id FROM regions rs \
         LEFT JOIN regions rd ON rd.id = rs.parent_id AND rd.level = 'district' \
         WHERE rs.id = ${n} OR rs.parent_id = ${n} OR rd.parent_id = ${n}))"
    )
}

impl Scope {
    /// ` AND …` over a record joined to its compound as `c`. `company_column`: the column
    /// naming the company the record concerns (an order's, a complaint's company), so that a
    /// company keeps seeing the records of its service after the compound changes hands; `None`
    /// for records of the compound alone (a survey), which a company sees while it serves it.
    pub(crate) fn condition(&self, company_column: Option<&str>, vals: &mut Vec<Val>) -> String {
        match *self {
            Scope::All => String::new(),
            Scope::Nothing => " AND 1 = 0".to_string(),
            Scope::Region(r) => {
                vals.push(Val::int(r));
                region_condition(vals.len())
            }
            Scope::Company(co) => {
                vals.push(Val::int(co));
                format!(
                    " AND {} = ${}",
                    company_column.unwrap_or("c.company_id"),
                    vals.len()
                )
            }
        }
    }
}
