-- KNOWN FAILURE (tracked in docs/COMPAT.md): in a compound SELECT SQLite resolves the arms right to left (all tables first, then columns, then the column-count check), so with errors in several arms it names the rightmost; Ferrolite compiles left to right and names the leftmost (gen.py seed 101).
CREATE TABLE t(a);
SELECT nosuch1 FROM t UNION SELECT nosuch2 FROM t;
SELECT * FROM nt1 UNION SELECT * FROM nt2;
SELECT nosuch FROM t UNION SELECT * FROM nt2;
SELECT a FROM t UNION SELECT a, a FROM t UNION SELECT * FROM nt;
