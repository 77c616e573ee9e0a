// npm run bench:ai: the AI agent's first token, as a visitor sees it. The reference server (PGlite in
// memory, in this process) on 127.0.0.1 with the stub model (test/server/stub-model.ts) as the
// workspace's model; the site on 127.0.0.2 installs the widget with the script tag. Each run: a
// fresh visitor picks the topic, asks, and the time from the model's first words leaving the stub to
// them painted in the messenger (an animation-frame watcher in the page) is taken. Prints the median
// and p95 (target ≤150 ms p95 on this machine), writes bench-results/ai.json. Never fails on a figure.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { launchBrowser, referenceServer } from '../scripts/reference.js';
import { createWorkspace } from '../server/seed.js';
import { startStubModel } from '../test/server/stub-model.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
if (!existsSync('dist/widget.js')) throw new Error('bench:ai: run npm run build first');
const server = await referenceServer({ demoPages: false, logger: false, sessionsPerMinute: 1_000_000, messagesPerMinute: 1_000_000 });
const { db, base } = server;
const stub = await startStubModel();
stub.slowMs = 400;
const ws = await createWorkspace(db, {});
const api = (method: string, path: string, body?: unknown) =>
  fetch(`${base}/api/agent${path}`, { method, headers: { authorization: `Bearer ${ws.operatorKey}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }).then((r) => r.json());
await api('POST', '/menus', { names: { en: 'Orders' }, deflection_enabled: true, channels: ['chat'] });
await api('POST', '/articles', { locale: 'en', slug: 'returns', title: 'Returning an order', body: 'Returns are free within 30 days: print the label from My orders.' });
await api('PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1`, model: 'drip', visitor_requests_per_hour: 10000, workspace_tokens_per_day: 100000000 });
const site = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"></head><body><p>A shop.</p><script async src="${base}/dist/widget.js" data-public-key="${ws.publicKey}"></script></body></html>`);
});
await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
const siteBase = `http://127.0.0.2:${(site.address() as AddressInfo).port}`;
const browser = await launchBrowser();
const gaps: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.evaluateOnNewDocument('window.__name = (f) => f');
    await page.evaluateOnNewDocument(() => {
      const tick = () => {
        const text = document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot?.querySelector('.answering .formatted')?.textContent ?? '';
        const w = window as unknown as { __painted?: number };
        if (text && w.__painted === undefined) w.__painted = performance.timeOrigin + performance.now();
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.goto(siteBase);
    await page.waitForFunction(() => (document.querySelector('chat-widget') as unknown as { show?: unknown })?.show, { timeout: 15000 });
    await page.evaluate(() => (document.querySelector('chat-widget') as unknown as { show(): void }).show());
    const topic = await page.waitForFunction(() => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot?.querySelector('chat-topics')?.shadowRoot?.querySelector('.topics button'), { timeout: 15000 });
    await (topic as unknown as { click(): Promise<void> }).click();
    await page.waitForFunction(() => (document.querySelector('chat-widget') as unknown as { state: { view: string } }).state.view === 'conversation', { timeout: 15000 });
    const before = stub.firstTokens.length;
    await page.evaluate(() => (document.querySelector('chat-widget') as unknown as { sendMessage(t: string): void }).sendMessage('Are returns free?'));
    const painted = (await (await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted, { timeout: 15000, polling: 20 })).jsonValue()) as number;
    const first = stub.firstTokens[before];
    if (first) gaps.push(painted - first);
    await page.browserContext().close();
  }
  const sorted = [...gaps].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  console.log('\n| the AI agent (stub model, PGlite, 2 cores) | figure |\n| --- | ---: |');
  console.log(`| the model's first words to painted in the messenger, median (${gaps.length} answers) | ${p(0.5).toFixed(0)} ms |`);
  console.log(`| the same, p95 (target ≤150 ms) | ${p(0.95).toFixed(0)} ms |`);
  console.log(`| range | ${sorted[0]!.toFixed(0)}-${sorted.at(-1)!.toFixed(0)} ms |`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/ai.json', JSON.stringify({ date: new Date().toISOString(), first_token_to_paint_ms: gaps, p50: p(0.5), p95: p(0.95) }, null, 2));
} finally {
  await browser.close();
  site.closeAllConnections();
  site.close();
  await stub.close();
  await server.close();
}
