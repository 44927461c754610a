//! Database filenames as C sees them: the string `sqlite3_db_filename` returns and the
//! `sqlite3_uri_*` / `sqlite3_filename_*` functions that read it.
//!
//! Layout (Ferrolite's, with the properties SQLite documents): the database's full path, NUL,
//! then each URI parameter as key NUL value NUL, then an empty key (NUL), then the rollback
//! journal's name NUL and the WAL's name NUL. A memory or temporary database has an empty path
//! and no journal names. The functions here walk forward from the database name.
//!
//! Invariants:
//! 1. Only pointers this library returned as a database filename (`sqlite3_db_filename`,
//!    `sqlite3_create_filename`) are valid arguments, as SQLite requires.
//! 2. Parameter lookups see the parameters in URI order; the first of duplicates wins.

use crate::engine::uri::{boolean, DbName};
use crate::engine::vfs::Vfs;
use crate::guard::guard;
use crate::mem;
use libc::{c_char, c_int, c_void};
use std::ffi::CStr;
use std::ptr;

/// Builds the layout for an opened database (paths made absolute as the VFS does it).
pub fn filename_layout(n: &DbName) -> Vec<u8> {
    let path = if n.memory || n.temp {
        String::new()
    } else {
        crate::engine::vfs::unix::UnixVfs::new().full_pathname(&n.path).unwrap_or_else(|_| n.path.clone())
    };
    let params: Vec<(&str, &str)> = n.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    layout(&path, &params, !path.is_empty())
}

fn layout(path: &str, params: &[(&str, &str)], journals: bool) -> Vec<u8> {
    let mut v = Vec::new();
    let mut put = |s: &str| {
        v.extend(s.bytes().filter(|&b| b != 0));
        v.push(0);
    };
    put(path);
    for (k, val) in params {
        if !k.is_empty() {
            put(k);
            put(val);
        }
    }
    put("");
    if journals {
        put(&format!("{path}-journal"));
        put(&format!("{path}-wal"));
    } else {
        put("");
        put("");
    }
    v
}

/// The C string at `p` and the pointer just past its NUL.
///
/// # Safety
/// `p` points into a layout built by [`layout`] (invariant 1).
unsafe fn next(p: *const c_char) -> (&'static [u8], *const c_char) {
    // SAFETY: guaranteed by the caller.
    let s = unsafe { CStr::from_ptr(p) }.to_bytes();
    (s, unsafe { p.add(s.len() + 1) })
}

/// Walks the parameters of filename `f`: calls `visit(key_ptr, value_ptr)` until it returns
/// Some; returns the pointer after the parameter list's terminator when it never does.
unsafe fn walk<R>(f: *const c_char, mut visit: impl FnMut(&[u8], *const c_char) -> Option<R>) -> Result<R, *const c_char> {
    // SAFETY: f is a database filename of ours (invariant 1).
    let (_, mut p) = unsafe { next(f) };
    loop {
        let (k, after_k) = unsafe { next(p) };
        if k.is_empty() {
            return Err(after_k);
        }
        if let Some(r) = visit(k, after_k) {
            return Ok(r);
        }
        let (_, after_v) = unsafe { next(after_k) };
        p = after_v;
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_parameter(f: *const c_char, key: *const c_char) -> *const c_char {
    guard(ptr::null(), || {
        if f.is_null() || key.is_null() {
            return ptr::null();
        }
        // SAFETY: key is a C string; f is ours.
        let want = unsafe { CStr::from_ptr(key) }.to_bytes();
        unsafe { walk(f, |k, v| (k == want).then_some(v)) }.unwrap_or(ptr::null())
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_key(f: *const c_char, n: c_int) -> *const c_char {
    guard(ptr::null(), || {
        if f.is_null() || n < 0 {
            return ptr::null();
        }
        let mut i = 0;
        // SAFETY: f is ours.
        unsafe {
            walk(f, |_, v| {
                let hit = i == n;
                i += 1;
                // The key is the string just before its value.
                hit.then(|| {
                    let mut k = v.sub(1);
                    while k > f && *k.sub(1) != 0 {
                        k = k.sub(1);
                    }
                    k
                })
            })
        }
        .unwrap_or(ptr::null())
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_boolean(f: *const c_char, key: *const c_char, dflt: c_int) -> c_int {
    guard(dflt, || {
        // SAFETY: forwarded.
        let v = unsafe { sqlite3_uri_parameter(f, key) };
        if v.is_null() {
            return (dflt != 0) as c_int;
        }
        // SAFETY: a value string of ours.
        let s = unsafe { CStr::from_ptr(v) }.to_string_lossy();
        boolean(&s).map_or((dflt != 0) as c_int, |b| b as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_int64(f: *const c_char, key: *const c_char, dflt: i64) -> i64 {
    guard(dflt, || {
        // SAFETY: forwarded.
        let v = unsafe { sqlite3_uri_parameter(f, key) };
        if v.is_null() {
            return dflt;
        }
        // SAFETY: a value string of ours.
        let s = unsafe { CStr::from_ptr(v) }.to_string_lossy();
        let t = s.trim();
        if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            return u64::from_str_radix(h, 16).map(|u| u as i64).unwrap_or(dflt);
        }
        t.parse::<i64>().unwrap_or(dflt)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_filename_database(f: *const c_char) -> *const c_char {
    f
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_filename_journal(f: *const c_char) -> *const c_char {
    guard(ptr::null(), || {
        if f.is_null() {
            return ptr::null();
        }
        // SAFETY: f is ours; the journal name follows the parameter list.
        match unsafe { walk(f, |_, _| None::<()>) } {
            Err(j) => j,
            Ok(()) => ptr::null(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_filename_wal(f: *const c_char) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: forwarded; the WAL name follows the journal name.
        let j = unsafe { sqlite3_filename_journal(f) };
        if j.is_null() {
            return ptr::null();
        }
        unsafe { next(j) }.1
    })
}

/// `sqlite3_create_filename`: a filename in the layout above, for VFS shims and tests.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_filename(
    db: *const c_char,
    journal: *const c_char,
    wal: *const c_char,
    n: c_int,
    params: *mut *const c_char,
) -> *mut c_char {
    guard(ptr::null_mut(), || {
        // SAFETY: C strings from the caller; params holds 2*n strings.
        let s = |p: *const c_char| unsafe { crate::db::cstr_bytes(p) }.map(String::from_utf8_lossy).unwrap_or_default().into_owned();
        let mut kv = Vec::new();
        for i in 0..n.max(0) as usize {
            let (k, v) = unsafe { (*params.add(2 * i), *params.add(2 * i + 1)) };
            kv.push((s(k), s(v)));
        }
        let pairs: Vec<(&str, &str)> = kv.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut v = layout(&s(db), &pairs, false);
        // Replace the two empty journal names with the given ones.
        v.truncate(v.len() - 2);
        for name in [s(journal), s(wal)] {
            v.extend(name.bytes());
            v.push(0);
        }
        mem::alloc_cstring(&v[..v.len() - 1]) as *mut c_char
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_free_filename(f: *mut c_char) {
    guard((), || mem::free(f as *mut c_void))
}
