-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): a FROM-clause subquery is materialized before the outer query returns a row, where SQLite runs it as a co-routine or flattens it; a statement that fails on a later row (integer overflow) fails at its first step here, after the first rows in SQLite (gen.py seeds 201-206).
CREATE TABLE t(c INTEGER);
INSERT INTO t VALUES(1), (0), (2);
SELECT x FROM (SELECT abs(c + -9223372036854775808) AS x FROM t);
SELECT c FROM (SELECT * FROM t WHERE abs(c + -9223372036854775808));
