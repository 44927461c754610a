"""Harness worker: executes SQL on one side (real SQLite or Ferrolite) and reports typed answers.

Owns: the process that actually talks to a libsqlite3. The parent runners start it either plainly
(python's _sqlite3 links the system libsqlite3: the oracle) or with LD_PRELOAD=<Ferrolite lib>
(the side under test). Nothing here compares answers; the parents do.

Protocol (JSON, one object per line, stdin -> stdout):
  1. On start the worker prints {"hello": true, "libs": [...], "version": "..."} where libs are
     the libsqlite3 files mapped into this process (from /proc/self/maps), so the parent can
     prove LD_PRELOAD took effect; or {"fatal": "..."} if sqlite3 cannot be imported/opened.
  2. Request {"sql": TEXT, "probe": BOOL} -> answer
       {"cols": [names] | null, "rows": [[cell, ...], ...], "error": null | {"code": int,
        "name": "SQLITE_...", "cls": "OperationalError", "msg": "..."}, "changes": int,
        "at": "prepare" | "step" | null}
     A cell is [storage class letter, value]: ["n", null], ["i", int], ["r", float],
     ["t", str (invalid UTF-8 kept with surrogateescape)], ["b", hex string].
     "changes" is the connection's total_changes delta over the statement. Rows produced before
     an error are kept. With "probe", an error is classified as "prepare" (EXPLAIN of the
     statement fails too) or "step" (it prepares, the error came while running).
     "sql" may also be a list of statements: they run in turn until one fails; the answer is
     the last one run, with "changes" summed (sqlite3_exec's behaviour for a script).
  3. EOF on stdin: close the connection and exit 0.

Invariants:
  1. One statement per request; the connection is in autocommit mode (isolation_level=None), so
     BEGIN/COMMIT in scripts reach the library exactly as written.
  2. The worker never interprets answers except under FERROLITE_HARNESS_BREAK=1, a test-only
     switch that deliberately corrupts answers (the first integer cell of every result is
     incremented) to prove the parents catch mismatches.
"""
import json
import os
import sys


def mapped_libs():
    """libsqlite3 files and LD_PRELOAD'ed files mapped into this process."""
    preload = {os.path.realpath(p) for p in os.environ.get("LD_PRELOAD", "").replace(":", " ").split()}
    libs = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split(None, 5)
                if len(parts) == 6 and ("libsqlite3" in parts[5] or parts[5].strip() in preload):
                    path = parts[5].strip()
                    if path not in libs:
                        libs.append(path)
    except OSError:
        pass
    return libs


def cell(value):
    if value is None:
        return ["n", None]
    if isinstance(value, tuple):  # our text_factory's marker: ("T", raw bytes)
        return ["t", value[1].decode("utf-8", "surrogateescape")]
    if isinstance(value, bool):
        return ["i", int(value)]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, float):
        return ["r", value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return ["b", bytes(value).hex()]
    return ["t", str(value)]


def error_of(exc):
    return {
        "code": getattr(exc, "sqlite_errorcode", None),
        "name": getattr(exc, "sqlite_errorname", None),
        "cls": type(exc).__name__,
        "msg": str(exc),
    }


def run(conn, sqlite3, sql, probe):
    answer = {"cols": None, "rows": [], "error": None, "changes": 0, "at": None}
    before = conn.total_changes
    cur = None
    try:
        cur = conn.execute(sql)
        if cur.description is not None:
            answer["cols"] = [d[0] for d in cur.description]
        while True:
            row = cur.fetchone()
            if row is None:
                break
            answer["rows"].append([cell(v) for v in row])
    except sqlite3.Error as exc:
        answer["error"] = error_of(exc)
        if cur is not None and cur.description is not None and answer["cols"] is None:
            answer["cols"] = [d[0] for d in cur.description]
        if probe:
            answer["at"] = "step" if cur is not None else classify(conn, sqlite3, sql)
    except Exception as exc:  # e.g. "You can only execute one statement at a time."
        answer["error"] = {"code": None, "name": None, "cls": type(exc).__name__, "msg": str(exc)}
    finally:
        if cur is not None:
            try:
                cur.close()
            except Exception:
                pass
    try:
        answer["changes"] = conn.total_changes - before
    except Exception as exc:
        answer["changes"] = None
    return answer


def classify(conn, sqlite3, sql):
    """Decide whether a failed statement failed to prepare or failed while stepping."""
    try:
        conn.execute("EXPLAIN " + sql).fetchall()
        return "step"
    except Exception:
        return "prepare"


def corrupt(answer):
    for row in answer["rows"]:
        for c in row:
            if c[0] == "i":
                c[1] += 1
                return


def main():
    # Answers go to a private copy of fd 1; fd 1 itself now points at stderr, so anything the
    # library under test prints cannot corrupt the protocol.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    db = sys.argv[1] if len(sys.argv) > 1 else ":memory:"
    try:
        import sqlite3
        conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        conn.text_factory = lambda raw: ("T", raw)
    except BaseException as exc:  # any failure to load the library is the answer
        out.write(json.dumps({"fatal": "%s: %s" % (type(exc).__name__, exc), "libs": mapped_libs()}) + "\n")
        out.flush()
        return 3
    out.write(json.dumps({"hello": True, "libs": mapped_libs(), "version": sqlite3.sqlite_version}) + "\n")
    out.flush()
    broken = os.environ.get("FERROLITE_HARNESS_BREAK") == "1"
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        sql = req["sql"]
        if isinstance(sql, list):  # several statements (split by the parent): run until an error
            answer = None
            changes = 0
            for one in sql:
                answer = run(conn, sqlite3, one, req.get("probe", False))
                changes += answer["changes"] or 0
                if answer["error"] is not None:
                    break
            answer["changes"] = changes
        else:
            answer = run(conn, sqlite3, sql, req.get("probe", False))
        if broken:
            corrupt(answer)
        out.write(json.dumps(answer) + "\n")
        out.flush()
    try:
        conn.close()
    except Exception:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
