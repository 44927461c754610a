-- x IN (SELECT y ...) compares under the collation `x = y` would use: an explicit COLLATE on either side first, then x's column collation, then y's (gen.py seed 102); and a scan of a table's narrower covering index ignores an outer query's columns (seed 101).
CREATE TABLE t1(c0 DECIMAL(5,2), c1 BOOLEAN, c2 INTEGER COLLATE RTRIM, c3 DOUBLE);
CREATE TABLE t3(c0 DECIMAL(5,2));
INSERT INTO t1 VALUES(' 1', ' 1', 'a ', 'Abc');
INSERT INTO t3 VALUES(16);
SELECT 'a' IN (SELECT c2 FROM t1), 'a' IN (SELECT c2 COLLATE BINARY FROM t1), 'a' COLLATE BINARY IN (SELECT c2 FROM t1), 'A' IN (SELECT c3 COLLATE NOCASE FROM t1 WHERE 0 UNION ALL SELECT 'abc');
SELECT c3 IN (SELECT 'ABC' COLLATE NOCASE), c3 IN (SELECT 'ABC'), c2 IN (SELECT 'a'), (c2 || '') IN (SELECT 'a') FROM t1;
-- harness: unordered
SELECT 1, (a0.c0 % a0.c0), count(*) FROM t3 AS a0 WHERE CAST(abs(('a' IN (SELECT s52.c2 FROM t1 AS s52 WHERE s52.c0))) AS INTEGER) GROUP BY 1, (a0.c0 % a0.c0) HAVING (sum(a0.c0) <> 1);
CREATE TABLE t(c0 ANY, c1);
CREATE INDEX t_i ON t(c1);
INSERT INTO t VALUES('12', 9223372036854775807);
INSERT INTO t VALUES(-9223372036854775808, '0x1');
INSERT INTO t VALUES(-0.0, 4294967296);
-- harness: unordered
SELECT (SELECT sum(s5.c1) FROM t AS s5 WHERE a0.c0), 1 FROM t AS a0;
-- The IN affinity: one side's exactly when only it has one (REAL turns an integer left side into a real); an untyped column has BLOB affinity.
CREATE TABLE d(c1 DOUBLE, c2, c3 TEXT);
INSERT INTO d VALUES(9223372036854775807, 3, '3');
SELECT 9223372036854775807 IN (SELECT c1 FROM d), 9223372036854775807 = (SELECT c1 FROM d), 9223372036854775807 IN (SELECT CAST(c1 AS REAL) FROM d), 1 IN (SELECT c1 FROM d);
SELECT c3 IN (SELECT c2 FROM d), c2 IN (SELECT c3 FROM d), '3' IN (SELECT c2 FROM d), 3 IN (SELECT c3 FROM d), c3 IN (SELECT 3), c2 IN (SELECT '3') FROM d;
