/**
 * npm run screenshots: renders the messenger's views in headless Chromium against the real
 * server (PGlite in memory), installed as a site does (the page on 127.0.0.2, the widget and
 * the API on 127.0.0.1), in light, dark, Arabic and at phone size, into screenshots/*.png.
 */
import { createServer } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import puppeteer, { type Page } from 'puppeteer-core';
import { buildApp } from '../server/app.js';
import { LocalBus } from '../server/bus.js';
import { openDb } from '../server/db/db.js';
import { createWorkspace, seedDemoContent } from '../server/seed.js';

if (!existsSync('dist/widget.js')) throw new Error('screenshots: run npm run build first');
const OUT = 'screenshots';
mkdirSync(OUT, { recursive: true });

const db = await openDb({});
const bus = new LocalBus();
const app = await buildApp({ db, bus, pages: true });
await app.listen({ port: 0, host: '127.0.0.1' });
const server = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const ws = await createWorkspace(db, {});
await seedDemoContent(db, ws.workspaceId);

const site = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const attrs = ['theme', 'locale'].map((k) => (url.searchParams.get(k) ? ` data-${k}="${url.searchParams.get(k)}"` : '')).join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>A site</title>
    <style>body{font:16px system-ui;margin:0;padding:32px;background:${url.searchParams.get('theme') === 'dark' ? '#111' : '#f6f7f9'};color:${url.searchParams.get('theme') === 'dark' ? '#eee' : '#222'}}</style></head>
    <body><h1>Acme shop</h1><p>A page of a site, on its own origin.</p>
    <script async src="${server}/dist/widget.js" data-public-key="${ws.publicKey}"${attrs}></script></body></html>`);
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
const siteBase = `http://127.0.0.2:${(site.address() as { port: number }).port}`;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
});

interface Variant {
  name: string;
  theme: 'light' | 'dark';
  locale?: string;
  width: number;
  height: number;
}
const variants: Variant[] = [
  { name: 'light', theme: 'light', width: 1280, height: 800 },
  { name: 'dark', theme: 'dark', width: 1280, height: 800 },
  { name: 'arabic', theme: 'light', locale: 'ar', width: 1280, height: 800 },
  { name: 'phone', theme: 'light', width: 375, height: 740 },
];

/** Each view: what the page (or visitor) does to reach it. */
const views: Record<string, (page: Page) => Promise<void>> = {
  // A conversation where one message was refused (shown failed, with Retry and Discard) and the next went on.
  'conversation-failed': async (page) => {
    await page.evaluate(async () => {
      await customElements.whenDefined('chat-widget');
      const el = document.querySelector('chat-widget') as unknown as { show(): void; sendMessage(t: string): void; updateComplete: Promise<unknown> };
      await el.updateComplete;
      el.show();
      el.sendMessage('Hello, I have a question about my order');
      await new Promise((r) => setTimeout(r, 600));
      el.sendMessage('This one has a bad byte: \u0000');
      await new Promise((r) => setTimeout(r, 300));
      el.sendMessage('And this one goes through anyway');
    });
    await page.waitForFunction(() => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot?.querySelector('[data-status="failed"]'), { timeout: 10000 }).catch(() => console.error('no failed message shown'));
  },
};

for (const v of variants) {
  for (const [view, reach] of Object.entries(views)) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: v.width, height: v.height, deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: v.theme }, { name: 'prefers-reduced-motion', value: 'reduce' }]);
    await page.goto(`${siteBase}/?theme=${v.theme}${v.locale ? `&locale=${v.locale}` : ''}`, { waitUntil: 'load' });
    await page.hover('chat-widget');
    await reach(page);
    await new Promise((r) => setTimeout(r, 500));
    const file = `${OUT}/${view}-${v.name}.png`;
    await page.screenshot({ path: file as `${string}.png` });
    console.log(file);
    await context.close();
  }
}

await browser.close();
site.closeAllConnections();
site.close();
app.server.closeAllConnections?.();
await app.close();
await db.close();
