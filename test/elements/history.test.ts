// A returning visitor with a long history, as a visitor meets it: the newest messages on opening,
// the older ones by scrolling back (no click), and nothing lost when the connection comes back.
// The server is another origin than this page (test/chat-server-plugin.ts).
import { expect, waitUntil } from '@open-wc/testing';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, launcherButton, panelOf, settled, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({
    action: 'agent',
    key: ws.operatorKey,
    method,
    path,
    body,
  });

const commandsOf = (el: ChatWidget) =>
  new Promise<{ startChat(id: number): Promise<boolean> }>((resolve) => {
    const ev = new Event('context-request', { bubbles: true, composed: true });
    Object.assign(ev, {
      context: Symbol.for('chat-widget/commands'),
      contextTarget: document.body,
      callback: resolve,
      subscribe: false,
    });
    el.dispatchEvent(ev);
  });

/**
 * A workspace whose visitor (this page's storage) has one conversation of `n` messages; the widget
 * is gone again. With `topic`, the workspace has support topics and the conversation is a chat on one.
 */
async function returningVisitor(n: number, options: { topic?: boolean } = {}): Promise<TestWorkspace> {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
  const menu = options.topic
    ? await agent(ws, 'POST', '/menus', {
        names: { en: 'Orders' },
        channels: ['chat'],
      })
    : null;
  const first = await connectedWidget(ws);
  if (menu) {
    await waitUntil(() => first.state.topics.length, 'topics', {
      timeout: 5000,
    });
    await (await commandsOf(first)).startChat(menu.body.menu.id);
  }
  first.sendMessage('message 1');
  if (menu)
    await waitUntil(() => first.state.chat, 'the chat on the topic', {
      timeout: 5000,
    });
  await waitUntil(() => first.state.messages.some((m) => m.content === 'message 1' && m.status === 'sent'), 'first message sent', { timeout: 5000 });
  // Gone from the outbox too (the stream may say it is sent before the POST's answer).
  await waitUntil(() => !Object.keys(localStorage).some((k) => k.includes(':outbox:') && localStorage.getItem(k)!.includes('message 1')), 'outbox empty', { timeout: 5000 });
  first.remove();
  const [conversation] = (await agent(ws, 'GET', '/conversations')).body.conversations as { id: string }[];
  await chatServer({ action: 'history', conversation: conversation!.id, n });
  return ws;
}

const logOf = (el: ChatWidget) => panelOf(el)!.shadowRoot!.querySelector<HTMLElement>('[part="messages"]')!;
const bubbles = (el: ChatWidget) => [...(panelOf(el)?.shadowRoot?.querySelectorAll<HTMLElement>('[part="message"]') ?? [])];
const bubble = (el: ChatWidget, content: string) => bubbles(el).find((b) => b.querySelector('.text')?.textContent === content) ?? null;
const texts = (el: ChatWidget) => bubbles(el).map((b) => b.querySelector('.text')?.textContent);
const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));

/** Inside the list's visible box (what the visitor sees without scrolling). */
function inView(el: ChatWidget, b: HTMLElement | null): boolean {
  if (!b) return false;
  const box = logOf(el).getBoundingClientRect();
  const r = b.getBoundingClientRect();
  return r.height > 0 && r.bottom > box.top && r.top < box.bottom;
}

/** Elements in the panel, shadow roots included. */
function nodes(root: ParentNode): number {
  let n = 0;
  for (const e of root.querySelectorAll('*')) {
    n++;
    if (e.shadowRoot) n += nodes(e.shadowRoot);
  }
  return n;
}

/** A returning visitor's widget (session from storage), opened by a click on the launcher. */
async function openedByClick(ws: TestWorkspace): Promise<ChatWidget> {
  const el = document.createElement('chat-widget');
  el.api = ws.api;
  el.publicKey = ws.publicKey;
  document.body.append(el);
  await el.updateComplete;
  await settled(el);
  launcherButton(el).click();
  return el;
}

describe('a long history', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
  });

  for (const topic of [false, true]) {
    it(`a returning visitor with 10,000 messages ${topic ? 'in a chat on a topic ' : ''}sees the newest one on opening, with few nodes in the page`, async function () {
      this.timeout(60000);
      const ws = await returningVisitor(10_000, { topic });
      const el = await openedByClick(ws);
      await waitUntil(() => inView(el, bubble(el, 'message 10000')), 'the newest message in view', { timeout: 10000 });
      expect(texts(el).at(-1)).to.equal('message 10000');
      expect(el.state.messages.length).to.be.at.most(30);
      expect(nodes(el.shadowRoot!)).to.be.at.most(2000);
      // The visitor's next message goes below it.
      el.sendMessage('Still there?');
      await waitUntil(() => el.state.messages.at(-1)?.status === 'sent', 'sent', { timeout: 5000 });
      expect(texts(el).slice(-2)).to.deep.equal(['message 10000', 'Still there?']);
    });
  }

  it('scrolling back brings every earlier message in, without a click, keeping the place, up to the first', async function () {
    this.timeout(60000);
    const ws = await returningVisitor(1000);
    const el = await openedByClick(ws);
    await waitUntil(() => inView(el, bubble(el, 'message 1000')), 'the newest message in view', { timeout: 10000 });
    const log = logOf(el);
    let clicks = 0;
    log.addEventListener('click', () => clicks++, true);
    // At the top of the newest page: the page before it comes in above, and what the visitor looks at stays put.
    log.scrollTop = 0;
    // (The second: the first one's author line may go once the message before it is there.)
    const [top, second] = bubbles(el);
    // Where it is on screen (layout boxes: the bubbles' entrance movement left out).
    const place = () => second!.offsetTop - log.scrollTop;
    const at = place();
    await waitUntil(() => el.state.messages.length > 30 && bubbles(el)[0] !== top, 'an earlier page', { timeout: 10000 });

    await frame();
    expect(Math.abs(place() - at)).to.be.below(2);
    // Then a screen at a time, as a visitor scrolls, up to the first message.
    for (let i = 0; i < 2000 && !bubble(el, 'message 1'); i++) {
      log.scrollTop = Math.max(0, log.scrollTop - log.clientHeight);
      await frame();
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitUntil(() => bubble(el, 'message 1'), 'the first message', {
      timeout: 10000,
    });
    expect(clicks).to.equal(0);
    const all = texts(el);
    expect(all.length).to.equal(1000);
    expect(all).to.deep.equal(Array.from({ length: 1000 }, (_, i) => `message ${i + 1}`));
    expect(el.state.earlier).to.equal(null);
    expect(panelOf(el)!.shadowRoot!.querySelector('.earlier')).to.equal(null);
  });

  it('back online, the replies sent meanwhile come in once, and the earlier pages already loaded stay', async function () {
    this.timeout(60000);
    const ws = await returningVisitor(300);
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => el.state.messages.at(-1)?.content === 'message 300', 'newest page', { timeout: 10000 });
    // The visitor scrolled back once: a page more.
    const log = logOf(el);
    log.scrollTop = 0;
    await waitUntil(() => el.state.messages.length === 230, 'an earlier page', {
      timeout: 10000,
    });
    const [conversation] = (await agent(ws, 'GET', '/conversations')).body.conversations as { id: string }[];

    await chatServer({ action: 'stop' });
    await waitUntil(() => el.state.connection === 'offline', 'offline', {
      timeout: 10000,
    });
    await chatServer({ action: 'start' });
    for (const content of ['Sorry for the wait', 'Your refund is on its way']) {
      expect((await agent(ws, 'POST', `/conversations/${conversation!.id}/messages`, { content })).status).to.equal(201);
    }
    await waitUntil(() => el.state.connection === 'online' && el.state.messages.at(-1)?.content === 'Your refund is on its way', 'the replies', { timeout: 20000 });
    const contents = el.state.messages.map((m) => m.content);
    expect(contents.filter((c) => c === 'Sorry for the wait')).to.have.length(1);
    expect(contents.length).to.equal(232);
    expect(contents[0]).to.equal('message 71');
  });
});
