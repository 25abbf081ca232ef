// node-postgres (npm pg) and postgres.js (npm postgres): arrays as parameters and results, postgres.js' insert
// helpers (sql(obj) quotes the column names: "id", so they must match the lower-case names), row.count.
// Usage: node arrays_client.js PORT NAME PART, PART one of pg_arrays, pg_any, postgres_insert, postgres_any
// (prints "ok" on success, exits non-zero otherwise).
'use strict';
const assert = require('node:assert/strict');
const { Client } = require('pg');
// postgres.js is an ES module; require() gives its namespace, whose default export is the factory.
const postgresModule = require('postgres');
const postgres = postgresModule.default ?? postgresModule;

const [port, name, part] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const config = { host: '127.0.0.1', port, user: 'query', database: 'query' };

async function withPg(body) {
  const client = new Client(config);
  await client.connect();
  try {
    await client.query(`CREATE STREAM ${name} (id BIGINT KEY, user_id INT, tags ARRAY<INT>, note STRING)`);
    await body(client);
  } finally {
    await client.end();
  }
}

async function withPostgresJs(body) {
  const sql = postgres({ ...config, username: 'query', max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`CREATE STREAM ${name} (id BIGINT KEY, user_id INT, tags ARRAY<INT>, note STRING)`);
    await body(sql);
  } finally {
    await sql.end();
  }
}

const parts = {
  pg_arrays: () => withPg(async (client) => {
    // A JS array goes as the text literal {"7","8"}; the column's type gives the parameter's.
    await client.query(`INSERT INTO ${name} (id, user_id, tags) VALUES ($1, $2, $3)`, [1, 7, [7, 8]]);
    await client.query(`INSERT INTO ${name} (id, user_id, tags) VALUES ($1, $2, $3)`, [2, 9, []]);
    const rows = await client.query(`SELECT id, tags FROM ${name} ORDER BY id`);
    assert.deepEqual(rows.rows.map((r) => [String(r.id), r.tags]), [['1', [7, 8]], ['2', []]]);
    const count = await client.query(`SELECT count(*) FROM ${name}`);
    assert.equal(count.rows[0].count, '2');
  }),
  pg_any: () => withPg(async (client) => {
    await client.query(`INSERT INTO ${name} (id, user_id) VALUES (1, 7), (2, 8), (3, 9)`);
    const rows = await client.query(`SELECT id FROM ${name} WHERE user_id = ANY($1) ORDER BY id`, [[7, 8]]);
    assert.deepEqual(rows.rows.map((r) => String(r.id)), ['1', '2']);
  }),
  postgres_insert: () => withPostgresJs(async (sql) => {
    await sql`INSERT INTO ${sql(name)} ${sql({ id: 1, user_id: 7, tags: [1, 2], note: 'one' })}`;
    const pair = [{ id: 2, user_id: 8 }, { id: 3, user_id: 9 }];
    await sql`INSERT INTO ${sql(name)} ${sql(pair, 'id', 'user_id')}`;
    const rows = await sql`SELECT id, user_id, tags FROM ${sql(name)} ORDER BY id`;
    assert.deepEqual(rows.map((r) => [String(r.id), r.user_id, r.tags]),
      [['1', 7, [1, 2]], ['2', 8, null], ['3', 9, null]]);
    const [{ count }] = await sql`SELECT count(*) FROM ${sql(name)}`;
    assert.equal(String(count), '3');
  }),
  postgres_any: () => withPostgresJs(async (sql) => {
    await sql.unsafe(`INSERT INTO ${name} (id, user_id) VALUES (1, 7), (2, 8), (3, 9)`);
    const rows = await sql`SELECT id FROM ${sql(name)} WHERE user_id = ANY(${[7, 9]}) ORDER BY id`;
    assert.deepEqual(rows.map((r) => String(r.id)), ['1', '3']);
  }),
};

parts[part]().then(() => console.log('ok'), (e) => {
  console.error(e);
  process.exit(1);
});
