-- Window functions with a total ORDER BY in every window: ranking, offsets, running aggregates, frames.
CREATE TABLE sales(id INTEGER PRIMARY KEY, region TEXT, amount INTEGER);
INSERT INTO sales VALUES(1, 'n', 10), (2, 's', 20), (3, 'n', 30), (4, 's', 20), (5, 'e', 5), (6, 'n', 10);
SELECT id, row_number() OVER (ORDER BY id), rank() OVER (ORDER BY amount), dense_rank() OVER (ORDER BY amount) FROM sales ORDER BY id;
SELECT id, region, sum(amount) OVER (PARTITION BY region ORDER BY id) FROM sales ORDER BY id;
SELECT id, lag(amount) OVER (ORDER BY id), lead(amount, 2, -1) OVER (ORDER BY id) FROM sales ORDER BY id;
SELECT id, first_value(amount) OVER (PARTITION BY region ORDER BY id), last_value(amount) OVER (PARTITION BY region ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM sales ORDER BY id;
SELECT id, avg(amount) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM sales ORDER BY id;
SELECT id, count(*) OVER (ORDER BY amount RANGE BETWEEN 10 PRECEDING AND CURRENT ROW) FROM sales ORDER BY id;
SELECT id, ntile(3) OVER (ORDER BY id), percent_rank() OVER (ORDER BY id), cume_dist() OVER (ORDER BY id) FROM sales ORDER BY id;
SELECT id, nth_value(amount, 2) OVER (ORDER BY id) FROM sales ORDER BY id;
SELECT region, amount, sum(amount) OVER w FROM sales WINDOW w AS (PARTITION BY region ORDER BY id GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY id;
SELECT id, sum(amount) OVER (ORDER BY id ROWS 2 PRECEDING EXCLUDE CURRENT ROW) FROM sales ORDER BY id;
SELECT id, row_number() OVER () IS NOT NULL FROM sales ORDER BY id;
SELECT id, rank() OVER (ORDER BY nosuch) FROM sales;
-- Aggregates over moving frames are kept incrementally, as SQLite does: sum() stays inexact once an inexact value passed through the frame.
SELECT sum(x) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (SELECT 'a ' AS x UNION ALL SELECT 3 UNION ALL SELECT 4);
SELECT sum(x) OVER (ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING), count(x) OVER (ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING), group_concat(x) OVER (ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING), min(x) OVER (ROWS 1 PRECEDING), avg(x) OVER (ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4);
-- min()/max() windows compare under their argument's collation.
CREATE TABLE wcoll(a TEXT COLLATE NOCASE, b TEXT, o INTEGER);
INSERT INTO wcoll VALUES('a', 'a', 1), ('Abc', 'Abc', 2), ('B', 'B', 3), ('aa', 'aa', 4), ('b', 'b', 5);
SELECT o, max(a) OVER (ORDER BY o), min(a) OVER (ORDER BY o ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), max(b) OVER (ORDER BY o), max(b COLLATE NOCASE) OVER (ORDER BY o) FROM wcoll ORDER BY o;
