import { expect, waitUntil } from '@open-wc/testing';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, hmacHex, inPanel, launcherButton, messageTexts, panelOf, settled, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

const topicButton = (el: ChatWidget) => panelOf(el)?.shadowRoot?.querySelector('chat-topics')?.shadowRoot?.querySelector<HTMLButtonElement>('.topics button') ?? null;
const composer = (el: ChatWidget) => inPanel<HTMLTextAreaElement>(el, '[part="input"]');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The operators' view of the conversation whose contact has this external id. */
async function conversationOf(ws: TestWorkspace, externalId: string): Promise<{ id: string; messages: string[] }> {
  const list = (await agent(ws, 'GET', '/conversations')).body.conversations as { id: string }[];
  for (const c of list) {
    const detail = await agent(ws, 'GET', `/conversations/${c.id}`);
    if (detail.body.contact?.external_id === externalId) {
      const messages = (await agent(ws, 'GET', `/conversations/${c.id}/messages`)).body.messages as { content: string }[];
      return { id: c.id, messages: messages.map((m) => m.content) };
    }
  }
  throw new Error(`no conversation of ${externalId}`);
}

/** Visitor A (Alice) chats through a topic, gets a reply, and leaves a draft in the composer. */
async function aliceChats(ws: TestWorkspace): Promise<{ el: ChatWidget; aliceConv: string }> {
  const el = await connectedWidget(ws, { open: true });
  await el.identify({ external_id: 'alice', name: 'Alice', user_hash: await hmacHex(ws.identitySecret, 'alice') });
  await waitUntil(() => el.state.view === 'topics', 'topic picker', { timeout: 5000 });
  await settled(el);
  await waitUntil(() => topicButton(el), 'topics shown', { timeout: 5000 });
  topicButton(el)!.click();
  await waitUntil(() => el.state.view === 'conversation', 'conversation on the topic', { timeout: 5000 });
  el.sendMessage('Alice: my order 1234 is late');
  await waitUntil(() => el.state.chat?.status === 'queued', 'the first message started the chat', { timeout: 5000 });
  await waitUntil(() => el.state.messages.some((m) => m.content.startsWith('Alice:') && m.status === 'sent'), 'sent', { timeout: 5000 });
  const aliceConv = (await conversationOf(ws, 'alice')).id;
  await agent(ws, 'POST', `/conversations/${aliceConv}/messages`, { content: 'Reply to Alice: on its way' });
  await waitUntil(() => messageTexts(el).some((t) => t.includes('Reply to Alice')), 'reply shown', { timeout: 5000 });
  el.setMessageText('Alice draft, not sent');
  await settled(el);
  expect(composer(el)!.value).to.equal('Alice draft, not sent');
  return { el, aliceConv };
}

describe('identity switches in place (issue 12)', function () {
  this.timeout(30_000); // waits of a few seconds each, and a 2 s watch for what must not arrive
  let ws: TestWorkspace;
  beforeEach(async () => {
    localStorage.clear();
    ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    await agent(ws, 'POST', '/menus', { names: { en: 'Orders' }, channels: ['chat', 'email'] });
  });
  afterEach(() => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
  });

  it('identify(B) after A chatted: nothing of A on screen, B writes in B\'s own chat, a late reply to A never arrives', async () => {
    const { el, aliceConv } = await aliceChats(ws);

    await el.identify({ external_id: 'bob', name: 'Bob', user_hash: await hmacHex(ws.identitySecret, 'bob') });
    await settled(el);
    expect(messageTexts(el).join(' ')).to.not.contain('Alice');
    expect(el.state.messages).to.deep.equal([]);
    expect(el.state.chat).to.equal(null);
    expect(el.state.draft).to.equal('');
    expect(composer(el)?.value ?? '').to.equal('');
    expect(el.state.user.name).to.equal('Bob');

    // B's next message goes into a conversation of B's own.
    el.sendMessage('Bob: hello');
    await waitUntil(() => el.state.messages.some((m) => m.content === 'Bob: hello' && m.status === 'sent'), 'Bob sent', { timeout: 5000 });
    const bob = await conversationOf(ws, 'bob');
    expect(bob.id).to.not.equal(aliceConv);
    expect(bob.messages).to.deep.equal(['Bob: hello']);
    expect((await conversationOf(ws, 'alice')).messages).to.not.include('Bob: hello');

    // An operator's late reply to A: not on B's screen, no unread, no preview (panel closed to count it).
    el.hide();
    await settled(el);
    await agent(ws, 'POST', `/conversations/${aliceConv}/messages`, { content: 'Late reply to Alice' });
    await pause(2000);
    await settled(el);
    expect(el.state.messages.map((m) => m.content)).to.not.include('Late reply to Alice');
    expect(el.unreadCount).to.equal(0);
    expect(el.state.preview).to.equal(null);
    expect(launcherButton(el).querySelector('[part="badge"]')).to.equal(null);
    // B's stream works: a reply to B arrives and counts.
    await agent(ws, 'POST', `/conversations/${bob.id}/messages`, { content: 'Reply to Bob' });
    await waitUntil(() => el.state.messages.some((m) => m.content === 'Reply to Bob'), 'Bob\'s reply', { timeout: 5000 });
    expect(el.unreadCount).to.equal(1);
    expect(el.state.messages.map((m) => m.content)).to.deep.equal(['Bob: hello', 'Reply to Bob']);

    // A identifies again: A's conversation with the late reply comes back, B's goes.
    await el.identify({ external_id: 'alice', user_hash: await hmacHex(ws.identitySecret, 'alice') });
    await waitUntil(() => el.state.messages.some((m) => m.content === 'Late reply to Alice'), 'A gets the late reply', { timeout: 5000 });
    expect(el.state.messages.map((m) => m.content)).to.not.include('Bob: hello');
  });

  it('a second tab of the session follows the switch: A\'s messages leave it too, and A\'s late reply never arrives there', async () => {
    const tab1 = await connectedWidget(ws);
    await tab1.identify({ external_id: 'alice', user_hash: await hmacHex(ws.identitySecret, 'alice') });
    tab1.sendMessage('Alice in tab one');
    const frame = document.createElement('iframe');
    frame.src = `/test/fixtures/tab.html?api=${encodeURIComponent(ws.api)}&key=${encodeURIComponent(ws.publicKey)}`;
    document.body.append(frame);
    await waitUntil(() => (frame.contentWindow as unknown as { widget?: ChatWidget })?.widget, 'second tab loaded', { timeout: 10000 });
    const tab2 = (frame.contentWindow as unknown as { widget: ChatWidget }).widget;
    tab2.show();
    await waitUntil(() => tab2.sessionId === tab1.sessionId, 'one session', { timeout: 5000 });
    await waitUntil(() => tab2.state.messages.some((m) => m.content === 'Alice in tab one'), 'A\'s message in tab two', { timeout: 5000 });
    await waitUntil(() => tab2.state.connection === 'online', 'tab two online', { timeout: 5000 });
    const aliceConv = (await conversationOf(ws, 'alice')).id;

    await tab1.identify({ external_id: 'bob', user_hash: await hmacHex(ws.identitySecret, 'bob') });
    await waitUntil(() => !tab2.state.messages.some((m) => m.content === 'Alice in tab one'), 'A\'s message gone from tab two', { timeout: 5000 });
    await agent(ws, 'POST', `/conversations/${aliceConv}/messages`, { content: 'Late reply to Alice' });
    await pause(2000);
    for (const tab of [tab1, tab2]) expect(tab.state.messages.map((m) => m.content)).to.not.include('Late reply to Alice');
  });

  it('resetSession() after A chatted: a new anonymous visitor, nothing of A on screen or arriving later', async () => {
    const { el, aliceConv } = await aliceChats(ws);
    const before = el.client!.sessionId;
    await el.resetSession();
    await settled(el);
    expect(el.client!.sessionId).to.not.equal(before);
    expect(messageTexts(el).join(' ')).to.not.contain('Alice');
    expect(el.state.chat).to.equal(null);
    expect(el.state.draft).to.equal('');
    expect(composer(el)?.value ?? '').to.equal('');
    el.hide();
    await agent(ws, 'POST', `/conversations/${aliceConv}/messages`, { content: 'Late reply to Alice' });
    await pause(2000);
    await settled(el);
    expect(el.state.messages.map((m) => m.content)).to.not.include('Late reply to Alice');
    expect(el.unreadCount).to.equal(0);
  });
});
