//! Every SQL statement of the sqllogictest corpus (`../shared/slt`) that SQLite is meant to run
//! must parse (which records those are, and the sample: tests/common/slt.rs).
//!
//! The default test reads select1-5, evidence/ and every 5th other file; the whole corpus
//! (41 MB) runs with `cargo test -- --ignored`.

mod common;

use common::slt;
use std::path::Path;

/// Parses every SQLite-applicable `statement ok` / `query` SQL of one file (common/slt.rs);
/// returns the statements parsed and adds failures as "file: sql: message".
fn check_file(path: &Path, failures: &mut Vec<String>) -> usize {
    let mut count = 0;
    for sql in slt::records(path) {
        // A record may hold several statements (the harness runs it with sqlite3_exec).
        let mut parsed = 0;
        for r in ferrolite_engine::sql::Parser::new(&sql) {
            count += 1;
            match r {
                Ok(_) => parsed += 1,
                Err(e) => failures.push(format!("{}: {sql:?}: {}", path.display(), e.message)),
            }
        }
        if parsed == 0 && failures.is_empty() {
            failures.push(format!("{}: {sql:?}: no statement", path.display()));
        }
    }
    count
}

fn run(sample: bool) {
    let Some(dir) = slt::corpus_dir() else { return };
    let chosen = slt::files(&dir, sample);
    let mut failures = Vec::new();
    let mut total = 0;
    for f in &chosen {
        total += check_file(f, &mut failures);
    }
    eprintln!(
        "sqllogictest: {} files, {} statements, {} failed",
        chosen.len(),
        total,
        failures.len()
    );
    for f in failures.iter().take(20) {
        eprintln!("  {f}");
    }
    assert!(total > 0, "no statements found");
    assert!(failures.is_empty(), "{} statements failed to parse", failures.len());
}

/// Issue 5: every statement of the whole corpus parses (about 2 s in a debug build, so it runs
/// in every `make test`).
#[test]
fn slt_whole_corpus_parses() {
    run(false);
}
