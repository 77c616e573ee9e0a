/**
 * npm run screenshots: renders the messenger's views in headless Chromium against the real
 * server (PGlite in memory), installed as a site does (the page on 127.0.0.2, the widget and
 * the API on 127.0.0.1), in light, dark, Arabic and at phone size, into screenshots/*.png.
 */
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { launchBrowser, referenceServer } from './reference.js';
import { createWorkspace, seedDemoContent } from '../server/seed.js';

if (!existsSync('dist/widget.js')) throw new Error('screenshots: run npm run build first');
const OUT = 'screenshots';
mkdirSync(OUT, { recursive: true });

const reference = await referenceServer();
const { db, base: server } = reference;
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

const browser = await launchBrowser();

interface Variant {
  name: string;
  theme: 'light' | 'dark';
  locale?: string;
  width: number;
  height: number;
}
const only = process.env.VIEWS?.split(',');
const variants: Variant[] = [
  { name: 'light', theme: 'light', width: 1280, height: 800 },
  { name: 'dark', theme: 'dark', width: 1280, height: 800 },
  { name: 'arabic', theme: 'light', locale: 'ar', width: 1280, height: 800 },
  { name: 'phone', theme: 'light', width: 375, height: 740 },
];

/** The widget's element and its commands (by the Lit context protocol, as the dialects get them), in the page. */
const IN_PAGE = `
  window.__widget = async () => {
    await customElements.whenDefined('chat-widget');
    const el = document.querySelector('chat-widget');
    await el.updateComplete;
    let commands;
    const ev = new Event('context-request', { bubbles: true, composed: true });
    Object.assign(ev, { context: Symbol.for('chat-widget/commands'), contextTarget: document.body, callback: (v) => (commands = v), subscribe: false });
    el.dispatchEvent(ev);
    return { el, commands };
  };
  window.__until = async (test, ms = 20000) => {
    for (let t = 0; t < ms; t += 100) { if (test()) return true; await new Promise((r) => setTimeout(r, 100)); }
    console.error('screenshots: a view did not come');
    return false;
  };
  // A chat on the first topic that offers one, started by the visitor's first message; resolves once it is idle.
  window.__chatOnTopic = async (el, commands, text) => {
    el.show();
    await window.__until(() => el.state.topics.length);
    const leaves = (list) => list.flatMap((t) => (t.children.length ? leaves(t.children) : [t]));
    await commands.startChat(leaves(el.state.topics).find((t) => t.channels.includes('chat')).id);
    el.sendMessage(text);
    await window.__until(() => el.state.chat && el.state.messages.some((m) => m.status === 'sent') && !el.state.pending.lifecycle);
  };
  window.__panel = () => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot;
  window.__view = (tag) => window.__panel()?.querySelector(tag)?.shadowRoot;
`;

/** An operator's reply to the conversation whose last message is the visitor's question (or to `id`); returns its id. */
async function operatorReply(content: string, id?: string): Promise<string | undefined> {
  const headers = { authorization: `Bearer ${ws.operatorKey}`, 'content-type': 'application/json' };
  for (let i = 0; i < 50 && !id; i++) {
    const list = (await (await fetch(`${server}/api/agent/conversations`, { headers })).json()) as { conversations: { id: string; last_message?: { content: string } | null }[] };
    id = list.conversations.find((x) => x.last_message?.content?.startsWith('Hi! Where is my order'))?.id;
    if (!id) await new Promise((r) => setTimeout(r, 100));
  }
  if (!id) {
    console.error('screenshots: no conversation to reply to');
    return undefined;
  }
  await fetch(`${server}/api/agent/conversations/${id}/messages`, { method: 'POST', headers, body: JSON.stringify({ content }) });
  return id;
}

/** Each view: what the page (or visitor) does to reach it. */
const views: Record<string, (page: Page) => Promise<void>> = {
  // The messenger as it opens: the topic picker.
  home: async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.show();
      await (window as any).__until(() => (window as any).__view('chat-topics')?.querySelector('button'));
    });
  },
  // A conversation: the visitor's question and an operator's formatted answer.
  conversation: async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.show();
      el.sendMessage('Hi! Where is my order #1042? It was due yesterday.');
    });
    const id = await operatorReply('Hello! Your order **shipped this morning**.\n\nWhat happens next:\n- a tracking link by email within the hour\n- delivery in *2 to 4 days*');
    await operatorReply('Anything else I can help with?', id);
    await page.evaluate(async () => (window as any).__until(() => (window as any).__panel()?.querySelector('[part="message"][data-author="agent"]')));
  },
  // A conversation where one message was refused (shown failed, with Retry and Discard) and the next went on.
  'conversation-failed': async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.show();
      el.sendMessage('Hello, I have a question about my order');
      await new Promise((r) => setTimeout(r, 600));
      el.sendMessage('This one has a bad byte: \u0000');
      await new Promise((r) => setTimeout(r, 300));
      el.sendMessage('And this one goes through anyway');
      await (window as any).__until(() => (window as any).__panel()?.querySelector('[data-status="failed"]'), 10000);
    });
  },
  // A topic the virtual agent answers first (articles only in English: in Arabic it finds none): the visitor's question, its article cards and the way to a person.
  'virtual-agent': async (page) => {
    await page.evaluate(async () => {
      const { el, commands } = await (window as any).__widget();
      el.show();
      await (window as any).__until(() => el.state.topics.length);
      // The demo's "Technical problem" (Product support's second topic) is the virtual agent's.
      await commands.startChat(el.state.topics[0].children[1].id);
      el.sendMessage('How do I reset my password?');
      await (window as any).__until(() => (window as any).__panel()?.querySelector('[data-author="bot"] .escalate'));
    });
  },
  // A ticket form sent empty: the required fields flagged.
  'ticket-errors': async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.show();
      el.showTicketForm('bug_report');
      await (window as any).__until(() => (window as any).__view('chat-tickets')?.querySelector('form'));
      (window as any).__view('chat-tickets').querySelector('form button.primary')?.click();
      await (window as any).__until(() => (window as any).__view('chat-tickets')?.querySelector('[aria-invalid="true"]'));
    });
  },
  // Help: search results, then an article.
  help: async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.openHelp('refund');
      await (window as any).__until(() => (window as any).__view('chat-help')?.querySelector('li, article'));
    });
  },
  article: async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.openArticle({ locale: 'en', slug: 'refunds' });
      await (window as any).__until(() => (window as any).__view('chat-help')?.querySelector('article'));
    });
  },
  // An article answered No: the one-line "What was missing?" and the thanks.
  'article-no': async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.openArticle({ locale: 'en', slug: 'refunds' });
      await (window as any).__until(() => (window as any).__view('chat-help')?.querySelector('.yes-no'));
      (window as any).__view('chat-help').querySelectorAll('.yes-no button')[1].click();
      await (window as any).__until(() => (window as any).__view('chat-help')?.querySelector('form.missing'));
    });
  },
  // An image sent, opened full size inside the widget (the whole window: the dialog is modal).
  image: async (page) => {
    await page.evaluate(async () => {
      const { el, commands } = await (window as any).__widget();
      await (window as any).__chatOnTopic(el, commands, 'My payment failed, here is what I see:');
      const canvas = document.createElement('canvas');
      Object.assign(canvas, { width: 720, height: 450 });
      const g = canvas.getContext('2d')!;
      const fill = g.createLinearGradient(0, 0, 720, 450);
      fill.addColorStop(0, '#4f46e5');
      fill.addColorStop(1, '#06b6d4');
      g.fillStyle = fill;
      g.fillRect(0, 0, 720, 450);
      g.fillStyle = '#fff';
      g.fillRect(60, 60, 600, 330);
      g.fillStyle = '#222';
      g.font = 'bold 34px sans-serif';
      g.fillText('Order #1042', 100, 130);
      g.font = '24px sans-serif';
      g.fillText('Status: payment failed (card declined)', 100, 190);
      const png = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'));
      await commands.attachFile(new File([png], 'order-1042.png', { type: 'image/png' }));
      await (window as any).__until(() => (window as any).__panel()?.querySelector('.thumb img')?.naturalWidth);
      (window as any).__panel().querySelector('.thumb').click();
      await (window as any).__until(() => (window as any).__panel()?.querySelector('dialog.viewer img')?.naturalWidth);
    });
  },
  // Booking a meeting: a day's free times, one picked, the form to book it.
  booking: async (page) => {
    await page.evaluate(async () => {
      const { el } = await (window as any).__widget();
      el.openScheduling();
      await (window as any).__until(() => (window as any).__view('chat-schedule')?.querySelector('.slots button'));
      (window as any).__view('chat-schedule').querySelectorAll('.slots button')[2]?.click();
      await (window as any).__until(() => (window as any).__view('chat-schedule')?.querySelector('form.book'));
    });
  },
  // A call-back request for the Billing topic.
  callback: async (page) => {
    await page.evaluate(async () => {
      const { el, commands } = await (window as any).__widget();
      el.show();
      await (window as any).__until(() => el.state.topics.length);
      const billing = el.state.topics.flatMap((t: any) => [t, ...t.children]).find((t: any) => t.channels.includes('voice_call'));
      commands.requestCallback(billing.id);
      await (window as any).__until(() => (window as any).__view('chat-schedule')?.querySelector('input'));
      // A number without its country code: the visitor is told how to write it.
      const view = (window as any).__view('chat-schedule');
      view.querySelector('input[name="phone"]').value = '020 7946 0958';
      view.querySelector('form button.primary').click();
      await (window as any).__until(() => (window as any).__view('chat-schedule')?.querySelector('[role="alert"]'));
    });
  },
  // The end of a chat: rating, survey, transcript, a new conversation.
  'after-chat': async (page) => {
    await page.evaluate(async () => {
      const { el, commands } = await (window as any).__widget();
      // A chat on a topic (the lifecycle's chat), a message in it, then the visitor ends it.
      await (window as any).__chatOnTopic(el, commands, 'Thanks, that answers it.');
      await commands.finishChat();
      await (window as any).__until(() => (window as any).__view('chat-after')?.querySelector('form, button'));
    });
  },
};

for (const v of variants) {
  for (const [view, reach] of Object.entries(views).filter(([name]) => !only || only.includes(name))) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: v.width, height: v.height, deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: v.theme }, { name: 'prefers-reduced-motion', value: 'reduce' }]);
    await page.evaluateOnNewDocument(IN_PAGE);
    page.on('console', (m) => m.type() === 'error' && console.error(`  ${view}-${v.name}: ${m.text()}`));
    await page.goto(`${siteBase}/?theme=${v.theme}${v.locale ? `&locale=${v.locale}` : ''}`, { waitUntil: 'load' });
    await page.hover('chat-widget');
    await reach(page);
    await new Promise((r) => setTimeout(r, 500));
    const file = `${OUT}/${view}-${v.name}.png`;
    // At desktop size, the widget's side of the window (the left one in Arabic): the messenger, not the empty page.
    const rtl = v.locale === 'ar';
    const clip = v.width > 600 && view !== 'image' ? { x: rtl ? 0 : v.width - 460, y: 0, width: 460, height: v.height } : undefined;
    await page.screenshot({ path: file as `${string}.png`, ...(clip ? { clip } : {}) });
    console.log(file);
    await context.close();
  }
}

// A sheet per view (light, dark, Arabic, phone side by side) to look at them together; README's gallery uses them.
for (const view of Object.keys(views).filter((name) => !only || only.includes(name))) {
  const page = await browser.newPage();
  await page.setViewport({ width: 460 * 3 + 375 + 40, height: 820, deviceScaleFactor: 1 });
  const img = (name: string) => `<figure><img src="data:image/png;base64,${readFileSync(`${OUT}/${view}-${name}.png`).toString('base64')}"><figcaption>${name}</figcaption></figure>`;
  await page.setContent(`<style>body{margin:0;display:flex;gap:8px;padding:8px;background:#888;font:12px system-ui}figure{margin:0}figcaption{color:#fff}</style>${variants.map((v) => img(v.name)).join('')}`);
  await page.screenshot({ path: `${OUT}/sheet-${view}.png` as `${string}.png`, fullPage: true });
  await page.close();
}

await browser.close();
site.closeAllConnections();
site.close();
await reference.close();
