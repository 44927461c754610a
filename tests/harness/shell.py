#!/usr/bin/env python3
"""sqlite3 shell transcripts: /usr/bin/sqlite3 on the library under test, output compared.

Owns: suite "shell" and the transcript files tests/shell/*.txt. A transcript is sections:

    # one line (or more) saying what the transcript checks
    --- args          (optional) shell arguments, shlex-split; default ":memory:"
    --- input         text fed to the shell's stdin
    --- stdout        expected standard output   } written by --update-expected from the
    --- stderr        expected standard error    } real shell (no LD_PRELOAD): expected
    --- status        expected exit status       } output is never typed by hand

Each transcript runs in a fresh temporary directory (HOME too, so no ~/.sqliterc), with
LD_PRELOAD for the side under test. Item name: the transcript's path relative to the repo.
A transcript whose expected sections no longer match the real shell is reported as stale
(the oracle changed, regenerate with --update-expected); that does not fail the run.
"""
import argparse
import glob
import os
import shlex
import subprocess
import sys
import tempfile

from common import REPO, broken_requested, require_lib, side_env
import ratchet

SHELL = os.environ.get("FERROLITE_SHELL", "/usr/bin/sqlite3")
SECTIONS = ("args", "input", "stdout", "stderr", "status")


def parse(path):
    head, sections, cur = [], {}, None
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            if line.startswith("--- ") and line[4:].strip() in SECTIONS:
                cur = line[4:].strip()
                sections[cur] = []
                continue
            (sections[cur] if cur else head).append(line)
    return "".join(head), {k: "".join(v) for k, v in sections.items()}


def write(path, head, sections):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(head)
        for name in SECTIONS:
            if name in sections:
                text = sections[name]
                f.write("--- %s\n%s" % (name, text))
                if text and not text.endswith("\n"):
                    f.write("\n")


def run(sections, side, timeout):
    args = shlex.split(sections.get("args", "").strip() or ":memory:")
    with tempfile.TemporaryDirectory(prefix="ferrolite-shell-") as tmp:
        env = side_env(side, broken_requested())
        env["HOME"] = tmp
        try:
            p = subprocess.run([SHELL] + args, input=sections.get("input", "").encode(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp, env=env,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return {"stdout": p.stdout.decode("utf-8", "replace"), "stderr": p.stderr.decode("utf-8", "replace"),
                "status": "%d\n" % p.returncode}


def normal(text):
    return text if text.endswith("\n") or not text else text + "\n"


def differs(expected, got):
    out = []
    for name in ("stdout", "stderr", "status"):
        if normal(expected.get(name, "")) != normal(got[name]):
            out.append(name)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--update-expected", action="store_true",
                    help="rewrite the expected sections from the real shell")
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args(argv)
    if not os.path.exists(SHELL):
        print("[shell] %s is absent: suite skipped" % SHELL)
        return 0
    files = args.files or sorted(glob.glob(os.path.join(REPO, "tests", "shell", "*.txt")))
    if args.update_expected:
        for path in files:
            head, sections = parse(path)
            got = run(sections, "real", args.timeout)
            sections.update(got)
            write(path, head, sections)
            print("updated %s" % os.path.relpath(path, REPO))
        return 0
    require_lib()
    ran, passed, failures = [], set(), {}
    for path in files:
        name = os.path.relpath(path, REPO)
        head, sections = parse(path)
        ran.append(name)
        real = run(sections, "real", args.timeout)
        if real is None or differs(sections, real):
            print("[shell] warning: %s is stale: the real shell no longer prints the expected "
                  "output (run tests/harness/shell.py --update-expected)" % name)
        got = run(sections, "test", args.timeout)
        if got is None:
            failures[name] = "timeout after %ss" % args.timeout
        else:
            bad = differs(sections, got)
            if not bad:
                passed.add(name)
            else:
                detail = []
                for sec in bad:
                    detail.append("%s: expected %r got %r" % (sec, sections.get(sec, "")[:200], got[sec][:200]))
                failures[name] = "; ".join(detail)
        print("%-45s %s" % (name, "ok" if name in passed else "FAILED (%s)" % failures[name][:150]))
    return ratchet.finish("shell", ran, passed, failures, update=args.update_baseline)


if __name__ == "__main__":
    sys.exit(main())
