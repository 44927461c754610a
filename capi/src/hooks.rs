//! Per-connection callbacks: commit, rollback and update hooks, the busy handler, the progress
//! handler, the authorizer, tracing, and `sqlite3_interrupt`.
//!
//! Design: registration stores the program's callback and argument in the connection's
//! [`Hooks`]; the statement layer hands them to the engine when it runs a statement.
//! `sqlite3_interrupt` only sets an atomic flag on the handle: it must work from any thread
//! while another thread is running a statement on the connection, so it takes no mutex.
//!
//! Invariants:
//! 1. Each setter returns the previous argument where SQLite's does (commit, rollback, update,
//!    preupdate, WAL hooks) and replaces the callback atomically under the connection mutex.
//! 2. `sqlite3_busy_timeout` and `sqlite3_busy_handler` replace each other, as in SQLite.

use crate::db::{sqlite3, with_db};
use crate::global::{SQLITE_MISUSE, SQLITE_OK};
use crate::guard::guard;
use libc::{c_char, c_int, c_uint, c_void};
use std::ptr;

pub type CommitFn = unsafe extern "C" fn(*mut c_void) -> c_int;
pub type RollbackFn = unsafe extern "C" fn(*mut c_void);
pub type UpdateFn = unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, i64);
pub type BusyFn = unsafe extern "C" fn(*mut c_void, c_int) -> c_int;
pub type ProgressFn = unsafe extern "C" fn(*mut c_void) -> c_int;
pub type AuthFn =
    unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, *const c_char, *const c_char) -> c_int;
pub type TraceV2Fn = unsafe extern "C" fn(c_uint, *mut c_void, *mut c_void, *mut c_void) -> c_int;
pub type TraceFn = unsafe extern "C" fn(*mut c_void, *const c_char);
pub type ProfileFn = unsafe extern "C" fn(*mut c_void, *const c_char, u64);
pub type WalHookFn = unsafe extern "C" fn(*mut c_void, *mut sqlite3, *const c_char, c_int) -> c_int;

/// A callback and the program's argument for it (the pointer kept as usize so the state is Send).
#[derive(Clone, Copy)]
pub struct Hook<F> {
    pub f: F,
    pub arg: usize,
}

#[derive(Default)]
pub struct Hooks {
    pub commit: Option<Hook<CommitFn>>,
    pub rollback: Option<Hook<RollbackFn>>,
    pub update: Option<Hook<UpdateFn>>,
    pub busy: Option<Hook<BusyFn>>,
    /// The handler and how many VM instructions between calls.
    pub progress: Option<(Hook<ProgressFn>, c_int)>,
    pub authorizer: Option<Hook<AuthFn>>,
    /// The callback and its SQLITE_TRACE_* mask.
    pub trace_v2: Option<(Hook<TraceV2Fn>, c_uint)>,
    pub trace: Option<Hook<TraceFn>>,
    pub profile: Option<Hook<ProfileFn>>,
    pub wal: Option<Hook<WalHookFn>>,
}

fn hook<F>(f: Option<F>, arg: *mut c_void) -> Option<Hook<F>> {
    f.map(|f| Hook { f, arg: arg as usize })
}

fn prev_arg<F>(old: Option<Hook<F>>) -> *mut c_void {
    old.map_or(ptr::null_mut(), |h| h.arg as *mut c_void)
}

/// SQLite's busy-timeout handler: sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms (then
/// 100 ms) between tries until `ms` milliseconds have been spent, then gives up.
pub fn timeout_handler(ms: c_int) -> crate::engine::vdbe::hooks::BusyFn {
    const DELAYS: [i64; 12] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
    Box::new(move |tries: i32| {
        let i = tries.max(0) as usize;
        let spent: i64 = if i < DELAYS.len() {
            DELAYS[..i].iter().sum()
        } else {
            DELAYS.iter().sum::<i64>() + (i - DELAYS.len()) as i64 * 100
        };
        let delay = DELAYS.get(i).copied().unwrap_or(100).min(ms as i64 - spent);
        if delay <= 0 {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(delay as u64));
        true
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_commit_hook(db: *mut sqlite3, f: Option<CommitFn>, arg: *mut c_void) -> *mut c_void {
    guard(ptr::null_mut(), || with_db(db, ptr::null_mut(), |s| prev_arg(std::mem::replace(&mut s.hooks.commit, hook(f, arg)))))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_rollback_hook(db: *mut sqlite3, f: Option<RollbackFn>, arg: *mut c_void) -> *mut c_void {
    guard(ptr::null_mut(), || with_db(db, ptr::null_mut(), |s| prev_arg(std::mem::replace(&mut s.hooks.rollback, hook(f, arg)))))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_update_hook(db: *mut sqlite3, f: Option<UpdateFn>, arg: *mut c_void) -> *mut c_void {
    guard(ptr::null_mut(), || with_db(db, ptr::null_mut(), |s| prev_arg(std::mem::replace(&mut s.hooks.update, hook(f, arg)))))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_wal_hook(db: *mut sqlite3, f: Option<WalHookFn>, arg: *mut c_void) -> *mut c_void {
    guard(ptr::null_mut(), || with_db(db, ptr::null_mut(), |s| prev_arg(std::mem::replace(&mut s.hooks.wal, hook(f, arg)))))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_busy_handler(db: *mut sqlite3, f: Option<BusyFn>, arg: *mut c_void) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_db(db, SQLITE_MISUSE, |s| {
            s.hooks.busy = hook(f, arg);
            s.busy_timeout_ms = 0; // invariant 2
            s.conn.hooks_mut().busy = hook(f, arg).map(|h| {
                Box::new(move |tries: i32| {
                    // SAFETY: the program's busy handler with its own argument.
                    unsafe { (h.f)(h.arg as *mut c_void, tries) != 0 }
                }) as crate::engine::vdbe::hooks::BusyFn
            });
            SQLITE_OK
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_progress_handler(db: *mut sqlite3, n: c_int, f: Option<ProgressFn>, arg: *mut c_void) {
    guard((), || {
        with_db(db, (), |s| {
            s.hooks.progress = if n > 0 { hook(f, arg).map(|h| (h, n)) } else { None };
            s.conn.hooks_mut().progress = s.hooks.progress.map(|(h, n)| {
                let f = move || {
                    // SAFETY: the program's progress handler with its own argument.
                    unsafe { (h.f)(h.arg as *mut c_void) != 0 }
                };
                (n as u32, Box::new(f) as crate::engine::vdbe::hooks::ProgressFn)
            });
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_set_authorizer(db: *mut sqlite3, f: Option<AuthFn>, arg: *mut c_void) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_db(db, SQLITE_MISUSE, |s| {
            s.hooks.authorizer = hook(f, arg);
            SQLITE_OK
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_trace_v2(db: *mut sqlite3, mask: c_uint, f: Option<TraceV2Fn>, arg: *mut c_void) -> c_int {
    guard(SQLITE_MISUSE, || {
        with_db(db, SQLITE_MISUSE, |s| {
            s.hooks.trace_v2 = if mask == 0 { None } else { hook(f, arg).map(|h| (h, mask)) };
            SQLITE_OK
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_trace(db: *mut sqlite3, f: Option<TraceFn>, arg: *mut c_void) -> *mut c_void {
    guard(ptr::null_mut(), || with_db(db, ptr::null_mut(), |s| prev_arg(std::mem::replace(&mut s.hooks.trace, hook(f, arg)))))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_profile(db: *mut sqlite3, f: Option<ProfileFn>, arg: *mut c_void) -> *mut c_void {
    guard(ptr::null_mut(), || with_db(db, ptr::null_mut(), |s| prev_arg(std::mem::replace(&mut s.hooks.profile, hook(f, arg)))))
}

/// Sets the connection's interrupt flag; safe from any thread (no mutex is taken).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_interrupt(db: *mut sqlite3) {
    guard((), || crate::db::interrupt(db))
}
