//! auto_vacuum: pointer-map pages and page relocation (fileformat2 §1.7, "Pointer Map").
//!
//! In an auto_vacuum database (header offset 52, the largest root page, is non-zero) page 2
//! and every (U/5 + 1)th page after it are pointer-map pages. Each holds U/5 entries of 5
//! bytes, one per following page: a type byte and the 4-byte "parent" page:
//! 1 ROOTPAGE (parent 0), 2 FREEPAGE (0), 3 OVERFLOW1 (the b-tree page whose cell starts the
//! chain), 4 OVERFLOW2 (the previous overflow page), 5 BTREE (the parent b-tree page).
//! The lock-byte page is never a pointer-map page (the next page is used instead).
//!
//! Root pages sit at the front of the file (pages 3..=largest root, skipping pointer-map
//! pages), so that vacuuming, which moves the last pages into free slots and truncates, never
//! has to move a root. In FULL mode the b-tree vacuums at every commit; in INCREMENTAL mode on
//! `incremental_vacuum`.
//!
//! Invariants:
//! 1. Every page other than page 1, pointer-map pages and the lock-byte page has a correct
//!    entry whenever a b-tree operation returns.
//! 2. Relocating a page rewrites the one pointer to it (in its parent, the cell that starts
//!    its chain, or the previous overflow page) and the entries of the pages it points to.

use super::freelist::allocate_page;
use super::page::{corrupt, Node, Pgno};
use super::Btree;
use crate::error::{Error, Result};
use crate::pager::header::{get_u32, put_u32, OFF_FREELIST_COUNT, OFF_FREELIST_TRUNK};

pub const PTRMAP_ROOTPAGE: u8 = 1;
pub const PTRMAP_FREEPAGE: u8 = 2;
pub const PTRMAP_OVERFLOW1: u8 = 3;
pub const PTRMAP_OVERFLOW2: u8 = 4;
pub const PTRMAP_BTREE: u8 = 5;

/// `PRAGMA auto_vacuum` modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoVacuum {
    None = 0,
    Full = 1,
    Incremental = 2,
}

/// The pointer-map page that holds `pgno`'s entry (page 1, which has none, maps to page 2,
/// which callers then refuse as "no pointer-map entry").
pub fn ptrmap_page_of(usable: usize, pending: Pgno, pgno: Pgno) -> Pgno {
    let per = (usable / 5) as u32 + 1;
    let mut p = (pgno.saturating_sub(2) / per) * per + 2;
    if p == pending {
        p += 1;
    }
    p
}

pub fn is_ptrmap_page(bt: &Btree, pgno: Pgno) -> bool {
    pgno >= 2 && ptrmap_page_of(bt.usable_size(), bt.pager.pending_byte_page(), pgno) == pgno
}

pub(crate) fn auto_vacuum_on(bt: &mut Btree) -> Result<bool> {
    bt.is_auto_vacuum()
}

/// Writes `pgno`'s entry (a no-op outside auto_vacuum databases).
pub(crate) fn put(bt: &mut Btree, pgno: Pgno, kind: u8, parent: Pgno) -> Result<()> {
    if !auto_vacuum_on(bt)? {
        return Ok(());
    }
    let pm = ptrmap_page_of(bt.usable_size(), bt.pager.pending_byte_page(), pgno);
    if pgno <= pm {
        return Err(corrupt(pgno, "pointer-map entry for a pointer-map page"));
    }
    let off = 5 * (pgno - pm - 1) as usize;
    let cur = bt.pager.get(pm)?;
    if cur[off] == kind && get_u32(&cur, off + 1) == parent {
        return Ok(());
    }
    drop(cur);
    let d = bt.pager.write(pm)?;
    d[off] = kind;
    put_u32(d, off + 1, parent);
    Ok(())
}

/// Reads `pgno`'s entry.
pub fn get(bt: &mut Btree, pgno: Pgno) -> Result<(u8, Pgno)> {
    let pm = ptrmap_page_of(bt.usable_size(), bt.pager.pending_byte_page(), pgno);
    if pgno <= pm || pm > bt.pager.page_count() {
        return Err(corrupt(pgno, "no pointer-map entry"));
    }
    let off = 5 * (pgno - pm - 1) as usize;
    let d = bt.pager.get(pm)?;
    Ok((d[off], get_u32(&d, off + 1)))
}

/// Points the entries of everything `pgno` (a b-tree page) refers to back at it.
pub(crate) fn fix_children(bt: &mut Btree, pgno: Pgno) -> Result<()> {
    if !auto_vacuum_on(bt)? {
        return Ok(());
    }
    let (data, node) = bt.node(pgno)?;
    for i in 0..node.n_cells {
        let c = node.cell(&data, i)?;
        if !node.leaf {
            put(bt, c.left_child, PTRMAP_BTREE, pgno)?;
        }
        if c.overflow != 0 {
            put(bt, c.overflow, PTRMAP_OVERFLOW1, pgno)?;
        }
    }
    if !node.leaf {
        put(bt, node.right_child, PTRMAP_BTREE, pgno)?;
    }
    Ok(())
}

/// Removes `pgno` from the freelist (it must be on it).
pub(crate) fn freelist_remove(bt: &mut Btree, pgno: Pgno) -> Result<()> {
    let p1 = bt.page(1)?;
    let count = get_u32(&p1, OFF_FREELIST_COUNT);
    let mut trunk = get_u32(&p1, OFF_FREELIST_TRUNK);
    let mut prev: Pgno = 0; // 0: the header's pointer
    let mut guard = 0u32;
    while trunk != 0 {
        guard += 1;
        if guard > count + 1 || trunk > bt.pager.page_count() {
            return Err(corrupt(trunk, "freelist trunk chain"));
        }
        let t = bt.page(trunk)?;
        let next = get_u32(&t, 0);
        let n = get_u32(&t, 4) as usize;
        if n > bt.usable_size() / 4 - 2 {
            return Err(corrupt(trunk, "freelist trunk leaf count"));
        }
        let link = |bt: &mut Btree, to: Pgno| -> Result<()> {
            if prev == 0 {
                let p1 = bt.pager.write(1)?;
                put_u32(p1, OFF_FREELIST_TRUNK, to);
            } else {
                let d = bt.pager.write(prev)?;
                put_u32(d, 0, to);
            }
            Ok(())
        };
        if trunk == pgno {
            if n > 0 {
                // The trunk's last leaf becomes the trunk.
                let leaf = get_u32(&t, 8 + 4 * (n - 1));
                let mut img = t.as_ref().clone();
                put_u32(&mut img, 4, (n - 1) as u32);
                let d = bt.pager.write(leaf)?;
                d.copy_from_slice(&img);
                link(bt, leaf)?;
            } else {
                link(bt, next)?;
            }
            let p1 = bt.pager.write(1)?;
            put_u32(p1, OFF_FREELIST_COUNT, count - 1);
            return Ok(());
        }
        for i in 0..n {
            if get_u32(&t, 8 + 4 * i) == pgno {
                let last = get_u32(&t, 8 + 4 * (n - 1));
                let d = bt.pager.write(trunk)?;
                put_u32(d, 8 + 4 * i, last);
                put_u32(d, 4, (n - 1) as u32);
                let p1 = bt.pager.write(1)?;
                put_u32(p1, OFF_FREELIST_COUNT, count - 1);
                return Ok(());
            }
        }
        prev = trunk;
        trunk = next;
    }
    Err(corrupt(pgno, "page is not on the freelist"))
}

/// Moves the content of page `from` (of pointer-map type `kind`, parent `parent`) to page
/// `to` (already taken off the freelist) and rewrites every pointer involved.
pub(crate) fn relocate(bt: &mut Btree, from: Pgno, to: Pgno, kind: u8, parent: Pgno) -> Result<()> {
    if from == 1 || to == 1 {
        return Err(corrupt(from, "relocating page 1"));
    }
    let img = bt.page(from)?;
    {
        let d = bt.pager.write(to)?;
        d.copy_from_slice(&img);
    }
    match kind {
        PTRMAP_ROOTPAGE | PTRMAP_BTREE => {
            if kind == PTRMAP_BTREE {
                let (pdata, pnode) = bt.node(parent)?;
                let mut found = None;
                for i in 0..=pnode.n_cells {
                    if pnode.child(&pdata, i)? == from {
                        found = Some(i);
                        break;
                    }
                }
                let Some(i) = found else {
                    return Err(corrupt(parent, "parent does not point to the page being moved"));
                };
                let off = if i < pnode.n_cells { pnode.cell_offset(&pdata, i)? } else { pnode.hdr + 8 };
                let d = bt.pager.write(parent)?;
                put_u32(d, off, to);
            }
            put(bt, to, kind, parent)?;
            fix_children(bt, to)?;
        }
        PTRMAP_OVERFLOW1 => {
            let (pdata, pnode) = bt.node(parent)?;
            let mut at = None;
            for i in 0..pnode.n_cells {
                let off = pnode.cell_offset(&pdata, i)?;
                let c = pnode.cell_at(&pdata, off)?;
                if c.overflow == from {
                    at = Some(c.local_off + c.local_len);
                    break;
                }
            }
            let Some(at) = at else {
                return Err(corrupt(parent, "no cell starts the overflow chain being moved"));
            };
            let d = bt.pager.write(parent)?;
            put_u32(d, at, to);
            put(bt, to, kind, parent)?;
            let next = get_u32(&img, 0);
            if next != 0 {
                put(bt, next, PTRMAP_OVERFLOW2, to)?;
            }
        }
        PTRMAP_OVERFLOW2 => {
            let d = bt.pager.write(parent)?;
            if get_u32(d, 0) != from {
                return Err(corrupt(parent, "overflow chain does not lead to the page being moved"));
            }
            put_u32(d, 0, to);
            put(bt, to, kind, parent)?;
            let next = get_u32(&img, 0);
            if next != 0 {
                put(bt, next, PTRMAP_OVERFLOW2, to)?;
            }
        }
        _ => return Err(corrupt(from, "bad pointer-map type")),
    }
    Ok(())
}

/// One step of vacuuming: the last page of the file is freed (if free) or moved into a free
/// slot, and the file shrinks. False when the freelist is empty.
pub(crate) fn vacuum_step(bt: &mut Btree) -> Result<bool> {
    let count = bt.get_meta(0)?;
    if count == 0 {
        return Ok(false);
    }
    let pending = bt.pager.pending_byte_page();
    let mut last = bt.pager.page_count();
    while last > 1 && (is_ptrmap_page(bt, last) || last == pending) {
        last -= 1;
    }
    if last <= 1 {
        return Ok(false);
    }
    let (kind, parent) = get(bt, last)?;
    if kind == PTRMAP_FREEPAGE {
        freelist_remove(bt, last)?;
    } else {
        if kind == PTRMAP_ROOTPAGE {
            return Err(corrupt(last, "a root page after the free pages"));
        }
        let to = allocate_page(bt)?;
        if to >= last {
            return Err(corrupt(to, "free page past the end"));
        }
        relocate(bt, last, to, kind, parent)?;
    }
    let mut new_size = last - 1;
    while new_size > 1 && (is_ptrmap_page(bt, new_size) || new_size == pending) {
        new_size -= 1;
    }
    bt.pager.truncate_pages(new_size)?;
    Ok(true)
}

/// The page a new root goes to: the one after the largest root (skipping pointer-map pages
/// and the lock-byte page), emptied of whatever was there.
pub(crate) fn make_room_for_root(bt: &mut Btree) -> Result<Pgno> {
    let pending = bt.pager.pending_byte_page();
    let mut target = bt.get_meta(crate::pager::header::META_LARGEST_ROOT_PAGE)? + 1;
    while is_ptrmap_page(bt, target) || target == pending {
        target += 1;
    }
    if target > bt.pager.page_count() {
        // Grow the file up to the target (a pointer-map page may come first).
        loop {
            let q = bt.pager.allocate_page()?;
            if q == target {
                break;
            }
            if q > target || !is_ptrmap_page(bt, q) {
                return Err(Error::new(crate::error::code::INTERNAL, "root page allocation skipped the target"));
            }
        }
    } else {
        let (kind, parent) = get(bt, target)?;
        if kind == PTRMAP_FREEPAGE {
            freelist_remove(bt, target)?;
        } else {
            let to = allocate_page(bt)?;
            relocate(bt, target, to, kind, parent)?;
        }
    }
    put_u32(bt.pager.write(1)?, 52, target);
    Ok(target)
}

/// Checks a node parses (helper for callers that just wrote one).
#[allow(dead_code)]
fn node_of(bt: &mut Btree, pgno: Pgno) -> Result<Node> {
    Ok(bt.node(pgno)?.1)
}
