import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), messagesPerMinute: 20, sessionsPerMinute: 10_000 });
});
after(() => server.close());

const countMessages = async (workspaceId: string) =>
  (await server.db.query('select count(*)::int as n from messages where workspace_id = $1', [workspaceId]))[0]!.n as number;

describe('POST /api/widget/sessions', () => {
  it('creates a session, and resumes it with its token', async () => {
    const ws = await server.workspace();
    const first = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, locale: 'en' } });
    assert.equal(first.status, 200);
    assert.match(first.body.session.id, /^ses_/);
    assert.equal(typeof first.body.session.token, 'string');
    assert.equal(first.body.workspace.name, 'Demo workspace');
    assert.equal(first.body.resumed, false);
    assert.equal(first.body.workspace.identity_secret, undefined);
    const again = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, session_token: first.body.session.token } });
    assert.equal(again.body.session.id, first.body.session.id);
    assert.equal(again.body.resumed, true);
  });

  it('says who answers (the team, online first, with the pictures operators set) and whether meetings can be booked', async () => {
    const ws = await server.workspace();
    const start = () => call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey } });
    const before = await start();
    assert.deepEqual(before.body.team.map((t: { name: string }) => t.name), [ws.agentName]);
    assert.equal(before.body.team[0].avatar_url, null);
    assert.equal(before.body.booking, false);
    const me = await call(server.base, 'PATCH', '/api/agent/me', { token: ws.operatorKey, body: { name: 'Ada Lovelace', avatar_url: 'https://cdn.example/ada.png' } });
    assert.equal(me.status, 200);
    assert.deepEqual({ ...me.body.agent, id: undefined }, { id: undefined, name: 'Ada Lovelace', avatar_url: 'https://cdn.example/ada.png' });
    await call(server.base, 'POST', '/api/agent/meeting-types', { token: ws.operatorKey, body: { name: { en: 'Demo' }, duration_minutes: 30 } });
    const after = await start();
    assert.deepEqual(after.body.team, [{ name: 'Ada Lovelace', avatar_url: 'https://cdn.example/ada.png' }]);
    assert.equal(after.body.booking, true);
    // A picture is an https URL, a name is not empty, and something must change; nothing is half-written.
    for (const body of [{ avatar_url: 'http://cdn.example/a.png' }, { avatar_url: 'javascript:alert(1)' }, { name: '' }, {}, { nick: 'x' }]) {
      const bad = await call(server.base, 'PATCH', '/api/agent/me', { token: ws.operatorKey, body });
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(typeof bad.body.error.message, 'string');
    }
    assert.deepEqual((await start()).body.team, [{ name: 'Ada Lovelace', avatar_url: 'https://cdn.example/ada.png' }], 'nothing of a refused change was stored');
    const cleared = await call(server.base, 'PATCH', '/api/agent/me', { token: ws.operatorKey, body: { avatar_url: null } });
    assert.deepEqual({ ...cleared.body.agent, id: undefined }, { id: undefined, name: 'Ada Lovelace', avatar_url: null });
  });

  it('an agent key routes the conversation to that agent', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.botKey);
    await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'Hi bot' } });
    const list = await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey });
    assert.equal(list.body.conversations[0].agent_id, ws.botId);
    assert.equal(list.body.conversations[0].assignee_id, ws.botId);
  });

  it('refuses an unknown or missing key, malformed JSON, wrong types and unknown fields', async () => {
    const unknown = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: 'pk_nope' } });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body.error.code, 'invalid_public_key');
    const missing = await call(server.base, 'POST', '/api/widget/sessions', { body: {} });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /missing "public_key"/);
    const malformed = await call(server.base, 'POST', '/api/widget/sessions', { body: '{"public_key": ' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'invalid_json');
    const wrongType = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: 42 } });
    assert.equal(wrongType.status, 400);
    assert.match(wrongType.body.error.message, /public_key must be string/);
    const extra = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: 'x', admin: true } });
    assert.equal(extra.status, 400);
    assert.match(extra.body.error.message, /unknown property "admin"/);
  });

  it('answers the workspace\'s allowed origins (CORS) and refuses others', async () => {
    const ws = await server.workspace({ allowedOrigins: ['https://shop.example'] });
    const ok = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey }, headers: { origin: 'https://shop.example' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
    const refused = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey }, headers: { origin: 'https://evil.example' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'origin_not_allowed');
    const preflight = await fetch(`${server.base}/api/widget/messages`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });
});

describe('/api/widget/messages', () => {
  it('stores a message once per client id and returns customer-safe history', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const clientId = uuid();
    const sent = await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: clientId, content: 'Where is my order?' } });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.message.content, 'Where is my order?');
    assert.equal(sent.body.message.client_id, clientId);
    assert.equal(sent.body.message.author, 'visitor');
    const retry = await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: clientId, content: 'Where is my order?' } });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.message.id, sent.body.message.id);
    assert.equal(await countMessages(ws.workspaceId), 1);
    const history = await call(server.base, 'GET', '/api/widget/messages', { token: v.session.token });
    assert.equal(history.status, 200);
    assert.deepEqual(history.body.messages.map((m: { content: string }) => m.content), ['Where is my order?']);
  });

  it('never lets an internal note, the assignee or author ids out through a widget route', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'Hello' } });
    const [conv] = (await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations;
    await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'SECRET: customer is a VIP', internal: true } });
    await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'Hi, how can I help?' } });
    await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/assign`, { token: ws.operatorKey, body: { assignee_id: ws.agentId } });
    const history = await call(server.base, 'GET', '/api/widget/messages', { token: v.session.token });
    const raw = JSON.stringify(history.body);
    assert.doesNotMatch(raw, /SECRET/);
    assert.doesNotMatch(raw, /internal/);
    assert.doesNotMatch(raw, new RegExp(ws.agentId));
    assert.deepEqual(history.body.messages.map((m: { content: string }) => m.content), ['Hello', 'Hi, how can I help?']);
    assert.equal(history.body.messages[1].author_name, ws.agentName);
    const session = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, session_token: v.session.token } });
    assert.doesNotMatch(JSON.stringify(session.body), new RegExp(`${ws.agentId}|assignee|SECRET|identity_secret`));
    assert.equal(session.body.unread_count, 1);
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const send = (body: unknown, token = v.session.token) => call(server.base, 'POST', '/api/widget/messages', { token, body });
    const tooLong = await send({ client_id: uuid(), content: 'x'.repeat(10_001) });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error.message, /content must NOT have more than 10000 characters/);
    assert.equal((await send({ client_id: uuid(), content: 12 })).status, 400);
    assert.equal((await send({ client_id: uuid(), content: '   ' })).body.error.message, 'body/content is empty');
    assert.equal((await send({ content: 'no id' })).status, 400);
    assert.equal((await send({ client_id: 'bad id!', content: 'x' })).status, 400);
    const noToken = await call(server.base, 'POST', '/api/widget/messages', { body: { client_id: uuid(), content: 'x' } });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.body.error.code, 'missing_session');
    const badToken = await send({ client_id: uuid(), content: 'x' }, 'forged');
    assert.equal(badToken.status, 401);
    assert.equal(badToken.body.error.code, 'invalid_session');
    assert.equal(await countMessages(ws.workspaceId), 0);
  });

  it('limits a flood from one session with 429 and stores only what was allowed', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: `m${i}` } })).status);
    }
    assert.equal(statuses.filter((s) => s === 201).length, 20);
    assert.deepEqual(statuses.slice(20), [429, 429, 429, 429, 429]);
    const limited = await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'more' } });
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.match(limited.body.error.message, /at most 20/);
    assert.equal(await countMessages(ws.workspaceId), 20);
    // Another visitor is not affected.
    const other = await visitor(server.base, ws.publicKey);
    assert.equal((await call(server.base, 'POST', '/api/widget/messages', { token: other.session.token, body: { client_id: uuid(), content: 'hi' } })).status, 201);
  });

  it('markRead clears the visitor\'s unread count', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'Hello' } });
    const [conv] = (await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations;
    await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'One' } });
    await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'Two' } });
    const resume = () => call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, session_token: v.session.token } });
    assert.equal((await resume()).body.unread_count, 2);
    assert.equal((await call(server.base, 'POST', '/api/widget/read', { token: v.session.token })).status, 200);
    assert.equal((await resume()).body.unread_count, 0);
  });
});

describe('events, presence and surveys', () => {
  it('records widget events and presence', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const ev = await call(server.base, 'POST', '/api/widget/events', { token: v.session.token, body: { name: 'widget_open', data: { page: '/pricing' } } });
    assert.equal(ev.status, 202);
    const rows = await server.db.query('select name, data from widget_events where session_id = $1', [v.session.id]);
    assert.deepEqual(rows, [{ name: 'widget_open', data: { page: '/pricing' } }]);
    assert.equal((await call(server.base, 'POST', '/api/widget/events', { token: v.session.token, body: { data: {} } })).status, 400);
    const presence = await call(server.base, 'POST', '/api/widget/presence', { token: v.session.token, body: { page_url: 'https://shop.example/cart' } });
    assert.deepEqual(presence.body, { available: false });
    const [s] = await server.db.query('select page_url from sessions where id = $1', [v.session.id]);
    assert.equal(s!.page_url, 'https://shop.example/cart');
  });

  it('stores CSAT and NPS responses and refuses scores out of range', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    assert.equal((await call(server.base, 'POST', '/api/widget/csat', { token: v.session.token, body: { type: 'csat', score: 5, comment: 'Great' } })).status, 201);
    assert.equal((await call(server.base, 'POST', '/api/widget/csat', { token: v.session.token, body: { type: 'nps', score: 9 } })).status, 201);
    const bad = await call(server.base, 'POST', '/api/widget/csat', { token: v.session.token, body: { type: 'csat', score: 9 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /between 1 and 5/);
    assert.equal((await call(server.base, 'POST', '/api/widget/csat', { token: v.session.token, body: { type: 'stars', score: 1 } })).status, 400);
    const foreign = await call(server.base, 'POST', '/api/widget/csat', { token: v.session.token, body: { type: 'nps', score: 1, conversation_id: 'cnv_other' } });
    assert.equal(foreign.status, 404);
    const rows = await server.db.query('select kind, score from survey_responses where session_id = $1 order by kind', [v.session.id]);
    assert.deepEqual(rows, [{ kind: 'csat', score: 5 }, { kind: 'nps', score: 9 }]);
  });
});
