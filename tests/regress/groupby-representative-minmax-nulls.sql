-- With min()/max() in an aggregate query, the bare columns (and so the GROUP BY key shown: 1 vs 1.0) come from every row until a first non-NULL value, so from the last row when all are NULL (gen.py seeds 204, 303-307).
CREATE TABLE t2(c0 INTEGER COLLATE NOCASE, c1 REAL);
INSERT INTO t2 VALUES(2.5, NULL), (7, 3.0), (NULL, -9.22e18), (-1, -5.0), (255, NULL), ('Abc', 2.0);
SELECT (c0 / c0), (c1 NOT BETWEEN '-5' AND x'41'), min(DISTINCT (c1 + 2)) FROM t2 GROUP BY (c0 / c0), (c1 NOT BETWEEN '-5' AND x'41');
