"""asyncpg against the server: named statements described before binding, binary parameters and results.

Usage: asyncpg_client.py PORT NAME PART, PART one of json_codec, arrays, upsert.
"""
import asyncio
import json
import sys

import asyncpg

port, name, part = sys.argv[1], sys.argv[2], sys.argv[3]


async def main():
    conn = await asyncpg.connect(host="127.0.0.1", port=int(port), user="query", database="query")
    try:
        await conn.execute(f"CREATE STREAM {name} (id BIGINT KEY, tags ARRAY<INT>, doc STRING, m MAP<STRING, INT>)")
        if part == "json_codec":
            # set_type_codec looks the type up in pg_type (by OID, a binary oid parameter).
            await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
            await conn.execute(f"INSERT INTO {name} (id, doc, m) VALUES ($1, $2, MAP('a' := 1))", 1, "d")
            row = await conn.fetchrow(f"SELECT id, m FROM {name} WHERE id = $1", 1)
            assert row["m"] == {"a": 1}, row
            assert list(row.keys()) == ["id", "m"], list(row.keys())
            count = await conn.fetchval(f"SELECT count(*) FROM {name}")
            assert count == 1, count
        elif part == "arrays":
            # int4[] is not one of asyncpg's built-in codecs: it introspects the type (WITH RECURSIVE over pg_type).
            await conn.execute(f"INSERT INTO {name} (id, tags) VALUES ($1, $2)", 2, [4, 5, 6])
            await conn.executemany(f"INSERT INTO {name} (id, tags) VALUES ($1, $2)", [(3, [7]), (4, [])])
            rows = await conn.fetch(f"SELECT id, tags FROM {name} ORDER BY id")
            assert [(r["id"], r["tags"]) for r in rows] == [(2, [4, 5, 6]), (3, [7]), (4, [])], rows
            ids = await conn.fetch(f"SELECT id FROM {name} WHERE id = ANY($1::int[]) ORDER BY id", [2, 4])
            assert [r["id"] for r in ids] == [2, 4], ids
        elif part == "upsert":
            # The reference capture: INSERT ... ON CONFLICT DO NOTHING, described first, parameters in binary.
            table = name + "_t"
            await conn.execute(f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, tags ARRAY<INT>, doc STRING)")
            sql = f"INSERT INTO {table} (id, tags, doc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            assert await conn.execute(sql, 102, [1], "a") == "INSERT 0 1"
            assert await conn.execute(sql, 102, [2], "b") == "INSERT 0 0"
            assert await conn.fetchval(f"SELECT doc FROM {table} WHERE id = $1", 102) == "a"
        else:
            raise SystemExit(f"unknown part {part}")
    finally:
        await conn.close()
    print("ok")


asyncio.run(main())
