import { expect, waitUntil } from '@open-wc/testing';
import '../../elements/chat-widget/chat-widget.js';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import { chatServer, connectedWidget, type TestWorkspace } from '../helpers.js';

/** The workspace's appearance (set in the inbox, PUT /api/agent/settings) reaches the widget through its session; the page's own settings win. */
async function workspaceWith(appearance: Record<string, unknown>): Promise<TestWorkspace> {
  const ws = await chatServer<TestWorkspace>({ action: 'workspace' });
  const res = await fetch(`${ws.api.replace('/api/widget', '/api/agent')}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ws.operatorKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ appearance }),
  });
  expect(res.status).to.equal(200);
  return ws;
}

const panelText = (el: ChatWidget) => el.shadowRoot!.querySelector('chat-panel')?.shadowRoot?.textContent ?? '';

describe('the workspace\'s appearance', () => {
  afterEach(() => {
    document.querySelectorAll('chat-widget').forEach((e) => e.remove());
    localStorage.clear();
  });

  it('brand colour, side and greeting (in the visitor\'s language) come from the workspace', async () => {
    const ws = await workspaceWith({ brand_color: '#0f766e', position: 'left', greeting: { en: 'Hello from Acme!', fr: 'Bonjour de la part d’Acme !' } });
    const el = await connectedWidget(ws, { open: true });
    await waitUntil(() => el.getAttribute('position') === 'left', 'the workspace\'s side', { timeout: 5000 });
    expect(getComputedStyle(el).getPropertyValue('--chat-brand').trim()).to.equal('#0f766e');
    await waitUntil(() => panelText(el).includes('Hello from Acme!'), 'the greeting before the first message', { timeout: 5000 });
    el.configure({ locale: 'fr' });
    await waitUntil(() => panelText(el).includes('Bonjour de la part d’Acme !'), 'the greeting in French', { timeout: 5000 });
  });

  it('the page\'s attributes and configure() win over the workspace\'s', async () => {
    const ws = await workspaceWith({ brand_color: '#0f766e', position: 'left', greeting: { en: 'Hello from Acme!' } });
    const el = document.createElement('chat-widget') as ChatWidget;
    el.setAttribute('position', 'right');
    el.setAttribute('brand-color', '#b91c1c');
    el.api = ws.api;
    el.publicKey = ws.publicKey;
    el.open = true;
    document.body.append(el);
    await el.updateComplete;
    void el.client!.connect().catch(() => {});
    await el.ready;
    await waitUntil(() => el.state.appearance.position === 'left', 'the workspace\'s appearance loaded', { timeout: 5000 });
    expect(el.getAttribute('position')).to.equal('right');
    expect(getComputedStyle(el).getPropertyValue('--chat-brand').trim()).to.equal('#b91c1c');
    el.configure({ greeting: 'The page says hi' });
    await waitUntil(() => panelText(el).includes('The page says hi'), 'the page\'s greeting', { timeout: 5000 });
    expect(panelText(el)).to.not.include('Hello from Acme!');
  });
});
