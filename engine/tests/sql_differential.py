#!/usr/bin/env python3
"""Differential test of Ferrolite's SQL parser against real SQLite (issue 5).

Generates statements from a small SQL grammar (valid ones) and mutates them (a token dropped,
two adjacent tokens swapped, a token duplicated), then compares, per statement, real SQLite's
sqlite3_prepare_v2 verdict (through ctypes, on a schema defining every name used, so only
syntax decides) with ours (engine/examples/parse, NUL-separated statements on stdin).

A statement counts as agreeing when both accept it, or both reject it with the same message
and the same error offset. SQLite errors that come from name resolution or schema checks
(after parsing) count as "accept" for SQLite, since the parser's job ends before them.

Usage: python3 engine/tests/sql_differential.py [count] [seed]
(build first: cargo build -p ferrolite-engine --example parse)
"""
import ctypes, os, random, re, subprocess, sys

N = int(sys.argv[1]) if len(sys.argv) > 1 and __name__ == "__main__" else 20000
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 and __name__ == "__main__" else 1)
HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("FERROLITE_PARSE_BIN") or os.path.join(HERE, "..", "..", "target", "debug", "examples", "parse")

SCHEMA = b"""CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REAL, d);
CREATE TABLE t2(a, b, c, d, UNIQUE(a,b));
CREATE TABLE t3(x, y, z);
CREATE INDEX i1 ON t1(c);
CREATE VIEW v1 AS SELECT a, b FROM t1;"""

SEMANTIC = ["no such", "ambiguous column", "sub-select returns", "may only be used within",
            "missing datatype", "PRIMARY KEY missing", "AUTOINCREMENT is only", "already exists",
            "wrong number of arguments", "misuse of", "has no column", "not constant",
            "temporary table name must be unqualified", "unable to identify", "unknown database",
            "is not a function", "does not match any PRIMARY KEY", "DISTINCT aggregates",
            "1st ORDER BY", "2nd ORDER BY", "3rd ORDER BY", "ORDER BY term", "GROUP BY term",
            "unsupported use of", "is not supported", "cannot create", "may not be",
            "has more than one primary key", "duplicate column name", "do not have the same number",
            "row value misused", "cannot use window", "is not a window function",
            "FILTER clause may only", "aggregate functions are not allowed", "not authorized",
            "too many arguments", "cannot modify", "cannot add", "cannot drop", "cannot rename",
            "views may not", "parameters are not allowed", "RANGE with offset",
            "frame starting offset", "frame ending offset", "must be a non-negative",
            "second argument to", "HAVING clause on a non-aggregate", "circular reference",
            "recursive reference", "multiple references to recursive", "object name reserved",
            "there is already", "a GROUP BY clause is required", "RETURNING may not",
            "table ", "index ", "view ", "trigger ", "cannot ", "columns ", "unknown column",
            "unrecognized", "unsafe use of", "generated column", "malformed", "error in "]
PARSE_MSGS = ["syntax error", "incomplete input", "unrecognized token", "should come after",
              "unknown join type", "unknown table option",
              "too many terms in compound", "Expression tree is too large", "parser stack overflow",
              "variable number must be", "hex literal too big", "JOIN clause is required",
              "ORDER BY without LIMIT", "qualified table names",
              "INDEXED BY clause is not allowed", "NOT INDEXED clause is not allowed",
              "cannot use RETURNING in a trigger", "syntax error after column name",
              "unsupported frame specification", "too many SQL variables", "error in generated column"]

def sqlite_verdicts(stmts):
    lib = ctypes.CDLL("libsqlite3.so.0")
    lib.sqlite3_errmsg.restype = ctypes.c_char_p
    db = ctypes.c_void_p()
    lib.sqlite3_open(b":memory:", ctypes.byref(db))
    lib.sqlite3_exec(db, SCHEMA, None, None, None)
    out = []
    for s in stmts:
        b = s.encode()
        st = ctypes.c_void_p()
        rc = lib.sqlite3_prepare_v2(db, b, len(b), ctypes.byref(st), None)
        lib.sqlite3_finalize(st)
        if rc == 0:
            out.append("OK")
            continue
        msg = lib.sqlite3_errmsg(db).decode("utf-8", "replace")
        off = lib.sqlite3_error_offset(db)
        if any(p in msg for p in PARSE_MSGS):
            out.append("ERR %d %s" % (off, msg.replace("\n", "\\n")))
        else:
            out.append("SEMANTIC")  # rejected by a check beyond the grammar
    return out

def our_verdicts(stmts):
    r = subprocess.run([BIN], input="\0".join(stmts).encode(), capture_output=True, check=True)
    lines = r.stdout.decode("utf-8", "replace").split("\n")[:-1]
    return [("OK" if l.startswith("OK") else l) for l in lines]

# ----- generator ---------------------------------------------------------------------------
R = random.random
def pick(*xs): return random.choice(xs)
COLS = ["a", "b", "c", "d", "t1.a", "t2.b", "x", "y"]
def lit(): return pick("1", "2.5", "'s'", "NULL", "x'ab'", "-7", "0x1F", "?", ":p", "CURRENT_TIME", "1e3")
def expr(d=0):
    if d > 3 or R() < 0.3: return pick(lit, lambda: pick(*COLS))()
    k = random.randrange(16)
    if k == 0: return "%s %s %s" % (expr(d+1), pick("+", "-", "*", "/", "%", "||", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "AND", "OR", "&", "|", "<<", ">>", "IS", "IS NOT", "->", "->>"), expr(d+1))
    if k == 1: return pick("-", "+", "~", "NOT ") + expr(d+1)
    if k == 2: return "(%s)" % expr(d+1)
    if k == 3: return "%s %sBETWEEN %s AND %s" % (expr(d+1), pick("", "NOT "), expr(d+1), expr(d+1))
    if k == 4: return "%s %sIN (%s)" % (expr(d+1), pick("", "NOT "), pick("1, 2", "SELECT a FROM t1", ""))
    if k == 5: return "%s %s %s%s" % (expr(d+1), pick("LIKE", "GLOB", "NOT LIKE"), expr(d+1), pick("", " ESCAPE 'x'"))
    if k == 6: return "CASE %sWHEN %s THEN %s %sEND" % (pick("", expr(d+1) + " "), expr(d+1), expr(d+1), pick("", "ELSE 0 "))
    if k == 7: return "CAST(%s AS %s)" % (expr(d+1), pick("INTEGER", "TEXT", "REAL", "VARCHAR(10)", ""))
    if k == 8: return "%s(%s)" % (pick("abs", "coalesce", "max", "min", "length", "upper", "ifnull"), ", ".join(expr(d+1) for _ in range(random.randint(1, 2))))
    if k == 9: return pick("count(*)", "sum(a)", "count(DISTINCT b)", "total(c) FILTER (WHERE a > 1)")
    if k == 10: return "%s %s" % (expr(d+1), pick("ISNULL", "NOTNULL", "NOT NULL", "IS NULL", "IS NOT NULL"))
    if k == 11: return "EXISTS (SELECT 1 FROM t2 WHERE %s)" % expr(d+1)
    if k == 12: return "(SELECT max(a) FROM t1)"
    if k == 13: return "%s COLLATE %s" % (expr(d+1), pick("nocase", "binary", "rtrim"))
    if k == 14: return "row_number() OVER (%s)" % pick("", "ORDER BY a", "PARTITION BY b ORDER BY c ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", "w")
    return "%s IS %sDISTINCT FROM %s" % (expr(d+1), pick("", "NOT "), expr(d+1))
def table(): return pick("t1", "t2", "t3", "main.t1", "t1 AS q", "t2 r", "(SELECT a, b FROM t1) AS s", "v1", "json_each('[1,2]')", "t1 INDEXED BY i1", "t2 NOT INDEXED")
def from_():
    s = table()
    for _ in range(random.randint(0, 2)):
        s += pick(", ", " JOIN ", " LEFT JOIN ", " CROSS JOIN ", " NATURAL JOIN ", " LEFT OUTER JOIN ", " INNER JOIN ", " RIGHT JOIN ", " FULL JOIN ") + pick("t3", "t2 AS z")
        if R() < 0.4: s += pick(" ON 1", " USING (a)", " ON z.a = t1.a")
    return s
def select(d=0):
    s = "SELECT " + pick("", "DISTINCT ", "ALL ") + ", ".join(pick("*", "t1.*", expr(2) + pick("", " AS al", " al2")) for _ in range(random.randint(1, 3)))
    if R() < 0.8: s += " FROM " + from_()
    if R() < 0.5: s += " WHERE " + expr()
    if R() < 0.2: s += " GROUP BY a" + pick("", " HAVING count(*) > 1")
    if R() < 0.1: s += " WINDOW w AS (ORDER BY a)"
    if R() < 0.2 and d == 0: s += pick(" UNION ", " UNION ALL ", " EXCEPT ", " INTERSECT ") + select(1)
    if R() < 0.3: s += " ORDER BY " + pick("1", "a DESC", "b NULLS FIRST", "a, b ASC")
    if R() < 0.3: s += " LIMIT " + pick("1", "1 OFFSET 2", "1, 2")
    return s
def stmt():
    k = random.randrange(14)
    if k < 4: return pick("", "WITH cte(q) AS (SELECT 1) ", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r LIMIT 5) ") + select()
    if k == 4: return "%s INTO t2%s %s%s" % (pick("INSERT", "REPLACE", "INSERT OR IGNORE", "INSERT OR ROLLBACK"), pick("", "(a, b)", "(a,b,c,d)"), pick("VALUES(1,2,3,4)", "VALUES(1,2),(3,4)", "SELECT * FROM t1", "DEFAULT VALUES", "SELECT a,b FROM t1 WHERE 1"), pick("", " ON CONFLICT(a,b) DO NOTHING", " ON CONFLICT DO UPDATE SET c = excluded.c", " RETURNING *", " ON CONFLICT(a, b) DO UPDATE SET (c, d) = (1, 2) WHERE c > 0 RETURNING a"))
    if k == 5: return "UPDATE %s SET %s%s%s" % (pick("t1", "OR REPLACE t2", "t2 AS z"), pick("c = 1", "c = c + 1, d = NULL", "(c, d) = (1, 2)"), pick("", " FROM t3", " WHERE " + expr()), pick("", " RETURNING a", " ORDER BY a LIMIT 1", " LIMIT 2"))
    if k == 6: return "DELETE FROM %s%s%s" % (pick("t1", "t2", "main.t3"), pick("", " WHERE " + expr()), pick("", " RETURNING *", " ORDER BY a LIMIT 1", " LIMIT 1 OFFSET 1"))
    if k == 7: return "CREATE %sTABLE %snew%d(%s)%s" % (pick("", "TEMP "), pick("", "IF NOT EXISTS "), random.randrange(99), ", ".join(pick("a INTEGER PRIMARY KEY", "b TEXT NOT NULL DEFAULT 'x'", "c REAL CHECK (c > 0)", "d REFERENCES t1(a) ON DELETE CASCADE", "e UNIQUE COLLATE nocase", "f AS (1) STORED", "g VARCHAR(10)", "h DEFAULT -1", "i") for _ in range(random.randint(1, 3))) + pick("", ", UNIQUE (i)", ", PRIMARY KEY (i)", ", CHECK (i > 0)", ", FOREIGN KEY (i) REFERENCES t1(a)"), pick("", " WITHOUT ROWID", " STRICT"))
    if k == 8: return "CREATE %sINDEX %snew%d ON t1(%s)%s" % (pick("", "UNIQUE "), pick("", "IF NOT EXISTS "), random.randrange(99), pick("a", "b DESC", "c COLLATE nocase, d", "a+1"), pick("", " WHERE c > 0"))
    if k == 9: return "CREATE %sVIEW nv%d%s AS %s" % (pick("", "TEMP "), random.randrange(99), pick("", "(p, q)"), select())
    if k == 10: return "CREATE TRIGGER tr%d %s %s ON t1 %sBEGIN %s; END" % (random.randrange(99), pick("BEFORE", "AFTER", ""), pick("INSERT", "DELETE", "UPDATE OF b"), pick("", "FOR EACH ROW ", "WHEN new.a > 0 "), pick("SELECT 1", "UPDATE t2 SET c = 1", "INSERT INTO t3 VALUES(1,2,3)", "DELETE FROM t3 WHERE x = old.a"))
    if k == 11: return pick("ALTER TABLE t1 RENAME TO z%d" % random.randrange(99), "ALTER TABLE t2 ADD COLUMN e INTEGER DEFAULT 0", "ALTER TABLE t2 DROP COLUMN d", "ALTER TABLE t3 RENAME COLUMN x TO w", "DROP TABLE IF EXISTS zz", "DROP VIEW IF EXISTS v9", "DROP INDEX IF EXISTS i9", "DROP TRIGGER IF EXISTS tr9")
    if k == 12: return pick("BEGIN", "BEGIN IMMEDIATE TRANSACTION", "COMMIT", "END TRANSACTION", "ROLLBACK", "SAVEPOINT sp", "RELEASE SAVEPOINT sp", "ROLLBACK TO sp", "PRAGMA cache_size = -2000", "PRAGMA main.table_info(t1)", "PRAGMA foreign_keys", "VACUUM", "ANALYZE", "ANALYZE t1", "REINDEX t1", "ATTACH ':memory:' AS aux", "DETACH aux")
    return pick("EXPLAIN ", "EXPLAIN QUERY PLAN ") + select()

TOK = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|x'[0-9a-fA-F]*'|[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d+)?(?:e\d+)?|0x[0-9A-Fa-f]+|->>|->|\|\||<<|>>|<=|>=|==|!=|<>|:\w+|\S")
def mutate(s):
    toks = TOK.findall(s)
    if len(toks) < 2: return s
    i = random.randrange(len(toks))
    m = random.randrange(3)
    if m == 0: del toks[i]
    elif m == 1 and i + 1 < len(toks): toks[i], toks[i+1] = toks[i+1], toks[i]
    else: toks.insert(i, toks[i])
    return " ".join(toks)

# Hand-written seeds covering every statement form, mutated more aggressively (several edits,
# random keywords and punctuation inserted).
SEEDS = """SELECT a, b AS "x y", c 'z', t1.* FROM t1 WHERE a = 1 AND (b OR c) GROUP BY a HAVING count(*) > 1 ORDER BY 1 DESC NULLS LAST LIMIT 1 OFFSET 2
SELECT count(*) FILTER (WHERE a) OVER (PARTITION BY b ORDER BY c ROWS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES) FROM t1
SELECT sum(a) OVER w FROM t1 WINDOW w AS (PARTITION BY b), w2 AS (w ORDER BY a RANGE UNBOUNDED PRECEDING)
SELECT sum(a) OVER (GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING EXCLUDE NO OTHERS) FROM t1
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<10) SELECT * FROM c
WITH x AS MATERIALIZED (SELECT 1), y AS NOT MATERIALIZED (SELECT 2) SELECT * FROM x, y
SELECT * FROM t1 FULL JOIN t2 USING (a) NATURAL LEFT JOIN t3 CROSS JOIN t2 AS q RIGHT OUTER JOIN t3 AS r ON 1
SELECT * FROM (SELECT 1) AS s, json_each('[1]') j, (t1 JOIN t2 ON t1.a = t2.a) AS k, main.t1 AS m INDEXED BY i1
SELECT a NOT NULL, a ISNULL, a NOTNULL, a IS NULL, a IS NOT b, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM t1
SELECT a LIKE b ESCAPE 'x', a NOT GLOB b, a NOT LIKE b FROM t1
SELECT a IN (1,2), a NOT IN (SELECT 1), a IN t2, a NOT BETWEEN 1 AND 2 FROM t1
SELECT CASE WHEN a THEN 1 ELSE 2 END, CASE a WHEN 1 THEN 2 END, CAST(a AS VARCHAR(10)), CAST(b AS) FROM t1
SELECT "x", [y], `z`, 'w', x'00ff', 1.5, 1e20, .5, 5., 0x10, 9223372036854775808, NULL, CURRENT_DATE
SELECT -a, +a, ~a, NOT a, - -1, -(1+2), a COLLATE nocase, a->'$', a->>'$' FROM t1
SELECT max(DISTINCT a), count(*), random(), "abs"(1), replace(a, 'b', 'c') FROM t1
SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT VALUES (4), (5)
INSERT INTO t2 VALUES(1,2,3,4) ON CONFLICT(a, b) WHERE c DO UPDATE SET c=excluded.c, (c, d) = (1, 2) WHERE 1 ON CONFLICT DO NOTHING RETURNING *, a AS x
INSERT OR IGNORE INTO main.t2 AS x (a, b) SELECT a, b FROM t1 WHERE 1
REPLACE INTO t2 DEFAULT VALUES RETURNING a
WITH x AS (SELECT 1) DELETE FROM t2 AS y WHERE a = ? AND b = ?5 AND c = :x RETURNING * ORDER BY a LIMIT 1 OFFSET 2
UPDATE OR REPLACE t2 AS z SET (a,b) = (1,2) FROM t3 WHERE z.a = t3.x RETURNING * ORDER BY a LIMIT 5
CREATE TABLE u(a INTEGER PRIMARY KEY DESC ON CONFLICT ABORT AUTOINCREMENT, b TEXT NOT NULL DEFAULT 'x' CHECK(b != ''), c REFERENCES t1(a) ON DELETE CASCADE ON UPDATE SET DEFAULT MATCH simple DEFERRABLE INITIALLY DEFERRED)
CREATE TABLE u(a, b AS (a+1) STORED, c INT GENERATED ALWAYS AS (a*2) VIRTUAL, d DEFAULT -1, e DEFAULT +1.5, f DEFAULT (1+2), g DEFAULT true, h COLLATE nocase UNIQUE, i NULL NOT DEFERRABLE)
CREATE TEMP TABLE IF NOT EXISTS u(a VARCHAR(10), b DECIMAL(10, -2), c "my type", d unsigned big int, CONSTRAINT pk PRIMARY KEY(a, b DESC) ON CONFLICT REPLACE, UNIQUE(c) CHECK(d > 0) FOREIGN KEY(a, b) REFERENCES t2(a, b) NOT DEFERRABLE)
CREATE TABLE u(a INT, b TEXT) STRICT, WITHOUT ROWID
CREATE TABLE u AS SELECT * FROM t1
CREATE UNIQUE INDEX IF NOT EXISTS main.i ON t1(a DESC, b COLLATE nocase, a+b) WHERE c > 0
CREATE TEMP VIEW IF NOT EXISTS v(x, y) AS SELECT a, b FROM t1
CREATE TRIGGER IF NOT EXISTS tr BEFORE DELETE ON t1 FOR EACH ROW WHEN old.a > 0 BEGIN DELETE FROM t2 WHERE a = old.a; INSERT INTO t2 VALUES(1,2,3,4) ON CONFLICT DO NOTHING; UPDATE OR FAIL t3 SET x = 1 FROM t2; SELECT RAISE(FAIL, 'x'); END
CREATE TRIGGER tr INSTEAD OF UPDATE OF a, b ON v1 BEGIN SELECT 1; END
CREATE VIRTUAL TABLE IF NOT EXISTS v USING fts5(a, b, tokenize = 'porter ascii')
DROP TABLE IF EXISTS main.t9
ALTER TABLE t1 RENAME TO u
ALTER TABLE main.t2 ADD COLUMN e INTEGER DEFAULT 0 NOT NULL
ALTER TABLE t2 DROP COLUMN d
ALTER TABLE t3 RENAME COLUMN x TO w
PRAGMA cache_size = -2000
PRAGMA main.table_info(t1)
PRAGMA journal_mode = DELETE
BEGIN EXCLUSIVE TRANSACTION
ROLLBACK TRANSACTION TO SAVEPOINT x
RELEASE SAVEPOINT x
VACUUM main INTO 'x.db'
ANALYZE main.t1
REINDEX t1
EXPLAIN QUERY PLAN SELECT 1
ATTACH DATABASE 'x' AS y KEY 'k'
DETACH DATABASE y
SELECT key, action, replace, plan, query, temp, first, last, rowid FROM t1 AS offset WHERE do = 1
CREATE TABLE key(action, replace, glob, like, over, filter, window, match, rowid, if, end, begin)
SELECT a FROM t1 window, t2 filter WHERE over = 1
SELECT glob(a, b), like(a, b), match FROM t1
SELECT * FROM t1 LEFT JOIN t2 AS left ON left.a = t1.a
SELECT t1.a AS "b", "t1"."b", main.t1.c FROM main.t1
SELECT $a::b(c), @x, :y, ?, ?2, #z FROM t1
SELECT a -> 'x' ->> 'y', a || b || c, a << 2 >> 1 & 3 | 4, ~a, a % 2 FROM t1
SELECT count(*) OVER (), rank() OVER (ORDER BY a), sum(a) OVER (w ROWS CURRENT ROW) FROM t1 WINDOW w AS ()
SELECT * FROM t1 WHERE a IN (SELECT a FROM t2 UNION SELECT x FROM t3) AND EXISTS (VALUES (1))
INSERT INTO t1 SELECT * FROM t1 WHERE true ON CONFLICT (a) DO UPDATE SET b = b || 'x'
UPDATE t1 SET b = (SELECT max(b) FROM t2 WHERE t2.a = t1.a) WHERE rowid IN (SELECT rowid FROM t1 LIMIT 3)
CREATE TABLE u(a TEXT CONSTRAINT nn NOT NULL CONSTRAINT pk PRIMARY KEY CONSTRAINT ck CHECK (a != '') CONSTRAINT df DEFAULT 'q' COLLATE binary)
CREATE INDEX ix ON t1(a COLLATE nocase ASC, b DESC) WHERE a IS NOT NULL AND b > 0
CREATE TRIGGER tr AFTER UPDATE OF b ON t1 WHEN new.b IS NOT old.b BEGIN INSERT OR REPLACE INTO t2(a, b) VALUES (new.a, new.b); END
PRAGMA foreign_keys = on
PRAGMA table_info = 't1'
SAVEPOINT "a b"
VACUUM INTO ?
SELECT CAST(1 AS NUMERIC), CAST('1' AS unsigned big int), CAST(x'00' AS BLOB) FROM t1
SELECT 1 WHERE 1 BETWEEN 0 AND 2 AND NOT 3 NOT BETWEEN 4 AND 5
SELECT a FROM t1 ORDER BY a COLLATE nocase DESC NULLS FIRST, b ASC LIMIT 10 OFFSET 5""".split("\n")
VOCAB = ("SELECT FROM WHERE ( ) , ; * + - NOT NULL 1 2.5 's' a t1 . AS JOIN LEFT ON USING GROUP BY "
         "ORDER HAVING LIMIT OFFSET UNION ALL VALUES INSERT INTO UPDATE SET DELETE CREATE TABLE INDEX "
         "VIEW TRIGGER BEGIN END WITH RECURSIVE CASE WHEN THEN ELSE CAST IN BETWEEN AND OR IS LIKE "
         "ESCAPE COLLATE EXISTS OVER FILTER WINDOW PARTITION ROWS PRECEDING CURRENT ROW RAISE ? = || "
         "PRIMARY KEY DEFAULT CHECK REFERENCES CONFLICT DO NOTHING RETURNING DISTINCT NATURAL RIGHT "
         "FULL INNER CROSS OUTER INDEXED TEMP IF EXISTS REPLACE ABORT FAIL IGNORE ROLLBACK "
         "MATERIALIZED NULLS FIRST LAST ASC DESC GENERATED ALWAYS STORED STRICT WITHOUT ROWID "
         "KEY ACTION QUERY PLAN GLOB MATCH REGEXP OF FOR EACH INSTEAD AFTER BEFORE EXPLAIN "
         "PRAGMA VACUUM ANALYZE REINDEX ATTACH DETACH DATABASE RENAME TO ADD COLUMN ALTER DROP "
         "EXCLUDE OTHERS TIES GROUPS RANGE UNBOUNDED FOLLOWING CURRENT_TIME -> ->> << >> & | ~ "
         "x'00' 0x10 1e5 $v :v @v #v ?3").split()

def mutate_hard(s):
    toks = TOK.findall(s)
    for _ in range(random.randint(1, 3)):
        if not toks: break
        i = random.randrange(len(toks))
        m = random.randrange(5)
        if m == 0: del toks[i]
        elif m == 1 and i + 1 < len(toks): toks[i], toks[i+1] = toks[i+1], toks[i]
        elif m == 2: toks.insert(i, toks[i])
        elif m == 3: toks.insert(i, random.choice(VOCAB))
        else: toks[i] = random.choice(VOCAB)
    return " ".join(toks)

CHARS = ["!", "#", "'", '"', "[", "]", "`", "$", "@", ":", "?", "\v", "\x0c", "é", "€", "/*", "*/",
         "--", "\n", "x'", "0x", "1e", ".", "..", "(", ")", ";", ",", "=", "==", "<>", "!=", "||", "->",
         "\\", "{", "}", "^", "_", "9", "a", " "]

def mutate_chars(s):
    for _ in range(random.randint(1, 2)):
        i = random.randrange(len(s) + 1)
        m = random.randrange(3)
        if m == 0 and s: s = s[:i] + s[i+1:]
        elif m == 1: s = s[:i] + random.choice(CHARS) + s[i:]
        else: s = s[:i] + random.choice(CHARS) + s[i+1:]
    return s

def main():
    stmts = []
    while len(stmts) < N:
        s = stmt()
        stmts.append(s)
        for _ in range(random.randint(1, 2)):
            stmts.append(mutate(s))
        seed = random.choice(SEEDS)
        stmts.append(seed)
        stmts.append(mutate_hard(seed))
        stmts.append(mutate_hard(seed))
        stmts.append(mutate_chars(seed))
    # libSQL's `ALTER TABLE t ALTER COLUMN ...` is accepted on purpose (SQLite has no such form).
    libsql = re.compile(r"(?i)\s*ALTER\s+TABLE\s+\S+\s+ALTER\b")
    stmts = [s for s in stmts if not libsql.match(s)]
    while len(stmts) < N:
        stmts.append(stmt())
    stmts = stmts[:N]
    theirs = sqlite_verdicts(stmts)
    ours = our_verdicts(stmts)
    assert len(ours) == len(stmts), (len(ours), len(stmts))
    # A semantic error stops SQLite's parse early, so such statements decide nothing about
    # syntax: they are left out of the comparison (and counted).
    semantic = sum(1 for t in theirs if t == "SEMANTIC")
    pairs = [(s, t, o) for s, t, o in zip(stmts, theirs, ours) if t != "SEMANTIC"]
    bad = [(s, t, o) for s, t, o in pairs if t != o]
    rejected = sum(1 for _, t, _ in pairs if t != "OK")
    for s, t, o in bad[:40]:
        print("%r\n   sqlite: %s\n   ours:   %s" % (s, t, o))
    agree = 100.0 * (len(pairs) - len(bad)) / len(pairs)
    print("statements: %d; left out (semantic errors in SQLite): %d; compared: %d "
          "(SQLite rejects %d of them in its parser); disagreements: %d; agreement %.3f%%"
          % (len(stmts), semantic, len(pairs), rejected, len(bad), agree))
    sys.exit(0 if agree >= 99.9 else 1)

if __name__ == "__main__":
    main()
