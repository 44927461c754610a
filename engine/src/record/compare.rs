//! Key comparison for index b-trees: an unpacked key against a stored record.
//!
//! Order (datatype3 §4.1 "Sort Order"): NULL < INTEGER and REAL (compared numerically, an
//! integer and a real compare by exact value) < TEXT (by the column's collation) < BLOB
//! (memcmp, then length). Each field is compared in turn; a DESC field reverses its result.
//!
//! Invariants:
//! 1. Only the first `min(key.len(), fields in record)` fields are compared; when they are all
//!    equal the answer is `Equal` and the caller decides what a prefix match means (seek GE vs
//!    GT), as SQLite's `default_rc` does.
//! 2. The stored record's header is parsed once per comparison; values are decoded lazily, so
//!    a comparison that differs on field 0 decodes only field 0.

use std::cmp::Ordering;

use super::reader::RecordReader;
use super::serial::ValueRef;
use crate::error::Result;

/// A collating function over text bytes (BINARY is `None` at the call site).
pub type Collation<'c> = &'c dyn Fn(&[u8], &[u8]) -> Ordering;

/// How one key field sorts: its direction and collation (None = BINARY).
#[derive(Clone, Copy, Default)]
pub struct KeyField<'c> {
    pub desc: bool,
    pub collation: Option<Collation<'c>>,
}

impl std::fmt::Debug for KeyField<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyField")
            .field("desc", &self.desc)
            .field("collation", &self.collation.is_some())
            .finish()
    }
}

/// Compares an integer with a real by exact value.
pub fn cmp_int_real(i: i64, r: f64) -> Ordering {
    if r.is_nan() {
        return Ordering::Greater;
    }
    if r < -9_223_372_036_854_775_808.0 {
        return Ordering::Greater;
    }
    if r >= 9_223_372_036_854_775_808.0 {
        return Ordering::Less;
    }
    let ri = r as i64; // truncates toward zero; in range by the checks above
    match i.cmp(&ri) {
        Ordering::Equal => {
            let frac = r - ri as f64;
            if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        o => o,
    }
}

fn class_rank(v: &ValueRef<'_>) -> u8 {
    match v {
        ValueRef::Null => 0,
        ValueRef::Integer(_) | ValueRef::Real(_) => 1,
        ValueRef::Text(_) => 2,
        ValueRef::Blob(_) => 3,
    }
}

/// Compares two values by SQLite's sort order, text through `collation` (None = BINARY).
pub fn compare_values(a: &ValueRef<'_>, b: &ValueRef<'_>, collation: Option<Collation<'_>>) -> Ordering {
    match (a, b) {
        (ValueRef::Integer(x), ValueRef::Integer(y)) => x.cmp(y),
        (ValueRef::Real(x), ValueRef::Real(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (ValueRef::Integer(x), ValueRef::Real(y)) => cmp_int_real(*x, *y),
        (ValueRef::Real(x), ValueRef::Integer(y)) => cmp_int_real(*y, *x).reverse(),
        (ValueRef::Text(x), ValueRef::Text(y)) => match collation {
            Some(c) => c(x, y),
            None => x.cmp(y),
        },
        (ValueRef::Blob(x), ValueRef::Blob(y)) => x.cmp(y),
        _ => class_rank(a).cmp(&class_rank(b)),
    }
}

/// Compares `key` with the record `stored`, field by field under `fields` (fields beyond
/// `fields.len()` sort ASC BINARY). `reader` is scratch space reused between calls.
pub fn compare_key(
    key: &[ValueRef<'_>],
    stored: &[u8],
    fields: &[KeyField<'_>],
    reader: &mut RecordReader,
) -> Result<Ordering> {
    reader.parse(stored)?;
    let n = key.len().min(reader.column_count());
    for (i, k) in key.iter().enumerate().take(n) {
        let s = reader.column(stored, i)?;
        let f = fields.get(i).copied().unwrap_or_default();
        let mut o = compare_values(k, &s, f.collation);
        if f.desc {
            o = o.reverse();
        }
        if o != Ordering::Equal {
            return Ok(o);
        }
    }
    Ok(Ordering::Equal)
}

/// Compares two stored records field by field (used by the b-tree when both sides are stored
/// keys, e.g. integrity checks); fields past the shorter record compare Equal.
pub fn compare_records(
    a: &[u8],
    b: &[u8],
    fields: &[KeyField<'_>],
    ra: &mut RecordReader,
    rb: &mut RecordReader,
) -> Result<Ordering> {
    ra.parse(a)?;
    rb.parse(b)?;
    let n = ra.column_count().min(rb.column_count());
    for i in 0..n {
        let f = fields.get(i).copied().unwrap_or_default();
        let mut o = compare_values(&ra.column(a, i)?, &rb.column(b, i)?, f.collation);
        if f.desc {
            o = o.reverse();
        }
        if o != Ordering::Equal {
            return Ok(o);
        }
    }
    Ok(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::builder::RecordBuilder;
    use crate::value::Value;

    #[test]
    fn datatype3_class_order_and_numeric_mix() {
        use ValueRef::*;
        let order = [Null, Integer(-5), Real(-4.5), Integer(3), Real(3.5), Integer(4), Text(b"A"), Text(b"a"), Blob(b""), Blob(b"\x00")];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                assert_eq!(compare_values(a, b, None), i.cmp(&j), "{a:?} vs {b:?}");
            }
        }
        assert_eq!(compare_values(&Integer(3), &Real(3.0), None), Ordering::Equal);
        assert_eq!(cmp_int_real(i64::MAX, 9.3e18), Ordering::Less);
        assert_eq!(cmp_int_real(i64::MAX, 9.223_372_036_854_776e18), Ordering::Less);
        assert_eq!(cmp_int_real(i64::MIN, -9.223_372_036_854_776e18), Ordering::Equal);
    }

    #[test]
    fn desc_and_collation_and_prefix() {
        let nocase = |a: &[u8], b: &[u8]| a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase());
        let stored = RecordBuilder::new().build(&[Value::text("Abc"), Value::Integer(7), Value::Integer(42)]);
        let mut r = RecordReader::new();
        let fields = [KeyField { desc: false, collation: Some(&nocase) }, KeyField { desc: true, collation: None }];
        let key = [ValueRef::Text(b"abc"), ValueRef::Integer(8)];
        // Field 1 is DESC: 8 > 7 becomes Less.
        assert_eq!(compare_key(&key, &stored, &fields, &mut r).unwrap(), Ordering::Less);
        let key = [ValueRef::Text(b"ABC")];
        assert_eq!(compare_key(&key, &stored, &fields, &mut r).unwrap(), Ordering::Equal);
        assert_eq!(compare_key(&key, &stored, &[], &mut r).unwrap(), Ordering::Less);
    }
}
