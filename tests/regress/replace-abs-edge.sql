-- replace() returns X as it was when Y is empty or starts with a NUL byte (a blob X as text, before a NULL Z matters), and abs(-0.0) stays -0.0 (gen.py seeds 101-104).
SELECT typeof(replace(x'', x'', x'')), typeof(replace(x'41', '', 'x')), typeof(replace(1.5, '', 'x')), typeof(replace(12, '', 'x')), typeof(replace('ab', '', 'x'));
SELECT replace(x'', x'', x''), replace(x'41', '', 'x'), replace(1.5, '', 'x'), replace(12, '', 'x');
SELECT hex(replace(x'00', x'00', '1')), typeof(replace(x'00', x'00', '1'));
SELECT hex(replace(x'610062', x'0062', 'Z')), hex(replace(x'610062', 'b', 'Z')), hex(replace('abc', 'b', x'00'));
SELECT replace('abc', x'00', NULL) IS NULL, replace('abc', '', NULL), replace('abc', 'b', NULL) IS NULL;
SELECT hex(replace('a' || char(0) || 'b', char(0), 'Z'));
SELECT typeof(replace(x'6162', 'b', 'c')), replace(x'6162', 'b', 'c');
CREATE TABLE t(a REAL, b);
INSERT INTO t VALUES(-2.5, x'');
INSERT INTO t VALUES(3.0, '');
SELECT abs(a * 0), abs(-0.0), abs(0.0), abs(a) FROM t;
SELECT replace(b, b, b), typeof(replace(b, b, b)) FROM t;
-- harness: unordered
SELECT DISTINCT replace(b, b, 'x') FROM t;
