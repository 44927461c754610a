-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): SQLite 3.40 deletes (and updates) rows during its scan when the WHERE clause has no correlated subquery, so an uncorrelated subquery first evaluated after rows were changed sees the changed table; Ferrolite collects the rowids first, then changes them (gen.py seeds 204, 309).
CREATE TABLE t1(c0 NUMERIC COLLATE NOCASE, c1 BLOB);
INSERT INTO t1 VALUES(1, 4294967296), (2, 1e18), (1000000000000000000, NULL), (8, 19);
DELETE FROM t1 WHERE c1 OR (c0 IN (SELECT c1 FROM t1));
SELECT rowid, * FROM t1;
-- The same for UPDATE: SQLite 3.40 changes the rows during its scan (gen.py seed 309, case 1879).
CREATE TABLE u1(c0 INTEGER COLLATE BINARY, c1 REAL UNIQUE);
INSERT INTO u1 VALUES('', 0), ('abc', x'6162');
UPDATE u1 SET c0 = 1 WHERE (u1.c1 NOT BETWEEN (u1.c0 COLLATE NOCASE) AND (NULL IN (SELECT s11.c0 FROM u1 AS s11 WHERE s11.c0)));
SELECT rowid, * FROM u1;
-- UPDATE with a correlated subquery on the same table: still one pass in SQLite (gen.py seed 310, case 1584).
CREATE TABLE u2(c0 INTEGER PRIMARY KEY, c1, c2 BLOB);
INSERT INTO u2 VALUES(1, 3, '  '), (2, -15, 'A'), (17, 16, -15), (18, NULL, '%');
UPDATE u2 SET c1 = NULL WHERE ((u2.c2 IN (SELECT s1.c1 FROM u2 AS s1 WHERE u2.c2)) NOT IN (11, u2.c1));
SELECT * FROM u2;
