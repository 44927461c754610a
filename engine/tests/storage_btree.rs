//! B-tree against real SQLite: files written by sqlite3 read back identically here, and files
//! written here pass sqlite3's `PRAGMA integrity_check` and read back identically there.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Arc;

use ferrolite_engine::btree::{AutoVacuum, Btree, KeyInfo, TreeKind};
use ferrolite_engine::pager::header::{META_SCHEMA_VERSION};
use ferrolite_engine::pager::PagerOptions;
use ferrolite_engine::record::{RecordBuilder, RecordReader, ValueRef};
use ferrolite_engine::vfs::unix::UnixVfs;
use ferrolite_engine::vfs::Vfs;
use ferrolite_engine::Value;

mod common;
use common::{have_sqlite, tmpdir, sqlite};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// `typeof(x)|hex(x)` as SQLite prints it (reals are avoided by the tests).
fn col(v: &ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "null|".into(),
        ValueRef::Integer(i) => format!("integer|{}", hex(i.to_string().as_bytes())),
        ValueRef::Real(r) => format!("real|{}", hex(r.to_string().as_bytes())),
        ValueRef::Text(t) => format!("text|{}", hex(t)),
        ValueRef::Blob(b) => format!("blob|{}", hex(b)),
    }
}

fn open(db: &std::path::Path) -> Btree {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs::new());
    Btree::open(vfs, db.to_str().unwrap(), PagerOptions { create: true, ..Default::default() }).unwrap()
}

/// (type, name) -> rootpage, read from sqlite_schema through our cursor.
fn schema(bt: &mut Btree) -> BTreeMap<String, u32> {
    let mut m = BTreeMap::new();
    let mut c = bt.cursor(1, TreeKind::Table, false, None);
    let mut r = RecordReader::new();
    let mut ok = c.first(bt).unwrap();
    while ok {
        let p = c.payload(bt).unwrap().to_vec();
        r.parse(&p).unwrap();
        let name = match r.column(&p, 1).unwrap() {
            // ASCII names: dropping NULs reads UTF-16 databases' names too.
            ValueRef::Text(t) => String::from_utf8(t.iter().copied().filter(|&b| b != 0).collect()).unwrap(),
            _ => panic!(),
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

fn table_lines(bt: &mut Btree, root: u32, ncols: usize) -> String {
    let mut out = String::new();
    let mut c = bt.cursor(root, TreeKind::Table, false, None);
    let mut r = RecordReader::new();
    let mut ok = c.first(bt).unwrap();
    while ok {
        let rowid = c.rowid(bt).unwrap();
        let p = c.payload(bt).unwrap();
        r.parse(p).unwrap();
        let cols: Vec<String> = (0..ncols).map(|i| col(&r.column(p, i).unwrap())).collect();
        out.push_str(&format!("{rowid}|{}\n", cols.join("|")));
        ok = c.next(bt).unwrap();
    }
    out
}

fn index_lines(bt: &mut Btree, root: u32, ncols: usize) -> String {
    let mut out = String::new();
    let mut c = bt.cursor(root, TreeKind::Index, false, Some(KeyInfo::binary(ncols)));
    let mut r = RecordReader::new();
    let mut ok = c.first(bt).unwrap();
    while ok {
        let p = c.payload(bt).unwrap();
        r.parse(p).unwrap();
        let cols: Vec<String> = (0..ncols).map(|i| col(&r.column(p, i).unwrap())).collect();
        out.push_str(&format!("{}\n", cols.join("|")));
        ok = c.next(bt).unwrap();
    }
    out
}

#[test]
fn files_written_by_sqlite_read_back_identically() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("read");
    let configs: Vec<(String, String)> = [512u32, 1024, 4096, 8192, 65536]
        .iter()
        .map(|ps| (format!("ps{ps}"), format!("pragma page_size={ps};")))
        .chain([
            ("avfull".to_string(), "pragma page_size=1024; pragma auto_vacuum=full;".to_string()),
            ("avincr".to_string(), "pragma page_size=2048; pragma auto_vacuum=incremental;".to_string()),
            ("utf16le".to_string(), "pragma encoding='UTF-16le';".to_string()),
            ("utf16be".to_string(), "pragma encoding='UTF-16be';".to_string()),
            ("reserved".to_string(), String::new()),
        ])
        .collect();
    for (ps, prelude) in configs {
        let db = d.join(format!("r{ps}.db"));
        if ps == "reserved" {
            // 8 reserved bytes per page (as an encryption extension would leave).
            let out = Command::new("python3").arg("-c").arg(format!(
                "import sqlite3; c=sqlite3.connect({:?}); c.execute('create table z(x)'); c.commit(); c.close()",
                db.to_str().unwrap()
            )).status().unwrap();
            assert!(out.success());
            let mut bytes = std::fs::read(&db).unwrap();
            bytes[20] = 8; // reserved bytes: SQLite honours it on the next VACUUM
            std::fs::write(&db, bytes).unwrap();
            sqlite(&db, "vacuum; drop table z;");
            assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
        }
        sqlite(
            &db,
            &format!(
                "{prelude}
                 create table t(a, b, c);
                 create index i on t(b, a);
                 create table t2(x);
                 with recursive n(i) as (select 1 union all select i+1 from n where i < 1500)
                 insert into t select i, printf('%.*c', (i*37) % (case when i % 50 = 0 then 9000 else 60 end), 'x') || i,
                   case when i % 3 = 0 then null when i % 3 = 1 then randomblob(i % 700) else -i * 1000003 end from n;
                 insert into t2 select randomblob(3000) from t where a < 200;
                 delete from t where a % 7 = 0;
                 drop table t2;"
            ),
        );
        if !ps.starts_with("av") {
            assert_ne!(sqlite(&db, "pragma freelist_count").trim(), "0", "the file has a freelist");
        }
        let mut bt = open(&db);
        bt.begin_read().unwrap();
        let s = schema(&mut bt);
        let want_t = sqlite(&db, "select rowid, typeof(a), hex(a), typeof(b), hex(b), typeof(c), hex(c) from t order by rowid");
        assert_eq!(table_lines(&mut bt, s["t"], 3), want_t, "table t, page size {ps}");
        let want_i = sqlite(&db, "select typeof(b), hex(b), typeof(a), hex(a), 'integer', hex(rowid) from t order by b, a, rowid");
        assert_eq!(index_lines(&mut bt, s["i"], 3), want_i, "index i, page size {ps}");
        assert_eq!(bt.count(s["t"]).unwrap(), sqlite(&db, "select count(*) from t").trim().parse::<u64>().unwrap());
        // Seeks by rowid and by key.
        let mut c = bt.cursor(s["t"], TreeKind::Table, false, None);
        assert!(c.seek_rowid(&mut bt, 50).unwrap());
        assert!(!c.seek_rowid(&mut bt, 49).unwrap());
        assert_eq!(c.rowid(&mut bt).unwrap(), 50);
        bt.end_read().unwrap();
    }
}

fn write_schema_row(bt: &mut Btree, rowid: i64, kind: &str, name: &str, tbl: &str, root: u32, sql: &str) {
    let rec = RecordBuilder::new().build(&[
        Value::text(kind),
        Value::text(name),
        Value::text(tbl),
        Value::Integer(root as i64),
        Value::text(sql),
    ]);
    let mut c = bt.cursor(1, TreeKind::Table, true, None);
    c.insert(bt, rowid, &rec).unwrap();
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn ops_against_sqlite(page_size: u32, ops: usize, seed: u64) {
    ops_against_sqlite_av(page_size, ops, seed, AutoVacuum::None, 0)
}

fn ops_against_sqlite_av(page_size: u32, ops: usize, seed: u64, av: AutoVacuum, reserved: u8) {
    let d = tmpdir(&format!("write{page_size}-{av:?}-{reserved}"));
    let db = d.join("w.db");
    let mut bt = open(&db);
    bt.pager_mut().set_page_size(page_size, reserved).unwrap();
    bt.set_auto_vacuum(av).unwrap();
    bt.begin_write().unwrap();
    let troot = bt.create_tree(TreeKind::Table).unwrap();
    let iroot = bt.create_tree(TreeKind::Index).unwrap();
    write_schema_row(&mut bt, 1, "table", "t", "t", troot, "CREATE TABLE t(a, b)");
    write_schema_row(&mut bt, 2, "index", "i", "t", iroot, "CREATE INDEX i ON t(b)");
    bt.set_meta(META_SCHEMA_VERSION, 1).unwrap();
    bt.commit().unwrap();

    let mut model: BTreeMap<i64, (i64, Vec<u8>)> = BTreeMap::new();
    let mut rng = Rng(seed);
    let mut b = RecordBuilder::new();
    let mut tc = bt.cursor(troot, TreeKind::Table, true, None);
    let mut ic = bt.cursor(iroot, TreeKind::Index, true, Some(KeyInfo::binary(2)));
    let mut done = 0;
    // The same workload as SQL, for real SQLite's file-size comparison (issue 4: within 10%).
    let av_num = match av {
        AutoVacuum::None => 0,
        AutoVacuum::Full => 1,
        AutoVacuum::Incremental => 2,
    };
    let mut replay = format!(
        "PRAGMA page_size={page_size}; PRAGMA auto_vacuum={av_num}; CREATE TABLE t(a, b); CREATE INDEX i ON t(b);\n"
    );
    while done < ops {
        bt.begin_write().unwrap();
        replay.push_str("BEGIN;\n");
        for _ in 0..200 {
            done += 1;
            let k = rng.below(3000) as i64;
            if rng.below(3) < 2 {
                // Rows of 0 B to 100 KB: most small, some spilling to overflow chains.
                let len = match rng.below(300) {
                    0 => rng.below(100_001),
                    1..=10 => rng.below(20_000),
                    _ => rng.below(200),
                } as usize;
                let bval: Vec<u8> = (0..len).map(|i| b'a' + ((k as usize + i) % 26) as u8).collect();
                if let Some((_, old)) = model.get(&k) {
                    let oldkey = b.build(&[Value::Text(old.clone()), Value::Integer(k)]);
                    let vals = [ValueRef::Text(old), ValueRef::Integer(k)];
                    assert!(ic.seek_index_eq(&mut bt, &vals).unwrap());
                    ic.delete(&mut bt).unwrap();
                    let _ = oldkey;
                }
                let rec = b.build(&[Value::Integer(k * 3), Value::Text(bval.clone())]);
                tc.insert(&mut bt, k, &rec).unwrap();
                replay.push_str(&format!(
                    "INSERT OR REPLACE INTO t(rowid, a, b) VALUES({k}, {}, '{}');\n",
                    k * 3,
                    String::from_utf8_lossy(&bval)
                ));
                let key = b.build(&[Value::Text(bval.clone()), Value::Integer(k)]);
                ic.insert_index(&mut bt, &key).unwrap();
                model.insert(k, (k * 3, bval));
            } else if let Some((_, old)) = model.remove(&k) {
                replay.push_str(&format!("DELETE FROM t WHERE rowid = {k};\n"));
                assert!(tc.seek_rowid(&mut bt, k).unwrap());
                tc.delete(&mut bt).unwrap();
                let vals = [ValueRef::Text(&old), ValueRef::Integer(k)];
                assert!(ic.seek_index_eq(&mut bt, &vals).unwrap());
                ic.delete(&mut bt).unwrap();
            }
        }
        // DROP TABLE churn: now and then a table is created, filled and dropped (files without
        // auto_vacuum, where dropping never moves another root page).
        if av == AutoVacuum::None && (done / 200) % 25 == 0 {
            let root = bt.create_tree(TreeKind::Table).unwrap();
            let mut c = bt.cursor(root, TreeKind::Table, true, None);
            replay.push_str("CREATE TABLE s(x);\n");
            for j in 1..=40i64 {
                let rec = b.build(&[Value::Blob(vec![j as u8; 1000])]);
                c.insert(&mut bt, j, &rec).unwrap();
                replay.push_str(&format!("INSERT INTO s(rowid, x) VALUES({j}, zeroblob(1000));\n"));
            }
            drop(c);
            assert_eq!(bt.drop_tree(root).unwrap(), None);
            replay.push_str("DROP TABLE s;\n");
        }
        bt.commit().unwrap();
        replay.push_str("COMMIT;\n");
    }
    if av == AutoVacuum::Incremental {
        replay.push_str("PRAGMA incremental_vacuum;\n");
        bt.begin_write().unwrap();
        bt.incremental_vacuum(0).unwrap();
        bt.commit().unwrap();
    }
    bt.end_read().unwrap();
    drop(bt);
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n", "page size {page_size}");
    let want_av = match av {
        AutoVacuum::None => "0",
        AutoVacuum::Full => "1",
        AutoVacuum::Incremental => "2",
    };
    assert_eq!(sqlite(&db, "pragma auto_vacuum").trim(), want_av);
    if av != AutoVacuum::None {
        assert_eq!(sqlite(&db, "pragma freelist_count"), "0\n");
    }
    let mut want = String::new();
    for (k, (a, bv)) in &model {
        want.push_str(&format!("{k}|{a}|{}\n", String::from_utf8_lossy(bv)));
    }
    assert_eq!(sqlite(&db, "select rowid, a, b from t order by rowid"), want);
    assert_eq!(
        sqlite(&db, "select count(*) from t indexed by i where b is not null"),
        format!("{}\n", model.len())
    );
    if reserved == 0 {
        let theirs = d.join("sqlite.db");
        let script = d.join("replay.sql");
        std::fs::write(&script, &replay).unwrap();
        let out = Command::new("sqlite3")
            .arg(&theirs)
            .stdin(std::fs::File::open(&script).unwrap())
            .output()
            .unwrap();
        assert!(out.status.success(), "replay: {}", String::from_utf8_lossy(&out.stderr));
        let (ours_len, theirs_len) = (std::fs::metadata(&db).unwrap().len(), std::fs::metadata(&theirs).unwrap().len());
        eprintln!("{ops} ops, page size {page_size}, {av:?}: ours {ours_len} bytes, SQLite's {theirs_len} bytes");
        assert!(
            ours_len * 10 <= theirs_len * 11 && ours_len * 10 >= theirs_len * 9,
            "file size {ours_len} is not within 10% of SQLite's {theirs_len}"
        );
        // Real SQLite's own dump of both files is the same content.
        assert_eq!(sqlite(&db, "select rowid, a, b from t order by rowid"), sqlite(&theirs, "select rowid, a, b from t order by rowid"));
    }
}

#[test]
fn files_written_here_pass_sqlite_integrity_check_4096() {
    if have_sqlite() {
        ops_against_sqlite(4096, 6000, 7);
    }
}

#[test]
fn files_written_here_pass_sqlite_integrity_check_512() {
    if have_sqlite() {
        ops_against_sqlite(512, 4000, 8);
    }
}

#[test]
fn auto_vacuum_files_written_here_pass_sqlite_integrity_check() {
    if have_sqlite() {
        ops_against_sqlite_av(1024, 3000, 9, AutoVacuum::Full, 0);
        ops_against_sqlite_av(512, 3000, 10, AutoVacuum::Incremental, 0);
    }
}

#[test]
fn reserved_bytes_files_written_here_pass_sqlite_integrity_check() {
    if have_sqlite() {
        ops_against_sqlite_av(1024, 2000, 11, AutoVacuum::None, 32);
    }
}

#[test]
fn we_write_into_sqlite_auto_vacuum_files() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("avwrite");
    let db = d.join("a.db");
    sqlite(&db, "pragma page_size=1024; pragma auto_vacuum=full; create table t(a, b); create table u(x);
                 with recursive n(i) as (select 1 union all select i+1 from n where i<500) insert into t select i, randomblob(i % 900) from n;
                 insert into u select randomblob(3000) from t limit 20;");
    let mut bt = open(&db);
    bt.begin_write().unwrap();
    let s = schema(&mut bt);
    let mut c = bt.cursor(s["t"], TreeKind::Table, true, None);
    let mut ok = c.first(&mut bt).unwrap();
    let mut i = 0;
    while ok {
        if i % 3 == 0 {
            c.delete(&mut bt).unwrap();
        }
        i += 1;
        ok = c.next(&mut bt).unwrap();
    }
    let moved = bt.drop_tree(s["t"]).unwrap();
    // Table u's root (the last root) moved into t's slot: fix its schema row as the VM would.
    assert_eq!(moved, Some(s["u"]));
    let mut sc = bt.cursor(1, TreeKind::Table, true, None);
    let mut ok = sc.first(&mut bt).unwrap();
    let mut r = RecordReader::new();
    let mut rows = Vec::new();
    while ok {
        let rowid = sc.rowid(&mut bt).unwrap();
        let p = sc.payload(&mut bt).unwrap().to_vec();
        r.parse(&p).unwrap();
        rows.push((rowid, r.values(&p).unwrap()));
        ok = sc.next(&mut bt).unwrap();
    }
    for (rowid, mut vals) in rows {
        if vals[1] == Value::text("t") {
            assert!(sc.seek_rowid(&mut bt, rowid).unwrap());
            sc.delete(&mut bt).unwrap();
        } else if vals[3] == Value::Integer(s["u"] as i64) {
            vals[3] = Value::Integer(s["t"] as i64);
            sc.insert(&mut bt, rowid, &RecordBuilder::new().build(&vals)).unwrap();
        }
    }
    let cookie = bt.get_meta(META_SCHEMA_VERSION).unwrap();
    bt.set_meta(META_SCHEMA_VERSION, cookie + 1).unwrap();
    bt.commit().unwrap();
    bt.end_read().unwrap();
    drop(bt);
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&db, "select count(*), sum(length(x)) from u"), "20|60000\n");
    assert_eq!(sqlite(&db, "pragma freelist_count"), "0\n");
}

/// Issue 4: a randomized workload of 100,000 operations (rows of 0 B to 100 KB, an index, DROP
/// TABLE churn) for each page size and auto_vacuum mode: real SQLite finds the file intact, reads
/// the same content, and the same workload on SQLite gives a file within 10% of ours (about
/// 35 s in a release build, as `make test` runs it; debug builds skip it).
#[test]
#[cfg_attr(debug_assertions, ignore)]
fn files_written_here_pass_sqlite_integrity_check_long() {
    for (i, ps) in [512u32, 1024, 2048, 4096, 16384, 65536].iter().enumerate() {
        ops_against_sqlite(*ps, 100_000, 100 + i as u64);
    }
    ops_against_sqlite_av(1024, 100_000, 200, AutoVacuum::Full, 0);
    ops_against_sqlite_av(4096, 100_000, 201, AutoVacuum::Incremental, 0);
}

#[test]
fn sequential_appends_fill_pages_like_sqlite() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("seq");
    let ours = d.join("ours.db");
    let theirs = d.join("theirs.db");
    sqlite(&theirs, "create table t(a, b); with recursive n(i) as (select 1 union all select i+1 from n where i < 20000) insert into t select i, printf('%.*c', 40 + i % 60, 'v') from n;");
    let mut bt = open(&ours);
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    write_schema_row(&mut bt, 1, "table", "t", "t", root, "CREATE TABLE t(a, b)");
    bt.set_meta(META_SCHEMA_VERSION, 1).unwrap();
    let mut c = bt.cursor(root, TreeKind::Table, true, None);
    let mut b = RecordBuilder::new();
    for i in 1..=20000i64 {
        let s = "v".repeat(40 + (i % 60) as usize);
        let rec = b.build(&[Value::Integer(i), Value::text(&s)]);
        c.insert(&mut bt, i, &rec).unwrap();
    }
    bt.commit().unwrap();
    bt.end_read().unwrap();
    drop(bt);
    assert_eq!(sqlite(&ours, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&ours, "select count(*), sum(length(b)) from t"), sqlite(&theirs, "select count(*), sum(length(b)) from t"));
    let (a, b2) = (std::fs::metadata(&ours).unwrap().len() as f64, std::fs::metadata(&theirs).unwrap().len() as f64);
    assert!((a - b2).abs() / b2 < 0.10, "file sizes: ours {a}, sqlite {b2}");
}

#[test]
fn sqlite_and_we_take_turns_on_one_file_with_locks() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("locks");
    let db = d.join("l.db");
    sqlite(&db, "create table t(x); insert into t values(1);");
    let mut bt = open(&db);
    bt.begin_write().unwrap();
    let s = schema(&mut bt);
    let mut c = bt.cursor(s["t"], TreeKind::Table, true, None);
    c.insert(&mut bt, 2, &RecordBuilder::new().build(&[Value::Integer(2)])).unwrap();
    // We hold RESERVED: a writer in another process is refused.
    let out = Command::new("sqlite3").arg(&db).arg("insert into t values(3)").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("database is locked"));
    // A reader still sees the old content.
    assert_eq!(sqlite(&db, "select count(*) from t"), "1\n");
    bt.commit().unwrap();
    bt.end_read().unwrap();
    assert_eq!(sqlite(&db, "select x from t order by x"), "1\n2\n");
    sqlite(&db, "insert into t values(3)");
    // Our next read transaction sees sqlite's commit.
    bt.begin_read().unwrap();
    assert_eq!(bt.count(s["t"]).unwrap(), 3);
    bt.end_read().unwrap();
}

/// Our b-tree-level integrity_check against sqlite3's on files damaged on purpose.
#[test]
fn integrity_check_messages_match_sqlite() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("ic");
    let base = d.join("base.db");
    sqlite(
        &base,
        "pragma page_size=1024; create table t(a);
         with recursive n(i) as (select 1 union all select i+1 from n where i<300) insert into t select randomblob(20) from n;
         create table big(x); insert into big values(randomblob(5000));
         create table gone(x); insert into gone select randomblob(900) from t limit 30; drop table gone;",
    );
    let ps = 1024usize;
    let pg = move |n: usize| (n - 1) * ps;
    let base_bytes = std::fs::read(&base).unwrap();
    let n_pages = base_bytes.len() / ps;
    let big_root = sqlite(&base, "select rootpage from sqlite_schema where name='big'").trim().parse::<usize>().unwrap();
    type Damage = Box<dyn Fn(&mut Vec<u8>)>;
    let cases: Vec<(&str, Damage)> = vec![
        ("intact", Box::new(|_b: &mut Vec<u8>| {})),
        ("unused page", Box::new(move |b: &mut Vec<u8>| {
            b.extend(std::iter::repeat_n(0, ps));
            let n = (b.len() / ps) as u32;
            b[28..32].copy_from_slice(&n.to_be_bytes());
        })),
        ("fragment count", Box::new(move |b: &mut Vec<u8>| b[pg(3) + 7] += 2)),
        ("cell order", Box::new(move |b: &mut Vec<u8>| {
            let o = pg(3) + 8;
            let (x, y) = ([b[o], b[o + 1]], [b[o + 2], b[o + 3]]);
            b[o..o + 2].copy_from_slice(&y);
            b[o + 2..o + 4].copy_from_slice(&x);
        })),
        ("freelist count", Box::new(move |b: &mut Vec<u8>| {
            let c = u32::from_be_bytes(b[36..40].try_into().unwrap()) + 3;
            b[36..40].copy_from_slice(&c.to_be_bytes());
        })),
        ("overflow pointer", Box::new(move |b: &mut Vec<u8>| {
            // The cell of `big` points at its first overflow page; break that pointer.
            let root = pg(big_root);
            let cp = u16::from_be_bytes([b[root + 8], b[root + 9]]) as usize;
            let (p, n1) = ferrolite_engine::record::get_varint(&b[root + cp..]).unwrap();
            let (_, n2) = ferrolite_engine::record::get_varint(&b[root + cp + n1..]).unwrap();
            let local = ferrolite_engine::btree::page::local_size(p, ps, true);
            let at = root + cp + n1 + n2 + local;
            b[at..at + 4].copy_from_slice(&9999u32.to_be_bytes());
        })),
        ("shared child", Box::new(move |b: &mut Vec<u8>| {
            let r = pg(2);
            let c0 = u16::from_be_bytes([b[r + 12], b[r + 13]]) as usize;
            let c1 = u16::from_be_bytes([b[r + 14], b[r + 15]]) as usize;
            let child: [u8; 4] = b[r + c0..r + c0 + 4].try_into().unwrap();
            b[r + c1..r + c1 + 4].copy_from_slice(&child);
        })),
    ];
    let _ = n_pages;
    for (name, damage) in cases {
        let f = d.join(format!("{}.db", name.replace(' ', "_")));
        let mut bytes = base_bytes.clone();
        damage(&mut bytes);
        std::fs::write(&f, &bytes).unwrap();
        let theirs = sqlite(&f, "pragma integrity_check");
        let theirs: Vec<&str> = theirs.lines().filter(|l| !l.starts_with("*** in database")).collect();
        let mut bt = open(&f);
        bt.begin_read().unwrap();
        // SQLite checks trees in schema order (rowid order of sqlite_schema).
        let sql = sqlite(&f, "select rootpage from sqlite_schema order by rowid");
        let mut roots: Vec<u32> = vec![1];
        roots.extend(sql.lines().map(|l| l.parse::<u32>().unwrap()));
        let ours = bt.integrity_check(&roots, 100).unwrap();
        bt.end_read().unwrap();
        if theirs == ["ok"] {
            assert!(ours.is_empty(), "{name}: we report {ours:?}");
        } else {
            assert_eq!(ours, theirs, "{name}");
        }
    }
}

/// Retries `f` while it fails with SQLITE_BUSY (our side's busy handler in tests).
fn with_busy_retry<T>(bt: &mut Btree, mut f: impl FnMut(&mut Btree) -> ferrolite_engine::Result<T>) -> T {
    for _ in 0..20_000 {
        match f(bt) {
            Ok(v) => return v,
            Err(e) if e.primary() == ferrolite_engine::error::code::BUSY => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Err(e) => panic!("{e}"),
        }
    }
    panic!("busy for too long");
}

#[test]
fn concurrent_writers_sqlite_and_us_lose_nothing() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("concurrent");
    let db = d.join("c.db");
    sqlite(&db, "create table t(who, n);");
    let script = format!(
        "import sqlite3\nc = sqlite3.connect({:?}, timeout=30)\nfor i in range(150):\n    c.execute('insert into t values(?, ?)', ('sqlite', i))\n    c.commit()\n",
        db.to_str().unwrap()
    );
    let mut child = Command::new("python3").arg("-c").arg(&script).spawn().unwrap();
    let mut bt = open(&db);
    let mut b = RecordBuilder::new();
    for i in 0..150i64 {
        let rec = b.build(&[Value::text("us"), Value::Integer(i)]);
        loop {
            // A write transaction: BUSY at the start means "end the read and wait".
            match bt.begin_write() {
                Ok(()) => {}
                Err(e) if e.primary() == ferrolite_engine::error::code::BUSY => {
                    bt.end_read().unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(1));
                    continue;
                }
                Err(e) => panic!("{e}"),
            }
            break;
        }
        let root = schema(&mut bt)["t"];
        let mut c = bt.cursor(root, TreeKind::Table, true, None);
        let next = if c.last(&mut bt).unwrap() { c.rowid(&mut bt).unwrap() + 1 } else { 1 };
        c.insert(&mut bt, next, &rec).unwrap();
        with_busy_retry(&mut bt, |bt| bt.commit());
        bt.end_read().unwrap();
    }
    assert!(child.wait().unwrap().success());
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&db, "select who, count(*), count(distinct n) from t group by who order by who"), "sqlite|150|150\nus|150|150\n");
}

/// Files over 1 GiB: the lock-byte page (at byte 0x40000000) is skipped by both sides.
/// Slow (writes over 1 GiB twice), so not in the default run.
#[test]
#[ignore]
fn files_over_one_gib_skip_the_lock_byte_page() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("gib");
    let db = d.join("g.db");
    // SQLite writes a 1.1 GiB file with 64 KiB pages: rows of 1 MB blobs.
    sqlite(&db, "pragma page_size=65536; pragma journal_mode=off; create table t(a, b);
                 with recursive n(i) as (select 1 union all select i+1 from n where i<1100)
                 insert into t select i, zeroblob(1000000) from n;");
    assert!(std::fs::metadata(&db).unwrap().len() > 1 << 30);
    let mut bt = open(&db);
    bt.begin_write().unwrap();
    let s = schema(&mut bt);
    assert_eq!(bt.count(s["t"]).unwrap(), 1100);
    // Our appends cross nothing new, so delete and re-add rows that span the lock-byte page.
    let mut c = bt.cursor(s["t"], TreeKind::Table, true, None);
    for i in 1..=1100i64 {
        if i % 2 == 0 {
            assert!(c.seek_rowid(&mut bt, i).unwrap());
            c.delete(&mut bt).unwrap();
        }
    }
    let mut b = RecordBuilder::new();
    for i in 2000..2700i64 {
        let rec = b.build(&[Value::Integer(i), Value::Blob(vec![(i % 251) as u8; 1_000_000])]);
        c.insert(&mut bt, i, &rec).unwrap();
    }
    bt.commit().unwrap();
    bt.end_read().unwrap();
    drop(bt);
    assert!(std::fs::metadata(&db).unwrap().len() > 1 << 30);
    assert_eq!(sqlite(&db, "pragma integrity_check"), "ok\n");
    assert_eq!(sqlite(&db, "select count(*), sum(length(b)) from t"), "1250|1250000000\n");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn two_connections_in_one_process_coordinate_through_locks() {
    if !have_sqlite() {
        return;
    }
    let d = tmpdir("twoconn");
    let db = d.join("two.db");
    sqlite(&db, "create table t(x); insert into t values(1);");
    let mut a = open(&db);
    let mut b = open(&db);
    a.begin_write().unwrap();
    let root = schema(&mut a)["t"];
    let mut c = a.cursor(root, TreeKind::Table, true, None);
    c.insert(&mut a, 2, &RecordBuilder::new().build(&[Value::Integer(2)])).unwrap();
    // B reads the committed state while A writes.
    b.begin_read().unwrap();
    assert_eq!(b.count(root).unwrap(), 1);
    // B cannot start writing: A holds RESERVED.
    assert_eq!(b.pager_mut().begin_write().unwrap_err().primary(), ferrolite_engine::error::code::BUSY);
    // A cannot commit while B reads (EXCLUSIVE refused, PENDING kept), B finishes, A commits.
    assert_eq!(a.commit().unwrap_err().primary(), ferrolite_engine::error::code::BUSY);
    b.end_read().unwrap();
    // A new reader is refused while A holds PENDING.
    assert_eq!(b.begin_read().unwrap_err().primary(), ferrolite_engine::error::code::BUSY);
    a.commit().unwrap();
    a.end_read().unwrap();
    b.begin_read().unwrap();
    assert_eq!(b.count(root).unwrap(), 2);
    b.end_read().unwrap();
    // Dropping B (closing its descriptor) must not release A's locks.
    a.begin_write().unwrap();
    drop(b);
    let out = Command::new("sqlite3").arg(&db).arg("insert into t values(3)").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("database is locked"));
    a.rollback().unwrap();
    a.end_read().unwrap();
    assert_eq!(sqlite(&db, "pragma integrity_check; select count(*) from t"), "ok\n2\n");
}
