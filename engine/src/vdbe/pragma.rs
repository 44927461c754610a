//! The pragmas that read or change the pager and the file at run time (the `Pragma` opcode):
//! page_size, page_count, freelist_count, journal_mode, synchronous, cache_size,
//! integrity_check/quick_check, encoding.
//!
//! Invariant: a pragma given a value it cannot honour answers with the current setting, as
//! SQLite does (journal_mode of a memory database stays "memory").

use super::DbState;
use crate::error::{Error, Result};
use crate::pager::{JournalMode, Synchronous};
use crate::value::Value;

fn mode_name(m: JournalMode) -> &'static str {
    match m {
        JournalMode::Delete => "delete",
        JournalMode::Truncate => "truncate",
        JournalMode::Persist => "persist",
        JournalMode::Memory => "memory",
        JournalMode::Off => "off",
        JournalMode::Wal => "wal",
    }
}

/// Runs pragma `spec` ("name" or "name=value"); returns its rows.
pub fn run(db: &mut DbState, spec: &str) -> Result<Vec<Vec<Value>>> {
    let (name, value) = match spec.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (spec, None),
    };
    let int = |v: i64| vec![vec![Value::Integer(v)]];
    let read = |db: &mut DbState| -> Result<()> {
        db.btree.begin_read()?;
        Ok(())
    };
    if let Some((check, roots)) = name.split_once(':') {
        let roots: Vec<u32> = roots.split(',').filter_map(|r| r.parse().ok()).collect();
        let max = value.and_then(|v| v.parse().ok()).unwrap_or(100);
        let _ = check;
        return integrity(db, &roots, max);
    }
    match name {
        "page_size" => {
            read(db)?;
            if let Some(v) = value {
                let n: u32 = v.parse().unwrap_or(0);
                if n.is_power_of_two() && (512..=65536).contains(&n) && db.btree.pager().page_count() == 0 {
                    let _ = db.btree.pager_mut().set_page_size(n, 0);
                }
                return Ok(Vec::new());
            }
            Ok(int(db.btree.pager().page_size() as i64))
        }
        "page_count" => {
            read(db)?;
            Ok(int(db.btree.pager().page_count() as i64))
        }
        "freelist_count" => {
            read(db)?;
            Ok(int(db.btree.get_meta(crate::pager::header::META_FREE_PAGE_COUNT)? as i64))
        }
        "journal_mode" => {
            if let Some(v) = value {
                let m = match v.to_ascii_lowercase().as_str() {
                    "delete" => JournalMode::Delete,
                    "truncate" => JournalMode::Truncate,
                    "persist" => JournalMode::Persist,
                    "memory" => JournalMode::Memory,
                    "off" => JournalMode::Off,
                    "wal" => JournalMode::Wal,
                    _ => db.btree.pager().journal_mode(),
                };
                let got = db.btree.pager_mut().set_journal_mode(m)?;
                return Ok(vec![vec![Value::text(mode_name(got))]]);
            }
            Ok(vec![vec![Value::text(mode_name(db.btree.pager().journal_mode()))]])
        }
        "synchronous" => {
            if let Some(v) = value {
                let s = match v.to_ascii_lowercase().as_str() {
                    "0" | "off" => Synchronous::Off,
                    "1" | "normal" => Synchronous::Normal,
                    "3" | "extra" => Synchronous::Extra,
                    _ => Synchronous::Full,
                };
                db.btree.pager_mut().set_synchronous(s);
                return Ok(Vec::new());
            }
            let n = match db.btree.pager().synchronous() {
                Synchronous::Off => 0,
                Synchronous::Normal => 1,
                Synchronous::Full => 2,
                Synchronous::Extra => 3,
            };
            Ok(int(n))
        }
        "cache_size" => {
            if let Some(v) = value {
                db.btree.pager_mut().set_cache_size(v.parse().unwrap_or(-2000));
                return Ok(Vec::new());
            }
            Ok(int(db.btree.pager().cache_size()))
        }
        "encoding" => Ok(vec![vec![Value::text("UTF-8")]]),
        _ => Err(Error::not_supported(&format!("PRAGMA {name}"))),
    }
}

/// `PRAGMA integrity_check`: the b-tree check over `roots` (page 1 included by the caller).
pub fn integrity(db: &mut DbState, roots: &[u32], max: usize) -> Result<Vec<Vec<Value>>> {
    db.btree.begin_read()?;
    let msgs = db.btree.integrity_check(roots, max)?;
    if msgs.is_empty() {
        return Ok(vec![vec![Value::text("ok")]]);
    }
    Ok(msgs.into_iter().map(|m| vec![Value::text(&m)]).collect())
}
