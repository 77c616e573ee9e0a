import { expect, waitUntil } from '@open-wc/testing';
import { chatServer, connectedWidget, messageTexts, settled, type TestWorkspace } from '../helpers.js';

// A stand-in for Web Audio that counts the notes played (installed before any widget exists).
let notes = 0;
class FakeAudioContext {
  state = 'running';
  currentTime = 0;
  destination = {};
  resume() {
    return Promise.resolve();
  }
  createOscillator() {
    notes++;
    return { frequency: { value: 0 }, connect: (x: unknown) => x, start() {}, stop() {} };
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (x: unknown) => x };
  }
}
(window as unknown as { AudioContext: unknown }).AudioContext = FakeAudioContext;

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

/** A widget whose visitor said hello: their conversation, as operators see it. */
async function aConversation() {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
  const el = await connectedWidget(ws);
  el.sendMessage('hello');
  await waitUntil(() => el.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
  const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
  return { ws, el, conv };
}

describe('notices: read receipts and the notification sound', () => {
  afterEach(() => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
  });

  it('shows "Seen" under the visitor\'s message once an operator reads it', async () => {
    const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
    const el = await connectedWidget(ws, { open: true });
    el.sendMessage('Are you there?');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
    await settled(el);
    expect(messageTexts(el)[0]).to.contain('Sent');
    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    await agent(ws, 'POST', `/conversations/${conv.id}/read`);
    await waitUntil(() => el.state.readUpTo === el.state.messages[0]!.id, 'read receipt', { timeout: 5000 });
    await settled(el);
    expect(messageTexts(el)[0]).to.contain('Seen');
  });

  it('chimes for an operator message while closed, and not when muted', async () => {
    const { ws, el, conv } = await aConversation();
    notes = 0;
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'ding' });
    await waitUntil(() => el.unreadCount === 1, 'unread', { timeout: 5000 });
    expect(notes).to.equal(2);
    el.configure({ muted: true });
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'silent' });
    await waitUntil(() => el.unreadCount === 2, 'unread', { timeout: 5000 });
    expect(notes).to.equal(2);
  });

  it('plays nothing for a history loading (a returning visitor\'s replies), and one chime for the next reply', async () => {
    const { ws, el: first, conv } = await aConversation();
    for (const content of ['one', 'two', 'three']) await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content });
    await waitUntil(() => first.state.messages.length === 4, 'replies', { timeout: 5000 });
    first.remove();
    notes = 0;
    // The same visitor on their next page: the history (three replies) loads while the panel is closed.
    const again = await connectedWidget(ws);
    await waitUntil(() => again.state.messages.length === 4, 'history', { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    expect(notes).to.equal(0);
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'four' });
    await waitUntil(() => again.state.messages.length === 5, 'a new reply', { timeout: 5000 });
    expect(notes).to.equal(2); // one chime: two notes
  });
});
