-- KNOWN DIFFERENCE (tracked in docs/COMPAT.md): inside an explicit transaction, SQLite 3.40 keeps the rows a multi-row INSERT OR IGNORE wrote before one failed a STRICT type check (such a statement gets no statement journal, so its error cannot undo them: count is 1); Ferrolite undoes the whole statement, as ABORT says (count 0). In autocommit mode both undo it. (Found by tests/harness/dml.py.)
CREATE TABLE w(k TEXT PRIMARY KEY, v INT) STRICT, WITHOUT ROWID;
BEGIN;
INSERT OR IGNORE INTO w VALUES('a', 1), ('b', 'x');
SELECT count(*) FROM w;
COMMIT;
