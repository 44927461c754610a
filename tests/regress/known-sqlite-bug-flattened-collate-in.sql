-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): SQLite 3.40.1 answers wrongly when a FROM-clause subquery whose WHERE is `x COLLATE RTRIM IN ('a ')` is joined (the subquery alone has 1 row, t2 has 1 row, yet the join counts 0); Ferrolite gives the right count and does not copy the bug (gen.py seed 103).
CREATE TABLE t1(c0 INTEGER PRIMARY KEY, c1 BIGINT, c2 CLOB);
CREATE TABLE t2(c0 INTEGER PRIMARY KEY, c1 NUMERIC);
INSERT INTO t1 VALUES(NULL, 2.5, 6);
INSERT INTO t1 VALUES(NULL, 1e100, 'a');
INSERT INTO t2 VALUES(NULL, '-5');
SELECT count(*) FROM (SELECT * FROM t1 WHERE ((t1.c2 COLLATE RTRIM) IN ('a ')));
SELECT count(*) FROM t2 AS a0 CROSS JOIN (SELECT * FROM t1 WHERE ((t1.c2 COLLATE RTRIM) IN ('a '))) AS a1;
