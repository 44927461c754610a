//! Helpers shared by the engine's integration tests that run real SQLite beside us.
//!
//! Invariant: every `tmpdir` call returns a directory no other test of this process uses (a
//! process-wide counter is part of its name), so tests running in parallel threads never remove
//! or write each other's files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// True when the `sqlite3` shell (the oracle) is on PATH.
pub fn have_sqlite() -> bool {
    Command::new("sqlite3").arg("-version").output().is_ok()
}

/// True when python3 with its sqlite3 module is available too.
pub fn have_python_sqlite() -> bool {
    Command::new("python3")
        .arg("-c")
        .arg("import sqlite3")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// A fresh, empty directory private to this call.
pub fn tmpdir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("ferrolite-test-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `sql` on `db` with real SQLite's shell and returns its standard output.
pub fn sqlite(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(
        out.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
