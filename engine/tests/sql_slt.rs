//! Every SQL statement of the sqllogictest corpus (`../shared/slt`) that SQLite is meant to run
//! must parse. Records are separated by blank lines; `statement ok|error` and `query ...`
//! lines are followed by the SQL up to `----` or the end of the record; `skipif sqlite` and
//! `onlyif <other engine>` records are not for SQLite and are skipped, as are `statement error`
//! records (which expect a failure, often a semantic one).
//!
//! The default test reads select1-5, evidence/ and every 5th other file; the whole corpus
//! (41 MB) runs with `cargo test -- --ignored`.

use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/slt"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("notice: sqllogictest corpus not found at {}; skipping", p.display());
        None
    }
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read corpus dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            all_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "test") {
            out.push(p);
        }
    }
}

/// Parses every SQLite-applicable `statement ok` / `query` SQL of one file.
/// Returns (statements parsed, failures as (file, sql, message)).
fn check_file(path: &Path, failures: &mut Vec<String>) -> usize {
    let text = std::fs::read_to_string(path).expect("read test file").replace("\r\n", "\n");
    let mut count = 0;
    for record in text.split("\n\n") {
        let mut skip = false;
        let mut sql_lines: Vec<&str> = Vec::new();
        let mut in_sql = false;
        let mut expect_error = false;
        for line in record.lines() {
            if in_sql {
                if line.starts_with("----") {
                    break;
                }
                sql_lines.push(line);
                continue;
            }
            let line = line.trim_end();
            if let Some(engine) = line.strip_prefix("onlyif ") {
                if engine.trim() != "sqlite" {
                    skip = true;
                }
            } else if let Some(engine) = line.strip_prefix("skipif ") {
                if engine.trim() == "sqlite" {
                    skip = true;
                }
            } else if line.starts_with("statement") {
                expect_error = line.contains("error");
                in_sql = true;
            } else if line.starts_with("query") {
                in_sql = true;
            }
        }
        if skip || expect_error || sql_lines.is_empty() {
            continue;
        }
        // A record may hold several statements (the harness runs it with sqlite3_exec).
        let sql = sql_lines.join("\n");
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
    let Some(dir) = corpus_dir() else { return };
    let mut files = Vec::new();
    all_files(&dir, &mut files);
    let mut chosen = Vec::new();
    let mut others = 0;
    for f in files {
        let rel = f.strip_prefix(&dir).expect("under corpus").to_string_lossy().to_string();
        let always = rel.starts_with("select") || rel.starts_with("evidence");
        if !sample || always {
            chosen.push(f);
        } else {
            if others % 5 == 0 {
                chosen.push(f);
            }
            others += 1;
        }
    }
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
