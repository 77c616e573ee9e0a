/**
 * A dialect call made after the bootstrap ran, before the elements arrived,
 * brings them in at once and is replayed; a hidden launcher is not painted.
 */
import { expect } from '@open-wc/testing';
import { until, widget, widgetScriptSrc } from './page.js';

describe('a dialect call before the elements arrive', () => {
  it('loads them at once and is replayed; data-launcher-hidden paints no bubble', async () => {
    const script = document.createElement('script');
    script.async = true;
    script.src = await widgetScriptSrc('');
    script.setAttribute('data-launcher-hidden', '');
    await new Promise((resolve) => {
      script.onload = resolve;
      document.head.append(script);
    });
    const el = widget()!;
    const button = el.shadowRoot!.querySelector('chat-launcher')!.shadowRoot!.querySelector('button')!;
    expect(button.getBoundingClientRect().width, 'hidden launcher').to.equal(0);
    expect(customElements.get('chat-widget')).to.equal(undefined);
    const started = performance.now();
    (window as unknown as { Woes: (command: string) => void }).Woes('show');
    await until(() => customElements.get('chat-widget'), 'the elements defined', 5000);
    expect(performance.now() - started, 'at once, not after the idle wait').to.be.lessThan(2500);
    await until(() => el.isOpen, 'the queued show() replayed', 5000);
    expect(el.hasAttribute('launcher-hidden')).to.equal(true);
  });
});
