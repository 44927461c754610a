-- KNOWN FAILURE (tracked in docs/COMPAT.md): UNION/INTERSECT/EXCEPT compare a column under the collation of the leftmost arm that has one (a plain column has at least BINARY); Ferrolite always compares with BINARY (gen.py seed 103).
CREATE TABLE t1(c0 INT COLLATE RTRIM);
INSERT INTO t1 VALUES('  ');
SELECT substr(1, 1, 0) FROM t1 INTERSECT SELECT c0 FROM t1;
SELECT 'a' UNION SELECT 'A' COLLATE NOCASE;
SELECT '' EXCEPT SELECT c0 FROM t1;
