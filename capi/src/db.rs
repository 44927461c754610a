//! `sqlite3`: the connection handle. Opening and closing, the error state that `errmsg`/
//! `errcode` report, limits, busy timeout, and the small per-connection queries.
//!
//! Design: a `sqlite3` is a heap object owned by C between `sqlite3_open*` and `sqlite3_close*`.
//! It holds the engine's `Connection` and everything the C API adds (the last error, limits,
//! registered callbacks, the list of live statements) in a [`DbState`] behind the connection's
//! recursive mutex.
//!
//! Invariants:
//! 1. `magic` is `MAGIC_OPEN` while the handle may be used, `MAGIC_ZOMBIE` after `close_v2` with
//!    live statements (only finalizing them is allowed), `MAGIC_CLOSED` just before it is freed.
//!    Any other value, or NULL, means misuse.
//! 2. `DbState` is touched only with the mutex held ([`with_db`]).
//! 3. `err_msg` is NUL-terminated and stays put until the next API call on the connection that
//!    changes the error, which is as long as SQLite promises `sqlite3_errmsg` to live.
//! 4. The engine is never handed a C pointer; text crosses as `&str`/bytes.

use crate::engine::error::errstr;
use crate::engine::{Connection, Error, OpenFlags};
use crate::global::{SQLITE_ERROR, SQLITE_MISUSE, SQLITE_OK};
use crate::guard::guard;
use crate::mutex::sqlite3_mutex;
use crate::stmt::sqlite3_stmt;
use libc::{c_char, c_int, c_void};
use std::cell::UnsafeCell;
use std::ffi::CStr;
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

const MAGIC_OPEN: u32 = 0xa029_a697;
const MAGIC_ZOMBIE: u32 = 0x64cf_fc7f;
const MAGIC_CLOSED: u32 = 0x9f3c_2d33;

// SQLITE_OPEN_* flags that the C API interprets.
pub const OPEN_READONLY: c_int = 0x0000_0001;
pub const OPEN_READWRITE: c_int = 0x0000_0002;
pub const OPEN_CREATE: c_int = 0x0000_0004;
pub const OPEN_URI: c_int = 0x0000_0040;
pub const OPEN_MEMORY: c_int = 0x0000_0080;
pub const OPEN_EXRESCODE: c_int = 0x0200_0000;

/// The run-time limits (`sqlite3_limit`), indexed by SQLITE_LIMIT_*; defaults and hard maxima
/// are those of Debian's build (MAX_LENGTH=1000000000, MAX_VARIABLE_NUMBER=250000, ...).
pub const LIMIT_MAX: [c_int; 12] = [
    1_000_000_000, // LENGTH
    1_000_000_000, // SQL_LENGTH
    2000,          // COLUMN
    1000,          // EXPR_DEPTH
    500,           // COMPOUND_SELECT
    250_000_000,   // VDBE_OP
    127,           // FUNCTION_ARG
    10,            // ATTACHED
    50_000,        // LIKE_PATTERN_LENGTH
    250_000,       // VARIABLE_NUMBER
    1000,          // TRIGGER_DEPTH
    0,             // WORKER_THREADS (MAX_WORKER_THREADS=8, default 0)
];

pub struct sqlite3 {
    magic: AtomicU32,
    /// The engine's interrupt flag: set by `sqlite3_interrupt` from any thread; cleared when a
    /// statement starts while no other of the connection runs.
    interrupted: std::sync::Arc<std::sync::atomic::AtomicBool>,
    mutex: Box<sqlite3_mutex>,
    state: UnsafeCell<DbState>,
}

// SAFETY: DbState is reached only through with_db(), which holds the recursive mutex, so the
// handle may be shared between threads (serialized threading mode).
unsafe impl Sync for sqlite3 {}
unsafe impl Send for sqlite3 {}

/// What a connection holds besides the engine's connection.
pub struct DbState {
    pub conn: Connection,
    err_code: c_int,
    err_msg: Vec<u8>,
    err_msg16: Vec<u16>,
    err_offset: c_int,
    /// The OS error number behind the last I/O error (`sqlite3_system_errno`).
    pub system_errno: c_int,
    extended_codes: bool,
    pub busy_timeout_ms: c_int,
    pub limits: [c_int; 12],
    /// Live statements, newest first (`sqlite3_next_stmt` walks them).
    pub stmts: Vec<*mut sqlite3_stmt>,
    /// Open blob handles (they keep the connection from closing, as statements do).
    pub blobs: usize,
    /// `sqlite3_db_filename`'s answer in SQLite's layout (crate::uri); None when opening failed.
    filename_c: Option<Vec<u8>>,
    /// The program's callbacks as registered (the engine gets closures over them).
    pub hooks: crate::hooks::Hooks,
    /// Collations the program registered (the engine's planner knows only the built-in ones
    /// so far, so SQL naming these gets "no such collation sequence").
    pub user_collations: Vec<(String, crate::engine::value::collation::Collation)>,
    /// The boolean `sqlite3_db_config` options, SQLITE_DBCONFIG_ENABLE_FKEY (1002) onwards.
    pub db_flags: [bool; DBCONFIG_FLAG_COUNT],
}

const DBCONFIG_FIRST_FLAG: c_int = 1002;
const DBCONFIG_FLAG_COUNT: usize = 16;
/// Defaults of the boolean options in Debian's build: triggers, views, double-quoted string
/// literals in DML and DDL, and trusted schema on; everything else off.
const DBCONFIG_DEFAULTS: [bool; DBCONFIG_FLAG_COUNT] = [
    false, true, false, false, false, false, false, false, // FKEY TRIGGER FTS3_TOKENIZER LOAD_EXT NO_CKPT QPSG TRIGGER_EQP RESET_DB
    false, false, false, true, true, true, false, true, // DEFENSIVE WRITABLE_SCHEMA LEGACY_ALTER DQS_DML DQS_DDL VIEW LEGACY_FILE_FORMAT TRUSTED_SCHEMA
];

impl DbState {
    /// Adds, replaces or (with None) deletes an application-defined function.
    pub fn register_function(
        &mut self,
        name: &str,
        n_arg: i32,
        def: Option<crate::engine::func::registry::FuncDef>,
    ) -> Result<(), Error> {
        if self.stmts.iter().any(|&p| crate::stmt::is_running(p)) {
            return Err(Error::new(
                crate::global::SQLITE_BUSY_CODE,
                "unable to delete/modify user-function due to active statements",
            ));
        }
        match def {
            Some(d) => self.conn.functions_mut().register(d),
            None => {
                self.conn.functions_mut().remove(name, n_arg);
            }
        }
        Ok(())
    }

    /// Adds, replaces or (with None) deletes an application-defined collation.
    pub fn register_collation(
        &mut self,
        name: &str,
        coll: Option<crate::engine::value::collation::Collation>,
    ) -> Result<(), Error> {
        if self.stmts.iter().any(|&p| crate::stmt::is_running(p)) {
            return Err(Error::new(
                crate::global::SQLITE_BUSY_CODE,
                "unable to delete/modify collation sequence due to active statements",
            ));
        }
        self.user_collations.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(c) = coll {
            self.user_collations.push((name.to_string(), c));
        }
        Ok(())
    }

    /// Records an error (code may be extended) with its message.
    pub fn set_error(&mut self, code: c_int, msg: &str) {
        self.err_code = code;
        self.err_msg.clear();
        self.err_msg.extend(msg.bytes().filter(|&b| b != 0));
        self.err_msg.push(0);
        self.err_offset = -1;
    }

    /// Records an engine error and returns its code as the API returns it.
    pub fn fail(&mut self, e: &Error) -> c_int {
        self.set_error(e.code, &e.message);
        if let Some(off) = e.offset {
            self.err_offset = off.min(c_int::MAX as usize) as c_int;
        }
        self.api_code(e.code)
    }

    pub fn set_error_offset(&mut self, off: c_int) {
        self.err_offset = off;
    }

    /// Clears the error state (`SQLITE_OK`, "not an error").
    pub fn clear_error(&mut self) {
        self.err_code = SQLITE_OK;
        self.err_msg.clear();
        self.err_offset = -1;
    }

    /// A result code as returned to the caller: extended only if extended codes are on.
    pub fn api_code(&self, code: c_int) -> c_int {
        if self.extended_codes { code } else { code & 0xff }
    }

    /// Records the outcome of an engine call, returning the code for the caller.
    pub fn result<T>(&mut self, r: &Result<T, Error>) -> c_int {
        match r {
            Ok(_) => {
                self.clear_error();
                SQLITE_OK
            }
            Err(e) => self.fail(e),
        }
    }

    /// The message `sqlite3_errmsg` reports, NUL-terminated.
    fn errmsg_ptr(&mut self) -> *const c_char {
        if self.err_msg.is_empty() {
            self.err_msg.extend_from_slice(errstr(self.err_code).as_bytes());
            self.err_msg.push(0);
        }
        self.err_msg.as_ptr() as *const c_char
    }
}

/// Runs `f` on the connection's state with its mutex held; `fail` for a NULL, closed or
/// otherwise invalid handle (invariant 1) — zombies are refused too.
pub fn with_db<R>(db: *mut sqlite3, fail: R, f: impl FnOnce(&mut DbState) -> R) -> R {
    // SAFETY: a non-NULL handle is one we allocated; its magic says whether it is still open.
    let Some(h) = (unsafe { db.as_ref() }) else { return fail };
    if h.magic.load(Ordering::Acquire) != MAGIC_OPEN {
        return fail;
    }
    with_db_any(h, f)
}

/// As [`with_db`] for a handle known to be valid (open or zombie).
pub fn with_db_any<R>(h: &sqlite3, f: impl FnOnce(&mut DbState) -> R) -> R {
    struct Leave<'a>(&'a sqlite3_mutex);
    impl Drop for Leave<'_> {
        fn drop(&mut self) {
            self.0.leave();
        }
    }
    h.mutex.enter();
    let _leave = Leave(&h.mutex);
    // SAFETY: the mutex is held (invariant 2). The mutex is recursive; a callback that
    // re-enters the API on the same connection gets its own &mut only while the outer call is
    // suspended inside C, and the outer call holds no reference into DbState across callbacks.
    f(unsafe { &mut *h.state.get() })
}

/// True when `db` is a handle we made that has not been freed (open or zombie).
pub fn is_live(db: *mut sqlite3) -> bool {
    // SAFETY: as in with_db.
    match unsafe { db.as_ref() } {
        Some(h) => matches!(h.magic.load(Ordering::Acquire), MAGIC_OPEN | MAGIC_ZOMBIE),
        None => false,
    }
}

/// # Safety
/// `p` is NULL or a NUL-terminated string.
pub unsafe fn cstr_bytes<'a>(p: *const c_char) -> Option<&'a [u8]> {
    if p.is_null() {
        None
    } else {
        // SAFETY: guaranteed by the caller.
        Some(unsafe { CStr::from_ptr(p) }.to_bytes())
    }
}

fn open_impl(filename: &[u8], pp_db: *mut *mut sqlite3, flags: c_int, vfs: Option<&[u8]>) -> c_int {
    if pp_db.is_null() {
        return SQLITE_MISUSE;
    }
    // SAFETY: the caller gives a writable sqlite3** (checked non-NULL above).
    unsafe { *pp_db = ptr::null_mut() };
    let mode = flags & (OPEN_READONLY | OPEN_READWRITE | OPEN_CREATE);
    let bad_mode =
        mode != OPEN_READONLY && mode != OPEN_READWRITE && mode != OPEN_READWRITE | OPEN_CREATE;
    let name = String::from_utf8_lossy(filename).into_owned();
    let parsed = crate::engine::uri::parse(
        &name,
        mode == OPEN_READONLY,
        mode & OPEN_CREATE != 0,
        flags & OPEN_URI != 0 || crate::global::uri_enabled(),
    );
    let oflags = OpenFlags {
        read_only: parsed.as_ref().map_or(mode == OPEN_READONLY, |p| p.read_only),
        create: mode & OPEN_CREATE != 0,
        uri: flags & OPEN_URI != 0 || crate::global::uri_enabled(),
        memory: flags & OPEN_MEMORY != 0,
    };
    let vfs_name = match (&parsed, vfs) {
        (Ok(p), _) if p.vfs.is_some() => p.vfs.clone().map(String::into_bytes),
        (_, v) => v.map(<[u8]>::to_vec),
    };
    let result = match (&parsed, vfs_name) {
        // Like SQLite, bad flags still give a handle, whose error says misuse.
        _ if bad_mode => Err(Error::from_code(SQLITE_MISUSE)),
        (Err(e), _) => Err(e.clone()),
        (Ok(_), Some(v)) if !crate::vfs::exists(&v) => {
            Err(Error::sql(format!("no such vfs: {}", String::from_utf8_lossy(&v))))
        }
        (Ok(_), _) => Connection::open(&name, oflags),
    };
    let (conn, err) = match result {
        Ok(c) => (c, None),
        Err(e) => {
            // SQLite hands back a handle even when opening fails, so that errmsg can be read.
            let c = Connection::open(":memory:", OpenFlags::default())
                .expect("opening an in-memory placeholder does no I/O");
            (c, Some(e))
        }
    };
    let filename_c = match (&parsed, &err) {
        (Ok(p), None) => Some(crate::uri::filename_layout(p)),
        _ => None,
    };
    let mut conn = conn;
    let interrupt_flag = conn.hooks_mut().interrupt.clone();
    let h = Box::new(sqlite3 {
        magic: AtomicU32::new(MAGIC_OPEN),
        interrupted: interrupt_flag,
        mutex: sqlite3_mutex::new_boxed(),
        state: UnsafeCell::new(DbState {
            conn,
            err_code: SQLITE_OK,
            err_msg: Vec::new(),
            err_msg16: Vec::new(),
            err_offset: -1,
            system_errno: 0,
            extended_codes: flags & OPEN_EXRESCODE != 0,
            busy_timeout_ms: 0,
            limits: LIMIT_MAX,
            stmts: Vec::new(),
            blobs: 0,
            filename_c,
            db_flags: DBCONFIG_DEFAULTS,
            user_collations: Vec::new(),
            hooks: crate::hooks::Hooks::default(),
        }),
    });
    let db = Box::into_raw(h);
    // SAFETY: pp_db is writable (checked above).
    unsafe { *pp_db = db };
    match err {
        None => SQLITE_OK,
        Some(e) => with_db(db, SQLITE_MISUSE, |s| s.fail(&e)),
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_open_v2(
    filename: *const c_char,
    pp_db: *mut *mut sqlite3,
    flags: c_int,
    vfs: *const c_char,
) -> c_int {
    guard(crate::global::SQLITE_INTERNAL, || {
        crate::global::sqlite3_initialize();
        // SAFETY: C strings from the caller.
        let name = unsafe { cstr_bytes(filename) }.unwrap_or(b"");
        let vfs = unsafe { cstr_bytes(vfs) };
        open_impl(name, pp_db, flags, vfs)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_open(filename: *const c_char, pp_db: *mut *mut sqlite3) -> c_int {
    // SAFETY: forwarded unchanged.
    unsafe { sqlite3_open_v2(filename, pp_db, OPEN_READWRITE | OPEN_CREATE, ptr::null()) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_open16(filename: *const c_void, pp_db: *mut *mut sqlite3) -> c_int {
    guard(crate::global::SQLITE_INTERNAL, || {
        // SAFETY: a NUL-terminated UTF-16 string from the caller.
        let name = unsafe { crate::text::utf16_to_utf8(filename as *const u16, -1) };
        crate::global::sqlite3_initialize();
        open_impl(name.as_bytes(), pp_db, OPEN_READWRITE | OPEN_CREATE, None)
    })
}

fn free_handle(db: *mut sqlite3) {
    // SAFETY: db is live (callers checked) and no statement refers to it any more.
    unsafe {
        (*db).magic.store(MAGIC_CLOSED, Ordering::Release);
        drop(Box::from_raw(db));
    }
}

fn close_impl(db: *mut sqlite3, zombie_ok: bool) -> c_int {
    if db.is_null() {
        return SQLITE_OK;
    }
    if !is_live(db) {
        return SQLITE_MISUSE;
    }
    // SAFETY: live handle (checked).
    let h = unsafe { &*db };
    if h.magic.load(Ordering::Acquire) == MAGIC_ZOMBIE {
        return SQLITE_MISUSE;
    }
    let busy = with_db_any(h, |s| {
        if s.stmts.is_empty() && s.blobs == 0 {
            false
        } else {
            if !zombie_ok {
                s.set_error(
                    crate::global::SQLITE_BUSY_CODE,
                    "unable to close due to unfinalized statements or unfinished backups",
                );
            }
            true
        }
    });
    if busy {
        if zombie_ok {
            h.magic.store(MAGIC_ZOMBIE, Ordering::Release);
            return SQLITE_OK;
        }
        return crate::global::SQLITE_BUSY_CODE;
    }
    free_handle(db);
    SQLITE_OK
}

/// Called when a blob handle of `db` is closed: a zombie connection with nothing left open is
/// freed now.
pub fn forget_blob(db: *mut sqlite3) {
    if !is_live(db) {
        return;
    }
    // SAFETY: live handle.
    let h = unsafe { &*db };
    let now_empty = with_db_any(h, |s| {
        s.blobs = s.blobs.saturating_sub(1);
        s.stmts.is_empty() && s.blobs == 0
    });
    if now_empty && h.magic.load(Ordering::Acquire) == MAGIC_ZOMBIE {
        free_handle(db);
    }
}

/// Called when a statement of `db` is finalized: a zombie connection with no statements left
/// is freed now.
pub fn forget_stmt(db: *mut sqlite3, stmt: *mut sqlite3_stmt) {
    if !is_live(db) {
        return;
    }
    // SAFETY: live handle.
    let h = unsafe { &*db };
    let now_empty = with_db_any(h, |s| {
        s.stmts.retain(|&p| p != stmt);
        s.stmts.is_empty() && s.blobs == 0
    });
    if now_empty && h.magic.load(Ordering::Acquire) == MAGIC_ZOMBIE {
        free_handle(db);
    }
}

#[no_mangle]
pub extern "C" fn sqlite3_close(db: *mut sqlite3) -> c_int {
    guard(crate::global::SQLITE_INTERNAL, || close_impl(db, false))
}

#[no_mangle]
pub extern "C" fn sqlite3_close_v2(db: *mut sqlite3) -> c_int {
    guard(crate::global::SQLITE_INTERNAL, || close_impl(db, true))
}

#[no_mangle]
pub extern "C" fn sqlite3_errcode(db: *mut sqlite3) -> c_int {
    if db.is_null() {
        return crate::global::SQLITE_NOMEM;
    }
    guard(SQLITE_MISUSE, || with_db(db, SQLITE_MISUSE, |s| s.err_code & 0xff))
}

#[no_mangle]
pub extern "C" fn sqlite3_extended_errcode(db: *mut sqlite3) -> c_int {
    if db.is_null() {
        return crate::global::SQLITE_NOMEM;
    }
    guard(SQLITE_MISUSE, || with_db(db, SQLITE_MISUSE, |s| s.err_code))
}

#[no_mangle]
pub extern "C" fn sqlite3_errmsg(db: *mut sqlite3) -> *const c_char {
    static OOM: &[u8] = b"out of memory\0";
    static MISUSE: &[u8] = b"bad parameter or other API misuse\0";
    if db.is_null() {
        return OOM.as_ptr() as *const c_char;
    }
    guard(MISUSE.as_ptr() as *const c_char, || {
        with_db(db, MISUSE.as_ptr() as *const c_char, |s| s.errmsg_ptr())
    })
}

/// `sqlite3_errmsg16`: the message as native-endian UTF-16, valid until the next call that
/// changes the connection's error.
#[no_mangle]
pub extern "C" fn sqlite3_errmsg16(db: *mut sqlite3) -> *const c_void {
    static OOM: [u16; 14] = [
        b'o' as u16, b'u' as u16, b't' as u16, b' ' as u16, b'o' as u16, b'f' as u16, b' ' as u16,
        b'm' as u16, b'e' as u16, b'm' as u16, b'o' as u16, b'r' as u16, b'y' as u16, 0,
    ];
    if db.is_null() {
        return OOM.as_ptr() as *const c_void;
    }
    guard(ptr::null(), || {
        with_db(db, ptr::null(), |s| {
            let p = s.errmsg_ptr();
            // SAFETY: errmsg_ptr returns our NUL-terminated message.
            let m = unsafe { CStr::from_ptr(p) }.to_string_lossy();
            s.err_msg16 = m.encode_utf16().chain(std::iter::once(0)).collect();
            s.err_msg16.as_ptr() as *const c_void
        })
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_system_errno(db: *mut sqlite3) -> c_int {
    guard(0, || with_db(db, 0, |s| s.system_errno))
}

/// Loading extensions is not built yet; the switch is recorded so that the program's view of it
/// is right, and `sqlite3_load_extension` says it is not supported.
#[no_mangle]
pub extern "C" fn sqlite3_enable_load_extension(db: *mut sqlite3, on: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_db(db, SQLITE_MISUSE, |s| {
            s.db_flags[3] = on != 0; // SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION
            SQLITE_OK
        })
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_error_offset(db: *mut sqlite3) -> c_int {
    guard(-1, || with_db(db, -1, |s| if s.err_code == SQLITE_OK { -1 } else { s.err_offset }))
}

#[no_mangle]
pub extern "C" fn sqlite3_errstr(rc: c_int) -> *const c_char {
    static TEXTS: std::sync::OnceLock<Vec<(c_int, std::ffi::CString)>> = std::sync::OnceLock::new();
    guard(ptr::null(), || {
        let texts = TEXTS.get_or_init(|| {
            let mut v: Vec<(c_int, std::ffi::CString)> = (0..=255)
                .map(|c| (c, std::ffi::CString::new(errstr(c)).expect("no NUL")))
                .collect();
            for c in [100, 101, 516] {
                v.push((c, std::ffi::CString::new(errstr(c)).expect("no NUL")));
            }
            v
        });
        let key = if matches!(rc, 100 | 101 | 516) { rc } else { rc & 0xff };
        texts.iter().find(|(c, _)| *c == key).map(|(_, s)| s.as_ptr()).unwrap_or(ptr::null())
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_extended_result_codes(db: *mut sqlite3, on: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_db(db, SQLITE_MISUSE, |s| {
            s.extended_codes = on != 0;
            SQLITE_OK
        })
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_busy_timeout(db: *mut sqlite3, ms: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_db(db, SQLITE_MISUSE, |s| {
            s.busy_timeout_ms = ms.max(0);
            s.hooks.busy = None; // the timeout replaces a busy handler, and the reverse
            s.conn.set_busy_timeout(ms);
            SQLITE_OK
        })
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_limit(db: *mut sqlite3, id: c_int, new_val: c_int) -> c_int {
    guard(-1, || {
        with_db(db, -1, |s| {
            if !(0..12).contains(&id) {
                return -1;
            }
            let i = id as usize;
            let old = s.limits[i];
            if new_val >= 0 {
                s.limits[i] = new_val.min(LIMIT_MAX[i].max(if i == 11 { 8 } else { 0 }));
            }
            old
        })
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_get_autocommit(db: *mut sqlite3) -> c_int {
    guard(0, || with_db(db, 0, |s| s.conn.is_autocommit() as c_int))
}

#[no_mangle]
pub extern "C" fn sqlite3_changes(db: *mut sqlite3) -> c_int {
    guard(0, || with_db(db, 0, |s| s.conn.changes() as c_int))
}

#[no_mangle]
pub extern "C" fn sqlite3_changes64(db: *mut sqlite3) -> i64 {
    guard(0, || with_db(db, 0, |s| s.conn.changes()))
}

#[no_mangle]
pub extern "C" fn sqlite3_total_changes(db: *mut sqlite3) -> c_int {
    guard(0, || with_db(db, 0, |s| s.conn.total_changes() as c_int))
}

#[no_mangle]
pub extern "C" fn sqlite3_total_changes64(db: *mut sqlite3) -> i64 {
    guard(0, || with_db(db, 0, |s| s.conn.total_changes()))
}

#[no_mangle]
pub extern "C" fn sqlite3_last_insert_rowid(db: *mut sqlite3) -> i64 {
    guard(0, || with_db(db, 0, |s| s.conn.last_insert_rowid()))
}

#[no_mangle]
pub extern "C" fn sqlite3_set_last_insert_rowid(db: *mut sqlite3, rowid: i64) {
    guard((), || with_db(db, (), |s| s.conn.set_last_insert_rowid(rowid)))
}

#[no_mangle]
pub extern "C" fn sqlite3_db_mutex(db: *mut sqlite3) -> *mut sqlite3_mutex {
    // SAFETY: as in with_db.
    guard(ptr::null_mut(), || match unsafe { db.as_ref() } {
        Some(h) if is_live(db) => &*h.mutex as *const sqlite3_mutex as *mut sqlite3_mutex,
        _ => ptr::null_mut(),
    })
}

/// `sqlite3_db_filename`: the name the database was opened with ("" for memory and temp
/// databases), for "main"; NULL for a schema name that does not exist.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_filename(db: *mut sqlite3, name: *const c_char) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: a C string from the caller.
        let schema = unsafe { cstr_bytes(name) }.unwrap_or(b"main");
        with_db(db, ptr::null(), |s| {
            match &s.filename_c {
                Some(f) if schema == b"main" => f.as_ptr() as *const c_char,
                _ => ptr::null(),
            }
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_readonly(db: *mut sqlite3, name: *const c_char) -> c_int {
    guard(-1, || {
        // SAFETY: a C string from the caller.
        let schema = unsafe { cstr_bytes(name) }.unwrap_or(b"main");
        with_db(db, -1, |s| match &s.filename_c {
            Some(_) if schema == b"main" => s.conn.is_read_only() as c_int,
            _ => -1,
        })
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_next_stmt(db: *mut sqlite3, stmt: *mut sqlite3_stmt) -> *mut sqlite3_stmt {
    guard(ptr::null_mut(), || {
        with_db(db, ptr::null_mut(), |s| {
            if stmt.is_null() {
                return s.stmts.first().copied().unwrap_or(ptr::null_mut());
            }
            match s.stmts.iter().position(|&p| p == stmt) {
                Some(i) => s.stmts.get(i + 1).copied().unwrap_or(ptr::null_mut()),
                None => ptr::null_mut(),
            }
        })
    })
}

/// Sets the connection's error from outside this module (used by the unsupported stubs).
pub fn set_error(db: *mut sqlite3, code: c_int, msg: &str) -> c_int {
    with_db(db, SQLITE_MISUSE, |s| {
        s.set_error(code, msg);
        s.api_code(code)
    })
}

/// The error every unbuilt C function reports on its connection.
pub fn not_supported(db: *mut sqlite3, func: &str) -> c_int {
    set_error(db, SQLITE_ERROR, &format!("{func} is not supported yet by Ferrolite"))
}

/// Called by the C shim of `sqlite3_db_config` with the unpacked arguments.
#[no_mangle]
pub unsafe extern "C" fn fl_db_config(db: *mut sqlite3, op: c_int, a: *const crate::global::ConfigArgs) -> c_int {
    guard(crate::global::SQLITE_INTERNAL, || {
        // SAFETY: the shim passes a pointer to a live ConfigArgs.
        let a = unsafe { &*a };
        with_db(db, SQLITE_MISUSE, |s| match op {
            // MAINDBNAME, LOOKASIDE: accepted; Ferrolite has no lookaside and keeps "main".
            1000 | 1001 => SQLITE_OK,
            _ if (DBCONFIG_FIRST_FLAG..DBCONFIG_FIRST_FLAG + DBCONFIG_FLAG_COUNT as c_int).contains(&op) => {
                let i = (op - DBCONFIG_FIRST_FLAG) as usize;
                if a.i[0] > 0 {
                    s.db_flags[i] = true;
                } else if a.i[0] == 0 {
                    s.db_flags[i] = false;
                }
                if !a.p[0].is_null() {
                    // SAFETY: the program passes an int* for the option's current value.
                    unsafe { *(a.p[0] as *mut c_int) = s.db_flags[i] as c_int };
                }
                SQLITE_OK
            }
            _ => SQLITE_ERROR,
        })
    })
}

/// Called by the C shim of `sqlite3_vtab_config`: virtual tables are not built yet, and SQLite
/// answers misuse outside a virtual table's xCreate/xConnect, which is the only place it can
/// be called from here.
#[no_mangle]
pub extern "C" fn fl_vtab_config(_db: *mut sqlite3, _op: c_int, _arg: c_int) -> c_int {
    SQLITE_MISUSE
}

/// `sqlite3_interrupt`: raises the flag without the mutex (another thread may hold it).
pub fn interrupt(db: *mut sqlite3) {
    if is_live(db) {
        // SAFETY: live handle.
        unsafe { &*db }.interrupted.store(true, Ordering::Release);
    }
}

/// Clears the interrupt flag (a statement starts while no other of the connection runs).
pub fn clear_interrupt(db: *mut sqlite3) {
    if is_live(db) {
        // SAFETY: live handle.
        unsafe { &*db }.interrupted.store(false, Ordering::Release);
    }
}
