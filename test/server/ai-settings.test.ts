// The AI agent's model per workspace (issue 19): set by an admin, the key kept on the server (no
// response carries it, not even to admins), checked by asking the model for a word; bad settings
// refused with a clear error and nothing written.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, startServer, type TestServer } from './helpers.js';
import { startStubModel, type StubModel } from './stub-model.js';

let server: TestServer;
let stub: StubModel;
before(async () => {
  [server, stub] = await Promise.all([startServer(), startStubModel()]);
});
after(async () => {
  await server.close();
  await stub.close();
});

const KEY = 'sk-secret-model-key-0123456789';

describe('the AI agent\'s model', () => {
  it('an admin sets it; the key never comes back; a test asks the model for a word', async () => {
    const ws = await server.workspace();
    const seen: string[] = [];
    const api = async (method: string, path: string, body?: unknown, token = ws.operatorKey) => {
      const res = await call(server.base, method, `/api/agent${path}`, { token, body });
      seen.push(JSON.stringify(res.body));
      return res;
    };
    assert.deepEqual((await api('GET', '/ai')).body, { model: null });
    const set = await api('PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1/`, model: 'plain', api_key: KEY });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.model, {
      provider: 'openai', base_url: `${stub.url}/v1`, model: 'plain', key_set: true, enabled: true,
      max_answer_tokens: 600, visitor_requests_per_hour: 30, workspace_tokens_per_day: 200000,
      embedding_model: null, embedding_base_url: null, embedding_key_set: false, min_similarity: 0.5,
    });
    const tried = await api('POST', '/ai/test');
    assert.equal(tried.body.ok, true, JSON.stringify(tried.body));
    assert.match(tried.body.sample, /Returns are free/);
    assert.ok(tried.body.first_token_ms >= 0);
    assert.equal(stub.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`, 'the model got the key');

    // Changed without a key: the stored one stays; with null, it goes.
    assert.equal((await api('PUT', '/ai', { provider: 'anthropic', base_url: stub.url, model: 'plain', max_answer_tokens: 300 })).body.model.key_set, true);
    assert.equal((await api('POST', '/ai/test')).body.ok, true);
    assert.equal(stub.requests.at(-1)!.headers['x-api-key'], KEY);
    assert.equal((await api('PUT', '/ai', { provider: 'anthropic', base_url: stub.url, model: 'http-500', api_key: null })).body.model.key_set, false);
    const failed = await api('POST', '/ai/test');
    assert.deepEqual([failed.status, failed.body.ok, failed.body.error.code], [200, false, 'model_error']);
    assert.match(failed.body.error.message, /500/);

    // Nothing the server answered, to the admin or to a visitor, holds the key.
    await api('PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1`, model: 'plain', api_key: KEY });
    const session = await call(server.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey } });
    seen.push(JSON.stringify(session.body), JSON.stringify((await api('GET', '/settings')).body), JSON.stringify((await api('GET', '/workspace')).body));
    assert.ok(seen.every((text) => !text.includes(KEY)), 'the key left the server');
    // Nor is any key in what browsers load: the widget's files and the inbox's.
    for (const dir of ['dist', 'server/public']) {
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        if (!/\.(js|html|css|json)$/.test(file)) continue;
        const text = readFileSync(join(dir, file), 'utf8');
        assert.ok(!text.includes(KEY) && !/sk-[A-Za-z0-9-]{16,}/.test(text), `a key in ${dir}/${file}`);
      }
    }

    assert.equal((await api('DELETE', '/ai')).status, 200);
    assert.deepEqual((await api('GET', '/ai')).body, { model: null });
    assert.equal((await api('DELETE', '/ai')).status, 404);
    assert.equal((await api('POST', '/ai/test')).status, 409);
  });

  it('refuses bad settings with a clear error, writes nothing, and is for admins only', async () => {
    const ws = await server.workspace();
    const agent = await call(server.base, 'POST', '/api/agent/operators', { token: ws.operatorKey, body: { name: 'Ben', role: 'agent' } });
    const put = (body: unknown, token = ws.operatorKey) => call(server.base, 'PUT', '/api/agent/ai', { token, body });
    for (const [body, words] of [
      [{ provider: 'openai', base_url: 'not a url', model: 'm' }, /not a URL/],
      [{ provider: 'openai', base_url: 'ftp://models.example', model: 'm' }, /http or https/],
      [{ provider: 'openai', base_url: 'https://user:pass@models.example', model: 'm' }, /credentials/],
      [{ provider: 'gemini', base_url: 'https://models.example', model: 'm' }, /provider/],
      [{ provider: 'openai', base_url: 'https://models.example' }, /model/],
      [{ provider: 'openai', base_url: 'https://models.example', model: 'm', max_answer_tokens: 1 }, /max_answer_tokens/],
    ] as const) {
      const res = await put(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error.message, words);
    }
    assert.deepEqual((await call(server.base, 'GET', '/api/agent/ai', { token: ws.operatorKey })).body, { model: null }, 'nothing written');
    assert.equal((await put({ provider: 'openai', base_url: 'https://models.example/v1', model: 'm' }, agent.body.key)).status, 403);
    assert.equal((await call(server.base, 'GET', '/api/agent/ai', { token: agent.body.key })).status, 403);
  });
});
