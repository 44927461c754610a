//! The online backup (`sqlite3_backup_*`): copying a database page by page into another
//! connection's database.
//!
//! Design: each step holds a read transaction on the source for as long as it copies and a
//! write transaction on the destination from the first step until the last, which sets the
//! destination's size to the source's and commits; the destination's schema is then read
//! again. Pages go through the destination's pager, so its journal protects the copy and a
//! failure rolls it back.
//!
//! Invariants:
//! 1. Page sizes must match, unless the destination is empty (it then takes the source's).
//! 2. The lock-byte page is never copied (it holds no data).
//! 3. The destination keeps its own journal mode: page 1's file-format bytes (18 and 19) are
//!    set for it.

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::pager::JournalMode;

/// The state of one backup between steps.
#[derive(Debug, Default)]
pub struct Backup {
    /// The next page to copy (1-based).
    next: u32,
    /// The source's page count at the last step.
    total: u32,
    /// The destination's write transaction is open.
    writing: bool,
    done: bool,
}

impl Backup {
    pub fn new() -> Backup {
        Backup { next: 1, ..Backup::default() }
    }

    /// `sqlite3_backup_remaining`.
    pub fn remaining(&self) -> u32 {
        self.total.saturating_sub(self.next.saturating_sub(1))
    }

    /// `sqlite3_backup_pagecount`.
    pub fn page_count(&self) -> u32 {
        self.total
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// `sqlite3_backup_finish` before the copy completed: the destination's write
    /// transaction is rolled back.
    pub fn abandon(&mut self, dest: &mut Connection) {
        if self.writing {
            let _ = dest.db.btree.rollback();
            dest.db.btree.touch_all();
            self.writing = false;
            let _ = dest.db.autocommit_end();
        }
    }

    /// Copies up to `n` pages (all when `n` < 0) from `src` to `dest`; true when the copy is
    /// complete (and committed).
    pub fn step(&mut self, dest: &mut Connection, src: &mut Connection, n: i32) -> Result<bool> {
        if self.done {
            return Ok(true);
        }
        if dest.is_read_only() {
            return Err(Error::from_code(code::READONLY));
        }
        let r = self.copy(dest, src, n);
        if r.is_err() && self.writing {
            let _ = dest.db.btree.rollback();
            dest.db.btree.touch_all();
            self.writing = false;
        }
        r
    }

    fn copy(&mut self, dest: &mut Connection, src: &mut Connection, n: i32) -> Result<bool> {
        let src_idle = src.db.autocommit && src.db.active_vms == 0 && !src.db.btree.in_write_transaction();
        src.db.hooks.retry_busy(|| src.db.btree.begin_read())?;
        let r = self.copy_pages(dest, src, n);
        if src_idle {
            src.db.btree.end_read()?;
        }
        r
    }

    fn copy_pages(&mut self, dest: &mut Connection, src: &mut Connection, n: i32) -> Result<bool> {
        let (spager, dbt) = (src.db.btree.pager_mut(), &mut dest.db.btree);
        let page_size = spager.page_size();
        if !self.writing {
            // Invariant 1: an empty destination takes the source's page size (before the
            // write transaction gives it a page 1).
            let bt = &mut *dbt;
            dest.db.hooks.retry_busy(|| bt.pager_mut().begin_read())?;
            if bt.pager().page_count() == 0 {
                let reserved = spager.reserved_bytes();
                bt.pager_mut().set_page_size(page_size, reserved)?;
            }
            dest.db.hooks.retry_busy(|| bt.begin_write())?;
            self.writing = true;
        }
        let dpager = dbt.pager_mut();
        if dpager.page_size() != page_size {
            return Err(Error::from_code(code::READONLY));
        }
        self.total = spager.page_count();
        let lock_page = spager.pending_byte_page();
        let dest_wal = dpager.journal_mode() == JournalMode::Wal;
        let mut copied = 0i64;
        while self.next <= self.total && (n < 0 || copied < n as i64) {
            let p = self.next;
            if p != lock_page {
                let data = spager.get(p)?;
                let out = dpager.write(p)?;
                out.copy_from_slice(&data[..out.len().min(data.len())]);
                if p == 1 {
                    // Invariant 3: the destination's own journal mode.
                    let v = if dest_wal { 2 } else { 1 };
                    out[18] = v;
                    out[19] = v;
                }
            }
            self.next += 1;
            copied += 1;
        }
        if self.next <= self.total {
            return Ok(false);
        }
        if dpager.page_count() > self.total {
            dpager.truncate_pages(self.total)?;
        }
        dbt.touch_all();
        dest.db.btree.commit()?;
        self.writing = false;
        self.done = true;
        dest.db.schema_stale = true;
        dest.refresh_schema()?;
        Ok(true)
    }
}
