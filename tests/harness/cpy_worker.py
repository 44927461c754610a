"""Runs CPython's test_sqlite3 tests by id, reporting each as a JSON line (start, then end).

Started by cpython.py, under LD_PRELOAD for the side under test. argv: test ids (or module
names). Output lines: {"start": id} before a test runs, {"end": id, "outcome": ..., "detail":
...} after, outcome one of ok, fail, error, skip, xfail, xpass; then {"done": true}. Because
every line is flushed, a parent that sees a start without its end knows which test crashed.
"""
import json
import sys
import traceback
import unittest


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class LineResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcome = {}

    def startTest(self, test):
        super().startTest(test)
        self.outcome[test.id()] = ("ok", "")
        emit({"start": test.id()})

    def _set(self, test, outcome, err=None, detail=""):
        if err is not None:
            lines = traceback.format_exception_only(err[0], err[1])
            detail = " ".join("".join(lines).split())[:300]
        prev = self.outcome.get(test.id(), ("ok", ""))
        if prev[0] in ("fail", "error"):
            return  # keep the first failure
        self.outcome[test.id()] = (outcome, detail)

    def addError(self, test, err):
        super().addError(test, err)
        self._set(test, "error", err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, "fail", err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._set(test, "skip", detail=str(reason)[:200])

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set(test, "xfail")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set(test, "xpass")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._set(test, "fail" if issubclass(err[0], test.failureException) else "error", err)

    def stopTest(self, test):
        super().stopTest(test)
        outcome, detail = self.outcome.get(test.id(), ("ok", ""))
        emit({"end": test.id(), "outcome": outcome, "detail": detail})


def main():
    names = sys.argv[1:]
    try:
        suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    except BaseException as exc:
        emit({"fatal": "loading tests failed: %s: %s" % (type(exc).__name__, exc)})
        return 3
    result = LineResult()
    # setUpModule/setUpClass errors surface as _ErrorHolder "tests": reported via addError.
    suite.run(result)
    for holder, err in result.errors:
        if not hasattr(holder, "_testMethodName"):
            emit({"fixture_error": str(holder), "detail": " ".join(err.split())[-300:]})
    emit({"done": True})
    return 0


if __name__ == "__main__":
    sys.exit(main())
