/**
 * The script tag paints the launcher before the elements' code arrives (the
 * test server holds dist/widget-main.js back when the script is loaded with
 * `?slow-main=MS`), and the upgraded widget takes over in place.
 */
import { expect } from '@open-wc/testing';
import { until, widget, widgetScriptSrc } from './page.js';

const SLOW_MS = 1200;

async function addScript(data: Record<string, string>): Promise<void> {
  const script = document.createElement('script');
  script.async = true;
  script.src = await widgetScriptSrc(`slow-main=${SLOW_MS}`);
  for (const [k, v] of Object.entries(data)) script.setAttribute(`data-${k}`, v);
  const loaded = new Promise<void>((resolve, reject) => {
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('dist/widget.js did not load; run npm run build'));
  });
  document.head.append(script);
  return loaded;
}

const launcherButton = () => widget()!.shadowRoot!.querySelector('chat-launcher')!.shadowRoot!.querySelector('button')!;
const frame = () => new Promise((r) => requestAnimationFrame(r));

describe('the script tag pre-paints the launcher', () => {

  it('paints a labelled, themed bubble in its corner before the elements load; they take over in place and keep focus', async () => {
    const started = performance.now();
    await addScript({ theme: 'dark', position: 'left' });
    const el = widget()!;
    expect(el, 'mounted at once').to.exist;
    expect(customElements.get('chat-widget'), 'the elements are not loaded yet').to.equal(undefined);
    const before = launcherButton();
    expect(before.getAttribute('aria-label')).to.equal('Open chat');
    expect(before.getAttribute('part')).to.equal('launcher');
    await frame();
    const rect = before.getBoundingClientRect();
    expect(rect.width).to.equal(56);
    expect(Math.round(rect.left), 'position="left": 20px from the left edge').to.equal(20);
    expect(Math.round(innerHeight - rect.bottom)).to.equal(20);
    const background = getComputedStyle(before).backgroundColor;

    // Keyboard focus is a sign of intent: the elements load, and focus stays on the launcher.
    before.focus();
    await until(() => customElements.get('chat-widget'), 'the elements defined', 8000);
    expect(performance.now() - started, 'the test server held widget-main.js back').to.be.greaterThan(SLOW_MS - 200);
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    await until(() => launcherButton() !== before && launcherButton().matches(':focus'), 'focus on the rendered launcher', 4000);
    const after = launcherButton();
    const moved = after.getBoundingClientRect();
    expect([moved.left, moved.top, moved.width], 'no jump').to.deep.equal([rect.left, rect.top, rect.width]);
    expect(getComputedStyle(after).backgroundColor, 'same colours').to.equal(background);
    expect(el.shadowRoot!.querySelectorAll('chat-launcher').length, 'one launcher').to.equal(1);
  });
});
