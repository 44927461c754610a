//! WAL mode against real SQLite (the `sqlite3` shell and python3's sqlite3 module as child
//! processes): files both ways, un-checkpointed frames after a SIGKILL, concurrent writers in
//! two processes, and crash recovery of our own commits.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use ferrolite_engine::btree::{Btree, TreeKind};
use ferrolite_engine::pager::header::META_SCHEMA_VERSION;
use ferrolite_engine::pager::{JournalMode, PagerOptions};
use ferrolite_engine::record::{RecordBuilder, RecordReader, ValueRef};
use ferrolite_engine::vfs::unix::UnixVfs;
use ferrolite_engine::vfs::Vfs;
use ferrolite_engine::wal::CheckpointMode;
use ferrolite_engine::Value;

mod common;
use common::{tmpdir, sqlite};

fn have_sqlite() -> bool {
    common::have_sqlite() && common::have_python_sqlite()
}

fn python(script: &str) -> std::process::Output {
    let out = Command::new("python3").arg("-c").arg(script).output().unwrap();
    assert!(out.status.success(), "python failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn open(db: &std::path::Path) -> Btree {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    Btree::open(vfs, db.to_str().unwrap(), PagerOptions { create: true, ..Default::default() }).unwrap()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// name -> rootpage from sqlite_schema.
fn schema(bt: &mut Btree) -> BTreeMap<String, u32> {
    let mut m = BTreeMap::new();
    let mut c = bt.cursor(1, TreeKind::Table, false, None);
    let mut r = RecordReader::new();
    let mut ok = c.first(bt).unwrap();
    while ok {
        let p = c.payload(bt).unwrap().to_vec();
        r.parse(&p).unwrap();
        let name = match r.column(&p, 1).unwrap() {
            ValueRef::Text(t) => String::from_utf8(t.to_vec()).unwrap(),
            _ => panic!("schema name"),
        };
        let root = match r.column(&p, 3).unwrap() {
            ValueRef::Integer(i) => i as u32,
            _ => 0,
        };
        m.insert(name, root);
        ok = c.next(bt).unwrap();
    }
    m
}

/// `rowid|hex(a)|hex(b)` lines of a two-column table of integers/text/blobs.
fn table_lines(bt: &mut Btree, root: u32) -> String {
    let mut out = String::new();
    let mut c = bt.cursor(root, TreeKind::Table, false, None);
    let mut r = RecordReader::new();
    let mut ok = c.first(bt).unwrap();
    while ok {
        let rowid = c.rowid(bt).unwrap();
        let p = c.payload(bt).unwrap();
        r.parse(p).unwrap();
        let cols: Vec<String> = (0..2)
            .map(|i| match r.column(p, i).unwrap() {
                ValueRef::Null => String::new(),
                ValueRef::Integer(v) => hex(v.to_string().as_bytes()),
                ValueRef::Text(t) | ValueRef::Blob(t) => hex(t),
                ValueRef::Real(x) => hex(x.to_string().as_bytes()),
            })
            .collect();
        out.push_str(&format!("{rowid}|{}\n", cols.join("|")));
        ok = c.next(bt).unwrap();
    }
    out
}

const SELECT_T: &str = "select rowid, hex(a), hex(b) from t order by rowid";

fn write_schema_row(bt: &mut Btree, rowid: i64, name: &str, root: u32, sql: &str) {
    let rec = RecordBuilder::new().build(&[
        Value::text("table"),
        Value::text(name),
        Value::text(name),
        Value::Integer(root as i64),
        Value::text(sql),
    ]);
    let mut c = bt.cursor(1, TreeKind::Table, true, None);
    c.insert(bt, rowid, &rec).unwrap();
}

/// Creates table t(a, b) through the b-tree API; returns its root page.
fn create_t(bt: &mut Btree) -> u32 {
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    write_schema_row(bt, 1, "t", root, "CREATE TABLE t(a, b)");
    let v = bt.get_meta(META_SCHEMA_VERSION).unwrap();
    bt.set_meta(META_SCHEMA_VERSION, v + 1).unwrap();
    bt.commit().unwrap();
    bt.end_read().unwrap();
    root
}

fn insert_rows(bt: &mut Btree, root: u32, rows: std::ops::Range<i64>) {
    let mut b = RecordBuilder::new();
    let mut c = bt.cursor(root, TreeKind::Table, true, None);
    for i in rows {
        let rec = b.build(&[Value::Integer(i * 7), Value::text(&format!("{}{}", "w".repeat((i % 300) as usize), i))]);
        c.insert(bt, i, &rec).unwrap();
    }
}

#[test]
fn sqlite_wal_files_with_unchecked_frames_after_sigkill_read_back_identically() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("read");
    let db = d.join("r.db");
    // A python process writes in WAL mode with auto-checkpoint off, then SIGKILLs itself:
    // the committed frames stay in the -wal only, and the -shm is stale.
    let script = format!(
        "import sqlite3, os, signal
c = sqlite3.connect({:?}, isolation_level=None)
c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')
c.execute('create table t(a, b)')
for k in range(40):
    c.execute('begin')
    c.executemany('insert into t values(?, ?)', [(k*100+i, 'v'*((k*100+i)%500) + str(i)) for i in range(100)])
    c.execute('commit')
c.execute('delete from t where a % 13 = 0')
c.execute('update t set b = randomblob(50) where a % 17 = 0')
c.execute('begin'); c.execute('insert into t values(-1, -1)')  # never committed
os.kill(os.getpid(), signal.SIGKILL)",
        db.to_str().unwrap()
    );
    let st = Command::new("python3").arg("-c").arg(&script).status().unwrap();
    assert!(!st.success(), "the child was killed");
    assert!(std::fs::metadata(d.join("r.db-wal")).unwrap().len() > 100_000, "frames left in the WAL");
    // The oracle reads a copy, so the original is first opened by us (recovery from the WAL).
    let copy = tmpdir("read-copy");
    for suffix in ["", "-wal"] {
        std::fs::copy(d.join(format!("r.db{suffix}")), copy.join(format!("r.db{suffix}"))).unwrap();
    }
    let want = sqlite(&copy.join("r.db"), SELECT_T);
    assert!(want.lines().count() > 3000);

    let mut bt = open(&db);
    bt.begin_read().unwrap();
    assert_eq!(bt.pager().journal_mode(), JournalMode::Wal);
    assert!(bt.pager().wal_frames() > 0);
    let s = schema(&mut bt);
    let mut got = String::new();
    // Same text as the oracle's: hex of the integer's decimal text vs hex(a) of an integer.
    for line in table_lines(&mut bt, s["t"]).lines() {
        let mut parts = line.split('|');
        let rowid = parts.next().unwrap();
        let a = parts.next().unwrap();
        let b = parts.next().unwrap();
        got.push_str(&format!("{rowid}|{a}|{b}\n"));
    }
    assert_eq!(got, want);
    bt.end_read().unwrap();
    drop(bt);
    // The last connection checkpointed and removed the -wal and -shm files.
    assert!(!d.join("r.db-wal").exists());
    assert!(!d.join("r.db-shm").exists());
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&db, SELECT_T), want);
    assert_eq!(sqlite(&db, "pragma journal_mode"), "wal\n");
}

#[test]
fn files_we_write_in_wal_mode_pass_integrity_check_while_open_and_after_checkpoint() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("write");
    let db = d.join("w.db");
    let mut bt = open(&db);
    assert_eq!(bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap(), JournalMode::Wal);
    let root = create_t(&mut bt);
    for k in 0..30 {
        bt.begin_write().unwrap();
        insert_rows(&mut bt, root, k * 50..(k + 1) * 50);
        bt.commit().unwrap();
        bt.end_read().unwrap();
    }
    // A rolled-back transaction leaves no trace.
    bt.begin_write().unwrap();
    insert_rows(&mut bt, root, 10_000..10_100);
    bt.rollback().unwrap();
    bt.end_read().unwrap();
    assert!(d.join("w.db-wal").exists() && d.join("w.db-shm").exists());
    let expected: String = (0..1500i64)
        .map(|i| format!("{i}|{}|{}\n", hex((i * 7).to_string().as_bytes()), hex(format!("{}{}", "w".repeat((i % 300) as usize), i).as_bytes())))
        .collect();
    // Real SQLite reads our WAL through our live WAL-index (we are still connected).
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&db, "select rowid, hex(a), hex(b) from t order by rowid"), expected);
    assert_eq!(sqlite(&db, "pragma journal_mode"), "wal\n");
    // Its checkpoint, then ours (TRUNCATE), then our close.
    assert_eq!(sqlite(&db, "pragma wal_checkpoint(passive)").split('|').next().unwrap(), "0");
    let r = bt.pager_mut().wal_checkpoint(CheckpointMode::Truncate).unwrap().unwrap();
    assert!(!r.busy);
    assert_eq!((r.log_frames, r.checkpointed), (0, 0));
    assert_eq!(std::fs::metadata(d.join("w.db-wal")).unwrap().len(), 0);
    bt.begin_write().unwrap();
    insert_rows(&mut bt, root, 1500..1600);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    drop(bt);
    assert!(!d.join("w.db-wal").exists());
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&db, "select count(*), sum(a) from t"), format!("1600|{}\n", (0..1600i64).map(|i| i * 7).sum::<i64>()));
    // And back to a rollback journal: header bytes 18/19 return to 1.
    let mut bt = open(&db);
    assert_eq!(bt.pager_mut().set_journal_mode(JournalMode::Delete).unwrap(), JournalMode::Delete);
    drop(bt);
    let bytes = std::fs::read(&db).unwrap();
    assert_eq!((bytes[18], bytes[19]), (1, 1));
    assert_eq!(sqlite(&db, "pragma journal_mode"), "delete\n");
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
}

#[test]
fn autocheckpoint_keeps_the_wal_bounded_and_restarts_it() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("autockpt");
    let db = d.join("a.db");
    let mut bt = open(&db);
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    bt.pager_mut().set_wal_autocheckpoint(100);
    let root = create_t(&mut bt);
    for k in 0..200 {
        bt.begin_write().unwrap();
        insert_rows(&mut bt, root, k * 20..(k + 1) * 20);
        bt.commit().unwrap();
        bt.end_read().unwrap();
    }
    // With checkpoints every ~100 frames and restarts, the WAL never holds much more.
    let wal_len = std::fs::metadata(d.join("a.db-wal")).unwrap().len();
    assert!(wal_len < 200 * 4120, "WAL of {wal_len} bytes was not restarted");
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&db, "select count(*) from t"), "4000\n");
    drop(bt);
}

/// Our writer retries BUSY (another process holds WRITE) and BUSY_SNAPSHOT (our snapshot is
/// stale) the way a busy handler would.
fn insert_with_retry(bt: &mut Btree, root: u32, rows: std::ops::Range<i64>) {
    for attempt in 0..20_000 {
        let r = bt.begin_write();
        match r {
            Ok(()) => {
                insert_rows(bt, root, rows.clone());
                bt.commit().unwrap();
                bt.end_read().unwrap();
                return;
            }
            Err(e) if e.primary() == ferrolite_engine::error::code::BUSY => {
                bt.end_read().unwrap();
                std::thread::sleep(std::time::Duration::from_micros(200 + (attempt % 10) * 100));
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    panic!("could not write");
}

#[test]
fn concurrent_writers_in_two_processes_lose_no_write() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("concurrent");
    let db = d.join("c.db");
    sqlite(&db, "pragma journal_mode=wal; create table t(a, b);");
    let mut bt = open(&db);
    bt.begin_read().unwrap();
    let root = schema(&mut bt)["t"];
    bt.end_read().unwrap();
    let script = format!(
        "import sqlite3
c = sqlite3.connect({:?}, isolation_level=None, timeout=30)
for k in range(300):
    c.execute('begin immediate')
    c.execute('insert into t(rowid, a, b) values(?, ?, ?)', (-k - 1, -k - 1, 'py'))
    c.execute('commit')
    if k % 50 == 0: c.execute('pragma wal_checkpoint(passive)')
print(c.execute('select count(*) from t').fetchone()[0])",
        db.to_str().unwrap()
    );
    let child = Command::new("python3").arg("-c").arg(&script).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    for k in 0..300i64 {
        insert_with_retry(&mut bt, root, 1_000_000 + k..1_000_000 + k + 1);
        if k % 60 == 0 {
            // SQLITE_BUSY when python's checkpoint holds the CKPT lock: skipped, as SQLite does.
            match bt.pager_mut().wal_checkpoint(CheckpointMode::Passive) {
                Ok(_) => {}
                Err(e) => assert_eq!(e.primary(), ferrolite_engine::error::code::BUSY, "{e:?}"),
            }
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python: {}", String::from_utf8_lossy(&out.stderr));
    bt.begin_read().unwrap();
    let lines = table_lines(&mut bt, root);
    bt.end_read().unwrap();
    assert_eq!(lines.lines().count(), 600, "every write of both processes is there");
    assert_eq!(sqlite(&db, "select count(*), sum(a < 0), sum(a > 0) from t"), "600|300|300\n");
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    drop(bt);
    assert_eq!(sqlite(&db, "select count(*) from t"), "600\n");
}

/// Child mode of the crash test: commits batches forever, printing each committed count.
fn crash_child(path: &str) {
    let mut bt = open(std::path::Path::new(path));
    bt.begin_read().unwrap();
    let root = schema(&mut bt)["t"];
    bt.end_read().unwrap();
    if std::env::var("FERROLITE_WAL_CRASH_SPILL").is_ok() {
        // A tiny cache: every commit spills uncommitted frames first.
        bt.pager_mut().set_cache_size(3);
    }
    let mut n = 0i64;
    loop {
        bt.begin_write().unwrap();
        insert_rows(&mut bt, root, n..n + 37);
        bt.commit().unwrap();
        bt.end_read().unwrap();
        n += 37;
        println!("{n}");
    }
}

#[test]
fn sigkill_mid_commit_recovers_the_last_or_previous_commit() {
    if let Ok(path) = std::env::var("FERROLITE_WAL_CRASH_CHILD") {
        crash_child(&path);
        return;
    }
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("crash");
    for round in 0..6u64 {
        let db = d.join(format!("k{round}.db"));
        {
            let mut bt = open(&db);
            bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
            create_t(&mut bt);
            // Closing checkpoints; the header still says WAL, so the child starts a new WAL.
        }
        let exe = std::env::current_exe().unwrap();
        let mut child = Command::new(exe)
            .args(["--exact", "sigkill_mid_commit_recovers_the_last_or_previous_commit", "--nocapture", "--test-threads=1"])
            .env("FERROLITE_WAL_CRASH_CHILD", db.to_str().unwrap())
            .env(if round >= 3 { "FERROLITE_WAL_CRASH_SPILL" } else { "FERROLITE_WAL_CRASH_NO_SPILL" }, "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut last = 0i64;
        let target = 20 + round as i64 * 13;
        let mut line = String::new();
        let mut seen = 0;
        while seen < target {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if let Ok(n) = line.trim().parse::<i64>() {
                last = n;
                seen += 1;
            }
        }
        std::thread::sleep(std::time::Duration::from_micros(300 * round));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever else the pipe holds was committed too.
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut reader, &mut rest);
        for l in rest.lines() {
            if let Ok(n) = l.trim().parse::<i64>() {
                last = n;
            }
        }
        assert!(last > 0);
        assert!(std::fs::metadata(format!("{}-wal", db.to_str().unwrap())).unwrap().len() > 0);
        if round % 2 == 1 {
            // Real SQLite first: its recovery must accept our frames (salts, checksums).
            let n: i64 = sqlite(&db, "select count(*) from t").trim().parse().unwrap();
            assert!(n == last || n == last + 37, "round {round}: sqlite sees {n} rows, last printed commit {last}");
            assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
        }
        let mut bt = open(&db);
        bt.begin_read().unwrap();
        let root = schema(&mut bt)["t"];
        let n = table_lines(&mut bt, root).lines().count() as i64;
        bt.end_read().unwrap();
        assert!(n == last || n == last + 37, "round {round}: {n} rows, last printed commit {last}");
        drop(bt);
        assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
        assert_eq!(sqlite(&db, "select count(*) from t"), format!("{n}\n"));
    }
}

#[test]
fn python_reader_sees_our_commits_and_we_see_its() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("pingpong");
    let db = d.join("p.db");
    let mut bt = open(&db);
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    let root = create_t(&mut bt);
    bt.begin_write().unwrap();
    insert_rows(&mut bt, root, 0..10);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    let out = python(&format!(
        "import sqlite3
c = sqlite3.connect({:?}, isolation_level=None)
print(c.execute('select count(*) from t').fetchone()[0])
c.execute('insert into t values(100, 200)')
print(c.execute('pragma journal_mode').fetchone()[0])",
        db.to_str().unwrap()
    ));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "10\nwal\n");
    // python closed its connection but ours keeps the WAL alive; we see its row.
    bt.begin_read().unwrap();
    let lines = table_lines(&mut bt, root);
    bt.end_read().unwrap();
    assert_eq!(lines.lines().count(), 11);
    assert!(lines.ends_with(&format!("10|{}|{}\n", hex(b"100"), hex(b"200"))), "{lines}");
}

#[test]
fn read_only_connection_reads_a_wal_database_with_and_without_a_wal_file() {
    // A read-only open of a WAL database must see committed frames and work with no -wal.
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("readonly");
    let db = d.join("ro.db");
    sqlite(&db, "pragma journal_mode=wal; create table t(a, b); insert into t values(1, 'one');");
    assert!(!d.join("ro.db-wal").exists());
    let ro = |db: &std::path::Path| {
        let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
        Btree::open(vfs, db.to_str().unwrap(), PagerOptions { read_only: true, ..Default::default() }).unwrap()
    };
    let mut bt = ro(&db);
    bt.begin_read().unwrap();
    let root = schema(&mut bt)["t"];
    assert_eq!(bt.count(root).unwrap(), 1);
    bt.end_read().unwrap();
    // Frames left by a killed writer are read through recovery by the read-only connection.
    drop(bt);
    let st = Command::new("python3").arg("-c").arg(format!(
        "import sqlite3, os, signal
c = sqlite3.connect({:?}, isolation_level=None)
c.execute('pragma wal_autocheckpoint=0')
c.execute('insert into t values(2, \"two\")')
os.kill(os.getpid(), signal.SIGKILL)",
        db.to_str().unwrap()
    )).status().unwrap();
    assert!(!st.success());
    let mut bt = ro(&db);
    bt.begin_read().unwrap();
    assert_eq!(bt.count(root).unwrap(), 2);
    bt.end_read().unwrap();
    assert_eq!(bt.begin_write().unwrap_err().primary(), ferrolite_engine::error::code::READONLY);
    drop(bt);
    assert_eq!(sqlite(&db, "select count(*) from t"), "2\n");
}

/// Child mode: 300 single-row commits with rowids base+1..base+300, retrying on BUSY.
fn writer_child(spec: &str) {
    let (path, base) = spec.split_once('@').unwrap();
    let base: i64 = base.parse().unwrap();
    let mut bt = open(std::path::Path::new(path));
    // A reader can meet SQLITE_BUSY too (another process attaching to the -shm, or holding
    // PENDING while it checks whether it is the last connection): retry as a busy handler.
    let mut tries = 0;
    while let Err(e) = bt.begin_read() {
        assert_eq!(e.primary(), ferrolite_engine::error::code::BUSY, "{e:?}");
        tries += 1;
        assert!(tries < 10_000, "reader starved");
        std::thread::sleep(std::time::Duration::from_micros(500));
    }
    let root = schema(&mut bt)["t"];
    bt.end_read().unwrap();
    for k in 1..=300 {
        insert_with_retry(&mut bt, root, base + k..base + k + 1);
        if k % 77 == 0 {
            let _ = bt.pager_mut().wal_checkpoint(CheckpointMode::Passive);
        }
    }
}

#[test]
fn our_processes_and_sqlite_write_concurrently_without_loss() {
    if let Ok(spec) = std::env::var("FERROLITE_WAL_WRITER_CHILD") {
        writer_child(&spec);
        return;
    }
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("multi");
    let db = d.join("m.db");
    sqlite(&db, "pragma journal_mode=wal; create table t(a, b);");
    let exe = std::env::current_exe().unwrap();
    let mut ours = Vec::new();
    for base in [1_000_000i64, 2_000_000] {
        ours.push(
            Command::new(&exe)
                .args(["--exact", "our_processes_and_sqlite_write_concurrently_without_loss", "--test-threads=1", "--nocapture"])
                .env("FERROLITE_WAL_WRITER_CHILD", format!("{}@{base}", db.to_str().unwrap()))
                .spawn()
                .unwrap(),
        );
    }
    let py = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3
c = sqlite3.connect({:?}, isolation_level=None, timeout=30)
for k in range(300):
    c.execute('insert into t(rowid, a, b) values(?, ?, ?)', (-k - 1, -k - 1, 'py' * (k % 50)))",
            db.to_str().unwrap()
        ))
        .status()
        .unwrap();
    assert!(py.success());
    for mut c in ours {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(
        sqlite(&db, "pragma integrity_check; select count(*), sum(rowid < 0), sum(rowid between 1000001 and 1000300), sum(rowid > 2000000) from t;"),
        "ok\n900|300|300|300\n"
    );
}

#[test]
fn immutable_ignores_the_wal_and_nolock_cannot_open_it() {
    // SQLite reads an immutable WAL database from its file alone, and refuses nolock=1 on one.
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("immutable");
    let db = d.join("im.db");
    let st = Command::new("python3").arg("-c").arg(format!(
        "import sqlite3, os, signal
c = sqlite3.connect({:?}, isolation_level=None)
c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')
c.execute('create table t(a, b)'); c.execute('pragma wal_checkpoint'); c.execute('insert into t values(1, 2)')
os.kill(os.getpid(), signal.SIGKILL)",
        db.to_str().unwrap()
    )).status().unwrap();
    assert!(!st.success());
    let want = sqlite(std::path::Path::new(&format!("file:{}?immutable=1", db.to_str().unwrap())), "select count(*) from t");
    assert_eq!(want, "0\n");
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    let mut bt = Btree::open(vfs.clone(), db.to_str().unwrap(), PagerOptions { immutable: true, ..Default::default() }).unwrap();
    bt.begin_read().unwrap();
    let root = schema(&mut bt)["t"];
    assert_eq!(bt.count(root).unwrap(), 0);
    assert_ne!(bt.pager().journal_mode(), JournalMode::Wal);
    bt.end_read().unwrap();
    let mut bt = Btree::open(vfs, db.to_str().unwrap(), PagerOptions { no_lock: true, ..Default::default() }).unwrap();
    assert_eq!(bt.begin_read().unwrap_err().code, ferrolite_engine::error::code::CANTOPEN);
}

#[test]
fn sqlite_cannot_leave_wal_mode_while_we_are_connected_and_can_after() {
    // Every WAL connection holds SHARED on the database file, so leaving WAL mode (which
    // needs EXCLUSIVE) waits for us, as it would for another SQLite connection.
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("leave");
    let db = d.join("l.db");
    sqlite(&db, "pragma journal_mode=wal; create table t(a, b); insert into t values(1, 2);");
    let mut bt = open(&db);
    bt.begin_read().unwrap();
    let root = schema(&mut bt)["t"];
    assert_eq!(bt.count(root).unwrap(), 1);
    bt.end_read().unwrap();
    let out = Command::new("sqlite3").arg(&db).arg("pragma journal_mode=delete").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("database is locked"), "{out:?}");
    drop(bt);
    assert_eq!(sqlite(&db, "pragma journal_mode=delete"), "delete\n");
    // Back in rollback mode: we read it as such.
    let mut bt = open(&db);
    bt.begin_read().unwrap();
    assert_eq!(bt.count(root).unwrap(), 1);
    assert_eq!(bt.pager().journal_mode(), JournalMode::Delete);
    bt.end_read().unwrap();
}

#[test]
fn page_sizes_512_and_65536_round_trip_through_the_wal() {
    // The WAL-index stores a 65536-byte page size as 1; both extremes must work both ways.
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("pagesizes");
    for ps in [512u32, 65536] {
        // Theirs, read by us while they are connected.
        let db = d.join(format!("theirs{ps}.db"));
        let mut child = Command::new("python3")
            .arg("-c")
            .arg(format!(
                "import sqlite3, sys
c = sqlite3.connect({:?}, isolation_level=None)
c.execute('pragma page_size={ps}'); c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')
c.execute('create table t(a, b)')
c.executemany('insert into t values(?, ?)', [(i, 'p' * (i % 700)) for i in range(3000)])
print('ready', flush=True)
sys.stdin.readline()",
                db.to_str().unwrap()
            ))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(line, "ready\n");
        let mut bt = open(&db);
        bt.begin_read().unwrap();
        assert_eq!(bt.pager().page_size(), ps);
        assert!(bt.pager().wal_frames() > 0);
        let root = schema(&mut bt)["t"];
        assert_eq!(bt.count(root).unwrap(), 3000);
        bt.end_read().unwrap();
        drop(bt);
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"go\n").unwrap();
        assert!(child.wait().unwrap().success());
        // Ours, read by sqlite3 while we are connected.
        let db = d.join(format!("ours{ps}.db"));
        let mut bt = open(&db);
        bt.pager_mut().set_page_size(ps, 0).unwrap();
        bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
        let root = create_t(&mut bt);
        bt.begin_write().unwrap();
        insert_rows(&mut bt, root, 0..3000);
        bt.commit().unwrap();
        bt.end_read().unwrap();
        assert_eq!(sqlite(&db, "pragma page_size; pragma integrity_check; select count(*) from t;"), format!("{ps}\nok\n3000\n"));
        drop(bt);
        assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t;"), "ok\n3000\n");
    }
}
