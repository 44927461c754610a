//! Insert and delete through a cursor (the write side of `BtCursor`).
//!
//! Invariants:
//! 1. A write needs a writable cursor and a write transaction on the `Btree`.
//! 2. Every change bumps the tree's generation; the writing cursor saves the key it wrote or
//!    deleted and re-seeks it on its next use (after a delete it stands on the next entry, and
//!    `next()` does not skip it).
//! 3. Cells are built with SQLite's local-payload rule; the overflow part is written to a new
//!    chain before the cell goes into the page.

use super::balance::{
    balance_after_interior_replace, balance_overflow, balance_underflow, read_content, try_balance_quick, underfull,
};
use super::cursor::{BtCursor, Saved, SeekOp};
use super::freelist::{free_overflow, write_overflow};
use super::page::{drop_cell, insert_cell, local_size, Node, Pgno};
use super::{Btree, TreeKind, MAX_DEPTH};

/// A cursor path copied out as (page, child index) pairs.
struct Chain {
    items: [(Pgno, usize); MAX_DEPTH],
    len: usize,
}

impl std::ops::Deref for Chain {
    type Target = [(Pgno, usize)];
    fn deref(&self) -> &Self::Target {
        &self.items[..self.len]
    }
}
use crate::error::{code, Error, Result};
use crate::record::varint::push_varint;
use crate::record::{RecordReader, ValueRef};

impl BtCursor {
    fn check_write(&self, bt: &mut Btree) -> Result<()> {
        if !self.writable {
            return Err(Error::new(code::INTERNAL, "write through a read-only cursor"));
        }
        if !bt.in_write_transaction() {
            return Err(Error::from_code(code::READONLY));
        }
        bt.check_writable_layout()
    }

    /// The path as (page, child index) pairs, root first, without allocating.
    fn chain(&self) -> Chain {
        let mut c = Chain { items: [(0, 0); MAX_DEPTH], len: 0 };
        for l in &self.path {
            c.items[c.len] = (l.pgno, l.idx);
            c.len += 1;
        }
        c
    }

    /// Builds a leaf cell for `payload` (with `rowid` on table leaves) into `cell`.
    fn build_cell(bt: &mut Btree, table: bool, rowid: i64, payload: &[u8], cell: &mut Vec<u8>) -> Result<()> {
        let usable = bt.usable_size();
        let local = local_size(payload.len() as u64, usable, table);
        cell.clear();
        cell.reserve(local + 18);
        push_varint(cell, payload.len() as u64);
        if table {
            push_varint(cell, rowid as u64);
        }
        cell.extend_from_slice(&payload[..local]);
        if local < payload.len() {
            let first = write_overflow(bt, &payload[local..])?;
            cell.extend_from_slice(&first.to_be_bytes());
        }
        if cell.len() < 4 {
            cell.resize(4, 0);
        }
        Ok(())
    }

    /// Puts `cell` at the leaf position the path ends on (replacing the cell there when
    /// `replace`), balancing when it does not fit.
    fn put_leaf_cell(&mut self, bt: &mut Btree, cell: &[u8], replace: bool) -> Result<()> {
        let chain = self.chain();
        let chain = &chain[..];
        let depth = chain.len() - 1;
        let (pgno, idx) = chain[depth];
        let old = if replace {
            let t = self.top();
            Some(t.node.cell(&t.page, idx)?)
        } else {
            None
        };
        // Let go of the page snapshots so the pager can change the page without copying it;
        // the caller saves the cursor's key.
        self.path.clear();
        self.valid = false;
        let usable = bt.usable_size();
        if let Some(old) = old {
            free_overflow(bt, pgno, &old)?;
            let data = bt.pager.write(pgno)?;
            let mut node = Node::parse(data, pgno, usable)?;
            if old.size == cell.len() {
                // Same size: overwrite in place.
                let off = node.cell_offset(data, idx)?;
                data[off..off + cell.len()].copy_from_slice(cell);
                return fix_cell_overflow(bt, pgno, idx);
            }
            drop_cell(data, &mut node, idx, old.size)?;
        }
        let data = bt.pager.write(pgno)?;
        let mut node = Node::parse(data, pgno, usable)?;
        if insert_cell(data, &mut node, idx, cell)? {
            return fix_cell_overflow(bt, pgno, idx);
        }
        if try_balance_quick(bt, chain, depth, idx, cell)? {
            return Ok(());
        }
        let mut content = read_content(bt, pgno)?;
        content.cells.insert(idx, cell.to_vec());
        balance_overflow(bt, chain, depth, content, idx)
    }

    /// Table b-trees: inserts (or replaces) the row `rowid` with `payload`. The cursor then
    /// stands on the new row.
    pub fn insert(&mut self, bt: &mut Btree, rowid: i64, payload: &[u8]) -> Result<()> {
        self.check_write(bt)?;
        if self.kind != TreeKind::Table {
            return Err(Error::new(code::INTERNAL, "rowid insert into an index b-tree"));
        }
        let found = match self.positioned_at(bt, rowid)? {
            Some(found) => found,
            None => self.seek_rowid_leaf(bt, rowid)?,
        };
        self.insert_point = None;
        let mut cell = std::mem::take(&mut self.buf);
        let r = Self::build_cell(bt, true, rowid, payload, &mut cell).and_then(|()| self.put_leaf_cell(bt, &cell, found));
        self.buf = cell;
        r?;
        bt.touch(self.root);
        self.saved = Some(Saved::Rowid(rowid));
        Ok(())
    }

    /// Index b-trees: inserts the record `key` (replacing an equal entry). The cursor then
    /// stands on it.
    pub fn insert_index(&mut self, bt: &mut Btree, key: &[u8]) -> Result<()> {
        self.check_write(bt)?;
        if self.kind != TreeKind::Index {
            return Err(Error::new(code::INTERNAL, "key insert into a table b-tree"));
        }
        let mut rr = RecordReader::new();
        rr.parse(key)?;
        let vals: Vec<ValueRef<'_>> = (0..rr.column_count()).map(|i| rr.column(key, i)).collect::<Result<_>>()?;
        let found = self.seek_key_leaf(bt, &vals, SeekOp::Ge)?;
        if (found && self.full_key_equal(bt, key)?) || self.successor_is(bt, key)? {
            // Already present: nothing to change (index entries carry no data).
            self.saved = Some(Saved::Key(key.to_vec()));
            return Ok(());
        }
        let mut cell = std::mem::take(&mut self.buf);
        // An equal key that sits on an interior page is not replaced; we insert at the leaf.
        let r = Self::build_cell(bt, false, 0, key, &mut cell).and_then(|()| self.put_leaf_cell(bt, &cell, false));
        self.buf = cell;
        r?;
        bt.touch(self.root);
        self.saved = Some(Saved::Key(key.to_vec()));
        Ok(())
    }

    /// After a leaf seek that ran off the end of its leaf: true when the entry that follows
    /// (an ancestor's cell, in an index b-tree) is exactly `key`.
    fn successor_is(&mut self, bt: &mut Btree, key: &[u8]) -> Result<bool> {
        let t = self.top();
        if t.idx < t.node.n_cells {
            return Ok(false);
        }
        for lvl in self.path.iter().rev().skip(1) {
            if lvl.idx < lvl.node.n_cells {
                let c = lvl.node.cell(&lvl.page, lvl.idx)?;
                if c.payload_size != key.len() as u64 {
                    return Ok(false);
                }
                let (page, node) = (lvl.page.clone(), lvl.node);
                let mut v = Vec::new();
                super::freelist::read_payload(bt, &page, &node, &c, &mut v)?;
                return Ok(v == key);
            }
        }
        Ok(false)
    }

    fn full_key_equal(&mut self, bt: &mut Btree, key: &[u8]) -> Result<bool> {
        let t = self.top().clone();
        let c = t.node.cell(&t.page, t.idx)?;
        if c.payload_size != key.len() as u64 {
            return Ok(false);
        }
        let mut v = Vec::new();
        super::freelist::read_payload(bt, &t.page, &t.node, &c, &mut v)?;
        Ok(v == key)
    }

    /// Deletes the entry the cursor stands on. Afterwards `next()` moves to the entry that
    /// followed it and `prev()` to the one before it.
    pub fn delete(&mut self, bt: &mut Btree) -> Result<()> {
        self.check_write(bt)?;
        self.restore(bt)?;
        if !self.valid {
            return Err(Error::new(code::INTERNAL, "delete with the cursor on no entry"));
        }
        let saved = {
            let t = self.top().clone();
            let c = t.node.cell(&t.page, t.idx)?;
            if self.kind == TreeKind::Table {
                Saved::Rowid(c.rowid)
            } else {
                let mut v = Vec::new();
                super::freelist::read_payload(bt, &t.page, &t.node, &c, &mut v)?;
                Saved::Key(v)
            }
        };
        let usable = bt.usable_size();
        let t = self.top().clone();
        let cell = t.node.cell(&t.page, t.idx)?;
        if t.node.leaf {
            let (pgno, idx) = (t.pgno, t.idx);
            drop(t);
            let chain = self.chain();
            let depth = chain.len() - 1;
            self.path.clear();
            free_overflow(bt, pgno, &cell)?;
            let data = bt.pager.write(pgno)?;
            let mut node = Node::parse(data, pgno, usable)?;
            drop_cell(data, &mut node, idx, cell.size)?;
            // A root leaf needs no balancing.
            if depth > 0 && underfull(bt, pgno)? {
                balance_underflow(bt, &chain, depth)?;
            }
        } else {
            // Index interior entry: replace it with its predecessor (the last entry of its
            // left subtree), then balance.
            let interior_depth = self.path.len() - 1;
            let left = t.node.child(&t.page, t.idx)?;
            self.descend_for_delete(bt, left)?;
            let leaf = self.top().clone();
            let lcell = leaf.node.cell(&leaf.page, leaf.idx)?;
            let off = leaf.node.cell_offset(&leaf.page, leaf.idx)?;
            let real = (lcell.local_off - off) + lcell.local_len + if lcell.overflow != 0 { 4 } else { 0 };
            let mut new_cell = Vec::with_capacity(real + 4);
            new_cell.extend_from_slice(&left.to_be_bytes());
            new_cell.extend_from_slice(&leaf.page[off..off + real]);
            // Take the predecessor out of its leaf (its overflow chain moves with it).
            let data = bt.pager.write(leaf.pgno)?;
            let mut lnode = Node::parse(data, leaf.pgno, usable)?;
            drop_cell(data, &mut lnode, leaf.idx, lcell.size)?;
            // Replace the interior cell.
            free_overflow(bt, t.pgno, &cell)?;
            let data = bt.pager.write(t.pgno)?;
            let mut inode = Node::parse(data, t.pgno, usable)?;
            drop_cell(data, &mut inode, t.idx, cell.size)?;
            let fitted = insert_cell(data, &mut inode, t.idx, &new_cell)?;
            let chain = self.chain();
            self.path.clear();
            if !fitted {
                // The leaf may be empty now: it is balanced first (see balance.rs).
                let mut content = read_content(bt, t.pgno)?;
                content.cells.insert(t.idx, new_cell);
                balance_after_interior_replace(bt, &chain, interior_depth, content)?;
            } else {
                fix_cell_overflow(bt, t.pgno, t.idx)?;
                let leaf_depth = chain.len() - 1;
                if underfull(bt, leaf.pgno)? {
                    balance_underflow(bt, &chain, leaf_depth)?;
                }
            }
        }
        bt.touch(self.root);
        self.path.clear();
        self.saved = Some(saved);
        self.valid = false;
        Ok(())
    }

    /// Descends from the current interior entry into `child` and to its last entry.
    fn descend_for_delete(&mut self, bt: &mut Btree, child: Pgno) -> Result<()> {
        // The interior level's idx already names child `idx` (the cell's left child).
        let mut pg = child;
        loop {
            if self.path.len() >= super::MAX_DEPTH {
                return Err(super::page::corrupt(pg, "b-tree too deep"));
            }
            let (page, node) = bt.node(pg)?;
            if node.n_cells == 0 {
                return Err(super::page::corrupt(pg, "empty page"));
            }
            let leaf = node.leaf;
            let idx = if leaf { node.n_cells - 1 } else { node.n_cells };
            let next = if leaf { 0 } else { node.right_child };
            self.path.push(super::cursor::Level { pgno: pg, page, node, idx });
            if leaf {
                return Ok(());
            }
            pg = next;
        }
    }
}

/// In auto_vacuum files: points the entry of the overflow chain of cell `idx` of `pgno` at
/// that page.
fn fix_cell_overflow(bt: &mut Btree, pgno: Pgno, idx: usize) -> Result<()> {
    if !bt.is_auto_vacuum()? {
        return Ok(());
    }
    let (data, node) = bt.node(pgno)?;
    let c = node.cell(&data, idx)?;
    if c.overflow != 0 {
        super::ptrmap::put(bt, c.overflow, super::ptrmap::PTRMAP_OVERFLOW1, pgno)?;
    }
    Ok(())
}
