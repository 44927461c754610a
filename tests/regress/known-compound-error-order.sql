-- KNOWN FAILURE (tracked in docs/COMPAT.md): SQLite resolves a compound SELECT's column names from the rightmost arm to the leftmost, so with unknown columns in several arms it names the rightmost; Ferrolite compiles the arms left to right and names the leftmost (gen.py seed 101).
CREATE TABLE t(a);
SELECT nosuch1 FROM t UNION SELECT nosuch2 FROM t;
