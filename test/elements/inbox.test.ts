import { expect, waitUntil } from '@open-wc/testing';
import '../../elements/chat-widget/chat-widget.js';
import '../../server/inbox/inbox-app.js';
import type { InboxApp } from '../../server/inbox/inbox-app.js';
import { chatServer, connectedWidget, hmacHex, type TestWorkspace } from '../helpers.js';

type Workspace = TestWorkspace;
const server = chatServer;

describe('the operator inbox page', () => {
  afterEach(() => {
    document.querySelectorAll('chat-widget, inbox-app').forEach((e) => e.remove());
    localStorage.clear();
    sessionStorage.clear();
  });

  it('shows a new conversation live, and a reply from it reaches the widget', async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    localStorage.clear();
    sessionStorage.setItem('chat-widget-inbox:key', ws.operatorKey);
    const inbox = document.createElement('inbox-app') as InboxApp;
    inbox.api = ws.api.replace('/api/widget', '/api/agent');
    document.body.append(inbox);
    const root = () => inbox.shadowRoot!;
    const list = () => root().querySelector('inbox-list')?.shadowRoot;
    const thread = () => root().querySelector('inbox-thread')?.shadowRoot;
    await waitUntil(() => root().textContent!.includes('Live'), 'inbox stream live', { timeout: 5000 });

    const widget = await connectedWidget(ws, { open: true });
    widget.sendMessage('Is the inbox live?');

    await waitUntil(() => list()?.querySelector('.item')?.textContent?.includes('Is the inbox live?'), 'conversation listed live', { timeout: 5000 });
    expect(list()!.querySelector('.badge')!.textContent!.trim()).to.equal('1');
    list()!.querySelector<HTMLButtonElement>('.item')!.click();
    await waitUntil(() => thread()?.querySelector('.log')?.textContent?.includes('Is the inbox live?'), 'messages shown', { timeout: 5000 });

    const form = thread()!.querySelector<HTMLFormElement>('form.composer')!;
    form.querySelector('textarea')!.value = 'Yes, live!';
    form.requestSubmit();
    await waitUntil(() => widget.state.messages.some((m) => m.content === 'Yes, live!'), 'reply reached the widget', { timeout: 5000 });

    // An internal note stays in the inbox.
    [...form.querySelectorAll<HTMLButtonElement>('.segmented button')].find((b) => b.textContent === 'Internal note')!.click();
    await inbox.updateComplete;
    form.querySelector('textarea')!.value = 'note to self';
    form.requestSubmit();
    await waitUntil(() => thread()!.querySelector('[data-internal]')?.textContent?.includes('note to self'), 'note shown to operators', { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(widget.state.messages.map((m) => m.content)).to.not.include('note to self');
  });

  it('?convot_identity=TOKEN identifies the visitor and leaves the address bar', async () => {
    const ws = await server<Workspace>({ action: 'workspace' });
    localStorage.clear();
    // A verified visitor mints a token on one page...
    const first = await connectedWidget(ws);
    await first.identify({ external_id: 'link_user', email: 'link@example.com', user_hash: await hmacHex(ws.identitySecret, 'link_user') });
    const token = await first.identityToken();
    first.remove();
    localStorage.clear();
    // ...and a page opened with it (a new visitor) is that visitor.
    const original = location.href;
    history.replaceState(null, '', `${location.pathname}?keep=1&convot_identity=${token}`);
    try {
      const second = document.createElement('chat-widget');
      second.api = ws.api;
      second.publicKey = ws.publicKey;
      const identified = new Promise<CustomEvent>((resolve) => second.addEventListener('chat-identify', (e) => resolve(e), { once: true }));
      document.body.append(second);
      const ev = await identified;
      expect(ev.detail.identity).to.include({ external_id: 'link_user', verified: true });
      expect(location.search).to.equal('?keep=1');
    } finally {
      history.replaceState(null, '', original);
    }
  });
});
