//! Ferrolite's database engine: a Rust library with no FFI, usable and testable on its own.
//!
//! Layers, top to bottom (each talks only to the one below; see ARCHITECTURE.md):
//!
//! ```text
//!   connection  the public API: Connection, Statement, Value (what `capi` wraps)
//!   blob        incremental BLOB I/O on a row's column; backup: page copies between databases
//!   uri         database names and `file:` URIs as open reads them
//!   sql         tokenizer, parser, AST
//!   schema      schema objects from sqlite_schema
//!   plan        name resolution, WHERE analysis, code generation
//!   vdbe        register VM, opcodes
//!   value       Value, affinity, comparison, collation (below record, vdbe and btree)
//!   func        built-in SQL functions (and the printf dialect shared with the C API)
//!   vector      libSQL vector search
//!   btree       table and index b-trees
//!   record      varints and the record format (below both vdbe and btree)
//!   pager       page cache, transactions, rollback journal, locking
//!   wal         write-ahead log
//!   vfs         the only door to the OS
//! ```
//!
//! Invariants:
//! 1. No `extern "C"` and no FFI types here; `capi` is the only crate that speaks C.
//! 2. Every fallible call returns [`error::Error`], which carries SQLite's extended result code
//!    and the message SQLite would give; codes are defined once, in [`error`].
//! 3. Bytes read from disk are untrusted: bad data is `SQLITE_CORRUPT`, never a panic.

pub mod error;

pub mod btree;
pub mod func;
pub mod pager;
pub mod plan;
pub mod record;
pub mod schema;
pub mod sql;
pub mod value;
pub mod vdbe;
pub mod vector;
pub mod vfs;
pub mod wal;

pub mod backup;
pub mod blob;
pub mod connection;
pub mod uri;

pub use connection::{ColumnInfo, Connection, OpenFlags, Statement, StepResult};
pub use error::{Error, Result};
pub use value::Value;

/// The SQLite release whose behaviour and file format Ferrolite matches.
pub const SQLITE_VERSION: &str = "3.40.1";
/// `SQLITE_VERSION` as the number `X*1000000 + Y*1000 + Z`.
pub const SQLITE_VERSION_NUMBER: i32 = 3_040_001;
/// Ferrolite's own version.
pub const FERROLITE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The first 60 characters are the source id of Debian's SQLite 3.40.1 (programs built against
/// that header compare them); the rest names the engine that answered.
pub const SQLITE_SOURCE_ID: &str =
    "2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd ferrolite 0.1.0";
