// What bench/server.ts and bench/server-pg.ts share: server processes to measure, and the loads.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { call, openSse, visitor } from '../test/server/helpers.js';

export interface Served {
  base: string;
  publicKey?: string;
  operatorKey?: string;
  child: ChildProcess;
}

/** bench/serve.ts in a process of its own; resolves once it listens. */
export async function serve(env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve.ts'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const info = await new Promise<Omit<Served, 'child'>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 60 s')), 60_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
  return { ...info, child };
}

/** Stops the processes by pid (SIGTERM, SIGKILL after 5 s). */
export async function stopAll(served: Served[]): Promise<void> {
  await Promise.all(
    served.map(({ child }) => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      return exited.finally(() => clearTimeout(timer));
    }),
  );
}

export const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

export interface Throughput {
  connections: number;
  processes: number;
  seconds: number;
  stored_per_second: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  non_2xx: number;
  errors: number;
}

/**
 * Visitors' messages as fast as `connections` connections send them (autocannon), spread evenly over
 * the server processes `bases` (one autocannon each, as a load balancer would), as many visitors as
 * connections taking turns (about one message of each in flight, as the widget's outbox sends them).
 */
export async function throughput(bases: string[], publicKey: string, connections: number, seconds: number): Promise<Throughput> {
  const visitors: Awaited<ReturnType<typeof visitor>>[] = [];
  while (visitors.length < connections) visitors.push(...(await Promise.all(Array.from({ length: Math.min(50, connections - visitors.length) }, () => visitor(bases[0]!, publicKey)))));
  let n = 0;
  const results = await Promise.all(
    bases.map((base, i) =>
      autocannon({
        url: `${base}/api/widget/messages`,
        connections: Math.floor(connections / bases.length) + (i < connections % bases.length ? 1 : 0),
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (req: any) => {
              const v = visitors[n % visitors.length]!;
              n++;
              return {
                ...req,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${v.session.token}` },
                body: JSON.stringify({ client_id: crypto.randomUUID(), content: `message ${n}` }),
              };
            },
          },
        ],
      }),
    ),
  );
  // Latency: the slowest process's percentiles (autocannon keeps no samples to merge).
  return {
    connections,
    processes: bases.length,
    seconds,
    stored_per_second: Math.round(results.reduce((sum, r) => sum + r['2xx'], 0) / seconds),
    latency_p50_ms: Math.max(...results.map((r) => r.latency.p50)),
    latency_p99_ms: Math.max(...results.map((r) => r.latency.p99)),
    non_2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

export interface Sustained {
  visitors: number;
  seconds: number;
  every_ms: number;
  sent: number;
  errors: number;
  stored_once: boolean;
  missing: number;
  duplicated: number;
  post_p50_ms: number;
  post_p99_ms: number;
  delivery_p50_ms: number;
  delivery_p99_ms: number;
}

/**
 * `count` visitors, each with its stream open, each sending a message every `everyMs` (from a random
 * start) for `seconds`; an operator's stream open throughout. Measures the POST's time and the time from
 * sending to the operator's stream receiving it; then reads every conversation back (operator API) to
 * check every message is stored exactly once.
 */
export async function sustained(base: string, keys: { publicKey: string; operatorKey: string }, count: number, seconds: number, everyMs: number): Promise<Sustained> {
  const inbox = await openSse(`${base}/api/agent/stream`, { authorization: `Bearer ${keys.operatorKey}` });
  await inbox.next('ready', 20_000);
  const sent = new Map<string, number>();
  const delivery: number[] = [];
  const seen = new Map<string, number>();
  let reading = true;
  const reader = (async () => {
    while (reading) {
      const e = await inbox.next('message', 1000).catch(() => null);
      const content = e?.data?.message?.content as string | undefined;
      if (!content?.startsWith('load ')) continue;
      seen.set(content, (seen.get(content) ?? 0) + 1);
      const at = sent.get(content);
      if (at !== undefined && seen.get(content) === 1) delivery.push(performance.now() - at);
    }
  })();
  const people = [];
  for (let i = 0; i < count; i += 50) people.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => visitor(base, keys.publicKey)))));
  const streams = [];
  for (let i = 0; i < people.length; i += 50) {
    streams.push(...(await Promise.all(people.slice(i, i + 50).map(async (v) => {
      const s = await openSse(`${base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
      await s.next('ready', 20_000);
      return s;
    }))));
  }
  const post: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    people.map(async (v, i) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * everyMs));
      for (let k = 0; performance.now() < end; k++) {
        const started = performance.now();
        const content = `load ${i}.${k}`;
        sent.set(content, started);
        const res = await call(base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: crypto.randomUUID(), content } }).catch(() => ({ status: 0 }));
        post.push(performance.now() - started);
        if (res.status !== 201) errors++;
        const wait = started + everyMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  // Every message delivered to the operator's stream (bounded wait), then stored once each.
  for (const deadline = performance.now() + 30_000; seen.size < sent.size && performance.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  reading = false;
  await reader;
  inbox.close();
  streams.forEach((s) => s.close());
  const stored = new Map<string, number>();
  const conversations = (await call(base, 'GET', '/api/agent/conversations?limit=500', { token: keys.operatorKey })).body.conversations as { id: string }[];
  for (const c of conversations) {
    for (let before: string | null | undefined; before !== null; ) {
      const page = (await call(base, 'GET', `/api/agent/conversations/${c.id}/messages?limit=200${before ? `&before=${before}` : ''}`, { token: keys.operatorKey })).body;
      for (const m of page.messages as { content: string }[]) if (m.content.startsWith('load ')) stored.set(m.content, (stored.get(m.content) ?? 0) + 1);
      before = page.earlier;
    }
  }
  const missing = [...sent.keys()].filter((k) => !stored.has(k)).length;
  const duplicated = [...stored.values()].filter((n) => n > 1).length;
  return {
    visitors: count, seconds, every_ms: everyMs, sent: sent.size, errors,
    stored_once: missing === 0 && duplicated === 0 && stored.size === sent.size, missing, duplicated,
    post_p50_ms: percentile(post, 50), post_p99_ms: percentile(post, 99),
    delivery_p50_ms: percentile(delivery, 50), delivery_p99_ms: percentile(delivery, 99),
  };
}
