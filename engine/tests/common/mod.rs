//! Helpers shared by the engine's integration tests that run real SQLite beside us: temp
//! directories, the sqlite3 shell on a file, and scripts run through both engines with their
//! output in the shell's `.mode quote` form (rows joined by ',', errors as "Error: msg").
//!
//! Invariant: every `tmpdir` call returns a directory no other test of this process uses (a
//! process-wide counter is part of its name), so tests running in parallel threads never remove
//! or write each other's files.
#![allow(dead_code)]

pub mod slt;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use ferrolite_engine::{Connection, StepResult, Value};

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

// ---- differential scripts: our engine vs the sqlite3 shell in `.mode quote` ----

pub fn quote(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => {
            // The sqlite3 shell's quote mode: "%lld.0" for integral values, else "%!.20g".
            let ir = (r.is_finite() && r.abs() < 4503599627370496.0).then_some(*r as i64);
            if let Some(ir) = ir.filter(|&i| *r == i as f64) {
                format!("{ir}.0")
            } else {
                let out = ferrolite_engine::func::printf::format_sql(b"%!.20g", &[Value::Real(*r)], 1000).expect("format");
                String::from_utf8(out).expect("utf-8")
            }
        }
        Value::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        Value::Blob(b) => format!("X'{}'", b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}

/// Runs every statement of `script` through `conn`; returns the output lines (rows joined by ',' and errors
/// as "Error: msg").
pub fn run_ours(conn: &mut Connection, script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = script;
    while !rest.trim().is_empty() {
        match conn.prepare(rest) {
            Ok((Some(mut st), tail)) => {
                loop {
                    match st.step(conn) {
                        Ok(StepResult::Row) => out.push(st.row().iter().map(quote).collect::<Vec<_>>().join(",")),
                        Ok(StepResult::Done) => break,
                        Err(e) => {
                            out.push(format!("Error: {}", e.message));
                            break;
                        }
                    }
                }
                rest = &rest[tail..];
            }
            Ok((None, _)) => break,
            Err(e) => {
                out.push(format!("Error: {}", e.message));
                // Skip the statement: its parsed extent, or up to the next ';' when it does
                // not parse.
                match ferrolite_engine::sql::parse_one(rest) {
                    Ok(Some((_, tail))) => rest = &rest[tail..],
                    _ => match rest.find(';') {
                        Some(i) => rest = &rest[i + 1..],
                        None => break,
                    },
                }
            }
        }
    }
    out
}

pub fn run_sqlite(script: &str, db: &str) -> Vec<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("stdbuf -oL /usr/bin/sqlite3 '{db}' 2>&1"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sqlite3 runs");
    let mut input = String::from(".mode quote\n");
    input.push_str(script);
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write script");
    let out = child.wait_with_output().expect("sqlite3 output");
    let mut lines = Vec::new();
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        if l.starts_with("Parse error") || l.starts_with("Runtime error") || l.starts_with("Error:") {
            let msg = l.split_once(": ").map(|x| x.1).unwrap_or(l);
            let msg = msg.strip_prefix("in prepare, ").unwrap_or(msg);
            let msg = msg.strip_prefix("stepping, ").unwrap_or(msg);
            let msg = msg.rsplit_once(" (").map_or(msg, |x| x.0);
            lines.push(format!("Error: {msg}"));
        } else if l.starts_with("  ") {
            // Parse-error context lines.
        } else {
            lines.push(l.to_string());
        }
    }
    lines
}
