// The AI agent's retrieval (issue 19): the help center embedded by the workspace's embedding model
// (the stub's deterministic embedder) into pgvector, kept in step with the articles (only changed
// sections embedded again), ranked by full text and by embedding fused; a misspelt question full
// text cannot match is answered from the right article; without pgvector (a PostgreSQL that lacks
// it) or with a failing embedder, full text alone, and a clear error from the index request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, openSse, startServer, uuid, visitor, type TestServer } from './helpers.js';
import { startStubModel, type StubModel } from './stub-model.js';

let server: TestServer;
let stub: StubModel;
before(async () => {
  [server, stub] = await Promise.all([startServer({ sessionsPerMinute: 10_000, messagesPerMinute: 10_000 }), startStubModel()]);
});
after(async () => {
  await server.close();
  await stub.close();
});

const EMBED_KEY = 'sk-embedder-secret-4242';
const agent = (ws: { operatorKey: string }, method: string, path: string, body?: unknown) => call(server.base, method, `/api/agent${path}`, { token: ws.operatorKey, body });
const embedCalls = () => stub.requests.filter((r) => r.path === '/v1/embeddings');

async function helpCenter() {
  const ws = await server.workspace();
  const ids: Record<string, number> = {};
  for (const [slug, title, body] of [
    ['password', 'Resetting your password', 'Forgot it? Choose "Forgot password" on the sign-in page.\n\n## The reset email\nThe link in the email works for 30 minutes.'],
    ['refunds', 'Refunds', 'Refunds reach your card within 5 working days of our receiving the parcel.'],
    ['shipping', 'Shipping times', 'Parcels leave our warehouse within a day and arrive in 2 to 4 days.'],
  ]) {
    const made = await agent(ws, 'POST', '/articles', { locale: 'en', slug, title, body });
    assert.equal(made.status, 201);
    ids[slug] = made.body.article.id;
  }
  return { ws, ids };
}

describe('the AI agent\'s retrieval', () => {
  it('embeds the help center with the workspace\'s embedding model, and again only what changed', async (t) => {
    const { ws, ids } = await helpCenter();
    // Anthropic has no embeddings: another server is needed, said clearly, nothing stored.
    const refused = await agent(ws, 'PUT', '/ai', { provider: 'anthropic', base_url: stub.url, model: 'plain', embedding_model: 'stub-embed' });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /Anthropic has no embeddings endpoint: give body\/embedding_base_url/);
    assert.deepEqual((await agent(ws, 'GET', '/ai')).body, { model: null });
    assert.equal((await agent(ws, 'PUT', '/ai', { provider: 'openai', base_url: stub.url, model: 'plain', min_similarity: 1.5 })).status, 400);

    const set = await agent(ws, 'PUT', '/ai', {
      provider: 'anthropic', base_url: stub.url, model: 'plain', embedding_model: 'stub-embed', embedding_base_url: `${stub.url}/v1`, embedding_api_key: EMBED_KEY, min_similarity: 0.4,
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(
      [set.body.model.embedding_model, set.body.model.embedding_base_url, set.body.model.embedding_key_set, set.body.model.min_similarity],
      ['stub-embed', `${stub.url}/v1`, true, 0.4],
    );
    assert.ok(!JSON.stringify(set.body).includes(EMBED_KEY), 'the embedder\'s key stays on the server');

    const first = await agent(ws, 'POST', '/ai/index');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    if (!first.body.index.vectors) {
      // A PostgreSQL without pgvector: full text alone, and the index says so.
      assert.deepEqual(first.body.index, { vectors: false, model: 'stub-embed', chunks: 4, embedded: 0, added: 0 });
      t.diagnostic('no pgvector in this database: full text alone');
      return;
    }
    // Four sections (the password article has two); some may have been embedded already in the background.
    assert.deepEqual([first.body.index.chunks, first.body.index.embedded], [4, 4]);
    assert.equal(embedCalls().at(-1)!.headers.authorization, `Bearer ${EMBED_KEY}`);
    assert.equal((await agent(ws, 'POST', '/ai/index')).body.index.added, 0, 'nothing new to embed');

    // An article changed in one section: that section alone is embedded again.
    const before = embedCalls().length;
    const changed = await agent(ws, 'PATCH', `/articles/${ids.password}`, { body: 'Forgot it? Choose "Forgot password" on the sign-in page.\n\n## The reset email\nThe link in the email works for 60 minutes.' });
    assert.equal(changed.status, 200);
    await agent(ws, 'POST', '/ai/index');
    const sent = embedCalls().slice(before).flatMap((r) => r.body.input as string[]);
    assert.deepEqual(sent, ['Resetting your password\n## The reset email\nThe link in the email works for 60 minutes.']);
    assert.deepEqual((await agent(ws, 'GET', '/ai/index')).body.index, { vectors: true, model: 'stub-embed', chunks: 4, embedded: 4, added: 0 });
  });

  it('answers a misspelt question full text cannot match, from the right article, and full text alone when the embedder fails', async () => {
    const { ws } = await helpCenter();
    const menu = await agent(ws, 'POST', '/menus', { names: { en: 'Help' }, channels: ['chat'], deflection_enabled: true });
    assert.equal((await agent(ws, 'PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1`, model: 'plain', embedding_model: 'stub-embed', min_similarity: 0.3 })).status, 200);
    const index = (await agent(ws, 'POST', '/ai/index')).body.index;
    const v = await visitor(server.base, ws.publicKey);
    const chat = await call(server.base, 'POST', '/api/widget/chats', { token: v.session.token, body: { menu_id: menu.body.menu.id, lang: 'en' } });
    const stream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    await stream.next('ready');
    const ask = async (content: string) => {
      assert.equal((await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/messages`, { token: v.session.token, body: { client_id: uuid(), content } })).status, 201);
      for (;;) {
        const e = await stream.next('message', 10_000);
        if (e.data.message.author === 'bot') return e.data.message;
      }
    };

    const answer = await ask('i forgott my pasword');
    if (index.vectors) {
      assert.deepEqual(answer.data.ai.citations.map((c: { slug: string }) => c.slug), ['password'], JSON.stringify(answer.data.ai));
      const start = stream.events.filter((e) => e.event === 'ai.start').at(-1)!;
      assert.ok(start.data.sources.every((s: { slug: string }) => s.slug === 'password'), `only what is near enough: ${JSON.stringify(start.data.sources)}`);
    } else {
      assert.equal(answer.data.ai.citations?.length ?? 0, 0, 'full text alone finds nothing for these words');
      assert.match(answer.content, /could not find this in our help center/);
    }

    // The embedder down: the question is answered by full text, nothing hangs.
    assert.equal((await agent(ws, 'PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1`, model: 'plain', embedding_model: 'embed-500' })).status, 200);
    const failed = await agent(ws, 'POST', '/ai/index');
    if (index.vectors) {
      assert.equal(failed.status, 502);
      assert.match(failed.body.error.message, /could not be embedded: The embeddings endpoint answered 500: the embedder is down/);
    }
    const byText = await ask('How long do refunds take?');
    assert.deepEqual(byText.data.ai.citations.map((c: { slug: string }) => c.slug), ['refunds']);
    stream.close();
  });

  it('answers from another language\'s articles when the chat\'s has none, in the chat\'s language', async () => {
    const { ws } = await helpCenter();
    const menu = await agent(ws, 'POST', '/menus', { names: { en: 'Help', fr: 'Aide' }, channels: ['chat'], deflection_enabled: true });
    assert.equal((await agent(ws, 'PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1`, model: 'plain' })).status, 200);
    const v = await visitor(server.base, ws.publicKey);
    const chat = await call(server.base, 'POST', '/api/widget/chats', { token: v.session.token, body: { menu_id: menu.body.menu.id, lang: 'fr' } });
    const stream = await openSse(`${server.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
    await stream.next('ready');
    const before = stub.requests.length;
    assert.equal((await call(server.base, 'POST', `/api/widget/chats/${chat.body.id}/messages`, { token: v.session.token, body: { client_id: uuid(), content: 'How long do refunds take?' } })).status, 201);
    const start = await stream.next('ai.start', 10_000);
    assert.deepEqual(start.data.sources.map((s: { slug: string; locale: string }) => `${s.locale}/${s.slug}`).slice(0, 1), ['en/refunds']);
    await stream.next('ai.end', 10_000);
    const sent = stub.requests.slice(before).find((r) => r.path.endsWith('/chat/completions'))!;
    assert.match(sent.body.messages[0].content, /Write in French/);
    stream.close();
  });
});
