// npm run bench:server: the reference server on PGlite, measured on loopback from
// another process (prints, never fails on a figure):
// 1. messages stored per second and p50/p99 latency with 50 concurrent visitors (autocannon);
// 2. one operator reply reaching 100 open streams of one visitor (100 tabs), 30 replies;
// 3. 100 visitors with a stream each, 100 replies at once, one to each.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { call, openSse, visitor } from '../test/server/helpers.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
const info: { base: string; publicKey: string; operatorKey: string } = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('the server did not start within 60 s')), 60_000);
  createInterface({ input: child.stdout! }).once('line', (line) => {
    clearTimeout(timer);
    resolve(JSON.parse(line));
  });
});
const { base, publicKey, operatorKey } = info;
const reply = (conversationId: string, content: string) =>
  call(base, 'POST', `/api/agent/conversations/${conversationId}/messages`, { token: operatorKey, body: { content } });
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

try {
  // -- 1. message throughput --
  const visitors = await Promise.all(Array.from({ length: 50 }, () => visitor(base, publicKey)));
  let n = 0;
  const result = await autocannon({
    url: `${base}/api/widget/messages`,
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
  const stored = result['2xx'];
  const throughput = {
    stored_per_second: Math.round(stored / DURATION),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
  };

  // -- 2. one reply, 100 streams (one visitor's 100 tabs) --
  const tabs = await visitor(base, publicKey);
  await call(base, 'POST', '/api/widget/messages', { token: tabs.session.token, body: { client_id: `tabs-${Date.now()}`, content: 'hello from 100 tabs' } });
  const conversations = (await call(base, 'GET', '/api/agent/conversations?limit=500', { token: operatorKey })).body.conversations as { id: string; last_message: { content: string } }[];
  const tabsConversation = conversations.find((c) => c.last_message?.content === 'hello from 100 tabs')!.id;
  const streams = await Promise.all(Array.from({ length: 100 }, () => openSse(`${base}/api/widget/stream`, { authorization: `Bearer ${tabs.session.token}` })));
  await Promise.all(streams.map((s) => s.next('ready')));
  const broadcast: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    const arrivals = streams.map((s) => s.next('message', 20_000).then(() => broadcast.push(performance.now() - start)));
    await reply(tabsConversation, `broadcast ${i}`);
    await Promise.all(arrivals);
  }
  streams.forEach((s) => s.close());

  // -- 3. 100 visitors, 100 replies at once --
  const pairs = [];
  for (let i = 0; i < 100; i++) {
    const v = await visitor(base, publicKey);
    await call(base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: `fan-${i}-${Date.now()}`, content: `fan ${i}` } });
    pairs.push({ v, text: `fan ${i}` });
  }
  const list = (await call(base, 'GET', '/api/agent/conversations?limit=500', { token: operatorKey })).body.conversations as { id: string; last_message: { content: string } }[];
  const fanStreams = await Promise.all(
    pairs.map(async ({ v, text }) => {
      const stream = await openSse(`${base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
      await stream.next('ready');
      return { stream, conversation: list.find((c) => c.last_message?.content === text)!.id };
    }),
  );
  const concurrent: number[] = [];
  await Promise.all(
    fanStreams.map(async ({ stream, conversation }, i) => {
      const start = performance.now();
      const arrived = stream.next('message', 20_000);
      await reply(conversation, `reply ${i}`);
      await arrived;
      concurrent.push(performance.now() - start);
    }),
  );
  fanStreams.forEach(({ stream }) => stream.close());

  const fanout = {
    one_reply_100_streams_p50_ms: percentile(broadcast, 50),
    one_reply_100_streams_p99_ms: percentile(broadcast, 99),
    concurrent_100_replies_p50_ms: percentile(concurrent, 50),
    concurrent_100_replies_p99_ms: percentile(concurrent, 99),
  };
  console.log('\nReference server on PGlite (in memory), its own process; load from another, loopback, 2 cores');
  console.log('| figure | value |\n| --- | ---: |');
  console.log(`| messages stored per second (50 visitors, ${DURATION} s) | ${throughput.stored_per_second} |`);
  console.log(`| POST /api/widget/messages p50 / p99 | ${throughput.latency_p50_ms} ms / ${throughput.latency_p99_ms} ms |`);
  console.log(`| non-2xx / errors | ${throughput.non_2xx} / ${throughput.errors} |`);
  console.log(`| one operator reply reaching 100 open streams, p50 / p99 (30 replies) | ${fanout.one_reply_100_streams_p50_ms} ms / ${fanout.one_reply_100_streams_p99_ms} ms |`);
  console.log(`| 100 replies at once to 100 visitors' streams, p50 / p99 | ${fanout.concurrent_100_replies_p50_ms} ms / ${fanout.concurrent_100_replies_p99_ms} ms |`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/server.json', JSON.stringify({ throughput, fanout }, null, 2));
} finally {
  child.kill('SIGTERM');
}
process.exit(0);
