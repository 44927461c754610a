//! Expressions: values into registers, and conditions into jumps.
//!
//! Invariants:
//! 1. `expr(e, target)` leaves the value of `e` in `target` and nothing else observable.
//! 2. `jump_if_false(e, label)` jumps when `e` is false or NULL (WHERE semantics);
//!    `jump_if_true` jumps only when `e` is true.
//! 3. Comparisons carry the comparison affinity of their operands (datatype3 §4.2) in P5 and
//!    the collating sequence (left operand's explicit or column collation first) in P4.

use std::sync::Arc;

use super::{Builder, RowSource, Scope};
use crate::error::{Error, Result};
use crate::sql::ast::{BinaryOp, Expr, FunctionArgs, LikeOp, Literal, UnaryOp};
use crate::value::{Affinity, Collation};
use crate::vdbe::exec::{CMP_JUMPIFNULL, CMP_NULLEQ};
use crate::vdbe::{Opcode, P4};

/// The affinity applied to both operands of a comparison (datatype3 §4.2): NUMERIC when
/// either side is INTEGER/REAL/NUMERIC; TEXT when one side is TEXT and the other has no
/// affinity at all (an expression, not a BLOB-affinity column); else none.
pub fn comparison_affinity(a: Option<Affinity>, b: Option<Affinity>) -> Option<Affinity> {
    let num = |x: Option<Affinity>| x.is_some_and(Affinity::is_numeric);
    if num(a) || num(b) {
        Some(Affinity::Numeric)
    } else if (a == Some(Affinity::Text) && b.is_none()) || (b == Some(Affinity::Text) && a.is_none()) {
        Some(Affinity::Text)
    } else {
        None
    }
}

/// What a column reference resolved to.
pub struct ColumnRef {
    pub row: RowSource,
    /// None = the rowid.
    pub column: Option<usize>,
    /// The field of the stored record holding the column (differs from `column` in a
    /// WITHOUT ROWID table).
    pub field: Option<usize>,
    pub affinity: Affinity,
    pub collation: Option<String>,
    pub decl_type: Option<String>,
    pub name: String,
    /// The value rows written before an ADD COLUMN read.
    pub default: Option<crate::value::Value>,
}

fn is_rowid_name(n: &str) -> bool {
    n.eq_ignore_ascii_case("rowid") || n.eq_ignore_ascii_case("oid") || n.eq_ignore_ascii_case("_rowid_")
}

/// Resolves `table.column` (table None = any source) in `scope` and its parents.
pub fn resolve(b: &mut Builder<'_>, scope: &Scope, table: Option<&str>, column: &str) -> Result<Option<ColumnRef>> {
    let mut s = Some(scope);
    let mut depth = 0;
    while let Some(sc) = s {
        let mut found: Option<ColumnRef> = None;
        for (si, src) in sc.sources.iter().enumerate() {
            if let Some(t) = table {
                if !src.name.eq_ignore_ascii_case(t) {
                    continue;
                }
            } else if sc.hidden.iter().any(|(i, n)| *i == si && n.eq_ignore_ascii_case(column)) {
                continue;
            }
            let t = &src.table;
            let hit = match t.column_index(column) {
                Some(i) if t.ipk == Some(i) => Some(None),
                Some(i) => Some(Some(i)),
                None if is_rowid_name(column) && t.root != 0 && t.pk.is_empty() => Some(None),
                None => None,
            };
            if let Some(col) = hit {
                if found.is_some() {
                    return Err(Error::sql(format!("ambiguous column name: {column}")));
                }
                let c = col.or(t.ipk);
                found = Some(ColumnRef {
                    row: src.row.clone(),
                    column: col,
                    field: col.map(|i| t.record_field(i)),
                    affinity: c.map_or(Affinity::Integer, |i| t.columns[i].affinity),
                    // The rowid (and an INTEGER PRIMARY KEY, which is the rowid) has no
                    // collation, not even BINARY: SQLite codes it as the rowid.
                    collation: col.and_then(|i| t.columns[i].collation.clone()),
                    decl_type: c.map(|i| t.columns[i].decl_type.clone()).filter(|d| !d.is_empty()),
                    name: c.map_or_else(|| column.to_string(), |i| t.columns[i].name.clone()),
                    default: col.and_then(|i| super::column_default_value(&t.columns[i])),
                });
            }
        }
        if found.is_some() {
            if depth > 0 {
                b.outer_refs += 1;
            }
            return Ok(found);
        }
        s = sc.parent.as_deref();
        depth += 1;
    }
    Ok(None)
}

/// Loads a resolved column into `target`.
pub fn load_column(b: &mut Builder<'_>, c: &ColumnRef, target: i32) {
    match (&c.row, c.column) {
        (RowSource::Cursor(cur), None) => {
            b.emit(Opcode::Rowid, *cur, target, 0);
        }
        (RowSource::Cursor(cur), Some(i)) => {
            let a = b.emit(Opcode::Column, *cur, c.field.unwrap_or(i) as i32, target);
            if let Some(v) = &c.default {
                b.ops[a].p4 = P4::Value(v.clone());
            }
            // SQLite stores a REAL column's integral values as integers.
            if c.affinity == Affinity::Real {
                b.emit(Opcode::RealAffinity, target, 0, 0);
            }
        }
        (RowSource::Regs { rowid, .. }, None) => {
            b.emit(Opcode::SCopy, *rowid, target, 0);
        }
        (RowSource::Regs { base, .. }, Some(i)) => {
            b.emit(Opcode::SCopy, base + i as i32, target, 0);
        }
        (RowSource::Index { cursor, .. }, None) => {
            b.emit(Opcode::IdxRowid, *cursor, target, 0);
        }
        (RowSource::Index { cursor, map, .. }, Some(i)) => match map.get(i).copied().flatten() {
            Some(pos) => {
                b.emit(Opcode::Column, *cursor, pos as i32, target);
                if c.affinity == Affinity::Real {
                    b.emit(Opcode::RealAffinity, target, 0, 0);
                }
            }
            // The planner only scans an index that holds every column the query reads.
            None => {
                b.emit(Opcode::Null, 0, target, 0);
            }
        },
    }
}

/// The affinity of an expression, when it has one.
pub fn affinity_of(b: &mut Builder<'_>, scope: &Scope, e: &Expr) -> Option<Affinity> {
    match e {
        Expr::Id { name, .. } => {
            let saved = b.outer_refs;
            let r = resolve(b, scope, None, name).ok().flatten().map(|c| c.affinity);
            b.outer_refs = saved;
            r
        }
        Expr::Qualified { table, column, .. } => {
            let saved = b.outer_refs;
            let r = resolve(b, scope, Some(table), column).ok().flatten().map(|c| c.affinity);
            b.outer_refs = saved;
            r
        }
        Expr::Cast { type_name, .. } => Some(Affinity::from_decl_type(&type_name.as_ref().map(|t| t.words.join(" ")).unwrap_or_default())),
        Expr::Collate { expr, .. } => affinity_of(b, scope, expr),
        _ => None,
    }
}

/// The collation of an expression (SQLite's rules): an explicit COLLATE, a column's own,
/// through CAST and unary +; any other expression holding an explicit COLLATE (outside
/// subqueries) takes it from its first operand or argument that holds one.
/// A column's collation for comparisons: its declared one or BINARY; none for the rowid.
fn column_collation(c: ColumnRef) -> Option<String> {
    match c.column {
        None => None,
        Some(_) => Some(c.collation.unwrap_or_else(|| "BINARY".into())),
    }
}

pub fn collation_of(b: &mut Builder<'_>, scope: &Scope, e: &Expr) -> Option<String> {
    match e {
        Expr::Collate { collation, .. } => Some(collation.to_string()),
        Expr::Id { name, .. } => {
            let saved = b.outer_refs;
            // A column always has a collation (BINARY unless declared), which takes precedence
            // over a column on the right.
            let r = resolve(b, scope, None, name).ok().flatten().and_then(column_collation);
            b.outer_refs = saved;
            r
        }
        Expr::Qualified { table, column, .. } => {
            let saved = b.outer_refs;
            let r = resolve(b, scope, Some(table), column).ok().flatten().and_then(column_collation);
            b.outer_refs = saved;
            r
        }
        Expr::Cast { expr, .. } | Expr::Unary { op: UnaryOp::Plus, expr } => collation_of(b, scope, expr),
        _ => {
            let next = collated_operands(e).into_iter().find(|x| has_collate(x))?;
            collation_of(b, scope, next)
        }
    }
}

/// The operands of `e` in SQLite's order for finding a COLLATE (left operand first, then the
/// argument list; LIKE's pattern before its subject).
fn collated_operands(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::Unary { expr, .. } | Expr::IsNull { expr, .. } | Expr::Cast { expr, .. } | Expr::Collate { expr, .. } => vec![expr],
        Expr::InSelect { expr, .. } => vec![expr],
        Expr::Binary { left, right, .. } => vec![left, right],
        Expr::Like { expr, pattern, escape, .. } => {
            let mut v: Vec<&Expr> = vec![pattern, expr];
            v.extend(escape.as_deref());
            v
        }
        Expr::Between { expr, low, high, .. } => vec![expr, low, high],
        Expr::InList { expr, list, .. } => std::iter::once(&**expr).chain(list.iter()).collect(),
        Expr::Case { operand, when_then, else_expr } => operand
            .as_deref()
            .into_iter()
            .chain(when_then.iter().flat_map(|(w, t)| [w, t]))
            .chain(else_expr.as_deref())
            .collect(),
        Expr::FunctionCall(fc) => match &fc.args {
            FunctionArgs::List(l) => l.iter().collect(),
            FunctionArgs::Star => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Whether an explicit COLLATE appears in `e` (outside subqueries): SQLite's EP_Collate.
fn has_collate(e: &Expr) -> bool {
    matches!(e, Expr::Collate { .. }) || collated_operands(e).into_iter().any(has_collate)
}

/// The collation of `e` when it holds an explicit COLLATE.
pub fn explicit_collation(b: &mut Builder<'_>, scope: &Scope, e: &Expr) -> Option<String> {
    if has_collate(e) {
        collation_of(b, scope, e)
    } else {
        None
    }
}

/// The collating sequence of a binary comparison (datatype3 §7): an explicit COLLATE on the
/// left, then on the right, then the left column's, then the right column's.
pub fn pair_collation(b: &mut Builder<'_>, scope: &Scope, left: &Expr, right: &Expr) -> Option<String> {
    explicit_collation(b, scope, left)
        .or_else(|| explicit_collation(b, scope, right))
        .or_else(|| collation_of(b, scope, left))
        .or_else(|| collation_of(b, scope, right))
}

pub fn collation(name: &str) -> Result<Arc<Collation>> {
    Collation::builtin(name).map(Arc::new).ok_or_else(|| Error::sql(format!("no such collation sequence: {name}")))
}

/// Compiles a comparison `left op right` as a jump to `label` (`op` one of Eq..Ge), with
/// P5 flags `flags`. Returns nothing; operands are evaluated into temporaries.
pub fn compare_jump(b: &mut Builder<'_>, scope: &Scope, op: Opcode, left: &Expr, right: &Expr, label: i32, flags: u16) -> Result<()> {
    let l = b.reg();
    let r = b.reg();
    expr(b, scope, left, l)?;
    expr(b, scope, right, r)?;
    let aff = comparison_affinity(affinity_of(b, scope, left), affinity_of(b, scope, right));
    let coll = match pair_collation(b, scope, left, right) {
        Some(c) => P4::Coll(collation(&c)?),
        None => P4::None,
    };
    let a = b.emit4(op, r, label, l, coll);
    b.set_p5(a, flags | aff.map_or(0, |a| a.code() as u16));
    Ok(())
}

fn cmp_opcode(op: BinaryOp) -> Option<Opcode> {
    Some(match op {
        BinaryOp::Eq | BinaryOp::Is => Opcode::Eq,
        BinaryOp::Ne | BinaryOp::IsNot => Opcode::Ne,
        BinaryOp::Lt => Opcode::Lt,
        BinaryOp::Le => Opcode::Le,
        BinaryOp::Gt => Opcode::Gt,
        BinaryOp::Ge => Opcode::Ge,
        _ => return None,
    })
}

fn negate_cmp(op: Opcode) -> Opcode {
    match op {
        Opcode::Eq => Opcode::Ne,
        Opcode::Ne => Opcode::Eq,
        Opcode::Lt => Opcode::Ge,
        Opcode::Le => Opcode::Gt,
        Opcode::Gt => Opcode::Le,
        _ => Opcode::Lt,
    }
}

/// Jumps to `label` when `e` is false or NULL.
pub fn jump_if_false(b: &mut Builder<'_>, scope: &Scope, e: &Expr, label: i32) -> Result<()> {
    cond_false(b, scope, e, label, true)
}

/// Jumps to `label` when `e` is true.
pub fn jump_if_true(b: &mut Builder<'_>, scope: &Scope, e: &Expr, label: i32) -> Result<()> {
    cond_true(b, scope, e, label, false)
}

/// Jumps to `label` when `e` is false, and also when it is NULL if `null_jumps` (SQLite's
/// sqlite3ExprIfFalse with its jumpIfNull flag: the flag flips through AND/OR and passes
/// through NOT, so NULL takes the same paths as in SQLite and short-circuits skip the same
/// operands).
fn cond_false(b: &mut Builder<'_>, scope: &Scope, e: &Expr, label: i32, null_jumps: bool) -> Result<()> {
    let e = simplified_and_or(e);
    if let Some(rw) = truth_test(b, scope, e)? {
        return cond_false(b, scope, &rw, label, null_jumps);
    }
    if let Some(rw) = super::row_value::rewrite(e) {
        return cond_false(b, scope, &rw, label, null_jumps);
    }
    match e {
        _ if super::select::is_false_and(e) => {
            b.emit(Opcode::Goto, 0, label, 0);
            Ok(())
        }
        _ if b.expr_map.iter().any(|(x, _)| x == e) => value_jump(b, scope, e, label, null_jumps, false),
        Expr::Binary { op: BinaryOp::And, left, right } => {
            cond_false(b, scope, left, label, null_jumps)?;
            cond_false(b, scope, right, label, null_jumps)
        }
        Expr::Binary { op: BinaryOp::Or, left, right } => {
            let ok = b.label();
            cond_true(b, scope, left, ok, !null_jumps)?;
            cond_false(b, scope, right, label, null_jumps)?;
            b.resolve(ok);
            Ok(())
        }
        Expr::Unary { op: UnaryOp::Not, expr: inner } => cond_true(b, scope, inner, label, null_jumps),
        Expr::Between { not: true, .. } => cond_true(b, scope, &between_positive(e), label, null_jumps),
        Expr::Between { expr: x, low, high, not: false } => {
            between_jump(b, scope, x, low, high, |b, scope, and| cond_false(b, scope, and, label, null_jumps))
        }
        Expr::Binary { op, left, right } if cmp_opcode(*op).is_some() && !super::row_value::is_vector_compare(left, right) => {
            let o = negate_cmp(cmp_opcode(*op).expect("checked"));
            let flags = if matches!(op, BinaryOp::Is | BinaryOp::IsNot) {
                CMP_NULLEQ
            } else if null_jumps {
                CMP_JUMPIFNULL
            } else {
                0
            };
            compare_jump(b, scope, o, left, right, label, flags)
        }
        Expr::IsNull { expr: inner, not } => {
            let r = b.reg();
            expr(b, scope, inner, r)?;
            b.emit(if *not { Opcode::IsNull } else { Opcode::NotNull }, r, label, 0);
            Ok(())
        }
        _ => value_jump(b, scope, e, label, null_jumps, false),
    }
}

/// Jumps to `label` when `e` is true, and also when it is NULL if `null_jumps` (SQLite's
/// sqlite3ExprIfTrue; see [`cond_false`]).
fn cond_true(b: &mut Builder<'_>, scope: &Scope, e: &Expr, label: i32, null_jumps: bool) -> Result<()> {
    let e = simplified_and_or(e);
    if let Some(rw) = truth_test(b, scope, e)? {
        return cond_true(b, scope, &rw, label, null_jumps);
    }
    if let Some(rw) = super::row_value::rewrite(e) {
        return cond_true(b, scope, &rw, label, null_jumps);
    }
    match e {
        _ if super::select::is_false_and(e) => Ok(()),
        _ if b.expr_map.iter().any(|(x, _)| x == e) => value_jump(b, scope, e, label, null_jumps, true),
        Expr::Binary { op: BinaryOp::Or, left, right } => {
            cond_true(b, scope, left, label, null_jumps)?;
            cond_true(b, scope, right, label, null_jumps)
        }
        Expr::Binary { op: BinaryOp::And, left, right } => {
            let no = b.label();
            cond_false(b, scope, left, no, !null_jumps)?;
            cond_true(b, scope, right, label, null_jumps)?;
            b.resolve(no);
            Ok(())
        }
        Expr::Unary { op: UnaryOp::Not, expr: inner } => cond_false(b, scope, inner, label, null_jumps),
        Expr::Between { not: true, .. } => cond_false(b, scope, &between_positive(e), label, null_jumps),
        Expr::Between { expr: x, low, high, not: false } => {
            between_jump(b, scope, x, low, high, |b, scope, and| cond_true(b, scope, and, label, null_jumps))
        }
        Expr::Binary { op, left, right } if cmp_opcode(*op).is_some() && !super::row_value::is_vector_compare(left, right) => {
            let flags = if matches!(op, BinaryOp::Is | BinaryOp::IsNot) {
                CMP_NULLEQ
            } else if null_jumps {
                CMP_JUMPIFNULL
            } else {
                0
            };
            compare_jump(b, scope, cmp_opcode(*op).expect("checked"), left, right, label, flags)
        }
        Expr::IsNull { expr: inner, not } => {
            let r = b.reg();
            expr(b, scope, inner, r)?;
            b.emit(if *not { Opcode::NotNull } else { Opcode::IsNull }, r, label, 0);
            Ok(())
        }
        _ => value_jump(b, scope, e, label, null_jumps, true),
    }
}

/// A small nonzero integer literal: SQLite marks these always-true when parsing (and 0
/// always-false), but not larger integers, reals or expressions.
fn always_true(e: &Expr) -> bool {
    matches!(e, Expr::Literal(Literal::Integer(v)) if *v != 0 && i32::try_from(*v).is_ok())
}

fn always_false(e: &Expr) -> bool {
    matches!(e, Expr::Literal(Literal::Integer(0)))
}

/// An AND/OR with an always-true or always-false operand reduced to the operand that decides
/// (SQLite's sqlite3ExprSimplifiedAndOr before coding a condition): `x OR 1` is `1` and `x` is
/// never evaluated.
fn simplified_and_or(e: &Expr) -> &Expr {
    if let Expr::Binary { op: op @ (BinaryOp::And | BinaryOp::Or), left, right } = e {
        let r = simplified_and_or(right);
        let l = simplified_and_or(left);
        let and = *op == BinaryOp::And;
        if always_true(l) || always_false(r) {
            return if and { r } else { l };
        }
        if always_true(r) || always_false(l) {
            return if and { l } else { r };
        }
    }
    e
}

/// Computes `e` and jumps on its truth value (`on_true`) or falsity, NULL jumping when
/// `null_jumps`.
fn value_jump(b: &mut Builder<'_>, scope: &Scope, e: &Expr, label: i32, null_jumps: bool, on_true: bool) -> Result<()> {
    let r = b.reg();
    expr(b, scope, e, r)?;
    b.emit(if on_true { Opcode::If } else { Opcode::IfNot }, r, label, null_jumps as i32);
    Ok(())
}

/// `x NOT BETWEEN a AND b` without its NOT (SQLite parses it as NOT applied to BETWEEN).
fn between_positive(e: &Expr) -> Expr {
    match e {
        Expr::Between { expr: x, low, high, .. } => Expr::Between { expr: x.clone(), not: false, low: low.clone(), high: high.clone() },
        other => other.clone(),
    }
}

/// BETWEEN as SQLite codes it: `x` computed once into a register, then `x >= a AND x <= b`
/// handed to `then` (a jump, which short-circuits: `b` is not evaluated when `x >= a` decides).
fn between_jump(
    b: &mut Builder<'_>,
    scope: &Scope,
    x: &Expr,
    low: &Expr,
    high: &Expr,
    then: impl FnOnce(&mut Builder<'_>, &Scope, &Expr) -> Result<()>,
) -> Result<()> {
    let and = Expr::Binary {
        op: BinaryOp::And,
        left: Expr::Binary { op: BinaryOp::Ge, left: x.clone().into(), right: low.clone().into() }.into(),
        right: Expr::Binary { op: BinaryOp::Le, left: x.clone().into(), right: high.clone().into() }.into(),
    };
    with_computed(b, scope, x, |b, scope| then(b, scope, &and))
}

/// Runs `f` with `x` computed once into a register that stands for `x` while `f` compiles,
/// when that matters: `x` reads no column and holds no subquery (random(), a parameter, a
/// constant). An `x` that reads columns is compiled again where it appears instead: the
/// stand-in register would hide its column references from a subquery inside `f`, which
/// would then be taken for uncorrelated and run once.
fn with_computed(b: &mut Builder<'_>, scope: &Scope, x: &Expr, f: impl FnOnce(&mut Builder<'_>, &Scope) -> Result<()>) -> Result<()> {
    let mut reads = false;
    x.walk(&mut |e| {
        reads |= matches!(e, Expr::Id { .. } | Expr::Qualified { .. } | Expr::Exists(_) | Expr::Subquery(_) | Expr::InSelect { .. });
        !reads
    });
    if reads {
        return f(b, scope);
    }
    let rx = b.reg();
    expr(b, scope, x, rx)?;
    let saved = b.expr_map.len();
    b.expr_map.push((x.clone(), rx));
    let res = f(b, scope);
    b.expr_map.truncate(saved);
    res
}

/// Compiles a boolean expression's value (1, 0 or NULL) into `target`.
fn bool_value(b: &mut Builder<'_>, scope: &Scope, e: &Expr, target: i32, null_possible: bool) -> Result<()> {
    let t = b.label();
    let end = b.label();
    if null_possible {
        // NULL when the comparison is NULL: evaluate as false-or-null first.
        let f = b.label();
        b.emit(Opcode::Null, 0, target, 0);
        let Expr::Binary { op, left, right } = e else { return Err(Error::new(crate::error::code::INTERNAL, "bool_value")) };
        let l = b.reg();
        let r = b.reg();
        expr(b, scope, left, l)?;
        expr(b, scope, right, r)?;
        b.emit(Opcode::IsNull, l, end, 0);
        b.emit(Opcode::IsNull, r, end, 0);
        let aff = comparison_affinity(affinity_of(b, scope, left), affinity_of(b, scope, right));
        let coll = match pair_collation(b, scope, left, right) {
            Some(c) => P4::Coll(collation(&c)?),
            None => P4::None,
        };
        let a = b.emit4(cmp_opcode(*op).expect("comparison"), r, t, l, coll);
        b.set_p5(a, aff.map_or(0, |a| a.code() as u16));
        b.resolve(f);
    } else {
        jump_if_true(b, scope, e, t)?;
    }
    b.emit(Opcode::Integer, 0, target, 0);
    b.emit(Opcode::Goto, 0, end, 0);
    b.resolve(t);
    b.emit(Opcode::Integer, 1, target, 0);
    b.resolve(end);
    Ok(())
}

/// `x IS [NOT] TRUE|FALSE` where TRUE/FALSE name no column: SQLite's truth tests (`'a' IS
/// FALSE` is 1: the text is false as a boolean), rewritten as the CASE that means the same:
/// IS TRUE = CASE WHEN x THEN 1 ELSE 0 END, IS FALSE = CASE WHEN NOT x THEN 1 ELSE 0 END, the
/// NOT forms with 0 and 1 swapped. None for every other expression.
fn truth_test(b: &mut Builder<'_>, scope: &Scope, e: &Expr) -> Result<Option<Expr>> {
    let Expr::Binary { op: op @ (BinaryOp::Is | BinaryOp::IsNot), left, right } = e else { return Ok(None) };
    let Expr::Id { name, double_quoted: false } = &**right else { return Ok(None) };
    let value = if name.eq_ignore_ascii_case("true") {
        true
    } else if name.eq_ignore_ascii_case("false") {
        false
    } else {
        return Ok(None);
    };
    if resolve(b, scope, None, name)?.is_some() {
        return Ok(None);
    }
    let cond = if value { (**left).clone() } else { Expr::Unary { op: UnaryOp::Not, expr: left.clone() } };
    let (hit, miss) = if *op == BinaryOp::Is { (1, 0) } else { (0, 1) };
    Ok(Some(Expr::Case {
        operand: None,
        when_then: vec![(cond, Expr::Literal(Literal::Integer(hit)))],
        else_expr: Some(Expr::Literal(Literal::Integer(miss)).into()),
    }))
}

/// Compiles `e` into register `target`.
pub fn expr(b: &mut Builder<'_>, scope: &Scope, e: &Expr, target: i32) -> Result<()> {
    if let Some(&(_, reg)) = b.expr_map.iter().find(|(x, _)| x == e) {
        b.emit(Opcode::SCopy, reg, target, 0);
        return Ok(());
    }
    if let Some(rw) = truth_test(b, scope, e)? {
        return expr(b, scope, &rw, target);
    }
    if let Some(rw) = super::row_value::rewrite(e) {
        return expr(b, scope, &rw, target);
    }
    match e {
        // `x AND 0` is the literal 0 to SQLite's parser: x is never evaluated (nor resolved).
        _ if super::select::is_false_and(e) => literal(b, &Literal::Integer(0), target)?,
        // CURRENT_TIME, CURRENT_DATE, CURRENT_TIMESTAMP: SQLite's calls of the functions of
        // the same names (the time of the statement's step).
        Expr::Literal(Literal::CurrentTime) => call_function(b, scope, "current_time", &[], target)?,
        Expr::Literal(Literal::CurrentDate) => call_function(b, scope, "current_date", &[], target)?,
        Expr::Literal(Literal::CurrentTimestamp) => call_function(b, scope, "current_timestamp", &[], target)?,
        Expr::Literal(l) => literal(b, l, target)?,
        Expr::Variable { text, index } => {
            let i = *index as usize;
            if b.params.len() < i {
                b.params.resize(i, None);
            }
            if text != "?" && b.params[i - 1].is_none() {
                b.params[i - 1] = Some(text.to_string());
            }
            b.emit(Opcode::Variable, i as i32, target, 0);
        }
        Expr::Id { name, double_quoted } => match resolve(b, scope, None, name)? {
            Some(c) => load_column(b, &c, target),
            None if *double_quoted => {
                b.emit4(Opcode::String8, 0, target, 0, P4::Text(name.to_string()));
            }
            // TRUE and FALSE are 1 and 0 unless a column has that name (as in SQLite).
            None if name.eq_ignore_ascii_case("true") => {
                b.emit(Opcode::Integer, 1, target, 0);
            }
            None if name.eq_ignore_ascii_case("false") => {
                b.emit(Opcode::Integer, 0, target, 0);
            }
            None => return Err(Error::sql(format!("no such column: {name}"))),
        },
        Expr::Qualified { table, column, .. } => match resolve(b, scope, Some(table), column)? {
            Some(c) => load_column(b, &c, target),
            None => return Err(Error::sql(format!("no such column: {table}.{column}"))),
        },
        Expr::Unary { op, expr: inner } => match op {
            UnaryOp::Negate => match &**inner {
                Expr::Literal(Literal::Integer(i)) if *i != i64::MIN => literal(b, &Literal::Integer(-i), target)?,
                Expr::Literal(Literal::Real(r)) => literal(b, &Literal::Real(-r), target)?,
                _ => {
                    let r = b.reg();
                    expr(b, scope, inner, r)?;
                    let z = b.reg();
                    b.emit(Opcode::Integer, 0, z, 0);
                    b.emit(Opcode::Subtract, r, z, target);
                }
            },
            UnaryOp::Plus => expr(b, scope, inner, target)?,
            UnaryOp::BitNot => {
                let r = b.reg();
                expr(b, scope, inner, r)?;
                b.emit(Opcode::BitNot, r, target, 0);
            }
            UnaryOp::Not => {
                let r = b.reg();
                expr(b, scope, inner, r)?;
                b.emit(Opcode::Not, r, target, 0);
            }
        },
        Expr::Binary { op, left, right } => {
            if cmp_opcode(*op).is_some() && super::row_value::is_vector_compare(left, right) {
                return super::row_value::compare(b, scope, *op, left, right, target);
            }
            if cmp_opcode(*op).is_some() {
                let nullable = !matches!(op, BinaryOp::Is | BinaryOp::IsNot);
                return bool_value(b, scope, e, target, nullable);
            }
            let l = b.reg();
            let r = b.reg();
            expr(b, scope, left, l)?;
            expr(b, scope, right, r)?;
            let (opc, p1, p2) = match op {
                BinaryOp::And => (Opcode::And, l, r),
                BinaryOp::Or => (Opcode::Or, l, r),
                BinaryOp::Add => (Opcode::Add, l, r),
                BinaryOp::Multiply => (Opcode::Multiply, l, r),
                BinaryOp::Subtract => (Opcode::Subtract, r, l),
                BinaryOp::Divide => (Opcode::Divide, r, l),
                BinaryOp::Remainder => (Opcode::Remainder, r, l),
                BinaryOp::Concat => (Opcode::Concat, r, l),
                BinaryOp::BitAnd => (Opcode::BitAnd, l, r),
                BinaryOp::BitOr => (Opcode::BitOr, l, r),
                BinaryOp::ShiftLeft => (Opcode::ShiftLeft, r, l),
                BinaryOp::ShiftRight => (Opcode::ShiftRight, r, l),
                BinaryOp::JsonArrow | BinaryOp::JsonArrow2 => return Err(Error::not_supported("the -> and ->> operators")),
                _ => return Err(Error::new(crate::error::code::INTERNAL, "comparison handled above")),
            };
            b.emit(opc, p1, p2, target);
        }
        Expr::Like { op, not, expr: subject, pattern, escape } => {
            let name = match op {
                LikeOp::Like => "like",
                LikeOp::Glob => "glob",
                LikeOp::Regexp => "regexp",
                LikeOp::Match => "match",
            };
            let mut args: Vec<&Expr> = vec![pattern, subject];
            if let Some(e) = escape {
                args.push(e);
            }
            call_function(b, scope, name, &args, target)?;
            if *not {
                b.emit(Opcode::Not, target, target, 0);
            }
        }
        Expr::Between { expr: x, not, low, high } => {
            // x once, then both comparisons (a value needs both: no short-circuit, as in
            // SQLite 3.40).
            let lo = Expr::Binary { op: BinaryOp::Ge, left: x.clone(), right: low.clone() };
            let hi = Expr::Binary { op: BinaryOp::Le, left: x.clone(), right: high.clone() };
            let a = b.reg();
            let c = b.reg();
            with_computed(b, scope, x, |b, scope| {
                expr(b, scope, &lo, a)?;
                expr(b, scope, &hi, c)
            })?;
            b.emit(Opcode::And, a, c, target);
            if *not {
                b.emit(Opcode::Not, target, target, 0);
            }
        }
        Expr::InList { expr: x, not, list } => in_list(b, scope, x, list, *not, target)?,
        Expr::InSelect { expr: x, not, select } => super::select::in_select(b, scope, x, select, *not, target)?,
        // `x IN table` is `x IN (SELECT * FROM table)`, as in SQLite.
        Expr::InTable { expr: x, not, table, args: None } => {
            let select = in_table_select(table);
            super::select::in_select(b, scope, x, &select, *not, target)?
        }
        Expr::InTable { .. } => return Err(Error::not_supported("IN with a table-valued function")),
        Expr::IsNull { expr: inner, not } => {
            let r = b.reg();
            expr(b, scope, inner, r)?;
            let end = b.label();
            b.emit(Opcode::Integer, 1, target, 0);
            b.emit(if *not { Opcode::NotNull } else { Opcode::IsNull }, r, end, 0);
            b.emit(Opcode::Integer, 0, target, 0);
            b.resolve(end);
        }
        Expr::Collate { expr: inner, collation: c } => {
            collation(c)?;
            expr(b, scope, inner, target)?;
        }
        Expr::Cast { expr: inner, type_name } => {
            expr(b, scope, inner, target)?;
            let t = type_name.as_ref().map(|t| t.words.join(" ")).unwrap_or_default();
            b.emit(Opcode::Cast, target, Affinity::from_decl_type(&t).code() as i32, 0);
        }
        Expr::Case { operand, when_then, else_expr } => {
            let end = b.label();
            let base = match operand {
                Some(o) => {
                    let r = b.reg();
                    expr(b, scope, o, r)?;
                    Some((r, o))
                }
                None => None,
            };
            for (w, t) in when_then {
                let next = b.label();
                match &base {
                    Some((r, o)) => {
                        let wr = b.reg();
                        expr(b, scope, w, wr)?;
                        let aff = comparison_affinity(affinity_of(b, scope, o), affinity_of(b, scope, w));
                        let coll = match pair_collation(b, scope, o, w) {
                            Some(c) => P4::Coll(collation(&c)?),
                            None => P4::None,
                        };
                        let a = b.emit4(Opcode::Ne, wr, next, *r, coll);
                        b.set_p5(a, CMP_JUMPIFNULL | aff.map_or(0, |a| a.code() as u16));
                    }
                    None => jump_if_false(b, scope, w, next)?,
                }
                expr(b, scope, t, target)?;
                b.emit(Opcode::Goto, 0, end, 0);
                b.resolve(next);
            }
            match else_expr {
                Some(e) => expr(b, scope, e, target)?,
                None => {
                    b.emit(Opcode::Null, 0, target, 0);
                }
            }
            b.resolve(end);
        }
        Expr::Exists(select) => super::select::exists(b, scope, select, target)?,
        Expr::Subquery(select) => super::select::scalar_subquery(b, scope, select, target)?,
        Expr::Vector(_) => return Err(super::row_value::misused()),
        Expr::FunctionCall(fc) => {
            if fc.over.is_some() {
                return Err(Error::not_supported("window functions"));
            }
            let args: Vec<&Expr> = match &fc.args {
                FunctionArgs::Star => Vec::new(),
                FunctionArgs::List(l) => l.iter().collect(),
            };
            let def = b.funcs.lookup(&fc.name, args.len())?;
            if fc.filter.is_some() && !def.is_aggregate() {
                return Err(Error::sql(format!("FILTER may not be used with non-aggregate {}()", fc.name)));
            }
            if def.is_aggregate() {
                return Err(Error::sql(format!("misuse of aggregate function {}()", fc.name)));
            }
            if fc.distinct {
                return Err(Error::sql("DISTINCT aggregates must have exactly one argument"));
            }
            // As in SQLite, iif() is a CASE and coalesce()/ifnull() stop at the first
            // non-NULL argument: the arguments not reached are not evaluated (nor their errors).
            let lazy = fc.name.to_ascii_lowercase();
            if lazy == "iif" && args.len() == 3 {
                let case = Expr::Case {
                    operand: None,
                    when_then: vec![(args[0].clone(), args[1].clone())],
                    else_expr: Some(args[2].clone().into()),
                };
                return expr(b, scope, &case, target);
            }
            if (lazy == "coalesce" || lazy == "ifnull") && args.len() >= 2 {
                let end = b.label();
                for (i, a) in args.iter().enumerate() {
                    expr(b, scope, a, target)?;
                    if i + 1 < args.len() {
                        b.emit(Opcode::NotNull, target, end, 0);
                    }
                }
                b.resolve(end);
                return Ok(());
            }
            call_function(b, scope, &fc.name, &args, target)?;
        }
        Expr::Raise { .. } => return Err(Error::sql("RAISE() may only be used within a trigger-program")),
    }
    Ok(())
}

fn call_function(b: &mut Builder<'_>, scope: &Scope, name: &str, args: &[&Expr], target: i32) -> Result<()> {
    let def = b.funcs.lookup(name, args.len())?;
    if def.is_aggregate() {
        return Err(Error::sql(format!("misuse of aggregate function {name}()")));
    }
    let base = b.regs(args.len().max(1));
    for (i, a) in args.iter().enumerate() {
        expr(b, scope, a, base + i as i32)?;
    }
    let mut p1 = 0;
    if def.flags.has(crate::func::FuncFlags::NEEDCOLL) {
        if let Some(c) = args.iter().find_map(|a| collation_of(b, scope, a)) {
            let coll = collation(&c)?;
            b.emit4(Opcode::Noop, 0, 0, 0, P4::Coll(coll));
            p1 = 1;
        }
    }
    let a = b.emit4(Opcode::Function, p1, base, target, P4::Func(def));
    b.set_p5(a, args.len() as u16);
    Ok(())
}

fn in_list(b: &mut Builder<'_>, scope: &Scope, x: &Expr, list: &[Expr], not: bool, target: i32) -> Result<()> {
    let rx = b.reg();
    let nullseen = b.reg();
    let end = b.label();
    let found = b.label();
    let setnull = b.label();
    expr(b, scope, x, rx)?;
    b.emit(Opcode::Null, 0, target, 0);
    if list.is_empty() {
        b.emit(Opcode::Integer, not as i32, target, 0);
        b.resolve(end);
        b.resolve(found);
        b.resolve(setnull);
        return Ok(());
    }
    // As in SQLite, a NULL left operand does not skip the items (their errors still happen):
    // they are evaluated in order until one matches, and a constant list of more than two
    // items is evaluated whole first (SQLite builds a lookup table from it).
    b.emit(Opcode::Integer, 0, nullseen, 0);
    // Every item compares under the left operand's affinity and collation; the items' own do
    // not count. One constant item is SQLite's `x = +item`: its explicit COLLATE counts then.
    let aff = comparison_affinity(affinity_of(b, scope, x), None);
    let coll = match list {
        [item] if is_constant(item) => pair_collation(b, scope, x, item),
        _ => collation_of(b, scope, x),
    };
    let coll = match coll {
        Some(c) => P4::Coll(collation(&c)?),
        None => P4::None,
    };
    let prebuilt = if list.len() > 2 && list.iter().all(is_constant) {
        let base = b.regs(list.len());
        for (i, item) in list.iter().enumerate() {
            expr(b, scope, item, base + i as i32)?;
        }
        Some(base)
    } else {
        None
    };
    for (i, item) in list.iter().enumerate() {
        let ri = match prebuilt {
            Some(base) => base + i as i32,
            None => {
                let ri = b.reg();
                expr(b, scope, item, ri)?;
                ri
            }
        };
        let coll = coll.clone();
        let a = b.emit4(Opcode::Eq, ri, found, rx, coll);
        b.set_p5(a, aff.map_or(0, |a| a.code() as u16));
        let skip = b.label();
        b.emit(Opcode::NotNull, ri, skip, 0);
        b.emit(Opcode::Integer, 1, nullseen, 0);
        b.resolve(skip);
    }
    b.emit(Opcode::IsNull, rx, setnull, 0);
    b.emit(Opcode::If, nullseen, setnull, 0);
    b.emit(Opcode::Integer, not as i32, target, 0);
    b.emit(Opcode::Goto, 0, end, 0);
    b.resolve(found);
    b.emit(Opcode::Integer, (!not) as i32, target, 0);
    b.emit(Opcode::Goto, 0, end, 0);
    b.resolve(setnull);
    b.emit(Opcode::Null, 0, target, 0);
    b.resolve(end);
    Ok(())
}

/// `SELECT * FROM table`: the right side of `x IN table`.
fn in_table_select(table: &crate::sql::ast::QualifiedName) -> crate::sql::ast::Select {
    use crate::sql::ast::{FromClause, ResultColumn, Select};
    Select::simple(vec![ResultColumn::Star], FromClause::table(table.clone(), None), None)
}

/// Whether `e` is built from literals and parameters only (SQLite's constant expression, as far
/// as the IN-list rules need it).
fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Literal(_) | Expr::Variable { .. } => true,
        Expr::Unary { expr, .. } | Expr::Collate { expr, .. } | Expr::Cast { expr, .. } | Expr::IsNull { expr, .. } => is_constant(expr),
        Expr::Binary { left, right, .. } => is_constant(left) && is_constant(right),
        Expr::FunctionCall(fc) => fc.over.is_none() && matches!(&fc.args, FunctionArgs::List(l) if l.iter().all(is_constant)),
        _ => false,
    }
}

fn literal(b: &mut Builder<'_>, l: &Literal, target: i32) -> Result<()> {
    match l {
        Literal::Null => {
            b.emit(Opcode::Null, 0, target, 0);
        }
        Literal::Integer(i) => {
            if let Ok(small) = i32::try_from(*i) {
                b.emit(Opcode::Integer, small, target, 0);
            } else {
                b.emit4(Opcode::Int64, 0, target, 0, P4::Int64(*i));
            }
        }
        Literal::Real(r) => {
            b.emit4(Opcode::Real, 0, target, 0, P4::Real(*r));
        }
        Literal::String(s) => {
            b.emit4(Opcode::String8, 0, target, 0, P4::Text(s.to_string()));
        }
        Literal::Blob(v) => {
            b.emit4(Opcode::Blob, v.len() as i32, target, 0, P4::Blob(v.clone()));
        }
        // Compiled as function calls by expr(); never reached.
        Literal::CurrentTime | Literal::CurrentDate | Literal::CurrentTimestamp => {
            return Err(Error::sql("CURRENT_TIME/CURRENT_DATE/CURRENT_TIMESTAMP outside an expression"))
        }
    }
    Ok(())
}
