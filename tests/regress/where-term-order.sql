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
-- WHERE terms naming no table are tested before the loops, even over empty tables (gen.py seed 303, case 761).
CREATE TABLE wt_e(x);
CREATE TABLE wt_f(y);
INSERT INTO wt_f VALUES(1);
SELECT * FROM wt_e WHERE abs(-9223372036854775808);
SELECT * FROM (SELECT * FROM wt_e) WHERE abs(-9223372036854775808);
SELECT * FROM wt_f LEFT JOIN wt_e WHERE abs(-9223372036854775808) AND y;
SELECT (SELECT count(*) FROM wt_f AS i WHERE o.y > 5 AND i.y = 1) FROM wt_f AS o;
SELECT * FROM wt_f WHERE 0 AND abs(y);
