-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): SQLite orders the tables of an inner join by estimated cost (here t2 outer, t1 through its covering index inner); Ferrolite keeps the FROM order, so a GROUP BY's floating-point sum adds the rows in another order and meets the integer overflow at another point (gen.py seed 206, case 1304).
CREATE TABLE t1(c0 INTEGER, c1 FLOAT);
CREATE INDEX t1_i ON t1(c0);
CREATE TABLE t2(c0 INTEGER PRIMARY KEY, c1 FLOAT, c2 REAL);
INSERT INTO t1 VALUES(9223372036854775807, 19);
INSERT INTO t1 VALUES('Abc', NULL);
INSERT INTO t1 VALUES(8, 7);
INSERT INTO t1 VALUES('9223372036854775808', 1e18);
INSERT INTO t1 VALUES(x'00', NULL);
INSERT INTO t2 VALUES(NULL, 4294967296, 9223372036854775807);
INSERT INTO t2 VALUES(NULL, '', 1);
INSERT INTO t2 VALUES(9, 'Abc', 'ABC');
INSERT INTO t2 VALUES(NULL, 'abc', NULL);
INSERT INTO t2 VALUES(NULL, -11, 18);
SELECT (a1.c0 + a0.c0), sum(a0.c0) FROM t1 AS a0 , t2 AS a1 GROUP BY (a1.c0 + a0.c0);
