//! Compound SELECTs (UNION, UNION ALL, INTERSECT, EXCEPT) with their ORDER BY and LIMIT.
//!
//! Each simple SELECT is materialized into a sorter; the operators are applied left to right
//! (SQLite's associativity): UNION ALL appends, UNION appends and later removes duplicates,
//! INTERSECT and EXCEPT keep the (distinct) left rows found / not found in a transient set of
//! the right rows. Without ORDER BY a result that went through a distinct step comes out in
//! the order of its columns, as SQLite's ephemeral-index plan gives it.
//!
//! Invariants:
//! 1. `current` holds the rows of the compound so far; `distinct_pending` says whether they
//!    still need duplicates removed.
//! 2. Every simple SELECT must have the first one's column count (SQLite's message).
//! 3. A simple SELECT whose rows later go through a distinct step drops its own DISTINCT (as
//!    SQLite ignores it): which of equal rows survives is then the distinct step's choice.

use std::sync::Arc;

use super::select::{compile_select_core, emit_row, Dest};
use super::{Builder, OutColumn, Scope};
use crate::error::{Error, Result};
use crate::sql::ast::{CompoundOp, Distinctness, Expr, Literal, Select, SelectCore};
use crate::vdbe::{KeyInfo, Opcode, P4};

fn op_name(op: CompoundOp) -> &'static str {
    match op {
        CompoundOp::Union => "UNION",
        CompoundOp::UnionAll => "UNION ALL",
        CompoundOp::Intersect => "INTERSECT",
        CompoundOp::Except => "EXCEPT",
    }
}

fn all_columns(n: usize) -> Arc<KeyInfo> {
    Arc::new(KeyInfo { fields: vec![(false, None); n], nulls_flip: Vec::new() })
}

/// Copies the rows of sorter `from` (sorted by all columns, stable) into a new sorter, dropping
/// duplicates and, with `set = Some((cursor, keep_found))`, rows by membership in `cursor`.
/// Of equal rows (0 and 0.0) the last one added stays, as in SQLite, whose ephemeral index
/// replaces an equal key on insert.
fn filter_pass(b: &mut Builder<'_>, from: i32, n: usize, set: Option<(i32, bool)>, keyed: &mut Vec<usize>) -> i32 {
    let to = b.cursor();
    b.emit4(Opcode::SorterOpen, to, n as i32, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
    let (end, top, next) = (b.label(), b.label(), b.label());
    let regs = b.regs(n);
    let held = b.regs(n);
    let first = b.reg();
    let out_sub = b.reg();
    let output = b.label();
    b.emit(Opcode::Integer, 1, first, 0);
    b.emit(Opcode::SorterSort, from, end, 0);
    b.resolve(top);
    for i in 0..n {
        b.emit(Opcode::Column, from, i as i32, regs + i as i32);
    }
    let hold = b.label();
    b.emit(Opcode::If, first, hold, 0);
    let cmp = b.emit4(Opcode::Compare, held, regs, n as i32, P4::KeyInfo(all_columns(n)));
    keyed.push(cmp);
    let diff = b.label();
    b.emit(Opcode::Jump, diff, hold, diff);
    b.resolve(diff);
    b.emit(Opcode::Gosub, out_sub, output, 0);
    b.resolve(hold);
    b.emit(Opcode::Integer, 0, first, 0);
    b.emit(Opcode::Copy, regs, held, n as i32 - 1);
    b.emit(Opcode::SorterNext, from, top, 0);
    b.emit(Opcode::If, first, end, 0);
    b.emit(Opcode::Gosub, out_sub, output, 0);
    b.emit(Opcode::Goto, 0, end, 0);
    // Subroutine: keeps the held row.
    b.resolve(output);
    if let Some((cursor, keep_found)) = set {
        let op = if keep_found { Opcode::NotFound } else { Opcode::Found };
        b.emit4(op, cursor, next, held, P4::Int64(n as i64));
    }
    b.emit(Opcode::SorterInsert, to, held, n as i32);
    b.resolve(next);
    b.emit(Opcode::Return, out_sub, 0, 0);
    b.resolve(end);
    to
}

/// Whether arm `i` (0 is the first) feeds a step that removes duplicates anyway: it is the
/// right side of UNION, INTERSECT or EXCEPT, or such an operator comes later (operators apply
/// left to right to everything before them). SQLite then ignores the arm's own DISTINCT
/// (IgnorableDistinct), which decides which of equal rows (0 and 0.0) survives.
fn distinct_ignorable(s: &Select, i: usize) -> bool {
    s.body.compounds.iter().enumerate().any(|(k, (op, _))| k + 1 >= i && *op != CompoundOp::UnionAll)
}

/// `core` without its DISTINCT when `ignorable`.
fn without_ignorable_distinct(core: &SelectCore, ignorable: bool) -> std::borrow::Cow<'_, SelectCore> {
    use std::borrow::Cow;
    match core {
        SelectCore::Select(q) if ignorable && q.distinct == Some(Distinctness::Distinct) => {
            let mut q = q.clone();
            q.distinct = None;
            Cow::Owned(SelectCore::Select(q))
        }
        _ => Cow::Borrowed(core),
    }
}

pub fn compile_compound(b: &mut Builder<'_>, parent: &Scope, s: &Select, dest: Dest) -> Result<Vec<OutColumn>> {
    // SQLite looks up the arms' tables right to left first: with several missing, the
    // rightmost is named.
    compile_arms(b, parent, s, dest).map_err(|e| super::select::compound_missing_table(b, s).unwrap_or(e))
}

fn compile_arms(b: &mut Builder<'_>, parent: &Scope, s: &Select, dest: Dest) -> Result<Vec<OutColumn>> {
    // Materialize the first SELECT.
    let first_cur = b.cursor();
    let open_at = b.emit4(Opcode::SorterOpen, first_cur, 0, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
    let whole = b.plan.enter("COMPOUND QUERY".to_string());
    let nest = b.plan.enter("LEFT-MOST SUBQUERY".to_string());
    b.select_columns.clear();
    let first = without_ignorable_distinct(&s.body.first, distinct_ignorable(s, 0));
    let cols = compile_select_core(b, parent, &first, &[], None, Dest::Collect { cursor: first_cur });
    let first_colls = std::mem::take(&mut b.select_columns);
    b.plan.leave(nest);
    let r = compile_members(b, parent, s, cols, first_cur, open_at, first_colls);
    b.plan.leave(whole);
    r.and_then(|(cols, current)| finish_compound(b, parent, s, dest, cols, current))
}

/// The members after the first, each under its plan row; returns the columns and the cursor
/// holding the combined rows.
fn compile_members(
    b: &mut Builder<'_>,
    parent: &Scope,
    s: &Select,
    cols: Result<Vec<OutColumn>>,
    first_cur: i32,
    open_at: usize,
    first_colls: Vec<(Option<String>, Option<crate::value::Affinity>)>,
) -> Result<(Vec<OutColumn>, i32)> {
    let cols = cols?;
    let n = cols.len();
    b.ops[open_at].p2 = n as i32;
    b.ops[open_at].p4 = P4::KeyInfo(all_columns(n));
    let start = open_at;
    // Ops keyed by all the columns; each column compares under the collation of the leftmost
    // arm whose expression has one (a plain column has BINARY at least), as in SQLite.
    let mut keyed: Vec<usize> = vec![open_at];
    let mut sorted_cursors: Vec<i32> = Vec::new();
    let mut colls: Vec<Option<String>> = Vec::new();
    let note_colls = |described: Vec<(Option<String>, Option<crate::value::Affinity>)>, colls: &mut Vec<Option<String>>| {
        if colls.is_empty() {
            colls.resize(described.len(), None);
        }
        for (c, (d, _)) in colls.iter_mut().zip(described) {
            if c.is_none() {
                *c = d;
            }
        }
    };
    note_colls(first_colls, &mut colls);
    let mut current = first_cur;
    let mut distinct_pending = false;
    for (k, (op, core)) in s.body.compounds.iter().enumerate() {
        let core = &without_ignorable_distinct(core, distinct_ignorable(s, k + 1));
        let check = |c: &[OutColumn]| -> Result<()> {
            if c.len() != n {
                return Err(Error::sql(format!(
                    "SELECTs to the left and right of {} do not have the same number of result columns",
                    op_name(*op)
                )));
            }
            Ok(())
        };
        // The member under its plan row, its collations noted, its width checked.
        let mut member = |b: &mut Builder<'_>, label: &str, dest: Dest| -> Result<()> {
            let nest = b.plan.enter(label.to_string());
            b.select_columns.clear();
            let c = compile_select_core(b, parent, core, &[], None, dest);
            note_colls(std::mem::take(&mut b.select_columns), &mut colls);
            b.plan.leave(nest);
            check(&c?)
        };
        match op {
            CompoundOp::UnionAll | CompoundOp::Union => {
                if *op == CompoundOp::UnionAll && distinct_pending {
                    current = filter_pass(b, current, n, None, &mut keyed);
                    distinct_pending = false;
                }
                let label = if *op == CompoundOp::Union { "UNION USING TEMP B-TREE" } else { "UNION ALL" };
                member(b, label, Dest::Collect { cursor: current })?;
                if *op == CompoundOp::Union {
                    distinct_pending = true;
                }
            }
            CompoundOp::Intersect | CompoundOp::Except => {
                let set = b.cursor();
                let o = b.emit4(Opcode::OpenEphemeral, set, n as i32, 0, P4::KeyInfo(all_columns(n)));
                keyed.push(o);
                let label = if *op == CompoundOp::Intersect { "INTERSECT USING TEMP B-TREE" } else { "EXCEPT USING TEMP B-TREE" };
                member(b, label, Dest::SetRow { cursor: set })?;
                current = filter_pass(b, current, n, Some((set, *op == CompoundOp::Intersect)), &mut keyed);
                distinct_pending = false;
            }
        }
        // Sorters read back in key order: give the current one the all-columns key.
        set_sorter_key(b, current, n);
        sorted_cursors.push(current);
    }
    if distinct_pending {
        current = filter_pass(b, current, n, None, &mut keyed);
        set_sorter_key(b, current, n);
        sorted_cursors.push(current);
    }
    // The sorters given the all-columns key, then the collations on every keyed op.
    for (i, op) in b.ops.iter().enumerate().skip(start) {
        if op.opcode == Opcode::SorterOpen
            && matches!(&op.p4, P4::KeyInfo(k) if k.fields.len() == n && k.fields.iter().all(|f| !f.0 && f.1.is_none()))
            && sorted_cursors.contains(&op.p1)
        {
            keyed.push(i);
        }
    }
    if colls.len() == n && colls.iter().any(|c| c.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case("BINARY"))) {
        let mut fields = Vec::with_capacity(n);
        for c in &colls {
            fields.push((
                false,
                match c.as_deref() {
                    Some(name) if !name.eq_ignore_ascii_case("BINARY") => Some(super::expr::collation(name)?),
                    _ => None,
                },
            ));
        }
        let key = Arc::new(KeyInfo { fields, nulls_flip: Vec::new() });
        for &i in &keyed {
            if matches!(&b.ops[i].p4, P4::KeyInfo(k) if k.fields.len() == n) {
                b.ops[i].p4 = P4::KeyInfo(Arc::clone(&key));
            }
        }
    }
    let only_all = s.body.compounds.iter().all(|(op, _)| *op == CompoundOp::UnionAll);
    if only_all {
        // A bag: keep insertion order.
        set_sorter_key_empty(b, first_cur);
    }
    Ok((cols, current))
}

/// ORDER BY, LIMIT and the delivery of the combined rows held by `current`.
fn finish_compound(b: &mut Builder<'_>, _parent: &Scope, s: &Select, dest: Dest, cols: Vec<OutColumn>, current: i32) -> Result<Vec<OutColumn>> {
    let n = cols.len();
    // ORDER BY terms name result columns.
    let mut order: Vec<(usize, bool)> = Vec::new();
    let mut nulls_flip: Vec<bool> = Vec::new();
    for (k, t) in s.order_by.iter().enumerate() {
        let idx = match &t.expr {
            Expr::Literal(Literal::Integer(i)) if *i >= 1 && (*i as usize) <= n => Some(*i as usize - 1),
            Expr::Literal(Literal::Integer(_)) => {
                return Err(Error::sql(format!("{} ORDER BY term out of range - should be between 1 and {}", super::select::ordinal(k + 1), n)))
            }
            Expr::Id { name, .. } => cols.iter().position(|c| c.name.eq_ignore_ascii_case(name)),
            Expr::Collate { .. } => return Err(Error::not_supported("COLLATE in a compound ORDER BY")),
            _ => None,
        };
        let Some(idx) = idx else {
            return Err(Error::sql(format!("{} ORDER BY term does not match any column in the result set", super::select::ordinal(k + 1))));
        };
        let desc = t.order == Some(crate::sql::ast::SortOrder::Desc);
        order.push((idx, desc));
        nulls_flip.push(matches!(
            (t.nulls, desc),
            (Some(crate::sql::ast::NullsOrder::Last), false) | (Some(crate::sql::ast::NullsOrder::First), true)
        ));
    }
    let done = b.label();
    let scope = Scope::default();
    let lim = super::select::compile_limits(b, &scope, s.limit.as_ref(), done)?;
    let source = if order.is_empty() {
        current
    } else {
        let out = b.cursor();
        let k = Arc::new(KeyInfo { fields: order.iter().map(|(_, d)| (*d, None)).collect(), nulls_flip });
        b.emit4(Opcode::SorterOpen, out, (order.len() + n) as i32, 0, P4::KeyInfo(k));
        let (end, top) = (b.label(), b.label());
        let regs = b.regs(order.len() + n);
        b.emit(Opcode::SorterSort, current, end, 0);
        b.resolve(top);
        for (j, (i, _)) in order.iter().enumerate() {
            b.emit(Opcode::Column, current, *i as i32, regs + j as i32);
        }
        for i in 0..n {
            b.emit(Opcode::Column, current, i as i32, regs + (order.len() + i) as i32);
        }
        b.emit(Opcode::SorterInsert, out, regs, (order.len() + n) as i32);
        b.emit(Opcode::SorterNext, current, top, 0);
        b.resolve(end);
        out
    };
    let skip_cols = if order.is_empty() { 0 } else { order.len() };
    let (end, top, next) = (b.label(), b.label(), b.label());
    let regs = b.regs(n);
    b.emit(Opcode::SorterSort, source, end, 0);
    b.resolve(top);
    for i in 0..n {
        b.emit(Opcode::Column, source, (skip_cols + i) as i32, regs + i as i32);
    }
    super::select::apply_offset(b, &lim, next);
    emit_row(b, dest, regs, n);
    super::select::apply_limit(b, &lim, done);
    b.resolve(next);
    b.emit(Opcode::SorterNext, source, top, 0);
    b.resolve(end);
    b.resolve(done);
    Ok(cols)
}

/// Gives sorter `cursor` (opened earlier) the key of all `n` columns.
fn set_sorter_key(b: &mut Builder<'_>, cursor: i32, n: usize) {
    for op in b.ops.iter_mut() {
        if op.opcode == Opcode::SorterOpen && op.p1 == cursor {
            op.p4 = P4::KeyInfo(all_columns(n));
        }
    }
}

fn set_sorter_key_empty(b: &mut Builder<'_>, cursor: i32) {
    for op in b.ops.iter_mut() {
        if op.opcode == Opcode::SorterOpen && op.p1 == cursor {
            op.p4 = P4::KeyInfo(Arc::new(KeyInfo::default()));
        }
    }
}
