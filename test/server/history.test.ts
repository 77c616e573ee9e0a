// History by pages: the newest page first, older and newer pages by cursor, a bounded limit.
// A returning visitor with 10,000 stored messages used to get the oldest 5,000 (or the oldest 200
// from GET /messages) and never the newest.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000 });
});
after(() => server.close());

/** A visitor whose conversation holds `n` messages ("message 1" ... "message n"), stored at once. */
async function longConversation(n: number, options: { notesEvery?: number } = {}) {
  const ws = await server.workspace();
  const v = await visitor(server.base, ws.publicKey);
  const first = await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'message 1' } });
  assert.equal(first.status, 201);
  const conversationId = first.body.message.conversation_id as string;
  await server.db.query(
    `insert into messages (id, workspace_id, conversation_id, author, author_name, content, internal, created_at)
     select 'msg_h' || $3 || '_' || i, $1, $2, case when i % 2 = 0 then 'agent' else 'visitor' end, case when i % 2 = 0 then 'Ben' end,
            'message ' || i, $5 > 0 and i % greatest($5, 1) = 0, now() + i * interval '1 second'
     from generate_series(2, $4) as i`,
    [ws.workspaceId, conversationId, conversationId.slice(-8), n, options.notesEvery ?? 0],
  );
  return { ws, v, conversationId };
}

const contents = (body: { messages: { content: string }[] }) => body.messages.map((m) => m.content);

describe('GET /api/widget/messages', () => {
  it('answers the newest page first for a visitor with 10,000 messages, then every older page once, back to the first', async () => {
    const { v } = await longConversation(10_000);
    const newest = await call(server.base, 'GET', '/api/widget/messages', { token: v.session.token });
    assert.equal(newest.status, 200);
    assert.equal(newest.body.messages.length, 50);
    assert.equal(contents(newest.body).at(-1), 'message 10000');
    assert.equal(contents(newest.body)[0], 'message 9951');
    assert.equal(newest.body.later, null);
    assert.ok(newest.body.earlier, 'there are older pages');

    const seen = [...contents(newest.body)];
    let earlier = newest.body.earlier as string | null;
    let requests = 1;
    while (earlier && requests < 100) {
      const page = await call(server.base, 'GET', `/api/widget/messages?before=${earlier}&limit=200`, { token: v.session.token });
      assert.equal(page.status, 200);
      assert.ok(page.body.messages.length <= 200);
      seen.unshift(...contents(page.body));
      earlier = page.body.earlier;
      requests++;
    }
    assert.equal(earlier, null);
    assert.equal(seen.length, 10_000);
    assert.deepEqual(seen, Array.from({ length: 10_000 }, (_, i) => `message ${i + 1}`));
    assert.equal(requests, 1 + Math.ceil(9950 / 200));
  });

  it('pages forward after a cursor (the gap after a reconnection), and says when the newest is reached', async () => {
    const { ws, v, conversationId } = await longConversation(120);
    const newest = await call(server.base, 'GET', '/api/widget/messages?limit=20', { token: v.session.token });
    const cursor = newest.body.cursor as string;
    assert.equal(contents(newest.body).at(-1), 'message 120');
    // Meanwhile (the visitor offline): three replies.
    for (const content of ['one', 'two', 'three']) {
      assert.equal((await call(server.base, 'POST', `/api/agent/conversations/${conversationId}/messages`, { token: ws.operatorKey, body: { content } })).status, 201);
    }
    const gap = await call(server.base, 'GET', `/api/widget/messages?after=${cursor}&limit=2`, { token: v.session.token });
    assert.deepEqual(contents(gap.body), ['one', 'two']);
    assert.equal(gap.body.later, gap.body.cursor, 'more after this page');
    assert.ok(gap.body.earlier);
    const rest = await call(server.base, 'GET', `/api/widget/messages?after=${gap.body.later}&limit=2`, { token: v.session.token });
    assert.deepEqual(contents(rest.body), ['three']);
    assert.equal(rest.body.later, null);
    const none = await call(server.base, 'GET', `/api/widget/messages?after=${rest.body.cursor}`, { token: v.session.token });
    assert.deepEqual(none.body.messages, []);
    assert.equal(none.body.cursor, rest.body.cursor, 'an empty page keeps the cursor');
  });

  it('leaves operators\' notes out of the visitor\'s pages, and keeps them in the operator\'s', async () => {
    const { ws, v, conversationId } = await longConversation(30, { notesEvery: 3 });
    const page = await call(server.base, 'GET', '/api/widget/messages?limit=10', { token: v.session.token });
    assert.equal(page.body.messages.length, 10);
    assert.ok(contents(page.body).every((c) => Number(c.split(' ')[1]) % 3 !== 0));
    assert.equal(contents(page.body).at(-1), 'message 29');
    const operator = await call(server.base, 'GET', `/api/agent/conversations/${conversationId}/messages?limit=10`, { token: ws.operatorKey });
    assert.equal(operator.status, 200);
    assert.deepEqual(contents(operator.body), Array.from({ length: 10 }, (_, i) => `message ${21 + i}`));
    const older = await call(server.base, 'GET', `/api/agent/conversations/${conversationId}/messages?before=${operator.body.earlier}&limit=200`, { token: ws.operatorKey });
    assert.equal(older.body.messages.length, 20);
    assert.equal(older.body.earlier, null);
    assert.equal(older.body.later, String(older.body.cursor));
  });

  it('serves at most 200 a page (a widget of an earlier version asks for 500 and pages on)', async () => {
    const { v } = await longConversation(450);
    const old = await call(server.base, 'GET', '/api/widget/messages?after=0&limit=500', { token: v.session.token });
    assert.equal(old.status, 200);
    assert.equal(old.body.messages.length, 200);
    assert.equal(contents(old.body)[0], 'message 1');
    assert.equal(old.body.later, old.body.cursor);
    const next = await call(server.base, 'GET', `/api/widget/messages?after=${old.body.cursor}&limit=500`, { token: v.session.token });
    assert.equal(contents(next.body)[0], 'message 201');
  });

  it('refuses a limit of 0, both directions at once and a cursor that is not a position, saying what is wrong', async () => {
    const { v } = await longConversation(5);
    for (const [query, words] of [
      ['limit=0', /limit must be at least 1, got 0/],
      ['limit=ten', /limit/],
      ['before=9&after=3', /before and after cannot be used together/],
      ['before=-1', /before/],
      ['after=1e3', /after/],
    ] as const) {
      const answer = await call(server.base, 'GET', `/api/widget/messages?${query}`, { token: v.session.token });
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.code, 'invalid_request', query);
      assert.match(answer.body.error.message, words, query);
    }
  });
});

describe('GET /api/widget/chats/:id/messages', () => {
  it('pages a chat\'s messages the same way: the newest page first', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const menu = await call(server.base, 'POST', '/api/agent/menus', { token: ws.operatorKey, body: { names: { en: 'Support' }, channels: ['chat'] } });
    const chat = await call(server.base, 'POST', '/api/widget/chats', { token: v.session.token, body: { menu_id: menu.body.menu.id, lang: 'en' } });
    assert.equal(chat.status, 201, JSON.stringify(chat.body));
    for (let i = 1; i <= 12; i++) {
      assert.equal((await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/messages`, { token: v.session.token, body: { client_id: uuid(), content: `chat ${i}` } })).status, 201);
    }
    const newest = await call(server.base, 'GET', `/api/widget/chats/${chat.body.id}/messages?limit=5`, { token: v.session.token });
    assert.deepEqual(contents(newest.body), ['chat 8', 'chat 9', 'chat 10', 'chat 11', 'chat 12']);
    const older = await call(server.base, 'GET', `/api/widget/chats/${chat.body.id}/messages?before=${newest.body.earlier}&limit=5`, { token: v.session.token });
    assert.deepEqual(contents(older.body), ['chat 3', 'chat 4', 'chat 5', 'chat 6', 'chat 7']);
    const bad = await call(server.base, 'GET', `/api/widget/chats/${chat.body.id}/messages?limit=0`, { token: v.session.token });
    assert.equal(bad.status, 400);
  });
});
