/**
 * npm run screenshots:inbox: the operator inbox's main views in headless Chromium against the real
 * server (PGlite in memory) after a small team's morning (scripts/inbox-scenario.ts): the
 * conversation in light and dark at 1280 px, on a tablet (1024 px) and a phone (375 px), the
 * canned-reply picker, a note, the content screens (a help article with its preview), into
 * screenshots/inbox-*.png. DOCS=1 also copies the ones README shows into docs/screenshots/.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { launchBrowser, referenceServer } from './reference.js';
import { createWorkspace, seedDemoContent } from '../server/seed.js';
import { teamMorning } from './inbox-scenario.js';
import { startStubModel } from '../test/server/stub-model.js';

if (!existsSync('server/public/inbox.js')) throw new Error('screenshots:inbox: run npm run build first');
const OUT = 'screenshots';
mkdirSync(OUT, { recursive: true });

const reference = await referenceServer();
const { db, base: server } = reference;
const ws = await createWorkspace(db, {});
await seedDemoContent(db, ws.workspaceId);

// The AI assistant's screen: the stub model and its embedder as the workspace's model, the help center embedded.
const stub = await startStubModel();
const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${server}/api/agent${path}`, { method, headers: { authorization: `Bearer ${ws.operatorKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
await admin('PUT', '/ai', { provider: 'openai', base_url: `${stub.url}/v1`, model: 'plain', api_key: 'sk-screenshot', embedding_model: 'stub-embed', min_similarity: 0.35 });
await admin('POST', '/ai/index');

const browser = await launchBrowser();
const problems: string[] = [];
try {
  // A picture the visitor sends: a screenshot of a card form with an error, drawn by the browser.
  const drawing = await browser.newPage();
  await drawing.setViewport({ width: 360, height: 200 });
  await drawing.setContent(`<body style="margin:0;font:15px system-ui;background:#fff"><div style="margin:16px;padding:16px;border:1px solid #ccc;border-radius:10px">
    <b>Card number</b><div style="border:2px solid #d33;border-radius:6px;padding:8px;margin:8px 0">4970 •••• •••• 1234</div>
    <div style="color:#d33">Your card was declined (code 05).</div></div></body>`);
  const picture = Buffer.from(await drawing.screenshot({ type: 'png' }));
  await drawing.close();
  const scenario = await teamMorning(server, ws, picture);

  const shoot = async (name: string, options: { width: number; height: number; dark?: boolean }, act: (page: Page) => Promise<void>) => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`${name}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`${name}: ${(e as Error).message}`));
    await page.setViewport({ width: options.width, height: options.height });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: options.dark ? 'dark' : 'light' }]);
    // The notifications prompt answered "Not now", except where it is the subject.
    if (name !== 'notify') await page.evaluateOnNewDocument(() => localStorage.setItem('chat-widget-inbox:notifications-later', '1'));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective}`));
    });
    await page.goto(`${server}/inbox?key=${scenario.ada.key}`);
    await page.waitForFunction(() => document.querySelector('inbox-app')?.shadowRoot?.querySelector('inbox-list')?.shadowRoot?.querySelectorAll('.item').length, { timeout: 15000 });
    await act(page);
    await new Promise((r) => setTimeout(r, 400));
    await page.screenshot({ path: `${OUT}/inbox-${name}.png` });
    await context.close();
  };
  /** Opens a conversation by its visitor's name in the list. */
  const open = async (page: Page, name: string) => {
    await page.evaluate((n) => {
      const items = document.querySelector('inbox-app')!.shadowRoot!.querySelector('inbox-list')!.shadowRoot!.querySelectorAll<HTMLElement>('.item');
      const item = Array.from(items).find((i) => i.textContent!.includes(n));
      if (!item) throw new Error(`no conversation "${n}" in: ${Array.from(items).map((i) => i.textContent!.replace(/\s+/g, ' ')).join(' | ')}`);
      item.click();
    }, name);
    await page.waitForFunction(() => document.querySelector('inbox-app')?.shadowRoot?.querySelector('inbox-thread')?.shadowRoot?.querySelector('.msg'), { timeout: 10000 });
    await new Promise((r) => setTimeout(r, 500));
  };
  const thread = (page: Page, fn: string) => page.evaluate(`(() => { const root = document.querySelector('inbox-app').shadowRoot.querySelector('inbox-thread').shadowRoot; ${fn} })()`);
  const nav = (page: Page, label: string) => page.evaluate((l) => document.querySelector('inbox-app')!.shadowRoot!.querySelector<HTMLElement>(`nav button[aria-label="${l}"]`)!.click(), label);
  /** A tab of the content screens. */
  const tab = async (page: Page, name: string) => {
    await nav(page, 'Content and settings');
    await new Promise((r) => setTimeout(r, 300));
    await page.evaluate((n) => {
      const root = document.querySelector('inbox-app')!.shadowRoot!.querySelector('inbox-content')!.shadowRoot!;
      Array.from(root.querySelectorAll<HTMLElement>('[role=tab]')).find((t) => t.textContent === n)!.click();
    }, name);
  };
  const anyStatus = (page: Page) =>
    page.evaluate(() => {
      const select = document.querySelector('inbox-app')!.shadowRoot!.querySelector('inbox-list')!.shadowRoot!.querySelector<HTMLSelectElement>('select')!;
      select.value = 'all';
      select.dispatchEvent(new Event('change'));
    });

  await shoot('conversation', { width: 1280, height: 800 }, (p) => open(p, 'Sofia'));
  await shoot('conversation-dark', { width: 1280, height: 800, dark: true }, (p) => open(p, 'Sofia'));
  await shoot('image', { width: 1280, height: 800 }, async (p) => {
    await open(p, 'checkout');
    await p.waitForFunction(() => document.querySelector('inbox-app')?.shadowRoot?.querySelector('inbox-thread')?.shadowRoot?.querySelector('img.preview-img'), { timeout: 10000 });
  });
  await shoot('canned', { width: 1280, height: 800 }, async (p) => {
    await open(p, 'trail-runner');
    await thread(p, `const t = root.querySelector('textarea'); t.focus(); t.value = '/'; t.dispatchEvent(new InputEvent('input'));`);
  });
  await shoot('note', { width: 1280, height: 800, dark: true }, async (p) => {
    await open(p, 'Sofia');
    await thread(p, `root.querySelectorAll('.segmented button')[1].click(); const t = root.querySelector('textarea'); t.value = 'Quote sent by email, waiting for Sofia.';`);
  });
  await shoot('tablet', { width: 1024, height: 768 }, (p) => open(p, 'checkout'));
  await shoot('notify', { width: 1280, height: 800 }, async () => {});
  await shoot('phone-list', { width: 375, height: 740 }, async () => {});
  await shoot('phone', { width: 375, height: 740 }, (p) => open(p, 'Sofia'));
  await shoot('closed', { width: 1280, height: 800 }, async (p) => {
    await anyStatus(p);
    await new Promise((r) => setTimeout(r, 500));
    await open(p, 'Marta');
  });
  await shoot('article', { width: 1280, height: 800 }, async (p) => {
    await tab(p, 'Help articles');
    await new Promise((r) => setTimeout(r, 500));
    await p.evaluate(() => {
      const root = document.querySelector('inbox-app')!.shadowRoot!.querySelector('inbox-content')!.shadowRoot!;
      Array.from(root.querySelectorAll<HTMLElement>('.items button')).find((t) => t.textContent!.includes('Returning'))!.click();
    });
  });
  await shoot('topics', { width: 1280, height: 800, dark: true }, async (p) => {
    await nav(p, 'Content and settings');
  });
  await shoot('canned-replies', { width: 1280, height: 800 }, (p) => nav(p, 'Canned replies'));
  await shoot('hours', { width: 1280, height: 800 }, async (p) => {
    await tab(p, 'Business hours');
  });
  await shoot('appearance', { width: 1280, height: 900 }, async (p) => {
    await tab(p, 'Appearance');
    const colour = await p.waitForSelector('inbox-app >>> inbox-content >>> input[name="brand_color"]', { timeout: 5000 });
    await colour!.type('#0f766e');
    const greeting = await p.waitForSelector('inbox-app >>> inbox-content >>> textarea[name="greeting"]');
    await greeting!.type('Hi! We are the Acme team: ask us anything about your order.');
    await p.waitForFunction(() => document.querySelector('inbox-app')!.shadowRoot!.querySelector('inbox-content')!.shadowRoot!.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-panel')?.shadowRoot?.textContent?.includes('Acme team'), { timeout: 10000 });
  });
  const tryQuestion = async (p: Page) => {
    await tab(p, 'AI assistant');
    const q = await p.waitForSelector('inbox-app >>> inbox-content >>> inbox-ai >>> input[name="q"]', { timeout: 5000 });
    await q!.type('i forgot my pasword');
    await q!.press('Enter');
    await p.waitForFunction(() => {
      const root = document.querySelector('inbox-app')!.shadowRoot!.querySelector('inbox-content')!.shadowRoot!.querySelector('inbox-ai')!.shadowRoot!;
      return root.querySelector('li, [role=alert], section[aria-label="Try a question"] p.muted');
    }, { timeout: 5000 });
  };
  await shoot('ai', { width: 1280, height: 1000 }, tryQuestion);
  await shoot('ai-dark', { width: 1280, height: 1000, dark: true }, tryQuestion);
  await shoot('ai-phone', { width: 375, height: 740 }, (p) => tab(p, 'AI assistant'));
  await shoot('signin', { width: 1280, height: 800 }, async (p) => {
    await p.evaluate(() => sessionStorage.clear());
    await p.goto(`${server}/inbox`);
    await new Promise((r) => setTimeout(r, 500));
  });
  if (process.env.DOCS) for (const name of ['conversation', 'conversation-dark', 'image', 'canned', 'tablet', 'phone', 'article', 'ai']) copyFileSync(`${OUT}/inbox-${name}.png`, `docs/screenshots/inbox-${name}.png`);
} finally {
  await browser.close();
  await reference.close();
  await stub.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
console.log(`screenshots:inbox: ${OUT}/inbox-*.png`);
