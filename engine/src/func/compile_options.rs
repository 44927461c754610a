//! The compile-time options the library reports (`sqlite_compileoption_used()`/`_get()` in
//! SQL, `sqlite3_compileoption_used`/`_get` in C, `PRAGMA compile_options`).
//!
//! Invariants:
//! 1. Only options whose behaviour Ferrolite actually has are listed (Debian's SQLite lists
//!    more, e.g. ENABLE_FTS5, which we do not claim). Sorted, without the `SQLITE_` prefix.
//! 2. A name matches ASCII case-insensitively, with or without `SQLITE_`, up to an `=`
//!    (`THREADSAFE` matches `THREADSAFE=1`).

use super::context::FuncCtx;
use crate::error::Result;
use crate::value::convert::{to_i64, to_text};
use crate::value::Value;

/// The options, sorted (owners of other layers add theirs here).
pub const COMPILE_OPTIONS: &[&str] = &[
    "DEFAULT_AUTOVACUUM",
    "DEFAULT_CACHE_SIZE=-2000",
    "DEFAULT_FILE_FORMAT=4",
    "DEFAULT_PAGE_SIZE=4096",
    "DEFAULT_SECTOR_SIZE=4096",
    "DEFAULT_SYNCHRONOUS=2",
    "ENABLE_MATH_FUNCTIONS",
    "HAVE_ISNAN",
    "LIKE_DOESNT_MATCH_BLOBS",
    "MAX_ATTACHED=10",
    "MAX_COLUMN=2000",
    "MAX_COMPOUND_SELECT=500",
    "MAX_DEFAULT_PAGE_SIZE=32768",
    "MAX_EXPR_DEPTH=1000",
    "MAX_FUNCTION_ARG=127",
    "MAX_LENGTH=1000000000",
    "MAX_LIKE_PATTERN_LENGTH=50000",
    "MAX_PAGE_COUNT=1073741823",
    "MAX_PAGE_SIZE=65536",
    "MAX_SQL_LENGTH=1000000000",
    "MAX_VARIABLE_NUMBER=250000",
    "MUTEX_PTHREADS",
    "OMIT_LOOKASIDE",
    "SOUNDEX",
    "SYSTEM_MALLOC",
    "TEMP_STORE=1",
    "THREADSAFE=1",
    "USE_URI",
];

/// Whether the named option is in effect.
pub fn option_used(name: &[u8]) -> bool {
    let name = if name.len() >= 7 && name[..7].eq_ignore_ascii_case(b"SQLITE_") { &name[7..] } else { name };
    COMPILE_OPTIONS.iter().any(|opt| {
        let o = opt.as_bytes();
        o.len() >= name.len()
            && o[..name.len()].eq_ignore_ascii_case(name)
            && (o.len() == name.len() || o[name.len()] == b'=')
    })
}

/// The Nth option (from 0), if any.
pub fn option_get(n: i64) -> Option<&'static str> {
    usize::try_from(n).ok().and_then(|i| COMPILE_OPTIONS.get(i).copied())
}

pub fn sqlite_compileoption_used(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(if a[0].is_null() { Value::Null } else { Value::Integer(i64::from(option_used(&to_text(&a[0])))) })
}

pub fn sqlite_compileoption_get(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(option_get(to_i64(&a[0])).map_or(Value::Null, Value::text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_rules() {
        // SQLite: sqlite_compileoption_used('SQLITE_THREADSAFE') and ('threadsafe') are 1,
        // ('THREADSAFE=1') is 1, ('THREAD') is 0.
        assert!(option_used(b"SQLITE_THREADSAFE"));
        assert!(option_used(b"threadsafe"));
        assert!(option_used(b"THREADSAFE=1"));
        assert!(!option_used(b"THREAD"));
        assert!(!option_used(b"ENABLE_FTS5"));
        assert_eq!(option_get(0), Some(COMPILE_OPTIONS[0]));
        assert_eq!(option_get(COMPILE_OPTIONS.len() as i64), None);
        assert_eq!(option_get(-1), None);
        let mut sorted = COMPILE_OPTIONS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, COMPILE_OPTIONS);
    }
}
