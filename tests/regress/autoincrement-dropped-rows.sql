-- AUTOINCREMENT counts a rowid as soon as it is known: a row OR IGNORE then drops (here for its NULL in a NOT NULL column) still advances sqlite_sequence, so the next rowid is higher; Ferrolite counted only rows written (found by tests/harness/dml.py).
CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, d NOT NULL);
INSERT INTO t VALUES(11, 'x');
INSERT OR IGNORE INTO t VALUES(12, NULL), (NULL, NULL), (11, 'y');
SELECT * FROM sqlite_sequence;
INSERT INTO t(d) VALUES('z');
SELECT * FROM t;
SELECT * FROM sqlite_sequence;
