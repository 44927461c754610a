//! The unix WAL-index: the `<db>-shm` file, shared with every process (and real SQLite).
//!
//! Format: SQLite's WAL-index (see `wal::index`) in a file beside the database; other
//! processes `mmap` it in 32 KiB regions. We read and write it with pread/pwrite instead: on
//! Linux a file's page cache *is* the memory that MAP_SHARED maps, so every byte we write is
//! at once visible to their mappings and theirs to our reads (no `unsafe` mapping needed).
//!
//! Locks (SQLite's unix protocol): slot `i` is a POSIX lock on byte 120+i of the -shm file;
//! byte 128 is the "dead man switch" (DMS): every connection holds it shared while attached.
//! The first process to attach (it gets DMS exclusive) truncates the file, so a WAL-index
//! left by crashed processes is rebuilt by recovery; then it downgrades DMS to shared.
//!
//! POSIX locks belong to the process, so connections of one process share one `ShmNode`
//! (keyed by the database file's inode) with one descriptor, and the node counts which
//! connection holds which slot (as SQLite's unixShmNode does).
//!
//! Invariants:
//! 1. The process holds the OS lock on a slot exactly when some connection of it holds the
//!    slot (shared: count > 0; exclusive: the owner flag).
//! 2. Within the process, an exclusive slot has one holder and no shared holders.
//! 3. The descriptor is closed only when the last connection of the process detaches.
//! 4. The file is grown by whole 32 KiB regions so that other processes' mappings of a
//!    region never run past the end of the file.

use std::collections::HashMap;
use std::fs::{File, OpenOptions as FsOpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::sync::{Arc, Mutex, OnceLock};

use super::shm::{Shm, SHM_NLOCK, SHM_REGION};
use super::unix::set_lock;
use super::{busy, io_error, ioerr};
use crate::error::{code, Error, Result};

/// Byte of the -shm file where the lock slots start (SQLite's UNIX_SHM_BASE).
pub const SHM_LOCK_BASE: u64 = 120;
/// The dead-man-switch byte (SQLite's UNIX_SHM_DMS).
pub const SHM_DMS: u64 = SHM_LOCK_BASE + SHM_NLOCK as u64;

struct ShmNode {
    file: File,
    path: String,
    n_ref: u32,
    size: u64,
    shared: [u32; SHM_NLOCK],
    exclusive: [bool; SHM_NLOCK],
}

type Key = (u64, u64);

fn nodes() -> &'static Mutex<HashMap<Key, Arc<Mutex<ShmNode>>>> {
    static NODES: OnceLock<Mutex<HashMap<Key, Arc<Mutex<ShmNode>>>>> = OnceLock::new();
    NODES.get_or_init(|| Mutex::new(HashMap::new()))
}

fn guard<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn shm_io(_: std::io::Error) -> Error {
    // SQLITE_IOERR_SHMOPEN / SHMSIZE / SHMLOCK are all IOERR sub-codes.
    Error::new(code::IOERR | (18 << 8), "disk I/O error")
}

/// One connection's attachment to the shared WAL-index of a database.
pub struct UnixShm {
    node: Option<Arc<Mutex<ShmNode>>>,
    key: Key,
    shared_mask: u8,
    exclusive_mask: u8,
}

impl UnixShm {
    /// Attaches to the WAL-index of the database whose inode is `key` and path `db_path`.
    pub fn open(key: Key, db_path: &str) -> Result<UnixShm> {
        let mut map = guard(nodes());
        if let Some(n) = map.get(&key) {
            guard(n).n_ref += 1;
            return Ok(UnixShm { node: Some(n.clone()), key, shared_mask: 0, exclusive_mask: 0 });
        }
        let path = format!("{db_path}-shm");
        let file = FsOpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o644)
            .open(&path)
            .map_err(|_| Error::from_code(code::CANTOPEN))?;
        // Dead man switch: alone → reset the index; then hold it shared.
        if set_lock(&file, libc::F_WRLCK, SHM_DMS, 1).map_err(shm_io)? {
            file.set_len(0).map_err(shm_io)?;
        }
        if !set_lock(&file, libc::F_RDLCK, SHM_DMS, 1).map_err(shm_io)? {
            return Err(busy());
        }
        let size = file.metadata().map(|m| m.len()).map_err(|_| io_error(ioerr::FSTAT))?;
        let node = Arc::new(Mutex::new(ShmNode {
            file,
            path,
            n_ref: 1,
            size,
            shared: [0; SHM_NLOCK],
            exclusive: [false; SHM_NLOCK],
        }));
        map.insert(key, node.clone());
        Ok(UnixShm { node: Some(node), key, shared_mask: 0, exclusive_mask: 0 })
    }

    fn node(&self) -> Result<&Arc<Mutex<ShmNode>>> {
        self.node.as_ref().ok_or_else(|| io_error(ioerr::CLOSE))
    }
}

impl Shm for UnixShm {
    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        let node = guard(self.node()?);
        let mut done = 0;
        while done < buf.len() {
            match node.file.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(shm_io(e)),
            }
        }
        buf[done..].fill(0);
        Ok(())
    }

    fn write(&mut self, offset: u64, buf: &[u8]) -> Result<()> {
        let mut node = guard(self.node()?);
        let end = offset + buf.len() as u64;
        if end > node.size {
            node.size = node.file.metadata().map(|m| m.len()).map_err(shm_io)?;
            if end > node.size {
                let want = end.div_ceil(SHM_REGION) * SHM_REGION;
                node.file.set_len(want).map_err(shm_io)?;
                node.size = want;
            }
        }
        node.file.write_all_at(buf, offset).map_err(shm_io)
    }

    fn lock(&mut self, slot: usize, n: usize, exclusive: bool) -> Result<()> {
        let node_arc = self.node()?.clone();
        let mut node = guard(&node_arc);
        let range = slot..slot + n;
        if range.end > SHM_NLOCK {
            return Err(Error::new(code::MISUSE, "shm lock slot out of range"));
        }
        let bits: u8 = range.clone().fold(0, |m, s| m | (1 << s));
        if exclusive {
            if self.exclusive_mask & bits == bits {
                return Ok(());
            }
            for s in range.clone() {
                let mine_shared = self.shared_mask & (1 << s) != 0;
                if node.exclusive[s] || node.shared[s] > u32::from(mine_shared) || mine_shared {
                    return Err(busy());
                }
            }
            if !set_lock(&node.file, libc::F_WRLCK, SHM_LOCK_BASE + slot as u64, n as u64).map_err(shm_io)? {
                return Err(busy());
            }
            for s in range {
                node.exclusive[s] = true;
            }
            self.exclusive_mask |= bits;
        } else {
            for s in range {
                if self.shared_mask & (1 << s) != 0 {
                    continue;
                }
                if node.exclusive[s] {
                    return Err(busy());
                }
                if node.shared[s] == 0
                    && !set_lock(&node.file, libc::F_RDLCK, SHM_LOCK_BASE + s as u64, 1).map_err(shm_io)?
                {
                    return Err(busy());
                }
                node.shared[s] += 1;
                self.shared_mask |= 1 << s;
            }
        }
        Ok(())
    }

    fn unlock(&mut self, slot: usize, n: usize) -> Result<()> {
        let Some(node_arc) = self.node.clone() else { return Ok(()) };
        let mut node = guard(&node_arc);
        let mut result = Ok(());
        for s in slot..(slot + n).min(SHM_NLOCK) {
            let bit = 1u8 << s;
            let release = if self.exclusive_mask & bit != 0 {
                self.exclusive_mask &= !bit;
                node.exclusive[s] = false;
                true
            } else if self.shared_mask & bit != 0 {
                self.shared_mask &= !bit;
                node.shared[s] -= 1;
                node.shared[s] == 0
            } else {
                false
            };
            if release && set_lock(&node.file, libc::F_UNLCK, SHM_LOCK_BASE + s as u64, 1).is_err() {
                result = Err(io_error(ioerr::UNLOCK));
            }
        }
        result
    }

    fn close(&mut self, delete: bool) -> Result<()> {
        if self.node.is_none() {
            return Ok(());
        }
        let _ = self.unlock(0, SHM_NLOCK);
        let node_arc = self.node.take().expect("checked above");
        let mut map = guard(nodes());
        let mut node = guard(&node_arc);
        node.n_ref -= 1;
        if node.n_ref == 0 {
            // Last in this process: unlink only when no other process is attached.
            if delete && set_lock(&node.file, libc::F_WRLCK, SHM_DMS, 1).unwrap_or(false) {
                let _ = std::fs::remove_file(&node.path);
            }
            map.remove(&self.key);
        }
        Ok(())
    }
}

impl Drop for UnixShm {
    fn drop(&mut self) {
        let _ = self.close(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::shm::{SHM_READ0, SHM_WRITE};
    use crate::vfs::unix::UnixVfs;
    use crate::vfs::{OpenOptions, Vfs};

    #[test]
    fn connections_of_one_process_share_bytes_and_respect_each_others_locks() {
        let d = std::env::temp_dir().join(format!("ferrolite-shm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        let path = d.join("s.db");
        let p = path.to_str().unwrap();
        let vfs = UnixVfs::new();
        let mut fa = vfs.open(Some(p), OpenOptions::main_db(false, true)).unwrap();
        let mut fb = vfs.open(Some(p), OpenOptions::main_db(false, true)).unwrap();
        let mut a = fa.shm_open().unwrap();
        let mut b = fb.shm_open().unwrap();
        a.write(40000, b"hello").unwrap();
        // Grown by whole regions (invariant 4).
        assert_eq!(std::fs::metadata(format!("{p}-shm")).unwrap().len(), 65536);
        let mut buf = [0u8; 5];
        b.read(40000, &mut buf).unwrap();
        assert_eq!(&buf, b"hello");
        a.lock(SHM_WRITE, 1, true).unwrap();
        assert_eq!(b.lock(SHM_WRITE, 1, true).unwrap_err().code, code::BUSY);
        assert_eq!(b.lock(SHM_WRITE, 1, false).unwrap_err().code, code::BUSY);
        a.unlock(SHM_WRITE, 1).unwrap();
        b.lock(SHM_WRITE, 1, true).unwrap();
        b.unlock(SHM_WRITE, 1).unwrap();
        // Shared read slots stack; exclusive waits for every sharer.
        a.lock(SHM_READ0 + 1, 1, false).unwrap();
        b.lock(SHM_READ0 + 1, 1, false).unwrap();
        a.unlock(SHM_READ0 + 1, 1).unwrap();
        assert_eq!(a.lock(SHM_READ0 + 1, 1, true).unwrap_err().code, code::BUSY);
        b.unlock(SHM_READ0 + 1, 1).unwrap();
        a.lock(SHM_READ0 + 1, 4, true).unwrap();
        a.close(true).unwrap();
        // B still attached: the file stays; B's close as the last one deletes it.
        assert!(std::path::Path::new(&format!("{p}-shm")).exists());
        b.close(true).unwrap();
        assert!(!std::path::Path::new(&format!("{p}-shm")).exists());
        // A new first attacher resets stale content (dead man switch).
        std::fs::write(format!("{p}-shm"), vec![7u8; 32768]).unwrap();
        let mut c = fa.shm_open().unwrap();
        let mut one = [0u8; 1];
        c.read(0, &mut one).unwrap();
        assert_eq!(one[0], 0);
    }
}
