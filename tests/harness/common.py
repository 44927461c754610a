"""Shared plumbing of the correctness harness: paths, the two sides, worker processes.

Owns: where things live (repo root, library under test, results dir), how a side is started
(real SQLite = plain python3; Ferrolite = python3 with LD_PRELOAD), and a Worker handle that
sends one request and waits for one answer with a timeout.

Invariants:
  1. The runners themselves never load the library under test: only child processes do, so a
     crash or hang in the engine costs one item, never the run (WorkerDied reports it).
  2. A test-side worker must prove the preload took effect: the library it maps must be the
     configured FERROLITE_LIB (realpath); otherwise the run stops, rather than measuring
     real SQLite twice and calling it Ferrolite.
"""
import json
import os
import queue
import signal
import subprocess
import sys
import threading

HARNESS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HARNESS))
PYTHON = sys.executable or "python3"
SYSTEM_LIB = "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0"


def lib_path():
    """The library under test: $FERROLITE_LIB or <repo>/build/libsqlite3.so.0, absolute."""
    path = os.environ.get("FERROLITE_LIB") or os.path.join(REPO, "build", "libsqlite3.so.0")
    return os.path.abspath(path)


def results_dir():
    path = os.environ.get("FERROLITE_HARNESS_RESULTS") or os.path.join(REPO, "build", "harness")
    os.makedirs(path, exist_ok=True)
    return path


def require_lib():
    lib = lib_path()
    if not os.path.exists(lib):
        sys.stderr.write("harness: library under test %s does not exist (build it, or set FERROLITE_LIB)\n" % lib)
        sys.exit(2)
    return lib


def side_env(side, broken=False):
    """Environment for a child process on `side` ('real' or 'test')."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env.pop("FERROLITE_HARNESS_BREAK", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if side == "test":
        env["LD_PRELOAD"] = lib_path()
        if broken:
            env["FERROLITE_HARNESS_BREAK"] = "1"
    return env


def broken_requested():
    """FERROLITE_HARNESS_BREAK=1 in the runner's environment corrupts the test side only."""
    return os.environ.get("FERROLITE_HARNESS_BREAK") == "1"


def describe_exit(code):
    if code is None:
        return "still running"
    if code < 0:
        try:
            return "killed by %s" % signal.Signals(-code).name
        except ValueError:
            return "killed by signal %d" % -code
    return "exited with status %d" % code


class WorkerDied(Exception):
    """The worker crashed, hung past its timeout or could not start; str() says which."""


class Worker:
    """One worker.py process on one side, on one database (default :memory:)."""

    def __init__(self, side, db=":memory:", broken=False, cwd=None, start_timeout=30):
        self.side = side
        self.proc = subprocess.Popen(
            [PYTHON, os.path.join(HARNESS, "worker.py"), db],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=side_env(side, broken), cwd=cwd, text=True, encoding="utf-8",
            errors="surrogateescape", bufsize=1)
        self.lines = queue.Queue()
        self.stderr_tail = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()
        hello = self._read(start_timeout)
        if "fatal" in hello:
            self.close()
            raise WorkerDied("%s side failed to start: %s" % (side, hello["fatal"]))
        self.libs = hello.get("libs", [])
        self.version = hello.get("version")
        if side == "test":
            want = os.path.realpath(lib_path())
            if not any(os.path.realpath(p) == want for p in self.libs):
                self.close()
                sys.stderr.write("harness: LD_PRELOAD of %s did not take effect (mapped: %s)\n"
                                 % (want, self.libs))
                sys.exit(2)

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _pump_err(self):
        for line in self.proc.stderr:
            self.stderr_tail.append(line)
            del self.stderr_tail[:-20]

    def _read(self, timeout):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise WorkerDied("%s side hung (no answer in %ss)" % (self.side, timeout))
        if line is None:
            try:
                code = self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            tail = "".join(self.stderr_tail[-3:]).strip()
            raise WorkerDied("%s side crashed (%s)%s" % (self.side, describe_exit(code),
                                                       (": " + tail[-300:]) if tail else ""))
        return json.loads(line)

    def execute(self, sql, timeout=30, probe=False):
        if self.proc.poll() is not None:
            raise WorkerDied("%s side is dead (%s)" % (self.side, describe_exit(self.proc.returncode)))
        try:
            self.proc.stdin.write(json.dumps({"sql": sql, "probe": probe}) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the read below reports the death with its cause
        return self._read(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()


class Items:
    """The outcome of a suite's items: each item runs a function that returns None (it passes)
    or why it fails; a worker that dies fails that item only. Printed one line each."""

    def __init__(self, width=42, shown=160):
        self.ran, self.passed, self.failures = [], set(), {}
        self.width, self.shown = width, shown

    def run(self, name, fn):
        self.ran.append(name)
        try:
            why = fn()
        except WorkerDied as exc:
            why = str(exc)
        if why is None:
            self.passed.add(name)
        else:
            self.failures[name] = why
        print("%-*s %s" % (self.width, name, "ok" if why is None else "FAILED: " + why[:self.shown]))
        sys.stdout.flush()


def split_statements(text):
    """Split SQL text into (line, statement) pairs with sqlite3.complete_statement (real SQLite).

    `line` is the 1-based line where the statement's first non-blank character is. Trailing text
    that never completes (no final semicolon) is returned as one last statement.
    """
    import sqlite3  # the runner process is plain python3: this is real SQLite
    out = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] == ";" and sqlite3.complete_statement(text[start:i + 1]):
            _add(out, text, start, i + 1)
            start = i + 1
        i += 1
    _add(out, text, start, n)
    return out


def _add(out, text, start, end):
    chunk = text[start:end]
    body = _strip_comments(chunk).strip()
    if not body or body == ";":
        return
    lead = len(chunk) - len(chunk.lstrip())
    # skip leading comment lines so the line number points at the SQL itself
    pos = start + lead
    while text.startswith("--", pos):
        nl = text.find("\n", pos)
        if nl < 0:
            break
        pos = nl + 1
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
    line = text.count("\n", 0, pos) + 1
    out.append((line, chunk.strip()))


def _strip_comments(sql):
    out = []
    i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch == "-" and sql.startswith("--", i):
            nl = sql.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if ch == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch in "'\"`[":
            close = "]" if ch == "[" else ch
            j = sql.find(close, i + 1)
            j = n if j < 0 else j + 1
            out.append(sql[i:j])
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)
