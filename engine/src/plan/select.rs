//! SELECT: nested-loop joins over cursors (inner, LEFT, and RIGHT/FULL as a second pass over
//! the right table's unmatched rows, see [`join_loops`]), WHERE, result columns, DISTINCT,
//! aggregates with GROUP BY/HAVING (through a sorter), window functions (plan/window.rs),
//! ORDER BY (sorter), LIMIT/OFFSET, VALUES, the subquery forms (scalar, EXISTS, IN), and the
//! EXPLAIN QUERY PLAN rows of each loop and temp b-tree (plan/eqp.rs).
//!
//! Invariants:
//! 1. A result row is delivered only through [`Dest`]: ResultRow for the statement, or into a
//!    register / set / sorter for subqueries and INSERT ... SELECT.
//! 2. An uncorrelated subquery runs once per statement execution (its code is guarded by a
//!    flag register); a correlated one runs each time it is evaluated.
//! 3. A WHERE term naming no table of the FROM clause is tested once, before the loops (as
//!    SQLite does, even over empty tables). Any other term is tested at the outermost loop
//!    where every table it names is available, but never before a LEFT JOIN's table it
//!    follows (so null rows see it); with a RIGHT or FULL JOIN those terms are tested on the
//!    joined row. A term `rowid = expr` on a table whose expr needs no later table becomes a
//!    SeekRowid.

use std::sync::Arc;

use super::expr::{self, collation, collation_of, jump_if_false};
use super::{Builder, OutColumn, RowSource, Scope, Source};
use crate::error::{Error, Result};
use crate::sql::ast::{
    BinaryOp, CompoundOp, Distinctness, Expr, FromClause, FromItem, FunctionArgs, JoinConstraint, JoinKind, Literal,
    OrderingTerm, ResultColumn, Select, SelectCore, SortOrder,
};
use crate::vdbe::{KeyInfo, Opcode, P4};

/// Where result rows go.
#[derive(Clone, Copy, Debug)]
pub enum Dest {
    /// ResultRow.
    Output,
    /// Set `target` to 1 and jump to `end` on the first row.
    Exists { target: i32, end: i32 },
    /// Copy every column into `target..` and jump to `end` on the first row (a row value).
    Row { target: i32, end: i32 },
    /// Insert the first column into the transient set `cursor`; set `nullflag` on NULLs.
    Set { cursor: i32, nullflag: i32 },
    /// Append the row to the sorter `cursor` (unsorted: empty key).
    Collect { cursor: i32 },
    /// Insert the whole row into the transient set `cursor`.
    SetRow { cursor: i32 },
    /// The set of a row-value IN: as `Set`, for every column (a NULL in any sets `nullflag`);
    /// the rows also go to the sorter `rows`, to be scanned.
    RowSet { cursor: i32, nullflag: i32, rows: i32 },
}

pub fn emit_row(b: &mut Builder<'_>, dest: Dest, base: i32, n: usize) {
    match dest {
        Dest::Output => {
            b.emit(Opcode::ResultRow, base, n as i32, 0);
        }
        Dest::Exists { target, end } => {
            b.emit(Opcode::Integer, 1, target, 0);
            b.emit(Opcode::Goto, 0, end, 0);
        }
        Dest::Row { target, end } => {
            b.emit(Opcode::Copy, base, target, n as i32 - 1);
            b.emit(Opcode::Goto, 0, end, 0);
        }
        Dest::Set { cursor, nullflag } => {
            let skip = b.label();
            // nullflag: 0 no row yet, 1 rows (none NULL), 2 a NULL row seen.
            b.emit(Opcode::IfPos, nullflag, skip, 0);
            b.emit(Opcode::Integer, 1, nullflag, 0);
            b.resolve(skip);
            let not_null = b.label();
            b.emit(Opcode::NotNull, base, not_null, 0);
            b.emit(Opcode::Integer, 2, nullflag, 0);
            b.resolve(not_null);
            // The IN comparison's affinity, filled in once the subquery's column is known.
            b.emit4(Opcode::Affinity, base, 1, 0, P4::Affinity(IN_AFFINITY_MARK.into()));
            b.emit(Opcode::IdxInsert, cursor, base, 1);
        }
        Dest::Collect { cursor } => {
            b.emit(Opcode::SorterInsert, cursor, base, n as i32);
        }
        Dest::SetRow { cursor } => {
            b.emit(Opcode::IdxInsert, cursor, base, n as i32);
        }
        Dest::RowSet { cursor, nullflag, rows } => {
            let skip = b.label();
            b.emit(Opcode::IfPos, nullflag, skip, 0);
            b.emit(Opcode::Integer, 1, nullflag, 0);
            b.resolve(skip);
            for i in 0..n as i32 {
                let not_null = b.label();
                b.emit(Opcode::NotNull, base + i, not_null, 0);
                b.emit(Opcode::Integer, 2, nullflag, 0);
                b.resolve(not_null);
            }
            b.emit4(Opcode::Affinity, base, n as i32, 0, P4::Affinity(IN_AFFINITY_MARK.into()));
            b.emit(Opcode::IdxInsert, cursor, base, n as i32);
            b.emit(Opcode::SorterInsert, rows, base, n as i32);
        }
    }
}

/// Compiles a top-level SELECT statement; returns its result columns.
pub fn compile_select_stmt(b: &mut Builder<'_>, s: &Select) -> Result<Vec<OutColumn>> {
    let scope = Scope::default();
    compile_select(b, &scope, s, Dest::Output)
}

/// Compiles `s` delivering rows to `dest`.
pub fn compile_select(b: &mut Builder<'_>, parent: &Scope, s: &Select, dest: Dest) -> Result<Vec<OutColumn>> {
    let saved_ctes = b.ctes.len();
    if let Some(w) = &s.with {
        for cte in &w.ctes {
            b.ctes.push((cte.name.to_string(), cte.columns.iter().map(|c| c.to_string()).collect(), Arc::new((*cte.select).clone())));
        }
    }
    let r = compile_select_body(b, parent, s, dest);
    b.ctes.truncate(saved_ctes);
    r
}

fn compile_select_body(b: &mut Builder<'_>, parent: &Scope, s: &Select, dest: Dest) -> Result<Vec<OutColumn>> {
    if !s.body.compounds.is_empty() {
        return super::compound::compile_compound(b, parent, s, dest);
    }
    compile_core(b, parent, &s.body.first, &s.order_by, s.limit.as_ref(), dest)
}

pub(super) struct Limits {
    limit: Option<i32>,
    offset: Option<i32>,
}

pub(super) fn compile_limits(b: &mut Builder<'_>, scope: &Scope, limit: Option<&crate::sql::ast::Limit>, done: i32) -> Result<Limits> {
    let Some(l) = limit else { return Ok(Limits { limit: None, offset: None }) };
    let lr = b.reg();
    expr::expr(b, scope, &l.limit, lr)?;
    b.emit(Opcode::MustBeInt, lr, 0, 0);
    let zero = b.reg();
    b.emit(Opcode::Integer, 0, zero, 0);
    let ok = b.label();
    b.emit(Opcode::Ge, zero, ok, lr);
    b.emit4(Opcode::Int64, 0, lr, 0, P4::Int64(i64::MAX));
    b.resolve(ok);
    b.emit(Opcode::IfNot, lr, done, 0);
    let offset = match &l.offset {
        Some(o) => {
            let r = b.reg();
            expr::expr(b, scope, o, r)?;
            b.emit(Opcode::MustBeInt, r, 0, 0);
            Some(r)
        }
        None => None,
    };
    Ok(Limits { limit: Some(lr), offset })
}

/// OFFSET skip (to `skip`) before a row is delivered.
pub(super) fn apply_offset(b: &mut Builder<'_>, lim: &Limits, skip: i32) {
    if let Some(o) = lim.offset {
        b.emit(Opcode::IfPos, o, skip, 1);
    }
}

/// LIMIT countdown after a row was delivered.
pub(super) fn apply_limit(b: &mut Builder<'_>, lim: &Limits, done: i32) {
    if let Some(l) = lim.limit {
        b.emit(Opcode::DecrJumpZero, l, done, 0);
    }
}

/// One loop level of a join.
struct Level {
    cursor: i32,
    top: i32,
    cont: i32,
    end: i32,
    /// LEFT JOIN: (match flag, null-row flag, no-match label, body label)
    left: Option<(i32, i32, i32, i32)>,
    /// Equality lookup by rowid (no loop).
    seek: bool,
    /// Equality lookup through an index: the index cursor that loops.
    idx_cursor: Option<i32>,
    /// A full scan that runs from the last row back (Prev, not Next).
    reverse: bool,
}

fn core_names_table(core: &SelectCore, name: &str) -> bool {
    fn from_names(f: &FromClause, name: &str) -> bool {
        std::iter::once(&f.first).chain(f.joins.iter().map(|j| &j.item)).any(|it| match it {
            FromItem::Table { name: n, .. } => n.schema.is_none() && n.name.eq_ignore_ascii_case(name),
            FromItem::Join { from, .. } => from_names(from, name),
            _ => false,
        })
    }
    match core {
        SelectCore::Select(q) => q.from.as_ref().is_some_and(|f| from_names(f, name)),
        SelectCore::Values(_) => false,
    }
}

/// A CTE whose compound body reads the CTE itself in its FROM clauses.
fn is_recursive(s: &Select, name: &str) -> bool {
    s.body.compounds.iter().any(|(_, c)| core_names_table(c, name))
}

/// Expands a recursive CTE (`initial UNION [ALL] recursive-step`) into a sorter: rows wait in
/// a queue; each one taken from the queue is a result row and the input of one run of the
/// recursive step, whose rows join the queue (UNION: only rows not seen before).
fn materialize_recursive(b: &mut Builder<'_>, s: &Select, cte: &str, name: &str, names: Option<Vec<String>>) -> Result<(Arc<crate::schema::Table>, i32)> {
    if s.body.compounds.len() != 1 || !s.order_by.is_empty() || s.limit.as_ref().is_some_and(|l| l.offset.is_some()) {
        return Err(Error::not_supported("recursive CTEs other than `initial UNION [ALL] step`"));
    }
    let (op, step) = &s.body.compounds[0];
    if !matches!(op, CompoundOp::Union | CompoundOp::UnionAll) || core_names_table(&s.body.first, cte) {
        return Err(Error::not_supported("this form of recursive CTE"));
    }
    let distinct = *op == CompoundOp::Union;
    let empty = || Arc::new(KeyInfo::default());
    let (result, queue) = (b.cursor(), b.cursor());
    let open_r = b.emit4(Opcode::SorterOpen, result, 0, 0, P4::KeyInfo(empty()));
    let open_q = b.emit4(Opcode::SorterOpen, queue, 0, 0, P4::KeyInfo(empty()));
    let seen = if distinct {
        let c = b.cursor();
        b.emit4(Opcode::OpenEphemeral, c, 0, 0, P4::KeyInfo(empty()));
        Some(c)
    } else {
        None
    };
    // Initial rows into the queue (through a staging sorter when UNION must filter them).
    let stage = b.cursor();
    let open_s = b.emit4(Opcode::SorterOpen, stage, 0, 0, P4::KeyInfo(empty()));
    let cols = compile_select_core(b, &Scope::default(), &s.body.first, &[], None, Dest::Collect { cursor: stage })?;
    let n = cols.len();
    if let Some(nm) = &names {
        if nm.len() != n {
            return Err(Error::sql(format!("table {} has {} values for {} columns", cte, n, nm.len())));
        }
    }
    for a in [open_r, open_q, open_s] {
        b.ops[a].p2 = n as i32;
    }
    let columns: Vec<crate::schema::Column> = cols
        .iter()
        .enumerate()
        .map(|(i, oc)| crate::schema::Column {
            name: names.as_ref().map_or_else(|| oc.name.clone(), |nm| nm[i].clone()),
            decl_type: String::new(),
            affinity: crate::value::Affinity::Blob,
            not_null: false,
            default: None,
            default_text: None,
            collation: None,
            primary_key: false,
        })
        .collect();
    let shape = Arc::new(crate::schema::Table {
        name: cte.to_string(),
        root: 0,
        columns,
        ipk: None,
        without_rowid: false,
        pk: Vec::new(),
        pk_autoindex: 0,
        strict: false,
        checks: Vec::new(),
        sql: String::new(),
        ipk_conflict: None,
        autoincrement: false,
    });
    let row = b.regs(n);
    // Moves the staged rows into the queue (skipping seen ones for UNION).
    let drain = |b: &mut Builder<'_>| {
        let (end, top, next) = (b.label(), b.label(), b.label());
        b.emit(Opcode::SorterSort, stage, end, 0);
        b.resolve(top);
        for i in 0..n {
            b.emit(Opcode::Column, stage, i as i32, row + i as i32);
        }
        if let Some(c) = seen {
            b.emit4(Opcode::Found, c, next, row, P4::Int64(n as i64));
            b.emit(Opcode::IdxInsert, c, row, n as i32);
        }
        b.emit(Opcode::SorterInsert, queue, row, n as i32);
        b.resolve(next);
        b.emit(Opcode::SorterNext, stage, top, 0);
        b.resolve(end);
    };
    drain(b);
    // A runaway recursion is an error, not a hang.
    let budget = b.reg();
    b.emit4(Opcode::Int64, 0, budget, 0, P4::Int64(10_000_000));
    let cur = b.regs(n);
    let (done, top, overflow, next) = (b.label(), b.label(), b.label(), b.label());
    // LIMIT on the CTE bounds the rows it produces (the usual way to stop a recursion).
    let lim = compile_limits(b, &Scope::default(), s.limit.as_ref(), done)?;
    b.emit(Opcode::Rewind, queue, done, 0);
    b.resolve(top);
    b.emit(Opcode::DecrJumpZero, budget, overflow, 0);
    for i in 0..n {
        b.emit(Opcode::Column, queue, i as i32, cur + i as i32);
    }
    b.emit(Opcode::SorterInsert, result, cur, n as i32);
    apply_limit(b, &lim, done);
    // The step sees the current row as the CTE.
    b.emit4(Opcode::SorterOpen, stage, n as i32, 0, P4::KeyInfo(empty()));
    b.cte_rows.push((cte.to_string(), Arc::clone(&shape), cur));
    let r = compile_select_core(b, &Scope::default(), step, &[], None, Dest::Collect { cursor: stage });
    b.cte_rows.pop();
    let step_cols = r?;
    if step_cols.len() != n {
        return Err(Error::sql("SELECTs to the left and right of UNION do not have the same number of result columns"));
    }
    drain(b);
    b.resolve(next);
    b.emit(Opcode::Next, queue, top, 0);
    b.emit(Opcode::Goto, 0, done, 0);
    b.resolve(overflow);
    b.emit4(Opcode::Halt, crate::error::code::ERROR, 2, 0, P4::Text("recursive CTE produced more than 10000000 rows".into()));
    b.resolve(done);
    let mut t = (*shape).clone();
    t.name = name.to_string();
    Ok((Arc::new(t), result))
}

/// Runs a FROM-clause subquery (or view) into a sorter and describes its rows as a table
/// (root 0: no b-tree, no rowid).
fn materialize(b: &mut Builder<'_>, select: &Select, name: &str, names: Option<Vec<String>>) -> Result<(Arc<crate::schema::Table>, i32)> {
    let c = b.cursor();
    let open = b.emit4(Opcode::SorterOpen, c, 0, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
    b.select_columns.clear();
    let nest = b.plan.enter(format!("MATERIALIZE {name}"));
    let cols = compile_select(b, &Scope::default(), select, Dest::Collect { cursor: c });
    b.plan.leave(nest);
    let cols = cols?;
    b.ops[open].p2 = cols.len() as i32;
    // A simple SELECT's columns keep their expressions' collation and affinity (an expression
    // without one: BLOB), as SQLite describes a subquery's columns.
    let described = std::mem::take(&mut b.select_columns);
    let described = (select.body.compounds.is_empty() && described.len() == cols.len()).then_some(described);
    if let Some(n) = &names {
        if n.len() != cols.len() {
            return Err(Error::sql(format!("expected {} columns for '{}' but got {}", n.len(), name, cols.len())));
        }
    }
    let columns = cols
        .iter()
        .enumerate()
        .map(|(i, oc)| {
            let decl = oc.decltype.clone().unwrap_or_default();
            let (collation, affinity) = match &described {
                Some(d) => (d[i].0.clone(), d[i].1.unwrap_or(crate::value::Affinity::Blob)),
                None => (None, crate::value::Affinity::from_decl_type(&decl)),
            };
            crate::schema::Column {
                name: names.as_ref().map_or_else(|| oc.name.clone(), |n| n[i].clone()),
                affinity,
                decl_type: decl,
                not_null: false,
                default: None,
                default_text: None,
                collation,
                primary_key: false,
            }
        })
        .collect();
    let t = crate::schema::Table {
        name: name.to_string(),
        root: 0,
        columns,
        ipk: None,
        without_rowid: false,
        pk: Vec::new(),
        pk_autoindex: 0,
        strict: false,
        checks: Vec::new(),
        sql: String::new(),
        ipk_conflict: None,
        autoincrement: false,
    };
    Ok((Arc::new(t), c))
}

/// The "no such table" error SQLite reports first for a compound SELECT: it looks the arms'
/// tables up from the rightmost arm to the leftmost before anything else. Only consulted once
/// compiling failed, so a table it cannot judge is taken as present.
pub(super) fn compound_missing_table(b: &Builder<'_>, s: &Select) -> Option<Error> {
    let arms = std::iter::once(&s.body.first).chain(s.body.compounds.iter().map(|(_, c)| c));
    let arms: Vec<&SelectCore> = arms.collect();
    for core in arms.into_iter().rev() {
        let SelectCore::Select(q) = core else { continue };
        let Some(from) = &q.from else { continue };
        let mut items = Vec::new();
        if flatten_from(from, JoinKind::Inner, None, false, &mut items).is_err() {
            continue;
        }
        for (item, ..) in items {
            let FromItem::Table { name, .. } = item else { continue };
            let n = &name.name;
            let known = name.schema.is_some()
                || b.cte_rows.iter().any(|(c, _, _)| c.eq_ignore_ascii_case(n))
                || b.ctes.iter().any(|(c, _, _)| c.eq_ignore_ascii_case(n))
                || (n.len() > 7 && n[..7].eq_ignore_ascii_case("pragma_"))
                || b.schema.views.contains_key(&n.to_ascii_lowercase());
            if known {
                continue;
            }
            if let Err(e) = b.table(name) {
                if e.message.starts_with("no such table") {
                    return Some(e);
                }
            }
        }
    }
    None
}

/// A `hidden` entry marking a source written `NOT INDEXED` (never a column name: it holds a NUL).
const NOT_INDEXED: &str = "\0not indexed";

fn not_indexed(scope: &Scope, i: usize) -> bool {
    scope.hidden.iter().any(|(j, n)| *j == i && n == NOT_INDEXED)
}

/// One FROM item with its join operator, constraint and NATURAL flag.
type FromEntry<'f> = (&'f FromItem, JoinKind, Option<&'f JoinConstraint>, bool);

/// Lists the FROM items with their join operators, splicing in parenthesized joins that
/// contain only inner joins (whose meaning does not depend on the parentheses).
fn flatten_from<'f>(
    from: &'f FromClause,
    kind: JoinKind,
    cons: Option<&'f JoinConstraint>,
    natural: bool,
    out: &mut Vec<FromEntry<'f>>,
) -> Result<()> {
    let add = |item: &'f FromItem, kind: JoinKind, cons: Option<&'f JoinConstraint>, natural: bool, out: &mut Vec<_>| -> Result<()> {
        match item {
            FromItem::Join { from: inner, alias: None }
                if inner.joins.iter().all(|j| matches!(j.op.kind, JoinKind::Inner | JoinKind::Comma | JoinKind::Cross) && !j.op.natural)
                    && cons.is_none()
                    && !natural
                    && kind != JoinKind::Left =>
            {
                flatten_from(inner, kind, None, false, out)
            }
            _ => {
                out.push((item, kind, cons, natural));
                Ok(())
            }
        }
    };
    add(&from.first, kind, cons, natural, out)?;
    for j in &from.joins {
        add(&j.item, j.op.kind, j.constraint.as_ref(), j.op.natural, out)?;
    }
    Ok(())
}

/// Opens the FROM clause's tables; returns the sources and the ON terms per source.
/// The join kind and ON condition of each FROM source.
type JoinTerms = Vec<(JoinKind, Option<Expr>)>;

/// The sources of a FROM clause, their join terms, and the columns hidden by USING/NATURAL.
type OpenedSources = (Vec<Source>, JoinTerms, Vec<(usize, String)>);

fn open_sources(b: &mut Builder<'_>, from: &FromClause) -> Result<OpenedSources> {
    let mut hidden: Vec<(usize, String)> = Vec::new();
    let mut items: Vec<FromEntry<'_>> = Vec::new();
    flatten_from(from, JoinKind::Inner, None, false, &mut items)?;
    let mut sources: Vec<Source> = Vec::new();
    let mut on = Vec::new();
    for (n_item, (item, kind, cons, natural)) in items.into_iter().enumerate() {
        if matches!(kind, JoinKind::Right | JoinKind::Full) && (natural || matches!(cons, Some(JoinConstraint::Using(_)))) {
            return Err(Error::not_supported("RIGHT and FULL JOIN with USING or NATURAL"));
        }
        if let FromItem::Table { indexed: Some(crate::sql::ast::Indexed::NotIndexed), .. } = item {
            hidden.push((sources.len(), NOT_INDEXED.to_string()));
        }
        let (table, cursor, src_name) = match item {
            FromItem::Table { name, alias, .. }
                if name.schema.is_none() && b.cte_rows.iter().any(|(n, _, _)| n.eq_ignore_ascii_case(&name.name)) =>
            {
                let (_, t, base) = b.cte_rows.iter().rev().find(|(n, _, _)| n.eq_ignore_ascii_case(&name.name)).cloned().expect("checked");
                let src_name = alias.as_deref().unwrap_or(&name.name).to_string();
                (t, -1 - base, src_name)
            }
            FromItem::Table { name, alias, .. } | FromItem::Function { name, alias, .. }
                if name.name.len() > 7 && name.name.as_bytes()[..7].eq_ignore_ascii_case(b"pragma_") =>
            {
                let args: &[Expr] = match item {
                    FromItem::Function { args, .. } => args,
                    _ => &[],
                };
                let arg = match args.first() {
                    None => None,
                    Some(Expr::Literal(Literal::String(s))) => Some(s.clone()),
                    Some(Expr::Id { name, .. }) => Some(name.clone()),
                    Some(Expr::Literal(Literal::Integer(i))) => Some(i.to_string().into()),
                    Some(_) => return Err(Error::not_supported("table-valued pragma with a non-constant argument")),
                };
                let src_name = alias.as_deref().unwrap_or(&name.name).to_string();
                let c = b.cursor();
                let open = b.emit4(Opcode::SorterOpen, c, 0, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
                let pragma = crate::sql::ast::Pragma {
                    name: crate::sql::ast::QualifiedName::bare(name.name[7..].to_string()),
                    value: arg.map(|text| crate::sql::ast::PragmaValue { text, numeric: false, call_form: true }),
                };
                let saved = b.pragma_sink.replace(c);
                let r = super::pragma::pragma(b, &pragma);
                b.pragma_sink = saved;
                let cols = r?;
                if cols.is_empty() {
                    return Err(Error::sql(format!("no such table: {}", name.name)));
                }
                b.ops[open].p2 = cols.len() as i32;
                let t = crate::schema::Table {
                    name: src_name.clone(),
                    root: 0,
                    columns: cols
                        .iter()
                        .map(|oc| crate::schema::Column {
                            name: oc.name.clone(),
                            decl_type: String::new(),
                            affinity: crate::value::Affinity::Blob,
                            not_null: false,
                            default: None,
                            default_text: None,
                            collation: None,
                            primary_key: false,
                        })
                        .collect(),
                    ipk: None,
                    without_rowid: false,
                    pk: Vec::new(),
                    pk_autoindex: 0,
        strict: false,
                    checks: Vec::new(),
                    sql: String::new(),
                    ipk_conflict: None,
                    autoincrement: false,
                };
                (Arc::new(t), c, src_name)
            }
            FromItem::Table { name, alias, .. }
                if name.schema.is_none() && b.ctes.iter().any(|(n, _, _)| n.eq_ignore_ascii_case(&name.name)) =>
            {
                let k = b.ctes.iter().rposition(|(n, _, _)| n.eq_ignore_ascii_case(&name.name)).expect("checked");
                let (cte_name, cols, body) = b.ctes[k].clone();
                // The CTE's body sees only the CTEs defined before it.
                let hidden = b.ctes.split_off(k);
                let src_name = alias.as_deref().map_or_else(|| cte_name.clone(), str::to_string);
                let names = if cols.is_empty() { None } else { Some(cols) };
                let r = if is_recursive(&body, &cte_name) {
                    materialize_recursive(b, &body, &cte_name, &src_name, names)
                } else {
                    materialize(b, &body, &src_name, names)
                };
                b.ctes.extend(hidden);
                let (t, c) = r?;
                (t, c, src_name)
            }
            FromItem::Table { name, alias, .. } => {
                let schema = b.schema;
                let view = if name.schema.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("main")) {
                    schema.views.get(&name.name.to_ascii_lowercase())
                } else {
                    None
                };
                match view {
                    Some(v) => {
                        let key = v.name.to_ascii_lowercase();
                        if b.expanding_views.contains(&key) {
                            return Err(Error::sql(format!("view {} is circularly defined", v.name)));
                        }
                        let src_name = alias.as_deref().map_or_else(|| v.name.clone(), str::to_string);
                        let names = if v.columns.is_empty() { None } else { Some(v.columns.clone()) };
                        // The view's spans index its own SQL text.
                        let saved = std::mem::replace(&mut b.sql, v.sql.as_str());
                        b.expanding_views.push(key);
                        let r = materialize(b, &v.select, &src_name, names);
                        b.expanding_views.pop();
                        b.sql = saved;
                        let (t, c) = r?;
                        (t, c, src_name)
                    }
                    None => {
                        let table = b.table(name)?;
                        let cursor = b.cursor();
                        b.open_table(Opcode::OpenRead, cursor, &table)?;
                        let src_name = alias.as_deref().map_or_else(|| table.name.clone(), str::to_string);
                        (table, cursor, src_name)
                    }
                }
            }
            FromItem::Subquery { select, alias } => {
                let src_name = alias.as_deref().map_or_else(|| format!("(subquery-{n_item})"), str::to_string);
                let (t, c) = materialize(b, select, &src_name, None)?;
                (t, c, src_name)
            }
            _ => return Err(Error::not_supported("table-valued functions and parenthesized joins in FROM")),
        };
        // USING / NATURAL become ON terms.
        let mut term: Option<Expr> = match cons {
            Some(JoinConstraint::On(e)) => Some(e.clone()),
            _ => None,
        };
        let mut using: Vec<String> = match cons {
            Some(JoinConstraint::Using(cols)) => cols.iter().map(|c| c.to_string()).collect(),
            _ => Vec::new(),
        };
        if natural {
            for c in &table.columns {
                if sources.iter().any(|s| s.table.column_index(&c.name).is_some()) {
                    using.push(c.name.clone());
                }
            }
        }
        for col in using {
            hidden.push((sources.len(), col.to_ascii_lowercase()));
            let left = sources
                .iter()
                .find(|s| s.table.column_index(&col).is_some())
                .ok_or_else(|| Error::sql(format!("cannot join using column {col} - column not present in both tables")))?;
            let eq = Expr::Binary {
                op: BinaryOp::Eq,
                left: Expr::Qualified { schema: None, table: left.name.as_str().into(), column: col.as_str().into() }.into(),
                right: Expr::Qualified { schema: None, table: src_name.as_str().into(), column: col.as_str().into() }.into(),
            };
            term = Some(match term {
                Some(t) => Expr::Binary { op: BinaryOp::And, left: t.into(), right: eq.into() },
                None => eq,
            });
        }
        on.push((kind, term));
        // A negative "cursor" is a recursive CTE row held in registers (-1 - base).
        let row = if cursor < 0 { RowSource::Regs { base: -1 - cursor, rowid: -1 - cursor } } else { RowSource::Cursor(cursor) };
        sources.push(Source { name: src_name, table, row });
    }
    Ok((sources, on, hidden))
}

pub(super) fn conjuncts(e: &Expr, out: &mut Vec<Expr>) {
    if is_false_and(e) {
        out.push(Expr::Literal(Literal::Integer(0)));
    } else if let Expr::Binary { op: BinaryOp::And, left, right } = e {
        conjuncts(left, out);
        conjuncts(right, out);
    } else {
        out.push(e.clone());
    }
}

/// Names the tables an expression refers to (by source index), conservatively: None when it
/// contains anything we cannot see through (subqueries).
fn refs_sources(e: &Expr, sources: &[Source], out: &mut Vec<usize>) -> bool {
    match e {
        Expr::Literal(_) | Expr::Variable { .. } => true,
        Expr::Id { name, .. } => {
            let hits: Vec<usize> = (0..sources.len())
                .filter(|&i| sources[i].table.column_index(name).is_some() || name.eq_ignore_ascii_case("rowid"))
                .collect();
            out.extend(hits);
            true
        }
        // A table of no source here is an outer query's: constant at this level.
        Expr::Qualified { table, .. } => {
            if let Some(i) = sources.iter().position(|s| s.name.eq_ignore_ascii_case(table)) {
                out.push(i);
            }
            true
        }
        Expr::Unary { expr, .. } | Expr::Collate { expr, .. } | Expr::Cast { expr, .. } => refs_sources(expr, sources, out),
        Expr::Binary { left, right, .. } => refs_sources(left, sources, out) && refs_sources(right, sources, out),
        Expr::FunctionCall(fc) => match &fc.args {
            FunctionArgs::Star => true,
            FunctionArgs::List(l) => l.iter().all(|a| refs_sources(a, sources, out)),
        },
        Expr::IsNull { expr, .. } => refs_sources(expr, sources, out),
        Expr::InList { expr, list, .. } => refs_sources(expr, sources, out) && list.iter().all(|a| refs_sources(a, sources, out)),
        Expr::Between { expr, low, high, .. } => {
            refs_sources(expr, sources, out) && refs_sources(low, sources, out) && refs_sources(high, sources, out)
        }
        Expr::Like { expr, pattern, escape, .. } => {
            refs_sources(expr, sources, out)
                && refs_sources(pattern, sources, out)
                && escape.as_ref().is_none_or(|e| refs_sources(e, sources, out))
        }
        Expr::Case { operand, when_then, else_expr } => {
            operand.as_ref().is_none_or(|o| refs_sources(o, sources, out))
                && when_then.iter().all(|(w, t)| refs_sources(w, sources, out) && refs_sources(t, sources, out))
                && else_expr.as_ref().is_none_or(|e| refs_sources(e, sources, out))
        }
        _ => false,
    }
}

/// `rowid-of-source-i = expr` usable as a lookup at level i.
pub(super) fn rowid_lookup<'e>(term: &'e Expr, sources: &[Source], i: usize, placed: &[bool]) -> Option<&'e Expr> {
    if sources[i].table.root == 0 || !sources[i].table.pk.is_empty() {
        return None;
    }
    let Expr::Binary { op: BinaryOp::Eq, left, right } = term else { return None };
    for (col, other) in [(left, right), (right, left)] {
        let is_rowid = match &**col {
            Expr::Id { name, .. } => {
                let t = &sources[i].table;
                let mine = t.column_index(name).map_or(name.eq_ignore_ascii_case("rowid"), |c| t.ipk == Some(c));
                let unique = (0..sources.len()).filter(|&j| sources[j].table.column_index(name).is_some()).count() <= 1;
                mine && unique && (t.column_index(name).is_some() || sources.len() == 1)
            }
            Expr::Qualified { table, column, .. } => {
                let t = &sources[i].table;
                sources[i].name.eq_ignore_ascii_case(table)
                    && t.column_index(column).map_or(column.eq_ignore_ascii_case("rowid"), |c| t.ipk == Some(c))
            }
            _ => false,
        };
        if is_rowid {
            let mut used = Vec::new();
            if refs_sources(other, sources, &mut used) && used.iter().all(|&j| j != i && placed[j]) {
                return Some(other);
            }
        }
    }
    None
}

/// `indexed-column = expr` usable as an index lookup at level i: (index root, key info,
/// column affinity, key expression).
pub(super) fn index_lookup<'e>(b: &mut Builder<'_>, scope: &Scope, term: &'e Expr, i: usize, placed: &[bool]) -> Option<(Arc<crate::schema::Index>, &'e Expr)> {
    let sources = &scope.sources;
    if sources[i].table.root == 0 {
        return None;
    }
    let Expr::Binary { op: BinaryOp::Eq, left, right } = term else { return None };
    for (col, other) in [(left, right), (right, left)] {
        let t = &sources[i].table;
        let c = match &**col {
            Expr::Id { name, .. } => {
                let unique = (0..sources.len()).filter(|&j| sources[j].table.column_index(name).is_some()).count() == 1;
                t.column_index(name).filter(|_| unique)
            }
            Expr::Qualified { table, column, .. } if sources[i].name.eq_ignore_ascii_case(table) => t.column_index(column),
            _ => None,
        };
        let Some(c) = c else { continue };
        if t.ipk == Some(c) {
            continue;
        }
        let mut used = Vec::new();
        if !refs_sources(other, sources, &mut used) || used.iter().any(|&j| j == i || !placed[j]) {
            continue;
        }
        // The comparison must be the index's: same collation, and an affinity the seek key can
        // take by the column's own affinity.
        let col_aff = t.columns[c].affinity;
        let other_aff = expr::affinity_of(b, scope, other);
        if other_aff.is_some_and(|a| a != col_aff && !(a.is_numeric() && col_aff.is_numeric())) {
            continue;
        }
        if matches!(&**other, Expr::Collate { .. }) || matches!(&**col, Expr::Collate { .. }) {
            continue;
        }
        let idx = searchable_indexes(b, t).into_iter().find(|ix| {
            ix.where_clause.is_none()
                && ix.columns.first().is_some_and(|ic| {
                    ic.column == c as i32
                        && t.effective_collation(ic).as_deref().map(str::to_ascii_uppercase)
                            == t.columns[c].collation.as_deref().map(str::to_ascii_uppercase)
                })
        });
        if let Some(ix) = idx {
            return Some((ix, other));
        }
    }
    None
}

/// The equality terms on the columns of `ix` after its first (which [`index_lookup`] matched),
/// as long as each next column has one: `column = expr` compared as the index compares (the
/// column's collation, a compatible affinity), expr needing only placed tables.
pub(super) fn eq_prefix_rest<'e>(b: &mut Builder<'_>, scope: &Scope, ix: &crate::schema::Index, terms: &[&'e Expr], i: usize, placed: &[bool]) -> Vec<&'e Expr> {
    let t = Arc::clone(&scope.sources[i].table);
    let mut out = Vec::new();
    for ic in ix.columns.iter().skip(1) {
        let same_coll = t.effective_collation(ic).as_deref().map(str::to_ascii_uppercase)
            == t.columns.get(ic.column.max(0) as usize).and_then(|c| c.collation.as_deref()).map(str::to_ascii_uppercase);
        if ic.column < 0 || !same_coll {
            break;
        }
        let found = terms.iter().find_map(|term| match term {
            Expr::Binary { op: BinaryOp::Eq, left, right } => {
                if index_comparable(b, scope, left, right, i, placed) == Some(ic.column as usize) {
                    Some(&**right)
                } else if index_comparable(b, scope, right, left, i, placed) == Some(ic.column as usize) {
                    Some(&**left)
                } else {
                    None
                }
            }
            _ => None,
        });
        match found {
            Some(e) => out.push(e),
            None => break,
        }
    }
    out
}

/// Computes the equality key `first, rest...` for the leading columns of `ix` (each with its
/// column's affinity; a NULL matches nothing: jump to `end`) and seeks index cursor `ic` to
/// its first entry; returns the key's registers and length for the IdxGT that ends the scan.
#[allow(clippy::too_many_arguments)]
pub(super) fn eq_seek(
    b: &mut Builder<'_>,
    scope: &Scope,
    t: &crate::schema::Table,
    ix: &crate::schema::Index,
    first: &Expr,
    rest: &[&Expr],
    ic: i32,
    end: i32,
) -> Result<(i32, i64)> {
    let n = 1 + rest.len();
    let r = b.regs(n);
    for (k, e) in std::iter::once(first).chain(rest.iter().copied()).enumerate() {
        let reg = r + k as i32;
        expr::expr(b, scope, e, reg)?;
        let col = ix.columns[k].column as usize;
        b.emit4(Opcode::Affinity, reg, 1, 0, P4::Affinity((t.columns[col].affinity.code() as char).to_string()));
        b.emit(Opcode::IsNull, reg, end, 0);
    }
    b.emit4(Opcode::SeekGE, ic, end, r, P4::Int64(n as i64));
    Ok((r, n as i64))
}

/// The indexes a lookup on `t` may seek: a WITHOUT ROWID table's PRIMARY KEY (its own
/// b-tree) first, then its indexes.
fn searchable_indexes(b: &Builder<'_>, t: &crate::schema::Table) -> Vec<Arc<crate::schema::Index>> {
    let mut v: Vec<Arc<crate::schema::Index>> = t.pk_index().map(Arc::new).into_iter().collect();
    // Partial and expression indexes are maintained but not searched.
    v.extend(b.schema.indexes_of(&t.name).filter(|i| i.is_plain()).cloned());
    v
}

/// Moves the table cursor of `t` to the row of the entry index cursor `ic` (on `ix`) stands
/// on, or jumps to `cont` (the rowid, or a WITHOUT ROWID table's PRIMARY KEY, read from the
/// entry); nothing to do when `ix` is a WITHOUT ROWID table's own b-tree.
pub(super) fn seek_table_row(b: &mut Builder<'_>, t: &crate::schema::Table, ix: &crate::schema::Index, ic: i32, cursor: i32, cont: i32) {
    if ic == cursor {
        return;
    }
    if t.pk.is_empty() {
        let rid = b.reg();
        b.emit(Opcode::IdxRowid, ic, rid, 0);
        b.emit(Opcode::SeekRowid, cursor, cont, rid);
        return;
    }
    let key = b.regs(t.pk.len());
    for (j, p) in t.pk.iter().enumerate() {
        b.emit(Opcode::Column, ic, t.index_pk_field(&ix.columns, p) as i32, key + j as i32);
    }
    b.emit4(Opcode::NotFound, cursor, cont, key, P4::Int64(t.pk.len() as i64));
}

/// Column `c` of source `i` if `col` names it (uniquely) and `other` may be compared through an
/// index on it: `other` needs only placed tables and has a compatible affinity.
fn index_comparable(b: &mut Builder<'_>, scope: &Scope, col: &Expr, other: &Expr, i: usize, placed: &[bool]) -> Option<usize> {
    let sources = &scope.sources;
    let t = &sources[i].table;
    let c = match col {
        Expr::Id { name, .. } => {
            let unique = (0..sources.len()).filter(|&j| sources[j].table.column_index(name).is_some()).count() == 1;
            t.column_index(name).filter(|_| unique)?
        }
        Expr::Qualified { table, column, .. } if sources[i].name.eq_ignore_ascii_case(table) => t.column_index(column)?,
        _ => return None,
    };
    if t.ipk == Some(c) || matches!(other, Expr::Collate { .. }) {
        return None;
    }
    let mut used = Vec::new();
    if !refs_sources(other, sources, &mut used) || used.iter().any(|&j| j == i || !placed[j]) {
        return None;
    }
    let col_aff = t.columns[c].affinity;
    let other_aff = expr::affinity_of(b, scope, other);
    if other_aff.is_some_and(|a| a != col_aff && !(a.is_numeric() && col_aff.is_numeric())) {
        return None;
    }
    Some(c)
}

/// A range `lower < col < upper` on the first (ASC) column of an index of source `i`:
/// (index, lower bound and whether it is strict, upper bound and whether it is strict).
type RangePlan<'e> = (Arc<crate::schema::Index>, Option<(&'e Expr, bool)>, Option<(&'e Expr, bool)>);

fn index_range<'e>(b: &mut Builder<'_>, scope: &Scope, terms: &[&'e Expr], i: usize, placed: &[bool]) -> Option<RangePlan<'e>> {
    let t = Arc::clone(&scope.sources[i].table);
    if t.root == 0 {
        return None;
    }
    for ix in searchable_indexes(b, &t) {
        let Some(first) = ix.columns.first() else { continue };
        if first.desc || ix.where_clause.is_some() || first.column < 0 {
            continue;
        }
        let c = first.column as usize;
        if t.effective_collation(first).as_deref().map(str::to_ascii_uppercase) != t.columns[c].collation.as_deref().map(str::to_ascii_uppercase) {
            continue;
        }
        let mut lower: Option<(&'e Expr, bool)> = None;
        let mut upper: Option<(&'e Expr, bool)> = None;
        for term in terms {
            match term {
                Expr::Binary { op, left, right } if matches!(op, BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge) => {
                    // Normalize to `col op other`.
                    let (op, other) = if index_comparable(b, scope, left, right, i, placed) == Some(c) {
                        (*op, &**right)
                    } else if index_comparable(b, scope, right, left, i, placed) == Some(c) {
                        let flipped = match op {
                            BinaryOp::Lt => BinaryOp::Gt,
                            BinaryOp::Le => BinaryOp::Ge,
                            BinaryOp::Gt => BinaryOp::Lt,
                            _ => BinaryOp::Le,
                        };
                        (flipped, &**left)
                    } else {
                        continue;
                    };
                    match op {
                        BinaryOp::Gt if lower.is_none() => lower = Some((other, true)),
                        BinaryOp::Ge if lower.is_none() => lower = Some((other, false)),
                        BinaryOp::Lt if upper.is_none() => upper = Some((other, true)),
                        BinaryOp::Le if upper.is_none() => upper = Some((other, false)),
                        _ => {}
                    }
                }
                Expr::Between { expr: x, not: false, low, high }
                    if index_comparable(b, scope, x, low, i, placed) == Some(c) && index_comparable(b, scope, x, high, i, placed) == Some(c) =>
                {
                    lower = lower.or(Some((&**low, false)));
                    upper = upper.or(Some((&**high, false)));
                }
                _ => {}
            }
        }
        if lower.is_some() || upper.is_some() {
            return Some((ix, lower, upper));
        }
    }
    None
}

/// Names the columns of the only source an expression reads; false when the expression holds
/// something whose reads cannot be seen (a subquery).
fn columns_read(e: &Expr, t: &crate::schema::Table, src: &str, out: &mut Vec<Option<usize>>) -> bool {
    let col = |n: &str| t.column_index(n).filter(|&i| t.ipk != Some(i));
    match e {
        Expr::Literal(_) | Expr::Variable { .. } => true,
        Expr::Id { name, .. } => {
            out.push(col(name));
            true
        }
        // Another table's column (an outer query's) is no column of this one.
        Expr::Qualified { table, column, .. } => {
            if table.eq_ignore_ascii_case(src) {
                out.push(col(column));
            }
            true
        }
        Expr::Unary { expr, .. } | Expr::Collate { expr, .. } | Expr::Cast { expr, .. } | Expr::IsNull { expr, .. } => columns_read(expr, t, src, out),
        Expr::Binary { left, right, .. } => columns_read(left, t, src, out) && columns_read(right, t, src, out),
        Expr::Like { expr, pattern, escape, .. } => {
            columns_read(expr, t, src, out) && columns_read(pattern, t, src, out) && escape.as_ref().is_none_or(|e| columns_read(e, t, src, out))
        }
        Expr::Between { expr, low, high, .. } => columns_read(expr, t, src, out) && columns_read(low, t, src, out) && columns_read(high, t, src, out),
        Expr::InList { expr, list, .. } => columns_read(expr, t, src, out) && list.iter().all(|a| columns_read(a, t, src, out)),
        Expr::Case { operand, when_then, else_expr } => {
            operand.as_ref().is_none_or(|o| columns_read(o, t, src, out))
                && when_then.iter().all(|(w, x)| columns_read(w, t, src, out) && columns_read(x, t, src, out))
                && else_expr.as_ref().is_none_or(|e| columns_read(e, t, src, out))
        }
        Expr::FunctionCall(fc) => {
            fc.filter.is_none()
                && fc.over.is_none()
                && match &fc.args {
                    FunctionArgs::Star => true,
                    FunctionArgs::List(l) => l.iter().all(|a| columns_read(a, t, src, out)),
                }
        }
        _ => false,
    }
}

/// A table scanned whole (in a one-table query or a join) whose every column read is in some
/// index scans that index instead (the plan SQLite picks, and so its row order): the index
/// with the fewest columns, the newest on a tie.
fn use_covering_index(b: &mut Builder<'_>, scope: &mut Scope, exprs: &[&Expr], where_terms: &[Expr], on: &[(JoinKind, Option<Expr>)]) -> Result<()> {
    let n = scope.sources.len();
    let mut on_terms = Vec::new();
    for (_, t) in on {
        if let Some(t) = t {
            conjuncts(t, &mut on_terms);
        }
    }
    for i in 0..n {
        // (The right table of a RIGHT or FULL JOIN is read through its rowids.)
        if on.get(i).is_some_and(|(k, _)| matches!(k, JoinKind::Right | JoinKind::Full)) {
            continue;
        }
        covering_index_for(b, scope, i, exprs, where_terms, &on_terms)?;
    }
    Ok(())
}

/// [`use_covering_index`] for source `i`: only when no term can look its rows up (whatever
/// the loop order), so its level is a full scan either way.
fn covering_index_for(b: &mut Builder<'_>, scope: &mut Scope, i: usize, exprs: &[&Expr], where_terms: &[Expr], on_terms: &[Expr]) -> Result<()> {
    let t = Arc::clone(&scope.sources[i].table);
    if t.root == 0 || !matches!(scope.sources[i].row, RowSource::Cursor(_)) || not_indexed(scope, i) {
        return Ok(());
    }
    let placed: Vec<bool> = (0..scope.sources.len()).map(|j| j != i).collect();
    let terms: Vec<&Expr> = where_terms.iter().chain(on_terms).collect();
    if terms.iter().any(|w| rowid_lookup(w, &scope.sources, i, &placed).is_some() || index_lookup(b, scope, w, i, &placed).is_some())
        || index_range(b, scope, &terms, i, &placed).is_some()
    {
        return Ok(());
    }
    let mut read = Vec::new();
    let name = scope.sources[i].name.clone();
    for e in exprs.iter().copied().chain(terms.iter().copied()) {
        if !columns_read(e, &t, &name, &mut read) {
            return Ok(());
        }
    }
    let needed: Vec<usize> = read.into_iter().flatten().collect();
    if needed.is_empty() {
        return Ok(());
    }
    let mut best: Option<Arc<crate::schema::Index>> = None;
    for ix in b.schema.indexes_of(&t.name).filter(|i| i.is_plain()) {
        // SQLite scans an index instead of its table only when the index rows are smaller;
        // fewer columns than the table's stored ones stands for that estimate.
        // A WITHOUT ROWID table's index entries hold the PRIMARY KEY columns instead of a
        // rowid, and SQLite counts such a table one column wider than its columns.
        let keys = t.index_key_columns(&ix.columns);
        let stored = if t.pk.is_empty() { t.columns.len() - t.ipk.is_some() as usize } else { t.columns.len() + 1 };
        if ix.where_clause.is_some() || keys.len() >= stored || !needed.iter().all(|&c| keys.iter().any(|ic| ic.column == c as i32)) {
            continue;
        }
        let width = |i: &crate::schema::Index| t.index_key_columns(&i.columns).len();
        if best.as_ref().is_none_or(|cur| width(ix) < width(cur) || (width(ix) == width(cur) && ix.root > cur.root)) {
            best = Some(Arc::clone(ix));
        }
    }
    let Some(ix) = best else { return Ok(()) };
    let mut map = vec![None; t.columns.len()];
    for (pos, ic) in t.index_key_columns(&ix.columns).iter().enumerate() {
        if ic.column >= 0 && map[ic.column as usize].is_none() {
            map[ic.column as usize] = Some(pos);
        }
    }
    let c = b.cursor();
    let k = super::ddl::index_key_info(&t, &ix.columns)?;
    b.emit4(Opcode::OpenRead, c, ix.root as i32, 0, P4::KeyInfo(k));
    scope.sources[i].row = RowSource::Index { cursor: c, map: Arc::new(map), name: Arc::from(ix.name.as_str()) };
    Ok(())
}

/// Emits the loop nest over the FROM clause with `body` once per joined row; `body` gets the
/// label that goes on with the next row. `skip` is where a failed WHERE goes when there is no
/// FROM clause.
///
/// A RIGHT or FULL JOIN runs in two passes (its table must be the FROM clause's last, a rowid
/// table or a materialized subquery, whose rows are numbered by position): first the nest with
/// that table inner-joined (FULL: left-joined), noting the rowid of every row of it that met
/// its ON condition in an ephemeral set; then a pass over its rows
/// that no row met, every other table on a NULL row, testing the WHERE clause. The body is a
/// subroutine both passes call.
pub(super) fn join_loops(
    b: &mut Builder<'_>,
    scope: &Scope,
    on: &[(JoinKind, Option<Expr>)],
    where_terms: &[Expr],
    skip: i32,
    body: &mut dyn FnMut(&mut Builder<'_>, i32) -> Result<()>,
) -> Result<()> {
    let n = scope.sources.len();
    let outer: Vec<usize> = (0..n).filter(|&i| matches!(on[i].0, JoinKind::Right | JoinKind::Full)).collect();
    let Some(&ri) = outer.first() else {
        let levels = open_loops(b, scope, on, where_terms, skip, None)?;
        let cont = levels.last().map_or(skip, |l| l.cont);
        body(b, cont)?;
        close_loops(b, levels);
        return Ok(());
    };
    let src = &scope.sources[ri];
    let cursor = match src.row {
        // A rowid table, or a materialized subquery (its rows numbered by position).
        RowSource::Cursor(c) if outer.len() == 1 && ri == n - 1 && ri > 0 && !src.table.without_rowid => c,
        _ => return Err(Error::not_supported("RIGHT and FULL JOIN other than to a rowid table or subquery last in the FROM clause")),
    };
    let mut others = Vec::new();
    for s in &scope.sources[..ri] {
        match s.row {
            RowSource::Cursor(c) | RowSource::Index { cursor: c, .. } => others.push(c),
            RowSource::Regs { .. } => return Err(Error::not_supported("RIGHT and FULL JOIN with a recursive CTE")),
        }
    }
    let set = b.cursor();
    b.emit4(Opcode::OpenEphemeral, set, 1, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
    let (sub, body_at, after) = (b.reg(), b.label(), b.label());
    // WHERE terms naming no table are tested once, before any loop, as SQLite does.
    let (consts, where_terms): (Vec<&Expr>, Vec<&Expr>) = where_terms.iter().partition(|t| names_no_table(t, &scope.sources));
    for t in consts {
        jump_if_false(b, scope, t, after)?;
    }
    // Pass 1: FULL is a LEFT JOIN, RIGHT an inner join (not reordered).
    let on1: Vec<(JoinKind, Option<Expr>)> =
        on.iter().map(|(k, t)| (if *k == JoinKind::Full { JoinKind::Left } else { *k }, t.clone())).collect();
    // The WHERE clause is tested on the joined row only: tested earlier (at an outer table's
    // level), it would keep right-table rows from being noted as met.
    let levels = open_loops(b, scope, &on1, &[], skip, Some((ri, set)))?;
    let cont = levels.last().map_or(skip, |l| l.cont);
    for t in &where_terms {
        jump_if_false(b, scope, t, cont)?;
    }
    b.emit(Opcode::Gosub, sub, body_at, 0);
    close_loops(b, levels);
    // Pass 2: the rows of the right table that met no row on the left.
    let (top, next, end) = (b.label(), b.label(), b.label());
    let r = b.reg();
    b.emit(Opcode::Rewind, cursor, end, 0);
    b.resolve(top);
    b.emit(Opcode::Rowid, cursor, r, 0);
    b.emit4(Opcode::Found, set, next, r, P4::Int64(1));
    for c in &others {
        b.emit(Opcode::NullRow, *c, 0, 0);
    }
    for t in &where_terms {
        jump_if_false(b, scope, t, next)?;
    }
    b.emit(Opcode::Gosub, sub, body_at, 0);
    b.resolve(next);
    b.emit(Opcode::Next, cursor, top, 0);
    b.resolve(end);
    b.emit(Opcode::Goto, 0, after, 0);
    // The body, once.
    b.resolve(body_at);
    let ret = b.label();
    body(b, ret)?;
    b.resolve(ret);
    b.emit(Opcode::Return, sub, 0, 0);
    b.resolve(after);
    Ok(())
}

/// ORDER BY the rowid of the one table a plain scan reads: the scan delivers that order
/// (forwards, or backwards for DESC). Returns whether it is so and the scan's direction.
fn order_is_scan_order(b: &mut Builder<'_>, scope: &Scope, order: &[(Expr, bool)], where_terms: &[Expr]) -> Option<bool> {
    let [(e, desc)] = order else { return None };
    scan_order_rowid(b, scope, e, where_terms).then_some(*desc)
}

/// Whether `e` is the rowid of the one table of `scope`, which is scanned whole in rowid
/// order (no lookup or range on any WHERE term).
fn scan_order_rowid(b: &mut Builder<'_>, scope: &Scope, e: &Expr, where_terms: &[Expr]) -> bool {
    if scope.sources.len() != 1 || !matches!(scope.sources[0].row, RowSource::Cursor(_)) {
        return false;
    }
    let src = &scope.sources[0];
    let t = &src.table;
    if t.root == 0 || !t.pk.is_empty() {
        return false;
    }
    let names_rowid = |n: &str| {
        let rowid_word = n.eq_ignore_ascii_case("rowid") || n.eq_ignore_ascii_case("oid") || n.eq_ignore_ascii_case("_rowid_");
        match t.column_index(n) {
            Some(i) => t.ipk == Some(i),
            None => rowid_word,
        }
    };
    let is_rowid = match e {
        Expr::Id { name, .. } => names_rowid(name),
        Expr::Qualified { table, column, .. } => table.eq_ignore_ascii_case(&src.name) && names_rowid(column),
        _ => false,
    };
    if !is_rowid {
        return false;
    }
    let placed = [false];
    let terms: Vec<&Expr> = where_terms.iter().collect();
    !(where_terms.iter().any(|w| rowid_lookup(w, &scope.sources, 0, &placed).is_some() || index_lookup(b, scope, w, 0, &placed).is_some())
        || index_range(b, scope, &terms, 0, &placed).is_some())
}

/// Opens the loops over `sources` and tests each WHERE term at the outermost level where the
/// tables it names are available (`skip` when there is no table); returns the levels.
/// `mark`: (source, set cursor): note that source's rowid in the set once its ON condition
/// holds (the first pass of a RIGHT or FULL JOIN). Records each level's EXPLAIN QUERY PLAN row.
fn open_loops(
    b: &mut Builder<'_>,
    scope: &Scope,
    on: &[(JoinKind, Option<Expr>)],
    where_terms: &[Expr],
    skip: i32,
    mark: Option<(usize, i32)>,
) -> Result<Vec<Level>> {
    let n = scope.sources.len();
    // Loop order: FROM order, or for plain inner joins greedily the table that can be looked
    // up or filtered best given the tables already placed (what SQLite's planner would do).
    let reorder = n > 1 && on.iter().all(|(k, _)| matches!(k, JoinKind::Inner | JoinKind::Comma));
    let mut loop_order: Vec<usize> = Vec::new();
    let mut placed = vec![false; n];
    let all_terms: Vec<Expr> = {
        let mut v: Vec<Expr> = where_terms.to_vec();
        for (_, t) in on {
            if let Some(t) = t {
                conjuncts(t, &mut v);
            }
        }
        v
    };
    // Which tables each term names (None: cannot tell).
    let term_refs: Vec<Option<Vec<usize>>> = all_terms
        .iter()
        .map(|t| {
            let mut used = Vec::new();
            refs_sources(t, &scope.sources, &mut used).then(|| {
                used.sort_unstable();
                used.dedup();
                used
            })
        })
        .collect();
    while loop_order.len() < n {
        let mut best = (0usize, usize::MAX);
        for j in (0..n).filter(|&j| !placed[j]) {
            if !reorder {
                best = (0, j);
                break;
            }
            let mut score = 0;
            for (t, used) in all_terms.iter().zip(&term_refs) {
                let Some(used) = used else { continue };
                if used.contains(&j) && used.iter().all(|&u| u == j || placed[u]) {
                    let eq = matches!(t, Expr::Binary { op: BinaryOp::Eq, .. });
                    score = score.max(if eq { 2 } else { 1 });
                    if score == 2 && rowid_lookup(t, &scope.sources, j, &placed).is_some() {
                        score = 4;
                    }
                }
            }
            if best.1 == usize::MAX || score > best.0 {
                best = (score, j);
            }
        }
        placed[best.1] = true;
        loop_order.push(best.1);
    }
    let mut pos = vec![0usize; n];
    for (p, &j) in loop_order.iter().enumerate() {
        pos[j] = p;
    }
    // When reordering, inner-join ON terms are WHERE terms like any other.
    let where_terms: &[Expr] = if reorder { &all_terms } else { where_terms };
    let on_at_level = |i: usize| if reorder { None } else { on[i].1.as_ref() };
    // Terms naming no table of this FROM clause (constants, outer references): SQLite tests
    // them before its loops.
    let term_const: Vec<bool> = where_terms.iter().map(|t| names_no_table(t, &scope.sources)).collect();
    // (Terms naming no table are tested before the loops, below.)
    let level_terms = |level_no: usize, term_level: &[usize]| -> Vec<&Expr> {
        where_terms.iter().zip(term_level).zip(&term_const).filter(move |((_, &l), &k)| l == level_no && !k).map(|((t, _), _)| t).collect()
    };
    // The level (loop position) of each WHERE term.
    let term_level: Vec<usize> = where_terms
        .iter()
        .map(|t| {
            let mut used = Vec::new();
            if n == 0 {
                0
            } else if refs_sources(t, &scope.sources, &mut used) {
                let lvl = used.iter().map(|&u| pos[u]).max().unwrap_or(0);
                // A term must not be tested before a LEFT JOIN's table it follows.
                let last_left = (0..n).filter(|&i| on[i].0 == JoinKind::Left).max();
                match last_left {
                    Some(l) if l > lvl && used.iter().any(|&u| u >= l) => l,
                    _ => lvl,
                }
            } else {
                n - 1
            }
        })
        .collect();
    if n == 0 {
        for t in where_terms {
            jump_if_false(b, scope, t, skip)?;
        }
        return Ok(Vec::new());
    }
    let mut levels = Vec::new();
    let mut placed = vec![false; n];
    // Terms naming no table are tested once, before the outermost loop (even over empty
    // tables, as SQLite does); a false one ends the nest at once.
    let outer_end = b.label();
    for (t, _) in where_terms.iter().zip(&term_const).filter(|(_, &k)| k) {
        jump_if_false(b, scope, t, outer_end)?;
    }
    for (level_no, &i) in loop_order.iter().enumerate() {
        let src = &scope.sources[i];
        let (top, cont) = (b.label(), b.label());
        let end = if level_no == 0 { outer_end } else { b.label() };
        let is_left = on[i].0 == JoinKind::Left;
        let covering = matches!(src.row, RowSource::Index { .. });
        let cursor = match src.row {
            RowSource::Cursor(c) => c,
            RowSource::Index { cursor, .. } => cursor,
            RowSource::Regs { .. } => {
                // The one row of a recursive CTE step: no loop.
                if is_left {
                    return Err(Error::not_supported("LEFT JOIN to a recursive CTE"));
                }
                b.resolve(top);
                if let Some(t) = on_at_level(i) {
                    jump_if_false(b, scope, t, cont)?;
                }
                for t in level_terms(level_no, &term_level) {
                    jump_if_false(b, scope, t, cont)?;
                }
                placed[i] = true;
                levels.push(Level { cursor: -1, top, cont, end, left: None, seek: true, idx_cursor: None, reverse: false });
                continue;
            }
        };
        let mut candidates: Vec<&Expr> = where_terms.iter().collect();
        if let (false, Some(t)) = (is_left, &on[i].1) {
            candidates.push(t);
        }
        let mut on_terms = Vec::new();
        if let Some(t) = &on[i].1 {
            conjuncts(t, &mut on_terms);
        }
        if !is_left {
            candidates.extend(on_terms.iter());
        }
        let lookup = if is_left || covering { None } else { candidates.iter().find_map(|t| rowid_lookup(t, &scope.sources, i, &placed)) };
        let ilookup = if is_left || covering || lookup.is_some() || not_indexed(scope, i) { None } else { candidates.iter().find_map(|t| index_lookup(b, scope, t, i, &placed)) };
        let range = if is_left || covering || lookup.is_some() || ilookup.is_some() || not_indexed(scope, i) { None } else { index_range(b, scope, &candidates, i, &placed) };
        let mut level = Level { cursor, top, cont, end, left: None, seek: false, idx_cursor: None, reverse: false };
        let suffix = if is_left { " LEFT-JOIN" } else { "" };
        let detail = if lookup.is_some() {
            format!("SEARCH {} USING INTEGER PRIMARY KEY (rowid=?){suffix}", src.name)
        } else if let Some((ix, _)) = &ilookup {
            let n = 1 + eq_prefix_rest(b, scope, ix, &candidates, i, &placed).len();
            let cols: Vec<String> = ix.columns.iter().take(n).map(|c| format!("{}=?", column_label(&src.table, c.column))).collect();
            format!("SEARCH {} USING {} ({}){suffix}", src.name, index_label(&src.table, ix), cols.join(" AND "))
        } else if let Some((ix, lower, upper)) = &range {
            let c = column_label(&src.table, ix.columns[0].column);
            let mut parts = Vec::new();
            if lower.is_some() {
                parts.push(format!("{c}>?"));
            }
            if upper.is_some() {
                parts.push(format!("{c}<?"));
            }
            format!("SEARCH {} USING {} ({}){suffix}", src.name, index_label(&src.table, ix), parts.join(" AND "))
        } else if let RowSource::Index { name, .. } = &src.row {
            format!("SCAN {} USING COVERING INDEX {name}{suffix}", src.name)
        } else {
            format!("SCAN {}{suffix}", src.name)
        };
        b.plan.add(detail);
        if is_left {
            let (m, nf, nomatch, body) = (b.reg(), b.reg(), b.label(), b.label());
            b.emit(Opcode::Integer, 0, m, 0);
            b.emit(Opcode::Integer, 0, nf, 0);
            b.emit(Opcode::Rewind, cursor, nomatch, 0);
            b.resolve(top);
            if let Some(t) = on_at_level(i) {
                jump_if_false(b, scope, t, cont)?;
            }
            b.emit(Opcode::Integer, 1, m, 0);
            b.resolve(body);
            level.left = Some((m, nf, nomatch, body));
        } else if let Some(key) = lookup {
            let r = b.reg();
            expr::expr(b, scope, key, r)?;
            b.emit(Opcode::SeekRowid, cursor, end, r);
            b.resolve(top);
            level.seek = true;
            if let Some(t) = on_at_level(i) {
                jump_if_false(b, scope, t, cont)?;
            }
        } else if let Some((ix, key)) = ilookup {
            let t = &src.table;
            let ic = if ix.root == t.root {
                cursor
            } else {
                let ic = b.cursor();
                let k = super::ddl::index_key_info(t, &ix.columns)?;
                b.emit4(Opcode::OpenRead, ic, ix.root as i32, 0, P4::KeyInfo(k));
                ic
            };
            let rest = eq_prefix_rest(b, scope, &ix, &candidates, i, &placed);
            let (r, n) = eq_seek(b, scope, t, &ix, key, &rest, ic, end)?;
            b.resolve(top);
            b.emit4(Opcode::IdxGT, ic, end, r, P4::Int64(n));
            seek_table_row(b, t, &ix, ic, cursor, cont);
            level.idx_cursor = Some(ic);
            if let Some(t) = on_at_level(i) {
                jump_if_false(b, scope, t, cont)?;
            }
        } else if let Some((ix, lower, upper)) = range {
            let t = &src.table;
            let ic = if ix.root == t.root {
                cursor
            } else {
                let ic = b.cursor();
                let k = super::ddl::index_key_info(t, &ix.columns)?;
                b.emit4(Opcode::OpenRead, ic, ix.root as i32, 0, P4::KeyInfo(k));
                ic
            };
            let aff = (t.columns[ix.columns[0].column as usize].affinity.code() as char).to_string();
            let hi = match upper {
                Some((e, strict)) => {
                    let r = b.reg();
                    expr::expr(b, scope, e, r)?;
                    b.emit4(Opcode::Affinity, r, 1, 0, P4::Affinity(aff.clone()));
                    b.emit(Opcode::IsNull, r, end, 0);
                    Some((r, strict))
                }
                None => None,
            };
            let lo = b.reg();
            match lower {
                Some((e, strict)) => {
                    expr::expr(b, scope, e, lo)?;
                    b.emit4(Opcode::Affinity, lo, 1, 0, P4::Affinity(aff));
                    b.emit(Opcode::IsNull, lo, end, 0);
                    b.emit4(if strict { Opcode::SeekGT } else { Opcode::SeekGE }, ic, end, lo, P4::Int64(1));
                }
                None => {
                    // Past the NULLs, which no range comparison accepts.
                    b.emit(Opcode::Null, 0, lo, 0);
                    b.emit4(Opcode::SeekGT, ic, end, lo, P4::Int64(1));
                }
            }
            b.resolve(top);
            if let Some((r, strict)) = hi {
                b.emit4(if strict { Opcode::IdxGE } else { Opcode::IdxGT }, ic, end, r, P4::Int64(1));
            }
            seek_table_row(b, t, &ix, ic, cursor, cont);
            level.idx_cursor = Some(ic);
            if let Some(t) = on_at_level(i) {
                jump_if_false(b, scope, t, cont)?;
            }
        } else {
            level.reverse = b.reverse_scan == Some(cursor);
            b.emit(if level.reverse { Opcode::Last } else { Opcode::Rewind }, cursor, end, 0);
            b.resolve(top);
            if let Some(t) = on_at_level(i) {
                jump_if_false(b, scope, t, cont)?;
            }
        }
        if let Some((_, set)) = mark.filter(|&(m, _)| m == i) {
            let r = b.reg();
            b.emit(Opcode::Rowid, cursor, r, 0);
            b.emit(Opcode::IdxInsert, set, r, 1);
        }
        for t in level_terms(level_no, &term_level) {
            jump_if_false(b, scope, t, cont)?;
        }
        placed[i] = true;
        levels.push(level);
    }
    Ok(levels)
}

/// A column's name in a plan row (`rowid` for the rowid, SQLite's `<expr>` for expressions).
fn column_label(t: &crate::schema::Table, column: i32) -> String {
    match usize::try_from(column).ok().and_then(|c| t.columns.get(c)) {
        Some(c) => c.name.clone(),
        None if column == -1 => "rowid".to_string(),
        None => "<expr>".to_string(),
    }
}

/// How a plan row names an index: a WITHOUT ROWID table's own key is its PRIMARY KEY.
fn index_label(t: &crate::schema::Table, ix: &crate::schema::Index) -> String {
    if ix.root == t.root {
        "PRIMARY KEY".to_string()
    } else {
        format!("INDEX {}", ix.name)
    }
}

fn close_loops(b: &mut Builder<'_>, levels: Vec<Level>) {
    for l in levels.into_iter().rev() {
        b.resolve(l.cont);
        if let Some((m, nf, nomatch, body)) = l.left {
            b.emit(Opcode::If, nf, l.end, 0);
            b.emit(Opcode::Next, l.cursor, l.top, 0);
            b.resolve(nomatch);
            b.emit(Opcode::If, m, l.end, 0);
            b.emit(Opcode::NullRow, l.cursor, 0, 0);
            b.emit(Opcode::Integer, 1, m, 0);
            b.emit(Opcode::Integer, 1, nf, 0);
            b.emit(Opcode::Goto, 0, body, 0);
        } else if let Some(ic) = l.idx_cursor {
            b.emit(Opcode::Next, ic, l.top, 0);
        } else if !l.seek {
            b.emit(if l.reverse { Opcode::Prev } else { Opcode::Next }, l.cursor, l.top, 0);
        }
        b.resolve(l.end);
    }
}

/// True when `fc` names an aggregate function (by name and argument count).
fn is_aggregate_call(b: &Builder<'_>, fc: &crate::sql::ast::FunctionCall) -> bool {
    let n = match &fc.args {
        FunctionArgs::Star => 0,
        FunctionArgs::List(l) => l.len(),
    };
    b.funcs.find(&fc.name, n).is_some_and(|d| d.is_aggregate())
}

/// The aggregate calls in `e` (outside nested subqueries; a window call is not one, but its
/// arguments are searched), each once.
fn find_aggs(b: &Builder<'_>, e: &Expr, out: &mut Vec<Expr>) {
    e.walk(&mut |x| {
        // SQLite's parser drops the operands of `x AND 0`.
        if is_false_and(x) {
            return false;
        }
        let Expr::FunctionCall(fc) = x else { return true };
        if fc.over.is_none() && is_aggregate_call(b, fc) {
            if !out.contains(x) {
                out.push(x.clone());
            }
            return false;
        }
        true
    });
}

/// Column references outside aggregate calls (the "bare" columns of an aggregate query).
fn find_bare_columns(b: &Builder<'_>, e: &Expr, out: &mut Vec<Expr>) {
    e.walk(&mut |x| match x {
        Expr::Id { .. } | Expr::Qualified { .. } => {
            if !out.contains(x) {
                out.push(x.clone());
            }
            false
        }
        Expr::FunctionCall(fc) => !is_aggregate_call(b, fc),
        _ => true,
    });
}

pub(super) fn key_info(b: &mut Builder<'_>, scope: &Scope, terms: &[(Expr, bool)]) -> Result<Arc<KeyInfo>> {
    let mut k = KeyInfo::default();
    for (e, desc) in terms {
        let c = match collation_of(b, scope, e) {
            Some(c) => Some(collation(&c)?),
            None => None,
        };
        k.fields.push((*desc, c));
    }
    Ok(Arc::new(k))
}

/// Compiles one simple SELECT (or VALUES) of a compound.
pub(super) fn compile_select_core(
    b: &mut Builder<'_>,
    parent: &Scope,
    core: &SelectCore,
    order_by: &[OrderingTerm],
    limit: Option<&crate::sql::ast::Limit>,
    dest: Dest,
) -> Result<Vec<OutColumn>> {
    compile_core(b, parent, core, order_by, limit, dest)
}

fn compile_core(
    b: &mut Builder<'_>,
    parent: &Scope,
    core: &SelectCore,
    order_by: &[OrderingTerm],
    limit: Option<&crate::sql::ast::Limit>,
    dest: Dest,
) -> Result<Vec<OutColumn>> {
    let q = match core {
        SelectCore::Values(rows) => {
            if !order_by.is_empty() || limit.is_some() {
                return Err(Error::not_supported("ORDER BY or LIMIT on VALUES"));
            }
            let n = rows[0].len();
            for row in rows {
                if row.len() != n {
                    return Err(Error::sql("all VALUES must have the same number of terms"));
                }
                let base = b.regs(n);
                for (i, e) in row.iter().enumerate() {
                    expr::expr(b, parent, e, base + i as i32)?;
                }
                emit_row(b, dest, base, n);
            }
            return Ok((1..=n).map(|i| OutColumn { name: format!("column{i}"), decltype: None }).collect());
        }
        SelectCore::Select(q) => q,
    };
    let (sources, on, hidden) = match &q.from {
        Some(f) => open_sources(b, f)?,
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let mut scope = Scope { sources, parent: Some(Box::new(parent.clone())), hidden };

    // Result columns, with * expanded.
    let mut results: Vec<(Expr, OutColumn)> = Vec::new();
    for rc in &q.columns {
        match rc {
            ResultColumn::Expr { expr: e, alias, span } => {
                let (name, decltype) = match (alias, e) {
                    (Some(a), _) => (a.to_string(), None),
                    (None, Expr::Id { name, .. }) | (None, Expr::Qualified { column: name, .. }) => (name.to_string(), None),
                    (None, _) => (b.sql.get(span.range()).unwrap_or("?").to_string(), None),
                };
                let decltype = match e {
                    Expr::Id { name, .. } => {
                        let saved = b.outer_refs;
                        let r = expr::resolve(b, &scope, None, name).ok().flatten().and_then(|c| c.decl_type);
                        b.outer_refs = saved;
                        r
                    }
                    Expr::Qualified { table, column, .. } => {
                        let saved = b.outer_refs;
                        let r = expr::resolve(b, &scope, Some(table), column).ok().flatten().and_then(|c| c.decl_type);
                        b.outer_refs = saved;
                        r
                    }
                    _ => decltype,
                };
                let name = match (alias, e) {
                    (None, Expr::Id { name: n, .. }) => {
                        let saved = b.outer_refs;
                        // A name that is no column (a string in double quotes, TRUE/FALSE) is
                        // named by its text, quotes included, as SQLite does.
                        let text = b.sql.get(span.range()).map(str::to_string);
                        let r = expr::resolve(b, &scope, None, n).ok().flatten().map(|c| c.name).or(text).unwrap_or(name);
                        b.outer_refs = saved;
                        r
                    }
                    _ => name,
                };
                results.push((e.clone(), OutColumn { name, decltype }));
            }
            ResultColumn::Star | ResultColumn::TableStar(_) => {
                if scope.sources.is_empty() {
                    return Err(Error::sql("no tables specified"));
                }
                let want = if let ResultColumn::TableStar(t) = rc { Some(t) } else { None };
                let mut any = false;
                for (si, s) in scope.sources.iter().enumerate() {
                    if want.is_some_and(|t| !s.name.eq_ignore_ascii_case(t)) {
                        continue;
                    }
                    any = true;
                    for c in &s.table.columns {
                        if want.is_none() && scope.hidden.iter().any(|(i, n)| *i == si && c.name.eq_ignore_ascii_case(n)) {
                            continue;
                        }
                        let e = Expr::Qualified { schema: None, table: s.name.as_str().into(), column: c.name.as_str().into() };
                        let decl = Some(c.decl_type.clone()).filter(|d| !d.is_empty());
                        results.push((e, OutColumn { name: c.name.clone(), decltype: decl }));
                    }
                }
                if !any {
                    return Err(Error::sql(format!("no such table: {}", want.map(|t| t.as_str()).unwrap_or(""))));
                }
            }
        }
    }
    let n_out = results.len();

    // ORDER BY terms resolved against result aliases and positions. As in SQLite, a position
    // outside 1..=65535 is reported before any position past the last result column.
    check_position_bounds(order_by.iter().map(|t| &t.expr), "ORDER", n_out)?;
    let mut order: Vec<(Expr, bool)> = Vec::new();
    let mut nulls_flip: Vec<bool> = Vec::new();
    for t in order_by {
        let desc = t.order == Some(SortOrder::Desc);
        nulls_flip.push(matches!(
            (t.nulls, desc),
            (Some(crate::sql::ast::NullsOrder::Last), false) | (Some(crate::sql::ast::NullsOrder::First), true)
        ));
        let e = match &t.expr {
            e if term_position(e).is_some() => {
                let (k, coll) = term_position(e).expect("checked");
                if k < 1 || k as usize > n_out {
                    return Err(Error::sql(format!("{} ORDER BY term out of range - should be between 1 and {}", ordinal(order.len() + 1), n_out)));
                }
                let r = results[k as usize - 1].0.clone();
                match coll {
                    Some(c) => Expr::Collate { expr: r.into(), collation: c },
                    None => r,
                }
            }
            Expr::Id { name, .. } => {
                let alias_hit = q.columns.iter().zip(results.iter()).find_map(|(rc, (e, _))| match rc {
                    ResultColumn::Expr { alias: Some(a), .. } if a.eq_ignore_ascii_case(name) => Some(e.clone()),
                    _ => None,
                });
                alias_hit.unwrap_or_else(|| t.expr.clone())
            }
            other => other.clone(),
        };
        order.push((e, desc));
    }

    // HAVING may name result columns by alias.
    let aliases: Vec<(crate::sql::ast::Name, Expr)> = q
        .columns
        .iter()
        .zip(results.iter())
        .filter_map(|(rc, (e, _))| match rc {
            ResultColumn::Expr { alias: Some(a), .. } => Some((a.clone(), e.clone())),
            _ => None,
        })
        .collect();
    let having: Option<Expr> = q.having.as_ref().map(|h| subst_alias(h, &aliases, &scope.sources));
    // GROUP BY terms may name a result column by position or alias. SQLite's order of errors:
    // positions outside 1..=65535, then positions past the last result column (both in term
    // order), then a term that is an aggregate ("not allowed"), then an aggregate brought into
    // a larger expression by an alias or a COLLATE'd position ("misuse", the last one named).
    check_position_bounds(q.group_by.iter(), "GROUP", n_out)?;
    let mut group_by: Vec<Expr> = Vec::new();
    let mut not_allowed = false;
    let mut misuse: Option<String> = None;
    let last_agg = |b: &Builder<'_>, e: &Expr, misuse: &mut Option<String>| {
        let mut ga = Vec::new();
        find_aggs(b, e, &mut ga);
        if let Some(Expr::FunctionCall(fc)) = ga.last() {
            *misuse = Some(fc.name.to_string());
        }
    };
    for (k, g) in q.group_by.iter().enumerate() {
        let has_aggs = |e: &Expr| {
            let mut ga = Vec::new();
            find_aggs(b, e, &mut ga);
            !ga.is_empty()
        };
        group_by.push(match term_position(g) {
            Some((i, coll)) => {
                if i as usize > n_out {
                    return Err(Error::sql(format!("{} GROUP BY term out of range - should be between 1 and {}", ordinal(k + 1), n_out)));
                }
                let r = results[i as usize - 1].0.clone();
                match coll {
                    Some(c) => {
                        last_agg(b, &r, &mut misuse);
                        Expr::Collate { expr: r.into(), collation: c }
                    }
                    None => {
                        not_allowed |= has_aggs(&r);
                        r
                    }
                }
            }
            None => {
                let s = subst_alias(g, &aliases, &scope.sources);
                if has_aggs(g) || (matches!(g, Expr::Id { .. }) && has_aggs(&s)) {
                    not_allowed = true;
                } else {
                    last_agg(b, &s, &mut misuse);
                }
                s
            }
        });
    }
    if not_allowed {
        return Err(Error::sql("aggregate functions are not allowed in the GROUP BY clause"));
    }
    if let Some(name) = misuse {
        return Err(Error::sql(format!("misuse of aggregate: {name}()")));
    }
    // In SQLite's order (result columns, ORDER BY, HAVING): the last min()/max() decides
    // which row bare columns come from.
    let mut aggs = Vec::new();
    for (e, _) in &results {
        find_aggs(b, e, &mut aggs);
    }
    for (e, _) in &order {
        find_aggs(b, e, &mut aggs);
    }
    if let Some(h) = &having {
        find_aggs(b, h, &mut aggs);
    }
    let is_agg = !aggs.is_empty() || !group_by.is_empty();
    let windows = {
        let exprs: Vec<&Expr> = results.iter().map(|(e, _)| e).chain(order.iter().map(|(e, _)| e)).collect();
        super::window::collect(b, q, &exprs)?
    };
    if windows.is_some() && is_agg {
        return Err(Error::not_supported("window functions in an aggregate query"));
    }
    if q.having.is_some() && group_by.is_empty() && aggs.is_empty() {
        return Err(Error::sql("a GROUP BY clause is required before HAVING"));
    }
    if let Some(w) = &q.where_clause {
        let mut wa = Vec::new();
        find_aggs(b, w, &mut wa);
        if let Some(Expr::FunctionCall(fc)) = wa.first() {
            return Err(Error::sql(format!("misuse of aggregate: {}()", fc.name)));
        }
    }

    let done = b.label();
    let lim = compile_limits(b, &scope, limit, done)?;
    let distinct = if q.distinct == Some(Distinctness::Distinct) {
        let c = b.cursor();
        let terms: Vec<(Expr, bool)> = results.iter().map(|(e, _)| (e.clone(), false)).collect();
        let k = key_info(b, &scope, &terms)?;
        b.emit4(Opcode::OpenEphemeral, c, n_out as i32, 0, P4::KeyInfo(k));
        Some(c)
    } else {
        None
    };
    let mut where_terms = Vec::new();
    if let Some(w) = &q.where_clause {
        conjuncts(w, &mut where_terms);
    }
    // ORDER BY rowid over a plain scan of one table: the scan delivers that order, so SQLite
    // uses no sorter (rows are computed one step at a time, LIMIT stops the scan).
    let scan_order = if !is_agg && windows.is_none() && distinct.is_none() { order_is_scan_order(b, &scope, &order, &where_terms) } else { None };
    let rowid_ordered = scan_order.is_some();
    if scan_order == Some(true) {
        if let RowSource::Cursor(c) = scope.sources[0].row {
            b.reverse_scan = Some(c);
        }
    }
    let window_ordered = windows.as_ref().is_some_and(|w| w.give_order(&order, &nulls_flip));
    let sorter = if !order.is_empty() && !rowid_ordered && !window_ordered {
        let c = b.cursor();
        let mut k = key_info(b, &scope, &order)?;
        Arc::make_mut(&mut k).nulls_flip = nulls_flip.clone();
        b.emit4(Opcode::SorterOpen, c, (order.len() + n_out) as i32, 0, P4::KeyInfo(k));
        Some(c)
    } else {
        None
    };
    if !rowid_ordered {
        let mut exprs: Vec<&Expr> = results.iter().map(|(e, _)| e).collect();
        exprs.extend(order.iter().map(|(e, _)| e));
        exprs.extend(group_by.iter());
        exprs.extend(having.iter());
        use_covering_index(b, &mut scope, &exprs, &where_terms, &on)?;
    }

    // Delivers the result columns in registers base..base+n_out (after DISTINCT and LIMIT).
    let deliver = |b: &mut Builder<'_>, scope: &Scope, skip: i32| -> Result<()> {
        // Rows an OFFSET skips are not computed when nothing else needs their values (as in
        // SQLite: an expression failing on such a row raises nothing).
        let offset_first = sorter.is_none() && distinct.is_none();
        if offset_first {
            apply_offset(b, &lim, skip);
        }
        let base = b.regs(n_out);
        for (i, (e, _)) in results.iter().enumerate() {
            expr::expr(b, scope, e, base + i as i32)?;
        }
        if let Some(c) = distinct {
            b.emit4(Opcode::Found, c, skip, base, P4::Int64(n_out as i64));
            b.emit(Opcode::IdxInsert, c, base, n_out as i32);
        }
        match sorter {
            Some(s) => {
                let kb = b.regs(order.len() + n_out);
                for (i, (e, _)) in order.iter().enumerate() {
                    expr::expr(b, scope, e, kb + i as i32)?;
                }
                b.emit(Opcode::Copy, base, kb + order.len() as i32, n_out as i32 - 1);
                b.emit(Opcode::SorterInsert, s, kb, (order.len() + n_out) as i32);
            }
            None => {
                if !offset_first {
                    apply_offset(b, &lim, skip);
                }
                emit_row(b, dest, base, n_out);
                apply_limit(b, &lim, done);
            }
        }
        Ok(())
    };

    if let Some(w) = &windows {
        let exprs: Vec<&Expr> = results.iter().map(|(e, _)| e).chain(order.iter().map(|(e, _)| e)).collect();
        super::window::run(b, &scope, &on, &where_terms, &exprs, w, &mut |b, skip| deliver(b, &scope, skip))?;
    } else if !is_agg {
        join_loops(b, &scope, &on, &where_terms, done, &mut |b, skip| deliver(b, &scope, skip))?;
        b.reverse_scan = None;
    } else {
        // Values per row: group keys, aggregate arguments, bare columns.
        let mut bare = Vec::new();
        for (e, _) in &results {
            find_bare_columns(b, e, &mut bare);
        }
        if let Some(h) = &having {
            find_bare_columns(b, h, &mut bare);
        }
        for (e, _) in &order {
            find_bare_columns(b, e, &mut bare);
        }
        let mut agg_args: Vec<Vec<Expr>> = Vec::new();
        let mut agg_defs = Vec::new();
        // An aggregate's FILTER (WHERE ...) value goes into the row after its arguments; a row
        // it does not keep is not stepped.
        let mut agg_filters: Vec<Option<Expr>> = Vec::new();
        for a in &aggs {
            let Expr::FunctionCall(fc) = a else { unreachable!("aggregates are calls") };
            let args: Vec<Expr> = match &fc.args {
                FunctionArgs::Star => Vec::new(),
                FunctionArgs::List(l) => l.clone(),
            };
            agg_filters.push(fc.filter.clone());
            if fc.distinct && args.len() != 1 {
                return Err(Error::sql("DISTINCT aggregates must have exactly one argument"));
            }
            agg_defs.push((b.funcs.lookup(&fc.name, args.len())?, fc.distinct));
            agg_args.push(args);
        }
        // min()/max() compare under their argument's collation.
        let mut agg_colls: Vec<Option<Arc<crate::value::Collation>>> = Vec::new();
        for (i, (def, _)) in agg_defs.iter().enumerate() {
            agg_colls.push(aggregate_collation(b, &scope, def, agg_args[i].first())?);
        }
        let n_group = group_by.len();
        let n_args: usize = agg_args.iter().map(Vec::len).sum::<usize>() + agg_filters.iter().flatten().count();
        let width = n_group + n_args + bare.len();
        let row = b.regs(width.max(1));
        let acc = b.regs(aggs.len().max(1));
        let bare_regs = b.regs(bare.len().max(1));
        let distinct_sets: Vec<Option<i32>> = agg_defs.iter().map(|(_, d)| if *d { Some(b.cursor()) } else { None }).collect();
        // A DISTINCT aggregate's set compares under its argument's collation.
        let mut set_keys = Vec::new();
        for (i, d) in distinct_sets.iter().enumerate() {
            let coll = match (d, agg_args[i].first()) {
                (Some(_), Some(e)) => match collation_of(b, &scope, e) {
                    Some(n) if !n.eq_ignore_ascii_case("BINARY") => Some(collation(&n)?),
                    _ => None,
                },
                _ => None,
            };
            set_keys.push(Arc::new(KeyInfo { fields: vec![(false, coll)], nulls_flip: Vec::new() }));
        }
        let open_sets = |b: &mut Builder<'_>| {
            for (i, c) in distinct_sets.iter().enumerate() {
                if let Some(c) = c {
                    b.emit4(Opcode::OpenEphemeral, *c, 1, 0, P4::KeyInfo(Arc::clone(&set_keys[i])));
                }
            }
        };
        // Evaluates one source row into row[..].
        let load_row = |b: &mut Builder<'_>, scope: &Scope| -> Result<()> {
            let mut r = row;
            for g in &group_by {
                expr::expr(b, scope, g, r)?;
                r += 1;
            }
            for (args, filter) in agg_args.iter().zip(&agg_filters) {
                for a in args.iter().chain(filter) {
                    expr::expr(b, scope, a, r)?;
                    r += 1;
                }
            }
            for e in &bare {
                expr::expr(b, scope, e, r)?;
                r += 1;
            }
            Ok(())
        };
        // Steps the aggregates with row[..] and copies the bare columns.
        // With min()/max() aggregates, bare columns come from the row holding the extreme
        // value (SQLite's documented special case): a row is taken when the last min()/max()
        // stepped on it took a new extreme, or has seen only NULLs so far (a DISTINCT duplicate
        // does not step, and leaves the verdict of the one before); without them, from the
        // first row of the group.
        // `cur` shadows each min()/max()'s value so far; `hit` holds the verdict.
        let minmax_cur: Vec<Option<(bool, i32)>> = (0..aggs.len())
            .map(|i| {
                let n = agg_defs[i].0.name.to_ascii_lowercase();
                (!bare.is_empty() && agg_args[i].len() == 1 && (n == "min" || n == "max")).then(|| (n == "max", b.reg()))
            })
            .collect();
        let any_minmax = minmax_cur.iter().any(Option::is_some);
        let hit = b.reg();
        let bare_done = b.reg();
        let step = |b: &mut Builder<'_>| {
            let mut r = row + n_group as i32;
            for (i, (def, _)) in agg_defs.iter().enumerate() {
                let n = agg_args[i].len();
                let skip = b.label();
                if agg_filters[i].is_some() {
                    // Before DISTINCT, as in SQLite: a row the filter drops joins no set. Nor
                    // does it give the bare columns of a min()/max() (SQLite's answers).
                    if let Some((_, _)) = minmax_cur[i] {
                        b.emit(Opcode::Integer, 0, hit, 0);
                    }
                    b.emit(Opcode::IfNot, r + n as i32, skip, 1);
                }
                if let Some(c) = distinct_sets[i] {
                    b.emit4(Opcode::Found, c, skip, r, P4::Int64(1));
                    b.emit(Opcode::IdxInsert, c, r, 1);
                }
                if let Some((is_max, cur)) = minmax_cur[i] {
                    let (no, yes) = (b.label(), b.label());
                    b.emit(Opcode::Integer, 0, hit, 0);
                    // Until a first non-NULL value, every row is taken (NULL ones too: the
                    // last such row's columns show when all are NULL), as in SQLite.
                    b.emit(Opcode::IsNull, cur, yes, 0);
                    b.emit(Opcode::IsNull, r, no, 0);
                    let coll = agg_colls[i].as_ref().map_or(P4::None, |c| P4::Coll(Arc::clone(c)));
                    b.emit4(if is_max { Opcode::Le } else { Opcode::Ge }, cur, no, r, coll);
                    b.resolve(yes);
                    b.emit(Opcode::Integer, 1, hit, 0);
                    b.emit(Opcode::SCopy, r, cur, 0);
                    b.resolve(no);
                }
                let mut p1 = 0;
                if let Some(c) = &agg_colls[i] {
                    b.emit4(Opcode::Noop, 0, 0, 0, P4::Coll(Arc::clone(c)));
                    p1 = 1;
                }
                let a = b.emit4(Opcode::AggStep, p1, r, acc + i as i32, P4::Func(Arc::clone(def)));
                b.set_p5(a, n as u16);
                b.resolve(skip);
                r += (n + agg_filters[i].is_some() as usize) as i32;
            }
            if !bare.is_empty() {
                let (keep, copy) = (b.label(), b.label());
                b.emit(Opcode::IfNot, bare_done, copy, 1);
                if any_minmax {
                    b.emit(Opcode::IfNot, hit, keep, 1);
                } else {
                    b.emit(Opcode::Goto, 0, keep, 0);
                }
                b.resolve(copy);
                b.emit(Opcode::Integer, 1, bare_done, 0);
                b.emit(Opcode::Copy, row + (n_group + n_args) as i32, bare_regs, bare.len() as i32 - 1);
                b.resolve(keep);
            }
        };
        let reset_minmax = |b: &mut Builder<'_>| {
            for (_, cur) in minmax_cur.iter().flatten() {
                b.emit(Opcode::Null, 0, *cur, 0);
            }
            b.emit(Opcode::Integer, 0, bare_done, 0);
        };
        // Output of one group: finalize, HAVING, deliver.
        let saved_map = std::mem::take(&mut b.expr_map);
        let finalize_and_deliver = |b: &mut Builder<'_>, scope: &Scope, after: i32| -> Result<()> {
            for (i, (def, _)) in agg_defs.iter().enumerate() {
                b.emit4(Opcode::AggFinal, acc + i as i32, agg_args[i].len() as i32, 0, P4::Func(Arc::clone(def)));
            }
            for (i, a) in aggs.iter().enumerate() {
                b.expr_map.push((a.clone(), acc + i as i32));
            }
            for (i, e) in bare.iter().enumerate() {
                b.expr_map.push((e.clone(), bare_regs + i as i32));
            }
            if let Some(h) = &having {
                jump_if_false(b, scope, h, after)?;
            }
            deliver(b, scope, after)?;
            b.expr_map.clear();
            Ok(())
        };
        if n_group == 0 {
            open_sets(b);
            reset_minmax(b);
            b.emit(Opcode::Null, 0, bare_regs, bare_regs + bare.len() as i32);
            let no_row = b.label();
            // The one aggregate min(x)/max(x) with WHERE fixing x (`x IS NULL`, `x = const`):
            // SQLite's min/max plan takes the first row that qualifies and stops (its bare
            // columns are that row's).
            let first_row_only = agg_defs.len() == 1
                && minmax_cur[0].is_some()
                && agg_filters[0].is_none()
                && agg_args[0].first().is_some_and(|x| where_terms.iter().any(|w| fixes_value(w, x)));
            join_loops(b, &scope, &on, &where_terms, no_row, &mut |b, _| {
                load_row(b, &scope)?;
                step(b);
                if first_row_only {
                    b.emit(Opcode::Goto, 0, no_row, 0);
                }
                Ok(())
            })?;
            b.resolve(no_row);
            let after = b.label();
            finalize_and_deliver(b, &scope, after)?;
            b.resolve(after);
        } else {
            let gs = b.cursor();
            let gterms: Vec<(Expr, bool)> = group_by.iter().map(|g| (g.clone(), false)).collect();
            let gk = key_info(b, &scope, &gterms)?;
            b.emit4(Opcode::SorterOpen, gs, width as i32, 0, P4::KeyInfo(Arc::clone(&gk)));
            let no_row = b.label();
            join_loops(b, &scope, &on, &where_terms, no_row, &mut |b, _| {
                load_row(b, &scope)?;
                b.emit(Opcode::SorterInsert, gs, row, width as i32);
                Ok(())
            })?;
            b.resolve(no_row);
            // Walk the sorted rows, one group at a time.
            let prev = b.regs(n_group);
            let first = b.reg();
            let out_sub = b.reg();
            let (sorted_end, loop_top, same, output) = (b.label(), b.label(), b.label(), b.label());
            b.emit(Opcode::Integer, 1, first, 0);
            open_sets(b);
            b.emit(Opcode::SorterSort, gs, sorted_end, 0);
            b.resolve(loop_top);
            for i in 0..width {
                b.emit(Opcode::Column, gs, i as i32, row + i as i32);
            }
            let newgroup = b.label();
            b.emit(Opcode::If, first, newgroup, 0);
            b.emit4(Opcode::Compare, prev, row, n_group as i32, P4::KeyInfo(Arc::clone(&gk)));
            let diff = b.label();
            b.emit(Opcode::Jump, diff, same, diff);
            b.resolve(diff);
            b.emit(Opcode::Gosub, out_sub, output, 0);
            open_sets(b);
            b.resolve(newgroup);
            reset_minmax(b);
            b.emit(Opcode::Integer, 0, first, 0);
            b.emit(Opcode::Copy, row, prev, n_group as i32 - 1);
            b.resolve(same);
            step(b);
            b.emit(Opcode::SorterNext, gs, loop_top, 0);
            b.emit(Opcode::If, first, sorted_end, 0);
            b.emit(Opcode::Gosub, out_sub, output, 0);
            b.emit(Opcode::Goto, 0, sorted_end, 0);
            // Subroutine: output the group in acc/bare regs.
            b.resolve(output);
            let ret = b.label();
            finalize_and_deliver(b, &scope, ret)?;
            b.resolve(ret);
            b.emit(Opcode::Return, out_sub, 0, 0);
            b.resolve(sorted_end);
        }
        b.expr_map = saved_map;
        if !group_by.is_empty() {
            b.plan.add("USE TEMP B-TREE FOR GROUP BY".to_string());
        }
    }
    if distinct.is_some() {
        b.plan.add("USE TEMP B-TREE FOR DISTINCT".to_string());
    }
    if sorter.is_some() {
        b.plan.add("USE TEMP B-TREE FOR ORDER BY".to_string());
    }

    if let Some(s) = sorter {
        let (end, top, next) = (b.label(), b.label(), b.label());
        b.emit(Opcode::SorterSort, s, end, 0);
        b.resolve(top);
        let base = b.regs(n_out);
        for i in 0..n_out {
            b.emit(Opcode::Column, s, (order.len() + i) as i32, base + i as i32);
        }
        apply_offset(b, &lim, next);
        emit_row(b, dest, base, n_out);
        apply_limit(b, &lim, done);
        b.resolve(next);
        b.emit(Opcode::SorterNext, s, top, 0);
        b.resolve(end);
    }
    b.resolve(done);
    let mut described = Vec::with_capacity(results.len());
    for (e, _) in &results {
        described.push((collation_of(b, &scope, e), expr::affinity_of(b, &scope, e)));
    }
    b.select_columns = described;
    b.select_aff = results.first().and_then(|(e, _)| expr::affinity_of(b, &scope, e));
    b.select_coll = match results.first() {
        Some((e, _)) => match expr::explicit_collation(b, &scope, e) {
            Some(c) => Some((c, true)),
            None => collation_of(b, &scope, e).map(|c| (c, false)),
        },
        None => None,
    };
    Ok(results.into_iter().map(|(_, c)| c).collect())
}

/// Replaces identifiers that name a result alias (and no column) by the aliased expression.
fn subst_alias(e: &Expr, aliases: &[(crate::sql::ast::Name, Expr)], sources: &[Source]) -> Expr {
    let rec = |x: &Expr| crate::sql::ast::SubExpr::new(subst_alias(x, aliases, sources));
    match e {
        Expr::Id { name, .. } if !sources.iter().any(|s| s.table.column_index(name).is_some()) => {
            aliases.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)).map_or_else(|| e.clone(), |(_, x)| x.clone())
        }
        Expr::Binary { op, left, right } => Expr::Binary { op: *op, left: rec(left), right: rec(right) },
        Expr::Unary { op, expr } => Expr::Unary { op: *op, expr: rec(expr) },
        Expr::IsNull { expr, not } => Expr::IsNull { expr: rec(expr), not: *not },
        Expr::Collate { expr, collation } => Expr::Collate { expr: rec(expr), collation: collation.clone() },
        Expr::Between { expr, not, low, high } => Expr::Between { expr: rec(expr), not: *not, low: rec(low), high: rec(high) },
        other => other.clone(),
    }
}

/// An ORDER BY / GROUP BY term that is an integer (signed, possibly with COLLATE on top) names
/// a result column by position, as SQLite reads it; returns the position and the collation.
fn term_position(e: &Expr) -> Option<(i64, Option<crate::sql::ast::Name>)> {
    match e {
        Expr::Collate { expr, collation } => term_position(expr).map(|(i, _)| (i, Some(collation.clone()))),
        other => int_value(other).map(|i| (i, None)),
    }
}

/// The value of an integer expression as SQLite's parser sees it: a literal that fits a 32-bit
/// int (larger ones are constants, not positions) under any unary + and -, or an AND with a
/// literal 0 operand, which SQLite's parser replaces by the literal 0.
fn int_value(e: &Expr) -> Option<i64> {
    match e {
        Expr::Literal(Literal::Integer(i)) if (0..=i32::MAX as i64).contains(i) => Some(*i),
        Expr::Unary { op: crate::sql::ast::UnaryOp::Negate, expr } => int_value(expr).map(|i| -i),
        Expr::Unary { op: crate::sql::ast::UnaryOp::Plus, expr } => int_value(expr),
        _ if is_false_and(e) => Some(0),
        _ => None,
    }
}

/// `x AND 0` or `0 AND x` (literal 0, parentheses allowed, no sign): SQLite's parser folds it
/// to the literal 0, whatever x is.
/// The collation an aggregate compares its argument under: min()/max() (NEEDCOLL functions)
/// use their first argument's collation; None is BINARY.
pub(super) fn aggregate_collation(
    b: &mut Builder<'_>,
    scope: &Scope,
    def: &crate::func::FuncDef,
    first_arg: Option<&Expr>,
) -> Result<Option<Arc<crate::value::Collation>>> {
    Ok(match first_arg {
        Some(e) if def.flags.has(crate::func::FuncFlags::NEEDCOLL) => match collation_of(b, scope, e) {
            Some(n) if !n.eq_ignore_ascii_case("BINARY") => Some(collation(&n)?),
            _ => None,
        },
        _ => None,
    })
}

/// Whether term `t` names no table of `sources` (a constant or outer references only).
fn names_no_table(t: &Expr, sources: &[Source]) -> bool {
    let mut used = Vec::new();
    refs_sources(t, sources, &mut used) && used.is_empty()
}

/// Whether WHERE term `w` gives `x` (a column) one value: `x IS NULL`, `x = c` or `x IS c`
/// with `c` a literal (either side).
fn fixes_value(w: &Expr, x: &Expr) -> bool {
    let is_col = matches!(x, Expr::Id { .. } | Expr::Qualified { .. });
    match w {
        Expr::IsNull { expr, not: false } => is_col && **expr == *x,
        Expr::Binary { op: BinaryOp::Eq | BinaryOp::Is, left, right } => {
            is_col && ((**left == *x && matches!(**right, Expr::Literal(_))) || (**right == *x && matches!(**left, Expr::Literal(_))))
        }
        _ => false,
    }
}

pub(super) fn is_false_and(e: &Expr) -> bool {
    let zero = |x: &Expr| matches!(x, Expr::Literal(Literal::Integer(0))) || is_false_and(x);
    matches!(e, Expr::Binary { op: BinaryOp::And, left, right } if zero(left) || zero(right))
}

/// Positions outside 1..=65535 are errors before any other check of the terms.
fn check_position_bounds<'e>(terms: impl Iterator<Item = &'e Expr>, clause: &str, n_out: usize) -> Result<()> {
    for (k, t) in terms.enumerate() {
        if let Some((i, _)) = term_position(t) {
            if !(1..=65535).contains(&i) {
                return Err(Error::sql(format!("{} {clause} BY term out of range - should be between 1 and {n_out}", ordinal(k + 1))));
            }
        }
    }
    Ok(())
}

pub(super) fn ordinal(n: usize) -> String {
    match n {
        1 => "1st".into(),
        2 => "2nd".into(),
        3 => "3rd".into(),
        n => format!("{n}th"),
    }
}

/// Runs `select` once per statement when it is uncorrelated (invariant 2): emits the guard,
/// compiles the body with `body`, and removes the guard when the body turned out correlated.
/// `kind` names the subquery in EXPLAIN QUERY PLAN ("SCALAR SUBQUERY", "LIST SUBQUERY").
pub(super) fn once<'a>(b: &mut Builder<'a>, kind: &str, body: impl FnOnce(&mut Builder<'a>) -> Result<()>) -> Result<()> {
    let flag = b.reg();
    let skip = b.label();
    let guard = b.emit(Opcode::If, flag, skip, 0);
    let before = b.outer_refs;
    b.plan.subqueries += 1;
    let number = b.plan.subqueries;
    let nest = b.plan.enter(String::new());
    let r = body(b);
    b.plan.leave(nest);
    r?;
    let correlated = if b.outer_refs != before { "CORRELATED " } else { "" };
    b.plan.set_detail(nest.0, format!("{correlated}{kind} {number}"));
    if b.outer_refs != before {
        b.ops[guard].opcode = Opcode::Noop;
        b.ops[guard].p2 = 0;
    } else {
        b.emit(Opcode::Integer, 1, flag, 0);
    }
    b.resolve(skip);
    Ok(())
}

fn single_column(cols: &[OutColumn]) -> Result<()> {
    if cols.len() != 1 {
        return Err(Error::sql(format!("sub-select returns {} columns - expected 1", cols.len())));
    }
    Ok(())
}

/// `EXISTS (select)` into `target`.
pub fn exists(b: &mut Builder<'_>, scope: &Scope, s: &Select, target: i32) -> Result<()> {
    let result = b.reg();
    once(b, "SCALAR SUBQUERY", |b| {
        let end = b.label();
        b.emit(Opcode::Integer, 0, result, 0);
        compile_select(b, scope, s, Dest::Exists { target: result, end })?;
        b.resolve(end);
        Ok(())
    })?;
    b.emit(Opcode::SCopy, result, target, 0);
    Ok(())
}

/// A scalar subquery into `target`.
pub fn scalar_subquery(b: &mut Builder<'_>, scope: &Scope, s: &Select, target: i32) -> Result<()> {
    // A row value of one column.
    let (_, width) = row_subquery(b, scope, s, target, 1)?;
    if width != 1 {
        return Err(Error::sql(format!("sub-select returns {width} columns - expected 1")));
    }
    Ok(())
}

/// Each result column's collation and affinity.
pub type ColumnsDescribed = Vec<(Option<String>, Option<crate::value::Affinity>)>;

/// `(select)` as a row value of `n` columns into `base..base + n` (NULLs when it has no row).
/// Returns each column's collation and affinity and the subquery's width: when that is not
/// `n`, the caller fails the statement with its message (the program is not run).
pub fn row_subquery(b: &mut Builder<'_>, scope: &Scope, s: &Select, base: i32, n: usize) -> Result<(ColumnsDescribed, usize)> {
    let result = b.regs(n);
    let mut described = Vec::new();
    let mut width = 0;
    once(b, "SCALAR SUBQUERY", |b| {
        let end = b.label();
        b.emit(Opcode::Null, 0, result, result + n as i32 - 1);
        b.select_columns.clear();
        let cols = compile_select(b, scope, s, Dest::Row { target: result, end })?;
        width = cols.len();
        described = std::mem::take(&mut b.select_columns);
        b.resolve(end);
        Ok(())
    })?;
    if width != n {
        return Ok((Vec::new(), width));
    }
    b.emit(Opcode::Copy, result, base, n as i32 - 1);
    if described.len() != n {
        // A compound subquery: no per-column description.
        described = vec![(None, None); n];
    }
    Ok((described, width))
}

/// `x [NOT] IN (select)` into `target`.
/// Placeholder affinity of the rows an IN subquery puts in its set (see [`in_select`]).
pub(super) const IN_AFFINITY_MARK: &str = "?";

/// The affinity SQLite gives both sides of an IN, from the left side's and the subquery
/// column's: when only one side has an affinity, that one exactly (REAL makes an integer left
/// side a real); when both do, NUMERIC if either is numeric, else none.
pub(super) fn in_affinity(lhs: Option<crate::value::Affinity>, rhs: Option<crate::value::Affinity>) -> Option<crate::value::Affinity> {
    match (lhs, rhs) {
        (Some(l), Some(r)) => expr::comparison_affinity(Some(l), Some(r)),
        (Some(a), None) | (None, Some(a)) => Some(a).filter(|a| *a != crate::value::Affinity::Blob),
        (None, None) => None,
    }
}

pub fn in_select(b: &mut Builder<'_>, scope: &Scope, x: &Expr, s: &Select, not: bool, target: i32) -> Result<()> {
    if let Expr::Vector(list) = x {
        return super::row_value::in_select(b, scope, list, s, not, target);
    }
    let set = b.cursor();
    let nullflag = b.reg();
    let lhs_aff = expr::affinity_of(b, scope, x);
    let start = b.ops.len();
    let mut rhs_aff = None;
    let mut rhs_coll = None;
    once(b, "LIST SUBQUERY", |b| {
        b.emit4(Opcode::OpenEphemeral, set, 1, 0, P4::KeyInfo(Arc::new(KeyInfo::default())));
        b.emit(Opcode::Integer, 0, nullflag, 0);
        b.select_coll = None;
        b.select_aff = None;
        let cols = compile_select(b, scope, s, Dest::Set { cursor: set, nullflag })?;
        single_column(&cols)?;
        rhs_aff = b.select_aff.take();
        rhs_coll = b.select_coll.take();
        Ok(())
    })?;
    // The comparison's collation, as for `x = y` with y the subquery's column: an explicit
    // COLLATE on the left, then on the right, then the left's column, then the right's.
    let lhs_explicit = expr::explicit_collation(b, scope, x);
    let lhs_any = expr::collation_of(b, scope, x);
    let name = match (lhs_explicit, &rhs_coll) {
        (Some(c), _) => Some(c),
        (None, Some((c, true))) => Some(c.clone()),
        (None, _) => lhs_any.or(rhs_coll.map(|(c, _)| c)),
    };
    let coll = match name {
        Some(c) => Some(collation(&c)?),
        None => None,
    };
    let key = Arc::new(KeyInfo { fields: vec![(false, coll)], nulls_flip: Vec::new() });
    for op in &mut b.ops[start..] {
        if op.opcode == Opcode::OpenEphemeral && op.p1 == set {
            op.p4 = P4::KeyInfo(Arc::clone(&key));
        }
    }
    let aff = in_affinity(lhs_aff, rhs_aff);
    let code = aff.map_or(String::new(), |a| (a.code() as char).to_string());
    for op in &mut b.ops[start..] {
        if op.opcode == Opcode::Affinity && op.p1 >= 0 && matches!(&op.p4, P4::Affinity(m) if m == IN_AFFINITY_MARK) {
            op.p4 = P4::Affinity(code.clone());
        }
    }
    let rx = b.reg();
    expr::expr(b, scope, x, rx)?;
    if aff.is_some() {
        b.emit4(Opcode::Affinity, rx, 1, 0, P4::Affinity(code));
    }
    let (found, isnull, notfound) = (b.label(), b.label(), b.label());
    // An empty subquery makes IN false (NOT IN true) whatever the left side, NULL included.
    b.emit(Opcode::IfNot, nullflag, notfound, 0);
    b.emit(Opcode::IsNull, rx, isnull, 0);
    b.emit4(Opcode::Found, set, found, rx, P4::Int64(1));
    let two = b.reg();
    b.emit(Opcode::Integer, 2, two, 0);
    b.emit(Opcode::Eq, two, isnull, nullflag);
    b.emit(Opcode::Goto, 0, notfound, 0);
    super::row_value::truth_value(b, target, found, notfound, isnull, not);
    Ok(())
}
