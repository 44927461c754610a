//! PRAGMA statements: the schema pragmas are answered at compile time from the schema
//! objects; the header cookies through ReadCookie/SetCookie; the pager pragmas through the
//! `Pragma` opcode (vdbe::pragma). A pragma not built yet is refused, never ignored.

use super::{Builder, OutColumn};
use crate::error::{Error, Result};
use crate::pager::header::{META_APPLICATION_ID, META_SCHEMA_VERSION, META_USER_VERSION};
use crate::sql::ast::Pragma;
use crate::value::Value;
use crate::vdbe::{Opcode, P4};

fn cols(names: &[&str]) -> Vec<OutColumn> {
    names.iter().map(|n| OutColumn { name: n.to_string(), decltype: None }).collect()
}

/// Delivers one row: ResultRow, or into the table-valued-function sorter.
fn emit_result(b: &mut Builder<'_>, base: i32, n: usize) {
    match b.pragma_sink {
        Some(c) => b.emit(Opcode::SorterInsert, c, base, n as i32),
        None => b.emit(Opcode::ResultRow, base, n as i32, 0),
    };
}

fn const_rows(b: &mut Builder<'_>, rows: &[Vec<Value>]) {
    for row in rows {
        let base = b.regs(row.len().max(1));
        for (i, v) in row.iter().enumerate() {
            let r = base + i as i32;
            match v {
                Value::Null => b.emit(Opcode::Null, 0, r, 0),
                Value::Integer(n) => b.emit4(Opcode::Int64, 0, r, 0, P4::Int64(*n)),
                Value::Real(x) => b.emit4(Opcode::Real, 0, r, 0, P4::Real(*x)),
                Value::Text(t) => b.emit4(Opcode::String8, 0, r, 0, P4::Text(String::from_utf8_lossy(t).into_owned())),
                Value::Blob(x) => b.emit4(Opcode::Blob, 0, r, 0, P4::Blob(x.clone())),
            };
        }
        emit_result(b, base, row.len());
    }
}

/// Rows from the `Pragma` opcode, run inside a read (or, with `Some(true)`, write) transaction;
/// `None` runs it outside any transaction (a checkpoint must not hold a WAL read mark).
fn runtime(b: &mut Builder<'_>, spec: String, width: usize, txn: Option<bool>) {
    if let Some(write) = txn {
        b.use_txn(write);
    }
    let c = b.cursor();
    b.emit4(Opcode::Pragma, c, 0, 0, P4::Text(spec));
    let (end, top) = (b.label(), b.label());
    let base = b.regs(width);
    b.emit(Opcode::Rewind, c, end, 0);
    b.resolve(top);
    for i in 0..width {
        b.emit(Opcode::Column, c, i as i32, base + i as i32);
    }
    emit_result(b, base, width);
    b.emit(Opcode::SorterNext, c, top, 0);
    b.resolve(end);
}

/// The N of `sqlite_autoindex_<table>_<N>` (0 for other names).
fn autoindex_number(name: &str) -> usize {
    if !name.starts_with("sqlite_autoindex_") {
        return 0;
    }
    name.rsplit('_').next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// The index named `name`, a WITHOUT ROWID table's PRIMARY KEY index included.
fn find_index(b: &Builder<'_>, name: &str) -> Option<std::sync::Arc<crate::schema::Index>> {
    if let Some(ix) = b.schema.indexes.get(&name.to_ascii_lowercase()) {
        return Some(std::sync::Arc::clone(ix));
    }
    b.schema.tables.values().filter(|t| !t.pk.is_empty()).find_map(|t| t.pk_index().filter(|ix| ix.name.eq_ignore_ascii_case(name))).map(std::sync::Arc::new)
}

pub fn pragma(b: &mut Builder<'_>, p: &Pragma) -> Result<Vec<OutColumn>> {
    if let Some(s) = &p.name.schema {
        if !s.eq_ignore_ascii_case("main") {
            return Err(Error::sql(format!("unknown database {s}")));
        }
    }
    let name = p.name.name.to_ascii_lowercase();
    let value = p.value.as_ref().map(|v| v.text.clone());
    let table_arg = |b: &Builder<'_>| -> Option<std::sync::Arc<crate::schema::Table>> {
        value.as_ref().and_then(|v| b.schema.table(v).cloned())
    };
    Ok(match name.as_str() {
        "table_info" | "table_xinfo" => {
            let xinfo = name == "table_xinfo";
            let mut names = vec!["cid", "name", "type", "notnull", "dflt_value", "pk"];
            if xinfo {
                names.push("hidden");
            }
            if let Some(t) = table_arg(b) {
                let pk_cols: Vec<usize> = (0..t.columns.len()).filter(|&i| t.columns[i].primary_key).collect();
                let rows: Vec<Vec<Value>> = t
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let mut r = vec![
                            Value::Integer(i as i64),
                            Value::text(&c.name),
                            // A STRICT table's types show as SQLite names them (INT, TEXT, ...).
                            Value::text(t.strict_type(i).unwrap_or(&c.decl_type)),
                            Value::Integer(c.not_null as i64),
                            c.default_text.as_deref().map_or(Value::Null, Value::text),
                            Value::Integer(if t.pk.is_empty() {
                                pk_cols.iter().position(|&k| k == i).map_or(0, |p| p as i64 + 1)
                            } else {
                                // WITHOUT ROWID: the column's place in the key.
                                t.pk.iter().position(|p| p.column == i as i32).map_or(0, |p| p as i64 + 1)
                            }),
                        ];
                        if xinfo {
                            r.push(Value::Integer(0));
                        }
                        r
                    })
                    .collect();
                const_rows(b, &rows);
            }
            cols(&names)
        }
        "index_list" => {
            if let Some(t) = table_arg(b) {
                let mut list: Vec<_> = b.schema.indexes_of(&t.name).cloned().collect();
                // A WITHOUT ROWID table's PRIMARY KEY index sits among the automatic indexes
                // in constraint order (SQLite lists indexes newest first).
                if let Some(pk) = t.pk_index() {
                    let n = autoindex_number(&pk.name);
                    let at = list.iter().position(|ix| ix.sql.is_some() || autoindex_number(&ix.name) > n).unwrap_or(list.len());
                    list.insert(at, std::sync::Arc::new(pk));
                }
                list.reverse();
                let rows: Vec<Vec<Value>> = list
                    .iter()
                    .enumerate()
                    .map(|(i, ix)| {
                        let origin = if ix.sql.is_some() { "c" } else if ix.is_primary_key { "pk" } else { "u" };
                        vec![
                            Value::Integer(i as i64),
                            Value::text(&ix.name),
                            Value::Integer(ix.unique as i64),
                            Value::text(origin),
                            Value::Integer(ix.where_clause.is_some() as i64),
                        ]
                    })
                    .collect();
                const_rows(b, &rows);
            }
            cols(&["seq", "name", "unique", "origin", "partial"])
        }
        "index_info" => {
            if let Some(ix) = value.as_ref().and_then(|v| find_index(b, v)) {
                let t = b.schema.table(&ix.table).cloned();
                let rows: Vec<Vec<Value>> = ix
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let nm = t.as_ref().and_then(|t| t.columns.get(c.column as usize)).map_or(Value::Null, |c| Value::text(&c.name));
                        vec![Value::Integer(i as i64), Value::Integer(c.column as i64), nm]
                    })
                    .collect();
                const_rows(b, &rows);
            }
            cols(&["seqno", "cid", "name"])
        }
        "database_list" => {
            const_rows(b, &[vec![Value::Integer(0), Value::text("main"), Value::text("")]]);
            cols(&["seq", "name", "file"])
        }
        "user_version" | "schema_version" | "application_id" => {
            let idx = match name.as_str() {
                "user_version" => META_USER_VERSION,
                "schema_version" => META_SCHEMA_VERSION,
                _ => META_APPLICATION_ID,
            } as i32;
            match value {
                Some(v) => {
                    let n: i64 = v.parse().map_err(|_| Error::sql(format!("invalid value for PRAGMA {name}")))?;
                    b.use_txn(true);
                    b.emit(Opcode::SetCookie, 0, idx, n as i32);
                    if name == "schema_version" {
                        b.emit(Opcode::ParseSchema, 0, 0, 0);
                    }
                    Vec::new()
                }
                None => {
                    b.use_txn(false);
                    let r = b.reg();
                    b.emit(Opcode::ReadCookie, 0, r, idx);
                    emit_result(b, r, 1);
                    cols(&[&name])
                }
            }
        }
        "foreign_keys" => match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None => {
                const_rows(b, &[vec![Value::Integer(0)]]);
                cols(&["foreign_keys"])
            }
            Some("0" | "off" | "false" | "no") => Vec::new(),
            Some(_) => return Err(Error::not_supported("foreign key enforcement (PRAGMA foreign_keys=ON)")),
        },
        "integrity_check" | "quick_check" => {
            let mut roots: Vec<u32> = vec![1];
            roots.extend(b.schema.tables.values().map(|t| t.root));
            roots.extend(b.schema.indexes.values().map(|i| i.root));
            roots.sort_unstable();
            roots.dedup();
            let list: Vec<String> = roots.iter().map(u32::to_string).collect();
            let max = value.and_then(|v| v.parse::<usize>().ok()).unwrap_or(100);
            runtime(b, format!("{name}:{}={max}", list.join(",")), 1, Some(false));
            cols(&[&name])
        }
        "page_size" | "page_count" | "freelist_count" | "journal_mode" | "synchronous" | "cache_size" | "encoding" => {
            let spec = match &value {
                Some(v) => format!("{name}={v}"),
                None => name.clone(),
            };
            let returns = value.is_none() || name == "journal_mode";
            runtime(b, spec, 1, Some(false));
            if returns {
                cols(&[&name])
            } else {
                Vec::new()
            }
        }
        "wal_checkpoint" => {
            let spec = match &value {
                Some(v) => format!("{name}={v}"),
                None => name.clone(),
            };
            runtime(b, spec, 3, None);
            cols(&["busy", "log", "checkpointed"])
        }
        "wal_autocheckpoint" => {
            let spec = match &value {
                Some(v) => format!("{name}={v}"),
                None => name.clone(),
            };
            runtime(b, spec, 1, None);
            cols(&[&name])
        }
        "recursive_triggers" | "case_sensitive_like" | "auto_vacuum" if value.is_some() && name != "auto_vacuum" => {
            return Err(Error::not_supported(&format!("PRAGMA {} with a value", p.name.name)))
        }
        "recursive_triggers" => {
            const_rows(b, &[vec![Value::Integer(0)]]);
            cols(&["recursive_triggers"])
        }
        "auto_vacuum" => match value {
            Some(_) => return Err(Error::not_supported("changing auto_vacuum")),
            None => {
                b.use_txn(false);
                let r = b.reg();
                // Non-zero largest-root-page means auto_vacuum; the incremental flag says which.
                b.emit(Opcode::ReadCookie, 0, r, crate::pager::header::META_LARGEST_ROOT_PAGE as i32);
                let inc = b.reg();
                b.emit(Opcode::ReadCookie, 0, inc, crate::pager::header::META_INCR_VACUUM as i32);
                let (done, none) = (b.label(), b.label());
                b.emit(Opcode::IfNot, r, none, 0);
                b.emit(Opcode::Integer, 1, r, 0);
                b.emit(Opcode::IfNot, inc, done, 0);
                b.emit(Opcode::Integer, 2, r, 0);
                b.emit(Opcode::Goto, 0, done, 0);
                b.resolve(none);
                b.emit(Opcode::Integer, 0, r, 0);
                b.resolve(done);
                emit_result(b, r, 1);
                cols(&["auto_vacuum"])
            }
        },
        "collation_list" => {
            const_rows(b, &[vec![Value::Integer(0), Value::text("RTRIM")], vec![Value::Integer(1), Value::text("NOCASE")], vec![Value::Integer(2), Value::text("BINARY")]]);
            cols(&["seq", "name"])
        }
        "index_xinfo" => {
            if let Some(ix) = value.as_ref().and_then(|v| find_index(b, v)) {
                let t = b.schema.table(&ix.table).cloned();
                let mut rows: Vec<Vec<Value>> = ix
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let col = t.as_ref().and_then(|t| t.columns.get(c.column as usize));
                        let coll = c.collation.clone().or_else(|| col.and_then(|c| c.collation.clone())).unwrap_or_else(|| "BINARY".into());
                        vec![
                            Value::Integer(i as i64),
                            Value::Integer(c.column as i64),
                            col.map_or(Value::Null, |c| Value::text(&c.name)),
                            Value::Integer(c.desc as i64),
                            Value::text(&coll),
                            Value::Integer(1),
                        ]
                    })
                    .collect();
                match t.as_ref().filter(|t| !t.pk.is_empty()) {
                    // WITHOUT ROWID: the PRIMARY KEY index goes on with the other columns, any
                    // other index with the PK columns it lacks (schema invariant 4).
                    Some(t) => {
                        let extra: Vec<(i32, bool, String)> = if ix.root == t.root {
                            t.record_order()[t.pk.len()..].iter().map(|&c| (c as i32, false, "BINARY".to_string())).collect()
                        } else {
                            t.index_key_columns(&ix.columns)[ix.columns.len()..]
                                .iter()
                                .map(|p| (p.column, p.desc && ix.sql.is_some(), t.effective_collation(p).unwrap_or_else(|| "BINARY".into())))
                                .collect()
                        };
                        for (column, desc, coll) in extra {
                            rows.push(vec![
                                Value::Integer(rows.len() as i64),
                                Value::Integer(column as i64),
                                Value::text(&t.columns[column as usize].name),
                                Value::Integer(desc as i64),
                                Value::text(&coll),
                                Value::Integer(0),
                            ]);
                        }
                    }
                    None => rows.push(vec![
                        Value::Integer(ix.columns.len() as i64),
                        Value::Integer(-1),
                        Value::Null,
                        Value::Integer(0),
                        Value::text("BINARY"),
                        Value::Integer(0),
                    ]),
                }
                const_rows(b, &rows);
            }
            cols(&["seqno", "cid", "name", "desc", "coll", "key"])
        }
        // SQLite's pragmas that are not built yet; any other name is ignored, as SQLite does.
        "analysis_limit" | "busy_timeout" | "case_sensitive_like" | "cell_size_check" | "checkpoint_fullfsync" | "compile_options"
        | "data_version" | "defer_foreign_keys" | "foreign_key_check" | "foreign_key_list" | "fullfsync" | "function_list"
        | "hard_heap_limit" | "ignore_check_constraints" | "incremental_vacuum" | "legacy_alter_table" | "locking_mode"
        | "max_page_count" | "mmap_size" | "module_list" | "optimize" | "pragma_list" | "query_only" | "read_uncommitted"
        | "reverse_unordered_selects" | "secure_delete" | "shrink_memory" | "soft_heap_limit" | "table_list" | "temp_store"
        | "threads" | "trusted_schema" | "writable_schema" => {
            return Err(Error::not_supported(&format!("PRAGMA {}", p.name.name)))
        }
        _ => Vec::new(),
    })
}
