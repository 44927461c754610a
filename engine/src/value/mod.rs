//! `Value`: one SQL value in one of SQLite's five storage classes.
//!
//! Invariants:
//! 1. Text is held as bytes that are UTF-8 when they came from SQL or from a well-behaved
//!    client; bytes that a C program binds or a file holds are kept as they are (SQLite does
//!    not validate text), so they round-trip unchanged.
//! 2. The storage class is the variant; affinity and comparison rules live beside the VM.

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
}
