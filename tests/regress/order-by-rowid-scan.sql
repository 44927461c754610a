-- ORDER BY rowid over a plain table scan needs no sorter (SQLite scans in rowid order), so an error in a later row (integer overflow) surfaces after the first rows, not at the first step, and LIMIT stops evaluation early (gen.py seed 101).
CREATE TABLE t1(c0 FLOAT, c2 BIGINT);
INSERT INTO t1 VALUES(3, '%');
INSERT INTO t1 VALUES('Abc', -9223372036854775808);
SELECT abs(a0.c2) FROM t1 AS a0 WHERE 1 ORDER BY a0.rowid;
SELECT abs(a0.c2) FROM t1 AS a0 ORDER BY a0.rowid LIMIT 1;
CREATE TABLE t2(id INTEGER PRIMARY KEY, v);
INSERT INTO t2 VALUES(3, 'c');
INSERT INTO t2 VALUES(1, -9223372036854775808);
INSERT INTO t2 VALUES(2, 'b');
SELECT id, abs(v) FROM t2 ORDER BY id LIMIT 1;
SELECT id, v FROM t2 ORDER BY rowid;
SELECT id, v FROM t2 WHERE v > 'a' ORDER BY _rowid_;
SELECT id, v FROM t2 ORDER BY id DESC;
SELECT id FROM t2 WHERE id > 1 ORDER BY id;
-- ORDER BY rowid DESC: a backwards scan, no sorter (rows are computed one at a time: LIMIT stops before a failing row).
CREATE TABLE obd(a INTEGER, b TEXT);
INSERT INTO obd VALUES(-9223372036854775808, 'x'), (5, 'y'), (NULL, 'z'), (7, 'w');
SELECT abs(a), b FROM obd ORDER BY rowid DESC LIMIT 2;
SELECT abs(a), b FROM obd WHERE a ORDER BY rowid DESC LIMIT 1;
SELECT rowid, a FROM obd ORDER BY rowid DESC;
SELECT rowid, a FROM obd ORDER BY rowid DESC LIMIT 2 OFFSET 1;
SELECT rowid FROM obd WHERE b > 'x' ORDER BY rowid DESC;
SELECT abs(a), b FROM obd ORDER BY rowid LIMIT 2;
