-- A DISTINCT aggregate's duplicates are judged under its argument's collation (count(DISTINCT nocase_column)) (gen.py seeds 101, 104, 105).
CREATE TABLE t(a COLLATE NOCASE, b);
INSERT INTO t VALUES('a', 1);
INSERT INTO t VALUES('A', 1.0);
INSERT INTO t VALUES('b', 2);
SELECT count(DISTINCT a), count(DISTINCT a COLLATE BINARY), count(DISTINCT upper(a)), count(DISTINCT b) FROM t;
SELECT group_concat(DISTINCT a) FROM t;
SELECT count(DISTINCT a || ''), count(DISTINCT (a || '') COLLATE NOCASE), count(DISTINCT likely(b COLLATE NOCASE)) FROM t;
