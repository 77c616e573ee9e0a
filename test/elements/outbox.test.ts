import { expect, waitUntil } from '@open-wc/testing';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import type { ChatMessage } from '../../src/state/types.js';
import { chatServer, connectedWidget, panelOf, settled, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

/** What the operators have, in the visitor's one conversation. */
async function serverContents(ws: TestWorkspace): Promise<string[]> {
  const conversations = (await agent(ws, 'GET', '/conversations')).body.conversations as { id: string }[];
  const all: string[] = [];
  for (const c of conversations) all.push(...((await agent(ws, 'GET', `/conversations/${c.id}/messages`)).body.messages as { content: string }[]).map((m) => m.content));
  return all;
}

const byClientId = (el: ChatWidget, clientId: string) => el.state.messages.find((m) => m.clientId === clientId);
const bubble = (el: ChatWidget, content: string) =>
  [...(panelOf(el)?.shadowRoot?.querySelectorAll<HTMLElement>('[part="message"]') ?? [])].find((b) => b.querySelector('.text')?.textContent === content) ?? null;
const buttonsOf = (b: HTMLElement | null) => [...(b?.querySelectorAll('button') ?? [])].map((x) => x.textContent!.trim());
const outboxKey = (ws: TestWorkspace, sessionId: string) => `chat-widget:${ws.publicKey}:outbox:${sessionId}`;

describe('the outbox: a refused message is marked failed, and the next ones go on', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
  });

  it('a message the server refuses (4xx) shows failed with Retry and Discard, the next is delivered, it stays failed across a reload, Discard removes it', async function () {
    this.timeout(30000);
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const first = await connectedWidget(ws, { open: true });
    first.sendMessage('Hello');
    await waitUntil(() => first.state.messages[0]?.status === 'sent', 'first message sent', { timeout: 5000 });
    const sessionId = first.sessionId!;
    first.remove();

    // A persisted outbox holding a message the server refuses (its chat does not exist: a 404,
    // past the client's own checks), then one that is fine.
    const now = Date.now();
    localStorage.setItem(outboxKey(ws, sessionId), JSON.stringify([
      { clientId: 'refused-0001', content: 'To a chat that does not exist', createdAt: new Date(now).toISOString(), chatId: 'cht_doesnotexist' },
      { clientId: 'after-0001', content: 'The next message', createdAt: new Date(now + 1).toISOString() },
    ]));
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => byClientId(el, 'refused-0001')?.status === 'failed' && byClientId(el, 'after-0001')?.status === 'sent', 'refused one failed, next one sent', { timeout: 10000 }).catch(() => { throw new Error('refused one failed, next one sent: ' + JSON.stringify({ s: el.sessionId, sessionId, msgs: el.state.messages.map((m) => [m.clientId, m.content, m.status]), box: localStorage.getItem(outboxKey(ws, sessionId)), keys: Object.keys(localStorage) })); });
    expect(await serverContents(ws)).to.include('The next message');
    expect(await serverContents(ws)).not.to.include('To a chat that does not exist');
    await settled(el);
    await waitUntil(() => bubble(el, 'To a chat that does not exist'), 'failed bubble shown', { timeout: 5000 });
    const failed = bubble(el, 'To a chat that does not exist')!;
    expect(failed.dataset['status']).to.equal('failed');
    expect(failed.textContent).to.contain('Not delivered');
    expect(buttonsOf(failed)).to.deep.equal(['Retry', 'Discard']);
    expect(buttonsOf(bubble(el, 'The next message'))).to.deep.equal([]);

    // A reload: still failed, not sent again on its own.
    el.remove();
    const again = await connectedWidget(ws, { open: true });
    await settled(again);
    expect(byClientId(again, 'refused-0001')?.status).to.equal('failed');
    expect(buttonsOf(bubble(again, 'To a chat that does not exist'))).to.deep.equal(['Retry', 'Discard']);

    // Discard: gone from the list and from the outbox.
    bubble(again, 'To a chat that does not exist')!.querySelector<HTMLButtonElement>('button.discard')!.click();
    await settled(again);
    expect(byClientId(again, 'refused-0001')).to.equal(undefined);
    expect(bubble(again, 'To a chat that does not exist')).to.equal(null);
    expect(localStorage.getItem(outboxKey(ws, sessionId))).to.equal(null);
    again.remove();
    const reloaded = await connectedWidget(ws);
    expect(byClientId(reloaded, 'refused-0001')).to.equal(undefined);
  });

  it('a message with a NUL byte does not hold the next one back: it ends failed (4xx, or a bounded number of 5xx), the next is delivered', async function () {
    this.timeout(30000);
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const el = await connectedWidget(ws, { open: true });
    const errors: string[] = [];
    el.addEventListener('chat-error', (e) => errors.push((e as CustomEvent<{ code: string }>).detail.code));
    const bad = el.sendMessage('a\u0000b');
    const next = el.sendMessage('after the NUL');
    await waitUntil(() => byClientId(el, next.clientId!)?.status === 'sent', 'the next message delivered', { timeout: 8000 });
    expect(await serverContents(ws)).to.include('after the NUL');
    await waitUntil(() => byClientId(el, bad.clientId!)?.status === 'failed', 'the NUL message failed', { timeout: 20000 });
    await settled(el);
    expect(buttonsOf(bubble(el, 'a\u0000b'))).to.deep.equal(['Retry', 'Discard']);
    expect(errors.length).to.be.greaterThan(0);

    // Retry sends it again (the server refuses it again).
    const before = errors.length;
    bubble(el, 'a\u0000b')!.querySelector<HTMLButtonElement>('button.retry')!.click();
    expect(byClientId(el, bad.clientId!)?.status).to.equal('pending');
    await waitUntil(() => byClientId(el, bad.clientId!)?.status === 'failed' && errors.length > before, 'refused again', { timeout: 20000 });
  });

  it('Retry resends a refused message: delivered once the server takes it', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const el = await connectedWidget(ws, { open: true });
    // The server's refusal, once: the page's network answers 400 for the first try of this message only.
    const original = window.fetch;
    let refused = 0;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/messages') && init?.method === 'POST' && String(init.body).includes('Please take this') && refused++ === 0) {
        return new Response(JSON.stringify({ error: { code: 'invalid_request', message: 'body/content: refused for the test' } }), { status: 400, headers: { 'content-type': 'application/json' } });
      }
      return original(input, init);
    };
    try {
      const m: ChatMessage = el.sendMessage('Please take this');
      await waitUntil(() => byClientId(el, m.clientId!)?.status === 'failed', 'refused', { timeout: 5000 });
      await settled(el);
      bubble(el, 'Please take this')!.querySelector<HTMLButtonElement>('button.retry')!.click();
      await waitUntil(() => byClientId(el, m.clientId!)?.status === 'sent', 'delivered on retry', { timeout: 5000 });
      await settled(el);
      expect(buttonsOf(bubble(el, 'Please take this'))).to.deep.equal([]);
      expect(await serverContents(ws)).to.deep.equal(['Please take this']);
    } finally {
      window.fetch = original;
    }
  });
  it('a refused message keeps its failed state and its Retry when the chat\'s history is loaded after it (a workspace with topics)', async function () {
    this.timeout(30000);
    const ws = await chatServer<TestWorkspace>({ action: 'workspace', demo: true });
    const el = await connectedWidget(ws, { open: true });
    el.sendMessage('Hello, I have a question');
    el.sendMessage('A bad byte: \u0000');
    el.sendMessage('And the next one');
    await waitUntil(() => el.state.messages.some((m) => m.content === 'A bad byte: \u0000' && m.status === 'failed') && el.state.messages.some((m) => m.content === 'And the next one' && m.status === 'sent'), 'failed and sent', { timeout: 20000 });
    // The ongoing chat and its history load meanwhile (topics): the failed message stays, in its place.
    await waitUntil(() => el.state.chat !== null, 'the ongoing chat loaded', { timeout: 10000 });
    await new Promise((r) => setTimeout(r, 1000));
    await settled(el);
    expect(el.state.messages.map((m) => [m.content, m.status]), JSON.stringify(el.state.messages.map((m) => [m.content, m.status, m.createdAt]))).to.deep.equal([
      ['Hello, I have a question', 'sent'],
      ['A bad byte: \u0000', 'failed'],
      ['And the next one', 'sent'],
    ]);
    expect(buttonsOf(bubble(el, 'A bad byte: \u0000'))).to.deep.equal(['Retry', 'Discard']);
  });
});
