import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../elements/chat-widget/chat-widget.js';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import type { ChatLauncher } from '../../elements/chat-launcher/chat-launcher.js';
import { launcherButton, settled } from '../helpers.js';

/** A for= launcher has found its widget: a click on it opens the widget and it says so (aria-expanded). */
async function opensFrom(widget: ChatWidget, launcher: ChatLauncher): Promise<void> {
  await widget.updateComplete;
  await new Promise((r) => setTimeout(r, 10));
  await launcher.updateComplete;
  launcherButton(launcher).click();
  expect(widget.isOpen).to.equal(true);
  await launcher.updateComplete;
  expect(launcherButton(launcher).getAttribute('aria-expanded')).to.equal('true');
}

describe('<chat-launcher>', () => {
  it('with for="ID" it drives a widget elsewhere in the page, even one that comes after it', async () => {
    // Built by hand: the launcher is connected before its widget exists.
    const root = document.createElement('div');
    root.innerHTML = '<nav><chat-launcher for="support"></chat-launcher></nav>';
    document.body.append(root);
    const launcher = root.querySelector<ChatLauncher>('chat-launcher')!;
    await launcher.updateComplete;
    const widget = document.createElement('chat-widget');
    widget.id = 'support';
    widget.setAttribute('launcher-hidden', '');
    root.append(widget);
    await opensFrom(widget, launcher);
    widget.hide();
    widget.showAgentMessage('Ping');
    await launcher.updateComplete;
    expect(launcherButton(launcher).querySelector('[part="badge"]')!.textContent!.trim()).to.equal('1');
    // A page's own launcher stays visible when the widget's bubble is hidden.
    expect(launcherButton(launcher).getBoundingClientRect().width).to.be.greaterThan(0);
    widget.setTheme('dark');
    await launcher.updateComplete;
    expect(launcher.getAttribute('theme')).to.equal('dark');
    root.remove();
  });

  it('with for="ID" it finds a widget that gets its id after both are in the page (as @lit/react sets id)', async () => {
    const root = document.createElement('div');
    root.innerHTML = '<chat-widget launcher-hidden></chat-widget><nav><chat-launcher for="late-id"></chat-launcher></nav>';
    document.body.append(root);
    const widget = root.querySelector<ChatWidget>('chat-widget')!;
    const launcher = root.querySelector<ChatLauncher>('chat-launcher')!;
    await launcher.updateComplete;
    widget.id = 'late-id';
    await opensFrom(widget, launcher);
    root.remove();
  });

  it('slotted into the widget, it replaces the default launcher and drives the widget', async () => {
    const el = await fixture<ChatWidget>(html`<chat-widget><chat-launcher slot="launcher" label="Help"></chat-launcher></chat-widget>`);
    await settled(el);
    const mine = el.querySelector('chat-launcher')!;
    await mine.updateComplete;
    // The default launcher is fallback content of the slot: not rendered now.
    expect(launcherButton(el).getBoundingClientRect().width).to.equal(0);
    const button = launcherButton(mine);
    expect(button.getAttribute('aria-label')).to.equal('Help');
    setTimeout(() => button.click());
    await oneEvent(el, 'chat-show');
    expect(el.isOpen).to.equal(true);
    button.click();
    expect(el.isOpen).to.equal(false);
  });

  it('on its own, a click logs a clear error', async () => {
    const launcher = await fixture<ChatLauncher>(html`<chat-launcher></chat-launcher>`);
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: unknown) => errors.push(String(m));
    try {
      launcherButton(launcher).click();
    } finally {
      console.error = original;
    }
    expect(errors[0]).to.match(/no <chat-widget> to drive/);
  });
});
