import { expect, waitUntil } from '@open-wc/testing';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });
const stored = (ws?: TestWorkspace) => Object.keys(localStorage).filter((k) => k.startsWith(ws ? `chat-widget:${ws.publicKey}:` : 'chat-widget:'));

/** A widget on `ws` in this page that has not connected (the visitor has not interacted). */
async function idleWidget(ws: TestWorkspace): Promise<ChatWidget> {
  const el = document.createElement('chat-widget');
  Object.assign(el, { api: ws.api, publicKey: ws.publicKey });
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const shows = (el: ChatWidget, content: string) => el.state.messages.some((m) => m.content === content && m.status === 'sent');

/** The workspace's conversations and what each holds, through the operators' API. */
async function conversationsOf(ws: TestWorkspace): Promise<string[][]> {
  const list = (await agent(ws, 'GET', '/conversations')).body.conversations as { id: string }[];
  return Promise.all(list.map(async (c) => ((await agent(ws, 'GET', `/conversations/${c.id}/messages`)).body.messages as { content: string }[]).map((m) => m.content).sort()));
}

/** A second tab of this site: a same-origin frame (it shares storage, BroadcastChannel and Web Locks with this page). */
async function secondTab(ws: TestWorkspace): Promise<{ widget: ChatWidget; frame: HTMLIFrameElement }> {
  const frame = document.createElement('iframe');
  frame.src = `/test/fixtures/tab.html?api=${encodeURIComponent(ws.api)}&key=${encodeURIComponent(ws.publicKey)}`;
  document.body.append(frame);
  await waitUntil(() => (frame.contentWindow as unknown as { widget?: ChatWidget })?.widget, 'second tab loaded', { timeout: 10000 });
  const widget = (frame.contentWindow as unknown as { widget: ChatWidget }).widget;
  return { widget, frame };
}

describe('consent and tabs', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => {
    document.querySelectorAll('chat-widget, iframe').forEach((e) => e.remove());
    localStorage.clear();
    sessionStorage.clear();
  });

  it('connects to nothing before the visitor interacts', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const requests: string[] = [];
    const original = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(String(input));
      return original(input, init);
    };
    try {
      const el = document.createElement('chat-widget');
      Object.assign(el, { api: ws.api, publicKey: ws.publicKey });
      document.body.append(el);
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 500));
      expect(requests).to.deep.equal([]);
      expect(el.sessionId).to.equal(null);
      el.show();
      await el.ready;
      expect(el.sessionId).to.match(/^ses_/);
      expect(requests[0]).to.match(/\/api\/widget\/sessions$/);
    } finally {
      window.fetch = original;
    }
  });

  it('writes nothing to storage before the visitor interacts, then keeps the session in localStorage', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const el = await connectedWidget(ws);
    expect(el.sessionId).to.match(/^ses_/);
    expect(stored(ws)).to.deep.equal([]);
    expect(document.cookie).to.equal('');
    el.show();
    await waitUntil(() => stored(ws).some((k) => k.endsWith(':session')), 'session stored', { timeout: 5000 });
  });

  it('storage="none" never writes; storage="session" uses sessionStorage from the start', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const none = document.createElement('chat-widget');
    Object.assign(none, { api: ws.api, publicKey: ws.publicKey, storage: 'none' });
    document.body.append(none);
    await none.updateComplete;
    none.sendMessage('hello');
    await waitUntil(() => none.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
    expect(stored(ws)).to.deep.equal([]);
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith('chat-widget:'))).to.deep.equal([]);
    none.remove();

    const session = document.createElement('chat-widget');
    Object.assign(session, { api: ws.api, publicKey: ws.publicKey, storage: 'session' });
    document.body.append(session);
    await session.updateComplete;
    await session.client!.connect();
    expect(Object.keys(sessionStorage).some((k) => k.startsWith('chat-widget:') && k.endsWith(':session'))).to.equal(true);
    expect(stored(ws)).to.deep.equal([]);
  });

  it('an unknown storage value is a console error; the widget falls back to local storage after interaction', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: unknown) => errors.push(String(m));
    try {
      const el = document.createElement('chat-widget');
      Object.assign(el, { api: ws.api, publicKey: ws.publicKey, storage: 'cookies' });
      document.body.append(el);
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 0));
      expect(errors.join('\n')).to.match(/storage must be "none", "session" or "local", got "cookies"/);
      expect(stored(ws)).to.deep.equal([]);
      el.show();
      await el.ready;
      expect(stored(ws).some((k) => k.endsWith(':session'))).to.equal(true);
      expect(document.cookie).to.equal('');
    } finally {
      console.error = original;
    }
  });

  it('two tabs share one session and one conversation, and keep open state, unread count and messages in step', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const tab1 = await connectedWidget(ws);
    const { widget: tab2 } = await secondTab(ws);
    // Before any interaction each tab has its own anonymous session; the first interaction shares one.
    tab1.sendMessage('Hello from tab one');
    await waitUntil(() => tab2.sessionId === tab1.sessionId, 'tab two took over the session', { timeout: 5000 });
    await waitUntil(() => tab2.state.messages.some((m) => m.content === 'Hello from tab one'), 'message in tab two', { timeout: 5000 });

    tab2.sendMessage('And from tab two');
    await waitUntil(() => tab1.state.messages.some((m) => m.content === 'And from tab two'), 'message in tab one', { timeout: 5000 });
    const conversations = (await agent(ws, 'GET', '/conversations')).body.conversations;
    expect(conversations).to.have.length(1);

    await agent(ws, 'POST', `/conversations/${conversations[0].id}/messages`, { content: 'One reply for both' });
    await waitUntil(() => tab1.unreadCount === 1 && tab2.unreadCount === 1, 'unread in both', { timeout: 5000 });
    tab1.show();
    await waitUntil(() => tab2.isOpen && tab2.unreadCount === 0, 'tab two opened and read', { timeout: 5000 });
    tab2.hide();
    await waitUntil(() => !tab1.isOpen, 'tab one closed', { timeout: 5000 });
  });

  for (const first of ['tab one', 'tab two'] as const) {
    it(`two tabs opened before any interaction, both sending at nearly the same time (${first} first): one session, one conversation, both messages in each tab`, async function () {
      this.timeout(30000);
      const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
      const tab1 = await idleWidget(ws);
      const { widget: tab2 } = await secondTab(ws);
      expect(tab1.sessionId).to.equal(null);
      expect(tab2.sessionId).to.equal(null);
      const [a, b] = first === 'tab one' ? [tab1, tab2] : [tab2, tab1];
      a.sendMessage(`Sent first, from ${first}`);
      b.sendMessage('Sent right after, from the other tab');
      for (const tab of [tab1, tab2]) {
        await waitUntil(() => shows(tab, `Sent first, from ${first}`) && shows(tab, 'Sent right after, from the other tab'), 'both messages in each tab', { timeout: 10000 });
      }
      expect(tab1.sessionId).to.match(/^ses_/);
      expect(tab2.sessionId).to.equal(tab1.sessionId);
      expect(await conversationsOf(ws)).to.deep.equal([[`Sent first, from ${first}`, 'Sent right after, from the other tab'].sort()]);
    });
  }

  it('two tabs that each connected with a session of their own before any interaction end up on one session, with both messages in one conversation', async function () {
    this.timeout(30000);
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const tab1 = await connectedWidget(ws);
    const { widget: tab2 } = await secondTab(ws);
    await tab2.client!.connect();
    expect(tab2.sessionId).to.match(/^ses_/);
    expect(tab2.sessionId).not.to.equal(tab1.sessionId); // nothing stored before the visitor interacts
    expect(stored(ws).filter((k) => k.endsWith(':session'))).to.deep.equal([]);
    tab2.sendMessage('From tab two, first');
    tab1.sendMessage('From tab one, right after');
    for (const tab of [tab1, tab2]) {
      await waitUntil(() => shows(tab, 'From tab two, first') && shows(tab, 'From tab one, right after'), 'both messages in each tab', { timeout: 10000 });
    }
    expect(tab2.sessionId).to.equal(tab1.sessionId);
    expect(await conversationsOf(ws)).to.deep.equal([['From tab one, right after', 'From tab two, first']]);
  });
});
