//! Reads SQL statements separated by NUL bytes on stdin and prints one verdict per line:
//! `OK <tail>` or `ERR <offset> <message>`. Used by the differential test against real SQLite
//! (engine/tests/sql_differential.py) and for trying the parser by hand:
//! `printf 'SELECT 1 +' | cargo run -p ferrolite-engine --example parse`.
//! With `--print`, accepted statements are printed back through the AST printer instead.
//! With `--bench N`, each statement is parsed N times and the rate is printed.
//! With `--spans`, accepted SELECTs print their first core's result-column texts (the source
//! span of each unaliased expression, `-` for other columns), separated by tabs.

use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let print = args.iter().any(|a| a == "--print");
    let spans = args.iter().any(|a| a == "--spans");
    let bench: Option<usize> =
        args.iter().position(|a| a == "--bench").and_then(|i| args.get(i + 1)?.parse().ok());
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).expect("read stdin");
    let input = String::from_utf8_lossy(&input);
    let stmts: Vec<&str> = input.split('\0').collect();
    if let Some(n) = bench {
        let t = std::time::Instant::now();
        let mut ok = 0usize;
        for _ in 0..n {
            for s in &stmts {
                if ferrolite_engine::sql::parse_one(s).is_ok() {
                    ok += 1;
                }
            }
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{} parses ({ok} ok) in {secs:.3}s: {:.0}/s",
            n * stmts.len(),
            (n * stmts.len()) as f64 / secs
        );
        return;
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    for sql in stmts {
        let line = match ferrolite_engine::sql::parse_one(sql) {
            Ok(Some((stmt, tail))) => {
                if spans {
                    column_spans(sql, &stmt)
                } else if print {
                    stmt.to_string()
                } else {
                    format!("OK {tail}")
                }
            }
            Ok(None) => "OK -".to_string(),
            Err(e) => format!("ERR {} {}", e.offset, e.message.replace('\n', "\\n")),
        };
        // A closed pipe ends the output quietly.
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
}

/// The source text of each unaliased result expression of a SELECT's first core.
fn column_spans(sql: &str, stmt: &ferrolite_engine::sql::ast::Stmt) -> String {
    use ferrolite_engine::sql::ast::{ResultColumn, SelectCore, Stmt};
    let Stmt::Select(s) = stmt else { return "-".into() };
    let SelectCore::Select(q) = &s.body.first else { return "-".into() };
    let cols: Vec<&str> = q
        .columns
        .iter()
        .map(|c| match c {
            ResultColumn::Expr { alias: None, span, .. } => span.text(sql),
            _ => "-",
        })
        .collect();
    cols.join("\t").replace('\n', "\\n")
}
