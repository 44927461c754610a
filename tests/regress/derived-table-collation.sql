-- A FROM-clause subquery's (or view's) columns keep their expressions' collation and affinity, so ('ABC' == a0.c1) over (SELECT * FROM t1) uses t1.c1's NOCASE (gen.py seed 104).
CREATE TABLE t1(c0 BOOLEAN COLLATE RTRIM, c1 DOUBLE COLLATE NOCASE);
INSERT INTO t1 VALUES(2147483647, 'abc');
INSERT INTO t1 VALUES('x ', 'ABC');
SELECT ('ABC' == a0.c1), NULL FROM (SELECT * FROM t1 WHERE 1) AS a0;
SELECT a0.c0 = 'x', a0.c1 = 'Abc', a0.e = 'X', a0.k = 2147483647, a0.k = '2147483647' FROM (SELECT c0, c1, c1 || '' AS e, CAST(c0 AS INTEGER) AS k FROM t1) AS a0;
-- harness: unordered
SELECT DISTINCT a0.c1 FROM (SELECT c1 FROM t1) AS a0;
CREATE VIEW v AS SELECT c0, c1 COLLATE BINARY AS b, c1 FROM t1;
SELECT c0 = 'x', b = 'abc', c1 = 'abc' FROM v;
