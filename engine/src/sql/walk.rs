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

/// A child of an expression node at its query level: an operand behind a handle, or an
/// expression held inline (an item of a list, a CASE arm, a function argument, a FILTER or
/// window term).
pub enum Child<'a> {
    Operand(&'a SubExpr),
    Inline(&'a Expr),
}

impl<'a> Child<'a> {
    pub fn expr(&self) -> &'a Expr {
        match *self {
            Child::Operand(s) => s,
            Child::Inline(e) => e,
        }
    }
}

impl Expr {
    /// Visits this expression and its sub-expressions in pre-order (invariants above).
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr) -> bool) {
        if visit(self) {
            self.for_each_child(&mut |c| c.expr().walk(visit));
        }
    }

    /// Calls `f` on each child of this node at its query level, in source order (the walk's
    /// step; subqueries are not children).
    pub fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(Child<'a>)) {
        let mut op = |s: &'a SubExpr| f(Child::Operand(s));
        match self {
            Expr::Literal(_)
            | Expr::Variable { .. }
            | Expr::Id { .. }
            | Expr::Qualified { .. }
            | Expr::Exists(_)
            | Expr::Subquery(_)
            | Expr::Raise { .. } => {}
            Expr::Unary { expr, .. }
            | Expr::IsNull { expr, .. }
            | Expr::Collate { expr, .. }
            | Expr::Cast { expr, .. }
            | Expr::InSelect { expr, .. } => op(expr),
            Expr::Binary { left, right, .. } => {
                op(left);
                op(right);
            }
            Expr::Like { expr, pattern, escape, .. } => {
                op(expr);
                op(pattern);
                escape.iter().for_each(op);
            }
            Expr::Between { expr, low, high, .. } => {
                op(expr);
                op(low);
                op(high);
            }
            Expr::InList { expr, list, .. } => {
                op(expr);
                list.iter().for_each(|e| f(Child::Inline(e)));
            }
            Expr::InTable { expr, args, .. } => {
                op(expr);
                args.iter().flatten().for_each(|e| f(Child::Inline(e)));
            }
            Expr::Case { operand, when_then, else_expr } => {
                operand.iter().for_each(&mut op);
                for (w, t) in when_then {
                    f(Child::Inline(w));
                    f(Child::Inline(t));
                }
                else_expr.iter().for_each(|e| f(Child::Operand(e)));
            }
            Expr::Vector(v) => v.iter().for_each(|e| f(Child::Inline(e))),
            Expr::FunctionCall(call) => {
                if let FunctionArgs::List(args) = &call.args {
                    args.iter().for_each(|e| f(Child::Inline(e)));
                }
                if let Some(e) = &call.filter {
                    f(Child::Inline(e));
                }
                if let Some(Over::Spec(w)) = &call.over {
                    w.walk_exprs(&mut |e| f(Child::Inline(e)));
                }
            }
        }
    }
}

impl WindowSpec {
    /// Calls `f` on each top-level expression of the window: PARTITION BY, ORDER BY, frame
    /// offsets, in source order.
    pub fn walk_exprs<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
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
