import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, clockAt, startServer, uuid, visitor, type TestServer } from './helpers.js';
import { seedDemoContent } from '../../server/seed.js';

let server: TestServer;
before(async () => {
  server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000 });
});
after(() => server.close());

async function demo() {
  const ws = await server.workspace();
  await seedDemoContent(server.db, ws.workspaceId);
  const v = await visitor(server.base, ws.publicKey);
  const as = (method: string, path: string, body?: unknown) => call(server.base, method, `/api/widget${path}`, { token: v.session.token, body });
  const op = (method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
  return { ws, v, as, op };
}

describe('ticket forms', () => {
  it('lists the demo forms, translated', async () => {
    const { as } = await demo();
    const forms = (await as('GET', '/ticket-forms?lang=fr')).body.forms;
    assert.deepEqual(forms.map((f: { key: string }) => f.key), ['bug_report', 'feature_request']);
    assert.equal(forms[0].title, 'Signaler un bug');
    assert.deepEqual(forms[0].fields.map((f: { name: string; required: boolean }) => [f.name, f.required]), [['subject', true], ['description', true], ['priority_hint', false], ['email', false]]);
  });

  it('refuses invalid fields with an error per field and stores nothing; then stores a valid ticket the inbox sees', async () => {
    const { ws, as, op } = await demo();
    const bad = await as('POST', '/tickets', { form_key: 'bug_report', fields: { subject: '', priority_hint: 'urgent', email: 'nope', extra: 'x' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_fields');
    assert.deepEqual(bad.body.error.fields, {
      subject: 'This field is required',
      description: 'This field is required',
      priority_hint: 'Choose one of: low, medium, high',
      email: 'Expected an email address',
      extra: 'This form has no such field',
    });
    assert.equal((await server.db.query('select count(*)::int as n from tickets where workspace_id = $1', [ws.workspaceId]))[0]!.n, 0);
    assert.equal((await as('POST', '/tickets', { form_key: 'nope', fields: {} })).body.error.code, 'unknown_form');
    await as('POST', '/messages', { client_id: uuid(), content: 'Checkout fails' });
    const ok = await as('POST', '/tickets', { form_key: 'bug_report', fields: { subject: 'Checkout error', description: '401 on POST /orders', priority_hint: 'high' } });
    assert.equal(ok.status, 201);
    assert.match(ok.body.id, /^tkt_/);
    const list = await op('GET', '/tickets');
    assert.deepEqual(list.body.tickets[0].fields, { subject: 'Checkout error', description: '401 on POST /orders', priority_hint: 'high' });
    const [conv] = (await op('GET', '/conversations')).body.conversations;
    const detail = await op('GET', `/conversations/${conv.id}`);
    assert.equal(detail.body.tickets[0].form_key, 'bug_report');
  });
});

describe('help center', () => {
  it('searches the articles (full text) and opens one by locale and slug', async () => {
    const { as } = await demo();
    const found = await as('GET', '/articles?q=how%20long%20is%20shipping&locale=en');
    assert.equal(found.body.articles[0].slug, 'shipping');
    const all = await as('GET', '/articles?locale=en');
    assert.equal(all.body.articles.length, 4);
    const one = await as('GET', '/articles/en/refunds');
    assert.equal(one.body.title, 'Refunds and returns');
    assert.match(one.body.body, /30 days/);
    assert.equal((await as('GET', '/articles/en/nothing-here')).status, 404);
    assert.equal((await as('GET', '/articles/not-a-locale!/x')).status, 400);
  });
});

describe('visitor data', () => {
  it('merges session data, replaces segments, and shows both to operators', async () => {
    const { as, op } = await demo();
    await as('POST', '/session-data', { data: { plan: 'pro' } });
    await as('POST', '/session-data', { data: { store: 'acme' }, segments: ['paying'] });
    const last = await as('POST', '/session-data', { segments: ['enterprise'] });
    assert.deepEqual(last.body, { data: { plan: 'pro', store: 'acme' }, segments: ['enterprise'] });
    assert.equal((await as('POST', '/session-data', { segments: 'paying' })).status, 400);
    await as('POST', '/messages', { client_id: uuid(), content: 'hi', conversation_fields: { page: '/pricing' } });
    const [conv] = (await op('GET', '/conversations')).body.conversations;
    const detail = await op('GET', `/conversations/${conv.id}`);
    assert.deepEqual(detail.body.session.data, { plan: 'pro', store: 'acme' });
    assert.deepEqual(detail.body.session.segments, ['enterprise']);
    assert.deepEqual(detail.body.fields, { page: '/pricing' });
  });
});
