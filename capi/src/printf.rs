//! The C side of SQLite's printf dialect: `sqlite3_mprintf` and friends (via the C shims in
//! `capi/c/shims.c`) and the `sqlite3_str` string builder.
//!
//! Design: the formatter is the engine's (`func::printf`), implemented once. Here, [`CArgs`]
//! feeds it C varargs: it pulls each argument, with the type the format asks for, from the
//! shim's `va_list` cursor (`FlVa`) through the shim's `fl_va_*` readers.
//!
//! Invariants:
//! 1. Strings handed to C come from `sqlite3_malloc` (`crate::mem`) and are NUL-terminated.
//! 2. `%z` strings are freed with `sqlite3_free` after the whole format has been read, as
//!    SQLite does.
//! 3. A `sqlite3_str` in error state keeps its error and appends nothing more.

use crate::engine::func::printf::{try_format, IntWidth, PrintfArgs, DEFAULT_LIMIT};
use crate::global::{SQLITE_NOMEM, SQLITE_OK, SQLITE_TOOBIG};
use crate::guard::guard;
use crate::mem;
use libc::{c_char, c_int, c_void};
use std::ffi::CStr;
use std::ptr;

/// The shim's va_list cursor; only its address crosses into Rust.
#[repr(C)]
pub struct FlVa {
    _opaque: [u8; 0],
}

extern "C" {
    fn fl_va_int(v: *mut FlVa, width: c_int) -> i64;
    fn fl_va_double(v: *mut FlVa) -> f64;
    fn fl_va_str(v: *mut FlVa) -> *const c_char;
    fn fl_va_ptr(v: *mut FlVa) -> *mut c_void;
}

/// Arguments read from a C `va_list`.
struct CArgs {
    va: *mut FlVa,
    /// `%z` strings, freed once formatting is done (invariant 2).
    owned: Vec<*mut c_void>,
}

impl PrintfArgs for CArgs {
    fn int(&mut self, width: IntWidth) -> i64 {
        let w = match width {
            IntWidth::Int => 0,
            IntWidth::Long => 1,
            IntWidth::LongLong => 2,
        };
        // SAFETY: the format says an integer of this width comes next (the C contract).
        unsafe { fl_va_int(self.va, w) }
    }

    fn unsigned(&mut self, width: IntWidth) -> u64 {
        let v = self.int(width);
        match width {
            IntWidth::Int => v as u32 as u64,
            _ => v as u64,
        }
    }

    fn double(&mut self) -> f64 {
        // SAFETY: the format says a double comes next.
        unsafe { fl_va_double(self.va) }
    }

    fn string(&mut self, owned: bool) -> Option<Vec<u8>> {
        // SAFETY: the format says a char* comes next.
        let p = unsafe { fl_va_str(self.va) };
        if p.is_null() {
            return None;
        }
        // SAFETY: a NUL-terminated string from the caller.
        let s = unsafe { CStr::from_ptr(p) }.to_bytes().to_vec();
        if owned {
            self.owned.push(p as *mut c_void);
        }
        Some(s)
    }

    fn pointer(&mut self) -> u64 {
        // SAFETY: the format says a pointer comes next.
        unsafe { fl_va_ptr(self.va) as u64 }
    }

    fn store_count(&mut self, written: usize) {
        // SAFETY: for %n the C caller passes an int*.
        let p = unsafe { fl_va_ptr(self.va) } as *mut c_int;
        if !p.is_null() {
            // SAFETY: a writable int per the %n contract.
            unsafe { *p = written.min(c_int::MAX as usize) as c_int };
        }
    }
}

impl Drop for CArgs {
    fn drop(&mut self) {
        for p in self.owned.drain(..) {
            mem::free(p);
        }
    }
}

/// Formats `fmt` with C varargs; None if the result would be larger than `limit`.
fn format_c(fmt: *const c_char, va: *mut FlVa, limit: usize) -> Option<Vec<u8>> {
    // SAFETY: the format is a NUL-terminated C string (callers check NULL).
    let f = unsafe { CStr::from_ptr(fmt) }.to_bytes();
    let mut args = CArgs { va, owned: Vec::new() };
    try_format(f, &mut args, limit)
}

#[no_mangle]
pub unsafe extern "C" fn fl_vmprintf(fmt: *const c_char, va: *mut FlVa) -> *mut c_char {
    guard(ptr::null_mut(), || {
        if fmt.is_null() {
            return ptr::null_mut();
        }
        match format_c(fmt, va, DEFAULT_LIMIT) {
            Some(out) => mem::alloc_cstring(&out),
            None => ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn fl_vsnprintf(n: c_int, buf: *mut c_char, fmt: *const c_char, va: *mut FlVa) {
    guard((), || {
        if n <= 0 || buf.is_null() {
            return;
        }
        let out = if fmt.is_null() { Vec::new() } else { format_c(fmt, va, DEFAULT_LIMIT).unwrap_or_default() };
        let len = out.len().min(n as usize - 1);
        // SAFETY: buf holds n bytes; we write len < n bytes and a NUL.
        unsafe {
            ptr::copy_nonoverlapping(out.as_ptr(), buf as *mut u8, len);
            *buf.add(len) = 0;
        }
    })
}

// ---- sqlite3_str ----

pub struct sqlite3_str {
    buf: Vec<u8>,
    err: c_int,
    limit: usize,
    /// The NUL-terminated view `sqlite3_str_value` hands out.
    value_c: Vec<u8>,
}

impl sqlite3_str {
    fn push(&mut self, bytes: &[u8]) {
        if self.err != SQLITE_OK {
            return;
        }
        if self.buf.len() + bytes.len() > self.limit {
            self.err = SQLITE_TOOBIG;
            return;
        }
        self.buf.extend_from_slice(bytes);
    }
}

/// # Safety
/// `p` is NULL or a builder from `sqlite3_str_new` not yet finished.
unsafe fn builder<'a>(p: *mut sqlite3_str) -> Option<&'a mut sqlite3_str> {
    // SAFETY: guaranteed by the caller.
    unsafe { p.as_mut() }
}

#[no_mangle]
pub extern "C" fn sqlite3_str_new(db: *mut crate::db::sqlite3) -> *mut sqlite3_str {
    guard(ptr::null_mut(), || {
        let limit = crate::db::with_db(db, DEFAULT_LIMIT as c_int, |s| s.limits[0]) as usize;
        Box::into_raw(Box::new(sqlite3_str { buf: Vec::new(), err: SQLITE_OK, limit, value_c: Vec::new() }))
    })
}

#[no_mangle]
pub unsafe extern "C" fn fl_str_vappendf(p: *mut sqlite3_str, fmt: *const c_char, va: *mut FlVa) {
    guard((), || {
        // SAFETY: a builder from sqlite3_str_new.
        let Some(s) = (unsafe { builder(p) }) else { return };
        if fmt.is_null() || s.err != SQLITE_OK {
            return;
        }
        let room = s.limit.saturating_sub(s.buf.len());
        match format_c(fmt, va, room) {
            Some(out) => s.push(&out),
            None => s.err = SQLITE_TOOBIG,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_append(p: *mut sqlite3_str, z: *const c_char, n: c_int) {
    guard((), || {
        // SAFETY: a builder from sqlite3_str_new; z holds n bytes.
        if let (Some(s), false) = (unsafe { builder(p) }, z.is_null() || n <= 0) {
            s.push(unsafe { std::slice::from_raw_parts(z as *const u8, n as usize) });
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_appendall(p: *mut sqlite3_str, z: *const c_char) {
    guard((), || {
        // SAFETY: a builder from sqlite3_str_new; z is a C string.
        if let (Some(s), Some(b)) = (unsafe { builder(p) }, unsafe { crate::db::cstr_bytes(z) }) {
            s.push(b);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_appendchar(p: *mut sqlite3_str, n: c_int, c: c_char) {
    guard((), || {
        // SAFETY: a builder from sqlite3_str_new.
        if let Some(s) = unsafe { builder(p) } {
            if n > 0 {
                s.push(&vec![c as u8; n as usize]);
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_reset(p: *mut sqlite3_str) {
    guard((), || {
        // SAFETY: a builder from sqlite3_str_new.
        if let Some(s) = unsafe { builder(p) } {
            s.buf.clear();
            s.err = SQLITE_OK;
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_errcode(p: *mut sqlite3_str) -> c_int {
    // SAFETY: a builder from sqlite3_str_new, or NULL (SQLite reports NOMEM for NULL).
    guard(SQLITE_NOMEM, || unsafe { builder(p) }.map_or(SQLITE_NOMEM, |s| s.err))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_length(p: *mut sqlite3_str) -> c_int {
    // SAFETY: a builder from sqlite3_str_new.
    guard(0, || unsafe { builder(p) }.map_or(0, |s| if s.err == SQLITE_OK { s.buf.len() as c_int } else { 0 }))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_value(p: *mut sqlite3_str) -> *mut c_char {
    guard(ptr::null_mut(), || {
        // SAFETY: a builder from sqlite3_str_new.
        let Some(s) = (unsafe { builder(p) }) else { return ptr::null_mut() };
        if s.err != SQLITE_OK || s.buf.is_empty() {
            return ptr::null_mut();
        }
        s.value_c.clear();
        s.value_c.extend_from_slice(&s.buf);
        s.value_c.push(0);
        s.value_c.as_mut_ptr() as *mut c_char
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_finish(p: *mut sqlite3_str) -> *mut c_char {
    guard(ptr::null_mut(), || {
        if p.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: a builder from sqlite3_str_new, consumed here.
        let s = unsafe { Box::from_raw(p) };
        if s.err != SQLITE_OK || s.buf.is_empty() {
            return ptr::null_mut();
        }
        mem::alloc_cstring(&s.buf)
    })
}
