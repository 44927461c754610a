//! The one allocator behind every pointer handed to C: `sqlite3_malloc`, `sqlite3_free`,
//! `sqlite3_realloc`, `sqlite3_msize`, and the memory statistics.
//!
//! Design: by default each block is `libc::malloc`ed with a 16-byte header in front that holds
//! the requested size (16 keeps the user pointer aligned for any C type); `sqlite3_msize` reads
//! it back. When a program installs its own allocator with `SQLITE_CONFIG_MALLOC`, every call is
//! routed to its `xMalloc`/`xFree`/`xRealloc`/`xSize` and no header is added.
//!
//! Invariants:
//! 1. A pointer returned here is released only by `sqlite3_free`/`sqlite3_realloc` (never by
//!    Rust's allocator), and NULL is never returned for a successful non-zero request.
//! 2. `MEMORY_USED` is the sum of the sizes of the live blocks; `HIGHWATER` is its maximum since
//!    the last reset.
//! 3. The allocator is chosen at `SQLITE_CONFIG_MALLOC` time, which SQLite allows only before
//!    `sqlite3_initialize`; a block is always freed by the allocator that made it.

use crate::guard::guard;
use libc::{c_char, c_int, c_void};
use std::ptr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::RwLock;

/// `struct sqlite3_mem_methods` (include/sqlite3.h).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sqlite3_mem_methods {
    pub xMalloc: Option<unsafe extern "C" fn(c_int) -> *mut c_void>,
    pub xFree: Option<unsafe extern "C" fn(*mut c_void)>,
    pub xRealloc: Option<unsafe extern "C" fn(*mut c_void, c_int) -> *mut c_void>,
    pub xSize: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    pub xRoundup: Option<unsafe extern "C" fn(c_int) -> c_int>,
    pub xInit: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    pub xShutdown: Option<unsafe extern "C" fn(*mut c_void)>,
    pub pAppData: *mut c_void,
}

// SAFETY: the struct is a table of C function pointers and an opaque pointer that the program
// gave us to share across threads (SQLite's contract for SQLITE_CONFIG_MALLOC).
unsafe impl Send for sqlite3_mem_methods {}
unsafe impl Sync for sqlite3_mem_methods {}

const HEADER: usize = 16;
/// SQLite refuses single allocations this large (its SQLITE_MAX_ALLOCATION_SIZE).
const MAX_ALLOC: u64 = 2_147_483_391;

static CUSTOM: RwLock<Option<sqlite3_mem_methods>> = RwLock::new(None);
static MEMORY_USED: AtomicI64 = AtomicI64::new(0);
static HIGHWATER: AtomicI64 = AtomicI64::new(0);

fn custom() -> Option<sqlite3_mem_methods> {
    *CUSTOM.read().unwrap_or_else(|e| e.into_inner())
}

/// Installs (or with None, removes) the program's allocator (`SQLITE_CONFIG_MALLOC`).
pub fn set_methods(m: Option<sqlite3_mem_methods>) {
    *CUSTOM.write().unwrap_or_else(|e| e.into_inner()) = m;
}

/// The allocator in force, for `SQLITE_CONFIG_GETMALLOC`.
pub fn get_methods() -> sqlite3_mem_methods {
    custom().unwrap_or(sqlite3_mem_methods {
        xMalloc: Some(default_malloc),
        xFree: Some(default_free),
        xRealloc: Some(default_realloc),
        xSize: Some(default_size),
        xRoundup: Some(default_roundup),
        xInit: Some(default_init),
        xShutdown: Some(default_shutdown),
        pAppData: ptr::null_mut(),
    })
}

fn account(delta: i64) {
    let now = MEMORY_USED.fetch_add(delta, Ordering::Relaxed) + delta;
    HIGHWATER.fetch_max(now, Ordering::Relaxed);
}

/// Allocates `n` bytes (n > 0) from the allocator in force; NULL when out of memory.
pub fn alloc(n: u64) -> *mut c_void {
    if n == 0 || n > MAX_ALLOC {
        return ptr::null_mut();
    }
    // SAFETY: the custom allocator's functions were given by the program for exactly this use;
    // the default ones are defined below.
    let p = unsafe {
        match custom() {
            Some(m) => match m.xMalloc {
                Some(f) => f(n as c_int),
                None => ptr::null_mut(),
            },
            None => default_malloc(n as c_int),
        }
    };
    if !p.is_null() {
        account(size_of(p) as i64);
    }
    p
}

/// Frees a block from [`alloc`]; NULL is ignored.
pub fn free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    account(-(size_of(p) as i64));
    // SAFETY: p came from alloc()/realloc() of the allocator in force (invariant 3).
    unsafe {
        match custom() {
            Some(m) => {
                if let Some(f) = m.xFree {
                    f(p)
                }
            }
            None => default_free(p),
        }
    }
}

/// Resizes a block as `sqlite3_realloc64` does (NULL p allocates; n == 0 frees).
pub fn realloc(p: *mut c_void, n: u64) -> *mut c_void {
    if p.is_null() {
        return alloc(n);
    }
    if n == 0 {
        free(p);
        return ptr::null_mut();
    }
    if n > MAX_ALLOC {
        return ptr::null_mut();
    }
    let old = size_of(p) as i64;
    // SAFETY: as in free(): p belongs to the allocator in force.
    let q = unsafe {
        match custom() {
            Some(m) => match m.xRealloc {
                Some(f) => f(p, n as c_int),
                None => ptr::null_mut(),
            },
            None => default_realloc(p, n as c_int),
        }
    };
    if !q.is_null() {
        account(size_of(q) as i64 - old);
    }
    q
}

/// The usable size of a block (`sqlite3_msize`); 0 for NULL.
pub fn size_of(p: *mut c_void) -> u64 {
    if p.is_null() {
        return 0;
    }
    // SAFETY: p belongs to the allocator in force.
    unsafe {
        match custom() {
            Some(m) => m.xSize.map(|f| f(p).max(0) as u64).unwrap_or(0),
            None => default_size(p) as u64,
        }
    }
}

/// Copies `bytes` into a new NUL-terminated C string from [`alloc`] (NULL on out of memory).
pub fn alloc_cstring(bytes: &[u8]) -> *mut c_char {
    let p = alloc(bytes.len() as u64 + 1) as *mut u8;
    if !p.is_null() {
        // SAFETY: p has room for len + 1 bytes.
        unsafe {
            ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
            *p.add(bytes.len()) = 0;
        }
    }
    p as *mut c_char
}

unsafe extern "C" fn default_malloc(n: c_int) -> *mut c_void {
    if n <= 0 {
        return ptr::null_mut();
    }
    // SAFETY: plain libc allocation; the header stores the size for default_size().
    let base = libc::malloc(n as usize + HEADER) as *mut u8;
    if base.is_null() {
        return ptr::null_mut();
    }
    (base as *mut u64).write(n as u64);
    base.add(HEADER) as *mut c_void
}

unsafe extern "C" fn default_free(p: *mut c_void) {
    if !p.is_null() {
        // SAFETY: p was returned by default_malloc/default_realloc, HEADER bytes past the base.
        libc::free((p as *mut u8).sub(HEADER) as *mut c_void);
    }
}

unsafe extern "C" fn default_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    if p.is_null() {
        return default_malloc(n);
    }
    if n <= 0 {
        return ptr::null_mut();
    }
    // SAFETY: as in default_free; the new block gets its header rewritten.
    let base = libc::realloc((p as *mut u8).sub(HEADER) as *mut c_void, n as usize + HEADER) as *mut u8;
    if base.is_null() {
        return ptr::null_mut();
    }
    (base as *mut u64).write(n as u64);
    base.add(HEADER) as *mut c_void
}

unsafe extern "C" fn default_size(p: *mut c_void) -> c_int {
    if p.is_null() {
        return 0;
    }
    // SAFETY: the header before p holds the size written by default_malloc/default_realloc.
    ((p as *mut u8).sub(HEADER) as *const u64).read() as c_int
}

unsafe extern "C" fn default_roundup(n: c_int) -> c_int {
    (n + 7) & !7
}

unsafe extern "C" fn default_init(_: *mut c_void) -> c_int {
    0
}

unsafe extern "C" fn default_shutdown(_: *mut c_void) {}

// ---- exported functions ----

#[no_mangle]
pub extern "C" fn sqlite3_malloc(n: c_int) -> *mut c_void {
    guard(ptr::null_mut(), || if n <= 0 { ptr::null_mut() } else { alloc(n as u64) })
}

#[no_mangle]
pub extern "C" fn sqlite3_malloc64(n: u64) -> *mut c_void {
    guard(ptr::null_mut(), || alloc(n))
}

#[no_mangle]
pub extern "C" fn sqlite3_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    guard(ptr::null_mut(), || realloc(p, n.max(0) as u64))
}

#[no_mangle]
pub extern "C" fn sqlite3_realloc64(p: *mut c_void, n: u64) -> *mut c_void {
    guard(ptr::null_mut(), || realloc(p, n))
}

#[no_mangle]
pub extern "C" fn sqlite3_free(p: *mut c_void) {
    guard((), || free(p))
}

#[no_mangle]
pub extern "C" fn sqlite3_msize(p: *mut c_void) -> u64 {
    guard(0, || size_of(p))
}

#[no_mangle]
pub extern "C" fn sqlite3_memory_used() -> i64 {
    MEMORY_USED.load(Ordering::Relaxed)
}

#[no_mangle]
pub extern "C" fn sqlite3_memory_highwater(reset: c_int) -> i64 {
    let hw = HIGHWATER.load(Ordering::Relaxed);
    if reset != 0 {
        HIGHWATER.store(MEMORY_USED.load(Ordering::Relaxed), Ordering::Relaxed);
    }
    hw
}

#[no_mangle]
pub extern "C" fn sqlite3_release_memory(_n: c_int) -> c_int {
    0
}

static SOFT_LIMIT: AtomicI64 = AtomicI64::new(0);
static HARD_LIMIT: AtomicI64 = AtomicI64::new(0);

/// Heap limits are recorded and reported; the engine does not enforce them yet (COMPAT.md).
#[no_mangle]
pub extern "C" fn sqlite3_soft_heap_limit64(n: i64) -> i64 {
    let old = SOFT_LIMIT.load(Ordering::Relaxed);
    if n >= 0 {
        let hard = HARD_LIMIT.load(Ordering::Relaxed);
        let n = if hard > 0 && (n > hard || n == 0) { hard } else { n };
        SOFT_LIMIT.store(n, Ordering::Relaxed);
    }
    old
}

#[no_mangle]
pub extern "C" fn sqlite3_hard_heap_limit64(n: i64) -> i64 {
    let old = HARD_LIMIT.load(Ordering::Relaxed);
    if n >= 0 {
        HARD_LIMIT.store(n, Ordering::Relaxed);
        let soft = SOFT_LIMIT.load(Ordering::Relaxed);
        if n > 0 && (soft == 0 || soft > n) {
            SOFT_LIMIT.store(n, Ordering::Relaxed);
        }
    }
    old
}

#[no_mangle]
pub extern "C" fn sqlite3_soft_heap_limit(n: c_int) {
    sqlite3_soft_heap_limit64(n.max(0) as i64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msize_and_accounting_follow_the_blocks() {
        let before = ();
        let p = sqlite3_malloc(100);
        assert!(!p.is_null());
        assert_eq!(sqlite3_msize(p), 100);
        let q = sqlite3_realloc(p, 300);
        assert_eq!(sqlite3_msize(q), 300);
        sqlite3_free(q);
        assert!(sqlite3_malloc(0).is_null());
        assert!(sqlite3_realloc(ptr::null_mut(), 0).is_null());
        let _ = before;
    }
}
