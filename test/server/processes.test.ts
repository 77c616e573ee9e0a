import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDb, type Db } from '../../server/db/db.js';
import { createWorkspace, type WorkspaceKeys } from '../../server/seed.js';
import { call, openSse, uuid, visitor } from './helpers.js';

/**
 * Several server processes on one PostgreSQL (issue 16): three compiled servers (`server/build/main.js`,
 * as in production) share TEST_DATABASE_URL and fan events out through LISTEN/NOTIFY, behind a small
 * round-robin proxy with no sticky sessions. Part of `npm run test:postgres` only: PGlite is one process's.
 * Rate limits are per process (in memory) and are not tested here as global.
 */
const databaseUrl = process.env.TEST_DATABASE_URL;
const root = fileURLToPath(new URL('../../', import.meta.url));
const mainJs = `${root}server/build/main.js`;

interface Proc {
  n: number;
  port: number;
  base: string;
  child: ChildProcess;
  output: string;
  exited: Promise<number | null>;
}

const procs: Proc[] = [];
let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
let db: Db | undefined;
let ws: WorkspaceKeys;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startProcess(n: number, port: number): Proc {
  const child = spawn(process.execPath, [mainJs], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG: '0', TRUST_PROXY: '1', SHUTDOWN_TIMEOUT_MS: '2000', DEMO: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: Proc = {
    n, port, base: `http://127.0.0.1:${port}`, child, output: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (d) => (proc.output += d));
  child.stderr!.on('data', (d) => (proc.output += d));
  return proc;
}

/** Waits (at most `ms`) until the process answers /readyz with 200. */
async function ready(proc: Proc, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`process ${proc.n} exited (${proc.child.exitCode}) before it was ready:\n${proc.output}`);
    try {
      const res = await fetch(`${proc.base}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`process ${proc.n} not ready within ${ms} ms:\n${proc.output}`);
    await sleep(100);
  }
}

/** Stops a process by its pid: SIGTERM, then SIGKILL if it has not exited within `ms`. */
async function stop(proc: Proc, ms = 5000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), ms);
  await proc.exited;
  clearTimeout(timer);
}

/**
 * A round-robin reverse proxy: each request to the next backend, the response (SSE too) streamed through,
 * X-Forwarded-For set. A backend that refuses the connection is skipped for the next one (the body is read
 * first so it can be sent again); one that fails after the request was sent gets a 502, as load balancers
 * do for a POST, which may have been applied (the visitor's outbox sends it again, same client_id).
 * When none answers, 502.
 */
async function startProxy(backends: Proc[]) {
  let next = 0;
  const served = backends.map(() => 0);
  const counts = { retried: 0, failedInFlight: 0 };
  const inflight = backends.map(() => 0);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
      const attempt = (left: number) => {
        const i = next++ % backends.length;
        const backend = backends[i]!;
        inflight[i]!++;
        let ended = false;
        const end = () => {
          if (!ended) inflight[i]!--;
          ended = true;
        };
        const upstream = http.request(
          { host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${backend.port}`, 'x-forwarded-for': forwarded }, agent: false },
          (answer) => {
            served[i]!++;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('error', () => res.destroy());
            res.on('close', () => answer.destroy());
          },
        );
        upstream.on('close', end);
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          end();
          if (res.headersSent) res.destroy();
          else if (error.code === 'ECONNREFUSED' && left > 1) {
            counts.retried++;
            attempt(left - 1);
          }
          else {
            if (error.code !== 'ECONNREFUSED') counts.failedInFlight++;
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'bad_gateway', message: 'no backend answered' } }));
          }
        });
        upstream.end(body);
      };
      attempt(backends.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, server, served, counts, inflight };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** POST /api/widget/messages as the widget's outbox does: a network failure (or 502) is retried with the same client_id. */
async function sendWithRetry(base: string, token: string, clientId: string, content: string): Promise<{ status: number; tries: number; message: { id: string; conversation_id: string } }> {
  for (let tries = 1; tries <= 8; tries++) {
    try {
      const res = await call(base, 'POST', '/api/widget/messages', { token, body: { client_id: clientId, content } });
      if (res.status === 201 || res.status === 200) return { status: res.status, tries, message: res.body.message };
      if (res.status !== 502) throw new Error(`message ${content}: ${res.status} ${JSON.stringify(res.body)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('message ')) throw error;
      /* the network failed: send again */
    }
    await sleep(50 * tries);
  }
  throw new Error(`message ${content}: not stored after 8 tries`);
}

describe('several server processes on one PostgreSQL', { skip: databaseUrl ? false : 'needs PostgreSQL: set TEST_DATABASE_URL (npm run test:postgres runs it)' }, () => {
  before(async () => {
    if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run npm run build first`);
    const began = performance.now();
    // All three at once: migrations run under an advisory lock.
    const ports = [await freePort(), await freePort(), await freePort()];
    procs.push(...ports.map((port, i) => startProcess(i + 1, port)));
    await Promise.all(procs.map((p) => ready(p)));
    console.log(`# processes: 3 servers on one PostgreSQL ready in ${ms(performance.now() - began)}`);
    proxy = await startProxy(procs);
    db = await openDb({ databaseUrl });
    ws = await createWorkspace(db, { name: 'Several processes' });
  });

  after(async () => {
    proxy?.server.closeAllConnections();
    proxy?.server.close();
    await Promise.all(procs.map((p) => stop(p)));
    await db?.close();
  });

  const [p1, p2, p3] = [0, 1, 2].map((i) => ({ get base() { return procs[i]!.base; } }));
  const op = (base: string, method: string, path: string, body?: unknown) => call(base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
  const replies = (events: { id?: string; event: string; data: any }[]) => events.filter((e) => e.event === 'message' && e.data.message.author !== 'visitor');

  it("a visitor's stream on process 1 receives replies posted through process 3 in order, once each; Last-Event-ID on process 2 fills the gap", async () => {
    const v = await visitor(p1.base, ws.publicKey);
    const first = await call(p1.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'Hello from a visitor' } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const conversation = first.body.message.conversation_id as string;

    const stream = await openSse(`${p1.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    await stream.next('ready');
    const latencies: number[] = [];
    const R = 30;
    for (let i = 1; i <= R; i++) {
      const sent = performance.now();
      const posted = await op(p3.base, 'POST', `/conversations/${conversation}/messages`, { content: `reply ${i}` });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const e = await stream.next('message', 5000);
      latencies.push(performance.now() - sent);
      assert.equal(e.data.message.content, `reply ${i}`);
    }
    await sleep(300); // nothing more may come: no duplicate
    const live = replies(stream.events);
    assert.deepEqual(live.map((e) => e.data.message.content), Array.from({ length: R }, (_, i) => `reply ${i + 1}`));
    assert.equal(new Set(live.map((e) => e.id)).size, R);
    const lastId = live.at(-1)!.id!;
    stream.close();
    console.log(`# processes: delivery of an operator reply posted on process 3 to a visitor stream on process 1 (${R} replies): p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(Math.max(...latencies))}`);

    // While the visitor is away, replies go through the proxy (any process); the visitor resumes on process 2.
    const G = 10;
    for (let i = 1; i <= G; i++) {
      const posted = await op(proxy!.base, 'POST', `/conversations/${conversation}/messages`, { content: `while away ${i}` });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
    }
    const resumedAt = performance.now();
    const resumed = await openSse(`${p2.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}`, 'last-event-id': lastId });
    const ready = await resumed.next('ready');
    const resumeMs = performance.now() - resumedAt;
    // And one more reply, live on process 2, posted on process 1.
    assert.equal((await op(p1.base, 'POST', `/conversations/${conversation}/messages`, { content: 'after resume' })).status, 201);
    while (replies(resumed.events).length < G + 1) await resumed.next('message', 5000);
    await sleep(300);
    const filled = replies(resumed.events);
    assert.deepEqual(filled.map((e) => e.data.message.content), [...Array.from({ length: G }, (_, i) => `while away ${i + 1}`), 'after resume']);
    assert.equal(new Set(filled.map((e) => e.id)).size, G + 1);
    assert.ok(filled.every((e) => Number(e.id) > Number(lastId)));
    assert.ok(Number(ready.data.cursor) >= Number(filled[G - 1]!.id));
    resumed.close();
    console.log(`# processes: resume with Last-Event-ID on process 2 replayed ${G} missed replies in ${ms(resumeMs)} (to "ready")`);
  });

  it('replies posted concurrently on all three processes reach a stream on process 1, each once, in id order; a resume on process 2 replays the same', async () => {
    const v = await visitor(p1.base, ws.publicKey);
    const first = await call(p1.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'Busy conversation' } });
    const conversation = first.body.message.conversation_id as string;
    const stream = await openSse(`${p1.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    const ready = await stream.next('ready');
    const C = 60;
    const began = performance.now();
    const posted = await Promise.all(Array.from({ length: C }, (_, i) => op(procs[i % 3]!.base, 'POST', `/conversations/${conversation}/messages`, { content: `busy ${i}` })));
    assert.deepEqual(posted.filter((r) => r.status !== 201).map((r) => r.body), []);
    const deadline = Date.now() + 10_000;
    while (replies(stream.events).length < C && Date.now() < deadline) await stream.next('message', Math.max(1, deadline - Date.now())).catch(() => undefined);
    const tookMs = performance.now() - began;
    await sleep(300);
    const live = replies(stream.events);
    stream.close();
    const want = posted.map((r) => r.body.message.content as string).sort();
    assert.deepEqual(live.map((e) => e.data.message.content as string).sort(), want, `live: ${live.length} of ${C}`);
    const ids = live.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    console.log(`# processes: ${C} replies posted at once across 3 processes all reached a stream on process 1 in ${ms(tookMs)}`);

    const resumed = await openSse(`${p2.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}`, 'last-event-id': String(ready.data.cursor) });
    await resumed.next('ready');
    assert.deepEqual(replies(resumed.events).map((e) => Number(e.id)), ids);
    resumed.close();
  });

  it('a stream through the round-robin proxy is streamed through (no buffering)', async () => {
    const v = await visitor(proxy!.base, ws.publicKey);
    const first = await sendWithRetry(proxy!.base, v.session.token, uuid(), 'Hello through the proxy');
    const stream = await openSse(`${proxy!.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    await stream.next('ready');
    for (let i = 1; i <= 3; i++) {
      assert.equal((await op(proxy!.base, 'POST', `/conversations/${first.message.conversation_id}/messages`, { content: `proxied ${i}` })).status, 201);
      assert.equal((await stream.next('message', 5000)).data.message.content, `proxied ${i}`);
    }
    stream.close();
  });

  it('a visitor sending through the proxy while one process is killed (SIGKILL): every message stored exactly once; the others still serve', async () => {
    const N = 60;
    const CONCURRENCY = 4;
    /** Sends N messages from one visitor, CONCURRENCY at a time; `midway` runs once half are stored. */
    const burst = async (label: string, midway?: () => Promise<void>) => {
      const v = await visitor(proxy!.base, ws.publicKey);
      const openingId = uuid();
      await sendWithRetry(proxy!.base, v.session.token, openingId, `${label} opening`);
      const ids = Array.from({ length: N }, () => uuid());
      let nextIndex = 0;
      let done = 0;
      let tries = 0;
      let replayed = 0;
      let killing: Promise<void> | undefined;
      const retriedBefore = proxy!.counts.retried;
      const failedBefore = proxy!.counts.failedInFlight;
      const began = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        for (let i = nextIndex++; i < N; i = nextIndex++) {
          const r = await sendWithRetry(proxy!.base, v.session.token, ids[i]!, `${label} ${i}`);
          tries += r.tries;
          if (r.status === 200) replayed++;
          if (++done === N / 2) killing = midway?.();
        }
      }));
      const took = performance.now() - began;
      await killing;
      const rows = await db!.query<{ client_id: string; n: number }>(
        'select m.client_id, count(*)::int as n from messages m join conversations c on c.id = m.conversation_id where c.session_id = $1 group by m.client_id',
        [v.session.id],
      );
      const counts = new Map(rows.map((r) => [r.client_id, r.n]));
      assert.deepEqual(ids.filter((id) => counts.get(id) !== 1), [], 'every message stored exactly once');
      assert.equal(rows.reduce((sum, r) => sum + r.n, 0), N + 1);
      assert.equal(counts.get(openingId), 1);
      return { took, tries, replayed, proxyRetries: proxy!.counts.retried - retriedBefore, failedInFlight: proxy!.counts.failedInFlight - failedBefore };
    };

    const calm = await burst('calm');
    console.log(`# processes: ${N} visitor messages through the proxy (3 processes, ${CONCURRENCY} in flight): ${(N / (calm.took / 1000)).toFixed(0)} messages/s`);

    const victim = procs[1]!;
    let killedAt = 0;
    const storm = await burst('storm', async () => {
      // Killed while the proxy has a request on it (waiting at most 2 s for one), so that one fails mid-way.
      for (const deadline = Date.now() + 2000; proxy!.inflight[1] === 0 && Date.now() < deadline; ) await new Promise((resolve) => setImmediate(resolve));
      killedAt = performance.now();
      victim.child.kill('SIGKILL');
    });
    assert.ok(killedAt > 0);
    assert.equal(victim.child.signalCode ?? (await Promise.race([victim.exited.then(() => victim.child.signalCode), sleep(5000)])), 'SIGKILL');
    console.log(`# processes: ${N} messages with process 2 killed (SIGKILL) half-way: all stored once (${storm.failedInFlight} requests failed in flight and were resent by the visitor (${storm.tries - N} resends, ${storm.replayed} answered as already stored), ${storm.proxyRetries} refused connections retried by the proxy on another process), ${(N / (storm.took / 1000)).toFixed(0)} messages/s`);

    // The other two still serve: directly, through the proxy, and a reply still crosses from process 3 to process 1.
    for (const p of [procs[0]!, procs[2]!]) assert.equal((await fetch(`${p.base}/readyz`)).status, 200);
    const v = await visitor(proxy!.base, ws.publicKey);
    const first = await sendWithRetry(proxy!.base, v.session.token, uuid(), 'after the kill');
    const stream = await openSse(`${p1.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    await stream.next('ready');
    assert.equal((await op(p3.base, 'POST', `/conversations/${first.message.conversation_id}/messages`, { content: 'still here' })).status, 201);
    assert.equal((await stream.next('message', 5000)).data.message.content, 'still here');
    stream.close();
  });
});
