//! The interpreter: [`Vm::step`] runs a program until it yields a row or halts.
//!
//! Dispatch is one exhaustive `match` over [`Opcode`]; each arm implements the synopsis written
//! on the opcode in [`super::op`]. Transactions: `Transaction` begins them (and opens the
//! statement savepoint, invariant 3 of the module); [`Vm::finish`] ends them when the program
//! halts, succeeds or fails, or is reset while running.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::cursor::{canonical_key, BtreeCursor, EphemeralSet, Sorter, VCursor};
use super::op::{KeyInfo, Op, Opcode, P4};
use super::{DbState, Program, VmStep};
use crate::btree::{cursor::SeekOp, KeyInfo as BtKeyInfo, TreeKind};
use crate::btree::cursor::KeyInfoField;
use crate::error::{code, Error, Result};
use crate::func::{AggregateState, FuncCtx};
use crate::record::{RecordBuilder, ValueRef};
use crate::value::affinity::{self, Affinity};
use crate::value::arith::{arith, ArithOp};
use crate::value::compare::compare;
use crate::value::convert;
use crate::value::Value;

/// P5 bits of the comparison opcodes.
pub const CMP_JUMPIFNULL: u16 = 0x10;
pub const CMP_NULLEQ: u16 = 0x80;
pub const CMP_AFF_MASK: u16 = 0x47;
/// P5 bits of Insert / Delete.
pub const OPFLAG_NCHANGE: u16 = 1;
pub const OPFLAG_LASTROWID: u16 = 2;
/// P5 of OpenRead/OpenWrite: the root page number is in register P2.
pub const OPFLAG_P2ISREG: u16 = 0x10;
/// Extended result codes used by constraint halts.
pub const CONSTRAINT_CHECK: i32 = 275;
pub const CONSTRAINT_NOTNULL: i32 = 1299;
pub const CONSTRAINT_PRIMARYKEY: i32 = 1555;
pub const CONSTRAINT_UNIQUE: i32 = 2067;
pub const CONSTRAINT_ROWID: i32 = 2579;
pub const CONSTRAINT_DATATYPE: i32 = 3091;

/// One execution of a program.
pub struct Vm {
    pub program: Arc<Program>,
    pc: usize,
    regs: Vec<Value>,
    cursors: Vec<Option<VCursor>>,
    /// Aggregate states by accumulator register.
    aggs: Vec<Option<Box<dyn AggregateState>>>,
    rowsets: HashMap<i32, (Vec<i64>, usize)>,
    last_cmp: Ordering,
    /// Between the first step and the end.
    running: bool,
    stmt_savepoint: Option<usize>,
    /// This statement began the write transaction.
    began_write: bool,
    row: (usize, usize),
    builder: RecordBuilder,
    /// Changes counted by this statement (sqlite3_changes after it).
    n_change: i64,
    /// Closed b-tree cursors kept for the next OpenRead/OpenWrite (no allocation per run).
    #[allow(clippy::vec_box)] // the boxes move to and from the cursor array, allocation-free
    spare: Vec<Box<BtreeCursor>>,
}

/// At most this many closed cursors are kept for reuse.
const SPARE_CURSORS: usize = 8;

/// Rewrites every `sqlite_schema` row whose rootpage is `from` to say `to` (after a root page
/// moved in an auto_vacuum file).
fn relocate_root(bt: &mut crate::btree::Btree, from: u32, to: u32) -> Result<()> {
    let mut cur = bt.cursor(1, TreeKind::Table, true, None);
    let mut changed = Vec::new();
    let mut on = cur.first(bt)?;
    while on {
        let mut row = crate::record::decode_record(cur.payload(bt)?)?;
        if row.get(3) == Some(&Value::Integer(from as i64)) {
            row[3] = Value::Integer(to as i64);
            changed.push((cur.rowid(bt)?, RecordBuilder::new().build(&row)));
        }
        on = cur.next(bt)?;
    }
    for (rowid, rec) in changed {
        cur.insert(bt, rowid, &rec)?;
    }
    Ok(())
}

fn internal(what: &str) -> Error {
    Error::new(code::INTERNAL, format!("VDBE: {what}"))
}

/// SQLite's truth value of a value (NULL is None).
pub fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(*i != 0),
        Value::Real(r) => Some(*r != 0.0),
        other => Some(convert::to_f64(other) != 0.0),
    }
}

fn aff_of(code: u16) -> Option<Affinity> {
    match code as u8 {
        b'A' => Some(Affinity::Blob),
        b'B' => Some(Affinity::Text),
        b'C' => Some(Affinity::Numeric),
        b'D' => Some(Affinity::Integer),
        b'E' => Some(Affinity::Real),
        _ => None,
    }
}

fn bt_key_info(k: &KeyInfo) -> BtKeyInfo {
    BtKeyInfo {
        fields: k
            .fields
            .iter()
            .map(|(desc, coll)| KeyInfoField {
                desc: *desc,
                collation: coll.as_ref().filter(|c| !c.is_binary()).map(|c| {
                    let c = Arc::clone(c);
                    let f: crate::btree::cursor::CollationFn = Arc::new(move |a: &[u8], b: &[u8]| c.compare(a, b));
                    f
                }),
            })
            .collect(),
    }
}

/// Compares two rows under a key (the first `fields.len()` columns, or `n`).
pub fn compare_rows(k: &KeyInfo, a: &[Value], b: &[Value], n: usize) -> Ordering {
    for i in 0..n {
        let (desc, coll) = match k.fields.get(i) {
            Some((d, c)) => (*d, c.as_deref()),
            None => (false, None),
        };
        let o = compare(&a[i], &b[i], coll);
        let o = if desc { o.reverse() } else { o };
        let o = if k.nulls_flip.get(i).copied().unwrap_or(false) && (a[i].is_null() != b[i].is_null()) { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Applies a comparison affinity to one operand (datatype3 §4.2), without changing storage.
fn cmp_operand(v: &Value, aff: Option<Affinity>) -> std::borrow::Cow<'_, Value> {
    use std::borrow::Cow;
    match (aff, v) {
        (Some(a), Value::Text(_)) if a.is_numeric() => Cow::Owned(affinity::apply(v.clone(), Affinity::Numeric)),
        (Some(Affinity::Text), Value::Integer(_) | Value::Real(_)) => Cow::Owned(Value::Text(convert::to_text(v))),
        _ => Cow::Borrowed(v),
    }
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Integer(i) => *i,
        other => convert::to_i64(other),
    }
}

fn shift(a: i64, by: i64, left: bool) -> i64 {
    let (left, by) = if by < 0 { (!left, by.checked_neg().unwrap_or(i64::MAX)) } else { (left, by) };
    if by >= 64 {
        return if !left && a < 0 { -1 } else { 0 };
    }
    if left {
        ((a as u64) << by) as i64
    } else {
        a >> by
    }
}

impl Vm {
    pub fn new(program: Arc<Program>) -> Vm {
        let n_mem = program.n_mem + 1;
        let n_cursor = program.n_cursor;
        Vm {
            program,
            pc: 0,
            regs: vec![Value::Null; n_mem],
            cursors: (0..n_cursor).map(|_| None).collect(),
            aggs: (0..n_mem).map(|_| None).collect(),
            rowsets: HashMap::new(),
            last_cmp: Ordering::Equal,
            running: false,
            stmt_savepoint: None,
            began_write: false,
            row: (0, 0),
            builder: RecordBuilder::new(),
            n_change: 0,
            spare: Vec::new(),
        }
    }

    /// Closes cursor `i`, keeping a b-tree cursor's allocation for reuse.
    fn close_cursor(&mut self, i: usize) {
        if let Some(VCursor::Btree(mut b)) = self.cursors.get_mut(i).and_then(Option::take) {
            if self.spare.len() < SPARE_CURSORS {
                b.cur.invalidate();
                self.spare.push(b);
            }
        }
    }

    fn close_all_cursors(&mut self) {
        for i in 0..self.cursors.len() {
            self.close_cursor(i);
        }
    }

    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Stops a running program without its connection (reset or drop of the statement); the
    /// connection settles the transaction later through [`DbState::orphans`].
    /// Returns None when it was not running, else the statement savepoint it leaves open.
    pub fn abandon(&mut self) -> Option<Option<usize>> {
        let was = self.running.then_some(self.stmt_savepoint);
        self.running = false;
        self.pc = 0;
        self.close_all_cursors();
        self.aggs.iter_mut().for_each(|a| *a = None);
        self.rowsets.clear();
        self.stmt_savepoint = None;
        self.began_write = false;
        was
    }

    /// The row the last `Row` step produced.
    pub fn row(&self) -> &[Value] {
        &self.regs[self.row.0..self.row.0 + self.row.1]
    }

    /// Ends the run: releases (or on error rolls back) the statement's transaction work and
    /// returns the machine to its initial state.
    pub fn finish(&mut self, db: &mut DbState, error: Option<&Error>, on_error: i32) -> Result<()> {
        let was_running = self.running;
        self.running = false;
        self.pc = 0;
        self.close_all_cursors();
        self.aggs.iter_mut().for_each(|a| *a = None);
        self.rowsets.clear();
        let mut result = Ok(());
        if let Some(e) = error {
            // OR FAIL keeps what the statement wrote; in autocommit mode that is then committed.
            // An I/O error (or a full disk) rolls the whole transaction back, as SQLite's does:
            // the pager cannot vouch for the statement's pages any more.
            let rollback_all = on_error == 1
                || (db.autocommit && self.began_write && on_error != 3)
                || e.primary() == code::FULL
                || (e.primary() == code::IOERR && db.btree.needs_rollback());
            if rollback_all {
                if db.btree.needs_rollback() {
                    result = db.rollback_txn();
                }
                db.savepoints.clear();
                db.autocommit = true;
            } else if let Some(d) = self.stmt_savepoint {
                if on_error != 3 {
                    result = db.btree.savepoint_rollback(d);
                }
                let r2 = db.btree.savepoint_release(d);
                result = result.and(r2);
            }
        } else if let Some(d) = self.stmt_savepoint {
            result = db.btree.savepoint_release(d);
        }
        self.stmt_savepoint = None;
        self.began_write = false;
        if was_running {
            db.active_vms = db.active_vms.saturating_sub(1);
            let r3 = db.autocommit_end();
            if r3.is_err() && db.btree.needs_rollback() {
                let _ = db.rollback_txn();
            }
            result = result.and(r3);
        }
        result
    }

    /// Runs to the next row or to the end.
    pub fn step(&mut self, db: &mut DbState, params: &[Value]) -> Result<VmStep> {
        if !self.running {
            self.running = true;
            self.n_change = 0;
            db.active_vms += 1;
            // Every run starts from NULL registers, as SQLite releases them at reset: a run
            // must not see the last one's values (a subquery's "run once" flag among them).
            self.regs.iter_mut().for_each(|r| *r = Value::Null);
        }
        match self.run(db, params) {
            Ok(VmStep::Row) => Ok(VmStep::Row),
            Ok(VmStep::Done) => {
                // Changes count when the statement succeeds (or fails under OR FAIL, which
                // keeps them): SQLite's sqlite3VdbeSetChanges at halt.
                if self.program.counts_changes {
                    db.changes = self.n_change;
                }
                db.total_changes += self.n_change;
                self.finish(db, None, 0)?;
                Ok(VmStep::Done)
            }
            Err((e, on_error)) => {
                if self.program.counts_changes {
                    db.changes = if on_error == 3 { self.n_change } else { 0 };
                }
                if on_error == 3 {
                    db.total_changes += self.n_change;
                }
                let _ = self.finish(db, Some(&e), on_error);
                Err(e)
            }
        }
    }

    /// r[to] = r[from], reusing r[to]'s buffer.
    fn copy_reg(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        let (src, dst) = if from < to {
            let (a, b) = self.regs.split_at_mut(to);
            (&a[from], &mut b[0])
        } else {
            let (a, b) = self.regs.split_at_mut(from);
            (&b[0], &mut a[to])
        };
        dst.assign_from(src);
    }

    fn bt(&mut self, i: i32) -> Result<&mut BtreeCursor> {
        match self.cursors.get_mut(i as usize) {
            Some(Some(VCursor::Btree(c))) => Ok(c),
            _ => Err(internal("not a b-tree cursor")),
        }
    }


    fn load_payload(c: &mut BtreeCursor, db: &mut DbState) -> Result<()> {
        if !c.cached {
            match c.cur.local_payload_at(&mut db.btree)? {
                Some((page, off, len)) => {
                    c.reader.parse(&page[off..off + len])?;
                    c.range = (off, off + len);
                    c.page = Some(page);
                }
                None => {
                    c.page = None;
                    let p = c.cur.payload(&mut db.btree)?;
                    c.payload.clear();
                    c.payload.extend_from_slice(p);
                    c.reader.parse(&c.payload)?;
                }
            }
            c.cached = true;
        }
        Ok(())
    }

    /// Compares the current index entry's key prefix with r[start@n]: key vs entry.
    fn idx_compare(&mut self, db: &mut DbState, cur: i32, start: i32, n: i32) -> Result<Ordering> {
        let refs: Vec<ValueRef<'_>> = self.regs[start as usize..(start + n) as usize].iter().map(ValueRef::from).collect();
        let c = match self.cursors.get_mut(cur as usize) {
            Some(Some(VCursor::Btree(c))) => &mut **c,
            _ => return Err(internal("not a b-tree cursor")),
        };
        Self::load_payload(c, db)?;
        let BtreeCursor { cur, reader, page, range, payload, .. } = c;
        cur.key_info().compare(reader, &refs, super::cursor::record_bytes(page, *range, payload))
    }

    fn run(&mut self, db: &mut DbState, params: &[Value]) -> std::result::Result<VmStep, (Error, i32)> {
        let program = Arc::clone(&self.program);
        let ops = &program.ops;
        loop {
            let Some(op) = ops.get(self.pc) else {
                return Ok(VmStep::Done);
            };
            if let Err(e) = db.hooks.tick() {
                return Err((e, self.pc as i32));
            }
            if op.opcode == Opcode::ResultRow {
                self.row = (op.p1 as usize, op.p2 as usize);
                self.pc += 1;
                return Ok(VmStep::Row);
            }
            let res = self.exec_op(db, params, &program, op);
            match res {
                Ok(n) => self.pc = n,
                Err(e) => {
                    let on_error = if op.opcode == Opcode::Halt || op.opcode == Opcode::HaltIfNull { op.p2 } else { 2 };
                    return Err((e, on_error));
                }
            }
        }
    }

    /// Executes the instruction `op` (at `self.pc`) and returns the next pc. (ResultRow is
    /// `run`'s: it returns the row to the caller without dispatching here.)
    #[inline(always)]
    fn exec_op(&mut self, db: &mut DbState, params: &[Value], program: &Program, op: &Op) -> Result<usize> {
        let ops = &program.ops;
        let mut next = self.pc + 1;
        let (p1, p2, p3) = (op.p1, op.p2, op.p3);
        let jump = p2 as usize;
        let r = |x: i32| x as usize;
        match op.opcode {
            Opcode::Init | Opcode::Goto => next = jump,
            Opcode::Halt => {
                if p1 != 0 {
                    let msg = match &op.p4 {
                        P4::Text(s) => s.clone(),
                        _ => crate::error::errstr(p1).to_string(),
                    };
                    return Err(Error::new(p1, msg));
                }
                next = ops.len();
            }
            Opcode::HaltIfNull => {
                if self.regs[r(p3)].is_null() {
                    let msg = match &op.p4 {
                        P4::Text(s) => s.clone(),
                        _ => crate::error::errstr(p1).to_string(),
                    };
                    return Err(Error::new(p1, msg));
                }
            }
            Opcode::Gosub => {
                self.regs[r(p1)] = Value::Integer(next as i64);
                next = jump;
            }
            Opcode::Return => next = int_of(&self.regs[r(p1)]) as usize,
            Opcode::Integer => self.regs[r(p2)] = Value::Integer(p1 as i64),
            Opcode::Int64 => {
                if let P4::Int64(i) = op.p4 {
                    self.regs[r(p2)] = Value::Integer(i);
                }
            }
            Opcode::Real => {
                if let P4::Real(x) = op.p4 {
                    self.regs[r(p2)] = Value::Real(x);
                }
            }
            Opcode::String8 => {
                if let P4::Text(s) = &op.p4 {
                    self.regs[r(p2)] = Value::Text(s.as_bytes().to_vec());
                }
            }
            Opcode::Blob => {
                if let P4::Blob(b) = &op.p4 {
                    self.regs[r(p2)] = Value::Blob(b.clone());
                }
            }
            Opcode::Null => {
                let end = p3.max(p2);
                for i in p2..=end {
                    self.regs[r(i)] = Value::Null;
                }
            }
            Opcode::Variable => {
                match params.get((p1 - 1) as usize) {
                    Some(v) => self.regs[r(p2)].assign_from(v),
                    None => self.regs[r(p2)] = Value::Null,
                }
            }
            Opcode::Copy => {
                for i in 0..=p3 {
                    self.copy_reg(r(p1 + i), r(p2 + i));
                }
            }
            Opcode::SCopy => self.copy_reg(r(p1), r(p2)),
            Opcode::Add | Opcode::Subtract | Opcode::Multiply | Opcode::Divide | Opcode::Remainder => {
                let aop = match op.opcode {
                    Opcode::Add => ArithOp::Add,
                    Opcode::Subtract => ArithOp::Subtract,
                    Opcode::Multiply => ArithOp::Multiply,
                    Opcode::Divide => ArithOp::Divide,
                    _ => ArithOp::Remainder,
                };
                self.regs[r(p3)] = arith(aop, &self.regs[r(p2)], &self.regs[r(p1)]);
            }
            Opcode::Concat => {
                let (a, b) = (&self.regs[r(p2)], &self.regs[r(p1)]);
                self.regs[r(p3)] = if a.is_null() || b.is_null() {
                    Value::Null
                } else {
                    let mut t = convert::to_text(a);
                    t.extend_from_slice(&convert::to_text(b));
                    Value::Text(t)
                };
            }
            Opcode::BitAnd | Opcode::BitOr | Opcode::ShiftLeft | Opcode::ShiftRight => {
                let (a, b) = (&self.regs[r(p2)], &self.regs[r(p1)]);
                self.regs[r(p3)] = if a.is_null() || b.is_null() {
                    Value::Null
                } else {
                    let (x, y) = (int_of(a), int_of(b));
                    Value::Integer(match op.opcode {
                        Opcode::BitAnd => x & y,
                        Opcode::BitOr => x | y,
                        Opcode::ShiftLeft => shift(x, y, true),
                        _ => shift(x, y, false),
                    })
                };
            }
            Opcode::BitNot => {
                let v = &self.regs[r(p1)];
                self.regs[r(p2)] = if v.is_null() { Value::Null } else { Value::Integer(!int_of(v)) };
            }
            Opcode::Not => {
                self.regs[r(p2)] = match truth(&self.regs[r(p1)]) {
                    None => Value::Null,
                    Some(b) => Value::Integer((!b) as i64),
                };
            }
            Opcode::And | Opcode::Or => {
                let (a, b) = (truth(&self.regs[r(p1)]), truth(&self.regs[r(p2)]));
                let v = if op.opcode == Opcode::And {
                    match (a, b) {
                        (Some(false), _) | (_, Some(false)) => Some(false),
                        (Some(true), Some(true)) => Some(true),
                        _ => None,
                    }
                } else {
                    match (a, b) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (Some(false), Some(false)) => Some(false),
                        _ => None,
                    }
                };
                self.regs[r(p3)] = v.map_or(Value::Null, |b| Value::Integer(b as i64));
            }
            Opcode::Eq | Opcode::Ne | Opcode::Lt | Opcode::Le | Opcode::Gt | Opcode::Ge => {
                let (a, b) = (&self.regs[r(p3)], &self.regs[r(p1)]);
                if a.is_null() || b.is_null() {
                    if op.p5 & CMP_NULLEQ != 0 {
                        let both = a.is_null() && b.is_null();
                        let hit = match op.opcode {
                            Opcode::Eq => both,
                            Opcode::Ne => !both,
                            _ => false,
                        };
                        if hit {
                            next = jump;
                        }
                    } else if op.p5 & CMP_JUMPIFNULL != 0 {
                        next = jump;
                    }
                    return Ok(next);
                }
                let aff = aff_of(op.p5 & CMP_AFF_MASK);
                let (a, b) = (cmp_operand(a, aff), cmp_operand(b, aff));
                let coll = match &op.p4 {
                    P4::Coll(c) => Some(&**c),
                    _ => None,
                };
                let o = compare(&a, &b, coll);
                let hit = match op.opcode {
                    Opcode::Eq => o == Ordering::Equal,
                    Opcode::Ne => o != Ordering::Equal,
                    Opcode::Lt => o == Ordering::Less,
                    Opcode::Le => o != Ordering::Greater,
                    Opcode::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                };
                if hit {
                    next = jump;
                }
            }
            Opcode::IsNull => {
                if self.regs[r(p1)].is_null() {
                    next = jump;
                }
            }
            Opcode::NotNull => {
                if !self.regs[r(p1)].is_null() {
                    next = jump;
                }
            }
            Opcode::If | Opcode::IfNot => {
                let t = truth(&self.regs[r(p1)]);
                let hit = match t {
                    None => p3 != 0,
                    Some(b) => b == (op.opcode == Opcode::If),
                };
                if hit {
                    next = jump;
                }
            }
            Opcode::IfPos => {
                let v = int_of(&self.regs[r(p1)]);
                if v > 0 {
                    self.regs[r(p1)] = Value::Integer(v - p3 as i64);
                    next = jump;
                }
            }
            Opcode::IfNotPos => {
                if int_of(&self.regs[r(p1)]) <= 0 {
                    next = jump;
                }
            }
            Opcode::DecrJumpZero => {
                let v = int_of(&self.regs[r(p1)]);
                if v > i64::MIN {
                    self.regs[r(p1)] = Value::Integer(v - 1);
                }
                if v - 1 == 0 {
                    next = jump;
                }
            }
            Opcode::Affinity => {
                if let P4::Affinity(a) = &op.p4 {
                    for (i, c) in a.bytes().enumerate().take(p2 as usize) {
                        if let Some(aff) = aff_of(c as u16) {
                            let reg = &mut self.regs[r(p1) + i];
                            *reg = affinity::apply(std::mem::replace(reg, Value::Null), aff);
                        }
                    }
                }
            }
            Opcode::MustBeInt => {
                let v = affinity::apply(self.regs[r(p1)].clone(), Affinity::Integer);
                if let Value::Integer(_) = v {
                    self.regs[r(p1)] = v;
                } else if p2 == 0 {
                    return Err(Error::new(code::MISMATCH, "datatype mismatch"));
                } else {
                    next = jump;
                }
            }
            Opcode::RealAffinity => {
                if let Value::Integer(i) = self.regs[r(p1)] {
                    self.regs[r(p1)] = Value::Real(i as f64);
                }
            }
            Opcode::Cast => {
                if let Some(aff) = aff_of(p2 as u16) {
                    self.regs[r(p1)] = convert::cast(&self.regs[r(p1)], aff);
                }
            }
            Opcode::Function => {
                let P4::Func(f) = &op.p4 else { return Err(internal("Function without P4")) };
                let args = &self.regs[r(p2)..r(p2) + op.p5 as usize];
                let coll = match &self.program.ops.get(self.pc.wrapping_sub(1)).map(|o| &o.p4) {
                    Some(P4::Coll(c)) if p1 == 1 => Some(Arc::clone(c)),
                    _ => None,
                };
                let mut ctx = FuncCtx::new(db);
                ctx.collation = coll.as_deref();
                let v = f.call(&mut ctx, args)?;
                self.regs[r(p3)] = v;
            }
            Opcode::AggStep => {
                let P4::Func(f) = &op.p4 else { return Err(internal("AggStep without P4")) };
                let args = &self.regs[r(p2)..r(p2) + op.p5 as usize];
                let slot = &mut self.aggs[r(p3)];
                if slot.is_none() {
                    *slot = Some(f.new_state().ok_or_else(|| internal("not an aggregate"))?);
                }
                let state = slot.as_mut().expect("just filled");
                let coll = match program.ops.get(self.pc.wrapping_sub(1)).map(|o| &o.p4) {
                    Some(P4::Coll(c)) if p1 == 1 => Some(Arc::clone(c)),
                    _ => None,
                };
                let mut ctx = FuncCtx::new(db);
                ctx.collation = coll.as_deref();
                state.step(&mut ctx, args)?;
            }
            Opcode::Window => {
                let P4::Window(w) = &op.p4 else { return Err(internal("Window without P4")) };
                let Some(Some(VCursor::Sorter(s))) = self.cursors.get_mut(r(p1)) else {
                    return Err(internal("Window on a non-sorter"));
                };
                let mut ctx = FuncCtx::new(db);
                s.poison = super::window::compute(&mut s.rows, w, &mut ctx)?;
                s.sorted = true;
            }
            Opcode::AggFinal => {
                let P4::Func(f) = &op.p4 else { return Err(internal("AggFinal without P4")) };
                let mut state = match self.aggs[r(p1)].take() {
                    Some(s) => s,
                    None => f.new_state().ok_or_else(|| internal("not an aggregate"))?,
                };
                let mut ctx = FuncCtx::new(db);
                self.regs[r(p1)] = state.finalize(&mut ctx)?;
            }
            Opcode::Compare => {
                let P4::KeyInfo(k) = &op.p4 else { return Err(internal("Compare without key")) };
                let n = p3 as usize;
                let a = &self.regs[r(p1)..r(p1) + n];
                let b = &self.regs[r(p2)..r(p2) + n];
                self.last_cmp = compare_rows(k, a, b, n);
            }
            Opcode::Jump => {
                next = match self.last_cmp {
                    Ordering::Less => p1,
                    Ordering::Equal => p2,
                    Ordering::Greater => p3,
                } as usize;
            }
            Opcode::OpenRead | Opcode::OpenWrite => {
                let root = if op.p5 & OPFLAG_P2ISREG != 0 { int_of(&self.regs[r(p2)]) as u32 } else { p2 as u32 };
                let (kind, key_info) = match &op.p4 {
                    P4::KeyInfo(k) => (TreeKind::Index, Some(Arc::clone(k))),
                    _ => (TreeKind::Table, None),
                };
                let bki = key_info.as_deref().map(bt_key_info);
                let writable = op.opcode == Opcode::OpenWrite;
                self.close_cursor(r(p1));
                let b = match self.spare.pop() {
                    Some(mut b) => {
                        b.cur.reopen(root, kind, writable, bki);
                        b.key_info = key_info;
                        b.payload.clear();
                        b.page = None;
                        b.cached = false;
                        b.null_row = false;
                        b.valid = false;
                        b
                    }
                    None => Box::new(BtreeCursor::new(db.btree.cursor(root, kind, writable, bki), key_info)),
                };
                self.cursors[r(p1)] = Some(VCursor::Btree(b));
            }
            Opcode::OpenEphemeral => {
                let k = match &op.p4 {
                    P4::KeyInfo(k) => Arc::clone(k),
                    _ => Arc::new(KeyInfo::default()),
                };
                self.cursors[r(p1)] = Some(VCursor::Set(EphemeralSet { key_info: k, keys: HashSet::new() }));
            }
            Opcode::Close => self.close_cursor(r(p1)),
            Opcode::Rewind | Opcode::Last => {
                if let Some(Some(VCursor::Sorter(_))) = self.cursors.get(r(p1)) {
                    self.sorter_sort(p1, jump, &mut next)?;
                    return Ok(next);
                }
                let c = self.bt(p1)?;
                c.cached = false;
                c.null_row = false;
                c.valid = if op.opcode == Opcode::Rewind { c.cur.first(&mut db.btree)? } else { c.cur.last(&mut db.btree)? };
                if !c.valid {
                    next = jump;
                }
            }
            Opcode::Next | Opcode::Prev => {
                if let Some(Some(VCursor::Sorter(s))) = self.cursors.get_mut(r(p1)) {
                    s.null_row = false;
                    s.pos += 1;
                    if s.pos < s.rows.len() {
                        next = jump;
                    }
                    return Ok(next);
                }
                let c = self.bt(p1)?;
                c.cached = false;
                c.null_row = false;
                c.valid = if op.opcode == Opcode::Next { c.cur.next(&mut db.btree)? } else { c.cur.prev(&mut db.btree)? };
                if c.valid {
                    next = jump;
                }
            }
            Opcode::Column => {
                let col = p2 as usize;
                let v = match self.cursors.get_mut(r(p1)) {
                    Some(Some(VCursor::Sorter(s))) => {
                        if let Some((at, e)) = &s.poison {
                            if s.pos >= *at && !s.null_row {
                                return Err(e.clone());
                            }
                        }
                        if s.null_row {
                            Value::Null
                        } else {
                            s.rows.get(s.pos).and_then(|row| row.get(col)).cloned().unwrap_or(Value::Null)
                        }
                    }
                    Some(Some(VCursor::Btree(c))) => {
                        if c.null_row || !c.valid {
                            Value::Null
                        } else {
                            Self::load_payload(c, db)?;
                            if col < c.reader.column_count() {
                                // Straight into the register, reusing its buffer.
                                c.reader.column(c.record(), col)?.store_into(&mut self.regs[r(p3)]);
                                return Ok(next);
                            } else if let P4::Value(d) = &op.p4 {
                                d.clone()
                            } else {
                                Value::Null
                            }
                        }
                    }
                    _ => return Err(internal("Column on a closed cursor")),
                };
                self.regs[r(p3)] = v;
            }
            Opcode::Rowid => {
                // A materialized subquery's row is identified by its position (RIGHT JOIN).
                if let Some(Some(VCursor::Sorter(s))) = self.cursors.get(r(p1)) {
                    let v = if s.null_row || s.pos >= s.rows.len() { Value::Null } else { Value::Integer(s.pos as i64 + 1) };
                    self.regs[r(p2)] = v;
                    return Ok(next);
                }
                let c = self.bt(p1)?;
                let v = if c.null_row || !c.valid { Value::Null } else { Value::Integer(c.cur.rowid(&mut db.btree)?) };
                self.regs[r(p2)] = v;
            }
            Opcode::IdxRowid => {
                let c = self.bt(p1)?;
                let v = if c.null_row || !c.valid {
                    Value::Null
                } else {
                    Self::load_payload(c, db)?;
                    let n = c.reader.column_count();
                    if n == 0 {
                        return Err(Error::new(code::CORRUPT, "database disk image is malformed"));
                    }
                    c.reader.column(c.record(), n - 1)?.to_value()
                };
                self.regs[r(p2)] = v;
            }
            Opcode::NullRow => match self.cursors.get_mut(r(p1)) {
                Some(Some(VCursor::Btree(c))) => {
                    c.null_row = true;
                    c.cached = false;
                }
                Some(Some(VCursor::Sorter(s))) => s.null_row = true,
                _ => {}
            },
            Opcode::SeekRowid | Opcode::NotExists => {
                let key = affinity::apply(self.regs[r(p3)].clone(), Affinity::Integer);
                let c = self.bt(p1)?;
                c.cached = false;
                c.null_row = false;
                match key {
                    Value::Integer(i) => {
                        c.valid = c.cur.seek_rowid_exact(&mut db.btree, i)?;
                        if !c.valid {
                            next = jump;
                        }
                    }
                    _ => {
                        c.valid = false;
                        next = jump;
                    }
                }
            }
            Opcode::SeekGE | Opcode::SeekGT | Opcode::SeekLE | Opcode::SeekLT => {
                let n = match op.p4 {
                    P4::Int64(n) => n as i32,
                    _ => 1,
                };
                let sop = match op.opcode {
                    Opcode::SeekGE => SeekOp::Ge,
                    Opcode::SeekGT => SeekOp::Gt,
                    Opcode::SeekLE => SeekOp::Le,
                    _ => SeekOp::Lt,
                };
                let key = &self.regs[r(p3)..r(p3 + n)];
                let c = match self.cursors.get_mut(r(p1)) {
                    Some(Some(VCursor::Btree(c))) => &mut **c,
                    _ => return Err(internal("not a b-tree cursor")),
                };
                c.cached = false;
                c.null_row = false;
                let refs: Vec<ValueRef<'_>> = key.iter().map(ValueRef::from).collect();
                c.valid = if c.cur.kind() == TreeKind::Table {
                    match key.first() {
                        Some(Value::Integer(i)) => c.cur.seek_rowid_op(&mut db.btree, *i, sop)?,
                        _ => false,
                    }
                } else {
                    c.cur.seek_index(&mut db.btree, &refs, sop)?
                };
                if !c.valid {
                    next = jump;
                }
            }
            Opcode::IdxGT | Opcode::IdxGE | Opcode::IdxLT | Opcode::IdxLE => {
                let n = match op.p4 {
                    P4::Int64(n) => n as i32,
                    _ => 1,
                };
                let o = self.idx_compare(db, p1, p3, n)?;
                let hit = match op.opcode {
                    Opcode::IdxGT => o == Ordering::Less,
                    Opcode::IdxGE => o != Ordering::Greater,
                    Opcode::IdxLT => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                };
                if hit {
                    next = jump;
                }
            }
            Opcode::Found | Opcode::NotFound => {
                let n = match op.p4 {
                    P4::Int64(n) => n as i32,
                    _ => 1,
                };
                let found = match self.cursors.get_mut(r(p1)) {
                    Some(Some(VCursor::Set(s))) => {
                        let k = canonical_key(&s.key_info, &self.regs[r(p3)..r(p3 + n)]);
                        s.keys.contains(&k)
                    }
                    Some(Some(VCursor::Btree(_))) => {
                        let key: Vec<Value> = self.regs[r(p3)..r(p3 + n)].to_vec();
                        let refs: Vec<ValueRef<'_>> = key.iter().map(ValueRef::from).collect();
                        let c = self.bt(p1)?;
                        c.cached = false;
                        c.null_row = false;
                        c.valid = c.cur.seek_index_eq(&mut db.btree, &refs)?;
                        c.valid
                    }
                    _ => return Err(internal("Found on a closed cursor")),
                };
                if found == (op.opcode == Opcode::Found) {
                    next = jump;
                }
            }
            Opcode::NewRowid => {
                let c = self.bt(p1)?;
                c.cached = false;
                let last = if c.cur.last(&mut db.btree)? { Some(c.cur.rowid(&mut db.btree)?) } else { None };
                c.valid = false;
                // AUTOINCREMENT: never below the largest rowid ever used (r[P3]).
                let seq = if p3 != 0 { Some(int_of(&self.regs[r(p3)])) } else { None };
                let base = match (last, seq) {
                    (None, None) => 0,
                    (Some(i), None) => i,
                    (l, Some(s)) => l.map_or(s, |i| i.max(s)),
                };
                if base == i64::MAX {
                    return Err(Error::from_code(code::FULL));
                }
                let id = base + 1;
                if p3 != 0 {
                    self.regs[r(p3)] = Value::Integer(id);
                }
                self.regs[r(p2)] = Value::Integer(id);
            }
            Opcode::Insert => {
                let rowid = int_of(&self.regs[r(p3)]);
                // The record stays in its register: MakeRecord reuses the buffer.
                let Value::Blob(data) = &self.regs[r(p2)] else {
                    return Err(internal("Insert without a record"));
                };
                let Some(Some(VCursor::Btree(c))) = self.cursors.get_mut(r(p1)) else {
                    return Err(internal("not a b-tree cursor"));
                };
                c.cached = false;
                c.null_row = false;
                c.cur.insert(&mut db.btree, rowid, data)?;
                c.valid = true;
                if op.p5 & OPFLAG_NCHANGE != 0 {
                    self.n_change += 1;
                }
                if op.p5 & OPFLAG_LASTROWID != 0 {
                    db.last_insert_rowid = rowid;
                }
            }
            Opcode::IdxInsert => match self.cursors.get_mut(r(p1)) {
                Some(Some(VCursor::Set(s))) => {
                    let k = canonical_key(&s.key_info, &self.regs[r(p2)..r(p2 + p3.max(1))]);
                    s.keys.insert(k);
                }
                _ => {
                    let Value::Blob(data) = &self.regs[r(p2)] else {
                        return Err(internal("IdxInsert without a record"));
                    };
                    let Some(Some(VCursor::Btree(c))) = self.cursors.get_mut(r(p1)) else {
                        return Err(internal("not a b-tree cursor"));
                    };
                    c.cached = false;
                    c.cur.insert_index(&mut db.btree, data)?;
                    c.valid = true;
                    // A WITHOUT ROWID table's row is an index entry: it counts.
                    if op.p5 & OPFLAG_NCHANGE != 0 {
                        self.n_change += 1;
                    }
                }
            },
            Opcode::Delete => {
                let c = self.bt(p1)?;
                c.cached = false;
                c.cur.delete(&mut db.btree)?;
                c.valid = false;
                if op.p5 & OPFLAG_NCHANGE != 0 {
                    self.n_change += 1;
                }
            }
            Opcode::IdxDelete => {
                let key: Vec<Value> = self.regs[r(p2)..r(p2 + p3)].to_vec();
                let refs: Vec<ValueRef<'_>> = key.iter().map(ValueRef::from).collect();
                let c = self.bt(p1)?;
                c.cached = false;
                if c.cur.seek_index_eq(&mut db.btree, &refs)? {
                    c.cur.delete(&mut db.btree)?;
                }
                c.valid = false;
            }
            Opcode::MakeRecord => {
                if let P4::Affinity(a) = &op.p4 {
                    for (i, ch) in a.bytes().enumerate().take(p2 as usize) {
                        if let Some(aff) = aff_of(ch as u16) {
                            let reg = &mut self.regs[r(p1) + i];
                            *reg = affinity::apply(std::mem::replace(reg, Value::Null), aff);
                        }
                    }
                }
                let (lo, hi, dst) = (r(p1), r(p1 + p2), r(p3));
                if dst >= lo && dst < hi {
                    let rec = self.builder.build(&self.regs[lo..hi]);
                    self.regs[dst] = Value::Blob(rec);
                } else {
                    // Reuse the destination's buffer from the previous run or row.
                    let mut out = match std::mem::replace(&mut self.regs[dst], Value::Null) {
                        Value::Blob(v) => v,
                        _ => Vec::new(),
                    };
                    self.builder.build_into(self.regs[lo..hi].iter().map(crate::record::ValueRef::from), &mut out);
                    self.regs[dst] = Value::Blob(out);
                }
            }
            // (Handled by `run` before dispatch: a row is not an error.)
            Opcode::ResultRow => return Err(internal("ResultRow dispatched")),
            Opcode::SorterOpen => {
                let k = match &op.p4 {
                    P4::KeyInfo(k) => Arc::clone(k),
                    _ => Arc::new(KeyInfo::default()),
                };
                self.cursors[r(p1)] = Some(VCursor::Sorter(Sorter { key_info: k, rows: Vec::new(), pos: 0, sorted: false, null_row: false, poison: None }));
            }
            Opcode::SorterInsert => {
                let row = self.regs[r(p2)..r(p2 + p3)].to_vec();
                match self.cursors.get_mut(r(p1)) {
                    Some(Some(VCursor::Sorter(s))) => {
                        s.rows.push(row);
                        s.sorted = false;
                    }
                    _ => return Err(internal("SorterInsert on a non-sorter")),
                }
            }
            Opcode::SorterSort => self.sorter_sort(p1, jump, &mut next)?,
            Opcode::SorterNext => match self.cursors.get_mut(r(p1)) {
                Some(Some(VCursor::Sorter(s))) => {
                    s.pos += 1;
                    if s.pos < s.rows.len() {
                        next = jump;
                    }
                }
                _ => return Err(internal("SorterNext on a non-sorter")),
            },
            Opcode::Transaction => {
                if db.pending_begin && p2 == 0 {
                    db.btree.begin_read()?;
                }
                if p2 != 0 {
                    if !db.btree.in_write_transaction() {
                        if db.btree.pager().is_read_only() {
                            return Err(Error::from_code(code::READONLY));
                        }
                        let bt = &mut db.btree;
                        // A try that fails drops the SHARED lock it took itself, so the
                        // writer we wait for can commit (SQLite's unlockBtreeIfUnused).
                        let had_lock = bt.pager().state() != crate::pager::PagerState::Open;
                        db.hooks.retry_busy(|| {
                            let mut r = bt.begin_write();
                            if r.is_ok() && p2 == 2 {
                                // BEGIN EXCLUSIVE: no reader may start from now on.
                                r = bt.pager_mut().lock_exclusive();
                                if r.is_err() {
                                    let _ = bt.rollback();
                                }
                            }
                            if r.as_ref().is_err_and(|e| e.primary() == code::BUSY) && !had_lock && !bt.in_write_transaction() {
                                let _ = bt.end_read();
                            }
                            r
                        })?;
                        self.began_write = true;
                    }
                    let journal = !matches!(op.p4, P4::Int64(0));
                    if journal && !db.autocommit && self.stmt_savepoint.is_none() {
                        self.stmt_savepoint = Some(db.btree.savepoint_open()?);
                    }
                } else {
                    db.btree.begin_read()?;
                }
                if op.p5 != 0 {
                    let cookie = db.btree.get_meta(crate::pager::header::META_SCHEMA_VERSION)?;
                    if cookie as i32 != p3 {
                        db.schema_stale = true;
                        return Err(Error::from_code(code::SCHEMA));
                    }
                }
            }
            Opcode::AutoCommit => {
                let want = p1 != 0;
                if !want {
                    if !db.autocommit {
                        return Err(Error::sql("cannot start a transaction within a transaction"));
                    }
                    db.autocommit = false;
                } else {
                    if db.autocommit {
                        return Err(Error::sql(if p2 != 0 {
                            "cannot rollback - no transaction is active"
                        } else {
                            "cannot commit - no transaction is active"
                        }));
                    }
                    if p2 != 0 {
                        db.rollback_txn()?;
                        db.schema_stale = true;
                    } else {
                        db.commit_txn()?;
                    }
                    db.savepoints.clear();
                    db.autocommit = true;
                }
            }
            Opcode::Savepoint => {
                let P4::Text(name) = &op.p4 else { return Err(internal("Savepoint without a name")) };
                self.savepoint(db, p1, name)?;
            }
            Opcode::CreateBtree => {
                let kind = if p3 == 2 { TreeKind::Index } else { TreeKind::Table };
                let root = db.btree.create_tree(kind)?;
                self.regs[r(p2)] = Value::Integer(root as i64);
            }
            Opcode::Destroy => {
                // In an auto_vacuum file the last root page moves into the freed slot;
                // the schema row naming it must follow (SQLite's OP_Destroy iMoved).
                if let Some(moved) = db.btree.drop_tree(p1 as u32)? {
                    relocate_root(&mut db.btree, moved, p1 as u32)?;
                    db.schema_stale = true;
                }
            }
            Opcode::Clear => {
                let n = db.btree.clear_tree(p1 as u32)?;
                if p2 != 0 {
                    self.n_change += n as i64;
                }
            }
            Opcode::SetCookie => {
                let v = if p3 == 0 { db.btree.get_meta(p2 as usize)?.wrapping_add(1) } else { p3 as u32 };
                db.btree.set_meta(p2 as usize, v)?;
            }
            Opcode::ParseSchema => db.schema_stale = true,
            Opcode::RowSetAdd => {
                let v = int_of(&self.regs[r(p2)]);
                self.rowsets.entry(p1).or_default().0.push(v);
            }
            Opcode::RowSetRead => {
                let set = self.rowsets.entry(p1).or_default();
                if set.1 < set.0.len() {
                    let v = set.0[set.1];
                    set.1 += 1;
                    self.regs[r(p3)] = Value::Integer(v);
                } else {
                    set.0.clear();
                    set.1 = 0;
                    next = jump;
                }
            }
            Opcode::Pragma => {
                let P4::Text(spec) = &op.p4 else { return Err(internal("Pragma without a name")) };
                let rows = super::pragma::run(db, spec)?;
                self.cursors[r(p1)] = Some(VCursor::Sorter(Sorter {
                    key_info: Arc::new(KeyInfo::default()),
                    rows,
                    pos: 0,
                    sorted: true,
                    null_row: false,
                    poison: None,
                }));
            }
            Opcode::ReadCookie => {
                let v = db.btree.get_meta(p3 as usize)?;
                self.regs[r(p2)] = Value::Integer(if p3 == 8 || p3 == 6 { v as i32 as i64 } else { v as i64 });
            }
            Opcode::Noop | Opcode::Explain => {}
        }
        Ok(next)
    }

    fn sorter_sort(&mut self, p1: i32, jump: usize, next: &mut usize) -> Result<()> {
        match self.cursors.get_mut(p1 as usize) {
            Some(Some(VCursor::Sorter(s))) => {
                if !s.sorted {
                    let k = Arc::clone(&s.key_info);
                    let n = k.fields.len();
                    s.rows.sort_by(|a, b| compare_rows(&k, a, b, n));
                    s.sorted = true;
                }
                s.pos = 0;
                s.null_row = false;
                if s.rows.is_empty() {
                    *next = jump;
                }
                Ok(())
            }
            _ => Err(internal("SorterSort on a non-sorter")),
        }
    }

    fn savepoint(&mut self, db: &mut DbState, op: i32, name: &str) -> Result<()> {
        match op {
            0 => {
                if !db.btree.in_write_transaction() {
                    db.btree.begin_write()?;
                }
                if db.autocommit {
                    db.autocommit = false;
                    db.pending_begin = true;
                    // The outermost savepoint of a transaction it started: RELEASE commits.
                    let d = db.btree.savepoint_open()?;
                    db.savepoints.push((format!("\0{name}"), d));
                } else {
                    let d = db.btree.savepoint_open()?;
                    db.savepoints.push((name.to_string(), d));
                }
                Ok(())
            }
            _ => {
                let pos = db
                    .savepoints
                    .iter()
                    .rposition(|(n, _)| n.trim_start_matches('\0').eq_ignore_ascii_case(name))
                    .ok_or_else(|| Error::sql(format!("no such savepoint: {name}")))?;
                let (sp_name, depth) = db.savepoints[pos].clone();
                if op == 1 {
                    if pos == 0 && sp_name.starts_with('\0') {
                        db.btree.savepoint_release(depth)?;
                        db.commit_txn()?;
                        db.savepoints.clear();
                        db.autocommit = true;
                        db.pending_begin = false;
                    } else {
                        db.btree.savepoint_release(depth)?;
                        db.savepoints.truncate(pos);
                    }
                } else {
                    db.btree.savepoint_rollback(depth)?;
                    db.savepoints.truncate(pos + 1);
                    db.schema_stale = true;
                }
                Ok(())
            }
        }
    }
}
