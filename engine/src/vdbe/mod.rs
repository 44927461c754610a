//! The VDBE: a register-based virtual machine in SQLite's model.
//!
//! A [`Program`] is a list of [`op::Op`]s built by the code generator (`plan`); a [`Vm`] runs
//! one program: registers holding [`Value`]s, cursors over b-trees, sorters and transient
//! sets, aggregate states, row sets, and a program counter. `ResultRow` suspends the machine
//! (the caller reads the row, then steps again); `Halt` ends it.
//!
//! Files: [`op`] (opcodes and their synopses), [`exec`] (the interpreter: one exhaustive
//! `match`), [`cursor`] (what a VM cursor is), [`explain`] (EXPLAIN's rows), [`pragma`] (the
//! pragmas that act on the pager at run time), [`hooks`] (interrupt, progress, busy, commit and
//! rollback callbacks the program consults).
//!
//! Known limits: the sorter and transient sets live in memory (no spill to a temp file).
//!
//! Invariants:
//! 1. Every register index and cursor number in a program is below `n_mem` / `n_cursor`;
//!    the code generator guarantees it and the VM still reports SQLITE_INTERNAL, never panics.
//! 2. The VM touches storage only through `btree` cursors and the `Btree` facade in
//!    [`DbState`]; it never sees pages.
//! 3. A write statement runs inside a statement savepoint when an explicit transaction is
//!    open, so a failing statement undoes only its own changes (SQLite's statement journal);
//!    in autocommit mode a failing write statement rolls the whole transaction back.

pub mod cursor;
pub mod exec;
pub mod explain;
pub mod hooks;
pub mod op;
pub mod pragma;
pub mod window;

use crate::btree::Btree;
use crate::value::Value;

pub use exec::Vm;
pub use op::{KeyInfo, Op, Opcode, P4};

/// A compiled program.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub ops: Vec<Op>,
    /// Number of registers (register 0 is unused, as in SQLite).
    pub n_mem: usize,
    pub n_cursor: usize,
    /// True when the program writes the database.
    pub writes: bool,
    /// True when the program changes the schema (re-read it when it halts).
    pub changes_schema: bool,
    /// INSERT/UPDATE/DELETE: sets `sqlite3_changes` when it halts (SQLite's changeCntOn).
    pub counts_changes: bool,
}

/// A connection's database state as the VM sees it.
pub struct DbState {
    pub btree: Btree,
    /// Outside an explicit transaction.
    pub autocommit: bool,
    pub changes: i64,
    pub total_changes: i64,
    pub last_insert_rowid: i64,
    /// Named savepoints (SAVEPOINT name), innermost last, with the pager depth each opened.
    pub savepoints: Vec<(String, usize)>,
    /// Statements between their first step and their end.
    pub active_vms: usize,
    /// Set by ParseSchema: the connection re-reads sqlite_schema.
    pub schema_stale: bool,
    /// The xorshift state behind random() and randomblob().
    pub rng: u64,
    /// True when `BEGIN` started a transaction that has not yet begun in the pager.
    pub pending_begin: bool,
    /// Statements stopped without the connection (reset, drop) since the last settle.
    /// One entry per such statement: the statement savepoint it left open, if any.
    pub orphans: Orphans,
    /// Interrupt flag, progress and busy handlers (`hooks`).
    pub hooks: hooks::VmHooks,
}

impl DbState {
    pub fn new(btree: Btree) -> DbState {
        let mut seed = [0u8; 8];
        crate::vfs::os_randomness(&mut seed);
        DbState {
            btree,
            autocommit: true,
            changes: 0,
            total_changes: 0,
            last_insert_rowid: 0,
            savepoints: Vec::new(),
            active_vms: 0,
            schema_stale: false,
            rng: u64::from_le_bytes(seed) | 1,
            pending_begin: false,
            orphans: Orphans::default(),
            hooks: hooks::VmHooks::default(),
        }
    }

    /// Commits the write transaction: asks the commit hook (a veto rolls back and fails with
    /// SQLITE_CONSTRAINT_COMMITHOOK), then commits, retrying while readers' locks are in the way
    /// and the busy handler agrees. Read-only transactions just end.
    pub fn commit_txn(&mut self) -> crate::Result<()> {
        if self.btree.in_write_transaction() {
            if let Some(h) = &mut self.hooks.commit {
                if h() {
                    self.rollback_txn()?;
                    return Err(crate::Error::new(crate::error::code::CONSTRAINT | (2 << 8), "constraint failed"));
                }
            }
        }
        let bt = &mut self.btree;
        self.hooks.retry_busy(|| bt.commit())
    }

    /// Rolls the transaction back, telling the rollback hook when it was a write transaction
    /// or an explicit one.
    pub fn rollback_txn(&mut self) -> crate::Result<()> {
        if self.btree.in_write_transaction() || !self.autocommit {
            if let Some(h) = &mut self.hooks.rollback {
                h();
            }
        }
        self.btree.rollback()
    }

    /// Accounts for statements stopped without the connection, ending the transaction when
    /// they were the last.
    #[inline]
    pub fn settle_orphans(&mut self) -> crate::Result<()> {
        if !self.orphans.pending() {
            return Ok(());
        }
        self.settle_orphans_slow()
    }

    #[inline(never)]
    fn settle_orphans_slow(&mut self) -> crate::Result<()> {
        let list = self.orphans.take();
        if list.is_empty() {
            return Ok(());
        }
        // Outermost savepoint first: releasing it releases the ones opened after it.
        if let Some(d) = list.iter().flatten().min() {
            self.btree.savepoint_release(*d)?;
        }
        self.active_vms = self.active_vms.saturating_sub(list.len());
        self.autocommit_end()
    }

    /// Ends the transaction when nothing holds it open any more (autocommit and no active
    /// statement): commits a write transaction, drops a read one.
    pub fn autocommit_end(&mut self) -> crate::Result<()> {
        if self.autocommit && self.active_vms == 0 {
            if self.btree.in_write_transaction() {
                self.commit_txn()?;
            }
            self.btree.end_read()?;
        }
        Ok(())
    }
}

impl crate::func::ConnectionState for DbState {
    fn changes(&self) -> i64 {
        self.changes
    }
    fn total_changes(&self) -> i64 {
        self.total_changes
    }
    fn last_insert_rowid(&self) -> i64 {
        self.last_insert_rowid
    }
    fn randomness(&mut self, buf: &mut [u8]) {
        crate::func::context::xorshift_fill(&mut self.rng, buf);
    }
}

/// What one run of the machine produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmStep {
    Row,
    Done,
}

/// Statements stopped without their connection, as the connection will settle them.
pub type Orphans = std::sync::Arc<OrphanList>;

/// Statements stopped without their connection, for the connection to settle at its next
/// step. `pending` is set (under the lock, after the push) whenever the list is non-empty, so
/// the connection's check on every step is one atomic load.
#[derive(Default)]
pub struct OrphanList {
    pending: std::sync::atomic::AtomicBool,
    list: std::sync::Mutex<Vec<Option<usize>>>,
}

impl OrphanList {
    /// Records a statement stopped without the connection, with the savepoint it left open.
    pub fn push(&self, savepoint: Option<usize>) {
        let mut l = self.list.lock().unwrap_or_else(|p| p.into_inner());
        l.push(savepoint);
        self.pending.store(true, std::sync::atomic::Ordering::Release);
    }

    /// Whether entries may be waiting (one atomic load).
    #[inline]
    pub fn pending(&self) -> bool {
        self.pending.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Takes every recorded entry (empty, without locking, when there is none).
    pub fn take(&self) -> Vec<Option<usize>> {
        use std::sync::atomic::Ordering;
        if !self.pending.load(Ordering::Acquire) || !self.pending.swap(false, Ordering::AcqRel) {
            return Vec::new();
        }
        std::mem::take(&mut *self.list.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Registers hold values.
pub type Reg = Value;
