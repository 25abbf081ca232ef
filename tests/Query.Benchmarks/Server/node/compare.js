// Times the common operations of issue 14 against our server and PostgreSQL 15 in the same run, through
// node-postgres over TCP, on the `events` rows run-pg-compare.sh loaded into both (our stream EVENTS with
// 4 partitions and TIMESTAMP = 'ts'; PostgreSQL's table events with a btree index on ts). Each figure is the
// median of 7 runs after at least 2 warm-ups and 3 s (a run of SELECT 1 is 2,000 calls, of a range 50); the
// answers of both servers are compared and any difference fails the run.
// Usage: node compare.js OUR_PORT PG_PORT   (prints one JSON object per operation; COMPARE_ONLY=text runs only the
// operations whose name contains text)
'use strict';
const { Client } = require('pg');

const [ourPort, pgPort] = process.argv.slice(2, 4).map(Number);
const ours = { name: 'ours', config: { host: '127.0.0.1', port: ourPort, user: 'query', database: 'query' } };
const pg = { name: 'pg', config: { host: '127.0.0.1', port: pgPort, user: 'postgres', database: 'postgres' } };
const WARMUPS = 2;
const RUNS = 7;

const now = () => Number(process.hrtime.bigint()) / 1e6;   // ms

// Server CPU per call (COMPARE_OUR_PID / COMPARE_PG_PID, set by run-pg-compare.sh): the process's user + system
// time with its reaped children's (PostgreSQL's backends and parallel workers exit when their client disconnects,
// and the postmaster reaps them), over every call of an operation, warm-ups included, divided by the calls.
const fs = require('fs');
let calls = 0;
function cpuTicks(target) {
  const pid = process.env[target === ours ? 'COMPARE_OUR_PID' : 'COMPARE_PG_PID'];
  if (!pid)
    return null;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');   // fields[0] is the state (field 3)
  return fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);   // utime stime cutime cstime
}
const TICK_US = 1e6 / Number(process.env.COMPARE_CLK_TCK || 100);
async function withCpu(target, run) {
  const before = cpuTicks(target);
  calls = 0;
  const result = await run(target);
  await new Promise((resolve) => setTimeout(resolve, 300));   // the backend exits and is reaped
  const after = cpuTicks(target);
  return { ...result, cpuUs: before === null || calls === 0 ? null : ((after - before) * TICK_US) / calls };
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const first = (result) => String(Object.values(result.rows[0])[0]);

async function connect(target) {
  const client = new Client(target.config);
  await client.connect();
  return client;
}

// Runs fn (which returns its answer) WARMUPS + RUNS times, each run `perRun` calls; returns the median ms per
// call and the last answer. Warm-up goes on for at least WARMUP_MS, so both servers' caches (and our JIT's
// second tier) are warm before the clock counts, also for operations of well under a millisecond. 3 s: a fresh
// server's first 6-9 filter scans run the JIT's instrumented tier (dynamic PGO) at 4-5x the steady time, which
// 1 s of warm-up left half done, so that run's median swung between the two (0.93-4.06x PostgreSQL).
const WARMUP_MS = 3000;
async function timed(fn, perRun = 1) {
  const times = [];
  let answer;
  const warmUntil = now() + WARMUP_MS;
  for (let i = 0; i < WARMUPS || now() < warmUntil; i++) {
    answer = await fn();
    calls++;
  }
  for (let i = 0; i < RUNS; i++) {
    const start = now();
    for (let j = 0; j < perRun; j++)
      answer = await fn();
    calls += perRun;
    times.push((now() - start) / perRun);
  }
  return { ms: median(times), answer };
}

// ISO text of the ts that bench-data.md's generator gives the row at this fraction of the day it spans.
function tsAt(fraction) {
  return new Date(Date.UTC(2024, 0, 1) + Math.round(86_400_000 * fraction)).toISOString().replace('Z', '');
}

async function selectOne(target) {
  const client = await connect(target);
  const perRun = 2000;
  const result = await timed(async () => {
    await client.query('SELECT 1');
    return 'ok';
  }, perRun);
  await client.end();
  return { value: result.ms * 1000, unit: 'us', answer: result.answer };
}

async function rangeCount(target, fromFraction) {
  const client = await connect(target);
  const from = tsAt(fromFraction);
  const to = tsAt(fromFraction + 0.001);
  const sql = target === ours
    ? `SELECT COUNT(*) FROM events WHERE ROWTIME >= '${from}' AND ROWTIME < '${to}'`
    : `SELECT count(*) FROM events WHERE ts >= '${from}' AND ts < '${to}'`;
  const result = await timed(async () => first(await client.query(sql)), 50);
  await client.end();
  return { value: result.ms, unit: 'ms', answer: result.answer };
}

// Groups returned, rows they count, and the sum of amounts to the cent (both servers add doubles in their own order).
function groupsAnswer(result) {
  let rows = 0;
  let total = 0;
  for (const row of result.rows) {
    const [, n, amount] = Object.values(row);   // by position: the servers fold unquoted names differently
    rows += Number(n);
    total += Number(amount);
  }
  return `${result.rows.length} groups, ${rows} rows, amount ${total.toFixed(2)}`;
}

async function query(target, sql, answerOf) {
  const client = await connect(target);
  const result = await timed(async () => answerOf(await client.query(sql)));
  await client.end();
  return { value: result.ms, unit: 'ms', answer: result.answer };
}

// 16 connections each inserting one row at a time with parameters (extended protocol), for `seconds`;
// durable on both (our streams default to DURABILITY SYNC; PostgreSQL's synchronous_commit is on).
async function concurrentInserts(target, seconds, table = 'inserts') {
  const setup = await connect(target);
  await setup.query(target === ours
    ? `CREATE STREAM ${table} (ts TIMESTAMP, user_id INT KEY, page STRING, amount DOUBLE)
       WITH (PARTITIONS = 4, TIMESTAMP = 'ts')`
    : `CREATE TABLE ${table} (ts timestamp, user_id int, page text, amount float8)`);
  const clients = [];
  for (let i = 0; i < 16; i++)
    clients.push(await connect(target));
  const sql = `INSERT INTO ${table} (ts, user_id, page, amount) VALUES ($1, $2, $3, $4)`;
  let acknowledged = 0;
  let stop = false;
  const worker = async (client, id) => {
    let n = 0;
    while (!stop) {
      await client.query(sql, ['2024-01-02 00:00:00.000', id * 1_000_000 + n, '/shop/x', n / 100]);
      n++;
      acknowledged++;
      calls++;
    }
  };
  const warm = clients.map((c, i) => worker(c, i));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  stop = true;
  await Promise.all(warm);
  stop = false;
  const before = acknowledged;
  const start = now();
  const cpuBefore = process.cpuUsage();
  const measured = clients.map((c, i) => worker(c, i + 16));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  stop = true;
  await Promise.all(measured);
  const elapsed = now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const rate = ((acknowledged - before) * 1000) / elapsed;
  // The client's own CPU per acknowledged INSERT (node-postgres and node, both modes): with the server on the same
  // two cores, it bounds what any server can reach here.
  const clientCpuUs = (cpu.user + cpu.system) / (acknowledged - before);
  const stored = first(await setup.query(`SELECT COUNT(*) FROM ${table}`));
  for (const c of clients)
    await c.end();
  await setup.end();
  if (stored !== String(acknowledged))
    throw new Error(`${target.name}: ${acknowledged} inserts acknowledged but ${stored} stored`);
  return { value: rate, unit: 'rows/s', answer: 'all acknowledged rows stored', rows: acknowledged, clientCpuUs };
}

async function main() {
  const operations = [
    ['SELECT 1 round trip, simple query, one connection', (t) => selectOne(t)],
    ['count over a 0.1% ROWTIME range at 5% of the data', (t) => rangeCount(t, 0.05)],
    ['count over a 0.1% ROWTIME range at 50% of the data', (t) => rangeCount(t, 0.5)],
    ['count over a 0.1% ROWTIME range at 95% of the data', (t) => rangeCount(t, 0.95)],
    ["filter scan amount > 990 AND page LIKE '%-7/%'", (t) => query(t,
      "SELECT user_id, amount FROM events WHERE amount > 990 AND page LIKE '%-7/%'",
      (r) => String(r.rows.length))],
    ['top 10 by amount for one user', (t) => query(t,
      'SELECT amount FROM events WHERE user_id = 4242 ORDER BY amount DESC LIMIT 10',
      (r) => r.rows.map((row) => Object.values(row)[0]).join(','))],
    ['16 connections, single-row parameterized INSERT, durable', (t) => concurrentInserts(t, 5)],
    ['GROUP BY user_id % 100000 (100 k groups): COUNT, SUM, all groups returned', (t) => query(t,
      'SELECT user_id % 100000 AS u, COUNT(*) AS n, SUM(amount) AS total FROM events GROUP BY user_id % 100000',
      groupsAnswer)],
  ].filter(([name]) => !process.env.COMPARE_ONLY || name.includes(process.env.COMPARE_ONLY));
  let failed = false;
  for (const [name, run] of operations) {
    const a = await withCpu(ours, run);
    const b = await withCpu(pg, run);
    if (a.answer !== b.answer) {
      failed = true;
      console.error(`different answers for "${name}": ours ${a.answer}, PostgreSQL ${b.answer}`);
    }
    const ratio = a.unit === 'rows/s' ? a.value / b.value : b.value / a.value;
    console.log(JSON.stringify({ name, unit: a.unit, ours: a.value, pg: b.value, ratio, answer: a.answer,
      oursCpuUs: a.cpuUs, pgCpuUs: b.cpuUs }));
  }
  process.exit(failed ? 1 : 0);
}

module.exports = { ours, pg, concurrentInserts };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
