//! Ordering of two values (datatype3 §4.1): NULL < INTEGER/REAL < TEXT < BLOB; numbers by
//! value with integers and reals compared exactly; texts by a collation; blobs by `memcmp`.
//!
//! Invariants:
//! 1. An integer and a real compare by their exact mathematical values: no rounding of the
//!    integer to a double (9007199254740993 > 9007199254740992.0).
//! 2. NULLs are equal to each other here (sorting and DISTINCT); the three-valued logic of
//!    `=`/`<` belongs to the VM, which checks for NULL first.
//! 3. The collation is used only when both values are text.

use std::cmp::Ordering;

use super::collation::Collation;
use super::Value;

fn class_rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Integer(_) | Value::Real(_) => 1,
        Value::Text(_) => 2,
        Value::Blob(_) => 3,
    }
}

/// Compares an integer with a real exactly.
pub fn compare_int_real(i: i64, r: f64) -> Ordering {
    if r.is_nan() {
        return Ordering::Greater;
    }
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if r >= TWO63 {
        return Ordering::Less;
    }
    if r < -TWO63 {
        return Ordering::Greater;
    }
    // Now r is within [-2^63, 2^63): its truncation is an exact i64.
    let t = r.trunc();
    let ti = t as i64;
    match i.cmp(&ti) {
        Ordering::Equal => {
            let frac = r - t;
            if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        other => other,
    }
}

fn compare_reals(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or(Ordering::Equal)
}

/// Compares two values; `coll` orders texts (BINARY when None).
pub fn compare(a: &Value, b: &Value, coll: Option<&Collation>) -> Ordering {
    let (ra, rb) = (class_rank(a), class_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Real(x), Value::Real(y)) => compare_reals(*x, *y),
        (Value::Integer(x), Value::Real(y)) => compare_int_real(*x, *y),
        (Value::Real(x), Value::Integer(y)) => compare_int_real(*y, *x).reverse(),
        (Value::Text(x), Value::Text(y)) => match coll {
            Some(c) => c.compare(x, y),
            None => x.cmp(y),
        },
        (Value::Blob(x), Value::Blob(y)) => x.cmp(y),
        _ => Ordering::Equal, // both NULL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_class_order_and_exact_numbers() {
        let order = [Value::Null, Value::Integer(-5), Value::Real(1.5), Value::text("a"), Value::Blob(vec![0])];
        for w in order.windows(2) {
            assert_eq!(compare(&w[0], &w[1], None), Ordering::Less);
        }
        assert_eq!(compare_int_real(9007199254740993, 9007199254740992.0), Ordering::Greater);
        assert_eq!(compare_int_real(i64::MAX, 9223372036854775807.0), Ordering::Less);
        assert_eq!(compare_int_real(i64::MIN, -9223372036854775808.0), Ordering::Equal);
        assert_eq!(compare_int_real(1, 1.5), Ordering::Less);
        assert_eq!(compare_int_real(-1, -1.5), Ordering::Greater);
        assert_eq!(compare(&Value::text("A"), &Value::text("a"), Some(&Collation::nocase())), Ordering::Equal);
    }
}
