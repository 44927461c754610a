//! What a running program asks of its connection's callbacks: the interrupt flag, the progress
//! handler, and the busy handler.
//!
//! Design: the connection's API layer (capi, or a Rust user) installs closures here; the VM
//! calls [`VmHooks::tick`] once per opcode and [`VmHooks::retry_busy`] around a commit that
//! meets readers' locks; a statement that meets a lock before it has done anything is restarted
//! by the connection while [`VmHooks::ask_busy`] says so (its locks released in between, so two
//! waiting connections cannot deadlock). No callback runs while a b-tree page is borrowed.
//!
//! Invariants:
//! 1. `interrupt` is shared with other threads (`sqlite3_interrupt` raises it without the
//!    connection's mutex); the VM only reads it, and the API layer clears it when no statement
//!    of the connection is running, as SQLite does.
//! 2. The progress handler runs every `period` opcodes; a true answer ends the statement with
//!    `SQLITE_INTERRUPT` ("interrupted").
//! 4. The commit hook is asked before a write transaction commits (a true answer rolls it back
//!    and the statement fails with SQLITE_CONSTRAINT_COMMITHOOK); the rollback hook is told of
//!    every rollback of a write or explicit transaction (DbState::commit_txn/rollback_txn).
//! 3. On `SQLITE_BUSY` from a lock, the busy handler is asked with the number of earlier tries;
//!    true retries, false returns the BUSY error. No handler: BUSY at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{code, Error, Result};

pub type ProgressFn = Box<dyn FnMut() -> bool + Send>;
pub type BusyFn = Box<dyn FnMut(i32) -> bool + Send>;
/// Asked before a write transaction commits; true turns the commit into a rollback.
pub type CommitFn = Box<dyn FnMut() -> bool + Send>;
/// Told when a write (or explicit) transaction rolls back.
pub type RollbackFn = Box<dyn FnMut() + Send>;

/// The callbacks a program may run into.
pub struct VmHooks {
    pub interrupt: Arc<AtomicBool>,
    pub progress: Option<(u32, ProgressFn)>,
    pub busy: Option<BusyFn>,
    pub commit: Option<CommitFn>,
    pub rollback: Option<RollbackFn>,
    ops: u32,
}

impl Default for VmHooks {
    fn default() -> VmHooks {
        VmHooks {
            interrupt: Arc::new(AtomicBool::new(false)),
            progress: None,
            busy: None,
            commit: None,
            rollback: None,
            ops: 0,
        }
    }
}

fn interrupted() -> Error {
    Error::from_code(code::INTERRUPT)
}

impl VmHooks {
    /// Called before each opcode (invariants 1 and 2).
    #[inline]
    pub fn tick(&mut self) -> Result<()> {
        if self.interrupt.load(Ordering::Relaxed) {
            return Err(interrupted());
        }
        if let Some((period, f)) = &mut self.progress {
            self.ops += 1;
            if self.ops >= *period {
                self.ops = 0;
                if f() {
                    return Err(interrupted());
                }
            }
        }
        Ok(())
    }

    /// Asks the busy handler whether to try again after `tries` earlier tries (invariant 3).
    pub fn ask_busy(&mut self, tries: i32) -> bool {
        match &mut self.busy {
            Some(h) => h(tries),
            None => false,
        }
    }

    /// Runs `f`, retrying while it fails with plain SQLITE_BUSY (a lock held elsewhere) and
    /// the busy handler says so (invariant 3). BUSY_SNAPSHOT is not retried here: the
    /// statement must start again on a fresh snapshot (the connection does that).
    pub fn retry_busy<T>(&mut self, mut f: impl FnMut() -> Result<T>) -> Result<T> {
        let mut tries = 0;
        loop {
            match f() {
                Err(e) if e.code == code::BUSY && self.ask_busy(tries) => tries += 1,
                r => return r,
            }
        }
    }
}

/// SQLite's busy-timeout handler: sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms (then
/// 100 ms) between tries until `ms` milliseconds have been spent, then gives up.
pub fn timeout_handler(ms: i32) -> BusyFn {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_runs_every_period_and_can_interrupt() {
        let mut h = VmHooks::default();
        let calls = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let c = calls.clone();
        h.progress = Some((3, Box::new(move || c.fetch_add(1, Ordering::Relaxed) >= 1)));
        for _ in 0..3 {
            h.tick().expect("first period passes");
        }
        assert_eq!(calls.load(Ordering::Relaxed), 1);
        h.tick().expect("mid-period");
        h.tick().expect("mid-period");
        assert_eq!(h.tick().expect_err("second call interrupts").code, code::INTERRUPT);
        h.interrupt.store(true, Ordering::Relaxed);
        h.progress = None;
        assert_eq!(h.tick().expect_err("flag").code, code::INTERRUPT);
    }

    #[test]
    fn busy_handler_decides_retries() {
        let mut h = VmHooks::default();
        let mut n = 0;
        assert_eq!(h.retry_busy(|| -> Result<()> { Err(Error::from_code(code::BUSY)) }).expect_err("no handler").code, code::BUSY);
        h.busy = Some(Box::new(|tries| tries < 2));
        let r = h.retry_busy(|| {
            n += 1;
            if n < 3 { Err(Error::from_code(code::BUSY)) } else { Ok(n) }
        });
        assert_eq!(r.expect("third try succeeds"), 3);
    }
}

