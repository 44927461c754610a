//! B-tree unit tests: a BTreeMap model oracle for random inserts, deletes and seeks.

use std::collections::BTreeMap;

use super::*;
use crate::record::{RecordBuilder, ValueRef};
use crate::value::Value;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn payload_for(rng: &mut Rng, key: i64) -> Vec<u8> {
    let len = match rng.below(10) {
        0 => rng.below(6000) as usize,
        1 => 0,
        _ => rng.below(120) as usize,
    };
    (0..len).map(|i| (key as u8).wrapping_add(i as u8)).collect()
}

fn check_table(bt: &mut Btree, root: Pgno, model: &BTreeMap<i64, Vec<u8>>) {
    let mut c = bt.cursor(root, TreeKind::Table, false, None);
    let mut ok = c.first(bt).unwrap();
    let mut it = model.iter();
    while ok {
        let (k, v) = it.next().expect("tree has more rows than the model");
        assert_eq!(c.rowid(bt).unwrap(), *k);
        assert_eq!(c.payload(bt).unwrap(), v.as_slice(), "payload of {k}");
        ok = c.next(bt).unwrap();
    }
    assert!(it.next().is_none(), "model has more rows than the tree");
    assert_eq!(bt.count(root).unwrap(), model.len() as u64);
    // Backwards too.
    let mut ok = c.last(bt).unwrap();
    let mut it = model.iter().rev();
    while ok {
        let (k, _) = it.next().unwrap();
        assert_eq!(c.rowid(bt).unwrap(), *k);
        ok = c.prev(bt).unwrap();
    }
    assert!(it.next().is_none());
}

fn run_table_model(seed: u64, ops: usize, page_size: u32) {
    run_table_model_av(seed, ops, page_size, AutoVacuum::None)
}

fn run_table_model_av(seed: u64, ops: usize, page_size: u32, av: AutoVacuum) {
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(page_size, 0).unwrap();
    bt.set_auto_vacuum(av).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    let mut model = BTreeMap::new();
    let mut rng = Rng(seed);
    let mut cur = bt.cursor(root, TreeKind::Table, true, None);
    for op in 0..ops {
        match rng.below(10) {
            0..=5 => {
                let k = rng.below(2000) as i64 - 200;
                let v = payload_for(&mut rng, k);
                cur.insert(&mut bt, k, &v).unwrap();
                model.insert(k, v);
            }
            6..=7 => {
                let k = rng.below(2000) as i64 - 200;
                let found = cur.seek_rowid(&mut bt, k).unwrap();
                assert_eq!(found, model.contains_key(&k));
                if found {
                    cur.delete(&mut bt).unwrap();
                    model.remove(&k);
                    // The cursor continues with the next row.
                    let nxt = cur.next(&mut bt).unwrap();
                    let want = model.range(k..).next().map(|(k, _)| *k);
                    assert_eq!(if nxt { Some(cur.rowid(&mut bt).unwrap()) } else { None }, want);
                }
            }
            _ => {
                let k = rng.below(2200) as i64 - 300;
                let ok = cur.seek_rowid_op(&mut bt, k, cursor::SeekOp::Le).unwrap();
                let want = model.range(..=k).next_back().map(|(k, _)| *k);
                assert_eq!(if ok { Some(cur.rowid(&mut bt).unwrap()) } else { None }, want, "LE {k} at op {op}");
            }
        }
        if op % 500 == 0 {
            check_table(&mut bt, root, &model);
            if av != AutoVacuum::None {
                // Commit (FULL vacuums here) and go on in a new transaction.
                bt.commit().unwrap();
                assert_eq!(bt.integrity_check(&[1, root], 100).unwrap(), Vec::<String>::new());
                if av == AutoVacuum::Full {
                    assert_eq!(bt.get_meta(0).unwrap(), 0, "FULL leaves no free page");
                }
                bt.begin_write().unwrap();
            }
        }
    }
    check_table(&mut bt, root, &model);
    assert_eq!(bt.integrity_check(&[1, root], 100).unwrap(), Vec::<String>::new());
    bt.commit().unwrap();
    // Delete everything through iteration.
    bt.begin_write().unwrap();
    let mut cur = bt.cursor(root, TreeKind::Table, true, None);
    let mut ok = cur.first(&mut bt).unwrap();
    while ok {
        cur.delete(&mut bt).unwrap();
        ok = cur.next(&mut bt).unwrap();
    }
    assert_eq!(bt.count(root).unwrap(), 0);
    assert_eq!(bt.integrity_check(&[1, root], 100).unwrap(), Vec::<String>::new());
    bt.commit().unwrap();
}

#[test]
fn table_model_random_ops_4096() {
    run_table_model(0x1234_5678, 6000, 4096);
}

#[test]
fn table_model_random_ops_512() {
    run_table_model(0x9abc_def1, 4000, 512);
}

#[test]
#[ignore]
fn table_model_random_ops_long() {
    for (i, ps) in [512u32, 1024, 4096, 65536].iter().enumerate() {
        run_table_model(77 + i as u64, 100_000, *ps);
    }
}

fn run_index_model(seed: u64, ops: usize, page_size: u32) {
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(page_size, 0).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Index).unwrap();
    let mut rng = Rng(seed);
    // Model: (text key, rowid) ordered like the index (text BINARY then rowid).
    let mut model: BTreeMap<(Vec<u8>, i64), ()> = BTreeMap::new();
    let mut b = RecordBuilder::new();
    let mut cur = bt.cursor(root, TreeKind::Index, true, Some(KeyInfo::binary(2)));
    let mk = |rng: &mut Rng| -> Vec<u8> {
        let n = if rng.below(20) == 0 { 900 + rng.below(3000) as usize } else { rng.below(30) as usize };
        let c = b'a' + rng.below(26) as u8;
        let mut v = vec![c; n];
        v.push(b'0' + rng.below(10) as u8);
        v
    };
    for _ in 0..ops {
        match rng.below(10) {
            0..=5 => {
                let t = mk(&mut rng);
                let r = rng.below(1000) as i64;
                let rec = b.build(&[Value::Text(t.clone()), Value::Integer(r)]);
                cur.insert_index(&mut bt, &rec).unwrap();
                model.insert((t, r), ());
            }
            6..=7 => {
                let t = mk(&mut rng);
                let key = [ValueRef::Text(&t)];
                let ok = cur.seek_index(&mut bt, &key, cursor::SeekOp::Ge).unwrap();
                let want = model.range((t.clone(), i64::MIN)..).next().map(|(k, _)| k.clone());
                let got = if ok {
                    let v = crate::record::decode_record(cur.payload(&mut bt).unwrap()).unwrap();
                    match (&v[0], &v[1]) {
                        (Value::Text(t), Value::Integer(r)) => Some((t.clone(), *r)),
                        _ => panic!("bad record"),
                    }
                } else {
                    None
                };
                assert_eq!(got, want);
                if let Some(k) = got {
                    if rng.below(2) == 0 {
                        cur.delete(&mut bt).unwrap();
                        model.remove(&k);
                    }
                }
            }
            _ => {
                let t = mk(&mut rng);
                let key = [ValueRef::Text(&t)];
                let ok = cur.seek_index(&mut bt, &key, cursor::SeekOp::Lt).unwrap();
                let want = model.range(..(t.clone(), i64::MIN)).next_back().map(|(k, _)| k.clone());
                let got = if ok {
                    let v = crate::record::decode_record(cur.payload(&mut bt).unwrap()).unwrap();
                    match (&v[0], &v[1]) {
                        (Value::Text(t), Value::Integer(r)) => Some((t.clone(), *r)),
                        _ => panic!("bad record"),
                    }
                } else {
                    None
                };
                assert_eq!(got, want);
            }
        }
    }
    let mut ok = cur.first(&mut bt).unwrap();
    let mut it = model.keys();
    while ok {
        let v = crate::record::decode_record(cur.payload(&mut bt).unwrap()).unwrap();
        let (t, r) = it.next().expect("tree longer than model");
        assert_eq!(v, vec![Value::Text(t.clone()), Value::Integer(*r)]);
        ok = cur.next(&mut bt).unwrap();
    }
    assert!(it.next().is_none());
    assert_eq!(bt.count(root).unwrap(), model.len() as u64);
    assert_eq!(bt.integrity_check(&[1, root], 100).unwrap(), Vec::<String>::new());
    bt.commit().unwrap();
}

#[test]
fn index_model_random_ops_1024() {
    run_index_model(42, 5000, 1024);
}

#[test]
fn index_model_random_ops_4096() {
    run_index_model(43, 5000, 4096);
}

#[test]
fn drop_and_clear_return_pages_to_freelist() {
    let mut bt = Btree::open_memory().unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    let mut cur = bt.cursor(root, TreeKind::Table, true, None);
    for i in 0..2000 {
        cur.insert(&mut bt, i, &[7u8; 300]).unwrap();
    }
    let pages = bt.pager().page_count();
    assert_eq!(bt.clear_tree(root).unwrap(), 2000);
    let free = bt.get_meta(crate::pager::header::META_FREE_PAGE_COUNT).unwrap();
    assert_eq!(free, pages - 2, "every page but page 1 and the root is free");
    for i in 0..2000 {
        cur.insert(&mut bt, i, &[8u8; 300]).unwrap();
    }
    assert_eq!(bt.pager().page_count(), pages, "pages come back from the freelist");
    bt.drop_tree(root).unwrap();
    assert_eq!(bt.get_meta(0).unwrap(), pages - 1);
    bt.commit().unwrap();
}

#[test]
fn payload_ranges_read_and_write_through_overflow_pages() {
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(1024, 0).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    let mut c = bt.cursor(root, TreeKind::Table, true, None);
    let mut data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
    c.insert(&mut bt, 5, &data).unwrap();
    for (off, len) in [(0usize, 10usize), (100, 2000), (1500, 3000), (9990, 10), (0, 10_000)] {
        let mut buf = vec![0u8; len];
        c.read_payload_range(&mut bt, off as u64, &mut buf).unwrap();
        assert_eq!(buf, data[off..off + len]);
    }
    let mut buf = [0u8; 2];
    assert!(c.read_payload_range(&mut bt, 9999, &mut buf).is_err());
    let patch = vec![0xabu8; 3000];
    c.write_payload_range(&mut bt, 500, &patch).unwrap();
    data[500..3500].copy_from_slice(&patch);
    assert_eq!(c.payload(&mut bt).unwrap(), data.as_slice());
    assert_eq!(bt.integrity_check(&[1, root], 10).unwrap(), Vec::<String>::new());
    bt.commit().unwrap();
}

#[test]
fn auto_vacuum_full_model_and_integrity() {
    run_table_model_av(0x51, 4000, 1024, AutoVacuum::Full);
}

#[test]
fn auto_vacuum_incremental_model_and_integrity() {
    run_table_model_av(0x52, 3000, 512, AutoVacuum::Incremental);
}

#[test]
fn auto_vacuum_roots_stay_in_front_and_drop_moves_the_last_root() {
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(1024, 0).unwrap();
    bt.set_auto_vacuum(AutoVacuum::Full).unwrap();
    bt.begin_write().unwrap();
    let a = bt.create_tree(TreeKind::Table).unwrap();
    let mut c = bt.cursor(a, TreeKind::Table, true, None);
    for i in 0..300 {
        c.insert(&mut bt, i, &[1u8; 200]).unwrap();
    }
    // Later roots take the pages right after the first one, moving table a's pages away.
    let b = bt.create_tree(TreeKind::Index).unwrap();
    let t = bt.create_tree(TreeKind::Table).unwrap();
    assert_eq!((a, b, t), (3, 4, 5), "page 2 is the pointer map");
    assert_eq!(bt.get_meta(crate::pager::header::META_LARGEST_ROOT_PAGE).unwrap(), 5);
    assert_eq!(bt.count(a).unwrap(), 300);
    assert_eq!(bt.integrity_check(&[1, a, b, t], 100).unwrap(), Vec::<String>::new());
    let mut c = bt.cursor(t, TreeKind::Table, true, None);
    c.insert(&mut bt, 9, b"x").unwrap();
    assert_eq!(bt.drop_tree(a).unwrap(), Some(5), "root 5 moved into page 3");
    assert_eq!(bt.count(3).unwrap(), 1);
    assert_eq!(bt.integrity_check(&[1, 3, 4], 100).unwrap(), Vec::<String>::new());
    bt.commit().unwrap();
    assert_eq!(bt.get_meta(0).unwrap(), 0);
    assert_eq!(bt.pager().page_count(), 4);
}

#[test]
fn statement_savepoints_undo_only_their_statement_even_after_spills() {
    // A savepoint rolled back after the transaction spilled pages to the file must still
    // restore exactly the state it opened on.
    let vfs = crate::vfs::sim::SimVfs::new();
    let v: std::sync::Arc<dyn crate::vfs::Vfs> = std::sync::Arc::new(vfs.clone());
    let mut bt = Btree::open(v, "db", crate::pager::PagerOptions { create: true, ..Default::default() }).unwrap();
    bt.pager_mut().set_cache_size(12);
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    let mut c = bt.cursor(root, TreeKind::Table, true, None);
    let mut model = BTreeMap::new();
    for i in 0..500 {
        c.insert(&mut bt, i, &[i as u8; 100]).unwrap();
        model.insert(i, vec![i as u8; 100]);
    }
    bt.commit().unwrap();
    let committed = vfs.file_bytes("db").unwrap().len();
    bt.begin_write().unwrap();
    for i in 500..600 {
        c.insert(&mut bt, i, &[1u8; 300]).unwrap();
        model.insert(i, vec![1u8; 300]);
    }
    let sp = bt.savepoint_open().unwrap();
    for i in 0..400 {
        if c.seek_rowid(&mut bt, i * 2).unwrap() {
            c.delete(&mut bt).unwrap();
        }
        c.insert(&mut bt, 10_000 + i, &[9u8; 700]).unwrap();
    }
    assert!(vfs.file_bytes("db").unwrap().len() > committed, "the statement spilled pages");
    bt.savepoint_rollback(sp).unwrap();
    check_table(&mut bt, root, &model);
    bt.savepoint_release(sp).unwrap();
    c.insert(&mut bt, 42, b"after").unwrap();
    model.insert(42, b"after".to_vec());
    bt.commit().unwrap();
    check_table(&mut bt, root, &model);
    assert_eq!(bt.integrity_check(&[1, root], 100).unwrap(), Vec::<String>::new());
    // And a full rollback of a spilled transaction.
    bt.begin_write().unwrap();
    for i in 0..600 {
        if c.seek_rowid(&mut bt, i).unwrap() {
            c.delete(&mut bt).unwrap();
        }
    }
    bt.rollback().unwrap();
    bt.begin_read().unwrap();
    check_table(&mut bt, root, &model);
}

#[test]
fn reinserting_an_index_key_held_by_an_interior_page_adds_no_duplicate() {
    // Pins a bug: an existing key that sits in an interior cell was inserted a second time
    // into the leaf before it, because the leaf seek only looked at leaf cells.
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(512, 0).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Index).unwrap();
    let mut c = bt.cursor(root, TreeKind::Index, true, Some(KeyInfo::binary(2)));
    let mut b = RecordBuilder::new();
    let keys: Vec<Vec<u8>> = (0..400).map(|i| b.build(&[Value::Integer(i), Value::text("padding-padding")])).collect();
    for k in &keys {
        c.insert_index(&mut bt, k).unwrap();
    }
    for k in &keys {
        c.insert_index(&mut bt, k).unwrap();
    }
    assert_eq!(bt.count(root).unwrap(), 400);
    assert_eq!(bt.integrity_check(&[1, root], 10).unwrap(), Vec::<String>::new());
}

#[test]
fn index_scan_survives_writes_through_another_cursor() {
    // Pins a bug: a scanning cursor whose tree changed re-seeked its key; when that key was in
    // an interior cell it was reported as "gone" and visited twice.
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(512, 0).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Index).unwrap();
    let mut w = bt.cursor(root, TreeKind::Index, true, Some(KeyInfo::binary(1)));
    let mut b = RecordBuilder::new();
    for i in 0..600i64 {
        w.insert_index(&mut bt, &b.build(&[Value::Integer(i * 2), Value::text("pad-pad-pad-pad")])).unwrap();
    }
    let mut r = bt.cursor(root, TreeKind::Index, false, Some(KeyInfo::binary(1)));
    let mut seen = Vec::new();
    let mut ok = r.first(&mut bt).unwrap();
    let mut n = 0;
    while ok {
        let v = crate::record::decode_record(r.payload(&mut bt).unwrap()).unwrap();
        let Value::Integer(k) = v[0] else { panic!() };
        seen.push(k);
        // Insert odd keys behind the scan, so the scanning cursor must re-seek every time.
        if n < 300 {
            w.insert_index(&mut bt, &b.build(&[Value::Integer(k - 1), Value::text("pad-pad-pad-pad")])).unwrap();
        }
        n += 1;
        ok = r.next(&mut bt).unwrap();
    }
    let evens: Vec<i64> = (0..600).map(|i| i * 2).collect();
    let mut dedup = seen.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), seen.len(), "no entry visited twice");
    assert!(evens.iter().all(|e| seen.contains(e)), "every original entry visited");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in order");
}

#[test]
fn table_scan_survives_deletes_and_inserts_through_another_cursor() {
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(512, 0).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Table).unwrap();
    let mut w = bt.cursor(root, TreeKind::Table, true, None);
    for i in 0..1000i64 {
        w.insert(&mut bt, i * 10, &[7u8; 40]).unwrap();
    }
    let mut r = bt.cursor(root, TreeKind::Table, false, None);
    let mut seen = Vec::new();
    let mut deleted = std::collections::HashSet::new();
    let mut ok = r.first(&mut bt).unwrap();
    while ok {
        let k = r.rowid(&mut bt).unwrap();
        seen.push(k);
        // Delete a row ahead, insert one behind and one far ahead.
        if w.seek_rowid(&mut bt, k + 20).unwrap() {
            w.delete(&mut bt).unwrap();
            deleted.insert(k + 20);
        }
        w.insert(&mut bt, k - 5, &[1u8; 60]).unwrap();
        ok = r.next(&mut bt).unwrap();
    }
    assert!(seen.windows(2).all(|p| p[0] < p[1]), "in order, no repeats");
    for i in 0..1000i64 {
        if !deleted.contains(&(i * 10)) {
            assert!(seen.contains(&(i * 10)), "row {} visited", i * 10);
        }
    }
    assert!(seen.iter().all(|k| !deleted.contains(k)), "no deleted row visited");
    assert_eq!(bt.integrity_check(&[1, root], 10).unwrap(), Vec::<String>::new());
}

#[test]
fn deleting_an_index_interior_entry_whose_bigger_predecessor_does_not_fit_leaves_no_empty_leaf() {
    // Pins a bug: deleting an index entry held by an interior page moved its predecessor up
    // from a leaf; when that bigger cell did not fit the interior page, only the interior page
    // was balanced, and the leaf the predecessor came from was left with no cells.
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(1024, 0).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_tree(TreeKind::Index).unwrap();
    let usable = bt.usable_size();
    let mut b = RecordBuilder::new();
    let key = |b: &mut RecordBuilder, t: &str| b.build(&[Value::text(t), Value::Integer(1)]);
    // A root of 60 small dividers "kNNNd" (nearly full), over leaves of three small keys
    // each, except leaf 20: it holds one big key, the predecessor of divider 20.
    let big = format!("k020c{}", "x".repeat(200));
    let mut dividers = Vec::new();
    let mut right = 0;
    for i in 0..=60 {
        let leaf = freelist::allocate_page(&mut bt).unwrap();
        let texts: Vec<String> =
            if i == 20 { vec![big.clone()] } else { ["a", "b", "c"].iter().map(|s| format!("k{i:03}{s}")).collect() };
        let cells: Vec<Vec<u8>> = texts
            .iter()
            .map(|t| {
                let rec = key(&mut b, t);
                let mut cell = Vec::new();
                crate::record::varint::push_varint(&mut cell, rec.len() as u64);
                cell.extend_from_slice(&rec);
                cell
            })
            .collect();
        let refs: Vec<&[u8]> = cells.iter().map(|c| c.as_slice()).collect();
        page::rebuild_page(bt.pager.write(leaf).unwrap(), leaf, usable, page::PAGE_LEAF_INDEX, &refs, 0);
        if i < 60 {
            let rec = key(&mut b, &format!("k{i:03}d"));
            let mut cell = leaf.to_be_bytes().to_vec();
            crate::record::varint::push_varint(&mut cell, rec.len() as u64);
            cell.extend_from_slice(&rec);
            dividers.push(cell);
        } else {
            right = leaf;
        }
    }
    let refs: Vec<&[u8]> = dividers.iter().map(|c| c.as_slice()).collect();
    page::rebuild_page(bt.pager.write(root).unwrap(), root, usable, page::PAGE_INTERIOR_INDEX, &refs, right);
    let (data, node) = bt.node(root).unwrap();
    assert!(node.free_space(&data).unwrap() + dividers[20].len() < big.len() + 6, "the big key must not fit the root");
    drop(data);
    assert_eq!(bt.integrity_check(&[1, root], 10).unwrap(), Vec::<String>::new());
    assert_eq!(bt.count(root).unwrap(), 60 + 60 * 3 + 1);

    let mut cur = bt.cursor(root, TreeKind::Index, true, Some(KeyInfo::binary(2)));
    assert!(cur.seek_index_eq(&mut bt, &[ValueRef::Text(b"k020d"), ValueRef::Integer(1)]).unwrap());
    cur.delete(&mut bt).unwrap();

    // A full scan visits every leaf; the cursor refuses an empty non-root page.
    let mut scan = bt.cursor(root, TreeKind::Index, false, Some(KeyInfo::binary(2)));
    let mut seen = Vec::new();
    let mut ok = scan.first(&mut bt).unwrap();
    while ok {
        let v = crate::record::decode_record(scan.payload(&mut bt).unwrap()).unwrap();
        match &v[0] {
            Value::Text(t) => seen.push(String::from_utf8(t.clone()).unwrap()),
            _ => panic!("bad record"),
        }
        ok = scan.next(&mut bt).unwrap();
    }
    let mut want: Vec<String> = (0..=60)
        .flat_map(|i| ["a", "b", "c", "d"].iter().map(move |s| format!("k{i:03}{s}")))
        .filter(|t| !t.starts_with("k060d") && !t.starts_with("k020"))
        .collect();
    want.push(big.clone());
    want.sort();
    assert_eq!(seen, want);
    assert_eq!(bt.integrity_check(&[1, root], 10).unwrap(), Vec::<String>::new());
    bt.commit().unwrap();
}

#[test]
fn empty_database_reads_as_an_empty_schema_table() {
    // Bug: reading sqlite_schema of a database with no pages yet (a new 0-byte file, before
    // any write) failed with SQLITE_CORRUPT "page 1: page number out of range"; SQLite
    // answers with no rows.
    let mut bt = Btree::open_memory().expect("open");
    bt.begin_read().expect("read");
    assert_eq!(bt.pager().page_count(), 0);
    let mut c = bt.cursor(1, TreeKind::Table, false, None);
    assert!(!c.first(&mut bt).expect("first"));
    assert!(!c.last(&mut bt).expect("last"));
    assert!(!c.seek_rowid_leaf(&mut bt, 1).expect("seek"));
    assert_eq!(bt.count(1).expect("count"), 0);
    assert!(bt.integrity_check(&[1], 10).expect("integrity_check").is_empty());
    bt.end_read().expect("end");
    // The first write still creates page 1 for real.
    bt.begin_write().expect("write");
    assert_eq!(bt.pager().page_count(), 1);
    bt.commit().expect("commit");
}

#[test]
fn page_one_has_no_pointer_map_entry() {
    // Bug (found by the `btree_page` fuzz target): integrity_check of a damaged auto_vacuum
    // database whose tree named page 1 as a child looked up page 1's pointer-map page with
    // `pgno - 2`, an arithmetic overflow (a panic in debug builds) instead of an error.
    assert_eq!(super::ptrmap::ptrmap_page_of(1024, 1 << 20, 1), 2);
    assert_eq!(super::ptrmap::ptrmap_page_of(1024, 1 << 20, 3), 2);
    let mut bt = Btree::open_memory().expect("open");
    bt.set_auto_vacuum(AutoVacuum::Full).expect("auto_vacuum");
    bt.begin_write().expect("write");
    assert_eq!(super::ptrmap::get(&mut bt, 1).expect_err("page 1 has no entry").code, code::CORRUPT);
    bt.rollback().expect("rollback");
}
