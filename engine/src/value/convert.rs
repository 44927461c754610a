//! Conversions between storage classes: what `sqlite3_value_int64`, `_double`, `_text` and
//! `_blob` return for each class, the numeric reading of an arithmetic operand, and CAST.
//!
//! Invariants:
//! 1. Reading a number out of text or a blob takes the longest numeric *prefix* (`'12abc'` is
//!    12, `'abc'` is 0); an integer read stops at `.` or `e` (`CAST('1e3' AS INTEGER)` is 1 in
//!    SQLite 3.40.1) and clamps to the i64 range.
//! 2. A real read as an integer truncates toward zero and saturates (`CAST(1e100 AS INTEGER)` is
//!    9223372036854775807).
//! 3. CAST never changes NULL; `CAST(x AS NUMERIC)` leaves integers and reals as they are.

use super::affinity::Affinity;
use super::numeric::{real_is_small_int, real_to_i64_saturating, scan, text_to_f64, text_to_i64};
use super::real_text::real_to_text;
use super::Value;

/// `sqlite3_value_int64`.
pub fn to_i64(v: &Value) -> i64 {
    match v {
        Value::Null => 0,
        Value::Integer(i) => *i,
        Value::Real(r) => real_to_i64_saturating(*r),
        Value::Text(t) | Value::Blob(t) => text_to_i64(t),
    }
}

/// `sqlite3_value_double`.
pub fn to_f64(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Integer(i) => *i as f64,
        Value::Real(r) => *r,
        Value::Text(t) | Value::Blob(t) => text_to_f64(t),
    }
}

/// `sqlite3_value_text` (NULL gives an empty text here; callers that must tell NULL apart check
/// first).
pub fn to_text(v: &Value) -> Vec<u8> {
    match v {
        Value::Null => Vec::new(),
        Value::Integer(i) => i.to_string().into_bytes(),
        Value::Real(r) => real_to_text(*r).into_bytes(),
        Value::Text(t) | Value::Blob(t) => t.clone(),
    }
}

/// `sqlite3_value_blob`: the bytes of the value's text form for numbers.
pub fn to_blob(v: &Value) -> Vec<u8> {
    to_text(v)
}

/// The truth of a value in a condition (`WHERE`, `CASE WHEN`, iif): a number is true when
/// not zero, text and blobs by their real prefix (`'1abc'` is true, `'abc'` false); NULL is
/// None (unknown).
pub fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(*i != 0),
        v => Some(to_f64(v) != 0.0),
    }
}

/// An arithmetic operand as a number: text and blobs by their numeric prefix, an INTEGER when
/// written as one that fits, else a REAL; NULL stays NULL.
pub fn to_number(v: &Value) -> Value {
    match v {
        Value::Null | Value::Integer(_) | Value::Real(_) => v.clone(),
        Value::Text(t) | Value::Blob(t) => {
            let s = scan(t);
            if !s.has_digits {
                Value::Integer(0)
            } else if let (true, Some(i)) = (s.integer_syntax, s.integer) {
                Value::Integer(i)
            } else {
                Value::real(s.real)
            }
        }
    }
}

/// `CAST(v AS <type with affinity aff>)`.
pub fn cast(v: &Value, aff: Affinity) -> Value {
    if v.is_null() {
        return Value::Null;
    }
    match aff {
        Affinity::Text => Value::Text(to_text(v)),
        Affinity::Blob => Value::Blob(to_blob(v)),
        Affinity::Integer => Value::Integer(to_i64(v)),
        Affinity::Real => Value::real(to_f64(v)),
        Affinity::Numeric => match v {
            Value::Text(t) | Value::Blob(t) => numerify(t),
            other => other.clone(),
        },
    }
}

/// Text read as NUMERIC by CAST: the numeric prefix, as an INTEGER when written as one that
/// fits or when its value is a small exact integer (|i| < 2^51), else a REAL.
fn numerify(t: &[u8]) -> Value {
    let s = scan(t);
    if !s.has_digits {
        return Value::Integer(0);
    }
    if let (true, Some(i)) = (s.integer_syntax, s.integer) {
        return Value::Integer(i);
    }
    match real_is_small_int(s.real) {
        Some(i) => Value::Integer(i),
        None => Value::real(s.real),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_match_sqlite_3_40_1() {
        // Each case was checked with /usr/bin/sqlite3 3.40.1.
        assert_eq!(cast(&Value::text("12abc"), Affinity::Integer), Value::Integer(12));
        assert_eq!(cast(&Value::text("1e3"), Affinity::Integer), Value::Integer(1));
        assert_eq!(cast(&Value::Real(1e100), Affinity::Integer), Value::Integer(i64::MAX));
        assert_eq!(cast(&Value::Real(-1e100), Affinity::Integer), Value::Integer(i64::MIN));
        assert_eq!(cast(&Value::text("1e3"), Affinity::Numeric), Value::Integer(1000));
        assert_eq!(cast(&Value::text("3.0"), Affinity::Numeric), Value::Integer(3));
        assert_eq!(cast(&Value::Real(3.0), Affinity::Numeric), Value::Real(3.0));
        assert_eq!(cast(&Value::Real(9.5), Affinity::Text), Value::text("9.5"));
        assert_eq!(cast(&Value::text(""), Affinity::Numeric), Value::Integer(0));
        assert_eq!(cast(&Value::Null, Affinity::Text), Value::Null);
    }
}
