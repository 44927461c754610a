//! The freelist and overflow chains.
//!
//! Freelist (fileformat2 §1.5): the header's offset 32 names the first trunk page, offset 36
//! counts all freelist pages. A trunk page holds: 4 bytes next trunk, 4 bytes leaf count L,
//! then L 4-byte leaf page numbers. Leaf pages hold nothing of value and are not written when
//! freed (so freeing does not journal them).
//!
//! Overflow chain: each page holds 4 bytes next page (0 on the last) then U-4 payload bytes.
//!
//! Invariants:
//! 1. A trunk never holds more than U/4-8 leaves (SQLite's limit, kept for old readers).
//! 2. Walks are bounded: a chain longer than the payload needs, a trunk list longer than the
//!    freelist count, or a page number past the end of the database is SQLITE_CORRUPT.

use super::page::{corrupt, CellInfo, Node, Pgno};
use super::{Btree, MAX_DEPTH};
use crate::error::Result;
use crate::pager::header::{get_u32, put_u32, OFF_FREELIST_COUNT, OFF_FREELIST_TRUNK};

fn freelist_head(bt: &mut Btree) -> Result<(Pgno, u32)> {
    let p1 = bt.page(1)?;
    Ok((get_u32(&p1, OFF_FREELIST_TRUNK), get_u32(&p1, OFF_FREELIST_COUNT)))
}

/// A page for new content: from the freelist when it has one, else appended to the file. The
/// page is writable and zeroed.
pub fn allocate_page(bt: &mut Btree) -> Result<Pgno> {
    let (trunk, count) = freelist_head(bt)?;
    let db_size = bt.pager.page_count();
    if count > 0 && trunk != 0 {
        if trunk > db_size {
            return Err(corrupt(1, "freelist trunk out of range"));
        }
        let t = bt.page(trunk)?;
        let next = get_u32(&t, 0);
        let n = get_u32(&t, 4) as usize;
        if n > bt.usable_size() / 4 - 2 {
            return Err(corrupt(trunk, "freelist trunk leaf count"));
        }
        let pgno = if n > 0 {
            let leaf = get_u32(&t, 8 + 4 * (n - 1));
            if leaf < 2 || leaf > db_size {
                return Err(corrupt(trunk, "freelist leaf out of range"));
            }
            let tw = bt.pager.write(trunk)?;
            put_u32(tw, 4, (n - 1) as u32);
            leaf
        } else {
            let p1 = bt.pager.write(1)?;
            put_u32(p1, OFF_FREELIST_TRUNK, next);
            trunk
        };
        let p1 = bt.pager.write(1)?;
        put_u32(p1, OFF_FREELIST_COUNT, count - 1);
        let d = bt.pager.write(pgno)?;
        d.fill(0);
        return Ok(pgno);
    }
    loop {
        let p = bt.pager.allocate_page()?;
        // In auto_vacuum files some pages at the end are pointer-map pages (left zeroed).
        if bt.is_auto_vacuum()? && super::ptrmap::is_ptrmap_page(bt, p) {
            continue;
        }
        return Ok(p);
    }
}

/// Puts `pgno` on the freelist.
pub fn free_page(bt: &mut Btree, pgno: Pgno) -> Result<()> {
    if pgno < 2 || pgno > bt.pager.page_count() {
        return Err(corrupt(pgno, "freeing a page out of range"));
    }
    super::ptrmap::put(bt, pgno, super::ptrmap::PTRMAP_FREEPAGE, 0)?;
    let (trunk, count) = freelist_head(bt)?;
    if trunk != 0 {
        if trunk > bt.pager.page_count() {
            return Err(corrupt(1, "freelist trunk out of range"));
        }
        let t = bt.page(trunk)?;
        let n = get_u32(&t, 4) as usize;
        if n < bt.usable_size() / 4 - 8 {
            let tw = bt.pager.write(trunk)?;
            put_u32(tw, 8 + 4 * n, pgno);
            put_u32(tw, 4, (n + 1) as u32);
            let p1 = bt.pager.write(1)?;
            put_u32(p1, OFF_FREELIST_COUNT, count + 1);
            return Ok(());
        }
    }
    // The page becomes the new first trunk.
    let d = bt.pager.write(pgno)?;
    put_u32(d, 0, trunk);
    put_u32(d, 4, 0);
    let p1 = bt.pager.write(1)?;
    put_u32(p1, OFF_FREELIST_TRUNK, pgno);
    put_u32(p1, OFF_FREELIST_COUNT, count + 1);
    Ok(())
}

/// Number of overflow pages a payload of `size` bytes with `local` bytes in the cell needs.
pub fn overflow_page_count(size: u64, local: usize, usable: usize) -> u64 {
    (size - local as u64).div_ceil(usable as u64 - 4)
}

/// Appends the whole payload of `cell` (on `page`, whose header is `node`) to `out`.
pub fn read_payload(bt: &mut Btree, page: &[u8], node: &Node, cell: &CellInfo, out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(&page[cell.local_off..cell.local_off + cell.local_len]);
    let mut remaining = cell.payload_size - cell.local_len as u64;
    let per = bt.usable_size() - 4;
    let mut next = cell.overflow;
    while remaining > 0 {
        if next < 2 || next > bt.pager.page_count() {
            return Err(corrupt(node.pgno, "overflow chain out of range"));
        }
        let p = bt.pager.get(next)?;
        let take = remaining.min(per as u64) as usize;
        out.extend_from_slice(&p[4..4 + take]);
        remaining -= take as u64;
        next = get_u32(&p, 0);
    }
    Ok(())
}

/// Writes `rest` (the part of a payload past its local bytes) to a new overflow chain and
/// returns the first page.
pub fn write_overflow(bt: &mut Btree, rest: &[u8]) -> Result<Pgno> {
    let per = bt.usable_size() - 4;
    let mut first = 0;
    let mut prev: Pgno = 0;
    for chunk in rest.chunks(per) {
        let pgno = allocate_page(bt)?;
        let d = bt.pager.write(pgno)?;
        put_u32(d, 0, 0);
        d[4..4 + chunk.len()].copy_from_slice(chunk);
        if prev == 0 {
            first = pgno;
            // The cell's page is not known yet: the caller fixes this entry when it places it.
            super::ptrmap::put(bt, pgno, super::ptrmap::PTRMAP_OVERFLOW1, 0)?;
        } else {
            let pd = bt.pager.write(prev)?;
            put_u32(pd, 0, pgno);
            super::ptrmap::put(bt, pgno, super::ptrmap::PTRMAP_OVERFLOW2, prev)?;
        }
        prev = pgno;
    }
    Ok(first)
}

/// Frees the overflow chain of a cell (nothing when it has none).
pub fn free_overflow(bt: &mut Btree, node_pgno: Pgno, cell: &CellInfo) -> Result<()> {
    if cell.overflow == 0 {
        return Ok(());
    }
    let usable = bt.usable_size();
    let mut n = overflow_page_count(cell.payload_size, cell.local_len, usable);
    let mut next = cell.overflow;
    while n > 0 {
        if next < 2 || next > bt.pager.page_count() {
            return Err(corrupt(node_pgno, "overflow chain out of range"));
        }
        let p = bt.pager.get(next)?;
        let after = get_u32(&p, 0);
        free_page(bt, next)?;
        next = after;
        n -= 1;
    }
    Ok(())
}

/// Frees every page of a tree (overflow chains included); the root too when `include_root`.
/// Returns the number of table-leaf cells (rows) it held.
pub fn free_tree(bt: &mut Btree, root: Pgno, include_root: bool) -> Result<u64> {
    let mut rows = 0;
    let limit = bt.pager.page_count() as u64;
    let mut visited = 0u64;
    let mut stack = vec![(root, 0usize)];
    while let Some((pgno, depth)) = stack.pop() {
        visited += 1;
        if depth > MAX_DEPTH || visited > limit {
            return Err(corrupt(pgno, "tree too deep or cyclic"));
        }
        let (data, node) = bt.node(pgno)?;
        for i in 0..node.n_cells {
            let c = node.cell(&data, i)?;
            free_overflow(bt, pgno, &c)?;
        }
        if node.leaf && node.table {
            rows += node.n_cells as u64;
        }
        if !node.leaf {
            for i in 0..=node.n_cells {
                stack.push((node.child(&data, i)?, depth + 1));
            }
        }
        if pgno != root || include_root {
            free_page(bt, pgno)?;
        }
    }
    Ok(rows)
}
