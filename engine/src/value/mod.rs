//! `Value`: one SQL value in one of SQLite's five storage classes, and the semantics of values:
//! affinity, numeric text, comparison and collation, conversions and CAST, arithmetic, and the
//! text form of reals.
//!
//! Files (one job each):
//! - [`numeric`]: reading numbers out of text (whole-string and prefix rules).
//! - [`extended`]: an emulated x87 long double, the precision SQLite reads and prints reals in.
//! - [`real_text`]: the decimal digits of a double as SQLite's printf produces them, and the
//!   `%!.15g` text form SQLite gives a real.
//! - [`affinity`]: the five column affinities, affinity from a declared type, applying one.
//! - [`convert`]: value -> integer/real/text/blob (`sqlite3_value_*`) and CAST.
//! - [`collation`]: BINARY, NOCASE, RTRIM and user collations.
//! - [`compare`]: ordering of two values under a collation.
//! - [`arith`]: `+ - * / %` with SQLite's overflow rules.
//! - [`ops`]: `||`, bitwise operators, NOT.
//! - [`strict`]: the column types of STRICT tables and their coercion.
//!
//! Invariants:
//! 1. Text is held as bytes that are UTF-8 when they came from SQL or from a well-behaved
//!    client; bytes that a C program binds or a file holds are kept as they are (SQLite does
//!    not validate text), so they round-trip unchanged.
//! 2. The storage class is the variant; there is no NaN real: operations that would make one
//!    give NULL, as SQLite does.

pub mod affinity;
pub mod arith;
pub mod collation;
pub mod compare;
pub mod convert;
pub mod extended;
pub mod numeric;
pub mod ops;
pub mod real_text;
pub mod strict;

pub use affinity::Affinity;
pub use collation::Collation;

/// The datatype codes of `sqlite3_column_type` (SQLITE_INTEGER .. SQLITE_NULL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageClass {
    Integer = 1,
    Real = 2,
    Text = 3,
    Blob = 4,
    Null = 5,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Value {
    /// `*self = src.clone()`, reusing this value's text or blob buffer when both hold one
    /// (registers filled from parameters on every run allocate nothing).
    pub fn assign_from(&mut self, src: &Value) {
        match (&mut *self, src) {
            (Value::Text(d), Value::Text(s)) | (Value::Blob(d), Value::Blob(s)) => {
                d.clear();
                d.extend_from_slice(s);
            }
            _ => *self = src.clone(),
        }
    }

    pub fn storage_class(&self) -> StorageClass {
        match self {
            Value::Null => StorageClass::Null,
            Value::Integer(_) => StorageClass::Integer,
            Value::Real(_) => StorageClass::Real,
            Value::Text(_) => StorageClass::Text,
            Value::Blob(_) => StorageClass::Blob,
        }
    }

    pub fn text(s: &str) -> Value {
        Value::Text(s.as_bytes().to_vec())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The name `typeof()` gives the storage class.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Integer(_) => "integer",
            Value::Real(_) => "real",
            Value::Text(_) => "text",
            Value::Blob(_) => "blob",
        }
    }

    /// A real as a value: NaN becomes NULL (SQLite never stores a NaN).
    pub fn real(r: f64) -> Value {
        if r.is_nan() {
            Value::Null
        } else {
            Value::Real(r)
        }
    }
}
