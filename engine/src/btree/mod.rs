//! B-trees: table b-trees (rowid keys, data in the leaves) and index b-trees (record keys)
//! over the pager, in SQLite's file format (fileformat2 §1.5-1.6).
//!
//! Files:
//! - `page`: one page's layout, cells, freeblocks, local-payload rules, in-place edits.
//! - `cursor`: `BtCursor`, navigation and seeks (read side).
//! - `modify`: insert and delete through a cursor.
//! - `balance`: keeping pages between one third and full (split, merge, redistribute).
//! - `freelist`: the freelist (trunk and leaf pages) and overflow chains.
//! - `integrity`: `integrity_check` with SQLite's message forms.
//!
//! `Btree` is the facade the VM uses: it owns the pager, runs transactions, reads and writes
//! the header's meta values, creates, clears and drops trees, and hands out cursors.
//!
//! Using it (the VM's view):
//! ```text
//! let mut bt = Btree::open(vfs, path, PagerOptions { create: true, ..Default::default() })?;
//! bt.begin_read()?;                       // or begin_write(): SQLITE_BUSY means retry later
//! let mut c = bt.cursor(root, TreeKind::Table, false, None);
//! let mut ok = c.first(&mut bt)?;
//! while ok { let rowid = c.rowid(&mut bt)?; let rec = c.payload(&mut bt)?; ...; ok = c.next(&mut bt)?; }
//! bt.end_read()?;                          // commit()/rollback() end a write transaction
//! ```
//! Cursors do not borrow the `Btree`: every call takes it, so many cursors (read and write,
//! on any trees) coexist; a cursor notices changes made through others and re-seeks.
//!
//! Invariants:
//! 1. Every descent is bounded (depth <= MAX_DEPTH) and every chain walk is bounded by the page
//!    count: a corrupt file gives SQLITE_CORRUPT naming the page, never a hang or a panic.
//! 2. A cursor holds snapshots of the pages on its path. Each tree (by root page) has a
//!    generation number bumped on every change to it; a cursor whose generation is old
//!    re-seeks its saved key before doing anything (SQLite's saveCursorPosition).
//! 3. The root page of a tree never moves: a root that overflows pushes its content into a new
//!    child ("balance deeper"), and takes its only child's content back when it fits.
//! 4. Page 1 is the root of sqlite_schema and carries the 100-byte database header.

pub mod balance;
pub mod cursor;
pub mod freelist;
pub mod integrity;
pub mod modify;
pub mod page;
pub mod ptrmap;

use std::sync::Arc;

pub use cursor::{BtCursor, CollationFn, KeyInfo, KeyInfoField, SeekOp};
pub use page::Pgno;
pub use ptrmap::AutoVacuum;

use crate::error::{code, Error, Result};
use crate::pager::header::{self, get_u32, put_u32};
use crate::pager::{PageRef, Pager, PagerOptions, PgnoMap};
use crate::vfs::Vfs;

/// Bound on b-tree depth (SQLite's BTCURSOR_MAX_DEPTH).
pub const MAX_DEPTH: usize = 20;

/// Which kind of b-tree a root page holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeKind {
    /// Rowid keys, data in the leaves (tables, sqlite_schema).
    Table,
    /// Record keys, no data (indexes, WITHOUT ROWID tables).
    Index,
}

pub struct Btree {
    pager: Pager,
    gens: PgnoMap<u64>,
    /// Bumped by whole-database events (rollback, savepoint rollback): every cursor re-seeks.
    epoch: u64,
    next_gen: u64,
    /// The auto_vacuum mode a new (empty) database gets when page 1 is created.
    new_db_auto_vacuum: AutoVacuum,
    /// During one delete only: an interior page's new content that does not fit the page yet
    /// (see `balance::balance_after_interior_replace`); a balance that reaches the page as a
    /// parent takes it instead of the page's stored cells.
    pending_parent: Option<(Pgno, balance::Content)>,
}

impl Btree {
    pub fn new(pager: Pager) -> Btree {
        Btree { pager, gens: PgnoMap::default(), epoch: 1, next_gen: 1, new_db_auto_vacuum: AutoVacuum::None, pending_parent: None }
    }

    /// Opens a database file through `vfs`.
    pub fn open(vfs: Arc<dyn Vfs>, path: &str, options: PagerOptions) -> Result<Btree> {
        Ok(Btree::new(Pager::open(vfs, path, options)?))
    }

    /// A private in-memory database.
    pub fn open_memory() -> Result<Btree> {
        Ok(Btree::new(Pager::open_memory()?))
    }

    /// A private in-memory database that starts as the database file image `bytes`.
    pub fn open_memory_image(bytes: Vec<u8>) -> Result<Btree> {
        Ok(Btree::new(Pager::open_memory_image(bytes)?))
    }

    pub fn pager(&self) -> &Pager {
        &self.pager
    }

    pub fn pager_mut(&mut self) -> &mut Pager {
        &mut self.pager
    }

    pub fn usable_size(&self) -> usize {
        self.pager.usable_size() as usize
    }

    /// A number that changes whenever any tree may have changed (cursors test it before the
    /// per-tree generation, which costs a map lookup).
    pub(crate) fn change_count(&self) -> u64 {
        self.next_gen.wrapping_add(self.epoch)
    }

    pub(crate) fn gen_of(&self, root: Pgno) -> (u64, u64) {
        (self.gens.get(&root).copied().unwrap_or(0), self.epoch)
    }

    pub(crate) fn touch(&mut self, root: Pgno) {
        self.next_gen += 1;
        self.gens.insert(root, self.next_gen);
    }

    pub(crate) fn touch_all(&mut self) {
        self.epoch += 1;
    }

    // ---- transactions -----------------------------------------------------------------------

    pub fn begin_read(&mut self) -> Result<()> {
        let before = self.pager.state();
        self.pager.begin_read()?;
        if before == crate::pager::PagerState::Open {
            // Another connection may have changed anything.
            self.touch_all();
        }
        Ok(())
    }

    pub fn end_read(&mut self) -> Result<()> {
        self.pager.end_read()
    }

    /// Starts a write transaction; an empty file gets page 1 (header and empty sqlite_schema).
    pub fn begin_write(&mut self) -> Result<()> {
        self.begin_read()?;
        self.pager.begin_write()?;
        if self.pager.page_count() == 0 {
            let ps = self.pager.page_size();
            let reserved = self.pager.reserved_bytes();
            let usable = self.usable_size();
            let av = self.new_db_auto_vacuum;
            let p1 = self.pager.write(1)?;
            header::init_header(p1, ps, reserved);
            page::init_page(p1, 1, usable, page::PAGE_LEAF_TABLE);
            if av != AutoVacuum::None {
                put_u32(p1, header::OFF_LARGEST_ROOT, 1);
                put_u32(p1, header::OFF_INCR_VACUUM, (av == AutoVacuum::Incremental) as u32);
            }
        }
        Ok(())
    }

    /// `PRAGMA auto_vacuum = mode`: takes effect on a database with no pages yet, or switches
    /// between FULL and INCREMENTAL on one that already has pointer maps (as SQLite; changing
    /// to or from NONE needs VACUUM, which is the caller's).
    pub fn set_auto_vacuum(&mut self, mode: AutoVacuum) -> Result<()> {
        self.new_db_auto_vacuum = mode;
        if self.pager.page_count() > 0 && self.in_write_transaction() && self.is_auto_vacuum()? && mode != AutoVacuum::None {
            self.set_meta(header::META_INCR_VACUUM, (mode == AutoVacuum::Incremental) as u32)?;
        }
        Ok(())
    }

    /// The database's auto_vacuum mode (the pending one for an empty database).
    pub fn auto_vacuum(&mut self) -> Result<AutoVacuum> {
        if self.pager.page_count() == 0 {
            return Ok(self.new_db_auto_vacuum);
        }
        Ok(if !self.is_auto_vacuum()? {
            AutoVacuum::None
        } else if self.get_meta(header::META_INCR_VACUUM)? != 0 {
            AutoVacuum::Incremental
        } else {
            AutoVacuum::Full
        })
    }

    /// `PRAGMA incremental_vacuum(n)`: frees up to `n` pages from the end of the file
    /// (all free pages when `n` is 0). A no-op outside auto_vacuum databases.
    pub fn incremental_vacuum(&mut self, n: u32) -> Result<u32> {
        if !self.is_auto_vacuum()? {
            return Ok(0);
        }
        let mut done = 0;
        while (n == 0 || done < n) && ptrmap::vacuum_step(self)? {
            done += 1;
        }
        if done > 0 {
            self.touch_all();
        }
        Ok(done)
    }

    pub fn in_write_transaction(&self) -> bool {
        self.pager.in_write_transaction()
    }

    /// True when a write transaction is open or a failed one awaits its rollback (the pager
    /// is in its ERROR state and refuses work until `rollback`).
    pub fn needs_rollback(&self) -> bool {
        self.pager.in_write_transaction() || self.pager.in_error_state()
    }

    /// Commits; an auto_vacuum=FULL database first moves its free pages to the end and
    /// truncates them away.
    pub fn commit(&mut self) -> Result<()> {
        if self.in_write_transaction() && self.pager.page_count() > 0 && self.auto_vacuum()? == AutoVacuum::Full {
            let mut moved = false;
            while ptrmap::vacuum_step(self)? {
                moved = true;
            }
            if moved {
                self.touch_all();
            }
        }
        self.pager.commit()
    }

    pub fn rollback(&mut self) -> Result<()> {
        self.touch_all();
        self.pager.rollback()
    }

    pub fn savepoint_open(&mut self) -> Result<usize> {
        self.pager.savepoint_open()
    }

    pub fn savepoint_release(&mut self, depth: usize) -> Result<()> {
        self.pager.savepoint_release(depth)
    }

    pub fn savepoint_rollback(&mut self, depth: usize) -> Result<()> {
        self.touch_all();
        self.pager.savepoint_rollback(depth)
    }

    // ---- header meta values -----------------------------------------------------------------

    /// Meta value `idx` (header offset 36 + 4*idx; see `pager::header::META_*`).
    pub fn get_meta(&mut self, idx: usize) -> Result<u32> {
        if idx > 14 {
            return Err(Error::new(code::INTERNAL, "meta index out of range"));
        }
        if self.pager.page_count() == 0 {
            return Ok(0);
        }
        let p1 = self.pager.get(1)?;
        Ok(get_u32(&p1, 36 + 4 * idx))
    }

    pub fn set_meta(&mut self, idx: usize, value: u32) -> Result<()> {
        if idx == 0 || idx > 14 {
            return Err(Error::new(code::INTERNAL, "meta index out of range"));
        }
        let p1 = self.pager.write(1)?;
        put_u32(p1, 36 + 4 * idx, value);
        Ok(())
    }

    /// True when the database uses auto_vacuum (pointer-map pages).
    pub fn is_auto_vacuum(&mut self) -> Result<bool> {
        Ok(self.get_meta(header::META_LARGEST_ROOT_PAGE)? != 0)
    }

    fn check_writable_layout(&mut self) -> Result<()> {
        if !self.in_write_transaction() {
            return Err(Error::from_code(code::READONLY));
        }
        Ok(())
    }

    // ---- pages ------------------------------------------------------------------------------

    pub(crate) fn page(&mut self, pgno: Pgno) -> Result<PageRef> {
        if pgno == 0 || pgno > self.pager.page_count() {
            return Err(page::corrupt(pgno, "page number out of range"));
        }
        self.pager.get(pgno)
    }

    pub(crate) fn node(&mut self, pgno: Pgno) -> Result<(PageRef, page::Node)> {
        if pgno == 1 && self.pager.page_count() == 0 {
            // A database with no pages yet reads as an empty sqlite_schema (as SQLite's does):
            // page 1 is what `begin_write` would create.
            let mut p1 = vec![0u8; self.pager.page_size() as usize];
            let usable = self.usable_size();
            header::init_header(&mut p1, self.pager.page_size(), self.pager.reserved_bytes());
            page::init_page(&mut p1, 1, usable, page::PAGE_LEAF_TABLE);
            let node = page::Node::parse(&p1, 1, usable)?;
            return Ok((PageRef::new(p1), node));
        }
        let p = self.page(pgno)?;
        let n = page::Node::parse(&p, pgno, self.usable_size())?;
        Ok((p, n))
    }

    // ---- trees ------------------------------------------------------------------------------

    /// Creates an empty tree and returns its root page number.
    pub fn create_tree(&mut self, kind: TreeKind) -> Result<Pgno> {
        self.check_writable_layout()?;
        let pgno = if self.is_auto_vacuum()? { ptrmap::make_room_for_root(self)? } else { freelist::allocate_page(self)? };
        ptrmap::put(self, pgno, ptrmap::PTRMAP_ROOTPAGE, 0)?;
        let usable = self.usable_size();
        let data = self.pager.write(pgno)?;
        let k = if kind == TreeKind::Table { page::PAGE_LEAF_TABLE } else { page::PAGE_LEAF_INDEX };
        page::init_page(data, pgno, usable, k);
        self.touch(pgno);
        Ok(pgno)
    }

    /// Deletes every entry of the tree at `root`, keeping the (now empty) root page.
    /// Returns the number of entries removed from a table b-tree (leaf cells).
    pub fn clear_tree(&mut self, root: Pgno) -> Result<u64> {
        self.check_writable_layout()?;
        let (_, node) = self.node(root)?;
        let kind = if node.table { page::PAGE_LEAF_TABLE } else { page::PAGE_LEAF_INDEX };
        let n = freelist::free_tree(self, root, false)?;
        let usable = self.usable_size();
        let data = self.pager.write(root)?;
        page::init_page(data, root, usable, kind);
        self.touch(root);
        Ok(n)
    }

    /// Frees every page of the tree at `root`, root included. In an auto_vacuum database the
    /// last root page moves into the freed slot (SQLite's OP_Destroy): the answer is then
    /// `Some(old_root)`, and the caller must change the schema row whose rootpage was
    /// `old_root` to `root`.
    pub fn drop_tree(&mut self, root: Pgno) -> Result<Option<Pgno>> {
        self.check_writable_layout()?;
        if root == 1 {
            return Err(Error::new(code::INTERNAL, "cannot drop sqlite_schema"));
        }
        if !self.is_auto_vacuum()? {
            freelist::free_tree(self, root, true)?;
            self.touch(root);
            return Ok(None);
        }
        freelist::free_tree(self, root, false)?;
        self.touch(root);
        let largest = self.get_meta(header::META_LARGEST_ROOT_PAGE)?;
        let moved = if largest != root && largest > root {
            ptrmap::relocate(self, largest, root, ptrmap::PTRMAP_ROOTPAGE, 0)?;
            freelist::free_page(self, largest)?;
            self.touch_all();
            Some(largest)
        } else {
            freelist::free_page(self, root)?;
            None
        };
        // The largest root is now the page before the old largest one (skipping pointer-map
        // pages and the lock-byte page).
        let pending = self.pager.pending_byte_page();
        let mut new_largest = largest - 1;
        while new_largest > 1 && (ptrmap::is_ptrmap_page(self, new_largest) || new_largest == pending) {
            new_largest -= 1;
        }
        put_u32(self.pager.write(1)?, header::OFF_LARGEST_ROOT, new_largest.max(1));
        Ok(moved)
    }

    /// Number of entries in the tree (rows of a table, keys of an index).
    pub fn count(&mut self, root: Pgno) -> Result<u64> {
        if root == 1 && self.pager.page_count() == 0 {
            return Ok(0);
        }
        let mut total = 0u64;
        let limit = self.pager.page_count() as u64;
        let mut visited = 0u64;
        let mut stack = vec![(root, 0usize)];
        while let Some((pgno, depth)) = stack.pop() {
            visited += 1;
            if depth > MAX_DEPTH || visited > limit {
                return Err(page::corrupt(pgno, "tree too deep or cyclic"));
            }
            let (data, node) = self.node(pgno)?;
            if node.leaf || !node.table {
                total += node.n_cells as u64;
            }
            if !node.leaf {
                for i in 0..=node.n_cells {
                    stack.push((node.child(&data, i)?, depth + 1));
                }
            }
        }
        Ok(total)
    }

    /// A cursor over the tree at `root`. Index cursors need the key's sort order.
    pub fn cursor(&mut self, root: Pgno, kind: TreeKind, writable: bool, key_info: Option<KeyInfo>) -> BtCursor {
        BtCursor::new(root, kind, writable, key_info)
    }
}

#[cfg(test)]
mod tests;
