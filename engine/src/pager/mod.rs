//! Pager: page cache, transactions, the rollback journal, locking.
//!
//! The pager turns a database file into numbered pages (1-based, page N at byte
//! (N-1)*page_size) and makes changes to them atomic through the rollback journal. It knows
//! nothing of cells or b-trees; it reads the 100-byte header only for the page size, the page
//! count and the change counter (see `header`).
//!
//! State machine (SQLite's pager.c names):
//!
//! ```text
//!          begin_read                begin_write              first write()
//!   OPEN ─────────────▶ READER ─────────────────▶ WRITER_LOCKED ──────────────▶ WRITER_CACHEMOD
//!  (no lock)  ◀───────  (SHARED)  ◀─── commit ─── (RESERVED)                     (journal open,
//!             end_read     ▲    ◀─── rollback ───────────────────────────────────  pages dirty)
//!                          │                                                           │ commit:
//!                          │   finalize journal, SHARED      journal synced, EXCLUSIVE  ▼
//!                          └──────────────────────────── WRITER_DBMOD ◀────────────────┘
//!                                                        (db file being written)
//!   any failed write/sync/lock-release ──▶ ERROR: every call fails with the saved error until
//!   rollback() (which plays the journal back when the file may have been touched).
//! ```
//!
//! What each state guarantees:
//! - OPEN: no lock; the cache may be stale and is validated by the change counter on the next
//!   begin_read.
//! - READER: SHARED lock; the file cannot change under us; a hot journal was rolled back.
//! - WRITER_LOCKED: RESERVED lock; nothing modified yet.
//! - WRITER_CACHEMOD: every page modified in the cache whose number is within the original
//!   size has its original image in the journal (journal not yet synced).
//! - WRITER_DBMOD: the journal is synced and its header carries the record count; we hold
//!   EXCLUSIVE and write pages into the database file.
//!
//! WAL mode (header bytes 18/19 = 2, or a `-wal` file beside a non-empty database) changes
//! the transitions: see `wal_mode.rs` (no rollback journal, spills and commits append frames
//! to the WAL, the SHARED lock is kept for the life of the pager).
//!
//! Invariants:
//! 1. No page of the database file is overwritten before its original image is in a synced
//!    journal (unless journal_mode=OFF or synchronous=OFF, which give that up by design). In
//!    WAL mode the pager never writes the database file; only checkpoints do (`wal`).
//! 2. The journal is finalized (deleted, truncated or its header zeroed) only after the
//!    database file is synced: that is the commit point.
//! 3. After an I/O error in a write transaction the pager is in ERROR and refuses work until
//!    rollback.
//! 4. Lock conflicts are reported as SQLITE_BUSY; the pager never waits (except that a WAL
//!    read transaction retries, a bounded number of times, through another connection's
//!    transient states, as SQLite's WAL_RETRY does).
//! 5. Savepoints keep the page images from before their first change in memory (the statement
//!    journal), so rolling one back touches only the changes made since it opened.

pub mod cache;
pub mod header;
pub mod journal;
mod wal_mode;

use std::sync::Arc;

pub use cache::{PageRef, PgnoMap, PgnoSet};
use cache::PageCache;
use header::{get_u32, put_u32};

use crate::error::{code, Error, Result};
use crate::vfs::memory::MemoryFile;
use crate::vfs::{iocap, LockLevel, OpenOptions, SyncKind, Vfs, VfsFile, PENDING_BYTE};

pub type Pgno = u32;

/// The largest page count SQLite allows (SQLITE_MAX_PAGE_COUNT).
pub const MAX_PAGE_COUNT: u32 = 0xffff_fffe;
pub const DEFAULT_PAGE_SIZE: u32 = 4096;
/// `PRAGMA cache_size` default: negative means KiB.
pub const DEFAULT_CACHE_SIZE: i64 = -2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PagerState {
    Open,
    Reader,
    WriterLocked,
    WriterCacheMod,
    WriterDbMod,
    Error,
}

/// `PRAGMA journal_mode` values (WAL's frames and index live in `wal`; see `wal_mode.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JournalMode {
    Delete,
    Truncate,
    Persist,
    Memory,
    Off,
    Wal,
}

/// `PRAGMA synchronous`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Synchronous {
    Off = 0,
    Normal = 1,
    Full = 2,
    Extra = 3,
}

/// How a pager opens its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PagerOptions {
    pub read_only: bool,
    /// Create the file when it does not exist.
    pub create: bool,
    /// A database with no file behind it (":memory:"): memory journal, no locks.
    pub memory: bool,
    /// URI `nolock=1`: take no file locks at all.
    pub no_lock: bool,
    /// URI `immutable=1`: the file cannot change: read-only, no locks, no hot-journal check.
    pub immutable: bool,
}

struct Savepoint {
    /// Page images as they were when the savepoint opened (first change only).
    originals: PgnoMap<PageRef>,
    db_size: Pgno,
}

pub struct Pager {
    vfs: Arc<dyn Vfs>,
    path: String,
    journal_path: String,
    file: Box<dyn VfsFile>,
    journal: Option<Box<dyn VfsFile>>,
    state: PagerState,
    error: Option<Error>,
    options: PagerOptions,
    page_size: u32,
    reserved: u8,
    /// Pages in the database as the current transaction sees it.
    db_size: Pgno,
    /// Pages at the start of the write transaction.
    db_orig_size: Pgno,
    /// Pages in the file on disk.
    db_file_size: Pgno,
    cache: PageCache,
    cache_size: i64,
    /// Pages whose original image is in the journal.
    journaled: PgnoSet,
    journal_records: u32,
    journal_offset: u64,
    /// Offset of the current journal segment's header (0 until a spill starts a new one).
    journal_hdr_offset: u64,
    nonce: u32,
    sector_size: u32,
    journal_mode: JournalMode,
    synchronous: Synchronous,
    savepoints: Vec<Savepoint>,
    /// Bytes 24..40 of the header as last read, to notice other connections' commits.
    header_stamp: [u8; 16],
    db_modified: bool,
    /// Header stamped and journal synced: a commit that met SQLITE_BUSY resumes from here.
    commit_prepared: bool,
    /// `PRAGMA locking_mode=EXCLUSIVE`: locks, once taken, are kept until the mode ends.
    exclusive_mode: bool,
    /// The WAL while the database is in WAL mode (then journal_mode is Wal and the SHARED
    /// lock on the database file is held for the life of the connection, as SQLite does).
    wal: Option<crate::wal::Wal>,
    /// `PRAGMA wal_autocheckpoint` (pages; 0 = off).
    wal_autocheckpoint: u32,
    /// A commit left the WAL past the auto-checkpoint size: checkpoint at the next end_read.
    wal_ckpt_pending: bool,
    /// Leaving WAL mode: the header still says WAL, but the WAL must not be reopened.
    wal_leaving: bool,
    /// This write transaction spilled uncommitted frames into the WAL.
    wal_spilled: bool,
}

fn corrupt(pgno: Pgno, what: &str) -> Error {
    Error::new(code::CORRUPT, format!("database disk image is malformed (page {pgno}: {what})"))
}

impl Pager {
    /// Opens the database file `path` through `vfs`. Nothing is read until `begin_read`.
    pub fn open(vfs: Arc<dyn Vfs>, path: &str, mut options: PagerOptions) -> Result<Pager> {
        if options.immutable {
            options.read_only = true;
            options.create = false;
        }
        let (file, journal_mode): (Box<dyn VfsFile>, JournalMode) = if options.memory {
            (Box::new(MemoryFile::new()), JournalMode::Memory)
        } else {
            (vfs.open(Some(path), OpenOptions::main_db(options.read_only, options.create))?, JournalMode::Delete)
        };
        let sector_size = if file.device_characteristics() & iocap::POWERSAFE_OVERWRITE != 0 {
            512
        } else {
            file.sector_size().clamp(512, 65536)
        };
        let mut p = Pager {
            vfs,
            path: path.to_string(),
            journal_path: format!("{path}-journal"),
            file,
            journal: None,
            state: PagerState::Open,
            error: None,
            options,
            page_size: DEFAULT_PAGE_SIZE,
            reserved: 0,
            db_size: 0,
            db_orig_size: 0,
            db_file_size: 0,
            cache: PageCache::new(500),
            cache_size: DEFAULT_CACHE_SIZE,
            journaled: PgnoSet::default(),
            journal_records: 0,
            journal_offset: 0,
            journal_hdr_offset: 0,
            nonce: 0,
            sector_size,
            journal_mode,
            synchronous: Synchronous::Full,
            savepoints: Vec::new(),
            header_stamp: [0; 16],
            db_modified: false,
            commit_prepared: false,
            exclusive_mode: false,
            wal: None,
            wal_autocheckpoint: crate::wal::DEFAULT_AUTOCHECKPOINT,
            wal_ckpt_pending: false,
            wal_leaving: false,
            wal_spilled: false,
        };
        p.apply_cache_size();
        Ok(p)
    }

    /// A pager over a private in-memory database.
    pub fn open_memory() -> Result<Pager> {
        let vfs: Arc<dyn Vfs> = Arc::new(crate::vfs::memory::MemoryVfs::new());
        Pager::open(vfs, ":memory:", PagerOptions { create: true, memory: true, ..Default::default() })
    }

    /// A pager over a private in-memory database that starts as `image` (a database file's
    /// bytes, as `sqlite3_deserialize` hands them over).
    pub fn open_memory_image(image: Vec<u8>) -> Result<Pager> {
        let mut p = Pager::open_memory()?;
        p.file = Box::new(MemoryFile::from_bytes(image));
        Ok(p)
    }

    /// The bytes of the database file (`sqlite3_serialize`): committed content only.
    pub fn file_image(&mut self) -> Result<Vec<u8>> {
        if self.wal.is_some() || (self.journal_mode == JournalMode::Wal && !self.options.memory) {
            return self.wal_file_image();
        }
        let n = self.file.file_size()?;
        let mut buf = vec![0u8; n as usize];
        self.file.read_at(&mut buf, 0)?;
        Ok(buf)
    }

    // ---- configuration -------------------------------------------------------------------

    pub fn path(&self) -> &str {
        &self.path
    }
    pub fn journal_path(&self) -> &str {
        &self.journal_path
    }
    pub fn state(&self) -> PagerState {
        self.state
    }
    pub fn is_read_only(&self) -> bool {
        self.options.read_only
    }
    pub fn is_memory(&self) -> bool {
        self.options.memory
    }
    pub fn page_size(&self) -> u32 {
        self.page_size
    }
    /// Bytes per page the b-tree may use (page size minus reserved bytes).
    pub fn usable_size(&self) -> u32 {
        self.page_size - self.reserved as u32
    }
    pub fn reserved_bytes(&self) -> u8 {
        self.reserved
    }
    /// Pages in the database as the current transaction sees it.
    pub fn page_count(&self) -> Pgno {
        self.db_size
    }
    pub fn journal_mode(&self) -> JournalMode {
        self.journal_mode
    }
    pub fn synchronous(&self) -> Synchronous {
        self.synchronous
    }
    pub fn set_synchronous(&mut self, s: Synchronous) {
        self.synchronous = s;
        if let Some(w) = self.wal.as_mut() {
            w.sync_on_commit = s >= Synchronous::Full;
            w.sync_on_checkpoint = s != Synchronous::Off;
        }
    }
    pub fn vfs(&self) -> &Arc<dyn Vfs> {
        &self.vfs
    }

    /// Changes the journal mode (outside a write transaction; memory databases stay MEMORY or
    /// OFF). Returns the mode in force afterwards.
    pub fn set_journal_mode(&mut self, mode: JournalMode) -> Result<JournalMode> {
        if self.state >= PagerState::WriterLocked && self.state != PagerState::Error {
            return Ok(self.journal_mode);
        }
        if self.options.memory && !matches!(mode, JournalMode::Memory | JournalMode::Off) {
            return Ok(self.journal_mode);
        }
        if !self.options.memory && self.state == PagerState::Open && self.wal.is_none() {
            // Learn whether the file is in WAL mode (its header or a -wal file says so). A
            // probe that cannot read (BUSY, a file that is not a database) changes nothing.
            if self.begin_read().is_ok() {
                self.end_read()?;
            }
        }
        if mode == JournalMode::Wal || self.journal_mode == JournalMode::Wal {
            return self.set_journal_mode_wal(mode);
        }
        // Leaving PERSIST or TRUNCATE: a leftover journal file is removed, as SQLite does.
        if matches!(self.journal_mode, JournalMode::Persist | JournalMode::Truncate)
            && matches!(mode, JournalMode::Delete | JournalMode::Memory | JournalMode::Off)
            && !self.options.memory
        {
            self.journal = None;
            // Only with RESERVED held: the journal could otherwise be another writer's live one.
            let was_open = self.state == PagerState::Open;
            let locked = (!was_open || self.lock_file(LockLevel::Shared).is_ok())
                && self.lock_file(LockLevel::Reserved).is_ok();
            if locked {
                // Absent is fine (DELETE_NOENT); a zero-length TRUNCATE journal goes too.
                let _ = self.vfs.delete(&self.journal_path, false);
            }
            let _ = self.unlock_file(if was_open { LockLevel::None } else { LockLevel::Shared });
        }
        self.journal_mode = mode;
        Ok(mode)
    }

    /// `PRAGMA cache_size`: pages when positive, KiB when negative.
    pub fn set_cache_size(&mut self, n: i64) {
        self.cache_size = n;
        self.apply_cache_size();
    }
    pub fn cache_size(&self) -> i64 {
        self.cache_size
    }
    fn apply_cache_size(&mut self) {
        let pages = if self.cache_size >= 0 {
            self.cache_size as u64
        } else {
            (self.cache_size.unsigned_abs() * 1024) / (self.page_size as u64 + 200)
        };
        self.cache.set_limit(pages.min(1 << 24) as usize);
    }

    /// Sets the page size (and reserved bytes) of a database that has no pages yet.
    pub fn set_page_size(&mut self, page_size: u32, reserved: u8) -> Result<()> {
        if !(page_size.is_power_of_two() && (512..=65536).contains(&page_size)) {
            return Ok(()); // SQLite ignores invalid sizes
        }
        if self.db_size == 0 && self.db_file_size == 0 && self.state <= PagerState::WriterLocked {
            self.page_size = page_size;
            self.reserved = reserved.min((page_size - 480) as u8);
            self.cache.clear();
            self.apply_cache_size();
        }
        Ok(())
    }

    /// The page number of the lock-byte page (never used for data).
    pub fn pending_byte_page(&self) -> Pgno {
        (PENDING_BYTE / self.page_size as u64) as Pgno + 1
    }

    fn lock_file(&mut self, level: LockLevel) -> Result<()> {
        if self.options.no_lock || self.options.immutable {
            return Ok(());
        }
        self.file.lock(level)
    }

    fn unlock_file(&mut self, level: LockLevel) -> Result<()> {
        if self.options.no_lock || self.options.immutable {
            return Ok(());
        }
        self.file.unlock(level)
    }

    fn check_error(&self) -> Result<()> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn fail(&mut self, e: Error) -> Error {
        if self.state >= PagerState::WriterLocked {
            self.state = PagerState::Error;
            self.error = Some(e.clone());
        }
        e
    }

    // ---- read transactions -----------------------------------------------------------------

    /// Takes a SHARED lock (rolling back a hot journal first) and validates the cache.
    pub fn begin_read(&mut self) -> Result<()> {
        self.check_error()?;
        if self.state != PagerState::Open {
            return Ok(());
        }
        self.lock_file(LockLevel::Shared)?;
        if let Err(e) = self.open_read_transaction() {
            if self.wal.is_none() {
                let _ = self.unlock_file(LockLevel::None);
            }
            return Err(e);
        }
        self.state = PagerState::Reader;
        Ok(())
    }

    fn open_read_transaction(&mut self) -> Result<()> {
        if self.wal.is_some() {
            return self.open_wal_read();
        }
        if !self.options.memory && !self.options.immutable && self.has_hot_journal()? {
            if let Err(e) = self.lock_file(LockLevel::Exclusive) {
                let _ = self.unlock_file(LockLevel::Shared);
                return Err(e);
            }
            let r = self.rollback_hot_journal();
            let _ = self.unlock_file(LockLevel::Shared);
            r?;
            self.cache.clear();
        }
        let file_bytes = self.file.file_size()?;
        let mut hdr = [0u8; header::HEADER_SIZE];
        if file_bytes >= header::HEADER_SIZE as u64 {
            self.file.read_at(&mut hdr, 0)?;
            if &hdr[..16] != header::MAGIC {
                return Err(Error::from_code(code::NOTADB));
            }
            let Some(ps) = header::page_size_of(&hdr) else {
                return Err(Error::from_code(code::NOTADB));
            };
            if hdr[header::OFF_READ_VERSION] > 2 || hdr[header::OFF_WRITE_VERSION] > 2 {
                return Err(Error::from_code(code::NOTADB));
            }
            // An immutable database is read from its file alone, WAL or not (as SQLite).
            let wal_mode = hdr[header::OFF_READ_VERSION] == 2 || self.wal_file_present()?;
            if !self.wal_leaving && !self.options.immutable && wal_mode {
                self.open_wal()?;
                return self.open_wal_read();
            }
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
        } else if file_bytes > 0 {
            return Err(Error::from_code(code::NOTADB));
        }
        let stamp: [u8; 16] = hdr[24..40].try_into().expect("16 bytes");
        if stamp != self.header_stamp {
            self.cache.clear();
            self.header_stamp = stamp;
        }
        self.db_file_size = (file_bytes / self.page_size as u64) as Pgno;
        let in_header = get_u32(&hdr, header::OFF_DB_SIZE);
        let valid = in_header > 0 && hdr[24..28] == hdr[92..96];
        if valid && in_header > self.db_file_size {
            // As SQLite: a header claiming pages the file does not have is corruption (trusting
            // it would make the next commit write gigabytes of zeros).
            return Err(corrupt(1, "database size in the header exceeds the file"));
        }
        self.db_size = if valid { in_header } else { self.db_file_size };
        Ok(())
    }

    fn has_hot_journal(&mut self) -> Result<bool> {
        if !self.vfs.access(&self.journal_path, crate::vfs::AccessMode::Exists)? {
            return Ok(false);
        }
        if !self.options.no_lock && self.file.check_reserved_lock()? {
            return Ok(false);
        }
        let mut j = match self.vfs.open(Some(&self.journal_path), OpenOptions { create: false, ..OpenOptions::journal() }) {
            Ok(j) => j,
            Err(_) => return Ok(false),
        };
        if self.file.file_size()? == 0 {
            // A journal beside an empty database is stale: SQLite deletes it when it can.
            drop(j);
            if !self.options.read_only && self.lock_file(LockLevel::Exclusive).is_ok() {
                let _ = self.vfs.delete(&self.journal_path, false);
                let _ = self.unlock_file(LockLevel::Shared);
            }
            return Ok(false);
        }
        let mut first = [0u8; 1];
        let n = j.read_at(&mut first, 0)?;
        Ok(n == 1 && first[0] != 0)
    }

    fn rollback_hot_journal(&mut self) -> Result<()> {
        if self.options.read_only {
            return Err(Error::new(code::READONLY | (1 << 8), "attempt to write a readonly database"));
        }
        // Another process may have rolled the journal back between our look and our lock.
        let mut j = match self.vfs.open(Some(&self.journal_path), OpenOptions { create: false, ..OpenOptions::journal() }) {
            Ok(j) => j,
            Err(_) => return Ok(()),
        };
        // A journal that names a super-journal which no longer exists belongs to a
        // multi-database transaction that committed: it is finalized, not played back.
        let committed = match journal::read_super_journal_name(j.as_mut())? {
            Some(name) => {
                let name = String::from_utf8_lossy(&name).into_owned();
                !self.vfs.access(&name, crate::vfs::AccessMode::Exists)?
            }
            None => false,
        };
        let pb = if committed { None } else { journal::read_journal(j.as_mut(), self.sector_size)? };
        if let Some(pb) = pb {
            self.apply_playback(&pb)?;
            self.file.sync(SyncKind::Normal)?;
        }
        drop(j);
        self.finalize_journal_file(true)?;
        Ok(())
    }

    fn apply_playback(&mut self, pb: &journal::Playback) -> Result<()> {
        let ps = pb.page_size as u64;
        self.file.truncate(pb.orig_pages as u64 * ps)?;
        for (pgno, data) in &pb.pages {
            if *pgno <= pb.orig_pages {
                self.file.write_at(data, (*pgno as u64 - 1) * ps)?;
            }
        }
        self.db_file_size = pb.orig_pages;
        Ok(())
    }

    /// `PRAGMA locking_mode`: true for EXCLUSIVE (locks are kept between transactions),
    /// false for NORMAL (they are released at the next `end_read`).
    pub fn set_exclusive_mode(&mut self, on: bool) {
        self.exclusive_mode = on;
    }

    pub fn exclusive_mode(&self) -> bool {
        self.exclusive_mode
    }

    /// Ends a read transaction (drops the SHARED lock). A no-op inside a write transaction
    /// and in exclusive locking mode.
    pub fn end_read(&mut self) -> Result<()> {
        if self.state == PagerState::Reader && self.wal.is_some() {
            if let Some(w) = self.wal.as_mut() {
                w.end_read();
            }
            self.state = PagerState::Open;
            if std::mem::take(&mut self.wal_ckpt_pending) {
                // Auto-checkpoint (SQLite's default WAL hook): PASSIVE, failures ignored.
                let _ = self.wal_checkpoint(crate::wal::CheckpointMode::Passive);
            }
            return Ok(());
        }
        if self.state == PagerState::Reader && !self.exclusive_mode {
            self.unlock_file(LockLevel::None)?;
            self.state = PagerState::Open;
        }
        Ok(())
    }

    // ---- pages ------------------------------------------------------------------------------

    /// Page `pgno` as a snapshot (zeros for a page past the end of the database).
    pub fn get(&mut self, pgno: Pgno) -> Result<PageRef> {
        self.check_error()?;
        if self.state == PagerState::Open {
            return Err(Error::new(code::MISUSE, "pager read outside a transaction"));
        }
        if pgno == 0 {
            return Err(corrupt(0, "page number 0"));
        }
        if let Some(p) = self.cache.get(pgno) {
            return Ok(p.clone());
        }
        if self.cache.dirty_count() >= self.cache.limit()
            && matches!(self.state, PagerState::WriterCacheMod | PagerState::WriterDbMod)
            && !self.options.memory
        {
            if let Err(e) = self.spill() {
                if e.primary() != code::BUSY {
                    return Err(self.fail(e));
                }
            }
        }
        // A recycled buffer holds another page's bytes: every path below writes all of it.
        let mut data = self.cache.take_buffer(self.page_size as usize);
        // (Frames of pages past the end — before a shrink, or of a rolled-back growth — are
        // not the page: it reads as zeros.)
        let in_wal = if pgno <= self.db_size { self.wal.as_ref().and_then(|w| w.find_frame(pgno)) } else { None };
        if let Some(frame) = in_wal {
            self.wal.as_mut().expect("frame found in it").read_frame(frame, &mut data)?;
        } else if pgno <= self.db_file_size {
            let off = (pgno as u64 - 1) * self.page_size as u64;
            let n = self.file.read_at(&mut data, off)?;
            let n = n.min(data.len());
            data[n..].fill(0);
        } else {
            data.fill(0);
        }
        let page = Arc::new(data);
        self.cache.insert_clean(pgno, page.clone());
        Ok(page)
    }

    /// Starts a write transaction (RESERVED lock).
    pub fn begin_write(&mut self) -> Result<()> {
        self.check_error()?;
        if self.options.read_only {
            return Err(Error::from_code(code::READONLY));
        }
        self.begin_read()?;
        if self.state >= PagerState::WriterLocked {
            return Ok(());
        }
        if let Some(w) = self.wal.as_mut() {
            w.begin_write()?;
        } else {
            self.lock_file(LockLevel::Reserved)?;
        }
        self.state = PagerState::WriterLocked;
        self.db_orig_size = self.db_size;
        self.journaled.clear();
        self.journal_records = 0;
        self.db_modified = false;
        Ok(())
    }

    /// BEGIN EXCLUSIVE in a rollback-journal mode: upgrades the write transaction's lock to
    /// EXCLUSIVE now rather than at commit (in WAL mode the write lock is all SQLite takes).
    pub fn lock_exclusive(&mut self) -> Result<()> {
        if self.wal.is_some() || !self.in_write_transaction() {
            return Ok(());
        }
        self.lock_file(LockLevel::Exclusive)
    }

    /// True after an I/O error in a write transaction, until `rollback` (the ERROR state).
    pub fn in_error_state(&self) -> bool {
        self.state == PagerState::Error
    }

    pub fn in_write_transaction(&self) -> bool {
        matches!(self.state, PagerState::WriterLocked | PagerState::WriterCacheMod | PagerState::WriterDbMod)
    }

    /// Page `pgno` for writing: journals its original image first, marks it dirty. A page past
    /// the end grows the database to `pgno` pages.
    pub fn write(&mut self, pgno: Pgno) -> Result<&mut [u8]> {
        self.check_error()?;
        if !self.in_write_transaction() {
            return Err(Error::new(code::MISUSE, "pager write outside a write transaction"));
        }
        if pgno == 0 || pgno > MAX_PAGE_COUNT {
            return Err(corrupt(pgno, "page number out of range"));
        }
        if pgno == self.pending_byte_page() {
            return Err(corrupt(pgno, "write to the lock-byte page"));
        }
        // Make sure the page is in the cache.
        let original = self.get(pgno)?;
        let was_dirty = self.cache.peek(pgno).is_some_and(|e| e.dirty);
        if pgno <= self.db_orig_size && !self.journaled.contains(&pgno) {
            debug_assert!(!was_dirty, "a dirty page within the original size is journaled");
            if self.wal.is_some() {
                // WAL mode: the original stays in the database/WAL; nothing to journal.
                self.journaled.insert(pgno);
            } else if let Err(e) = self.journal_page(pgno, &original) {
                return Err(self.fail(e));
            }
        } else if self.wal.is_none() && self.journal.is_none() && self.journal_mode != JournalMode::Off {
            // A transaction that only adds pages (the first one of a new database) still
            // writes a journal header, as SQLite's does: its original size lets a hot-journal
            // rollback cut the new pages off after a crash.
            if let Err(e) = self.open_journal() {
                return Err(self.fail(e));
            }
        }
        for sp in &mut self.savepoints {
            if pgno <= sp.db_size {
                sp.originals.entry(pgno).or_insert_with(|| original.clone());
            }
        }
        drop(original);
        if pgno > self.db_size {
            self.db_size = pgno;
        }
        if self.state == PagerState::WriterLocked {
            self.state = PagerState::WriterCacheMod;
        }
        Ok(self.cache.make_dirty(pgno).expect("page was just loaded into the cache"))
    }

    /// Appends a zeroed page at the end of the database (skipping the lock-byte page) and
    /// returns its number; the page is dirty and ready for writing.
    pub fn allocate_page(&mut self) -> Result<Pgno> {
        let mut pgno = self.db_size + 1;
        if pgno == self.pending_byte_page() {
            pgno += 1;
        }
        if pgno > MAX_PAGE_COUNT {
            return Err(Error::from_code(code::FULL));
        }
        self.cache.remove(pgno);
        self.cache.insert_clean(pgno, Arc::new(vec![0u8; self.page_size as usize]));
        let page = self.write(pgno)?;
        page.fill(0);
        Ok(pgno)
    }

    /// Shrinks the database to `n` pages (the b-tree frees the tail first).
    pub fn truncate_pages(&mut self, n: Pgno) -> Result<()> {
        self.check_error()?;
        if !self.in_write_transaction() {
            return Err(Error::new(code::MISUSE, "pager truncate outside a write transaction"));
        }
        if n < self.db_size {
            for p in n + 1..=self.db_size {
                if p <= self.db_orig_size && !self.journaled.contains(&p) && self.wal.is_none() {
                    let orig = self.get(p)?;
                    if let Err(e) = self.journal_page(p, &orig) {
                        return Err(self.fail(e));
                    }
                }
                for sp in &mut self.savepoints {
                    if p <= sp.db_size && !sp.originals.contains_key(&p) {
                        if let Some(e) = self.cache.peek(p) {
                            sp.originals.insert(p, e.data.clone());
                        }
                    }
                }
                self.cache.remove(p);
            }
            self.db_size = n;
            if self.state == PagerState::WriterLocked {
                self.state = PagerState::WriterCacheMod;
            }
        }
        Ok(())
    }

    fn open_journal(&mut self) -> Result<()> {
        if self.journal.is_some() {
            return Ok(());
        }
        let mut j: Box<dyn VfsFile> = if self.journal_mode == JournalMode::Memory || self.options.memory {
            Box::new(MemoryFile::new())
        } else {
            self.vfs.open(Some(&self.journal_path), OpenOptions::journal())?
        };
        let mut nonce = [0u8; 4];
        self.vfs.randomness(&mut nonce);
        self.nonce = u32::from_be_bytes(nonce);
        let no_sync = self.synchronous == Synchronous::Off || self.journal_mode == JournalMode::Memory;
        let h = journal::encode_header(no_sync, if no_sync { 0xffff_ffff } else { 0 }, self.nonce, self.db_orig_size, self.sector_size, self.page_size);
        let mut sector = vec![0u8; self.sector_size as usize];
        sector[..h.len()].copy_from_slice(&h);
        j.write_at(&sector, 0)?;
        self.journal_offset = self.sector_size as u64;
        self.journal_hdr_offset = 0;
        self.journal_records = 0;
        self.journal = Some(j);
        Ok(())
    }

    fn journal_page(&mut self, pgno: Pgno, data: &[u8]) -> Result<()> {
        if self.journal_mode == JournalMode::Off {
            self.journaled.insert(pgno);
            return Ok(());
        }
        self.open_journal()?;
        let ps = self.page_size as usize;
        let mut rec = Vec::with_capacity(ps + 8);
        rec.extend_from_slice(&pgno.to_be_bytes());
        rec.extend_from_slice(&data[..ps]);
        rec.extend_from_slice(&journal::checksum(self.nonce, &data[..ps]).to_be_bytes());
        let j = self.journal.as_mut().expect("journal opened above");
        j.write_at(&rec, self.journal_offset)?;
        self.journal_offset += rec.len() as u64;
        self.journal_records += 1;
        self.journaled.insert(pgno);
        Ok(())
    }

    // ---- commit and rollback ----------------------------------------------------------------

    /// Commits the write transaction: journal synced, EXCLUSIVE lock, pages written, file
    /// synced, journal finalized. SQLITE_BUSY leaves the transaction open (retry or roll back).
    pub fn commit(&mut self) -> Result<()> {
        self.check_error()?;
        if !self.in_write_transaction() {
            return Ok(());
        }
        if self.wal.is_some() {
            return self.commit_wal();
        }
        if self.cache.dirty_count() == 0 && self.db_size == self.db_orig_size && self.journal.is_none() {
            self.finish_transaction()?;
            return Ok(());
        }
        if self.state != PagerState::WriterDbMod {
            if !self.commit_prepared {
                // Stamp page 1: change counter, version-valid-for, version number, page count.
                if let Err(e) = self.stamp_header() {
                    return Err(self.fail(e));
                }
                if let Err(e) = self.sync_journal() {
                    return Err(self.fail(e));
                }
                self.commit_prepared = true;
            }
            if !self.options.memory {
                self.lock_file(LockLevel::Exclusive)?;
            }
            self.state = PagerState::WriterDbMod;
        }
        if let Err(e) = self.write_dirty_pages() {
            return Err(self.fail(e));
        }
        if let Err(e) = self.finalize_journal_file(false) {
            return Err(self.fail(e));
        }
        self.finish_transaction()
    }

    fn stamp_header(&mut self) -> Result<()> {
        let size = self.db_size;
        let p1 = self.write(1)?;
        let counter = get_u32(p1, header::OFF_CHANGE_COUNTER).wrapping_add(1);
        put_u32(p1, header::OFF_CHANGE_COUNTER, counter);
        put_u32(p1, header::OFF_VERSION_VALID_FOR, counter);
        put_u32(p1, header::OFF_VERSION_NUMBER, crate::SQLITE_VERSION_NUMBER as u32);
        put_u32(p1, header::OFF_DB_SIZE, size);
        Ok(())
    }

    fn sync_journal(&mut self) -> Result<()> {
        let Some(j) = self.journal.as_mut() else { return Ok(()) };
        if self.journal_mode == JournalMode::Memory || self.options.memory || self.synchronous == Synchronous::Off {
            return Ok(());
        }
        if self.synchronous >= Synchronous::Full {
            j.sync(SyncKind::Normal)?;
        }
        let h = journal::encode_header(true, self.journal_records, self.nonce, self.db_orig_size, self.sector_size, self.page_size);
        j.write_at(&h[..12], self.journal_hdr_offset)?;
        j.sync(SyncKind::Normal)?;
        Ok(())
    }

    /// Writes the dirty pages to the database file in the middle of a transaction, so the
    /// cache stays within its size (SQLite's pagerStress). The journal is synced first and, in
    /// synchronous modes, a new journal segment starts for the records that follow.
    /// SQLITE_BUSY (no EXCLUSIVE lock to be had) means "not now": the pages stay in memory.
    fn spill(&mut self) -> Result<()> {
        if self.wal.is_some() {
            return self.spill_wal();
        }
        if self.journal_mode == JournalMode::Off && self.db_orig_size > 0 {
            // Without a journal a spill could not be undone.
            return Err(Error::from_code(code::BUSY));
        }
        if self.file.lock_level() < LockLevel::Exclusive {
            self.lock_file(LockLevel::Exclusive)?;
        }
        self.sync_journal()?;
        let segmented = self.journal.is_some()
            && !(self.journal_mode == JournalMode::Memory || self.synchronous == Synchronous::Off);
        if segmented {
            // Later records go to a new segment whose header carries its own count.
            let sector = self.sector_size as u64;
            let hdr_off = self.journal_offset.div_ceil(sector) * sector;
            let h = journal::encode_header(false, 0, self.nonce, self.db_orig_size, self.sector_size, self.page_size);
            let mut buf = vec![0u8; self.sector_size as usize];
            buf[..h.len()].copy_from_slice(&h);
            self.journal.as_mut().expect("segmented implies a journal").write_at(&buf, hdr_off)?;
            self.journal_hdr_offset = hdr_off;
            self.journal_offset = hdr_off + sector;
            self.journal_records = 0;
        }
        self.db_modified = true;
        let ps = self.page_size as u64;
        for pgno in self.cache.dirty_pages() {
            if pgno > self.db_size {
                continue;
            }
            let data = self.cache.peek(pgno).expect("dirty page listed from the cache").data.clone();
            self.file.write_at(&data, (pgno as u64 - 1) * ps)?;
            if pgno > self.db_file_size {
                self.db_file_size = pgno;
            }
        }
        self.cache.mark_all_clean();
        self.state = PagerState::WriterCacheMod;
        Ok(())
    }

    fn write_dirty_pages(&mut self) -> Result<()> {
        self.db_modified = true;
        let ps = self.page_size as u64;
        for pgno in self.cache.dirty_pages() {
            if pgno > self.db_size {
                continue;
            }
            let data = self.cache.peek(pgno).expect("dirty page listed from the cache").data.clone();
            self.file.write_at(&data, (pgno as u64 - 1) * ps)?;
        }
        if (self.db_size as u64) * ps < self.file.file_size()? {
            self.file.truncate(self.db_size as u64 * ps)?;
        }
        if self.synchronous != Synchronous::Off && !self.options.memory {
            self.file.sync(SyncKind::Normal)?;
        }
        self.db_file_size = self.db_size;
        self.cache.mark_all_clean();
        Ok(())
    }

    /// Ends the journal's life per the journal mode. `hot`: the journal was found at open.
    fn finalize_journal_file(&mut self, hot: bool) -> Result<()> {
        let j = self.journal.take();
        let no_file = self.options.memory || self.journal_mode == JournalMode::Memory || self.journal_mode == JournalMode::Off;
        if no_file && !hot {
            return Ok(());
        }
        // Only EXTRA syncs the directory after deleting the journal (as SQLite).
        let sync = self.synchronous == Synchronous::Extra;
        match self.journal_mode {
            JournalMode::Truncate => {
                let mut j = match j {
                    Some(j) => j,
                    None => self.vfs.open(Some(&self.journal_path), OpenOptions::journal())?,
                };
                j.truncate(0)?;
                if self.synchronous != Synchronous::Off {
                    j.sync(SyncKind::Normal)?;
                }
            }
            JournalMode::Persist => {
                let mut j = match j {
                    Some(j) => j,
                    None => self.vfs.open(Some(&self.journal_path), OpenOptions::journal())?,
                };
                j.write_at(&[0u8; journal::HEADER_FIELDS], 0)?;
                if self.synchronous != Synchronous::Off {
                    j.sync(SyncKind::Normal)?;
                }
            }
            _ => {
                drop(j);
                if hot || self.journal_mode == JournalMode::Delete {
                    match self.vfs.delete(&self.journal_path, sync) {
                        Ok(()) => {}
                        Err(e) if e.code == crate::vfs::ioerr::DELETE_NOENT => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Ok(())
    }

    fn finish_transaction(&mut self) -> Result<()> {
        self.journaled.clear();
        self.journal_records = 0;
        self.journal_hdr_offset = 0;
        self.savepoints.clear();
        self.db_modified = false;
        self.commit_prepared = false;
        self.wal_spilled = false;
        if let Some(w) = self.wal.as_mut() {
            w.end_write();
        }
        let r = if self.options.memory || self.exclusive_mode || self.wal.is_some() {
            Ok(())
        } else {
            self.unlock_file(LockLevel::Shared)
        };
        self.state = PagerState::Reader;
        // Our own commit changed the header: remember the new stamp.
        if let Some(e) = self.cache.peek(1) {
            self.header_stamp = e.data[24..40].try_into().expect("16 bytes");
        }
        self.cache.shrink();
        r
    }

    /// Abandons the write transaction and restores the database; clears the ERROR state.
    pub fn rollback(&mut self) -> Result<()> {
        if !self.in_write_transaction() && self.state != PagerState::Error {
            return Ok(());
        }
        let was_error = self.state == PagerState::Error;
        let touched_file = self.db_modified;
        let mut result = Ok(());
        if self.db_modified {
            // The file may hold new pages: play the journal back.
            let mut journal = self.journal.take();
            let no_file = self.options.memory || matches!(self.journal_mode, JournalMode::Memory | JournalMode::Off);
            if journal.is_none() && !no_file && self.vfs.access(&self.journal_path, crate::vfs::AccessMode::Exists).unwrap_or(false) {
                // A commit whose journal finalization failed let go of its handle; the file
                // (if it still holds a valid header) is what rolls the transaction back.
                journal = self.vfs.open(Some(&self.journal_path), OpenOptions::journal()).ok();
            }
            if let Some(mut j) = journal {
                match journal::read_journal(j.as_mut(), self.sector_size) {
                    Ok(Some(pb)) => {
                        let unsynced = journal::Playback { page_size: pb.page_size, orig_pages: self.db_orig_size, pages: pb.pages };
                        result = self.apply_playback(&unsynced);
                    }
                    Ok(None) => {}
                    Err(e) => result = Err(e),
                }
                self.journal = Some(j);
            }

            self.cache.clear();
        } else if self.wal_spilled {
            // Clean cached pages may hold spilled, uncommitted images.
            self.cache.clear();
        } else {
            self.cache.discard_dirty(self.db_orig_size);
        }
        self.db_size = self.db_orig_size;
        if result.is_ok() {
            result = self.finalize_journal_file(false);
        } else {
            self.journal = None;
        }
        self.error = None;
        let r2 = self.finish_transaction();
        if result.is_err() {
            // Could not restore: keep refusing work until a later rollback succeeds... but
            // drop the lock so that a hot-journal rollback by the next reader fixes the file.
            self.cache.clear();
            self.header_stamp = [0; 16];
            let _ = self.unlock_file(LockLevel::None);
            self.state = PagerState::Open;
            return result;
        }
        if was_error && touched_file && self.wal.is_none() {
            // A write failed part-way (during commit the database may already hold the new
            // version, its journal finalized): what the file holds is known only by reading
            // it again, so end the read transaction as SQLite leaves its ERROR state.
            self.cache.clear();
            self.header_stamp = [0; 16];
            let _ = self.unlock_file(LockLevel::None);
            self.state = PagerState::Open;
        }
        r2
    }

    // ---- savepoints (the statement journal) -------------------------------------------------

    /// Opens a savepoint inside the write transaction; returns its depth (0 = outermost).
    pub fn savepoint_open(&mut self) -> Result<usize> {
        self.check_error()?;
        if !self.in_write_transaction() {
            return Err(Error::new(code::MISUSE, "savepoint outside a write transaction"));
        }
        self.savepoints.push(Savepoint { originals: PgnoMap::default(), db_size: self.db_size });
        Ok(self.savepoints.len() - 1)
    }

    /// Number of open savepoints.
    pub fn savepoint_depth(&self) -> usize {
        self.savepoints.len()
    }

    /// Releases savepoint `depth` and every savepoint opened after it (keeping their changes).
    pub fn savepoint_release(&mut self, depth: usize) -> Result<()> {
        self.savepoints.truncate(depth);
        Ok(())
    }

    /// Undoes every change made since savepoint `depth` opened; the savepoint stays open,
    /// the ones opened after it are gone.
    pub fn savepoint_rollback(&mut self, depth: usize) -> Result<()> {
        self.check_error()?;
        if depth >= self.savepoints.len() {
            return Err(Error::new(code::INTERNAL, "no such savepoint"));
        }
        self.savepoints.truncate(depth + 1);
        let sp = self.savepoints.pop().expect("depth < len");
        for p in sp.db_size + 1..=self.db_size {
            self.cache.remove(p);
        }
        for (pgno, data) in sp.originals {
            self.cache.insert_dirty(pgno, data);
        }
        self.db_size = sp.db_size;
        self.savepoints.push(Savepoint { originals: PgnoMap::default(), db_size: sp.db_size });
        Ok(())
    }
}

impl Drop for Pager {
    fn drop(&mut self) {
        if self.in_write_transaction() || self.state == PagerState::Error {
            let _ = self.rollback();
        }
        self.close_wal_on_drop();
        let _ = self.unlock_file(LockLevel::None);
    }
}

#[cfg(test)]
mod tests;
