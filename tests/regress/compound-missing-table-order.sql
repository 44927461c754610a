-- A compound SELECT looks its arms' tables up right to left before anything else, so with several missing tables (or a missing table and another error) the rightmost missing table is named (gen.py seed 101).
CREATE TABLE t(a);
SELECT * FROM nt1 UNION SELECT * FROM nt2;
SELECT nosuch FROM t UNION SELECT * FROM nt2;
SELECT a FROM t UNION SELECT a, a FROM t UNION SELECT * FROM nt;
SELECT * FROM nt1 UNION ALL SELECT a FROM t;
SELECT a FROM t UNION SELECT a, a FROM t;
