import { createServer, type RequestListener } from 'node:http';
import type { FastifyInstance } from 'fastify';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { buildApp, type AppOptions } from '../../server/app.js';
import { LocalBus, pgBus, type Bus } from '../../server/bus.js';
import { openDb, type Db } from '../../server/db/db.js';
import { createWorkspace, type WorkspaceSeed } from '../../server/seed.js';

export interface TestServer {
  base: string;
  db: Db;
  bus: Bus;
  app: FastifyInstance;
  /** The server's clock. */
  now: () => Date;
  workspace: (seed?: WorkspaceSeed) => ReturnType<typeof createWorkspace>;
  close: () => Promise<void>;
}

/**
 * A clock that reads `hhmm` (UTC) on `date` (default: today, UTC) when the
 * server starts and then runs at the normal pace, so durations stay real.
 * Give it to startServer's `now` so no test depends on the hour it runs at.
 */
export function clockAt(hhmm: string, date?: string): () => Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const day = date ?? new Date().toISOString().slice(0, 10);
  const start = new Date(`${day}T00:00:00Z`);
  start.setUTCHours(h, m, 0, 0);
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** The clock the servers of the tests read unless given another: noon UTC today. */
export const NOON = () => clockAt('12:00');

/**
 * A real server on a free loopback port with a fresh database: PGlite in
 * memory, or the PostgreSQL of TEST_DATABASE_URL (CI, when one is installed).
 * One per test file; tests isolate themselves by workspace. Its clock is
 * `options.now`, else noon UTC today (never the wall clock's hour).
 */
export async function startServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  const url = process.env.TEST_DATABASE_URL;
  const db = await openDb(url ? { databaseUrl: url } : {});
  const bus = db.kind === 'pg' ? await pgBus(db) : new LocalBus();
  const now = options.now ?? NOON();
  const app = await buildApp({ db, bus, pages: false, heartbeatMs: 1000, ...options, now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${address.port}`,
    db,
    bus,
    app,
    now,
    workspace: (seed) => createWorkspace(db, seed),
    close: async () => {
      await app.close();
      await bus.close();
      await db.close();
    },
  };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request; `body` as a string is sent as is (to send malformed JSON). */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(base + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

/** An SSE connection read with fetch: collects events; `next()` waits (bounded) for the next one. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (!res.ok) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const events: SseEvent[] = [];
  let waiters: (() => void)[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const e: SseEvent = { event: 'message', data: null };
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data && !e.id) continue;
          e.data = data ? JSON.parse(data) : null;
          events.push(e);
          const w = waiters;
          waiters = [];
          w.forEach((f) => f());
        }
      }
    } catch {
      /* aborted */
    }
  })();
  let read = 0;
  return {
    events,
    headers: res.headers,
    /** The next event not yet returned (of `type` when given), waiting at most `ms`. */
    async next(type?: string, ms = 5000): Promise<SseEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        while (read < events.length) {
          const e = events[read++]!;
          if (!type || e.event === type) return e;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${type ?? ''} event within ${ms} ms; got ${JSON.stringify(events.map((x) => x.event))}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () => controller.abort(),
  };
}

/** A visitor with a session on `publicKey`. */
export async function visitor(base: string, publicKey: string) {
  const res = await call(base, 'POST', '/api/widget/sessions', { body: { public_key: publicKey } });
  if (res.status !== 200) throw new Error(`session: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { session: { id: string; token: string }; stream_cursor: number; unread_count: number; available: boolean };
}

export const uuid = () => crypto.randomUUID();

/** A site of its own origin for the widget to be installed on: `handler` on 127.0.0.2 (another host than the chat server's 127.0.0.1), on a free port. */
export async function siteOrigin(handler: RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const site = createServer(handler);
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
  return {
    base: `http://127.0.0.2:${(site.address() as { port: number }).port}`,
    close: async () => {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    },
  };
}

/** Debian's Chromium, headless, with the flags this machine needs (CHROME_PATH to use another). */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * Collects what a site owner would see go wrong on a page (console errors, page errors, failed
 * requests, 4xx/5xx answers, CSP violations) into the returned list; call before the page loads.
 * A stream the client itself ends (to reopen it after identify) is not a failure.
 */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${(e as Error).message}`));
  page.on('requestfailed', (r) => {
    if (!(r.failure()?.errorText === 'net::ERR_ABORTED' && r.url().includes('/api/widget/stream'))) problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}
