//! `Connection` and `Statement`: the engine's public API, the one `capi` wraps.
//!
//! A connection owns its database (a `Btree` over a pager over a VFS), its schema and its
//! functions; a statement is a compiled VDBE program that does not borrow its connection:
//! `step` takes the connection, as the C API's statement keeps a pointer to its `sqlite3` and
//! locks its mutex on each call.
//!
//! Invariants:
//! 1. The schema is re-read from sqlite_schema when a statement changed it (ParseSchema) and
//!    when a statement finds the schema cookie changed (SQLITE_SCHEMA); in the latter case
//!    the statement is recompiled and run again once, as `sqlite3_prepare_v2` statements are.
//! 2. Names are read by `crate::uri` (plain names, `:memory:`, `""`, `file:` URIs with their
//!    `mode`, `immutable`, `nolock`, ...): memory and temporary databases are private memory
//!    databases; any other name is a file through the unix VFS.

use std::sync::Arc;

use crate::btree::{Btree, TreeKind};
use crate::error::{code, Error, Result};
use crate::func::FuncRegistry;
use crate::pager::PagerOptions;
use crate::record::RecordReader;
use crate::schema::Schema;
use crate::value::Value;
use crate::vdbe::{DbState, Program, Vm, VmStep};

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
pub struct Connection {
    filename: String,
    flags: OpenFlags,
    pub(crate) db: DbState,
    schema: Arc<Schema>,
    funcs: FuncRegistry,
    /// `sqlite3_busy_timeout`: how long a statement that meets a lock retries (0: never).
    busy_timeout_ms: i32,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").field("filename", &self.filename).finish()
    }
}

impl Connection {
    /// Opens `filename` (`""` is a private temporary database, `":memory:"` a memory one).
    pub fn open(filename: &str, flags: OpenFlags) -> Result<Connection> {
        Connection::open_on(filename, flags, None)
    }

    /// Opens `filename` through `vfs` instead of the unix VFS (memory and temporary databases
    /// stay private memory databases). Tests use it to run SQL over the simulation VFS.
    pub fn open_with_vfs(filename: &str, flags: OpenFlags, vfs: Arc<dyn crate::vfs::Vfs>) -> Result<Connection> {
        Connection::open_on(filename, flags, Some(vfs))
    }

    fn open_on(filename: &str, flags: OpenFlags, vfs: Option<Arc<dyn crate::vfs::Vfs>>) -> Result<Connection> {
        let name = crate::uri::parse(filename, flags.read_only, flags.create, flags.uri)?;
        let flags = OpenFlags { read_only: name.read_only, create: name.create, ..flags };
        let btree = if flags.memory || name.memory || name.temp {
            Btree::open_memory()?
        } else {
            let vfs: Arc<dyn crate::vfs::Vfs> = match vfs {
                Some(v) => v,
                None => Arc::new(crate::vfs::unix::UnixVfs::new()),
            };
            let options = PagerOptions {
                read_only: name.read_only,
                create: name.create,
                memory: false,
                no_lock: name.nolock,
                immutable: name.immutable,
            };
            Btree::open(vfs, &name.path, options)?
        };
        let mut conn = Connection {
            filename: filename.to_string(),
            flags,
            db: DbState::new(btree),
            schema: Arc::new(Schema::default()),
            funcs: FuncRegistry::with_builtins(),
            busy_timeout_ms: 0,
        };
        conn.load_schema()?;
        Ok(conn)
    }

    /// Reloads the schema when the file's schema cookie differs from the one it was read
    /// with; true when it did. A cookie that cannot be read (the file is locked) counts as
    /// unchanged.
    fn reload_schema_if_changed(&mut self) -> Result<bool> {
        let bt = &mut self.db.btree;
        let idle = self.db.autocommit && self.db.active_vms == 0 && !bt.in_write_transaction();
        if bt.begin_read().is_err() {
            return Ok(false);
        }
        let cookie = bt.get_meta(crate::pager::header::META_SCHEMA_VERSION);
        if idle {
            bt.end_read()?;
        }
        if cookie? == self.schema.cookie {
            return Ok(false);
        }
        self.load_schema()?;
        Ok(true)
    }

    /// Reads sqlite_schema into schema objects.
    fn load_schema(&mut self) -> Result<()> {
        let bt = &mut self.db.btree;
        bt.begin_read()?;
        let result = (|| -> Result<Schema> {
            let mut schema = Schema { cookie: bt.get_meta(crate::pager::header::META_SCHEMA_VERSION)?, ..Schema::default() };
            if bt.pager().page_count() == 0 {
                return Ok(schema);
            }
            let mut cur = bt.cursor(1, TreeKind::Table, false, None);
            let mut reader = RecordReader::new();
            let mut ok = cur.first(bt)?;
            let mut rows = Vec::new();
            while ok {
                let payload = cur.payload(bt)?.to_vec();
                reader.parse(&payload)?;
                let vals = reader.values(&payload)?;
                rows.push(vals);
                ok = cur.next(bt)?;
            }
            for v in rows {
                let text = |i: usize| match v.get(i) {
                    Some(Value::Text(t)) => Some(String::from_utf8_lossy(t).into_owned()),
                    _ => None,
                };
                let root = match v.get(3) {
                    Some(Value::Integer(i)) => *i as u32,
                    _ => 0,
                };
                let (Some(kind), Some(name)) = (text(0), text(1)) else { continue };
                let tbl = text(2).unwrap_or_default();
                schema.add_row(&kind, &name, &tbl, root, text(4).as_deref())?;
            }
            crate::schema::resolve_index_columns(&mut schema)?;
            Ok(schema)
        })();
        if self.db.autocommit && self.db.active_vms == 0 && !self.db.btree.in_write_transaction() {
            self.db.btree.end_read()?;
        }
        self.schema = Arc::new(result?);
        self.db.schema_stale = false;
        Ok(())
    }

    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// No statement runs and no transaction is open (a backup may write here).
    pub fn is_idle(&self) -> bool {
        self.db.autocommit && self.db.active_vms == 0 && !self.db.btree.in_write_transaction()
    }

    /// The schema as last read.
    pub(crate) fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Rereads the schema when a statement found it stale, or when the file's schema cookie
    /// says another connection changed it.
    pub(crate) fn refresh_schema(&mut self) -> Result<()> {
        if self.db.schema_stale {
            self.load_schema()
        } else {
            self.reload_schema_if_changed().map(|_| ())
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.flags.read_only
    }

    /// True outside an explicit transaction (`sqlite3_get_autocommit`).
    pub fn is_autocommit(&self) -> bool {
        self.db.autocommit
    }

    pub fn changes(&self) -> i64 {
        self.db.changes
    }

    pub fn total_changes(&self) -> i64 {
        self.db.total_changes
    }

    pub fn last_insert_rowid(&self) -> i64 {
        self.db.last_insert_rowid
    }

    pub fn set_last_insert_rowid(&mut self, rowid: i64) {
        self.db.last_insert_rowid = rowid;
    }

    /// The interrupt flag and the progress and busy handlers running statements consult.
    pub fn hooks_mut(&mut self) -> &mut crate::vdbe::hooks::VmHooks {
        &mut self.db.hooks
    }

    /// Sets the busy timeout (`sqlite3_busy_timeout`): installs SQLite's sleeping busy handler
    /// for `ms` milliseconds; 0 or less removes any busy handler.
    pub fn set_busy_timeout(&mut self, ms: i32) {
        self.busy_timeout_ms = ms.max(0);
        self.db.hooks.busy = (ms > 0).then(|| crate::vdbe::hooks::timeout_handler(ms));
    }

    pub fn busy_timeout(&self) -> i32 {
        self.busy_timeout_ms
    }

    /// The functions of this connection (to register user functions).
    pub fn functions_mut(&mut self) -> &mut FuncRegistry {
        &mut self.funcs
    }

    fn compile(&mut self, sql: &str) -> Result<(Option<Statement>, usize)> {
        self.db.settle_orphans()?;
        if self.db.schema_stale {
            self.load_schema()?;
        }
        let Some((stmt, tail)) = crate::sql::parse_one(sql).map_err(Error::from)? else {
            return Ok((None, sql.len()));
        };
        // sqlite3_sql gives the text from where prepare started to the end of the statement.
        let text = sql[..tail].to_string();
        let (explain, inner) = match &stmt {
            crate::sql::ast::Stmt::Explain { query_plan, stmt } => (if *query_plan { 2 } else { 1 }, &**stmt),
            s => (0, s),
        };
        let compiled = match crate::plan::compile(inner, &self.schema, &self.funcs, &sql[..tail]) {
            Ok(c) => c,
            // A name may be missing only because another connection changed the schema since
            // we read it: as SQLite does, check the schema cookie and compile once more.
            Err(e) => match self.reload_schema_if_changed() {
                Ok(true) => crate::plan::compile(inner, &self.schema, &self.funcs, &sql[..tail])?,
                _ => return Err(e),
            },
        };
        let mut columns: Vec<ColumnInfo> =
            compiled.columns.into_iter().map(|c| ColumnInfo { name: c.name, decltype: c.decltype }).collect();
        let program = Arc::new(compiled.program);
        let explain_rows = match explain {
            1 => {
                columns = crate::vdbe::explain::COLUMNS.iter().map(|n| ColumnInfo { name: n.to_string(), decltype: None }).collect();
                Some(crate::vdbe::explain::rows(&program))
            }
            2 => {
                columns = crate::vdbe::explain::PLAN_COLUMNS.iter().map(|n| ColumnInfo { name: n.to_string(), decltype: None }).collect();
                Some(crate::vdbe::explain::plan_rows(&compiled.query_plan))
            }
            _ => None,
        };
        let n_params = compiled.params.len();
        Ok((
            Some(Statement {
                sql: text,
                columns,
                param_names: compiled.params,
                params: vec![Value::Null; n_params],
                on_row: false,
                readonly: compiled.readonly || explain != 0,
                running: false,
                vm: Vm::new(Arc::clone(&program)),
                explain_rows,
                explain,
                explain_pos: 0,
                orphans: Arc::clone(&self.db.orphans),
            }),
            tail,
        ))
    }

    /// Compiles the first statement of `sql`. Returns the statement (None when `sql` holds only
    /// white space and comments) and the byte offset where the rest of `sql` begins.
    pub fn prepare(&mut self, sql: &str) -> Result<(Option<Statement>, usize)> {
        self.compile(sql)
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
/// Invariants: `params.len()` is the largest parameter number used; `on_row` is true exactly
/// while the last step returned `Row`, and then [`Statement::row`] reads the row in place (the
/// VM's result registers, or the EXPLAIN row) without copying it.
pub struct Statement {
    sql: String,
    columns: Vec<ColumnInfo>,
    /// Parameter names by number (1-based number = index + 1); None for plain `?`.
    param_names: Vec<Option<String>>,
    params: Vec<Value>,
    on_row: bool,
    readonly: bool,
    /// Stepped at least once since the last reset, and not yet done.
    running: bool,
    vm: Vm,
    /// EXPLAIN: the rows to return instead of running the program.
    explain_rows: Option<Vec<Vec<Value>>>,
    /// 0: not EXPLAIN; 1: EXPLAIN; 2: EXPLAIN QUERY PLAN (`sqlite3_stmt_isexplain`).
    explain: u8,
    explain_pos: usize,
    orphans: crate::vdbe::Orphans,
}

impl Drop for Statement {
    fn drop(&mut self) {
        if let Some(sp) = self.vm.abandon() {
            self.orphans.push(sp);
        }
    }
}

impl std::fmt::Debug for Statement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statement").field("sql", &self.sql).finish()
    }
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

    /// 1 for an EXPLAIN statement, 2 for EXPLAIN QUERY PLAN, else 0.
    pub fn explain_kind(&self) -> u8 {
        self.explain
    }

    /// The current row's values (empty unless the last step returned `Row`).
    pub fn row(&self) -> &[Value] {
        if !self.on_row {
            return &[];
        }
        match &self.explain_rows {
            Some(rows) => self.explain_pos.checked_sub(1).and_then(|i| rows.get(i)).map_or(&[], |r| r.as_slice()),
            None => self.vm.row(),
        }
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
    pub fn step(&mut self, conn: &mut Connection) -> Result<StepResult> {
        self.on_row = false;
        if let Some(rows) = &self.explain_rows {
            return Ok(match rows.get(self.explain_pos) {
                Some(_) => {
                    self.on_row = true;
                    self.explain_pos += 1;
                    self.running = true;
                    StepResult::Row
                }
                None => {
                    self.running = false;
                    StepResult::Done
                }
            });
        }
        conn.db.settle_orphans()?;
        if conn.db.schema_stale && !self.vm.is_running() {
            conn.load_schema()?;
            self.recompile(conn)?;
        }
        let mut retried = false;
        loop {
            self.running = true;
            match self.vm.step(&mut conn.db, &self.params) {
                Ok(VmStep::Row) => {
                    self.on_row = true;
                    return Ok(StepResult::Row);
                }
                Ok(VmStep::Done) => {
                    self.running = false;
                    if conn.db.schema_stale {
                        conn.load_schema()?;
                    }
                    return Ok(StepResult::Done);
                }
                Err(e) if e.primary() == code::SCHEMA && !retried => {
                    retried = true;
                    conn.load_schema()?;
                    self.recompile(conn)?;
                }
                Err(e) => {
                    self.running = false;
                    if conn.db.schema_stale {
                        let _ = conn.load_schema();
                    }
                    return Err(e);
                }
            }
        }
    }

    fn recompile(&mut self, conn: &mut Connection) -> Result<()> {
        let (stmt, _) = conn.compile(&self.sql.clone())?;
        let mut stmt = stmt.ok_or_else(|| Error::from_code(code::SCHEMA))?;
        std::mem::swap(&mut self.vm, &mut stmt.vm);
        self.columns = std::mem::take(&mut stmt.columns);
        self.explain_rows = stmt.explain_rows.take();
        Ok(())
    }

    /// The compiled program (for tests and EXPLAIN).
    pub fn program(&self) -> &Program {
        &self.vm.program
    }

    /// Rewinds the statement, given its connection, so that a statement stopped early ends
    /// its transaction (`sqlite3_reset`).
    pub fn reset_with(&mut self, conn: &mut Connection) {
        if self.vm.is_running() {
            let _ = self.vm.finish(&mut conn.db, None, 0);
        }
        self.reset();
    }

    /// Rewinds the statement so the next step starts it again; bindings are kept.
    /// Without the connection a running program cannot end its transaction: callers that
    /// have it use [`Statement::reset_with`].
    pub fn reset(&mut self) {
        self.on_row = false;
        self.running = false;
        self.explain_pos = 0;
        if let Some(sp) = self.vm.abandon() {
            self.orphans.push(sp);
        }
    }
}
