"""psycopg 3 against the server: arrays as parameters and results, COPY in both directions, ANY(array).

Usage: psycopg3_client.py PORT NAME PART, PART one of arrays_copy, any, upsert.
"""
import sys

import psycopg

port, name, part = sys.argv[1], sys.argv[2], sys.argv[3]
with psycopg.connect(f"host=127.0.0.1 port={port} user=query dbname=query", autocommit=True) as conn:
    conn.execute(f"CREATE STREAM {name} (id BIGINT KEY, tags ARRAY<INT>, note STRING)")
    if part == "arrays_copy":
        # A list goes as an int2[] text parameter; results come back as lists, in text and in binary.
        conn.execute(f"INSERT INTO {name} (id, tags, note) VALUES (%s, %s, %s)", [1, [1, 2, 3], "one"])
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {name} (id, tags, note) VALUES (%s, %s, %s)",
                            [(2, [40000, None], "two"), (3, [], None)])
        rows = conn.execute(f"SELECT id, tags, note FROM {name} ORDER BY id").fetchall()
        assert rows == [(1, [1, 2, 3], "one"), (2, [40000, None], "two"), (3, [], None)], rows
        with conn.cursor(binary=True) as cur:
            assert cur.execute(f"SELECT tags FROM {name} WHERE id = %s", [1]).fetchone() == ([1, 2, 3],)
        with conn.cursor() as cur:
            with cur.copy(f"COPY {name} (id, tags, note) FROM STDIN") as copy:
                copy.write_row((4, [9], "four"))
                copy.write_row((5, None, "five"))
            copied = []
            with cur.copy(f"COPY (SELECT id, note FROM {name} WHERE id >= 4) TO STDOUT") as copy:
                copied = [tuple(row) for row in copy.rows()]
            assert sorted(copied) == [("4", "four"), ("5", "five")], copied
        assert conn.execute(f"SELECT count(*) FROM {name}").fetchone() == (5,)
    elif part == "upsert":
        # The reference capture's upsert: binary int2 parameters, an int2[] list, now() and ON CONFLICT on a table.
        table = name + "_t"
        conn.execute(f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, ts TIMESTAMP, user_id INT, tags ARRAY<INT>)")
        sql = f"INSERT INTO {table} (id, ts, user_id, tags) VALUES (%s, now(), %s, %s) ON CONFLICT (id) DO NOTHING"
        assert conn.execute(sql, [101, 7, [1, 2, 3]]).rowcount == 1
        assert conn.execute(sql, [101, 8, [4]]).rowcount == 0
        conn.execute(f"INSERT INTO {table} (id, user_id) VALUES (%s, %s) ON CONFLICT (id) "
                     f"DO UPDATE SET user_id = {table}.user_id + excluded.user_id", [101, 5])
        assert conn.execute(f"SELECT user_id, tags FROM {table}").fetchall() == [(12, [1, 2, 3])]
        try:
            conn.execute(f"INSERT INTO {name} (id, note) VALUES (%s, %s) ON CONFLICT DO NOTHING", [1, "x"])
            raise SystemExit("ON CONFLICT on a stream was accepted")
        except psycopg.errors.FeatureNotSupported as e:
            assert "append-only" in str(e), e
    elif part == "any":
        conn.execute(f"INSERT INTO {name} (id, tags, note) VALUES (%s, %s, %s)", [1, [1, 2, 3], "one"])
        rows = conn.execute(f"SELECT id FROM {name} WHERE id = ANY(%s) AND %s = ANY(tags)", [[1, 9], 2]).fetchall()
        assert rows == [(1,)], rows
    else:
        raise SystemExit(f"unknown part {part}")
print("ok")
