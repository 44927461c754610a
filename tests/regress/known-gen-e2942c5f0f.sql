-- Ferrolite's answer to the last statement differs from real SQLite's (found by gen.py --seed 202, case 362, query 38, then minimised).
-- real SQLite then: cols=['abs(a0.c0)']; rows=[(NULL), (NULL), (NULL), (NULL), (NULL), (NULL)]; changes=0
-- Ferrolite then:   error SQLITE_ERROR(1) OperationalError: integer overflow; changes=0
CREATE TABLE t1(c0 VARCHAR(5), c1 INT COLLATE BINARY UNIQUE);
CREATE INDEX t1_i ON t1(c1);
CREATE TABLE t2(c0 BIGINT, c1 REAL, c2 CLOB COLLATE RTRIM, c3 FLOAT);
INSERT INTO t1 VALUES(2, 2);
INSERT INTO t1 VALUES(NULL, '%');
INSERT INTO t1 VALUES(-9223372036854775808, 2.5);
INSERT INTO t1 VALUES(-2147483648, 1e100);
INSERT INTO t1 VALUES(10, 1e18);
INSERT INTO t1 VALUES(100, 1);
INSERT INTO t1 VALUES('a', 19);
INSERT INTO t2 VALUES(NULL, 13, -1, x'41');
INSERT INTO t2 VALUES('-5', '  ', 100.0, -0.0);
INSERT INTO t2 VALUES(-6, 'ABC', -2.25, 1.5);
INSERT INTO t2 VALUES('9223372036854775808', '1e3', -0.0, -16);
UPDATE t1 SET c1 = ((t1.c1 != t1.c1) >= (t1.c1 | t1.c1)) WHERE (t1.c0 IS (t1.c1 IN (SELECT s3.c1 FROM t2 AS s3 WHERE s3.c2)));
INSERT INTO t2 SELECT c0, c1, c1, c1 FROM t1 WHERE ((t1.c1 NOT BETWEEN t1.c1 AND t1.c0) + '9223372036854775808');
SELECT abs(a0.c0) FROM t2 AS a0 LEFT JOIN t1 AS a1 ON ((a1.c0 + -20) COLLATE NOCASE) ORDER BY a0.rowid, a1.rowid LIMIT 6;
