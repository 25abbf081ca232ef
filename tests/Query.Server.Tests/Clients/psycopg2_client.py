"""Drives the server with psycopg2: connect, DDL, parameters, a query, an error that keeps the connection."""
import sys

import psycopg2

port = int(sys.argv[1])
name = sys.argv[2]
conn = psycopg2.connect(host="127.0.0.1", port=port, user="query", dbname="query")
conn.autocommit = True
cur = conn.cursor()
cur.execute(f"CREATE STREAM {name} (id BIGINT, label STRING)")
cur.execute(f"INSERT INTO {name} (id, label) VALUES (%s, %s), (%s, %s)", (1, "one", 2, "it's"))
cur.execute(f"SELECT id, label FROM {name} WHERE id >= %s ORDER BY id", (1,))
rows = cur.fetchall()
assert rows == [(1, "one"), (2, "it's")], rows
try:
    cur.execute("SELECT * FROM no_such_stream_py")
    raise AssertionError("expected an error")
except psycopg2.Error as e:
    assert e.pgcode == "42P01", e.pgcode
cur.execute("SELECT 1")
assert cur.fetchone() == (1,)
print("ok")
