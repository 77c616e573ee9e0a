/**
 * A click on the pre-painted launcher, before the elements' code arrives,
 * opens the panel when it does; a right-to-left locale mirrors the corner at once.
 */
import { expect } from '@open-wc/testing';
import { until, widget, widgetScriptSrc } from './page.js';

describe('a click on the pre-painted launcher', () => {

  it('opens the messenger once the elements arrive', async () => {
    const script = document.createElement('script');
    script.src = await widgetScriptSrc('slow-main=1000');
    script.setAttribute('data-locale', 'ar');
    await new Promise((resolve) => {
      script.onload = resolve;
      document.head.append(script);
    });
    const el = widget()!;
    expect(el.getAttribute('dir'), 'Arabic: right to left from the start').to.equal('rtl');
    const button = el.shadowRoot!.querySelector('chat-launcher')!.shadowRoot!.querySelector('button')!;
    await new Promise((r) => requestAnimationFrame(r));
    expect(Math.round(button.getBoundingClientRect().left), 'the inline end is the left in Arabic').to.equal(20);
    expect(customElements.get('chat-widget')).to.equal(undefined);
    const shown = new Promise((resolve) => el.addEventListener('chat-show', resolve, { once: true }));
    button.click();
    await until(() => customElements.get('chat-widget'), 'the elements defined', 8000);
    await shown;
    expect(el.isOpen).to.equal(true);
    await until(() => el.shadowRoot!.querySelector('chat-panel')?.shadowRoot?.querySelector('[part="input"]'), 'the panel rendered', 4000);
  });
});
