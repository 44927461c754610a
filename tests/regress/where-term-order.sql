-- WHERE terms naming no table of their FROM clause (outer references) are tested before the others, and `x AND 0` never evaluates x, so an error in another term (integer overflow) happens exactly when SQLite's does (gen.py seeds 101-106).
CREATE TABLE t(a);
INSERT INTO t VALUES(-9223372036854775808);
CREATE TABLE o(a);
INSERT INTO o VALUES(0);
SELECT EXISTS (SELECT 1 FROM t AS s WHERE abs(s.a) AND (o.a AND s.a)) FROM o;
SELECT (SELECT count(*) FROM t AS s WHERE abs(s.a) AND o.a) FROM o;
SELECT 1 FROM t WHERE abs(a) AND 0;
SELECT 1 FROM t WHERE 0 AND abs(a);
SELECT abs(a) AND 0, 0 AND nosuchcolumn FROM t;
SELECT 0 AND count(*) FROM t;
SELECT 1 FROM t AS s WHERE abs(s.a) AND s.a = 5;
SELECT 1 FROM t AS s WHERE s.a AND abs(s.a);
SELECT CASE WHEN a AND 0 THEN abs(a) ELSE 1 END FROM t;
