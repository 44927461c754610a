#!/usr/bin/env python3
"""Checks the *shape* of parsed expressions against SQLite (issue 5).

Random constant expressions are parsed by Ferrolite and printed back fully parenthesized
(engine/examples/parse --print). Real SQLite then evaluates the original text and the printed
text: if our tree had a wrong precedence or associativity, the two would differ in value or
type. Usage: python3 engine/tests/sql_precedence.py [seed] [count]
"""
import os, random, sqlite3, subprocess, sys

random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
BIN = os.environ.get("FERROLITE_PARSE_BIN") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "debug", "examples", "parse")
OPS = ["+", "-", "*", "/", "%", "||", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "AND", "OR",
       "&", "|", "<<", ">>", "IS", "IS NOT", "IS DISTINCT FROM", "IS NOT DISTINCT FROM", "LIKE",
       "NOT LIKE", "GLOB", "->>", "->"]

def atom():
    return random.choice(["1", "2", "3", "0", "-1", "NULL", "'a'", "'b'", "2.5", "'1'", "x'61'"])

def expr(d=0):
    if d > 4 or random.random() < 0.25:
        return atom()
    k = random.randrange(12)
    if k < 5: return "%s %s %s" % (expr(d+1), random.choice(OPS), expr(d+1))
    if k == 5: return random.choice(["-", "+", "~", "NOT "]) + expr(d+1)
    if k == 6: return "%s %sBETWEEN %s AND %s" % (expr(d+1), random.choice(["", "NOT "]), expr(d+1), expr(d+1))
    if k == 7: return "%s %s" % (expr(d+1), random.choice(["ISNULL", "NOTNULL", "NOT NULL", "IS NULL", "IS NOT NULL"]))
    if k == 8: return "%s %sIN (%s, %s)" % (expr(d+1), random.choice(["", "NOT "]), expr(d+1), expr(d+1))
    if k == 9: return "%s COLLATE nocase" % expr(d+1)
    if k == 10: return "(%s)" % expr(d+1)
    return "CASE %s WHEN %s THEN %s ELSE %s END" % (expr(d+1), expr(d+1), expr(d+1), expr(d+1))

def run(db, sql):
    try:
        return db.execute(sql.replace("SELECT ", "SELECT typeof(x), x FROM (SELECT ", 1) + " AS x)").fetchall()
    except Exception as ex:
        return ("error", str(ex))

def main():
    db = sqlite3.connect(":memory:")
    stmts = ["SELECT " + expr() for _ in range(COUNT)]
    out = subprocess.run([BIN, "--print"], input="\0".join(stmts).encode(), capture_output=True,
                         check=True).stdout.decode().split("\n")[:-1]
    assert len(out) == len(stmts)
    bad = 0
    for src, printed in zip(stmts, out):
        if printed.startswith("ERR"):
            # Rejected (e.g. `--1` is a comment): SQLite must reject it too.
            try:
                db.execute(src)
                bad += 1
                print("we reject, SQLite accepts: %r: %s" % (src, printed))
            except sqlite3.Error:
                pass
        elif run(db, src) != run(db, printed):
            bad += 1
            print("%r\n  printed as %r\n  %r vs %r" % (src, printed, run(db, src), run(db, printed)))
    print("%d expressions, %d differ" % (len(stmts), bad))
    sys.exit(1 if bad else 0)

main()
