//! Shared pieces of the fuzz targets: running SQL with an opcode budget, and the small valid
//! database image the `btree_page` target damages.
//!
//! Invariants:
//! 1. Nothing here panics on an engine error: errors are answers; only the engine's own panics
//!    (and hangs, which libFuzzer reports as timeouts) are findings.
//! 2. Every statement runs under a progress handler that interrupts it after `OPCODE_BUDGET`
//!    opcodes, and every script stops after `MAX_STATEMENTS` statements and `MAX_ROWS` rows, so
//!    a recursive CTE or a cross join of a damaged tree cannot run for ever.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use ferrolite_engine::connection::{Connection, OpenFlags, StepResult};
use ferrolite_engine::vfs::sim::SimVfs;
use ferrolite_engine::vfs::Vfs;

/// Opcodes one statement may run before it is interrupted.
pub const OPCODE_BUDGET: u64 = 200_000;
/// Statements of one script that are run.
pub const MAX_STATEMENTS: usize = 16;
/// Rows read from one statement.
pub const MAX_ROWS: usize = 2_000;

/// Installs the opcode budget on `conn`; the returned counter is reset per statement.
pub fn install_budget(conn: &mut Connection) -> Arc<AtomicU64> {
    let ops = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&ops);
    const PERIOD: u32 = 100;
    conn.hooks_mut().progress = Some((
        PERIOD,
        Box::new(move || seen.fetch_add(PERIOD as u64, Ordering::Relaxed) >= OPCODE_BUDGET),
    ));
    ops
}

/// Runs every statement of `sql` (up to the limits), ignoring errors; a statement that fails to
/// compile ends the script when its tail is unknown.
pub fn run_script(conn: &mut Connection, budget: &AtomicU64, sql: &str) {
    let mut rest = sql;
    for _ in 0..MAX_STATEMENTS {
        let (stmt, tail) = match conn.prepare(rest) {
            Ok(x) => x,
            Err(_) => {
                // As the sqlite3 shell does: skip to the next semicolon and go on.
                match rest.find(';') {
                    Some(i) => {
                        rest = &rest[i + 1..];
                        continue;
                    }
                    None => return,
                }
            }
        };
        assert!(tail <= rest.len() && rest.is_char_boundary(tail), "prepare's tail {tail} is not a boundary of its input");
        let Some(mut stmt) = stmt else { return };
        budget.store(0, Ordering::Relaxed);
        for _ in 0..MAX_ROWS {
            match stmt.step(conn) {
                Ok(StepResult::Row) => {
                    for v in stmt.row() {
                        std::hint::black_box(v);
                    }
                }
                Ok(StepResult::Done) | Err(_) => break,
            }
        }
        stmt.reset_with(conn);
        if tail == 0 {
            return;
        }
        rest = &rest[tail..];
    }
}

/// A small valid database (512-byte pages: a table with an index, overflow chains, a freed
/// page on the freelist) as a file image, built once with the engine itself.
pub fn base_image() -> &'static [u8] {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let vfs = SimVfs::new();
        let v: Arc<dyn Vfs> = Arc::new(vfs.clone());
        let mut conn = Connection::open_with_vfs("db", OpenFlags::default(), v).expect("open the seed database");
        let budget = install_budget(&mut conn);
        let setup = "PRAGMA page_size=512;\
            CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB);\
            CREATE INDEX tb ON t(b);\
            CREATE TABLE w(x, y) ;\
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<30)\
              INSERT INTO t SELECT i, printf('row %d %.*c', i, i*3, 'x'), CASE WHEN i%7=0 THEN zeroblob(700+i) END FROM n;\
            INSERT INTO w VALUES (1,'one'),(2.5,x'0102'),(NULL,3);\
            CREATE TABLE gone(z); INSERT INTO gone VALUES (randomblob(600)); DROP TABLE gone;";
        run_script(&mut conn, &budget, setup);
        drop(conn);
        vfs.file_bytes("db").expect("the seed database exists")
    })
}

/// Opens `image` as a database in a fresh simulation VFS.
pub fn open_image(image: &[u8]) -> Option<(SimVfs, Connection)> {
    let vfs = SimVfs::new();
    {
        let mut f = vfs.open(Some("db"), ferrolite_engine::vfs::OpenOptions::main_db(false, true)).ok()?;
        f.write_at(image, 0).ok()?;
    }
    let v: Arc<dyn Vfs> = Arc::new(vfs.clone());
    let conn = Connection::open_with_vfs("db", OpenFlags { create: false, ..OpenFlags::default() }, v).ok()?;
    Some((vfs, conn))
}
