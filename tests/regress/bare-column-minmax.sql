-- Bare columns of an aggregate query come from the row holding the extreme value of the last min()/max() (SQLite's order: result columns, ORDER BY, HAVING) even beside other aggregates, else from the first row (gen.py seeds 101-104).
CREATE TABLE t(g, a, b);
INSERT INTO t VALUES(1, 'x', 5);
INSERT INTO t VALUES(1, 'y', 9);
INSERT INTO t VALUES(1, 'z', 2);
INSERT INTO t VALUES(2, 'p', 1);
-- harness: unordered
SELECT g, a, count(*) FROM t GROUP BY g;
-- harness: unordered
SELECT g, a, max(b) FROM t GROUP BY g;
-- harness: unordered
SELECT g, a, count(*) FROM t GROUP BY g HAVING max(b) > 0;
-- harness: unordered
SELECT g, a, min(b), max(b) FROM t GROUP BY g;
-- harness: unordered
SELECT g, a, max(b), min(b) FROM t GROUP BY g;
-- harness: unordered
SELECT g, a, max(b) + min(b) FROM t GROUP BY g;
SELECT a, count(*) FROM t HAVING min(b) > 0;
SELECT a, sum(b), max(b) FROM t;
SELECT a FROM t GROUP BY g HAVING max(b) > 0 ORDER BY min(b);
-- harness: unordered
SELECT a, min(b) FROM t GROUP BY g HAVING max(b) > 0;
SELECT a, min(b) FROM t GROUP BY g ORDER BY max(b);
CREATE TABLE u(a, b);
INSERT INTO u VALUES(3, 1);
INSERT INTO u VALUES(3.0, 5);
INSERT INTO u VALUES(3, 2);
SELECT a + 0, max(b), count(*) FROM u GROUP BY a + 0;
SELECT a + 0, min(b), count(*) FROM u GROUP BY a + 0;
SELECT a + 0, count(b) FROM u GROUP BY a + 0;
CREATE TABLE n(a, b);
INSERT INTO n VALUES('x', NULL);
INSERT INTO n VALUES('y', NULL);
INSERT INTO n VALUES('z', 3);
INSERT INTO n VALUES('w', NULL);
SELECT a, max(b) FROM n;
SELECT a, max(b) FROM n WHERE b IS NULL;
SELECT a, min(b), count(*) FROM n;
CREATE TABLE t1(c0 BIGINT COLLATE RTRIM, c1 CHARACTER(3), c2 CHARACTER(3));
INSERT INTO t1 VALUES(0.5, -2147483648, '0x1');
INSERT INTO t1 VALUES('a ', 2147483647, 'Abc');
SELECT 1, a0.c0, max(a0.c2) FROM (SELECT * FROM t1 WHERE 1) AS a0 GROUP BY 1 HAVING (avg((a0.c0 + 0)) < 1);
CREATE TABLE t2(c0 INTEGER);
INSERT INTO t2 VALUES(-2.25);
INSERT INTO t2 VALUES(-20);
SELECT NULL, (0 / a0.c0), sum(DISTINCT a0.c0), count(*) FROM t2 AS a0 GROUP BY NULL, (0 / a0.c0) HAVING (min(a0.c0) < 1);
CREATE TABLE d1(c0 DOUBLE UNIQUE, c1 BOOLEAN COLLATE RTRIM, c2, c3 DECIMAL(5,2) COLLATE NOCASE UNIQUE);
CREATE TABLE d3(c0 VARCHAR(5), c1 CLOB, c2 INTEGER, c3 CHARACTER(3));
INSERT INTO d1 VALUES(4294967296, '1e3', '', '3.0');
INSERT INTO d1 VALUES('9223372036854775808', NULL, 1e100, 9);
INSERT INTO d3 VALUES(9223372036854775807, '%', '1e3', '-5');
-- A DISTINCT duplicate does not step its min()/max(): the verdict of the one before stands.
SELECT 1, (a0.c2 % a1.c0), max(DISTINCT a0.c0), max(DISTINCT (a1.c2 + 7)) FROM d1 AS a0 CROSS JOIN d3 AS a1 GROUP BY 1, (a0.c2 % a1.c0);
SELECT a0.c2, max(DISTINCT a0.c0), max(DISTINCT (a1.c2 + 7)) FROM d1 AS a0 CROSS JOIN d3 AS a1;
SELECT a0.c2, max(DISTINCT (a1.c2 + 7)), max(DISTINCT a0.c0) FROM d1 AS a0 CROSS JOIN d3 AS a1;
-- Until min()/max() meets a non-NULL value every row is taken: with only NULLs the last row's columns show (gen.py seed 307).
CREATE TABLE bn(a, b, c);
INSERT INTO bn VALUES(0, NULL, NULL), (0.0, NULL, NULL), (0, 1, NULL), (0.0, 1, NULL), (0, 1, NULL), (0, 2, 5), (0.0, 2, NULL);
SELECT a, b, max(c) FROM bn GROUP BY a, b ORDER BY b;
SELECT a, b, min(c), count(c) FROM bn GROUP BY b ORDER BY b;
SELECT a, max(c) FROM bn WHERE b IS NULL;
SELECT a, max(DISTINCT c) FROM bn WHERE b = 1;
-- The one min()/max() with WHERE fixing its argument: the first qualifying row, then stop.
SELECT a, max(b) FROM n WHERE b = 3;
SELECT a, min(c) FROM bn WHERE c IS NULL;
SELECT a, max(c) FROM bn WHERE 5 = c;
