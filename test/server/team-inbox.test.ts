// The operator API of an inbox a team works in (issue 18): the list filtered by assignee and status,
// searched over contacts and message text, unread per operator (none on a closed conversation), a
// name for an anonymous visitor, the topic's name, the page; the conversation with its survey, rating
// and the contact's other conversations; the team with presence; canned replies; bad input refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, openSse, startServer, uuid, visitor, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startServer({ sessionsPerMinute: 10_000, messagesPerMinute: 10_000 });
});
after(() => server.close());

const say = (token: string, content: string) => call(server.base, 'POST', '/api/widget/messages', { token, body: { client_id: uuid(), content } });
const agent = (key: string, method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: key, body });

/** A workspace with a second operator (an agent, with their own key). */
async function team() {
  const ws = await server.workspace();
  const added = await agent(ws.operatorKey, 'POST', '/operators', { name: 'Ben Carter', email: 'ben@example.com', role: 'agent' });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  return { ws, ada: { key: ws.operatorKey, id: ws.agentId }, ben: { key: added.body.key as string, id: added.body.operator.id as string } };
}

describe('the team inbox API', () => {
  it('filters by assignee and status, searches contacts and message text, and names anonymous visitors apart', async () => {
    const { ws, ada, ben } = await team();
    const a = await visitor(server.base, ws.publicKey);
    const b = await visitor(server.base, ws.publicKey);
    const c = await visitor(server.base, ws.publicKey);
    await say(a.session.token, 'My parcel never arrived, order 4471');
    await say(b.session.token, 'How do refunds work?');
    await say(c.session.token, 'Hello there');
    await call(server.base, 'POST', '/api/widget/identify', { token: c.session.token, body: { name: 'Chloé Martin', email: 'chloe@example.com' } });
    const all = (await agent(ada.key, 'GET', '/conversations')).body.conversations as any[];
    assert.equal(all.length, 3);
    const byText = (t: string) => all.find((x) => x.last_message?.content === t);
    const [ca, cb, cc] = [byText('My parcel never arrived, order 4471'), byText('How do refunds work?'), byText('Hello there')];
    // Two anonymous visitors: two different names, the same every time.
    assert.match(ca.name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    assert.notEqual(ca.name, cb.name);
    assert.equal((await agent(ben.key, 'GET', '/conversations')).body.conversations.find((x: any) => x.id === ca.id).name, ca.name);
    assert.equal((await agent(ada.key, 'GET', `/conversations/${ca.id}`)).body.name, ca.name);

    assert.equal((await agent(ada.key, 'POST', `/conversations/${ca.id}/assign`, { assignee_id: ben.id })).status, 200);
    assert.equal((await agent(ada.key, 'POST', `/conversations/${cb.id}/assign`, { assignee_id: ada.id })).status, 200);
    assert.equal((await agent(ada.key, 'POST', `/conversations/${cb.id}/status`, { status: 'closed' })).status, 200);
    const ids = async (key: string, query: string) => ((await agent(key, 'GET', `/conversations?${query}`)).body.conversations as any[]).map((x) => x.id).sort();
    assert.deepEqual(await ids(ben.key, 'assignee=me'), [ca.id]);
    assert.deepEqual(await ids(ada.key, 'assignee=me'), [cb.id]);
    assert.deepEqual(await ids(ada.key, 'assignee=unassigned'), [cc.id]);
    assert.deepEqual(await ids(ada.key, 'status=open'), [ca.id, cc.id].sort());
    assert.deepEqual(await ids(ada.key, 'status=closed'), [cb.id]);
    assert.deepEqual(await ids(ada.key, 'assignee=me&status=open'), []);
    assert.deepEqual(await ids(ada.key, `assignee=${ben.id}&status=all`), [ca.id]);
    const listed = (await agent(ada.key, 'GET', '/conversations')).body.conversations.find((x: any) => x.id === ca.id);
    assert.equal(listed.assignee_name, 'Ben Carter');

    // Search: words of messages (prefixes, any case), contacts' names and emails; the matching message comes with it.
    const search = async (q: string) => ((await agent(ada.key, 'GET', `/conversations?q=${encodeURIComponent(q)}`)).body.conversations as any[]);
    assert.deepEqual((await search('parcel')).map((x) => x.id), [ca.id]);
    assert.equal((await search('PARC 4471'))[0].match, 'My parcel never arrived, order 4471');
    assert.deepEqual((await search('refund')).map((x) => x.id), [cb.id]);
    assert.deepEqual((await search('chloé')).map((x) => x.id), [cc.id]);
    assert.deepEqual((await search('chloe@example')).map((x) => x.id), [cc.id]);
    assert.deepEqual(await search('nothing like this'), []);
    assert.equal((await search('%_\\ & | ! :* (')).length, 3, 'punctuation only: no words, no error, the whole list');
  });

  it('counts unread per operator, none on a closed conversation', async () => {
    const { ws, ada, ben } = await team();
    const v = await visitor(server.base, ws.publicKey);
    await say(v.session.token, 'one');
    await say(v.session.token, 'two');
    const unread = async (key: string) => (await agent(key, 'GET', '/conversations')).body.conversations[0].unread_count;
    assert.equal(await unread(ada.key), 2);
    assert.equal(await unread(ben.key), 2);
    const id = (await agent(ada.key, 'GET', '/conversations')).body.conversations[0].id;
    assert.equal((await agent(ada.key, 'POST', `/conversations/${id}/read`)).status, 200);
    assert.equal(await unread(ada.key), 0, 'Ada read it');
    assert.equal(await unread(ben.key), 2, 'Ben has not');
    await say(v.session.token, 'three');
    assert.equal(await unread(ada.key), 1);
    // Ben replies: what he answered he has read.
    assert.equal((await agent(ben.key, 'POST', `/conversations/${id}/messages`, { content: 'Hi!' })).status, 201);
    assert.equal(await unread(ben.key), 0);
    await say(v.session.token, 'four');
    assert.equal((await agent(ada.key, 'POST', `/conversations/${id}/status`, { status: 'closed' })).status, 200);
    assert.equal(await unread(ada.key), 0, 'a closed conversation shows no unread count');
    assert.equal(await unread(ben.key), 0);
  });

  it('shows the topic by name, the page, the survey and rating, and the contact\'s other conversations', async () => {
    const { ws, ada } = await team();
    const menu = await agent(ada.key, 'POST', '/menus', { names: { en: 'Billing', fr: 'Facturation' }, channels: ['chat'] });
    const question = await agent(ada.key, 'POST', '/survey-questions', { type: 'rating', display_text: { en: 'How easy was it?' }, valid_answers: [1, 5] });
    assert.equal(question.status, 201, JSON.stringify(question.body));
    const v = await visitor(server.base, ws.publicKey);
    await call(server.base, 'POST', '/api/widget/identify', { token: v.session.token, body: { email: 'dana@example.com' } });
    await say(v.session.token, 'an earlier question');
    const earlier = (await agent(ada.key, 'GET', '/conversations')).body.conversations[0];
    await agent(ada.key, 'POST', `/conversations/${earlier.id}/status`, { status: 'closed' });
    const chat = await call(server.base, 'POST', '/api/widget/chats', { token: v.session.token, body: { menu_id: menu.body.menu.id, lang: 'en' } });
    assert.equal(chat.status, 201, JSON.stringify(chat.body));
    await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/messages`, { token: v.session.token, body: { client_id: uuid(), content: 'about my invoice' } });
    await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/finish`, { token: v.session.token });
    assert.equal((await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/rate`, { token: v.session.token, body: { rating: 4, feedback: 'quick' } })).status, 200);
    const answered = await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/survey`, { token: v.session.token, body: { answers: { [question.body.id]: 5 } } });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));

    const listed = (await agent(ada.key, 'GET', '/conversations')).body.conversations.find((x: any) => x.id === chat.body.id);
    assert.equal(listed.topic, 'Billing');
    assert.equal(listed.name, 'dana@example.com');
    const detail = (await agent(ada.key, 'GET', `/conversations/${chat.body.id}`)).body;
    assert.equal(detail.topic, 'Billing');
    assert.equal(detail.rating, 4);
    assert.equal(detail.feedback, 'quick');
    assert.deepEqual(detail.survey, [{ question: 'How easy was it?', answer: '5' }]);
    assert.deepEqual(detail.others.map((o: any) => [o.id, o.status, o.last_message]), [[earlier.id, 'closed', 'an earlier question']]);
  });

  it('lists the team with presence, and tells teammates who comes online and who is typing', async () => {
    const { ws, ada, ben } = await team();
    const stream = await openSse(`${server.base}/api/agent/stream`, { authorization: `Bearer ${ada.key}` });
    await stream.next('ready');
    const operators = (await agent(ada.key, 'GET', '/team')).body.operators as any[];
    assert.deepEqual(operators.map((o) => [o.name, o.role]), [['Ada from Support', 'admin'], ['Ben Carter', 'agent']]);
    assert.equal(operators.find((o) => o.id === ada.id).online, true, 'an open inbox stream is an operator online');
    assert.equal(operators.find((o) => o.id === ben.id).online, false);
    assert.equal((await agent(ben.key, 'POST', '/presence', { online: true })).status, 200);
    assert.deepEqual((await stream.next('agent.presence')).data, { agent_id: ben.id, online: true, conversation_id: null });
    assert.equal((await agent(ada.key, 'GET', '/team')).body.operators.find((o: any) => o.id === ben.id).online, true);

    const v = await visitor(server.base, ws.publicKey);
    await say(v.session.token, 'hi');
    const id = (await agent(ada.key, 'GET', '/conversations')).body.conversations[0].id;
    assert.equal((await agent(ben.key, 'POST', `/conversations/${id}/typing`, { typing: true })).status, 202);
    const typing = await stream.next('operator.typing');
    assert.deepEqual(typing.data, { agent_id: ben.id, name: 'Ben Carter', typing: true, conversation_id: id });

    // A callback asked for reaches the inboxes as it is stored.
    const menu = await agent(ada.key, 'POST', '/menus', { names: { en: 'Phone' }, channels: ['voice_call'] });
    const asked = await call(server.base, 'POST', '/api/widget/calls', { token: v.session.token, body: { menu_id: menu.body.menu.id, lang: 'en', phone_number: '+351912345678' } });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const requested = await stream.next('call.requested');
    assert.equal(requested.data.call.id, asked.body.id);
    assert.equal(requested.data.call.phone_number, '+351912345678');
    stream.close();
  });

  it('keeps canned replies per workspace, and refuses bad ones with a clear error', async () => {
    const { ws, ada, ben } = await team();
    const made = await agent(ada.key, 'POST', '/canned-replies', { shortcut: 'refund', content: 'Refunds take 5 working days.' });
    assert.equal(made.status, 201);
    assert.match(made.body.canned_reply.id, /^can_/);
    assert.deepEqual((await agent(ben.key, 'GET', '/canned-replies')).body.canned_replies.map((r: any) => r.shortcut), ['refund'], 'shared with the team');
    const other = await server.workspace();
    assert.deepEqual((await agent(other.operatorKey, 'GET', '/canned-replies')).body.canned_replies, [], 'not with another workspace');

    const dup = await agent(ben.key, 'POST', '/canned-replies', { shortcut: 'refund', content: 'again' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'duplicate_key');
    for (const bad of [{ shortcut: 'Has Space', content: 'x' }, { shortcut: 'ok', content: '   ' }, { shortcut: 'ok' }, { shortcut: 'ok', content: 'x', extra: 1 }]) {
      const res = await agent(ada.key, 'POST', '/canned-replies', bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.ok(res.body.error.message, 'says what is wrong');
    }
    const id = made.body.canned_reply.id;
    const changed = await agent(ben.key, 'PATCH', `/canned-replies/${id}`, { content: 'Refunds take 3 working days.' });
    assert.equal(changed.body.canned_reply.content, 'Refunds take 3 working days.');
    assert.equal((await agent(other.operatorKey, 'PATCH', `/canned-replies/${id}`, { content: 'hijack' })).status, 404);
    assert.equal((await agent(other.operatorKey, 'DELETE', `/canned-replies/${id}`)).status, 404);
    assert.equal((await agent(ada.key, 'DELETE', `/canned-replies/${id}`)).status, 200);
    assert.deepEqual((await agent(ada.key, 'GET', '/canned-replies')).body.canned_replies, []);
    for (const query of ['status=snoozed', 'assignee=me;drop', `q=${'x'.repeat(201)}`, 'limit=many']) {
      const res = await agent(ada.key, 'GET', `/conversations?${query}`);
      assert.equal(res.status, 400, query);
      assert.ok(res.body.error.message, 'says what is wrong');
    }
    assert.equal(ws.workspaceId.length > 0, true);
  });

  it('keeps the widget\'s appearance, gives it to the widget\'s session, and refuses a bad one', async () => {
    const { ws, ada } = await team();
    const appearance = { brand_color: '#0F766E', position: 'left', greeting: { en: 'Hello!', fr: 'Bonjour !' } };
    assert.equal((await agent(ada.key, 'PUT', '/settings', { appearance })).status, 200);
    assert.deepEqual((await agent(ada.key, 'GET', '/settings')).body.appearance, appearance);
    const session = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey } });
    assert.deepEqual(session.body.appearance, appearance);
    for (const bad of [{ brand_color: 'red' }, { position: 'top' }, { greeting: { 'not a language': 'x' } }, { greeting: { en: 'x'.repeat(501) } }, { colour: '#000000' }]) {
      const res = await agent(ada.key, 'PUT', '/settings', { appearance: bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.ok(res.body.error.message);
    }
    assert.deepEqual((await agent(ada.key, 'GET', '/settings')).body.appearance, appearance, 'nothing half-written');
  });
});
