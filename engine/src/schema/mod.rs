//! Schema objects read from `sqlite_schema`: tables (columns, declared types, affinities,
//! INTEGER PRIMARY KEY, constraints), indexes (including the automatic ones SQLite makes for
//! PRIMARY KEY and UNIQUE constraints) and views.
//!
//! The text in `sqlite_schema.sql` is parsed with the SQL parser; nothing else is stored, so a
//! database moves freely between SQLite and Ferrolite.
//!
//! Invariants:
//! 1. Names are compared ASCII case-insensitively; maps are keyed by the lowercased name.
//! 2. A table's `ipk` is the column that aliases the rowid (declared type exactly `INTEGER`,
//!    ASC or no order, as its only PRIMARY KEY column); that column is stored as NULL in the
//!    record and read with `Rowid`.
//! 3. `sqlite_autoindex_<table>_<N>` is the N-th PRIMARY KEY/UNIQUE constraint of the table
//!    that needs an index, counting column constraints first then table constraints, in order.
//! 4. A WITHOUT ROWID table (`pk` non-empty) is stored in an index b-tree rooted at `root`
//!    whose records are the PRIMARY KEY columns in key order (a column named twice is kept
//!    once), then the other columns in table order ([`Table::record_field`]). Its PRIMARY KEY
//!    has no sqlite_schema row of its own (the table's b-tree is that index) but still takes
//!    its number N among the automatic indexes; [`Table::pk_index`] stands for it. Its PK
//!    columns are NOT NULL. Entries of its other indexes are the indexed columns, then the
//!    PK columns not already among them (same column and collation), in place of a rowid
//!    ([`Table::index_key_columns`]).
//! 5. An index column is a table column, the rowid ([`ROWID_COLUMN`]) or an expression over
//!    the table's columns ([`EXPR_COLUMN`], with its expression); a partial index has its
//!    WHERE. Only [`Index::is_plain`] indexes (neither) serve lookups; the others are kept up
//!    to date by every write all the same.

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::sql::ast::{self, ColumnConstraintKind, CreateTableBody, Expr, ResolveType, SortOrder, Stmt, TableConstraintKind};
use crate::value::Affinity;

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// The declared type as written ("" when none).
    pub decl_type: String,
    pub affinity: Affinity,
    pub not_null: bool,
    pub default: Option<Expr>,
    /// The DEFAULT clause's text, as `PRAGMA table_info` reports it.
    pub default_text: Option<String>,
    /// COLLATE name, if any.
    pub collation: Option<String>,
    pub primary_key: bool,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub root: u32,
    pub columns: Vec<Column>,
    /// The rowid alias column (invariant 2).
    pub ipk: Option<usize>,
    pub without_rowid: bool,
    pub checks: Vec<Check>,
    pub sql: String,
    /// Conflict resolution of the INTEGER PRIMARY KEY (or of a WITHOUT ROWID table's PRIMARY
    /// KEY), if given.
    pub ipk_conflict: Option<ResolveType>,
    pub autoincrement: bool,
    /// WITHOUT ROWID tables: the PRIMARY KEY columns in key order (invariant 4); empty for
    /// rowid tables.
    pub pk: Vec<IndexColumn>,
    /// WITHOUT ROWID tables: the N of the PRIMARY KEY's `sqlite_autoindex_<table>_<N>`.
    pub pk_autoindex: usize,
    /// A STRICT table: every column has one of [`STRICT_TYPES`], and a value of another type
    /// is refused ([`Table::strict_type`]).
    pub strict: bool,
}

/// The column types a STRICT table allows, as SQLite names them in its messages.
pub const STRICT_TYPES: [&str; 6] = ["ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"];

impl Table {
    /// A STRICT table's type of column `i` as SQLite names it (`INT`, `TEXT`, ...; ANY for a
    /// column that takes any value); None for other tables.
    pub fn strict_type(&self, i: usize) -> Option<&'static str> {
        let decl = &self.columns.get(i)?.decl_type;
        self.strict.then(|| STRICT_TYPES.iter().copied().find(|s| s.eq_ignore_ascii_case(decl)).unwrap_or("ANY"))
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The collation an index column compares with: its own, else its table column's.
    pub fn effective_collation(&self, c: &IndexColumn) -> Option<String> {
        c.collation.clone().or_else(|| (c.column >= 0).then(|| self.columns.get(c.column as usize).and_then(|x| x.collation.clone())).flatten())
    }

    pub fn same_key_column(&self, a: &IndexColumn, b: &IndexColumn) -> bool {
        let up = |c: Option<String>| c.map_or_else(|| "BINARY".to_string(), |s| s.to_ascii_uppercase());
        a.column == b.column && up(self.effective_collation(a)) == up(self.effective_collation(b))
    }

    /// The field of the stored record that holds column `i` (invariant 4; `i` for rowid
    /// tables).
    pub fn record_field(&self, i: usize) -> usize {
        if self.pk.is_empty() {
            return i;
        }
        if let Some(p) = self.pk.iter().position(|c| c.column == i as i32) {
            return p;
        }
        self.pk.len() + (0..i).filter(|&j| !self.pk.iter().any(|c| c.column == j as i32)).count()
    }

    /// Table columns in stored-record order.
    pub fn record_order(&self) -> Vec<usize> {
        if self.pk.is_empty() {
            return (0..self.columns.len()).collect();
        }
        let mut v: Vec<usize> = self.pk.iter().map(|c| c.column as usize).collect();
        v.extend((0..self.columns.len()).filter(|&j| !self.pk.iter().any(|c| c.column == j as i32)));
        v
    }

    /// The key columns stored in the entries of an index over `cols` on this table: `cols`,
    /// then (WITHOUT ROWID) the PK columns not among them (invariant 4). Rowid tables' entries
    /// end with the rowid, which this list leaves out.
    pub fn index_key_columns(&self, cols: &[IndexColumn]) -> Vec<IndexColumn> {
        let mut v = cols.to_vec();
        for p in &self.pk {
            if !cols.iter().any(|c| self.same_key_column(c, p)) {
                v.push(p.clone());
            }
        }
        v
    }

    /// SQLite's message when a row would repeat the key of unique index `name` over `cols`:
    /// the columns by name, or the index by name when it has an expression.
    pub fn unique_failed(&self, name: &str, cols: &[IndexColumn]) -> String {
        if cols.iter().any(|c| c.expr.is_some()) {
            return format!("UNIQUE constraint failed: index '{name}'");
        }
        let names: Vec<String> = cols
            .iter()
            .map(|c| match self.columns.get(c.column as usize) {
                Some(col) if c.column >= 0 => format!("{}.{}", self.name, col.name),
                _ => format!("{}.rowid", self.name),
            })
            .collect();
        format!("UNIQUE constraint failed: {}", names.join(", "))
    }

    /// The field of an entry of the index over `cols` that holds PK column `p` (WITHOUT
    /// ROWID tables).
    pub fn index_pk_field(&self, cols: &[IndexColumn], p: &IndexColumn) -> usize {
        let keys = self.index_key_columns(cols);
        keys.iter().position(|c| self.same_key_column(c, p)).expect("index_key_columns holds every PK column")
    }

    /// WITHOUT ROWID tables: the PRIMARY KEY index that is the table's own b-tree (no
    /// sqlite_schema row), named as SQLite names it.
    pub fn pk_index(&self) -> Option<Index> {
        if self.pk.is_empty() {
            return None;
        }
        Some(Index {
            name: format!("sqlite_autoindex_{}_{}", self.name, self.pk_autoindex),
            table: self.name.clone(),
            root: self.root,
            columns: self.pk.clone(),
            unique: true,
            where_clause: None,
            sql: None,
            on_conflict: None,
            is_primary_key: true,
        })
    }
}

/// One column of an index: a table column (or [`ROWID_COLUMN`] for the rowid, or
/// [`EXPR_COLUMN`] for an expression) and its order.
#[derive(Clone, Debug)]
pub struct IndexColumn {
    pub column: i32,
    pub desc: bool,
    pub collation: Option<String>,
    /// The expression of an [`EXPR_COLUMN`] (without its COLLATE), over the table's columns.
    pub expr: Option<Expr>,
}

/// [`IndexColumn::column`] of the rowid.
pub const ROWID_COLUMN: i32 = -1;
/// [`IndexColumn::column`] of an expression (SQLite's XN_EXPR; `cid` -2 in index_xinfo).
pub const EXPR_COLUMN: i32 = -2;

#[derive(Clone, Debug)]
pub struct Index {
    pub name: String,
    pub table: String,
    pub root: u32,
    pub columns: Vec<IndexColumn>,
    pub unique: bool,
    /// Partial index condition: only rows for which it is true have an entry.
    pub where_clause: Option<Expr>,
    pub sql: Option<String>,
    pub on_conflict: Option<ResolveType>,
    /// An index made for a PRIMARY KEY constraint.
    pub is_primary_key: bool,
}

/// A CHECK constraint: its expression, and the name its failure reports (the constraint's
/// name, else its text as written).
#[derive(Clone, Debug)]
pub struct Check {
    pub expr: Expr,
    pub name: String,
}

impl Check {
    fn new(expr: &Expr, name: Option<&str>, text: &str) -> Check {
        Check { expr: expr.clone(), name: name.map_or_else(|| text.to_string(), str::to_string) }
    }
}

impl Index {
    /// Whether the planner may use this index to find rows: it has an entry for every row
    /// (not partial) keyed by columns (no expression). Other indexes are only maintained.
    pub fn is_plain(&self) -> bool {
        self.where_clause.is_none() && self.columns.iter().all(|c| c.expr.is_none())
    }
}

#[derive(Clone, Debug)]
pub struct View {
    pub name: String,
    pub columns: Vec<String>,
    pub select: ast::Select,
    pub sql: String,
}

/// One database's schema.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub tables: HashMap<String, Arc<Table>>,
    pub indexes: HashMap<String, Arc<Index>>,
    pub views: HashMap<String, Arc<View>>,
    /// Names of triggers (not executed yet).
    pub triggers: HashMap<String, String>,
    /// The schema cookie this was read at.
    pub cookie: u32,
    /// Tables present in the file that Ferrolite cannot use yet (name -> the error to give).
    pub unsupported: HashMap<String, String>,
}

/// `sqlite_schema` itself.
pub fn schema_table() -> Table {
    let col = |n: &str, t: &str| Column {
        name: n.into(),
        decl_type: t.into(),
        affinity: Affinity::from_decl_type(t),
        not_null: false,
        default: None,
        default_text: None,
        collation: None,
        primary_key: false,
    };
    Table {
        name: "sqlite_schema".into(),
        root: 1,
        columns: vec![col("type", "text"), col("name", "text"), col("tbl_name", "text"), col("rootpage", "int"), col("sql", "text")],
        ipk: None,
        without_rowid: false,
        checks: Vec::new(),
        sql: "CREATE TABLE sqlite_schema(type text,name text,tbl_name text,rootpage int,sql text)".into(),
        ipk_conflict: None,
        autoincrement: false,
        pk: Vec::new(),
        pk_autoindex: 0,
        strict: false,
    }
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Arc<Table>> {
        self.tables.get(&name.to_ascii_lowercase())
    }

    pub fn indexes_of<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a Arc<Index>> + 'a {
        let mut v: Vec<&Arc<Index>> = self.indexes.values().filter(move |i| i.table.eq_ignore_ascii_case(table)).collect();
        v.sort_by_key(|i| i.root);
        v.into_iter()
    }

    /// Adds one row of sqlite_schema.
    pub fn add_row(&mut self, kind: &str, name: &str, tbl_name: &str, root: u32, sql: Option<&str>) -> Result<()> {
        match kind {
            "table" => {
                let Some(sql) = sql else { return Ok(()) };
                match parse_table(sql, root) {
                    Ok(t) => {
                        self.tables.insert(name.to_ascii_lowercase(), Arc::new(t));
                    }
                    // A table we cannot handle yet leaves the rest of the database usable.
                    Err(e) if e.message.ends_with("is not supported yet by Ferrolite") => {
                        self.unsupported.insert(name.to_ascii_lowercase(), e.message);
                    }
                    Err(e) => return Err(e),
                }
            }
            "index" => {
                let idx = match sql {
                    Some(sql) => parse_index(sql, root)?,
                    None => {
                        // Built after all tables are known.
                        Index {
                            name: name.into(),
                            table: tbl_name.into(),
                            root,
                            columns: Vec::new(),
                            unique: true,
                            where_clause: None,
                            sql: None,
                            on_conflict: None,
                            is_primary_key: false,
                        }
                    }
                };
                self.indexes.insert(name.to_ascii_lowercase(), Arc::new(idx));
            }
            "view" => {
                let Some(sql) = sql else { return Ok(()) };
                if let Ok(Some((Stmt::CreateView(v), _))) = crate::sql::parser::parse_one(sql) {
                    self.views.insert(
                        name.to_ascii_lowercase(),
                        Arc::new(View { name: name.into(), columns: v.columns.iter().map(|c| c.to_string()).collect(), select: (*v.select).clone(), sql: sql.into() }),
                    );
                }
            }
            "trigger" => {
                self.triggers.insert(name.to_ascii_lowercase(), tbl_name.to_string());
            }
            _ => {}
        }
        Ok(())
    }

    /// Fills in the automatic indexes' columns from their tables' constraints (invariant 3).
    pub fn resolve_autoindexes(&mut self) {
        let names: Vec<String> = self.indexes.iter().filter(|(_, i)| i.sql.is_none()).map(|(k, _)| k.clone()).collect();
        for key in names {
            let idx = Arc::clone(&self.indexes[&key]);
            let Some(table) = self.table(&idx.table).cloned() else { continue };
            let Some(n) = idx.name.rsplit('_').next().and_then(|s| s.parse::<usize>().ok()) else { continue };
            let list = unique_constraints(&table);
            if let Some((cols, conflict, pk)) = list.get(n.wrapping_sub(1)) {
                let mut i = (*idx).clone();
                i.columns = cols.clone();
                i.on_conflict = *conflict;
                i.is_primary_key = *pk;
                self.indexes.insert(key, Arc::new(i));
            }
        }
    }
}

fn collate_of(e: &Expr) -> (Option<&str>, &Expr) {
    match e {
        Expr::Collate { expr, collation } => (Some(collation.as_str()), expr),
        other => (None, other),
    }
}

fn column_of(table: &Table, e: &Expr) -> Option<usize> {
    match collate_of(e).1 {
        Expr::Id { name, .. } => table.column_index(name),
        Expr::Literal(ast::Literal::String(s)) => table.column_index(s),
        _ => None,
    }
}

/// The PRIMARY KEY/UNIQUE constraints that need an index, in autoindex order.
pub fn unique_constraints(table: &Table) -> Vec<(Vec<IndexColumn>, Option<ResolveType>, bool)> {
    let Ok(Some((Stmt::CreateTable(ct), _))) = crate::sql::parser::parse_one(&table.sql) else { return Vec::new() };
    let CreateTableBody::Columns { columns, constraints, .. } = &ct.body else { return Vec::new() };
    let mut out: Vec<(Vec<IndexColumn>, Option<ResolveType>, bool)> = Vec::new();
    let push = |cols: Vec<IndexColumn>, conflict, pk, out: &mut Vec<(Vec<IndexColumn>, Option<ResolveType>, bool)>| {
        if cols.is_empty() {
            return;
        }
        if let Some(same) = out.iter_mut().find(|(c, _, _)| c.len() == cols.len() && c.iter().zip(&cols).all(|(a, b)| a.column == b.column)) {
            // A PRIMARY KEY over a UNIQUE constraint's columns makes that index the PK's.
            same.2 |= pk;
            return;
        }
        out.push((cols, conflict, pk));
    };
    for (i, c) in columns.iter().enumerate() {
        for cc in &c.constraints {
            match &cc.kind {
                ColumnConstraintKind::PrimaryKey { order, conflict, .. } if table.ipk != Some(i) => {
                    let ic = IndexColumn { column: i as i32, desc: *order == Some(SortOrder::Desc), collation: None, expr: None };
                    push(vec![ic], *conflict, true, &mut out);
                }
                ColumnConstraintKind::Unique { conflict } => {
                    push(vec![IndexColumn { column: i as i32, desc: false, collation: None, expr: None }], *conflict, false, &mut out)
                }
                _ => {}
            }
        }
    }
    for tc in constraints {
        let (cols, conflict, pk) = match &tc.kind {
            TableConstraintKind::PrimaryKey { columns, conflict, .. } => {
                if table.ipk.is_some() {
                    continue;
                }
                (columns, *conflict, true)
            }
            TableConstraintKind::Unique { columns, conflict } => (columns, *conflict, false),
            _ => continue,
        };
        let ics: Vec<IndexColumn> = cols
            .iter()
            .filter_map(|t| {
                Some(IndexColumn {
                    column: column_of(table, &t.expr)? as i32,
                    desc: t.order == Some(SortOrder::Desc),
                    collation: collate_of(&t.expr).0.map(str::to_string),
                    expr: None,
                })
            })
            .collect();
        push(ics, conflict, pk, &mut out);
    }
    out
}

/// Builds a table from its CREATE TABLE text.
pub fn parse_table(sql: &str, root: u32) -> Result<Table> {
    let stmt = crate::sql::parser::parse_one(sql).map_err(Error::from)?;
    let Some((Stmt::CreateTable(ct), _)) = stmt else {
        return Err(Error::new(crate::error::code::CORRUPT, "malformed database schema"));
    };
    table_from_ast(&ct, sql, root)
}

/// Builds a table from a parsed CREATE TABLE.
pub fn table_from_ast(ct: &ast::CreateTable, sql: &str, root: u32) -> Result<Table> {
    let CreateTableBody::Columns { columns, constraints, options } = &ct.body else {
        return Err(Error::not_supported("CREATE TABLE ... AS SELECT"));
    };
    let mut t = Table {
        name: ct.name.name.to_string(),
        root,
        columns: Vec::new(),
        ipk: None,
        without_rowid: options.without_rowid,
        checks: Vec::new(),
        sql: sql.to_string(),
        ipk_conflict: None,
        autoincrement: false,
        pk: Vec::new(),
        pk_autoindex: 0,
        strict: false,
    };
    let mut pk_cols: Vec<(usize, Option<SortOrder>, Option<ResolveType>, bool)> = Vec::new();
    // The COLLATE of each PRIMARY KEY term, by position in `pk_cols`.
    let mut pk_colls: Vec<Option<String>> = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        let decl = c.type_name.as_ref().and_then(|tn| sql.get(tn.span.range())).unwrap_or_default().to_string();
        let mut col = Column {
            name: c.name.to_string(),
            affinity: Affinity::from_decl_type(&decl),
            decl_type: decl,
            not_null: false,
            default: None,
            default_text: None,
            collation: None,
            primary_key: false,
        };
        for cc in &c.constraints {
            match &cc.kind {
                ColumnConstraintKind::PrimaryKey { order, conflict, autoincrement } => {
                    col.primary_key = true;
                    pk_cols.push((i, *order, *conflict, *autoincrement));
                    pk_colls.push(None);
                }
                ColumnConstraintKind::NotNull { .. } => col.not_null = true,
                ColumnConstraintKind::Default { expr, span } => {
                    col.default = Some(expr.clone());
                    col.default_text = sql.get(span.range()).map(str::to_string);
                }
                ColumnConstraintKind::Collate(n) => col.collation = Some(n.to_string()),
                ColumnConstraintKind::Check { expr, span } => t.checks.push(Check::new(expr, cc.name.as_deref(), span.text(sql))),
                ColumnConstraintKind::Generated { .. } => return Err(Error::not_supported("generated columns")),
                _ => {}
            }
        }
        t.columns.push(col);
    }
    for tc in constraints {
        match &tc.kind {
            TableConstraintKind::PrimaryKey { columns: cols, autoincrement, conflict } => {
                for term in cols {
                    if let Some(i) = column_of(&t, &term.expr) {
                        t.columns[i].primary_key = true;
                        pk_cols.push((i, term.order, *conflict, *autoincrement));
                        pk_colls.push(collate_of(&term.expr).0.map(str::to_string));
                    }
                }
            }
            TableConstraintKind::Check { expr, span } => t.checks.push(Check::new(expr, tc.name.as_deref(), span.text(sql))),
            _ => {}
        }
    }
    let pk_constraints = columns
        .iter()
        .flat_map(|c| &c.constraints)
        .filter(|k| matches!(k.kind, ColumnConstraintKind::PrimaryKey { .. }))
        .count()
        + constraints.iter().filter(|k| matches!(k.kind, TableConstraintKind::PrimaryKey { .. })).count();
    if pk_constraints > 1 {
        return Err(Error::sql(format!("table \"{}\" has more than one primary key", t.name)));
    }
    if pk_cols.len() == 1 && !t.without_rowid {
        let (i, order, conflict, autoinc) = pk_cols[0];
        // "INTEGER PRIMARY KEY DESC" as a column constraint is not a rowid alias (SQLite quirk).
        let column_desc = order == Some(SortOrder::Desc)
            && columns[i].constraints.iter().any(|c| matches!(c.kind, ColumnConstraintKind::PrimaryKey { .. }));
        if t.columns[i].decl_type.eq_ignore_ascii_case("INTEGER") && !column_desc {
            t.ipk = Some(i);
            t.ipk_conflict = conflict;
            t.autoincrement = autoinc;
        }
    }
    if t.without_rowid {
        if pk_cols.iter().any(|p| p.3) {
            return Err(Error::sql("AUTOINCREMENT not allowed on WITHOUT ROWID tables"));
        }
        if pk_cols.is_empty() {
            return Err(Error::sql(format!("PRIMARY KEY missing on table {}", t.name)));
        }
        t.ipk_conflict = pk_cols[0].2;
        for (p, coll) in pk_cols.iter().zip(pk_colls) {
            let ic = IndexColumn { column: p.0 as i32, desc: p.1 == Some(SortOrder::Desc), collation: coll, expr: None };
            if !t.pk.iter().any(|c| t.same_key_column(c, &ic)) {
                t.pk.push(ic);
            }
            t.columns[p.0].not_null = true;
        }
        t.pk_autoindex = unique_constraints(&t).iter().position(|(_, _, pk)| *pk).map_or(1, |p| p + 1);
    }
    if options.strict {
        // Every column has a type of the list; ANY keeps values as they are.
        for c in &mut t.columns {
            match STRICT_TYPES.iter().find(|s| s.eq_ignore_ascii_case(&c.decl_type)) {
                Some(&"ANY") => c.affinity = Affinity::Blob,
                Some(_) => {}
                None if c.decl_type.is_empty() => return Err(Error::sql(format!("missing datatype for {}.{}", t.name, c.name))),
                None => return Err(Error::sql(format!("unknown datatype for {}.{}: \"{}\"", t.name, c.name, c.decl_type))),
            }
        }
        t.strict = true;
    }
    Ok(t)
}

/// Builds an index from its CREATE INDEX text (the table must be known to resolve columns;
/// columns are resolved later by name, here kept by position in `table`).
pub fn parse_index(sql: &str, root: u32) -> Result<Index> {
    let stmt = crate::sql::parser::parse_one(sql).map_err(Error::from)?;
    let Some((Stmt::CreateIndex(ci), _)) = stmt else {
        return Err(Error::new(crate::error::code::CORRUPT, "malformed database schema"));
    };
    Ok(Index {
        name: ci.name.name.to_string(),
        table: ci.table.to_string(),
        root,
        columns: Vec::new(),
        unique: ci.unique,
        where_clause: ci.where_clause.clone(),
        sql: Some(sql.to_string()),
        on_conflict: None,
        is_primary_key: false,
    })
}

/// Resolves an index's column list against its table: a name is a column, anything else an
/// expression column (its column references are checked when the index is built or written).
pub fn index_columns(table: &Table, terms: &[ast::OrderingTerm]) -> Result<Vec<IndexColumn>> {
    terms
        .iter()
        .map(|t| {
            let (coll, inner) = collate_of(&t.expr);
            let (column, expr) = match column_of(table, &t.expr) {
                Some(i) => (i as i32, None),
                None => match inner {
                    Expr::Id { name, .. } => return Err(Error::sql(format!("no such column: {name}"))),
                    e => (EXPR_COLUMN, Some(e.clone())),
                },
            };
            Ok(IndexColumn { column, desc: t.order == Some(SortOrder::Desc), collation: coll.map(str::to_string), expr })
        })
        .collect()
}

/// Fills in the columns of every index that has SQL text.
pub fn resolve_index_columns(schema: &mut Schema) -> Result<()> {
    let keys: Vec<String> = schema.indexes.iter().filter(|(_, i)| i.sql.is_some()).map(|(k, _)| k.clone()).collect();
    for k in keys {
        let idx = Arc::clone(&schema.indexes[&k]);
        let Some(table) = schema.table(&idx.table).cloned() else { continue };
        let Ok(Some((Stmt::CreateIndex(ci), _))) = crate::sql::parser::parse_one(idx.sql.as_deref().unwrap_or("")) else { continue };
        let mut i = (*idx).clone();
        i.columns = index_columns(&table, &ci.columns)?;
        schema.indexes.insert(k, Arc::new(i));
    }
    schema.resolve_autoindexes();
    Ok(())
}
