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
    /// One compound (an owners' body's account): its own records only.
    Compound(i64),
    /// Nothing (an account missing the region or company its role needs).
    Nothing,
}

/// ` AND …`: compound `c` (its `community_id`, `street_id`) lies under region `$n`: the
/// compound's community, its street, the street's district or the district's city (a street
/// hung directly under a city: its parent).
///
/// Written as one condition on `c.street_id` (the streets at or under the region, or the street
/// above a community), and for a community its own `c.community_id` besides: both engines then
/// read one street's compounds through the indexes that lead with `street_id` (an `OR` between
/// the two columns made SQLite read every compound: 176 ms for one street's figures at 100,000
/// compounds instead of ≈ 10 ms).
pub(crate) fn region_condition(n: usize) -> String {
    format!(
        " AND c.street_id IN (SELECT rs.id FROM regions rs \
         LEFT JOIN regions rd ON rd.id = rs.parent_id AND rd.level = 'district' \
         WHERE rs.id = ${n} OR rs.parent_id = ${n} OR rd.parent_id = ${n} \
         UNION SELECT rc.parent_id FROM regions rc WHERE rc.id = ${n} AND rc.level = 'community') \
         AND (c.community_id = ${n} OR NOT EXISTS \
         (SELECT 1 FROM regions rc WHERE rc.id = ${n} AND rc.level = 'community'))"
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
            Scope::Compound(id) => {
                vals.push(Val::int(id));
                format!(" AND c.id = ${}", vals.len())
            }
        }
    }
}
