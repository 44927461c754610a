//! The register VM, opcodes, EXPLAIN (issue 6). Not built yet.
