-- KNOWN FAILURE (tracked in docs/COMPAT.md): ORDER BY rowid over a table scan goes through a sorter in Ferrolite (SQLite scans in rowid order and needs none), so an error in a later row (integer overflow) surfaces at the first step instead of after the first rows, and LIMIT does not stop evaluation early (gen.py seed 101).
CREATE TABLE t1(c0 FLOAT, c2 BIGINT);
INSERT INTO t1 VALUES(3, '%');
INSERT INTO t1 VALUES('Abc', -9223372036854775808);
SELECT abs(a0.c2) FROM t1 AS a0 WHERE 1 ORDER BY a0.rowid;
SELECT abs(a0.c2) FROM t1 AS a0 ORDER BY a0.rowid LIMIT 1;
