-- TRUE and FALSE: 1 and 0 unless a column has that name; x IS [NOT] TRUE|FALSE are truth tests.
SELECT true, false, typeof(true), true + 1, NOT false;
SELECT 2 IS NOT FALSE, NULL IS TRUE, 'a' IS FALSE, NULL IS NOT TRUE, NULL IS NOT FALSE, 0 IS NOT TRUE, 'x' IS TRUE, 0.5 IS TRUE;
CREATE TABLE b(v);
INSERT INTO b VALUES(1), (0), (NULL), ('a'), ('1'), (2.5), (x'00');
SELECT v, v IS TRUE, v IS FALSE, v IS NOT TRUE, v IS NOT FALSE FROM b ORDER BY rowid;
SELECT count(*) FROM b WHERE v IS NOT TRUE;
SELECT count(*) FROM b WHERE v IS FALSE OR v IS TRUE;
CREATE TABLE c(true, false);
INSERT INTO c VALUES(5, 6);
SELECT true, false, true IS 5, 5 IS true FROM c;
SELECT "true" FROM b LIMIT 1;
