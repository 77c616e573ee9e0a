/**
 * The two-tag install, as a site writes it: `<script type="module" src="SERVER/dist/chat-widget.js">`
 * and `<chat-widget data-public-key data-api>`, the page on another origin than the server.
 * A module script is a CORS request: without the server's CORS headers on /dist/ it is blocked.
 */
import { expect } from '@open-wc/testing';
import { agent, distBase, server, until, type Workspace } from '../dialects/page.js';

type Widget = HTMLElement & { isOpen: boolean; ready: Promise<void>; show(): void; sendMessage(t: string): void; updateComplete: Promise<unknown> };

describe('two tags: the ES module and <chat-widget>, from another origin', () => {
  it('defines the elements, opens, and sends a message to the server', async () => {
    localStorage.clear();
    const ws = await server<Workspace>({ action: 'workspace' });
    const el = document.createElement('chat-widget') as Widget;
    el.setAttribute('data-public-key', ws.publicKey);
    el.setAttribute('data-api', ws.api);
    document.body.append(el);
    const script = document.createElement('script');
    script.type = 'module';
    script.src = `${await distBase()}/chat-widget.js`;
    expect(new URL(script.src).origin).to.not.equal(location.origin);
    const loaded = new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error(`${script.src} was blocked or missing`));
    });
    document.head.append(script);
    await loaded;
    await customElements.whenDefined('chat-widget');
    await el.updateComplete;
    el.show();
    await until(() => el.isOpen, 'open');
    el.sendMessage('Hello from two tags');
    await until(async () => {
      const list = (await agent(ws, 'GET', '/conversations')).body.conversations;
      return list.some((c: { last_message: { content: string } | null }) => c.last_message?.content === 'Hello from two tags');
    }, 'the message on the server', 8000);
  });
});
