//! Library-wide state and identity: versions, compile options, `sqlite3_initialize`/`shutdown`,
//! `sqlite3_config` (called from the variadic C shim), `sqlite3_log`, sleep and randomness.
//!
//! Invariants:
//! 1. The identity strings come from the engine's constants, defined once there; the header's
//!    macros carry the same text (a C test compares them).
//! 2. `sqlite3_config` is accepted only while the library is not initialized, as in SQLite
//!    (`SQLITE_MISUSE` otherwise).
//! 3. The compile options are the engine's list (`func::compile_options`), shared with
//!    `sqlite_compileoption_used()` and `PRAGMA compile_options`.

use crate::engine;
use crate::guard::guard;
use crate::mem;
use libc::{c_char, c_int, c_void};
use std::ffi::CStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

pub const SQLITE_OK: c_int = 0;
pub const SQLITE_ERROR: c_int = 1;
pub const SQLITE_INTERNAL: c_int = 2;
pub const SQLITE_MISUSE: c_int = 21;
pub const SQLITE_RANGE: c_int = 25;
pub const SQLITE_NOMEM: c_int = 7;
pub const SQLITE_TOOBIG: c_int = 18;
pub const SQLITE_BUSY_CODE: c_int = 5;
pub const SQLITE_ROW: c_int = 100;
pub const SQLITE_DONE: c_int = 101;

static VERSION: &[u8] = b"3.40.1\0";

/// A NUL-terminated copy of `s` with static lifetime, made once per distinct use.
fn static_cstr(cell: &'static Mutex<Option<std::ffi::CString>>, s: &str) -> *const c_char {
    let mut g = cell.lock().unwrap_or_else(|e| e.into_inner());
    let c = g.get_or_insert_with(|| std::ffi::CString::new(s).expect("identity strings have no NUL"));
    c.as_ptr()
}

#[no_mangle]
pub extern "C" fn sqlite3_libversion() -> *const c_char {
    debug_assert_eq!(&VERSION[..VERSION.len() - 1], engine::SQLITE_VERSION.as_bytes());
    VERSION.as_ptr() as *const c_char
}

#[no_mangle]
pub extern "C" fn sqlite3_libversion_number() -> c_int {
    engine::SQLITE_VERSION_NUMBER
}

#[no_mangle]
pub extern "C" fn sqlite3_sourceid() -> *const c_char {
    static CELL: Mutex<Option<std::ffi::CString>> = Mutex::new(None);
    guard(std::ptr::null(), || static_cstr(&CELL, engine::SQLITE_SOURCE_ID))
}

/// libSQL's identity function: names the engine that answers.
#[no_mangle]
pub extern "C" fn libsql_libversion() -> *const c_char {
    static CELL: Mutex<Option<std::ffi::CString>> = Mutex::new(None);
    guard(std::ptr::null(), || {
        static_cstr(&CELL, &format!("ferrolite {}", engine::FERROLITE_VERSION))
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_threadsafe() -> c_int {
    1
}

fn compile_option_cstrs() -> &'static [std::ffi::CString] {
    static CELL: std::sync::OnceLock<Vec<std::ffi::CString>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        engine::func::compile_options::COMPILE_OPTIONS
            .iter()
            .map(|s| std::ffi::CString::new(*s).expect("options have no NUL"))
            .collect()
    })
}

/// The engine's option list and matching rule (one list for C and SQL).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_compileoption_used(name: *const c_char) -> c_int {
    guard(0, || {
        // SAFETY: the caller passes a NUL-terminated string or NULL.
        match unsafe { crate::db::cstr_bytes(name) } {
            Some(n) => engine::func::compile_options::option_used(n) as c_int,
            None => 0,
        }
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_compileoption_get(n: c_int) -> *const c_char {
    guard(std::ptr::null(), || {
        let opts = compile_option_cstrs();
        if n >= 0 && (n as usize) < opts.len() {
            opts[n as usize].as_ptr()
        } else {
            std::ptr::null()
        }
    })
}

static INITIALIZED: AtomicBool = AtomicBool::new(false);

pub fn is_initialized() -> bool {
    INITIALIZED.load(Ordering::Acquire)
}

#[no_mangle]
pub extern "C" fn sqlite3_initialize() -> c_int {
    INITIALIZED.store(true, Ordering::Release);
    SQLITE_OK
}

#[no_mangle]
pub extern "C" fn sqlite3_shutdown() -> c_int {
    INITIALIZED.store(false, Ordering::Release);
    SQLITE_OK
}

#[no_mangle]
pub extern "C" fn sqlite3_os_init() -> c_int {
    SQLITE_OK
}

#[no_mangle]
pub extern "C" fn sqlite3_os_end() -> c_int {
    SQLITE_OK
}

/// Arguments of one `sqlite3_config` call, unpacked by the C shim (`capi/c/shims.c`) according
/// to the operation: integers in `i`, pointers in `p`.
#[repr(C)]
pub struct ConfigArgs {
    pub i: [i64; 3],
    pub p: [*mut c_void; 3],
}

// SQLITE_CONFIG_* operation codes.
const CONFIG_SINGLETHREAD: c_int = 1;
const CONFIG_MULTITHREAD: c_int = 2;
const CONFIG_SERIALIZED: c_int = 3;
const CONFIG_MALLOC: c_int = 4;
const CONFIG_GETMALLOC: c_int = 5;
const CONFIG_LOG: c_int = 16;
const CONFIG_URI: c_int = 17;

/// `file:` names are URIs unless a program turned it off (Debian builds with SQLITE_USE_URI=1).
static URI_ENABLED: AtomicBool = AtomicBool::new(true);

pub fn uri_enabled() -> bool {
    URI_ENABLED.load(Ordering::Relaxed)
}

type LogFn = unsafe extern "C" fn(*mut c_void, c_int, *const c_char);
struct Logger {
    f: Option<LogFn>,
    arg: usize,
}
static LOGGER: Mutex<Logger> = Mutex::new(Logger { f: None, arg: 0 });
static LOG_DEPTH: AtomicUsize = AtomicUsize::new(0);

/// Called by the C shim of `sqlite3_config`.
#[no_mangle]
pub unsafe extern "C" fn fl_config(op: c_int, a: *const ConfigArgs) -> c_int {
    guard(SQLITE_INTERNAL, || {
        if is_initialized() {
            return SQLITE_MISUSE;
        }
        // SAFETY: the shim passes a pointer to a live ConfigArgs.
        let a = unsafe { &*a };
        match op {
            CONFIG_SINGLETHREAD | CONFIG_MULTITHREAD | CONFIG_SERIALIZED => SQLITE_OK,
            CONFIG_MALLOC => {
                if a.p[0].is_null() {
                    return SQLITE_MISUSE;
                }
                // SAFETY: the program passes a sqlite3_mem_methods*, copied as SQLite does.
                let m = unsafe { *(a.p[0] as *const mem::sqlite3_mem_methods) };
                mem::set_methods(Some(m));
                SQLITE_OK
            }
            CONFIG_GETMALLOC => {
                if a.p[0].is_null() {
                    return SQLITE_MISUSE;
                }
                // SAFETY: the program passes a writable sqlite3_mem_methods*.
                unsafe { *(a.p[0] as *mut mem::sqlite3_mem_methods) = mem::get_methods() };
                SQLITE_OK
            }
            CONFIG_LOG => {
                let mut l = LOGGER.lock().unwrap_or_else(|e| e.into_inner());
                // SAFETY: a NULL pointer is None; otherwise it is the program's callback.
                l.f = unsafe { std::mem::transmute::<*mut c_void, Option<LogFn>>(a.p[0]) };
                l.arg = a.p[1] as usize;
                SQLITE_OK
            }
            CONFIG_URI => {
                URI_ENABLED.store(a.i[0] != 0, Ordering::Relaxed);
                SQLITE_OK
            }
            // PCACHE_HDRSZ: Ferrolite's page cache needs no per-page header from the program.
            24 => {
                if !a.p[0].is_null() {
                    // SAFETY: the program passes an int*.
                    unsafe { *(a.p[0] as *mut c_int) = 0 };
                }
                SQLITE_OK
            }
            // Reading back the mutex or page-cache plug-in tables: not built yet.
            11 | 15 | 19 => SQLITE_ERROR,
            // Tuning knobs whose effect Ferrolite does not model: accepted, as SQLite accepts
            // them (lookaside, page cache buffers, mmap size, covering-index scan, URI, ...).
            // A custom mutex or page-cache implementation is accepted and not used.
            6..=10 | 12..=14 | 18 | 20..=23 | 25..=29 => SQLITE_OK,
            _ => SQLITE_ERROR,
        }
    })
}

/// Sends a message to the `SQLITE_CONFIG_LOG` callback, if one is installed.
pub fn log(code: c_int, msg: &[u8]) {
    let (f, arg) = {
        let l = LOGGER.lock().unwrap_or_else(|e| e.into_inner());
        (l.f, l.arg)
    };
    if let Some(f) = f {
        // A logger that logs must not recurse forever.
        if LOG_DEPTH.fetch_add(1, Ordering::AcqRel) == 0 {
            let mut z = msg.to_vec();
            z.retain(|&b| b != 0);
            z.push(0);
            // SAFETY: the program's callback, given a NUL-terminated message.
            unsafe { f(arg as *mut c_void, code, z.as_ptr() as *const c_char) };
        }
        LOG_DEPTH.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Tells the C shim of `sqlite3_log` whether formatting the message is worth it.
#[no_mangle]
pub extern "C" fn fl_log_enabled() -> c_int {
    LOGGER.lock().map(|l| l.f.is_some() as c_int).unwrap_or(0)
}

/// Called by the C shim of `sqlite3_log` with the already formatted message.
#[no_mangle]
pub unsafe extern "C" fn fl_log(code: c_int, msg: *const c_char) {
    guard((), || {
        if !msg.is_null() {
            // SAFETY: the shim passes a NUL-terminated string.
            log(code, unsafe { CStr::from_ptr(msg) }.to_bytes());
        }
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_sleep(ms: c_int) -> c_int {
    guard(0, || {
        let ms = ms.max(0);
        std::thread::sleep(std::time::Duration::from_millis(ms as u64));
        ms
    })
}

/// `sqlite3_randomness`: bytes from the OS's random source (never a fixed sequence).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_randomness(n: c_int, out: *mut c_void) {
    guard((), || {
        if n <= 0 || out.is_null() {
            return;
        }
        // SAFETY: the caller gives a buffer of n bytes.
        let buf = unsafe { std::slice::from_raw_parts_mut(out as *mut u8, n as usize) };
        fill_random(buf);
    })
}

/// Fills `buf` from getrandom(2), falling back to a time-seeded generator if it fails.
pub fn fill_random(buf: &mut [u8]) {
    let mut done = 0;
    while done < buf.len() {
        // SAFETY: writes at most the remaining length into buf.
        let r = unsafe {
            libc::getrandom(buf[done..].as_mut_ptr() as *mut c_void, buf.len() - done, 0)
        };
        if r <= 0 {
            break;
        }
        done += r as usize;
    }
    if done < buf.len() {
        let mut x = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15)
            | 1;
        for b in &mut buf[done..] {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
    }
}

#[no_mangle]
pub extern "C" fn sqlite3_enable_shared_cache(_on: c_int) -> c_int {
    // Shared-cache mode is a discouraged legacy feature; connections never share a cache here.
    SQLITE_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_options_match_names_the_sqlite_way() {
        let q = |s: &str| {
            let c = std::ffi::CString::new(s).expect("no NUL");
            // SAFETY: c is NUL-terminated.
            unsafe { sqlite3_compileoption_used(c.as_ptr()) }
        };
        assert_eq!(q("THREADSAFE"), 1);
        assert_eq!(q("sqlite_threadsafe"), 1);
        assert_eq!(q("THREADSAFE=1"), 1);
        assert_eq!(q("THREADSAF"), 0);
        assert_eq!(q("ENABLE_FTS5"), 0);
    }
}
