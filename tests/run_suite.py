#!/usr/bin/env python3
"""Runs one test suite's command, shows its output, and records its counts for the summary.

Usage: run_suite.py NAME -- COMMAND [ARG ...]

Counts are read from the command's output: cargo's `test result: ... N passed; M failed` lines
(summed), or a closing line `N passed, M failed[, K known]` (the project's own runners print
one). The record goes to build/results/NAME.txt as `passed failed known exit_code`, which
tests/summary.py prints as one table. The exit code is the command's.
"""
import os
import re
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, cmd = sys.argv[1], sys.argv[3:]
    print(f"==> {name}: {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace")
    passed = failed = known = 0
    cargo_seen = False
    plain = None
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        m = re.search(r"test result: \w+\. (\d+) passed; (\d+) failed", line)
        if m:
            cargo_seen = True
            passed += int(m.group(1))
            failed += int(m.group(2))
            continue
        m = re.match(r"^\s*(?:\w+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) known)?\s*$", line)
        if m:
            plain = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
    rc = proc.wait()
    if not cargo_seen and plain:
        passed, failed, known = plain
    if rc != 0 and failed == 0:
        failed = 1  # the command failed without saying how many: count the suite as one failure
    os.makedirs("build/results", exist_ok=True)
    with open(f"build/results/{name}.txt", "w") as f:
        f.write(f"{passed} {failed} {known} {rc}\n")
    return rc


if __name__ == "__main__":
    sys.exit(main())
