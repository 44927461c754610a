-- x IN (list) compares every item under x's affinity and collation only (the items' own do not count), except that one constant item is x = +item, whose explicit COLLATE counts (gen.py seeds 101-104).
CREATE TABLE t(a TEXT, b INT, c BLOB, n TEXT COLLATE NOCASE, r REAL, v VARCHAR(5) COLLATE NOCASE);
INSERT INTO t VALUES('1', 1, '1', 'A', 1.0, 9223372036854775807);
SELECT 1 IN (a), 1 = a, a IN (1), a = 1, 1 IN (a, 2), '1' IN (b), '1' = b, b IN ('1'), 1 IN (c), c IN (1), c = 1 FROM t;
SELECT 'a' IN (n), 'a' IN (n, 'x'), n IN ('a'), n IN ('a', 'x'), 'a' IN ('A' COLLATE NOCASE), 'a' IN ('A' COLLATE NOCASE, 'x'), n COLLATE BINARY IN ('a'), 'a' COLLATE NOCASE IN (n, 'x') FROM t;
SELECT a IN (1, 2), a IN (1), b IN ('1', 2), r IN ('1', 2), r IN ('1'), 1 IN (r, 3), '1.0' IN (r, 3), c IN (1, 2), c IN ('1', 2), 1.0 IN (a, 3), +a IN (1, 2), CAST(b AS TEXT) IN (1, 2) FROM t;
SELECT 9223372036854775807 IN (v), 9223372036854775807 NOT IN (v, r, b, NULL), (0 IN (1, a)) FROM t;
SELECT 0 IN (1, '0'), ((-13 > '-5') IN ((c <> 'A'), '0')) FROM t;
