//! WITHOUT ROWID tables, differentially against real SQLite (`/usr/bin/sqlite3`, `.mode
//! quote`): DDL and the schema rows it writes, every DML path with its constraint checks and
//! conflict resolutions, PRIMARY KEY seeks and secondary indexes, the pragmas that describe
//! such tables, and database files passed both ways with real SQLite's integrity_check.

use ferrolite_engine::{Connection, OpenFlags};

mod common;
use common::{run_ours, run_sqlite};

/// Runs `script` (one statement per line, so that an error in the shell ends only its own
/// line) through both engines, each on a fresh in-memory database, and compares the output.
fn check(script: &str) {
    let mut conn = Connection::open(":memory:", OpenFlags::default()).expect("open");
    let ours = run_ours(&mut conn, script);
    let theirs = run_sqlite(script, ":memory:");
    assert_eq!(ours, theirs, "script:\n{script}");
}

#[test]
fn basic_dml_and_rowid_refused() {
    // WITHOUT ROWID was refused outright; the basic life cycle must now match SQLite.
    check(
        "CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO kv VALUES('b',2),('a',1),('c',3);
SELECT * FROM kv;
SELECT v FROM kv WHERE k='b';
INSERT INTO kv VALUES('a',9);
INSERT OR REPLACE INTO kv VALUES('a',10);
SELECT * FROM kv;
UPDATE kv SET v=v+1 WHERE k>'a';
SELECT * FROM kv;
UPDATE kv SET k='z' WHERE k='a';
SELECT * FROM kv;
DELETE FROM kv WHERE k='b';
SELECT * FROM kv;
SELECT changes(), total_changes();
SELECT rowid FROM kv;
SELECT _rowid_ FROM kv;
INSERT INTO kv(rowid, k) VALUES(1, 'q');",
    );
}

#[test]
fn create_errors_and_schema_rows() {
    // The PRIMARY KEY is required, AUTOINCREMENT refused, and sqlite_schema holds no row for
    // the PRIMARY KEY's index while UNIQUE constraints keep their autoindex numbers.
    check(
        "CREATE TABLE f(a) WITHOUT ROWID;
CREATE TABLE f(a INTEGER PRIMARY KEY AUTOINCREMENT) WITHOUT ROWID;
CREATE TABLE u(a UNIQUE, b PRIMARY KEY, c UNIQUE) WITHOUT ROWID;
CREATE TABLE t(a, b TEXT, k INT, c, PRIMARY KEY(k, a DESC), UNIQUE(c)) WITHOUT ROWID;
CREATE TABLE d(a, b, PRIMARY KEY(a, b, a)) WITHOUT ROWID;
CREATE TABLE e(a COLLATE NOCASE, b, PRIMARY KEY(b, a), UNIQUE(a, b)) WITHOUT ROWID;
CREATE INDEX tb ON t(b);
CREATE INDEX ea ON e(a);
CREATE INDEX eb ON e(b COLLATE nocase);
SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid;
CREATE TABLE t(x PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS t(x PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE g(a PRIMARY KEY, b PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE t2(a UNIQUE, b, PRIMARY KEY(a)) WITHOUT ROWID;
CREATE TABLE t3(a PRIMARY KEY UNIQUE, b) WITHOUT ROWID;
CREATE TABLE t4(a, b UNIQUE, PRIMARY KEY(a, b), UNIQUE(b, a)) WITHOUT ROWID;
SELECT name FROM sqlite_schema WHERE tbl_name GLOB 't[234]' ORDER BY rowid;
PRAGMA index_list(t2);
PRAGMA index_list(t4);
DROP INDEX sqlite_autoindex_u_2;
DROP INDEX sqlite_autoindex_u_1;",
    );
}

#[test]
fn pragmas_describe_without_rowid_tables() {
    // table_info marks PK columns NOT NULL and numbers them in key order; the PRIMARY KEY
    // index is listed (origin pk) and described though it has no sqlite_schema row.
    check(
        "CREATE TABLE u(a UNIQUE, b PRIMARY KEY, c UNIQUE) WITHOUT ROWID;
CREATE TABLE t(a, b TEXT, k INT, c, PRIMARY KEY(k, a DESC), UNIQUE(c)) WITHOUT ROWID;
CREATE TABLE e(a COLLATE NOCASE, b, PRIMARY KEY(b, a), UNIQUE(a, b)) WITHOUT ROWID;
CREATE INDEX tb ON t(b);
CREATE INDEX ea ON e(a);
CREATE INDEX eb ON e(b COLLATE nocase);
PRAGMA table_info(t);
PRAGMA table_xinfo(u);
PRAGMA table_info(e);
PRAGMA index_list(t);
PRAGMA index_list(u);
PRAGMA index_list(e);
PRAGMA index_info(sqlite_autoindex_t_1);
PRAGMA index_info(sqlite_autoindex_t_2);
PRAGMA index_info(sqlite_autoindex_u_2);
PRAGMA index_info(tb);
PRAGMA index_xinfo(sqlite_autoindex_t_1);
PRAGMA index_xinfo(sqlite_autoindex_t_2);
PRAGMA index_xinfo(tb);
PRAGMA index_xinfo(sqlite_autoindex_e_2);
PRAGMA index_xinfo(ea);
PRAGMA index_xinfo(eb);
PRAGMA index_xinfo(sqlite_autoindex_u_2);
SELECT name FROM pragma_index_list('t') ORDER BY 1;",
    );
}

#[test]
fn key_order_collations_and_affinity() {
    // Rows come back in PRIMARY KEY order (DESC columns and collations included), and the
    // key takes its column's affinity before it is compared or stored.
    check(
        "CREATE TABLE t(a INT, b TEXT COLLATE NOCASE, c, PRIMARY KEY(b, a DESC)) WITHOUT ROWID;
INSERT INTO t VALUES(1,'x',1),(2,'X',2),(3,'y',3),('4','a',4),(5,'B',5),(6,'b',6);
SELECT * FROM t;
SELECT typeof(a), a FROM t WHERE a = 4;
INSERT INTO t VALUES(1, 'X', 7);
INSERT INTO t VALUES('1', 'x', 7);
SELECT * FROM t WHERE b = 'x';
SELECT * FROM t WHERE b = 'X' AND a = 2;
SELECT * FROM t WHERE b > 'b' ORDER BY c;
SELECT * FROM t WHERE b BETWEEN 'a' AND 'b';
SELECT * FROM t WHERE b < 'x';
SELECT count(*), sum(a) FROM t;
CREATE TABLE n(k REAL PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO n VALUES(1, 'one'), ('2', 'two'), (2.5, 'x'), (X'00', 'blob'), ('abc', 'text');
SELECT k, typeof(k), v FROM n;
SELECT v FROM n WHERE k = 2;
SELECT v FROM n WHERE k = '1';
SELECT v FROM n WHERE k >= 2 AND k < 3;",
    );
}

#[test]
fn constraints_and_conflict_resolution() {
    // NOT NULL on every PK column, PRIMARY KEY and UNIQUE conflicts with SQLite's messages,
    // and each conflict resolution, including the PRIMARY KEY's own ON CONFLICT clause.
    check(
        "CREATE TABLE t(k1, k2, v UNIQUE, w CHECK(w > 0), PRIMARY KEY(k1, k2)) WITHOUT ROWID;
INSERT INTO t VALUES(1, 1, 'a', NULL), (1, 2, 'b', NULL), (2, 1, 'c', NULL);
INSERT INTO t VALUES(NULL, 1, 'z', NULL);
INSERT INTO t VALUES(1, NULL, 'z', NULL);
INSERT INTO t VALUES(1, 1, 'z', NULL);
INSERT INTO t VALUES(3, 3, 'a', NULL);
INSERT INTO t VALUES(3, 3, 'q', -1);
INSERT OR IGNORE INTO t VALUES(1, 1, 'z', NULL), (5, 5, 'e', NULL);
INSERT OR IGNORE INTO t VALUES(6, 6, 'a', NULL);
SELECT * FROM t;
INSERT OR REPLACE INTO t VALUES(1, 1, 'b', 9);
SELECT * FROM t;
SELECT changes();
INSERT OR FAIL INTO t VALUES(7, 7, 'f', NULL), (1, 1, 'g', NULL), (8, 8, 'h', NULL);
SELECT * FROM t;
INSERT OR ABORT INTO t VALUES(9, 9, 'i', NULL), (1, 1, 'g', NULL);
SELECT * FROM t;
BEGIN;
INSERT INTO t VALUES(10, 10, 'j', NULL);
INSERT OR ROLLBACK INTO t VALUES(1, 1, 'k', NULL);
SELECT * FROM t;
UPDATE t SET k1 = 2, k2 = 1 WHERE v = 'e';
UPDATE t SET v = 'c' WHERE k1 = 5;
UPDATE OR REPLACE t SET v = 'c' WHERE k1 = 5;
SELECT * FROM t;
UPDATE OR IGNORE t SET k1 = 2 WHERE k2 = 1;
SELECT * FROM t;
UPDATE t SET k2 = NULL;
UPDATE OR REPLACE t SET k1 = 7, k2 = 7 WHERE v = 'b';
SELECT * FROM t;
CREATE TABLE r(k PRIMARY KEY ON CONFLICT REPLACE, v) WITHOUT ROWID;
INSERT INTO r VALUES(1, 'a'), (1, 'b');
SELECT * FROM r;
CREATE TABLE s(k TEXT PRIMARY KEY, v NOT NULL DEFAULT 'd') WITHOUT ROWID;
INSERT OR REPLACE INTO s VALUES('x', NULL);
SELECT * FROM s;",
    );
}

#[test]
fn upsert() {
    // ON CONFLICT on the PRIMARY KEY (named or not) and on a UNIQUE column.
    check(
        "CREATE TABLE t(k TEXT PRIMARY KEY, n INT, u UNIQUE) WITHOUT ROWID;
INSERT INTO t VALUES('a', 1, 'ua');
INSERT INTO t VALUES('a', 5, 'ub') ON CONFLICT(k) DO UPDATE SET n = n + excluded.n;
SELECT * FROM t;
INSERT INTO t VALUES('a', 5, 'uc') ON CONFLICT DO NOTHING;
INSERT INTO t VALUES('b', 7, 'ua') ON CONFLICT(u) DO UPDATE SET n = n * 10, k = 'c';
SELECT * FROM t;
INSERT INTO t VALUES('c', 1, 'zz') ON CONFLICT(k) DO UPDATE SET n = 0 WHERE excluded.n > 5;
SELECT * FROM t;
INSERT INTO t VALUES('d', 1, 'ua') ON CONFLICT(k) DO NOTHING;
INSERT INTO t VALUES('d', 1, 'ud') ON CONFLICT(n) DO NOTHING;
CREATE TABLE c(a, b, v, PRIMARY KEY(a, b)) WITHOUT ROWID;
INSERT INTO c VALUES(1, 2, 'x') ON CONFLICT(b, a) DO UPDATE SET v = 'never';
INSERT INTO c VALUES(1, 2, 'y') ON CONFLICT(b, a) DO UPDATE SET v = v || excluded.v;
SELECT * FROM c;",
    );
}

#[test]
fn secondary_indexes() {
    // Index entries carry the PRIMARY KEY instead of a rowid: CREATE INDEX over existing rows,
    // maintenance through every write, lookups and ranges that go back to the table by PK,
    // UNIQUE indexes and covering scans.
    check(
        "CREATE TABLE t(a TEXT, b INT, c, d, PRIMARY KEY(a, b DESC)) WITHOUT ROWID;
INSERT INTO t VALUES('x', 1, 10, 'p'), ('x', 2, 20, 'q'), ('y', 1, 10, 'r'), ('z', 5, 30, 'p'), ('w', 9, NULL, NULL);
CREATE INDEX tc ON t(c);
CREATE INDEX td ON t(d, b);
CREATE UNIQUE INDEX tcd ON t(c, d);
CREATE UNIQUE INDEX tbad ON t(b);
SELECT * FROM t WHERE c = 10;
SELECT a, b FROM t WHERE c = 20;
SELECT * FROM t WHERE c > 10;
SELECT * FROM t WHERE c BETWEEN 10 AND 20 ORDER BY a, b;
SELECT d, b FROM t;
SELECT c, a FROM t;
SELECT count(*) FROM t WHERE d = 'p';
INSERT INTO t VALUES('v', 3, 10, 'p');
INSERT INTO t VALUES('v', 3, 10, 'z'), ('u', 3, NULL, NULL), ('u', 4, NULL, NULL);
UPDATE t SET c = 11 WHERE a = 'x' AND b = 1;
UPDATE t SET a = 'aa' WHERE d = 'q';
UPDATE t SET d = 'p' WHERE a = 'y';
DELETE FROM t WHERE c IS NULL AND b = 4;
SELECT * FROM t;
SELECT * FROM t WHERE c = 11;
SELECT * FROM t WHERE c = 20;
SELECT * FROM t WHERE d = 'p' ORDER BY a;
INSERT OR REPLACE INTO t VALUES('new', 7, 10, 'p');
SELECT * FROM t;
SELECT * FROM t WHERE c = 10;
PRAGMA integrity_check;
REINDEX t;
PRAGMA integrity_check;
CREATE UNIQUE INDEX tdup ON t(d);",
    );
}

#[test]
fn seeks_joins_and_subqueries() {
    // PRIMARY KEY equality, prefix and range seeks, joins through the PK, and a WITHOUT ROWID
    // table inside subqueries give SQLite's rows.
    let mut script = String::from(
        "CREATE TABLE p(g INT, n INT, v TEXT, PRIMARY KEY(g, n)) WITHOUT ROWID;
CREATE TABLE q(id INTEGER PRIMARY KEY, g INT, n INT);
",
    );
    for i in 0..200 {
        script.push_str(&format!("INSERT INTO p VALUES({}, {}, 'v{}');\n", i % 7, i, i));
        if i % 3 == 0 {
            script.push_str(&format!("INSERT INTO q(g, n) VALUES({}, {});\n", i % 7, i));
        }
    }
    script.push_str(
        "SELECT * FROM p WHERE g = 3 AND n = 45;
SELECT count(*), min(n), max(n) FROM p WHERE g = 2;
SELECT v FROM p WHERE g = 4 AND n > 150;
SELECT v FROM p WHERE g >= 5 AND n < 20;
SELECT v FROM p WHERE g < 1 AND n BETWEEN 10 AND 60;
SELECT v FROM p WHERE g = '6' AND n = '6';
SELECT count(*) FROM p, q WHERE p.g = q.g AND p.n = q.n;
SELECT q.id, p.v FROM q JOIN p ON p.g = q.g AND p.n = q.n WHERE q.id < 5;
SELECT q.id, p.v FROM q LEFT JOIN p ON p.g = q.g AND p.n = q.n + 1 WHERE q.id < 5;
SELECT v FROM p WHERE n IN (SELECT n FROM q WHERE id BETWEEN 10 AND 12);
SELECT (SELECT v FROM p WHERE g = q.g AND n = q.n) FROM q WHERE id <= 3;
SELECT g, count(*), group_concat(n) FROM p WHERE n < 30 GROUP BY g;
SELECT * FROM p ORDER BY v DESC LIMIT 3;
SELECT * FROM p WHERE g = 99;
",
    );
    check(&script);
}

#[test]
fn delete_drop_alter_returning_and_counts() {
    // DELETE of everything counts its rows, DROP frees the table and its indexes, ADD COLUMN
    // appends to the non-key columns, RETURNING reads the rows, and changes() counts rows.
    check(
        "CREATE TABLE t(k PRIMARY KEY, v, w UNIQUE) WITHOUT ROWID;
CREATE INDEX tv ON t(v);
INSERT INTO t VALUES(1, 'a', 1), (2, 'b', 2), (3, 'c', 3);
SELECT changes();
UPDATE t SET v = v || '!';
SELECT changes();
INSERT INTO t VALUES(4, 'd', 4) RETURNING k, v;
UPDATE t SET k = k * 10 WHERE k > 2 RETURNING *;
DELETE FROM t WHERE k = 10 RETURNING v;
SELECT * FROM t;
ALTER TABLE t ADD COLUMN z DEFAULT 'zz';
SELECT * FROM t;
INSERT INTO t VALUES(5, 'e', 5, 'z5');
SELECT * FROM t WHERE v = 'e';
DELETE FROM t;
SELECT changes();
SELECT count(*) FROM t;
DROP TABLE t;
SELECT name FROM sqlite_schema;
PRAGMA integrity_check;
CREATE TABLE t(k PRIMARY KEY) WITHOUT ROWID;
INSERT INTO t VALUES(1);
SELECT * FROM t;",
    );
}

/// Statements that build a WITHOUT ROWID workload deep enough for interior pages and
/// overflow chains: composite DESC key, NOCASE key column, secondary and UNIQUE indexes,
/// updates that move rows, deletes.
fn workload() -> String {
    let mut s = String::from(
        "PRAGMA page_size = 1024;
CREATE TABLE w(g TEXT COLLATE NOCASE, n INT, body TEXT, tag, PRIMARY KEY(g, n DESC)) WITHOUT ROWID;
CREATE INDEX w_tag ON w(tag);
CREATE UNIQUE INDEX w_body ON w(body);
CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE u(a UNIQUE, b PRIMARY KEY, c UNIQUE) WITHOUT ROWID;
BEGIN;
",
    );
    for i in 0..1500 {
        let g = ["Alpha", "beta", "GAMMA", "delta"][i % 4];
        let body = if i % 97 == 0 { format!("long{i}-{}", "x".repeat(3000)) } else { format!("body{i}") };
        s.push_str(&format!("INSERT INTO w VALUES('{g}', {i}, '{body}', {});\n", i % 11));
        s.push_str(&format!("INSERT INTO kv VALUES('key{:05}', {});\n", i * 37 % 2000, i * i));
        s.push_str(&format!("INSERT INTO u VALUES({}, 'b{i}', {});\n", if i % 3 == 0 { "NULL".to_string() } else { i.to_string() }, 5000 - i));
    }
    s.push_str(
        "COMMIT;
UPDATE w SET tag = tag * 2 WHERE n % 3 = 0;
UPDATE w SET n = n + 100000 WHERE n % 5 = 0;
DELETE FROM w WHERE n % 7 = 0;
DELETE FROM kv WHERE v % 2 = 0;
INSERT INTO kv VALUES('zz-last', 'the end');
",
    );
    s
}

const DUMP: &str = "PRAGMA integrity_check;
SELECT count(*), sum(n), sum(length(body)) FROM w;
SELECT g, n, substr(body, 1, 12), tag FROM w WHERE n % 50 = 1;
SELECT g, count(*), max(n) FROM w GROUP BY g;
SELECT n, tag FROM w WHERE tag = 6 AND n < 200;
SELECT g, n FROM w WHERE g = 'ALPHA' AND n > 1400;
SELECT * FROM kv WHERE k BETWEEN 'key00100' AND 'key00140';
SELECT count(*), sum(CASE WHEN typeof(v) = 'integer' THEN v END), count(CASE WHEN typeof(v) = 'text' THEN 1 END) FROM kv;
SELECT k FROM kv ORDER BY k DESC LIMIT 3;
SELECT g, n FROM w WHERE body = 'body1001';
PRAGMA index_list(w);
PRAGMA index_list(u);
SELECT count(*), count(a), sum(c) FROM u;
SELECT * FROM u WHERE a = 700;
SELECT * FROM u WHERE c = 4000;
SELECT * FROM u WHERE b = 'b77';
";

/// Runs `script` through real SQLite on the file at `p`; returns its output lines.
fn sqlite_file(p: &str, script: &str) -> Vec<String> {
    run_sqlite(script, p)
}

#[test]
fn files_written_here_pass_real_sqlite_integrity_check() {
    // A WITHOUT ROWID database written here must be a valid file to real SQLite and answer the
    // same there as here.
    let dir = common::tmpdir("wr-ours");
    let path = dir.join("w.db");
    let p = path.to_str().expect("utf-8 path");
    let mut conn = Connection::open(p, OpenFlags::default()).expect("open");
    let out = run_ours(&mut conn, &workload());
    assert!(out.is_empty(), "{out:?}");
    drop(conn);
    let theirs = sqlite_file(p, DUMP);
    assert_eq!(theirs.first().map(String::as_str), Some("'ok'"), "{theirs:?}");
    let mut conn = Connection::open(p, OpenFlags::default()).expect("reopen");
    let ours = run_ours(&mut conn, DUMP);
    assert_eq!(ours, theirs);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_written_by_real_sqlite_read_and_change_here() {
    // A WITHOUT ROWID database real SQLite wrote reads back identically here, and after our
    // changes real SQLite still finds it intact and agrees with us.
    let dir = common::tmpdir("wr-theirs");
    let path = dir.join("w.db");
    let p = path.to_str().expect("utf-8 path");
    let out = sqlite_file(p, &workload());
    assert!(out.is_empty(), "{out:?}");
    let mut conn = Connection::open(p, OpenFlags::default()).expect("open");
    let ours = run_ours(&mut conn, DUMP);
    assert_eq!(ours, sqlite_file(p, DUMP));
    let changes = "UPDATE w SET body = body || '!' WHERE n % 4 = 1;
UPDATE w SET g = 'epsilon' WHERE n % 9 = 2;
DELETE FROM w WHERE g = 'beta' AND n < 700;
INSERT OR REPLACE INTO kv VALUES('key00111', 'replaced');
DELETE FROM kv WHERE k > 'key01500';
CREATE INDEX kv_v ON kv(v);
UPDATE u SET b = b || 'x' WHERE c % 4 = 0;
DELETE FROM u WHERE a > 1000;
INSERT OR REPLACE INTO u VALUES(700, 'b701', 3000);
";
    let out = run_ours(&mut conn, changes);
    assert!(out.is_empty(), "{out:?}");
    let ours = run_ours(&mut conn, DUMP);
    drop(conn);
    let theirs = sqlite_file(p, DUMP);
    assert_eq!(theirs.first().map(String::as_str), Some("'ok'"), "{theirs:?}");
    assert_eq!(ours, theirs);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn keys_under_collations_moves_renames_and_blob_keys() {
    // Keys equal under NOCASE are one key (an UPDATE to the same key is no conflict), rows
    // move when their key changes, RENAME keeps the PK index, and overflowing blob keys work.
    check(
        "CREATE TABLE t(k TEXT COLLATE NOCASE PRIMARY KEY, v, u UNIQUE) WITHOUT ROWID;
INSERT INTO t VALUES('a', 1, 10), ('B', 2, 20);
SELECT t.rowid FROM t;
SELECT oid FROM t;
INSERT INTO t VALUES('A', 3, 30);
UPDATE t SET k = 'A' WHERE k = 'a';
SELECT * FROM t;
UPDATE t SET k = 'b' WHERE u = 10;
UPDATE OR REPLACE t SET k = 'b' WHERE u = 10;
SELECT * FROM t;
INSERT INTO t SELECT k || 'x', v + 1, u + 1 FROM t;
SELECT * FROM t;
INSERT INTO t DEFAULT VALUES;
INSERT INTO t(v) VALUES(5);
SELECT * FROM t WHERE k IN ('BX', 'zz');
SELECT * FROM t WHERE k LIKE 'b%';
SELECT DISTINCT v FROM t ORDER BY 1;
SELECT count(*) FROM t;
SELECT max(k), min(k) FROM t;
ALTER TABLE t RENAME TO t2;
SELECT * FROM t2;
PRAGMA index_list(t2);
INSERT INTO t2 VALUES('c', 9, 10);
REPLACE INTO t2 VALUES('c', 9, 10);
SELECT * FROM t2;
UPDATE t2 SET u = u + 100;
SELECT * FROM t2;
SELECT * FROM t2 WHERE u = 110;
CREATE TABLE e(a INT, b INT, PRIMARY KEY(a, b)) WITHOUT ROWID;
INSERT INTO e VALUES(1,1),(1,2),(2,1),(2,2);
UPDATE e SET a = a + 1;
SELECT * FROM e;
UPDATE e SET b = 5 WHERE a = 1;
SELECT * FROM e;
CREATE TABLE big(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO big VALUES(zeroblob(5000), 1), (CAST(printf('%.*c', 4000, 'x') AS BLOB), 2);
SELECT length(k), v FROM big;
DELETE FROM big WHERE v = 1;
SELECT length(k), v FROM big;
PRAGMA integrity_check;",
    );
}

#[test]
fn harness_workload_statements() {
    // The statements of the project's files harness over its WITHOUT ROWID table.
    check(
        "CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO kv SELECT printf('key%05d', i * 37 % 1000), i * i FROM n;
DELETE FROM kv WHERE v % 2 = 0;
INSERT INTO kv VALUES('zz-last', 'the end');
SELECT * FROM kv ORDER BY k;
PRAGMA integrity_check;",
    );
}

#[test]
fn multi_column_equality_seeks() {
    // Equality on several leading key columns seeks on all of them; columns compared under
    // another collation or affinity than the key's only filter (same rows as SQLite).
    check(
        "CREATE TABLE w(a INT, b TEXT COLLATE NOCASE, c, d, PRIMARY KEY(a, b, c)) WITHOUT ROWID;
CREATE TABLE r(a, b COLLATE NOCASE, c);
CREATE INDEX rab ON r(a, b);
CREATE INDEX rba ON r(b COLLATE BINARY, a);
INSERT INTO w VALUES(1, 'x', 1, 'p'), (1, 'X', 2, 'q'), (1, 'y', 1, 'r'), (2, 'x', 1, 's'), (1, 'x', 3, 't');
INSERT INTO r SELECT a, b, c FROM w;
SELECT d FROM w WHERE a = 1 AND b = 'X';
SELECT d FROM w WHERE b = 'x' AND a = 1 AND c = 2;
SELECT d FROM w WHERE a = 1 AND b = 'x' COLLATE BINARY;
SELECT d FROM w WHERE a = '1' AND b = 'x' AND c = '1';
SELECT d FROM w WHERE a = 1 AND c = 1;
SELECT c FROM r WHERE a = 1 AND b = 'X';
SELECT c FROM r WHERE b = 'X' AND a = 1;
SELECT c FROM r WHERE a = 1 AND b = 'x' AND c > 1;
SELECT w.d, r.c FROM w JOIN r ON r.a = w.a AND r.b = w.b WHERE w.c = 3;
UPDATE w SET d = d || '!' WHERE a = 1 AND b = 'X' AND c = 2;
DELETE FROM w WHERE a = 1 AND b = 'y';
SELECT * FROM w;",
    );
}

#[test]
fn point_lookups_seek_on_the_whole_key() {
    // A lookup naming every PRIMARY KEY column seeks on all of them (not a scan of the rows
    // sharing the first key column), in SELECT and in UPDATE/DELETE.
    let mut conn = Connection::open(":memory:", OpenFlags::default()).expect("open");
    run_ours(&mut conn, "CREATE TABLE w(a INT, b TEXT, c, PRIMARY KEY(a, b)) WITHOUT ROWID;");
    for sql in ["EXPLAIN SELECT c FROM w WHERE a = 1 AND b = 'x';", "EXPLAIN UPDATE w SET c = 2 WHERE b = 'x' AND a = 1;", "EXPLAIN DELETE FROM w WHERE a = ?1 AND b = ?2;"] {
        let ops = run_ours(&mut conn, sql);
        assert!(ops.iter().any(|l| l.contains("'SeekGE'") && l.contains(",'2',")), "{sql}: {ops:#?}");
        assert!(!ops.iter().any(|l| l.contains("'Rewind'")), "{sql}: {ops:#?}");
    }
}

#[test]
fn constraint_check_order() {
    // SQLite checks the newest index first, the PRIMARY KEY among them by its automatic index
    // number, REPLACE constraints last and an UPSERT's target first: the failing constraint it
    // names is the first in that order.
    check(
        "CREATE TABLE a(k PRIMARY KEY, u UNIQUE) WITHOUT ROWID;
INSERT INTO a VALUES(1, 'a');
INSERT INTO a VALUES(1, 'a');
CREATE TABLE b(u UNIQUE, k PRIMARY KEY) WITHOUT ROWID;
INSERT INTO b VALUES('a', 1);
INSERT INTO b VALUES('a', 1);
CREATE TABLE c(u UNIQUE, k, v UNIQUE, PRIMARY KEY(k)) WITHOUT ROWID;
INSERT INTO c VALUES('a', 1, 1);
INSERT INTO c VALUES('a', 1, 1);
CREATE UNIQUE INDEX cv2 ON c(v, u);
INSERT INTO c VALUES('a', 1, 1);
CREATE TABLE d(u UNIQUE ON CONFLICT REPLACE, k PRIMARY KEY, v UNIQUE) WITHOUT ROWID;
INSERT INTO d VALUES('a', 1, 1), ('b', 2, 2);
INSERT INTO d VALUES('a', 3, 2);
INSERT INTO d VALUES('a', 2, 3);
SELECT * FROM d;
INSERT INTO d VALUES('z', 2, 9) ON CONFLICT(k) DO UPDATE SET v = 7;
SELECT * FROM d;
CREATE TABLE e(k PRIMARY KEY ON CONFLICT REPLACE, u UNIQUE, w) WITHOUT ROWID;
INSERT INTO e VALUES(1, 'a', 1), (2, 'b', 2);
INSERT INTO e VALUES(1, 'b', 3);
SELECT * FROM e;
UPDATE e SET u = 'a' WHERE k = 1;
UPDATE e SET k = 1, u = 'x' WHERE u = 'b';
SELECT * FROM e;
CREATE TABLE r(a UNIQUE, b UNIQUE);
INSERT INTO r VALUES(1, 1);
INSERT INTO r VALUES(1, 1);",
    );
}

#[test]
fn real_columns_written_by_sqlite_read_as_reals() {
    // SQLite stores a REAL column's integral values as integers; they must read back as reals
    // (through the table, a covering index, a WITHOUT ROWID table and UPDATE ... RETURNING).
    let dir = common::tmpdir("wr-real");
    let path = dir.join("r.db");
    let p = path.to_str().expect("utf-8 path");
    let setup = "CREATE TABLE t(id INTEGER PRIMARY KEY, score REAL, n);
CREATE INDEX t_score ON t(score);
CREATE TABLE w(k REAL PRIMARY KEY, v REAL) WITHOUT ROWID;
INSERT INTO t VALUES(1, 12.0, 1), (2, 2.5, 2), (3, -4, 3);
INSERT INTO w VALUES(1.0, 7), (2.5, 8.0);
";
    assert!(sqlite_file(p, setup).is_empty());
    let query = "SELECT id, score, typeof(score) FROM t ORDER BY id;
SELECT score FROM t WHERE score > 0;
SELECT k, typeof(k), v, typeof(v) FROM w;
SELECT v FROM w WHERE k = 1;
SELECT sum(score), max(score) FROM t;
";
    let mut conn = Connection::open(p, OpenFlags::default()).expect("open");
    assert_eq!(run_ours(&mut conn, query), sqlite_file(p, query));
    let change = "UPDATE t SET n = n + 1 WHERE id = 1 RETURNING score;\n";
    assert_eq!(run_ours(&mut conn, change), vec!["12.0".to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
}
