//! VFSes as C sees them: `sqlite3_vfs_find`, `sqlite3_vfs_register`, `sqlite3_vfs_unregister`,
//! and the default VFS ("unix") exposed as a real `sqlite3_vfs` whose methods work.
//!
//! Design:
//! - The engine's VFSes are Rust traits (`engine::vfs::{Vfs, VfsFile}`). [`export`] wraps one in
//!   a C `sqlite3_vfs` whose `xOpen` fills the caller's `sqlite3_file` (of `szOsFile` bytes)
//!   with a [`CFileBox`]: the `sqlite3_file` header followed by the boxed Rust file. Programs
//!   that wrap the default VFS (the sqlite3 shell does, for `.vfstrace`-style shims) call these
//!   methods directly.
//! - Not built yet: the other direction, a VFS a program registers from C used by the
//!   engine's connections (they open through the engine's own VFSes; docs/COMPAT.md).
//! - The registry is a list of `sqlite3_vfs*`, the default first, like SQLite's. A registered
//!   struct's `pNext` is maintained as SQLite does (programs may walk it).
//!
//! Invariants:
//! 1. A `sqlite3_file` we opened has `pMethods` set exactly while its Rust file is alive; xClose
//!    drops the file and clears `pMethods`. A failed xOpen leaves `pMethods` NULL.
//! 2. Exported `sqlite3_vfs` structs live for the whole process (they are never freed), since C
//!    may keep pointers to them.

use crate::engine::vfs::{self, AccessMode, FileKind, LockLevel, OpenOptions, SyncKind, Vfs, VfsFile};
use crate::engine::Error;
use crate::global::{SQLITE_ERROR, SQLITE_MISUSE, SQLITE_OK};
use crate::guard::guard;
use libc::{c_char, c_double, c_int, c_void};
use std::ffi::{CStr, CString};
use std::ptr;
use std::sync::{Arc, Mutex, OnceLock};

const SQLITE_NOTFOUND: c_int = 12;
const SQLITE_IOERR: c_int = 10;
const SQLITE_IOERR_SHORT_READ: c_int = 10 | (2 << 8);

// SQLITE_OPEN_* bits that matter to xOpen.
const OPEN_READONLY: c_int = 0x1;
const OPEN_CREATE: c_int = 0x4;
const OPEN_DELETEONCLOSE: c_int = 0x8;
const OPEN_EXCLUSIVE: c_int = 0x10;
const OPEN_MAIN_DB: c_int = 0x100;
const OPEN_TEMP_DB: c_int = 0x200;
const OPEN_TRANSIENT_DB: c_int = 0x400;
const OPEN_MAIN_JOURNAL: c_int = 0x800;
const OPEN_TEMP_JOURNAL: c_int = 0x1000;
const OPEN_SUBJOURNAL: c_int = 0x2000;
const OPEN_WAL: c_int = 0x80000;

#[repr(C)]
pub struct sqlite3_file {
    pub pMethods: *const sqlite3_io_methods,
}

#[repr(C)]
pub struct sqlite3_io_methods {
    pub iVersion: c_int,
    pub xClose: Option<unsafe extern "C" fn(*mut sqlite3_file) -> c_int>,
    pub xRead: Option<unsafe extern "C" fn(*mut sqlite3_file, *mut c_void, c_int, i64) -> c_int>,
    pub xWrite: Option<unsafe extern "C" fn(*mut sqlite3_file, *const c_void, c_int, i64) -> c_int>,
    pub xTruncate: Option<unsafe extern "C" fn(*mut sqlite3_file, i64) -> c_int>,
    pub xSync: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int) -> c_int>,
    pub xFileSize: Option<unsafe extern "C" fn(*mut sqlite3_file, *mut i64) -> c_int>,
    pub xLock: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int) -> c_int>,
    pub xUnlock: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int) -> c_int>,
    pub xCheckReservedLock: Option<unsafe extern "C" fn(*mut sqlite3_file, *mut c_int) -> c_int>,
    pub xFileControl: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int, *mut c_void) -> c_int>,
    pub xSectorSize: Option<unsafe extern "C" fn(*mut sqlite3_file) -> c_int>,
    pub xDeviceCharacteristics: Option<unsafe extern "C" fn(*mut sqlite3_file) -> c_int>,
    pub xShmMap: *const c_void,
    pub xShmLock: *const c_void,
    pub xShmBarrier: *const c_void,
    pub xShmUnmap: *const c_void,
    pub xFetch: *const c_void,
    pub xUnfetch: *const c_void,
}

#[repr(C)]
pub struct sqlite3_vfs {
    pub iVersion: c_int,
    pub szOsFile: c_int,
    pub mxPathname: c_int,
    pub pNext: *mut sqlite3_vfs,
    pub zName: *const c_char,
    pub pAppData: *mut c_void,
    pub xOpen: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, *mut sqlite3_file, c_int, *mut c_int) -> c_int>,
    pub xDelete: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, c_int) -> c_int>,
    pub xAccess: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, c_int, *mut c_int) -> c_int>,
    pub xFullPathname: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, c_int, *mut c_char) -> c_int>,
    pub xDlOpen: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char) -> *mut c_void>,
    pub xDlError: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int, *mut c_char)>,
    pub xDlSym: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut c_void, *const c_char) -> *mut c_void>,
    pub xDlClose: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut c_void)>,
    pub xRandomness: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int, *mut c_char) -> c_int>,
    pub xSleep: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int) -> c_int>,
    pub xCurrentTime: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut c_double) -> c_int>,
    pub xGetLastError: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int, *mut c_char) -> c_int>,
    pub xCurrentTimeInt64: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut i64) -> c_int>,
    pub xSetSystemCall: *const c_void,
    pub xGetSystemCall: *const c_void,
    pub xNextSystemCall: *const c_void,
}

// SAFETY: the structs are tables of C function pointers and immutable names; sharing their
// addresses between threads is what C does with them.
unsafe impl Send for sqlite3_vfs {}
unsafe impl Sync for sqlite3_vfs {}
unsafe impl Send for sqlite3_io_methods {}
unsafe impl Sync for sqlite3_io_methods {}

// ---------------------------------------------------------------------------------------------
// Engine VFS -> C
// ---------------------------------------------------------------------------------------------

/// Our `sqlite3_file` subclass: the header C knows, then the Rust file (invariant 1).
#[repr(C)]
struct CFileBox {
    base: sqlite3_file,
    file: Option<Box<dyn VfsFile>>,
}

/// Which engine VFS an exported `sqlite3_vfs` stands for; kept in `pAppData`.
struct Exported {
    vfs: Arc<dyn Vfs>,
}

fn exported(p: *mut sqlite3_vfs) -> Option<&'static Exported> {
    // SAFETY: only exported VFSes have our methods; their pAppData is a leaked Exported.
    unsafe { p.as_ref().and_then(|v| (v.pAppData as *const Exported).as_ref()) }
}

fn code_of(e: &Error) -> c_int {
    e.code
}

unsafe fn file<'a>(f: *mut sqlite3_file) -> Option<&'a mut Box<dyn VfsFile>> {
    // SAFETY: f is a CFileBox filled by x_open (its pMethods is ours).
    unsafe { (f as *mut CFileBox).as_mut()?.file.as_mut() }
}

unsafe extern "C" fn x_close(f: *mut sqlite3_file) -> c_int {
    guard(SQLITE_IOERR, || {
        // SAFETY: f is a CFileBox we filled; dropping the Rust file closes it.
        unsafe {
            if let Some(b) = (f as *mut CFileBox).as_mut() {
                b.file = None;
                b.base.pMethods = ptr::null();
            }
        }
        SQLITE_OK
    })
}

unsafe extern "C" fn x_read(f: *mut sqlite3_file, buf: *mut c_void, n: c_int, off: i64) -> c_int {
    guard(SQLITE_IOERR, || {
        // SAFETY: f is ours; buf holds n bytes.
        let (Some(file), false) = (unsafe { file(f) }, buf.is_null() || n < 0 || off < 0) else {
            return SQLITE_IOERR;
        };
        let b = unsafe { std::slice::from_raw_parts_mut(buf as *mut u8, n as usize) };
        match file.read_at(b, off as u64) {
            Ok(got) if got < b.len() => SQLITE_IOERR_SHORT_READ,
            Ok(_) => SQLITE_OK,
            Err(e) => code_of(&e),
        }
    })
}

unsafe extern "C" fn x_write(f: *mut sqlite3_file, buf: *const c_void, n: c_int, off: i64) -> c_int {
    guard(SQLITE_IOERR, || {
        // SAFETY: f is ours; buf holds n bytes.
        let (Some(file), false) = (unsafe { file(f) }, buf.is_null() || n < 0 || off < 0) else {
            return SQLITE_IOERR;
        };
        let b = unsafe { std::slice::from_raw_parts(buf as *const u8, n as usize) };
        file.write_at(b, off as u64).map_or_else(|e| code_of(&e), |_| SQLITE_OK)
    })
}

unsafe extern "C" fn x_truncate(f: *mut sqlite3_file, size: i64) -> c_int {
    // SAFETY: f is ours.
    guard(SQLITE_IOERR, || match unsafe { file(f) } {
        Some(file) => file.truncate(size.max(0) as u64).map_or_else(|e| code_of(&e), |_| SQLITE_OK),
        None => SQLITE_IOERR,
    })
}

unsafe extern "C" fn x_sync(f: *mut sqlite3_file, flags: c_int) -> c_int {
    let kind = if flags & 0x10 != 0 {
        SyncKind::DataOnly
    } else if flags & 0x3 == 0x3 {
        SyncKind::Full
    } else {
        SyncKind::Normal
    };
    // SAFETY: f is ours.
    guard(SQLITE_IOERR, || match unsafe { file(f) } {
        Some(file) => file.sync(kind).map_or_else(|e| code_of(&e), |_| SQLITE_OK),
        None => SQLITE_IOERR,
    })
}

unsafe extern "C" fn x_file_size(f: *mut sqlite3_file, out: *mut i64) -> c_int {
    guard(SQLITE_IOERR, || {
        // SAFETY: f is ours; out is the caller's i64.
        match (unsafe { file(f) }, out.is_null()) {
            (Some(file), false) => match file.file_size() {
                Ok(n) => {
                    unsafe { *out = n as i64 };
                    SQLITE_OK
                }
                Err(e) => code_of(&e),
            },
            _ => SQLITE_IOERR,
        }
    })
}

fn level(l: c_int) -> LockLevel {
    match l {
        0 => LockLevel::None,
        1 => LockLevel::Shared,
        2 => LockLevel::Reserved,
        3 => LockLevel::Pending,
        _ => LockLevel::Exclusive,
    }
}

unsafe extern "C" fn x_lock(f: *mut sqlite3_file, l: c_int) -> c_int {
    // SAFETY: f is ours.
    guard(SQLITE_IOERR, || match unsafe { file(f) } {
        Some(file) => file.lock(level(l)).map_or_else(|e| code_of(&e), |_| SQLITE_OK),
        None => SQLITE_IOERR,
    })
}

unsafe extern "C" fn x_unlock(f: *mut sqlite3_file, l: c_int) -> c_int {
    // SAFETY: f is ours.
    guard(SQLITE_IOERR, || match unsafe { file(f) } {
        Some(file) => file.unlock(level(l)).map_or_else(|e| code_of(&e), |_| SQLITE_OK),
        None => SQLITE_IOERR,
    })
}

unsafe extern "C" fn x_check_reserved(f: *mut sqlite3_file, out: *mut c_int) -> c_int {
    guard(SQLITE_IOERR, || {
        // SAFETY: f is ours; out is the caller's int.
        match (unsafe { file(f) }, out.is_null()) {
            (Some(file), false) => match file.check_reserved_lock() {
                Ok(b) => {
                    unsafe { *out = b as c_int };
                    SQLITE_OK
                }
                Err(e) => code_of(&e),
            },
            _ => SQLITE_IOERR,
        }
    })
}

unsafe extern "C" fn x_file_control(_f: *mut sqlite3_file, _op: c_int, _arg: *mut c_void) -> c_int {
    SQLITE_NOTFOUND
}

unsafe extern "C" fn x_sector_size(f: *mut sqlite3_file) -> c_int {
    // SAFETY: f is ours.
    guard(4096, || unsafe { file(f) }.map_or(4096, |file| file.sector_size() as c_int))
}

unsafe extern "C" fn x_device_characteristics(f: *mut sqlite3_file) -> c_int {
    // SAFETY: f is ours.
    guard(0, || unsafe { file(f) }.map_or(0, |file| file.device_characteristics() as c_int))
}

static IO_METHODS: sqlite3_io_methods = sqlite3_io_methods {
    iVersion: 1,
    xClose: Some(x_close),
    xRead: Some(x_read),
    xWrite: Some(x_write),
    xTruncate: Some(x_truncate),
    xSync: Some(x_sync),
    xFileSize: Some(x_file_size),
    xLock: Some(x_lock),
    xUnlock: Some(x_unlock),
    xCheckReservedLock: Some(x_check_reserved),
    xFileControl: Some(x_file_control),
    xSectorSize: Some(x_sector_size),
    xDeviceCharacteristics: Some(x_device_characteristics),
    xShmMap: ptr::null(),
    xShmLock: ptr::null(),
    xShmBarrier: ptr::null(),
    xShmUnmap: ptr::null(),
    xFetch: ptr::null(),
    xUnfetch: ptr::null(),
};

fn open_options(flags: c_int) -> OpenOptions {
    let kind = if flags & OPEN_MAIN_JOURNAL != 0 {
        FileKind::MainJournal
    } else if flags & OPEN_TEMP_JOURNAL != 0 {
        FileKind::TempJournal
    } else if flags & OPEN_SUBJOURNAL != 0 {
        FileKind::SubJournal
    } else if flags & OPEN_WAL != 0 {
        FileKind::Wal
    } else if flags & (OPEN_TEMP_DB | OPEN_TRANSIENT_DB) != 0 {
        FileKind::TempDb
    } else {
        let _ = OPEN_MAIN_DB;
        FileKind::MainDb
    };
    OpenOptions {
        kind,
        read_only: flags & OPEN_READONLY != 0,
        create: flags & OPEN_CREATE != 0,
        exclusive: flags & OPEN_EXCLUSIVE != 0,
        delete_on_close: flags & OPEN_DELETEONCLOSE != 0,
    }
}

unsafe fn cstr<'a>(p: *const c_char) -> Option<&'a str> {
    // SAFETY: the caller's NUL-terminated string, or NULL.
    unsafe { crate::db::cstr_bytes(p) }.and_then(|b| std::str::from_utf8(b).ok())
}

unsafe extern "C" fn x_open(vfs: *mut sqlite3_vfs, name: *const c_char, f: *mut sqlite3_file, flags: c_int, out_flags: *mut c_int) -> c_int {
    guard(SQLITE_IOERR, || {
        let Some(e) = exported(vfs) else { return SQLITE_MISUSE };
        if f.is_null() {
            return SQLITE_MISUSE;
        }
        // SAFETY: f has szOsFile bytes for a CFileBox (invariant 1): fill it before anything.
        unsafe { ptr::write(f as *mut CFileBox, CFileBox { base: sqlite3_file { pMethods: ptr::null() }, file: None }) };
        // SAFETY: a C string or NULL (a temporary file).
        let path = unsafe { cstr(name) };
        match e.vfs.open(path, open_options(flags)) {
            Ok(file) => {
                // SAFETY: written just above.
                let b = unsafe { &mut *(f as *mut CFileBox) };
                b.file = Some(file);
                b.base.pMethods = &IO_METHODS;
                if !out_flags.is_null() {
                    // SAFETY: the caller's int.
                    unsafe { *out_flags = flags };
                }
                SQLITE_OK
            }
            Err(err) => code_of(&err),
        }
    })
}

unsafe extern "C" fn x_delete(vfs: *mut sqlite3_vfs, name: *const c_char, sync_dir: c_int) -> c_int {
    guard(SQLITE_IOERR, || {
        // SAFETY: a C string from the caller.
        match (exported(vfs), unsafe { cstr(name) }) {
            (Some(e), Some(p)) => e.vfs.delete(p, sync_dir != 0).map_or_else(|e| code_of(&e), |_| SQLITE_OK),
            _ => SQLITE_MISUSE,
        }
    })
}

unsafe extern "C" fn x_access(vfs: *mut sqlite3_vfs, name: *const c_char, mode: c_int, out: *mut c_int) -> c_int {
    guard(SQLITE_IOERR, || {
        let m = match mode {
            1 => AccessMode::ReadWrite,
            2 => AccessMode::Read,
            _ => AccessMode::Exists,
        };
        // SAFETY: a C string and an int* from the caller.
        match (exported(vfs), unsafe { cstr(name) }, out.is_null()) {
            (Some(e), Some(p), false) => match e.vfs.access(p, m) {
                Ok(b) => {
                    unsafe { *out = b as c_int };
                    SQLITE_OK
                }
                Err(err) => code_of(&err),
            },
            _ => SQLITE_MISUSE,
        }
    })
}

unsafe extern "C" fn x_full_pathname(vfs: *mut sqlite3_vfs, name: *const c_char, n: c_int, out: *mut c_char) -> c_int {
    guard(SQLITE_IOERR, || {
        // SAFETY: a C string; out holds n bytes.
        let (Some(e), Some(p), false) = (exported(vfs), unsafe { cstr(name) }, out.is_null() || n <= 0) else {
            return SQLITE_MISUSE;
        };
        match e.vfs.full_pathname(p) {
            Ok(full) if full.len() < n as usize => {
                unsafe {
                    ptr::copy_nonoverlapping(full.as_ptr(), out as *mut u8, full.len());
                    *out.add(full.len()) = 0;
                }
                SQLITE_OK
            }
            Ok(_) => crate::engine::error::code::CANTOPEN,
            Err(err) => code_of(&err),
        }
    })
}

unsafe extern "C" fn x_dl_open(_vfs: *mut sqlite3_vfs, _name: *const c_char) -> *mut c_void {
    ptr::null_mut()
}

unsafe extern "C" fn x_dl_error(_vfs: *mut sqlite3_vfs, n: c_int, out: *mut c_char) {
    const MSG: &[u8] = b"loading extensions is not supported yet by Ferrolite";
    if n > 0 && !out.is_null() {
        let len = MSG.len().min(n as usize - 1);
        // SAFETY: out holds n bytes.
        unsafe {
            ptr::copy_nonoverlapping(MSG.as_ptr(), out as *mut u8, len);
            *out.add(len) = 0;
        }
    }
}

unsafe extern "C" fn x_dl_sym(_vfs: *mut sqlite3_vfs, _h: *mut c_void, _sym: *const c_char) -> *mut c_void {
    ptr::null_mut()
}

unsafe extern "C" fn x_dl_close(_vfs: *mut sqlite3_vfs, _h: *mut c_void) {}

unsafe extern "C" fn x_randomness(vfs: *mut sqlite3_vfs, n: c_int, out: *mut c_char) -> c_int {
    guard(0, || {
        let (Some(e), false) = (exported(vfs), out.is_null() || n <= 0) else { return 0 };
        // SAFETY: out holds n bytes.
        let b = unsafe { std::slice::from_raw_parts_mut(out as *mut u8, n as usize) };
        e.vfs.randomness(b);
        n
    })
}

unsafe extern "C" fn x_sleep(vfs: *mut sqlite3_vfs, micros: c_int) -> c_int {
    guard(0, || exported(vfs).map_or(0, |e| e.vfs.sleep(micros.max(0) as u64) as c_int))
}

unsafe extern "C" fn x_current_time(vfs: *mut sqlite3_vfs, out: *mut c_double) -> c_int {
    guard(SQLITE_ERROR, || match (exported(vfs), out.is_null()) {
        (Some(e), false) => {
            // SAFETY: the caller's double.
            unsafe { *out = e.vfs.current_time() };
            SQLITE_OK
        }
        _ => SQLITE_ERROR,
    })
}

unsafe extern "C" fn x_current_time_int64(vfs: *mut sqlite3_vfs, out: *mut i64) -> c_int {
    guard(SQLITE_ERROR, || match (exported(vfs), out.is_null()) {
        (Some(e), false) => {
            // SAFETY: the caller's i64.
            unsafe { *out = e.vfs.current_time_ms() };
            SQLITE_OK
        }
        _ => SQLITE_ERROR,
    })
}

unsafe extern "C" fn x_get_last_error(_vfs: *mut sqlite3_vfs, _n: c_int, _out: *mut c_char) -> c_int {
    // SAFETY: reading errno is always allowed.
    unsafe { *libc::__errno_location() }
}

/// Wraps an engine VFS in a C `sqlite3_vfs` that lives for the rest of the process (inv. 2).
fn export(v: Arc<dyn Vfs>) -> *mut sqlite3_vfs {
    let name = CString::new(v.name()).unwrap_or_else(|_| c"ferrolite".into());
    let app = Box::into_raw(Box::new(Exported { vfs: v }));
    Box::into_raw(Box::new(sqlite3_vfs {
        iVersion: 2,
        szOsFile: std::mem::size_of::<CFileBox>() as c_int,
        mxPathname: 512,
        pNext: ptr::null_mut(),
        zName: name.into_raw(),
        pAppData: app as *mut c_void,
        xOpen: Some(x_open),
        xDelete: Some(x_delete),
        xAccess: Some(x_access),
        xFullPathname: Some(x_full_pathname),
        xDlOpen: Some(x_dl_open),
        xDlError: Some(x_dl_error),
        xDlSym: Some(x_dl_sym),
        xDlClose: Some(x_dl_close),
        xRandomness: Some(x_randomness),
        xSleep: Some(x_sleep),
        xCurrentTime: Some(x_current_time),
        xGetLastError: Some(x_get_last_error),
        xCurrentTimeInt64: Some(x_current_time_int64),
        xSetSystemCall: ptr::null(),
        xGetSystemCall: ptr::null(),
        xNextSystemCall: ptr::null(),
    }))
}

// ---------------------------------------------------------------------------------------------
// The registry
// ---------------------------------------------------------------------------------------------

struct Registry {
    /// Registered VFSes, the default first (as `usize` so the list is Send).
    list: Vec<usize>,
}

fn registry() -> &'static Mutex<Registry> {
    static R: OnceLock<Mutex<Registry>> = OnceLock::new();
    R.get_or_init(|| {
        let unix = export(Arc::new(vfs::unix::UnixVfs::new()));
        Mutex::new(Registry { list: vec![unix as usize] })
    })
}

/// Re-links `pNext` through the list, as SQLite keeps it.
fn relink(list: &[usize]) {
    for (i, &p) in list.iter().enumerate() {
        let next = list.get(i + 1).copied().unwrap_or(0) as *mut sqlite3_vfs;
        // SAFETY: registered structs are live for as long as they are registered.
        unsafe { (*(p as *mut sqlite3_vfs)).pNext = next };
    }
}

fn name_of(p: usize) -> &'static [u8] {
    // SAFETY: registered structs have a NUL-terminated zName (or NULL).
    unsafe {
        let v = &*(p as *const sqlite3_vfs);
        if v.zName.is_null() { b"" } else { CStr::from_ptr(v.zName).to_bytes() }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vfs_find(name: *const c_char) -> *mut sqlite3_vfs {
    guard(ptr::null_mut(), || {
        let r = registry().lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: a C string from the caller, or NULL for the default.
        match unsafe { crate::db::cstr_bytes(name) } {
            None => r.list.first().copied().unwrap_or(0) as *mut sqlite3_vfs,
            Some(n) => r.list.iter().copied().find(|&p| name_of(p) == n).unwrap_or(0) as *mut sqlite3_vfs,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vfs_register(v: *mut sqlite3_vfs, make_default: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        if v.is_null() {
            return SQLITE_MISUSE;
        }
        let mut r = registry().lock().unwrap_or_else(|e| e.into_inner());
        r.list.retain(|&p| p != v as usize);
        if make_default != 0 || r.list.is_empty() {
            r.list.insert(0, v as usize);
        } else {
            r.list.insert(1, v as usize);
        }
        relink(&r.list);
        SQLITE_OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vfs_unregister(v: *mut sqlite3_vfs) -> c_int {
    guard(SQLITE_MISUSE, || {
        if v.is_null() {
            return SQLITE_MISUSE;
        }
        let mut r = registry().lock().unwrap_or_else(|e| e.into_inner());
        r.list.retain(|&p| p != v as usize);
        relink(&r.list);
        // SAFETY: the program's struct, no longer in our list.
        unsafe { (*v).pNext = ptr::null_mut() };
        SQLITE_OK
    })
}

/// True when a VFS of this name is registered.
pub fn exists(name: &[u8]) -> bool {
    let r = registry().lock().unwrap_or_else(|e| e.into_inner());
    r.list.iter().any(|&p| name_of(p) == name)
}
