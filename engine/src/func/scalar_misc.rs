//! Scalar functions about NULLs, choices and the connection: coalesce, ifnull, iif, nullif,
//! likelihood, likely, unlikely, min/max (scalar), typeof, printf/format, changes,
//! total_changes, last_insert_rowid, sqlite_version, sqlite_source_id, sqlite_log, subtype.
//!
//! Invariants:
//! 1. coalesce/ifnull/iif/likelihood are normally evaluated lazily by the code generator; the
//!    bodies here give the same answer when every argument is already evaluated.
//! 2. Scalar min/max give NULL if any argument is NULL, and compare with the call's collation;
//!    on ties max keeps the earlier argument and min takes the later one, as SQLite does.
//! 3. A value is true when its numeric reading is not zero (`'1abc'` is true, NULL is not).

use std::cmp::Ordering;

use super::context::FuncCtx;
use super::printf::format_sql;
use crate::error::{Error, Result};
use crate::value::compare::compare;
use crate::value::convert::{to_bool, to_text};
use crate::value::Value;

/// SQL truth of a value (NULL is false here; the VM handles three-valued logic).
pub fn is_true(v: &Value) -> bool {
    to_bool(v).unwrap_or(false)
}

pub fn coalesce(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(a.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null))
}

pub fn iif(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(if is_true(&a[0]) { a[1].clone() } else { a[2].clone() })
}

pub fn nullif(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if !a[0].is_null() && !a[1].is_null() && compare(&a[0], &a[1], ctx.collation) == Ordering::Equal {
        Ok(Value::Null)
    } else {
        Ok(a[0].clone())
    }
}

/// The check SQLite makes (when the statement is prepared) on likelihood()'s second argument:
/// a floating-point constant (an integer literal such as `1` is refused) in 0.0..=1.0.
pub fn check_likelihood(p: &Value) -> Result<()> {
    let ok = match p {
        Value::Real(r) => (0.0..=1.0).contains(r),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::sql("second argument to likelihood() must be a constant between 0.0 and 1.0"))
    }
}

pub fn likelihood(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    check_likelihood(&a[1])?;
    Ok(a[0].clone())
}

pub fn identity(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(a[0].clone())
}

fn min_max(ctx: &FuncCtx<'_>, a: &[Value], max: bool) -> Value {
    if a.iter().any(Value::is_null) {
        return Value::Null;
    }
    let mut best = 0;
    for i in 1..a.len() {
        let c = compare(&a[best], &a[i], ctx.collation);
        let take = if max { c == Ordering::Less } else { c != Ordering::Less };
        if take {
            best = i;
        }
    }
    a[best].clone()
}

pub fn max_scalar(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(min_max(ctx, a, true))
}

pub fn min_scalar(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(min_max(ctx, a, false))
}

pub fn type_of(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(Value::text(a[0].type_name()))
}

/// printf(FORMAT, …) / format(FORMAT, …): NULL without a format, or when the result is empty
/// and nothing was formatted, or too big.
pub fn printf(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let Some(fmt) = a.first().filter(|v| !v.is_null()) else { return Ok(Value::Null) };
    let fmt = to_text(fmt);
    Ok(format_sql(&fmt, &a[1..], ctx.conn.max_length()).map_or(Value::Null, Value::Text))
}

pub fn changes(ctx: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    Ok(Value::Integer(ctx.conn.changes()))
}

pub fn total_changes(ctx: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    Ok(Value::Integer(ctx.conn.total_changes()))
}

pub fn last_insert_rowid(ctx: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    Ok(Value::Integer(ctx.conn.last_insert_rowid()))
}

pub fn sqlite_version(_: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    Ok(Value::text(crate::SQLITE_VERSION))
}

pub fn sqlite_source_id(_: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    Ok(Value::text(crate::SQLITE_SOURCE_ID))
}

/// sqlite_log(CODE, MESSAGE): writes to the error log; the result is NULL.
pub fn sqlite_log(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let code = crate::value::convert::to_i64(&a[0]) as i32;
    ctx.conn.log(code, &to_text(&a[1]));
    Ok(Value::Null)
}

/// subtype(X): the subtype of a value. No built-in here produces subtyped values (SQLite's
/// JSON functions do), so it is always 0.
pub fn subtype(_: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    Ok(Value::Integer(0))
}
