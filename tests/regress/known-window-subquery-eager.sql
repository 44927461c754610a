-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): in a query with window functions, the subqueries of the select list are computed for every row before the windows (their values are kept with the row); SQLite computes them as each row is returned, so one in an unreached CASE branch never runs there (here its sum overflows) (gen.py seed 303, case 870).
CREATE TABLE t1(c0);
INSERT INTO t1 VALUES(9223372036854775807), (7);
CREATE TABLE t2(c2);
INSERT INTO t2 VALUES('');
SELECT (CASE WHEN 0 THEN (SELECT sum(s31.c0) FROM t1 AS s31 WHERE s31.c0) END), max(a0.c2) OVER () FROM t2 AS a0;
