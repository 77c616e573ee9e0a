import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startServer, type TestServer } from './helpers.js';

/**
 * The built widget as a page of another origin gets it: CORS and CORP on every
 * file (module scripts are CORS requests), brotli or gzip by Accept-Encoding,
 * content-hashed chunks cached for good, entry files briefly with an ETag.
 */
let server: TestServer;
const SITE = 'https://shop.example';
const get = (path: string, headers: Record<string, string> = {}) => fetch(server.base + path, { headers: { origin: SITE, ...headers }, signal: AbortSignal.timeout(10_000) });

/** The raw response (node:http: fetch() would decode the body it is sent). */
const raw = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(server.base + path, { headers: { origin: SITE, ...headers }, timeout: 10_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });

before(async () => {
  if (!existsSync('dist/widget.js.br')) throw new Error('dist/ is not built (with its .br/.gz): run npm run build first');
  server = await startServer({ pages: true });
});
after(() => server?.close());

describe('/dist/ from another origin', () => {
  it('answers every entry with CORS, CORP, nosniff, its type, a short max-age and an ETag', async () => {
    for (const file of ['widget.js', 'widget-main.js', 'chat-widget.js', 'index.js', 'themes/light.css']) {
      const res = await get(`/dist/${file}`, { 'accept-encoding': 'identity' });
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', file);
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin', file);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', file);
      assert.match(res.headers.get('content-type') ?? '', file.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/, file);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=300', file);
      assert.ok(res.headers.get('etag'), `${file} has an ETag`);
      assert.equal(await res.text(), readFileSync(`dist/${file}`, 'utf8'), file);
    }
  });

  it('revalidates an entry file with its ETag (304)', async () => {
    const first = await raw('/dist/widget.js', { 'accept-encoding': 'br' });
    // (With node:http: fetch() marks a conditional request "no-cache", which a server rightly answers in full.)
    const again = await raw('/dist/widget.js', { 'accept-encoding': 'br', 'if-none-match': String(first.headers['etag']) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  it('caches content-hashed chunks for a year, immutable', async () => {
    const chunks = readdirSync('dist/chunks').filter((f) => f.endsWith('.js'));
    assert.ok(chunks.length > 0);
    for (const chunk of chunks) {
      const res = await get(`/dist/chunks/${chunk}`, { 'accept-encoding': 'br' });
      await res.arrayBuffer();
      assert.equal(res.status, 200, chunk);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable', chunk);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', chunk);
    }
  });

  it('sends brotli or gzip as Accept-Encoding allows, the same bytes once decoded, and varies on it', async () => {
    const plain = readFileSync('dist/widget-main.js');
    const at = (encoding: string) => raw('/dist/widget-main.js', { 'accept-encoding': encoding });
    const br = await at('gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['vary']), /accept-encoding/i);
    assert.ok(br.body.length < plain.length / 2, `brotli ${br.body.length} of ${plain.length} bytes`);
    assert.deepEqual(brotliDecompressSync(br.body), plain);
    const gz = await at('gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), plain);
    const none = await at('identity');
    assert.equal(none.headers['content-encoding'], undefined);
    assert.deepEqual(none.body, plain);
    console.log(`widget-main.js on the wire: ${plain.length} B plain, ${gz.body.length} B gzip, ${br.body.length} B brotli`);
  });

  it('answers a missing file with a 404 JSON error, not a file listing', async () => {
    const res = await get('/dist/nope.js');
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, 'not_found');
  });
});
