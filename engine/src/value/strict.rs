//! Column types of STRICT tables: the six type names and the coercion a STRICT column applies
//! before it accepts a value (strict.html).
//!
//! Invariants:
//! 1. INT/INTEGER, REAL and TEXT columns first apply their affinity (INTEGER, REAL, TEXT);
//!    the value is then accepted only if it is NULL or of the column's class. BLOB accepts
//!    only blobs (and NULL); ANY accepts everything unchanged.
//! 2. A refusal names the class of the value *after* the affinity was applied (`'1.5'` in an
//!    INT column is "cannot store REAL value in INT column t.a"), with
//!    SQLITE_CONSTRAINT_DATATYPE.

use super::affinity::{apply, Affinity};
use super::Value;
use crate::error::{code, Error};

/// The extended result code SQLITE_CONSTRAINT_DATATYPE.
pub const CONSTRAINT_DATATYPE: i32 = code::CONSTRAINT | (12 << 8);

/// A STRICT column type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrictType {
    Int,
    Integer,
    Real,
    Text,
    Blob,
    Any,
}

impl StrictType {
    /// The type of a declared name (ASCII case-insensitive); None if STRICT does not allow it.
    pub fn from_name(name: &str) -> Option<StrictType> {
        Some(match name.to_ascii_uppercase().as_str() {
            "INT" => StrictType::Int,
            "INTEGER" => StrictType::Integer,
            "REAL" => StrictType::Real,
            "TEXT" => StrictType::Text,
            "BLOB" => StrictType::Blob,
            "ANY" => StrictType::Any,
            _ => return None,
        })
    }

    /// The name as error messages spell it.
    pub fn name(self) -> &'static str {
        match self {
            StrictType::Int => "INT",
            StrictType::Integer => "INTEGER",
            StrictType::Real => "REAL",
            StrictType::Text => "TEXT",
            StrictType::Blob => "BLOB",
            StrictType::Any => "ANY",
        }
    }
}

/// The class name a refusal message uses for a value.
pub fn class_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Integer(_) => "INT",
        Value::Real(_) => "REAL",
        Value::Text(_) => "TEXT",
        Value::Blob(_) => "BLOB",
    }
}

/// The value a STRICT column of type `t` stores, or the class name of the refused value.
pub fn strict_coerce(v: Value, t: StrictType) -> Result<Value, &'static str> {
    let (converted, ok) = match t {
        StrictType::Any => return Ok(v),
        StrictType::Int | StrictType::Integer => {
            let c = apply(v, Affinity::Integer);
            let ok = matches!(c, Value::Null | Value::Integer(_));
            (c, ok)
        }
        StrictType::Real => {
            let c = apply(v, Affinity::Real);
            let ok = matches!(c, Value::Null | Value::Real(_));
            (c, ok)
        }
        StrictType::Text => {
            let c = apply(v, Affinity::Text);
            let ok = matches!(c, Value::Null | Value::Text(_));
            (c, ok)
        }
        StrictType::Blob => {
            let ok = matches!(v, Value::Null | Value::Blob(_));
            (v, ok)
        }
    };
    if ok {
        Ok(converted)
    } else {
        Err(class_name(&converted))
    }
}

/// The error for a refused value: "cannot store TEXT value in INT column t.a".
pub fn datatype_error(value_class: &str, t: StrictType, table: &str, column: &str) -> Error {
    Error::new(CONSTRAINT_DATATYPE, format!("cannot store {value_class} value in {} column {table}.{column}", t.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_examples_from_sqlite() {
        // Each checked with sqlite3 3.40.1 on a STRICT table.
        assert_eq!(strict_coerce(Value::text("12"), StrictType::Int), Ok(Value::Integer(12)));
        assert_eq!(strict_coerce(Value::text("1.5"), StrictType::Int), Err("REAL"));
        assert_eq!(strict_coerce(Value::Real(1.0), StrictType::Integer), Ok(Value::Integer(1)));
        assert_eq!(strict_coerce(Value::Integer(1), StrictType::Blob), Err("INT"));
        assert_eq!(strict_coerce(Value::Blob(vec![1]), StrictType::Text), Err("BLOB"));
        assert_eq!(strict_coerce(Value::text("1e3"), StrictType::Any), Ok(Value::text("1e3")));
        let e = datatype_error("TEXT", StrictType::Int, "t", "a");
        assert_eq!(e.message, "cannot store TEXT value in INT column t.a");
        assert_eq!(e.code, 3091);
    }
}
