//! Fuzz target: arbitrary bytes as SQL text run on a fresh `:memory:` connection (a table
//! with rows exists first, so reads find something); at most `MAX_STATEMENTS` statements,
//! each under an opcode budget. Errors are answers; a panic or hang is a bug.
#![no_main]

use ferrolite_engine::connection::{Connection, OpenFlags};
use ferrolite_fuzz::{install_budget, run_script};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(mut conn) = Connection::open(":memory:", OpenFlags::default()) else { return };
    let budget = install_budget(&mut conn);
    run_script(
        &mut conn,
        &budget,
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c); CREATE INDEX tb ON t(b, c);\
         INSERT INTO t VALUES (1,'one',1.5),(2,'two',x'00ff'),(3,NULL,'3'),(4,'four',NULL);",
    );
    run_script(&mut conn, &budget, &text);
});
