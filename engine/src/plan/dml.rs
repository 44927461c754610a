//! INSERT, UPDATE and DELETE: row construction, constraint checks with SQLite's messages and
//! conflict resolution, index maintenance, change counting.
//!
//! Invariants:
//! 1. A row is built in registers `rowid, base..base+ncol` (the INTEGER PRIMARY KEY's slot
//!    NULL in the record) before any b-tree is changed, and all checks run before the first
//!    change for that row.
//! 2. UPDATE and DELETE first collect the rowids to change in a row set, then change them, so
//!    a change never affects which rows the WHERE scan visits.
//! 3. Every index entry is (indexed columns..., rowid), an expression column computed from
//!    the row; a partial index has entries only for rows its WHERE keeps; deleting a row
//!    deletes its entries.
//! 4. A WITHOUT ROWID table's row is keyed by its PRIMARY KEY instead of a rowid: the "rowid"
//!    registers of the functions below are then the PK columns' registers (in PK order),
//!    its row is an index entry in record order (schema invariant 4) written with IdxInsert,
//!    its index entries end with the PK columns they lack, and UPDATE/DELETE collect PKs in
//!    a sorter instead of rowids in a row set.
//! 5. Clauses SQLite defines through queries are compiled as those queries: ORDER BY/LIMIT on
//!    UPDATE/DELETE as `key IN (SELECT key ... LIMIT ...)`, UPDATE ... FROM as EXISTS and
//!    per-value subqueries over the FROM clause.

use std::sync::Arc;

use super::ddl::index_key_info;
use super::expr::{self, jump_if_false};
use super::select::{self, Dest};
use super::{Builder, OutColumn, RowSource, Scope, Source};
use crate::error::{Error, Result};
use crate::schema::{Index, Table};
use crate::sql::ast::{
    Delete, Expr, FromClause, Insert, InsertSource, Limit, Name, OrderingTerm, QualifiedName, ResolveType, ResultColumn, Select,
    SubExpr, Update, With,
};
use crate::vdbe::exec::{CONSTRAINT_CHECK, CONSTRAINT_DATATYPE, CONSTRAINT_NOTNULL, CONSTRAINT_PRIMARYKEY, CONSTRAINT_ROWID, CONSTRAINT_UNIQUE, OPFLAG_LASTROWID, OPFLAG_NCHANGE};
use crate::vdbe::{KeyInfo, Opcode, P4};

struct Target {
    table: Arc<Table>,
    cursor: i32,
    indexes: Vec<(Arc<Index>, i32)>,
}

fn open_target(b: &mut Builder<'_>, table: Arc<Table>) -> Result<Target> {
    if table.root == 1 {
        return Err(Error::sql(format!("table {} may not be modified", table.name)));
    }
    b.use_txn(true);
    let cursor = b.cursor();
    b.open_table(Opcode::OpenWrite, cursor, &table)?;
    let mut indexes = Vec::new();
    let list: Vec<Arc<Index>> = b.schema.indexes_of(&table.name).cloned().collect();
    for idx in list {
        let c = b.cursor();
        let k = index_key_info(&table, &idx.columns)?;
        b.emit4(Opcode::OpenWrite, c, idx.root as i32, 0, P4::KeyInfo(k));
        indexes.push((idx, c));
    }
    Ok(Target { table, cursor, indexes })
}

fn affinity_string(t: &Table) -> String {
    t.columns.iter().map(|c| c.affinity.code() as char).collect()
}

/// The number of fields of an entry of `idx` (its columns, then the rowid or the PK columns
/// it lacks).
fn index_key_len(t: &Table, idx: &Index) -> i32 {
    if t.pk.is_empty() {
        idx.columns.len() as i32 + 1
    } else {
        t.index_key_columns(&idx.columns).len() as i32
    }
}

/// Copies a WITHOUT ROWID row's PRIMARY KEY from the row registers into fresh registers.
fn pk_regs(b: &mut Builder<'_>, table: &Table, base: i32) -> i32 {
    let key = b.regs(table.pk.len());
    for (j, p) in table.pk.iter().enumerate() {
        b.emit(Opcode::SCopy, base + p.column, key + j as i32, 0);
    }
    key
}

/// Reads the PRIMARY KEY of the WITHOUT ROWID row cursor `c` (the table's) stands on.
fn pk_from_cursor(b: &mut Builder<'_>, table: &Table, c: i32) -> i32 {
    let key = b.regs(table.pk.len());
    for j in 0..table.pk.len() {
        b.emit(Opcode::Column, c, j as i32, key + j as i32);
    }
    key
}

/// Jumps to `same` when the PRIMARY KEYs in registers `x` and `y` are equal under the key's
/// collations.
fn jump_if_same_pk(b: &mut Builder<'_>, table: &Table, x: i32, y: i32, same: i32) -> Result<()> {
    let k = index_key_info(table, &table.pk)?;
    let differ = b.label();
    b.emit4(Opcode::Compare, x, y, table.pk.len() as i32, P4::KeyInfo(k));
    b.emit(Opcode::Jump, differ, same, differ);
    b.resolve(differ);
    Ok(())
}

/// The order SQLite checks a row's uniqueness constraints in: an UPSERT's target first, then
/// the table's indexes newest first (a WITHOUT ROWID table's PRIMARY KEY, `None`, taking the
/// place its automatic index number gives it), those whose own conflict resolution is REPLACE
/// last. Positions are in `t.indexes`.
fn constraint_order(t: &Target, upsert: Option<&UpsertPlan<'_>>) -> Vec<Option<usize>> {
    let auto_no = |name: &str| name.strip_prefix("sqlite_autoindex_").and_then(|r| r.rsplit('_').next()).and_then(|n| n.parse::<usize>().ok());
    let mut order: Vec<Option<usize>> = (0..t.indexes.len()).map(Some).collect();
    if let Some(pk) = t.table.pk_index() {
        let n = auto_no(&pk.name).unwrap_or(0);
        let at = t.indexes.iter().position(|(ix, _)| ix.sql.is_some() || auto_no(&ix.name).is_some_and(|m| m > n)).unwrap_or(t.indexes.len());
        order.insert(at, None);
    }
    order.reverse();
    let replace = |c: &Option<usize>| match c {
        None => t.table.ipk_conflict == Some(ResolveType::Replace),
        Some(i) => t.indexes[*i].0.on_conflict == Some(ResolveType::Replace),
    };
    let target = |c: &Option<usize>| match (upsert.and_then(|u| u.target), c) {
        (Some(usize::MAX), None) => true,
        (Some(x), Some(i)) => x == *i,
        _ => false,
    };
    let mut out: Vec<Option<usize>> = order.iter().copied().filter(|c| target(c)).collect();
    out.extend(order.iter().copied().filter(|c| !target(c) && !replace(c)));
    out.extend(order.iter().copied().filter(|c| !target(c) && replace(c)));
    out
}

/// Fails the statement (SQLITE_CONSTRAINT_DATATYPE) unless the value in `reg` (affinity
/// applied) suits column `i` of STRICT `table` of type `ty`: NULL, or an integer for INT and
/// INTEGER, a real or an integer for REAL, a text for TEXT, a blob for BLOB.
fn strict_type_check(b: &mut Builder<'_>, table: &Table, i: usize, ty: &str, reg: i32) -> Result<()> {
    let ok = b.label();
    b.emit(Opcode::IsNull, reg, ok, 0);
    let kind = b.reg();
    let a = b.emit4(Opcode::Function, 0, reg, kind, P4::Func(b.funcs.lookup("typeof", 1)?));
    b.set_p5(a, 1);
    let allowed: &[&str] = match ty {
        "INT" | "INTEGER" => &["integer"],
        "REAL" => &["real", "integer"],
        "TEXT" => &["text"],
        _ => &["blob"],
    };
    let name = b.reg();
    for (storage, shown) in [("integer", "INT"), ("real", "REAL"), ("text", "TEXT"), ("blob", "BLOB")] {
        b.emit4(Opcode::String8, 0, name, 0, P4::Text(storage.into()));
        if allowed.contains(&storage) {
            b.emit(Opcode::Eq, name, ok, kind);
            continue;
        }
        let next = b.label();
        b.emit(Opcode::Ne, name, next, kind);
        let msg = format!("cannot store {shown} value in {ty} column {}.{}", table.name, table.columns[i].name);
        b.emit4(Opcode::Halt, CONSTRAINT_DATATYPE, halt_code(ResolveType::Abort), 0, P4::Text(msg));
        b.resolve(next);
    }
    b.resolve(ok);
    Ok(())
}

/// The row in registers `base..` (rowid in `rowid`) of `t`'s table, as a scope for index
/// expressions and partial-index conditions.
fn row_scope(t: &Target, base: i32, rowid: i32) -> Scope {
    Scope {
        sources: vec![Source { name: t.table.name.clone(), table: Arc::clone(&t.table), row: RowSource::Regs { base, rowid } }],
        parent: None,
        hidden: Vec::new(),
    }
}

/// Jumps to `skip` when the row in registers has no entry in `idx`: a partial index whose
/// condition is false or NULL for it (nothing for other indexes).
fn skip_unless_indexed(b: &mut Builder<'_>, t: &Target, idx: &Index, base: i32, rowid: i32, skip: i32) -> Result<()> {
    match &idx.where_clause {
        Some(w) => jump_if_false(b, &row_scope(t, base, rowid), w, skip),
        None => Ok(()),
    }
}

/// Builds index `i`'s key for the row in registers into key..key+n+1 (expression columns
/// computed from the row).
fn index_key(b: &mut Builder<'_>, t: &Target, idx: &Index, base: i32, rowid: i32) -> Result<i32> {
    let keys = if t.table.pk.is_empty() { idx.columns.clone() } else { t.table.index_key_columns(&idx.columns) };
    let n = keys.len();
    let key = b.regs(n + t.table.pk.is_empty() as usize);
    for (j, c) in keys.iter().enumerate() {
        let r = key + j as i32;
        match &c.expr {
            Some(e) => expr::expr(b, &row_scope(t, base, rowid), e, r)?,
            None if c.column < 0 || t.table.ipk == Some(c.column as usize) => {
                b.emit(Opcode::SCopy, rowid, r, 0);
            }
            None => {
                b.emit(Opcode::SCopy, base + c.column, r, 0);
            }
        }
    }
    if t.table.pk.is_empty() {
        b.emit(Opcode::SCopy, rowid, key + n as i32, 0);
    }
    Ok(key)
}

/// Deletes the row cursor `t.cursor` stands on, with its index entries.
fn delete_current(b: &mut Builder<'_>, t: &Target, count: bool) -> Result<()> {
    delete_index_entries(b, t)?;
    let a = b.emit(Opcode::Delete, t.cursor, 0, 0);
    if count {
        b.set_p5(a, OPFLAG_NCHANGE);
    }
    Ok(())
}

fn halt_code(r: ResolveType) -> i32 {
    match r {
        ResolveType::Rollback => 1,
        ResolveType::Fail => 3,
        _ => 2,
    }
}

/// Checks and writes the row in `rowid, base..`: NOT NULL, CHECK, rowid and UNIQUE conflicts,
/// then the table row and index entries. `skip` is where an IGNOREd row continues.
/// `old_rowid`: for UPDATE, the row being replaced (its own index entries are not conflicts).
#[allow(clippy::too_many_arguments)]
fn check_and_write(
    b: &mut Builder<'_>,
    t: &Target,
    base: i32,
    rowid: i32,
    or: Option<ResolveType>,
    skip: i32,
    update: Option<i32>,
    rowid_given: bool,
    upsert: Option<&UpsertPlan<'_>>,
) -> Result<()> {
    let table = Arc::clone(&t.table);
    let ncol = table.columns.len();
    // Affinity first so checks see stored values.
    b.emit4(Opcode::Affinity, base, ncol as i32, 0, P4::Affinity(affinity_string(&table)));
    for (i, c) in table.columns.iter().enumerate() {
        if c.not_null && table.ipk != Some(i) {
            let onerr = or.unwrap_or(ResolveType::Abort);
            let msg = format!("NOT NULL constraint failed: {}.{}", table.name, c.name);
            match onerr {
                ResolveType::Ignore => {
                    b.emit(Opcode::IsNull, base + i as i32, skip, 0);
                }
                ResolveType::Replace if c.default.is_some() => {
                    let ok = b.label();
                    b.emit(Opcode::NotNull, base + i as i32, ok, 0);
                    let scope = Scope::default();
                    expr::expr(b, &scope, c.default.as_ref().expect("checked"), base + i as i32)?;
                    b.resolve(ok);
                }
                other => {
                    b.emit4(Opcode::HaltIfNull, CONSTRAINT_NOTNULL, halt_code(other), base + i as i32, P4::Text(msg));
                }
            }
        }
    }
    // A STRICT table's types: after NOT NULL, before CHECK; whatever the conflict clause.
    for i in 0..ncol {
        match table.strict_type(i) {
            Some(ty) if ty != "ANY" && table.ipk != Some(i) => strict_type_check(b, &table, i, ty, base + i as i32)?,
            _ => {}
        }
    }
    if !table.checks.is_empty() {
        let scope = Scope {
            sources: vec![Source { name: table.name.clone(), table: Arc::clone(&table), row: RowSource::Regs { base, rowid } }],
            parent: None,
 hidden: Vec::new(),
        };
        for chk in &table.checks {
            let ok = b.label();
            let r = b.reg();
            expr::expr(b, &scope, &chk.expr, r)?;
            b.emit(Opcode::If, r, ok, 1);
            let onerr = or.unwrap_or(ResolveType::Abort);
            if onerr == ResolveType::Ignore {
                b.emit(Opcode::Goto, 0, skip, 0);
            } else {
                b.emit4(Opcode::Halt, CONSTRAINT_CHECK, halt_code(onerr), 0, P4::Text(format!("CHECK constraint failed: {}", chk.name)));
            }
            b.resolve(ok);
        }
    }
    // Rowid conflict.
    if rowid_given && table.pk.is_empty() {
        let ok = b.label();
        if let Some(old) = update {
            b.emit(Opcode::Eq, old, ok, rowid);
        }
        b.emit(Opcode::NotExists, t.cursor, ok, rowid);
        let onerr = or.or(table.ipk_conflict).unwrap_or(ResolveType::Abort);
        if let Some(u) = upsert.filter(|u| u.target.is_none_or(|x| x == usize::MAX)) {
            upsert_action(b, t, u, base, rowid, rowid, skip)?;
        } else {
        match onerr {
            ResolveType::Ignore => {
                b.emit(Opcode::Goto, 0, skip, 0);
            }
            ResolveType::Replace => delete_current(b, t, false)?,
            other => {
                // An INTEGER PRIMARY KEY fails as a PRIMARY KEY; a hidden rowid as a rowid.
                let (code, col) = match table.ipk {
                    Some(i) => (CONSTRAINT_PRIMARYKEY, table.columns[i].name.clone()),
                    None => (CONSTRAINT_ROWID, "rowid".to_string()),
                };
                b.emit4(Opcode::Halt, code, halt_code(other), 0, P4::Text(format!("UNIQUE constraint failed: {}.{}", table.name, col)));
            }
        }
        }
        b.resolve(ok);
    }
    // PRIMARY KEY conflict of a WITHOUT ROWID table (invariant 4) and UNIQUE indexes, in
    // SQLite's order ([`constraint_order`]).
    let new_pk = if table.pk.is_empty() { 0 } else { pk_regs(b, &table, base) };
    for check in constraint_order(t, upsert) {
        let Some(ix_no) = check else {
            if !rowid_given {
                continue;
            }
            let ok = b.label();
            if let Some(old) = update {
                jump_if_same_pk(b, &table, new_pk, old, ok)?;
            }
            b.emit4(Opcode::NotFound, t.cursor, ok, new_pk, P4::Int64(table.pk.len() as i64));
            let onerr = or.or(table.ipk_conflict).unwrap_or(ResolveType::Abort);
            if let Some(u) = upsert.filter(|u| u.target.is_none_or(|x| x == usize::MAX)) {
                let other = pk_from_cursor(b, &table, t.cursor);
                upsert_action(b, t, u, base, rowid, other, skip)?;
            } else {
                match onerr {
                    ResolveType::Ignore => {
                        b.emit(Opcode::Goto, 0, skip, 0);
                    }
                    ResolveType::Replace => delete_current(b, t, false)?,
                    other => {
                        let names: Vec<String> = table.pk.iter().map(|p| format!("{}.{}", table.name, table.columns[p.column as usize].name)).collect();
                        b.emit4(Opcode::Halt, CONSTRAINT_PRIMARYKEY, halt_code(other), 0, P4::Text(format!("UNIQUE constraint failed: {}", names.join(", "))));
                    }
                }
            }
            b.resolve(ok);
            continue;
        };
        let (idx, c) = &t.indexes[ix_no];
        if !idx.unique {
            continue;
        }
        let n = idx.columns.len();
        let ok = b.label();
        skip_unless_indexed(b, t, idx, base, rowid, ok)?;
        let key = index_key(b, t, idx, base, rowid)?;
        for j in 0..n {
            b.emit(Opcode::IsNull, key + j as i32, ok, 0);
        }
        b.emit4(Opcode::NotFound, *c, ok, key, P4::Int64(n as i64));
        let other;
        if table.pk.is_empty() {
            other = b.reg();
            b.emit(Opcode::IdxRowid, *c, other, 0);
            // The entry of the row being written is no conflict: on UPDATE that row's entry
            // still has the old rowid (the new one differs when the rowid changes).
            b.emit(Opcode::Eq, other, ok, update.unwrap_or(rowid));
        } else {
            // The entry's row is the row being updated: no conflict.
            other = b.regs(table.pk.len());
            for (j, p) in table.pk.iter().enumerate() {
                b.emit(Opcode::Column, *c, table.index_pk_field(&idx.columns, p) as i32, other + j as i32);
            }
            if let Some(old) = update {
                jump_if_same_pk(b, &table, other, old, ok)?;
            }
        }
        // Positions the table cursor on the conflicting row (or skips to `tmp`).
        let seek_other = |b: &mut Builder<'_>, tmp: i32| {
            if table.pk.is_empty() {
                b.emit(Opcode::NotExists, t.cursor, tmp, other);
            } else {
                b.emit4(Opcode::NotFound, t.cursor, tmp, other, P4::Int64(table.pk.len() as i64));
            }
        };
        let onerr = or.or(idx.on_conflict).unwrap_or(ResolveType::Abort);
        if let Some(u) = upsert.filter(|u| u.target.is_none_or(|x| x == ix_no)) {
            let tmp = b.label();
            seek_other(b, tmp);
            upsert_action(b, t, u, base, rowid, other, skip)?;
            b.resolve(tmp);
        } else {
        match onerr {
            ResolveType::Ignore => {
                b.emit(Opcode::Goto, 0, skip, 0);
            }
            ResolveType::Replace => {
                let tmp = b.label();
                seek_other(b, tmp);
                delete_current(b, t, false)?;
                b.resolve(tmp);
            }
            o => {
                let code = if idx.is_primary_key { CONSTRAINT_PRIMARYKEY } else { CONSTRAINT_UNIQUE };
                b.emit4(Opcode::Halt, code, halt_code(o), 0, P4::Text(table.unique_failed(&idx.name, &idx.columns)));
            }
        }
        }
        b.resolve(ok);
    }
    // Writes.
    if !table.pk.is_empty() {
        if let Some(old) = update {
            // The old row and its entries go; the new row is a new entry (its key may differ).
            let gone = b.label();
            b.emit4(Opcode::NotFound, t.cursor, gone, old, P4::Int64(table.pk.len() as i64));
            delete_index_entries(b, t)?;
            b.emit(Opcode::Delete, t.cursor, 0, 0);
            b.resolve(gone);
        }
        let order = table.record_order();
        let fields = b.regs(ncol);
        for (j, &col) in order.iter().enumerate() {
            b.emit(Opcode::SCopy, base + col as i32, fields + j as i32, 0);
        }
        let rec = b.reg();
        b.emit(Opcode::MakeRecord, fields, ncol as i32, rec);
        let a = b.emit(Opcode::IdxInsert, t.cursor, rec, 0);
        b.set_p5(a, OPFLAG_NCHANGE);
    }
    if let Some(old) = update.filter(|_| table.pk.is_empty()) {
        // Remove the old row's index entries (cursor repositioned on the old row).
        let same = b.label();
        let gone = b.label();
        b.emit(Opcode::NotExists, t.cursor, gone, old);
        delete_index_entries(b, t)?;
        b.emit(Opcode::Eq, old, same, rowid);
        b.emit(Opcode::Delete, t.cursor, 0, 0);
        b.resolve(same);
        b.resolve(gone);
    }
    if let Some(i) = table.ipk {
        b.emit(Opcode::Null, 0, base + i as i32, 0);
    }
    if table.pk.is_empty() {
        let rec = b.reg();
        b.emit(Opcode::MakeRecord, base, ncol as i32, rec);
        let a = b.emit(Opcode::Insert, t.cursor, rec, rowid);
        b.set_p5(a, if update.is_some() { OPFLAG_NCHANGE } else { OPFLAG_NCHANGE | OPFLAG_LASTROWID });
    }
    if let Some(i) = table.ipk {
        b.emit(Opcode::SCopy, rowid, base + i as i32, 0);
    }
    for (idx, c) in &t.indexes {
        let skip = b.label();
        skip_unless_indexed(b, t, idx, base, rowid, skip)?;
        let key = index_key(b, t, idx, base, rowid)?;
        let r = b.reg();
        b.emit(Opcode::MakeRecord, key, index_key_len(&t.table, idx), r);
        b.emit(Opcode::IdxInsert, *c, r, 0);
        b.resolve(skip);
    }
    if let Some((_, _, name)) = &b.returning {
        let scope = Scope {
            sources: vec![Source { name: name.clone(), table: Arc::clone(&t.table), row: RowSource::Regs { base, rowid } }],
            parent: None,
 hidden: Vec::new(),
        };
        returning_row(b, &scope)?;
    }
    Ok(())
}

/// Starts RETURNING: expands the list, opens the sorter that holds the rows until the
/// changes are done, and returns the result columns (empty without RETURNING).
fn returning_begin(b: &mut Builder<'_>, table: &Arc<Table>, alias: Option<&str>, list: &[crate::sql::ast::ResultColumn]) -> Result<Vec<OutColumn>> {
    use crate::sql::ast::ResultColumn;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let name = alias.unwrap_or(&table.name).to_string();
    let mut exprs = Vec::new();
    let mut cols = Vec::new();
    for rc in list {
        match rc {
            ResultColumn::Expr { expr, alias, span } => {
                let (n, decl) = match (alias, expr) {
                    (Some(a), _) => (a.to_string(), None),
                    (None, Expr::Id { name: n, .. }) | (None, Expr::Qualified { column: n, .. }) => {
                        let i = table.column_index(n);
                        (i.map_or_else(|| n.to_string(), |i| table.columns[i].name.clone()), i.map(|i| table.columns[i].decl_type.clone()).filter(|d| !d.is_empty()))
                    }
                    (None, _) => (b.sql.get(span.range()).unwrap_or("?").to_string(), None),
                };
                exprs.push(expr.clone());
                cols.push(OutColumn { name: n, decltype: decl });
            }
            ResultColumn::Star | ResultColumn::TableStar(_) => {
                for c in &table.columns {
                    exprs.push(Expr::Qualified { schema: None, table: name.as_str().into(), column: c.name.as_str().into() });
                    cols.push(OutColumn { name: c.name.clone(), decltype: Some(c.decl_type.clone()).filter(|d| !d.is_empty()) });
                }
            }
        }
    }
    let c = b.cursor();
    b.emit4(Opcode::SorterOpen, c, exprs.len() as i32, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
    b.returning = Some((c, exprs, name));
    b.needs_stmt_journal = true;
    Ok(cols)
}

/// Evaluates the RETURNING expressions for the row visible in `scope` into the sorter.
fn returning_row(b: &mut Builder<'_>, scope: &Scope) -> Result<()> {
    let Some((c, exprs, _)) = b.returning.clone() else { return Ok(()) };
    let base = b.regs(exprs.len());
    for (i, e) in exprs.iter().enumerate() {
        expr::expr(b, scope, e, base + i as i32)?;
    }
    b.emit(Opcode::SorterInsert, c, base, exprs.len() as i32);
    Ok(())
}

/// Delivers the RETURNING rows after the changes.
fn returning_end(b: &mut Builder<'_>, n: usize) {
    let Some((c, _, _)) = b.returning.take() else { return };
    let (end, top) = (b.label(), b.label());
    let base = b.regs(n);
    b.emit(Opcode::SorterSort, c, end, 0);
    b.resolve(top);
    for i in 0..n {
        b.emit(Opcode::Column, c, i as i32, base + i as i32);
    }
    b.emit(Opcode::ResultRow, base, n as i32, 0);
    b.emit(Opcode::SorterNext, c, top, 0);
    b.resolve(end);
}

/// Deletes the index entries of the row cursor `t.cursor` stands on.
fn delete_index_entries(b: &mut Builder<'_>, t: &Target) -> Result<()> {
    if t.indexes.is_empty() {
        return Ok(());
    }
    let ncol = t.table.columns.len();
    let base = b.regs(ncol);
    let rowid = b.reg();
    if t.table.pk.is_empty() {
        b.emit(Opcode::Rowid, t.cursor, rowid, 0);
    }
    for i in 0..ncol {
        if t.table.ipk != Some(i) {
            b.column(t.cursor, &t.table, i, base + i as i32);
        }
    }
    for (idx, c) in &t.indexes {
        let skip = b.label();
        skip_unless_indexed(b, t, idx, base, rowid, skip)?;
        let key = index_key(b, t, idx, base, rowid)?;
        b.emit(Opcode::IdxDelete, *c, key, index_key_len(&t.table, idx));
        b.resolve(skip);
    }
    Ok(())
}

pub fn insert(b: &mut Builder<'_>, ins: &Insert) -> Result<Vec<OutColumn>> {
    with_ctes(b, ins.with.as_ref(), |b| insert_body(b, ins))
}

/// Compiles `body` with the WITH clause's tables visible (to the whole statement).
fn with_ctes<'b>(b: &mut Builder<'b>, with: Option<&With>, body: impl FnOnce(&mut Builder<'b>) -> Result<Vec<OutColumn>>) -> Result<Vec<OutColumn>> {
    let saved_ctes = b.ctes.len();
    for cte in with.iter().flat_map(|w| &w.ctes) {
        b.ctes.push((cte.name.to_string(), cte.columns.iter().map(|c| c.to_string()).collect(), Arc::new((*cte.select).clone())));
    }
    let r = body(b);
    b.ctes.truncate(saved_ctes);
    r
}

/// `UPDATE t SET c = e ... FROM f WHERE w` as assignments and a WHERE clause over `t` alone:
/// a row of `t` is updated when `EXISTS (SELECT 1 FROM f WHERE w)`, each value is `e` on the
/// last row of `SELECT ... FROM f WHERE w` (SQLite's answer when several rows of `f` match:
/// it applies them in turn, so the last one stays), a row-value assignment's values from one
/// such row.
fn update_from(from: &FromClause, sets: &[crate::sql::ast::Assignment], where_clause: Option<&Expr>) -> Result<(Vec<crate::sql::ast::Assignment>, Expr)> {
    use crate::sql::ast::{Assignment, BinaryOp, FunctionArgs, FunctionCall, Literal};
    let query = |columns: Vec<Expr>, limit: Option<Limit>| Select {
        limit,
        ..Select::simple(columns.into_iter().map(ResultColumn::expr).collect(), from.clone(), where_clause.cloned())
    };
    let count = Expr::FunctionCall(Box::new(FunctionCall { name: "count".into(), distinct: false, args: FunctionArgs::Star, filter: None, over: None }));
    let matches = Expr::Subquery(Box::new(query(vec![count], None)));
    let last = Limit {
        limit: Expr::Literal(Literal::Integer(1)),
        offset: Some(Expr::Binary { op: BinaryOp::Subtract, left: SubExpr::new(matches), right: SubExpr::new(Expr::Literal(Literal::Integer(1))) }),
    };
    let mut out = Vec::with_capacity(sets.len());
    for a in sets {
        let columns = match &a.expr {
            Expr::Vector(list) if a.columns.len() > 1 => list.clone(),
            Expr::Subquery(_) if a.columns.len() > 1 => return Err(Error::not_supported("UPDATE ... FROM with SET (...) = (SELECT ...)")),
            e => vec![e.clone()],
        };
        out.push(Assignment { columns: a.columns.clone(), expr: Expr::Subquery(Box::new(query(columns, Some(last.clone())))) });
    }
    let one = Expr::Literal(Literal::Integer(1));
    Ok((out, Expr::Exists(Box::new(query(vec![one], None)))))
}

/// The WHERE clause of a DELETE or UPDATE (`what`) with ORDER BY and LIMIT as SQLite reads
/// them (Debian's build has SQLITE_ENABLE_UPDATE_DELETE_LIMIT): the rows whose key is among
/// `SELECT key FROM table WHERE ... ORDER BY ... LIMIT ...` (the rowid, or a WITHOUT ROWID
/// table's PRIMARY KEY as a row value). Without LIMIT, the WHERE clause itself.
fn limited_where(
    b: &mut Builder<'_>,
    table: &Table,
    from: (&QualifiedName, Option<&Name>),
    where_clause: Option<&Expr>,
    order_by: &[OrderingTerm],
    limit: Option<&Limit>,
    what: &str,
) -> Result<Option<Expr>> {
    let Some(limit) = limit else {
        if !order_by.is_empty() {
            return Err(Error::sql(format!("ORDER BY without LIMIT on {what}")));
        }
        return Ok(where_clause.cloned());
    };
    // SQLite evaluates LIMIT and OFFSET once, before any row: their errors come first even
    // when no row qualifies.
    let after = b.label();
    select::compile_limits(b, &Scope::default(), Some(limit), after)?;
    b.resolve(after);
    let id = |name: &str| Expr::Id { name: name.into(), double_quoted: false };
    let keys: Vec<Expr> = if table.pk.is_empty() {
        vec![id("rowid")]
    } else {
        table.pk.iter().map(|p| id(&table.columns[p.column as usize].name)).collect()
    };
    let select = Select {
        order_by: order_by.to_vec(),
        limit: Some(limit.clone()),
        ..Select::simple(
            keys.iter().cloned().map(ResultColumn::expr).collect(),
            FromClause::table(from.0.clone(), from.1.cloned()),
            where_clause.cloned(),
        )
    };
    let lhs = if keys.len() == 1 { keys.into_iter().next().expect("one key") } else { Expr::Vector(keys) };
    Ok(Some(Expr::InSelect { expr: SubExpr::new(lhs), not: false, select: Box::new(select) }))
}

fn insert_body(b: &mut Builder<'_>, ins: &Insert) -> Result<Vec<OutColumn>> {
    if ins.upsert.len() > 1 {
        return Err(Error::not_supported("more than one ON CONFLICT clause"));
    }

    let table = b.table(&ins.table)?;
    if !b.schema.triggers.is_empty() && b.schema.triggers.values().any(|t| t.eq_ignore_ascii_case(&table.name)) {
        return Err(Error::not_supported("tables with triggers"));
    }
    let ncol = table.columns.len();
    // Column list -> position in the supplied row.
    let mut map: Vec<Option<usize>> = vec![None; ncol];
    let mut rowid_pos: Option<usize> = None;
    let n_supplied;
    if ins.columns.is_empty() {
        for (i, m) in map.iter_mut().enumerate() {
            *m = Some(i);
        }
        rowid_pos = table.ipk;
        n_supplied = ncol;
    } else {
        for (j, name) in ins.columns.iter().enumerate() {
            match table.column_index(name) {
                Some(i) => {
                    map[i] = Some(j);
                    if table.ipk == Some(i) {
                        rowid_pos = Some(j);
                    }
                }
                None if table.pk.is_empty()
                    && (name.eq_ignore_ascii_case("rowid") || name.eq_ignore_ascii_case("oid") || name.eq_ignore_ascii_case("_rowid_")) =>
                {
                    rowid_pos = Some(j)
                }
                None => return Err(Error::sql(format!("table {} has no column named {}", table.name, name))),
            }
        }
        n_supplied = ins.columns.len();
    }
    let t = open_target(b, Arc::clone(&table))?;
    let out = returning_begin(b, &table, ins.alias.as_deref(), &ins.returning)?;
    let or = ins.or_conflict;
    let scope = Scope::default();
    let base = b.regs(ncol);
    let rowid = b.reg();
    let autoinc = autoinc_begin(b, &table)?;
    let upsert_plan = match ins.upsert.first() {
        Some(u) => Some(upsert_plan(&t, u)?),
        None => None,
    };
    let seq_reg = autoinc.as_ref().map_or(0, |a| a.seq);

    // Builds the row from supplied values in src..src+n_supplied (None: DEFAULT VALUES).
    let build = |b: &mut Builder<'_>, src: Option<i32>| -> Result<()> {
        let skip = b.label();
        for (i, c) in table.columns.iter().enumerate() {
            match (map[i], src) {
                (Some(j), Some(s)) => {
                    b.emit(Opcode::SCopy, s + j as i32, base + i as i32, 0);
                }
                _ => match &c.default {
                    Some(d) => expr::expr(b, &scope, d, base + i as i32)?,
                    None => {
                        b.emit(Opcode::Null, 0, base + i as i32, 0);
                    }
                },
            }
        }
        let given = match (rowid_pos, src) {
            // A WITHOUT ROWID row has no rowid; its PRIMARY KEY is always checked.
            _ if !table.pk.is_empty() => true,
            (Some(j), Some(s)) => {
                let auto = b.label();
                let done = b.label();
                b.emit(Opcode::SCopy, s + j as i32, rowid, 0);
                b.emit(Opcode::IsNull, rowid, auto, 0);
                b.emit(Opcode::MustBeInt, rowid, 0, 0);
                b.emit(Opcode::Goto, 0, done, 0);
                b.resolve(auto);
                b.emit(Opcode::NewRowid, t.cursor, rowid, seq_reg);
                b.resolve(done);
                true
            }
            _ => {
                b.emit(Opcode::NewRowid, t.cursor, rowid, seq_reg);
                false
            }
        };
        if let Some(i) = table.ipk {
            b.emit(Opcode::SCopy, rowid, base + i as i32, 0);
        }
        // AUTOINCREMENT counts the rowid as soon as it is known, as SQLite does: a row that a
        // conflict clause then drops (OR IGNORE) still advances sqlite_sequence.
        if seq_reg != 0 {
            let keep = b.label();
            b.emit(Opcode::Le, seq_reg, keep, rowid);
            b.emit(Opcode::SCopy, rowid, seq_reg, 0);
            b.resolve(keep);
        }
        check_and_write(b, &t, base, rowid, or, skip, None, given, upsert_plan.as_ref())?;
        b.resolve(skip);
        Ok(())
    };

    match &ins.source {
        InsertSource::DefaultValues => build(b, None)?,
        InsertSource::Select(sel) => {
            let simple_values = match &sel.body.first {
                crate::sql::ast::SelectCore::Values(rows) if sel.body.compounds.is_empty() && sel.order_by.is_empty() && sel.limit.is_none() => Some(rows),
                _ => None,
            };
            if let Some(rows) = simple_values {
                let replace_possible = or == Some(ResolveType::Replace)
                    || !ins.upsert.is_empty()
                    || table.ipk_conflict == Some(ResolveType::Replace)
                    || t.indexes.iter().any(|(i, _)| i.on_conflict == Some(ResolveType::Replace));
                if rows.len() == 1 && !replace_possible {
                    b.needs_stmt_journal = false;
                }
                // Rows of unequal length are refused before the count is compared with the
                // table's (SQLite checks it while parsing).
                if rows.iter().any(|r| r.len() != rows[0].len()) {
                    return Err(Error::sql("all VALUES must have the same number of terms"));
                }
                for row in rows {
                    if row.len() != n_supplied {
                        return Err(if ins.columns.is_empty() {
                            Error::sql(format!("table {} has {} columns but {} values were supplied", table.name, ncol, row.len()))
                        } else {
                            Error::sql(format!("{} values for {} columns", row.len(), n_supplied))
                        });
                    }
                    let src = b.regs(n_supplied);
                    for (j, e) in row.iter().enumerate() {
                        expr::expr(b, &scope, e, src + j as i32)?;
                    }
                    build(b, Some(src))?;
                }
            } else {
                // Materialize the SELECT first (it may read the table being written).
                let s = b.cursor();
                b.emit4(Opcode::SorterOpen, s, n_supplied as i32, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
                let cols = select::compile_select(b, &scope, sel, Dest::Collect { cursor: s })?;
                if cols.len() != n_supplied {
                    return Err(if ins.columns.is_empty() {
                        Error::sql(format!("table {} has {} columns but {} values were supplied", table.name, ncol, cols.len()))
                    } else {
                        Error::sql(format!("{} values for {} columns", cols.len(), n_supplied))
                    });
                }
                let (end, top) = (b.label(), b.label());
                b.emit(Opcode::SorterSort, s, end, 0);
                b.resolve(top);
                let src = b.regs(n_supplied);
                for j in 0..n_supplied {
                    b.emit(Opcode::Column, s, j as i32, src + j as i32);
                }
                build(b, Some(src))?;
                b.emit(Opcode::SorterNext, s, top, 0);
                b.resolve(end);
            }
        }
    }
    if let Some(a) = &autoinc {
        autoinc_end(b, a);
    }
    returning_end(b, out.len());
    Ok(out)
}

/// The AUTOINCREMENT state of an INSERT: the sqlite_sequence cursor, the register holding the
/// largest rowid used, and the register holding that row's rowid in sqlite_sequence (NULL
/// when the table has no row there yet).
struct AutoInc {
    cursor: i32,
    seq: i32,
    seq_rowid: i32,
    name: String,
}

fn autoinc_begin(b: &mut Builder<'_>, table: &Table) -> Result<Option<AutoInc>> {
    if !table.autoincrement {
        return Ok(None);
    }
    let Some(sq) = b.schema.table("sqlite_sequence").cloned() else {
        return Err(Error::new(crate::error::code::CORRUPT, "database disk image is malformed"));
    };
    let cursor = b.cursor();
    b.emit(Opcode::OpenWrite, cursor, sq.root as i32, 0);
    let (seq, seq_rowid, name_reg, tmp) = (b.reg(), b.reg(), b.reg(), b.reg());
    b.emit(Opcode::Integer, 0, seq, 0);
    b.emit(Opcode::Null, 0, seq_rowid, 0);
    b.emit4(Opcode::String8, 0, name_reg, 0, P4::Text(table.name.clone()));
    let (end, top, next) = (b.label(), b.label(), b.label());
    b.emit(Opcode::Rewind, cursor, end, 0);
    b.resolve(top);
    b.emit(Opcode::Column, cursor, 0, tmp);
    b.emit(Opcode::Ne, name_reg, next, tmp);
    b.emit(Opcode::Rowid, cursor, seq_rowid, 0);
    b.emit(Opcode::Column, cursor, 1, seq);
    b.emit(Opcode::Goto, 0, end, 0);
    b.resolve(next);
    b.emit(Opcode::Next, cursor, top, 0);
    b.resolve(end);
    Ok(Some(AutoInc { cursor, seq, seq_rowid, name: table.name.clone() }))
}

/// Writes the largest rowid back to sqlite_sequence.
fn autoinc_end(b: &mut Builder<'_>, a: &AutoInc) {
    let rec = b.regs(2);
    b.emit4(Opcode::String8, 0, rec, 0, P4::Text(a.name.clone()));
    b.emit(Opcode::SCopy, a.seq, rec + 1, 0);
    let r = b.reg();
    b.emit(Opcode::MakeRecord, rec, 2, r);
    let have = b.label();
    b.emit(Opcode::NotNull, a.seq_rowid, have, 0);
    b.emit(Opcode::NewRowid, a.cursor, a.seq_rowid, 0);
    b.resolve(have);
    b.emit(Opcode::Insert, a.cursor, r, a.seq_rowid);
}

/// Collects the rowids of `table` rows matching `where_clause` into row set `set` (a WITHOUT
/// ROWID table's PRIMARY KEYs into the sorter `set`, invariant 4).
fn collect_rowids(b: &mut Builder<'_>, table: &Arc<Table>, alias: Option<&str>, where_clause: Option<&Expr>, set: i32) -> Result<()> {
    let c = b.cursor();
    b.open_table(Opcode::OpenRead, c, table)?;
    if !table.pk.is_empty() {
        return collect_keys(b, table, alias, where_clause, set, c);
    }
    let scope = Scope {
        sources: vec![Source { name: alias.map_or_else(|| table.name.clone(), str::to_string), table: Arc::clone(table), row: RowSource::Cursor(c) }],
        parent: None,
 hidden: Vec::new(),
    };
    let (end, top, next) = (b.label(), b.label(), b.label());
    // `rowid = expr` (the rowid or its INTEGER PRIMARY KEY alias, expr not reading the table):
    // one SeekRowid instead of a scan, as SQLite's WHERE planner does for DML too.
    let mut terms = Vec::new();
    if let Some(w) = where_clause {
        super::select::conjuncts(w, &mut terms);
    }
    let key = terms.iter().find_map(|t| super::select::rowid_lookup(t, &scope.sources, 0, &[false]));
    if let Some(key) = key {
        let k = b.reg();
        super::expr::expr(b, &scope, key, k)?;
        b.emit(Opcode::SeekRowid, c, end, k);
        if let Some(w) = where_clause {
            jump_if_false(b, &scope, w, end)?;
        }
        let r = b.reg();
        b.emit(Opcode::Rowid, c, r, 0);
        b.emit(Opcode::RowSetAdd, set, r, 0);
        b.resolve(top);
        b.resolve(next);
        b.resolve(end);
        b.emit(Opcode::Close, c, 0, 0);
        return Ok(());
    }
    b.emit(Opcode::Rewind, c, end, 0);
    b.resolve(top);
    if let Some(w) = where_clause {
        jump_if_false(b, &scope, w, next)?;
    }
    let r = b.reg();
    b.emit(Opcode::Rowid, c, r, 0);
    b.emit(Opcode::RowSetAdd, set, r, 0);
    b.resolve(next);
    b.emit(Opcode::Next, c, top, 0);
    b.resolve(end);
    b.emit(Opcode::Close, c, 0, 0);
    Ok(())
}

/// [`collect_rowids`] for a WITHOUT ROWID table open on cursor `c`: a seek on its PRIMARY KEY
/// or an index when WHERE has `column = expr` on the first column of one, else a scan.
fn collect_keys(b: &mut Builder<'_>, table: &Arc<Table>, alias: Option<&str>, where_clause: Option<&Expr>, set: i32, c: i32) -> Result<()> {
    let npk = table.pk.len();
    b.emit4(Opcode::SorterOpen, set, npk as i32, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
    let scope = Scope {
        sources: vec![Source { name: alias.map_or_else(|| table.name.clone(), str::to_string), table: Arc::clone(table), row: RowSource::Cursor(c) }],
        parent: None,
        hidden: Vec::new(),
    };
    let (end, next) = (b.label(), b.label());
    let mut terms = Vec::new();
    if let Some(w) = where_clause {
        super::select::conjuncts(w, &mut terms);
    }
    let lookup = terms.iter().find_map(|t| super::select::index_lookup(b, &scope, t, 0, &[false]));
    let (top, ic) = match lookup {
        Some((ix, key)) => {
            let ic = if ix.root == table.root {
                c
            } else {
                let ic = b.cursor();
                let k = index_key_info(table, &ix.columns)?;
                b.emit4(Opcode::OpenRead, ic, ix.root as i32, 0, P4::KeyInfo(k));
                ic
            };
            let term_refs: Vec<&Expr> = terms.iter().collect();
            let rest = super::select::eq_prefix_rest(b, &scope, &ix, &term_refs, 0, &[false]);
            let (r, n) = super::select::eq_seek(b, &scope, table, &ix, key, &rest, ic, end)?;
            let top = b.label();
            b.resolve(top);
            b.emit4(Opcode::IdxGT, ic, end, r, P4::Int64(n));
            super::select::seek_table_row(b, table, &ix, ic, c, next);
            (top, ic)
        }
        None => {
            b.emit(Opcode::Rewind, c, end, 0);
            let top = b.label();
            b.resolve(top);
            (top, c)
        }
    };
    if let Some(w) = where_clause {
        jump_if_false(b, &scope, w, next)?;
    }
    let key = pk_from_cursor(b, table, c);
    b.emit(Opcode::SorterInsert, set, key, npk as i32);
    b.resolve(next);
    b.emit(Opcode::Next, ic, top, 0);
    b.resolve(end);
    b.emit(Opcode::Close, c, 0, 0);
    Ok(())
}

/// The set of rows [`collect_rowids`] filled: a row set of rowids, or a sorter of PRIMARY KEYs.
fn row_set(b: &mut Builder<'_>, table: &Table) -> i32 {
    if table.pk.is_empty() {
        b.reg()
    } else {
        b.cursor()
    }
}

/// The loop over the rows of a row set: the register(s) holding the row's key (rowid or PK),
/// the label that goes on to the next row, the loop's first instruction and its end.
struct RowsLoop {
    key: i32,
    next: i32,
    body: i32,
    end: i32,
}

/// Starts the loop over the rows of `set`, the table cursor on each in turn (rows gone since
/// they were collected are passed over).
fn rows_begin(b: &mut Builder<'_>, t: &Target, set: i32) -> RowsLoop {
    let (next, body, end) = (b.label(), b.label(), b.label());
    if t.table.pk.is_empty() {
        let key = b.reg();
        b.resolve(body);
        b.emit(Opcode::RowSetRead, set, end, key);
        b.emit(Opcode::NotExists, t.cursor, body, key);
        return RowsLoop { key, next, body, end };
    }
    let npk = t.table.pk.len();
    let key = b.regs(npk);
    b.emit(Opcode::SorterSort, set, end, 0);
    b.resolve(body);
    for j in 0..npk {
        b.emit(Opcode::Column, set, j as i32, key + j as i32);
    }
    b.emit4(Opcode::NotFound, t.cursor, next, key, P4::Int64(npk as i64));
    RowsLoop { key, next, body, end }
}

/// Ends the loop [`rows_begin`] started.
fn rows_end(b: &mut Builder<'_>, t: &Target, set: i32, l: &RowsLoop) {
    b.resolve(l.next);
    if t.table.pk.is_empty() {
        b.emit(Opcode::Goto, 0, l.body, 0);
    } else {
        b.emit(Opcode::SorterNext, set, l.body, 0);
    }
    b.resolve(l.end);
}

pub fn delete(b: &mut Builder<'_>, d: &Delete) -> Result<Vec<OutColumn>> {
    with_ctes(b, d.with.as_ref(), |b| delete_body(b, d))
}

fn delete_body(b: &mut Builder<'_>, d: &Delete) -> Result<Vec<OutColumn>> {
    if d.indexed.is_some() {
        return Err(Error::not_supported("INDEXED BY on DELETE"));
    }
    let table = b.table(&d.table)?;
    let where_clause = limited_where(b, &table, (&d.table, d.alias.as_ref()), d.where_clause.as_ref(), &d.order_by, d.limit.as_ref(), "DELETE")?;
    if b.schema.triggers.values().any(|t| t.eq_ignore_ascii_case(&table.name)) {
        return Err(Error::not_supported("tables with triggers"));
    }
    let t = open_target(b, Arc::clone(&table))?;
    let out = returning_begin(b, &table, d.alias.as_deref(), &d.returning)?;
    // (A WITHOUT ROWID table's rows are counted one by one as they go.)
    if where_clause.is_none() && out.is_empty() && table.pk.is_empty() {
        b.emit(Opcode::Clear, table.root as i32, 1, 0);
        for (idx, _) in &t.indexes {
            b.emit(Opcode::Clear, idx.root as i32, 0, 0);
        }
        return Ok(out);
    }
    let set = row_set(b, &table);
    collect_rowids(b, &table, d.alias.as_deref(), where_clause.as_ref(), set)?;
    let rows = rows_begin(b, &t, set);
    if b.returning.is_some() {
        let scope = Scope {
            sources: vec![Source { name: d.alias.as_deref().map_or_else(|| table.name.clone(), str::to_string), table: Arc::clone(&table), row: RowSource::Cursor(t.cursor) }],
            parent: None,
 hidden: Vec::new(),
        };
        returning_row(b, &scope)?;
    }
    delete_current(b, &t, true)?;
    rows_end(b, &t, set, &rows);
    returning_end(b, out.len());
    Ok(out)
}

/// An INSERT's ON CONFLICT clause: the constraint it applies to (index position in
/// `Target::indexes`, `usize::MAX` for the rowid, None for any) and what to do.
struct UpsertPlan<'e> {
    target: Option<usize>,
    /// None: DO NOTHING.
    sets: Option<Vec<(Option<usize>, SetValue<'e>)>>,
    where_clause: Option<&'e Expr>,
}

fn upsert_plan<'e>(t: &Target, u: &'e crate::sql::ast::Upsert) -> Result<UpsertPlan<'e>> {
    use crate::sql::ast::UpsertAction;
    let target = match &u.target {
        None => None,
        Some(tg) => {
            if tg.where_clause.is_some() {
                return Err(Error::not_supported("ON CONFLICT targets with WHERE"));
            }
            let mut cols = Vec::new();
            for term in &tg.columns {
                let name = match &term.expr {
                    Expr::Id { name, .. } => name,
                    _ => return Err(Error::not_supported("ON CONFLICT targets on expressions")),
                };
                let i = t.table.column_index(name).ok_or_else(|| Error::sql(format!("no such column: {name}")))?;
                cols.push(i as i32);
            }
            cols.sort_unstable();
            let mut pk_cols: Vec<i32> = t.table.pk.iter().map(|p| p.column).collect();
            pk_cols.sort_unstable();
            if (cols.len() == 1 && t.table.ipk == Some(cols[0] as usize)) || (!pk_cols.is_empty() && pk_cols == cols) {
                Some(usize::MAX)
            } else {
                let pos = t.indexes.iter().position(|(ix, _)| {
                    let mut ic: Vec<i32> = ix.columns.iter().map(|c| c.column).collect();
                    ic.sort_unstable();
                    ix.unique && ix.is_plain() && ic == cols
                });
                match pos {
                    Some(p) => Some(p),
                    None => return Err(Error::sql("ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint")),
                }
            }
        }
    };
    let (sets, where_clause) = match &u.action {
        UpsertAction::Nothing => (None, None),
        UpsertAction::Update { sets, where_clause } => (Some(resolve_sets(&t.table, sets)?), where_clause.as_ref()),
    };
    Ok(UpsertPlan { target, sets, where_clause })
}

/// The conflicting row (rowid in `other`, table cursor on it) gets the DO UPDATE, or the
/// proposed row is dropped (DO NOTHING); either way the INSERT of this row is skipped.
fn upsert_action(b: &mut Builder<'_>, t: &Target, u: &UpsertPlan<'_>, base: i32, rowid: i32, other: i32, skip: i32) -> Result<()> {
    if let Some(sets) = &u.sets {
        let excluded = Scope {
            sources: vec![Source { name: "excluded".into(), table: Arc::clone(&t.table), row: RowSource::Regs { base, rowid } }],
            parent: None,
 hidden: Vec::new(),
        };
        let scope = Scope {
            sources: vec![Source { name: t.table.name.clone(), table: Arc::clone(&t.table), row: RowSource::Cursor(t.cursor) }],
            parent: Some(Box::new(excluded)),
 hidden: Vec::new(),
        };
        let n = t.table.pk.len().max(1);
        let old = b.regs(n);
        b.emit(Opcode::Copy, other, old, n as i32 - 1);
        update_row(b, t, &scope, sets, old, None, u.where_clause, skip)?;
    }
    b.emit(Opcode::Goto, 0, skip, 0);
    Ok(())
}

/// Rewrites the row the table cursor stands on (rowid in `old`) with the assignments
/// `sets` evaluated in `scope` (the old row through the cursor); `skip` when `where_clause`
/// is false or an IGNORE conflict drops the row.
#[allow(clippy::too_many_arguments)]
fn update_row(
    b: &mut Builder<'_>,
    t: &Target,
    scope: &Scope,
    sets: &[(Option<usize>, SetValue<'_>)],
    old: i32,
    or: Option<ResolveType>,
    where_clause: Option<&Expr>,
    skip: i32,
) -> Result<()> {
    let table = Arc::clone(&t.table);
    let ncol = table.columns.len();
    if let Some(w) = where_clause {
        jump_if_false(b, scope, w, skip)?;
    }
    let base = b.regs(ncol);
    let rowid = b.reg();
    // New values are computed from the old row (cursor) into fresh registers first.
    let newvals = b.regs(sets.len().max(1));
    for (k, (_, v)) in sets.iter().enumerate() {
        match v {
            SetValue::Expr(e) => expr::expr(b, scope, e, newvals + k as i32)?,
            // The row's first column fills this and the next `n - 1` values.
            SetValue::Row { select, n, i: 0 } => {
                let (_, got) = super::select::row_subquery(b, scope, select, newvals + k as i32, *n)?;
                if got != *n {
                    return Err(Error::sql(format!("{n} columns assigned {got} values")));
                }
            }
            SetValue::Row { .. } => {}
        }
    }
    for i in 0..ncol {
        if table.ipk == Some(i) {
            continue;
        }
        b.column(t.cursor, &table, i, base + i as i32);
    }
    b.emit(Opcode::SCopy, old, rowid, 0);
    let mut rowid_changed = false;
    for (k, (col, _)) in sets.iter().enumerate() {
        match col {
            Some(i) => {
                b.emit(Opcode::SCopy, newvals + k as i32, base + *i as i32, 0);
                // A WITHOUT ROWID row whose PRIMARY KEY changes moves (invariant 4).
                rowid_changed |= table.pk.iter().any(|p| p.column == *i as i32);
            }
            None => {
                b.emit(Opcode::SCopy, newvals + k as i32, rowid, 0);
                b.emit(Opcode::MustBeInt, rowid, 0, 0);
                rowid_changed = true;
            }
        }
    }
    if let Some(i) = table.ipk {
        b.emit(Opcode::SCopy, rowid, base + i as i32, 0);
    }
    check_and_write(b, t, base, rowid, or, skip, Some(old), rowid_changed, None)
}

/// The new value of one column in a SET clause.
#[derive(Clone, Copy)]
enum SetValue<'e> {
    Expr(&'e Expr),
    /// Column `i` of the row value `(select)` of `n` columns (`SET (a, b) = (SELECT ...)`).
    Row { select: &'e crate::sql::ast::Select, n: usize, i: usize },
}

/// Resolves `SET` assignments against `table`: (column or None for the rowid, value). A
/// row-value assignment `(a, b) = (x, y)` or `= (SELECT x, y ...)` gives one entry per column,
/// in order.
fn resolve_sets<'e>(table: &Table, assignments: &'e [crate::sql::ast::Assignment]) -> Result<Vec<(Option<usize>, SetValue<'e>)>> {
    let mut sets = Vec::new();
    for a in assignments {
        let n = a.columns.len();
        let values: Vec<SetValue<'e>> = match &a.expr {
            _ if n == 1 => vec![SetValue::Expr(&a.expr)],
            Expr::Vector(list) if list.len() == n => list.iter().map(SetValue::Expr).collect(),
            Expr::Vector(list) => return Err(Error::sql(format!("{n} columns assigned {} values", list.len()))),
            Expr::Subquery(select) => (0..n).map(|i| SetValue::Row { select, n, i }).collect(),
            _ => return Err(Error::sql(format!("{n} columns assigned 1 values"))),
        };
        for (name, value) in a.columns.iter().zip(values) {
            let col = match table.column_index(name) {
                Some(i) if table.ipk == Some(i) => None,
                Some(i) => Some(i),
                None if name.eq_ignore_ascii_case("rowid") && table.pk.is_empty() => None,
                None => return Err(Error::sql(format!("no such column: {name}"))),
            };
            sets.push((col, value));
        }
    }
    Ok(sets)
}

pub fn update(b: &mut Builder<'_>, u: &Update) -> Result<Vec<OutColumn>> {
    with_ctes(b, u.with.as_ref(), |b| update_body(b, u))
}

fn update_body(b: &mut Builder<'_>, u: &Update) -> Result<Vec<OutColumn>> {
    if u.indexed.is_some() {
        return Err(Error::not_supported("INDEXED BY on UPDATE"));
    }
    let table = b.table(&u.table)?;
    if b.schema.triggers.values().any(|t| t.eq_ignore_ascii_case(&table.name)) {
        return Err(Error::not_supported("tables with triggers"));
    }
    let from_form = match &u.from {
        Some(from) => Some(update_from(from, &u.sets, u.where_clause.as_ref())?),
        None => None,
    };
    let (assignments, where_in) = match &from_form {
        Some((sets, w)) => (&sets[..], Some(w)),
        None => (&u.sets[..], u.where_clause.as_ref()),
    };
    let sets = resolve_sets(&table, assignments)?;
    let where_clause = limited_where(b, &table, (&u.table, u.alias.as_ref()), where_in, &u.order_by, u.limit.as_ref(), "UPDATE")?;
    let t = open_target(b, Arc::clone(&table))?;
    let out = returning_begin(b, &table, u.alias.as_deref(), &u.returning)?;
    let set = row_set(b, &table);
    collect_rowids(b, &table, u.alias.as_deref(), where_clause.as_ref(), set)?;
    let rows = rows_begin(b, &t, set);
    let old = rows.key;
    let scope = Scope {
        sources: vec![Source {
            name: u.alias.as_deref().map_or_else(|| table.name.clone(), str::to_string),
            table: Arc::clone(&table),
            row: RowSource::Cursor(t.cursor),
        }],
        parent: None,
 hidden: Vec::new(),
    };
    update_row(b, &t, &scope, &sets, old, u.or_conflict, None, rows.next)?;
    rows_end(b, &t, set, &rows);
    returning_end(b, out.len());
    Ok(out)
}

