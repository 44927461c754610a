//! Compiles the C shims (variadic functions and data symbols, `c/shims.c`). They are linked
//! whole so that the shared library exports them even though no Rust code calls them.
fn main() {
    println!("cargo:rerun-if-changed=c/shims.c");
    cc::Build::new()
        .file("c/shims.c")
        .flag_if_supported("-std=c11")
        .warnings(true)
        .link_lib_modifier("+whole-archive")
        .compile("ferrolite_shims");
}
