-- A window aggregate that fails on a row (sum's integer overflow) fails when that row is reached: the rows before it are returned first, and a LIMIT before it sees no error (gen.py seeds 201-206).
CREATE TABLE w(a INTEGER, g INTEGER);
INSERT INTO w VALUES(9223372036854775807, 1), (1, 1), (5, 1), (-3, 2), (7, 2);
SELECT a, sum(a) OVER (ORDER BY rowid) FROM w;
SELECT a, sum(a) OVER (ORDER BY rowid) FROM w LIMIT 1;
SELECT a, sum(a) OVER (ORDER BY rowid ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM w;
SELECT a, sum(a) OVER (PARTITION BY g ORDER BY rowid) FROM w;
SELECT a, sum(a) OVER (PARTITION BY g ORDER BY rowid DESC) FROM w;
SELECT a, sum(a) OVER (ORDER BY rowid) FROM w ORDER BY a;
SELECT count(*) FROM (SELECT sum(a) OVER (ORDER BY rowid) FROM w);
-- ORDER BY the window's own order needs no second sort: the rows stream, LIMIT stops first.
SELECT a, sum(a) OVER (ORDER BY rowid) FROM w ORDER BY rowid LIMIT 1;
SELECT a, sum(a) OVER (PARTITION BY g ORDER BY rowid) FROM w ORDER BY g, rowid LIMIT 2;
SELECT a, sum(a) OVER (ORDER BY rowid) FROM w ORDER BY rowid DESC LIMIT 1;
-- Rows an OFFSET skips are not computed.
SELECT abs(a + a) FROM w ORDER BY rowid DESC LIMIT 2 OFFSET 3;
SELECT abs(a + a) FROM w ORDER BY rowid LIMIT 2 OFFSET 1;
