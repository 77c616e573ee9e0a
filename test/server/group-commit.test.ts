// Visitors' messages that arrive together are written together (group commit, migration 015): fewer
// transactions than messages, and every message answered as if it had been sent alone: stored once,
// in each visitor's order, a retry of a client id answered with the stored message, a finished chat
// refused without failing its neighbours, a first message opening its conversation, each one
// reaching the operators' stream once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, openSse, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000, messagesPerMinute: 10_000 });
});
after(() => server.close());

const say = (token: string, body: Record<string, unknown>, path = '/messages') => call(server.base, 'POST', `/api/widget${path}`, { token, body });

describe('messages sent at the same time', () => {
  it('are stored once each, in order, in fewer transactions than messages, and each reaches the operators once', async () => {
    const ws = await server.workspace();
    const inbox = await openSse(`${server.base}/api/agent/stream`, { authorization: `Bearer ${ws.operatorKey}` });
    await inbox.next('ready');

    // 20 visitors with a conversation going on; one more whose first message opens one; one whose chat is finished.
    const talking = await Promise.all(Array.from({ length: 20 }, () => visitor(server.base, ws.publicKey)));
    for (const [i, v] of talking.entries()) assert.equal((await say(v.session.token, { client_id: uuid(), content: `v${i} hello` })).status, 201);
    const newcomer = await visitor(server.base, ws.publicKey);
    const finisher = await visitor(server.base, ws.publicKey);
    const menu = await call(server.base, 'POST', '/api/agent/menus', { token: ws.operatorKey, body: { names: { en: 'Support' }, channels: ['chat'] } });
    const chat = await call(server.base, 'POST', '/api/widget/chats', { token: finisher.session.token, body: { menu_id: menu.body.menu.id, lang: 'en' } });
    assert.equal(chat.status, 201, JSON.stringify(chat.body));
    assert.equal((await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/finish`, { token: finisher.session.token })).status, 200);

    // The statements that store visitors' messages (a batch, or one alone).
    let writes = 0;
    const tx = server.db.tx.bind(server.db);
    server.db.tx = (fn) =>
      tx((q) =>
        fn({
          query: (sql, params) => {
            if (/visitor_messages?\(/.test(sql)) writes++;
            return q.query(sql, params);
          },
        }),
      );
    // The database busy (a transaction holding the conversations) while everyone sends: what arrives meanwhile waits together.
    // The lock is taken before anyone sends (awaited, not assumed from a delay: a slow machine takes longer to begin).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const busy = server.db.tx(async (q) => {
      await q.query('select id from conversations where workspace_id = $1 for update', [ws.workspaceId]);
      held();
      await released;
    });
    await holding;
    const retried = uuid();
    let answers: { status: number; body: any }[];
    let twice: { status: number; body: any }[];
    try {
      // Each visitor sends one message after the other (as the widget's outbox does); v0 sends its third twice at once.
      const sending = Promise.all(
        talking.map(async (v, i) => {
          const out = [];
          for (let round = 0; round < 5; round++) {
            const body = { client_id: uuid(), content: `v${i} #${round}` };
            if (round === 2 && i === 0) out.push(...(await Promise.all([say(v.session.token, { ...body, client_id: retried }), say(v.session.token, { ...body, client_id: retried })])));
            else out.push(await say(v.session.token, body));
          }
          return out;
        }),
      );
      const others = Promise.all([say(newcomer.session.token, { client_id: uuid(), content: 'newcomer: first words' }), say(finisher.session.token, { client_id: uuid(), content: 'too late' }, `/chats/${chat.body.id}/messages`)]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      release();
      await busy;
      answers = [...(await sending).flat(), ...(await others)];
    } finally {
      server.db.tx = tx;
    }
    twice = answers.filter((a) => a.body.message?.client_id === retried);

    const refused = answers.at(-1)!;
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'chat_finished');
    const opened = answers.at(-2)!;
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const stored = answers.slice(0, -2);
    assert.deepEqual(twice.map((a) => a.status).sort(), [200, 201], 'the same client id twice: stored once, answered with it twice');
    assert.equal(twice[0]!.body.message.id, twice[1]!.body.message.id);
    assert.ok(stored.every((a) => a.status === 201 || a.status === 200), JSON.stringify(stored.find((a) => a.status > 201)?.body));
    assert.ok(writes <= 30, `${writes} writes for 102 messages: they were not written together`);

    // Each visitor's messages in the order sent, once each.
    for (const [i, v] of talking.entries()) {
      const history = await call(server.base, 'GET', '/api/widget/messages', { token: v.session.token });
      assert.deepEqual(history.body.messages.map((m: { content: string }) => m.content), [`v${i} hello`, ...[0, 1, 2, 3, 4].map((r) => `v${i} #${r}`)]);
    }
    const mine = await call(server.base, 'GET', '/api/widget/messages', { token: newcomer.session.token });
    assert.deepEqual(mine.body.messages.map((m: { content: string }) => m.content), ['newcomer: first words']);

    // The operators' stream: each new message once (100 + the newcomer's; the retry is not a new one).
    const seen = new Map<string, number>();
    for (let n = 0; n < 101; n++) {
      const e = await inbox.next('message', 10_000);
      seen.set(e.data.message.content, (seen.get(e.data.message.content) ?? 0) + 1);
    }
    assert.equal(seen.size, 101);
    assert.ok([...seen.values()].every((count) => count === 1));
    assert.ok(!seen.has('too late'));
    inbox.close();
  });
});
