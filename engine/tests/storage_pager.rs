//! Pager against real SQLite: hot journals left by a killed sqlite3 process are rolled back to
//! exactly the bytes real SQLite's own rollback produces.

use std::process::Command;
use std::sync::Arc;

use ferrolite_engine::pager::{Pager, PagerOptions};
use ferrolite_engine::vfs::unix::UnixVfs;
use ferrolite_engine::vfs::Vfs;

fn have_sqlite() -> bool {
    Command::new("sqlite3").arg("-version").output().is_ok()
}

fn tmpdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("ferrolite-st-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn hot_journal_from_killed_sqlite_rolls_back_like_sqlite() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("hot");
    let db = d.join("h.db");
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
