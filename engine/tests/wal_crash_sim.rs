//! WAL mode under the simulation VFS: an I/O error at every point of a run of commits and
//! checkpoints, then a power cut, must leave the last committed state (or, for the commit
//! that failed, possibly that one), and the file must pass real SQLite's integrity_check.

use std::process::Command;
use std::sync::Arc;

use ferrolite_engine::btree::{Btree, TreeKind};
use ferrolite_engine::pager::header::META_SCHEMA_VERSION;
use ferrolite_engine::pager::{JournalMode, PagerOptions};
use ferrolite_engine::record::RecordBuilder;
use ferrolite_engine::vfs::sim::SimVfs;
use ferrolite_engine::vfs::Vfs;
use ferrolite_engine::wal::CheckpointMode;
use ferrolite_engine::{Result, Value};

const ROWS_PER_COMMIT: i64 = 12;

fn open(vfs: &SimVfs) -> Result<Btree> {
    let v: Arc<dyn Vfs> = Arc::new(vfs.clone());
    Btree::open(v, "db", PagerOptions { create: true, ..Default::default() })
}

fn count_rows(bt: &mut Btree) -> Result<i64> {
    bt.begin_read()?;
    if bt.pager().page_count() == 0 {
        bt.end_read()?;
        return Ok(-1); // the database was never created
    }
    let mut c = bt.cursor(1, TreeKind::Table, false, None);
    if !c.first(bt)? {
        bt.end_read()?;
        return Ok(-1); // no table yet
    }
    let root = 2;
    let n = bt.count(root)? as i64;
    bt.end_read()?;
    Ok(n)
}

/// Runs commits (with checkpoints) until `commits` are done or an I/O error stops it;
/// returns the number of rows of the last commit known to have succeeded.
fn workload(bt: &mut Btree, commits: i64, done: &mut i64) -> Result<()> {
    bt.pager_mut().set_journal_mode(JournalMode::Wal)?;
    bt.pager_mut().set_wal_autocheckpoint(7);
    // A tiny cache: the bigger transactions spill uncommitted frames into the WAL.
    bt.pager_mut().set_cache_size(4);
    bt.begin_write()?;
    let root = bt.create_tree(TreeKind::Table)?;
    assert_eq!(root, 2);
    let rec = RecordBuilder::new().build(&[
        Value::text("table"),
        Value::text("t"),
        Value::text("t"),
        Value::Integer(2),
        Value::text("CREATE TABLE t(a, b)"),
    ]);
    let mut c = bt.cursor(1, TreeKind::Table, true, None);
    c.insert(bt, 1, &rec)?;
    bt.set_meta(META_SCHEMA_VERSION, 1)?;
    bt.commit()?;
    bt.end_read()?;
    *done = 0;
    let mut b = RecordBuilder::new();
    for k in 0..commits {
        bt.begin_write()?;
        let mut c = bt.cursor(root, TreeKind::Table, true, None);
        for i in 0..ROWS_PER_COMMIT {
            let id = k * ROWS_PER_COMMIT + i;
            let rec = b.build(&[Value::Integer(id), Value::Blob(vec![(id % 251) as u8; 300 + (id as usize * 37) % 2900])]);
            c.insert(bt, id, &rec)?;
        }
        if let Err(e) = bt.commit() {
            let _ = bt.rollback();
            return Err(e);
        }
        bt.end_read()?;
        *done = (k + 1) * ROWS_PER_COMMIT;
        if k % 5 == 4 {
            bt.pager_mut().wal_checkpoint(if k % 10 == 4 { CheckpointMode::Truncate } else { CheckpointMode::Passive })?;
        }
    }
    Ok(())
}

#[test]
fn io_error_then_power_cut_at_every_point_keeps_the_last_commit() {
    // Count the operations of a clean run.
    let clean = SimVfs::new();
    let mut bt = open(&clean).unwrap();
    let mut done = 0;
    workload(&mut bt, 12, &mut done).unwrap();
    assert_eq!(done, 12 * ROWS_PER_COMMIT);
    let total_ops = clean.op_count();
    drop(bt);
    let have_sqlite = Command::new("sqlite3").arg("-version").output().is_ok();
    let dir = std::env::temp_dir().join(format!("ferrolite-walsim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let step = (total_ops / 250).max(1);
    let mut checked = 0;
    for fail_at in (1..total_ops).step_by(step as usize) {
        let vfs = SimVfs::new();
        vfs.fail_after(fail_at);
        let mut bt = open(&vfs).unwrap();
        let mut last_ok = -1;
        let failed = workload(&mut bt, 12, &mut last_ok).is_err();
        let image = vfs.crash_image();
        drop(bt);
        let mut bt2 = open(&image).unwrap();
        let n = count_rows(&mut bt2).unwrap_or_else(|e| panic!("fail_at {fail_at}: {e:?}"));
        // Table creation counts as the commit before the first row commit.
        let next = if last_ok < 0 { 0 } else { last_ok + ROWS_PER_COMMIT };
        let ok = n == last_ok || (failed && n == next);
        assert!(ok, "fail_at {fail_at}: {n} rows after a power cut; last commit that succeeded had {last_ok}");
        // The rows are exactly 0..n.
        if n > 0 {
            bt2.begin_read().unwrap();
            let mut c = bt2.cursor(2, TreeKind::Table, false, None);
            let mut ok = c.first(&mut bt2).unwrap();
            let mut want = 0;
            while ok {
                assert_eq!(c.rowid(&mut bt2).unwrap(), want, "fail_at {fail_at}");
                want += 1;
                ok = c.next(&mut bt2).unwrap();
            }
            assert_eq!(want, n);
            bt2.end_read().unwrap();
        }
        drop(bt2); // checkpoints into "db"
        if have_sqlite && n >= 0 && fail_at % (step * 25) == 1 {
            let p = dir.join(format!("f{fail_at}.db"));
            std::fs::write(&p, image.file_bytes("db").unwrap()).unwrap();
            let out = Command::new("sqlite3").arg(&p).arg("pragma integrity_check; select count(*) from t;").output().unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stdout), format!("ok\n{n}\n"), "fail_at {fail_at}");
            checked += 1;
        }
    }
    assert!(!have_sqlite || checked > 0);
}

/// A power cut right after each commit (no I/O error) keeps exactly that commit.
#[test]
fn power_cut_after_each_commit_keeps_it() {
    let vfs = SimVfs::new();
    let mut bt = open(&vfs).unwrap();
    workload(&mut bt, 0, &mut 0).unwrap();
    let mut b = RecordBuilder::new();
    for k in 0..15i64 {
        bt.begin_write().unwrap();
        let mut c = bt.cursor(2, TreeKind::Table, true, None);
        let rec = b.build(&[Value::Integer(k), Value::Blob(vec![1; 2000])]);
        c.insert(&mut bt, k, &rec).unwrap();
        bt.commit().unwrap();
        bt.end_read().unwrap();
        let image = vfs.crash_image();
        let mut again = open(&image).unwrap();
        assert_eq!(count_rows(&mut again).unwrap(), k + 1);
    }
}
