//! `sqlite3_status`, `sqlite3_status64` and `sqlite3_db_status`: run-time statistics.
//!
//! Measured so far: memory in use and its high-water mark (SQLITE_STATUS_MEMORY_USED), from the
//! allocator in `mem`. Every other counter of a valid operation reports 0 (Ferrolite has no
//! lookaside, scratch or page-cache buffers of SQLite's kind; the page-cache counters are not
//! measured yet — docs/COMPAT.md). An unknown operation is misuse, as in SQLite.

use crate::db::{with_db, sqlite3};
use crate::global::{SQLITE_ERROR, SQLITE_MISUSE, SQLITE_OK};
use crate::guard::guard;
use libc::c_int;

const STATUS_MEMORY_USED: c_int = 0;
const STATUS_LAST: c_int = 9; // SQLITE_STATUS_MALLOC_COUNT
const DBSTATUS_LAST: c_int = 12; // SQLITE_DBSTATUS_CACHE_SPILL

#[no_mangle]
pub unsafe extern "C" fn sqlite3_status64(op: c_int, cur: *mut i64, hi: *mut i64, reset: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        if !(0..=STATUS_LAST).contains(&op) || cur.is_null() || hi.is_null() {
            return SQLITE_MISUSE;
        }
        let (c, h) = if op == STATUS_MEMORY_USED {
            (crate::mem::sqlite3_memory_used(), crate::mem::sqlite3_memory_highwater(reset))
        } else {
            (0, 0)
        };
        // SAFETY: the caller's out-pointers (checked non-NULL).
        unsafe {
            *cur = c;
            *hi = h;
        }
        SQLITE_OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_status(op: c_int, cur: *mut c_int, hi: *mut c_int, reset: c_int) -> c_int {
    guard(SQLITE_MISUSE, || {
        let (mut c, mut h) = (0i64, 0i64);
        // SAFETY: local out-pointers.
        let rc = unsafe { sqlite3_status64(op, &mut c, &mut h, reset) };
        if rc == SQLITE_OK {
            if cur.is_null() || hi.is_null() {
                return SQLITE_MISUSE;
            }
            // SAFETY: the caller's out-pointers (checked non-NULL).
            unsafe {
                *cur = c as c_int;
                *hi = h as c_int;
            }
        }
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_status(
    db: *mut sqlite3,
    op: c_int,
    cur: *mut c_int,
    hi: *mut c_int,
    _reset: c_int,
) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_db(db, SQLITE_MISUSE, |_| {
            if cur.is_null() || hi.is_null() {
                return SQLITE_MISUSE;
            }
            if !(0..=DBSTATUS_LAST).contains(&op) {
                return SQLITE_ERROR;
            }
            // SAFETY: the caller's out-pointers (checked non-NULL).
            unsafe {
                *cur = 0;
                *hi = 0;
            }
            SQLITE_OK
        })
    })
}
