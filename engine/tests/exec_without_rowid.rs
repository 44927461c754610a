//! WITHOUT ROWID tables, differentially against real SQLite (`/usr/bin/sqlite3`, `.mode
//! quote`): DDL and the schema rows it writes, every DML path with its constraint checks and
//! conflict resolutions, PRIMARY KEY seeks and secondary indexes, the pragmas that describe
//! such tables, and database files passed both ways with real SQLite's integrity_check.

use ferrolite_engine::{Connection, OpenFlags, StepResult, Value};

fn quote(v: &Value) -> String {
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

/// Runs every statement of `script`; returns the output lines (rows joined by ',' and errors
/// as "Error: msg").
fn run_ours(conn: &mut Connection, script: &str) -> Vec<String> {
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

fn run_sqlite(script: &str, db: &str) -> Vec<String> {
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

/// Runs `script` (one statement per line, so that an error in the shell ends only its own
/// line) through both engines, each on a fresh in-memory database, and compares the output.
fn check(script: &str) {
    let mut conn = Connection::open(":memory:", OpenFlags::default()).expect("open");
    let ours = run_ours(&mut conn, script);
    let theirs = run_sqlite(script, ":memory:");
    assert_eq!(ours, theirs, "script:\n{script}");
}

#[test]
fn basic_dml_and_rowid_refused() {
    // WITHOUT ROWID was refused outright; the basic life cycle must now match SQLite.
    check(
        "CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO kv VALUES('b',2),('a',1),('c',3);
SELECT * FROM kv;
SELECT v FROM kv WHERE k='b';
INSERT INTO kv VALUES('a',9);
INSERT OR REPLACE INTO kv VALUES('a',10);
SELECT * FROM kv;
UPDATE kv SET v=v+1 WHERE k>'a';
SELECT * FROM kv;
UPDATE kv SET k='z' WHERE k='a';
SELECT * FROM kv;
DELETE FROM kv WHERE k='b';
SELECT * FROM kv;
SELECT changes(), total_changes();
SELECT rowid FROM kv;
SELECT _rowid_ FROM kv;
INSERT INTO kv(rowid, k) VALUES(1, 'q');",
    );
}
