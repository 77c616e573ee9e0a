import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'puppeteer-core';
import { call, clockAt, launchChromium, startServer, type TestServer } from './helpers.js';

/**
 * The one-script-tag install under the reference server's strict
 * Content-Security-Policy, in Debian's Chromium: the bootstrap paints the
 * launcher, the elements load on intent, a visitor's message reaches the
 * server, and the page reports no CSP violation and no error.
 */
let server: TestServer;
let browser: Browser;
let ws: Awaited<ReturnType<TestServer['workspace']>>;

before(async () => {
  if (!existsSync('dist/widget.js')) throw new Error('dist/widget.js is missing: run npm run build first');
  // The page's script tag carries this workspace's key (as `npm start` writes the demo's).
  const publicKey = `pk_${randomUUID().replace(/-/g, '')}`;
  server = await startServer({ now: clockAt('12:00'), pages: true, demoPublicKey: publicKey });
  ws = await server.workspace({ publicKey });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the one-script-tag page under a strict CSP', () => {
  it('paints the launcher, loads on intent, sends a message, with no violation or error', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico')) problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`page: ${(e as Error).message}`));
    page.on('response', (r) => {
      // The browser's own favicon request is not the page's.
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${server.base}/script-tag`, { waitUntil: 'load', timeout: 15000 });
    assert.match(response!.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self'/);
    const launcher = 'chat-widget >>> chat-launcher >>> button[part="launcher"]';
    await page.waitForSelector(launcher, { visible: true, timeout: 10000 });
    assert.equal(await page.evaluate(() => !!customElements.get('chat-widget')), false, 'painted before the elements load');
    await page.hover(launcher);
    await page.waitForFunction(() => customElements.get('chat-widget'), { timeout: 10000 });
    await page.click(launcher);
    const input = 'chat-widget >>> chat-panel >>> [part="input"]';
    await page.waitForSelector(input, { visible: true, timeout: 10000 });
    await page.type(input, 'Hello from the script tag');
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 10000;
    let stored = false;
    while (!stored && Date.now() < deadline) {
      const list = (await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations ?? [];
      stored = list.some((c: { last_message: { content: string } | null }) => c.last_message?.content === 'Hello from the script tag');
      if (!stored) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(stored, 'the message reached the server');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
