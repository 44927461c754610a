//! Code generation: from the typed AST to a VDBE [`Program`].
//!
//! Files by phase: this one holds the [`Builder`] (instructions, registers, cursors, labels),
//! name resolution ([`Scope`]) and the statement dispatcher; [`expr`] compiles expressions
//! ([`row_value`] the comparisons and IN of row values),
//! [`select`] SELECT (join order, loops with rowid/index lookups and index range scans, WHERE
//! placement, ORDER BY, aggregates, subqueries, views/CTEs materialized, recursive CTEs),
//! [`compound`] UNION/INTERSECT/EXCEPT, [`dml`] INSERT/UPDATE/DELETE with constraint checks,
//! conflict resolution, UPSERT, RETURNING, AUTOINCREMENT and index maintenance, [`ddl`]
//! CREATE/DROP/ALTER/REINDEX and BEGIN, [`pragma`] PRAGMA statements, [`eqp`] the rows of
//! EXPLAIN QUERY PLAN recorded where the plan is decided.
//!
//! Invariants:
//! 1. Labels are negative numbers until [`Builder::finish`] replaces every jump operand that
//!    holds one with the label's address; an unresolved label is an internal error.
//! 2. Column references are resolved innermost scope first; a reference that reaches an outer
//!    scope marks the subquery being compiled as correlated.
//! 3. Anything the generator does not build yet is refused with `Error::not_supported`, never
//!    compiled into a program that could give a wrong answer.

pub mod compound;
pub mod ddl;
pub mod dml;
pub mod eqp;
pub mod pragma;
pub mod expr;
pub mod row_value;
pub mod select;
pub mod window;

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::func::FuncRegistry;
use crate::schema::{Schema, Table};
use crate::sql::ast::{self, Expr, Stmt};
use crate::vdbe::{Op, Opcode, Program, P4};

/// A result column's name and declared type.
#[derive(Clone, Debug)]
pub struct OutColumn {
    pub name: String,
    pub decltype: Option<String>,
}

/// A compiled statement.
pub struct Compiled {
    pub program: Program,
    pub columns: Vec<OutColumn>,
    /// Parameter names by index (index 0 = parameter 1).
    pub params: Vec<Option<String>>,
    pub readonly: bool,
    /// EXPLAIN QUERY PLAN's rows: id, parent, detail.
    pub query_plan: Vec<(i32, i32, String)>,
}

/// Where a source's columns come from.
#[derive(Clone, Debug)]
pub enum RowSource {
    /// A b-tree cursor on the table.
    Cursor(i32),
    /// Registers: column i in base+i, the rowid in `rowid`.
    Regs { base: i32, rowid: i32 },
    /// A covering index scanned instead of its table: table column i is field `map[i]` of
    /// the index record, the rowid its last field.
    Index { cursor: i32, map: Arc<Vec<Option<usize>>>, name: Arc<str> },
}

/// One table visible to name resolution.
#[derive(Clone, Debug)]
pub struct Source {
    /// The alias, or the table's name.
    pub name: String,
    pub table: Arc<Table>,
    pub row: RowSource,
}

/// The tables visible at one level of a query; `parent` is the enclosing query's scope.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub sources: Vec<Source>,
    pub parent: Option<Box<Scope>>,
    /// (source index, lowercased column): columns of the right side of a USING/NATURAL join,
    /// which unqualified names and `*` do not see (the left side's column stands for both).
    pub hidden: Vec<(usize, String)>,
}

/// The instruction list under construction.
pub struct Builder<'a> {
    pub ops: Vec<Op>,
    pub n_mem: i32,
    pub n_cursor: i32,
    labels: Vec<Option<i32>>,
    pub schema: &'a Schema,
    pub funcs: &'a FuncRegistry,
    pub sql: &'a str,
    pub writes: bool,
    pub changes_schema: bool,
    /// The statement may fail after it changed something (several rows, REPLACE, DDL): it
    /// runs inside a statement savepoint when a transaction is open.
    pub needs_stmt_journal: bool,
    /// INSERT/UPDATE/DELETE (their halt sets `changes()`).
    pub counts_changes: bool,
    pub params: Vec<Option<String>>,
    /// Set when name resolution reached a parent scope (invariant 2).
    pub outer_refs: usize,
    /// Expressions already computed into registers (aggregate results, bare columns of an
    /// aggregate query): compiled as a copy of the register.
    pub expr_map: Vec<(Expr, i32)>,
    /// The cursor whose full scan runs backwards (ORDER BY rowid DESC delivered by the scan).
    pub reverse_scan: Option<i32>,
    /// Transactions to begin in the preamble: (write).
    pub txn: Option<bool>,
    /// BEGIN EXCLUSIVE: the preamble's write transaction takes the EXCLUSIVE lock at once.
    pub exclusive: bool,
    pub schema_cookie: u32,
    /// RETURNING of the DML statement being compiled: sorter cursor, expressions, the name
    /// the target table is known by.
    pub returning: Option<(i32, Vec<Expr>, String)>,
    /// When set, PRAGMA rows go into this sorter instead of ResultRow (table-valued
    /// `pragma_xxx(...)` in FROM).
    pub pragma_sink: Option<i32>,
    /// The row of a recursive CTE being expanded: name, shape, registers holding the row.
    pub cte_rows: Vec<(String, Arc<Table>, i32)>,
    /// Common table expressions in scope (innermost last): name, column names, body.
    pub ctes: Vec<(String, Vec<String>, Arc<ast::Select>)>,
    /// The collation of the first result column of the SELECT compiled last (explicit or a
    /// column's), for `x IN (SELECT ...)`.
    pub select_coll: Option<(String, bool)>,
    /// The affinity of that column's expression (a column without declared type: BLOB).
    pub select_aff: Option<crate::value::Affinity>,
    /// The collation and affinity of every result column of the SELECT compiled last.
    pub select_columns: Vec<(Option<String>, Option<crate::value::Affinity>)>,
    /// What EXPLAIN QUERY PLAN reports.
    pub plan: eqp::QueryPlan,
    /// Views being expanded (outermost first), lower-cased: a view met again inside its own
    /// expansion is "view v is circularly defined", not an endless recursion.
    pub expanding_views: Vec<String>,
}

fn is_jump(op: Opcode) -> bool {
    use Opcode::*;
    matches!(
        op,
        Init | Goto
            | Gosub
            | Eq
            | Ne
            | Lt
            | Le
            | Gt
            | Ge
            | IsNull
            | NotNull
            | If
            | IfNot
            | IfPos
            | IfNotPos
            | DecrJumpZero
            | MustBeInt
            | Rewind
            | Last
            | Next
            | Prev
            | SeekRowid
            | NotExists
            | SeekGE
            | SeekGT
            | SeekLE
            | SeekLT
            | IdxGT
            | IdxGE
            | IdxLT
            | IdxLE
            | Found
            | NotFound
            | SorterSort
            | SorterNext
            | RowSetRead
    )
}

impl<'a> Builder<'a> {
    pub fn new(schema: &'a Schema, funcs: &'a FuncRegistry, sql: &'a str) -> Builder<'a> {
        Builder {
            ops: Vec::new(),
            n_mem: 0,
            n_cursor: 0,
            labels: Vec::new(),
            schema,
            funcs,
            sql,
            writes: false,
            changes_schema: false,
            needs_stmt_journal: true,
            counts_changes: false,
            params: Vec::new(),
            outer_refs: 0,
            expr_map: Vec::new(),
            reverse_scan: None,
            txn: None,
            exclusive: false,
            schema_cookie: schema.cookie,
            ctes: Vec::new(),
            plan: eqp::QueryPlan::default(),
            returning: None,
            pragma_sink: None,
            cte_rows: Vec::new(),
            select_coll: None,
            select_aff: None,
            select_columns: Vec::new(),
            expanding_views: Vec::new(),
        }
    }

    /// Appends one instruction. Opening a b-tree cursor is what makes a statement need a
    /// transaction (as in SQLite, `SELECT 1` takes no lock and reads nothing from the file).
    pub fn emit(&mut self, opcode: Opcode, p1: i32, p2: i32, p3: i32) -> usize {
        match opcode {
            Opcode::OpenRead => self.use_txn(false),
            Opcode::OpenWrite => self.use_txn(true),
            _ => {}
        }
        self.ops.push(Op::new(opcode, p1, p2, p3));
        self.ops.len() - 1
    }

    pub fn emit4(&mut self, opcode: Opcode, p1: i32, p2: i32, p3: i32, p4: P4) -> usize {
        let a = self.emit(opcode, p1, p2, p3);
        self.ops[a].p4 = p4;
        a
    }

    pub fn set_p5(&mut self, addr: usize, p5: u16) {
        self.ops[addr].p5 = p5;
    }

    pub fn comment(&mut self, addr: usize, c: impl Into<String>) {
        self.ops[addr].comment = Some(c.into());
    }

    pub fn reg(&mut self) -> i32 {
        self.n_mem += 1;
        self.n_mem
    }

    pub fn regs(&mut self, n: usize) -> i32 {
        let base = self.n_mem + 1;
        self.n_mem += n as i32;
        base
    }

    pub fn cursor(&mut self) -> i32 {
        self.n_cursor += 1;
        self.n_cursor - 1
    }

    pub fn label(&mut self) -> i32 {
        self.labels.push(None);
        -(self.labels.len() as i32)
    }

    pub fn resolve(&mut self, label: i32) {
        let i = (-label - 1) as usize;
        self.labels[i] = Some(self.ops.len() as i32);
    }

    pub fn here(&self) -> i32 {
        self.ops.len() as i32
    }

    /// Notes that the statement needs a transaction (write or read).
    pub fn use_txn(&mut self, write: bool) {
        self.txn = Some(write || self.txn.unwrap_or(false));
        if write {
            self.writes = true;
        }
    }

    fn fix(&self, v: i32) -> Result<i32> {
        if v < 0 {
            let i = (-v - 1) as usize;
            self.labels.get(i).copied().flatten().ok_or_else(|| Error::new(crate::error::code::INTERNAL, "unresolved label"))
        } else {
            Ok(v)
        }
    }

    /// Appends the preamble (transaction, back to the start) and resolves labels.
    pub fn finish(mut self) -> Result<Program> {
        let halt = self.emit(Opcode::Halt, 0, 0, 0);
        let _ = halt;
        if self.ops.first().map(|o| o.opcode) != Some(Opcode::Init) {
            return Err(Error::new(crate::error::code::INTERNAL, "program without Init"));
        }
        let preamble = self.here();
        if let Some(write) = self.txn {
            let level = if write && self.exclusive { 2 } else { write as i32 };
            let a = self.emit4(Opcode::Transaction, 0, level, self.schema_cookie as i32, P4::Int64(self.needs_stmt_journal as i64));
            self.set_p5(a, 1);
        }
        self.emit(Opcode::Goto, 0, 1, 0);
        self.ops[0].p2 = preamble;
        for i in 0..self.ops.len() {
            let op = self.ops[i].opcode;
            if op == Opcode::Jump {
                let (a, b, c) = (self.ops[i].p1, self.ops[i].p2, self.ops[i].p3);
                self.ops[i].p1 = self.fix(a)?;
                self.ops[i].p2 = self.fix(b)?;
                self.ops[i].p3 = self.fix(c)?;
            } else if is_jump(op) {
                let p2 = self.ops[i].p2;
                self.ops[i].p2 = self.fix(p2)?;
            }
        }
        Ok(Program {
            ops: self.ops,
            n_mem: self.n_mem as usize + 1,
            n_cursor: self.n_cursor as usize,
            writes: self.writes,
            changes_schema: self.changes_schema,
            counts_changes: self.counts_changes,
        })
    }

    /// Reads column `i` of `table` from `cursor` into `target`; rows written before the column
    /// was added (ALTER TABLE ADD COLUMN) read its default, a REAL column's integers read as
    /// reals.
    pub fn column(&mut self, cursor: i32, table: &Table, i: usize, target: i32) {
        let a = self.emit(Opcode::Column, cursor, table.record_field(i) as i32, target);
        if let Some(v) = table.columns.get(i).and_then(column_default_value) {
            self.ops[a].p4 = P4::Value(v);
        }
        // SQLite stores a REAL column's integral values as integers.
        if table.columns.get(i).is_some_and(|c| c.affinity == crate::value::Affinity::Real) {
            self.emit(Opcode::RealAffinity, target, 0, 0);
        }
    }

    /// Opens `cursor` on `table`'s b-tree with `opcode` (OpenRead/OpenWrite): a table b-tree,
    /// or for a WITHOUT ROWID table the index b-tree keyed by its PRIMARY KEY.
    pub fn open_table(&mut self, opcode: Opcode, cursor: i32, table: &Table) -> Result<usize> {
        let p4 = if table.pk.is_empty() {
            P4::Int64(table.columns.len() as i64)
        } else {
            P4::KeyInfo(ddl::index_key_info(table, &table.pk)?)
        };
        Ok(self.emit4(opcode, cursor, table.root as i32, 0, p4))
    }

    pub fn table(&self, name: &ast::QualifiedName) -> Result<Arc<Table>> {
        if let Some(s) = &name.schema {
            if !s.eq_ignore_ascii_case("main") {
                return Err(Error::sql(format!("unknown database {s}")));
            }
        }
        if name.name.eq_ignore_ascii_case("sqlite_schema") || name.name.eq_ignore_ascii_case("sqlite_master") {
            return Ok(Arc::new(crate::schema::schema_table()));
        }
        if let Some(msg) = self.schema.unsupported.get(&name.name.to_ascii_lowercase()) {
            return Err(Error::sql(msg.clone()));
        }
        match self.schema.table(&name.name) {
            Some(t) => Ok(Arc::clone(t)),
            None if self.schema.views.contains_key(&name.name.to_ascii_lowercase()) => {
                Err(Error::sql(format!("cannot modify {} because it is a view", name.name)))
            }
            None => Err(Error::sql(format!("no such table: {}", name.name))),
        }
    }
}

/// A column's DEFAULT as a constant value, when it is a literal (possibly signed).
pub fn column_default_value(c: &crate::schema::Column) -> Option<crate::value::Value> {
    use crate::value::Value;
    fn lit(e: &Expr) -> Option<Value> {
        match e {
            Expr::Literal(ast::Literal::Null) => None,
            Expr::Literal(ast::Literal::Integer(i)) => Some(Value::Integer(*i)),
            Expr::Literal(ast::Literal::Real(r)) => Some(Value::Real(*r)),
            Expr::Literal(ast::Literal::String(s)) => Some(Value::text(s)),
            Expr::Literal(ast::Literal::Blob(b)) => Some(Value::Blob(b.clone())),
            Expr::Unary { op: ast::UnaryOp::Negate, expr } => match lit(expr)? {
                Value::Integer(i) => Some(Value::Integer(i.checked_neg()?)),
                Value::Real(r) => Some(Value::Real(-r)),
                _ => None,
            },
            Expr::Unary { op: ast::UnaryOp::Plus, expr } => lit(expr),
            _ => None,
        }
    }
    c.default.as_ref().and_then(lit)
}

/// Compiles one statement.
pub fn compile(stmt: &Stmt, schema: &Schema, funcs: &FuncRegistry, sql: &str) -> Result<Compiled> {
    let mut b = Builder::new(schema, funcs, sql);
    b.emit(Opcode::Init, 0, 0, 0);
    let mut columns = Vec::new();
    match stmt {
        Stmt::Select(s) => {
            columns = select::compile_select_stmt(&mut b, s)?;
        }
        Stmt::Insert(i) => {
            b.counts_changes = true;
            columns = dml::insert(&mut b, i)?
        }
        Stmt::Update(u) => {
            b.counts_changes = true;
            columns = dml::update(&mut b, u)?
        }
        Stmt::Delete(d) => {
            b.counts_changes = true;
            columns = dml::delete(&mut b, d)?
        }
        Stmt::CreateTable(c) => ddl::create_table(&mut b, c)?,
        Stmt::CreateIndex(c) => ddl::create_index(&mut b, c)?,
        Stmt::CreateView(c) => ddl::create_view(&mut b, c)?,
        Stmt::Drop { kind, if_exists, name } => ddl::drop(&mut b, *kind, *if_exists, name)?,
        Stmt::Begin(kind) => ddl::begin(&mut b, *kind),
        Stmt::Commit => {
            b.emit(Opcode::AutoCommit, 1, 0, 0);
        }
        Stmt::Rollback { savepoint: None } => {
            b.emit(Opcode::AutoCommit, 1, 1, 0);
        }
        Stmt::Rollback { savepoint: Some(n) } => {
            b.emit4(Opcode::Savepoint, 2, 0, 0, P4::Text(n.to_string()));
        }
        Stmt::Savepoint(n) => {
            b.emit4(Opcode::Savepoint, 0, 0, 0, P4::Text(n.to_string()));
        }
        Stmt::Release(n) => {
            b.emit4(Opcode::Savepoint, 1, 0, 0, P4::Text(n.to_string()));
        }
        Stmt::Explain { .. } => return Err(Error::not_supported("nested EXPLAIN")),
        Stmt::CreateTrigger(c) => ddl::create_trigger(&mut b, c)?,
        Stmt::CreateVirtualTable(_) => return Err(Error::not_supported("CREATE VIRTUAL TABLE")),
        Stmt::AlterTable(a) => columns = ddl::alter_table(&mut b, a)?,
        Stmt::Attach { .. } => return Err(Error::not_supported("ATTACH")),
        Stmt::Detach(_) => return Err(Error::not_supported("DETACH")),
        Stmt::Pragma(p) => columns = pragma::pragma(&mut b, p)?,
        Stmt::Vacuum { .. } => return Err(Error::not_supported("VACUUM")),
        Stmt::Analyze(_) => return Err(Error::not_supported("ANALYZE")),
        Stmt::Reindex(n) => ddl::reindex(&mut b, n.as_ref())?,
    }
    let params = std::mem::take(&mut b.params);
    let readonly = !b.writes;
    let query_plan = std::mem::take(&mut b.plan.rows);
    let program = b.finish()?;
    Ok(Compiled { program, columns, params, readonly, query_plan })
}
