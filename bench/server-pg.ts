// Part of npm run bench:server (run through scripts/with-postgres.sh, which starts a scratch
// PostgreSQL and passes it in TEST_DATABASE_URL): visitors' messages stored per second on
// PostgreSQL with one server process and with three (LISTEN/NOTIFY between them, the load spread
// evenly as a load balancer would), 50 and 200 connections. Prints, writes
// bench-results/server-pg.json; never fails on a figure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { serve, stopAll, throughput, type Served, type Throughput } from './load.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
if (!process.env.TEST_DATABASE_URL) {
  console.log('bench:server on PostgreSQL skipped: no TEST_DATABASE_URL (run it through scripts/with-postgres.sh)');
  process.exit(0);
}

const runs: Throughput[] = [];
for (const processes of [1, 3]) {
  const served: Served[] = [];
  try {
    served.push(await serve());
    // The others join the first one's workspace (they migrate nothing: it is done).
    for (let i = 1; i < processes; i++) served.push(await serve({ BENCH_WORKSPACE: '0' }));
    for (const connections of [50, 200]) runs.push(await throughput(served.map((s) => s.base), served[0]!.publicKey!, connections, DURATION));
  } finally {
    await stopAll(served);
  }
}

console.log(`\nReference server on PostgreSQL (scratch cluster, fsync off), its processes; load from another, loopback, 2 cores`);
console.log('| processes | connections | messages stored per second | POST p50 / p99 | non-2xx / errors | target |\n| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const t of runs) {
  console.log(`| ${t.processes} | ${t.connections} | ${t.stored_per_second} | ${t.latency_p50_ms} ms / ${t.latency_p99_ms} ms | ${t.non_2xx} / ${t.errors} | ${t.processes === 3 && t.connections === 50 ? '≥3,000/s' : ''} |`);
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/server-pg.json', JSON.stringify({ throughput: runs }, null, 2));
process.exit(0);
