// npm run bench:browser: our widget and deep-chat 2.4.2, each loaded the same way in a fresh
// page of Debian's Chromium, five runs each; prints medians (min-max) and the ratio
// ours/deep-chat, and writes bench-results/browser.json. It never fails on a figure. A long
// history is measured through the network by bench/history.ts.
// As sites install them: the page on one origin (127.0.0.2), the scripts from another
// (127.0.0.1, with CORS, brotli when accepted), so a cross-origin module load is measured.
import { createServer } from 'node:http';
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { inlineSnippet } from '../scripts/snippet.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** When the second script-time and heap figures are taken, after load. */
const LATER_MS = 7000;
const ROOT = process.cwd();
/** One frame at 60 Hz. */
const FRAME_MS = 1000 / 60;
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!existsSync('dist/widget.js')) throw new Error('bench: run npm run build first');

const PROBE = `
<script>
  window.__t0 = performance.now();
  // When <chat-widget> enters the document (the bootstrap inserts it).
  new MutationObserver((_, o) => { if (document.querySelector('chat-widget')) { window.__mountedAt = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true });
  requestAnimationFrame((t) => (window.__firstFrame = t));
  // The first frame in which the element is on screen.
  function __watch(find) {
    const tick = (t) => {
      const el = find();
      // t is the frame's start; the clock now says which files had arrived by then.
      if (el && el.getBoundingClientRect().width > 0) { window.__painted = t; window.__paintedAt = performance.now(); return; }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
</script>`;

const pages = {
  '/blank.html': `<!doctype html><html><head><meta charset="utf-8">${PROBE}</head><body><p>Blank page</p></body></html>`,
  '/ours.html': `<!doctype html><html><head><meta charset="utf-8">${PROBE}
    <script>__watch(() => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-launcher')?.shadowRoot?.querySelector('button'));</script>
    <script async src="%ASSETS%/dist/widget.js"></script></head><body><p>Page with our widget</p></body></html>`,
  // The inline snippet (scripts/snippet.mjs): the launcher in the page's HTML, then widget.js.
  '/snippet.html': `<!doctype html><html><head><meta charset="utf-8">${PROBE}
    <script>__watch(() => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-launcher')?.shadowRoot?.querySelector('button'));</script>
    </head><body>%SNIPPET%<p>Page with our widget, inline snippet</p></body></html>`,
  '/deep.html': `<!doctype html><html><head><meta charset="utf-8">${PROBE}
    <script>__watch(() => { const d = document.querySelector('deep-chat'); return d && d.shadowRoot && d.shadowRoot.childElementCount ? d : null; });</script>
    <script type="module" src="%ASSETS%/node_modules/deep-chat/dist/deepChat.bundle.js"></script></head><body><p>Page with deep-chat</p><deep-chat></deep-chat></body></html>`,
};

let assets = '';
let snippet = '';
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (pages[path]) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(pages[path].replaceAll('%ASSETS%', assets).replace('%SNIPPET%', snippet));
  }
  const file = normalize(join(ROOT, path));
  if (!file.startsWith(ROOT) || !existsSync(file)) {
    res.writeHead(404);
    return res.end();
  }
  const headers = {
    'content-type': { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' }[extname(file)] ?? 'application/octet-stream',
    'access-control-allow-origin': '*',
    'timing-allow-origin': '*',
    vary: 'accept-encoding',
  };
  // Brotli as the chat server sends it (precompressed by the build), for both widgets alike.
  if (/\bbr\b/.test(req.headers['accept-encoding'] ?? '')) {
    headers['content-encoding'] = 'br';
    res.writeHead(200, headers);
    return res.end(existsSync(`${file}.br`) ? readFileSync(`${file}.br`) : brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  res.writeHead(200, headers);
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
// The site's pages on another host name of this machine: another origin than the scripts'.
const site = createServer((req, res) => server.emit('request', req, res));
await new Promise((r) => site.listen(0, '127.0.0.2', r));
assets = `http://127.0.0.1:${server.address().port}`;
const base = assets;
snippet = await inlineSnippet({ server: assets, publicKey: 'pk_bench' });
const pageBase = `http://127.0.0.2:${site.address().port}`;

const browser = await puppeteer.launch({
  executablePath: CHROME,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
});

/** Bytes of the scripts a page fetched: as served, gzip and brotli (computed from the files). */
function bytesOf(urls) {
  const out = { minified: 0, gzip: 0, brotli: 0 };
  for (const url of urls) {
    // Only this server's files (deep-chat also asks a font host, which is not reachable here).
    if (!url.startsWith(base)) continue;
    const path = new URL(url).pathname;
    if (pages[path] || !existsSync(join(ROOT, path))) continue;
    const buf = readFileSync(join(ROOT, path));
    out.minified += buf.length;
    out.gzip += gzipSync(buf, { level: 9 }).length;
    out.brotli += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return out;
}

const nextFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));

async function run(kind) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const resources = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ name: e.name, end: e.responseEnd })));
  const cdp = await page.createCDPSession();
  await cdp.send('Performance.enable');
  await page.goto(`${pageBase}/${kind}.html`, { waitUntil: 'load' });
  const loadedAt = Date.now();
  const result = {};
  await page.waitForFunction(() => window.__firstFrame !== undefined, { timeout: 20000 });
  if (kind !== 'blank') {
    await page.waitForFunction(() => window.__painted !== undefined, { timeout: 20000 });
    // What had arrived when the launcher painted (the page's own clock for both).
    const painted = await page.evaluate(() => window.__paintedAt);
    result.before = bytesOf((await resources()).filter((r) => r.end <= painted).map((r) => r.name));
  }
  const t = await page.evaluate(() => ({ firstFrame: window.__firstFrame, painted: window.__painted }));
  result.firstFrame = t.firstFrame;
  result.painted = t.painted ?? t.firstFrame;
  if (kind === 'ours' || kind === 'snippet') {
    // Which of the page's frames first showed the launcher (1: the first), and how many frames after
    // widget.js arrived (its response's end, on the page's clock).
    result.frame = Math.round((result.painted - result.firstFrame) / FRAME_MS) + 1;
    const arrived = (await resources()).find((r) => r.name.endsWith('/dist/widget.js'))?.end;
    // ... and after the bootstrap ran (it inserts <chat-widget>; the snippet's is in the HTML already).
    const mounted = await page.evaluate(() => window.__mountedAt);
    result.framesAfterRun = kind === 'ours' ? Math.max(0, Math.round((result.painted - mounted) / FRAME_MS)) : null;
    result.scriptRanMsAfterArrival = kind === 'ours' && arrived !== undefined ? mounted - arrived : null;
    result.framesAfterScript = arrived === undefined ? null : Math.max(0, Math.round((result.painted - arrived) / FRAME_MS));
  }
  await new Promise((r) => setTimeout(r, 2000));
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  result.scriptMs = metrics.ScriptDuration * 1000;
  result.heapMB = metrics.JSHeapUsedSize / 1048576;
  // Once everything is in: our elements load on intent or in an idle moment after the page's
  // start (load + 3 s); measured for every page at the same moment, LATER_MS after load.
  if (kind === 'ours' || kind === 'snippet') {
    await page.evaluate(async () => {
      await customElements.whenDefined('chat-widget');
      await document.querySelector('chat-widget').updateComplete;
    });
  }
  await new Promise((r) => setTimeout(r, Math.max(0, LATER_MS - (Date.now() - loadedAt))));
  await cdp.send('HeapProfiler.collectGarbage');
  const later = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  result.scriptLaterMs = later.ScriptDuration * 1000;
  result.heapLaterMB = later.JSHeapUsedSize / 1048576;
  if (kind === 'ours') {
    // The elements come on intent or idle time (long before now on an idle page).
    await page.evaluate(async () => {
      await customElements.whenDefined('chat-widget');
      document.querySelector('chat-widget').show();
    });
    await nextFrames(page);
  }
  if (kind !== 'blank') {
    await new Promise((r) => setTimeout(r, 500));
    result.total = bytesOf((await resources()).map((r) => r.name));
  }

  await context.close();
  return result;
}

const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const stat = (xs) => ({ median: med(xs), min: Math.min(...xs), max: Math.max(...xs) });

const results = { blank: [], ours: [], snippet: [], deep: [] };
for (let i = 0; i < RUNS; i++) for (const kind of ['blank', 'ours', 'snippet', 'deep']) results[kind].push(await run(kind));
await browser.close();
server.close();
site.close();

const blankFrame = stat(results.blank.map((r) => r.firstFrame));
const blankHeap = stat(results.blank.map((r) => r.heapMB));
const blankHeapLater = stat(results.blank.map((r) => r.heapLaterMB));
const summary = {};
for (const kind of ['ours', 'deep']) {
  const rs = results[kind];
  summary[kind] = {
    brotliBeforePaint: stat(rs.map((r) => r.before.brotli)),
    gzipBeforePaint: stat(rs.map((r) => r.before.gzip)),
    minifiedBeforePaint: stat(rs.map((r) => r.before.minified)),
    brotliOpen: stat(rs.map((r) => r.total.brotli)),
    paintMs: stat(rs.map((r) => r.painted)),
    paintAfterBlankFirstFrameMs: stat(rs.map((r) => r.painted - blankFrame.median)),
    scriptMs: stat(rs.map((r) => r.scriptMs)),
    heapAddedMB: stat(rs.map((r) => r.heapMB - blankHeap.median)),
    scriptLaterMs: stat(rs.map((r) => r.scriptLaterMs)),
    heapAddedLaterMB: stat(rs.map((r) => r.heapLaterMB - blankHeapLater.median)),
  };
}
const rows = [
  ['bytes before the launcher paints (brotli)', 'brotliBeforePaint', (v) => `${(v / 1024).toFixed(1)} KB`],
  ['bytes before the launcher paints (gzip)', 'gzipBeforePaint', (v) => `${(v / 1024).toFixed(1)} KB`],
  ['bytes once the panel is open (brotli)', 'brotliOpen', (v) => `${(v / 1024).toFixed(1)} KB`],
  ['launcher (deep-chat: element) painted after navigation', 'paintMs', (v) => `${v.toFixed(0)} ms`],
  ['... after the blank page\'s first frame', 'paintAfterBlankFirstFrameMs', (v) => `${v.toFixed(0)} ms`],
  ['main-thread script time, 2 s after load', 'scriptMs', (v) => `${v.toFixed(1)} ms`],
  ['JS heap added after GC, 2 s after load', 'heapAddedMB', (v) => `${v.toFixed(2)} MB`],
  ['main-thread script time, 7 s after load (ours: elements loaded when idle)', 'scriptLaterMs', (v) => `${v.toFixed(1)} ms`],
  ['JS heap added after GC, 7 s after load', 'heapAddedLaterMB', (v) => `${v.toFixed(2)} MB`],
];
console.log(`\nOurs (dist/widget.js) and deep-chat 2.4.2, ${RUNS} fresh pages each, Debian Chromium headless, the page on 127.0.0.2 and the scripts from 127.0.0.1 (brotli); median (min-max). Blank page's first frame: ${blankFrame.median.toFixed(0)} ms.`);
console.log('| figure | ours | deep-chat | ours/deep-chat |\n| --- | ---: | ---: | ---: |');
for (const [label, key, fmt] of rows) {
  const o = summary.ours[key];
  const d = summary.deep[key];
  console.log(`| ${label} | ${fmt(o.median)} (${fmt(o.min)}-${fmt(o.max)}) | ${fmt(d.median)} (${fmt(d.min)}-${fmt(d.max)}) | ${d.median ? (o.median / d.median).toFixed(2) : '-'} |`);
}
const frames = {
  snippetFrame: stat(results.snippet.map((r) => r.frame)),
  snippetPaintMs: stat(results.snippet.map((r) => r.painted)),
  scriptTagFrame: stat(results.ours.map((r) => r.frame)),
  scriptTagFramesAfterScript: stat(results.ours.map((r) => r.framesAfterScript ?? NaN)),
  scriptTagFramesAfterRun: stat(results.ours.map((r) => r.framesAfterRun)),
  scriptTagRanMsAfterArrival: stat(results.ours.map((r) => r.scriptRanMsAfterArrival ?? NaN)),
};
const range = (v, fmt = (x) => x) => `${fmt(v.median)} (${fmt(v.min)}-${fmt(v.max)})`;
console.log(`\nThe launcher's first frame, ${RUNS} fresh pages each (frames of 1/60 s counted from the page's first; median (min-max))`);
console.log('| install | launcher first painted in the page\'s frame | frames after widget.js arrived | widget.js ran, after it arrived | frames after it ran | painted after navigation | target |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |');
console.log(`| inline snippet (${(Buffer.byteLength(snippet) / 1024).toFixed(1)} KB in the page, ${(brotliCompressSync(snippet).length / 1024).toFixed(1)} KB brotli) | ${range(frames.snippetFrame)} | - | - | - | ${range(frames.snippetPaintMs, (v) => `${v.toFixed(0)} ms`)} | the first frame |`);
console.log(`| script tag (async) | ${range(frames.scriptTagFrame)} | ${range(frames.scriptTagFramesAfterScript)} | ${range(frames.scriptTagRanMsAfterArrival, (v) => `${v.toFixed(0)} ms`)} | ${range(frames.scriptTagFramesAfterRun)} | ${range(summary.ours.paintMs, (v) => `${v.toFixed(0)} ms`)} | within one frame of the script |`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/browser.json', JSON.stringify({ runs: RUNS, blankFirstFrameMs: blankFrame, summary, frames, raw: results }, null, 2));
