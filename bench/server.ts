// npm run bench:server: the reference server on PGlite, measured on loopback from
// another process (prints, never fails on a figure):
// 1. messages stored per second and p50/p99 latency with 50 and with 200 concurrent connections (autocannon);
// 2. one operator reply reaching 100 open streams of one visitor (100 tabs), 30 replies;
// 3. 100 visitors with a stream each, 100 replies at once, one to each;
// 4. 500 visitors with a stream each sending a message every 5 s for a minute (BENCH_LOAD_SECONDS):
//    errors, every message stored once, p99 of the POST and of delivery to the operator's stream.
// bench/server-pg.ts does 1. on PostgreSQL, with one and with three processes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { call, openSse, visitor } from '../test/server/helpers.js';
import { percentile, serve, stopAll, sustained, throughput } from './load.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const LOAD_VISITORS = Number(process.env.BENCH_LOAD_VISITORS ?? 500);
const served = await serve();
const { base } = served;
const publicKey = served.publicKey!;
const operatorKey = served.operatorKey!;
const reply = (conversationId: string, content: string) =>
  call(base, 'POST', `/api/agent/conversations/${conversationId}/messages`, { token: operatorKey, body: { content } });

try {
  // -- 1. message throughput --
  const at50 = await throughput([base], publicKey, 50, DURATION);
  const at200 = await throughput([base], publicKey, 200, DURATION);

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
  // -- 4. 500 visitors for a minute, on a server of their own (the figures above leave thousands of messages behind) --
  await stopAll([served]);
  const fresh = await serve();
  let load;
  try {
    load = await sustained(fresh.base, { publicKey: fresh.publicKey!, operatorKey: fresh.operatorKey! }, LOAD_VISITORS, LOAD_SECONDS, 5000);
  } finally {
    await stopAll([fresh]);
  }

  console.log('\nReference server on PGlite (in memory), its own process; load from another, loopback, 2 cores');
  console.log('| figure | value | target |\n| --- | ---: | ---: |');
  for (const t of [at50, at200]) {
    console.log(`| messages stored per second, ${t.connections} connections (${DURATION} s) | ${t.stored_per_second} | ${t.connections === 50 ? '≥1,500' : ''} |`);
    console.log(`| POST /api/widget/messages p50 / p99, ${t.connections} connections | ${t.latency_p50_ms} ms / ${t.latency_p99_ms} ms | p99 <${t.connections === 50 ? 50 : 250} ms |`);
    console.log(`| non-2xx / errors, ${t.connections} connections | ${t.non_2xx} / ${t.errors} | 0 / 0 |`);
  }
  console.log(`| ${load.visitors} visitors with a stream, a message each every ${load.every_ms / 1000} s for ${load.seconds} s: messages sent / errors | ${load.sent} / ${load.errors} | 0 errors |`);
  console.log(`| the same: every message stored exactly once | ${load.stored_once ? 'yes' : `no (${load.missing} missing, ${load.duplicated} twice)`} | yes |`);
  console.log(`| the same: POST p50 / p99 | ${load.post_p50_ms} ms / ${load.post_p99_ms} ms | p99 <250 ms |`);
  console.log(`| the same: sent to received on the operator's stream, p50 / p99 | ${load.delivery_p50_ms} ms / ${load.delivery_p99_ms} ms | p99 <250 ms |`);
  console.log(`| one operator reply reaching 100 open streams, p50 / p99 (30 replies) | ${fanout.one_reply_100_streams_p50_ms} ms / ${fanout.one_reply_100_streams_p99_ms} ms |`);
  console.log(`| 100 replies at once to 100 visitors' streams, p50 / p99 | ${fanout.concurrent_100_replies_p50_ms} ms / ${fanout.concurrent_100_replies_p99_ms} ms |`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/server.json', JSON.stringify({ throughput: [at50, at200], fanout, sustained: load }, null, 2));
} finally {
  await stopAll([served]);
}
process.exit(0);
