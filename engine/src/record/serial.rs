//! Serial types: how each value of a record is stored (fileformat2 §2.1, "Record Format").
//!
//! | type   | size   | meaning                                   |
//! |--------|--------|-------------------------------------------|
//! | 0      | 0      | NULL                                      |
//! | 1..=4  | 1,2,3,4| big-endian two's-complement integer       |
//! | 5      | 6      | big-endian 48-bit integer                 |
//! | 6      | 8      | big-endian 64-bit integer                 |
//! | 7      | 8      | big-endian IEEE 754 float                 |
//! | 8, 9   | 0      | the integers 0 and 1 (schema format >= 4) |
//! | 10, 11 | -      | reserved: corrupt in a database file      |
//! | N>=12 even | (N-12)/2 | BLOB                                |
//! | N>=13 odd  | (N-13)/2 | TEXT in the database encoding       |
//!
//! Invariants:
//! 1. `int_serial_type` picks the smallest type that holds the integer, as SQLite does.
//! 2. Decoding never reads past the given slice.

use crate::value::Value;

/// A value borrowed from a record's bytes (or from a `Value`): decoding allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl<'a> ValueRef<'a> {
    pub fn to_value(&self) -> Value {
        match *self {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) => Value::Text(t.to_vec()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }

    /// `*dst = self.to_value()`, reusing `dst`'s text or blob buffer when it has one (a
    /// register refilled on every row of a scan allocates nothing).
    pub fn store_into(&self, dst: &mut Value) {
        match (*self, &mut *dst) {
            (ValueRef::Text(s), Value::Text(d)) | (ValueRef::Blob(s), Value::Blob(d)) => {
                d.clear();
                d.extend_from_slice(s);
            }
            (ValueRef::Text(s), Value::Blob(d)) => {
                let mut v = std::mem::take(d);
                v.clear();
                v.extend_from_slice(s);
                *dst = Value::Text(v);
            }
            (ValueRef::Blob(s), Value::Text(d)) => {
                let mut v = std::mem::take(d);
                v.clear();
                v.extend_from_slice(s);
                *dst = Value::Blob(v);
            }
            _ => *dst = self.to_value(),
        }
    }
}

impl<'a> From<&'a Value> for ValueRef<'a> {
    fn from(v: &'a Value) -> ValueRef<'a> {
        match v {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(t) => ValueRef::Text(t),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// The number of payload bytes a value of serial type `t` occupies (reserved types: 0).
#[inline]
pub fn serial_type_len(t: u64) -> u64 {
    match t {
        0..=4 => t,
        5 => 6,
        6 | 7 => 8,
        8..=11 => 0,
        _ => (t - 12) / 2,
    }
}

/// The smallest integer serial type holding `i` (8 and 9 for 0 and 1).
#[inline]
pub fn int_serial_type(i: i64) -> u64 {
    match i {
        0 => 8,
        1 => 9,
        -128..=127 => 1,
        -32768..=32767 => 2,
        -8_388_608..=8_388_607 => 3,
        -2_147_483_648..=2_147_483_647 => 4,
        -140_737_488_355_328..=140_737_488_355_327 => 5,
        _ => 6,
    }
}

/// The serial type of a value as stored (reals are type 7; the VM converts integral reals of
/// REAL-affinity columns to integers before building the record, as SQLite does).
#[inline]
pub fn serial_type_of(v: ValueRef<'_>) -> u64 {
    match v {
        ValueRef::Null => 0,
        ValueRef::Integer(i) => int_serial_type(i),
        ValueRef::Real(_) => 7,
        ValueRef::Text(t) => 13 + 2 * t.len() as u64,
        ValueRef::Blob(b) => 12 + 2 * b.len() as u64,
    }
}

/// Decodes a value of serial type `t` from `data` (exactly its bytes, or more). None when `data`
/// is too short or `t` is reserved.
#[inline]
pub fn decode_value(t: u64, data: &[u8]) -> Option<ValueRef<'_>> {
    let be_int = |n: usize| -> Option<i64> {
        let b = data.get(..n)?;
        let mut v: i64 = if b[0] & 0x80 != 0 { -1 } else { 0 };
        for &x in b {
            v = (v << 8) | x as i64;
        }
        Some(v)
    };
    Some(match t {
        0 => ValueRef::Null,
        1 => ValueRef::Integer(be_int(1)?),
        2 => ValueRef::Integer(be_int(2)?),
        3 => ValueRef::Integer(be_int(3)?),
        4 => ValueRef::Integer(be_int(4)?),
        5 => ValueRef::Integer(be_int(6)?),
        6 => ValueRef::Integer(be_int(8)?),
        7 => {
            let b: [u8; 8] = data.get(..8)?.try_into().ok()?;
            let r = f64::from_be_bytes(b);
            // SQLite never stores NaN; a NaN read from a file is NULL.
            if r.is_nan() {
                ValueRef::Null
            } else {
                ValueRef::Real(r)
            }
        }
        8 => ValueRef::Integer(0),
        9 => ValueRef::Integer(1),
        10 | 11 => return None,
        _ => {
            let n = usize::try_from((t - 12) / 2).ok()?;
            let b = data.get(..n)?;
            if t & 1 == 0 {
                ValueRef::Blob(b)
            } else {
                ValueRef::Text(b)
            }
        }
    })
}

/// Writes the payload bytes of `v` (serial type `t` from `serial_type_of`) to `out`.
#[inline]
pub fn encode_value(v: ValueRef<'_>, t: u64, out: &mut Vec<u8>) {
    match v {
        ValueRef::Null => {}
        ValueRef::Integer(i) => {
            let n = serial_type_len(t) as usize;
            out.extend_from_slice(&i.to_be_bytes()[8 - n..]);
        }
        ValueRef::Real(r) => out.extend_from_slice(&r.to_be_bytes()),
        ValueRef::Text(b) | ValueRef::Blob(b) => out.extend_from_slice(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_types_roundtrip_at_boundaries() {
        for i in [
            0i64,
            1,
            2,
            -1,
            127,
            128,
            -128,
            -129,
            32767,
            32768,
            -32768,
            8_388_607,
            8_388_608,
            -8_388_609,
            2_147_483_647,
            2_147_483_648,
            140_737_488_355_327,
            140_737_488_355_328,
            -140_737_488_355_329,
            i64::MAX,
            i64::MIN,
        ] {
            let t = int_serial_type(i);
            let mut out = Vec::new();
            encode_value(ValueRef::Integer(i), t, &mut out);
            assert_eq!(out.len() as u64, serial_type_len(t));
            assert_eq!(decode_value(t, &out), Some(ValueRef::Integer(i)), "{i}");
        }
        assert_eq!(int_serial_type(128), 2);
        assert_eq!(int_serial_type(140_737_488_355_328), 6);
    }

    #[test]
    fn reserved_and_short_are_none() {
        assert_eq!(decode_value(10, &[]), None);
        assert_eq!(decode_value(11, &[]), None);
        assert_eq!(decode_value(4, &[1, 2]), None);
        assert_eq!(decode_value(13 + 2 * 5, b"abc"), None);
    }
}
