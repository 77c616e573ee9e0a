import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000 });
});
after(() => server.close());

type WS = Awaited<ReturnType<TestServer['workspace']>>;
const op = (ws: WS, method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
const as = (token: string, method: string, path: string, body?: unknown) => call(server.base, method, `/api/widget${path}`, { token, body });

/** Every message of the workspace's conversations, as operators see them. */
async function stored(ws: WS): Promise<{ conversation: string; content: string; client_id: string | null }[]> {
  const out: { conversation: string; content: string; client_id: string | null }[] = [];
  for (const c of (await op(ws, 'GET', '/conversations')).body.conversations as { id: string }[]) {
    for (const m of (await op(ws, 'GET', `/conversations/${c.id}/messages`)).body.messages) out.push({ conversation: c.id, content: m.content, client_id: m.client_id });
  }
  return out.sort((a, b) => a.content.localeCompare(b.content));
}

describe('message idempotency keys belong to the session that sent them', () => {
  it('POST /messages: visitor B with A\'s client_id gets their own message stored, never A\'s; A\'s retry is still answered once', async () => {
    const ws = await server.workspace();
    const a = await visitor(server.base, ws.publicKey);
    const b = await visitor(server.base, ws.publicKey);
    const clientId = uuid();
    const first = await as(a.session.token, 'POST', '/messages', { client_id: clientId, content: 'A: my card number is private' });
    assert.equal(first.status, 201);

    const borrowed = await as(b.session.token, 'POST', '/messages', { client_id: clientId, content: 'B: hello' });
    assert.equal(borrowed.status, 201, JSON.stringify(borrowed.body));
    assert.equal(borrowed.body.message.content, 'B: hello');
    assert.notEqual(borrowed.body.message.id, first.body.message.id);
    assert.notEqual(borrowed.body.message.conversation_id, first.body.message.conversation_id);
    assert.ok(!JSON.stringify(borrowed.body).includes('private'));
    assert.deepEqual((await as(b.session.token, 'GET', '/messages')).body.messages.map((m: { content: string }) => m.content), ['B: hello']);

    const retry = await as(a.session.token, 'POST', '/messages', { client_id: clientId, content: 'A: my card number is private' });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.message.id, first.body.message.id);
    const again = await as(b.session.token, 'POST', '/messages', { client_id: clientId, content: 'B: hello' });
    assert.equal(again.status, 200);
    assert.equal(again.body.message.id, borrowed.body.message.id);

    assert.deepEqual(await stored(ws), [
      { conversation: first.body.message.conversation_id, content: 'A: my card number is private', client_id: clientId },
      { conversation: borrowed.body.message.conversation_id, content: 'B: hello', client_id: clientId },
    ]);
  });

  it('POST /chats/:id/messages: the same, in each visitor\'s own chat', async () => {
    const ws = await server.workspace();
    const menu = (await op(ws, 'POST', '/menus', { names: { en: 'Support' }, channels: ['chat'] })).body.menu.id;
    const a = await visitor(server.base, ws.publicKey);
    const b = await visitor(server.base, ws.publicKey);
    const chatA = (await as(a.session.token, 'POST', '/chats', { menu_id: menu, lang: 'en' })).body.id as string;
    const chatB = (await as(b.session.token, 'POST', '/chats', { menu_id: menu, lang: 'en' })).body.id as string;
    assert.ok(chatA && chatB && chatA !== chatB);
    const clientId = uuid();
    const first = await as(a.session.token, 'POST', `/chats/${chatA}/messages`, { client_id: clientId, content: 'A: secret' });
    assert.equal(first.status, 201);
    const borrowed = await as(b.session.token, 'POST', `/chats/${chatB}/messages`, { client_id: clientId, content: 'B: hi' });
    assert.equal(borrowed.status, 201, JSON.stringify(borrowed.body));
    assert.equal(borrowed.body.message.content, 'B: hi');
    assert.equal(borrowed.body.message.conversation_id ?? chatB, chatB);
    assert.ok(!JSON.stringify(borrowed.body).includes('secret') && !JSON.stringify(borrowed.body).includes(chatA));
    // B naming A's chat is refused as unknown: nothing of A's leaks, nothing is stored.
    const intoA = await as(b.session.token, 'POST', `/chats/${chatA}/messages`, { client_id: uuid(), content: 'B: into A' });
    assert.equal(intoA.status, 404);
    const retry = await as(a.session.token, 'POST', `/chats/${chatA}/messages`, { client_id: clientId, content: 'A: secret' });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.message.id, first.body.message.id);
    const contents = (await stored(ws)).filter((m) => m.client_id === clientId).map((m) => [m.conversation, m.content]);
    assert.deepEqual(contents, [[chatA, 'A: secret'], [chatB, 'B: hi']]);
  });
});
