//! The sqllogictest corpus (`../shared/slt`) as the parser tests read it: which files, and the
//! SQL of each record SQLite is meant to run.
//!
//! Records are separated by blank lines; `statement ok|error` and `query ...` lines are
//! followed by the SQL up to `----` or the end of the record. `skipif sqlite` and
//! `onlyif <other engine>` records are not for SQLite and are skipped, as are `statement error`
//! records (which expect a failure, often a semantic one). The sample is select1-5, evidence/
//! and every 5th other file, in sorted order.

use std::path::{Path, PathBuf};

/// The corpus directory, or None (with a notice) when it is not beside the checkout.
pub fn corpus_dir() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/slt"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("notice: sqllogictest corpus not found at {}; skipping", p.display());
        None
    }
}

/// The corpus's `.test` files, sorted; only the sample when `sample`.
pub fn files(dir: &Path, sample: bool) -> Vec<PathBuf> {
    let mut all = Vec::new();
    all_files(dir, &mut all);
    let mut chosen = Vec::new();
    let mut others = 0;
    for f in all {
        let rel = f.strip_prefix(dir).expect("under corpus").to_string_lossy().to_string();
        if !sample || rel.starts_with("select") || rel.starts_with("evidence") {
            chosen.push(f);
        } else {
            if others % 5 == 0 {
                chosen.push(f);
            }
            others += 1;
        }
    }
    chosen
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

/// The SQL of each SQLite-applicable `statement ok` / `query` record of one file (a record
/// may hold several statements).
pub fn records(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read test file").replace("\r\n", "\n");
    let mut out = Vec::new();
    for record in text.split("\n\n") {
        let (mut skip, mut in_sql, mut expect_error) = (false, false, false);
        let mut sql_lines: Vec<&str> = Vec::new();
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
                skip |= engine.trim() != "sqlite";
            } else if let Some(engine) = line.strip_prefix("skipif ") {
                skip |= engine.trim() == "sqlite";
            } else if line.starts_with("statement") {
                expect_error = line.contains("error");
                in_sql = true;
            } else if line.starts_with("query") {
                in_sql = true;
            }
        }
        if !(skip || expect_error || sql_lines.is_empty()) {
            out.push(sql_lines.join("\n"));
        }
    }
    out
}
