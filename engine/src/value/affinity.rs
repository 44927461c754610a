//! Type affinity (datatype3 §3): the five affinities, the affinity of a declared column type,
//! applying an affinity to a value, and the affinity a comparison uses.
//!
//! Invariants:
//! 1. [`Affinity::from_decl_type`] follows datatype3's five rules in order: `INT` → INTEGER;
//!    `CHAR`, `CLOB`, `TEXT` → TEXT; `BLOB` or no type → BLOB; `REAL`, `FLOA`, `DOUB` → REAL;
//!    anything else → NUMERIC (matching is by substring, ASCII case-insensitive).
//! 2. [`apply`] gives the value as it is stored in (and read back from) a column of that
//!    affinity: numeric affinities convert only text that is a *whole* numeric text (surrounding
//!    whitespace allowed, hex never); TEXT renders numbers; BLOB changes nothing.
//! 3. NUMERIC and INTEGER turn a real (or real text) that is an integer strictly inside the
//!    i64 range into an INTEGER; REAL turns integers into reals.

use super::numeric::{real_is_small_int, real_to_exact_int, scan};
use super::Value;

/// A column affinity. The byte values are SQLite's (`SQLITE_AFF_*`, 'A' to 'E').
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Affinity {
    Blob = 0x41,
    Text = 0x42,
    Numeric = 0x43,
    Integer = 0x44,
    Real = 0x45,
}

impl Affinity {
    /// The affinity of a column declared with `decl_type` (`""` for none).
    pub fn from_decl_type(decl_type: &str) -> Affinity {
        let upper = decl_type.to_ascii_uppercase();
        if upper.contains("INT") {
            Affinity::Integer
        } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
            Affinity::Text
        } else if upper.contains("BLOB") || upper.trim().is_empty() {
            Affinity::Blob
        } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
            Affinity::Real
        } else {
            Affinity::Numeric
        }
    }

    /// INTEGER, REAL or NUMERIC.
    pub fn is_numeric(self) -> bool {
        self >= Affinity::Numeric
    }

    /// SQLite's one-letter code (as in `sqlite3_index_info`, EXPLAIN's P4 strings).
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Converts text to a number when it is a whole numeric text: an INTEGER when written as one
/// and it fits (or when its value is a small exact integer), else a REAL; None when the text is
/// not numeric.
fn numeric_text(bytes: &[u8]) -> Option<Value> {
    let s = scan(bytes);
    if !s.has_digits || !s.whole {
        return None;
    }
    if s.integer_syntax {
        if let Some(i) = s.integer {
            return Some(Value::Integer(i));
        }
        if let Some(i) = real_is_small_int(s.real) {
            return Some(Value::Integer(i));
        }
    }
    Some(Value::real(s.real))
}

fn canonical_real(r: f64) -> f64 {
    real_to_exact_int(r).map_or(r, |i| i as f64)
}

/// The value `v` as a column with affinity `aff` stores it and reads it back (invariants 2
/// and 3).
pub fn apply(v: Value, aff: Affinity) -> Value {
    match aff {
        Affinity::Blob => v,
        Affinity::Text => match v {
            Value::Integer(_) | Value::Real(_) => Value::Text(super::convert::to_text(&v)),
            other => other,
        },
        Affinity::Numeric | Affinity::Integer => match v {
            Value::Text(ref t) => match numeric_text(t) {
                Some(Value::Real(r)) => real_to_exact_int(r).map_or(Value::Real(r), Value::Integer),
                Some(n) => n,
                None => v,
            },
            Value::Real(r) => real_to_exact_int(r).map_or(Value::Real(r), Value::Integer),
            other => other,
        },
        // A REAL column stores an integral real as an integer and reads it back as a real, so
        // -0.0 comes back as 0.0.
        Affinity::Real => match v {
            Value::Text(ref t) => match numeric_text(t) {
                Some(Value::Integer(i)) => Value::Real(i as f64),
                Some(Value::Real(r)) => Value::Real(canonical_real(r)),
                Some(n) => n,
                None => v,
            },
            Value::Integer(i) => Value::Real(i as f64),
            Value::Real(r) => Value::Real(canonical_real(r)),
            other => other,
        },
    }
}

/// `sqlite3_value_numeric_type`'s view of a value: a text that is a whole numeric text becomes
/// its number (an INTEGER when written as one that fits, else a REAL, never turned into an
/// integer); anything else is unchanged.
pub fn numeric_type(v: &Value) -> Value {
    match v {
        Value::Text(t) => numeric_text(t).unwrap_or_else(|| v.clone()),
        other => other.clone(),
    }
}

/// Applies a comparison's affinity (from [`comparison_affinity`]) to one operand: a numeric
/// affinity turns only whole numeric text into a number ([`numeric_type`]); TEXT renders
/// numbers as text; no affinity changes nothing.
pub fn apply_comparison_affinity(v: &Value, aff: Option<Affinity>) -> Value {
    match aff {
        Some(a) if a.is_numeric() => numeric_type(v),
        Some(Affinity::Text) => match v {
            Value::Integer(_) | Value::Real(_) => Value::Text(super::convert::to_text(v)),
            other => other.clone(),
        },
        _ => v.clone(),
    }
}

/// The affinity applied to the operands of a comparison whose sides have affinities `a` and
/// `b` (None = no affinity, e.g. an expression): numeric wins over text/blob/none; TEXT is
/// applied to a side with no affinity; otherwise none (datatype3 §4.2).
pub fn comparison_affinity(a: Option<Affinity>, b: Option<Affinity>) -> Option<Affinity> {
    let num = |x: Option<Affinity>| x.is_some_and(Affinity::is_numeric);
    if num(a) || num(b) {
        Some(Affinity::Numeric)
    } else if (a == Some(Affinity::Text) && matches!(b, None | Some(Affinity::Blob)))
        || (b == Some(Affinity::Text) && matches!(a, None | Some(Affinity::Blob)))
    {
        Some(Affinity::Text)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decl_types() {
        // datatype3 §3.1.1's examples.
        for (t, a) in [
            ("INT", Affinity::Integer),
            ("TINYINT", Affinity::Integer),
            ("UNSIGNED BIG INT", Affinity::Integer),
            ("CHARACTER(20)", Affinity::Text),
            ("NATIVE CHARACTER(70)", Affinity::Text),
            ("CLOB", Affinity::Text),
            ("BLOB", Affinity::Blob),
            ("", Affinity::Blob),
            ("DOUBLE PRECISION", Affinity::Real),
            ("FLOAT", Affinity::Real),
            ("NUMERIC", Affinity::Numeric),
            ("DECIMAL(10,5)", Affinity::Numeric),
            ("BOOLEAN", Affinity::Numeric),
            ("DATETIME", Affinity::Numeric),
            ("FLOATING POINT", Affinity::Integer),
            ("STRING", Affinity::Numeric),
        ] {
            assert_eq!(Affinity::from_decl_type(t), a, "{t}");
        }
    }

    #[test]
    fn numeric_affinity_examples() {
        assert_eq!(apply(Value::text("  12  "), Affinity::Numeric), Value::Integer(12));
        assert_eq!(apply(Value::text("3.0e+5"), Affinity::Numeric), Value::Integer(300000));
        assert_eq!(apply(Value::text("0x10"), Affinity::Numeric), Value::text("0x10"));
        assert_eq!(apply(Value::text("1e3"), Affinity::Real), Value::Real(1000.0));
        assert_eq!(apply(Value::Integer(3), Affinity::Real), Value::Real(3.0));
        assert_eq!(apply(Value::Real(1e20), Affinity::Text), Value::text("1.0e+20"));
    }
}
