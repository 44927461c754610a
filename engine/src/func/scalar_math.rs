//! The math functions (SQLITE_ENABLE_MATH_FUNCTIONS, on in Debian's build): ceil/ceiling,
//! floor, trunc, ln, log, log10, log2, exp, pow/power, mod, the trigonometric and hyperbolic
//! functions, sqrt, degrees, radians, pi.
//!
//! Invariants:
//! 1. An argument that is not a number (nor numeric text, read as by
//!    `sqlite3_value_numeric_type`) gives NULL; so does a NaN result.
//! 2. ceil/floor/trunc keep an INTEGER argument as it is; everything else is a REAL.
//! 3. Logarithms of values <= 0 are NULL; log10 and log2 are computed as ln(x)/ln(10) and
//!    ln(x)/ln(2) (so log10(1000) is 2.9999999999999996, as in SQLite); log(B, X) is
//!    ln(X)/ln(B), NULL unless B > 1.
//! 4. acosh, asinh, atanh follow the C library's (fdlibm) formulas, not Rust's, so the last
//!    bit agrees with SQLite's.

use std::f64::consts::{LN_10, LN_2, PI};

use super::context::FuncCtx;
use crate::error::Result;
use crate::value::affinity::numeric_type;
use crate::value::convert::to_f64;
use crate::value::Value;

/// The numeric reading of an argument, or None when it is not a number.
fn number(v: &Value) -> Option<Value> {
    match numeric_type(v) {
        n @ (Value::Integer(_) | Value::Real(_)) => Some(n),
        _ => None,
    }
}

fn real_of(v: &Value) -> Option<f64> {
    match number(v)? {
        Value::Integer(i) => Some(i as f64),
        Value::Real(r) => Some(r),
        _ => None,
    }
}

fn rounding(a: &[Value], f: fn(f64) -> f64) -> Result<Value> {
    Ok(match number(&a[0]) {
        Some(Value::Integer(i)) => Value::Integer(i),
        Some(Value::Real(r)) => Value::real(f(r)),
        _ => Value::Null,
    })
}

pub fn ceil(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    rounding(a, f64::ceil)
}
pub fn floor(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    rounding(a, f64::floor)
}
pub fn trunc(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    rounding(a, f64::trunc)
}

/// A one-argument function of a real.
pub fn unary(f: fn(f64) -> f64) -> impl Fn(&mut FuncCtx<'_>, &[Value]) -> Result<Value> + Send + Sync + 'static {
    move |_, a| Ok(real_of(&a[0]).map_or(Value::Null, |x| Value::real(f(x))))
}

/// A two-argument function of reals.
pub fn binary(f: fn(f64, f64) -> f64) -> impl Fn(&mut FuncCtx<'_>, &[Value]) -> Result<Value> + Send + Sync + 'static {
    move |_, a| {
        Ok(match (real_of(&a[0]), real_of(&a[1])) {
            (Some(x), Some(y)) => Value::real(f(x, y)),
            _ => Value::Null,
        })
    }
}

/// ln, log (base 10 with one argument, base B with two), log10, log2.
pub fn log_base(divisor: Option<f64>) -> impl Fn(&mut FuncCtx<'_>, &[Value]) -> Result<Value> + Send + Sync + 'static {
    move |_, a| {
        let Some(first) = real_of(&a[0]).filter(|x| *x > 0.0) else { return Ok(Value::Null) };
        if a.len() == 2 {
            // The base must be above 1 (SQLite gives NULL for log(0.5, 2)); X is read as a
            // real whatever its type.
            if first <= 1.0 {
                return Ok(Value::Null);
            }
            let x = to_f64(&a[1]);
            if x <= 0.0 || x.is_nan() {
                return Ok(Value::Null);
            }
            return Ok(Value::real(x.ln() / first.ln()));
        }
        Ok(Value::real(match divisor {
            Some(d) => first.ln() / d,
            None => first.ln(),
        }))
    }
}

/// asinh as the C library computes it (fdlibm's formulas), which Rust's own differs from in
/// the last bit.
pub fn asinh(x: f64) -> f64 {
    let a = x.abs();
    let r = if !a.is_finite() || a < 2f64.powi(-28) {
        return x;
    } else if a > 2f64.powi(28) {
        a.ln() + LN_2
    } else if a > 2.0 {
        (2.0 * a + 1.0 / ((x * x + 1.0).sqrt() + a)).ln()
    } else {
        let t = x * x;
        (a + t / (1.0 + (1.0 + t).sqrt())).ln_1p()
    };
    r.copysign(x)
}

/// acosh by fdlibm's formulas.
pub fn acosh(x: f64) -> f64 {
    if x < 1.0 || x.is_nan() {
        f64::NAN
    } else if x >= 2f64.powi(28) {
        if x.is_infinite() {
            x
        } else {
            x.ln() + LN_2
        }
    } else if x == 1.0 {
        0.0
    } else if x > 2.0 {
        let t = x * x;
        (2.0 * x - 1.0 / (x + (t - 1.0).sqrt())).ln()
    } else {
        let t = x - 1.0;
        (t + (2.0 * t + t * t).sqrt()).ln_1p()
    }
}

/// atanh by fdlibm's formulas.
pub fn atanh(x: f64) -> f64 {
    let a = x.abs();
    if a > 1.0 || x.is_nan() {
        return f64::NAN;
    }
    if a == 1.0 {
        return f64::INFINITY.copysign(x);
    }
    if a < 2f64.powi(-28) {
        return x;
    }
    let t = if a < 0.5 {
        let t = a + a;
        0.5 * (t + t * a / (1.0 - a)).ln_1p()
    } else {
        0.5 * ((a + a) / (1.0 - a)).ln_1p()
    };
    t.copysign(x)
}

pub fn pi(_: &mut FuncCtx<'_>, _: &[Value]) -> Result<Value> {
    Ok(Value::Real(PI))
}

pub fn degrees(x: f64) -> f64 {
    x * (180.0 / PI)
}

pub fn radians(x: f64) -> f64 {
    x * (PI / 180.0)
}

/// The natural logarithm divisors of log10 and log2.
pub const LOG10_DIVISOR: f64 = LN_10;
pub const LOG2_DIVISOR: f64 = LN_2;
