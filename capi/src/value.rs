//! `sqlite3_value`: a value as C sees it, with the conversions and pointer lifetimes of
//! `sqlite3_value_*` and `sqlite3_column_*`.
//!
//! Design: a `sqlite3_value` wraps an engine `Value` and caches the forms C has asked for
//! (NUL-terminated UTF-8 text, UTF-16 text, blob bytes). A pointer returned by `_text`,
//! `_text16` or `_blob` points into that cache.
//!
//! Invariants:
//! 1. A cached form stays valid until the value is replaced (next step/reset/finalize for
//!    column values) or until a conversion to a different form of the same value is asked for,
//!    which is exactly SQLite's documented lifetime.
//! 2. `sqlite3_value_type` reports the storage class of the value as it was produced; asking
//!    for another form never changes it.
//! 3. Conversions are the engine's (`value::convert`), which follow SQLite's rules.

use crate::engine::value::affinity::{apply, Affinity};
pub(crate) use crate::engine::value::convert::{to_f64 as to_double, to_i64 as to_int64, to_text};
use crate::engine::value::{StorageClass, Value};
use crate::guard::guard;
use libc::{c_char, c_int, c_void};
use std::ptr;

pub struct sqlite3_value {
    pub value: Value,
    /// UTF-8 text form with a trailing NUL, when asked for.
    text: Option<Vec<u8>>,
    /// Native-endian UTF-16 text form with a trailing NUL unit, when asked for.
    text16: Option<Vec<u16>>,
}

impl sqlite3_value {
    pub fn new(value: Value) -> sqlite3_value {
        sqlite3_value { value, text: None, text16: None }
    }

    /// Replaces the value with a copy of `v`, reusing the buffers (invariant 1 holds: the
    /// cached forms are dropped).
    pub fn assign(&mut self, v: &Value) {
        self.value.assign_from(v);
        self.text = None;
        self.text16 = None;
    }

    /// Replaces the value, dropping every cached form (invariant 1).
    pub fn set(&mut self, value: Value) {
        self.value = value;
        self.text = None;
        self.text16 = None;
    }

    fn text_ptr(&mut self) -> *const u8 {
        if matches!(self.value, Value::Null) {
            return ptr::null();
        }
        self.text16 = None;
        let v = &self.value;
        let t = self.text.get_or_insert_with(|| {
            let mut b = to_text(v);
            b.push(0);
            b
        });
        t.as_ptr()
    }

    fn text16_ptr(&mut self) -> *const u16 {
        if matches!(self.value, Value::Null) {
            return ptr::null();
        }
        self.text = None;
        let v = &self.value;
        let t = self.text16.get_or_insert_with(|| {
            let bytes = to_text(v);
            let mut u: Vec<u16> = String::from_utf8_lossy(&bytes).encode_utf16().collect();
            u.push(0);
            u
        });
        t.as_ptr()
    }

    fn blob_ptr(&mut self) -> *const c_void {
        match &self.value {
            Value::Null => ptr::null(),
            Value::Blob(b) if b.is_empty() => ptr::null(),
            Value::Blob(b) => b.as_ptr() as *const c_void,
            Value::Text(t) if t.is_empty() => ptr::null(),
            _ => self.text_ptr() as *const c_void,
        }
    }

    fn bytes(&self) -> c_int {
        bytes_of(&self.value)
    }

    fn bytes16(&self) -> c_int {
        match &self.value {
            Value::Null => 0,
            v => (String::from_utf8_lossy(&to_text(v)).encode_utf16().count() * 2) as c_int,
        }
    }
}

/// `sqlite3_value_bytes` of a value: the length of its blob or text form.
pub fn bytes_of(v: &Value) -> c_int {
    match v {
        Value::Null => 0,
        Value::Blob(b) | Value::Text(b) => b.len() as c_int,
        v => to_text(v).len() as c_int,
    }
}

// ---- sqlite3_value_* ----

/// # Safety
/// `p` is NULL or a value this library handed out.
unsafe fn val<'a>(p: *mut sqlite3_value) -> Option<&'a mut sqlite3_value> {
    // SAFETY: guaranteed by the caller.
    unsafe { p.as_mut() }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_type(p: *mut sqlite3_value) -> c_int {
    // SAFETY: values come from this library.
    guard(5, || unsafe { val(p) }.map_or(5, |v| v.value.storage_class() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_numeric_type(p: *mut sqlite3_value) -> c_int {
    guard(5, || {
        // SAFETY: values come from this library.
        let Some(v) = (unsafe { val(p) }) else { return 5 };
        if let Value::Text(_) = &v.value {
            let n = apply(v.value.clone(), Affinity::Numeric);
            if !matches!(n, Value::Text(_)) {
                v.set(n);
            }
        }
        v.value.storage_class() as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_int64(p: *mut sqlite3_value) -> i64 {
    // SAFETY: values come from this library.
    guard(0, || unsafe { val(p) }.map_or(0, |v| to_int64(&v.value)))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_int(p: *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    unsafe { sqlite3_value_int64(p) as c_int }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_double(p: *mut sqlite3_value) -> f64 {
    // SAFETY: values come from this library.
    guard(0.0, || unsafe { val(p) }.map_or(0.0, |v| to_double(&v.value)))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_text(p: *mut sqlite3_value) -> *const u8 {
    // SAFETY: values come from this library.
    guard(ptr::null(), || unsafe { val(p) }.map_or(ptr::null(), |v| v.text_ptr()))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_text16(p: *mut sqlite3_value) -> *const c_void {
    // SAFETY: values come from this library.
    guard(ptr::null(), || unsafe { val(p) }.map_or(ptr::null(), |v| v.text16_ptr() as *const c_void))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_blob(p: *mut sqlite3_value) -> *const c_void {
    // SAFETY: values come from this library.
    guard(ptr::null(), || unsafe { val(p) }.map_or(ptr::null(), |v| v.blob_ptr()))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_bytes(p: *mut sqlite3_value) -> c_int {
    // SAFETY: values come from this library.
    guard(0, || unsafe { val(p) }.map_or(0, |v| v.bytes()))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_bytes16(p: *mut sqlite3_value) -> c_int {
    // SAFETY: values come from this library.
    guard(0, || unsafe { val(p) }.map_or(0, |v| v.bytes16()))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_dup(p: *const sqlite3_value) -> *mut sqlite3_value {
    guard(ptr::null_mut(), || {
        // SAFETY: values come from this library.
        match unsafe { p.as_ref() } {
            Some(v) => Box::into_raw(Box::new(sqlite3_value::new(v.value.clone()))),
            None => ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_free(p: *mut sqlite3_value) {
    guard((), || {
        if !p.is_null() {
            // SAFETY: only values from sqlite3_value_dup are freed by the program.
            drop(unsafe { Box::from_raw(p) });
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_subtype(_p: *mut sqlite3_value) -> libc::c_uint {
    0
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_frombind(_p: *mut sqlite3_value) -> c_int {
    0
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_nochange(_p: *mut sqlite3_value) -> c_int {
    0
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_encoding(p: *mut sqlite3_value) -> c_int {
    // SAFETY: values come from this library.
    guard(0, || match unsafe { val(p) } {
        Some(v) if v.value.storage_class() == StorageClass::Text => 1, // SQLITE_UTF8
        _ => 0,
    })
}

/// Reads C text that ends at its first NUL: `n` bytes or fewer, or up to the NUL when n < 0
/// (SQL text handed to prepare, error messages).
///
/// # Safety
/// `p` points to at least `n` readable bytes, or to a NUL-terminated string when n < 0.
pub unsafe fn c_text(p: *const c_char, n: c_int) -> Vec<u8> {
    // SAFETY: forwarded with the caller's contract.
    let mut v = unsafe { c_text_value(p, n) };
    if let Some(z) = v.iter().position(|&c| c == 0) {
        v.truncate(z);
    }
    v
}

/// Reads a text value: exactly `n` bytes, NULs included (sqlite3_bind_text and
/// sqlite3_result_text keep them, as SQLite does), or up to the NUL when n < 0.
///
/// # Safety
/// As [`c_text`].
pub unsafe fn c_text_value(p: *const c_char, n: c_int) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    if n < 0 {
        // SAFETY: NUL-terminated per the contract.
        unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().to_vec()
    } else {
        // SAFETY: n readable bytes per the contract.
        unsafe { std::slice::from_raw_parts(p as *const u8, n as usize) }.to_vec()
    }
}
