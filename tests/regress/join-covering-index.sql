-- A table of a join scanned whole reads a covering index instead when one holds every column the query reads, as SQLite does: the rows come in that index's order, which decides GROUP BY representatives (0 vs -0.0) and the order of floating-point sums (gen.py seed 201, case 721).
CREATE TABLE t1(c0 TEXT, c1 CHARACTER(3));
CREATE TABLE t2(c0 ANY);
CREATE TABLE t3(c0 BIGINT, c1 DOUBLE, c2 CLOB, c3);
CREATE INDEX t3_i ON t3(c2 DESC, c3 COLLATE RTRIM, c1);
INSERT INTO t1 VALUES(7, -0.0);
INSERT INTO t1 VALUES(-1, NULL);
INSERT INTO t3 VALUES('A', -2, 2.5, -4);
INSERT INTO t3 VALUES(-13, 100, NULL, -2147483648);
INSERT INTO t3 VALUES(2, 100, 'a_c', 0.5);
INSERT INTO t3 VALUES(255, NULL, 0.0, 9223372036854775807);
UPDATE t1 SET c1 = ((0.0 IN (t1.c0, t1.c1, t1.c1, 'abc')) = 2) WHERE ((1e100 AND 1e100) & t1.c1);
-- harness: unordered
SELECT (a1.c1 * a0.c0), abs(a0.c1), count(*), max(a0.c3) FROM t3 AS a0 CROSS JOIN t3 AS a1 GROUP BY (a1.c1 * a0.c0), abs(a0.c1);
