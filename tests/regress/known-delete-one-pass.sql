-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): SQLite 3.40 deletes rows during its scan when the WHERE clause has no correlated subquery, so an uncorrelated IN subquery first evaluated after rows were deleted sees fewer rows; Ferrolite collects the rowids first, then deletes (gen.py seed 204, case 1833).
CREATE TABLE t1(c0 NUMERIC COLLATE NOCASE, c1 BLOB);
INSERT INTO t1 VALUES(1, 4294967296), (2, 1e18), (1000000000000000000, NULL), (8, 19);
DELETE FROM t1 WHERE c1 OR (c0 IN (SELECT c1 FROM t1));
SELECT rowid, * FROM t1;
