//! Storage benchmark (not a test): bulk insert of N rows in one transaction, N random rowid
//! lookups, a full scan, and the file size, for our b-tree and for real SQLite (through
//! python3's sqlite3 module, which links the system libsqlite3; its Python loop overhead is
//! included in SQLite's lookup numbers, so those favour us). Run in release:
//! `cargo run -p ferrolite-engine --release --example storage_bench -- 1000000`.

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use ferrolite_engine::btree::{Btree, TreeKind};
use ferrolite_engine::pager::PagerOptions;
use ferrolite_engine::record::RecordBuilder;
use ferrolite_engine::vfs::unix::UnixVfs;
use ferrolite_engine::vfs::Vfs;
use ferrolite_engine::Value;

fn main() {
    let n: i64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("ferrolite-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let ours = dir.join("ours.db");
    let theirs = dir.join("theirs.db");

    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    let mut bt = Btree::open(vfs, ours.to_str().expect("utf-8 path"), PagerOptions { create: true, ..Default::default() })
        .expect("open");
    let t = Instant::now();
    bt.begin_write().expect("begin");
    let root = bt.create_tree(TreeKind::Table).expect("create");
    let mut b = RecordBuilder::new();
    let schema = b.build(&[
        Value::text("table"),
        Value::text("t"),
        Value::text("t"),
        Value::Integer(root as i64),
        Value::text("CREATE TABLE t(a, b)"),
    ]);
    bt.cursor(1, TreeKind::Table, true, None).insert(&mut bt, 1, &schema).expect("schema row");
    bt.set_meta(1, 1).expect("schema cookie");
    let mut c = bt.cursor(root, TreeKind::Table, true, None);
    let mut rec = Vec::new();
    for i in 1..=n {
        let s = format!("value-{i}-{}", "x".repeat((i % 30) as usize));
        b.build_into([Value::Integer(i), Value::Text(s.into_bytes())].iter().map(Into::into).collect::<Vec<_>>(), &mut rec);
        c.insert(&mut bt, i, &rec).expect("insert");
    }
    bt.commit().expect("commit");
    let ins = t.elapsed();

    let t = Instant::now();
    let mut x: u64 = 0x9e37_79b9;
    let mut total = 0usize;
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let k = (x % n as u64) as i64 + 1;
        if c.seek_rowid(&mut bt, k).expect("seek") {
            total += c.payload(&mut bt).expect("payload").len();
        }
    }
    let look = t.elapsed();

    let t = Instant::now();
    let mut rows = 0;
    let mut ok = c.first(&mut bt).expect("first");
    while ok {
        total += c.payload(&mut bt).expect("payload").len();
        rows += 1;
        ok = c.next(&mut bt).expect("next");
    }
    let scan = t.elapsed();
    bt.end_read().expect("end");
    drop(bt);
    let size = std::fs::metadata(&ours).map(|m| m.len()).unwrap_or(0);
    println!("ferrolite: insert {:?}, {} lookups {:?}, scan of {} rows {:?}, file {} bytes ({})", ins, n, look, rows, scan, size, total);

    let script = format!(
        r#"
import sqlite3, time, random
c = sqlite3.connect({theirs:?}, isolation_level=None)
c.execute("create table t(a, b)")
t = time.time()
c.execute("begin")
c.executemany("insert into t(rowid, a, b) values(?, ?, ?)", ((i, i, "value-%d-%s" % (i, "x" * (i % 30))) for i in range(1, {n} + 1)))
c.execute("commit")
ins = time.time() - t
t = time.time()
q = "select b from t where rowid = ?"
for _ in range({n}):
    c.execute(q, (random.randint(1, {n}),)).fetchone()
look = time.time() - t
t = time.time()
rows = sum(1 for _ in c.execute("select b from t"))
scan = time.time() - t
import os
print("sqlite:    insert %.3fs, lookups %.3fs, scan of %d rows %.3fs, file %d bytes" % (ins, look, rows, scan, os.path.getsize({theirs:?})))
"#,
        theirs = theirs.to_str().expect("utf-8 path"),
        n = n
    );
    match Command::new("python3").arg("-c").arg(&script).status() {
        Ok(s) if s.success() => {}
        _ => println!("sqlite: (python3 with sqlite3 not available)"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
