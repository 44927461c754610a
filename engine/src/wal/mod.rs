//! WAL: SQLite's write-ahead log: frames appended to `<db>-wal`, found through the WAL-index
//! (`<db>-shm`, see `index`), copied back into the database by checkpoints.
//!
//! Files: `format` (the WAL file: header, frames, checksums), `index` (the WAL-index layout
//! in shared memory), this file (the protocol: recovery, read and write transactions,
//! checkpoint, restart, close), following SQLite's wal.c protocol so that real SQLite
//! processes can share the database with us.
//!
//! Protocol (lock slots of the WAL-index, see `vfs::shm`):
//! - Recovery: WRITE, CKPT and RECOVER exclusive; the WAL is scanned, the index rebuilt from
//!   its valid committed frames, read marks reset.
//! - Read transaction: a header snapshot (mxFrame) and one READ(i) slot held shared: READ0
//!   when every frame is backfilled (the database file alone is read), else a slot whose read
//!   mark is at most mxFrame (set to mxFrame under a short exclusive lock when none is).
//! - Write transaction: WRITE exclusive, only from the newest snapshot (else BUSY_SNAPSHOT);
//!   frames are appended after mxFrame, the last carrying the database size (commit frame);
//!   the index and then its header are updated. A spill appends frames without a commit
//!   flag and leaves the header alone (they are published with the commit, or forgotten).
//!   When all frames were checkpointed and no reader uses the WAL, the writer restarts it
//!   from frame 1 with new salts.
//! - Checkpoint: CKPT exclusive; backfill up to the smallest frame a live reader may need
//!   (mxSafeFrame), with READ0 exclusive while database pages are written.
//!
//! Invariants:
//! 1. A frame past the snapshot's mxFrame is never read; a page is read from the WAL when the
//!    snapshot has a frame for it, else from the database file.
//! 2. No frame is overwritten while a reader may need it: a restart needs READ1..4 exclusive.
//! 3. The database file is written only by a checkpoint, only with frames <= mxSafeFrame, and
//!    nBackfill is raised only after the database file is synced.
//! 4. Every wait is the caller's: lock conflicts return SQLITE_BUSY (a read retries a bounded
//!    number of times for transient states, as SQLite's WAL_RETRY).

pub mod format;
pub mod index;

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::vfs::shm::{Shm, SHM_CKPT, SHM_READ0, SHM_RECOVER, SHM_WRITE};
use crate::vfs::{busy, ioerr, FileKind, OpenOptions, SyncKind, Vfs, VfsFile};
use format::{frame_offset, WalHeader, FRAME_HEADER_SIZE, WAL_HEADER_SIZE};
use index::{CkptInfo, IndexHdr, N_READER, READMARK_NOT_USED};

/// `PRAGMA wal_autocheckpoint` default (pages).
pub const DEFAULT_AUTOCHECKPOINT: u32 = 1000;

/// `sqlite3_wal_checkpoint_v2` modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckpointMode {
    Passive = 0,
    Full = 1,
    Restart = 2,
    Truncate = 3,
}

/// What a checkpoint reports (`PRAGMA wal_checkpoint` columns): whether it was blocked
/// (SQLITE_BUSY for FULL/RESTART/TRUNCATE that could not finish), frames in the WAL, frames
/// checkpointed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckpointResult {
    pub busy: bool,
    pub log_frames: u32,
    pub checkpointed: u32,
}

fn read_slot(i: usize) -> usize {
    SHM_READ0 + i
}

fn busy_snapshot() -> Error {
    Error::new(ioerr::BUSY_SNAPSHOT, "database is locked")
}

fn corrupt_wal(what: &str) -> Error {
    Error::new(code::CORRUPT, format!("database disk image is malformed ({what})"))
}

/// A write transaction that has spilled frames but not committed.
struct PendingTxn {
    /// The header it will publish (mx_frame = its last frame, frame_cksum = running checksum).
    hdr: IndexHdr,
    wal_hdr: WalHeader,
    /// Page → the frame it mapped to before this transaction (to undo the frame map).
    undo: HashMap<u32, Option<u32>>,
    uses_wal_before: bool,
}

/// One connection's view of the WAL of a database.
pub struct Wal {
    vfs: Arc<dyn Vfs>,
    wal_path: String,
    file: Box<dyn VfsFile>,
    shm: Box<dyn Shm>,
    read_only: bool,
    /// Page size of the database (used when the WAL is empty).
    db_page_size: u32,
    /// The snapshot of the current read transaction.
    hdr: IndexHdr,
    read_lock: Option<usize>,
    /// The snapshot reads pages from the WAL (a READ(i>0) lock, or our own commit on top
    /// of a READ0 snapshot); false: the database file alone.
    uses_wal: bool,
    write_lock: bool,
    txn: Option<PendingTxn>,
    /// This connection holds CKPT exclusive (inside `checkpoint`).
    ckpt_lock: bool,
    /// Page → newest frame <= hdr.mx_frame (when read_lock > 0).
    frames: HashMap<u32, u32>,
    frames_salt: [u8; 8],
    frames_upto: u32,
    /// Sync the WAL at each commit (synchronous=FULL and above).
    pub sync_on_commit: bool,
    /// Sync at checkpoints (synchronous != OFF).
    pub sync_on_checkpoint: bool,
}

impl Wal {
    /// Opens (creating it when absent) the WAL beside `db_path`, with the WAL-index `shm`.
    pub fn open(vfs: Arc<dyn Vfs>, db_path: &str, shm: Box<dyn Shm>, read_only: bool, db_page_size: u32) -> Result<Wal> {
        let wal_path = format!("{db_path}-wal");
        // As SQLite: the WAL is opened (created if need be) read-write even by a read-only
        // connection; failing that read-only; a reader with no WAL file at all sees none.
        let opts = OpenOptions { kind: FileKind::Wal, read_only: false, create: true, exclusive: false, delete_on_close: false };
        let file = match vfs.open(Some(&wal_path), opts) {
            Ok(f) => f,
            Err(e) => match vfs.open(Some(&wal_path), OpenOptions { read_only: true, create: false, ..opts }) {
                Ok(f) => f,
                Err(_) if read_only => Box::new(crate::vfs::memory::MemoryFile::new()) as Box<dyn VfsFile>,
                Err(_) => return Err(e),
            },
        };
        Ok(Wal {
            vfs,
            wal_path,
            file,
            shm,
            read_only,
            db_page_size,
            hdr: IndexHdr::default(),
            read_lock: None,
            uses_wal: false,
            write_lock: false,
            txn: None,
            ckpt_lock: false,
            frames: HashMap::new(),
            frames_salt: [0; 8],
            frames_upto: 0,
            sync_on_commit: true,
            sync_on_checkpoint: true,
        })
    }

    pub fn path(&self) -> &str {
        &self.wal_path
    }

    /// Database size in pages per the snapshot (None: the WAL has no frame; use the file's).
    pub fn db_size(&self) -> Option<u32> {
        (self.uses_wal && self.hdr.mx_frame > 0).then_some(self.hdr.n_page)
    }

    /// Page size of the WAL's frames (valid while the WAL has frames).
    pub fn page_size(&self) -> u32 {
        self.hdr.page_size
    }

    /// Frames in the WAL as of the snapshot.
    pub fn mx_frame(&self) -> u32 {
        self.hdr.mx_frame
    }

    pub fn in_read(&self) -> bool {
        self.read_lock.is_some()
    }

    // ---- recovery ---------------------------------------------------------------------------

    /// Reads a valid index header, running recovery when it is not initialised or torn.
    /// Err(BUSY) when another connection holds the locks needed (caller retries).
    fn read_or_recover_hdr(&mut self) -> Result<IndexHdr> {
        if let Some(h) = index::read_hdr(self.shm.as_mut())? {
            return Ok(h);
        }
        // Recovery writes only the WAL-index, so read-only connections run it too.
        self.shm.lock(SHM_WRITE, 1, true)?;
        let r = self.recover_locked();
        let _ = self.shm.unlock(SHM_WRITE, 1);
        r
    }

    fn recover_locked(&mut self) -> Result<IndexHdr> {
        // CKPT and RECOVER exclusive (a checkpointer already holds CKPT).
        let (first, n) = if self.ckpt_lock { (SHM_RECOVER, 1) } else { (SHM_CKPT, 2) };
        self.shm.lock(first, n, true)?;
        let r = (|| {
            if let Some(h) = index::read_hdr(self.shm.as_mut())? {
                return Ok(h); // someone else recovered meanwhile
            }
            let mut hdr = IndexHdr { page_size: self.db_page_size, ..Default::default() };
            let mut pgnos = Vec::new();
            let size = self.file.file_size()?;
            let mut wh = [0u8; WAL_HEADER_SIZE];
            if size >= WAL_HEADER_SIZE as u64 {
                self.file.read_at(&mut wh, 0)?;
            }
            if let Some(w) = WalHeader::decode(&wh) {
                hdr.page_size = w.page_size;
                hdr.big_endian_cksum = w.big_endian_cksum;
                hdr.salt = w.salt;
                hdr.frame_cksum = w.cksum;
                let ps = w.page_size as usize;
                let fsz = FRAME_HEADER_SIZE + ps;
                let mut cksum = w.cksum;
                let mut frame = 0u32;
                let chunk_frames = (1 << 20) / fsz + 1;
                let mut buf = vec![0u8; chunk_frames * fsz];
                'scan: loop {
                    let off = frame_offset(frame + 1, w.page_size);
                    if off + fsz as u64 > size {
                        break;
                    }
                    let n = ((size - off) as usize / fsz).min(chunk_frames);
                    let got = self.file.read_at(&mut buf[..n * fsz], off)?;
                    if got < n * fsz {
                        break;
                    }
                    for k in 0..n {
                        let f = &buf[k * fsz..(k + 1) * fsz];
                        let Some((pgno, commit, c)) = format::decode_frame(&w, f, cksum) else { break 'scan };
                        cksum = c;
                        frame += 1;
                        pgnos.push(pgno);
                        if commit > 0 {
                            hdr.mx_frame = frame;
                            hdr.n_page = commit;
                            hdr.frame_cksum = c;
                        }
                    }
                }
                pgnos.truncate(hdr.mx_frame as usize);
            }
            if !pgnos.is_empty() {
                index::append(self.shm.as_mut(), 1, &pgnos)?;
            }
            let old = index::read_hdr_bytes(self.shm.as_mut())?;
            hdr.change = u32::from_ne_bytes(old[8..12].try_into().expect("4"));
            index::write_hdr(self.shm.as_mut(), &mut hdr)?;
            index::write_n_backfill(self.shm.as_mut(), 0)?;
            index::write_n_backfill_attempted(self.shm.as_mut(), hdr.mx_frame)?;
            index::write_read_mark(self.shm.as_mut(), 0, 0)?;
            for i in 1..N_READER {
                if self.shm.lock(read_slot(i), 1, true).is_ok() {
                    let v = if i == 1 && hdr.mx_frame > 0 { hdr.mx_frame } else { READMARK_NOT_USED };
                    index::write_read_mark(self.shm.as_mut(), i, v)?;
                    self.shm.unlock(read_slot(i), 1)?;
                }
            }
            Ok(hdr)
        })();
        let _ = self.shm.unlock(first, n);
        r
    }

    // ---- read transactions -----------------------------------------------------------------

    /// Starts a read transaction: snapshot + read lock. Returns true when the snapshot differs
    /// from the previous one (the caller's page cache may be stale).
    pub fn begin_read(&mut self) -> Result<bool> {
        if self.read_lock.is_some() {
            return Ok(false);
        }
        let prev = self.hdr;
        let mut last_err = busy();
        for attempt in 0u64..100 {
            if attempt > 5 {
                self.vfs.sleep((attempt * attempt).min(10_000));
            }
            match self.try_begin_read() {
                Ok(()) => {
                    self.load_frames()?;
                    let h = self.hdr;
                    let changed = h.mx_frame != prev.mx_frame || h.salt != prev.salt || h.n_page != prev.n_page || !prev.is_init;
                    return Ok(changed);
                }
                Err(e) if e.primary() == code::BUSY => last_err = e,
                Err(e) => return Err(e),
            }
        }
        Err(last_err)
    }

    fn try_begin_read(&mut self) -> Result<()> {
        let hdr = self.read_or_recover_hdr()?;
        let ck = index::read_ckpt(self.shm.as_mut())?;
        if hdr.mx_frame == 0 || ck.n_backfill == hdr.mx_frame {
            self.shm.lock(read_slot(0), 1, false)?;
            if index::read_hdr(self.shm.as_mut())? != Some(hdr) {
                self.shm.unlock(read_slot(0), 1)?;
                return Err(busy());
            }
            self.hdr = hdr;
            self.read_lock = Some(0);
            self.uses_wal = false;
            return Ok(());
        }
        let (mut mx_mark, mut mx_i) = (0u32, 0usize);
        for i in 1..N_READER {
            let m = ck.read_mark[i];
            if m != READMARK_NOT_USED && m >= mx_mark && m <= hdr.mx_frame {
                mx_mark = m;
                mx_i = i;
            }
        }
        if mx_i == 0 || mx_mark < hdr.mx_frame {
            for i in 1..N_READER {
                if self.shm.lock(read_slot(i), 1, true).is_ok() {
                    index::write_read_mark(self.shm.as_mut(), i, hdr.mx_frame)?;
                    self.shm.unlock(read_slot(i), 1)?;
                    mx_mark = hdr.mx_frame;
                    mx_i = i;
                    break;
                }
            }
        }
        if mx_i == 0 {
            return Err(busy());
        }
        self.shm.lock(read_slot(mx_i), 1, false)?;
        let ck2 = index::read_ckpt(self.shm.as_mut())?;
        if ck2.read_mark[mx_i] != mx_mark || index::read_hdr(self.shm.as_mut())? != Some(hdr) {
            self.shm.unlock(read_slot(mx_i), 1)?;
            return Err(busy());
        }
        self.hdr = hdr;
        self.read_lock = Some(mx_i);
        self.uses_wal = true;
        Ok(())
    }

    /// Brings the page → frame map up to the snapshot.
    fn load_frames(&mut self) -> Result<()> {
        if !self.uses_wal {
            return Ok(());
        }
        let h = self.hdr;
        if h.salt != self.frames_salt || h.mx_frame < self.frames_upto {
            self.frames.clear();
            self.frames_upto = 0;
            self.frames_salt = h.salt;
        }
        if h.mx_frame > self.frames_upto {
            self.check_mx_frame(&h)?;
            let pgnos = index::read_pgnos(self.shm.as_mut(), self.frames_upto + 1, h.mx_frame)?;
            for (k, p) in pgnos.into_iter().enumerate() {
                if p == 0 {
                    return Err(corrupt_wal("WAL-index entry missing"));
                }
                self.frames.insert(p, self.frames_upto + 1 + k as u32);
            }
            self.frames_upto = h.mx_frame;
        }
        Ok(())
    }

    /// Bytes from shared memory are untrusted: mxFrame must fit in the WAL file (frames are
    /// written before the header that counts them), which bounds every scan of the index.
    fn check_mx_frame(&mut self, h: &IndexHdr) -> Result<()> {
        let ps = h.page_size.max(512) as u64;
        let capacity = self.file.file_size()?.saturating_sub(WAL_HEADER_SIZE as u64) / (FRAME_HEADER_SIZE as u64 + ps);
        if h.mx_frame as u64 > capacity {
            return Err(corrupt_wal("WAL-index counts more frames than the WAL holds"));
        }
        Ok(())
    }

    pub fn end_read(&mut self) {
        self.uses_wal = false;
        if let Some(i) = self.read_lock.take() {
            let _ = self.shm.unlock(read_slot(i), 1);
        }
    }

    /// The frame holding page `pgno` in the snapshot, if any.
    pub fn find_frame(&self, pgno: u32) -> Option<u32> {
        if !self.uses_wal {
            return None;
        }
        let limit = self.txn.as_ref().map_or(self.hdr.mx_frame, |t| t.hdr.mx_frame);
        self.frames.get(&pgno).copied().filter(|&f| f <= limit)
    }

    /// Reads the page image of `frame` into `buf` (one page).
    pub fn read_frame(&mut self, frame: u32, buf: &mut [u8]) -> Result<()> {
        let ps = self.txn.as_ref().map_or(self.hdr.page_size, |t| t.hdr.page_size);
        let off = frame_offset(frame, ps) + FRAME_HEADER_SIZE as u64;
        let n = self.file.read_at(buf, off)?;
        if n < buf.len() {
            return Err(corrupt_wal("WAL frame past the end of the WAL file"));
        }
        Ok(())
    }

    // ---- write transactions ----------------------------------------------------------------

    /// Takes the WRITE lock; the read snapshot must be the newest (else BUSY_SNAPSHOT).
    pub fn begin_write(&mut self) -> Result<()> {
        if self.write_lock {
            return Ok(());
        }
        if self.read_only {
            return Err(Error::from_code(code::READONLY));
        }
        if self.read_lock.is_none() {
            return Err(Error::new(code::MISUSE, "WAL write outside a read transaction"));
        }
        self.shm.lock(SHM_WRITE, 1, true)?;
        if index::read_hdr(self.shm.as_mut())? != Some(self.hdr) {
            let _ = self.shm.unlock(SHM_WRITE, 1);
            return Err(busy_snapshot());
        }
        self.write_lock = true;
        Ok(())
    }

    /// Ends the write transaction; frames appended without a commit are abandoned.
    pub fn end_write(&mut self) {
        self.undo_txn();
        if self.write_lock {
            let _ = self.shm.unlock(SHM_WRITE, 1);
            self.write_lock = false;
        }
    }

    /// Restarts the WAL from frame 1 when every frame is in the database and no reader uses
    /// the WAL (READ1..4 free). Called by the writer before its first frame.
    fn maybe_restart(&mut self) -> Result<()> {
        if self.read_lock != Some(0) || self.hdr.mx_frame == 0 {
            return Ok(());
        }
        let ck = index::read_ckpt(self.shm.as_mut())?;
        if ck.n_backfill != self.hdr.mx_frame {
            return Ok(());
        }
        if self.shm.lock(read_slot(1), N_READER - 1, true).is_ok() {
            let r = self.restart_hdr();
            let _ = self.shm.unlock(read_slot(1), N_READER - 1);
            r?;
        }
        Ok(())
    }

    /// SQLite's walRestartHdr: mxFrame 0, salt-1 + 1, new salt-2, read marks reset.
    fn restart_hdr(&mut self) -> Result<()> {
        let mut h = self.hdr;
        let s1 = u32::from_be_bytes(h.salt[0..4].try_into().expect("4")).wrapping_add(1);
        let mut s2 = [0u8; 4];
        self.vfs.randomness(&mut s2);
        h.salt[0..4].copy_from_slice(&s1.to_be_bytes());
        h.salt[4..8].copy_from_slice(&s2);
        h.mx_frame = 0;
        index::write_hdr(self.shm.as_mut(), &mut h)?;
        index::write_n_backfill(self.shm.as_mut(), 0)?;
        index::write_n_backfill_attempted(self.shm.as_mut(), 0)?;
        index::write_read_mark(self.shm.as_mut(), 1, 0)?;
        for i in 2..N_READER {
            index::write_read_mark(self.shm.as_mut(), i, READMARK_NOT_USED)?;
        }
        self.hdr = h;
        Ok(())
    }

    /// Appends the pages of one transaction (sorted page numbers, one image each), the last
    /// frame marked as a commit with the database size `db_size`; publishes them.
    pub fn append_commit(&mut self, pages: &[(u32, &[u8])], db_size: u32, page_size: u32) -> Result<()> {
        self.append_frames(pages, Some(db_size), page_size)
    }

    /// Appends frames for `pages`. With `commit` (the database size), the last frame is the
    /// commit frame and the transaction is published in the WAL-index header; without it the
    /// frames are a spill of a transaction still open (SQLite's pagerStress in WAL mode):
    /// indexed but past mxFrame, so invisible to every other connection until the commit.
    pub fn append_frames(&mut self, pages: &[(u32, &[u8])], commit: Option<u32>, page_size: u32) -> Result<()> {
        if !self.write_lock {
            return Err(Error::new(code::MISUSE, "WAL append without the WRITE lock"));
        }
        if pages.is_empty() {
            return Ok(());
        }
        let mut t = match self.txn.take() {
            Some(t) => t,
            None => self.start_txn(page_size)?,
        };
        if t.hdr.page_size != page_size {
            return Err(corrupt_wal("WAL page size differs from the database's"));
        }
        let first = t.hdr.mx_frame + 1;
        let mut buf = Vec::with_capacity(pages.len() * (FRAME_HEADER_SIZE + page_size as usize));
        let mut c = t.hdr.frame_cksum;
        for (k, (pgno, data)) in pages.iter().enumerate() {
            let size = if k + 1 == pages.len() { commit.unwrap_or(0) } else { 0 };
            let (f, nc) = format::encode_frame(&t.wal_hdr, *pgno, size, &data[..page_size as usize], c);
            buf.extend_from_slice(&f);
            c = nc;
        }
        let r = (|| {
            self.file.write_at(&buf, frame_offset(first, page_size))?;
            if commit.is_some() && self.sync_on_commit {
                self.file.sync(SyncKind::Normal)?;
            }
            let pgnos: Vec<u32> = pages.iter().map(|(p, _)| *p).collect();
            index::append(self.shm.as_mut(), first, &pgnos)
        })();
        if let Err(e) = r {
            self.txn = Some(t);
            return Err(e);
        }
        t.hdr.mx_frame = first + pages.len() as u32 - 1;
        t.hdr.frame_cksum = c;
        // Our own frames are visible to us at once (the map keeps what they shadow, so an
        // abandoned transaction can be undone without I/O).
        if !self.uses_wal {
            self.uses_wal = true;
            self.load_frames()?;
        }
        for (k, (pgno, _)) in pages.iter().enumerate() {
            let old = self.frames.insert(*pgno, first + k as u32);
            t.undo.entry(*pgno).or_insert(old);
        }
        match commit {
            Some(size) => {
                t.hdr.n_page = size;
                index::write_hdr(self.shm.as_mut(), &mut t.hdr)?;
                // Our snapshot is now the new state. We still hold our read lock, whose mark
                // may be older: no checkpoint passes it (READ0 blocks backfill, READ(i) caps
                // mxSafeFrame) and no restart happens under it, so our frames stay readable.
                self.hdr = t.hdr;
                self.frames_salt = t.hdr.salt;
                self.frames_upto = t.hdr.mx_frame;
            }
            None => self.txn = Some(t),
        }
        Ok(())
    }

    /// The state of a write transaction's first frame: a restart when possible, and a new WAL
    /// header when the WAL is empty.
    fn start_txn(&mut self, page_size: u32) -> Result<PendingTxn> {
        self.maybe_restart()?;
        let mut h = self.hdr;
        let wal_hdr = if h.mx_frame == 0 {
            // A new WAL generation: salts that no frame of the old one carries.
            let mut old = [0u8; WAL_HEADER_SIZE];
            self.file.read_at(&mut old, 0)?;
            let (seq, s1) = match WalHeader::decode(&old) {
                Some(o) => (o.ckpt_seq.wrapping_add(1), u32::from_be_bytes(o.salt[0..4].try_into().expect("4"))),
                None => (0, u32::from_be_bytes(h.salt[0..4].try_into().expect("4"))),
            };
            let mut salt = [0u8; 8];
            self.vfs.randomness(&mut salt);
            let s1 = if h.salt == [0; 8] && seq == 0 { u32::from_be_bytes(salt[0..4].try_into().expect("4")) } else { s1.wrapping_add(1) };
            salt[0..4].copy_from_slice(&s1.to_be_bytes());
            let w = WalHeader::new(page_size, seq, salt);
            self.file.write_at(&w.encode(), 0)?;
            h.salt = w.salt;
            h.big_endian_cksum = w.big_endian_cksum;
            h.frame_cksum = w.cksum;
            h.page_size = page_size;
            w
        } else {
            WalHeader { big_endian_cksum: h.big_endian_cksum, page_size: h.page_size, ckpt_seq: 0, salt: h.salt, cksum: [0; 2] }
        };
        Ok(PendingTxn { hdr: h, wal_hdr, undo: HashMap::new(), uses_wal_before: self.uses_wal })
    }

    /// Forgets the frames of an uncommitted transaction (they stay in the file past mxFrame,
    /// where nobody reads them, and are overwritten by the next writer).
    fn undo_txn(&mut self) {
        if let Some(t) = self.txn.take() {
            for (pgno, old) in t.undo {
                match old {
                    Some(f) => self.frames.insert(pgno, f),
                    None => self.frames.remove(&pgno),
                };
            }
            self.uses_wal = t.uses_wal_before;
        }
    }

    // ---- checkpoint ------------------------------------------------------------------------

    /// Runs a checkpoint of `mode`, writing pages into `db` (the database file).
    pub fn checkpoint(&mut self, db: &mut dyn VfsFile, mode: CheckpointMode) -> Result<CheckpointResult> {
        if self.read_only {
            return Err(Error::from_code(code::READONLY));
        }
        self.shm.lock(SHM_CKPT, 1, true)?;
        self.ckpt_lock = true;
        let mut took_write = false;
        let mut mode2 = mode;
        if mode >= CheckpointMode::Full && !self.write_lock {
            if self.shm.lock(SHM_WRITE, 1, true).is_ok() {
                took_write = true;
            } else {
                mode2 = CheckpointMode::Passive;
            }
        }
        let holds_write = took_write || self.write_lock;
        let r = self.checkpoint_locked(db, mode2, holds_write);
        if took_write {
            let _ = self.shm.unlock(SHM_WRITE, 1);
        }
        let _ = self.shm.unlock(SHM_CKPT, 1);
        self.ckpt_lock = false;
        let mut res = r?;
        if mode2 != mode {
            res.busy = true;
        }
        Ok(res)
    }

    fn checkpoint_locked(&mut self, db: &mut dyn VfsFile, mode: CheckpointMode, holds_write: bool) -> Result<CheckpointResult> {
        let hdr = match index::read_hdr(self.shm.as_mut())? {
            Some(h) => h,
            // Recovery needs WRITE; a FULL/RESTART/TRUNCATE checkpoint already holds it and
            // must keep holding it (a restart under a live writer would lose its frames).
            None if holds_write => self.recover_locked()?,
            None => self.read_or_recover_hdr()?,
        };
        self.check_mx_frame(&hdr)?;
        let mut busy_flag = false;
        let ck: CkptInfo = index::read_ckpt(self.shm.as_mut())?;
        if hdr.mx_frame > 0 && ck.n_backfill < hdr.mx_frame {
            let mut safe = hdr.mx_frame;
            for i in 1..N_READER {
                let y = ck.read_mark[i];
                if safe > y {
                    if self.shm.lock(read_slot(i), 1, true).is_ok() {
                        let v = if i == 1 { safe } else { READMARK_NOT_USED };
                        index::write_read_mark(self.shm.as_mut(), i, v)?;
                        self.shm.unlock(read_slot(i), 1)?;
                    } else {
                        safe = y;
                        if mode != CheckpointMode::Passive {
                            busy_flag = true;
                        }
                    }
                }
            }
            if ck.n_backfill < safe {
                if self.shm.lock(read_slot(0), 1, true).is_ok() {
                    let r = self.backfill(db, &hdr, ck.n_backfill, safe);
                    let _ = self.shm.unlock(read_slot(0), 1);
                    r?;
                } else {
                    busy_flag = true;
                }
            }
        }
        let ck = index::read_ckpt(self.shm.as_mut())?;
        if mode >= CheckpointMode::Full && ck.n_backfill < hdr.mx_frame {
            busy_flag = true;
        }
        let mut log_frames = hdr.mx_frame;
        let mut checkpointed = ck.n_backfill;
        if mode >= CheckpointMode::Restart && !busy_flag {
            if self.shm.lock(read_slot(1), N_READER - 1, true).is_ok() {
                if mode == CheckpointMode::Truncate {
                    let saved = self.hdr;
                    self.hdr = hdr;
                    let r = self.restart_hdr();
                    let restarted = self.hdr;
                    self.hdr = if self.read_lock.is_some() { saved } else { restarted };
                    let r = r.and_then(|_| self.file.truncate(0));
                    let _ = self.shm.unlock(read_slot(1), N_READER - 1);
                    r?;
                    log_frames = 0;
                    checkpointed = 0;
                } else {
                    let _ = self.shm.unlock(read_slot(1), N_READER - 1);
                }
            } else {
                busy_flag = true;
            }
        }
        Ok(CheckpointResult { busy: busy_flag, log_frames, checkpointed })
    }

    /// Copies the newest frame of each page in (from, to] into the database file.
    fn backfill(&mut self, db: &mut dyn VfsFile, hdr: &IndexHdr, from: u32, to: u32) -> Result<()> {
        if self.sync_on_checkpoint {
            self.file.sync(SyncKind::Normal)?;
        }
        let pgnos = index::read_pgnos(self.shm.as_mut(), 1, to)?;
        let mut newest: HashMap<u32, u32> = HashMap::new();
        for (k, p) in pgnos.iter().enumerate() {
            newest.insert(*p, k as u32 + 1);
        }
        let mut todo: Vec<(u32, u32)> = newest.into_iter().filter(|&(p, f)| f > from && p <= hdr.n_page && p != 0).collect();
        todo.sort_unstable();
        index::write_n_backfill_attempted(self.shm.as_mut(), to)?;
        let ps = hdr.page_size as usize;
        let mut page = vec![0u8; ps];
        for (pgno, frame) in todo {
            let off = frame_offset(frame, hdr.page_size) + FRAME_HEADER_SIZE as u64;
            if self.file.read_at(&mut page, off)? < ps {
                return Err(corrupt_wal("WAL frame past the end of the WAL file"));
            }
            db.write_at(&page, (pgno as u64 - 1) * ps as u64)?;
        }
        if to == hdr.mx_frame {
            let want = hdr.n_page as u64 * ps as u64;
            if db.file_size()? > want {
                db.truncate(want)?;
            }
        }
        if self.sync_on_checkpoint {
            db.sync(SyncKind::Normal)?;
        }
        index::write_n_backfill(self.shm.as_mut(), to)
    }

    // ---- close -----------------------------------------------------------------------------

    /// Detaches. With `last` (the caller holds EXCLUSIVE on the database file: no other
    /// connection anywhere), everything is checkpointed and the -wal and -shm files deleted.
    pub fn close(mut self, db: &mut dyn VfsFile, last: bool) -> Result<()> {
        self.end_write();
        self.end_read();
        let mut delete = false;
        if last && !self.read_only {
            let r = self.checkpoint(db, CheckpointMode::Passive);
            delete = matches!(r, Ok(CheckpointResult { busy: false, log_frames, checkpointed }) if log_frames == checkpointed);
        }
        let _ = self.shm.close(delete);
        if delete {
            let (vfs, wal_path) = (self.vfs.clone(), self.wal_path.clone());
            drop(self);
            match vfs.delete(&wal_path, false) {
                Ok(()) => {}
                Err(e) if e.code == ioerr::DELETE_NOENT => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl Drop for Wal {
    fn drop(&mut self) {
        self.end_write();
        self.end_read();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::memory::MemoryVfs;
    use crate::vfs::shm::HeapShm;

    fn wal(vfs: &Arc<dyn Vfs>) -> Wal {
        Wal::open(vfs.clone(), "db", Box::new(HeapShm::new()), false, 512).unwrap()
    }

    fn commit(w: &mut Wal, pages: &[(u32, u8)], size: u32) {
        w.begin_read().unwrap();
        w.begin_write().unwrap();
        let imgs: Vec<(u32, Vec<u8>)> = pages.iter().map(|&(p, b)| (p, vec![b; 512])).collect();
        let refs: Vec<(u32, &[u8])> = imgs.iter().map(|(p, d)| (*p, &d[..])).collect();
        w.append_commit(&refs, size, 512).unwrap();
        w.end_write();
        w.end_read();
    }

    fn page(w: &mut Wal, pgno: u32) -> Option<u8> {
        let f = w.find_frame(pgno)?;
        let mut buf = vec![0u8; 512];
        w.read_frame(f, &mut buf).unwrap();
        Some(buf[0])
    }

    #[test]
    fn recovery_rebuilds_the_index_and_drops_a_torn_transaction() {
        let vfs: Arc<dyn Vfs> = Arc::new(MemoryVfs::new());
        let mut w = wal(&vfs);
        commit(&mut w, &[(1, 1), (2, 2)], 2);
        commit(&mut w, &[(2, 3), (3, 4)], 3);
        commit(&mut w, &[(1, 5)], 3);
        drop(w);
        // A new WAL-index (the shared memory was lost): recovery finds all three commits.
        let mut w = wal(&vfs);
        w.begin_read().unwrap();
        assert_eq!((w.mx_frame(), w.db_size()), (5, Some(3)));
        assert_eq!((page(&mut w, 1), page(&mut w, 2), page(&mut w, 3)), (Some(5), Some(3), Some(4)));
        w.end_read();
        drop(w);
        // Tear the last frame: its transaction is gone, the earlier ones stay.
        let mut f = vfs.open(Some("db-wal"), OpenOptions::journal()).unwrap();
        let off = format::frame_offset(5, 512) + 100;
        f.write_at(&[0xee], off).unwrap();
        let mut w = wal(&vfs);
        w.begin_read().unwrap();
        assert_eq!((w.mx_frame(), w.db_size()), (4, Some(3)));
        assert_eq!(page(&mut w, 1), Some(1));
        w.end_read();
    }

    #[test]
    fn a_wal_index_claiming_more_frames_than_the_wal_holds_is_corrupt_not_a_panic() {
        let vfs: Arc<dyn Vfs> = Arc::new(MemoryVfs::new());
        let mut w = wal(&vfs);
        commit(&mut w, &[(1, 1)], 1);
        let mut h = index::read_hdr(w.shm.as_mut()).unwrap().unwrap();
        h.mx_frame = 4_000_000_000;
        index::write_hdr(w.shm.as_mut(), &mut h).unwrap();
        assert_eq!(w.begin_read().unwrap_err().code, code::CORRUPT);
        let mut db = crate::vfs::memory::MemoryFile::new();
        assert_eq!(w.checkpoint(&mut db, CheckpointMode::Passive).unwrap_err().code, code::CORRUPT);
    }

    #[test]
    fn checkpoint_copies_newest_frames_and_truncate_restarts_with_new_salts() {
        let vfs: Arc<dyn Vfs> = Arc::new(MemoryVfs::new());
        let mut w = wal(&vfs);
        commit(&mut w, &[(1, 1), (2, 2)], 2);
        commit(&mut w, &[(2, 9)], 2);
        let salt_before = index::read_hdr(w.shm.as_mut()).unwrap().unwrap().salt;
        let mut db = crate::vfs::memory::MemoryFile::new();
        let r = w.checkpoint(&mut db, CheckpointMode::Truncate).unwrap();
        assert_eq!(r, CheckpointResult { busy: false, log_frames: 0, checkpointed: 0 });
        let mut img = vec![0u8; 1024];
        db.read_at(&mut img, 0).unwrap();
        assert_eq!((img[0], img[512]), (1, 9));
        assert_eq!(w.file.file_size().unwrap(), 0);
        let h = index::read_hdr(w.shm.as_mut()).unwrap().unwrap();
        assert_eq!(h.mx_frame, 0);
        assert_ne!(h.salt, salt_before);
        // The next commit starts a new WAL generation whose header carries the new salts.
        commit(&mut w, &[(2, 7)], 2);
        let mut hdr = [0u8; WAL_HEADER_SIZE];
        w.file.read_at(&mut hdr, 0).unwrap();
        let wh = WalHeader::decode(&hdr).unwrap();
        assert_ne!(wh.salt, salt_before);
        w.begin_read().unwrap();
        assert_eq!(page(&mut w, 2), Some(7));
        assert_eq!(page(&mut w, 1), None, "page 1 is read from the database file");
    }
}
