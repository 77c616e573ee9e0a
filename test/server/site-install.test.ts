import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { call, launchChromium, siteOrigin, startServer, watchProblems, type TestServer } from './helpers.js';
import { inlineSnippet } from '../../scripts/snippet.mjs';

/**
 * A site's own pages, on their own origin (127.0.0.2, another host than the
 * chat server's 127.0.0.1) and under the site's strict Content-Security-Policy
 * (its inline snippet carries a nonce; scripts and connections allowed from the
 * chat server only), install the widget each documented way: the Woes, Convot
 * and web1on1 snippets of the seeds with the script tag, and the two tags. Each
 * page calls its dialect from the line after the snippet has run, and the
 * visitor's message reaches the server; no CSP violation, console error or
 * failed request.
 */
const NONCE = 'c2l0ZS1ub25jZQ';
let chat: TestServer;
let site: Awaited<ReturnType<typeof siteOrigin>>;
let siteBase: string;
let browser: Browser;
let ws: Awaited<ReturnType<TestServer['workspace']>>;

/** The site's pages, by path: the snippet of each install, then the page's own calls. */
const pages = (server: string, key: string, snippet: string): Record<string, string> => ({
  // The inline snippet at the start of <body>, as README says, then a probe noting what the first frame after it shows
  // (the page's own content comes after them).
  '/inline': `${snippet}<script nonce="${NONCE}">
      requestAnimationFrame(() => {
        const button = document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-launcher')?.shadowRoot?.querySelector('button');
        const box = button?.getBoundingClientRect();
        window.__firstFrame = button ? { width: box.width, right: Math.round(innerWidth - box.right), background: getComputedStyle(button).backgroundColor, label: button.getAttribute('aria-label') } : null;
      });
    </script>`,
  // Woes: the script tag with the older `/messages` API URL; calls after it has run.
  '/woes': `<script async src="${server}/dist/widget.js" data-public-key="${key}" data-api="${server}/api/widget/messages" id="snippet"></script>
    <script nonce="${NONCE}">
      document.getElementById('snippet').addEventListener('load', () => {
        window.Woes('setTheme', 'dark');
        window.Woes('identify', { email: 'woes@example.com', name: 'Woes Visitor' });
        window.Woes('show');
      });
    </script>`,
  // Convot: app_id and a ready trigger before the loader, as the seed shows; calls once the loader has run.
  '/convot': `<script nonce="${NONCE}">
      window.CONVOT_READY_TRIGGER = function () { window.__convotReady = (window.__convotReady || 0) + 1; };
      window.Convot = { app_id: '${key}' };
    </script>
    <script async src="${server}/dist/widget.js" id="snippet"></script>
    <script nonce="${NONCE}">
      document.getElementById('snippet').addEventListener('load', () => {
        window.__early = { open: typeof Convot.open, ready: Convot.ready(), opened: Convot.is('chat:opened'), unread: Convot.get('chat:unread:count') };
        Convot.push(['set', 'user:email', 'convot@example.com']);
        Convot.open();
        Convot.sendMessage({ content: 'Hello from the Convot site' });
      });
    </script>`,
  // web1on1: the script tag, then its API from the line after.
  '/web1on1': `<script async src="${server}/dist/widget.js" data-public-key="${key}" data-globals="web1on1" id="snippet"></script>
    <script nonce="${NONCE}">
      document.getElementById('snippet').addEventListener('load', () => {
        window.__early = { isOpen: web1on1.isOpen(), woes: typeof window.Woes };
        web1on1.open();
        web1on1.api.showFakeAgentMessage('Welcome to the chat', 'Acme Corp');
        web1on1.api.sendClientMessage('Hello from the web1on1 site');
      });
    </script>`,
  // Two tags: the ES module and the element.
  '/two-tags': `<script type="module" src="${server}/dist/chat-widget.js"></script>
    <chat-widget data-public-key="${key}" data-api="${server}/api/widget"></chat-widget>
    <script nonce="${NONCE}">
      customElements.whenDefined('chat-widget').then(async () => {
        const el = document.querySelector('chat-widget');
        await el.updateComplete;
        el.show();
        el.sendMessage('Hello from the two-tag site');
      });
    </script>`,
});

before(async () => {
  if (!existsSync('dist/widget.js')) throw new Error('dist/widget.js is missing: run npm run build first');
  chat = await startServer({ pages: true });
  ws = await chat.workspace();
  const html = pages(chat.base, ws.publicKey, await inlineSnippet({ server: chat.base, publicKey: ws.publicKey, nonce: NONCE }));
  site = await siteOrigin((req, res) => {
    const body = html[new URL(req.url ?? '/', 'http://x').pathname];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // The site allows the chat server's scripts and connections, and nothing inline without its nonce.
      // The inline snippet's page allows its styles by the same nonce (declarative shadow roots carry <style> elements).
      'content-security-policy': `default-src 'self'; script-src 'nonce-${NONCE}' ${chat.base}; connect-src ${chat.base}; style-src 'self'${req.url === '/inline' ? ` 'nonce-${NONCE}'` : ''}; img-src 'self' data: ${chat.base}; object-src 'none'; base-uri 'none'`,
    });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A site</title></head><body>${body}<main><h1>A site</h1></main></body></html>`);
  });
  siteBase = site.base;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await chat?.close();
});

/** Opens the site's page and collects every problem a site owner would see in the console. */
async function visit(path: string): Promise<{ page: Page; problems: string[] }> {
  // A visitor of their own: a fresh profile (storage, cookies) for each page.
  const page = await (await browser.createBrowserContext()).newPage();
  const problems = await watchProblems(page);
  await page.goto(`${siteBase}${path}`, { waitUntil: 'load', timeout: 15000 });
  return { page, problems };
}

async function reachedServer(text: string): Promise<boolean> {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const list = (await call(chat.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations ?? [];
    if (list.some((c: { last_message: { content: string } | null }) => c.last_message?.content === text)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const panelText = (page: Page) =>
  page.evaluate(() => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot?.textContent ?? '');

describe('a site on another origin, under its own strict CSP', () => {
  it('the inline snippet: the launcher in the first frame, styled, before any script; widget.js adopts it, one launcher, the chat works', async () => {
    const { page, problems } = await visit('/inline');
    await page.waitForFunction(() => (window as unknown as { __firstFrame?: unknown }).__firstFrame !== undefined, { timeout: 10000 });
    const first = await page.evaluate(() => (window as unknown as { __firstFrame: unknown }).__firstFrame);
    assert.deepEqual(first, { width: 56, right: 20, background: 'rgb(37, 99, 235)', label: 'Open chat' });
    const launcher = () => page.evaluateHandle(() => document.querySelector('chat-widget')!.shadowRoot!.querySelector('chat-launcher')!.shadowRoot!.querySelector('button')!);
    await (await launcher()).click();
    await page.waitForFunction(() => (document.querySelector('chat-widget') as unknown as { isOpen?: boolean })?.isOpen === true, { timeout: 10000 });
    assert.equal(await page.evaluate(() => document.querySelectorAll('chat-widget').length), 1);
    assert.equal(await page.evaluate(() => document.querySelector('chat-widget')!.getAttribute('public-key')), ws.publicKey);
    await page.evaluate(() => (document.querySelector('chat-widget') as unknown as { sendMessage(t: string): void }).sendMessage('Hello from the inline snippet'));
    assert.ok(await reachedServer('Hello from the inline snippet'), 'the message reached the server');
    await page.evaluate(() => (document.querySelector('chat-widget') as unknown as { hide(): void }).hide());
    // The elements' own launcher now, in the same place, one of it.
    await page.waitForFunction(() => document.querySelector('chat-widget')!.shadowRoot!.querySelectorAll('chat-launcher').length === 1, { timeout: 5000 });
    const after = await page.evaluate(() => {
      const button = document.querySelector('chat-widget')!.shadowRoot!.querySelector('chat-launcher')!.shadowRoot!.querySelector('button')!;
      return { width: button.offsetWidth, background: getComputedStyle(button).backgroundColor, styles: document.querySelector('chat-widget')!.shadowRoot!.querySelectorAll('style').length };
    });
    assert.deepEqual(after, { width: 56, background: 'rgb(37, 99, 235)', styles: 0 });
    assert.deepEqual(problems, []);
    await page.browserContext().close();
  });

  it('Woes: the snippet, then identify, theme, show and a message; the API URL ending in /messages', async () => {
    const { page, problems } = await visit('/woes');
    await page.waitForFunction(() => (document.querySelector('chat-widget') as unknown as { isOpen?: boolean })?.isOpen === true, { timeout: 10000 });
    assert.equal(await page.evaluate(() => document.querySelector('chat-widget')!.getAttribute('theme')), 'dark');
    await page.evaluate(() => (document.querySelector('chat-widget') as unknown as { sendMessage(t: string): void }).sendMessage('Hello from the Woes site'));
    assert.ok(await reachedServer('Hello from the Woes site'), 'the message reached the server');
    const list = (await call(chat.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations;
    const conversation = list.find((c: { last_message: { content: string } | null }) => c.last_message?.content === 'Hello from the Woes site');
    const one = await call(chat.base, 'GET', `/api/agent/conversations/${conversation.id}`, { token: ws.operatorKey });
    assert.equal(one.body.contact.email, 'woes@example.com');
    assert.deepEqual(problems, []);
    await page.browserContext().close();
  });

  it('Convot: app_id and CONVOT_READY_TRIGGER before the loader; the whole surface right after it', async () => {
    const { page, problems } = await visit('/convot');
    await page.waitForFunction(() => (window as unknown as { __convotReady?: number }).__convotReady === 1, { timeout: 10000 });
    const early = await page.evaluate(() => (window as unknown as { __early: unknown }).__early);
    assert.deepEqual(early, { open: 'function', ready: false, opened: false, unread: 0 });
    assert.ok(await reachedServer('Hello from the Convot site'), 'the message reached the server');
    assert.equal(await page.evaluate(() => (window as unknown as { Convot: { is(k: string): boolean } }).Convot.is('chat:opened')), true);
    // user:email is the visitor's once the server has the identify.
    await page.waitForFunction(() => (window as unknown as { Convot: { get(k: string): unknown } }).Convot.get('user:email') === 'convot@example.com', { timeout: 5000 });
    assert.deepEqual(problems, []);
    await page.browserContext().close();
  });

  it('web1on1: open, a fake agent message and a client message from the line after the snippet', async () => {
    const { page, problems } = await visit('/web1on1');
    assert.ok(await reachedServer('Hello from the web1on1 site'), 'the message reached the server');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __early: unknown }).__early), { isOpen: false, woes: 'undefined' });
    await page.waitForFunction(() => (window as unknown as { web1on1: { isOpen(): boolean } }).web1on1.isOpen(), { timeout: 5000 });
    const deadline = Date.now() + 5000;
    while (!(await panelText(page)).includes('Hello from the web1on1 site') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const text = await panelText(page);
    assert.match(text, /Welcome to the chat/);
    assert.match(text, /Hello from the web1on1 site/);
    assert.deepEqual(problems, []);
    await page.browserContext().close();
  });

  it('two tags: the module and the element', async () => {
    const { page, problems } = await visit('/two-tags');
    assert.ok(await reachedServer('Hello from the two-tag site'), 'the message reached the server');
    assert.deepEqual(problems, []);
    await page.browserContext().close();
  });
});
