//! Varints and the record format, shared by the b-tree and the VM (below both).
//!
//! Owns (fileformat2 §1.6 varints, §2.1 record format):
//! - `varint`: SQLite's 1-9 byte big-endian variable-length integers.
//! - `serial`: serial types and `ValueRef`, a value borrowed from record bytes.
//! - `reader`: `RecordReader`, header decoded once, columns decoded lazily.
//! - `builder`: `RecordBuilder`, records from values, byte-identical to SQLite's.
//! - `compare`: index-key comparison under sort order and collation (datatype3).
//!
//! Invariants:
//! 1. Nothing here allocates per row when its scratch objects are reused.
//! 2. Bytes are untrusted: malformed records are SQLITE_CORRUPT, never a panic.

pub mod builder;
pub mod compare;
pub mod reader;
pub mod serial;
pub mod varint;

pub use builder::RecordBuilder;
pub use compare::{compare_key, compare_records, compare_values, Collation, KeyField};
pub use reader::{decode_record, RecordReader};
pub use serial::ValueRef;
pub use varint::{get_varint, get_varint32, push_varint, put_varint, varint_len};
