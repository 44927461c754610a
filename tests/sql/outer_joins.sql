-- RIGHT and FULL JOIN: both passes (matched rows, then the right table's unmatched rows on a NULL left row), with WHERE, GROUP BY, LIMIT, DISTINCT and correlated subqueries.
CREATE TABLE a(x INTEGER PRIMARY KEY, y);
CREATE TABLE b(x INTEGER PRIMARY KEY, z);
CREATE TABLE c(k, v);
INSERT INTO a VALUES(1,'a1'),(2,'a2'),(3,'a3');
INSERT INTO b VALUES(2,'b2'),(3,'b3'),(4,'b4'),(5,NULL);
INSERT INTO c VALUES(1,'c1'),(4,'c4');
SELECT * FROM a RIGHT JOIN b ON a.x = b.x ORDER BY b.x;
SELECT * FROM a FULL JOIN b ON a.x = b.x ORDER BY coalesce(a.x, b.x);
SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x WHERE b.z IS NULL ORDER BY 1, 3;
SELECT count(*), count(a.x), count(b.x) FROM a FULL JOIN b ON a.x = b.x;
SELECT a.y, count(*) FROM a RIGHT JOIN b ON a.x = b.x GROUP BY a.y ORDER BY 1;
SELECT * FROM a JOIN c ON a.x = c.k RIGHT JOIN b ON b.x = c.k ORDER BY b.x;
SELECT * FROM a FULL JOIN b ON 0 ORDER BY 1, 3;
SELECT * FROM a RIGHT JOIN b ON a.x = b.x AND b.z > 'b2' ORDER BY b.x;
SELECT * FROM a FULL JOIN b ON a.x = b.x LIMIT 3;
SELECT DISTINCT a.x IS NULL FROM a FULL JOIN b ON a.x=b.x ORDER BY 1;
SELECT * FROM c FULL JOIN a ON a.x = c.k WHERE a.y > 'a1' OR c.v IS NOT NULL ORDER BY 1,3;
SELECT (SELECT count(*) FROM a RIGHT JOIN b ON a.x=b.x WHERE b.x > c.k) FROM c;
-- Refused forms: USING/NATURAL, a RIGHT JOIN that is not last.
SELECT * FROM a RIGHT JOIN b USING (x);
SELECT * FROM a RIGHT JOIN b ON a.x = b.x JOIN c ON c.k = b.x;
-- A WHERE term on the left table alone must not keep right rows from being matched (they would come back unmatched).
SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.x IS NULL ORDER BY b.x;
SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.y IS NULL OR a.y > 'a2' ORDER BY b.x;
SELECT count(*) FROM a AS p FULL JOIN a AS q ON p.x = q.x WHERE p.x IS NULL;
-- WHERE terms naming no table are tested once before the loops: a false one means the ON
-- clause is never evaluated (here it would overflow).
CREATE TABLE oj_a(x INTEGER);
CREATE TABLE oj_b(y INTEGER);
INSERT INTO oj_a VALUES(1), (2);
INSERT INTO oj_b VALUES(-9223372036854775808), (3);
SELECT * FROM oj_a FULL JOIN oj_b ON abs(oj_b.y) = oj_a.x WHERE 'b';
SELECT * FROM oj_a RIGHT JOIN oj_b ON abs(oj_b.y) = oj_a.x WHERE 0 AND oj_a.x;
SELECT count(*) FROM oj_a FULL JOIN oj_b ON oj_b.y = oj_a.x WHERE 1;
