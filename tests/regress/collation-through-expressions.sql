-- An expression holding an explicit COLLATE takes that collation (from its first operand or argument holding one: likely(x COLLATE RTRIM), (a COLLATE NOCASE) || ''), for DISTINCT, comparisons and min()/max() (gen.py seeds 101-104).
CREATE TABLE t(a, b COLLATE NOCASE);
INSERT INTO t VALUES('x', 'A');
INSERT INTO t VALUES('X', 'a');
INSERT INTO t VALUES('', 'b');
INSERT INTO t VALUES('  ', 'B');
-- harness: unordered
SELECT DISTINCT likely(a COLLATE RTRIM) FROM t;
-- harness: unordered
SELECT DISTINCT upper(a) COLLATE NOCASE FROM t;
-- harness: unordered
SELECT DISTINCT (a COLLATE NOCASE) || '' FROM t;
SELECT count(*) FROM t WHERE (a COLLATE NOCASE) || '' = 'x';
SELECT count(*) FROM t WHERE a || (b COLLATE BINARY) = 'xa';
SELECT count(*) FROM t WHERE b || '' = 'a';
SELECT count(*) FROM t WHERE +b = 'a';
SELECT count(*) FROM t WHERE CAST(b AS TEXT) = 'a';
SELECT count(*) FROM t WHERE likely(b) = 'a';
SELECT count(*) FROM t WHERE 'x' = substr(a COLLATE NOCASE, 1);
SELECT a FROM t ORDER BY likely(a COLLATE NOCASE) DESC, a;
SELECT max(a COLLATE NOCASE || ''), min(likely(a COLLATE RTRIM)) FROM t;
CREATE TABLE t1(c0 REAL, c1 VARCHAR(5) UNIQUE);
INSERT INTO t1 VALUES('', 2.5);
INSERT INTO t1 VALUES('  ', 2);
-- harness: unordered
SELECT DISTINCT NULL, likely((a0.c0 COLLATE RTRIM)) FROM t1 AS a0 WHERE a0.c1;
