-- GROUP BY/ORDER BY positions: -9223372036854775808 and other non-32-bit integers are constants, not positions; positions outside 1..65535 are reported before positions past the result columns; `x AND 0` is the literal 0 (gen.py seeds 101-104).
CREATE TABLE t1(c0 INTEGER PRIMARY KEY, c1 TEXT);
INSERT INTO t1 VALUES(1, 'a');
INSERT INTO t1 VALUES(2, 'b');
INSERT INTO t1 VALUES(3, 'a');
-- harness: unordered
SELECT -9223372036854775808, count(*), max(c0) FROM t1 GROUP BY -9223372036854775808;
-- harness: unordered
SELECT (-9223372036854775808 COLLATE NOCASE), count(*) FROM t1 GROUP BY (-9223372036854775808 COLLATE NOCASE);
-- harness: unordered
SELECT (+-9223372036854775808), c1, count(*) FROM t1 GROUP BY (+-9223372036854775808), c1;
-- harness: unordered
SELECT c1, count(*) FROM t1 GROUP BY c1, -9223372036854775808;
-- harness: unordered
SELECT c1, count(*) FROM t1 GROUP BY 2147483648;
-- harness: unordered
SELECT c1, count(*) FROM t1 GROUP BY -2147483648;
-- harness: unordered
SELECT c1, count(*) FROM t1 GROUP BY 0xffffffffffffffff;
SELECT c1, 2, 3, 4 FROM t1 GROUP BY 9, -6;
SELECT c1, 2, 3, 4 FROM t1 GROUP BY 5, 6;
SELECT c1, 2, 3, 4 FROM t1 GROUP BY 5, 0;
SELECT c1, 2 FROM t1 GROUP BY 1, 65536;
SELECT c1, 2 FROM t1 GROUP BY 3, 2147483647;
SELECT c1, 2 FROM t1 GROUP BY - -6;
SELECT c1, 2 FROM t1 GROUP BY -(-1), 3;
SELECT c1, 2 FROM t1 ORDER BY 9, -6;
SELECT c1, 2 FROM t1 GROUP BY 3 ORDER BY -1;
SELECT NULL, (0 AND c0), count(*) FROM t1 GROUP BY NULL, (0 AND c0);
SELECT (c0 AND 0), count(*) FROM t1 GROUP BY (c0 AND 0);
SELECT (c0 AND 0 AND c1), count(*) FROM t1 GROUP BY (c0 AND 0 AND c1);
SELECT (c0 AND 0) COLLATE NOCASE, count(*) FROM t1 GROUP BY (c0 AND 0) COLLATE NOCASE;
SELECT c1, count(*) FROM t1 ORDER BY (c0 AND 0x0);
-- harness: unordered
SELECT (c0 AND -0), count(*) FROM t1 GROUP BY (c0 AND -0);
-- harness: unordered
SELECT (c0 AND +0), count(*) FROM t1 GROUP BY (c0 AND +0);
-- harness: unordered
SELECT (c0 AND '0'), count(*) FROM t1 GROUP BY (c0 AND '0');
-- harness: unordered
SELECT c1, count(*) FROM t1 GROUP BY +(2 COLLATE NOCASE);
-- harness: unordered
SELECT c1, count(*) FROM t1 GROUP BY likely(5);
