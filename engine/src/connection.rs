//! `Connection` and `Statement`: the engine's public API, the one `capi` wraps.
//!
//! A connection owns its databases (main, temp, attached) and their pagers; a statement is a
//! compiled program that does not borrow its connection: `step` takes the connection, as the
//! C API's statement keeps a pointer to its `sqlite3` and locks its mutex on each call.
//!
//! Built so far: opening validates the name and the flags and remembers them. SQL execution is
//! not built yet: `prepare` answers with a clear "not supported yet" error.

use crate::error::{Error, Result};
use crate::value::Value;

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

/// What one `step` produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepResult {
    /// A result row is ready: read it with [`Statement::column`].
    Row,
    /// The statement has run to completion.
    Done,
}

/// One result column's description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The name `sqlite3_column_name` reports (the AS alias, or the expression's text).
    pub name: String,
    /// The declared type of the source column, for `sqlite3_column_decltype`.
    pub decltype: Option<String>,
}

/// A compiled statement: its program, its parameters and its current row.
///
/// Invariants: `params.len()` is the largest parameter number used; `row` holds
/// `columns.len()` values while the last step returned `Row` and is empty otherwise.
#[derive(Debug)]
pub struct Statement {
    sql: String,
    columns: Vec<ColumnInfo>,
    /// Parameter names by number (1-based number = index + 1); None for plain `?`.
    param_names: Vec<Option<String>>,
    params: Vec<Value>,
    row: Vec<Value>,
    readonly: bool,
    /// Stepped at least once since the last reset, and not yet done.
    running: bool,
}

impl Statement {
    /// The SQL text of this statement (without the tail).
    pub fn sql(&self) -> &str {
        &self.sql
    }

    pub fn column_count(&self) -> usize {
        self.columns.len()
    }

    pub fn column_info(&self, i: usize) -> Option<&ColumnInfo> {
        self.columns.get(i)
    }

    /// The current row's values (empty unless the last step returned `Row`).
    pub fn row(&self) -> &[Value] {
        &self.row
    }

    pub fn parameter_count(&self) -> usize {
        self.params.len()
    }

    /// The name of parameter `n` (1-based), with its prefix character (`:a`, `$b`, `?3`).
    pub fn parameter_name(&self, n: usize) -> Option<&str> {
        self.param_names.get(n.checked_sub(1)?)?.as_deref()
    }

    /// The number of the parameter named `name`, or 0.
    pub fn parameter_index(&self, name: &str) -> usize {
        self.param_names
            .iter()
            .position(|p| p.as_deref() == Some(name))
            .map_or(0, |i| i + 1)
    }

    /// Binds parameter `n` (1-based); `SQLITE_RANGE` when there is no such parameter.
    pub fn bind(&mut self, n: usize, v: Value) -> Result<()> {
        match n.checked_sub(1).and_then(|i| self.params.get_mut(i)) {
            Some(slot) => {
                *slot = v;
                Ok(())
            }
            None => Err(Error::from_code(crate::error::code::RANGE)),
        }
    }

    pub fn clear_bindings(&mut self) {
        self.params.iter_mut().for_each(|p| *p = Value::Null);
    }

    /// True when the statement makes no direct change to the database.
    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// True between the first step and the reset or completion (`sqlite3_stmt_busy`).
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Runs the statement to its next row or to completion.
    pub fn step(&mut self, _conn: &mut Connection) -> Result<StepResult> {
        self.row.clear();
        self.running = false;
        Err(Error::not_supported("SQL execution"))
    }

    /// Rewinds the statement so the next step starts it again; bindings are kept.
    pub fn reset(&mut self) {
        self.row.clear();
        self.running = false;
    }
}
