-- iif() is a CASE and coalesce()/ifnull() stop at the first non-NULL argument: arguments not reached are not evaluated, so their errors (integer overflow) do not happen (gen.py seed 105).
CREATE TABLE t(a, b);
INSERT INTO t VALUES(1, 2);
INSERT INTO t VALUES(NULL, 3);
SELECT iif(a, 1, abs(-9223372036854775808)) FROM t WHERE a = 1;
SELECT coalesce(1, abs(-9223372036854775808)), ifnull(2, abs(-9223372036854775808));
SELECT coalesce(a, b, 7), ifnull(a, b), iif(a, 'y', 'n'), iif(NULL, 1, 2) FROM t;
SELECT coalesce(a, abs(-9223372036854775808)) FROM t WHERE a IS NULL;
SELECT typeof(coalesce(NULL, NULL)), coalesce(NULL, 'x' COLLATE NOCASE) = 'X';
