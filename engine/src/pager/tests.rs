//! Pager tests: commit, rollback, savepoints, crash recovery through the simulation VFS, and
//! hot journals left by real SQLite.

use super::*;
use crate::vfs::sim::SimVfs;

/// Commits pages 1 and 2, every byte 1 (the starting state several tests share).
fn commit_two_pages(p: &mut Pager) {
    p.begin_write().unwrap();
    fill(p, 1, 1);
    fill(p, 2, 1);
    p.commit().unwrap();
}

fn fill(p: &mut Pager, pgno: Pgno, byte: u8) {
    let page = p.write(pgno).unwrap();
    if pgno == 1 {
        let ps = page.len() as u32;
        header::init_header(page, ps, 0);
        page[100..].fill(byte);
    } else {
        page.fill(byte);
    }
}

fn byte_of(p: &mut Pager, pgno: Pgno) -> u8 {
    p.get(pgno).unwrap()[200]
}

fn sim_pager(vfs: &SimVfs) -> Pager {
    let v: Arc<dyn Vfs> = Arc::new(vfs.clone());
    Pager::open(v, "db", PagerOptions { create: true, ..Default::default() }).unwrap()
}

#[test]
fn commit_then_reopen_reads_pages() {
    let vfs = SimVfs::new();
    let mut p = sim_pager(&vfs);
    p.begin_write().unwrap();
    for i in 1..=5 {
        fill(&mut p, i, i as u8);
    }
    p.commit().unwrap();
    p.end_read().unwrap();
    drop(p);
    assert!(vfs.file_bytes("db-journal").is_none(), "DELETE mode removes the journal");
    let mut p = sim_pager(&vfs);
    p.begin_read().unwrap();
    assert_eq!(p.page_count(), 5);
    for i in 1..=5 {
        assert_eq!(byte_of(&mut p, i), i as u8);
    }
    let h = p.get(1).unwrap();
    assert_eq!(get_u32(&h, header::OFF_CHANGE_COUNTER), 1);
    assert_eq!(get_u32(&h, header::OFF_VERSION_VALID_FOR), 1);
    assert_eq!(get_u32(&h, header::OFF_VERSION_NUMBER), 3_040_001);
    assert_eq!(get_u32(&h, header::OFF_DB_SIZE), 5);
}

#[test]
fn rollback_and_savepoints_undo_only_their_changes() {
    let mut p = Pager::open_memory().unwrap();
    p.begin_write().unwrap();
    for i in 1..=3 {
        fill(&mut p, i, 1);
    }
    p.commit().unwrap();
    p.begin_write().unwrap();
    fill(&mut p, 2, 2);
    let sp = p.savepoint_open().unwrap();
    fill(&mut p, 3, 3);
    fill(&mut p, 4, 4);
    let inner = p.savepoint_open().unwrap();
    fill(&mut p, 2, 9);
    p.savepoint_rollback(inner).unwrap();
    assert_eq!(byte_of(&mut p, 2), 2);
    assert_eq!(byte_of(&mut p, 3), 3);
    p.savepoint_rollback(sp).unwrap();
    assert_eq!(byte_of(&mut p, 3), 1);
    assert_eq!(p.page_count(), 3);
    assert_eq!(byte_of(&mut p, 2), 2);
    p.rollback().unwrap();
    assert_eq!(byte_of(&mut p, 2), 1);
}

#[test]
fn failed_write_puts_pager_in_error_until_rollback() {
    let vfs = SimVfs::new();
    let mut p = sim_pager(&vfs);
    commit_two_pages(&mut p);
    p.begin_write().unwrap();
    vfs.fail_after(0);
    assert!(p.write(2).is_err());
    assert_eq!(p.state(), PagerState::Error);
    assert!(p.get(1).is_err(), "ERROR state refuses reads");
    vfs.heal();
    p.rollback().unwrap();
    assert_eq!(byte_of(&mut p, 2), 1);
}

/// Runs a transaction that overwrites pages 1..=20 and adds 21..=30, failing after `k` writes,
/// then checks that the crash image reads as the old or the new state, never a mixture.
fn crash_at(k: u64) -> bool {
    crash_at_with_cache(k, 2000)
}

fn crash_at_with_cache(k: u64, cache: i64) -> bool {
    let vfs = SimVfs::new();
    let mut p = sim_pager(&vfs);
    p.set_cache_size(cache);
    p.begin_write().unwrap();
    for i in 1..=20 {
        fill(&mut p, i, 1);
    }
    p.commit().unwrap();
    p.begin_write().unwrap();
    for i in 1..=30 {
        fill(&mut p, i, 2);
    }
    vfs.fail_after(k);
    let committed = p.commit().is_ok();
    let image = vfs.crash_image();
    std::mem::forget(p); // a crash: no rollback, no unlock
    let mut q = sim_pager(&image);
    q.begin_read().unwrap();
    let first = byte_of(&mut q, 1);
    let n = q.page_count();
    if first == 1 {
        assert_eq!(n, 20, "old state after crash at {k}");
        for i in 1..=20 {
            assert_eq!(byte_of(&mut q, i), 1, "page {i} after crash at {k}");
        }
    } else {
        assert_eq!(first, 2);
        assert_eq!(n, 30);
        for i in 1..=30 {
            assert_eq!(byte_of(&mut q, i), 2, "page {i} after crash at {k}");
        }
    }
    if committed {
        assert_eq!(first, 2, "a commit that returned OK survives");
    }
    committed
}

#[test]
fn crash_at_every_write_recovers_old_or_new_state() {
    let mut k = 0;
    while !crash_at(k) {
        k += 1;
        assert!(k < 200);
    }
}

#[test]
fn crash_during_a_spilling_transaction_recovers_old_or_new_state() {
    // cache_size 10 with 30 dirty pages: the transaction spills to the file before commit.
    let mut k = 0;
    while !crash_at_with_cache(k, 10) {
        k += 1;
        assert!(k < 400);
    }
}

#[test]
fn rollback_after_spill_restores_the_file() {
    let vfs = SimVfs::new();
    let mut p = sim_pager(&vfs);
    p.set_cache_size(10);
    p.begin_write().unwrap();
    for i in 1..=50 {
        fill(&mut p, i, 1);
    }
    p.commit().unwrap();
    p.begin_write().unwrap();
    for i in 1..=80 {
        fill(&mut p, i, 2);
    }
    assert!(vfs.file_bytes("db").unwrap().len() > 50 * 4096, "the transaction spilled");
    p.rollback().unwrap();
    assert_eq!(vfs.file_bytes("db").unwrap().len(), 50 * 4096);
    assert_eq!(p.page_count(), 50);
    for i in 1..=50 {
        assert_eq!(byte_of(&mut p, i), 1);
    }
}

#[test]
fn journal_modes_commit_and_leave_the_right_file() {
    for (mode, expect) in [
        (JournalMode::Delete, None),
        (JournalMode::Truncate, Some(0usize)),
        (JournalMode::Persist, Some(1)),
        (JournalMode::Memory, None),
        (JournalMode::Off, None),
    ] {
        let vfs = SimVfs::new();
        let mut p = sim_pager(&vfs);
        p.set_journal_mode(mode).unwrap();
        commit_two_pages(&mut p);
        p.begin_write().unwrap();
        fill(&mut p, 2, 2);
        p.commit().unwrap();
        let j = vfs.file_bytes("db-journal");
        match expect {
            None => assert!(j.is_none(), "{mode:?}"),
            Some(0) => assert_eq!(j.unwrap().len(), 0, "{mode:?}"),
            Some(_) => {
                let j = j.unwrap();
                assert!(j.len() > 512 && j[..28].iter().all(|&b| b == 0), "{mode:?}: header zeroed");
            }
        }
        p.begin_write().unwrap();
        fill(&mut p, 2, 3);
        p.rollback().unwrap();
        assert_eq!(byte_of(&mut p, 2), 2, "{mode:?}");
    }
}

#[test]
fn writes_beyond_cache_size_keep_their_page() {
    // Pins a panic: with more dirty pages than cache_size, loading a page for write evicted
    // that very page before it could be marked dirty.
    let vfs = SimVfs::new();
    let mut p = sim_pager(&vfs);
    p.set_cache_size(10);
    p.begin_write().unwrap();
    for i in 1..=100 {
        fill(&mut p, i, i as u8);
    }
    p.commit().unwrap();
    p.begin_write().unwrap();
    for i in (1..=100).rev() {
        fill(&mut p, i, (i + 1) as u8);
    }
    p.commit().unwrap();
    for i in 2..=100 {
        assert_eq!(byte_of(&mut p, i), (i + 1) as u8);
    }
}

/// A committed two-page database, then a transaction rewriting page 1 and adding page 3
/// whose commit fails at its last `kind` operation on `file`. Returns the pager after the
/// failed commit (failures healed).
fn failed_commit(mode: JournalMode, kind: &str, file: &str) -> Pager {
    let attempt = |n: u64| {
        let vfs = SimVfs::new();
        let mut p = sim_pager(&vfs);
        p.set_journal_mode(mode).unwrap();
        commit_two_pages(&mut p);
        p.end_read().unwrap();
        p.begin_write().unwrap();
        fill(&mut p, 1, 2);
        fill(&mut p, 3, 2);
        vfs.fail_once_at(vfs.op_count() + n);
        let r = p.commit();
        vfs.heal();
        let hit = vfs.failed_ops_on() == [(kind, file.to_string())];
        (hit, r.is_err(), p)
    };
    let last = (0..40).rev().find(|&n| attempt(n).0).unwrap_or_else(|| panic!("the commit does no {kind} of {file}"));
    let (_, failed, p) = attempt(last);
    assert!(failed, "the failure reaches the commit");
    p
}

#[test]
fn failed_write_of_a_growth_only_transaction_rolls_back() {
    // Bug: the first transaction of an empty database journals nothing (no original pages),
    // so no journal file existed; when a database write failed part-way, rollback left the
    // pages already written (page 1 naming a missing page 2) and the database was corrupt.
    for n in 0..20 {
        let vfs = SimVfs::new();
        let mut p = sim_pager(&vfs);
        p.begin_write().unwrap();
        fill(&mut p, 1, 1);
        fill(&mut p, 2, 1);
        vfs.fail_once_at(vfs.op_count() + n);
        let r = p.commit();
        if vfs.failed_ops_on() != [("write", "db".to_string())] || vfs.file_bytes("db").is_none_or(|b| b.is_empty()) {
            continue;
        }
        // Page 1 is in the file, page 2 failed.
        assert!(r.is_err());
        p.rollback().unwrap();
        drop(p);
        assert_eq!(vfs.file_bytes("db").map(|b| b.len()), Some(0), "the database is empty again");
        return;
    }
    panic!("no failing write after page 1");
}

#[test]
fn failed_journal_delete_rolls_the_transaction_back_from_the_journal_file() {
    // Bug: when deleting the journal (DELETE mode's commit point) failed after the database
    // was written, the pager had already let go of the journal, so rollback restored nothing
    // and a fresh page 1 pointed at a page the rollback cut off: a corrupt database.
    let mut p = failed_commit(JournalMode::Delete, "delete", "db-journal");
    p.rollback().unwrap();
    p.begin_read().unwrap();
    assert_eq!(p.page_count(), 2);
    assert_eq!(byte_of(&mut p, 1), 1, "the old page 1 is back");
}

#[test]
fn failed_journal_truncate_sync_after_commit_reads_the_new_state() {
    // Bug: in TRUNCATE mode the journal was truncated (the commit point passed) but its sync
    // failed; rollback could not replay anything, yet the pager kept its old page count and
    // the committed pages past it read as "invalid page number".
    let mut p = failed_commit(JournalMode::Truncate, "sync", "db-journal");
    p.rollback().unwrap();
    p.begin_read().unwrap();
    assert_eq!(p.page_count(), 3, "the committed state, read from the file again");
    assert_eq!(byte_of(&mut p, 1), 2);
    assert_eq!(byte_of(&mut p, 3), 2);
}

#[test]
fn header_size_beyond_the_file_is_corrupt() {
    // Bug (found by the `btree_page` fuzz target): a header whose valid in-header database
    // size exceeded the file was trusted, and the next commit grew the file to that size
    // (terabytes); SQLite answers SQLITE_CORRUPT.
    let vfs = SimVfs::new();
    let mut p = sim_pager(&vfs);
    commit_two_pages(&mut p);
    p.end_read().unwrap();
    drop(p);
    let mut bytes = vfs.file_bytes("db").unwrap();
    bytes[28..32].copy_from_slice(&0xff00_0000u32.to_be_bytes());
    let image = SimVfs::new();
    image.open(Some("db"), OpenOptions::main_db(false, true)).unwrap().write_at(&bytes, 0).unwrap();
    let mut q = sim_pager(&image);
    assert_eq!(q.begin_read().unwrap_err().code, code::CORRUPT);
    // A header size at most the file's is used as it is.
    bytes[28..32].copy_from_slice(&2u32.to_be_bytes());
    image.open(Some("db"), OpenOptions::main_db(false, true)).unwrap().write_at(&bytes, 0).unwrap();
    let mut q = sim_pager(&image);
    q.begin_read().unwrap();
    assert_eq!(q.page_count(), 2);
}
