import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as forward, type Server } from 'node:http';
import { call, startServer, visitor, type TestServer } from './helpers.js';

/**
 * A reverse proxy in front of the server, as a self-hoster runs it: every request comes from the
 * proxy's address, and the visitor's own address is in X-Forwarded-For (taken here from the test's
 * `x-client` header, standing for the visitor's machine).
 */
async function proxyTo(base: string): Promise<{ base: string; close(): Promise<void> }> {
  const target = new URL(base);
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers, 'x-forwarded-for': String(req.headers['x-client'] ?? '203.0.113.1'), host: target.host };
    const out = forward({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('behind a reverse proxy (TRUST_PROXY)', () => {
  let trusting: TestServer;
  let naive: TestServer;
  before(async () => {
    // Two sessions a minute per address, to see whose address counts.
    trusting = await startServer({ sessionsPerMinute: 2, trustProxy: 1 });
    naive = await startServer({ sessionsPerMinute: 2 });
  });
  after(async () => {
    await trusting.close();
    await naive.close();
  });

  const sessions = async (proxy: string, publicKey: string, client: string, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      statuses.push((await call(proxy, 'POST', '/api/widget/sessions', { body: { public_key: publicKey }, headers: { 'x-client': client } })).status);
    }
    return statuses;
  };

  it('trusting the proxy, each visitor has their own limit, counted by their own address', async () => {
    const ws = await trusting.workspace();
    const proxy = await proxyTo(trusting.base);
    try {
      assert.deepEqual(await sessions(proxy.base, ws.publicKey, '198.51.100.7', 3), [200, 200, 429]);
      assert.deepEqual(await sessions(proxy.base, ws.publicKey, '198.51.100.8', 2), [200, 200], 'another visitor is not limited by the first');
    } finally {
      await proxy.close();
    }
  });

  it('without TRUST_PROXY every visitor behind the proxy shares its address, and so one limit', async () => {
    const ws = await naive.workspace();
    const proxy = await proxyTo(naive.base);
    try {
      assert.deepEqual(await sessions(proxy.base, ws.publicKey, '198.51.100.7', 2), [200, 200]);
      assert.deepEqual(await sessions(proxy.base, ws.publicKey, '198.51.100.8', 1), [429]);
    } finally {
      await proxy.close();
    }
  });
});

describe('shutting down', () => {
  it('ends the open streams (their clients reconnect elsewhere) and stops without waiting for them', async () => {
    const server = await startServer();
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const res = await fetch(`${server.base}/api/widget/stream?token=${v.session.token}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (let i = 0; i < 20 && !text.includes('event: ready'); i++) text += decoder.decode((await reader.read()).value ?? new Uint8Array());
    assert.match(text, /retry: \d+/, 'the client is told how soon to reconnect');
    const closing = server.close();
    let ended = false;
    for (let i = 0; i < 50 && !ended; i++) ended = (await reader.read()).done;
    assert.equal(ended, true, 'the stream ended');
    await closing;
  });
});
