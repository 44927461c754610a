//! Balancing: after an insert that does not fit or a delete that leaves a page less than a
//! third full, redistribute the cells of the page and up to two siblings over as many pages
//! as they need, and fix the parent's dividers (SQLite's balance_nonroot, in our own words).
//!
//! Steps:
//! 1. Take the page and its neighbours under the same parent (up to three, the page in the
//!    middle when it has neighbours on both sides).
//! 2. Gather their cells in key order. Dividers from the parent come down between siblings,
//!    except on table leaves, whose dividers are only copies of rowids.
//! 3. Pack greedily left to right, then move cells rightwards while the right page is the
//!    lighter one, so the last page is not nearly empty.
//! 4. Reuse the old page numbers (smallest first), allocate or free the difference, rebuild
//!    every page, and rewrite the parent's dividers; balance the parent in turn if it
//!    overflows or underflows.
//!
//! Special cases: an append at the right end of a table's right-most leaf gets a new page of
//! its own (balance_quick: sequential inserts leave full pages behind); a root that overflows
//! moves its content into a new child (balance_deeper); a root interior page left with no
//! cells takes its only child's content back when it fits (balance_shallower).
//!
//! Deleting an index entry held by an interior page moves its predecessor up from a leaf;
//! when that cell is bigger than the interior page's free space, the interior page's new
//! content is held in memory (as SQLite holds an overflow cell) while the leaf, which may
//! now be empty, is balanced first; a balance that climbs to the interior page uses the
//! held content as that parent's cells, and the interior page is balanced last if not.
//!
//! Invariants:
//! 1. The root page number never changes.
//! 2. Every page written holds at least one cell (except an empty root leaf).
//! 3. Recursion climbs the tree only, so it is bounded by the tree's depth.
//! 4. Held interior content lives only inside `balance_after_interior_replace` and is used
//!    at most once.

use super::freelist::{allocate_page, free_page};
use super::page::{
    corrupt, insert_cell, local_size, page_capacity, rebuild_page, table_interior_cell, Node, Pgno, PAGE_INTERIOR_INDEX,
    PAGE_INTERIOR_TABLE, PAGE_LEAF_INDEX, PAGE_LEAF_TABLE,
};
use super::Btree;
use crate::error::Result;
use crate::pager::header::{get_u32, put_u32};
use crate::record::varint::get_varint;

/// A page's content as a list of cells (each cell's bytes exactly as stored).
pub(crate) struct Content {
    pub kind: u8,
    pub cells: Vec<Vec<u8>>,
    pub right: Pgno,
}

impl Content {
    fn leaf(&self) -> bool {
        self.kind == PAGE_LEAF_INDEX || self.kind == PAGE_LEAF_TABLE
    }
    fn table(&self) -> bool {
        self.kind == PAGE_LEAF_TABLE || self.kind == PAGE_INTERIOR_TABLE
    }
    fn bytes(&self) -> usize {
        self.cells.iter().map(|c| c.len() + 2).sum()
    }
}

pub(crate) fn read_content(bt: &mut Btree, pgno: Pgno) -> Result<Content> {
    let (data, node) = bt.node(pgno)?;
    let mut cells = Vec::with_capacity(node.n_cells);
    for i in 0..node.n_cells {
        let off = node.cell_offset(&data, i)?;
        let c = node.cell_at(&data, off)?;
        cells.push(data[off..off + c.size].to_vec());
    }
    Ok(Content { kind: node.kind, cells, right: node.right_child })
}

fn write_content(bt: &mut Btree, pgno: Pgno, c: &Content) -> Result<()> {
    let usable = bt.usable_size();
    let refs: Vec<&[u8]> = c.cells.iter().map(|x| x.as_slice()).collect();
    let data = bt.pager.write(pgno)?;
    rebuild_page(data, pgno, usable, c.kind, &refs, c.right);
    super::ptrmap::fix_children(bt, pgno)
}

fn fits(bt: &Btree, pgno: Pgno, c: &Content) -> bool {
    c.bytes() <= page_capacity(pgno, bt.usable_size(), c.leaf())
}

/// The rowid of a table-leaf cell.
fn leaf_rowid(cell: &[u8]) -> Result<i64> {
    let (_, n) = get_varint(cell).ok_or_else(|| corrupt(0, "cell"))?;
    let (r, _) = get_varint(&cell[n..]).ok_or_else(|| corrupt(0, "cell"))?;
    Ok(r as i64)
}

/// An index leaf cell's bytes without the padding that cells under 4 bytes carry.
fn index_leaf_real(cell: &[u8], usable: usize) -> Result<&[u8]> {
    let (p, n) = get_varint(cell).ok_or_else(|| corrupt(0, "cell"))?;
    let local = local_size(p, usable, false);
    let len = n + local + if (local as u64) < p { 4 } else { 0 };
    cell.get(..len).ok_or_else(|| corrupt(0, "cell"))
}

fn interior_kind(leaf_kind: u8) -> u8 {
    match leaf_kind {
        PAGE_LEAF_TABLE => PAGE_INTERIOR_TABLE,
        PAGE_LEAF_INDEX => PAGE_INTERIOR_INDEX,
        k => k,
    }
}

/// Balances after an insert that did not fit: `content` is the page's content with the new
/// cell at `ins_idx`. `chain[i]` is (page, child index followed) from the root down to `d`.
pub(crate) fn balance_overflow(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize, content: Content, ins_idx: usize) -> Result<()> {
    if d > 0 && content.kind == PAGE_LEAF_TABLE && ins_idx + 1 == content.cells.len() && content.cells.len() > 1 {
        let (ppgno, ci) = chain[d - 1];
        if ppgno != 1 {
            let (pdata, pnode) = bt.node(ppgno)?;
            if ci == pnode.n_cells && pnode.right_child == chain[d].0 {
                drop(pdata);
                return balance_quick(bt, chain, d, content);
            }
        }
    }
    redistribute(bt, chain, d, content)
}

/// Balances a page that a delete left under a third full.
pub(crate) fn balance_underflow(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize) -> Result<()> {
    let content = read_content(bt, chain[d].0)?;
    redistribute(bt, chain, d, content)
}

/// True when the page is less than a third full (SQLite's trigger for balancing on delete).
pub(crate) fn underfull(bt: &mut Btree, pgno: Pgno) -> Result<bool> {
    let (data, node) = bt.node(pgno)?;
    let free = node.free_space(&data)?;
    Ok(free * 3 > bt.usable_size() * 2 || node.n_cells == 0)
}

/// Balances after an index delete replaced the interior cell `chain[d]` names with its
/// predecessor from the leaf `chain[last]` and the new cell does not fit: `content` is the
/// interior page's full new content. Balances the leaf first (it lost a cell and may be
/// empty), then the interior page with whatever content it still needs to take.
pub(crate) fn balance_after_interior_replace(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize, content: Content) -> Result<()> {
    let leaf_depth = chain.len() - 1;
    if leaf_depth <= d {
        return Err(corrupt(chain[d].0, "interior delete path ends above a leaf"));
    }
    bt.pending_parent = Some((chain[d].0, content));
    let result = balance_leaf_then_interior(bt, chain, d, leaf_depth);
    bt.pending_parent = None;
    result
}

fn balance_leaf_then_interior(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize, leaf_depth: usize) -> Result<()> {
    if underfull(bt, chain[leaf_depth].0)? {
        balance_underflow(bt, chain, leaf_depth)?;
    }
    // The leaf's balance did not climb to the interior page: the pages from the root down
    // to it are unchanged, so the path to it still holds.
    if let Some((_, content)) = bt.pending_parent.take() {
        redistribute(bt, &chain[..=d], d, content)?;
    }
    Ok(())
}

/// A parent's content: the held content when a delete is balancing below it, else its cells.
fn parent_content(bt: &mut Btree, pgno: Pgno) -> Result<Content> {
    if bt.pending_parent.as_ref().is_some_and(|(p, _)| *p == pgno) {
        return Ok(bt.pending_parent.take().expect("checked just above").1);
    }
    read_content(bt, pgno)
}

fn balance_quick(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize, mut content: Content) -> Result<()> {
    let leaf = chain[d].0;
    let (ppgno, _) = chain[d - 1];
    let new_cell = content.cells.pop().expect("at least two cells");
    let max_rowid = leaf_rowid(content.cells.last().expect("at least one cell"))?;
    let new = allocate_page(bt)?;
    write_content(bt, new, &Content { kind: PAGE_LEAF_TABLE, cells: vec![new_cell], right: 0 })?;
    super::ptrmap::put(bt, new, super::ptrmap::PTRMAP_BTREE, ppgno)?;
    let mut parent = read_content(bt, ppgno)?;
    let mut div = Vec::new();
    table_interior_cell(leaf, max_rowid, &mut div);
    parent.cells.push(div);
    parent.right = new;
    store_parent(bt, chain, d - 1, parent)
}

/// balance_quick without reading whole pages into memory, for the common case of an
/// append: `cell` did not fit at the end (`idx` == cell count) of the table leaf `chain[d]`,
/// which is its parent's right-most child. The cell gets a new right-most leaf and the parent
/// gains a divider in place (the full rebuild runs only when the parent itself is full).
/// Returns false, having changed nothing, when the case does not apply.
pub(crate) fn try_balance_quick(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize, idx: usize, cell: &[u8]) -> Result<bool> {
    if d == 0 {
        return Ok(false);
    }
    let leaf = chain[d].0;
    let (ppgno, ci) = chain[d - 1];
    if ppgno == 1 {
        return Ok(false);
    }
    let (ldata, lnode) = bt.node(leaf)?;
    if lnode.kind != PAGE_LEAF_TABLE || idx != lnode.n_cells || lnode.n_cells == 0 {
        return Ok(false);
    }
    let max_rowid = lnode.rowid_at(&ldata, lnode.n_cells - 1)?;
    drop(ldata);
    let (pdata, pnode) = bt.node(ppgno)?;
    if ci != pnode.n_cells || pnode.right_child != leaf {
        return Ok(false);
    }
    drop(pdata);
    let new = allocate_page(bt)?;
    let usable = bt.usable_size();
    rebuild_page(bt.pager.write(new)?, new, usable, PAGE_LEAF_TABLE, &[cell], 0);
    super::ptrmap::fix_children(bt, new)?;
    super::ptrmap::put(bt, new, super::ptrmap::PTRMAP_BTREE, ppgno)?;
    let mut div = Vec::with_capacity(13);
    table_interior_cell(leaf, max_rowid, &mut div);
    let data = bt.pager.write(ppgno)?;
    let mut node = Node::parse(data, ppgno, usable)?;
    let n = node.n_cells;
    if insert_cell(data, &mut node, n, &div)? {
        put_u32(data, node.hdr + 8, new);
        return Ok(true);
    }
    let mut parent = read_content(bt, ppgno)?;
    parent.cells.push(div);
    parent.right = new;
    store_parent(bt, chain, d - 1, parent)?;
    Ok(true)
}

/// Writes a parent's new content, balancing it when it overflows or underflows.
fn store_parent(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize, parent: Content) -> Result<()> {
    let pgno = chain[d].0;
    if !fits(bt, pgno, &parent) {
        return redistribute(bt, chain, d, parent);
    }
    if d == 0 {
        return balance_root(bt, pgno, parent);
    }
    write_content(bt, pgno, &parent)?;
    if underfull(bt, pgno)? {
        balance_underflow(bt, chain, d)?;
    }
    Ok(())
}

fn balance_root(bt: &mut Btree, root: Pgno, content: Content) -> Result<()> {
    if fits(bt, root, &content) {
        if !content.leaf() && content.cells.is_empty() {
            // balance_shallower: take the only child's content back when it fits.
            let child = content.right;
            let cc = read_content(bt, child)?;
            if fits(bt, root, &cc) {
                write_content(bt, root, &cc)?;
                free_page(bt, child)?;
                return Ok(());
            }
        }
        return write_content(bt, root, &content);
    }
    // balance_deeper: the root's content moves into a new child.
    let child = allocate_page(bt)?;
    let kind = interior_kind(content.kind);
    write_content(bt, root, &Content { kind, cells: Vec::new(), right: child })?;
    redistribute(bt, &[(root, 0), (child, 0)], 1, content)
}

fn redistribute(bt: &mut Btree, chain: &[(Pgno, usize)], d: usize, content: Content) -> Result<()> {
    let pgno = chain[d].0;
    if d == 0 {
        return balance_root(bt, pgno, content);
    }
    let usable = bt.usable_size();
    let (ppgno, ci) = chain[d - 1];
    let mut parent = parent_content(bt, ppgno)?;
    let n_children = parent.cells.len() + 1;
    let child_at = |p: &Content, j: usize| -> Result<Pgno> {
        if j < p.cells.len() {
            Ok(get_u32(&p.cells[j], 0))
        } else {
            Ok(p.right)
        }
    };
    if ci >= n_children || child_at(&parent, ci)? != pgno {
        return Err(corrupt(ppgno, "child pointer does not match the cursor path"));
    }
    let (first, last) = if n_children == 1 {
        (0, 0)
    } else if ci == 0 {
        (0, 2.min(n_children - 1))
    } else if ci == n_children - 1 {
        (ci.saturating_sub(2), ci)
    } else {
        (ci - 1, ci + 1)
    };
    let kind = content.kind;
    let leaf = content.leaf();
    let table = content.table();
    let with_div = !(table && leaf);

    // Gather.
    let mut old_pgnos = Vec::with_capacity(3);
    let mut all: Vec<Vec<u8>> = Vec::new();
    let mut final_right = 0;
    let mut content = Some(content);
    for j in first..=last {
        let pg = child_at(&parent, j)?;
        if pg < 2 || old_pgnos.contains(&pg) {
            return Err(corrupt(ppgno, "bad child pointer"));
        }
        old_pgnos.push(pg);
        let c = if pg == pgno {
            content.take().expect("target page gathered once")
        } else {
            read_content(bt, pg)?
        };
        if c.kind != kind {
            return Err(corrupt(pg, "sibling pages of different kinds"));
        }
        let right = c.right;
        all.extend(c.cells);
        if j < last {
            let div = &parent.cells[j];
            if with_div {
                if leaf {
                    let mut cell = div[4..].to_vec();
                    if cell.len() < 4 {
                        cell.resize(4, 0);
                    }
                    all.push(cell);
                } else {
                    let mut cell = div.clone();
                    cell[..4].copy_from_slice(&right.to_be_bytes());
                    all.push(cell);
                }
            }
        } else {
            final_right = right;
        }
    }

    // Distribute.
    let cap = page_capacity(2, usable, leaf);
    let sizes: Vec<usize> = all.iter().map(|c| c.len() + 2).collect();
    let n = all.len();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        let mut used = 0;
        while i < n && used + sizes[i] <= cap {
            used += sizes[i];
            i += 1;
        }
        if i == start {
            return Err(corrupt(pgno, "cell larger than a page"));
        }
        groups.push((start, i));
        if with_div && i < n {
            i += 1;
        }
    }
    if groups.is_empty() {
        groups.push((0, 0));
    }
    if with_div {
        let (s, e) = *groups.last().expect("one group");
        if e < n {
            // The last cell was taken as a divider with no page after it.
            let used: usize = sizes[s..e].iter().sum();
            if used + sizes[e] <= cap {
                groups.last_mut().expect("one group").1 = n;
            } else if e - s >= 2 {
                groups.last_mut().expect("one group").1 = e - 1;
                groups.push((e, n));
            } else {
                return Err(corrupt(pgno, "cannot distribute cells"));
            }
        }
    }
    let k = groups.len();
    let sum = |a: usize, b: usize| -> usize { sizes[a..b].iter().sum() };
    for g in (1..k).rev() {
        loop {
            let (ls, le) = groups[g - 1];
            let (rs, re) = groups[g];
            if le - ls <= 1 {
                break;
            }
            let r = le - 1;
            let dcell = if with_div { le } else { le - 1 };
            let (sz_left, sz_right) = (sum(ls, le), sum(rs, re));
            if sz_right + sizes[dcell] > sz_left - sizes[r] || sz_right + sizes[dcell] > cap {
                break;
            }
            groups[g - 1].1 -= 1;
            groups[g].0 -= 1;
        }
    }

    // Page numbers: reuse the old ones, smallest first.
    let mut pgnos = old_pgnos.clone();
    pgnos.sort_unstable();
    while pgnos.len() > k {
        let p = pgnos.pop().expect("more pages than needed");
        free_page(bt, p)?;
    }
    while pgnos.len() < k {
        pgnos.push(allocate_page(bt)?);
    }

    // Rebuild the siblings and make the dividers.
    let mut dividers: Vec<Vec<u8>> = Vec::with_capacity(k.saturating_sub(1));
    for (g, &(s, e)) in groups.iter().enumerate() {
        let right = if leaf {
            0
        } else if g + 1 < k {
            get_u32(&all[e], 0)
        } else {
            final_right
        };
        let c = Content { kind, cells: all[s..e].to_vec(), right };
        write_content(bt, pgnos[g], &c)?;
        super::ptrmap::put(bt, pgnos[g], super::ptrmap::PTRMAP_BTREE, ppgno)?;
        if g + 1 < k {
            let mut div = Vec::new();
            if !with_div {
                table_interior_cell(pgnos[g], leaf_rowid(&all[e - 1])?, &mut div);
            } else if leaf {
                div.extend_from_slice(&pgnos[g].to_be_bytes());
                div.extend_from_slice(index_leaf_real(&all[e], usable)?);
            } else {
                div.extend_from_slice(&pgnos[g].to_be_bytes());
                div.extend_from_slice(&all[e][4..]);
            }
            dividers.push(div);
        }
    }

    // Rewrite the parent.
    let last_new = *pgnos.last().expect("at least one page");
    let mut cells: Vec<Vec<u8>> = Vec::with_capacity(parent.cells.len() + k);
    cells.extend(parent.cells.drain(..first));
    let rest: Vec<Vec<u8>> = parent.cells.drain(last - first..).collect();
    cells.extend(dividers);
    let mut rest = rest.into_iter();
    if last < n_children - 1 {
        let mut c = rest.next().expect("cell after the window");
        c[..4].copy_from_slice(&last_new.to_be_bytes());
        cells.push(c);
    } else {
        parent.right = last_new;
    }
    cells.extend(rest);
    parent.cells = cells;
    store_parent(bt, chain, d - 1, parent)
}

/// Checks a page header parses (used by tests and debug assertions).
#[allow(dead_code)]
pub(crate) fn node_ok(bt: &mut Btree, pgno: Pgno) -> Result<Node> {
    Ok(bt.node(pgno)?.1)
}
