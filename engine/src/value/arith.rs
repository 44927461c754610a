//! Arithmetic on values (`+ - * / %`) with SQLite's rules.
//!
//! Invariants:
//! 1. NULL in, NULL out. Text and blob operands are read as numbers first
//!    ([`super::convert::to_number`]).
//! 2. Two integers give an integer; an overflow of `+ - *` gives the REAL result instead, and
//!    `i64::MIN / -1` gives the REAL 9.223372036854775808e18.
//! 3. Division or remainder by zero (after the operands are made integers, for `%`) is NULL.
//! 4. `%` works on the operands as integers (reals truncate, saturating); the result is a REAL
//!    when either operand was a real. `i64::MIN % -1` is 0.
//! 5. A real result that is NaN is NULL (e.g. `Inf - Inf`).

use super::convert::to_number;
use super::numeric::real_to_i64_saturating;
use super::Value;

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Integer(i) => *i as f64,
        Value::Real(r) => *r,
        _ => 0.0,
    }
}

/// `a op b`.
pub fn arith(op: ArithOp, a: &Value, b: &Value) -> Value {
    let (a, b) = (to_number(a), to_number(b));
    if a.is_null() || b.is_null() {
        return Value::Null;
    }
    if op == ArithOp::Remainder {
        let real = matches!(a, Value::Real(_)) || matches!(b, Value::Real(_));
        let ia = match a {
            Value::Integer(i) => i,
            _ => real_to_i64_saturating(as_f64(&a)),
        };
        let ib = match b {
            Value::Integer(i) => i,
            _ => real_to_i64_saturating(as_f64(&b)),
        };
        if ib == 0 {
            return Value::Null;
        }
        let r = if ib == -1 { 0 } else { ia % ib };
        return if real { Value::Real(r as f64) } else { Value::Integer(r) };
    }
    if let (Value::Integer(x), Value::Integer(y)) = (&a, &b) {
        let (x, y) = (*x, *y);
        let exact = match op {
            ArithOp::Add => x.checked_add(y),
            ArithOp::Subtract => x.checked_sub(y),
            ArithOp::Multiply => x.checked_mul(y),
            ArithOp::Divide => {
                if y == 0 {
                    return Value::Null;
                }
                x.checked_div(y)
            }
            ArithOp::Remainder => unreachable!("handled above"),
        };
        if let Some(v) = exact {
            return Value::Integer(v);
        }
    }
    let (x, y) = (as_f64(&a), as_f64(&b));
    let r = match op {
        ArithOp::Add => x + y,
        ArithOp::Subtract => x - y,
        ArithOp::Multiply => x * y,
        ArithOp::Divide => {
            if y == 0.0 {
                return Value::Null;
            }
            x / y
        }
        ArithOp::Remainder => unreachable!("handled above"),
    };
    Value::real(r)
}

/// Unary minus: `-i64::MIN` is the REAL 9.223372036854775808e18; text is read as a number.
pub fn negate(v: &Value) -> Value {
    match to_number(v) {
        Value::Integer(i) => match i.checked_neg() {
            Some(n) => Value::Integer(n),
            None => Value::Real(-(i as f64)),
        },
        Value::Real(r) => Value::Real(-r),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ArithOp::*;

    #[test]
    fn overflow_rules() {
        // Each checked with sqlite3 3.40.1.
        assert_eq!(arith(Add, &Value::Integer(i64::MAX), &Value::Integer(1)), Value::Real(9.223372036854775807e18));
        assert_eq!(arith(Divide, &Value::Integer(i64::MIN), &Value::Integer(-1)), Value::Real(9.223372036854775808e18));
        assert_eq!(arith(Remainder, &Value::Integer(i64::MIN), &Value::Integer(-1)), Value::Integer(0));
        assert_eq!(arith(Divide, &Value::Integer(5), &Value::Integer(0)), Value::Null);
        assert_eq!(arith(Remainder, &Value::Real(5.5), &Value::Integer(2)), Value::Real(1.0));
        assert_eq!(arith(Remainder, &Value::Integer(5), &Value::Real(0.5)), Value::Null);
        assert_eq!(arith(Add, &Value::text("12abc"), &Value::Integer(1)), Value::Integer(13));
        assert_eq!(arith(Add, &Value::text("3.0"), &Value::Integer(0)), Value::Real(3.0));
        assert_eq!(arith(Divide, &Value::Integer(-5), &Value::Integer(2)), Value::Integer(-2));
        assert_eq!(negate(&Value::Integer(i64::MIN)), Value::Real(9.223372036854775808e18));
    }
}
