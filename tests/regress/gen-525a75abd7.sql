-- A ROWS-frame sum over a LEFT JOIN (found by gen.py --seed 201, case 37, query 17, then minimised): the frame's steps and inverses must come in SQLite's order for large reals to round the same way.
-- real SQLite then: cols=['c1', 'c1', "((CASE WHEN -2147483648 THEN -20 WHEN max(a0.c2, a0.c1, a0.c0) THEN upper(a0.c1) END) = ('1e3' < (14 COLLATE BINARY)))", 'sum(a0.c2) OVER (ORDER BY a0.rowid, a1.rowid ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)']; rows=[(12, 'a_c', 0, 0.0(real)), (0.5(real), 'a_c', 0, -9.223372036854776e+18(real)), (12, 12, 0, -1.8446744073709552e+19(real)), (0.5(real), 12, 0, -1.8446744073709552e
-- Ferrolite then:   cols=['c1', 'c1', "((CASE WHEN -2147483648 THEN -20 WHEN max(a0.c2, a0.c1, a0.c0) THEN upper(a0.c1) END) = ('1e3' < (14 COLLATE BINARY)))", 'sum(a0.c2) OVER (ORDER BY a0.rowid, a1.rowid ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)']; rows=[(12, 'a_c', 0, 0.0(real)), (0.5(real), 'a_c', 0, -9.223372036854776e+18(real)), (12, 12, 0, -1.8446744073709552e+19(real)), (0.5(real), 12, 0, -1.8446744073709552e
CREATE TABLE t1(c0 FLOAT, c1 BLOB, c2 FLOAT UNIQUE);
CREATE TABLE t2(c0 INTEGER PRIMARY KEY, c1 DOUBLE, c2 INTEGER);
CREATE TABLE t3(c0 BOOLEAN, c1 BIGINT COLLATE BINARY, c2 TEXT);
INSERT INTO t2 VALUES(40, 'b', 3.0);
INSERT INTO t2 VALUES(13, 1.5, x'');
INSERT INTO t2 VALUES(NULL, 4294967296, '3.0');
INSERT INTO t2 VALUES(-10, 'Abc', -0.0);
INSERT INTO t2 VALUES(12, -2.25, -13);
INSERT INTO t3 VALUES(0.5, 'a_c', '%');
INSERT INTO t3 VALUES('12', '12', -9223372036854775808);
INSERT INTO t3 VALUES('0x1', '%', 2);
INSERT INTO t3 VALUES(NULL, 'A', 0.5);
INSERT INTO t3 VALUES(NULL, 0.5, -128);
INSERT INTO t3 VALUES(0.5, '0x1', 10);
INSERT INTO t3 VALUES(NULL, NULL, NULL);
-- harness: unordered
SELECT a1.c1, a0.c1, ((CASE WHEN -2147483648 THEN -20 WHEN max(a0.c2, a0.c1, a0.c0) THEN upper(a0.c1) END) = ('1e3' < (14 COLLATE BINARY))), sum(a0.c2) OVER (ORDER BY a0.rowid, a1.rowid ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t3 AS a0 LEFT JOIN t3 AS a1 ON ((a0.c2 <> a1.c1) AND a1.c1);
