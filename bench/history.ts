// npm run bench:history: a returning visitor's long history, driven as a visitor drives it, through
// the network. The reference server (PGlite in memory, in this process) serves dist/ and the API on
// 127.0.0.1; the site's page is on 127.0.0.2 and installs the widget with the script tag. The visitor
// has 1,000 or 10,000 stored messages: hover the launcher, click it, the newest message painted
// (figures from the click, requests, DOM nodes); then, with 1,000, scroll up with the wheel (no click)
// until the first message is on screen. deep-chat 2.4.2 beside it: a click fetches the same history
// from the same server and hands it to a new <deep-chat>. Medians (min-max) of fresh pages; prints a
// table and writes bench-results/history.json. Never fails on a figure. BENCH_PROFILE=1 also prints
// where the main thread went between the click and the paint.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import puppeteer, { type Page } from 'puppeteer-core';
import { buildApp } from '../server/app.js';
import { LocalBus } from '../server/bus.js';
import { openDb } from '../server/db/db.js';
import { createWorkspace } from '../server/seed.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** One turn of the wheel, in pixels (a quick flick of a trackpad is a few thousand). */
const WHEEL = Number(process.env.BENCH_WHEEL ?? 1500);
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
/** deep-chat with 10,000 messages took over two minutes a page: it gets this long, then counts as "over". */
const DEEP_LIMIT_MS = Number(process.env.BENCH_DEEP_LIMIT_MS ?? 20_000);
if (!existsSync('dist/widget.js')) throw new Error('bench: run npm run build first');

const db = await openDb({});
const app = await buildApp({ db, bus: new LocalBus(), pages: true, logger: false, heartbeatMs: 15_000, sessionsPerMinute: 1_000_000, messagesPerMinute: 1_000_000 });
// deep-chat's files and the history it is handed, from the chat server's origin too.
app.get('/bench/deep-chat.js', async (_request, reply) => reply.header('access-control-allow-origin', '*').type('text/javascript').send(readFileSync('node_modules/deep-chat/dist/deepChat.bundle.js')));
app.get('/bench/history/:conversation', async (request, reply) => {
  const rows = await db.query<{ author: string; content: string }>('select author, content from messages where conversation_id = $1 order by seq', [(request.params as { conversation: string }).conversation]);
  return reply.header('access-control-allow-origin', '*').send(rows.map((r) => ({ role: r.author === 'visitor' ? 'user' : 'ai', text: r.content })));
});
await app.listen({ port: 0, host: '127.0.0.1' });
const api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

const pages: Record<string, (q: URLSearchParams) => string> = {
  '/ours.html': (q) => `<!doctype html><html><head><meta charset="utf-8"><title>Returning visitor</title>
    <script>localStorage.setItem(${JSON.stringify(`chat-widget:${q.get('pk')}:session`)}, ${JSON.stringify(q.get('token'))});</script>
    <script async src="${api}/dist/widget.js" data-public-key="${q.get('pk')}" data-api="${api}/api/widget"></script></head>
    <body><p>A site's page.</p></body></html>`,
  '/deep.html': (q) => `<!doctype html><html><head><meta charset="utf-8"><title>deep-chat</title>
    <script type="module" src="${api}/bench/deep-chat.js"></script>
    <style>#open { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; }
      deep-chat { position: fixed; right: 20px; bottom: 90px; }</style></head>
    <body><p>A site's page.</p><button id="open" aria-label="Chat">Chat</button>
    <script>
      document.getElementById('open').addEventListener('click', async () => {
        const history = await (await fetch(${JSON.stringify(`${api}/bench/history/${q.get('conversation')}`)})).json();
        const el = document.createElement('deep-chat');
        el.style.width = '380px'; el.style.height = '560px';
        el.history = history;
        document.body.append(el);
      });
    </script></body></html>`,
};
const site = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const page = pages[url.pathname];
  if (!page) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(url.searchParams));
});
await new Promise<void>((r) => site.listen(0, '127.0.0.2', r));
const siteBase = `http://127.0.0.2:${(site.address() as AddressInfo).port}`;

/** A visitor (its session token) whose conversation holds `n` messages, "message 1" ... "message n". */
async function returningVisitor(publicKey: string, n: number) {
  const session = await (await fetch(`${api}/api/widget/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ public_key: publicKey }) })).json();
  const token = session.session.token as string;
  const sent = await (
    await fetch(`${api}/api/widget/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ client_id: `bench-${n}-${Date.now()}`, content: 'message 1' }),
    })
  ).json();
  const conversation = sent.message.conversation_id as string;
  await db.query(
    `insert into messages (id, workspace_id, conversation_id, author, author_name, content, created_at)
     select 'msg_b' || substr(c.id, 5) || '_' || i, c.workspace_id, c.id, case when i % 2 = 0 then 'agent' else 'visitor' end,
            case when i % 2 = 0 then 'Ben' end,
            'message ' || i || ': ' || repeat('lorem ipsum dolor sit amet ', 1 + i % 3), now() - ($2::int - i) * interval '1 second'
     from conversations c, generate_series(2, $2::int) as i where c.id = $1`,
    [conversation, n],
  );
  await db.query(`update messages set created_at = now() - ($2::int + 1) * interval '1 second', content = 'message 1: hello' where conversation_id = $1 and id not like 'msg\\_b%'`, [conversation, n]);
  return { token, conversation };
}

const browser = await puppeteer.launch({
  executablePath: CHROME,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
});

/** In the page: the first frame in which `find()` gives an element with a box; performance.now() of that frame. */
// (tsx names the functions handed to page.evaluate with a helper the page must have.)
const WATCH = `window.__name = (f) => f;
window.__paintOf = (find, limit = ${DEEP_LIMIT_MS}) => new Promise((resolve) => {
  const start = performance.now();
  // The clock when the frame that shows it runs (a frame's own time stamp can be older than a long task before it).
  const tick = () => {
    const el = find();
    if (el && el.getBoundingClientRect().height > 0) return resolve(performance.now());
    if (performance.now() - start > limit) return resolve(null);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
window.__clicks = [];
addEventListener('click', () => window.__clicks.push(performance.now()), true);`;

/** Elements under a root, shadow roots included. */
const COUNT = `window.__nodes = (root) => { let n = 0; const walk = (r) => { for (const e of r.querySelectorAll('*')) { n++; if (e.shadowRoot) walk(e.shadowRoot); } }; walk(root); return n; };`;

const ourBubble = (text: string) => `(() => {
  const panel = document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot;
  return [...(panel?.querySelectorAll('[part="message"] .text') ?? [])].find((t) => t.textContent.startsWith(${JSON.stringify(text)}));
})()`;
const deepBubble = (text: string) => `(() => {
  const root = document.querySelector('deep-chat')?.shadowRoot;
  return [...(root?.querySelectorAll('.message-bubble') ?? [])].find((t) => t.textContent.startsWith(${JSON.stringify(text)}));
})()`;

async function fresh(): Promise<{ page: Page; close: () => Promise<void>; requests: () => number }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.evaluateOnNewDocument(WATCH + COUNT);
  let requests = 0;
  page.on('request', (r) => {
    if (/\/api\/widget\/(chats\/[^/]+\/)?messages|\/bench\/history\//.test(r.url()) && r.method() === 'GET') requests++;
  });
  return { page, close: () => context.close(), requests: () => requests };
}

/** BENCH_PROFILE=1: where the page's main thread went, the 25 functions with the most time of their own. */
async function startProfile(page: Page): Promise<() => Promise<string>> {
  const cdp = await page.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    (profile.samples ?? []).forEach((id, i) => {
      const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber}:${columnNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
    });
    return [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(1)} ms ${k}`).join('\n');
  };
}

async function ours(publicKey: string, visitor: { token: string }, n: number, scroll: boolean) {
  const { page, close, requests } = await fresh();
  await page.goto(`${siteBase}/ours.html?pk=${publicKey}&token=${visitor.token}`, { waitUntil: 'load' });
  const launcher = await page.waitForFunction(
    () => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-launcher')?.shadowRoot?.querySelector('button'),
    { timeout: 20_000 },
  );
  // A visitor moves to the launcher, then clicks it (about a quarter of a second later) where it is
  // (the button under the pointer may be the real launcher by then, which took over from the bootstrap's).
  const spot = (await (launcher as any).boundingBox())!;
  await page.mouse.move(spot.x + spot.width / 2, spot.y + spot.height / 2);
  await new Promise((r) => setTimeout(r, 250));
  const before = requests();
  const profiling = process.env.BENCH_PROFILE ? await startProfile(page) : null;
  const painted = page.evaluate(`window.__paintOf(() => ${ourBubble(`message ${n}:`)})`) as Promise<number | null>;
  await page.mouse.click(spot.x + spot.width / 2, spot.y + spot.height / 2);
  const at = await painted;
  if (profiling) console.error(`main thread from the click to the paint (${n} messages):\n${await profiling()}`);
  const clickAt = await page.evaluate(() => (window as any).__clicks.at(-1));
  const result: Record<string, number | null> = {
    openMs: at === null ? null : at - clickAt,
    requests: requests() - before,
    nodes: await page.evaluate(() => (window as any).__nodes(document.querySelector('chat-widget')!.shadowRoot)),
  };
  if (scroll) {
    // The wheel, a notch at a time, as fast as frames come, until the first message is on screen.
    const log = await page.evaluateHandle(() => document.querySelector('chat-widget')!.shadowRoot!.querySelector('chat-panel')!.shadowRoot!.querySelector('[part="messages"]'));
    const box = (await (log as any).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const clicks = await page.evaluate(() => (window as any).__clicks.length);
    const t0 = await page.evaluate(() => performance.now());
    let reached: number | null = null;
    let last: number | null = null;
    // Time at the very top with the next page not in yet: what the visitor waits for (the rest is their own scrolling).
    let stalled = 0;
    for (let i = 0; i < 3000 && reached === null; i++) {
      await page.mouse.wheel({ deltaY: -WHEEL });
      const step = (await page.evaluate(`(() => {
        const el = ${ourBubble('message 1:')};
        const widget = document.querySelector('chat-widget');
        const log = widget.shadowRoot.querySelector('chat-panel').shadowRoot.querySelector('[part="messages"]');
        const waiting = log.scrollTop < 2 && widget.state.loadingEarlier;
        if (!el) return { reached: null, waiting, now: performance.now() };
        const r = el.getBoundingClientRect();
        const p = log.getBoundingClientRect();
        return { reached: r.bottom > p.top && r.top < p.bottom ? performance.now() : null, waiting, now: performance.now() };
      })()`)) as { reached: number | null; waiting: boolean; now: number };
      if (step.waiting) stalled += step.now - (last ?? step.now);
      last = step.now;
      reached = step.reached;
    }
    result.stalledMs = stalled;
    result.scrollToFirstMs = reached === null ? null : reached - t0;
    result.scrollClicks = (await page.evaluate(() => (window as any).__clicks.length)) - clicks;
    result.scrollRequests = requests() - before - (result.requests as number);
  }
  await close();
  return result;
}

async function deep(conversation: string, n: number) {
  const { page, close, requests } = await fresh();
  await page.goto(`${siteBase}/deep.html?conversation=${conversation}`, { waitUntil: 'load' });
  await page.waitForFunction(() => customElements.get('deep-chat'), { timeout: 20_000 });
  const button = (await page.$('#open'))!;
  await button.hover();
  await new Promise((r) => setTimeout(r, 250));
  const painted = page.evaluate(`window.__paintOf(() => ${deepBubble(`message ${n}:`)})`) as Promise<number | null>;
  await button.click();
  const at = await painted;
  const clickAt = await page.evaluate(() => (window as any).__clicks.at(-1));
  const result: Record<string, number | null> = {
    openMs: at === null ? null : at - clickAt,
    requests: requests(),
    nodes: at === null ? null : await page.evaluate(() => (window as any).__nodes(document.querySelector('deep-chat')!.shadowRoot)),
  };
  await close();
  return result;
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stat = (xs: (number | null)[]) => {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length === xs.length && ok.length ? { median: med(ok), min: Math.min(...ok), max: Math.max(...ok) } : null;
};

try {
  const ws = await createWorkspace(db, {});
  const results: Record<string, { ours: Record<string, number | null>[]; deep: Record<string, number | null>[] }> = {};
  for (const n of [1000, 10_000]) {
    results[n] = { ours: [], deep: [] };
    for (let i = 0; i < RUNS; i++) {
      // A visitor of their own each run: nothing cached by the server or the browser.
      const v = await returningVisitor(ws.publicKey, n);
      results[n]!.ours.push(await ours(ws.publicKey, v, n, n === 1000));
      results[n]!.deep.push(await deep(v.conversation, n));
    }
  }
  const f = (s: ReturnType<typeof stat>, unit = ' ms', digits = 0) => (s ? `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})` : `over ${DEEP_LIMIT_MS / 1000} s`);
  const summary: Record<string, unknown> = {};
  console.log(`\nA returning visitor's history through the network (the page on 127.0.0.2, the server on 127.0.0.1), ${RUNS} fresh pages each, Debian Chromium headless; median (min-max), from the click.`);
  console.log('| figure | ours | deep-chat 2.4.2 | ours/deep-chat | target |\n| --- | ---: | ---: | ---: | --- |');
  for (const n of [1000, 10_000]) {
    const o = results[n]!.ours;
    const d = results[n]!.deep;
    const rows = {
      openMs: [stat(o.map((r) => r.openMs)), stat(d.map((r) => r.openMs))],
      requests: [stat(o.map((r) => r.requests)), stat(d.map((r) => r.requests))],
      nodes: [stat(o.map((r) => r.nodes)), stat(d.map((r) => r.nodes))],
    };
    summary[n] = rows;
    const ratio = (a: ReturnType<typeof stat>, b: ReturnType<typeof stat>) => (a && b ? (a.median / b.median).toFixed(2) : b ? '-' : `< ${((a?.median ?? 0) / DEEP_LIMIT_MS).toFixed(3)}`);
    const target = n === 1000 ? '<=250 ms; <=50 ms painted, <=0.35x deep-chat' : '<=300 ms, <=2,000 nodes';
    console.log(`| ${n.toLocaleString('en')} messages: newest message painted after the click | ${f(rows.openMs[0])} | ${f(rows.openMs[1])} | ${ratio(rows.openMs[0], rows.openMs[1])} | ${target} |`);
    console.log(`| ... history requests | ${f(rows.requests[0], '', 0)} | ${f(rows.requests[1], '', 0)} | | |`);
    console.log(`| ... DOM nodes then | ${f(rows.nodes[0], '', 0)} | ${f(rows.nodes[1], '', 0)} | ${ratio(rows.nodes[0], rows.nodes[1])} | ${n === 10_000 ? '<=2,000' : ''} |`);
  }
  const scroll = stat(results[1000]!.ours.map((r) => r.scrollToFirstMs ?? null));
  const scrollRequests = stat(results[1000]!.ours.map((r) => r.scrollRequests ?? null));
  const scrollClicks = stat(results[1000]!.ours.map((r) => r.scrollClicks ?? null));
  const stalled = stat(results[1000]!.ours.map((r) => r.stalledMs ?? null));
  summary['scroll1000'] = { ms: scroll, stalledMs: stalled, requests: scrollRequests, clicks: scrollClicks, wheelPx: WHEEL };
  console.log(`| 1,000 messages: the wheel (${WHEEL} px a turn) from the newest to the first message on screen | ${f(scroll)} | (all 1,000 in the page already) | | <=5 s, no click |`);
  console.log(`| ... of which waiting at the top for a page | ${f(stalled)} | | | |`);
  console.log(`| ... requests, clicks on the way | ${f(scrollRequests, '', 0)}, ${f(scrollClicks, '', 0)} | | | |`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/history.json', JSON.stringify({ runs: RUNS, summary, raw: results }, null, 2));
} finally {
  await browser.close();
  site.close();
  await app.close();
  await db.close();
}
process.exit(0);
