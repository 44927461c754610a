//! Link settings for the shared library: SONAME `libsqlite3.so.0`, and a version script that
//! exports the `sqlite3_*` and `libsql_*` symbols (Rust's and the C shims') and nothing else.
fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rerun-if-changed=capi/sqlite3.map");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsqlite3.so.0");
    println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={dir}/capi/sqlite3.map");
}
