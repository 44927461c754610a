//! CREATE/DROP of tables, indexes and views, and BEGIN.
//!
//! Invariants:
//! 1. The row written to sqlite_schema holds the SQL text SQLite would store:
//!    `CREATE TABLE ` + the statement's text from the name on (likewise INDEX/VIEW); automatic
//!    indexes get a NULL sql.
//! 2. Every schema change increments the schema cookie and ends with ParseSchema.

use std::sync::Arc;

use super::{Builder, OutColumn};
use crate::error::{Error, Result};
use crate::schema::{self, Table};
use crate::sql::ast::{CreateIndex, CreateTable, CreateView, DropKind, QualifiedName, TransactionKind};
use crate::vdbe::exec::OPFLAG_P2ISREG;
use crate::vdbe::{KeyInfo, Opcode, P4};

fn check_main(name: &QualifiedName) -> Result<()> {
    match &name.schema {
        Some(s) if !s.eq_ignore_ascii_case("main") => Err(Error::sql(format!("unknown database {s}"))),
        _ => Ok(()),
    }
}

fn reserved(name: &str) -> Result<()> {
    if name.len() >= 7 && name.as_bytes()[..7].eq_ignore_ascii_case(b"sqlite_") {
        return Err(Error::sql(format!("object name reserved for internal use: {name}")));
    }
    Ok(())
}

/// SQLite's error for CREATE TABLE/VIEW `name` when a `kind` has that name: a table or view
/// "already exists" (located at the name), an index is "already" there.
fn name_taken_error(kind: &str, name: &str, at: usize) -> Error {
    if kind == "index" {
        Error::sql(format!("there is already an index named {name}"))
    } else {
        Error::sql(format!("{kind} {name} already exists")).at(at)
    }
}

fn name_taken(b: &Builder<'_>, name: &str) -> Option<&'static str> {
    let k = name.to_ascii_lowercase();
    if b.schema.tables.contains_key(&k) || b.schema.unsupported.contains_key(&k) {
        Some("table")
    } else if b.schema.indexes.contains_key(&k) {
        Some("index")
    } else if b.schema.views.contains_key(&k) {
        Some("view")
    } else {
        None
    }
}

/// Appends a row to sqlite_schema: (type, name, tbl_name, root register or 0, sql).
fn schema_row(b: &mut Builder<'_>, cursor: i32, kind: &str, name: &str, tbl: &str, root_reg: Option<i32>, sql: Option<&str>) {
    let base = b.regs(5);
    b.emit4(Opcode::String8, 0, base, 0, P4::Text(kind.into()));
    b.emit4(Opcode::String8, 0, base + 1, 0, P4::Text(name.into()));
    b.emit4(Opcode::String8, 0, base + 2, 0, P4::Text(tbl.into()));
    match root_reg {
        Some(r) => b.emit(Opcode::SCopy, r, base + 3, 0),
        None => b.emit(Opcode::Integer, 0, base + 3, 0),
    };
    match sql {
        Some(s) => b.emit4(Opcode::String8, 0, base + 4, 0, P4::Text(s.into())),
        None => b.emit(Opcode::Null, 0, base + 4, 0),
    };
    let rec = b.reg();
    let rowid = b.reg();
    b.emit(Opcode::MakeRecord, base, 5, rec);
    b.emit(Opcode::NewRowid, cursor, rowid, 0);
    b.emit(Opcode::Insert, cursor, rec, rowid);
}

fn finish_schema_change(b: &mut Builder<'_>) {
    b.emit(Opcode::SetCookie, 0, crate::pager::header::META_SCHEMA_VERSION as i32, 0);
    b.emit(Opcode::ParseSchema, 0, 0, 0);
    b.changes_schema = true;
}

pub fn create_table(b: &mut Builder<'_>, c: &CreateTable) -> Result<()> {
    check_main(&c.name)?;
    if c.temp {
        return Err(Error::not_supported("TEMP tables"));
    }
    let name = &c.name.name;
    if let Some(kind) = name_taken(b, name) {
        // IF NOT EXISTS is satisfied by a table or a view of that name, not an index.
        if c.if_not_exists && kind != "index" {
            return Ok(());
        }
        return Err(name_taken_error(kind, name, c.text_from_name.start as usize));
    }
    reserved(name)?;
    if let crate::sql::ast::CreateTableBody::AsSelect(sel) = &c.body {
        return create_table_as(b, name, sel);
    }
    let sql = format!("CREATE TABLE {}", c.text_from_name.text(b.sql));
    // Validate by building the table now (columns, constraints).
    // Validate from the text that will be stored (the spans of `c` index the statement).
    let stmt_table = schema::parse_table(&sql, 0)?;
    let mut seen = std::collections::HashSet::new();
    for col in &stmt_table.columns {
        if !seen.insert(col.name.to_ascii_lowercase()) {
            return Err(Error::sql(format!("duplicate column name: {}", col.name)));
        }
    }
    let reparsed = schema::parse_table(&sql, 0)?;
    if sql_has_autoincrement(c) && !reparsed.autoincrement {
        return Err(Error::sql("AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY"));
    }
    let autoindexes = schema::unique_constraints(&reparsed);
    b.use_txn(true);
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    let root = b.reg();
    // A WITHOUT ROWID table is an index b-tree; its PRIMARY KEY gets no b-tree of its own
    // but keeps its autoindex number (schema invariant 4).
    let without_rowid = !reparsed.pk.is_empty();
    b.emit(Opcode::CreateBtree, 0, root, if without_rowid { 2 } else { 1 });
    schema_row(b, sc, "table", name, name, Some(root), Some(&sql));
    for (i, (_, _, is_pk)) in autoindexes.iter().enumerate() {
        if without_rowid && *is_pk {
            continue;
        }
        let r = b.reg();
        b.emit(Opcode::CreateBtree, 0, r, 2);
        schema_row(b, sc, "index", &format!("sqlite_autoindex_{}_{}", name, i + 1), name, Some(r), None);
    }
    if reparsed.autoincrement && b.schema.table("sqlite_sequence").is_none() {
        let r = b.reg();
        b.emit(Opcode::CreateBtree, 0, r, 1);
        schema_row(b, sc, "table", "sqlite_sequence", "sqlite_sequence", Some(r), Some("CREATE TABLE sqlite_sequence(name,seq)"));
    }
    finish_schema_change(b);
    Ok(())
}

fn sql_has_autoincrement(c: &CreateTable) -> bool {
    use crate::sql::ast::{ColumnConstraintKind, CreateTableBody, TableConstraintKind};
    let CreateTableBody::Columns { columns, constraints, .. } = &c.body else { return false };
    columns.iter().flat_map(|c| &c.constraints).any(|k| matches!(k.kind, ColumnConstraintKind::PrimaryKey { autoincrement: true, .. }))
        || constraints.iter().any(|k| matches!(k.kind, TableConstraintKind::PrimaryKey { autoincrement: true, .. }))
}

/// An identifier as SQLite writes it into generated SQL: bare when it is a plain word that
/// is not a keyword, else in double quotes.
fn ident(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.as_bytes()[0].is_ascii_digit()
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        && crate::sql::token::keyword(name.as_bytes()).is_none();
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `CREATE TABLE name AS SELECT`: columns named after the result columns, typed by their
/// affinity, the CREATE text laid out as SQLite lays it out; then the rows are inserted.
fn create_table_as(b: &mut Builder<'_>, name: &str, sel: &crate::sql::ast::Select) -> Result<()> {
    use crate::value::Affinity;
    let rows = b.cursor();
    b.use_txn(true);
    let open = b.emit4(Opcode::SorterOpen, rows, 0, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
    let cols = super::select::compile_select(b, &super::Scope::default(), sel, super::select::Dest::Collect { cursor: rows })?;
    b.ops[open].p2 = cols.len() as i32;
    // Each column's type is its expression's affinity (a CAST's too); a compound gives no
    // description: then its declared type's.
    let described = std::mem::take(&mut b.select_columns);
    let affs: Vec<Affinity> = if described.len() == cols.len() {
        described.iter().map(|(_, a)| a.unwrap_or(Affinity::Blob)).collect()
    } else {
        cols.iter().map(|c| Affinity::from_decl_type(c.decltype.as_deref().unwrap_or(""))).collect()
    };
    let names = unique_column_names(cols.iter().map(|c| c.name.as_str()));
    let ident_len = |s: &str| s.chars().count() + 2 + s.matches('"').count();
    let mut n: usize = names.iter().map(|c| ident_len(c) + 5).sum();
    n += ident_len(name);
    let (sep, sep2, end) = if n < 50 { ("", ",", ")") } else { ("\n  ", ",\n  ", "\n)") };
    let mut sql = format!("CREATE TABLE {}({sep}", ident(name));
    for (i, (c, a)) in names.iter().zip(&affs).enumerate() {
        if i > 0 {
            sql.push_str(sep2);
        }
        sql.push_str(&ident(c));
        sql.push_str(match a {
            Affinity::Blob => "",
            Affinity::Text => " TEXT",
            Affinity::Numeric => " NUM",
            Affinity::Integer => " INT",
            Affinity::Real => " REAL",
        });
    }
    sql.push_str(end);
    schema::parse_table(&sql, 0)?;
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    let root = b.reg();
    b.emit(Opcode::CreateBtree, 0, root, 1);
    schema_row(b, sc, "table", name, name, Some(root), Some(&sql));
    let tc = b.cursor();
    let a = b.emit(Opcode::OpenWrite, tc, root, 0);
    b.set_p5(a, OPFLAG_P2ISREG);
    let ncol = cols.len();
    let (done, top) = (b.label(), b.label());
    let base = b.regs(ncol);
    let (rec, rowid) = (b.reg(), b.reg());
    b.emit(Opcode::SorterSort, rows, done, 0);
    b.resolve(top);
    for i in 0..ncol {
        b.emit(Opcode::Column, rows, i as i32, base + i as i32);
    }
    let aff: String = affs.iter().map(|a| a.code() as char).collect();
    b.emit4(Opcode::MakeRecord, base, ncol as i32, rec, P4::Affinity(aff));
    b.emit(Opcode::NewRowid, tc, rowid, 0);
    b.emit(Opcode::Insert, tc, rec, rowid);
    b.emit(Opcode::SorterNext, rows, top, 0);
    b.resolve(done);
    finish_schema_change(b);
    Ok(())
}

/// Result column names made distinct as SQLite makes them for CREATE TABLE ... AS: a name
/// already taken (ASCII case aside) loses any `:digits` ending and gets `:N`, N counting up
/// over the whole list (SQLite draws N at random after its third try; here it keeps counting).
fn unique_column_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    let mut count = 0;
    let mut out = Vec::new();
    for name in names {
        let mut name = name.to_string();
        while taken.contains(&name.to_ascii_lowercase()) {
            let stem = match name.trim_end_matches(|c: char| c.is_ascii_digit()).strip_suffix(':') {
                Some(s) if !s.is_empty() => s.to_string(),
                _ => name.clone(),
            };
            count += 1;
            name = format!("{stem}:{count}");
        }
        taken.insert(name.to_ascii_lowercase());
        out.push(name);
    }
    out
}

/// The key of an index (its columns, then the rowid ASC BINARY; on a WITHOUT ROWID table the
/// PRIMARY KEY columns it lacks instead of the rowid).
pub fn index_key_info(table: &Table, cols: &[schema::IndexColumn]) -> Result<Arc<KeyInfo>> {
    let mut k = KeyInfo::default();
    for c in &table.index_key_columns(cols) {
        let coll = c.collation.clone().or_else(|| (c.column >= 0).then(|| table.columns[c.column as usize].collation.clone()).flatten());
        let coll = match coll {
            Some(n) => Some(super::expr::collation(&n)?),
            None => None,
        };
        k.fields.push((c.desc, coll));
    }
    if table.pk.is_empty() {
        k.fields.push((false, None));
    }
    Ok(Arc::new(k))
}

pub fn create_index(b: &mut Builder<'_>, c: &CreateIndex) -> Result<()> {
    check_main(&c.name)?;
    let name = &c.name.name;
    // As in SQLite: the indexed table first, then the index's name.
    let table = b.table(&QualifiedName::bare(c.table.clone())).map_err(|e| {
        if e.message.starts_with("no such table: ") {
            Error::sql(format!("no such table: main.{}", c.table))
        } else if b.schema.views.contains_key(&c.table.to_ascii_lowercase()) {
            Error::sql("views may not be indexed")
        } else {
            e
        }
    });
    if let Some(kind) = name_taken(b, name) {
        table?;
        if c.if_not_exists && kind == "index" {
            return Ok(());
        }
        return Err(Error::sql(match kind {
            "index" => format!("index {name} already exists"),
            _ => format!("there is already a table named {name}"),
        }));
    }
    reserved(name)?;
    let table = table?;
    if table.name.eq_ignore_ascii_case("sqlite_schema") {
        return Err(Error::sql(format!("table {} may not be indexed", c.table)));
    }
    let cols = schema::index_columns(&table, &c.columns)?;
    for e in cols.iter().filter_map(|c| c.expr.as_ref()) {
        check_index_expr(b, e, "index expressions")?;
    }
    if let Some(w) = &c.where_clause {
        check_index_expr(b, w, "partial index WHERE clauses")?;
    }
    let sql = format!("CREATE {}INDEX {}", if c.unique { "UNIQUE " } else { "" }, c.text_from_name.text(b.sql));
    b.use_txn(true);
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    let root = b.reg();
    b.emit(Opcode::CreateBtree, 0, root, 2);
    schema_row(b, sc, "index", name, &table.name, Some(root), Some(&sql));
    let index = schema::Index {
        name: name.to_string(),
        table: table.name.clone(),
        root: 0,
        columns: cols,
        unique: c.unique,
        where_clause: c.where_clause.clone(),
        sql: None,
        on_conflict: None,
        is_primary_key: false,
    };
    fill_index(b, &table, &index, root, true)?;
    finish_schema_change(b);
    Ok(())
}

/// SQLite's refusals for an index expression or partial-index condition (`what` names which):
/// subqueries, parameters and non-deterministic functions. (Column references, aggregates
/// and unknown functions fail when the index is filled.)
fn check_index_expr(b: &Builder<'_>, e: &crate::sql::ast::Expr, what: &str) -> Result<()> {
    use crate::sql::ast::{Expr, FunctionArgs};
    let mut err = None;
    e.walk(&mut |x| {
        if err.is_some() {
            return false;
        }
        match x {
            Expr::Exists(_) | Expr::Subquery(_) | Expr::InSelect { .. } => err = Some(format!("subqueries prohibited in {what}")),
            Expr::Variable { .. } => err = Some(format!("parameters prohibited in {what}")),
            Expr::FunctionCall(fc) => {
                let n = match &fc.args {
                    FunctionArgs::Star => 0,
                    FunctionArgs::List(l) => l.len(),
                };
                if let Ok(def) = b.funcs.lookup(&fc.name, n) {
                    if !def.is_aggregate() && !def.flags.has(crate::func::FuncFlags::DETERMINISTIC) {
                        err = Some(format!("non-deterministic functions prohibited in {what}"));
                    }
                }
            }
            _ => {}
        }
        err.is_none()
    });
    err.map_or(Ok(()), |m| Err(Error::sql(m)))
}

/// Fills index `ix` at `root` (a register when `root_in_reg`, else the page number) from its
/// table's rows (those its WHERE keeps, for a partial index), checking uniqueness when it is
/// unique.
fn fill_index(b: &mut Builder<'_>, table: &Arc<Table>, ix: &schema::Index, root: i32, root_in_reg: bool) -> Result<()> {
    let (cols, unique) = (&ix.columns[..], ix.unique);
    // Fill the index from the table.
    let tc = b.cursor();
    let scope = super::Scope {
        sources: vec![super::Source { name: table.name.clone(), table: Arc::clone(table), row: super::RowSource::Cursor(tc) }],
        parent: None,
        hidden: Vec::new(),
    };
    let ic = b.cursor();
    let k = index_key_info(table, cols)?;
    b.open_table(Opcode::OpenRead, tc, table)?;
    let a = b.emit4(Opcode::OpenWrite, ic, root, 0, P4::KeyInfo(k));
    if root_in_reg {
        b.set_p5(a, OPFLAG_P2ISREG);
    }
    let (end, top, next) = (b.label(), b.label(), b.label());
    b.emit(Opcode::Rewind, tc, end, 0);
    b.resolve(top);
    if let Some(w) = &ix.where_clause {
        super::expr::jump_if_false(b, &scope, w, next)?;
    }
    let n = cols.len();
    // The entry: the indexed columns, then the rowid or the PRIMARY KEY columns it lacks.
    let keys = table.index_key_columns(cols);
    let n_key = if table.pk.is_empty() { n + 1 } else { keys.len() };
    let key = b.regs(n_key);
    for (i, col) in keys.iter().enumerate() {
        if let Some(e) = &col.expr {
            super::expr::expr(b, &scope, e, key + i as i32)?;
        } else if col.column < 0 || table.ipk == Some(col.column as usize) {
            b.emit(Opcode::Rowid, tc, key + i as i32, 0);
        } else {
            b.column(tc, table, col.column as usize, key + i as i32);
        }
    }
    if table.pk.is_empty() {
        b.emit(Opcode::Rowid, tc, key + n as i32, 0);
    }
    if unique {
        let ok = b.label();
        for i in 0..n {
            b.emit(Opcode::IsNull, key + i as i32, ok, 0);
        }
        b.emit4(Opcode::NotFound, ic, ok, key, P4::Int64(n as i64));
        b.emit4(Opcode::Halt, crate::vdbe::exec::CONSTRAINT_UNIQUE, 2, 0, P4::Text(table.unique_failed(&ix.name, cols)));
        b.resolve(ok);
    }
    let rec = b.reg();
    b.emit(Opcode::MakeRecord, key, n_key as i32, rec);
    b.emit(Opcode::IdxInsert, ic, rec, 0);
    b.resolve(next);
    b.emit(Opcode::Next, tc, top, 0);
    b.resolve(end);
    Ok(())
}

/// REINDEX [name]: every index, the indexes of a table, or one index, emptied and refilled.
pub fn reindex(b: &mut Builder<'_>, name: Option<&QualifiedName>) -> Result<()> {
    let mut list: Vec<Arc<schema::Index>> = match name {
        None => b.schema.indexes.values().cloned().collect(),
        Some(n) => {
            check_main(n)?;
            if let Some(t) = b.schema.table(&n.name) {
                let t = t.name.clone();
                b.schema.indexes_of(&t).cloned().collect()
            } else if let Some(i) = b.schema.indexes.get(&n.name.to_ascii_lowercase()) {
                vec![Arc::clone(i)]
            } else if n.name.eq_ignore_ascii_case("binary") || n.name.eq_ignore_ascii_case("nocase") || n.name.eq_ignore_ascii_case("rtrim") {
                b.schema.indexes.values().cloned().collect()
            } else {
                return Err(Error::sql("unable to identify the object to be reindexed"));
            }
        }
    };
    list.sort_by_key(|i| i.root);
    b.use_txn(true);
    for ix in list {
        let Some(table) = b.schema.table(&ix.table).cloned() else { continue };
        b.emit(Opcode::Clear, ix.root as i32, 0, 0);
        fill_index(b, &table, &ix, ix.root as i32, false)?;
    }
    Ok(())
}

pub fn create_view(b: &mut Builder<'_>, c: &CreateView) -> Result<()> {
    check_main(&c.name)?;
    if c.temp {
        return Err(Error::not_supported("TEMP views"));
    }
    let name = &c.name.name;
    if let Some(kind) = name_taken(b, name) {
        if c.if_not_exists && kind != "index" {
            return Ok(());
        }
        return Err(name_taken_error(kind, name, c.text_from_name.start as usize));
    }
    reserved(name)?;
    let sql = format!("CREATE VIEW {}", c.text_from_name.text(b.sql));
    b.use_txn(true);
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    schema_row(b, sc, "view", name, name, None, Some(&sql));
    finish_schema_change(b);
    Ok(())
}

/// Deletes the sqlite_schema rows whose column `col` (1 name, 2 tbl_name) equals `value`.
fn delete_schema_rows(b: &mut Builder<'_>, col: i32, value: &str) {
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    let (end, top, next) = (b.label(), b.label(), b.label());
    let v = b.reg();
    let r = b.reg();
    b.emit4(Opcode::String8, 0, v, 0, P4::Text(value.into()));
    b.emit(Opcode::Rewind, sc, end, 0);
    b.resolve(top);
    b.emit(Opcode::Column, sc, col, r);
    b.emit(Opcode::Ne, v, next, r);
    b.emit(Opcode::Delete, sc, 0, 0);
    b.resolve(next);
    b.emit(Opcode::Next, sc, top, 0);
    b.resolve(end);
}

pub fn drop(b: &mut Builder<'_>, kind: DropKind, if_exists: bool, name: &QualifiedName) -> Result<()> {
    check_main(name)?;
    let key = name.name.to_ascii_lowercase();
    match kind {
        DropKind::Table => {
            let Some(t) = b.schema.tables.get(&key).cloned() else {
                if if_exists {
                    return Ok(());
                }
                return Err(Error::sql(format!("no such table: {}", name.name)));
            };
            reserved(&t.name).map_err(|_| Error::sql(format!("table {} may not be dropped", t.name)))?;
            b.use_txn(true);
            let roots: Vec<u32> = std::iter::once(t.root).chain(b.schema.indexes_of(&t.name).map(|i| i.root)).collect();
            delete_schema_rows(b, 2, &t.name);
            for r in roots {
                b.emit(Opcode::Destroy, r as i32, 0, 0);
            }
            finish_schema_change(b);
        }
        DropKind::Index => {
            let Some(i) = b.schema.indexes.get(&key).cloned() else {
                // A WITHOUT ROWID table's PRIMARY KEY index is its table's b-tree.
                if b.schema.tables.values().any(|t| t.pk_index().is_some_and(|ix| ix.name.eq_ignore_ascii_case(&name.name))) {
                    return Err(Error::sql("index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped"));
                }
                if if_exists {
                    return Ok(());
                }
                return Err(Error::sql(format!("no such index: {}", name.name)));
            };
            if i.sql.is_none() {
                return Err(Error::sql("index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped"));
            }
            b.use_txn(true);
            delete_schema_rows(b, 1, &i.name);
            b.emit(Opcode::Destroy, i.root as i32, 0, 0);
            finish_schema_change(b);
        }
        DropKind::View => {
            if !b.schema.views.contains_key(&key) {
                if if_exists {
                    return Ok(());
                }
                return Err(Error::sql(format!("no such view: {}", name.name)));
            }
            b.use_txn(true);
            delete_schema_rows(b, 1, &name.name);
            finish_schema_change(b);
        }
        DropKind::Trigger => {
            if !b.schema.triggers.contains_key(&key) {
                if if_exists {
                    return Ok(());
                }
                return Err(Error::sql(format!("no such trigger: {}", name.name)));
            }
            b.use_txn(true);
            delete_schema_rows(b, 1, &name.name);
            finish_schema_change(b);
        }
    }
    Ok(())
}

/// CREATE TRIGGER is stored (so the schema round-trips); running triggers is not built, so
/// INSERT/UPDATE/DELETE on a table with triggers are refused.
pub fn create_trigger(b: &mut Builder<'_>, c: &crate::sql::ast::CreateTrigger) -> Result<()> {
    check_main(&c.name)?;
    if c.temp {
        return Err(Error::not_supported("TEMP triggers"));
    }
    let name = &c.name.name;
    if b.schema.triggers.contains_key(&name.to_ascii_lowercase()) {
        if c.if_not_exists {
            return Ok(());
        }
        return Err(Error::sql(format!("trigger {name} already exists")));
    }
    reserved(name)?;
    let table = match b.schema.table(&c.table.name) {
        Some(t) => t.name.clone(),
        None if b.schema.views.contains_key(&c.table.name.to_ascii_lowercase()) => {
            return Err(Error::not_supported("triggers on views"))
        }
        None => return Err(Error::sql(format!("no such table: main.{}", c.table.name))),
    };
    let sql = format!("CREATE TRIGGER {}", c.text_from_name.text(b.sql));
    b.use_txn(true);
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    schema_row(b, sc, "trigger", name, &table, None, Some(&sql));
    finish_schema_change(b);
    Ok(())
}

/// Replaces the `sql` column of the sqlite_schema rows (type, name) = (`kind`, `name`).
fn rewrite_schema_sql(b: &mut Builder<'_>, kind: &str, name: &str, sql: &str) {
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    let (end, top, next) = (b.label(), b.label(), b.label());
    let (want_kind, want_name) = (b.reg(), b.reg());
    b.emit4(Opcode::String8, 0, want_kind, 0, P4::Text(kind.into()));
    b.emit4(Opcode::String8, 0, want_name, 0, P4::Text(name.into()));
    let row = b.regs(5);
    let rowid = b.reg();
    let rec = b.reg();
    b.emit(Opcode::Rewind, sc, end, 0);
    b.resolve(top);
    for i in 0..4 {
        b.emit(Opcode::Column, sc, i, row + i);
    }
    b.emit(Opcode::Ne, want_kind, next, row);
    b.emit(Opcode::Ne, want_name, next, row + 1);
    b.emit4(Opcode::String8, 0, row + 4, 0, P4::Text(sql.into()));
    b.emit(Opcode::MakeRecord, row, 5, rec);
    b.emit(Opcode::Rowid, sc, rowid, 0);
    b.emit(Opcode::Insert, sc, rec, rowid);
    b.resolve(next);
    b.emit(Opcode::Next, sc, top, 0);
    b.resolve(end);
}

/// Replaces the sqlite_schema row (type, name) = (`kind`, `name`) by one with `new_name`,
/// `new_tbl` and `new_sql` (None keeps a NULL sql).
fn rewrite_schema_row(b: &mut Builder<'_>, kind: &str, name: &str, new_name: &str, new_tbl: &str, new_sql: Option<&str>) {
    let sc = b.cursor();
    b.emit(Opcode::OpenWrite, sc, 1, 0);
    let (end, top, next) = (b.label(), b.label(), b.label());
    let (want_kind, want_name) = (b.reg(), b.reg());
    b.emit4(Opcode::String8, 0, want_kind, 0, P4::Text(kind.into()));
    b.emit4(Opcode::String8, 0, want_name, 0, P4::Text(name.into()));
    let row = b.regs(5);
    let rowid = b.reg();
    let rec = b.reg();
    b.emit(Opcode::Rewind, sc, end, 0);
    b.resolve(top);
    for i in 0..4 {
        b.emit(Opcode::Column, sc, i, row + i);
    }
    b.emit(Opcode::Ne, want_kind, next, row);
    b.emit(Opcode::Ne, want_name, next, row + 1);
    b.emit4(Opcode::String8, 0, row + 1, 0, P4::Text(new_name.into()));
    b.emit4(Opcode::String8, 0, row + 2, 0, P4::Text(new_tbl.into()));
    match new_sql {
        Some(q) => b.emit4(Opcode::String8, 0, row + 4, 0, P4::Text(q.into())),
        None => b.emit(Opcode::Null, 0, row + 4, 0),
    };
    b.emit(Opcode::MakeRecord, row, 5, rec);
    b.emit(Opcode::Rowid, sc, rowid, 0);
    b.emit(Opcode::Insert, sc, rec, rowid);
    b.resolve(next);
    b.emit(Opcode::Next, sc, top, 0);
    b.resolve(end);
}

/// The byte range of the first significant token at or after `pos`.
fn token_at(sql: &str, mut pos: usize) -> Option<(crate::sql::token::TokenKind, std::ops::Range<usize>)> {
    use crate::sql::token::TokenKind;
    while pos < sql.len() {
        let (k, n) = crate::sql::tokenizer::next_token(sql.as_bytes(), pos);
        if k != TokenKind::Space {
            return Some((k, pos..pos + n));
        }
        pos += n;
    }
    None
}

/// `sql` with the table name that follows `ON` (the first ON token) replaced by `new`.
fn rename_after_on(sql: &str, new: &str) -> Option<String> {
    let mut pos = 0;
    while let Some((k, r)) = token_at(sql, pos) {
        if k == crate::sql::token::TokenKind::On {
            let (_, t) = token_at(sql, r.end)?;
            return Some(format!("{}{}{}", &sql[..t.start], new, &sql[t.end..]));
        }
        pos = r.end;
    }
    None
}

/// ALTER TABLE ... RENAME TO: the table's, its indexes' and its automatic indexes' rows are
/// rewritten with the new name written as `"new"` (what SQLite writes).
fn rename_table(b: &mut Builder<'_>, table: &Table, new: &str) -> Result<()> {
    use crate::sql::ast::Stmt;
    if name_taken(b, new).is_some() {
        return Err(Error::sql(format!("there is already another table or index with this name: {new}")));
    }
    reserved(new)?;
    if b.schema.triggers.values().any(|t| t.eq_ignore_ascii_case(&table.name)) {
        return Err(Error::not_supported("renaming a table with triggers"));
    }
    let lower = table.name.to_ascii_lowercase();
    if b.schema.views.values().any(|v| v.sql.to_ascii_lowercase().contains(&lower)) {
        return Err(Error::not_supported("renaming a table that views may refer to"));
    }
    if table.autoincrement {
        return Err(Error::not_supported("renaming an AUTOINCREMENT table"));
    }
    let quoted = format!("\"{}\"", new.replace('"', "\"\""));
    let Ok(Some((Stmt::CreateTable(ct), _))) = crate::sql::parse_one(&table.sql) else {
        return Err(Error::new(crate::error::code::CORRUPT, "malformed database schema"));
    };
    let start = ct.text_from_name.start as usize;
    let (_, name_tok) = token_at(&table.sql, start).ok_or_else(|| Error::new(crate::error::code::CORRUPT, "malformed database schema"))?;
    // A schema-qualified name (main.t) keeps its qualifier out: rename the last part.
    let mut name_end = name_tok.end;
    if let Some((crate::sql::token::TokenKind::Dot, d)) = token_at(&table.sql, name_end) {
        if let Some((_, t2)) = token_at(&table.sql, d.end) {
            name_end = t2.end;
        }
    }
    let new_sql = format!("{}{}{}", &table.sql[..start], quoted, &table.sql[name_end..]);
    b.use_txn(true);
    rewrite_schema_row(b, "table", &table.name, new, new, Some(&new_sql));
    let indexes: Vec<Arc<schema::Index>> = b.schema.indexes_of(&table.name).cloned().collect();
    for ix in indexes {
        match &ix.sql {
            Some(q) => {
                let nq = rename_after_on(q, &quoted).ok_or_else(|| Error::new(crate::error::code::CORRUPT, "malformed database schema"))?;
                rewrite_schema_row(b, "index", &ix.name, &ix.name, new, Some(&nq));
            }
            None => {
                let suffix = ix.name.rsplit('_').next().unwrap_or("1");
                rewrite_schema_row(b, "index", &ix.name, &format!("sqlite_autoindex_{new}_{suffix}"), new, None);
            }
        }
    }
    finish_schema_change(b);
    Ok(())
}

/// ALTER TABLE: ADD COLUMN (the column text is spliced into the CREATE TABLE text after the
/// last column definition, as SQLite does; old rows read the default). Other forms are not
/// built yet. The result columns are those SQLite's ADD COLUMN reports when it checks that the
/// table is empty (see [`error_if_not_empty`]).
pub fn alter_table(b: &mut Builder<'_>, a: &crate::sql::ast::AlterTable) -> Result<Vec<OutColumn>> {
    use crate::sql::ast::{AlterTableAction, ColumnConstraintKind, CreateTableBody, Stmt};
    check_main(&a.table)?;
    let key = a.table.name.to_ascii_lowercase();
    let Some(table) = b.schema.tables.get(&key).cloned() else {
        if b.schema.views.contains_key(&key) && matches!(a.action, AlterTableAction::AddColumn(_)) {
            return Err(Error::sql("Cannot add a column to a view"));
        }
        return Err(Error::sql(format!("no such table: {}", a.table.name)));
    };
    if table.name.len() >= 7 && table.name.as_bytes()[..7].eq_ignore_ascii_case(b"sqlite_") {
        return Err(Error::sql(format!("table {} may not be altered", table.name)));
    }
    let def = match &a.action {
        AlterTableAction::AddColumn(def) => def,
        AlterTableAction::RenameTo(new) => return rename_table(b, &table, new).map(|()| Vec::new()),
        _ => return Err(Error::not_supported("ALTER TABLE RENAME COLUMN, DROP COLUMN and ALTER COLUMN")),
    };
    if table.column_index(&def.name).is_some() {
        return Err(Error::sql(format!("duplicate column name: {}", def.name)));
    }
    let mut default_null = true;
    let mut default_constant = true;
    let mut not_null = false;
    for c in &def.constraints {
        match &c.kind {
            ColumnConstraintKind::PrimaryKey { .. } => return Err(Error::sql("Cannot add a PRIMARY KEY column")),
            ColumnConstraintKind::Unique { .. } => return Err(Error::sql("Cannot add a UNIQUE column")),
            ColumnConstraintKind::NotNull { .. } => not_null = true,
            ColumnConstraintKind::Generated { .. } => return Err(Error::not_supported("adding generated columns")),
            ColumnConstraintKind::References(_) => {}
            ColumnConstraintKind::Default { expr, .. } => {
                let probe = crate::schema::Column {
                    name: String::new(),
                    decl_type: String::new(),
                    affinity: crate::value::Affinity::Blob,
                    not_null: false,
                    default: Some(expr.clone()),
                    default_text: None,
                    collation: None,
                    primary_key: false,
                };
                match super::column_default_value(&probe) {
                    Some(_) => default_null = false,
                    None if matches!(expr, crate::sql::ast::Expr::Literal(crate::sql::ast::Literal::Null)) => {}
                    // As in SQLite: allowed while the table is empty (old rows could not
                    // read such a default), checked when the statement runs.
                    None => (default_null, default_constant) = (false, false),
                }
            }
            _ => {}
        }
    }

    // Splice the definition after the last column definition.
    let Ok(Some((Stmt::CreateTable(ct), _))) = crate::sql::parse_one(&table.sql) else {
        return Err(Error::new(crate::error::code::CORRUPT, "malformed database schema"));
    };
    let CreateTableBody::Columns { columns, .. } = &ct.body else {
        return Err(Error::new(crate::error::code::CORRUPT, "malformed database schema"));
    };
    let at = columns.last().map_or(0, |c| c.span.end as usize);
    let def_text = def.span.text(b.sql);
    let new_sql = format!("{}, {}{}", &table.sql[..at], def_text, &table.sql[at..]);
    schema::parse_table(&new_sql, table.root)?;
    b.use_txn(true);
    let mut columns = Vec::new();
    if not_null && default_null {
        columns = error_if_not_empty(b, &table, "Cannot add a NOT NULL column with default value NULL")?;
    }
    if !default_constant {
        columns = error_if_not_empty(b, &table, "Cannot add a column with non-constant default")?;
    }
    rewrite_schema_sql(b, "table", &table.name, &new_sql);
    finish_schema_change(b);
    Ok(columns)
}

/// Fails the statement with `message` (SQLITE_ERROR) if `table` has a row when it runs: what
/// ADD COLUMN allows only on an empty table. SQLite makes this check with a nested
/// `SELECT raise(ABORT, message) FROM table`, whose result column its ALTER statement then
/// reports (a column count of 1, no rows); that column is returned, for the same answer.
fn error_if_not_empty(b: &mut Builder<'_>, table: &Table, message: &str) -> Result<Vec<OutColumn>> {
    let c = b.cursor();
    b.open_table(Opcode::OpenRead, c, table)?;
    let empty = b.label();
    b.emit(Opcode::Rewind, c, empty, 0);
    b.emit4(Opcode::Halt, crate::error::code::ERROR, 2, 0, P4::Text(message.into()));
    b.resolve(empty);
    b.emit(Opcode::Close, c, 0, 0);
    let name = format!("raise(ABORT,'{}')", message.replace('\'', "''"));
    Ok(vec![OutColumn { name, decltype: None }])
}

pub fn begin(b: &mut Builder<'_>, kind: Option<TransactionKind>) {
    if matches!(kind, Some(TransactionKind::Immediate | TransactionKind::Exclusive)) {
        b.txn = Some(true);
        b.exclusive = kind == Some(TransactionKind::Exclusive);
    }
    b.emit(Opcode::AutoCommit, 0, 0, 0);
}
