//! `sqlite3_mutex`: recursive and fast mutexes over pthreads, as `SQLITE_MUTEX_PTHREADS` does.
//!
//! Invariants:
//! 1. Every `sqlite3_mutex` is a heap-allocated, never-moved `pthread_mutex_t` (pthread mutexes
//!    must not move once initialised); dynamic ones are freed by `sqlite3_mutex_free` only.
//! 2. The static mutexes (`SQLITE_MUTEX_STATIC_*`, types 2..=13) are allocated once and live for
//!    the life of the process; `sqlite3_mutex_alloc` returns the same pointer for each type.
//! 3. Every mutex is recursive: SQLite's FAST mutexes need not be, but a recursive one is a
//!    correct FAST mutex, and connections' mutexes (`sqlite3_db_mutex`) must be recursive
//!    because callbacks re-enter the API.

use crate::guard::guard;
use libc::c_int;
use std::sync::OnceLock;

#[repr(C)]
pub struct sqlite3_mutex {
    raw: libc::pthread_mutex_t,
}

// SAFETY: a pthread mutex is made to be shared between threads.
unsafe impl Send for sqlite3_mutex {}
unsafe impl Sync for sqlite3_mutex {}

impl sqlite3_mutex {
    /// A new recursive mutex on the heap (invariant 1).
    pub fn new_boxed() -> Box<sqlite3_mutex> {
        let m = Box::new(sqlite3_mutex { raw: libc::PTHREAD_MUTEX_INITIALIZER });
        // SAFETY: initialising the attribute object and the boxed mutex in place, once.
        unsafe {
            let mut attr: libc::pthread_mutexattr_t = std::mem::zeroed();
            libc::pthread_mutexattr_init(&mut attr);
            libc::pthread_mutexattr_settype(&mut attr, libc::PTHREAD_MUTEX_RECURSIVE);
            let p = &m.raw as *const _ as *mut libc::pthread_mutex_t;
            libc::pthread_mutex_init(p, &attr);
            libc::pthread_mutexattr_destroy(&mut attr);
        }
        m
    }

    fn raw(&self) -> *mut libc::pthread_mutex_t {
        &self.raw as *const _ as *mut _
    }

    pub fn enter(&self) {
        // SAFETY: the mutex was initialised by new_boxed and is not moved.
        unsafe { libc::pthread_mutex_lock(self.raw()) };
    }

    pub fn try_enter(&self) -> bool {
        // SAFETY: as in enter().
        unsafe { libc::pthread_mutex_trylock(self.raw()) == 0 }
    }

    pub fn leave(&self) {
        // SAFETY: as in enter(); the caller holds the mutex.
        unsafe { libc::pthread_mutex_unlock(self.raw()) };
    }
}

impl Drop for sqlite3_mutex {
    fn drop(&mut self) {
        // SAFETY: destroying an initialised mutex that nobody holds any more.
        unsafe { libc::pthread_mutex_destroy(self.raw()) };
    }
}

const MUTEX_FAST: c_int = 0;
const MUTEX_RECURSIVE: c_int = 1;
const STATIC_FIRST: c_int = 2;
const STATIC_LAST: c_int = 13;

fn statics() -> &'static [Box<sqlite3_mutex>] {
    static CELL: OnceLock<Vec<Box<sqlite3_mutex>>> = OnceLock::new();
    CELL.get_or_init(|| (STATIC_FIRST..=STATIC_LAST).map(|_| sqlite3_mutex::new_boxed()).collect())
}

#[no_mangle]
pub extern "C" fn sqlite3_mutex_alloc(kind: c_int) -> *mut sqlite3_mutex {
    guard(std::ptr::null_mut(), || match kind {
        MUTEX_FAST | MUTEX_RECURSIVE => Box::into_raw(sqlite3_mutex::new_boxed()),
        STATIC_FIRST..=STATIC_LAST => {
            &*statics()[(kind - STATIC_FIRST) as usize] as *const sqlite3_mutex as *mut _
        }
        _ => std::ptr::null_mut(),
    })
}

fn is_static(m: *mut sqlite3_mutex) -> bool {
    statics().iter().any(|s| std::ptr::eq(&**s, m))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_free(m: *mut sqlite3_mutex) {
    guard((), || {
        if !m.is_null() && !is_static(m) {
            // SAFETY: dynamic mutexes come from Box::into_raw in sqlite3_mutex_alloc.
            drop(unsafe { Box::from_raw(m) });
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_enter(m: *mut sqlite3_mutex) {
    // SAFETY: a non-NULL argument is a mutex from sqlite3_mutex_alloc or sqlite3_db_mutex.
    guard((), || if let Some(m) = unsafe { m.as_ref() } { m.enter() })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_try(m: *mut sqlite3_mutex) -> c_int {
    // SAFETY: as in sqlite3_mutex_enter.
    guard(5, || match unsafe { m.as_ref() } {
        Some(m) if m.try_enter() => 0,
        Some(_) => 5, // SQLITE_BUSY
        None => 0,
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_leave(m: *mut sqlite3_mutex) {
    // SAFETY: as in sqlite3_mutex_enter.
    guard((), || if let Some(m) = unsafe { m.as_ref() } { m.leave() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recursive_mutex_reenters_and_statics_are_shared() {
        let m = sqlite3_mutex_alloc(MUTEX_RECURSIVE);
        unsafe {
            sqlite3_mutex_enter(m);
            assert_eq!(sqlite3_mutex_try(m), 0);
            sqlite3_mutex_leave(m);
            sqlite3_mutex_leave(m);
            sqlite3_mutex_free(m);
        }
        assert_eq!(sqlite3_mutex_alloc(2), sqlite3_mutex_alloc(2));
        assert_ne!(sqlite3_mutex_alloc(2), sqlite3_mutex_alloc(3));
        assert!(sqlite3_mutex_alloc(99).is_null());
    }
}
