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
    let mut bt = Btree::open_memory().unwrap();
    bt.pager_mut().set_page_size(page_size, 0).unwrap();
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
