//! Reads SQL statements separated by NUL bytes on stdin and prints one verdict per line:
//! `OK <tail>` or `ERR <offset> <message>`. Used by the differential test against real SQLite
//! (engine/tests/sql_differential.py) and for trying the parser by hand:
//! `printf 'SELECT 1 +' | cargo run -p ferrolite-engine --example parse`.
//! With `--print`, accepted statements are printed back through the AST printer instead.

use std::io::{Read, Write};

fn main() {
    let print = std::env::args().any(|a| a == "--print");
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).expect("read stdin");
    let input = String::from_utf8_lossy(&input);
    let out = std::io::stdout();
    let mut out = out.lock();
    for sql in input.split('\0') {
        if sql.trim().is_empty() && !input.contains('\0') && sql.is_empty() {
            continue;
        }
        match ferrolite_engine::sql::parse_one(sql) {
            Ok(Some((stmt, tail))) => {
                if print {
                    writeln!(out, "{stmt}").expect("write");
                } else {
                    writeln!(out, "OK {tail}").expect("write");
                }
            }
            Ok(None) => writeln!(out, "OK -").expect("write"),
            Err(e) => {
                let msg = e.message.replace('\n', "\\n");
                writeln!(out, "ERR {} {}", e.offset, msg).expect("write")
            }
        }
    }
}
