//! The memory VFS: files held in memory, for `:memory:` and temporary databases.
//!
//! A `MemoryVfs` keeps a table of named files, so a database and its journal opened through
//! the same VFS instance find each other; `open(None)` makes an anonymous file. Files are
//! private to the VFS instance (one connection's `:memory:` database is nobody else's).
//!
//! Invariants:
//! 1. Locks always succeed: no other process can see these files. Each file still remembers
//!    its level so the pager's state checks hold.
//! 2. `sync` is a no-op; nothing outlives the process.
//! 3. WAL mode gets the trait's default private heap WAL-index (`shm::HeapShm`), which is
//!    right because one connection uses a file at a time here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{io_error, ioerr, os_randomness, system_time_ms, AccessMode, LockLevel, OpenOptions, SyncKind, Vfs, VfsFile};
use crate::error::{code, Error, Result};

type Data = Arc<Mutex<Vec<u8>>>;

#[derive(Default)]
pub struct MemoryVfs {
    files: Mutex<HashMap<String, Data>>,
}

impl MemoryVfs {
    pub fn new() -> MemoryVfs {
        MemoryVfs::default()
    }
}

pub struct MemoryFile {
    data: Data,
    level: LockLevel,
}

impl MemoryFile {
    pub fn new() -> MemoryFile {
        MemoryFile { data: Arc::new(Mutex::new(Vec::new())), level: LockLevel::None }
    }
}

impl MemoryFile {
    /// A file that starts with `bytes` (sqlite3_deserialize).
    pub fn from_bytes(bytes: Vec<u8>) -> MemoryFile {
        MemoryFile { data: Arc::new(Mutex::new(bytes)), level: LockLevel::None }
    }
}

impl Default for MemoryFile {
    fn default() -> Self {
        MemoryFile::new()
    }
}

fn guard(d: &Data) -> std::sync::MutexGuard<'_, Vec<u8>> {
    d.lock().unwrap_or_else(|p| p.into_inner())
}

/// Bound on one in-memory file (SQLite's default max for memdb is 1 GiB; we allow 4 GiB).
const MAX_MEMORY_FILE: u64 = 1 << 32;

impl VfsFile for MemoryFile {
    fn read_at(&mut self, buf: &mut [u8], offset: u64) -> Result<usize> {
        let d = guard(&self.data);
        let start = (offset as usize).min(d.len());
        let n = (d.len() - start).min(buf.len());
        buf[..n].copy_from_slice(&d[start..start + n]);
        buf[n..].fill(0);
        Ok(n)
    }

    fn write_at(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        let end = offset + buf.len() as u64;
        if end > MAX_MEMORY_FILE {
            return Err(Error::from_code(code::FULL));
        }
        let mut d = guard(&self.data);
        if d.len() < end as usize {
            d.resize(end as usize, 0);
        }
        d[offset as usize..end as usize].copy_from_slice(buf);
        Ok(())
    }

    fn truncate(&mut self, size: u64) -> Result<()> {
        let mut d = guard(&self.data);
        if (size as usize) < d.len() {
            d.truncate(size as usize);
        }
        Ok(())
    }

    fn sync(&mut self, _kind: SyncKind) -> Result<()> {
        Ok(())
    }

    fn file_size(&mut self) -> Result<u64> {
        Ok(guard(&self.data).len() as u64)
    }

    fn lock(&mut self, level: LockLevel) -> Result<()> {
        if level > self.level {
            self.level = level;
        }
        Ok(())
    }

    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        if level < self.level {
            self.level = level;
        }
        Ok(())
    }

    fn check_reserved_lock(&mut self) -> Result<bool> {
        Ok(self.level >= LockLevel::Reserved)
    }

    fn lock_level(&self) -> LockLevel {
        self.level
    }

    fn sector_size(&self) -> u32 {
        512
    }

    fn device_characteristics(&self) -> u32 {
        super::iocap::POWERSAFE_OVERWRITE | super::iocap::SAFE_APPEND | super::iocap::SEQUENTIAL
    }
}

impl Vfs for MemoryVfs {
    fn name(&self) -> &str {
        "memdb"
    }

    fn open(&self, path: Option<&str>, options: OpenOptions) -> Result<Box<dyn VfsFile>> {
        let Some(path) = path else {
            return Ok(Box::new(MemoryFile::new()));
        };
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let data = match files.get(path) {
            Some(d) if options.exclusive => {
                let _ = d;
                return Err(Error::from_code(code::CANTOPEN));
            }
            Some(d) => d.clone(),
            None if options.create => {
                let d: Data = Arc::default();
                files.insert(path.to_string(), d.clone());
                d
            }
            None => return Err(Error::from_code(code::CANTOPEN)),
        };
        Ok(Box::new(MemoryFile { data, level: LockLevel::None }))
    }

    fn delete(&self, path: &str, _sync_dir: bool) -> Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        match files.remove(path) {
            Some(_) => Ok(()),
            None => Err(io_error(ioerr::DELETE_NOENT)),
        }
    }

    fn access(&self, path: &str, _mode: AccessMode) -> Result<bool> {
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        Ok(files.get(path).map(|d| !guard(d).is_empty()).unwrap_or(false))
    }

    fn full_pathname(&self, path: &str) -> Result<String> {
        Ok(path.to_string())
    }

    fn randomness(&self, buf: &mut [u8]) {
        os_randomness(buf)
    }

    fn sleep(&self, micros: u64) -> u64 {
        std::thread::sleep(std::time::Duration::from_micros(micros));
        micros
    }

    fn current_time_ms(&self) -> i64 {
        system_time_ms()
    }
}
