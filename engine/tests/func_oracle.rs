//! Shared by the `func_*` differential tests: runs queries through real SQLite (python3's
//! `sqlite3` module, which links the system libsqlite3 3.40.1) in one child process, and
//! renders values in one tagged form so both sides compare as strings.
//!
//! Protocol: one hex-encoded SQL query per line in; one line out per query: `N`, `I <int>`,
//! `R <f64 bits hex>`, `T <hex>`, `B <hex>`, or `E <message>`.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use ferrolite_engine::Value;

const SCRIPT: &str = r#"
import sqlite3, sys, struct
c = sqlite3.connect(":memory:")
c.text_factory = lambda b: ("T", b)
out = []
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    sql = bytes.fromhex(line).decode("utf-8", "surrogateescape")
    try:
        rows = c.execute(sql).fetchall()
        v = rows[0][0] if rows else None
        if v is None: out.append("N")
        elif isinstance(v, tuple): out.append("T " + v[1].hex())
        elif isinstance(v, int): out.append("I %d" % v)
        elif isinstance(v, float): out.append("R " + struct.pack(">d", v).hex())
        else: out.append("B " + bytes(v).hex())
    except Exception as e:
        out.append("E " + str(e))
print("\n".join(out))
"#;

/// Runs every query through real SQLite; None (with a notice) when python3 or its sqlite3
/// module is missing.
pub fn oracle(queries: &[String]) -> Option<Vec<String>> {
    oracle_with_env(queries, &[])
}

/// [`oracle`] with extra environment variables for the child (e.g. `TZ`).
pub fn oracle_with_env(queries: &[String], env: &[(&str, &str)]) -> Option<Vec<String>> {
    let child = Command::new("python3")
        .args(["-c", SCRIPT])
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("NOTICE: python3 not available ({e}); differential test skipped");
            return None;
        }
    };
    let mut input = String::new();
    for q in queries {
        input.push_str(&hex(q.as_bytes()));
        input.push('\n');
    }
    if let Ok(path) = std::env::var("FUNC_ORACLE_INPUT") {
        std::fs::write(path, &input).expect("keep the oracle's input");
    }
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        stdin.write_all(input.as_bytes()).expect("write queries");
    });
    let output = child.wait_with_output().expect("python3 runs");
    writer.join().expect("writer thread");
    if !output.status.success() {
        eprintln!("NOTICE: oracle failed ({}); differential test skipped", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let lines: Vec<String> = String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect();
    if lines.len() != queries.len() {
        let at = lines.len().min(queries.len() - 1);
        panic!("oracle gave {} answers for {} queries; stopped near {:?}; stderr: {}", lines.len(), queries.len(), queries[at], String::from_utf8_lossy(&output.stderr));
    }
    Some(lines)
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The tagged form of one of our results.
pub fn tag(v: &Result<Value, ferrolite_engine::Error>) -> String {
    match v {
        Err(e) => format!("E {}", e.message),
        Ok(Value::Null) => "N".into(),
        Ok(Value::Integer(i)) => format!("I {i}"),
        Ok(Value::Real(r)) => format!("R {}", hex(&r.to_bits().to_be_bytes())),
        Ok(Value::Text(t)) => format!("T {}", hex(t)),
        Ok(Value::Blob(b)) => format!("B {}", hex(b)),
    }
}

/// A SQL literal that real SQLite reads back as exactly `v`.
pub fn lit(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) if *i == i64::MIN => "(-9223372036854775807-1)".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) if r.is_infinite() => if *r > 0.0 { "1e999".into() } else { "-1e999".into() },
        Value::Real(r) if *r == 0.0 && r.is_sign_negative() => "(-0.0)".into(),
        Value::Real(r) => {
            let s = format!("{r:e}");
            if r.is_sign_negative() { format!("({s})") } else { s }
        }
        Value::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        Value::Blob(b) => format!("X'{}'", hex(b)),
    }
}

/// Compares and reports; returns (matches, mismatches) and prints the first mismatches.
pub fn compare(label: &str, queries: &[String], ours: &[String], theirs: &[String]) -> (usize, usize) {
    let mut bad = 0;
    let mut dump = String::new();
    for ((q, a), b) in queries.iter().zip(ours).zip(theirs) {
        if a != b {
            bad += 1;
            dump.push_str(&format!("{q}\n   ours:   {a}\n   sqlite: {b}\n"));
            if bad <= 40 {
                eprintln!("MISMATCH {label}: {q}\n   ours:   {a}\n   sqlite: {b}");
            }
        }
    }
    // FUNC_DIFF_DUMP=<file> keeps every mismatch for study.
    if let Ok(path) = std::env::var("FUNC_DIFF_DUMP") {
        std::fs::write(path, dump).expect("write the mismatch dump");
    }
    let good = queries.len() - bad;
    eprintln!("{label}: {good} of {} agree with SQLite", queries.len());
    (good, bad)
}
