-- x IN (list) evaluates its items in order until one matches, all of them when x is NULL, and a constant list of more than two items whole (SQLite's lookup table), so an item's error (integer overflow) happens exactly when SQLite's does (gen.py seeds 101-104).
CREATE TABLE t(a, b);
INSERT INTO t VALUES(NULL, -9223372036854775808);
INSERT INTO t VALUES(1, -9223372036854775808);
SELECT a IN (abs(b)) FROM t WHERE a IS NULL;
SELECT a IN (1, abs(b)) FROM t WHERE a = 1;
SELECT a IN (abs(b), 1) FROM t WHERE a = 1;
SELECT a NOT IN (b, abs(b)) FROM t WHERE a IS NULL;
SELECT a IN (1, b, abs(-9223372036854775808)) FROM t WHERE b < 0 AND a IS NOT NULL;
SELECT a IN (1, 2, abs(-9223372036854775808)) FROM t WHERE a IS NOT NULL;
SELECT a IN (1, 2, 3, abs(-9223372036854775808)) FROM t WHERE a IS NOT NULL;
SELECT 5 IN (1, 2, abs(b)) FROM t;
SELECT 1 IN (1, 2, abs(b)) FROM t;
SELECT (SELECT 1 FROM t WHERE 0) IN (1, 2, abs(b)) FROM t;
SELECT NULL IN (1, 2, 3), NULL NOT IN (1), 1 IN (NULL, 1), 2 IN (NULL, 1), 2 NOT IN (1, NULL), NULL IN (NULL);
