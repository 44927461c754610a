#!/bin/sh
# Writes the small seed corpora of the fuzz targets into fuzz/corpus/<target>/ (not committed:
# libFuzzer grows these directories as it runs). Safe to run again: it only adds files.
set -e
cd "$(dirname "$0")"
mkdir -p corpus/parse corpus/exec corpus/record corpus/btree_page
n=0
sql() {
    n=$((n + 1))
    printf '%s' "$1" > "corpus/parse/seed$n"
    printf '%s' "$1" > "corpus/exec/seed$n"
}
sql "SELECT 1, 'a' || x'41', 2.5e3 AS r;"
sql "SELECT a, b FROM t WHERE a > 1 AND b LIKE 'o%' ORDER BY b DESC LIMIT 2 OFFSET 1;"
sql "CREATE TABLE u(x INTEGER PRIMARY KEY, y TEXT UNIQUE, z REAL CHECK(z > 0) DEFAULT 1.5); INSERT INTO u(y) VALUES ('p'), ('q');"
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 50) SELECT sum(i), group_concat(i) FROM n;"
sql "UPDATE t SET b = upper(b) WHERE a IN (SELECT a FROM t WHERE c IS NOT NULL); DELETE FROM t WHERE a = 4;"
sql "SELECT count(*) OVER (PARTITION BY b ORDER BY a ROWS 1 PRECEDING), rank() OVER w FROM t WINDOW w AS (ORDER BY c);"
sql "SELECT t1.a, t2.b FROM t t1 LEFT JOIN t t2 ON t1.a = t2.a + 1 GROUP BY 1 HAVING count(*) > 0 UNION ALL SELECT 5, 6;"
sql "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO t(b) VALUES (new.b || 'x'); END; INSERT INTO t(b) VALUES ('z');"
sql "CREATE VIEW v AS SELECT * FROM t; SELECT * FROM v; ALTER TABLE t ADD COLUMN d; ALTER TABLE t RENAME TO t2; DROP VIEW v;"
sql "BEGIN; SAVEPOINT s; INSERT INTO t VALUES (9, 9, 9); ROLLBACK TO s; RELEASE s; COMMIT; PRAGMA integrity_check;"
sql "SELECT printf('%5.2f %d %s %q', 3.14159, 42, 'x', 'it''s'), json_object('a', 1), datetime('now') > '2000', CAST('12abc' AS INTEGER);"
sql "INSERT INTO t VALUES (10, 'ten', 1) ON CONFLICT(a) DO UPDATE SET b = excluded.b RETURNING *;"
sql "SELECT vector_extract(vector('[1,2,3]')), substr('hello', -3, 2), replace('aaa', 'a', 'bb'), zeroblob(10), hex(randomblob(4));"
# Records: header size, serial types, body (an int, a text, a float, NULL, a blob).
printf '\006\001\023\007\000\016\052hello\100\011\041\373\124\104\055\030\001\002\003\004\005' > corpus/record/seed1
printf '\002\000' > corpus/record/seed2
printf '\003\011\010' > corpus/record/seed3
printf '\004\006\005\004\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000\002' > corpus/record/seed4
# Damaged databases: mode 1 (a page overwritten), mode 2 (byte patches), mode 0 (a raw file).
printf '\001\001\015\000\000\000\003\000' > corpus/btree_page/seed1
printf '\001\002\012\000\000\000\001\001\000' > corpus/btree_page/seed2
printf '\002\000\020\002\000\034\377\000\040\007\000\044\000' > corpus/btree_page/seed3
printf '\002\000\150\005\002\000\012\001\000\152\000' > corpus/btree_page/seed4
printf '\000SQLite format 3\000\002\000\001\001\000\100\040\040' > corpus/btree_page/seed5
echo "seeds written to $(pwd)/corpus"
