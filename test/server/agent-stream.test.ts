import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, openSse, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000 });
});
after(() => server.close());

async function conversationWith(ws: { publicKey: string; operatorKey: string }, text = 'Hello') {
  const v = await visitor(server.base, ws.publicKey);
  await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: text } });
  const list = await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey });
  const conv = list.body.conversations.find((c: { last_message: { content: string } }) => c.last_message.content === text);
  return { v, conv };
}

describe('operators', () => {
  it('lists conversations newest first with unread counts, and reads one', async () => {
    const ws = await server.workspace();
    const a = await conversationWith(ws, 'first');
    const b = await conversationWith(ws, 'second');
    await call(server.base, 'POST', '/api/widget/messages', { token: b.v.session.token, body: { client_id: uuid(), content: 'second again' } });
    const list = await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.conversations.map((c: { id: string }) => c.id), [b.conv.id, a.conv.id]);
    assert.deepEqual(list.body.conversations.map((c: { unread_count: number }) => c.unread_count), [2, 1]);
    const one = await call(server.base, 'GET', `/api/agent/conversations/${a.conv.id}`, { token: ws.operatorKey });
    assert.deepEqual(Object.keys(one.body).sort(), ['agent_id', 'assignee_id', 'assignee_name', 'category', 'chat_status', 'contact', 'created_at', 'feedback', 'fields', 'form_id', 'id', 'lang', 'menu_id', 'name', 'notifications', 'others', 'rating', 'scores', 'session', 'status', 'survey', 'tickets', 'topic', 'updated_at', 'variables']);
    assert.equal(one.body.status, 'open');
    await call(server.base, 'POST', `/api/agent/conversations/${a.conv.id}/read`, { token: ws.operatorKey });
    const after = await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey });
    assert.equal(after.body.conversations.find((c: { id: string }) => c.id === a.conv.id).unread_count, 0);
  });

  it('replies, adds internal notes, assigns and sets status', async () => {
    const ws = await server.workspace();
    const { conv } = await conversationWith(ws);
    const reply = await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'On it' } });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.message.author, 'agent');
    const note = await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'VIP', internal: true } });
    assert.equal(note.body.message.internal, true);
    const messages = await call(server.base, 'GET', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey });
    assert.deepEqual(messages.body.messages.map((m: { content: string; internal: boolean }) => [m.content, m.internal]), [['Hello', false], ['On it', false], ['VIP', true]]);
    const assigned = await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/assign`, { token: ws.operatorKey, body: { assignee_id: ws.agentId } });
    assert.equal(assigned.body.assignee_id, ws.agentId);
    const closed = await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/status`, { token: ws.operatorKey, body: { status: 'closed' } });
    assert.equal(closed.body.status, 'closed');
    assert.equal((await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/status`, { token: ws.operatorKey, body: { status: 'done' } })).status, 400);
    const unknownAgent = await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/assign`, { token: ws.operatorKey, body: { assignee_id: 'ag_nobody' } });
    assert.equal(unknownAgent.status, 404);
    assert.equal((await call(server.base, 'GET', `/api/agent/conversations/${conv.id}`, { token: ws.operatorKey })).body.assignee_id, ws.agentId);
  });

  it('refuses a missing or unknown key, and another workspace\'s conversation is 404 with none of its data', async () => {
    const ws = await server.workspace();
    const other = await server.workspace();
    const { conv } = await conversationWith(ws, 'private to ws');
    assert.equal((await call(server.base, 'GET', '/api/agent/conversations')).body.error.code, 'missing_operator_key');
    assert.equal((await call(server.base, 'GET', '/api/agent/conversations', { token: 'sk_wrong' })).status, 401);
    for (const [method, path, body] of [
      ['GET', `/api/agent/conversations/${conv.id}`, undefined],
      ['GET', `/api/agent/conversations/${conv.id}/messages`, undefined],
      ['POST', `/api/agent/conversations/${conv.id}/messages`, { content: 'sneaky' }],
      ['POST', `/api/agent/conversations/${conv.id}/status`, { status: 'closed' }],
    ] as const) {
      const res = await call(server.base, method, path, { token: other.operatorKey, body });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.doesNotMatch(JSON.stringify(res.body), /private to ws/);
    }
    assert.deepEqual((await call(server.base, 'GET', '/api/agent/conversations', { token: other.operatorKey })).body.conversations, []);
    const unknown = await call(server.base, 'GET', '/api/agent/conversations/cnv_missing', { token: ws.operatorKey });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    const msgs = await server.db.query("select count(*)::int as n from messages where content = 'sneaky'");
    assert.equal(msgs[0]!.n, 0);
  });
});

describe('realtime', () => {
  it('a visitor stream gets operator replies live, never internal notes', async () => {
    const ws = await server.workspace();
    const { v, conv } = await conversationWith(ws);
    const stream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    try {
      await stream.next('ready');
      await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'note', internal: true } });
      await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'Hi there' } });
      const e = await stream.next('message');
      assert.equal(e.data.message.content, 'Hi there');
      assert.equal(e.data.message.internal, undefined);
      assert.equal(e.data.message.author_id, undefined);
      assert.ok(stream.events.every((x) => x.data?.message?.content !== 'note'));
    } finally {
      stream.close();
    }
  });

  it('resumes with Last-Event-ID: a cut stream, three replies, a reconnect gets exactly those three', async () => {
    const ws = await server.workspace();
    const { v, conv } = await conversationWith(ws);
    const first = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    const ready = await first.next('ready');
    const cursor = ready.data.cursor as number;
    first.close();
    for (const text of ['one', 'two', 'three']) {
      await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: text } });
    }
    const second = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}`, 'last-event-id': String(cursor) });
    try {
      await second.next('ready');
      const got = second.events.filter((e) => e.event === 'message').map((e) => e.data.message.content);
      assert.deepEqual(got, ['one', 'two', 'three']);
      const ids = second.events.filter((e) => e.event === 'message').map((e) => Number(e.id));
      assert.ok(ids.every((id) => id > cursor));
      // ...and live after that.
      await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey, body: { content: 'four' } });
      assert.equal((await second.next('message')).data.message.content, 'four');
    } finally {
      second.close();
    }
  });

  it('typing indicators go both ways', async () => {
    const ws = await server.workspace();
    const { v, conv } = await conversationWith(ws);
    const visitorStream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    const inbox = await openSse(`${server.base}/api/agent/stream`, { authorization: `Bearer ${ws.operatorKey}` });
    try {
      await visitorStream.next('ready');
      await inbox.next('ready');
      assert.equal((await call(server.base, 'POST', '/api/widget/typing', { token: v.session.token, body: { typing: true } })).status, 202);
      const seen = await inbox.next('typing');
      assert.deepEqual(seen.data, { conversation_id: conv.id, typing: true, who: 'visitor' });
      await call(server.base, 'POST', `/api/agent/conversations/${conv.id}/typing`, { token: ws.operatorKey, body: { typing: true } });
      assert.deepEqual((await visitorStream.next('typing')).data, { chat_id: conv.id, typing: true, name: ws.agentName });
      assert.equal((await call(server.base, 'POST', '/api/widget/typing', { token: v.session.token, body: { typing: 'yes' } })).status, 400);
    } finally {
      visitorStream.close();
      inbox.close();
    }
  });

  it('one visitor\'s stream carries nothing of another visitor or workspace', async () => {
    const ws = await server.workspace();
    const other = await server.workspace();
    const a = await conversationWith(ws, 'from a');
    const b = await conversationWith(ws, 'from b');
    const c = await conversationWith(other, 'from c');
    const stream = await openSse(`${server.base}/api/widget/stream?token=${a.v.session.token}`);
    try {
      await stream.next('ready');
      await call(server.base, 'POST', `/api/agent/conversations/${b.conv.id}/messages`, { token: ws.operatorKey, body: { content: 'to b' } });
      await call(server.base, 'POST', `/api/agent/conversations/${c.conv.id}/messages`, { token: other.operatorKey, body: { content: 'to c' } });
      await call(server.base, 'POST', `/api/agent/conversations/${a.conv.id}/messages`, { token: ws.operatorKey, body: { content: 'to a' } });
      assert.equal((await stream.next('message')).data.message.content, 'to a');
      assert.deepEqual(stream.events.filter((e) => e.event === 'message').map((e) => e.data.message.content), ['to a']);
    } finally {
      stream.close();
    }
  });

  it('the operator stream shows new conversations and messages, and an open inbox makes the workspace available', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    assert.equal(v.available, false);
    const visitorStream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    await visitorStream.next('ready');
    const inbox = await openSse(`${server.base}/api/agent/stream`, { authorization: `Bearer ${ws.operatorKey}` });
    try {
      await inbox.next('ready');
      assert.equal((await visitorStream.next('availability')).data.available, true);
      await call(server.base, 'POST', '/api/widget/messages', { token: v.session.token, body: { client_id: uuid(), content: 'Anyone there?' } });
      const created = await inbox.next('conversation.created');
      const message = await inbox.next('message');
      assert.equal(message.data.message.content, 'Anyone there?');
      assert.equal(message.data.conversation_id, created.data.conversation.id);
    } finally {
      inbox.close();
    }
    assert.equal((await visitorStream.next('availability')).data.available, false);
    visitorStream.close();
  });
});
