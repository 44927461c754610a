//! `sqlite3_backup`: the online backup API over the engine's page copy (engine/src/backup.rs).
//!
//! Design: a `sqlite3_backup` is a heap object owned by C from init to finish, holding both
//! connections' handles and the engine's backup state.
//!
//! Invariants:
//! 1. A step takes the destination's mutex, then the source's (SQLite's order).
//! 2. Errors are reported on the destination connection, as SQLite does; `finish` returns the
//!    error of the last step that failed (SQLITE_OK after a complete copy).

use crate::db::{self, sqlite3, with_db_any};
use crate::engine::backup::Backup;
use crate::global::{SQLITE_DONE, SQLITE_ERROR, SQLITE_MISUSE, SQLITE_OK};
use crate::guard::guard;
use libc::{c_char, c_int};
use std::ptr;

pub struct sqlite3_backup {
    dest: *mut sqlite3,
    src: *mut sqlite3,
    state: Backup,
    /// The code of the last step (invariant 2).
    rc: c_int,
}

/// "main" (or NULL) is the only database name a connection has here.
fn is_main(p: *const c_char) -> bool {
    // SAFETY: a NUL-terminated string from the caller, or NULL.
    unsafe { db::cstr_bytes(p) }.is_none_or(|b| b.eq_ignore_ascii_case(b"main"))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_init(
    dest: *mut sqlite3,
    dest_name: *const c_char,
    src: *mut sqlite3,
    src_name: *const c_char,
) -> *mut sqlite3_backup {
    guard(ptr::null_mut(), || {
        if !db::is_live(dest) || !db::is_live(src) {
            return ptr::null_mut();
        }
        if dest == src {
            db::set_error(dest, SQLITE_ERROR, "source and destination must be distinct");
            return ptr::null_mut();
        }
        if !is_main(src_name) {
            // SAFETY: checked NUL-terminated string.
            let n = unsafe { db::cstr_bytes(src_name) }.map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
            db::set_error(dest, SQLITE_ERROR, &format!("unknown database {n}"));
            return ptr::null_mut();
        }
        if !is_main(dest_name) {
            // SAFETY: checked NUL-terminated string.
            let n = unsafe { db::cstr_bytes(dest_name) }.map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
            db::set_error(dest, SQLITE_ERROR, &format!("unknown database {n}"));
            return ptr::null_mut();
        }
        let in_use = db::with_db(dest, true, |st| !st.conn.is_idle());
        if in_use {
            db::set_error(dest, SQLITE_ERROR, "destination database is in use");
            return ptr::null_mut();
        }
        Box::into_raw(Box::new(sqlite3_backup { dest, src, state: Backup::new(), rc: SQLITE_OK }))
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_step(p: *mut sqlite3_backup, n: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        // SAFETY: NULL or a handle from sqlite3_backup_init.
        let Some(b) = (unsafe { p.as_mut() }) else { return SQLITE_MISUSE };
        if !db::is_live(b.dest) || !db::is_live(b.src) {
            return SQLITE_MISUSE;
        }
        // SAFETY: live handles (checked).
        let (hd, hs) = unsafe { (&*b.dest, &*b.src) };
        let rc = with_db_any(hd, |d| {
            with_db_any(hs, |s| match b.state.step(&mut d.conn, &mut s.conn, n) {
                Ok(true) => SQLITE_DONE,
                Ok(false) => SQLITE_OK,
                Err(e) => d.fail(&e),
            })
        });
        b.rc = rc;
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_finish(p: *mut sqlite3_backup) -> c_int {
    guard(SQLITE_OK, || {
        if p.is_null() {
            return SQLITE_OK;
        }
        // SAFETY: the handle came from sqlite3_backup_init and is finished once.
        let mut b = unsafe { Box::from_raw(p) };
        if db::is_live(b.dest) && !b.state.is_done() {
            // SAFETY: live handle (checked).
            let hd = unsafe { &*b.dest };
            with_db_any(hd, |d| b.state.abandon(&mut d.conn));
        }
        match b.rc {
            SQLITE_OK | SQLITE_DONE => SQLITE_OK,
            rc => rc,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_remaining(p: *mut sqlite3_backup) -> c_int {
    // SAFETY: NULL or a handle from sqlite3_backup_init.
    guard(0, || unsafe { p.as_ref() }.map_or(0, |b| b.state.remaining() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_pagecount(p: *mut sqlite3_backup) -> c_int {
    // SAFETY: NULL or a handle from sqlite3_backup_init.
    guard(0, || unsafe { p.as_ref() }.map_or(0, |b| b.state.page_count() as c_int))
}
