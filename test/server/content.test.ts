import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';

/** Operators change and delete what the messenger shows: topics, articles, survey questions, triggers, ticket forms. */
let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000 });
});
after(() => server.close());

type WS = Awaited<ReturnType<TestServer['workspace']>>;
const op = (ws: WS, method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
const as = (token: string, method: string, path: string, body?: unknown) => call(server.base, method, `/api/widget${path}`, { token, body });

async function setup() {
  const ws = await server.workspace();
  const v = await visitor(server.base, ws.publicKey);
  return { ws, v, token: v.session.token };
}

describe('topics (menus)', () => {
  it('changes only the fields sent, and the visitor sees the change', async () => {
    const { ws, token } = await setup();
    const billing = (await op(ws, 'POST', '/menus', { names: { en: 'Billing' }, key: 'billing' })).body.menu.id;
    const changed = await op(ws, 'PATCH', `/menus/${billing}`, { names: { en: 'Payments', fr: 'Paiements' }, channels: ['chat', 'email'] });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.menu.names, { en: 'Payments', fr: 'Paiements' });
    assert.equal(changed.body.menu.key, 'billing', 'a field not sent keeps its value');
    assert.equal(changed.body.menu.id, billing);
    assert.equal('workspace_id' in changed.body.menu, false, 'the response schema decides what leaves');
    const menus = (await as(token, 'GET', '/menus?lang=fr')).body.menus;
    assert.equal(menus.find((m: { id: number }) => m.id === billing).name, 'Paiements');
  });

  it('refuses what would break the tree or the keys, and changes nothing', async () => {
    const { ws } = await setup();
    const parent = (await op(ws, 'POST', '/menus', { names: { en: 'Parent' }, key: 'parent' })).body.menu.id;
    const child = (await op(ws, 'POST', '/menus', { names: { en: 'Child' }, parent_id: parent })).body.menu.id;
    const loop = await op(ws, 'PATCH', `/menus/${parent}`, { parent_id: child });
    assert.equal(loop.status, 400);
    assert.match(loop.body.error.message, /cannot be its parent/);
    assert.equal((await op(ws, 'PATCH', `/menus/${parent}`, { parent_id: parent })).status, 400);
    const dup = await op(ws, 'PATCH', `/menus/${child}`, { key: 'parent' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'duplicate_key');
    assert.equal((await op(ws, 'PATCH', `/menus/${child}`, {})).status, 400, 'an empty change');
    assert.equal((await op(ws, 'PATCH', `/menus/${child}`, { colour: 'red' })).status, 400, 'an unknown field');
    assert.equal((await op(ws, 'PATCH', `/menus/${child}`, { deflection_threshold: 2 })).status, 400);
    assert.equal((await op(ws, 'PATCH', '/menus/999999', { enabled: false })).status, 404);
    assert.equal((await op(ws, 'PATCH', '/menus/abc', { enabled: false })).status, 400);
    const rows = (await op(ws, 'GET', '/menus')).body.menus;
    assert.deepEqual(rows.map((m: { key: string | null; parent_id: string | null }) => [m.key, m.parent_id === null ? null : Number(m.parent_id)]), [['parent', null], [null, parent]]);
  });

  it('deletes a topic with its subtopics; its conversations stay; another workspace cannot touch it', async () => {
    const { ws, token } = await setup();
    const parent = (await op(ws, 'POST', '/menus', { names: { en: 'Sales' } })).body.menu.id;
    await op(ws, 'POST', '/menus', { names: { en: 'Quotes' }, parent_id: parent });
    const chat = (await as(token, 'POST', '/chats', { menu_id: parent, lang: 'en' })).body;
    await as(token, 'POST', `/chats/${chat.id}/messages`, { client_id: uuid(), content: 'A quote, please' });
    const other = await server.workspace();
    assert.equal((await op(other, 'DELETE', `/menus/${parent}`)).status, 404);
    assert.equal((await op(other, 'PATCH', `/menus/${parent}`, { enabled: false })).status, 404);
    assert.deepEqual((await op(ws, 'DELETE', `/menus/${parent}`)).body, { deleted: true });
    assert.deepEqual((await op(ws, 'GET', '/menus')).body.menus, []);
    assert.equal((await op(ws, 'DELETE', `/menus/${parent}`)).status, 404);
    const conversation = await op(ws, 'GET', `/conversations/${chat.id}`);
    assert.equal(conversation.status, 200);
    const messages = (await op(ws, 'GET', `/conversations/${chat.id}/messages`)).body.messages;
    assert.ok(messages.some((m: { content: string }) => m.content === 'A quote, please'));
  });
});

describe('help articles', () => {
  it('lists, changes and deletes; the visitor finds the new title and no longer the deleted one', async () => {
    const { ws, token } = await setup();
    const id = (await op(ws, 'POST', '/articles', { locale: 'en', slug: 'returns', title: 'Returns', body: 'Send it back within thirty days.' })).body.article.id;
    await op(ws, 'POST', '/articles', { locale: 'en', slug: 'shipping', title: 'Shipping', body: 'We ship in two days.' });
    assert.deepEqual((await op(ws, 'GET', '/articles')).body.articles.map((a: { slug: string }) => a.slug), ['returns', 'shipping']);
    const changed = await op(ws, 'PATCH', `/articles/${id}`, { title: 'Returns and refunds' });
    assert.deepEqual(changed.body.article, { id, locale: 'en', slug: 'returns', title: 'Returns and refunds', body: 'Send it back within thirty days.' });
    assert.equal((await as(token, 'GET', '/articles/en/returns')).body.title, 'Returns and refunds');
    const dup = await op(ws, 'PATCH', `/articles/${id}`, { slug: 'shipping' });
    assert.equal(dup.status, 409);
    assert.equal((await op(ws, 'PATCH', `/articles/${id}`, { slug: 'Not A Slug' })).status, 400);
    assert.equal((await as(token, 'GET', '/articles/en/returns')).status, 200, 'nothing changed by the refusals');
    assert.deepEqual((await op(ws, 'DELETE', `/articles/${id}`)).body, { deleted: true });
    assert.equal((await as(token, 'GET', '/articles/en/returns')).status, 404);
    assert.deepEqual((await as(token, 'GET', '/articles?q=refunds&locale=en')).body.articles, []);
  });
});

describe('"Was this helpful?" on help articles', () => {
  it('stores one answer per visitor and article, a second replacing the first; operators see the counts and the comments', async () => {
    const { ws, token } = await setup();
    const other = (await visitor(server.base, ws.publicKey)).session.token;
    const id = (await op(ws, 'POST', '/articles', { locale: 'en', slug: 'returns', title: 'Returns', body: 'Send it back within thirty days.' })).body.article.id;
    await op(ws, 'POST', '/articles', { locale: 'en', slug: 'shipping', title: 'Shipping', body: 'We ship in two days.' });

    const first = await as(token, 'POST', '/articles/en/returns/feedback', { helpful: false, comment: 'Nothing about exchanges' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.helpful, false);
    assert.equal(first.body.comment, 'Nothing about exchanges');
    assert.equal((await as(other, 'POST', '/articles/en/returns/feedback', { helpful: true })).status, 200);
    const counts = () => op(ws, 'GET', '/articles').then((r) => r.body.articles.map((a: { slug: string; helpful: number; not_helpful: number }) => [a.slug, a.helpful, a.not_helpful]));
    assert.deepEqual(await counts(), [['returns', 1, 1], ['shipping', 0, 0]]);
    const comments = (await op(ws, 'GET', `/articles/${id}/feedback`)).body.feedback;
    assert.deepEqual(comments.map((c: { helpful: boolean; comment: string }) => [c.helpful, c.comment]), [[false, 'Nothing about exchanges']]);

    const again = await as(token, 'POST', '/articles/en/returns/feedback', { helpful: true });
    assert.equal(again.body.helpful, true);
    assert.equal(again.body.comment, null, 'answering again replaces the whole answer');
    assert.deepEqual(await counts(), [['returns', 2, 0], ['shipping', 0, 0]]);
    assert.deepEqual((await op(ws, 'GET', `/articles/${id}/feedback`)).body.feedback, []);
  });

  it('refuses an unknown article (404) and bad answers (400), storing nothing', async () => {
    const { ws, token } = await setup();
    const id = (await op(ws, 'POST', '/articles', { locale: 'en', slug: 'returns', title: 'Returns', body: 'Send it back.' })).body.article.id;
    const unknown = await as(token, 'POST', '/articles/en/nope/feedback', { helpful: true });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /en\/nope/);
    for (const [body, field] of [[{}, 'helpful'], [{ helpful: 'yes' }, 'helpful'], [{ helpful: true, comment: 'x'.repeat(1001) }, 'comment'], [{ helpful: true, stars: 5 }, 'stars']] as const) {
      const r = await as(token, 'POST', '/articles/en/returns/feedback', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(r.body.error.code && r.body.error.message.includes(field), `${JSON.stringify(r.body)} names ${field}`);
    }
    const elsewhere = await server.workspace();
    assert.equal((await op(elsewhere, 'GET', `/articles/${id}/feedback`)).status, 404, "another workspace's article");
    assert.deepEqual((await op(ws, 'GET', '/articles')).body.articles.map((a: { helpful: number; not_helpful: number }) => [a.helpful, a.not_helpful]), [[0, 0]]);
  });
});

describe('survey questions', () => {
  it('changes a question, checking the whole question; deletes an unanswered one and retires an answered one, keeping its answers', async () => {
    const { ws, token } = await setup();
    const menu = (await op(ws, 'POST', '/menus', { names: { en: 'Help' } })).body.menu.id;
    const rating = (await op(ws, 'POST', '/survey-questions', { type: 'rating', display_text: { en: 'How easy?' }, valid_answers: [1, 5] })).body.id;
    const text = (await op(ws, 'POST', '/survey-questions', { type: 'text', display_text: { en: 'Anything else?' } })).body.id;
    const spare = (await op(ws, 'POST', '/survey-questions', { type: 'choice', display_text: { en: 'Spare' }, valid_answers: ['a', 'b'] })).body.id;

    const changed = await op(ws, 'PATCH', `/survey-questions/${rating}`, { display_text: { en: 'How easy was it?' }, valid_answers: [1, 10] });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.question.valid_answers, [1, 10]);
    const bad = await op(ws, 'PATCH', `/survey-questions/${text}`, { type: 'rating' });
    assert.equal(bad.status, 400, 'a rating without [min, max]');
    assert.match(bad.body.error.message, /valid_answers \[min, max\]/);
    const unchanged = (await op(ws, 'GET', '/survey-questions')).body.questions.find((q: { id: number }) => q.id === text);
    assert.deepEqual([unchanged.type, unchanged.valid_answers], ['text', null], 'nothing changed by the refusal');
    assert.equal((await op(ws, 'PATCH', `/survey-questions/${text}`, { type: 'choice', valid_answers: ['yes', 'no'] })).status, 200);
    assert.equal((await op(ws, 'PATCH', `/survey-questions/${text}`, { type: 'text' })).body.question.valid_answers, null);

    const chat = (await as(token, 'POST', '/chats', { menu_id: menu, lang: 'en' })).body;
    await as(token, 'POST', `/chats/${chat.id}/messages`, { client_id: uuid(), content: 'Hello' });
    await as(token, 'POST', `/chats/${chat.id}/finish`);
    assert.equal((await as(token, 'POST', `/chats/${chat.id}/survey`, { answers: { [rating]: 9 } })).status, 200);

    assert.deepEqual((await op(ws, 'DELETE', `/survey-questions/${spare}`)).body, { deleted: true, retired: false });
    assert.deepEqual((await op(ws, 'DELETE', `/survey-questions/${rating}`)).body, { deleted: false, retired: true });
    assert.deepEqual((await as(token, 'GET', '/survey')).body.questions.map((q: { id: number }) => q.id), [text]);
    const answers = await server.db.query('select answer from survey_answers where conversation_id = $1', [chat.id]);
    assert.deepEqual(answers.map((a) => a.answer), ['9'], 'the answer stays');
    const listed = (await op(ws, 'GET', '/survey-questions')).body.questions;
    assert.deepEqual(listed.map((q: { id: number; retired: boolean }) => [q.id, q.retired]), [[rating, true], [text, false]]);
    assert.equal((await op(ws, 'DELETE', `/survey-questions/${spare}`)).status, 404);
  });
});

describe('proactive triggers and ticket forms', () => {
  it('a disabled or deleted trigger no longer fires', async () => {
    const { ws, token } = await setup();
    const id = (await op(ws, 'POST', '/triggers', { name: 'all', message: { en: 'Hi there' } })).body.id;
    const fires = async () => (await as(token, 'GET', `/trigger?url=${encodeURIComponent('https://shop.example/')}&seconds=1&visits=1`)).body.trigger;
    assert.equal((await fires()).message, 'Hi there');
    const changed = await op(ws, 'PATCH', `/triggers/${id}`, { enabled: false, message: { en: 'Hello' } });
    assert.equal(changed.body.trigger.enabled, false);
    assert.deepEqual(changed.body.trigger.message, { en: 'Hello' });
    assert.equal(await fires(), null);
    await op(ws, 'PATCH', `/triggers/${id}`, { enabled: true });
    assert.equal((await fires()).message, 'Hello');
    assert.equal((await op(ws, 'PATCH', `/triggers/${id}`, { min_visits: 0 })).status, 400);
    assert.equal((await op(ws, 'PATCH', '/triggers/999999', { enabled: false })).status, 404);
    assert.equal((await op(ws, 'GET', '/triggers')).body.triggers[0].min_visits, 1, 'nothing changed by the refusal');
    assert.deepEqual((await op(ws, 'GET', '/triggers')).body.triggers.map((t: { name: string }) => t.name), ['all']);
    assert.deepEqual((await op(ws, 'DELETE', `/triggers/${id}`)).body, { deleted: true });
    assert.equal(await fires(), null);
  });

  it('a deleted ticket form leaves the messenger', async () => {
    const { ws, token } = await setup();
    const field = { name: 'summary', label: { en: 'Summary' }, type: 'text', required: true };
    await op(ws, 'POST', '/ticket-forms', { key: 'callback', title: { en: 'Call me' }, fields: [field] });
    assert.deepEqual((await as(token, 'GET', '/ticket-forms')).body.forms.map((f: { key: string }) => f.key), ['callback']);
    assert.deepEqual((await op(ws, 'DELETE', '/ticket-forms/callback')).body, { deleted: true });
    assert.deepEqual((await as(token, 'GET', '/ticket-forms')).body.forms, []);
    assert.equal((await op(ws, 'DELETE', '/ticket-forms/callback')).status, 404);
    assert.equal((await op(ws, 'DELETE', '/ticket-forms/not%20a%20key')).status, 400);
  });
});
