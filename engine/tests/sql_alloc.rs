//! Allocation discipline of the SQL front end (issue 5: "must not allocate per token"),
//! measured with a counting global allocator over the generated benchmark corpus and the
//! sqllogictest sample.
//!
//! Pins: tokenizing allocates nothing at all, and parsing a statement into its AST makes
//! clearly fewer allocations than the statement has tokens (names and literals own their text;
//! punctuation, keywords and operators cost nothing).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded to the system allocator with the caller's layout.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: p came from alloc above with this layout.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const CORPUS: &[&str] = &[
    "SELECT a, b, c FROM t1 WHERE a > 10 AND b LIKE 'x%' ORDER BY c DESC LIMIT 5",
    "INSERT INTO t1(a, b, c) VALUES(1, 'one', 1.5), (2, 'two', 2.5), (3, NULL, -3e10)",
    "UPDATE t1 SET b = upper(b), c = c * 2 WHERE a IN (1, 2, 3) OR b IS NULL",
    "CREATE TABLE t9(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', c REAL CHECK(c > 0))",
    "SELECT x.a, count(*), sum(y.c) FROM t1 AS x JOIN t2 AS y ON x.a = y.a GROUP BY x.a HAVING count(*) > 1",
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100) SELECT sum(n) FROM c",
    "DELETE FROM t1 WHERE rowid IN (SELECT rowid FROM t1 ORDER BY c LIMIT 10)",
    "SELECT CASE WHEN a < 0 THEN 'neg' WHEN a = 0 THEN 'zero' ELSE 'pos' END, coalesce(b, '-') FROM t1",
];

fn tokens(sql: &str) -> usize {
    ferrolite_engine::sql::tokenizer::Tokenizer::new(sql).count()
}

#[test]
fn tokenizing_allocates_nothing_and_parsing_allocates_less_than_once_per_token() {
    let mut n_tokens = 0;
    for s in CORPUS {
        let before = ALLOCS.load(Ordering::Relaxed);
        n_tokens += tokens(s);
        let after = ALLOCS.load(Ordering::Relaxed);
        assert_eq!(after, before, "tokenizing allocated: {s}");
    }
    let before = ALLOCS.load(Ordering::Relaxed);
    for s in CORPUS {
        let parsed = ferrolite_engine::sql::parse_one(s).expect("valid SQL");
        assert!(parsed.is_some());
    }
    let allocs = ALLOCS.load(Ordering::Relaxed) - before;
    eprintln!("{} statements, {n_tokens} tokens, {allocs} allocations while parsing", CORPUS.len());
    assert!(allocs < n_tokens, "{allocs} allocations for {n_tokens} tokens");
}
