//! Row values: `(a, b) op (c, d)` and `(a, b) op (SELECT x, y ...)` for the comparison
//! operators, the forms SQLite reduces to them (BETWEEN, an IN list, `CASE (a, b) WHEN`), and
//! `(a, b) [NOT] IN (SELECT x, y ...)`.
//!
//! Semantics (SQLite's row values page): the pairs are compared left to right.
//! - `=` is true when every pair is equal, false as soon as a pair is unequal (two non-NULL
//!   values that differ), else NULL; `<>` is its negation. `IS` is true when every pair IS
//!   equal (no NULL result); `IS NOT` its negation.
//! - `<`, `<=`, `>`, `>=`: the first pair that is not equal decides: NULL if it holds a NULL,
//!   else the strict comparison of that pair (the operator itself for the last pair).
//! - `IN (SELECT ...)` is the OR of `=` over the subquery's rows: true if a row equals, else
//!   NULL if some row's `=` is NULL, else false (false for no row at all).
//!
//! Design: elements of a parenthesized vector are evaluated lazily, pair by pair, so elements
//! after the deciding pair are never evaluated (nor their errors raised), as in SQLite; a row
//! subquery is run once into registers first. Each pair compares with its own affinity and
//! collation (a subquery column's are those of its result expression). Other uses of a vector
//! are SQLite's "row value misused". An IN subquery's rows go into a transient set of all
//! their columns (each column with the IN affinity and collation of its pair) and a sorter: a
//! left side without NULL is looked up in the set; only when a NULL is involved (in the left
//! side or in some row) and the lookup misses are the sorter's rows scanned to tell NULL from
//! false.
//!
//! Invariants:
//! 1. Both sides have the same number of elements, or the statement fails with SQLite's
//!    message ("row value misused" for comparisons, "sub-select returns N columns - expected
//!    M" for an IN subquery).
//! 2. The result is left in the target register as 1, 0 or NULL; nothing else is observable.

use std::sync::Arc;

use super::expr::{self, collation, comparison_affinity};
use super::select::{compile_select, in_affinity, once, Dest, IN_AFFINITY_MARK};
use super::{Builder, Scope};
use crate::error::{Error, Result};
use crate::sql::ast::{BinaryOp, Expr, Select, SubExpr};
use crate::value::Affinity;
use crate::vdbe::exec::CMP_NULLEQ;
use crate::vdbe::{KeyInfo, Opcode, P4};

pub fn misused() -> Error {
    Error::sql("row value misused")
}

/// Whether `left op right` compares row values (one side is a parenthesized vector).
pub fn is_vector_compare(left: &Expr, right: &Expr) -> bool {
    matches!(left, Expr::Vector(_)) || matches!(right, Expr::Vector(_))
}

/// One side of a row-value comparison.
enum Side<'a> {
    /// A parenthesized vector, evaluated element by element.
    List(&'a [Expr]),
    /// A row subquery's columns, already in registers from `base`, with each column's
    /// collation and affinity.
    Regs { base: i32, columns: Vec<(Option<String>, Option<Affinity>)> },
}

impl<'a> Side<'a> {
    /// The side `e` with `n` elements (`n == 0`: take the vector's own length).
    fn of(b: &mut Builder<'_>, scope: &Scope, e: &'a Expr, n: usize) -> Result<Side<'a>> {
        match e {
            Expr::Vector(list) if n == 0 || list.len() == n => Ok(Side::List(list)),
            Expr::Subquery(select) if n > 0 => {
                let base = b.regs(n);
                let (columns, width) = super::select::row_subquery(b, scope, select, base, n)?;
                if width != n {
                    return Err(misused());
                }
                Ok(Side::Regs { base, columns })
            }
            _ => Err(misused()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Side::List(v) => v.len(),
            Side::Regs { columns, .. } => columns.len(),
        }
    }

    /// Element `i` in a register, with its expression when it has one.
    fn element(&self, b: &mut Builder<'_>, scope: &Scope, i: usize) -> Result<(i32, Option<&'a Expr>)> {
        match self {
            Side::List(list) => {
                let r = b.reg();
                expr::expr(b, scope, &list[i], r)?;
                Ok((r, Some(&list[i])))
            }
            Side::Regs { base, .. } => Ok((base + i as i32, None)),
        }
    }

    fn affinity(&self, b: &mut Builder<'_>, scope: &Scope, i: usize) -> Option<Affinity> {
        match self {
            Side::List(list) => expr::affinity_of(b, scope, &list[i]),
            Side::Regs { columns, .. } => columns[i].1,
        }
    }
}

/// Compiles `left op right` (a comparison operator, one side a vector) into `target`.
pub fn compare(b: &mut Builder<'_>, scope: &Scope, op: BinaryOp, left: &Expr, right: &Expr, target: i32) -> Result<()> {
    // The vector fixes the length; a subquery on the other side must match it.
    let (l, r) = if let Expr::Vector(_) = left {
        let l = Side::of(b, scope, left, 0)?;
        let r = Side::of(b, scope, right, l.len())?;
        (l, r)
    } else {
        let r = Side::of(b, scope, right, 0)?;
        (Side::of(b, scope, left, r.len())?, r)
    };
    let n = l.len();
    let negate = matches!(op, BinaryOp::Ne | BinaryOp::IsNot);
    let (t, f, null) = (b.label(), b.label(), b.label());
    let saw_null = b.reg();
    if matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
        b.emit(Opcode::Integer, 0, saw_null, 0);
    }
    for i in 0..n {
        let last = i + 1 == n;
        let (lr, le) = l.element(b, scope, i)?;
        let (rr, re) = r.element(b, scope, i)?;
        let aff = comparison_affinity(l.affinity(b, scope, i), r.affinity(b, scope, i));
        let coll = pair_collation(b, scope, (&l, le), (&r, re), i)?;
        let aff = aff.map_or(0, |a| a.code() as u16);
        let cmp = |b: &mut Builder<'_>, opc: Opcode, label: i32, flags: u16| {
            let a = b.emit4(opc, rr, label, lr, coll.clone());
            b.set_p5(a, flags | aff);
        };
        match op {
            // Unequal: decided; a NULL: remembered; equal: the next pair.
            BinaryOp::Eq | BinaryOp::Ne => pair_equal(b, lr, rr, coll.clone(), aff, f, saw_null),
            BinaryOp::Is | BinaryOp::IsNot => cmp(b, Opcode::Ne, f, CMP_NULLEQ),
            _ => {
                let next = b.label();
                if !last {
                    cmp(b, Opcode::Eq, next, 0);
                }
                b.emit(Opcode::IsNull, lr, null, 0);
                b.emit(Opcode::IsNull, rr, null, 0);
                let decide = match (op, last) {
                    (BinaryOp::Lt | BinaryOp::Le, false) => Opcode::Lt,
                    (BinaryOp::Gt | BinaryOp::Ge, false) => Opcode::Gt,
                    (BinaryOp::Lt, true) => Opcode::Lt,
                    (BinaryOp::Le, true) => Opcode::Le,
                    (BinaryOp::Gt, true) => Opcode::Gt,
                    _ => Opcode::Ge,
                };
                cmp(b, decide, t, 0);
                b.emit(Opcode::Goto, 0, f, 0);
                b.resolve(next);
            }
        }
    }
    if matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
        b.emit(Opcode::If, saw_null, null, 0);
    }
    // Every pair equal (or, for IS, IS-equal).
    b.emit(Opcode::Goto, 0, t, 0);
    truth_value(b, target, t, f, null, negate);
    Ok(())
}

/// Registers `l` and `r` compared for `=` (collation `coll`, affinity flags `aff`): jumps to
/// `unequal` when both are non-NULL and differ, sets `null_flag` to 1 when either is NULL,
/// and falls through when they are equal.
fn pair_equal(b: &mut Builder<'_>, l: i32, r: i32, coll: P4, aff: u16, unequal: i32, null_flag: i32) {
    let (equal, null) = (b.label(), b.label());
    let a = b.emit4(Opcode::Eq, r, equal, l, coll);
    b.set_p5(a, aff);
    b.emit(Opcode::IsNull, l, null, 0);
    b.emit(Opcode::IsNull, r, null, 0);
    b.emit(Opcode::Goto, 0, unequal, 0);
    b.resolve(null);
    b.emit(Opcode::Integer, 1, null_flag, 0);
    b.resolve(equal);
}

/// The end of a three-valued test whose code jumps to `yes`, `no` or `null`: `target` gets
/// 1, 0 or NULL (1 and 0 swapped when `negate`), and all three continue after it.
pub fn truth_value(b: &mut Builder<'_>, target: i32, yes: i32, no: i32, null: i32, negate: bool) {
    let end = b.label();
    b.resolve(yes);
    b.emit(Opcode::Integer, (!negate) as i32, target, 0);
    b.emit(Opcode::Goto, 0, end, 0);
    b.resolve(no);
    b.emit(Opcode::Integer, negate as i32, target, 0);
    b.emit(Opcode::Goto, 0, end, 0);
    b.resolve(null);
    b.emit(Opcode::Null, 0, target, 0);
    b.resolve(end);
}

/// The collation of pair `i` (datatype3 §7, as for two scalars): an explicit COLLATE on the
/// left, then on the right, then the left's column collation, then the right's. A subquery
/// column's collation counts as a column's.
fn pair_collation(
    b: &mut Builder<'_>,
    scope: &Scope,
    (l, le): (&Side<'_>, Option<&Expr>),
    (r, re): (&Side<'_>, Option<&Expr>),
    i: usize,
) -> Result<P4> {
    let implicit = |b: &mut Builder<'_>, side: &Side<'_>, e: Option<&Expr>| match (side, e) {
        (_, Some(e)) => expr::collation_of(b, scope, e),
        (Side::Regs { columns, .. }, None) => columns[i].0.clone(),
        _ => None,
    };
    let explicit = |b: &mut Builder<'_>, e: Option<&Expr>| e.and_then(|e| expr::explicit_collation(b, scope, e));
    let name = match explicit(b, le) {
        Some(c) => Some(c),
        None => match explicit(b, re) {
            Some(c) => Some(c),
            None => implicit(b, l, le).or_else(|| implicit(b, r, re)),
        },
    };
    Ok(match name {
        Some(c) => P4::Coll(collation(&c)?),
        None => P4::None,
    })
}

/// The scalar form SQLite gives a row-value BETWEEN, IN list or `CASE vector WHEN`: `x
/// BETWEEN a AND b` is `x >= a AND x <= b`, `x IN (v, w)` is `x = v OR x = w`, `CASE x WHEN
/// v THEN ...` is `CASE WHEN x = v THEN ...`. None when `e` is not one of them.
pub fn rewrite(e: &Expr) -> Option<Expr> {
    let vec = |e: &Expr| matches!(e, Expr::Vector(_));
    let cmp = |op, l: &Expr, r: &Expr| Expr::Binary { op, left: SubExpr::new(l.clone()), right: SubExpr::new(r.clone()) };
    let not = |e: Expr, yes: bool| if yes { Expr::Unary { op: crate::sql::ast::UnaryOp::Not, expr: SubExpr::new(e) } } else { e };
    match e {
        Expr::Between { expr: x, not: n, low, high } if vec(x) || vec(low) || vec(high) => {
            let both = Expr::Binary {
                op: BinaryOp::And,
                left: SubExpr::new(cmp(BinaryOp::Ge, x, low)),
                right: SubExpr::new(cmp(BinaryOp::Le, x, high)),
            };
            Some(not(both, *n))
        }
        Expr::InList { expr: x, not: n, list } if vec(x) && !list.is_empty() => {
            let any = list
                .iter()
                .map(|v| cmp(BinaryOp::Eq, x, v))
                .reduce(|a, c| Expr::Binary { op: BinaryOp::Or, left: SubExpr::new(a), right: SubExpr::new(c) })
                .expect("a non-empty list");
            Some(not(any, *n))
        }
        Expr::Case { operand: Some(x), when_then, else_expr } if vec(x) => Some(Expr::Case {
            operand: None,
            when_then: when_then.iter().map(|(w, t)| (cmp(BinaryOp::Eq, x, w), t.clone())).collect(),
            else_expr: else_expr.clone(),
        }),
        _ => None,
    }
}

/// `(lhs...) [NOT] IN (select)` into `target` (see the module comment).
pub fn in_select(b: &mut Builder<'_>, scope: &Scope, lhs: &[Expr], s: &Select, not: bool, target: i32) -> Result<()> {
    let n = lhs.len();
    let set = b.cursor();
    let rows = b.cursor();
    let nullflag = b.reg();
    let start = b.ops.len();
    let mut described = Vec::new();
    once(b, "LIST SUBQUERY", |b| {
        b.emit4(Opcode::OpenEphemeral, set, n as i32, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
        b.emit4(Opcode::SorterOpen, rows, n as i32, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
        b.emit(Opcode::Integer, 0, nullflag, 0);
        b.select_columns.clear();
        let cols = compile_select(b, scope, s, Dest::RowSet { cursor: set, nullflag, rows })?;
        if cols.len() != n {
            return Err(Error::sql(format!("sub-select returns {} columns - expected {n}", cols.len())));
        }
        described = std::mem::take(&mut b.select_columns);
        Ok(())
    })?;
    if described.len() != n {
        // A compound subquery: no per-column description.
        described = vec![(None, None); n];
    }
    // Each column's IN affinity and collation (the left element's explicit COLLATE, then its
    // column's, then the subquery column's).
    let mut affs = String::new();
    let mut fields = Vec::with_capacity(n);
    for (x, (rhs_coll, rhs_aff)) in lhs.iter().zip(&described) {
        let aff = in_affinity(expr::affinity_of(b, scope, x), *rhs_aff);
        affs.push(aff.map_or('A', |a| a.code() as char));
        let name = expr::explicit_collation(b, scope, x).or_else(|| expr::collation_of(b, scope, x)).or_else(|| rhs_coll.clone());
        fields.push((false, name.map(|c| collation(&c)).transpose()?));
    }
    let key = Arc::new(KeyInfo { fields, nulls_flip: Vec::new() });
    for op in &mut b.ops[start..] {
        if op.opcode == Opcode::OpenEphemeral && op.p1 == set {
            op.p4 = P4::KeyInfo(Arc::clone(&key));
        }
        if op.opcode == Opcode::Affinity && matches!(&op.p4, P4::Affinity(m) if m == IN_AFFINITY_MARK) {
            op.p4 = P4::Affinity(affs.clone());
        }
    }
    let lr = b.regs(n);
    for (i, x) in lhs.iter().enumerate() {
        expr::expr(b, scope, x, lr + i as i32)?;
    }
    b.emit4(Opcode::Affinity, lr, n as i32, 0, P4::Affinity(affs));
    let (found, null, notfound, scan) = (b.label(), b.label(), b.label(), b.label());
    // No row: false (NOT IN true), NULLs or not.
    b.emit(Opcode::IfNot, nullflag, notfound, 0);
    for i in 0..n as i32 {
        b.emit(Opcode::IsNull, lr + i, scan, 0);
    }
    b.emit4(Opcode::Found, set, found, lr, P4::Int64(n as i64));
    // A miss is false unless some row holds a NULL.
    let two = b.reg();
    b.emit(Opcode::Integer, 2, two, 0);
    b.emit(Opcode::Ne, two, notfound, nullflag);
    // The scan: a row that equals is a hit; one whose `=` is NULL makes a miss NULL.
    b.resolve(scan);
    let saw_null = b.reg();
    b.emit(Opcode::Integer, 0, saw_null, 0);
    let done = b.label();
    b.emit(Opcode::SorterSort, rows, done, 0);
    let top = b.label();
    b.resolve(top);
    // Per row: an unequal pair makes its `=` false; otherwise a NULL pair makes it NULL.
    let next_row = b.label();
    let row_null = b.reg();
    b.emit(Opcode::Integer, 0, row_null, 0);
    let col = b.reg();
    for (i, (_, coll)) in key.fields.iter().enumerate() {
        b.emit(Opcode::Column, rows, i as i32, col);
        let p4 = coll.as_ref().map_or(P4::None, |c| P4::Coll(Arc::clone(c)));
        pair_equal(b, lr + i as i32, col, p4, 0, next_row, row_null);
    }
    b.emit(Opcode::IfNot, row_null, found, 1);
    b.emit(Opcode::Integer, 1, saw_null, 0);
    b.resolve(next_row);
    b.emit(Opcode::SorterNext, rows, top, 0);
    b.resolve(done);
    b.emit(Opcode::If, saw_null, null, 0);
    b.emit(Opcode::Goto, 0, notfound, 0);
    truth_value(b, target, found, notfound, null, not);
    Ok(())
}
