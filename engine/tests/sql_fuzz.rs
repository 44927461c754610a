//! Robustness of the parser on hostile input: no panic, no hang, no stack overflow.
//!
//! - `deep_nesting_is_an_error_not_a_crash`: nesting beyond SQLite's parser stack is
//!   "parser stack overflow", and very long operator chains are "Expression tree is too large",
//!   on the 2 MB stack of a test thread.
//! - `fuzz_long_mode` (ignored; `cargo test -- --ignored`): random token soups, mutated valid
//!   statements and random bytes for FERROLITE_FUZZ_SECS seconds (default 600); every
//!   accepted statement must also print and re-parse.

use ferrolite_engine::sql::parse_one;
use std::time::{Duration, Instant};

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let cases = [
        format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000)),
        format!("SELECT {}1", "NOT ".repeat(5000)),
        format!("SELECT {}1", "- ".repeat(5000)),
        format!("SELECT {}1{}", "CASE WHEN ".repeat(2000), " THEN 1 END".repeat(2000)),
        format!("SELECT {}1{}", "abs(".repeat(2000), ")".repeat(2000)),
        format!("SELECT {}1{}", "(SELECT ".repeat(2000), ")".repeat(2000)),
        format!("SELECT * FROM {}t{}", "(".repeat(2000), ")".repeat(2000)),
        format!("SELECT 1 {}", "IN t(1 ".repeat(2000)),
        format!("SELECT {}1{}", "CAST(".repeat(2000), " AS INT)".repeat(2000)),
        format!("WITH {} SELECT 1", "x AS (WITH ".repeat(2000)),
    ];
    for sql in &cases {
        let e = parse_one(sql).expect_err("too deep to parse");
        assert_eq!(e.message, "parser stack overflow", "{}", &sql[..40]);
    }
    let chain = format!("SELECT 1{}", "+1".repeat(100_000));
    let e = parse_one(&chain).expect_err("too tall");
    assert_eq!(e.message, "Expression tree is too large (maximum depth 1000)");
    // The deepest nesting SQLite 3.40 accepts is accepted here too.
    assert!(parse_one(&format!("SELECT {}1{}", "(".repeat(93), ")".repeat(93))).is_ok());
    assert!(parse_one(&format!("SELECT 1{}", "+1".repeat(999))).is_ok());
}

/// xorshift64*: a small deterministic generator (no dependencies).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const VOCAB: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "(",
    ")",
    ",",
    ";",
    "*",
    "+",
    "-",
    "NOT",
    "NULL",
    "1",
    "2.5",
    "'s'",
    "x'00'",
    "a",
    "t",
    ".",
    "AS",
    "JOIN",
    "LEFT",
    "ON",
    "USING",
    "GROUP",
    "BY",
    "ORDER",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "UNION",
    "ALL",
    "VALUES",
    "INSERT",
    "INTO",
    "UPDATE",
    "SET",
    "DELETE",
    "CREATE",
    "TABLE",
    "INDEX",
    "VIEW",
    "TRIGGER",
    "BEGIN",
    "END",
    "WITH",
    "RECURSIVE",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "CAST",
    "IN",
    "BETWEEN",
    "AND",
    "OR",
    "IS",
    "LIKE",
    "ESCAPE",
    "COLLATE",
    "EXISTS",
    "OVER",
    "FILTER",
    "WINDOW",
    "PARTITION",
    "ROWS",
    "PRECEDING",
    "CURRENT",
    "ROW",
    "RAISE",
    "?",
    ":x",
    "$a::b(c)",
    "=",
    "<>",
    "||",
    "->>",
    "PRIMARY",
    "KEY",
    "DEFAULT",
    "CHECK",
    "REFERENCES",
    "ON",
    "CONFLICT",
    "DO",
    "NOTHING",
    "RETURNING",
    "PRAGMA",
    "ALTER",
    "RENAME",
    "ADD",
    "COLUMN",
    "DROP",
    "EXPLAIN",
    "QUERY",
    "PLAN",
    "VIRTUAL",
    "USING",
    "\"q\"",
    "[b]",
    "`c`",
    "/* c */",
    "-- c\n",
    "é",
    "0x7f",
    "1e9",
];

const SEEDS: &[&str] = &[
    "SELECT a, b FROM t WHERE a > 1 GROUP BY b HAVING count(*) > 1 ORDER BY 1 LIMIT 2",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<10) SELECT * FROM c",
    "INSERT INTO t(a,b) VALUES(1,2) ON CONFLICT(a) DO UPDATE SET b=excluded.b RETURNING *",
    "CREATE TABLE u(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', CHECK(a>0))",
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a=1 WHERE a=new.a; END",
    "SELECT sum(a) FILTER (WHERE a>0) OVER (PARTITION BY b ORDER BY c ROWS 1 PRECEDING) FROM t",
    "UPDATE t SET (a,b) = (1,2) FROM t2 WHERE t.a = t2.a",
    "SELECT CASE WHEN a THEN 1 ELSE 2 END, CAST(a AS INT), a BETWEEN 1 AND 2 FROM t",
];

#[test]
#[ignore]
fn fuzz_long_mode() {
    let secs: u64 =
        std::env::var("FERROLITE_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut n, mut accepted, mut slowest) = (0u64, 0u64, Duration::ZERO);
    while Instant::now() < deadline {
        let sql: String = match rng.below(3) {
            0 => (0..rng.below(40))
                .map(|_| VOCAB[rng.below(VOCAB.len())])
                .collect::<Vec<_>>()
                .join(" "),
            1 => {
                let mut toks: Vec<&str> = SEEDS[rng.below(SEEDS.len())].split(' ').collect();
                for _ in 0..1 + rng.below(3) {
                    let i = rng.below(toks.len());
                    match rng.below(3) {
                        0 => {
                            toks.remove(i);
                        }
                        1 => toks.insert(i, VOCAB[rng.below(VOCAB.len())]),
                        _ => {
                            let j = rng.below(toks.len());
                            toks.swap(i, j);
                        }
                    }
                    if toks.is_empty() {
                        break;
                    }
                }
                toks.join(" ")
            }
            _ => {
                // Random ASCII with some multi-byte characters mixed in.
                (0..rng.below(60))
                    .map(|_| match rng.next() & 0x7f {
                        0x7b => 'é',
                        0x7c => '€',
                        0x7d => '😀',
                        b => char::from(b as u8),
                    })
                    .collect()
            }
        };
        let t = Instant::now();
        let r = parse_one(&sql);
        slowest = slowest.max(t.elapsed());
        if let Ok(Some((stmt, _))) = r {
            accepted += 1;
            let printed = stmt.to_string();
            assert!(
                matches!(parse_one(&printed), Ok(Some(_))),
                "{sql:?} printed as {printed:?} does not re-parse"
            );
        }
        n += 1;
    }
    eprintln!("fuzz: {n} inputs, {accepted} accepted, slowest parse {slowest:?}");
    assert!(slowest < Duration::from_secs(1));
}
