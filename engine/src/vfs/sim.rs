//! The simulation VFS for tests: injected I/O errors and simulated power loss.
//!
//! Every file has its current bytes and its *durable* bytes (what survived the last `sync`).
//! `SimVfs::crash_image()` returns a new `SimVfs` whose files hold only durable bytes: what a
//! disk would show after a power cut at this instant (writes since the last sync are lost
//! entirely, the pessimistic case of SQLite's crash-test VFS). `fail_after(n)` makes every
//! write, truncate, sync and delete after the next `n` of them fail with SQLITE_IOERR_WRITE,
//! _TRUNCATE, _FSYNC or _DELETE. `fail_once_at(k)` fails only the mutating operation numbered
//! `k` (counting from 0 since the VFS was made, as `op_count` does) and lets every later one
//! succeed: a test enumerates k = 0..op_count() of a clean run to fail each operation in turn.
//!
//! Invariants:
//! 1. A deleted file is gone from both images at once (unlink is treated as durable, as
//!    SQLite assumes with directory sync).
//! 2. Locks behave as in the memory VFS (one process, one connection per file in tests); the
//!    WAL-index is the default private heap one, lost in a crash like real shared memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{io_error, ioerr, system_time_ms, AccessMode, LockLevel, OpenOptions, SyncKind, Vfs, VfsFile};
use crate::error::{code, Error, Result};

#[derive(Clone, Default)]
struct SimData {
    current: Vec<u8>,
    durable: Vec<u8>,
}

#[derive(Default)]
struct SimState {
    files: HashMap<String, Arc<Mutex<SimData>>>,
    /// Writes/truncates/syncs still allowed before failures start (None: never fail).
    budget: Option<u64>,
    /// The number of the one mutating operation to fail (`fail_once_at`).
    fail_at: Option<u64>,
    /// Mutating operations performed (failed ones included).
    ops: u64,
    /// Operations failed so far: kind ("write", "truncate", "sync", "delete") and file.
    failed: Vec<(&'static str, String)>,
    /// Print every mutating operation to stderr (`set_trace`), for debugging a test.
    trace: bool,
    seed: u64,
}

#[derive(Clone, Default)]
pub struct SimVfs {
    state: Arc<Mutex<SimState>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SimVfs {
    pub fn new() -> SimVfs {
        SimVfs::default()
    }

    /// After `n` more mutating operations, every further one fails.
    pub fn fail_after(&self, n: u64) {
        lock(&self.state).budget = Some(n);
    }

    /// Fails exactly the mutating operation numbered `k` (the op_count() value before it),
    /// once; the others succeed.
    pub fn fail_once_at(&self, k: u64) {
        lock(&self.state).fail_at = Some(k);
    }

    /// Stops failing (both modes).
    pub fn heal(&self) {
        let mut st = lock(&self.state);
        st.budget = None;
        st.fail_at = None;
    }

    /// Prints every mutating operation (number, kind, file, offset) to stderr from now on.
    pub fn set_trace(&self, on: bool) {
        lock(&self.state).trace = on;
    }

    /// The kinds of the operations failed so far ("write", "truncate", "sync", "delete").
    pub fn failed_ops(&self) -> Vec<&'static str> {
        lock(&self.state).failed.iter().map(|f| f.0).collect()
    }

    /// The operations failed so far as (kind, file name).
    pub fn failed_ops_on(&self) -> Vec<(&'static str, String)> {
        lock(&self.state).failed.clone()
    }

    /// Mutating operations (write, truncate, sync) performed so far.
    pub fn op_count(&self) -> u64 {
        lock(&self.state).ops
    }

    /// A VFS holding what a disk would hold after a power cut now.
    pub fn crash_image(&self) -> SimVfs {
        let st = lock(&self.state);
        let mut files = HashMap::new();
        for (name, d) in &st.files {
            let d = lock(d);
            files.insert(
                name.clone(),
                Arc::new(Mutex::new(SimData { current: d.durable.clone(), durable: d.durable.clone() })),
            );
        }
        SimVfs { state: Arc::new(Mutex::new(SimState { files, seed: st.seed, ..SimState::default() })) }
    }

    /// The current bytes of a file (None when absent).
    pub fn file_bytes(&self, path: &str) -> Option<Vec<u8>> {
        lock(&self.state).files.get(path).map(|d| lock(d).current.clone())
    }

    /// Counts one mutating operation of `kind` on `file` at `at`; false when it must fail.
    fn charge(&self, kind: &'static str, file: &str, at: u64) -> bool {
        let mut st = lock(&self.state);
        let number = st.ops;
        st.ops += 1;
        let ok = match st.budget {
            Some(0) => false,
            Some(n) => {
                st.budget = Some(n - 1);
                true
            }
            None => true,
        } && st.fail_at != Some(number);
        if !ok {
            st.failed.push((kind, file.to_string()));
        }
        if st.trace {
            eprintln!("sim op {number}: {kind} {file} @{at}{}", if ok { "" } else { " FAILED" });
        }
        ok
    }
}

pub struct SimFile {
    vfs: SimVfs,
    path: String,
    data: Arc<Mutex<SimData>>,
    level: LockLevel,
}

impl VfsFile for SimFile {
    fn read_at(&mut self, buf: &mut [u8], offset: u64) -> Result<usize> {
        let d = lock(&self.data);
        let start = (offset as usize).min(d.current.len());
        let n = (d.current.len() - start).min(buf.len());
        buf[..n].copy_from_slice(&d.current[start..start + n]);
        buf[n..].fill(0);
        Ok(n)
    }

    fn write_at(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        if !self.vfs.charge("write", &self.path, offset) {
            return Err(io_error(ioerr::WRITE));
        }
        let mut d = lock(&self.data);
        let end = offset as usize + buf.len();
        if d.current.len() < end {
            d.current.resize(end, 0);
        }
        d.current[offset as usize..end].copy_from_slice(buf);
        Ok(())
    }

    fn truncate(&mut self, size: u64) -> Result<()> {
        if !self.vfs.charge("truncate", &self.path, size) {
            return Err(io_error(ioerr::TRUNCATE));
        }
        let mut d = lock(&self.data);
        if (size as usize) < d.current.len() {
            d.current.truncate(size as usize);
        }
        Ok(())
    }

    fn sync(&mut self, _kind: SyncKind) -> Result<()> {
        if !self.vfs.charge("sync", &self.path, 0) {
            return Err(io_error(ioerr::FSYNC));
        }
        let mut d = lock(&self.data);
        d.durable = d.current.clone();
        Ok(())
    }

    fn file_size(&mut self) -> Result<u64> {
        Ok(lock(&self.data).current.len() as u64)
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
}

impl Vfs for SimVfs {
    fn name(&self) -> &str {
        "sim"
    }

    fn open(&self, path: Option<&str>, options: OpenOptions) -> Result<Box<dyn VfsFile>> {
        let data = match path {
            None => Arc::new(Mutex::new(SimData::default())),
            Some(p) => {
                let mut st = lock(&self.state);
                match st.files.get(p) {
                    Some(d) => d.clone(),
                    None if options.create => {
                        let d = Arc::new(Mutex::new(SimData::default()));
                        st.files.insert(p.to_string(), d.clone());
                        d
                    }
                    None => return Err(Error::from_code(code::CANTOPEN)),
                }
            }
        };
        Ok(Box::new(SimFile { vfs: self.clone(), path: path.unwrap_or("").to_string(), data, level: LockLevel::None }))
    }

    fn delete(&self, path: &str, _sync_dir: bool) -> Result<()> {
        if !self.charge("delete", path, 0) {
            return Err(io_error(ioerr::DELETE));
        }
        match lock(&self.state).files.remove(path) {
            Some(_) => Ok(()),
            None => Err(io_error(ioerr::DELETE_NOENT)),
        }
    }

    fn access(&self, path: &str, _mode: AccessMode) -> Result<bool> {
        let st = lock(&self.state);
        Ok(st.files.get(path).map(|d| !lock(d).current.is_empty()).unwrap_or(false))
    }

    fn full_pathname(&self, path: &str) -> Result<String> {
        Ok(path.to_string())
    }

    fn randomness(&self, buf: &mut [u8]) {
        let mut st = lock(&self.state);
        for b in buf.iter_mut() {
            st.seed = st.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            *b = (st.seed >> 33) as u8;
        }
    }

    fn sleep(&self, micros: u64) -> u64 {
        micros
    }

    fn current_time_ms(&self) -> i64 {
        system_time_ms()
    }
}
