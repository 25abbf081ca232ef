// Drives the server with node-postgres (npm pg): connect, DDL, parameters (extended protocol), an error that keeps
// the connection, and a push query whose rows arrive as 'row' events while another client inserts.
// Unquoted names fold to upper case as in ksqlDB, so result columns are ID, LABEL (README.md, Names).
// Usage: node node_client.js PORT STREAM_NAME   (prints "ok" on success, exits non-zero otherwise)
'use strict';
const assert = require('node:assert/strict');
const { Client, Query } = require('pg');

const port = Number(process.argv[2]);
const name = process.argv[3];
const config = { host: '127.0.0.1', port, user: 'query', database: 'query' };

async function main() {
  const client = new Client(config);
  await client.connect();
  await client.query(`CREATE STREAM ${name} (id BIGINT, label STRING)`);
  await client.query(`INSERT INTO ${name} (id, label) VALUES ($1, $2), ($3, $4)`, [1, 'one', 2, "it's"]);
  const result = await client.query(`SELECT id, label FROM ${name} WHERE id >= $1 ORDER BY id`, [1]);
  assert.deepEqual(result.rows.map((r) => [String(r.id), r.label]), [['1', 'one'], ['2', "it's"]]);

  await assert.rejects(client.query('SELECT * FROM no_such_stream_node'), (e) => e.code === '42P01');
  assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);

  // A push query: rows stream as 'row' events; LIMIT 3 ends it after the replayed two and one new row.
  const seen = [];
  const push = client.query(new Query(`SELECT id FROM ${name} WHERE ROWOFFSET >= 0 EMIT CHANGES LIMIT 3`));
  const done = new Promise((resolve, reject) => {
    push.on('row', (row) => seen.push(String(row.id)));
    push.on('end', resolve);
    push.on('error', reject);
  });
  const writer = new Client(config);
  await writer.connect();
  while (seen.length < 2) await new Promise((r) => setTimeout(r, 20));
  await writer.query(`INSERT INTO ${name} (id, label) VALUES (3, 'three')`);
  await done;
  assert.deepEqual(seen, ['1', '2', '3']);
  await writer.end();
  await client.end();
  console.log('ok');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
