import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { guardedRoutes } from '../../server/http/input.js';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 100_000, messagesPerMinute: 100_000 });
});
after(() => server.close());

type WS = Awaited<ReturnType<TestServer['workspace']>>;
const op = (ws: WS, method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
const as = (token: string, method: string, path: string, body?: unknown) => call(server.base, method, `/api/widget${path}`, { token, body });

/** Rows in every table: refused input stores nothing anywhere. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await server.db.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  const out: Record<string, number> = {};
  for (const { t } of tables) out[t] = (await server.db.query<{ n: number }>(`select count(*)::int as n from "${t}"`))[0]!.n;
  return out;
}

/**
 * A raw request (any bytes in the path and body) from its own loopback
 * address, so the per-address rate limits of some routes never answer for
 * the check under test.
 */
let sent = 0;
function sweep(method: string, path: string, init: { token?: string; body?: string | Buffer } = {}): Promise<{ status: number; body: any }> {
  const n = sent++;
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const url = new URL(server.base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers, localAddress: `127.0.${1 + Math.floor(n / 250)}.${2 + (n % 250)}`, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let body: any = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON: the assertion shows it */
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A request by fetch (FormData bodies, Origin headers), answered as JSON. */
async function raw(method: string, path: string, init: { token?: string; body?: string | FormData | Buffer; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (typeof init.body === 'string') headers['content-type'] ??= 'application/json';
  const res = await fetch(server.base + path, { method, headers, body: init.body as BodyInit | undefined, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

/** A 400 with our error shape and exactly this message. */
function refused(res: { status: number; body: any }, message: string | RegExp, what: string) {
  assert.equal(res.status, 400, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(typeof res.body?.error?.code, 'string', `${what}: ${JSON.stringify(res.body)}`);
  if (typeof message === 'string') assert.equal(res.body.error.message, message, what);
  else assert.match(res.body.error.message, message, what);
}

/** A workspace with a visitor in a conversation, a chat, a menu and a meeting type. */
async function setup() {
  const ws = await server.workspace();
  const menu = (await op(ws, 'POST', '/menus', { names: { en: 'Support' }, channels: ['chat', 'voice_call'] })).body.menu.id as number;
  const meeting = (await op(ws, 'POST', '/meeting-types', { name: { en: 'Demo' }, duration_minutes: 30 })).body.id as number;
  const v = await visitor(server.base, ws.publicKey);
  const chat = await as(v.session.token, 'POST', '/chats', { menu_id: menu, lang: 'en' });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  const sent = await as(v.session.token, 'POST', `/chats/${chat.body.id}/messages`, { client_id: uuid(), content: 'Hello' });
  assert.equal(sent.status, 201);
  const conversation = chat.body.id as string;
  const messageCount = async () => (await op(ws, 'GET', `/conversations/${conversation}/messages`)).body.messages.length as number;
  return { ws, v, menu, meeting, conversation, messageCount };
}

describe('bad bytes are refused on every route, with which field and why, and nothing is stored', () => {
  it('a NUL or an unpaired surrogate in any body string, path parameter or query value of every widget and agent route', async () => {
    const { ws, v, conversation, messageCount } = await setup();
    const routes = guardedRoutes(server.app).filter((r) => /^\/api\/(widget|agent)\//.test(r.url) && !['HEAD', 'OPTIONS'].includes(r.method));
    assert.ok(routes.length > 70, `routes found: ${routes.length}`);
    for (const known of ['POST /api/widget/sessions', 'POST /api/widget/messages', 'POST /api/widget/chats/:id/files', 'GET /api/widget/articles/:locale/:slug', 'PUT /api/agent/settings', 'DELETE /api/agent/ticket-forms/:key']) {
      assert.ok(routes.some((r) => `${r.method} ${r.url}` === known), `${known} is swept`);
    }
    const messagesBefore = await messageCount();
    const rowsBefore = await rowCounts();
    const tokenFor = (url: string) => (url.startsWith('/api/agent/') ? ws.operatorKey : v.session.token);
    const plausible = (url: string, name: string) => (name === 'id' && /\/(chats|conversations)\//.test(url) ? conversation : name === 'locale' ? 'en' : name === 'id' ? '1' : 'x');
    const withParams = (url: string, bad?: { name: string; value: string }) =>
      url.replace(/:(\w+)/g, (_m, name: string) => (bad && name === bad.name ? bad.value : encodeURIComponent(plausible(url, name))));
    let cases = 0;
    for (const route of routes) {
      const what = `${route.method} ${route.url}`;
      const token = tokenFor(route.url);
      // Path parameters: a NUL, and a surrogate's bytes (not UTF-8, so not a valid URL).
      for (const [, name] of route.url.matchAll(/:(\w+)/g)) {
        refused(await sweep(route.method, withParams(route.url, { name: name!, value: 'abc%00' }), { token }), `params/${name} contains a NUL character`, `${what} NUL in :${name}`);
        const surrogate = await sweep(route.method, withParams(route.url, { name: name!, value: 'a%ED%A0%80' }), { token });
        refused(surrogate, /not valid percent-encoded UTF-8/, `${what} surrogate in :${name}`);
        assert.equal(surrogate.body.error.code, 'invalid_url');
        cases += 2;
      }
      // The query string: each declared parameter (or one the route does not declare).
      const schema = route.schema as { querystring?: { properties?: Record<string, unknown> }; body?: { properties?: Record<string, unknown> } } | undefined;
      const queryNames = Object.keys(schema?.querystring?.properties ?? { lang: true });
      for (const name of queryNames) {
        refused(await sweep(route.method, `${withParams(route.url)}?${name}=a%00b`, { token }), `querystring/${name} contains a NUL character`, `${what} NUL in ?${name}`);
        cases++;
      }
      if (!['POST', 'PUT', 'PATCH'].includes(route.method)) continue;
      // The body: each declared property (or "content"), as a string, nested, and as a key.
      const path = withParams(route.url);
      for (const name of Object.keys(schema?.body?.properties ?? { content: true })) {
        refused(await sweep(route.method, path, { token, body: JSON.stringify({ [name]: 'a\u0000b' }) }), `body/${name} contains a NUL character`, `${what} NUL in body.${name}`);
        refused(await sweep(route.method, path, { token, body: JSON.stringify({ [name]: 'a\ud800b' }) }), `body/${name} contains an unpaired surrogate`, `${what} surrogate in body.${name}`);
        refused(await sweep(route.method, path, { token, body: JSON.stringify({ [name]: 'tail\udc00' }) }), `body/${name} contains an unpaired surrogate`, `${what} low surrogate in body.${name}`);
        refused(await sweep(route.method, path, { token, body: JSON.stringify({ [name]: { deep: ['fine', 'a\u0000'] } }) }), `body/${name}/deep/1 contains a NUL character`, `${what} nested NUL`);
        cases += 4;
      }
      refused(await sweep(route.method, path, { token, body: JSON.stringify({ 'k\u0000': 'v' }) }), 'a key of body (k\\u0000) contains a NUL character', `${what} NUL in a key`);
      cases++;
    }
    assert.ok(cases > 300, `cases: ${cases}`);
    assert.equal(await messageCount(), messagesBefore);
    assert.deepEqual(await rowCounts(), rowsBefore);
  });

  it('a malformed URL is answered 400 with {error: {code, message}}, readable cross-origin', async () => {
    const { v, ws } = await setup();
    for (const [path, token] of [
      ['/api/widget/chats/%C0%AE', v.session.token],
      ['/api/widget/chats/%E0%A4%A', v.session.token],
      ['/api/widget/chats/%C0%AE/messages', v.session.token],
      ['/api/agent/conversations/%C0%AE', ws.operatorKey],
      ['/api/agent/conversations/%E0%A4%A/messages?after=0', ws.operatorKey],
    ] as const) {
      const res = await raw('GET', path, { token, headers: { origin: 'http://site.example' } });
      assert.equal(res.status, 400, path);
      assert.deepEqual(res.body, { error: { code: 'invalid_url', message: `The URL path ${path.split('?')[0]} is not valid percent-encoded UTF-8` } });
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://site.example');
    }
  });

  it('a refused message body is readable cross-origin (the page learns why), and the next message goes through', async () => {
    const { v, messageCount } = await setup();
    const before = await messageCount();
    const bad = await raw('POST', '/api/widget/messages', { token: v.session.token, body: JSON.stringify({ client_id: uuid(), content: 'a\u0000b' }), headers: { origin: 'http://site.example' } });
    refused(bad, 'body/content contains a NUL character', 'NUL message');
    assert.equal(bad.headers.get('access-control-allow-origin'), 'http://site.example');
    const good = await as(v.session.token, 'POST', '/messages', { client_id: uuid(), content: 'The next one' });
    assert.equal(good.status, 201);
    assert.equal(await messageCount(), before + 1);
    // Raw bytes that are not UTF-8 (a surrogate's encoding) cannot carry a lone surrogate: they are read as U+FFFD.
    const bytes = Buffer.from([...Buffer.from(`{"client_id":"${uuid()}","content":"a`), 0xed, 0xa0, 0x80, ...Buffer.from('b"}')]);
    const replaced = await raw('POST', '/api/widget/messages', { token: v.session.token, body: bytes, headers: { 'content-type': 'application/json' } });
    assert.equal(replaced.status, 201, JSON.stringify(replaced.body));
    assert.ok(replaced.body.message.content.startsWith('a\ufffd') && replaced.body.message.content.endsWith('b'), JSON.stringify(replaced.body.message.content));
    assert.ok(replaced.body.message.content.isWellFormed());
  });

  it('file uploads: a NUL in the file name or a field, and a name over 255 characters (100,000 here) are refused; 255 are fine', async () => {
    const { v, conversation, messageCount } = await setup();
    const before = await messageCount();
    const rowsBefore = await rowCounts();
    const upload = (path: string, name: string, field?: [string, string]) => {
      const form = new FormData();
      if (field) form.append(field[0], field[1]);
      form.append('file', new Blob(['hello'], { type: 'text/plain' }), name);
      return raw('POST', `/api/widget${path}`, { token: v.session.token, body: form });
    };
    for (const path of [`/chats/${conversation}/files`, '/files']) {
      refused(await upload(path, `${'x'.repeat(100_000)}.txt`), 'The file name is too long: at most 255 characters are accepted; rename the file', `${path} huge name`);
      refused(await upload(path, `${'x'.repeat(252)}.txt`), 'The file name is too long: at most 255 characters are accepted; rename the file', `${path} 256 characters`);
      refused(await upload(path, 'a\u0000b.txt'), 'The file name contains a NUL character', `${path} NUL name`);
      refused(await upload(path, 'a.txt', ['note', 'a\u0000b']), 'multipart field note contains a NUL character', `${path} NUL field`);
    }
    assert.equal(await messageCount(), before);
    assert.deepEqual(await rowCounts(), rowsBefore);
    const name = `${'y'.repeat(251)}.txt`;
    const ok = await upload(`/chats/${conversation}/files`, name);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.message.content, name);
    assert.equal(await messageCount(), before + 1);
  });

  it('a session_token with a NUL is refused, not silently a new session', async () => {
    const { ws, v } = await setup();
    const sessions = async () => (await server.db.query<{ n: number }>('select count(*)::int as n from sessions where workspace_id = $1', [ws.workspaceId]))[0]!.n;
    const before = await sessions();
    const res = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, session_token: `${v.session.token}\u0000` } });
    refused(res, 'body/session_token contains a NUL character', 'NUL session_token');
    assert.equal(await sessions(), before);
    const resumed = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, session_token: v.session.token } });
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.resumed, true);
    assert.equal(resumed.body.session.id, v.session.id);
  });

  it('a booking name with an unpaired surrogate is refused (no 500), nothing booked', async () => {
    const { ws, v, meeting } = await setup();
    await op(ws, 'PUT', '/settings', { time_zone: 'UTC', business_hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) });
    const slot = (await as(v.session.token, 'GET', `/meeting-types/${meeting}/slots`)).body.slots[0] as string;
    const res = await as(v.session.token, 'POST', '/bookings', { meeting_type_id: meeting, starts_at: slot, name: 'Ada \ud83d', email: 'ada@example.com' });
    refused(res, 'body/name contains an unpaired surrogate', 'booking name');
    assert.deepEqual((await op(ws, 'GET', '/bookings')).body.bookings, []);
    const good = await as(v.session.token, 'POST', '/bookings', { meeting_type_id: meeting, starts_at: slot, name: 'Ada 🎉', email: 'ada@example.com' });
    assert.equal(good.status, 201, JSON.stringify(good.body));
    assert.equal(good.body.name, 'Ada 🎉');
  });
});
