//! The root of `libsqlite3.so.0`: it links the C API crate in and adds nothing of its own.
//!
//! Every exported symbol is defined in `ferrolite-capi` (Rust) or in its C shims
//! (`capi/c/*.c`, for the variadic functions). The Makefile links `libsqlite3.so.0` from this
//! crate's static archive with the SONAME and the version script (`capi/sqlite3.map`) that keep
//! every non-`sqlite3_*`/`libsql_*` symbol private.

pub use ferrolite_capi;
