//! WAL snapshots and locks between connections: two of ours in one process (the per-inode
//! shared-memory bookkeeping), a long-lived python reader whose read mark must hold our
//! checkpoints back, and WAL-index hash tables past the first 32 KiB region both ways.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;

use ferrolite_engine::btree::{Btree, TreeKind};
use ferrolite_engine::error::code;
use ferrolite_engine::pager::header::META_SCHEMA_VERSION;
use ferrolite_engine::pager::{JournalMode, PagerOptions};
use ferrolite_engine::record::RecordBuilder;
use ferrolite_engine::vfs::unix::UnixVfs;
use ferrolite_engine::vfs::{ioerr, Vfs};
use ferrolite_engine::wal::CheckpointMode;
use ferrolite_engine::Value;

mod common;
use common::{have_sqlite, tmpdir, sqlite};

fn open(db: &std::path::Path) -> Btree {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    Btree::open(vfs, db.to_str().unwrap(), PagerOptions { create: true, ..Default::default() }).unwrap()
}

/// Table t(a, b) at root 2, made through the b-tree API.
fn create_t(bt: &mut Btree) -> u32 {
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    let rec = RecordBuilder::new().build(&[
        Value::text("table"),
        Value::text("t"),
        Value::text("t"),
        Value::Integer(root as i64),
        Value::text("CREATE TABLE t(a, b)"),
    ]);
    let mut c = bt.cursor(1, TreeKind::Table, true, None);
    c.insert(bt, 1, &rec).unwrap();
    bt.set_meta(META_SCHEMA_VERSION, 1).unwrap();
    bt.commit().unwrap();
    bt.end_read().unwrap();
    root
}

fn insert(bt: &mut Btree, root: u32, rows: std::ops::Range<i64>, blob: usize) {
    let mut b = RecordBuilder::new();
    let mut c = bt.cursor(root, TreeKind::Table, true, None);
    for i in rows {
        let rec = b.build(&[Value::Integer(i), Value::Blob(vec![(i % 251) as u8; blob])]);
        c.insert(bt, i, &rec).unwrap();
    }
}

fn count(bt: &mut Btree, root: u32) -> u64 {
    bt.count(root).unwrap()
}

#[test]
fn two_connections_in_one_process_share_the_wal_index() {
    let d = tmpdir("inproc");
    let db = d.join("i.db");
    let mut a = open(&db);
    a.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    let root = create_t(&mut a);
    let mut b = open(&db);
    a.begin_write().unwrap();
    insert(&mut a, root, 0..100, 100);
    a.commit().unwrap();
    a.end_read().unwrap();
    // B sees A's commit, and keeps its snapshot while A commits more.
    b.begin_read().unwrap();
    assert_eq!(count(&mut b, root), 100);
    a.begin_write().unwrap();
    insert(&mut a, root, 100..300, 100);
    a.commit().unwrap();
    a.end_read().unwrap();
    assert_eq!(count(&mut b, root), 100);
    // B's stale snapshot cannot write.
    let e = b.begin_write().unwrap_err();
    assert_eq!(e.code, ioerr::BUSY_SNAPSHOT);
    // A checkpoint cannot pass B's read mark: FULL reports busy, the WAL keeps its frames.
    let r = a.pager_mut().wal_checkpoint(CheckpointMode::Full).unwrap().unwrap();
    assert!(r.busy && r.checkpointed < r.log_frames, "{r:?}");
    b.end_read().unwrap();
    // Only one writer at a time.
    a.begin_write().unwrap();
    assert_eq!(b.begin_write().unwrap_err().primary(), code::BUSY);
    b.end_read().unwrap();
    a.rollback().unwrap();
    a.end_read().unwrap();
    // With B gone from the WAL, TRUNCATE finishes and empties the -wal file.
    let r = a.pager_mut().wal_checkpoint(CheckpointMode::Truncate).unwrap().unwrap();
    assert_eq!((r.busy, r.log_frames, r.checkpointed), (false, 0, 0));
    assert_eq!(std::fs::metadata(d.join("i.db-wal")).unwrap().len(), 0);
    // B writes into the restarted WAL; A reads it.
    b.begin_write().unwrap();
    insert(&mut b, root, 300..310, 100);
    b.commit().unwrap();
    b.end_read().unwrap();
    a.begin_read().unwrap();
    assert_eq!(count(&mut a, root), 310);
    a.end_read().unwrap();
    // Closing one connection keeps the WAL (the other still uses it); the last removes it.
    drop(a);
    assert!(d.join("i.db-wal").exists());
    b.begin_read().unwrap();
    assert_eq!(count(&mut b, root), 310);
    b.end_read().unwrap();
    drop(b);
    assert!(!d.join("i.db-wal").exists() && !d.join("i.db-shm").exists());
    if have_sqlite() {
        assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t;"), "ok\n310\n");
    }
}

#[test]
fn a_python_reader_holds_back_our_checkpoint_and_keeps_its_snapshot() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("reader");
    let db = d.join("r.db");
    let mut bt = open(&db);
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    let root = create_t(&mut bt);
    bt.begin_write().unwrap();
    insert(&mut bt, root, 0..50, 500);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    let script = format!(
        "import sqlite3, sys
c = sqlite3.connect({:?}, isolation_level=None)
c.execute('begin')
print(c.execute('select count(*), sum(length(b)) from t').fetchone(), flush=True)
sys.stdin.readline()
print(c.execute('select count(*), sum(length(b)) from t').fetchone(), flush=True)
c.execute('commit')
print(c.execute('select count(*) from t').fetchone(), flush=True)",
        db.to_str().unwrap()
    );
    let mut child = Command::new("python3").arg("-c").arg(&script).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "(50, 25000)\n");
    // We write a lot and checkpoint while python reads its old snapshot.
    for k in 0..5 {
        bt.begin_write().unwrap();
        insert(&mut bt, root, 50 + k * 100..150 + k * 100, 500);
        bt.commit().unwrap();
        bt.end_read().unwrap();
        let r = bt.pager_mut().wal_checkpoint(CheckpointMode::Passive).unwrap().unwrap();
        assert!(r.checkpointed < r.log_frames, "the reader's mark caps the checkpoint: {r:?}");
    }
    let r = bt.pager_mut().wal_checkpoint(CheckpointMode::Restart).unwrap().unwrap();
    assert!(r.busy);
    child.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
    line.clear();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "(50, 25000)\n", "python's snapshot did not move");
    line.clear();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "(550,)\n");
    assert!(child.wait().unwrap().success());
    let r = bt.pager_mut().wal_checkpoint(CheckpointMode::Full).unwrap().unwrap();
    assert!(!r.busy && r.checkpointed == r.log_frames, "{r:?}");
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t;"), "ok\n550\n");
}

#[test]
fn hash_tables_past_the_first_region_work_both_ways() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("regions");
    // Ours: one transaction of ~5000 frames (page size 1024), read by sqlite3 through our index.
    let db = d.join("ours.db");
    let mut bt = open(&db);
    bt.pager_mut().set_page_size(1024, 0).unwrap();
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    bt.pager_mut().set_wal_autocheckpoint(0);
    let root = create_t(&mut bt);
    bt.begin_write().unwrap();
    insert(&mut bt, root, 0..5000, 900);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    assert!(bt.pager().wal_frames() > 4062 + 100, "{} frames", bt.pager().wal_frames());
    assert!(std::fs::metadata(d.join("ours.db-shm")).unwrap().len() >= 65536);
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*), sum(length(b)) from t;"), "ok\n5000|4500000\n");
    drop(bt);
    // Theirs: python writes ~5000 frames with no checkpoint, stays connected while we read
    // through its index, then we read again after it is SIGKILLed (our recovery).
    let db2 = d.join("theirs.db");
    let script = format!(
        "import sqlite3, sys, os, signal
c = sqlite3.connect({:?}, isolation_level=None)
c.execute('pragma page_size=1024'); c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')
c.execute('create table t(a, b)')
c.execute('begin')
c.executemany('insert into t values(?, zeroblob(900))', [(i,) for i in range(5000)])
c.execute('commit')
print('ready', flush=True)
sys.stdin.readline()
os.kill(os.getpid(), signal.SIGKILL)",
        db2.to_str().unwrap()
    );
    let mut child = Command::new("python3").arg("-c").arg(&script).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    let mut bt = open(&db2);
    bt.begin_read().unwrap();
    assert!(bt.pager().wal_frames() > 4062);
    assert_eq!(count(&mut bt, 2), 5000);
    bt.end_read().unwrap();
    drop(bt); // not the last connection: nothing deleted
    assert!(d.join("theirs.db-wal").exists());
    child.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
    let _ = child.wait();
    let mut bt = open(&db2);
    bt.begin_read().unwrap();
    assert_eq!(count(&mut bt, 2), 5000);
    bt.end_read().unwrap();
    drop(bt);
    assert_eq!(sqlite(&db2, "pragma integrity_check; select count(*) from t;"), "ok\n5000\n");
}

#[test]
fn sqlite_truncate_checkpoint_between_our_writes_restarts_cleanly() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("trunc");
    let db = d.join("t.db");
    let mut bt = open(&db);
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    let root = create_t(&mut bt);
    for k in 0..6i64 {
        bt.begin_write().unwrap();
        insert(&mut bt, root, k * 10..k * 10 + 10, 200);
        bt.commit().unwrap();
        bt.end_read().unwrap();
        let out = sqlite(&db, "pragma wal_checkpoint(truncate); insert into t(rowid, a, b) select -1 - count(*), -1 - count(*), 'x' from t where a < 0;");
        assert_eq!(out, "0|0|0\n");
        bt.begin_read().unwrap();
        let ours = count(&mut bt, root);
        bt.end_read().unwrap();
        assert_eq!(sqlite(&db, "select count(*) from t"), format!("{}\n", k * 11 + 11), "sqlite's view after round {k}");
        assert_eq!(ours, k as u64 * 11 + 11, "our view after round {k}");
    }
    bt.begin_read().unwrap();
    assert_eq!(count(&mut bt, root), 66);
    bt.end_read().unwrap();
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*), sum(a < 0) from t;"), "ok\n66|6\n");
}

#[test]
fn frames_of_a_killed_sqlite_writer_past_mx_frame_are_ignored_and_overwritten() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("stale");
    let db = d.join("s.db");
    let mut bt = open(&db);
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    let root = create_t(&mut bt);
    bt.begin_write().unwrap();
    insert(&mut bt, root, 0..20, 100);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    // A python writer with a tiny cache spills uncommitted frames (and their WAL-index
    // entries) past mxFrame, then dies holding the WRITE lock.
    let script = format!(
        "import sqlite3, os, signal
c = sqlite3.connect({:?}, isolation_level=None)
c.execute('pragma cache_size=5')
c.execute('begin')
c.executemany('insert into t(rowid, a, b) values(?, ?, zeroblob(1000))', [(-i - 1, -i - 1) for i in range(400)])
os.kill(os.getpid(), signal.SIGKILL)",
        db.to_str().unwrap()
    );
    let st = Command::new("python3").arg("-c").arg(&script).status().unwrap();
    assert!(!st.success());
    let frames_before = bt.pager().wal_frames();
    let wal_len = std::fs::metadata(d.join("s.db-wal")).unwrap().len();
    assert!(wal_len > (frames_before as u64 + 50) * 4120, "the killed writer spilled frames");
    bt.begin_read().unwrap();
    assert_eq!(count(&mut bt, root), 20, "uncommitted frames are invisible");
    bt.end_read().unwrap();
    bt.begin_write().unwrap();
    insert(&mut bt, root, 20..40, 100);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*), min(a) from t;"), "ok\n40|0\n");
    drop(bt);
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t;"), "ok\n40\n");
}

#[test]
fn exclusive_locking_mode_uses_a_heap_wal_index() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("excl");
    let db = d.join("x.db");
    let mut bt = open(&db);
    bt.pager_mut().set_exclusive_mode(true);
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    let root = create_t(&mut bt);
    bt.begin_write().unwrap();
    insert(&mut bt, root, 0..30, 100);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    assert!(d.join("x.db-wal").exists());
    assert!(!d.join("x.db-shm").exists(), "no shared memory in exclusive mode");
    // Nobody else gets in meanwhile.
    let out = Command::new("sqlite3").arg(&db).arg("select count(*) from t").output().unwrap();
    assert!(!out.status.success() || String::from_utf8_lossy(&out.stderr).contains("locked"));
    drop(bt);
    assert!(!d.join("x.db-wal").exists());
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t; pragma journal_mode;"), "ok\n30\nwal\n");
}

#[test]
fn serialized_image_of_a_wal_database_is_the_checkpointed_file() {
    // sqlite3_serialize of a WAL database must include the frames not yet checkpointed.
    let d = tmpdir("image");
    let db = d.join("m.db");
    let mut bt = open(&db);
    bt.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    let root = create_t(&mut bt);
    bt.begin_write().unwrap();
    insert(&mut bt, root, 0..200, 300);
    bt.commit().unwrap();
    bt.end_read().unwrap();
    assert!(bt.pager().wal_frames() > 0);
    let image = bt.pager_mut().file_image().unwrap();
    let r = bt.pager_mut().wal_checkpoint(CheckpointMode::Truncate).unwrap().unwrap();
    assert!(!r.busy);
    assert_eq!(std::fs::read(&db).unwrap(), image);
}

/// Several real SQLite writers, our writer and checkpoints of every mode, for a while.
#[test]
#[ignore]
fn stress_many_processes_and_checkpoint_modes() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("stress");
    let db = d.join("s.db");
    sqlite(&db, "pragma journal_mode=wal; create table t(a, b);");
    let mut children = Vec::new();
    for w in 0..3 {
        let script = format!(
            "import sqlite3
c = sqlite3.connect({:?}, isolation_level=None, timeout=60)
modes = ['passive', 'full', 'restart', 'truncate']
for k in range(2000):
    c.execute('begin immediate')
    c.execute('insert into t(rowid, a, b) values(?, ?, randomblob(?))', (-(k * 3 + {w}) - 1, {w}, 50 + k % 3000))
    c.execute('commit')
    if k % 97 == 0: c.execute('pragma wal_checkpoint(%s)' % modes[k % 4])
    if k % 13 == 0: c.execute('select count(*), sum(length(b)) from t').fetchone()",
            db.to_str().unwrap()
        );
        children.push(Command::new("python3").arg("-c").arg(script).spawn().unwrap());
    }
    let mut bt = open(&db);
    let modes = [CheckpointMode::Passive, CheckpointMode::Full, CheckpointMode::Restart, CheckpointMode::Truncate];
    for k in 0..2000i64 {
        loop {
            match bt.begin_write() {
                Ok(()) => break,
                Err(e) if e.primary() == code::BUSY => {
                    bt.end_read().unwrap();
                    std::thread::sleep(std::time::Duration::from_micros(300));
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        insert(&mut bt, 2, k + 1..k + 2, 50 + (k as usize * 7) % 3000);
        bt.commit().unwrap();
        bt.end_read().unwrap();
        if k % 89 == 0 {
            let _ = bt.pager_mut().wal_checkpoint(modes[(k / 89) as usize % 4]);
        }
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    bt.begin_read().unwrap();
    assert_eq!(count(&mut bt, 2), 8000);
    bt.end_read().unwrap();
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t;"), "ok\n8000\n");
    drop(bt);
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t;"), "ok\n8000\n");
}

#[test]
fn transactions_larger_than_the_cache_spill_uncommitted_frames_into_the_wal() {
    // A write transaction bigger than the page cache must not hold every page in memory, and
    // its spilled frames must stay invisible until commit and vanish on rollback.
    let d = tmpdir("spill");
    let db = d.join("s.db");
    let mut a = open(&db);
    a.pager_mut().set_journal_mode(JournalMode::Wal).unwrap();
    a.pager_mut().set_cache_size(20);
    let root = create_t(&mut a);
    a.begin_write().unwrap();
    insert(&mut a, root, 0..100, 500);
    a.commit().unwrap();
    a.end_read().unwrap();
    let committed_frames = a.pager().wal_frames();
    let mut b = open(&db);
    // Rolled back after spilling.
    a.begin_write().unwrap();
    insert(&mut a, root, 100..2000, 500);
    let wal_len = std::fs::metadata(d.join("s.db-wal")).unwrap().len();
    assert!(wal_len > (committed_frames as u64 + 100) * 4120, "frames were spilled ({wal_len} bytes)");
    assert_eq!(count(&mut a, root), 2000, "the writer reads its spilled pages back");
    b.begin_read().unwrap();
    assert_eq!(count(&mut b, root), 100, "spilled frames are invisible to other connections");
    b.end_read().unwrap();
    if have_sqlite() {
        assert_eq!(sqlite(&db, "select count(*) from t"), "100\n", "and to real SQLite");
    }
    a.rollback().unwrap();
    a.end_read().unwrap();
    a.begin_read().unwrap();
    assert_eq!(count(&mut a, root), 100);
    a.end_read().unwrap();
    // Committed after spilling, with a savepoint rolled back in the middle.
    a.begin_write().unwrap();
    insert(&mut a, root, 100..1000, 500);
    let sp = a.savepoint_open().unwrap();
    insert(&mut a, root, 5000..6000, 500);
    a.savepoint_rollback(sp).unwrap();
    a.savepoint_release(sp).unwrap();
    insert(&mut a, root, 1000..1500, 500);
    a.commit().unwrap();
    a.end_read().unwrap();
    b.begin_read().unwrap();
    assert_eq!(count(&mut b, root), 1500);
    b.end_read().unwrap();
    if have_sqlite() {
        assert_eq!(sqlite(&db, "pragma integrity_check; select count(*), max(a) from t;"), "ok\n1500|1499\n");
    }
    drop(b);
    drop(a);
    if have_sqlite() {
        assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t;"), "ok\n1500\n");
    }
}
