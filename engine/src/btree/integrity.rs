//! `integrity_check` at the b-tree level, with SQLite's message forms.
//!
//! Checks (in SQLite's order, so the messages come out in the same order):
//! 1. The freelist ("Main freelist: ..."): every trunk and leaf page is a valid, unshared page
//!    and the count matches the header ("size is N but should be M").
//! 2. Each tree from its root: page headers parse, cells lie inside the page, rowids of table
//!    b-trees are in order ("Rowid R out of order"), children are at the same depth ("Child
//!    page depth differs"), overflow chains have the right length ("overflow list length is
//!    N but should be M"), no byte of a page is used twice ("Multiple uses for byte B of page
//!    P") and the fragment count is right ("Fragmentation of N bytes reported as M on page P").
//!    Cells are visited from the last to the first, as SQLite does.
//! 3. Every page is used by something ("Page N is never used"), except the lock-byte page and,
//!    in auto_vacuum files, pointer-map pages.
//!
//! Page references are recorded once; a second reference gives "2nd reference to page N" and a
//! page number past the end gives "invalid page number N".
//!
//! Invariants:
//! 1. Bounded: each page is visited at most once, so a cyclic file terminates.
//! 2. At most `max_errors` messages are produced.

use super::page::{local_size, Node, Pgno};
use super::Btree;
use crate::error::Result;
use crate::pager::header::get_u32;

struct Check<'a> {
    bt: &'a mut Btree,
    n_page: Pgno,
    seen: Vec<bool>,
    errors: Vec<String>,
    max_errors: usize,
    prefix: String,
    auto_vacuum: bool,
}

impl Check<'_> {
    fn msg(&mut self, m: String) {
        if self.errors.len() < self.max_errors {
            self.errors.push(format!("{}{}", self.prefix, m));
        }
    }

    fn full(&self) -> bool {
        self.errors.len() >= self.max_errors
    }

    /// In auto_vacuum files: checks `child`'s pointer-map entry.
    fn check_ptrmap(&mut self, child: Pgno, kind: u8, parent: Pgno) -> Result<()> {
        if !self.auto_vacuum || child == 0 || child > self.n_page {
            return Ok(());
        }
        match super::ptrmap::get(self.bt, child) {
            Ok((k, p)) => {
                if k != kind || p != parent {
                    self.msg(format!("Bad ptr map entry key={child} expected=({kind},{parent}) got=({k},{p})"));
                }
            }
            Err(_) => self.msg(format!("Failed to read ptrmap key={child}")),
        }
        Ok(())
    }

    /// Records a reference to `pgno`; false when it must not be followed.
    fn check_ref(&mut self, pgno: Pgno) -> bool {
        if pgno == 0 || pgno > self.n_page {
            self.msg(format!("invalid page number {pgno}"));
            return false;
        }
        if self.seen[pgno as usize] {
            self.msg(format!("2nd reference to page {pgno}"));
            return false;
        }
        self.seen[pgno as usize] = true;
        true
    }

    /// Walks a freelist (trunk chain) or an overflow chain that should hold `expected` pages.
    fn check_list(&mut self, freelist: bool, mut pgno: Pgno, expected: u32) -> Result<()> {
        let mut n = expected as i64;
        let errors_at_start = self.errors.len();
        let usable = self.bt.usable_size();
        let mut prev: Pgno = 0;
        while pgno != 0 && !self.full() {
            if !self.check_ref(pgno) {
                break;
            }
            n -= 1;
            if freelist {
                self.check_ptrmap(pgno, super::ptrmap::PTRMAP_FREEPAGE, 0)?;
            } else if prev != 0 {
                self.check_ptrmap(pgno, super::ptrmap::PTRMAP_OVERFLOW2, prev)?;
            }
            prev = pgno;
            let page = self.bt.pager.get(pgno)?;
            if freelist {
                let leaves = get_u32(&page, 4);
                if leaves as usize > usable / 4 - 2 {
                    self.msg(format!("freelist leaf count too big on page {pgno}"));
                    n -= 1;
                } else {
                    for i in 0..leaves as usize {
                        let leaf = get_u32(&page, 8 + 4 * i);
                        self.check_ptrmap(leaf, super::ptrmap::PTRMAP_FREEPAGE, 0)?;
                        self.check_ref(leaf);
                    }
                    n -= leaves as i64;
                }
            }
            pgno = get_u32(&page, 0);
        }
        if n != 0 && self.errors.len() == errors_at_start {
            let what = if freelist { "size" } else { "overflow list length" };
            self.msg(format!("{what} is {} but should be {expected}", expected as i64 - n));
        }
        Ok(())
    }

    /// Checks the subtree at `pgno`; returns its depth and lowest rowid (via `min_key`).
    fn check_tree_page(&mut self, pgno: Pgno, min_key: &mut i64, max_key: i64) -> Result<i32> {
        if self.full() {
            return Ok(0);
        }
        let saved_prefix = std::mem::replace(&mut self.prefix, format!("Page {pgno}: "));
        let usable = self.bt.usable_size();
        let page = self.bt.pager.get(pgno)?;
        let node = match Node::parse(&page, pgno, usable) {
            Ok(n) => n,
            Err(e) => {
                self.msg(format!("btreeInitPage() returns error code {}", e.code));
                self.prefix = saved_prefix;
                return Ok(-1);
            }
        };
        let mut max_key = max_key;
        let mut key_can_be_equal = true;
        let mut depth = 0;
        // Byte ranges in use: cells and freeblocks.
        let mut used: Vec<(usize, usize)> = Vec::with_capacity(node.n_cells + 4);
        if !node.leaf {
            let right = node.right_child;
            self.prefix = format!("On page {pgno} at right child: ");
            self.check_ptrmap(right, super::ptrmap::PTRMAP_BTREE, pgno)?;
            if self.check_ref(right) {
                let mk = max_key;
                depth = self.check_tree_page(right, &mut max_key, mk)?;
            }
            key_can_be_equal = false;
        }
        for i in (0..node.n_cells).rev() {
            if self.full() {
                break;
            }
            self.prefix = format!("On tree page {pgno} cell {i}: ");
            let ptr = node.hdr + node.header_size() + 2 * i;
            let pc = crate::pager::header::get_u16(&page, ptr) as usize;
            if pc < node.content_start || pc + 4 > usable {
                self.msg(format!("Offset {pc} out of range {}..{}", node.content_start, usable - 4));
                continue;
            }
            let cell = match node.cell_at(&page, pc) {
                Ok(c) => c,
                Err(_) => {
                    self.msg("Extends off end of page".to_string());
                    continue;
                }
            };
            used.push((pc, pc + cell.size));
            if node.table {
                let bad = if key_can_be_equal { cell.rowid > max_key } else { cell.rowid >= max_key };
                if bad {
                    self.msg(format!("Rowid {} out of order", cell.rowid));
                }
                max_key = cell.rowid;
                key_can_be_equal = false;
            }
            if cell.overflow != 0 {
                let local = local_size(cell.payload_size, usable, node.table && node.leaf);
                let n_ovfl = (cell.payload_size - local as u64).div_ceil(usable as u64 - 4) as u32;
                self.check_ptrmap(cell.overflow, super::ptrmap::PTRMAP_OVERFLOW1, pgno)?;
                self.check_list(false, cell.overflow, n_ovfl)?;
            }
            if !node.leaf {
                let child = cell.left_child;
                self.check_ptrmap(child, super::ptrmap::PTRMAP_BTREE, pgno)?;
                if self.check_ref(child) {
                    let mk = max_key;
                    let d2 = self.check_tree_page(child, &mut max_key, mk)?;
                    self.prefix = format!("On tree page {pgno} cell {i}: ");
                    key_can_be_equal = false;
                    if d2 != depth {
                        self.msg("Child page depth differs".to_string());
                        depth = d2;
                    }
                }
            }
        }
        *min_key = max_key;
        // Space accounting.
        self.prefix = String::new();
        if !self.full() {
            let mut fb = node.first_freeblock;
            let mut guard = 0;
            while fb != 0 && guard < usable {
                guard += 1;
                if fb + 4 > usable {
                    break;
                }
                let size = crate::pager::header::get_u16(&page, fb + 2) as usize;
                used.push((fb, fb + size));
                let next = crate::pager::header::get_u16(&page, fb) as usize;
                if next != 0 && next <= fb {
                    break;
                }
                fb = next;
            }
            used.sort_unstable();
            let mut frag = 0usize;
            let mut prev_end = node.content_start.min(usable);
            let mut overlap = false;
            for &(s, e) in &used {
                if s < prev_end && !(prev_end == node.content_start && s >= node.content_start) {
                    self.msg(format!("Multiple uses for byte {s} of page {pgno}"));
                    overlap = true;
                    break;
                }
                if s > prev_end {
                    frag += s - prev_end;
                }
                prev_end = prev_end.max(e);
            }
            if !overlap {
                frag += usable.saturating_sub(prev_end);
                if frag != node.frag {
                    self.msg(format!("Fragmentation of {frag} bytes reported as {} on page {pgno}", node.frag));
                }
            }
        }
        self.prefix = saved_prefix;
        Ok(depth + 1)
    }
}

impl Btree {
    /// Checks the file's structure: the freelist, the trees at `roots` (sqlite_schema's page 1
    /// included by the caller) and that every page is used. Returns SQLite's messages (empty
    /// when all is well), at most `max_errors` of them.
    pub fn integrity_check(&mut self, roots: &[Pgno], max_errors: usize) -> Result<Vec<String>> {
        let n_page = self.pager.page_count();
        let mut ck = Check {
            n_page,
            seen: vec![false; n_page as usize + 1],
            errors: Vec::new(),
            max_errors,
            prefix: String::new(),
            auto_vacuum: false,
            bt: self,
        };
        if n_page == 0 {
            return Ok(Vec::new());
        }
        let pending = ck.bt.pager.pending_byte_page();
        if pending <= n_page {
            ck.seen[pending as usize] = true;
        }
        let p1 = ck.bt.pager.get(1)?;
        let trunk = get_u32(&p1, 32);
        let count = get_u32(&p1, 36);
        let auto_vacuum = get_u32(&p1, 52) != 0;
        ck.auto_vacuum = auto_vacuum;
        ck.prefix = "Main freelist: ".to_string();
        ck.check_list(true, trunk, count)?;
        ck.prefix = String::new();
        if auto_vacuum {
            for p in 2..=n_page {
                if super::ptrmap::is_ptrmap_page(ck.bt, p) {
                    ck.seen[p as usize] = true;
                }
            }
        }
        for &root in roots {
            if ck.full() {
                break;
            }
            if root == 0 {
                continue;
            }
            if root > 1 {
                ck.check_ptrmap(root, super::ptrmap::PTRMAP_ROOTPAGE, 0)?;
            }
            if !ck.check_ref(root) {
                continue;
            }
            let mut min = 0;
            ck.check_tree_page(root, &mut min, i64::MAX)?;
        }
        for p in 1..=n_page {
            if ck.full() {
                break;
            }
            if !ck.seen[p as usize] {
                ck.msg(format!("Page {p} is never used"));
            }
        }
        Ok(ck.errors)
    }
}
