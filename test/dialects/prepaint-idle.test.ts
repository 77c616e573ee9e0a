/**
 * Without any sign of intent, the elements wait for the page to start: its load
 * event, three seconds more, then an idle moment.
 */
import { expect } from '@open-wc/testing';
import { until, widget, widgetScriptSrc } from './page.js';

describe('without intent', () => {
  it('the elements load in an idle moment a few seconds after the page has loaded, not before', async () => {
    const script = document.createElement('script');
    script.async = true;
    script.src = await widgetScriptSrc('');
    await new Promise((resolve) => {
      script.onload = resolve;
      document.head.append(script);
    });
    expect(document.readyState).to.equal('complete');
    const mountedAt = performance.now();
    expect(widget(), 'mounted with its launcher').to.exist;
    const fetchedMain = () => performance.getEntriesByType('resource').some((e) => e.name.includes('/dist/widget-main.js'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(fetchedMain(), 'widget-main.js not asked for yet').to.equal(false);
    expect(customElements.get('chat-widget')).to.equal(undefined);
    await until(() => customElements.get('chat-widget'), 'the elements defined', 9000);
    expect(performance.now() - mountedAt).to.be.greaterThan(2900);
    await (widget() as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(widget()!.isOpen).to.equal(false);
    expect(widget()!.shadowRoot!.querySelectorAll('chat-launcher')).to.have.length(1);
  });
});
