// npm run bench:server: the reference server on PGlite, measured on loopback (prints, never fails on a figure).
// 1. messages stored per second and p50/p99 latency with 50 concurrent visitors (autocannon);
// 2. the time from an operator's reply to its arrival on the visitor's stream, 100 streams open.
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { call, openSse, startServer, visitor } from '../test/server/helpers.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const server = await startServer({ messagesPerMinute: 1_000_000, sessionsPerMinute: 1_000_000, logger: false });
const ws = await server.workspace();

// -- 1. message throughput --
const visitors = await Promise.all(Array.from({ length: 50 }, () => visitor(server.base, ws.publicKey)));
let n = 0;
const result = await autocannon({
  url: `${server.base}/api/widget/messages`,
  connections: 50,
  duration: DURATION,
  requests: [
    {
      method: 'POST',
      setupRequest: (req: any) => {
        const v = visitors[n % visitors.length]!;
        n++;
        return {
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${v.session.token}` },
          body: JSON.stringify({ client_id: `bench-${n}-${Date.now()}`, content: `message ${n}` }),
        };
      },
    },
  ],
});
const stored = (await server.db.query('select count(*)::int as n from messages where workspace_id = $1', [ws.workspaceId]))[0]!.n;
const throughput = {
  requests_per_second: Math.round(result.requests.average),
  stored_per_second: Math.round(stored / DURATION),
  latency_p50_ms: result.latency.p50,
  latency_p99_ms: result.latency.p99,
  non_2xx: result.non2xx,
  errors: result.errors,
};

// -- 2. reply fan-out to 100 open streams --
const streams = [];
for (let i = 0; i < 100; i++) {
  const v = await visitor(server.base, ws.publicKey);
  await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: `fan-${i}-${Date.now()}`, content: `hello ${i}` } });
  const conv = (await server.db.query('select id from conversations where session_id = $1', [v.session.id]))[0]!.id as string;
  const stream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
  await stream.next('ready');
  streams.push({ conv, stream });
}
const delays: number[] = [];
await Promise.all(
  streams.map(async ({ conv, stream }, i) => {
    const start = performance.now();
    const arrived = stream.next('message', 20_000);
    await call(server.base, 'POST', `/api/agent/conversations/${conv}/messages`, { token: ws.operatorKey, body: { content: `reply ${i}` } });
    await arrived;
    delays.push(performance.now() - start);
  }),
);
streams.forEach(({ stream }) => stream.close());
delays.sort((a, b) => a - b);
const pct = (p: number) => Math.round(delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))]! * 10) / 10;
const fanout = { streams: streams.length, reply_to_stream_p50_ms: pct(50), reply_to_stream_p99_ms: pct(99), max_ms: pct(100) };

console.log('\nReference server on PGlite (in memory), loopback, 2 cores');
console.log('| figure | value |\n| --- | ---: |');
console.log(`| messages stored per second (50 visitors, ${DURATION} s) | ${throughput.stored_per_second} |`);
console.log(`| POST /api/widget/messages p50 / p99 | ${throughput.latency_p50_ms} ms / ${throughput.latency_p99_ms} ms |`);
console.log(`| non-2xx / errors | ${throughput.non_2xx} / ${throughput.errors} |`);
console.log(`| operator reply to visitor stream, 100 streams, p50 / p99 | ${fanout.reply_to_stream_p50_ms} ms / ${fanout.reply_to_stream_p99_ms} ms |`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/server.json', JSON.stringify({ throughput, fanout }, null, 2));
await server.close();
process.exit(0);
