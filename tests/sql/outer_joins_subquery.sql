-- RIGHT and FULL JOIN to a FROM-clause subquery, CTE or view (the last FROM item): rows of the subquery that met no row on the left come out with NULLs.
CREATE TABLE a(x, y);
CREATE TABLE b(x, z);
INSERT INTO a VALUES(1, 'a1'), (2, 'a2'), (3, 'a3'), (NULL, 'an');
INSERT INTO b VALUES(2, 'b2'), (3, 'b3'), (4, 'b4'), (NULL, 'bn'), (4, 'b4bis');
SELECT * FROM a RIGHT JOIN (SELECT * FROM b WHERE x > 2) AS s ON a.x = s.x ORDER BY 1, 2, 3, 4;
SELECT * FROM a FULL JOIN (SELECT * FROM b WHERE z <> 'b2') AS s ON a.x = s.x ORDER BY 1, 2, 3, 4;
SELECT * FROM a FULL JOIN (SELECT * FROM b WHERE 0) AS s ON a.x = s.x ORDER BY 1, 2, 3, 4;
SELECT count(*), count(s.x), count(a.x) FROM a FULL JOIN (SELECT x FROM b) AS s ON a.x = s.x;
SELECT * FROM a RIGHT JOIN (SELECT x, count(*) AS n FROM b GROUP BY x) AS s ON a.x = s.x WHERE s.n > 0 OR a.y IS NULL ORDER BY 1, 2, 3, 4;
WITH c AS (SELECT * FROM b) SELECT * FROM a FULL JOIN c ON a.x = c.x ORDER BY 1, 2, 3, 4;
CREATE VIEW vb AS SELECT x, z FROM b WHERE x IS NOT NULL;
SELECT * FROM a FULL JOIN vb ON a.x = vb.x ORDER BY 1, 2, 3, 4;
SELECT a.y, s.z FROM a RIGHT JOIN (SELECT * FROM b) AS s ON a.x = s.x AND a.y <> 'a3' ORDER BY 1, 2;
