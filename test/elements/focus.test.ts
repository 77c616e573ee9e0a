import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, deepActive, inPanel, launcherButton, messageTexts, panelOf, settled, type TestWorkspace } from '../helpers.js';

const agent = (ws: TestWorkspace, method: string, path: string, body?: unknown) =>
  chatServer<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });
const firstTopicButton = (el: ChatWidget) =>
  panelOf(el)?.shadowRoot?.querySelector('chat-topics')?.shadowRoot?.querySelector<HTMLButtonElement>('.topics button') ?? null;

/** A widget on a workspace with demo content (topics), showing the topic picker. */
async function withTopics(): Promise<{ ws: TestWorkspace; el: ChatWidget }> {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace', demo: true });
  const el = await connectedWidget(ws);
  await waitUntil(() => el.state.topics.length > 0 && el.state.view === 'topics', 'topic picker chosen', { timeout: 5000 });
  return { ws, el };
}

describe('focus, and the view a command lands on', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    document.querySelectorAll('chat-widget').forEach((w) => w.remove());
    localStorage.clear();
  });

  it('a page that opens the messenger while the visitor types in its own field leaves the typing there', async () => {
    const { el } = await withTopics();
    await settled(el);
    const field = document.createElement('input');
    document.body.append(field);
    try {
      field.focus();
      await sendKeys({ type: 'shoes' });
      el.show();
      await settled(el);
      await new Promise((r) => setTimeout(r, 300));
      await sendKeys({ type: ' 42' });
      expect(deepActive()).to.equal(field);
      expect(field.value).to.equal('shoes 42');
    } finally {
      field.remove();
    }
  });

  it('opening on the topic picker focuses the first topic button; closing (button, Esc, command) returns focus to the launcher', async () => {
    const { el } = await withTopics();
    await settled(el);
    launcherButton(el).focus();
    launcherButton(el).click();
    await waitUntil(() => firstTopicButton(el) && deepActive() === firstTopicButton(el), 'focus on the first topic button', { timeout: 5000 });

    inPanel<HTMLButtonElement>(el, '[part="header"] button[aria-label="Close chat"]')!.click();
    await settled(el);
    await waitUntil(() => deepActive() === launcherButton(el), 'focus back on the launcher (close button)', { timeout: 2000 });

    el.show();
    await waitUntil(() => deepActive() === firstTopicButton(el), 'focus in the panel again', { timeout: 5000 });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.isOpen && deepActive() === launcherButton(el), 'focus back on the launcher (Esc)', { timeout: 2000 });

    el.show();
    await waitUntil(() => deepActive() === firstTopicButton(el), 'focus in the panel once more', { timeout: 5000 });
    el.hide();
    await waitUntil(() => deepActive() === launcherButton(el), 'focus back on the launcher (command)', { timeout: 2000 });
  });

  it('sendMessage() with the topic picker showing lands on the conversation, with the message, and focus on the composer', async () => {
    const { el } = await withTopics();
    el.show();
    await waitUntil(() => deepActive() === firstTopicButton(el), 'topic picker focused', { timeout: 5000 });
    el.sendMessage('hi');
    expect(el.state.view).to.equal('conversation');
    await settled(el);
    expect(messageTexts(el).some((t) => t.startsWith('hi'))).to.equal(true);
    await waitUntil(() => deepActive() === inPanel(el, '[part="input"]'), 'focus moved to the composer', { timeout: 2000 });
  });

  it('showAgentMessage() and showNewMessage() land on the conversation, not the topic picker', async () => {
    const { el } = await withTopics();
    el.showAgentMessage('Can I help?', 'Ann');
    el.show();
    await settled(el);
    expect(el.state.view).to.equal('conversation');
    expect(messageTexts(el).some((t) => t.includes('Can I help?'))).to.equal(true);
    await waitUntil(() => deepActive() === inPanel(el, '[part="input"]'), 'composer focused', { timeout: 5000 });
    el.remove();

    const { el: other } = await withTopics();
    other.showNewMessage('About my order');
    await settled(other);
    expect(other.state.view).to.equal('conversation');
    expect(inPanel<HTMLTextAreaElement>(other, '[part="input"]')!.value).to.equal('About my order');
  });

  it("an operator's reply opened from the preview card shows the conversation, not the view shown before", async () => {
    const { ws, el } = await withTopics();
    el.sendMessage('Hello');
    await waitUntil(() => el.state.messages[0]?.status === 'sent', 'sent', { timeout: 5000 });
    // The visitor looks at the help center, then closes the panel; an operator replies.
    void el.openHelp();
    await settled(el);
    expect(el.state.view).to.equal('help');
    el.hide();
    const [conv] = (await agent(ws, 'GET', '/conversations')).body.conversations;
    await agent(ws, 'POST', `/conversations/${conv.id}/messages`, { content: 'We shipped it' });
    await waitUntil(() => el.state.preview?.content === 'We shipped it', 'preview card', { timeout: 5000 });
    await settled(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="preview"]')!.click();
    await settled(el);
    expect(el.isOpen).to.equal(true);
    expect(el.state.view).to.equal('conversation');
    expect(messageTexts(el).some((t) => t.includes('We shipped it'))).to.equal(true);
  });
});
