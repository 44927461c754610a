//! What a VM cursor is: a b-tree cursor (table or index), a sorter, or a transient set.
//!
//! Invariants:
//! 1. A b-tree cursor's decoded record header (`reader`) and record bytes are valid only while
//!    `cached` is true; every movement clears it, the first Column after a movement fills it.
//!    The record bytes are a range of a page snapshot (`page`) when the payload is all in
//!    the page, so a scan copies no row; an overflowing payload is assembled in `payload`.
//! 2. A sorter's rows are sorted by its key before the first `SorterSort` returns.

use std::collections::HashSet;
use std::sync::Arc;

use super::op::KeyInfo;
use crate::btree::BtCursor;
use crate::pager::PageRef;
use crate::record::RecordReader;
use crate::value::Value;

pub struct BtreeCursor {
    pub cur: BtCursor,
    /// Number of key columns (index cursors).
    pub key_info: Option<Arc<KeyInfo>>,
    pub reader: RecordReader,
    /// The record of an entry whose payload overflows (assembled from the chain).
    pub payload: Vec<u8>,
    /// The page snapshot holding the current record, and the record's byte range in it.
    pub page: Option<PageRef>,
    pub range: (usize, usize),
    pub cached: bool,
    /// NullRow: every column reads NULL until the next movement.
    pub null_row: bool,
    /// The cursor stands on an entry.
    pub valid: bool,
}

impl BtreeCursor {
    pub fn new(cur: BtCursor, key_info: Option<Arc<KeyInfo>>) -> BtreeCursor {
        BtreeCursor {
            cur,
            key_info,
            reader: RecordReader::new(),
            payload: Vec::new(),
            page: None,
            range: (0, 0),
            cached: false,
            null_row: false,
            valid: false,
        }
    }

    /// The current record's bytes (meaningful while `cached`, invariant 1).
    #[inline]
    pub fn record(&self) -> &[u8] {
        record_bytes(&self.page, self.range, &self.payload)
    }
}

/// [`BtreeCursor::record`] from the cursor's fields (for callers borrowing others mutably).
#[inline]
pub fn record_bytes<'a>(page: &'a Option<PageRef>, range: (usize, usize), payload: &'a [u8]) -> &'a [u8] {
    match page {
        Some(p) => &p[range.0..range.1],
        None => payload,
    }
}

pub struct Sorter {
    pub key_info: Arc<KeyInfo>,
    pub rows: Vec<Vec<Value>>,
    pub pos: usize,
    pub sorted: bool,
    /// NullRow: columns read NULL until the next movement (LEFT JOIN of a subquery).
    pub null_row: bool,
    /// Reading a column of row `.0` or later fails with `.1` (a window value that failed).
    pub poison: Option<(usize, crate::error::Error)>,
}

/// A transient index keyed by value tuples (DISTINCT, IN lists): membership only.
pub struct EphemeralSet {
    pub key_info: Arc<KeyInfo>,
    pub keys: HashSet<Vec<u8>>,
}

pub enum VCursor {
    Btree(Box<BtreeCursor>),
    Sorter(Sorter),
    Set(EphemeralSet),
}

/// A byte string equal for two tuples exactly when they compare equal under `key_info`
/// (integers and integral reals meet; NOCASE folds ASCII; RTRIM drops trailing spaces).
pub fn canonical_key(key_info: &KeyInfo, values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let coll = key_info.fields.get(i).and_then(|f| f.1.as_ref());
        match v {
            Value::Null => out.push(0),
            Value::Integer(n) => {
                out.push(1);
                out.extend_from_slice(&(*n as f64).to_bits().to_be_bytes());
                out.extend_from_slice(&n.to_be_bytes());
            }
            Value::Real(r) => {
                let r = &if *r == 0.0 { 0.0 } else { *r };
                out.push(1);
                out.extend_from_slice(&r.to_bits().to_be_bytes());
                match crate::value::numeric::real_equal_int(*r) {
                    Some(n) => out.extend_from_slice(&n.to_be_bytes()),
                    None => out.extend_from_slice(&[0xff; 8]),
                }
            }
            Value::Text(t) => {
                out.push(2);
                let t: Vec<u8> = match coll.map(|c| c.name().to_ascii_uppercase()) {
                    Some(n) if n == "NOCASE" => t.to_ascii_lowercase(),
                    Some(n) if n == "RTRIM" => {
                        let mut e = t.len();
                        while e > 0 && t[e - 1] == b' ' {
                            e -= 1;
                        }
                        t[..e].to_vec()
                    }
                    _ => t.clone(),
                };
                out.extend_from_slice(&(t.len() as u64).to_be_bytes());
                out.extend_from_slice(&t);
            }
            Value::Blob(b) => {
                out.push(3);
                out.extend_from_slice(&(b.len() as u64).to_be_bytes());
                out.extend_from_slice(b);
            }
        }
    }
    out
}
