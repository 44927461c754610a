#!/usr/bin/env python3
"""A realistic application workload through Python's sqlite3 module (issue 6's acceptance
script). It prints every result it sees, one line each, so that two runs — one on real SQLite,
one on Ferrolite under LD_PRELOAD — can be compared line by line (check_realistic.py).

Usage: realistic.py DBFILE [ROWS]
"""
import random
import sqlite3
import sys


def show(tag, rows):
    for r in rows:
        print(tag, repr(tuple(r)))


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    rnd = random.Random(42)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, "
                "joined REAL)")
    con.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
                "amount REAL, status TEXT, note BLOB)")
    con.execute("CREATE INDEX orders_customer ON orders(customer_id)")
    con.execute("CREATE INDEX orders_status_amount ON orders(status, amount)")
    con.execute("CREATE UNIQUE INDEX customer_name ON customer(name)")
    cities = ["Oslo", "Lima", "Pune", "Kyiv", "Nice", None]
    with con:
        con.executemany("INSERT INTO customer(name, city, joined) VALUES(?, ?, ?)",
                        [(f"c{i:05d}", cities[i % 6], 2000 + i / 7) for i in range(1000)])
        con.executemany("INSERT INTO orders(customer_id, amount, status, note) VALUES(?, ?, ?, ?)",
                        [(rnd.randrange(1, 1001), round(rnd.uniform(1, 500), 2),
                          rnd.choice(["new", "paid", "shipped", "void"]),
                          None if i % 3 else bytes([i % 256]) * (i % 7))
                         for i in range(n)])
    show("count", con.execute("SELECT count(*), sum(amount), min(amount), max(amount) FROM orders"))
    show("where", con.execute("SELECT id, customer_id, amount FROM orders WHERE customer_id = 17 "
                              "ORDER BY id"))
    show("range", con.execute("SELECT id, amount FROM orders WHERE status = 'paid' AND amount > 490 "
                              "ORDER BY amount DESC, id LIMIT 20"))
    show("group", con.execute("SELECT status, count(*), round(avg(amount), 4) FROM orders "
                              "GROUP BY status ORDER BY status"))
    show("having", con.execute("SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id "
                               "HAVING n > 130 ORDER BY n DESC, customer_id"))
    show("join", con.execute("SELECT c.city, count(o.id), round(sum(o.amount), 2) FROM customer c "
                             "JOIN orders o ON o.customer_id = c.id GROUP BY c.city ORDER BY c.city"))
    show("sub", con.execute("SELECT name FROM customer WHERE id IN (SELECT customer_id FROM orders "
                            "WHERE amount > 499.5) ORDER BY name LIMIT 10"))
    show("types", con.execute("SELECT typeof(note), count(*) FROM orders GROUP BY 1 ORDER BY 1"))
    with con:
        cur = con.execute("UPDATE orders SET status = 'archived' WHERE status = 'void' AND amount < 100")
        print("updated", cur.rowcount)
        cur = con.execute("DELETE FROM orders WHERE status = 'archived' AND customer_id % 2 = 0")
        print("deleted", cur.rowcount)
    try:
        con.execute("INSERT INTO customer(name) VALUES('c00001')")
    except sqlite3.IntegrityError as e:
        print("error", type(e).__name__, e)
    con.close()
    con = sqlite3.connect(path)
    show("reopen", con.execute("SELECT status, count(*) FROM orders GROUP BY status ORDER BY status"))
    show("last", con.execute("SELECT * FROM orders ORDER BY id DESC LIMIT 3"))
    show("check", con.execute("PRAGMA integrity_check"))
    con.close()


if __name__ == "__main__":
    main()
