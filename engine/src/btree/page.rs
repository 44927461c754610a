//! One b-tree page: its header, cell pointer array, cells, freeblocks (fileformat2 §1.6).
//!
//! ```text
//! [100-byte database header, page 1 only]
//! page header (8 bytes on leaves, 12 on interior pages):
//!   0  1  page type: 2 interior index, 5 interior table, 10 leaf index, 13 leaf table
//!   1  2  first freeblock (0: none)
//!   3  2  number of cells
//!   5  2  start of the cell content area (0 means 65536)
//!   7  1  fragmented free bytes
//!   8  4  right-most child (interior pages only)
//! cell pointer array: 2-byte offsets, in key order
//! unallocated space
//! cell content area (cells and freeblocks), up to the usable size
//! reserved bytes (page size - usable size)
//! ```
//!
//! Cells: table leaf = payload-size varint, rowid varint, local payload, [overflow pgno];
//! table interior = 4-byte left child, rowid varint; index leaf = payload-size varint, local
//! payload, [overflow pgno]; index interior = 4-byte left child then as index leaf.
//! A freeblock is 2 bytes next-freeblock offset, 2 bytes size; the chain is in address order.
//!
//! Local payload (U = usable size, P = payload size): max_local is U-35 on table leaves and
//! (U-12)*64/255-23 on index pages; min_local is (U-12)*32/255-23. If P <= max_local all is
//! local; else K = min_local + (P-min_local) % (U-4) bytes are local when K <= max_local, else
//! min_local; the rest goes to overflow pages (4-byte next pointer, U-4 bytes of data).
//!
//! Invariants:
//! 1. Every offset read from a page is checked against the usable size before use: a bad page
//!    is SQLITE_CORRUPT naming its number.
//! 2. Edits keep the fragment count (byte 7) equal to the bytes that are in no cell, no
//!    freeblock and not in the unallocated gap, so SQLite's integrity_check agrees.

use crate::error::{code, Error, Result};
use crate::pager::header::{get_u16, get_u32, put_u16, put_u32};
use crate::record::varint::{get_varint, put_varint, varint_len, varint_skip};

pub type Pgno = u32;

pub const PAGE_INTERIOR_INDEX: u8 = 2;
pub const PAGE_INTERIOR_TABLE: u8 = 5;
pub const PAGE_LEAF_INDEX: u8 = 10;
pub const PAGE_LEAF_TABLE: u8 = 13;

pub fn corrupt(pgno: Pgno, what: &str) -> Error {
    Error::new(code::CORRUPT, format!("database disk image is malformed (page {pgno}: {what})"))
}

/// The parsed header of a b-tree page.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub pgno: Pgno,
    /// Offset of the page header (100 on page 1, else 0).
    pub hdr: usize,
    pub kind: u8,
    pub leaf: bool,
    /// Table b-tree page (rowid keys).
    pub table: bool,
    pub n_cells: usize,
    pub first_freeblock: usize,
    pub content_start: usize,
    pub frag: usize,
    pub right_child: Pgno,
    pub usable: usize,
}

/// What a cell holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct CellInfo {
    pub left_child: Pgno,
    /// The rowid (table pages); the payload size on index pages.
    pub rowid: i64,
    pub payload_size: u64,
    /// Offset of the local payload in the page, and its length.
    pub local_off: usize,
    pub local_len: usize,
    /// First overflow page (0: none).
    pub overflow: Pgno,
    /// Total bytes the cell occupies.
    pub size: usize,
}

pub fn header_offset(pgno: Pgno) -> usize {
    if pgno == 1 {
        100
    } else {
        0
    }
}

pub fn max_local(usable: usize, table_leaf: bool) -> usize {
    if table_leaf {
        usable - 35
    } else {
        (usable - 12) * 64 / 255 - 23
    }
}

pub fn min_local(usable: usize) -> usize {
    (usable - 12) * 32 / 255 - 23
}

/// Bytes of a payload of `size` bytes kept in the cell itself.
pub fn local_size(size: u64, usable: usize, table_leaf: bool) -> usize {
    let max = max_local(usable, table_leaf);
    if size <= max as u64 {
        return size as usize;
    }
    let min = min_local(usable);
    let k = min as u64 + (size - min as u64) % (usable as u64 - 4);
    if k <= max as u64 {
        k as usize
    } else {
        min
    }
}

impl Node {
    pub fn parse(data: &[u8], pgno: Pgno, usable: usize) -> Result<Node> {
        let hdr = header_offset(pgno);
        let kind = data[hdr];
        let (leaf, table) = match kind {
            PAGE_INTERIOR_INDEX => (false, false),
            PAGE_INTERIOR_TABLE => (false, true),
            PAGE_LEAF_INDEX => (true, false),
            PAGE_LEAF_TABLE => (true, true),
            _ => return Err(corrupt(pgno, "bad page type")),
        };
        let n_cells = get_u16(data, hdr + 3) as usize;
        let mut content_start = get_u16(data, hdr + 5) as usize;
        if content_start == 0 {
            content_start = 65536;
        }
        let node = Node {
            pgno,
            hdr,
            kind,
            leaf,
            table,
            n_cells,
            first_freeblock: get_u16(data, hdr + 1) as usize,
            content_start,
            frag: data[hdr + 7] as usize,
            right_child: if leaf { 0 } else { get_u32(data, hdr + 8) },
            usable,
        };
        if node.cell_array_end() > usable || (content_start < node.cell_array_end() && n_cells > 0) || content_start > usable {
            return Err(corrupt(pgno, "cell count or content area"));
        }
        Ok(node)
    }

    pub fn header_size(&self) -> usize {
        if self.leaf {
            8
        } else {
            12
        }
    }

    /// End of the cell pointer array.
    pub fn cell_array_end(&self) -> usize {
        self.hdr + self.header_size() + 2 * self.n_cells
    }

    pub fn cell_offset(&self, data: &[u8], i: usize) -> Result<usize> {
        let off = get_u16(data, self.hdr + self.header_size() + 2 * i) as usize;
        if off < self.cell_array_end() || off + 4 > self.usable {
            return Err(corrupt(self.pgno, "cell pointer out of range"));
        }
        Ok(off)
    }

    pub fn max_local(&self) -> usize {
        max_local(self.usable, self.table && self.leaf)
    }

    /// Parses the cell at byte offset `off`.
    pub fn cell_at(&self, data: &[u8], off: usize) -> Result<CellInfo> {
        let bad = || corrupt(self.pgno, "cell extends past the page");
        let lim = &data[..self.usable];
        let mut p = off;
        let mut c = CellInfo::default();
        if !self.leaf {
            c.left_child = get_u32(lim.get(p..p + 4).ok_or_else(bad)?, 0);
            p += 4;
            if self.table {
                let (k, n) = get_varint(&lim[p..]).ok_or_else(bad)?;
                c.rowid = k as i64;
                c.size = p + n - off;
                return Ok(c);
            }
        }
        let (psize, n) = get_varint(&lim[p..]).ok_or_else(bad)?;
        p += n;
        c.payload_size = psize;
        if self.table {
            let (k, n) = get_varint(&lim[p..]).ok_or_else(bad)?;
            c.rowid = k as i64;
            p += n;
        } else {
            c.rowid = psize as i64;
        }
        if psize > i32::MAX as u64 {
            return Err(corrupt(self.pgno, "payload size"));
        }
        let local = local_size(psize, self.usable, self.table && self.leaf);
        c.local_off = p;
        c.local_len = local;
        p += local;
        if (local as u64) < psize {
            c.overflow = get_u32(lim.get(p..p + 4).ok_or_else(bad)?, 0);
            p += 4;
        } else if p > self.usable {
            return Err(bad());
        }
        c.size = (p - off).max(4);
        if off + c.size > self.usable {
            return Err(bad());
        }
        Ok(c)
    }

    /// The byte range of cell `i`'s payload when the cell is a leaf cell whose payload is all
    /// in the page (no overflow): the scan's hot path, which skips the general decoding. None
    /// for interior cells and overflowing payloads (use [`Node::cell`]).
    #[inline]
    pub fn local_payload_range(&self, data: &[u8], i: usize) -> Result<Option<(usize, usize)>> {
        if !self.leaf {
            return Ok(None);
        }
        let off = self.cell_offset(data, i)?;
        let lim = &data[..self.usable];
        let bad = || corrupt(self.pgno, "cell extends past the page");
        let (size, n) = get_varint(&lim[off..]).ok_or_else(bad)?;
        let mut p = off + n;
        if self.table {
            // The rowid: only its length matters here.
            p += lim.get(p..).and_then(varint_skip).ok_or_else(bad)?;
        }
        if size > self.max_local() as u64 {
            return Ok(None);
        }
        let len = size as usize;
        if p + len > self.usable {
            return Err(bad());
        }
        Ok(Some((p, len)))
    }

    /// The rowid of cell `i` of a table page, read without decoding the rest of the cell
    /// (the search loop's hot path).
    pub fn rowid_at(&self, data: &[u8], i: usize) -> Result<i64> {
        let off = self.cell_offset(data, i)?;
        let lim = &data[..self.usable];
        let p = if self.leaf {
            let (_, n) = get_varint(&lim[off..]).ok_or_else(|| corrupt(self.pgno, "cell extends past the page"))?;
            off + n
        } else {
            off + 4
        };
        let (k, _) = lim.get(p..).and_then(get_varint).ok_or_else(|| corrupt(self.pgno, "cell extends past the page"))?;
        Ok(k as i64)
    }

    pub fn cell(&self, data: &[u8], i: usize) -> Result<CellInfo> {
        let off = self.cell_offset(data, i)?;
        self.cell_at(data, off)
    }

    /// The child page pointer number `i` (0..=n_cells; n_cells is the right-most child).
    pub fn child(&self, data: &[u8], i: usize) -> Result<Pgno> {
        if i >= self.n_cells {
            return Ok(self.right_child);
        }
        let off = self.cell_offset(data, i)?;
        Ok(get_u32(data, off))
    }

    /// Free bytes on the page: gap + freeblocks + fragments. Bounded walk of the chain.
    pub fn free_space(&self, data: &[u8]) -> Result<usize> {
        let mut total = self.content_start.saturating_sub(self.cell_array_end()) + self.frag;
        let mut fb = self.first_freeblock;
        let mut prev = 0;
        while fb != 0 {
            if fb <= prev || fb + 4 > self.usable || fb < self.content_start {
                return Err(corrupt(self.pgno, "freeblock chain"));
            }
            let size = get_u16(data, fb + 2) as usize;
            if fb + size > self.usable {
                return Err(corrupt(self.pgno, "freeblock size"));
            }
            total += size;
            prev = fb;
            fb = get_u16(data, fb) as usize;
        }
        Ok(total)
    }
}

// ---- cell construction ----------------------------------------------------------------------

/// Builds the cell of a table interior page.
pub fn table_interior_cell(left: Pgno, rowid: i64, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&left.to_be_bytes());
    let mut b = [0u8; 9];
    let n = put_varint(&mut b, rowid as u64);
    out.extend_from_slice(&b[..n]);
}

/// The size of a cell's prefix (before local payload) for a payload cell.
pub fn cell_header_len(table_leaf: bool, interior: bool, payload: u64, rowid: i64) -> usize {
    (if interior { 4 } else { 0 }) + varint_len(payload) + if table_leaf { varint_len(rowid as u64) } else { 0 }
}

// ---- page editing ---------------------------------------------------------------------------

/// Writes an empty page of `kind`.
pub fn init_page(data: &mut [u8], pgno: Pgno, usable: usize, kind: u8) {
    let hdr = header_offset(pgno);
    let hs = if kind == PAGE_LEAF_INDEX || kind == PAGE_LEAF_TABLE { 8 } else { 12 };
    data[hdr..hdr + hs].fill(0);
    data[hdr] = kind;
    put_u16(data, hdr + 5, if usable == 65536 { 0 } else { usable as u16 });
}

/// Rewrites the page with exactly `cells` (in order) and no free space but the gap. The
/// cells must fit (callers measure first). `right_child` is used on interior pages.
pub fn rebuild_page(data: &mut [u8], pgno: Pgno, usable: usize, kind: u8, cells: &[&[u8]], right_child: Pgno) {
    init_page(data, pgno, usable, kind);
    let hdr = header_offset(pgno);
    let leaf = kind == PAGE_LEAF_INDEX || kind == PAGE_LEAF_TABLE;
    let hs = if leaf { 8 } else { 12 };
    if !leaf {
        put_u32(data, hdr + 8, right_child);
    }
    let mut top = usable;
    for (i, c) in cells.iter().enumerate() {
        top -= c.len();
        data[top..top + c.len()].copy_from_slice(c);
        put_u16(data, hdr + hs + 2 * i, top as u16);
    }
    put_u16(data, hdr + 3, cells.len() as u16);
    put_u16(data, hdr + 5, if top == 65536 { 0 } else { top as u16 });
}

/// The bytes the content of `cells` needs on a page with header at `hdr` (cells + pointers).
pub fn space_needed(cells: &[&[u8]]) -> usize {
    cells.iter().map(|c| c.len() + 2).sum()
}

/// Space usable for cells and pointers on an empty page.
pub fn page_capacity(pgno: Pgno, usable: usize, leaf: bool) -> usize {
    usable - header_offset(pgno) - if leaf { 8 } else { 12 }
}

/// Moves all cells to the end of the page, leaving one gap (fragments and freeblocks gone).
pub fn defragment(data: &mut [u8], node: &Node) -> Result<()> {
    let mut cells: Vec<Vec<u8>> = Vec::with_capacity(node.n_cells);
    for i in 0..node.n_cells {
        let off = node.cell_offset(data, i)?;
        let c = node.cell_at(data, off)?;
        cells.push(data[off..off + c.size].to_vec());
    }
    let refs: Vec<&[u8]> = cells.iter().map(|c| c.as_slice()).collect();
    rebuild_page(data, node.pgno, node.usable, node.kind, &refs, node.right_child);
    Ok(())
}

/// Finds `n` bytes for a new cell: a fitting freeblock first, else the gap, else after a
/// defragmentation. The caller has checked that free space suffices. Returns the offset.
fn allocate_space(data: &mut [u8], node: &mut Node, n: usize) -> Result<usize> {
    let hdr = node.hdr;
    let gap_end = node.cell_array_end() + 2; // room for the new pointer
    if gap_end > node.content_start {
        // No room for the new cell pointer: compact first.
        defragment(data, node)?;
        *node = Node::parse(data, node.pgno, node.usable)?;
    }
    // First fit in the freeblock list (if fragments are not too many already).
    if node.frag <= 57 {
        let mut prev_link = hdr + 1;
        let mut fb = node.first_freeblock;
        let mut guard = 0;
        while fb != 0 {
            guard += 1;
            if guard > node.usable / 4 || fb + 4 > node.usable {
                return Err(corrupt(node.pgno, "freeblock chain"));
            }
            let size = get_u16(data, fb + 2) as usize;
            let next = get_u16(data, fb) as usize;
            if size >= n {
                let left = size - n;
                if left < 4 {
                    // Take the whole block; the remainder becomes fragments.
                    put_u16(data, prev_link, next as u16);
                    node.frag += left;
                    data[hdr + 7] = node.frag as u8;
                    if prev_link == hdr + 1 {
                        node.first_freeblock = next;
                    }
                    return Ok(fb);
                }
                // Keep the block's front, hand out its tail.
                put_u16(data, fb + 2, left as u16);
                return Ok(fb + left);
            }
            prev_link = fb;
            fb = next;
        }
    }
    if gap_end + n <= node.content_start {
        node.content_start -= n;
        put_u16(data, hdr + 5, node.content_start as u16);
        return Ok(node.content_start);
    }
    defragment(data, node)?;
    *node = Node::parse(data, node.pgno, node.usable)?;
    if gap_end + n > node.content_start {
        return Err(corrupt(node.pgno, "no room after defragmentation"));
    }
    node.content_start -= n;
    put_u16(data, hdr + 5, node.content_start as u16);
    Ok(node.content_start)
}

/// Inserts `cell` as cell number `idx`. Returns false (page untouched) when it does not fit.
pub fn insert_cell(data: &mut [u8], node: &mut Node, idx: usize, cell: &[u8]) -> Result<bool> {
    let need = cell.len() + 2;
    if node.free_space(data)? < need {
        return Ok(false);
    }
    let off = allocate_space(data, node, cell.len())?;
    data[off..off + cell.len()].copy_from_slice(cell);
    let base = node.hdr + node.header_size();
    let end = base + 2 * node.n_cells;
    data.copy_within(base + 2 * idx..end, base + 2 * idx + 2);
    put_u16(data, base + 2 * idx, off as u16);
    node.n_cells += 1;
    put_u16(data, node.hdr + 3, node.n_cells as u16);
    Ok(true)
}

/// Removes cell `idx` (of `size` bytes), returning its space to the freeblock list.
pub fn drop_cell(data: &mut [u8], node: &mut Node, idx: usize, size: usize) -> Result<()> {
    let off = node.cell_offset(data, idx)?;
    free_space_at(data, node, off, size)?;
    let base = node.hdr + node.header_size();
    let end = base + 2 * node.n_cells;
    data.copy_within(base + 2 * idx + 2..end, base + 2 * idx);
    node.n_cells -= 1;
    put_u16(data, node.hdr + 3, node.n_cells as u16);
    if node.n_cells == 0 {
        // An empty page: reset its content area completely, as SQLite does.
        let kind = node.kind;
        let rc = node.right_child;
        rebuild_page(data, node.pgno, node.usable, kind, &[], rc);
        *node = Node::parse(data, node.pgno, node.usable)?;
    }
    Ok(())
}

/// Frees `size` bytes at `start`: inserted into the address-ordered freeblock chain, merged
/// with neighbours (absorbing fragment bytes between them), or given back to the gap.
fn free_space_at(data: &mut [u8], node: &mut Node, start: usize, size: usize) -> Result<()> {
    let hdr = node.hdr;
    let mut start = start;
    let mut size = size;
    // Find the freeblocks before and after `start`.
    let mut prev = 0usize; // 0: the header link
    let mut fb = node.first_freeblock;
    let mut guard = 0;
    while fb != 0 && fb < start {
        guard += 1;
        if guard > node.usable / 4 || fb + 4 > node.usable {
            return Err(corrupt(node.pgno, "freeblock chain"));
        }
        prev = fb;
        fb = get_u16(data, fb) as usize;
    }
    if start + size > node.usable {
        return Err(corrupt(node.pgno, "cell extends past the page"));
    }
    if fb != 0 && fb + 4 > node.usable {
        return Err(corrupt(node.pgno, "freeblock chain"));
    }
    let mut frag = node.frag;
    // Merge with the following block.
    if fb != 0 {
        if fb < start + size {
            return Err(corrupt(node.pgno, "freeblock overlaps a cell"));
        }
        let gap = fb - (start + size);
        if gap <= 3 {
            if gap > frag {
                return Err(corrupt(node.pgno, "fragment count"));
            }
            frag -= gap;
            let fsize = get_u16(data, fb + 2) as usize;
            let next = get_u16(data, fb) as usize;
            if fb + fsize > node.usable {
                return Err(corrupt(node.pgno, "freeblock extends past the page"));
            }
            size = fb + fsize - start;
            fb = next;
        }
    }
    // Merge with the preceding block.
    if prev != 0 {
        let psize = get_u16(data, prev + 2) as usize;
        let pend = prev + psize;
        if pend > start {
            return Err(corrupt(node.pgno, "freeblock overlaps a cell"));
        }
        let gap = start - pend;
        if gap <= 3 {
            if gap > frag {
                return Err(corrupt(node.pgno, "fragment count"));
            }
            frag -= gap;
            size = start + size - prev;
            start = prev;
            // Unlink `prev`: find its predecessor again.
            let mut pp = 0usize;
            let mut x = node.first_freeblock;
            while x != 0 && x != prev {
                pp = x;
                x = get_u16(data, x) as usize;
            }
            prev = pp;
        }
    }
    node.frag = frag;
    data[hdr + 7] = frag as u8;
    if start == node.content_start {
        // Give the block back to the gap.
        node.content_start += size;
        put_u16(data, hdr + 5, if node.content_start == 65536 { 0 } else { node.content_start as u16 });
        if prev == 0 {
            put_u16(data, hdr + 1, fb as u16);
            node.first_freeblock = fb;
        } else {
            put_u16(data, prev, fb as u16);
        }
        return Ok(());
    }
    put_u16(data, start, fb as u16);
    put_u16(data, start + 2, size as u16);
    if prev == 0 {
        put_u16(data, hdr + 1, start as u16);
        node.first_freeblock = start;
    } else {
        put_u16(data, prev, start as u16);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_payload_rules_match_fileformat2() {
        // U = 4096: table leaf max_local 4061, min_local 489; index max_local 1002.
        assert_eq!(max_local(4096, true), 4061);
        assert_eq!(max_local(4096, false), 1002);
        assert_eq!(min_local(4096), 489);
        assert_eq!(local_size(4061, 4096, true), 4061);
        // P = 5000: K = 489 + (5000-489) % 4092 = 489 + 419 = 908 <= 4061.
        assert_eq!(local_size(5000, 4096, true), 908);
        // Index page, P = 2000: K = 489 + 1511 = 2000 > 1002, so min_local.
        assert_eq!(local_size(2000, 4096, false), 489);
    }

    #[test]
    fn freeing_a_cell_before_a_freeblock_past_the_page_is_corrupt() {
        // Bug (found by the `btree_page` fuzz target): the freeblock following a freed cell
        // was read without checking that it lies inside the page: an index out of bounds
        // panic on a damaged page instead of SQLITE_CORRUPT.
        let usable = 512;
        let mut data = vec![0u8; 512];
        init_page(&mut data, 2, usable, PAGE_LEAF_INDEX);
        let mut node = Node::parse(&data, 2, usable).unwrap();
        assert!(insert_cell(&mut data, &mut node, 0, &[4, 1, 2, 3, 4]).unwrap());
        assert!(insert_cell(&mut data, &mut node, 1, &[4, 5, 6, 7, 8]).unwrap());
        // The lower cell ends 3 bytes before a "freeblock" 2 bytes before the page's end, and
        // the fragment count allows merging the 3 bytes between them.
        let i = (0..2).min_by_key(|&i| node.cell_offset(&data, i).unwrap()).unwrap();
        let (off, size) = (node.cell_offset(&data, i).unwrap(), node.cell(&data, i).unwrap().size);
        put_u16(&mut data, node.hdr + 1, (off + size + 3) as u16);
        data[node.hdr + 7] = 3;
        assert!(off + size + 3 + 4 > usable, "the freeblock header crosses the page end");
        let mut node = Node::parse(&data, 2, usable).unwrap();
        let e = drop_cell(&mut data, &mut node, i, size).unwrap_err();
        assert_eq!(e.code, crate::error::code::CORRUPT);
    }

    #[test]
    fn insert_drop_keep_free_space_accounting() {
        let usable = 1024;
        let mut data = vec![0u8; 1024];
        init_page(&mut data, 2, usable, PAGE_LEAF_INDEX);
        let mut node = Node::parse(&data, 2, usable).unwrap();
        let full = node.free_space(&data).unwrap();
        let cells: Vec<Vec<u8>> = (0..20u8).map(|i| {
            let mut c = vec![7 + i % 5];
            c.extend(std::iter::repeat_n(i, 7 + (i % 5) as usize));
            c
        }).collect();
        for (i, c) in cells.iter().enumerate() {
            assert!(insert_cell(&mut data, &mut node, i, c).unwrap());
        }
        for i in (0..20).step_by(3).rev() {
            let c = node.cell(&data, i).unwrap();
            drop_cell(&mut data, &mut node, i, c.size).unwrap();
        }
        let used: usize = (0..node.n_cells).map(|i| node.cell(&data, i).unwrap().size + 2).sum();
        assert_eq!(node.free_space(&data).unwrap() + used, full);
        let n2 = Node::parse(&data, 2, usable).unwrap();
        defragment(&mut data, &n2).unwrap();
        let n3 = Node::parse(&data, 2, usable).unwrap();
        assert_eq!(n3.free_space(&data).unwrap() + used, full);
        assert_eq!(n3.first_freeblock, 0);
        assert_eq!(n3.frag, 0);
    }
}
