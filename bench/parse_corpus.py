#!/usr/bin/env python3
"""Writes the parser benchmark's input: the schema (first argument) and COUNT NUL-separated
statements from the SQL front end's grammar-driven generator (engine/tests/sql_differential.py),
with a fixed seed so every run parses the same text.

Usage: parse_corpus.py SCHEMA_OUT STMTS_OUT [COUNT]
"""
import os
import random
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "tests"))
import sql_differential as gen  # noqa: E402

random.seed(7)
count = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
with open(sys.argv[1], "wb") as f:
    f.write(gen.SCHEMA)
with open(sys.argv[2], "wb") as f:
    f.write("\0".join(gen.stmt() for _ in range(count)).encode())
