/**
 * dist/ copied to a plain static host on a third origin (a CDN) that sends only
 * the headers README lists, while the API stays on the chat server: the page
 * (this origin) installs the widget with the script tag, every file comes from
 * the CDN, and a visitor's message reaches the server.
 */
import { expect } from '@open-wc/testing';
import { agent, distBase, loadWidgetScript, server, until, widget, type Workspace } from '../dialects/page.js';

describe('the widget from a CDN copy of dist/ on a third origin', () => {
  it('loads every file from the CDN and talks to the API on the server', async () => {
    localStorage.clear();
    const ws = await server<Workspace>({ action: 'workspace' });
    const cdn = await distBase('cdn');
    const origins = new Set([location.origin, new URL(cdn).origin, new URL(ws.api).origin]);
    expect(origins.size, 'three origins: page, CDN, API').to.equal(3);
    await loadWidgetScript({ 'public-key': ws.publicKey, api: ws.api }, { from: 'cdn' });
    (window as unknown as { Woes: (c: string, p?: unknown) => void }).Woes('show');
    await until(() => widget()!.isOpen, 'open');
    const input = () => widget()!.shadowRoot!.querySelector('chat-panel')!.shadowRoot!.querySelector<HTMLTextAreaElement>('[part="input"]')!;
    await until(() => input(), 'composer');
    (widget() as unknown as { sendMessage(t: string): void }).sendMessage('Hello from a CDN install');
    await until(async () => {
      const list = (await agent(ws, 'GET', '/conversations')).body.conversations;
      return list.some((c: { last_message: { content: string } | null }) => c.last_message?.content === 'Hello from a CDN install');
    }, 'the message on the server', 8000);
    const scripts = performance.getEntriesByType('resource').filter((e) => /\/(widget|widget-main|chat-panel|chunks\/[^/]+)\.js|\.js(\?|$)/.test(e.name) && e.name.includes('widget'));
    expect(scripts.length).to.be.greaterThan(1);
    for (const s of scripts) expect(new URL(s.name).origin, s.name).to.equal(new URL(cdn).origin);
  });
});
