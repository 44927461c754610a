//! The pager in WAL mode: reads through the WAL's snapshot, commits by appending frames,
//! switches journal modes into and out of WAL, checkpoints, and closes the WAL.
//!
//! How WAL mode changes the state machine drawn in `mod.rs`:
//! - The SHARED lock on the database file is taken at the first read and kept until the
//!   pager closes (every WAL connection holds it: closing and leaving WAL mode need
//!   EXCLUSIVE, which proves no other connection exists).
//! - READER also holds a WAL read lock (snapshot); WRITER_* also holds the WAL WRITE lock and
//!   never takes RESERVED/EXCLUSIVE on the database file; there is no rollback journal, and a
//!   spill writes uncommitted frames into the WAL (past mxFrame, invisible to others, undone
//!   by forgetting them), so WRITER_DBMOD is never entered.
//! - A commit appends the dirty pages as frames (the last one carries the database size);
//!   page 1, when written, says WAL (bytes 18/19 = 2).
//!
//! Invariants:
//! 1. The database is in WAL mode exactly when `wal` is Some (journal_mode is then Wal).
//! 2. The page cache is cleared whenever the WAL snapshot moved since the last read.
//! 3. Entering WAL mode writes header bytes 18/19 = 2 through a rollback transaction first;
//!    leaving it checkpoints everything under EXCLUSIVE, deletes the WAL, then writes 1/1.

use super::*;
use crate::vfs::shm::HeapShm;
use crate::wal::{CheckpointMode, CheckpointResult, Wal};

impl Pager {
    /// True when a non-empty `-wal` file lies beside the database (SQLite then opens the
    /// database in WAL mode whatever its header says).
    pub(super) fn wal_file_present(&mut self) -> Result<bool> {
        if self.options.memory || self.options.immutable {
            return Ok(false);
        }
        self.vfs.access(&format!("{}-wal", self.path), crate::vfs::AccessMode::Exists)
    }

    /// Attaches the WAL and its WAL-index (a private heap one in exclusive locking mode).
    pub(super) fn open_wal(&mut self) -> Result<()> {
        if self.wal.is_some() {
            return Ok(());
        }
        if self.options.memory {
            return Err(Error::not_supported("WAL mode for an in-memory database"));
        }
        if self.options.no_lock && !self.exclusive_mode {
            // No locks, no shared WAL-index: SQLite refuses to open such a database.
            return Err(Error::from_code(code::CANTOPEN));
        }
        let shm: Box<dyn crate::vfs::shm::Shm> = if self.exclusive_mode {
            if let Err(e) = self.lock_file(LockLevel::Exclusive) {
                let _ = self.unlock_file(LockLevel::Shared);
                return Err(e);
            }
            Box::new(HeapShm::new())
        } else {
            self.file.shm_open()?
        };
        let mut w = Wal::open(self.vfs.clone(), &self.path, shm, self.options.read_only, self.page_size)?;
        w.sync_on_commit = self.synchronous >= Synchronous::Full;
        w.sync_on_checkpoint = self.synchronous != Synchronous::Off;
        self.wal = Some(w);
        self.journal_mode = JournalMode::Wal;
        Ok(())
    }

    /// The WAL half of `begin_read`: snapshot, cache validation, page size and count.
    pub(super) fn open_wal_read(&mut self) -> Result<()> {
        let w = self.wal.as_mut().expect("called in WAL mode");
        let changed = w.begin_read()?;
        let r = self.load_wal_snapshot(changed);
        if r.is_err() {
            if let Some(w) = self.wal.as_mut() {
                w.end_read();
            }
        }
        r
    }

    fn load_wal_snapshot(&mut self, changed: bool) -> Result<()> {
        if changed {
            self.cache.clear();
        }
        let file_bytes = self.file.file_size()?;
        let w = self.wal.as_mut().expect("called in WAL mode");
        let mut hdr = vec![0u8; header::HEADER_SIZE];
        let mut have = false;
        if let Some(f) = w.find_frame(1) {
            let mut page = vec![0u8; w.page_size() as usize];
            w.read_frame(f, &mut page)?;
            hdr.copy_from_slice(&page[..header::HEADER_SIZE]);
            have = true;
        } else if file_bytes >= header::HEADER_SIZE as u64 {
            self.file.read_at(&mut hdr, 0)?;
            have = true;
        }
        let wal_size = w.db_size();
        if have {
            if &hdr[..16] != header::MAGIC {
                return Err(Error::from_code(code::NOTADB));
            }
            let ps = header::page_size_of(&hdr).ok_or_else(|| Error::from_code(code::NOTADB))?;
            let reserved = hdr[header::OFF_RESERVED];
            if ps - (reserved as u32) < 480 {
                return Err(Error::from_code(code::NOTADB));
            }
            if ps != self.page_size || reserved != self.reserved {
                self.page_size = ps;
                self.reserved = reserved;
                self.cache.clear();
                self.apply_cache_size();
            }
        }
        self.db_file_size = (file_bytes / self.page_size as u64) as Pgno;
        self.db_size = match wal_size {
            Some(n) => n,
            None => {
                let in_header = get_u32(&hdr, header::OFF_DB_SIZE);
                let valid = have && in_header > 0 && hdr[24..28] == hdr[92..96];
                if valid {
                    in_header
                } else {
                    self.db_file_size
                }
            }
        };
        Ok(())
    }

    /// Commit in WAL mode: the dirty pages become frames, the last one a commit frame.
    pub(super) fn commit_wal(&mut self) -> Result<()> {
        let size = self.db_size;
        let dirty_of = |p: &Pager| -> Vec<Pgno> {
            let mut d: Vec<Pgno> = p.cache.dirty_pages().into_iter().filter(|&q| q <= size).collect();
            d.sort_unstable();
            d
        };
        let mut dirty = dirty_of(self);
        if dirty.is_empty() && self.db_size == self.db_orig_size && !self.wal_spilled {
            return self.finish_transaction();
        }
        // Page 1 is stamped when written, when the size changed, and when it must carry the
        // commit flag for spilled frames.
        if dirty.first() == Some(&1) || self.db_size != self.db_orig_size || self.db_orig_size == 0 || dirty.is_empty() {
            let r = self.stamp_header().and_then(|_| {
                let p1 = self.write(1)?;
                p1[header::OFF_WRITE_VERSION] = 2;
                p1[header::OFF_READ_VERSION] = 2;
                Ok(())
            });
            if let Err(e) = r {
                return Err(self.fail(e));
            }
            dirty = dirty_of(self);
        }
        let pages: Vec<(Pgno, PageRef)> = dirty
            .iter()
            .map(|&p| (p, self.cache.peek(p).expect("dirty page listed from the cache").data.clone()))
            .collect();
        let refs: Vec<(Pgno, &[u8])> = pages.iter().map(|(p, d)| (*p, &d[..])).collect();
        let w = self.wal.as_mut().expect("called in WAL mode");
        if let Err(e) = w.append_commit(&refs, size, self.page_size) {
            return Err(self.fail(e));
        }
        let frames = w.mx_frame();
        self.cache.mark_all_clean();
        if self.wal_autocheckpoint > 0 && frames >= self.wal_autocheckpoint {
            self.wal_ckpt_pending = true;
        }
        self.finish_transaction()
    }

    /// Spill in WAL mode: the dirty pages become uncommitted frames (no commit flag, not
    /// published), so the cache can shrink; the transaction stays open.
    pub(super) fn spill_wal(&mut self) -> Result<()> {
        let size = self.db_size;
        let mut dirty: Vec<Pgno> = self.cache.dirty_pages().into_iter().filter(|&q| q <= size).collect();
        dirty.sort_unstable();
        let pages: Vec<(Pgno, PageRef)> = dirty
            .iter()
            .map(|&p| (p, self.cache.peek(p).expect("dirty page listed from the cache").data.clone()))
            .collect();
        let refs: Vec<(Pgno, &[u8])> = pages.iter().map(|(p, d)| (*p, &d[..])).collect();
        let w = self.wal.as_mut().expect("called in WAL mode");
        w.append_frames(&refs, None, self.page_size)?;
        self.wal_spilled = true;
        self.cache.mark_all_clean();
        Ok(())
    }

    /// `PRAGMA journal_mode` transitions into and out of WAL.
    pub(super) fn set_journal_mode_wal(&mut self, mode: JournalMode) -> Result<JournalMode> {
        if self.options.immutable || self.options.memory {
            return Ok(self.journal_mode);
        }
        if mode == JournalMode::Wal {
            if self.wal.is_some() {
                return Ok(JournalMode::Wal);
            }
            if self.options.read_only {
                return Ok(self.journal_mode);
            }
            let was_open = self.state == PagerState::Open;
            self.begin_read()?;
            if self.wal.is_none() {
                // Header bytes 18/19 = 2 through a rollback transaction (page 1 is created for
                // an empty database: SQLite's empty database, header + empty schema leaf).
                let r = (|| {
                    self.begin_write()?;
                    let empty = self.db_size == 0;
                    let (ps, reserved) = (self.page_size, self.reserved);
                    let usable = self.usable_size();
                    let p1 = self.write(1)?;
                    if empty {
                        header::init_header(p1, ps, reserved);
                        // The empty sqlite_schema table: a leaf table b-tree page header.
                        p1[100] = 0x0d;
                        p1[105..107].copy_from_slice(&((usable & 0xffff) as u16).to_be_bytes());
                    }
                    p1[header::OFF_WRITE_VERSION] = 2;
                    p1[header::OFF_READ_VERSION] = 2;
                    self.commit()
                })();
                if let Err(e) = r {
                    let _ = self.rollback();
                    let _ = self.end_read();
                    return Err(e);
                }
                self.end_read()?;
                self.lock_file(LockLevel::Shared)?;
                if let Err(e) = self.open_wal() {
                    // The file says WAL now; the next read attaches the WAL.
                    let _ = self.unlock_file(LockLevel::None);
                    self.state = PagerState::Open;
                    return Err(e);
                }
                // Exclusive locking mode keeps READER across end_read; the WAL needs a fresh
                // read transaction (with its snapshot) from here on.
                self.state = PagerState::Open;
                if !was_open {
                    self.begin_read()?;
                }
            } else if was_open {
                self.end_read()?;
            }
            return Ok(JournalMode::Wal);
        }
        // Leaving WAL mode.
        if self.wal.is_none() {
            self.journal_mode = mode;
            return Ok(mode);
        }
        if self.state == PagerState::Reader {
            self.end_read()?;
        }
        if let Err(e) = self.lock_file(LockLevel::Exclusive) {
            // A failed EXCLUSIVE leaves PENDING, which would shut out new readers.
            let _ = self.unlock_file(LockLevel::Shared);
            return Err(e);
        }
        // Everything must be in the database file before the WAL may go.
        let w = self.wal.as_mut().expect("checked above");
        let done = match w.checkpoint(self.file.as_mut(), CheckpointMode::Passive) {
            Ok(c) if !c.busy && c.log_frames == c.checkpointed => Ok(()),
            Ok(_) => Err(Error::from_code(code::BUSY)),
            Err(e) => Err(e),
        };
        if let Err(e) = done {
            let _ = self.unlock_file(LockLevel::Shared);
            return Err(e);
        }
        let w = self.wal.take().expect("checked above");
        let r = w.close(self.file.as_mut(), true);
        self.journal_mode = mode;
        self.header_stamp = [0; 16];
        self.cache.clear();
        if let Err(e) = r {
            // The header still says WAL: the next read reopens the WAL.
            let _ = self.unlock_file(LockLevel::None);
            self.state = PagerState::Open;
            return Err(e);
        }
        // Header bytes 18/19 = 1 through a rollback transaction (we still hold EXCLUSIVE).
        self.wal_leaving = true;
        let r = (|| {
            self.begin_write()?;
            if self.db_size > 0 {
                let p1 = self.write(1)?;
                p1[header::OFF_WRITE_VERSION] = 1;
                p1[header::OFF_READ_VERSION] = 1;
            }
            self.commit()
        })();
        self.wal_leaving = false;
        if r.is_err() {
            let _ = self.rollback();
        }
        let _ = self.end_read();
        let _ = self.unlock_file(LockLevel::None);
        self.state = PagerState::Open;
        r.map(|_| mode)
    }

    /// `PRAGMA wal_checkpoint(mode)` / `sqlite3_wal_checkpoint_v2`. None when the database is
    /// not in WAL mode (SQLite reports 0|-1|-1). SQLITE_LOCKED inside a write transaction.
    pub fn wal_checkpoint(&mut self, mode: CheckpointMode) -> Result<Option<CheckpointResult>> {
        self.check_error()?;
        if self.in_write_transaction() {
            return Err(Error::new(code::LOCKED, "database table is locked"));
        }
        if self.state == PagerState::Open && self.wal.is_none() && !self.options.memory {
            // Attach the WAL if the file is in WAL mode; hold no read lock while
            // checkpointing (our own read mark would cap it, and RESTART waits for readers).
            self.begin_read()?;
            if let Some(w) = self.wal.as_mut() {
                w.end_read();
            }
            self.state = PagerState::Open;
        }
        match self.wal.as_mut() {
            None => Ok(None),
            Some(w) => w.checkpoint(self.file.as_mut(), mode).map(Some),
        }
    }

    /// The committed database as one file image, pages read through the WAL (header bytes
    /// 18/19 stay 2, as SQLite's sqlite3_serialize of a WAL database gives them).
    pub(super) fn wal_file_image(&mut self) -> Result<Vec<u8>> {
        let was_open = self.state == PagerState::Open;
        self.begin_read()?;
        let mut out = Vec::with_capacity(self.db_size as usize * self.page_size as usize);
        let r = (|| {
            for p in 1..=self.db_size {
                let page = self.get(p)?;
                out.extend_from_slice(&page);
            }
            Ok(())
        })();
        if was_open {
            self.end_read()?;
        }
        r.map(|_| out)
    }

    /// `PRAGMA wal_autocheckpoint=N` (0 or negative: off).
    pub fn set_wal_autocheckpoint(&mut self, pages: i64) {
        self.wal_autocheckpoint = pages.clamp(0, u32::MAX as i64) as u32;
    }

    pub fn wal_autocheckpoint(&self) -> u32 {
        self.wal_autocheckpoint
    }

    /// True while the database is in WAL mode.
    pub fn is_wal(&self) -> bool {
        self.wal.is_some()
    }

    /// Frames in the WAL as of the current snapshot (0 outside WAL mode).
    pub fn wal_frames(&self) -> u32 {
        self.wal.as_ref().map_or(0, |w| w.mx_frame())
    }

    /// Closing: the last connection (EXCLUSIVE is to be had) checkpoints and deletes the -wal
    /// and -shm files, as SQLite does.
    pub(super) fn close_wal_on_drop(&mut self) {
        let Some(mut w) = self.wal.take() else { return };
        w.end_read();
        let last = !self.options.read_only && self.lock_file(LockLevel::Exclusive).is_ok();
        let _ = w.close(self.file.as_mut(), last);
    }
}
