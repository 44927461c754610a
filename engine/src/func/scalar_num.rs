//! Scalar functions on numbers and generated values: abs, round, sign, random, randomblob,
//! zeroblob.
//!
//! Invariants:
//! 1. `abs(i64::MIN)` is the error "integer overflow"; abs of a non-integer is a REAL.
//! 2. `round` always gives a REAL, rounding half away from zero at N (0..=30) decimals; values
//!    beyond 2^52 in magnitude are already integers and come back unchanged.
//! 3. A blob longer than the connection's length limit is the error "string or blob too big"
//!    (SQLITE_TOOBIG).

use super::context::FuncCtx;
use super::printf::format_sql;
use crate::error::{code, Error, Result};
use crate::value::convert::{to_f64, to_i64};
use crate::value::numeric::scan;
use crate::value::Value;

pub fn abs(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    match &a[0] {
        Value::Null => Ok(Value::Null),
        Value::Integer(i) => i.checked_abs().map(Value::Integer).ok_or_else(|| Error::sql("integer overflow")),
        // Negated only when below zero: -0.0 stays -0.0, as in SQLite.
        v => {
            let r = to_f64(v);
            Ok(Value::Real(if r < 0.0 { -r } else { r }))
        }
    }
}

pub fn round(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if a.iter().any(Value::is_null) {
        return Ok(Value::Null);
    }
    let n = a.get(1).map_or(0, |v| i64::from(to_i64(v) as i32)).clamp(0, 30);
    let r = to_f64(&a[0]);
    const EXACT: f64 = 4_503_599_627_370_496.0; // 2^52
    if !(-EXACT..=EXACT).contains(&r) {
        return Ok(Value::real(r));
    }
    if n == 0 {
        let half = if r < 0.0 { -0.5 } else { 0.5 };
        return Ok(Value::Real(((r + half) as i64) as f64));
    }
    let text = format_sql(b"%.*f", &[Value::Integer(n), Value::Real(r)], usize::MAX)
        .expect("a fixed-point rendering is never empty");
    Ok(Value::real(scan(&text).real))
}

/// sign(X): -1, 0 or +1 for a number or numeric text; NULL for anything else.
pub fn sign(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let x = match &a[0] {
        Value::Integer(i) => *i as f64,
        Value::Real(r) => *r,
        Value::Text(t) => {
            let s = scan(t);
            if !(s.has_digits && s.whole) {
                return Ok(Value::Null);
            }
            s.real
        }
        _ => return Ok(Value::Null),
    };
    Ok(Value::Integer(if x < 0.0 {
        -1
    } else if x > 0.0 {
        1
    } else {
        0
    }))
}

pub fn random(ctx: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    let mut b = [0u8; 8];
    ctx.conn.randomness(&mut b);
    let r = i64::from_le_bytes(b);
    // i64::MIN is avoided so that abs(random()) never overflows.
    Ok(Value::Integer(if r == i64::MIN { 0 } else { r }))
}

fn blob_length(ctx: &FuncCtx<'_>, n: i64) -> Result<usize> {
    if n > 0 && n as u64 > ctx.conn.max_length() as u64 {
        return Err(Error::new(code::TOOBIG, "string or blob too big"));
    }
    Ok(n.max(0) as usize)
}

pub fn randomblob(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let n = blob_length(ctx, to_i64(&a[0]))?.max(1);
    let mut b = vec![0u8; n];
    ctx.conn.randomness(&mut b);
    Ok(Value::Blob(b))
}

pub fn zeroblob(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let n = blob_length(ctx, to_i64(&a[0]))?;
    Ok(Value::Blob(vec![0u8; n]))
}
