#!/usr/bin/env python3
"""Random differential testing: generated schemas, data and queries, real SQLite vs Ferrolite.

Owns: suite "gen". A run is `--count` queries from `--seed`, grouped in cases: each case is a
fresh random schema (1-3 tables; declared types chosen to hit every affinity; NOCASE/RTRIM/BINARY
collations; INTEGER PRIMARY KEY, UNIQUE, indexes), random rows (edge integers, reals, texts that
look numeric, blobs, NULLs), a few UPDATE/DELETE/INSERT...SELECT with random expressions, then QUERIES_PER_CASE random SELECTs (expressions of every operator
family, CAST, CASE, COLLATE, LIKE/GLOB, IN lists and subqueries, EXISTS, scalar aggregate
subqueries, joins of all kinds, derived tables, GROUP BY/HAVING, DISTINCT, compound selects,
window functions whose values do not depend on tie order, ORDER BY rowid with LIMIT/OFFSET). Every statement
runs on both sides in fresh workers per case; answers are compared as in diff.py, except that
query rows are compared as multisets (generated queries carry no total order).

Item names: "seed=S:case=C:setup=K" and "seed=S:case=C:q=K". They are stable for a given seed
only while this generator is unchanged: changing it means `make baseline`.

Mismatches are minimised (ddmin over the case's setup statements, then greedy shrinking of the
query's expression tree, each candidate checked against both sides afresh) and written as
regression scripts (`--save-dir`, default build/harness/gen-regress; `make test-long` saves into
tests/regress/, which diff.py runs). One script per distinct symptom per run, deduplicated by
content hash.

Invariants:
  1. Generation is a pure function of (seed, count): the random stream is never shared with
     anything that depends on the library's answers.
  2. Queries avoid behaviour SQL leaves unspecified: no LIMIT, no bare columns beside
     aggregates, no order-dependent aggregates (group_concat), scalar subqueries are aggregates,
     aggregate arguments avoid inexact arithmetic.
"""
import argparse
import hashlib
import json
import os
import random
import re
import sys
import time

from common import REPO, broken_requested, require_lib, results_dir
from diff import Pair, render
import ratchet

QUERIES_PER_CASE = 50


# ---------------------------------------------------------------- expression trees

class Node:
    """SQL text with holes: fmt uses {0}, {1}... for children; leaves have none."""
    __slots__ = ("fmt", "kids", "expr", "ordered")

    def __init__(self, fmt, kids=(), expr=True, ordered=False):
        self.fmt, self.kids, self.expr, self.ordered = fmt, list(kids), expr, ordered

    def sql(self):
        return self.fmt.format(*[k.sql() for k in self.kids]) if self.kids else self.fmt

    def size(self):
        return 1 + sum(k.size() for k in self.kids)


def lit(text):
    return Node(text.replace("{", "{{").replace("}", "}}"))


INTS = ["0", "1", "-1", "2", "3", "7", "10", "-128", "255", "2147483647", "-2147483648",
        "9223372036854775807", "-9223372036854775808", "4294967296", "100"]
REALS = ["0.0", "1.5", "-2.25", "0.5", "3.0", "-0.0", "1e100", "100.0", "2.5", "1e18"]
TEXTS = ["''", "'a'", "'A'", "'abc'", "'ABC'", "'a '", "' 1'", "'12'", "'1e3'", "'0x1'",
         "'é'", "'-5'", "'3.0'", "'b'", "'%'", "'a_c'", "'9223372036854775808'", "'  '", "'Abc'"]
BLOBS = ["x''", "x'00'", "x'41'", "x'0102'", "x'6162'"]
DECLS = ["INTEGER", "INT", "TEXT", "REAL", "NUMERIC", "BLOB", "", "VARCHAR(5)", "DOUBLE",
         "FLOAT", "BOOLEAN", "CHARACTER(3)", "DECIMAL(5,2)", "BIGINT", "CLOB", "ANY"]
COLLS = ["BINARY", "NOCASE", "RTRIM"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p):
        return self.r.random() < p

    # ---- values
    def value(self):
        k = self.r.random()
        if k < 0.12:
            return "NULL"
        if k < 0.5:
            return self.pick(INTS) if self.chance(0.6) else str(self.r.randint(-20, 20))
        if k < 0.65:
            return self.pick(REALS)
        if k < 0.93:
            return self.pick(TEXTS)
        return self.pick(BLOBS)

    # ---- schema
    def schema(self):
        tables = []
        stmts = []
        # Tables with an INTEGER PRIMARY KEY get small keys only: once the largest rowid is
        # 9223372036854775807, SQLite picks new rowids at random (a nondeterministic answer).
        ipk_tables = set()
        for t in range(self.r.randint(1, 3)):
            name = "t%d" % (t + 1)
            cols = []
            defs = []
            ipk = self.chance(0.3)
            for c in range(self.r.randint(1, 4)):
                cname = "c%d" % c
                decl = self.pick(DECLS)
                d = cname + (" " + decl if decl else "")
                if c == 0 and ipk:
                    d = cname + " INTEGER PRIMARY KEY"
                else:
                    if self.chance(0.25):
                        d += " COLLATE " + self.pick(COLLS)
                    if self.chance(0.08):
                        d += " UNIQUE"
                cols.append(cname)
                defs.append(d)
            stmts.append("CREATE TABLE %s(%s)" % (name, ", ".join(defs)))
            tables.append((name, cols))
            if ipk:
                ipk_tables.add(name)
            if self.chance(0.4):
                ic = self.r.sample(cols, self.r.randint(1, len(cols)))
                stmts.append("CREATE INDEX %s_i ON %s(%s)" % (name, name, ", ".join(
                    c + (" COLLATE " + self.pick(COLLS) if self.chance(0.2) else "") +
                    (" DESC" if self.chance(0.2) else "") for c in ic)))
        for name, cols in tables:
            for _ in range(self.r.randint(0, 8)):
                vals = [self.value() for _ in cols]
                if name in ipk_tables:
                    vals[0] = self.pick(["NULL", str(self.r.randint(-20, 40))])
                stmts.append("INSERT INTO %s VALUES(%s)" % (name, ", ".join(vals)))
        # data-changing statements with random expressions: their changes() are compared too
        for _ in range(self.r.randint(0, 2)):
            name, cols = self.pick(tables)
            refs = ["%s.%s" % (name, c) for c in cols]
            k = self.r.random()
            if k < 0.45:
                target = self.pick(cols[1:] if name in ipk_tables else cols) if len(cols) > 1 or name not in ipk_tables else None
                if target is None:
                    continue
                stmts.append("UPDATE %s SET %s = %s WHERE %s" % (
                    name, target, self.expr(refs, 2).sql(), self.expr(refs, 2, tables=tables).sql()))
            elif k < 0.75:
                stmts.append("DELETE FROM %s WHERE %s" % (name, self.expr(refs, 2, tables=tables).sql()))
            elif name not in ipk_tables:
                src, scols = self.pick(tables)
                stmts.append("INSERT INTO %s SELECT %s FROM %s WHERE %s" % (
                    name, ", ".join(self.pick(scols) for _ in cols), src,
                    self.expr(["%s.%s" % (src, c) for c in scols], 2).sql()))
        return tables, stmts

    # ---- expressions
    def expr(self, cols, depth, aggs=False, tables=None):
        """cols: visible column references (qualified); aggs: aggregate calls allowed."""
        r = self.r.random()
        if depth <= 0 or r < 0.25:
            if cols and self.chance(0.6):
                return lit(self.pick(cols))
            return lit(self.value())
        d = depth - 1
        e = lambda: self.expr(cols, d, aggs, tables)
        k = self.r.randint(0, 21)
        if k <= 3:
            op = self.pick(["+", "-", "*", "/", "%", "||", "&", "|", "<<", ">>"])
            return Node("({0} %s {1})" % op, [e(), e()])
        if k <= 6:
            op = self.pick(["=", "==", "!=", "<>", "<", "<=", ">", ">=", "IS", "IS NOT"])
            return Node("({0} %s {1})" % op, [e(), e()])
        if k <= 8:
            op = self.pick(["AND", "OR"])
            return Node("({0} %s {1})" % op, [e(), e()])
        if k == 9:
            op = self.pick(["NOT ", "-", "+", "~"])
            return Node("(%s{0})" % op, [e()])
        if k == 10:
            return Node("CAST({0} AS %s)" % self.pick(["INTEGER", "REAL", "TEXT", "NUMERIC", "BLOB"]), [e()])
        if k == 11:
            n = self.r.randint(1, 2)
            kids = [e()]
            fmt = "CASE {0}" if self.chance(0.5) else "CASE"
            if fmt == "CASE":
                kids = []
            for _ in range(n):
                i = len(kids)
                fmt += " WHEN {%d} THEN {%d}" % (i, i + 1)
                kids += [e(), e()]
            if self.chance(0.6):
                fmt += " ELSE {%d}" % len(kids)
                kids.append(e())
            return Node("(" + fmt + " END)", kids)
        if k == 12:
            return Node("({0} COLLATE %s)" % self.pick(COLLS), [e()])
        if k == 13:
            op = self.pick(["LIKE", "GLOB", "NOT LIKE"])
            return Node("({0} %s {1})" % op, [e(), e()])
        if k == 14:
            n = self.r.randint(1, 4)
            return Node("({0} %sIN (%s))" % ("NOT " if self.chance(0.3) else "",
                                            ", ".join("{%d}" % (i + 1) for i in range(n))),
                        [e()] + [e() for _ in range(n)])
        if k == 15:
            return Node("({0} %sBETWEEN {1} AND {2})" % ("NOT " if self.chance(0.3) else ""), [e(), e(), e()])
        if k == 16:
            return Node("({0} IS%s NULL)" % (" NOT" if self.chance(0.5) else ""), [e()])
        if k <= 18:
            f, n = self.pick([("abs", 1), ("coalesce", 2), ("ifnull", 2), ("nullif", 2), ("length", 1),
                              ("lower", 1), ("upper", 1), ("substr", 3), ("substr", 2), ("typeof", 1),
                              ("min", 2), ("max", 3), ("round", 1), ("round", 2), ("instr", 2), ("hex", 1),
                              ("quote", 1), ("trim", 1), ("iif", 3), ("unicode", 1), ("sign", 1),
                              ("ltrim", 2), ("replace", 3), ("likely", 1), ("zeroblob", 1)])
            if f == "zeroblob":
                return Node("zeroblob(({0}) % 5)", [e()])
            return Node("%s(%s)" % (f, ", ".join("{%d}" % i for i in range(n))), [e() for _ in range(n)])
        if k == 19 and aggs:
            return self.agg(cols)
        if k >= 19 and tables:
            return self.subquery_expr(cols, d, tables)
        return Node("({0} + {1})", [e(), e()])

    def agg(self, cols):
        if not cols or self.chance(0.2):
            return lit("count(*)")
        f = self.pick(["count", "sum", "total", "avg", "min", "max", "count"])
        arg = lit(self.pick(cols))
        if self.chance(0.3):
            arg = Node("({0} %s {1})" % self.pick(["+", "-"]), [arg, lit(self.pick(INTS[:8]))])
        distinct = "DISTINCT " if f != "avg" and self.chance(0.2) else ""
        return Node("%s(%s{0})" % (f, distinct), [arg])

    def subquery_expr(self, outer_cols, depth, tables):
        name, cols = self.pick(tables)
        alias = "s%d" % self.r.randint(1, 99)
        inner = ["%s.%s" % (alias, c) for c in cols]
        visible = inner + (outer_cols if self.chance(0.5) else [])
        where = self.expr(visible, min(depth, 2))
        kind = self.r.randint(0, 2)
        if kind == 0:
            return Node("(EXISTS (SELECT 1 FROM %s AS %s WHERE {0}))" % (name, alias), [where])
        if kind == 1:
            return Node("({0} IN (SELECT %s FROM %s AS %s WHERE {1}))" % (self.pick(inner), name, alias),
                        [self.expr(outer_cols, min(depth, 2)), where])
        return Node("(SELECT %s FROM %s AS %s WHERE {0})" % (self.agg(inner).sql().replace("{", "{{").replace("}", "}}"), name, alias),
                    [where])

    # ---- queries
    def query(self, tables):
        picked = [self.pick(tables)]
        join = ""
        if len(tables) > 1 and self.chance(0.4):
            other = self.pick(tables)
            picked.append(other)
        aliases = []
        cols = []
        for i, (name, tcols) in enumerate(picked):
            alias = "a%d" % i
            aliases.append((name, alias))
            cols += ["%s.%s" % (alias, c) for c in tcols]
        kids = []

        def hole(node):
            kids.append(node)
            return "{%d}" % (len(kids) - 1)

        # sometimes a table is read through a derived table (exercises subquery flattening)
        derived = False
        sources = []
        for name, alias in aliases:
            if self.chance(0.1):
                derived = True
                tcols = dict(tables)[name]
                sources.append("(SELECT * FROM %s WHERE %s) AS %s" % (
                    name, hole(self.expr(["%s.%s" % (name, c) for c in tcols], 2)), alias))
            else:
                sources.append("%s AS %s" % (name, alias))
        from_sql = sources[0]
        if len(aliases) > 1:
            kind = self.pick(["JOIN", "LEFT JOIN", "CROSS JOIN", ",", "RIGHT JOIN", "FULL JOIN"])
            if kind in (",", "CROSS JOIN"):
                from_sql += " %s %s" % (kind, sources[1])
            else:
                from_sql += " %s %s ON %s" % (kind, sources[1], hole(self.expr(cols, 2)))
        grouped = self.chance(0.25)
        aggregate = grouped or self.chance(0.1)
        distinct = "DISTINCT " if self.chance(0.15) else ""
        if aggregate:
            keys = [self.expr(cols, 1) for _ in range(self.r.randint(1, 2))] if grouped else []
            items = [hole(k) for k in keys] + [hole(self.agg(cols)) for _ in range(self.r.randint(1, 2))]
            sql = "SELECT %s%s FROM %s" % (distinct, ", ".join(items), from_sql)
            if self.chance(0.5):
                sql += " WHERE " + hole(self.expr(cols, 3, tables=tables))
            if grouped:
                sql += " GROUP BY " + ", ".join(items[:len(keys)])
                if self.chance(0.4):
                    sql += " HAVING " + hole(Node("({0} %s {1})" % self.pick(["<", ">", "=", "<>"]),
                                                  [self.agg(cols), lit(self.pick(INTS[:8]))]))
        else:
            items = [hole(self.expr(cols, 3, tables=tables)) for _ in range(self.r.randint(1, 3))]
            if not derived and self.chance(0.12):
                items.append(hole(self.window(cols, aliases)))
            sql = "SELECT %s%s FROM %s" % (distinct, ", ".join(items), from_sql)
            if self.chance(0.7):
                sql += " WHERE " + hole(self.expr(cols, 3, tables=tables))
            if self.chance(0.1) and len(picked) == 1:
                name, tcols = self.pick(tables)
                sql += " %s SELECT %s FROM %s" % (self.pick(["UNION", "UNION ALL", "INTERSECT", "EXCEPT"]),
                                                   ", ".join(self.pick(tcols) for _ in items), name)
            elif not distinct and not derived and self.chance(0.25):
                # rowids are unique per table, so this order is total: rows compare in order
                sql += " ORDER BY " + ", ".join("%s.rowid%s" % (a, " DESC" if self.chance(0.3) else "")
                                                for _, a in aliases)
                if self.chance(0.5):
                    sql += " LIMIT %d" % self.r.randint(0, 6)
                    if self.chance(0.4):
                        sql += " OFFSET %d" % self.r.randint(0, 4)
                return Node(sql, kids, expr=False, ordered=True)
        return Node(sql, kids, expr=False)

    def window(self, cols, aliases):
        """A window function whose value per row does not depend on how ties are broken:
        ordered by every table's rowid (a total order), or a function of peers only
        (rank, dense_rank, default RANGE frames, whole partitions)."""
        total = ", ".join("%s.rowid" % a for _, a in aliases)
        col = lambda: lit(self.pick(cols))
        part = ""
        kids = []
        if self.chance(0.4):
            part = "PARTITION BY {0} "
            kids.append(self.expr(cols, 1))
        k = len(kids)
        kind = self.r.randint(0, 6)
        if kind == 0:
            return Node("row_number() OVER (%sORDER BY %s)" % (part, total), kids)
        if kind == 1:
            return Node("%s() OVER (%sORDER BY {%d})" % (self.pick(["rank", "dense_rank"]), part, k),
                        kids + [col()])
        if kind == 2:
            return Node("%s({%d}) OVER (%sORDER BY {%d})" % (self.pick(["count", "sum", "max", "min"]),
                                                             k, part, k + 1), kids + [col(), col()])
        if kind == 3:
            return Node("%s({%d}) OVER (%sORDER BY %s)" % (self.pick(["lag", "lead", "first_value"]), k, part,
                                                          total), kids + [col()])
        if kind == 4:
            return Node("%s({%d}) OVER (%s)" % (self.pick(["count", "total", "max", "min"]), k, part.strip()),
                        kids + [col()])
        if kind == 5:
            return Node("sum({%d}) OVER (%sORDER BY %s ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)"
                        % (k, part, total), kids + [col()])
        return Node("ntile(%d) OVER (%sORDER BY %s)" % (self.r.randint(1, 4), part, total), kids)

    def case(self, n_queries):
        tables, setup = self.schema()
        return setup, [self.query(tables) for _ in range(n_queries)]


# ---------------------------------------------------------------- running both sides

def run_both(statements, broken, timeout=20, unordered_last=False, unordered_all=None, n_setup=None):
    """Run statements on a fresh Pair; return list of (ok, want, got, reason).

    Statements from n_setup on (default: the last one) are queries: not replayed after a crash.
    """
    if n_setup is None:
        n_setup = len(statements) - 1
    pair = Pair(broken, timeout)
    out = []
    try:
        for i, sql in enumerate(statements):
            unordered = unordered_all[i] if unordered_all else (unordered_last and i == len(statements) - 1)
            ok, reason, want, got = pair.run(sql, unordered, record=i < n_setup)
            out.append((ok, want, got, reason))
    finally:
        pair.close()
    return out


def symptom(want, got, reason):
    """A coarse signature of a mismatch, to minimise one instance per symptom."""
    if got is None:
        return "crash: " + re.sub(r"\d+", "N", reason or "")[:80]
    if got["error"] is not None and (want is None or want["error"] is None or
                                     want["error"]["msg"] != got["error"]["msg"]):
        return "error: " + re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", got["error"]["msg"] or "")[:80]
    if want is not None and want["error"] is not None and got["error"] is None:
        return "missing error: " + re.sub(r"\d+", "N", want["error"]["msg"] or "")[:80]
    return "different rows"


class Minimiser:
    def __init__(self, broken, budget_s):
        self.broken = broken
        self.unordered = True  # set per mismatch: how the query's rows are compared
        self.deadline = time.monotonic() + budget_s
        self.checks = 0

    def fails(self, setup, query_sql):
        if time.monotonic() > self.deadline:
            return False
        self.checks += 1
        res = run_both(setup + [query_sql], self.broken, unordered_last=self.unordered)
        return not res[-1][0]

    def ddmin(self, setup, query_sql):
        n = 2
        while len(setup) >= 1 and time.monotonic() < self.deadline:
            chunk = max(1, len(setup) // n)
            reduced = False
            for start in range(0, len(setup), chunk):
                cand = setup[:start] + setup[start + chunk:]
                if self.fails(cand, query_sql):
                    setup = cand
                    n = max(n - 1, 2)
                    reduced = True
                    break
            if not reduced:
                if chunk == 1:
                    break
                n = min(len(setup), n * 2)
        return setup

    def shrink_query(self, setup, query):
        """Greedy: replace any sub-expression by a child, NULL or 1 while the mismatch stays."""
        changed = True
        while changed and time.monotonic() < self.deadline:
            changed = False
            for parent, idx, node in list(walk(query)):
                for repl in [*[k for k in node.kids if k.expr], lit("NULL"), lit("1")]:
                    if repl.sql() == node.sql():
                        continue
                    parent.kids[idx] = repl
                    if self.fails(setup, query.sql()):
                        changed = True
                        break
                    parent.kids[idx] = node
                if changed:
                    break
        return query


def walk(node):
    for i, k in enumerate(node.kids):
        yield node, i, k
        yield from walk(k)


def save_regression(save_dir, seed, case, qi, setup, query_sql, want, got, reason, unordered=True):
    body = ("".join(s + ";\n" for s in setup) + ("-- harness: unordered\n" if unordered else "")
            + query_sql + ";\n")
    digest = hashlib.sha1(body.encode()).hexdigest()[:10]
    os.makedirs(save_dir, exist_ok=True)
    path = os.path.join(save_dir, "gen-%s.sql" % digest)
    if os.path.exists(path):
        return path, False
    one = lambda a: " ".join(render(a).split())[:400] if a is not None else "-"
    head = ("-- Ferrolite's answer to the last statement differs from real SQLite's "
            "(found by gen.py --seed %d, case %d, %s, then minimised).\n"
            "-- real SQLite then: %s\n-- Ferrolite then:   %s\n" % (seed, case, qi, one(want),
                                                                   one(got) if got else reason))
    with open(path, "w") as f:
        f.write(head + body)
    return path, True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=2000, help="number of queries")
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--no-ratchet", action="store_true", help="report only (long runs, random seeds)")
    ap.add_argument("--minimise", type=int, default=3, help="distinct symptoms to minimise")
    ap.add_argument("--minimise-budget", type=float, default=60, help="seconds for all minimising")
    ap.add_argument("--save-dir", default=None, help="where minimised scripts go "
                    "(default build/harness/gen-regress)")
    ap.add_argument("--suite-name", default="gen", help="result file name (long runs: gen-long)")
    ap.add_argument("--print", action="store_true", help="print the generated SQL and exit")
    args = ap.parse_args(argv)
    n_cases = (args.count + QUERIES_PER_CASE - 1) // QUERIES_PER_CASE

    def cases():
        """Generated lazily: a long run never holds more than one case's trees."""
        gen = Gen(args.seed)
        left = args.count
        for _ in range(n_cases):
            setup, queries = gen.case(min(QUERIES_PER_CASE, left))
            left -= len(queries)
            yield setup, queries

    if args.print:
        for c, (setup, queries) in enumerate(cases()):
            print("-- case %d" % c)
            for s in setup:
                print(s + ";")
            for q in queries:
                print(q.sql() + ";")
        return 0
    require_lib()
    broken = broken_requested()
    save_dir = args.save_dir or os.path.join(results_dir(), "gen-regress")
    ran, passed, failures = [], set(), {}
    symptoms = {}
    mismatches = []
    t0 = time.monotonic()
    q_ok = q_all = 0
    for c, (setup, queries) in enumerate(cases()):
        stmts = setup + [q.sql() for q in queries]
        flags = [False] * len(setup) + [not q.ordered for q in queries]
        res = run_both(stmts, broken, unordered_all=flags, n_setup=len(setup))
        for i, (ok, want, got, reason) in enumerate(res):
            name = ("seed=%d:case=%d:setup=%d" % (args.seed, c, i) if i < len(setup)
                    else "seed=%d:case=%d:q=%d" % (args.seed, c, i - len(setup)))
            ran.append(name)
            if i >= len(setup):
                q_all += 1
                q_ok += ok
            if ok:
                passed.add(name)
                continue
            if len(failures) < 20000:
                failures[name] = "%s | real: %s | ferrolite: %s" % (
                    reason, " ".join(render(want).split())[:300] if want else "-",
                    " ".join(render(got).split())[:300] if got else "-")
            else:  # long runs: keep memory bounded, the symptom table still counts them all
                failures[name] = reason
            sym = symptom(want, got, reason)
            symptoms[sym] = symptoms.get(sym, 0) + 1
            if symptoms[sym] == 1:
                if i >= len(setup):
                    mismatches.append((sym, c, "query %d" % (i - len(setup)), setup, queries[i - len(setup)], want, got, reason))
                else:  # a setup statement: its own prefix is the context, nothing to shrink in it
                    mismatches.append((sym, c, "setup statement %d" % i, setup[:i], lit(setup[i]), want, got, reason))
    elapsed = time.monotonic() - t0
    print("[gen] seed %d: %d cases, %d/%d queries agree, %d/%d statements in all (%.1fs)" % (
        args.seed, n_cases, q_ok, q_all, len(passed), len(ran), elapsed))
    for sym, n in sorted(symptoms.items(), key=lambda kv: -kv[1])[:15]:
        print("  %6d x %s" % (n, sym))
    if mismatches and args.minimise > 0:
        mini = Minimiser(broken, args.minimise_budget)
        for sym, c, qi, setup, query, want, got, reason in mismatches[:args.minimise]:
            unordered = query.expr is False and not query.ordered
            mini.unordered = unordered
            small_setup = mini.ddmin(list(setup), query.sql())
            small_q = mini.shrink_query(small_setup, query)
            res = run_both(small_setup + [small_q.sql()], broken, unordered_last=unordered)
            ok, w, g, why = res[-1]
            if ok:
                continue  # the mismatch did not reproduce alone (e.g. budget ran out mid-way)
            path, new = save_regression(save_dir, args.seed, c, qi, small_setup, small_q.sql(), w, g, why,
                                        unordered)
            print("  minimised [%s] -> %s%s" % (sym, os.path.relpath(path, REPO), "" if new else " (known)"))
        print("  (%d minimisation checks)" % mini.checks)
    return ratchet.finish(args.suite_name, ran, passed, failures, update=args.update_baseline,
                          ratchet=not args.no_ratchet, mode="seed=%d count=%d" % (args.seed, args.count))


if __name__ == "__main__":
    sys.exit(main())
