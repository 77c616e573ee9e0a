/**
 * A web-test-runner plugin that runs the real reference server (PGlite in
 * memory) for the browser tests, on a free loopback port: another origin than
 * the test pages (web-test-runner's), as a site's page is another origin than
 * the chat server. The server also serves the built widget (`/dist/`), so the
 * script-tag tests load it from there, as a site does. A page that loads
 * `dist/widget.js?slow-main=MS` gets `dist/widget-main.js` that much later (the
 * bootstrap passes its query on), to see the pre-painted launcher.
 * The tests drive it with `executeServerCommand('chat-server', {action, ...})`:
 * - `workspace`: a fresh workspace; answers {api, publicKey, operatorKey, identitySecret, agentId}
 * - `stop` / `start`: takes the server down and brings it back on the same port, data kept
 * - `agent`: calls the operator API from Node: {method, path, body, key} -> {status, body}
 * - `origin`: the server's origin (where dist/ and the API are)
 * - `history`: stores `n` more messages in a conversation at once ("message 2" ... "message n", the
 *   visitor's and an agent's by turns, a second apart up to now): a long history without sending each
 * - `model`: the stub model server (test/server/stub-model.ts) on another port: answers its URL
 * - `cdn`: a plain static host on a third origin serving a copy of dist/ with only the headers
 *   README asks of a CDN (no compression, no server code): answers its origin
 */
import { createServer, type Server } from 'node:http';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { distHeaders } from '../server/http/dist.js';
import { buildApp } from '../server/app.js';
import { LocalBus } from '../server/bus.js';
import { openDb, type Db } from '../server/db/db.js';
import { createWorkspace, seedDemoContent } from '../server/seed.js';
import { startStubModel, type StubModel } from './server/stub-model.js';

interface Payload {
  action: 'workspace' | 'stop' | 'start' | 'agent' | 'origin' | 'cdn' | 'history' | 'model';
  conversation?: string;
  n?: number;
  method?: string;
  path?: string;
  body?: unknown;
  key?: string;
  requireVerification?: boolean;
  /** Ship the demo workspace's topics, articles, forms, survey and trigger. */
  demo?: boolean;
}

/**
 * `now`: the server's clock for business hours and slots. Default: the real
 * date at noon UTC, running at the normal pace, so no browser test depends on
 * the hour it runs at.
 */
export function chatServerPlugin(options: { now?: () => Date } = {}) {
  const now = options.now ?? noonToday();
  let db: Db | null = null;
  const bus = new LocalBus();
  let app: FastifyInstance | null = null;
  let port = 0;
  let cdn: { port: number; close(): Promise<void> } | null = null;
  let model: StubModel | null = null;

  let starting: Promise<void> | null = null;
  /** Starts the server once, however many commands ask for it at the same moment. */
  const ensure = () => starting ?? (app ? Promise.resolve() : (starting = start().finally(() => (starting = null))));
  const start = async () => {
    db ??= await openDb({});
    // Every test page is one address (127.0.0.1): the per-address limits are the server tests' to check, not these.
    app = await buildApp({ db, bus, pages: true, heartbeatMs: 1000, now, sessionsPerMinute: 100_000, messagesPerMinute: 100_000 });
    app.addHook('onRequest', async (request) => {
      const slow = /^\/dist\/widget-main\.js\?(?:.*&)?slow-main=(\d+)/.exec(request.url);
      if (slow) await new Promise((r) => setTimeout(r, Math.min(Number(slow[1]), 5000)));
    });
    await app.listen({ port, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  };
  const stop = async () => {
    const running = app;
    app = null;
    // Streams are long-lived: end them so that close() does not wait.
    running?.server.closeAllConnections?.();
    await running?.close();
  };

  return {
    name: 'chat-server',
    async executeCommand({ command, payload }: { command: string; payload?: Payload }) {
      if (command !== 'chat-server' || !payload) return undefined;
      switch (payload.action) {
        case 'workspace': {
          await ensure();
          const ws = await createWorkspace(db!, { requireVerification: payload.requireVerification ?? false });
          if (payload.demo) await seedDemoContent(db!, ws.workspaceId);
          return { api: `http://127.0.0.1:${port}/api/widget`, ...ws };
        }
        case 'history': {
          await ensure();
          await db!.query(
            `insert into messages (id, workspace_id, conversation_id, author, author_name, content, created_at)
             select 'msg_h' || substr(c.id, 5) || '_' || i, c.workspace_id, c.id, case when i % 2 = 0 then 'agent' else 'visitor' end,
                    case when i % 2 = 0 then 'Ben' end, 'message ' || i, now() - ($2::int - i) * interval '1 second'
             from conversations c, generate_series(2, $2::int) as i where c.id = $1`,
            [payload.conversation, payload.n],
          );
          // What was there before comes first in time too.
          await db!.query(`update messages set created_at = now() - ($2::int + 1) * interval '1 second' where conversation_id = $1 and id not like 'msg\\_h%'`, [payload.conversation, payload.n]);
          return true;
        }
        case 'origin':
          await ensure();
          return `http://127.0.0.1:${port}`;
        case 'cdn':
          return `http://127.0.0.1:${(cdn ??= await staticHost()).port}`;
        case 'model':
          return (model ??= await startStubModel()).url;
        case 'stop':
          await stop();
          return true;
        case 'start':
          await ensure();
          return true;
        case 'agent': {
          const res = await fetch(`http://127.0.0.1:${port}/api/agent${payload.path}`, {
            method: payload.method ?? 'GET',
            headers: { authorization: `Bearer ${payload.key}`, ...(payload.body ? { 'content-type': 'application/json' } : {}) },
            body: payload.body ? JSON.stringify(payload.body) : undefined,
          });
          return { status: res.status, body: await res.json() };
        }
      }
      return undefined;
    },
    async serverStop() {
      await stop();
      await cdn?.close();
      await model?.close();
      await db?.close();
    },
  };
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json' };

/** A plain static host over a copy of dist/: the files as they are, with the headers README lists for a CDN. */
async function staticHost(): Promise<{ port: number; close(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'chat-widget-cdn-'));
  cpSync('dist', root, { recursive: true, filter: (f) => !/\.(br|gz)$/.test(f) });
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path);
    try {
      if (!file.startsWith(root) || !statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    distHeaders({ header: (name, value) => (headers[name] = value) }, file);
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        rmSync(root, { recursive: true, force: true });
      }),
  };
}

/** Today (UTC) at 12:00, then running at the normal pace. */
function noonToday(): () => Date {
  const noon = new Date();
  noon.setUTCHours(12, 0, 0, 0);
  const offset = noon.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}
