//! EXPLAIN QUERY PLAN: the rows (id, parent, notused, detail) that describe the plan the code
//! generator chose, in SQLite's wording ("SCAN t", "SEARCH t USING INDEX i (a=?)", "USE TEMP
//! B-TREE FOR ORDER BY", "SCALAR SUBQUERY 1", "COMPOUND QUERY", ...).
//!
//! The generator records a row where it makes the decision the row names; rows made while a
//! nested part (subquery, compound member, materialized FROM item) is compiled hang under that
//! part's row.
//!
//! Invariants:
//! 1. Ids are unique and increasing; a row's parent is 0 (top level) or the id of a row
//!    recorded before it.
//! 2. The rows describe our plan, which may differ from the one SQLite would choose.

/// The plan rows of one statement under construction.
#[derive(Debug, Default)]
pub struct QueryPlan {
    pub rows: Vec<(i32, i32, String)>,
    parent: i32,
    next_id: i32,
    /// Subqueries numbered so far (their rows say "SUBQUERY n").
    pub subqueries: i32,
}

impl QueryPlan {
    /// Records `detail` under the current parent; returns its id.
    pub fn add(&mut self, detail: String) -> i32 {
        self.next_id += 1;
        let id = self.next_id;
        self.rows.push((id, self.parent, detail));
        id
    }

    /// Records `detail` and makes it the parent of the rows that follow until [`Self::leave`];
    /// returns what `leave` needs.
    pub fn enter(&mut self, detail: String) -> (i32, i32) {
        let id = self.add(detail);
        let saved = self.parent;
        self.parent = id;
        (id, saved)
    }

    /// Ends a nesting begun by [`Self::enter`].
    pub fn leave(&mut self, (_, saved): (i32, i32)) {
        self.parent = saved;
    }

    /// Rewrites the detail of row `id` (known only after its part was compiled).
    pub fn set_detail(&mut self, id: i32, detail: String) {
        if let Some(r) = self.rows.iter_mut().find(|r| r.0 == id) {
            r.2 = detail;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_links_children_to_their_parent_and_back() {
        let mut p = QueryPlan::default();
        let a = p.add("SCAN t".into());
        let n = p.enter("SCALAR SUBQUERY 1".into());
        let c = p.add("SCAN u".into());
        p.leave(n);
        let d = p.add("USE TEMP B-TREE FOR ORDER BY".into());
        assert_eq!(p.rows, vec![(a, 0, "SCAN t".into()), (n.0, 0, "SCALAR SUBQUERY 1".into()), (c, n.0, "SCAN u".into()), (d, 0, "USE TEMP B-TREE FOR ORDER BY".into())]);
    }
}
