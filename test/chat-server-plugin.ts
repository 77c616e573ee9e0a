/**
 * A web-test-runner plugin that runs the real reference server (PGlite in
 * memory) for the browser tests, on a free loopback port. The tests drive it
 * with `executeServerCommand('chat-server', {action, ...})`:
 * - `workspace`: a fresh workspace; answers {api, publicKey, operatorKey, identitySecret, agentId}
 * - `stop` / `start`: takes the server down and brings it back on the same port, data kept
 * - `agent`: calls the operator API from Node: {method, path, body, key} -> {status, body}
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { LocalBus } from '../server/bus.js';
import { openDb, type Db } from '../server/db/db.js';
import { createWorkspace, seedDemoContent } from '../server/seed.js';

interface Payload {
  action: 'workspace' | 'stop' | 'start' | 'agent';
  method?: string;
  path?: string;
  body?: unknown;
  key?: string;
  requireVerification?: boolean;
  /** Ship the demo workspace's topics, articles, forms, survey and trigger. */
  demo?: boolean;
}

export function chatServerPlugin() {
  let db: Db | null = null;
  const bus = new LocalBus();
  let app: FastifyInstance | null = null;
  let port = 0;

  // One start at a time: a second command while the first start is slow (a loaded machine) waits for it.
  let starting: Promise<void> | null = null;
  const start = () =>
    (starting ??= (async () => {
      db ??= await openDb({});
      const next = await buildApp({ db, bus, pages: false, heartbeatMs: 1000 });
      await next.listen({ port, host: '127.0.0.1' });
      port = (next.server.address() as { port: number }).port;
      app = next;
    })().finally(() => (starting = null)));
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
          if (!app) await start();
          const ws = await createWorkspace(db!, { requireVerification: payload.requireVerification ?? false });
          if (payload.demo) await seedDemoContent(db!, ws.workspaceId);
          return { api: `http://127.0.0.1:${port}/api/widget`, ...ws };
        }
        case 'stop':
          await stop();
          return true;
        case 'start':
          if (!app) await start();
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
      await db?.close();
    },
  };
}
