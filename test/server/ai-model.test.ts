// The model adapters (server/domain/ai/model.ts) against a stub model server that streams in
// OpenAI's and Anthropic's shapes: the answer whole however the bytes are cut, the usage, the key
// sent as each provider wants it, and every way an answer can fail ending in a ModelError.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError, streamAnswer, type ModelConfig, type Provider, type StreamPart } from '../../server/domain/ai/model.js';
import { ANSWER, startStubModel, type StubModel } from './stub-model.js';

let stub: StubModel;
before(async () => {
  stub = await startStubModel();
});
after(() => stub.close());

const config = (provider: Provider, model: string, key: string | null = 'sk-test-key'): ModelConfig => ({
  provider, model, key, baseUrl: provider === 'openai' ? `${stub.url}/v1` : stub.url,
});
const turns = [{ role: 'system' as const, content: 'Answer from the articles.' }, { role: 'user' as const, content: 'Are returns free?' }];

async function collect(c: ModelConfig, options = {}) {
  const parts: StreamPart[] = [];
  for await (const part of streamAnswer(c, turns, options)) parts.push(part);
  return { text: parts.flatMap((p) => (p.type === 'delta' ? [p.text] : [])).join(''), parts };
}

for (const provider of ['openai', 'anthropic'] as const) {
  describe(`the ${provider === 'openai' ? 'OpenAI-compatible' : 'Anthropic'} adapter`, () => {
    /** The request this test sent (a request aborted in an earlier test may reach the stub late: found by path, after a mark). */
    const sentSince = (mark: number) => stub.requests.slice(mark).find((r) => r.path === (provider === 'openai' ? '/v1/chat/completions' : '/v1/messages') && r.body.model === 'plain')!;

    it('streams the answer in pieces, with the usage, and sends the key and the turns as the provider expects', async () => {
      const mark = stub.requests.length;
      const { text, parts } = await collect(config(provider, 'plain'));
      assert.equal(text, ANSWER);
      assert.ok(parts.filter((p) => p.type === 'delta').length > 5, 'in pieces, not at once');
      assert.deepEqual(parts.filter((p) => p.type === 'usage'), [{ type: 'usage', input: 42, output: 17 }]);
      const sent = sentSince(mark);
      if (provider === 'openai') {
        assert.equal(sent.path, '/v1/chat/completions');
        assert.equal(sent.headers.authorization, 'Bearer sk-test-key');
        assert.deepEqual(sent.body.messages, turns);
        assert.equal(sent.body.stream, true);
      } else {
        assert.equal(sent.path, '/v1/messages');
        assert.equal(sent.headers['x-api-key'], 'sk-test-key');
        assert.equal(sent.headers['anthropic-version'], '2023-06-01');
        assert.equal(sent.body.system, 'Answer from the articles.');
        assert.deepEqual(sent.body.messages, [{ role: 'user', content: 'Are returns free?' }]);
      }
    });

    it('puts the answer together when the bytes are cut mid-line and mid-character, and skips empty deltas and comments', async () => {
      assert.equal((await collect(config(provider, 'split'))).text, ANSWER);
      const empty = await collect(config(provider, 'empty'));
      assert.equal(empty.text, ANSWER);
      assert.ok(empty.parts.every((p) => p.type !== 'delta' || p.text !== ''), 'no empty delta passed on');
    });

    it('a local model needs no key', async () => {
      const mark = stub.requests.length;
      await collect(config(provider, 'plain', null));
      const sent = sentSince(mark);
      assert.equal(sent.headers.authorization, undefined);
      assert.equal(sent.headers['x-api-key'], undefined);
    });

    it('waits for a slow first token, and times out when it is too slow', async () => {
      stub.slowMs = 300;
      assert.equal((await collect(config(provider, 'slow'))).text, ANSWER);
      stub.slowMs = 2000;
      await assert.rejects(collect(config(provider, 'slow'), { firstTokenMs: 200 }), (e: ModelError) => e instanceof ModelError && e.code === 'model_timeout');
      stub.slowMs = 300;
    });

    it('an error event, a dropped connection, an HTTP error, an unreachable server and a stop each end in a ModelError', async () => {
      const got: string[] = [];
      const failing = async (c: ModelConfig, options = {}) => {
        try {
          for await (const part of streamAnswer(c, turns, options)) if (part.type === 'delta') got.push(part.text);
        } catch (e) {
          return e as ModelError;
        }
        assert.fail('the answer should have failed');
      };
      const error = await failing(config(provider, 'error'));
      assert.equal(error.code, 'model_error');
      assert.match(error.message, /Overloaded/);
      assert.equal((await failing(config(provider, 'disconnect'))).code, 'model_interrupted');
      const http = await failing(config(provider, 'http-500'));
      assert.equal(http.code, 'model_error');
      assert.match(http.message, /500: the stub is overloaded/);
      assert.equal((await failing({ ...config(provider, 'plain'), baseUrl: 'http://127.0.0.1:9' })).code, 'model_unreachable');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 5);
      assert.equal((await failing(config(provider, 'slow'), { signal: controller.signal })).code, 'model_interrupted');
      assert.ok(got.length > 0, 'the words before an error were streamed');
    });
  });
}
