//! The page cache: page images keyed by page number, bounded by `cache_size`.
//!
//! Pages are `Arc<Vec<u8>>`: a reader (a b-tree cursor) keeps a cheap snapshot of the pages it
//! stands on, and a writer gets a private copy through `Arc::make_mut` when a snapshot is still
//! held. So a page handed out is never changed under its holder.
//!
//! Invariants:
//! 1. A dirty page is never evicted (there is no spilling yet: a transaction's dirty pages stay
//!    in memory until commit or rollback).
//! 2. When the cache holds more than its limit, the least recently used clean pages go first.
//! 3. An evicted page whose image nobody else holds keeps its buffer in `spare` (at most one
//!    eviction batch of them), and the next page read reuses it: a long scan allocates and
//!    zeroes no page buffer once the cache is full. A spare buffer's bytes are stale; the
//!    reader overwrites every byte of it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

pub type PageRef = Arc<Vec<u8>>;

/// A hasher for page numbers: one multiplication (page numbers are not attacker-chosen
/// keys in a way that matters: a bad file only slows its own lookups).
#[derive(Default, Clone, Copy)]
pub struct PgnoHasher(u64);

impl Hasher for PgnoHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Maps and sets keyed by page number.
pub type PgnoMap<V> = HashMap<u32, V, BuildHasherDefault<PgnoHasher>>;
pub type PgnoSet = HashSet<u32, BuildHasherDefault<PgnoHasher>>;

pub struct Entry {
    pub data: PageRef,
    pub dirty: bool,
    tick: u64,
}

pub struct PageCache {
    map: PgnoMap<Entry>,
    limit: usize,
    tick: u64,
    n_dirty: usize,
    spare: Vec<Vec<u8>>,
}

impl PageCache {
    pub fn new(limit: usize) -> PageCache {
        PageCache { map: PgnoMap::default(), limit: limit.max(10), tick: 0, n_dirty: 0, spare: Vec::new() }
    }

    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.max(10);
        self.shrink();
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn dirty_count(&self) -> usize {
        self.n_dirty
    }

    pub fn get(&mut self, pgno: u32) -> Option<&PageRef> {
        self.tick += 1;
        let t = self.tick;
        self.map.get_mut(&pgno).map(|e| {
            e.tick = t;
            &e.data
        })
    }

    pub fn peek(&self, pgno: u32) -> Option<&Entry> {
        self.map.get(&pgno)
    }

    /// Inserts a clean page; eviction happens before the insert, so the page is present
    /// afterwards.
    pub fn insert_clean(&mut self, pgno: u32, data: PageRef) {
        if self.map.len() >= self.limit + self.limit / 8 + 8 {
            self.shrink();
        }
        self.tick += 1;
        let old = self.map.insert(pgno, Entry { data, dirty: false, tick: self.tick });
        if old.is_some_and(|e| e.dirty) {
            self.n_dirty -= 1;
        }
    }

    /// The page's bytes for writing, marking it dirty (the page must be present).
    pub fn make_dirty(&mut self, pgno: u32) -> Option<&mut Vec<u8>> {
        let e = self.map.get_mut(&pgno)?;
        if !e.dirty {
            e.dirty = true;
            self.n_dirty += 1;
        }
        Some(Arc::make_mut(&mut e.data))
    }

    /// Puts a page image in as dirty (used by savepoint rollback and new pages).
    pub fn insert_dirty(&mut self, pgno: u32, data: PageRef) {
        self.tick += 1;
        let old = self.map.insert(pgno, Entry { data, dirty: true, tick: self.tick });
        if !old.is_some_and(|e| e.dirty) {
            self.n_dirty += 1;
        }
    }

    pub fn remove(&mut self, pgno: u32) {
        if let Some(e) = self.map.remove(&pgno) {
            if e.dirty {
                self.n_dirty -= 1;
            }
        }
    }

    /// Page numbers of the dirty pages, ascending.
    pub fn dirty_pages(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.map.iter().filter(|(_, e)| e.dirty).map(|(&p, _)| p).collect();
        v.sort_unstable();
        v
    }

    pub fn mark_all_clean(&mut self) {
        for e in self.map.values_mut() {
            e.dirty = false;
        }
        self.n_dirty = 0;
    }

    /// Drops every dirty page (rollback) and pages numbered above `max_pgno`.
    pub fn discard_dirty(&mut self, max_pgno: u32) {
        self.map.retain(|&p, e| !e.dirty && p <= max_pgno);
        self.n_dirty = 0;
    }

    pub fn clear(&mut self) {
        self.map.clear();
        self.n_dirty = 0;
        self.spare.clear();
    }

    /// Evicts least recently used clean pages until the cache is within its limit.
    pub fn shrink(&mut self) {
        if self.map.len() <= self.limit {
            return;
        }
        let mut clean: Vec<(u64, u32)> = self.map.iter().filter(|(_, e)| !e.dirty).map(|(&p, e)| (e.tick, p)).collect();
        let excess = (self.map.len() - self.limit).min(clean.len());
        if excess == 0 {
            return;
        }
        clean.select_nth_unstable(excess - 1);
        let keep = self.limit / 8 + 8;
        for &(_, p) in &clean[..excess] {
            if let Some(e) = self.map.remove(&p) {
                if self.spare.len() < keep {
                    if let Ok(buf) = Arc::try_unwrap(e.data) {
                        self.spare.push(buf);
                    }
                }
            }
        }
    }

    /// A buffer of `size` bytes for a page about to be read (invariant 3): a spare one with
    /// stale contents when there is one, else a new zeroed one.
    pub fn take_buffer(&mut self, size: usize) -> Vec<u8> {
        while let Some(b) = self.spare.pop() {
            if b.len() == size {
                return b;
            }
        }
        vec![0u8; size]
    }
}
