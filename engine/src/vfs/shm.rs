//! Shared memory for the WAL-index (SQLite's xShmMap/xShmLock/xShmBarrier/xShmUnmap).
//!
//! The WAL-index lives in memory shared by every connection to one database. Its bytes are
//! addressed as one flat range (in SQLite, 32 KiB regions mapped one by one); the `Shm` trait
//! copies bytes in and out of it, which is all the WAL needs and needs no `unsafe` above the
//! VFS. Eight lock slots (SQLite's WAL_WRITE_LOCK=0, WAL_CKPT_LOCK=1, WAL_RECOVER_LOCK=2,
//! WAL_READ_LOCK(0..4)=3..7) can be held shared or exclusive.
//!
//! Implementations:
//! - `unix_shm`: the `<db>-shm` file, shared with other processes (and real SQLite).
//! - `HeapShm` here: a private heap buffer, for VFSes with no shared memory (memory, sim) and
//!   for `locking_mode=EXCLUSIVE`. Only one connection may use it, so every lock is granted.
//!
//! Invariants:
//! 1. `lock` never waits: a conflicting holder gives SQLITE_BUSY.
//! 2. Reads past the end of the shared memory see zeros; writes extend it.
//! 3. Every read and write is complete when the call returns and visible to every other user
//!    of the same shared memory (the copy is the memory barrier).

use crate::error::Result;

/// Lock slots of the WAL-index (SQLite's numbering).
pub const SHM_WRITE: usize = 0;
pub const SHM_CKPT: usize = 1;
pub const SHM_RECOVER: usize = 2;
pub const SHM_READ0: usize = 3;
pub const SHM_NLOCK: usize = 8;
/// Size of one region of the WAL-index.
pub const SHM_REGION: u64 = 32768;

/// One connection's handle on the shared memory of a database.
pub trait Shm: Send {
    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<()>;
    fn write(&mut self, offset: u64, buf: &[u8]) -> Result<()>;
    /// Takes slots `slot..slot+n` shared or exclusive (upgrading shared to exclusive is not
    /// allowed: unlock first). SQLITE_BUSY when another connection holds a conflicting lock.
    fn lock(&mut self, slot: usize, n: usize, exclusive: bool) -> Result<()>;
    fn unlock(&mut self, slot: usize, n: usize) -> Result<()>;
    /// Detaches; with `delete` and no other user left anywhere, the shared memory goes away.
    fn close(&mut self, delete: bool) -> Result<()>;
    /// True when every other user is gone and this handle may reset the content freely.
    fn is_private(&self) -> bool {
        false
    }
}

/// A private heap WAL-index (one connection, all locks granted).
#[derive(Default)]
pub struct HeapShm {
    data: Vec<u8>,
}

impl HeapShm {
    pub fn new() -> HeapShm {
        HeapShm::default()
    }
}

impl Shm for HeapShm {
    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        let off = offset as usize;
        for (i, b) in buf.iter_mut().enumerate() {
            *b = self.data.get(off + i).copied().unwrap_or(0);
        }
        Ok(())
    }

    fn write(&mut self, offset: u64, buf: &[u8]) -> Result<()> {
        let off = offset as usize;
        if self.data.len() < off + buf.len() {
            self.data.resize(off + buf.len(), 0);
        }
        self.data[off..off + buf.len()].copy_from_slice(buf);
        Ok(())
    }

    fn lock(&mut self, _slot: usize, _n: usize, _exclusive: bool) -> Result<()> {
        Ok(())
    }

    fn unlock(&mut self, _slot: usize, _n: usize) -> Result<()> {
        Ok(())
    }

    fn close(&mut self, _delete: bool) -> Result<()> {
        self.data.clear();
        Ok(())
    }

    fn is_private(&self) -> bool {
        true
    }
}
