//! Pager against real SQLite: hot journals left by a killed sqlite3 process are rolled back to
//! exactly the bytes real SQLite's own rollback produces.

use std::process::Command;
use std::sync::Arc;

use ferrolite_engine::pager::{Pager, PagerOptions};
use ferrolite_engine::vfs::unix::UnixVfs;
use ferrolite_engine::vfs::Vfs;

mod common;
use common::{have_sqlite, tmpdir};

/// Leaves `db` with a hot journal: a python sqlite3 writer killed mid-transaction after its
/// cache spilled.
fn make_hot_journal(db: &std::path::Path) {
    // A python child commits a table, then dies mid-transaction after the cache spilled (so the
    // database file holds uncommitted pages and the journal is hot).
    let script = format!(
        r#"
import sqlite3, os
c = sqlite3.connect({db:?}, isolation_level=None)
c.execute("pragma cache_size=5")
c.execute("create table t(a, b)")
c.execute("begin")
for i in range(300): c.execute("insert into t values(?, randomblob(300))", (i,))
c.execute("commit")
c.execute("begin")
for i in range(2000): c.execute("update t set b = randomblob(310) where a = ?", (i % 300,))
for i in range(2000): c.execute("insert into t values(?, randomblob(500))", (i,))
os.kill(os.getpid(), 9)
"#,
        db = db.to_str().unwrap()
    );
    let st = Command::new("python3").arg("-c").arg(&script).status().unwrap();
    assert!(!st.success());
}

#[test]
fn hot_journal_from_killed_sqlite_rolls_back_like_sqlite() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("hot");
    let db = d.join("h.db");
    make_hot_journal(&db);
    let journal = d.join("h.db-journal");
    assert!(journal.exists(), "the killed writer leaves a journal");
    // Two copies: one rolled back by real SQLite, one by us.
    let theirs = d.join("theirs.db");
    std::fs::copy(&db, &theirs).unwrap();
    std::fs::copy(&journal, d.join("theirs.db-journal")).unwrap();
    let out = Command::new("sqlite3").arg(&theirs).arg("pragma integrity_check; select count(*) from t;").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n300\n");
    assert!(!d.join("theirs.db-journal").exists());

    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    let mut p = Pager::open(vfs, db.to_str().unwrap(), PagerOptions { create: false, ..Default::default() }).unwrap();
    p.begin_read().unwrap();
    p.end_read().unwrap();
    drop(p);
    assert!(!journal.exists(), "our rollback deletes the hot journal");
    assert_eq!(std::fs::read(&db).unwrap(), std::fs::read(&theirs).unwrap());
}

#[test]
fn immutable_and_nolock_take_no_locks() {
    // A file locked EXCLUSIVE by another connection can still be read with immutable=1.
    use ferrolite_engine::vfs::{LockLevel, OpenOptions};
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("immutable");
    let db = d.join("i.db");
    let out = Command::new("sqlite3").arg(&db).arg("create table t(x); insert into t values(1);").status().unwrap();
    assert!(out.success());
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    let mut holder = vfs.open(Some(db.to_str().unwrap()), OpenOptions::main_db(false, false)).unwrap();
    holder.lock(LockLevel::Shared).unwrap();
    holder.lock(LockLevel::Reserved).unwrap();
    holder.lock(LockLevel::Exclusive).unwrap();
    let mut normal = Pager::open(vfs.clone(), db.to_str().unwrap(), PagerOptions::default()).unwrap();
    assert_eq!(normal.begin_read().unwrap_err().code, ferrolite_engine::error::code::BUSY);
    for opts in [PagerOptions { immutable: true, ..Default::default() }, PagerOptions { no_lock: true, ..Default::default() }] {
        let mut p = Pager::open(vfs.clone(), db.to_str().unwrap(), opts).unwrap();
        p.begin_read().unwrap();
        assert_eq!(p.page_count(), 2);
        p.end_read().unwrap();
    }
    let mut ro = Pager::open(vfs, db.to_str().unwrap(), PagerOptions { immutable: true, ..Default::default() }).unwrap();
    assert!(ro.begin_write().is_err(), "immutable is read-only");
}

#[test]
fn exclusive_locking_mode_keeps_the_lock_after_commit() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("exclusive");
    let db = d.join("x.db");
    let out = Command::new("sqlite3").arg(&db).arg("create table t(x);").status().unwrap();
    assert!(out.success());
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    let mut p = Pager::open(vfs, db.to_str().unwrap(), PagerOptions::default()).unwrap();
    p.set_exclusive_mode(true);
    p.begin_write().unwrap();
    p.write(1).unwrap();
    p.commit().unwrap();
    p.end_read().unwrap();
    let r = Command::new("sqlite3").arg(&db).arg("select count(*) from t").output().unwrap();
    assert!(String::from_utf8_lossy(&r.stderr).contains("database is locked"), "readers are kept out");
    p.set_exclusive_mode(false);
    p.end_read().unwrap();
    let r = Command::new("sqlite3").arg(&db).arg("select count(*) from t").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&r.stdout), "0\n");
}

#[test]
fn memory_image_round_trip_reads_sqlite_file() {
    // sqlite3_deserialize/serialize: a file image becomes an in-memory database and back.
    use ferrolite_engine::btree::{Btree, TreeKind};
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("image");
    let db = d.join("m.db");
    let out = Command::new("sqlite3").arg(&db).arg("create table t(x); insert into t values(1),(2),(3);").status().unwrap();
    assert!(out.success());
    let bytes = std::fs::read(&db).unwrap();
    let mut bt = Btree::open_memory_image(bytes.clone()).unwrap();
    bt.begin_write().unwrap();
    assert_eq!(bt.count(2).unwrap(), 3);
    let mut c = bt.cursor(2, TreeKind::Table, true, None);
    c.insert(&mut bt, 4, &[2, 1, 4]).unwrap();
    bt.commit().unwrap();
    let image = bt.pager_mut().file_image().unwrap();
    let out_db = d.join("out.db");
    std::fs::write(&out_db, image).unwrap();
    let r = Command::new("sqlite3").arg(&out_db).arg("pragma integrity_check; select sum(x) from t;").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&r.stdout), "ok\n10\n");
}

#[test]
fn journal_naming_a_vanished_super_journal_is_not_rolled_back() {
    // A multi-database commit deletes its super-journal first: a journal still naming it is
    // left over from a committed transaction. SQLite deletes it without playing it back.
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("super");
    let db = d.join("h.db");
    make_hot_journal(&db);
    let journal = d.join("h.db-journal");
    let mut j = std::fs::read(&journal).unwrap();
    let name = d.join("gone-super-journal").to_str().unwrap().as_bytes().to_vec();
    let pad = (512 - j.len() % 512) % 512;
    j.extend(std::iter::repeat_n(0u8, pad));
    j.extend_from_slice(&(0x4000_0000u32 / 4096 + 1).to_be_bytes());
    j.extend_from_slice(&name);
    j.extend_from_slice(&(name.len() as u32).to_be_bytes());
    j.extend_from_slice(&name.iter().fold(0u32, |a, &b| a.wrapping_add(b as u32)).to_be_bytes());
    j.extend_from_slice(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
    std::fs::write(&journal, &j).unwrap();
    let theirs = d.join("theirs.db");
    std::fs::copy(&db, &theirs).unwrap();
    std::fs::copy(&journal, d.join("theirs.db-journal")).unwrap();
    let _ = Command::new("sqlite3").arg(&theirs).arg("select count(*) from sqlite_schema").output().unwrap();
    assert!(!d.join("theirs.db-journal").exists());
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    let mut p = Pager::open(vfs, db.to_str().unwrap(), PagerOptions::default()).unwrap();
    p.begin_read().unwrap();
    p.end_read().unwrap();
    drop(p);
    assert!(!journal.exists());
    assert_eq!(std::fs::read(&db).unwrap(), std::fs::read(&theirs).unwrap(), "same bytes as SQLite leaves");
}
