-- Changing a row's rowid (INTEGER PRIMARY KEY) in a table with a UNIQUE index failed with a false "UNIQUE constraint failed": the row's own index entry (still under its old rowid) was taken for another row's.
CREATE TABLE t(id INTEGER PRIMARY KEY, a, b);
CREATE UNIQUE INDEX ta ON t(a);
CREATE UNIQUE INDEX tb ON t(b * 2) WHERE b IS NOT NULL;
INSERT INTO t VALUES(3, 1, 1), (4, 2, NULL), (8, 3, 3), (10, 4, 4);
UPDATE t SET id = 20 WHERE id = 3;
SELECT * FROM t ORDER BY id;
UPDATE OR IGNORE t SET id = 5 WHERE id % 2 = 0;
SELECT * FROM t ORDER BY id;
UPDATE t SET id = id + 100, a = a WHERE id > 5;
SELECT * FROM t ORDER BY id;
UPDATE t SET id = 5 WHERE id = 108;
UPDATE OR REPLACE t SET id = 5, a = 9 WHERE id = 110;
SELECT * FROM t ORDER BY id;
PRAGMA integrity_check;
