//! Window functions in a SELECT: `f(...) OVER (PARTITION BY ... ORDER BY ... frame)`.
//!
//! Plan: (1) the FROM/WHERE loop puts one row per input row into a sorter: each window's
//! PARTITION BY and ORDER BY values, each window call's arguments, and the values the rest
//! of the query reads (column references and subqueries outside window calls, captured here
//! because the loop's cursors are gone afterwards); (2) the `Window` instruction sorts the
//! rows and appends each call's value (vdbe/window.rs); (3) a walk of the sorter delivers
//! every row with those captured values and window values standing in for their expressions
//! (`Builder::expr_map`), so DISTINCT, ORDER BY and LIMIT work as for any query.
//!
//! Supported: the ranking functions, ntile, lag/lead, first/last/nth_value and every aggregate,
//! named windows (WINDOW clause, OVER name, a base window), ROWS frames and RANGE frames bounded
//! by UNBOUNDED/CURRENT ROW, GROUPS frames, several windows in one query, FILTER on aggregates
//! (a row the filter drops is neither stepped nor taken out). Refused with "not supported
//! yet": RANGE offsets, DISTINCT window aggregates, window functions in an aggregate query.
//!
//! Invariants:
//! 1. Window calls are evaluated only from the sorter; their arguments only in the loop.
//! 2. Every value phase 3 reads comes from the sorter row (never from a loop cursor).

use std::sync::Arc;

use super::expr;
use super::{Builder, Scope};
use crate::error::{Error, Result};
use crate::sql::ast::{
    Expr, FrameBound, FrameExclude, FrameSpec, FrameUnits, FunctionArgs, FunctionCall, Literal, NullsOrder, Over,
    QuerySpec, SortOrder, WindowSpec,
};
use crate::vdbe::op::{Opcode, P4};
use crate::vdbe::window::{Bound, Exclude, Frame, Units, WinCall, WinDef, WinFunc, WindowPlan};

/// The window calls of one query level: each with its function, frame and window (an index
/// into `specs`, the distinct PARTITION BY + ORDER BY pairs).
pub(super) struct Windows {
    calls: Vec<(Expr, WinFunc, Frame, Exclude, usize)>,
    specs: Vec<WindowSpec>,
}

impl Windows {
    /// Whether rows come out of the window phase already in `order` (with no NULLS clause):
    /// one window whose PARTITION BY then ORDER BY are exactly those terms. The window sorts
    /// the rows by that key, stably, so a second sort would change nothing; SQLite skips it
    /// too (its rows then stream: LIMIT stops before later rows' values are computed).
    pub(super) fn give_order(&self, order: &[(Expr, bool)], nulls_flip: &[bool]) -> bool {
        let [spec] = &self.specs[..] else { return false };
        if nulls_flip.iter().any(|&f| f) || spec.order_by.iter().any(|t| t.nulls.is_some()) {
            return false;
        }
        let key: Vec<(&Expr, bool)> = spec
            .partition_by
            .iter()
            .map(|e| (e, false))
            .chain(spec.order_by.iter().map(|t| (&t.expr, t.order == Some(SortOrder::Desc))))
            .collect();
        key.len() == order.len() && key.iter().zip(order).all(|((k, kd), (e, d))| *k == e && kd == d)
    }
}

/// The window calls in `exprs` (outside subqueries), resolved against the WINDOW clause;
/// None when there are none.
pub(super) fn collect(b: &Builder<'_>, q: &QuerySpec, exprs: &[&Expr]) -> Result<Option<Windows>> {
    let mut found: Vec<Expr> = Vec::new();
    for e in exprs {
        e.walk(&mut |x| {
            if let Expr::FunctionCall(fc) = x {
                if fc.over.is_some() {
                    if !found.contains(x) {
                        found.push(x.clone());
                    }
                    return false;
                }
            }
            true
        });
    }
    if found.is_empty() {
        return Ok(None);
    }
    let mut calls = Vec::new();
    let mut specs: Vec<WindowSpec> = Vec::new();
    for e in found {
        let Expr::FunctionCall(fc) = &e else { unreachable!("collected calls") };
        let spec = resolve_window(q, fc.over.as_ref().expect("collected with OVER"))?;
        let func = window_func(b, fc)?;
        let (frame, exclude) = frame_of(&spec)?;
        let w = match specs.iter().position(|s| s.partition_by == spec.partition_by && s.order_by == spec.order_by) {
            Some(w) => w,
            None => {
                specs.push(WindowSpec { base: None, partition_by: spec.partition_by.clone(), order_by: spec.order_by.clone(), frame: None });
                specs.len() - 1
            }
        };
        calls.push((e, func, frame, exclude, w));
    }
    Ok(Some(Windows { calls, specs }))
}

/// The window an OVER clause means, with a named base window merged in.
fn resolve_window(q: &QuerySpec, over: &Over) -> Result<WindowSpec> {
    let named = |n: &str| -> Result<WindowSpec> {
        q.windows
            .iter()
            .find(|w| w.name.eq_ignore_ascii_case(n))
            .map(|w| w.window.clone())
            .ok_or_else(|| Error::sql(format!("no such window: {n}")))
    };
    match over {
        Over::Name(n) => named(n),
        Over::Spec(s) => match &s.base {
            None => Ok((**s).clone()),
            Some(base) => {
                let mut w = named(base)?;
                if !s.partition_by.is_empty() {
                    return Err(Error::sql(format!("cannot override PARTITION clause of window: {base}")));
                }
                if !s.order_by.is_empty() {
                    if !w.order_by.is_empty() {
                        return Err(Error::sql(format!("cannot override ORDER BY clause of window: {base}")));
                    }
                    w.order_by = s.order_by.clone();
                }
                if w.frame.is_some() {
                    return Err(Error::sql(format!("cannot override frame specification of window: {base}")));
                }
                w.frame = s.frame.clone();
                w.base = None;
                Ok(w)
            }
        },
    }
}

fn window_func(b: &Builder<'_>, fc: &FunctionCall) -> Result<WinFunc> {
    let n = match &fc.args {
        FunctionArgs::Star => 0,
        FunctionArgs::List(l) => l.len(),
    };
    let name = fc.name.to_ascii_lowercase();
    let builtin = match name.as_str() {
        "row_number" => Some((WinFunc::RowNumber, 0..=0)),
        "rank" => Some((WinFunc::Rank, 0..=0)),
        "dense_rank" => Some((WinFunc::DenseRank, 0..=0)),
        "percent_rank" => Some((WinFunc::PercentRank, 0..=0)),
        "cume_dist" => Some((WinFunc::CumeDist, 0..=0)),
        "ntile" => Some((WinFunc::Ntile, 1..=1)),
        "lag" => Some((WinFunc::Lag, 1..=3)),
        "lead" => Some((WinFunc::Lead, 1..=3)),
        "first_value" => Some((WinFunc::FirstValue, 1..=1)),
        "last_value" => Some((WinFunc::LastValue, 1..=1)),
        "nth_value" => Some((WinFunc::NthValue, 2..=2)),
        _ => None,
    };
    if let Some((f, arity)) = builtin {
        if fc.filter.is_some() {
            return Err(Error::sql("FILTER clause may only be used with aggregate window functions"));
        }
        if !arity.contains(&n) {
            return Err(Error::sql(format!("wrong number of arguments to function {}()", fc.name)));
        }
        return Ok(f);
    }
    let def = b.funcs.lookup(&fc.name, n)?;
    if !def.is_aggregate() {
        return Err(Error::sql(format!("{}() may not be used as a window function", fc.name)));
    }
    if fc.distinct {
        return Err(Error::not_supported("DISTINCT window aggregates"));
    }
    Ok(WinFunc::Aggregate(def))
}

fn frame_of(w: &WindowSpec) -> Result<(Frame, Exclude)> {
    let Some(FrameSpec { units, start, end, exclude }) = &w.frame else {
        // RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW: without ORDER BY every row of
        // the partition is a peer, so the frame is the whole partition.
        return Ok((Frame { units: Units::Range, start: Bound::UnboundedPreceding, end: Bound::CurrentRow }, Exclude::NoOthers));
    };
    let exclude = match exclude {
        None | Some(FrameExclude::NoOthers) => Exclude::NoOthers,
        Some(FrameExclude::CurrentRow) => Exclude::CurrentRow,
        Some(FrameExclude::Group) => Exclude::Group,
        Some(FrameExclude::Ties) => Exclude::Ties,
    };
    let units = match units {
        FrameUnits::Rows => Units::Rows,
        FrameUnits::Range => Units::Range,
        FrameUnits::Groups => Units::Groups,
    };
    let bound = |b: &FrameBound| -> Result<Bound> {
        let offset = |e: &Expr| -> Result<u64> {
            if units == Units::Range {
                return Err(Error::not_supported("RANGE frames with offsets"));
            }
            match e {
                Expr::Literal(Literal::Integer(k)) if *k >= 0 => Ok(*k as u64),
                _ => Err(Error::not_supported("window frame offsets other than non-negative integer constants")),
            }
        };
        Ok(match b {
            FrameBound::UnboundedPreceding => Bound::UnboundedPreceding,
            FrameBound::Preceding(e) => Bound::Preceding(offset(e)?),
            FrameBound::CurrentRow => Bound::CurrentRow,
            FrameBound::Following(e) => Bound::Following(offset(e)?),
            FrameBound::UnboundedFollowing => Bound::UnboundedFollowing,
        })
    };
    let start = bound(start)?;
    let end = match end {
        Some(e) => bound(e)?,
        None => Bound::CurrentRow,
    };
    // SQLite's checks on the frame's shape.
    if start == Bound::UnboundedFollowing || matches!(start, Bound::Following(_)) && matches!(end, Bound::Preceding(_) | Bound::CurrentRow) {
        return Err(Error::sql("unsupported frame specification"));
    }
    if end == Bound::UnboundedPreceding || start == Bound::CurrentRow && matches!(end, Bound::Preceding(_)) {
        return Err(Error::sql("unsupported frame specification"));
    }
    Ok((Frame { units, start, end }, exclude))
}

/// Emits the three phases (module comment) with `deliver` compiling the delivery of one row
/// (its argument: the label that goes on with the next row). `exprs`: what `deliver` reads.
pub(super) fn run(
    b: &mut Builder<'_>,
    scope: &Scope,
    on: &[(crate::sql::ast::JoinKind, Option<Expr>)],
    where_terms: &[Expr],
    exprs: &[&Expr],
    w: &Windows,
    deliver: &mut dyn FnMut(&mut Builder<'_>, i32) -> Result<()>,
) -> Result<()> {
    // Captured values: column references and subqueries outside window calls.
    let mut captured: Vec<Expr> = Vec::new();
    let mut candidates: Vec<Expr> = Vec::new();
    for e in exprs {
        e.walk(&mut |x| match x {
            Expr::FunctionCall(fc) if fc.over.is_some() => false,
            Expr::Id { .. } | Expr::Qualified { .. } | Expr::Exists(_) | Expr::Subquery(_) | Expr::InSelect { .. } => {
                if !candidates.contains(x) {
                    candidates.push(x.clone());
                }
                false
            }
            _ => true,
        });
    }
    for c in candidates {
        let keep = match &c {
            Expr::Id { name, .. } => resolves(b, scope, None, name),
            Expr::Qualified { table, column, .. } => resolves(b, scope, Some(table), column),
            _ => true,
        };
        if keep {
            captured.push(c);
        }
    }
    // Row layout: each window's key (PARTITION BY, ORDER BY), each call's arguments, the
    // captured values.
    let mut fields: Vec<Expr> = Vec::new();
    let mut defs: Vec<WinDef> = Vec::new();
    for spec in &w.specs {
        let mut key_terms: Vec<(Expr, bool)> = spec.partition_by.iter().map(|e| (e.clone(), false)).collect();
        let mut nulls_flip = vec![false; key_terms.len()];
        for t in &spec.order_by {
            let desc = t.order == Some(SortOrder::Desc);
            key_terms.push((t.expr.clone(), desc));
            nulls_flip.push(matches!((t.nulls, desc), (Some(NullsOrder::Last), false) | (Some(NullsOrder::First), true)));
        }
        let mut k = super::select::key_info(b, scope, &key_terms)?;
        Arc::make_mut(&mut k).nulls_flip = nulls_flip;
        let positions: Vec<usize> = (fields.len()..fields.len() + key_terms.len()).collect();
        fields.extend(key_terms.into_iter().map(|(e, _)| e));
        defs.push(WinDef { key: k, positions, n_partition: spec.partition_by.len(), calls: Vec::new() });
    }
    for (slot, (e, func, frame, exclude, wi)) in w.calls.iter().enumerate() {
        let Expr::FunctionCall(fc) = e else { unreachable!("collected calls") };
        let mut args = Vec::new();
        if let FunctionArgs::List(l) = &fc.args {
            for a in l {
                args.push(fields.len());
                fields.push(a.clone());
            }
        }
        let filter = fc.filter.as_ref().map(|f| {
            fields.push(f.clone());
            fields.len() - 1
        });
        let collation = match (func, &fc.args) {
            (WinFunc::Aggregate(def), FunctionArgs::List(l)) => super::select::aggregate_collation(b, scope, def, l.first())?,
            _ => None,
        };
        defs[*wi].calls.push(WinCall { func: func.clone(), args, filter, frame: *frame, exclude: *exclude, slot, collation });
    }
    let first_captured = fields.len();
    fields.extend(captured.iter().cloned());
    let width = fields.len();

    let sorter = b.cursor();
    b.emit4(Opcode::SorterOpen, sorter, width as i32, 0, P4::KeyInfo(Arc::new(crate::vdbe::op::KeyInfo::default())));
    let no_row = b.label();
    super::select::join_loops(b, scope, on, where_terms, no_row, &mut |b, _| {
        let base = b.regs(width.max(1));
        for (i, f) in fields.iter().enumerate() {
            expr::expr(b, scope, f, base + i as i32)?;
        }
        b.emit(Opcode::SorterInsert, sorter, base, width as i32);
        Ok(())
    })?;
    b.resolve(no_row);
    let n_calls = w.calls.len();
    b.emit4(Opcode::Window, sorter, 0, 0, P4::Window(Arc::new(WindowPlan { windows: defs, n_calls })));
    let (end, top, next) = (b.label(), b.label(), b.label());
    b.emit(Opcode::SorterSort, sorter, end, 0);
    b.resolve(top);
    let saved = b.expr_map.len();
    for (i, c) in captured.iter().enumerate() {
        let r = b.reg();
        b.emit(Opcode::Column, sorter, (first_captured + i) as i32, r);
        b.expr_map.push((c.clone(), r));
    }
    for (i, (e, ..)) in w.calls.iter().enumerate() {
        let r = b.reg();
        b.emit(Opcode::Column, sorter, (width + i) as i32, r);
        b.expr_map.push((e.clone(), r));
    }
    let r = deliver(b, next);
    b.expr_map.truncate(saved);
    r?;
    b.resolve(next);
    b.emit(Opcode::SorterNext, sorter, top, 0);
    b.resolve(end);
    Ok(())
}

fn resolves(b: &mut Builder<'_>, scope: &Scope, table: Option<&str>, column: &str) -> bool {
    let saved = b.outer_refs;
    let r = expr::resolve(b, scope, table, column).ok().flatten().is_some();
    b.outer_refs = saved;
    r
}
