-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): SQLite 3.40.1 answers one WHERE clause two ways: with a window function in the select list (its query rewritten into a subquery) row 2 is dropped, without it row 2 is kept; `'00' IS NOT 0` is true (text against integer, no affinity), so the row belongs. Ferrolite keeps it both times and does not copy the bug (gen.py seed 201, case 336, query 14, minimised by hand).
CREATE TABLE t1(c0 BIGINT, c1 INT);
INSERT INTO t1 VALUES(1, 7), (2, 0), (3, -8);
SELECT group_concat(rowid) FROM t1 WHERE CASE ((c1 || c1) IS NOT ('x' IS NULL)) WHEN round(c1) THEN NULL ELSE (~c1) END;
SELECT group_concat(rowid) FROM (SELECT rowid, count(*) OVER () FROM t1 WHERE CASE ((c1 || c1) IS NOT ('x' IS NULL)) WHEN round(c1) THEN NULL ELSE (~c1) END);
