-- Window functions with FILTER (WHERE ...): the aggregate of each row's frame counts only the rows the filter keeps (sum, count, group_concat, avg, total, min over an unbounded frame), with ROWS/GROUPS frames, EXCLUDE and named windows; FILTER on a non-aggregate window function is SQLite's error.
CREATE TABLE t(g, x, y);
INSERT INTO t VALUES(1, 1, 'a'), (1, 2, 'b'), (1, NULL, 'c'), (2, 5, 'a'), (2, 5, 'b'), (2, 7, NULL), (3, NULL, NULL), (3, 4, 'a');
SELECT x, y, sum(x) FILTER (WHERE y = 'a') OVER () FROM t ORDER BY rowid;
SELECT x, y, sum(x) FILTER (WHERE y <> 'b') OVER (ORDER BY rowid) FROM t ORDER BY rowid;
SELECT g, x, count(*) FILTER (WHERE x > 1) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t ORDER BY g, x;
SELECT g, x, group_concat(y) FILTER (WHERE x IS NOT NULL) OVER w, avg(x) OVER w FROM t WINDOW w AS (ORDER BY rowid ROWS 2 PRECEDING) ORDER BY rowid;
SELECT x, total(x) FILTER (WHERE x % 2) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW) FROM t ORDER BY x, rowid;
SELECT row_number() FILTER (WHERE 1) OVER () FROM t;
SELECT lag(x) FILTER (WHERE 1) OVER () FROM t;
SELECT min(y) FILTER (WHERE x > 1) OVER (ORDER BY rowid RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t;
