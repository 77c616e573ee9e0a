/**
 * A returning visitor's pointer over the pre-painted launcher brings the elements in and
 * connects their session at once, newest messages included, so that their click only opens
 * the panel: no history request waits behind it.
 */
import { expect } from '@open-wc/testing';
import { server, until, widget, widgetScriptSrc, type Workspace } from './page.js';

const historyRequests = () => performance.getEntriesByType('resource').filter((e) => /\/api\/widget\/messages(\?|$)/.test(e.name) && (e as PerformanceResourceTiming).initiatorType === 'fetch').length;

describe('a returning visitor shows intent', () => {
  it('hovering the launcher loads their newest messages before the click; the click asks for nothing more', async () => {
    localStorage.clear();
    const ws = await server<Workspace>({ action: 'workspace' });
    // A visitor from an earlier visit: a session in storage and a conversation of 120 messages.
    const session = await (await fetch(`${ws.api}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ public_key: ws.publicKey }) })).json();
    const first = await (
      await fetch(`${ws.api}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.session.token}` },
        body: JSON.stringify({ client_id: crypto.randomUUID(), content: 'message 1' }),
      })
    ).json();
    await server({ action: 'history', conversation: first.message.conversation_id, n: 120 });
    localStorage.setItem(`chat-widget:${ws.publicKey}:session`, session.session.token);

    const script = document.createElement('script');
    script.async = true;
    script.src = await widgetScriptSrc();
    script.dataset['publicKey'] = ws.publicKey;
    script.dataset['api'] = ws.api;
    await new Promise((resolve) => {
      script.onload = resolve;
      document.head.append(script);
    });
    const el = widget()!;
    expect(customElements.get('chat-widget'), 'nothing but the bootstrap yet').to.equal(undefined);
    // (This page's own set-up above posted the first message.)
    const setUp = historyRequests();

    el.dispatchEvent(new PointerEvent('pointerenter'));
    await until(() => (el as unknown as { state?: { messages: { content: string }[] } }).state?.messages.some((m) => m.content === 'message 120'), 'the newest message loaded on hover', 8000);
    expect(el.isOpen, 'not opened by the hover').to.equal(false);
    const before = historyRequests();
    expect(before - setUp, 'one history request, on the hover').to.equal(1);

    el.shadowRoot!.querySelector('chat-launcher')!.shadowRoot!.querySelector('button')!.click();
    await until(() => el.isOpen, 'opened by the click');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(historyRequests(), 'no history request after the click').to.equal(before);
  });
});
