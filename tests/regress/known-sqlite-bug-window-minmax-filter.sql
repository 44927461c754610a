-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): SQLite 3.40.1 ignores FILTER for min() and max() over a frame that slides (here ROWS 2 PRECEDING): max(x) FILTER (WHERE y IS NULL) is 1, 2, 2, 5, 5 on the first rows, where no row of the frame has a NULL y (sum(x) with the same FILTER is NULL there, as it should be). Ferrolite applies the FILTER (NULL on those rows) and does not copy the bug.
CREATE TABLE t(g, x, y);
INSERT INTO t VALUES(1, 1, 'a'), (1, 2, 'b'), (1, NULL, 'c'), (2, 5, 'a'), (2, 5, 'b'), (2, 7, NULL), (3, NULL, NULL), (3, 4, 'a');
SELECT x, max(x) FILTER (WHERE y IS NULL) OVER w, min(x) FILTER (WHERE y IS NULL) OVER w, sum(x) FILTER (WHERE y IS NULL) OVER w FROM t WINDOW w AS (ORDER BY rowid ROWS 2 PRECEDING);
