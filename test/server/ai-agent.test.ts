// The AI agent answering in a chat (issue 19), against the stub model: the answer streams over the
// visitor's realtime stream (ai.start with the sources, ai.delta pieces, the stored message, ai.end),
// resumes after a reconnect, cites what it used, and ends cleanly on a stop, an error or a limit;
// with nothing in the help center it calls no model and says so; a hand-over leaves a note for the
// operators and the agent silent; the model's key never reaches the visitor.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, openSse, startServer, uuid, visitor, type TestServer } from './helpers.js';
import { ANSWER, CITING, startStubModel, type StubModel } from './stub-model.js';

let server: TestServer;
let stub: StubModel;
before(async () => {
  [server, stub] = await Promise.all([startServer({ sessionsPerMinute: 10_000, messagesPerMinute: 10_000 }), startStubModel()]);
});
after(async () => {
  await server.close();
  await stub.close();
});

const KEY = 'sk-never-to-a-visitor-777';
const agent = (ws: { operatorKey: string }, method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });

/** A workspace with a help center, a topic the virtual agent holds, and the stub as its model. */
async function helpCenter(model = 'plain', limits: Record<string, number> = {}) {
  const ws = await server.workspace();
  for (const [slug, title, body] of [
    ['returns', 'Returning an order', 'You can return anything within 30 days.\n\n## Free returns\nReturns are free: print the label from My orders.'],
    ['refunds', 'Refunds', 'Refunds reach your card within 5 working days of our receiving the parcel.'],
    ['shipping', 'Shipping times', 'Parcels leave our warehouse within a day and arrive in 2 to 4 days.'],
  ]) assert.equal((await agent(ws, 'POST', '/articles', { locale: 'en', slug, title, body })).status, 201);
  const menu = await agent(ws, 'POST', '/menus', { names: { en: 'Help' }, channels: ['chat'], deflection_enabled: true });
  assert.equal((await agent(ws, 'PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1`, model, api_key: KEY, ...limits })).status, 200);
  const v = await visitor(server.base, ws.publicKey);
  const chat = await call(server.base, 'POST', '/api/widget/chats', { token: v.session.token, body: { menu_id: menu.body.menu.id, lang: 'en' } });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  assert.equal(chat.body.status, 'va_assigned');
  const stream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
  await stream.next('ready');
  const ask = (content: string) => call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/messages`, { token: v.session.token, body: { client_id: uuid(), content } });
  return { ws, v, chat: chat.body as { id: string }, stream, ask };
}

describe('the AI agent', () => {
  it('streams a cited answer from the help center: start with the sources, the pieces, the stored message, the end', async () => {
    const { ws, v, stream, ask } = await helpCenter('plain');
    const before = stub.requests.length;
    assert.equal((await ask('Are returns free?')).status, 201);
    const start = await stream.next('ai.start', 10_000).catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify(stream.events.map((x) => x.data))}`);
    });
    assert.deepEqual(start.data.sources.map((s: { slug: string }) => s.slug).slice(0, 1), ['returns']);
    const pieces: string[] = [];
    let e;
    while ((e = await stream.next(undefined, 10_000)).event !== 'ai.end') if (e.event === 'ai.delta') pieces.push(e.data.text);
    assert.ok(pieces.length > 1, `streamed in pieces (${pieces.length})`);
    assert.equal(pieces.join(''), ANSWER.trim());
    const stored = stream.events.find((x) => x.event === 'message' && x.data.message.author === 'bot')!.data.message;
    assert.equal(stored.id, e.data.message_id);
    assert.equal(stored.content, ANSWER.trim());
    assert.equal(stored.data.ai.answer_id, start.data.answer_id);
    assert.deepEqual(stored.data.ai.citations.map((c: { slug: string }) => c.slug), ['returns'], 'at least the best source');
    assert.equal(stored.data.escalate, true, 'a person is always one click away');
    // The model got the instructions and the sources, and only the server had the key.
    const sent = stub.requests.slice(before)[0]!;
    assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
    assert.match(sent.body.messages[0].content, /using only the sources below[\s\S]*\[1\] Returning an order/);
    assert.equal(sent.body.messages.at(-1).content, 'Are returns free?');
    assert.ok(stream.events.every((x) => !JSON.stringify(x.data).includes(KEY)));

    // The operators see the answer's every source and mark it; the visitor sees neither.
    const conversation = stored.conversation_id;
    const history = (await agent(ws, 'GET', `/conversations/${conversation}/messages`)).body.messages;
    const seen = history.find((m: { id: string }) => m.id === stored.id);
    assert.deepEqual(seen.data.ai.sources, start.data.sources);
    const marked = await agent(ws, 'POST', `/conversations/${conversation}/messages/${stored.id}/verdict`, { verdict: 'wrong' });
    assert.equal(marked.status, 200, JSON.stringify(marked.body));
    assert.deepEqual([marked.body.message.data.ai.verdict, marked.body.message.data.ai.verdict_by], ['wrong', 'Ada from Support']);
    const visitorCopy = (await call(server.base, 'GET', `/api/widget/chats/${conversation}/messages`, { token: v.session.token })).body.messages.find((m: { id: string }) => m.id === stored.id);
    assert.equal(visitorCopy.data.ai.verdict, undefined);
    assert.equal(visitorCopy.data.ai.sources, undefined);
    const asked = history.find((m: { author: string }) => m.author === 'visitor');
    assert.equal((await agent(ws, 'POST', `/conversations/${conversation}/messages/${asked.id}/verdict`, { verdict: 'good' })).status, 404);
    const great = await agent(ws, 'POST', `/conversations/${conversation}/messages/${stored.id}/verdict`, { verdict: 'great' });
    assert.equal(great.status, 400);
    assert.match(great.body.error.message, /verdict/);
    const kept = (await agent(ws, 'GET', `/conversations/${conversation}/messages`)).body.messages.find((m: { id: string }) => m.id === stored.id);
    assert.equal(kept.data.ai.verdict, 'wrong', 'a refused verdict changes nothing');
    // Another visitor cannot stop this chat's answers: it is not theirs.
    const stranger = await visitor(server.base, ws.publicKey);
    assert.equal((await call(server.base, 'POST', `/api/widget/chats/${conversation}/ai/stop`, { token: stranger.session.token })).status, 404);
    assert.equal((await agent(ws, 'POST', `/conversations/${conversation}/messages/${stored.id}/verdict`, { verdict: null })).body.message.data.ai.verdict, null);
    stream.close();
  });

  it('cites the source the answer names', async () => {
    const { stream, ask } = await helpCenter('cite');
    await ask('When do I get the refund for my returns on my card?');
    await stream.next('ai.end', 10_000);
    const stored = stream.events.find((x) => x.event === 'message' && x.data.message.author === 'bot')!.data.message;
    assert.equal(stored.content, CITING);
    const start = stream.events.find((x) => x.event === 'ai.start')!.data;
    assert.ok(start.sources.length >= 2, JSON.stringify(start.sources));
    assert.deepEqual(stored.data.ai.citations, [start.sources[1]]);
    stream.close();
  });

  it('says it has nothing, without calling the model, when the help center does not cover the question; and when the model says so', async () => {
    const { stream, ask } = await helpCenter('plain');
    const calls = stub.requests.length;
    await ask('What is the weather on Mars tomorrow?');
    let none = await stream.next('message', 10_000);
    while (none.data.message.author !== 'bot') none = await stream.next('message', 10_000);
    assert.equal(none.data.message.author, 'bot');
    assert.match(none.data.message.content, /could not find this in our help center/);
    assert.equal(stub.requests.length, calls, 'no model call');
    assert.ok(!stream.events.some((x) => x.event === 'ai.start'));
    stream.close();

    const declined = await helpCenter('no-answer');
    await declined.ask('Are returns free for furniture?');
    await declined.stream.next('ai.end', 10_000);
    assert.ok(!declined.stream.events.some((x) => x.event === 'ai.delta'), 'the "no answer" mark never reaches the visitor');
    const stored = declined.stream.events.find((x) => x.event === 'message' && x.data.message.author === 'bot')!.data.message;
    assert.match(stored.content, /could not find this in our help center/);
    assert.equal(stored.data.ai.declined, true);
    assert.deepEqual(stored.data.ai.citations, []);
    declined.stream.close();
  });

  it('resumes mid-answer after a reconnect: nothing lost', async () => {
    const { v, stream, ask } = await helpCenter('split');
    await ask('Are returns free?');
    const start = await stream.next('ai.start', 10_000);
    stream.close();
    const again = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}`, 'last-event-id': start.id! });
    const pieces: string[] = [];
    let e;
    while ((e = await again.next(undefined, 10_000)).event !== 'ai.end') if (e.event === 'ai.delta') pieces.push(e.data.text);
    assert.equal(pieces.join(''), ANSWER.trim());
    again.close();
  });

  it('a Stop ends the answer with what it had said; an error mid-answer ends it with an apology and the way to a person', async () => {
    stub.slowMs = 3000;
    const slow = await helpCenter('slow');
    await slow.ask('Are returns free?');
    await slow.stream.next('ai.start', 10_000);
    const stopped = await call(server.base, 'POST', `/api/widget/chats/${slow.chat.id}/ai/stop`, { token: slow.v.session.token });
    assert.deepEqual(stopped.body, { stopped: true });
    const end = await slow.stream.next('ai.end', 10_000);
    assert.equal(end.data.ended, 'stopped');
    assert.deepEqual((await call(server.base, 'POST', `/api/widget/chats/${slow.chat.id}/ai/stop`, { token: slow.v.session.token })).body, { stopped: false });
    slow.stream.close();
    stub.slowMs = 300;

    const broken = await helpCenter('error');
    await broken.ask('Are returns free?');
    const ended = await broken.stream.next('ai.end', 10_000);
    assert.equal(ended.data.ended, 'error');
    const stored = broken.stream.events.find((x) => x.event === 'message' && x.data.message.author === 'bot')!.data.message;
    assert.match(stored.content, /^Returns are free[\s\S]*Sorry, I could not finish this answer/);
    assert.equal(stored.data.escalate, true);
    broken.stream.close();
  });

  it('a hand-over leaves the operators a note and the agent silent; the visitor\'s limit ends in the way to a person', async () => {
    const { ws, v, chat, stream, ask } = await helpCenter('plain', { visitor_requests_per_hour: 1 });
    const inbox = await openSse(`${server.base}/api/agent/stream`, { authorization: `Bearer ${ws.operatorKey}` });
    await inbox.next('ready');
    await ask('Are returns free?');
    await stream.next('ai.end', 10_000);
    await ask('And refunds?');
    const limited = await stream.next('message', 10_000);
    while (limited.data.message.author !== 'bot' || !limited.data.message.data?.ai) Object.assign(limited, await stream.next('message', 10_000));
    assert.match(limited.data.message.content, /cannot answer more questions/);
    assert.equal(limited.data.message.data.ai.limited, true);

    const calls = stub.requests.length;
    assert.equal((await call(server.base, 'POST', `/api/widget/chats/${chat.id}/escalate`, { token: v.session.token })).status, 200);
    let note;
    while (!(note = await inbox.next('message', 10_000)).data.message.internal);
    assert.match(note.data.message.content, /Handed over by the AI assistant\. The visitor asked: «Are returns free\?» · «And refunds\?»\. It answered from: Returning an order\./);
    // Then the model's summary for the person taking over, at the head of the same note.
    const summarized = await inbox.next('message.updated', 10_000);
    assert.equal(summarized.data.message.id, note.data.message.id);
    assert.match(summarized.data.message.content, /^Summary: Returns are free within \*\*30 days\*\*[\s\S]*\n\nHanded over by the AI assistant\./);
    assert.equal(stub.requests.length, calls + 1);
    assert.match(stub.requests.at(-1)!.body.messages.at(-1).content, /^Visitor: Are returns free\?\nAssistant: Returns are free/);
    await ask('Hello, anyone?');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(stub.requests.length, calls + 1, 'silent once a person has it');
    const visitorSaw = (await call(server.base, 'GET', `/api/widget/chats/${chat.id}/messages`, { token: v.session.token })).body.messages;
    assert.ok(!visitorSaw.some((m: { content: string }) => m.content.includes('Handed over')), 'the note stays with the operators');
    stream.close();
    inbox.close();
  });
});
