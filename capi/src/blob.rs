//! `sqlite3_blob`: incremental BLOB I/O over the engine's blob handles (engine/src/blob.rs).
//!
//! Design: a `sqlite3_blob` is a heap object owned by C from open to close, holding its
//! connection's handle and the engine's handle.
//!
//! Invariants:
//! 1. Every call takes the connection's mutex; a handle whose connection is gone is misuse.
//! 2. An open handle is counted in its connection's `blobs` (so the connection cannot close
//!    under it); close uncounts it and frees the object even when the engine reports an error.

use crate::db::{self, sqlite3, with_db_any};
use crate::engine::blob::Blob;
use crate::global::{SQLITE_ERROR, SQLITE_MISUSE, SQLITE_OK};
use crate::guard::guard;
use libc::{c_char, c_int, c_void};
use std::ptr;

pub struct sqlite3_blob {
    db: *mut sqlite3,
    blob: Blob,
}

/// Runs `f` on a blob handle with its connection's mutex held.
fn with_blob<R>(p: *mut sqlite3_blob, fail: R, f: impl FnOnce(&mut sqlite3_blob, &mut db::DbState) -> R) -> R {
    // SAFETY: a non-NULL handle is one this library allocated in sqlite3_blob_open.
    let Some(b) = (unsafe { p.as_mut() }) else { return fail };
    if !db::is_live(b.db) {
        return fail;
    }
    // SAFETY: live handle (checked).
    let h = unsafe { &*b.db };
    let b2: *mut sqlite3_blob = b;
    // SAFETY: `b2` is `b`; the closure is its only user while it runs.
    with_db_any(h, |st| f(unsafe { &mut *b2 }, st))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_open(
    db: *mut sqlite3,
    z_db: *const c_char,
    z_table: *const c_char,
    z_column: *const c_char,
    rowid: i64,
    flags: c_int,
    pp: *mut *mut sqlite3_blob,
) -> c_int {
    guard(SQLITE_MISUSE, || {
        if pp.is_null() {
            return SQLITE_MISUSE;
        }
        // SAFETY: pp is the caller's out-pointer (checked non-NULL).
        unsafe { *pp = ptr::null_mut() };
        // SAFETY: NUL-terminated strings from the caller (or NULL).
        let text = |p: *const c_char| unsafe { db::cstr_bytes(p) }.map(|b| String::from_utf8_lossy(b).into_owned());
        let (Some(table), Some(column)) = (text(z_table), text(z_column)) else { return SQLITE_MISUSE };
        let schema = text(z_db).unwrap_or_else(|| "main".to_string());
        db::with_db(db, SQLITE_MISUSE, |st| match st.conn.blob_open(&schema, &table, &column, rowid, flags != 0) {
            Ok(blob) => {
                st.blobs += 1;
                st.clear_error();
                // SAFETY: pp checked above; the object is freed by sqlite3_blob_close.
                unsafe { *pp = Box::into_raw(Box::new(sqlite3_blob { db, blob })) };
                SQLITE_OK
            }
            Err(e) => st.fail(&e),
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_reopen(p: *mut sqlite3_blob, rowid: i64) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_blob(p, SQLITE_MISUSE, |b, st| match st.conn.blob_reopen(&mut b.blob, rowid) {
            Ok(()) => {
                st.clear_error();
                SQLITE_OK
            }
            Err(e) => st.fail(&e),
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_close(p: *mut sqlite3_blob) -> c_int {
    guard(SQLITE_OK, || {
        if p.is_null() {
            return SQLITE_OK;
        }
        // SAFETY: the handle came from sqlite3_blob_open and is closed once (invariant 2).
        let b = unsafe { Box::from_raw(p) };
        let dbp = b.db;
        let rc = if db::is_live(dbp) {
            // SAFETY: live handle (checked).
            let h = unsafe { &*dbp };
            with_db_any(h, |st| match st.conn.blob_close(b.blob) {
                Ok(()) => SQLITE_OK,
                Err(e) => st.fail(&e),
            })
        } else {
            SQLITE_OK
        };
        db::forget_blob(dbp);
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_bytes(p: *mut sqlite3_blob) -> c_int {
    // SAFETY: NULL or a handle from sqlite3_blob_open.
    guard(0, || unsafe { p.as_ref() }.map_or(0, |b| b.blob.bytes() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_read(p: *mut sqlite3_blob, z: *mut c_void, n: c_int, offset: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_blob(p, SQLITE_MISUSE, |b, st| {
            if n < 0 || offset < 0 || (z.is_null() && n > 0) {
                return st.fail(&crate::engine::Error::from_code(SQLITE_ERROR));
            }
            let mut tmp = vec![0u8; n as usize];
            match st.conn.blob_read(&mut b.blob, offset as usize, &mut tmp) {
                Ok(()) => {
                    if n > 0 {
                        // SAFETY: the caller's buffer holds at least n bytes.
                        unsafe { ptr::copy_nonoverlapping(tmp.as_ptr(), z as *mut u8, n as usize) };
                    }
                    st.clear_error();
                    SQLITE_OK
                }
                Err(e) => st.fail(&e),
            }
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_write(p: *mut sqlite3_blob, z: *const c_void, n: c_int, offset: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_blob(p, SQLITE_MISUSE, |b, st| {
            if n < 0 || offset < 0 || (z.is_null() && n > 0) {
                return st.fail(&crate::engine::Error::from_code(SQLITE_ERROR));
            }
            let data: &[u8] = if n == 0 {
                &[]
            } else {
                // SAFETY: the caller's buffer holds n bytes.
                unsafe { std::slice::from_raw_parts(z as *const u8, n as usize) }
            };
            match st.conn.blob_write(&mut b.blob, offset as usize, data) {
                Ok(()) => {
                    st.clear_error();
                    SQLITE_OK
                }
                Err(e) => st.fail(&e),
            }
        })
    })
}
