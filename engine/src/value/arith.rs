//! Arithmetic on values (`+ - * / %`) with SQLite's rules.
//!
//! Invariants:
//! 1. NULL in, NULL out. Text and blob operands are read as numbers first
//!    ([`super::convert::to_number`]).
//! 2. Two integers give an integer; an overflow of `+ - *` gives the REAL result instead, and
//!    `i64::MIN / -1` gives the REAL 9.223_372_036_854_776e18.
//! 3. Division or remainder by zero (after the operands are made integers, for `%`) is NULL.
//! 4. `%` of two integers is an integer; otherwise each operand is read as an integer from its
//!    original value (reals truncate and saturate, text by its integer prefix: `1 % '1e3'` is
//!    `1 % 1`) and the result is a REAL. `i64::MIN % -1` is 0.
//! 5. A real result that is NaN is NULL (e.g. `Inf - Inf`).

use super::convert::{to_f64, to_i64, to_number};
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

/// `a op b`.
pub fn arith(op: ArithOp, a: &Value, b: &Value) -> Value {
    let (na, nb) = (to_number(a), to_number(b));
    if na.is_null() || nb.is_null() {
        return Value::Null;
    }
    if let (Value::Integer(x), Value::Integer(y)) = (&na, &nb) {
        let (x, y) = (*x, *y);
        let exact = match op {
            ArithOp::Add => x.checked_add(y),
            ArithOp::Subtract => x.checked_sub(y),
            ArithOp::Multiply => x.checked_mul(y),
            ArithOp::Divide | ArithOp::Remainder if y == 0 => return Value::Null,
            ArithOp::Divide => x.checked_div(y),
            ArithOp::Remainder => Some(if y == -1 { 0 } else { x % y }),
        };
        if let Some(v) = exact {
            return Value::Integer(v);
        }
    }
    // The real path reads each operand afresh from its original value (so `'-0'` is -0.0 and
    // `'1e3'` is 1 for `%`).
    if op == ArithOp::Remainder {
        let ia = to_i64(a);
        let ib = to_i64(b);
        if ib == 0 {
            return Value::Null;
        }
        let r = if ib == -1 { 0 } else { ia % ib };
        return Value::Real(r as f64);
    }
    let (x, y) = (to_f64(a), to_f64(b));
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

/// Unary minus of a computed value: `0 - v` (so `-(-0.0)` computed is 0.0 and `-i64::MIN` is
/// the REAL 9.223_372_036_854_776e18). A minus in front of a literal is the parser's business.
pub fn negate(v: &Value) -> Value {
    arith(ArithOp::Subtract, &Value::Integer(0), v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ArithOp::*;

    #[test]
    fn overflow_rules() {
        // Each checked with sqlite3 3.40.1.
        assert_eq!(arith(Add, &Value::Integer(i64::MAX), &Value::Integer(1)), Value::Real(9.223_372_036_854_776e18));
        assert_eq!(arith(Divide, &Value::Integer(i64::MIN), &Value::Integer(-1)), Value::Real(9.223_372_036_854_776e18));
        assert_eq!(arith(Remainder, &Value::Integer(i64::MIN), &Value::Integer(-1)), Value::Integer(0));
        assert_eq!(arith(Divide, &Value::Integer(5), &Value::Integer(0)), Value::Null);
        assert_eq!(arith(Remainder, &Value::Real(5.5), &Value::Integer(2)), Value::Real(1.0));
        assert_eq!(arith(Remainder, &Value::Integer(5), &Value::Real(0.5)), Value::Null);
        assert_eq!(arith(Add, &Value::text("12abc"), &Value::Integer(1)), Value::Integer(13));
        assert_eq!(arith(Add, &Value::text("3.0"), &Value::Integer(0)), Value::Real(3.0));
        assert_eq!(arith(Divide, &Value::Integer(-5), &Value::Integer(2)), Value::Integer(-2));
        assert_eq!(negate(&Value::Integer(i64::MIN)), Value::Real(9.223_372_036_854_776e18));
    }
}
