-- A failed CHECK is named by its constraint name, else by its text as written between the parentheses (spacing and comments kept); Ferrolite printed the parsed expression with added parentheses (found by tests/harness/dml.py).
CREATE TABLE t(a CHECK (a > 0) CHECK( a<5 ), b, c REAL, CONSTRAINT pos CHECK (b IS NULL OR b >= 0), CHECK ( c IS NULL OR c > -1.5 /* low */ ));
INSERT INTO t VALUES(-1, NULL, NULL);
INSERT INTO t VALUES(7, NULL, NULL);
INSERT INTO t VALUES(1, -1, NULL);
INSERT INTO t VALUES(1, 1, -2);
INSERT INTO t VALUES(1, 1, 0);
UPDATE t SET c = -1.75;
SELECT * FROM t;
