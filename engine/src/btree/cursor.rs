//! `BtCursor`: a position in one b-tree, and how it moves (the read side).
//!
//! A cursor keeps the path from the root to its entry: for each level the page (a snapshot
//! from the pager), its parsed header and an index. On interior levels below the top the
//! index is the child followed (0..=n_cells, n_cells meaning the right-most child); on the top
//! level it is the cell the cursor stands on. In an index b-tree the top may be an interior
//! page: interior cells of index b-trees are entries too, visited between their left subtree
//! and the next child (in-order).
//!
//! Invariants:
//! 1. `Valid` means the top level's index names a cell of its page.
//! 2. Before any operation the cursor compares its generation with the tree's; when the tree
//!    changed it re-seeks its saved key (taken from its own snapshot, or saved explicitly by
//!    the write it just made). If the entry is gone, the cursor stands on the next entry and
//!    `skip_next` makes the following `next()` stay there (SQLite's skipNext).
//! 3. No allocation per step: payloads that fit in the page are returned as slices of the
//!    page snapshot; overflowing payloads are assembled in a buffer the cursor reuses.

use std::cmp::Ordering;
use std::sync::Arc;

use super::freelist::read_payload;
use super::page::{corrupt, CellInfo, Node, Pgno};
use super::{Btree, TreeKind, MAX_DEPTH};
use crate::error::{code, Error, Result};
use crate::pager::PageRef;
use crate::record::compare::compare_values;
use crate::record::{RecordReader, ValueRef};

/// A text collation usable by index cursors (BINARY when absent).
pub type CollationFn = Arc<dyn Fn(&[u8], &[u8]) -> Ordering + Send + Sync>;

/// How one column of an index key sorts.
#[derive(Clone, Default)]
pub struct KeyInfoField {
    pub desc: bool,
    pub collation: Option<CollationFn>,
}

/// The sort order of an index's key columns (SQLite's KeyInfo); columns past the end sort ASC
/// BINARY (the rowid column of ordinary indexes).
#[derive(Clone, Default)]
pub struct KeyInfo {
    pub fields: Vec<KeyInfoField>,
}

impl std::fmt::Debug for KeyInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d: Vec<(bool, bool)> = self.fields.iter().map(|x| (x.desc, x.collation.is_some())).collect();
        f.debug_struct("KeyInfo").field("fields(desc,collated)", &d).finish()
    }
}

impl KeyInfo {
    /// `n` ASC BINARY columns.
    pub fn binary(n: usize) -> KeyInfo {
        KeyInfo { fields: vec![KeyInfoField::default(); n] }
    }

    /// Compares an unpacked key with a stored record (prefix semantics: Equal when the first
    /// `key.len()` fields are equal).
    pub fn compare(&self, reader: &mut RecordReader, key: &[ValueRef<'_>], rec: &[u8]) -> Result<Ordering> {
        reader.parse(rec)?;
        let n = key.len().min(reader.column_count());
        for (i, k) in key.iter().enumerate().take(n) {
            let s = reader.column(rec, i)?;
            let (desc, coll) = match self.fields.get(i) {
                Some(f) => (f.desc, f.collation.as_deref()),
                None => (false, None),
            };
            let mut o = match coll {
                Some(c) => compare_values(k, &s, Some(c)),
                None => compare_values(k, &s, None),
            };
            if desc {
                o = o.reverse();
            }
            if o != Ordering::Equal {
                return Ok(o);
            }
        }
        Ok(Ordering::Equal)
    }
}

/// How `seek_index` / `seek_rowid_op` choose their entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekOp {
    /// First entry >= key.
    Ge,
    /// First entry > key.
    Gt,
    /// Last entry <= key.
    Le,
    /// Last entry < key.
    Lt,
}

#[derive(Clone)]
pub(crate) struct Level {
    pub pgno: Pgno,
    pub page: PageRef,
    pub node: Node,
    pub idx: usize,
}

#[derive(Clone, Debug)]
pub(crate) enum Saved {
    Rowid(i64),
    Key(Vec<u8>),
}

pub struct BtCursor {
    pub(crate) root: Pgno,
    pub(crate) kind: TreeKind,
    pub(crate) writable: bool,
    pub(crate) key_info: KeyInfo,
    pub(crate) path: Vec<Level>,
    pub(crate) valid: bool,
    pub(crate) skip_next: bool,
    /// Invalid because a re-seek found nothing at or after the saved key: prev() goes to last.
    pub(crate) past_end: bool,
    pub(crate) gen: (u64, u64),
    /// `Btree::change_count` when `gen` was last found current.
    pub(crate) seen: u64,
    pub(crate) saved: Option<Saved>,
    pub(crate) buf: Vec<u8>,
    pub(crate) cmp_buf: Vec<u8>,
    pub(crate) reader: RecordReader,
    /// Set by [`BtCursor::seek_rowid_exact`] when the rowid is absent: the path still ends at
    /// the leaf position where it would go, so an insert of that rowid needs no new descent
    /// (SQLite's seek-result hint). Valid only while the path is kept and `gen` is current.
    pub(crate) insert_point: Option<i64>,
}

impl std::fmt::Debug for BtCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BtCursor").field("root", &self.root).field("kind", &self.kind).field("valid", &self.valid).finish()
    }
}

impl BtCursor {
    pub fn new(root: Pgno, kind: TreeKind, writable: bool, key_info: Option<KeyInfo>) -> BtCursor {
        BtCursor {
            root,
            kind,
            writable,
            key_info: key_info.unwrap_or_default(),
            path: Vec::with_capacity(8),
            valid: false,
            skip_next: false,
            past_end: false,
            gen: (u64::MAX, 0),
            seen: u64::MAX,
            saved: None,
            buf: Vec::new(),
            cmp_buf: Vec::new(),
            reader: RecordReader::new(),
            insert_point: None,
        }
    }

    /// Re-targets this cursor at another tree, keeping its buffers (a statement that runs
    /// again reuses its cursors instead of allocating new ones).
    pub fn reopen(&mut self, root: Pgno, kind: TreeKind, writable: bool, key_info: Option<KeyInfo>) {
        self.invalidate();
        self.root = root;
        self.kind = kind;
        self.writable = writable;
        self.key_info = key_info.unwrap_or_default();
        self.gen = (u64::MAX, 0);
        self.seen = u64::MAX;
    }

    pub fn root(&self) -> Pgno {
        self.root
    }
    pub fn kind(&self) -> TreeKind {
        self.kind
    }
    pub fn is_writable(&self) -> bool {
        self.writable
    }
    pub fn key_info(&self) -> &KeyInfo {
        &self.key_info
    }

    /// True when the cursor stands on an entry (restoring first if the tree changed).
    pub fn is_valid(&mut self, bt: &mut Btree) -> Result<bool> {
        self.restore(bt)?;
        Ok(self.valid)
    }

    /// Forgets the position.
    pub fn invalidate(&mut self) {
        self.insert_point = None;
        self.valid = false;
        self.skip_next = false;
        self.past_end = false;
        self.saved = None;
        self.path.clear();
    }

    // ---- internal movement ----------------------------------------------------------------

    pub(crate) fn top(&self) -> &Level {
        self.path.last().expect("cursor path is not empty when valid")
    }

    fn push(&mut self, bt: &mut Btree, pgno: Pgno) -> Result<()> {
        if self.path.len() >= MAX_DEPTH {
            return Err(corrupt(pgno, "b-tree too deep"));
        }
        let (page, node) = bt.node(pgno)?;
        let expect_table = self.kind == TreeKind::Table;
        if node.table != expect_table {
            return Err(corrupt(pgno, "page kind differs from its tree"));
        }
        if !self.path.is_empty() && node.n_cells == 0 && node.leaf {
            return Err(corrupt(pgno, "empty non-root page"));
        }
        if !node.leaf && node.n_cells == 0 && !self.path.is_empty() {
            return Err(corrupt(pgno, "interior page with no cells"));
        }
        self.path.push(Level { pgno, page, node, idx: 0 });
        Ok(())
    }

    pub(crate) fn move_to_root(&mut self, bt: &mut Btree) -> Result<()> {
        self.insert_point = None;
        self.path.clear();
        self.valid = false;
        self.skip_next = false;
        self.past_end = false;
        self.saved = None;
        self.gen = bt.gen_of(self.root);
        self.seen = bt.change_count();
        self.push(bt, self.root)
    }

    fn descend_leftmost(&mut self, bt: &mut Btree) -> Result<()> {
        loop {
            let t = self.path.last_mut().expect("path");
            t.idx = 0;
            if t.node.leaf {
                return Ok(());
            }
            let child = t.node.child(&t.page, 0)?;
            self.push(bt, child)?;
        }
    }

    fn descend_rightmost(&mut self, bt: &mut Btree) -> Result<()> {
        loop {
            let t = self.path.last_mut().expect("path");
            if t.node.leaf {
                t.idx = t.node.n_cells.saturating_sub(1);
                return Ok(());
            }
            t.idx = t.node.n_cells;
            let child = t.node.right_child;
            self.push(bt, child)?;
        }
    }

    pub(crate) fn step_next(&mut self, bt: &mut Btree) -> Result<bool> {
        let t = self.path.last_mut().expect("path");
        if t.node.leaf {
            t.idx += 1;
            if t.idx < t.node.n_cells {
                return Ok(true);
            }
            return self.climb_next(bt);
        }
        // Index interior entry: continue with the leftmost entry of the next child.
        t.idx += 1;
        let child = t.node.child(&t.page, t.idx)?;
        self.push(bt, child)?;
        self.descend_leftmost(bt)?;
        Ok(true)
    }

    /// The leaf at the top is exhausted: climb to the next entry.
    pub(crate) fn climb_next(&mut self, bt: &mut Btree) -> Result<bool> {
        loop {
            self.path.pop();
            let Some(p) = self.path.last_mut() else {
                self.valid = false;
                return Ok(false);
            };
            if p.idx < p.node.n_cells {
                if self.kind == TreeKind::Index {
                    // Stand on the interior cell that follows the subtree we left.
                    return Ok(true);
                }
                p.idx += 1;
                let child = p.node.child(&p.page, p.idx)?;
                self.push(bt, child)?;
                self.descend_leftmost(bt)?;
                return Ok(true);
            }
        }
    }

    pub(crate) fn step_prev(&mut self, bt: &mut Btree) -> Result<bool> {
        let t = self.path.last_mut().expect("path");
        if t.node.leaf {
            if t.idx > 0 {
                t.idx -= 1;
                return Ok(true);
            }
            loop {
                self.path.pop();
                let Some(p) = self.path.last_mut() else {
                    self.valid = false;
                    return Ok(false);
                };
                if p.idx > 0 {
                    p.idx -= 1;
                    if self.kind == TreeKind::Index {
                        return Ok(true);
                    }
                    let child = p.node.child(&p.page, p.idx)?;
                    self.push(bt, child)?;
                    self.descend_rightmost(bt)?;
                    return Ok(true);
                }
            }
        }
        // Index interior entry at cell i: the previous entry is the last of child i.
        let child = t.node.child(&t.page, t.idx)?;
        self.push(bt, child)?;
        self.descend_rightmost(bt)?;
        Ok(true)
    }

    /// Re-seeks the saved key when the tree changed since the cursor last moved.
    #[inline]
    pub(crate) fn restore(&mut self, bt: &mut Btree) -> Result<()> {
        if self.seen == bt.change_count() && self.saved.is_none() {
            return Ok(());
        }
        self.restore_slow(bt)
    }

    #[inline(never)]
    fn restore_slow(&mut self, bt: &mut Btree) -> Result<()> {
        let count = bt.change_count();
        let now = bt.gen_of(self.root);
        if self.gen == now && self.saved.is_none() {
            self.seen = count;
            return Ok(());
        }
        let saved = match self.saved.take() {
            Some(s) => s,
            None if self.valid => self.snapshot_key(bt)?,
            None => {
                let past_end = self.past_end;
                self.path.clear();
                self.gen = now;
                self.seen = count;
                self.past_end = past_end;
                return Ok(());
            }
        };
        let mut found = match &saved {
            Saved::Rowid(r) => self.seek_rowid_leaf(bt, *r)?,
            Saved::Key(k) => {
                let k = k.clone();
                let mut rr = RecordReader::new();
                rr.parse(&k)?;
                let vals: Vec<ValueRef<'_>> = (0..rr.column_count()).map(|i| rr.column(&k, i)).collect::<Result<_>>()?;
                self.seek_key_leaf(bt, &vals, SeekOp::Ge)?
            }
        };
        self.normalize(bt)?;
        if let (Saved::Key(k), true) = (&saved, self.valid) {
            // The key may live in an interior cell, which the leaf seek does not report.
            let t = self.top().clone();
            let c = t.node.cell(&t.page, t.idx)?;
            let mut v = Vec::new();
            read_payload(bt, &t.page, &t.node, &c, &mut v)?;
            found = v == *k;
        }
        if self.valid {
            self.skip_next = !found;
        } else {
            self.past_end = true;
        }
        Ok(())
    }

    fn snapshot_key(&mut self, bt: &mut Btree) -> Result<Saved> {
        let t = self.top().clone();
        let cell = t.node.cell(&t.page, t.idx)?;
        if self.kind == TreeKind::Table {
            return Ok(Saved::Rowid(cell.rowid));
        }
        let mut v = Vec::new();
        read_payload(bt, &t.page, &t.node, &cell, &mut v)?;
        Ok(Saved::Key(v))
    }

    /// After a leaf seek (top idx in 0..=n_cells): make the position an entry or EOF.
    pub(crate) fn normalize(&mut self, bt: &mut Btree) -> Result<()> {
        let t = self.path.last().expect("path");
        if t.idx < t.node.n_cells {
            self.valid = true;
            return Ok(());
        }
        if t.node.n_cells == 0 && self.path.len() == 1 {
            self.valid = false;
            return Ok(());
        }
        self.valid = self.climb_next(bt)?;
        Ok(())
    }

    /// Descends to the leaf where `rowid` is or would go; top idx in 0..=n_cells. True when
    /// the leaf holds `rowid` at idx.
    pub(crate) fn seek_rowid_leaf(&mut self, bt: &mut Btree, rowid: i64) -> Result<bool> {
        self.move_to_root(bt)?;
        loop {
            let t = self.path.last_mut().expect("path");
            let n = t.node.n_cells;
            let (mut lo, mut hi) = (0usize, n);
            // Appends in rowid order land past the last cell: test it first.
            if n > 0 && t.node.rowid_at(&t.page, n - 1)? < rowid {
                lo = n;
                hi = n;
            }
            while lo < hi {
                let mid = (lo + hi) / 2;
                if t.node.rowid_at(&t.page, mid)? < rowid {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            t.idx = lo;
            if t.node.leaf {
                return Ok(lo < n && t.node.rowid_at(&t.page, lo)? == rowid);
            }
            let child = t.node.child(&t.page, lo)?;
            self.push(bt, child)?;
        }
    }

    /// The payload of cell `i` of `lvl` into `cmp_buf` (when it overflows) or borrowed.
    fn cell_payload_for_compare(&mut self, bt: &mut Btree, level: usize, i: usize) -> Result<(CellInfo, bool)> {
        let t = &self.path[level];
        let c = t.node.cell(&t.page, i)?;
        if c.overflow == 0 {
            return Ok((c, false));
        }
        let (page, node) = (t.page.clone(), t.node);
        self.cmp_buf.clear();
        read_payload(bt, &page, &node, &c, &mut self.cmp_buf)?;
        Ok((c, true))
    }

    fn qualifies(&mut self, bt: &mut Btree, level: usize, i: usize, key: &[ValueRef<'_>], op: SeekOp) -> Result<bool> {
        let (c, in_buf) = self.cell_payload_for_compare(bt, level, i)?;
        let page = self.path[level].page.clone();
        let rec: &[u8] = if in_buf { &self.cmp_buf } else { &page[c.local_off..c.local_off + c.local_len] };
        let o = self.key_info.compare(&mut self.reader, key, rec)?;
        Ok(match o {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => matches!(op, SeekOp::Ge | SeekOp::Lt),
        })
    }

    /// Descends to the leaf position of the first entry that is >= key (Ge/Lt) or > key
    /// (Gt/Le). True when that entry is in the leaf at idx and compares Equal.
    pub(crate) fn seek_key_leaf(&mut self, bt: &mut Btree, key: &[ValueRef<'_>], op: SeekOp) -> Result<bool> {
        self.move_to_root(bt)?;
        loop {
            let level = self.path.len() - 1;
            let n = self.path[level].node.n_cells;
            let (mut lo, mut hi) = (0usize, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if self.qualifies(bt, level, mid, key, op)? {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            let t = &mut self.path[level];
            t.idx = lo;
            if t.node.leaf {
                if lo < n {
                    let (c, in_buf) = self.cell_payload_for_compare(bt, level, lo)?;
                    let page = self.path[level].page.clone();
                    let rec: &[u8] = if in_buf { &self.cmp_buf } else { &page[c.local_off..c.local_off + c.local_len] };
                    return Ok(self.key_info.compare(&mut self.reader, key, rec)? == Ordering::Equal);
                }
                return Ok(false);
            }
            let child = t.node.child(&t.page, lo)?;
            self.push(bt, child)?;
        }
    }

    // ---- public movement ------------------------------------------------------------------

    /// Moves to the first entry; false when the tree is empty.
    pub fn first(&mut self, bt: &mut Btree) -> Result<bool> {
        self.move_to_root(bt)?;
        let t = self.top();
        if t.node.leaf && t.node.n_cells == 0 {
            return Ok(false);
        }
        self.descend_leftmost(bt)?;
        self.valid = true;
        Ok(true)
    }

    /// Moves to the last entry; false when the tree is empty.
    pub fn last(&mut self, bt: &mut Btree) -> Result<bool> {
        self.move_to_root(bt)?;
        let t = self.top();
        if t.node.leaf && t.node.n_cells == 0 {
            return Ok(false);
        }
        self.descend_rightmost(bt)?;
        self.valid = true;
        Ok(true)
    }

    /// Moves to the next entry; false at the end.
    pub fn next(&mut self, bt: &mut Btree) -> Result<bool> {
        self.restore(bt)?;
        if self.skip_next {
            self.skip_next = false;
            return Ok(self.valid);
        }
        if !self.valid {
            return Ok(false);
        }
        let r = self.step_next(bt)?;
        self.valid = r;
        Ok(r)
    }

    /// Moves to the previous entry; false at the beginning.
    pub fn prev(&mut self, bt: &mut Btree) -> Result<bool> {
        self.restore(bt)?;
        self.skip_next = false;
        if !self.valid {
            if self.past_end {
                return self.last(bt);
            }
            return Ok(false);
        }
        let r = self.step_prev(bt)?;
        self.valid = r;
        Ok(r)
    }

    /// Table b-trees: moves to `rowid` when present (true), else to the first greater entry
    /// (or EOF) and returns false.
    pub fn seek_rowid(&mut self, bt: &mut Btree, rowid: i64) -> Result<bool> {
        self.require(TreeKind::Table)?;
        let found = self.seek_rowid_leaf(bt, rowid)?;
        self.normalize(bt)?;
        Ok(found)
    }

    /// Table b-trees: true (standing on it) when `rowid` is present. When it is absent the
    /// cursor stands on no entry but remembers where the rowid would go, so that
    /// [`BtCursor::insert`] of that rowid right after needs no new descent.
    pub fn seek_rowid_exact(&mut self, bt: &mut Btree, rowid: i64) -> Result<bool> {
        self.require(TreeKind::Table)?;
        let found = self.seek_rowid_leaf(bt, rowid)?;
        self.valid = found;
        if !found {
            self.insert_point = Some(rowid);
        }
        Ok(found)
    }

    /// True when the path, unchanged since it was made, ends at the leaf slot of `rowid`:
    /// Some(true) standing on it, Some(false) at its insertion point.
    pub(crate) fn positioned_at(&mut self, bt: &mut Btree, rowid: i64) -> Result<Option<bool>> {
        if self.path.is_empty() || self.saved.is_some() || self.gen != bt.gen_of(self.root) {
            return Ok(None);
        }
        if self.insert_point == Some(rowid) {
            return Ok(Some(false));
        }
        let t = self.top();
        if self.valid && t.node.leaf && t.idx < t.node.n_cells && t.node.rowid_at(&t.page, t.idx)? == rowid {
            return Ok(Some(true));
        }
        Ok(None)
    }

    /// Table b-trees: positions by `op` relative to `rowid`; true when on an entry.
    pub fn seek_rowid_op(&mut self, bt: &mut Btree, rowid: i64, op: SeekOp) -> Result<bool> {
        self.require(TreeKind::Table)?;
        let ge = match op {
            SeekOp::Ge | SeekOp::Lt => rowid,
            SeekOp::Gt | SeekOp::Le => match rowid.checked_add(1) {
                Some(r) => r,
                None => {
                    // Nothing is greater than i64::MAX.
                    return if op == SeekOp::Gt { self.invalid_end() } else { self.last(bt) };
                }
            },
        };
        self.seek_rowid_leaf(bt, ge)?;
        self.normalize(bt)?;
        self.finish_op(bt, op)
    }

    fn invalid_end(&mut self) -> Result<bool> {
        self.valid = false;
        self.path.clear();
        Ok(false)
    }

    fn finish_op(&mut self, bt: &mut Btree, op: SeekOp) -> Result<bool> {
        match op {
            SeekOp::Ge | SeekOp::Gt => Ok(self.valid),
            SeekOp::Le | SeekOp::Lt => {
                if self.valid {
                    let r = self.step_prev(bt)?;
                    self.valid = r;
                    Ok(r)
                } else {
                    self.last(bt)
                }
            }
        }
    }

    /// Index b-trees: positions by `op` relative to `key` (a prefix of the index's columns is
    /// allowed); true when on an entry.
    pub fn seek_index(&mut self, bt: &mut Btree, key: &[ValueRef<'_>], op: SeekOp) -> Result<bool> {
        self.require(TreeKind::Index)?;
        self.seek_key_leaf(bt, key, op)?;
        self.normalize(bt)?;
        self.finish_op(bt, op)
    }

    /// Index b-trees: true when an entry whose first `key.len()` fields equal `key` exists;
    /// the cursor then stands on the first such entry.
    pub fn seek_index_eq(&mut self, bt: &mut Btree, key: &[ValueRef<'_>]) -> Result<bool> {
        if !self.seek_index(bt, key, SeekOp::Ge)? {
            return Ok(false);
        }
        let p = self.payload(bt)?.to_vec();
        let o = self.key_info.compare(&mut self.reader, key, &p)?;
        Ok(o == Ordering::Equal)
    }

    fn require(&self, kind: TreeKind) -> Result<()> {
        if self.kind != kind {
            return Err(Error::new(code::INTERNAL, "cursor used on the wrong kind of b-tree"));
        }
        Ok(())
    }

    // ---- reading the current entry ------------------------------------------------------------

    fn current(&mut self, bt: &mut Btree) -> Result<CellInfo> {
        self.restore(bt)?;
        if !self.valid {
            return Err(Error::new(code::INTERNAL, "cursor is not on an entry"));
        }
        let t = self.top();
        t.node.cell(&t.page, t.idx)
    }

    /// The rowid of the current entry (table b-trees).
    pub fn rowid(&mut self, bt: &mut Btree) -> Result<i64> {
        self.require(TreeKind::Table)?;
        Ok(self.current(bt)?.rowid)
    }

    /// The payload size of the current entry.
    pub fn payload_size(&mut self, bt: &mut Btree) -> Result<u64> {
        Ok(self.current(bt)?.payload_size)
    }

    /// The whole payload of the current entry: borrowed from the page when it is all local,
    /// else assembled from the overflow chain into a buffer the cursor reuses.
    pub fn payload(&mut self, bt: &mut Btree) -> Result<&[u8]> {
        self.restore(bt)?;
        if self.valid {
            let t = self.top();
            if let Some((off, len)) = t.node.local_payload_range(&t.page, t.idx)? {
                return Ok(&self.top().page[off..off + len]);
            }
        }
        let c = self.current(bt)?;
        if c.overflow == 0 {
            let t = self.top();
            return Ok(&t.page[c.local_off..c.local_off + c.local_len]);
        }
        let t = self.top().clone();
        self.buf.clear();
        read_payload(bt, &t.page, &t.node, &c, &mut self.buf)?;
        Ok(&self.buf)
    }

    /// The current entry's payload as the page snapshot holding it and its offset and length
    /// there, when the whole payload is in the page (None otherwise: use [`Self::payload`]).
    pub fn local_payload_at(&mut self, bt: &mut Btree) -> Result<Option<(PageRef, usize, usize)>> {
        self.restore(bt)?;
        if !self.valid {
            return Ok(None);
        }
        let t = self.top();
        Ok(t.node.local_payload_range(&t.page, t.idx)?.map(|(off, len)| (Arc::clone(&t.page), off, len)))
    }

    /// The bytes of the current payload that are stored in the page (a prefix of it).
    pub fn local_payload(&mut self, bt: &mut Btree) -> Result<&[u8]> {
        let c = self.current(bt)?;
        let t = self.top();
        Ok(&t.page[c.local_off..c.local_off + c.local_len])
    }
}

impl BtCursor {
    /// Copies `buf.len()` bytes of the current payload starting at `offset` into `buf`,
    /// following the overflow chain only as far as needed (incremental blob reads, large
    /// columns). A range past the payload's end is SQLITE_ERROR.
    pub fn read_payload_range(&mut self, bt: &mut Btree, offset: u64, buf: &mut [u8]) -> Result<()> {
        self.payload_range_io(bt, offset, RangeIo::Read(buf))
    }

    /// Overwrites bytes of the current payload in place (same size; sqlite3_blob_write). The
    /// b-tree must be in a write transaction and the cursor writable.
    pub fn write_payload_range(&mut self, bt: &mut Btree, offset: u64, data: &[u8]) -> Result<()> {
        if !self.writable || !bt.in_write_transaction() {
            return Err(Error::from_code(code::READONLY));
        }
        self.payload_range_io(bt, offset, RangeIo::Write(data))?;
        // The page images changed under other cursors' snapshots.
        bt.touch(self.root);
        let key = match self.kind {
            TreeKind::Table => Saved::Rowid(self.rowid(bt)?),
            TreeKind::Index => Saved::Key(self.payload(bt)?.to_vec()),
        };
        self.saved = Some(key);
        Ok(())
    }

    fn payload_range_io(&mut self, bt: &mut Btree, offset: u64, mut io: RangeIo<'_>) -> Result<()> {
        let c = self.current(bt)?;
        let len = match &io {
            RangeIo::Read(b) => b.len(),
            RangeIo::Write(b) => b.len(),
        } as u64;
        if offset.checked_add(len).is_none_or(|end| end > c.payload_size) {
            return Err(Error::sql("payload range past the end of the entry"));
        }
        let (pgno, page, node) = {
            let t = self.top();
            (t.pgno, t.page.clone(), t.node)
        };
        let mut done = 0usize;
        let mut pos = offset;
        // Local part.
        if pos < c.local_len as u64 && len > 0 {
            let n = ((c.local_len as u64 - pos).min(len)) as usize;
            let at = c.local_off + pos as usize;
            match &mut io {
                RangeIo::Read(b) => b[..n].copy_from_slice(&page[at..at + n]),
                RangeIo::Write(b) => {
                    let d = bt.pager.write(pgno)?;
                    d[at..at + n].copy_from_slice(&b[..n]);
                }
            }
            done += n;
            pos += n as u64;
        }
        // Overflow pages.
        let per = (bt.usable_size() - 4) as u64;
        let mut next = c.overflow;
        let mut page_start = c.local_len as u64;
        let max_pages = (c.payload_size - c.local_len as u64).div_ceil(per.max(1)) + 1;
        let mut visited = 0u64;
        while (done as u64) < len {
            visited += 1;
            if next < 2 || next > bt.pager.page_count() || visited > max_pages {
                return Err(corrupt(node.pgno, "overflow chain out of range"));
            }
            let ov = bt.pager.get(next)?;
            let after = crate::pager::header::get_u32(&ov, 0);
            let page_end = page_start + per;
            if pos < page_end {
                let in_page = (pos - page_start) as usize;
                let n = ((page_end - pos).min(len - done as u64)) as usize;
                match &mut io {
                    RangeIo::Read(b) => b[done..done + n].copy_from_slice(&ov[4 + in_page..4 + in_page + n]),
                    RangeIo::Write(b) => {
                        drop(ov);
                        let d = bt.pager.write(next)?;
                        d[4 + in_page..4 + in_page + n].copy_from_slice(&b[done..done + n]);
                    }
                }
                done += n;
                pos += n as u64;
            }
            page_start = page_end;
            next = after;
        }
        Ok(())
    }
}

enum RangeIo<'a> {
    Read(&'a mut [u8]),
    Write(&'a [u8]),
}
