//! Incremental BLOB I/O (`sqlite3_blob_open` and friends): reading and overwriting a text or
//! blob column of one row in place, without a statement.
//!
//! Design: an open handle holds a b-tree cursor on the table, the row's rowid and the byte
//! range of the column inside the row's record. Like SQLite's handle (a statement kept
//! running), it counts as an active statement of the connection: the read (or, opened for
//! writing, the write) transaction it began lasts until it is closed, and in autocommit mode
//! closing ends it (committing what was written).
//!
//! Invariants:
//! 1. Every read or write first finds the row again and checks that the column still has the
//!    same type and size; when it does not (the row was changed or deleted since), the handle
//!    is expired and answers SQLITE_ABORT from then on, as SQLite's does.
//! 2. A write never changes the size of the value: only its bytes.
//! 3. While open, the handle is counted in `DbState::active_vms` exactly once.

use std::sync::Arc;

use crate::btree::cursor::BtCursor;
use crate::btree::TreeKind;
use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::record::serial::serial_type_len;
use crate::record::RecordReader;
use crate::schema::Table;

/// An open blob handle.
pub struct Blob {
    table: Arc<Table>,
    column: usize,
    rowid: i64,
    write: bool,
    cursor: BtCursor,
    /// The value's byte range inside the record.
    start: u64,
    len: u64,
    /// The serial type the value had when the handle was (re)opened.
    serial_type: u64,
    expired: bool,
}

fn abort() -> Error {
    Error::from_code(code::ABORT)
}

impl Blob {
    /// The value's size in bytes (`sqlite3_blob_bytes`; 0 once expired).
    pub fn bytes(&self) -> usize {
        if self.expired {
            0
        } else {
            self.len as usize
        }
    }
}

impl Connection {
    /// `sqlite3_blob_open`: the value of `column` in row `rowid` of `table` (in database `db`,
    /// only "main" here), for reading or also for writing.
    pub fn blob_open(&mut self, db: &str, table: &str, column: &str, rowid: i64, write: bool) -> Result<Blob> {
        self.db.settle_orphans()?;
        if !db.eq_ignore_ascii_case("main") {
            return Err(Error::sql(format!("no such table: {db}.{table}")));
        }
        self.refresh_schema()?;
        let lower = table.to_ascii_lowercase();
        if self.schema().views.contains_key(&lower) {
            return Err(Error::sql(format!("cannot open view: {table}")));
        }
        let Some(t) = self.schema().table(table).cloned() else {
            return Err(Error::sql(format!("no such table: {db}.{table}")));
        };
        if t.without_rowid {
            return Err(Error::sql(format!("cannot open table without rowid: {table}")));
        }
        let Some(col) = t.column_index(column) else {
            return Err(Error::sql(format!("no such column: \"{column}\"")));
        };
        if write {
            let indexed = self.schema().indexes_of(&t.name).any(|ix| ix.columns.iter().any(|c| c.column == col as i32 || c.column < -1));
            if indexed {
                return Err(Error::sql("cannot open indexed column for writing"));
            }
            if self.is_read_only() {
                return Err(Error::from_code(code::READONLY));
            }
        }
        self.blob_begin(write)?;
        let cursor = self.db.btree.cursor(t.root, TreeKind::Table, write, None);
        let mut blob = Blob { table: t, column: col, rowid, write, cursor, start: 0, len: 0, serial_type: 0, expired: false };
        match self.blob_locate(&mut blob, rowid) {
            Ok(()) => Ok(blob),
            Err(e) => {
                self.blob_end()?;
                Err(e)
            }
        }
    }

    /// `sqlite3_blob_reopen`: the same column of another row. On failure the handle is expired.
    pub fn blob_reopen(&mut self, blob: &mut Blob, rowid: i64) -> Result<()> {
        if blob.expired {
            return Err(abort());
        }
        let r = self.blob_locate(blob, rowid);
        if r.is_err() {
            blob.expired = true;
        }
        r
    }

    /// `sqlite3_blob_read`: `buf.len()` bytes from `offset`.
    pub fn blob_read(&mut self, blob: &mut Blob, offset: usize, buf: &mut [u8]) -> Result<()> {
        self.blob_check(blob, offset, buf.len())?;
        let at = blob.start + offset as u64;
        blob.cursor.read_payload_range(&mut self.db.btree, at, buf)
    }

    /// `sqlite3_blob_write`: overwrites `data.len()` bytes from `offset` (invariant 2).
    pub fn blob_write(&mut self, blob: &mut Blob, offset: usize, data: &[u8]) -> Result<()> {
        if !blob.write {
            return Err(Error::from_code(code::READONLY));
        }
        self.blob_check(blob, offset, data.len())?;
        let at = blob.start + offset as u64;
        blob.cursor.write_payload_range(&mut self.db.btree, at, data)
    }

    /// `sqlite3_blob_close`: ends the handle's transaction when it was the last user of it.
    pub fn blob_close(&mut self, blob: Blob) -> Result<()> {
        drop(blob);
        self.blob_end()
    }

    fn blob_begin(&mut self, write: bool) -> Result<()> {
        let bt = &mut self.db.btree;
        if write && !bt.in_write_transaction() {
            let had_lock = bt.pager().state() != crate::pager::PagerState::Open;
            self.db.hooks.retry_busy(|| {
                let r = bt.begin_write();
                if r.as_ref().is_err_and(|e| e.primary() == code::BUSY) && !had_lock && !bt.in_write_transaction() {
                    let _ = bt.end_read();
                }
                r
            })?;
        } else {
            self.db.hooks.retry_busy(|| bt.begin_read())?;
        }
        self.db.active_vms += 1;
        Ok(())
    }

    fn blob_end(&mut self) -> Result<()> {
        self.db.active_vms = self.db.active_vms.saturating_sub(1);
        self.db.autocommit_end()
    }

    /// Finds row `rowid` and the column's place in its record (invariant 1).
    fn blob_locate(&mut self, blob: &mut Blob, rowid: i64) -> Result<()> {
        let bt = &mut self.db.btree;
        if !blob.cursor.seek_rowid(bt, rowid)? {
            return Err(Error::sql(format!("no such rowid: {rowid}")));
        }
        let payload = blob.cursor.payload(bt)?.to_vec();
        let mut rr = RecordReader::new();
        rr.parse(&payload)?;
        let t = rr.serial_type(blob.column);
        let is_ipk = blob.table.ipk == Some(blob.column);
        if is_ipk || blob.column >= rr.column_count() || t < 12 {
            // The rowid alias is stored as NULL in the record: SQLite reports that.
            let kind = match t {
                _ if is_ipk => "null",
                0 => "null",
                7 => "real",
                _ => "integer",
            };
            return Err(Error::sql(format!("cannot open value of type {kind}")));
        }
        let range = rr.column_range(blob.column).ok_or_else(abort)?;
        blob.rowid = rowid;
        blob.start = range.start as u64;
        blob.len = serial_type_len(t);
        blob.serial_type = t;
        Ok(())
    }

    /// Checks the handle is live, the row unchanged and the range inside the value.
    fn blob_check(&mut self, blob: &mut Blob, offset: usize, n: usize) -> Result<()> {
        if blob.expired {
            return Err(abort());
        }
        if (offset as u64).checked_add(n as u64).is_none_or(|end| end > blob.len) {
            return Err(Error::from_code(code::ERROR));
        }
        let (start, len, t) = (blob.start, blob.len, blob.serial_type);
        let same = self.blob_locate(blob, blob.rowid).is_ok() && (blob.start, blob.len, blob.serial_type) == (start, len, t);
        if !same {
            blob.expired = true;
            return Err(abort());
        }
        Ok(())
    }
}
