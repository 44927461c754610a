#!/usr/bin/env python3
"""sqllogictest runner: .test files through the library under test (LD_PRELOAD side only).

Owns: suite "slt" (quick: select1-5.test and evidence/; --long: every file of the corpus,
default <repo>/../shared/slt). The files carry their expected answers, so only the Ferrolite
side runs. Item names: "<path relative to the corpus root>:<line of the statement/query line>".

Format handled: records separated by blank lines; `statement ok|error`; `query <types> <sort>
[label]` with `----` and expected values one per line, or `N values hashing to <md5>` (md5 of
each value followed by "\n"); types I (integer, %lld of the value as integer), R (%.3f of the
value as real), T (text; "" -> "(empty)", bytes outside ' '..'~' -> '@'); NULL prints "NULL";
sort modes nosort, rowsort (rows compared value by value as strings), valuesort; labels (all
queries sharing a label must hash the same); `skipif`/`onlyif <engine>` (we are "sqlite");
`hash-threshold N`; `halt`.

Invariants:
  1. Each file runs in its own worker process on a fresh :memory: database; a crash or hang
     fails the record it happened in, then a new worker replays the file's statement records
     run so far and the file goes on; after 10 deaths (or a death while replaying) the rest
     of the file fails as "not run".
  2. A `statement error` record passes on any error, as in the reference harness, except
     Ferrolite's "... is not supported yet by Ferrolite": that is an unbuilt feature, not the
     error the record expects, so counting it would flatter the engine.
  3. An error while a query steps is not a failure by itself: as in the reference harness the
     rows returned before it are the result. An error while preparing fails the record.
  4. A file that exceeds its time budget stops there: remaining records fail ("not run").
"""
import argparse
import hashlib
from decimal import Decimal
import os
import re
import sys
import time

from common import REPO, Worker, WorkerDied, broken_requested, require_lib, split_statements
import ratchet

ENGINE = "sqlite"
NOT_SUPPORTED = "is not supported yet by Ferrolite"  # Error::not_supported's message tail
HASH_RE = re.compile(r"^(\d+) values hashing to ([0-9a-fA-F]{32})$")


def corpus_root():
    return os.environ.get("FERROLITE_SLT") or os.path.join(os.path.dirname(REPO), "shared", "slt")


def quick_files(root):
    files = [os.path.join(root, "select%d.test" % i) for i in range(1, 6)]
    files += sorted(os.path.join(root, "evidence", f) for f in os.listdir(os.path.join(root, "evidence"))
                    if f.endswith(".test")) if os.path.isdir(os.path.join(root, "evidence")) else []
    return [f for f in files if os.path.exists(f)]


def all_files(root):
    out = []
    for dirpath, _, names in os.walk(root):
        out += [os.path.join(dirpath, n) for n in names if n.endswith(".test")]
    return sorted(out)


# ---------------------------------------------------------------- parsing

class Record:
    __slots__ = ("kind", "line", "sql", "types", "sort", "label", "expected", "expect_error",
                 "conditions", "arg")

    def __init__(self, kind, line):
        self.kind, self.line = kind, line
        self.sql = ""
        self.types = ""
        self.sort = "nosort"
        self.label = None
        self.expected = None
        self.expect_error = False
        self.conditions = []
        self.arg = None


def parse(text):
    """Yield Records of one file; unknown record kinds are returned as kind 'unknown'."""
    lines = text.split("\n")
    i, n = 0, len(lines)
    while i < n:
        # gather one block of non-blank lines
        while i < n and not lines[i].strip():
            i += 1
        if i >= n:
            break
        start = i
        block = []
        while i < n and lines[i].strip():
            block.append(lines[i].rstrip("\r"))
            i += 1
        conds = []
        j = 0
        while j < len(block):
            words = block[j].split()
            if block[j].lstrip().startswith("#"):
                j += 1
                continue
            if words[0] in ("skipif", "onlyif") and len(words) >= 2:
                conds.append((words[0], words[1]))
                j += 1
                continue
            break
        if j >= len(block):
            continue  # comments only
        words = block[j].split()
        rec = Record(words[0], start + j + 1)
        rec.conditions = conds
        body = block[j + 1:]
        if words[0] == "statement":
            rec.expect_error = len(words) > 1 and words[1] == "error"
            rec.sql = "\n".join(body)
        elif words[0] == "query":
            rec.types = words[1] if len(words) > 1 else ""
            rec.sort = words[2] if len(words) > 2 else "nosort"
            rec.label = words[3] if len(words) > 3 else None
            if "----" in body:
                k = body.index("----")
                rec.sql = "\n".join(body[:k])
                rec.expected = body[k + 1:]
            else:
                rec.sql = "\n".join(body)
        elif words[0] == "hash-threshold":
            rec.arg = int(words[1])
        elif words[0] == "halt":
            pass
        else:
            rec.kind = "unknown"
            rec.arg = block[j]
        yield rec


def applies(rec):
    for kind, engine in rec.conditions:
        if kind == "skipif" and engine == ENGINE:
            return False
        if kind == "onlyif" and engine != ENGINE:
            return False
    return True


# ---------------------------------------------------------------- value formatting

INT_PREFIX = re.compile(r"^[ \t\n\f\r\v]*([+-]?)(\d+)")
REAL_PREFIX = re.compile(r"^[ \t\n\f\r\v]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
I64_MAX, I64_MIN = 2 ** 63 - 1, -2 ** 63


def as_int(cell):
    """sqlite3_column_int64 of a value (text: its leading integer, clamped; real: truncated)."""
    kind, v = cell
    if kind == "i":
        return v
    if kind == "r":
        if v != v:
            return 0
        if v <= I64_MIN:
            return I64_MIN
        if v >= I64_MAX:
            return I64_MAX
        return int(v)
    text = v if kind == "t" else bytes.fromhex(v).decode("utf-8", "replace")
    m = INT_PREFIX.match(text)
    if not m:
        return 0
    val = int(m.group(1) + m.group(2))
    return max(I64_MIN, min(I64_MAX, val))


def as_real(cell):
    kind, v = cell
    if kind in ("i", "r"):
        return float(v)
    text = v if kind == "t" else bytes.fromhex(v).decode("utf-8", "replace")
    m = REAL_PREFIX.match(text)
    if not m:
        return 0.0
    try:
        return float(m.group(1))
    except ValueError:
        return 0.0


def real_text(r):
    """A real as sqlite3_column_text shows it: 15 significant digits, always a '.' or 'e'."""
    if r != r:
        return ""
    if r in (float("inf"), float("-inf")):
        return "Inf" if r > 0 else "-Inf"
    s = "%.15g" % r
    mant, e, exp = s.partition("e")
    if "." not in mant:
        mant += ".0"
    return mant + (e + exp if e else "")


def as_text(cell):
    kind, v = cell
    if kind == "i":
        return str(v)
    if kind == "r":
        return real_text(v)
    if kind == "t":
        return v.encode("utf-8", "surrogateescape")
    return bytes.fromhex(v)


def sqlite_fixed3(r):
    """sqlite3_snprintf("%.3f", r): SQLite's printf shows at most 16 significant digits."""
    if r != r:
        return "NaN"
    if r in (float("inf"), float("-inf")):
        return "Inf" if r > 0 else "-Inf"
    if r == 0:
        return "0.000"  # SQLite prints no sign for -0.0
    if abs(r) < 1e13:
        return "%.3f" % r
    return format(Decimal("%.15e" % r), ".3f")  # 16 significant digits, then zeros


def format_value(cell, letter):
    if cell[0] == "n":
        return "NULL"
    if letter == "I":
        return "%d" % as_int(cell)
    if letter == "R":
        return sqlite_fixed3(as_real(cell))
    raw = as_text(cell)
    if isinstance(raw, str):
        raw = raw.encode()
    if not raw:
        return "(empty)"
    return "".join(chr(b) if 0x20 <= b <= 0x7E else "@" for b in raw)


def result_values(rows, types, sort):
    formatted = [[format_value(c, types[k] if k < len(types) else "T") for k, c in enumerate(r)]
                 for r in rows]
    if sort == "rowsort":
        formatted.sort()
    values = [v for r in formatted for v in r]
    if sort == "valuesort":
        values.sort()
    return values, formatted


def md5_of(values):
    h = hashlib.md5()
    for v in values:
        h.update(v.encode("utf-8", "surrogateescape"))
        h.update(b"\n")
    return h.hexdigest()


def check_query(rec, answer, labels):
    """Return None when the query record passes, else the reason."""
    err = answer["error"]
    if err is not None and answer.get("at") != "step":
        return "query failed: %s" % err.get("msg")
    values, rows = result_values(answer["rows"], rec.types, rec.sort)
    digest = md5_of(values)
    if rec.label:
        seen = labels.setdefault(rec.label, digest)
        if seen != digest:
            return "label %s: result hash differs from an earlier query with that label" % rec.label
    if rec.expected is None:
        return None
    exp = [line for line in rec.expected]
    if len(exp) == 1:
        m = HASH_RE.match(exp[0].strip())
        if m:
            if int(m.group(1)) == len(values) and m.group(2).lower() == digest:
                return None
            return "expected %s, got %d values hashing to %s" % (exp[0].strip(), len(values), digest)
    if exp == values:
        return None
    if len(exp) == len(rows) and exp == [" ".join(r) for r in rows]:
        return None  # one row per line, values separated by spaces
    shown = values[:12]
    return "expected %s, got %s%s" % (exp[:12], shown, " ..." if len(values) > 12 else "")


# ---------------------------------------------------------------- running

def run_file(path, rel, broken, record_timeout, file_timeout, max_restarts=10):
    """Return (ran names, passed names, failures {name: reason}, skipped count)."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        records = list(parse(f.read()))
    ran, passed, failures = [], set(), {}
    skipped = 0
    labels = {}
    worker = None
    dead = None
    history = []  # statement records run so far: replayed after a crash
    restarts = 0
    deadline = time.monotonic() + file_timeout
    try:
        for rec in records:
            if not applies(rec):
                skipped += 1 if rec.kind in ("statement", "query") else 0
                continue
            if rec.kind == "halt":
                break
            if rec.kind == "hash-threshold" or rec.kind == "unknown":
                continue
            name = "%s:%d" % (rel, rec.line)
            ran.append(name)
            if dead is None and time.monotonic() > deadline:
                dead = "not run: file exceeded its %ss budget" % file_timeout
            if dead is not None:
                failures[name] = dead
                continue
            if worker is None:
                try:
                    worker = Worker("test", broken=broken)
                    for old in history:
                        worker.execute(old, timeout=record_timeout)
                except WorkerDied as exc:
                    dead = "not run: worker died %s (%s)" % (
                        "replaying earlier statements" if history else "starting", exc)
                    failures[name] = dead
                    worker = None
                    continue
            sql = rec.sql
            if ";" in sql.rstrip().rstrip(";"):
                parts = [stmt for _, stmt in split_statements(sql)]
                sql = parts if len(parts) > 1 else sql
            try:
                answer = worker.execute(sql, timeout=record_timeout, probe=(rec.kind == "query"))
            except WorkerDied as exc:
                failures[name] = str(exc)
                worker = None
                restarts += 1
                if restarts > max_restarts:
                    dead = "not run: more than %d worker deaths in this file" % max_restarts
                continue
            if rec.kind == "statement":
                history.append(sql)
                failed = answer["error"] is not None
                unbuilt = failed and NOT_SUPPORTED in (answer["error"].get("msg") or "")
                if rec.expect_error and unbuilt:
                    failures[name] = "expected an error, got Ferrolite's not-supported error"
                elif failed == rec.expect_error:
                    passed.add(name)
                else:
                    failures[name] = ("statement should have failed" if rec.expect_error
                                      else "statement failed: %s" % answer["error"].get("msg"))
            else:
                reason = check_query(rec, answer, labels)
                if reason is None:
                    passed.add(name)
                else:
                    failures[name] = reason
    finally:
        if worker is not None:
            worker.close()
    return ran, passed, failures, skipped


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help=".test files (default: the quick or long set)")
    ap.add_argument("--long", action="store_true", help="run the whole corpus")
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--record-timeout", type=float, default=30)
    ap.add_argument("--file-timeout", type=float, default=600)
    args = ap.parse_args(argv)
    root = corpus_root()
    if not os.path.isdir(root):
        print("[slt] corpus %s is absent: suite skipped" % root)
        return 0
    require_lib()
    if args.files:
        files = [os.path.abspath(f) for f in args.files]
    else:
        files = all_files(root) if args.long else quick_files(root)
    broken = broken_requested()
    ran, passed, failures = [], set(), {}
    skipped = 0
    for path in files:
        rel = os.path.relpath(path, root)
        t0 = time.monotonic()
        r, p, f, s = run_file(path, rel, broken, args.record_timeout, args.file_timeout)
        ran += r
        passed |= p
        failures.update(f)
        skipped += s
        print("%-45s %6d passed %6d failed %6d skipped  %5.1fs" % (
            rel, len(p), len(r) - len(p), s, time.monotonic() - t0))
        sys.stdout.flush()
    return ratchet.finish("slt", ran, passed, failures, update=args.update_baseline,
                          mode="long" if args.long else "quick", skipped=skipped)


if __name__ == "__main__":
    sys.exit(main())
