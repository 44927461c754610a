//! `sqlite3_exec` and `sqlite3_get_table`: running a string of statements with a callback.
//!
//! Design: both are clients of the statement API, exactly as a C program would write them:
//! prepare the first statement, step it to the end, continue at the tail the parser reported
//! (never at a `;` found by searching, so trigger bodies and strings stay whole).
//!
//! Invariants:
//! 1. `*errmsg` is NULL on success and a `sqlite3_malloc`ed copy of the connection's message on
//!    failure.
//! 2. A callback that returns non-zero stops the run with `SQLITE_ABORT` ("query aborted").
//! 3. `sqlite3_get_table`'s array is one allocation of pointers preceded by its own length, so
//!    `sqlite3_free_table` needs nothing else to free every string and the array.

use crate::db::{self, sqlite3};
use crate::global::{SQLITE_DONE, SQLITE_INTERNAL, SQLITE_MISUSE, SQLITE_OK, SQLITE_ROW};
use crate::guard::guard;
use crate::mem;
use crate::stmt::{
    sqlite3_column_count, sqlite3_column_name, sqlite3_column_text, sqlite3_finalize,
    sqlite3_prepare_v2, sqlite3_step, sqlite3_stmt,
};
use libc::{c_char, c_int, c_void};
use std::ptr;

const SQLITE_ABORT: c_int = 4;

type Callback = unsafe extern "C" fn(*mut c_void, c_int, *mut *mut c_char, *mut *mut c_char) -> c_int;

fn exec_impl(db: *mut sqlite3, sql: *const c_char, cb: Option<Callback>, arg: *mut c_void) -> c_int {
    if !db::is_live(db) {
        return SQLITE_MISUSE;
    }
    let mut z = if sql.is_null() { c"".as_ptr() } else { sql };
    loop {
        // SAFETY: z is inside the caller's NUL-terminated string.
        if unsafe { *z } == 0 {
            return SQLITE_OK;
        }
        let mut stmt: *mut sqlite3_stmt = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        // SAFETY: a live connection and a NUL-terminated string.
        let rc = unsafe { sqlite3_prepare_v2(db, z, -1, &mut stmt, &mut tail) };
        if rc != SQLITE_OK {
            return rc;
        }
        if stmt.is_null() {
            if tail.is_null() || tail == z {
                return SQLITE_OK;
            }
            z = tail;
            continue;
        }
        // SAFETY: stmt was just prepared.
        let ncol = unsafe { sqlite3_column_count(stmt) };
        loop {
            // SAFETY: stmt is live until finalized below.
            let rc = unsafe { sqlite3_step(stmt) };
            if rc == SQLITE_ROW {
                if let Some(f) = cb {
                    let mut cols: Vec<*mut c_char> = (0..ncol)
                        // SAFETY: column indexes are in range.
                        .map(|i| unsafe { sqlite3_column_name(stmt, i) } as *mut c_char)
                        .collect();
                    let mut vals: Vec<*mut c_char> = (0..ncol)
                        // SAFETY: as above; NULL columns give NULL pointers.
                        .map(|i| unsafe { sqlite3_column_text(stmt, i) } as *mut c_char)
                        .collect();
                    // SAFETY: the program's callback, with arrays of ncol entries.
                    if unsafe { f(arg, ncol, vals.as_mut_ptr(), cols.as_mut_ptr()) } != 0 {
                        // SAFETY: finalizing our own statement.
                        unsafe { sqlite3_finalize(stmt) };
                        db::set_error(db, SQLITE_ABORT, "query aborted");
                        return SQLITE_ABORT;
                    }
                }
                continue;
            }
            // SAFETY: finalizing our own statement; it reports the step's error, if any.
            let frc = unsafe { sqlite3_finalize(stmt) };
            if rc != SQLITE_DONE {
                return if frc != SQLITE_OK { frc } else { rc };
            }
            break;
        }
        z = tail;
        if z.is_null() {
            return SQLITE_OK;
        }
    }
}

/// Copies the connection's message into `*errmsg` (invariant 1).
fn report(db: *mut sqlite3, rc: c_int, errmsg: *mut *mut c_char) {
    if errmsg.is_null() {
        return;
    }
    let msg = if rc == SQLITE_OK {
        ptr::null_mut()
    } else {
        let m = crate::db::sqlite3_errmsg(db);
        // SAFETY: errmsg returns a NUL-terminated string.
        mem::alloc_cstring(unsafe { std::ffi::CStr::from_ptr(m) }.to_bytes())
    };
    // SAFETY: the caller's char** (checked non-NULL).
    unsafe { *errmsg = msg };
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_exec(
    db: *mut sqlite3,
    sql: *const c_char,
    cb: Option<Callback>,
    arg: *mut c_void,
    errmsg: *mut *mut c_char,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        if !errmsg.is_null() {
            // SAFETY: the caller's char**.
            unsafe { *errmsg = ptr::null_mut() };
        }
        let rc = exec_impl(db, sql, cb, arg);
        if db::is_live(db) {
            report(db, rc, errmsg);
        }
        rc
    })
}

/// What `sqlite3_get_table` collects: the strings of the header row and every result row.
struct Table {
    cells: Vec<*mut c_char>,
    ncol: c_int,
    nrow: c_int,
    failed: bool,
}

unsafe extern "C" fn collect(arg: *mut c_void, n: c_int, vals: *mut *mut c_char, cols: *mut *mut c_char) -> c_int {
    // SAFETY: arg is the Table that get_table passes; vals and cols hold n entries.
    let t = unsafe { &mut *(arg as *mut Table) };
    let copy = |p: *mut c_char| -> *mut c_char {
        if p.is_null() {
            ptr::null_mut()
        } else {
            // SAFETY: a NUL-terminated column name or value.
            mem::alloc_cstring(unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes())
        }
    };
    if t.nrow == 0 && t.ncol == 0 {
        t.ncol = n;
        for i in 0..n as usize {
            // SAFETY: i < n.
            t.cells.push(copy(unsafe { *cols.add(i) }));
        }
    } else if t.ncol != n {
        t.failed = true;
        return 1;
    }
    for i in 0..n as usize {
        // SAFETY: i < n.
        t.cells.push(copy(unsafe { *vals.add(i) }));
    }
    t.nrow += 1;
    0
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_get_table(
    db: *mut sqlite3,
    sql: *const c_char,
    result: *mut *mut *mut c_char,
    nrow: *mut c_int,
    ncol: *mut c_int,
    errmsg: *mut *mut c_char,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        if result.is_null() {
            return SQLITE_MISUSE;
        }
        // SAFETY: the caller's out-pointers (result checked; the others may be NULL).
        unsafe {
            *result = ptr::null_mut();
            if !nrow.is_null() {
                *nrow = 0;
            }
            if !ncol.is_null() {
                *ncol = 0;
            }
            if !errmsg.is_null() {
                *errmsg = ptr::null_mut();
            }
        }
        let mut t = Table { cells: Vec::new(), ncol: 0, nrow: 0, failed: false };
        let rc = exec_impl(db, sql, Some(collect), &mut t as *mut Table as *mut c_void);
        if rc != SQLITE_OK || t.failed {
            t.cells.into_iter().for_each(|p| mem::free(p as *mut c_void));
            let rc = if t.failed {
                db::set_error(db, crate::global::SQLITE_ERROR, "sqlite3_get_table() called with two or more incompatible queries");
                crate::global::SQLITE_ERROR
            } else {
                rc
            };
            if db::is_live(db) {
                report(db, rc, errmsg);
            }
            return rc;
        }
        // One array: [length, cells...]; the caller gets a pointer to the first cell.
        let n = t.cells.len();
        let arr = mem::alloc(((n + 1) * std::mem::size_of::<*mut c_char>()) as u64) as *mut *mut c_char;
        if arr.is_null() {
            t.cells.into_iter().for_each(|p| mem::free(p as *mut c_void));
            return crate::global::SQLITE_NOMEM;
        }
        // SAFETY: arr has n + 1 slots.
        unsafe {
            *arr = n as *mut c_char;
            for (i, p) in t.cells.into_iter().enumerate() {
                *arr.add(i + 1) = p;
            }
            *result = arr.add(1);
            if !nrow.is_null() {
                *nrow = t.nrow;
            }
            if !ncol.is_null() {
                *ncol = t.ncol;
            }
        }
        SQLITE_OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_free_table(result: *mut *mut c_char) {
    guard((), || {
        if result.is_null() {
            return;
        }
        // SAFETY: result came from sqlite3_get_table: its length sits in the slot before it.
        unsafe {
            let base = result.sub(1);
            let n = *base as usize;
            for i in 0..n {
                mem::free(*result.add(i) as *mut c_void);
            }
            mem::free(base as *mut c_void);
        }
    })
}
