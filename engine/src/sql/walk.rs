//! Walking expression trees: a pre-order visit of an [`Expr`] and its sub-expressions.
//!
//! The walk stays inside one query level: the SELECTs of subqueries (`(SELECT ...)`,
//! `EXISTS (...)`, `x IN (SELECT ...)`) are not entered (the visitor sees the node that holds
//! them and can walk them itself); window definitions of function calls are entered (their
//! PARTITION BY / ORDER BY / frame expressions belong to the same level).
//!
//! Invariants:
//! 1. Every sub-expression of the level is visited exactly once, parents before children,
//!    children left to right in source order.
//! 2. When the visitor returns `false` for a node, that node's children are skipped.

use super::ast::*;

impl Expr {
    /// Visits this expression and its sub-expressions in pre-order (invariants above).
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr) -> bool) {
        if !visit(self) {
            return;
        }
        let mut each = |e: &Expr| e.walk(visit);
        match self {
            Expr::Literal(_)
            | Expr::Variable { .. }
            | Expr::Id { .. }
            | Expr::Qualified { .. }
            | Expr::Exists(_)
            | Expr::Subquery(_)
            | Expr::Raise { .. } => {}
            Expr::Unary { expr, .. } | Expr::IsNull { expr, .. } | Expr::Collate { expr, .. } => {
                each(expr)
            }
            Expr::Cast { expr, .. } | Expr::InSelect { expr, .. } => each(expr),
            Expr::Binary { left, right, .. } => {
                each(left);
                each(right);
            }
            Expr::Like { expr, pattern, escape, .. } => {
                each(expr);
                each(pattern);
                if let Some(e) = escape {
                    each(e);
                }
            }
            Expr::Between { expr, low, high, .. } => {
                each(expr);
                each(low);
                each(high);
            }
            Expr::InList { expr, list, .. } => {
                each(expr);
                list.iter().for_each(&mut each);
            }
            Expr::InTable { expr, args, .. } => {
                each(expr);
                if let Some(a) = args {
                    a.iter().for_each(&mut each);
                }
            }
            Expr::Case { operand, when_then, else_expr } => {
                if let Some(o) = operand {
                    each(o);
                }
                for (w, t) in when_then {
                    each(w);
                    each(t);
                }
                if let Some(e) = else_expr {
                    each(e);
                }
            }
            Expr::Vector(v) => v.iter().for_each(&mut each),
            Expr::FunctionCall(call) => {
                if let FunctionArgs::List(args) = &call.args {
                    args.iter().for_each(&mut each);
                }
                if let Some(f) = &call.filter {
                    each(f);
                }
                if let Some(Over::Spec(w)) = &call.over {
                    w.walk_exprs(&mut each);
                }
            }
        }
    }
}

impl WindowSpec {
    /// Calls `f` on each top-level expression of the window: PARTITION BY, ORDER BY, frame
    /// offsets, in source order.
    pub fn walk_exprs(&self, f: &mut dyn FnMut(&Expr)) {
        self.partition_by.iter().for_each(&mut *f);
        self.order_by.iter().for_each(|o| f(&o.expr));
        if let Some(frame) = &self.frame {
            for b in std::iter::once(&frame.start).chain(frame.end.as_ref()) {
                if let FrameBound::Preceding(e) | FrameBound::Following(e) = b {
                    f(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::ast::{Expr, ResultColumn, SelectCore, Stmt};
    use crate::sql::parse_one;

    fn first_expr(sql: &str) -> Expr {
        let Some((Stmt::Select(s), _)) = parse_one(sql).expect("parses") else { panic!() };
        let SelectCore::Select(q) = &s.body.first else { panic!() };
        let ResultColumn::Expr { expr, .. } = &q.columns[0] else { panic!() };
        expr.clone()
    }

    #[test]
    fn visits_every_column_reference_once_in_order() {
        let e = first_expr(
            "SELECT CASE a WHEN b THEN f(c, d) FILTER (WHERE e) OVER (PARTITION BY g ORDER BY h) \
             ELSE i BETWEEN j AND k END + (SELECT z) + l IN (m, n)",
        );
        let mut names = Vec::new();
        e.walk(&mut |x| {
            if let Expr::Id { name, .. } = x {
                names.push(name.clone());
            }
            true
        });
        // `z` is inside a subquery: not visited.
        assert_eq!(names.join(""), "abcdeghijklmn");
    }

    #[test]
    fn returning_false_skips_children() {
        let e = first_expr("SELECT f(a, b) + c");
        let mut n = 0;
        e.walk(&mut |x| {
            n += 1;
            !matches!(x, Expr::FunctionCall(_))
        });
        assert_eq!(n, 3); // the +, the call, c
    }
}
