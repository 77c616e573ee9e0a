// npm run bench:inbox: the operator inbox as a team uses it. The reference server (PGlite in memory, in
// this process) serves the inbox on 127.0.0.1; visitors write from a site on 127.0.0.2 through the
// widget (script tag). Two operators are signed in, each in a browser context of their own. Printed:
// the inbox's bundle (brotli, what the server sends), the time from opening /inbox to the list
// painted, and the time from a visitor's send to the message in BOTH operators' lists (checked each
// animation frame in each inbox), for a new conversation and for a message in one going on. Medians
// (min-max); writes bench-results/inbox.json. Never fails on a figure.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer-core';
import { launchBrowser, referenceServer } from '../scripts/reference.js';
import { createWorkspace } from '../server/seed.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
if (!existsSync('server/public/inbox.js') || !existsSync('dist/widget.js')) throw new Error('bench:inbox: run npm run build first');

const server = await referenceServer({ demoPages: false, logger: false, sessionsPerMinute: 1_000_000, messagesPerMinute: 1_000_000 });
const { db, base } = server;
const ws = await createWorkspace(db, { agentName: 'Ada Lovelace' });
const ben = await (await fetch(`${base}/api/agent/operators`, {
  method: 'POST', headers: { authorization: `Bearer ${ws.operatorKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ben Carter', role: 'agent' }),
})).json() as { key: string };

const site = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>A shop</title></head><body><p>A site's page.</p>
    <script async src="${base}/dist/widget.js" data-public-key="${ws.publicKey}"></script></body></html>`);
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
const siteBase = `http://127.0.0.2:${(site.address() as AddressInfo).port}`;

const browser = await launchBrowser();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
const now = () => performance.timeOrigin + performance.now();

/** An operator's inbox, signed in (the key in the session's storage, as after the sign-in form), with a watcher for texts in the list. */
async function inbox(key: string): Promise<{ page: Page; opened: number }> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1280, height: 800 });
  // tsx names the functions it compiles with a helper the page does not have.
  await page.evaluateOnNewDocument('window.__name = (f) => f');
  await page.evaluateOnNewDocument((k) => {
    sessionStorage.setItem('chat-widget-inbox:key', k);
    // Each animation frame: which awaited texts the list shows now, and since when.
    const w = window as unknown as { __want: Set<string>; __seen: Record<string, number>; __listAt?: number };
    w.__want = new Set();
    w.__seen = {};
    const tick = () => {
      const list = document.querySelector('inbox-app')?.shadowRoot?.querySelector('inbox-list')?.shadowRoot;
      const text = list?.querySelector('ul')?.textContent ?? '';
      if (text && w.__listAt === undefined) w.__listAt = performance.timeOrigin + performance.now();
      for (const t of w.__want) if (text.includes(t)) (w.__seen[t] = performance.timeOrigin + performance.now()), w.__want.delete(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, key);
  const start = now();
  await page.goto(`${base}/inbox`, { waitUntil: 'load' });
  await page.waitForFunction(() => (window as unknown as { __listAt?: number }).__listAt !== undefined, { timeout: 20000 }).catch(async (error) => {
    throw new Error(`the inbox's list did not paint: ${(error as Error).message}; the page shows: ${await page.evaluate(() => document.querySelector('inbox-app')?.shadowRoot?.textContent?.slice(0, 300))}`);
  });
  const listAt = await page.evaluate(() => (window as unknown as { __listAt: number }).__listAt);
  return { page, opened: listAt - start };
}

const results: Record<string, unknown> = {};
try {
  const js = readFileSync('server/public/inbox.js');
  const replay = readdirSync('server/public').find((f) => /^inbox-replay-.*\.js$/.test(f));
  const bundle = { inbox: brotliCompressSync(js).length, replay: replay ? brotliCompressSync(readFileSync(`server/public/${replay}`)).length : 0 };
  results.bundle = bundle;

  // A first conversation, so that the lists are not empty when the inboxes open.
  const warm = await (await browser.createBrowserContext()).newPage();
  await warm.goto(siteBase);
  await warm.waitForFunction(() => (document.querySelector('chat-widget') as unknown as { sendMessage?: unknown })?.sendMessage, { timeout: 15000 });
  await warm.evaluate(() => (document.querySelector('chat-widget') as unknown as { sendMessage(t: string): void }).sendMessage('warm-up'));
  for (let i = 0; i < 100; i++) {
    const list = await (await fetch(`${base}/api/agent/conversations`, { headers: { authorization: `Bearer ${ws.operatorKey}` } })).json() as { conversations: unknown[] };
    if (list.conversations.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const opens: number[] = [];
  const operators: { page: Page; opened: number }[] = [];
  for (const key of [ws.operatorKey, ben.key]) {
    const op = await inbox(key);
    opens.push(op.opened);
    operators.push(op);
  }
  for (let i = 0; i < 3; i++) {
    const again = await inbox(ws.operatorKey);
    opens.push(again.opened);
    await again.page.browserContext().close();
  }
  await Promise.all(operators.map((o) => o.page.waitForFunction(() => document.querySelector('inbox-app')?.shadowRoot?.textContent?.includes('Live'), { timeout: 10000 })));

  /** From the visitor's send to the text in both lists. */
  const deliver = async (visitor: Page, text: string) => {
    for (const o of operators) await o.page.evaluate((t) => (window as unknown as { __want: Set<string> }).__want.add(t), text);
    const sent = await visitor.evaluate((t) => {
      (document.querySelector('chat-widget') as unknown as { sendMessage(t: string): void }).sendMessage(t);
      return performance.timeOrigin + performance.now();
    }, text);
    const seen = await Promise.all(operators.map((o) => o.page.waitForFunction((t) => (window as unknown as { __seen: Record<string, number> }).__seen[t], { timeout: 15000, polling: 50 }, text).then((h) => h.jsonValue() as Promise<number>)));
    return Math.max(...seen) - sent;
  };

  const fresh: number[] = [];
  const going: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const visitor = await (await browser.createBrowserContext()).newPage();
    await visitor.goto(siteBase);
    await visitor.waitForFunction(() => (document.querySelector('chat-widget') as unknown as { sendMessage?: unknown })?.sendMessage, { timeout: 15000 });
    fresh.push(await deliver(visitor, `new conversation ${run} ${Math.random().toString(36).slice(2, 8)}`));
    await new Promise((r) => setTimeout(r, 300));
    going.push(await deliver(visitor, `and a second message ${run} ${Math.random().toString(36).slice(2, 8)}`));
    await visitor.browserContext().close();
  }
  results.open_to_list_ms = opens;
  results.new_conversation_in_both_lists_ms = fresh;
  results.message_in_both_lists_ms = going;

  console.log('\n| the inbox (two operators, PGlite, 2 cores) | figure |\n| --- | ---: |');
  console.log(`| inbox.js, brotli (what the server sends) | ${(bundle.inbox / 1024).toFixed(1)} KB |`);
  console.log(`| the co-browsing replayer, loaded when an operator watches a screen | ${(bundle.replay / 1024).toFixed(1)} KB |`);
  console.log(`| /inbox opened to the list painted (${opens.length} loads) | ${fmt(opens)} |`);
  console.log(`| a visitor's first message: in both operators' lists (${fresh.length} visitors) | ${fmt(fresh)} |`);
  console.log(`| a message in a conversation going on: in both lists (${going.length}) | ${fmt(going)} |`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/inbox.json', JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2));
} finally {
  await browser.close();
  site.closeAllConnections();
  site.close();
  await server.close();
}
