//! Corrupt files: random damage to a real database never panics or hangs our b-tree; reading,
//! writing and integrity_check answer with errors (SQLITE_CORRUPT and friends) instead.

use std::process::Command;
use std::sync::Arc;

use ferrolite_engine::btree::{Btree, KeyInfo, TreeKind};
use ferrolite_engine::pager::PagerOptions;
use ferrolite_engine::record::RecordReader;
use ferrolite_engine::vfs::sim::SimVfs;
use ferrolite_engine::vfs::{OpenOptions, Vfs};

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Reads every tree reachable from the schema and writes a little; errors are fine.
fn exercise(bytes: &[u8]) -> ferrolite_engine::Result<()> {
    let vfs = SimVfs::new();
    {
        let mut f = vfs.open(Some("db"), OpenOptions::main_db(false, true))?;
        f.write_at(bytes, 0)?;
    }
    let v: Arc<dyn Vfs> = Arc::new(vfs);
    let mut bt = Btree::open(v, "db", PagerOptions { create: false, ..Default::default() })?;
    bt.begin_read()?;
    let mut roots = vec![1u32];
    let mut c = bt.cursor(1, TreeKind::Table, false, None);
    let mut r = RecordReader::new();
    let mut ok = c.first(&mut bt)?;
    let mut guard = 0;
    while ok && guard < 10_000 {
        guard += 1;
        let p = c.payload(&mut bt)?.to_vec();
        r.parse(&p)?;
        if let ferrolite_engine::record::ValueRef::Integer(root) = r.column(&p, 3)? {
            let kind = match r.column(&p, 0)? {
                ferrolite_engine::record::ValueRef::Text(b"index") => TreeKind::Index,
                _ => TreeKind::Table,
            };
            roots.push(root as u32);
            let mut t = bt.cursor(root as u32, kind, false, Some(KeyInfo::binary(2)));
            let mut ok2 = t.first(&mut bt)?;
            while ok2 {
                let p = t.payload(&mut bt)?.to_vec();
                let _ = r.parse(&p);
                ok2 = t.next(&mut bt)?;
            }
            let _ = bt.count(root as u32)?;
        }
        ok = c.next(&mut bt)?;
    }
    let _ = bt.integrity_check(&roots, 50)?;
    bt.begin_write()?;
    for &root in roots.iter().skip(1) {
        let mut t = bt.cursor(root, TreeKind::Table, true, None);
        if t.first(&mut bt).unwrap_or(false) {
            let _ = t.delete(&mut bt);
        }
        let _ = t.insert(&mut bt, 77, b"\x02\x01\x05");
    }
    let _ = bt.commit();
    let _ = bt.rollback();
    Ok(())
}

fn fuzz(rounds: usize, seed: u64) {
    if Command::new("sqlite3").arg("-version").output().is_err() {
        return;
    }
    let d = std::env::temp_dir().join(format!("ferrolite-corrupt-{}-{seed}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let db = d.join("f.db");
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg(
            "pragma page_size=512; create table t(a, b); create index i on t(b, a);
             with recursive n(i) as (select 1 union all select i+1 from n where i<400)
             insert into t select i, printf('%.*c', i % 97, 'q') || hex(randomblob(i % 40)) from n;
             insert into t values(1000, randomblob(3000));
             create table u(x); insert into u select randomblob(50) from t limit 50; drop table u;",
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    let good = std::fs::read(&db).unwrap();
    exercise(&good).expect("the intact file works");
    let mut rng = Rng(seed);
    for _ in 0..rounds {
        let mut b = good.clone();
        let n = 1 + rng.below(8);
        for _ in 0..n {
            let at = rng.below(b.len() as u64) as usize;
            // Favour page headers and cell pointers, where damage is most interesting.
            let at = if rng.below(2) == 0 { (at / 512) * 512 + rng.below(24) as usize } else { at };
            let last = b.len() - 1;
            b[at.min(last)] = rng.below(256) as u8;
        }
        let _ = exercise(&b);
    }
}

#[test]
fn random_damage_never_panics() {
    fuzz(300, 1);
}

#[test]
#[ignore]
fn random_damage_never_panics_long() {
    fuzz(20_000, 2);
}
