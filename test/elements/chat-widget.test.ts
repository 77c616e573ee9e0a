// One file for the element's whole outward contract (DESIGN section 4: attributes, methods, events, parts,
// theming, accessibility), so that it reads in one place; it is longer than 400 lines for that reason.
import { expect, html, oneEvent, aTimeout, waitUntil } from '@open-wc/testing';
import { sendKeys, emulateMedia, setViewport } from '@web/test-runner-commands';
import { ContextEvent } from '@lit/context';
import { commandsContext } from '../../src/context.js';
import type { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
import {
  deepActive, inPanel, launcherButton, messageTexts, panelOf, recordEvents, settled, widgetFixture,
} from '../helpers.js';

describe('<chat-widget>', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  it('renders a labelled launcher and no panel until opened', async () => {
    const el = await widgetFixture();
    await settled(el);
    const button = launcherButton(el);
    expect(button.getAttribute('aria-label')).to.equal('Open chat');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(panelOf(el)).to.equal(null);
    expect(el.isOpen).to.equal(false);
    expect(el.theme).to.equal('auto');
    expect(el.getAttribute('theme')).to.equal('auto');
    await expect(el).to.be.accessible();
  });

  it('show(), hide() and toggle() open and close the panel and fire chat-show / chat-hide', async () => {
    const el = await widgetFixture();
    setTimeout(() => el.show());
    await oneEvent(el, 'chat-show');
    await settled(el);
    expect(el.isOpen).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(panelOf(el)!.hidden).to.equal(false);
    expect(inPanel(el, '[part="header"]')!.textContent).to.contain('Chat with us');
    expect(launcherButton(el).getAttribute('aria-expanded')).to.equal('true');

    setTimeout(() => el.hide());
    await oneEvent(el, 'chat-hide');
    await settled(el);
    expect(el.hasAttribute('open')).to.equal(false);
    expect(panelOf(el)!.hidden).to.equal(true);

    const events = await recordEvents(el, ['chat-show', 'chat-hide'], async () => {
      el.toggle();
      el.toggle();
      el.hide(); // already closed: nothing
    });
    expect(events.map((e) => e.type)).to.deep.equal(['chat-show', 'chat-hide']);
    expect(events[0]!.bubbles && events[0]!.composed).to.equal(true);
  });

  it('opens from the open attribute, and reflects state back to it', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(el);
    expect(el.isOpen).to.equal(true);
    expect(panelOf(el)!.hidden).to.equal(false);
    const hidden = oneEvent(el, 'chat-hide');
    el.removeAttribute('open');
    await hidden;
    expect(el.isOpen).to.equal(false);
  });

  it('a click on the launcher opens, focus moves into the panel, Esc closes and focus returns', async () => {
    const el = await widgetFixture();
    await settled(el);
    launcherButton(el).focus();
    launcherButton(el).click();
    await settled(el);
    await aTimeout(0);
    expect(el.isOpen).to.equal(true);
    expect(deepActive()).to.equal(inPanel(el, '[part="input"]'));

    const request = oneEvent(el, 'chat-request-close');
    await sendKeys({ press: 'Escape' });
    const ev = await request;
    expect(ev.detail).to.deep.equal({ source: 'keyboard' });
    expect(ev.cancelable).to.equal(true);
    await settled(el);
    expect(el.isOpen).to.equal(false);
    expect(deepActive()).to.equal(launcherButton(el));
  });

  it('a cancelled chat-request-close keeps the panel open', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(el);
    el.addEventListener('chat-request-close', (e) => e.preventDefault(), { once: true });
    inPanel<HTMLButtonElement>(el, '[part="header"] button')!.click();
    expect(el.isOpen).to.equal(true);
    inPanel<HTMLButtonElement>(el, '[part="header"] button')!.click();
    expect(el.isOpen).to.equal(false);
  });

  it('showLauncher() and hideLauncher() toggle the bubble and fire chat-launcher-visibility', async () => {
    const el = await widgetFixture();
    const events = await recordEvents(el, ['chat-launcher-visibility'], async () => {
      el.hideLauncher();
      await settled(el);
      expect(el.hasAttribute('launcher-hidden')).to.equal(true);
      expect(launcherButton(el).getBoundingClientRect().width).to.equal(0);
      el.showLauncher();
      await settled(el);
    });
    expect(events.map((e) => e.detail)).to.deep.equal([{ visible: false }, { visible: true }]);
    expect(launcherButton(el).getBoundingClientRect().width).to.be.greaterThan(0);
    const attr = await widgetFixture(html`<chat-widget launcher-hidden></chat-widget>`);
    expect(attr.state.launcherVisible).to.equal(false);
  });

  it('setTheme() switches the palette and fires chat-theme-change; a bad theme throws and changes nothing', async () => {
    const el = await widgetFixture(html`<chat-widget open theme="light"></chat-widget>`);
    await settled(el);
    const panel = panelOf(el)!;
    const lightBg = getComputedStyle(panel).backgroundColor;
    setTimeout(() => el.setTheme('dark'));
    const ev = await oneEvent(el, 'chat-theme-change');
    expect(ev.detail).to.deep.equal({ theme: 'dark' });
    await settled(el);
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(getComputedStyle(panel).backgroundColor).to.equal('rgb(17, 24, 39)');
    expect(lightBg).to.equal('rgb(255, 255, 255)');
    expect(getComputedStyle(el).colorScheme).to.equal('dark');

    expect(() => el.setTheme('blue' as never)).to.throw(TypeError, /setTheme\(theme\): expected "light" or "dark" or "auto", got "blue"/);
    expect(el.state.theme).to.equal('dark');
  });

  it('theme="auto" follows the system colour scheme', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(el);
    expect(getComputedStyle(panelOf(el)!).backgroundColor).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(panelOf(el)!).backgroundColor).to.equal('rgb(17, 24, 39)');
  });

  it('a bad theme attribute logs a clear console error and keeps the last good theme', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: unknown) => errors.push(String(m));
    try {
      const el = await widgetFixture(html`<chat-widget theme="dark"></chat-widget>`);
      el.setAttribute('theme', 'purple');
      await el.updateComplete;
      await el.updateComplete;
      expect(el.state.theme).to.equal('dark');
      expect(el.getAttribute('theme')).to.equal('dark');
      expect(errors.join('\n')).to.match(/configure\(\{theme\}\): expected .* got "purple"/);
    } finally {
      console.error = original;
    }
  });

  it('brand-color, configure({brandColor}) and --chat-brand on the page colour the launcher', async () => {
    const el = await widgetFixture(html`<chat-widget brand-color="#ff0000"></chat-widget>`);
    await settled(el);
    expect(getComputedStyle(launcherButton(el)).backgroundColor).to.equal('rgb(255, 0, 0)');
    el.configure({ brandColor: 'rgb(0, 128, 0)' });
    await settled(el);
    expect(getComputedStyle(launcherButton(el)).backgroundColor).to.equal('rgb(0, 128, 0)');

    const wrapped = await widgetFixture(html`<div style="--chat-brand: #123456"><chat-widget></chat-widget></div>`);
    const inner = wrapped.querySelector('chat-widget') as ChatWidget;
    await settled(inner);
    expect(getComputedStyle(launcherButton(inner)).backgroundColor).to.equal('rgb(18, 52, 86)');
  });

  it('::part(launcher) and the other --chat-* properties apply from the page', async () => {
    const style = document.createElement('style');
    style.textContent = `
      .themed::part(launcher) { border: 3px solid rgb(1, 2, 3); }
      .themed { --chat-launcher-size: 70px; --chat-radius: 3px; --chat-font: monospace; --chat-bg: rgb(9, 9, 9); --chat-fg: rgb(250, 250, 250); }
      .themed::part(header) { letter-spacing: 2px; }
    `;
    document.head.append(style);
    try {
      const el = await widgetFixture(html`<chat-widget class="themed" open></chat-widget>`);
      await settled(el);
      const button = launcherButton(el);
      expect(getComputedStyle(button).borderTopColor).to.equal('rgb(1, 2, 3)');
      expect(button.getBoundingClientRect().width).to.equal(70);
      const panel = panelOf(el)!;
      expect(getComputedStyle(panel).borderTopLeftRadius).to.equal('3px');
      expect(getComputedStyle(panel).backgroundColor).to.equal('rgb(9, 9, 9)');
      expect(getComputedStyle(panel).fontFamily).to.equal('monospace');
      expect(getComputedStyle(inPanel(el, '[part="header"]')!).letterSpacing).to.equal('2px');
    } finally {
      style.remove();
    }
  });

  it('configure() applies several options at once, and refuses unknown keys or bad values whole', async () => {
    const el = await widgetFixture();
    el.configure({ position: 'left', muted: true, zIndex: 5, title: 'Acme support' });
    await settled(el);
    expect(el.getAttribute('position')).to.equal('left');
    expect(el.hasAttribute('muted')).to.equal(true);
    expect(getComputedStyle(el).zIndex).to.equal('5');
    expect(el.getBoundingClientRect().left).to.be.lessThan(100);

    expect(() => el.configure({ theme: 'dark', colour: 'red' } as never)).to.throw(TypeError, /unknown option "colour"/);
    expect(() => el.configure({ theme: 'dark', muted: 'yes' } as never)).to.throw(TypeError, /configure\(\{muted\}\): expected true or false, got "yes"/);
    expect(() => el.configure('dark' as never)).to.throw(TypeError, /expected a plain object/);
    expect(el.state.theme).to.equal('auto');
    expect(el.state.muted).to.equal(true);
  });

  it('showNewMessage() opens with a draft; setMessageText() fills the composer without opening', async () => {
    const el = await widgetFixture();
    el.setMessageText('Prefilled');
    await settled(el);
    expect(el.isOpen).to.equal(false);
    el.showNewMessage('I hit a 401 on POST /orders.');
    await settled(el);
    expect(el.isOpen).to.equal(true);
    expect(inPanel<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('I hit a 401 on POST /orders.');
    expect(() => el.setMessageText(42 as never)).to.throw(TypeError, /setMessageText\(text\): expected a string, got number 42/);
    expect(el.state.draft).to.equal('I hit a 401 on POST /orders.');
  });

  it('sendMessage() shows the message as pending at once and fires chat-message-sent', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    setTimeout(() => el.sendMessage('Hello there'));
    const ev = await oneEvent(el, 'chat-message-sent');
    expect(ev.detail.message).to.include({ content: 'Hello there', author: 'visitor', status: 'pending' });
    el.sendMessage({ content: 'Second' });
    await settled(el);
    expect(messageTexts(el)).to.have.length(2);
    expect(messageTexts(el)[0]).to.contain('Hello there').and.contain('Sending…');
    await expect(el).to.be.accessible();
  });

  it('sendMessage() with anything but a string or {content} throws and sends nothing', async () => {
    const el = await widgetFixture();
    const events = await recordEvents(el, ['chat-message-sent'], () => {
      expect(() => el.sendMessage(new Event('click') as never)).to.throw(TypeError, /expected a string or \{content: string\}, got an object \(Event\)/);
      expect(() => el.sendMessage({ content: 5 } as never)).to.throw(TypeError);
      expect(() => el.sendMessage('   ')).to.throw(TypeError, /non-empty/);
      expect(() => el.sendMessage('x'.repeat(10_001))).to.throw(TypeError, /at most 10000 characters/);
    });
    expect(events).to.have.length(0);
    expect(el.state.messages).to.have.length(0);
  });

  it('typing in the composer and pressing Enter sends', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(el);
    inPanel<HTMLTextAreaElement>(el, '[part="input"]')!.focus();
    await sendKeys({ type: 'Typed by hand' });
    const sent = oneEvent(el, 'chat-message-sent');
    await sendKeys({ press: 'Enter' });
    expect((await sent).detail.message.content).to.equal('Typed by hand');
    await settled(el);
    expect(inPanel<HTMLTextAreaElement>(el, '[part="input"]')!.value).to.equal('');
  });

  it('an operator message while closed raises the unread badge and shows the preview card', async () => {
    const el = await widgetFixture();
    const events = await recordEvents(el, ['chat-message-received', 'chat-unread-change', 'chat-preview-show'], async () => {
      el.showAgentMessage('Welcome to the chat', 'Acme Corp');
      await settled(el);
    });
    expect(events.map((e) => e.type)).to.deep.equal(['chat-message-received', 'chat-unread-change', 'chat-preview-show']);
    expect(events[1]!.detail).to.deep.equal({ count: 1 });
    expect(el.unreadCount).to.equal(1);
    const badge = launcherButton(el).querySelector('[part="badge"]')!;
    expect(badge.textContent!.trim()).to.equal('1');
    expect(launcherButton(el).getAttribute('aria-label')).to.equal('Open chat, 1 unread messages');
    const preview = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="preview"]')!;
    expect(preview.textContent).to.contain('Acme Corp').and.contain('Welcome to the chat');
    await expect(el).to.be.accessible();

    const opened = await recordEvents(el, ['chat-unread-change', 'chat-preview-hide', 'chat-show'], async () => {
      preview.click();
      await settled(el);
    });
    expect(opened.map((e) => e.type)).to.deep.equal(['chat-show', 'chat-unread-change', 'chat-preview-hide']);
    expect(el.unreadCount).to.equal(0);
    expect(messageTexts(el)[0]).to.contain('Welcome to the chat');
    await expect(el).to.be.accessible();
  });

  it('markRead() clears the unread count; dismissing the preview keeps it', async () => {
    const el = await widgetFixture();
    el.showAgentMessage('One');
    el.showAgentMessage('Two');
    await settled(el);
    expect(el.unreadCount).to.equal(2);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.dismiss')!.click();
    await settled(el);
    expect(el.shadowRoot!.querySelector('[part="preview"]')).to.equal(null);
    expect(el.unreadCount).to.equal(2);
    setTimeout(() => el.markRead());
    expect((await oneEvent(el, 'chat-unread-change')).detail).to.deep.equal({ count: 0 });
    expect(() => el.showAgentMessage(null as never)).to.throw(TypeError, /showAgentMessage\(text\)/);
  });

  it('renders message text as text, and links only for http, https, mailto and tel', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    el.showAgentMessage('<img src=x onerror="window.__pwned=1"> see https://example.com/a?b=1, mail mailto:help@example.com or javascript:alert(1)');
    await settled(el);
    const bubble = inPanel(el, '[part="message"]')!;
    expect(bubble.querySelector('img')).to.equal(null);
    expect(bubble.textContent).to.contain('<img src=x');
    const links = [...bubble.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(['https://example.com/a?b=1', 'mailto:help@example.com']);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('axe is clean during the panel\'s entrance, not only after it (the motion moves, it does not fade)', async () => {
    const el = await widgetFixture(html`<chat-widget></chat-widget>`);
    await settled(el);
    el.show();
    await settled(el);
    // At once: the entrance animation is still running.
    const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
    expect(panel.getAnimations({ subtree: true }).length, 'the entrance is running').to.be.greaterThan(0);
    await expect(el).to.be.accessible();
    for (const a of panel.getAnimations({ subtree: true })) {
      const frames = (a.effect as KeyframeEffect).getKeyframes();
      expect(frames.some((f) => 'opacity' in f), 'no fade in the entrance').to.equal(false);
    }
  });

  it('embedded renders inline and always open; show and hide do nothing', async () => {
    const el = await widgetFixture(html`<div style="height: 500px"><chat-widget embedded></chat-widget></div>`);
    const widget = el.querySelector('chat-widget') as ChatWidget;
    await settled(widget);
    expect(widget.isOpen).to.equal(true);
    expect(panelOf(widget)!.hidden).to.equal(false);
    expect(widget.shadowRoot!.querySelector('chat-launcher')).to.equal(null);
    expect(getComputedStyle(widget).position).to.equal('relative');
    // It fits its container's height (500px here), header to composer.
    expect(widget.getBoundingClientRect().height).to.equal(500);
    const box = el.getBoundingClientRect();
    const composer = inPanel(widget, '[part="composer"]')!.getBoundingClientRect();
    expect(composer.bottom).to.be.at.most(box.bottom + 0.5);
    expect(inPanel(el.querySelector('chat-widget') as ChatWidget, '[part="header"] button')).to.equal(null);
    widget.hide();
    expect(widget.isOpen).to.equal(true);
    await expect(widget).to.be.accessible();
  });

  it('the message list is a labelled role=log live region inside a labelled dialog', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(el);
    const log = inPanel(el, '[part="messages"]')!;
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('polite');
    expect(panelOf(el)!.getAttribute('role')).to.equal('dialog');
    expect(panelOf(el)!.getAttribute('aria-label')).to.equal('Chat with us');
    await expect(el).to.be.accessible();
  });

  it('honours prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(el);
    expect(getComputedStyle(panelOf(el)!).animationName).to.equal('none');
    await emulateMedia({ reducedMotion: 'no-preference' });
    expect(getComputedStyle(panelOf(el)!).animationName).to.equal('panel-in');
  });

  it('in Arabic the strings are translated and the layout is mirrored; position names the inline end', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await widgetFixture(html`<chat-widget locale="ar" open></chat-widget>`);
    await waitUntil(() => inPanel(el, '#title')?.textContent === 'تحدث معنا', 'Arabic strings loaded');
    el.showAgentMessage('مرحبا');
    el.sendMessage('أهلا');
    await settled(el);
    expect(el.getAttribute('dir')).to.equal('rtl');
    const rect = el.getBoundingClientRect();
    expect(rect.left).to.be.lessThan(window.innerWidth / 2);
    const send = inPanel(el, '[part="send-button"]')!.getBoundingClientRect();
    const input = inPanel(el, '[part="input"]')!.getBoundingClientRect();
    expect(send.left).to.be.lessThan(input.left);
    // The header's close button is on the left, the title on the right.
    const title = inPanel(el, '#title')!.getBoundingClientRect();
    const close = inPanel(el, '[part="header"] .icon-button')!.getBoundingClientRect();
    expect(close.left).to.be.lessThan(title.left);
    // The visitor's bubble sits on the left, the operator's on the right.
    const [theirs, mine] = [...panelOf(el)!.shadowRoot!.querySelectorAll('[part="message"]')].map((m) => m.getBoundingClientRect());
    expect(mine!.left).to.be.lessThan(theirs!.left);
    expect(launcherButton(el).getAttribute('aria-label')).to.equal('إغلاق المحادثة');
    await expect(el).to.be.accessible();
    el.configure({ locale: 'fr' });
    await waitUntil(() => inPanel(el, '#title')?.textContent === 'Discutez avec nous', 'French strings');
    expect(el.getAttribute('dir')).to.equal('ltr');
    el.configure({ locale: 'en' });
    await waitUntil(() => inPanel(el, '#title')?.textContent === 'Chat with us', 'English again');
    expect(el.getBoundingClientRect().right).to.be.greaterThan(window.innerWidth / 2);
    expect(() => el.configure({ locale: 'not a locale!' })).to.throw(TypeError, /BCP 47/);
  });

  it('hide-on-mobile hides it below 768px; the panel goes full-screen there', async () => {
    const el = await widgetFixture(html`<chat-widget hide-on-mobile></chat-widget>`);
    const other = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(other);
    try {
      await emulateMedia({ reducedMotion: 'reduce' }); // measure the panel, not its opening animation
      await setViewport({ width: 400, height: 700 });
      // The panel follows the visual viewport (its resize event comes a moment later).
      await waitUntil(() => panelOf(other)!.getBoundingClientRect().height === window.innerHeight, 'panel fits the viewport');
      expect(getComputedStyle(el).display).to.equal('none');
      const rect = panelOf(other)!.getBoundingClientRect();
      expect(rect.width).to.equal(document.documentElement.clientWidth);
      expect(rect.height).to.equal(window.innerHeight);
      expect(rect.left).to.equal(0);
      const input = inPanel(other, '[part="input"]')!;
      expect(getComputedStyle(input).fontSize).to.equal('16px');
    } finally {
      await setViewport({ width: 1024, height: 768 });
    }
    expect(getComputedStyle(el).display).to.not.equal('none');
  });

  it('setSessionData merges, setSegments replaces, setConversationFields merges; bad input throws', async () => {
    const el = await widgetFixture();
    el.setSessionData({ plan: 'pro' });
    el.setSessionData({ store: 'acme' });
    expect(el.state.sessionData).to.deep.equal({ plan: 'pro', store: 'acme' });
    el.setSegments(['paying']);
    el.setSegments(['enterprise']);
    expect(el.state.segments).to.deep.equal(['enterprise']);
    el.setConversationFields({ page: 'a' });
    el.setConversationFields({ plan: 'b' });
    expect(el.state.conversationFields).to.deep.equal({ page: 'a', plan: 'b' });
    expect(() => el.setSegments('paying' as never)).to.throw(TypeError, /array of strings/);
    expect(() => el.setSessionData([] as never)).to.throw(TypeError, /plain object, got an array/);
    expect(el.state.segments).to.deep.equal(['enterprise']);
  });

  it('the state snapshot is immutable and replaced on every change', async () => {
    const el = await widgetFixture();
    const before = el.state;
    expect(Object.isFrozen(before)).to.equal(true);
    el.show();
    expect(el.state).to.not.equal(before);
    expect(before.open).to.equal(false);
  });

  it('fires chat-ready and resolves ready', async () => {
    const el = document.createElement('chat-widget');
    const ready = oneEvent(el, 'chat-ready');
    document.body.append(el);
    await ready;
    await el.ready;
    el.remove();
  });

  it('Lit prints no dev-mode warning', async () => {
    const el = await widgetFixture(html`<chat-widget open locale="en"></chat-widget>`);
    el.showAgentMessage('hi');
    el.sendMessage('yo');
    el.setTheme('dark');
    el.hide();
    await settled(el);
    const warnings = [...((globalThis as { litIssuedWarnings?: Set<string> }).litIssuedWarnings ?? [])];
    expect(warnings.filter((w) => !/^Lit is in dev mode/.test(w) && w !== 'dev-mode')).to.deep.equal([]);
  });
});

describe('<chat-widget> with a long history', () => {
  it('renders the end of 10,000 messages with few DOM nodes, and brings earlier ones in on demand', async () => {
    const el = await widgetFixture(html`<chat-widget open></chat-widget>`);
    await settled(el);
    const messages = Array.from({ length: 10_000 }, (_, i) =>
      Object.freeze({ id: `m${i}`, author: (i % 2 ? 'agent' : 'visitor') as 'agent' | 'visitor', content: `Message number ${i}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), status: 'sent' as const }),
    );
    // A history load, the way the client hands one over: Commands.replaceMessages, reached by context.
    let commands: { replaceMessages(m: unknown[]): void } | undefined;
    el.dispatchEvent(new ContextEvent(commandsContext, document.body, (value) => (commands = value as never)));
    commands!.replaceMessages(messages);
    await settled(el);
    const panel = panelOf(el)!;
    expect(panel.shadowRoot!.querySelectorAll('*').length).to.be.lessThan(2000);
    expect(messageTexts(el)).to.have.length(30);
    expect(messageTexts(el).at(-1)).to.contain('Message number 9999');
    const earlier = inPanel<HTMLButtonElement>(el, '.earlier')!;
    expect(earlier.textContent).to.contain('Show earlier messages');
    earlier.click();
    await settled(el);
    expect(messageTexts(el)).to.have.length(60);
    expect(messageTexts(el)[0]).to.contain('Message number 9940');
  });
});
