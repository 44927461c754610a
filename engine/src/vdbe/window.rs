//! Window functions over a sorter's rows (the `Window` opcode).
//!
//! Design: the code generator fills a sorter with one row per input row: each window's
//! PARTITION BY and ORDER BY values, each window call's arguments and whatever else the query
//! reads later. `compute` sorts the rows by a window's key,
//! cuts them into partitions (rows equal on the PARTITION BY fields) and peer groups (rows
//! equal on all key fields), and appends one value per window call to every row; the program
//! then walks the sorter and reads those values as columns.
//!
//! Several windows: each is computed in turn, the rows sorted by its own key first.
//!
//! Frames: the default (with ORDER BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW, so
//! the current row's peers are in; without: the whole partition), ROWS and GROUPS with
//! UNBOUNDED, N PRECEDING/FOLLOWING and CURRENT ROW bounds, and RANGE with UNBOUNDED and
//! CURRENT ROW bounds; EXCLUDE CURRENT ROW, GROUP, TIES and NO OTHERS.
//! An aggregate over a frame keeps one state per partition: rows entering the frame are
//! stepped and rows leaving it inverted, in SQLite's order (see `aggregate_values`); without
//! an inverse, or with EXCLUDE, a fresh state steps over each row's frame.
//!
//! Invariants:
//! 1. Every row gets exactly `calls.len()` values appended, in call order.
//! 2. Nothing here depends on the order of rows that compare equal on the whole key, except
//!    row_number, lag/lead and ROWS frames, as in SQLite (which leaves that order unspecified).
//! 3. An aggregate whose value fails for a row (sum's integer overflow) fails that row, not
//!    the statement: the sorter is poisoned from that row on, so the rows before it are
//!    returned first and a LIMIT that stops earlier sees no error, as in SQLite, which
//!    computes each value as it returns its row.

use std::cmp::Ordering;
use std::sync::Arc;

use super::exec::compare_rows;
use super::op::KeyInfo;
use crate::error::{Error, Result};
use crate::func::{FuncCtx, FuncDef};
use crate::value::Value;

/// A frame bound (offsets are constants checked by the code generator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    UnboundedPreceding,
    Preceding(u64),
    CurrentRow,
    Following(u64),
    UnboundedFollowing,
}

/// How a frame's offsets count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Units {
    Rows,
    /// Bounds are UNBOUNDED or CURRENT ROW (the current row's peers).
    Range,
    /// Offsets count peer groups.
    Groups,
}

/// A window frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub units: Units,
    pub start: Bound,
    pub end: Bound,
}

/// What one window call computes.
#[derive(Clone, Debug)]
pub enum WinFunc {
    RowNumber,
    Rank,
    DenseRank,
    PercentRank,
    CumeDist,
    Ntile,
    Lag,
    Lead,
    FirstValue,
    LastValue,
    NthValue,
    Aggregate(Arc<FuncDef>),
}

/// One window call: its function, where its arguments are in the row, its frame, and the
/// slot (0-based, after the row's original fields) its value goes to.
#[derive(Clone, Debug)]
pub struct WinCall {
    pub func: WinFunc,
    pub args: Vec<usize>,
    /// Where the FILTER (WHERE ...) value is in the row: rows where it is not true are left
    /// out of the aggregate (never stepped, never taken out).
    pub filter: Option<usize>,
    pub frame: Frame,
    pub exclude: Exclude,
    pub slot: usize,
    /// The collation min()/max() compare under (their argument's; None is BINARY).
    pub collation: Option<Arc<crate::value::Collation>>,
}

/// EXCLUDE: rows of the frame left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exclude {
    NoOthers,
    CurrentRow,
    Group,
    Ties,
}

/// One window (PARTITION BY + ORDER BY) and the calls over it.
#[derive(Clone, Debug)]
pub struct WinDef {
    /// The key's comparison: PARTITION BY fields, then ORDER BY fields.
    pub key: Arc<KeyInfo>,
    /// Where the key's values are in the row.
    pub positions: Vec<usize>,
    pub n_partition: usize,
    pub calls: Vec<WinCall>,
}

/// The whole computation of one `Window` instruction.
#[derive(Clone, Debug)]
pub struct WindowPlan {
    pub windows: Vec<WinDef>,
    pub n_calls: usize,
}

/// Appends `n_calls` values to every row, computing each window in turn: the rows are
/// sorted by that window's key, cut into partitions and peer groups (invariant 1).
///
/// Returns the first row (in the rows' final order) whose value failed, with its error, when
/// there is one window: SQLite returns the rows before it first (invariant 3). With several
/// windows SQLite computes the inner ones wholly before returning a row, so a failure is an
/// error at once.
pub fn compute(rows: &mut Vec<Vec<Value>>, plan: &WindowPlan, ctx: &mut FuncCtx<'_>) -> Result<Option<(usize, Error)>> {
    let Some(base) = rows.first().map(Vec::len) else { return Ok(None) };
    let mut failed: Option<(usize, Error)> = None;
    for r in rows.iter_mut() {
        r.resize(base + plan.n_calls, Value::Null);
    }
    for w in &plan.windows {
        let nk = w.positions.len();
        let keys: Vec<Vec<Value>> = rows.iter().map(|r| w.positions.iter().map(|&p| r[p].clone()).collect()).collect();
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| compare_rows(&w.key, &keys[a], &keys[b], nk));
        let mut taken: Vec<Option<Vec<Value>>> = std::mem::take(rows).into_iter().map(Some).collect();
        *rows = order.iter().map(|&i| taken[i].take().expect("a permutation")).collect();
        let keys: Vec<Vec<Value>> = order.iter().map(|&i| keys[i].clone()).collect();
        let mut start = 0;
        while start < rows.len() {
            let mut end = start + 1;
            while end < rows.len() && compare_rows(&w.key, &keys[start], &keys[end], w.n_partition) == Ordering::Equal {
                end += 1;
            }
            if let Some((i, e)) = partition(&mut rows[start..end], &keys[start..end], w, base, ctx)? {
                if plan.windows.len() > 1 {
                    return Err(e);
                }
                if failed.is_none() {
                    failed = Some((start + i, e));
                }
            }
            start = end;
        }
    }
    Ok(failed)
}

/// Computes one partition's window values; returns the first row (partition-relative) whose
/// aggregate value failed, with its error.
fn partition(rows: &mut [Vec<Value>], keys: &[Vec<Value>], w: &WinDef, base: usize, ctx: &mut FuncCtx<'_>) -> Result<Option<(usize, Error)>> {
    let n = rows.len();
    let nk = w.positions.len();
    // Peer groups: [group_start[i], group_end[i]) holds row i's peers; group_no[i] numbers them.
    let (mut group_start, mut group_end, mut group_no) = (vec![0; n], vec![0; n], vec![0usize; n]);
    let mut s = 0;
    let mut g = 0;
    while s < n {
        let mut e = s + 1;
        while e < n && compare_rows(&w.key, &keys[s], &keys[e], nk) == Ordering::Equal {
            e += 1;
        }
        for i in s..e {
            group_start[i] = s;
            group_end[i] = e;
            group_no[i] = g;
        }
        g += 1;
        s = e;
    }
    let mut group_first = Vec::new();
    for i in 0..n {
        if i == 0 || group_no[i] != group_no[i - 1] {
            group_first.push(i);
        }
    }
    let peers = Peers { start: &group_start, end: &group_end, no: &group_no, first: &group_first };
    let mut results: Vec<(usize, Vec<Value>)> = Vec::with_capacity(w.calls.len());
    let mut failed: Option<(usize, Error)> = None;
    for call in &w.calls {
        if let WinFunc::Aggregate(def) = &call.func {
            let (vals, err) = aggregate_values(def, call, rows, &peers, ctx)?;
            if let Some((i, e)) = err {
                if failed.as_ref().is_none_or(|(j, _)| i < *j) {
                    failed = Some((i, e));
                }
            }
            results.push((call.slot, vals));
            continue;
        }
        let arg = |row: &[Value], k: usize| call.args.get(k).and_then(|&c| row.get(c)).cloned().unwrap_or(Value::Null);
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            // The frame's rows in order, less what EXCLUDE takes out.
            let members = || -> Vec<usize> {
                let Some((a, b)) = frame_of(call.frame, i, &peers) else { return Vec::new() };
                (a..=b)
                    .filter(|&r| match call.exclude {
                        Exclude::NoOthers => true,
                        Exclude::CurrentRow => r != i,
                        Exclude::Group => peers.no[r] != peers.no[i],
                        Exclude::Ties => r == i || peers.no[r] != peers.no[i],
                    })
                    .collect()
            };
            let v = match &call.func {
                WinFunc::RowNumber => Value::Integer(i as i64 + 1),
                WinFunc::Rank => Value::Integer(group_start[i] as i64 + 1),
                WinFunc::DenseRank => Value::Integer(group_no[i] as i64 + 1),
                WinFunc::PercentRank => Value::Real(if n > 1 { group_start[i] as f64 / (n - 1) as f64 } else { 0.0 }),
                WinFunc::CumeDist => Value::Real(group_end[i] as f64 / n as f64),
                WinFunc::Ntile => {
                    let buckets = match arg(&rows[i], 0) {
                        Value::Integer(b) if b > 0 => b as usize,
                        _ => return Err(Error::sql("argument of ntile must be a positive integer")),
                    };
                    Value::Integer(ntile(i, n, buckets) as i64)
                }
                WinFunc::Lag | WinFunc::Lead => {
                    let off = match call.args.len() {
                        1 => Some(1),
                        _ => match arg(&rows[i], 1) {
                            Value::Integer(o) if o >= 0 => Some(o),
                            Value::Null => None,
                            _ => {
                                let name = if matches!(call.func, WinFunc::Lag) { "lag" } else { "lead" };
                                return Err(Error::sql(format!("second argument to {name}() must be a non-negative integer")));
                            }
                        },
                    };
                    match off {
                        None => Value::Null,
                        Some(off) => {
                            let at = if matches!(call.func, WinFunc::Lag) { (i as i64).checked_sub(off) } else { (i as i64).checked_add(off) };
                            match at.filter(|&a| a >= 0 && (a as usize) < n) {
                                Some(a) => arg(&rows[a as usize], 0),
                                None => arg(&rows[i], 2),
                            }
                        }
                    }
                }
                WinFunc::FirstValue => members().first().map_or(Value::Null, |&a| arg(&rows[a], 0)),
                WinFunc::LastValue => members().last().map_or(Value::Null, |&b| arg(&rows[b], 0)),
                WinFunc::NthValue => {
                    let k = match arg(&rows[i], 1) {
                        Value::Integer(k) if k > 0 => k as usize,
                        _ => return Err(Error::sql("second argument to nth_value must be a positive integer")),
                    };
                    members().get(k - 1).map_or(Value::Null, |&r| arg(&rows[r], 0))
                }
                WinFunc::Aggregate(_) => unreachable!("aggregates are computed by aggregate_values"),
            };
            out.push(v);
        }
        results.push((call.slot, out));
    }
    for (slot, vals) in results {
        for (row, v) in rows.iter_mut().zip(vals) {
            row[base + slot] = v;
        }
    }
    Ok(failed)
}

/// An aggregate over each row's frame. As SQLite does, the frame is kept incrementally: rows
/// entering it are stepped and rows leaving it are taken out with the aggregate's inverse
/// (which matters beyond speed: sum() stays inexact once an inexact value passed through the
/// frame, as SQLite's does). Aggregates without an inverse, and frames with EXCLUDE, are
/// computed afresh for each row.
///
/// The order of the steps and inverses is SQLite's, since floating-point sums depend on it
/// (measured with a logging window function on SQLite 3.40): every row of the partition is
/// stepped in order, even rows before the first frame (they are taken out again), and before
/// row `e` is stepped the rows more than the frame's width (in rows, or in peer groups for
/// GROUPS and RANGE frames) behind it are taken out, so an inverse comes before the step that
/// follows it.
fn aggregate_values(def: &FuncDef, call: &WinCall, rows: &[Vec<Value>], peers: &Peers<'_>, ctx: &mut FuncCtx<'_>) -> Result<Computed> {
    let mut local = FuncCtx { conn: &mut *ctx.conn, collation: call.collation.as_deref(), case_sensitive_like: ctx.case_sensitive_like };
    let ctx = &mut local;
    let n = rows.len();
    let args_of = |r: usize| -> Vec<Value> { call.args.iter().map(|&c| rows[r].get(c).cloned().unwrap_or(Value::Null)).collect() };
    // Whether row r counts for this call (its FILTER, when it has one, is true).
    let counts = |r: usize| call.filter.is_none_or(|c| rows[r].get(c).and_then(super::exec::truth) == Some(true));
    let fresh = |i: usize, ctx: &mut FuncCtx<'_>| -> Result<Value> {
        let mut state = def.new_state().ok_or_else(|| Error::new(crate::error::code::INTERNAL, "not an aggregate"))?;
        if let Some((a, b)) = frame_of(call.frame, i, peers) {
            for r in a..=b {
                let keep = match call.exclude {
                    Exclude::NoOthers => true,
                    Exclude::CurrentRow => r != i,
                    Exclude::Group => peers.no[r] != peers.no[i],
                    Exclude::Ties => r == i || peers.no[r] != peers.no[i],
                };
                if keep && counts(r) {
                    state.step(ctx, &args_of(r))?;
                }
            }
        }
        state.finalize(ctx)
    };
    let mut out = Vec::with_capacity(n);
    if call.exclude == Exclude::NoOthers {
        let mut state = def.new_state().ok_or_else(|| Error::new(crate::error::code::INTERNAL, "not an aggregate"))?;
        // The unit a frame's width counts: rows, or peer groups.
        let unit = |r: usize| if call.frame.units == Units::Rows { r } else { peers.no[r] };
        let width = frame_width(call.frame);
        // The rows in the state: [lo, hi). Frames only move forward.
        let (mut lo, mut hi) = (0usize, 0usize);
        let mut incremental = true;
        'rows: for i in 0..n {
            let (a, end) = match frame_of(call.frame, i, peers) {
                Some((a, b)) => (a, b + 1),
                None => (hi, hi),
            };
            while hi < end {
                if let Some(w) = width {
                    // Rows the frame's start has passed by the time row `hi` enters it.
                    let limit = (unit(hi) + 1).saturating_sub(w);
                    while lo < hi && lo < a && unit(lo) < limit {
                        if counts(lo) && state.inverse(ctx, &args_of(lo)).is_err() {
                            incremental = false;
                            break 'rows;
                        }
                        lo += 1;
                    }
                }
                if counts(hi) {
                    state.step(ctx, &args_of(hi))?;
                }
                hi += 1;
            }
            while lo < a.min(hi) {
                if counts(lo) && state.inverse(ctx, &args_of(lo)).is_err() {
                    incremental = false;
                    break 'rows;
                }
                lo += 1;
            }
            match state.value(ctx) {
                Ok(v) => out.push(v),
                // SQLite computes this row's value when it returns the row: the rows before
                // it come out first (invariant 3).
                Err(e) => {
                    out.resize(n, Value::Null);
                    return Ok((out, Some((i, e))));
                }
            }
        }
        if incremental {
            return Ok((out, None));
        }
        out.clear();
    }
    for i in 0..n {
        match fresh(i, ctx) {
            Ok(v) => out.push(v),
            Err(e) => {
                out.resize(n, Value::Null);
                return Ok((out, Some((i, e))));
            }
        }
    }
    Ok((out, None))
}

/// One window call's values for a partition's rows, and the first row whose value failed
/// (the rows from there on hold NULL).
type Computed = (Vec<Value>, Option<(usize, Error)>);

/// A frame's width in its units (rows, or peer groups), from its bounds' offsets; None when
/// rows never leave it before the partition ends (an unbounded end) or it is always empty.
fn frame_width(f: Frame) -> Option<usize> {
    let at = |b: Bound| -> Option<i128> {
        match b {
            Bound::Preceding(k) => Some(-(k as i128)),
            Bound::CurrentRow => Some(0),
            Bound::Following(k) => Some(k as i128),
            Bound::UnboundedPreceding | Bound::UnboundedFollowing => None,
        }
    };
    let w = at(f.end)? - at(f.start)? + 1;
    if w >= 1 {
        usize::try_from(w).ok()
    } else {
        None
    }
}

/// The peer groups of a partition: row i's group is [start[i], end[i]), numbered no[i];
/// first[g] is group g's first row.
struct Peers<'a> {
    start: &'a [usize],
    end: &'a [usize],
    no: &'a [usize],
    first: &'a [usize],
}

/// The frame of row `i` (partition-relative) as inclusive row indexes; None when empty.
fn frame_of(f: Frame, i: usize, p: &Peers<'_>) -> Option<(usize, usize)> {
    let n = p.start.len() as i64;
    let groups = p.first.len() as i64;
    let g = p.no[i] as i64;
    // The first row of group k (n past the last group), the last row of group k.
    let group_start = |k: i64| if k < 0 { 0 } else if k >= groups { n } else { p.first[k as usize] as i64 };
    let group_end = |k: i64| if k < 0 { -1 } else if k >= groups { n - 1 } else { p.end[p.first[k as usize]] as i64 - 1 };
    let off = |k: u64| k.min(i64::MAX as u64 / 2) as i64;
    let at = |b: Bound, is_start: bool| -> i64 {
        match (b, f.units) {
            (Bound::UnboundedPreceding, _) => 0,
            (Bound::UnboundedFollowing, _) => n - 1,
            (Bound::CurrentRow, Units::Rows) => i as i64,
            (Bound::CurrentRow, _) => {
                if is_start {
                    p.start[i] as i64
                } else {
                    p.end[i] as i64 - 1
                }
            }
            (Bound::Preceding(k), Units::Groups) => {
                if is_start {
                    group_start(g - off(k))
                } else {
                    group_end(g - off(k))
                }
            }
            (Bound::Following(k), Units::Groups) => {
                if is_start {
                    group_start(g + off(k))
                } else {
                    group_end(g + off(k))
                }
            }
            (Bound::Preceding(k), _) => i as i64 - off(k),
            (Bound::Following(k), _) => i as i64 + off(k),
        }
    };
    let (a, b) = (at(f.start, true).max(0), at(f.end, false).min(n - 1));
    (a <= b).then_some((a as usize, b as usize))
}

/// SQLite's ntile: `buckets` groups, the first `n % buckets` one row larger.
fn ntile(i: usize, n: usize, buckets: usize) -> usize {
    if buckets >= n {
        return i + 1;
    }
    let size = n / buckets;
    let big = n % buckets;
    let big_rows = big * (size + 1);
    if i < big_rows {
        i / (size + 1) + 1
    } else {
        big + (i - big_rows) / size + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ntile_puts_the_extra_rows_in_the_first_buckets() {
        let got: Vec<usize> = (0..10).map(|i| ntile(i, 10, 4)).collect();
        assert_eq!(got, vec![1, 1, 1, 2, 2, 2, 3, 3, 4, 4]);
        assert_eq!((0..3).map(|i| ntile(i, 3, 5)).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn frames_clip_to_the_partition_and_count_groups() {
        // Four rows in peer groups {0}, {1, 2}, {3}.
        let (start, end, no, first) = ([0, 1, 1, 3], [1, 3, 3, 4], [0, 1, 1, 2], [0, 1, 3]);
        let p = Peers { start: &start, end: &end, no: &no, first: &first };
        let rows = Frame { units: Units::Rows, start: Bound::Preceding(1), end: Bound::Following(1) };
        assert_eq!(frame_of(rows, 0, &p), Some((0, 1)));
        assert_eq!(frame_of(rows, 3, &p), Some((2, 3)));
        let range = Frame { units: Units::Range, start: Bound::UnboundedPreceding, end: Bound::CurrentRow };
        assert_eq!(frame_of(range, 1, &p), Some((0, 2)));
        let groups = Frame { units: Units::Groups, start: Bound::Preceding(1), end: Bound::CurrentRow };
        assert_eq!(frame_of(groups, 3, &p), Some((1, 3)));
        let empty = Frame { units: Units::Rows, start: Bound::Following(2), end: Bound::Following(3) };
        assert_eq!(frame_of(empty, 2, &p), None);
    }
}
