//! The root of `libsqlite3.so.0`: it links the C API crate in and adds nothing of its own.
//!
//! Every exported symbol is defined in `ferrolite-capi` (Rust) or in its C shims
//! (`capi/c/*.c`, for the variadic functions). `build.rs` sets the SONAME and the version
//! script that keeps every non-`sqlite3_*`/`libsql_*` symbol private.

pub use ferrolite_capi;
