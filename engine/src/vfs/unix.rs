//! The unix VFS: files through pread/pwrite/fsync and SQLite's POSIX advisory locks.
//!
//! Locking (SQLite's unix protocol, so a real `sqlite3` in another process interoperates):
//! - SHARED: read-lock the PENDING byte, read-lock the 510-byte SHARED range, drop PENDING.
//! - RESERVED: write-lock the RESERVED byte.
//! - PENDING: write-lock the PENDING byte (new readers are refused).
//! - EXCLUSIVE: write-lock the whole SHARED range.
//! - down to SHARED: read-lock the SHARED range, unlock PENDING and RESERVED.
//! - down to NONE: unlock everything.
//!
//! POSIX locks belong to a (process, inode) pair, not to a file descriptor, and closing *any*
//! descriptor of an inode drops all of the process's locks on it. So every open file of one
//! inode shares an `Inode` record (found by device and inode number) that holds:
//! the strongest lock the process holds, how many connections hold SHARED, how many hold any
//! lock, and descriptors whose close was deferred because locks were held.
//!
//! Invariants:
//! 1. `Inode::level` is the level the process holds in the OS; a connection's own level is
//!    never above it; two connections of one process never both hold RESERVED or above.
//! 2. A descriptor is closed only when no connection of the process holds a lock on its inode
//!    (otherwise it waits in `Inode::deferred_close`).
//! 3. `unsafe` appears only around `fcntl`, each block with its SAFETY argument.
//!
//! The WAL-index shared memory of a unix file lives in `unix_shm`.

use std::collections::HashMap;
use std::fs::{File, OpenOptions as FsOpenOptions};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::sync::{Arc, Mutex, OnceLock};

use super::{
    io_error, ioerr, os_randomness, system_time_ms, AccessMode, LockLevel, OpenOptions, SyncKind, Vfs,
    VfsFile, PENDING_BYTE, RESERVED_BYTE, SHARED_FIRST, SHARED_SIZE,
};
use crate::error::{code, Error, Result};

#[derive(Default)]
struct Inode {
    level: LockLevel,
    n_shared: u32,
    n_lock: u32,
    n_ref: u32,
    deferred_close: Vec<File>,
}

type InodeKey = (u64, u64);

fn inodes() -> &'static Mutex<HashMap<InodeKey, Arc<Mutex<Inode>>>> {
    static INODES: OnceLock<Mutex<HashMap<InodeKey, Arc<Mutex<Inode>>>>> = OnceLock::new();
    INODES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The default VFS on unix ("unix").
#[derive(Debug, Default)]
pub struct UnixVfs;

impl UnixVfs {
    pub fn new() -> UnixVfs {
        UnixVfs
    }
}

pub struct UnixFile {
    file: Option<File>,
    inode: Arc<Mutex<Inode>>,
    key: InodeKey,
    level: LockLevel,
    path: String,
    delete_on_close: bool,
    /// A journal this open created: its directory entry is synced with its first sync.
    dirsync_pending: bool,
}

fn lock_inode(i: &Mutex<Inode>) -> std::sync::MutexGuard<'_, Inode> {
    i.lock().unwrap_or_else(|p| p.into_inner())
}

/// Sets (`F_SETLK`) a POSIX lock of `kind` (F_RDLCK, F_WRLCK, F_UNLCK) on `len` bytes at `start`.
/// Returns false when another process holds a conflicting lock.
pub(super) fn set_lock(file: &File, kind: i32, start: u64, len: u64) -> std::io::Result<bool> {
    // SAFETY: `flock` is a plain C struct; all-zero is a valid value for every field.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = kind as libc::c_short;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    fl.l_start = start as libc::off_t;
    fl.l_len = len as libc::off_t;
    // SAFETY: the descriptor is open for the lifetime of `file`, and `fl` is a valid,
    // initialised flock that fcntl only reads for F_SETLK.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &fl as *const libc::flock) };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EACCES) | Some(libc::EAGAIN) => Ok(false),
        _ => Err(err),
    }
}

/// True when another process holds a lock that would conflict with a write lock on the byte.
fn test_write_lock(file: &File, start: u64, len: u64) -> std::io::Result<bool> {
    // SAFETY: as in `set_lock`, zero is valid for every field of the C struct.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as libc::c_short;
    fl.l_whence = libc::SEEK_SET as libc::c_short;
    fl.l_start = start as libc::off_t;
    fl.l_len = len as libc::off_t;
    // SAFETY: the descriptor is open; F_GETLK writes only into `fl`, which we own mutably.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut fl as *mut libc::flock) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(fl.l_type != libc::F_UNLCK as libc::c_short)
}

/// fsync of the directory holding `path` (so a created or deleted name is durable).
fn sync_parent_dir(path: &str) -> Result<()> {
    let dir = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.unwrap_or(std::path::Path::new("."));
    if let Ok(d) = File::open(dir) {
        d.sync_all().map_err(|_| io_error(ioerr::DIR_FSYNC))?;
    }
    Ok(())
}

impl UnixFile {
    fn f(&self) -> Result<&File> {
        self.file.as_ref().ok_or_else(|| io_error(ioerr::CLOSE))
    }
}

impl Drop for UnixFile {
    fn drop(&mut self) {
        let _ = self.unlock(LockLevel::None);
        let Some(file) = self.file.take() else { return };
        let mut map = inodes().lock().unwrap_or_else(|p| p.into_inner());
        let mut ino = lock_inode(&self.inode);
        ino.n_ref = ino.n_ref.saturating_sub(1);
        if ino.n_lock > 0 {
            ino.deferred_close.push(file);
        } else {
            drop(file);
        }
        if ino.n_ref == 0 {
            ino.deferred_close.clear();
            drop(ino);
            map.remove(&self.key);
        }
        if self.delete_on_close {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl VfsFile for UnixFile {
    fn read_at(&mut self, buf: &mut [u8], offset: u64) -> Result<usize> {
        let f = self.f()?;
        let mut done = 0;
        while done < buf.len() {
            match f.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(io_error(ioerr::READ)),
            }
        }
        buf[done..].fill(0);
        Ok(done)
    }

    fn write_at(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        let f = self.f()?;
        f.write_all_at(buf, offset).map_err(|e| {
            if e.raw_os_error() == Some(libc::ENOSPC) {
                Error::from_code(code::FULL)
            } else {
                io_error(ioerr::WRITE)
            }
        })
    }

    fn truncate(&mut self, size: u64) -> Result<()> {
        self.f()?.set_len(size).map_err(|_| io_error(ioerr::TRUNCATE))
    }

    fn sync(&mut self, kind: SyncKind) -> Result<()> {
        let f = self.f()?;
        let r = match kind {
            SyncKind::DataOnly => f.sync_data(),
            _ => f.sync_all(),
        };
        r.map_err(|_| io_error(ioerr::FSYNC))?;
        if self.dirsync_pending {
            self.dirsync_pending = false;
            sync_parent_dir(&self.path)?;
        }
        Ok(())
    }

    fn file_size(&mut self) -> Result<u64> {
        self.f()?.metadata().map(|m| m.len()).map_err(|_| io_error(ioerr::FSTAT))
    }

    fn lock(&mut self, level: LockLevel) -> Result<()> {
        if self.level >= level {
            return Ok(());
        }
        let inode = self.inode.clone();
        let mut ino = lock_inode(&inode);
        let file = self.f()?;
        let lock_err = |_| io_error(ioerr::LOCK);
        // Another connection of this process holds a different level that forbids ours.
        if self.level != ino.level && (ino.level >= LockLevel::Pending || level > LockLevel::Shared) {
            return Err(super::busy());
        }
        // SHARED while another connection of this process already holds SHARED or RESERVED:
        // the OS lock is already there.
        if level == LockLevel::Shared && (ino.level == LockLevel::Shared || ino.level == LockLevel::Reserved) {
            self.level = LockLevel::Shared;
            ino.n_shared += 1;
            ino.n_lock += 1;
            return Ok(());
        }
        if level == LockLevel::Shared || (level == LockLevel::Exclusive && self.level < LockLevel::Pending) {
            let kind = if level == LockLevel::Shared { libc::F_RDLCK } else { libc::F_WRLCK };
            if !set_lock(file, kind, PENDING_BYTE, 1).map_err(lock_err)? {
                return Err(super::busy());
            }
        }
        if level == LockLevel::Shared {
            let got = set_lock(file, libc::F_RDLCK, SHARED_FIRST, SHARED_SIZE).map_err(lock_err);
            let released = set_lock(file, libc::F_UNLCK, PENDING_BYTE, 1);
            if !got? {
                return Err(super::busy());
            }
            if released.is_err() {
                return Err(io_error(ioerr::UNLOCK));
            }
            self.level = LockLevel::Shared;
            ino.level = LockLevel::Shared;
            ino.n_lock += 1;
            ino.n_shared = 1;
            return Ok(());
        }
        if level == LockLevel::Exclusive && ino.n_shared > 1 {
            // Another connection of this process reads: hold PENDING and report busy.
            self.level = LockLevel::Pending;
            ino.level = LockLevel::Pending;
            return Err(super::busy());
        }
        let ok = match level {
            LockLevel::Reserved => set_lock(file, libc::F_WRLCK, RESERVED_BYTE, 1).map_err(lock_err)?,
            LockLevel::Exclusive => set_lock(file, libc::F_WRLCK, SHARED_FIRST, SHARED_SIZE).map_err(lock_err)?,
            _ => true, // PENDING is held implicitly by the EXCLUSIVE path above
        };
        if ok {
            self.level = level;
            ino.level = level;
            Ok(())
        } else {
            if level == LockLevel::Exclusive {
                self.level = LockLevel::Pending;
                ino.level = LockLevel::Pending;
            }
            Err(super::busy())
        }
    }

    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        if self.level <= level {
            return Ok(());
        }
        let inode = self.inode.clone();
        let mut ino = lock_inode(&inode);
        let Some(file) = self.file.as_ref() else { return Ok(()) };
        let mut result = Ok(());
        if self.level > LockLevel::Shared {
            if level == LockLevel::Shared
                && !set_lock(file, libc::F_RDLCK, SHARED_FIRST, SHARED_SIZE).unwrap_or(false)
            {
                result = Err(io_error(ioerr::RDLOCK));
            }
            if set_lock(file, libc::F_UNLCK, PENDING_BYTE, 2).is_err() {
                result = Err(io_error(ioerr::UNLOCK));
            }
            ino.level = LockLevel::Shared;
        }
        if level == LockLevel::None {
            ino.n_shared = ino.n_shared.saturating_sub(1);
            if ino.n_shared == 0 {
                if set_lock(file, libc::F_UNLCK, 0, 0).is_err() {
                    result = Err(io_error(ioerr::UNLOCK));
                }
                ino.level = LockLevel::None;
            }
            ino.n_lock = ino.n_lock.saturating_sub(1);
            if ino.n_lock == 0 {
                ino.deferred_close.clear();
            }
        }
        self.level = level;
        result
    }

    fn check_reserved_lock(&mut self) -> Result<bool> {
        let ino = lock_inode(&self.inode);
        if ino.level > LockLevel::Shared {
            return Ok(true);
        }
        let file = self.f()?;
        test_write_lock(file, RESERVED_BYTE, 1).map_err(|_| io_error(ioerr::CHECKRESERVEDLOCK))
    }

    fn lock_level(&self) -> LockLevel {
        self.level
    }

    fn sector_size(&self) -> u32 {
        4096
    }

    fn device_characteristics(&self) -> u32 {
        super::iocap::POWERSAFE_OVERWRITE
    }

    fn shm_open(&mut self) -> Result<Box<dyn super::shm::Shm>> {
        Ok(Box::new(super::unix_shm::UnixShm::open(self.key, &self.path)?))
    }
}

impl Vfs for UnixVfs {
    fn name(&self) -> &str {
        "unix"
    }

    fn open(&self, path: Option<&str>, options: OpenOptions) -> Result<Box<dyn VfsFile>> {
        let path = match path {
            Some(p) => p.to_string(),
            None => {
                let dir = std::env::var("SQLITE_TMPDIR")
                    .or_else(|_| std::env::var("TMPDIR"))
                    .unwrap_or_else(|_| "/var/tmp".into());
                let dir = if std::path::Path::new(&dir).is_dir() { dir } else { "/tmp".into() };
                let mut r = [0u8; 8];
                os_randomness(&mut r);
                format!("{dir}/etilqs_{:016x}", u64::from_le_bytes(r))
            }
        };
        let mut o = FsOpenOptions::new();
        o.read(true);
        if !options.read_only {
            o.write(true);
            if options.exclusive {
                o.create_new(true);
            } else if options.create {
                o.create(true);
            }
        }
        o.mode(0o644);
        let existed = std::path::Path::new(&path).exists();
        let file = o.open(&path).map_err(|e| {
            if std::path::Path::new(&path).is_dir() {
                Error::new(ioerr::CANTOPEN_ISDIR, "unable to open database file")
            } else {
                let _ = e;
                Error::from_code(code::CANTOPEN)
            }
        })?;
        let meta = file.metadata().map_err(|_| io_error(ioerr::FSTAT))?;
        if meta.is_dir() {
            return Err(Error::new(ioerr::CANTOPEN_ISDIR, "unable to open database file"));
        }
        let key = (meta.dev(), meta.ino());
        let inode = {
            let mut map = inodes().lock().unwrap_or_else(|p| p.into_inner());
            let entry = map.entry(key).or_default().clone();
            lock_inode(&entry).n_ref += 1;
            entry
        };
        if options.delete_on_close {
            // Unlinking at once (as SQLite does) leaves nothing behind after a crash.
            let _ = std::fs::remove_file(&path);
        }
        let dirsync_pending = !existed && options.kind == super::FileKind::MainJournal;
        Ok(Box::new(UnixFile { file: Some(file), inode, key, level: LockLevel::None, path, delete_on_close: false, dirsync_pending }))
    }

    fn delete(&self, path: &str, sync_dir: bool) -> Result<()> {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(io_error(ioerr::DELETE_NOENT)),
            Err(_) => return Err(io_error(ioerr::DELETE)),
        }
        if sync_dir {
            sync_parent_dir(path)?;
        }
        Ok(())
    }

    fn access(&self, path: &str, mode: AccessMode) -> Result<bool> {
        let p = std::path::Path::new(path);
        Ok(match mode {
            // As SQLite: an empty regular file does not count as existing (hot-journal rule).
            AccessMode::Exists => p.metadata().map(|m| !m.is_file() || m.len() > 0).unwrap_or(false),
            AccessMode::Read => File::open(p).is_ok(),
            AccessMode::ReadWrite => FsOpenOptions::new().read(true).write(true).open(p).is_ok(),
        })
    }

    fn full_pathname(&self, path: &str) -> Result<String> {
        let p = std::path::Path::new(path);
        if p.is_absolute() {
            return Ok(path.to_string());
        }
        let cwd = std::env::current_dir().map_err(|_| Error::new(ioerr::CANTOPEN_FULLPATH, "unable to open database file"))?;
        Ok(cwd.join(p).to_string_lossy().into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("ferrolite-vfs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn read_write_short_read_zero_fills() {
        let d = tmpdir("rw");
        let p = d.join("f.db");
        let vfs = UnixVfs::new();
        let mut f = vfs.open(Some(p.to_str().unwrap()), OpenOptions::main_db(false, true)).unwrap();
        f.write_at(b"hello", 10).unwrap();
        assert_eq!(f.file_size().unwrap(), 15);
        let mut buf = [0xffu8; 8];
        assert_eq!(f.read_at(&mut buf, 12).unwrap(), 3);
        assert_eq!(&buf, b"llo\0\0\0\0\0");
        f.truncate(4).unwrap();
        assert_eq!(f.file_size().unwrap(), 4);
        f.sync(SyncKind::Full).unwrap();
        drop(f);
        assert!(vfs.access(p.to_str().unwrap(), AccessMode::Exists).unwrap());
        vfs.delete(p.to_str().unwrap(), true).unwrap();
        assert_eq!(vfs.delete(p.to_str().unwrap(), false).unwrap_err().code, ioerr::DELETE_NOENT);
    }

    #[test]
    fn two_connections_in_one_process_follow_sqlite_rules() {
        let d = tmpdir("locks");
        let p = d.join("f.db");
        let vfs = UnixVfs::new();
        let path = p.to_str().unwrap();
        let mut a = vfs.open(Some(path), OpenOptions::main_db(false, true)).unwrap();
        let mut b = vfs.open(Some(path), OpenOptions::main_db(false, true)).unwrap();
        a.lock(LockLevel::Shared).unwrap();
        b.lock(LockLevel::Shared).unwrap();
        a.lock(LockLevel::Reserved).unwrap();
        assert!(b.check_reserved_lock().unwrap());
        // Only one RESERVED at a time.
        assert_eq!(b.lock(LockLevel::Reserved).unwrap_err().code, code::BUSY);
        // A cannot go EXCLUSIVE while B reads; it is left holding PENDING.
        assert_eq!(a.lock(LockLevel::Exclusive).unwrap_err().code, code::BUSY);
        assert_eq!(a.lock_level(), LockLevel::Pending);
        b.unlock(LockLevel::None).unwrap();
        // New readers are refused while PENDING is held.
        assert_eq!(b.lock(LockLevel::Shared).unwrap_err().code, code::BUSY);
        a.lock(LockLevel::Exclusive).unwrap();
        // Closing B's descriptor must not drop A's OS locks (deferred close).
        drop(b);
        a.unlock(LockLevel::None).unwrap();
        let mut c = vfs.open(Some(path), OpenOptions::main_db(false, true)).unwrap();
        c.lock(LockLevel::Exclusive).unwrap();
    }
}
