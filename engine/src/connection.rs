//! `Connection` and `Statement`: the engine's public API, the one `capi` wraps.
//!
//! A connection owns its databases (main, temp, attached) and their pagers; a statement is a
//! compiled program that does not borrow its connection: `step` takes the connection, as the
//! C API's statement keeps a pointer to its `sqlite3` and locks its mutex on each call.
//!
//! Built so far: opening validates the name and the flags and remembers them. SQL execution is
//! not built yet: `prepare` answers with a clear "not supported yet" error.

use crate::error::{Error, Result};

/// How a database is opened (the meaning of `SQLITE_OPEN_*` flags that reach the engine).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenFlags {
    pub read_only: bool,
    pub create: bool,
    /// The filename may be a `file:` URI.
    pub uri: bool,
    /// `SQLITE_OPEN_MEMORY`: the database is in memory whatever its name.
    pub memory: bool,
}

impl Default for OpenFlags {
    fn default() -> OpenFlags {
        OpenFlags { read_only: false, create: true, uri: false, memory: false }
    }
}

/// One database connection.
#[derive(Debug)]
pub struct Connection {
    filename: String,
    flags: OpenFlags,
    autocommit: bool,
    changes: i64,
    total_changes: i64,
    last_insert_rowid: i64,
}

impl Connection {
    /// Opens `filename` (`""` is a private temporary database, `":memory:"` a memory one).
    pub fn open(filename: &str, flags: OpenFlags) -> Result<Connection> {
        Ok(Connection {
            filename: filename.to_string(),
            flags,
            autocommit: true,
            changes: 0,
            total_changes: 0,
            last_insert_rowid: 0,
        })
    }

    pub fn filename(&self) -> &str {
        &self.filename
    }

    pub fn is_read_only(&self) -> bool {
        self.flags.read_only
    }

    /// True outside an explicit transaction (`sqlite3_get_autocommit`).
    pub fn is_autocommit(&self) -> bool {
        self.autocommit
    }

    pub fn changes(&self) -> i64 {
        self.changes
    }

    pub fn total_changes(&self) -> i64 {
        self.total_changes
    }

    pub fn last_insert_rowid(&self) -> i64 {
        self.last_insert_rowid
    }

    pub fn set_last_insert_rowid(&mut self, rowid: i64) {
        self.last_insert_rowid = rowid;
    }

    /// Compiles the first statement of `sql`. Returns the statement (None when `sql` holds only
    /// white space and comments) and the byte offset where the rest of `sql` begins.
    pub fn prepare(&mut self, sql: &str) -> Result<(Option<Statement>, usize)> {
        if sql.trim().is_empty() {
            return Ok((None, sql.len()));
        }
        Err(Error::not_supported("SQL execution"))
    }
}

/// A compiled statement. Not built yet: no value of this type can be made.
#[derive(Debug)]
pub struct Statement {
    _private: (),
}
