import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../elements/chat-widget/chat-widget.js';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, hmacHex, inPanel, launcherButton, messageTexts, settled, type TestWorkspace } from '../helpers.js';

type Workspace = TestWorkspace;
const server = chatServer;
const agent = (ws: Workspace, method: string, path: string, body?: unknown) => server<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

async function widgetOn(ws: Workspace, attrs = ''): Promise<ChatWidget> {
  localStorage.clear();
  return connectedWidget(ws, { open: attrs.includes('open') });
}

const operatorConversation = async (ws: Workspace) => {
  const list = await agent(ws, 'GET', '/conversations');
  return list.body.conversations[0] as { id: string; unread_count: number; last_message: { content: string } };
};

describe('a real conversation with the reference server', () => {
  afterEach(() => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
  });

  it('a visitor sends, the operator sees it and replies, the widget shows the reply live', async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    const el = await widgetOn(ws, 'open');
    expect(el.sessionId).to.match(/^ses_/);
    await waitUntil(() => el.state.connection === 'online', 'stream online', { timeout: 5000 });
    el.sendMessage('My order never arrived');
    await settled(el);
    expect(messageTexts(el)[0]).to.contain('My order never arrived');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'delivered', { timeout: 5000 });
    await settled(el);
    expect(messageTexts(el)[0]).to.contain('Sent');

    const conv = await operatorConversation(ws);
    expect(conv.last_message.content).to.equal('My order never arrived');
    expect(conv.unread_count).to.equal(1);

    // The operator types: the widget says so, until the reply arrives.
    await agent(ws, 'POST', `/conversations/${conv.id}/typing`, { typing: true });
    await waitUntil(() => el.state.typing === 'Ada from Support', 'typing shown', { timeout: 5000 });
    await settled(el);
    expect(inPanel(el, '.typing')!.textContent).to.contain('Ada from Support is typing…');

    const received = oneEvent(el, 'chat-message-received');
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'Sorry! Let me check.' });
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'internal: refund?', internal: true });
    const ev = await received;
    expect(ev.detail.message.content).to.equal('Sorry! Let me check.');
    await settled(el);
    expect(messageTexts(el).join('|')).to.contain('Sorry! Let me check.');
    expect(el.state.typing).to.equal(null);
    expect(messageTexts(el).join('|')).to.not.contain('internal: refund?');
    await emulateMedia({ reducedMotion: 'reduce' }); // check the colours at rest, not mid-animation
    await expect(el).to.be.accessible();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it("an operator's formatting shows (bold, lists, code, links, line breaks) and HTML stays text; the visitor's own text is not formatted", async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    const el = await widgetOn(ws, 'open');
    el.sendMessage('How do I get a **refund**?');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
    const conv = await operatorConversation(ws);
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, {
      content: 'Sure! **Two steps**:\n\n1. Open `Settings`\n2. Choose *Refunds*\n\nMore at https://example.com/refunds <img src=x onerror=alert(1)>',
    });
    await waitUntil(() => inPanel(el, '[part="message"][data-author="agent"] strong'), 'formatted reply', { timeout: 5000 });
    const reply = inPanel(el, '[part="message"][data-author="agent"] .text')!;
    expect(reply.querySelector('strong')!.textContent).to.equal('Two steps');
    expect([...reply.querySelectorAll('ol li')].map((li) => li.textContent)).to.deep.equal(['Open Settings', 'Choose Refunds']);
    expect(reply.querySelector('code')!.textContent).to.equal('Settings');
    expect(reply.querySelector('em')!.textContent).to.equal('Refunds');
    expect(reply.querySelector('a')!.getAttribute('href')).to.equal('https://example.com/refunds');
    expect(reply.querySelector('img')).to.equal(null);
    expect(reply.textContent).to.contain('<img src=x onerror=alert(1)>');
    const mine = inPanel(el, '[part="message"][data-author="visitor"] .text')!;
    expect(mine.querySelector('strong')).to.equal(null);
    expect(mine.textContent).to.equal('How do I get a **refund**?');
    await expect(el).to.be.accessible();
  });

  it('while the panel is closed, replies raise the unread badge; opening reads them, also on the server', async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    const el = await widgetOn(ws);
    await waitUntil(() => el.state.connection === 'online', 'stream online', { timeout: 5000 });
    el.sendMessage('Hello?');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'delivered', { timeout: 5000 });
    const conv = await operatorConversation(ws);
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'Hi!' });
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'Still there?' });
    await waitUntil(() => el.unreadCount === 2, 'two unread', { timeout: 5000 });
    await settled(el);
    expect(launcherButton(el).querySelector('[part="badge"]')!.textContent!.trim()).to.equal('2');
    expect(el.shadowRoot!.querySelector('[part="preview"]')!.textContent).to.contain('Still there?');

    // A reload (a new widget on the same storage) still knows the unread count.
    el.remove();
    const again = await connectedWidget(ws);
    expect(again.unreadCount).to.equal(2);
    expect(again.sessionId).to.equal(el.sessionId);
    again.show();
    await waitUntil(async () => {
      const res = await agent(ws, 'GET', `/conversations/${conv.id}`);
      return res.status === 200;
    });
    // The server has them as read: a further reload shows none unread.
    await new Promise((r) => setTimeout(r, 200));
    again.remove();
    const third = await connectedWidget(ws);
    expect(third.unreadCount).to.equal(0);
    expect(third.state.messages.map((m) => m.content)).to.deep.equal(['Hello?', 'Hi!', 'Still there?']);
  });

  it('a message sent while the server is down waits, shows offline, and arrives once when it is back', async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    const el = await widgetOn(ws, 'open');
    await waitUntil(() => el.state.connection === 'online', 'stream online', { timeout: 5000 });
    await server({ action: 'stop' });
    try {
      await waitUntil(() => el.state.connection === 'offline', 'offline shown', { timeout: 8000 });
      await settled(el);
      expect(inPanel(el, '.status')!.textContent).to.contain('Offline');
      el.sendMessage('Sent while offline');
      await new Promise((r) => setTimeout(r, 300));
      expect(el.state.messages.at(-1)!.status).to.equal('pending');
      // It is in the persisted outbox, with its client id.
      const stored = Object.keys(localStorage).filter((k) => k.includes(':outbox:'));
      expect(stored).to.have.length(1);
      expect(localStorage.getItem(stored[0]!)).to.contain('Sent while offline');
    } finally {
      await server({ action: 'start' });
    }
    await waitUntil(() => el.state.messages.at(-1)?.status === 'sent', 'delivered after restart', { timeout: 20000, interval: 100 });
    await waitUntil(() => el.state.connection === 'online', 'online again', { timeout: 20000 });
    const conv = await operatorConversation(ws);
    const messages = await agent(ws, 'GET', `/conversations/${conv.id}/messages`);
    expect(messages.body.messages.map((m: { content: string }) => m.content)).to.deep.equal(['Sent while offline']);
    expect(Object.keys(localStorage).filter((k) => k.includes(':outbox:'))).to.have.length(0);
  });

  it('identify() attaches a verified identity; resetSession() switches to a new visitor in place', async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    const el = await widgetOn(ws, 'open');
    const identified = oneEvent(el, 'chat-identify');
    await el.identify({ external_id: 'u_1', email: 'ada@example.com', name: 'Ada', user_hash: await hmacHex(ws.identitySecret, 'u_1') });
    expect((await identified).detail.identity).to.include({ email: 'ada@example.com', verified: true });
    expect(el.state.user.name).to.equal('Ada');
    const token = await el.identityToken();
    expect(token).to.be.a('string');
    el.sendMessage('Private question from Ada');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'delivered', { timeout: 5000 });
    const before = el.sessionId;

    const errors: CustomEvent[] = [];
    el.addEventListener('chat-error', (e) => errors.push(e));
    let failed: Error | null = null;
    await el.identify({ external_id: 'u_2', user_hash: 'forged' }).catch((e) => (failed = e));
    expect(failed).to.not.equal(null);
    expect(errors[0]!.detail.code).to.equal('invalid_identity_hash');

    await el.resetSession();
    await settled(el);
    expect(el.sessionId).to.not.equal(before);
    expect(el.state.messages, JSON.stringify(el.state.messages)).to.have.length(0);
    expect(el.state.user).to.deep.equal({});
    expect(messageTexts(el)).to.deep.equal([]);
    expect(() => el.identify('ada' as never)).to.throw(TypeError, /identify\(identity\): expected a plain object/);
  });

  it('refuses a bad public key with chat-error and keeps working locally', async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    const el = document.createElement('chat-widget');
    el.api = ws.api;
    el.publicKey = 'pk_unknown';
    const error = oneEvent(el, 'chat-error');
    document.body.append(el);
    await el.updateComplete;
    el.show(); // the first interaction asks for a session
    const ev = await error;
    expect(ev.detail.code).to.equal('invalid_public_key');
    el.show();
    expect(el.isOpen).to.equal(true);
  });
});
