//! The engine's error type and SQLite's result codes, defined once.
//!
//! Every layer's failures end up as an [`Error`]: an *extended* result code (whose low byte is
//! the primary code) and the message SQLite would show. Messages are built where the fact is
//! known. [`errstr`] gives the fixed English text of each primary code (`sqlite3_errstr`).

use std::fmt;

/// SQLite's primary and extended result codes (the values of the C header).
pub mod code {
    pub const OK: i32 = 0;
    pub const ERROR: i32 = 1;
    pub const INTERNAL: i32 = 2;
    pub const PERM: i32 = 3;
    pub const ABORT: i32 = 4;
    pub const BUSY: i32 = 5;
    pub const LOCKED: i32 = 6;
    pub const NOMEM: i32 = 7;
    pub const READONLY: i32 = 8;
    pub const INTERRUPT: i32 = 9;
    pub const IOERR: i32 = 10;
    pub const CORRUPT: i32 = 11;
    pub const NOTFOUND: i32 = 12;
    pub const FULL: i32 = 13;
    pub const CANTOPEN: i32 = 14;
    pub const PROTOCOL: i32 = 15;
    pub const EMPTY: i32 = 16;
    pub const SCHEMA: i32 = 17;
    pub const TOOBIG: i32 = 18;
    pub const CONSTRAINT: i32 = 19;
    pub const MISMATCH: i32 = 20;
    pub const MISUSE: i32 = 21;
    pub const NOLFS: i32 = 22;
    pub const AUTH: i32 = 23;
    pub const FORMAT: i32 = 24;
    pub const RANGE: i32 = 25;
    pub const NOTADB: i32 = 26;
    pub const NOTICE: i32 = 27;
    pub const WARNING: i32 = 28;
    pub const ROW: i32 = 100;
    pub const DONE: i32 = 101;
}

/// The fixed text of a result code, as `sqlite3_errstr` gives it.
pub fn errstr(rc: i32) -> &'static str {
    match rc {
        code::ROW => "another row available",
        code::DONE => "no more rows available",
        516 => "abort due to ROLLBACK", // SQLITE_ABORT_ROLLBACK
        _ => match rc & 0xff {
            code::OK => "not an error",
            code::ERROR => "SQL logic error",
            code::INTERNAL => "unknown error",
            code::PERM => "access permission denied",
            code::ABORT => "query aborted",
            code::BUSY => "database is locked",
            code::LOCKED => "database table is locked",
            code::NOMEM => "out of memory",
            code::READONLY => "attempt to write a readonly database",
            code::INTERRUPT => "interrupted",
            code::IOERR => "disk I/O error",
            code::CORRUPT => "database disk image is malformed",
            code::NOTFOUND => "unknown operation",
            code::FULL => "database or disk is full",
            code::CANTOPEN => "unable to open database file",
            code::PROTOCOL => "locking protocol",
            code::EMPTY => "unknown error",
            code::SCHEMA => "database schema has changed",
            code::TOOBIG => "string or blob too big",
            code::CONSTRAINT => "constraint failed",
            code::MISMATCH => "datatype mismatch",
            code::MISUSE => "bad parameter or other API misuse",
            code::NOLFS => "large file support is disabled",
            code::AUTH => "authorization denied",
            code::FORMAT => "unknown error",
            code::RANGE => "column index out of range",
            code::NOTADB => "file is not a database",
            code::NOTICE => "notification message",
            code::WARNING => "warning message",
            _ => "unknown error",
        },
    }
}

/// An engine failure: SQLite's extended result code, its message, and for errors in SQL text
/// the byte offset of the token at fault (what `sqlite3_error_offset` reports).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: i32,
    pub message: String,
    pub offset: Option<usize>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(code: i32, message: impl Into<String>) -> Error {
        Error { code, message: message.into(), offset: None }
    }

    /// An `SQLITE_ERROR` with the given message.
    pub fn sql(message: impl Into<String>) -> Error {
        Error::new(code::ERROR, message)
    }

    /// An error whose message is the code's fixed text.
    pub fn from_code(code: i32) -> Error {
        Error::new(code, errstr(code))
    }

    /// The error every unbuilt feature returns: `SQLITE_ERROR`, naming what is missing.
    pub fn not_supported(what: &str) -> Error {
        Error::sql(format!("{what} is not supported yet by Ferrolite"))
    }

    /// The same error, located at byte `offset` of the SQL text.
    pub fn at(mut self, offset: usize) -> Error {
        self.offset = Some(offset);
        self
    }

    /// The primary result code (the low byte of the extended code).
    pub fn primary(&self) -> i32 {
        self.code & 0xff
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errstr_matches_sqlite_texts() {
        // Texts of SQLite 3.40's sqlite3ErrStr table.
        assert_eq!(errstr(code::ERROR), "SQL logic error");
        assert_eq!(errstr(code::BUSY), "database is locked");
        assert_eq!(errstr(code::CONSTRAINT | (8 << 8)), "constraint failed");
        assert_eq!(errstr(code::DONE), "no more rows available");
        assert_eq!(errstr(200), "unknown error");
        assert_eq!(errstr(code::CANTOPEN), "unable to open database file");
    }
}
