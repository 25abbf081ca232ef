// The 16-connection durable INSERT step of compare.js against one server (INSERT_TARGET=ours|pg), into a new table
// each call (INSERT_TABLE, default inserts_<pid>); prints "rows/s acknowledged_rows client_cpu_us_per_row" (the rows
// include the warm-up; the client's CPU is node's own over the measured seconds only).
// Usage: INSERT_TARGET=ours node insert.js OUR_PORT PG_PORT   (run-insert-compare.sh runs it)
'use strict';
const { ours, pg, concurrentInserts } = require('./compare.js');

const target = process.env.INSERT_TARGET === 'pg' ? pg : ours;
const seconds = Number(process.env.INSERT_SECONDS || 5);
concurrentInserts(target, seconds, process.env.INSERT_TABLE || `inserts_${process.pid}`)
  .then((r) => console.log(`${r.value.toFixed(0)} ${r.rows} ${r.clientCpuUs.toFixed(0)}`))
  .catch((e) => {
    console.error(e);
    process.exit(2);
  });
