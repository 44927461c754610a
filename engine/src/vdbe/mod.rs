//! The register VM, values and affinity, EXPLAIN (issue 6).
//!
//! Built so far: [`value::Value`], the five storage classes. The VM itself is not built yet.

pub mod value;
