//! `ferrolite-capi`: the `sqlite3_*` C ABI over the engine.
//!
//! This crate is the only place that speaks C (plus the shims in `capi/c/`, which exist only
//! because stable Rust cannot define variadic functions). Its design:
//!
//! 1. **Every exported function is wrapped the same way** ([`guard::guard`]): a panic never
//!    unwinds into C; it becomes the function's failure value (`SQLITE_INTERNAL`, NULL, 0).
//! 2. **Handles are checked before use.** `sqlite3*` and `sqlite3_stmt*` carry a magic number;
//!    NULL or a closed handle gets `SQLITE_MISUSE` (what SQLite does under API armor).
//! 3. **Memory handed to C** comes from [`mem`] (`sqlite3_malloc` and friends), so
//!    `sqlite3_free` can release every pointer the library gives out.
//! 4. **Serialized threading**: each connection has a recursive mutex (`sqlite3_db_mutex`);
//!    every call on a connection or its statements holds it.
//! 5. Functions whose behaviour is not built yet live in [`unsupported`]: they return
//!    `SQLITE_ERROR` (or the documented failure value) and, where a connection is at hand, set
//!    an error message naming the function. docs/COMPAT.md lists them.

#![allow(non_camel_case_types)]
#![allow(non_snake_case)]
#![allow(clippy::missing_safety_doc)]

pub mod guard;
pub mod mem;
pub mod global;
pub mod mutex;
pub mod db;
pub mod stmt;
pub mod value;
pub mod text;
pub mod printf;
pub mod exec;
pub mod status;
pub mod vfs;
pub mod uri;
pub mod function;
pub mod hooks;
pub mod backup;
pub mod blob;

pub mod unsupported;

pub use ferrolite_engine as engine;
