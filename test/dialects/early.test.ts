/**
 * Every dialect is whole from the line after the script tag: the page (this
 * origin) loads dist/widget.js from the chat server (another origin), and
 * before the elements arrive (the server holds widget-main.js back) every
 * method of Woes, Convot and web1on1 exists, reads answer, and calls are
 * replayed in order once the elements are in.
 */
import { expect } from '@open-wc/testing';
import { agent, server, until, widget, widgetScriptSrc, type Workspace } from './page.js';

type Fn = (...args: unknown[]) => any;
const page = window as unknown as {
  Woes: Fn;
  Convot: Record<string, Fn> & { app_id?: string };
  web1on1: Record<string, Fn> & { api: Record<string, Fn> };
  CONVOT_READY_TRIGGER?: () => void;
};

describe('the dialects from the line after the script tag (script from another origin)', () => {
  let ws: Workspace;
  let readyCalls = 0;
  const order: string[] = [];

  before(async () => {
    localStorage.clear();
    ws = await server<Workspace>({ action: 'workspace' });
    // A returning visitor with 2 unread messages (the widget keeps the count for this).
    localStorage.setItem(`chat-widget:${ws.publicKey}:unread`, '2');
    page.CONVOT_READY_TRIGGER = () => readyCalls++;
    const script = document.createElement('script');
    script.async = true;
    // No data-api: the API is the script's own origin + /api/widget.
    script.src = await widgetScriptSrc('slow-main=1500');
    script.dataset['publicKey'] = ws.publicKey;
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error(`${script.src} did not load`));
      document.head.append(script);
    });
  });

  it('has every method of every global, and answers reads, before the elements arrive', async () => {
    expect(new URL((document.querySelector('script[data-public-key]') as HTMLScriptElement).src).origin).to.not.equal(location.origin);
    expect(customElements.get('chat-widget'), 'the elements are not here yet').to.equal(undefined);
    expect(page.Woes).to.be.a('function');
    for (const name of ['open', 'close', 'toggle', 'openScheduling', 'identify', 'identityToken', 'setMessageText', 'sendMessage', 'push', 'get', 'is', 'ready']) {
      expect(page.Convot[name], `Convot.${name}`).to.be.a('function');
    }
    for (const name of ['open', 'close', 'isOpen', 'isOpened', 'setPredefinedMessage']) expect(page.web1on1[name], `web1on1.${name}`).to.be.a('function');
    for (const name of ['showFakeAgentMessage', 'sendClientMessage']) expect(page.web1on1.api[name], `web1on1.api.${name}`).to.be.a('function');
    expect(page.Convot.is('chat:opened')).to.equal(false);
    expect(page.Convot.is('chat:closed')).to.equal(true);
    expect(page.Convot.is('chat:visible')).to.equal(true);
    expect(page.Convot.get('chat:unread:count')).to.equal(2);
    expect(page.Convot.get('session:identifier')).to.equal(null);
    expect(page.Convot.ready()).to.equal(false);
    expect(page.web1on1.isOpen()).to.equal(false);
    expect(page.web1on1.isOpened()).to.equal(false);
    expect(readyCalls).to.equal(0);
  });

  it('replays the calls in order once the elements are in, and resolves identityToken()', async () => {
    const started = performance.now();
    widget()!.addEventListener('chat-show', () => order.push('show'));
    widget()!.addEventListener('chat-hide', () => order.push('hide'));
    page.web1on1.open();
    page.Woes('hide');
    page.Convot.toggle();
    page.Convot.setMessageText('typed early');
    expect(page.Convot.get('message:text')).to.equal('typed early');
    page.web1on1.api.sendClientMessage('Hello before the elements');
    page.web1on1.api.showFakeAgentMessage('Welcome', 'Acme');
    page.Convot.identify({ email: 'early@example.com', name: 'Early' });
    const token = page.Convot.identityToken();
    expect(token).to.be.instanceOf(Promise);
    await until(() => customElements.get('chat-widget'), 'the elements defined', 8000);
    await until(() => page.Convot.ready(), 'Convot.ready()', 8000);
    expect(performance.now() - started, 'held back by the server').to.be.greaterThan(1000);
    expect(readyCalls).to.equal(1);
    expect(await token, 'an unverified visitor has no identity token').to.equal(null);
    await until(() => order.length >= 3, () => `show, hide, show: ${order.join(', ')}`, 5000);
    expect(order.slice(0, 3)).to.deep.equal(['show', 'hide', 'show']);
    expect(page.web1on1.isOpen()).to.equal(true);
    expect(page.Convot.is('chat:opened')).to.equal(true);
    expect(page.Convot.get('message:text')).to.equal('typed early');
    // The message reached the server (cross-origin), in the visitor's conversation.
    await until(async () => {
      const list = (await agent(ws, 'GET', '/conversations')).body.conversations;
      return list.some((c: { last_message: { content: string } | null }) => c.last_message?.content === 'Hello before the elements');
    }, 'the message on the server', 8000);
    const text = widget()!.shadowRoot!.querySelector('chat-panel')!.shadowRoot!.textContent!;
    expect(text).to.contain('Welcome');
    // A stand-in kept by the page forwards to the real dialect (identify() answers once the server has it).
    await until(() => page.Convot.get('user:email') === 'early@example.com', () => `user:email ${page.Convot.get('user:email')}`, 5000);
  });
});
