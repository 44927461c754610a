//! VFS: the only door to the operating system.
//!
//! Owns the `Vfs` and `VfsFile` traits (the Rust shape of SQLite's `sqlite3_vfs` and
//! `sqlite3_io_methods`) and three implementations:
//! - `unix`: files through pread/pwrite/fsync, SQLite's POSIX advisory locks (byte ranges
//!   below), with per-inode lock bookkeeping shared by every connection of the process.
//! - `memory`: files that live in memory (`:memory:` and temporary databases).
//! - `sim`: a simulation VFS for tests: injected I/O errors and crashes that drop every write
//!   not yet synced.
//! - `shm` / `unix_shm`: shared memory for the WAL-index (`VfsFile::shm_open`); VFSes without
//!   shared memory get a private heap one (usable by one connection only).
//!
//! Lock levels (SQLite's `SQLITE_LOCK_*`): NONE < SHARED < RESERVED < PENDING < EXCLUSIVE.
//! On unix they are POSIX locks on bytes of the main database file:
//! - PENDING byte at 0x40000000, RESERVED byte at 0x40000001,
//! - the SHARED range: 510 bytes from 0x40000002.
//!
//! Invariants:
//! 1. A `lock` call that cannot be granted at once returns SQLITE_BUSY; it never waits (the
//!    busy handler belongs to the caller).
//! 2. `read_at` past the end of a file fills the missing bytes with zeros and reports how many
//!    bytes were really read (SQLite's SHORT_READ rule).
//! 3. Every OS failure maps to SQLite's extended IOERR/CANTOPEN code in this module.

pub mod memory;
pub mod shm;
pub mod sim;
pub mod unix;
pub mod unix_shm;

use crate::error::{code, Error, Result};

/// SQLite's extended I/O result codes (primary code IOERR or CANTOPEN plus a sub-code).
pub mod ioerr {
    use crate::error::code::{BUSY, CANTOPEN, IOERR};
    pub const READ: i32 = IOERR | (1 << 8);
    pub const SHORT_READ: i32 = IOERR | (2 << 8);
    pub const WRITE: i32 = IOERR | (3 << 8);
    pub const FSYNC: i32 = IOERR | (4 << 8);
    pub const DIR_FSYNC: i32 = IOERR | (5 << 8);
    pub const TRUNCATE: i32 = IOERR | (6 << 8);
    pub const FSTAT: i32 = IOERR | (7 << 8);
    pub const UNLOCK: i32 = IOERR | (8 << 8);
    pub const RDLOCK: i32 = IOERR | (9 << 8);
    pub const DELETE: i32 = IOERR | (10 << 8);
    pub const ACCESS: i32 = IOERR | (13 << 8);
    pub const CHECKRESERVEDLOCK: i32 = IOERR | (14 << 8);
    pub const LOCK: i32 = IOERR | (15 << 8);
    pub const CLOSE: i32 = IOERR | (16 << 8);
    pub const DELETE_NOENT: i32 = IOERR | (23 << 8);
    pub const CANTOPEN_ISDIR: i32 = CANTOPEN | (2 << 8);
    pub const CANTOPEN_FULLPATH: i32 = CANTOPEN | (3 << 8);
    pub const BUSY_SNAPSHOT: i32 = BUSY | (2 << 8);
}

/// The byte ranges of SQLite's locking protocol in the main database file.
pub const PENDING_BYTE: u64 = 0x4000_0000;
pub const RESERVED_BYTE: u64 = PENDING_BYTE + 1;
pub const SHARED_FIRST: u64 = PENDING_BYTE + 2;
pub const SHARED_SIZE: u64 = 510;

/// SQLite's lock levels, in increasing strength.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum LockLevel {
    #[default]
    None = 0,
    Shared = 1,
    Reserved = 2,
    Pending = 3,
    Exclusive = 4,
}

/// What a file is for (SQLite's SQLITE_OPEN_MAIN_DB, _MAIN_JOURNAL, _TEMP_DB, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    MainDb,
    MainJournal,
    TempDb,
    TempJournal,
    SubJournal,
    Wal,
}

/// How to open a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenOptions {
    pub kind: FileKind,
    pub read_only: bool,
    pub create: bool,
    /// Fail if the file exists (SQLITE_OPEN_EXCLUSIVE).
    pub exclusive: bool,
    /// Remove the file when it is closed.
    pub delete_on_close: bool,
}

impl OpenOptions {
    pub fn main_db(read_only: bool, create: bool) -> OpenOptions {
        OpenOptions { kind: FileKind::MainDb, read_only, create: create && !read_only, exclusive: false, delete_on_close: false }
    }
    pub fn journal() -> OpenOptions {
        OpenOptions { kind: FileKind::MainJournal, read_only: false, create: true, exclusive: false, delete_on_close: false }
    }
    pub fn temp(kind: FileKind) -> OpenOptions {
        OpenOptions { kind, read_only: false, create: true, exclusive: true, delete_on_close: true }
    }
}

/// The question `Vfs::access` answers (SQLITE_ACCESS_EXISTS / READWRITE / READ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessMode {
    Exists,
    ReadWrite,
    Read,
}

/// How hard `sync` pushes data to stable storage (SQLITE_SYNC_NORMAL / FULL / DATAONLY).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncKind {
    Normal,
    Full,
    DataOnly,
}

/// `SQLITE_IOCAP_*` bits that `device_characteristics` may report.
pub mod iocap {
    pub const ATOMIC: u32 = 0x1;
    pub const SAFE_APPEND: u32 = 0x200;
    pub const SEQUENTIAL: u32 = 0x400;
    pub const UNDELETABLE_WHEN_OPEN: u32 = 0x800;
    pub const POWERSAFE_OVERWRITE: u32 = 0x1000;
}

/// An open file (SQLite's `sqlite3_file` with its `sqlite3_io_methods`).
pub trait VfsFile: Send {
    /// Reads `buf.len()` bytes at `offset`; bytes past the end of file read as zero. Returns
    /// the number of bytes that really came from the file.
    fn read_at(&mut self, buf: &mut [u8], offset: u64) -> Result<usize>;
    fn write_at(&mut self, buf: &[u8], offset: u64) -> Result<()>;
    fn truncate(&mut self, size: u64) -> Result<()>;
    fn sync(&mut self, kind: SyncKind) -> Result<()>;
    fn file_size(&mut self) -> Result<u64>;
    /// Raises the lock to `level` (never lowers); SQLITE_BUSY when another holder prevents it.
    fn lock(&mut self, level: LockLevel) -> Result<()>;
    /// Lowers the lock to `level` (Shared or None).
    fn unlock(&mut self, level: LockLevel) -> Result<()>;
    /// True when some connection (this process or another) holds RESERVED or stronger.
    fn check_reserved_lock(&mut self) -> Result<bool>;
    fn lock_level(&self) -> LockLevel;
    fn sector_size(&self) -> u32 {
        4096
    }
    fn device_characteristics(&self) -> u32 {
        0
    }
    /// Attaches to the shared memory of this database's WAL-index (xShmMap and friends). The
    /// default is a private heap WAL-index: right only while one connection uses the file.
    fn shm_open(&mut self) -> Result<Box<dyn shm::Shm>> {
        Ok(Box::new(shm::HeapShm::new()))
    }
}

/// An operating-system interface (SQLite's `sqlite3_vfs`).
pub trait Vfs: Send + Sync {
    fn name(&self) -> &str;
    /// Opens `path` (None: a temporary file with a name of the VFS's choosing).
    fn open(&self, path: Option<&str>, options: OpenOptions) -> Result<Box<dyn VfsFile>>;
    fn delete(&self, path: &str, sync_dir: bool) -> Result<()>;
    fn access(&self, path: &str, mode: AccessMode) -> Result<bool>;
    fn full_pathname(&self, path: &str) -> Result<String>;
    fn randomness(&self, buf: &mut [u8]);
    /// Sleeps about `micros` microseconds; returns the time really slept.
    fn sleep(&self, micros: u64) -> u64;
    /// The current time as milliseconds since the Julian epoch (xCurrentTimeInt64).
    fn current_time_ms(&self) -> i64;
    /// The current time as a Julian day number (xCurrentTime).
    fn current_time(&self) -> f64 {
        self.current_time_ms() as f64 / 86_400_000.0
    }
}

/// Milliseconds since the Julian epoch for the system clock (shared by the VFSes).
pub fn system_time_ms() -> i64 {
    const UNIX_EPOCH_JD_MS: i64 = 210_866_760_000_000;
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    UNIX_EPOCH_JD_MS + d.as_millis() as i64
}

/// Random bytes from the OS (used for journal nonces and temp names), with a time-seeded
/// fallback when /dev/urandom cannot be read.
pub fn os_randomness(buf: &mut [u8]) {
    use std::io::Read;
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        if f.read_exact(buf).is_ok() {
            return;
        }
    }
    let mut x = system_time_ms() as u64 ^ 0x9e37_79b9_7f4a_7c15 ^ (std::process::id() as u64) << 32;
    for b in buf.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
}

/// The error every lock conflict returns.
pub fn busy() -> Error {
    Error::from_code(code::BUSY)
}

/// An I/O error with SQLite's fixed text.
pub fn io_error(extended: i32) -> Error {
    Error::new(extended, crate::error::errstr(extended))
}
