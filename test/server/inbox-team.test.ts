import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { call, launchChromium, siteOrigin, startServer, watchProblems, type TestServer } from './helpers.js';

/**
 * Two operators share a queue in the inbox, each in a browser of their own (two contexts), against
 * the real server, while visitors write from a site on another origin (127.0.0.2) through the
 * widget: conversations and messages appear live in both lists, an assignment made by one shows for
 * the other, a note never reaches the visitor, filters and search return what they should, a file
 * opens and an image previews, canned replies insert with "/", typing shows both ways, the
 * keyboard works, a message in the background notifies and counts in the title; no CSP violation.
 */
let chat: TestServer;
let site: Awaited<ReturnType<typeof siteOrigin>>;
let siteBase: string;
let browser: Browser;
let ws: Awaited<ReturnType<TestServer['workspace']>>;
let ben: { key: string; id: string };

before(async () => {
  if (!existsSync('server/public/inbox.js') || !existsSync('dist/widget.js')) throw new Error('inbox-team: run npm run build first');
  chat = await startServer({ pages: true, demoPages: false, sessionsPerMinute: 10_000, messagesPerMinute: 10_000 });
  ws = await chat.workspace({ agentName: 'Ada Lovelace' });
  const added = await call(chat.base, 'POST', '/api/agent/operators', { token: ws.operatorKey, body: { name: 'Ben Carter', role: 'agent' } });
  ben = { key: added.body.key, id: added.body.operator.id };
  site = await siteOrigin((req, res) => {
    const page = new URL(req.url ?? '/', 'http://x').pathname;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop ${page}</title></head><body><h1>A shop</h1>
      <script async src="${chat.base}/dist/widget.js" data-public-key="${ws.publicKey}"></script></body></html>`);
  });
  siteBase = site.base;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await chat?.close();
});

/** Reaches into the inbox's elements from the page. */
const HELPERS = `
  window.__ib = {
    app: () => document.querySelector('inbox-app').shadowRoot,
    list: () => document.querySelector('inbox-app')?.shadowRoot?.querySelector('inbox-list')?.shadowRoot,
    thread: () => document.querySelector('inbox-app')?.shadowRoot?.querySelector('inbox-thread')?.shadowRoot,
    content: () => document.querySelector('inbox-app')?.shadowRoot?.querySelector('inbox-content')?.shadowRoot,
    items: () => [...(window.__ib.list()?.querySelectorAll('.item') ?? [])].map((i) => i.textContent.replace(/\\s+/g, ' ').trim()),
    item: (text) => [...(window.__ib.list()?.querySelectorAll('.item') ?? [])].find((i) => i.textContent.includes(text)),
    log: () => window.__ib.thread()?.querySelector('.log')?.textContent.replace(/\\s+/g, ' ') ?? '',
  };
  // The tab in the background when the test says so (document.hidden), and the notifications it shows.
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden === true });
  window.__notes = [];
  // What each blob: address of the page holds (its size), to check an opened file's bytes.
  window.__blobs = {};
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob) => { const url = createObjectURL(blob); window.__blobs[url] = blob.size; return url; };
  window.Notification = class extends EventTarget {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    constructor(title, options) { super(); window.__notes.push({ title, body: options?.body ?? '' }); }
    close() {}
  };
`;

interface Operator {
  page: Page;
  problems: string[];
  context: BrowserContext;
}

async function signIn(key: string): Promise<Operator> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const problems = await watchProblems(page);
  await page.evaluateOnNewDocument(HELPERS);
  await page.goto(`${chat.base}/inbox`, { waitUntil: 'load' });
  // Signs in through the form, as an operator does.
  const input = await page.waitForSelector('inbox-app >>> input[name="key"]', { timeout: 10000 });
  await input!.type(key);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as any).__ib.app()?.textContent.includes('Live'), { timeout: 10000 });
  return { page, problems, context };
}

async function visitor(path: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.goto(`${siteBase}${path}`, { waitUntil: 'load' });
  await page.waitForFunction(() => customElements.get('chat-widget') && (document.querySelector('chat-widget') as any)?.sendMessage, { timeout: 10000 });
  return page;
}

const say = (page: Page, text: string) => page.evaluate((t) => (document.querySelector('chat-widget') as any).sendMessage(t), text);
const until = (page: Page, fn: string, what: string, timeout = 10000) =>
  page.waitForFunction(fn, { timeout, polling: 50 }).catch(async (error) => {
    const items = await page.evaluate(() => (window as any).__ib?.items?.() ?? []).catch(() => []);
    throw new Error(`${what}: ${(error as Error).message}; list: ${JSON.stringify(items)}`);
  });
const click = (page: Page, fn: string) => page.evaluate(`(${fn})().click()`);

/** Writes in the open conversation's composer, as a reply or an internal note, and sends it with Enter. */
const compose = (page: Page, kind: 'Reply' | 'Internal note', text: string) =>
  page.evaluate(
    (k, t) => {
      const root = (window as any).__ib.thread();
      [...root.querySelectorAll('.segmented button')].find((b: Element) => b.textContent === k).click();
      const area = root.querySelector('textarea') as HTMLTextAreaElement;
      area.value = t;
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    },
    kind,
    text,
  );

describe('two operators sharing a queue in the inbox', () => {
  let ada: Operator;
  let bob: Operator;
  let sofia: Page;

  before(async () => {
    [ada, bob] = await Promise.all([signIn(ws.operatorKey), signIn(ben.key)]);
  });
  after(async () => {
    for (const op of [ada, bob]) await op?.context.close();
  });

  it('sees a new conversation and its messages live in both lists, then assignment made by one shows for the other', async () => {
    sofia = await visitor('/pricing');
    await say(sofia, 'Hello, does the Team plan include SSO?');
    for (const op of [ada, bob]) await until(op.page, `window.__ib.item('Team plan include SSO')?.querySelector('.badge')?.textContent === '1'`, 'listed with 1 unread');
    // The anonymous visitor has a name of their own and the page they are on.
    const row = await ada.page.evaluate(() => (window as any).__ib.item('Team plan include SSO').textContent as string);
    assert.match(row, /[A-Z][a-z]+ [A-Z][a-z]+/);
    assert.match(row, /127\.0\.0\.2:\d+\/pricing/);

    // Ada opens it: her unread count goes, Ben's stays.
    await click(ada.page, `() => window.__ib.item('Team plan include SSO')`);
    await until(ada.page, `window.__ib.log().includes('Team plan include SSO')`, 'thread open');
    await until(ada.page, `!window.__ib.item('Team plan include SSO').querySelector('.badge')`, 'read by Ada');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await bob.page.evaluate(() => (window as any).__ib.item('Team plan include SSO').querySelector('.badge')?.textContent), '1', 'still unread for Ben');

    // Ada assigns it to Ben; Ben sees it under Mine.
    await ada.page.evaluate((id) => {
      const select = (window as any).__ib.thread().querySelector('select[aria-label="Assignee"]') as HTMLSelectElement;
      select.value = id;
      select.dispatchEvent(new Event('change'));
    }, ben.id);
    await until(bob.page, `window.__ib.item('Team plan include SSO')?.textContent.includes('→ Ben')`, 'assignment shown to Ben');
    await click(bob.page, `() => [...window.__ib.list().querySelectorAll('.segmented button')].find((b) => b.textContent === 'Mine')`);
    await until(bob.page, `window.__ib.items().length === 1 && window.__ib.items()[0].includes('Team plan include SSO')`, 'Mine shows it');
    await click(ada.page, `() => [...window.__ib.list().querySelectorAll('.segmented button')].find((b) => b.textContent === 'Mine')`);
    await until(ada.page, `window.__ib.list().textContent.includes('Nothing assigned to you here')`, 'not in Ada\'s Mine');
    for (const op of [ada, bob]) await click(op.page, `() => [...window.__ib.list().querySelectorAll('.segmented button')].find((b) => b.textContent === 'All')`);
  });

  it('a reply reaches the visitor with its operator\'s name; a note reaches only the team; typing shows both ways', async () => {
    await click(bob.page, `() => window.__ib.item('Team plan include SSO')`);
    await until(bob.page, `window.__ib.log().includes('Team plan include SSO')`, 'Ben opened it');
    // The visitor types: both operators looking at it see it.
    await sofia.evaluate(() => (document.querySelector('chat-widget') as any).show());
    await sofia.waitForFunction(() => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot?.querySelector('textarea'), { timeout: 10000 });
    const composer = await sofia.evaluateHandle(() => document.querySelector('chat-widget')!.shadowRoot!.querySelector('chat-panel')!.shadowRoot!.querySelector('textarea')!);
    await (composer as any).type('Also, is');
    await until(bob.page, `window.__ib.thread().querySelector('.typing').textContent.includes('is typing')`, 'visitor typing seen by Ben');
    // Ben types: the visitor sees an operator typing, Ada sees Ben replying.
    await bob.page.evaluate(() => {
      const t = (window as any).__ib.thread().querySelector('textarea') as HTMLTextAreaElement;
      t.value = 'SS';
      t.dispatchEvent(new InputEvent('input'));
    });
    await sofia.waitForFunction(() => (document.querySelector('chat-widget') as any).state.typing !== null, { timeout: 10000 });
    await until(ada.page, `window.__ib.thread().querySelector('.typing').textContent.includes('Ben Carter is replying')`, 'Ada sees Ben typing');

    // A note first, then a reply: the visitor gets the reply and never the note.
    await compose(bob.page, 'Internal note', 'Check the CRM: Northwind asked last month');
    await until(ada.page, `window.__ib.thread().querySelector('[data-internal]')?.textContent.includes('Check the CRM')`, 'Ada sees the note live');
    await compose(bob.page, 'Reply', 'SSO comes with the **Business** plan.');
    await sofia.waitForFunction(() => (document.querySelector('chat-widget') as any).state.messages.some((m: any) => m.content.includes('Business')), { timeout: 10000 });
    const seen = await sofia.evaluate(() => (document.querySelector('chat-widget') as any).state.messages.map((m: any) => [m.content, m.authorName ?? null]));
    assert.ok(seen.some(([c, name]: [string, string]) => c.includes('Business') && name === 'Ben Carter'), JSON.stringify(seen));
    assert.ok(!seen.some(([c]: [string]) => c.includes('Check the CRM')), 'the note never reaches the visitor');
    const panel = await sofia.evaluate(() => document.querySelector('chat-widget')!.shadowRoot!.querySelector('chat-panel')!.shadowRoot!.textContent);
    assert.ok(!panel!.includes('Check the CRM'));
    await until(ada.page, `window.__ib.log().includes('SSO comes with the Business plan')`, 'Ada sees the reply, formatted');
  });

  it('filters by status and searches message text and names; canned replies insert with "/"', async () => {
    const other = await visitor('/returns');
    await say(other, 'Where is my refund for order 5521?');
    await until(ada.page, `window.__ib.item('refund for order 5521')`, 'second conversation listed');
    const search = async (page: Page, q: string) => {
      const box = await page.evaluateHandle(() => (window as any).__ib.list().querySelector('input[type=search]'));
      await (box as any).click({ clickCount: 3 });
      await page.keyboard.press('Backspace');
      if (q) await (box as any).type(q);
    };
    await search(ada.page, 'refund 5521');
    await until(ada.page, `window.__ib.items().length === 1 && window.__ib.items()[0].includes('refund for order 5521')`, 'search by message text');
    await search(ada.page, 'nothing-like-this');
    await until(ada.page, `window.__ib.list().textContent.includes('Nothing matches this search')`, 'search with no match');
    await search(ada.page, '');
    await until(ada.page, `window.__ib.items().length === 2`, 'search cleared');

    // Canned replies: made on their screen, inserted with "/" in the composer.
    await click(ada.page, `() => window.__ib.app().querySelector('nav button[aria-label="Canned replies"]')`);
    const shortcut = await ada.page.waitForSelector('inbox-app >>> inbox-content >>> input[name="shortcut"]', { timeout: 5000 });
    await shortcut!.type('refund');
    const body = await ada.page.waitForSelector('inbox-app >>> inbox-content >>> textarea[name="content"]');
    await body!.type('Refunds reach your card within 5 working days.');
    await body!.press('Tab');
    await ada.page.keyboard.press('Tab');
    await click(ada.page, `() => [...window.__ib.content().querySelectorAll('button')].find((b) => b.textContent.trim() === 'Add')`);
    await until(ada.page, `window.__ib.content().textContent.includes('/refund')`, 'canned reply saved');
    await click(ada.page, `() => window.__ib.app().querySelector('nav button[aria-label="Conversations"]')`);
    await until(ada.page, `window.__ib.item('refund for order 5521')`, 'back to the list');
    await click(ada.page, `() => window.__ib.item('refund for order 5521')`);
    await until(ada.page, `window.__ib.log().includes('refund for order 5521')`, 'opened');
    const composer = await ada.page.waitForSelector('inbox-app >>> inbox-thread >>> textarea');
    await composer!.type('/ref');
    await until(ada.page, `window.__ib.thread().querySelector('.picker')?.textContent.includes('/refund')`, 'picker shows the canned reply');
    await composer!.press('Enter');
    assert.equal(await ada.page.evaluate(() => ((window as any).__ib.thread().querySelector('textarea') as HTMLTextAreaElement).value), 'Refunds reach your card within 5 working days.');
    await composer!.press('Enter');
    await other.waitForFunction(() => (document.querySelector('chat-widget') as any).state.messages.some((m: any) => m.content === 'Refunds reach your card within 5 working days.'), { timeout: 10000 });

    // Close it; "Closed" lists it, "Open" no longer does.
    await click(ada.page, `() => [...window.__ib.thread().querySelectorAll('button')].find((b) => b.textContent.trim() === 'Close')`);
    await until(ada.page, `!window.__ib.item('/returns')`, 'gone from Open');
    await until(bob.page, `!window.__ib.item('/returns')`, 'gone from Ben\'s Open too');
    await ada.page.evaluate(() => {
      const select = (window as any).__ib.list().querySelector('select[aria-label="Status"]') as HTMLSelectElement;
      select.value = 'closed';
      select.dispatchEvent(new Event('change'));
    });
    await until(ada.page, `window.__ib.items().length === 1 && window.__ib.items()[0].includes('/returns')`, 'Closed lists it');
    await ada.page.evaluate(() => {
      const select = (window as any).__ib.list().querySelector('select[aria-label="Status"]') as HTMLSelectElement;
      select.value = 'open';
      select.dispatchEvent(new Event('change'));
    });
    await other.browserContext().close();
  });

  it('a file the visitor sends opens, and an image previews', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
    // A visitor through the widget API (the messenger's attach button sends the same request).
    const session = (await call(chat.base, 'POST', '/api/widget/sessions', { body: { public_key: ws.publicKey, page_url: 'https://shop.example/checkout' } })).body.session.token;
    const first = await call(chat.base, 'POST', '/api/widget/messages', { token: session, body: { client_id: crypto.randomUUID(), content: 'here is my screen' } });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'screen.png');
    const sent = await fetch(`${chat.base}/api/widget/chats/${first.body.message.conversation_id}/files`, { method: 'POST', headers: { authorization: `Bearer ${session}` }, body: form });
    assert.equal(sent.status, 201, await sent.clone().text());
    await until(ada.page, `window.__ib.item('screen.png')`, 'listed with the file', 15000);
    await click(ada.page, `() => window.__ib.item('screen.png')`);
    await until(ada.page, `window.__ib.thread().querySelector('img.preview-img')?.naturalWidth === 2`, 'the image previews (fetched with the operator key)');
    // "Open": the file from a blob: address of the inbox, the bytes the visitor sent.
    await ada.page.evaluate(() => {
      (window as any).__opened = [];
      HTMLAnchorElement.prototype.click = function () {
        (window as any).__opened.push({ href: this.href, download: this.download });
      };
    });
    await click(ada.page, `() => window.__ib.thread().querySelector('button.file')`);
    await until(ada.page, `window.__opened.length === 1`, 'the file opened');
    const opened = await ada.page.evaluate(async () => {
      const { href, download } = (window as any).__opened[0];
      return { download, href: href.slice(0, 5), size: (window as any).__blobs[href] };
    });
    assert.deepEqual(opened, { download: 'screen.png', href: 'blob:', size: png.length });
  });

  it('keyboard: j opens the next conversation, a assigns it to me, c closes it; ? shows the shortcuts', async () => {
    const third = await visitor('/shoes');
    await say(third, 'Do these shoes run large?');
    await until(bob.page, `window.__ib.item('shoes run large')`, 'listed for Ben');
    await bob.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await bob.page.keyboard.press('Escape');
    // j from the top: the newest conversation.
    await bob.page.evaluate(() => {
      const app = document.querySelector('inbox-app') as any;
      app.selected = null;
    });
    await bob.page.keyboard.press('j');
    await until(bob.page, `window.__ib.log().includes('shoes run large')`, 'j opened the newest');
    await bob.page.keyboard.press('a');
    await until(bob.page, `window.__ib.item('shoes run large')?.textContent.includes('→ Ben')`, 'a assigned it to Ben');
    await until(ada.page, `window.__ib.item('shoes run large')?.textContent.includes('→ Ben')`, 'Ada sees it assigned');
    await bob.page.keyboard.press('c');
    await until(bob.page, `!window.__ib.item('shoes run large')`, 'c closed it');
    await bob.page.keyboard.press('?');
    await until(bob.page, `window.__ib.app().querySelector('dialog[aria-label="Keyboard shortcuts"]').open && window.__ib.app().querySelector('dialog[aria-label="Keyboard shortcuts"]').textContent.includes('Next conversation with unread messages')`, 'the shortcuts');
    await bob.page.keyboard.press('Escape');
    await third.browserContext().close();
  });

  it('in the background, a new message notifies, and the tab title counts what is unread', async () => {
    await ada.page.evaluate(() => ((window as any).__hidden = true));
    const before = await ada.page.evaluate(() => (window as any).__notes.length);
    const late = await visitor('/late');
    await say(late, 'Anyone there this late?');
    await until(ada.page, `window.__notes.length > ${before}`, 'a notification');
    const notes = await ada.page.evaluate(() => (window as any).__notes as { title: string; body: string }[]);
    assert.ok(notes.some((n) => n.body === 'Anyone there this late?'), JSON.stringify(notes));
    await until(ada.page, `/^\\(\\d+\\) Inbox/.test(document.title)`, 'the title counts unread');
    await ada.page.evaluate(() => ((window as any).__hidden = false));
    await late.browserContext().close();
    assert.deepEqual(ada.problems, [], 'no problem in Ada\'s inbox (CSP, console, requests)');
    assert.deepEqual(bob.problems, [], 'no problem in Ben\'s inbox');
  });
});

describe('the content screens, without the API', () => {
  let admin: Operator;
  before(async () => {
    admin = await signIn(ws.operatorKey);
  });
  after(async () => {
    await admin?.context.close();
  });

  const tab = (name: string) =>
    click(admin.page, `() => [...window.__ib.content().querySelectorAll('[role=tab]')].find((t) => t.textContent === ${JSON.stringify(name)})`);
  const field = (selector: string) => admin.page.waitForSelector(`inbox-app >>> inbox-content >>> ${selector}`, { timeout: 5000 });
  const press = (label: string) => click(admin.page, `() => [...window.__ib.content().querySelectorAll('button')].find((b) => b.textContent.trim() === ${JSON.stringify(label)})`);

  it('a topic inside another, a help article with its Markdown preview, business hours and the appearance, saved and read back through the API', async () => {
    await click(admin.page, `() => window.__ib.app().querySelector('nav button[aria-label="Content and settings"]')`);
    await until(admin.page, `window.__ib.content()?.querySelector('[role=tab]')`, 'content screens');

    // Topics: a top one, then one inside it.
    await press('New topic');
    await (await field('input[name="names"]'))!.type('Orders');
    await press('Add the topic');
    await until(admin.page, `window.__ib.content().querySelector('.items')?.textContent.includes('Orders')`, 'topic listed');
    await press('New topic');
    await (await field('input[name="names"]'))!.type('Returns');
    await admin.page.evaluate(() => {
      const select = (window as any).__ib.content().querySelector('select[name="parent_id"]') as HTMLSelectElement;
      select.value = Array.from(select.options).find((o) => o.textContent!.includes("Orders"))!.value;
    });
    await press('Add the topic');
    await until(admin.page, `window.__ib.content().querySelector('.items .d1')?.textContent.includes('Returns')`, 'sub-topic indented under its parent');
    const menus = (await call(chat.base, 'GET', '/api/agent/menus', { token: ws.operatorKey })).body.menus as { id: number; parent_id: number | null; names: Record<string, string> }[];
    const orders = menus.find((m) => m.names.en === 'Orders')!;
    assert.equal(menus.find((m) => m.names.en === 'Returns')!.parent_id, orders.id);

    // A help article: the preview formats as the visitor will see it.
    await tab('Help articles');
    await press('New article');
    await (await field('input[name="title"]'))!.type('Sizes');
    await (await field('input[name="slug"]'))!.type('sizes');
    await (await field('textarea[name="body"]'))!.type('Our shoes run **small**.\n\n- take one size up');
    await until(admin.page, `window.__ib.content().querySelector('.preview strong')?.textContent === 'small' && window.__ib.content().querySelector('.preview li')?.textContent === 'take one size up'`, 'Markdown preview');
    await press('Add the article');
    await until(admin.page, `window.__ib.content().querySelector('.items')?.textContent.includes('Sizes')`, 'article listed');
    const articles = (await call(chat.base, 'GET', '/api/agent/articles', { token: ws.operatorKey })).body.articles;
    assert.ok(articles.some((a: { slug: string; body: string }) => a.slug === 'sizes' && a.body.includes('**small**')));

    // Business hours: weekdays 08:00 to 18:00 in Lisbon.
    await tab('Business hours');
    const zone = await field('input[name="time_zone"]');
    await zone!.click({ clickCount: 3 });
    await zone!.type('Europe/Lisbon');
    await admin.page.evaluate(() => {
      const root = (window as any).__ib.content();
      root.querySelector('input[name="always"]').checked = false;
      for (const day of ['mon', 'tue', 'wed', 'thu', 'fri']) {
        root.querySelector(`input[name="${day}-from"]`).value = '08:00';
        root.querySelector(`input[name="${day}-to"]`).value = '18:00';
      }
    });
    await press('Save');
    await until(admin.page, `window.__ib.content().querySelector('[role=status]')?.textContent.includes('saved')`, 'hours saved');
    const settings = (await call(chat.base, 'GET', '/api/agent/settings', { token: ws.operatorKey })).body;
    assert.equal(settings.time_zone, 'Europe/Lisbon');
    assert.deepEqual(settings.business_hours.mon, [['08:00', '18:00']]);
    assert.equal(settings.business_hours.sat, undefined);

    // Appearance: the preview is the widget itself, in the brand colour typed.
    await tab('Appearance');
    await until(admin.page, `window.__ib.content().querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot?.querySelector('textarea')`, 'the preview widget');
    const colour = await field('input[name="brand_color"]');
    await colour!.type('#0f766e');
    await until(admin.page, `getComputedStyle(window.__ib.content().querySelector('chat-widget')).getPropertyValue('--chat-brand').trim() === '#0f766e'`, 'the preview in the brand colour').catch(async (e) => {
      const d = await admin.page.evaluate(() => {
        const root = (window as any).__ib.content();
        const w = root.querySelectorAll('chat-widget');
        return { widgets: w.length, brand: w[0]?.state?.brandColor, style: w[0]?.getAttribute('style'), input: root.querySelector('input[name="brand_color"]').value };
      });
      throw new Error(`${e.message} ${JSON.stringify(d)}`);
    });
    await press('Save');
    await until(admin.page, `window.__ib.content().querySelector('[role=status]')?.textContent.includes('saved')`, 'appearance saved');
    assert.equal((await call(chat.base, 'GET', '/api/agent/settings', { token: ws.operatorKey })).body.appearance.brand_color, '#0f766e');

    // Her own name, from her picture in the rail; the team's presence is listed beside it.
    await click(admin.page, `() => window.__ib.app().querySelector('nav button.me')`);
    await until(admin.page, `window.__ib.app().querySelector('dialog.profile').open && window.__ib.app().querySelector('dialog.profile .team').textContent.includes('Ben Carter')`, 'profile and team');
    const name = await admin.page.waitForSelector('inbox-app >>> dialog.profile input[name="name"]');
    await name!.click({ clickCount: 3 });
    await name!.type('Ada King');
    await click(admin.page, `() => [...window.__ib.app().querySelectorAll('dialog.profile button')].find((b) => b.textContent.trim() === 'Save')`);
    await until(admin.page, `!window.__ib.app().querySelector('dialog.profile').open`, 'saved');
    assert.equal((await call(chat.base, 'GET', '/api/agent/me', { token: ws.operatorKey })).body.agent.name, 'Ada King');
    assert.deepEqual(admin.problems, []);
  });
});
